/* test-camera-exporter.c — cameras mirrored onto D-Bus by dock slot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "docket-camera-exporter.h"
#include "docket-dbus-generated.h"
#include "docket-message.h"
#include "docket-file-camera.h"

static DocketCamera *
new_camera (const gchar *dir, const gchar *name, const gchar *slot)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *camera_dir = g_build_filename (dir, name, NULL);
  g_autoptr (DocketFileCamera) driver = docket_file_camera_create (camera_dir, name, &error);

  g_assert_no_error (error);
  return docket_camera_new (DOCKET_CAMERA_DRIVER (driver), slot);
}

/* A camera re-docked into a slot before the old one's removal is handled
 * takes the slot's path; removing the stale one must not unexport it. */
static void
test_stale_camera_at_same_slot (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("docket-exporter-XXXXXX", NULL);
  g_autoptr (GDBusObjectManagerServer) server
      = g_dbus_object_manager_server_new ("/io/github/docket/Docket1");
  g_autoptr (DocketCameraExporter) exporter = docket_camera_exporter_new (server);
  g_autoptr (DocketCamera) old_camera = new_camera (dir, "BWC-OLD", "1-2");
  g_autoptr (DocketCamera) new_camera_ = new_camera (dir, "BWC-NEW", "1-2");
  g_autoptr (GDBusObject) object = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *cmd = NULL;

  path = g_strdup (docket_camera_exporter_add (exporter, old_camera));
  g_assert_cmpstr (path, ==, docket_camera_exporter_add (exporter, new_camera_));
  g_assert_cmpuint (docket_camera_exporter_get_n_cameras (exporter), ==, 1);
  g_assert_null (docket_camera_exporter_lookup_path (exporter, old_camera));

  docket_camera_exporter_remove (exporter, old_camera);
  object = g_dbus_object_manager_get_object (G_DBUS_OBJECT_MANAGER (server), path);
  g_assert_nonnull (object);
  g_assert_cmpstr (docket_camera_exporter_lookup_path (exporter, new_camera_), ==, path);

  docket_camera_exporter_remove (exporter, new_camera_);
  g_clear_object (&object);
  object = g_dbus_object_manager_get_object (G_DBUS_OBJECT_MANAGER (server), path);
  g_assert_null (object);
  g_free (cmd);
  cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

/* Camera.Messages mirrors the camera's messages, so a kiosk in another
 * language can word the texts itself. */
static void
test_messages_exported (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("docket-exporter-XXXXXX", NULL);
  g_autoptr (GDBusObjectManagerServer) server
      = g_dbus_object_manager_server_new ("/io/github/docket/Docket1");
  g_autoptr (DocketCameraExporter) exporter = docket_camera_exporter_new (server);
  g_autoptr (DocketCamera) camera = new_camera (dir, "BWC-MSG", "1-3");
  g_autoptr (GDBusObject) object = NULL;
  g_autoptr (GVariant) message = NULL;
  g_autofree gchar *cmd = NULL;
  DocketDBusCamera *iface;
  const gchar *path = docket_camera_exporter_add (exporter, camera);

  object = g_dbus_object_manager_get_object (G_DBUS_OBJECT_MANAGER (server), path);
  iface = docket_dbus_object_peek_camera (DOCKET_DBUS_OBJECT (object));
  docket_camera_set_firmware_update_message (
      camera, docket_message_new ("Updating firmware to %s: %u %%", "2.1.0", 42));
  g_assert_cmpstr (docket_dbus_camera_get_firmware_update (iface), ==,
                   "Updating firmware to 2.1.0: 42 %");
  message = g_variant_lookup_value (docket_dbus_camera_get_messages (iface), "firmware-update",
                                    DOCKET_MESSAGE_TYPE);
  g_assert_nonnull (message);
  docket_camera_exporter_remove (exporter, camera);
  cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/camera-exporter/stale-camera-at-same-slot", test_stale_camera_at_same_slot);
  g_test_add_func ("/camera-exporter/messages", test_messages_exported);
  return g_test_run ();
}
