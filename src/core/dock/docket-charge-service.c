/* docket-charge-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-charge-service.h"

typedef struct
{
  DocketChargeService *service; /* unowned: the watch dies first */
  DocketCamera *camera;
  gboolean busy;
  gboolean again;
  gboolean first_done; /* returned (by docking) and capabilities read */
  DocketCameraCapabilities capabilities;
} Watch;

struct _DocketChargeService
{
  GObject parent_instance;

  DocketDock *dock; /* weak: the dock may own whoever owns this */
  DocketChargeManager *manager;
  DocketCheckout *checkout;
  GHashTable *watches; /* DocketCamera* → Watch* */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (DocketChargeService, docket_charge_service, G_TYPE_OBJECT)

static void
watch_free (Watch *watch)
{
  g_signal_handlers_disconnect_by_data (watch->camera, watch);
  g_object_unref (watch->camera);
  g_free (watch);
}

static void
docket_charge_service_dispose (GObject *object)
{
  DocketChargeService *self = DOCKET_CHARGE_SERVICE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->dock != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->dock, self);
      g_object_remove_weak_pointer (G_OBJECT (self->dock), (gpointer *)&self->dock);
      self->dock = NULL;
    }
  g_hash_table_remove_all (self->watches);
  G_OBJECT_CLASS (docket_charge_service_parent_class)->dispose (object);
}

static void
docket_charge_service_finalize (GObject *object)
{
  DocketChargeService *self = DOCKET_CHARGE_SERVICE (object);

  g_clear_object (&self->manager);
  g_clear_object (&self->checkout);
  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->watches);
  G_OBJECT_CLASS (docket_charge_service_parent_class)->finalize (object);
}

static void
docket_charge_service_class_init (DocketChargeServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = docket_charge_service_dispose;
  G_OBJECT_CLASS (klass)->finalize = docket_charge_service_finalize;
}

static void
docket_charge_service_init (DocketChargeService *self)
{
  self->watches = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)watch_free);
  self->cancellable = g_cancellable_new ();
}

/* ---- one evaluation, on a worker thread ---------------------------------- */

typedef struct
{
  /* in */
  DocketCamera *camera; /* touched on the main thread only */
  DocketChargeManager *manager;
  DocketCheckout *checkout;
  DocketCameraDriver *driver;
  DocketPolicy *policy; /* nullable */
  gchar *serial;
  gchar *model;
  gboolean first;
  DocketCameraCapabilities capabilities;
  /* out */
  DocketChargeReport *report;
  gchar *holder;
  gboolean pooled;
} Evaluation;

static void
evaluation_free (Evaluation *e)
{
  g_object_unref (e->camera);
  g_object_unref (e->manager);
  g_object_unref (e->checkout);
  g_object_unref (e->driver);
  g_clear_object (&e->policy);
  g_free (e->serial);
  g_free (e->model);
  docket_charge_report_free (e->report);
  g_free (e->holder);
  g_free (e);
}

static void
evaluate_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Evaluation *e = task_data;
  GError *error = NULL;
  DocketCameraStatus status = { 0 };
  DocketChargeSettings settings;
  gboolean assigned_or_held;

  if (e->first)
    {
      g_auto (DocketCameraIdentity) identity = { 0 };

      if (!docket_camera_driver_identify (e->driver, &identity, cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      e->capabilities = docket_camera_driver_get_capabilities (e->driver);
      /* Docking a checked-out camera returns it. */
      if (!docket_checkout_returned (e->checkout, e->serial, g_get_real_time (), NULL, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  e->holder = docket_checkout_dup_holder (e->checkout, e->serial, &error);
  if (error != NULL || !docket_checkout_is_pooled (e->checkout, e->serial, &e->pooled, &error)
      || !docket_camera_driver_get_status (e->driver, &status, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  assigned_or_held = e->holder != NULL;
  docket_charge_settings_init (&settings, e->policy, e->model);
  e->report = docket_charge_manager_update (e->manager, e->serial, &settings, &status,
                                            !assigned_or_held && !e->pooled, g_get_real_time ());
  if (!docket_charge_manager_apply (e->manager, e->serial, e->report, e->driver, e->capabilities,
                                    NULL, cancellable, &error))
    {
      /* The report stands; the camera just could not be told this time. */
      g_debug ("Charge control of camera %s: %s", e->serial, error->message);
      g_clear_error (&error);
    }
  g_task_return_boolean (task, TRUE);
}

static void schedule (Watch *watch);

static gboolean
camera_settled (DocketCamera *camera)
{
  DocketCameraState state = docket_camera_get_state (camera);

  return (state == DOCKET_CAMERA_STATE_IDLE || state == DOCKET_CAMERA_STATE_DONE)
         && *docket_camera_get_serial (camera) != '\0';
}

static void
evaluate_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  DocketChargeService *self = DOCKET_CHARGE_SERVICE (source);
  Evaluation *e = g_task_get_task_data (G_TASK (res));
  DocketCamera *camera = e->camera;
  g_autoptr (GError) error = NULL;
  Watch *watch = g_hash_table_lookup (self->watches, camera);

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Battery of camera %s: %s", e->serial, error->message);
    }
  if (watch == NULL)
    return; /* undocked meanwhile */
  watch->busy = FALSE;
  if (error == NULL)
    {
      if (e->first)
        {
          watch->first_done = TRUE;
          watch->capabilities = e->capabilities;
        }
      docket_camera_set_holder (camera, e->holder, e->pooled);
      docket_camera_set_charge (camera, e->report->ready_for_shift, e->report->ready_in_seconds,
                                e->report->health_percent, e->report->note,
                                (const gchar *const *)e->report->alerts, e->report->note_message,
                                e->report->alert_messages);
    }
  if (watch->again)
    schedule (watch);
}

static void
schedule (Watch *watch)
{
  DocketChargeService *self = watch->service;
  g_autoptr (GTask) task = NULL;
  Evaluation *e;
  DocketPolicy *policy;

  if (watch->busy)
    {
      watch->again = TRUE;
      return;
    }
  watch->again = FALSE;
  if (!camera_settled (watch->camera))
    return;
  e = g_new0 (Evaluation, 1);
  e->camera = g_object_ref (watch->camera);
  e->manager = g_object_ref (self->manager);
  e->checkout = g_object_ref (self->checkout);
  e->driver = g_object_ref (docket_camera_get_driver (watch->camera));
  policy = self->dock != NULL ? docket_dock_get_policy (self->dock) : NULL;
  e->policy = policy != NULL ? g_object_ref (policy) : NULL;
  e->serial = g_strdup (docket_camera_get_serial (watch->camera));
  e->model = g_strdup (docket_camera_get_model (watch->camera));
  e->first = !watch->first_done;
  e->capabilities = watch->capabilities;
  watch->busy = TRUE;
  task = g_task_new (self, self->cancellable, evaluate_done_cb, NULL);
  g_task_set_task_data (task, e, (GDestroyNotify)evaluation_free);
  g_task_run_in_thread (task, evaluate_thread);
}

static void
on_camera_notify (DocketCamera *camera, GParamSpec *pspec, Watch *watch)
{
  schedule (watch);
}

static void
on_camera_added (DocketDock *dock, DocketCamera *camera, DocketChargeService *self)
{
  static const gchar *const props[]
      = { "state", "battery-percent", "battery-temperature", "charging-state" };
  Watch *watch;

  if (g_hash_table_contains (self->watches, camera))
    return;
  watch = g_new0 (Watch, 1);
  watch->service = self;
  watch->camera = g_object_ref (camera);
  g_hash_table_insert (self->watches, camera, watch);
  for (gsize i = 0; i < G_N_ELEMENTS (props); i++)
    {
      g_autofree gchar *signal = g_strconcat ("notify::", props[i], NULL);

      g_signal_connect (camera, signal, G_CALLBACK (on_camera_notify), watch);
    }
  schedule (watch);
}

static void
undocked_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DocketChargeService *self = source;
  g_autoptr (GError) error = NULL;

  if (!docket_charge_manager_undocked (self->manager, task_data, g_get_real_time (), &error))
    g_warning ("%s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
on_camera_removed (DocketDock *dock, DocketCamera *camera, DocketChargeService *self)
{
  const gchar *serial = docket_camera_get_serial (camera);
  g_autoptr (GTask) task = NULL;

  g_hash_table_remove (self->watches, camera);
  if (*serial == '\0')
    return;
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, g_strdup (serial), g_free);
  g_task_run_in_thread (task, undocked_thread);
}

DocketChargeService *
docket_charge_service_new (DocketDock *dock)
{
  DocketChargeService *self = g_object_new (DOCKET_TYPE_CHARGE_SERVICE, NULL);
  DocketEvidenceStore *store = docket_dock_get_store (dock);
  g_autoptr (GPtrArray) cameras = NULL;

  self->dock = dock;
  g_object_add_weak_pointer (G_OBJECT (dock), (gpointer *)&self->dock);
  self->manager = docket_charge_manager_new (docket_evidence_store_get_database (store));
  self->checkout = docket_checkout_new (store);
  g_signal_connect (dock, "camera-added", G_CALLBACK (on_camera_added), self);
  g_signal_connect (dock, "camera-removed", G_CALLBACK (on_camera_removed), self);
  cameras = docket_dock_get_cameras (dock);
  for (guint i = 0; i < cameras->len; i++)
    on_camera_added (dock, g_ptr_array_index (cameras, i), self);
  return self;
}

DocketChargeManager *
docket_charge_service_get_manager (DocketChargeService *self)
{
  g_return_val_if_fail (DOCKET_IS_CHARGE_SERVICE (self), NULL);
  return self->manager;
}

DocketCheckout *
docket_charge_service_get_checkout (DocketChargeService *self)
{
  g_return_val_if_fail (DOCKET_IS_CHARGE_SERVICE (self), NULL);
  return self->checkout;
}

void
docket_charge_service_refresh (DocketChargeService *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (DOCKET_IS_CHARGE_SERVICE (self));

  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    schedule (value);
}

/* ---- check-out ----------------------------------------------------------- */

typedef struct
{
  DocketCheckout *checkout;
  DocketPolicy *policy;
  gchar *badge;
  GPtrArray *candidates; /* DocketCheckoutCandidate */
  GPtrArray *strings;    /* owns the candidates' strings */
  gchar *serial;
  gchar *slot;
} CheckOut;

static void
check_out_free (CheckOut *c)
{
  g_object_unref (c->checkout);
  g_clear_object (&c->policy);
  g_free (c->badge);
  g_ptr_array_unref (c->candidates);
  g_ptr_array_unref (c->strings);
  g_free (c->serial);
  g_free (c->slot);
  g_free (c);
}

static void
check_out_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CheckOut *c = task_data;
  GError *error = NULL;

  if (!docket_checkout_check_out (c->checkout, c->badge, c->candidates, c->policy,
                                  g_get_real_time (), &c->serial, &c->slot, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
docket_charge_service_check_out_async (DocketChargeService *self,
                                       const gchar *badge,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GPtrArray) cameras = NULL;
  DocketPolicy *policy;
  CheckOut *c;

  g_return_if_fail (DOCKET_IS_CHARGE_SERVICE (self));

  c = g_new0 (CheckOut, 1);
  c->checkout = g_object_ref (self->checkout);
  policy = self->dock != NULL ? docket_dock_get_policy (self->dock) : NULL;
  c->policy = policy != NULL ? g_object_ref (policy) : NULL;
  c->badge = g_strdup (badge);
  c->candidates = g_ptr_array_new_with_free_func (g_free);
  c->strings = g_ptr_array_new_with_free_func (g_free);
  cameras = self->dock != NULL ? docket_dock_get_cameras (self->dock) : g_ptr_array_new ();
  for (guint i = 0; i < cameras->len; i++)
    {
      DocketCamera *camera = g_ptr_array_index (cameras, i);
      const gchar *const *alerts = docket_camera_get_alerts (camera);
      DocketCheckoutCandidate *cand;
      gchar *serial, *slot;

      if (!camera_settled (camera))
        continue;
      serial = g_strdup (docket_camera_get_serial (camera));
      slot = g_strdup (docket_camera_get_slot (camera));
      g_ptr_array_add (c->strings, serial);
      g_ptr_array_add (c->strings, slot);
      cand = g_new0 (DocketCheckoutCandidate, 1);
      cand->serial = serial;
      cand->slot = slot;
      cand->battery_percent = docket_camera_get_battery_percent (camera);
      cand->ready_for_shift = docket_camera_get_ready_for_shift (camera);
      cand->ready_in_seconds = docket_camera_get_ready_in_seconds (camera);
      cand->has_alerts = alerts != NULL && alerts[0] != NULL;
      g_ptr_array_add (c->candidates, cand);
    }
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_charge_service_check_out_async);
  g_task_set_task_data (task, c, (GDestroyNotify)check_out_free);
  g_task_run_in_thread (task, check_out_thread);
}

/* ---- the checked-out camera's dock light --------------------------------- */

/* The driver interface has no blink state: alternate off and done for a while so the officer
 * sees which slot to take, then leave it on done (copied, charged). Ends
 * early when the camera leaves the dock or the daemon stops. */
#define CHECK_OUT_BLINKS 30
#define CHECK_OUT_BLINK_STEPS 5 /* of 100 ms: 0.5 s off, 0.5 s on */

static void
blink_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DocketCameraDriver *driver = task_data;

  for (guint i = 0; i < CHECK_OUT_BLINKS * 2; i++)
    {
      DocketIndicator state = i % 2 == 0 ? DOCKET_INDICATOR_OFF : DOCKET_INDICATOR_DONE;

      if (!docket_camera_driver_set_indicator (driver, state, cancellable, NULL))
        break;
      for (guint step = 0; step < CHECK_OUT_BLINK_STEPS; step++)
        {
          if (g_cancellable_is_cancelled (cancellable))
            break;
          g_usleep (100 * 1000);
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
blink_slot (DocketChargeService *self, DocketCamera *camera)
{
  /* No source object: the daemon's shutdown cancels, it does not wait. */
  DocketCameraDriver *driver = docket_camera_get_driver (camera);
  g_autoptr (GTask) task = NULL;

  if (driver == NULL)
    return;
  task = g_task_new (NULL, self->cancellable, NULL, NULL);
  g_task_set_source_tag (task, blink_slot);
  g_task_set_task_data (task, g_object_ref (driver), g_object_unref);
  g_task_run_in_thread (task, blink_thread);
}

gboolean
docket_charge_service_check_out_finish (DocketChargeService *self,
                                        GAsyncResult *result,
                                        gchar **out_serial,
                                        gchar **out_slot,
                                        GError **error)
{
  CheckOut *c;
  g_autoptr (GPtrArray) cameras = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  c = g_task_get_task_data (G_TASK (result));
  cameras = self->dock != NULL ? docket_dock_get_cameras (self->dock) : g_ptr_array_new ();
  for (guint i = 0; i < cameras->len; i++)
    {
      DocketCamera *camera = g_ptr_array_index (cameras, i);

      if (g_strcmp0 (docket_camera_get_serial (camera), c->serial) == 0)
        {
          docket_camera_set_holder (camera, c->badge, TRUE);
          blink_slot (self, camera);
        }
    }
  if (out_serial != NULL)
    *out_serial = g_strdup (c->serial);
  if (out_slot != NULL)
    *out_slot = g_strdup (c->slot);
  return TRUE;
}
