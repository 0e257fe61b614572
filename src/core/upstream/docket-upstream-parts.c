/* docket-upstream-parts.c — a recording's body: hashed ahead, sent several at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <unistd.h>

#include "docket-error.h"
#include "docket-upstream-private.h"

struct _DocketUpstreamBody
{
  DocketUpstream *self;
  DocketUpstreamChangedFunc changed; /* the engine's "changed", from any thread */
  Item *item;
  int fd; /* our own copy: the last parts are sent after the worker moved on */
  gchar *path;
  GPtrArray *headers; /* a one-PUT recording's; NULL-terminated */
  GCancellable *cancellable;
  GThread *starting; /* looks for the footage, starts the upload; joined before a body goes */
  guint64 part_size;
  guint n_parts;
  gboolean single; /* one PUT, not a multipart upload */

  GMutex lock;       /* everything below */
  GCond done;        /* a request of this body ended */
  gchar **md5s;      /* [n_parts]; NULL: not confirmed yet */
  GPtrArray *sends;  /* Send, one per request started */
  guint running;     /* requests in flight */
  gboolean progress; /* still the current recording: its progress is shown */
  guint64 confirmed_bytes;
  guint64 sending[PARTS_IN_FLIGHT]; /* bytes of each slot's body sent so far */
  GError *error;                    /* the first failure: the others stop */
};

/* One request: a part, or a one-PUT recording's whole body. */
typedef struct
{
  DocketUpstreamBody *body;
  guint part;
  gint slot; /* -1: the body's last, which waits for a slot in its own thread */
  guint8 md5[16];
  gchar sha256[65];
  GThread *thread;
} Send;

static void
send_free (Send *send)
{
  if (send->thread != NULL)
    g_thread_join (send->thread);
  g_free (send);
}

/* Parts the server already confirmed, into @body->md5s (any order: parts
 * sent at once may be confirmed out of order). */
static gboolean
load_confirmed_parts (DocketUpstreamBody *body, GError **error)
{
  DocketUpstream *self = body->self;
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      self->db, "SELECT part_number, md5, size FROM upstream_parts WHERE recording_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, body->item->recording_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint part = sqlite3_column_int (stmt, 0);

      if (part < 1 || (guint)part > body->n_parts || body->md5s[part - 1] != NULL)
        continue;
      body->md5s[part - 1] = g_strdup ((const gchar *)sqlite3_column_text (stmt, 1));
      body->confirmed_bytes += sqlite3_column_int64 (stmt, 2);
    }
  return TRUE;
}

/* Called with body->lock held. */
static void
body_progress (DocketUpstreamBody *body)
{
  DocketUpstream *self = body->self;
  guint64 sent = body->confirmed_bytes;

  if (!body->progress)
    return;
  for (guint i = 0; i < PARTS_IN_FLIGHT; i++)
    sent += body->sending[i];
  g_mutex_lock (&self->lock);
  self->current_sent = MIN (sent, self->current_size);
  g_mutex_unlock (&self->lock);
}

static void
send_progress_cb (guint64 sent, gpointer user_data)
{
  Send *send = user_data;

  g_mutex_lock (&send->body->lock);
  send->body->sending[send->slot] = sent;
  body_progress (send->body);
  g_mutex_unlock (&send->body->lock);
  send->body->changed (send->body->self, FALSE);
}

/* Writes a confirmed part down, so that a resumed upload skips it. Called
 * with body->lock held, so the test hook below sees an exact count. */
static gboolean
record_part (DocketUpstreamBody *body, guint part, gsize len, const gchar *md5, GError **error)
{
  DocketUpstream *self = body->self;
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      self->db,
      "INSERT OR REPLACE INTO upstream_parts (recording_id, part_number, size, md5)"
      " VALUES (?, ?, ?, ?)",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, body->item->recording_id);
  sqlite3_bind_int (stmt, 2, part);
  sqlite3_bind_int64 (stmt, 3, len);
  sqlite3_bind_text (stmt, 4, md5, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      docket_database_set_error (self->db, error, "upstream part");
      return FALSE;
    }
  return TRUE;
}

static gint take_slot (DocketUpstreamBody *body);
static DocketS3Client *slot_client (DocketUpstream *self, guint slot);

/* A sending thread: one request, on the slot's own connection. */
static gpointer
send_run (gpointer user_data)
{
  Send *send = user_data;
  DocketUpstreamBody *body = send->body;
  DocketUpstream *self = body->self;
  DocketS3Client *s3;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *etag = NULL;
  guint64 offset = (guint64)(send->part - 1) * body->part_size;
  DocketS3Body req = { body->fd,     offset,     MIN (body->part_size, body->item->size - offset),
                       send->sha256, body->path, send->md5 };

  if (send->slot < 0 && (send->slot = take_slot (body)) < 0)
    {
      /* Paused or stopped while it waited: nothing was sent, and the
       * finisher finds the part unconfirmed. */
      g_mutex_lock (&body->lock);
      body->running--;
      g_cond_broadcast (&body->done);
      g_mutex_unlock (&body->lock);
      body->changed (self, FALSE);
      return NULL;
    }
  s3 = slot_client (self, send->slot);
  docket_s3_client_set_progress (s3, send_progress_cb, send);
  if (!g_cancellable_set_error_if_cancelled (body->cancellable, &error))
    {
      if (body->single)
        etag = docket_s3_client_put_object (s3, body->item->key, &req,
                                            (const gchar *const *)body->headers->pdata, &error);
      else
        etag = docket_s3_client_upload_part (s3, body->item->key, body->item->upload_id, send->part,
                                             &req, &error);
    }
  docket_s3_client_set_progress (s3, NULL, NULL);

  g_mutex_lock (&body->lock);
  body->sending[send->slot] = 0;
  if (etag != NULL)
    {
      /* The ETag was checked against the body's MD5: it is that MD5. */
      g_autofree gchar *md5 = g_ascii_strdown (etag, -1);

      if (body->single || record_part (body, send->part, req.len, md5, &error))
        {
          body->md5s[send->part - 1] = g_steal_pointer (&md5);
          body->confirmed_bytes += req.len;
#if DOCKET_TEST_HOOKS
          /* Tests kill docketd here, with exactly this many parts
           * confirmed. Only in builds with -Dtest_hooks=true. */
          if (!body->single && g_getenv ("DOCKET_TEST_UPSTREAM_EXIT_AFTER_PART") != NULL)
            {
              guint n = 0;

              for (guint i = 0; i < body->n_parts; i++)
                n += body->md5s[i] != NULL;
              if (n == (guint)atoi (g_getenv ("DOCKET_TEST_UPSTREAM_EXIT_AFTER_PART")))
                _exit (9);
            }
#endif
        }
    }
  if (error != NULL && body->error == NULL)
    body->error = g_steal_pointer (&error);
  body_progress (body);
  body->running--;
  g_cond_broadcast (&body->done);
  g_mutex_unlock (&body->lock);

  g_mutex_lock (&self->lock);
  self->part_busy[send->slot] = FALSE;
  g_cond_broadcast (&self->slot_free);
  g_mutex_unlock (&self->lock);
  body->changed (self, FALSE);
  return NULL;
}

/* Waits for a free sending slot; -1 when cancelled (a pause or stop). */
static gint
take_slot (DocketUpstreamBody *body)
{
  DocketUpstream *self = body->self;
  gint slot = -1;

  g_mutex_lock (&self->lock);
  while (!g_cancellable_is_cancelled (body->cancellable))
    {
      for (guint i = 0; i < PARTS_IN_FLIGHT && slot < 0; i++)
        if (!self->part_busy[i])
          slot = i;
      if (slot >= 0)
        {
          self->part_busy[slot] = TRUE;
          break;
        }
      g_cond_wait (&self->slot_free, &self->lock);
    }
  g_mutex_unlock (&self->lock);
  return slot;
}

static DocketS3Client *
slot_client (DocketUpstream *self, guint slot)
{
  DocketUpstreamConfig *c = self->config;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  gint64 limit = docket_upstream_config_get_limit (c, now);

  if (self->part_s3[slot] == NULL)
    {
      self->part_s3[slot]
          = docket_s3_client_new (c->endpoint, c->region, c->bucket, c->access_key, c->secret_key);
      docket_s3_client_set_cancellable (self->part_s3[slot], self->transfer);
    }
  /* The bandwidth limit is for the kiosk, not per connection: one budget
   * for all, whatever the number of bodies on the wire. Its hours are
   * looked at as each body starts. */
  docket_rate_limit_set_rate (self->rate_limit, limit);
  docket_s3_client_set_rate_limit (self->part_s3[slot], self->rate_limit);
  return self->part_s3[slot];
}

/* One pass over a part: its MD5 (@md5 NULL: a part confirmed already, read
 * only for the whole file's SHA-256) and the whole file's SHA-256 on the way
 * (@whole NULL: a one-PUT recording). @sha256_hex gets what the request
 * signs as its payload hash: a one-PUT recording's own SHA-256, which the
 * server checks the body against; for a part, UNSIGNED-PAYLOAD. A part is
 * checked by the server against its signed Content-MD5, and its bytes are
 * the file's, whose SHA-256 the kiosk checks here against the evidence
 * hash before the last part goes: a SHA-256 of each part on top would cost
 * a pass on each side (the server's in Python) and prove nothing more. */
static gboolean
hash_part (DocketUpstreamBody *body,
           guint part,
           guint8 *md5,
           gchar *sha256_hex,
           EVP_MD_CTX *whole,
           GError **error)
{
  gsize chunk = 1024 * 1024;
  g_autofree guint8 *buf = g_malloc (chunk);
  guint64 offset = (guint64)(part - 1) * body->part_size;
  guint64 len = MIN (body->part_size, body->item->size - offset);
  EVP_MD_CTX *md5_ctx = md5 != NULL ? EVP_MD_CTX_new () : NULL;
  guint64 done = 0;
  gboolean ok = TRUE;

  if (md5_ctx != NULL)
    EVP_DigestInit_ex (md5_ctx, EVP_md5 (), NULL);
  while (done < len)
    {
      gssize n = pread (body->fd, buf, MIN (chunk, len - done), offset + done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Reading %s: %s"), body->path,
                       n < 0 ? g_strerror (errno) : _ ("the file is shorter than recorded"));
          ok = FALSE;
          break;
        }
      if (md5_ctx != NULL)
        EVP_DigestUpdate (md5_ctx, buf, n);
      if (whole != NULL)
        EVP_DigestUpdate (whole, buf, n);
      done += n;
    }
  if (ok && md5_ctx != NULL)
    EVP_DigestFinal_ex (md5_ctx, md5, NULL);
  if (md5 != NULL)
    g_strlcpy (sha256_hex, whole == NULL ? body->item->sha256 : "UNSIGNED-PAYLOAD", 65);
  if (md5_ctx != NULL)
    EVP_MD_CTX_free (md5_ctx);
  return ok;
}

/* The kiosk's copy of a multipart recording is not what was verified at
 * offload: audited, and nothing of it is completed or confirmed. */
static void
local_copy_mismatch (DocketUpstreamBody *body, const gchar *found, GError **error)
{
  DocketUpstream *self = body->self;
  g_autoptr (GVariantBuilder) details = g_variant_builder_new (G_VARIANT_TYPE_VARDICT);
  g_autofree gchar *subject = g_strdup_printf ("recording:%s", body->item->sha256);
  g_autoptr (GError) audit_error = NULL;

  g_variant_builder_add (details, "{sv}", "object-key", g_variant_new_string (body->item->key));
  g_variant_builder_add (details, "{sv}", "found-sha256", g_variant_new_string (found));
  g_variant_builder_add (details, "{sv}", "path", g_variant_new_string (body->path));
  if (docket_audit_log_append (docket_evidence_store_get_audit_log (self->store), "docketd",
                               "recording-upstream-local-mismatch", subject, "",
                               g_variant_builder_end (details), &audit_error)
      < 0)
    g_warning ("Upstream: could not audit the damaged copy %s: %s", body->path,
               audit_error->message);
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
               _ ("The kiosk's copy of recording %s is damaged (its SHA-256 is now %s): it was "
                  "not uploaded"),
               body->item->sha256, found);
}

/* The upload has started (it did so while the first part was hashed). */
static gboolean
join_starting (DocketUpstreamBody *body, GError **error)
{
  GError *start_error;

  if (body->starting == NULL)
    return TRUE;
  start_error = g_thread_join (g_steal_pointer (&body->starting));
  if (start_error == NULL)
    return TRUE;
  g_propagate_error (error, start_error);
  return FALSE;
}

/* Hashes the parts in order and hands each to a sending slot. */
static gboolean
hand_out (DocketUpstreamBody *body, GError **error)
{
  EVP_MD_CTX *whole = NULL;
  gboolean ok = TRUE;

  if (!body->single)
    {
      whole = EVP_MD_CTX_new ();
      EVP_DigestInit_ex (whole, EVP_sha256 (), NULL);
    }
  for (guint part = 1; ok && part <= body->n_parts; part++)
    {
      g_autofree Send *send = g_new0 (Send, 1);
      gboolean confirmed;
      gint slot;

      g_mutex_lock (&body->lock);
      confirmed = body->md5s[part - 1] != NULL;
      ok = body->error == NULL;
      g_mutex_unlock (&body->lock);
      if (!ok || g_cancellable_set_error_if_cancelled (body->cancellable, error))
        {
          ok = FALSE;
          break;
        }
      /* A part the server has is read all the same, for the whole
       * file's SHA-256. */
      if (!hash_part (body, part, confirmed ? NULL : send->md5, send->sha256, whole, error))
        {
          ok = FALSE;
          break;
        }
      if (part == body->n_parts && whole != NULL)
        {
          guint8 raw[32];
          gchar hex[65];

          EVP_DigestFinal_ex (whole, raw, NULL);
          for (guint i = 0; i < sizeof raw; i++)
            g_snprintf (hex + 2 * i, 3, "%02x", raw[i]);
          if (g_ascii_strcasecmp (hex, body->item->sha256) != 0)
            {
              local_copy_mismatch (body, hex, error);
              ok = FALSE;
              break;
            }
        }
      if (confirmed)
        continue;
      if (!join_starting (body, error))
        {
          ok = FALSE;
          break;
        }
      /* The server holds the footage already: nothing is sent. */
      if (body->item->present_etag != NULL)
        break;
      /* The last body waits for its slot in its own thread, so that the
       * worker starts the next recording (its upload, its first part's
       * checksums) while this one's parts are still on the wire. */
      slot = part == body->n_parts ? -1 : take_slot (body);
      if (slot < 0 && part != body->n_parts)
        {
          ok = !g_cancellable_set_error_if_cancelled (body->cancellable, error);
          break;
        }
      send->body = body;
      send->part = part;
      send->slot = slot;
      g_mutex_lock (&body->lock);
      body->running++;
      g_mutex_unlock (&body->lock);
      send->thread = g_thread_new ("docket-upstream-part", send_run, send);
      g_mutex_lock (&body->lock);
      g_ptr_array_add (body->sends, g_steal_pointer (&send));
      g_mutex_unlock (&body->lock);
    }
  if (whole != NULL)
    EVP_MD_CTX_free (whole);
  /* Its upload id is kept for the next attempt, whatever stopped this one. */
  if (!join_starting (body, ok ? error : NULL))
    ok = FALSE;
  return ok;
}

static void
body_free (DocketUpstreamBody *body)
{
  g_ptr_array_unref (body->sends); /* joins the threads */
  /* Not g_strfreev (): a failed upload leaves holes. */
  for (guint i = 0; i < body->n_parts; i++)
    g_free (body->md5s[i]);
  g_free (body->md5s);
  g_clear_error (&body->error);
  g_clear_pointer (&body->headers, g_ptr_array_unref);
  g_mutex_clear (&body->lock);
  g_cond_clear (&body->done);
  close (body->fd);
  g_free (body->path);
  g_free (body);
}

GPtrArray *
_docket_upstream_body_finish (DocketUpstreamBody *body, GError **error)
{
  g_autoptr (GPtrArray) md5s = g_ptr_array_new_with_free_func (g_free);
  gboolean ok;

  g_mutex_lock (&body->lock);
  while (body->running > 0)
    g_cond_wait (&body->done, &body->lock);
  ok = body->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&body->error));
  g_mutex_unlock (&body->lock);
  for (guint i = 0; ok && i < body->n_parts; i++)
    {
      if (body->md5s[i] == NULL)
        {
          /* Only where hand_out stopped without an error of its own. */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Upload stopped"));
          ok = FALSE;
        }
      else
        g_ptr_array_add (md5s, g_steal_pointer (&body->md5s[i]));
    }
  body_free (body);
  return ok ? g_steal_pointer (&md5s) : NULL;
}

DocketUpstreamBody *
_docket_upstream_send_body (DocketUpstream *self,
                            Item *item,
                            int fd,
                            const gchar *path,
                            guint64 part_size,
                            gboolean single,
                            GPtrArray *headers,
                            GThread *starting,
                            DocketUpstreamChangedFunc changed,
                            GCancellable *cancellable,
                            GError **error)
{
  DocketUpstreamBody *body = g_new0 (DocketUpstreamBody, 1);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GError) sent_error = NULL;
  g_autoptr (GPtrArray) md5s = NULL;
  gboolean ok;

  body->self = self;
  body->changed = changed;
  body->item = item;
  body->fd = dup (fd);
  body->path = g_strdup (path);
  body->headers = headers != NULL ? g_ptr_array_ref (headers) : NULL;
  body->cancellable = cancellable;
  body->starting = starting;
  body->single = single;
  body->part_size = single ? MAX (item->size, 1) : part_size;
  body->n_parts = single ? 1 : (item->size + part_size - 1) / part_size;
  body->md5s = g_new0 (gchar *, body->n_parts + 1);
  body->sends = g_ptr_array_new_with_free_func ((GDestroyNotify)send_free);
  body->progress = TRUE;
  g_mutex_init (&body->lock);
  g_cond_init (&body->done);
  if (body->fd < 0)
    {
      g_set_error (&local_error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Opening %s: %s"), path,
                   g_strerror (errno));
      ok = FALSE;
    }
  else
    ok = (single || load_confirmed_parts (body, &local_error)) && hand_out (body, &local_error);
  if (!join_starting (body, ok ? &local_error : NULL))
    ok = FALSE;
  g_mutex_lock (&body->lock);
  body->progress = FALSE;
  g_mutex_unlock (&body->lock);
  if (ok && item->present_etag != NULL)
    {
      body_free (body);
      return NULL;
    }
  if (ok)
    return body;

  /* Its requests in flight end first (a pause cut them off already). A
   * damaged copy or a read error says more than the parts it stopped; a
   * part's failure more than the stop it caused. */
  md5s = _docket_upstream_body_finish (body, &sent_error);
  if (local_error == NULL
      || (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && sent_error != NULL))
    g_propagate_error (
        error, sent_error != NULL
                   ? g_steal_pointer (&sent_error)
                   : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Upload stopped")));
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}
