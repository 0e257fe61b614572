/* docket-offload-manager.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <malloc.h>

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-message.h"
#include "docket-offload-job.h"
#include "docket-offload-manager-private.h"

typedef enum
{
  ENTRY_QUEUED,
  ENTRY_RUNNING,
  ENTRY_WAITING, /* paused on a full disk */
} EntryState;

typedef struct
{
  DocketOffloadManager *manager; /* unowned */
  DocketCamera *camera;
  DocketOffloadJob *job;
  GCancellable *cancellable;
  EntryState state;
  guint retry_source;
  gulong handlers[4];
  gint erase;         /* -1: the manager's delete-after-offload */
  gchar *keep_reason; /* for the audit when erase is off */
} Entry;

G_DEFINE_FINAL_TYPE (DocketOffloadManager, docket_offload_manager, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_MAX_CONCURRENT,
  PROP_DELETE_AFTER_OFFLOAD,
  PROP_DEEP_CHECK,
  PROP_RETRY_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_JOB_STARTED,
  SIGNAL_JOB_PROGRESS,
  SIGNAL_RECORDING_VERIFIED,
  SIGNAL_RECORDING_QUARANTINED,
  SIGNAL_JOB_FINISHED,
  SIGNAL_DEEP_CHECKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule (DocketOffloadManager *self);

static void
entry_free (gpointer data)
{
  Entry *e = data;

  g_cancellable_cancel (e->cancellable);
  g_clear_handle_id (&e->retry_source, g_source_remove);
  if (e->job != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (e->handlers); i++)
      g_clear_signal_handler (&e->handlers[i], e->job);
  g_clear_object (&e->job);
  g_clear_object (&e->cancellable);
  g_clear_object (&e->camera);
  g_free (e->keep_reason);
  g_free (e);
}

/* ---- GObject ----------------------------------------------------------- */

static void
docket_offload_manager_get_property (GObject *object,
                                     guint prop_id,
                                     GValue *value,
                                     GParamSpec *pspec)
{
  DocketOffloadManager *self = DOCKET_OFFLOAD_MANAGER (object);

  switch (prop_id)
    {
      case PROP_STORE:
        g_value_set_object (value, self->store);
        break;
      case PROP_MAX_CONCURRENT:
        g_value_set_uint (value, self->max_concurrent);
        break;
      case PROP_DELETE_AFTER_OFFLOAD:
        g_value_set_boolean (value, self->delete_after);
        break;
      case PROP_DEEP_CHECK:
        g_value_set_boolean (value, self->deep_check);
        break;
      case PROP_RETRY_INTERVAL:
        g_value_set_uint (value, self->retry_interval);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_offload_manager_set_property (GObject *object,
                                     guint prop_id,
                                     const GValue *value,
                                     GParamSpec *pspec)
{
  DocketOffloadManager *self = DOCKET_OFFLOAD_MANAGER (object);

  switch (prop_id)
    {
      case PROP_STORE:
        self->store = g_value_dup_object (value);
        break;
      case PROP_MAX_CONCURRENT:
        docket_offload_manager_set_max_concurrent (self, g_value_get_uint (value));
        break;
      case PROP_DELETE_AFTER_OFFLOAD:
        docket_offload_manager_set_delete_after_offload (self, g_value_get_boolean (value));
        break;
      case PROP_DEEP_CHECK:
        docket_offload_manager_set_deep_check (self, g_value_get_boolean (value));
        break;
      case PROP_RETRY_INTERVAL:
        docket_offload_manager_set_retry_interval (self, g_value_get_uint (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_offload_manager_dispose (GObject *object)
{
  DocketOffloadManager *self = DOCKET_OFFLOAD_MANAGER (object);

  g_queue_clear (&self->queue);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  if (self->deep_pool != NULL)
    {
      g_cancellable_cancel (self->deep_cancellable);
      g_thread_pool_free (g_steal_pointer (&self->deep_pool), TRUE, TRUE);
    }
  g_clear_object (&self->deep_cancellable);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (docket_offload_manager_parent_class)->dispose (object);
}

static void
docket_offload_manager_finalize (GObject *object)
{
  DocketOffloadManager *self = DOCKET_OFFLOAD_MANAGER (object);

  g_hash_table_unref (self->deep_queued);
  G_OBJECT_CLASS (docket_offload_manager_parent_class)->finalize (object);
}

static void
docket_offload_manager_class_init (DocketOffloadManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->get_property = docket_offload_manager_get_property;
  object_class->set_property = docket_offload_manager_set_property;
  object_class->dispose = docket_offload_manager_dispose;
  object_class->finalize = docket_offload_manager_finalize;

  properties[PROP_STORE]
      = g_param_spec_object ("store", NULL, NULL, DOCKET_TYPE_EVIDENCE_STORE,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_CONCURRENT]
      = g_param_spec_uint ("max-concurrent", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELETE_AFTER_OFFLOAD]
      = g_param_spec_boolean ("delete-after-offload", NULL, NULL, TRUE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEEP_CHECK]
      = g_param_spec_boolean ("deep-check", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETRY_INTERVAL]
      = g_param_spec_uint ("retry-interval", NULL, NULL, 1, 24 * 3600, 30,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /** DocketOffloadManager::job-started: (camera) */
  signals[SIGNAL_JOB_STARTED] = g_signal_new ("job-started", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                              NULL, G_TYPE_NONE, 1, DOCKET_TYPE_CAMERA);
  /** DocketOffloadManager::job-progress: (camera, a{sv} as the Offload property) */
  signals[SIGNAL_JOB_PROGRESS]
      = g_signal_new ("job-progress", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                      DOCKET_TYPE_CAMERA, G_TYPE_VARIANT);
  /** DocketOffloadManager::recording-verified: (camera, row id, name, sha256) */
  signals[SIGNAL_RECORDING_VERIFIED] = g_signal_new (
      "recording-verified", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 4,
      DOCKET_TYPE_CAMERA, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);
  /** DocketOffloadManager::recording-quarantined: (camera, name, reason) */
  signals[SIGNAL_RECORDING_QUARANTINED]
      = g_signal_new ("recording-quarantined", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 3, DOCKET_TYPE_CAMERA, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * DocketOffloadManager::job-finished: (camera, error)
   * @error: (nullable): a #GError boxed; NULL on success. DOCKET_ERROR_NO_SPACE
   *   means paused (it retries by itself).
   */
  signals[SIGNAL_JOB_FINISHED]
      = g_signal_new ("job-finished", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                      DOCKET_TYPE_CAMERA, G_TYPE_ERROR);
  /** DocketOffloadManager::deep-checked: (row id) result is in the store */
  signals[SIGNAL_DEEP_CHECKED] = g_signal_new ("deep-checked", type, G_SIGNAL_RUN_LAST, 0, NULL,
                                               NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
docket_offload_manager_init (DocketOffloadManager *self)
{
  self->delete_after = TRUE;
  self->retry_interval = 30;
  self->entries = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, entry_free);
  g_queue_init (&self->queue);
  self->deep_cancellable = g_cancellable_new ();
  self->deep_queued = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

DocketOffloadManager *
docket_offload_manager_new (DocketEvidenceStore *store)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (store), NULL);
  return g_object_new (DOCKET_TYPE_OFFLOAD_MANAGER, "store", store, NULL);
}

DocketEvidenceStore *
docket_offload_manager_get_store (DocketOffloadManager *self)
{
  return self->store;
}

guint
docket_offload_manager_get_max_concurrent (DocketOffloadManager *self)
{
  return self->max_concurrent;
}

void
docket_offload_manager_set_max_concurrent (DocketOffloadManager *self, guint max)
{
  if (self->max_concurrent == max)
    return;
  self->max_concurrent = max;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CONCURRENT]);
  schedule (self);
}

gboolean
docket_offload_manager_get_delete_after_offload (DocketOffloadManager *self)
{
  return self->delete_after;
}

void
docket_offload_manager_set_delete_after_offload (DocketOffloadManager *self, gboolean del)
{
  if (self->delete_after == !!del)
    return;
  self->delete_after = !!del;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETE_AFTER_OFFLOAD]);
}

gboolean
docket_offload_manager_get_deep_check (DocketOffloadManager *self)
{
  return self->deep_check;
}

void
docket_offload_manager_set_deep_check (DocketOffloadManager *self, gboolean deep)
{
  if (self->deep_check == !!deep)
    return;
  self->deep_check = !!deep;
  _docket_offload_manager_queue_owed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEEP_CHECK]);
}

guint
docket_offload_manager_get_retry_interval (DocketOffloadManager *self)
{
  return self->retry_interval;
}

void
docket_offload_manager_set_retry_interval (DocketOffloadManager *self, guint seconds)
{
  if (self->retry_interval == seconds)
    return;
  self->retry_interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_INTERVAL]);
}

/* ---- jobs -------------------------------------------------------------- */

static void
on_progress (DocketOffloadJob *job, GVariant *progress, gpointer user_data)
{
  Entry *e = user_data;

  docket_camera_set_offload (e->camera, progress);
  g_signal_emit (e->manager, signals[SIGNAL_JOB_PROGRESS], 0, e->camera, progress);
}

static void
on_verified (
    DocketOffloadJob *job, gint64 id, const gchar *name, const gchar *sha256, gpointer user_data)
{
  Entry *e = user_data;

  g_signal_emit (e->manager, signals[SIGNAL_RECORDING_VERIFIED], 0, e->camera, id, name, sha256);
}

static void
on_quarantined (DocketOffloadJob *job, const gchar *name, const gchar *reason, gpointer user_data)
{
  Entry *e = user_data;

  g_signal_emit (e->manager, signals[SIGNAL_RECORDING_QUARANTINED], 0, e->camera, name, reason);
}

/* Shown on the camera as soon as it happens; the rest of the offload goes
 * on, and its end says what became of the recording. */
static void
on_wedged (DocketOffloadJob *job, const gchar *name, const gchar *reason, gpointer user_data)
{
  Entry *e = user_data;

  g_warning ("Camera %s: a media check of %s stopped answering and was stopped (%s); the "
             "offload goes on",
             docket_camera_get_serial (e->camera), name, reason);
  docket_camera_set_problem_message (
      e->camera, docket_message_new (N_ ("A media check stopped answering and was stopped; the "
                                         "offload goes on and IT has been told")));
}

static gboolean
retry_cb (gpointer user_data)
{
  Entry *e = user_data;

  e->retry_source = 0;
  e->state = ENTRY_QUEUED;
  g_queue_push_tail (&e->manager->queue, e);
  schedule (e->manager);
  return G_SOURCE_REMOVE;
}

/* What the officer's card says when an offload stops with @error, in the
 * kiosk's language; the error's own words go to IT beside it. Each says
 * what is true whatever stopped it: a recording leaves the camera only
 * once it is stored. */
static GVariant *
failure_message (const GError *error)
{
  if (g_error_matches (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT))
    return docket_message_new (N_ ("The camera stopped answering during offload. What was not "
                                   "stored is still on the camera. Take it out and dock it "
                                   "again; if this happens again, tell IT."));
  if (g_error_matches (error, DOCKET_ERROR, DOCKET_ERROR_STORE))
    return docket_message_new (N_ ("The kiosk could not store this camera's recordings. What "
                                   "was not stored is still on the camera. Tell IT."));
  return docket_message_new (N_ ("Offload stopped with an error. What was not stored is still "
                                 "on the camera. Take it out and dock it again; if this "
                                 "happens again, tell IT."));
}

static void
job_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DocketOffloadManager) self = user_data;
  DocketOffloadJob *job = DOCKET_OFFLOAD_JOB (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketCamera) camera = NULL;
  Entry *e = NULL;
  GHashTableIter iter;
  gpointer value;
  guint quarantined = docket_offload_job_get_quarantined (job);

  (void)docket_offload_job_run_finish (job, result, &error);
  self->n_running--;

  /* The entry is gone if the camera was removed meanwhile. */
  if (self->entries != NULL)
    {
      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Entry *)value)->job == job)
          e = value;
    }
  if (e == NULL)
    {
      schedule (self);
      return;
    }
  camera = g_object_ref (e->camera);

  if (g_error_matches (error, DOCKET_ERROR, DOCKET_ERROR_NO_SPACE))
    {
      docket_camera_set_state (camera, DOCKET_CAMERA_STATE_IDLE);
      /* The officer's card says it in the kiosk's language; the figures
       * (free, needed) are in the dock's event for IT. */
      docket_camera_set_problem_message (
          camera, docket_message_new (N_ ("The evidence store is full. Offload is paused and "
                                          "nothing was erased from the camera; it resumes when "
                                          "space is freed.")));
      e->state = ENTRY_WAITING;
      e->retry_source = g_timeout_add_seconds (self->retry_interval, retry_cb, e);
    }
  else
    {
      guint damaged = docket_offload_job_get_damaged (job);
      guint wedged = docket_offload_job_get_wedged (job);

      if (error == NULL && quarantined == 0 && damaged > 0)
        {
          /* Evidence all the same: stored, the camera is not at fault. */
          docket_camera_set_problem_message (
              camera, docket_message_new_plural ("Stored, but the camera recorded %u recording "
                                                 "incomplete or damaged; a sergeant and IT have "
                                                 "been told",
                                                 "Stored, but the camera recorded %u recordings "
                                                 "incomplete or damaged; a sergeant and IT have "
                                                 "been told",
                                                 damaged, damaged));
          docket_camera_set_state (camera, DOCKET_CAMERA_STATE_DONE);
        }
      else if (error == NULL && quarantined == 0 && wedged > 0)
        {
          docket_camera_set_problem_message (
              camera, docket_message_new (N_ ("All recordings are stored, but a media check "
                                              "stopped answering and was stopped; IT has been "
                                              "told")));
          docket_camera_set_state (camera, DOCKET_CAMERA_STATE_DONE);
        }
      else if (error == NULL && quarantined == 0)
        {
          docket_camera_set_problem (camera, NULL);
          docket_camera_set_state (camera, DOCKET_CAMERA_STATE_DONE);
        }
      else if (error == NULL)
        {
          docket_camera_set_faulty_message (
              camera, docket_message_new_plural ("%u recording failed verification and was kept "
                                                 "on the camera; IT has been alerted",
                                                 "%u recordings failed verification and were "
                                                 "kept on the camera; IT has been alerted",
                                                 quarantined, quarantined));
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
               && !g_error_matches (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED))
        docket_camera_set_faulty_detail (camera, failure_message (error), error->message);
      _docket_offload_manager_queue_checks (self, job);
      g_hash_table_remove (self->entries, camera);
    }
  g_signal_emit (self, signals[SIGNAL_JOB_FINISHED], 0, camera, error);
  schedule (self);
}

static void
start_entry (DocketOffloadManager *self, Entry *e)
{
  if (e->job != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (e->handlers); i++)
      g_clear_signal_handler (&e->handlers[i], e->job);
  g_clear_object (&e->job);
  g_clear_object (&e->cancellable);

  e->job = docket_offload_job_new_for_camera (self->store, e->camera);
  docket_offload_job_set_delete_after_offload (e->job,
                                               e->erase >= 0 ? e->erase != 0 : self->delete_after);
  docket_offload_job_set_keep_reason (e->job, e->erase >= 0 ? e->keep_reason : NULL);
  docket_offload_job_set_thumbnails_later (e->job, TRUE);
  docket_offload_job_set_deep_check_owed (e->job, self->deep_check);
  e->cancellable = g_cancellable_new ();
  e->handlers[0] = g_signal_connect (e->job, "progress", G_CALLBACK (on_progress), e);
  e->handlers[1] = g_signal_connect (e->job, "recording-verified", G_CALLBACK (on_verified), e);
  e->handlers[2]
      = g_signal_connect (e->job, "recording-quarantined", G_CALLBACK (on_quarantined), e);
  e->handlers[3] = g_signal_connect (e->job, "media-check-wedged", G_CALLBACK (on_wedged), e);
  e->state = ENTRY_RUNNING;
  self->n_running++;
  docket_camera_set_problem (e->camera, NULL);
  docket_camera_set_state (e->camera, DOCKET_CAMERA_STATE_OFFLOADING);
  g_signal_emit (self, signals[SIGNAL_JOB_STARTED], 0, e->camera);
  docket_offload_job_run_async (e->job, e->cancellable, job_done_cb, g_object_ref (self));
}

static void
schedule (DocketOffloadManager *self)
{
  while (!g_queue_is_empty (&self->queue)
         && (self->max_concurrent == 0 || self->n_running < self->max_concurrent))
    start_entry (self, g_queue_pop_head (&self->queue));
}

void
docket_offload_manager_add_camera (DocketOffloadManager *self, DocketCamera *camera)
{
  docket_offload_manager_add_camera_full (self, camera, -1, NULL);
}

void
docket_offload_manager_add_camera_full (DocketOffloadManager *self,
                                        DocketCamera *camera,
                                        gint erase,
                                        const gchar *keep_reason)
{
  Entry *e;

  g_return_if_fail (DOCKET_IS_OFFLOAD_MANAGER (self));
  g_return_if_fail (DOCKET_IS_CAMERA (camera));

  if (g_hash_table_contains (self->entries, camera))
    return;
  e = g_new0 (Entry, 1);
  e->manager = self;
  e->camera = g_object_ref (camera);
  e->state = ENTRY_QUEUED;
  e->erase = erase;
  e->keep_reason = g_strdup (keep_reason);
  g_hash_table_insert (self->entries, camera, e);
  g_queue_push_tail (&self->queue, e);
  schedule (self);
}

void
docket_offload_manager_remove_camera (DocketOffloadManager *self, DocketCamera *camera)
{
  Entry *e;

  g_return_if_fail (DOCKET_IS_OFFLOAD_MANAGER (self));

  e = g_hash_table_lookup (self->entries, camera);
  if (e == NULL)
    return;
  g_queue_remove (&self->queue, e);
  /* A running job sees the cancellation and finishes; job_done_cb then finds
   * no entry and only frees the slot. */
  g_hash_table_remove (self->entries, camera);
}

gboolean
docket_offload_manager_has_camera (DocketOffloadManager *self, DocketCamera *camera)
{
  return g_hash_table_contains (self->entries, camera);
}

guint
docket_offload_manager_get_n_running (DocketOffloadManager *self)
{
  return self->n_running;
}

gboolean
docket_offload_manager_is_idle (DocketOffloadManager *self)
{
  return self->n_running == 0 && g_queue_is_empty (&self->queue)
         && g_atomic_int_get (&self->deep_pending) == 0;
}

/* glibc gives each thread that allocates its own arena (up to eight per
 * core) and keeps what is freed in each: the 1 MiB buffers of eight
 * cameras' copy, hash, queue and USB threads end up spread over a dozen
 * arenas that each hold on to their peak. Two arenas share the same
 * buffers; the copy threads hardly contend for malloc (a few calls per MiB). */
void
docket_offload_manager_tune_malloc (void)
{
  mallopt (M_ARENA_MAX, 2);
}
