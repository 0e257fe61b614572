/* test-sim-program.c — the docket-sim program: children, stdin commands, scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo runs `docket-sim -- docketd --session`: a separate process must
 * see the simulated cameras through the umockdev environment it inherits.
 * This program plays that child itself (--child N): it runs a device monitor
 * and prints what it sees.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "docket-device-monitor.h"
#include "docket-drivers.h"
#include "test-dcp-common.h"

static gboolean
all_settled (gpointer data)
{
  DocketDeviceMonitor *monitor = data;
  g_autoptr (GPtrArray) cameras = docket_device_monitor_get_cameras (monitor);
  guint want = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (monitor), "want"));

  if (cameras->len != want)
    return FALSE;
  for (guint i = 0; i < cameras->len; i++)
    if (docket_camera_get_state (g_ptr_array_index (cameras, i)) != DOCKET_CAMERA_STATE_IDLE)
      return FALSE;
  return TRUE;
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *)a, *(const gchar *const *)b);
}

/* Inside docket-sim: wait for @want idle cameras and print their serials. */
static int
run_child (guint want)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketDeviceMonitor) monitor = NULL;
  g_autoptr (GPtrArray) cameras = NULL;
  g_autoptr (GPtrArray) serials = g_ptr_array_new ();
  g_autofree gchar *joined = NULL;

  docket_drivers_register_builtin ();
  monitor = docket_device_monitor_new (g_getenv ("DOCKET_KNOWN_CAMERAS"), &error);
  g_assert_no_error (error);
  g_object_set_data (G_OBJECT (monitor), "want", GUINT_TO_POINTER (want));
  docket_device_monitor_start (monitor, &error);
  g_assert_no_error (error);
  dcp_test_wait_for (all_settled, monitor);
  cameras = docket_device_monitor_get_cameras (monitor);
  for (guint i = 0; i < cameras->len; i++)
    g_ptr_array_add (serials, (gpointer)docket_camera_get_serial (g_ptr_array_index (cameras, i)));
  g_ptr_array_sort (serials, compare_strings);
  g_ptr_array_add (serials, NULL);
  joined = g_strjoinv (",", (gchar **)serials->pdata);
  g_print ("child saw %s\n", joined);
  docket_device_monitor_stop (monitor);
  return 0;
}

static const gchar *self_path;

static void
test_child_sees_cameras (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) sim = NULL;
  g_autofree gchar *out = NULL;
  const gchar *media = g_getenv ("DOCKET_SIM_MEDIA_DIR");
  const gchar *argv[] = { g_getenv ("DOCKET_SIM"),
                          "--cameras",
                          "3",
                          "--recordings",
                          "1",
                          "--media-dir",
                          media != NULL ? media : g_get_tmp_dir (),
                          "--",
                          self_path,
                          "--child",
                          "3",
                          NULL };

  if (argv[0] == NULL)
    {
      g_test_skip ("DOCKET_SIM is not set");
      return;
    }
  sim = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                           &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (sim, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_true (g_subprocess_get_if_exited (sim));
  g_assert_cmpint (g_subprocess_get_exit_status (sim), ==, 0);
  g_assert_nonnull (strstr (out, "docked SIM-0003"));
  g_assert_nonnull (strstr (out, "child saw SIM-0001,SIM-0002,SIM-0003"));
}

/* Commands on stdin: list, undock, fault, unknown input, quit. */
static void
test_stdin_commands (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) sim = NULL;
  g_autofree gchar *out = NULL;
  const gchar *media = g_getenv ("DOCKET_SIM_MEDIA_DIR");
  const gchar *argv[] = { g_getenv ("DOCKET_SIM"),
                          "--cameras",
                          "2",
                          "--recordings",
                          "0",
                          "--media-dir",
                          media != NULL ? media : g_get_tmp_dir (),
                          NULL };
  const gchar *input = "list\n"
                       "undock SIM-0001\n"
                       "fault SIM-0002 no-reply\n"
                       "many SIM-0002 10000\n"
                       "fault SIM-0002 no-such-fault\n"
                       "undock SIM-0009\n"
                       "bogus\n"
                       "list\n"
                       "quit\n";

  if (argv[0] == NULL)
    {
      g_test_skip ("DOCKET_SIM is not set");
      return;
    }
  sim = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                           &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (sim, input, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_cmpint (g_subprocess_get_exit_status (sim), ==, 0);
  g_assert_nonnull (strstr (out, "camera SIM-0001 docked"));
  g_assert_nonnull (strstr (out, "undocked SIM-0001"));
  g_assert_nonnull (strstr (out, "camera SIM-0001 undocked"));
  g_assert_nonnull (strstr (out, "fault SIM-0002 no-reply"));
  g_assert_nonnull (strstr (out, "added 10000 recordings to SIM-0002"));
  g_assert_nonnull (strstr (out, "camera SIM-0002 docked battery=37% recordings=10000"));
  g_assert_nonnull (strstr (out, "error unknown fault no-such-fault"));
  g_assert_nonnull (strstr (out, "error No simulated camera SIM-0009"));
  g_assert_nonnull (strstr (out, "error unknown command: bogus"));
}

/* A script docks, waits and undocks on its own; the child outlives it. */
static void
test_script (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) sim = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *script = NULL;
  int fd = g_file_open_tmp ("docket-sim-script-XXXXXX", &script, &error);
  const gchar *argv[] = {
    g_getenv ("DOCKET_SIM"), "--cameras", "1", "--recordings", "0", "--script", script, NULL
  };

  g_assert_no_error (error);
  close (fd);
  if (argv[0] == NULL)
    {
      g_test_skip ("DOCKET_SIM is not set");
      return;
    }
  g_file_set_contents (script,
                       "add SIM-EXTRA\ndock SIM-EXTRA\nsleep 0.1\nundock SIM-0001\nlist\nquit\n",
                       -1, &error);
  g_assert_no_error (error);
  sim = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                           &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (sim, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_cmpint (g_subprocess_get_exit_status (sim), ==, 0);
  g_assert_nonnull (strstr (out, "docked SIM-EXTRA"));
  g_assert_nonnull (strstr (out, "camera SIM-EXTRA docked"));
  g_assert_nonnull (strstr (out, "camera SIM-0001 undocked"));
  g_unlink (script);
}

int
main (int argc, char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--child"))
    return run_child ((guint)g_ascii_strtoull (argv[2], NULL, 10));

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim-program/child-sees-cameras", test_child_sees_cameras);
  g_test_add_func ("/sim-program/stdin-commands", test_stdin_commands);
  g_test_add_func ("/sim-program/script", test_script);
  return g_test_run ();
}
