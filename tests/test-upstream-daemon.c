/* test-upstream-daemon.c — docketd's upstream worker and `docketctl upstream`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against a real Swift (s3api) and PostgreSQL (upstream-servers.h): docketd
 * is killed in the middle of a multipart upload and resumes it after a
 * restart; `docketctl upstream pause` stops both recordings in flight and
 * resume finishes them; a wrong secret shows as a plain error in the IT
 * page's line.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "docket-evidence-store.h"
#include "docket-s3-client.h"
#include "docket-sha256.h"
#include "docket-test-daemon.h"
#include "upstream-servers.h"

#define MIB (1024 * 1024)

static UpstreamServers *servers;

typedef DocketTestBusFixture Fixture;

/* Puts @n recordings of @size random bytes in STATE_DIR/store, the way
 * docketd opens it. */
static void
seed_store (const gchar *state_dir, guint n, gsize size)
{
  g_autofree gchar *root = g_build_filename (state_dir, "store", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketEvidenceStore) store = docket_evidence_store_open (root, &error);
  DocketCameraIdentity identity = { 0 };

  g_assert_no_error (error);
  docket_evidence_store_set_reserve_bytes (store, 0);
  identity.serial = g_strdup ("CAM-0001");
  identity.vendor = g_strdup ("Test");
  identity.model = g_strdup ("T1");
  g_assert_true (docket_evidence_store_enrol_camera (store, &identity, NULL, &error));
  for (guint i = 1; i <= n; i++)
    {
      g_autoptr (DocketStoredRecording) rec = docket_stored_recording_new ();
      g_autofree gchar *staging
          = docket_evidence_store_get_staging_path (store, identity.serial, i);
      g_autofree guint32 *data = g_new (guint32, size / 4 + 1);
      guint8 digest[DOCKET_SHA256_LEN];

      for (gsize j = 0; j < size / 4 + 1; j++)
        data[j] = g_random_int ();
      g_file_set_contents (staging, (const gchar *)data, size, &error);
      g_assert_no_error (error);
      g_assert_true (docket_sha256_file (staging, G_MAXUINT64, digest, NULL, &error));
      rec->camera_serial = g_strdup (identity.serial);
      rec->camera_recording_id = i;
      rec->size = size;
      rec->sha256 = docket_sha256_to_hex (digest);
      rec->camera_sha256 = g_strdup (rec->sha256);
      rec->signature_status = g_strdup (DOCKET_SIGNATURE_STATUS_VALID);
      g_assert_true (docket_evidence_store_commit (store, staging, NULL, rec, "test", &error));
    }
  docket_camera_identity_clear (&identity);
}

static gint64
store_query (const gchar *state_dir, const gchar *sql)
{
  g_autofree gchar *root = g_build_filename (state_dir, "store", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketEvidenceStore) store = docket_evidence_store_open (root, &error);
  DocketDatabase *db;
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_assert_no_error (error);
  db = docket_evidence_store_get_database (store);
  locker = docket_database_locker_new (db);
  stmt = docket_database_prepare (db, sql, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static gchar *
upstream_status (void)
{
  const gchar *argv[] = { g_getenv ("DOCKETCTL"), "--session", "upstream", "status", NULL };
  gchar *out = NULL;

  g_assert_cmpint (docket_test_run (argv, &out, NULL), ==, 0);
  return out;
}

static gint
ctl (const gchar *action)
{
  const gchar *argv[] = { g_getenv ("DOCKETCTL"), "--session", "upstream", action, NULL };

  return docket_test_run (argv, NULL, NULL);
}

/* Waits (main loop running) until `docketctl upstream status` says @text. */
static void
wait_status (const gchar *text)
{
  for (gint i = 0; i < 1200; i++)
    {
      g_autofree gchar *out = upstream_status ();

      if (strstr (out, text) != NULL)
        return;
      g_usleep (100000);
    }
  g_error ("docketctl upstream status never said “%s”", text);
}

static void
test_kill_and_resume (Fixture *f, gconstpointer data)
{
  g_autofree gchar *conf = NULL;
  DocketTestDaemon *daemon;
  gint64 parts = 0;

  seed_store (f->state_dir, 1, 12 * MIB);
  /* Slow enough (about 1.5 MB/s) that the kill lands between parts. */
  conf = upstream_servers_write_config (servers, f->state_dir, NULL, "station-d", "kiosk-1", NULL,
                                        "bandwidth-kbps=12000\n");
  daemon = docket_test_daemon_start (f->state_dir, NULL);
  for (gint i = 0; i < 1200 && parts == 0; i++)
    {
      g_usleep (50000);
      parts = store_query (f->state_dir, "SELECT count(*) FROM upstream_parts");
    }
  g_assert_cmpint (parts, >=, 1);
  docket_test_daemon_kill (daemon);
  g_assert_cmpint (store_query (f->state_dir,
                                "SELECT count(*) FROM upstream_uploads"
                                " WHERE confirmed_usec IS NULL AND upload_id IS NOT NULL"),
                   ==, 1);

  g_free (upstream_servers_write_config (servers, f->state_dir, NULL, "station-d", "kiosk-1", NULL,
                                         NULL));
  daemon = docket_test_daemon_start (f->state_dir, NULL);
  wait_status ("0 recordings waiting");
  g_assert_cmpint (ctl ("pause"), ==, 0);
  {
    g_autofree gchar *out = upstream_status ();

    g_assert_nonnull (strstr (out, "(paused)"));
    g_assert_nonnull (strstr (out, "Confirmed upstream: 1 recordings"));
  }
  g_assert_cmpint (ctl ("resume"), ==, 0);
  g_assert_cmpint (ctl ("retry"), ==, 0);
  g_assert_cmpint (ctl ("frobnicate"), ==, 2);
  g_assert_cmpint (docket_test_daemon_stop (daemon), ==, 0);
  /* One confirmation, and the resumed upload needed no failed attempt. */
  g_assert_cmpint (store_query (f->state_dir, "SELECT count(*) FROM audit_log WHERE action ="
                                              " 'recording-upstream-confirmed'"),
                   ==, 1);
  g_assert_cmpint (store_query (f->state_dir, "SELECT attempts FROM upstream_uploads"), ==, 0);
}

static gchar *
store_query_text (const gchar *state_dir, const gchar *sql)
{
  g_autofree gchar *root = g_build_filename (state_dir, "store", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketEvidenceStore) store = docket_evidence_store_open (root, &error);
  DocketDatabase *db;
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_assert_no_error (error);
  db = docket_evidence_store_get_database (store);
  locker = docket_database_locker_new (db);
  stmt = docket_database_prepare (db, sql, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const gchar *)sqlite3_column_text (stmt, 0));
}

/* `docketctl --json upstream status`: the recording being sent
 * ("current") and the one being completed and confirmed ("finishing"). */
static void
in_flight (gchar **out_current, gchar **out_finishing, gint64 *out_sent)
{
  const gchar *argv[]
      = { g_getenv ("DOCKETCTL"), "--session", "--json", "upstream", "status", NULL };
  g_autofree gchar *out = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *status;

  g_assert_cmpint (docket_test_run (argv, &out, NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  status = json_node_get_object (json_parser_get_root (parser));
  *out_current = g_strdup (json_object_get_string_member_with_default (status, "current", ""));
  *out_finishing = g_strdup (json_object_get_string_member_with_default (status, "finishing", ""));
  *out_sent = json_object_get_int_member_with_default (status, "current-sent", 0);
}

/* Waits until two recordings are in flight (@both), or none. */
static void
wait_in_flight (gboolean both, gint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree gchar *current = NULL;
      g_autofree gchar *finishing = NULL;
      gint64 sent = 0;

      in_flight (&current, &finishing, &sent);
      /* Both: the second one's multipart upload is under way, too. */
      if (both ? *current != '\0' && *finishing != '\0' && sent > 0
               : *current == '\0' && *finishing == '\0')
        return;
      g_usleep (50000);
    }
  g_error (both ? "two recordings were never in flight" : "the pause did not stop the uploads");
}

#define PARTS_SQL "SELECT count(*) FROM upstream_parts"
#define CONFIRMED_SQL "SELECT count(*) FROM upstream_uploads WHERE confirmed_usec IS NOT NULL"
#define UPLOAD_IDS_SQL "SELECT group_concat(upload_id, ' ') FROM upstream_uploads"

/* The engine overlaps recordings: one is completed and confirmed while the
 * next one's parts go. A pause stops both at once (not after the next
 * one's last part), and resume finishes both from their confirmed parts,
 * in the same multipart uploads, each confirmed once. */
static void
test_pause_stops_both (Fixture *f, gconstpointer data)
{
  g_autofree gchar *conf = NULL;
  g_autofree gchar *upload_ids = NULL;
  g_autofree gchar *upload_ids_after = NULL;
  g_autoptr (DocketS3Client) s3 = NULL;
  DocketTestDaemon *daemon;
  gint64 parts;

  seed_store (f->state_dir, 2, 12 * MIB);
  /* 5 MiB parts (three each) at about 1.5 MB/s: the pause lands in the
   * second recording's parts, while the first one's last parts may still be
   * in flight (the second's start as soon as a sending slot is free). The
   * first one is held in "finishing" (a test hook, until the pause) so that
   * both are in flight when it does. */
  conf = upstream_servers_write_config (servers, f->state_dir, NULL, "station-d", "kiosk-3", NULL,
                                        "bandwidth-kbps=12000\n");
  g_setenv ("DOCKET_TEST_UPSTREAM_HOLD_FIRST_FINISH_MS", "120000", TRUE);
  daemon = docket_test_daemon_start (f->state_dir, NULL);
  g_unsetenv ("DOCKET_TEST_UPSTREAM_HOLD_FIRST_FINISH_MS");
  wait_in_flight (TRUE, 120);

  g_assert_cmpint (ctl ("pause"), ==, 0);
  /* At once: not after the held one's 120 s, nor the other's last part. */
  wait_in_flight (FALSE, 10);
  wait_status ("(paused)");
  /* Stopped, not just no new recording: nothing more is confirmed, not
   * even a part, while paused. */
  parts = store_query (f->state_dir, PARTS_SQL);
  /* The second one's first part took the connection of the first one's
   * short last part (2 MiB), while its two 5 MiB parts were still on the
   * wire (about 6 s more at this speed): the recordings overlap. */
  g_assert_cmpint (parts, >=, 1);
  g_assert_cmpint (parts, <, 3);
  g_assert_cmpint (store_query (f->state_dir, CONFIRMED_SQL), ==, 0);
  upload_ids = store_query_text (f->state_dir, UPLOAD_IDS_SQL);
  g_usleep (3 * G_USEC_PER_SEC);
  g_assert_cmpint (store_query (f->state_dir, PARTS_SQL), ==, parts);
  g_assert_cmpint (store_query (f->state_dir, CONFIRMED_SQL), ==, 0);

  g_assert_cmpint (ctl ("resume"), ==, 0);
  wait_status ("0 recordings waiting");
  g_assert_cmpint (docket_test_daemon_stop (daemon), ==, 0);

  /* Both finished in the uploads they had: no part or upload sent again,
   * no failed attempt, one confirmation each. */
  upload_ids_after = store_query_text (f->state_dir, UPLOAD_IDS_SQL);
  g_assert_cmpstr (upload_ids_after, ==, upload_ids);
  g_assert_cmpint (store_query (f->state_dir, CONFIRMED_SQL), ==, 2);
  g_assert_cmpint (store_query (f->state_dir, "SELECT max(attempts) FROM upstream_uploads"), ==, 0);
  g_assert_cmpint (store_query (f->state_dir, PARTS_SQL), ==, 0);
  g_assert_cmpint (store_query (f->state_dir, "SELECT count(*) FROM audit_log WHERE action ="
                                              " 'recording-upstream-confirmed'"),
                   ==, 2);
  s3 = docket_s3_client_new (servers->s3_endpoint, NULL, "evidence", servers->access_key,
                             servers->secret_key);
  for (gint64 id = 1; id <= 2; id++)
    {
      g_autofree gchar *sql
          = g_strdup_printf ("SELECT object_key || ' ' || sha256 FROM upstream_uploads WHERE "
                             "recording_id = %" G_GINT64_FORMAT,
                             id);
      g_autofree gchar *row = store_query_text (f->state_dir, sql);
      g_auto (GStrv) key_sha = g_strsplit (row, " ", 2);
      g_autoptr (GError) error = NULL;
      g_autofree gchar *etag = NULL;
      g_autofree gchar *sha256 = NULL;
      gint64 size = 0;

      g_assert_true (docket_s3_client_head (s3, key_sha[0], &size, &etag, &sha256, &error));
      g_assert_no_error (error);
      g_assert_cmpint (size, ==, 12 * MIB);
      g_assert_true (g_str_has_suffix (etag, "-3"));
      g_assert_cmpstr (sha256, ==, key_sha[1]);
    }
}

static void
test_bad_credentials_line (Fixture *f, gconstpointer data)
{
  DocketTestDaemon *daemon;

  seed_store (f->state_dir, 2, 1000);
  g_free (upstream_servers_write_config (servers, f->state_dir, NULL, "station-d", "kiosk-2",
                                         "wrong-secret", NULL));
  daemon = docket_test_daemon_start (f->state_dir, NULL);
  wait_status ("refused the credentials");
  {
    g_autofree gchar *out = upstream_status ();

    g_assert_nonnull (strstr (out, "2 recordings waiting"));
    g_assert_null (strstr (out, "wrong-secret"));
  }
  g_assert_cmpint (docket_test_daemon_stop (daemon), ==, 0);
  g_assert_cmpint (store_query (f->state_dir, "SELECT count(*) FROM upstream_uploads"
                                              " WHERE confirmed_usec IS NOT NULL"),
                   ==, 0);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  servers = upstream_servers_start ();
  g_test_add ("/upstream-daemon/kill-and-resume", Fixture, NULL, docket_test_bus_fixture_setup,
              test_kill_and_resume, docket_test_bus_fixture_teardown);
  g_test_add ("/upstream-daemon/pause-stops-both", Fixture, NULL, docket_test_bus_fixture_setup,
              test_pause_stops_both, docket_test_bus_fixture_teardown);
  g_test_add ("/upstream-daemon/bad-credentials-line", Fixture, NULL, docket_test_bus_fixture_setup,
              test_bad_credentials_line, docket_test_bus_fixture_teardown);
  rc = g_test_run ();
  upstream_servers_stop (servers);
  return rc;
}
