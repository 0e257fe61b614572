/* docket-media-check.h — is this file really the video the camera recorded?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Blocking; run from worker threads. Every GStreamer pipeline here runs
 * under a watchdog (decoders have been seen to hang after errors).
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

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

/* Container and streams parse to EOS (parsebin, no decoding). */
gboolean docket_media_check_parse (const gchar *path,
                                   guint timeout_ms,
                                   GCancellable *cancellable,
                                   GError **error);

/* The sample table fits in the file and its last timestamp matches
 * @declared_duration_ms (0: only the container's own duration). */
gboolean docket_media_check_index (const gchar *path,
                                   guint64 declared_duration_ms,
                                   DocketMediaInfo *out_info,
                                   GError **error);

/* Decode thumbnails in a helper process (docket-thumbnailer) instead of in
 * this one: its ~100 MB of decoder leave with it, and a hung decoder can
 * be killed. NULL: decode in-process (the default). Thread-safe. */
void docket_media_set_thumbnail_helper (const gchar *path);

/* First frame as a PNG @width pixels wide. */
gboolean docket_media_make_thumbnail (const gchar *path,
                                      const gchar *png_path,
                                      guint width,
                                      guint timeout_ms,
                                      GCancellable *cancellable,
                                      GError **error);

/* Full decode of every stream at the lowest CPU priority. Slow (~9 MB/s). */
gboolean docket_media_check_deep (const gchar *path,
                                  guint timeout_ms,
                                  GCancellable *cancellable,
                                  GError **error);

G_END_DECLS
