/* docket-database.h — Docket's SQLite database: open, WAL, migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One connection shared by threads. Every statement and every transaction
 * runs under the database's recursive lock; a transaction holds it from
 * begin to commit/rollback so no other thread's statements interleave.
 * Commits are durable on return (WAL + synchronous=FULL).
 *
 * Adding a migration: append one SQL string to `migrations[]` in
 * docket-database.c. The schema version (PRAGMA user_version) is its index + 1.
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_DATABASE (docket_database_get_type ())
G_DECLARE_FINAL_TYPE (DocketDatabase, docket_database, DOCKET, DATABASE, GObject)

DocketDatabase *docket_database_open (const gchar *path, GError **error);
const gchar *docket_database_get_path (DocketDatabase *self);
gint docket_database_get_schema_version (DocketDatabase *self);
/* Number of migrations this build knows (the newest schema version). */
gint docket_database_get_latest_version (void);

/* The raw handle, for prepared statements. Hold the lock while using it. */
sqlite3 *docket_database_get_handle (DocketDatabase *self);
void docket_database_lock (DocketDatabase *self);
void docket_database_unlock (DocketDatabase *self);

gboolean docket_database_exec (DocketDatabase *self, const gchar *sql, GError **error);

/* BEGIN IMMEDIATE; takes the lock until commit or rollback. */
gboolean docket_database_begin (DocketDatabase *self, GError **error);
gboolean docket_database_commit (DocketDatabase *self, GError **error);
void docket_database_rollback (DocketDatabase *self);

/* Prepares @sql (lock must be held); NULL with DOCKET_ERROR_STORE on failure. */
sqlite3_stmt *docket_database_prepare (DocketDatabase *self, const gchar *sql, GError **error);
/* Sets DOCKET_ERROR_STORE from the connection's last error, prefixed by @what. */
void docket_database_set_error (DocketDatabase *self, GError **error, const gchar *what);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
