/* docketctl-retention.c — retention forecast, purge passes and legal holds, for IT
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   docketctl retention show [--due N]          what goes when, bytes per category,
 *                                               days of free space at the intake rate
 *   docketctl retention run --dry-run | --now   a purge pass (dry: list only)
 *   docketctl retention hold --recording ID | --incident ID | --case NUMBER --reason TEXT
 *   docketctl retention release HOLD --reason TEXT
 *   docketctl retention holds [--all]
 *
 * All through docketd's Admin interface (root or docketd's own user): the
 * daemon holds the policy in force, which decides every keep-until.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docketctl.h"

static gchar *
format_date (gint64 usec)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (usec <= 0)
    return g_strdup ("—");
  if (usec == G_MAXINT64)
    return g_strdup (_ ("never"));
  utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  if (utc == NULL)
    return g_strdup ("?");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static gchar *
format_day (gint64 usec)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d") : g_strdup ("?");
}

static gint64
lookup_x (GVariantDict *dict, const gchar *key)
{
  gint64 value = 0;

  (void)g_variant_dict_lookup (dict, key, "x", &value);
  return value;
}

static guint64
lookup_t (GVariantDict *dict, const gchar *key)
{
  guint64 value = 0;

  (void)g_variant_dict_lookup (dict, key, "t", &value);
  return value;
}

static guint32
lookup_u (GVariantDict *dict, const gchar *key)
{
  guint32 value = 0;

  (void)g_variant_dict_lookup (dict, key, "u", &value);
  return value;
}

static void
print_bytes_line (const gchar *label, guint32 count, guint64 bytes)
{
  g_autofree gchar *size = g_format_size (bytes);

  g_print ("%-34s %8u  %s\n", label, count, size);
}

static void
print_forecast (GVariant *forecast, gboolean run, gboolean dry_run)
{
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (forecast);
  g_autoptr (GVariant) due = g_variant_dict_lookup_value (&dict, "due", G_VARIANT_TYPE ("aa{sv}"));
  g_autoptr (GVariant) kept = g_variant_dict_lookup_value (&dict, "kept", G_VARIANT_TYPE ("a{su}"));
  g_autoptr (GVariant) categories
      = g_variant_dict_lookup_value (&dict, "categories", G_VARIANT_TYPE ("aa{sv}"));
  g_autoptr (GVariant) schedule
      = g_variant_dict_lookup_value (&dict, "schedule", G_VARIANT_TYPE ("aa{sv}"));
  guint64 intake = lookup_t (&dict, "intake-bytes-per-day");
  guint64 free_bytes = lookup_t (&dict, "free-bytes");
  g_autofree gchar *next = format_date (lookup_x (&dict, "next-purge-usec"));
  g_autofree gchar *full = format_date (lookup_x (&dict, "full-usec"));
  g_autofree gchar *intake_text = g_format_size (intake);
  g_autofree gchar *free_text = g_format_size (free_bytes);
  gboolean warn = FALSE;

  if (run)
    {
      g_autofree gchar *purged = g_format_size (lookup_t (&dict, "purged-bytes"));

      if (dry_run)
        g_print (_ ("Dry run: nothing was removed.\n"));
      else
        g_print (_ ("Purged %u recordings (%s) in %.2f s.\n"), lookup_u (&dict, "purged"), purged,
                 (gdouble)lookup_x (&dict, "elapsed-usec") / G_USEC_PER_SEC);
    }
  print_bytes_line (_ ("Recordings in the store"), lookup_u (&dict, "recordings"),
                    lookup_t (&dict, "bytes"));
  print_bytes_line (run && !dry_run ? _ ("Were due") : _ ("Due now (retention over)"),
                    lookup_u (&dict, "due-count"), lookup_t (&dict, "due-bytes"));
  print_bytes_line (_ ("Due within 7 days"), lookup_u (&dict, "due-7-days"),
                    lookup_t (&dict, "due-7-days-bytes"));
  print_bytes_line (_ ("Due within 30 days"), lookup_u (&dict, "due-30-days"),
                    lookup_t (&dict, "due-30-days-bytes"));
  g_print (_ ("Under legal hold: %u\n"), lookup_u (&dict, "held"));
  if (kept != NULL)
    {
      GVariantIter iter;
      const gchar *reason;
      guint32 n;

      g_variant_iter_init (&iter, kept);
      while (g_variant_iter_next (&iter, "{&su}", &reason, &n))
        if (n > 0)
          g_print (_ ("Past retention but kept (%s): %u\n"), reason, n);
    }
  g_print (_ ("Next purge: %s\n"), next);
  g_print (_ ("Intake: %s a day (last 30 days); free: %s\n"), intake_text, free_text);
  if (intake > 0 && lookup_x (&dict, "full-usec") > 0)
    g_print (_ ("Free space lasts %.0f days at this rate (until %s)\n"),
             (gdouble)free_bytes / (gdouble)intake, full);
  (void)g_variant_dict_lookup (&dict, "full-before-purge", "b", &warn);
  if (warn)
    g_print (_ ("WARNING: the disk will be full before the oldest footage may be purged.\n"));

  if (schedule != NULL && g_variant_n_children (schedule) > 0)
    {
      GVariantIter iter;
      GVariant *child;

      g_print ("\n%-23s %10s  %s\n", _ ("KEEP-UNTIL REACHED"), _ ("RECORDINGS"), _ ("SIZE"));
      g_variant_iter_init (&iter, schedule);
      while ((child = g_variant_iter_next_value (&iter)) != NULL)
        {
          g_auto (GVariantDict) period = G_VARIANT_DICT_INIT (child);
          g_autofree gchar *from = format_day (lookup_x (&period, "from-usec"));
          g_autofree gchar *to = format_day (lookup_x (&period, "to-usec"));
          g_autofree gchar *span = g_strdup_printf ("%s – %s", from, to);
          g_autofree gchar *size = g_format_size (lookup_t (&period, "bytes"));

          g_print ("%-23s %10u  %s\n", span, lookup_u (&period, "recordings"), size);
          g_variant_unref (child);
        }
    }
  if (categories != NULL && g_variant_n_children (categories) > 0)
    {
      GVariantIter iter;
      GVariant *child;

      g_print ("\n%-26s %10s %10s  %s\n", _ ("CATEGORY"), _ ("RETENTION"), _ ("RECORDINGS"),
               _ ("SIZE"));
      g_variant_iter_init (&iter, categories);
      while ((child = g_variant_iter_next_value (&iter)) != NULL)
        {
          g_auto (GVariantDict) c = G_VARIANT_DICT_INIT (child);
          const gchar *id = "";
          g_autofree gchar *size = g_format_size (lookup_t (&c, "bytes"));
          g_autofree gchar *days = g_strdup_printf (_ ("%u d"), lookup_u (&c, "retention-days"));

          (void)g_variant_dict_lookup (&c, "category", "&s", &id);
          g_print ("%-26s %10s %10u  %s\n", id, days, lookup_u (&c, "recordings"), size);
          g_variant_unref (child);
        }
    }
  if (due != NULL && g_variant_n_children (due) > 0)
    {
      GVariantIter iter;
      GVariant *child;

      g_print ("\n%-8s %-17s %-20s %s\n", _ ("ID"), _ ("KEEP UNTIL"), _ ("CATEGORY"), _ ("RULE"));
      g_variant_iter_init (&iter, due);
      while ((child = g_variant_iter_next_value (&iter)) != NULL)
        {
          g_auto (GVariantDict) d = G_VARIANT_DICT_INIT (child);
          const gchar *category = "", *rule = "";
          g_autofree gchar *until = format_date (lookup_x (&d, "keep-until-usec"));

          (void)g_variant_dict_lookup (&d, "category", "&s", &category);
          (void)g_variant_dict_lookup (&d, "rule", "&s", &rule);
          g_print ("%-8" G_GINT64_FORMAT " %-17s %-20s %s\n", lookup_x (&d, "id"), until, category,
                   rule);
          g_variant_unref (child);
        }
    }
}

static int
print_result (const DocketctlOptions *options, GVariant *value)
{
  g_autoptr (JsonNode) node = docketctl_variant_to_json (value);

  docketctl_print_json (node, TRUE);
  return DOCKETCTL_EXIT_OK;
}

static int
retention_show_or_run (const DocketctlOptions *options,
                       gboolean run,
                       gboolean dry_run,
                       gint max_due)
{
  g_autoptr (DocketDBusAdmin) admin = docketctl_connect_admin (options);
  g_autoptr (GVariant) forecast = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (admin == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;
  /* A pass over a large store takes a while: no D-Bus timeout. */
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (admin), G_MAXINT);
  ok = run ? docket_dbus_admin_call_run_retention_sync (admin, dry_run, (guint)MAX (max_due, 0),
                                                        &forecast, NULL, &error)
           : docket_dbus_admin_call_get_retention_sync (admin, (guint)MAX (max_due, 0), &forecast,
                                                        NULL, &error);
  if (!ok)
    return docketctl_report_failure (
        run ? _ ("run the retention pass") : _ ("read the retention forecast"), error);
  if (options->json)
    return print_result (options, forecast);
  print_forecast (forecast, run, dry_run);
  return DOCKETCTL_EXIT_OK;
}

static int
retention_holds (const DocketctlOptions *options, gboolean all)
{
  g_autoptr (DocketDBusAdmin) admin = docketctl_connect_admin (options);
  g_autoptr (GVariant) holds = NULL;
  g_autoptr (GError) error = NULL;
  GVariantIter iter;
  GVariant *child;

  if (admin == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;
  if (!docket_dbus_admin_call_list_holds_sync (admin, all, &holds, NULL, &error))
    return docketctl_report_failure (_ ("list legal holds"), error);
  if (options->json)
    return print_result (options, holds);
  if (g_variant_n_children (holds) == 0)
    {
      g_print (_ ("No legal holds.\n"));
      return DOCKETCTL_EXIT_OK;
    }
  g_variant_iter_init (&iter, holds);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_auto (GVariantDict) d = G_VARIANT_DICT_INIT (child);
      const gchar *kind = "", *target = "", *reason = "", *by = "", *released_by = NULL,
                  *release_reason = "";
      g_autofree gchar *placed = format_date (lookup_x (&d, "placed-usec"));

      (void)g_variant_dict_lookup (&d, "kind", "&s", &kind);
      (void)g_variant_dict_lookup (&d, "target", "&s", &target);
      (void)g_variant_dict_lookup (&d, "reason", "&s", &reason);
      (void)g_variant_dict_lookup (&d, "placed-by", "&s", &by);
      (void)g_variant_dict_lookup (&d, "released-by", "&s", &released_by);
      (void)g_variant_dict_lookup (&d, "release-reason", "&s", &release_reason);
      g_print (_ ("Hold %lld: %s %s, placed %s by %s — %s\n"), (long long)lookup_x (&d, "id"), kind,
               target, placed, by, reason);
      if (released_by != NULL)
        {
          g_autofree gchar *released = format_date (lookup_x (&d, "released-usec"));

          g_print (_ ("    released %s by %s — %s\n"), released, released_by, release_reason);
        }
      g_variant_unref (child);
    }
  return DOCKETCTL_EXIT_OK;
}

int
docketctl_retention (const DocketctlOptions *options, int argc, char **argv)
{
  g_autoptr (GOptionContext) context
      = g_option_context_new (_ ("show | run | hold | release HOLD | holds"));
  g_autoptr (GError) error = NULL;
  gboolean dry_run = FALSE, now = FALSE, all = FALSE;
  gint max_due = 20;
  gint64 recording = 0, incident = 0;
  g_autofree gchar *case_number = NULL;
  g_autofree gchar *reason = NULL;
  const GOptionEntry entries[]
      = { { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
            N_ ("run: list what would go, remove nothing"), NULL },
          { "now", 0, 0, G_OPTION_ARG_NONE, &now, N_ ("run: purge what is due now"), NULL },
          { "due", 0, 0, G_OPTION_ARG_INT, &max_due,
            N_ ("show, run: list at most N due recordings"), N_ ("N") },
          { "recording", 0, 0, G_OPTION_ARG_INT64, &recording, N_ ("hold: this recording"),
            N_ ("ID") },
          { "incident", 0, 0, G_OPTION_ARG_INT64, &incident,
            N_ ("hold: this recording's whole incident"), N_ ("ID") },
          { "case", 0, 0, G_OPTION_ARG_STRING, &case_number,
            N_ ("hold: every recording with this case number"), N_ ("NUMBER") },
          { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_ ("hold, release: why (required)"),
            N_ ("TEXT") },
          { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_ ("holds: released ones too"), NULL },
          { NULL } };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("docketctl retention: %s\n", error->message);
      return DOCKETCTL_EXIT_USAGE;
    }
  if (argc == 2 && g_str_equal (argv[1], "show"))
    return retention_show_or_run (options, FALSE, TRUE, max_due);
  if (argc == 2 && g_str_equal (argv[1], "run"))
    {
      if (dry_run == now)
        {
          g_printerr (_ ("docketctl retention run: say --dry-run or --now\n"));
          return DOCKETCTL_EXIT_USAGE;
        }
      return retention_show_or_run (options, TRUE, dry_run, max_due);
    }
  if (argc == 2 && g_str_equal (argv[1], "holds"))
    return retention_holds (options, all);
  if (argc == 2 && g_str_equal (argv[1], "hold"))
    {
      g_autoptr (DocketDBusAdmin) admin = NULL;
      g_autofree gchar *target = NULL;
      const gchar *kind;
      gint64 hold = 0;

      if ((recording != 0) + (incident != 0) + (case_number != NULL) != 1 || reason == NULL)
        {
          g_printerr (_ ("docketctl retention hold: say one of --recording, --incident or --case, "
                         "and --reason\n"));
          return DOCKETCTL_EXIT_USAGE;
        }
      kind = recording != 0 ? "recording" : incident != 0 ? "incident" : "case";
      target = case_number != NULL
                   ? g_strdup (case_number)
                   : g_strdup_printf ("%" G_GINT64_FORMAT, recording != 0 ? recording : incident);
      admin = docketctl_connect_admin (options);
      if (admin == NULL)
        return DOCKETCTL_EXIT_UNAVAILABLE;
      if (!docket_dbus_admin_call_place_hold_sync (admin, kind, target, reason, &hold, NULL,
                                                   &error))
        return docketctl_report_failure (_ ("place the hold"), error);
      g_print (_ ("Hold %lld placed.\n"), (long long)hold);
      return DOCKETCTL_EXIT_OK;
    }
  if (argc == 3 && g_str_equal (argv[1], "release"))
    {
      g_autoptr (DocketDBusAdmin) admin = NULL;
      gint64 hold = 0;

      if (!g_ascii_string_to_signed (argv[2], 10, 1, G_MAXINT64, &hold, NULL) || reason == NULL)
        {
          g_printerr (_ ("docketctl retention release: say the hold's number and --reason\n"));
          return DOCKETCTL_EXIT_USAGE;
        }
      admin = docketctl_connect_admin (options);
      if (admin == NULL)
        return DOCKETCTL_EXIT_UNAVAILABLE;
      if (!docket_dbus_admin_call_release_hold_sync (admin, hold, reason, NULL, &error))
        return docketctl_report_failure (_ ("release the hold"), error);
      g_print (_ ("Hold %lld released.\n"), (long long)hold);
      return DOCKETCTL_EXIT_OK;
    }
  g_printerr (_ ("docketctl retention: say “show”, “run”, “hold”, “release HOLD” or “holds”\n"));
  return DOCKETCTL_EXIT_USAGE;
}
