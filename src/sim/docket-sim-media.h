/* docket-sim-media.h — real H.264/AAC MP4 recordings for simulated cameras
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "docket-sim-camera.h"

G_BEGIN_DECLS

typedef enum
{
  DOCKET_SIM_MEDIA_SMALL, /* 320x240 at 15 fps, a few hundred kbit/s: tests */
  DOCKET_SIM_MEDIA_1080P, /* 1920x1080 at 30 fps, ~8 Mbit/s: demo, benchmarks */
} DocketSimMediaSize;

gboolean docket_sim_media_size_from_string (const gchar *name, DocketSimMediaSize *out_size);

/* Returns the path of a cached clip, generating it with GStreamer first if
 * needed. @cache_dir NULL means $XDG_CACHE_HOME/docket-sim. @variant picks a
 * different test pattern so clips differ. */
gchar *docket_sim_media_ensure (
    const gchar *cache_dir, DocketSimMediaSize size, guint seconds, guint variant, GError **error);

/* Generates (or reuses) a clip and adds it to @camera with its real duration. */
guint32 docket_sim_camera_add_generated (DocketSimCamera *camera,
                                         const gchar *cache_dir,
                                         DocketSimMediaSize size,
                                         guint seconds,
                                         guint variant,
                                         GError **error);

/* When recording @index of @count (oldest first, each @seconds long) starts,
 * for a camera whose clock reads @now_usec: the recordings make
 * @n_incidents incidents of about equal size, twenty minutes apart, their
 * recordings a few seconds apart, as after a real shift. The newest ends a
 * minute before @now_usec. */
gint64 docket_sim_media_shift_start (
    gint64 now_usec, guint index, guint count, guint n_incidents, guint seconds);

/* As docket_sim_camera_add_generated(), started at @start_usec (camera time). */
guint32 docket_sim_camera_add_generated_at (DocketSimCamera *camera,
                                            const gchar *cache_dir,
                                            DocketSimMediaSize size,
                                            guint seconds,
                                            guint variant,
                                            gint64 start_usec,
                                            GError **error);

G_END_DECLS
