/* docket-tags.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-tags.h"

struct _DocketTags
{
  GObject parent_instance;

  DocketEvidenceStore *store;
  DocketStationConfig *config;
};

G_DEFINE_FINAL_TYPE (DocketTags, docket_tags, G_TYPE_OBJECT)

void
docket_recording_item_free (DocketRecordingItem *item)
{
  if (item == NULL)
    return;
  g_free (item->name);
  g_free (item->camera_serial);
  g_free (item->officer);
  g_free (item->thumbnail);
  g_free (item->category);
  g_free (item->case_number);
  g_free (item->note);
  g_free (item->review_state);
  g_free (item->review_reason);
  g_free (item->officer_name);
  g_free (item->reviewed_by);
  g_free (item->reviewer_name);
  g_free (item->request_reason);
  g_free (item->requested_by);
  g_free (item->condition);
  g_free (item->condition_reason);
  g_free (item);
}

static gchar *
column_dup (sqlite3_stmt *stmt, int col)
{
  return g_strdup ((const gchar *)sqlite3_column_text (stmt, col));
}

DocketRecordingItem *
docket_recording_item_from_row (sqlite3_stmt *stmt, gint64 deadline_span_usec)
{
  DocketRecordingItem *item = g_new0 (DocketRecordingItem, 1);

  item->id = sqlite3_column_int64 (stmt, 0);
  item->start_usec = sqlite3_column_int64 (stmt, 1);
  item->duration_ms = (guint64)sqlite3_column_int64 (stmt, 2);
  item->name = column_dup (stmt, 3);
  item->camera_serial = column_dup (stmt, 4);
  item->officer = column_dup (stmt, 5);
  item->thumbnail = column_dup (stmt, 6);
  item->committed_usec = sqlite3_column_int64 (stmt, 7);
  item->deadline_usec = item->committed_usec + deadline_span_usec;
  item->category = column_dup (stmt, 8);
  item->case_number = column_dup (stmt, 9);
  item->note = column_dup (stmt, 10);
  item->restricted = sqlite3_column_int (stmt, 11) != 0;
  item->review_state = column_dup (stmt, 12);
  item->review_reason = column_dup (stmt, 13);
  item->condition = column_dup (stmt, 14);
  item->condition_reason = column_dup (stmt, 15);
  item->officer_name = column_dup (stmt, 16);
  item->reviewed_by = column_dup (stmt, 17);
  item->reviewer_name = column_dup (stmt, 18);
  return item;
}

static void
add_string (GVariantBuilder *builder, const gchar *key, const gchar *value)
{
  if (value != NULL)
    g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (value));
}

GVariant *
docket_recording_item_to_variant (const DocketRecordingItem *item)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_variant_builder_add (&builder, "{sv}", "id", g_variant_new_int64 (item->id));
  g_variant_builder_add (&builder, "{sv}", "start-usec", g_variant_new_int64 (item->start_usec));
  g_variant_builder_add (&builder, "{sv}", "duration-ms", g_variant_new_uint64 (item->duration_ms));
  g_variant_builder_add (&builder, "{sv}", "deadline-usec",
                         g_variant_new_int64 (item->deadline_usec));
  add_string (&builder, "name", item->name != NULL ? item->name : "");
  add_string (&builder, "camera", item->camera_serial);
  add_string (&builder, "officer", item->officer != NULL ? item->officer : "");
  add_string (&builder, "thumbnail", item->thumbnail);
  add_string (&builder, "category", item->category);
  add_string (&builder, "case-number", item->case_number);
  add_string (&builder, "note", item->note);
  if (item->category != NULL)
    g_variant_builder_add (&builder, "{sv}", "restricted",
                           g_variant_new_boolean (item->restricted));
  add_string (&builder, "review-state", item->review_state);
  add_string (&builder, "review-reason", item->review_reason);
  add_string (&builder, "officer-name", item->officer_name);
  add_string (&builder, "reviewed-by", item->reviewed_by);
  add_string (&builder, "reviewer-name", item->reviewer_name);
  if (item->request_id != 0)
    {
      g_variant_builder_add (&builder, "{sv}", "request-id",
                             g_variant_new_int64 (item->request_id));
      add_string (&builder, "request-reason", item->request_reason);
      add_string (&builder, "requested-by", item->requested_by);
    }
  if (item->deletion_requested)
    g_variant_builder_add (&builder, "{sv}", "deletion-requested", g_variant_new_boolean (TRUE));
  add_string (&builder, "condition", item->condition);
  add_string (&builder, "condition-reason", item->condition_reason);
  return g_variant_builder_end (&builder);
}

void
docket_incident_free (DocketIncident *incident)
{
  if (incident == NULL)
    return;
  g_ptr_array_unref (incident->items);
  g_free (incident);
}

GPtrArray *
docket_tags_group_incidents (GPtrArray *items, gint64 gap_usec)
{
  GPtrArray *incidents = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_incident_free);
  DocketIncident *current = NULL;
  gint64 previous_start = 0;

  for (guint i = 0; i < items->len; i++)
    {
      DocketRecordingItem *item = g_ptr_array_index (items, i);
      gint64 end = item->start_usec + (gint64)item->duration_ms * 1000;

      if (current == NULL || previous_start - item->start_usec > gap_usec)
        {
          current = g_new0 (DocketIncident, 1);
          current->items = g_ptr_array_new ();
          current->end_usec = end;
          g_ptr_array_add (incidents, current);
        }
      g_ptr_array_add (current->items, item);
      current->start_usec = item->start_usec;
      current->end_usec = MAX (current->end_usec, end);
      previous_start = item->start_usec;
    }
  return incidents;
}

gboolean
docket_tags_can_view (DocketStationConfig *config,
                      const DocketPerson *person,
                      const DocketRecordingItem *item)
{
  const DocketCategory *category;

  switch (person->role)
    {
      case DOCKET_ROLE_OFFICER:
        return g_strcmp0 (item->officer, person->badge) == 0;
      case DOCKET_ROLE_SERGEANT:
        if (g_strcmp0 (item->officer, person->badge) == 0 || item->category == NULL)
          return TRUE;
        /* Restricted as the categories say now, not as they said when
         * the recording was tagged: a category made restricted later
         * closes its recordings at once. */
        category = docket_station_config_find_category (config, item->category);
        if (category != NULL)
          return !category->restricted || category->sergeant_access;
        /* A category gone from the configuration keeps the flag it had;
         * restricted ones stay closed. */
        return !item->restricted;
      case DOCKET_ROLE_IT:
      default:
        return FALSE;
    }
}

void
docket_tags_refresh_restricted (DocketStationConfig *config, DocketRecordingItem *item)
{
  const DocketCategory *category;

  if (item->category == NULL)
    return;
  category = docket_station_config_find_category (config, item->category);
  if (category != NULL)
    item->restricted = category->restricted;
}

static void
docket_tags_finalize (GObject *object)
{
  DocketTags *self = DOCKET_TAGS (object);

  g_clear_object (&self->store);
  g_clear_object (&self->config);
  G_OBJECT_CLASS (docket_tags_parent_class)->finalize (object);
}

static void
docket_tags_class_init (DocketTagsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_tags_finalize;
}

static void
docket_tags_init (DocketTags *self)
{
}

DocketTags *
docket_tags_new (DocketEvidenceStore *store, DocketStationConfig *config)
{
  DocketTags *self = g_object_new (DOCKET_TYPE_TAGS, NULL);

  self->store = g_object_ref (store);
  self->config = g_object_ref (config);
  return self;
}

DocketEvidenceStore *
docket_tags_get_store (DocketTags *self)
{
  return self->store;
}

DocketStationConfig *
docket_tags_get_config (DocketTags *self)
{
  return self->config;
}

gint64
docket_tags_get_deadline_span (DocketTags *self)
{
  return (gint64)docket_station_config_get_tag_deadline_hours (self->config) * 3600
         * G_USEC_PER_SEC;
}

#define UNTAGGED_WHERE                                                                             \
  " WHERE r.officer = ?1 AND" DOCKET_ITEM_LIVE                                                     \
  " AND (t.recording_id IS NULL OR t.review_state = 'returned')"

GPtrArray *
docket_tags_list_untagged (DocketTags *self,
                           const DocketPerson *person,
                           guint offset,
                           guint limit,
                           guint *out_total,
                           gint64 *out_deadline_usec,
                           GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (GPtrArray) items
      = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_recording_item_free);
  g_autoptr (sqlite3_stmt) count = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (DOCKET_IS_TAGS (self), NULL);

  if (person->role != DOCKET_ROLE_OFFICER && person->role != DOCKET_ROLE_SERGEANT)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION,
                   _ ("Only officers and sergeants tag recordings"));
      return NULL;
    }
  locker = docket_database_locker_new (db);
  /* Those waiting for a deletion decision are listed (the officer sees they
   * wait) but not counted: there is nothing to tag on them until then. */
  count = docket_database_prepare (
      db,
      "SELECT COUNT(*), MIN(r.committed_usec)" DOCKET_ITEM_FROM_COUNT UNTAGGED_WHERE
      " AND r.id NOT IN (SELECT recording_id FROM deletion_requests WHERE state = 'pending')",
      error);
  stmt = docket_database_prepare (
      db,
      "SELECT " DOCKET_ITEM_COLUMNS
      /* Still to tag until a sergeant approves; the kiosk
       * says the officer is waiting for one. */
      ", EXISTS (SELECT 1 FROM deletion_requests d"
      " WHERE d.recording_id = r.id AND d.state = 'pending')" DOCKET_ITEM_FROM UNTAGGED_WHERE
      " ORDER BY r.start_usec DESC, r.id DESC LIMIT ?2 OFFSET ?3",
      error);
  if (count == NULL || stmt == NULL)
    {
      return NULL;
    }
  sqlite3_bind_text (count, 1, person->badge, -1, SQLITE_STATIC);
  if (sqlite3_step (count) == SQLITE_ROW)
    {
      if (out_total != NULL)
        *out_total = (guint)sqlite3_column_int64 (count, 0);
      if (out_deadline_usec != NULL)
        *out_deadline_usec
            = sqlite3_column_type (count, 1) == SQLITE_NULL
                  ? 0
                  : sqlite3_column_int64 (count, 1) + docket_tags_get_deadline_span (self);
    }
  sqlite3_bind_text (stmt, 1, person->badge, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64)limit : -1);
  sqlite3_bind_int64 (stmt, 3, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DocketRecordingItem *item
          = docket_recording_item_from_row (stmt, docket_tags_get_deadline_span (self));

      docket_tags_refresh_restricted (self->config, item);
      item->deletion_requested = sqlite3_column_int (stmt, DOCKET_ITEM_N_COLUMNS) != 0;
      g_ptr_array_add (items, item);
    }
  if (rc != SQLITE_DONE)
    docket_database_set_error (db, error, _ ("Could not list untagged recordings"));
  return rc == SQLITE_DONE ? g_steal_pointer (&items) : NULL;
}

/* One answer for "no such recording" and "not one you may see", so ids
 * tell nothing about footage a person may not see. */
static void
set_no_recording_error (GError **error, gint64 id)
{
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
               _ ("There is no recording %" PRId64 " that you may see"), id);
}

#define CORRECTABLE_WHERE                                                                          \
  " WHERE r.officer = ?1 AND" DOCKET_ITEM_LIVE                                                     \
  " AND t.review_state IN ('none', 'pending', 'sample')"

GPtrArray *
docket_tags_list_correctable (DocketTags *self,
                              const DocketPerson *person,
                              guint offset,
                              guint limit,
                              guint *out_total,
                              GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (GPtrArray) items
      = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_recording_item_free);
  g_autoptr (sqlite3_stmt) count = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_TAGS (self), NULL);

  if (person->role != DOCKET_ROLE_OFFICER && person->role != DOCKET_ROLE_SERGEANT)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION,
                   _ ("Only officers and sergeants tag recordings"));
      return NULL;
    }
  locker = docket_database_locker_new (db);
  count = docket_database_prepare (db, "SELECT COUNT(*)" DOCKET_ITEM_FROM_COUNT CORRECTABLE_WHERE,
                                   error);
  stmt = count != NULL ? docket_database_prepare (
             db,
             "SELECT " DOCKET_ITEM_COLUMNS DOCKET_ITEM_FROM CORRECTABLE_WHERE
             " ORDER BY r.start_usec DESC, r.id DESC"
             " LIMIT ?2 OFFSET ?3",
             error)
                       : NULL;
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (count, 1, person->badge, -1, SQLITE_STATIC);
  if (sqlite3_step (count) == SQLITE_ROW && out_total != NULL)
    *out_total = (guint)sqlite3_column_int64 (count, 0);
  sqlite3_bind_text (stmt, 1, person->badge, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64)limit : -1);
  sqlite3_bind_int64 (stmt, 3, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items,
                     docket_recording_item_from_row (stmt, docket_tags_get_deadline_span (self)));
  if (rc != SQLITE_DONE)
    docket_database_set_error (db, error, _ ("Could not list your tagged recordings"));
  return rc == SQLITE_DONE ? g_steal_pointer (&items) : NULL;
}

static DocketRecordingItem *
read_item (DocketTags *self, gint64 id, gchar **out_sha256, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  DocketRecordingItem *item = NULL;
  int rc;

  locker = docket_database_locker_new (db);
  stmt = docket_database_prepare (db,
                                  "SELECT " DOCKET_ITEM_COLUMNS ", r.sha256" DOCKET_ITEM_FROM
                                  " WHERE r.id = ?1 AND" DOCKET_ITEM_LIVE,
                                  error);
  if (stmt == NULL)
    {
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      item = docket_recording_item_from_row (stmt, docket_tags_get_deadline_span (self));
      docket_tags_refresh_restricted (self->config, item);
      if (out_sha256 != NULL)
        *out_sha256 = column_dup (stmt, DOCKET_ITEM_N_COLUMNS);
    }
  else if (rc == SQLITE_DONE)
    set_no_recording_error (error, id);
  else
    docket_database_set_error (db, error, _ ("Could not read a recording"));
  return item;
}

static DocketRecordingItem *
get_visible_item (
    DocketTags *self, const DocketPerson *person, gint64 id, gchar **out_sha256, GError **error)
{
  g_autoptr (DocketRecordingItem) item = read_item (self, id, out_sha256, error);

  if (item == NULL)
    return NULL;
  if (!docket_tags_can_view (self->config, person, item))
    {
      /* Same answer as for an id that does not exist: need-to-know
       * covers whether a recording exists at all. */
      set_no_recording_error (error, id);
      if (out_sha256 != NULL)
        g_clear_pointer (out_sha256, g_free);
      return NULL;
    }
  return g_steal_pointer (&item);
}

DocketRecordingItem *
docket_tags_get_item (DocketTags *self, const DocketPerson *person, gint64 id, GError **error)
{
  g_return_val_if_fail (DOCKET_IS_TAGS (self), NULL);
  return get_visible_item (self, person, id, NULL, error);
}

const DocketCategory *
docket_tags_check_tag (DocketStationConfig *config,
                       const gchar *category_id,
                       const gchar *case_number,
                       const gchar *note,
                       GError **error)
{
  const DocketCategory *category = docket_station_config_find_category (config, category_id);

  if (category == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("“%s” is not one of this station's categories"),
                   g_utf8_validate (category_id, -1, NULL) ? category_id : "?");
      return NULL;
    }
  if (!docket_station_config_check_case_number (config, case_number, error))
    return NULL;
  if (note != NULL && (!g_utf8_validate (note, -1, NULL) || g_utf8_strlen (note, -1) > 500))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("A note is at most 500 characters"));
      return NULL;
    }
  return category;
}

/* Whether the audit sample holds a recording a sergeant has not looked at.
 * When it holds none, the next tag that needs no review is drawn: at a small
 * station a random few percent would leave the sample empty for weeks, and
 * categories that need no review (a traffic stop) would never be audited. */
static gboolean
sample_waiting (DocketDatabase *db)
{
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      db, "SELECT 1 FROM tags WHERE review_state = 'sample' LIMIT 1", NULL);

  /* Unreadable: draw at random only, as before. */
  return stmt == NULL || sqlite3_step (stmt) != SQLITE_DONE;
}

static gboolean
write_tag (DocketTags *self,
           const DocketPerson *person,
           gint64 id,
           const gchar *sha256,
           const DocketCategory *category,
           const gchar *case_number,
           const gchar *note,
           GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree gchar *actor = docket_person_dup_actor (person);
  g_autofree gchar *subject = g_strdup_printf ("recording:%s", sha256);
  const gchar *review = DOCKET_REVIEW_NONE;

  if (category->needs_review)
    review = DOCKET_REVIEW_PENDING;
  else if (docket_station_config_get_audit_sample_percent (self->config) > 0
           && ((guint)g_random_int_range (0, 100)
                   < docket_station_config_get_audit_sample_percent (self->config)
               || !sample_waiting (db)))
    review = DOCKET_REVIEW_SAMPLE;

  stmt = docket_database_prepare (
      db,
      "INSERT OR REPLACE INTO tags (recording_id, category, case_number, note, restricted,"
      " tagged_by, tagged_usec, review_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, category->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, case_number != NULL ? case_number : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, note != NULL ? note : "", -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, category->restricted);
  sqlite3_bind_text (stmt, 6, person->badge, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time ());
  sqlite3_bind_text (stmt, 8, review, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not save a tag"));
      return FALSE;
    }
  return docket_audit_log_append (
             docket_evidence_store_get_audit_log (self->store), actor, "recording-tagged", subject,
             note != NULL ? note : "",
             g_variant_new_parsed ("{'id': <%x>, 'category': <%s>, 'case-number': <%s>,"
                                   " 'review': <%s>}",
                                   id, category->id, case_number != NULL ? case_number : "",
                                   review),
             error)
         >= 0;
}

gboolean
docket_tags_tag (DocketTags *self,
                 const DocketPerson *person,
                 const gint64 *ids,
                 guint n_ids,
                 const gchar *category_id,
                 const gchar *case_number,
                 const gchar *note,
                 GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (self->store);
  const DocketCategory *category;

  g_return_val_if_fail (DOCKET_IS_TAGS (self), FALSE);

  if (person->role != DOCKET_ROLE_OFFICER && person->role != DOCKET_ROLE_SERGEANT)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION,
                   _ ("Only officers and sergeants tag recordings"));
      return FALSE;
    }
  if (n_ids == 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("Choose a recording to tag"));
      return FALSE;
    }
  category = docket_tags_check_tag (self->config, category_id, case_number, note, error);
  if (category == NULL)
    return FALSE;

  if (!docket_database_begin (db, error))
    return FALSE;
  for (guint i = 0; i < n_ids; i++)
    {
      g_autofree gchar *sha256 = NULL;
      g_autoptr (DocketRecordingItem) item = read_item (self, ids[i], &sha256, error);

      /* Tagging is the officer's own job; sergeants use Correct. */
      if (item != NULL && !docket_tags_can_view (self->config, person, item))
        {
          set_no_recording_error (error, ids[i]);
          g_clear_pointer (&item, docket_recording_item_free);
        }
      else if (item != NULL && g_strcmp0 (item->officer, person->badge) != 0)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION,
                       _ ("Recording %" PRId64 " is not yours to tag"), ids[i]);
          g_clear_pointer (&item, docket_recording_item_free);
        }
      /* The officer corrects their own tag until a sergeant approves it. */
      else if (item != NULL && item->category != NULL
               && g_strcmp0 (item->review_state, DOCKET_REVIEW_APPROVED) == 0)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                       _ ("Recording %" PRId64 " is tagged already"), ids[i]);
          g_clear_pointer (&item, docket_recording_item_free);
        }
      if (item == NULL
          || !write_tag (self, person, ids[i], sha256, category, case_number, note, error))
        {
          docket_database_rollback (db);
          return FALSE;
        }
    }
  return docket_database_commit (db, error);
}

gint
docket_tags_open_recording (
    DocketTags *self, const DocketPerson *person, gint64 id, const gchar *reason, GError **error)
{
  g_autofree gchar *sha256 = NULL;
  g_autoptr (DocketRecordingItem) item = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *actor = NULL;
  g_autofree gchar *subject = NULL;
  int fd;

  g_return_val_if_fail (DOCKET_IS_TAGS (self), -1);

  if (reason != NULL && !g_utf8_validate (reason, -1, NULL))
    reason = NULL;
  item = get_visible_item (self, person, id, &sha256, error);
  if (item == NULL)
    return -1;
  /* Another officer's footage needs a reason (sergeants reviewing). */
  if (g_strcmp0 (item->officer, person->badge) != 0 && (reason == NULL || *reason == '\0'))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("Say why you are viewing another officer's recording"));
      return -1;
    }
  path = docket_evidence_store_get_object_path (self->store, sha256);
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                   _ ("Could not open recording %" PRId64 ": %s"), id, g_strerror (saved_errno));
      return -1;
    }
  actor = docket_person_dup_actor (person);
  subject = g_strdup_printf ("recording:%s", sha256);
  /* No audit row, no footage. */
  if (docket_audit_log_append (docket_evidence_store_get_audit_log (self->store), actor,
                               "recording-viewed", subject, reason != NULL ? reason : "",
                               g_variant_new_parsed ("{'id': <%x>}", id), error)
      < 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

gint
docket_tags_open_thumbnail (DocketTags *self, const DocketPerson *person, gint64 id, GError **error)
{
  g_autoptr (DocketRecordingItem) item = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *actor = NULL;
  g_autofree gchar *subject = NULL;
  g_autofree gchar *sha256 = NULL;
  int fd;

  g_return_val_if_fail (DOCKET_IS_TAGS (self), -1);

  item = get_visible_item (self, person, id, &sha256, error);
  if (item == NULL)
    return -1;
  /* Written by the store as thumbnails/<hash>.png; refuse anything else. */
  if (item->thumbnail == NULL || !g_str_has_prefix (item->thumbnail, "thumbnails/")
      || strstr (item->thumbnail, "..") != NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                   _ ("Recording %" PRId64 " has no thumbnail"), id);
      return -1;
    }
  path = g_build_filename (docket_evidence_store_get_root (self->store), item->thumbnail, NULL);
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                   _ ("Could not open the thumbnail of recording %" PRId64 ": %s"), id,
                   g_strerror (saved_errno));
      return -1;
    }
  /* A thumbnail shows the footage: no audit row, no thumbnail. */
  actor = docket_person_dup_actor (person);
  subject = g_strdup_printf ("recording:%s", sha256);
  if (docket_audit_log_append (docket_evidence_store_get_audit_log (self->store), actor,
                               "thumbnail-viewed", subject, "",
                               g_variant_new_parsed ("{'id': <%x>}", id), error)
      < 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}
