/* connd's session data path in the kernel (see src/sockmark.h).
 *
 * sock_create: a new inet socket of an application that has a session gets
 * that session's mark (slot | id, src/marks.h) before its first route
 * lookup, so the bearer's table and source address are chosen from the
 * start: no re-route, no masquerade. The application is recognised by its
 * cgroup v2 ancestry (deepest first), then its uid, then its gid: the order
 * the nftables fallback's rules give. The socket also keeps, in its own
 * storage, the number connd gave that session when it started.
 *
 * Counting: bytes (the IP packet's) and packets per session, in the
 * counters entry its socket's mark's id names, when that entry still holds
 * the session the socket was marked for; no conntrack. What a session
 * sends is counted where it leaves: a tc (tcx) egress program on each
 * connected service's link, so that a packet that never leaves the machine
 * (loopback, to any of its addresses) runs no counting program at all;
 * kernels without tcx count at the cgroup's egress instead. What it
 * receives is counted at the cgroup's ingress (the socket is known there);
 * over loopback, that counts nowhere either.
 *
 * Only sockets of connd's own network namespace are touched: connd writes
 * its namespace's cookie into `config` before loading, sock_create marks no
 * socket of another namespace, whatever cgroup it sits in, and only the
 * sockets it marked have a session number to count by. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "../src/marks.h"
#include "../src/sockmark-maps.h"

#define CGROUP_LEVELS	SOCKMARK_CGROUP_LEVELS
#define MAX_KEYS	SOCKMARK_MAX_KEYS
#define MAX_SESSIONS	SOCKMARK_MAX_SESSIONS
#define LOOPBACK_IFINDEX 1	/* the kernel's, in every namespace */
#define ETH_HLEN	14
#define TCX_NEXT	-1	/* no verdict: the link's next program decides */
#define READ_ONCE(x)	(*(const volatile typeof(x) *)&(x))

/* Read-only once loaded: the verifier compares against a constant. */
const volatile struct sockmark_config config;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_KEYS);
	__type(key, __u32);
	__type(value, __u32);
} uid_marks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_KEYS);
	__type(key, __u32);
	__type(value, __u32);
} gid_marks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_KEYS);
	__type(key, __u64);
	__type(value, __u32);
} cgroup_marks SEC(".maps");

/* Indexed by session id: the lookup is an inlined bounds check, and an
 * entry is never allocated on the way (connd writes and reads an entry by
 * bpf(2), all of them through mmap). Shared by the CPUs, so its additions
 * are atomic. Its size is a constant of the programs' code: to grow it,
 * connd loads them again for a larger array (src/sockmark-grow.c). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, MAX_SESSIONS + 1);
	__type(key, __u32);
	__type(value, struct sockmark_counters);
} counters SEC(".maps");

/* A marked socket's session (its counters entry's `session` when marked):
 * a socket that outlives its session does not count into the next session
 * given the same id. Cloned into a listener's accepted sockets, which
 * inherit its mark. Only sockets sock_create marked have one, so it also
 * says the socket is of connd's namespace. */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC | BPF_F_CLONE);
	__type(key, int);
	__type(value, __u64);
} socket_sessions SEC(".maps");

static __always_inline int our_netns(__u64 cookie)
{
	return config.netns_cookie && config.netns_cookie == cookie;
}

static __always_inline __u32 *lookup_mark(void)
{
	__u64 ugid = bpf_get_current_uid_gid();
	__u32 uid = (__u32)ugid, gid = (__u32)(ugid >> 32);
	__u32 *mark;

#pragma unroll
	for (int level = CGROUP_LEVELS; level >= 1; level--) {
		__u64 id = bpf_get_current_ancestor_cgroup_id(level);

		if (id) {
			mark = bpf_map_lookup_elem(&cgroup_marks, &id);
			if (mark)
				return mark;
		}
	}
	mark = bpf_map_lookup_elem(&uid_marks, &uid);
	if (mark)
		return mark;
	return bpf_map_lookup_elem(&gid_marks, &gid);
}

SEC("cgroup/sock_create")
int session_sock_create(struct bpf_sock *sk)
{
	struct sockmark_counters *c;
	__u32 *mark, id;
	__u64 *session, number;

	if (!our_netns(bpf_get_netns_cookie(sk)))
		return 1;
	mark = lookup_mark();
	if (!mark)
		return 1;
	sk->mark = *mark;
	id = *mark & MARK_SESSION_MASK;
	c = bpf_map_lookup_elem(&counters, &id);
	if (!c)
		return 1;
	/* Read once: connd may be storing it (src/sockmark.c, start()), and a
	 * socket records no 0. */
	number = READ_ONCE(c->session);
	if (number) {
		session = bpf_sk_storage_get(&socket_sessions, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
		if (session)
			*session = number;
	}
	return 1;	/* never refuses a socket */
}

/* The device first (a looped packet's is lo, both ways), then the
 * socket's mark, so that an unmarked packet (nearly all of them) costs a
 * few loads. `header`: what of skb->len is the link's header (tc sees the
 * frame, the cgroup the IP packet). */
static __always_inline void count(struct __sk_buff *skb, int egress, __u32 header)
{
	struct bpf_sock *sk = skb->sk;
	struct sockmark_counters *c;
	__u64 *session;
	__u32 id;

	if (!sk || skb->ifindex == LOOPBACK_IFINDEX)
		return;
	sk = bpf_sk_fullsock(sk);
	if (!sk || !(sk->mark & MARK_SLOT_MASK) || (sk->mark & MARK_OWN))
		return;
	session = bpf_sk_storage_get(&socket_sessions, sk, 0, 0);
	if (!session)
		return;
	id = sk->mark & MARK_SESSION_MASK;
	c = bpf_map_lookup_elem(&counters, &id);
	/* No socket's number is 0: an entry connd is zeroing or has removed
	 * (number 0) takes nothing. */
	if (!c || c->session != *session)
		return;
	if (egress) {
		__sync_fetch_and_add(&c->tx_packets, 1);
		__sync_fetch_and_add(&c->tx_bytes, skb->len - header);
	} else {
		__sync_fetch_and_add(&c->rx_packets, 1);
		__sync_fetch_and_add(&c->rx_bytes, skb->len - header);
	}
}

/* Where tcx is missing: every packet of the cgroup's sockets. */
SEC("cgroup_skb/egress")
int session_egress(struct __sk_buff *skb)
{
	count(skb, 1, 0);
	return 1;
}

SEC("cgroup_skb/ingress")
int session_ingress(struct __sk_buff *skb)
{
	count(skb, 0, 0);
	return 1;
}

/* tcx egress of a service's link: an Ethernet frame... */
SEC("tc")
int session_link_egress(struct __sk_buff *skb)
{
	count(skb, 1, ETH_HLEN);
	return TCX_NEXT;
}

/* ...or an IP packet, on a link with no header (a VPN's tun, WireGuard). */
SEC("tc")
int session_ip_link_egress(struct __sk_buff *skb)
{
	count(skb, 1, 0);
	return TCX_NEXT;
}

char LICENSE[] SEC("license") = "GPL";
