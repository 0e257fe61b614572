/* bench-offload-usb.c — several simulated USB cameras offloading at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 4, then 8 cameras (umockdev + the real DCP driver), each with
 * DOCKET_BENCH_RECORDINGS 10-second 1080p clips (default 2), offloaded
 * together by one DocketOffloadManager. Prints aggregate MB/s and the
 * process's peak RSS (goal <= 150 MB). The MB/s are the emulation's, not real
 * USB's (see ../shared/notes/usb-simulation.md).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
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

static void
run_round (DocketSimTestbed *testbed, DocketUsbContext *usb, guint n, guint per_camera)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("docket-bench-usb-XXXXXX", &error);
  g_autofree gchar *root = g_build_filename (dir, "store", NULL);
  g_autofree gchar *cmd = NULL;
  g_autoptr (DocketEvidenceStore) store = docket_evidence_store_open (root, &error);
  g_autoptr (DocketOffloadManager) manager = NULL;
  g_autoptr (GPtrArray) cameras = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) serials = g_ptr_array_new_with_free_func (g_free);
  guint64 bytes = 0;
  guint64 peak_kb;
  gboolean reset;
  gint64 t0;
  gdouble seconds;
  guint verified = 0;

  g_assert_no_error (error);
  docket_evidence_store_set_reserve_bytes (store, 0);
  for (guint i = 0; i < n; i++)
    {
      gchar *serial = g_strdup_printf ("BENCH-%u-%02u", n, i);
      DocketSimCameraOptions options = { .serial = serial };
      DocketSimCamera *sim = docket_sim_testbed_add_camera (testbed, &options, &error);
      g_autoptr (DocketCameraDriver) driver = NULL;
      g_autoptr (GPtrArray) list = NULL;

      g_assert_no_error (error);
      g_ptr_array_add (serials, serial);
      for (guint j = 0; j < per_camera; j++)
        {
          docket_sim_camera_add_generated (sim, g_getenv ("DOCKET_SIM_MEDIA_DIR"),
                                           DOCKET_SIM_MEDIA_1080P, 10, i * per_camera + j, &error);
          g_assert_no_error (error);
        }
      g_assert_true (docket_sim_testbed_dock (testbed, serial, &error));
      driver = open_driver (testbed, usb, serial);
      list = docket_camera_driver_list_recordings (driver, NULL, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < list->len; j++)
        bytes += ((DocketRecordingInfo *)list->pdata[j])->size;
      g_ptr_array_add (cameras, docket_camera_new (driver, serial));
    }

  manager = docket_offload_manager_new (store);
  reset = reset_peak_rss ();
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < cameras->len; i++)
    docket_offload_manager_add_camera (manager, cameras->pdata[i]);
  while (!docket_offload_manager_is_idle (manager))
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  peak_kb = peak_rss_kb ();

  for (guint i = 0; i < cameras->len; i++)
    {
      DocketCamera *camera = cameras->pdata[i];
      guint v = 0;
      if (docket_camera_get_offload (camera) != NULL)
        g_variant_lookup (docket_camera_get_offload (camera), "verified", "u", &v);
      verified += v;
      docket_camera_driver_close (docket_camera_get_driver (camera));
      (void)docket_sim_testbed_undock (testbed, serials->pdata[i], NULL);
    }
  g_print ("%u cameras: %u/%u recordings verified, %.0f MB in %.1f s = %.1f MB/s aggregate, "
           "peak RSS during offload %.0f MB%s (goal <= 150)\n",
           n, verified, n * per_camera, bytes / 1e6, seconds, bytes / 1e6 / seconds,
           peak_kb / 1024.0, reset ? "" : " (since start: could not reset)");
  cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", dir, dir);
  if (system (cmd) != 0)
    g_printerr ("could not clean %s\n", dir);
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

  if (!docket_sim_ensure_preload (saved_argv, &error))
    {
      g_printerr ("SKIP: %s\n", error->message);
      return 77;
    }
  gst_init (&argc, &argv);
  docket_gst_register ();
  if (g_getenv ("DOCKET_THUMBNAILER") != NULL)
    docket_media_set_thumbnail_helper (g_getenv ("DOCKET_THUMBNAILER"));
  g_print ("thumbnails: %s\n", g_getenv ("DOCKET_THUMBNAILER") != NULL
                                   ? "in a helper process (its memory is not counted)"
                                   : "in process");
  testbed = docket_sim_testbed_new (&error);
  g_assert_no_error (error);
  usb = docket_usb_context_dup_default (&error);
  g_assert_no_error (error);

  run_round (testbed, usb, 4, MAX (per_camera, 1));
  run_round (testbed, usb, 8, MAX (per_camera, 1));
  return 0;
}
