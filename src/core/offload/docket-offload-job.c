/* docket-offload-job.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "docket-error.h"
#include "docket-offload-job-private.h"
#include "docket-sha256.h"

#define PROGRESS_INTERVAL_USEC (250 * G_TIME_SPAN_MILLISECOND)

G_DEFINE_FINAL_TYPE (DocketOffloadJob, docket_offload_job, G_TYPE_OBJECT)

enum
{
  SIGNAL_PROGRESS,
  SIGNAL_RECORDING_VERIFIED,
  SIGNAL_RECORDING_QUARANTINED,
  SIGNAL_MEDIA_CHECK_WEDGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
docket_offload_job_dispose (GObject *object)
{
  DocketOffloadJob *self = DOCKET_OFFLOAD_JOB (object);

  g_clear_object (&self->store);
  g_clear_object (&self->driver);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (docket_offload_job_parent_class)->dispose (object);
}

static void
docket_offload_job_finalize (GObject *object)
{
  DocketOffloadJob *self = DOCKET_OFFLOAD_JOB (object);

  g_free (self->officer);
  g_free (self->actor);
  g_free (self->keep_reason);
  g_free (self->current);
  g_array_unref (self->committed);
  docket_camera_identity_clear (&self->identity);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (docket_offload_job_parent_class)->finalize (object);
}

static void
docket_offload_job_class_init (DocketOffloadJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_offload_job_dispose;
  object_class->finalize = docket_offload_job_finalize;

  /**
   * DocketOffloadJob::progress:
   * @progress: a{sv}: files-done, files-total, bytes-done, bytes-total,
   *   rate-bytes-per-second, eta-seconds, verified, quarantined, current
   *
   * At most four times a second, and once at the end.
   */
  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_VARIANT);
  /**
   * DocketOffloadJob::recording-verified:
   * @id: the store's row id
   * @name: the camera's name for it (display only)
   * @sha256: hex digest
   */
  signals[SIGNAL_RECORDING_VERIFIED]
      = g_signal_new ("recording-verified", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * DocketOffloadJob::recording-quarantined:
   * @name: the camera's name for it (display only)
   * @reason: plain words
   */
  signals[SIGNAL_RECORDING_QUARANTINED]
      = g_signal_new ("recording-quarantined", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                      NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * DocketOffloadJob::media-check-wedged:
   * @name: the camera's name for the recording (display only)
   * @reason: plain words
   *
   * A media helper stopped answering on this recording and was stopped;
   * the job goes on. Emitted when it happens, not at the end.
   */
  signals[SIGNAL_MEDIA_CHECK_WEDGED]
      = g_signal_new ("media-check-wedged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void report_progress (DocketOffloadJob *self, guint64 bytes_done, gboolean force);
static void
report_verified (DocketOffloadJob *self, gint64 id, const gchar *name, const gchar *sha256);
static void report_quarantined (DocketOffloadJob *self, const gchar *name, const gchar *reason);
static void report_wedged (DocketOffloadJob *self, const gchar *name, const gchar *reason);

static void
docket_offload_job_init (DocketOffloadJob *self)
{
  self->reports.progress = report_progress;
  self->reports.verified = report_verified;
  self->reports.quarantined = report_quarantined;
  self->reports.wedged = report_wedged;
  g_mutex_init (&self->lock);
  self->delete_after = TRUE;
  self->check_timeout_ms = 60000;
  self->stall_timeout_ms = 30000;
  self->actor = g_strdup ("docketd");
  self->committed = g_array_new (FALSE, FALSE, sizeof (gint64));
}

DocketOffloadJob *
docket_offload_job_new (DocketEvidenceStore *store, DocketCameraDriver *driver)
{
  DocketOffloadJob *self;

  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (store), NULL);
  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (driver), NULL);

  self = g_object_new (DOCKET_TYPE_OFFLOAD_JOB, NULL);
  self->store = g_object_ref (store);
  self->driver = g_object_ref (driver);
  return self;
}

DocketOffloadJob *
docket_offload_job_new_for_camera (DocketEvidenceStore *store, DocketCamera *camera)
{
  DocketOffloadJob *self = docket_offload_job_new (store, docket_camera_get_driver (camera));

  docket_offload_job_set_officer (self, docket_camera_get_officer (camera));
  /* The drift as docked: the policy may have set the clock since. */
  docket_offload_job_set_clock_drift_ms (self, docket_camera_get_dock_clock_drift_ms (camera));
  return self;
}

void
docket_offload_job_set_officer (DocketOffloadJob *self, const gchar *badge)
{
  g_free (self->officer);
  self->officer = (badge != NULL && *badge != '\0') ? g_strdup (badge) : NULL;
}

void
docket_offload_job_set_clock_drift_ms (DocketOffloadJob *self, gint64 drift_ms)
{
  self->drift_ms = drift_ms;
}

void
docket_offload_job_set_delete_after_offload (DocketOffloadJob *self, gboolean delete_after)
{
  self->delete_after = delete_after;
}

void
docket_offload_job_set_keep_reason (DocketOffloadJob *self, const gchar *reason)
{
  g_free (self->keep_reason);
  self->keep_reason = g_strdup (reason);
}

void
docket_offload_job_set_check_timeout (DocketOffloadJob *self, guint timeout_ms)
{
  self->check_timeout_ms = timeout_ms;
}

void
docket_offload_job_set_stall_timeout (DocketOffloadJob *self, guint timeout_ms)
{
  self->stall_timeout_ms = timeout_ms;
}

void
docket_offload_job_set_actor (DocketOffloadJob *self, const gchar *actor)
{
  g_free (self->actor);
  self->actor = g_strdup (actor);
}

void
docket_offload_job_set_thumbnails_later (DocketOffloadJob *self, gboolean later)
{
  self->thumbnails_later = later;
}

void
docket_offload_job_set_deep_check_owed (DocketOffloadJob *self, gboolean owed)
{
  self->deep_check_owed = owed;
}

DocketCameraDriver *
docket_offload_job_get_driver (DocketOffloadJob *self)
{
  return self->driver;
}

guint
docket_offload_job_get_verified (DocketOffloadJob *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->verified;
}

guint
docket_offload_job_get_quarantined (DocketOffloadJob *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->quarantined;
}

GArray *
docket_offload_job_get_committed (DocketOffloadJob *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GArray *copy = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->committed->len);

  g_array_append_vals (copy, self->committed->data, self->committed->len);
  return copy;
}

GVariant *
docket_offload_job_get_progress (DocketOffloadJob *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "files-done", "u", self->files_done);
  g_variant_dict_insert (&dict, "files-total", "u", self->files_total);
  g_variant_dict_insert (&dict, "bytes-done", "t", self->bytes_done);
  g_variant_dict_insert (&dict, "bytes-total", "t", self->bytes_total);
  g_variant_dict_insert (&dict, "rate-bytes-per-second", "d", self->rate);
  g_variant_dict_insert (&dict, "eta-seconds", "i", self->eta);
  g_variant_dict_insert (&dict, "verified", "u", self->verified);
  g_variant_dict_insert (&dict, "quarantined", "u", self->quarantined);
  g_variant_dict_insert (&dict, "current", "s", self->current != NULL ? self->current : "");
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

/* ---- signal emission in the caller's context --------------------------- */

typedef struct
{
  DocketOffloadJob *job;
  guint signal;
  GVariant *progress;
  gint64 id;
  gchar *a;
  gchar *b;
} Emission;

static void
emission_free (gpointer data)
{
  Emission *e = data;

  g_object_unref (e->job);
  g_clear_pointer (&e->progress, g_variant_unref);
  g_free (e->a);
  g_free (e->b);
  g_free (e);
}

static gboolean
emission_run (gpointer data)
{
  Emission *e = data;

  if (e->signal == SIGNAL_PROGRESS)
    g_signal_emit (e->job, signals[e->signal], 0, e->progress);
  else if (e->signal == SIGNAL_RECORDING_VERIFIED)
    g_signal_emit (e->job, signals[e->signal], 0, e->id, e->a, e->b);
  else
    g_signal_emit (e->job, signals[e->signal], 0, e->a, e->b);
  return G_SOURCE_REMOVE;
}

static void
emit (DocketOffloadJob *self,
      guint signal,
      GVariant *progress,
      gint64 id,
      const gchar *a,
      const gchar *b)
{
  Emission *e = g_new0 (Emission, 1);

  e->job = g_object_ref (self);
  e->signal = signal;
  e->progress = progress != NULL ? g_variant_ref (progress) : NULL;
  e->id = id;
  e->a = g_strdup (a);
  e->b = g_strdup (b);
  if (self->context != NULL)
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emission_run, e, emission_free);
  else
    {
      emission_run (e);
      emission_free (e);
    }
}

static void
report_verified (DocketOffloadJob *self, gint64 id, const gchar *name, const gchar *sha256)
{
  emit (self, SIGNAL_RECORDING_VERIFIED, NULL, id, name, sha256);
}

static void
report_quarantined (DocketOffloadJob *self, const gchar *name, const gchar *reason)
{
  emit (self, SIGNAL_RECORDING_QUARANTINED, NULL, 0, name, reason);
}

static void
report_wedged (DocketOffloadJob *self, const gchar *name, const gchar *reason)
{
  emit (self, SIGNAL_MEDIA_CHECK_WEDGED, NULL, 0, name, reason);
}

static void
report_progress (DocketOffloadJob *self, guint64 bytes_done, gboolean force)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr (GVariant) progress = NULL;

  g_mutex_lock (&self->lock);
  if (bytes_done > self->bytes_done)
    {
      self->copied += bytes_done - self->bytes_done;
      self->bytes_done = bytes_done;
    }
  if (now > self->started_usec && self->copied > 0)
    {
      self->rate = (gdouble)self->copied * G_USEC_PER_SEC / (gdouble)(now - self->started_usec);
      self->eta = self->bytes_total > self->bytes_done
                      ? (gint)MIN ((self->bytes_total - self->bytes_done) / self->rate, G_MAXINT)
                      : 0;
    }
  g_mutex_unlock (&self->lock);

  if (!force && now - self->last_emit_usec < PROGRESS_INTERVAL_USEC)
    return;
  self->last_emit_usec = now;
  progress = docket_offload_job_get_progress (self);
  emit (self, SIGNAL_PROGRESS, progress, 0, NULL, NULL);
}

/* ---- the run ----------------------------------------------------------- */

static gint
compare_by_id (gconstpointer a, gconstpointer b)
{
  const DocketRecordingInfo *x = *(DocketRecordingInfo *const *)a;
  const DocketRecordingInfo *y = *(DocketRecordingInfo *const *)b;

  return x->id < y->id ? -1 : x->id > y->id;
}

static const gchar *
run_result (GError *error)
{
  if (error == NULL)
    return "done";
  if (g_error_matches (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED))
    return "undocked";
  if (g_error_matches (error, DOCKET_ERROR, DOCKET_ERROR_NO_SPACE))
    return "paused-no-space";
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return "cancelled";
  return "failed";
}

/* Three stages, so the checks of one recording (CPU: index, parse) overlap
 * the copy of the next (camera and disk), and its thumbnail (a decode)
 * delays neither. At most one copied recording waits for its checks. The
 * copy stage erases committed recordings between its transfers. */
typedef struct
{
  DocketOffloadJob *job;
  GCancellable *cancellable;
  GAsyncQueue *queue;      /* DocketOffloadStaged*, then end_marker */
  GAsyncQueue *thumbnails; /* row ids (gint64*), then end_marker; NULL: none made here */
  GMutex lock;
  GCond cond;
  guint pending;     /* (mutex lock) pushed and not yet checked */
  GError *error;     /* (mutex lock) what stopped the check stage */
  GPtrArray *erases; /* (mutex lock) DocketStoredRecording*: committed, to erase */
} Checker;

static gint end_marker;

/* Pictures are for tagging, later: they yield the CPU to the copies and
 * checks (nice 10, as the helper this thread starts; the deep check's 19
 * would starve them on a busy station past their time limit). */
static gpointer
thumbnail_thread (gpointer data)
{
  Checker *c = data;

  (void)setpriority (PRIO_PROCESS, (id_t)syscall (SYS_gettid), 10);
  for (;;)
    {
      gpointer item = g_async_queue_pop (c->thumbnails);
      g_autofree gint64 *id = NULL;

      if (item == &end_marker)
        break;
      id = item;
      if (!g_cancellable_is_cancelled (c->cancellable))
        _docket_offload_recording_thumbnail (c->job, *id, c->cancellable);
    }
  return NULL;
}

static gpointer
checker_thread (gpointer data)
{
  Checker *c = data;

  for (;;)
    {
      gpointer item = g_async_queue_pop (c->queue);
      g_autoptr (DocketOffloadStaged) st = NULL;
      DocketStoredRecording *erase = NULL;
      GError *error = NULL;
      gint64 thumbnail = 0;
      gboolean stopped;
      gboolean ok;

      if (item == &end_marker)
        break;
      st = item;
      g_mutex_lock (&c->lock);
      stopped = c->error != NULL;
      g_mutex_unlock (&c->lock);
      /* after a fatal error the staged copy simply waits for the next dock */
      ok = stopped
           || _docket_offload_recording_finish (c->job, st, &thumbnail, &erase, c->cancellable,
                                                &error);
      if (thumbnail > 0 && c->thumbnails != NULL)
        g_async_queue_push (c->thumbnails, g_memdup2 (&thumbnail, sizeof thumbnail));
      if (!ok)
        {
          g_mutex_lock (&c->lock);
          if (c->error == NULL)
            c->error = error;
          else
            g_error_free (error);
          g_mutex_unlock (&c->lock);
        }
      g_mutex_lock (&c->lock);
      if (erase != NULL)
        g_ptr_array_add (c->erases, erase);
      c->pending--;
      g_cond_signal (&c->cond);
      g_mutex_unlock (&c->lock);
    }
  return NULL;
}

/* Copy thread, with no transfer running: erase what the check stage
 * committed. What is not erased now is found committed on the next dock. */
static gboolean
erase_committed (Checker *c, GError **error)
{
  g_autoptr (GPtrArray) erases = NULL;

  g_mutex_lock (&c->lock);
  erases = g_steal_pointer (&c->erases);
  c->erases = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_stored_recording_free);
  g_mutex_unlock (&c->lock);
  for (guint i = 0; i < erases->len; i++)
    {
      if (g_cancellable_set_error_if_cancelled (c->cancellable, error)
          || !_docket_offload_recording_erase (c->job, erases->pdata[i], c->cancellable, error))
        return FALSE;
    }
  return TRUE;
}

static void
run_stages (DocketOffloadJob *self,
            GPtrArray *recordings,
            GCancellable *cancellable,
            GError **error)
{
  Checker c = { self, cancellable, g_async_queue_new (), NULL, { 0 }, { 0 }, 0, NULL };
  GError *local_error = NULL;
  GThread *thread;
  GThread *thumbnailer = NULL;

  g_mutex_init (&c.lock);
  g_cond_init (&c.cond);
  c.erases = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_stored_recording_free);
  if (!self->thumbnails_later)
    {
      c.thumbnails = g_async_queue_new ();
      thumbnailer = g_thread_new ("docket-offload-thumbnail", thumbnail_thread, &c);
    }
  thread = g_thread_new ("docket-offload-check", checker_thread, &c);

  for (guint i = 0; i < recordings->len && local_error == NULL; i++)
    {
      DocketRecordingInfo *info = g_ptr_array_index (recordings, i);
      DocketOffloadStaged *st = NULL;
      gboolean stopped;

      if (info->flags & DOCKET_RECORDING_FLAG_RECORDING)
        continue; /* still being written: next dock */
      g_mutex_lock (&c.lock);
      stopped = c.error != NULL;
      g_mutex_unlock (&c.lock);
      if (stopped || g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        break;
      if (!_docket_offload_recording_copy (self, info, &st, cancellable, &local_error)
          || st == NULL)
        continue;
      g_mutex_lock (&c.lock);
      while (c.pending > 0)
        g_cond_wait (&c.cond, &c.lock);
      c.pending++;
      g_mutex_unlock (&c.lock);
      g_async_queue_push (c.queue, st);
      (void)erase_committed (&c, &local_error);
    }

  g_async_queue_push (c.queue, &end_marker);
  g_thread_join (thread);
  if (local_error == NULL)
    (void)erase_committed (&c, &local_error);
  if (thumbnailer != NULL)
    {
      g_async_queue_push (c.thumbnails, &end_marker);
      g_thread_join (thumbnailer);
      g_async_queue_unref (c.thumbnails);
    }
  if (local_error == NULL)
    local_error = g_steal_pointer (&c.error);
  g_clear_error (&c.error);
  g_ptr_array_unref (c.erases);
  g_async_queue_unref (c.queue);
  g_cond_clear (&c.cond);
  g_mutex_clear (&c.lock);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
}

gboolean
docket_offload_job_run (DocketOffloadJob *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) recordings = NULL;
  g_autoptr (GError) local_error = NULL;
  guint files_total = 0;
  guint64 bytes_total = 0;
  gint64 run_id;

  g_return_val_if_fail (DOCKET_IS_OFFLOAD_JOB (self), FALSE);

  g_mutex_lock (&self->lock);
  self->files_done = self->files_total = self->verified = self->quarantined = 0;
  self->bytes_done = self->bytes_total = self->copied = 0;
  self->rate = 0;
  self->eta = -1;
  g_clear_pointer (&self->current, g_free);
  g_array_set_size (self->committed, 0);
  g_mutex_unlock (&self->lock);
  self->started_usec = g_get_monotonic_time ();
  self->last_emit_usec = 0;

  docket_camera_identity_clear (&self->identity);
  if (!docket_camera_driver_identify (self->driver, &self->identity, cancellable, error))
    {
      g_prefix_error (error, _ ("Could not identify the camera: "));
      return FALSE;
    }
  if (self->identity.serial == NULL || *self->identity.serial == '\0'
      || strlen (self->identity.serial) > 64 || !g_utf8_validate (self->identity.serial, -1, NULL))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                   _ ("The camera reported an unusable serial number"));
      return FALSE;
    }
  if (!docket_evidence_store_enrol_camera (self->store, &self->identity, NULL, error))
    return FALSE;

  recordings = docket_camera_driver_list_recordings (self->driver, cancellable, error);
  if (recordings == NULL)
    {
      g_prefix_error (error, _ ("Could not list the camera's recordings: "));
      return FALSE;
    }
  g_ptr_array_sort (recordings, compare_by_id);
  for (guint i = 0; i < recordings->len; i++)
    {
      DocketRecordingInfo *info = g_ptr_array_index (recordings, i);
      if (info->flags & DOCKET_RECORDING_FLAG_RECORDING)
        continue;
      files_total++;
      bytes_total = bytes_total + MIN (info->size, G_MAXUINT64 - bytes_total);
    }
  g_mutex_lock (&self->lock);
  self->files_total = files_total;
  self->bytes_total = bytes_total;
  g_mutex_unlock (&self->lock);

  run_id = docket_evidence_store_begin_run (self->store, self->identity.serial, files_total, error);
  if (run_id < 0)
    return FALSE;
  self->run_id = run_id;
  (void)docket_camera_driver_set_indicator (self->driver, DOCKET_INDICATOR_OFFLOADING, cancellable,
                                            NULL);
  report_progress (self, 0, TRUE);
  g_debug ("%s: %u recordings listed; the first read follows", self->identity.serial, files_total);

  run_stages (self, recordings, cancellable, &local_error);

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->current, g_free);
  g_mutex_unlock (&self->lock);
  if (!docket_evidence_store_finish_run (
          self->store, run_id, self->files_done, self->bytes_done, self->verified,
          self->quarantined, run_result (local_error), local_error == NULL ? error : NULL))
    {
      if (local_error == NULL)
        return FALSE;
    }
  (void)docket_camera_driver_set_indicator (self->driver,
                                            local_error == NULL && self->quarantined == 0
                                                ? DOCKET_INDICATOR_DONE
                                                : DOCKET_INDICATOR_ERROR,
                                            NULL, NULL);
  report_progress (self, self->bytes_done, TRUE);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Jobs running in threads, so a stopping daemon can wait for the commit
 * each may be in the middle of (file moved into the store, row not yet
 * written) instead of exiting under it. */
static GMutex running_lock;
static GCond running_cond;
static guint running;

static void
run_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (docket_offload_job_run (source, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  g_mutex_lock (&running_lock);
  running--;
  g_cond_broadcast (&running_cond);
  g_mutex_unlock (&running_lock);
}

void
docket_offload_job_wait_all (void)
{
  g_mutex_lock (&running_lock);
  while (running > 0)
    g_cond_wait (&running_cond, &running_lock);
  g_mutex_unlock (&running_lock);
}

void
docket_offload_job_run_async (DocketOffloadJob *self,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (DOCKET_IS_OFFLOAD_JOB (self));

  g_task_set_source_tag (task, docket_offload_job_run_async);
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  g_mutex_lock (&running_lock);
  running++;
  g_mutex_unlock (&running_lock);
  g_task_run_in_thread (task, run_in_thread);
}

gboolean
docket_offload_job_run_finish (DocketOffloadJob *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
docket_offload_deep_check (DocketEvidenceStore *store,
                           gint64 recording_id,
                           guint timeout_ms,
                           GCancellable *cancellable,
                           GError **error)
{
  g_autoptr (DocketStoredRecording) rec = NULL;
  g_autoptr (GError) check_error = NULL;
  g_autofree gchar *path = NULL;

  rec = docket_evidence_store_get_recording (store, recording_id, error);
  if (rec == NULL)
    return FALSE;
  path = docket_evidence_store_get_object_path (store, rec->sha256);
  if (path == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, "bad hash in the database");
      return FALSE;
    }
  if (!docket_media_check_deep (path, timeout_ms, cancellable, &check_error))
    {
      if (g_error_matches (check_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&check_error));
          return FALSE;
        }
    }
  /* Running out of time or a helper that could not be used is the
   * machine's fault, not the file's: no condition, and the check stays owed. */
  if (g_error_matches (check_error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT)
      || g_error_matches (check_error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED))
    return docket_evidence_store_defer_deep_check (store, recording_id, check_error->message,
                                                   error);
  /* Damage found, or the decoder crashed on this file. */
  return docket_evidence_store_set_deep_check (
      store, recording_id, check_error == NULL ? "ok" : check_error->message,
      check_error == NULL ? NULL : DOCKET_CONDITION_DAMAGED_PICTURE, error);
}
