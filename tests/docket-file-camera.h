/* docket-file-camera.h — a DocketCameraDriver over a folder of files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For tests and benchmarks: a folder with manifest.ini (a GKeyFile) and the
 * recordings. The manifest holds the camera's identity, its Ed25519 key pair
 * (so signatures are real) and, per recording, what the camera claims: name,
 * start, duration, size, SHA-256, signature. Tests edit the manifest to make
 * the camera lie. Deletion rewrites the manifest atomically, then unlinks.
 *
 *   [camera]
 *   serial=… vendor=… model=… public-key=<hex> secret-key=<hex>
 *   [recording 1]
 *   file=rec-1.mp4 name=… start-usec=… duration-ms=… size=… sha256=<hex> signature=<hex>
 */
#pragma once

#include <gio/gio.h>

#include "docket-camera-driver.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_FILE_CAMERA (docket_file_camera_get_type ())
G_DECLARE_FINAL_TYPE (DocketFileCamera, docket_file_camera, DOCKET, FILE_CAMERA, GObject)

/* Opens an existing camera folder. */
DocketFileCamera *docket_file_camera_new (const gchar *dir, GError **error);
/* Creates the folder and a manifest with a fresh key pair. */
DocketFileCamera *docket_file_camera_create (const gchar *dir, const gchar *serial, GError **error);

/* Adds @source as a new recording (hard link when @link and possible, else a
 * copy), hashing and signing it. */
gboolean docket_file_camera_add_recording (DocketFileCamera *self,
                                           const gchar *source,
                                           gint64 start_usec,
                                           guint64 duration_ms,
                                           gboolean hard_link,
                                           guint32 *out_id,
                                           GError **error);

/* Direct access to the manifest for tests that make the camera lie. Changes
 * are saved by docket_file_camera_save_manifest(). */
GKeyFile *docket_file_camera_get_manifest (DocketFileCamera *self);
gboolean docket_file_camera_save_manifest (DocketFileCamera *self, GError **error);
gchar *docket_file_camera_get_recording_path (DocketFileCamera *self, guint32 id);

/* Fault injection: after @bytes more bytes are read, reads fail as if the
 * camera were undocked (0 = never). */
void docket_file_camera_set_fail_after (DocketFileCamera *self, guint64 bytes);
/* Each read returns at most @max bytes and sleeps @delay_us first (slow camera). */
void docket_file_camera_set_read_limits (DocketFileCamera *self, gsize max, gulong delay_us);
/* Undo close(): the camera is docked again. */
void docket_file_camera_reconnect (DocketFileCamera *self);

G_END_DECLS
