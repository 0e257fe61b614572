/* kiosk-station.c — a real station for the kiosk's end-to-end tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk-atspi.h"
#include "kiosk-station.h"

static gchar *
docketctl_report (KioskStation *station, const gchar *command)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = kiosk_docketctl (station, NULL, &error, "--session", command, NULL);

  return out != NULL ? g_steal_pointer (&out) : g_strdup_printf ("(%s)", error->message);
}

/* When the kiosk does not show what a test waits for, what docketd sees. */
static gchar *
station_failure_report (gpointer user_data)
{
  KioskStation *station = user_data;
  g_autofree gchar *status = NULL;
  g_autofree gchar *cameras = NULL;

  if (g_getenv ("DOCKETCTL") == NULL)
    return g_strdup ("docketd's view: DOCKETCTL is not set");
  status = docketctl_report (station, "status");
  cameras = docketctl_report (station, "cameras");
  return g_strdup_printf ("docketd's status:\n%s\ndocketd's cameras:\n%s", status, cameras);
}

gboolean
kiosk_station_start_full (KioskStation *station,
                          const gchar *state_dir,
                          guint n_cameras,
                          guint n_recordings,
                          const gchar *const *sim_args,
                          gint *out_stdout)
{
  const gchar *sim = g_getenv ("DOCKET_SIM");
  g_autofree gchar *media = g_build_filename (kiosk_env.tmpdir, "media", NULL);
  g_autofree gchar *cameras = g_strdup_printf ("%u", n_cameras);
  g_autofree gchar *recordings = g_strdup_printf ("%u", n_recordings);
  g_auto (GStrv) envp = g_get_environ ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  GSpawnFlags flags = G_SPAWN_DO_NOT_REAP_CHILD;

  memset (station, 0, sizeof *station);
  station->in = -1;
  if (sim == NULL || !g_file_test (sim, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  g_strv_builder_add_many (builder, sim, "--cameras", cameras, "--recordings", recordings,
                           "--media-dir", media, NULL);
  if (sim_args != NULL)
    g_strv_builder_addv (builder, (const gchar **)sim_args);
  g_strv_builder_add_many (builder, "--", g_getenv ("DOCKETD"), "--session", NULL);
  argv = g_strv_builder_end (builder);
  station->state_dir = g_strdup (state_dir);
  envp = g_environ_setenv (envp, "DOCKET_STATE_DIR", state_dir, TRUE);
  if (g_getenv ("DOCKET_KNOWN_CAMERAS_FILE") != NULL)
    envp = g_environ_setenv (envp, "DOCKET_KNOWN_CAMERAS", g_getenv ("DOCKET_KNOWN_CAMERAS_FILE"),
                             TRUE);
  if (out_stdout == NULL)
    flags |= G_SPAWN_STDOUT_TO_DEV_NULL;
  /* docket-sim takes commands on its stdin and stops its daemon on "quit". */
  g_spawn_async_with_pipes (NULL, argv, envp, flags, kiosk_test_child_setup, NULL, &station->pid,
                            &station->in, out_stdout, NULL, &error);
  g_assert_no_error (error);
  kiosk_set_failure_report (station_failure_report, station);
  return TRUE;
}

gboolean
kiosk_station_start (KioskStation *station,
                     const gchar *state_dir,
                     guint n_cameras,
                     guint n_recordings)
{
  return kiosk_station_start_full (station, state_dir, n_cameras, n_recordings, NULL, NULL);
}

void
kiosk_station_command (KioskStation *station, const gchar *command)
{
  g_autofree gchar *line = g_strconcat (command, "\n", NULL);
  gsize len = strlen (line);

  g_assert_cmpint (write (station->in, line, len), ==, (gssize)len);
}

void
kiosk_station_stop (KioskStation *station)
{
  int status = 0;

  kiosk_set_failure_report (NULL, NULL);
  kiosk_station_command (station, "quit");
  close (station->in);
  station->in = -1;
  waitpid (station->pid, &status, 0);
  g_spawn_close_pid (station->pid);
  station->pid = 0;
  g_clear_pointer (&station->state_dir, g_free);
}

static gchar *
docketctl_v (KioskStation *station, const gchar *input, GError **error, va_list args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocessLauncher) launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GSubprocess) process = NULL;
  g_autofree gchar *out = NULL;
  const gchar *arg;

  g_ptr_array_add (argv, (gpointer)g_getenv ("DOCKETCTL"));
  while ((arg = va_arg (args, const gchar *)) != NULL)
    g_ptr_array_add (argv, (gpointer)arg);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_setenv (launcher, "DOCKET_STATE_DIR", station->state_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const gchar *const *)argv->pdata, error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, input, NULL, &out, NULL, error))
    return NULL;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "docketctl %s failed",
                   (const gchar *)argv->pdata[1]);
      return NULL;
    }
  return g_steal_pointer (&out);
}

gchar *
kiosk_docketctl (KioskStation *station, const gchar *input, GError **error, ...)
{
  va_list args;
  gchar *out;

  va_start (args, error);
  out = docketctl_v (station, input, error, args);
  va_end (args);
  return out;
}

void
kiosk_station_wait_for_daemon (KioskStation *station)
{
  gint64 deadline = g_get_monotonic_time () + KIOSK_WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autofree gchar *out = kiosk_docketctl (station, NULL, &error, "--session", "status", NULL);

      if (out != NULL)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("docketd never answered: %s", error->message);
      g_usleep (200 * 1000);
    }
}

void
kiosk_station_enrol (KioskStation *station,
                     const gchar *badge,
                     const gchar *name,
                     const gchar *role,
                     const gchar *pin)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *input = g_strdup_printf ("%s\n", pin);
  g_autofree gchar *out = kiosk_docketctl (station, input, &error, "--session", "officer", "add",
                                           badge, "--name", name, "--role", role, NULL);

  g_assert_no_error (error);
}

void
kiosk_station_assign (KioskStation *station, const gchar *serial, const gchar *badge)
{
  gint64 deadline = g_get_monotonic_time () + KIOSK_WAIT_SECONDS * G_USEC_PER_SEC;
  gchar *out;

  /* `add` is asynchronous: retry until the camera is known. */
  while ((out = kiosk_docketctl (station, NULL, NULL, "--session", "camera", "assign", serial,
                                 badge, NULL))
         == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (200 * 1000);
    }
  g_free (out);
}

gchar *
kiosk_station_audit_list (KioskStation *station)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *store = g_build_filename (station->state_dir, "store", NULL);
  gchar *out
      = kiosk_docketctl (station, NULL, &error, "--json", "audit", "list", "--store", store, NULL);

  g_assert_no_error (error);
  return out;
}

gboolean
kiosk_station_start_shift (KioskStation *station, guint n_recordings)
{
  if (!kiosk_station_start (station, kiosk_env.state_dir, 0, n_recordings))
    return FALSE;
  kiosk_station_wait_for_daemon (station);
  /* Assigned before it is docked, so its recordings belong to the officer. */
  kiosk_station_enrol (station, "4711", "Dana Scully", "officer", "1234");
  kiosk_station_enrol (station, "2001", "Walter Skinner", "sergeant", "5678");
  kiosk_station_enrol (station, "9001", "Frohike", "it", "2468");
  kiosk_station_command (station, "add SIM-0001");
  kiosk_station_assign (station, "SIM-0001", "4711");
  return TRUE;
}

int
kiosk_station_test_main (int argc,
                         char **argv,
                         const gchar *name,
                         const gchar *geometry,
                         const gchar *path,
                         GTestFunc func)
{
  const gchar *needed[]
      = { "DOCKETD", "DOCKETCTL", "DOCKET_KIOSK", "DOCKET_SCHEMA", "DOCKET_SIM", NULL };
  int ret;

  g_test_init (&argc, &argv, NULL);
  ret = kiosk_atspi_setup (name, geometry, needed);
  if (ret != 0)
    return ret;
  g_test_add_func (path, func);
  ret = g_test_run ();
  kiosk_atspi_teardown ();
  return ret;
}

static gboolean large_screen;

int
kiosk_station_test_main_screen (
    int argc, char **argv, const gchar *name, const gchar *path, GTestFunc func)
{
  const gchar *screen = g_getenv ("DOCKET_TEST_SCREEN");
  g_autofree gchar *geometry = NULL;

  large_screen = screen != NULL;
  geometry = g_strdup_printf ("%sx24", large_screen ? screen : "1280x800");
  return kiosk_station_test_main (argc, argv, name, geometry, path, func);
}

gboolean
kiosk_station_large_screen (void)
{
  return large_screen;
}

gint
kiosk_station_screen_width (void)
{
  return large_screen ? 1920 : 1280;
}

void
kiosk_station_shot (const gchar *name)
{
  g_autofree gchar *full = g_strdup_printf ("%s%s", name, large_screen ? "-large" : "");

  kiosk_screenshot (full, large_screen ? NULL : "1280x800+0+0");
}

void
kiosk_station_sign_in_sergeant (GPid kiosk)
{
  kiosk_sign_in_on_keypad (kiosk, "2001", "5678");
  kiosk_wait_for_text (kiosk, "Walter Skinner (badge 2001)");
}

void
kiosk_station_open_queue (GPid kiosk, const gchar *queue, const gchar *row_text)
{
  kiosk_press (kiosk, queue);
  kiosk_wait_for_text (kiosk, row_text);
}

gboolean
kiosk_station_start_docked (KioskStation *station, guint n_recordings, GPid *out_kiosk)
{
  if (!kiosk_station_start_shift (station, n_recordings))
    {
      g_test_skip ("docket-sim is not built");
      return FALSE;
    }
  *out_kiosk = kiosk_start (large_screen, NULL);
  kiosk_wait_for_text (*out_kiosk, "No Cameras Docked");
  kiosk_station_command (station, "dock SIM-0001");
  kiosk_wait_for_text (*out_kiosk, "Done: all recordings safe");
  return TRUE;
}
