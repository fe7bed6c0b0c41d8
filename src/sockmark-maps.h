/* The layout of the BPF maps shared by bpf/session.bpf.c and src/sockmark.c. */
#pragma once

#include <linux/types.h>

#define SOCKMARK_CGROUP_LEVELS	4	/* as nftables' socket cgroupv2 levels */
#define SOCKMARK_MAX_KEYS	131072
/* The counters array's size in the object, ids 1..this (MaxSessions'
 * default); connd sets its own at load, and replaces the array by larger
 * ones as sessions come (src/sockmark-grow.c). */
#define SOCKMARK_MAX_SESSIONS	131072

struct sockmark_config {
	__u64 netns_cookie;		/* connd's network namespace; 0: mark nothing */
};

/* The counters map's entry for session id N is its Nth (entry 0 unused). */
struct sockmark_counters {
	__u64 rx_packets, rx_bytes, tx_packets, tx_bytes;
	__u64 session;			/* connd's number for the session, no byte of
					 * it 0 (src/sockmark.c); 0: none */
};
