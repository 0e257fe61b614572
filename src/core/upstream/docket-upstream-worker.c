/* docket-upstream-worker.c — the upstream thread, and what wakes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-error.h"
#include "docket-upstream-private.h"
#include "docket-upstream-state.h"

gint64
_docket_upstream_next_due_usec (DocketUpstream *self)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      self->db, "SELECT MIN(next_try_usec) FROM upstream_uploads WHERE state != 'confirmed'", NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW
      || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return G_MAXINT64;
  return sqlite3_column_int64 (stmt, 0);
}

static void
kick (DocketUpstream *self)
{
  g_mutex_lock (&self->lock);
  self->kicked = TRUE;
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
}

/* Any thread: a recording committed, a tag, a hold or a condition changed.
 * Our own confirmation rows need no second pass. */
static void
audit_appended_cb (DocketAuditLog *log, gint64 seq, const gchar *action, gpointer user_data)
{
  if (g_strcmp0 (action, "recording-upstream-confirmed") != 0
      && g_strcmp0 (action, "recording-upstream-legal-hold") != 0
      && g_strcmp0 (action, "recording-upstream-retention") != 0
      && g_strcmp0 (action, "recording-upstream-local-mismatch") != 0)
    kick (DOCKET_UPSTREAM (user_data));
}

/* Monotonic time of the next back-off to end, or G_MAXINT64: wait for an
 * event. */
static gint64
next_timer_usec (DocketUpstream *self)
{
  gint64 due = _docket_upstream_next_due_usec (self);
  gint64 wake = G_MAXINT64;

  if (due != G_MAXINT64)
    wake = g_get_monotonic_time () + MAX (due - g_get_real_time (), 0);
  wake = MIN (wake, _docket_upstream_next_retention_usec (self));
  g_mutex_lock (&self->lock);
  if (self->catalogue_retry_usec > 0)
    wake = MIN (wake, self->catalogue_retry_usec);
  g_mutex_unlock (&self->lock);
  return wake;
}

static void
sync_catalogue_in_worker (DocketUpstream *self)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = docket_upstream_sync_catalogue (self, NULL, self->cancellable, &error);

  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_mutex_lock (&self->lock);
  if (ok)
    {
      self->catalogue_failures = 0;
      self->catalogue_retry_usec = 0;
    }
  else
    {
      guint64 delay = (guint64)self->config->retry_seconds << MIN (self->catalogue_failures, 20);

      self->catalogue_failures++;
      self->catalogue_retry_usec
          = g_get_monotonic_time () + MIN (delay, MAX_BACKOFF_SECONDS) * G_USEC_PER_SEC;
    }
  g_mutex_unlock (&self->lock);
  if (!ok)
    {
      g_warning ("Upstream catalogue: %s", error->message);
      docket_upstream_state_set (self->db, "last-error", error->message, NULL);
      docket_upstream_state_set_int (self->db, "last-error-usec", g_get_real_time (), NULL);
    }
  _docket_upstream_emit_changed (self, TRUE);
}

/* Runs when something happened (start, a new audit row, resume, retry) or
 * a back-off ended; it never polls. */
static gpointer
worker (gpointer user_data)
{
  DocketUpstream *self = user_data;

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      gboolean done = FALSE;
      gint64 wait_until;
      gboolean paused;

      g_mutex_lock (&self->lock);
      paused = self->paused || g_cancellable_is_cancelled (self->transfer);
      g_mutex_unlock (&self->lock);
      /* Paused: the pause stopped the transfers, the finisher's as well;
       * it ends, leaving its recording waiting with its confirmed parts. */
      if (paused && !_docket_upstream_join_finisher (self, &error))
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_warning ("Upstream: %s", error->message);
          g_clear_error (&error);
        }
      g_mutex_lock (&self->lock);
      while (self->paused && !self->stopping)
        g_cond_wait (&self->wake, &self->lock);
      self->kicked = FALSE;
      if (self->stopping)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      /* Under the lock: a pause from now on cancels it again. */
      g_cancellable_reset (self->transfer);
      g_mutex_unlock (&self->lock);

      if (!docket_upstream_enqueue (self, NULL, &error)
          || !docket_upstream_upload_next (self, &done, self->transfer, &error))
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_warning ("Upstream: %s", error->message);
          /* The back-off is per recording: others may be due. */
          g_clear_error (&error);
          done = TRUE;
        }
      if (done)
        continue;
      /* The queue is drained (or backing off): bring legal holds and the
       * catalogue up to date with what woke us. A failed legal hold is
       * tried again with the next upload's back-off or event. */
      if (!docket_upstream_sync_legal_holds (self, self->cancellable, &error)
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Upstream: %s", error->message);
          docket_upstream_state_set (self->db, "last-error", error->message, NULL);
          docket_upstream_state_set_int (self->db, "last-error-usec", g_get_real_time (), NULL);
        }
      g_clear_error (&error);
      /* A lengthened keep-until (a re-tag) reaches the objects; a failed
       * one backs off per object (next_timer_usec). */
      if (!docket_upstream_sync_retention (self, self->cancellable, &error)
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Upstream: %s", error->message);
          docket_upstream_state_set (self->db, "last-error", error->message, NULL);
          docket_upstream_state_set_int (self->db, "last-error-usec", g_get_real_time (), NULL);
        }
      g_clear_error (&error);
      if (!g_cancellable_is_cancelled (self->cancellable))
        sync_catalogue_in_worker (self);

      wait_until = next_timer_usec (self);
      g_mutex_lock (&self->lock);
      while (!self->stopping && !self->kicked)
        {
          if (wait_until == G_MAXINT64)
            g_cond_wait (&self->wake, &self->lock);
          else if (!g_cond_wait_until (&self->wake, &self->lock, wait_until))
            {
              self->timer_wakes++;
              break;
            }
        }
      g_mutex_unlock (&self->lock);
    }
  return NULL;
}

/* One pass by hand (tests, docketctl): the queue, then the holds, the
 * retention and the catalogue, as the worker does. */
gboolean
docket_upstream_run_once (DocketUpstream *self, GCancellable *cancellable, GError **error)
{
  gboolean done = TRUE;

  if (!docket_upstream_enqueue (self, NULL, error))
    return FALSE;
  while (done)
    if (!docket_upstream_upload_next (self, &done, cancellable, error))
      {
        /* Its own failure is in its queue row already. */
        _docket_upstream_join_finisher (self, NULL);
        return FALSE;
      }
  return docket_upstream_sync_legal_holds (self, cancellable, error)
         && docket_upstream_sync_retention (self, cancellable, error)
         && docket_upstream_sync_catalogue (self, NULL, cancellable, error);
}

void
docket_upstream_start (DocketUpstream *self)
{
  g_return_if_fail (DOCKET_IS_UPSTREAM (self));
  if (self->config == NULL || self->thread != NULL)
    return;
  self->appended_id = g_signal_connect (docket_evidence_store_get_audit_log (self->store),
                                        "appended", G_CALLBACK (audit_appended_cb), self);
  self->thread = g_thread_new ("docket-upstream", worker, self);
}

void
docket_upstream_pause (DocketUpstream *self)
{
  g_mutex_lock (&self->lock);
  self->paused = TRUE;
  /* Both recordings in flight stop now, not after their last part: the
   * parts the server confirmed are kept for the resume. */
  g_cancellable_cancel (self->transfer);
  g_cond_broadcast (&self->slot_free);
  g_mutex_unlock (&self->lock);
  _docket_upstream_emit_changed (self, TRUE);
}

void
docket_upstream_resume (DocketUpstream *self)
{
  g_mutex_lock (&self->lock);
  self->paused = FALSE;
  self->kicked = TRUE;
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
  _docket_upstream_emit_changed (self, TRUE);
}

guint
docket_upstream_retry (DocketUpstream *self, GError **error)
{
  guint changed;

  {
    g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
    g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
        self->db,
        "UPDATE upstream_uploads SET next_try_usec = 0, attempts = 0 WHERE state != 'confirmed'",
        error);

    if (stmt == NULL)
      return 0;
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        docket_database_set_error (self->db, error, "upstream retry");
        return 0;
      }
    changed = sqlite3_changes (docket_database_get_handle (self->db));
  }
  g_mutex_lock (&self->lock);
  self->catalogue_retry_usec = 0;
  self->catalogue_failures = 0;
  g_mutex_unlock (&self->lock);
  kick (self);
  _docket_upstream_emit_changed (self, TRUE);
  return changed;
}
