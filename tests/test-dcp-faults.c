/* test-dcp-faults.c — every simulator fault, and Docket's reaction to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each fault must produce a clear error (or, for damage the driver cannot
 * see, data that fails the evidence checks) and must never crash or wedge.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "docket-dcp-messages.h"
#include "docket-signature.h"
#include "test-dcp-common.h"

static DocketSimTestbed *testbed;
static guint serial_counter;

typedef struct
{
  DocketSimCamera *camera;
  DocketCameraDriver *driver;
  gchar *serial;
  DocketCameraIdentity identity;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->serial = g_strdup_printf ("FAULT-%04u", ++serial_counter);
  f->camera = dcp_test_add_camera (testbed, f->serial, 2);
  docket_sim_testbed_dock (testbed, f->serial, &error);
  g_assert_no_error (error);
  f->driver = DOCKET_CAMERA_DRIVER (dcp_test_open_driver (testbed, f->serial));
  docket_dcp_driver_set_timeout (DOCKET_DCP_DRIVER (f->driver), 1000);
  docket_camera_driver_identify (f->driver, &f->identity, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  docket_camera_driver_close (f->driver);
  g_clear_object (&f->driver);
  if (docket_sim_testbed_is_docked (testbed, f->serial))
    docket_sim_testbed_undock (testbed, f->serial, NULL);
  docket_camera_identity_clear (&f->identity);
  g_free (f->serial);
}

static GPtrArray *
list_ok (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *list = docket_camera_driver_list_recordings (f->driver, NULL, &error);

  g_assert_no_error (error);
  return list;
}

static DocketRecordingInfo *
first (GPtrArray *list)
{
  g_assert_cmpuint (list->len, >, 0);
  return g_ptr_array_index (list, 0);
}

static void
assert_message_has (const GError *error, const gchar *needle)
{
  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);
  g_assert_nonnull (strstr (error->message, needle));
}

static gboolean
is_unplugged (gpointer data)
{
  return !docket_sim_testbed_is_docked (testbed, data);
}

/* The cable comes out 100 kB into an offload: the read fails DISCONNECTED,
 * the testbed really undocks it (udev remove), later calls fail the same
 * way, and the same camera re-docked can resume where it stopped. */
static void
test_unplug_at_byte (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = list_ok (f);
  DocketRecordingInfo *info = first (list);
  g_autofree guint8 *buf = g_malloc (1024 * 1024);
  g_autoptr (DocketCameraDriver) again = NULL;
  DocketCameraStatus status;
  gssize n;

  docket_sim_camera_set_fault (f->camera, DOCKET_SIM_FAULT_UNPLUG_AT_BYTE, 100000);
  n = docket_camera_driver_read_recording (f->driver, info->id, 0, buf, 1024 * 1024, NULL, &error);
  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED);
  assert_message_has (error, "undocked during reading recording");
  g_clear_error (&error);
  g_assert_false (docket_camera_driver_get_status (f->driver, &status, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED);
  g_clear_error (&error);
  dcp_test_wait_for (is_unplugged, f->serial);

  docket_sim_testbed_dock (testbed, f->serial, &error);
  g_assert_no_error (error);
  again = DOCKET_CAMERA_DRIVER (dcp_test_open_driver (testbed, f->serial));
  n = docket_camera_driver_read_recording (again, info->id, 65536, buf, 4096, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 4096);
}

/* A halted bulk endpoint: a clear error, and after the camera recovers the
 * driver reads again (it clears the halt itself). */
static void
test_stall (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = list_ok (f);
  g_autoptr (GBytes) whole = NULL;
  DocketRecordingInfo *info = first (list);
  guint8 buf[4096];
  guint8 sha[32];

  docket_sim_camera_set_fault (f->camera, DOCKET_SIM_FAULT_STALL, 0);
  g_assert_cmpint (
      docket_camera_driver_read_recording (f->driver, info->id, 0, buf, sizeof buf, NULL, &error),
      ==, -1);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL);
  assert_message_has (error, "stalled");
  g_clear_error (&error);

  docket_sim_camera_clear_fault (f->camera, DOCKET_SIM_FAULT_STALL);
  whole = dcp_test_read_all (f->driver, info->id, 1024 * 1024, &error);
  g_assert_no_error (error);
  dcp_test_sha256 (g_bytes_get_data (whole, NULL), g_bytes_get_size (whole), sha);
  g_assert_cmpmem (sha, 32, info->sha256, 32);
}

/* A slow link still delivers every byte intact. */
static void
test_slow_link (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = list_ok (f);
  g_autoptr (GBytes) whole = NULL;
  DocketRecordingInfo *info = first (list);
  guint8 sha[32];

  /* 16 MB/s with transfers of at most 1 MiB: each waits at most ~65 ms,
   * well inside the 1 s per-transfer timeout. */
  docket_sim_camera_set_fault (f->camera, DOCKET_SIM_FAULT_SLOW_LINK, 16 * 1000 * 1000);
  whole = dcp_test_read_all (f->driver, info->id, 1024 * 1024, &error);
  g_assert_no_error (error);
  dcp_test_sha256 (g_bytes_get_data (whole, NULL), g_bytes_get_size (whole), sha);
  g_assert_cmpmem (sha, 32, info->sha256, 32);
}

/* A link with latency: reads still come in order and intact, and the
 * adaptive read-ahead goes deeper, since more transfers in flight hide the
 * latency (2 in flight at 300 ms each: 7 MB/s; 4: 14 MB/s). The depth is
 * chosen by measuring, so a load spike on a shared machine can spoil one
 * probe: each read is a new READ window that probes again, up to three. */
static void
test_link_latency (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = dcp_test_random_file (24 * 1024 * 1024, 11);
  g_autoptr (GBytes) whole = NULL;
  g_autofree gchar *expected = NULL;
  gsize expected_len = 0;
  guint32 id = docket_sim_camera_add_recording (f->camera, path, &error);

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &expected, &expected_len, NULL));
  g_assert_cmpuint (docket_dcp_driver_get_read_ahead_depth (DOCKET_DCP_DRIVER (f->driver)), ==, 2);
  docket_sim_camera_set_fault (f->camera, DOCKET_SIM_FAULT_LINK_LATENCY, 300 * 1000);
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      g_clear_pointer (&whole, g_bytes_unref);
      whole = dcp_test_read_all (f->driver, id, 1024 * 1024, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (whole, NULL), g_bytes_get_size (whole), expected,
                       expected_len);
      if (docket_dcp_driver_get_read_ahead_depth (DOCKET_DCP_DRIVER (f->driver)) >= 4)
        break;
    }
  g_assert_cmpuint (docket_dcp_driver_get_read_ahead_depth (DOCKET_DCP_DRIVER (f->driver)), >=, 4);

  /* A fixed depth stays what it was set to, and still reads in order. */
  docket_dcp_driver_set_read_ahead (DOCKET_DCP_DRIVER (f->driver), 8);
  docket_sim_camera_clear_fault (f->camera, DOCKET_SIM_FAULT_LINK_LATENCY);
  docket_sim_camera_set_fault (f->camera, DOCKET_SIM_FAULT_SLOW_LINK, 200 * 1000 * 1000);
  g_clear_pointer (&whole, g_bytes_unref);
  whole = dcp_test_read_all (f->driver, id, 1024 * 1024, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (whole, NULL), g_bytes_get_size (whole), expected,
                   expected_len);
  g_assert_cmpuint (docket_dcp_driver_get_read_ahead_depth (DOCKET_DCP_DRIVER (f->driver)), ==, 8);
  g_unlink (path);
}

/* The read-ahead of all cameras together is bounded: with a budget of two
 * transfers, the latency that takes one camera deeper does not. */
static void
test_read_ahead_budget (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = dcp_test_random_file (24 * 1024 * 1024, 12);
  g_autoptr (GBytes) whole = NULL;
  g_autofree gchar *expected = NULL;
  gsize expected_len = 0;
  guint32 id = docket_sim_camera_add_recording (f->camera, path, &error);

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &expected, &expected_len, NULL));
  docket_dcp_driver_set_read_ahead_budget (2);
  docket_sim_camera_set_fault (f->camera, DOCKET_SIM_FAULT_LINK_LATENCY, 300 * 1000);
  whole = dcp_test_read_all (f->driver, id, 1024 * 1024, &error);
  docket_dcp_driver_set_read_ahead_budget (0);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (whole, NULL), g_bytes_get_size (whole), expected,
                   expected_len);
  g_assert_cmpuint (docket_dcp_driver_get_read_ahead_depth (DOCKET_DCP_DRIVER (f->driver)), ==, 2);
  g_unlink (path);
}

/* Too slow to answer within the timeout: TIMEOUT, and a person-readable reason. */
static void
test_slow_link_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = dcp_test_random_file (2 * 1024 * 1024, 7);
  g_autofree guint8 *buf = g_malloc (1024 * 1024);
  DocketCameraStatus status;
  guint32 id = docket_sim_camera_add_recording (f->camera, path, &error);

  g_assert_no_error (error);
  /* 100 kB/s: the first 1 MiB would take ten seconds, far past the 1 s
   * per-transfer timeout. */
  docket_sim_camera_set_fault (f->camera, DOCKET_SIM_FAULT_SLOW_LINK, 100 * 1000);
  g_assert_cmpint (
      docket_camera_driver_read_recording (f->driver, id, 0, buf, 1024 * 1024, NULL, &error), ==,
      -1);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT);
  assert_message_has (error, "stopped answering during reading recording");
  g_clear_error (&error);
  /* Control requests still work: the camera is not wedged. */
  g_assert_true (docket_camera_driver_get_status (f->driver, &status, NULL, &error));
  g_assert_no_error (error);
  g_unlink (path);
}

/* A byte flipped in transit passes USB but not the SHA-256 the camera signed. */
static void
test_corrupt_byte (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = list_ok (f);
  g_autoptr (GBytes) whole = NULL;
  DocketRecordingInfo *info = first (list);
  guint8 sha[32];

  docket_sim_camera_set_fault (f->camera, DOCKET_SIM_FAULT_CORRUPT_BYTE, 5000);
  whole = dcp_test_read_all (f->driver, info->id, 1024 * 1024, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (whole), ==, info->size);
  dcp_test_sha256 (g_bytes_get_data (whole, NULL), g_bytes_get_size (whole), sha);
  g_assert_true (memcmp (sha, info->sha256, 32) != 0);
  /* The signature still vouches for the camera's hash, not the bad copy. */
  docket_signature_verify (f->identity.serial, info, f->identity.public_key, &error);
  g_assert_no_error (error);
}

/* A camera reporting the wrong hash: its own signature no longer verifies. */
static void
test_wrong_hash (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GBytes) whole = NULL;
  DocketRecordingInfo *info;
  guint8 sha[32];

  docket_sim_camera_set_fault (f->camera, DOCKET_SIM_FAULT_WRONG_HASH, 0);
  list = list_ok (f);
  info = first (list);
  g_assert_false (
      docket_signature_verify (f->identity.serial, info, f->identity.public_key, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  whole = dcp_test_read_all (f->driver, info->id, 1024 * 1024, NULL);
  dcp_test_sha256 (g_bytes_get_data (whole, NULL), g_bytes_get_size (whole), sha);
  g_assert_true (memcmp (sha, info->sha256, 32) != 0);
}

static void
test_wrong_signature (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;

  docket_sim_camera_set_fault (f->camera, DOCKET_SIM_FAULT_WRONG_SIGNATURE, 0);
  list = list_ok (f);
  for (guint i = 0; i < list->len; i++)
    {
      g_assert_false (docket_signature_verify (f->identity.serial, g_ptr_array_index (list, i),
                                               f->identity.public_key, &error));
      g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
      g_clear_error (&error);
    }
}

/* Length fields that run past the end of their message. */
static void
test_oversize_length (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (DocketCameraIdentity) identity = { 0 };
  g_autoptr (GPtrArray) list = NULL;

  docket_sim_camera_set_fault (f->camera, DOCKET_SIM_FAULT_OVERSIZE_LENGTH, 0);
  g_assert_false (docket_camera_driver_identify (f->driver, &identity, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL);
  assert_message_has (error, "malformed reply during identify");
  g_clear_error (&error);
  list = docket_camera_driver_list_recordings (f->driver, NULL, &error);
  g_assert_null (list);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL);
  assert_message_has (error, "inconsistent lengths");
}

static void
test_truncated (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (DocketCameraIdentity) identity = { 0 };
  DocketCameraStatus status;

  docket_sim_camera_set_fault (f->camera, DOCKET_SIM_FAULT_TRUNCATED, 0);
  g_assert_false (docket_camera_driver_identify (f->driver, &identity, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL);
  assert_message_has (error, "truncated");
  g_clear_error (&error);
  g_assert_false (docket_camera_driver_get_status (f->driver, &status, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL);
  assert_message_has (error, "truncated");
}

static void
test_wrong_version (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (DocketCameraIdentity) identity = { 0 };

  docket_sim_camera_set_fault (f->camera, DOCKET_SIM_FAULT_WRONG_VERSION, 0);
  g_assert_false (docket_camera_driver_identify (f->driver, &identity, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED);
  assert_message_has (error, "version 2");
  g_clear_error (&error);
  /* Commands check the version of their result too. */
  g_assert_false (
      docket_camera_driver_set_indicator (f->driver, DOCKET_INDICATOR_DONE, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED);
}

/* Names are untrusted text: listed, but as valid UTF-8 without path parts. */
static void
test_bad_names (Fixture *f, gconstpointer data)
{
  DocketSimFault faults[] = { DOCKET_SIM_FAULT_NON_UTF8_NAME, DOCKET_SIM_FAULT_PATH_NAME };

  for (guint k = 0; k < G_N_ELEMENTS (faults); k++)
    {
      g_autoptr (GPtrArray) list = NULL;

      docket_sim_camera_clear_faults (f->camera);
      docket_sim_camera_set_fault (f->camera, faults[k], 0);
      list = list_ok (f);
      g_assert_cmpuint (list->len, ==, 2);
      for (guint i = 0; i < list->len; i++)
        {
          DocketRecordingInfo *info = g_ptr_array_index (list, i);

          g_test_message ("name: %s", info->name);
          g_assert_true (g_utf8_validate (info->name, -1, NULL));
          g_assert_null (strchr (info->name, '/'));
          g_assert_cmpuint (strlen (info->name), >, 0);
        }
    }
}

static void
test_no_reply (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (DocketCameraIdentity) identity = { 0 };
  DocketCameraStatus status;

  docket_sim_camera_set_fault (f->camera, DOCKET_SIM_FAULT_NO_REPLY, 0);
  g_assert_false (docket_camera_driver_identify (f->driver, &identity, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT);
  assert_message_has (error, "stopped answering during identify");
  g_assert_nonnull (strstr (error->message, f->serial));
  g_clear_error (&error);
  /* It comes back to life: the driver was not wedged by the timeout. */
  docket_sim_camera_clear_faults (f->camera);
  g_assert_true (docket_camera_driver_get_status (f->driver, &status, NULL, &error));
  g_assert_no_error (error);
}

/* 10,000 recordings list in one go, every entry intact and signed. */
static void
test_many_recordings (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree gchar *clip = dcp_test_small_clip (0);
  g_autoptr (GHashTable) ids = g_hash_table_new (NULL, NULL);

  docket_sim_camera_add_many_recordings (f->camera, clip, 10000, &error);
  g_assert_no_error (error);
  list = list_ok (f);
  g_assert_cmpuint (list->len, ==, 10002);
  for (guint i = 0; i < list->len; i++)
    {
      DocketRecordingInfo *info = g_ptr_array_index (list, i);

      g_hash_table_add (ids, GUINT_TO_POINTER (info->id));
      /* Verifying all 10,000 is slow under ASan; every 97th is enough. */
      if (i % 97 == 0)
        {
          docket_signature_verify (f->identity.serial, info, f->identity.public_key, &error);
          g_assert_no_error (error);
        }
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 10002);
}

/* Parsers directly: hostile bytes never read past their buffer. */
static void
test_parse_garbage (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  guint8 buf[512];

  for (guint round = 0; round < 2000; round++)
    {
      gsize len = g_rand_int_range (rand, 0, sizeof buf);
      DocketCameraIdentity identity = { 0 };
      DocketCameraStatus status;
      g_autoptr (GPtrArray) list = NULL;
      g_autoptr (GVariant) config = NULL;

      for (gsize i = 0; i < len; i++)
        buf[i] = g_rand_int (rand) & 0xff;
      /* A valid header half the time, so the bodies get exercised too. */
      if (len >= sizeof (DcpHeader) && round % 2 == 0)
        dcp_header_init ((DcpHeader *)buf, 1 + round / 2 % 5, g_rand_int_range (rand, 0, len + 8));
      if (docket_dcp_parse_identify (buf, len, &identity, NULL))
        docket_camera_identity_clear (&identity);
      docket_dcp_parse_status (buf, len, &status, NULL);
      list = docket_dcp_parse_list (buf, len, NULL);
      config = docket_dcp_parse_config (buf, len, NULL);
    }
}

static void
append_string (GByteArray *msg, const gchar *text)
{
  guint8 len = (guint8)strlen (text);

  g_byte_array_append (msg, &len, 1);
  g_byte_array_append (msg, (const guint8 *)text, len);
}

static gboolean
has_unsafe (const gchar *text)
{
  for (const gchar *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p))
        || g_unichar_type (g_utf8_get_char (p)) == G_UNICODE_FORMAT)
      return TRUE;
  return FALSE;
}

/* Vendor, model and firmware version are the camera's to choose: terminal
 * escapes, bidi overrides and bells never leave the parser; markup is left
 * as text (the widgets show it plain). */
static void
test_parse_hostile_strings (void)
{
  g_autoptr (GByteArray) msg = g_byte_array_new ();
  DcpIdentify id = { 0 };
  DocketCameraIdentity identity = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *name = NULL;

  g_byte_array_append (msg, (const guint8 *)&id, sizeof id);
  append_string (msg, "Evil\033[2J<b>Co</b>");
  append_string (msg, "M\xe2\x80\xae"
                      "1");
  append_string (msg, "SER-1");
  append_string (msg, "1.0\a\xe2\x80\x8b");
  dcp_header_init ((DcpHeader *)msg->data, DCP_MSG_IDENTIFY, msg->len);
  g_assert_true (docket_dcp_parse_identify (msg->data, msg->len, &identity, &error));
  g_assert_no_error (error);
  g_assert_false (has_unsafe (identity.vendor));
  g_assert_false (has_unsafe (identity.model));
  g_assert_false (has_unsafe (identity.firmware_version));
  g_assert_cmpstr (identity.vendor, ==, "Evil?[2J<b>Co</b>");
  docket_camera_identity_clear (&identity);

  name = docket_dcp_sanitize_name ((const guint8 *)"clip\xe2\x80\xae"
                                                   "4pm.mp4",
                                   14, 7);
  g_assert_false (has_unsafe (name));
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

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/dcp-faults/unplug-at-byte", test_unplug_at_byte);
  ADD ("/dcp-faults/stall", test_stall);
  ADD ("/dcp-faults/slow-link", test_slow_link);
  ADD ("/dcp-faults/slow-link-timeout", test_slow_link_timeout);
  ADD ("/dcp-faults/link-latency", test_link_latency);
  ADD ("/dcp-faults/read-ahead-budget", test_read_ahead_budget);
  ADD ("/dcp-faults/corrupt-byte", test_corrupt_byte);
  ADD ("/dcp-faults/wrong-hash", test_wrong_hash);
  ADD ("/dcp-faults/wrong-signature", test_wrong_signature);
  ADD ("/dcp-faults/oversize-length", test_oversize_length);
  ADD ("/dcp-faults/truncated", test_truncated);
  ADD ("/dcp-faults/wrong-version", test_wrong_version);
  ADD ("/dcp-faults/bad-names", test_bad_names);
  ADD ("/dcp-faults/no-reply", test_no_reply);
  ADD ("/dcp-faults/many-recordings", test_many_recordings);
#undef ADD
  g_test_add_func ("/dcp-faults/parse-garbage", test_parse_garbage);
  g_test_add_func ("/dcp-faults/parse-hostile-strings", test_parse_hostile_strings);
  rc = g_test_run ();
  g_clear_object (&testbed);
  return rc;
}
