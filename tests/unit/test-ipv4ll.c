/* Link-local address choice: always inside 169.254.1.0-169.254.254.255, the
 * first one fixed by the MAC. */
#include <arpa/inet.h>
#include <stdint.h>

#include "check.h"
#include "ipv4ll.h"

static void test_range(void)
{
	const uint32_t edges[] = { 0, 1, 255, 256, 65023, 65024, 65025, 0x7fffffff, 0xffffffff };

	for (unsigned int i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		uint32_t a = ntohl(ipv4ll_address(edges[i]));

		CHECK(a >= 0xa9fe0100u && a <= 0xa9fefeffu);
	}
	CHECK_INT(ntohl(ipv4ll_address(0)), 0xa9fe0100u);
	CHECK_INT(ntohl(ipv4ll_address(65023)), 0xa9fefeffu);
	CHECK_INT(ntohl(ipv4ll_address(65024)), 0xa9fe0100u);
}

static void test_seed(void)
{
	const uint8_t mac1[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	const uint8_t mac2[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

	CHECK_INT(ipv4ll_seed(mac1), ipv4ll_seed(mac1));
	CHECK(ipv4ll_address(ipv4ll_seed(mac1)) != ipv4ll_address(ipv4ll_seed(mac2)));
}

int main(void)
{
	test_range();
	test_seed();
	CHECK_DONE();
}
