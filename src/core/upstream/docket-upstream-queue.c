/* docket-upstream-queue.c — the upload queue's rows: the next one due, failures, forgetting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-error.h"
#include "docket-s3-client.h"
#include "docket-upstream-state.h"

#include "docket-upstream-private.h"

/* An abandoned upload's abort: a request without a body. */
#define ABORT_TIMEOUT_SECONDS 30

/* The next recording due, not the one the finisher has (nor its object). */
Item *
_docket_upstream_next_item (DocketUpstream *self, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      self->db,
      "SELECT u.recording_id, u.sha256, u.object_key, u.size, u.upload_id, u.part_size,"
      " u.attempts, r.committed_usec FROM upstream_uploads u JOIN recordings r"
      " ON r.id = u.recording_id WHERE u.state != 'confirmed' AND u.next_try_usec <= ?1"
      " AND u.recording_id != ?2 AND u.object_key IS NOT ?3"
      " ORDER BY u.next_try_usec, u.recording_id LIMIT 1",
      error);
  Item *item;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  g_mutex_lock (&self->lock);
  sqlite3_bind_int64 (stmt, 2, self->finishing_id);
  sqlite3_bind_text (stmt, 3, self->finishing_key, -1, SQLITE_TRANSIENT);
  g_mutex_unlock (&self->lock);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  item = g_new0 (Item, 1);
  item->recording_id = sqlite3_column_int64 (stmt, 0);
  item->sha256 = g_strdup ((const gchar *)sqlite3_column_text (stmt, 1));
  item->key = g_strdup ((const gchar *)sqlite3_column_text (stmt, 2));
  item->size = sqlite3_column_int64 (stmt, 3);
  item->upload_id = g_strdup ((const gchar *)sqlite3_column_text (stmt, 4));
  item->part_size = sqlite3_column_int64 (stmt, 5);
  item->attempts = sqlite3_column_int (stmt, 6);
  item->committed_usec = sqlite3_column_int64 (stmt, 7);
  return item;
}

gboolean
_docket_upstream_exec_item (DocketUpstream *self,
                            const gchar *sql,
                            Item *item,
                            const gchar *text,
                            gint64 number,
                            GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (self->db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item->recording_id);
  if (text != NULL)
    sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int64 (stmt, 3, number);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      docket_database_set_error (self->db, error, "upstream queue");
      return FALSE;
    }
  return TRUE;
}

/* Best effort: a multipart upload never completed keeps its parts on the
 * server (stored and billed) until it is aborted. A client of its own, as
 * the worker or the finisher may call this; bounded, and cut off by a stop,
 * so a server that does not answer holds the queue up for a while at most. */
static void
abort_upload (DocketUpstream *self, const gchar *key, const gchar *upload_id)
{
  DocketUpstreamConfig *c = self->config;
  g_autoptr (DocketS3Client) s3
      = docket_s3_client_new (c->endpoint, c->region, c->bucket, c->access_key, c->secret_key);
  g_autoptr (GError) error = NULL;

  docket_s3_client_set_cancellable (s3, self->cancellable);
  docket_s3_client_set_timeout (s3, ABORT_TIMEOUT_SECONDS);
  if (docket_s3_client_abort_multipart (s3, key, upload_id, &error))
    g_debug ("Upstream: aborted multipart upload %s of %s", upload_id, key);
  else if (g_error_matches (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND)
           || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Upstream: multipart upload %s of %s not aborted: %s", upload_id, key, error->message);
  else
    g_message ("Upstream: could not abort the abandoned multipart upload %s of %s: %s", upload_id,
               key, error->message);
}

/* Forgets a multipart upload: the next attempt starts a new one, and the
 * server is asked to drop the old one's parts. */
static void
forget_upload (DocketUpstream *self, Item *item)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *old_id = g_strdup (item->upload_id);

  if (!_docket_upstream_exec_item (
          self, "DELETE FROM upstream_parts WHERE recording_id = ?1 AND ?2 IS NULL AND ?3", item,
          NULL, 1, &error)
      || !_docket_upstream_exec_item (
          self,
          "UPDATE upstream_uploads SET upload_id = ?2, part_size = NULL,"
          " state = 'waiting' WHERE recording_id = ?1 AND ?3",
          item, NULL, 1, &error))
    g_warning ("Could not reset the upload of %s: %s", item->key, error->message);
  else if (old_id != NULL)
    abort_upload (self, item->key, old_id);
  g_clear_pointer (&item->upload_id, g_free);
}

static void
record_failure (DocketUpstream *self, Item *item, const GError *failure)
{
  g_autoptr (GError) error = NULL;
  guint64 delay = (guint64)self->config->retry_seconds << MIN (item->attempts, 20);
  gint64 next = g_get_real_time () + MIN (delay, MAX_BACKOFF_SECONDS) * G_USEC_PER_SEC;

  if (!_docket_upstream_exec_item (
          self,
          "UPDATE upstream_uploads SET attempts = attempts + 1, last_error = ?2,"
          " next_try_usec = ?3 WHERE recording_id = ?1",
          item, failure->message, next, &error)
      || !docket_upstream_state_set (self->db, "last-error", failure->message, &error)
      || !docket_upstream_state_set_int (self->db, "last-error-usec", g_get_real_time (), &error))
    g_warning ("Could not record an upstream failure: %s", error->message);
}

/* After a failure: a body changed on the way or a gone upload leaves parts
 * not to be trusted, start over; network and credential errors keep them. */
void
_docket_upstream_settle_failure (DocketUpstream *self, Item *item, const GError *failure)
{
  if (g_error_matches (failure, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY)
      || (g_error_matches (failure, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND)
          && item->upload_id != NULL))
    forget_upload (self, item);
  if (!g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    record_failure (self, item, failure);
}
