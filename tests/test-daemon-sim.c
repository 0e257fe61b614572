/* test-daemon-sim.c — docketd with simulated USB cameras, end to end over D-Bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `docket-sim -- docketd --session` is exactly what the demo runs: real udev
 * and libusb code in docketd, cameras played by umockdev. The test talks to
 * the daemon only through its D-Bus API and docketctl, as a client would.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "docket-dbus-generated.h"
#include "docket-test-daemon.h"

typedef struct
{
  GTestDBus *bus;
  gchar *state_dir;
  GSubprocess *sim;
  GOutputStream *sim_stdin;
  GDBusObjectManager *objects;
  DocketDBusManager *manager;
} Fixture;

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (Fixture *f, gconstpointer data);

/* Iterate the main context until @cond holds; fail after a generous limit
 * (ASan on 2 busy cores is slow), never a timing assertion. */
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
camera_done (Fixture *f, gconstpointer serial)
{
  g_autoptr (DocketDBusCamera) camera = find_camera (f, serial);

  return camera != NULL && g_strcmp0 (docket_dbus_camera_get_state (camera), "done") == 0;
}

static gboolean
camera_gone (Fixture *f, gconstpointer serial)
{
  g_autoptr (DocketDBusCamera) camera = find_camera (f, serial);

  return camera == NULL;
}

static gboolean
name_owned (Fixture *f, gconstpointer data)
{
  g_autofree gchar *owner = NULL;

  if (f->objects == NULL)
    return FALSE;
  owner = g_dbus_object_manager_client_get_name_owner (G_DBUS_OBJECT_MANAGER_CLIENT (f->objects));
  return owner != NULL;
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
                          "2",
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
  f->state_dir = g_dir_make_tmp ("docket-test-daemon-sim-XXXXXX", &error);
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
  f->manager = docket_dbus_manager_proxy_new_for_bus_sync (
      G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, DOCKET_DBUS_NAME, DOCKET_DBUS_PATH,
      NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", f->state_dir);

  /* quit: the simulator SIGTERMs docketd and exits with its status. */
  sim_command (f, "quit");
  g_subprocess_wait (f->sim, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (f->sim));
  g_assert_cmpint (g_subprocess_get_exit_status (f->sim), ==, 0);

  g_clear_object (&f->manager);
  g_clear_object (&f->objects);
  g_clear_object (&f->sim_stdin);
  g_clear_object (&f->sim);
  g_test_dbus_down (f->bus);
  g_clear_object (&f->bus);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->state_dir);
}

static void
test_dock_and_offload (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) status = NULL;
  const gchar *serials[] = { "SIM-0001", "SIM-0002" };
  guint32 cameras = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (serials); i++)
    {
      g_autoptr (DocketDBusCamera) camera = NULL;
      GVariant *offload;
      guint32 done = 0, total = 0, verified = 0;

      wait_until (f, camera_done, serials[i], "a camera to finish offloading");
      camera = find_camera (f, serials[i]);
      g_assert_cmpstr (docket_dbus_camera_get_driver (camera), ==, "dcp");
      g_assert_cmpstr (docket_dbus_camera_get_problem (camera), ==, "");
      g_assert_cmpstr (docket_dbus_camera_get_firmware_version (camera), !=, "");
      g_assert_cmpint (docket_dbus_camera_get_battery_percent (camera), >=, 0);
      g_assert_cmpuint (docket_dbus_camera_get_storage_total (camera), >, 0);
      offload = docket_dbus_camera_get_offload (camera);
      g_assert_true (g_variant_lookup (offload, "files-done", "u", &done));
      g_assert_true (g_variant_lookup (offload, "files-total", "u", &total));
      g_assert_true (g_variant_lookup (offload, "verified", "u", &verified));
      g_assert_cmpuint (total, ==, 2);
      g_assert_cmpuint (done, ==, 2);
      g_assert_cmpuint (verified, ==, 2);
    }

  docket_dbus_manager_call_get_status_sync (f->manager, &status, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (status, "cameras", "u", &cameras));
  g_assert_cmpuint (cameras, ==, 2);
  g_assert_cmpuint (docket_dbus_manager_get_docked_cameras (f->manager), ==, 2);
}

static void
on_event (DocketDBusManager *manager,
          const gchar *kind,
          const gchar *camera,
          const gchar *message,
          GVariant *details,
          GPtrArray *kinds)
{
  g_ptr_array_add (kinds, g_strdup (kind));
}

static gboolean
kinds_contain (Fixture *f, gconstpointer data)
{
  GPtrArray *kinds = g_object_get_data (G_OBJECT (f->manager), "kinds");
  const gchar *kind = data;

  for (guint i = 0; i < kinds->len; i++)
    if (g_strcmp0 (g_ptr_array_index (kinds, i), kind) == 0)
      return TRUE;
  return FALSE;
}

/* Undock and re-dock: the D-Bus view follows the testbed, events say so,
 * and docketctl shows the same. */
static void
test_undock_redock (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
  const gchar *ctl_argv[] = { g_getenv ("DOCKETCTL"), "--session", "cameras", "--json", NULL };
  g_autofree gchar *json = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *array;

  wait_until (f, camera_done, "SIM-0001", "SIM-0001 to finish");
  wait_until (f, camera_done, "SIM-0002", "SIM-0002 to finish");
  g_object_set_data (G_OBJECT (f->manager), "kinds", kinds);
  g_signal_connect (f->manager, "event", G_CALLBACK (on_event), kinds);

  for (guint round = 0; round < 3; round++)
    {
      sim_command (f, "undock SIM-0001");
      wait_until (f, camera_gone, "SIM-0001", "SIM-0001 to leave D-Bus");
      g_assert_false (camera_gone (f, "SIM-0002"));
      sim_command (f, "dock SIM-0001");
      /* Everything was offloaded (and erased from the camera) already. */
      wait_until (f, camera_done, "SIM-0001", "SIM-0001 to come back");
    }
  wait_until (f, kinds_contain, "undocked", "an undocked event");
  wait_until (f, kinds_contain, "docked", "a docked event");
  wait_until (f, kinds_contain, "identified", "an identified event");

  g_assert_cmpint (docket_test_run (ctl_argv, &json, NULL), ==, 0);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_signal_handlers_disconnect_by_data (f->manager, kinds);
  g_object_set_data (G_OBJECT (f->manager), "kinds", NULL);
}

/* A camera that does not answer is faulty in plain words; the other is served. */
static void
test_faulty_camera (Fixture *f, gconstpointer data)
{
  wait_until (f, camera_done, "SIM-0002", "SIM-0002 to finish");
  sim_command (f, "undock SIM-0001");
  wait_until (f, camera_gone, "SIM-0001", "SIM-0001 to leave");
  sim_command (f, "fault SIM-0001 no-reply");
  sim_command (f, "dock SIM-0001");
  for (;;)
    {
      g_autolist (GDBusObject) objects = g_dbus_object_manager_get_objects (f->objects);
      gboolean faulty = FALSE;

      for (GList *l = objects; l != NULL; l = l->next)
        {
          g_autoptr (DocketDBusCamera) camera = docket_dbus_object_get_camera (l->data);

          if (camera != NULL && g_strcmp0 (docket_dbus_camera_get_state (camera), "faulty") == 0)
            {
              g_assert_cmpstr (docket_dbus_camera_get_problem (camera), !=, "");
              faulty = TRUE;
            }
        }
      if (faulty)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (camera_done (f, "SIM-0002"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DOCKET_SIM") == NULL)
    {
      g_test_skip ("docket-sim was not built");
      return 77;
    }
  g_test_add ("/daemon-sim/dock-and-offload", Fixture, NULL, fixture_setup, test_dock_and_offload,
              fixture_teardown);
  g_test_add ("/daemon-sim/undock-redock", Fixture, NULL, fixture_setup, test_undock_redock,
              fixture_teardown);
  g_test_add ("/daemon-sim/faulty-camera", Fixture, NULL, fixture_setup, test_faulty_camera,
              fixture_teardown);
  return g_test_run ();
}
