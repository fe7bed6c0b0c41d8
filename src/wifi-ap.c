#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "iwd.h"
#include "wifi-ap.h"

enum ap_step {
	AP_MODE,	/* the device to AP mode, then waiting for its AccessPoint */
	AP_STARTING,	/* AccessPoint.Start sent */
	AP_UP,		/* beaconing: watched for its end */
	AP_FAILED,	/* told; waiting for wifi_ap_stop */
};

struct wifi_ap {
	struct iwd *iwd;
	char *device;
	char *ssid;
	char *passphrase;
	enum ap_step step;
	bool seen_started;	/* iwd said Started: its turning false is the end */
	uint32_t call;
	const struct wifi_ap_ops *ops;
	void *data;
};

static void step(struct wifi_ap *ap);

struct wifi_ap *wifi_ap_new(struct iwd *iwd, const char *device, const char *ssid,
			    const char *passphrase, const struct wifi_ap_ops *ops, void *data)
{
	struct wifi_ap *ap = l_new(struct wifi_ap, 1);

	ap->iwd = iwd;
	ap->device = l_strdup(device);
	ap->ssid = l_strdup(ssid);
	ap->passphrase = l_strdup(passphrase);
	ap->ops = ops;
	ap->data = data;
	return ap;
}

static void ap_free(struct wifi_ap *ap)
{
	iwd_cancel(ap->iwd, ap->call);
	explicit_bzero(ap->passphrase, strlen(ap->passphrase));
	l_free(ap->passphrase);
	l_free(ap->ssid);
	l_free(ap->device);
	l_free(ap);
}

const char *wifi_ap_device(const struct wifi_ap *ap)
{
	return ap->device;
}

/* The last thing a step does: the callback may free ap. */
static void fail(struct wifi_ap *ap, int error, const char *what, const char *name)
{
	char message[160];

	ap->step = AP_FAILED;
	snprintf(message, sizeof(message), "%s%s%s%s", what, name ? " (" : "", name ? name : "",
		 name ? ")" : "");
	ap->ops->started(error, message, ap->data);
}

static void mode_set(int error, const char *name, void *data)
{
	struct wifi_ap *ap = data;

	ap->call = 0;
	if (error) {
		fail(ap, error == -EOPNOTSUPP ? error : -EIO,
		     "iwd could not switch the Wi-Fi device to AP mode", name);
		return;
	}
	step(ap);
}

static void start_replied(int error, const char *name, void *data)
{
	struct wifi_ap *ap = data;

	ap->call = 0;
	if (error) {
		fail(ap, error == -EOPNOTSUPP ? error : -EIO, "iwd could not start the access point",
		     name);
		return;
	}
	ap->step = AP_UP;
	l_info("wifi: access point %s up on %s", ap->ssid, ap->device);
	ap->ops->started(0, NULL, ap->data);
}

/* A leftover AP with another SSID stops before ours starts. */
static void stopped(int error, const char *name, void *data)
{
	struct wifi_ap *ap = data;

	ap->call = 0;
	if (error) {
		fail(ap, -EBUSY, "iwd could not stop the access point already on the device", name);
		return;
	}
	step(ap);
}

static bool has_ap(const struct iwd_object *dev)
{
	return dev->interfaces & IWD_ACCESS_POINT;
}

/* In AP mode with the AccessPoint interface: ours running, another one to
 * stop first, or Start. */
static void step_access_point(struct wifi_ap *ap, const struct iwd_object *dev)
{
	if (dev->started && l_streq0(dev->ap_name, ap->ssid)) {
		ap->step = AP_UP;
		l_info("wifi: access point %s already up on %s: taken over", ap->ssid, ap->device);
		ap->ops->started(0, NULL, ap->data);
		return;
	}
	if (dev->started) {
		ap->call = iwd_ap_stop(ap->iwd, ap->device, stopped, ap);
		return;
	}
	ap->call = iwd_ap_start(ap->iwd, ap->device, ap->ssid, ap->passphrase, start_replied, ap);
	if (!ap->call) {
		fail(ap, -EIO, "iwd could not be asked to start the access point", NULL);
		return;
	}
	ap->step = AP_STARTING;
}

static void step(struct wifi_ap *ap)
{
	const struct iwd_object *dev = iwd_find(ap->iwd, ap->device);
	bool present = iwd_present(ap->iwd) && dev && (dev->interfaces & IWD_DEVICE);

	switch (ap->step) {
	case AP_MODE:
		if (!present) {
			fail(ap, -ENODEV, "iwd's Wi-Fi device went away", NULL);
		} else if (ap->call) {
			return;		/* the mode change or a Stop is under way */
		} else if (!l_streq0(dev->mode, "ap")) {
			ap->call = iwd_set_string(ap->iwd, ap->device, IWD_DEVICE, "Mode", "ap",
						  mode_set, ap);
			if (!ap->call)
				fail(ap, -EIO, "iwd could not be asked for AP mode", NULL);
		} else if (has_ap(dev)) {
			step_access_point(ap, dev);
		}
		return;
	case AP_STARTING:
		if (!present)
			fail(ap, -ENODEV, "iwd's Wi-Fi device went away", NULL);
		return;
	case AP_UP:
		/* iwd answers Start before it says Started: only a Started
		 * seen true and then false ends the AP. */
		if (present && has_ap(dev) && dev->started)
			ap->seen_started = true;
		if (!present || !has_ap(dev) || (ap->seen_started && !dev->started)) {
			l_info("wifi: access point %s on %s went", ap->ssid, ap->device);
			ap->step = AP_FAILED;
			ap->ops->lost(ap->data);
		}
		return;
	case AP_FAILED:
		return;
	}
}

void wifi_ap_sync(struct wifi_ap *ap)
{
	step(ap);
}

/* force: a mode change of ours may be under way, which iwd's objects do not
 * show yet. No reply is asked for (nothing would act on one): the requests
 * go out even when connd is stopping, after iwd's client cancelled every
 * call that waits for one. */
static void stop_device(struct iwd *iwd, const char *device, bool force)
{
	const struct iwd_object *dev = iwd_find(iwd, device);

	if (!dev || (!force && !l_streq0(dev->mode, "ap")))
		return;
	/* iwd takes them in order (leaving AP mode would end the AP anyway). */
	if (has_ap(dev))
		iwd_ap_stop(iwd, device, NULL, NULL);
	iwd_set_string(iwd, device, IWD_DEVICE, "Mode", "station", NULL, NULL);
}

void wifi_ap_stop_device(struct iwd *iwd, const char *device)
{
	stop_device(iwd, device, false);
}

void wifi_ap_stop(struct wifi_ap *ap)
{
	if (!ap)
		return;
	l_info("wifi: access point %s on %s stops", ap->ssid, ap->device);
	stop_device(ap->iwd, ap->device, ap->call != 0);
	ap_free(ap);
}
