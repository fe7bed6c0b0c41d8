/* The /64 the tethering bridge takes from a delegated prefix, and the ULA
 * fallback's prefix and stored global ID. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "check.h"
#include "tether6-prefix.h"

static const char *subnet_of(const char *prefix, uint8_t len, uint16_t id, char *buf)
{
	struct ipv6_prefix p = { .len = len };
	struct in6_addr out;

	inet_pton(AF_INET6, prefix, &p.prefix);
	if (tether6_subnet(&p, id, &out) < 0)
		return "error";
	return inet_ntop(AF_INET6, &out, buf, INET6_ADDRSTRLEN);
}

static void test_subnet(void)
{
	char buf[INET6_ADDRSTRLEN];

	/* A /64 delegation is the /64: no bits for a subnet ID. */
	CHECK_STR(subnet_of("2001:db8:1:2::", 64, TETHER6_SUBNET_ID, buf), "2001:db8:1:2::");
	/* A /48: the subnet ID in the fourth group. */
	CHECK_STR(subnet_of("2001:db8:1::", 48, TETHER6_SUBNET_ID, buf), "2001:db8:1:1::");
	CHECK_STR(subnet_of("2001:db8:1::", 48, 0xbeef, buf), "2001:db8:1:beef::");
	/* A /56 keeps 8 bits of it, a /60 four. */
	CHECK_STR(subnet_of("2001:db8:1:ab00::", 56, 0x1ff, buf), "2001:db8:1:abff::");
	CHECK_STR(subnet_of("2001:db8:1:ab00::", 60, 0x13, buf), "2001:db8:1:ab03::");
	/* Bits the delegation should not have carried are cleared. */
	CHECK_STR(subnet_of("2001:db8:1:ffff::5", 48, 1, buf), "2001:db8:1:1::");
	/* Stable: the same delegation gives the same /64. */
	CHECK_STR(subnet_of("2001:db8:7::", 48, TETHER6_SUBNET_ID, buf), "2001:db8:7:1::");
	CHECK_STR(subnet_of("2001:db8:7::", 48, TETHER6_SUBNET_ID, buf), "2001:db8:7:1::");
	/* Nothing longer than a /64, nor /0. */
	CHECK_STR(subnet_of("2001:db8:1:2:3::", 80, 1, buf), "error");
	CHECK_STR(subnet_of("::", 0, 1, buf), "error");
}

static void test_ula(void)
{
	static const uint8_t id[TETHER6_ULA_ID_LEN] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	char buf[INET6_ADDRSTRLEN], text[TETHER6_ULA_ID_TEXT];
	struct in6_addr ula, router;
	uint8_t back[TETHER6_ULA_ID_LEN] = { 0 }, untouched[TETHER6_ULA_ID_LEN] = { 7, 7, 7, 7, 7 };

	tether6_ula(id, &ula);
	CHECK_STR(inet_ntop(AF_INET6, &ula, buf, sizeof(buf)), "fd12:3456:789a::");
	tether6_router_address(&ula, &router);
	CHECK_STR(inet_ntop(AF_INET6, &router, buf, sizeof(buf)), "fd12:3456:789a::1");

	tether6_ula_id_format(id, text);
	CHECK_STR(text, "123456789a");
	CHECK_INT(tether6_ula_id_parse(text, back), 0);
	CHECK(!memcmp(back, id, sizeof(id)));
	CHECK_INT(tether6_ula_id_parse("ABCDEF0123", back), 0);
	CHECK_INT(back[0], 0xab);
	CHECK_INT(tether6_ula_id_parse("123456789", untouched), -EINVAL);
	CHECK_INT(tether6_ula_id_parse("123456789ab", untouched), -EINVAL);
	CHECK_INT(tether6_ula_id_parse("12345678zz", untouched), -EINVAL);
	CHECK_INT(tether6_ula_id_parse("", untouched), -EINVAL);
	CHECK_INT(untouched[0], 7);
}

int main(void)
{
	test_subnet();
	test_ula();
	CHECK_DONE();
}
