/* docket-camera-driver-registry.h — which driver speaks to which camera family
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * known-cameras.ini names a family ("dcp") for each USB id; each family in
 * src/core/drivers/<family>/ registers a factory here under that name
 * (docket_drivers_register_builtin() does it for the families Docket ships).
 * The device monitor asks the registry for a driver and never sees the
 * family's own type, so adding a family touches only its folder, the
 * registration list and known-cameras.ini.
 *
 * Threads: any; the registry is process-wide and locked.
 */
#pragma once

#include "docket-camera-driver.h"
#include "docket-usb-context.h"

G_BEGIN_DECLS

/* Cheap, no I/O: returns a driver for the USB device at @bus/@address,
 * opened later with docket_camera_driver_open(). @label names the camera in
 * errors until it has identified itself (e.g. "in slot 1-3"). */
typedef DocketCameraDriver *(*DocketCameraDriverFactory) (DocketUsbContext *usb,
                                                          guint8 bus,
                                                          guint8 address,
                                                          const gchar *label);

/* Registers (or replaces) the factory for @family. */
void docket_camera_driver_registry_add (const gchar *family, DocketCameraDriverFactory factory);
gboolean docket_camera_driver_registry_contains (const gchar *family);
/* NULL when no driver of @family is registered. */
DocketCameraDriver *docket_camera_driver_registry_create (
    const gchar *family, DocketUsbContext *usb, guint8 bus, guint8 address, const gchar *label);

G_END_DECLS
