/* docket-mp4.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-mp4-private.h"

#define MAX_DEPTH 8
#define MP4_EPOCH_OFFSET G_GINT64_CONSTANT (2082844800) /* 1904-01-01 to 1970-01-01, s */

typedef struct
{
  const guint8 *data;
  gsize len;
} Span;

typedef struct
{
  guint32 handler;
  guint32 timescale;
  guint32 fourcc;
  guint width;
  guint height;
  Span stts, stsc, stsz, stco;
  gboolean co64;
} Track;

typedef struct
{
  DocketMp4Info *info;
  guint32 movie_timescale;
  guint64 movie_duration;
  GError **error;
} Parser;

void
docket_mp4_info_clear (DocketMp4Info *info)
{
  g_clear_pointer (&info->video_codec, g_free);
  g_clear_pointer (&info->audio_codec, g_free);
}

guint
_docket_mp4_percent_of (guint64 part, guint64 whole)
{
  guint p = whole == 0 ? 0 : (guint)MIN (100.0, 100.0 * (gdouble)part / (gdouble)whole + 0.5);

  return part < whole ? MIN (p, 99u) : p; /* never "cut short at 100 %" */
}

gboolean
_docket_mp4_fail (GError **error, const gchar *what)
{
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY, _ ("The video's index is damaged: %s"),
               what);
  return FALSE;
}

static gchar *
fourcc_name (guint32 fourcc)
{
  switch (fourcc)
    {
      case FOURCC ('a', 'v', 'c', '1'):
      case FOURCC ('a', 'v', 'c', '3'):
        return g_strdup ("H.264");
      case FOURCC ('h', 'v', 'c', '1'):
      case FOURCC ('h', 'e', 'v', '1'):
        return g_strdup ("H.265");
      case FOURCC ('m', 'p', '4', 'a'):
        return g_strdup ("AAC");
      default:
        {
          gchar s[5];
          for (guint i = 0; i < 4; i++)
            {
              guint8 c = (guint8)(fourcc >> (24 - 8 * i));
              s[i] = g_ascii_isprint (c) ? (gchar)c : '?';
            }
          s[4] = '\0';
          return g_strdup (s);
        }
    }
}

/* ticks → ms without overflowing for any 64-bit tick count */
static guint64
ticks_to_ms (guint64 ticks, guint32 timescale)
{
  return ticks / timescale * 1000 + (ticks % timescale) * 1000 / timescale;
}

/* Reads a box header inside @span at @off. */
static gboolean
box_at (Span span, gsize off, Span *out_payload, guint32 *out_type, gsize *out_size)
{
  guint64 size;
  gsize hdr = 8;

  if (span.len - off < 8)
    return FALSE;
  size = be32 (span.data + off);
  *out_type = be32 (span.data + off + 4);
  if (size == 1)
    {
      if (span.len - off < 16)
        return FALSE;
      size = be64 (span.data + off + 8);
      hdr = 16;
    }
  else if (size == 0)
    size = span.len - off;
  if (size < hdr || size > span.len - off)
    return FALSE;
  out_payload->data = span.data + off + hdr;
  out_payload->len = (gsize)size - hdr;
  *out_size = (gsize)size;
  return TRUE;
}

static gboolean
check_track (Parser *p, Track *t)
{
  DocketMp4Info *info = p->info;
  guint64 sample_count, sample_size, n_chunks, n_stts, n_stsc;
  guint64 stts_samples = 0, ticks = 0, sample = 0;
  guint64 duration_ms;

  if (t->stsz.data == NULL || t->stco.data == NULL || t->stts.data == NULL || t->stsc.data == NULL)
    {
      if (info->fragmented)
        return TRUE; /* samples live in fragments */
      return _docket_mp4_fail (p->error, _ ("a track has no sample table"));
    }
  if (t->timescale == 0)
    return _docket_mp4_fail (p->error, _ ("a track has no time scale"));

  /* stsz: version/flags, sample_size, sample_count, [sizes] */
  if (t->stsz.len < 12)
    return _docket_mp4_fail (p->error, _ ("sample sizes are truncated"));
  sample_size = be32 (t->stsz.data + 4);
  sample_count = be32 (t->stsz.data + 8);
  if (sample_size == 0 && (t->stsz.len - 12) / 4 < sample_count)
    return _docket_mp4_fail (p->error, _ ("sample sizes are truncated"));

  /* stts: the timestamps */
  if (t->stts.len < 8)
    return _docket_mp4_fail (p->error, _ ("timestamps are truncated"));
  n_stts = be32 (t->stts.data + 4);
  if ((t->stts.len - 8) / 8 < n_stts)
    return _docket_mp4_fail (p->error, _ ("timestamps are truncated"));
  for (guint64 i = 0; i < n_stts; i++)
    {
      guint64 count = be32 (t->stts.data + 8 + 8 * i);
      guint64 delta = be32 (t->stts.data + 12 + 8 * i);

      stts_samples += count;
      if (count * delta > G_MAXUINT64 - ticks)
        return _docket_mp4_fail (p->error, _ ("timestamps overflow"));
      ticks += count * delta;
    }
  if (stts_samples != sample_count)
    return _docket_mp4_fail (p->error, _ ("timestamps and samples do not agree"));

  /* stco/co64 and stsc: where each chunk's samples are */
  if (t->stco.len < 8 || t->stsc.len < 8)
    return _docket_mp4_fail (p->error, _ ("chunk tables are truncated"));
  n_chunks = be32 (t->stco.data + 4);
  if ((t->stco.len - 8) / (t->co64 ? 8 : 4) < n_chunks)
    return _docket_mp4_fail (p->error, _ ("chunk offsets are truncated"));
  n_stsc = be32 (t->stsc.data + 4);
  if ((t->stsc.len - 8) / 12 < n_stsc || (n_stsc == 0 && sample_count > 0))
    return _docket_mp4_fail (p->error, _ ("the sample-to-chunk table is truncated"));

  for (guint64 e = 0; e < n_stsc; e++)
    {
      const guint8 *row = t->stsc.data + 8 + 12 * e;
      guint64 first = be32 (row);
      guint64 per_chunk = be32 (row + 4);
      guint64 last = e + 1 < n_stsc ? (guint64)be32 (row + 12) - 1 : n_chunks;

      if (first < 1 || first > last + 1 || last > n_chunks)
        return _docket_mp4_fail (p->error, _ ("the sample-to-chunk table is inconsistent"));
      for (guint64 c = first - 1; c < last; c++)
        {
          guint64 off = t->co64 ? be64 (t->stco.data + 8 + 8 * c) : be32 (t->stco.data + 8 + 4 * c);

          if (per_chunk > sample_count - sample)
            return _docket_mp4_fail (p->error, _ ("chunks hold more samples than the track has"));
          if (sample_size != 0)
            {
              if (per_chunk > 0 && sample_size > (G_MAXUINT64 - off) / per_chunk)
                return _docket_mp4_fail (p->error, _ ("a chunk runs past any possible file size"));
              off += per_chunk * sample_size;
            }
          else
            for (guint64 s = 0; s < per_chunk; s++)
              {
                guint64 sz = be32 (t->stsz.data + 12 + 4 * (sample + s));
                if (sz > G_MAXUINT64 - off)
                  return _docket_mp4_fail (p->error,
                                           _ ("a sample runs past any possible file size"));
                off += sz;
              }
          sample += per_chunk;
          if (per_chunk > 0)
            info->data_end = MAX (info->data_end, off);
        }
    }
  if (sample != sample_count)
    return _docket_mp4_fail (p->error, _ ("chunks and samples do not agree"));

  duration_ms = ticks_to_ms (ticks, t->timescale);
  info->duration_ms = MAX (info->duration_ms, duration_ms);
  if (t->handler == FOURCC ('v', 'i', 'd', 'e'))
    info->video_samples += sample_count;
  return TRUE;
}

static gboolean parse_children (Parser *p, Span span, guint depth, Track *track);

static gboolean
parse_box (Parser *p, guint32 type, Span b, guint depth, Track *track)
{
  DocketMp4Info *info = p->info;

  switch (type)
    {
      case FOURCC ('m', 'o', 'o', 'v'):
      case FOURCC ('m', 'd', 'i', 'a'):
      case FOURCC ('m', 'i', 'n', 'f'):
      case FOURCC ('s', 't', 'b', 'l'):
        return parse_children (p, b, depth + 1, track);
      case FOURCC ('m', 'v', 'e', 'x'):
        info->fragmented = TRUE;
        return TRUE;
      case FOURCC ('t', 'r', 'a', 'k'):
        {
          Track t = { 0 };
          if (track != NULL)
            return _docket_mp4_fail (p->error, _ ("tracks are nested"));
          if (!parse_children (p, b, depth + 1, &t) || !check_track (p, &t))
            return FALSE;
          if (t.handler == FOURCC ('v', 'i', 'd', 'e') && info->video_codec == NULL)
            {
              info->video_codec = fourcc_name (t.fourcc);
              info->width = t.width;
              info->height = t.height;
            }
          else if (t.handler == FOURCC ('s', 'o', 'u', 'n') && info->audio_codec == NULL)
            info->audio_codec = fourcc_name (t.fourcc);
          return TRUE;
        }
      case FOURCC ('m', 'v', 'h', 'd'):
      case FOURCC ('m', 'd', 'h', 'd'):
        {
          gboolean v1 = b.len >= 1 && b.data[0] == 1;
          guint64 created;
          guint32 timescale;
          guint64 duration;

          if (b.len < (v1 ? 32u : 20u))
            return _docket_mp4_fail (p->error, _ ("a header is truncated"));
          created = v1 ? be64 (b.data + 4) : be32 (b.data + 4);
          timescale = be32 (b.data + (v1 ? 20 : 12));
          duration = v1 ? be64 (b.data + 24) : be32 (b.data + 16);
          if (type == FOURCC ('m', 'd', 'h', 'd'))
            {
              if (track != NULL)
                track->timescale = timescale;
              return TRUE;
            }
          p->movie_timescale = timescale;
          p->movie_duration = duration;
          if (created > (guint64)MP4_EPOCH_OFFSET && created < G_MAXINT64 / G_USEC_PER_SEC)
            info->creation_usec = ((gint64)created - MP4_EPOCH_OFFSET) * G_USEC_PER_SEC;
          return TRUE;
        }
      case FOURCC ('h', 'd', 'l', 'r'):
        if (track != NULL && b.len >= 12)
          track->handler = be32 (b.data + 8);
        return TRUE;
      case FOURCC ('s', 't', 's', 'd'):
        if (track != NULL && b.len >= 16)
          {
            guint32 entry_size = be32 (b.data + 8);
            track->fourcc = be32 (b.data + 12);
            /* visual sample entry: width/height at 32/34 from the entry start */
            if (entry_size >= 36 && b.len >= 8 + 36)
              {
                track->width = (guint)(b.data[8 + 32] << 8 | b.data[8 + 33]);
                track->height = (guint)(b.data[8 + 34] << 8 | b.data[8 + 35]);
              }
          }
        return TRUE;
      case FOURCC ('s', 't', 't', 's'):
        if (track != NULL)
          track->stts = b;
        return TRUE;
      case FOURCC ('s', 't', 's', 'c'):
        if (track != NULL)
          track->stsc = b;
        return TRUE;
      case FOURCC ('s', 't', 's', 'z'):
        if (track != NULL)
          track->stsz = b;
        return TRUE;
      case FOURCC ('s', 't', 'c', 'o'):
      case FOURCC ('c', 'o', '6', '4'):
        if (track != NULL)
          {
            track->stco = b;
            track->co64 = type == FOURCC ('c', 'o', '6', '4');
          }
        return TRUE;
      default:
        return TRUE;
    }
}

static gboolean
parse_children (Parser *p, Span span, guint depth, Track *track)
{
  gsize off = 0;

  if (depth > MAX_DEPTH)
    return _docket_mp4_fail (p->error, _ ("boxes are nested too deeply"));
  while (off + 8 <= span.len)
    {
      Span payload;
      guint32 type;
      gsize size;

      if (!box_at (span, off, &payload, &type, &size))
        return _docket_mp4_fail (p->error, _ ("a box overruns its parent"));
      if (!parse_box (p, type, payload, depth, track))
        return FALSE;
      off += size;
    }
  return TRUE;
}

gboolean
_docket_mp4_judge (const guint8 *moov,
                   gsize moov_len,
                   gboolean seen_ftyp,
                   guint64 file_size,
                   DocketMp4Info *info,
                   GError **error)
{
  Parser p = { info, 0, 0, error };

  if (file_size == 0)
    {
      info->problem = DOCKET_MP4_PROBLEM_EMPTY;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("The file is empty: the camera saved no video in it"));
      return FALSE;
    }
  if (!seen_ftyp && moov == NULL)
    {
      info->problem = DOCKET_MP4_PROBLEM_NOT_MP4;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("This is not an MP4 video file: its first bytes are not a video header"));
      return FALSE;
    }
  if (moov == NULL)
    {
      info->problem = DOCKET_MP4_PROBLEM_NO_INDEX;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("The video file has no index (moov): it was cut short or never finished"));
      return FALSE;
    }
  if (!parse_box (&p, FOURCC ('m', 'o', 'o', 'v'), (Span){ moov, moov_len }, 0, NULL))
    {
      info->problem = DOCKET_MP4_PROBLEM_BAD_INDEX;
      return FALSE;
    }
  if (p.movie_timescale != 0)
    info->movie_duration_ms = ticks_to_ms (p.movie_duration, p.movie_timescale);
  if (info->data_end > file_size)
    {
      info->problem = DOCKET_MP4_PROBLEM_CUT_SHORT;
      info->present_percent = _docket_mp4_percent_of (file_size, info->data_end);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("The video was cut short at %u %%: its index points to byte %" PRIu64
                      " but the file ends at byte %" PRIu64),
                   info->present_percent, info->data_end, file_size);
      return FALSE;
    }
  if (info->video_codec == NULL)
    {
      info->problem = DOCKET_MP4_PROBLEM_NO_VIDEO;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("The video file has no video track"));
      return FALSE;
    }
  return TRUE;
}
