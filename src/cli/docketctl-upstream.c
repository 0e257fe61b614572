/* docketctl-upstream.c — the department upload queue: status, pause, resume, retry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads Manager.Upstream and calls Manager.ControlUpstream. Credentials
 * are never taken here: docketd reads them from the root-only file named
 * in station.conf.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docketctl.h"

static void
print_usage (void)
{
  g_printerr ("%s\n", _ ("Usage:\n"
                         "  docketctl upstream status\n"
                         "  docketctl upstream pause|resume|retry"));
}

static int
upstream_status (const DocketctlOptions *options, DocketDBusManager *manager)
{
  GVariant *status = docket_dbus_manager_get_upstream (manager);
  const gchar *line = "";
  const gchar *current = "";
  const gchar *endpoint = NULL;
  const gchar *bucket = NULL;
  guint64 sent = 0, size = 0;
  guint32 confirmed = 0;

  if (status == NULL)
    {
      g_printerr ("%s\n", _ ("docketctl: this docketd does not report uploads"));
      return DOCKETCTL_EXIT_FAILED;
    }
  if (options->json)
    {
      docketctl_print_json (docketctl_variant_to_json (status), TRUE);
      return DOCKETCTL_EXIT_OK;
    }
  g_variant_lookup (status, "line", "&s", &line);
  g_print ("%s\n", line);
  if (g_variant_lookup (status, "endpoint", "&s", &endpoint)
      && g_variant_lookup (status, "bucket", "&s", &bucket))
    g_print (_ ("Object storage: %s, bucket %s\n"), endpoint, bucket);
  if (g_variant_lookup (status, "confirmed", "u", &confirmed))
    g_print (_ ("Confirmed upstream: %u recordings\n"), confirmed);
  g_variant_lookup (status, "current", "&s", &current);
  g_variant_lookup (status, "current-sent", "t", &sent);
  g_variant_lookup (status, "current-size", "t", &size);
  if (*current != '\0')
    {
      g_autofree gchar *sent_s = g_format_size (sent);
      g_autofree gchar *size_s = g_format_size (size);

      g_print (_ ("Uploading %s: %s of %s\n"), current, sent_s, size_s);
    }
  return DOCKETCTL_EXIT_OK;
}

int
docketctl_upstream (const DocketctlOptions *options, int argc, char **argv)
{
  g_autoptr (DocketDBusManager) manager = NULL;
  g_autoptr (GError) error = NULL;
  const gchar *action = argc >= 2 ? argv[1] : "status";
  guint affected = 0;

  if (argc > 2)
    {
      print_usage ();
      return DOCKETCTL_EXIT_USAGE;
    }
  if (!g_str_equal (action, "status") && !g_str_equal (action, "pause")
      && !g_str_equal (action, "resume") && !g_str_equal (action, "retry"))
    {
      print_usage ();
      return DOCKETCTL_EXIT_USAGE;
    }
  manager = docketctl_connect_manager (options);
  if (manager == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;
  if (g_str_equal (action, "status"))
    return upstream_status (options, manager);
  if (!docket_dbus_manager_call_control_upstream_sync (manager, action, &affected, NULL, &error))
    {
      g_dbus_error_strip_remote_error (error);
      g_printerr (_ ("docketctl: %s\n"), error->message);
      return DOCKETCTL_EXIT_FAILED;
    }
  if (g_str_equal (action, "retry"))
    g_print (g_dngettext (NULL, "%u recording is due for upload now\n",
                          "%u recordings are due for upload now\n", affected),
             affected);
  else if (g_str_equal (action, "pause"))
    g_print ("%s\n", _ ("Uploads paused"));
  else
    g_print ("%s\n", _ ("Uploads resumed"));
  return DOCKETCTL_EXIT_OK;
}
