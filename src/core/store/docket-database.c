/* docket-database.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-database.h"
#include "docket-error.h"

/* Schema history. Never edit a released entry: append a new one. */
static const gchar *const migrations[] = {
  /* 1: cameras, recordings, offload runs, audit log */
  "CREATE TABLE cameras ("
  "  id INTEGER PRIMARY KEY,"
  "  serial TEXT NOT NULL UNIQUE,"
  "  vendor TEXT, model TEXT,"
  "  public_key BLOB NOT NULL,"
  "  enrolled_usec INTEGER NOT NULL,"
  "  flagged INTEGER NOT NULL DEFAULT 0,"
  "  flag_reason TEXT);"
  "CREATE TABLE offload_runs ("
  "  id INTEGER PRIMARY KEY,"
  "  camera_id INTEGER NOT NULL REFERENCES cameras(id),"
  "  started_usec INTEGER NOT NULL,"
  "  finished_usec INTEGER,"
  "  files_total INTEGER NOT NULL DEFAULT 0,"
  "  files_done INTEGER NOT NULL DEFAULT 0,"
  "  bytes_done INTEGER NOT NULL DEFAULT 0,"
  "  verified INTEGER NOT NULL DEFAULT 0,"
  "  quarantined INTEGER NOT NULL DEFAULT 0,"
  "  result TEXT);"
  /* state: 'verified' (file in the store) or 'quarantined' (file in quarantine/) */
  "CREATE TABLE recordings ("
  "  id INTEGER PRIMARY KEY,"
  "  camera_id INTEGER NOT NULL REFERENCES cameras(id),"
  "  camera_recording_id INTEGER NOT NULL,"
  "  name TEXT,"
  "  officer TEXT,"
  "  start_usec INTEGER,"
  "  duration_ms INTEGER,"
  "  size INTEGER NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  camera_sha256 TEXT NOT NULL,"
  "  signature_status TEXT NOT NULL,"
  "  codec TEXT, width INTEGER, height INTEGER,"
  "  thumbnail TEXT,"
  "  clock_drift_ms INTEGER,"
  "  state TEXT NOT NULL,"
  "  problem TEXT,"
  "  deep_check TEXT,"
  "  offload_run_id INTEGER REFERENCES offload_runs(id),"
  "  committed_usec INTEGER NOT NULL);"
  "CREATE INDEX recordings_camera ON recordings(camera_id, camera_recording_id);"
  "CREATE INDEX recordings_sha256 ON recordings(sha256);"
  "CREATE TABLE audit_log ("
  "  seq INTEGER PRIMARY KEY,"
  "  time_usec INTEGER NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  subject TEXT NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  details TEXT NOT NULL,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL);"
  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
  "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
  "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
  /* 2: people, sign-in lockout, camera assignment, tags, review, deletion
   * requests (docket-people.c, docket-tags.c, docket-review.c). A recording
   * with no officer takes its camera's assignee at insert time. */
  "CREATE TABLE officers ("
  "  badge TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  role TEXT NOT NULL CHECK (role IN ('officer', 'sergeant', 'it')),"
  "  pin_hash TEXT NOT NULL,"
  "  created_usec INTEGER NOT NULL);"
  "CREATE TABLE sign_in_failures ("
  "  badge TEXT PRIMARY KEY,"
  "  failures INTEGER NOT NULL,"
  "  locked_until_usec INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE camera_assignments ("
  "  serial TEXT PRIMARY KEY,"
  "  badge TEXT NOT NULL,"
  "  assigned_usec INTEGER NOT NULL);"
  "CREATE TABLE tags ("
  "  recording_id INTEGER PRIMARY KEY REFERENCES recordings(id),"
  "  category TEXT NOT NULL,"
  "  case_number TEXT NOT NULL DEFAULT '',"
  "  note TEXT NOT NULL DEFAULT '',"
  "  restricted INTEGER NOT NULL DEFAULT 0,"
  "  tagged_by TEXT NOT NULL,"
  "  tagged_usec INTEGER NOT NULL,"
  "  review_state TEXT NOT NULL DEFAULT 'none',"
  "  reviewed_by TEXT, reviewed_usec INTEGER, review_reason TEXT);"
  "CREATE INDEX tags_review ON tags(review_state, category);"
  "CREATE INDEX recordings_officer_start ON recordings(officer, start_usec);"
  "CREATE INDEX recordings_start ON recordings(start_usec);"
  "CREATE INDEX recordings_committed ON recordings(committed_usec);"
  "CREATE TABLE deletion_requests ("
  "  id INTEGER PRIMARY KEY,"
  "  recording_id INTEGER NOT NULL REFERENCES recordings(id),"
  "  requested_by TEXT NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  requested_usec INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'pending',"
  "  decided_by TEXT, decided_usec INTEGER, decision_reason TEXT,"
  "  purge_after_usec INTEGER);"
  "CREATE INDEX deletion_requests_state ON deletion_requests(state, recording_id);"
  "CREATE INDEX deletion_requests_recording ON deletion_requests(recording_id);"
  "CREATE TRIGGER recordings_officer_from_assignment AFTER INSERT ON recordings"
  "  WHEN NEW.officer IS NULL OR NEW.officer = ''"
  "  BEGIN UPDATE recordings SET officer = (SELECT a.badge FROM camera_assignments a"
  "    JOIN cameras c ON c.serial = a.serial WHERE c.id = NEW.camera_id) WHERE id = NEW.id; END;",
  /* 3: covering indexes for the review queues and the tagging list, so
   * counting 100,000 recordings never reads the table itself. */
  "CREATE INDEX recordings_state_committed ON recordings(state, committed_usec, officer,"
  "  start_usec);"
  "CREATE INDEX recordings_officer_state ON recordings(officer, state, start_usec,"
  "  committed_usec);",
  /* 4: battery charge sessions per camera (docket-charge-manager.c); pooled
   * cameras and who held which camera when (docket-checkout.c). A recording
   * with no officer now takes whoever held its camera when it started, else
   * the camera's assignee. */
  "CREATE TABLE charge_sessions ("
  "  id INTEGER PRIMARY KEY,"
  "  serial TEXT NOT NULL,"
  "  docked_usec INTEGER NOT NULL,"
  "  undocked_usec INTEGER NOT NULL,"
  "  start_percent INTEGER NOT NULL,"
  "  end_percent INTEGER NOT NULL,"
  "  cycle_count INTEGER NOT NULL,"
  "  full_mah INTEGER NOT NULL,"
  "  design_mah INTEGER NOT NULL,"
  "  max_temperature_c REAL NOT NULL);"
  "CREATE INDEX charge_sessions_serial ON charge_sessions(serial, docked_usec);"
  "CREATE TABLE pooled_cameras ("
  "  serial TEXT PRIMARY KEY,"
  "  added_usec INTEGER NOT NULL);"
  "CREATE TABLE camera_holders ("
  "  id INTEGER PRIMARY KEY,"
  "  serial TEXT NOT NULL,"
  "  badge TEXT NOT NULL,"
  "  slot TEXT,"
  "  from_usec INTEGER NOT NULL,"
  "  until_usec INTEGER);"
  "CREATE INDEX camera_holders_serial ON camera_holders(serial, from_usec);"
  "CREATE UNIQUE INDEX camera_holders_open ON camera_holders(serial) WHERE until_usec IS NULL;"
  "CREATE INDEX camera_holders_badge_open ON camera_holders(badge) WHERE until_usec IS NULL;"
  "DROP TRIGGER recordings_officer_from_assignment;"
  "CREATE TRIGGER recordings_officer_from_holder AFTER INSERT ON recordings"
  "  WHEN NEW.officer IS NULL OR NEW.officer = ''"
  "  BEGIN UPDATE recordings SET officer = COALESCE("
  "    (SELECT h.badge FROM camera_holders h JOIN cameras c ON c.serial = h.serial"
  "      WHERE c.id = NEW.camera_id AND h.from_usec <= NEW.start_usec"
  "      AND (h.until_usec IS NULL OR NEW.start_usec < h.until_usec)"
  "      ORDER BY h.from_usec DESC LIMIT 1),"
  "    (SELECT a.badge FROM camera_assignments a"
  "      JOIN cameras c ON c.serial = a.serial WHERE c.id = NEW.camera_id))"
  "    WHERE id = NEW.id; END;",
  /* 5: a pooled camera's clock drifts; its recordings' start times are on
   * that clock and the holders' intervals on the kiosk's. Attribution
   * compares them after taking off the drift measured when it docked
   * (clock_drift_ms: camera minus kiosk). */
  "DROP TRIGGER recordings_officer_from_holder;"
  "CREATE TRIGGER recordings_officer_from_holder AFTER INSERT ON recordings"
  "  WHEN NEW.officer IS NULL OR NEW.officer = ''"
  "  BEGIN UPDATE recordings SET officer = COALESCE("
  "    (SELECT h.badge FROM camera_holders h JOIN cameras c ON c.serial = h.serial"
  "      WHERE c.id = NEW.camera_id"
  "      AND h.from_usec <= NEW.start_usec - COALESCE(NEW.clock_drift_ms, 0) * 1000"
  "      AND (h.until_usec IS NULL"
  "        OR NEW.start_usec - COALESCE(NEW.clock_drift_ms, 0) * 1000 < h.until_usec)"
  "      ORDER BY h.from_usec DESC LIMIT 1),"
  "    (SELECT a.badge FROM camera_assignments a"
  "      JOIN cameras c ON c.serial = a.serial WHERE c.id = NEW.camera_id))"
  "    WHERE id = NEW.id; END;",
  /* 6: a recording copied bit-exactly whose media was already damaged on the
   * camera is committed as evidence with a condition ("incomplete-on-camera",
   * "damaged-picture", "not-playable") and a plain-words reason; NULL: sound. */
  "ALTER TABLE recordings ADD COLUMN condition TEXT;"
  "ALTER TABLE recordings ADD COLUMN condition_reason TEXT;"
  "CREATE INDEX recordings_condition ON recordings(condition, committed_usec)"
  "  WHERE condition IS NOT NULL;",
  /* 7: chain of custody. The camera's own Ed25519 signature over each
   * recording (hex), so that verify and exports can re-check it against the
   * enrolled key long after the dock. */
  "ALTER TABLE recordings ADD COLUMN camera_signature TEXT;",
  /* 8: retention. Every category a recording ever carried (a tag never
   * shortens retention: the longest wins), legal holds and what they cover,
   * and an index for "who looked at this recording". */
  "CREATE TABLE tag_history ("
  "  recording_id INTEGER NOT NULL,"
  "  category TEXT NOT NULL,"
  "  PRIMARY KEY (recording_id, category)) WITHOUT ROWID;"
  "INSERT OR IGNORE INTO tag_history SELECT recording_id, category FROM tags;"
  "CREATE TRIGGER tags_history_insert AFTER INSERT ON tags"
  "  BEGIN INSERT OR IGNORE INTO tag_history VALUES (NEW.recording_id, NEW.category); END;"
  "CREATE TRIGGER tags_history_update AFTER UPDATE OF category ON tags"
  "  BEGIN INSERT OR IGNORE INTO tag_history VALUES (NEW.recording_id, NEW.category); END;"
  "CREATE TABLE holds ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('recording', 'incident', 'case')),"
  "  target TEXT NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  placed_by TEXT NOT NULL,"
  "  placed_usec INTEGER NOT NULL,"
  "  released_by TEXT, release_reason TEXT, released_usec INTEGER);"
  "CREATE INDEX holds_open_case ON holds(target) WHERE released_usec IS NULL AND kind = 'case';"
  "CREATE TABLE hold_recordings ("
  "  hold_id INTEGER NOT NULL REFERENCES holds(id),"
  "  recording_id INTEGER NOT NULL,"
  "  PRIMARY KEY (hold_id, recording_id)) WITHOUT ROWID;"
  "CREATE INDEX hold_recordings_recording ON hold_recordings(recording_id, hold_id);"
  "CREATE INDEX tags_case ON tags(case_number);"
  "CREATE INDEX audit_log_subject ON audit_log(subject, seq);",
  /* 9: the upstream queue (src/core/upstream): one row per verified
   * recording bound for object storage; confirmed_usec is set only after a
   * HEAD matched size and checksum ("upstream-confirmed"). Parts the server
   * confirmed, so an upload resumes after a kill. upstream_state holds
   * 'configured' ('1' while docketd has an upstream), the catalogue cursors
   * and the last success/error for the IT page. */
  "CREATE TABLE upstream_uploads ("
  "  recording_id INTEGER PRIMARY KEY REFERENCES recordings(id),"
  "  sha256 TEXT NOT NULL,"
  "  object_key TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'waiting'"
  "    CHECK (state IN ('waiting', 'uploading', 'confirmed')),"
  "  upload_id TEXT,"
  "  part_size INTEGER,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_try_usec INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  queued_usec INTEGER NOT NULL,"
  "  confirmed_usec INTEGER);"
  "CREATE INDEX upstream_uploads_due ON upstream_uploads(state, next_try_usec);"
  "CREATE TABLE upstream_parts ("
  "  recording_id INTEGER NOT NULL REFERENCES upstream_uploads(recording_id),"
  "  part_number INTEGER NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  md5 TEXT NOT NULL,"
  "  PRIMARY KEY (recording_id, part_number));"
  "CREATE TABLE upstream_state ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);",
  /* 10: when a recording's condition was set (commit time, or the deep
   * check's time), so the catalogue sync can send conditions found after the
   * recording itself was sent. Whether an uploaded object carries an S3
   * legal hold now (the upstream worker makes it follow the holds). */
  "ALTER TABLE upstream_uploads ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE recordings ADD COLUMN condition_usec INTEGER;"
  "UPDATE recordings SET condition_usec = committed_usec WHERE condition IS NOT NULL;"
  "CREATE INDEX recordings_condition_usec ON recordings(condition_usec)"
  "  WHERE condition_usec IS NOT NULL;"
  "CREATE TRIGGER recordings_condition_insert AFTER INSERT ON recordings"
  "  WHEN NEW.condition IS NOT NULL"
  "  BEGIN UPDATE recordings SET condition_usec = COALESCE(NEW.committed_usec,"
  "    CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER)) WHERE id = NEW.id; END;"
  "CREATE TRIGGER recordings_condition_update AFTER UPDATE OF condition ON recordings"
  "  WHEN NEW.condition IS NOT OLD.condition"
  "  BEGIN UPDATE recordings SET condition_usec ="
  "    CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER) WHERE id = NEW.id; END;",
  /* 11: Object Lock retention of uploaded objects. retain_until_usec: the
   * compliance retention the object has (NULL: not known yet, the worker
   * reads it back); retention_due: the object's keep-until may have moved.
   * A category new to a recording's tag history can lengthen its
   * keep-until, so the trigger marks its footage's object; the worker then
   * lengthens the object's retention, backing off after a failure. */
  "ALTER TABLE upstream_uploads ADD COLUMN retain_until_usec INTEGER;"
  "ALTER TABLE upstream_uploads ADD COLUMN retention_due INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE upstream_uploads ADD COLUMN retention_attempts INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE upstream_uploads ADD COLUMN retention_next_try_usec INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX upstream_uploads_retention_due ON upstream_uploads(retention_next_try_usec)"
  "  WHERE retention_due = 1;"
  "CREATE TRIGGER upstream_retention_tag AFTER INSERT ON tag_history"
  "  BEGIN UPDATE upstream_uploads SET retention_due = 1, retention_attempts = 0,"
  "    retention_next_try_usec = 0"
  "    WHERE sha256 = (SELECT sha256 FROM recordings WHERE id = NEW.recording_id); END;",
  /* 12: deep checks owed. A recording an offload committed with deep checks
   * on owes one until a check concludes (sound, damaged, not playable); one
   * that could not run (no usable helper, out of time) stays owed and is
   * tried again, a bounded number of times. Older recordings owe none. */
  "ALTER TABLE recordings ADD COLUMN deep_check_due INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE recordings ADD COLUMN deep_check_attempts INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX recordings_deep_check_due ON recordings(id) WHERE deep_check_due = 1;",
};

struct _DocketDatabase
{
  GObject parent_instance;

  gchar *path;
  sqlite3 *db;
  GRecMutex lock;
};

G_DEFINE_FINAL_TYPE (DocketDatabase, docket_database, G_TYPE_OBJECT)

static void
docket_database_finalize (GObject *object)
{
  DocketDatabase *self = DOCKET_DATABASE (object);

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (docket_database_parent_class)->finalize (object);
}

static void
docket_database_class_init (DocketDatabaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_database_finalize;
}

static void
docket_database_init (DocketDatabase *self)
{
  g_rec_mutex_init (&self->lock);
}

void
docket_database_set_error (DocketDatabase *self, GError **error, const gchar *what)
{
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("%s: database error: %s"), what,
               self->db != NULL ? sqlite3_errmsg (self->db) : "not open");
}

gint
docket_database_get_latest_version (void)
{
  return (gint)G_N_ELEMENTS (migrations);
}

static gint
query_user_version (DocketDatabase *self)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (stmt, 0);
}

static gboolean
migrate (DocketDatabase *self, GError **error)
{
  gint version = query_user_version (self);
  gint latest = docket_database_get_latest_version ();

  if (version < 0)
    {
      docket_database_set_error (self, error, _ ("Could not read the schema version"));
      return FALSE;
    }
  if (version > latest)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                   _ ("The database was written by a newer Docket (schema %d, this one knows %d)"),
                   version, latest);
      return FALSE;
    }

  for (gint v = version; v < latest; v++)
    {
      g_autofree gchar *bump = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      /* Each step and its version bump commit together. */
      if (!docket_database_begin (self, error))
        return FALSE;
      if (!docket_database_exec (self, migrations[v], error)
          || !docket_database_exec (self, bump, error))
        {
          docket_database_rollback (self);
          g_prefix_error (error, _ ("Could not upgrade the database to schema %d: "), v + 1);
          return FALSE;
        }
      if (!docket_database_commit (self, error))
        return FALSE;
    }
  return TRUE;
}

DocketDatabase *
docket_database_open (const gchar *path, GError **error)
{
  g_autoptr (DocketDatabase) self = g_object_new (DOCKET_TYPE_DATABASE, NULL);
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                   _ ("Could not open the database “%s”: %s"), path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 10000);
  sqlite3_extended_result_codes (self->db, 1);

  /* WAL keeps readers off the writer; FULL syncs the WAL on every commit
   * so a commit survives a power cut before Docket acts on it. */
  if (!docket_database_exec (self, "PRAGMA journal_mode=WAL", error)
      || !docket_database_exec (self, "PRAGMA synchronous=FULL", error)
      || !docket_database_exec (self, "PRAGMA foreign_keys=ON", error))
    {
      g_prefix_error (error, _ ("Could not open the database “%s”: "), path);
      return NULL;
    }
  if (!migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const gchar *
docket_database_get_path (DocketDatabase *self)
{
  g_return_val_if_fail (DOCKET_IS_DATABASE (self), NULL);
  return self->path;
}

gint
docket_database_get_schema_version (DocketDatabase *self)
{
  gint version;

  g_return_val_if_fail (DOCKET_IS_DATABASE (self), -1);
  docket_database_lock (self);
  version = query_user_version (self);
  docket_database_unlock (self);
  return version;
}

sqlite3 *
docket_database_get_handle (DocketDatabase *self)
{
  g_return_val_if_fail (DOCKET_IS_DATABASE (self), NULL);
  return self->db;
}

void
docket_database_lock (DocketDatabase *self)
{
  g_rec_mutex_lock (&self->lock);
}

void
docket_database_unlock (DocketDatabase *self)
{
  g_rec_mutex_unlock (&self->lock);
}

DocketDatabaseLocker *
docket_database_locker_new (DocketDatabase *self)
{
  g_return_val_if_fail (DOCKET_IS_DATABASE (self), NULL);
  docket_database_lock (self);
  return self;
}

void
docket_database_locker_free (DocketDatabaseLocker *locker)
{
  if (locker != NULL)
    docket_database_unlock (locker);
}

gboolean
docket_database_exec (DocketDatabase *self, const gchar *sql, GError **error)
{
  char *msg = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_DATABASE (self), FALSE);

  docket_database_lock (self);
  rc = sqlite3_exec (self->db, sql, NULL, NULL, &msg);
  docket_database_unlock (self);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Database error: %s"),
                   msg != NULL ? msg : sqlite3_errstr (rc));
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_database_begin (DocketDatabase *self, GError **error)
{
  docket_database_lock (self);
  if (!docket_database_exec (self, "BEGIN IMMEDIATE", error))
    {
      docket_database_unlock (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_database_commit (DocketDatabase *self, GError **error)
{
  gboolean ok = docket_database_exec (self, "COMMIT", error);

  if (!ok)
    (void)docket_database_exec (self, "ROLLBACK", NULL);
  docket_database_unlock (self);
  return ok;
}

void
docket_database_rollback (DocketDatabase *self)
{
  (void)docket_database_exec (self, "ROLLBACK", NULL);
  docket_database_unlock (self);
}

sqlite3_stmt *
docket_database_prepare (DocketDatabase *self, const gchar *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      docket_database_set_error (self, error, _ ("Could not prepare a query"));
      return NULL;
    }
  return stmt;
}
