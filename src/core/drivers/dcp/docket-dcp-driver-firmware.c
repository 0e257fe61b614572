/* docket-dcp-driver-firmware.c — DCP 1.2 firmware update requests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wire side only: what goes into the image and when it may be sent is
 * the firmware updater's business (docket-firmware-updater.c).
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-dcp-driver-private.h"
#include "docket-dcp-messages.h"
#include "docket-dcp-protocol.h"
#include "docket-error.h"

gboolean
docket_dcp_driver_firmware_begin (DocketDcpDriver *self,
                                  guint64 image_size,
                                  const guint8 sha256[32],
                                  const gchar *version,
                                  GCancellable *cancellable,
                                  GError **error)
{
  DcpFirmwareBegin begin;
  const gchar *what = _ ("starting a firmware update");
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DOCKET_IS_DCP_DRIVER (self), FALSE);

  if (!docket_dcp_build_firmware_begin (image_size, sha256, version, &begin, error))
    return FALSE;
  locker = g_mutex_locker_new (&self->io_lock);
  if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
    return FALSE;
  return _docket_dcp_driver_command (self, DCP_REQ_FW_BEGIN, &begin, sizeof begin, what, NULL,
                                     cancellable, error);
}

gboolean
docket_dcp_driver_firmware_write (DocketDcpDriver *self,
                                  guint64 offset,
                                  const guint8 *data,
                                  gsize len,
                                  GCancellable *cancellable,
                                  GError **error)
{
  guint8 buf[sizeof (DcpFirmwareWrite) + DCP_FW_MAX_CHUNK];
  DcpFirmwareWrite fw = { 0 };
  g_autofree gchar *what = NULL;
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DOCKET_IS_DCP_DRIVER (self), FALSE);
  g_return_val_if_fail (len > 0 && len <= DCP_FW_MAX_CHUNK, FALSE);

  what = g_strdup_printf (_ ("writing firmware at byte %" PRIu64), offset);
  fw.offset = GUINT64_TO_LE (offset);
  fw.length = GUINT32_TO_LE ((guint32)len);
  memcpy (buf, &fw, sizeof fw);
  memcpy (buf + sizeof fw, data, len);
  locker = g_mutex_locker_new (&self->io_lock);
  if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
    return FALSE;
  return _docket_dcp_driver_command (self, DCP_REQ_FW_WRITE, buf, sizeof fw + len, what, NULL,
                                     cancellable, error);
}

gboolean
docket_dcp_driver_firmware_commit (DocketDcpDriver *self, GCancellable *cancellable, GError **error)
{
  const gchar *what = _ ("installing the new firmware");
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DOCKET_IS_DCP_DRIVER (self), FALSE);

  locker = g_mutex_locker_new (&self->io_lock);
  if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
    return FALSE;
  return _docket_dcp_driver_command (self, DCP_REQ_FW_COMMIT, NULL, 0, what, NULL, cancellable,
                                     error);
}

gboolean
docket_dcp_driver_firmware_abort (DocketDcpDriver *self, GCancellable *cancellable, GError **error)
{
  const gchar *what = _ ("cancelling a firmware update");
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DOCKET_IS_DCP_DRIVER (self), FALSE);

  locker = g_mutex_locker_new (&self->io_lock);
  if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
    return FALSE;
  return _docket_dcp_driver_command (self, DCP_REQ_FW_ABORT, NULL, 0, what, NULL, cancellable,
                                     error);
}

gboolean
docket_dcp_driver_get_firmware_status (DocketDcpDriver *self,
                                       DocketDcpFirmwareStatus *out_status,
                                       GCancellable *cancellable,
                                       GError **error)
{
  guint8 buf[DCP_MAX_CONTROL_MESSAGE];
  gsize len = 0;
  const gchar *what = _ ("reading the firmware status");
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DOCKET_IS_DCP_DRIVER (self), FALSE);

  locker = g_mutex_locker_new (&self->io_lock);
  if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
    return FALSE;
  if (!_docket_dcp_driver_control (self, TRUE, DCP_REQ_FW_STATUS, 0, buf, sizeof buf, &len, what,
                                   cancellable, error))
    return FALSE;
  if (!docket_dcp_parse_firmware_status (buf, len, out_status, error))
    return _docket_dcp_driver_malformed (self, what, error);
  return TRUE;
}
