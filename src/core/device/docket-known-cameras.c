/* docket-known-cameras.c — which USB devices are cameras, and their drivers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-known-cameras.h"

struct _DocketKnownCameras
{
  GObject parent_instance;

  GHashTable *entries; /* (vendor << 16 | product) → DocketKnownCamera */
};

G_DEFINE_FINAL_TYPE (DocketKnownCameras, docket_known_cameras, G_TYPE_OBJECT)

static void
known_camera_free (DocketKnownCamera *entry)
{
  g_free (entry->driver);
  g_free (entry->vendor);
  g_free (entry->model);
  g_free (entry);
}

static void
docket_known_cameras_finalize (GObject *object)
{
  DocketKnownCameras *self = DOCKET_KNOWN_CAMERAS (object);

  g_hash_table_unref (self->entries);
  G_OBJECT_CLASS (docket_known_cameras_parent_class)->finalize (object);
}

static void
docket_known_cameras_class_init (DocketKnownCamerasClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_known_cameras_finalize;
}

static void
docket_known_cameras_init (DocketKnownCameras *self)
{
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)known_camera_free);
}

static gboolean
parse_hex16 (const gchar *s, gsize len, guint16 *out)
{
  guint v = 0;

  if (len != 4)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      gint d = g_ascii_xdigit_value (s[i]);

      if (d < 0)
        return FALSE;
      v = v << 4 | (guint)d;
    }
  *out = (guint16)v;
  return TRUE;
}

static DocketKnownCameras *
load (GKeyFile *keyfile, const gchar *source, GError **error)
{
  g_autoptr (DocketKnownCameras) self = g_object_new (DOCKET_TYPE_KNOWN_CAMERAS, NULL);
  g_auto (GStrv) groups = g_key_file_get_groups (keyfile, NULL);

  for (gsize i = 0; groups[i] != NULL; i++)
    {
      const gchar *group = groups[i];
      DocketKnownCamera *entry;
      guint16 vid, pid;
      g_autofree gchar *driver = NULL;

      if (strlen (group) != 9 || group[4] != ':' || !parse_hex16 (group, 4, &vid)
          || !parse_hex16 (group + 5, 4, &pid))
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                       _ ("%s: “%s” is not a USB id like 1209:dc01"), source, group);
          return NULL;
        }
      driver = g_key_file_get_string (keyfile, group, "Driver", NULL);
      if (driver == NULL || *driver == '\0')
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("%s: camera %s has no Driver"),
                       source, group);
          return NULL;
        }
      entry = g_new0 (DocketKnownCamera, 1);
      entry->vendor_id = vid;
      entry->product_id = pid;
      entry->driver = g_steal_pointer (&driver);
      entry->vendor = g_key_file_get_string (keyfile, group, "Vendor", NULL);
      entry->model = g_key_file_get_string (keyfile, group, "Model", NULL);
      g_hash_table_replace (self->entries, GUINT_TO_POINTER ((guint)vid << 16 | pid), entry);
    }
  return g_steal_pointer (&self);
}

DocketKnownCameras *
docket_known_cameras_new_from_file (const gchar *path, GError **error)
{
  g_autoptr (GKeyFile) keyfile = g_key_file_new ();

  g_return_val_if_fail (path != NULL, NULL);
  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, _ ("Cannot read the known-cameras table %s: "), path);
      return NULL;
    }
  return load (keyfile, path, error);
}

DocketKnownCameras *
docket_known_cameras_new_from_data (const gchar *data, GError **error)
{
  g_autoptr (GKeyFile) keyfile = g_key_file_new ();

  if (!g_key_file_load_from_data (keyfile, data, -1, G_KEY_FILE_NONE, error))
    return NULL;
  return load (keyfile, "known cameras", error);
}

const DocketKnownCamera *
docket_known_cameras_lookup (DocketKnownCameras *self, guint16 vendor_id, guint16 product_id)
{
  g_return_val_if_fail (DOCKET_IS_KNOWN_CAMERAS (self), NULL);
  return g_hash_table_lookup (self->entries,
                              GUINT_TO_POINTER ((guint)vendor_id << 16 | product_id));
}

guint
docket_known_cameras_get_n_entries (DocketKnownCameras *self)
{
  g_return_val_if_fail (DOCKET_IS_KNOWN_CAMERAS (self), 0);
  return g_hash_table_size (self->entries);
}
