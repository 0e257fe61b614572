/* test-firmware.c — DCP 1.2 firmware update: messages, the driver against the
 * simulated camera's A/B slots, the firmware folder and docketctl firmware
 * (the updater in the dock flow: test-firmware-dock.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "docket-dcp-messages.h"
#include "docket-dcp-protocol.h"
#include "docket-firmware-folder.h"
#include "docket-sha256.h"
#include "test-dcp-common.h"

static DocketSimTestbed *testbed;
static gchar *tmp_dir;

static void
assert_message_has (const GError *error, const gchar *needle)
{
  g_assert_nonnull (error);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” not in “%s”", needle, error->message);
}

/* ---- messages ------------------------------------------------------------ */

static void
test_parse_status (void)
{
  g_autoptr (GError) error = NULL;
  g_auto (DocketDcpFirmwareStatus) st = { 0 };
  DcpFirmwareStatus fs = { 0 };

  dcp_header_init (&fs.hdr, DCP_MSG_FIRMWARE_STATUS, sizeof fs);
  fs.active_slot = 1;
  fs.state = DCP_FW_STATE_RECEIVING;
  fs.other_bootable = 0;
  fs.image_size = GUINT64_TO_LE (1000);
  fs.received = GUINT64_TO_LE (400);
  memcpy (fs.active_version, "2.0.0", 5);
  /* No NUL anywhere in the field: still read, never past it. */
  memset (fs.other_version, 'x', sizeof fs.other_version);
  g_assert_true (docket_dcp_parse_firmware_status ((guint8 *)&fs, sizeof fs, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (st.active_slot, ==, 1);
  g_assert_cmpint (st.state, ==, DCP_FW_STATE_RECEIVING);
  g_assert_cmpuint (st.received, ==, 400);
  g_assert_cmpstr (st.active_version, ==, "2.0.0");
  g_assert_cmpuint (strlen (st.other_version), ==, DCP_FW_VERSION_LEN);
  docket_dcp_firmware_status_clear (&st);

  /* Truncated, a third slot, more received than the image, unknown state. */
  g_assert_false (docket_dcp_parse_firmware_status ((guint8 *)&fs, 20, &st, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL);
  g_clear_error (&error);
  fs.active_slot = 2;
  g_assert_false (docket_dcp_parse_firmware_status ((guint8 *)&fs, sizeof fs, &st, &error));
  assert_message_has (error, "slot 2");
  g_clear_error (&error);
  fs.active_slot = 0;
  fs.received = GUINT64_TO_LE (1001);
  g_assert_false (docket_dcp_parse_firmware_status ((guint8 *)&fs, sizeof fs, &st, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL);
  g_clear_error (&error);
  fs.received = 0;
  fs.state = 9;
  g_assert_false (docket_dcp_parse_firmware_status ((guint8 *)&fs, sizeof fs, &st, &error));
  assert_message_has (error, "unknown state 9");
}

static void
test_build_begin (void)
{
  g_autoptr (GError) error = NULL;
  guint8 sha[32] = { 1, 2, 3 };
  DcpFirmwareBegin begin;
  g_autofree gchar *long_version = g_strnfill (DCP_FW_VERSION_LEN, '1');

  g_assert_true (docket_dcp_build_firmware_begin (4096, sha, "1.2.0", &begin, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (GUINT64_FROM_LE (begin.image_size), ==, 4096);
  g_assert_cmpstr (begin.version, ==, "1.2.0");
  g_assert_cmpmem (begin.sha256, 32, sha, 32);

  g_assert_false (docket_dcp_build_firmware_begin (0, sha, "1.2.0", &begin, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (
      docket_dcp_build_firmware_begin (DCP_FW_MAX_IMAGE + 1ull, sha, "1.2.0", &begin, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (docket_dcp_build_firmware_begin (10, sha, long_version, &begin, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
}

/* ---- the driver against the simulator ------------------------------------ */

static gboolean
is_docked (gpointer data)
{
  return docket_sim_testbed_is_docked (testbed, data);
}

static gboolean
is_undocked (gpointer data)
{
  return !docket_sim_testbed_is_docked (testbed, data);
}

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

/* Sends @image; returns FALSE at the first failing request. */
static gboolean
send_image (DocketDcpDriver *driver, GBytes *image, const guint8 sha[32], GError **error)
{
  gsize size = g_bytes_get_size (image);
  const guint8 *data = g_bytes_get_data (image, NULL);

  if (!docket_dcp_driver_firmware_begin (driver, size, sha, "2.0.0", NULL, error))
    return FALSE;
  for (gsize off = 0; off < size; off += DCP_FW_MAX_CHUNK)
    if (!docket_dcp_driver_firmware_write (driver, off, data + off,
                                           MIN (DCP_FW_MAX_CHUNK, size - off), NULL, error))
      return FALSE;
  return docket_dcp_driver_firmware_commit (driver, NULL, error);
}

static void
identify (DocketDcpDriver *driver, DocketCameraIdentity *out)
{
  g_autoptr (GError) error = NULL;

  docket_camera_driver_identify (DOCKET_CAMERA_DRIVER (driver), out, NULL, &error);
  g_assert_no_error (error);
}

static void
test_driver_update (void)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *camera = dcp_test_add_camera (testbed, "FW-DRV-1", 0);
  g_autoptr (DocketDcpDriver) driver = NULL;
  g_autoptr (DocketDcpDriver) again = NULL;
  g_auto (DocketCameraIdentity) before = { 0 };
  g_auto (DocketCameraIdentity) after = { 0 };
  g_auto (DocketDcpFirmwareStatus) st = { 0 };
  guint8 sha[32];
  g_autoptr (GBytes) image = random_image (100 * 1000, 1, sha);

  docket_sim_testbed_dock (testbed, "FW-DRV-1", &error);
  g_assert_no_error (error);
  driver = dcp_test_open_driver (testbed, "FW-DRV-1");
  identify (driver, &before);
  g_assert_true (before.capabilities & DCP_CAP_FIRMWARE_UPDATE);
  g_assert_cmpstr (before.firmware_version, ==, "1.0.0");
  docket_dcp_driver_get_firmware_status (driver, &st, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (st.active_slot, ==, 0);
  g_assert_false (st.other_bootable);
  docket_dcp_firmware_status_clear (&st);

  /* Out of order: refused, nothing lost. */
  g_assert_true (docket_dcp_driver_firmware_begin (driver, g_bytes_get_size (image), sha, "2.0.0",
                                                   NULL, &error));
  g_assert_false (docket_dcp_driver_firmware_write (driver, 4096, g_bytes_get_data (image, NULL),
                                                    16, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  /* Commit before the whole image: refused, still on the old firmware. */
  g_assert_false (docket_dcp_driver_firmware_commit (driver, NULL, &error));
  assert_message_has (error, "incomplete");
  g_clear_error (&error);

  send_image (driver, image, sha, &error);
  g_assert_no_error (error);
  /* The camera restarts: gone, then back with the new firmware. */
  dcp_test_wait_for (is_undocked, "FW-DRV-1");
  dcp_test_wait_for (is_docked, "FW-DRV-1");
  again = dcp_test_open_driver (testbed, "FW-DRV-1");
  identify (again, &after);
  g_assert_cmpstr (after.firmware_version, ==, "2.0.0");
  g_assert_cmpuint (docket_sim_camera_get_active_slot (camera), ==, 1);
  /* A/B: the old firmware stays bootable in the other slot. */
  g_assert_true (docket_sim_camera_get_slot_bootable (camera, 0));
  docket_dcp_driver_get_firmware_status (again, &st, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (st.active_slot, ==, 1);
  g_assert_true (st.other_bootable);
  g_assert_cmpstr (st.other_version, ==, "1.0.0");
}

/* The cable comes out half way: the write fails DISCONNECTED, the camera
 * comes back on its old firmware, slot B is not bootable. */
static void
test_driver_unplug (void)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *camera = dcp_test_add_camera (testbed, "FW-DRV-2", 0);
  g_autoptr (DocketDcpDriver) driver = NULL;
  g_autoptr (DocketDcpDriver) again = NULL;
  g_auto (DocketCameraIdentity) after = { 0 };
  guint8 sha[32];
  g_autoptr (GBytes) image = random_image (64 * 1024, 2, sha);

  docket_sim_testbed_dock (testbed, "FW-DRV-2", &error);
  g_assert_no_error (error);
  driver = dcp_test_open_driver (testbed, "FW-DRV-2");
  docket_sim_camera_set_fault (camera, DOCKET_SIM_FAULT_FW_UNPLUG_AT_BYTE, 30000);
  g_assert_false (send_image (driver, image, sha, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED);
  g_clear_error (&error);
  dcp_test_wait_for (is_undocked, "FW-DRV-2");
  g_assert_false (docket_sim_camera_get_slot_bootable (camera, 1));

  docket_sim_testbed_dock (testbed, "FW-DRV-2", &error);
  g_assert_no_error (error);
  again = dcp_test_open_driver (testbed, "FW-DRV-2");
  identify (again, &after);
  g_assert_cmpstr (after.firmware_version, ==, "1.0.0");
  g_assert_cmpuint (docket_sim_camera_get_active_slot (camera), ==, 0);
  g_assert_true (docket_sim_camera_get_slot_bootable (camera, 0));
}

/* A chunk corrupted on the way: the camera's own check refuses the commit. */
static void
test_driver_corrupt_chunk (void)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *camera = dcp_test_add_camera (testbed, "FW-DRV-3", 0);
  g_autoptr (DocketDcpDriver) driver = NULL;
  g_auto (DocketCameraIdentity) after = { 0 };
  guint8 sha[32];
  g_autoptr (GBytes) image = random_image (20000, 3, sha);

  docket_sim_testbed_dock (testbed, "FW-DRV-3", &error);
  g_assert_no_error (error);
  driver = dcp_test_open_driver (testbed, "FW-DRV-3");
  docket_sim_camera_set_fault (camera, DOCKET_SIM_FAULT_FW_CORRUPT_CHUNK, 12345);
  g_assert_false (send_image (driver, image, sha, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  assert_message_has (error, "SHA-256");
  g_clear_error (&error);
  identify (driver, &after);
  g_assert_cmpstr (after.firmware_version, ==, "1.0.0");
  g_assert_true (docket_sim_testbed_is_docked (testbed, "FW-DRV-3"));
  g_assert_false (docket_sim_camera_get_slot_bootable (camera, 1));
}

/* Malformed firmware replies: a clear protocol error naming the step. */
static void
test_driver_malformed (void)
{
  g_autoptr (GError) error = NULL;
  g_auto (DocketDcpFirmwareStatus) st = { 0 };
  DocketSimCamera *camera = dcp_test_add_camera (testbed, "FW-DRV-4", 0);
  g_autoptr (DocketDcpDriver) driver = NULL;
  guint8 sha[32];
  g_autoptr (GBytes) image = random_image (5000, 4, sha);

  docket_sim_testbed_dock (testbed, "FW-DRV-4", &error);
  g_assert_no_error (error);
  driver = dcp_test_open_driver (testbed, "FW-DRV-4");
  docket_sim_camera_set_fault (camera, DOCKET_SIM_FAULT_FW_MALFORMED, 0);
  g_assert_false (send_image (driver, image, sha, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL);
  assert_message_has (error, "malformed reply during starting a firmware update");
  g_clear_error (&error);
  g_assert_false (docket_dcp_driver_get_firmware_status (driver, &st, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL);
  assert_message_has (error, "malformed reply during reading the firmware status");
}

/* A DCP 1.1 camera does not announce firmware update and stalls it. */
static void
test_driver_old_camera (void)
{
  g_autoptr (GError) error = NULL;
  DocketSimCameraOptions options = { .serial = "FW-DRV-5", .dcp_1_1 = TRUE };
  g_autoptr (DocketDcpDriver) driver = NULL;
  g_auto (DocketCameraIdentity) id = { 0 };
  guint8 sha[32] = { 0 };

  docket_sim_testbed_add_camera (testbed, &options, &error);
  g_assert_no_error (error);
  docket_sim_testbed_dock (testbed, "FW-DRV-5", &error);
  g_assert_no_error (error);
  driver = dcp_test_open_driver (testbed, "FW-DRV-5");
  identify (driver, &id);
  g_assert_false (id.capabilities & DCP_CAP_FIRMWARE_UPDATE);
  g_assert_true (id.capabilities & DCP_CAP_CHARGE_CONTROL);
  g_assert_false (docket_dcp_driver_firmware_begin (driver, 10, sha, "2.0.0", NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL);
  assert_message_has (error, "refused the request");
}

/* ---- the firmware folder ------------------------------------------------- */

static void
test_version_from_name (void)
{
  static const struct
  {
    const gchar *name;
    const gchar *version;
  } cases[] = {
    { "dcp-reference-2.1.0.bin", "2.1.0" },
    { "cam-10.bin", "10" },
    { "cam-2.1.0.zip", NULL },
    { "cam.bin", NULL },
    { "cam-2..1.bin", NULL },
    { "cam-.bin", NULL },
    { "cam-2.1.bin.bin", NULL },
    { "cam-v2.bin", NULL },
    { "cam-2.1..bin", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *v = docket_firmware_version_from_file_name (cases[i].name);

      g_assert_cmpstr (v, ==, cases[i].version);
    }
}

/* docketctl firmware list: offline, against a policy document. */
static void
test_docketctl_list (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_build_filename (tmp_dir, "ctl-firmware", NULL);
  g_autofree gchar *good = g_build_filename (dir, "dcp-reference-2.0.0.bin", NULL);
  g_autofree gchar *bad = g_build_filename (dir, "notes.bin", NULL);
  g_autofree gchar *policy_path = g_build_filename (tmp_dir, "ctl-policy.json", NULL);
  g_autofree gchar *hex = NULL;
  g_autofree gchar *json = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  const gchar *docketctl = g_getenv ("DOCKETCTL");
  guint8 sha[32];
  g_autoptr (GBytes) image = random_image (3000, 9, sha);
  gint status = 0;

  if (docketctl == NULL)
    {
      g_test_skip ("DOCKETCTL is not set");
      return;
    }
  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (good, g_bytes_get_data (image, NULL), 3000, &error);
  g_assert_no_error (error);
  g_file_set_contents (bad, "x", 1, &error);
  g_assert_no_error (error);
  hex = docket_sha256_to_hex (sha);
  json = g_strdup_printf ("{\"format\": 1, \"version\": 1, \"cameras\": {\"*\": {"
                          "\"minimum-firmware\": \"2.0.0\", \"firmware\": {\"image\": "
                          "\"dcp-reference-2.0.0.bin\", \"sha256\": \"%s\"}}}}",
                          hex);
  g_file_set_contents (policy_path, json, -1, &error);
  g_assert_no_error (error);

  {
    const gchar *argv[]
        = { docketctl, "firmware", "list", "--dir", dir, "--policy", policy_path, NULL };

    g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                  &error);
    g_assert_no_error (error);
  }
  g_test_message ("%s%s", out, err);
  g_assert_nonnull (strstr (out, "version 2.0.0, 3000 bytes"));
  g_assert_nonnull (strstr (out, hex));
  g_assert_nonnull (strstr (out, "valid for “*” (minimum 2.0.0)"));
  g_assert_nonnull (strstr (out, "invalid: the name must end in -VERSION.bin"));
  /* One unusable image: exit 1, so scripts notice. */
  g_assert_true (g_spawn_check_wait_status (status, NULL) == FALSE);

  /* Altered after the policy was signed: refused. */
  g_unlink (bad);
  g_file_set_contents (good, "tampered", -1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const gchar *argv[]
        = { docketctl, "firmware", "list", "--dir", dir, "--policy", policy_path, NULL };

    g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                  &error);
    g_assert_no_error (error);
  }
  g_assert_nonnull (strstr (out, "REFUSED for “*”"));
  g_assert_false (g_spawn_check_wait_status (status, NULL));
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
  tmp_dir = g_dir_make_tmp ("docket-firmware-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/firmware/messages/status", test_parse_status);
  g_test_add_func ("/firmware/messages/begin", test_build_begin);
  g_test_add_func ("/firmware/driver/update", test_driver_update);
  g_test_add_func ("/firmware/driver/unplug", test_driver_unplug);
  g_test_add_func ("/firmware/driver/corrupt-chunk", test_driver_corrupt_chunk);
  g_test_add_func ("/firmware/driver/malformed", test_driver_malformed);
  g_test_add_func ("/firmware/driver/old-camera", test_driver_old_camera);
  g_test_add_func ("/firmware/folder/version-from-name", test_version_from_name);
  g_test_add_func ("/firmware/docketctl/list", test_docketctl_list);
  rc = g_test_run ();
  g_clear_object (&testbed);
  {
    g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);

    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", tmp_dir);
  }
  g_free (tmp_dir);
  return rc;
}
