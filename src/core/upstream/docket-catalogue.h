/* docket-catalogue.h — the department's PostgreSQL catalogue, fed by each kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Copies this kiosk's recordings, tags, deletion requests, audit rows,
 * legal holds (and the recordings each covers), the conditions of damaged
 * recordings and its audit anchor (head seq + hash) into PostgreSQL, keyed
 * by station id,
 * kiosk id and the local row id / audit seq. Every write is an upsert in one
 * PostgreSQL transaction per batch, and the kiosk's cursors move only after
 * that transaction committed, so a replay after a crash rewrites the same
 * rows and adds none. The kiosk's SQLite stays the source of truth.
 *
 * Threads: one catalogue per thread (one libpq connection).
 */
#pragma once

#include <gio/gio.h>

#include "docket-database.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_CATALOGUE (docket_catalogue_get_type ())
G_DECLARE_FINAL_TYPE (DocketCatalogue, docket_catalogue, DOCKET, CATALOGUE, GObject)

/* @conninfo: libpq connection string without a password; @password may be
 * NULL. Creates the tables when missing and brings an older catalogue's
 * schema up to date (docket_schema keeps its version). */
DocketCatalogue *docket_catalogue_connect (const gchar *conninfo,
                                           const gchar *password,
                                           const gchar *station_id,
                                           const gchar *kiosk_id,
                                           GError **error);

/* Sends everything new since the cursors kept in @db's upstream_state.
 * @out_rows: rows written (may be NULL). */
gboolean docket_catalogue_sync (DocketCatalogue *self,
                                DocketDatabase *db,
                                guint64 *out_rows,
                                GCancellable *cancellable,
                                GError **error);

/* Rows of @table ("recordings", "tags", "audit", ...) in the catalogue for
 * @station_id (NULL: every station), for tests and `docketctl upstream`. */
gint64 docket_catalogue_count (DocketCatalogue *self,
                               const gchar *table,
                               const gchar *station_id,
                               GError **error);

/* Whether a legal hold another kiosk (or station) placed, and has not
 * released, covers footage with @sha256: then the object's legal hold must
 * stay on when this kiosk releases its own. */
gboolean docket_catalogue_held_elsewhere (DocketCatalogue *self,
                                          const gchar *sha256,
                                          gboolean *out_held,
                                          GError **error);

/* Forgets the cursors so the next sync re-sends everything (replay). */
gboolean docket_catalogue_reset_cursors (DocketDatabase *db, GError **error);

G_END_DECLS
