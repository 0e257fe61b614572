/* docket-access.c — who looked at a recording: the audit log, read per officer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Views, exports and decisions are already audit rows on the recording's
 * subject ("recording:<sha256>", review decisions "recording:<id>"); this
 * reads them back for the recording's officer, and for sergeants within
 * need-to-know. The audit log is indexed by subject (migration 5).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-tags.h"

void
docket_access_entry_free (DocketAccessEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->actor);
  g_free (entry->badge);
  g_free (entry->name);
  g_free (entry->role);
  g_free (entry->action);
  g_free (entry->reason);
  g_free (entry->recording_name);
  g_free (entry->officer);
  g_free (entry);
}

static const gchar *
or_empty (const gchar *text)
{
  return text != NULL ? text : "";
}

GVariant *
docket_access_entry_to_variant (const DocketAccessEntry *e)
{
  return g_variant_new_parsed (
      "{'seq': <%x>, 'time-usec': <%x>, 'actor': <%s>, 'badge': <%s>, 'name': <%s>,"
      " 'role': <%s>, 'action': <%s>, 'reason': <%s>, 'recording-id': <%x>,"
      " 'recording-name': <%s>, 'recording-start-usec': <%x>, 'officer': <%s>}",
      e->seq, e->time_usec, or_empty (e->actor), or_empty (e->badge), or_empty (e->name),
      or_empty (e->role), or_empty (e->action), or_empty (e->reason), e->recording_id,
      or_empty (e->recording_name), e->recording_start_usec, or_empty (e->officer));
}

static gchar *
column_dup (sqlite3_stmt *stmt, int col)
{
  return g_strdup ((const gchar *)sqlite3_column_text (stmt, col));
}

GPtrArray *
docket_tags_list_access (
    DocketTags *self, const DocketPerson *person, gint64 recording_id, guint limit, GError **error)
{
  DocketEvidenceStore *store = NULL;
  DocketStationConfig *config = NULL;
  DocketDatabase *db;
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) entries
      = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_access_entry_free);
  g_autofree gchar *own = NULL;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (DOCKET_IS_TAGS (self), NULL);

  if (person->role != DOCKET_ROLE_OFFICER && person->role != DOCKET_ROLE_SERGEANT)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION,
                   _ ("Only officers and sergeants see who viewed recordings"));
      return NULL;
    }
  store = docket_tags_get_store (self);
  config = docket_tags_get_config (self);
  db = docket_evidence_store_get_database (store);
  own = docket_person_dup_actor (person);
  if (limit == 0 || limit > 1000)
    limit = 1000;

  locker = docket_database_locker_new (db);
  stmt = docket_database_prepare (
      db,
      "SELECT a.seq, a.time_usec, a.actor, a.action, a.reason, r.id, r.name, r.start_usec,"
      " r.officer, t.category, t.restricted, o.badge, o.name, o.role"
      " FROM recordings r"
      " JOIN audit_log a ON a.subject IN ('recording:' || r.sha256, 'recording:' || r.id)"
      " LEFT JOIN tags t ON t.recording_id = r.id"
      " LEFT JOIN officers o ON a.actor = 'officer:' || o.badge"
      " WHERE r.state IN ('verified', 'deleted') AND (?1 = 0 OR r.id = ?1)"
      " AND (?2 IS NULL OR r.officer = ?2) AND a.actor <> ?3"
      " AND (a.actor LIKE 'officer:%' OR a.actor LIKE 'docketctl:%')"
      /* A legal hold may concern an investigation of the officer: holds
       * are for sergeants' eyes, not a tip-off. */
      " AND (?2 IS NULL OR a.action NOT LIKE 'hold-%')"
      " ORDER BY a.seq DESC",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, recording_id);
  if (person->role == DOCKET_ROLE_OFFICER)
    sqlite3_bind_text (stmt, 2, person->badge, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, own, -1, SQLITE_STATIC);
  while (entries->len < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DocketRecordingItem item = { 0 };
      DocketAccessEntry *e;

      item.officer = (gchar *)sqlite3_column_text (stmt, 8);
      item.category = (gchar *)sqlite3_column_text (stmt, 9);
      item.restricted = sqlite3_column_int (stmt, 10) != 0;
      if (!docket_tags_can_view (config, person, &item))
        continue;
      e = g_new0 (DocketAccessEntry, 1);
      e->seq = sqlite3_column_int64 (stmt, 0);
      e->time_usec = sqlite3_column_int64 (stmt, 1);
      e->actor = column_dup (stmt, 2);
      e->action = column_dup (stmt, 3);
      e->reason = column_dup (stmt, 4);
      e->recording_id = sqlite3_column_int64 (stmt, 5);
      e->recording_name = column_dup (stmt, 6);
      e->recording_start_usec = sqlite3_column_int64 (stmt, 7);
      e->officer = column_dup (stmt, 8);
      e->badge = column_dup (stmt, 11);
      e->name = column_dup (stmt, 12);
      e->role = column_dup (stmt, 13);
      g_ptr_array_add (entries, e);
    }
  if (entries->len < limit && rc != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not read who viewed recordings"));
      return NULL;
    }
  return g_steal_pointer (&entries);
}
