/* docket-drivers.c — registration of the built-in camera families
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A new family adds its folder beside dcp/, a subdir() in meson.build, and
 * one line here.
 */

#include "config.h"

#include "docket-camera-driver-registry.h"
#include "docket-dcp-driver.h"
#include "docket-drivers.h"

static DocketCameraDriver *
new_dcp_driver (DocketUsbContext *usb, guint8 bus, guint8 address, const gchar *label)
{
  return DOCKET_CAMERA_DRIVER (docket_dcp_driver_new (usb, bus, address, label));
}

void
docket_drivers_register_builtin (void)
{
  docket_camera_driver_registry_add ("dcp", new_dcp_driver);
}
