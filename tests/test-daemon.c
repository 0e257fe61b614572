/* test-daemon.c — docketd on a private bus: status, no cameras, clean exit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sys/wait.h>

#include "docket-dbus-generated.h"
#include "docket-test-daemon.h"

typedef DocketTestBusFixture Fixture;

#define fixture_setup docket_test_bus_fixture_setup
#define fixture_teardown docket_test_bus_fixture_teardown

static void
test_status (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketDBusManager) manager = NULL;
  g_autoptr (GVariant) status = NULL;
  const gchar *version = NULL;
  const gchar *state_dir = NULL;
  guint32 cameras = G_MAXUINT32;
  DocketTestDaemon *daemon = docket_test_daemon_start (f->state_dir, NULL);

  manager = docket_dbus_manager_proxy_new_for_bus_sync (G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_NONE,
                                                        DOCKET_DBUS_NAME, DOCKET_DBUS_PATH, NULL,
                                                        &error);
  g_assert_no_error (error);
  g_assert_cmpstr (docket_dbus_manager_get_version (manager), ==, PACKAGE_VERSION);

  docket_dbus_manager_call_get_status_sync (manager, &status, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (status, "version", "&s", &version));
  g_assert_cmpstr (version, ==, PACKAGE_VERSION);
  g_assert_true (g_variant_lookup (status, "cameras", "u", &cameras));
  g_assert_cmpuint (cameras, ==, 0);
  g_assert_true (g_variant_lookup (status, "state-dir", "&s", &state_dir));
  g_assert_cmpstr (state_dir, ==, f->state_dir);

  g_clear_object (&manager);
  g_assert_true (g_spawn_check_wait_status (docket_test_daemon_stop (daemon), NULL));
}

static void
test_no_cameras (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusObjectManager) objects = NULL;
  g_autolist (GDBusObject) list = NULL;
  DocketTestDaemon *daemon = docket_test_daemon_start (f->state_dir, NULL);

  objects = docket_dbus_object_manager_client_new_for_bus_sync (
      G_BUS_TYPE_SESSION, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE, DOCKET_DBUS_NAME,
      DOCKET_DBUS_PATH, NULL, &error);
  g_assert_no_error (error);
  list = g_dbus_object_manager_get_objects (objects);
  g_assert_null (list);

  g_clear_object (&objects);
  g_assert_true (g_spawn_check_wait_status (docket_test_daemon_stop (daemon), NULL));
}

static void
test_sigterm_exits_zero (Fixture *f, gconstpointer data)
{
  DocketTestDaemon *daemon = docket_test_daemon_start (f->state_dir, NULL);
  gint status = docket_test_daemon_stop (daemon);

  g_test_message ("wait status %d", status);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

static void
test_second_daemon_refuses (Fixture *f, gconstpointer data)
{
  DocketTestDaemon *daemon = docket_test_daemon_start (f->state_dir, NULL);
  const gchar *argv[] = { g_getenv ("DOCKETD"), "--session", "--state-dir", f->state_dir, NULL };
  g_autofree gchar *err = NULL;

  /* The name is taken: the second one must say so and exit non-zero, not hang. */
  g_assert_cmpint (docket_test_run (argv, NULL, &err), !=, 0);
  g_assert_nonnull (strstr (err, "another docketd"));
  g_assert_true (g_spawn_check_wait_status (docket_test_daemon_stop (daemon), NULL));
}

/* A file a crash left in objects/ without its row: docketd sets it aside
 * into strays/ when it starts, with an audit row; a second docketd, started
 * while the first runs, moves nothing (the first may be committing it). */
static void
test_strays_set_aside_at_start (Fixture *f, gconstpointer data)
{
  const gchar *name = "ab00000000000000000000000000000000000000000000000000000000000001";
  const gchar *later = "ab00000000000000000000000000000000000000000000000000000000000002";
  g_autofree gchar *objects = g_build_filename (f->state_dir, "store", "objects", "ab", NULL);
  g_autofree gchar *stray = g_build_filename (objects, name, NULL);
  g_autofree gchar *in_flight = g_build_filename (objects, later, NULL);
  g_autofree gchar *kept = g_build_filename (f->state_dir, "store", "strays", name, NULL);
  g_autofree gchar *store = g_build_filename (f->state_dir, "store", NULL);
  const gchar *second[] = { g_getenv ("DOCKETD"), "--session", "--state-dir", f->state_dir, NULL };
  const gchar *audit[]
      = { g_getenv ("DOCKETCTL"), "--json", "audit", "list", "--store", store, NULL };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *log = NULL;
  DocketTestDaemon *daemon;

  g_assert_cmpint (g_mkdir_with_parents (objects, 0750), ==, 0);
  g_file_set_contents (stray, "cut off before its commit", -1, &error);
  g_assert_no_error (error);
  daemon = docket_test_daemon_start (f->state_dir, NULL);
  g_assert_false (g_file_test (stray, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (kept, G_FILE_TEST_IS_REGULAR));

  g_file_set_contents (in_flight, "renamed, row not yet committed", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (docket_test_run (second, NULL, NULL), !=, 0);
  g_assert_true (g_file_test (in_flight, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_spawn_check_wait_status (docket_test_daemon_stop (daemon), NULL));

  g_assert_cmpint (docket_test_run (audit, &log, NULL), ==, 0);
  g_assert_nonnull (strstr (log, "stray-object-set-aside"));
  g_assert_nonnull (strstr (log, name));
  g_assert_null (strstr (log, later));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/daemon/status", Fixture, NULL, fixture_setup, test_status, fixture_teardown);
  g_test_add ("/daemon/no-cameras", Fixture, NULL, fixture_setup, test_no_cameras,
              fixture_teardown);
  g_test_add ("/daemon/sigterm", Fixture, NULL, fixture_setup, test_sigterm_exits_zero,
              fixture_teardown);
  g_test_add ("/daemon/name-taken", Fixture, NULL, fixture_setup, test_second_daemon_refuses,
              fixture_teardown);
  g_test_add ("/daemon/strays-set-aside-at-start", Fixture, NULL, fixture_setup,
              test_strays_set_aside_at_start, fixture_teardown);
  return g_test_run ();
}
