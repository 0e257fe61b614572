/* test-upstream.c — evidence to a real S3 server, rows to a real PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One Swift (s3api) and one PostgreSQL for the whole binary
 * (upstream-servers.h): starting them is the slow part.
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "docket-catalogue.h"
#include "docket-error.h"
#include "docket-evidence-store.h"
#include "docket-retention.h"
#include "docket-s3-client.h"
#include "docket-sha256.h"
#include "docket-upstream.h"
#include "upstream-servers.h"

#define MIB (1024 * 1024)

/* Shows the error before failing. */
#define assert_ok(expr)                                                                            \
  G_STMT_START                                                                                     \
  {                                                                                                \
    gboolean ok_ = (expr);                                                                         \
    g_assert_no_error (error);                                                                     \
    g_assert_true (ok_);                                                                           \
  }                                                                                                \
  G_STMT_END

static UpstreamServers *servers;
static const gchar *self_path;

typedef struct
{
  gchar *dir;
  DocketEvidenceStore *store;
  DocketCameraIdentity identity;
  guint32 next_id;
} Kiosk;

static Kiosk *
kiosk_new (void)
{
  g_autoptr (GError) error = NULL;
  Kiosk *k = g_new0 (Kiosk, 1);

  k->dir = g_dir_make_tmp ("docket-kiosk-XXXXXX", &error);
  g_assert_no_error (error);
  k->store = docket_evidence_store_open (k->dir, &error);
  g_assert_no_error (error);
  docket_evidence_store_set_reserve_bytes (k->store, 0);
  k->identity.serial = g_strdup ("CAM-0001");
  k->identity.vendor = g_strdup ("Test");
  k->identity.model = g_strdup ("T1");
  memset (k->identity.public_key, 7, sizeof k->identity.public_key);
  g_assert_true (docket_evidence_store_enrol_camera (k->store, &k->identity, NULL, &error));
  k->next_id = 1;
  return k;
}

static void
kiosk_free (Kiosk *k)
{
  g_autofree gchar *cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", k->dir, k->dir);

  docket_camera_identity_clear (&k->identity);
  g_clear_object (&k->store);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (k->dir);
  g_free (k);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Kiosk, kiosk_free)

static guint32 *
random_bytes (gsize size)
{
  guint32 *data = g_new (guint32, size / 4 + 1);

  for (gsize i = 0; i < size / 4 + 1; i++)
    data[i] = g_random_int ();
  return data;
}

/* Commits a recording of @data's @size bytes; returns its SHA-256. */
static gchar *
add_recording_data (Kiosk *k, const guint32 *data, gsize size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStoredRecording) rec = docket_stored_recording_new ();
  g_autofree gchar *staging
      = docket_evidence_store_get_staging_path (k->store, k->identity.serial, k->next_id);
  guint8 digest[DOCKET_SHA256_LEN];

  g_file_set_contents (staging, (const gchar *)data, size, &error);
  g_assert_no_error (error);
  g_assert_true (docket_sha256_file (staging, G_MAXUINT64, digest, NULL, &error));
  rec->camera_serial = g_strdup (k->identity.serial);
  rec->camera_recording_id = k->next_id++;
  rec->name = g_strdup ("clip.mp4");
  rec->officer = g_strdup ("1234");
  rec->start_usec = g_get_real_time ();
  rec->size = size;
  rec->sha256 = docket_sha256_to_hex (digest);
  rec->camera_sha256 = g_strdup (rec->sha256);
  rec->signature_status = g_strdup (DOCKET_SIGNATURE_STATUS_VALID);
  g_assert_true (docket_evidence_store_commit (k->store, staging, NULL, rec, "test", &error));
  g_assert_no_error (error);
  return g_strdup (rec->sha256);
}

/* Commits a recording of @size random bytes; returns its SHA-256. */
static gchar *
add_recording (Kiosk *k, gsize size)
{
  g_autofree guint32 *data = random_bytes (size);

  return add_recording_data (k, data, size);
}

static gchar *
query_text (Kiosk *k, const gchar *sql)
{
  DocketDatabase *db = docket_evidence_store_get_database (k->store);
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (db);
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (db, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const gchar *)sqlite3_column_text (stmt, 0));
}

/* SQL NULL reads as 0, as sqlite3_column_int64 () has it. */
static gint64
query_int (Kiosk *k, const gchar *sql)
{
  g_autofree gchar *text = query_text (k, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

static gint64
purgeable (Kiosk *k)
{
  return query_int (k, "SELECT count(*) FROM recordings r WHERE " DOCKET_UPSTREAM_PURGEABLE_SQL);
}

static DocketUpstream *
upstream_for (Kiosk *k, const gchar *endpoint, const gchar *station, const gchar *secret)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *conf
      = upstream_servers_write_config (servers, k->dir, endpoint, station, "kiosk-1", secret, NULL);
  g_autoptr (DocketUpstreamConfig) config = docket_upstream_config_load (conf, &error);
  DocketUpstream *up;

  g_assert_no_error (error);
  g_assert_nonnull (config);
  up = docket_upstream_new (k->store, config, &error);
  g_assert_no_error (error);
  return up;
}

static void
assert_on_server (Kiosk *k, const gchar *sha256, gsize size)
{
  g_autoptr (DocketS3Client) s3 = docket_s3_client_new (servers->s3_endpoint, NULL, "evidence",
                                                        servers->access_key, servers->secret_key);
  g_autofree gchar *key = docket_s3_object_key (sha256);
  g_autofree gchar *etag = NULL;
  g_autofree gchar *meta = NULL;
  g_autoptr (GError) error = NULL;
  gint64 got = 0;

  g_assert_true (docket_s3_client_head (s3, key, &got, &etag, &meta, &error));
  g_assert_no_error (error);
  g_assert_cmpint (got, ==, size);
  g_assert_cmpstr (meta, ==, sha256);
}

/* Small and multipart recordings reach the server and are confirmed by a
 * HEAD; only then may retention purge them, and the audit log says so. */
static void
test_upload_confirm (void)
{
  g_autoptr (Kiosk) k = kiosk_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *small = add_recording (k, 100 * 1024);
  g_autofree gchar *large = add_recording (k, 12 * MIB + 17);
  g_autoptr (DocketUpstream) up = upstream_for (k, NULL, "station-a", NULL);
  g_autoptr (GVariant) status = NULL;
  g_autofree gchar *line = NULL;
  guint32 waiting = 99;

  g_assert_cmpint (purgeable (k), ==, 0);
  assert_ok (docket_upstream_run_once (up, NULL, &error));
  assert_on_server (k, small, 100 * 1024);
  assert_on_server (k, large, 12 * MIB + 17);
  g_assert_cmpint (query_int (k, "SELECT count(*) FROM upstream_uploads WHERE state = 'confirmed'"
                                 " AND confirmed_usec IS NOT NULL"),
                   ==, 2);
  g_assert_cmpint (query_int (k, "SELECT count(*) FROM audit_log WHERE action ="
                                 " 'recording-upstream-confirmed'"),
                   ==, 2);
  g_assert_cmpint (purgeable (k), ==, 2);
  status = docket_upstream_dup_status (up);
  g_assert_true (g_variant_lookup (status, "waiting", "u", &waiting));
  g_assert_cmpint (waiting, ==, 0);
  line = docket_upstream_format_status (status, g_get_real_time ());
  g_assert_nonnull (strstr (line, "0 recordings waiting"));
  g_assert_nonnull (strstr (line, "last success just now"));
}

/* Child: uploads with the hook that exits right after part 1 is confirmed. */
static int
upload_child (const gchar *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketEvidenceStore) store = docket_evidence_store_open (dir, &error);
  g_autofree gchar *conf = g_build_filename (dir, "station.conf", NULL);
  g_autoptr (DocketUpstreamConfig) config = docket_upstream_config_load (conf, &error);
  g_autoptr (DocketUpstream) up = docket_upstream_new (store, config, &error);

  g_setenv ("DOCKET_TEST_UPSTREAM_EXIT_AFTER_PART", "1", TRUE);
  docket_upstream_run_once (up, NULL, &error);
  return 0; /* not reached */
}

/* Killed between parts: the next run resumes the same multipart upload
 * from part 2 and the object is whole. */
static void
test_resume_after_kill (void)
{
  g_autoptr (Kiosk) k = kiosk_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sha = add_recording (k, 11 * MIB);
  g_autoptr (DocketUpstream) up = upstream_for (k, NULL, "station-a", NULL);
  const gchar *argv[] = { self_path, "--upload-child", k->dir, NULL };
  gint status;

  if (!DOCKET_TEST_HOOKS)
    {
      g_test_skip ("needs the upload's exit hook: configure with -Dtest_hooks=true");
      return;
    }
  g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 9);
  g_assert_cmpint (query_int (k, "SELECT count(*) FROM upstream_parts"), ==, 1);
  g_assert_cmpint (query_int (k, "SELECT count(*) FROM upstream_uploads WHERE upload_id IS NOT NULL"
                                 " AND state = 'uploading'"),
                   ==, 1);
  g_assert_cmpint (purgeable (k), ==, 0);

  assert_ok (docket_upstream_run_once (up, NULL, &error));
  assert_on_server (k, sha, 11 * MIB);
  g_assert_cmpint (query_int (k, "SELECT attempts FROM upstream_uploads"), ==, 0);
  g_assert_cmpint (purgeable (k), ==, 1);
}

/* The server goes away: the queue keeps the recording and backs off; when
 * it is back, the queue drains. */
static void
test_server_down_then_up (void)
{
  g_autoptr (Kiosk) k = kiosk_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sha = add_recording (k, 64 * 1024);
  g_autofree gchar *sha2 = add_recording (k, 6 * MIB);
  g_autoptr (DocketUpstream) up = upstream_for (k, NULL, "station-a", NULL);
  g_autoptr (GVariant) status = NULL;
  g_autofree gchar *line = NULL;

  upstream_servers_s3_down (servers);
  g_assert_false (docket_upstream_run_once (up, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED);
  g_clear_error (&error);
  g_assert_cmpint (query_int (k, "SELECT count(*) FROM upstream_uploads WHERE next_try_usec > 0"
                                 " AND attempts = 1 AND last_error IS NOT NULL"),
                   ==, 1);
  status = docket_upstream_dup_status (up);
  line = docket_upstream_format_status (status, g_get_real_time ());
  g_assert_nonnull (strstr (line, "2 recordings waiting"));
  g_assert_nonnull (strstr (line, "could not be reached"));

  upstream_servers_s3_up (servers);
  /* The back-off (1 s here) must pass, or a retry cuts it short. */
  g_assert_cmpuint (docket_upstream_retry (up, &error), ==, 2);
  assert_ok (docket_upstream_run_once (up, NULL, &error));
  assert_on_server (k, sha, 64 * 1024);
  assert_on_server (k, sha2, 6 * MIB);
  g_assert_cmpint (purgeable (k), ==, 2);
}

/* A relay flips one byte of a part on its way: the server refuses it
 * (Content-MD5), nothing is confirmed, the next attempt re-sends it. */
static void
test_tampered_part (void)
{
  g_autoptr (Kiosk) k = kiosk_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sha = add_recording (k, 7 * MIB);
  GPid relay;
  guint port = upstream_servers_start_tamper_relay (servers, MIB, &relay);
  g_autofree gchar *endpoint = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr (DocketUpstream) up = upstream_for (k, endpoint, "station-a", NULL);

  g_assert_false (docket_upstream_run_once (up, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_clear_error (&error);
  g_assert_cmpint (purgeable (k), ==, 0);
  g_assert_cmpint (query_int (k, "SELECT count(*) FROM upstream_uploads WHERE state = 'confirmed'"),
                   ==, 0);

  docket_upstream_retry (up, &error);
  assert_ok (docket_upstream_run_once (up, NULL, &error));
  assert_on_server (k, sha, 7 * MIB);
  g_assert_cmpint (purgeable (k), ==, 1);
  kill (relay, SIGTERM);
  g_spawn_close_pid (relay);
}

/* The kiosk's copy changed after offload (a bad disk block): a one-PUT
 * recording is signed with the evidence hash, so the server refuses the
 * body, and nothing is confirmed or stored. */
static void
test_damaged_local_copy (void)
{
  g_autoptr (Kiosk) k = kiosk_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sha = add_recording (k, MIB);
  g_autofree gchar *path = docket_evidence_store_get_object_path (k->store, sha);
  g_autoptr (DocketUpstream) up = upstream_for (k, NULL, "station-damaged", NULL);
  g_autoptr (DocketS3Client) s3 = docket_s3_client_new (servers->s3_endpoint, NULL, "evidence",
                                                        servers->access_key, servers->secret_key);
  g_autofree gchar *key = docket_s3_object_key (sha);
  int fd;

  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, "X", 1, MIB / 2), ==, 1);
  close (fd);

  g_assert_false (docket_upstream_run_once (up, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_clear_error (&error);
  g_assert_cmpint (purgeable (k), ==, 0);
  g_assert_cmpint (query_int (k, "SELECT count(*) FROM upstream_uploads WHERE state = 'confirmed'"),
                   ==, 0);
  g_assert_false (docket_s3_client_head (s3, key, NULL, NULL, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
}

/* The same for a multipart recording: its parts are signed with hashes of
 * the copy as it is, so the server would take them; the whole file's
 * SHA-256, computed on the way, must be the evidence hash before the last
 * part goes. Nothing is completed or confirmed, the kiosk audits it, and
 * the upload is aborted on the server. */
static void
test_damaged_local_copy_multipart (void)
{
  g_autoptr (Kiosk) k = kiosk_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sha = add_recording (k, 12 * MIB);
  g_autofree gchar *path = docket_evidence_store_get_object_path (k->store, sha);
  g_autoptr (DocketUpstream) up = upstream_for (k, NULL, "station-damaged-multi", NULL);
  g_autoptr (DocketS3Client) s3 = docket_s3_client_new (servers->s3_endpoint, NULL, "evidence",
                                                        servers->access_key, servers->secret_key);
  g_autofree gchar *key = docket_s3_object_key (sha);
  g_autofree gchar *upload_id = NULL;
  g_autofree gchar *etag = NULL;
  DocketS3Body body = { .len = 64 * 1024, .path = path };
  int fd;

  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, "X", 1, MIB), ==, 1);
  close (fd);
  /* Keeps the upload id the engine forgets. */
  assert_ok (docket_database_exec (
      docket_evidence_store_get_database (k->store),
      "CREATE TABLE forgotten (upload_id TEXT);"
      "CREATE TRIGGER keep_forgotten AFTER UPDATE OF upload_id ON upstream_uploads"
      " WHEN OLD.upload_id IS NOT NULL AND NEW.upload_id IS NULL"
      " BEGIN INSERT INTO forgotten VALUES (OLD.upload_id); END;",
      &error));

  g_assert_false (docket_upstream_run_once (up, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_clear_error (&error);
  /* Its parts sent before the damage was found are not left on the server:
   * the upload was aborted, so a part sent to it now finds no upload. */
  upload_id = query_text (k, "SELECT upload_id FROM forgotten");
  g_assert_nonnull (upload_id);
  body.fd = g_open (path, O_RDONLY, 0);
  g_assert_cmpint (body.fd, >=, 0);
  etag = docket_s3_client_upload_part (s3, key, upload_id, 1, &body, &error);
  close (body.fd);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_assert_null (etag);
  g_clear_error (&error);
  g_assert_cmpint (purgeable (k), ==, 0);
  g_assert_cmpint (query_int (k, "SELECT count(*) FROM upstream_uploads WHERE state = 'confirmed'"),
                   ==, 0);
  g_assert_cmpint (
      query_int (
          k, "SELECT count(*) FROM audit_log WHERE action = 'recording-upstream-local-mismatch'"),
      ==, 1);
  g_assert_false (docket_s3_client_head (s3, key, NULL, NULL, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
}

/* Footage the object storage holds already (docked on another kiosk too,
 * or a queue replayed) is confirmed after a HEAD, without sending it again;
 * an object at its key without our size and SHA-256 is uploaded over. */
static void
test_already_present (void)
{
  g_autoptr (Kiosk) a = kiosk_new ();
  g_autoptr (Kiosk) b = kiosk_new ();
  g_autoptr (GError) error = NULL;
  g_autofree guint32 *small = random_bytes (100 * 1024);
  g_autofree guint32 *large = random_bytes (12 * MIB + 17);
  g_autofree gchar *sha_small = add_recording_data (a, small, 100 * 1024);
  g_autofree gchar *sha_large = add_recording_data (a, large, 12 * MIB + 17);
  g_autofree gchar *sha_other = NULL;
  g_autofree gchar *key_small = docket_s3_object_key (sha_small);
  g_autofree gchar *key_large = docket_s3_object_key (sha_large);
  g_autofree gchar *key_other = NULL;
  g_autofree gchar *etag_small = NULL;
  g_autofree gchar *etag_large = NULL;
  g_autofree gchar *etag = NULL;
  g_autofree gchar *path = NULL;
  g_autoptr (DocketUpstream) up_a = upstream_for (a, NULL, "station-a", NULL);
  g_autoptr (DocketUpstream) up_b = NULL;
  g_autoptr (DocketS3Client) s3 = docket_s3_client_new (servers->s3_endpoint, NULL, "evidence",
                                                        servers->access_key, servers->secret_key);
  const gchar *wrong[] = { "x-amz-meta-sha256: not-ours", NULL };
  DocketS3Body decoy = { .len = 1000 };
  guint64 sent;

  assert_ok (docket_upstream_run_once (up_a, NULL, &error));
  assert_ok (docket_s3_client_head (s3, key_small, NULL, &etag_small, NULL, &error));
  assert_ok (docket_s3_client_head (s3, key_large, NULL, &etag_large, NULL, &error));

  /* The same footage on a second kiosk, and footage whose key holds
   * something else. */
  g_free (add_recording_data (b, small, 100 * 1024));
  g_free (add_recording_data (b, large, 12 * MIB + 17));
  sha_other = add_recording (b, 200 * 1024);
  key_other = docket_s3_object_key (sha_other);
  path = docket_evidence_store_get_object_path (b->store, sha_other);
  decoy.path = path;
  decoy.fd = g_open (path, O_RDONLY, 0);
  g_assert_cmpint (decoy.fd, >=, 0);
  g_free (docket_s3_client_put_object (s3, key_other, &decoy, wrong, &error));
  close (decoy.fd);
  g_assert_no_error (error);

  up_b = upstream_for (b, NULL, "station-b", NULL);
  sent = DOCKET_TEST_HOOKS ? docket_s3_client_test_sent_bytes () : 0;
  assert_ok (docket_upstream_run_once (up_b, NULL, &error));
  /* Only the third recording's body went. */
  if (DOCKET_TEST_HOOKS)
    g_assert_cmpuint (docket_s3_client_test_sent_bytes () - sent, ==, 200 * 1024);
  assert_ok (docket_s3_client_head (s3, key_small, NULL, &etag, NULL, &error));
  g_assert_cmpstr (etag, ==, etag_small);
  g_clear_pointer (&etag, g_free);
  assert_ok (docket_s3_client_head (s3, key_large, NULL, &etag, NULL, &error));
  g_assert_cmpstr (etag, ==, etag_large);
  assert_on_server (b, sha_other, 200 * 1024);
  g_assert_cmpint (purgeable (b), ==, 3);
  g_assert_cmpint (query_int (b, "SELECT count(*) FROM audit_log WHERE action ="
                                 " 'recording-upstream-confirmed'"
                                 " AND details LIKE '%''already-present'': <true>%'"),
                   ==, 2);
  g_assert_cmpint (query_int (b, "SELECT count(*) FROM audit_log WHERE action ="
                                 " 'recording-upstream-confirmed'"
                                 " AND details NOT LIKE '%already-present%'"
                                 " AND subject = 'recording:' || (SELECT sha256 FROM recordings"
                                 " ORDER BY id DESC LIMIT 1)"),
                   ==, 1);
}

/* Wrong secret: a clear error for the IT page, nothing confirmed. */
static void
test_bad_credentials (void)
{
  g_autoptr (Kiosk) k = kiosk_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sha = add_recording (k, 1000);
  g_autoptr (DocketUpstream) up = upstream_for (k, NULL, "station-a", "not-the-secret");
  g_autoptr (GVariant) status = NULL;
  g_autofree gchar *line = NULL;

  g_assert_false (docket_upstream_run_once (up, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION);
  g_assert_null (strstr (error->message, "not-the-secret"));
  status = docket_upstream_dup_status (up);
  line = docket_upstream_format_status (status, g_get_real_time ());
  g_assert_nonnull (strstr (line, "1 recording waiting"));
  g_assert_nonnull (strstr (line, "refused the credentials"));
  g_assert_cmpint (
      query_int (k, "SELECT count(*) FROM upstream_uploads WHERE confirmed_usec IS NOT NULL"), ==,
      0);
  g_assert_cmpint (purgeable (k), ==, 0);
}

static gint64
catalogue_count (DocketCatalogue *cat, const gchar *table, const gchar *station)
{
  g_autoptr (GError) error = NULL;
  gint64 n = docket_catalogue_count (cat, table, station, &error);

  g_assert_no_error (error);
  return n;
}

/* Two kiosks of two stations feed one catalogue that lists both; a replay
 * (cursors lost in a crash) adds no duplicates. */
static void
test_catalogue_two_stations_and_replay (void)
{
  g_autoptr (Kiosk) a = kiosk_new ();
  g_autoptr (Kiosk) b = kiosk_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketUpstream) up_a = NULL;
  g_autoptr (DocketUpstream) up_b = NULL;
  g_autoptr (DocketCatalogue) cat = NULL;
  gint64 audit_all;

  for (guint i = 0; i < 3; i++)
    g_free (add_recording (a, 1000 + i));
  for (guint i = 0; i < 2; i++)
    g_free (add_recording (b, 2000 + i));
  up_a = upstream_for (a, NULL, "station-replay-a", NULL);
  up_b = upstream_for (b, NULL, "station-replay-b", NULL);
  assert_ok (docket_upstream_run_once (up_a, NULL, &error));
  assert_ok (docket_upstream_run_once (up_b, NULL, &error));

  cat = docket_catalogue_connect (servers->pg_conninfo, NULL, "hq", "hq", &error);
  g_assert_no_error (error);
  g_assert_cmpint (catalogue_count (cat, "recordings", "station-replay-a"), ==, 3);
  g_assert_cmpint (catalogue_count (cat, "recordings", "station-replay-b"), ==, 2);
  g_assert_cmpint (catalogue_count (cat, "objects", "station-replay-a"), ==, 3);
  g_assert_cmpint (catalogue_count (cat, "kiosks", "station-replay-b"), ==, 1);
  audit_all = catalogue_count (cat, "audit", "station-replay-a");
  g_assert_cmpint (audit_all, ==, query_int (a, "SELECT count(*) FROM audit_log"));

  /* A crash after PostgreSQL committed but before the cursors moved. */
  assert_ok (
      docket_catalogue_reset_cursors (docket_evidence_store_get_database (a->store), &error));
  assert_ok (docket_upstream_sync_catalogue (up_a, NULL, NULL, &error));
  g_assert_cmpint (catalogue_count (cat, "recordings", "station-replay-a"), ==, 3);
  g_assert_cmpint (catalogue_count (cat, "objects", "station-replay-a"), ==, 3);
  g_assert_cmpint (catalogue_count (cat, "audit", "station-replay-a"), ==, audit_all);
}

/* One text value from the catalogue ("" for NULL). */
static gchar *
pg_text (const gchar *sql)
{
  PGconn *conn = PQconnectdb (servers->pg_conninfo);
  PGresult *res;
  gchar *value;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  res = PQexec (conn, sql);
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  g_assert_cmpint (PQntuples (res), ==, 1);
  value = g_strdup (PQgetvalue (res, 0, 0));
  PQclear (res);
  PQfinish (conn);
  return value;
}

/* Holds (placed, then released) and a condition found by a later deep
 * check reach the catalogue after their recordings did; a replay rewrites
 * the same rows. */
static void
test_catalogue_holds_conditions (void)
{
  g_autoptr (Kiosk) k = kiosk_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStationConfig) station = docket_station_config_new_default ();
  g_autoptr (DocketRetention) retention = NULL;
  g_autoptr (DocketUpstream) up = NULL;
  g_autoptr (DocketCatalogue) cat = NULL;
  g_autofree gchar *released_by = NULL;
  g_autofree gchar *condition = NULL;
  const gchar *st = "station-holds";
  gint64 hold, case_hold;

  for (guint i = 0; i < 3; i++)
    g_free (add_recording (k, 3000 + i));
  up = upstream_for (k, NULL, st, NULL);
  assert_ok (docket_upstream_run_once (up, NULL, &error));
  cat = docket_catalogue_connect (servers->pg_conninfo, NULL, "hq", "hq", &error);
  g_assert_no_error (error);
  g_assert_cmpint (catalogue_count (cat, "recordings", st), ==, 3);
  g_assert_cmpint (catalogue_count (cat, "holds", st), ==, 0);
  g_assert_cmpint (catalogue_count (cat, "conditions", st), ==, 0);

  retention = docket_retention_new (k->store, station);
  hold = docket_retention_place_hold (retention, "sgt", DOCKET_HOLD_RECORDING, "1", "Complaint",
                                      g_get_real_time (), &error);
  g_assert_no_error (error);
  case_hold = docket_retention_place_hold (retention, "sgt", DOCKET_HOLD_CASE, "24-004200", "Trial",
                                           g_get_real_time (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (case_hold, >, hold);
  assert_ok (docket_evidence_store_set_deep_check (k->store, 2, "Frames missing at 00:41",
                                                   "damaged-picture", &error));
  assert_ok (docket_upstream_sync_catalogue (up, NULL, NULL, &error));
  g_assert_cmpint (catalogue_count (cat, "holds", st), ==, 2);
  g_assert_cmpint (catalogue_count (cat, "hold_recordings", st), ==, 1);
  g_assert_cmpint (catalogue_count (cat, "conditions", st), ==, 1);
  condition = pg_text ("SELECT condition || ':' || reason FROM docket_conditions"
                       " WHERE station_id = 'station-holds' AND recording_local_id = 2");
  g_assert_cmpstr (condition, ==, "damaged-picture:Frames missing at 00:41");

  /* Released after it was synced: the same row changes. */
  g_usleep (1000);
  assert_ok (docket_retention_release_hold (retention, "lt", hold, "Complaint closed",
                                            g_get_real_time (), &error));
  assert_ok (docket_upstream_sync_catalogue (up, NULL, NULL, &error));
  g_assert_cmpint (catalogue_count (cat, "holds", st), ==, 2);
  released_by = pg_text ("SELECT COALESCE(released_by, '') FROM docket_holds"
                         " WHERE station_id = 'station-holds' AND kind = 'recording'");
  g_assert_cmpstr (released_by, ==, "lt");

  assert_ok (
      docket_catalogue_reset_cursors (docket_evidence_store_get_database (k->store), &error));
  assert_ok (docket_upstream_sync_catalogue (up, NULL, NULL, &error));
  g_assert_cmpint (catalogue_count (cat, "holds", st), ==, 2);
  g_assert_cmpint (catalogue_count (cat, "hold_recordings", st), ==, 1);
  g_assert_cmpint (catalogue_count (cat, "conditions", st), ==, 1);
}

/* Swift's s3api has no Object Lock. It answers GET ?object-lock with a
 * bucket listing and would take PUT ?legal-hold for a PUT that replaces the
 * object: the engine must find that out once, say so, keep uploading, and
 * never send a legal hold there, even for held recordings. */
static void
test_object_lock_not_supported (void)
{
  g_autoptr (Kiosk) k = kiosk_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStationConfig) station = docket_station_config_new_default ();
  g_autoptr (DocketRetention) retention = docket_retention_new (k->store, station);
  g_autofree gchar *sha = add_recording (k, 70 * 1024);
  g_autoptr (DocketUpstream) up = upstream_for (k, NULL, "station-lock", NULL);
  g_autoptr (GVariant) status = NULL;
  g_autofree gchar *line = NULL;
  const gchar *lock = NULL;

  docket_upstream_set_retention (up, retention);
  g_assert_cmpint (docket_retention_place_hold (retention, "sgt", DOCKET_HOLD_RECORDING, "1",
                                                "Complaint", g_get_real_time (), &error),
                   >, 0);
  g_assert_no_error (error);
  assert_ok (docket_upstream_run_once (up, NULL, &error));
  assert_ok (docket_upstream_sync_legal_holds (up, NULL, &error));
  assert_on_server (k, sha, 70 * 1024);
  g_assert_cmpint (purgeable (k), ==, 1);
  g_assert_cmpint (query_int (k, "SELECT legal_hold FROM upstream_uploads"), ==, 0);
  g_assert_cmpint (query_int (k, "SELECT count(*) FROM audit_log"
                                 " WHERE action = 'recording-upstream-legal-hold'"),
                   ==, 0);

  status = docket_upstream_dup_status (up);
  g_assert_true (g_variant_lookup (status, "object-lock", "&s", &lock));
  g_assert_nonnull (strstr (lock, "does not support S3 Object Lock"));
  line = docket_upstream_format_status (status, g_get_real_time ());
  g_assert_nonnull (strstr (line, "no Object Lock"));
  g_assert_null (strstr (line, "failing"));
}

static void
test_retain_until_format (void)
{
  g_autofree gchar *date
      = docket_s3_retain_until (G_GINT64_CONSTANT (1893456000) * G_USEC_PER_SEC + 999);

  g_assert_cmpstr (date, ==, "2030-01-01T00:00:00Z");
}

static gboolean
guard_cb (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gint64
status_int (DocketUpstream *up, const gchar *key)
{
  g_autoptr (GVariant) status = docket_upstream_dup_status (up);
  g_autoptr (GVariant) value = g_variant_lookup_value (status, key, NULL);

  g_assert_nonnull (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (value);
  return g_variant_get_int64 (value);
}

/* Runs the main loop (where ::changed arrives) until @key in the status
 * passes @above. The guard only stops a hung test. */
static void
wait_status_above (DocketUpstream *up, const gchar *key, gint64 above)
{
  gboolean expired = FALSE;
  guint guard = g_timeout_add_seconds (120, guard_cb, &expired);

  while (status_int (up, key) <= above && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (guard);
}

/* The worker sleeps until something happens: a committed recording starts
 * its upload and a placed hold reaches the catalogue without any timer
 * ending a wait (a poll would end one before either). */
static void
test_worker_wakes_on_events (void)
{
  g_autoptr (Kiosk) k = kiosk_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStationConfig) station = docket_station_config_new_default ();
  g_autoptr (DocketRetention) retention = NULL;
  g_autoptr (DocketUpstream) up = upstream_for (k, NULL, "station-events", NULL);
  g_autoptr (DocketCatalogue) cat = NULL;
  g_autofree gchar *sha = NULL;
  gboolean expired = FALSE;
  guint guard;

  docket_upstream_start (up);
  /* The first pass finds nothing and syncs the (empty) catalogue. */
  wait_status_above (up, "catalogue-usec", 0);

  sha = add_recording (k, 50 * 1024);
  wait_status_above (up, "confirmed", 0);
  assert_on_server (k, sha, 50 * 1024);

  cat = docket_catalogue_connect (servers->pg_conninfo, NULL, "hq", "hq", &error);
  g_assert_no_error (error);
  retention = docket_retention_new (k->store, station);
  g_assert_cmpint (docket_retention_place_hold (retention, "sgt", DOCKET_HOLD_RECORDING, "1",
                                                "Complaint", g_get_real_time (), &error),
                   >, 0);
  g_assert_no_error (error);
  /* Every sync ends with ::changed: look after each. */
  guard = g_timeout_add_seconds (120, guard_cb, &expired);
  while (catalogue_count (cat, "holds", "station-events") == 0 && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (guard);
  docket_upstream_stop (up);
  g_assert_cmpint (status_int (up, "timer-wakes"), ==, 0);
}

static void
overlap_changed_cb (DocketUpstream *up, gpointer user_data)
{
  g_autoptr (GVariant) status = docket_upstream_dup_status (up);
  const gchar *current = "", *finishing = "";

  g_variant_lookup (status, "current", "&s", &current);
  g_variant_lookup (status, "finishing", "&s", &finishing);
  if (*current != '\0' && *finishing != '\0' && !g_str_equal (current, finishing))
    *(gboolean *)user_data = TRUE;
}

/* While one recording's upload is completed, HEAD-confirmed and committed,
 * the next one's parts already go: the status shows both at once. */
static void
test_recordings_overlap (void)
{
  g_autoptr (Kiosk) k = kiosk_new ();
  g_autoptr (DocketUpstream) up = upstream_for (k, NULL, "station-overlap", NULL);
  gchar *shas[3] = { NULL };
  gboolean overlapped = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (shas); i++)
    shas[i] = add_recording (k, 11 * MIB);
  g_signal_connect (up, "changed", G_CALLBACK (overlap_changed_cb), &overlapped);
  docket_upstream_start (up);
  wait_status_above (up, "confirmed", G_N_ELEMENTS (shas) - 1);
  docket_upstream_stop (up);
  g_assert_true (overlapped);
  for (guint i = 0; i < G_N_ELEMENTS (shas); i++)
    {
      assert_on_server (k, shas[i], 11 * MIB);
      g_free (shas[i]);
    }
  g_assert_cmpint (purgeable (k), ==, G_N_ELEMENTS (shas));
  g_assert_cmpint (query_int (k, "SELECT count(*) FROM audit_log WHERE action ="
                                 " 'recording-upstream-confirmed'"),
                   ==, G_N_ELEMENTS (shas));
}

/* The bandwidth limit holds for a body alone on the wire: 3 MiB at
 * 8 Mbit/s (1 MB/s, a quarter second's worth at once) take at least 2.9 s.
 * All connections share it (test-rate-limit), so this body, alone, gets
 * the whole of it. */
static void
test_bandwidth_limit (void)
{
  g_autoptr (Kiosk) k = kiosk_new ();
  g_autofree gchar *conf = upstream_servers_write_config (servers, k->dir, NULL, "station-limit",
                                                          "kiosk-1", NULL, "bandwidth-kbps=8000\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketUpstreamConfig) config = docket_upstream_config_load (conf, &error);
  g_autoptr (DocketUpstream) up = NULL;
  g_autofree gchar *sha = add_recording (k, 3 * MIB);
  gint64 t0;

  g_assert_no_error (error);
  up = docket_upstream_new (k->store, config, &error);
  g_assert_no_error (error);
  t0 = g_get_monotonic_time ();
  assert_ok (docket_upstream_run_once (up, NULL, &error));
  /* At 1 MB/s a byte takes a microsecond. */
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, (gint64)(3 * MIB - 250000));
  assert_on_server (k, sha, 3 * MIB);
}

typedef struct
{
  Kiosk *k;
  gint64 parts_when_second_started; /* -1 until the second upload has an id */
} LastWaits;

static gboolean
last_waits_poll_cb (gpointer user_data)
{
  LastWaits *w = user_data;

  if (query_int (w->k, "SELECT count(*) FROM upstream_uploads WHERE upload_id IS NOT NULL") < 2)
    return G_SOURCE_CONTINUE;
  w->parts_when_second_started = query_int (w->k, "SELECT count(*) FROM upstream_parts");
  return G_SOURCE_REMOVE;
}

/* A recording's last part waits for a free connection in a thread of its
 * own: the next recording's upload starts while the first one's parts are
 * all still on the wire (before, it waited for the first part to end). A
 * pause then stops the waiting part before it sends anything, and the
 * resume completes both. */
static void
test_next_starts_while_last_waits (void)
{
  g_autoptr (Kiosk) k = kiosk_new ();
  /* 4 parts each (5 + 5 + 5 + 1 MiB), three connections at about 2 MB/s
   * each: a part takes some 2.5 s. */
  g_autofree gchar *conf = upstream_servers_write_config (
      servers, k->dir, NULL, "station-waits", "kiosk-1", NULL, "bandwidth-kbps=48000\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketUpstreamConfig) config = docket_upstream_config_load (conf, &error);
  g_autoptr (DocketUpstream) up = NULL;
  LastWaits w = { k, -1 };
  gchar *shas[2] = { NULL };
  gboolean expired = FALSE;
  guint guard;

  g_assert_no_error (error);
  up = docket_upstream_new (k->store, config, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (shas); i++)
    shas[i] = add_recording (k, 16 * MIB);
  g_timeout_add (10, last_waits_poll_cb, &w);
  guard = g_timeout_add_seconds (60, guard_cb, &expired);
  docket_upstream_start (up);
  while (w.parts_when_second_started < 0 && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (guard);
  g_assert_cmpint (w.parts_when_second_started, ==, 0);

  docket_upstream_pause (up);
  g_assert_cmpint (status_int (up, "confirmed"), ==, 0);
  docket_upstream_resume (up);
  wait_status_above (up, "confirmed", G_N_ELEMENTS (shas) - 1);
  docket_upstream_stop (up);
  for (guint i = 0; i < G_N_ELEMENTS (shas); i++)
    {
      assert_on_server (k, shas[i], 16 * MIB);
      g_free (shas[i]);
    }
  g_assert_cmpint (purgeable (k), ==, G_N_ELEMENTS (shas));
}

int
main (int argc, char **argv)
{
  int rc;

  if (argc == 3 && g_str_equal (argv[1], "--upload-child"))
    return upload_child (argv[2]);
  self_path = argv[0];
  g_test_init (&argc, &argv, NULL);
  servers = upstream_servers_start ();
  g_test_add_func ("/upstream/upload-confirm", test_upload_confirm);
  g_test_add_func ("/upstream/resume-after-kill", test_resume_after_kill);
  g_test_add_func ("/upstream/server-down-then-up", test_server_down_then_up);
  g_test_add_func ("/upstream/tampered-part", test_tampered_part);
  g_test_add_func ("/upstream/damaged-local-copy", test_damaged_local_copy);
  g_test_add_func ("/upstream/damaged-local-copy-multipart", test_damaged_local_copy_multipart);
  g_test_add_func ("/upstream/already-present", test_already_present);
  g_test_add_func ("/upstream/bad-credentials", test_bad_credentials);
  g_test_add_func ("/upstream/catalogue-two-stations-replay",
                   test_catalogue_two_stations_and_replay);
  g_test_add_func ("/upstream/catalogue-holds-conditions", test_catalogue_holds_conditions);
  g_test_add_func ("/upstream/worker-wakes-on-events", test_worker_wakes_on_events);
  g_test_add_func ("/upstream/recordings-overlap", test_recordings_overlap);
  g_test_add_func ("/upstream/next-starts-while-last-waits", test_next_starts_while_last_waits);
  g_test_add_func ("/upstream/bandwidth-limit", test_bandwidth_limit);
  g_test_add_func ("/upstream/object-lock-not-supported", test_object_lock_not_supported);
  g_test_add_func ("/upstream/retain-until-format", test_retain_until_format);
  rc = g_test_run ();
  upstream_servers_stop (servers);
  return rc;
}
