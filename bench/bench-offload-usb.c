/* bench-offload-usb.c — several simulated USB cameras offloading at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 1, 2, 4 and 8 cameras (umockdev + the real DCP driver), offloaded
 * together by one DocketOffloadManager, behind the simulator's link model
 * at USB 2.0 (35 MB/s) and USB 3 (350 MB/s) rates with
 * DOCKET_BENCH_LINK_LATENCY_US per transfer (default 1000). Each camera
 * holds what a shift leaves: DOCKET_BENCH_RECORDINGS clips (default 6) of
 * DOCKET_BENCH_CLIP_SECONDS of 1080p at ~8 Mbit/s (default 50, ~50 MB),
 * drawn from DOCKET_BENCH_CLIPS distinct ones (default 2: encoding is slow).
 *
 * For each camera: its offload rate (bytes over the time from its job's
 * start to its end, checks included) as a fraction of its link's rate
 * (goal >= 0.95, every camera), and as a fraction of the lower of the link
 * rate and the emulation's own ceiling, which a bare libusb loop reading one
 * simulated camera measures in the same run (bench-usb.c): at USB 3 the
 * emulation, not the link model, is what limits here.
 *
 * Peak RSS (goal <= 150 MB) is docketd's alone: the same 8 cameras, at the
 * USB 2.0 link model, are offloaded by a real docketd run as a child of
 * docket-sim on a private bus, and its VmHWM is read from /proc at the end;
 * media helpers' peaks are sampled every 100 ms and printed apart. Needs
 * $DOCKET_SIM and $DOCKETD (skipped otherwise); DOCKET_BENCH_DAEMON=0 skips
 * it, DOCKET_BENCH_DAEMON=only runs it alone.
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

#include "bench-usb.h"
#include "docket-dbus-generated.h"
#include "docket-dcp-driver.h"
#include "docket-evidence-store.h"
#include "docket-gst.h"
#include "docket-media-check.h"
#include "docket-offload-manager.h"
#include "docket-sim.h"
#include "docket-test-sim.h"

static DocketCameraDriver *
open_driver (DocketSimTestbed *testbed, DocketUsbContext *usb, const gchar *serial)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *devnode = docket_sim_testbed_get_devnode (testbed, serial);
  g_autoptr (DocketDcpDriver) driver = NULL;
  guint bus, address;

  g_assert_cmpint (sscanf (devnode, "/dev/bus/usb/%u/%u", &bus, &address), ==, 2);
  driver = docket_dcp_driver_new (usb, (guint8)bus, (guint8)address, serial);
  if (!docket_dcp_driver_open (driver, NULL, &error))
    g_error ("open %s: %s", serial, error->message);
  return DOCKET_CAMERA_DRIVER (g_steal_pointer (&driver));
}

/* Peak RSS of process @pid in kB (VmHWM), or 0 if unknown (it is gone). */
static guint64
peak_rss_kb (GPid pid)
{
  g_autofree gchar *path = g_strdup_printf ("/proc/%d/status", (int)pid);
  g_autofree gchar *status = NULL;
  const gchar *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

typedef struct
{
  DocketCamera *camera;
  gint64 started_us;
  gint64 finished_us;
  gchar *error;
} CameraRun;

static void
on_job_started (DocketOffloadManager *manager, DocketCamera *camera, GArray *runs)
{
  for (guint i = 0; i < runs->len; i++)
    if (g_array_index (runs, CameraRun, i).camera == camera)
      g_array_index (runs, CameraRun, i).started_us = g_get_monotonic_time ();
}

static void
on_job_finished (DocketOffloadManager *manager,
                 DocketCamera *camera,
                 const GError *error,
                 GArray *runs)
{
  for (guint i = 0; i < runs->len; i++)
    if (g_array_index (runs, CameraRun, i).camera == camera)
      {
        g_array_index (runs, CameraRun, i).finished_us = g_get_monotonic_time ();
        if (error != NULL)
          g_array_index (runs, CameraRun, i).error = g_strdup (error->message);
      }
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* One round: @n cameras behind links of @rate bytes/s (0: unlimited).
 * Returns FALSE if it did not finish in time. */
static gboolean
run_round (DocketSimTestbed *testbed,
           DocketUsbContext *usb,
           const gchar *link_name,
           guint64 rate,
           guint64 latency_us,
           guint n,
           guint per_camera,
           guint seconds_each,
           guint clips,
           gdouble ceiling,
           guint timeout_s)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("docket-bench-usb-XXXXXX", &error);
  g_autofree gchar *root = g_build_filename (dir, "store", NULL);
  g_autofree gchar *cmd = NULL;
  g_autoptr (DocketEvidenceStore) store = docket_evidence_store_open (root, &error);
  g_autoptr (DocketOffloadManager) manager = NULL;
  g_autoptr (GPtrArray) cameras = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) serials = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) runs = g_array_new (FALSE, TRUE, sizeof (CameraRun));
  g_autofree guint64 *camera_bytes = g_new0 (guint64, n);
  guint64 bytes = 0;
  gdouble bound = rate > 0 ? MIN ((gdouble)rate, ceiling) : ceiling;
  gboolean timed_out = FALSE;
  guint timeout_id;
  gint64 t0;
  gdouble seconds, worst = G_MAXDOUBLE, sum = 0, worst_bound = G_MAXDOUBLE, sum_bound = 0;
  guint verified = 0;

  g_assert_no_error (error);
  docket_evidence_store_set_reserve_bytes (store, 0);
  for (guint i = 0; i < n; i++)
    {
      gchar *serial = g_strdup_printf ("BENCH-%s-%u-%02u", link_name, n, i);
      DocketSimCameraOptions options = { .serial = serial };
      DocketSimCamera *sim = docket_sim_testbed_add_camera (testbed, &options, &error);
      g_autoptr (DocketCameraDriver) driver = NULL;
      g_autoptr (GPtrArray) list = NULL;
      CameraRun run = { 0 };

      g_assert_no_error (error);
      g_ptr_array_add (serials, serial);
      for (guint j = 0; j < per_camera; j++)
        {
          docket_sim_camera_add_generated (sim, g_getenv ("DOCKET_SIM_MEDIA_DIR"),
                                           DOCKET_SIM_MEDIA_1080P, seconds_each,
                                           (i * per_camera + j) % clips, &error);
          g_assert_no_error (error);
        }
      g_assert_true (docket_sim_testbed_dock (testbed, serial, &error));
      driver = open_driver (testbed, usb, serial);
      list = docket_camera_driver_list_recordings (driver, NULL, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < list->len; j++)
        camera_bytes[i] += ((DocketRecordingInfo *)list->pdata[j])->size;
      bytes += camera_bytes[i];
      /* The link from here on: listing is not what is measured. */
      if (rate > 0)
        docket_sim_camera_set_fault (sim, DOCKET_SIM_FAULT_SLOW_LINK, rate);
      if (latency_us > 0)
        docket_sim_camera_set_fault (sim, DOCKET_SIM_FAULT_LINK_LATENCY, latency_us);
      run.camera = docket_camera_new (driver, serial);
      g_ptr_array_add (cameras, run.camera);
      g_array_append_val (runs, run);
    }

  manager = docket_offload_manager_new (store);
  g_signal_connect (manager, "job-started", G_CALLBACK (on_job_started), runs);
  g_signal_connect (manager, "job-finished", G_CALLBACK (on_job_finished), runs);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < cameras->len; i++)
    docket_offload_manager_add_camera (manager, cameras->pdata[i]);
  timeout_id = g_timeout_add_seconds (timeout_s, timed_out_cb, &timed_out);
  while (!docket_offload_manager_is_idle (manager) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  seconds = (g_get_monotonic_time () - t0) / 1e6;

  if (timed_out)
    {
      g_print ("%s link, %u cameras: DID NOT FINISH within %u s; still running:", link_name, n,
               timeout_s);
      for (guint i = 0; i < runs->len; i++)
        {
          CameraRun *run = &g_array_index (runs, CameraRun, i);

          if (run->finished_us == 0)
            g_print (" %s (%s)", (const gchar *)serials->pdata[i],
                     run->started_us == 0 ? "queued" : "offloading or checking");
        }
      g_print ("\n");
      return FALSE;
    }

  for (guint i = 0; i < cameras->len; i++)
    {
      DocketCamera *camera = cameras->pdata[i];
      CameraRun *run = &g_array_index (runs, CameraRun, i);
      gdouble camera_seconds = (run->finished_us - run->started_us) / 1e6;
      gdouble camera_rate = camera_seconds > 0 ? camera_bytes[i] / camera_seconds : 0;
      gdouble fraction = rate > 0 ? camera_rate / (gdouble)rate : 0;
      gdouble fraction_bound = bound > 0 ? camera_rate / bound : 0;
      guint v = 0;

      if (docket_camera_get_offload (camera) != NULL)
        g_variant_lookup (docket_camera_get_offload (camera), "verified", "u", &v);
      verified += v;
      if (run->error != NULL)
        g_print ("  %s: %s\n", (const gchar *)serials->pdata[i], run->error);
      worst = MIN (worst, fraction);
      sum += fraction;
      worst_bound = MIN (worst_bound, fraction_bound);
      sum_bound += fraction_bound;
      g_free (run->error);
      docket_camera_driver_close (docket_camera_get_driver (camera));
      (void)docket_sim_testbed_undock (testbed, serials->pdata[i], NULL);
    }
  g_print ("%s link, %u camera%s: %u/%u verified, %.0f MB in %.1f s = %.1f MB/s aggregate",
           link_name, n, n == 1 ? "" : "s", verified, n * per_camera, bytes / 1e6, seconds,
           bytes / 1e6 / seconds);
  if (rate > 0)
    g_print ("; per camera, offload rate / link rate: worst %.2f, mean %.2f (goal >= 0.95)", worst,
             sum / n);
  if (bound > 0)
    g_print ("; / min(link, emulation %.0f MB/s): worst %.2f, mean %.2f", ceiling / 1e6,
             worst_bound, sum_bound / n);
  g_print ("\n");
  cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", dir, dir);
  if (system (cmd) != 0)
    g_printerr ("could not clean %s\n", dir);
  return TRUE;
}

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;

  return x < y ? -1 : x > y;
}

/* What the emulation itself delivers from one camera with no link model:
 * the median of three bare libusb reads of a whole clip, in bytes/s. */
static gdouble
emulation_ceiling (DocketSimTestbed *testbed, guint seconds_each)
{
  g_autoptr (GError) error = NULL;
  DocketSimCameraOptions options = { .serial = "BENCH-CEILING" };
  DocketSimCamera *sim = docket_sim_testbed_add_camera (testbed, &options, &error);
  g_autofree gchar *path = NULL;
  g_autofree gchar *devnode = NULL;
  gdouble runs[3];
  GStatBuf st;
  guint32 id;
  guint bus, address;

  g_assert_no_error (error);
  path = docket_sim_media_ensure (g_getenv ("DOCKET_SIM_MEDIA_DIR"), DOCKET_SIM_MEDIA_1080P,
                                  seconds_each, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  id = docket_sim_camera_add_generated (sim, g_getenv ("DOCKET_SIM_MEDIA_DIR"),
                                        DOCKET_SIM_MEDIA_1080P, seconds_each, 0, &error);
  g_assert_no_error (error);
  g_assert_true (docket_sim_testbed_dock (testbed, options.serial, &error));
  devnode = docket_sim_testbed_get_devnode (testbed, options.serial);
  g_assert_cmpint (sscanf (devnode, "/dev/bus/usb/%u/%u", &bus, &address), ==, 2);
  for (guint r = 0; r < G_N_ELEMENTS (runs); r++)
    runs[r] = bench_usb_bare_read (bus, address, id, st.st_size) * 1e6;
  qsort (runs, G_N_ELEMENTS (runs), sizeof runs[0], (GCompareFunc)compare_doubles);
  (void)docket_sim_testbed_undock (testbed, options.serial, NULL);
  g_print ("emulation ceiling (bare libusb loop, one camera, no link model, %.0f MB clip): "
           "%.0f MB/s median of %.0f, %.0f, %.0f\n",
           st.st_size / 1e6, runs[1] / 1e6, runs[0] / 1e6, runs[1] / 1e6, runs[2] / 1e6);
  return runs[1];
}

typedef struct
{
  DocketTestSim sim;
  GPid sim_pid;
  GPid docketd_pid;
  guint64 docketd_kb;
  guint64 helper_kb;
  guint helpers_now;
  guint n;
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
        }
    }
  if (run->docketd_pid != 0)
    run->docketd_kb = MAX (run->docketd_kb, peak_rss_kb (run->docketd_pid));
  return G_SOURCE_CONTINUE;
}

/* Whether every camera is done; if so, @verified counts their verified
 * recordings. */
static gboolean
all_done (DaemonRun *run, guint *verified)
{
  *verified = 0;
  for (guint i = 0; i < run->n; i++)
    {
      g_autofree gchar *serial = g_strdup_printf ("BENCH-D-%02u", i);
      g_autoptr (DocketDBusCamera) camera = docket_test_sim_find_camera (&run->sim, serial);
      guint v = 0;

      if (camera == NULL || g_strcmp0 (docket_dbus_camera_get_state (camera), "done") != 0)
        return FALSE;
      g_variant_lookup (docket_dbus_camera_get_offload (camera), "verified", "u", &v);
      *verified += v;
    }
  return TRUE;
}

/* @n cameras of @per_camera clips each, behind the USB 2.0 link model,
 * offloaded by docketd in its own process. Returns FALSE on a timeout. */
static gboolean
run_daemon (
    guint n, guint per_camera, guint seconds_each, guint clips, guint64 latency_us, guint timeout_s)
{
  g_autoptr (GError) error = NULL;
  DaemonRun run = { .n = n };
  gboolean timed_out = FALSE;
  guint sample_id, timeout_id, verified = 0, idle = 0;
  gint64 t0;
  gdouble seconds;
  g_autofree gchar *cmd = NULL;

  docket_test_sim_start (&run.sim, 0, 0, NULL);
  run.sim_pid = (GPid)g_ascii_strtoll (g_subprocess_get_identifier (run.sim.sim), NULL, 10);
  for (guint i = 0; i < n; i++)
    {
      g_autofree gchar *add = g_strdup_printf ("add BENCH-D-%02u", i);
      g_autofree gchar *rate = g_strdup_printf ("fault BENCH-D-%02u slow-link 35000000", i);
      g_autofree gchar *lat
          = g_strdup_printf ("fault BENCH-D-%02u link-latency %" G_GUINT64_FORMAT, i, latency_us);

      docket_test_sim_command (&run.sim, add);
      for (guint j = 0; j < per_camera; j++)
        {
          g_autofree gchar *path
              = docket_sim_media_ensure (g_getenv ("DOCKET_SIM_MEDIA_DIR"), DOCKET_SIM_MEDIA_1080P,
                                         seconds_each, (i * per_camera + j) % clips, &error);
          g_autofree gchar *line = NULL;

          g_assert_no_error (error);
          line = g_strdup_printf ("addfile BENCH-D-%02u %s %u", i, path, seconds_each * 1000);
          docket_test_sim_command (&run.sim, line);
        }
      docket_test_sim_command (&run.sim, rate);
      if (latency_us > 0)
        docket_test_sim_command (&run.sim, lat);
    }
  sample_id = g_timeout_add (100, sample_rss_cb, &run);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree gchar *dock = g_strdup_printf ("dock BENCH-D-%02u", i);

      docket_test_sim_command (&run.sim, dock);
    }
  timeout_id = g_timeout_add_seconds (timeout_s, timed_out_cb, &timed_out);
  while (!all_done (&run, &verified) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  /* Thumbnails follow the commits: docketd's peak includes them, so wait
   * until no thumbnail helper has run for a second. */
  while (!timed_out && idle < 10)
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
      g_print ("docketd, %u cameras: DID NOT FINISH within %u s; states:", n, timeout_s);
      for (guint i = 0; i < n; i++)
        {
          g_autofree gchar *serial = g_strdup_printf ("BENCH-D-%02u", i);
          g_autoptr (DocketDBusCamera) camera = docket_test_sim_find_camera (&run.sim, serial);
          guint done = 0;

          if (camera != NULL)
            g_variant_lookup (docket_dbus_camera_get_offload (camera), "files-done", "u", &done);
          g_print (" %s %s (%u files)", serial,
                   camera != NULL ? docket_dbus_camera_get_state (camera) : "absent", done);
        }
      g_print ("\n");
      return FALSE;
    }
  g_print ("docketd (own process under docket-sim), %u cameras, USB2 link, %u x %u s clips: "
           "%u/%u verified in %.1f s; docketd peak RSS %.0f MB (goal <= 150); largest media helper "
           "%.0f MB (sampled)\n",
           n, per_camera, seconds_each, verified, n * per_camera, seconds, run.docketd_kb / 1024.0,
           run.helper_kb / 1024.0);
  cmd = g_strdup_printf ("chmod -R u+w '%s'", run.sim.state_dir);
  if (system (cmd) != 0)
    g_printerr ("could not make %s writable\n", run.sim.state_dir);
  docket_test_sim_stop (&run.sim);
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) saved_argv = g_strdupv (argv);
  g_autoptr (DocketSimTestbed) testbed = NULL;
  g_autoptr (DocketUsbContext) usb = NULL;
  const gchar *per = g_getenv ("DOCKET_BENCH_RECORDINGS");
  guint per_camera = per != NULL ? MAX ((guint)g_ascii_strtoull (per, NULL, 10), 1) : 6;
  const gchar *secs = g_getenv ("DOCKET_BENCH_CLIP_SECONDS");
  guint seconds_each = secs != NULL ? MAX ((guint)g_ascii_strtoull (secs, NULL, 10), 1) : 50;
  /* Encoding 1080p clips is slow on a small machine: by default cameras
   * share DOCKET_BENCH_CLIPS distinct clips (the store keeps one copy of
   * identical footage, after hashing the one it has). */
  const gchar *nclips = g_getenv ("DOCKET_BENCH_CLIPS");
  guint clips = nclips != NULL ? MAX ((guint)g_ascii_strtoull (nclips, NULL, 10), 1) : 2;
  const gchar *lat = g_getenv ("DOCKET_BENCH_LINK_LATENCY_US");
  guint64 latency_us = lat != NULL ? g_ascii_strtoull (lat, NULL, 10) : 1000;
  const gchar *limit = g_getenv ("DOCKET_BENCH_ROUND_TIMEOUT_S");
  guint timeout_s = limit != NULL ? MAX ((guint)g_ascii_strtoull (limit, NULL, 10), 1) : 300;
  const gchar *daemon = g_getenv ("DOCKET_BENCH_DAEMON");
  gboolean rounds = g_strcmp0 (daemon, "only") != 0;
  gboolean with_daemon = g_strcmp0 (daemon, "0") != 0;
  static const struct
  {
    const gchar *name;
    guint64 rate;
  } links[] = { { "USB2", 35 * 1000 * 1000 }, { "USB3", 350 * 1000 * 1000 } };
  static const guint counts[] = { 1, 2, 4, 8 };
  /* DOCKET_BENCH_CAMERAS=N: only the rounds with N cameras. */
  const gchar *only = g_getenv ("DOCKET_BENCH_CAMERAS");
  gdouble ceiling = 0;

  if (!docket_sim_ensure_preload (saved_argv, &error))
    {
      g_printerr ("SKIP: %s\n", error->message);
      return 77;
    }
  /* As docketd; DOCKET_BENCH_DEFAULT_ARENAS=1 shows what that saves. */
  if (g_getenv ("DOCKET_BENCH_DEFAULT_ARENAS") == NULL)
    docket_offload_manager_tune_malloc ();
  gst_init (&argc, &argv);
  docket_gst_register ();
  if (g_getenv ("DOCKET_THUMBNAILER") != NULL)
    docket_media_set_thumbnail_helper (g_getenv ("DOCKET_THUMBNAILER"));
  g_print ("link latency %" G_GUINT64_FORMAT " us per transfer; %u recordings of %u s per camera, "
           "%u distinct clips\n",
           latency_us, per_camera, seconds_each, clips);
  testbed = docket_sim_testbed_new (&error);
  g_assert_no_error (error);
  usb = docket_usb_context_dup_default (&error);
  g_assert_no_error (error);

  if (rounds)
    ceiling = emulation_ceiling (testbed, seconds_each);
  for (guint l = 0; rounds && l < G_N_ELEMENTS (links); l++)
    for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
      if (only == NULL || (guint)g_ascii_strtoull (only, NULL, 10) == counts[c])
        if (!run_round (testbed, usb, links[l].name, links[l].rate, latency_us, counts[c],
                        per_camera, seconds_each, clips, ceiling, timeout_s))
          {
            /* Whatever hangs still holds its threads: do not wait on them. */
            fflush (stdout);
            _exit (1);
          }

  if (!with_daemon)
    return 0;
  if (g_getenv ("DOCKET_SIM") == NULL || g_getenv ("DOCKETD") == NULL)
    {
      g_print ("docketd peak RSS: not measured ($DOCKET_SIM and $DOCKETD not set)\n");
      return 0;
    }
  if (!run_daemon (8, per_camera, seconds_each, clips, latency_us, timeout_s))
    {
      fflush (stdout);
      _exit (1);
    }
  return 0;
}
