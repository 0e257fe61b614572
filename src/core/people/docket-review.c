/* docket-review.c
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
#include "docket-review.h"

struct _DocketReview
{
  GObject parent_instance;

  DocketEvidenceStore *store;
  DocketStationConfig *config;
  DocketTags *tags;
};

G_DEFINE_FINAL_TYPE (DocketReview, docket_review, G_TYPE_OBJECT)

static void
docket_review_finalize (GObject *object)
{
  DocketReview *self = DOCKET_REVIEW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->config);
  g_clear_object (&self->tags);
  G_OBJECT_CLASS (docket_review_parent_class)->finalize (object);
}

static void
docket_review_class_init (DocketReviewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_review_finalize;
}

static void
docket_review_init (DocketReview *self)
{
}

DocketReview *
docket_review_new (DocketEvidenceStore *store, DocketStationConfig *config)
{
  DocketReview *self = g_object_new (DOCKET_TYPE_REVIEW, NULL);

  self->store = g_object_ref (store);
  self->config = g_object_ref (config);
  self->tags = docket_tags_new (store, config);
  return self;
}

gboolean
docket_review_filter_parse (GVariant *filters, DocketReviewFilter *out_filter, GError **error)
{
  GVariantIter iter;
  const gchar *key;
  GVariant *value;

  memset (out_filter, 0, sizeof *out_filter);
  if (filters == NULL)
    return TRUE;
  g_variant_iter_init (&iter, filters);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr (GVariant) owned = value;

      if (g_str_equal (key, "officer") && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        out_filter->officer = g_variant_get_string (value, NULL);
      else if (g_str_equal (key, "category") && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        out_filter->category = g_variant_get_string (value, NULL);
      else if (g_str_equal (key, "from-usec") && g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
        out_filter->from_usec = g_variant_get_int64 (value);
      else if (g_str_equal (key, "to-usec") && g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
        out_filter->to_usec = g_variant_get_int64 (value);
      else
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                       _ ("Unknown filter “%s” (officer, category, from-usec, to-usec)"), key);
          return FALSE;
        }
    }
  if (out_filter->officer != NULL && *out_filter->officer == '\0')
    out_filter->officer = NULL;
  if (out_filter->category != NULL && *out_filter->category == '\0')
    out_filter->category = NULL;
  return TRUE;
}

static gboolean
require_sergeant (const DocketPerson *person, GError **error)
{
  if (person->role != DOCKET_ROLE_SERGEANT)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION, _ ("Only sergeants review"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
require_reason (const gchar *reason, GError **error)
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

/* The WHERE clause of @queue, with need-to-know for @person. Parameters:
 * ?1 sergeant badge, ?2 deadline cutoff, ?3 officer, ?4 category, ?5 from,
 * ?6 to. */
static gchar *
build_where (DocketReview *self,
             const gchar *queue,
             const DocketReviewFilter *filter,
             GError **error)
{
  g_autoptr (GString) where = g_string_new (" WHERE" DOCKET_ITEM_LIVE);
  g_auto (GStrv) open_restricted
      = docket_station_config_dup_category_ids (self->config, TRUE, FALSE);

  if (g_strcmp0 (queue, DOCKET_QUEUE_OVERDUE) == 0)
    g_string_append (where, " AND (t.recording_id IS NULL OR t.review_state = 'returned')"
                            " AND r.committed_usec < ?2");
  else if (g_strcmp0 (queue, DOCKET_QUEUE_REVIEW) == 0)
    g_string_append (where, " AND t.review_state = 'pending'");
  else if (g_strcmp0 (queue, DOCKET_QUEUE_SAMPLE) == 0)
    g_string_append (where, " AND t.review_state = 'sample'");
  else if (g_strcmp0 (queue, DOCKET_QUEUE_DELETION) == 0)
    g_string_append (where, " AND d.state = 'pending'");
  else if (g_strcmp0 (queue, DOCKET_QUEUE_DAMAGED) == 0)
    g_string_append (where, " AND r.condition IS NOT NULL");
  else
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("“%s” is not a review queue (overdue, review, deletion, sample, damaged)"),
                   g_utf8_validate (queue, -1, NULL) ? queue : "?");
      return NULL;
    }

  /* Need-to-know: restricted rows only in categories open to sergeants. */
  g_string_append (where, " AND (t.recording_id IS NULL OR t.restricted = 0 OR r.officer = ?1");
  if (open_restricted[0] != NULL)
    {
      g_string_append (where, " OR t.category IN (");
      for (gsize i = 0; open_restricted[i] != NULL; i++)
        {
          char *quoted = sqlite3_mprintf ("%Q", open_restricted[i]);

          g_string_append_printf (where, "%s%s", i > 0 ? ", " : "", quoted);
          sqlite3_free (quoted);
        }
      g_string_append (where, ")");
    }
  g_string_append (where, ")");

  if (filter->officer != NULL)
    g_string_append (where, " AND r.officer = ?3");
  if (filter->category != NULL)
    g_string_append (where, " AND t.category = ?4");
  if (filter->from_usec != 0)
    g_string_append (where, " AND r.start_usec >= ?5");
  if (filter->to_usec != 0)
    g_string_append (where, " AND r.start_usec < ?6");
  return g_string_free (g_steal_pointer (&where), FALSE);
}

static void
bind_where (sqlite3_stmt *stmt,
            const DocketPerson *person,
            const DocketReviewFilter *filter,
            gint64 cutoff)
{
  sqlite3_bind_text (stmt, 1, person->badge, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, cutoff);
  sqlite3_bind_text (stmt, 3, filter->officer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, filter->category, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, filter->from_usec);
  sqlite3_bind_int64 (stmt, 6, filter->to_usec);
}

GPtrArray *
docket_review_queue (DocketReview *self,
                     const DocketPerson *person,
                     const gchar *queue,
                     const DocketReviewFilter *filter,
                     guint offset,
                     guint limit,
                     gint64 now_usec,
                     guint *out_total,
                     GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (GPtrArray) items
      = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_recording_item_free);
  gint64 span = docket_tags_get_deadline_span (self->tags);
  gboolean deletion = g_strcmp0 (queue, DOCKET_QUEUE_DELETION) == 0;
  gboolean tagged
      = g_strcmp0 (queue, DOCKET_QUEUE_REVIEW) == 0 || g_strcmp0 (queue, DOCKET_QUEUE_SAMPLE) == 0;
  const gchar *from = DOCKET_ITEM_FROM;
  const gchar *count_from = DOCKET_ITEM_FROM_COUNT;
  DocketReviewFilter no_filter = { 0 };
  g_autofree gchar *where = NULL;
  g_autofree gchar *count_sql = NULL;
  g_autofree gchar *list_sql = NULL;
  g_autoptr (sqlite3_stmt) count = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_REVIEW (self), NULL);

  if (!require_sergeant (person, error))
    return NULL;
  if (filter == NULL)
    filter = &no_filter;
  where = build_where (self, queue, filter, error);
  if (where == NULL)
    return NULL;
  /* Small queues start from their own index (CROSS JOIN fixes the order);
   * the overdue one needs every recording, untagged ones included. */
  if (deletion)
    {
      from = " FROM deletion_requests d CROSS JOIN recordings r ON r.id = d.recording_id"
             " JOIN cameras c ON c.id = r.camera_id LEFT JOIN tags t ON t.recording_id = r.id";
      count_from = " FROM deletion_requests d CROSS JOIN recordings r ON r.id = d.recording_id"
                   " LEFT JOIN tags t ON t.recording_id = r.id";
    }
  else if (tagged)
    {
      from = " FROM tags t CROSS JOIN recordings r ON r.id = t.recording_id"
             " JOIN cameras c ON c.id = r.camera_id";
      count_from = " FROM tags t CROSS JOIN recordings r ON r.id = t.recording_id";
    }
  count_sql = g_strconcat ("SELECT COUNT(*)", count_from, where, NULL);
  list_sql = g_strconcat ("SELECT " DOCKET_ITEM_COLUMNS,
                          deletion ? ", d.id, d.reason,"
                                     " d.requested_by"
                                   : "",
                          from, where, " ORDER BY r.start_usec DESC, r.id DESC LIMIT ?7 OFFSET ?8",
                          NULL);

  docket_database_lock (db);
  count = docket_database_prepare (db, count_sql, error);
  stmt = count != NULL ? docket_database_prepare (db, list_sql, error) : NULL;
  if (stmt == NULL)
    {
      docket_database_unlock (db);
      return NULL;
    }
  bind_where (count, person, filter, now_usec - span);
  bind_where (stmt, person, filter, now_usec - span);
  sqlite3_bind_int64 (stmt, 7, limit > 0 ? (gint64)limit : -1);
  sqlite3_bind_int64 (stmt, 8, offset);
  rc = sqlite3_step (count);
  if (rc == SQLITE_ROW && out_total != NULL)
    *out_total = (guint)sqlite3_column_int64 (count, 0);
  while (rc == SQLITE_ROW && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DocketRecordingItem *item = docket_recording_item_from_row (stmt, span);

      if (deletion)
        {
          item->request_id = sqlite3_column_int64 (stmt, 16);
          item->request_reason = g_strdup ((const gchar *)sqlite3_column_text (stmt, 17));
          item->requested_by = g_strdup ((const gchar *)sqlite3_column_text (stmt, 18));
        }
      /* The query enforces need-to-know; this is the belt to its braces. */
      if (!docket_tags_can_view (self->config, person, item))
        {
          g_warning ("Review query returned recording %" G_GINT64_FORMAT " the sergeant may"
                     " not see; dropped",
                     item->id);
          docket_recording_item_free (item);
          continue;
        }
      g_ptr_array_add (items, item);
    }
  if (rc != SQLITE_DONE)
    docket_database_set_error (db, error, _ ("Could not read a review queue"));
  docket_database_unlock (db);
  return rc == SQLITE_DONE ? g_steal_pointer (&items) : NULL;
}

static gboolean
audit (DocketReview *self,
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
static DocketRecordingItem *
get_reviewable (DocketReview *self, const DocketPerson *person, gint64 id, GError **error)
{
  g_autoptr (DocketRecordingItem) item = NULL;

  if (!require_sergeant (person, error))
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
static gboolean
update_one (DocketDatabase *db,
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
  g_autoptr (DocketRecordingItem) item = get_reviewable (self, person, id, error);

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
  if (!update_one (
          db,
          "UPDATE tags SET review_state = ?2, reviewed_by = ?3, review_reason = ?4,"
          " reviewed_usec = ?5 WHERE recording_id = ?1",
          id, (const gchar *const[]){ state, person->badge, reason != NULL ? reason : "", NULL },
          g_get_real_time (), error)
      || !audit (self, person, action, id, reason,
                 g_variant_new_parsed ("{'category': <%s>, 'was': <%s>}", item->category,
                                       item->review_state),
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
  if (!require_reason (reason, error))
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

  if (!require_reason (reason, error))
    return FALSE;
  category = docket_tags_check_tag (self->config, category_id, case_number, note, error);
  if (category == NULL)
    return FALSE;
  item = get_reviewable (self, person, id, error);
  if (item == NULL)
    return FALSE;

  restricted = g_strdup (category->restricted ? "1" : "0");
  if (!docket_database_begin (db, error))
    return FALSE;
  if (!update_one (db,
                   "INSERT OR REPLACE INTO tags (recording_id, category, case_number, note,"
                   " restricted, tagged_by, review_state, reviewed_by, review_reason,"
                   " tagged_usec, reviewed_usec) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'approved', ?6,"
                   " ?7, ?8, ?8)",
                   id,
                   (const gchar *const[]){ category->id, case_number != NULL ? case_number : "",
                                           note != NULL ? note : "", restricted, person->badge,
                                           reason, NULL },
                   now, error)
      || !audit (self, person, "recording-corrected", id, reason,
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

gint64
docket_review_request_deletion (
    DocketReview *self, const DocketPerson *person, gint64 id, const gchar *reason, GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (DocketRecordingItem) item = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 request_id = 0;

  if (!require_reason (reason, error))
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
      || !audit (self, person, "deletion-requested", id, reason,
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
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc = SQLITE_ERROR;

  docket_database_lock (db);
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
  docket_database_unlock (db);
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

  if (!require_sergeant (person, error) || !require_reason (reason, error)
      || !read_request (self, request_id, &recording, &state, &purge_after, error))
    return FALSE;
  item = get_reviewable (self, person, recording, error);
  if (item == NULL)
    return FALSE;
  if (!docket_database_begin (db, error))
    return FALSE;
  if (!update_one (
          db,
          "UPDATE deletion_requests SET state = ?2, decided_by = ?3,"
          " decision_reason = ?4, decided_usec = ?5"
          " WHERE id = ?1 AND state = 'pending'",
          request_id,
          (const gchar *const[]){ approve ? "approved" : "refused", person->badge, reason, NULL },
          now_usec, error)
      || (approve
          && !update_one (db,
                          "UPDATE deletion_requests SET purge_after_usec = decided_usec + ?2"
                          " WHERE id = ?1",
                          request_id, NULL, grace, error))
      || !audit (self, person, approve ? "deletion-approved" : "deletion-refused", recording,
                 reason,
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

  if (!require_sergeant (person, error) || !require_reason (reason, error)
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
  if (!update_one (db,
                   "UPDATE deletion_requests SET state = 'reverted', decided_by = ?2,"
                   " decision_reason = ?3 WHERE id = ?1 AND state = 'approved'",
                   request_id, (const gchar *const[]){ person->badge, reason, NULL }, 0, error)
      || !audit (self, person, "deletion-reverted", recording, reason,
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
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (GPtrArray) due = g_ptr_array_new_with_free_func ((GDestroyNotify)due_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc = SQLITE_ERROR;

  docket_database_lock (db);
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
  docket_database_unlock (db);
  return rc == SQLITE_DONE ? g_steal_pointer (&due) : NULL;
}

static gboolean
object_still_used (DocketReview *self, const gchar *sha256)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean used = TRUE; /* when in doubt, keep the file */

  docket_database_lock (db);
  stmt = docket_database_prepare (
      db, "SELECT 1 FROM recordings WHERE sha256 = ? AND state = 'verified' LIMIT 1", NULL);
  if (stmt != NULL)
    {
      int rc;

      sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      used = rc != SQLITE_DONE;
    }
  docket_database_unlock (db);
  return used;
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
      g_autofree gchar *path = NULL;

      /* The row changes first: a crash before the unlink leaves an orphan
       * file, never a row pointing at nothing. */
      if (!docket_database_begin (db, error))
        return -1;
      if (!update_one (db, "UPDATE recordings SET state = 'deleted' WHERE id = ?1", d->recording_id,
                       NULL, 0, error)
          || !update_one (db, "UPDATE deletion_requests SET state = 'purged' WHERE id = ?1",
                          d->request_id, NULL, 0, error)
          || !audit (
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
      if (!object_still_used (self, d->sha256))
        {
          path = docket_evidence_store_get_object_path (self->store, d->sha256);
          if (g_unlink (path) != 0 && errno != ENOENT)
            g_warning ("Could not remove %s: %s", path, g_strerror (errno));
          if (d->thumbnail != NULL)
            {
              g_autofree gchar *thumb = g_build_filename (
                  docket_evidence_store_get_root (self->store), d->thumbnail, NULL);
              (void)g_unlink (thumb);
            }
        }
      purged++;
    }
  return purged;
}
