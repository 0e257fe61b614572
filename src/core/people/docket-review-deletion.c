/* docket-review-deletion.c — deletion requests: asked, decided, reverted, purged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "docket-error.h"
#include "docket-review-private.h"

gint64
docket_review_request_deletion (
    DocketReview *self, const DocketPerson *person, gint64 id, const gchar *reason, GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (DocketRecordingItem) item = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 request_id = 0;

  if (!_docket_review_require_reason (reason, error))
    return 0;
  item = docket_tags_get_item (self->tags, person, id, error);
  if (item == NULL)
    return 0;
  if (g_strcmp0 (item->officer, person->badge) != 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION,
                   _ ("Only the officer who recorded it may ask to delete a recording"));
      return 0;
    }
  if (!docket_database_begin (db, error))
    return 0;
  stmt = docket_database_prepare (
      db,
      "INSERT INTO deletion_requests (recording_id, requested_by, reason, requested_usec)"
      " SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (SELECT 1 FROM deletion_requests"
      " WHERE recording_id = ?1 AND state IN ('pending', 'approved'))",
      error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, person->badge, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
      if (sqlite3_step (stmt) != SQLITE_DONE)
        docket_database_set_error (db, error, _ ("Could not save a deletion request"));
      else if (sqlite3_changes (docket_database_get_handle (db)) == 0)
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                     _ ("Deletion of recording %" PRId64 " was asked for already"), id);
      else
        request_id = sqlite3_last_insert_rowid (docket_database_get_handle (db));
    }
  if (request_id == 0
      || !_docket_review_audit (self, person, "deletion-requested", id, reason,
                                g_variant_new_parsed ("{'request': <%x>}", request_id), error))
    {
      docket_database_rollback (db);
      return 0;
    }
  if (!docket_database_commit (db, error))
    return 0;
  return request_id;
}

/* Reads a request's recording and state; FALSE with NOT_FOUND if none. */
static gboolean
read_request (DocketReview *self,
              gint64 request_id,
              gint64 *out_recording,
              gchar **out_state,
              gint64 *out_purge_after,
              GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc = SQLITE_ERROR;

  locker = docket_database_locker_new (db);
  stmt = docket_database_prepare (
      db, "SELECT recording_id, state, purge_after_usec FROM deletion_requests WHERE id = ?",
      error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, request_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out_recording = sqlite3_column_int64 (stmt, 0);
          *out_state = g_strdup ((const gchar *)sqlite3_column_text (stmt, 1));
          *out_purge_after = sqlite3_column_int64 (stmt, 2);
        }
      else if (rc == SQLITE_DONE)
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                     _ ("There is no deletion request %" PRId64), request_id);
      else
        docket_database_set_error (db, error, _ ("Could not read a deletion request"));
    }
  return rc == SQLITE_ROW;
}

gboolean
docket_review_decide_deletion (DocketReview *self,
                               const DocketPerson *person,
                               gint64 request_id,
                               gboolean approve,
                               const gchar *reason,
                               gint64 now_usec,
                               GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (DocketRecordingItem) item = NULL;
  g_autofree gchar *state = NULL;
  gint64 recording = 0;
  gint64 purge_after = 0;
  gint64 grace = (gint64)docket_station_config_get_deletion_grace_hours (self->config) * 3600
                 * G_USEC_PER_SEC;

  if (!_docket_review_require_sergeant (person, error)
      || !_docket_review_require_reason (reason, error)
      || !read_request (self, request_id, &recording, &state, &purge_after, error))
    return FALSE;
  item = _docket_review_get_reviewable (self, person, recording, error);
  if (item == NULL)
    return FALSE;
  if (!docket_database_begin (db, error))
    return FALSE;
  if (!_docket_review_update_one (
          db,
          "UPDATE deletion_requests SET state = ?2, decided_by = ?3,"
          " decision_reason = ?4, decided_usec = ?5"
          " WHERE id = ?1 AND state = 'pending'",
          request_id,
          (const gchar *const[]){ approve ? "approved" : "refused", person->badge, reason, NULL },
          now_usec, error)
      || (approve
          && !_docket_review_update_one (
              db,
              "UPDATE deletion_requests SET purge_after_usec = decided_usec + ?2"
              " WHERE id = ?1",
              request_id, NULL, grace, error))
      || !_docket_review_audit (
          self, person, approve ? "deletion-approved" : "deletion-refused", recording, reason,
          g_variant_new_parsed ("{'request': <%x>, 'purge-after-usec': <%x>}", request_id,
                                approve ? now_usec + grace : (gint64)0),
          error))
    {
      docket_database_rollback (db);
      return FALSE;
    }
  return docket_database_commit (db, error);
}

gboolean
docket_review_revert_deletion (DocketReview *self,
                               const DocketPerson *person,
                               gint64 request_id,
                               const gchar *reason,
                               GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autofree gchar *state = NULL;
  gint64 recording = 0;
  gint64 purge_after = 0;

  if (!_docket_review_require_sergeant (person, error)
      || !_docket_review_require_reason (reason, error)
      || !read_request (self, request_id, &recording, &state, &purge_after, error))
    return FALSE;
  if (g_strcmp0 (state, "approved") != 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("Only an approved deletion still in its grace period can be undone"));
      return FALSE;
    }
  if (!docket_database_begin (db, error))
    return FALSE;
  if (!_docket_review_update_one (
          db,
          "UPDATE deletion_requests SET state = 'reverted', decided_by = ?2,"
          " decision_reason = ?3 WHERE id = ?1 AND state = 'approved'",
          request_id, (const gchar *const[]){ person->badge, reason, NULL }, 0, error)
      || !_docket_review_audit (self, person, "deletion-reverted", recording, reason,
                                g_variant_new_parsed ("{'request': <%x>}", request_id), error))
    {
      docket_database_rollback (db);
      return FALSE;
    }
  return docket_database_commit (db, error);
}

typedef struct
{
  gint64 request_id;
  gint64 recording_id;
  gchar *sha256;
  gchar *thumbnail;
} Due;

static void
due_free (Due *due)
{
  g_free (due->sha256);
  g_free (due->thumbnail);
  g_free (due);
}

static GPtrArray *
list_due (DocketReview *self, gint64 now_usec, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (GPtrArray) due = g_ptr_array_new_with_free_func ((GDestroyNotify)due_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc = SQLITE_ERROR;

  locker = docket_database_locker_new (db);
  stmt
      = docket_database_prepare (db,
                                 "SELECT d.id, r.id, r.sha256, r.thumbnail FROM deletion_requests d"
                                 " JOIN recordings r ON r.id = d.recording_id"
                                 " WHERE d.state = 'approved' AND d.purge_after_usec <= ?",
                                 error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, now_usec);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          Due *d = g_new0 (Due, 1);

          d->request_id = sqlite3_column_int64 (stmt, 0);
          d->recording_id = sqlite3_column_int64 (stmt, 1);
          d->sha256 = g_strdup ((const gchar *)sqlite3_column_text (stmt, 2));
          d->thumbnail = g_strdup ((const gchar *)sqlite3_column_text (stmt, 3));
          g_ptr_array_add (due, d);
        }
      if (rc != SQLITE_DONE)
        docket_database_set_error (db, error, _ ("Could not list deletions due"));
    }
  return rc == SQLITE_DONE ? g_steal_pointer (&due) : NULL;
}

gint
docket_review_purge_due (DocketReview *self, gint64 now_usec, GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (GPtrArray) due = list_due (self, now_usec, error);
  gint purged = 0;

  if (due == NULL)
    return -1;
  for (guint i = 0; i < due->len; i++)
    {
      Due *d = g_ptr_array_index (due, i);
      /* The row changes first: a crash before the unlink leaves an orphan
       * file, never a row pointing at nothing. */
      if (!docket_database_begin (db, error))
        return -1;
      if (!_docket_review_update_one (db, "UPDATE recordings SET state = 'deleted' WHERE id = ?1",
                                      d->recording_id, NULL, 0, error)
          || !_docket_review_update_one (
              db, "UPDATE deletion_requests SET state = 'purged' WHERE id = ?1", d->request_id,
              NULL, 0, error)
          || !_docket_review_audit (
              self, NULL, "recording-purged", d->recording_id,
              _ ("approved deletion, grace period over"),
              g_variant_new_parsed ("{'request': <%x>, 'sha256': <%s>}", d->request_id, d->sha256),
              error))
        {
          docket_database_rollback (db);
          return -1;
        }
      if (!docket_database_commit (db, error))
        return -1;
      (void)docket_evidence_store_discard_object (self->store, d->sha256, d->thumbnail);
      purged++;
    }
  return purged;
}
