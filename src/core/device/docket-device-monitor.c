/* docket-device-monitor.c — notices cameras being docked and undocked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Main context: udev events, the camera table, signals, applying results.
 * Worker threads (GTask): opening the device, identify, status, close — all
 * blocking USB I/O.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-camera-driver-registry.h"
#include "docket-device-monitor.h"
#include "docket-error.h"
#include "docket-known-cameras.h"
#include "docket-message.h"
#include "docket-udev-watcher.h"
#include "docket-usb-context.h"

#define DEFAULT_STATUS_INTERVAL_S 30
/* Identify is a few bounded exchanges (each its own timeout); a probe still
 * running after this is stuck somewhere no timeout reaches (a USB call that
 * never returns), and people must hear of it rather than see a camera that
 * looks busy forever. */
#define DEFAULT_IDENTIFY_DEADLINE_S 30

typedef struct
{
  DocketCamera *camera;      /* owned */
  GCancellable *cancellable; /* owned; cancelled on undock */
  gboolean status_pending;
  GSource *overdue_source; /* owned; reports an identify that never ends */
  guint identify_deadline_s;
} Entry;

struct _DocketDeviceMonitor
{
  GObject parent_instance;

  DocketKnownCameras *known;  /* owned */
  DocketUdevWatcher *watcher; /* owned */
  DocketUsbContext *usb;      /* owned, created on start */
  GHashTable *entries;        /* syspath → Entry */
  guint status_interval_s;
  guint identify_deadline_s;
  gboolean started;
  GSource *status_source; /* owned */
};

G_DEFINE_FINAL_TYPE (DocketDeviceMonitor, docket_device_monitor, G_TYPE_OBJECT)

enum
{
  SIGNAL_CAMERA_ADDED,
  SIGNAL_CAMERA_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
entry_stop_overdue (Entry *entry)
{
  if (entry->overdue_source == NULL)
    return;
  g_source_destroy (entry->overdue_source);
  g_clear_pointer (&entry->overdue_source, g_source_unref);
}

static void
entry_free (Entry *entry)
{
  entry_stop_overdue (entry);
  g_cancellable_cancel (entry->cancellable);
  g_clear_object (&entry->cancellable);
  g_clear_object (&entry->camera);
  g_free (entry);
}

/* ---- worker-thread jobs ---------------------------------------------- */

typedef struct
{
  gboolean identified;
  DocketCameraIdentity identity;
  DocketCameraStatus status;
} ProbeResult;

static void
probe_result_free (ProbeResult *result)
{
  docket_camera_identity_clear (&result->identity);
  g_free (result);
}

static void
probe_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DocketCameraDriver *driver = task_data;
  ProbeResult *result = g_new0 (ProbeResult, 1);
  GError *error = NULL;

  if (!docket_camera_driver_open (driver, cancellable, &error)
      || !docket_camera_driver_identify (driver, &result->identity, cancellable, &error)
      || !docket_camera_driver_get_status (driver, &result->status, cancellable, &error))
    {
      probe_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  result->identified = TRUE;
  g_task_return_pointer (task, result, (GDestroyNotify)probe_result_free);
}

static void
status_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DocketCameraDriver *driver = task_data;
  DocketCameraStatus *status = g_new0 (DocketCameraStatus, 1);
  GError *error = NULL;

  if (!docket_camera_driver_get_status (driver, status, cancellable, &error))
    {
      g_free (status);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, status, g_free);
}

static void
close_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  docket_camera_driver_close (task_data);
  g_task_return_boolean (task, TRUE);
}

/* ---- main context ------------------------------------------------------ */

static Entry *
find_entry_for_camera (DocketDeviceMonitor *self, DocketCamera *camera)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;

      if (entry->camera == camera)
        return entry;
    }
  return NULL;
}

static void
probe_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  DocketDeviceMonitor *self = DOCKET_DEVICE_MONITOR (source);
  g_autoptr (DocketCamera) camera = user_data;
  g_autoptr (GError) error = NULL;
  ProbeResult *result;
  Entry *entry;

  result = g_task_propagate_pointer (G_TASK (res), &error);
  entry = find_entry_for_camera (self, camera);
  /* Undocked meanwhile: nothing to report. */
  if (entry == NULL)
    {
      g_clear_pointer (&result, probe_result_free);
      return;
    }
  entry_stop_overdue (entry);
  if (result == NULL)
    {
      g_message ("Camera in slot %s is faulty: %s", docket_camera_get_slot (camera),
                 error->message);
      docket_camera_set_faulty_detail (
          camera,
          g_error_matches (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT)
              ? docket_message_new (N_ ("The camera stopped answering. Take it out and dock it "
                                        "again; if this happens again, tell IT."))
              : docket_message_new (N_ ("The kiosk could not identify this camera. Take it out "
                                        "and dock it again; if this happens again, tell IT.")),
          error->message);
      return;
    }
  docket_camera_apply_identity (camera, &result->identity);
  docket_camera_apply_status (camera, &result->status, g_get_real_time ());
  docket_camera_set_problem (camera, NULL);
  docket_camera_set_state (camera, DOCKET_CAMERA_STATE_IDLE);
  probe_result_free (result);
}

static gboolean
identify_overdue_cb (gpointer user_data)
{
  Entry *entry = user_data;

  g_clear_pointer (&entry->overdue_source, g_source_unref);
  if (docket_camera_get_state (entry->camera) != DOCKET_CAMERA_STATE_IDENTIFYING)
    return G_SOURCE_REMOVE;
  g_message ("Camera in slot %s has not finished identifying after %u s",
             docket_camera_get_slot (entry->camera), entry->identify_deadline_s);
  /* Still IDENTIFYING: should the probe finish after all, it clears this. */
  docket_camera_set_problem_message (
      entry->camera,
      docket_message_new (N_ ("The camera has not answered for %u seconds. Take it out and dock "
                              "it again; if this happens again, tell IT."),
                          entry->identify_deadline_s));
  return G_SOURCE_REMOVE;
}

static void
entry_start_overdue (Entry *entry, guint seconds)
{
  if (seconds == 0)
    return;
  entry->identify_deadline_s = seconds;
  entry->overdue_source = g_timeout_source_new_seconds (seconds);
  g_source_set_callback (entry->overdue_source, identify_overdue_cb, entry, NULL);
  g_source_set_name (entry->overdue_source, "[docket] identify deadline");
  g_source_attach (entry->overdue_source, g_main_context_get_thread_default ());
}

static void
status_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  DocketDeviceMonitor *self = DOCKET_DEVICE_MONITOR (source);
  g_autoptr (DocketCamera) camera = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree DocketCameraStatus *status = g_task_propagate_pointer (G_TASK (res), &error);
  Entry *entry = find_entry_for_camera (self, camera);

  if (entry == NULL)
    return;
  entry->status_pending = FALSE;
  if (status != NULL)
    docket_camera_apply_status (camera, status, g_get_real_time ());
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Status of camera %s: %s", docket_camera_get_slot (camera), error->message);
}

static gboolean
status_tick_cb (gpointer user_data)
{
  DocketDeviceMonitor *self = user_data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;
      DocketCameraState state = docket_camera_get_state (entry->camera);
      g_autoptr (GTask) task = NULL;

      if (entry->status_pending || state == DOCKET_CAMERA_STATE_IDENTIFYING
          || state == DOCKET_CAMERA_STATE_FAULTY)
        continue;
      entry->status_pending = TRUE;
      task = g_task_new (self, entry->cancellable, status_done_cb, g_object_ref (entry->camera));
      g_task_set_source_tag (task, status_tick_cb);
      g_task_set_task_data (task, g_object_ref (docket_camera_get_driver (entry->camera)),
                            g_object_unref);
      g_task_run_in_thread (task, status_thread);
    }
  return G_SOURCE_CONTINUE;
}

static void
start_status_timer (DocketDeviceMonitor *self)
{
  GSource *source = g_timeout_source_new_seconds (self->status_interval_s);

  g_source_set_callback (source, status_tick_cb, self, NULL);
  g_source_set_name (source, "[docket] camera status poll");
  g_source_attach (source, g_main_context_get_thread_default ());
  self->status_source = source;
}

static void
stop_status_timer (DocketDeviceMonitor *self)
{
  if (self->status_source == NULL)
    return;
  g_source_destroy (self->status_source);
  g_clear_pointer (&self->status_source, g_source_unref);
}

static void
device_added_cb (DocketUdevWatcher *watcher, DocketUsbDeviceInfo *info, gpointer user_data)
{
  DocketDeviceMonitor *self = user_data;
  const DocketKnownCamera *known;
  g_autoptr (DocketCameraDriver) driver = NULL;
  g_autoptr (GTask) task = NULL;
  g_autofree gchar *label = NULL;
  Entry *entry;

  known = docket_known_cameras_lookup (self->known, info->vendor_id, info->product_id);
  if (known == NULL)
    return; /* not a camera: ignored quietly */
  if (!docket_camera_driver_registry_contains (known->driver))
    {
      g_warning ("Known camera %04x:%04x asks for driver “%s”, which this Docket lacks",
                 info->vendor_id, info->product_id, known->driver);
      return;
    }
  if (g_hash_table_contains (self->entries, info->syspath))
    return;

  label = g_strdup_printf (_ ("in slot %s"), info->sysname);
  driver = docket_camera_driver_registry_create (known->driver, self->usb, info->bus, info->address,
                                                 label);
  entry = g_new0 (Entry, 1);
  entry->camera = docket_camera_new (driver, info->sysname);
  entry->cancellable = g_cancellable_new ();
  docket_camera_set_state (entry->camera, DOCKET_CAMERA_STATE_IDENTIFYING);
  entry_start_overdue (entry, self->identify_deadline_s);
  g_hash_table_insert (self->entries, g_strdup (info->syspath), entry);
  g_signal_emit (self, signals[SIGNAL_CAMERA_ADDED], 0, entry->camera);

  task = g_task_new (self, entry->cancellable, probe_done_cb, g_object_ref (entry->camera));
  g_task_set_source_tag (task, device_added_cb);
  g_task_set_task_data (task, g_object_ref (driver), g_object_unref);
  g_task_run_in_thread (task, probe_thread);
}

static void
close_entry_driver (DocketDeviceMonitor *self, Entry *entry)
{
  g_autoptr (GTask) task = NULL;

  g_cancellable_cancel (entry->cancellable);
  /* close() waits for the exchange in flight: keep that off the main loop. */
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, close_entry_driver);
  g_task_set_task_data (task, g_object_ref (docket_camera_get_driver (entry->camera)),
                        g_object_unref);
  g_task_run_in_thread (task, close_thread);
}

static void
device_removed_cb (DocketUdevWatcher *watcher, DocketUsbDeviceInfo *info, gpointer user_data)
{
  DocketDeviceMonitor *self = user_data;
  g_autofree gchar *key = NULL;
  Entry *entry;

  if (!g_hash_table_steal_extended (self->entries, info->syspath, (gpointer *)&key,
                                    (gpointer *)&entry))
    return;
  close_entry_driver (self, entry);
  g_signal_emit (self, signals[SIGNAL_CAMERA_REMOVED], 0, entry->camera);
  entry_free (entry);
}

/* ---- object ------------------------------------------------------------ */

static void
docket_device_monitor_dispose (GObject *object)
{
  DocketDeviceMonitor *self = DOCKET_DEVICE_MONITOR (object);

  docket_device_monitor_stop (self);
  g_clear_object (&self->watcher);
  g_clear_object (&self->known);
  g_clear_object (&self->usb);
  G_OBJECT_CLASS (docket_device_monitor_parent_class)->dispose (object);
}

static void
docket_device_monitor_finalize (GObject *object)
{
  DocketDeviceMonitor *self = DOCKET_DEVICE_MONITOR (object);

  g_hash_table_unref (self->entries);
  G_OBJECT_CLASS (docket_device_monitor_parent_class)->finalize (object);
}

static void
docket_device_monitor_class_init (DocketDeviceMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_device_monitor_dispose;
  object_class->finalize = docket_device_monitor_finalize;

  signals[SIGNAL_CAMERA_ADDED]
      = g_signal_new ("camera-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, DOCKET_TYPE_CAMERA);
  signals[SIGNAL_CAMERA_REMOVED]
      = g_signal_new ("camera-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, DOCKET_TYPE_CAMERA);
}

static void
docket_device_monitor_init (DocketDeviceMonitor *self)
{
  self->entries
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)entry_free);
  self->status_interval_s = DEFAULT_STATUS_INTERVAL_S;
  self->identify_deadline_s = DEFAULT_IDENTIFY_DEADLINE_S;
}

DocketDeviceMonitor *
docket_device_monitor_new (const gchar *known_cameras_path, GError **error)
{
  g_autoptr (DocketDeviceMonitor) self = NULL;
  const gchar *override = g_getenv ("DOCKET_KNOWN_CAMERAS");

  if (override != NULL && *override != '\0')
    known_cameras_path = override;
  g_return_val_if_fail (known_cameras_path != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_DEVICE_MONITOR, NULL);
  self->known = docket_known_cameras_new_from_file (known_cameras_path, error);
  if (self->known == NULL)
    return NULL;
  self->watcher = docket_udev_watcher_new ();
  return g_steal_pointer (&self);
}

gboolean
docket_device_monitor_start (DocketDeviceMonitor *self, GError **error)
{
  g_return_val_if_fail (DOCKET_IS_DEVICE_MONITOR (self), FALSE);

  if (self->started)
    return TRUE;
  if (self->usb == NULL)
    {
      self->usb = docket_usb_context_dup_default (error);
      if (self->usb == NULL)
        return FALSE;
    }
  g_signal_connect_object (self->watcher, "device-added", G_CALLBACK (device_added_cb), self, 0);
  g_signal_connect_object (self->watcher, "device-removed", G_CALLBACK (device_removed_cb), self,
                           0);
  if (!docket_udev_watcher_start (self->watcher, error))
    {
      g_signal_handlers_disconnect_by_data (self->watcher, self);
      return FALSE;
    }
  if (self->status_interval_s > 0 && self->status_source == NULL)
    start_status_timer (self);
  self->started = TRUE;
  return TRUE;
}

void
docket_device_monitor_stop (DocketDeviceMonitor *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (DOCKET_IS_DEVICE_MONITOR (self));

  self->started = FALSE;
  stop_status_timer (self);
  if (self->watcher != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->watcher, self);
      docket_udev_watcher_stop (self->watcher);
    }
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    close_entry_driver (self, value);
  g_hash_table_remove_all (self->entries);
}

GPtrArray *
docket_device_monitor_get_cameras (DocketDeviceMonitor *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (DOCKET_IS_DEVICE_MONITOR (self), NULL);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (out, g_object_ref (((Entry *)value)->camera));
  return out;
}

void
docket_device_monitor_set_status_interval (DocketDeviceMonitor *self, guint seconds)
{
  g_return_if_fail (DOCKET_IS_DEVICE_MONITOR (self));

  self->status_interval_s = seconds;
  if (self->status_source != NULL)
    {
      stop_status_timer (self);
      if (seconds > 0)
        start_status_timer (self);
    }
}

void
docket_device_monitor_set_identify_deadline (DocketDeviceMonitor *self, guint seconds)
{
  g_return_if_fail (DOCKET_IS_DEVICE_MONITOR (self));
  self->identify_deadline_s = seconds;
}

void
docket_device_monitor_refresh_status (DocketDeviceMonitor *self)
{
  g_return_if_fail (DOCKET_IS_DEVICE_MONITOR (self));
  status_tick_cb (self);
}
