/* WireGuard's provider keys read strictly (the keys come from D-Bus and
 * files), and the generic netlink messages checked attribute by attribute
 * against linux/wireguard.h. */
#include <errno.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/wireguard.h>
#include <ell/ell.h>

#include "check.h"
#include "wireguard-config.h"
#include "wireguard-msg.h"

#define KEY_0_31 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define KEY_100_131 "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM="

static void test_key_parse(void)
{
	uint8_t key[32], want[32];
	static const char *const bad[] = {
		"", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==",	/* 31 bytes */
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g",	/* 33 bytes */
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",	/* no padding */
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=",	/* low bits set */
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8==",
		" AECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd-h8=",	/* base64url */
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh=8",
		NULL
	};

	for (int i = 0; i < 32; i++)
		want[i] = i;
	CHECK_INT(wg_key_parse(KEY_0_31, key), 0);
	CHECK(!memcmp(key, want, 32));
	for (int i = 0; i < 32; i++)
		want[i] = 100 + i;
	CHECK_INT(wg_key_parse(KEY_100_131, key), 0);
	CHECK(!memcmp(key, want, 32));
	for (const char *const *b = bad; *b; b++) {
		memset(key, 0xaa, sizeof(key));
		CHECK_INT(wg_key_parse(*b, key), -EINVAL);
		CHECK(key[0] == 0xaa);	/* untouched on failure */
	}
	CHECK_INT(wg_key_parse(NULL, key), -EINVAL);
}

static void test_values(void)
{
	CHECK(wg_key_known("WireGuard.PrivateKey"));
	CHECK(wg_key_known("WireGuard.PersistentKeepalive"));
	CHECK(!wg_key_known("WireGuard.Bogus"));
	CHECK(!wg_key_known("OpenVPN.Port"));
	CHECK(!wg_key_known("PrivateKey"));
	CHECK(wg_key_secret("WireGuard.PrivateKey"));
	CHECK(wg_key_secret("WireGuard.PresharedKey"));
	CHECK(!wg_key_secret("WireGuard.PublicKey"));
	CHECK(wg_value_valid("WireGuard.PrivateKey", KEY_0_31));
	CHECK(!wg_value_valid("WireGuard.PublicKey", "c2hvcnQ="));
	CHECK(wg_value_valid("WireGuard.Address", "10.99.0.2/24"));
	CHECK(wg_value_valid("WireGuard.Address", "10.99.0.2/24, fd99::2/64"));
	CHECK(wg_value_valid("WireGuard.Address", "10.99.0.2"));
	CHECK(!wg_value_valid("WireGuard.Address", "10.99.0.2/24,10.98.0.2/24"));	/* two IPv4 */
	CHECK(!wg_value_valid("WireGuard.Address", "10.99.0.2/33"));
	CHECK(!wg_value_valid("WireGuard.Address", "0.0.0.0/0"));
	CHECK(!wg_value_valid("WireGuard.Address", ""));
	CHECK(!wg_value_valid("WireGuard.Address", "host.example"));
	CHECK(wg_value_valid("WireGuard.AllowedIPs", "0.0.0.0/0, ::/0"));
	CHECK(wg_value_valid("WireGuard.AllowedIPs", "10.0.0.0/8 192.168.1.0/24"));
	CHECK(!wg_value_valid("WireGuard.AllowedIPs", "10.0.0.1"));	/* a prefix is needed */
	CHECK(!wg_value_valid("WireGuard.AllowedIPs", "10.0.0.0/8,junk/8"));
	CHECK(!wg_value_valid("WireGuard.AllowedIPs", " , "));
	CHECK(wg_value_valid("WireGuard.DNS", "10.99.0.1, fd99::1"));
	CHECK(!wg_value_valid("WireGuard.DNS", "dns.example"));
	CHECK(wg_value_valid("WireGuard.ListenPort", "0"));
	CHECK(wg_value_valid("WireGuard.ListenPort", "65535"));
	CHECK(!wg_value_valid("WireGuard.ListenPort", "65536"));
	CHECK(!wg_value_valid("WireGuard.ListenPort", "-1"));
	CHECK(!wg_value_valid("WireGuard.ListenPort", "+5"));
	CHECK(!wg_value_valid("WireGuard.EndpointPort", "0"));
	CHECK(wg_value_valid("WireGuard.EndpointPort", "51820"));
	CHECK(wg_value_valid("WireGuard.PersistentKeepalive", "25"));
	CHECK(!wg_value_valid("WireGuard.PersistentKeepalive", "25s"));
	CHECK(!wg_value_valid("WireGuard.Bogus", "1"));
}

static char *full_keys[] = {
	"WireGuard.PrivateKey", KEY_0_31, "WireGuard.PublicKey", KEY_100_131,
	"WireGuard.PresharedKey", KEY_100_131, "WireGuard.Address", "10.99.0.2/24,fd99::2/64",
	"WireGuard.AllowedIPs", "10.99.0.0/24, 10.67.5.9/16, ::/0", "WireGuard.EndpointPort", "51000",
	"WireGuard.ListenPort", "40000", "WireGuard.PersistentKeepalive", "25",
	"WireGuard.DNS", "10.99.0.1", NULL
};

static void test_config(void)
{
	struct wg_config cfg;
	const char *why = NULL;
	char *missing[] = { "WireGuard.PrivateKey", KEY_0_31, "WireGuard.PublicKey", KEY_100_131,
			    "WireGuard.Address", "10.99.0.2/32", NULL };
	char *bad[] = { "WireGuard.PrivateKey", KEY_0_31, "WireGuard.PublicKey", "nope",
			"WireGuard.Address", "10.99.0.2/32", "WireGuard.AllowedIPs", "0.0.0.0/0", NULL };

	CHECK_INT(wg_config_parse(full_keys, "192.0.2.1", &cfg, &why), 0);
	CHECK_INT(cfg.private_key[31], 31);
	CHECK_INT(cfg.public_key[0], 100);
	CHECK(cfg.has_preshared_key);
	CHECK_INT(cfg.listen_port, 40000);
	CHECK_INT(cfg.keepalive, 25);
	CHECK_INT(cfg.endpoint.v4.sin_family, AF_INET);
	CHECK_INT(ntohs(cfg.endpoint.v4.sin_port), 51000);
	CHECK_INT(cfg.endpoint.v4.sin_addr.s_addr, inet_addr("192.0.2.1"));
	CHECK_INT(cfg.address, inet_addr("10.99.0.2"));
	CHECK_INT(cfg.prefix_len, 24);
	CHECK_INT(cfg.prefix_len6, 64);
	CHECK_INT(cfg.n_allowed, 3);
	CHECK_INT(cfg.allowed[1].cidr, 16);
	CHECK(!memcmp(cfg.allowed[1].addr, "\x0a\x43\x00\x00", 4));	/* masked */
	CHECK_INT(cfg.allowed[2].family, AF_INET6);
	CHECK_INT(cfg.allowed[2].cidr, 0);
	CHECK_INT(cfg.n_dns, 1);
	CHECK_STR(cfg.dns[0], "10.99.0.1");
	wg_config_clear(&cfg);
	CHECK_INT(cfg.private_key[31], 0);

	CHECK_INT(wg_config_parse(full_keys, "2001:db8::1", &cfg, &why), 0);
	CHECK_INT(cfg.endpoint.v6.sin6_family, AF_INET6);
	CHECK_INT(ntohs(cfg.endpoint.v6.sin6_port), 51000);
	CHECK_INT(wg_config_parse(full_keys + 2, "192.0.2.1", &cfg, &why), -EINVAL);
	CHECK_STR(why, "WireGuard.PrivateKey is missing");
	CHECK_INT(wg_config_parse(missing, "192.0.2.1", &cfg, &why), -EINVAL);
	CHECK_STR(why, "WireGuard.AllowedIPs is missing");
	CHECK_INT(wg_config_parse(bad, "192.0.2.1", &cfg, &why), -EINVAL);
	CHECK_STR(why, "a WireGuard key's value is invalid");
	CHECK_INT(wg_config_parse(full_keys, "vpn.example", &cfg, &why), -EINVAL);
	CHECK(strstr(why, "Host") != NULL);
	missing[5] = "10.99.0.2/32";
	bad[3] = KEY_100_131;
	CHECK_INT(wg_config_parse(bad, "192.0.2.1", &cfg, &why), 0);
	CHECK_INT(ntohs(cfg.endpoint.v4.sin_port), WG_DEFAULT_PORT);
	CHECK(!cfg.has_preshared_key);
	CHECK(IN6_IS_ADDR_UNSPECIFIED(&cfg.address6));
}

/* The attributes of one nest level, by type (the last of each). */
struct attrs {
	const struct nlattr *a[16];
	unsigned int count;
};

static int collect(const struct nlattr *attr, void *data)
{
	struct attrs *t = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type < 16)
		t->a[type] = attr;
	t->count++;
	return MNL_CB_OK;
}

static void check_allowed_ip(const struct nlattr *entry, uint16_t family, const void *addr,
			     uint8_t cidr)
{
	struct attrs t = { { 0 } };

	mnl_attr_parse_nested(entry, collect, &t);
	CHECK_INT(t.count, 3);
	CHECK_INT(mnl_attr_get_u16(t.a[WGALLOWEDIP_A_FAMILY]), family);
	CHECK_INT(mnl_attr_get_payload_len(t.a[WGALLOWEDIP_A_IPADDR]), family == AF_INET ? 4 : 16);
	CHECK(!memcmp(mnl_attr_get_payload(t.a[WGALLOWEDIP_A_IPADDR]), addr,
		      family == AF_INET ? 4 : 16));
	CHECK_INT(mnl_attr_get_u8(t.a[WGALLOWEDIP_A_CIDR_MASK]), cidr);
}

static void check_peer(const struct nlattr *peer, const struct wg_config *cfg)
{
	struct attrs t = { { 0 } };
	const struct sockaddr_in *sin;
	const struct nlattr *entry;
	unsigned int n = 0;

	mnl_attr_parse_nested(peer, collect, &t);
	CHECK_INT(t.count, 6);
	CHECK_INT(mnl_attr_get_payload_len(t.a[WGPEER_A_PUBLIC_KEY]), WG_KEY_LEN);
	CHECK(!memcmp(mnl_attr_get_payload(t.a[WGPEER_A_PUBLIC_KEY]), cfg->public_key, 32));
	CHECK_INT(mnl_attr_get_u32(t.a[WGPEER_A_FLAGS]), WGPEER_F_REPLACE_ALLOWEDIPS);
	CHECK(!memcmp(mnl_attr_get_payload(t.a[WGPEER_A_PRESHARED_KEY]), cfg->preshared_key, 32));
	CHECK_INT(mnl_attr_get_payload_len(t.a[WGPEER_A_ENDPOINT]), sizeof(struct sockaddr_in));
	sin = mnl_attr_get_payload(t.a[WGPEER_A_ENDPOINT]);
	CHECK_INT(sin->sin_family, AF_INET);
	CHECK_INT(ntohs(sin->sin_port), 51000);
	CHECK_INT(sin->sin_addr.s_addr, inet_addr("192.0.2.1"));
	CHECK_INT(mnl_attr_get_u16(t.a[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL]), 25);
	CHECK(mnl_attr_get_type(t.a[WGPEER_A_ALLOWEDIPS]) == WGPEER_A_ALLOWEDIPS);
	CHECK(t.a[WGPEER_A_ALLOWEDIPS]->nla_type & NLA_F_NESTED);
	mnl_attr_for_each_nested(entry, t.a[WGPEER_A_ALLOWEDIPS]) {
		const struct wg_allowed_ip *a = &cfg->allowed[n++];

		check_allowed_ip(entry, a->family, a->addr, a->cidr);
	}
	CHECK_INT(n, 3);
}

static void test_set_device(void)
{
	char *buf = l_malloc(WG_MSG_SIZE);
	struct wg_config cfg;
	const char *why;
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *genl;
	struct attrs t = { { 0 } };
	const struct nlattr *peer;
	unsigned int peers = 0;
	int len;

	CHECK_INT(wg_config_parse(full_keys, "192.0.2.1", &cfg, &why), 0);
	cfg.fwmark = 0x80000;
	len = wg_msg_set_device(buf, WG_MSG_SIZE, 0x1234, 7, "cwg1", &cfg);
	CHECK(len > 0);
	CHECK(mnl_nlmsg_ok(nlh, len));
	CHECK_INT(nlh->nlmsg_type, 0x1234);
	CHECK_INT(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	CHECK_INT(nlh->nlmsg_seq, 7);
	genl = mnl_nlmsg_get_payload(nlh);
	CHECK_INT(genl->cmd, WG_CMD_SET_DEVICE);
	CHECK_INT(genl->version, WG_GENL_VERSION);
	CHECK_INT(mnl_attr_parse(nlh, sizeof(*genl), collect, &t), MNL_CB_OK);
	CHECK_INT(t.count, 6);
	CHECK(!t.a[WGDEVICE_A_IFINDEX]);	/* one of IFINDEX, IFNAME; not both */
	CHECK_STR(mnl_attr_get_str(t.a[WGDEVICE_A_IFNAME]), "cwg1");
	CHECK_INT(mnl_attr_validate(t.a[WGDEVICE_A_IFNAME], MNL_TYPE_NUL_STRING), 0);
	CHECK_INT(mnl_attr_get_u32(t.a[WGDEVICE_A_FLAGS]), WGDEVICE_F_REPLACE_PEERS);
	CHECK_INT(mnl_attr_get_payload_len(t.a[WGDEVICE_A_PRIVATE_KEY]), WG_KEY_LEN);
	CHECK(!memcmp(mnl_attr_get_payload(t.a[WGDEVICE_A_PRIVATE_KEY]), cfg.private_key, 32));
	CHECK_INT(mnl_attr_validate(t.a[WGDEVICE_A_LISTEN_PORT], MNL_TYPE_U16), 0);
	CHECK_INT(mnl_attr_get_u16(t.a[WGDEVICE_A_LISTEN_PORT]), 40000);
	CHECK_INT(mnl_attr_get_u32(t.a[WGDEVICE_A_FWMARK]), 0x80000);
	mnl_attr_for_each_nested(peer, t.a[WGDEVICE_A_PEERS]) {
		check_peer(peer, &cfg);
		peers++;
	}
	CHECK_INT(peers, 1);
	CHECK_INT(wg_msg_set_device(buf, 100, 0x1234, 7, "cwg1", &cfg), -EMSGSIZE);
	l_free(buf);
}

/* The largest configuration fits the buffer the daemon uses. */
static void test_set_device_full(void)
{
	char *buf = l_malloc(WG_MSG_SIZE);
	struct wg_config cfg = { .has_preshared_key = true };
	int len;

	cfg.endpoint.v6.sin6_family = AF_INET6;
	cfg.n_allowed = WG_MAX_ALLOWED_IPS;
	for (unsigned int i = 0; i < cfg.n_allowed; i++) {
		cfg.allowed[i].family = AF_INET6;
		cfg.allowed[i].cidr = 128;
	}
	len = wg_msg_set_device(buf, WG_MSG_SIZE, 20, 1, "cwg255", &cfg);
	CHECK(len > 0 && len <= WG_MSG_SIZE);
	CHECK(mnl_nlmsg_ok((struct nlmsghdr *)buf, len));
	l_free(buf);
}

static void test_get_family(void)
{
	char buf[128];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct attrs t = { { 0 } };
	int len = wg_msg_get_family(buf, sizeof(buf), 3);

	CHECK(len > 0);
	CHECK_INT(nlh->nlmsg_type, GENL_ID_CTRL);
	CHECK_INT(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd, CTRL_CMD_GETFAMILY);
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), collect, &t);
	CHECK_STR(mnl_attr_get_str(t.a[CTRL_ATTR_FAMILY_NAME]), "wireguard");
}

int main(void)
{
	test_key_parse();
	test_values();
	test_config();
	test_set_device();
	test_set_device_full();
	test_get_family();
	CHECK_DONE();
}
