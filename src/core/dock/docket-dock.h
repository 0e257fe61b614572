/* docket-dock.h — the dock: cameras in, verified evidence out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ties the device monitor, the evidence store and the offload manager
 * together: a docked camera is identified, then offloaded; an undocked one
 * has its offload cancelled (the partial copy is kept for resume). Every
 * step is announced through ::event with a plain-words, translated message
 * so that the daemon (D-Bus), logs and tests all see the same story.
 * Main-thread object.
 */
#pragma once

#include <gio/gio.h>

#include "docket-camera.h"
#include "docket-device-monitor.h"
#include "docket-evidence-store.h"
#include "docket-firmware-updater.h"
#include "docket-offload-manager.h"
#include "docket-policy.h"
#include "docket-timedate.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_DOCK (docket_dock_get_type ())
G_DECLARE_FINAL_TYPE (DocketDock, docket_dock, DOCKET, DOCK, GObject)

/* Opens (creating if needed) the evidence store under @store_root and loads
 * the known-cameras table. Nothing is watched until docket_dock_start(). */
DocketDock *
docket_dock_new (const gchar *store_root, const gchar *known_cameras_path, GError **error);
gboolean docket_dock_start (DocketDock *self, GError **error);
void docket_dock_stop (DocketDock *self);

DocketEvidenceStore *docket_dock_get_store (DocketDock *self);
DocketOffloadManager *docket_dock_get_offload_manager (DocketDock *self);
DocketDeviceMonitor *docket_dock_get_device_monitor (DocketDock *self);
/* Docked cameras (transfer container). */
GPtrArray *docket_dock_get_cameras (DocketDock *self);

/* Device policy: each camera docked from now on is checked
 * against @policy alongside its offload (::event "policy-checked", and
 * "kiosk-clock-unsynchronised" when its clock could not be trusted).
 * @policy NULL: none in force. @timedate: NULL = kiosk clock unknown.
 * Notifies #DocketDock:policy. */
void docket_dock_set_policy (DocketDock *self, DocketPolicy *policy, DocketTimedate *timedate);
DocketPolicy *docket_dock_get_policy (DocketDock *self);

/* Firmware update: after an offload that left nothing on the
 * camera, a camera below the policy's minimum-firmware gets the policy's
 * image from @firmware_dir (default: docket_firmware_default_dir() of the
 * store's parent folder). ::event firmware-update-*. */
void docket_dock_set_firmware_dir (DocketDock *self, const gchar *firmware_dir);
DocketFirmwareUpdater *docket_dock_get_firmware_updater (DocketDock *self);

G_END_DECLS
