/* docket-upstream.c — the upstream queue, one recording's upload, catalogue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "docket-catalogue.h"
#include "docket-error.h"
#include "docket-s3-client.h"
#include "docket-upstream-state.h"
#include "docket-upstream.h"

#include "docket-upstream-private.h"

G_DEFINE_FINAL_TYPE (DocketUpstream, docket_upstream, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_docket_upstream_item_free (Item *item)
{
  g_free (item->sha256);
  g_free (item->key);
  g_free (item->upload_id);
  g_free (item->present_etag);
  g_free (item);
}

void
docket_upstream_stop (DocketUpstream *self)
{
  g_return_if_fail (DOCKET_IS_UPSTREAM (self));
  if (self->thread != NULL)
    {
      g_clear_signal_handler (&self->appended_id,
                              docket_evidence_store_get_audit_log (self->store));
      g_mutex_lock (&self->lock);
      self->stopping = TRUE;
      g_cond_broadcast (&self->wake);
      g_cancellable_cancel (self->transfer);
      g_cond_broadcast (&self->slot_free);
      g_mutex_unlock (&self->lock);
      g_cancellable_cancel (self->cancellable);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  /* Cancelled, or done already (run_once joins it). */
  _docket_upstream_join_finisher (self, NULL);
}

static void
docket_upstream_finalize (GObject *object)
{
  DocketUpstream *self = DOCKET_UPSTREAM (object);

  docket_upstream_stop (self);
  g_clear_object (&self->s3);
  g_clear_object (&self->finish_s3);
  for (guint i = 0; i < G_N_ELEMENTS (self->part_s3); i++)
    g_clear_object (&self->part_s3[i]);
  g_clear_object (&self->catalogue);
  if (self->retention != NULL)
    g_clear_signal_handler (&self->policy_changed_id,
                            docket_retention_get_config (self->retention));
  g_clear_object (&self->retention);
  g_clear_object (&self->store);
  g_clear_pointer (&self->config, docket_upstream_config_unref);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->transfer);
  g_free (self->current_key);
  g_free (self->finishing_key);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->wake);
  g_cond_clear (&self->slot_free);
  g_clear_pointer (&self->rate_limit, docket_rate_limit_unref);
  G_OBJECT_CLASS (docket_upstream_parent_class)->finalize (object);
}

static void
docket_upstream_class_init (DocketUpstreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_upstream_finalize;

  /* Queue or progress changed (rate-limited while a transfer runs). */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
docket_upstream_init (DocketUpstream *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->wake);
  g_cond_init (&self->slot_free);
  self->rate_limit = docket_rate_limit_new ();
  self->cancellable = g_cancellable_new ();
  self->transfer = g_cancellable_new ();
  self->object_lock = -1;
}

static gboolean
emit_changed_cb (gpointer user_data)
{
  g_signal_emit (DOCKET_UPSTREAM (user_data), signals[SIGNAL_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* Any thread; @force: a state change, not just progress. */
void
_docket_upstream_emit_changed (DocketUpstream *self, gboolean force)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&self->lock);
  if (!force && now - self->last_emit_usec < G_USEC_PER_SEC / 4)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->last_emit_usec = now;
  g_mutex_unlock (&self->lock);
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, emit_changed_cb,
                              g_object_ref (self), g_object_unref);
}

DocketUpstream *
docket_upstream_new (DocketEvidenceStore *store, DocketUpstreamConfig *config, GError **error)
{
  g_autoptr (DocketUpstream) self = g_object_new (DOCKET_TYPE_UPSTREAM, NULL);

  self->store = g_object_ref (store);
  self->db = docket_evidence_store_get_database (store);
  self->config = config != NULL ? docket_upstream_config_ref (config) : NULL;
  self->main_context = g_main_context_ref_thread_default ();
  if (!docket_upstream_state_set (self->db, "configured", config != NULL ? "1" : NULL, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* Main thread: the retention figures changed (a device policy). The worker
 * looks at every uploaded object's retention again. */
static void
policy_changed_cb (DocketUpstream *self)
{
  g_mutex_lock (&self->lock);
  self->retention_recheck = TRUE;
  self->kicked = TRUE;
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
}

void
docket_upstream_set_retention (DocketUpstream *self, DocketRetention *retention)
{
  g_return_if_fail (DOCKET_IS_UPSTREAM (self));
  g_return_if_fail (self->thread == NULL);
  if (self->retention != NULL)
    g_clear_signal_handler (&self->policy_changed_id,
                            docket_retention_get_config (self->retention));
  g_set_object (&self->retention, retention);
  if (retention != NULL)
    self->policy_changed_id = g_signal_connect_swapped (
        docket_retention_get_config (retention), "changed", G_CALLBACK (policy_changed_cb), self);
}

gboolean
docket_upstream_is_configured (DocketUpstream *self)
{
  g_return_val_if_fail (DOCKET_IS_UPSTREAM (self), FALSE);
  return self->config != NULL;
}

gboolean
docket_upstream_enqueue (DocketUpstream *self, guint *out_added, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      self->db,
      "INSERT INTO upstream_uploads (recording_id, sha256, object_key, size, queued_usec)"
      " SELECT r.id, r.sha256, 'sha256/' || substr(r.sha256, 1, 2) || '/' || r.sha256, r.size, ?1"
      " FROM recordings r WHERE r.state = 'verified'"
      " AND NOT EXISTS (SELECT 1 FROM upstream_uploads u WHERE u.recording_id = r.id)",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      docket_database_set_error (self->db, error, "upstream queue");
      return FALSE;
    }
  if (out_added != NULL)
    *out_added = sqlite3_changes (docket_database_get_handle (self->db));
  return TRUE;
}

static void
progress_cb (guint64 sent, gpointer user_data)
{
  DocketUpstream *self = user_data;

  g_mutex_lock (&self->lock);
  self->current_sent = sent;
  g_mutex_unlock (&self->lock);
  _docket_upstream_emit_changed (self, FALSE);
}

gboolean
_docket_upstream_ensure_clients (DocketUpstream *self, GError **error)
{
  DocketUpstreamConfig *c = self->config;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  if (self->s3 == NULL)
    {
      self->s3
          = docket_s3_client_new (c->endpoint, c->region, c->bucket, c->access_key, c->secret_key);
      docket_s3_client_set_cancellable (self->s3, self->transfer);
      docket_s3_client_set_progress (self->s3, progress_cb, self);
      self->finish_s3
          = docket_s3_client_new (c->endpoint, c->region, c->bucket, c->access_key, c->secret_key);
      docket_s3_client_set_cancellable (self->finish_s3, self->transfer);
      docket_s3_client_set_rate_limit (self->s3, self->rate_limit);
      docket_s3_client_set_rate_limit (self->finish_s3, self->rate_limit);
    }
  docket_rate_limit_set_rate (self->rate_limit, docket_upstream_config_get_limit (c, now));
  if (!self->bucket_ready)
    {
      if (!docket_s3_client_ensure_bucket (self->s3, error))
        return FALSE;
      self->bucket_ready = TRUE;
    }
  if (self->object_lock < 0)
    {
      g_autofree gchar *detail = NULL;
      g_autofree gchar *known = docket_upstream_state_get (self->db, "object-lock");
      gboolean enabled = FALSE;

      if (!docket_s3_client_get_object_lock (self->s3, &enabled, &detail, error))
        {
          g_prefix_error (error, _ ("Bucket %s: "), c->bucket);
          return FALSE;
        }
      self->object_lock = enabled ? 1 : 0;
      /* Said once, not at every start: the IT page keeps showing it. */
      if (g_strcmp0 (known, enabled ? "enabled" : detail) != 0)
        {
          if (enabled)
            g_message ("Upstream: bucket %s has S3 Object Lock: compliance retention and legal "
                       "holds are set on every object",
                       c->bucket);
          else
            g_message ("Upstream: no compliance retention or legal holds on bucket %s: %s",
                       c->bucket, detail);
          if (!docket_upstream_state_set (self->db, "object-lock", enabled ? "enabled" : detail,
                                          error))
            return FALSE;
        }
    }
  return TRUE;
}

gint64
_docket_upstream_retain_until_usec (DocketUpstream *self, Item *item)
{
  gint64 until = 0;

  if (self->retention != NULL)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (DocketRetentionItem) r = docket_retention_get_item (
          self->retention, item->recording_id, g_get_real_time (), &error);

      if (r == NULL)
        g_warning ("Upstream: no keep-until for %s: %s", item->key, error->message);
      else if (r->keep_until_usec != G_MAXINT64)
        until = r->keep_until_usec;
    }
  if (until == 0 && self->config->object_lock_days > 0)
    until = item->committed_usec
            + (gint64)self->config->object_lock_days * 24 * 3600 * G_USEC_PER_SEC;
  return until;
}

static GPtrArray *
object_headers (DocketUpstream *self, Item *item)
{
  GPtrArray *headers = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (headers, g_strdup_printf ("x-amz-meta-sha256: %s", item->sha256));
  g_ptr_array_add (headers,
                   g_strdup_printf ("x-amz-meta-docket-station: %s", self->config->station_id));
  g_ptr_array_add (headers,
                   g_strdup_printf ("x-amz-meta-docket-kiosk: %s", self->config->kiosk_id));
  /* Only where the bucket said it has Object Lock: other stores ignore
   * these headers, and the IT page must not suggest WORM where there is none. */
  if (self->object_lock == 1)
    {
      gint64 until = _docket_upstream_retain_until_usec (self, item);

      if (until > g_get_real_time ())
        {
          g_autofree gchar *iso = docket_s3_retain_until (until);

          g_ptr_array_add (headers, g_strdup ("x-amz-object-lock-mode: COMPLIANCE"));
          g_ptr_array_add (headers,
                           g_strdup_printf ("x-amz-object-lock-retain-until-date: %s", iso));
        }
    }
  g_ptr_array_add (headers, NULL);
  return headers;
}

typedef struct
{
  DocketUpstream *self;
  Item *item;
  GPtrArray *headers;
  guint64 part_size;
  gboolean single; /* one PUT: nothing to start */
} Start;

static gboolean
already_present (DocketUpstream *self, Item *item, gchar **out_etag, GError **error);

/* Looks for @item's footage on the server (objects are keyed by SHA-256: a
 * second upload would only write the same bytes again, on a versioned
 * bucket as a new version), then starts its multipart upload and records
 * its id. A thread of its own, as the server may take a while to answer
 * with the previous recording's parts on the wire: the first body is
 * hashed meanwhile. Returns a GError, or NULL. */
static gpointer
start_run (gpointer user_data)
{
  g_autofree Start *start = user_data;
  g_autoptr (GPtrArray) headers = start->headers;
  Item *item = start->item;
  GError *error = NULL;

  if (already_present (start->self, item, &item->present_etag, &error) || error != NULL
      || start->single)
    return error;
  item->upload_id = docket_s3_client_create_multipart (
      start->self->s3, item->key, (const gchar *const *)headers->pdata, &error);
  if (item->upload_id != NULL)
    _docket_upstream_exec_item (start->self,
                                "UPDATE upstream_uploads SET upload_id = ?2, part_size = ?3,"
                                " state = 'uploading' WHERE recording_id = ?1",
                                item, item->upload_id, start->part_size, &error);
  return error;
}

/* Whether the object storage holds @item's footage already: its object has
 * the size and the SHA-256 an upload of ours gives it (footage docked twice,
 * here or on another kiosk, or a queue replayed). Its ETag to @out_etag;
 * FALSE without an error where there is no object, or another. */
static gboolean
already_present (DocketUpstream *self, Item *item, gchar **out_etag, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree gchar *etag = NULL;
  g_autofree gchar *sha256 = NULL;
  gint64 size = -1;

  if (!docket_s3_client_head (self->s3, item->key, &size, &etag, &sha256, &local_error))
    {
      if (g_error_matches (local_error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND))
        return FALSE;
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _ ("Looking for %s: "),
                                  item->key);
      return FALSE;
    }
  if (size != (gint64)item->size || g_strcmp0 (sha256, item->sha256) != 0)
    return FALSE;
  *out_etag = g_steal_pointer (&etag);
  return TRUE;
}

/* Starts sending @item's body: one PUT, or a multipart upload's parts; the
 * finisher waits for the last ones (_docket_upstream_body_finish). NULL
 * without an error, and the object's ETag to @out_present, where the object
 * storage holds the footage already: nothing is sent. */
static DocketUpstreamBody *
send_recording (DocketUpstream *self,
                Item *item,
                int fd,
                const gchar *path,
                gchar **out_present,
                GCancellable *cancellable,
                GError **error)
{
  g_autoptr (GPtrArray) headers = object_headers (self, item);
  guint64 part_size = item->part_size > 0 ? item->part_size : self->config->part_size;
  /* The whole recording in one PUT: its SHA-256 is known, and the server
   * checks the body against it. */
  gboolean single = item->size <= self->config->part_size && item->upload_id == NULL;
  GThread *starting = NULL;
  DocketUpstreamBody *body;
  g_autoptr (GError) local_error = NULL;

  /* A multipart upload being resumed is ours: nothing to look for. */
  if (item->upload_id == NULL)
    {
      Start *start = g_new0 (Start, 1);

      start->self = self;
      start->item = item;
      start->headers = g_ptr_array_ref (headers);
      start->part_size = part_size;
      start->single = single;
      starting = g_thread_new ("docket-upstream-start", start_run, start);
    }
  body = _docket_upstream_send_body (self, item, fd, path, single ? item->size : part_size, single,
                                     single ? headers : NULL, starting,
                                     _docket_upstream_emit_changed, cancellable, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (body == NULL)
    *out_present = g_steal_pointer (&item->present_etag);
  return body;
}

/* Marks @item upstream-confirmed, with its audit row. @present: the object
 * storage held the footage before, nothing was sent. (Its legal_hold stays
 * 0: a hold another kiosk put on the object is left alone unless this
 * kiosk holds the footage too.) */
static gboolean
commit_confirmed (
    DocketUpstream *self, Item *item, const gchar *etag, gboolean present, GError **error)
{
  g_autoptr (GVariantBuilder) details = g_variant_builder_new (G_VARIANT_TYPE_VARDICT);
  g_autofree gchar *subject = g_strdup_printf ("recording:%s", item->sha256);
  gint64 now = g_get_real_time ();

  g_variant_builder_add (details, "{sv}", "object-key", g_variant_new_string (item->key));
  g_variant_builder_add (details, "{sv}", "etag", g_variant_new_string (etag));
  g_variant_builder_add (details, "{sv}", "endpoint",
                         g_variant_new_string (self->config->endpoint));
  g_variant_builder_add (details, "{sv}", "bucket", g_variant_new_string (self->config->bucket));
  if (present)
    g_variant_builder_add (details, "{sv}", "already-present", g_variant_new_boolean (TRUE));
  if (!docket_database_begin (self->db, error))
    return FALSE;
  if (!_docket_upstream_exec_item (
          self,
          "UPDATE upstream_uploads SET state = 'confirmed', confirmed_usec = ?3,"
          " last_error = ?2 WHERE recording_id = ?1",
          item, NULL, now, error)
      || !_docket_upstream_exec_item (
          self, "DELETE FROM upstream_parts WHERE recording_id = ?1 AND ?2 IS NULL AND ?3", item,
          NULL, 1, error)
      || docket_audit_log_append (docket_evidence_store_get_audit_log (self->store), "docketd",
                                  "recording-upstream-confirmed", subject, "",
                                  g_variant_builder_end (details), error)
             < 0
      || !docket_upstream_state_set_int (self->db, "last-success-usec", now, error)
      || !docket_upstream_state_set (self->db, "last-error", NULL, error)
      || !docket_database_commit (self->db, error))
    {
      docket_database_rollback (self->db);
      return FALSE;
    }
  return TRUE;
}

static gboolean
confirm (DocketUpstream *self, Item *item, const gchar *expected_etag, GError **error)
{
  /* The finisher's client: the worker's sends the next recording meanwhile. */
  g_autofree gchar *etag = NULL;
  g_autofree gchar *sha256 = NULL;
  gint64 size = -1;

  if (!docket_s3_client_head (self->finish_s3, item->key, &size, &etag, &sha256, error))
    {
      g_prefix_error (error, _ ("Confirming %s: "), item->key);
      return FALSE;
    }
  if (size != (gint64)item->size || g_ascii_strcasecmp (etag, expected_etag) != 0
      || g_strcmp0 (sha256, item->sha256) != 0)
    {
      g_autofree gchar *have = g_strdup_printf ("%" G_GINT64_FORMAT, size);
      g_autofree gchar *want = g_strdup_printf ("%" G_GUINT64_FORMAT, item->size);

      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("Object storage holds a different %s (size %s, ETag %s; expected %s, %s)"),
                   item->key, have, etag, want, expected_etag);
      return FALSE;
    }
  return commit_confirmed (self, item, etag, FALSE, error);
}

typedef struct
{
  DocketUpstream *self;
  Item *item;
  DocketUpstreamBody *body; /* its last requests may still be in flight */
  gboolean single;          /* one PUT, not a multipart upload */
  GError *error;
} Finish;

/* The finisher thread: completes the multipart upload, HEADs the object and
 * commits its confirmation, while the worker sends the next recording. */
static gpointer
finish_run (gpointer user_data)
{
  Finish *f = user_data;
  DocketUpstream *self = f->self;
  g_autoptr (GPtrArray) md5s = NULL;
  g_autofree gchar *etag = NULL;

#if DOCKET_TEST_HOOKS
  /* Tests keep the first recording "finishing", until a pause or stop, so
   * that two recordings are in flight. Only with -Dtest_hooks=true. */
  if (g_getenv ("DOCKET_TEST_UPSTREAM_HOLD_FIRST_FINISH_MS") != NULL)
    {
      static gsize held = 0;

      if (g_once_init_enter (&held))
        {
          gint64 until
              = g_get_monotonic_time ()
                + g_ascii_strtoll (g_getenv ("DOCKET_TEST_UPSTREAM_HOLD_FIRST_FINISH_MS"), NULL, 10)
                      * 1000;

          while (g_get_monotonic_time () < until && !g_cancellable_is_cancelled (self->transfer))
            g_usleep (10000);
          g_once_init_leave (&held, 1);
        }
    }
#endif
  /* The body's last requests first; they were handed out in full. */
  md5s = _docket_upstream_body_finish (g_steal_pointer (&f->body), &f->error);
  /* Paused (or stopping) already: the recording waits, parts and all. */
  if (md5s != NULL && !g_cancellable_set_error_if_cancelled (self->transfer, &f->error)
      && !f->single)
    {
      g_autofree gchar *multi = docket_s3_multipart_etag (md5s);

      if (docket_s3_client_complete_multipart (self->finish_s3, f->item->key, f->item->upload_id,
                                               md5s, &f->error))
        etag = g_steal_pointer (&multi);
      else if (g_error_matches (f->error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND)
               && confirm (self, f->item, multi, NULL))
        {
          /* Completed already: a pause or stop cut the answer off, not the
           * request. The HEAD confirmed it; nothing is sent again. */
          g_clear_error (&f->error);
        }
    }
  else if (md5s != NULL && f->error == NULL)
    etag = g_strdup (g_ptr_array_index (md5s, 0));
  /* A one-PUT recording paused here is tried again after the resume:
   * nothing records that its PUT went through, but the HEAD before the
   * next attempt finds the object if it did. */
  if (etag != NULL && f->error == NULL)
    confirm (self, f->item, etag, &f->error);
  if (f->error != NULL)
    _docket_upstream_settle_failure (self, f->item, f->error);
  g_mutex_lock (&self->lock);
  self->finishing_id = 0;
  g_clear_pointer (&self->finishing_key, g_free);
  g_mutex_unlock (&self->lock);
  _docket_upstream_emit_changed (self, TRUE);
  return f;
}

gboolean
_docket_upstream_join_finisher (DocketUpstream *self, GError **error)
{
  Finish *f;
  gboolean ok;

  if (self->finisher == NULL)
    return TRUE;
  f = g_thread_join (g_steal_pointer (&self->finisher));
  ok = f->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&f->error));
  _docket_upstream_item_free (f->item);
  g_free (f);
  return ok;
}

/* Sends the next recording due; its completion and confirmation run in the
 * finisher while the worker's next call sends the one after (at most two
 * recordings in flight). Returns the previous recording's result. */
gboolean
docket_upstream_upload_next (DocketUpstream *self,
                             gboolean *out_done,
                             GCancellable *cancellable,
                             GError **error)
{
  g_autoptr (Item) item = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *present = NULL;
  DocketUpstreamBody *body = NULL;
  Finish *f;
  gboolean ok;
  int fd;

  g_return_val_if_fail (DOCKET_IS_UPSTREAM (self), FALSE);
  *out_done = FALSE;
  if (self->config == NULL)
    return TRUE;
  item = _docket_upstream_next_item (self, &local_error);
  if (item == NULL)
    {
      /* Nothing else due: the queue is drained once the finisher is, but
       * look again after it (a recording of the same object may wait). */
      *out_done = self->finisher != NULL;
      ok = _docket_upstream_join_finisher (self, error);
      if (local_error == NULL)
        return ok;
      g_clear_error (error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *out_done = TRUE;
  g_mutex_lock (&self->lock);
  g_free (self->current_key);
  self->current_key = g_strdup (item->key);
  self->current_size = item->size;
  self->current_sent = 0;
  g_mutex_unlock (&self->lock);
  _docket_upstream_emit_changed (self, TRUE);

  path = docket_evidence_store_get_object_path (self->store, item->sha256);
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    g_set_error (&local_error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Opening %s: %s"), path,
                 g_strerror (errno));
  else
    {
      /* Returns with its last requests still in flight: the finisher
       * waits for them while the next recording is read. */
      if (_docket_upstream_ensure_clients (self, &local_error))
        body = send_recording (self, item, fd, path, &present, cancellable, &local_error);
      close (fd);
    }
  /* Nothing to send or finish: confirmed here, while the finisher (if
   * any) goes on with the previous recording. */
  if (present != NULL)
    commit_confirmed (self, item, present, TRUE, &local_error);

  if (local_error != NULL)
    {
      g_mutex_lock (&self->lock);
      g_clear_pointer (&self->current_key, g_free);
      g_mutex_unlock (&self->lock);
      /* The previous recording's confirmation first, so that it does not
       * clear the error this one leaves for the IT page. Its own failure, if
       * any, is in its queue row. */
      _docket_upstream_join_finisher (self, NULL);
      _docket_upstream_settle_failure (self, item, local_error);
      _docket_upstream_emit_changed (self, TRUE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (present != NULL)
    {
      g_mutex_lock (&self->lock);
      g_clear_pointer (&self->current_key, g_free);
      g_mutex_unlock (&self->lock);
      _docket_upstream_emit_changed (self, TRUE);
      return TRUE;
    }

  ok = _docket_upstream_join_finisher (self, error);
  f = g_new0 (Finish, 1);
  f->self = self;
  f->body = body;
  f->single = item->upload_id == NULL;
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->current_key, g_free);
  self->finishing_id = item->recording_id;
  self->finishing_key = g_strdup (item->key);
  g_mutex_unlock (&self->lock);
  f->item = g_steal_pointer (&item);
  self->finisher = g_thread_new ("docket-upstream-finish", finish_run, f);
  _docket_upstream_emit_changed (self, TRUE);
  return ok;
}

/* Worker thread: connects to the catalogue when configured and not yet
 * connected. FALSE with @error when that fails. */
gboolean
_docket_upstream_ensure_catalogue (DocketUpstream *self, GError **error)
{
  DocketUpstreamConfig *c = self->config;

  if (self->catalogue != NULL)
    return TRUE;
  self->catalogue = docket_catalogue_connect (c->catalogue, c->catalogue_password, c->station_id,
                                              c->kiosk_id, error);
  return self->catalogue != NULL;
}

gboolean
docket_upstream_sync_catalogue (DocketUpstream *self,
                                guint64 *out_rows,
                                GCancellable *cancellable,
                                GError **error)
{
  DocketUpstreamConfig *c = self->config;

  if (c == NULL || c->catalogue == NULL)
    return TRUE;
  if (!_docket_upstream_ensure_catalogue (self, error))
    return FALSE;
  if (!docket_catalogue_sync (self->catalogue, self->db, out_rows, cancellable, error))
    {
      /* Reconnect next time: the connection may be what failed. */
      g_clear_object (&self->catalogue);
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  self->catalogue_usec = g_get_real_time ();
  g_mutex_unlock (&self->lock);
  return TRUE;
}
