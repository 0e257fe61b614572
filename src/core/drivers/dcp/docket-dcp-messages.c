/* docket-dcp-messages.c — checking and decoding DCP messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-dcp-messages.h"
#include "docket-error.h"

static const gchar *
message_type_name (DcpMessageType type)
{
  switch (type)
    {
      case DCP_MSG_IDENTIFY:
        return "identify";
      case DCP_MSG_STATUS:
        return "status";
      case DCP_MSG_CONFIG:
        return "configuration";
      case DCP_MSG_RESULT:
        return "result";
      case DCP_MSG_LIST:
        return "recording list";
      case DCP_MSG_FIRMWARE_STATUS:
        return "firmware status";
      default:
        return "unknown";
    }
}

gboolean
docket_dcp_check_header (const guint8 *data,
                         gsize len,
                         DcpMessageType type,
                         gsize min_len,
                         gsize *out_msg_len,
                         GError **error)
{
  DcpHeader hdr;
  gsize msg_len;

  if (len < sizeof hdr)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                   _ ("the reply is only %zu bytes long"), len);
      return FALSE;
    }
  memcpy (&hdr, data, sizeof hdr);
  if (GUINT32_FROM_LE (hdr.magic) != DCP_MAGIC)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                   _ ("the reply is not a Docket Camera Protocol message"));
      return FALSE;
    }
  if (hdr.version != DCP_PROTOCOL_VERSION)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   _ ("the camera speaks protocol version %u; Docket speaks version %u"),
                   hdr.version, DCP_PROTOCOL_VERSION);
      return FALSE;
    }
  if (hdr.type != type)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                   _ ("expected a %s message but got a %s message"), message_type_name (type),
                   message_type_name (hdr.type));
      return FALSE;
    }
  msg_len = GUINT16_FROM_LE (hdr.length);
  if (msg_len < min_len || msg_len > len)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                   _ ("the %s message is truncated (%zu of at least %zu bytes)"),
                   message_type_name (type), MIN (msg_len, len), min_len);
      return FALSE;
    }
  if (out_msg_len != NULL)
    *out_msg_len = msg_len;
  return TRUE;
}

/* Reads a u8-length-prefixed string at *pos, within @end. */
static gchar *
read_string (
    const guint8 *data, gsize *pos, gsize end, const gchar *what, gboolean strict, GError **error)
{
  gsize len;
  g_autofree gchar *s = NULL;

  if (*pos >= end)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL, _ ("the %s is missing"), what);
      return NULL;
    }
  len = data[*pos];
  *pos += 1;
  if (len > end - *pos)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                   _ ("the %s claims %zu bytes but only %zu remain in the reply"), what, len,
                   end - *pos);
      return NULL;
    }
  if (len > DCP_MAX_STRING)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL, _ ("the %s is longer than %d bytes"),
                   what, DCP_MAX_STRING);
      return NULL;
    }
  if (!g_utf8_validate ((const gchar *)data + *pos, len, NULL) || memchr (data + *pos, 0, len))
    {
      if (strict)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                       _ ("the %s is not valid UTF-8 text"), what);
          return NULL;
        }
    }
  /* Shown in the kiosk and by docketctl, logged and audited: no control or
   * invisible formatting characters (escapes, bidi overrides) get through. */
  if (strict)
    s = g_strndup ((const gchar *)data + *pos, len); /* the caller refuses what is unsafe */
  else
    s = docket_dcp_sanitize_version ((const gchar *)data + *pos, len);
  *pos += len;
  return g_steal_pointer (&s);
}

gboolean
docket_dcp_parse_identify (const guint8 *data,
                           gsize len,
                           DocketCameraIdentity *out_identity,
                           GError **error)
{
  DcpIdentify id;
  gsize msg_len;
  gsize pos = sizeof id;
  g_auto (DocketCameraIdentity) result = { 0 };

  if (!docket_dcp_check_header (data, len, DCP_MSG_IDENTIFY, sizeof id, &msg_len, error))
    return FALSE;
  memcpy (&id, data, sizeof id);
  result.protocol_version = DCP_PROTOCOL_VERSION;
  result.capabilities = GUINT32_FROM_LE (id.capabilities);
  memcpy (result.public_key, id.public_key, sizeof result.public_key);
  if ((result.vendor = read_string (data, &pos, msg_len, _ ("vendor name"), FALSE, error)) == NULL
      || (result.model = read_string (data, &pos, msg_len, _ ("model name"), FALSE, error)) == NULL
      || (result.serial = read_string (data, &pos, msg_len, _ ("serial number"), TRUE, error))
             == NULL
      || (result.firmware_version
          = read_string (data, &pos, msg_len, _ ("firmware version"), FALSE, error))
             == NULL)
    return FALSE;
  if (result.serial[0] == '\0' || strpbrk (result.serial, "/\\") != NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                   _ ("the serial number \"%s\" is empty or contains a slash"), result.serial);
      return FALSE;
    }
  for (const gchar *p = result.serial; *p != '\0'; p++)
    {
      if ((guchar)*p < 0x20 || *p == 0x7f)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                       _ ("the serial number contains control characters"));
          return FALSE;
        }
    }
  *out_identity = result;
  memset (&result, 0, sizeof result);
  return TRUE;
}

gboolean
docket_dcp_parse_status (const guint8 *data,
                         gsize len,
                         DocketCameraStatus *out_status,
                         GError **error)
{
  DcpStatus st;

  if (!docket_dcp_check_header (data, len, DCP_MSG_STATUS, sizeof st, NULL, error))
    return FALSE;
  memcpy (&st, data, sizeof st);
  memset (out_status, 0, sizeof *out_status);
  out_status->battery_percent = st.battery_percent <= 100 ? st.battery_percent : -1;
  out_status->charging = st.charging <= DCP_CHARGING_NOT_CHARGING ? (DocketChargingState)st.charging
                                                                  : DOCKET_CHARGING_UNKNOWN;
  out_status->battery_temperature_c = GINT16_FROM_LE (st.battery_temp_decic) / 10.0;
  out_status->battery_cycle_count = GUINT32_FROM_LE (st.battery_cycle_count);
  out_status->battery_full_capacity_mah = GUINT32_FROM_LE (st.battery_full_mah);
  out_status->battery_design_capacity_mah = GUINT32_FROM_LE (st.battery_design_mah);
  out_status->storage_used = GUINT64_FROM_LE (st.storage_used);
  out_status->storage_total = GUINT64_FROM_LE (st.storage_total);
  out_status->camera_clock_usec = GINT64_FROM_LE (st.clock_usec);
  return TRUE;
}

gboolean
docket_dcp_parse_result (const guint8 *data, gsize len, DcpResult *out, GError **error)
{
  if (!docket_dcp_check_header (data, len, DCP_MSG_RESULT, sizeof *out, NULL, error))
    return FALSE;
  memcpy (out, data, sizeof *out);
  out->message[DCP_RESULT_MESSAGE_LEN - 1] = '\0';
  return TRUE;
}

typedef struct
{
  DcpConfigKey key;
  const gchar *name;
  DcpConfigType type;
} ConfigKeyInfo;

static const ConfigKeyInfo config_keys[] = {
  { DCP_CFG_RESOLUTION, "resolution", DCP_CFG_TYPE_STRING },
  { DCP_CFG_FRAME_RATE, "frame-rate", DCP_CFG_TYPE_U32 },
  { DCP_CFG_BITRATE_KBPS, "bitrate-kbps", DCP_CFG_TYPE_U32 },
  { DCP_CFG_PRE_EVENT_SECONDS, "pre-event-seconds", DCP_CFG_TYPE_U32 },
  { DCP_CFG_AUDIO, "audio", DCP_CFG_TYPE_BOOL },
  { DCP_CFG_POST_EVENT_SECONDS, "post-event-seconds", DCP_CFG_TYPE_U32 },
  { DCP_CFG_DEVICE_NAME, "device-name", DCP_CFG_TYPE_STRING },
};

static const ConfigKeyInfo *
config_key_by_id (guint key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (config_keys); i++)
    if (config_keys[i].key == key)
      return &config_keys[i];
  return NULL;
}

static const ConfigKeyInfo *
config_key_by_name (const gchar *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (config_keys); i++)
    if (g_strcmp0 (config_keys[i].name, name) == 0)
      return &config_keys[i];
  return NULL;
}

GVariant *
docket_dcp_parse_config (const guint8 *data, gsize len, GError **error)
{
  GVariantBuilder builder;
  gsize msg_len;
  gsize pos = sizeof (DcpHeader);

  if (!docket_dcp_check_header (data, len, DCP_MSG_CONFIG, sizeof (DcpHeader), &msg_len, error))
    return NULL;
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  while (pos < msg_len)
    {
      DcpConfigEntry e;
      const ConfigKeyInfo *info;
      const guint8 *v;
      gsize vlen;

      if (msg_len - pos < sizeof e)
        {
          g_variant_builder_clear (&builder);
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                       _ ("a configuration entry is truncated"));
          return NULL;
        }
      memcpy (&e, data + pos, sizeof e);
      pos += sizeof e;
      vlen = GUINT16_FROM_LE (e.length);
      if (vlen > msg_len - pos)
        {
          g_variant_builder_clear (&builder);
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                       _ ("configuration entry %u claims %zu bytes but only %zu remain"), e.key,
                       vlen, msg_len - pos);
          return NULL;
        }
      v = data + pos;
      pos += vlen;
      info = config_key_by_id (e.key);
      /* Unknown keys or types from a newer camera are skipped, not fatal. */
      if (info == NULL || info->type != e.type)
        continue;
      if (e.type == DCP_CFG_TYPE_U32 && vlen == 4)
        {
          guint32 u;

          memcpy (&u, v, 4);
          g_variant_builder_add (&builder, "{sv}", info->name,
                                 g_variant_new_uint32 (GUINT32_FROM_LE (u)));
        }
      else if (e.type == DCP_CFG_TYPE_BOOL && vlen == 1)
        g_variant_builder_add (&builder, "{sv}", info->name, g_variant_new_boolean (v[0] != 0));
      else if (e.type == DCP_CFG_TYPE_STRING && vlen <= DCP_MAX_CONFIG_STRING
               && g_utf8_validate ((const gchar *)v, vlen, NULL) && memchr (v, 0, vlen) == NULL)
        {
          g_autofree gchar *s = g_strndup ((const gchar *)v, vlen);

          g_variant_builder_add (&builder, "{sv}", info->name, g_variant_new_string (s));
        }
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

GBytes *
docket_dcp_build_config (GVariant *config, GError **error)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  GVariantIter iter;
  const gchar *name;
  GVariant *value;
  DcpHeader hdr;

  g_return_val_if_fail (g_variant_is_of_type (config, G_VARIANT_TYPE_VARDICT), NULL);

  g_byte_array_append (out, (const guint8 *)&hdr, sizeof hdr);
  g_variant_iter_init (&iter, config);
  while (g_variant_iter_loop (&iter, "{&sv}", &name, &value))
    {
      const ConfigKeyInfo *info = config_key_by_name (name);
      DcpConfigEntry e = { 0 };

      if (info == NULL)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("Unknown camera setting “%s”"),
                       name);
          g_variant_unref (value);
          return NULL;
        }
      e.key = info->key;
      e.type = info->type;
      if (info->type == DCP_CFG_TYPE_U32 && g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
        {
          guint32 u = GUINT32_TO_LE (g_variant_get_uint32 (value));

          e.length = GUINT16_TO_LE (4);
          g_byte_array_append (out, (const guint8 *)&e, sizeof e);
          g_byte_array_append (out, (const guint8 *)&u, 4);
        }
      else if (info->type == DCP_CFG_TYPE_BOOL
               && g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        {
          guint8 b = g_variant_get_boolean (value);

          e.length = GUINT16_TO_LE (1);
          g_byte_array_append (out, (const guint8 *)&e, sizeof e);
          g_byte_array_append (out, &b, 1);
        }
      else if (info->type == DCP_CFG_TYPE_STRING
               && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
               && strlen (g_variant_get_string (value, NULL)) <= DCP_MAX_CONFIG_STRING)
        {
          const gchar *s = g_variant_get_string (value, NULL);

          e.length = GUINT16_TO_LE (strlen (s));
          g_byte_array_append (out, (const guint8 *)&e, sizeof e);
          g_byte_array_append (out, (const guint8 *)s, strlen (s));
        }
      else
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                       _ ("The camera setting “%s” has the wrong type or is too long"), name);
          g_variant_unref (value);
          return NULL;
        }
    }
  if (out->len > DCP_MAX_CONTROL_MESSAGE)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("Too many camera settings at once"));
      return NULL;
    }
  dcp_header_init ((DcpHeader *)out->data, DCP_MSG_CONFIG, out->len);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

gchar *
docket_dcp_sanitize_name (const guint8 *bytes, gsize len, guint32 id)
{
  g_autofree gchar *valid = g_utf8_make_valid ((const gchar *)bytes, (gssize)len);
  GString *out = g_string_new (NULL);

  for (const gchar *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '\\' || g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        g_string_append_c (out, '_');
      else
        g_string_append_unichar (out, c);
    }
  if (out->len == 0 || g_str_equal (out->str, ".") || g_str_equal (out->str, ".."))
    {
      g_string_free (out, TRUE);
      return g_strdup_printf ("recording-%u", id);
    }
  return g_string_free (out, FALSE);
}

GPtrArray *
docket_dcp_parse_list (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (GPtrArray) list = NULL;
  DcpListHeader lh;
  gsize pos;
  guint32 count;

  if (!docket_dcp_check_header (data, len, DCP_MSG_LIST, sizeof lh, &pos, error))
    return NULL;
  memcpy (&lh, data, sizeof lh);
  count = GUINT32_FROM_LE (lh.count);
  if (count > DCP_MAX_RECORDINGS || count > (len - pos) / sizeof (DcpListEntry))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                   _ ("the list claims %u recordings but holds at most %zu"), count,
                   (len - pos) / sizeof (DcpListEntry));
      return NULL;
    }
  list = g_ptr_array_new_full (count, (GDestroyNotify)docket_recording_info_free);
  for (guint32 i = 0; i < count; i++)
    {
      DcpListEntry e;
      DocketRecordingInfo *info;
      gsize entry_len;

      if (len - pos < sizeof e)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                       _ ("the list ends after %u of %u recordings"), i, count);
          return NULL;
        }
      memcpy (&e, data + pos, sizeof e);
      entry_len = GUINT16_FROM_LE (e.entry_length);
      if (entry_len < sizeof e + e.name_length || entry_len > len - pos)
        {
          g_set_error (
              error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
              _ ("list entry %u has inconsistent lengths (entry %zu, name %u, %zu bytes left)"), i,
              entry_len, e.name_length, len - pos);
          return NULL;
        }
      if (e.name_length > DCP_MAX_NAME)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                       _ ("list entry %u has a name longer than %d bytes"), i, DCP_MAX_NAME);
          return NULL;
        }
      info = g_new0 (DocketRecordingInfo, 1);
      info->id = GUINT32_FROM_LE (e.id);
      info->start_usec = GINT64_FROM_LE (e.start_usec);
      info->duration_ms = GUINT64_FROM_LE (e.duration_ms);
      info->size = GUINT64_FROM_LE (e.size);
      memcpy (info->sha256, e.sha256, sizeof info->sha256);
      memcpy (info->signature, e.signature, sizeof info->signature);
      info->flags = GUINT32_FROM_LE (e.flags);
      info->name = docket_dcp_sanitize_name (data + pos + sizeof e, e.name_length, info->id);
      g_ptr_array_add (list, info);
      pos += entry_len;
    }
  return g_steal_pointer (&list);
}

/* A NUL-padded fixed-size text field from the camera. */
static gchar *
fixed_string (const gchar *field, gsize size)
{
  const gchar *nul = memchr (field, '\0', size);
  gsize len = nul != NULL ? (gsize)(nul - field) : size;

  return docket_dcp_sanitize_version (field, len);
}

gchar *
docket_dcp_sanitize_version (const gchar *bytes, gsize len)
{
  g_autofree gchar *valid = g_utf8_make_valid (bytes, (gssize)len);
  GString *out = g_string_new (NULL);

  for (const gchar *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      gboolean unsafe = g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT;

      g_string_append_unichar (out, unsafe ? '?' : c);
    }
  return g_string_free (out, FALSE);
}

void
docket_dcp_firmware_status_clear (DocketDcpFirmwareStatus *status)
{
  g_clear_pointer (&status->active_version, g_free);
  g_clear_pointer (&status->other_version, g_free);
}

gboolean
docket_dcp_parse_firmware_status (const guint8 *data,
                                  gsize len,
                                  DocketDcpFirmwareStatus *out_status,
                                  GError **error)
{
  DcpFirmwareStatus fs;

  if (!docket_dcp_check_header (data, len, DCP_MSG_FIRMWARE_STATUS, sizeof fs, NULL, error))
    return FALSE;
  memcpy (&fs, data, sizeof fs);
  if (fs.active_slot > 1)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                   _ ("the firmware status names slot %u, but a camera has only slots 0 and 1"),
                   fs.active_slot);
      return FALSE;
    }
  if (fs.state > DCP_FW_STATE_REBOOTING)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                   _ ("the firmware status has an unknown state %u"), fs.state);
      return FALSE;
    }
  if (GUINT64_FROM_LE (fs.received) > GUINT64_FROM_LE (fs.image_size))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                   _ ("the firmware status claims more bytes received than the image holds"));
      return FALSE;
    }
  memset (out_status, 0, sizeof *out_status);
  out_status->active_slot = fs.active_slot;
  out_status->state = fs.state;
  out_status->other_bootable = fs.other_bootable != 0;
  out_status->image_size = GUINT64_FROM_LE (fs.image_size);
  out_status->received = GUINT64_FROM_LE (fs.received);
  out_status->active_version = fixed_string (fs.active_version, sizeof fs.active_version);
  out_status->other_version = fixed_string (fs.other_version, sizeof fs.other_version);
  return TRUE;
}

gboolean
docket_dcp_build_firmware_begin (guint64 image_size,
                                 const guint8 sha256[32],
                                 const gchar *version,
                                 DcpFirmwareBegin *out,
                                 GError **error)
{
  gsize vlen = version != NULL ? strlen (version) : 0;

  if (image_size == 0 || image_size > DCP_FW_MAX_IMAGE)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("A firmware image must hold 1 byte to %u MiB, not %" PRIu64 " bytes"),
                   DCP_FW_MAX_IMAGE / (1024 * 1024), image_size);
      return FALSE;
    }
  if (vlen == 0 || vlen >= DCP_FW_VERSION_LEN || !g_utf8_validate (version, -1, NULL))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("A firmware version must be 1 to %d bytes of text"), DCP_FW_VERSION_LEN - 1);
      return FALSE;
    }
  memset (out, 0, sizeof *out);
  out->image_size = GUINT64_TO_LE (image_size);
  memcpy (out->sha256, sha256, 32);
  memcpy (out->version, version, vlen);
  return TRUE;
}
