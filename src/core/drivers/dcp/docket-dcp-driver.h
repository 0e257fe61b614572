/* docket-dcp-driver.h — the Docket Camera Protocol over libusb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Implements DocketCameraDriver. Public methods block the calling thread
 * (never the main loop) while libusb's event thread (DocketUsbContext)
 * completes asynchronous transfers; calls are serialised per camera, so
 * offload reads, status polls and indicator changes may come from any
 * threads at once. Sequential read_recording() calls stream: one READ
 * command per 64 MiB, with 1 MiB bulk transfers kept in flight ahead of the
 * caller: from 2, deeper (up to 8) while that makes reading faster.
 */
#pragma once

#include "docket-camera-driver.h"
#include "docket-dcp-messages.h"
#include "docket-usb-context.h"

G_BEGIN_DECLS

#define DOCKET_DCP_DRIVER_DEFAULT_TIMEOUT_MS 5000

#define DOCKET_TYPE_DCP_DRIVER (docket_dcp_driver_get_type ())
G_DECLARE_FINAL_TYPE (DocketDcpDriver, docket_dcp_driver, DOCKET, DCP_DRIVER, GObject)

/* Cheap, does no I/O. @label names the camera in errors until identify
 * succeeds (then its serial is used), e.g. "in slot 1-3". */
DocketDcpDriver *
docket_dcp_driver_new (DocketUsbContext *context, guint8 bus, guint8 address, const gchar *label);

/* Finds, opens and claims the device. Blocking. */
gboolean docket_dcp_driver_open (DocketDcpDriver *self, GCancellable *cancellable, GError **error);

/* How long one transfer may take before the camera counts as not answering.
 * Defaults to DOCKET_DCP_DRIVER_DEFAULT_TIMEOUT_MS, or $DOCKET_DCP_TIMEOUT_MS. */
void docket_dcp_driver_set_timeout (DocketDcpDriver *self, guint timeout_ms);

/* How many 1 MiB bulk transfers a streaming read keeps in flight: 1–8, or
 * 0 (the default) to adapt: start at 2 and double while each 8 MiB read
 * deeper comes in at least 5% faster, re-probing each READ window. Fixed
 * depths are for measurements. */
void docket_dcp_driver_set_read_ahead (DocketDcpDriver *self, guint transfers);
/* The depth reads use now: the fixed setting, or what adapting settled on. */
guint docket_dcp_driver_get_read_ahead_depth (DocketDcpDriver *self);
/* Bounds the adaptive read-ahead of all DCP cameras of the process
 * together to @transfers 1 MiB buffers, shared equally by the cameras
 * streaming (at least 2 each, at most 8); 0: the default, 16. Any thread. */
void docket_dcp_driver_set_read_ahead_budget (guint transfers);

/* DCP 1.1 charge control (DCP_CAP_CHARGE_CONTROL in identify). Blocking.
 * @level_percent is used by DOCKET_CHARGE_MODE_HOLD only. Check the
 * capability first: a 1.0 camera stalls the request (an error). */
gboolean docket_dcp_driver_set_charge (DocketDcpDriver *self,
                                       DocketChargeMode mode,
                                       guint level_percent,
                                       GCancellable *cancellable,
                                       GError **error);

/* DCP 1.2 firmware update (DCP_CAP_FIRMWARE_UPDATE in identify; a camera
 * without it stalls these requests). Blocking. docs/protocol.md §9.2:
 * begin, write the image in order in chunks of at most DCP_FW_MAX_CHUNK
 * bytes, commit. After a successful commit the camera restarts: the device
 * disappears and comes back with the new firmware. Abort drops a partial
 * image; the active firmware is never touched before commit. */
gboolean docket_dcp_driver_firmware_begin (DocketDcpDriver *self,
                                           guint64 image_size,
                                           const guint8 sha256[32],
                                           const gchar *version,
                                           GCancellable *cancellable,
                                           GError **error);
gboolean docket_dcp_driver_firmware_write (DocketDcpDriver *self,
                                           guint64 offset,
                                           const guint8 *data,
                                           gsize len,
                                           GCancellable *cancellable,
                                           GError **error);
gboolean docket_dcp_driver_firmware_commit (DocketDcpDriver *self,
                                            GCancellable *cancellable,
                                            GError **error);
gboolean
docket_dcp_driver_firmware_abort (DocketDcpDriver *self, GCancellable *cancellable, GError **error);
/* FW_STATUS: the active slot and what it runs, an update in progress. */
gboolean docket_dcp_driver_get_firmware_status (DocketDcpDriver *self,
                                                DocketDcpFirmwareStatus *out_status,
                                                GCancellable *cancellable,
                                                GError **error);

G_END_DECLS
