/* docket-station-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-station-status.h"

static gboolean
count (DocketDatabase *db, const gchar *sql, guint32 *out, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      docket_database_set_error (db, error, _ ("Could not count"));
      return FALSE;
    }
  *out = (guint32)sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

GVariant *
docket_station_status_get (DocketEvidenceStore *store, const DocketPerson *person, GError **error)
{
  DocketDatabase *db = docket_evidence_store_get_database (store);
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_auto (GVariantBuilder) errors = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a(xss)"));
  g_autoptr (sqlite3_stmt) stmt = NULL;
  guint32 cameras = 0;
  guint32 recordings = 0;
  guint64 free_bytes = 0;
  guint64 total_bytes = 0;
  int rc = SQLITE_ERROR;

  if (person->role != DOCKET_ROLE_IT && person->role != DOCKET_ROLE_SERGEANT)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION,
                   _ ("Only IT and sergeants see the station's status"));
      return NULL;
    }
  docket_database_lock (db);
  if (count (db, "SELECT COUNT(*) FROM cameras", &cameras, error)
      && count (db, "SELECT COUNT(*) FROM recordings WHERE state = 'verified'", &recordings, error))
    stmt = docket_database_prepare (db,
                                    "SELECT r.committed_usec, c.serial, r.problem FROM recordings r"
                                    " JOIN cameras c ON c.id = r.camera_id"
                                    " WHERE r.state = 'quarantined'"
                                    " ORDER BY r.committed_usec DESC LIMIT 20",
                                    error);
  if (stmt != NULL)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const gchar *problem = (const gchar *)sqlite3_column_text (stmt, 2);

          g_variant_builder_add (&errors, "(xss)", sqlite3_column_int64 (stmt, 0),
                                 (const gchar *)sqlite3_column_text (stmt, 1),
                                 problem != NULL ? problem : "");
        }
      if (rc != SQLITE_DONE)
        docket_database_set_error (db, error, _ ("Could not list recent errors"));
    }
  docket_database_unlock (db);
  if (rc != SQLITE_DONE)
    return NULL;

  g_variant_builder_add (&builder, "{sv}", "version", g_variant_new_string (PACKAGE_VERSION));
  g_variant_builder_add (&builder, "{sv}", "cameras-known", g_variant_new_uint32 (cameras));
  g_variant_builder_add (&builder, "{sv}", "recordings", g_variant_new_uint32 (recordings));
  if (docket_evidence_store_get_space (store, &free_bytes, &total_bytes, NULL))
    {
      g_variant_builder_add (&builder, "{sv}", "store-free-bytes",
                             g_variant_new_uint64 (free_bytes));
      g_variant_builder_add (&builder, "{sv}", "store-total-bytes",
                             g_variant_new_uint64 (total_bytes));
    }
  g_variant_builder_add (&builder, "{sv}", "recent-errors", g_variant_builder_end (&errors));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}
