/* The Wi-Fi bearer: a client of iwd, which owns the radios. Each network
 * of a managed wireless link's station is a service
 * wifi_<mac>_<ssid hex>_managed_<security> under the technology "wifi"
 * (WiFi), which exists while iwd shows a managed device. iwd associates
 * (asking connd's agent for credentials, which connd asks the user's
 * net.connman.Agent for) and autoconnects known networks; connd does IP,
 * DNS, routes and the online check on the link, as on any service. */
#pragma once

struct bearer_module;

extern const struct bearer_module wifi_bearer;
