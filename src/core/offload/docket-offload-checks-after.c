/* docket-offload-checks-after.c — thumbnails and deep checks after an offload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One at a time, in a low-priority thread, never in the way of an offload:
 * a camera is done when its last commit is, and what it committed gets its
 * thumbnail (and, where the policy asks, its full decode) afterwards. What
 * could not be done then (docketd stopped, a helper timed out) is owed and
 * looked up again after each offload and at start.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-media-check.h"
#include "docket-offload-manager-private.h"

#define DEEP_CHECK_TIMEOUT_MS (4 * 60 * 60 * 1000) /* 4 GB at ~9 MB/s, with margin */
#define THUMBNAIL_TIMEOUT_MS 60000

typedef struct
{
  DocketOffloadManager *manager; /* ref */
  gint64 id;
  gboolean deep;      /* else only a missing thumbnail */
  gboolean committed; /* committed by the job just finished: its first try */
} DeepCheck;

static gboolean
deep_done_cb (gpointer data)
{
  DeepCheck *dc = data;

  if (dc->deep)
    {
      g_hash_table_remove (dc->manager->deep_queued, &dc->id);
      /* By name: this file stays below the manager's. */
      g_signal_emit_by_name (dc->manager, "deep-checked", dc->id);
    }
  g_object_unref (dc->manager);
  g_free (dc);
  return G_SOURCE_REMOVE;
}

static gboolean
is_unplayable (DocketEvidenceStore *store, gint64 id)
{
  g_autoptr (DocketStoredRecording) rec = docket_evidence_store_get_recording (store, id, NULL);

  return rec != NULL && g_strcmp0 (rec->condition, DOCKET_CONDITION_NOT_PLAYABLE) == 0;
}

static void
deep_check_thread (gpointer data, gpointer user_data)
{
  DeepCheck *dc = data;
  DocketOffloadManager *self = dc->manager;
  g_autoptr (GError) error = NULL;

  if (!(dc->committed ? docket_offload_make_thumbnail_after_commit
                      : docket_offload_make_missing_thumbnail) (
          self->store, dc->id, THUMBNAIL_TIMEOUT_MS, self->deep_cancellable, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Still no thumbnail for recording %" G_GINT64_FORMAT ": %s", dc->id,
                   error->message);
      g_clear_error (&error);
    }
  if (dc->deep && is_unplayable (self->store, dc->id))
    {
      /* Nothing to decode: say so rather than spend a helper on it. */
      if (!docket_evidence_store_set_deep_check (
              self->store, dc->id, _ ("Not run: the file cannot be played"), NULL, &error))
        g_warning ("%s", error->message);
    }
  else if (dc->deep
           && !docket_offload_deep_check (self->store, dc->id, DEEP_CHECK_TIMEOUT_MS,
                                          self->deep_cancellable, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Deep check of recording %" G_GINT64_FORMAT " failed: %s", dc->id,
                   error->message);
    }
  g_atomic_int_dec_and_test (&self->deep_pending);
  /* Always through the main loop, never inline in this thread: dropping
   * the last reference here would make the pool wait for itself. */
  {
    GSource *source = g_idle_source_new ();

    g_source_set_callback (source, deep_done_cb, dc, NULL);
    g_source_attach (source, NULL);
    g_source_unref (source);
  }
}

static void
push_check (DocketOffloadManager *self, gint64 id, gboolean deep, gboolean committed)
{
  DeepCheck *dc;

  if (deep && g_hash_table_contains (self->deep_queued, &id))
    return;
  dc = g_new0 (DeepCheck, 1);
  if (deep)
    g_hash_table_add (self->deep_queued, g_memdup2 (&id, sizeof id));

  if (self->deep_pool == NULL)
    self->deep_pool = g_thread_pool_new (deep_check_thread, NULL, 1, FALSE, NULL);
  dc->manager = g_object_ref (self);
  dc->id = id;
  dc->deep = deep;
  dc->committed = committed;
  g_atomic_int_inc (&self->deep_pending);
  g_thread_pool_push (self->deep_pool, dc, NULL);
}

/* The store's look-ups for checks still owed, in a thread: a query there
 * can wait on the database while a commit syncs, and the main loop serves
 * the kiosk. */
typedef struct
{
  gboolean deep;       /* look for owed deep checks */
  gboolean thumbnails; /* look for missing thumbnails */
  GArray *skip;        /* ids queued already (the job's commits), or NULL */
  GArray *owed;        /* results */
  GArray *missing;
} OwedWork;

static void
owed_work_free (OwedWork *w)
{
  g_clear_pointer (&w->skip, g_array_unref);
  g_clear_pointer (&w->owed, g_array_unref);
  g_clear_pointer (&w->missing, g_array_unref);
  g_free (w);
}

static void
owed_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DocketOffloadManager *self = source;
  OwedWork *w = task_data;
  g_autoptr (GError) error = NULL;

  if (w->deep)
    {
      w->owed = docket_evidence_store_list_owed_deep_checks (self->store, 16, &error);
      if (w->owed == NULL)
        g_warning ("%s", error->message);
      g_clear_error (&error);
    }
  if (w->thumbnails)
    {
      w->missing = docket_evidence_store_list_missing_thumbnails (self->store, 16, &error);
      if (w->missing == NULL)
        g_warning ("%s", error->message);
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
in_array (GArray *ids, gint64 id)
{
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

static void
owed_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DocketOffloadManager *self = user_data; /* the task's source object */
  OwedWork *w = g_task_get_task_data (G_TASK (result));

  /* Deep checks only while they are still wanted. */
  for (guint i = 0; w->owed != NULL && self->deep_check && i < w->owed->len; i++)
    push_check (self, g_array_index (w->owed, gint64, i), TRUE, FALSE);
  for (guint i = 0; w->missing != NULL && i < w->missing->len; i++)
    {
      gint64 id = g_array_index (w->missing, gint64, i);

      if (!in_array (w->skip, id))
        push_check (self, id, FALSE, FALSE);
    }
  /* Counted as pending from the look-up on, so the manager is not idle
   * in between. */
  g_atomic_int_dec_and_test (&self->deep_pending);
}

/* Deep checks still owed (docketd stopped first, or a check could not run),
 * a few at a time, oldest first: after each offload and when deep checks
 * are turned on (docketd's start); after an offload also thumbnails still
 * missing from earlier (e.g. a helper timeout). */
static void
queue_owed (DocketOffloadManager *self, gboolean thumbnails, GArray *skip)
{
  g_autoptr (GTask) task = NULL;
  OwedWork *w;

  if (self->store == NULL || (!self->deep_check && !thumbnails))
    return;
  w = g_new0 (OwedWork, 1);
  w->deep = self->deep_check;
  w->thumbnails = thumbnails;
  w->skip = skip != NULL ? g_array_ref (skip) : NULL;
  task = g_task_new (self, NULL, owed_done_cb, self);
  g_task_set_source_tag (task, queue_owed);
  g_task_set_task_data (task, w, (GDestroyNotify)owed_work_free);
  g_atomic_int_inc (&self->deep_pending);
  g_task_run_in_thread (task, owed_thread);
}

void
_docket_offload_manager_queue_owed (DocketOffloadManager *self)
{
  queue_owed (self, FALSE, NULL);
}

/* After each offload, in one low-priority thread: the thumbnails and deep
 * checks of what it committed (its jobs leave the thumbnails to this, so a
 * camera is done when its last commit is), then what is owed from earlier. */
void
_docket_offload_manager_queue_checks (DocketOffloadManager *self, DocketOffloadJob *job)
{
  g_autoptr (GArray) ids = docket_offload_job_get_committed (job);

  for (guint i = 0; i < ids->len; i++)
    push_check (self, g_array_index (ids, gint64, i), self->deep_check, TRUE);
  queue_owed (self, TRUE, ids);
}
