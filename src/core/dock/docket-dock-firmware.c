/* docket-dock-firmware.c — firmware updates scheduled after an offload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-dock-private.h"
#include "docket-error.h"
#include "docket-message.h"

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
      /* The card's line in the kiosk's language; IT's full sentence goes
       * in the event. */
      if (result->words != NULL)
        docket_camera_set_firmware_update_detail (camera, result->words, result->detail);
      else
        docket_camera_set_firmware_update (camera, result->message);
      _docket_dock_emit_event (self, kind, camera, firmware_details (result), "%s",
                               result->message);
    }
  g_object_unref (update->dock);
  g_object_unref (update->camera);
  g_free (update);
}

void
_docket_dock_start_firmware_update (DocketDock *self, DocketCamera *camera)
{
  DocketPolicy *policy = _docket_dock_policy (self);
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

void
_docket_dock_cancel_firmware_update (DocketCamera *camera)
{
  GCancellable *cancellable = g_object_get_data (G_OBJECT (camera), FIRMWARE_CANCELLABLE_KEY);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
}

void
_docket_dock_on_firmware_progress (DocketFirmwareUpdater *updater,
                                   DocketCamera *camera,
                                   guint percent,
                                   const gchar *version,
                                   DocketDock *self)
{
  GVariantDict dict;
  guint bucket, last;

  docket_camera_set_firmware_update_message (
      camera, docket_message_new (N_ ("Updating firmware to %s: %u %%"), version, percent));
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "firmware", "s", version);
  g_variant_dict_insert (&dict, "percent", "u", percent);
  /* Events every 10 %: chunks rarely end on a round number. */
  bucket = percent / 10;
  last = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (camera), FIRMWARE_BUCKET_KEY));
  g_object_set_data (G_OBJECT (camera), FIRMWARE_BUCKET_KEY, GUINT_TO_POINTER (bucket + 1));
  if (percent == 0)
    _docket_dock_emit_event (self, "firmware-update-started", camera, g_variant_dict_end (&dict),
                             _ ("Camera %s: updating its firmware to %s"),
                             _docket_dock_camera_label (camera), version);
  else if (bucket + 1 > last)
    _docket_dock_emit_event (self, "firmware-update-progress", camera, g_variant_dict_end (&dict),
                             _ ("Camera %s: updating firmware to %s, %u %% sent"),
                             _docket_dock_camera_label (camera), version, percent);
  else
    g_variant_dict_clear (&dict);
}

/* A camera restarted after a committed update is identified again. */
void
_docket_dock_check_firmware_restart (DocketDock *self, DocketCamera *camera)
{
  g_autofree gchar *version = NULL;

  if (self->firmware == NULL)
    return;
  switch (docket_firmware_updater_camera_identified (self->firmware, camera, &version))
    {
      case DOCKET_FIRMWARE_RESTART_UPDATED:
        docket_camera_set_firmware_update (camera, NULL);
        _docket_dock_emit_event (self, "firmware-update-finished", camera, NULL,
                                 _ ("Camera %s now runs firmware %s"),
                                 _docket_dock_camera_label (camera), version);
        break;
      case DOCKET_FIRMWARE_RESTART_OLD:
        _docket_dock_emit_event (
            self, "firmware-update-failed", camera, NULL,
            _ ("Camera %s restarted with firmware %s instead of %s; its old firmware "
               "still works and the update will be tried again"),
            _docket_dock_camera_label (camera), docket_camera_get_firmware_version (camera),
            version);
        break;
      case DOCKET_FIRMWARE_RESTART_NONE:
      default:
        break;
    }
}
