#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <ell/ell.h>

#include "config.h"
#include "marks.h"
#include "vpn-challenge.h"
#include "vpn-env.h"
#include "vpn-openvpn.h"
#include "vpn-provider.h"

#define SCRIPT_FD 3		/* where the child finds the socket */
#define MAX_MESSAGE 65536

struct openvpn {
	pid_t pid;
	struct l_io *exit_io;	/* the child's pidfd */
	struct l_timeout *exit_poll;	/* without pidfd_open (old kernels, valgrind) */
	struct l_io *sock_io;	/* our end of the script's socket */
	const struct openvpn_ops *ops;
	void *data;
	char *mgmt_path;	/* our listening socket, removed at the end */
	struct l_io *mgmt_listen;
	struct l_io *mgmt;	/* openvpn's connection to it */
	struct l_string *line;	/* a management line read in part */
	bool challenged;	/* the last credentials asked had a static challenge */
};

/* ConnMan's provider keys and the option each becomes; has_value false: a flag. */
static const struct {
	const char *key;
	const char *option;
	bool has_value;
} options[] = {
	{ "OpenVPN.CACert", "--ca", true },
	{ "OpenVPN.Cert", "--cert", true },
	{ "OpenVPN.Key", "--key", true },
	{ "OpenVPN.MTU", "--tun-mtu", true },
	{ "OpenVPN.NSCertType", "--ns-cert-type", true },
	{ "OpenVPN.Proto", "--proto", true },
	{ "OpenVPN.Port", "--port", true },
	{ "OpenVPN.AuthUserPass", "--auth-user-pass", true },
	{ "OpenVPN.AskPass", "--askpass", true },
	{ "OpenVPN.AuthNoCache", "--auth-nocache", false },
	{ "OpenVPN.TLSRemote", "--verify-x509-name", true },
	{ "OpenVPN.TLSCipher", "--tls-cipher", true },
	{ "OpenVPN.Cipher", "--cipher", true },
	{ "OpenVPN.Auth", "--auth", true },
	{ "OpenVPN.CompLZO", "--comp-lzo", true },
	{ "OpenVPN.RemoteCertTls", "--remote-cert-tls", true },
	{ "OpenVPN.ConfigFile", "--config", true },
	{ "OpenVPN.Verb", "--verb", true },
	{ "OpenVPN.TLSAuth", "--tls-auth", true },	/* + TLSAuthDir, its direction */
	{ "OpenVPN.TLSAuthDir", NULL, true },
	{ "OpenVPN.DeviceType", "--dev-type", true },
	{ "OpenVPN.Ping", "--ping", true },
	{ "OpenVPN.PingExit", "--ping-exit", true },
	{ "OpenVPN.RemapUsr1", "--remap-usr1", true },
};

static int option_index(const char *key)
{
	for (unsigned int i = 0; i < L_ARRAY_SIZE(options); i++)
		if (!strcmp(options[i].key, key))
			return i;
	return -1;
}

bool openvpn_key_known(const char *key)
{
	return option_index(key) >= 0;
}

static bool all_digits(const char *s, size_t max_len)
{
	size_t n = strlen(s);

	if (!n || n > max_len)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Values become single argv entries (no shell); still, no control
 * characters, and numbers where openvpn wants numbers. */
bool openvpn_value_valid(const char *key, const char *value)
{
	if (!value || strlen(value) > 4096)
		return false;
	for (const char *c = value; *c; c++)
		if ((unsigned char)*c < 0x20)
			return false;
	if (!strcmp(key, "OpenVPN.Port"))
		return all_digits(value, 5) && atoi(value) > 0 && atoi(value) < 65536;
	if (!strcmp(key, "OpenVPN.MTU") || !strcmp(key, "OpenVPN.Verb") ||
	    !strcmp(key, "OpenVPN.Ping") || !strcmp(key, "OpenVPN.PingExit"))
		return all_digits(value, 5);
	if (!strcmp(key, "OpenVPN.TLSAuthDir"))
		return !strcmp(value, "0") || !strcmp(value, "1");
	if (!strcmp(key, "OpenVPN.DeviceType"))
		return !strcmp(value, "tun") || !strcmp(value, "tap");
	if (!strcmp(key, "OpenVPN.RemapUsr1"))
		return !strcmp(value, "SIGHUP") || !strcmp(value, "SIGTERM");
	if (!strcmp(key, "OpenVPN.Proto"))
		return !strcmp(value, "udp") || !strcmp(value, "tcp") ||
		       !strcmp(value, "tcp-client") || !strcmp(value, "udp4") ||
		       !strcmp(value, "udp6") || !strcmp(value, "tcp4") ||
		       !strcmp(value, "tcp6") || !strcmp(value, "tcp4-client") ||
		       !strcmp(value, "tcp6-client");
	return value[0] != '\0' || !options[option_index(key)].has_value;
}

static const char *key_value(char **keys, const char *key)
{
	for (char **k = keys; k && k[0] && k[1]; k += 2)
		if (!strcmp(k[0], key))
			return k[1];
	return NULL;
}

/* ConnMan's defaults, so that a server gone silent ends the connection
 * (a failure connd reports) rather than leaving it up and dead: over UDP a
 * ping every 10 s and an exit after 60 s without one; over TCP, whose
 * reconnections openvpn would hide, one attempt and no restart. They come
 * before the keys' options, so OpenVPN.Ping and PingExit, and a ConfigFile's
 * own settings, override them. */
static char **append_liveness_defaults(char **argv, char **keys)
{
	const char *proto = key_value(keys, "OpenVPN.Proto");
	bool ping_exit = key_value(keys, "OpenVPN.PingExit");

	if (proto && !strncmp(proto, "tcp", 3)) {
		if (!ping_exit) {
			argv = l_strv_append(argv, "--ping-restart");
			argv = l_strv_append(argv, "0");
		}
		argv = l_strv_append(argv, "--connect-retry-max");
		return l_strv_append(argv, "1");
	}
	if (!key_value(keys, "OpenVPN.Ping")) {
		argv = l_strv_append(argv, "--ping");
		argv = l_strv_append(argv, "10");
	}
	if (!ping_exit) {
		argv = l_strv_append(argv, "--ping-exit");
		argv = l_strv_append(argv, "60");
	}
	return argv;
}

static char **build_argv(const struct openvpn_params *p)
{
	char **argv = l_new(char *, 1);
	static const char *const fixed[] = {
		/* Addresses and routes are connd's; the tun keeps its name and
		 * the --up hook runs again after a reconnection. */
		"--client", "--nobind", "--persist-key", "--persist-tun", "--up-restart",
		"--ifconfig-noexec", "--route-noexec",
		"--script-security", "2", "--setenv", "CONND_VPN_FD", "3", NULL
	};
	char mark[16];

	argv = l_strv_append(argv, p->binary);
	for (const char *const *f = fixed; *f; f++)
		argv = l_strv_append(argv, *f);
	/* The tunnel's own packets carry connd's mark (SO_MARK, set after the
	 * socket's creation, replaces a session's): they always leave by the
	 * uplink's routes, even when openvpn's uid or cgroup has a session on
	 * the VPN, which would send them into the tunnel or nowhere. */
	snprintf(mark, sizeof(mark), "%u", MARK_OWN);
	argv = l_strv_append(argv, "--mark");
	argv = l_strv_append(argv, mark);
	argv = l_strv_append(argv, "--dev");
	argv = l_strv_append(argv, p->ifname);
	argv = l_strv_append(argv, "--dev-type");
	argv = l_strv_append(argv, key_value(p->keys, "OpenVPN.DeviceType") ?: "tun");
	argv = l_strv_append(argv, "--up");
	argv = l_strv_append(argv, p->script);
	argv = l_strv_append(argv, "--remote");
	argv = l_strv_append(argv, p->host);
	if (p->management) {
		/* A refused password ends openvpn (auth-retry none): the next
		 * Connect asks again. */
		static const char *const mgmt[] = {
			"--management-client", "--management-query-passwords",
			"--auth-retry", "none", NULL
		};

		argv = l_strv_append(argv, "--management");
		argv = l_strv_append(argv, p->management);
		argv = l_strv_append(argv, "unix");
		for (const char *const *m = mgmt; *m; m++)
			argv = l_strv_append(argv, *m);
		if (openvpn_asks_credentials(p->keys))
			argv = l_strv_append(argv, "--auth-user-pass");
	}
	argv = append_liveness_defaults(argv, p->keys);
	for (char **k = p->keys; k && k[0] && k[1]; k += 2) {
		int i = option_index(k[0]);

		if (i < 0 || !options[i].option || !strcmp(k[0], "OpenVPN.DeviceType") ||
		    (!strcmp(k[0], "OpenVPN.AuthUserPass") && !strcmp(k[1], "-")))
			continue;
		if (!options[i].has_value && strcmp(k[1], "true") && strcmp(k[1], "yes"))
			continue;
		argv = l_strv_append(argv, options[i].option);
		if (options[i].has_value)
			argv = l_strv_append(argv, k[1]);
		if (!strcmp(k[0], "OpenVPN.TLSAuth") && key_value(p->keys, "OpenVPN.TLSAuthDir"))
			argv = l_strv_append(argv, key_value(p->keys, "OpenVPN.TLSAuthDir"));
	}
	return argv;
}

/* In the child: only stdio and the script's socket survive the exec. */
static void exec_child(char **argv, int sock) __attribute__((noreturn));
static void exec_child(char **argv, int sock)
{
	sigset_t none;
	int devnull = open("/dev/null", O_RDONLY);

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);	/* ELL blocks signals it handles */
	if (devnull >= 0)
		dup2(devnull, STDIN_FILENO);
	if (dup2(sock, SCRIPT_FD) < 0)
		_exit(127);
	syscall(SYS_close_range, SCRIPT_FD + 1, ~0u, 0);
	execv(argv[0], argv);
	_exit(127);
}

static void free_ov(struct openvpn *ov)
{
	l_io_destroy(ov->mgmt);
	l_io_destroy(ov->mgmt_listen);
	if (ov->mgmt_path)
		unlink(ov->mgmt_path);
	l_free(ov->mgmt_path);
	l_string_free(ov->line);
	l_io_destroy(ov->exit_io);
	l_timeout_remove(ov->exit_poll);
	l_io_destroy(ov->sock_io);
	l_free(ov);
}

static int reap(pid_t pid, bool wait_for_it)
{
	int status;

	if (waitpid(pid, &status, wait_for_it ? 0 : WNOHANG) <= 0)
		return INT32_MIN;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

static bool child_exited(struct l_io *io, void *user_data)
{
	struct openvpn *ov = user_data;
	int status = reap(ov->pid, false);

	if (status == INT32_MIN)
		return true;
	ov->pid = 0;
	ov->ops->exited(status, ov->data);
	return false;	/* the callback frees ov through openvpn_stop */
}

static void poll_exit(struct l_timeout *timeout, void *user_data)
{
	struct openvpn *ov = user_data;
	int status = reap(ov->pid, false);

	if (status == INT32_MIN) {
		l_timeout_modify_ms(timeout, 200);
		return;
	}
	ov->pid = 0;
	ov->ops->exited(status, ov->data);
}

/* One message: "KEY=VALUE\0KEY=VALUE\0..." from connd-vpn-script. */
static void handle_message(struct openvpn *ov, char *buf, size_t len)
{
	char **vars = l_new(char *, 1);
	unsigned int n = 0;
	struct vpn_env env;

	for (size_t off = 0; off < len; off += strlen(buf + off) + 1) {
		vars = l_realloc(vars, sizeof(char *) * (n + 2));
		vars[n++] = buf + off;
		vars[n] = NULL;
	}
	if (vpn_env_parse(vars, n, &env) < 0)
		l_warn("openvpn: the up hook told no usable address");
	else
		ov->ops->up(&env, ov->data);
	vpn_env_clear(&env);
	l_free(vars);
}

static bool script_readable(struct l_io *io, void *user_data)
{
	struct openvpn *ov = user_data;
	char *buf = l_malloc(MAX_MESSAGE + 1);
	ssize_t len = recv(l_io_get_fd(io), buf, MAX_MESSAGE, MSG_DONTWAIT | MSG_TRUNC);

	if (len > 0 && len <= MAX_MESSAGE) {
		buf[len] = '\0';
		handle_message(ov, buf, len);
	} else if (len > MAX_MESSAGE) {
		l_warn("openvpn: the up hook's message is too long; ignored");
	}
	l_free(buf);
	return true;
}

bool openvpn_asks_credentials(char **keys)
{
	for (char **k = keys; k && k[0] && k[1]; k += 2)
		if (!strcmp(k[0], "OpenVPN.AuthUserPass"))
			return !strcmp(k[1], "-");
	return false;
}

/* Credentials asked, with or without a static challenge (vpn-challenge.h). */
static void need_auth(struct openvpn *ov, const char *line)
{
	struct vpn_challenge challenge = {};
	int r = vpn_challenge_parse(line, &challenge);

	if (r < 0)
		l_warn("openvpn: credentials asked in a form connd does not know: %s", line);
	ov->challenged = r > 0;
	ov->ops->need_credentials(r > 0 ? &challenge : NULL, ov->data);
	vpn_challenge_clear(&challenge);
}

/* openvpn's management lines that matter here; the rest (>INFO, SUCCESS:)
 * is logged at debug level only, since none carries a secret. */
static void management_line(struct openvpn *ov, const char *line)
{
	l_debug("openvpn management: %s", line);
	if (!strncmp(line, ">PASSWORD:Need 'Auth' username/password", 39))
		need_auth(ov, line);
	else if (!strncmp(line, ">PASSWORD:Verification Failed: 'Auth'", 37))
		ov->ops->auth_failed(ov->data);
	else if (!strcmp(line, ">PASSWORD:Need 'Private Key' password"))
		ov->ops->need_key_password(ov->data);
	else if (!strcmp(line, ">PASSWORD:Verification Failed: 'Private Key'"))
		ov->ops->key_password_failed(ov->data);
}

static bool management_readable(struct l_io *io, void *user_data)
{
	struct openvpn *ov = user_data;
	char buf[512];
	ssize_t len = read(l_io_get_fd(io), buf, sizeof(buf));

	if (len <= 0)
		return false;
	for (ssize_t i = 0; i < len; i++) {
		char *text;

		if (buf[i] == '\r')
			continue;
		if (buf[i] != '\n') {
			if (l_string_length(ov->line) < 4096)
				l_string_append_c(ov->line, buf[i]);
			continue;
		}
		text = l_string_unwrap(ov->line);
		ov->line = l_string_new(128);
		management_line(ov, text);
		l_free(text);
	}
	return true;
}

/* openvpn connects once (--management-client); later comers are refused. */
static bool management_accept(struct l_io *io, void *user_data)
{
	struct openvpn *ov = user_data;
	int fd = accept4(l_io_get_fd(io), NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return true;
	if (ov->mgmt) {
		close(fd);
		return true;
	}
	ov->mgmt = l_io_new(fd);
	l_io_set_close_on_destroy(ov->mgmt, true);
	l_io_set_read_handler(ov->mgmt, management_readable, ov, NULL);
	return true;
}

static int listen_management(struct openvpn *ov, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	l_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 1) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	ov->mgmt_path = l_strdup(path);
	ov->line = l_string_new(128);
	ov->mgmt_listen = l_io_new(fd);
	l_io_set_close_on_destroy(ov->mgmt_listen, true);
	l_io_set_read_handler(ov->mgmt_listen, management_accept, ov, NULL);
	return 0;
}

/* "TEXT" with \ and " escaped, as the management protocol reads it. */
static void append_quoted(struct l_string *s, const char *text)
{
	l_string_append_c(s, '"');
	for (; *text; text++) {
		if (*text == '\\' || *text == '"')
			l_string_append_c(s, '\\');
		l_string_append_c(s, *text);
	}
	l_string_append_c(s, '"');
}

/* Sends what s holds (a secret: wiped once sent) and frees s. */
static int send_secret(struct openvpn *ov, struct l_string *s)
{
	char *text = l_string_unwrap(s);
	size_t len = strlen(text);
	ssize_t n = send(l_io_get_fd(ov->mgmt), text, len, MSG_NOSIGNAL);

	explicit_bzero(text, len);	/* never kept */
	l_free(text);
	return n == (ssize_t)len ? 0 : -EIO;
}

/* With a static challenge, the password and the code travel together as
 * SCRV1 (base64, so any byte of either is fine). */
int openvpn_send_credentials(struct openvpn *ov, const char *username, const char *password,
			     const char *response)
{
	struct l_string *s;
	char *scrv1 = NULL;

	if (!ov->mgmt)
		return -ENOTCONN;
	if (strpbrk(username, "\r\n") || (ov->challenged && !response))
		return -EINVAL;
	if (ov->challenged)
		password = scrv1 = vpn_challenge_scrv1(password, response);
	else if (strpbrk(password, "\r\n"))
		return -EINVAL;
	s = l_string_new(128);
	l_string_append(s, "username \"Auth\" ");
	append_quoted(s, username);
	l_string_append(s, "\npassword \"Auth\" ");
	append_quoted(s, password);
	l_string_append_c(s, '\n');
	if (scrv1) {
		explicit_bzero(scrv1, strlen(scrv1));	/* never kept */
		l_free(scrv1);
	}
	return send_secret(ov, s);
}

int openvpn_send_key_password(struct openvpn *ov, const char *password)
{
	struct l_string *s;

	if (!ov->mgmt)
		return -ENOTCONN;
	if (strpbrk(password, "\r\n"))
		return -EINVAL;
	s = l_string_new(128);
	l_string_append(s, "password \"Private Key\" ");
	append_quoted(s, password);
	l_string_append_c(s, '\n');
	return send_secret(ov, s);
}

static int spawn(struct openvpn *ov, char **argv)
{
	int pair[2], pidfd;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
		return -errno;
	ov->pid = fork();
	if (ov->pid < 0) {
		close(pair[0]);
		close(pair[1]);
		return -errno;
	}
	if (ov->pid == 0)
		exec_child(argv, pair[1]);	/* dup2 clears CLOEXEC on fd 3 */
	close(pair[1]);
	ov->sock_io = l_io_new(pair[0]);
	l_io_set_close_on_destroy(ov->sock_io, true);
	l_io_set_read_handler(ov->sock_io, script_readable, ov, NULL);
	pidfd = syscall(SYS_pidfd_open, ov->pid, 0);
	if (pidfd < 0) {
		/* Only ours to reap either way: a short poll will do. */
		ov->exit_poll = l_timeout_create_ms(200, poll_exit, ov, NULL);
		return 0;
	}
	ov->exit_io = l_io_new(pidfd);
	l_io_set_close_on_destroy(ov->exit_io, true);
	l_io_set_read_handler(ov->exit_io, child_exited, ov, NULL);
	return 0;
}

int openvpn_start(const struct openvpn_params *params, const struct openvpn_ops *ops,
		  void *data, struct openvpn **out)
{
	struct openvpn *ov;
	char **argv;
	int err;

	if (access(params->binary, X_OK) < 0)
		return -ENOENT;
	if (access(params->script, X_OK) < 0)
		return -ENOEXEC;
	ov = l_new(struct openvpn, 1);
	ov->ops = ops;
	ov->data = data;
	if (params->management) {
		err = listen_management(ov, params->management);
		if (err < 0) {
			openvpn_stop(ov);
			return err;
		}
	}
	argv = build_argv(params);
	err = spawn(ov, argv);
	l_strv_free(argv);
	if (err < 0) {
		openvpn_stop(ov);
		return err;
	}
	l_info("openvpn: started (pid %d) on %s", ov->pid, params->ifname);
	*out = ov;
	return 0;
}

/* openvpn closes the tun and exits on SIGTERM within a moment; one that
 * does not is killed, so the tun never outlives the connection. */
void openvpn_stop(struct openvpn *ov)
{
	if (!ov)
		return;
	if (ov->pid > 0) {
		bool reaped = false;

		kill(ov->pid, SIGTERM);
		for (int i = 0; i < 200 && !reaped; i++) {
			reaped = reap(ov->pid, false) != INT32_MIN;
			if (!reaped)
				usleep(10000);
		}
		if (!reaped) {
			kill(ov->pid, SIGKILL);
			reap(ov->pid, true);
		}
	}
	free_ov(ov);
}

/* ---- as a VPN provider ---- */

struct vpn_tunnel {
	struct openvpn *ov;
	const struct vpn_tunnel_ops *ops;
	void *data;
};

static void tunnel_up(const struct vpn_env *env, void *data)
{
	struct vpn_tunnel *t = data;

	t->ops->up(env, t->data);
}

static void tunnel_exited(int status, void *data)
{
	struct vpn_tunnel *t = data;
	char why[64];

	if (status == 127)
		snprintf(why, sizeof(why), "openvpn could not be executed");
	else if (status < 0)
		snprintf(why, sizeof(why), "openvpn was killed by signal %d", -status);
	else
		snprintf(why, sizeof(why), "openvpn exited with status %d", status);
	t->ops->exited(why, t->data);
}

static void tunnel_need_credentials(const struct vpn_challenge *challenge, void *data)
{
	struct vpn_tunnel *t = data;

	t->ops->need_credentials(challenge, t->data);
}

static void tunnel_auth_failed(void *data)
{
	struct vpn_tunnel *t = data;

	t->ops->auth_failed(t->data);
}

static void tunnel_need_key_password(void *data)
{
	struct vpn_tunnel *t = data;

	t->ops->need_key_password(t->data);
}

static void tunnel_key_password_failed(void *data)
{
	struct vpn_tunnel *t = data;

	t->ops->key_password_failed(t->data);
}

static const struct openvpn_ops tunnel_ops = {
	.up = tunnel_up,
	.exited = tunnel_exited,
	.need_credentials = tunnel_need_credentials,
	.auth_failed = tunnel_auth_failed,
	.need_key_password = tunnel_need_key_password,
	.key_password_failed = tunnel_key_password_failed,
};

static int provider_start(const struct vpn_start_params *p, const struct vpn_tunnel_ops *ops,
			  void *data, struct vpn_tunnel **out)
{
	struct vpn_tunnel *t = l_new(struct vpn_tunnel, 1);
	struct openvpn_params op = {
		.binary = p->config->openvpn, .script = p->config->vpn_script,
		.host = p->host, .ifname = p->ifname, .keys = p->keys,
	};
	char *management;
	int err;

	t->ops = ops;
	t->data = data;
	/* Always: openvpn may need a private key's password even without
	 * credentials to ask, and only the key file can tell. */
	op.management = management = l_strdup_printf("%s/vpn-management-%u", p->state_dir,
						      p->id);
	err = openvpn_start(&op, &tunnel_ops, t, &t->ov);
	l_free(management);
	if (err == -ENOENT)
		l_error("vpn %s: no openvpn program at %s (main.conf's OpenVPN)", p->ident,
			op.binary);
	else if (err == -ENOEXEC)
		l_error("vpn %s: no connd-vpn-script at %s (main.conf's VPNScript)", p->ident,
			op.script);
	else if (err < 0)
		l_error("vpn %s: cannot start openvpn: %s", p->ident, strerror(-err));
	if (err < 0) {
		l_free(t);
		return err;
	}
	*out = t;
	return 0;
}

static void provider_stop(struct vpn_tunnel *t)
{
	if (!t)
		return;
	openvpn_stop(t->ov);
	l_free(t);
}

static int provider_send_credentials(struct vpn_tunnel *t, const char *username,
				     const char *password, const char *response)
{
	return openvpn_send_credentials(t->ov, username, password, response);
}

static int provider_send_key_password(struct vpn_tunnel *t, const char *password)
{
	return openvpn_send_key_password(t->ov, password);
}

const struct vpn_provider vpn_openvpn_provider = {
	.type = "openvpn",
	.ifname_prefix = "cvpn",
	.key_known = openvpn_key_known,
	.value_valid = openvpn_value_valid,
	.start = provider_start,
	.stop = provider_stop,
	.asks_credentials = openvpn_asks_credentials,
	.auth_error_limit = 10,
	.send_credentials = provider_send_credentials,
	.send_key_password = provider_send_key_password,
};
