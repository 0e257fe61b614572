/* docket-test-sim.c — docketd behind docket-sim on a private bus, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-test-sim.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#define WAIT_SECONDS 90

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
docket_test_wait_until (DocketTestCondition cond,
                        gpointer fixture,
                        gconstpointer data,
                        const gchar *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, on_timeout, &timed_out);

  while (!cond (fixture, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (id);
}

static gboolean
name_owned (gpointer fixture, gconstpointer data)
{
  DocketTestSim *self = fixture;
  g_autofree gchar *owner = NULL;

  owner
      = g_dbus_object_manager_client_get_name_owner (G_DBUS_OBJECT_MANAGER_CLIENT (self->objects));
  return owner != NULL;
}

/* In the child before exec: if the test dies (an assertion aborts it),
 * docket-sim goes too, and with it its docketd; otherwise they keep the
 * test's output open and meson waits for them. */
static void
end_with_test (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

void
docket_test_sim_start (DocketTestSim *self,
                       guint cameras,
                       guint recordings,
                       const gchar *const *daemon_args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree gchar *n_cameras = g_strdup_printf ("%u", cameras);
  g_autofree gchar *n_recordings = g_strdup_printf ("%u", recordings);
  g_auto (GStrv) argv = NULL;

  memset (self, 0, sizeof *self);
  self->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (self->bus);
  self->state_dir = g_dir_make_tmp ("docket-test-sim-XXXXXX", &error);
  g_assert_no_error (error);

  g_strv_builder_add_many (builder, g_getenv ("DOCKET_SIM"), "--cameras", n_cameras, "--recordings",
                           n_recordings, "--media-dir", g_getenv ("DOCKET_SIM_MEDIA_DIR"), "--",
                           g_getenv ("DOCKETD"), "--session", "--state-dir", self->state_dir, NULL);
  if (daemon_args != NULL)
    g_strv_builder_addv (builder, (const gchar **)daemon_args);
  argv = g_strv_builder_end (builder);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, end_with_test, NULL, NULL);
  self->sim = g_subprocess_launcher_spawnv (launcher, (const gchar *const *)argv, &error);
  g_assert_no_error (error);
  self->sim_stdin = g_object_ref (g_subprocess_get_stdin_pipe (self->sim));

  self->objects = docket_dbus_object_manager_client_new_for_bus_sync (
      G_BUS_TYPE_SESSION, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START, DOCKET_DBUS_NAME,
      DOCKET_DBUS_PATH, NULL, &error);
  g_assert_no_error (error);
  docket_test_wait_until (name_owned, self, NULL, "docketd to own its name");
}

void
docket_test_sim_stop (DocketTestSim *self)
{
  g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", self->state_dir);

  docket_test_sim_quit (self);
  g_assert_cmpint (system (cmd), ==, 0);
  g_clear_pointer (&self->state_dir, g_free);
}

void
docket_test_sim_quit (DocketTestSim *self)
{
  g_autoptr (GError) error = NULL;

  docket_test_sim_command (self, "quit");
  g_subprocess_wait (self->sim, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (self->sim));
  g_assert_cmpint (g_subprocess_get_exit_status (self->sim), ==, 0);

  g_clear_object (&self->objects);
  g_clear_object (&self->sim_stdin);
  g_clear_object (&self->sim);
  g_test_dbus_down (self->bus);
  g_clear_object (&self->bus);
}

void
docket_test_sim_command (DocketTestSim *self, const gchar *command)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *line = g_strdup_printf ("%s\n", command);

  g_output_stream_write_all (self->sim_stdin, line, strlen (line), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_flush (self->sim_stdin, NULL, &error);
  g_assert_no_error (error);
}

DocketDBusCamera *
docket_test_sim_find_camera (DocketTestSim *self, const gchar *serial)
{
  g_autolist (GDBusObject) objects = g_dbus_object_manager_get_objects (self->objects);

  for (GList *l = objects; l != NULL; l = l->next)
    {
      g_autoptr (DocketDBusCamera) camera = docket_dbus_object_get_camera (l->data);

      if (camera != NULL && g_strcmp0 (docket_dbus_camera_get_serial (camera), serial) == 0)
        return g_steal_pointer (&camera);
    }
  return NULL;
}
