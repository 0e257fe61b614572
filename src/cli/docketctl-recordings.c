/* docketctl-recordings.c — list stored recordings and what the camera recorded wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Like `docketctl audit`, this opens the evidence store directly (SQLite WAL
 * lets it run beside docketd). `recordings --damaged` is IT's queue of
 * recordings stored exactly as the camera held them, but damaged there.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-evidence-store.h"
#include "docketctl.h"

static gchar *
default_store_root (const DocketctlOptions *options)
{
  const gchar *state_dir = g_getenv ("DOCKET_STATE_DIR");

  if (state_dir != NULL && *state_dir != '\0')
    return g_build_filename (state_dir, "store", NULL);
  if (options->bus_type == G_BUS_TYPE_SESSION)
    return g_build_filename (g_get_user_data_dir (), "docket", "store", NULL);
  return g_build_filename (DOCKET_STATEDIR, "store", NULL);
}

static const gchar *
or_empty (const gchar *s)
{
  return s != NULL ? s : "";
}

int
docketctl_recordings (const DocketctlOptions *options, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketEvidenceStore) store = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree gchar *root = NULL;
  g_autofree gchar *db = NULL;
  gboolean damaged = FALSE;
  const GOptionEntry entries[]
      = { { "store", 0, 0, G_OPTION_ARG_FILENAME, &root,
            N_ ("The evidence store to read (default: the daemon's)"), N_ ("DIR") },
          { "damaged", 0, 0, G_OPTION_ARG_NONE, &damaged,
            N_ ("Only recordings the camera recorded damaged or incomplete"), NULL },
          { NULL } };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || !docketctl_no_more_args ("recordings", argc, argv))
    {
      if (error != NULL)
        g_printerr ("docketctl recordings: %s\n", error->message);
      return DOCKETCTL_EXIT_USAGE;
    }
  if (root == NULL)
    root = default_store_root (options);
  db = g_build_filename (root, "docket.db", NULL);
  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_printerr (_ ("docketctl: there is no evidence store at %s\n"), root);
      return DOCKETCTL_EXIT_UNAVAILABLE;
    }
  store = docket_evidence_store_open (root, &error);
  if (store != NULL)
    rows = damaged ? docket_evidence_store_list_conditions (store, &error)
                   : docket_evidence_store_list_recordings (store, &error);
  if (rows == NULL)
    {
      g_printerr (_ ("docketctl: cannot read the evidence store at %s: %s\n"), root,
                  error->message);
      return DOCKETCTL_EXIT_FAILED;
    }

  if (options->json)
    {
      g_autoptr (JsonArray) array = json_array_new ();
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < rows->len; i++)
        {
          DocketStoredRecording *rec = g_ptr_array_index (rows, i);
          JsonObject *object = json_object_new ();

          json_object_set_int_member (object, "id", rec->id);
          json_object_set_string_member (object, "camera", or_empty (rec->camera_serial));
          json_object_set_int_member (object, "camera-recording-id", rec->camera_recording_id);
          json_object_set_string_member (object, "name", or_empty (rec->name));
          json_object_set_string_member (object, "state", or_empty (rec->state));
          json_object_set_string_member (object, "sha256", or_empty (rec->sha256));
          json_object_set_string_member (object, "condition", or_empty (rec->condition));
          json_object_set_string_member (object, "condition-reason",
                                         or_empty (rec->condition_reason));
          json_object_set_string_member (object, "problem", or_empty (rec->problem));
          json_object_set_string_member (object, "deep-check", or_empty (rec->deep_check));
          json_object_set_boolean_member (object, "thumbnail", rec->thumbnail != NULL);
          json_array_add_object_element (array, object);
        }
      json_node_set_array (node, array);
      docketctl_print_json (node, TRUE);
      return DOCKETCTL_EXIT_OK;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      DocketStoredRecording *rec = g_ptr_array_index (rows, i);
      const gchar *what = rec->condition != NULL ? rec->condition : rec->state;

      g_print ("%6" G_GINT64_FORMAT "  %-12s %-22s %s\n", rec->id, or_empty (rec->camera_serial),
               or_empty (what), or_empty (rec->name));
      if (rec->condition_reason != NULL)
        g_print ("        %s\n", rec->condition_reason);
      else if (rec->problem != NULL)
        g_print ("        %s\n", rec->problem);
    }
  if (rows->len == 0)
    g_print (damaged ? _ ("No recording was damaged on its camera.\n")
                     : _ ("No recordings are stored.\n"));
  return DOCKETCTL_EXIT_OK;
}
