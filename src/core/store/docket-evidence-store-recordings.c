/* docket-evidence-store-recordings.c — commit, quarantine, query and verify recordings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "docket-error.h"
#include "docket-evidence-store-private.h"
#include "docket-sha256.h"

#define RECORDING_COLUMNS                                                                          \
  "r.id, c.serial, r.camera_recording_id, r.name, r.officer, r.start_usec, r.duration_ms,"         \
  " r.size, r.sha256, r.camera_sha256, r.signature_status, r.codec, r.width, r.height,"            \
  " r.thumbnail, r.clock_drift_ms, r.state, r.problem, r.deep_check, r.offload_run_id,"            \
  " r.committed_usec, r.condition, r.condition_reason, r.camera_signature, r.deep_check_due"       \
  " FROM recordings r JOIN cameras c ON c.id = r.camera_id"

static gchar *
column_dup (sqlite3_stmt *stmt, int col)
{
  return g_strdup ((const gchar *)sqlite3_column_text (stmt, col));
}

static DocketStoredRecording *
recording_from_row (sqlite3_stmt *stmt)
{
  DocketStoredRecording *rec = docket_stored_recording_new ();

  rec->id = sqlite3_column_int64 (stmt, 0);
  rec->camera_serial = column_dup (stmt, 1);
  rec->camera_recording_id = (guint32)sqlite3_column_int64 (stmt, 2);
  rec->name = column_dup (stmt, 3);
  rec->officer = column_dup (stmt, 4);
  rec->start_usec = sqlite3_column_int64 (stmt, 5);
  rec->duration_ms = (guint64)sqlite3_column_int64 (stmt, 6);
  rec->size = (guint64)sqlite3_column_int64 (stmt, 7);
  rec->sha256 = column_dup (stmt, 8);
  rec->camera_sha256 = column_dup (stmt, 9);
  rec->signature_status = column_dup (stmt, 10);
  rec->codec = column_dup (stmt, 11);
  rec->width = (guint)sqlite3_column_int (stmt, 12);
  rec->height = (guint)sqlite3_column_int (stmt, 13);
  rec->thumbnail = column_dup (stmt, 14);
  rec->clock_drift_ms = sqlite3_column_int64 (stmt, 15);
  rec->state = column_dup (stmt, 16);
  rec->problem = column_dup (stmt, 17);
  rec->deep_check = column_dup (stmt, 18);
  rec->offload_run_id = sqlite3_column_int64 (stmt, 19);
  rec->committed_usec = sqlite3_column_int64 (stmt, 20);
  rec->condition = column_dup (stmt, 21);
  rec->condition_reason = column_dup (stmt, 22);
  rec->camera_signature = column_dup (stmt, 23);
  rec->deep_check_due = sqlite3_column_int (stmt, 24) != 0;
  return rec;
}

static DocketStoredRecording *
query_one (DocketEvidenceStore *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return recording_from_row (stmt);
  if (rc != SQLITE_DONE)
    docket_database_set_error (self->db, error, _ ("Could not look up a recording"));
  return NULL;
}

DocketStoredRecording *
docket_evidence_store_find_recording (DocketEvidenceStore *self,
                                      const gchar *serial,
                                      guint32 camera_recording_id,
                                      const gchar *sha256_hex,
                                      GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  DocketStoredRecording *rec = NULL;

  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (self->db,
                                  "SELECT " RECORDING_COLUMNS
                                  " WHERE c.serial = ? AND r.camera_recording_id = ?"
                                  " AND r.sha256 = ? AND r.state = 'verified' LIMIT 1",
                                  error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, camera_recording_id);
      sqlite3_bind_text (stmt, 3, sha256_hex, -1, SQLITE_STATIC);
      rec = query_one (self, stmt, error);
    }
  return rec;
}

gint
docket_evidence_store_count_quarantined (DocketEvidenceStore *self,
                                         const gchar *serial,
                                         guint32 camera_recording_id,
                                         const gchar *camera_sha256_hex,
                                         GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint count = -1;

  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (self->db,
                                  "SELECT COUNT(*) FROM recordings r JOIN cameras c"
                                  " ON c.id = r.camera_id WHERE c.serial = ?"
                                  " AND r.camera_recording_id = ? AND r.camera_sha256 = ?"
                                  " AND r.state = 'quarantined'",
                                  error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, camera_recording_id);
      sqlite3_bind_text (stmt, 3, camera_sha256_hex, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        count = sqlite3_column_int (stmt, 0);
      else
        docket_database_set_error (self->db, error, _ ("Could not look up a recording"));
    }
  return count;
}

DocketStoredRecording *
docket_evidence_store_get_recording (DocketEvidenceStore *self, gint64 id, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  DocketStoredRecording *rec = NULL;
  g_autoptr (GError) local_error = NULL;

  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (self->db, "SELECT " RECORDING_COLUMNS " WHERE r.id = ?",
                                  &local_error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      rec = query_one (self, stmt, &local_error);
    }
  g_clear_pointer (&locker, docket_database_locker_free);
  if (rec == NULL && local_error == NULL)
    g_set_error (&local_error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                 _ ("No recording %" PRId64 " in the evidence store"), id);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return rec;
}

/* Every recording the SQL tail (WHERE / ORDER BY) selects. */
static GPtrArray *
list_where (DocketEvidenceStore *self, const gchar *tail, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (GPtrArray) rows
      = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_stored_recording_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree gchar *sql = g_strconcat ("SELECT " RECORDING_COLUMNS " ", tail, NULL);
  int rc = SQLITE_ERROR;

  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (self->db, sql, error);
  if (stmt != NULL)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (rows, recording_from_row (stmt));
      if (rc != SQLITE_DONE)
        docket_database_set_error (self->db, error, _ ("Could not list recordings"));
    }
  return rc == SQLITE_DONE ? g_steal_pointer (&rows) : NULL;
}

GPtrArray *
docket_evidence_store_list_recordings (DocketEvidenceStore *self, GError **error)
{
  return list_where (self, "ORDER BY r.id DESC", error);
}

static gboolean
insert_row (DocketEvidenceStore *self, DocketStoredRecording *rec, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 camera_id = docket_evidence_store_camera_row_id (self, rec->camera_serial, error);

  if (camera_id < 0)
    return FALSE;
  rec->committed_usec = g_get_real_time ();
  stmt = docket_database_prepare (
      self->db,
      "INSERT INTO recordings (camera_id, camera_recording_id, name, officer, start_usec,"
      " duration_ms, size, sha256, camera_sha256, signature_status, codec, width, height,"
      " thumbnail, clock_drift_ms, state, problem, deep_check, offload_run_id, committed_usec,"
      " condition, condition_reason, camera_signature, deep_check_due)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, camera_id);
  sqlite3_bind_int64 (stmt, 2, rec->camera_recording_id);
  sqlite3_bind_text (stmt, 3, rec->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, rec->officer, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, rec->start_usec);
  sqlite3_bind_int64 (stmt, 6, (gint64)rec->duration_ms);
  sqlite3_bind_int64 (stmt, 7, (gint64)rec->size);
  sqlite3_bind_text (stmt, 8, rec->sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, rec->camera_sha256 != NULL ? rec->camera_sha256 : "", -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, rec->signature_status != NULL ? rec->signature_status : "unknown",
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, rec->codec, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 12, (int)rec->width);
  sqlite3_bind_int (stmt, 13, (int)rec->height);
  sqlite3_bind_text (stmt, 14, rec->thumbnail, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 15, rec->clock_drift_ms);
  sqlite3_bind_text (stmt, 16, rec->state, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 17, rec->problem, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 18, rec->deep_check, -1, SQLITE_STATIC);
  if (rec->offload_run_id > 0)
    sqlite3_bind_int64 (stmt, 19, rec->offload_run_id);
  else
    sqlite3_bind_null (stmt, 19);
  sqlite3_bind_int64 (stmt, 20, rec->committed_usec);
  sqlite3_bind_text (stmt, 21, rec->condition, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 22, rec->condition_reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 23, rec->camera_signature, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 24, rec->deep_check_due ? 1 : 0);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      docket_database_set_error (self->db, error, _ ("Could not record the recording"));
      return FALSE;
    }
  rec->id = sqlite3_last_insert_rowid (docket_database_get_handle (self->db));
  return TRUE;
}

static GVariant *
recording_details (const DocketStoredRecording *rec)
{
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "camera", "s", rec->camera_serial);
  g_variant_dict_insert (&dict, "camera-recording-id", "u", rec->camera_recording_id);
  g_variant_dict_insert (&dict, "name", "s", rec->name != NULL ? rec->name : "");
  g_variant_dict_insert (&dict, "size", "t", rec->size);
  g_variant_dict_insert (&dict, "sha256", "s", rec->sha256);
  g_variant_dict_insert (&dict, "camera-sha256", "s",
                         rec->camera_sha256 != NULL ? rec->camera_sha256 : "");
  g_variant_dict_insert (&dict, "row", "x", rec->id);
  if (rec->condition != NULL)
    {
      g_variant_dict_insert (&dict, "condition", "s", rec->condition);
      g_variant_dict_insert (&dict, "condition-reason", "s",
                             rec->condition_reason != NULL ? rec->condition_reason : "");
    }
  /* In the chained row too, so that blanking the column is noticed. */
  if (rec->camera_signature != NULL)
    g_variant_dict_insert (&dict, "camera-signature", "s", rec->camera_signature);
  return g_variant_dict_end (&dict);
}

/* Insert @rec and its audit row as one durable transaction. */
static gboolean
commit_row (DocketEvidenceStore *self,
            DocketStoredRecording *rec,
            const gchar *actor,
            const gchar *action,
            const gchar *reason,
            GError **error)
{
  g_autofree gchar *subject = g_strdup_printf ("recording:%s", rec->sha256);

  if (!docket_database_begin (self->db, error))
    return FALSE;
  if (!insert_row (self, rec, error)
      || docket_audit_log_append (self->audit, actor, action, subject, reason,
                                  recording_details (rec), error)
             < 0)
    {
      docket_database_rollback (self->db);
      rec->id = 0;
      return FALSE;
    }
  if (!docket_database_commit (self->db, error))
    {
      rec->id = 0;
      return FALSE;
    }
  return TRUE;
}

static gboolean
rename_durably (const gchar *from, const gchar *to, GError **error)
{
  g_autofree gchar *dir = g_path_get_dirname (to);

  if (g_rename (from, to) < 0)
    {
      int saved = errno;
      g_set_error (error, DOCKET_ERROR,
                   saved == ENOSPC ? DOCKET_ERROR_NO_SPACE : DOCKET_ERROR_STORE,
                   _ ("Could not move “%s” to “%s”: %s"), from, to, g_strerror (saved));
      return FALSE;
    }
  return _docket_evidence_store_fsync_path (dir, TRUE, error);
}

/* Makes @path read-only and durable, then moves it to @to: nothing enters
 * the store writable, whichever branch puts it there. */
static gboolean
seal_and_rename (const gchar *path, const gchar *to, GError **error)
{
  if (g_chmod (path, 0444) < 0)
    {
      int saved = errno;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Could not make “%s” read-only: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  return _docket_evidence_store_fsync_path (path, FALSE, error) && rename_durably (path, to, error);
}

gboolean
docket_evidence_store_commit (DocketEvidenceStore *self,
                              const gchar *staging_path,
                              const gchar *thumbnail_path,
                              DocketStoredRecording *rec,
                              const gchar *actor,
                              GError **error)
{
  g_autofree gchar *object_path = NULL;
  g_autofree gchar *object_dir = NULL;
  g_autofree gchar *reason = NULL;
  gboolean dir_is_new;

  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (self), FALSE);
  g_return_val_if_fail (rec != NULL && rec->camera_serial != NULL, FALSE);

  if (!docket_sha256_hex_is_valid (rec->sha256))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, "not a SHA-256: %s", rec->sha256);
      return FALSE;
    }
  object_path = docket_evidence_store_get_object_path (self, rec->sha256);
  object_dir = g_path_get_dirname (object_path);
  dir_is_new = !g_file_test (object_dir, G_FILE_TEST_IS_DIR);
  if (dir_is_new)
    {
      g_autofree gchar *objects = g_path_get_dirname (object_dir);
      if (g_mkdir (object_dir, 0750) < 0 && errno != EEXIST)
        {
          int saved = errno;
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                       _ ("Could not create the folder “%s”: %s"), object_dir, g_strerror (saved));
          return FALSE;
        }
      if (!_docket_evidence_store_fsync_path (objects, TRUE, error))
        return FALSE;
    }

  if (g_file_test (object_path, G_FILE_TEST_EXISTS))
    {
      guint8 digest[DOCKET_SHA256_LEN];
      g_autofree gchar *hex = NULL;

      /* Same content already stored (a crash after the rename, or the same
       * footage twice): keep the committed file untouched. */
      if (docket_sha256_file (object_path, G_MAXUINT64, digest, NULL, NULL))
        hex = docket_sha256_to_hex (digest);
      if (g_strcmp0 (hex, rec->sha256) == 0)
        (void)g_unlink (staging_path);
      /* A damaged copy is replaced, read-only like any other. */
      else if (!seal_and_rename (staging_path, object_path, error))
        return FALSE;
    }
  /* Read-only before it becomes visible in the store. */
  else if (!seal_and_rename (staging_path, object_path, error))
    return FALSE;

  g_clear_pointer (&rec->thumbnail, g_free);
  if (thumbnail_path != NULL)
    {
      g_autofree gchar *name = g_strdup_printf ("%s.png", rec->sha256);
      g_autofree gchar *thumb = g_build_filename (self->root, "thumbnails", name, NULL);

      if (!seal_and_rename (thumbnail_path, thumb, error))
        return FALSE;
      rec->thumbnail = g_build_filename ("thumbnails", name, NULL);
    }

  g_free (rec->state);
  rec->state = g_strdup (DOCKET_RECORDING_STATE_VERIFIED);
  if (rec->condition != NULL)
    reason = g_strdup_printf (_ ("Stored exactly as received (hash and signature verified), but "
                                 "the camera recorded it damaged (%s): %s"),
                              rec->condition,
                              rec->condition_reason != NULL ? rec->condition_reason : "");
  else
    reason = g_strdup (_ ("Copied, hash and signature verified, media checked"));
#if DOCKET_TEST_HOOKS
  {
    /* Tests hold the commit here, with the file in the store and its row
     * not yet written, to prove a stop waits for it. Only in builds with
     * -Dtest_hooks=true. */
    const gchar *delay_ms = g_getenv ("DOCKET_TEST_COMMIT_DELAY_MS");

    if (delay_ms != NULL)
      g_usleep (g_ascii_strtoull (delay_ms, NULL, 10) * 1000);
  }
#endif
  if (!commit_row (self, rec, actor, "recording-committed", reason, error))
    {
      g_prefix_error (error, _ ("Could not commit the recording: "));
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_evidence_store_quarantine (DocketEvidenceStore *self,
                                  const gchar *staging_path,
                                  DocketStoredRecording *rec,
                                  const gchar *actor,
                                  GError **error)
{
  g_autofree gchar *base = g_path_get_basename (staging_path);
  g_autofree gchar *name = NULL;
  g_autofree gchar *target = NULL;
  g_autofree gchar *flag = NULL;

  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (self), FALSE);

  if (g_str_has_suffix (base, ".part"))
    base[strlen (base) - 5] = '\0';
  name = g_strdup_printf ("%s-%" G_GINT64_FORMAT, base, g_get_real_time ());
  target = g_build_filename (self->root, "quarantine", name, NULL);
  if (!seal_and_rename (staging_path, target, error))
    return FALSE;

  g_free (rec->state);
  rec->state = g_strdup (DOCKET_RECORDING_STATE_QUARANTINED);
  g_free (rec->thumbnail);
  rec->thumbnail = g_build_filename ("quarantine", name, NULL); /* where the copy is */
  if (rec->sha256 == NULL)
    rec->sha256 = g_strdup ("");

  flag = g_strdup_printf (_ ("Recording %u failed verification: %s"), rec->camera_recording_id,
                          rec->problem != NULL ? rec->problem : "");
  if (!docket_evidence_store_flag_camera (self, rec->camera_serial, flag, error))
    return FALSE;
  return commit_row (self, rec, actor, "recording-quarantined", rec->problem, error);
}

gboolean
docket_evidence_store_record_camera_deletion (DocketEvidenceStore *self,
                                              const DocketStoredRecording *rec,
                                              const gchar *actor,
                                              GError **error)
{
  g_autofree gchar *subject = g_strdup_printf ("recording:%s", rec->sha256);

  return docket_audit_log_append (self->audit, actor, "recording-erased-from-camera", subject,
                                  _ ("Erased from the camera after a verified, durable copy"),
                                  recording_details (rec), error)
         > 0;
}

gboolean
docket_evidence_store_record_camera_erase_intent (DocketEvidenceStore *self,
                                                  const DocketStoredRecording *rec,
                                                  const gchar *actor,
                                                  GError **error)
{
  g_autofree gchar *subject = g_strdup_printf ("recording:%s", rec->sha256);

  return docket_audit_log_append (self->audit, actor, "recording-erase-requested", subject,
                                  _ ("About to erase from the camera: the copy is verified and "
                                     "committed"),
                                  recording_details (rec), error)
         > 0;
}

/* @concluded: the check ran (no longer owed); else one more failed try. */
static gboolean
record_deep_check (DocketEvidenceStore *self,
                   gint64 id,
                   const gchar *result,
                   const gchar *condition,
                   gboolean concluded,
                   GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (DocketStoredRecording) rec = docket_evidence_store_get_recording (self, id, error);
  g_autofree gchar *subject = NULL;
  g_auto (GVariantDict) details = G_VARIANT_DICT_INIT (NULL);
  gboolean new_condition;

  if (rec == NULL)
    return FALSE;
  subject = g_strdup_printf ("recording:%s", rec->sha256);
  new_condition = condition != NULL && rec->condition == NULL;
  g_variant_dict_insert (&details, "row", "x", id);
  if (!concluded)
    g_variant_dict_insert (&details, "not-run", "b", TRUE);
  if (new_condition)
    g_variant_dict_insert (&details, "condition", "s", condition);
  if (!docket_database_begin (self->db, error))
    return FALSE;
  stmt = docket_database_prepare (
      self->db,
      "UPDATE recordings SET deep_check = ?1,"
      " condition = COALESCE(condition, ?2), condition_reason = COALESCE(condition_reason, ?3),"
      " deep_check_attempts = deep_check_attempts + 1,"
      " deep_check_due = CASE WHEN ?5 THEN 0 WHEN deep_check_attempts + 1 >= ?6 THEN 0"
      "  ELSE deep_check_due END"
      " WHERE id = ?4",
      error);
  if (stmt == NULL)
    {
      docket_database_rollback (self->db);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, result, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, new_condition ? condition : NULL, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, new_condition ? result : NULL, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, id);
  sqlite3_bind_int (stmt, 5, concluded ? 1 : 0);
  sqlite3_bind_int (stmt, 6, DOCKET_DEEP_CHECK_ATTEMPTS);
  if (sqlite3_step (stmt) != SQLITE_DONE
      || docket_audit_log_append (self->audit, "docketd", "recording-deep-checked", subject, result,
                                  g_variant_dict_end (&details), error)
             < 0)
    {
      if (error != NULL && *error == NULL)
        docket_database_set_error (self->db, error, _ ("Could not record the deep check"));
      docket_database_rollback (self->db);
      return FALSE;
    }
  return docket_database_commit (self->db, error);
}

gboolean
docket_evidence_store_set_deep_check (DocketEvidenceStore *self,
                                      gint64 id,
                                      const gchar *result,
                                      const gchar *condition,
                                      GError **error)
{
  return record_deep_check (self, id, result, condition, TRUE, error);
}

gboolean
docket_evidence_store_defer_deep_check (DocketEvidenceStore *self,
                                        gint64 id,
                                        const gchar *reason,
                                        GError **error)
{
  return record_deep_check (self, id, reason, NULL, FALSE, error);
}

/* Row ids from @sql, whose one parameter is @limit. */
static GArray *
list_recording_ids (DocketEvidenceStore *self, const gchar *sql, guint limit, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (self->db, sql, error);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, (int)MIN (limit, (guint)G_MAXINT));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      docket_database_set_error (self->db, error, _ ("Could not list recordings"));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

GArray *
docket_evidence_store_list_owed_deep_checks (DocketEvidenceStore *self, guint limit, GError **error)
{
  return list_recording_ids (self,
                             "SELECT id FROM recordings WHERE deep_check_due = 1"
                             " AND state = 'verified' ORDER BY id LIMIT ?",
                             limit, error);
}

GPtrArray *
docket_evidence_store_list_conditions (DocketEvidenceStore *self, GError **error)
{
  return list_where (self,
                     "WHERE r.condition IS NOT NULL AND r.state = 'verified'"
                     " ORDER BY r.committed_usec DESC, r.id DESC",
                     error);
}

gboolean
docket_evidence_store_set_thumbnail (DocketEvidenceStore *self,
                                     gint64 id,
                                     const gchar *thumbnail_path,
                                     GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (DocketStoredRecording) rec = docket_evidence_store_get_recording (self, id, error);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree gchar *name = NULL;
  g_autofree gchar *thumb = NULL;
  g_autofree gchar *relative = NULL;
  gboolean ok = FALSE;

  if (rec == NULL)
    return FALSE;
  if (rec->thumbnail != NULL)
    {
      (void)g_unlink (thumbnail_path);
      return TRUE;
    }
  name = g_strdup_printf ("%s.png", rec->sha256);
  thumb = g_build_filename (self->root, "thumbnails", name, NULL);
  relative = g_build_filename ("thumbnails", name, NULL);
  (void)g_chmod (thumbnail_path, 0444);
  if (!rename_durably (thumbnail_path, thumb, error))
    return FALSE;
  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (
      self->db, "UPDATE recordings SET thumbnail = ? WHERE id = ? AND thumbnail IS NULL", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, relative, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      if (!ok)
        docket_database_set_error (self->db, error, _ ("Could not record the thumbnail"));
    }
  return ok;
}

GArray *
docket_evidence_store_list_missing_thumbnails (DocketEvidenceStore *self,
                                               guint limit,
                                               GError **error)
{
  return list_recording_ids (self,
                             "SELECT id FROM recordings WHERE state = 'verified'"
                             " AND thumbnail IS NULL AND condition IS NULL ORDER BY id LIMIT ?",
                             limit, error);
}

static gboolean
object_in_use (DocketEvidenceStore *self, const gchar *sha256_hex)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  DocketDatabase *db = docket_evidence_store_get_database (self);
  g_autoptr (sqlite3_stmt) stmt = NULL;

  locker = docket_database_locker_new (db);
  stmt = docket_database_prepare (
      db, "SELECT 1 FROM recordings WHERE sha256 = ? AND state <> 'deleted' LIMIT 1", NULL);
  if (stmt == NULL)
    return TRUE; /* when in doubt, keep the file */
  sqlite3_bind_text (stmt, 1, sha256_hex, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) != SQLITE_DONE;
}

gboolean
docket_evidence_store_discard_object (DocketEvidenceStore *self,
                                      const gchar *sha256_hex,
                                      const gchar *thumbnail)
{
  g_autofree gchar *path = NULL;
  gboolean gone = TRUE;

  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (self), FALSE);

  if (object_in_use (self, sha256_hex))
    return FALSE;
  path = docket_evidence_store_get_object_path (self, sha256_hex);
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      g_warning ("Could not remove %s: %s", path, g_strerror (errno));
      gone = FALSE;
    }
  /* Written by the store as thumbnails/<hash>.png; never follow anything else. */
  if (thumbnail != NULL && g_str_has_prefix (thumbnail, "thumbnails/")
      && strstr (thumbnail, "..") == NULL)
    {
      g_autofree gchar *thumb
          = g_build_filename (docket_evidence_store_get_root (self), thumbnail, NULL);

      (void)g_unlink (thumb);
    }
  return gone;
}

gint
docket_evidence_store_finish_purges (DocketEvidenceStore *self, GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self);
  g_autoptr (GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) thumbs = g_ptr_array_new_with_free_func (g_free);
  gint removed = 0;

  {
    g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (db);
    g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
        db, "SELECT DISTINCT sha256, thumbnail FROM recordings WHERE state = 'deleted'", error);
    int rc;

    if (stmt == NULL)
      return -1;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        g_ptr_array_add (hashes, g_strdup ((const gchar *)sqlite3_column_text (stmt, 0)));
        g_ptr_array_add (thumbs, g_strdup ((const gchar *)sqlite3_column_text (stmt, 1)));
      }
    if (rc != SQLITE_DONE)
      {
        docket_database_set_error (db, error, _ ("Could not list purged recordings"));
        return -1;
      }
  }
  for (guint i = 0; i < hashes->len; i++)
    {
      g_autofree gchar *path
          = docket_evidence_store_get_object_path (self, g_ptr_array_index (hashes, i));

      if (g_file_test (path, G_FILE_TEST_EXISTS)
          && docket_evidence_store_discard_object (self, g_ptr_array_index (hashes, i),
                                                   g_ptr_array_index (thumbs, i)))
        removed++;
    }
  return removed;
}
