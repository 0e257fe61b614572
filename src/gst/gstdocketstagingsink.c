/* gstdocketstagingsink.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/**
 * SECTION:element-docketstagingsink
 * @title: docketstagingsink
 *
 * Writes the stream to #GstDocketStagingSink:location, truncating it or, with
 * #GstDocketStagingSink:append, continuing a partial copy. At EOS the data
 * is fdatasync'd before EOS goes on, so an EOS message on the bus means the
 * bytes are on disk. A full disk is reported as a RESOURCE/NO_SPACE_LEFT
 * error.
 *
 * While the stream runs, every #GstDocketStagingSink:sync-every bytes the
 * sink starts the disk writing what it has written so far
 * (sync_file_range(), without waiting for it to finish; it can block while
 * the disk's queue is full, which the queue before the sink absorbs): the
 * kernel would otherwise keep a whole recording dirty in memory until the
 * fdatasync at EOS, which then writes all of it while the camera sits
 * idle. The fdatasync at EOS is still what makes the copy durable; this
 * only leaves it less to do.
 *
 * With #GstDocketStagingSink:sync-at-eos off, EOS only starts the writing
 * of the rest and goes on at once: for a caller that makes the file durable
 * itself later (the evidence store fsyncs each file before it enters the
 * store), so the source can start its next stream while the disk catches up.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=clip.mp4 ! docketsha256 ! docketstagingsink
 * location=/tmp/clip.part
 * ]|
 */
#define _GNU_SOURCE /* sync_file_range */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gstdocketstagingsink.h"

GST_DEBUG_CATEGORY_STATIC (docket_staging_sink_debug);
#define GST_CAT_DEFAULT docket_staging_sink_debug

struct _GstDocketStagingSink
{
  GstBaseSink parent_instance;

  /* (object lock) */
  gchar *location;
  gboolean append;
  guint64 sync_every;
  gboolean sync_at_eos;
  guint64 bytes_written;
  guint64 bytes_flushed;

  /* streaming thread */
  int fd;
  guint64 streaming_sync_every; /* 0: no writeback before EOS */
  gboolean streaming_sync_at_eos;
  guint64 file_pos;   /* where the next write lands in the file */
  guint64 flushed_to; /* writeback started for the file up to here */
};

#define DEFAULT_SYNC_EVERY (8 * 1024 * 1024)

enum
{
  PROP_0,
  PROP_LOCATION,
  PROP_APPEND,
  PROP_BYTES_WRITTEN,
  PROP_SYNC_EVERY,
  PROP_BYTES_FLUSHED,
  PROP_SYNC_AT_EOS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GstStaticPadTemplate sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_DEFINE_FINAL_TYPE (GstDocketStagingSink, gst_docket_staging_sink, GST_TYPE_BASE_SINK)
GST_ELEMENT_REGISTER_DEFINE (docketstagingsink,
                             "docketstagingsink",
                             GST_RANK_NONE,
                             GST_TYPE_DOCKET_STAGING_SINK);

static void
gst_docket_staging_sink_set_property (GObject *object,
                                      guint prop_id,
                                      const GValue *value,
                                      GParamSpec *pspec)
{
  GstDocketStagingSink *self = GST_DOCKET_STAGING_SINK (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id)
    {
      case PROP_LOCATION:
        g_free (self->location);
        self->location = g_value_dup_string (value);
        break;
      case PROP_APPEND:
        self->append = g_value_get_boolean (value);
        break;
      case PROP_SYNC_EVERY:
        self->sync_every = g_value_get_uint64 (value);
        break;
      case PROP_SYNC_AT_EOS:
        self->sync_at_eos = g_value_get_boolean (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_docket_staging_sink_get_property (GObject *object,
                                      guint prop_id,
                                      GValue *value,
                                      GParamSpec *pspec)
{
  GstDocketStagingSink *self = GST_DOCKET_STAGING_SINK (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id)
    {
      case PROP_LOCATION:
        g_value_set_string (value, self->location);
        break;
      case PROP_APPEND:
        g_value_set_boolean (value, self->append);
        break;
      case PROP_BYTES_WRITTEN:
        g_value_set_uint64 (value, self->bytes_written);
        break;
      case PROP_SYNC_EVERY:
        g_value_set_uint64 (value, self->sync_every);
        break;
      case PROP_BYTES_FLUSHED:
        g_value_set_uint64 (value, self->bytes_flushed);
        break;
      case PROP_SYNC_AT_EOS:
        g_value_set_boolean (value, self->sync_at_eos);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_docket_staging_sink_finalize (GObject *object)
{
  GstDocketStagingSink *self = GST_DOCKET_STAGING_SINK (object);

  if (self->fd >= 0)
    close (self->fd);
  g_free (self->location);
  G_OBJECT_CLASS (gst_docket_staging_sink_parent_class)->finalize (object);
}

static gboolean
gst_docket_staging_sink_start (GstBaseSink *sink)
{
  GstDocketStagingSink *self = GST_DOCKET_STAGING_SINK (sink);
  g_autofree gchar *location = NULL;
  gboolean append;

  GST_OBJECT_LOCK (self);
  location = g_strdup (self->location);
  append = self->append;
  self->streaming_sync_every = self->sync_every;
  self->streaming_sync_at_eos = self->sync_at_eos;
  self->bytes_written = 0;
  self->bytes_flushed = 0;
  GST_OBJECT_UNLOCK (self);

  if (location == NULL)
    {
      GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND, ("No staging file was given."), (NULL));
      return FALSE;
    }
  self->fd = g_open (
      location, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (append ? O_APPEND : O_TRUNC), 0600);
  if (self->fd < 0)
    {
      int saved = errno;
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE,
                         ("Could not open the staging file “%s”: %s", location, g_strerror (saved)),
                         (NULL));
      return FALSE;
    }
  if (append)
    {
      off_t end = lseek (self->fd, 0, SEEK_END);

      self->file_pos = end > 0 ? (guint64)end : 0;
    }
  else
    self->file_pos = 0;
  self->flushed_to = self->file_pos;
  return TRUE;
}

/* Starts the disk writing what was written since the last call, once that
 * is @at_least bytes (0: never), without waiting for it; durability is
 * still a sync of the whole file (at EOS, or the caller's). A file system
 * that cannot (EINVAL, ENOSYS) is left to that sync. */
static void
start_writeback (GstDocketStagingSink *self, guint64 at_least)
{
  guint64 len = self->file_pos - self->flushed_to;

  if (at_least == 0 || len < at_least)
    return;
  if (sync_file_range (self->fd, (off64_t)self->flushed_to, (off64_t)len, SYNC_FILE_RANGE_WRITE)
      < 0)
    {
      GST_DEBUG_OBJECT (self, "sync_file_range: %s; the final sync writes it all",
                        g_strerror (errno));
      self->streaming_sync_every = 0;
      return;
    }
  self->flushed_to = self->file_pos;
  GST_OBJECT_LOCK (self);
  self->bytes_flushed += len;
  GST_OBJECT_UNLOCK (self);
}

static gboolean
gst_docket_staging_sink_stop (GstBaseSink *sink)
{
  GstDocketStagingSink *self = GST_DOCKET_STAGING_SINK (sink);

  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
  return TRUE;
}

static void
post_write_error (GstDocketStagingSink *self, int err, const gchar *what)
{
  if (err == ENOSPC || err == EDQUOT)
    GST_ELEMENT_ERROR (self, RESOURCE, NO_SPACE_LEFT, ("The evidence store's disk is full."),
                       ("%s: %s", what, g_strerror (err)));
  else
    GST_ELEMENT_ERROR (self, RESOURCE, WRITE,
                       ("Could not write the staging file: %s", g_strerror (err)), ("%s", what));
}

static GstFlowReturn
gst_docket_staging_sink_render (GstBaseSink *sink, GstBuffer *buf)
{
  GstDocketStagingSink *self = GST_DOCKET_STAGING_SINK (sink);
  guint n = gst_buffer_n_memory (buf);

  for (guint i = 0; i < n; i++)
    {
      GstMemory *mem = gst_buffer_peek_memory (buf, i);
      GstMapInfo map;
      gsize done = 0;

      if (!gst_memory_map (mem, &map, GST_MAP_READ))
        return GST_FLOW_ERROR;
      if (self->bytes_written == 0)
        GST_INFO_OBJECT (self, "first write");
      while (done < map.size)
        {
          gssize w = write (self->fd, map.data + done, map.size - done);
          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            {
              int saved = errno;
              gst_memory_unmap (mem, &map);
              post_write_error (self, saved, "write");
              return GST_FLOW_ERROR;
            }
          done += (gsize)w;
        }
      gst_memory_unmap (mem, &map);
      self->file_pos += done;
      GST_OBJECT_LOCK (self);
      self->bytes_written += done;
      GST_OBJECT_UNLOCK (self);
    }
  start_writeback (self, self->streaming_sync_every);
  return GST_FLOW_OK;
}

static gboolean
gst_docket_staging_sink_event (GstBaseSink *sink, GstEvent *event)
{
  GstDocketStagingSink *self = GST_DOCKET_STAGING_SINK (sink);

  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS && self->fd >= 0 && !self->streaming_sync_at_eos)
    {
      /* The rest started, not waited for: whoever makes the file durable
       * finds less to write. Errors surface at that later fsync. */
      start_writeback (self, 1);
      GST_INFO_OBJECT (self, "EOS without fdatasync: the caller syncs the file");
    }
  else if (GST_EVENT_TYPE (event) == GST_EVENT_EOS && self->fd >= 0)
    {
      gint64 t0 = g_get_monotonic_time ();

      if (fdatasync (self->fd) < 0)
        {
          post_write_error (self, errno, "fdatasync");
          gst_event_unref (event);
          return FALSE;
        }
      GST_INFO_OBJECT (self, "fdatasync at EOS %.3f s", (g_get_monotonic_time () - t0) / 1e6);
    }
  return GST_BASE_SINK_CLASS (gst_docket_staging_sink_parent_class)->event (sink, event);
}

static void
gst_docket_staging_sink_class_init (GstDocketStagingSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *sink_class = GST_BASE_SINK_CLASS (klass);

  object_class->set_property = gst_docket_staging_sink_set_property;
  object_class->get_property = gst_docket_staging_sink_get_property;
  object_class->finalize = gst_docket_staging_sink_finalize;

  properties[PROP_LOCATION]
      = g_param_spec_string ("location", "Location", "Staging file to write", NULL,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  properties[PROP_APPEND] = g_param_spec_boolean (
      "append", "Append", "Continue a partial file instead of truncating", FALSE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  properties[PROP_BYTES_WRITTEN]
      = g_param_spec_uint64 ("bytes-written", "Bytes written", "Bytes written since start", 0,
                             G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC_EVERY] = g_param_spec_uint64 (
      "sync-every", "Sync every",
      "Start writing to disk after this many bytes, not only at EOS (0: only at EOS)", 0,
      G_MAXUINT64, DEFAULT_SYNC_EVERY,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  properties[PROP_BYTES_FLUSHED] = g_param_spec_uint64 (
      "bytes-flushed", "Bytes flushed", "Bytes whose writing to disk was started before EOS", 0,
      G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC_AT_EOS] = g_param_spec_boolean (
      "sync-at-eos", "Sync at EOS",
      "fdatasync the file before EOS goes on (off: the caller makes it durable)", TRUE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class, "Docket staging sink", "Sink/File",
                                         "Writes a recording's staging copy and syncs it at EOS",
                                         "Docket developers");

  sink_class->start = GST_DEBUG_FUNCPTR (gst_docket_staging_sink_start);
  sink_class->stop = GST_DEBUG_FUNCPTR (gst_docket_staging_sink_stop);
  sink_class->render = GST_DEBUG_FUNCPTR (gst_docket_staging_sink_render);
  sink_class->event = GST_DEBUG_FUNCPTR (gst_docket_staging_sink_event);

  GST_DEBUG_CATEGORY_INIT (docket_staging_sink_debug, "docketstagingsink", 0,
                           "Docket staging sink");
}

static void
gst_docket_staging_sink_init (GstDocketStagingSink *self)
{
  self->fd = -1;
  self->sync_every = DEFAULT_SYNC_EVERY;
  self->sync_at_eos = TRUE;
  gst_base_sink_set_sync (GST_BASE_SINK (self), FALSE);
  gst_base_sink_set_async_enabled (GST_BASE_SINK (self), FALSE);
}
