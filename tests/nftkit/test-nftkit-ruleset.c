// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Builds one ruleset with every kind of object and expression libnftkit
 * offers, commits it, and checks what the kernel holds three ways: the nft
 * tool's text and JSON output, and libnftkit's own listing.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <linux/netfilter/nf_tables.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nftkit-test.h"

static char cgroup_path[512];

/* `nft list ruleset` after the commit; %s is the cgroup as nft prints it */
static const char expected_text[] =
	"table inet t {\n"
	"\tcounter c1 {\n"
	"\t\tpackets 0 bytes 0\n"
	"\t}\n"
	"\n"
	"\tquota q1 {\n"
	"\t\tover 1000000 bytes\n"
	"\t}\n"
	"\n"
	"\tset uids {\n"
	"\t\ttype uid\n"
	"\t\telements = { 1000, 1001 }\n"
	"\t}\n"
	"\n"
	"\tset nets {\n"
	"\t\ttype ipv4_addr\n"
	"\t\tflags interval\n"
	"\t\telements = { 10.0.0.0/8, 192.168.1.0/24 }\n"
	"\t}\n"
	"\n"
	"\tmap vm {\n"
	"\t\ttype mark : verdict\n"
	"\t\telements = { 0x00000001 : accept, 0x00000002 : jump sub }\n"
	"\t}\n"
	"\n"
	"\tmap m {\n"
	"\t\ttype uid : mark\n"
	"\t\telements = { 1000 : 0x00000010 }\n"
	"\t}\n"
	"\n"
	"\tmap cm {\n"
	"\t\ttype mark : counter\n"
	"\t\telements = { 0x00000010 : \"c1\" }\n"
	"\t}\n"
	"\n"
	"\tset pairs {\n"
	"\t\ttype ipv4_addr . mark\n"
	"\t\telements = { 10.1.2.3 . 0x00000007 comment \"pair one\" }\n"
	"\t}\n"
	"\n"
	"\tset dyn {\n"
	"\t\ttype ipv4_addr\n"
	"\t\tsize 1024\n"
	"\t\tflags dynamic,timeout\n"
	"\t\ttimeout 1m\n"
	"\t}\n"
	"\n"
	"\tset ifs {\n"
	"\t\ttype ifname\n"
	"\t\telements = { \"eth0\" }\n"
	"\t}\n"
	"\n"
	"\tset rpairs {\n"
	"\t\ttype mark . ipv4_addr\n"
	"\t}\n"
	"\n"
	"\tchain input {\n"
	"\t\ttype filter hook input priority filter + 10; policy drop;\n"
	"\t\tiifname \"lo\" accept comment \"loopback\"\n"
	"\t\tct state established,related accept\n"
	"\t\tip saddr 10.0.0.0/8 tcp dport 22 counter packets 0 bytes 0 accept\n"
	"\t\tip6 daddr fd00::1 udp dport 53 jump sub\n"
	"\t\toifname \"wl*\" ip daddr != 192.168.0.0/16 drop\n"
	"\t\tmeta skuid @uids accept\n"
	"\t\tip saddr != @nets drop\n"
	"\t\tip saddr . meta mark @pairs accept\n"
	"\t\tmeta mark . ip saddr @rpairs accept\n"
	"\t\tmeta mark vmap @vm\n"
	"\t\tadd @dyn { ip saddr }\n"
	"\t\tlimit rate 10/second log prefix \"lim \" counter name \"c1\" quota name \"q1\"\n"
	"\t\tfib daddr type local accept\n"
	"\t\tsocket cgroupv2 level 2 \"%s\" accept\n"
	"\t\tmeta l4proto tcp reject with tcp reset\n"
	"\t\treject\n"
	"\t}\n"
	"\n"
	"\tchain pre {\n"
	"\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
	"\t\tip daddr 10.9.9.9 tcp dport 80 dnat ip to 10.0.0.2:8080\n"
	"\t}\n"
	"\n"
	"\tchain post {\n"
	"\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
	"\t\toifname \"eth0\" snat ip to 1.2.3.4\n"
	"\t\tip saddr 192.168.42.0/24 oifname != \"tether0\" masquerade\n"
	"\t}\n"
	"\n"
	"\tchain out {\n"
	"\t\ttype route hook output priority mangle; policy accept;\n"
	"\t\tmeta mark set meta skuid map @m\n"
	"\t\tcounter name meta mark map @cm\n"
	"\t\tct mark set meta mark\n"
	"\t\tmeta skgid 100 meta mark set 0x00000020\n"
	"\t}\n"
	"\n"
	"\tchain sub {\n"
	"\t\tmeta nfproto ipv6 return\n"
	"\t\tudp dport 53 counter packets 0 bytes 0\n"
	"\t}\n"
	"}\n"
	"table ip t4 {\n"
	"\tchain fwd {\n"
	"\t\ttype filter hook forward priority filter; policy accept;\n"
	"\t\tip saddr 10.0.0.1 ct mark 0x00000005 accept\n"
	"\t}\n"
	"}\n"
	"table ip6 t6 {\n"
	"\tchain in {\n"
	"\t\ttype filter hook input priority filter; policy accept;\n"
	"\t\ttcp dport 22 reject\n"
	"\t}\n"
	"}\n"
	"table bridge tb {\n"
	"\tchain f {\n"
	"\t\ttype filter hook forward priority filter; policy accept;\n"
	"\t\tip daddr 1.1.1.1 drop\n"
	"\t}\n"
	"}\n"
	"table netdev tn {\n"
	"\tchain ing {\n"
	"\t\ttype filter hook ingress device \"lo\" priority filter; policy accept;\n"
	"\t\tudp dport 68 accept\n"
	"\t}\n"
	"}\n";


/* A cgroup two levels below the cgroup2 mount, wherever that is mounted. */
static void make_cgroup(void)
{
	char *mnt = test_run("awk '$9 == \"cgroup2\" { print $5; exit }' /proc/self/mountinfo");

	mnt[strcspn(mnt, "\n")] = 0;
	snprintf(cgroup_path, sizeof(cgroup_path), "%s/nftkit-test-%d", mnt, (int)getpid());
	free(mnt);
	mkdir(cgroup_path, 0755);
	strcat(cgroup_path, "/sub");
	if (mkdir(cgroup_path, 0755))
		perror(cgroup_path);
}

static void remove_cgroup(void)
{
	rmdir(cgroup_path);
	*strrchr(cgroup_path, '/') = 0;
	rmdir(cgroup_path);
}

static void add(struct nftkit_tx *tx, const char *chain, struct nftkit_rule *r)
{
	CHECK_OK(nftkit_tx_add_rule(tx, chain, r));
	nftkit_rule_free(r);
}

static void build_inet(struct nftkit_tx *tx)
{
	struct nftkit_rule *r;
	struct nftkit_elem e[3];
	int prio;

	CHECK_OK(nftkit_tx_add_table(tx, NFTKIT_INET, "t", 0));
	CHECK_OK(nftkit_priority(NFTKIT_INET, "filter + 10", &prio));
	CHECK_OK(nftkit_tx_add_chain(tx, "input", &(struct nftkit_base_chain){
		.type = "filter", .hook = NFTKIT_HOOK_INPUT, .priority = prio,
		.policy = NFTKIT_POLICY_DROP }));
	CHECK_OK(nftkit_priority(NFTKIT_INET, "dstnat", &prio));
	CHECK_OK(nftkit_tx_add_chain(tx, "pre", &(struct nftkit_base_chain){
		.type = "nat", .hook = NFTKIT_HOOK_PREROUTING, .priority = prio }));
	CHECK_OK(nftkit_tx_add_chain(tx, "post", &(struct nftkit_base_chain){
		.type = "nat", .hook = NFTKIT_HOOK_POSTROUTING, .priority = 100 }));
	CHECK_OK(nftkit_tx_add_chain(tx, "out", &(struct nftkit_base_chain){
		.type = "route", .hook = NFTKIT_HOOK_OUTPUT, .priority = -150 }));
	CHECK_OK(nftkit_tx_add_chain(tx, "sub", NULL));
	CHECK_OK(nftkit_tx_add_counter(tx, "c1"));
	CHECK_OK(nftkit_tx_add_quota(tx, "q1", 1000000, NFTKIT_QUOTA_OVER));

	/* set uids { type uid; } with 1000, 1001 */
	CHECK_OK(nftkit_tx_add_set(tx, "uids", &(struct nftkit_set_spec){ .key = { NFTKIT_TYPE_UID } }));
	nftkit_elem_init(&e[0]);
	nftkit_elem_key(&e[0], NFTKIT_TYPE_UID, 1000);
	nftkit_elem_init(&e[1]);
	nftkit_elem_key(&e[1], NFTKIT_TYPE_UID, 1001);
	CHECK_OK(nftkit_tx_add_elems(tx, "uids", e, 2));
	/* set nets { type ipv4_addr; flags interval; } with 10.0.0.0/8, 192.168.1.0/24 */
	CHECK_OK(nftkit_tx_add_set(tx, "nets", &(struct nftkit_set_spec){
		.key = { NFTKIT_TYPE_IPV4 }, .flags = NFTKIT_SET_INTERVAL }));
	nftkit_elem_init(&e[0]);
	CHECK_OK(nftkit_elem_key_prefix(&e[0], NFTKIT_TYPE_IPV4, "10.0.0.0/8"));
	nftkit_elem_init(&e[1]);
	CHECK_OK(nftkit_elem_key_prefix(&e[1], NFTKIT_TYPE_IPV4, "192.168.1.0/24"));
	CHECK_OK(nftkit_tx_add_elems(tx, "nets", e, 2));
	/* map vm { type mark : verdict; } with 1 : accept, 2 : jump sub */
	CHECK_OK(nftkit_tx_add_set(tx, "vm", &(struct nftkit_set_spec){
		.key = { NFTKIT_TYPE_MARK }, .data = NFTKIT_TYPE_VERDICT }));
	nftkit_elem_init(&e[0]);
	nftkit_elem_key(&e[0], NFTKIT_TYPE_MARK, 1);
	e[0].verdict = NFTKIT_ACCEPT;
	nftkit_elem_init(&e[1]);
	nftkit_elem_key(&e[1], NFTKIT_TYPE_MARK, 2);
	e[1].verdict = NFTKIT_JUMP;
	strcpy(e[1].chain, "sub");
	CHECK_OK(nftkit_tx_add_elems(tx, "vm", e, 2));
	/* map m { type uid : mark; } with 1000 : 0x10 */
	CHECK_OK(nftkit_tx_add_set(tx, "m", &(struct nftkit_set_spec){
		.key = { NFTKIT_TYPE_UID }, .data = NFTKIT_TYPE_MARK }));
	CHECK_OK(nftkit_tx_add_elem_u32(tx, "m", 1000, 0x10));
	/* map cm { type mark : counter; } with 0x10 : "c1" */
	CHECK_OK(nftkit_tx_add_set(tx, "cm", &(struct nftkit_set_spec){
		.key = { NFTKIT_TYPE_MARK }, .data = NFTKIT_TYPE_COUNTER }));
	nftkit_elem_init(&e[0]);
	nftkit_elem_key(&e[0], NFTKIT_TYPE_MARK, 0x10);
	strcpy(e[0].obj, "c1");
	CHECK_OK(nftkit_tx_add_elems(tx, "cm", e, 1));
	/* set pairs { type ipv4_addr . mark; } with 10.1.2.3 . 0x7 */
	CHECK_OK(nftkit_tx_add_set(tx, "pairs", &(struct nftkit_set_spec){
		.key = { NFTKIT_TYPE_IPV4, NFTKIT_TYPE_MARK } }));
	nftkit_elem_init(&e[0]);
	CHECK_OK(nftkit_elem_key_str(&e[0], NFTKIT_TYPE_IPV4, "10.1.2.3"));
	CHECK_OK(nftkit_elem_key(&e[0], NFTKIT_TYPE_MARK, 7));
	strcpy(e[0].comment, "pair one");
	CHECK_OK(nftkit_tx_add_elems(tx, "pairs", e, 1));
	/* set dyn { type ipv4_addr; flags dynamic,timeout; timeout 1m; } */
	CHECK_OK(nftkit_tx_add_set(tx, "dyn", &(struct nftkit_set_spec){
		.key = { NFTKIT_TYPE_IPV4 }, .flags = NFTKIT_SET_DYNAMIC | NFTKIT_SET_TIMEOUT,
		.timeout_ms = 60000, .size = 1024 }));
	/* set ifs { type ifname; } with "eth0" */
	CHECK_OK(nftkit_tx_add_set(tx, "ifs", &(struct nftkit_set_spec){ .key = { NFTKIT_TYPE_IFNAME } }));
	nftkit_elem_init(&e[0]);
	CHECK_OK(nftkit_elem_key_str(&e[0], NFTKIT_TYPE_IFNAME, "eth0"));
	e[0].timeout_ms = 0;
	CHECK_OK(nftkit_tx_add_elems(tx, "ifs", e, 1));

	/* iifname "lo" accept comment "loopback" */
	r = nftkit_rule_new();
	nftkit_match_ifname(r, NFTKIT_META_IIFNAME, NFTKIT_EQ, "lo");
	nftkit_accept(r);
	nftkit_rule_comment(r, "loopback");
	add(tx, "input", r);
	/* ct state established,related accept */
	r = nftkit_rule_new();
	nftkit_match_ct_state(r, NFTKIT_CT_ESTABLISHED | NFTKIT_CT_RELATED);
	nftkit_accept(r);
	add(tx, "input", r);
	/* ip saddr 10.0.0.0/8 tcp dport 22 counter accept */
	r = nftkit_rule_new();
	nftkit_match_addr(r, NFTKIT_IP_SADDR, NFTKIT_EQ, "10.0.0.0/8");
	nftkit_match_port(r, NFTKIT_TCP_DPORT, 22);
	nftkit_counter(r);
	nftkit_accept(r);
	add(tx, "input", r);
	/* ip6 daddr fd00::1 udp dport 53 jump sub */
	r = nftkit_rule_new();
	nftkit_match_addr(r, NFTKIT_IP6_DADDR, NFTKIT_EQ, "fd00::1");
	nftkit_match_port(r, NFTKIT_UDP_DPORT, 53);
	nftkit_jump(r, "sub");
	add(tx, "input", r);
	/* oifname "wl*" ip daddr != 192.168.0.0/16 drop */
	r = nftkit_rule_new();
	nftkit_match_ifname(r, NFTKIT_META_OIFNAME, NFTKIT_EQ, "wl*");
	nftkit_match_addr(r, NFTKIT_IP_DADDR, NFTKIT_NE, "192.168.0.0/16");
	nftkit_drop(r);
	add(tx, "input", r);
	/* meta skuid @uids accept */
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_SKUID);
	nftkit_lookup(r, "uids", false);
	nftkit_accept(r);
	add(tx, "input", r);
	/* ip saddr != @nets drop */
	r = nftkit_rule_new();
	nftkit_payload(r, NFTKIT_IP_SADDR);
	nftkit_lookup(r, "nets", true);
	nftkit_drop(r);
	add(tx, "input", r);
	/* ip saddr . meta mark @pairs accept */
	r = nftkit_rule_new();
	nftkit_payload(r, NFTKIT_IP_SADDR);
	nftkit_concat(r);
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_lookup(r, "pairs", false);
	nftkit_accept(r);
	add(tx, "input", r);
	/* meta mark . ip saddr { 0x00000007 . 10.1.2.3 } accept (the ipv4 guard in another register) */
	CHECK_OK(nftkit_tx_add_set(tx, "rpairs", &(struct nftkit_set_spec){
		.key = { NFTKIT_TYPE_MARK, NFTKIT_TYPE_IPV4 } }));
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_concat(r);
	nftkit_payload(r, NFTKIT_IP_SADDR);
	nftkit_lookup(r, "rpairs", false);
	nftkit_accept(r);
	add(tx, "input", r);
	/* meta mark vmap @vm */
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_vmap(r, "vm");
	add(tx, "input", r);
	/* add @dyn { ip saddr } */
	r = nftkit_rule_new();
	nftkit_payload(r, NFTKIT_IP_SADDR);
	nftkit_dynset(r, "dyn", false, 0);
	add(tx, "input", r);
	/* limit rate 10/second burst 5 packets log prefix "lim " counter name "c1" quota name "q1" */
	r = nftkit_rule_new();
	nftkit_limit(r, 10, 1, 5);
	nftkit_log(r, "lim ");
	nftkit_counter_named(r, "c1");
	nftkit_quota_named(r, "q1");
	add(tx, "input", r);
	/* fib daddr type local accept */
	r = nftkit_rule_new();
	nftkit_fib(r, NFTA_FIB_F_DADDR, NFT_FIB_RESULT_ADDRTYPE);
	nftkit_cmp(r, NFTKIT_EQ, 2 /* RTN_LOCAL */);
	nftkit_accept(r);
	add(tx, "input", r);
	/* socket cgroupv2 level N <our cgroup> accept */
	r = nftkit_rule_new();
	nftkit_match_cgroupv2(r, cgroup_path);
	nftkit_accept(r);
	add(tx, "input", r);
	/* meta l4proto tcp reject with tcp reset */
	r = nftkit_rule_new();
	nftkit_reject_tcp_reset(r);
	add(tx, "input", r);
	/* reject */
	r = nftkit_rule_new();
	nftkit_reject(r);
	add(tx, "input", r);
	/* sub: meta nfproto ipv6 return ; meta l4proto udp th dport 53 counter */
	r = nftkit_rule_new();
	nftkit_match_meta(r, NFTKIT_META_NFPROTO, 10);
	nftkit_return(r);
	add(tx, "sub", r);
	r = nftkit_rule_new();
	nftkit_match_meta(r, NFTKIT_META_L4PROTO, 17);
	nftkit_payload(r, NFTKIT_TH_DPORT);
	nftkit_cmp(r, NFTKIT_EQ, 53);
	nftkit_counter(r);
	add(tx, "sub", r);
	/* pre: ip daddr 10.9.9.9 tcp dport 80 dnat ip to 10.0.0.2:8080 */
	r = nftkit_rule_new();
	nftkit_match_addr(r, NFTKIT_IP_DADDR, NFTKIT_EQ, "10.9.9.9");
	nftkit_match_port(r, NFTKIT_TCP_DPORT, 80);
	nftkit_dnat(r, NFTKIT_IP, "10.0.0.2", 8080);
	add(tx, "pre", r);
	/* post: oifname "eth0" snat ip to 1.2.3.4 ; ip saddr 192.168.42.0/24 oifname != "tether0" masquerade */
	r = nftkit_rule_new();
	nftkit_match_ifname(r, NFTKIT_META_OIFNAME, NFTKIT_EQ, "eth0");
	nftkit_snat(r, NFTKIT_IP, "1.2.3.4", 0);
	add(tx, "post", r);
	r = nftkit_rule_new();
	nftkit_match_addr(r, NFTKIT_IP_SADDR, NFTKIT_EQ, "192.168.42.0/24");
	nftkit_match_ifname(r, NFTKIT_META_OIFNAME, NFTKIT_NE, "tether0");
	nftkit_masquerade(r);
	add(tx, "post", r);
	/* out: meta mark set meta skuid map @m ; counter name meta mark map @cm ; ct mark set meta mark ;
	 *      meta skgid 100 meta mark set 0x00000020 */
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_SKUID);
	nftkit_map(r, "m", NFTKIT_TYPE_MARK);
	nftkit_set_meta(r, NFTKIT_META_MARK);
	add(tx, "out", r);
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_counter_map(r, "cm");
	add(tx, "out", r);
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_set_ct(r, NFTKIT_CT_MARK);
	add(tx, "out", r);
	r = nftkit_rule_new();
	nftkit_match_meta(r, NFTKIT_META_SKGID, 100);
	nftkit_set_meta_u32(r, NFTKIT_META_MARK, 0x20);
	add(tx, "out", r);
}

static void build_other_families(struct nftkit_tx *tx)
{
	struct nftkit_rule *r;

	/* table ip t4 { chain fwd { type filter hook forward priority 0; ip saddr 10.0.0.1 ct mark 0x5 accept } } */
	CHECK_OK(nftkit_tx_add_table(tx, NFTKIT_IP, "t4", 0));
	CHECK_OK(nftkit_tx_add_chain(tx, "fwd", &(struct nftkit_base_chain){
		.type = "filter", .hook = NFTKIT_HOOK_FORWARD }));
	r = nftkit_rule_new();
	nftkit_match_addr(r, NFTKIT_IP_SADDR, NFTKIT_EQ, "10.0.0.1");
	nftkit_match_ct_mark(r, 5);
	nftkit_accept(r);
	add(tx, "fwd", r);
	/* table ip6 t6 { chain in { type filter hook input priority 0; tcp dport 22 reject } } */
	CHECK_OK(nftkit_tx_add_table(tx, NFTKIT_IP6, "t6", 0));
	CHECK_OK(nftkit_tx_add_chain(tx, "in", &(struct nftkit_base_chain){
		.type = "filter", .hook = NFTKIT_HOOK_INPUT }));
	r = nftkit_rule_new();
	nftkit_match_port(r, NFTKIT_TCP_DPORT, 22);
	nftkit_reject(r);
	add(tx, "in", r);
	/* table bridge tb { chain f { type filter hook forward priority filter; ip daddr 1.1.1.1 drop } } */
	CHECK_OK(nftkit_tx_add_table(tx, NFTKIT_BRIDGE, "tb", 0));
	CHECK_OK(nftkit_tx_add_chain(tx, "f", &(struct nftkit_base_chain){
		.type = "filter", .hook = NFTKIT_HOOK_FORWARD, .priority = -200 }));
	r = nftkit_rule_new();
	nftkit_match_addr(r, NFTKIT_IP_DADDR, NFTKIT_EQ, "1.1.1.1");
	nftkit_drop(r);
	add(tx, "f", r);
	/* table netdev tn { chain ing { type filter hook ingress device "lo" priority 0; udp dport 68 accept } } */
	CHECK_OK(nftkit_tx_add_table(tx, NFTKIT_NETDEV, "tn", 0));
	CHECK_OK(nftkit_tx_add_chain(tx, "ing", &(struct nftkit_base_chain){
		.type = "filter", .hook = NFTKIT_HOOK_INGRESS, .device = "lo" }));
	r = nftkit_rule_new();
	nftkit_match_port(r, NFTKIT_UDP_DPORT, 68);
	nftkit_accept(r);
	add(tx, "ing", r);
}

/* ---- the same summary from libnftkit's listing as nft-json-summary.py prints ---- */

struct summary {
	char *buf;
	size_t len;
};

static const char *family_name(enum nftkit_family f)
{
	switch (f) {
	case NFTKIT_INET: return "inet";
	case NFTKIT_IP: return "ip";
	case NFTKIT_IP6: return "ip6";
	case NFTKIT_BRIDGE: return "bridge";
	case NFTKIT_NETDEV: return "netdev";
	case NFTKIT_ARP: return "arp";
	}
	return "?";
}

static const char *hook_name(enum nftkit_hook h)
{
	static const char *names[] = { "prerouting", "input", "forward", "output", "postrouting" };

	if (h == NFTKIT_HOOK_INGRESS)
		return "ingress";
	if (h == NFTKIT_HOOK_EGRESS)
		return "egress";
	return (unsigned int)h < 5 ? names[h] : "?";
}

static void line(struct summary *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(struct summary *s, const char *fmt, ...)
{
	va_list ap;

	s->buf = realloc(s->buf, s->len + 512);
	va_start(ap, fmt);
	s->len += (size_t)vsnprintf(s->buf + s->len, 511, fmt, ap);
	va_end(ap);
	s->buf[s->len++] = '\n';
	s->buf[s->len] = 0;
}

static int sum_table(const struct nftkit_table_info *t, void *data)
{
	line(data, "table %s %s %s", family_name(t->family), t->name,
	     t->flags & NFTKIT_TABLE_DORMANT ? "dormant" : "-");
	return 0;
}

static int sum_chain(const struct nftkit_chain_info *c, void *data)
{
	if (c->base)
		line(data, "chain %s %s %s %s %s %d %s", family_name(c->family), c->table, c->name,
		     c->type, hook_name(c->hook), c->priority,
		     c->policy == NFTKIT_POLICY_DROP ? "drop" : "accept");
	else
		line(data, "chain %s %s %s", family_name(c->family), c->table, c->name);
	return 0;
}

static int sum_rule(const struct nftkit_rule_info *r, void *data)
{
	line(data, "rule %s %s %s %llu %s", family_name(r->family), r->table, r->chain,
	     (unsigned long long)r->handle, r->comment ? r->comment : "-");
	if (strstr(r->exprs, "match") || strstr(r->exprs, "target"))
		line(data, "COMPAT EXPRESSION in %s: %s", r->chain, r->exprs);
	return 0;
}

static int sum_set(const struct nftkit_set_info *st, void *data)
{
	line(data, "set %s %s %s", family_name(st->family), st->table, st->name);
	return 0;
}

static int sum_obj(const struct nftkit_obj_info *o, void *data)
{
	line(data, "%s %s %s %s", o->kind == NFTKIT_KIND_COUNTER ? "counter" : "quota",
	     family_name(o->family), o->table, o->name);
	return 0;
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the lines of s, as the python side does. */
static char *sorted(struct summary *s)
{
	char **v = NULL, *p, *out = calloc(1, s->len + 2);
	size_t n = 0, i;

	for (p = strtok(s->buf, "\n"); p; p = strtok(NULL, "\n")) {
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n++] = p;
	}
	qsort(v, n, sizeof(*v), cmp_lines);
	for (i = 0; i < n; i++) {
		strcat(out, v[i]);
		strcat(out, "\n");
	}
	free(v);
	free(s->buf);
	return out;
}

static void check_readback(struct nftkit *nk)
{
	struct summary s = { calloc(1, 1), 0 };
	char *ours, *theirs;

	CHECK_OK(nftkit_list_tables(nk, 0, sum_table, &s));
	CHECK_OK(nftkit_list_chains(nk, 0, NULL, sum_chain, &s));
	CHECK_OK(nftkit_list_rules(nk, 0, NULL, NULL, sum_rule, &s));
	CHECK_OK(nftkit_list_sets(nk, 0, NULL, sum_set, &s));
	CHECK_OK(nftkit_list_objs(nk, 0, NULL, false, sum_obj, &s));
	ours = sorted(&s);
	theirs = test_run("nft -j list ruleset | " NFTKIT_TEST_SRCDIR "/nft-json-summary.py");
	if (strcmp(ours, theirs)) {
		failures++;
		fprintf(stderr, "nftkit listing differs from nft -j\n--- nftkit\n%s--- nft -j\n%s---\n",
			ours, theirs);
	}
	free(ours);
	free(theirs);
}

struct elem_count {
	int n, with_obj, with_verdict, with_comment;
};

static int count_elem(const struct nftkit_elem_info *e, void *data)
{
	struct elem_count *c = data;

	c->n++;
	c->with_obj += e->obj && !strcmp(e->obj, "c1");
	c->with_verdict += e->verdict == NFTKIT_JUMP && e->chain && !strcmp(e->chain, "sub");
	c->with_comment += e->comment && !strcmp(e->comment, "pair one");
	return 0;
}

static void check_elements(struct nftkit *nk)
{
	struct elem_count c = { 0 };

	CHECK_OK(nftkit_list_elems(nk, NFTKIT_INET, "t", "uids", count_elem, &c));
	CHECK(c.n == 2);
	CHECK_OK(nftkit_list_elems(nk, NFTKIT_INET, "t", "cm", count_elem, &c));
	CHECK(c.n == 3 && c.with_obj == 1);
	CHECK_OK(nftkit_list_elems(nk, NFTKIT_INET, "t", "vm", count_elem, &c));
	CHECK(c.n == 5 && c.with_verdict == 1);
	CHECK_OK(nftkit_list_elems(nk, NFTKIT_INET, "t", "pairs", count_elem, &c));
	CHECK(c.n == 6 && c.with_comment == 1);
	CHECK(nftkit_list_elems(nk, NFTKIT_INET, "t", "nope", count_elem, &c) == -ENOENT);
}

/* Separate: nft 1.0.6's JSON output stops at table flags. */
static void check_table_flags(struct nftkit *nk)
{
	struct nftkit_tx *tx = nftkit_tx_new(nk);

	/* table inet dormant { flags dormant; } table ip own { flags owner; } */
	CHECK_OK(nftkit_tx_add_table(tx, NFTKIT_INET, "dormant", NFTKIT_TABLE_DORMANT));
	CHECK_OK(nftkit_tx_add_table(tx, NFTKIT_IP, "own", NFTKIT_TABLE_OWNER));
	CHECK_OK(test_commit(tx));
	test_expect_output("nft list table inet dormant", "table inet dormant {\n\tflags dormant\n}\n");
	test_expect_output("nft list tables", "table inet t\ntable ip t4\ntable ip6 t6\n"
			   "table bridge tb\ntable netdev tn\ntable inet dormant\ntable ip own\n");
	/* flush and delete in one batch */
	CHECK_OK(nftkit_tx_flush_table(tx, NFTKIT_IP, "t4"));
	CHECK_OK(nftkit_tx_del_table(tx, NFTKIT_INET, "dormant"));
	CHECK_OK(test_commit(tx));
	test_expect_output("nft list table ip t4", "table ip t4 {\n\tchain fwd {\n"
			   "\t\ttype filter hook forward priority filter; policy accept;\n\t}\n}\n");
	nftkit_tx_free(tx);
	/* an owner table goes away with the socket that made it */
	nftkit_free(nk);
	test_expect_output("nft list tables | grep -c own", "0\n");
}

static char *cgroup_as_nft_prints(void)
{
	/* nft 1.0.6 names the cgroup relative to /sys/fs/cgroup */
	const char *p = cgroup_path;

	if (!strncmp(p, "/sys/fs/cgroup/", 15))
		p += 15;
	return strdup(p);
}

int main(void)
{
	struct nftkit *nk;
	struct nftkit_tx *tx;
	char *expected, *cg;

	test_enter_netns();
	make_cgroup();
	nk = nftkit_new();
	if (!nk)
		return 1;
	tx = nftkit_tx_new(nk);
	build_inet(tx);
	build_other_families(tx);
	CHECK_OK(test_commit(tx));
	nftkit_tx_free(tx);

	cg = cgroup_as_nft_prints();
	if (asprintf(&expected, expected_text, cg) < 0)
		abort();
	test_expect_output("nft list ruleset", expected);
	free(expected);
	free(cg);
	/* only native expressions: no xtables compat anywhere */
	test_expect_output("nft --debug=netlink list ruleset | grep -cE '\\[ (match|target) '", "0\n");
	system("nft -j list ruleset > /tmp/nftkit-debug.json 2>&1");
	check_readback(nk);
	check_elements(nk);
	check_table_flags(nk);	/* frees nk */

	remove_cgroup();
	return test_result("test-nftkit-ruleset");
}
