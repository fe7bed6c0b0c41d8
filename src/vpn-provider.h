/* What runs a VPN's tunnel, one per Type: OpenVPN (a child process,
 * vpn-openvpn.h) and WireGuard (a kernel link, vpn-wireguard.h). A
 * connection (vpn-conn.h) starts its provider with its keys and a link name,
 * is told when the tunnel is up (again) with what it carries, and when it
 * ended by itself; it never asks what is behind it. */
#pragma once

#include <stdbool.h>

struct connd_config;
struct rtnl;
struct vpn_challenge;
struct vpn_env;
struct vpn_tunnel;

struct vpn_tunnel_ops {
	/* The tunnel carries traffic: `env` says its link, addresses, routes
	 * and DNS (borrowed for the call). May come again (a reconnection). */
	void (*up)(const struct vpn_env *env, void *data);
	/* It ended by itself, for `why`; nothing follows, the connection stops
	 * it. */
	void (*exited)(const char *why, void *data);
	/* With credentials asked (the provider's asks_credentials): a username
	 * and password are needed now (send_credentials answers), with a
	 * one-time code when `challenge` is not NULL (borrowed for the call:
	 * what to ask the user), or the server refused them. */
	void (*need_credentials)(const struct vpn_challenge *challenge, void *data);
	void (*auth_failed)(void *data);
	/* With send_key_password: the private key is encrypted and nothing in
	 * the keys gives its password: send_key_password answers; or the
	 * password given was wrong (the tunnel then ends, as a refused login). */
	void (*need_key_password)(void *data);
	void (*key_password_failed)(void *data);
};

struct vpn_start_params {
	const char *ident;		/* the connection's, for the log */
	unsigned int id;		/* 1..N, unique among connections */
	const char *host;
	const char *ifname;		/* the link the provider names */
	char **keys;			/* "Type.Key", value, ... NULL */
	const struct connd_config *config;
	const char *state_dir;
	struct rtnl *rtnl;
};

struct vpn_provider {
	const char *type;		/* ConnMan's Type */
	const char *ifname_prefix;	/* + the id: the link's name */
	/* Optional: links of this kind (IFLA_INFO_KIND) named with the prefix
	 * outlive connd (kernel objects, not children): one no connection has
	 * is a leftover of a killed connd, and goes. */
	const char *stale_kind;
	/* Optional: 0 when it can run on this system, else -EOPNOTSUPP with a
	 * reason the user reads (Create's error). */
	int (*available)(const char **why);
	bool (*key_known)(const char *key);
	bool (*value_valid)(const char *key, const char *value);
	/* Optional: a key kept (settings) but never shown on the bus. */
	bool (*key_secret)(const char *key);
	/* 0, or -errno after logging why (with params->ident). */
	int (*start)(const struct vpn_start_params *params, const struct vpn_tunnel_ops *ops,
		     void *data, struct vpn_tunnel **out);
	/* No callback afterwards; the link is gone when it returns. NULL ok. */
	void (*stop)(struct vpn_tunnel *tunnel);
	/* Optional: credentials through the VPN agent. */
	bool (*asks_credentials)(char **keys);
	/* AuthErrorLimit's default (vpn-auth-errors.h); ConnMan's: 10 for
	 * OpenVPN, 1 for the others. */
	unsigned int auth_error_limit;
	/* `response`: the one-time code when a challenge was asked, else NULL. */
	int (*send_credentials)(struct vpn_tunnel *tunnel, const char *username,
				const char *password, const char *response);
	/* Optional: a private key's password through the VPN agent. */
	int (*send_key_password)(struct vpn_tunnel *tunnel, const char *password);
};

/* NULL for a type connd does not run. */
const struct vpn_provider *vpn_provider_find(const char *type);
/* The provider whose links are named like `ifname` (its prefix and a
 * number) and of `kind` (its stale_kind); NULL for any other link. */
const struct vpn_provider *vpn_provider_of_link(const char *ifname, const char *kind);
