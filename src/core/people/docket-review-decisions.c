/* docket-review-decisions.c — a sergeant approves, returns or corrects a tag
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

gboolean
_docket_review_require_sergeant (const DocketPerson *person, GError **error)
{
  if (person->role != DOCKET_ROLE_SERGEANT)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION, _ ("Only sergeants review"));
      return FALSE;
    }
  return TRUE;
}

gboolean
_docket_review_require_reason (const gchar *reason, GError **error)
{
  if (reason == NULL || *reason == '\0' || !g_utf8_validate (reason, -1, NULL)
      || g_utf8_strlen (reason, -1) > 500)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("Give a reason (at most 500 characters)"));
      return FALSE;
    }
  return TRUE;
}

gboolean
_docket_review_audit (DocketReview *self,
                      const DocketPerson *person,
                      const gchar *action,
                      gint64 id,
                      const gchar *reason,
                      GVariant *details,
                      GError **error)
{
  g_autofree gchar *actor
      = person != NULL ? docket_person_dup_actor (person) : g_strdup ("docketd");
  g_autofree gchar *subject = g_strdup_printf ("recording:%" G_GINT64_FORMAT, id);

  return docket_audit_log_append (docket_evidence_store_get_audit_log (self->store), actor, action,
                                  subject, reason != NULL ? reason : "", details, error)
         >= 0;
}

/* The item, if a sergeant other than its officer may act on it. */
DocketRecordingItem *
_docket_review_get_reviewable (DocketReview *self,
                               const DocketPerson *person,
                               gint64 id,
                               GError **error)
{
  g_autoptr (DocketRecordingItem) item = NULL;

  if (!_docket_review_require_sergeant (person, error))
    return NULL;
  item = docket_tags_get_item (self->tags, person, id, error);
  if (item == NULL)
    return NULL;
  if (g_strcmp0 (item->officer, person->badge) == 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION,
                   _ ("Another sergeant must review your own recording"));
      return NULL;
    }
  return g_steal_pointer (&item);
}

/* Runs @sql (one statement) binding ?1 = @id, ?2.. = @texts, in the
 * caller's transaction; fails unless it changed exactly one row. */
gboolean
_docket_review_update_one (DocketDatabase *db,
                           const gchar *sql,
                           gint64 id,
                           const gchar *const *texts,
                           gint64 number,
                           GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (db, sql, error);
  int n = 2;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  for (; texts != NULL && texts[n - 2] != NULL; n++)
    sqlite3_bind_text (stmt, n, texts[n - 2], -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_count (stmt) >= n)
    sqlite3_bind_int64 (stmt, n, number);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not save a review"));
      return FALSE;
    }
  if (sqlite3_changes (docket_database_get_handle (db)) != 1)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("This has changed meanwhile; refresh and try again"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_review (DocketReview *self,
            const DocketPerson *person,
            gint64 id,
            const gchar *state,
            const gchar *action,
            const gchar *reason,
            GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (DocketRecordingItem) item = _docket_review_get_reviewable (self, person, id, error);

  if (item == NULL)
    return FALSE;
  if (item->category == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("Recording %" PRId64 " is not tagged yet; correct it instead"), id);
      return FALSE;
    }
  if (!docket_database_begin (db, error))
    return FALSE;
  if (!_docket_review_update_one (
          db,
          "UPDATE tags SET review_state = ?2, reviewed_by = ?3, review_reason = ?4,"
          " reviewed_usec = ?5 WHERE recording_id = ?1",
          id, (const gchar *const[]){ state, person->badge, reason != NULL ? reason : "", NULL },
          g_get_real_time (), error)
      || !_docket_review_audit (self, person, action, id, reason,
                                g_variant_new_parsed ("{'category': <%s>, 'was': <%s>}",
                                                      item->category, item->review_state),
                                error))
    {
      docket_database_rollback (db);
      return FALSE;
    }
  return docket_database_commit (db, error);
}

gboolean
docket_review_approve (
    DocketReview *self, const DocketPerson *person, gint64 id, const gchar *reason, GError **error)
{
  if (reason != NULL && !g_utf8_validate (reason, -1, NULL))
    reason = NULL;
  return set_review (self, person, id, DOCKET_REVIEW_APPROVED, "review-approved", reason, error);
}

gboolean
docket_review_return (
    DocketReview *self, const DocketPerson *person, gint64 id, const gchar *reason, GError **error)
{
  if (!_docket_review_require_reason (reason, error))
    return FALSE;
  return set_review (self, person, id, DOCKET_REVIEW_RETURNED, "review-returned", reason, error);
}

gboolean
docket_review_correct (DocketReview *self,
                       const DocketPerson *person,
                       gint64 id,
                       const gchar *category_id,
                       const gchar *case_number,
                       const gchar *note,
                       const gchar *reason,
                       GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (DocketRecordingItem) item = NULL;
  const DocketCategory *category;
  gint64 now = g_get_real_time ();
  g_autofree gchar *restricted = NULL;

  if (!_docket_review_require_reason (reason, error))
    return FALSE;
  category = docket_tags_check_tag (self->config, category_id, case_number, note, error);
  if (category == NULL)
    return FALSE;
  item = _docket_review_get_reviewable (self, person, id, error);
  if (item == NULL)
    return FALSE;

  restricted = g_strdup (category->restricted ? "1" : "0");
  if (!docket_database_begin (db, error))
    return FALSE;
  if (!_docket_review_update_one (
          db,
          "INSERT OR REPLACE INTO tags (recording_id, category, case_number, note,"
          " restricted, tagged_by, review_state, reviewed_by, review_reason,"
          " tagged_usec, reviewed_usec) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'approved', ?6,"
          " ?7, ?8, ?8)",
          id,
          (const gchar *const[]){ category->id, case_number != NULL ? case_number : "",
                                  note != NULL ? note : "", restricted, person->badge, reason,
                                  NULL },
          now, error)
      || !_docket_review_audit (
          self, person, "recording-corrected", id, reason,
          g_variant_new_parsed ("{'category': <%s>, 'was': <%s>, 'case-number': <%s>}",
                                category->id, item->category != NULL ? item->category : "",
                                case_number != NULL ? case_number : ""),
          error))
    {
      docket_database_rollback (db);
      return FALSE;
    }
  return docket_database_commit (db, error);
}

gboolean
docket_review_assign_owner (DocketReview *self,
                            const DocketPerson *person,
                            gint64 id,
                            const gchar *badge,
                            const gchar *reason,
                            gchar **out_name,
                            GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (DocketRecordingItem) item = NULL;
  g_autoptr (sqlite3_stmt) owner = NULL;
  g_autofree gchar *name = NULL;

  if (!_docket_review_require_sergeant (person, error)
      || !_docket_review_require_reason (reason, error))
    return FALSE;
  if (badge == NULL || *badge == '\0' || !g_utf8_validate (badge, -1, NULL))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("Say whose recording it is"));
      return FALSE;
    }
  item = docket_tags_get_item (self->tags, person, id, error);
  if (item == NULL)
    return FALSE;
  if (item->officer != NULL && *item->officer != '\0')
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("Recording %" PRId64 " belongs to badge %s already"), id, item->officer);
      return FALSE;
    }

  if (!docket_database_begin (db, error))
    return FALSE;
  owner = docket_database_prepare (
      db, "SELECT name FROM officers WHERE badge = ?1 AND role IN ('officer', 'sergeant')", error);
  if (owner == NULL)
    {
      docket_database_rollback (db);
      return FALSE;
    }
  sqlite3_bind_text (owner, 1, badge, -1, SQLITE_STATIC);
  if (sqlite3_step (owner) == SQLITE_ROW)
    name = g_strdup ((const gchar *)sqlite3_column_text (owner, 0));
  if (name == NULL)
    {
      docket_database_rollback (db);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                   _ ("No officer or sergeant has badge %s"), badge);
      return FALSE;
    }
  if (!_docket_review_update_one (
          db,
          "UPDATE recordings SET officer = ?2 WHERE id = ?1 AND (officer IS NULL OR officer = '')",
          id, (const gchar *const[]){ badge, NULL }, 0, error)
      || !_docket_review_audit (self, person, "recording-assigned", id, reason,
                                g_variant_new_parsed ("{'officer': <%s>}", badge), error))
    {
      docket_database_rollback (db);
      return FALSE;
    }
  if (!docket_database_commit (db, error))
    return FALSE;
  if (out_name != NULL)
    *out_name = g_steal_pointer (&name);
  return TRUE;
}
