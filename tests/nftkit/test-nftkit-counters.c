// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Named counters with real traffic: a uid -> mark map and a mark -> counter
 * map count our own UDP packets on loopback; read one by name, dump all
 * (callback and array), reset on read.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nftkit-test.h"

static void setup(struct nftkit *nk, uint32_t uid)
{
	struct nftkit_tx *tx = nftkit_tx_new(nk);
	struct nftkit_rule *r;
	struct nftkit_elem e;

	CHECK_OK(nftkit_tx_add_table(tx, NFTKIT_INET, "k", 0));
	CHECK_OK(nftkit_tx_add_counter(tx, "s256"));
	CHECK_OK(nftkit_tx_add_counter(tx, "udp"));
	CHECK_OK(nftkit_tx_add_counter(tx, "unused"));
	/* map m { type uid : mark; elements = { <uid> : 0x100 } } */
	CHECK_OK(nftkit_tx_add_set(tx, "m", &(struct nftkit_set_spec){
		.key = { NFTKIT_TYPE_UID }, .data = NFTKIT_TYPE_MARK }));
	CHECK_OK(nftkit_tx_add_elem_u32(tx, "m", uid, 0x100));
	/* map cm { type mark : counter; elements = { 0x100 : "s256" } } */
	CHECK_OK(nftkit_tx_add_set(tx, "cm", &(struct nftkit_set_spec){
		.key = { NFTKIT_TYPE_MARK }, .data = NFTKIT_TYPE_COUNTER }));
	nftkit_elem_init(&e);
	nftkit_elem_key(&e, NFTKIT_TYPE_MARK, 0x100);
	strcpy(e.obj, "s256");
	CHECK_OK(nftkit_tx_add_elems(tx, "cm", &e, 1));
	CHECK_OK(nftkit_tx_add_chain(tx, "out", &(struct nftkit_base_chain){
		.type = "route", .hook = NFTKIT_HOOK_OUTPUT, .priority = -150 }));
	/* udp dport 9999 counter name "udp" */
	r = nftkit_rule_new();
	nftkit_match_port(r, NFTKIT_UDP_DPORT, 9999);
	nftkit_counter_named(r, "udp");
	CHECK_OK(nftkit_tx_add_rule(tx, "out", r));
	nftkit_rule_free(r);
	/* udp dport 9999 meta mark set meta skuid map @m */
	r = nftkit_rule_new();
	nftkit_match_port(r, NFTKIT_UDP_DPORT, 9999);
	nftkit_meta(r, NFTKIT_META_SKUID);
	nftkit_map(r, "m", NFTKIT_TYPE_MARK);
	nftkit_set_meta(r, NFTKIT_META_MARK);
	CHECK_OK(nftkit_tx_add_rule(tx, "out", r));
	nftkit_rule_free(r);
	/* counter name meta mark map @cm */
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_counter_map(r, "cm");
	CHECK_OK(nftkit_tx_add_rule(tx, "out", r));
	nftkit_rule_free(r);
	CHECK_OK(test_commit(tx));
	nftkit_tx_free(tx);
}

/* n UDP datagrams of 64 bytes to 127.0.0.1:9999, where we listen. */
static void send_udp(int n)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9999),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0), i;
	char buf[64] = { 0 };

	CHECK(rx >= 0 && tx >= 0);
	CHECK(bind(rx, (struct sockaddr *)&a, sizeof(a)) == 0);
	for (i = 0; i < n; i++)
		CHECK(sendto(tx, buf, sizeof(buf), 0, (struct sockaddr *)&a, sizeof(a)) == 64);
	for (i = 0; i < n; i++)
		CHECK(recv(rx, buf, sizeof(buf), 0) == 64);
	close(rx);
	close(tx);
}

struct seen {
	uint64_t s256, udp, unused;
	int n;
};

static int seen_cb(const char *name, uint64_t packets, uint64_t bytes, void *data)
{
	struct seen *s = data;

	s->n++;
	if (!strcmp(name, "s256"))
		s->s256 = packets;
	else if (!strcmp(name, "udp"))
		s->udp = packets;
	else if (!strcmp(name, "unused"))
		s->unused = packets + bytes;
	return 0;
}

int main(void)
{
	struct nftkit_counter arr[2];
	struct nftkit *nk;
	struct seen s = { 0 };
	uint64_t pkts = 0, bytes = 0;

	test_enter_netns();
	if (system("ip link set lo up")) {
		fprintf(stderr, "ip link set lo up failed\n");
		return 1;
	}
	nk = nftkit_new();
	if (!nk)
		return 1;
	setup(nk, getuid());
	send_udp(10);

	/* one counter by name: 10 packets of 20 + 8 + 64 bytes */
	CHECK_OK(nftkit_counter_get(nk, NFTKIT_INET, "k", "s256", false, &pkts, &bytes));
	CHECK(pkts == 10 && bytes == 920);
	CHECK(nftkit_counter_get(nk, NFTKIT_INET, "k", "nope", false, &pkts, &bytes) == -ENOENT);
	test_expect_output("nft list counter inet k s256 | grep packets",
			   "\t\tpackets 10 bytes 920\n");
	/* all counters, one request */
	CHECK_OK(nftkit_counters_dump(nk, NFTKIT_INET, "k", false, seen_cb, &s));
	CHECK(s.n == 3 && s.s256 == 10 && s.udp == 10 && s.unused == 0);
	/* array form: returns the total even when the array is smaller */
	CHECK(nftkit_counters_read(nk, NFTKIT_INET, "k", false, arr, 2) == 3);
	CHECK(!strcmp(arr[0].name, "s256") || !strcmp(arr[1].name, "s256"));
	/* reset on read: values returned, then zero */
	memset(&s, 0, sizeof(s));
	CHECK_OK(nftkit_counters_dump(nk, NFTKIT_INET, "k", true, seen_cb, &s));
	CHECK(s.s256 == 10 && s.udp == 10);
	CHECK_OK(nftkit_counter_get(nk, NFTKIT_INET, "k", "s256", false, &pkts, &bytes));
	CHECK(pkts == 0 && bytes == 0);
	send_udp(3);
	CHECK_OK(nftkit_counter_get(nk, NFTKIT_INET, "k", "udp", true, &pkts, &bytes));
	CHECK(pkts == 3);
	CHECK_OK(nftkit_counter_get(nk, NFTKIT_INET, "k", "udp", false, &pkts, &bytes));
	CHECK(pkts == 0);
	test_expect_output("nft list counter inet k s256 | grep packets",
			   "\t\tpackets 3 bytes 276\n");
	nftkit_free(nk);
	return test_result("test-nftkit-counters");
}
