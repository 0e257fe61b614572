/* kiosk-xvfb.c — a private Xvfb for the kiosk's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk-xvfb.h"

/* Runs in the child before exec: if the test dies (an assertion aborts it),
 * its X server, daemon and kiosk go too instead of lingering. */
void
kiosk_test_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

gboolean
kiosk_xvfb_start (const gchar *geometry, GPid *pid, gchar **display)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *xvfb = g_find_program_in_path ("Xvfb");
  /* -displayfd: Xvfb picks a free display and tells us which. */
  const gchar *argv[]
      = { xvfb, "-displayfd", "1", "-screen", "0", geometry, "-nolisten", "tcp", "-noreset", NULL };
  g_autoptr (GString) number = g_string_new (NULL);
  gint out = -1;
  gchar c;

  if (xvfb == NULL)
    {
      g_printerr ("Xvfb is not installed\n");
      return FALSE;
    }
  if (!g_spawn_async_with_pipes (NULL, (gchar **)argv, NULL,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                                 kiosk_test_child_setup, NULL, pid, NULL, &out, NULL, &error))
    {
      g_printerr ("Cannot start Xvfb: %s\n", error->message);
      return FALSE;
    }
  while (read (out, &c, 1) == 1 && c != '\n')
    g_string_append_c (number, c);
  close (out);
  if (number->len == 0)
    {
      g_printerr ("Xvfb did not start\n");
      kiosk_xvfb_stop (pid);
      return FALSE;
    }
  *display = g_strdup_printf (":%s", number->str);
  return TRUE;
}

void
kiosk_xvfb_stop (GPid *pid)
{
  int status = 0;

  if (*pid <= 0)
    return;
  kill (*pid, SIGTERM);
  waitpid (*pid, &status, 0);
  g_spawn_close_pid (*pid);
  *pid = 0;
}
