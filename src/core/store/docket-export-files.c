/* docket-export-files.c — how an export package's files are named and written
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the package writer (docket-export.c) and its metadata
 * (docket-export-metadata.c); depends on neither, so they form no circle.
 */
#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <openssl/evp.h>
#include "docket-error.h"
#include "docket-evidence-store-private.h"
#include "docket-export-private.h"
#include "docket-sha256.h"
#include "docket-signature.h"

gchar *
_docket_export_package_path (DocketExportPackage *pkg, const gchar *rel)
{
  g_ptr_array_add (pkg->files, g_strdup (rel));
  return g_build_filename (pkg->package, rel, NULL);
}

gchar *
_docket_export_sanitise (const gchar *text, const gchar *fallback)
{
  GString *out = g_string_new (NULL);

  for (const gchar *p = text != NULL ? text : ""; *p != '\0' && out->len < 80; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || (*p == '.' && out->len > 0))
        g_string_append_c (out, *p);
      else
        g_string_append_c (out, '_');
    }
  if (out->len == 0)
    g_string_append (out, fallback);
  return g_string_free (out, FALSE);
}

gboolean
_docket_export_write_file (const gchar *path, const void *data, gsize len, GError **error)
{
  return g_file_set_contents_full (path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0444,
                                   error);
}

gboolean
_docket_export_write_json (const gchar *path, JsonBuilder *builder, GError **error)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree gchar *text = NULL;
  gsize len = 0;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  return _docket_export_write_file (path, text, len, error);
}
