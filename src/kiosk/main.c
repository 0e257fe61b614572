/* main.c — docket, the dock's touchscreen kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib-unix.h>

#include <glib/gi18n-lib.h>

#include "docket-application.h"

/* systemd and tests stop the kiosk with SIGTERM: shut down cleanly. */
static gboolean
quit_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (DocketApplication) app = NULL;
  /* Run from the build tree (tools/demo.sh), the catalogues are in build/po. */
  const gchar *localedir = g_getenv ("DOCKET_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_ ("Docket"));
  app = docket_application_new ();
  g_unix_signal_add (SIGTERM, quit_cb, app);
  g_unix_signal_add (SIGINT, quit_cb, app);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
