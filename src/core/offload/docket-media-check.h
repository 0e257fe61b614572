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

/* The parse check with its helper started ahead, when the copy starts, so
 * that the helper's start-up and plugin loading overlap the copy: start,
 * then hand over the finished file. NULL: no helper could be started
 * ahead (the check starts one, or runs in-process, as above). Freeing an
 * unused one (cancel, undock) stops its helper; it is one of those
 * docket_media_spawn_kill_all() kills. */
typedef struct _DocketMediaCheckStarted DocketMediaCheckStarted;

DocketMediaCheckStarted *docket_media_check_parse_start (guint timeout_ms);
void docket_media_check_started_free (DocketMediaCheckStarted *started);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketMediaCheckStarted, docket_media_check_started_free)
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

/* Parse, decode and thumbnail camera files in a helper process
 * (docket-media-helper, see docket-media-spawn.h) instead of in this one:
 * the file is untrusted, the decoder's memory leaves with the helper, and
 * a hung decoder can be killed. NULL: in-process (tests, tools). A helper
 * that cannot start falls back to in-process, with a warning. Thread-safe.
 * Also forgets the socket. */
void docket_media_set_helper (const gchar *path);
/* The same helper, asked over its socket (docket-media.socket, see
 * docket-media-socket.h) instead of started here; the helper set with
 * docket_media_set_helper() (called first) is started when the socket
 * cannot be reached. NULL: no socket. */
void docket_media_set_helper_socket (const gchar *socket_path);
/* Caps the time any one helper run may take (0: no cap beyond each check's
 * own). Thread-safe. */
void docket_media_set_max_timeout (guint timeout_ms);
/* The former name of docket_media_set_helper(). */
void docket_media_set_thumbnail_helper (const gchar *path);

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
