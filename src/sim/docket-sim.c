/* docket-sim.c — run simulated DCP cameras, dock them, and run a program among them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   docket-sim [--cameras N] [--recordings M] [--incidents K] [--script FILE]
 *              [--media-dir DIR] [--size small|1080p] [--accelerate X] [-- COMMAND ARGS...]
 *
 * COMMAND inherits the umockdev environment, so `docket-sim -- docketd
 * --session` shows the daemon N docked cameras. Commands on stdin (and in
 * the script, which may also say `sleep SECONDS`):
 *   dock SERIAL | undock SERIAL | fault SERIAL KIND [ARG] | clear SERIAL
 *   | add SERIAL | many SERIAL COUNT | addfile SERIAL PATH [DURATION_MS [distinct]] | list | quit
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gprintf.h>

#include "docket-dcp-protocol.h"
#include "docket-sim.h"

typedef struct
{
  GMainLoop *loop;
  DocketSimTestbed *testbed;
  GDataInputStream *stdin_lines;
  GSubprocess *child;
  gchar **script;
  guint script_pos;
  gint exit_status;
  gchar *media_dir;
  DocketSimMediaSize size;
  guint recordings;
  guint incidents;
  gdouble accelerate;
  gboolean stdin_closed;
} Sim;

static gboolean run_command (Sim *sim, const gchar *line);

static gboolean
script_running (Sim *sim)
{
  return sim->script != NULL && sim->script[sim->script_pos] != NULL;
}

/* Nothing left to wait for: stdin closed, the script done, no child. */
static void
maybe_finish (Sim *sim)
{
  if (sim->stdin_closed && !script_running (sim) && sim->child == NULL)
    g_main_loop_quit (sim->loop);
}

static void say (const gchar *format, ...) G_GNUC_PRINTF (1, 2);

static void
say (const gchar *format, ...)
{
  va_list args;

  va_start (args, format);
  g_vprintf (format, args);
  va_end (args);
  g_print ("\n");
  fflush (stdout);
}

static gboolean
add_camera (Sim *sim, const gchar *serial, guint index, GError **error)
{
  DocketSimCameraOptions options = {
    .serial = serial,
    .accelerate = sim->accelerate,
    .battery_percent = 20 + (index * 17) % 70,
    .clock_offset_usec = (gint64)(index % 5) * 700 * 1000,
    .clock_drift_ppm = 20.0 * (index % 3),
  };
  DocketSimCamera *camera = docket_sim_testbed_add_camera (sim->testbed, &options, error);
  guint seconds = sim->size == DOCKET_SIM_MEDIA_SMALL ? 2 : 10;

  if (camera == NULL)
    return FALSE;
  for (guint i = 0; i < sim->recordings; i++)
    {
      gint64 start = docket_sim_media_shift_start (docket_sim_camera_get_clock (camera), i,
                                                   sim->recordings, sim->incidents, seconds);

      if (docket_sim_camera_add_generated_at (camera, sim->media_dir, sim->size, seconds,
                                              index * sim->recordings + i, start, error)
          == 0)
        return FALSE;
    }
  return TRUE;
}

static void
list_cameras (Sim *sim)
{
  g_autoptr (GPtrArray) cameras = docket_sim_testbed_get_cameras (sim->testbed);

  for (guint i = 0; i < cameras->len; i++)
    {
      DocketSimCamera *camera = g_ptr_array_index (cameras, i);
      const gchar *serial = docket_sim_camera_get_serial (camera);
      g_autofree gchar *firmware = docket_sim_camera_dup_firmware_version (camera);
      guint slot = docket_sim_camera_get_active_slot (camera);

      say ("camera %s %s battery=%.0f%% recordings=%u indicator=%d firmware=%s slot=%c "
           "other-slot=%s",
           serial, docket_sim_testbed_is_docked (sim->testbed, serial) ? "docked" : "undocked",
           docket_sim_camera_get_battery (camera), docket_sim_camera_get_n_recordings (camera),
           docket_sim_camera_get_indicator (camera), firmware, slot == 0 ? 'A' : 'B',
           docket_sim_camera_get_slot_bootable (camera, 1 - slot) ? "bootable" : "empty");
    }
  say ("end");
}

static gboolean
run_command (Sim *sim, const gchar *line)
{
  g_auto (GStrv) argv = NULL;
  g_autoptr (GError) error = NULL;
  gint argc = 0;

  if (line == NULL || *g_strstrip ((gchar *)line) == '\0' || line[0] == '#')
    return TRUE;
  if (!g_shell_parse_argv (line, &argc, &argv, &error))
    {
      say ("error %s", error->message);
      return TRUE;
    }
  if (g_str_equal (argv[0], "quit"))
    {
      g_main_loop_quit (sim->loop);
      return FALSE;
    }
  if (g_str_equal (argv[0], "list"))
    list_cameras (sim);
  else if (g_str_equal (argv[0], "dock") && argc == 2)
    {
      if (docket_sim_testbed_dock (sim->testbed, argv[1], &error))
        say ("docked %s", argv[1]);
    }
  else if (g_str_equal (argv[0], "undock") && argc == 2)
    {
      if (docket_sim_testbed_undock (sim->testbed, argv[1], &error))
        say ("undocked %s", argv[1]);
      else if (error == NULL)
        say ("error %s is not docked", argv[1]);
    }
  else if (g_str_equal (argv[0], "many") && argc == 3)
    {
      /* Thousands of recordings that share one small clip. */
      DocketSimCamera *camera = docket_sim_testbed_get_camera (sim->testbed, argv[1]);
      g_autofree gchar *clip = NULL;
      guint count = (guint)g_ascii_strtoull (argv[2], NULL, 10);

      if (camera == NULL)
        say ("error no camera %s", argv[1]);
      else if ((clip
                = docket_sim_media_ensure (sim->media_dir, DOCKET_SIM_MEDIA_SMALL, 2, 0, &error))
                   != NULL
               && docket_sim_camera_add_many_recordings (camera, clip, count, &error))
        say ("added %u recordings to %s", count, argv[1]);
    }
  else if (g_str_equal (argv[0], "addfile") && argc >= 3 && argc <= 5
           && (argc < 5 || g_str_equal (argv[4], "distinct")))
    {
      /* Any real file, played back as this camera's next recording;
       * "distinct" appends a box naming the camera and recording. */
      DocketSimCamera *camera = docket_sim_testbed_get_camera (sim->testbed, argv[1]);
      guint64 duration_ms = argc >= 4 ? g_ascii_strtoull (argv[3], NULL, 10) : 0;
      guint32 id;

      if (camera == NULL)
        say ("error no camera %s", argv[1]);
      else if ((id = argc == 5 ? docket_sim_camera_add_recording_distinct (camera, argv[2],
                                                                           duration_ms, &error)
                               : docket_sim_camera_add_recording_full (camera, argv[2], NULL, 0,
                                                                       duration_ms, 0, &error))
               != 0)
        say ("addfile %s %u", argv[1], id);
    }
  else if (g_str_equal (argv[0], "add") && argc == 2)
    {
      g_autoptr (GPtrArray) cameras = docket_sim_testbed_get_cameras (sim->testbed);

      if (add_camera (sim, argv[1], cameras->len, &error))
        say ("added %s", argv[1]);
    }
  else if ((g_str_equal (argv[0], "battery") || g_str_equal (argv[0], "temperature")) && argc == 3)
    {
      DocketSimCamera *camera = docket_sim_testbed_get_camera (sim->testbed, argv[1]);
      gdouble value = g_ascii_strtod (argv[2], NULL);

      if (camera == NULL)
        say ("error no camera %s", argv[1]);
      else if (g_str_equal (argv[0], "battery"))
        {
          docket_sim_camera_set_battery (camera, value);
          say ("battery %s %.0f", argv[1], value);
        }
      else
        {
          docket_sim_camera_set_battery_temperature (camera, value);
          say ("temperature %s %.1f", argv[1], value);
        }
    }
  else if (g_str_equal (argv[0], "health") && argc == 5)
    {
      DocketSimCamera *camera = docket_sim_testbed_get_camera (sim->testbed, argv[1]);

      if (camera == NULL)
        say ("error no camera %s", argv[1]);
      else
        {
          docket_sim_camera_set_battery_health (camera,
                                                (guint32)g_ascii_strtoull (argv[2], NULL, 10),
                                                (guint32)g_ascii_strtoull (argv[3], NULL, 10),
                                                (guint32)g_ascii_strtoull (argv[4], NULL, 10));
          say ("health %s", argv[1]);
        }
    }
  else if ((g_str_equal (argv[0], "fault") && argc >= 3)
           || (g_str_equal (argv[0], "clear") && argc == 2))
    {
      DocketSimCamera *camera = docket_sim_testbed_get_camera (sim->testbed, argv[1]);
      DocketSimFault fault;

      if (camera == NULL)
        say ("error no camera %s", argv[1]);
      else if (g_str_equal (argv[0], "clear"))
        {
          docket_sim_camera_clear_faults (camera);
          say ("cleared %s", argv[1]);
        }
      else if (!docket_sim_fault_from_string (argv[2], &fault))
        say ("error unknown fault %s", argv[2]);
      else
        {
          docket_sim_camera_set_fault (camera, fault,
                                       argc > 3 ? g_ascii_strtoull (argv[3], NULL, 10) : 0);
          say ("fault %s %s", argv[1], argv[2]);
        }
    }
  else
    say ("error unknown command: %s", line);

  if (error != NULL)
    say ("error %s", error->message);
  return TRUE;
}

static void read_stdin_line (Sim *sim);

static void
stdin_line_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Sim *sim = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *line
      = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), res, NULL, &error);

  if (line == NULL)
    {
      sim->stdin_closed = TRUE;
      maybe_finish (sim);
      return;
    }
  if (run_command (sim, line))
    read_stdin_line (sim);
}

static void
read_stdin_line (Sim *sim)
{
  g_data_input_stream_read_line_async (sim->stdin_lines, G_PRIORITY_DEFAULT, NULL, stdin_line_cb,
                                       sim);
}

static gboolean
script_step_cb (gpointer user_data)
{
  Sim *sim = user_data;

  while (sim->script != NULL && sim->script[sim->script_pos] != NULL)
    {
      const gchar *line = sim->script[sim->script_pos++];
      gdouble seconds;

      if (g_str_has_prefix (line, "sleep "))
        {
          seconds = g_ascii_strtod (line + 6, NULL);
          g_timeout_add ((guint)(seconds * 1000), script_step_cb, sim);
          return G_SOURCE_REMOVE;
        }
      if (!run_command (sim, line))
        return G_SOURCE_REMOVE;
    }
  maybe_finish (sim);
  return G_SOURCE_REMOVE;
}

/* In the child before exec: if docket-sim dies (killed, or a test that
 * started it aborts), the daemon under it goes too instead of lingering. */
static void
end_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
child_exited_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Sim *sim = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL);
  sim->exit_status = g_subprocess_get_if_exited (sim->child)
                         ? g_subprocess_get_exit_status (sim->child)
                         : 128 + g_subprocess_get_term_sig (sim->child);
  g_main_loop_quit (sim->loop);
}

static void
unplugged_cb (DocketSimTestbed *testbed, const gchar *serial, gpointer user_data)
{
  say ("unplugged %s", serial);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GInputStream) stdin_stream = NULL;
  g_auto (GStrv) command = NULL;
  g_autofree gchar *script_file = NULL;
  g_autofree gchar *size_name = NULL;
  g_auto (GStrv) saved_argv = g_strdupv (argv);
  gint cameras = 1;
  gint recordings = 3;
  gint incidents = 1;
  Sim sim = { .accelerate = 1.0 };
  GOptionEntry entries[] = {
    { "cameras", 'n', 0, G_OPTION_ARG_INT, &cameras, "Simulated cameras to dock (default 1)", "N" },
    { "recordings", 'r', 0, G_OPTION_ARG_INT, &recordings, "Recordings per camera (default 3)",
      "M" },
    { "incidents", 'i', 0, G_OPTION_ARG_INT, &incidents,
      "Incidents the recordings make, 20 minutes apart (default 1)", "K" },
    { "script", 's', 0, G_OPTION_ARG_FILENAME, &script_file, "Commands to run, one a line",
      "FILE" },
    { "media-dir", 'm', 0, G_OPTION_ARG_FILENAME, &sim.media_dir, "Cache for generated clips",
      "DIR" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size_name, "Clip size: small or 1080p", "SIZE" },
    { "accelerate", 'a', 0, G_OPTION_ARG_DOUBLE, &sim.accelerate,
      "Speed up battery charging and clock drift", "X" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &command, NULL, "-- COMMAND ARGS…" },
    { NULL },
  };

  if (!docket_sim_ensure_preload (saved_argv, &error))
    {
      g_printerr ("docket-sim: %s\n", error->message);
      return 77;
    }

  context = g_option_context_new ("[-- COMMAND ARGS…] — dock simulated DCP cameras");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("docket-sim: %s\n", error->message);
      return 2;
    }
  if (size_name != NULL && !docket_sim_media_size_from_string (size_name, &sim.size))
    {
      g_printerr ("docket-sim: --size must be small or 1080p\n");
      return 2;
    }
  sim.recordings = (guint)MAX (recordings, 0);
  sim.incidents = (guint)MAX (incidents, 1);
  if (sim.accelerate <= 0)
    sim.accelerate = 1.0;

  sim.loop = g_main_loop_new (NULL, FALSE);
  sim.testbed = docket_sim_testbed_new (&error);
  if (sim.testbed == NULL)
    {
      g_printerr ("docket-sim: %s\n", error->message);
      return 1;
    }
  g_signal_connect (sim.testbed, "unplugged", G_CALLBACK (unplugged_cb), &sim);

  for (gint i = 0; i < cameras; i++)
    {
      g_autofree gchar *serial = g_strdup_printf ("SIM-%04d", i + 1);

      if (!add_camera (&sim, serial, i, &error)
          || !docket_sim_testbed_dock (sim.testbed, serial, &error))
        {
          g_printerr ("docket-sim: %s\n", error->message);
          return 1;
        }
      say ("docked %s", serial);
    }
  say ("ready %s", docket_sim_testbed_get_root_dir (sim.testbed));

  if (script_file != NULL)
    {
      g_autofree gchar *contents = NULL;

      if (!g_file_get_contents (script_file, &contents, NULL, &error))
        {
          g_printerr ("docket-sim: %s\n", error->message);
          return 1;
        }
      sim.script = g_strsplit (contents, "\n", -1);
      g_idle_add (script_step_cb, &sim);
    }

  if (command != NULL && command[0] != NULL)
    {
      g_autoptr (GSubprocessLauncher) launcher
          = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);

      g_subprocess_launcher_set_child_setup (launcher, end_with_parent, NULL, NULL);
      sim.child = g_subprocess_launcher_spawnv (launcher, (const gchar *const *)command, &error);
      if (sim.child == NULL)
        {
          g_printerr ("docket-sim: %s\n", error->message);
          return 1;
        }
      g_subprocess_wait_async (sim.child, NULL, child_exited_cb, &sim);
    }

  stdin_stream = g_unix_input_stream_new (0, FALSE);
  sim.stdin_lines = g_data_input_stream_new (stdin_stream);
  read_stdin_line (&sim);

  g_main_loop_run (sim.loop);

  if (sim.child != NULL && g_subprocess_get_identifier (sim.child) != NULL)
    {
      g_subprocess_send_signal (sim.child, SIGTERM);
      g_subprocess_wait (sim.child, NULL, NULL);
    }
  g_clear_object (&sim.child);
  g_clear_object (&sim.stdin_lines);
  g_clear_object (&sim.testbed);
  g_strfreev (sim.script);
  g_free (sim.media_dir);
  g_main_loop_unref (sim.loop);
  return sim.exit_status;
}
