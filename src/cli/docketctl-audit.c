/* docketctl-audit.c — check and read the chain of custody
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * These commands open the evidence store directly and read-only in spirit
 * (SQLite WAL lets them run beside docketd): an auditor can check a store,
 * or a backup copy of one, without trusting the daemon that wrote it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-evidence-store.h"
#include "docketctl.h"

static void
add_problems (JsonBuilder *builder, const gchar *member, GPtrArray *problems)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < problems->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (problems, i));
  json_builder_end_array (builder);
}

static int
audit_verify (const DocketctlOptions *options, const gchar *root)
{
  g_autoptr (DocketEvidenceStore) store = NULL;
  g_autoptr (GPtrArray) chain = NULL;
  g_autoptr (GPtrArray) files = NULL;
  g_autoptr (GError) error = NULL;
  guint64 rows = 0;
  guint64 n_files = 0;
  gint64 anchored = 0;
  gboolean whole;

  store = docketctl_open_store (options, root, TRUE);
  if (store == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;

  chain = docket_evidence_store_verify_audit (store, &rows, &anchored, NULL, &error);
  if (chain == NULL)
    {
      g_printerr (_ ("docketctl: cannot read the audit log: %s\n"), error->message);
      return DOCKETCTL_EXIT_FAILED;
    }
  files = docket_evidence_store_verify_files (store, &n_files, NULL, &error);
  if (files == NULL)
    {
      g_printerr (_ ("docketctl: cannot check the stored files: %s\n"), error->message);
      return DOCKETCTL_EXIT_FAILED;
    }
  whole = chain->len == 0 && files->len == 0;

  if (options->json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "intact");
      json_builder_add_boolean_value (builder, whole);
      json_builder_set_member_name (builder, "audit-rows");
      json_builder_add_int_value (builder, (gint64)rows);
      json_builder_set_member_name (builder, "anchored-rows");
      json_builder_add_int_value (builder, anchored);
      json_builder_set_member_name (builder, "files");
      json_builder_add_int_value (builder, (gint64)n_files);
      add_problems (builder, "audit-problems", chain);
      add_problems (builder, "file-problems", files);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      docketctl_print_json (node, TRUE);
    }
  else
    {
      for (guint i = 0; i < chain->len; i++)
        g_print (_ ("Audit log: %s\n"), (const gchar *)g_ptr_array_index (chain, i));
      for (guint i = 0; i < files->len; i++)
        g_print (_ ("Stored file: %s\n"), (const gchar *)g_ptr_array_index (files, i));
      if (whole && anchored == 0 && rows > 0)
        g_print (_ ("Note: no signed anchor covers this audit log, so rows removed from its end "
                    "could not be noticed.\n"));
      else if (whole && (guint64)anchored < rows)
        g_print (_ ("Note: rows %lld to %llu are newer than the last signed anchor.\n"),
                 (long long)anchored + 1, (unsigned long long)rows);
      if (whole)
        /* %llu, not G_GUINT64_FORMAT: xgettext cannot see through macros. */
        g_print (_ ("Intact: %llu audit rows chain correctly and %llu stored files match their "
                    "hashes.\n"),
                 (unsigned long long)rows, (unsigned long long)n_files);
      else
        g_print (_ ("BROKEN: %u problems in the audit log, %u in stored files.\n"), chain->len,
                 files->len);
    }
  return whole ? DOCKETCTL_EXIT_OK : DOCKETCTL_EXIT_FAILED;
}

static int
audit_list (const DocketctlOptions *options,
            const gchar *root,
            gint64 after,
            gint limit,
            gint64 recording,
            const gchar *badge)
{
  g_autoptr (DocketEvidenceStore) store = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) array = json_array_new ();
  g_auto (GStrv) subjects = NULL;
  g_autofree gchar *party = NULL;

  store = docketctl_open_store (options, root, TRUE);
  if (store == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;
  if (recording != 0)
    {
      g_autoptr (DocketStoredRecording) rec
          = docket_evidence_store_get_recording (store, recording, &error);

      if (rec == NULL)
        {
          g_printerr (_ ("docketctl: %s\n"), error->message);
          return DOCKETCTL_EXIT_FAILED;
        }
      /* Rows name a recording by its hash; review decisions by its number. */
      subjects = g_new0 (gchar *, 3);
      subjects[0] = g_strdup_printf ("recording:%s", rec->sha256);
      subjects[1] = g_strdup_printf ("recording:%" G_GINT64_FORMAT, recording);
    }
  if (badge != NULL)
    party = g_strdup_printf ("officer:%s", badge);
  entries = docket_audit_log_list_filtered (docket_evidence_store_get_audit_log (store), after,
                                            (guint)MAX (limit, 0), (const gchar *const *)subjects,
                                            party, &error);
  if (entries == NULL)
    {
      g_printerr (_ ("docketctl: cannot read the audit log: %s\n"), error->message);
      return DOCKETCTL_EXIT_FAILED;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      DocketAuditEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr (GDateTime) seconds
          = g_date_time_new_from_unix_utc (entry->time_usec / G_USEC_PER_SEC);
      g_autoptr (GDateTime) when = g_date_time_add (seconds, entry->time_usec % G_USEC_PER_SEC);
      g_autofree gchar *stamp = g_date_time_format_iso8601 (when);

      if (options->json)
        {
          JsonObject *object = json_object_new ();

          json_object_set_int_member (object, "seq", entry->seq);
          json_object_set_string_member (object, "time", stamp);
          json_object_set_string_member (object, "actor", entry->actor);
          json_object_set_string_member (object, "action", entry->action);
          json_object_set_string_member (object, "subject", entry->subject);
          json_object_set_string_member (object, "reason", entry->reason);
          json_object_set_string_member (object, "details", entry->details);
          json_object_set_string_member (object, "hash", entry->hash);
          json_array_add_object_element (array, object);
        }
      else
        {
          g_print ("%6" G_GINT64_FORMAT "  %s  %-18s %-30s %s%s%s\n", entry->seq, stamp,
                   entry->actor, entry->action, entry->subject,
                   (entry->reason != NULL && *entry->reason != '\0') ? " — " : "",
                   entry->reason != NULL ? entry->reason : "");
        }
    }
  if (options->json)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (node, array);
      docketctl_print_json (node, TRUE);
    }
  return DOCKETCTL_EXIT_OK;
}

int
docketctl_audit (const DocketctlOptions *options, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (_ ("verify | list"));
  g_autoptr (GError) error = NULL;
  g_autofree gchar *root = NULL;
  gint64 after = 0;
  gint limit = 0;
  gint64 recording = 0;
  g_autofree gchar *badge = NULL;
  const GOptionEntry entries[]
      = { { "store", 0, 0, G_OPTION_ARG_FILENAME, &root,
            N_ ("The evidence store to check (default: the daemon's)"), N_ ("DIR") },
          { "after", 0, 0, G_OPTION_ARG_INT64, &after,
            N_ ("list: only rows after this sequence number"), N_ ("SEQ") },
          { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_ ("list: at most this many rows"),
            N_ ("N") },
          { "recording", 0, 0, G_OPTION_ARG_INT64, &recording,
            N_ ("list: only rows about this recording (who viewed, decided, held, purged it)"),
            N_ ("ID") },
          { "person", 0, 0, G_OPTION_ARG_STRING, &badge,
            N_ ("list: only what this person did, or what was done to them"), N_ ("BADGE") },
          { NULL } };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("docketctl audit: %s\n", error->message);
      return DOCKETCTL_EXIT_USAGE;
    }
  if (argc == 2 && g_str_equal (argv[1], "verify"))
    return audit_verify (options, root);
  if (argc == 2 && g_str_equal (argv[1], "list"))
    return audit_list (options, root, after, limit, recording, badge);

  g_printerr (_ ("docketctl audit: say “verify” or “list”\n"));
  return DOCKETCTL_EXIT_USAGE;
}
