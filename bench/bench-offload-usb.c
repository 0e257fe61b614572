/* bench-offload-usb.c — several simulated USB cameras offloading at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 1, 2, 4 and 8 cameras (umockdev + the real DCP driver), each with
 * DOCKET_BENCH_RECORDINGS 10-second 1080p clips (default 2, drawn from
 * DOCKET_BENCH_CLIPS distinct ones, default 2), offloaded
 * together by one DocketOffloadManager, behind the simulator's link model
 * at USB 2.0 (35 MB/s) and USB 3 (350 MB/s) rates with
 * DOCKET_BENCH_LINK_LATENCY_US per transfer (default 1000). For each
 * camera: its offload rate (bytes over the time from its job's start to its
 * end, checks included) as a fraction of its link's rate (goal >= 0.95,
 * every camera). With 8 cameras: the process's peak RSS (goal <= 150 MB;
 * the process also hosts the simulated cameras and umockdev's copies of
 * every URB) and, separately, the largest thumbnail helper's.
 *
 * Each round is bounded by DOCKET_BENCH_ROUND_TIMEOUT_S (default 300): a
 * round that does not finish is reported as such, with what was still
 * running, and the benchmark stops there (exit 1) rather than wait forever.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "docket-dcp-driver.h"
#include "docket-evidence-store.h"
#include "docket-gst.h"
#include "docket-media-check.h"
#include "docket-offload-manager.h"
#include "docket-sim.h"

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

/* Peak RSS since the last reset, in kB (VmHWM), or 0 if unknown. */
static guint64
peak_rss_kb (void)
{
  g_autofree gchar *status = NULL;
  const gchar *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

/* Clip generation (x264 at 1080p) is not offload: forget its peak. */
static gboolean
reset_peak_rss (void)
{
  int fd = open ("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  gboolean ok = fd >= 0 && write (fd, "5", 1) == 1;

  if (fd >= 0)
    close (fd);
  return ok;
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
           guint clips,
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
  guint64 peak_kb;
  gboolean reset;
  gboolean timed_out = FALSE;
  guint timeout_id;
  gint64 t0;
  gdouble seconds, worst = G_MAXDOUBLE, sum = 0;
  guint verified = 0;
  struct rusage children;

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
                                           DOCKET_SIM_MEDIA_1080P, 10, (i * per_camera + j) % clips,
                                           &error);
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
  reset = reset_peak_rss ();
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < cameras->len; i++)
    docket_offload_manager_add_camera (manager, cameras->pdata[i]);
  timeout_id = g_timeout_add_seconds (timeout_s, timed_out_cb, &timed_out);
  while (!docket_offload_manager_is_idle (manager) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  peak_kb = peak_rss_kb ();

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
      gdouble fraction
          = rate > 0 && camera_seconds > 0 ? camera_bytes[i] / camera_seconds / (gdouble)rate : 0;
      guint v = 0;

      if (docket_camera_get_offload (camera) != NULL)
        g_variant_lookup (docket_camera_get_offload (camera), "verified", "u", &v);
      verified += v;
      if (run->error != NULL)
        g_print ("  %s: %s\n", (const gchar *)serials->pdata[i], run->error);
      worst = MIN (worst, fraction);
      sum += fraction;
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
  g_print ("\n");
  if (n == 8)
    {
      getrusage (RUSAGE_CHILDREN, &children);
      g_print ("  peak RSS during offload %.0f MB%s (goal <= 150; includes the simulated cameras "
               "and umockdev); largest thumbnail helper %.0f MB\n",
               peak_kb / 1024.0, reset ? "" : " (since start: could not reset)",
               children.ru_maxrss / 1024.0);
    }
  cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", dir, dir);
  if (system (cmd) != 0)
    g_printerr ("could not clean %s\n", dir);
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
  guint per_camera = per != NULL ? (guint)g_ascii_strtoull (per, NULL, 10) : 2;
  /* Encoding 1080p clips is slow on a small machine: by default cameras
   * share DOCKET_BENCH_CLIPS distinct clips (the store keeps one copy of
   * identical footage, after hashing the one it has). */
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
  /* DOCKET_BENCH_CAMERAS=N: only the rounds with N cameras. */
  const gchar *only = g_getenv ("DOCKET_BENCH_CAMERAS");

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
  g_print ("thumbnails: %s\n", g_getenv ("DOCKET_THUMBNAILER") != NULL
                                   ? "in a helper process (its memory is not counted)"
                                   : "in process");
  g_print ("link latency %" G_GUINT64_FORMAT " us per transfer; %u recordings per camera, "
           "%u distinct clips\n",
           latency_us, MAX (per_camera, 1), clips);
  testbed = docket_sim_testbed_new (&error);
  g_assert_no_error (error);
  usb = docket_usb_context_dup_default (&error);
  g_assert_no_error (error);

  for (guint l = 0; l < G_N_ELEMENTS (links); l++)
    for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
      if (only == NULL || (guint)g_ascii_strtoull (only, NULL, 10) == counts[c])
        if (!run_round (testbed, usb, links[l].name, links[l].rate, latency_us, counts[c],
                        MAX (per_camera, 1), clips, timeout_s))
          {
            /* Whatever hangs still holds its threads: do not wait on them. */
            fflush (stdout);
            _exit (1);
          }
  return 0;
}
