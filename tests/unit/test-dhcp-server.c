/* The DHCP server's protocol, driven with messages from connd's own client
 * builder and its replies read with the client's parser. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "check.h"
#include "dhcp-packet.h"
#include "dhcp-server.h"

static struct dhcp_server *server;
static int lease_events;

static void lease_changed(const struct dhcp_server_lease *lease, bool added, void *data)
{
	lease_events += added ? 1 : -1;
}

static struct dhcp_server *new_server(uint32_t first, uint32_t last)
{
	struct dhcp_server_config c = {
		.address = inet_addr("192.168.7.1"), .prefix_len = 24,
		.range_start = htonl(first), .range_end = htonl(last),
		.lease_time = 3600, .router = inet_addr("192.168.7.1"),
		.dns = { inet_addr("192.168.7.1") }, .n_dns = 1, .domain = "tether.lan",
	};

	return dhcp_server_new(&c, lease_changed, NULL);
}

/* Sends one message; returns the reply's type (0: none) and fills *reply. */
static int send_msg(enum dhcp_msg_type type, uint8_t mac_last, uint32_t requested,
		    uint32_t server_id, uint32_t ciaddr, uint64_t now, struct dhcp_reply *reply)
{
	struct dhcp_request req = {
		.type = type, .xid = 0x1000 + mac_last, .requested_address = requested,
		.server_id = server_id, .ciaddr = ciaddr,
		.mac = { 0x02, 0, 0, 0, 0, mac_last },
	};
	uint8_t msg[DHCP_MAX_MSG_LEN], out[DHCP_MAX_MSG_LEN];
	int len = dhcp_packet_build(&req, msg, sizeof(msg));
	int n = dhcp_server_handle(server, msg, len, now, out, sizeof(out));

	if (n <= 0)
		return n;
	CHECK_INT(dhcp_packet_parse(out, n, reply), 0);
	CHECK_INT(reply->xid, req.xid);
	return reply->type;
}

#define A(s) inet_addr(s)
#define SERVER A("192.168.7.1")

static void test_discover_request(void)
{
	struct dhcp_reply r;

	server = new_server(0xc0a80764, 0xc0a80766);	/* .100 – .102 */
	CHECK_INT(send_msg(DHCP_DISCOVER, 1, 0, 0, 0, 0, &r), DHCP_OFFER);
	CHECK_INT(r.lease.address, A("192.168.7.100"));
	CHECK_INT(r.lease.prefix_len, 24);
	CHECK_INT(r.lease.router, SERVER);
	CHECK_INT(r.lease.server_id, SERVER);
	CHECK_INT(r.lease.n_dns, 1);
	CHECK_STR(r.lease.domain, "tether.lan");
	CHECK_INT(r.lease.lease_time, 3600);
	CHECK_INT(send_msg(DHCP_REQUEST, 1, A("192.168.7.100"), SERVER, 0, 1, &r), DHCP_ACK);
	CHECK_INT(r.lease.address, A("192.168.7.100"));
	CHECK_INT(lease_events, 1);
	/* A second client gets another address; a request for a taken one is refused. */
	CHECK_INT(send_msg(DHCP_DISCOVER, 2, A("192.168.7.100"), 0, 0, 2, &r), DHCP_OFFER);
	CHECK_INT(r.lease.address, A("192.168.7.101"));
	CHECK_INT(send_msg(DHCP_REQUEST, 2, A("192.168.7.100"), SERVER, 0, 3, &r), DHCP_NAK);
	/* Renewing (ciaddr) and INIT-REBOOT of one's own address: ACK. */
	CHECK_INT(send_msg(DHCP_REQUEST, 1, 0, 0, A("192.168.7.100"), 1000, &r), DHCP_ACK);
	CHECK_INT(send_msg(DHCP_REQUEST, 1, A("192.168.7.100"), 0, 0, 1001, &r), DHCP_ACK);
	/* INIT-REBOOT elsewhere: NAK. */
	CHECK_INT(send_msg(DHCP_REQUEST, 2, A("10.9.9.9"), 0, 0, 1002, &r), DHCP_NAK);
	dhcp_server_free(server);
}

static void test_same_address_back(void)
{
	struct dhcp_reply r;

	server = new_server(0xc0a80764, 0xc0a80766);
	send_msg(DHCP_DISCOVER, 1, 0, 0, 0, 0, &r);
	send_msg(DHCP_REQUEST, 1, A("192.168.7.100"), SERVER, 0, 0, &r);
	/* Released, then back after others came: the same address. */
	CHECK_INT(send_msg(DHCP_RELEASE, 1, 0, SERVER, A("192.168.7.100"), 10, &r), 0);
	CHECK_INT(send_msg(DHCP_DISCOVER, 2, 0, 0, 0, 11, &r), DHCP_OFFER);
	CHECK_INT(r.lease.address, A("192.168.7.101"));
	CHECK_INT(send_msg(DHCP_DISCOVER, 1, 0, 0, 0, 12, &r), DHCP_OFFER);
	CHECK_INT(r.lease.address, A("192.168.7.100"));
	dhcp_server_free(server);
}

static void test_exhaustion_expiry_decline(void)
{
	struct dhcp_reply r;

	server = new_server(0xc0a80764, 0xc0a80765);	/* two addresses */
	send_msg(DHCP_DISCOVER, 1, 0, 0, 0, 0, &r);
	send_msg(DHCP_REQUEST, 1, r.lease.address, SERVER, 0, 0, &r);
	send_msg(DHCP_DISCOVER, 2, 0, 0, 0, 0, &r);
	send_msg(DHCP_REQUEST, 2, r.lease.address, SERVER, 0, 0, &r);
	CHECK_INT(send_msg(DHCP_DISCOVER, 3, 0, 0, 0, 5, &r), 0);	/* full: silence */
	/* Leases expire: the third client is served. */
	CHECK_INT(send_msg(DHCP_DISCOVER, 3, 0, 0, 0, 4000, &r), DHCP_OFFER);
	/* It declines (the address is in use on the link): held back, another one offered. */
	CHECK_INT(send_msg(DHCP_DECLINE, 3, r.lease.address, SERVER, 0, 4001, &r), 0);
	CHECK_INT(send_msg(DHCP_DISCOVER, 3, 0, 0, 0, 4002, &r), DHCP_OFFER);
	CHECK(r.lease.address != 0);
	dhcp_server_free(server);
}

/* Tethering moved from 192.168.3.0/24: a client still holding a lease
 * there is refused in the name of the server that leased it (busybox udhcpc
 * ignores a DHCPNAK from any other), so it starts over at once. */
static void test_moved_subnet(void)
{
	struct dhcp_server_config c = {
		.address = SERVER, .prefix_len = 24,
		.range_start = A("192.168.7.100"), .range_end = A("192.168.7.102"),
		.lease_time = 3600, .router = SERVER,
		.previous_address = A("192.168.3.1"), .previous_prefix_len = 24,
	};
	struct dhcp_reply r;

	server = dhcp_server_new(&c, lease_changed, NULL);
	/* Rebinding (broadcast, ciaddr) and INIT-REBOOT (requested address). */
	CHECK_INT(send_msg(DHCP_REQUEST, 1, 0, 0, A("192.168.3.100"), 0, &r), DHCP_NAK);
	CHECK_INT(r.lease.server_id, A("192.168.3.1"));
	CHECK_INT(send_msg(DHCP_REQUEST, 1, A("192.168.3.100"), 0, 0, 1, &r), DHCP_NAK);
	CHECK_INT(r.lease.server_id, A("192.168.3.1"));
	/* Elsewhere the NAK is the server's own, and the new subnet is served. */
	CHECK_INT(send_msg(DHCP_REQUEST, 1, A("10.9.9.9"), 0, 0, 2, &r), DHCP_NAK);
	CHECK_INT(r.lease.server_id, SERVER);
	CHECK_INT(send_msg(DHCP_DISCOVER, 1, 0, 0, 0, 3, &r), DHCP_OFFER);
	CHECK_INT(send_msg(DHCP_REQUEST, 1, r.lease.address, SERVER, 0, 4, &r), DHCP_ACK);
	CHECK_INT(r.lease.address, A("192.168.7.100"));
	dhcp_server_free(server);
}

static void test_other_server_and_garbage(void)
{
	struct dhcp_reply r;
	uint8_t junk[300] = { 1, 1, 6 }, out[DHCP_MAX_MSG_LEN];

	server = new_server(0xc0a80764, 0xc0a80766);
	send_msg(DHCP_DISCOVER, 1, 0, 0, 0, 0, &r);
	/* The client chose another server's offer: no answer, our offer released. */
	CHECK_INT(send_msg(DHCP_REQUEST, 1, A("192.168.7.100"), A("192.168.7.254"), 0, 1, &r), 0);
	CHECK_INT(send_msg(DHCP_DISCOVER, 2, 0, 0, 0, 2, &r), DHCP_OFFER);
	CHECK_INT(r.lease.address, A("192.168.7.100"));
	CHECK_INT(dhcp_server_handle(server, junk, sizeof(junk), 3, out, sizeof(out)), -EBADMSG);
	CHECK_INT(dhcp_server_handle(server, junk, 10, 3, out, sizeof(out)), -EBADMSG);
	dhcp_server_free(server);
}

int main(void)
{
	test_discover_request();
	test_same_address_back();
	test_exhaustion_expiry_decline();
	test_moved_subnet();
	test_other_server_and_garbage();
	CHECK_DONE();
}
