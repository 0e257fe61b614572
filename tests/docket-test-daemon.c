/* docket-test-daemon.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "docket-test-daemon.h"

struct _DocketTestDaemon
{
  GPid pid;
  gint status;
  gboolean exited;
};

static void
on_name_appeared (GDBusConnection *connection,
                  const gchar *name,
                  const gchar *owner,
                  gpointer user_data)
{
  g_test_message ("%s appeared, owner %s", name, owner);
  *(gboolean *)user_data = TRUE;
}

static void
on_child_exit (GPid pid, gint status, gpointer user_data)
{
  DocketTestDaemon *daemon = user_data;

  daemon->status = status;
  daemon->exited = TRUE;
  g_spawn_close_pid (pid);
}

/* docketd dies with the test: a failed assertion must not leave it holding
 * the test's output open, where the runner waits for it until its time-out. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

DocketTestDaemon *
docket_test_daemon_start (const gchar *state_dir, const gchar *const *extra_args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  DocketTestDaemon *daemon = g_new0 (DocketTestDaemon, 1);
  const gchar *docketd = g_getenv ("DOCKETD");
  gboolean appeared = FALSE;
  gboolean timed_out = FALSE;
  guint watch_id;
  guint timeout_id;

  g_assert_nonnull (docketd);
  g_ptr_array_add (argv, (gpointer)docketd);
  g_ptr_array_add (argv, (gpointer) "--session");
  g_ptr_array_add (argv, (gpointer) "--state-dir");
  g_ptr_array_add (argv, (gpointer)state_dir);
  for (gsize i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)extra_args[i]);
  g_ptr_array_add (argv, NULL);

  watch_id = g_bus_watch_name (G_BUS_TYPE_SESSION, DOCKET_DBUS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                               on_name_appeared, NULL, &appeared, NULL);
  g_spawn_async (NULL, (gchar **)argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent,
                 NULL, &daemon->pid, &error);
  g_assert_no_error (error);
  g_child_watch_add (daemon->pid, on_child_exit, daemon);
  g_test_message ("spawned docketd pid %d on %s", daemon->pid,
                  g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

  /* Generous: under ASan on a busy 2-core machine start-up is slow. */
  timeout_id = g_timeout_add_seconds (60, on_timeout, &timed_out);
  while (!appeared && !timed_out && !daemon->exited)
    g_main_context_iteration (NULL, TRUE);
  g_bus_unwatch_name (watch_id);
  if (!timed_out)
    g_source_remove (timeout_id);

  g_assert_false (daemon->exited);
  g_assert_true (appeared);
  return daemon;
}

gint
docket_test_daemon_stop (DocketTestDaemon *daemon)
{
  gint status;

  if (!daemon->exited)
    kill (daemon->pid, SIGTERM);
  while (!daemon->exited)
    g_main_context_iteration (NULL, TRUE);
  status = daemon->status;
  g_free (daemon);
  return status;
}

void
docket_test_daemon_kill (DocketTestDaemon *daemon)
{
  if (!daemon->exited)
    kill (daemon->pid, SIGKILL);
  while (!daemon->exited)
    g_main_context_iteration (NULL, TRUE);
  g_free (daemon);
}

GPid
docket_test_daemon_get_pid (DocketTestDaemon *daemon)
{
  return daemon->pid;
}

gint
docket_test_run (const gchar *const *argv, gchar **out_stdout, gchar **out_stderr)
{
  g_autoptr (GError) error = NULL;
  gint status = 0;

  g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out_stdout, out_stderr,
                &status, &error);
  g_assert_no_error (error);
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return -1;
}

void
docket_test_bus_fixture_setup (DocketTestBusFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (f->bus);
  f->state_dir = g_dir_make_tmp ("docket-test-XXXXXX", &error);
  g_assert_no_error (error);
}

void
docket_test_bus_fixture_teardown (DocketTestBusFixture *f, gconstpointer data)
{
  g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", f->state_dir);

  g_test_dbus_down (f->bus);
  g_clear_object (&f->bus);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->state_dir);
}
