/* docket-retention-holds.c — legal holds: placed and released with a reason
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A recording or incident hold lists the recordings it covers when placed
 * (hold_recordings); a case hold covers whatever carries the case number at
 * purge time, so footage tagged with the case later is held too. Holds live
 * in the database, not in the policy: a policy change never lifts one.
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-retention-private.h"
#include "docket-tags.h"

void
docket_hold_free (DocketHold *hold)
{
  if (hold == NULL)
    return;
  g_free (hold->kind);
  g_free (hold->target);
  g_free (hold->reason);
  g_free (hold->placed_by);
  g_free (hold->released_by);
  g_free (hold->release_reason);
  g_free (hold);
}

GVariant *
docket_hold_to_variant (const DocketHold *hold)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_variant_builder_add (&builder, "{sv}", "id", g_variant_new_int64 (hold->id));
  g_variant_builder_add (&builder, "{sv}", "kind", g_variant_new_string (hold->kind));
  g_variant_builder_add (&builder, "{sv}", "target", g_variant_new_string (hold->target));
  g_variant_builder_add (&builder, "{sv}", "reason", g_variant_new_string (hold->reason));
  g_variant_builder_add (&builder, "{sv}", "placed-by", g_variant_new_string (hold->placed_by));
  g_variant_builder_add (&builder, "{sv}", "placed-usec", g_variant_new_int64 (hold->placed_usec));
  g_variant_builder_add (&builder, "{sv}", "recordings", g_variant_new_uint32 (hold->n_recordings));
  if (hold->released_by != NULL)
    {
      g_variant_builder_add (&builder, "{sv}", "released-by",
                             g_variant_new_string (hold->released_by));
      g_variant_builder_add (&builder, "{sv}", "release-reason",
                             g_variant_new_string (hold->release_reason));
      g_variant_builder_add (&builder, "{sv}", "released-usec",
                             g_variant_new_int64 (hold->released_usec));
    }
  return g_variant_builder_end (&builder);
}

static gboolean
require_reason (const gchar *reason, GError **error)
{
  g_autofree gchar *stripped = NULL;

  if (reason != NULL && g_utf8_validate (reason, -1, NULL))
    stripped = g_strstrip (g_strdup (reason));
  if (stripped == NULL || *stripped == '\0')
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("Give a reason"));
      return FALSE;
    }
  if (g_utf8_strlen (reason, -1) > 500)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("A reason is at most 500 characters"));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  gint64 id;
  gint64 start_usec;
} Start;

/* The recordings a recording or incident hold covers; NULL with an error
 * when @recording_id is not a stored recording. */
static GArray *
resolve_recordings (DocketRetention *self,
                    gint64 recording_id,
                    gboolean incident,
                    gchar **out_sha256,
                    GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (sqlite3_stmt) one = NULL;
  g_autoptr (sqlite3_stmt) near = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (Start));
  g_autofree gchar *officer = NULL;
  gint64 start = 0;
  guint self_index = 0;
  int rc;

  one = docket_database_prepare (db,
                                 "SELECT sha256, officer, COALESCE(start_usec, 0) FROM recordings"
                                 " WHERE id = ?1 AND state = 'verified'",
                                 error);
  if (one == NULL)
    return NULL;
  sqlite3_bind_int64 (one, 1, recording_id);
  if (sqlite3_step (one) != SQLITE_ROW)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                   _ ("There is no recording %" PRId64), recording_id);
      return NULL;
    }
  *out_sha256 = g_strdup ((const gchar *)sqlite3_column_text (one, 0));
  officer = g_strdup ((const gchar *)sqlite3_column_text (one, 1));
  start = sqlite3_column_int64 (one, 2);
  if (!incident || officer == NULL)
    {
      g_array_append_val (ids, recording_id);
      return g_steal_pointer (&ids);
    }

  /* The officer's recordings around it, then outwards while the gap between
   * starts stays within a minute, as the kiosk groups an incident. */
  near = docket_database_prepare (db,
                                  "SELECT id, start_usec FROM recordings WHERE officer = ?1"
                                  " AND state = 'verified' AND start_usec BETWEEN ?2 AND ?3"
                                  " ORDER BY start_usec, id",
                                  error);
  if (near == NULL)
    return NULL;
  sqlite3_bind_text (near, 1, officer, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (near, 2, start - (gint64)24 * 3600 * G_USEC_PER_SEC);
  sqlite3_bind_int64 (near, 3, start + (gint64)24 * 3600 * G_USEC_PER_SEC);
  while ((rc = sqlite3_step (near)) == SQLITE_ROW)
    {
      Start s = { sqlite3_column_int64 (near, 0), sqlite3_column_int64 (near, 1) };

      if (s.id == recording_id)
        self_index = starts->len;
      g_array_append_val (starts, s);
    }
  if (rc != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not read the incident"));
      return NULL;
    }
  {
    guint first = self_index, last = self_index;

    while (first > 0
           && g_array_index (starts, Start, first).start_usec
                      - g_array_index (starts, Start, first - 1).start_usec
                  <= DOCKET_INCIDENT_GAP_USEC)
      first--;
    while (last + 1 < starts->len
           && g_array_index (starts, Start, last + 1).start_usec
                      - g_array_index (starts, Start, last).start_usec
                  <= DOCKET_INCIDENT_GAP_USEC)
      last++;
    for (guint i = first; i <= last && i < starts->len; i++)
      g_array_append_val (ids, g_array_index (starts, Start, i).id);
  }
  if (ids->len == 0)
    g_array_append_val (ids, recording_id);
  return g_steal_pointer (&ids);
}

gint64
docket_retention_place_hold (DocketRetention *self,
                             const gchar *actor,
                             const gchar *kind,
                             const gchar *target,
                             const gchar *reason,
                             gint64 now_usec,
                             GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (GArray) ids = NULL;
  g_autoptr (sqlite3_stmt) insert = NULL;
  g_autoptr (sqlite3_stmt) cover = NULL;
  g_autofree gchar *sha256 = NULL;
  g_autofree gchar *subject = NULL;
  g_autofree gchar *canonical = NULL;
  gint64 hold_id = 0;
  gboolean is_case = g_strcmp0 (kind, DOCKET_HOLD_CASE) == 0;

  g_return_val_if_fail (DOCKET_IS_RETENTION (self), 0);

  if (!require_reason (reason, error))
    return 0;
  if (!is_case && g_strcmp0 (kind, DOCKET_HOLD_RECORDING) != 0
      && g_strcmp0 (kind, DOCKET_HOLD_INCIDENT) != 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("A hold is on a recording, an incident or a case"));
      return 0;
    }
  if (target == NULL || *target == '\0' || !g_utf8_validate (target, -1, NULL))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   is_case ? _ ("Give the case number") : _ ("Give the recording's number"));
      return 0;
    }
  /* A mistyped case number would hold nothing, silently. */
  if (is_case && !docket_station_config_check_case_number (self->config, target, error))
    return 0;

  locker = docket_database_locker_new (db);
  if (!is_case)
    {
      gint64 recording_id = 0;

      if (!g_ascii_string_to_signed (target, 10, 1, G_MAXINT64, &recording_id, NULL))
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                       _ ("“%s” is not a recording number"), target);
          return 0;
        }
      ids = resolve_recordings (self, recording_id, g_strcmp0 (kind, DOCKET_HOLD_INCIDENT) == 0,
                                &sha256, error);
      if (ids == NULL)
        return 0;
      canonical = g_strdup_printf ("%" PRId64, recording_id);
      subject = g_strdup_printf ("recording:%s", sha256);
    }
  else
    {
      canonical = g_strdup (target);
      subject = g_strdup_printf ("case:%s", target);
    }

  if (!docket_database_begin (db, error))
    return 0;
  insert = docket_database_prepare (db,
                                    "INSERT INTO holds (kind, target, reason, placed_by,"
                                    " placed_usec) VALUES (?1, ?2, ?3, ?4, ?5)",
                                    error);
  cover = docket_database_prepare (
      db, "INSERT OR IGNORE INTO hold_recordings (hold_id, recording_id) VALUES (?1, ?2)", error);
  if (insert == NULL || cover == NULL)
    goto fail;
  sqlite3_bind_text (insert, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, canonical, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, actor, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 5, now_usec);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not save the hold"));
      goto fail;
    }
  hold_id = sqlite3_last_insert_rowid (docket_database_get_handle (db));
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      sqlite3_reset (cover);
      sqlite3_bind_int64 (cover, 1, hold_id);
      sqlite3_bind_int64 (cover, 2, g_array_index (ids, gint64, i));
      if (sqlite3_step (cover) != SQLITE_DONE)
        {
          docket_database_set_error (db, error, _ ("Could not save the hold"));
          goto fail;
        }
    }
  if (docket_audit_log_append (
          docket_evidence_store_get_audit_log (self->store), actor, "hold-placed", subject, reason,
          g_variant_new_parsed ("{'hold': <%x>, 'kind': <%s>, 'target': <%s>,"
                                " 'recordings': <%u>}",
                                hold_id, kind, canonical, ids != NULL ? ids->len : 0u),
          error)
          < 0
      || !docket_database_commit (db, error))
    goto fail;
  return hold_id;

fail:
  docket_database_rollback (db);
  return 0;
}

gboolean
docket_retention_release_hold (DocketRetention *self,
                               const gchar *actor,
                               gint64 hold_id,
                               const gchar *reason,
                               gint64 now_usec,
                               GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (sqlite3_stmt) read = NULL;
  g_autoptr (sqlite3_stmt) update = NULL;
  g_autofree gchar *subject = NULL;
  g_autofree gchar *kind = NULL;
  g_autofree gchar *target = NULL;

  g_return_val_if_fail (DOCKET_IS_RETENTION (self), FALSE);

  if (!require_reason (reason, error))
    return FALSE;
  locker = docket_database_locker_new (db);
  read = docket_database_prepare (
      db,
      "SELECT h.kind, h.target, (SELECT r.sha256 FROM recordings r WHERE h.kind <> 'case'"
      " AND r.id = CAST(h.target AS INTEGER)) FROM holds h"
      " WHERE h.id = ?1 AND h.released_usec IS NULL",
      error);
  if (read == NULL)
    return FALSE;
  sqlite3_bind_int64 (read, 1, hold_id);
  if (sqlite3_step (read) != SQLITE_ROW)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                   _ ("There is no hold %" PRId64 " in force"), hold_id);
      return FALSE;
    }
  kind = g_strdup ((const gchar *)sqlite3_column_text (read, 0));
  target = g_strdup ((const gchar *)sqlite3_column_text (read, 1));
  /* The same subject as the row that placed it (a purged recording's hash
   * is still in the recordings table). */
  if (g_strcmp0 (kind, DOCKET_HOLD_CASE) == 0)
    subject = g_strdup_printf ("case:%s", target);
  else if (sqlite3_column_text (read, 2) != NULL)
    subject = g_strdup_printf ("recording:%s", (const gchar *)sqlite3_column_text (read, 2));
  else
    subject = g_strdup_printf ("hold:%" PRId64, hold_id);

  if (!docket_database_begin (db, error))
    return FALSE;
  update = docket_database_prepare (db,
                                    "UPDATE holds SET released_by = ?2, release_reason = ?3,"
                                    " released_usec = ?4 WHERE id = ?1 AND released_usec IS NULL",
                                    error);
  if (update == NULL)
    goto fail;
  sqlite3_bind_int64 (update, 1, hold_id);
  sqlite3_bind_text (update, 2, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 3, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (update, 4, now_usec);
  if (sqlite3_step (update) != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not release the hold"));
      goto fail;
    }
  if (docket_audit_log_append (docket_evidence_store_get_audit_log (self->store), actor,
                               "hold-released", subject, reason,
                               g_variant_new_parsed ("{'hold': <%x>, 'kind': <%s>, 'target': <%s>}",
                                                     hold_id, kind, target),
                               error)
          < 0
      || !docket_database_commit (db, error))
    goto fail;
  return TRUE;

fail:
  docket_database_rollback (db);
  return FALSE;
}

GPtrArray *
docket_retention_list_holds (DocketRetention *self, gboolean include_released, GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (db);
  g_autoptr (GPtrArray) holds = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_hold_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_RETENTION (self), NULL);

  stmt = docket_database_prepare (
      db,
      include_released ? "SELECT id, kind, target, reason, placed_by, placed_usec, released_by,"
                         " release_reason, COALESCE(released_usec, 0),"
                         " (SELECT COUNT(*) FROM hold_recordings WHERE hold_id = holds.id)"
                         " FROM holds ORDER BY id DESC"
                       : "SELECT id, kind, target, reason, placed_by, placed_usec, released_by,"
                         " release_reason, COALESCE(released_usec, 0),"
                         " (SELECT COUNT(*) FROM hold_recordings WHERE hold_id = holds.id)"
                         " FROM holds WHERE released_usec IS NULL ORDER BY id DESC",
      error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DocketHold *hold = g_new0 (DocketHold, 1);

      hold->id = sqlite3_column_int64 (stmt, 0);
      hold->kind = g_strdup ((const gchar *)sqlite3_column_text (stmt, 1));
      hold->target = g_strdup ((const gchar *)sqlite3_column_text (stmt, 2));
      hold->reason = g_strdup ((const gchar *)sqlite3_column_text (stmt, 3));
      hold->placed_by = g_strdup ((const gchar *)sqlite3_column_text (stmt, 4));
      hold->placed_usec = sqlite3_column_int64 (stmt, 5);
      hold->released_by = g_strdup ((const gchar *)sqlite3_column_text (stmt, 6));
      hold->release_reason = g_strdup ((const gchar *)sqlite3_column_text (stmt, 7));
      hold->released_usec = sqlite3_column_int64 (stmt, 8);
      hold->n_recordings = (guint)sqlite3_column_int64 (stmt, 9);
      g_ptr_array_add (holds, hold);
    }
  if (rc != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not list holds"));
      return NULL;
    }
  return g_steal_pointer (&holds);
}
