/* test-client.c — DocketClient against a fake daemon and against docketd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything runs on a private GTestDBus session bus. The fake daemon uses its
 * own connection, so closing that connection is exactly what the client sees
 * when docketd dies.
 */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "docket-client.h"

/* Generous: only hit when something is broken, never a speed check. */
#define WAIT_SECONDS 30

typedef struct
{
  GDBusConnection *connection;
  GDBusObjectManagerServer *objects;
  DocketDBusManager *manager;
  DocketDBusPeople *people;
  DocketDBusSession *session;
} FakeDaemon;

/* Badge 4711 with PIN 1234 signs in; anything else is refused in the
 * daemon's plain words. */
static gboolean
handle_sign_in_cb (DocketDBusPeople *people,
                   GDBusMethodInvocation *invocation,
                   const gchar *badge,
                   const gchar *pin,
                   FakeDaemon *fake)
{
  g_autoptr (GError) error = NULL;
  const gchar *path = DOCKET_DBUS_PATH "/session/1";

  if (g_strcmp0 (badge, "4711") != 0 || g_strcmp0 (pin, "1234") != 0)
    {
      g_dbus_method_invocation_return_dbus_error (
          invocation, "io.github.docket.Docket1.Error.WrongPin", "Wrong badge number or PIN");
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  g_clear_object (&fake->session);
  fake->session = docket_dbus_session_skeleton_new ();
  docket_dbus_session_set_badge (fake->session, badge);
  docket_dbus_session_set_name (fake->session, "Dana Scully");
  docket_dbus_session_set_role (fake->session, "officer");
  g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (fake->session), fake->connection,
                                    path, &error);
  g_assert_no_error (error);
  docket_dbus_people_complete_sign_in (people, invocation, path);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GTestDBus *test_bus;

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_for (Condition condition, gpointer data, const gchar *what)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, deadline_cb, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (id);
}

static gboolean
is_connected (gpointer data)
{
  return docket_client_get_state (data) == DOCKET_CLIENT_STATE_CONNECTED;
}

static gboolean
is_unavailable (gpointer data)
{
  return docket_client_get_state (data) == DOCKET_CLIENT_STATE_UNAVAILABLE;
}

typedef struct
{
  GListModel *model;
  guint n;
} CountWait;

static gboolean
has_n_items (gpointer data)
{
  CountWait *w = data;

  return g_list_model_get_n_items (w->model) == w->n;
}

static void
wait_for_n_cameras (DocketClient *client, guint n)
{
  CountWait w = { docket_client_get_cameras (client), n };

  wait_for (has_n_items, &w, "the camera count");
}

static FakeDaemon *
fake_daemon_start (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  FakeDaemon *fake = g_new0 (FakeDaemon, 1);

  fake->connection = g_dbus_connection_new_for_address_sync (
      g_test_dbus_get_bus_address (test_bus),
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
          | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (fake->connection, FALSE);

  fake->objects = g_dbus_object_manager_server_new (DOCKET_DBUS_PATH);
  g_dbus_object_manager_server_set_connection (fake->objects, fake->connection);
  fake->manager = docket_dbus_manager_skeleton_new ();
  docket_dbus_manager_set_version (fake->manager, "fake");
  g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (fake->manager), fake->connection,
                                    DOCKET_DBUS_PATH, &error);
  g_assert_no_error (error);
  fake->people = docket_dbus_people_skeleton_new ();
  g_signal_connect (fake->people, "handle-sign-in", G_CALLBACK (handle_sign_in_cb), fake);
  g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (fake->people), fake->connection,
                                    DOCKET_DBUS_PATH, &error);
  g_assert_no_error (error);

  reply = g_dbus_connection_call_sync (
      fake->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
      "RequestName", g_variant_new ("(su)", DOCKET_DBUS_NAME, 0x4 /* DO_NOT_QUEUE */),
      G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  return fake;
}

/* Closing the connection is what the bus sees when the daemon dies. */
static void
fake_daemon_kill (FakeDaemon *fake)
{
  g_autoptr (GError) error = NULL;

  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (fake->manager));
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (fake->people));
  if (fake->session != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (fake->session));
  g_clear_object (&fake->people);
  g_clear_object (&fake->session);
  g_dbus_object_manager_server_set_connection (fake->objects, NULL);
  g_dbus_connection_close_sync (fake->connection, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&fake->manager);
  g_clear_object (&fake->objects);
  g_clear_object (&fake->connection);
  g_free (fake);
}

static DocketDBusCamera *
fake_daemon_add_camera (FakeDaemon *fake, const gchar *id, const gchar *slot)
{
  g_autofree gchar *path = g_strdup_printf ("%s/camera/%s", DOCKET_DBUS_PATH, id);
  g_autoptr (DocketDBusObjectSkeleton) object = docket_dbus_object_skeleton_new (path);
  g_autoptr (DocketDBusCamera) camera = docket_dbus_camera_skeleton_new ();

  docket_dbus_camera_set_serial (camera, id);
  docket_dbus_camera_set_slot (camera, slot);
  docket_dbus_camera_set_state (camera, "idle");
  docket_dbus_camera_set_battery_percent (camera, 50);
  docket_dbus_object_skeleton_set_camera (object, camera);
  g_dbus_object_manager_server_export (fake->objects, G_DBUS_OBJECT_SKELETON (object));
  return camera; /* borrowed: the object skeleton holds it */
}

static const gchar *
camera_serial_at (DocketClient *client, guint position)
{
  g_autoptr (DocketDBusCamera) camera
      = g_list_model_get_item (docket_client_get_cameras (client), position);

  g_assert_nonnull (camera);
  /* The proxy stays alive in the model, so the string does too. */
  return docket_dbus_camera_get_serial (camera);
}

static gboolean
battery_is_80 (gpointer data)
{
  return docket_dbus_camera_get_battery_percent (data) == 80;
}

static void
test_client_fake_daemon (void)
{
  g_autoptr (DocketClient) client = docket_client_new (G_BUS_TYPE_SESSION);
  g_autoptr (DocketDBusCamera) proxy = NULL;
  DocketDBusCamera *skeleton;
  FakeDaemon *fake;

  g_assert_cmpint (docket_client_get_state (client), ==, DOCKET_CLIENT_STATE_CONNECTING);
  g_assert_cmpint (docket_client_get_bus_type (client), ==, G_BUS_TYPE_SESSION);

  /* Nobody owns the name yet. */
  wait_for (is_unavailable, client, "unavailable");
  g_assert_null (docket_client_get_manager (client));
  g_assert_cmpuint (g_list_model_get_n_items (docket_client_get_cameras (client)), ==, 0);

  fake = fake_daemon_start ();
  wait_for (is_connected, client, "connected");
  g_assert_nonnull (docket_client_get_manager (client));
  g_assert_cmpstr (docket_dbus_manager_get_version (docket_client_get_manager (client)), ==,
                   "fake");
  g_assert_cmpuint (g_list_model_get_n_items (docket_client_get_cameras (client)), ==, 0);

  /* Cameras come and are ordered by slot the way people read it. */
  skeleton = fake_daemon_add_camera (fake, "B", "1-10");
  wait_for_n_cameras (client, 1);
  fake_daemon_add_camera (fake, "A", "1-2");
  wait_for_n_cameras (client, 2);
  g_assert_cmpstr (camera_serial_at (client, 0), ==, "A");
  g_assert_cmpstr (camera_serial_at (client, 1), ==, "B");

  /* Property changes reach the proxy in the model. */
  proxy = g_list_model_get_item (docket_client_get_cameras (client), 1);
  g_assert_cmpint (docket_dbus_camera_get_battery_percent (proxy), ==, 50);
  docket_dbus_camera_set_battery_percent (skeleton, 80);
  wait_for (battery_is_80, proxy, "the battery update");
  g_clear_object (&proxy);

  /* Undocking removes the card's camera. */
  g_dbus_object_manager_server_unexport (fake->objects, DOCKET_DBUS_PATH "/camera/A");
  wait_for_n_cameras (client, 1);
  g_assert_cmpstr (camera_serial_at (client, 0), ==, "B");

  /* The daemon dies: everything goes, the state says so. */
  fake_daemon_kill (fake);
  wait_for (is_unavailable, client, "unavailable after the daemon died");
  g_assert_null (docket_client_get_manager (client));
  g_assert_cmpuint (g_list_model_get_n_items (docket_client_get_cameras (client)), ==, 0);

  /* It comes back with a camera already docked. */
  fake = fake_daemon_start ();
  fake_daemon_add_camera (fake, "C", "2-1");
  wait_for (is_connected, client, "reconnected");
  wait_for_n_cameras (client, 1);
  g_assert_cmpstr (camera_serial_at (client, 0), ==, "C");
  fake_daemon_kill (fake);
  wait_for (is_unavailable, client, "unavailable at the end");
}

static void
rm_rf (const gchar *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
sign_in_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

static DocketDBusSession *
sign_in (DocketClient *client, const gchar *badge, const gchar *pin, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  docket_client_sign_in_async (client, badge, pin, NULL, sign_in_done_cb, &result);
  wait_for (has_result, &result, "the sign-in answer");
  return docket_client_sign_in_finish (client, result, error);
}

static void
test_client_sign_in (void)
{
  g_autoptr (DocketClient) client = docket_client_new (G_BUS_TYPE_SESSION);
  g_autoptr (DocketDBusSession) session = NULL;
  g_autoptr (GError) error = NULL;
  FakeDaemon *fake;

  /* No daemon: a clear answer, not a hang. */
  wait_for (is_unavailable, client, "unavailable");
  session = sign_in (client, "4711", "1234", &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
  g_assert_null (session);
  g_clear_error (&error);

  fake = fake_daemon_start ();
  wait_for (is_connected, client, "connected");

  /* The daemon's words reach the person as they are. */
  session = sign_in (client, "4711", "9999", &error);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, "Wrong badge number or PIN");
  g_assert_null (session);
  g_clear_error (&error);

  session = sign_in (client, "4711", "1234", &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_assert_cmpstr (docket_dbus_session_get_badge (session), ==, "4711");
  g_assert_cmpstr (docket_dbus_session_get_name (session), ==, "Dana Scully");
  g_clear_object (&session);

  fake_daemon_kill (fake);
  wait_for (is_unavailable, client, "unavailable at the end");
}

static GPid
spawn_docketd (const gchar *state_dir)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) envp = g_get_environ ();
  const gchar *argv[] = { g_getenv ("DOCKETD"), "--session", NULL };
  GPid pid = 0;

  envp = g_environ_setenv (envp, "DOCKET_STATE_DIR", state_dir, TRUE);
  g_spawn_async (NULL, (gchar **)argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  return pid;
}

static void
stop_docketd (GPid pid)
{
  int status = 0;

  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
}

static void
test_client_real_daemon (void)
{
  g_autoptr (DocketClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *state_dir = NULL;
  GPid pid;

  if (g_getenv ("DOCKETD") == NULL
      || !g_file_test (g_getenv ("DOCKETD"), G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("DOCKETD does not name the docketd binary");
      return;
    }
  state_dir = g_dir_make_tmp ("docket-test-client-XXXXXX", &error);
  g_assert_no_error (error);

  client = docket_client_new (G_BUS_TYPE_SESSION);
  wait_for (is_unavailable, client, "unavailable before docketd starts");

  pid = spawn_docketd (state_dir);
  wait_for (is_connected, client, "connected to docketd");
  g_assert_cmpstr (docket_dbus_manager_get_version (docket_client_get_manager (client)), ==,
                   PACKAGE_VERSION);
  g_assert_cmpuint (g_list_model_get_n_items (docket_client_get_cameras (client)), ==, 0);

  /* A crash, not a clean stop: the client must cope with either. */
  stop_docketd (pid);
  wait_for (is_unavailable, client, "unavailable after docketd died");

  pid = spawn_docketd (state_dir);
  wait_for (is_connected, client, "reconnected to docketd");
  stop_docketd (pid);
  wait_for (is_unavailable, client, "unavailable at the end");

  g_clear_object (&client);
  rm_rf (state_dir);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (test_bus);

  g_test_add_func ("/client/fake-daemon", test_client_fake_daemon);
  g_test_add_func ("/client/sign-in", test_client_sign_in);
  g_test_add_func ("/client/real-daemon", test_client_real_daemon);
  ret = g_test_run ();

  g_test_dbus_down (test_bus);
  g_clear_object (&test_bus);
  return ret;
}
