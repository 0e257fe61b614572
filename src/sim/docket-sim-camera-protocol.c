/* docket-sim-camera-protocol.c — the simulated camera's side of DCP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs on umockdev's ioctl thread (via docket-sim-usb.c) under self->lock.
 * The faults that bend replies live here.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "docket-dcp-protocol.h"
#include "docket-sim-camera-private.h"
#include "docket-sim-private.h"

/* ---- protocol: replies ---------------------------------------------- */

static void
header_init_locked (DocketSimCamera *self, DcpHeader *hdr, DcpMessageType type, gsize length)
{
  dcp_header_init (hdr, type, length);
  if (self->fault_on[DOCKET_SIM_FAULT_WRONG_VERSION])
    hdr->version = DCP_PROTOCOL_VERSION + 1;
}

static void
append_string (GByteArray *out, const gchar *s, gboolean oversize)
{
  guint8 len = (guint8)MIN (strlen (s), 255);

  /* The fault claims far more bytes than the message holds. */
  if (oversize)
    len = 200;
  g_byte_array_append (out, &len, 1);
  g_byte_array_append (out, (const guint8 *)s, MIN (strlen (s), 255));
}

static gint
reply_identify_locked (DocketSimCamera *self, guint8 *data, gsize max)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  DcpIdentify id = { 0 };
  gsize len;

  id.protocol_minor = GUINT16_TO_LE (self->dcp_1_0 ? 0 : self->dcp_1_1 ? 1 : DCP_PROTOCOL_MINOR);
  id.capabilities
      = GUINT32_TO_LE (DCP_CAP_CONFIG | DCP_CAP_INDICATOR | DCP_CAP_DELETE
                       | DCP_CAP_SIGNED_RECORDINGS | (self->dcp_1_0 ? 0 : DCP_CAP_CHARGE_CONTROL)
                       | (self->dcp_1_0 || self->dcp_1_1 ? 0 : DCP_CAP_FIRMWARE_UPDATE));
  memcpy (id.public_key, self->public_key, 32);
  g_byte_array_append (out, (const guint8 *)&id, sizeof id);
  append_string (out, self->vendor, FALSE);
  append_string (out, self->model, FALSE);
  append_string (out, self->serial, self->fault_on[DOCKET_SIM_FAULT_OVERSIZE_LENGTH]);
  append_string (out, self->slot_version[self->active_slot], FALSE);
  header_init_locked (self, (DcpHeader *)out->data, DCP_MSG_IDENTIFY, out->len);
  len = out->len;
  if (self->fault_on[DOCKET_SIM_FAULT_TRUNCATED])
    len = 20;
  len = MIN (len, max);
  memcpy (data, out->data, len);
  return (gint)len;
}

static gint
reply_status_locked (DocketSimCamera *self, guint8 *data, gsize max)
{
  DcpStatus st = { 0 };
  guint64 used = 0;
  gsize len = sizeof st;

  docket_sim_camera_update_battery_locked (self);
  for (guint i = 0; i < self->recordings->len; i++)
    used += ((SimRecording *)g_ptr_array_index (self->recordings, i))->info.size;
  header_init_locked (self, &st.hdr, DCP_MSG_STATUS, sizeof st);
  st.battery_percent = (guint8)CLAMP (self->battery, 0, 100);
  if (self->battery >= 100.0)
    st.charging = DCP_CHARGING_FULL;
  else if (self->charging)
    st.charging = DCP_CHARGING_CHARGING;
  else
    st.charging = self->docked ? DCP_CHARGING_NOT_CHARGING : DCP_CHARGING_DISCHARGING;
  st.battery_temp_decic = GINT16_TO_LE ((gint16)CLAMP (self->temperature_c * 10.0, -1000, 1500));
  st.battery_cycle_count = GUINT32_TO_LE (self->cycle_count);
  st.battery_full_mah = GUINT32_TO_LE (self->full_mah);
  st.battery_design_mah = GUINT32_TO_LE (self->design_mah);
  st.storage_used = GUINT64_TO_LE (used);
  st.storage_total = GUINT64_TO_LE (G_GUINT64_CONSTANT (64) * 1000 * 1000 * 1000);
  st.clock_usec = GINT64_TO_LE (docket_sim_camera_clock_locked (self));
  if (self->fault_on[DOCKET_SIM_FAULT_TRUNCATED])
    len = 20;
  len = MIN (len, max);
  memcpy (data, &st, len);
  return (gint)len;
}

static gint
reply_config_locked (DocketSimCamera *self, guint8 *data, gsize max)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  DcpHeader hdr = { 0 };
  GHashTableIter iter;
  gpointer key, value;

  g_byte_array_append (out, (const guint8 *)&hdr, sizeof hdr);
  g_hash_table_iter_init (&iter, self->config);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      DcpConfigEntry e = { .key = GPOINTER_TO_UINT (key) };
      GVariant *v = value;

      if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT32))
        {
          guint32 u = GUINT32_TO_LE (g_variant_get_uint32 (v));

          e.type = DCP_CFG_TYPE_U32;
          e.length = GUINT16_TO_LE (4);
          g_byte_array_append (out, (const guint8 *)&e, sizeof e);
          g_byte_array_append (out, (const guint8 *)&u, 4);
        }
      else if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
        {
          guint8 b = g_variant_get_boolean (v) ? 1 : 0;

          e.type = DCP_CFG_TYPE_BOOL;
          e.length = GUINT16_TO_LE (1);
          g_byte_array_append (out, (const guint8 *)&e, sizeof e);
          g_byte_array_append (out, &b, 1);
        }
      else
        {
          const gchar *s = g_variant_get_string (v, NULL);

          e.type = DCP_CFG_TYPE_STRING;
          e.length = GUINT16_TO_LE (strlen (s));
          g_byte_array_append (out, (const guint8 *)&e, sizeof e);
          g_byte_array_append (out, (const guint8 *)s, strlen (s));
        }
    }
  header_init_locked (self, (DcpHeader *)out->data, DCP_MSG_CONFIG, out->len);
  memcpy (data, out->data, MIN (out->len, max));
  return (gint)MIN (out->len, max);
}

static void
set_result_locked (DocketSimCamera *self,
                   guint8 request,
                   guint16 tag,
                   DcpStatusCode status,
                   guint64 length,
                   const gchar *message)
{
  memset (&self->result, 0, sizeof self->result);
  header_init_locked (self, &self->result.hdr, DCP_MSG_RESULT, sizeof self->result);
  self->result.tag = GUINT16_TO_LE (tag);
  self->result.status = GUINT16_TO_LE (status);
  self->result.request = request;
  self->result.length = GUINT64_TO_LE (length);
  if (message != NULL)
    g_strlcpy (self->result.message, message, sizeof self->result.message);
}

static GBytes *
build_listing_locked (DocketSimCamera *self)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  DcpListHeader lh = { 0 };

  header_init_locked (self, &lh.hdr, DCP_MSG_LIST, sizeof lh);
  lh.count = GUINT32_TO_LE (self->recordings->len);
  g_byte_array_append (out, (const guint8 *)&lh, sizeof lh);
  for (guint i = 0; i < self->recordings->len; i++)
    {
      SimRecording *rec = g_ptr_array_index (self->recordings, i);
      DcpListEntry e = { 0 };
      const gchar *name = rec->info.name;
      gsize name_len;

      if (self->fault_on[DOCKET_SIM_FAULT_NON_UTF8_NAME])
        name = "clip-\xff\xfe-\xc3.mp4";
      else if (self->fault_on[DOCKET_SIM_FAULT_PATH_NAME])
        name = "../../etc/passwd";
      name_len = MIN (strlen (name), DCP_MAX_NAME);
      e.entry_length = GUINT16_TO_LE (sizeof e + name_len);
      e.name_length = (guint8)name_len;
      if (self->fault_on[DOCKET_SIM_FAULT_OVERSIZE_LENGTH])
        e.name_length = 250;
      e.id = GUINT32_TO_LE (rec->info.id);
      e.start_usec = GINT64_TO_LE (rec->info.start_usec);
      e.duration_ms = GUINT64_TO_LE (rec->info.duration_ms);
      e.size = GUINT64_TO_LE (rec->info.size);
      memcpy (e.sha256, rec->info.sha256, 32);
      memcpy (e.signature, rec->info.signature, 64);
      if (self->fault_on[DOCKET_SIM_FAULT_WRONG_HASH])
        e.sha256[0] ^= 0x01;
      if (self->fault_on[DOCKET_SIM_FAULT_WRONG_SIGNATURE])
        e.signature[5] ^= 0x40;
      e.flags = GUINT32_TO_LE (rec->info.flags);
      g_byte_array_append (out, (const guint8 *)&e, sizeof e);
      g_byte_array_append (out, (const guint8 *)name, name_len);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Validates every entry first, then applies them all: all or none. */
static DcpStatusCode
parse_config_locked (DocketSimCamera *self, const guint8 *data, gsize len, const gchar **message)
{
  g_autoptr (GHashTable) changes
      = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)g_variant_unref);
  gsize pos = sizeof (DcpHeader);
  GHashTableIter iter;
  gpointer key, value;

  if (len < sizeof (DcpHeader))
    {
      *message = "config message too short";
      return DCP_STATUS_INVALID;
    }
  while (pos < len)
    {
      DcpConfigEntry e;
      const guint8 *v;
      guint16 vlen;
      GVariant *current;
      GVariant *parsed = NULL;

      if (len - pos < sizeof e)
        {
          *message = "truncated config entry";
          return DCP_STATUS_INVALID;
        }
      memcpy (&e, data + pos, sizeof e);
      vlen = GUINT16_FROM_LE (e.length);
      pos += sizeof e;
      if (vlen > len - pos)
        {
          *message = "config value runs past the end";
          return DCP_STATUS_INVALID;
        }
      v = data + pos;
      pos += vlen;
      current = g_hash_table_lookup (self->config, GUINT_TO_POINTER (e.key));
      if (current == NULL)
        continue; /* unknown keys are ignored, as the spec asks */
      if (e.type == DCP_CFG_TYPE_U32 && vlen == 4)
        {
          guint32 u;

          memcpy (&u, v, 4);
          u = GUINT32_FROM_LE (u);
          /* Zero frames per second or zero bitrate would record nothing. */
          if (u > 0 || (e.key != DCP_CFG_FRAME_RATE && e.key != DCP_CFG_BITRATE_KBPS))
            parsed = g_variant_new_uint32 (u);
        }
      else if (e.type == DCP_CFG_TYPE_BOOL && vlen == 1 && v[0] <= 1)
        parsed = g_variant_new_boolean (v[0] != 0);
      else if (e.type == DCP_CFG_TYPE_STRING && vlen <= DCP_MAX_CONFIG_STRING
               && g_utf8_validate ((const gchar *)v, vlen, NULL) && memchr (v, 0, vlen) == NULL)
        {
          g_autofree gchar *str = g_strndup ((const gchar *)v, vlen);

          parsed = g_variant_new_string (str);
        }
      if (parsed == NULL
          || !g_variant_type_equal (g_variant_get_type (parsed), g_variant_get_type (current)))
        {
          if (parsed != NULL)
            g_variant_unref (g_variant_ref_sink (parsed));
          *message = "bad config value";
          return DCP_STATUS_INVALID;
        }
      g_hash_table_insert (changes, GUINT_TO_POINTER (e.key), g_variant_ref_sink (parsed));
    }
  g_hash_table_iter_init (&iter, changes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (self->config, key, g_variant_ref (value));
  return DCP_STATUS_OK;
}

static gint
handle_out_locked (DocketSimCamera *self,
                   guint8 request,
                   guint16 tag,
                   const guint8 *data,
                   gsize len,
                   DocketSimEvent *out_event)
{
  DcpStatusCode status = DCP_STATUS_OK;
  const gchar *message = NULL;
  guint64 length = 0;

  /* Every command starts afresh on bulk IN: whatever was left is dropped. */
  docket_sim_camera_stream_reset (self);
  switch (request)
    {
      case DCP_REQ_SET_CLOCK:
        {
          DcpSetClock sc;

          if (len < sizeof sc)
            return -EPIPE;
          memcpy (&sc, data, sizeof sc);
          self->clock_base_real_us = g_get_real_time ();
          self->clock_base_cam_us = GINT64_FROM_LE (sc.utc_usec);
          break;
        }
      case DCP_REQ_SET_CONFIG:
        status = parse_config_locked (self, data, len, &message);
        break;
      case DCP_REQ_LIST_RECORDINGS:
        self->stream = STREAM_LIST;
        self->stream_bytes = build_listing_locked (self);
        self->stream_len = length = g_bytes_get_size (self->stream_bytes);
        break;
      case DCP_REQ_READ_RECORDING:
        {
          DcpReadRequest rr;
          SimRecording *rec;
          guint64 offset;

          if (len < sizeof rr)
            return -EPIPE;
          memcpy (&rr, data, sizeof rr);
          rec = docket_sim_camera_find_recording_locked (self, GUINT32_FROM_LE (rr.id), NULL);
          offset = GUINT64_FROM_LE (rr.offset);
          if (rec == NULL)
            {
              status = DCP_STATUS_NOT_FOUND;
              message = "no such recording";
              break;
            }
          if (offset > rec->info.size || GUINT32_FROM_LE (rr.max_length) > DCP_MAX_READ_LENGTH)
            {
              status = DCP_STATUS_INVALID;
              message = "offset or length out of range";
              break;
            }
          self->stream_fd = g_open (rec->path, O_RDONLY | O_CLOEXEC, 0);
          if (self->stream_fd < 0)
            {
              status = DCP_STATUS_STORAGE;
              message = "storage read error";
              break;
            }
          self->stream = STREAM_READ;
          self->stream_rec = rec;
          self->stream_offset = offset;
          self->stream_len = length
              = MIN (rec->info.size - offset, GUINT32_FROM_LE (rr.max_length));
          break;
        }
      case DCP_REQ_DELETE_RECORDING:
        {
          DcpRecordingRef ref;
          guint index;

          if (len < sizeof ref)
            return -EPIPE;
          memcpy (&ref, data, sizeof ref);
          if (docket_sim_camera_find_recording_locked (self, GUINT32_FROM_LE (ref.id), &index)
              == NULL)
            {
              status = DCP_STATUS_NOT_FOUND;
              message = "no such recording";
            }
          else
            g_ptr_array_remove_index (self->recordings, index);
          break;
        }
      case DCP_REQ_SET_INDICATOR:
        {
          DcpSetIndicator si;

          if (len < sizeof si)
            return -EPIPE;
          memcpy (&si, data, sizeof si);
          if (si.state > DCP_INDICATOR_ERROR)
            {
              status = DCP_STATUS_INVALID;
              message = "unknown indicator state";
            }
          else
            self->indicator = si.state;
          break;
        }
      case DCP_REQ_SET_CHARGE:
        {
          DcpSetCharge sc;

          if (self->dcp_1_0)
            return -EPIPE; /* a 1.0 camera stalls unknown requests */
          if (len < sizeof sc)
            return -EPIPE;
          memcpy (&sc, data, sizeof sc);
          if (sc.mode > DCP_CHARGE_STOP
              || (sc.mode == DCP_CHARGE_HOLD && (sc.level_percent < 1 || sc.level_percent > 100)))
            {
              status = DCP_STATUS_INVALID;
              message = "unknown charge mode or level";
              break;
            }
          docket_sim_camera_update_battery_locked (self);
          self->charge_mode = sc.mode;
          self->charge_level = sc.mode == DCP_CHARGE_HOLD ? sc.level_percent : 100;
          break;
        }
      case DCP_REQ_FW_BEGIN:
      case DCP_REQ_FW_WRITE:
      case DCP_REQ_FW_COMMIT:
      case DCP_REQ_FW_ABORT:
        {
          gint rc;

          if (self->dcp_1_0 || self->dcp_1_1)
            return -EPIPE; /* an older camera stalls unknown requests */
          rc = docket_sim_camera_firmware_command_locked (self, request, data, len, &status,
                                                          &message, out_event);
          if (rc < 0)
            return rc;
          break;
        }
      default:
        return -EPIPE;
    }
  set_result_locked (self, request, tag, status, length, message);
  return 0;
}

gint
docket_sim_camera_handle_control (DocketSimCamera *self,
                                  const guint8 setup[8],
                                  guint8 *data,
                                  DocketSimEvent *out_event)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  guint8 type = setup[0];
  guint8 request = setup[1];
  guint16 value = setup[2] | (setup[3] << 8);
  guint16 wlength = setup[6] | (setup[7] << 8);

  *out_event = DOCKET_SIM_EVENT_NONE;
  if (self->fault_on[DOCKET_SIM_FAULT_NO_REPLY])
    return -EAGAIN;
  if (type == DCP_REQTYPE_IN)
    {
      switch (request)
        {
          case DCP_REQ_IDENTIFY:
            return reply_identify_locked (self, data, wlength);
          case DCP_REQ_GET_STATUS:
            return reply_status_locked (self, data, wlength);
          case DCP_REQ_GET_CONFIG:
            return reply_config_locked (self, data, wlength);
          case DCP_REQ_GET_RESULT:
            {
              gsize n = MIN (sizeof self->result, wlength);

              if (self->result.hdr.magic == 0)
                return -EPIPE;
              if (self->fault_on[DOCKET_SIM_FAULT_FW_MALFORMED]
                  && self->result.request >= DCP_REQ_FIRMWARE_FIRST
                  && self->result.request <= DCP_REQ_FIRMWARE_LAST)
                n = MIN (n, 12);
              memcpy (data, &self->result, n);
              /* The host knows the commit succeeded: now restart. */
              if (self->reboot_requested && self->result.request == DCP_REQ_FW_COMMIT)
                {
                  self->reboot_requested = FALSE;
                  *out_event = DOCKET_SIM_EVENT_REBOOT;
                }
              return (gint)n;
            }
          case DCP_REQ_FW_STATUS:
            if (self->dcp_1_0 || self->dcp_1_1)
              return -EPIPE;
            return docket_sim_camera_firmware_status_locked (self, data, wlength);
          default:
            return -EPIPE;
        }
    }
  if (type == DCP_REQTYPE_OUT)
    return handle_out_locked (self, request, value, data, wlength, out_event);
  return -EPIPE;
}

void
docket_sim_camera_clear_halt (DocketSimCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  self->halted = FALSE;
}

gssize
docket_sim_camera_handle_bulk_in (
    DocketSimCamera *self, guint8 *buf, gsize len, gint64 submitted_us, gboolean *out_unplug)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  guint64 n;
  gint64 now;

  *out_unplug = FALSE;
  if (self->fault_on[DOCKET_SIM_FAULT_STALL])
    self->halted = TRUE;
  if (self->halted)
    return -EPIPE;
  if (self->stream == STREAM_NONE || self->stream_pos >= self->stream_len)
    return -EAGAIN;
  n = MIN (len, self->stream_len - self->stream_pos);

  /* The link model: a transfer starts once it was submitted @latency ago
   * and the link is free, and completes when its last byte is through at
   * the link's rate. Transfers queued ahead hide the latency, as on a real
   * host controller; one at a time pays it each time. */
  now = g_get_monotonic_time ();
  if ((self->fault_on[DOCKET_SIM_FAULT_SLOW_LINK]
       && self->fault_arg[DOCKET_SIM_FAULT_SLOW_LINK] > 0)
      || self->fault_on[DOCKET_SIM_FAULT_LINK_LATENCY])
    {
      gint64 start = submitted_us;
      gint64 done;

      if (self->fault_on[DOCKET_SIM_FAULT_LINK_LATENCY])
        start += (gint64)MIN (self->fault_arg[DOCKET_SIM_FAULT_LINK_LATENCY], G_USEC_PER_SEC * 60);
      start = MAX (start, self->link_free_at_us);
      done = start;
      if (self->fault_on[DOCKET_SIM_FAULT_SLOW_LINK]
          && self->fault_arg[DOCKET_SIM_FAULT_SLOW_LINK] > 0)
        done += (gint64)(n * G_USEC_PER_SEC / self->fault_arg[DOCKET_SIM_FAULT_SLOW_LINK]);
      if (now < done)
        return -EAGAIN;
      self->link_free_at_us = done;
    }
  if (self->fault_on[DOCKET_SIM_FAULT_UNPLUG_AT_BYTE])
    {
      guint64 limit = self->fault_arg[DOCKET_SIM_FAULT_UNPLUG_AT_BYTE];

      if (self->unplug_sent + n >= limit)
        {
          n = limit > self->unplug_sent ? limit - self->unplug_sent : 0;
          self->fault_on[DOCKET_SIM_FAULT_UNPLUG_AT_BYTE] = FALSE;
          *out_unplug = TRUE;
        }
      self->unplug_sent += n;
    }

  if (self->stream == STREAM_LIST)
    {
      memcpy (buf, (const guint8 *)g_bytes_get_data (self->stream_bytes, NULL) + self->stream_pos,
              n);
    }
  else
    {
      guint64 file_off = self->stream_offset + self->stream_pos;
      guint64 file_size = self->stream_rec->info.size - self->stream_rec->tail_len;
      gsize from_file = n;
      gsize done = 0;

      /* The appended box, if any, comes after the file's own bytes. */
      if (file_off + n > file_size)
        {
          guint64 from = MAX (file_off, file_size);

          memcpy (buf + (from - file_off), self->stream_rec->tail + (from - file_size),
                  file_off + n - from);
          from_file = from - file_off;
        }
      while (done < from_file)
        {
          gssize r = pread (self->stream_fd, buf + done, from_file - done, file_off + done);

          if (r <= 0)
            {
              /* The backing file shrank: the camera halts rather than lie. */
              self->halted = TRUE;
              return -EPIPE;
            }
          done += r;
        }
      if (self->fault_on[DOCKET_SIM_FAULT_CORRUPT_BYTE])
        {
          guint64 at = self->fault_arg[DOCKET_SIM_FAULT_CORRUPT_BYTE];

          if (at >= file_off && at < file_off + n)
            buf[at - file_off] ^= 0x20;
        }
    }
  self->stream_pos += n;
  return (gssize)n;
}
