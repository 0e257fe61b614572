/* docket-sim-media.c — real H.264/AAC MP4 recordings for simulated cameras
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "docket-error.h"
#include "docket-sim-media.h"

gboolean
docket_sim_media_size_from_string (const gchar *name, DocketSimMediaSize *out_size)
{
  if (g_strcmp0 (name, "small") == 0)
    *out_size = DOCKET_SIM_MEDIA_SMALL;
  else if (g_strcmp0 (name, "1080p") == 0)
    *out_size = DOCKET_SIM_MEDIA_1080P;
  else
    return FALSE;
  return TRUE;
}

static gboolean
run_pipeline (const gchar *description, GError **error)
{
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) msg = NULL;
  gboolean ok = TRUE;

  pipeline = gst_parse_launch (description, error);
  if (pipeline == NULL)
    return FALSE;
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  /* Generous watchdog: a 1080p minute takes a while on two cores. */
  msg = gst_bus_timed_pop_filtered (bus, 600 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (msg == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT, "Generating a clip timed out");
      ok = FALSE;
    }
  else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      g_autoptr (GError) gst_error = NULL;

      gst_message_parse_error (msg, &gst_error, NULL);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "Generating a clip failed: %s",
                   gst_error->message);
      ok = FALSE;
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return ok;
}

gchar *
docket_sim_media_ensure (
    const gchar *cache_dir, DocketSimMediaSize size, guint seconds, guint variant, GError **error)
{
  g_autofree gchar *dir = NULL;
  g_autofree gchar *name = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *tmp = NULL;
  g_autofree gchar *description = NULL;
  gboolean small = size == DOCKET_SIM_MEDIA_SMALL;
  guint fps = small ? 15 : 30;
  guint pattern = variant % 19;

  dir = cache_dir != NULL ? g_strdup (cache_dir)
                          : g_build_filename (g_get_user_cache_dir (), "docket-sim", NULL);
  name = g_strdup_printf ("dcp-%s-%us-v%u.mp4", small ? "small" : "1080p", seconds, variant);
  path = g_build_filename (dir, name, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&path);
  if (g_mkdir_with_parents (dir, 0755) < 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "Cannot create %s: %s", dir,
                   g_strerror (errno));
      return NULL;
    }

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  /* Written under a unique name, then linked in place: parallel tests share
   * the cache. */
  tmp = g_strdup_printf ("%s.%d.%u.tmp", path, (int)getpid (), g_random_int ());
  description = g_strdup_printf (
      "videotestsrc num-buffers=%u pattern=%u ! video/x-raw,width=%u,height=%u,framerate=%u/1 ! "
      "timeoverlay ! x264enc speed-preset=%s bitrate=%u key-int-max=%u ! h264parse ! "
      "mp4mux name=mux ! filesink location=\"%s\" "
      "audiotestsrc num-buffers=%u samplesperbuffer=1024 wave=%u ! audio/x-raw,rate=48000 ! "
      "audioconvert ! voaacenc ! mux.",
      seconds * fps, pattern, small ? 320 : 1920, small ? 240 : 1080, fps,
      small ? "ultrafast" : "superfast", small ? 300 : 8000, fps * 2, tmp,
      seconds * 48000 / 1024 + 1, variant % 5);
  if (!run_pipeline (description, error))
    {
      g_unlink (tmp);
      return NULL;
    }
  /* link(), not rename(): the first clip made wins and never changes under
   * a camera that already hashed it (encodes differ run to run). */
  if (link (tmp, path) < 0 && errno != EEXIST)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "Cannot store %s: %s", path,
                   g_strerror (errno));
      g_unlink (tmp);
      return NULL;
    }
  g_unlink (tmp);
  return g_steal_pointer (&path);
}

guint32
docket_sim_camera_add_generated_at (DocketSimCamera *camera,
                                    const gchar *cache_dir,
                                    DocketSimMediaSize size,
                                    guint seconds,
                                    guint variant,
                                    gint64 start_usec,
                                    GError **error)
{
  g_autofree gchar *path = docket_sim_media_ensure (cache_dir, size, seconds, variant, error);
  g_autofree gchar *name = NULL;

  if (path == NULL)
    return 0;
  name = g_strdup_printf ("VID_%04u.MP4", variant);
  return docket_sim_camera_add_recording_full (camera, path, name, start_usec,
                                               (guint64)seconds * 1000, 0, error);
}

guint32
docket_sim_camera_add_generated (DocketSimCamera *camera,
                                 const gchar *cache_dir,
                                 DocketSimMediaSize size,
                                 guint seconds,
                                 guint variant,
                                 GError **error)
{
  return docket_sim_camera_add_generated_at (camera, cache_dir, size, seconds, variant, 0, error);
}

/* Within an incident the starts are well under a minute apart; between the
 * two, far more than that. */
#define SHIFT_PAUSE_USEC (5 * G_USEC_PER_SEC)
#define SHIFT_BREAK_USEC (20 * 60 * G_USEC_PER_SEC)

gint64
docket_sim_media_shift_start (
    gint64 now_usec, guint index, guint count, guint n_incidents, guint seconds)
{
  gint64 step = (gint64)seconds * G_USEC_PER_SEC + SHIFT_PAUSE_USEC;
  guint incident;

  g_return_val_if_fail (index < count, now_usec);
  n_incidents = CLAMP (n_incidents, 1, count);
  /* 0 for the oldest incident, n_incidents - 1 for the newest. */
  incident = index * n_incidents / count;
  return now_usec - 60 * G_USEC_PER_SEC - (gint64)(count - index) * step
         - (gint64)(n_incidents - 1 - incident) * SHIFT_BREAK_USEC;
}
