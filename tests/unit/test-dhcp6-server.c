/* The stateless DHCPv6 server: Information-requests built by the client's
 * own codec are answered, and the Reply read back by the client's parser;
 * everything else gets nothing. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "check.h"
#include "dhcp6-server.h"

static const uint8_t client_mac[6] = { 0x02, 0, 0, 0, 0, 0x42 };
static const uint8_t server_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

static void config(struct dhcp6_server_config *c)
{
	memset(c, 0, sizeof(*c));
	dhcp6_duid_from_mac(&c->server_id, server_mac);
	inet_pton(AF_INET6, "fd12:3456:789a::1", &c->dns[0]);
	c->n_dns = 1;
	strcpy(c->domains[0], "lab");
	strcpy(c->domains[1], "corp.example");
	c->n_domains = 2;
}

static int request(enum dhcp6_msg_type type, const struct dhcp6_duid *server_id, bool ia,
		   uint8_t *buf, size_t size)
{
	static struct dhcp6_duid duid;
	struct dhcp6_request req = {
		.type = type, .xid = 0xabcdef, .client_id = &duid, .server_id = server_id,
		.ia_na = ia, .iaid = 7,
	};

	dhcp6_duid_from_mac(&duid, client_mac);
	return dhcp6_packet_build(&req, buf, size);
}

static void test_answered(void)
{
	struct dhcp6_server_config c;
	struct dhcp6_reply reply;
	struct dhcp6_duid client;
	uint8_t in[512], out[DHCP6_MAX_BUILD_LEN];
	char buf[INET6_ADDRSTRLEN];
	const char *why = "unset";
	int len, n;

	config(&c);
	n = request(DHCP6_INFORMATION_REQUEST, NULL, false, in, sizeof(in));
	CHECK(n > 0);
	len = dhcp6_server_handle(&c, in, n, out, sizeof(out), &why);
	CHECK(len > 0);
	CHECK(why == NULL);
	CHECK_INT(dhcp6_packet_parse(out, len, 0, &reply), 0);
	CHECK_INT(reply.type, DHCP6_REPLY);
	CHECK_INT(reply.xid, 0xabcdef);
	dhcp6_duid_from_mac(&client, client_mac);
	CHECK(dhcp6_duid_equal(&reply.client_id, &client));
	CHECK(dhcp6_duid_equal(&reply.server_id, &c.server_id));
	CHECK_INT(reply.n_dns, 1);
	CHECK_STR(inet_ntop(AF_INET6, &reply.dns[0], buf, sizeof(buf)), "fd12:3456:789a::1");
	CHECK_INT(reply.n_domains, 2);
	CHECK_STR(reply.domains[0], "lab");
	CHECK_STR(reply.domains[1], "corp.example");
	CHECK_INT(reply.info_refresh, DHCP6_SERVER_INFO_REFRESH);
	CHECK_INT(reply.dropped, 0);

	/* Addressed to this server by its ID: answered too. */
	n = request(DHCP6_INFORMATION_REQUEST, &c.server_id, false, in, sizeof(in));
	CHECK(dhcp6_server_handle(&c, in, n, out, sizeof(out), &why) > 0);
}

/* Without a client ID (RFC 8415 allows it in an Information-request). */
static void test_no_client_id(void)
{
	static const uint8_t in[] = { DHCP6_INFORMATION_REQUEST, 1, 2, 3, 0, 8, 0, 2, 0, 0 };
	struct dhcp6_server_config c;
	struct dhcp6_reply reply;
	uint8_t out[DHCP6_MAX_BUILD_LEN];
	const char *why;
	int len;

	config(&c);
	len = dhcp6_server_handle(&c, in, sizeof(in), out, sizeof(out), &why);
	CHECK(len > 0);
	CHECK_INT(dhcp6_packet_parse(out, len, 0, &reply), 0);
	CHECK_INT(reply.xid, 0x010203);
	CHECK_INT(reply.client_id.len, 0);
	CHECK_INT(reply.n_dns, 1);
}

static void test_ignored(void)
{
	static const uint8_t other_mac[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	static const uint8_t cut[] = { DHCP6_INFORMATION_REQUEST, 1, 2, 3, 0, 1, 0, 10, 0 };
	static const uint8_t reply_type[] = { DHCP6_REPLY, 1, 2, 3 };
	struct dhcp6_server_config c;
	struct dhcp6_duid other;
	uint8_t in[512], out[DHCP6_MAX_BUILD_LEN];
	const char *why;
	int n;

	config(&c);
	dhcp6_duid_from_mac(&other, other_mac);
	n = request(DHCP6_SOLICIT, NULL, true, in, sizeof(in));
	CHECK_INT(dhcp6_server_handle(&c, in, n, out, sizeof(out), &why), 0);
	CHECK_STR(why, "not an Information-request (stateless server)");
	n = request(DHCP6_INFORMATION_REQUEST, NULL, true, in, sizeof(in));
	CHECK_INT(dhcp6_server_handle(&c, in, n, out, sizeof(out), &why), 0);
	CHECK_STR(why, "an Information-request with an IA");
	n = request(DHCP6_INFORMATION_REQUEST, &other, false, in, sizeof(in));
	CHECK_INT(dhcp6_server_handle(&c, in, n, out, sizeof(out), &why), 0);
	CHECK_STR(why, "an Information-request for another server");
	CHECK_INT(dhcp6_server_handle(&c, cut, sizeof(cut), out, sizeof(out), &why), 0);
	CHECK_STR(why, "malformed");
	CHECK_INT(dhcp6_server_handle(&c, reply_type, sizeof(reply_type), out, sizeof(out), &why), 0);
	CHECK_STR(why, "malformed");
	CHECK_INT(dhcp6_server_handle(&c, in, 3, out, sizeof(out), &why), 0);
}

static void test_build_limits(void)
{
	struct dhcp6_server_config c;
	uint8_t in[512], out[DHCP6_MAX_BUILD_LEN];
	const char *why;
	int n;

	config(&c);
	n = request(DHCP6_INFORMATION_REQUEST, NULL, false, in, sizeof(in));
	CHECK_INT(dhcp6_server_handle(&c, in, n, out, 20, &why), -ENOSPC);
	strcpy(c.domains[0], "bad..name");
	CHECK_INT(dhcp6_server_handle(&c, in, n, out, sizeof(out), &why), -EINVAL);
	c.server_id.len = 0;
	CHECK_INT(dhcp6_server_handle(&c, in, n, out, sizeof(out), &why), -EINVAL);
}

int main(void)
{
	test_answered();
	test_no_client_id();
	test_ignored();
	test_build_limits();
	CHECK_DONE();
}
