/* docket-dock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-dock.h"
#include "docket-drivers.h"
#include "docket-error.h"
#include "docket-firmware-folder.h"
#include "docket-firmware-updater.h"
#include "docket-policy-enforcer.h"

struct _DocketDock
{
  GObject parent_instance;

  /* owned */
  DocketEvidenceStore *store;
  DocketOffloadManager *offload;
  DocketDeviceMonitor *monitor;
  gboolean started;
  /* device policy: NULL when no policy is in force */
  DocketPolicyEnforcer *enforcer;
  /* firmware update: runs after an offload that left nothing behind */
  DocketFirmwareUpdater *firmware;
};

G_DEFINE_FINAL_TYPE (DocketDock, docket_dock, G_TYPE_OBJECT)

enum
{
  SIGNAL_CAMERA_ADDED,
  SIGNAL_CAMERA_REMOVED,
  SIGNAL_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum
{
  PROP_0,
  PROP_POLICY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void emit_event (DocketDock *self,
                        const gchar *kind,
                        DocketCamera *camera,
                        GVariant *details,
                        const gchar *format,
                        ...) G_GNUC_PRINTF (5, 6);

static void
emit_event (DocketDock *self,
            const gchar *kind,
            DocketCamera *camera,
            GVariant *details,
            const gchar *format,
            ...)
{
  g_autofree gchar *message = NULL;
  g_autoptr (GVariant) sunk = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (details == NULL)
    details = g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0);
  sunk = g_variant_ref_sink (details);
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, kind, camera, message, sunk);
}

/* A short, human label for a camera in messages: serial once known, else slot. */
static const gchar *
camera_label (DocketCamera *camera)
{
  const gchar *serial = docket_camera_get_serial (camera);

  return (serial != NULL && *serial != '\0') ? serial : docket_camera_get_slot (camera);
}

/* ---- device policy: checked alongside the offload, never
 * before it: evidence comes first, and a camera failing policy is still
 * offloaded. Undocking cancels the check. ---------------------------------- */

#define POLICY_CANCELLABLE_KEY "docket-dock-policy-cancellable"

typedef struct
{
  DocketDock *dock;     /* owned */
  DocketCamera *camera; /* owned */
} PolicyCheck;

static void
policy_check_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  PolicyCheck *check = user_data;
  DocketDock *self = check->dock;
  DocketCamera *camera = check->camera;
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketPolicyResult) result
      = docket_policy_enforcer_check_finish (DOCKET_POLICY_ENFORCER (source), res, &error);
  gint64 version = docket_policy_get_version (
      docket_policy_enforcer_get_policy (DOCKET_POLICY_ENFORCER (source)));

  g_object_set_data (G_OBJECT (camera), POLICY_CANCELLABLE_KEY, NULL);
  if (result != NULL)
    {
      docket_policy_result_apply (result, camera);
      if (result->clock_sync != DOCKET_CLOCK_SYNC_SYNCHRONISED)
        emit_event (self, "kiosk-clock-unsynchronised", camera, NULL,
                    _ ("WARNING: this kiosk's clock is not known to be synchronised, so camera "
                       "%s's clock was not set (it is %lld ms off)"),
                    camera_label (camera), (long long)result->drift_ms);
      switch (result->state)
        {
          case DOCKET_POLICY_STATE_COMPLIANT:
            emit_event (self, "policy-checked", camera, result->details,
                        _ ("Camera %s complies with device policy version %lld"),
                        camera_label (camera), (long long)version);
            break;
          case DOCKET_POLICY_STATE_CHANGED:
            emit_event (self, "policy-checked", camera, result->details,
                        _ ("Camera %s now complies with device policy version %lld (%u settings "
                           "changed%s)"),
                        camera_label (camera), (long long)version, result->n_changes,
                        result->clock_set ? _ (", clock set") : "");
            break;
          case DOCKET_POLICY_STATE_NON_COMPLIANT:
            emit_event (self, "policy-checked", camera, result->details,
                        _ ("Camera %s does not comply with device policy version %lld: %s"),
                        camera_label (camera), (long long)version, result->problem);
            break;
          case DOCKET_POLICY_STATE_FAILED:
          default:
            emit_event (self, "policy-checked", camera, result->details,
                        _ ("Camera %s could not be checked against device policy: %s"),
                        camera_label (camera), result->problem);
            break;
        }
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    docket_camera_set_policy (camera, "failed", error->message, NULL);
  g_object_unref (check->dock);
  g_object_unref (check->camera);
  g_free (check);
}

static void
start_policy_check (DocketDock *self, DocketCamera *camera)
{
  GCancellable *cancellable;
  PolicyCheck *check;

  if (g_strcmp0 (docket_camera_get_policy_state (camera), "unknown") != 0)
    return; /* once a dock */
  if (self->enforcer == NULL)
    {
      docket_camera_set_policy (camera, "no-policy", NULL, NULL);
      return;
    }
  docket_camera_set_policy (camera, "checking", NULL, NULL);
  cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (camera), POLICY_CANCELLABLE_KEY, cancellable, g_object_unref);
  check = g_new0 (PolicyCheck, 1);
  check->dock = g_object_ref (self);
  check->camera = g_object_ref (camera);
  docket_policy_enforcer_check_async (self->enforcer, camera, cancellable, policy_check_done_cb,
                                      check);
}

static void
cancel_policy_check (DocketCamera *camera)
{
  GCancellable *cancellable = g_object_get_data (G_OBJECT (camera), POLICY_CANCELLABLE_KEY);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
}

/* The policy's erase-after-offload for the camera's model; a model it
 * leaves unmanaged (or no policy) gets the offload manager's default,
 * erase. */
static void
offload_camera (DocketDock *self, DocketCamera *camera)
{
  DocketPolicy *policy = docket_dock_get_policy (self);
  const DocketModelPolicy *model = NULL;
  g_autofree gchar *reason = NULL;

  if (policy != NULL)
    model = docket_policy_get_model (policy, docket_camera_get_model (camera));
  if (model == NULL || model->erase_after_offload < 0)
    {
      docket_offload_manager_add_camera (self->offload, camera);
      return;
    }
  if (!model->erase_after_offload)
    reason = g_strdup_printf (
        _ ("device policy version %lld sets erase-after-offload to false for model “%s”"),
        (long long)docket_policy_get_version (policy), docket_camera_get_model (camera));
  docket_offload_manager_add_camera_full (self->offload, camera, model->erase_after_offload,
                                          reason);
}

/* ---- firmware update: only once the offload finished, and the
 * updater itself re-checks that nothing on the camera is missing from the
 * store. Undocking cancels it; the next dock retries. ---------------------- */

#define FIRMWARE_CANCELLABLE_KEY "docket-dock-firmware-cancellable"
#define FIRMWARE_BUCKET_KEY "docket-dock-firmware-progress"

typedef struct
{
  DocketDock *dock;     /* owned */
  DocketCamera *camera; /* owned */
} FirmwareUpdate;

static GVariant *
firmware_details (const DocketFirmwareResult *result)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "outcome", "s",
                         docket_firmware_outcome_to_string (result->outcome));
  if (result->target_version != NULL)
    g_variant_dict_insert (&dict, "firmware", "s", result->target_version);
  if (result->attempt > 0)
    g_variant_dict_insert (&dict, "attempt", "u", result->attempt);
  g_variant_dict_insert (&dict, "max-attempts", "u", result->max_attempts);
  return g_variant_dict_end (&dict);
}

static void
firmware_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  FirmwareUpdate *update = user_data;
  DocketDock *self = update->dock;
  DocketCamera *camera = update->camera;
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketFirmwareResult) result
      = docket_firmware_updater_update_finish (DOCKET_FIRMWARE_UPDATER (source), res, &error);
  const gchar *kind = NULL;

  g_object_set_data (G_OBJECT (camera), FIRMWARE_CANCELLABLE_KEY, NULL);
  if (result != NULL && result->outcome == DOCKET_FIRMWARE_NOT_NEEDED)
    docket_camera_set_firmware_update (camera, NULL);
  else if (result != NULL)
    {
      switch (result->outcome)
        {
          case DOCKET_FIRMWARE_COMMITTED:
            kind = "firmware-update-restarting";
            break;
          case DOCKET_FIRMWARE_DEFERRED:
            kind = "firmware-update-deferred";
            break;
          case DOCKET_FIRMWARE_REFUSED:
            kind = "firmware-update-refused";
            break;
          case DOCKET_FIRMWARE_UNSUPPORTED:
            kind = "firmware-update-unsupported";
            break;
          case DOCKET_FIRMWARE_NOT_NEEDED:
          case DOCKET_FIRMWARE_FAILED:
          case DOCKET_FIRMWARE_GAVE_UP:
          default:
            kind = "firmware-update-failed";
            break;
        }
      docket_camera_set_firmware_update (camera, result->message);
      emit_event (self, kind, camera, firmware_details (result), "%s", result->message);
    }
  g_object_unref (update->dock);
  g_object_unref (update->camera);
  g_free (update);
}

static void
start_firmware_update (DocketDock *self, DocketCamera *camera)
{
  DocketPolicy *policy = docket_dock_get_policy (self);
  GCancellable *cancellable;
  FirmwareUpdate *update;

  if (policy == NULL || self->firmware == NULL
      || g_object_get_data (G_OBJECT (camera), FIRMWARE_CANCELLABLE_KEY) != NULL)
    return;
  cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (camera), FIRMWARE_CANCELLABLE_KEY, cancellable, g_object_unref);
  update = g_new0 (FirmwareUpdate, 1);
  update->dock = g_object_ref (self);
  update->camera = g_object_ref (camera);
  docket_firmware_updater_update_async (self->firmware, camera, policy, cancellable,
                                        firmware_done_cb, update);
}

static void
cancel_firmware_update (DocketCamera *camera)
{
  GCancellable *cancellable = g_object_get_data (G_OBJECT (camera), FIRMWARE_CANCELLABLE_KEY);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
}

static void
on_firmware_progress (DocketFirmwareUpdater *updater,
                      DocketCamera *camera,
                      guint percent,
                      const gchar *version,
                      DocketDock *self)
{
  g_autofree gchar *text = g_strdup_printf (_ ("Updating firmware to %s: %u %%"), version, percent);
  GVariantDict dict;
  guint bucket, last;

  docket_camera_set_firmware_update (camera, text);
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "firmware", "s", version);
  g_variant_dict_insert (&dict, "percent", "u", percent);
  /* Events every 10 %: chunks rarely end on a round number. */
  bucket = percent / 10;
  last = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (camera), FIRMWARE_BUCKET_KEY));
  g_object_set_data (G_OBJECT (camera), FIRMWARE_BUCKET_KEY, GUINT_TO_POINTER (bucket + 1));
  if (percent == 0)
    emit_event (self, "firmware-update-started", camera, g_variant_dict_end (&dict),
                _ ("Camera %s: updating its firmware to %s"), camera_label (camera), version);
  else if (bucket + 1 > last)
    emit_event (self, "firmware-update-progress", camera, g_variant_dict_end (&dict),
                _ ("Camera %s: updating firmware to %s, %u %% sent"), camera_label (camera),
                version, percent);
  else
    g_variant_dict_clear (&dict);
}

/* A camera restarted after a committed update is identified again. */
static void
check_firmware_restart (DocketDock *self, DocketCamera *camera)
{
  g_autofree gchar *version = NULL;

  if (self->firmware == NULL)
    return;
  switch (docket_firmware_updater_camera_identified (self->firmware, camera, &version))
    {
      case DOCKET_FIRMWARE_RESTART_UPDATED:
        docket_camera_set_firmware_update (camera, NULL);
        emit_event (self, "firmware-update-finished", camera, NULL,
                    _ ("Camera %s now runs firmware %s"), camera_label (camera), version);
        break;
      case DOCKET_FIRMWARE_RESTART_OLD:
        emit_event (self, "firmware-update-failed", camera, NULL,
                    _ ("Camera %s restarted with firmware %s instead of %s; its old firmware "
                       "still works and the update will be tried again"),
                    camera_label (camera), docket_camera_get_firmware_version (camera), version);
        break;
      case DOCKET_FIRMWARE_RESTART_NONE:
      default:
        break;
    }
}

static void
on_camera_state_changed (DocketCamera *camera, GParamSpec *pspec, DocketDock *self)
{
  switch (docket_camera_get_state (camera))
    {
      case DOCKET_CAMERA_STATE_IDLE:
        /* Identified (or finished an earlier pass): offload what is new. The
         * manager ignores cameras it already has. */
        if (!docket_offload_manager_has_camera (self->offload, camera))
          {
            emit_event (self, "identified", camera, NULL, _ ("Camera %s (%s %s) is ready"),
                        camera_label (camera), docket_camera_get_vendor (camera),
                        docket_camera_get_model (camera));
            check_firmware_restart (self, camera);
            offload_camera (self, camera);
            start_policy_check (self, camera);
          }
        break;
      case DOCKET_CAMERA_STATE_FAULTY:
        emit_event (self, "faulty", camera, NULL, _ ("Camera %s has a problem: %s"),
                    camera_label (camera), docket_camera_get_problem (camera));
        break;
      case DOCKET_CAMERA_STATE_IDENTIFYING:
      case DOCKET_CAMERA_STATE_OFFLOADING:
      case DOCKET_CAMERA_STATE_DONE:
      default:
        break;
    }
}

static void
on_camera_added (DocketDeviceMonitor *monitor, DocketCamera *camera, DocketDock *self)
{
  g_signal_connect_object (camera, "notify::state", G_CALLBACK (on_camera_state_changed), self, 0);
  g_signal_emit (self, signals[SIGNAL_CAMERA_ADDED], 0, camera);
  emit_event (self, "docked", camera, NULL, _ ("A camera was docked in slot %s"),
              docket_camera_get_slot (camera));
  /* It may already be identified by the time we hear of it. */
  on_camera_state_changed (camera, NULL, self);
}

static void
on_camera_removed (DocketDeviceMonitor *monitor, DocketCamera *camera, DocketDock *self)
{
  g_signal_handlers_disconnect_by_data (camera, self);
  cancel_policy_check (camera);
  cancel_firmware_update (camera);
  docket_offload_manager_remove_camera (self->offload, camera);
  emit_event (self, "undocked", camera, NULL, _ ("Camera %s was undocked"), camera_label (camera));
  g_signal_emit (self, signals[SIGNAL_CAMERA_REMOVED], 0, camera);
}

static void
on_job_started (DocketOffloadManager *manager, DocketCamera *camera, DocketDock *self)
{
  emit_event (self, "offload-started", camera, NULL, _ ("Offloading recordings from camera %s"),
              camera_label (camera));
}

static void
on_job_progress (DocketOffloadManager *manager,
                 DocketCamera *camera,
                 GVariant *progress,
                 DocketDock *self)
{
  guint32 done = 0;
  guint32 total = 0;

  g_variant_lookup (progress, "files-done", "u", &done);
  g_variant_lookup (progress, "files-total", "u", &total);
  emit_event (self, "offload-progress", camera, progress,
              _ ("Camera %s: %u of %u recordings offloaded"), camera_label (camera), done, total);
}

static void
on_recording_verified (DocketOffloadManager *manager,
                       DocketCamera *camera,
                       gint64 row_id,
                       const gchar *name,
                       const gchar *sha256,
                       DocketDock *self)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "recording-id", "x", row_id);
  g_variant_dict_insert (&dict, "sha256", "s", sha256);
  emit_event (self, "recording-verified", camera, g_variant_dict_end (&dict),
              _ ("Recording “%s” from camera %s is verified and stored"), name,
              camera_label (camera));
}

static void
on_recording_quarantined (DocketOffloadManager *manager,
                          DocketCamera *camera,
                          const gchar *name,
                          const gchar *reason,
                          DocketDock *self)
{
  emit_event (self, "recording-quarantined", camera, NULL,
              _ ("Recording “%s” from camera %s failed its check and was kept on the camera: %s"),
              name, camera_label (camera), reason);
}

static void
on_job_finished (DocketOffloadManager *manager,
                 DocketCamera *camera,
                 const GError *error,
                 DocketDock *self)
{
  if (error == NULL)
    {
      emit_event (self, "offload-finished", camera, NULL, _ ("Camera %s: offload finished"),
                  camera_label (camera));
      start_firmware_update (self, camera);
    }
  else if (g_error_matches (error, DOCKET_ERROR, DOCKET_ERROR_NO_SPACE))
    emit_event (self, "offload-paused", camera, NULL,
                _ ("Camera %s: offload paused, the evidence store is full (%s)"),
                camera_label (camera), error->message);
  else
    emit_event (self, "offload-failed", camera, NULL, _ ("Camera %s: offload stopped: %s"),
                camera_label (camera), error->message);
}

static void
docket_dock_dispose (GObject *object)
{
  DocketDock *self = DOCKET_DOCK (object);

  docket_dock_stop (self);
  if (self->offload != NULL)
    g_signal_handlers_disconnect_by_data (self->offload, self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->offload);
  g_clear_object (&self->store);
  g_clear_object (&self->enforcer);
  if (self->firmware != NULL)
    g_signal_handlers_disconnect_by_data (self->firmware, self);
  g_clear_object (&self->firmware);
  G_OBJECT_CLASS (docket_dock_parent_class)->dispose (object);
}

static void
docket_dock_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_POLICY:
        g_value_set_object (value, docket_dock_get_policy (DOCKET_DOCK (object)));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_dock_class_init (DocketDockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_dock_dispose;
  object_class->get_property = docket_dock_get_property;

  /* The device policy in force; notified when docket_dock_set_policy()
   * brings a new one (the station config follows it). */
  properties[PROP_POLICY] = g_param_spec_object ("policy", NULL, NULL, DOCKET_TYPE_POLICY,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CAMERA_ADDED]
      = g_signal_new ("camera-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, DOCKET_TYPE_CAMERA);
  signals[SIGNAL_CAMERA_REMOVED]
      = g_signal_new ("camera-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, DOCKET_TYPE_CAMERA);
  /**
   * DocketDock::event:
   * @kind: machine-readable kind (docked, identified, faulty, undocked,
   *   offload-started, offload-progress, recording-verified,
   *   recording-quarantined, offload-finished, offload-paused, offload-failed,
   *   policy-checked, kiosk-clock-unsynchronised, firmware-update-started,
   *   firmware-update-progress, firmware-update-restarting,
   *   firmware-update-finished, firmware-update-failed,
   *   firmware-update-deferred, firmware-update-refused,
   *   firmware-update-unsupported)
   * @camera: (nullable): the camera concerned
   * @message: translated plain words for people
   * @details: a{sv} extras
   */
  signals[SIGNAL_EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_STRING,
                                        DOCKET_TYPE_CAMERA, G_TYPE_STRING, G_TYPE_VARIANT);
}

static void
docket_dock_init (DocketDock *self)
{
}

DocketDock *
docket_dock_new (const gchar *store_root, const gchar *known_cameras_path, GError **error)
{
  g_autoptr (DocketDock) self = g_object_new (DOCKET_TYPE_DOCK, NULL);

  g_return_val_if_fail (store_root != NULL, NULL);
  g_return_val_if_fail (known_cameras_path != NULL, NULL);

  self->store = docket_evidence_store_open (store_root, error);
  if (self->store == NULL)
    {
      g_prefix_error (error, _ ("Cannot open the evidence store at %s: "), store_root);
      return NULL;
    }
  docket_drivers_register_builtin ();
  self->monitor = docket_device_monitor_new (known_cameras_path, error);
  if (self->monitor == NULL)
    return NULL;
  self->offload = docket_offload_manager_new (self->store);

  g_signal_connect (self->monitor, "camera-added", G_CALLBACK (on_camera_added), self);
  g_signal_connect (self->monitor, "camera-removed", G_CALLBACK (on_camera_removed), self);
  g_signal_connect (self->offload, "job-started", G_CALLBACK (on_job_started), self);
  g_signal_connect (self->offload, "job-progress", G_CALLBACK (on_job_progress), self);
  g_signal_connect (self->offload, "recording-verified", G_CALLBACK (on_recording_verified), self);
  g_signal_connect (self->offload, "recording-quarantined", G_CALLBACK (on_recording_quarantined),
                    self);
  g_signal_connect (self->offload, "job-finished", G_CALLBACK (on_job_finished), self);
  {
    g_autofree gchar *state_dir = g_path_get_dirname (store_root);
    g_autofree gchar *firmware_dir = docket_firmware_default_dir (state_dir);

    docket_dock_set_firmware_dir (self, firmware_dir);
  }
  return g_steal_pointer (&self);
}

gboolean
docket_dock_start (DocketDock *self, GError **error)
{
  g_return_val_if_fail (DOCKET_IS_DOCK (self), FALSE);

  if (self->started)
    return TRUE;
  if (!docket_device_monitor_start (self->monitor, error))
    {
      g_prefix_error (error, _ ("Cannot watch for cameras: "));
      return FALSE;
    }
  self->started = TRUE;
  return TRUE;
}

void
docket_dock_stop (DocketDock *self)
{
  g_autoptr (GPtrArray) cameras = NULL;

  g_return_if_fail (DOCKET_IS_DOCK (self));

  if (!self->started)
    return;
  self->started = FALSE;
  /* Cancel offloads first: their partial copies stay for resume. */
  cameras = docket_device_monitor_get_cameras (self->monitor);
  for (guint i = 0; i < cameras->len; i++)
    {
      cancel_policy_check (g_ptr_array_index (cameras, i));
      cancel_firmware_update (g_ptr_array_index (cameras, i));
      docket_offload_manager_remove_camera (self->offload, g_ptr_array_index (cameras, i));
    }
  docket_device_monitor_stop (self->monitor);
}

DocketEvidenceStore *
docket_dock_get_store (DocketDock *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCK (self), NULL);
  return self->store;
}

DocketOffloadManager *
docket_dock_get_offload_manager (DocketDock *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCK (self), NULL);
  return self->offload;
}

DocketDeviceMonitor *
docket_dock_get_device_monitor (DocketDock *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCK (self), NULL);
  return self->monitor;
}

GPtrArray *
docket_dock_get_cameras (DocketDock *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCK (self), NULL);
  return docket_device_monitor_get_cameras (self->monitor);
}

void
docket_dock_set_policy (DocketDock *self, DocketPolicy *policy, DocketTimedate *timedate)
{
  g_return_if_fail (DOCKET_IS_DOCK (self));
  g_return_if_fail (policy == NULL || DOCKET_IS_POLICY (policy));

  g_clear_object (&self->enforcer);
  if (policy != NULL)
    self->enforcer = docket_policy_enforcer_new (policy, timedate,
                                                 docket_evidence_store_get_audit_log (self->store));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
}

DocketPolicy *
docket_dock_get_policy (DocketDock *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCK (self), NULL);
  return self->enforcer != NULL ? docket_policy_enforcer_get_policy (self->enforcer) : NULL;
}

void
docket_dock_set_firmware_dir (DocketDock *self, const gchar *firmware_dir)
{
  g_return_if_fail (DOCKET_IS_DOCK (self));
  g_return_if_fail (firmware_dir != NULL);

  if (self->firmware != NULL)
    g_signal_handlers_disconnect_by_data (self->firmware, self);
  g_clear_object (&self->firmware);
  self->firmware = docket_firmware_updater_new (firmware_dir, self->store,
                                                docket_evidence_store_get_audit_log (self->store));
  g_signal_connect (self->firmware, "progress", G_CALLBACK (on_firmware_progress), self);
}

DocketFirmwareUpdater *
docket_dock_get_firmware_updater (DocketDock *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCK (self), NULL);
  return self->firmware;
}
