/* docket-sha256.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/evp.h>

#include "docket-error.h"
#include "docket-sha256.h"

#define CHUNK (1024 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)

gboolean
docket_sha256_file (const gchar *path,
                    guint64 limit,
                    guint8 out_digest[DOCKET_SHA256_LEN],
                    GCancellable *cancellable,
                    GError **error)
{
  g_autoptr (EVP_MD_CTX) ctx = EVP_MD_CTX_new ();
  g_autofree guint8 *buf = g_malloc (CHUNK);
  guint64 done = 0;
  unsigned int len = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Could not open “%s”: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  (void)posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  EVP_DigestInit_ex (ctx, EVP_sha256 (), NULL);
  while (done < limit)
    {
      gsize want = (gsize)MIN ((guint64)CHUNK, limit - done);
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return FALSE;
        }
      n = read (fd, buf, want);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          close (fd);
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Could not read “%s”: %s"), path,
                       g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        break;
      EVP_DigestUpdate (ctx, buf, (gsize)n);
      done += (guint64)n;
    }
  close (fd);
  if (limit != G_MAXUINT64 && done != limit)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("“%s” is shorter than expected"),
                   path);
      return FALSE;
    }
  EVP_DigestFinal_ex (ctx, out_digest, &len);
  return TRUE;
}

gchar *
docket_sha256_to_hex (const guint8 digest[DOCKET_SHA256_LEN])
{
  static const gchar digits[] = "0123456789abcdef";
  gchar *hex = g_malloc (DOCKET_SHA256_LEN * 2 + 1);

  for (gsize i = 0; i < DOCKET_SHA256_LEN; i++)
    {
      hex[2 * i] = digits[digest[i] >> 4];
      hex[2 * i + 1] = digits[digest[i] & 0xf];
    }
  hex[DOCKET_SHA256_LEN * 2] = '\0';
  return hex;
}

gboolean
docket_sha256_hex_is_valid (const gchar *hex)
{
  if (hex == NULL || strlen (hex) != DOCKET_SHA256_LEN * 2)
    return FALSE;
  for (gsize i = 0; hex[i] != '\0'; i++)
    if (!g_ascii_isxdigit (hex[i]) || g_ascii_isupper (hex[i]))
      return FALSE;
  return TRUE;
}

gboolean
docket_sha256_from_hex (const gchar *hex, guint8 out_digest[DOCKET_SHA256_LEN])
{
  if (hex == NULL || strlen (hex) != DOCKET_SHA256_LEN * 2)
    return FALSE;
  for (gsize i = 0; i < DOCKET_SHA256_LEN; i++)
    {
      gint hi = g_ascii_xdigit_value (hex[2 * i]);
      gint lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out_digest[i] = (guint8)(hi << 4 | lo);
    }
  return TRUE;
}
