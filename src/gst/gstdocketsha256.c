/* gstdocketsha256.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/**
 * SECTION:element-docketsha256
 * @title: docketsha256
 *
 * Passes buffers through untouched (in place) while computing their SHA-256
 * with OpenSSL EVP (several times faster than GChecksum here). At EOS it
 * posts an element message named "docket-sha256" with fields "digest"
 * (lower-case hex) and "bytes" (guint64), and sets the #GstDocketSha256:digest
 * property. For a resumed copy, #GstDocketSha256:prefix-location names the
 * part already on disk: its first #GstDocketSha256:prefix-size bytes are
 * hashed before the stream, so the digest covers the whole file.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -m filesrc location=clip.mp4 ! docketsha256 ! fakesink
 * ]|
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <openssl/evp.h>

#include "gstdocketsha256.h"

GST_DEBUG_CATEGORY_STATIC (docket_sha256_debug);
#define GST_CAT_DEFAULT docket_sha256_debug

struct _GstDocketSha256
{
  GstBaseTransform parent_instance;

  /* (object lock) */
  gchar *prefix_location;
  guint64 prefix_size;
  gchar *digest;
  guint64 bytes;

  /* streaming thread */
  EVP_MD_CTX *ctx;
};

enum
{
  PROP_0,
  PROP_DIGEST,
  PROP_BYTES,
  PROP_PREFIX_LOCATION,
  PROP_PREFIX_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GstStaticPadTemplate sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_DEFINE_FINAL_TYPE (GstDocketSha256, gst_docket_sha256, GST_TYPE_BASE_TRANSFORM)
GST_ELEMENT_REGISTER_DEFINE (docketsha256, "docketsha256", GST_RANK_NONE, GST_TYPE_DOCKET_SHA256);

static void
gst_docket_sha256_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  GstDocketSha256 *self = GST_DOCKET_SHA256 (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id)
    {
      case PROP_PREFIX_LOCATION:
        g_free (self->prefix_location);
        self->prefix_location = g_value_dup_string (value);
        break;
      case PROP_PREFIX_SIZE:
        self->prefix_size = g_value_get_uint64 (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_docket_sha256_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstDocketSha256 *self = GST_DOCKET_SHA256 (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id)
    {
      case PROP_DIGEST:
        g_value_set_string (value, self->digest);
        break;
      case PROP_BYTES:
        g_value_set_uint64 (value, self->bytes);
        break;
      case PROP_PREFIX_LOCATION:
        g_value_set_string (value, self->prefix_location);
        break;
      case PROP_PREFIX_SIZE:
        g_value_set_uint64 (value, self->prefix_size);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_docket_sha256_finalize (GObject *object)
{
  GstDocketSha256 *self = GST_DOCKET_SHA256 (object);

  g_clear_pointer (&self->ctx, EVP_MD_CTX_free);
  g_free (self->prefix_location);
  g_free (self->digest);
  G_OBJECT_CLASS (gst_docket_sha256_parent_class)->finalize (object);
}

static gboolean
hash_prefix (GstDocketSha256 *self, const gchar *location, guint64 size)
{
  g_autofree guint8 *buf = g_malloc (1024 * 1024);
  guint64 done = 0;
  int fd = g_open (location, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ, ("Could not read the partial copy."),
                         ("%s: %s", location, g_strerror (errno)));
      return FALSE;
    }
  while (done < size)
    {
      gssize n = read (fd, buf, (gsize)MIN ((guint64)1024 * 1024, size - done));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      EVP_DigestUpdate (self->ctx, buf, (gsize)n);
      done += (guint64)n;
    }
  close (fd);
  if (done != size)
    {
      GST_ELEMENT_ERROR (self, RESOURCE, READ, ("The partial copy is shorter than expected."),
                         ("%s: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT, location, done, size));
      return FALSE;
    }
  self->bytes = done;
  return TRUE;
}

static gboolean
gst_docket_sha256_start (GstBaseTransform *trans)
{
  GstDocketSha256 *self = GST_DOCKET_SHA256 (trans);
  g_autofree gchar *location = NULL;
  guint64 size;

  GST_OBJECT_LOCK (self);
  g_clear_pointer (&self->digest, g_free);
  self->bytes = 0;
  location = g_strdup (self->prefix_location);
  size = self->prefix_size;
  GST_OBJECT_UNLOCK (self);

  g_clear_pointer (&self->ctx, EVP_MD_CTX_free);
  self->ctx = EVP_MD_CTX_new ();
  if (self->ctx == NULL || EVP_DigestInit_ex (self->ctx, EVP_sha256 (), NULL) != 1)
    {
      GST_ELEMENT_ERROR (self, LIBRARY, INIT, (NULL), ("EVP_DigestInit_ex failed"));
      return FALSE;
    }
  if (location != NULL && size > 0)
    return hash_prefix (self, location, size);
  return TRUE;
}

static gboolean
gst_docket_sha256_stop (GstBaseTransform *trans)
{
  GstDocketSha256 *self = GST_DOCKET_SHA256 (trans);

  g_clear_pointer (&self->ctx, EVP_MD_CTX_free);
  return TRUE;
}

static GstFlowReturn
gst_docket_sha256_transform_ip (GstBaseTransform *trans, GstBuffer *buf)
{
  GstDocketSha256 *self = GST_DOCKET_SHA256 (trans);
  guint n = gst_buffer_n_memory (buf);

  if (self->ctx == NULL)
    return GST_FLOW_FLUSHING;
  /* Per memory, so a buffer of several memories is not merged (copied). */
  for (guint i = 0; i < n; i++)
    {
      GstMemory *mem = gst_buffer_peek_memory (buf, i);
      GstMapInfo map;

      if (!gst_memory_map (mem, &map, GST_MAP_READ))
        {
          GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL), ("could not map buffer"));
          return GST_FLOW_ERROR;
        }
      EVP_DigestUpdate (self->ctx, map.data, map.size);
      gst_memory_unmap (mem, &map);
    }
  GST_OBJECT_LOCK (self);
  self->bytes += gst_buffer_get_size (buf);
  GST_OBJECT_UNLOCK (self);
  return GST_FLOW_OK;
}

static gboolean
gst_docket_sha256_sink_event (GstBaseTransform *trans, GstEvent *event)
{
  GstDocketSha256 *self = GST_DOCKET_SHA256 (trans);

  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS && self->ctx != NULL)
    {
      guint8 md[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      GString *hex = g_string_sized_new (64);
      guint64 bytes;
      GstStructure *s;

      EVP_DigestFinal_ex (self->ctx, md, &len);
      g_clear_pointer (&self->ctx, EVP_MD_CTX_free);
      for (guint i = 0; i < len; i++)
        g_string_append_printf (hex, "%02x", md[i]);

      GST_OBJECT_LOCK (self);
      g_free (self->digest);
      self->digest = g_strdup (hex->str);
      bytes = self->bytes;
      GST_OBJECT_UNLOCK (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIGEST]);

      /* Posted before EOS travels on, so it reaches the bus before EOS does. */
      s = gst_structure_new ("docket-sha256", "digest", G_TYPE_STRING, hex->str, "bytes",
                             G_TYPE_UINT64, bytes, NULL);
      g_string_free (hex, TRUE);
      gst_element_post_message (GST_ELEMENT (self), gst_message_new_element (GST_OBJECT (self), s));
    }
  return GST_BASE_TRANSFORM_CLASS (gst_docket_sha256_parent_class)->sink_event (trans, event);
}

static void
gst_docket_sha256_class_init (GstDocketSha256Class *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  object_class->set_property = gst_docket_sha256_set_property;
  object_class->get_property = gst_docket_sha256_get_property;
  object_class->finalize = gst_docket_sha256_finalize;

  properties[PROP_DIGEST] = g_param_spec_string ("digest", "Digest", "SHA-256 in hex, set at EOS",
                                                 NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BYTES]
      = g_param_spec_uint64 ("bytes", "Bytes", "Bytes hashed so far", 0, G_MAXUINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PREFIX_LOCATION] = g_param_spec_string (
      "prefix-location", "Prefix location", "File whose first prefix-size bytes precede the stream",
      NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  properties[PROP_PREFIX_SIZE] = g_param_spec_uint64 (
      "prefix-size", "Prefix size", "Bytes of prefix-location to hash", 0, G_MAXUINT64, 0,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Docket SHA-256", "Filter",
                                         "Computes the SHA-256 of the bytes passing through",
                                         "Docket developers");

  trans_class->start = GST_DEBUG_FUNCPTR (gst_docket_sha256_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_docket_sha256_stop);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_docket_sha256_transform_ip);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_docket_sha256_sink_event);
  trans_class->passthrough_on_same_caps = TRUE;
  trans_class->transform_ip_on_passthrough = TRUE;

  GST_DEBUG_CATEGORY_INIT (docket_sha256_debug, "docketsha256", 0, "Docket SHA-256");
}

static void
gst_docket_sha256_init (GstDocketSha256 *self)
{
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), TRUE);
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
}
