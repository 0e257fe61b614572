/* test-media-daemon.c — damaged recordings through docket-sim and docketd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each file is made with GStreamer here, replayed as a camera's recording
 * (`addfile`), offloaded by a real docketd, and judged only from outside:
 * D-Bus, `docketctl recordings` and `docketctl audit list`. A bit-exact copy
 * of a file that was already broken on the camera must be stored as
 * evidence with its condition, never quarantined or left on the camera.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "docket-dbus-generated.h"
#include "docket-test-daemon.h"
#include "docket-test-sim.h"
#include "test-offload-media.h"

#define SERIAL "SIM-0001"

typedef struct
{
  DocketTestSim sim;
  gchar *store;
} Fixture;

typedef struct
{
  const gchar *kind;
  guint variant;
  const gchar *condition; /* NULL: sound */
  const gchar *reason;    /* a part of the condition's reason */
} Case;

static gboolean
camera_settled (gpointer fixture, gconstpointer data)
{
  Fixture *f = fixture;
  g_autoptr (DocketDBusCamera) camera = docket_test_sim_find_camera (&f->sim, SERIAL);
  const gchar *state = camera != NULL ? docket_dbus_camera_get_state (camera) : "";

  return g_strcmp0 (state, "done") == 0 || g_strcmp0 (state, "faulty") == 0;
}

static gboolean
camera_gone (gpointer fixture, gconstpointer data)
{
  Fixture *f = fixture;
  g_autoptr (DocketDBusCamera) camera = docket_test_sim_find_camera (&f->sim, SERIAL);

  return camera == NULL;
}

static JsonArray *
docketctl_json (Fixture *f, const gchar *const *args)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_strv_builder_add_many (builder, g_getenv ("DOCKETCTL"), "--session", "--json", NULL);
  g_strv_builder_addv (builder, (const gchar **)args);
  argv = g_strv_builder_end (builder);
  g_assert_cmpint (docket_test_run ((const gchar *const *)argv, &out, &err), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static JsonArray *
list_recordings (Fixture *f)
{
  const gchar *args[] = { "recordings", "--store", f->store, NULL };

  return docketctl_json (f, args);
}

/* Every recording stored, and deep-checked. */
static gboolean
all_checked (gpointer fixture, gconstpointer data)
{
  Fixture *f = fixture;
  g_autoptr (JsonArray) rows = list_recordings (f);
  guint expected = GPOINTER_TO_UINT (data);

  if (json_array_get_length (rows) < expected)
    {
      g_usleep (200 * 1000);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (rows); i++)
    if (*json_object_get_string_member (json_array_get_object_element (rows, i), "deep-check")
        == '\0')
      {
        g_usleep (200 * 1000);
        return FALSE;
      }
  return TRUE;
}

static JsonObject *
find_row (JsonArray *rows, const gchar *name)
{
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_strcmp0 (json_object_get_string_member (row, "name"), name) == 0)
        return row;
    }
  return NULL;
}

static guint
count_audit (JsonArray *audit, const gchar *action, const gchar *reason_part)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (audit); i++)
    {
      JsonObject *row = json_array_get_object_element (audit, i);

      if (g_strcmp0 (json_object_get_string_member (row, "action"), action) == 0
          && (reason_part == NULL
              || strstr (json_object_get_string_member (row, "reason"), reason_part) != NULL))
        n++;
    }
  return n;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  docket_test_sim_start (&f->sim, 1, 0, NULL);
  f->store = g_build_filename (f->sim.state_dir, "store", NULL);
  docket_test_wait_until (camera_settled, f, NULL, "the empty camera to be done");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  docket_test_sim_stop (&f->sim);
  g_free (f->store);
}

/* Undock, give the camera these files, dock: one offload of them all. */
static gboolean
replay (Fixture *f, const Case *cases, gsize n_cases, gchar **names)
{
  docket_test_sim_command (&f->sim, "undock " SERIAL);
  docket_test_wait_until (camera_gone, f, NULL, "the camera to leave");
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree gchar *path = test_media_get (cases[i].kind, cases[i].variant, &error);
      g_autofree gchar *command = NULL;

      if (path == NULL)
        {
          g_test_skip (error->message);
          return FALSE;
        }
      names[i] = g_path_get_basename (path);
      command = g_strdup_printf ("addfile %s '%s' %u", SERIAL, path, TEST_MEDIA_DURATION_MS);
      docket_test_sim_command (&f->sim, command);
    }
  docket_test_sim_command (&f->sim, "dock " SERIAL);
  /* the camera reappears "identified" then "offloading" before it settles */
  g_usleep (G_USEC_PER_SEC);
  docket_test_wait_until (camera_settled, f, NULL, "the offload to finish");
  return TRUE;
}

static void
assert_cases (Fixture *f, const Case *cases, gsize n_cases, gchar **names)
{
  g_autoptr (JsonArray) rows = NULL;
  g_autoptr (JsonArray) damaged = NULL;
  g_autoptr (JsonArray) audit = NULL;
  const gchar *damaged_args[] = { "recordings", "--damaged", "--store", f->store, NULL };
  const gchar *audit_args[] = { "audit", "list", "--store", f->store, NULL };
  guint n_damaged = 0;

  /* Deep checks decode every picture in a helper each: slow on a loaded machine. */
  for (guint i = 0; !all_checked (f, GUINT_TO_POINTER (n_cases)); i++)
    {
      if (i > 1500)
        g_error ("Timed out waiting for the deep checks");
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  rows = list_recordings (f);
  audit = docketctl_json (f, audit_args);
  g_assert_cmpuint (json_array_get_length (rows), ==, n_cases);
  for (gsize i = 0; i < n_cases; i++)
    {
      JsonObject *row = find_row (rows, names[i]);
      const gchar *condition;
      const gchar *reason;

      g_test_message ("%s", names[i]);
      g_assert_nonnull (row);
      condition = json_object_get_string_member (row, "condition");
      reason = json_object_get_string_member (row, "condition-reason");
      g_test_message ("  %s: %s (deep check: %s)", condition, reason,
                      json_object_get_string_member (row, "deep-check"));
      /* stored as received, never quarantined */
      g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "verified");
      if (cases[i].condition == NULL)
        {
          g_assert_cmpstr (condition, ==, "");
          g_assert_cmpstr (json_object_get_string_member (row, "deep-check"), ==, "ok");
          g_assert_true (json_object_get_boolean_member (row, "thumbnail"));
          continue;
        }
      n_damaged++;
      g_assert_cmpstr (condition, ==, cases[i].condition);
      g_assert_nonnull (strstr (reason, cases[i].reason));
      /* Docket's own reader knows better than GStreamer's generic words */
      g_assert_null (strstr (reason, "no playable streams"));
      /* audited with its condition: at commit, or when the deep check found it */
      g_assert_cmpuint (count_audit (audit,
                                     g_str_equal (cases[i].condition, "damaged-picture")
                                         ? "recording-deep-checked"
                                         : "recording-committed",
                                     cases[i].reason),
                        >=, 1);
    }
  damaged = docketctl_json (f, damaged_args);
  g_assert_cmpuint (json_array_get_length (damaged), ==, n_damaged);
  g_assert_cmpuint (count_audit (audit, "recording-committed", NULL), ==, n_cases);
  g_assert_cmpuint (count_audit (audit, "recording-quarantined", NULL), ==, 0);
  /* nothing stays stuck on the camera: erased by policy like any evidence */
  g_assert_cmpuint (count_audit (audit, "recording-erased-from-camera", NULL), ==, n_cases);
}

static const Case damaged_cases[] = {
  { "good", 0, NULL, NULL },
  { "cut-index-lost", 0, "incomplete-on-camera", "cut short at 60 %: the index is missing" },
  { "cut-index-intact", 0, "incomplete-on-camera", "cut short at 60 %" },
  { "flip-byte", 0, "damaged-picture", "The picture is damaged" },
  { "zeros", 0, "damaged-picture", "The picture is damaged" },
  { "empty", 0, "not-playable", "The file is empty" },
  { "random", 0, "not-playable", "not an MP4" },
  { "mvhd-x10", 0, "incomplete-on-camera", "its header says it lasts 20.0 s" },
  { "durations-x10", 0, "incomplete-on-camera", "its header says it lasts 20.0 s" },
};

static void
test_damaged_on_camera (Fixture *f, gconstpointer data)
{
  gchar *names[G_N_ELEMENTS (damaged_cases)] = { NULL };
  g_autoptr (DocketDBusCamera) camera = NULL;

  if (replay (f, damaged_cases, G_N_ELEMENTS (damaged_cases), names))
    {
      camera = docket_test_sim_find_camera (&f->sim, SERIAL);
      /* the camera is not at fault, and the officer is told plainly */
      g_assert_cmpstr (docket_dbus_camera_get_state (camera), ==, "done");
      g_assert_nonnull (strstr (docket_dbus_camera_get_problem (camera), "Stored, but the camera"));
      assert_cases (f, damaged_cases, G_N_ELEMENTS (damaged_cases), names);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    g_free (names[i]);
}

/* Sets *data when a camera shows a wedged media check while it is still
 * offloading. */
static void
on_camera_changed (GDBusObjectManagerClient *manager,
                   GDBusObjectProxy *object,
                   GDBusProxy *proxy,
                   GVariant *changed,
                   const gchar *const *invalidated,
                   gpointer data)
{
  gboolean *seen = data;

  if (DOCKET_DBUS_IS_CAMERA (proxy)
      && g_strcmp0 (docket_dbus_camera_get_state (DOCKET_DBUS_CAMERA (proxy)), "offloading") == 0
      && strstr (docket_dbus_camera_get_problem (DOCKET_DBUS_CAMERA (proxy)), "stopped answering")
             != NULL)
    *seen = TRUE;
}

/* A helper that crashes or hangs on a crafted file: offload goes on, the
 * recording is stored as not playable, and no helper outlives docketd. The
 * hang shows on the camera as soon as it is found, while the other
 * recordings are still being offloaded. */
static void
test_helper_hangs_or_crashes (Fixture *f, gconstpointer data)
{
  const Case cases[] = {
    { "good", 8, "not-playable", "stopped answering" },
    { "good", 7, "not-playable", "crashed the media helper" },
    { "good", 0, NULL, NULL },
  };
  g_autofree gchar *real_helper = NULL;
  gboolean seen_at_once = FALSE;
  gulong handler;
  gchar *names[G_N_ELEMENTS (cases)] = { NULL };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *crash = test_media_get ("good", 7, &error);
  g_autofree gchar *hang = test_media_get ("good", 8, &error);
  g_autofree gchar *dir = g_dir_make_tmp ("docket-helper-XXXXXX", NULL);
  g_autofree gchar *script = g_build_filename (dir, "helper", NULL);
  g_autofree gchar *pid_file = g_build_filename (dir, "hung.pid", NULL);
  g_autofree gchar *ahead_file = g_build_filename (dir, "ahead", NULL);
  g_autofree gchar *text = NULL;
  g_autofree gchar *pid_text = NULL;
  g_autofree gchar *ahead_text = NULL;
  GStatBuf crash_st, hang_st;

  if (crash == NULL || hang == NULL)
    {
      g_test_skip (error->message);
      return;
    }
  /* this test brings up its own docketd, with the faulty helper */
  fixture_teardown (f, data);
  g_assert_cmpint (g_stat (crash, &crash_st), ==, 0);
  g_assert_cmpint (g_stat (hang, &hang_st), ==, 0);
  g_assert_cmpint (crash_st.st_size, !=, hang_st.st_size);
  /* A parse check's helper is started ahead, during the copy, and gets its
   * file later over stdin: the script looks at the file once it has it. */
  text = g_strdup_printf ("#!/bin/sh\n"
                          "if [ ! -e /proc/self/fd/3 ] && [ -S /proc/self/fd/0 ]; then\n"
                          "  echo \"$1\" >> '%s'; exec '%s' \"$0\" \"$@\"\n"
                          "fi\n"
                          "size=$(stat -L -c %%s /proc/self/fd/3)\n"
                          "if [ \"$size\" = %" G_GINT64_FORMAT " ]; then kill -SEGV $$; fi\n"
                          "if [ \"$size\" = %" G_GINT64_FORMAT " ]; then\n"
                          "  echo $$ > '%s'; exec sleep 3600\n"
                          "fi\n"
                          "exec '%s' \"$@\"\n",
                          ahead_file, g_getenv ("DOCKET_TEST_TAKE_FILE"), (gint64)crash_st.st_size,
                          (gint64)hang_st.st_size, pid_file, g_getenv ("DOCKET_MEDIA_HELPER"));
  g_assert_true (g_file_set_contents (script, text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  real_helper = g_strdup (g_getenv ("DOCKET_MEDIA_HELPER"));
  g_setenv ("DOCKET_MEDIA_HELPER", script, TRUE);
  /* Long enough for the good file's deep check in a sanitizer build on a
   * busy machine; the hung helper waits it out once. */
  g_setenv ("DOCKET_MEDIA_TIMEOUT_MS", "20000", TRUE);
  fixture_setup (f, data);

  handler = g_signal_connect (f->sim.objects, "interface-proxy-properties-changed",
                              G_CALLBACK (on_camera_changed), &seen_at_once);
  if (replay (f, cases, G_N_ELEMENTS (cases), names))
    {
      g_autoptr (DocketDBusCamera) camera = docket_test_sim_find_camera (&f->sim, SERIAL);

      g_assert_cmpstr (docket_dbus_camera_get_state (camera), ==, "done");
      g_assert_true (seen_at_once);
      assert_cases (f, cases, G_N_ELEMENTS (cases), names);
    }
  g_signal_handler_disconnect (f->sim.objects, handler);
  /* The hung one was killed (its deep check too, or at docketd's exit). */
  fixture_teardown (f, data);
  if (g_file_get_contents (pid_file, &pid_text, NULL, NULL))
    {
      pid_t pid = (pid_t)g_ascii_strtoll (pid_text, NULL, 10);
      g_assert_cmpint (pid, >, 0);
      g_assert_cmpint (kill (pid, 0), ==, -1);
      g_assert_cmpint (errno, ==, ESRCH);
    }
  /* docketd started each parse check's helper during the copy */
  g_assert_true (g_file_get_contents (ahead_file, &ahead_text, NULL, NULL));
  {
    g_auto (GStrv) lines = g_strsplit (ahead_text, "\n", -1);
    guint n = 0;

    for (guint i = 0; lines[i] != NULL; i++)
      n += g_str_equal (lines[i], "parse");
    g_assert_cmpuint (n, ==, G_N_ELEMENTS (cases));
  }
  g_unsetenv ("DOCKET_MEDIA_TIMEOUT_MS");
  /* the tests after this one use the real helper */
  g_setenv ("DOCKET_MEDIA_HELPER", real_helper, TRUE);
  fixture_setup (f, data); /* for the teardown */
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    g_free (names[i]);
  g_unlink (pid_file);
  g_unlink (ahead_file);
  g_unlink (script);
  g_rmdir (dir);
}

static void
die_with_parent (gpointer data)
{
  (void)prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* docketd --media-socket, as the packaged unit runs it: every check goes
 * through docket-media.socket (systemd-socket-activate stands in for it)
 * and gives the same answers. */
static void
test_helper_socket (Fixture *f, gconstpointer data)
{
  const Case cases[] = {
    { "good", 0, NULL, NULL },
    { "flip-byte", 0, "damaged-picture", "The picture is damaged" },
    { "random", 0, "not-playable", "not an MP4" },
  };
  gchar *names[G_N_ELEMENTS (cases)] = { NULL };
  g_autofree gchar *activate = g_find_program_in_path ("systemd-socket-activate");
  g_autofree gchar *dir = g_dir_make_tmp ("docket-helper-XXXXXX", NULL);
  g_autofree gchar *socket_path = g_build_filename (dir, "media.sock", NULL);
  g_autofree gchar *log_path = g_build_filename (dir, "activate.log", NULL);
  g_autofree gchar *socket_arg = g_strdup_printf ("--media-socket=%s", socket_path);
  g_autofree gchar *log = NULL;
  const gchar *daemon_args[] = { socket_arg, NULL };
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) activator = NULL;
  g_autoptr (GError) error = NULL;

  if (activate == NULL)
    {
      g_test_skip ("systemd-socket-activate is not installed");
      g_rmdir (dir);
      return;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  activator
      = g_subprocess_launcher_spawn (launcher, &error, activate, "-l", socket_path, "--accept",
                                     "--inetd", g_getenv ("DOCKET_MEDIA_HELPER"), "--socket", NULL);
  g_assert_no_error (error);
  for (guint i = 0; i < 500 && !g_file_test (socket_path, G_FILE_TEST_EXISTS); i++)
    g_usleep (10 * 1000);
  /* this test brings up its own docketd, with the socket */
  fixture_teardown (f, data);
  docket_test_sim_start (&f->sim, 1, 0, daemon_args);
  f->store = g_build_filename (f->sim.state_dir, "store", NULL);
  docket_test_wait_until (camera_settled, f, NULL, "the empty camera to be done");

  if (replay (f, cases, G_N_ELEMENTS (cases), names))
    assert_cases (f, cases, G_N_ELEMENTS (cases), names);
  fixture_teardown (f, data);
  g_subprocess_send_signal (activator, SIGTERM);
  g_subprocess_wait (activator, NULL, NULL);
  /* every check went through the socket: one helper per connection */
  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "Spawned"));
  fixture_setup (f, data); /* for the teardown */
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    g_free (names[i]);
  g_unlink (log_path);
  g_unlink (socket_path);
  g_rmdir (dir);
}

/* Files under @dir, recursively. */
static guint
count_files (const gchar *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);

      n += g_file_test (path, G_FILE_TEST_IS_DIR) ? count_files (path) : 1;
    }
  return n;
}

static gboolean
keep_polling (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
object_stored (gpointer fixture, gconstpointer data)
{
  Fixture *f = fixture;
  g_autofree gchar *objects = g_build_filename (f->store, "objects", NULL);

  return count_files (objects) > 0;
}

/* SIGTERM while a recording is being committed (its file in the store, its
 * row not yet written): docketd finishes the commit before it exits, well
 * inside the unit's TimeoutStopSec, and the audit chain verifies. */
static void
test_sigterm_during_commit (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *command = NULL;
  g_autofree gchar *objects = NULL;
  g_autofree gchar *state_dir = NULL;
  g_autofree gchar *rm = NULL;
  g_autoptr (JsonArray) rows = NULL;
  g_autoptr (JsonArray) audit = NULL;
  const gchar *audit_args[] = { "audit", "list", "--store", NULL, NULL };
  const gchar *verify_args[] = { NULL, "audit", "verify", "--store", NULL, NULL };
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  gint64 started;
  guint poll_source;

  if (!DOCKET_TEST_HOOKS)
    {
      g_test_skip ("needs the store's commit delay: configure with -Dtest_hooks=true");
      return;
    }
  path = test_media_get ("good", 0, &error);
  if (path == NULL)
    {
      g_test_skip (error->message);
      return;
    }
  /* this test brings up its own docketd, with commits held open */
  fixture_teardown (f, data);
  g_setenv ("DOCKET_TEST_COMMIT_DELAY_MS", "5000", TRUE);
  g_setenv ("DOCKET_DEEP_CHECK", "0", TRUE);
  fixture_setup (f, data);
  g_unsetenv ("DOCKET_TEST_COMMIT_DELAY_MS");
  g_unsetenv ("DOCKET_DEEP_CHECK");

  docket_test_sim_command (&f->sim, "undock " SERIAL);
  docket_test_wait_until (camera_gone, f, NULL, "the camera to leave");
  command = g_strdup_printf ("addfile %s '%s' %u", SERIAL, path, TEST_MEDIA_DURATION_MS);
  docket_test_sim_command (&f->sim, command);
  docket_test_sim_command (&f->sim, "dock " SERIAL);
  /* nothing on the bus says a file arrived: look every 20 ms */
  poll_source = g_timeout_add (20, keep_polling, NULL);
  docket_test_wait_until (object_stored, f, NULL, "a recording's file in the store");
  g_source_remove (poll_source);

  state_dir = g_strdup (f->sim.state_dir);
  started = g_get_monotonic_time ();
  docket_test_sim_quit (&f->sim); /* SIGTERM; asserts docketd exited 0 */
  g_test_message ("docketd stopped in %.1f s", (g_get_monotonic_time () - started) / 1e6);
  /* data/systemd/docketd.service: TimeoutStopSec=60s */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 60 * G_USEC_PER_SEC);

  /* Whole: every file in the store has its row, and its audit row. */
  objects = g_build_filename (f->store, "objects", NULL);
  rows = list_recordings (f);
  audit_args[3] = f->store;
  audit = docketctl_json (f, audit_args);
  g_assert_cmpuint (count_files (objects), ==, 1);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "state"),
                   ==, "verified");
  g_assert_cmpuint (count_audit (audit, "recording-committed", NULL), ==, 1);
  verify_args[0] = g_getenv ("DOCKETCTL");
  verify_args[4] = f->store;
  g_assert_cmpint (docket_test_run (verify_args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Intact"));

  rm = g_strdup_printf ("rm -rf '%s'", state_dir);
  g_assert_cmpint (system (rm), ==, 0);
  g_clear_pointer (&f->sim.state_dir, g_free);
  g_clear_pointer (&f->store, g_free);
  fixture_setup (f, data); /* for the teardown */
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
  g_test_add ("/media-daemon/damaged-on-camera", Fixture, NULL, fixture_setup,
              test_damaged_on_camera, fixture_teardown);
  g_test_add ("/media-daemon/helper-hangs-or-crashes", Fixture, NULL, fixture_setup,
              test_helper_hangs_or_crashes, fixture_teardown);
  g_test_add ("/media-daemon/helper-socket", Fixture, NULL, fixture_setup, test_helper_socket,
              fixture_teardown);
  g_test_add ("/media-daemon/sigterm-during-commit", Fixture, NULL, fixture_setup,
              test_sigterm_during_commit, fixture_teardown);
  return g_test_run ();
}
