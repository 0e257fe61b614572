/* docket-firmware-updater.c — bring a docked camera up to the policy's firmware
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threads: the update itself (identify, list, load and check the image,
 * begin/write/commit) runs in a GTask worker; the attempt counters and the
 * updates waiting for a restart live on the main thread and are only
 * touched there (update_async, the worker's completion, camera_identified).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/evp.h>

#include "docket-error.h"
#include "docket-firmware-folder.h"
#include "docket-firmware-updater.h"
#include "docket-message.h"
#include "docket-sha256.h"

struct _DocketFirmwareUpdater
{
  GObject parent_instance;

  gchar *dir;
  DocketEvidenceStore *store; /* owned, nullable */
  DocketAuditLog *audit;      /* owned, nullable */
  guint max_attempts;
  GHashTable *attempts; /* serial → failed attempts (GUINT_TO_POINTER) */
  GHashTable *pending;  /* serial → version committed, waiting for the restart */
};

G_DEFINE_FINAL_TYPE (DocketFirmwareUpdater, docket_firmware_updater, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_MAX_ATTEMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const gchar *
docket_firmware_outcome_to_string (DocketFirmwareOutcome outcome)
{
  switch (outcome)
    {
      case DOCKET_FIRMWARE_NOT_NEEDED:
        return "not-needed";
      case DOCKET_FIRMWARE_COMMITTED:
        return "committed";
      case DOCKET_FIRMWARE_DEFERRED:
        return "deferred";
      case DOCKET_FIRMWARE_REFUSED:
        return "refused";
      case DOCKET_FIRMWARE_UNSUPPORTED:
        return "unsupported";
      case DOCKET_FIRMWARE_FAILED:
        return "failed";
      case DOCKET_FIRMWARE_GAVE_UP:
        return "gave-up";
      default:
        return "unknown";
    }
}

void
docket_firmware_result_free (DocketFirmwareResult *result)
{
  if (result == NULL)
    return;
  g_free (result->message);
  g_clear_pointer (&result->words, g_variant_unref);
  g_free (result->detail);
  g_free (result->target_version);
  g_free (result);
}

/* ---- the worker ---------------------------------------------------------- */

typedef struct
{
  DocketFirmwareUpdater *self; /* owned */
  DocketCamera *camera;        /* owned; read on the main thread only */
  DocketCameraDriver *driver;  /* owned */
  DocketPolicy *policy;        /* owned */
  gchar *serial;
  gchar *model;
  guint attempts_before;
  guint max_attempts;
  GMainContext *context; /* owned: where ::progress is emitted */
  gint last_percent;     /* worker only */
} UpdateData;

static void
update_data_free (UpdateData *d)
{
  g_object_unref (d->self);
  g_object_unref (d->camera);
  g_object_unref (d->driver);
  g_object_unref (d->policy);
  g_free (d->serial);
  g_free (d->model);
  g_main_context_unref (d->context);
  g_free (d);
}

static void
audit (DocketFirmwareUpdater *self,
       const gchar *serial,
       const gchar *action,
       const gchar *reason,
       const gchar *version,
       guint attempt)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *subject = g_strdup_printf ("camera:%s", serial);
  GVariantDict details;

  if (self->audit == NULL)
    return;
  g_variant_dict_init (&details, NULL);
  if (version != NULL)
    g_variant_dict_insert (&details, "firmware", "s", version);
  if (attempt > 0)
    {
      g_variant_dict_insert (&details, "attempt", "u", attempt);
      g_variant_dict_insert (&details, "max-attempts", "u", self->max_attempts);
    }
  if (docket_audit_log_append (self->audit, "docketd", action, subject, reason,
                               g_variant_dict_end (&details), &error)
      < 0)
    g_warning ("Cannot write the audit row %s for camera %s: %s", action, serial, error->message);
}

/* @message: IT's sentence (taken); @words: the card's (floating, sunk);
 * @detail: the error behind both, or NULL. */
static DocketFirmwareResult *
result_new (DocketFirmwareOutcome outcome,
            const gchar *version,
            guint attempt,
            gchar *message,
            GVariant *words,
            const gchar *detail)
{
  DocketFirmwareResult *r = g_new0 (DocketFirmwareResult, 1);

  r->outcome = outcome;
  r->target_version = g_strdup (version);
  r->attempt = attempt;
  r->message = message;
  r->words = words != NULL ? g_variant_ref_sink (words) : NULL;
  r->detail = g_strdup (detail);
  return r;
}

/* The card's line once the last attempt failed. */
static GVariant *
gave_up_words (const gchar *version, guint failures)
{
  return docket_message_new_plural ("Firmware update to %s failed %u time; Docket stopped "
                                    "trying. Tell IT.",
                                    "Firmware update to %s failed %u times; Docket stopped "
                                    "trying. Tell IT.",
                                    failures, version != NULL ? version : "?", failures);
}

typedef struct
{
  DocketFirmwareUpdater *self; /* owned */
  DocketCamera *camera;        /* owned */
  guint percent;
  gchar *version;
} ProgressData;

static void
progress_data_free (ProgressData *p)
{
  g_object_unref (p->self);
  g_object_unref (p->camera);
  g_free (p->version);
  g_free (p);
}

static gboolean
emit_progress_cb (gpointer user_data)
{
  ProgressData *p = user_data;

  g_signal_emit (p->self, signals[SIGNAL_PROGRESS], 0, p->camera, p->percent, p->version);
  return G_SOURCE_REMOVE;
}

static void
report_progress (UpdateData *d, guint64 done, guint64 total, const gchar *version)
{
  gint percent = total > 0 ? (gint)(done * 100 / total) : 0;
  ProgressData *p;

  if (percent == d->last_percent)
    return;
  d->last_percent = percent;
  p = g_new0 (ProgressData, 1);
  p->self = g_object_ref (d->self);
  p->camera = g_object_ref (d->camera);
  p->percent = (guint)percent;
  p->version = g_strdup (version);
  g_main_context_invoke_full (d->context, G_PRIORITY_DEFAULT, emit_progress_cb, p,
                              (GDestroyNotify)progress_data_free);
}

/* How many recordings on the camera are not (yet) safely in the store. */
static gboolean
count_pending_recordings (UpdateData *d,
                          guint *out_pending,
                          GCancellable *cancellable,
                          GError **error)
{
  g_autoptr (GPtrArray) list = NULL;
  guint pending = 0;

  list = docket_camera_driver_list_recordings (d->driver, cancellable, error);
  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      DocketRecordingInfo *info = g_ptr_array_index (list, i);
      g_autofree gchar *hex = docket_recording_info_sha256_hex (info);
      g_autoptr (DocketStoredRecording) stored = NULL;
      g_autoptr (GError) local_error = NULL;

      if (d->self->store != NULL && !(info->flags & DOCKET_RECORDING_FLAG_RECORDING))
        stored = docket_evidence_store_find_recording (d->self->store, d->serial, info->id, hex,
                                                       &local_error);
      if (stored == NULL)
        pending++;
    }
  *out_pending = pending;
  return TRUE;
}

/* Progress is reported after each chunk; the driver splits chunks as its
 * protocol needs. */
#define FIRMWARE_CHUNK (64 * 1024)

/* Begin, write every chunk, commit. On failure tries to abort, so that the
 * camera drops the partial image at once (it would on the next begin or
 * undock anyway). */
static gboolean
send_image (
    UpdateData *d, GBytes *image, const gchar *version, GCancellable *cancellable, GError **error)
{
  DocketCameraDriver *driver = d->driver;
  const guint8 *data = g_bytes_get_data (image, NULL);
  gsize size = g_bytes_get_size (image);
  guint8 sha[DOCKET_SHA256_LEN];
  gboolean ok;

  EVP_Digest (data, size, sha, NULL, EVP_sha256 (), NULL);
  ok = docket_camera_driver_firmware_begin (driver, size, sha, version, cancellable, error);
  for (gsize off = 0; ok && off < size; off += FIRMWARE_CHUNK)
    {
      ok = docket_camera_driver_firmware_write (
          driver, off, data + off, MIN (FIRMWARE_CHUNK, size - off), cancellable, error);
      report_progress (d, MIN (off + FIRMWARE_CHUNK, size), size, version);
    }
  if (ok)
    ok = docket_camera_driver_firmware_commit (driver, cancellable, error);
  if (!ok && !g_error_matches (*error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED))
    docket_camera_driver_firmware_abort (driver, NULL, NULL);
  return ok;
}

static DocketFirmwareResult *
run_update (UpdateData *d, GCancellable *cancellable, GError **error)
{
  const DocketModelPolicy *m = docket_policy_get_model (d->policy, d->model);
  g_auto (DocketCameraIdentity) identity = { 0 };
  g_autoptr (GBytes) image = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree gchar *version = NULL;
  guint pending = 0;
  guint attempt;

  if (m->minimum_firmware == NULL || m->firmware_image == NULL)
    return result_new (DOCKET_FIRMWARE_NOT_NEEDED, NULL, 0, NULL, NULL, NULL);
  if (!docket_camera_driver_identify (d->driver, &identity, cancellable, &local_error))
    {
      /* Undocked before anything was sent: nothing to report or count. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || g_error_matches (local_error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      return result_new (
          DOCKET_FIRMWARE_FAILED, NULL, 0,
          g_strdup_printf (_ ("Camera %s could not be asked for its firmware: %s"), d->serial,
                           local_error->message),
          docket_message_new (N_ ("The camera could not be asked for its firmware version; it "
                                  "is asked again at the next dock.")),
          local_error->message);
    }
  if (docket_policy_compare_versions (identity.firmware_version, m->minimum_firmware) >= 0)
    return result_new (DOCKET_FIRMWARE_NOT_NEEDED, NULL, 0, NULL, NULL, NULL);
  if (!(docket_camera_driver_get_capabilities (d->driver) & DOCKET_CAMERA_CAP_FIRMWARE_UPDATE))
    return result_new (DOCKET_FIRMWARE_UNSUPPORTED, NULL, 0,
                       g_strdup_printf (_ ("Camera %s runs firmware %s, older than the policy's "
                                           "minimum %s, and cannot be updated in the dock: IT "
                                           "must update it by hand"),
                                        d->serial, identity.firmware_version, m->minimum_firmware),
                       docket_message_new (N_ ("Firmware %s is older than the minimum, %s, and "
                                               "cannot be updated in the dock: IT must update "
                                               "it by hand."),
                                           identity.firmware_version, m->minimum_firmware),
                       NULL);
  version = docket_firmware_version_from_file_name (m->firmware_image);
  if (d->attempts_before >= d->max_attempts)
    return result_new (DOCKET_FIRMWARE_GAVE_UP, version, 0,
                       g_strdup_printf (_ ("Firmware update of camera %s to %s failed %u times; "
                                           "Docket stopped trying. Check the camera and the image, "
                                           "then restart docketd to try again"),
                                        d->serial, version != NULL ? version : "?",
                                        d->attempts_before),
                       gave_up_words (version, d->attempts_before), NULL);

  /* Evidence first: never flash a camera that still holds recordings. */
  if (!count_pending_recordings (d, &pending, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || g_error_matches (local_error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      return result_new (
          DOCKET_FIRMWARE_DEFERRED, version, 0,
          g_strdup_printf (_ ("Firmware update of camera %s waits: its recordings could not be "
                              "listed (%s)"),
                           d->serial, local_error->message),
          docket_message_new (N_ ("Firmware update waits: the camera's recordings could not be "
                                  "listed.")),
          local_error->message);
    }
  if (pending > 0)
    return result_new (DOCKET_FIRMWARE_DEFERRED, version, 0,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "Firmware update of camera %s waits: %u "
                                                     "recording is not offloaded yet",
                                                     "Firmware update of camera %s waits: %u "
                                                     "recordings are not offloaded yet",
                                                     pending),
                                        d->serial, pending),
                       docket_message_new_plural ("Firmware update waits: %u recording is not "
                                                  "offloaded yet.",
                                                  "Firmware update waits: %u recordings are not "
                                                  "offloaded yet.",
                                                  pending, pending),
                       NULL);

  g_clear_pointer (&version, g_free);
  image = docket_firmware_folder_load (d->self->dir, m, &version, &local_error);
  if (image == NULL)
    {
      g_autofree gchar *message = g_strdup_printf (_ ("Firmware update of camera %s refused: %s"),
                                                   d->serial, local_error->message);

      audit (d->self, d->serial, "firmware-image-refused", local_error->message, NULL, 0);
      return result_new (DOCKET_FIRMWARE_REFUSED, NULL, 0, g_steal_pointer (&message),
                         docket_message_new (N_ ("Firmware update refused: the kiosk's firmware "
                                                 "image cannot be used. Tell IT.")),
                         local_error->message);
    }
  if (docket_policy_compare_versions (version, m->minimum_firmware) < 0)
    {
      g_autofree gchar *reason = g_strdup_printf (
          _ ("the firmware image %s is version %s, older than the policy's minimum %s"),
          m->firmware_image, version, m->minimum_firmware);

      audit (d->self, d->serial, "firmware-image-refused", reason, version, 0);
      return result_new (
          DOCKET_FIRMWARE_REFUSED, version, 0,
          g_strdup_printf (_ ("Firmware update of camera %s refused: %s"), d->serial, reason),
          docket_message_new (N_ ("Firmware update refused: the kiosk's firmware image is "
                                  "older than the minimum, %s. Tell IT."),
                              m->minimum_firmware),
          reason);
    }

  attempt = d->attempts_before + 1;
  {
    g_autofree gchar *reason = g_strdup_printf ("%s → %s", identity.firmware_version, version);

    audit (d->self, d->serial, "firmware-update-started", reason, version, attempt);
  }
  d->last_percent = -1;
  report_progress (d, 0, 1, version);
  if (!send_image (d, image, version, cancellable, &local_error))
    {
      audit (d->self, d->serial, "firmware-update-failed", local_error->message, version, attempt);
      return result_new (DOCKET_FIRMWARE_FAILED, version, attempt,
                         g_strdup_printf (_ ("Firmware update of camera %s to %s failed (attempt "
                                             "%u of %u); its old firmware still works: %s"),
                                          d->serial, version, attempt, d->max_attempts,
                                          local_error->message),
                         docket_message_new (N_ ("Firmware update to %s failed; the old firmware "
                                                 "still works, and the update is tried again at "
                                                 "the next dock."),
                                             version),
                         local_error->message);
    }
  audit (d->self, d->serial, "firmware-update-committed", NULL, version, attempt);
  return result_new (
      DOCKET_FIRMWARE_COMMITTED, version, attempt,
      g_strdup_printf (_ ("Camera %s is restarting with firmware %s"), d->serial, version),
      docket_message_new (N_ ("Restarting with firmware %s"), version), NULL);
}

static void
update_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  DocketFirmwareResult *result = run_update (task_data, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify)docket_firmware_result_free);
}

/* Main thread: count the attempt, give up in plain words after the last. */
static void
update_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) outer = user_data;
  DocketFirmwareUpdater *self = DOCKET_FIRMWARE_UPDATER (source);
  UpdateData *d = g_task_get_task_data (G_TASK (res));
  GError *error = NULL;
  DocketFirmwareResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  if (result == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  result->max_attempts = self->max_attempts;
  if (result->outcome == DOCKET_FIRMWARE_COMMITTED)
    g_hash_table_insert (self->pending, g_strdup (d->serial), g_strdup (result->target_version));
  else if (result->outcome == DOCKET_FIRMWARE_FAILED && result->attempt > 0)
    {
      g_hash_table_insert (self->attempts, g_strdup (d->serial),
                           GUINT_TO_POINTER (result->attempt));
      if (result->attempt >= self->max_attempts)
        {
          gchar *message = g_strdup_printf (
              _ ("%s. That was the last of %u attempts: Docket stopped trying. Check the camera "
                 "and the image, then restart docketd to try again"),
              result->message, self->max_attempts);

          audit (self, d->serial, "firmware-update-abandoned", message, result->target_version,
                 result->attempt);
          g_free (result->message);
          result->message = message;
          g_clear_pointer (&result->words, g_variant_unref);
          result->words
              = g_variant_ref_sink (gave_up_words (result->target_version, result->attempt));
          result->outcome = DOCKET_FIRMWARE_GAVE_UP;
        }
    }
  g_task_return_pointer (outer, result, (GDestroyNotify)docket_firmware_result_free);
}

void
docket_firmware_updater_update_async (DocketFirmwareUpdater *self,
                                      DocketCamera *camera,
                                      DocketPolicy *policy,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  GTask *outer;
  g_autoptr (GTask) inner = NULL;
  UpdateData *d;

  g_return_if_fail (DOCKET_IS_FIRMWARE_UPDATER (self));
  g_return_if_fail (DOCKET_IS_CAMERA (camera));
  g_return_if_fail (DOCKET_IS_POLICY (policy));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, docket_firmware_updater_update_async);
  /* An attempt cut short by undocking is still an attempt: its result
   * (counted, audited) must come back even though the cancellable fired. */
  g_task_set_check_cancellable (outer, FALSE);
  d = g_new0 (UpdateData, 1);
  d->self = g_object_ref (self);
  d->camera = g_object_ref (camera);
  d->driver = g_object_ref (docket_camera_get_driver (camera));
  d->policy = g_object_ref (policy);
  d->serial = g_strdup (docket_camera_get_serial (camera));
  d->model = g_strdup (docket_camera_get_model (camera));
  d->attempts_before = docket_firmware_updater_get_attempts (self, d->serial);
  d->max_attempts = self->max_attempts;
  d->context = g_main_context_ref_thread_default ();
  d->last_percent = -1;
  inner = g_task_new (self, cancellable, update_done_cb, outer);
  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_task_data (inner, d, (GDestroyNotify)update_data_free);
  g_task_run_in_thread (inner, update_thread);
}

DocketFirmwareResult *
docket_firmware_updater_update_finish (DocketFirmwareUpdater *self,
                                       GAsyncResult *result,
                                       GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

DocketFirmwareRestart
docket_firmware_updater_camera_identified (DocketFirmwareUpdater *self,
                                           DocketCamera *camera,
                                           gchar **out_version)
{
  const gchar *serial = docket_camera_get_serial (camera);
  const gchar *now = docket_camera_get_firmware_version (camera);
  g_autofree gchar *expected = NULL;
  g_autofree gchar *key = NULL;

  g_return_val_if_fail (DOCKET_IS_FIRMWARE_UPDATER (self), DOCKET_FIRMWARE_RESTART_NONE);

  if (serial == NULL
      || !g_hash_table_steal_extended (self->pending, serial, (gpointer *)&key,
                                       (gpointer *)&expected))
    return DOCKET_FIRMWARE_RESTART_NONE;
  if (out_version != NULL)
    *out_version = g_strdup (expected);
  if (g_strcmp0 (now, expected) == 0)
    {
      audit (self, serial, "firmware-updated", NULL, expected, 0);
      g_hash_table_remove (self->attempts, serial);
      return DOCKET_FIRMWARE_RESTART_UPDATED;
    }
  {
    g_autofree gchar *reason = g_strdup_printf (
        _ ("the camera restarted with firmware %s instead of %s"), now, expected);
    guint attempts = docket_firmware_updater_get_attempts (self, serial) + 1;

    audit (self, serial, "firmware-update-failed", reason, expected, attempts);
    g_hash_table_insert (self->attempts, g_strdup (serial), GUINT_TO_POINTER (attempts));
  }
  return DOCKET_FIRMWARE_RESTART_OLD;
}

/* ---- object -------------------------------------------------------------- */

static void
docket_firmware_updater_get_property (GObject *object,
                                      guint prop_id,
                                      GValue *value,
                                      GParamSpec *pspec)
{
  DocketFirmwareUpdater *self = DOCKET_FIRMWARE_UPDATER (object);

  switch (prop_id)
    {
      case PROP_MAX_ATTEMPTS:
        g_value_set_uint (value, self->max_attempts);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_firmware_updater_set_property (GObject *object,
                                      guint prop_id,
                                      const GValue *value,
                                      GParamSpec *pspec)
{
  DocketFirmwareUpdater *self = DOCKET_FIRMWARE_UPDATER (object);

  switch (prop_id)
    {
      case PROP_MAX_ATTEMPTS:
        docket_firmware_updater_set_max_attempts (self, g_value_get_uint (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_firmware_updater_finalize (GObject *object)
{
  DocketFirmwareUpdater *self = DOCKET_FIRMWARE_UPDATER (object);

  g_free (self->dir);
  g_clear_object (&self->store);
  g_clear_object (&self->audit);
  g_hash_table_unref (self->attempts);
  g_hash_table_unref (self->pending);
  G_OBJECT_CLASS (docket_firmware_updater_parent_class)->finalize (object);
}

static void
docket_firmware_updater_class_init (DocketFirmwareUpdaterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = docket_firmware_updater_get_property;
  object_class->set_property = docket_firmware_updater_set_property;
  object_class->finalize = docket_firmware_updater_finalize;

  properties[PROP_MAX_ATTEMPTS]
      = g_param_spec_uint ("max-attempts", NULL, NULL, 1, 100, DOCKET_FIRMWARE_DEFAULT_MAX_ATTEMPTS,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DocketFirmwareUpdater::progress:
   * @camera: the camera being updated
   * @percent: 0–100 of the image sent
   * @version: the version being installed
   */
  signals[SIGNAL_PROGRESS]
      = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 3, DOCKET_TYPE_CAMERA, G_TYPE_UINT, G_TYPE_STRING);
}

static void
docket_firmware_updater_init (DocketFirmwareUpdater *self)
{
  self->max_attempts = DOCKET_FIRMWARE_DEFAULT_MAX_ATTEMPTS;
  self->attempts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

DocketFirmwareUpdater *
docket_firmware_updater_new (const gchar *firmware_dir,
                             DocketEvidenceStore *store,
                             DocketAuditLog *audit)
{
  DocketFirmwareUpdater *self;

  g_return_val_if_fail (firmware_dir != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_FIRMWARE_UPDATER, NULL);
  self->dir = g_strdup (firmware_dir);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->audit = audit != NULL ? g_object_ref (audit) : NULL;
  return self;
}

const gchar *
docket_firmware_updater_get_dir (DocketFirmwareUpdater *self)
{
  g_return_val_if_fail (DOCKET_IS_FIRMWARE_UPDATER (self), NULL);
  return self->dir;
}

guint
docket_firmware_updater_get_max_attempts (DocketFirmwareUpdater *self)
{
  g_return_val_if_fail (DOCKET_IS_FIRMWARE_UPDATER (self), 0);
  return self->max_attempts;
}

void
docket_firmware_updater_set_max_attempts (DocketFirmwareUpdater *self, guint max_attempts)
{
  g_return_if_fail (DOCKET_IS_FIRMWARE_UPDATER (self));

  max_attempts = CLAMP (max_attempts, 1, 100);
  if (self->max_attempts == max_attempts)
    return;
  self->max_attempts = max_attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ATTEMPTS]);
}

guint
docket_firmware_updater_get_attempts (DocketFirmwareUpdater *self, const gchar *serial)
{
  g_return_val_if_fail (DOCKET_IS_FIRMWARE_UPDATER (self), 0);
  return serial != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (self->attempts, serial)) : 0;
}
