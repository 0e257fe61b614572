/* test-offload-media.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "docket-media-check.h"
#include "test-offload-media.h"

static gchar *
media_dir (void)
{
  const gchar *env = g_getenv ("DOCKET_TEST_MEDIA_DIR");
  gchar *dir = env != NULL ? g_strdup (env)
                           : g_build_filename (g_get_tmp_dir (), "docket-test-media", NULL);

  g_mkdir_with_parents (dir, 0755);
  return dir;
}

/* Writes to a private temporary and renames: test programs run in parallel. */
static gboolean
encode (const gchar *path, gboolean faststart, guint variant, GError **error)
{
  g_autofree gchar *tmp = g_strdup_printf ("%s.%d.tmp", path, (int)getpid ());
  g_autofree gchar *desc = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  GstElement *sink;

  desc = g_strdup_printf (
      "videotestsrc num-buffers=60 pattern=%u ! video/x-raw,width=320,height=240,framerate=30/1 "
      "! x264enc speed-preset=ultrafast key-int-max=15 ! h264parse ! mp4mux name=mux "
      "faststart=%s ! filesink name=sink "
      "audiotestsrc num-buffers=100 samplesperbuffer=441 ! audio/x-raw,rate=22050,channels=1 "
      "! voaacenc ! mux.",
      variant % 20, faststart ? "true" : "false");
  pipeline = gst_parse_launch (desc, error);
  if (pipeline == NULL)
    return FALSE;
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (sink, "location", tmp, NULL);
  gst_object_unref (sink);
  if (!docket_media_run_pipeline (pipeline, 120000, NULL, error))
    return FALSE;
  return g_rename (tmp, path) == 0;
}

static gboolean
truncate_copy (const gchar *from, const gchar *to, gboolean patch_mdat, GError **error)
{
  g_autofree gchar *data = NULL;
  g_autofree gchar *tmp = g_strdup_printf ("%s.%d.tmp", to, (int)getpid ());
  gsize len = 0;
  gsize cut;

  if (!g_file_get_contents (from, &data, &len, error))
    return FALSE;
  cut = len * 6 / 10;
  if (patch_mdat)
    {
      gsize off = 0;
      while (off + 8 <= cut)
        {
          guint32 size;

          memcpy (&size, data + off, 4);
          size = GUINT32_FROM_BE (size);
          if (memcmp (data + off + 4, "mdat", 4) == 0)
            {
              memset (data + off, 0, 4); /* size 0: runs to the end of the file */
              break;
            }
          if (size < 8)
            break;
          off += size;
        }
    }
  return g_file_set_contents (tmp, data, (gssize)cut, error) && g_rename (tmp, to) == 0;
}

static gboolean
bitflip_copy (const gchar *from, const gchar *to, GError **error)
{
  g_autofree gchar *data = NULL;
  g_autofree gchar *tmp = g_strdup_printf ("%s.%d.tmp", to, (int)getpid ());
  gsize len = 0;

  if (!g_file_get_contents (from, &data, &len, error))
    return FALSE;
  for (gsize i = len / 3; i < len / 3 + 4096 && i < len; i += 7)
    data[i] ^= 0x5a;
  return g_file_set_contents (tmp, data, (gssize)len, error) && g_rename (tmp, to) == 0;
}

gchar *
test_media_get (const gchar *kind, guint variant, GError **error)
{
  g_autofree gchar *dir = media_dir ();
  g_autofree gchar *name = g_strdup_printf ("%s-%u.mp4", kind, variant);
  g_autofree gchar *path = g_build_filename (dir, name, NULL);
  g_autofree gchar *base = NULL;
  gboolean ok;

  gst_init (NULL, NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);

  if (g_str_equal (kind, "good"))
    ok = encode (path, FALSE, variant, error);
  else if (g_str_equal (kind, "faststart"))
    ok = encode (path, TRUE, variant, error);
  else if (g_str_equal (kind, "cut-index-lost") || g_str_equal (kind, "bitflip"))
    {
      base = test_media_get ("good", variant, error);
      ok = base != NULL
           && (g_str_equal (kind, "bitflip") ? bitflip_copy (base, path, error)
                                             : truncate_copy (base, path, FALSE, error));
    }
  else if (g_str_has_prefix (kind, "cut-index-intact"))
    {
      base = test_media_get ("faststart", variant, error);
      ok = base != NULL && truncate_copy (base, path, g_str_has_suffix (kind, "-patched"), error);
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown media %s", kind);
      ok = FALSE;
    }
  return ok ? g_steal_pointer (&path) : NULL;
}
