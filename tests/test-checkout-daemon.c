/* test-checkout-daemon.c — pooled cameras through docketd, simulated USB
 * cameras and D-Bus: refusals, check-out, return by docking, charge history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "docket-dbus-generated.h"

typedef struct
{
  GTestDBus *bus;
  gchar *state_dir;
  GSubprocess *sim;
  GOutputStream *sim_stdin;
  GDBusObjectManager *objects;
  DocketDBusAdmin *admin;
} Fixture;

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (Fixture *f, gconstpointer data);

/* Generous limit, never a timing assertion. */
static void
wait_until (Fixture *f, Condition cond, gconstpointer data, const gchar *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (90, on_timeout, &timed_out);

  while (!cond (f, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (id);
}

static DocketDBusCamera *
find_camera (Fixture *f, const gchar *serial)
{
  g_autolist (GDBusObject) objects = g_dbus_object_manager_get_objects (f->objects);

  for (GList *l = objects; l != NULL; l = l->next)
    {
      g_autoptr (DocketDBusCamera) camera = docket_dbus_object_get_camera (l->data);

      if (camera != NULL && g_strcmp0 (docket_dbus_camera_get_serial (camera), serial) == 0)
        return g_steal_pointer (&camera);
    }
  return NULL;
}

static gboolean
name_owned (Fixture *f, gconstpointer data)
{
  g_autofree gchar *owner = NULL;

  owner = g_dbus_object_manager_client_get_name_owner (G_DBUS_OBJECT_MANAGER_CLIENT (f->objects));
  return owner != NULL;
}

static gboolean
first_pooled (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusCamera) camera = find_camera (f, "SIM-0001");

  return camera != NULL && docket_dbus_camera_get_pooled (camera);
}

static gboolean
third_ready (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusCamera) camera = find_camera (f, "SIM-0003");

  return camera != NULL && docket_dbus_camera_get_ready_for_shift (camera)
         && docket_dbus_camera_get_pooled (camera);
}

static gboolean
third_held_by (Fixture *f, gconstpointer badge)
{
  g_autoptr (DocketDBusCamera) camera = find_camera (f, "SIM-0003");

  return camera != NULL && docket_dbus_camera_get_pooled (camera)
         && g_strcmp0 (docket_dbus_camera_get_holder (camera), badge) == 0
         && g_strcmp0 (docket_dbus_camera_get_state (camera), "identifying") != 0;
}

static gboolean
third_gone (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusCamera) camera = find_camera (f, "SIM-0003");

  return camera == NULL;
}

static void
sim_command (Fixture *f, const gchar *command)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *line = g_strdup_printf ("%s\n", command);

  g_output_stream_write_all (f->sim_stdin, line, strlen (line), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_flush (f->sim_stdin, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  const gchar *argv[] = { g_getenv ("DOCKET_SIM"),
                          "--cameras",
                          "2",
                          "--recordings",
                          "1",
                          "--media-dir",
                          g_getenv ("DOCKET_SIM_MEDIA_DIR"),
                          "--",
                          g_getenv ("DOCKETD"),
                          "--session",
                          "--state-dir",
                          NULL,
                          NULL };

  f->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (f->bus);
  f->state_dir = g_dir_make_tmp ("docket-test-checkout-XXXXXX", &error);
  g_assert_no_error (error);
  argv[G_N_ELEMENTS (argv) - 2] = f->state_dir;
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  f->sim = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  f->sim_stdin = g_object_ref (g_subprocess_get_stdin_pipe (f->sim));
  f->objects = docket_dbus_object_manager_client_new_for_bus_sync (
      G_BUS_TYPE_SESSION, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START, DOCKET_DBUS_NAME,
      DOCKET_DBUS_PATH, NULL, &error);
  g_assert_no_error (error);
  wait_until (f, name_owned, NULL, "docketd to own its name");
  f->admin = docket_dbus_admin_proxy_new_for_bus_sync (
      G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, DOCKET_DBUS_NAME, DOCKET_DBUS_PATH,
      NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", f->state_dir);

  sim_command (f, "quit");
  g_subprocess_wait (f->sim, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (f->sim));
  g_assert_cmpint (g_subprocess_get_exit_status (f->sim), ==, 0);
  g_clear_object (&f->admin);
  g_clear_object (&f->objects);
  g_clear_object (&f->sim_stdin);
  g_clear_object (&f->sim);
  g_test_dbus_down (f->bus);
  g_clear_object (&f->bus);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->state_dir);
}

static DocketDBusSession *
sign_in (Fixture *f, const gchar *badge)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketDBusPeople) people = docket_dbus_people_proxy_new_for_bus_sync (
      G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, DOCKET_DBUS_NAME, DOCKET_DBUS_PATH,
      NULL, &error);
  g_autofree gchar *path = NULL;
  DocketDBusSession *session;

  g_assert_no_error (error);
  docket_dbus_people_call_sign_in_sync (people, badge, "123456", &path, NULL, &error);
  g_assert_no_error (error);
  session = docket_dbus_session_proxy_new_for_bus_sync (G_BUS_TYPE_SESSION,
                                                        G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                                        DOCKET_DBUS_NAME, path, NULL, &error);
  g_assert_no_error (error);
  return session;
}

static void
test_check_out (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketDBusSession) session = NULL;
  g_autoptr (GVariant) holders = NULL;
  g_autoptr (GVariant) history = NULL;
  g_autofree gchar *slot = NULL;
  g_autofree gchar *serial = NULL;

  docket_dbus_admin_call_add_officer_sync (f->admin, "B100", "Officer A", "officer", "123456", NULL,
                                           &error);
  g_assert_no_error (error);
  /* SIM-0001 starts at 20 %: pooled, but not ready. */
  docket_dbus_admin_call_set_camera_pooled_sync (f->admin, "SIM-0001", TRUE, NULL, &error);
  g_assert_no_error (error);
  wait_until (f, first_pooled, NULL, "SIM-0001 to show as pooled");
  session = sign_in (f, "B100");
  g_assert_false (
      docket_dbus_session_call_check_out_camera_sync (session, &slot, &serial, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "charged enough"));
  g_clear_error (&error);

  /* A charged pooled camera is docked: it is handed out. */
  docket_dbus_admin_call_set_camera_pooled_sync (f->admin, "SIM-0003", TRUE, NULL, &error);
  g_assert_no_error (error);
  sim_command (f, "add SIM-0003");
  sim_command (f, "battery SIM-0003 95");
  sim_command (f, "dock SIM-0003");
  wait_until (f, third_ready, NULL, "SIM-0003 to be ready for shift");
  docket_dbus_session_call_check_out_camera_sync (session, &slot, &serial, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (serial, ==, "SIM-0003");
  g_assert_cmpstr (slot, !=, "");
  wait_until (f, third_held_by, "B100", "SIM-0003's holder");

  /* One camera per officer */
  g_clear_pointer (&slot, g_free);
  g_clear_pointer (&serial, g_free);
  g_assert_false (
      docket_dbus_session_call_check_out_camera_sync (session, &slot, &serial, NULL, &error));
  g_assert_nonnull (strstr (error->message, "SIM-0003"));
  g_clear_error (&error);
  docket_dbus_admin_call_list_holders_sync (f->admin, &holders, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (holders), ==, 1);

  /* Taken out and docked again: returned; the stay is in its history. */
  sim_command (f, "undock SIM-0003");
  wait_until (f, third_gone, NULL, "SIM-0003 to be undocked");
  sim_command (f, "dock SIM-0003");
  wait_until (f, third_held_by, "", "SIM-0003 to be returned");
  g_clear_pointer (&holders, g_variant_unref);
  docket_dbus_admin_call_list_holders_sync (f->admin, &holders, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (holders), ==, 0);
  docket_dbus_admin_call_get_charge_history_sync (f->admin, "SIM-0003", &history, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (history), >=, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DOCKET_SIM") == NULL || g_getenv ("DOCKETD") == NULL)
    {
      g_test_skip ("docket-sim or docketd was not built");
      return 77;
    }
  g_test_add ("/checkout-daemon/check-out", Fixture, NULL, fixture_setup, test_check_out,
              fixture_teardown);
  return g_test_run ();
}
