/* bench-offload-usb.c — several simulated USB cameras offloading at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 1, 2, 4 and 8 cameras offloaded together by docketd in its own process,
 * run as docket-sim's child on a private bus (umockdev + the real DCP
 * driver), behind the simulator's link model at USB 2.0 (35 MB/s) and
 * USB 3 (350 MB/s) rates with DOCKET_BENCH_LINK_LATENCY_US per transfer
 * (default 1000). Each camera holds what a shift leaves:
 * DOCKET_BENCH_RECORDINGS clips (default 6) of DOCKET_BENCH_CLIP_SECONDS of
 * 1080p at ~8 Mbit/s (default 50, ~50 MB), drawn from DOCKET_BENCH_CLIPS
 * distinct ones (default 2: encoding is slow), to which each camera
 * appends its own 16 bytes so that no two recordings are the same file.
 *
 * Each camera's offload time is measured from outside docketd: from its
 * first byte (its Offload property on D-Bus first lists the files, which
 * the job reports right before its first read) to its last commit (the
 * recordings' committed_usec in the store, read after the round). Its
 * rate is divided by the link's (goal >= 0.95, every camera) and by the
 * lower of the link's and what the emulation itself delivers per camera to
 * a bare libusb loop reading the same number of simulated cameras at once
 * (bench-usb.c, measured before each round's pair: at USB 3, and with
 * several cameras on a small machine, the emulation is the limit), and by
 * the lower of the link's and that loop's rate when it also writes each
 * block to a file on the store's file system and fdatasyncs it at the end
 * (the disk-write ceiling, measured alternately with the bare loop, in the
 * same run). The job's start (identify, list, the run's
 * row) is printed apart.
 *
 * docketd's media helpers run without the umockdev preload docketd needs
 * (DOCKET_BENCH_HELPER_PRELOAD=1 keeps it): no station has it.
 *
 * Peak RSS (goal <= 150 MB) is docketd's alone, in the round of 8 cameras
 * at USB 2.0: its VmHWM is read from /proc once its thumbnails are made;
 * media helpers' peaks are sampled every 100 ms and printed apart. Needs
 * $DOCKET_SIM and $DOCKETD (skipped otherwise).
 *
 * Each round is bounded by DOCKET_BENCH_ROUND_TIMEOUT_S (default 300): a
 * round that does not finish is reported as such, with what was still
 * running, and the benchmark stops there (exit 1) rather than wait forever.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <sqlite3.h>

#include "bench-usb.h"
#include "docket-dbus-generated.h"
#include "docket-gst.h"
#include "docket-sim.h"
#include "docket-test-sim.h"

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;

  return x < y ? -1 : x > y;
}

typedef struct
{
  gdouble read;  /* the bare loop alone, per camera, bytes/s */
  gdouble write; /* the same plus write + fdatasync, per camera, bytes/s */
} Ceiling;

/* The median of three tries' means over the cameras, in bytes/s. */
static gdouble
print_tries (const gchar *what, const gdouble *means, const gdouble *worst)
{
  gdouble sorted[3] = { means[0], means[1], means[2] };

  g_print ("%s: per camera (mean of cameras; worst camera) %.0f (%.0f), %.0f (%.0f), %.0f (%.0f) "
           "MB/s",
           what, means[0] / 1e6, worst[0] / 1e6, means[1] / 1e6, worst[1] / 1e6, means[2] / 1e6,
           worst[2] / 1e6);
  qsort (sorted, G_N_ELEMENTS (sorted), sizeof sorted[0], (GCompareFunc)compare_doubles);
  g_print ("; median %.0f MB/s\n", sorted[1] / 1e6);
  return sorted[1];
}

/* What the emulation itself delivers per camera, with no link model, to a
 * bare libusb loop reading @n simulated cameras at once (one clip each),
 * and the same loop also writing what it reads to @write_dir (on the
 * store's file system) and fdatasync'ing it at the end: the medians over
 * three tries (alternating) of the cameras' mean rate. */
static Ceiling
emulation_ceiling (DocketSimTestbed *testbed, guint n, guint seconds_each, const gchar *write_dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *what = NULL;
  g_autofree guint *bus = g_new0 (guint, n);
  g_autofree guint *address = g_new0 (guint, n);
  g_autofree guint32 *id = g_new0 (guint32, n);
  g_autofree gdouble *rates = g_new0 (gdouble, n);
  g_autoptr (GPtrArray) serials = g_ptr_array_new_with_free_func (g_free);
  gdouble means[2][3], worst[2][3];
  Ceiling ceiling;
  GStatBuf st;

  path = docket_sim_media_ensure (g_getenv ("DOCKET_SIM_MEDIA_DIR"), DOCKET_SIM_MEDIA_1080P,
                                  seconds_each, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      gchar *serial = g_strdup_printf ("BENCH-CEILING-%u-%02u", n, i);
      DocketSimCameraOptions options = { .serial = serial };
      DocketSimCamera *sim = docket_sim_testbed_add_camera (testbed, &options, &error);
      g_autofree gchar *devnode = NULL;

      g_assert_no_error (error);
      g_ptr_array_add (serials, serial);
      id[i] = docket_sim_camera_add_generated (sim, g_getenv ("DOCKET_SIM_MEDIA_DIR"),
                                               DOCKET_SIM_MEDIA_1080P, seconds_each, 0, &error);
      g_assert_no_error (error);
      g_assert_true (docket_sim_testbed_dock (testbed, serial, &error));
      devnode = docket_sim_testbed_get_devnode (testbed, serial);
      g_assert_cmpint (sscanf (devnode, "/dev/bus/usb/%u/%u", &bus[i], &address[i]), ==, 2);
    }
  for (guint r = 0; r < 3; r++)
    for (guint w = 0; w < 2; w++)
      {
        bench_usb_bare_copy_many (n, bus, address, id, st.st_size, w == 1 ? write_dir : NULL,
                                  rates);
        means[w][r] = 0;
        worst[w][r] = G_MAXDOUBLE;
        for (guint i = 0; i < n; i++)
          {
            means[w][r] += rates[i] * 1e6 / n;
            worst[w][r] = MIN (worst[w][r], rates[i] * 1e6);
          }
      }
  for (guint i = 0; i < n; i++)
    (void)docket_sim_testbed_undock (testbed, serials->pdata[i], NULL);
  what = g_strdup_printf ("emulation ceiling, bare libusb loop, %u camera%s at once, no link "
                          "model, %.0f MB clip",
                          n, n == 1 ? "" : "s", st.st_size / 1e6);
  ceiling.read = print_tries (what, means[0], worst[0]);
  g_free (what);
  what = g_strdup_printf ("disk-write ceiling, the same loop + write + fdatasync on the store's "
                          "file system, %u camera%s, same run",
                          n, n == 1 ? "" : "s");
  ceiling.write = print_tries (what, means[1], worst[1]);
  return ceiling;
}

/* @field ("VmHWM:", "VmRSS:") of process @pid in kB, or 0 if unknown (it
 * is gone). */
static guint64
status_kb (GPid pid, const gchar *field)
{
  g_autofree gchar *path = g_strdup_printf ("/proc/%d/status", (int)pid);
  g_autofree gchar *status = NULL;
  const gchar *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return 0;
  line = strstr (status, field);
  return line != NULL ? g_ascii_strtoull (line + strlen (field), NULL, 10) : 0;
}

/* Peak RSS of process @pid in kB (VmHWM), or 0 if unknown (it is gone). */
static guint64
peak_rss_kb (GPid pid)
{
  return status_kb (pid, "VmHWM:");
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef struct
{
  gchar *serial;
  guint64 bytes;
  /* Real time (the store's clock) at which D-Bus first showed the job's
   * file list, which it reports right before its first read; 0: not yet. */
  gint64 first_byte_usec;
  const gchar *state;
  gchar *problem; /* what the camera's Problem said when it ended faulty */
} DaemonCamera;

typedef struct
{
  DocketTestSim sim;
  GPid sim_pid;
  GPid docketd_pid;
  guint64 docketd_kb;
  guint64 helper_kb;
  /* The most the helpers alive at one sample held together (VmRSS), and
   * how many there were then: helpers started ahead wait, loaded, for
   * their file. */
  guint64 helpers_sum_kb;
  guint helpers_at_sum;
  guint helpers_now;
  guint n;
  DaemonCamera *cameras;
} DaemonRun;

static GPid
parent_of (const gchar *pid)
{
  g_autofree gchar *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree gchar *stat = NULL;
  const gchar *end;

  /* "PID (comm) STATE PPID ...": comm may hold anything but a last ')'. */
  if (!g_file_get_contents (path, &stat, NULL, NULL) || (end = strrchr (stat, ')')) == NULL)
    return 0;
  return (GPid)g_ascii_strtoll (end + 4, NULL, 10);
}

/* docketd is docket-sim's child; the media helpers are docketd's. Their
 * peaks are sampled: a helper's last 100 ms may be missed. */
static gboolean
sample_rss_cb (gpointer data)
{
  DaemonRun *run = data;
  g_autoptr (GDir) dir = g_dir_open ("/proc", 0, NULL);
  const gchar *name;
  guint64 sum_kb = 0;
  guint alive = 0;

  run->helpers_now = 0;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      GPid ppid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      ppid = parent_of (name);
      if (ppid == run->sim_pid && run->docketd_pid == 0)
        run->docketd_pid = (GPid)g_ascii_strtoll (name, NULL, 10);
      else if (ppid != 0 && ppid == run->docketd_pid)
        {
          g_autofree gchar *path = g_strdup_printf ("/proc/%s/cmdline", name);
          g_autofree gchar *cmdline = NULL;
          gsize len = 0;

          /* Thumbnails follow the commits; deep checks (full decodes at
           * the lowest priority) run long after and are not waited for. */
          if (g_file_get_contents (path, &cmdline, &len, NULL) && strlen (cmdline) + 1 < len
              && g_str_equal (cmdline + strlen (cmdline) + 1, "thumbnail"))
            run->helpers_now++;
          run->helper_kb
              = MAX (run->helper_kb, peak_rss_kb ((GPid)g_ascii_strtoll (name, NULL, 10)));
          sum_kb += status_kb ((GPid)g_ascii_strtoll (name, NULL, 10), "VmRSS:");
          alive++;
        }
    }
  if (sum_kb > run->helpers_sum_kb)
    {
      run->helpers_sum_kb = sum_kb;
      run->helpers_at_sum = alive;
    }
  if (run->docketd_pid != 0)
    run->docketd_kb = MAX (run->docketd_kb, peak_rss_kb (run->docketd_pid));
  return G_SOURCE_CONTINUE;
}

/* Notes each camera's first byte and state; whether every camera is done
 * (or faulty: its job ended). */
static gboolean
poll_cameras (DaemonRun *run)
{
  gboolean all = TRUE;

  for (guint i = 0; i < run->n; i++)
    {
      DaemonCamera *c = &run->cameras[i];
      g_autoptr (DocketDBusCamera) camera = docket_test_sim_find_camera (&run->sim, c->serial);
      GVariant *offload;
      guint total = 0;

      if (camera == NULL)
        {
          all = FALSE;
          continue;
        }
      offload = docket_dbus_camera_get_offload (camera);
      if (c->first_byte_usec == 0 && offload != NULL
          && g_variant_lookup (offload, "files-total", "u", &total) && total > 0)
        c->first_byte_usec = g_get_real_time ();
      c->state = g_intern_string (docket_dbus_camera_get_state (camera));
      if (g_str_equal (c->state, "faulty") && c->problem == NULL)
        c->problem = g_strdup (docket_dbus_camera_get_problem (camera));
      if (!g_str_equal (c->state, "done") && !g_str_equal (c->state, "faulty"))
        all = FALSE;
    }
  return all;
}

typedef struct
{
  gint64 started_usec;
  gint64 last_commit_usec;
  guint verified;
} RunRow;

/* The camera's offload run from the store docketd left behind. */
static gboolean
read_run_row (const gchar *state_dir, const gchar *serial, RunRow *row)
{
  g_autofree gchar *db = g_build_filename (state_dir, "store", "docket.db", NULL);
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_printerr ("cannot open %s: %s\n", db, sqlite3_errmsg (conn));
      sqlite3_close (conn);
      return FALSE;
    }
  if (sqlite3_prepare_v2 (
          conn,
          "SELECT r.started_usec, r.verified,"
          " (SELECT MAX(committed_usec) FROM recordings WHERE offload_run_id = r.id)"
          " FROM offload_runs r JOIN cameras c ON c.id = r.camera_id"
          " WHERE c.serial = ? ORDER BY r.id LIMIT 1",
          -1, &stmt, NULL)
      == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          row->started_usec = sqlite3_column_int64 (stmt, 0);
          row->verified = (guint)sqlite3_column_int (stmt, 1);
          row->last_commit_usec = sqlite3_column_int64 (stmt, 2);
          found = TRUE;
        }
    }
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return found;
}

/* One round: @n cameras of @per_camera clips each behind links of @rate
 * bytes/s, offloaded by docketd in its own process. @ceiling is the
 * emulation's per-camera rate for @n cameras at once. With @rss, also
 * docketd's peak RSS once its thumbnails are made. Returns FALSE on a
 * timeout. */
static gboolean
run_daemon (const gchar *link_name,
            guint64 rate,
            guint n,
            guint per_camera,
            guint seconds_each,
            guint clips,
            guint64 latency_us,
            const Ceiling *ceiling,
            gboolean rss,
            guint timeout_s)
{
  g_autoptr (GError) error = NULL;
  g_autofree DaemonCamera *cameras = g_new0 (DaemonCamera, n);
  DaemonRun run = { .n = n, .cameras = cameras };
  gboolean timed_out = FALSE;
  guint sample_id, timeout_id, verified = 0, idle = 0;
  gint64 t0;
  gdouble seconds, bound = MIN ((gdouble)rate, ceiling->read);
  gdouble bound_write = MIN ((gdouble)rate, ceiling->write);
  gdouble worst = G_MAXDOUBLE, sum = 0, worst_bound = G_MAXDOUBLE, sum_bound = 0;
  gdouble worst_write = G_MAXDOUBLE, sum_write = 0;
  gdouble start_sum = 0, start_max = 0;
  guint64 bytes = 0;
  g_autoptr (GString) each = g_string_new (NULL);
  g_autofree gchar *cmd = NULL;

  docket_test_sim_start (&run.sim, 0, 0, NULL);
  run.sim_pid = (GPid)g_ascii_strtoll (g_subprocess_get_identifier (run.sim.sim), NULL, 10);
  for (guint i = 0; i < n; i++)
    {
      g_autofree gchar *add = NULL;
      g_autofree gchar *fault = NULL;
      g_autofree gchar *lat = NULL;

      cameras[i].serial = g_strdup_printf ("BENCH-%s-%u-%02u", link_name, n, i);
      add = g_strdup_printf ("add %s", cameras[i].serial);
      fault = g_strdup_printf ("fault %s slow-link %" G_GUINT64_FORMAT, cameras[i].serial, rate);
      lat = g_strdup_printf ("fault %s link-latency %" G_GUINT64_FORMAT, cameras[i].serial,
                             latency_us);
      docket_test_sim_command (&run.sim, add);
      for (guint j = 0; j < per_camera; j++)
        {
          g_autofree gchar *path
              = docket_sim_media_ensure (g_getenv ("DOCKET_SIM_MEDIA_DIR"), DOCKET_SIM_MEDIA_1080P,
                                         seconds_each, (i * per_camera + j) % clips, &error);
          g_autofree gchar *line = NULL;
          GStatBuf st;

          g_assert_no_error (error);
          g_assert_cmpint (g_stat (path, &st), ==, 0);
          /* "distinct": the camera appends 16 bytes naming itself and the
           * recording, so the store cannot keep one copy of a shared clip
           * (no real station's footage repeats). */
          cameras[i].bytes += st.st_size + 16;
          line = g_strdup_printf ("addfile %s %s %u distinct", cameras[i].serial, path,
                                  seconds_each * 1000);
          docket_test_sim_command (&run.sim, line);
        }
      bytes += cameras[i].bytes;
      docket_test_sim_command (&run.sim, fault);
      if (latency_us > 0)
        docket_test_sim_command (&run.sim, lat);
    }
  sample_id = g_timeout_add (100, sample_rss_cb, &run);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree gchar *dock = g_strdup_printf ("dock %s", cameras[i].serial);

      docket_test_sim_command (&run.sim, dock);
    }
  timeout_id = g_timeout_add_seconds (timeout_s, timed_out_cb, &timed_out);
  while (!poll_cameras (&run) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  /* Thumbnails follow the commits: docketd's peak includes them, so wait
   * until no thumbnail helper has run for a second. */
  while (rss && !timed_out && idle < 10)
    {
      g_usleep (100 * 1000);
      sample_rss_cb (&run);
      idle = run.helpers_now == 0 ? idle + 1 : 0;
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  if (!timed_out)
    g_source_remove (timeout_id);
  g_source_remove (sample_id);
  sample_rss_cb (&run);
  if (timed_out)
    {
      g_print ("%s link, %u cameras: DID NOT FINISH within %u s; states:", link_name, n, timeout_s);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr (DocketDBusCamera) camera
              = docket_test_sim_find_camera (&run.sim, cameras[i].serial);
          guint done = 0;

          if (camera != NULL)
            g_variant_lookup (docket_dbus_camera_get_offload (camera), "files-done", "u", &done);
          g_print (" %s %s (%u files)", cameras[i].serial,
                   camera != NULL ? docket_dbus_camera_get_state (camera) : "absent", done);
        }
      g_print ("\n");
      return FALSE;
    }
  docket_test_sim_quit (&run.sim);

  for (guint i = 0; i < n; i++)
    {
      RunRow row = { 0 };
      gdouble camera_seconds, camera_rate, fraction, fraction_bound;

      if (!read_run_row (run.sim.state_dir, cameras[i].serial, &row) || row.last_commit_usec == 0
          || cameras[i].first_byte_usec == 0)
        {
          g_print ("  %s: no offload run or no commit in the store (state %s)\n", cameras[i].serial,
                   cameras[i].state);
          worst = worst_bound = worst_write = 0;
          continue;
        }
      if (!g_str_equal (cameras[i].state, "done"))
        g_print ("  %s: ended %s: %s\n", cameras[i].serial, cameras[i].state,
                 cameras[i].problem != NULL ? cameras[i].problem : "");
      g_free (cameras[i].problem);
      verified += row.verified;
      camera_seconds = (row.last_commit_usec - cameras[i].first_byte_usec) / 1e6;
      camera_rate = camera_seconds > 0 ? cameras[i].bytes / camera_seconds : 0;
      fraction = camera_rate / (gdouble)rate;
      fraction_bound = camera_rate / bound;
      worst = MIN (worst, fraction);
      sum += fraction;
      worst_bound = MIN (worst_bound, fraction_bound);
      sum_bound += fraction_bound;
      worst_write = MIN (worst_write, camera_rate / bound_write);
      sum_write += camera_rate / bound_write;
      start_sum += (cameras[i].first_byte_usec - row.started_usec) / 1e6;
      start_max = MAX (start_max, (cameras[i].first_byte_usec - row.started_usec) / 1e6);
      g_string_append_printf (each, "%s%.2f", i == 0 ? "" : " ", fraction_bound);
      g_free (cameras[i].serial);
    }
  g_print ("%s link, %u camera%s (docketd): %u/%u verified, %.0f MB in %.1f s from the dock = "
           "%.1f MB/s aggregate; per camera, first byte to last commit: / link worst %.2f mean "
           "%.2f; / min(link, bare loop %.0f MB/s) worst %.2f mean %.2f (goal >= 0.95) [%s]; "
           "/ min(link, bare loop + write + fdatasync %.0f MB/s) worst %.2f mean %.2f; "
           "job start to first byte mean %.2f s, max %.2f s\n",
           link_name, n, n == 1 ? "" : "s", verified, n * per_camera, bytes / 1e6, seconds,
           bytes / 1e6 / seconds, worst, sum / n, ceiling->read / 1e6, worst_bound, sum_bound / n,
           each->str, ceiling->write / 1e6, worst_write, sum_write / n, start_sum / n, start_max);
  if (rss)
    g_print ("docketd peak RSS %.0f MB (goal <= 150; its media helpers are processes of their "
             "own, not counted in it), %u cameras, %s link; largest media helper %.0f MB; the "
             "most all its helpers held at once %.0f MB (%u helpers, sampled)\n",
             run.docketd_kb / 1024.0, n, link_name, run.helper_kb / 1024.0,
             run.helpers_sum_kb / 1024.0, run.helpers_at_sum);
  cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", run.sim.state_dir, run.sim.state_dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", run.sim.state_dir);
  g_clear_pointer (&run.sim.state_dir, g_free);
  return TRUE;
}

/* docketd runs under docket-sim's umockdev preload and its media helpers
 * inherit it, so every read() of a helper (4 KiB at a time through a parse
 * check) would pay the preload's wrapper: no station has that. The helpers
 * never touch USB: docketd starts them through a script that drops the
 * preload. Returns the script's directory (removed at exit by the caller). */
static gchar *
helper_without_preload (void)
{
  g_autoptr (GError) error = NULL;
  const gchar *helper = g_getenv ("DOCKET_MEDIA_HELPER");
  gchar *dir = NULL;
  g_autofree gchar *script = NULL;
  g_autofree gchar *text = NULL;

  if (helper == NULL)
    return NULL;
  dir = g_dir_make_tmp ("docket-bench-helper-XXXXXX", &error);
  g_assert_no_error (error);
  script = g_build_filename (dir, "helper", NULL);
  text = g_strdup_printf ("#!/bin/sh\nunset LD_PRELOAD\nexec '%s' \"$@\"\n", helper);
  g_assert_true (g_file_set_contents (script, text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  g_setenv ("DOCKET_MEDIA_HELPER", script, TRUE);
  return dir;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) saved_argv = g_strdupv (argv);
  g_autoptr (DocketSimTestbed) testbed = NULL;
  const gchar *per = g_getenv ("DOCKET_BENCH_RECORDINGS");
  guint per_camera = per != NULL ? MAX ((guint)g_ascii_strtoull (per, NULL, 10), 1) : 6;
  const gchar *secs = g_getenv ("DOCKET_BENCH_CLIP_SECONDS");
  guint seconds_each = secs != NULL ? MAX ((guint)g_ascii_strtoull (secs, NULL, 10), 1) : 50;
  /* Encoding 1080p clips is slow on a small machine: by default cameras
   * share DOCKET_BENCH_CLIPS distinct clips (made distinct files by the
   * simulator's "addfile ... distinct"). */
  const gchar *nclips = g_getenv ("DOCKET_BENCH_CLIPS");
  guint clips = nclips != NULL ? MAX ((guint)g_ascii_strtoull (nclips, NULL, 10), 1) : 2;
  const gchar *lat = g_getenv ("DOCKET_BENCH_LINK_LATENCY_US");
  guint64 latency_us = lat != NULL ? g_ascii_strtoull (lat, NULL, 10) : 1000;
  const gchar *limit = g_getenv ("DOCKET_BENCH_ROUND_TIMEOUT_S");
  guint timeout_s = limit != NULL ? MAX ((guint)g_ascii_strtoull (limit, NULL, 10), 1) : 300;
  static const struct
  {
    const gchar *name;
    guint64 rate;
  } links[] = { { "USB2", 35 * 1000 * 1000 }, { "USB3", 350 * 1000 * 1000 } };
  static const guint counts[] = { 1, 2, 4, 8 };
  /* DOCKET_BENCH_CAMERAS=N: only the rounds with N cameras;
   * DOCKET_BENCH_LINK=USB2|USB3: only that link. */
  const gchar *only = g_getenv ("DOCKET_BENCH_CAMERAS");
  const gchar *only_link = g_getenv ("DOCKET_BENCH_LINK");
  g_autofree gchar *helper_dir = NULL;
  g_autofree gchar *write_dir = NULL;

  if (g_getenv ("DOCKET_SIM") == NULL || g_getenv ("DOCKETD") == NULL)
    {
      g_printerr ("SKIP: $DOCKET_SIM and $DOCKETD are needed\n");
      return 77;
    }
  if (!docket_sim_ensure_preload (saved_argv, &error))
    {
      g_printerr ("SKIP: %s\n", error->message);
      return 77;
    }
  gst_init (&argc, &argv);
  docket_gst_register ();
  g_print ("link latency %" G_GUINT64_FORMAT " us per transfer; %u recordings of %u s per camera, "
           "%u distinct clips\n",
           latency_us, per_camera, seconds_each, clips);
  if (g_getenv ("DOCKET_BENCH_HELPER_PRELOAD") == NULL)
    helper_dir = helper_without_preload ();
  testbed = docket_sim_testbed_new (&error);
  g_assert_no_error (error);
  /* Where docketd's store goes too (docket-test-sim.c): the same file
   * system. */
  write_dir = g_dir_make_tmp ("docket-bench-write-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
    {
      Ceiling ceiling;

      if (only != NULL && (guint)g_ascii_strtoull (only, NULL, 10) != counts[c])
        continue;
      ceiling = emulation_ceiling (testbed, counts[c], seconds_each, write_dir);
      for (guint l = 0; l < G_N_ELEMENTS (links); l++)
        if (only_link == NULL || g_str_equal (only_link, links[l].name))
          if (!run_daemon (links[l].name, links[l].rate, counts[c], per_camera, seconds_each, clips,
                           latency_us, &ceiling, counts[c] == 8 && l == 0, timeout_s))
            {
              /* Whatever hangs still holds its threads: do not wait on them. */
              fflush (stdout);
              _exit (1);
            }
    }
  g_rmdir (write_dir);
  if (helper_dir != NULL)
    {
      g_autofree gchar *script = g_build_filename (helper_dir, "helper", NULL);

      g_unlink (script);
      g_rmdir (helper_dir);
    }
  return 0;
}
