/* test-daemon-sim.c — docketd with simulated USB cameras, end to end over D-Bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `docket-sim -- docketd --session` is exactly what the demo runs: real udev
 * and libusb code in docketd, cameras played by umockdev. The test talks to
 * the daemon only through its D-Bus API and docketctl, as a client would.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "docket-dbus-generated.h"
#include "docket-test-daemon.h"
#include "docket-test-sim.h"

typedef struct
{
  DocketTestSim sim;
  DocketDBusManager *manager;
} Fixture;

static gboolean
camera_done (gpointer fixture, gconstpointer serial)
{
  Fixture *f = fixture;
  g_autoptr (DocketDBusCamera) camera = docket_test_sim_find_camera (&f->sim, serial);

  return camera != NULL && g_strcmp0 (docket_dbus_camera_get_state (camera), "done") == 0;
}

static gboolean
camera_gone (gpointer fixture, gconstpointer serial)
{
  Fixture *f = fixture;
  g_autoptr (DocketDBusCamera) camera = docket_test_sim_find_camera (&f->sim, serial);

  return camera == NULL;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  docket_test_sim_start (&f->sim, 2, 2, NULL);
  f->manager = docket_dbus_manager_proxy_new_for_bus_sync (
      G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, DOCKET_DBUS_NAME, DOCKET_DBUS_PATH,
      NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->manager);
  docket_test_sim_stop (&f->sim);
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

      docket_test_wait_until (camera_done, f, serials[i], "a camera to finish offloading");
      camera = docket_test_sim_find_camera (&f->sim, serials[i]);
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

  /* The cameras' own signatures were kept: the store verifies them against
   * the enrolled keys, and an export carries them for openssl to check. */
  {
    g_autofree gchar *store = g_build_filename (f->sim.state_dir, "store", NULL);
    g_autofree gchar *exports = g_build_filename (f->sim.state_dir, "exports", NULL);
    const gchar *verify[] = { g_getenv ("DOCKETCTL"), "audit", "verify", "--store", store, NULL };
    const gchar *export[] = { g_getenv ("DOCKETCTL"),
                              "export",
                              "--recording",
                              "1",
                              "--to",
                              exports,
                              "--reason",
                              "test",
                              "--store",
                              store,
                              "--json",
                              NULL };
    g_autofree gchar *out = NULL;
    g_autofree gchar *json = NULL;
    g_autoptr (JsonParser) parser = json_parser_new ();
    const gchar *package;

    g_assert_cmpint (docket_test_run (verify, &out, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "Intact"));
    g_assert_cmpint (docket_test_run (export, &json, NULL), ==, 0);
    g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
    package = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                             "package");
    {
      const gchar *check[] = { g_getenv ("DOCKETCTL"), "verify-export", package, NULL };
      g_autofree gchar *checked = NULL;

      g_assert_cmpint (docket_test_run (check, &checked, NULL), ==, 0);
      g_assert_null (strstr (checked, "no camera signature"));
    }
  }
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
kinds_contain (gpointer fixture, gconstpointer data)
{
  Fixture *f = fixture;
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

  docket_test_wait_until (camera_done, f, "SIM-0001", "SIM-0001 to finish");
  docket_test_wait_until (camera_done, f, "SIM-0002", "SIM-0002 to finish");
  g_object_set_data (G_OBJECT (f->manager), "kinds", kinds);
  g_signal_connect (f->manager, "event", G_CALLBACK (on_event), kinds);

  for (guint round = 0; round < 3; round++)
    {
      docket_test_sim_command (&f->sim, "undock SIM-0001");
      docket_test_wait_until (camera_gone, f, "SIM-0001", "SIM-0001 to leave D-Bus");
      g_assert_false (camera_gone (f, "SIM-0002"));
      docket_test_sim_command (&f->sim, "dock SIM-0001");
      /* Everything was offloaded (and erased from the camera) already. */
      docket_test_wait_until (camera_done, f, "SIM-0001", "SIM-0001 to come back");
    }
  docket_test_wait_until (kinds_contain, f, "undocked", "an undocked event");
  docket_test_wait_until (kinds_contain, f, "docked", "a docked event");
  docket_test_wait_until (kinds_contain, f, "identified", "an identified event");

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
  docket_test_wait_until (camera_done, f, "SIM-0002", "SIM-0002 to finish");
  docket_test_sim_command (&f->sim, "undock SIM-0001");
  docket_test_wait_until (camera_gone, f, "SIM-0001", "SIM-0001 to leave");
  docket_test_sim_command (&f->sim, "fault SIM-0001 no-reply");
  docket_test_sim_command (&f->sim, "dock SIM-0001");
  for (;;)
    {
      g_autolist (GDBusObject) objects = g_dbus_object_manager_get_objects (f->sim.objects);
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
