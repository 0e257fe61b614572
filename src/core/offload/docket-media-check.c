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
#include "docket-evidence-store.h"
#include "docket-media-ask-private.h"
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

/* As docket_media_run_pipeline(), counting the decoders' warnings (a
 * GstVideoDecoder posts one per frame it could not decode) in @warnings. */
static gboolean
run_pipeline (GstElement *pipeline,
              guint timeout_ms,
              GCancellable *cancellable,
              guint *warnings,
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
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING);
      if (msg == NULL)
        continue;
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING)
        {
          g_autoptr (GError) warning = NULL;

          gst_message_parse_warning (msg, &warning, NULL);
          g_debug ("pipeline warning: %s", warning->message);
          if (warnings != NULL)
            (*warnings)++;
          continue;
        }
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

gboolean
docket_media_run_pipeline (GstElement *pipeline,
                           guint timeout_ms,
                           GCancellable *cancellable,
                           GError **error)
{
  return run_pipeline (pipeline, timeout_ms, cancellable, NULL, error);
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

/* libav reports damaged video data (a flipped bit, zeroed bytes) only in
 * its log, and conceals the damage in the picture: count its errors. The
 * count is process-wide, so deep checks in one process run one at a time
 * (the helper runs exactly one). */
static gint decode_errors; /* (atomic) */
static GMutex deep_lock;

static void
count_decode_errors (GstDebugCategory *category,
                     GstDebugLevel level,
                     const gchar *file,
                     const gchar *function,
                     gint line,
                     GObject *object,
                     GstDebugMessage *message,
                     gpointer user_data)
{
  if (level == GST_LEVEL_ERROR && g_strcmp0 (gst_debug_category_get_name (category), "libav") == 0)
    g_atomic_int_inc (&decode_errors);
}

void
docket_media_count_decode_errors (gboolean quiet)
{
  static gsize once;

  if (g_once_init_enter (&once))
    {
      gst_debug_set_active (TRUE);
      if (gst_debug_category_get_threshold (GST_CAT_DEFAULT) < GST_LEVEL_ERROR)
        gst_debug_set_threshold_for_name ("libav", GST_LEVEL_ERROR);
      if (quiet)
        gst_debug_remove_log_function (gst_debug_log_default);
      gst_debug_add_log_function (count_decode_errors, NULL, NULL);
      g_once_init_leave (&once, 1);
    }
}

/* @fd >= 0: read that (the helper's fd 3), else @path. fdsrc pushes (qtdemux
 * cannot pull from it): in 4 KiB blocks, the default, qtdemux's adapter
 * costs four times the CPU of 1 MiB blocks on a whole file. */
static GstElement *
make_source (const gchar *path, int fd)
{
  GstElement *src = gst_element_factory_make (fd >= 0 ? "fdsrc" : "filesrc", NULL);

  if (src != NULL && fd >= 0)
    g_object_set (src, "fd", fd, "blocksize", 1024 * 1024, NULL);
  else if (src != NULL)
    g_object_set (src, "location", path, NULL);
  return src;
}

static gboolean
run_demux (const gchar *path,
           int fd,
           gboolean decode,
           guint timeout_ms,
           GCancellable *cancellable,
           GError **error)
{
  g_autoptr (GstElement) pipeline = gst_pipeline_new (NULL);
  GstElement *src = make_source (path, fd);
  GstElement *bin = gst_element_factory_make ("qtdemux", NULL);
  guint warnings = 0;
  gint errors_before;
  gint errors;
  gboolean ok;

  if (src == NULL || bin == NULL)
    {
      g_clear_object (&src);
      g_clear_object (&bin);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   _ ("A GStreamer element (%s) is missing"), "qtdemux");
      return FALSE;
    }
  gst_bin_add_many (GST_BIN (pipeline), src, bin, NULL);
  if (!gst_element_link (src, bin))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "could not link the source");
      return FALSE;
    }
  g_signal_connect (bin, "pad-added", G_CALLBACK (on_pad_added), GINT_TO_POINTER (decode));
  if (!decode)
    return run_pipeline (pipeline, timeout_ms, cancellable, NULL, error);

  {
    g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
    gst_bus_set_sync_handler (bus, lower_priority, NULL, NULL);
  }
  docket_media_count_decode_errors (FALSE);
  g_mutex_lock (&deep_lock);
  errors_before = g_atomic_int_get (&decode_errors);
  ok = run_pipeline (pipeline, timeout_ms, cancellable, &warnings, error);
  errors = g_atomic_int_get (&decode_errors) - errors_before;
  g_mutex_unlock (&deep_lock);
  if (ok && (errors > 0 || warnings > 0))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The picture is damaged: decoding the video found %u error in "
                                "its picture data",
                                "The picture is damaged: decoding the video found %u errors in "
                                "its picture data",
                                (gulong)errors + warnings),
                   (guint)errors + warnings);
      return FALSE;
    }
  return ok;
}

/* The verdict of the index check from what the reader found (@read_ok,
 * @mp4). */
static gboolean
judge_index (gboolean read_ok,
             DocketMp4Info *mp4,
             guint64 declared_duration_ms,
             DocketMediaInfo *out_info,
             const gchar **out_condition,
             GError **error)
{
  guint64 diff;

  if (out_condition != NULL)
    *out_condition = NULL;
  if (!read_ok)
    {
      if (out_condition != NULL)
        *out_condition = mp4->problem == DOCKET_MP4_PROBLEM_CUT_SHORT
                                 || mp4->problem == DOCKET_MP4_PROBLEM_NO_INDEX
                             ? DOCKET_CONDITION_INCOMPLETE
                             : DOCKET_CONDITION_NOT_PLAYABLE;
      return FALSE;
    }

  if (!mp4->fragmented)
    {
      /* The last timestamp must reach the end the header and the camera claim. */
      diff = mp4->duration_ms > mp4->movie_duration_ms ? mp4->duration_ms - mp4->movie_duration_ms
                                                       : mp4->movie_duration_ms - mp4->duration_ms;
      if (mp4->movie_duration_ms > 0 && diff > DURATION_TOLERANCE_MS)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                       _ ("The camera recorded it incomplete: its header says it lasts %.1f s "
                          "but its pictures last %.1f s"),
                       mp4->movie_duration_ms / 1000.0, mp4->duration_ms / 1000.0);
          if (out_condition != NULL)
            *out_condition = DOCKET_CONDITION_INCOMPLETE;
          return FALSE;
        }
      diff = mp4->duration_ms > declared_duration_ms ? mp4->duration_ms - declared_duration_ms
                                                     : declared_duration_ms - mp4->duration_ms;
      if (declared_duration_ms > 0 && diff > DURATION_TOLERANCE_MS)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                       _ ("The camera recorded it incomplete: the camera says it lasts %.1f s "
                          "but its pictures last %.1f s"),
                       declared_duration_ms / 1000.0, mp4->duration_ms / 1000.0);
          if (out_condition != NULL)
            *out_condition = DOCKET_CONDITION_INCOMPLETE;
          return FALSE;
        }
    }

  if (out_info != NULL)
    {
      out_info->duration_ms = mp4->duration_ms > 0 ? mp4->duration_ms : mp4->movie_duration_ms;
      out_info->codec = g_steal_pointer (&mp4->video_codec);
      out_info->audio_codec = g_steal_pointer (&mp4->audio_codec);
      out_info->width = mp4->width;
      out_info->height = mp4->height;
      out_info->creation_usec = mp4->creation_usec;
    }
  return TRUE;
}

gboolean
docket_media_check_index_full (const gchar *path,
                               guint64 declared_duration_ms,
                               DocketMediaInfo *out_info,
                               const gchar **out_condition,
                               GError **error)
{
  g_auto (DocketMp4Info) mp4 = { 0 };
  gboolean ok = docket_mp4_read_index (path, &mp4, error);

  return judge_index (ok, &mp4, declared_duration_ms, out_info, out_condition, error);
}

gboolean
docket_media_check_index_stream (DocketMp4Stream *stream,
                                 guint64 declared_duration_ms,
                                 DocketMediaInfo *out_info,
                                 const gchar **out_condition,
                                 GError **error)
{
  g_auto (DocketMp4Info) mp4 = { 0 };
  gboolean ok = docket_mp4_stream_finish (stream, &mp4, error);

  return judge_index (ok, &mp4, declared_duration_ms, out_info, out_condition, error);
}

gboolean
docket_media_check_index (const gchar *path,
                          guint64 declared_duration_ms,
                          DocketMediaInfo *out_info,
                          GError **error)
{
  return docket_media_check_index_full (path, declared_duration_ms, out_info, NULL, error);
}

/* In the helper if there is one; here only in a build without any. */
static gboolean
check (const gchar *mode,
       const gchar *path,
       guint timeout_ms,
       GCancellable *cancellable,
       GError **error)
{
  g_autoptr (GError) local_error = NULL;
  gboolean passed = FALSE;

  if (_docket_media_ask (mode, path, 0, timeout_ms, &passed, NULL, cancellable, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return passed;
    }
  if (local_error != NULL)
    {
      g_warning ("%s; the %s check of %s is not done", local_error->message, mode, path);
      _docket_media_set_unavailable (error, local_error);
      return FALSE;
    }
  g_message ("No media helper: checking %s in-process, inside docketd, without the sandbox", path);
  return run_demux (path, -1, g_str_equal (mode, "deep"), timeout_ms, cancellable, error);
}

gboolean
docket_media_check_parse (const gchar *path,
                          guint timeout_ms,
                          GCancellable *cancellable,
                          GError **error)
{
  return check ("parse", path, timeout_ms, cancellable, error);
}

gboolean
docket_media_check_parse_started (DocketMediaCheckStarted *started,
                                  const gchar *path,
                                  guint timeout_ms,
                                  GCancellable *cancellable,
                                  GError **error)
{
  gboolean passed = FALSE;

  if (started != NULL
      && _docket_media_ask_started (started, path, &timeout_ms, &passed, cancellable, error))
    return passed;
  return check ("parse", path, timeout_ms, cancellable, error);
}

gboolean
docket_media_check_deep (const gchar *path,
                         guint timeout_ms,
                         GCancellable *cancellable,
                         GError **error)
{
  return check ("deep", path, timeout_ms, cancellable, error);
}

/* Explicit, single-threaded decode: decodebin's autoplugging and a
 * frame-threaded decoder cost several frames' time for one picture. Scale
 * in YUV before converting to RGB. @fd >= 0: read it, write the PNG to fd 1. */
static gboolean
thumbnail_local (const gchar *path,
                 int fd,
                 const gchar *png_path,
                 guint width,
                 guint timeout_ms,
                 GCancellable *cancellable,
                 GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  g_autofree gchar *desc = NULL;
  GstElement *src;
  GstElement *sink;
  gboolean ok;

  desc = g_strdup_printf ("%s name=src ! qtdemux name=demux demux.video_0 ! "
                          "h264parse ! avdec_h264 max-threads=1 ! videoscale ! "
                          "video/x-raw,width=%u,pixel-aspect-ratio=1/1 ! videoconvert ! "
                          "pngenc snapshot=true ! %s name=sink",
                          fd >= 0 ? "fdsrc" : "filesrc", width, fd >= 0 ? "fdsink" : "filesink");
  pipeline = gst_parse_launch (desc, &local_error);
  if (pipeline == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   _ ("Thumbnails cannot be made here: %s"), local_error->message);
      return FALSE;
    }
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  if (fd >= 0)
    {
      g_object_set (src, "fd", fd, NULL);
      g_object_set (sink, "fd", 1, "sync", FALSE, NULL);
    }
  else
    {
      g_object_set (src, "location", path, NULL);
      g_object_set (sink, "location", png_path, "sync", FALSE, NULL);
    }
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
  return ok;
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
  g_autoptr (GBytes) png = NULL;
  gboolean passed = FALSE;
  gboolean ok = FALSE;

  if (_docket_media_ask ("thumbnail", path, width, timeout_ms, &passed, &png, cancellable,
                         &local_error))
    {
      if (passed && g_bytes_get_size (png) == 0)
        g_set_error (&local_error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                     _ ("the helper made no picture"));
      else if (passed)
        ok = g_file_set_contents (png_path, g_bytes_get_data (png, NULL),
                                  (gssize)g_bytes_get_size (png), &local_error);
      if (!ok)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          g_prefix_error (error, _ ("Could not make a thumbnail: "));
        }
      return ok;
    }
  if (local_error != NULL)
    {
      _docket_media_set_unavailable (error, local_error);
      g_prefix_error (error, _ ("Could not make a thumbnail: "));
      return FALSE;
    }
  g_message ("No media helper: making the thumbnail of %s in-process, inside docketd, without "
             "the sandbox",
             path);
  if (!thumbnail_local (path, -1, png_path, width, timeout_ms, cancellable, error))
    {
      g_prefix_error (error, _ ("Could not make a thumbnail: "));
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_media_helper_run (int fd, const gchar *mode, guint width, guint timeout_ms, GError **error)
{
  if (g_str_equal (mode, "parse"))
    return run_demux (NULL, fd, FALSE, timeout_ms, NULL, error);
  if (g_str_equal (mode, "deep"))
    return run_demux (NULL, fd, TRUE, timeout_ms, NULL, error);
  if (g_str_equal (mode, "thumbnail"))
    return thumbnail_local (NULL, fd, NULL, width, timeout_ms, NULL, error);
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, "unknown mode %s", mode);
  return FALSE;
}
