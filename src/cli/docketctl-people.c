/* docketctl-people.c — officer enrolment and camera assignment, for IT
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   docketctl officer add BADGE --name NAME --role officer|sergeant|it [--pin-stdin]
 *   docketctl officer list
 *   docketctl officer remove BADGE
 *   docketctl camera assign SERIAL BADGE
 *   docketctl camera pool SERIAL on|off      (check-out at the kiosk)
 *   docketctl camera holders
 *   docketctl camera history SERIAL          (battery charge sessions)
 *
 * The PIN is always read from standard input (never from the command line,
 * where other users could see it in the process list).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "docketctl.h"

/* One line from stdin, without echo when it is a terminal. */
static gchar *
read_pin (void)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  gchar line[128];
  gchar *pin = NULL;

  if (tty)
    {
      g_printerr (_ ("PIN: "));
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t)ECHO;
      (void)tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  if (fgets (line, sizeof line, stdin) != NULL)
    pin = g_strdup (g_strchomp (line));
  memset (line, 0, sizeof line);
  if (tty)
    {
      (void)tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  return pin;
}

static int
officer_add (const DocketctlOptions *options, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (_ ("BADGE — enrol a person"));
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketDBusAdmin) admin = NULL;
  g_autofree gchar *name = NULL;
  g_autofree gchar *role = NULL;
  g_autofree gchar *pin = NULL;
  gboolean pin_stdin = FALSE;
  const GOptionEntry entries[]
      = { { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_ ("Full name"), N_ ("NAME") },
          { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_ ("officer, sergeant or it"), N_ ("ROLE") },
          { "pin-stdin", 0, 0, G_OPTION_ARG_NONE, &pin_stdin,
            N_ ("Read the PIN from standard input (the default)"), NULL },
          { NULL } };
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || name == NULL)
    {
      g_printerr (_ ("Usage: docketctl officer add BADGE --name NAME [--role ROLE] < PIN\n"));
      return DOCKETCTL_EXIT_USAGE;
    }
  admin = docketctl_connect_admin (options);
  if (admin == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;
  pin = read_pin ();
  if (pin == NULL)
    {
      g_printerr (_ ("docketctl: no PIN on standard input\n"));
      return DOCKETCTL_EXIT_USAGE;
    }
  rc = docket_dbus_admin_call_add_officer_sync (admin, argv[1], name,
                                                role != NULL ? role : "officer", pin, NULL, &error)
           ? DOCKETCTL_EXIT_OK
           : docketctl_report_failure (_ ("enrol the person"), error);
  memset (pin, 0, strlen (pin));
  if (rc == DOCKETCTL_EXIT_OK)
    g_print (_ ("Enrolled %s (%s)\n"), argv[1], name);
  return rc;
}

static int
officer_list (const DocketctlOptions *options, int argc, char **argv)
{
  g_autoptr (DocketDBusAdmin) admin = NULL;
  g_autoptr (GVariant) officers = NULL;
  g_autoptr (GError) error = NULL;
  GVariantIter iter;
  const gchar *badge, *name, *role;

  if (!docketctl_no_more_args ("officer list", argc, argv))
    return DOCKETCTL_EXIT_USAGE;
  admin = docketctl_connect_admin (options);
  if (admin == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;
  if (!docket_dbus_admin_call_list_officers_sync (admin, &officers, NULL, &error))
    return docketctl_report_failure (_ ("list people"), error);
  if (options->json)
    {
      g_autoptr (JsonNode) node = docketctl_variant_to_json (officers);
      docketctl_print_json (node, TRUE);
      return DOCKETCTL_EXIT_OK;
    }
  g_variant_iter_init (&iter, officers);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &badge, &name, &role))
    g_print ("%-12s %-10s %s\n", badge, role, name);
  return DOCKETCTL_EXIT_OK;
}

static int
officer_remove (const DocketctlOptions *options, int argc, char **argv)
{
  g_autoptr (DocketDBusAdmin) admin = NULL;
  g_autoptr (GError) error = NULL;

  if (argc != 2)
    {
      g_printerr (_ ("Usage: docketctl officer remove BADGE\n"));
      return DOCKETCTL_EXIT_USAGE;
    }
  admin = docketctl_connect_admin (options);
  if (admin == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;
  if (!docket_dbus_admin_call_remove_officer_sync (admin, argv[1], NULL, &error))
    return docketctl_report_failure (_ ("remove the person"), error);
  return DOCKETCTL_EXIT_OK;
}

int
docketctl_officer (const DocketctlOptions *options, int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "add") == 0)
    return officer_add (options, argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "list") == 0)
    return officer_list (options, argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "remove") == 0)
    return officer_remove (options, argc - 1, argv + 1);
  g_printerr (_ ("Usage: docketctl officer add|list|remove …\n"));
  return DOCKETCTL_EXIT_USAGE;
}

static gchar *
format_usec (gint64 usec)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M UTC") : g_strdup ("?");
}

/* Issue 6b: pooled cameras, who holds what, charge history. */
static int
camera_charge_command (const DocketctlOptions *options,
                       DocketDBusAdmin *admin,
                       int argc,
                       char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) list = NULL;
  GVariantIter iter;

  if (strcmp (argv[1], "pool") == 0)
    {
      gboolean on = strcmp (argv[3], "on") == 0;

      if (!docket_dbus_admin_call_set_camera_pooled_sync (admin, argv[2], on, NULL, &error))
        return docketctl_report_failure (_ ("change the camera pool"), error);
      g_print (on ? _ ("Camera %s is now pooled: officers check it out at the kiosk\n")
                  : _ ("Camera %s is no longer pooled\n"),
               argv[2]);
      return DOCKETCTL_EXIT_OK;
    }
  if (strcmp (argv[1], "holders") == 0)
    {
      const gchar *serial, *badge, *slot;
      gint64 from;

      if (!docket_dbus_admin_call_list_holders_sync (admin, &list, NULL, &error))
        return docketctl_report_failure (_ ("list who holds which camera"), error);
      if (g_variant_n_children (list) == 0)
        g_print ("%s\n", _ ("No camera is checked out."));
      g_variant_iter_init (&iter, list);
      while (g_variant_iter_next (&iter, "(&s&s&sx)", &serial, &badge, &slot, &from))
        {
          g_autofree gchar *when = format_usec (from);

          g_print ("%-16s %-10s %-8s %s\n", serial, badge, slot, when);
        }
      return DOCKETCTL_EXIT_OK;
    }
  if (strcmp (argv[1], "history") == 0)
    {
      gint64 docked, undocked;
      gint start, end;
      guint32 cycles, full, design;
      gdouble temp;

      if (!docket_dbus_admin_call_get_charge_history_sync (admin, argv[2], &list, NULL, &error))
        return docketctl_report_failure (_ ("read the charge history"), error);
      if (g_variant_n_children (list) == 0)
        g_print ("%s\n", _ ("No charge history for this camera."));
      g_variant_iter_init (&iter, list);
      while (g_variant_iter_next (&iter, "(xxiiuuud)", &docked, &undocked, &start, &end, &cycles,
                                  &full, &design, &temp))
        {
          g_autofree gchar *from = format_usec (docked);

          g_print (_ ("%s  %3d%% → %3d%%  %3d min  %u cycles  %u/%u mAh  max %.0f °C\n"), from,
                   start, end, (gint)((undocked - docked) / (60 * G_USEC_PER_SEC)), cycles, full,
                   design, temp);
        }
      return DOCKETCTL_EXIT_OK;
    }
  return DOCKETCTL_EXIT_USAGE;
}

int
docketctl_camera (const DocketctlOptions *options, int argc, char **argv)
{
  g_autoptr (DocketDBusAdmin) admin = NULL;
  g_autoptr (GError) error = NULL;

  if ((argc == 4 && strcmp (argv[1], "pool") == 0
       && (strcmp (argv[3], "on") == 0 || strcmp (argv[3], "off") == 0))
      || (argc == 2 && strcmp (argv[1], "holders") == 0)
      || (argc == 3 && strcmp (argv[1], "history") == 0))
    {
      admin = docketctl_connect_admin (options);
      if (admin == NULL)
        return DOCKETCTL_EXIT_UNAVAILABLE;
      return camera_charge_command (options, admin, argc, argv);
    }
  if (argc != 4 || strcmp (argv[1], "assign") != 0)
    {
      g_printerr (_ ("Usage: docketctl camera assign SERIAL BADGE\n"
                     "       docketctl camera pool SERIAL on|off\n"
                     "       docketctl camera holders\n"
                     "       docketctl camera history SERIAL\n"));
      return DOCKETCTL_EXIT_USAGE;
    }
  admin = docketctl_connect_admin (options);
  if (admin == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;
  if (!docket_dbus_admin_call_assign_camera_sync (admin, argv[2], argv[3], NULL, &error))
    return docketctl_report_failure (_ ("assign the camera"), error);
  g_print (_ ("Camera %s now belongs to %s\n"), argv[2], argv[3]);
  return DOCKETCTL_EXIT_OK;
}
