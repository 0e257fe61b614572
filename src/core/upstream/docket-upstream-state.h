/* docket-upstream-state.h — the upstream_state key/value rows in SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keys: "configured" ("1" while docketd has an upstream: local retention
 * then purges only upstream-confirmed recordings), the catalogue cursors
 * ("catalogue:<table>"), "last-success-usec", "last-error".
 *
 * Threads: any; each call takes the database lock.
 */
#pragma once

#include "docket-database.h"

G_BEGIN_DECLS

gchar *docket_upstream_state_get (DocketDatabase *db, const gchar *key);
gint64 docket_upstream_state_get_int (DocketDatabase *db, const gchar *key);
/* @value NULL deletes the key. */
gboolean docket_upstream_state_set (DocketDatabase *db,
                                    const gchar *key,
                                    const gchar *value,
                                    GError **error);
gboolean
docket_upstream_state_set_int (DocketDatabase *db, const gchar *key, gint64 value, GError **error);

G_END_DECLS
