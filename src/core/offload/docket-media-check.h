/* docket-media-check.h — is this file really the video the camera recorded?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Blocking; run from worker threads. Every GStreamer pipeline here runs
 * under a watchdog (decoders have been seen to hang after errors), every
 * helper process under a deadline.
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "docket-media-ask.h"
#include "docket-mp4.h"

G_BEGIN_DECLS

#define DOCKET_MEDIA_CHECK_DEFAULT_TIMEOUT_MS 60000

typedef struct
{
  guint64 duration_ms;
  gchar *codec; /* "H.264", ... */
  gchar *audio_codec;
  guint width;
  guint height;
  gint64 creation_usec; /* from the container, 0 unknown */
} DocketMediaInfo;

void docket_media_info_clear (DocketMediaInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketMediaInfo, docket_media_info_clear)

/* Runs @pipeline to EOS. FALSE with DOCKET_ERROR_TIMEOUT when @timeout_ms
 * passes, the pipeline's error (as DOCKET_ERROR_INTEGRITY) otherwise. The
 * pipeline is left in NULL state. */
gboolean docket_media_run_pipeline (GstElement *pipeline,
                                    guint timeout_ms,
                                    GCancellable *cancellable,
                                    GError **error);

/* Container and streams parse to EOS (qtdemux and parsers, no decoding). */
gboolean docket_media_check_parse (const gchar *path,
                                   guint timeout_ms,
                                   GCancellable *cancellable,
                                   GError **error);

/* As docket_media_check_parse() (@started: consumed, may be NULL). The
 * deadline (@timeout_ms as given to the start) counts from the hand-over
 * and bounds the rest: the helper's start-up if not over, the parse, and a
 * fresh helper if the one started ahead is gone. */
gboolean docket_media_check_parse_started (DocketMediaCheckStarted *started,
                                           const gchar *path,
                                           guint timeout_ms,
                                           GCancellable *cancellable,
                                           GError **error);

/* The sample table fits in the file and its last timestamp matches
 * @declared_duration_ms (0: only the container's own duration). Docket's
 * own bounded reader (docket-mp4.c): safe to run in-process. */
gboolean docket_media_check_index (const gchar *path,
                                   guint64 declared_duration_ms,
                                   DocketMediaInfo *out_info,
                                   GError **error);
/* The same; on failure @out_condition says what a bit-exact copy of this
 * file is committed as (DOCKET_CONDITION_INCOMPLETE or _NOT_PLAYABLE). */
gboolean docket_media_check_index_full (const gchar *path,
                                        guint64 declared_duration_ms,
                                        DocketMediaInfo *out_info,
                                        const gchar **out_condition,
                                        GError **error);
/* The same on the bytes fed to @stream while the file was written (the
 * copy), with no read of the file: the stream must have been fed it all. */
gboolean docket_media_check_index_stream (DocketMp4Stream *stream,
                                          guint64 declared_duration_ms,
                                          DocketMediaInfo *out_info,
                                          const gchar **out_condition,
                                          GError **error);

/* First frame as a PNG @width pixels wide. */
gboolean docket_media_make_thumbnail (const gchar *path,
                                      const gchar *png_path,
                                      guint width,
                                      guint timeout_ms,
                                      GCancellable *cancellable,
                                      GError **error);

/* Full decode of every video stream at the lowest CPU priority. Slow
 * (~9 MB/s). Fails with DOCKET_ERROR_INTEGRITY when the decoder meets
 * damaged picture data, which it would otherwise conceal. */
gboolean docket_media_check_deep (const gchar *path,
                                  guint timeout_ms,
                                  GCancellable *cancellable,
                                  GError **error);

/* For docket-media-helper: counts libav's decode errors (logged, not
 * posted) from now on; @quiet: print no GStreamer log to stderr. */
void docket_media_count_decode_errors (gboolean quiet);
/* For docket-media-helper: one check ("parse", "deep", "thumbnail": PNG to
 * fd 1) on @fd, in this process. */
gboolean
docket_media_helper_run (int fd, const gchar *mode, guint width, guint timeout_ms, GError **error);

G_END_DECLS
