/* docket-mp4-private.h — shared by docket-mp4.c (the index) and docket-mp4-stream.c (the boxes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "docket-mp4.h"

G_BEGIN_DECLS

#define MAX_MOOV_SIZE (64u * 1024 * 1024) /* hours of footage need a few MB */

#define FOURCC(a, b, c, d) ((guint32)(a) << 24 | (guint32)(b) << 16 | (guint32)(c) << 8 | (d))

static inline guint32
be32 (const guint8 *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static inline guint64
be64 (const guint8 *p)
{
  return (guint64)be32 (p) << 32 | be32 (p + 4);
}

/* @part of @whole in whole percent, never "100 %" for a part. */
guint _docket_mp4_percent_of (guint64 part, guint64 whole);
/* "The video's index is damaged: @what"; returns FALSE. */
gboolean _docket_mp4_fail (GError **error, const gchar *what);
/* The verdict once every top-level box of a file of @file_size was found
 * whole: @moov is the index's payload (NULL: there was none). */
gboolean _docket_mp4_judge (const guint8 *moov,
                            gsize moov_len,
                            gboolean seen_ftyp,
                            guint64 file_size,
                            DocketMp4Info *info,
                            GError **error);

G_END_DECLS
