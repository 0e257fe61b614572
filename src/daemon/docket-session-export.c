/* docket-session-export.c — Session.Export: a sergeant's evidence package, written by docketd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs in a method worker (docket-session-methods.c's table). The store
 * writes and audits the package (docket-export.c); here are the session's
 * rules: sergeants only, need to know, where a package may go, and the
 * summary the kiosk shows.
 */
#include "config.h"

#include <sys/stat.h>

#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "docket-error.h"
#include "docket-export.h"
#include "docket-session-private.h"

/* Only the station's own exports folder or removable media: a session must
 * not make the daemon write evidence anywhere else on the system. */
static gchar *
export_destination (DocketSession *self, const gchar *requested, GError **error)
{
  static const gchar *const media[] = { "/media/", "/run/media/" };
  g_autofree gchar *canonical = NULL;
  g_autofree gchar *state_dir = NULL;

  if (requested == NULL || *requested == '\0')
    {
      state_dir = g_path_get_dirname (docket_evidence_store_get_root (self->store));
      return g_build_filename (state_dir, "exports", NULL);
    }
  canonical = g_canonicalize_filename (requested, "/");
  for (gsize i = 0; i < G_N_ELEMENTS (media); i++)
    if (g_str_has_prefix (canonical, media[i]) && g_file_test (canonical, G_FILE_TEST_IS_DIR))
      return g_steal_pointer (&canonical);
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION,
               _ ("Exports go to the station's exports folder or to removable media, not to %s."),
               requested);
  return NULL;
}

/* What the sergeant is told the package holds: its files (every one that
 * SHA256SUMS or the manifest covers) and their bytes, and how many
 * recordings. The kiosk cannot read the station's exports folder itself. */
static gboolean
add_up_package (const gchar *dir, guint32 *files, guint64 *bytes, GError **error)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, error);
  const gchar *name;

  if (listing == NULL)
    return FALSE;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_lstat (path, &st) < 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          if (!add_up_package (path, files, bytes, error))
            return FALSE;
        }
      else if (S_ISREG (st.st_mode))
        {
          (*files)++;
          *bytes += (guint64)st.st_size;
        }
    }
  return TRUE;
}

static guint32
count_recordings (const gchar *package)
{
  g_autofree gchar *dir = g_build_filename (package, "recordings", NULL);
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  guint32 n = 0;

  while (listing != NULL && g_dir_read_name (listing) != NULL)
    n++;
  return n;
}

/* Need to know holds for exports too: a sergeant exports only what they may
 * see. A recording they may not see answers as one that does not exist; an
 * incident or case that holds one is refused whole (a package missing a
 * recording without saying so would mislead a court). */
static gboolean
may_export (DocketSession *self, DocketExportScope scope, const gchar *what, GError **error)
{
  g_autoptr (GPtrArray) recs = docket_export_select (self->store, scope, what, error);
  gint64 seed = -1;
  guint hidden = 0;

  if (recs == NULL)
    return FALSE;
  if (scope != DOCKET_EXPORT_CASE)
    g_ascii_string_to_signed (what, 10, 1, G_MAXINT64, &seed, NULL);
  for (guint i = 0; i < recs->len; i++)
    {
      DocketStoredRecording *rec = g_ptr_array_index (recs, i);
      g_autoptr (GError) local_error = NULL;
      g_autoptr (DocketRecordingItem) item
          = docket_tags_get_item (self->tags, self->person, rec->id, &local_error);

      if (item != NULL)
        continue;
      if (!g_error_matches (local_error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND) || rec->id == seed)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      hidden++;
    }
  if (hidden == 0)
    return TRUE;
  if (scope == DOCKET_EXPORT_CASE && hidden == recs->len)
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                 _ ("No committed recording is filed under case “%s”"), what);
  else
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION,
                 _ ("This export would hold recordings you may not see; IT can export it with "
                    "docketctl."));
  return FALSE;
}

GVariant *
_docket_session_work_export (DocketSession *self,
                             GVariant *params,
                             GUnixFDList **fds,
                             GError **error)
{
  const gchar *scope_name, *what, *destination, *reason;
  gboolean zip;
  DocketExportScope scope;
  g_autofree gchar *to = NULL;
  g_autofree gchar *actor = NULL;
  g_autofree gchar *package = NULL;
  g_autoptr (GError) local_error = NULL;
  guint32 files = 0;
  guint64 bytes = 0;

  g_variant_get (params, "(&s&s&s&sb)", &scope_name, &what, &destination, &reason, &zip);
  if (self->person->role != DOCKET_ROLE_SERGEANT)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION,
                   _ ("Only a sergeant can export evidence."));
      return NULL;
    }
  if (g_str_equal (scope_name, "recording"))
    scope = DOCKET_EXPORT_RECORDING;
  else if (g_str_equal (scope_name, "incident"))
    scope = DOCKET_EXPORT_INCIDENT;
  else if (g_str_equal (scope_name, "case"))
    scope = DOCKET_EXPORT_CASE;
  else
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("Export a recording, an incident or a case, not “%s”."), scope_name);
      return NULL;
    }
  if (!may_export (self, scope, what, error))
    return NULL;
  to = export_destination (self, destination, error);
  if (to == NULL)
    return NULL;
  actor = docket_person_dup_actor (self->person);
  package = docket_export_run (self->store, scope, what, to, actor, reason, zip, NULL, error);
  if (package == NULL)
    return NULL;
  /* The package is written and audited; a failure to add it up is only
   * a missing summary, never a failed export. */
  if (!add_up_package (package, &files, &bytes, &local_error))
    g_warning ("Could not add up the export package %s: %s", package, local_error->message);
  return g_variant_new ("(suut)", package, count_recordings (package), files, bytes);
}
