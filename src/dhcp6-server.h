/* A stateless DHCPv6 server (RFC 8415 6.1) for the tethering bridge:
 * Information-requests get a Reply with the nameservers (the bridge's own
 * address, where connd's DNS proxy listens) and the search domains.
 * Addresses come from SLAAC, so every other message — Solicit, Request,
 * Renew, an Information-request carrying an IA or another server's ID — is
 * ignored with a debug line. dhcp6_server_handle is the pure part, for
 * tests and the fuzzer; dhcp6_server_start adds the socket on a link. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "dhcp6-packet.h"

/* Stateless clients ask again after this (RFC 8415 21.23; its minimum): a
 * nameserver address that changed with the prefix reaches them in time. */
#define DHCP6_SERVER_INFO_REFRESH 600

struct dhcp6_server_config {
	struct dhcp6_duid server_id;
	struct in6_addr dns[DHCP6_MAX_SERVERS];
	unsigned int n_dns;
	char domains[DHCP6_MAX_DOMAINS][254];
	unsigned int n_domains;
};

/* The answer to a client's message `in`: returns the Reply's length in
 * out, 0 when the message gets none (*why then says why, for the log), or
 * -ENOSPC / -EINVAL when the config cannot be written. */
int dhcp6_server_handle(const struct dhcp6_server_config *config, const uint8_t *in, size_t len,
			uint8_t *out, size_t size, const char **why);

struct dhcp6_server;

/* Listens on port 547 of the link ifindex (all DHCP servers and relay
 * agents, ff02::1:2). Returns NULL with *err set on failure. */
struct dhcp6_server *dhcp6_server_start(int ifindex, const struct dhcp6_server_config *config,
					int *err);
/* New nameservers or domains for the next replies. */
void dhcp6_server_set(struct dhcp6_server *server, const struct dhcp6_server_config *config);
void dhcp6_server_free(struct dhcp6_server *server);	/* accepts NULL */
