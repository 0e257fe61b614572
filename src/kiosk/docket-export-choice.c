/* docket-export-choice.c — what a sergeant picks when exporting evidence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gio/gunixmounts.h>
#include <glib/gi18n-lib.h>

#include "docket-export-choice.h"

static const gchar *const presets[] = {
  N_ ("Prosecutor’s request"),
  N_ ("Court order or subpoena"),
  N_ ("Internal investigation"),
  N_ ("Complaint against an officer"),
  NULL,
};

const gchar *const *
docket_export_reason_presets (void)
{
  return presets;
}

static gboolean
is_removable (const gchar *path)
{
  static const gchar *const roots[] = { "/media/", "/run/media/" };

  for (gsize i = 0; i < G_N_ELEMENTS (roots); i++)
    if (g_str_has_prefix (path, roots[i]) && path[strlen (roots[i])] != '\0')
      return TRUE;
  return FALSE;
}

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *)a, *(const gchar *const *)b);
}

gchar **
docket_export_removable_destinations (const gchar *const *mount_points)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; mount_points != NULL && mount_points[i] != NULL; i++)
    {
      g_autofree gchar *path = g_canonicalize_filename (mount_points[i], "/");
      gboolean seen = FALSE;

      if (!is_removable (path))
        continue;
      for (guint j = 0; j < found->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (found, j), path);
      if (!seen)
        g_ptr_array_add (found, g_steal_pointer (&path));
    }
  g_ptr_array_sort (found, compare_paths);
  g_ptr_array_add (found, NULL);
  return (gchar **)g_ptr_array_free (g_steal_pointer (&found), FALSE);
}

gchar **
docket_export_list_mount_points (void)
{
  GList *mounts = g_unix_mounts_get (NULL);
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (GList *l = mounts; l != NULL; l = l->next)
    g_ptr_array_add (paths, g_strdup (g_unix_mount_get_mount_path (l->data)));
  g_list_free_full (mounts, (GDestroyNotify)g_unix_mount_free);
  g_ptr_array_add (paths, NULL);
  return (gchar **)g_ptr_array_free (g_steal_pointer (&paths), FALSE);
}

gchar *
docket_export_describe_package (guint recordings, guint files, guint64 bytes)
{
  g_autofree gchar *exact = g_format_size_full (bytes, G_FORMAT_SIZE_LONG_FORMAT);
  g_autofree gchar *what = NULL;

  /* TRANSLATORS: the first part of an export's summary */
  what = g_strdup_printf (ngettext ("%u recording", "%u recordings", recordings), recordings);
  /* TRANSLATORS: an export's summary: "3 recordings", the number of files,
   * then their size ("1.2 GB (1,234,567,890 bytes)") */
  return g_strdup_printf (ngettext ("%s, %u file, %s", "%s, %u files, %s", files), what, files,
                          exact);
}
