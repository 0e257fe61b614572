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
      "! x264enc speed-preset=ultrafast threads=1 key-int-max=15 ! h264parse ! mp4mux name=mux "
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

/* Big-endian reads from a file the test made itself, bounds-checked. */
static guint32
be32 (const guint8 *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

/* The payload of the first child box of @type inside [@start, @end). */
static gboolean
find_box (
    const guint8 *data, gsize start, gsize end, const gchar *type, gsize *out_start, gsize *out_end)
{
  gsize off = start;

  while (off + 8 <= end)
    {
      guint64 size = be32 (data + off);
      gsize header = 8;

      if (size == 1 && off + 16 <= end)
        {
          size = (guint64)be32 (data + off + 8) << 32 | be32 (data + off + 12);
          header = 16;
        }
      else if (size == 0)
        size = end - off;
      if (size < header || size > end - off)
        return FALSE;
      if (memcmp (data + off + 4, type, 4) == 0)
        {
          *out_start = off + header;
          *out_end = off + (gsize)size;
          return TRUE;
        }
      off += (gsize)size;
    }
  return FALSE;
}

/* Where the middle key picture of the video track lies in the file: a
 * flipped byte there is damage every decoder reports, wherever the encoder
 * and muxer put things on this machine. */
static gboolean
find_key_picture (const guint8 *data, gsize len, gsize *out_offset, gsize *out_size)
{
  gsize moov_s, moov_e, off;

  if (!find_box (data, 0, len, "moov", &moov_s, &moov_e))
    return FALSE;
  for (off = moov_s; off + 8 <= moov_e;)
    {
      gsize trak_s, trak_e, s, e, hdlr_s, hdlr_e, stbl_s, stbl_e;
      gsize stsz_s, stsz_e, stco_s, stco_e, stsc_s, stsc_e, stss_s, stss_e;
      guint32 key, n_keys, sample, chunk, first_in_chunk, per_chunk, n_stsc;

      if (!find_box (data, off, moov_e, "trak", &trak_s, &trak_e))
        return FALSE;
      off = trak_e;
      if (!find_box (data, trak_s, trak_e, "mdia", &s, &e)
          || !find_box (data, s, e, "hdlr", &hdlr_s, &hdlr_e) || hdlr_e - hdlr_s < 12
          || memcmp (data + hdlr_s + 8, "vide", 4) != 0 || !find_box (data, s, e, "minf", &s, &e)
          || !find_box (data, s, e, "stbl", &stbl_s, &stbl_e)
          || !find_box (data, stbl_s, stbl_e, "stsz", &stsz_s, &stsz_e)
          || !find_box (data, stbl_s, stbl_e, "stco", &stco_s, &stco_e)
          || !find_box (data, stbl_s, stbl_e, "stsc", &stsc_s, &stsc_e)
          || !find_box (data, stbl_s, stbl_e, "stss", &stss_s, &stss_e))
        continue;
      n_keys = be32 (data + stss_s + 4);
      if (n_keys == 0 || stss_s + 8 + 4 * (gsize)n_keys > stss_e)
        return FALSE;
      key = be32 (data + stss_s + 8 + 4 * (n_keys / 2)) - 1; /* 0-based */
      /* walk chunks (stsc runs) to the chunk holding @key */
      n_stsc = be32 (data + stsc_s + 4);
      if (n_stsc == 0 || stsc_s + 8 + 12 * (gsize)n_stsc > stsc_e)
        return FALSE;
      sample = 0;
      for (chunk = 1;; chunk++)
        {
          guint32 run = 0;

          while (run + 1 < n_stsc && be32 (data + stsc_s + 8 + 12 * (run + 1)) <= chunk)
            run++;
          per_chunk = be32 (data + stsc_s + 8 + 12 * run + 4);
          if (per_chunk == 0 || stco_s + 8 + 4 * (gsize)chunk > stco_e)
            return FALSE;
          if (key < sample + per_chunk)
            break;
          sample += per_chunk;
        }
      first_in_chunk = sample;
      *out_offset = be32 (data + stco_s + 8 + 4 * (chunk - 1));
      for (sample = first_in_chunk; sample <= key; sample++)
        {
          gsize size;

          if (stsz_s + 12 + 4 * (gsize)sample + 4 > stsz_e)
            return FALSE;
          size = be32 (data + stsz_s + 4) != 0 ? be32 (data + stsz_s + 4)
                                               : be32 (data + stsz_s + 12 + 4 * sample);
          if (sample == key)
            *out_size = size;
          else
            *out_offset += size;
        }
      return *out_offset + *out_size <= len;
    }
  return FALSE;
}

/* Damage that was already on the camera, made from a good file. */
static gboolean
damage_copy (const gchar *from, const gchar *to, const gchar *kind, GError **error)
{
  g_autofree gchar *data = NULL;
  g_autofree gchar *tmp = g_strdup_printf ("%s.%d.tmp", to, (int)getpid ());
  gsize len = 0;

  if (!g_file_get_contents (from, &data, &len, error))
    return FALSE;
  if (g_str_equal (kind, "flip-byte"))
    {
      gsize offset = 0, size = 0;
      gboolean flipped = FALSE;

      /* early in the key picture's slice data: the decoder then reads the
       * rest of the slice out of step, which it cannot conceal unnoticed */
      if (find_key_picture ((const guint8 *)data, len, &offset, &size))
        for (gsize nal = offset; !flipped && nal + 4 < offset + size;)
          {
            gsize nal_len = be32 ((const guint8 *)data + nal);

            if (((guint8)data[nal + 4] & 0x1f) == 5 && nal_len > 64
                && nal + 4 + nal_len <= offset + size)
              {
                data[nal + 4 + 16] ^= 0xff;
                flipped = TRUE;
              }
            nal += 4 + nal_len;
          }
      if (!flipped)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s has no key picture to damage", from);
          return FALSE;
        }
    }
  else if (g_str_equal (kind, "zeros"))
    memset (data + len / 3, 0, MIN ((gsize)65536, len - len / 3));
  else if (g_str_equal (kind, "random"))
    for (gsize i = 0; i < len; i++)
      data[i] = (gchar)g_random_int ();
  else if (g_str_equal (kind, "empty"))
    len = 0;
  else
    {
      /* "mvhd-x10": the movie header claims ten times the duration;
       * "durations-x10": so do every track and media header. */
      gboolean all = g_str_equal (kind, "durations-x10");
      const gchar *boxes[] = { "mvhd", "tkhd", "mdhd" };

      for (guint b = 0; b < (all ? G_N_ELEMENTS (boxes) : 1); b++)
        for (gsize off = 4; off + 40 < len; off++)
          if (memcmp (data + off, boxes[b], 4) == 0)
            {
              guint8 *p = (guint8 *)data + off + 4;
              gboolean v1 = p[0] == 1;
              /* duration: after version/flags, creation, modification,
               * then timescale (mvhd, mdhd) or track id + reserved (tkhd) */
              gsize at = (v1 ? 4 + 16 : 4 + 8) + (b == 1 ? 8 : 4);

              if (v1)
                {
                  guint64 d;
                  memcpy (&d, p + at, 8);
                  d = GUINT64_TO_BE (GUINT64_FROM_BE (d) * 10);
                  memcpy (p + at, &d, 8);
                }
              else
                {
                  guint32 d;
                  memcpy (&d, p + at, 4);
                  d = GUINT32_TO_BE (GUINT32_FROM_BE (d) * 10);
                  memcpy (p + at, &d, 4);
                }
              off += 8;
            }
    }
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
  else if (g_str_equal (kind, "flip-byte") || g_str_equal (kind, "zeros")
           || g_str_equal (kind, "random") || g_str_equal (kind, "empty")
           || g_str_equal (kind, "mvhd-x10") || g_str_equal (kind, "durations-x10"))
    {
      base = test_media_get ("good", variant, error);
      ok = base != NULL && damage_copy (base, path, kind, error);
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
