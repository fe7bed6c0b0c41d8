/* Wi-Fi tethering's access point through iwd: the device switches to AP mode
 * (Device.Mode = "ap"), and once iwd shows its AccessPoint interface,
 * AccessPoint.Start(ssid, passphrase), which replies when the AP beacons.
 * An AP already broadcasting the same SSID on that device (left by a connd
 * that was killed) is taken over as it is. Driven by the Wi-Fi bearer's pass
 * over iwd's objects (wifi_ap_sync); the passphrase is never logged. */
#pragma once

struct iwd;
struct wifi_ap;

struct wifi_ap_ops {
	/* The AP beacons (0), or could not start: a negative errno and a
	 * sentence for the user. Then only wifi_ap_stop is left to call. */
	void (*started)(int error, const char *message, void *data);
	/* A started AP went without being asked (iwd left or restarted, the
	 * device went or left AP mode, the AP stopped). */
	void (*lost)(void *data);
};

/* device: iwd's Device path. The first step is taken by wifi_ap_sync. */
struct wifi_ap *wifi_ap_new(struct iwd *iwd, const char *device, const char *ssid,
			    const char *passphrase, const struct wifi_ap_ops *ops, void *data);
/* iwd's objects changed: the next step, or the AP's end noticed. A callback
 * may stop (free) the AP: nothing touches it after one. */
void wifi_ap_sync(struct wifi_ap *ap);
const char *wifi_ap_device(const struct wifi_ap *ap);
/* AccessPoint.Stop and the device back to station mode (not waited for:
 * iwd finishes them on its own, even once connd has left); frees. Accepts
 * NULL. */
void wifi_ap_stop(struct wifi_ap *ap);
/* The same for a device in AP mode that no wifi_ap drives (a dead run's). */
void wifi_ap_stop_device(struct iwd *iwd, const char *device);
