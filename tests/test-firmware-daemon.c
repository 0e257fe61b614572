/* test-firmware-daemon.c — firmware update through docketd and docket-sim
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `docket-sim -- docketd --session --policy-dir P --firmware-dir F`, seen
 * only over D-Bus and docketctl, as IT would: a signed policy asks for
 * firmware 2.0.0, the camera is unplugged half way through the first try,
 * and the next dock finishes the update. Needs $DOCKET_SIM,
 * $DOCKET_SIM_MEDIA_DIR, $DOCKETD and $DOCKETCTL.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <openssl/evp.h>

#include "docket-dbus-generated.h"
#include "docket-policy.h"
#include "docket-sha256.h"

#define SERIAL "FWD-0001"
#define WAIT_SECONDS 240 /* ASan on two busy cores: generous, not a timing assertion */

typedef struct
{
  GTestDBus *bus;
  gchar *dir;
  GSubprocess *sim;
  GOutputStream *sim_stdin;
  GDBusObjectManager *objects;
  DocketDBusManager *manager;
  GPtrArray *events; /* "kind" */
} Fixture;

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (Fixture *f, gconstpointer data);

static void
wait_until (Fixture *f, Condition cond, gconstpointer data, const gchar *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, on_timeout, &timed_out);

  while (!cond (f, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (id);
}

static void
command (Fixture *f, const gchar *line)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = g_strconcat (line, "\n", NULL);

  g_output_stream_write_all (f->sim_stdin, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_flush (f->sim_stdin, NULL, &error);
  g_assert_no_error (error);
}

static DocketDBusCamera *
find_camera (Fixture *f)
{
  g_autolist (GDBusObject) objects = g_dbus_object_manager_get_objects (f->objects);

  for (GList *l = objects; l != NULL; l = l->next)
    {
      DocketDBusCamera *camera = docket_dbus_object_get_camera (DOCKET_DBUS_OBJECT (l->data));

      if (camera != NULL && g_strcmp0 (docket_dbus_camera_get_serial (camera), SERIAL) == 0)
        return camera;
      g_clear_object (&camera);
    }
  return NULL;
}

static gboolean
name_owned (Fixture *f, gconstpointer data)
{
  g_autofree gchar *owner
      = g_dbus_object_manager_client_get_name_owner (G_DBUS_OBJECT_MANAGER_CLIENT (f->objects));

  return owner != NULL;
}

static gboolean
saw_event (Fixture *f, gconstpointer kind)
{
  for (guint i = 0; i < f->events->len; i++)
    if (g_strcmp0 (g_ptr_array_index (f->events, i), kind) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
camera_gone (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusCamera) camera = find_camera (f);

  return camera == NULL;
}

static gboolean
camera_updated_and_compliant (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusCamera) camera = find_camera (f);

  return camera != NULL
         && g_strcmp0 (docket_dbus_camera_get_firmware_version (camera), "2.0.0") == 0
         && g_strcmp0 (docket_dbus_camera_get_policy_state (camera), "compliant") == 0;
}

static void
on_event (DocketDBusManager *manager,
          const gchar *kind,
          const gchar *camera,
          const gchar *message,
          GVariant *details,
          Fixture *f)
{
  g_test_message ("event %s: %s", kind, message);
  g_ptr_array_add (f->events, g_strdup (kind));
}

/* A key pair, the firmware image and a policy naming it, signed. */
static void
write_policy (Fixture *f, const gchar *policy_dir, const gchar *firmware_dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *keys = g_build_filename (policy_dir, "trusted-keys", NULL);
  g_autofree gchar *secret = g_build_filename (f->dir, "it.key", NULL);
  g_autofree gchar *public = g_build_filename (keys, "it.pub", NULL);
  g_autofree gchar *image_path = g_build_filename (firmware_dir, "dcp-reference-2.0.0.bin", NULL);
  g_autofree gchar *policy_path = g_build_filename (policy_dir, "policy.json", NULL);
  g_autofree gchar *hex = NULL;
  g_autofree gchar *json = NULL;
  g_autofree guint8 *image = g_malloc (120 * 1000);
  guint8 sha[32];

  g_mkdir_with_parents (keys, 0700);
  g_mkdir_with_parents (firmware_dir, 0700);
  for (gsize i = 0; i < 120 * 1000; i++)
    image[i] = (guint8)(i * 7 + i / 251);
  EVP_Digest (image, 120 * 1000, sha, NULL, EVP_sha256 (), NULL);
  g_file_set_contents (image_path, (const gchar *)image, 120 * 1000, &error);
  g_assert_no_error (error);
  hex = docket_sha256_to_hex (sha);
  json = g_strdup_printf ("{\"format\": 1, \"version\": 1, \"cameras\": {\"*\": {"
                          "\"minimum-firmware\": \"2.0.0\", \"firmware\": {\"image\": "
                          "\"dcp-reference-2.0.0.bin\", \"sha256\": \"%s\"}}}}",
                          hex);
  g_file_set_contents (policy_path, json, -1, &error);
  g_assert_no_error (error);
  docket_policy_keygen (secret, public, &error);
  g_assert_no_error (error);
  docket_policy_sign_file (policy_path, secret, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autofree gchar *state_dir = NULL;
  g_autofree gchar *policy_dir = NULL;
  g_autofree gchar *firmware_dir = NULL;

  f->events = g_ptr_array_new_with_free_func (g_free);
  f->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (f->bus);
  f->dir = g_dir_make_tmp ("docket-firmware-daemon-XXXXXX", &error);
  g_assert_no_error (error);
  state_dir = g_build_filename (f->dir, "state", NULL);
  policy_dir = g_build_filename (f->dir, "policy", NULL);
  firmware_dir = g_build_filename (f->dir, "firmware", NULL);
  write_policy (f, policy_dir, firmware_dir);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  f->sim = g_subprocess_launcher_spawn (
      launcher, &error, g_getenv ("DOCKET_SIM"), "--cameras", "0", "--recordings", "1",
      "--media-dir", g_getenv ("DOCKET_SIM_MEDIA_DIR"), "--", g_getenv ("DOCKETD"), "--session",
      "--state-dir", state_dir, "--policy-dir", policy_dir, "--firmware-dir", firmware_dir, NULL);
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
  g_signal_connect (f->manager, "event", G_CALLBACK (on_event), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  command (f, "quit");
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
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", f->dir);
  g_free (f->dir);
  g_ptr_array_unref (f->events);
}

static void
test_unplug_then_update (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusCamera) camera = NULL;
  g_autofree gchar *out = NULL;
  g_autoptr (GError) error = NULL;
  const gchar *argv[] = { g_getenv ("DOCKETCTL"), "--session", "firmware", "status", NULL };
  gint status = 0;

  command (f, "add " SERIAL);
  command (f, "fault " SERIAL " fw-unplug-at-byte 50000");
  command (f, "dock " SERIAL);
  wait_until (f, saw_event, "firmware-update-failed", "the first attempt to fail");
  wait_until (f, camera_gone, NULL, "the camera to come out");
  g_assert_true (saw_event (f, "offload-finished"));

  command (f, "dock " SERIAL);
  wait_until (f, saw_event, "firmware-update-finished", "the retried update to finish");
  wait_until (f, camera_updated_and_compliant, NULL, "the camera to run 2.0.0 and comply");
  camera = find_camera (f);
  g_assert_cmpstr (docket_dbus_camera_get_firmware_update (camera), ==, "");

  g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, SERIAL));
  g_assert_nonnull (strstr (out, "2.0.0"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DOCKET_SIM") == NULL || g_getenv ("DOCKETD") == NULL
      || g_getenv ("DOCKETCTL") == NULL)
    {
      g_printerr ("SKIP: needs DOCKET_SIM, DOCKETD and DOCKETCTL\n");
      return 77;
    }
  g_test_add ("/firmware-daemon/unplug-then-update", Fixture, NULL, fixture_setup,
              test_unplug_then_update, fixture_teardown);
  return g_test_run ();
}
