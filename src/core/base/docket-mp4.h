/* docket-mp4.h — a small, bounded, defensive reader of MP4/QuickTime indexes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads only the box tree and the sample tables (stts, stsc, stsz, stco/co64)
 * of an untrusted file: every count is checked against the bytes present,
 * every sum against overflow, the index size is capped. It answers two
 * questions a parse-only GStreamer pipeline does not: does every sample lie
 * inside the file, and does the last timestamp match the duration?
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What kind of damage a failed read found (the message says it in words). */
typedef enum
{
  DOCKET_MP4_PROBLEM_NONE,
  DOCKET_MP4_PROBLEM_EMPTY,     /* zero bytes */
  DOCKET_MP4_PROBLEM_NOT_MP4,   /* neither ftyp nor moov */
  DOCKET_MP4_PROBLEM_CUT_SHORT, /* the file ends before its boxes or samples do */
  DOCKET_MP4_PROBLEM_NO_INDEX,  /* no moov, the boxes present are whole */
  DOCKET_MP4_PROBLEM_BAD_INDEX, /* the index itself is damaged */
  DOCKET_MP4_PROBLEM_NO_VIDEO,
} DocketMp4Problem;

typedef struct
{
  guint64 file_size;
  guint64 duration_ms;       /* longest track, from its sample timestamps */
  guint64 movie_duration_ms; /* what the movie header declares */
  gint64 creation_usec;      /* mvhd creation time, Unix epoch; 0 unknown */
  gchar *video_codec;        /* "H.264", "H.265", fourcc otherwise; NULL if no video */
  gchar *audio_codec;
  guint width;
  guint height;
  guint64 video_samples;
  guint64 data_end; /* highest byte any sample reaches */
  gboolean fragmented;
  /* set also when the read fails */
  DocketMp4Problem problem;
  guint present_percent; /* CUT_SHORT: how much of the file is there */
} DocketMp4Info;

void docket_mp4_info_clear (DocketMp4Info *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketMp4Info, docket_mp4_info_clear)

/* Fails with DOCKET_ERROR_INTEGRITY, in plain words, when the file is not
 * an MP4, has no index, or its index points past the end of the file;
 * @out_info->problem then says which. */
gboolean docket_mp4_read_index (const gchar *path, DocketMp4Info *out_info, GError **error);

/* The same check on a file as it is written, in one pass: fed the file's
 * bytes in order (any chunks), it walks the top-level boxes as they pass
 * and keeps only the index's bytes (at most the reader's cap); at the end
 * it gives exactly docket_mp4_read_index()'s verdict on the whole file,
 * without reading it again. Cameras write the index last, so nothing can
 * be said before the end.
 *
 * Threads: one thread at a time. */
typedef struct _DocketMp4Stream DocketMp4Stream;

DocketMp4Stream *docket_mp4_stream_new (void);
void docket_mp4_stream_free (DocketMp4Stream *stream);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketMp4Stream, docket_mp4_stream_free)

/* The next @len bytes of the file. */
void docket_mp4_stream_feed (DocketMp4Stream *stream, const guint8 *data, gsize len);
/* The next bytes up to byte @end from the file @path, when they were
 * written before (a resumed copy): reads only box headers and the index. */
gboolean docket_mp4_stream_feed_file (DocketMp4Stream *stream,
                                      const gchar *path,
                                      guint64 end,
                                      GError **error);
/* How many bytes of the file were fed. */
guint64 docket_mp4_stream_get_position (DocketMp4Stream *stream);
/* docket_mp4_read_index()'s verdict on the file made of the bytes fed. */
gboolean
docket_mp4_stream_finish (DocketMp4Stream *stream, DocketMp4Info *out_info, GError **error);

G_END_DECLS
