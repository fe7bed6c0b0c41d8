/* The resolv.conf connd maintains for the system's resolver: the proxy's
 * address, or with the proxy off the upstream servers themselves. */
#pragma once

/* The file's text: at most three nameservers (glibc reads no more) and at
 * most six search domains. Caller frees. */
char *resolv_conf_text(char *const *servers, char *const *search);
/* Writes it atomically to path, creating the directory (world-readable)
 * when missing. */
int resolv_conf_write(const char *path, const char *text);
