/* test-upstream-objlock.c — S3 Object Lock against a real Ceph RGW
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One throwaway Ceph cluster with radosgw for the whole binary
 * (upstream_servers_start_rgw: a monitor, a memstore OSD); every case uses
 * a bucket of its own. Where it cannot start, each case skips saying why.
 * What is checked is read back from the server (GET ?retention,
 * ?legal-hold), not taken from docketd's own rows.
 */
#include "config.h"

#include <string.h>

#include "docket-error.h"
#include "docket-retention.h"
#include "docket-s3-client.h"
#include "docket-upstream.h"
#include "test-people-fixture.h"
#include "upstream-servers.h"

#define DAY ((gint64)24 * 3600 * G_USEC_PER_SEC)
#define SECONDS(usec) ((usec) / G_USEC_PER_SEC * G_USEC_PER_SEC)

/* Shows the error before failing. */
#define assert_ok(expr)                                                                            \
  G_STMT_START                                                                                     \
  {                                                                                                \
    gboolean ok_ = (expr);                                                                         \
    g_assert_no_error (error);                                                                     \
    g_assert_true (ok_);                                                                           \
  }                                                                                                \
  G_STMT_END

/* Untagged footage is kept 30 days, a use of force 400: a re-tag lengthens. */
#define STATION_CONF                                                                               \
  "[station]\naudit-sample-percent=0\n"                                                            \
  "[category:uncategorized]\nlabel=Uncategorized\nretention-days=30\n"                             \
  "[category:use-of-force]\nlabel=Force\nretention-days=400\n"

static UpstreamServers *servers;
static gchar *skip_reason;
static DocketPerson *ann;

typedef struct
{
  PeopleFixture p;
  DocketRetention *retention;
  DocketUpstream *up;
  DocketS3Client *s3; /* the test's own view of the bucket */
  gchar *bucket;
  gchar *station; /* one per case: the catalogue is shared by all */
} Fixture;

/* A second kiosk of the same station, on the same bucket and catalogue. */
typedef struct
{
  PeopleFixture p;
  DocketRetention *retention;
  DocketUpstream *up;
} OtherKiosk;

static void
setup (Fixture *f, gconstpointer data)
{
  gboolean object_lock = GPOINTER_TO_INT (data);
  static guint n;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *extra = NULL;
  g_autofree gchar *conf = NULL;
  g_autoptr (DocketUpstreamConfig) config = NULL;

  if (servers == NULL)
    return;
  people_fixture_setup_with (&f->p, STATION_CONF);
  f->retention = docket_retention_new (f->p.store, f->p.config);
  f->bucket = g_strdup_printf ("%s-%u", object_lock ? "locked" : "plain", ++n);
  f->station = g_strdup_printf ("station-rgw-%u", n);
  f->s3 = docket_s3_client_new (servers->s3_endpoint, NULL, f->bucket, servers->access_key,
                                servers->secret_key);
  /* Object Lock can only be enabled when a bucket is created. */
  assert_ok (docket_s3_client_create_bucket (f->s3, object_lock, &error));
  extra = g_strdup_printf ("bucket=%s\n", f->bucket);
  conf
      = upstream_servers_write_config (servers, f->p.dir, NULL, f->station, "kiosk-1", NULL, extra);
  config = docket_upstream_config_load (conf, &error);
  g_assert_no_error (error);
  f->up = docket_upstream_new (f->p.store, config, &error);
  g_assert_no_error (error);
  docket_upstream_set_retention (f->up, f->retention);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  if (servers == NULL)
    return;
  g_clear_object (&f->up);
  g_clear_object (&f->s3);
  g_clear_object (&f->retention);
  g_free (f->bucket);
  g_free (f->station);
  people_fixture_teardown (&f->p, data);
}

static void
other_kiosk_setup (OtherKiosk *k, Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *extra = g_strdup_printf ("bucket=%s\n", f->bucket);
  g_autofree gchar *conf = NULL;
  g_autoptr (DocketUpstreamConfig) config = NULL;

  people_fixture_setup_with (&k->p, STATION_CONF);
  conf
      = upstream_servers_write_config (servers, k->p.dir, NULL, f->station, "kiosk-2", NULL, extra);
  config = docket_upstream_config_load (conf, &error);
  g_assert_no_error (error);
  k->up = docket_upstream_new (k->p.store, config, &error);
  g_assert_no_error (error);
  k->retention = docket_retention_new (k->p.store, k->p.config);
  docket_upstream_set_retention (k->up, k->retention);
}

static void
other_kiosk_teardown (OtherKiosk *k)
{
  g_clear_object (&k->up);
  g_clear_object (&k->retention);
  people_fixture_teardown (&k->p, NULL);
}

/* A recording on kiosk @p (footage "footage @footage + 1" when @footage is
 * not 0: the catalogue is shared by every case, so a case that asks it
 * uses footage no other case has), a hold on it placed by @by, and one
 * pass of @up. Returns the recording's id; *@out_hold: the hold's. */
static gint64
add_held_and_upload (PeopleFixture *p,
                     DocketRetention *retention,
                     DocketUpstream *up,
                     guint footage,
                     const gchar *by,
                     gint64 *out_hold)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *target = NULL;
  gint64 id, hold;

  if (footage != 0)
    p->next_id = footage;
  id = people_fixture_add_recording (p, "1234", g_get_real_time (), 0);
  target = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  hold = docket_retention_place_hold (retention, by, DOCKET_HOLD_RECORDING, target, "Complaint",
                                      g_get_real_time (), &error);
  g_assert_no_error (error);
  g_assert_cmpint (hold, >, 0);
  assert_ok (docket_upstream_run_once (up, NULL, &error));
  if (out_hold != NULL)
    *out_hold = hold;
  return id;
}

static gboolean
skipped (void)
{
  if (servers != NULL)
    return FALSE;
  g_test_skip (skip_reason);
  return TRUE;
}

/* The cases that ask the catalogue skip where RGW has none beside it. */
static gboolean
catalogue_skipped (void)
{
  if (skipped ())
    return TRUE;
  if (servers->pg_conninfo != NULL)
    return FALSE;
  g_test_skip ("no catalogue (PostgreSQL) beside Ceph RGW");
  return TRUE;
}

static gint64
query_int (Fixture *f, const gchar *sql)
{
  DocketDatabase *db = docket_evidence_store_get_database (f->p.store);
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (db);
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (db, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static gchar *
object_key (Fixture *f, gint64 id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStoredRecording) rec
      = docket_evidence_store_get_recording (f->p.store, id, &error);

  g_assert_no_error (error);
  return docket_s3_object_key (rec->sha256);
}

static gint64
keep_until (Fixture *f, gint64 id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketRetentionItem) item
      = docket_retention_get_item (f->retention, id, g_get_real_time (), &error);

  g_assert_no_error (error);
  return SECONDS (item->keep_until_usec);
}

/* The object's retention as the server has it: COMPLIANCE, until when. */
static gint64
server_retention (Fixture *f, gint64 id)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *key = object_key (f, id);
  g_autofree gchar *mode = NULL;
  gint64 until = 0;

  assert_ok (docket_s3_client_get_retention (f->s3, key, &mode, &until, &error));
  g_assert_cmpstr (mode, ==, "COMPLIANCE");
  return until;
}

static gboolean
server_legal_hold (Fixture *f, gint64 id)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *key = object_key (f, id);
  gboolean on = FALSE;

  assert_ok (docket_s3_client_get_legal_hold (f->s3, key, &on, &error));
  return on;
}

static guint
count_audit (Fixture *f, const gchar *action)
{
  return people_fixture_count_audit (&f->p, action);
}

/* Upload: COMPLIANCE retention until the recording's keep-until; a hold
 * puts the object's legal hold ON, its release OFF, each audited. */
/* Runs the worker once: the recording is confirmed and the status says
 * @want_lock of the bucket. Returns the IT page's line. */
static gchar *
run_and_check_lock (Fixture *f, const gchar *want_lock)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) status = NULL;
  const gchar *lock = NULL;

  assert_ok (docket_upstream_run_once (f->up, NULL, &error));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM upstream_uploads"
                                 " WHERE state = 'confirmed'"),
                   ==, 1);
  status = docket_upstream_dup_status (f->up);
  g_assert_true (g_variant_lookup (status, "object-lock", "&s", &lock));
  g_assert_cmpstr (lock, ==, want_lock);
  return docket_upstream_format_status (status, g_get_real_time ());
}

static void
test_retention_and_legal_hold (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *line = NULL;
  g_autofree gchar *target = NULL;
  gint64 id, hold;

  if (skipped ())
    return;
  id = people_fixture_add_recording (&f->p, "1234", g_get_real_time (), 0);
  line = run_and_check_lock (f, "enabled");
  g_assert_null (strstr (line, "Object Lock"));

  g_assert_cmpint (keep_until (f, id), >, g_get_real_time () + 29 * DAY);
  g_assert_cmpint (server_retention (f, id), ==, keep_until (f, id));
  /* What the object has is read back once and kept: nothing to lengthen. */
  g_assert_cmpint (query_int (f, "SELECT retain_until_usec FROM upstream_uploads"), ==,
                   keep_until (f, id));
  g_assert_cmpint (count_audit (f, "recording-upstream-retention"), ==, 0);
  g_assert_false (server_legal_hold (f, id));

  target = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  hold = docket_retention_place_hold (f->retention, "sgt", DOCKET_HOLD_RECORDING, target,
                                      "Complaint", g_get_real_time (), &error);
  g_assert_no_error (error);
  assert_ok (docket_upstream_run_once (f->up, NULL, &error));
  g_assert_true (server_legal_hold (f, id));
  g_assert_cmpint (count_audit (f, "recording-upstream-legal-hold"), ==, 1);

  assert_ok (docket_retention_release_hold (f->retention, "sgt", hold, "Closed", g_get_real_time (),
                                            &error));
  assert_ok (docket_upstream_run_once (f->up, NULL, &error));
  g_assert_false (server_legal_hold (f, id));
  g_assert_cmpint (count_audit (f, "recording-upstream-legal-hold"), ==, 2);
  /* Still under retention: compliance mode outlives the hold. */
  g_assert_cmpint (server_retention (f, id), ==, keep_until (f, id));
}

/* The same footage docked on a second kiosk of the station, which holds
 * none of it: its object is found on the server and confirmed as it is, so
 * it is not written again as a second version, and the first kiosk's legal
 * hold on it stays ON. */
static void
test_second_kiosk_keeps_hold (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  OtherKiosk b = { { 0 } };
  gint64 id, id_b, until;

  if (skipped ())
    return;
  id = add_held_and_upload (&f->p, f->retention, f->up, 0, "sgt", NULL);
  g_assert_true (server_legal_hold (f, id));
  until = server_retention (f, id);

  /* The fixture's footage is "footage N": the same bytes on both kiosks. */
  other_kiosk_setup (&b, f);
  id_b = people_fixture_add_recording (&b.p, "1234", g_get_real_time (), 0);
  assert_ok (docket_upstream_run_once (b.up, NULL, &error));

  g_assert_cmpint (people_fixture_count_audit (&b.p, "recording-upstream-confirmed"), ==, 1);
  g_assert_cmpint (people_fixture_count_audit (&b.p, "recording-upstream-legal-hold"), ==, 0);
  g_assert_true (server_legal_hold (f, id));
  /* Kiosk B's keep-until, a moment later than A's, is the object's now. */
  g_assert_cmpint (server_retention (f, id), >=, until);
  {
    g_autoptr (DocketRetentionItem) item
        = docket_retention_get_item (b.retention, id_b, g_get_real_time (), &error);

    g_assert_no_error (error);
    g_assert_cmpint (server_retention (f, id), ==, SECONDS (item->keep_until_usec));
  }
  other_kiosk_teardown (&b);
}

/* Both kiosks hold the same footage (one object). The first to release
 * leaves the object's legal hold on, since the catalogue shows the other's
 * hold still open, and says so in its audit; the last release lifts it. */
static void
test_release_keeps_other_kiosks_hold (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  OtherKiosk b = { { 0 } };
  gint64 id, hold, hold_b;

  if (catalogue_skipped ())
    return;
  /* Footage no other case has: an open hold of another case's station on
   * the same bytes would rightly keep the object held. */
  id = add_held_and_upload (&f->p, f->retention, f->up, 1000, "sgt", &hold);
  g_assert_true (server_legal_hold (f, id));

  other_kiosk_setup (&b, f);
  add_held_and_upload (&b.p, b.retention, b.up, 1000, "lt", &hold_b);
  g_assert_cmpint (people_fixture_count_audit (&b.p, "recording-upstream-legal-hold"), ==, 1);

  /* A releases; B's hold, in the catalogue, keeps the object held. */
  assert_ok (docket_retention_release_hold (f->retention, "sgt", hold, "Closed", g_get_real_time (),
                                            &error));
  assert_ok (docket_upstream_run_once (f->up, NULL, &error));
  g_assert_true (server_legal_hold (f, id));
  g_assert_cmpint (count_audit (f, "recording-upstream-legal-hold"), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit_log"
                                 " WHERE action = 'recording-upstream-legal-hold'"
                                 " AND details LIKE '%held-by-another-kiosk%true%'"),
                   ==, 1);
  /* Nothing left to do for A: a second pass sends nothing. */
  assert_ok (docket_upstream_run_once (f->up, NULL, &error));
  g_assert_cmpint (count_audit (f, "recording-upstream-legal-hold"), ==, 2);

  /* B releases too: nobody holds the footage now, the object's hold goes. */
  assert_ok (docket_retention_release_hold (b.retention, "lt", hold_b, "Settled",
                                            g_get_real_time (), &error));
  assert_ok (docket_upstream_run_once (b.up, NULL, &error));
  g_assert_false (server_legal_hold (f, id));
  g_assert_cmpint (people_fixture_count_audit (&b.p, "recording-upstream-legal-hold"), ==, 2);
  other_kiosk_teardown (&b);
}

/* A release when the catalogue cannot say whether another kiosk holds the
 * footage: the object's legal hold stays ON and the pass fails, saying
 * why; once the catalogue answers, the release goes through. */
static void
test_release_waits_for_catalogue (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *extra = NULL;
  g_autofree gchar *conf = NULL;
  g_autoptr (GKeyFile) keys = g_key_file_new ();
  g_autoptr (DocketUpstreamConfig) config = NULL;
  g_autoptr (DocketUpstream) cut_off = NULL;
  gint64 id, hold;

  if (catalogue_skipped ())
    return;
  id = add_held_and_upload (&f->p, f->retention, f->up, 2000, "sgt", &hold);
  g_assert_true (server_legal_hold (f, id));

  /* The same kiosk, its catalogue on a port where nothing listens. */
  extra = g_strdup_printf ("bucket=%s\n", f->bucket);
  conf
      = upstream_servers_write_config (servers, f->p.dir, NULL, f->station, "kiosk-1", NULL, extra);
  assert_ok (g_key_file_load_from_file (keys, conf, G_KEY_FILE_NONE, &error));
  g_key_file_set_string (keys, "upstream", "catalogue",
                         "host=127.0.0.1 port=9 dbname=docket user=docket");
  assert_ok (g_key_file_save_to_file (keys, conf, &error));
  config = docket_upstream_config_load (conf, &error);
  g_assert_no_error (error);
  cut_off = docket_upstream_new (f->p.store, config, &error);
  g_assert_no_error (error);

  assert_ok (docket_retention_release_hold (f->retention, "sgt", hold, "Closed", g_get_real_time (),
                                            &error));
  g_assert_false (docket_upstream_sync_legal_holds (cut_off, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "catalogue (PostgreSQL) could not be reached"));
  g_clear_error (&error);
  g_assert_true (server_legal_hold (f, id));
  g_assert_cmpint (count_audit (f, "recording-upstream-legal-hold"), ==, 1);

  assert_ok (docket_upstream_run_once (f->up, NULL, &error));
  g_assert_false (server_legal_hold (f, id));
  g_assert_cmpint (count_audit (f, "recording-upstream-legal-hold"), ==, 2);
}

static gboolean
guard_cb (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop (the worker's ::changed) until @sql counts @want; the
 * guard only stops a hung test. */
static void
wait_count (Fixture *f, const gchar *sql, gint64 want)
{
  gboolean expired = FALSE;
  guint guard = g_timeout_add_seconds (60, guard_cb, &expired);

  while (query_int (f, sql) < want && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (guard);
}

/* A re-tag to a category kept longer moves keep-until later: the running
 * worker, woken by the tag's audit row, lengthens the object's retention
 * (PUT ?retention) and audits it, once. */
static void
test_retag_lengthens (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 id, before, after;

  if (skipped ())
    return;
  id = people_fixture_add_recording (&f->p, "1234", g_get_real_time (), 0);
  docket_upstream_start (f->up);
  wait_count (f,
              "SELECT count(*) FROM upstream_uploads WHERE state = 'confirmed'"
              " AND retention_due = 0",
              1);
  before = server_retention (f, id);
  g_assert_cmpint (before, ==, keep_until (f, id));

  assert_ok (docket_tags_tag (f->p.tags, ann, &id, 1, "use-of-force", "", "", &error));
  after = keep_until (f, id);
  g_assert_cmpint (after, >=, before + 369 * DAY);
  wait_count (f, "SELECT count(*) FROM audit_log WHERE action = 'recording-upstream-retention'", 1);
  docket_upstream_stop (f->up);
  g_assert_cmpint (server_retention (f, id), ==, after);

  /* Idempotent: another pass sends nothing and audits nothing. */
  assert_ok (docket_upstream_sync_retention (f->up, NULL, &error));
  assert_ok (docket_upstream_run_once (f->up, NULL, &error));
  g_assert_cmpint (count_audit (f, "recording-upstream-retention"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT retain_until_usec FROM upstream_uploads"), ==, after);
  g_assert_cmpint (query_int (f, "SELECT retention_due FROM upstream_uploads"), ==, 0);
}

/* A device policy that keeps untagged footage longer lengthens the
 * retention of objects already uploaded, through the station config's
 * ::changed; one that keeps it shorter sends nothing (compliance mode
 * cannot be shortened). */
static void
test_policy_lengthens (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStationConfig) longer = NULL;
  g_autoptr (DocketStationConfig) shorter = NULL;
  gint64 id, before;

  if (skipped ())
    return;
  id = people_fixture_add_recording (&f->p, "1234", g_get_real_time (), 0);
  assert_ok (docket_upstream_run_once (f->up, NULL, &error));
  before = server_retention (f, id);

  longer = docket_station_config_load_from_data (
      "[station]\naudit-sample-percent=0\n"
      "[category:uncategorized]\nlabel=Uncategorized\nretention-days=90\n",
      &error);
  g_assert_no_error (error);
  docket_station_config_update (f->p.config, longer);
  assert_ok (docket_upstream_run_once (f->up, NULL, &error));
  g_assert_cmpint (keep_until (f, id), >=, before + 59 * DAY);
  g_assert_cmpint (server_retention (f, id), ==, keep_until (f, id));
  g_assert_cmpint (count_audit (f, "recording-upstream-retention"), ==, 1);

  shorter = docket_station_config_load_from_data (
      "[station]\naudit-sample-percent=0\n"
      "[category:uncategorized]\nlabel=Uncategorized\nretention-days=10\n",
      &error);
  g_assert_no_error (error);
  docket_station_config_update (f->p.config, shorter);
  assert_ok (docket_upstream_run_once (f->up, NULL, &error));
  g_assert_cmpint (server_retention (f, id), >=, before + 59 * DAY);
  g_assert_cmpint (count_audit (f, "recording-upstream-retention"), ==, 1);
}

static void
set_next_try (Fixture *f, gint64 usec)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = g_strdup_printf (
      "UPDATE upstream_uploads SET retention_next_try_usec = %" G_GINT64_FORMAT, usec);

  assert_ok (docket_database_exec (docket_evidence_store_get_database (f->p.store), sql, &error));
}

/* A lengthening that fails backs off for that object (retry-seconds,
 * doubled), is not retried before, steps on while the server is away, and
 * reaches the object when the worker's back-off timer ends. */
static void
test_retention_backs_off (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *key = NULL;
  g_autofree gchar *sql = NULL;
  g_autoptr (GVariant) status = NULL;
  guint32 timer_wakes = 0;
  gint64 id, next;

  if (skipped ())
    return;
  id = people_fixture_add_recording (&f->p, "1234", g_get_real_time (), 0);
  assert_ok (docket_upstream_run_once (f->up, NULL, &error));
  key = object_key (f, id);
  /* The object goes missing under its key as far as docketd knows. */
  assert_ok (docket_database_exec (docket_evidence_store_get_database (f->p.store),
                                   "UPDATE upstream_uploads SET object_key = 'sha256/00/gone'",
                                   &error));
  assert_ok (docket_tags_tag (f->p.tags, ann, &id, 1, "use-of-force", "", "", &error));
  g_assert_false (docket_upstream_sync_retention (f->up, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT retention_attempts FROM upstream_uploads"), ==, 1);
  next = query_int (f, "SELECT retention_next_try_usec FROM upstream_uploads");
  g_assert_cmpint (next, >, g_get_real_time ());
  g_assert_cmpint (next, <=, g_get_real_time () + 2 * G_USEC_PER_SEC);
  /* Backing off: not tried again yet. */
  assert_ok (docket_upstream_sync_retention (f->up, NULL, &error));
  g_assert_cmpint (query_int (f, "SELECT retention_attempts FROM upstream_uploads"), ==, 1);

  /* Its back-off ended while the server cannot be reached at all: the
   * object waits the next step (no timer fires again at once). */
  {
    g_autofree gchar *extra = g_strdup_printf ("bucket=%s\n", f->bucket);
    g_autofree gchar *conf = upstream_servers_write_config (servers, f->p.dir, "http://127.0.0.1:1",
                                                            "station-rgw", "kiosk-1", NULL, extra);
    g_autoptr (DocketUpstreamConfig) config = docket_upstream_config_load (conf, &error);
    g_autoptr (DocketUpstream) away = NULL;

    g_assert_no_error (error);
    away = docket_upstream_new (f->p.store, config, &error);
    g_assert_no_error (error);
    set_next_try (f, g_get_real_time () - 1);
    g_assert_false (docket_upstream_sync_retention (away, NULL, &error));
    g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED);
    g_clear_error (&error);
    g_assert_cmpint (query_int (f, "SELECT retention_attempts FROM upstream_uploads"), ==, 2);
    g_assert_cmpint (query_int (f, "SELECT retention_next_try_usec FROM upstream_uploads"), >,
                     g_get_real_time ());
  }

  /* Back: the running worker's back-off timer, not an event, retries it. */
  sql = g_strdup_printf ("UPDATE upstream_uploads SET object_key = '%s'", key);
  assert_ok (docket_database_exec (docket_evidence_store_get_database (f->p.store), sql, &error));
  set_next_try (f, g_get_real_time () + 2 * G_USEC_PER_SEC);
  docket_upstream_start (f->up);
  wait_count (f, "SELECT count(*) FROM audit_log WHERE action = 'recording-upstream-retention'", 1);
  docket_upstream_stop (f->up);
  status = docket_upstream_dup_status (f->up);
  g_assert_true (g_variant_lookup (status, "timer-wakes", "u", &timer_wakes));
  g_assert_cmpuint (timer_wakes, >=, 1);
  g_assert_cmpint (server_retention (f, id), ==, keep_until (f, id));
  g_assert_cmpint (query_int (f, "SELECT retention_attempts FROM upstream_uploads"), ==, 0);
}

/* A bucket without Object Lock on the same RGW: found out once, said on
 * the IT line, uploads go on, and no retention or legal hold is sent. */
static void
test_bucket_without_lock (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *line = NULL;
  g_autofree gchar *target = NULL;
  g_autofree gchar *key = NULL;
  g_autofree gchar *mode = NULL;
  gint64 id, until = -1;

  if (skipped ())
    return;
  id = people_fixture_add_recording (&f->p, "1234", g_get_real_time (), 0);
  target = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_assert_cmpint (docket_retention_place_hold (f->retention, "sgt", DOCKET_HOLD_RECORDING, target,
                                                "Complaint", g_get_real_time (), &error),
                   >, 0);
  assert_ok (docket_tags_tag (f->p.tags, ann, &id, 1, "use-of-force", "", "", &error));
  line = run_and_check_lock (f, "Object Lock is not enabled on the bucket");
  g_assert_nonnull (strstr (line, "no Object Lock: Object Lock is not enabled on the bucket"));
  g_assert_null (strstr (line, "failing"));

  g_assert_cmpint (query_int (f, "SELECT legal_hold FROM upstream_uploads"), ==, 0);
  g_assert_cmpint (count_audit (f, "recording-upstream-legal-hold"), ==, 0);
  g_assert_cmpint (count_audit (f, "recording-upstream-retention"), ==, 0);
  /* The server agrees: the object has no retention. */
  key = object_key (f, id);
  if (docket_s3_client_get_retention (f->s3, key, &mode, &until, &error))
    {
      g_assert_null (mode);
      g_assert_cmpint (until, ==, 0);
    }
  else
    g_test_message ("GET ?retention on a plain bucket: %s", error->message);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  ann = docket_person_new ("1234", "Ann Ray", DOCKET_ROLE_OFFICER);
  servers = upstream_servers_start_rgw (&skip_reason);
  g_test_add ("/upstream/object-lock-rgw/retention-and-legal-hold", Fixture, GINT_TO_POINTER (1),
              setup, test_retention_and_legal_hold, teardown);
  g_test_add ("/upstream/object-lock-rgw/second-kiosk-keeps-hold", Fixture, GINT_TO_POINTER (1),
              setup, test_second_kiosk_keeps_hold, teardown);
  g_test_add ("/upstream/object-lock-rgw/release-keeps-other-kiosks-hold", Fixture,
              GINT_TO_POINTER (1), setup, test_release_keeps_other_kiosks_hold, teardown);
  g_test_add ("/upstream/object-lock-rgw/release-waits-for-catalogue", Fixture, GINT_TO_POINTER (1),
              setup, test_release_waits_for_catalogue, teardown);
  g_test_add ("/upstream/object-lock-rgw/retag-lengthens", Fixture, GINT_TO_POINTER (1), setup,
              test_retag_lengthens, teardown);
  g_test_add ("/upstream/object-lock-rgw/policy-lengthens", Fixture, GINT_TO_POINTER (1), setup,
              test_policy_lengthens, teardown);
  g_test_add ("/upstream/object-lock-rgw/retention-backs-off", Fixture, GINT_TO_POINTER (1), setup,
              test_retention_backs_off, teardown);
  g_test_add ("/upstream/object-lock-rgw/bucket-without-lock", Fixture, GINT_TO_POINTER (0), setup,
              test_bucket_without_lock, teardown);
  rc = g_test_run ();
  upstream_servers_stop (servers);
  docket_person_free (ann);
  g_free (skip_reason);
  return rc;
}
