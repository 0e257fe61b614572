/* docket-export-mhl.c — the ASC MHL v2.0 manifest of an export package
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ASC MHL (github.com/ascmitc/mhl-specification) is the film industry's
 * open hash list: a folder ascmhl/ with numbered generations and a chain
 * file. Its hash formats are c4, md5, sha1 and xxhash only, so each entry
 * carries the C4 ID (SHA-512 based, checked by the ASC MHL tools) and the
 * SHA-256 in its <metadata>, which the schema leaves open.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/evp.h>

#include "docket-error.h"
#include "docket-export.h"
#include "docket-sha256.h"

#define C4_ALPHABET "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
#define C4_DIGITS 88

static gchar *
c4_from_digest (const guint8 digest[64])
{
  guint8 number[64];
  gchar out[2 + C4_DIGITS + 1];

  /* Base 58 of the 512-bit number, most significant digit first, padded
   * with the zero digit '1' to 88 digits. */
  memcpy (number, digest, sizeof number);
  memset (out, '1', sizeof out - 1);
  out[0] = 'c';
  out[1] = '4';
  out[sizeof out - 1] = '\0';
  for (gint pos = C4_DIGITS - 1; pos >= 0; pos--)
    {
      guint remainder = 0;

      for (gsize i = 0; i < sizeof number; i++)
        {
          guint value = remainder * 256 + number[i];

          number[i] = (guint8)(value / 58);
          remainder = value % 58;
        }
      out[2 + pos] = C4_ALPHABET[remainder];
    }
  return g_strdup (out);
}

gchar *
docket_export_c4_file (const gchar *path, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = g_file_read (file, NULL, error);
  EVP_MD_CTX *ctx;
  guint8 buffer[65536];
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  gssize n;

  if (in == NULL)
    return NULL;
  ctx = EVP_MD_CTX_new ();
  EVP_DigestInit_ex (ctx, EVP_sha512 (), NULL);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, sizeof buffer, NULL, error)) > 0)
    EVP_DigestUpdate (ctx, buffer, (gsize)n);
  EVP_DigestFinal_ex (ctx, digest, &len);
  EVP_MD_CTX_free (ctx);
  if (n < 0)
    return NULL;
  return c4_from_digest (digest);
}

static gchar *
iso_time (GDateTime *when)
{
  return g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
docket_export_write_mhl (const gchar *package,
                         GPtrArray *files,
                         const gchar *comment,
                         GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree gchar *stamp = iso_time (now);
  g_autofree gchar *file_stamp = g_date_time_format (now, "%Y-%m-%d_%H%M%SZ");
  g_autofree gchar *root_name = g_path_get_basename (package);
  g_autofree gchar *dir = g_build_filename (package, "ascmhl", NULL);
  g_autofree gchar *mhl_name = NULL;
  g_autofree gchar *mhl_path = NULL;
  g_autofree gchar *chain_path = NULL;
  g_autofree gchar *mhl_c4 = NULL;
  g_autofree gchar *escaped_comment = g_markup_escape_text (comment, -1);
  g_autoptr (GString) xml = g_string_new (NULL);
  g_autoptr (GString) chain = g_string_new (NULL);

  if (g_mkdir (dir, 0750) < 0)
    {
      int saved = errno;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                   _ ("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  g_string_append_printf (xml,
                          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<hashlist version=\"2.0\" xmlns=\"urn:ASC:MHL:v2.0\">\n"
                          "  <creatorinfo>\n"
                          "    <creationdate>%s</creationdate>\n"
                          "    <hostname>%s</hostname>\n"
                          "    <tool version=\"%s\">Docket</tool>\n"
                          "    <comment>%s</comment>\n"
                          "  </creatorinfo>\n"
                          "  <processinfo>\n"
                          "    <process>transfer</process>\n"
                          "  </processinfo>\n"
                          "  <hashes>\n",
                          stamp, g_get_host_name (), PACKAGE_VERSION, escaped_comment);
  for (guint i = 0; i < files->len; i++)
    {
      const gchar *rel = g_ptr_array_index (files, i);
      g_autofree gchar *path = g_build_filename (package, rel, NULL);
      g_autofree gchar *escaped = g_markup_escape_text (rel, -1);
      g_autofree gchar *c4 = NULL;
      g_autofree gchar *sha = NULL;
      g_autofree gchar *mtime = NULL;
      g_autoptr (GDateTime) modified = NULL;
      guint8 digest[DOCKET_SHA256_LEN];
      GStatBuf st;

      if (g_stat (path, &st) < 0)
        {
          int saved = errno;
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, "%s: %s", path, g_strerror (saved));
          return FALSE;
        }
      c4 = docket_export_c4_file (path, error);
      if (c4 == NULL || !docket_sha256_file (path, G_MAXUINT64, digest, NULL, error))
        return FALSE;
      sha = docket_sha256_to_hex (digest);
      modified = g_date_time_new_from_unix_utc (st.st_mtime);
      mtime = iso_time (modified);
      g_string_append_printf (xml,
                              "    <hash>\n"
                              "      <path size=\"%" G_GUINT64_FORMAT
                              "\" lastmodificationdate=\"%s\">%s</path>\n"
                              "      <c4 action=\"original\" hashdate=\"%s\">%s</c4>\n"
                              "      <metadata><sha256 xmlns=\"urn:docket:export:1\">%s</sha256>"
                              "</metadata>\n"
                              "    </hash>\n",
                              (guint64)st.st_size, mtime, escaped, stamp, c4, sha);
    }
  g_string_append (xml, "  </hashes>\n</hashlist>\n");

  mhl_name = g_strdup_printf ("0001_%s_%s.mhl", root_name, file_stamp);
  mhl_path = g_build_filename (dir, mhl_name, NULL);
  if (!g_file_set_contents_full (mhl_path, xml->str, (gssize)xml->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0444, error))
    return FALSE;
  mhl_c4 = docket_export_c4_file (mhl_path, error);
  if (mhl_c4 == NULL)
    return FALSE;
  g_string_append_printf (chain,
                          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<ascmhldirectory xmlns=\"urn:ASC:MHL:DIRECTORY:v2.0\">\n"
                          "  <hashlist sequencenr=\"1\">\n"
                          "    <path>%s</path>\n"
                          "    <c4>%s</c4>\n"
                          "  </hashlist>\n"
                          "</ascmhldirectory>\n",
                          mhl_name, mhl_c4);
  chain_path = g_build_filename (dir, "ascmhl_chain.xml", NULL);
  return g_file_set_contents_full (chain_path, chain->str, (gssize)chain->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0444, error);
}
