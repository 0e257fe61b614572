/* docket-known-cameras.h — which USB devices are cameras, and their drivers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loaded from data/known-cameras.ini (a GKeyFile): one group per
 * "vvvv:pppp" USB id with Driver, Vendor and Model keys.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  guint16 vendor_id;
  guint16 product_id;
  gchar *driver;
  gchar *vendor;
  gchar *model;
} DocketKnownCamera;

#define DOCKET_TYPE_KNOWN_CAMERAS (docket_known_cameras_get_type ())
G_DECLARE_FINAL_TYPE (DocketKnownCameras, docket_known_cameras, DOCKET, KNOWN_CAMERAS, GObject)

DocketKnownCameras *docket_known_cameras_new_from_file (const gchar *path, GError **error);
DocketKnownCameras *docket_known_cameras_new_from_data (const gchar *data, GError **error);

/* NULL when the device is not a known camera. */
const DocketKnownCamera *
docket_known_cameras_lookup (DocketKnownCameras *self, guint16 vendor_id, guint16 product_id);
guint docket_known_cameras_get_n_entries (DocketKnownCameras *self);

G_END_DECLS
