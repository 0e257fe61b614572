/* docket-udev-watcher.h — USB devices coming and going, from libudev
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A libudev monitor as a GSource on the thread-default main context it was
 * started from, plus an enumeration of what is already plugged in. Emits
 * ::device-added once per device and ::device-removed once per device it
 * announced, on that context.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  gchar *syspath;
  gchar *sysname; /* e.g. "1-3": the port, used as the dock slot */
  guint8 bus;
  guint8 address;
  guint16 vendor_id;
  guint16 product_id;
  gchar *serial; /* may be NULL */
} DocketUsbDeviceInfo;

#define DOCKET_TYPE_USB_DEVICE_INFO (docket_usb_device_info_get_type ())
GType docket_usb_device_info_get_type (void) G_GNUC_CONST;
DocketUsbDeviceInfo *docket_usb_device_info_copy (const DocketUsbDeviceInfo *info);
void docket_usb_device_info_free (DocketUsbDeviceInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketUsbDeviceInfo, docket_usb_device_info_free)

#define DOCKET_TYPE_UDEV_WATCHER (docket_udev_watcher_get_type ())
G_DECLARE_FINAL_TYPE (DocketUdevWatcher, docket_udev_watcher, DOCKET, UDEV_WATCHER, GObject)

DocketUdevWatcher *docket_udev_watcher_new (void);

/* Starts listening, then emits ::device-added for devices already present. */
gboolean docket_udev_watcher_start (DocketUdevWatcher *self, GError **error);
void docket_udev_watcher_stop (DocketUdevWatcher *self);

/* (transfer container) DocketUsbDeviceInfo of the devices currently seen */
GPtrArray *docket_udev_watcher_get_devices (DocketUdevWatcher *self);

G_END_DECLS
