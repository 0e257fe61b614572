/* docket-camera-driver.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-camera-driver.h"
#include "docket-error.h"

G_DEFINE_INTERFACE (DocketCameraDriver, docket_camera_driver, G_TYPE_OBJECT)

static void
docket_camera_driver_default_init (DocketCameraDriverInterface *iface)
{
}

DocketRecordingInfo *
docket_recording_info_copy (const DocketRecordingInfo *info)
{
  DocketRecordingInfo *copy = g_new (DocketRecordingInfo, 1);

  *copy = *info;
  copy->name = g_strdup (info->name);
  return copy;
}

void
docket_recording_info_free (DocketRecordingInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info);
}

G_DEFINE_BOXED_TYPE (DocketRecordingInfo,
                     docket_recording_info,
                     docket_recording_info_copy,
                     docket_recording_info_free)

gchar *
docket_recording_info_sha256_hex (const DocketRecordingInfo *info)
{
  GString *hex = g_string_sized_new (DOCKET_SHA256_LEN * 2);

  for (gsize i = 0; i < DOCKET_SHA256_LEN; i++)
    g_string_append_printf (hex, "%02x", info->sha256[i]);
  return g_string_free (hex, FALSE);
}

void
docket_camera_identity_clear (DocketCameraIdentity *identity)
{
  g_clear_pointer (&identity->vendor, g_free);
  g_clear_pointer (&identity->model, g_free);
  g_clear_pointer (&identity->serial, g_free);
  g_clear_pointer (&identity->firmware_version, g_free);
}

const gchar *
docket_charging_state_to_string (DocketChargingState state)
{
  switch (state)
    {
      case DOCKET_CHARGING_CHARGING:
        return "charging";
      case DOCKET_CHARGING_FULL:
        return "full";
      case DOCKET_CHARGING_DISCHARGING:
        return "discharging";
      case DOCKET_CHARGING_NOT_CHARGING:
        return "not-charging";
      case DOCKET_CHARGING_UNKNOWN:
      default:
        return "unknown";
    }
}

static gboolean
not_supported (DocketCameraDriver *self, const gchar *what, GError **error)
{
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED, _ ("The %s driver cannot %s"),
               docket_camera_driver_get_name (self), what);
  return FALSE;
}

const gchar *
docket_camera_driver_get_name (DocketCameraDriver *self)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), NULL);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  return iface->get_name != NULL ? iface->get_name (self) : G_OBJECT_TYPE_NAME (self);
}

gboolean
docket_camera_driver_identify (DocketCameraDriver *self,
                               DocketCameraIdentity *out_identity,
                               GCancellable *cancellable,
                               GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), FALSE);
  g_return_val_if_fail (out_identity != NULL, FALSE);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  if (iface->identify == NULL)
    return not_supported (self, _ ("identify the camera"), error);
  return iface->identify (self, out_identity, cancellable, error);
}

gboolean
docket_camera_driver_get_status (DocketCameraDriver *self,
                                 DocketCameraStatus *out_status,
                                 GCancellable *cancellable,
                                 GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), FALSE);
  g_return_val_if_fail (out_status != NULL, FALSE);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  if (iface->get_status == NULL)
    return not_supported (self, _ ("read the camera's status"), error);
  return iface->get_status (self, out_status, cancellable, error);
}

gboolean
docket_camera_driver_set_clock (DocketCameraDriver *self,
                                gint64 utc_usec,
                                GCancellable *cancellable,
                                GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), FALSE);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  if (iface->set_clock == NULL)
    return not_supported (self, _ ("set the camera's clock"), error);
  return iface->set_clock (self, utc_usec, cancellable, error);
}

GVariant *
docket_camera_driver_get_config (DocketCameraDriver *self,
                                 GCancellable *cancellable,
                                 GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), NULL);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  if (iface->get_config == NULL)
    {
      not_supported (self, _ ("read the camera's settings"), error);
      return NULL;
    }
  return iface->get_config (self, cancellable, error);
}

gboolean
docket_camera_driver_set_config (DocketCameraDriver *self,
                                 GVariant *config,
                                 GCancellable *cancellable,
                                 GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  if (iface->set_config == NULL)
    return not_supported (self, _ ("change the camera's settings"), error);
  return iface->set_config (self, config, cancellable, error);
}

GPtrArray *
docket_camera_driver_list_recordings (DocketCameraDriver *self,
                                      GCancellable *cancellable,
                                      GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), NULL);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  if (iface->list_recordings == NULL)
    {
      not_supported (self, _ ("list recordings"), error);
      return NULL;
    }
  return iface->list_recordings (self, cancellable, error);
}

gssize
docket_camera_driver_read_recording (DocketCameraDriver *self,
                                     guint32 id,
                                     guint64 offset,
                                     guint8 *buffer,
                                     gsize len,
                                     GCancellable *cancellable,
                                     GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), -1);
  g_return_val_if_fail (buffer != NULL || len == 0, -1);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  if (iface->read_recording == NULL)
    {
      not_supported (self, _ ("read recordings"), error);
      return -1;
    }
  return iface->read_recording (self, id, offset, buffer, len, cancellable, error);
}

gboolean
docket_camera_driver_delete_recording (DocketCameraDriver *self,
                                       guint32 id,
                                       GCancellable *cancellable,
                                       GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), FALSE);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  if (iface->delete_recording == NULL)
    return not_supported (self, _ ("delete recordings"), error);
  return iface->delete_recording (self, id, cancellable, error);
}

gboolean
docket_camera_driver_set_indicator (DocketCameraDriver *self,
                                    DocketIndicator state,
                                    GCancellable *cancellable,
                                    GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), FALSE);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  /* The indicator is a courtesy light: drivers without one simply succeed. */
  if (iface->set_indicator == NULL)
    return TRUE;
  return iface->set_indicator (self, state, cancellable, error);
}

void
docket_camera_driver_close (DocketCameraDriver *self)
{
  DocketCameraDriverInterface *iface;

  g_return_if_fail (DOCKET_IS_CAMERA_DRIVER (self));
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  if (iface->close != NULL)
    iface->close (self);
}

gboolean
docket_camera_driver_open (DocketCameraDriver *self, GCancellable *cancellable, GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), FALSE);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  /* Drivers that need no separate open step are ready as constructed. */
  if (iface->open == NULL)
    return TRUE;
  return iface->open (self, cancellable, error);
}

DocketCameraCapabilities
docket_camera_driver_get_capabilities (DocketCameraDriver *self)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), DOCKET_CAMERA_CAP_NONE);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  if (iface->get_capabilities == NULL)
    return DOCKET_CAMERA_CAP_NONE;
  return iface->get_capabilities (self);
}

gboolean
docket_camera_driver_set_charge (DocketCameraDriver *self,
                                 DocketChargeMode mode,
                                 guint level_percent,
                                 GCancellable *cancellable,
                                 GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), FALSE);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  if (iface->set_charge == NULL)
    return not_supported (self, _ ("control charging"), error);
  return iface->set_charge (self, mode, level_percent, cancellable, error);
}

gboolean
docket_camera_driver_firmware_begin (DocketCameraDriver *self,
                                     guint64 image_size,
                                     const guint8 sha256[DOCKET_SHA256_LEN],
                                     const gchar *version,
                                     GCancellable *cancellable,
                                     GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), FALSE);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  if (iface->firmware_begin == NULL)
    return not_supported (self, _ ("update its firmware"), error);
  return iface->firmware_begin (self, image_size, sha256, version, cancellable, error);
}

gboolean
docket_camera_driver_firmware_write (DocketCameraDriver *self,
                                     guint64 offset,
                                     const guint8 *data,
                                     gsize len,
                                     GCancellable *cancellable,
                                     GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  if (iface->firmware_write == NULL)
    return not_supported (self, _ ("update its firmware"), error);
  return iface->firmware_write (self, offset, data, len, cancellable, error);
}

gboolean
docket_camera_driver_firmware_commit (DocketCameraDriver *self,
                                      GCancellable *cancellable,
                                      GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), FALSE);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  if (iface->firmware_commit == NULL)
    return not_supported (self, _ ("update its firmware"), error);
  return iface->firmware_commit (self, cancellable, error);
}

gboolean
docket_camera_driver_firmware_abort (DocketCameraDriver *self,
                                     GCancellable *cancellable,
                                     GError **error)
{
  DocketCameraDriverInterface *iface;

  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (self), FALSE);
  iface = DOCKET_CAMERA_DRIVER_GET_IFACE (self);
  /* Nothing was begun on a camera that cannot take firmware. */
  if (iface->firmware_abort == NULL)
    return TRUE;
  return iface->firmware_abort (self, cancellable, error);
}
