/* docket-camera-exporter.h — mirrors DocketCamera objects onto D-Bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "docket-camera.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_CAMERA_EXPORTER (docket_camera_exporter_get_type ())
G_DECLARE_FINAL_TYPE (
    DocketCameraExporter, docket_camera_exporter, DOCKET, CAMERA_EXPORTER, GObject)

DocketCameraExporter *docket_camera_exporter_new (GDBusObjectManagerServer *server);

/* Returns the object path the camera is exported at (owned by the exporter). */
const gchar *docket_camera_exporter_add (DocketCameraExporter *self, DocketCamera *camera);
void docket_camera_exporter_remove (DocketCameraExporter *self, DocketCamera *camera);
const gchar *docket_camera_exporter_lookup_path (DocketCameraExporter *self, DocketCamera *camera);
guint docket_camera_exporter_get_n_cameras (DocketCameraExporter *self);

G_END_DECLS
