/* docket-export-select.c — which recordings an export of a recording, incident or case holds
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
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <openssl/evp.h>

#include "docket-error.h"
#include "docket-export-private.h"
#include "docket-sha256.h"
#include "docket-signature.h"

/* ---- selection ---------------------------------------------------------- */

static gint
by_id (gconstpointer a, gconstpointer b)
{
  const DocketStoredRecording *ra = *(DocketStoredRecording *const *)a;
  const DocketStoredRecording *rb = *(DocketStoredRecording *const *)b;

  return ra->id < rb->id ? -1 : ra->id > rb->id;
}

static gboolean
parse_id (const gchar *what, gint64 *out_id, GError **error)
{
  gchar *end = NULL;
  gint64 id = g_ascii_strtoll (what, &end, 10);

  if (what == NULL || *what == '\0' || end == NULL || *end != '\0' || id <= 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("“%s” is not a recording number"),
                   what != NULL ? what : "");
      return FALSE;
    }
  *out_id = id;
  return TRUE;
}

static gboolean
is_verified (const DocketStoredRecording *rec)
{
  return g_strcmp0 (rec->state, DOCKET_RECORDING_STATE_VERIFIED) == 0;
}

GPtrArray *
docket_export_select (DocketEvidenceStore *store,
                      DocketExportScope scope,
                      const gchar *what,
                      GError **error)
{
  g_autoptr (GPtrArray) chosen
      = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_stored_recording_free);
  gint64 id = 0;

  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (store), NULL);

  if (scope == DOCKET_EXPORT_CASE)
    {
      g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (store->db);
      g_autoptr (sqlite3_stmt) stmt = NULL;

      stmt = docket_database_prepare (
          store->db, "SELECT recording_id FROM tags WHERE case_number = ? ORDER BY recording_id",
          error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, what, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 rid = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (ids, rid);
        }
      g_clear_pointer (&stmt, sqlite3_finalize);
      g_clear_pointer (&locker, docket_database_locker_free);
      for (guint i = 0; i < ids->len; i++)
        {
          DocketStoredRecording *rec
              = docket_evidence_store_get_recording (store, g_array_index (ids, gint64, i), NULL);
          if (rec != NULL && is_verified (rec))
            g_ptr_array_add (chosen, rec);
          else
            docket_stored_recording_free (rec);
        }
    }
  else
    {
      DocketStoredRecording *seed;

      if (!parse_id (what, &id, error))
        return NULL;
      seed = docket_evidence_store_get_recording (store, id, error);
      if (seed == NULL)
        return NULL;
      if (!is_verified (seed))
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                       _ ("Recording %" PRId64 " is %s, not committed evidence: it cannot be "
                          "exported"),
                       id, seed->state);
          docket_stored_recording_free (seed);
          return NULL;
        }
      g_ptr_array_add (chosen, seed);
      if (scope == DOCKET_EXPORT_INCIDENT)
        {
          g_autoptr (GPtrArray) all = docket_evidence_store_list_recordings (store, error);
          gboolean grew = TRUE;

          if (all == NULL)
            return NULL;
          /* Grow the set until no other recording of the officer starts
           * within the gap of one already in it. */
          while (grew)
            {
              grew = FALSE;
              for (guint i = 0; i < all->len; i++)
                {
                  DocketStoredRecording *rec = g_ptr_array_index (all, i);

                  if (rec == NULL || !is_verified (rec) || g_strcmp0 (rec->officer, seed->officer))
                    continue;
                  for (guint j = 0; j < chosen->len; j++)
                    {
                      DocketStoredRecording *in = g_ptr_array_index (chosen, j);

                      if (in->id == rec->id)
                        {
                          docket_stored_recording_free (g_ptr_array_steal_index (all, i));
                          g_ptr_array_insert (all, (gint)i, NULL);
                          break;
                        }
                      if (ABS (in->start_usec - rec->start_usec) <= DOCKET_EXPORT_INCIDENT_GAP_USEC)
                        {
                          g_ptr_array_add (chosen, g_ptr_array_steal_index (all, i));
                          g_ptr_array_insert (all, (gint)i, NULL);
                          grew = TRUE;
                          break;
                        }
                    }
                }
            }
        }
    }
  if (chosen->len == 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                   _ ("No committed recording is filed under case “%s”"), what);
      return NULL;
    }
  g_ptr_array_sort (chosen, by_id);
  return g_steal_pointer (&chosen);
}
