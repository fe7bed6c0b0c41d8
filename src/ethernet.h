/* The ethernet bearer: every managed ethernet link is a service
 * ethernet_<mac>_cable under the technology "ethernet" (Wired), available
 * while its cable has carrier. The technology exists while a link does. */
#pragma once

struct bearer_module;

extern const struct bearer_module ethernet_bearer;
