/* docket-upstream-lock.c — S3 Object Lock: legal holds and retention of uploaded objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-upstream-private.h"
#include "docket-upstream-state.h"

/* Runs @sql with ?1 = @id and ?2 = @number. */
static gboolean
exec_row (DocketUpstream *self, const gchar *sql, gint64 id, gint64 number, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (self->db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, number);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      docket_database_set_error (self->db, error, "upstream queue");
      return FALSE;
    }
  return TRUE;
}

/* Whether any recording with the upload's footage is under an open hold (on
 * the recording, its incident or its case number), as 0 or 1. */
#define HELD_SQL                                                                                   \
  "(EXISTS (SELECT 1 FROM recordings r JOIN hold_recordings hr ON hr.recording_id = r.id"          \
  "   JOIN holds h ON h.id = hr.hold_id WHERE r.sha256 = u.sha256 AND h.released_usec IS NULL)"    \
  " OR EXISTS (SELECT 1 FROM recordings r JOIN tags t ON t.recording_id = r.id"                    \
  "   JOIN holds h ON h.kind = 'case' AND h.target = t.case_number AND h.released_usec IS NULL"    \
  "   WHERE r.sha256 = u.sha256 AND t.case_number <> ''))"

/* Asks the catalogue whether another kiosk's open hold covers @sha256. A
 * catalogue that cannot answer keeps the object's hold on for now. */
static gboolean
held_elsewhere (DocketUpstream *self, const gchar *sha256, gboolean *out_held, GError **error)
{
  if (!_docket_upstream_ensure_catalogue (self, error))
    return FALSE;
  if (!docket_catalogue_held_elsewhere (self->catalogue, sha256, out_held, error))
    {
      /* Reconnect next time: the connection may be what failed. */
      g_clear_object (&self->catalogue);
      return FALSE;
    }
  return TRUE;
}

/* Makes the S3 legal hold of every confirmed object follow the holds, where
 * the bucket has Object Lock; nothing otherwise. */
gboolean
docket_upstream_sync_legal_holds (DocketUpstream *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (DOCKET_IS_UPSTREAM (self), FALSE);
  if (self->config == NULL)
    return TRUE;
  if (!_docket_upstream_ensure_clients (self, error))
    return FALSE;
  if (self->object_lock != 1)
    return TRUE;
  for (;;)
    {
      g_autoptr (Item) item = g_new0 (Item, 1);
      g_autofree gchar *subject = NULL;
      gboolean kept = FALSE;
      gboolean on;

      {
        g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
        g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
            self->db,
            "SELECT u.recording_id, u.object_key, u.sha256, " HELD_SQL " FROM upstream_uploads u"
            " WHERE u.state = 'confirmed' AND u.legal_hold IS NOT " HELD_SQL " LIMIT 1",
            error);

        if (stmt == NULL)
          return FALSE;
        if (sqlite3_step (stmt) != SQLITE_ROW)
          return TRUE;
        item->recording_id = sqlite3_column_int64 (stmt, 0);
        item->key = g_strdup ((const gchar *)sqlite3_column_text (stmt, 1));
        item->sha256 = g_strdup ((const gchar *)sqlite3_column_text (stmt, 2));
        on = sqlite3_column_int (stmt, 3) != 0;
      }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      /* The object is shared by every kiosk that offloaded this footage:
       * this kiosk's release must not lift another's hold. Without the
       * catalogue that cannot be known, and the release goes through. */
      if (!on && self->config->catalogue != NULL
          && !held_elsewhere (self, item->sha256, &kept, error))
        {
          g_prefix_error (error, _ ("Legal hold on %s: "), item->key);
          return FALSE;
        }
      if (!kept && !docket_s3_client_set_legal_hold (self->s3, item->key, on, error))
        {
          g_prefix_error (error, _ ("Legal hold on %s: "), item->key);
          return FALSE;
        }
      subject = g_strdup_printf ("recording:%s", item->sha256);
      if (!docket_database_begin (self->db, error))
        return FALSE;
      if (!exec_row (self, "UPDATE upstream_uploads SET legal_hold = ?2 WHERE recording_id = ?1",
                     item->recording_id, on, error)
          || docket_audit_log_append (
                 docket_evidence_store_get_audit_log (self->store), "docketd",
                 "recording-upstream-legal-hold", subject, "",
                 g_variant_new_parsed ("{'object-key': <%s>, 'legal-hold': <%b>,"
                                       " 'held-by-another-kiosk': <%b>}",
                                       item->key, on, kept),
                 error)
                 < 0
          || !docket_database_commit (self->db, error))
        {
          docket_database_rollback (self->db);
          return FALSE;
        }
    }
}

/* Whole seconds: RetainUntilDate has no finer unit, so a retention set
 * from a keep-until is never "shorter" than it by a fraction. */
#define TO_SECONDS(usec) ((usec) / G_USEC_PER_SEC * G_USEC_PER_SEC)

typedef struct
{
  Item item;
  gint64 known_usec; /* -1: not known, else what the object has (0: none) */
} RetentionRow;

/* The next object whose retention may have to be lengthened and is due
 * (not backing off); FALSE when there is none. */
static gboolean
next_retention_row (DocketUpstream *self, RetentionRow *row, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
  /* Rows of the same footage share one object: what any of them set counts. */
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      self->db,
      "SELECT u.recording_id, u.object_key, u.sha256, r.committed_usec, u.retention_attempts,"
      " (SELECT MAX(v.retain_until_usec) FROM upstream_uploads v WHERE v.sha256 = u.sha256)"
      " FROM upstream_uploads u JOIN recordings r ON r.id = u.recording_id"
      " WHERE u.retention_due = 1 AND u.state = 'confirmed' AND u.retention_next_try_usec <= ?1"
      " ORDER BY u.recording_id LIMIT 1",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  row->item.recording_id = sqlite3_column_int64 (stmt, 0);
  row->item.key = g_strdup ((const gchar *)sqlite3_column_text (stmt, 1));
  row->item.sha256 = g_strdup ((const gchar *)sqlite3_column_text (stmt, 2));
  row->item.committed_usec = sqlite3_column_int64 (stmt, 3);
  row->item.attempts = sqlite3_column_int (stmt, 4);
  row->known_usec
      = sqlite3_column_type (stmt, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 5);
  return TRUE;
}

/* The longest keep-until of any recording of @row's footage. */
static gint64
wanted_until_usec (DocketUpstream *self, RetentionRow *row)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 wanted = 0;

  {
    g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
    g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
        self->db,
        "SELECT u.recording_id, r.committed_usec FROM upstream_uploads u"
        " JOIN recordings r ON r.id = u.recording_id WHERE u.sha256 = ?1",
        NULL);

    if (stmt != NULL)
      {
        sqlite3_bind_text (stmt, 1, row->item.sha256, -1, SQLITE_TRANSIENT);
        while (sqlite3_step (stmt) == SQLITE_ROW)
          {
            gint64 pair[2] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };

            g_array_append_vals (ids, pair, 2);
          }
      }
  }
  for (guint i = 0; i + 1 < ids->len; i += 2)
    {
      Item other = row->item;

      other.recording_id = g_array_index (ids, gint64, i);
      other.committed_usec = g_array_index (ids, gint64, i + 1);
      wanted = MAX (wanted, _docket_upstream_retain_until_usec (self, &other));
    }
  return TO_SECONDS (wanted);
}

/* Lengthens @row's object's retention to @until_usec and says so, in one
 * transaction with the rows of its footage. */
static gboolean
commit_retention (DocketUpstream *self,
                  RetentionRow *row,
                  gint64 previous_usec,
                  gint64 until_usec,
                  GError **error)
{
  g_autofree gchar *subject = g_strdup_printf ("recording:%s", row->item.sha256);
  g_autofree gchar *until = docket_s3_retain_until (until_usec);

  if (!docket_database_begin (self->db, error))
    return FALSE;
  {
    g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
    g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
        self->db,
        "UPDATE upstream_uploads SET retain_until_usec = ?2, retention_due = 0,"
        " retention_attempts = 0, retention_next_try_usec = 0 WHERE sha256 = ?1",
        error);

    if (stmt == NULL)
      {
        docket_database_rollback (self->db);
        return FALSE;
      }
    sqlite3_bind_text (stmt, 1, row->item.sha256, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, until_usec);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        docket_database_set_error (self->db, error, "upstream queue");
        docket_database_rollback (self->db);
        return FALSE;
      }
  }
  if (docket_audit_log_append (
          docket_evidence_store_get_audit_log (self->store), "docketd",
          "recording-upstream-retention", subject, "",
          g_variant_new_parsed ("{'object-key': <%s>, 'mode': <'COMPLIANCE'>,"
                                " 'retain-until': <%s>, 'retain-until-usec': <%x>,"
                                " 'previous-usec': <%x>}",
                                row->item.key, until, until_usec, previous_usec),
          error)
          < 0
      || !docket_database_commit (self->db, error))
    {
      docket_database_rollback (self->db);
      return FALSE;
    }
  return TRUE;
}

/* A failed lengthening: that object waits retry-seconds, doubled per
 * failure (at most an hour); the others go on. */
static void
retention_failed (DocketUpstream *self, RetentionRow *row, const GError *failure)
{
  g_autoptr (GError) error = NULL;
  guint64 delay = (guint64)self->config->retry_seconds << MIN (row->item.attempts, 20);
  gint64 next = g_get_real_time () + MIN (delay, MAX_BACKOFF_SECONDS) * G_USEC_PER_SEC;

  if (g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* What the object has is read back next time: it may not be what we
   * last set (a refused date, or someone else lengthened it). */
  if (!exec_row (self,
                 "UPDATE upstream_uploads SET retention_attempts = retention_attempts + 1,"
                 " retention_next_try_usec = ?2, retain_until_usec = NULL WHERE sha256 ="
                 " (SELECT sha256 FROM upstream_uploads WHERE recording_id = ?1)",
                 row->item.recording_id, next, &error))
    g_warning ("Could not record an upstream retention failure: %s", error->message);
}

/* Objects whose back-off has ended, when the server cannot be reached at
 * all: each waits its next back-off step, so that no timer wakes the worker
 * in a loop. */
static void
postpone_overdue (DocketUpstream *self)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      self->db,
      "UPDATE upstream_uploads SET retention_attempts = retention_attempts + 1,"
      " retention_next_try_usec = ?1 + MIN(?2 << MIN(retention_attempts, 20), ?3) * 1000000"
      " WHERE retention_due = 1 AND retention_next_try_usec > 0"
      " AND retention_next_try_usec <= ?1",
      NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  sqlite3_bind_int64 (stmt, 2, self->config->retry_seconds);
  sqlite3_bind_int64 (stmt, 3, MAX_BACKOFF_SECONDS);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_warning ("Could not postpone upstream retention: %s",
               sqlite3_errmsg (docket_database_get_handle (self->db)));
}

/* Where the bucket has Object Lock: makes each uploaded object's compliance
 * retention reach its footage's keep-until. Idempotent: an object is
 * looked at only when marked (uploaded, or a re-tag), its retention read
 * back once, and only a later date is sent. */
gboolean
docket_upstream_sync_retention (DocketUpstream *self, GCancellable *cancellable, GError **error)
{
  gboolean recheck;

  g_return_val_if_fail (DOCKET_IS_UPSTREAM (self), FALSE);
  if (self->config == NULL)
    return TRUE;
  if (!_docket_upstream_ensure_clients (self, error))
    {
      /* Their back-off ended but the server is still away: the next step. */
      postpone_overdue (self);
      return FALSE;
    }
  if (self->object_lock != 1)
    return TRUE;
  g_mutex_lock (&self->lock);
  recheck = self->retention_recheck;
  self->retention_recheck = FALSE;
  g_mutex_unlock (&self->lock);
  /* Nothing is sent for an object whose keep-until did not move later. */
  if (recheck
      && !exec_row (self,
                    "UPDATE upstream_uploads SET retention_due = 1 WHERE state = 'confirmed'"
                    " AND retention_due = 0",
                    0, 0, error))
    return FALSE;
  for (;;)
    {
      RetentionRow row = { { 0 } };
      g_autoptr (GError) local_error = NULL;
      gboolean found = next_retention_row (self, &row, &local_error);
      gint64 wanted;

      if (!found)
        {
          g_free (row.item.key);
          g_free (row.item.sha256);
          if (local_error == NULL)
            return TRUE;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        {
          /* Not known yet (just uploaded, or from before this was kept): the
           * server says, once. */
          if (row.known_usec < 0)
            {
              g_autofree gchar *mode = NULL;

              if (docket_s3_client_get_retention (self->s3, row.item.key, &mode, &row.known_usec,
                                                  &local_error)
                  && g_strcmp0 (mode, "COMPLIANCE") != 0)
                row.known_usec = 0;
            }
          wanted = local_error == NULL ? wanted_until_usec (self, &row) : 0;
          if (local_error == NULL && wanted > row.known_usec && wanted > g_get_real_time ())
            {
              if (docket_s3_client_set_retention (self->s3, row.item.key, wanted, &local_error))
                commit_retention (self, &row, row.known_usec, wanted, &local_error);
            }
          else if (local_error == NULL)
            /* Nothing to lengthen: remember what the object has. */
            exec_row (self,
                      "UPDATE upstream_uploads SET retain_until_usec = ?2, retention_due = 0,"
                      " retention_attempts = 0, retention_next_try_usec = 0"
                      " WHERE recording_id = ?1",
                      row.item.recording_id, row.known_usec, &local_error);
        }
      if (local_error != NULL)
        {
          g_prefix_error (&local_error, _ ("Retention of %s: "), row.item.key);
          retention_failed (self, &row, local_error);
          g_free (row.item.key);
          g_free (row.item.sha256);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_free (row.item.key);
      g_free (row.item.sha256);
    }
}

/* Monotonic time a failed lengthening may be tried again, or G_MAXINT64.
 * Only back-offs still to end: one that ended is the pass's to take or
 * postpone, never a reason to wake again at once. */
gint64
_docket_upstream_next_retention_usec (DocketUpstream *self)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 due;

  if (self->object_lock != 1)
    return G_MAXINT64;
  stmt = docket_database_prepare (self->db,
                                  "SELECT MIN(retention_next_try_usec) FROM upstream_uploads"
                                  " WHERE retention_due = 1 AND retention_next_try_usec > ?1"
                                  " AND state = 'confirmed'",
                                  NULL);
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW
      || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return G_MAXINT64;
  due = sqlite3_column_int64 (stmt, 0);
  return g_get_monotonic_time () + MAX (due - g_get_real_time (), 0);
}
