/* docket-upstream-state.c — the upstream_state key/value rows in SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-upstream-state.h"

gchar *
docket_upstream_state_get (DocketDatabase *db, const gchar *key)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (db);
  g_autoptr (sqlite3_stmt) stmt
      = docket_database_prepare (db, "SELECT value FROM upstream_state WHERE key = ?", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const gchar *)sqlite3_column_text (stmt, 0));
}

gint64
docket_upstream_state_get_int (DocketDatabase *db, const gchar *key)
{
  g_autofree gchar *value = docket_upstream_state_get (db, key);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

gboolean
docket_upstream_state_set (DocketDatabase *db, const gchar *key, const gchar *value, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      db,
      value != NULL ? "INSERT INTO upstream_state (key, value) VALUES (?1, ?2)"
                      " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                    : "DELETE FROM upstream_state WHERE key = ?1",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      docket_database_set_error (db, error, "upstream state");
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_upstream_state_set_int (DocketDatabase *db, const gchar *key, gint64 value, GError **error)
{
  g_autofree gchar *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  return docket_upstream_state_set (db, key, text, error);
}
