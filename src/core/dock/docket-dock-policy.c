/* docket-dock-policy.c — the device policy check beside each offload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-dock-private.h"
#include "docket-error.h"

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
  gint64 max_drift_ms = docket_policy_get_max_clock_drift_ms (
      docket_policy_enforcer_get_policy (DOCKET_POLICY_ENFORCER (source)));

  g_object_set_data (G_OBJECT (camera), POLICY_CANCELLABLE_KEY, NULL);
  if (result != NULL)
    {
      docket_policy_result_apply (result, camera);
      /* A camera within the drift allowed needs no setting: nothing to say. */
      if (result->clock_sync != DOCKET_CLOCK_SYNC_SYNCHRONISED && result->drift_measured
          && ABS (result->drift_ms) > max_drift_ms)
        _docket_dock_emit_event (
            self, "kiosk-clock-unsynchronised", camera, NULL,
            _ ("This kiosk cannot confirm its own clock, so camera %s's clock was not set "
               "(it is %.1f s off)"),
            _docket_dock_camera_label (camera), result->drift_ms / 1000.0);
      switch (result->state)
        {
          case DOCKET_POLICY_STATE_COMPLIANT:
            _docket_dock_emit_event (self, "policy-checked", camera, result->details,
                                     _ ("Camera %s complies with device policy version %lld"),
                                     _docket_dock_camera_label (camera), (long long)version);
            break;
          case DOCKET_POLICY_STATE_CHANGED:
            _docket_dock_emit_event (
                self, "policy-checked", camera, result->details,
                _ ("Camera %s now complies with device policy version %lld (%u settings "
                   "changed%s)"),
                _docket_dock_camera_label (camera), (long long)version, result->n_changes,
                result->clock_set ? _ (", clock set") : "");
            break;
          case DOCKET_POLICY_STATE_NON_COMPLIANT:
            _docket_dock_emit_event (
                self, "policy-checked", camera, result->details,
                _ ("Camera %s does not comply with device policy version %lld: %s"),
                _docket_dock_camera_label (camera), (long long)version, result->problem);
            break;
          case DOCKET_POLICY_STATE_FAILED:
          default:
            _docket_dock_emit_event (self, "policy-checked", camera, result->details,
                                     _ ("Camera %s could not be checked against device policy: %s"),
                                     _docket_dock_camera_label (camera), result->problem);
            break;
        }
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    docket_camera_set_policy (camera, "failed", error->message, NULL);
  g_object_unref (check->dock);
  g_object_unref (check->camera);
  g_free (check);
}

void
_docket_dock_start_policy_check (DocketDock *self, DocketCamera *camera)
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

void
_docket_dock_cancel_policy_check (DocketCamera *camera)
{
  GCancellable *cancellable = g_object_get_data (G_OBJECT (camera), POLICY_CANCELLABLE_KEY);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
}

/* The policy's erase-after-offload for the camera's model; a model it
 * leaves unmanaged (or no policy) gets the offload manager's default,
 * erase. */
void
_docket_dock_offload_camera (DocketDock *self, DocketCamera *camera)
{
  DocketPolicy *policy = _docket_dock_policy (self);
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
