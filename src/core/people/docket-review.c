/* docket-review.c — the review object and its queues
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

/* Appends the quoted ids of @categories (only those a sergeant may see when
 * @visible_only) as an SQL list; never empty. */
static void
append_category_list (GString *sql, GPtrArray *categories, gboolean visible_only)
{
  gboolean first = TRUE;

  for (guint i = 0; i < categories->len; i++)
    {
      const DocketCategory *category = g_ptr_array_index (categories, i);
      char *quoted;

      if (visible_only && category->restricted && !category->sergeant_access)
        continue;
      quoted = sqlite3_mprintf ("%Q", category->id);
      g_string_append_printf (sql, "%s%s", first ? "" : ", ", quoted);
      sqlite3_free (quoted);
      first = FALSE;
    }
  if (first)
    g_string_append (sql, "NULL");
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
  GPtrArray *categories = docket_station_config_get_categories (self->config);

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
  else if (g_strcmp0 (queue, DOCKET_QUEUE_UNOWNED) == 0)
    g_string_append (where, " AND (r.officer IS NULL OR r.officer = '')");
  else
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("“%s” is not a review queue (overdue, review, deletion, sample, damaged, "
                      "unowned)"),
                   g_utf8_validate (queue, -1, NULL) ? queue : "?");
      return NULL;
    }

  /* Need-to-know, as the categories are defined now: a sergeant sees
   * untagged rows, their own, rows in categories that are unrestricted or
   * open to sergeants, and rows whose category is gone from the
   * configuration only when they were not restricted when tagged. */
  g_string_append (where, " AND (t.recording_id IS NULL OR r.officer = ?1"
                          " OR t.category IN (");
  append_category_list (where, categories, TRUE);
  g_string_append (where, ") OR (t.restricted = 0 AND t.category NOT IN (");
  append_category_list (where, categories, FALSE);
  g_string_append (where, ")))");

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
  g_autoptr (DocketDatabaseLocker) locker = NULL;
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

  if (!_docket_review_require_sergeant (person, error))
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

  locker = docket_database_locker_new (db);
  count = docket_database_prepare (db, count_sql, error);
  stmt = count != NULL ? docket_database_prepare (db, list_sql, error) : NULL;
  if (stmt == NULL)
    {
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

      docket_tags_refresh_restricted (self->config, item);

      if (deletion)
        {
          item->request_id = sqlite3_column_int64 (stmt, DOCKET_ITEM_N_COLUMNS);
          item->request_reason
              = g_strdup ((const gchar *)sqlite3_column_text (stmt, DOCKET_ITEM_N_COLUMNS + 1));
          item->requested_by
              = g_strdup ((const gchar *)sqlite3_column_text (stmt, DOCKET_ITEM_N_COLUMNS + 2));
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
  return rc == SQLITE_DONE ? g_steal_pointer (&items) : NULL;
}
