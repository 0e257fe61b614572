/* test-checkout-daemon.c — pooled cameras through docketd, simulated USB
 * cameras and D-Bus: refusals, check-out, return by docking, charge history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "docket-dbus-generated.h"
#include "docket-test-sim.h"

typedef struct
{
  DocketTestSim sim;
  DocketDBusAdmin *admin;
} Fixture;

static gboolean
first_pooled (gpointer fixture, gconstpointer data)
{
  Fixture *f = fixture;
  g_autoptr (DocketDBusCamera) camera = docket_test_sim_find_camera (&f->sim, "SIM-0001");

  return camera != NULL && docket_dbus_camera_get_pooled (camera);
}

static gboolean
third_ready (gpointer fixture, gconstpointer data)
{
  Fixture *f = fixture;
  g_autoptr (DocketDBusCamera) camera = docket_test_sim_find_camera (&f->sim, "SIM-0003");

  return camera != NULL && docket_dbus_camera_get_ready_for_shift (camera)
         && docket_dbus_camera_get_pooled (camera);
}

static gboolean
third_held_by (gpointer fixture, gconstpointer badge)
{
  Fixture *f = fixture;
  g_autoptr (DocketDBusCamera) camera = docket_test_sim_find_camera (&f->sim, "SIM-0003");

  return camera != NULL && docket_dbus_camera_get_pooled (camera)
         && g_strcmp0 (docket_dbus_camera_get_holder (camera), badge) == 0
         && g_strcmp0 (docket_dbus_camera_get_state (camera), "identifying") != 0;
}

static gboolean
third_gone (gpointer fixture, gconstpointer data)
{
  Fixture *f = fixture;
  g_autoptr (DocketDBusCamera) camera = docket_test_sim_find_camera (&f->sim, "SIM-0003");

  return camera == NULL;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  docket_test_sim_start (&f->sim, 2, 1, NULL);
  f->admin = docket_dbus_admin_proxy_new_for_bus_sync (
      G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, DOCKET_DBUS_NAME, DOCKET_DBUS_PATH,
      NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->admin);
  docket_test_sim_stop (&f->sim);
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
  docket_test_wait_until (first_pooled, f, NULL, "SIM-0001 to show as pooled");
  session = sign_in (f, "B100");
  g_assert_false (
      docket_dbus_session_call_check_out_camera_sync (session, &slot, &serial, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "charged enough"));
  g_clear_error (&error);

  /* A charged pooled camera is docked: it is handed out. */
  docket_dbus_admin_call_set_camera_pooled_sync (f->admin, "SIM-0003", TRUE, NULL, &error);
  g_assert_no_error (error);
  docket_test_sim_command (&f->sim, "add SIM-0003");
  docket_test_sim_command (&f->sim, "battery SIM-0003 95");
  docket_test_sim_command (&f->sim, "dock SIM-0003");
  docket_test_wait_until (third_ready, f, NULL, "SIM-0003 to be ready for shift");
  docket_dbus_session_call_check_out_camera_sync (session, &slot, &serial, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (serial, ==, "SIM-0003");
  g_assert_cmpstr (slot, !=, "");
  docket_test_wait_until (third_held_by, f, "B100", "SIM-0003's holder");

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
  docket_test_sim_command (&f->sim, "undock SIM-0003");
  docket_test_wait_until (third_gone, f, NULL, "SIM-0003 to be undocked");
  docket_test_sim_command (&f->sim, "dock SIM-0003");
  docket_test_wait_until (third_held_by, f, "", "SIM-0003 to be returned");
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
