/* docket-usb-context.h — the process's libusb context and its event thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One per process, shared by every USB driver. A dedicated thread runs
 * libusb's event loop, so asynchronous transfers complete (and call their
 * callbacks) on that thread, never on the main loop.
 */
#pragma once

#include <gio/gio.h>
#include <libusb.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_USB_CONTEXT (docket_usb_context_get_type ())
G_DECLARE_FINAL_TYPE (DocketUsbContext, docket_usb_context, DOCKET, USB_CONTEXT, GObject)

/* Returns a new reference to the shared context, creating it (and starting
 * its event thread) on first use. Thread-safe. */
DocketUsbContext *docket_usb_context_dup_default (GError **error);

libusb_context *docket_usb_context_get_libusb (DocketUsbContext *self);

/* Finds the device at @bus / @address, waiting up to @wait_ms for libusb to
 * learn of a device udev has just announced. Returns a referenced device
 * (libusb_unref_device) or NULL with DOCKET_ERROR_NOT_FOUND. Blocking. */
libusb_device *docket_usb_context_find_device (DocketUsbContext *self,
                                               guint8 bus,
                                               guint8 address,
                                               guint wait_ms,
                                               GCancellable *cancellable,
                                               GError **error);

G_END_DECLS
