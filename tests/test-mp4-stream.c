/* test-mp4-stream.c — the index check on a stream says what it says on the file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three readers must agree on every file, whole, cut at any byte or
 * damaged: the file reader (docket_mp4_read_index), the same walk fed in
 * small random chunks as a copy writes them (with and without a prefix
 * read back from a resumed copy), and the reader as it was before the walk
 * was shared (kept below as the reference, verbatim but for names).
 */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "docket-error.h"
#include "docket-mp4-private.h"
#include "test-offload-media.h"

/* ---- the reference: the file reader before the stream walk ------------- */

static gboolean
ref_pread_all (int fd, guint8 *buf, gsize len, guint64 off)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = pread (fd, buf + done, len - done, (off_t)(off + done));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += (gsize)n;
    }
  return TRUE;
}

static gboolean
ref_is_top_level (guint32 type)
{
  switch (type)
    {
      case FOURCC ('f', 't', 'y', 'p'):
      case FOURCC ('m', 'o', 'o', 'v'):
      case FOURCC ('m', 'd', 'a', 't'):
      case FOURCC ('f', 'r', 'e', 'e'):
      case FOURCC ('s', 'k', 'i', 'p'):
      case FOURCC ('w', 'i', 'd', 'e'):
      case FOURCC ('p', 'n', 'o', 't'):
      case FOURCC ('u', 'u', 'i', 'd'):
        return TRUE;
      default:
        return FALSE;
    }
}

static gboolean
ref_read_index (int fd, guint64 file_size, DocketMp4Info *info, GError **error)
{
  g_autofree guint8 *moov = NULL;
  gsize moov_len = 0;
  gboolean seen_ftyp = FALSE;
  guint64 off = 0;

  while (off < file_size)
    {
      guint8 hdr[16];
      guint64 size;
      guint32 type;
      guint hdr_len = 8;

      if (file_size - off < 8 || !ref_pread_all (fd, hdr, 8, off))
        {
          info->problem = DOCKET_MP4_PROBLEM_CUT_SHORT;
          return _docket_mp4_fail (error,
                                   _ ("the file ends in the middle of a box: it was cut short"));
        }
      size = be32 (hdr);
      type = be32 (hdr + 4);
      if (size == 1)
        {
          if (file_size - off < 16 || !ref_pread_all (fd, hdr + 8, 8, off + 8))
            {
              info->problem = DOCKET_MP4_PROBLEM_CUT_SHORT;
              return _docket_mp4_fail (
                  error, _ ("the file ends in the middle of a box: it was cut short"));
            }
          size = be64 (hdr + 8);
          hdr_len = 16;
        }
      else if (size == 0)
        size = file_size - off;
      if (off == 0 && type == FOURCC ('f', 't', 'y', 'p'))
        seen_ftyp = TRUE;
      if (off == 0 && !ref_is_top_level (type))
        break;
      if (size < hdr_len)
        {
          info->problem = DOCKET_MP4_PROBLEM_BAD_INDEX;
          return _docket_mp4_fail (error, _ ("a box has an impossible size"));
        }
      if (size > file_size - off)
        {
          info->problem = DOCKET_MP4_PROBLEM_CUT_SHORT;
          info->present_percent = _docket_mp4_percent_of (file_size, off + size);
          if (moov == NULL && type != FOURCC ('m', 'o', 'o', 'v'))
            g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                         _ ("The video was cut short at %u %%: the index is missing (the file "
                            "ends at byte %" PRIu64 " but its video data runs to byte %" PRIu64
                            ")"),
                         info->present_percent, file_size, off + size);
          else
            g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                         _ ("The video was cut short at %u %%: the rest of its pictures are "
                            "missing (the file ends at byte %" PRIu64 " of %" PRIu64 ")"),
                         info->present_percent, file_size, off + size);
          return FALSE;
        }
      if (type == FOURCC ('m', 'o', 'o', 'v'))
        {
          info->problem = DOCKET_MP4_PROBLEM_BAD_INDEX;
          if (moov != NULL)
            return _docket_mp4_fail (error, _ ("there are two indexes"));
          if (size - hdr_len > MAX_MOOV_SIZE)
            return _docket_mp4_fail (error, _ ("the index is implausibly large"));
          moov_len = (gsize)(size - hdr_len);
          moov = g_malloc (moov_len);
          if (!ref_pread_all (fd, moov, moov_len, off + hdr_len))
            return _docket_mp4_fail (error, _ ("the index could not be read"));
          info->problem = DOCKET_MP4_PROBLEM_NONE;
        }
      off += size;
    }
  return _docket_mp4_judge (moov, moov_len, seen_ftyp, file_size, info, error);
}

static gboolean
ref_read (const gchar *path, DocketMp4Info *out_info, GError **error)
{
  GStatBuf st;
  gboolean ok;
  int fd;

  memset (out_info, 0, sizeof *out_info);
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fstat (fd, &st), ==, 0);
  out_info->file_size = (guint64)st.st_size;
  ok = ref_read_index (fd, out_info->file_size, out_info, error);
  close (fd);
  if (!ok)
    {
      docket_mp4_info_clear (out_info);
      if (out_info->problem == DOCKET_MP4_PROBLEM_NONE)
        out_info->problem = DOCKET_MP4_PROBLEM_BAD_INDEX;
    }
  return ok;
}

/* ---- comparing verdicts ------------------------------------------------ */

typedef struct
{
  gboolean ok;
  DocketMp4Info info;
  GError *error;
} Verdict;

static void
verdict_clear (Verdict *v)
{
  docket_mp4_info_clear (&v->info);
  g_clear_error (&v->error);
}

static void
assert_same (const Verdict *want, const Verdict *got, const gchar *what)
{
  if (want->ok != got->ok || want->info.problem != got->info.problem
      || want->info.present_percent != got->info.present_percent
      || g_strcmp0 (want->error != NULL ? want->error->message : NULL,
                    got->error != NULL ? got->error->message : NULL)
             != 0)
    g_error ("%s: want %d/%d/%u “%s”, got %d/%d/%u “%s”", what, want->ok, want->info.problem,
             want->info.present_percent, want->error != NULL ? want->error->message : "", got->ok,
             got->info.problem, got->info.present_percent,
             got->error != NULL ? got->error->message : "");
  if (want->error != NULL)
    g_assert_error (got->error, want->error->domain, want->error->code);
  if (!want->ok)
    return;
  g_assert_cmpuint (want->info.file_size, ==, got->info.file_size);
  g_assert_cmpuint (want->info.duration_ms, ==, got->info.duration_ms);
  g_assert_cmpuint (want->info.movie_duration_ms, ==, got->info.movie_duration_ms);
  g_assert_cmpint (want->info.creation_usec, ==, got->info.creation_usec);
  g_assert_cmpstr (want->info.video_codec, ==, got->info.video_codec);
  g_assert_cmpstr (want->info.audio_codec, ==, got->info.audio_codec);
  g_assert_cmpuint (want->info.width, ==, got->info.width);
  g_assert_cmpuint (want->info.height, ==, got->info.height);
  g_assert_cmpuint (want->info.video_samples, ==, got->info.video_samples);
  g_assert_cmpuint (want->info.data_end, ==, got->info.data_end);
  g_assert_cmpint (want->info.fragmented, ==, got->info.fragmented);
}

/* Feeds @data in random chunks of 1..@max_chunk bytes; with @prefix > 0
 * the first @prefix bytes come from @path as from a resumed copy. */
static void
stream_verdict (
    const guint8 *data, gsize len, gsize max_chunk, const gchar *path, gsize prefix, Verdict *out)
{
  g_autoptr (DocketMp4Stream) s = docket_mp4_stream_new ();
  g_autoptr (GError) error = NULL;
  gsize off = 0;

  if (prefix > 0)
    {
      g_assert_true (docket_mp4_stream_feed_file (s, path, prefix, &error));
      g_assert_no_error (error);
      off = prefix;
    }
  g_assert_cmpuint (docket_mp4_stream_get_position (s), ==, off);
  while (off < len)
    {
      gsize n = (gsize)g_test_rand_int_range (1, (gint32)max_chunk + 1);

      n = MIN (n, len - off);

      docket_mp4_stream_feed (s, data + off, n);
      off += n;
    }
  g_assert_cmpuint (docket_mp4_stream_get_position (s), ==, len);
  out->ok = docket_mp4_stream_finish (s, &out->info, &out->error);
}

/* Every reader on @data (written to @path) agrees with the reference. */
static void
check_all (const gchar *path, const guint8 *data, gsize len, const gchar *what)
{
  static const gsize chunks[] = { 1, 7, 4096, 1 << 20 };
  Verdict want = { 0 };
  Verdict file = { 0 };

  g_assert_true (g_file_set_contents (path, (const gchar *)data, (gssize)len, NULL));
  want.ok = ref_read (path, &want.info, &want.error);
  file.ok = docket_mp4_read_index (path, &file.info, &file.error);
  assert_same (&want, &file, what);
  verdict_clear (&file);
  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      Verdict got = { 0 };
      gsize prefix = i % 2 == 1 && len > 0 ? (gsize)g_test_rand_int_range (0, (gint32)len) : 0;

      /* one byte at a time only through small files, for time */
      if (chunks[i] == 1 && len > 64 * 1024)
        continue;
      stream_verdict (data, len, chunks[i], path, prefix, &got);
      assert_same (&want, &got, what);
      verdict_clear (&got);
    }
  verdict_clear (&want);
}

static gchar *
media_or_skip (const gchar *kind, guint8 **out_data, gsize *out_len)
{
  g_autoptr (GError) error = NULL;
  gchar *path = test_media_get (kind, 0, &error);

  if (path == NULL)
    {
      g_test_skip_printf ("cannot make test media: %s", error->message);
      return NULL;
    }
  g_assert_true (g_file_get_contents (path, (gchar **)out_data, out_len, NULL));
  return path;
}

static gchar *
scratch (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("docket-mp4-stream-XXXXXX", NULL);

  return g_build_filename (dir, "f.mp4", NULL);
}

static void
remove_scratch (const gchar *path)
{
  g_autofree gchar *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

/* Every kind of test media, whole. */
static void
test_media (void)
{
  static const gchar *const kinds[] = { "good",
                                        "faststart",
                                        "cut-index-lost",
                                        "cut-index-intact",
                                        "cut-index-intact-patched",
                                        "bitflip",
                                        "flip-byte",
                                        "zeros",
                                        "empty",
                                        "random",
                                        "mvhd-x10",
                                        "durations-x10" };
  g_autofree gchar *victim = scratch ();

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree guint8 *data = NULL;
      g_autofree gchar *path = NULL;
      gsize len = 0;

      path = media_or_skip (kinds[k], &data, &len);
      if (path == NULL)
        break;
      check_all (victim, data, len, kinds[k]);
    }
  remove_scratch (victim);
}

/* Cut at random bytes, at every byte of the first and last boxes' headers,
 * and around every top-level box boundary. */
static void
test_truncated (void)
{
  static const gchar *const kinds[] = { "good", "faststart" };
  g_autofree gchar *victim = scratch ();

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree guint8 *data = NULL;
      g_autofree gchar *path = NULL;
      g_autoptr (GArray) cuts = g_array_new (FALSE, FALSE, sizeof (gsize));
      gsize len = 0;

      path = media_or_skip (kinds[k], &data, &len);
      if (path == NULL)
        break;
      for (gsize i = 0; i <= MIN (len, (gsize)40); i++)
        g_array_append_val (cuts, i);
      for (gsize off = 0; off + 8 <= len;)
        {
          guint64 size = be32 (data + off);

          for (gsize d = 0; d < 18; d++)
            {
              gsize at = off + d > 0 ? off + d - 1 : 0;
              if (at <= len)
                g_array_append_val (cuts, at);
            }
          if (size < 8 || size > len - off)
            break;
          off += (gsize)size;
        }
      for (guint i = 0; i < 40; i++)
        {
          gsize at = (gsize)g_test_rand_int_range (0, (gint32)len);
          g_array_append_val (cuts, at);
        }
      for (guint i = 0; i < cuts->len; i++)
        {
          gsize at = g_array_index (cuts, gsize, i);
          g_autofree gchar *what = g_strdup_printf ("%s cut at %" G_GSIZE_FORMAT, kinds[k], at);

          check_all (victim, data, at, what);
        }
    }
  remove_scratch (victim);
}

/* Random damage to the boxes and the index. */
static void
test_malformed (void)
{
  static const gchar *const kinds[] = { "good", "faststart" };
  g_autofree gchar *victim = scratch ();

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree guint8 *orig = NULL;
      g_autofree gchar *path = NULL;
      gsize len = 0;

      path = media_or_skip (kinds[k], &orig, &len);
      if (path == NULL)
        break;
      for (guint round = 0; round < 150; round++)
        {
          g_autofree guint8 *data = g_memdup2 (orig, len);
          g_autofree gchar *what = g_strdup_printf ("%s damaged, round %u", kinds[k], round);
          guint flips = (guint)g_test_rand_int_range (1, 8);
          /* the boxes' headers and the index: the first or the last 8 KB */
          gsize span = MIN (len, (gsize)8192);
          gsize base = g_test_rand_bit () ? 0 : len - span;

          for (guint i = 0; i < flips; i++)
            {
              gsize at = base + (gsize)g_test_rand_int_range (0, (gint32)span);
              data[at] = (guint8)(g_test_rand_int_range (0, 4) == 0 ? 0xff : g_test_rand_int ());
            }
          check_all (victim, data, len, what);
        }
    }
  remove_scratch (victim);
}

static void
put_box (GByteArray *b, guint32 size, const gchar *type)
{
  guint8 hdr[8] = { size >> 24, size >> 16, size >> 8, size, type[0], type[1], type[2], type[3] };

  g_byte_array_append (b, hdr, sizeof hdr);
}

static void
put_box64 (GByteArray *b, guint64 size, const gchar *type)
{
  guint8 hdr[16] = { 0, 0, 0, 1, type[0], type[1], type[2], type[3] };

  for (guint i = 0; i < 8; i++)
    hdr[8 + i] = (guint8)(size >> (56 - 8 * i));
  g_byte_array_append (b, hdr, sizeof hdr);
}

/* The moov box of a faststart file (its second box), payload only. */
static GBytes *
real_moov (void)
{
  g_autofree guint8 *data = NULL;
  g_autofree gchar *path = NULL;
  gsize len = 0;
  guint64 ftyp;

  path = media_or_skip ("faststart", &data, &len);
  if (path == NULL)
    return NULL;
  ftyp = be32 (data);
  g_assert_cmpuint (be32 (data + ftyp + 4), ==, FOURCC ('m', 'o', 'o', 'v'));
  return g_bytes_new (data + ftyp + 8, be32 (data + ftyp) - 8);
}

/* Boxes no camera writes but any file may hold: 64-bit and "to the end"
 * sizes, impossible and huge ones, two indexes, indexes past the cap. */
static void
test_odd_boxes (void)
{
  g_autoptr (GBytes) moov = real_moov ();
  g_autofree gchar *victim = scratch ();
  gsize moov_len;
  const guint8 *moov_data;

  if (moov == NULL)
    return;
  moov_data = g_bytes_get_data (moov, &moov_len);
  for (guint variant = 0; variant < 14; variant++)
    {
      g_autoptr (GByteArray) b = g_byte_array_new ();
      g_autofree gchar *what = g_strdup_printf ("odd boxes, variant %u", variant);

      put_box (b, 16, "ftyp");
      g_byte_array_append (b, (const guint8 *)"isom\0\0\0\0", 8);
      switch (variant)
        {
          case 0: /* the index in a 64-bit box */
            put_box64 (b, moov_len + 16, "moov");
            g_byte_array_append (b, moov_data, (guint)moov_len);
            break;
          case 1: /* the index running to the end of the file */
            put_box (b, 0, "moov");
            g_byte_array_append (b, moov_data, (guint)moov_len);
            break;
          case 2: /* two indexes */
            put_box (b, (guint32)moov_len + 8, "moov");
            g_byte_array_append (b, moov_data, (guint)moov_len);
            put_box (b, (guint32)moov_len + 8, "moov");
            g_byte_array_append (b, moov_data, (guint)moov_len);
            break;
          case 3: /* two, the second one to the end */
            put_box (b, (guint32)moov_len + 8, "moov");
            g_byte_array_append (b, moov_data, (guint)moov_len);
            put_box (b, 0, "moov");
            g_byte_array_append (b, moov_data, (guint)MIN (moov_len, 100));
            break;
          case 4: /* an impossible size */
            put_box (b, 4, "free");
            break;
          case 5: /* a 64-bit size of zero */
            put_box64 (b, 0, "mdat");
            break;
          case 6: /* a huge 64-bit media box: cut short */
            {
              /* not the index's bytes: its length is the encoder's */
              static const guint8 media[4096];

              put_box64 (b, G_GUINT64_CONSTANT (1) << 62, "mdat");
              g_byte_array_append (b, media, sizeof media);
            }
            break;
          case 7: /* the largest size there is */
            put_box64 (b, G_MAXUINT64, "mdat");
            break;
          case 8: /* an index declared past the cap, cut short */
            put_box (b, MAX_MOOV_SIZE + 9, "moov");
            g_byte_array_append (b, moov_data, (guint)moov_len);
            break;
          case 9: /* an index within the cap, cut short */
            put_box (b, (guint32)moov_len + 8, "moov");
            g_byte_array_append (b, moov_data, (guint)moov_len / 2);
            break;
          case 10: /* not an MP4 after all */
            b->data[4] = 'x';
            break;
          case 11: /* a box header cut in its 64-bit size */
            put_box64 (b, 100, "mdat");
            g_byte_array_set_size (b, b->len - 3);
            break;
          case 12: /* an empty box, then the index */
            put_box (b, 8, "free");
            put_box (b, (guint32)moov_len + 8, "moov");
            g_byte_array_append (b, moov_data, (guint)moov_len);
            break;
          case 13: /* no index at all */
            put_box (b, 8, "mdat");
            break;
        }
      check_all (victim, b->data, b->len, what);
    }
  remove_scratch (victim);
}

/* Indexes past the cap that are whole: made as sparse files, read back as
 * zeros; the stream keeps none of it. */
static void
test_huge_index (void)
{
  g_autofree gchar *victim = scratch ();
  g_autofree guint8 *zeros = g_malloc0 (1 << 20);

  for (guint variant = 0; variant < 2; variant++)
    {
      g_autoptr (GByteArray) b = g_byte_array_new ();
      g_autoptr (DocketMp4Stream) s = docket_mp4_stream_new ();
      guint64 len = 24 + 8 + (guint64)MAX_MOOV_SIZE + 1;
      Verdict want = { 0 };
      Verdict got = { 0 };
      int fd;

      put_box (b, 16, "ftyp");
      g_byte_array_append (b, (const guint8 *)"isom\0\0\0\0", 8);
      put_box (b, variant == 0 ? MAX_MOOV_SIZE + 9 : 0, "moov");
      fd = g_open (victim, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (write (fd, b->data, b->len), ==, (gssize)b->len);
      g_assert_cmpint (ftruncate (fd, (off_t)len), ==, 0);
      close (fd);

      want.ok = ref_read (victim, &want.info, &want.error);
      g_assert_error (want.error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
      got.ok = docket_mp4_read_index (victim, &got.info, &got.error);
      assert_same (&want, &got, "huge index, file");
      verdict_clear (&got);

      docket_mp4_stream_feed (s, b->data, b->len);
      for (guint64 off = b->len; off < len;)
        {
          gsize n = (gsize)MIN (len - off, (guint64)(1 << 20));

          docket_mp4_stream_feed (s, zeros, n);
          off += n;
        }
      got.ok = docket_mp4_stream_finish (s, &got.info, &got.error);
      assert_same (&want, &got, "huge index, stream");
      verdict_clear (&got);
      verdict_clear (&want);
    }
  remove_scratch (victim);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mp4-stream/media", test_media);
  g_test_add_func ("/mp4-stream/truncated", test_truncated);
  g_test_add_func ("/mp4-stream/malformed", test_malformed);
  g_test_add_func ("/mp4-stream/odd-boxes", test_odd_boxes);
  g_test_add_func ("/mp4-stream/huge-index", test_huge_index);
  return g_test_run ();
}
