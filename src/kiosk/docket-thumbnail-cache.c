/* docket-thumbnail-cache.c — recording thumbnails fetched over D-Bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kiosk never opens the evidence store: Session.OpenThumbnail hands a
 * read-only fd on the PNG, which is read asynchronously and decoded into a
 * texture. Textures are kept per recording id for the session's lifetime
 * (a list row is recycled while scrolling; the PNGs are small).
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <gio/gunixinputstream.h>

#include "docket-thumbnail-cache.h"

#define THUMBNAIL_MAX_BYTES (4 * 1024 * 1024)

struct _DocketThumbnailCache
{
  GObject parent_instance;

  DocketDBusSession *session;
  GCancellable *cancellable;
  GHashTable *textures; /* gint64* id → GdkTexture, NULL value: none */
  GHashTable *waiting;  /* gint64* id → GPtrArray of GWeakRef* to GtkPicture */
};

G_DEFINE_FINAL_TYPE (DocketThumbnailCache, docket_thumbnail_cache, G_TYPE_OBJECT)

static const gchar *id_key = "docket-thumbnail-id";

typedef struct
{
  DocketThumbnailCache *self; /* owned */
  gint64 id;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_object_unref (fetch->self);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

static void
texture_unref (gpointer texture)
{
  if (texture != NULL)
    g_object_unref (texture);
}

static void
deliver (DocketThumbnailCache *self, gint64 id, GdkTexture *texture)
{
  GPtrArray *pictures;

  if (self->textures == NULL) /* disposed meanwhile */
    return;
  pictures = g_hash_table_lookup (self->waiting, &id);
  g_hash_table_insert (self->textures, g_memdup2 (&id, sizeof id),
                       texture != NULL ? g_object_ref (texture) : NULL);
  if (pictures == NULL)
    return;
  for (guint i = 0; i < pictures->len; i++)
    {
      g_autoptr (GtkPicture) picture = g_weak_ref_get (g_ptr_array_index (pictures, i));
      gint64 *wanted;

      if (picture == NULL)
        continue;
      wanted = g_object_get_data (G_OBJECT (picture), id_key);
      if (wanted != NULL && *wanted == id)
        gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
    }
  g_hash_table_remove (self->waiting, &id);
}

static void
splice_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Fetch) fetch = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GdkTexture) texture = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        deliver (fetch->self, fetch->id, NULL);
      return;
    }
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (source));
  if (g_bytes_get_size (bytes) > 0 && g_bytes_get_size (bytes) <= THUMBNAIL_MAX_BYTES)
    texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL && error != NULL)
    g_debug ("Thumbnail of recording %" G_GINT64_FORMAT ": %s", fetch->id, error->message);
  deliver (fetch->self, fetch->id, texture);
}

static void
open_thumbnail_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Fetch) fetch = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) handle = NULL;
  g_autoptr (GUnixFDList) fds = NULL;
  g_autoptr (GInputStream) input = NULL;
  g_autoptr (GOutputStream) output = NULL;
  DocketThumbnailCache *self = fetch->self;
  gint fd;

  if (!docket_dbus_session_call_open_thumbnail_finish (DOCKET_DBUS_SESSION (source), &handle, &fds,
                                                       result, &error))
    {
      /* NotFound (no thumbnail) and trouble alike leave the placeholder. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        deliver (self, fetch->id, NULL);
      return;
    }
  fd = fds != NULL ? g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error) : -1;
  if (fd < 0)
    {
      deliver (self, fetch->id, NULL);
      return;
    }
  input = g_unix_input_stream_new (fd, TRUE);
  output = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (
      output, input, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
      G_PRIORITY_LOW, self->cancellable, splice_cb, g_steal_pointer (&fetch));
}

static void
docket_thumbnail_cache_dispose (GObject *object)
{
  DocketThumbnailCache *self = DOCKET_THUMBNAIL_CACHE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);

  G_OBJECT_CLASS (docket_thumbnail_cache_parent_class)->dispose (object);
}

static void
docket_thumbnail_cache_class_init (DocketThumbnailCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = docket_thumbnail_cache_dispose;
}

static void
docket_thumbnail_cache_init (DocketThumbnailCache *self)
{
  self->cancellable = g_cancellable_new ();
  self->textures = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, texture_unref);
  self->waiting = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         (GDestroyNotify)g_ptr_array_unref);
}

DocketThumbnailCache *
docket_thumbnail_cache_new (DocketDBusSession *session)
{
  DocketThumbnailCache *self = g_object_new (DOCKET_TYPE_THUMBNAIL_CACHE, NULL);

  g_set_object (&self->session, session);
  return self;
}

void
docket_thumbnail_cache_show (DocketThumbnailCache *self, gint64 id, GtkPicture *picture)
{
  GdkTexture *texture = NULL;
  GPtrArray *pictures;
  GWeakRef *ref;
  Fetch *fetch;

  g_return_if_fail (DOCKET_IS_THUMBNAIL_CACHE (self));
  g_return_if_fail (GTK_IS_PICTURE (picture));

  g_object_set_data_full (G_OBJECT (picture), id_key, g_memdup2 (&id, sizeof id), g_free);
  gtk_picture_set_paintable (picture, NULL);
  if (id <= 0 || self->session == NULL)
    return;
  if (g_hash_table_lookup_extended (self->textures, &id, NULL, (gpointer *)&texture))
    {
      gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
      return;
    }

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, picture);
  pictures = g_hash_table_lookup (self->waiting, &id);
  if (pictures != NULL)
    {
      g_ptr_array_add (pictures, ref);
      return;
    }
  pictures = g_ptr_array_new_with_free_func ((GDestroyNotify)weak_ref_free);
  g_ptr_array_add (pictures, ref);
  g_hash_table_insert (self->waiting, g_memdup2 (&id, sizeof id), pictures);

  fetch = g_new0 (Fetch, 1);
  fetch->self = g_object_ref (self);
  fetch->id = id;
  docket_dbus_session_call_open_thumbnail (self->session, id, NULL, self->cancellable,
                                           open_thumbnail_cb, fetch);
}
