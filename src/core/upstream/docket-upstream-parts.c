/* docket-upstream-parts.c — a multipart upload's parts, several at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "docket-error.h"
#include "docket-upstream-private.h"

typedef struct
{
  DocketUpstream *self;
  DocketUpstreamChangedFunc changed; /* the engine's "changed", from any thread */
  Item *item;
  int fd;
  const gchar *path;
  GCancellable *cancellable;
  guint64 part_size;
  guint n_parts;

  GMutex lock;  /* everything below */
  gchar **md5s; /* [n_parts]; NULL: not confirmed yet */
  guint next;   /* the lowest part number not handed out */
  guint64 confirmed_bytes;
  guint64 sending[PARTS_IN_FLIGHT]; /* bytes of each slot's part sent so far */
  GError *error;                    /* the first failure: the others stop */
} Parts;

typedef struct
{
  Parts *parts;
  guint slot;
  DocketS3Client *s3;
} Slot;

/* Parts the server already confirmed, into @parts->md5s (any order: parts
 * sent at once may be confirmed out of order). */
static gboolean
load_confirmed_parts (Parts *parts, GError **error)
{
  DocketUpstream *self = parts->self;
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      self->db, "SELECT part_number, md5, size FROM upstream_parts WHERE recording_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, parts->item->recording_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint part = sqlite3_column_int (stmt, 0);

      if (part < 1 || (guint)part > parts->n_parts || parts->md5s[part - 1] != NULL)
        continue;
      parts->md5s[part - 1] = g_strdup ((const gchar *)sqlite3_column_text (stmt, 1));
      parts->confirmed_bytes += sqlite3_column_int64 (stmt, 2);
    }
  return TRUE;
}

static void
parts_progress (Parts *parts)
{
  DocketUpstream *self = parts->self;
  guint64 sent = parts->confirmed_bytes;

  for (guint i = 0; i < PARTS_IN_FLIGHT; i++)
    sent += parts->sending[i];
  g_mutex_lock (&self->lock);
  self->current_sent = MIN (sent, self->current_size);
  g_mutex_unlock (&self->lock);
}

static void
slot_progress_cb (guint64 sent, gpointer user_data)
{
  Slot *slot = user_data;

  g_mutex_lock (&slot->parts->lock);
  slot->parts->sending[slot->slot] = sent;
  parts_progress (slot->parts);
  g_mutex_unlock (&slot->parts->lock);
  slot->parts->changed (slot->parts->self, FALSE);
}

/* Writes a confirmed part down, so that a resumed upload skips it. Called
 * with parts->lock held, so the test hook below sees an exact count. */
static gboolean
record_part (Parts *parts, guint part, gsize len, const gchar *md5, GError **error)
{
  DocketUpstream *self = parts->self;
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      self->db,
      "INSERT OR REPLACE INTO upstream_parts (recording_id, part_number, size, md5)"
      " VALUES (?, ?, ?, ?)",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, parts->item->recording_id);
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

/* A sending thread: takes the next part nobody has, until none is left or
 * one failed. */
static gpointer
slot_run (gpointer user_data)
{
  Slot *slot = user_data;
  Parts *parts = slot->parts;

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autofree gchar *etag = NULL;
      guint part = 0;
      DocketS3Body body = { parts->fd, 0, 0, NULL, parts->path };
      gsize len;

      g_mutex_lock (&parts->lock);
      while (parts->error == NULL && parts->next <= parts->n_parts
             && parts->md5s[parts->next - 1] != NULL)
        parts->next++;
      if (parts->error == NULL && parts->next <= parts->n_parts)
        part = parts->next++;
      g_mutex_unlock (&parts->lock);
      if (part == 0)
        return NULL;

      body.offset = (guint64)(part - 1) * parts->part_size;
      len = body.len = MIN (parts->part_size, parts->item->size - body.offset);
      if (!g_cancellable_set_error_if_cancelled (parts->cancellable, &error))
        etag = docket_s3_client_upload_part (slot->s3, parts->item->key, parts->item->upload_id,
                                             part, &body, &error);

      g_mutex_lock (&parts->lock);
      parts->sending[slot->slot] = 0;
      if (etag != NULL)
        {
          /* The ETag was checked against the part's MD5: it is that MD5. */
          g_autofree gchar *md5 = g_ascii_strdown (etag, -1);

          if (record_part (parts, part, len, md5, &error))
            {
              parts->md5s[part - 1] = g_steal_pointer (&md5);
              parts->confirmed_bytes += len;
#if DOCKET_TEST_HOOKS
              /* Tests kill docketd here, with exactly this many parts
               * confirmed. Only in builds with -Dtest_hooks=true. */
              if (g_getenv ("DOCKET_TEST_UPSTREAM_EXIT_AFTER_PART") != NULL)
                {
                  guint n = 0;

                  for (guint i = 0; i < parts->n_parts; i++)
                    n += parts->md5s[i] != NULL;
                  if (n == (guint)atoi (g_getenv ("DOCKET_TEST_UPSTREAM_EXIT_AFTER_PART")))
                    _exit (9);
                }
#endif
            }
        }
      if (error != NULL && parts->error == NULL)
        parts->error = g_steal_pointer (&error);
      parts_progress (parts);
      g_mutex_unlock (&parts->lock);
      parts->changed (parts->self, FALSE);
    }
}

/* Sends every part not confirmed yet, up to PARTS_IN_FLIGHT at once, each
 * on its own connection; returns their MD5s in order. */
static GPtrArray *
upload_parts (Parts *parts, GError **error)
{
  DocketUpstream *self = parts->self;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  gint64 limit = docket_upstream_config_get_limit (self->config, now);
  GThread *threads[PARTS_IN_FLIGHT] = { NULL };
  Slot slots[PARTS_IN_FLIGHT];
  g_autoptr (GPtrArray) md5s = g_ptr_array_new_with_free_func (g_free);
  guint missing = 0, n_slots;

  for (guint i = 0; i < parts->n_parts; i++)
    missing += parts->md5s[i] == NULL;
  n_slots = CLAMP (missing, 1, PARTS_IN_FLIGHT);
  for (guint i = 0; i < n_slots; i++)
    {
      slots[i].parts = parts;
      slots[i].slot = i;
      if (self->part_s3[i] == NULL)
        {
          DocketUpstreamConfig *c = self->config;

          self->part_s3[i] = docket_s3_client_new (c->endpoint, c->region, c->bucket, c->access_key,
                                                   c->secret_key);
          docket_s3_client_set_cancellable (self->part_s3[i], self->transfer);
        }
      slots[i].s3 = self->part_s3[i];
      /* The bandwidth limit is for the kiosk, not per connection. */
      docket_s3_client_set_max_send_speed (slots[i].s3, limit > 0 ? MAX (limit / n_slots, 1) : 0);
      docket_s3_client_set_progress (slots[i].s3, slot_progress_cb, &slots[i]);
    }
  for (guint i = 1; i < n_slots; i++)
    threads[i] = g_thread_new ("docket-upstream-part", slot_run, &slots[i]);
  slot_run (&slots[0]);
  for (guint i = 1; i < n_slots; i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < n_slots; i++)
    docket_s3_client_set_progress (slots[i].s3, NULL, NULL);

  if (parts->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&parts->error));
      return NULL;
    }
  for (guint i = 0; i < parts->n_parts; i++)
    g_ptr_array_add (md5s, g_steal_pointer (&parts->md5s[i]));
  return g_steal_pointer (&md5s);
}

GPtrArray *
_docket_upstream_upload_parts (DocketUpstream *self,
                               Item *item,
                               int fd,
                               const gchar *path,
                               guint64 part_size,
                               DocketUpstreamChangedFunc changed,
                               GCancellable *cancellable,
                               GError **error)
{
  Parts parts = { 0 };
  GPtrArray *md5s = NULL;

  parts.self = self;
  parts.changed = changed;
  parts.item = item;
  parts.fd = fd;
  parts.path = path;
  parts.cancellable = cancellable;
  parts.part_size = part_size;
  parts.n_parts = (item->size + part_size - 1) / part_size;
  parts.md5s = g_new0 (gchar *, parts.n_parts + 1);
  parts.next = 1;
  g_mutex_init (&parts.lock);
  if (load_confirmed_parts (&parts, error))
    md5s = upload_parts (&parts, error);
  /* Not g_strfreev (): a failed upload leaves holes. */
  for (guint i = 0; i < parts.n_parts; i++)
    g_free (parts.md5s[i]);
  g_free (parts.md5s);
  g_clear_error (&parts.error);
  g_mutex_clear (&parts.lock);
  return md5s;
}
