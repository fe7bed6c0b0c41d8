// sources: src/dns-msg.c src/dns-cache.c src/dns-name.c
/* Every query the proxy gets and every reply an upstream (or a forger) sends
 * goes through dns_msg_parse first; a parsed reply then goes in and out of
 * the cache, whose TTL rewriting trusts the offsets the parser found. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dns-cache.h"
#include "dns-msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[DNS_MSG_MAX];
	struct dns_msg msg;
	struct dns_cache *cache;
	char text[DNS_NAME_TEXT_MAX];

	if (dns_msg_parse(data, size, &msg) < 0)
		return 0;
	if (dns_name_to_text(msg.qname, text, sizeof(text)) < 0)
		__builtin_trap();
	dns_msg_short_reply(data, &msg, DNS_RCODE_SERVFAIL, true, out);
	if (!msg.response)
		return 0;
	/* The reply answers itself as a query: same question, same bits. */
	cache = dns_cache_new(4, 1 << 20);
	if (dns_cache_put(cache, &msg, data, &msg, 0) == 1)
		dns_cache_get(cache, data, &msg, 1000000ull * 7, out, sizeof(out));
	dns_cache_free(cache);
	return 0;
}
