/* gstdocketcamerasrc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/**
 * SECTION:element-docketcamerasrc
 * @title: docketcamerasrc
 *
 * Reads the bytes of one recording from a docked camera through its
 * #DocketCameraDriver (DCP over USB, a file-backed test camera, ...), from
 * #GstDocketCameraSrc:offset up to #GstDocketCameraSrc:size. Reads are
 * blocking and cancelled when the element is flushed or stopped. A driver
 * failure is posted as an error whose details carry the DocketError code
 * ("docket-error-code"), so the application can tell an undock apart from
 * a malformed answer. With #GstDocketCameraSrc:eos-on-error the failure is
 * posted instead as an element message "docket-camera-error" (fields "code",
 * "message") and the stream ends with EOS, so the bytes read so far are
 * written and synced downstream: an undock leaves a durable partial copy.
 *
 * ## Example launch line (from an application that set the driver)
 * |[
 * docketcamerasrc recording-id=3 offset=0 size=1048576 ! docketsha256 ! docketstagingsink
 * location=/tmp/x.part
 * ]|
 */
#include "config.h"

#include "docket-camera-driver.h"
#include "docket-error.h"
#include "gstdocketcamerasrc.h"

GST_DEBUG_CATEGORY_STATIC (docket_camera_src_debug);
#define GST_CAT_DEFAULT docket_camera_src_debug

#define DEFAULT_BLOCKSIZE (1024 * 1024)

struct _GstDocketCameraSrc
{
  GstBaseSrc parent_instance;

  /* (object lock) */
  DocketCameraDriver *driver;
  guint32 recording_id;
  guint64 offset;
  guint64 size;
  gboolean eos_on_error;
  GCancellable *cancellable;

  /* streaming thread only */
  guint64 position;   /* absolute offset of the next read */
  GError *held_error; /* a failure after a partial block, posted next time */
};

enum
{
  PROP_0,
  PROP_DRIVER,
  PROP_RECORDING_ID,
  PROP_OFFSET,
  PROP_SIZE,
  PROP_EOS_ON_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GstStaticPadTemplate src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_DEFINE_FINAL_TYPE (GstDocketCameraSrc, gst_docket_camera_src, GST_TYPE_BASE_SRC)
GST_ELEMENT_REGISTER_DEFINE (docketcamerasrc,
                             "docketcamerasrc",
                             GST_RANK_NONE,
                             GST_TYPE_DOCKET_CAMERA_SRC);

static void
gst_docket_camera_src_set_property (GObject *object,
                                    guint prop_id,
                                    const GValue *value,
                                    GParamSpec *pspec)
{
  GstDocketCameraSrc *self = GST_DOCKET_CAMERA_SRC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id)
    {
      case PROP_DRIVER:
        g_clear_object (&self->driver);
        self->driver = g_value_dup_object (value);
        break;
      case PROP_RECORDING_ID:
        self->recording_id = g_value_get_uint (value);
        break;
      case PROP_OFFSET:
        self->offset = g_value_get_uint64 (value);
        break;
      case PROP_SIZE:
        self->size = g_value_get_uint64 (value);
        break;
      case PROP_EOS_ON_ERROR:
        self->eos_on_error = g_value_get_boolean (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_docket_camera_src_get_property (GObject *object,
                                    guint prop_id,
                                    GValue *value,
                                    GParamSpec *pspec)
{
  GstDocketCameraSrc *self = GST_DOCKET_CAMERA_SRC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id)
    {
      case PROP_DRIVER:
        g_value_set_object (value, self->driver);
        break;
      case PROP_RECORDING_ID:
        g_value_set_uint (value, self->recording_id);
        break;
      case PROP_OFFSET:
        g_value_set_uint64 (value, self->offset);
        break;
      case PROP_SIZE:
        g_value_set_uint64 (value, self->size);
        break;
      case PROP_EOS_ON_ERROR:
        g_value_set_boolean (value, self->eos_on_error);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_docket_camera_src_dispose (GObject *object)
{
  GstDocketCameraSrc *self = GST_DOCKET_CAMERA_SRC (object);

  g_clear_object (&self->driver);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->held_error);
  G_OBJECT_CLASS (gst_docket_camera_src_parent_class)->dispose (object);
}

static gboolean
gst_docket_camera_src_start (GstBaseSrc *src)
{
  GstDocketCameraSrc *self = GST_DOCKET_CAMERA_SRC (src);
  gboolean ok;

  GST_OBJECT_LOCK (self);
  ok = self->driver != NULL;
  self->position = self->offset;
  g_clear_error (&self->held_error);
  if (self->size > 0 && self->offset > self->size)
    ok = FALSE;
  GST_OBJECT_UNLOCK (self);
  if (!ok)
    {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("No camera, or a start offset past the end."),
                         ("driver or offset property invalid"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
gst_docket_camera_src_get_size (GstBaseSrc *src, guint64 *size)
{
  GstDocketCameraSrc *self = GST_DOCKET_CAMERA_SRC (src);
  gboolean known;

  GST_OBJECT_LOCK (self);
  known = self->size > 0;
  *size = self->size - MIN (self->offset, self->size);
  GST_OBJECT_UNLOCK (self);
  return known;
}

static gboolean
gst_docket_camera_src_is_seekable (GstBaseSrc *src)
{
  return FALSE;
}

static gboolean
gst_docket_camera_src_unlock (GstBaseSrc *src)
{
  GstDocketCameraSrc *self = GST_DOCKET_CAMERA_SRC (src);

  GST_OBJECT_LOCK (self);
  g_cancellable_cancel (self->cancellable);
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
gst_docket_camera_src_unlock_stop (GstBaseSrc *src)
{
  GstDocketCameraSrc *self = GST_DOCKET_CAMERA_SRC (src);

  GST_OBJECT_LOCK (self);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static GstFlowReturn
gst_docket_camera_src_fill (GstBaseSrc *src, guint64 unused_offset, guint length, GstBuffer *buf)
{
  GstDocketCameraSrc *self = GST_DOCKET_CAMERA_SRC (src);
  g_autoptr (DocketCameraDriver) driver = NULL;
  g_autoptr (GCancellable) cancellable = NULL;
  g_autoptr (GError) error = NULL;
  GstMapInfo map;
  guint32 id;
  gboolean eos_on_error;
  guint64 end;
  gsize want;
  gsize got = 0;

  GST_OBJECT_LOCK (self);
  driver = g_object_ref (self->driver);
  cancellable = g_object_ref (self->cancellable);
  id = self->recording_id;
  eos_on_error = self->eos_on_error;
  end = self->size > 0 ? self->size : G_MAXUINT64;
  GST_OBJECT_UNLOCK (self);

  if (self->held_error != NULL)
    error = g_steal_pointer (&self->held_error);
  else if (self->position >= end)
    {
      GST_INFO_OBJECT (self, "end of recording %u", id);
      return GST_FLOW_EOS;
    }
  want = (gsize)MIN ((guint64)length, end - self->position);

  if (!gst_buffer_map (buf, &map, GST_MAP_WRITE))
    return GST_FLOW_ERROR;
  if (self->position == self->offset)
    GST_INFO_OBJECT (self, "first read of recording %u", id);
  while (error == NULL && got < want)
    {
      gssize n = docket_camera_driver_read_recording (
          driver, id, self->position + got, map.data + got, want - got, cancellable, &error);
      if (n < 0)
        break;
      if (n == 0 || (gsize)n > want - got)
        break; /* short: the hash and size checks downstream judge it */
      got += (gsize)n;
    }
  gst_buffer_unmap (buf, &map);

  /* Deliver what arrived before an undock: the partial copy is what a
   * resume starts from. */
  if (error != NULL && got > 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->held_error = g_steal_pointer (&error);
  if (error != NULL)
    {
      gint code = error->domain == DOCKET_ERROR ? error->code : (gint)DOCKET_ERROR_FAILED;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return GST_FLOW_FLUSHING;
      if (eos_on_error)
        {
          GstStructure *s = gst_structure_new ("docket-camera-error", "code", G_TYPE_INT, code,
                                               "message", G_TYPE_STRING, error->message, NULL);
          gst_element_post_message (GST_ELEMENT (self),
                                    gst_message_new_element (GST_OBJECT (self), s));
          return GST_FLOW_EOS;
        }
      GST_ELEMENT_ERROR_WITH_DETAILS (
          self, RESOURCE, READ, ("%s", error->message),
          ("reading recording %u at offset %" G_GUINT64_FORMAT, id, self->position + got),
          ("docket-error-code", G_TYPE_INT,
           error->domain == DOCKET_ERROR ? error->code : (gint)DOCKET_ERROR_FAILED, NULL));
      return GST_FLOW_ERROR;
    }
  if (self->position == self->offset)
    GST_INFO_OBJECT (self, "first bytes of recording %u", id);
  if (got == 0)
    {
      GST_DEBUG_OBJECT (self, "camera ended recording %u at %" G_GUINT64_FORMAT, id,
                        self->position);
      return GST_FLOW_EOS;
    }
  gst_buffer_resize (buf, 0, (gssize)got);
  GST_BUFFER_OFFSET (buf) = self->position;
  GST_BUFFER_OFFSET_END (buf) = self->position + got;
  self->position += got;
  return GST_FLOW_OK;
}

static void
gst_docket_camera_src_class_init (GstDocketCameraSrcClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *src_class = GST_BASE_SRC_CLASS (klass);

  object_class->set_property = gst_docket_camera_src_set_property;
  object_class->get_property = gst_docket_camera_src_get_property;
  object_class->dispose = gst_docket_camera_src_dispose;

  properties[PROP_DRIVER] = g_param_spec_object (
      "driver", "Driver", "Camera driver to read from", DOCKET_TYPE_CAMERA_DRIVER,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  properties[PROP_RECORDING_ID] = g_param_spec_uint (
      "recording-id", "Recording ID", "Camera's id of the recording", 0, G_MAXUINT32, 0,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  properties[PROP_OFFSET] = g_param_spec_uint64 (
      "offset", "Offset", "Byte offset to start reading at (resume)", 0, G_MAXUINT64, 0,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  properties[PROP_SIZE] = g_param_spec_uint64 (
      "size", "Size", "Size of the recording (0: read to the end)", 0, G_MAXUINT64, 0,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  properties[PROP_EOS_ON_ERROR] = g_param_spec_boolean (
      "eos-on-error", "EOS on error",
      "Report a camera failure as a \"docket-camera-error\" element message and end the "
      "stream, so what was read reaches the sink (and is synced) before the pipeline stops",
      FALSE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Docket camera source", "Source/File",
                                         "Reads a recording from a docked body-worn camera",
                                         "Docket developers");

  src_class->start = GST_DEBUG_FUNCPTR (gst_docket_camera_src_start);
  src_class->get_size = GST_DEBUG_FUNCPTR (gst_docket_camera_src_get_size);
  src_class->is_seekable = GST_DEBUG_FUNCPTR (gst_docket_camera_src_is_seekable);
  src_class->unlock = GST_DEBUG_FUNCPTR (gst_docket_camera_src_unlock);
  src_class->unlock_stop = GST_DEBUG_FUNCPTR (gst_docket_camera_src_unlock_stop);
  src_class->fill = GST_DEBUG_FUNCPTR (gst_docket_camera_src_fill);

  GST_DEBUG_CATEGORY_INIT (docket_camera_src_debug, "docketcamerasrc", 0, "Docket camera source");
}

static void
gst_docket_camera_src_init (GstDocketCameraSrc *self)
{
  self->cancellable = g_cancellable_new ();
  gst_base_src_set_blocksize (GST_BASE_SRC (self), DEFAULT_BLOCKSIZE);
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_BYTES);
}
