// sources: src/dhcp6-packet.c src/dns-name.c
/* A DHCPv6 server's Advertise or Reply, as the client's socket receives it. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include "dhcp6-packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What parsing keeps must be what it promises. */
static void check(const struct dhcp6_reply *r)
{
	if (r->ia_na.n_addrs > DHCP6_MAX_ADDRS || r->ia_pd.n_prefixes > DHCP6_MAX_PREFIXES ||
	    r->n_dns > DHCP6_MAX_SERVERS || r->n_ntp > DHCP6_MAX_SERVERS ||
	    r->n_domains > DHCP6_MAX_DOMAINS || r->client_id.len > DHCP6_DUID_MAX ||
	    r->server_id.len > DHCP6_DUID_MAX)
		__builtin_trap();
	if (r->has_ia_na && r->ia_na.t1 && r->ia_na.t2 && r->ia_na.t1 > r->ia_na.t2)
		__builtin_trap();
	for (unsigned int i = 0; i < r->ia_na.n_addrs; i++) {
		const struct dhcp6_address *a = &r->ia_na.addrs[i];

		if (a->preferred > a->valid || IN6_IS_ADDR_MULTICAST(&a->address) ||
		    IN6_IS_ADDR_LINKLOCAL(&a->address) || IN6_IS_ADDR_UNSPECIFIED(&a->address))
			__builtin_trap();
	}
	if (r->has_ia_pd && r->ia_pd.t1 && r->ia_pd.t2 && r->ia_pd.t1 > r->ia_pd.t2)
		__builtin_trap();
	for (unsigned int i = 0; i < r->ia_pd.n_prefixes; i++) {
		const struct dhcp6_prefix *p = &r->ia_pd.prefixes[i];
		unsigned int bit;

		if (p->preferred > p->valid || p->len < 1 || p->len > 64 ||
		    IN6_IS_ADDR_UNSPECIFIED(&p->prefix))
			__builtin_trap();
		for (bit = p->len; bit < 128; bit++)	/* host bits zero */
			if (p->prefix.s6_addr[bit / 8] & (0x80 >> (bit % 8)))
				__builtin_trap();
	}
	for (unsigned int i = 0; i < r->n_dns; i++)
		if (IN6_IS_ADDR_MULTICAST(&r->dns[i]) || IN6_IS_ADDR_LOOPBACK(&r->dns[i]))
			__builtin_trap();
	for (unsigned int i = 0; i < r->n_domains; i++)
		if (strlen(r->domains[i]) >= sizeof(r->domains[i]) || strpbrk(r->domains[i], " \n;"))
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp6_reply reply;

	/* The IAID the corpus uses, and one nothing matches. */
	if (dhcp6_packet_parse(data, size, 0x0a0b0c0d, &reply) == 0)
		check(&reply);
	if (dhcp6_packet_parse(data, size, 0, &reply) == 0)
		check(&reply);
	return 0;
}
