/* The OpenVPN provider: Debian's `openvpn` as a child process. connd names
 * the tun (--dev), leaves addresses and routes to itself (--ifconfig-noexec,
 * --route-noexec) and learns what the server pushed through the --up hook:
 * connd-vpn-script, run by openvpn, writes the environment's useful part
 * (vpn-env.h) to a socket connd handed openvpn at start (an inherited
 * descriptor, so no path on disk any local process could write to). The
 * child dies with connd (PR_SET_PDEATHSIG), so a killed connd leaves no
 * tunnel behind. */
#pragma once

#include <stdbool.h>

struct vpn_challenge;
struct vpn_env;
struct openvpn;

/* This module as a VPN provider (vpn-provider.h), type "openvpn". */
extern const struct vpn_provider vpn_openvpn_provider;

struct openvpn_ops {
	/* The tunnel is up (again, after openvpn reconnected): `env` is what the
	 * server pushed. */
	void (*up)(const struct vpn_env *env, void *data);
	/* The child ended (exit status, or -signal); nothing more follows. */
	void (*exited)(int status, void *data);
	/* With ask_credentials: openvpn needs a username and password
	 * (openvpn_send_credentials answers), with a one-time code when the
	 * config has a static-challenge (`challenge` not NULL, borrowed), or the
	 * server refused them. */
	void (*need_credentials)(const struct vpn_challenge *challenge, void *data);
	void (*auth_failed)(void *data);
	/* The private key (OpenVPN.Key) is encrypted and no OpenVPN.AskPass
	 * file gives its password: openvpn_send_key_password answers; or the
	 * password given was wrong (openvpn then exits). */
	void (*need_key_password)(void *data);
	void (*key_password_failed)(void *data);
};

/* Whether `key` (ConnMan's "OpenVPN.*" provider keys) is one connd passes
 * on, and whether its value is acceptable. */
bool openvpn_key_known(const char *key);
bool openvpn_value_valid(const char *key, const char *value);

struct openvpn_params {
	const char *binary;	/* main.conf's OpenVPN */
	const char *script;	/* main.conf's VPNScript (connd-vpn-script) */
	const char *host;
	const char *ifname;	/* the tun connd names */
	char **keys;		/* "OpenVPN.X", value, ... NULL-terminated pairs */
	/* Where connd listens (in the state directory, 0700) for openvpn's
	 * management interface, through which openvpn asks for what would
	 * otherwise be typed on its console: credentials (with
	 * OpenVPN.AuthUserPass "-"), a private key's password. */
	const char *management;
};

/* OpenVPN.AuthUserPass "-": the agent gives the credentials (ConnMan's
 * meaning), not a file. */
bool openvpn_asks_credentials(char **keys);
/* The answer to need_credentials; `response` the one-time code when a
 * challenge was asked (sent as SCRV1, -EINVAL without one), else ignored;
 * -ENOTCONN when openvpn is not listening. */
int openvpn_send_credentials(struct openvpn *ov, const char *username, const char *password,
			     const char *response);

/* The answer to need_key_password; -ENOTCONN when openvpn is not listening. */
int openvpn_send_key_password(struct openvpn *ov, const char *password);

/* -ENOENT when the binary is missing (checked before forking, so the
 * caller can say so), -errno when the process cannot start. */
int openvpn_start(const struct openvpn_params *params, const struct openvpn_ops *ops,
		  void *data, struct openvpn **out);
/* SIGTERM, then waits briefly; no callback afterwards. Accepts NULL. */
void openvpn_stop(struct openvpn *ov);
