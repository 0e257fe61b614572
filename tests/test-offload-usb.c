/* test-offload-usb.c — offload through the real DCP driver from simulated
 * USB cameras (umockdev): lies, undock mid-copy and resume
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "docket-dcp-driver.h"
#include "docket-error.h"
#include "docket-evidence-store.h"
#include "docket-gst.h"
#include "docket-offload-job.h"
#include "docket-sim.h"

typedef struct
{
  DocketSimTestbed *testbed;
  DocketUsbContext *usb;
  gchar *dir;
  DocketEvidenceStore *store;
} Env;

static Env env;

static DocketSimCamera *
add_camera (const gchar *serial, guint n)
{
  g_autoptr (GError) error = NULL;
  DocketSimCameraOptions options = { .serial = serial };
  DocketSimCamera *camera = docket_sim_testbed_add_camera (env.testbed, &options, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      docket_sim_camera_add_generated (camera, g_getenv ("DOCKET_SIM_MEDIA_DIR"),
                                       DOCKET_SIM_MEDIA_SMALL, 2, i, &error);
      g_assert_no_error (error);
    }
  g_assert_true (docket_sim_testbed_dock (env.testbed, serial, &error));
  g_assert_no_error (error);
  return camera;
}

static DocketCameraDriver *
open_driver (const gchar *serial)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *devnode = docket_sim_testbed_get_devnode (env.testbed, serial);
  g_autoptr (DocketDcpDriver) driver = NULL;
  guint bus, address;

  g_assert_cmpint (sscanf (devnode, "/dev/bus/usb/%u/%u", &bus, &address), ==, 2);
  driver = docket_dcp_driver_new (env.usb, (guint8)bus, (guint8)address, serial);
  g_assert_true (docket_dcp_driver_open (driver, NULL, &error));
  g_assert_no_error (error);
  return DOCKET_CAMERA_DRIVER (g_steal_pointer (&driver));
}

static void
assert_store_whole (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) p1 = docket_evidence_store_verify_files (env.store, NULL, NULL, &error);
  g_autoptr (GPtrArray) p2 = docket_audit_log_verify (
      docket_evidence_store_get_audit_log (env.store), NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (p1->len, ==, 0);
  g_assert_cmpuint (p2->len, ==, 0);
}

static void
test_usb_offload (void)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *camera = add_camera ("USB-OFF-1", 3);
  g_autoptr (DocketCameraDriver) driver = open_driver ("USB-OFF-1");
  g_autoptr (DocketOffloadJob) job = docket_offload_job_new (env.store, driver);

  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (docket_offload_job_get_verified (job), ==, 3);
  g_assert_cmpuint (docket_sim_camera_get_n_recordings (camera), ==, 0);
  assert_store_whole ();
  docket_camera_driver_close (driver);
}

/* A daemon stopping waits for offloads in their threads: with the main
 * loop no longer running, every commit still lands. */
static void
test_usb_wait_all (void)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *camera = add_camera ("USB-WAIT-1", 3);
  g_autoptr (DocketCameraDriver) driver = open_driver ("USB-WAIT-1");
  g_autoptr (DocketOffloadJob) job = docket_offload_job_new (env.store, driver);
  g_autoptr (GPtrArray) rows = NULL;

  docket_offload_job_run_async (job, NULL, NULL, NULL);
  docket_offload_job_wait_all ();
  rows = docket_evidence_store_list_recordings (env.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (docket_offload_job_get_verified (job), ==, 3);
  g_assert_cmpuint (docket_sim_camera_get_n_recordings (camera), ==, 0);
  assert_store_whole ();
  docket_camera_driver_close (driver);
}

static void
test_usb_lies (void)
{
  static const DocketSimFault faults[]
      = { DOCKET_SIM_FAULT_WRONG_HASH, DOCKET_SIM_FAULT_WRONG_SIGNATURE,
          DOCKET_SIM_FAULT_CORRUPT_BYTE };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree gchar *serial = g_strdup_printf ("USB-LIE-%u", i);
      DocketSimCamera *camera = add_camera (serial, 2);
      g_autoptr (DocketCameraDriver) driver = NULL;
      g_autoptr (DocketOffloadJob) job = NULL;

      docket_sim_camera_set_fault (camera, faults[i], 1000);
      driver = open_driver (serial);
      job = docket_offload_job_new (env.store, driver);
      g_assert_true (docket_offload_job_run (job, NULL, &error));
      g_assert_no_error (error);
      g_test_message ("%s: %u quarantined", docket_sim_fault_to_string (faults[i]),
                      docket_offload_job_get_quarantined (job));
      g_assert_cmpuint (docket_offload_job_get_quarantined (job), ==, 2);
      g_assert_cmpuint (docket_sim_camera_get_n_recordings (camera), ==, 2);
      docket_camera_driver_close (driver);
    }
  assert_store_whole ();
}

static void
test_usb_path_names (void)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *camera = add_camera ("USB-PATH", 2);
  g_autoptr (DocketCameraDriver) driver = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;

  docket_sim_camera_set_fault (camera, DOCKET_SIM_FAULT_PATH_NAME, 0);
  driver = open_driver ("USB-PATH");
  job = docket_offload_job_new (env.store, driver);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_cmpuint (docket_offload_job_get_verified (job), ==, 2);
  g_assert_false (g_file_test ("/etc/passwd.part", G_FILE_TEST_EXISTS));
  assert_store_whole ();
  docket_camera_driver_close (driver);
}

/* Malformed answers: a clear error or a clean offload, never a crash, and
 * nothing erased unless verified. */
static void
test_usb_malformed (void)
{
  static const DocketSimFault faults[]
      = { DOCKET_SIM_FAULT_OVERSIZE_LENGTH, DOCKET_SIM_FAULT_NON_UTF8_NAME };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree gchar *serial = g_strdup_printf ("USB-BAD-%u", i);
      DocketSimCamera *camera = add_camera (serial, 2);
      g_autoptr (DocketCameraDriver) driver = open_driver (serial);
      g_autoptr (DocketOffloadJob) job = docket_offload_job_new (env.store, driver);
      gboolean ok;

      docket_sim_camera_set_fault (camera, faults[i], 0);
      ok = docket_offload_job_run (job, NULL, &error);
      g_test_message ("%s: %s", docket_sim_fault_to_string (faults[i]),
                      ok ? "offloaded" : error->message);
      if (ok)
        g_assert_cmpuint (docket_sim_camera_get_n_recordings (camera), ==,
                          2 - docket_offload_job_get_verified (job));
      else
        g_assert_cmpuint (docket_sim_camera_get_n_recordings (camera), ==, 2);
      docket_camera_driver_close (driver);
    }
  assert_store_whole ();
}

static void
test_usb_unplug_resume (void)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *camera = add_camera ("USB-UNPLUG", 2);
  g_autoptr (DocketCameraDriver) driver = open_driver ("USB-UNPLUG");
  g_autoptr (DocketOffloadJob) job = docket_offload_job_new (env.store, driver);

  docket_sim_camera_set_fault (camera, DOCKET_SIM_FAULT_UNPLUG_AT_BYTE, 150000);
  g_assert_false (docket_offload_job_run (job, NULL, &error));
  g_test_message ("unplugged: %s", error->message);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED);
  /* the one being copied (at least) is still on the camera */
  g_assert_cmpuint (docket_sim_camera_get_n_recordings (camera), >=, 1);
  g_clear_error (&error);
  docket_camera_driver_close (driver);
  g_clear_object (&driver);
  g_clear_object (&job);
  while (docket_sim_testbed_is_docked (env.testbed, "USB-UNPLUG"))
    g_main_context_iteration (NULL, TRUE);

  docket_sim_camera_clear_faults (camera);
  g_assert_true (docket_sim_testbed_dock (env.testbed, "USB-UNPLUG", &error));
  driver = open_driver ("USB-UNPLUG");
  job = docket_offload_job_new (env.store, driver);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (docket_offload_job_get_quarantined (job), ==, 0);
  g_assert_cmpuint (docket_sim_camera_get_n_recordings (camera), ==, 0);
  assert_store_whole ();
  docket_camera_driver_close (driver);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) saved_argv = g_strdupv (argv);
  g_autofree gchar *root = NULL;
  g_autofree gchar *cmd = NULL;
  int rc;

  if (!docket_sim_ensure_preload (saved_argv, &error))
    {
      g_printerr ("SKIP: %s\n", error->message);
      return 77;
    }
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  docket_gst_register ();

  env.testbed = docket_sim_testbed_new (&error);
  g_assert_no_error (error);
  env.usb = docket_usb_context_dup_default (&error);
  g_assert_no_error (error);
  env.dir = g_dir_make_tmp ("docket-offload-usb-XXXXXX", &error);
  root = g_build_filename (env.dir, "store", NULL);
  env.store = docket_evidence_store_open (root, &error);
  g_assert_no_error (error);
  docket_evidence_store_set_reserve_bytes (env.store, 0);

  g_test_add_func ("/offload-usb/offload", test_usb_offload);
  g_test_add_func ("/offload-usb/lies", test_usb_lies);
  g_test_add_func ("/offload-usb/wait-all", test_usb_wait_all);
  g_test_add_func ("/offload-usb/path-names", test_usb_path_names);
  g_test_add_func ("/offload-usb/malformed", test_usb_malformed);
  g_test_add_func ("/offload-usb/unplug-resume", test_usb_unplug_resume);
  rc = g_test_run ();

  g_clear_object (&env.store);
  g_clear_object (&env.usb);
  g_clear_object (&env.testbed);
  cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", env.dir, env.dir);
  if (system (cmd) != 0)
    rc = 1;
  g_free (env.dir);
  return rc;
}
