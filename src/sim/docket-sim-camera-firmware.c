/* docket-sim-camera-firmware.c — the simulated camera's A/B firmware slots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DCP 1.2 (docs/protocol.md §9.2). Runs on umockdev's ioctl thread under
 * self->lock. The image goes to the inactive slot; the active slot is only
 * ever changed by a start after a commit whose size and SHA-256 matched, so
 * an unplug, a bad chunk or an abort leaves the old firmware booting.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

#include "docket-sim-camera-private.h"

static DcpStatusCode
fw_begin_locked (DocketSimCamera *self, const guint8 *data, gsize len, const gchar **message)
{
  DcpFirmwareBegin begin;
  guint inactive = 1 - self->active_slot;
  guint64 size;
  const gchar *nul;

  memcpy (&begin, data, sizeof begin);
  size = GUINT64_FROM_LE (begin.image_size);
  nul = memchr (begin.version, '\0', sizeof begin.version);
  if (size == 0 || size > DCP_FW_MAX_IMAGE)
    {
      *message = "image size out of range";
      return DCP_STATUS_INVALID;
    }
  if (nul == NULL || nul == begin.version || !g_utf8_validate (begin.version, -1, NULL))
    {
      *message = "bad version string";
      return DCP_STATUS_INVALID;
    }
  /* A new begin restarts from nothing: the inactive slot is overwritten. */
  self->fw_state = DCP_FW_STATE_RECEIVING;
  docket_sim_camera_firmware_discard_locked (self);
  self->fw_state = DCP_FW_STATE_RECEIVING;
  self->slot_bootable[inactive] = FALSE;
  self->fw_size = size;
  memcpy (self->fw_sha, begin.sha256, 32);
  self->fw_version = g_strdup (begin.version);
  self->fw_image = g_byte_array_sized_new ((guint)MIN (size, 1024 * 1024));
  self->fw_received = 0;
  self->fw_begins++;
  return DCP_STATUS_OK;
}

static gint
fw_write_locked (DocketSimCamera *self,
                 const guint8 *data,
                 gsize len,
                 DcpStatusCode *status,
                 const gchar **message,
                 DocketSimEvent *out_event)
{
  DcpFirmwareWrite fw;
  guint64 offset;
  guint32 length;
  g_autofree guint8 *chunk = NULL;

  memcpy (&fw, data, sizeof fw);
  offset = GUINT64_FROM_LE (fw.offset);
  length = GUINT32_FROM_LE (fw.length);
  if (self->fw_state != DCP_FW_STATE_RECEIVING)
    {
      *status = DCP_STATUS_INVALID;
      *message = "no firmware update in progress";
      return 0;
    }
  if (length == 0 || length > DCP_FW_MAX_CHUNK || length > len - sizeof fw)
    {
      *status = DCP_STATUS_INVALID;
      *message = "bad chunk length";
      return 0;
    }
  if (offset != self->fw_image->len || offset + length > self->fw_size)
    {
      *status = DCP_STATUS_INVALID;
      *message = "chunk out of order or past the image";
      return 0;
    }
  chunk = g_memdup2 (data + sizeof fw, length);
  if (self->fault_on[DOCKET_SIM_FAULT_FW_CORRUPT_CHUNK])
    {
      guint64 at = self->fault_arg[DOCKET_SIM_FAULT_FW_CORRUPT_CHUNK];

      if (at >= offset && at < offset + length)
        chunk[at - offset] ^= 0x01;
    }
  if (self->fault_on[DOCKET_SIM_FAULT_FW_UNPLUG_AT_BYTE]
      && offset + length >= self->fault_arg[DOCKET_SIM_FAULT_FW_UNPLUG_AT_BYTE])
    {
      guint64 limit = self->fault_arg[DOCKET_SIM_FAULT_FW_UNPLUG_AT_BYTE];

      /* The cable comes out in the middle of this chunk. */
      g_byte_array_append (self->fw_image, chunk, (guint)(limit > offset ? limit - offset : 0));
      self->fw_received = self->fw_image->len;
      self->fault_on[DOCKET_SIM_FAULT_FW_UNPLUG_AT_BYTE] = FALSE;
      *out_event = DOCKET_SIM_EVENT_UNPLUG;
      return -ESHUTDOWN;
    }
  g_byte_array_append (self->fw_image, chunk, length);
  self->fw_received = self->fw_image->len;
  *status = DCP_STATUS_OK;
  return 0;
}

static DcpStatusCode
fw_commit_locked (DocketSimCamera *self, const gchar **message)
{
  guint inactive = 1 - self->active_slot;
  guint8 sha[32];

  if (self->fw_state != DCP_FW_STATE_RECEIVING)
    {
      *message = "no firmware update in progress";
      return DCP_STATUS_INVALID;
    }
  if (self->fw_image->len != self->fw_size)
    {
      *message = "image incomplete";
      return DCP_STATUS_INVALID;
    }
  EVP_Digest (self->fw_image->data, self->fw_image->len, sha, NULL, EVP_sha256 (), NULL);
  if (memcmp (sha, self->fw_sha, 32) != 0)
    {
      /* Never boot what did not arrive whole. */
      docket_sim_camera_firmware_discard_locked (self);
      *message = "image SHA-256 mismatch";
      return DCP_STATUS_INVALID;
    }
  g_free (self->slot_version[inactive]);
  self->slot_version[inactive] = g_steal_pointer (&self->fw_version);
  self->slot_bootable[inactive] = TRUE;
  self->boot_slot = inactive;
  g_clear_pointer (&self->fw_image, g_byte_array_unref);
  self->fw_state = DCP_FW_STATE_REBOOTING;
  self->reboot_requested = TRUE;
  return DCP_STATUS_OK;
}

gint
docket_sim_camera_firmware_command_locked (DocketSimCamera *self,
                                           guint8 request,
                                           const guint8 *data,
                                           gsize len,
                                           DcpStatusCode *status,
                                           const gchar **message,
                                           DocketSimEvent *out_event)
{
  if (self->fw_state == DCP_FW_STATE_REBOOTING)
    {
      *status = DCP_STATUS_BUSY;
      return 0;
    }
  switch (request)
    {
      case DCP_REQ_FW_BEGIN:
        if (len < sizeof (DcpFirmwareBegin))
          return -EPIPE;
        *status = fw_begin_locked (self, data, len, message);
        return 0;
      case DCP_REQ_FW_WRITE:
        if (len < sizeof (DcpFirmwareWrite))
          return -EPIPE;
        return fw_write_locked (self, data, len, status, message, out_event);
      case DCP_REQ_FW_COMMIT:
        *status = fw_commit_locked (self, message);
        return 0;
      case DCP_REQ_FW_ABORT:
        docket_sim_camera_firmware_discard_locked (self);
        *status = DCP_STATUS_OK;
        return 0;
      default:
        return -EPIPE;
    }
}

gint
docket_sim_camera_firmware_status_locked (DocketSimCamera *self, guint8 *data, gsize max)
{
  DcpFirmwareStatus fs = { 0 };
  guint other = 1 - self->active_slot;
  gsize len = sizeof fs;

  dcp_header_init (&fs.hdr, DCP_MSG_FIRMWARE_STATUS, sizeof fs);
  fs.active_slot = (guint8)self->active_slot;
  fs.state = self->fw_state;
  fs.other_bootable = self->slot_bootable[other] ? 1 : 0;
  if (self->fw_state == DCP_FW_STATE_RECEIVING)
    {
      fs.image_size = GUINT64_TO_LE (self->fw_size);
      fs.received = GUINT64_TO_LE ((guint64)self->fw_image->len);
    }
  g_strlcpy (fs.active_version, self->slot_version[self->active_slot], sizeof fs.active_version);
  if (self->slot_bootable[other])
    g_strlcpy (fs.other_version, self->slot_version[other], sizeof fs.other_version);
  if (self->fault_on[DOCKET_SIM_FAULT_FW_MALFORMED])
    len = 12;
  len = MIN (len, max);
  memcpy (data, &fs, len);
  return (gint)len;
}
