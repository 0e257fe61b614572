/* test-offload-media.h — small H.264 MP4s for the offload tests, made with
 * GStreamer on first use and cached in the build tree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kinds: "good" (index at the end), "faststart" (index first),
 * "cut-index-lost" (good, cut short: no index), "cut-index-intact"
 * (faststart, data cut short), "cut-index-intact-patched" (the same with the
 * mdat box resized to the end of the file, so only the sample-table check can
 * tell), "bitflip" (good with damaged video data), "flip-byte" (one byte of
 * a key picture's slice data flipped), "zeros" (64 KiB of video data zeroed), "empty",
 * "random" (random bytes), "mvhd-x10" (the movie header claims ten times the
 * duration), "durations-x10" (every header does).
 * @variant changes the picture, so variants hash differently.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TEST_MEDIA_DURATION_MS 2000

/* NULL (with error) when the encoders are missing: skip the test. */
gchar *test_media_get (const gchar *kind, guint variant, GError **error);

G_END_DECLS
