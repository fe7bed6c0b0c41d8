#include <dlfcn.h>
#include <stddef.h>
#include <ell/ell.h>

#include "dl-syms.h"
#include "tls-lib.h"

/* The soname of GnuTLS 3.x, the ABI <gnutls/gnutls.h> describes. */
#define GNUTLS_SONAME "libgnutls.so.30"
/* The oldest GnuTLS whose API https-fetch.c uses (meson.build asks the same). */
#define GNUTLS_OLDEST "3.6.0"

#define SYM(field, name) DL_SYM(struct tls_lib, field, name)
static const struct dl_sym symbols[] = {
	SYM(init, "gnutls_init"),
	SYM(deinit, "gnutls_deinit"),
	SYM(strerror, "gnutls_strerror"),
	SYM(error_is_fatal, "gnutls_error_is_fatal"),
	SYM(set_default_priority, "gnutls_set_default_priority"),
	SYM(credentials_set, "gnutls_credentials_set"),
	SYM(server_name_set, "gnutls_server_name_set"),
	SYM(session_set_verify_cert, "gnutls_session_set_verify_cert"),
	SYM(session_get_verify_cert_status, "gnutls_session_get_verify_cert_status"),
	SYM(verification_status_print, "gnutls_certificate_verification_status_print"),
	SYM(transport_set_int2, "gnutls_transport_set_int2"),
	SYM(handshake_set_timeout, "gnutls_handshake_set_timeout"),
	SYM(handshake, "gnutls_handshake"),
	SYM(record_get_direction, "gnutls_record_get_direction"),
	SYM(record_send, "gnutls_record_send"),
	SYM(record_recv, "gnutls_record_recv"),
	SYM(certificate_allocate_credentials, "gnutls_certificate_allocate_credentials"),
	SYM(certificate_free_credentials, "gnutls_certificate_free_credentials"),
	SYM(certificate_set_x509_trust_file, "gnutls_certificate_set_x509_trust_file"),
	SYM(certificate_set_x509_system_trust, "gnutls_certificate_set_x509_system_trust"),
	SYM(free, "gnutls_free"),
};

static struct tls_lib lib;
static bool loaded;

static const char *load(void)
{
	const char *(*check_version)(const char *);
	void *handle = dlopen(GNUTLS_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!handle)
		return dlerror();
	*(void **)&check_version = dlsym(handle, "gnutls_check_version");
	if (!check_version || !check_version(GNUTLS_OLDEST)) {
		dlclose(handle);
		return GNUTLS_SONAME " is older than GnuTLS " GNUTLS_OLDEST;
	}
	if (dl_syms(handle, symbols, L_ARRAY_SIZE(symbols), &lib) < 0) {
		dlclose(handle);
		return "a GnuTLS function connd needs is missing";
	}
	return NULL;
}

const struct tls_lib *tls_lib_get(const char **why)
{
	if (!loaded) {
		const char *err = load();

		if (err) {
			l_error("cannot load GnuTLS (%s): HTTPS fetches fail", err);
			*why = err;
			return NULL;
		}
		l_debug("GnuTLS loaded");
		loaded = true;
	}
	return &lib;
}
