/* docket-mp4-stream.c — the top-level box walk of docket-mp4, over a file or a stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One walk serves both readers: docket_mp4_read_index() feeds it only the
 * bytes it asks for (box headers, the index) with pread(), a copy in
 * progress feeds it every byte as it is written. Each box's verdict waits
 * until its end has passed or the file has ended: whether a box is whole
 * is known only then, and a box cut short is "cut short" whatever it says.
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

#define READ_CHUNK (1024 * 1024)

struct _DocketMp4Stream
{
  guint64 pos;       /* the file offset of the next byte */
  guint64 box_start; /* where the current top-level box starts */
  guint8 hdr[16];
  guint hdr_have;  /* header bytes so far */
  gboolean in_box; /* the header is whole: payload follows */
  guint32 type;
  guint hdr_len;
  gboolean to_end;    /* size 0: the box runs to the end of the file */
  guint64 size;       /* the box's size, header included (not to_end) */
  guint64 left;       /* payload still to come (not to_end) */
  gboolean keep;      /* this box is the index: keep its payload */
  gboolean too_large; /* to_end index past the cap: not kept */
  GByteArray *moov;   /* the index's payload, being kept or whole */
  gboolean have_moov; /* a whole index was kept */
  gboolean seen_ftyp;
  gboolean stopped;         /* the walk is over: @verdict, or not an MP4 */
  DocketMp4Problem problem; /* with @verdict */
  GError *verdict;          /* what the walk found wrong, in words */
};

DocketMp4Stream *
docket_mp4_stream_new (void)
{
  return g_new0 (DocketMp4Stream, 1);
}

void
docket_mp4_stream_free (DocketMp4Stream *stream)
{
  if (stream == NULL)
    return;
  g_clear_pointer (&stream->moov, g_byte_array_unref);
  g_clear_error (&stream->verdict);
  g_free (stream);
}

guint64
docket_mp4_stream_get_position (DocketMp4Stream *stream)
{
  return stream->pos;
}

/* Boxes an MP4 or QuickTime file may start with. */
static gboolean
is_top_level (guint32 type)
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

static void
stop (DocketMp4Stream *s, DocketMp4Problem problem, const gchar *what)
{
  s->stopped = TRUE;
  s->problem = problem;
  _docket_mp4_fail (&s->verdict, what);
}

static guint
header_needed (DocketMp4Stream *s)
{
  return s->hdr_have >= 8 && be32 (s->hdr) == 1 ? 16 : 8;
}

/* The box ended inside the file: it is whole. */
static void
end_box (DocketMp4Stream *s)
{
  if (s->type == FOURCC ('m', 'o', 'o', 'v'))
    {
      guint64 payload = s->to_end ? s->pos - s->box_start - s->hdr_len : s->size - s->hdr_len;

      if (s->have_moov)
        {
          stop (s, DOCKET_MP4_PROBLEM_BAD_INDEX, _ ("there are two indexes"));
          return;
        }
      if (payload > MAX_MOOV_SIZE || s->too_large)
        {
          stop (s, DOCKET_MP4_PROBLEM_BAD_INDEX, _ ("the index is implausibly large"));
          return;
        }
      s->have_moov = TRUE;
    }
  s->in_box = FALSE;
  s->keep = FALSE;
  s->hdr_have = 0;
  s->box_start = s->pos;
}

static void
start_box (DocketMp4Stream *s)
{
  guint64 size = be32 (s->hdr);

  s->type = be32 (s->hdr + 4);
  s->hdr_len = 8;
  s->to_end = FALSE;
  if (size == 1)
    {
      size = be64 (s->hdr + 8);
      s->hdr_len = 16;
    }
  else if (size == 0)
    s->to_end = TRUE;
  if (s->box_start == 0 && s->type == FOURCC ('f', 't', 'y', 'p'))
    s->seen_ftyp = TRUE;
  if (s->box_start == 0 && !is_top_level (s->type))
    {
      s->stopped = TRUE; /* not an MP4: said at the end */
      return;
    }
  if (!s->to_end && size < s->hdr_len)
    {
      stop (s, DOCKET_MP4_PROBLEM_BAD_INDEX, _ ("a box has an impossible size"));
      return;
    }
  s->size = size;
  s->left = s->to_end ? 0 : size - s->hdr_len;
  s->in_box = TRUE;
  /* Only the first index is kept, and only one small enough to believe. */
  s->keep = s->type == FOURCC ('m', 'o', 'o', 'v') && !s->have_moov
            && (s->to_end || s->left <= MAX_MOOV_SIZE);
  if (s->keep)
    {
      g_clear_pointer (&s->moov, g_byte_array_unref);
      s->moov = g_byte_array_sized_new ((guint)MIN (s->left, (guint64)READ_CHUNK));
    }
  if (!s->to_end && s->left == 0)
    end_box (s);
}

/* Payload bytes: @data NULL when they are not needed (file mode). */
static void
take_payload (DocketMp4Stream *s, const guint8 *data, guint64 n)
{
  if (s->keep && s->to_end && s->moov->len + n > MAX_MOOV_SIZE)
    {
      s->keep = FALSE;
      s->too_large = TRUE;
      g_clear_pointer (&s->moov, g_byte_array_unref);
    }
  if (s->keep)
    {
      g_return_if_fail (data != NULL);
      g_byte_array_append (s->moov, data, (guint)n);
    }
  s->pos += n;
  if (!s->to_end)
    {
      s->left -= n;
      if (s->left == 0)
        end_box (s);
    }
}

void
docket_mp4_stream_feed (DocketMp4Stream *s, const guint8 *data, gsize len)
{
  while (len > 0)
    {
      gsize n;

      if (s->stopped)
        {
          s->pos += len;
          return;
        }
      if (!s->in_box)
        {
          n = MIN (len, header_needed (s) - s->hdr_have);
          memcpy (s->hdr + s->hdr_have, data, n);
          s->hdr_have += (guint)n;
          s->pos += n;
          if (s->hdr_have == header_needed (s))
            start_box (s);
        }
      else
        {
          n = s->to_end ? len : (gsize)MIN ((guint64)len, s->left);
          take_payload (s, data, n);
        }
      data += n;
      len -= n;
    }
}

/* Passes over bytes up to @off that the walk does not need. */
static void
skip_to (DocketMp4Stream *s, guint64 off)
{
  if (s->stopped)
    s->pos = off;
  else if (off > s->pos)
    take_payload (s, NULL, off - s->pos);
}

/* The offset of the next byte the walk needs; G_MAXUINT64: none. */
static guint64
needed_from (DocketMp4Stream *s)
{
  if (s->stopped || (s->in_box && !s->keep && s->to_end))
    return G_MAXUINT64;
  if (s->in_box && !s->keep)
    return s->left > G_MAXUINT64 - s->pos ? G_MAXUINT64 : s->pos + s->left;
  return s->pos;
}

/* From the next byte needed: the end of the run needed, G_MAXUINT64 for
 * "to the end of the file". */
static guint64
run_end (DocketMp4Stream *s)
{
  if (!s->in_box)
    return s->pos + (header_needed (s) - s->hdr_have);
  return s->to_end ? G_MAXUINT64 : s->pos + s->left;
}

/* Walks the bytes [pos, @end) of @fd, reading only what the walk needs.
 * @whole: @end is the end of the file, so stop at a run that cannot end
 * inside it (the finish says it was cut short). */
static gboolean
feed_fd (DocketMp4Stream *s, int fd, guint64 end, gboolean whole, GError **error)
{
  g_autofree guint8 *buf = NULL;

  while (s->pos < end)
    {
      guint64 from = needed_from (s);
      guint64 until;
      gsize n, done = 0;

      if (from >= end)
        break;
      skip_to (s, from);
      until = run_end (s);
      if (whole && until != G_MAXUINT64 && until > end)
        break;
      n = (gsize)MIN (MIN (until, end) - s->pos, (guint64)READ_CHUNK);
      if (buf == NULL)
        buf = g_malloc (READ_CHUNK);
      while (done < n)
        {
          gssize r = pread (fd, buf + done, n - done, (off_t)(s->pos + done));

          if (r < 0 && errno == EINTR)
            continue;
          if (r <= 0)
            {
              int saved = errno;

              if (!whole)
                {
                  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                               _ ("Could not read the file: %s"),
                               r == 0 ? _ ("it is shorter than it was") : g_strerror (saved));
                  return FALSE;
                }
              if (s->keep)
                stop (s, DOCKET_MP4_PROBLEM_BAD_INDEX, _ ("the index could not be read"));
              return TRUE; /* a header: said "cut short" by the finish */
            }
          done += (gsize)r;
        }
      docket_mp4_stream_feed (s, buf, n);
    }
  return TRUE;
}

gboolean
docket_mp4_stream_feed_file (DocketMp4Stream *s, const gchar *path, guint64 end, GError **error)
{
  int fd;
  gboolean ok;

  if (end <= s->pos)
    return TRUE;
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Could not open “%s”: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  ok = feed_fd (s, fd, end, FALSE, error);
  close (fd);
  /* What was not read is payload the walk does not need. */
  if (ok && s->pos < end)
    skip_to (s, end);
  return ok;
}

static gboolean
cut_short (DocketMp4Stream *s, guint64 file_size, DocketMp4Info *info, GError **error)
{
  info->problem = DOCKET_MP4_PROBLEM_CUT_SHORT;
  if (!s->in_box)
    return _docket_mp4_fail (error, _ ("the file ends in the middle of a box: it was cut short"));
  info->present_percent = _docket_mp4_percent_of (file_size, s->box_start + s->size);
  /* The index is written last unless the camera writes it first. */
  if (!s->have_moov && s->type != FOURCC ('m', 'o', 'o', 'v'))
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                 _ ("The video was cut short at %u %%: the index is missing (the file "
                    "ends at byte %" PRIu64 " but its video data runs to byte %" PRIu64 ")"),
                 info->present_percent, file_size, s->box_start + s->size);
  else
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                 _ ("The video was cut short at %u %%: the rest of its pictures are "
                    "missing (the file ends at byte %" PRIu64 " of %" PRIu64 ")"),
                 info->present_percent, file_size, s->box_start + s->size);
  return FALSE;
}

/* The verdict on a file of @file_size whose bytes from the position on
 * were left out because the walk did not need them. */
static gboolean
judge (DocketMp4Stream *s, guint64 file_size, DocketMp4Info *info, GError **error)
{
  guint64 rest = file_size - s->pos;

  info->file_size = file_size;
  if (!s->stopped && s->in_box && !s->to_end)
    {
      if (s->left > rest)
        return cut_short (s, file_size, info, error);
      g_return_val_if_fail (!s->keep || s->left == 0, FALSE);
      take_payload (s, NULL, s->left);
      rest = file_size - s->pos;
    }
  else if (!s->stopped && s->in_box)
    {
      s->pos = file_size;
      end_box (s);
      rest = 0;
    }
  if (!s->stopped && (s->hdr_have > 0 || rest > 0))
    return cut_short (s, file_size, info, error);
  if (s->verdict != NULL)
    {
      info->problem = s->problem;
      g_propagate_error (error, g_steal_pointer (&s->verdict));
      return FALSE;
    }
  return _docket_mp4_judge (s->have_moov ? s->moov->data : NULL, s->have_moov ? s->moov->len : 0,
                            s->seen_ftyp, file_size, info, error);
}

static gboolean
finish (DocketMp4Stream *s, guint64 file_size, DocketMp4Info *out_info, GError **error)
{
  gboolean ok;

  memset (out_info, 0, sizeof *out_info);
  ok = judge (s, file_size, out_info, error);
  if (!ok)
    {
      docket_mp4_info_clear (out_info);
      if (out_info->problem == DOCKET_MP4_PROBLEM_NONE)
        out_info->problem = DOCKET_MP4_PROBLEM_BAD_INDEX;
    }
  return ok;
}

gboolean
docket_mp4_stream_finish (DocketMp4Stream *s, DocketMp4Info *out_info, GError **error)
{
  return finish (s, s->pos, out_info, error);
}

gboolean
docket_mp4_read_index (const gchar *path, DocketMp4Info *out_info, GError **error)
{
  g_autoptr (DocketMp4Stream) s = docket_mp4_stream_new ();
  GStatBuf st;
  int fd;

  memset (out_info, 0, sizeof *out_info);
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 || fstat (fd, &st) < 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Could not open “%s”: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  (void)feed_fd (s, fd, (guint64)st.st_size, TRUE, NULL);
  close (fd);
  return finish (s, (guint64)st.st_size, out_info, error);
}
