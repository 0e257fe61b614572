/* test-firmware-dock.c — the firmware updater in the dock flow, against the
 * umockdev camera simulator through the real libusb driver: offload first,
 * then the update and the restart; an unplug half way and the retry; a
 * tampered image; recordings not yet offloaded; giving up; old cameras
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "docket-dock.h"
#include "docket-firmware-folder.h"
#include "docket-gst.h"
#include "docket-message.h"
#include "docket-sha256.h"
#include "docket-test-dock.h"
#include "test-dcp-common.h"

static DocketSimTestbed *testbed;
static gchar *tmp_dir;

static GBytes *
random_image (gsize size, guint32 seed, guint8 out_sha[32])
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8)g_rand_int (rand);
  dcp_test_sha256 (data, size, out_sha);
  return g_bytes_new_take (data, size);
}

typedef struct
{
  DocketDock *dock;
  DocketEvidenceStore *store;
  GPtrArray *events; /* "kind serial" */
  gchar *dir;
  gchar *firmware_dir;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *root = NULL;
  g_autoptr (GPtrArray) cameras = docket_sim_testbed_get_cameras (testbed);
  static guint n;

  /* Only this test's cameras in the dock. */
  for (guint i = 0; i < cameras->len; i++)
    docket_sim_testbed_undock (testbed, docket_sim_camera_get_serial (cameras->pdata[i]), NULL);
  f->dir = g_strdup_printf ("%s/dock-%u", tmp_dir, n++);
  root = g_build_filename (f->dir, "store", NULL);
  f->firmware_dir = g_build_filename (f->dir, "firmware", NULL);
  g_mkdir_with_parents (f->firmware_dir, 0700);
  f->dock = docket_dock_new (root, g_getenv ("DOCKET_KNOWN_CAMERAS"), &error);
  g_assert_no_error (error);
  /* The default folder sits beside the store. */
  g_assert_cmpstr (docket_firmware_updater_get_dir (docket_dock_get_firmware_updater (f->dock)), ==,
                   f->firmware_dir);
  f->store = docket_dock_get_store (f->dock);
  docket_evidence_store_set_reserve_bytes (f->store, 0);
  docket_device_monitor_set_status_interval (docket_dock_get_device_monitor (f->dock), 0);
  f->events = docket_test_dock_record_events (f->dock);
  docket_dock_start (f->dock, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_signal_handlers_disconnect_by_data (f->dock, f->events);
  docket_dock_stop (f->dock);
  g_clear_object (&f->dock);
  g_ptr_array_unref (f->events);
  for (guint i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_free (f->dir);
  g_free (f->firmware_dir);
}

/* Writes an image into the folder and a policy naming it with @sha256
 * (the image's own hash when NULL). Returns the image's bytes. */
static GBytes *
use_firmware_policy_full (
    Fixture *f, const gchar *file_name, gsize size, const gchar *policy_sha, const gchar *extra)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = g_build_filename (f->firmware_dir, file_name, NULL);
  g_autofree gchar *hex = NULL;
  g_autofree gchar *json = NULL;
  g_autoptr (DocketPolicy) policy = NULL;
  guint8 sha[32];
  GBytes *image = random_image (size, 42, sha);

  g_file_set_contents (path, g_bytes_get_data (image, NULL), size, &error);
  g_assert_no_error (error);
  hex = docket_sha256_to_hex (sha);
  json = g_strdup_printf ("{\"format\": 1, \"version\": 3, \"cameras\": {\"*\": {"
                          "\"minimum-firmware\": \"2.0.0\", \"firmware\": {\"image\": \"%s\", "
                          "\"sha256\": \"%s\"}%s}}}",
                          file_name, policy_sha != NULL ? policy_sha : hex, extra);
  policy = docket_policy_new_from_data (json, strlen (json), &error);
  g_assert_no_error (error);
  docket_dock_set_policy (f->dock, policy, NULL);
  return image;
}

static GBytes *
use_firmware_policy (Fixture *f, const gchar *file_name, gsize size, const gchar *policy_sha)
{
  return use_firmware_policy_full (f, file_name, size, policy_sha, "");
}

typedef struct
{
  Fixture *f;
  const gchar *kind;
  const gchar *serial;
  guint n;
} EventWait;

static gboolean
event_seen (gpointer data)
{
  EventWait *w = data;

  return docket_test_count_events (w->f->events, w->kind, w->serial) >= w->n;
}

static void
wait_event (Fixture *f, const gchar *kind, const gchar *serial, guint n)
{
  EventWait w = { f, kind, serial, n };

  dcp_test_wait_for (event_seen, &w);
}

static DocketCamera *
find_camera (Fixture *f, const gchar *serial)
{
  g_autoptr (GPtrArray) cameras = docket_dock_get_cameras (f->dock);

  for (guint i = 0; i < cameras->len; i++)
    if (g_strcmp0 (docket_camera_get_serial (cameras->pdata[i]), serial) == 0)
      return cameras->pdata[i];
  return NULL;
}

static void
undock (Fixture *f, const gchar *serial)
{
  g_autoptr (GError) error = NULL;
  guint n = docket_test_count_events (f->events, "undocked", serial);

  docket_sim_testbed_undock (testbed, serial, &error);
  g_assert_no_error (error);
  wait_event (f, "undocked", serial, n + 1);
}

/* Offload first, then the update; the camera restarts with the new
 * firmware and then complies with the policy. */
static void
test_dock_update (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *cam = dcp_test_add_camera (testbed, "FW-DOCK-1", 1);
  g_autoptr (GBytes) image = use_firmware_policy (f, "dcp-reference-2.0.0.bin", 150 * 1000, NULL);
  g_autofree gchar *version = NULL;
  DocketCamera *camera;

  docket_sim_testbed_dock (testbed, "FW-DOCK-1", &error);
  g_assert_no_error (error);
  wait_event (f, "firmware-update-finished", "FW-DOCK-1", 1);
  /* Evidence first: offloaded before a single firmware byte was sent. */
  g_assert_cmpint (docket_test_event_index (f->events, "offload-finished", "FW-DOCK-1"), <,
                   docket_test_event_index (f->events, "firmware-update-started", "FW-DOCK-1"));
  g_assert_cmpint (docket_test_event_index (f->events, "recording-verified", "FW-DOCK-1"), >=, 0);
  g_assert_cmpuint (docket_test_count_events (f->events, "firmware-update-progress", "FW-DOCK-1"),
                    >=, 1);
  g_assert_cmpuint (docket_test_count_events (f->events, "firmware-update-restarting", "FW-DOCK-1"),
                    ==, 1);
  version = docket_sim_camera_dup_firmware_version (cam);
  g_assert_cmpstr (version, ==, "2.0.0");
  g_assert_cmpuint (docket_sim_camera_get_active_slot (cam), ==, 1);
  g_assert_true (docket_sim_camera_get_slot_bootable (cam, 0));
  g_assert_cmpuint (docket_test_count_audit (f->store, "firmware-update-started", "FW-DOCK-1"), ==,
                    1);
  g_assert_cmpuint (docket_test_count_audit (f->store, "firmware-update-committed", "FW-DOCK-1"),
                    ==, 1);
  g_assert_cmpuint (docket_test_count_audit (f->store, "firmware-updated", "FW-DOCK-1"), ==, 1);

  /* The re-enumerated camera: new version, compliant, nothing to do. */
  wait_event (f, "policy-checked", "FW-DOCK-1", 2);
  camera = find_camera (f, "FW-DOCK-1");
  g_assert_nonnull (camera);
  g_assert_cmpstr (docket_camera_get_firmware_version (camera), ==, "2.0.0");
  g_assert_cmpstr (docket_camera_get_policy_state (camera), ==, "compliant");
  wait_event (f, "offload-finished", "FW-DOCK-1", 2);
  g_assert_cmpstr (docket_camera_get_firmware_update (camera), ==, "");
  g_assert_cmpuint (docket_sim_camera_get_firmware_begins (cam), ==, 1);
  undock (f, "FW-DOCK-1");
}

/* The cable comes out half way: the old firmware still boots, the next
 * dock retries and succeeds. */
static void
test_dock_unplug_retry (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *cam = dcp_test_add_camera (testbed, "FW-DOCK-2", 0);
  g_autoptr (GBytes) image = use_firmware_policy (f, "dcp-reference-2.0.0.bin", 200 * 1000, NULL);
  DocketFirmwareUpdater *updater = docket_dock_get_firmware_updater (f->dock);
  g_autofree gchar *version = NULL;
  g_autofree gchar *version2 = NULL;

  docket_sim_camera_set_fault (cam, DOCKET_SIM_FAULT_FW_UNPLUG_AT_BYTE, 90 * 1000);
  docket_sim_testbed_dock (testbed, "FW-DOCK-2", &error);
  g_assert_no_error (error);
  wait_event (f, "firmware-update-failed", "FW-DOCK-2", 1);
  wait_event (f, "undocked", "FW-DOCK-2", 1);
  g_assert_cmpuint (docket_firmware_updater_get_attempts (updater, "FW-DOCK-2"), ==, 1);
  version = docket_sim_camera_dup_firmware_version (cam);
  g_assert_cmpstr (version, ==, "1.0.0");
  g_assert_cmpuint (docket_sim_camera_get_active_slot (cam), ==, 0);
  g_assert_true (docket_sim_camera_get_slot_bootable (cam, 0));
  g_assert_false (docket_sim_camera_get_slot_bootable (cam, 1));
  g_assert_cmpuint (docket_test_count_audit (f->store, "firmware-update-failed", "FW-DOCK-2"), ==,
                    1);

  /* Docked again: it boots the old firmware, and the update is retried. */
  docket_sim_testbed_dock (testbed, "FW-DOCK-2", &error);
  g_assert_no_error (error);
  wait_event (f, "firmware-update-finished", "FW-DOCK-2", 1);
  version2 = docket_sim_camera_dup_firmware_version (cam);
  g_assert_cmpstr (version2, ==, "2.0.0");
  g_assert_cmpuint (docket_sim_camera_get_firmware_begins (cam), ==, 2);
  g_assert_cmpuint (docket_test_count_audit (f->store, "firmware-update-started", "FW-DOCK-2"), ==,
                    2);
  g_assert_cmpuint (docket_firmware_updater_get_attempts (updater, "FW-DOCK-2"), ==, 0);
  wait_event (f, "offload-finished", "FW-DOCK-2", 3);
  undock (f, "FW-DOCK-2");
}

/* An image that does not match the policy's SHA-256 is refused, audited
 * and never sent. */
/* The card's firmware line travels as a message, so a kiosk in another
 * language says it in its own. */
static void
assert_card_words (DocketCamera *camera, const gchar *msgid_prefix)
{
  g_autoptr (GVariant) message = g_variant_lookup_value (docket_camera_get_messages (camera),
                                                         "firmware-update", DOCKET_MESSAGE_TYPE);
  const gchar *msgid = NULL;

  g_assert_nonnull (message);
  g_variant_get (message, "(&s&st@as)", &msgid, NULL, NULL, NULL);
  g_assert_true (g_str_has_prefix (msgid, msgid_prefix));
}

static void
test_dock_tampered (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *cam = dcp_test_add_camera (testbed, "FW-DOCK-3", 0);
  g_autoptr (GBytes) image
      = use_firmware_policy (f, "dcp-reference-2.0.0.bin", 30 * 1000,
                             "0000000000000000000000000000000000000000000000000000000000000000");
  DocketCamera *camera;

  docket_sim_testbed_dock (testbed, "FW-DOCK-3", &error);
  g_assert_no_error (error);
  wait_event (f, "firmware-update-refused", "FW-DOCK-3", 1);
  g_assert_cmpuint (docket_sim_camera_get_firmware_begins (cam), ==, 0);
  g_assert_cmpuint (docket_sim_camera_get_firmware_received (cam), ==, 0);
  g_assert_cmpuint (docket_test_count_audit (f->store, "firmware-image-refused", "FW-DOCK-3"), ==,
                    1);
  g_assert_cmpuint (docket_test_count_audit (f->store, "firmware-update-started", "FW-DOCK-3"), ==,
                    0);
  camera = find_camera (f, "FW-DOCK-3");
  g_assert_nonnull (strstr (docket_camera_get_firmware_update (camera), "does not match"));
  assert_card_words (camera, "Firmware update refused: the kiosk's firmware image cannot be used");
  undock (f, "FW-DOCK-3");
}

/* A recording that failed its check stays on the camera: no flashing until
 * it is safely stored, then the update runs. */
static void
test_dock_pending_recordings (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *cam = dcp_test_add_camera (testbed, "FW-DOCK-4", 1);
  g_autoptr (GBytes) image = use_firmware_policy (f, "dcp-reference-2.0.0.bin", 20 * 1000, NULL);
  g_autofree gchar *version = NULL;
  DocketCamera *camera;

  docket_sim_camera_set_fault (cam, DOCKET_SIM_FAULT_CORRUPT_BYTE, 1000);
  docket_sim_testbed_dock (testbed, "FW-DOCK-4", &error);
  g_assert_no_error (error);
  wait_event (f, "firmware-update-deferred", "FW-DOCK-4", 1);
  g_assert_cmpuint (docket_test_count_events (f->events, "recording-quarantined", "FW-DOCK-4"), ==,
                    1);
  g_assert_cmpuint (docket_sim_camera_get_n_recordings (cam), ==, 1);
  g_assert_cmpuint (docket_sim_camera_get_firmware_begins (cam), ==, 0);
  camera = find_camera (f, "FW-DOCK-4");
  g_assert_nonnull (strstr (docket_camera_get_firmware_update (camera), "not offloaded yet"));
  assert_card_words (camera, "Firmware update waits: %u recording is not offloaded yet");
  undock (f, "FW-DOCK-4");

  /* The link is good again: offloaded and erased, then flashed. */
  docket_sim_camera_clear_faults (cam);
  docket_sim_testbed_dock (testbed, "FW-DOCK-4", &error);
  g_assert_no_error (error);
  wait_event (f, "firmware-update-finished", "FW-DOCK-4", 1);
  g_assert_cmpuint (docket_sim_camera_get_n_recordings (cam), ==, 0);
  version = docket_sim_camera_dup_firmware_version (cam);
  g_assert_cmpstr (version, ==, "2.0.0");
  wait_event (f, "offload-finished", "FW-DOCK-4", 3);
  undock (f, "FW-DOCK-4");
}

/* After max-attempts failures the updater stops and says so. */
static void
test_dock_gives_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *cam = dcp_test_add_camera (testbed, "FW-DOCK-5", 0);
  g_autoptr (GBytes) image = use_firmware_policy (f, "dcp-reference-2.0.0.bin", 20 * 1000, NULL);
  DocketFirmwareUpdater *updater = docket_dock_get_firmware_updater (f->dock);
  DocketCamera *camera;

  docket_firmware_updater_set_max_attempts (updater, 2);
  /* Every image arrives damaged: the camera refuses each commit. */
  docket_sim_camera_set_fault (cam, DOCKET_SIM_FAULT_FW_CORRUPT_CHUNK, 5000);
  for (guint i = 1; i <= 3; i++)
    {
      docket_sim_testbed_dock (testbed, "FW-DOCK-5", &error);
      g_assert_no_error (error);
      wait_event (f, "firmware-update-failed", "FW-DOCK-5", i);
      camera = find_camera (f, "FW-DOCK-5");
      if (i >= 2)
        {
          g_assert_nonnull (strstr (docket_camera_get_firmware_update (camera), "stopped trying"));
          assert_card_words (camera, "Firmware update to %s failed %u time;");
        }
      else
        assert_card_words (camera, "Firmware update to %s failed; the old firmware still works");
      undock (f, "FW-DOCK-5");
    }
  /* Two real attempts, then no more bytes sent. */
  g_assert_cmpuint (docket_sim_camera_get_firmware_begins (cam), ==, 2);
  g_assert_cmpuint (docket_test_count_audit (f->store, "firmware-update-started", "FW-DOCK-5"), ==,
                    2);
  g_assert_cmpuint (docket_test_count_audit (f->store, "firmware-update-abandoned", "FW-DOCK-5"),
                    ==, 1);
  g_assert_cmpuint (docket_sim_camera_get_active_slot (cam), ==, 0);
}

/* Recordings kept on the camera by the policy are safe once stored: the
 * update does not wait for them. */
static void
test_dock_kept_recordings (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *cam = dcp_test_add_camera (testbed, "FW-DOCK-6", 1);
  g_autoptr (GBytes) image = use_firmware_policy_full (f, "dcp-reference-2.0.0.bin", 20 * 1000,
                                                       NULL, ", \"erase-after-offload\": false");
  g_autofree gchar *version = NULL;

  docket_sim_testbed_dock (testbed, "FW-DOCK-6", &error);
  g_assert_no_error (error);
  wait_event (f, "firmware-update-finished", "FW-DOCK-6", 1);
  g_assert_cmpuint (docket_test_count_events (f->events, "firmware-update-deferred", "FW-DOCK-6"),
                    ==, 0);
  g_assert_cmpuint (docket_sim_camera_get_n_recordings (cam), ==, 1);
  version = docket_sim_camera_dup_firmware_version (cam);
  g_assert_cmpstr (version, ==, "2.0.0");
  wait_event (f, "offload-finished", "FW-DOCK-6", 2);
  undock (f, "FW-DOCK-6");
}

/* A DCP 1.1 camera cannot be updated in the dock: said in plain words,
 * nothing sent. */
static void
test_dock_unsupported (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DocketSimCameraOptions options = { .serial = "FW-DOCK-7", .dcp_1_1 = TRUE };
  DocketSimCamera *cam = docket_sim_testbed_add_camera (testbed, &options, &error);
  g_autoptr (GBytes) image = NULL;
  DocketCamera *camera;

  g_assert_no_error (error);
  image = use_firmware_policy (f, "dcp-reference-2.0.0.bin", 20 * 1000, NULL);
  docket_sim_testbed_dock (testbed, "FW-DOCK-7", &error);
  g_assert_no_error (error);
  wait_event (f, "firmware-update-unsupported", "FW-DOCK-7", 1);
  g_assert_cmpuint (docket_sim_camera_get_firmware_begins (cam), ==, 0);
  camera = find_camera (f, "FW-DOCK-7");
  g_assert_nonnull (strstr (docket_camera_get_firmware_update (camera), "by hand"));
  assert_card_words (camera, "Firmware %s is older than the minimum");
  undock (f, "FW-DOCK-7");
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *cmd = NULL;
  int rc;

  dcp_test_ensure_preload (argv);
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  docket_gst_register ();
  testbed = docket_sim_testbed_new (&error);
  g_assert_no_error (error);
  tmp_dir = g_dir_make_tmp ("docket-firmware-dock-XXXXXX", &error);
  g_assert_no_error (error);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/firmware-dock/update", test_dock_update);
  ADD ("/firmware-dock/unplug-retry", test_dock_unplug_retry);
  ADD ("/firmware-dock/tampered", test_dock_tampered);
  ADD ("/firmware-dock/pending-recordings", test_dock_pending_recordings);
  ADD ("/firmware-dock/kept-recordings", test_dock_kept_recordings);
  ADD ("/firmware-dock/gives-up", test_dock_gives_up);
  ADD ("/firmware-dock/unsupported", test_dock_unsupported);
#undef ADD
  rc = g_test_run ();
  g_clear_object (&testbed);
  cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", tmp_dir);
  g_free (tmp_dir);
  return rc;
}
