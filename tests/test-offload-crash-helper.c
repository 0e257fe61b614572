/* test-offload-crash-helper.c — offloads one file-backed camera into a store;
 * test-offload-crash SIGKILLs it at random moments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: test-offload-crash-helper STORE-ROOT CAMERA-DIR
 * Exit 0 when the camera is empty and everything verified.
 */
#include "config.h"

#include <gst/gst.h>

#include "docket-evidence-store.h"
#include "docket-file-camera.h"
#include "docket-gst.h"
#include "docket-offload-job.h"

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketEvidenceStore) store = NULL;
  g_autoptr (DocketFileCamera) camera = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;

  gst_init (&argc, &argv);
  if (argc != 3)
    {
      g_printerr ("usage: %s STORE-ROOT CAMERA-DIR\n", argv[0]);
      return 2;
    }
  docket_gst_register ();
  store = docket_evidence_store_open (argv[1], &error);
  if (store != NULL)
    {
      docket_evidence_store_set_reserve_bytes (store, 0);
      /* As docketd does at start, before any offload. */
      if (docket_evidence_store_set_aside_strays (store, &error) < 0)
        g_clear_object (&store);
    }
  if (store != NULL)
    camera = docket_file_camera_new (argv[2], &error);
  if (camera != NULL)
    {
      /* slow enough that kills land inside copies too */
      docket_file_camera_set_read_limits (camera, 32 * 1024, 1000);
      job = docket_offload_job_new (store, DOCKET_CAMERA_DRIVER (camera));
      if (docket_offload_job_run (job, NULL, &error)
          && docket_offload_job_get_quarantined (job) > 0)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "%u quarantined",
                     docket_offload_job_get_quarantined (job));
    }
  if (error != NULL)
    {
      g_printerr ("offload failed: %s\n", error->message);
      return 1;
    }
  return 0;
}
