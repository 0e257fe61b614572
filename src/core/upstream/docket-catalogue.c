/* docket-catalogue.c — idempotent upserts of a kiosk's rows into PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "docket-catalogue.h"
#include "docket-error.h"
#include "docket-upstream-state.h"

/* Recordings and audit rows go in batches this big: one COPY, one upsert,
 * one PostgreSQL commit, then the cursor moves. */
#define BATCH_ROWS 5000

struct _DocketCatalogue
{
  GObject parent_instance;

  PGconn *conn;
  gchar *station_id;
  gchar *kiosk_id;
};

G_DEFINE_FINAL_TYPE (DocketCatalogue, docket_catalogue, G_TYPE_OBJECT)

/* HQ's schema, one step per version (docket_schema holds the version).
 * Times are microseconds since the epoch, as on the kiosk; every table is
 * keyed by station, kiosk and the kiosk's own id. Every step may meet a
 * catalogue made before versions were kept, so it says IF NOT EXISTS. */
static const gchar schema_v1[]
    = "CREATE TABLE IF NOT EXISTS docket_recordings ("
      "  station_id text NOT NULL, kiosk_id text NOT NULL, local_id bigint NOT NULL,"
      "  camera_serial text, camera_recording_id bigint, name text, officer text,"
      "  start_usec bigint, duration_ms bigint, size bigint NOT NULL, sha256 text NOT NULL,"
      "  camera_sha256 text, signature_status text, codec text, width int, height int,"
      "  state text NOT NULL, problem text, committed_usec bigint,"
      "  PRIMARY KEY (station_id, kiosk_id, local_id));"
      "CREATE INDEX IF NOT EXISTS docket_recordings_sha256 ON docket_recordings (sha256);"
      "CREATE INDEX IF NOT EXISTS docket_recordings_officer ON docket_recordings (officer, "
      "start_usec);"
      "CREATE TABLE IF NOT EXISTS docket_objects ("
      "  station_id text NOT NULL, kiosk_id text NOT NULL, local_id bigint NOT NULL,"
      "  sha256 text NOT NULL, object_key text NOT NULL, size bigint NOT NULL,"
      "  confirmed_usec bigint NOT NULL,"
      "  PRIMARY KEY (station_id, kiosk_id, local_id));"
      "CREATE TABLE IF NOT EXISTS docket_tags ("
      "  station_id text NOT NULL, kiosk_id text NOT NULL, recording_local_id bigint NOT NULL,"
      "  category text NOT NULL, case_number text, note text, restricted int,"
      "  tagged_by text, tagged_usec bigint, review_state text, reviewed_by text,"
      "  reviewed_usec bigint, review_reason text,"
      "  PRIMARY KEY (station_id, kiosk_id, recording_local_id));"
      "CREATE INDEX IF NOT EXISTS docket_tags_case ON docket_tags (case_number);"
      "CREATE TABLE IF NOT EXISTS docket_deletion_requests ("
      "  station_id text NOT NULL, kiosk_id text NOT NULL, local_id bigint NOT NULL,"
      "  recording_local_id bigint NOT NULL, requested_by text, reason text,"
      "  requested_usec bigint, state text, decided_by text, decided_usec bigint,"
      "  decision_reason text, purge_after_usec bigint,"
      "  PRIMARY KEY (station_id, kiosk_id, local_id));"
      "CREATE TABLE IF NOT EXISTS docket_audit ("
      "  station_id text NOT NULL, kiosk_id text NOT NULL, seq bigint NOT NULL,"
      "  time_usec bigint NOT NULL, actor text NOT NULL, action text NOT NULL,"
      "  subject text NOT NULL, reason text NOT NULL, details text NOT NULL,"
      "  prev_hash text NOT NULL, hash text NOT NULL,"
      "  PRIMARY KEY (station_id, kiosk_id, seq));"
      "CREATE TABLE IF NOT EXISTS docket_kiosks ("
      "  station_id text NOT NULL, kiosk_id text NOT NULL,"
      "  audit_head_seq bigint, audit_head_hash text, last_sync_usec bigint,"
      "  PRIMARY KEY (station_id, kiosk_id));";

/* Legal holds with the recordings they covered when placed (a case hold
 * covers whatever carries the case number: docket_tags says which), and
 * the condition of damaged evidence, also when a later check found it. */
static const gchar schema_v2[]
    = "CREATE TABLE IF NOT EXISTS docket_holds ("
      "  station_id text NOT NULL, kiosk_id text NOT NULL, local_id bigint NOT NULL,"
      "  kind text NOT NULL, target text NOT NULL, reason text NOT NULL, placed_by text,"
      "  placed_usec bigint NOT NULL, released_by text, release_reason text,"
      "  released_usec bigint,"
      "  PRIMARY KEY (station_id, kiosk_id, local_id));"
      "CREATE INDEX IF NOT EXISTS docket_holds_target ON docket_holds (kind, target);"
      "CREATE TABLE IF NOT EXISTS docket_hold_recordings ("
      "  station_id text NOT NULL, kiosk_id text NOT NULL, hold_local_id bigint NOT NULL,"
      "  recording_local_id bigint NOT NULL,"
      "  PRIMARY KEY (station_id, kiosk_id, hold_local_id, recording_local_id));"
      "CREATE TABLE IF NOT EXISTS docket_conditions ("
      "  station_id text NOT NULL, kiosk_id text NOT NULL, recording_local_id bigint NOT NULL,"
      "  condition text NOT NULL, reason text, condition_usec bigint,"
      "  PRIMARY KEY (station_id, kiosk_id, recording_local_id));";

static const gchar *const schema_steps[] = { schema_v1, schema_v2 };

/* Any constant: kiosks connecting at once take turns at the schema. */
#define SCHEMA_LOCK_KEY "4471201"

typedef struct
{
  const gchar *table;   /* PostgreSQL table */
  const gchar *cursor;  /* upstream_state key */
  const gchar *select;  /* SQLite: column 0 is the cursor value, the rest match columns */
  const gchar *columns; /* after station_id, kiosk_id */
  const gchar *keys;    /* conflict target after station_id, kiosk_id */
  gboolean batched;     /* cursor is unique and increasing: LIMIT batches */
  gboolean immutable;   /* audit rows never change: DO NOTHING */
} TableSpec;

static const TableSpec tables[] = {
  { "docket_recordings", "catalogue:recordings",
    "SELECT r.id, r.id, c.serial, r.camera_recording_id, r.name, r.officer, r.start_usec,"
    " r.duration_ms, r.size, r.sha256, r.camera_sha256, r.signature_status, r.codec, r.width,"
    " r.height, r.state, r.problem, r.committed_usec"
    " FROM recordings r JOIN cameras c ON c.id = r.camera_id WHERE r.id > ?1 ORDER BY r.id LIMIT "
    "?2",
    "local_id, camera_serial, camera_recording_id, name, officer, start_usec, duration_ms, size,"
    " sha256, camera_sha256, signature_status, codec, width, height, state, problem, "
    "committed_usec",
    "local_id", TRUE, FALSE },
  /* Confirmed objects: where each recording lives in object storage. */
  { "docket_objects", "catalogue:objects",
    "SELECT confirmed_usec, recording_id, sha256, object_key, size, confirmed_usec"
    " FROM upstream_uploads WHERE confirmed_usec > ?1 ORDER BY confirmed_usec",
    "local_id, sha256, object_key, size, confirmed_usec", "local_id", FALSE, FALSE },
  { "docket_tags", "catalogue:tags",
    "SELECT MAX(tagged_usec, IFNULL(reviewed_usec, 0)), recording_id, category, case_number,"
    " note, restricted, tagged_by, tagged_usec, review_state, reviewed_by, reviewed_usec,"
    " review_reason FROM tags WHERE tagged_usec > ?1 OR reviewed_usec > ?1",
    "recording_local_id, category, case_number, note, restricted, tagged_by, tagged_usec,"
    " review_state, reviewed_by, reviewed_usec, review_reason",
    "recording_local_id", FALSE, FALSE },
  { "docket_deletion_requests", "catalogue:deletion_requests",
    "SELECT MAX(requested_usec, IFNULL(decided_usec, 0)), id, recording_id, requested_by, reason,"
    " requested_usec, state, decided_by, decided_usec, decision_reason, purge_after_usec"
    " FROM deletion_requests WHERE requested_usec > ?1 OR decided_usec > ?1",
    "local_id, recording_local_id, requested_by, reason, requested_usec, state, decided_by,"
    " decided_usec, decision_reason, purge_after_usec",
    "local_id", FALSE, FALSE },
  { "docket_audit", "catalogue:audit",
    "SELECT seq, seq, time_usec, actor, action, subject, reason, details, prev_hash, hash"
    " FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    "seq, time_usec, actor, action, subject, reason, details, prev_hash, hash", "seq", TRUE, TRUE },
  /* A hold is placed, then maybe released: the later time is the cursor. */
  { "docket_holds", "catalogue:holds",
    "SELECT MAX(placed_usec, IFNULL(released_usec, 0)), id, kind, target, reason, placed_by,"
    " placed_usec, released_by, release_reason, released_usec FROM holds"
    " WHERE placed_usec > ?1 OR released_usec > ?1",
    "local_id, kind, target, reason, placed_by, placed_usec, released_by, release_reason,"
    " released_usec",
    "local_id", FALSE, FALSE },
  /* What a hold covers is fixed when it is placed. */
  { "docket_hold_recordings", "catalogue:hold_recordings",
    "SELECT h.placed_usec, c.hold_id, c.recording_id FROM hold_recordings c"
    " JOIN holds h ON h.id = c.hold_id WHERE h.placed_usec > ?1",
    "hold_local_id, recording_local_id", "hold_local_id, recording_local_id", FALSE, TRUE },
  { "docket_conditions", "catalogue:conditions",
    "SELECT condition_usec, id, condition, condition_reason, condition_usec FROM recordings"
    " WHERE condition_usec > ?1",
    "recording_local_id, condition, reason, condition_usec", "recording_local_id", FALSE, FALSE },
};

static void
docket_catalogue_finalize (GObject *object)
{
  DocketCatalogue *self = DOCKET_CATALOGUE (object);

  if (self->conn != NULL)
    PQfinish (self->conn);
  g_free (self->station_id);
  g_free (self->kiosk_id);
  G_OBJECT_CLASS (docket_catalogue_parent_class)->finalize (object);
}

static void
docket_catalogue_class_init (DocketCatalogueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_catalogue_finalize;
}

static void
docket_catalogue_init (DocketCatalogue *self)
{
}

static gboolean
pg_error (DocketCatalogue *self, PGresult *res, GError **error, const gchar *what)
{
  const gchar *message = res != NULL && PQresultErrorMessage (res)[0] != '\0'
                             ? PQresultErrorMessage (res)
                             : PQerrorMessage (self->conn);
  g_autofree gchar *stripped = g_strstrip (g_strdup (message));

  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Catalogue (PostgreSQL) %s: %s"), what,
               stripped);
  return FALSE;
}

static gboolean
pg_exec (DocketCatalogue *self, const gchar *sql, GError **error)
{
  PGresult *res = PQexec (self->conn, sql);
  gboolean ok = PQresultStatus (res) == PGRES_COMMAND_OK || PQresultStatus (res) == PGRES_TUPLES_OK;

  if (!ok)
    pg_error (self, res, error, sql);
  PQclear (res);
  return ok;
}

static gint
schema_version (DocketCatalogue *self, GError **error)
{
  PGresult *res = PQexec (self->conn, "SELECT COALESCE(MAX(version), 0) FROM docket_schema");
  gint version = -1;

  if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) == 1)
    version = atoi (PQgetvalue (res, 0, 0));
  else
    pg_error (self, res, error, "schema version");
  PQclear (res);
  return version;
}

/* Brings the catalogue's schema up to the newest step, in one transaction. */
static gboolean
migrate (DocketCatalogue *self, GError **error)
{
  g_autoptr (GError) ignored = NULL;
  gint version;

  if (!pg_exec (self, "BEGIN", error))
    return FALSE;
  if (!pg_exec (self, "SELECT pg_advisory_xact_lock(" SCHEMA_LOCK_KEY ")", error)
      || !pg_exec (self, "CREATE TABLE IF NOT EXISTS docket_schema (version int NOT NULL)", error)
      || (version = schema_version (self, error)) < 0)
    {
      pg_exec (self, "ROLLBACK", &ignored);
      return FALSE;
    }
  if (version > (gint)G_N_ELEMENTS (schema_steps))
    {
      pg_exec (self, "ROLLBACK", &ignored);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                   _ ("The catalogue (PostgreSQL) was set up by a newer Docket (schema %d, this "
                      "one knows %d)"),
                   version, (gint)G_N_ELEMENTS (schema_steps));
      return FALSE;
    }
  for (guint i = version; i < G_N_ELEMENTS (schema_steps); i++)
    if (!pg_exec (self, schema_steps[i], error))
      {
        pg_exec (self, "ROLLBACK", &ignored);
        return FALSE;
      }
  if ((guint)version < G_N_ELEMENTS (schema_steps))
    {
      g_autofree gchar *sql
          = g_strdup_printf ("DELETE FROM docket_schema; INSERT INTO docket_schema VALUES (%u)",
                             (guint)G_N_ELEMENTS (schema_steps));

      if (!pg_exec (self, sql, error))
        {
          pg_exec (self, "ROLLBACK", &ignored);
          return FALSE;
        }
    }
  if (!pg_exec (self, "COMMIT", error))
    {
      pg_exec (self, "ROLLBACK", &ignored);
      return FALSE;
    }
  return TRUE;
}

DocketCatalogue *
docket_catalogue_connect (const gchar *conninfo,
                          const gchar *password,
                          const gchar *station_id,
                          const gchar *kiosk_id,
                          GError **error)
{
  g_autoptr (DocketCatalogue) self = g_object_new (DOCKET_TYPE_CATALOGUE, NULL);
  const gchar *keys[] = { "dbname", "password", "connect_timeout", "application_name", NULL };
  const gchar *values[] = { conninfo, password, "10", "docketd", NULL };

  g_return_val_if_fail (station_id != NULL && kiosk_id != NULL, NULL);

  self->station_id = g_strdup (station_id);
  self->kiosk_id = g_strdup (kiosk_id);
  /* expand_dbname: "dbname" carries the whole connection string, and the
   * password comes from the credentials file, never from it. */
  if (password == NULL)
    keys[1] = NULL;
  self->conn = PQconnectdbParams (keys, values, 1);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree gchar *message = g_strstrip (g_strdup (PQerrorMessage (self->conn)));

      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED,
                   _ ("The catalogue (PostgreSQL) could not be reached: %s"), message);
      return NULL;
    }
  if (!pg_exec (self, "SET client_min_messages = warning", error) || !migrate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

static void
copy_escape (GString *out, const gchar *s)
{
  if (s == NULL)
    {
      g_string_append (out, "\\N");
      return;
    }
  for (; *s != '\0'; s++)
    {
      switch (*s)
        {
          case '\\':
            g_string_append (out, "\\\\");
            break;
          case '\t':
            g_string_append (out, "\\t");
            break;
          case '\n':
            g_string_append (out, "\\n");
            break;
          case '\r':
            g_string_append (out, "\\r");
            break;
          default:
            g_string_append_c (out, *s);
        }
    }
}

/* Reads up to one batch of @spec's rows after @cursor as COPY text; the
 * new cursor in @out_cursor. */
static gboolean
read_rows (DocketCatalogue *self,
           DocketDatabase *db,
           const TableSpec *spec,
           gint64 cursor,
           GString *copy,
           guint *out_rows,
           gint64 *out_cursor,
           GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (db, spec->select, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cursor);
  if (spec->batched)
    sqlite3_bind_int (stmt, 2, BATCH_ROWS);
  *out_rows = 0;
  *out_cursor = cursor;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint n = sqlite3_column_count (stmt);

      *out_cursor = MAX (*out_cursor, sqlite3_column_int64 (stmt, 0));
      copy_escape (copy, self->station_id);
      g_string_append_c (copy, '\t');
      copy_escape (copy, self->kiosk_id);
      for (gint i = 1; i < n; i++)
        {
          g_string_append_c (copy, '\t');
          copy_escape (copy, (const gchar *)sqlite3_column_text (stmt, i));
        }
      g_string_append_c (copy, '\n');
      (*out_rows)++;
    }
  if (rc != SQLITE_DONE)
    {
      docket_database_set_error (db, error, spec->table);
      return FALSE;
    }
  return TRUE;
}

static gboolean
copy_in (DocketCatalogue *self, const gchar *sql, GString *copy, GError **error)
{
  PGresult *res = PQexec (self->conn, sql);

  if (PQresultStatus (res) != PGRES_COPY_IN)
    {
      pg_error (self, res, error, "COPY");
      PQclear (res);
      return FALSE;
    }
  PQclear (res);
  if (PQputCopyData (self->conn, copy->str, copy->len) != 1 || PQputCopyEnd (self->conn, NULL) != 1)
    return pg_error (self, NULL, error, "COPY");
  res = PQgetResult (self->conn);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      pg_error (self, res, error, "COPY");
      PQclear (res);
      while ((res = PQgetResult (self->conn)) != NULL)
        PQclear (res);
      return FALSE;
    }
  PQclear (res);
  while ((res = PQgetResult (self->conn)) != NULL)
    PQclear (res);
  return TRUE;
}

/* One PostgreSQL transaction: COPY into a temporary table, then upsert. */
static gboolean
upsert (DocketCatalogue *self, const TableSpec *spec, GString *copy, GError **error)
{
  g_autofree gchar *create
      = g_strdup_printf ("CREATE TEMP TABLE docket_incoming (LIKE %s) ON COMMIT DROP", spec->table);
  g_autofree gchar *copy_sql = g_strdup_printf (
      "COPY docket_incoming (station_id, kiosk_id, %s) FROM STDIN", spec->columns);
  g_autoptr (GString) insert = g_string_new (NULL);
  g_auto (GStrv) cols = g_strsplit (spec->columns, ",", -1);
  gboolean first = TRUE;

  g_string_printf (insert,
                   "INSERT INTO %s (station_id, kiosk_id, %s) SELECT station_id, kiosk_id, %s"
                   " FROM docket_incoming ON CONFLICT (station_id, kiosk_id, %s) DO ",
                   spec->table, spec->columns, spec->columns, spec->keys);
  if (spec->immutable)
    g_string_append (insert, "NOTHING");
  else
    {
      g_string_append (insert, "UPDATE SET ");
      for (guint i = 0; cols[i] != NULL; i++)
        {
          const gchar *col = g_strstrip (cols[i]);

          if (g_str_equal (col, spec->keys))
            continue;
          g_string_append_printf (insert, "%s%s = EXCLUDED.%s", first ? "" : ", ", col, col);
          first = FALSE;
        }
    }

  if (!pg_exec (self, "BEGIN", error))
    return FALSE;
  if (!pg_exec (self, create, error) || !copy_in (self, copy_sql, copy, error)
      || !pg_exec (self, insert->str, error) || !pg_exec (self, "COMMIT", error))
    {
      g_autoptr (GError) ignored = NULL;

      pg_exec (self, "ROLLBACK", &ignored);
      return FALSE;
    }
  return TRUE;
}

static gboolean
send_anchor (DocketCatalogue *self, DocketDatabase *db, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", error);
  g_autofree gchar *seq = NULL;
  g_autofree gchar *hash = NULL;
  g_autofree gchar *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());
  const gchar *params[5];
  PGresult *res;
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      seq = g_strdup ((const gchar *)sqlite3_column_text (stmt, 0));
      hash = g_strdup ((const gchar *)sqlite3_column_text (stmt, 1));
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_clear_pointer (&locker, docket_database_locker_free);

  params[0] = self->station_id;
  params[1] = self->kiosk_id;
  params[2] = seq;
  params[3] = hash;
  params[4] = now;
  res = PQexecParams (self->conn,
                      "INSERT INTO docket_kiosks VALUES ($1, $2, $3, $4, $5)"
                      " ON CONFLICT (station_id, kiosk_id) DO UPDATE SET"
                      " audit_head_seq = EXCLUDED.audit_head_seq,"
                      " audit_head_hash = EXCLUDED.audit_head_hash,"
                      " last_sync_usec = EXCLUDED.last_sync_usec",
                      5, NULL, params, NULL, NULL, 0);
  ok = PQresultStatus (res) == PGRES_COMMAND_OK;
  if (!ok)
    pg_error (self, res, error, "audit anchor");
  PQclear (res);
  return ok;
}

gboolean
docket_catalogue_sync (DocketCatalogue *self,
                       DocketDatabase *db,
                       guint64 *out_rows,
                       GCancellable *cancellable,
                       GError **error)
{
  guint64 total = 0;

  g_return_val_if_fail (DOCKET_IS_CATALOGUE (self), FALSE);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      const TableSpec *spec = &tables[t];

      for (;;)
        {
          g_autoptr (GString) copy = g_string_new (NULL);
          gint64 cursor = docket_upstream_state_get_int (db, spec->cursor);
          gint64 new_cursor;
          guint rows;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (!read_rows (self, db, spec, cursor, copy, &rows, &new_cursor, error))
            return FALSE;
          if (rows == 0)
            break;
          if (!upsert (self, spec, copy, error))
            return FALSE;
          /* Only now: a crash before this line replays the batch, and the
           * upsert makes the replay harmless. */
          if (!docket_upstream_state_set_int (db, spec->cursor, new_cursor, error))
            return FALSE;
          total += rows;
          if (!spec->batched || rows < BATCH_ROWS)
            break;
        }
    }
  if (!send_anchor (self, db, error))
    return FALSE;
  if (out_rows != NULL)
    *out_rows = total;
  return TRUE;
}

gint64
docket_catalogue_count (DocketCatalogue *self,
                        const gchar *table,
                        const gchar *station_id,
                        GError **error)
{
  g_autofree gchar *sql = NULL;
  const gchar *params[1] = { station_id };
  PGresult *res;
  gint64 count = -1;

  if (!g_str_is_ascii (table) || strspn (table, "abcdefghijklmnopqrstuvwxyz_") != strlen (table))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, "no such catalogue table “%s”",
                   table);
      return -1;
    }
  sql = g_strdup_printf ("SELECT count(*) FROM docket_%s%s", table,
                         station_id != NULL ? " WHERE station_id = $1" : "");
  res = PQexecParams (self->conn, sql, station_id != NULL ? 1 : 0, NULL, params, NULL, NULL, 0);
  if (PQresultStatus (res) == PGRES_TUPLES_OK)
    count = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  else
    pg_error (self, res, error, "count");
  PQclear (res);
  return count;
}

/* An open hold of another kiosk covers a recording of this footage: by
 * the recordings it covered when placed, or as a case hold on the case
 * number that kiosk tagged the footage with (as each kiosk reckons its
 * own holds). */
#define HELD_ELSEWHERE_SQL                                                                         \
  "SELECT EXISTS (SELECT 1 FROM docket_recordings r"                                               \
  "   JOIN docket_hold_recordings hr ON hr.station_id = r.station_id"                              \
  "    AND hr.kiosk_id = r.kiosk_id AND hr.recording_local_id = r.local_id"                        \
  "   JOIN docket_holds h ON h.station_id = hr.station_id AND h.kiosk_id = hr.kiosk_id"            \
  "    AND h.local_id = hr.hold_local_id"                                                          \
  "   WHERE r.sha256 = $1 AND h.released_usec IS NULL"                                             \
  "    AND NOT (r.station_id = $2 AND r.kiosk_id = $3))"                                           \
  " OR EXISTS (SELECT 1 FROM docket_recordings r"                                                  \
  "   JOIN docket_tags t ON t.station_id = r.station_id AND t.kiosk_id = r.kiosk_id"               \
  "    AND t.recording_local_id = r.local_id"                                                      \
  "   JOIN docket_holds h ON h.station_id = r.station_id AND h.kiosk_id = r.kiosk_id"              \
  "    AND h.kind = 'case' AND h.target = t.case_number"                                           \
  "   WHERE r.sha256 = $1 AND t.case_number <> '' AND h.released_usec IS NULL"                     \
  "    AND NOT (r.station_id = $2 AND r.kiosk_id = $3))"

gboolean
docket_catalogue_held_elsewhere (DocketCatalogue *self,
                                 const gchar *sha256,
                                 gboolean *out_held,
                                 GError **error)
{
  const gchar *params[3] = { sha256, self->station_id, self->kiosk_id };
  PGresult *res;
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_CATALOGUE (self), FALSE);
  g_return_val_if_fail (sha256 != NULL && out_held != NULL, FALSE);

  res = PQexecParams (self->conn, HELD_ELSEWHERE_SQL, 3, NULL, params, NULL, NULL, 0);
  ok = PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) == 1;
  if (ok)
    *out_held = g_str_equal (PQgetvalue (res, 0, 0), "t");
  else
    pg_error (self, res, error, "holds of other kiosks");
  PQclear (res);
  return ok;
}

gboolean
docket_catalogue_reset_cursors (DocketDatabase *db, GError **error)
{
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    if (!docket_upstream_state_set (db, tables[t].cursor, NULL, error))
      return FALSE;
  return TRUE;
}
