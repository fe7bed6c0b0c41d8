/* GnuTLS, loaded the first time connd needs it (an RFC 8908 captive portal
 * API fetched over HTTPS) instead of at start: GnuTLS and the eight
 * libraries it pulls in were a third of an idle connd's resident memory
 * (~2.3 MB of 7.1) and ran their constructors at every start, for a path
 * most networks never take. Once loaded it stays (GnuTLS cannot be unloaded
 * safely). Only the functions https-fetch.c calls are here; the types and
 * constants still come from <gnutls/gnutls.h> at build time. */
#pragma once

#include <gnutls/gnutls.h>

struct tls_lib {
	int (*init)(gnutls_session_t *session, unsigned int flags);
	void (*deinit)(gnutls_session_t session);
	const char *(*strerror)(int error);
	int (*error_is_fatal)(int error);
	int (*set_default_priority)(gnutls_session_t session);
	int (*credentials_set)(gnutls_session_t session, gnutls_credentials_type_t type,
			       void *cred);
	int (*server_name_set)(gnutls_session_t session, gnutls_server_name_type_t type,
			       const void *name, size_t len);
	void (*session_set_verify_cert)(gnutls_session_t session, const char *hostname,
					unsigned int flags);
	unsigned int (*session_get_verify_cert_status)(gnutls_session_t session);
	int (*verification_status_print)(unsigned int status, gnutls_certificate_type_t type,
					 gnutls_datum_t *out, unsigned int flags);
	void (*transport_set_int2)(gnutls_session_t session, int recv_fd, int send_fd);
	void (*handshake_set_timeout)(gnutls_session_t session, unsigned int ms);
	int (*handshake)(gnutls_session_t session);
	int (*record_get_direction)(gnutls_session_t session);
	ssize_t (*record_send)(gnutls_session_t session, const void *data, size_t len);
	ssize_t (*record_recv)(gnutls_session_t session, void *data, size_t len);
	int (*certificate_allocate_credentials)(gnutls_certificate_credentials_t *cred);
	void (*certificate_free_credentials)(gnutls_certificate_credentials_t cred);
	int (*certificate_set_x509_trust_file)(gnutls_certificate_credentials_t cred,
					       const char *file, gnutls_x509_crt_fmt_t type);
	int (*certificate_set_x509_system_trust)(gnutls_certificate_credentials_t cred);
	gnutls_free_function *free;	/* GnuTLS exports its free() as a variable */
};

/* The library, loaded now if it was not yet; NULL with *why (static text
 * or dlerror()'s, valid until the next call) when it cannot be. */
const struct tls_lib *tls_lib_get(const char **why);
