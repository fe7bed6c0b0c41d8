/* The tethering controller: decides which links tethering bridges, turns it
 * on and off for a technology, keeps what must survive a restart (on or off,
 * the bridged services, the subnet, IPv4 forwarding as it was before) in the
 * global settings file, and follows the uplink and the addresses in use.
 * One bridge serves every technology that tethers: ethernet's free links,
 * and the access point a bearer brings up itself (Wi-Fi, whose identifier
 * and passphrase it keeps as ConnMan does: tether-ap.h); it goes when the
 * last technology stops tethering.
 * tethering.c does the kernel's side; the manager calls the functions below
 * and lends, through struct tether_ops, what only it knows. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct connd_config;
struct in6_addr;
struct dhcp_server_lease;
struct firewall;
struct l_dbus;
struct l_queue;
struct l_settings;
struct rtnl;
struct technology;
struct tether_ap;
struct tether_ctl;

struct tether_ops {
	/* The services, ranked: the first is the default service. */
	const struct l_queue *(*services)(void *data);
	/* connd's DNS proxy answers the clients on the bridge: no redirect. */
	bool (*dns_proxy_runs)(void *data);
	/* The bridge came, went or moved: where the DNS proxy listens follows. */
	void (*update_dns)(void *data);
	/* Something tether_ctl_save() writes changed: write the settings file. */
	void (*save)(void *data);
	/* Clients came or went (MAC addresses, sorted; either may be NULL). */
	void (*clients_changed)(char **registered, char **removed, void *data);
};

struct tether_env {
	struct l_dbus *dbus;			/* for the technology's Tethering property */
	const struct connd_config *config;
	const char *settings_dir;		/* where the global settings file is, */
	const char *settings_name;		/* and its name: for warnings */
	const struct tether_ops *ops;
	void *data;				/* the ops' */
};

struct tether_ctl *tether_ctl_new(const struct tether_env *env);
/* Nothing is undone here: stop first. Accepts NULL. */
void tether_ctl_free(struct tether_ctl *t);

/* Takes over the kernel: removes a bridge a previous run left behind, then
 * builds with rtnl and fw (NULL when nftables cannot be used). */
void tether_ctl_start(struct tether_ctl *t, struct rtnl *rtnl, struct firewall *fw);
/* Tethering off (bridge, server, rules, forwarding), services untethered. */
void tether_ctl_stop(struct tether_ctl *t);

/* Its keys of the global settings file ([Wired] Tethering, TetheredServices,
 * TetheringSubnet, IPv4ForwardingBefore, IPv6ForwardingBefore, TetheringULA;
 * [WiFi] Tethering, Tethering.Identifier, Tethering.Passphrase,
 * Tethering.Freq). */
void tether_ctl_load(struct tether_ctl *t, const struct l_settings *settings);
void tether_ctl_save(const struct tether_ctl *t, struct l_settings *settings);

/* After the links are known: on again if it was on when last saved. tech is
 * NULL when the technology may not tether now (absent, off, offline). */
void tether_ctl_restore(struct tether_ctl *t, struct technology *tech);

/* A change that took time is over: 0, or a negative errno and a sentence
 * for the user. */
typedef void (*tether_ctl_done_fn)(int result, const char *message, void *data);

/* -EPERM when main.conf's TetheringTechnologies does not list tech,
 * -EALREADY when already so, -ENODEV when no link is free nor may become,
 * -EINVAL when an access point's identifier or passphrase is unset,
 * -EINPROGRESS while its access point is starting, or what the bearer
 * refused with (tether_start); 0 when done, 1 when done() will tell (the
 * bearer is bringing its access point up). */
int tether_ctl_set(struct tether_ctl *t, struct technology *tech, bool on,
		   tether_ctl_done_fn done, void *data);
/* The bearer's own tethering link went by itself (iwd left, the AP stopped):
 * tethering ends for tech as if switched off. */
void tether_ctl_lost(struct tether_ctl *t, struct technology *tech);
/* A technology appeared (may: it is powered and not in offline mode): one
 * that tethers through its own access point gets it back if it was on when
 * last saved, or is told to take down any it has left. One that goes stops
 * tethering first. */
void tether_ctl_technology_added(struct tether_ctl *t, struct technology *tech, bool may);
void tether_ctl_technology_removed(struct tether_ctl *t, struct technology *tech);

/* The access point's settings of a technology that tethers through one,
 * NULL for the others. */
const struct tether_ap *tether_ctl_ap(const struct tether_ctl *t, const struct technology *tech);
/* Each: 0 (changed and saved), -EALREADY (the same value), -EOPNOTSUPP (not
 * an access point's technology), or its check's error (tether-ap.h). A
 * change reaches the access point the next time it starts. */
int tether_ctl_set_ap_identifier(struct tether_ctl *t, const struct technology *tech,
				 const char *identifier);
int tether_ctl_set_ap_passphrase(struct tether_ctl *t, const struct technology *tech,
				 const char *passphrase);
int tether_ctl_set_ap_freq(struct tether_ctl *t, const struct technology *tech, int32_t freq);
/* A service's state, rank or nameservers changed. */
void tether_ctl_update(struct tether_ctl *t);
/* An address appeared somewhere: the subnet moves if it was taken. */
void tether_ctl_address_added(struct tether_ctl *t);
/* An address (network order) is about to go on link ifindex (a lease, a
 * manual address): if it overlaps the bridge's subnet, the bridge moves
 * first. Accepts NULL. */
void tether_ctl_claim(struct tether_ctl *t, int ifindex, uint32_t address, uint8_t prefix_len);

/* The bridge's address (network order), 0 while off. */
uint32_t tether_ctl_address(const struct tether_ctl *t);
/* The bridge's IPv6 address, NULL while off or without IPv6. */
const struct in6_addr *tether_ctl_address6(const struct tether_ctl *t);
/* MAC addresses of the clients holding a lease, sorted; caller frees.
 * Leases bound, released or expired are told through ops->clients_changed,
 * at most one call per 100 ms. */
char **tether_ctl_clients(const struct tether_ctl *t);
void tether_ctl_foreach_lease(const struct tether_ctl *t,
			      void (*fn)(const struct dhcp_server_lease *lease, void *data),
			      void *data);
