/* test-dcp-driver.c — the DCP driver against a simulated camera
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "docket-dcp-protocol.h"
#include "docket-known-cameras.h"
#include "docket-signature.h"
#include "test-dcp-common.h"

static DocketSimTestbed *testbed;

static DocketCameraDriver *
dock_and_open (const gchar *serial, guint n_clips, DocketSimCamera **out_camera)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *camera = dcp_test_add_camera (testbed, serial, n_clips);

  docket_sim_testbed_dock (testbed, serial, &error);
  g_assert_no_error (error);
  if (out_camera != NULL)
    *out_camera = camera;
  return DOCKET_CAMERA_DRIVER (dcp_test_open_driver (testbed, serial));
}

static void
test_identify_status (void)
{
  g_autoptr (GError) error = NULL;
  g_auto (DocketCameraIdentity) identity = { 0 };
  DocketCameraStatus status = { 0 };
  DocketSimCamera *camera;
  g_autoptr (DocketCameraDriver) driver = dock_and_open ("ID-0001", 0, &camera);
  guint8 key[32];
  gint64 sim_clock;

  g_assert_cmpstr (docket_camera_driver_get_name (driver), ==, "dcp");
  docket_camera_driver_identify (driver, &identity, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (identity.serial, ==, "ID-0001");
  g_assert_cmpstr (identity.vendor, ==, "Docket Project");
  g_assert_cmpstr (identity.model, ==, "DCP Reference Camera");
  g_assert_cmpstr (identity.firmware_version, ==, "1.0.0");
  g_assert_cmpuint (identity.protocol_version, ==, DCP_PROTOCOL_VERSION);
  g_assert_true (identity.capabilities & DCP_CAP_SIGNED_RECORDINGS);
  docket_sim_camera_get_public_key (camera, key);
  g_assert_cmpmem (identity.public_key, 32, key, 32);

  docket_camera_driver_get_status (driver, &status, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status.battery_percent, >=, 40);
  g_assert_cmpint (status.battery_percent, <=, 100);
  g_assert_cmpint (status.charging, ==, DOCKET_CHARGING_CHARGING);
  g_assert_cmpfloat (status.battery_temperature_c, >, 20.0);
  g_assert_cmpuint (status.battery_cycle_count, ==, 137);
  g_assert_cmpuint (status.battery_full_capacity_mah, <, status.battery_design_capacity_mah);
  g_assert_cmpuint (status.storage_total, >, 0);
  sim_clock = docket_sim_camera_get_clock (camera);
  /* Both clocks were read moments apart: within a minute is "the same". */
  g_assert_cmpint (ABS (status.camera_clock_usec - sim_clock), <, 60 * G_USEC_PER_SEC);
}

static void
test_list_and_read (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_auto (DocketCameraIdentity) identity = { 0 };
  g_autoptr (DocketCameraDriver) driver = dock_and_open ("READ-0001", 2, NULL);

  docket_camera_driver_identify (driver, &identity, NULL, &error);
  g_assert_no_error (error);
  list = docket_camera_driver_list_recordings (driver, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);

  for (guint i = 0; i < list->len; i++)
    {
      DocketRecordingInfo *info = g_ptr_array_index (list, i);
      g_autofree gchar *path = dcp_test_small_clip (i);
      g_autofree gchar *contents = NULL;
      g_autoptr (GBytes) data = NULL;
      g_autoptr (GBytes) data_small = NULL;
      gsize len;
      guint8 sha[32];
      guint8 part[5000];
      gssize n;

      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_cmpuint (info->size, ==, len);
      g_assert_cmpuint (info->duration_ms, ==, 2000);
      g_assert_nonnull (info->name);
      dcp_test_sha256 ((const guint8 *)contents, len, sha);
      g_assert_cmpmem (info->sha256, 32, sha, 32);
      docket_signature_verify (identity.serial, info, identity.public_key, &error);
      g_assert_no_error (error);

      /* Whole file in 1 MiB reads (the offload engine's size). */
      data = dcp_test_read_all (driver, info->id, 1024 * 1024, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (data, NULL), g_bytes_get_size (data), contents, len);

      /* Odd-sized reads: windows continue across calls. */
      data_small = dcp_test_read_all (driver, info->id, 7777, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (data_small, NULL), g_bytes_get_size (data_small), contents,
                       len);

      /* Resume in the middle, as after an interrupted offload. */
      n = docket_camera_driver_read_recording (driver, info->id, 1000, part, sizeof part, NULL,
                                               &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, ==, sizeof part);
      g_assert_cmpmem (part, sizeof part, contents + 1000, sizeof part);

      /* At the end: 0. */
      n = docket_camera_driver_read_recording (driver, info->id, len, part, sizeof part, NULL,
                                               &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, ==, 0);
    }

  /* Unknown id: a clear NOT_FOUND. */
  {
    guint8 buf[16];
    gssize n = docket_camera_driver_read_recording (driver, 9999, 0, buf, sizeof buf, NULL, &error);

    g_assert_cmpint (n, ==, -1);
    g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  }
}

static void
test_config (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) config = NULL;
  g_autoptr (GVariant) after = NULL;
  g_autoptr (DocketCameraDriver) driver = dock_and_open ("CFG-0001", 0, NULL);
  GVariantDict dict;
  guint32 fps = 0;
  gboolean audio = TRUE;
  const gchar *resolution = NULL;

  config = docket_camera_driver_get_config (driver, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (config, "frame-rate", "u", &fps));
  g_assert_cmpuint (fps, ==, 30);
  g_assert_true (g_variant_lookup (config, "resolution", "&s", &resolution));
  g_assert_cmpstr (resolution, ==, "1920x1080");

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "frame-rate", "u", 60);
  g_variant_dict_insert (&dict, "audio", "b", FALSE);
  g_variant_dict_insert (&dict, "device-name", "s", "Unit 12");
  docket_camera_driver_set_config (driver, g_variant_dict_end (&dict), NULL, &error);
  g_assert_no_error (error);

  after = docket_camera_driver_get_config (driver, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (after, "frame-rate", "u", &fps));
  g_assert_cmpuint (fps, ==, 60);
  g_assert_true (g_variant_lookup (after, "audio", "b", &audio));
  g_assert_false (audio);

  /* A value the camera refuses: nothing at all is applied. */
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "audio", "b", TRUE);
  g_variant_dict_insert (&dict, "frame-rate", "u", 0);
  g_assert_false (
      docket_camera_driver_set_config (driver, g_variant_dict_end (&dict), NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_clear_pointer (&after, g_variant_unref);
  after = docket_camera_driver_get_config (driver, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (after, "audio", "b", &audio));
  g_assert_false (audio);

  /* Unknown keys and wrong types are the caller's mistake: INVALID. */
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "warp-speed", "u", 9);
  g_assert_false (
      docket_camera_driver_set_config (driver, g_variant_dict_end (&dict), NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "frame-rate", "s", "fast");
  g_assert_false (
      docket_camera_driver_set_config (driver, g_variant_dict_end (&dict), NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
}

static void
test_clock_indicator_delete (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GPtrArray) after = NULL;
  DocketSimCamera *camera;
  g_autoptr (DocketCameraDriver) driver = dock_and_open ("MISC-0001", 2, &camera);
  gint64 target = g_get_real_time () - G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
  guint32 id;

  docket_camera_driver_set_clock (driver, target, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ABS (docket_sim_camera_get_clock (camera) - target), <, 60 * G_USEC_PER_SEC);

  docket_camera_driver_set_indicator (driver, DOCKET_INDICATOR_OFFLOADING, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (docket_sim_camera_get_indicator (camera), ==, DCP_INDICATOR_OFFLOADING);
  docket_camera_driver_set_indicator (driver, DOCKET_INDICATOR_DONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (docket_sim_camera_get_indicator (camera), ==, DCP_INDICATOR_DONE);

  list = docket_camera_driver_list_recordings (driver, NULL, &error);
  g_assert_no_error (error);
  id = ((DocketRecordingInfo *)g_ptr_array_index (list, 0))->id;
  docket_camera_driver_delete_recording (driver, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (docket_sim_camera_has_recording (camera, id));
  after = docket_camera_driver_list_recordings (driver, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 1);

  g_assert_false (docket_camera_driver_delete_recording (driver, id, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
}

typedef struct
{
  DocketCameraDriver *driver;
  guint32 id;
  GBytes *expected;
  gboolean reader;
} Worker;

static gpointer
worker_thread (gpointer data)
{
  Worker *w = data;
  g_autoptr (GError) error = NULL;

  for (guint round = 0; round < 5; round++)
    {
      if (w->reader)
        {
          g_autoptr (GBytes) got = dcp_test_read_all (w->driver, w->id, 64 * 1024, &error);

          g_assert_no_error (error);
          g_assert_true (g_bytes_equal (got, w->expected));
        }
      else
        {
          DocketCameraStatus status;

          for (guint i = 0; i < 20; i++)
            {
              docket_camera_driver_get_status (w->driver, &status, NULL, &error);
              g_assert_no_error (error);
            }
        }
    }
  return NULL;
}

/* Offload reads, status polls and another offload at once: calls serialise
 * and every reader still gets exactly its file. */
static void
test_concurrent (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketCameraDriver) driver = dock_and_open ("CONC-0001", 2, NULL);
  g_autoptr (GPtrArray) list = docket_camera_driver_list_recordings (driver, NULL, &error);
  Worker workers[4];
  GThread *threads[4];

  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      DocketRecordingInfo *info = g_ptr_array_index (list, i % 2);
      g_autofree gchar *path = dcp_test_small_clip (i % 2);
      g_autofree gchar *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      workers[i] = (Worker){ .driver = driver,
                             .id = info->id,
                             .reader = i < 3,
                             .expected = g_bytes_new_take (g_steal_pointer (&contents), len) };
      threads[i] = g_thread_new ("worker", worker_thread, &workers[i]);
    }
  for (guint i = 0; i < 4; i++)
    {
      g_thread_join (threads[i]);
      g_bytes_unref (workers[i].expected);
    }
}

/* close() from another thread while a read is under way ends it promptly
 * with DISCONNECTED, and later calls fail the same way. */
static void
test_close (void)
{
  g_autoptr (GError) error = NULL;
  g_auto (DocketCameraIdentity) identity = { 0 };
  g_autoptr (DocketCameraDriver) driver = dock_and_open ("CLOSE-0001", 0, NULL);

  docket_camera_driver_close (driver);
  g_assert_false (docket_camera_driver_identify (driver, &identity, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED);
}

static void
test_cancel (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  DocketCameraStatus status;
  g_autoptr (DocketCameraDriver) driver = dock_and_open ("CANCEL-0001", 0, NULL);

  g_cancellable_cancel (cancellable);
  g_assert_false (docket_camera_driver_get_status (driver, &status, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  /* The driver stays usable. */
  g_assert_true (docket_camera_driver_get_status (driver, &status, NULL, &error));
  g_assert_no_error (error);
}

/* Reads run ahead of the caller; status polls (even cancelled ones) and
 * other commands in between must neither disturb nor corrupt them. */
static void
test_read_ahead_interleaved (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancelled = g_cancellable_new ();
  g_autofree gchar *path = dcp_test_random_file (5 * 1024 * 1024 + 333, 5);
  g_autofree gchar *contents = NULL;
  g_autofree guint8 *buf = g_malloc (1024 * 1024);
  g_autoptr (GByteArray) got = g_byte_array_new ();
  DocketSimCamera *camera;
  g_autoptr (DocketCameraDriver) driver = dock_and_open ("AHEAD-0001", 0, &camera);
  guint32 id = docket_sim_camera_add_recording (camera, path, &error);
  DocketCameraStatus status;
  gsize len;
  guint round = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_cancellable_cancel (cancelled);
  for (;;)
    {
      gssize n = docket_camera_driver_read_recording (driver, id, got->len, buf, 1024 * 1024, NULL,
                                                      &error);

      g_assert_no_error (error);
      if (n == 0)
        break;
      g_byte_array_append (got, buf, n);
      switch (round++ % 3)
        {
          case 0:
            g_assert_false (docket_camera_driver_get_status (driver, &status, cancelled, &error));
            g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
            g_clear_error (&error);
            break;
          case 1:
            g_assert_true (docket_camera_driver_get_status (driver, &status, NULL, &error));
            break;
          default:
            {
              /* A command resets the camera's stream; the next read starts again. */
              g_autoptr (GPtrArray) list
                  = docket_camera_driver_list_recordings (driver, NULL, &error);

              g_assert_no_error (error);
              g_assert_cmpuint (list->len, ==, 1);
            }
        }
    }
  g_assert_cmpmem (got->data, got->len, contents, len);
  g_unlink (path);
}

/* Cameras given the same clip as distinct recordings hold different bytes:
 * the clip, then a 16-byte MP4 free box; listed hashes and signatures
 * cover it, reads (also across the boundary) serve it. */
static void
test_distinct_recordings (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = dcp_test_random_file (1024 * 1024 + 5, 9);
  g_autofree gchar *contents = NULL;
  guint8 sha[2][32];
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  for (guint c = 0; c < 2; c++)
    {
      g_autofree gchar *serial = g_strdup_printf ("DISTINCT-%04u", c);
      g_auto (DocketCameraIdentity) identity = { 0 };
      DocketSimCamera *camera;
      g_autoptr (DocketCameraDriver) driver = dock_and_open (serial, 0, &camera);
      guint32 id = docket_sim_camera_add_recording_distinct (camera, path, 1000, &error);
      g_autoptr (GPtrArray) list = NULL;
      g_autoptr (GBytes) data = NULL;
      g_autoptr (GBytes) odd = NULL;
      const guint8 *bytes;
      DocketRecordingInfo *info;

      g_assert_no_error (error);
      g_assert_cmpuint (id, !=, 0);
      docket_camera_driver_identify (driver, &identity, NULL, &error);
      g_assert_no_error (error);
      list = docket_camera_driver_list_recordings (driver, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (list->len, ==, 1);
      info = g_ptr_array_index (list, 0);
      g_assert_cmpuint (info->size, ==, len + 16);
      docket_signature_verify (identity.serial, info, identity.public_key, &error);
      g_assert_no_error (error);

      data = dcp_test_read_all (driver, id, 1024 * 1024, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (data), ==, len + 16);
      bytes = g_bytes_get_data (data, NULL);
      g_assert_cmpmem (bytes, len, contents, len);
      g_assert_cmpmem (bytes + len, 8, "\0\0\0\020free", 8);
      dcp_test_sha256 (bytes, len + 16, sha[c]);
      g_assert_cmpmem (info->sha256, 32, sha[c], 32);
      /* Reads that end inside the box and start inside it. */
      odd = dcp_test_read_all (driver, id, len + 9, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (odd, NULL), g_bytes_get_size (odd), bytes, len + 16);
    }
  g_assert_true (memcmp (sha[0], sha[1], 32) != 0);
  g_unlink (path);
}

static void
test_known_cameras (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketKnownCameras) table = NULL;
  g_autoptr (DocketKnownCameras) bad = NULL;
  const DocketKnownCamera *entry;
  const gchar *bad_tables[] = {
    "[12:34]\nDriver=dcp\n",
    "[1209:zz01]\nDriver=dcp\n",
    "[1209:dc01]\nModel=No driver\n",
    "not a key file at all [",
  };

  table = docket_known_cameras_new_from_file (g_getenv ("DOCKET_KNOWN_CAMERAS"), &error);
  g_assert_no_error (error);
  entry = docket_known_cameras_lookup (table, DOCKET_SIM_USB_VENDOR, DOCKET_SIM_USB_PRODUCT);
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->driver, ==, "dcp");
  g_assert_nonnull (entry->model);
  g_assert_null (docket_known_cameras_lookup (table, 0x1234, 0x5678));

  for (gsize i = 0; i < G_N_ELEMENTS (bad_tables); i++)
    {
      bad = docket_known_cameras_new_from_data (bad_tables[i], &error);
      g_assert_null (bad);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_clear_error (&error);
    }
  bad = docket_known_cameras_new_from_file ("/nonexistent/known-cameras.ini", &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "/nonexistent/known-cameras.ini"));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int rc;

  dcp_test_ensure_preload (argv);
  g_test_init (&argc, &argv, NULL);

  testbed = docket_sim_testbed_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/dcp/identify-status", test_identify_status);
  g_test_add_func ("/dcp/list-and-read", test_list_and_read);
  g_test_add_func ("/dcp/config", test_config);
  g_test_add_func ("/dcp/clock-indicator-delete", test_clock_indicator_delete);
  g_test_add_func ("/dcp/concurrent", test_concurrent);
  g_test_add_func ("/dcp/close", test_close);
  g_test_add_func ("/dcp/cancel", test_cancel);
  g_test_add_func ("/dcp/known-cameras", test_known_cameras);
  g_test_add_func ("/dcp/read-ahead-interleaved", test_read_ahead_interleaved);
  g_test_add_func ("/dcp/distinct-recordings", test_distinct_recordings);
  rc = g_test_run ();
  g_clear_object (&testbed);
  return rc;
}
