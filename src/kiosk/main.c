/* main.c — docket, the dock's touchscreen kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>

#include "docket-application.h"

int
main (int argc, char **argv)
{
  g_autoptr (DocketApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_ ("Docket"));
  app = docket_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
