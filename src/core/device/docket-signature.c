/* docket-signature.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "docket-error.h"
#include "docket-signature.h"

static gboolean
ensure_sodium (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                   _ ("The cryptography library could not start"));
      return FALSE;
    }
  return TRUE;
}

GBytes *
docket_signature_build_message (const gchar *serial,
                                const DocketRecordingInfo *info,
                                GError **error)
{
  g_autoptr (GByteArray) msg = NULL;
  gsize serial_len;
  guint32 id_le;
  gint64 start_le;
  guint64 size_le;
  guint8 len_byte;

  g_return_val_if_fail (info != NULL, NULL);

  serial_len = serial != NULL ? strlen (serial) : 0;
  if (serial_len == 0 || serial_len > DOCKET_SIGNATURE_MAX_SERIAL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("A camera serial must be 1 to %d bytes long"), DOCKET_SIGNATURE_MAX_SERIAL);
      return NULL;
    }

  msg = g_byte_array_sized_new (8 + 1 + serial_len + 4 + 8 + 8 + DOCKET_SHA256_LEN);
  g_byte_array_append (msg, (const guint8 *)"DCP1-REC", 8);
  len_byte = (guint8)serial_len;
  g_byte_array_append (msg, &len_byte, 1);
  g_byte_array_append (msg, (const guint8 *)serial, serial_len);
  id_le = GUINT32_TO_LE (info->id);
  g_byte_array_append (msg, (const guint8 *)&id_le, sizeof id_le);
  start_le = GINT64_TO_LE (info->start_usec);
  g_byte_array_append (msg, (const guint8 *)&start_le, sizeof start_le);
  size_le = GUINT64_TO_LE (info->size);
  g_byte_array_append (msg, (const guint8 *)&size_le, sizeof size_le);
  g_byte_array_append (msg, info->sha256, DOCKET_SHA256_LEN);

  return g_byte_array_free_to_bytes (g_steal_pointer (&msg));
}

gboolean
docket_signature_sign (const gchar *serial,
                       const DocketRecordingInfo *info,
                       const guint8 secret_key[64],
                       guint8 out_signature[DOCKET_ED25519_SIGNATURE_LEN],
                       GError **error)
{
  g_autoptr (GBytes) msg = NULL;
  gsize len;
  const guint8 *data;

  if (!ensure_sodium (error))
    return FALSE;
  msg = docket_signature_build_message (serial, info, error);
  if (msg == NULL)
    return FALSE;
  data = g_bytes_get_data (msg, &len);
  crypto_sign_detached (out_signature, NULL, data, len, secret_key);
  return TRUE;
}

gboolean
docket_signature_verify (const gchar *serial,
                         const DocketRecordingInfo *info,
                         const guint8 public_key[DOCKET_ED25519_PUBLIC_KEY_LEN],
                         GError **error)
{
  g_autoptr (GBytes) msg = NULL;
  gsize len;
  const guint8 *data;

  if (!ensure_sodium (error))
    return FALSE;
  msg = docket_signature_build_message (serial, info, error);
  if (msg == NULL)
    return FALSE;
  data = g_bytes_get_data (msg, &len);
  if (crypto_sign_verify_detached (info->signature, data, len, public_key) != 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("The camera's signature on recording %u does not match"), info->id);
      return FALSE;
    }
  return TRUE;
}
