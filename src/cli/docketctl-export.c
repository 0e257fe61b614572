/* docketctl-export.c — write an evidence package, and open the store directly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `docketctl export` opens the evidence store itself, like `audit`: it
 * needs write access to the store (root or the docket user) because the
 * export is written into the audit log. Sergeants at the kiosk export
 * through the daemon instead (Session.Export).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-export.h"
#include "docketctl.h"

static gchar *
default_store_root (const DocketctlOptions *options)
{
  const gchar *state_dir = g_getenv ("DOCKET_STATE_DIR");

  /* Mirrors docketd's own choice of state directory. */
  if (state_dir != NULL && *state_dir != '\0')
    return g_build_filename (state_dir, "store", NULL);
  if (options->bus_type == G_BUS_TYPE_SESSION)
    return g_build_filename (g_get_user_data_dir (), "docket", "store", NULL);
  return g_build_filename (DOCKET_STATEDIR, "store", NULL);
}

DocketEvidenceStore *
docketctl_open_store (const DocketctlOptions *options,
                      const gchar *root_option,
                      gboolean check_only)
{
  g_autofree gchar *root
      = root_option != NULL ? g_strdup (root_option) : default_store_root (options);
  g_autofree gchar *db = g_build_filename (root, "docket.db", NULL);
  g_autoptr (GError) error = NULL;
  DocketEvidenceStore *store;

  /* Never create an empty store where the user expected one. */
  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_printerr (_ ("docketctl: there is no evidence store at %s\n"), root);
      return NULL;
    }
  /* Check only: repairing here would hide what it should report. */
  store = check_only ? docket_evidence_store_open_to_check (root, &error)
                     : docket_evidence_store_open (root, &error);
  if (store == NULL)
    g_printerr (_ ("docketctl: cannot open the evidence store at %s: %s\n"), root, error->message);
  return store;
}

static gchar *
actor_name (void)
{
  const gchar *sudo_user = g_getenv ("SUDO_USER");

  /* Under sudo the person is the one who typed the command. */
  return g_strdup_printf ("docketctl:%s",
                          sudo_user != NULL && *sudo_user != '\0' ? sudo_user : g_get_user_name ());
}

int
docketctl_export (const DocketctlOptions *options, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketEvidenceStore) store = NULL;
  g_autofree gchar *root = NULL;
  g_autofree gchar *incident = NULL;
  g_autofree gchar *case_number = NULL;
  g_autofree gchar *recording = NULL;
  g_autofree gchar *to = NULL;
  g_autofree gchar *reason = NULL;
  g_autofree gchar *actor = NULL;
  g_autofree gchar *package = NULL;
  gboolean zip = FALSE;
  DocketExportScope scope;
  const gchar *what;
  guint chosen = 0;
  const GOptionEntry entries[]
      = { { "incident", 0, 0, G_OPTION_ARG_STRING, &incident,
            N_ ("The incident (recordings of one officer starting together) of this recording"),
            N_ ("ID") },
          { "case", 0, 0, G_OPTION_ARG_STRING, &case_number,
            N_ ("Every recording tagged with this case number"), N_ ("NUMBER") },
          { "recording", 0, 0, G_OPTION_ARG_STRING, &recording, N_ ("One recording"), N_ ("ID") },
          { "to", 0, 0, G_OPTION_ARG_FILENAME, &to, N_ ("Folder to write the package in"),
            N_ ("DIR") },
          { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
            N_ ("Why (request, court order, reference); written to the audit log"), N_ ("TEXT") },
          { "zip", 0, 0, G_OPTION_ARG_NONE, &zip, N_ ("Also write the package as one .zip"), NULL },
          { "store", 0, 0, G_OPTION_ARG_FILENAME, &root,
            N_ ("The evidence store (default: the daemon's)"), N_ ("DIR") },
          { NULL } };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("docketctl export: %s\n", error->message);
      return DOCKETCTL_EXIT_USAGE;
    }
  if (!docketctl_no_more_args ("export", argc, argv))
    return DOCKETCTL_EXIT_USAGE;
  chosen = (incident != NULL) + (case_number != NULL) + (recording != NULL);
  if (chosen != 1 || to == NULL || reason == NULL)
    {
      g_printerr (_ ("docketctl export: say --incident ID, --case NUMBER or --recording ID, "
                     "--to DIR and --reason TEXT\n"));
      return DOCKETCTL_EXIT_USAGE;
    }
  scope = incident != NULL      ? DOCKET_EXPORT_INCIDENT
          : case_number != NULL ? DOCKET_EXPORT_CASE
                                : DOCKET_EXPORT_RECORDING;
  what = incident != NULL ? incident : case_number != NULL ? case_number : recording;

  store = docketctl_open_store (options, root, FALSE);
  if (store == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;
  actor = actor_name ();
  package = docket_export_run (store, scope, what, to, actor, reason, zip, NULL, &error);
  if (package == NULL)
    {
      g_printerr (_ ("docketctl export: %s\n"), error->message);
      return DOCKETCTL_EXIT_FAILED;
    }
  if (options->json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "package");
      json_builder_add_string_value (builder, package);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      docketctl_print_json (node, TRUE);
    }
  else
    g_print (_ ("Exported to %s\nCheck it with: docketctl verify-export %s\n"), package, package);
  return DOCKETCTL_EXIT_OK;
}
