/* docket-retention.c — keep-until, the purge pass and the storage forecast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Legal holds are in docket-retention-holds.c.
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-retention-private.h"
#include "docket-upstream-confirmed.h"

#define DAY_USEC ((gint64)24 * 3600 * G_USEC_PER_SEC)
/* Rows marked purged per transaction: one commit (and fsync) per batch, not
 * per recording; the files of a batch go only after it is committed. */
#define PURGE_BATCH 256

G_DEFINE_FINAL_TYPE (DocketRetention, docket_retention, G_TYPE_OBJECT)

const gchar *
docket_keep_reason_to_string (DocketKeepReason reason)
{
  switch (reason)
    {
      case DOCKET_KEEP_DUE:
        return "due";
      case DOCKET_KEEP_RETENTION:
        return "retention";
      case DOCKET_KEEP_HELD:
        return "held";
      case DOCKET_KEEP_DELETION_PENDING:
        return "deletion-pending";
      case DOCKET_KEEP_CONDITION:
        return "condition";
      case DOCKET_KEEP_UNDER_REVIEW:
        return "under-review";
      case DOCKET_KEEP_UNKNOWN_CATEGORY:
        return "unknown-category";
      case DOCKET_KEEP_NOT_UPSTREAM:
        return "not-upstream";
      default:
        return "?";
    }
}

void
docket_retention_item_free (DocketRetentionItem *item)
{
  if (item == NULL)
    return;
  g_free (item->sha256);
  g_free (item->thumbnail);
  g_free (item->officer);
  g_free (item->category);
  g_free (item->rule);
  g_free (item);
}

static void
category_stats_free (DocketRetentionCategory *stats)
{
  g_free (stats->category);
  g_free (stats);
}

void
docket_retention_plan_free (DocketRetentionPlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->due);
  g_ptr_array_unref (plan->categories);
  g_free (plan);
}

static GVariant *
item_to_variant (const DocketRetentionItem *item)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_variant_builder_add (&builder, "{sv}", "id", g_variant_new_int64 (item->id));
  g_variant_builder_add (&builder, "{sv}", "sha256", g_variant_new_string (item->sha256));
  g_variant_builder_add (&builder, "{sv}", "officer",
                         g_variant_new_string (item->officer != NULL ? item->officer : ""));
  g_variant_builder_add (&builder, "{sv}", "start-usec", g_variant_new_int64 (item->start_usec));
  g_variant_builder_add (&builder, "{sv}", "size", g_variant_new_uint64 (item->size));
  g_variant_builder_add (&builder, "{sv}", "category", g_variant_new_string (item->category));
  g_variant_builder_add (&builder, "{sv}", "rule", g_variant_new_string (item->rule));
  g_variant_builder_add (&builder, "{sv}", "keep-until-usec",
                         g_variant_new_int64 (item->keep_until_usec));
  g_variant_builder_add (&builder, "{sv}", "keep",
                         g_variant_new_string (docket_keep_reason_to_string (item->keep)));
  return g_variant_builder_end (&builder);
}

GVariant *
docket_retention_plan_to_variant (const DocketRetentionPlan *plan, guint max_due)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_auto (GVariantBuilder) due = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));
  g_auto (GVariantBuilder) kept = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{su}"));
  g_auto (GVariantBuilder) categories = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));
  g_auto (GVariantBuilder) schedule = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));

  for (guint i = 0; i < plan->due->len && i < max_due; i++)
    g_variant_builder_add_value (&due, item_to_variant (g_ptr_array_index (plan->due, i)));
  for (guint i = DOCKET_KEEP_HELD; i <= DOCKET_KEEP_UNKNOWN_CATEGORY; i++)
    g_variant_builder_add (&kept, "{su}", docket_keep_reason_to_string (i), plan->kept[i]);
  for (guint i = 0; i < plan->categories->len; i++)
    {
      DocketRetentionCategory *c = g_ptr_array_index (plan->categories, i);

      g_variant_builder_add_value (
          &categories,
          g_variant_new_parsed ("{'category': <%s>, 'retention-days': <%u>, 'recordings': <%u>,"
                                " 'bytes': <%t>}",
                                c->category, c->retention_days, c->recordings, c->bytes));
    }
  for (guint i = 0; i < DOCKET_RETENTION_SCHEDULE_PERIODS; i++)
    {
      gint64 from = plan->now_usec + (gint64)i * DOCKET_RETENTION_SCHEDULE_DAYS * DAY_USEC;

      g_variant_builder_add_value (
          &schedule,
          g_variant_new_parsed ("{'from-usec': <%x>, 'to-usec': <%x>, 'recordings': <%u>,"
                                " 'bytes': <%t>}",
                                from, from + DOCKET_RETENTION_SCHEDULE_DAYS * DAY_USEC,
                                plan->schedule_recordings[i], plan->schedule_bytes[i]));
    }
#define ADD(key, v) g_variant_builder_add (&builder, "{sv}", key, v)
  ADD ("schedule", g_variant_builder_end (&schedule));
  ADD ("now-usec", g_variant_new_int64 (plan->now_usec));
  ADD ("recordings", g_variant_new_uint32 (plan->n_recordings));
  ADD ("bytes", g_variant_new_uint64 (plan->bytes));
  ADD ("due", g_variant_builder_end (&due));
  ADD ("due-count", g_variant_new_uint32 (plan->due->len));
  ADD ("due-bytes", g_variant_new_uint64 (plan->due_bytes));
  ADD ("held", g_variant_new_uint32 (plan->held));
  ADD ("kept", g_variant_builder_end (&kept));
  ADD ("categories", g_variant_builder_end (&categories));
  ADD ("due-7-days", g_variant_new_uint32 (plan->due_7_days));
  ADD ("due-7-days-bytes", g_variant_new_uint64 (plan->due_7_days_bytes));
  ADD ("due-30-days", g_variant_new_uint32 (plan->due_30_days));
  ADD ("due-30-days-bytes", g_variant_new_uint64 (plan->due_30_days_bytes));
  ADD ("next-purge-usec", g_variant_new_int64 (plan->next_purge_usec));
  ADD ("intake-bytes-per-day", g_variant_new_uint64 (plan->intake_bytes_per_day));
  ADD ("free-bytes", g_variant_new_uint64 (plan->free_bytes));
  ADD ("total-bytes", g_variant_new_uint64 (plan->total_bytes));
  ADD ("full-usec", g_variant_new_int64 (plan->full_usec));
  ADD ("full-before-purge", g_variant_new_boolean (plan->full_before_purge));
  ADD ("purged", g_variant_new_uint32 (plan->purged));
  ADD ("purged-bytes", g_variant_new_uint64 (plan->purged_bytes));
  ADD ("elapsed-usec", g_variant_new_int64 (plan->elapsed_usec));
#undef ADD
  return g_variant_builder_end (&builder);
}

static void
docket_retention_finalize (GObject *object)
{
  DocketRetention *self = DOCKET_RETENTION (object);

  g_clear_object (&self->store);
  g_clear_object (&self->config);
  G_OBJECT_CLASS (docket_retention_parent_class)->finalize (object);
}

static void
docket_retention_class_init (DocketRetentionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_retention_finalize;
}

static void
docket_retention_init (DocketRetention *self)
{
}

DocketRetention *
docket_retention_new (DocketEvidenceStore *store, DocketStationConfig *config)
{
  DocketRetention *self = g_object_new (DOCKET_TYPE_RETENTION, NULL);

  self->store = g_object_ref (store);
  self->config = g_object_ref (config);
  return self;
}

DocketStationConfig *
docket_retention_get_config (DocketRetention *self)
{
  g_return_val_if_fail (DOCKET_IS_RETENTION (self), NULL);
  return self->config;
}

void
docket_retention_set_commit_hook (DocketRetention *self,
                                  DocketRetentionHook hook,
                                  gpointer user_data)
{
  self->hook = hook;
  self->hook_data = user_data;
}

/* Runs @sql (one int64 column, optional ?1 = @id) and adds each value to
 * @set. */
static gboolean
collect_ids (DocketDatabase *db, const gchar *sql, gint64 id, GHashTable *set, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (id != 0)
    sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 *value = g_new (gint64, 1);

      *value = sqlite3_column_int64 (stmt, 0);
      g_hash_table_add (set, value);
    }
  if (rc != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not read what retention must keep"));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GHashTable *held;
  GHashTable *deletion;
  GHashTable *condition;
  GHashTable *review;
  GHashTable *upstream; /* not yet confirmed upstream, while upstream is configured */
} Blockers;

static void
blockers_clear (Blockers *b)
{
  g_clear_pointer (&b->held, g_hash_table_unref);
  g_clear_pointer (&b->deletion, g_hash_table_unref);
  g_clear_pointer (&b->condition, g_hash_table_unref);
  g_clear_pointer (&b->review, g_hash_table_unref);
  g_clear_pointer (&b->upstream, g_hash_table_unref);
}

/* With the database locked. @id: only that recording (0: all). */
static gboolean
read_blockers (DocketRetention *self, gint64 id, Blockers *b, GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (sqlite3_stmt) review = NULL;
  const gchar *one = id != 0 ? " AND recording_id = ?1" : "";
  g_autofree gchar *held_sql = NULL;
  g_autofree gchar *case_sql = NULL;
  g_autofree gchar *deletion_sql = NULL;
  g_autofree gchar *review_sql = NULL;
  int rc;

  b->held = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  b->deletion = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  b->condition = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  b->review = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  b->upstream = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  held_sql = g_strconcat ("SELECT recording_id FROM hold_recordings WHERE hold_id IN"
                          " (SELECT id FROM holds WHERE released_usec IS NULL)",
                          one, NULL);
  case_sql = g_strconcat ("SELECT recording_id FROM tags WHERE case_number <> '' AND case_number"
                          " IN (SELECT target FROM holds WHERE kind = 'case'"
                          " AND released_usec IS NULL)",
                          one, NULL);
  deletion_sql = g_strconcat ("SELECT recording_id FROM deletion_requests"
                              " WHERE state IN ('pending', 'approved')",
                              one, NULL);
  if (!collect_ids (db, held_sql, id, b->held, error)
      || !collect_ids (db, case_sql, id, b->held, error)
      || !collect_ids (db, deletion_sql, id, b->deletion, error))
    return FALSE;
  /* Damaged on the camera: kept for the record. */
  {
    g_autofree gchar *sql = g_strconcat ("SELECT id FROM recordings WHERE condition IS NOT NULL"
                                         " AND condition <> ''",
                                         id != 0 ? " AND id = ?1" : "", NULL);

    if (!collect_ids (db, sql, id, b->condition, error))
      return FALSE;
  }
  /* With department storage configured, only what it confirmed may go. */
  {
    g_autofree gchar *sql
        = g_strconcat ("SELECT r.id FROM recordings r WHERE NOT " DOCKET_UPSTREAM_PURGEABLE_SQL,
                       id != 0 ? " AND r.id = ?1" : "", NULL);

    if (!collect_ids (db, sql, id, b->upstream, error))
      return FALSE;
  }
  /* Restricted as the categories say now. */
  review_sql = g_strconcat ("SELECT recording_id, category FROM tags"
                            " WHERE review_state IN ('pending', 'sample')",
                            one, NULL);
  review = docket_database_prepare (db, review_sql, error);
  if (review == NULL)
    return FALSE;
  if (id != 0)
    sqlite3_bind_int64 (review, 1, id);
  while ((rc = sqlite3_step (review)) == SQLITE_ROW)
    {
      const DocketCategory *category = docket_station_config_find_category (
          self->config, (const gchar *)sqlite3_column_text (review, 1));

      if (category == NULL || category->restricted)
        {
          gint64 *value = g_new (gint64, 1);

          *value = sqlite3_column_int64 (review, 0);
          g_hash_table_add (b->review, value);
        }
    }
  if (rc != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not read what retention must keep"));
      return FALSE;
    }
  return TRUE;
}

/* The running state of one recording while its tag_history rows are read. */
typedef struct
{
  DocketRetentionItem *item;
  guint n_categories;
  gboolean unknown;
  gchar *unknown_id;
} Pending;

static void
pending_start (Pending *p, sqlite3_stmt *stmt)
{
  p->item = g_new0 (DocketRetentionItem, 1);
  p->item->id = sqlite3_column_int64 (stmt, 0);
  p->item->sha256 = g_strdup ((const gchar *)sqlite3_column_text (stmt, 1));
  p->item->thumbnail = g_strdup ((const gchar *)sqlite3_column_text (stmt, 2));
  p->item->officer = g_strdup ((const gchar *)sqlite3_column_text (stmt, 3));
  p->item->start_usec = sqlite3_column_int64 (stmt, 4);
  p->item->size = (guint64)sqlite3_column_int64 (stmt, 5);
  p->n_categories = 0;
  p->unknown = FALSE;
  g_clear_pointer (&p->unknown_id, g_free);
}

static void
pending_add_category (DocketRetention *self, Pending *p, const gchar *id)
{
  const DocketCategory *category;

  if (id == NULL)
    return;
  p->n_categories++;
  category = docket_station_config_find_category (self->config, id);
  if (category == NULL)
    {
      if (!p->unknown)
        p->unknown_id = g_strdup (id);
      p->unknown = TRUE;
      return;
    }
  if (p->item->category == NULL || category->retention_days > p->item->retention_days)
    {
      g_free (p->item->category);
      p->item->category = g_strdup (category->id);
      p->item->retention_days = category->retention_days;
    }
}

/* Finishes keep-until, the rule and why the recording stays. */
static DocketRetentionItem *
pending_finish (DocketRetention *self, Pending *p, const Blockers *b, gint64 now_usec)
{
  DocketRetentionItem *item = g_steal_pointer (&p->item);
  gint64 id = item->id;

  item->tagged = p->n_categories > 0;
  if (!item->tagged)
    {
      const gchar *fallback = docket_station_config_get_default_category (self->config);
      const DocketCategory *category = docket_station_config_find_category (self->config, fallback);

      item->category = g_strdup (fallback);
      item->retention_days = category != NULL ? category->retention_days : 0;
      item->rule = g_strdup_printf ("untagged: default category %s, %u days", fallback,
                                    item->retention_days);
      if (category == NULL)
        p->unknown = TRUE;
    }
  else if (p->unknown)
    item->rule = g_strdup_printf ("category %s is no longer defined: kept", p->unknown_id);
  else
    item->rule = g_strdup_printf ("%s: %u days (longest of %u categories)", item->category,
                                  item->retention_days, p->n_categories);
  if (item->category == NULL)
    item->category = g_strdup (p->unknown_id != NULL ? p->unknown_id : "");

  item->keep_until_usec
      = p->unknown ? G_MAXINT64 : item->start_usec + (gint64)item->retention_days * DAY_USEC;
  if (g_hash_table_contains (b->held, &id))
    item->keep = DOCKET_KEEP_HELD;
  else if (item->keep_until_usec > now_usec && !p->unknown)
    item->keep = DOCKET_KEEP_RETENTION;
  else if (g_hash_table_contains (b->deletion, &id))
    item->keep = DOCKET_KEEP_DELETION_PENDING;
  else if (g_hash_table_contains (b->condition, &id))
    item->keep = DOCKET_KEEP_CONDITION;
  else if (g_hash_table_contains (b->review, &id))
    item->keep = DOCKET_KEEP_UNDER_REVIEW;
  else if (p->unknown)
    item->keep = DOCKET_KEEP_UNKNOWN_CATEGORY;
  else if (g_hash_table_contains (b->upstream, &id))
    item->keep = DOCKET_KEEP_NOT_UPSTREAM;
  else
    item->keep = DOCKET_KEEP_DUE;
  return item;
}

typedef void (*ItemFunc) (DocketRetentionItem *item, gpointer user_data);

/* Every verified recording (or only @id), each handed to @func (which
 * takes it), with the database locked throughout. */
static gboolean
walk (DocketRetention *self,
      gint64 id,
      gint64 now_usec,
      ItemFunc func,
      gpointer user_data,
      GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (db);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  Blockers b = { 0 };
  Pending p = { 0 };
  gboolean ok = FALSE;
  int rc;

  if (!read_blockers (self, id, &b, error))
    goto out;
  stmt = docket_database_prepare (
      db,
      id != 0 ? "SELECT r.id, r.sha256, r.thumbnail, r.officer,"
                " COALESCE(NULLIF(r.start_usec, 0), r.committed_usec), r.size, th.category"
                " FROM recordings r LEFT JOIN tag_history th ON th.recording_id = r.id"
                " WHERE r.state = 'verified' AND r.id = ?1"
              : "SELECT r.id, r.sha256, r.thumbnail, r.officer,"
                " COALESCE(NULLIF(r.start_usec, 0), r.committed_usec), r.size, th.category"
                " FROM recordings r LEFT JOIN tag_history th ON th.recording_id = r.id"
                " WHERE r.state = 'verified' ORDER BY r.id",
      error);
  if (stmt == NULL)
    goto out;
  if (id != 0)
    sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (p.item != NULL && p.item->id != sqlite3_column_int64 (stmt, 0))
        func (pending_finish (self, &p, &b, now_usec), user_data);
      if (p.item == NULL)
        pending_start (&p, stmt);
      pending_add_category (self, &p, (const gchar *)sqlite3_column_text (stmt, 6));
    }
  if (rc != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not read the recordings' retention"));
      goto out;
    }
  if (p.item != NULL)
    func (pending_finish (self, &p, &b, now_usec), user_data);
  ok = TRUE;
out:
  g_clear_pointer (&p.item, docket_retention_item_free);
  g_free (p.unknown_id);
  blockers_clear (&b);
  return ok;
}

static void
take_one (DocketRetentionItem *item, gpointer user_data)
{
  DocketRetentionItem **out = user_data;

  docket_retention_item_free (*out);
  *out = item;
}

DocketRetentionItem *
docket_retention_get_item (DocketRetention *self,
                           gint64 recording_id,
                           gint64 now_usec,
                           GError **error)
{
  DocketRetentionItem *item = NULL;

  g_return_val_if_fail (DOCKET_IS_RETENTION (self), NULL);

  if (recording_id <= 0 || !walk (self, recording_id, now_usec, take_one, &item, error))
    {
      if (recording_id <= 0)
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                     _ ("There is no recording %" PRId64), recording_id);
      return NULL;
    }
  if (item == NULL)
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND, _ ("There is no recording %" PRId64),
                 recording_id);
  return item;
}

typedef struct
{
  DocketRetentionPlan *plan;
  GHashTable *categories; /* id → DocketRetentionCategory (owned by plan->categories) */
  gint64 earliest_purgeable;
} PlanState;

static void
plan_add (DocketRetentionItem *item, gpointer user_data)
{
  PlanState *s = user_data;
  DocketRetentionPlan *plan = s->plan;
  DocketRetentionCategory *stats = g_hash_table_lookup (s->categories, item->category);

  plan->n_recordings++;
  plan->bytes += item->size;
  if (stats == NULL)
    {
      stats = g_new0 (DocketRetentionCategory, 1);
      stats->category = g_strdup (item->category);
      stats->retention_days = item->retention_days;
      g_ptr_array_add (plan->categories, stats);
      g_hash_table_insert (s->categories, stats->category, stats);
    }
  stats->recordings++;
  stats->bytes += item->size;

  if (item->keep == DOCKET_KEEP_HELD)
    plan->held++;
  if (item->keep != DOCKET_KEEP_HELD && item->keep_until_usec != G_MAXINT64
      && (s->earliest_purgeable == 0 || item->keep_until_usec < s->earliest_purgeable))
    s->earliest_purgeable = item->keep_until_usec;
  if (item->keep == DOCKET_KEEP_RETENTION)
    {
      if (plan->next_purge_usec == 0 || item->keep_until_usec < plan->next_purge_usec)
        plan->next_purge_usec = item->keep_until_usec;
      {
        gint64 period = (item->keep_until_usec - plan->now_usec)
                        / (DOCKET_RETENTION_SCHEDULE_DAYS * DAY_USEC);

        if (period >= 0 && period < DOCKET_RETENTION_SCHEDULE_PERIODS)
          {
            plan->schedule_recordings[period]++;
            plan->schedule_bytes[period] += item->size;
          }
      }
      if (item->keep_until_usec <= plan->now_usec + 7 * DAY_USEC)
        {
          plan->due_7_days++;
          plan->due_7_days_bytes += item->size;
        }
      if (item->keep_until_usec <= plan->now_usec + 30 * DAY_USEC)
        {
          plan->due_30_days++;
          plan->due_30_days_bytes += item->size;
        }
    }
  else if (item->keep_until_usec <= plan->now_usec || item->keep != DOCKET_KEEP_HELD)
    plan->kept[item->keep]++;

  if (item->keep == DOCKET_KEEP_DUE)
    {
      plan->due_bytes += item->size;
      g_ptr_array_add (plan->due, item);
    }
  else
    docket_retention_item_free (item);
}

static gint
compare_keep_until (gconstpointer a, gconstpointer b)
{
  const DocketRetentionItem *x = *(DocketRetentionItem *const *)a;
  const DocketRetentionItem *y = *(DocketRetentionItem *const *)b;

  if (x->keep_until_usec != y->keep_until_usec)
    return x->keep_until_usec < y->keep_until_usec ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static gboolean
read_intake (DocketRetention *self, DocketRetentionPlan *plan, GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (db);
  g_autoptr (sqlite3_stmt) stmt
      = docket_database_prepare (db,
                                 "SELECT COALESCE(SUM(size), 0) FROM recordings"
                                 " WHERE committed_usec >= ?1 AND state IN ('verified', 'deleted')",
                                 error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, plan->now_usec - 30 * DAY_USEC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      docket_database_set_error (db, error, _ ("Could not read the intake rate"));
      return FALSE;
    }
  plan->intake_bytes_per_day = (guint64)sqlite3_column_int64 (stmt, 0) / 30;
  return TRUE;
}

DocketRetentionPlan *
docket_retention_plan (DocketRetention *self, gint64 now_usec, GError **error)
{
  g_autoptr (DocketRetentionPlan) plan = g_new0 (DocketRetentionPlan, 1);
  g_autoptr (GHashTable) categories = g_hash_table_new (g_str_hash, g_str_equal);
  PlanState state = { plan, categories, 0 };
  gint64 started = g_get_monotonic_time ();

  g_return_val_if_fail (DOCKET_IS_RETENTION (self), NULL);

  plan->now_usec = now_usec;
  plan->due = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_retention_item_free);
  plan->categories = g_ptr_array_new_with_free_func ((GDestroyNotify)category_stats_free);
  if (!walk (self, 0, now_usec, plan_add, &state, error) || !read_intake (self, plan, error))
    return NULL;
  g_ptr_array_sort (plan->due, compare_keep_until);

  /* Free space is a best effort: a forecast without it still says what goes. */
  (void)docket_evidence_store_get_space (self->store, &plan->free_bytes, &plan->total_bytes, NULL);
  if (plan->intake_bytes_per_day > 0 && plan->total_bytes > 0)
    {
      gdouble days = (gdouble)plan->free_bytes / (gdouble)plan->intake_bytes_per_day;

      /* Beyond a century is never, as far as a forecast goes (and would
       * overflow the clock). */
      if (days < 36500.0)
        {
          plan->full_usec = now_usec + (gint64)(days * (gdouble)DAY_USEC);
          plan->full_before_purge
              = state.earliest_purgeable == 0 || plan->full_usec < state.earliest_purgeable;
        }
    }
  plan->elapsed_usec = g_get_monotonic_time () - started;
  return g_steal_pointer (&plan);
}

/* Marks @item purged and writes its audit row, inside the caller's
 * transaction. The guards repeat the plan's checks at the moment of the
 * write: a hold or a deletion request placed since the plan still wins. */
static gboolean
mark_purged (DocketRetention *self,
             const gchar *actor,
             DocketRetentionItem *item,
             gboolean *out_marked,
             GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree gchar *subject = NULL;

  *out_marked = FALSE;
  stmt = docket_database_prepare (
      db,
      "UPDATE recordings AS r SET state = 'deleted' WHERE r.id = ?1 AND r.state = 'verified'"
      " AND " DOCKET_UPSTREAM_PURGEABLE_SQL
      " AND NOT EXISTS (SELECT 1 FROM hold_recordings hr JOIN holds h ON h.id = hr.hold_id"
      "   WHERE hr.recording_id = ?1 AND h.released_usec IS NULL)"
      " AND NOT EXISTS (SELECT 1 FROM tags t JOIN holds h ON h.kind = 'case'"
      "   AND h.target = t.case_number AND h.released_usec IS NULL"
      "   WHERE t.recording_id = ?1 AND t.case_number <> '')"
      " AND NOT EXISTS (SELECT 1 FROM deletion_requests WHERE recording_id = ?1"
      "   AND state IN ('pending', 'approved'))",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item->id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not purge a recording"));
      return FALSE;
    }
  if (sqlite3_changes (docket_database_get_handle (db)) == 0)
    return TRUE;
  subject = g_strdup_printf ("recording:%s", item->sha256);
  if (docket_audit_log_append (
          docket_evidence_store_get_audit_log (self->store), actor, "recording-purged", subject,
          _ ("retention period over"),
          g_variant_new_parsed ("{'id': <%x>, 'sha256': <%s>, 'category': <%s>, 'rule': <%s>,"
                                " 'retention-days': <%u>, 'keep-until-usec': <%x>,"
                                " 'size': <%t>}",
                                item->id, item->sha256, item->category, item->rule,
                                item->retention_days, item->keep_until_usec, item->size),
          error)
      < 0)
    return FALSE;
  *out_marked = TRUE;
  return TRUE;
}

DocketRetentionPlan *
docket_retention_run (
    DocketRetention *self, const gchar *actor, gint64 now_usec, gboolean dry_run, GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (DocketRetentionPlan) plan = NULL;
  g_autoptr (GPtrArray) batch = g_ptr_array_new ();
  gint64 started = g_get_monotonic_time ();
  guint committed = 0;

  g_return_val_if_fail (DOCKET_IS_RETENTION (self), NULL);

  if (!dry_run && docket_evidence_store_finish_purges (self->store, error) < 0)
    return NULL;
  plan = docket_retention_plan (self, now_usec, error);
  if (plan == NULL || dry_run)
    return g_steal_pointer (&plan);

  for (guint i = 0; i < plan->due->len; i += PURGE_BATCH)
    {
      g_ptr_array_set_size (batch, 0);
      if (!docket_database_begin (db, error))
        return NULL;
      for (guint j = i; j < plan->due->len && j < i + PURGE_BATCH; j++)
        {
          DocketRetentionItem *item = g_ptr_array_index (plan->due, j);
          gboolean marked = FALSE;

          if (!mark_purged (self, actor, item, &marked, error))
            {
              docket_database_rollback (db);
              return NULL;
            }
          if (marked)
            g_ptr_array_add (batch, item);
        }
      if (!docket_database_commit (db, error))
        return NULL;
      committed += batch->len;
      if (self->hook != NULL)
        self->hook (self->hook_data, committed);
      for (guint j = 0; j < batch->len; j++)
        {
          DocketRetentionItem *item = g_ptr_array_index (batch, j);

          (void)docket_evidence_store_discard_object (self->store, item->sha256, item->thumbnail);
          plan->purged++;
          plan->purged_bytes += item->size;
        }
    }
  plan->elapsed_usec = g_get_monotonic_time () - started;
  return g_steal_pointer (&plan);
}
