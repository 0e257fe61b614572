/* docket-dock.c — docked cameras: lifecycle and offload orchestration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-dock-private.h"
#include "docket-drivers.h"
#include "docket-error.h"
#include "docket-firmware-folder.h"

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
            _docket_dock_emit_event (
                self, "identified", camera, NULL, _ ("Camera %s (%s %s) is ready"),
                _docket_dock_camera_label (camera), docket_camera_get_vendor (camera),
                docket_camera_get_model (camera));
            _docket_dock_check_firmware_restart (self, camera);
            _docket_dock_offload_camera (self, camera);
            _docket_dock_start_policy_check (self, camera);
          }
        break;
      case DOCKET_CAMERA_STATE_FAULTY:
        _docket_dock_emit_event (self, "faulty", camera, NULL, _ ("Camera %s has a problem: %s"),
                                 _docket_dock_camera_label (camera),
                                 docket_camera_get_problem (camera));
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
  _docket_dock_emit_event (self, "docked", camera, NULL, _ ("A camera was docked in slot %s"),
                           docket_camera_get_slot (camera));
  /* It may already be identified by the time we hear of it. */
  on_camera_state_changed (camera, NULL, self);
}

static void
on_camera_removed (DocketDeviceMonitor *monitor, DocketCamera *camera, DocketDock *self)
{
  g_signal_handlers_disconnect_by_data (camera, self);
  _docket_dock_cancel_policy_check (camera);
  _docket_dock_cancel_firmware_update (camera);
  docket_offload_manager_remove_camera (self->offload, camera);
  _docket_dock_emit_event (self, "undocked", camera, NULL, _ ("Camera %s was undocked"),
                           _docket_dock_camera_label (camera));
  g_signal_emit (self, signals[SIGNAL_CAMERA_REMOVED], 0, camera);
}

static void
on_job_started (DocketOffloadManager *manager, DocketCamera *camera, DocketDock *self)
{
  _docket_dock_emit_event (self, "offload-started", camera, NULL,
                           _ ("Offloading recordings from camera %s"),
                           _docket_dock_camera_label (camera));
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
  _docket_dock_emit_event (self, "offload-progress", camera, progress,
                           _ ("Camera %s: %u of %u recordings offloaded"),
                           _docket_dock_camera_label (camera), done, total);
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
  _docket_dock_emit_event (self, "recording-verified", camera, g_variant_dict_end (&dict),
                           _ ("Recording “%s” from camera %s is verified and stored"), name,
                           _docket_dock_camera_label (camera));
}

static void
on_recording_quarantined (DocketOffloadManager *manager,
                          DocketCamera *camera,
                          const gchar *name,
                          const gchar *reason,
                          DocketDock *self)
{
  _docket_dock_emit_event (
      self, "recording-quarantined", camera, NULL,
      _ ("Recording “%s” from camera %s failed its check and was kept on the camera: %s"), name,
      _docket_dock_camera_label (camera), reason);
}

static void
on_job_finished (DocketOffloadManager *manager,
                 DocketCamera *camera,
                 const GError *error,
                 DocketDock *self)
{
  if (error == NULL)
    {
      _docket_dock_emit_event (self, "offload-finished", camera, NULL,
                               _ ("Camera %s: offload finished"),
                               _docket_dock_camera_label (camera));
      _docket_dock_start_firmware_update (self, camera);
    }
  else if (g_error_matches (error, DOCKET_ERROR, DOCKET_ERROR_NO_SPACE))
    _docket_dock_emit_event (self, "offload-paused", camera, NULL,
                             _ ("Camera %s: offload paused, the evidence store is full (%s)"),
                             _docket_dock_camera_label (camera), error->message);
  else
    _docket_dock_emit_event (self, "offload-failed", camera, NULL,
                             _ ("Camera %s: offload stopped: %s"),
                             _docket_dock_camera_label (camera), error->message);
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
  /* Before the offload manager exists: no commit can be in flight. A failure
   * leaves the strays where verify names them; offloading goes on. */
  {
    g_autoptr (GError) local_error = NULL;

    if (docket_evidence_store_set_aside_strays (self->store, &local_error) < 0)
      g_warning ("Could not set aside stray files in %s: %s", store_root, local_error->message);
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
      _docket_dock_cancel_policy_check (g_ptr_array_index (cameras, i));
      _docket_dock_cancel_firmware_update (g_ptr_array_index (cameras, i));
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
  g_signal_connect (self->firmware, "progress", G_CALLBACK (_docket_dock_on_firmware_progress),
                    self);
}

DocketFirmwareUpdater *
docket_dock_get_firmware_updater (DocketDock *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCK (self), NULL);
  return self->firmware;
}
