/* docket-media-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <malloc.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-media-check.h"
#include "docket-mp4.h"

/* How far the index's last timestamp may stray from the declared duration:
 * cameras round, audio and video tracks end a frame or two apart. */
#define DURATION_TOLERANCE_MS 1000

static GMutex thumbnail_lock;

void
docket_media_info_clear (DocketMediaInfo *info)
{
  g_clear_pointer (&info->codec, g_free);
  g_clear_pointer (&info->audio_codec, g_free);
}

gboolean
docket_media_run_pipeline (GstElement *pipeline,
                           guint timeout_ms,
                           GCancellable *cancellable,
                           GError **error)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  gboolean ok = FALSE;
  gboolean done = FALSE;

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr (GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      g_autoptr (GError) gst_error = NULL;

      if (msg != NULL)
        gst_message_parse_error (msg, &gst_error, NULL);
      gst_element_set_state (pipeline, GST_STATE_NULL);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("The video could not be read: %s"),
                   gst_error != NULL ? gst_error->message : _ ("the pipeline did not start"));
      return FALSE;
    }

  while (!done)
    {
      g_autoptr (GstMessage) msg = NULL;
      gint64 now = g_get_monotonic_time ();

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      if (now >= deadline)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT,
                       _ ("Checking the video took longer than %u seconds and was stopped"),
                       timeout_ms / 1000);
          break;
        }
      /* Short slices so cancellation is noticed promptly. */
      msg = gst_bus_timed_pop_filtered (bus, MIN (deadline - now, 200 * 1000) * GST_USECOND,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
      if (msg == NULL)
        continue;
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS)
        {
          ok = TRUE;
          done = TRUE;
        }
      else
        {
          g_autoptr (GError) gst_error = NULL;
          g_autofree gchar *debug = NULL;

          gst_message_parse_error (msg, &gst_error, &debug);
          g_debug ("pipeline error: %s (%s)", gst_error->message, debug);
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                       _ ("The video is damaged or incomplete: %s"), gst_error->message);
          done = TRUE;
        }
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return ok;
}

/* Builds "parser [! decoder] ! fakesink" behind each demuxer pad. Only
 * video is decoded in a deep check: that is where damage hides. */
static void
on_pad_added (GstElement *demux, GstPad *pad, gpointer user_data)
{
  g_autoptr (GstElement) pipeline = GST_ELEMENT (gst_element_get_parent (demux));
  gboolean decode = GPOINTER_TO_INT (user_data);
  g_autoptr (GstCaps) caps = gst_pad_get_current_caps (pad);
  const gchar *media
      = caps != NULL ? gst_structure_get_name (gst_caps_get_structure (caps, 0)) : "";
  const gchar *names[3] = { NULL, NULL, NULL };
  GstElement *chain[3] = { NULL, NULL, NULL };
  g_autoptr (GstPad) sinkpad = NULL;
  guint n = 0;
  guint made = 0;

  if (g_str_equal (media, "video/x-h264"))
    {
      names[n++] = "h264parse";
      if (decode)
        names[n++] = "avdec_h264";
    }
  else if (g_str_equal (media, "video/x-h265"))
    {
      names[n++] = "h265parse";
      if (decode)
        names[n++] = "avdec_h265";
    }
  names[n++] = "fakesink";

  for (guint i = 0; i < n; i++)
    {
      GstElement *e = gst_element_factory_make (names[i], NULL);

      if (e == NULL)
        continue; /* a missing parser or decoder narrows the check */
      if (g_str_equal (names[i], "fakesink"))
        g_object_set (e, "sync", FALSE, "async", FALSE, NULL);
      gst_bin_add (GST_BIN (pipeline), e);
      if (made > 0 && !gst_element_link (chain[made - 1], e))
        g_warning ("could not link %s", names[i]);
      chain[made++] = e;
    }
  /* downstream first, so data never reaches a stopped element */
  for (guint i = made; i > 0; i--)
    gst_element_sync_state_with_parent (chain[i - 1]);
  sinkpad = gst_element_get_static_pad (chain[0], "sink");
  if (gst_pad_link (pad, sinkpad) != GST_PAD_LINK_OK)
    g_warning ("could not link %s", GST_PAD_NAME (pad));
}

/* Runs in each streaming thread as it starts: deep checks must not slow
 * offloads or the kiosk. */
static GstBusSyncReply
lower_priority (GstBus *bus, GstMessage *msg, gpointer user_data)
{
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_STREAM_STATUS)
    {
      GstStreamStatusType type;
      GstElement *owner;

      gst_message_parse_stream_status (msg, &type, &owner);
      if (type == GST_STREAM_STATUS_TYPE_ENTER)
        (void)setpriority (PRIO_PROCESS, (id_t)syscall (SYS_gettid), 19);
    }
  return GST_BUS_PASS;
}

static gboolean
run_demux (
    const gchar *path, gboolean decode, guint timeout_ms, GCancellable *cancellable, GError **error)
{
  g_autoptr (GstElement) pipeline = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("filesrc", NULL);
  GstElement *bin = gst_element_factory_make ("qtdemux", NULL);

  if (src == NULL || bin == NULL)
    {
      g_clear_object (&src);
      g_clear_object (&bin);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   _ ("A GStreamer element (%s) is missing"), "qtdemux");
      return FALSE;
    }
  g_object_set (src, "location", path, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, bin, NULL);
  if (!gst_element_link (src, bin))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "could not link filesrc");
      return FALSE;
    }
  g_signal_connect (bin, "pad-added", G_CALLBACK (on_pad_added), GINT_TO_POINTER (decode));
  if (decode)
    {
      g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
      gst_bus_set_sync_handler (bus, lower_priority, NULL, NULL);
    }
  return docket_media_run_pipeline (pipeline, timeout_ms, cancellable, error);
}

gboolean
docket_media_check_parse (const gchar *path,
                          guint timeout_ms,
                          GCancellable *cancellable,
                          GError **error)
{
  return run_demux (path, FALSE, timeout_ms, cancellable, error);
}

gboolean
docket_media_check_deep (const gchar *path,
                         guint timeout_ms,
                         GCancellable *cancellable,
                         GError **error)
{
  return run_demux (path, TRUE, timeout_ms, cancellable, error);
}

gboolean
docket_media_check_index (const gchar *path,
                          guint64 declared_duration_ms,
                          DocketMediaInfo *out_info,
                          GError **error)
{
  g_auto (DocketMp4Info) mp4 = { 0 };
  guint64 diff;

  if (!docket_mp4_read_index (path, &mp4, error))
    return FALSE;

  if (!mp4.fragmented)
    {
      /* The last timestamp must reach the end the header and the camera claim. */
      diff = mp4.duration_ms > mp4.movie_duration_ms ? mp4.duration_ms - mp4.movie_duration_ms
                                                     : mp4.movie_duration_ms - mp4.duration_ms;
      if (mp4.movie_duration_ms > 0 && diff > DURATION_TOLERANCE_MS)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                       _ ("The video is incomplete: its frames last %" PRIu64
                          " ms but its header says %" PRIu64 " ms"),
                       mp4.duration_ms, mp4.movie_duration_ms);
          return FALSE;
        }
      diff = mp4.duration_ms > declared_duration_ms ? mp4.duration_ms - declared_duration_ms
                                                    : declared_duration_ms - mp4.duration_ms;
      if (declared_duration_ms > 0 && diff > DURATION_TOLERANCE_MS)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                       _ ("The video is incomplete: it lasts %" PRIu64
                          " ms but the camera recorded %" PRIu64 " ms"),
                       mp4.duration_ms, declared_duration_ms);
          return FALSE;
        }
    }

  if (out_info != NULL)
    {
      out_info->duration_ms = mp4.duration_ms > 0 ? mp4.duration_ms : mp4.movie_duration_ms;
      out_info->codec = g_steal_pointer (&mp4.video_codec);
      out_info->audio_codec = g_steal_pointer (&mp4.audio_codec);
      out_info->width = mp4.width;
      out_info->height = mp4.height;
      out_info->creation_usec = mp4.creation_usec;
    }
  return TRUE;
}

static gchar *thumbnail_helper; /* (mutex thumbnail_lock) */

void
docket_media_set_thumbnail_helper (const gchar *path)
{
  g_mutex_lock (&thumbnail_lock);
  g_free (thumbnail_helper);
  thumbnail_helper = g_strdup (path);
  g_mutex_unlock (&thumbnail_lock);
}

/* Runs the helper; kills it when @timeout_ms passes or on cancellation. */
static gboolean
thumbnail_in_helper (const gchar *helper,
                     const gchar *path,
                     const gchar *png_path,
                     guint width,
                     guint timeout_ms,
                     GCancellable *cancellable,
                     GError **error)
{
  g_autofree gchar *width_arg = g_strdup_printf ("%u", width);
  g_autofree gchar *timeout_arg = g_strdup_printf ("%u", timeout_ms);
  const gchar *argv[] = { helper, path, png_path, width_arg, timeout_arg, NULL };
  g_autoptr (GSubprocess) proc = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  g_autofree gchar *err_text = NULL;

  proc = g_subprocess_newv (
      argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
  if (proc == NULL)
    return FALSE;
  /* The identifier goes NULL once GLib has reaped the child. */
  while (g_subprocess_get_identifier (proc) != NULL)
    {
      if (g_cancellable_is_cancelled (cancellable) || g_get_monotonic_time () > deadline)
        {
          g_subprocess_force_exit (proc);
          (void)g_subprocess_wait (proc, NULL, NULL);
          if (!g_cancellable_set_error_if_cancelled (cancellable, error))
            g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT,
                         _ ("Making a thumbnail took longer than %u seconds and was stopped"),
                         timeout_ms / 1000);
          return FALSE;
        }
      g_usleep (10 * 1000);
    }
  (void)g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err_text, NULL);
  if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
    {
      const gchar *prefix = _ ("Could not make a thumbnail: ");

      /* the helper's message carries the prefix the caller adds again */
      if (err_text != NULL && g_str_has_prefix (err_text, prefix))
        memmove (err_text, err_text + strlen (prefix), strlen (err_text) - strlen (prefix) + 1);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY, "%s",
                   err_text != NULL && *err_text != '\0' ? g_strstrip (err_text)
                                                         : _ ("the thumbnail helper failed"));
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_media_make_thumbnail (const gchar *path,
                             const gchar *png_path,
                             guint width,
                             guint timeout_ms,
                             GCancellable *cancellable,
                             GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  g_autofree gchar *desc = NULL;
  g_autofree gchar *helper = NULL;
  GstElement *src;
  GstElement *sink;
  gboolean ok;

  g_mutex_lock (&thumbnail_lock);
  helper = g_strdup (thumbnail_helper);
  g_mutex_unlock (&thumbnail_lock);
  if (helper != NULL)
    {
      /* at most one helper per CPU: each costs ~100 MB while it runs */
      static GMutex helpers_lock;
      static GCond helpers_cond;
      static guint helpers_running;
      guint max_helpers = MAX (1, g_get_num_processors ());

      g_mutex_lock (&helpers_lock);
      while (helpers_running >= max_helpers)
        g_cond_wait (&helpers_cond, &helpers_lock);
      helpers_running++;
      g_mutex_unlock (&helpers_lock);
      ok = thumbnail_in_helper (helper, path, png_path, width, timeout_ms, cancellable, error);
      g_mutex_lock (&helpers_lock);
      helpers_running--;
      g_cond_signal (&helpers_cond);
      g_mutex_unlock (&helpers_lock);
      if (!ok)
        g_prefix_error (error, _ ("Could not make a thumbnail: "));
      return ok;
    }

  /* Explicit, single-threaded decode: decodebin's autoplugging and a
   * frame-threaded decoder cost several frames' time for one picture. Scale
   * in YUV before converting to RGB. */
  desc = g_strdup_printf ("filesrc name=src ! qtdemux name=demux demux.video_0 ! "
                          "h264parse ! avdec_h264 max-threads=1 ! videoscale ! "
                          "video/x-raw,width=%u,pixel-aspect-ratio=1/1 ! videoconvert ! "
                          "pngenc snapshot=true ! filesink name=sink",
                          width);
  pipeline = gst_parse_launch (desc, &local_error);
  if (pipeline == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   _ ("Thumbnails cannot be made here: %s"), local_error->message);
      return FALSE;
    }
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (src, "location", path, NULL);
  g_object_set (sink, "location", png_path, "sync", FALSE, NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  /* One decoder at a time in the whole process: a 1080p H.264 decoder costs
   * ~60 MB, and eight cameras finishing together must not cost eight. */
  g_mutex_lock (&thumbnail_lock);
  ok = docket_media_run_pipeline (pipeline, timeout_ms, cancellable, error);
  g_clear_object (&pipeline);
  /* The decoder's frames were allocated in a streaming thread's malloc
   * arena, which glibc would otherwise keep resident. */
  malloc_trim (0);
  g_mutex_unlock (&thumbnail_lock);
  if (!ok)
    {
      g_prefix_error (error, _ ("Could not make a thumbnail: "));
      return FALSE;
    }
  return TRUE;
}
