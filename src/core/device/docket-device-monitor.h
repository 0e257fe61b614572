/* docket-device-monitor.h — notices cameras being docked and undocked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Watches udev for USB devices, matches them against the known-cameras table,
 * opens the right driver, identifies the camera off the main thread and
 * announces it. Runs on (and emits on) the thread-default main context it was
 * started from.
 */
#pragma once

#include <gio/gio.h>

#include "docket-camera.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_DEVICE_MONITOR (docket_device_monitor_get_type ())
G_DECLARE_FINAL_TYPE (DocketDeviceMonitor, docket_device_monitor, DOCKET, DEVICE_MONITOR, GObject)

/* @known_cameras_path: the table of known cameras (data/known-cameras.ini). */
DocketDeviceMonitor *docket_device_monitor_new (const gchar *known_cameras_path, GError **error);

/* Enumerates what is already docked, then listens for changes.
 * Emits ::camera-added (DocketCamera*) as soon as a camera is seen (state
 * IDENTIFYING, then IDLE or FAULTY once identify finishes) and
 * ::camera-removed (DocketCamera*) when it is undocked. */
gboolean docket_device_monitor_start (DocketDeviceMonitor *self, GError **error);
void docket_device_monitor_stop (DocketDeviceMonitor *self);

/* The cameras currently docked (transfer container). */
GPtrArray *docket_device_monitor_get_cameras (DocketDeviceMonitor *self);

/* Status (battery, storage, clock) of idle cameras is re-read every
 * @seconds (default 30; 0 turns polling off), off the main thread. */
void docket_device_monitor_set_status_interval (DocketDeviceMonitor *self, guint seconds);
/* A camera still identifying @seconds after it was seen (default 30; 0: never)
 * gets a problem saying so: something below every timeout is stuck. */
void docket_device_monitor_set_identify_deadline (DocketDeviceMonitor *self, guint seconds);
/* Re-reads every camera's status now, asynchronously. */
void docket_device_monitor_refresh_status (DocketDeviceMonitor *self);

G_END_DECLS
