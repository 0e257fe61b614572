/* test-offload.c — the offload job and manager against file-backed cameras
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "docket-error.h"
#include "docket-evidence-store.h"
#include "docket-file-camera.h"
#include "docket-media-check.h"
#include "docket-gst.h"
#include "docket-offload-job.h"
#include "docket-message.h"
#include "docket-offload-manager.h"
#include "test-offload-media.h"

typedef struct
{
  gchar *dir;
  DocketEvidenceStore *store;
  DocketFileCamera *camera;
  guint n_progress;
  GVariant *last_progress;
  guint n_verified;
  guint n_quarantined;
} Fixture;

static DocketFileCamera *
make_camera (Fixture *f, const gchar *serial, guint n, guint first_variant)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *camdir = g_build_filename (f->dir, serial, NULL);
  DocketFileCamera *camera = docket_file_camera_create (camdir, serial, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree gchar *media = test_media_get ("good", first_variant + i, &error);
      g_assert_no_error (error);
      g_assert_true (docket_file_camera_add_recording (
          camera, media, G_GINT64_CONSTANT (1700000000000000) + i * G_USEC_PER_SEC * 60,
          TEST_MEDIA_DURATION_MS, FALSE, NULL, &error));
      g_assert_no_error (error);
    }
  return camera;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *probe = test_media_get ("good", 0, &error);
  g_autofree gchar *root = NULL;

  if (probe == NULL)
    {
      g_test_skip_printf ("cannot make test media: %s", error->message);
      return;
    }
  f->dir = g_dir_make_tmp ("docket-offload-XXXXXX", &error);
  g_assert_no_error (error);
  root = g_build_filename (f->dir, "store", NULL);
  f->store = docket_evidence_store_open (root, &error);
  g_assert_no_error (error);
  docket_evidence_store_set_reserve_bytes (f->store, 0);
  f->camera = make_camera (f, "CAM-A", 3, 0);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree gchar *cmd = NULL;

  if (f->dir == NULL)
    return;
  cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", f->dir, f->dir);
  g_clear_object (&f->camera);
  g_clear_object (&f->store);
  g_clear_pointer (&f->last_progress, g_variant_unref);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

static void
on_progress (DocketOffloadJob *job, GVariant *progress, Fixture *f)
{
  f->n_progress++;
  g_clear_pointer (&f->last_progress, g_variant_unref);
  f->last_progress = g_variant_ref (progress);
}

static void
on_verified (DocketOffloadJob *job, gint64 id, const gchar *name, const gchar *sha, Fixture *f)
{
  f->n_verified++;
}

static void
on_quarantined (DocketOffloadJob *job, const gchar *name, const gchar *reason, Fixture *f)
{
  g_test_message ("quarantined %s: %s", name, reason);
  f->n_quarantined++;
}

static DocketOffloadJob *
new_job (Fixture *f, DocketFileCamera *camera)
{
  DocketOffloadJob *job = docket_offload_job_new (f->store, DOCKET_CAMERA_DRIVER (camera));

  g_signal_connect (job, "progress", G_CALLBACK (on_progress), f);
  g_signal_connect (job, "recording-verified", G_CALLBACK (on_verified), f);
  g_signal_connect (job, "recording-quarantined", G_CALLBACK (on_quarantined), f);
  return job;
}

static guint
camera_count (DocketFileCamera *camera)
{
  g_autoptr (GPtrArray) list
      = docket_camera_driver_list_recordings (DOCKET_CAMERA_DRIVER (camera), NULL, NULL);

  g_assert_nonnull (list);
  return list->len;
}

static guint
count_rows (Fixture *f, const gchar *state)
{
  g_autoptr (GPtrArray) rows = docket_evidence_store_list_recordings (f->store, NULL);
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (((DocketStoredRecording *)rows->pdata[i])->state, state))
      n++;
  return n;
}

static void
assert_store_whole (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) p1 = docket_evidence_store_verify_files (f->store, NULL, NULL, &error);
  g_autoptr (GPtrArray) p2 = docket_audit_log_verify (
      docket_evidence_store_get_audit_log (f->store), NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (p1->len, ==, 0);
  g_assert_cmpuint (p2->len, ==, 0);
}

static guint
count_audit (Fixture *f, const gchar *action)
{
  g_autoptr (GPtrArray) rows
      = docket_audit_log_list (docket_evidence_store_get_audit_log (f->store), 0, 0, NULL);
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (((DocketAuditEntry *)rows->pdata[i])->action, action))
      n++;
  return n;
}

static void
set_manifest (Fixture *f, guint32 id, const gchar *key, const gchar *value)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *group = g_strdup_printf ("recording %u", id);

  g_key_file_set_string (docket_file_camera_get_manifest (f->camera), group, key, value);
  g_assert_true (docket_file_camera_save_manifest (f->camera, &error));
  g_assert_no_error (error);
}

static void
test_basic (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  guint64 done = 0, total = 0;
  guint files = 0;

  if (f->dir == NULL)
    return;
  job = new_job (f, f->camera);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (docket_offload_job_get_verified (job), ==, 3);
  g_assert_cmpuint (f->n_verified, ==, 3);
  g_assert_cmpuint (camera_count (f->camera), ==, 0);

  rows = docket_evidence_store_list_recordings (f->store, &error);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < rows->len; i++)
    {
      DocketStoredRecording *rec = rows->pdata[i];
      g_autofree gchar *thumb
          = g_build_filename (docket_evidence_store_get_root (f->store), rec->thumbnail, NULL);
      g_assert_cmpstr (rec->codec, ==, "H.264");
      g_assert_cmpuint (rec->width, ==, 320);
      g_assert_cmpuint (rec->height, ==, 240);
      g_assert_cmpstr (rec->signature_status, ==, "valid");
      g_assert_cmpstr (rec->camera_sha256, ==, rec->sha256);
      g_assert_true (g_file_test (thumb, G_FILE_TEST_IS_REGULAR));
    }
  assert_store_whole (f);
  g_assert_cmpuint (count_audit (f, "camera-enrolled"), ==, 1);
  g_assert_cmpuint (count_audit (f, "recording-committed"), ==, 3);
  g_assert_cmpuint (count_audit (f, "recording-erase-requested"), ==, 3);
  g_assert_cmpuint (count_audit (f, "recording-erased-from-camera"), ==, 3);

  g_assert_cmpuint (f->n_progress, >=, 2);
  g_assert_true (g_variant_lookup (f->last_progress, "bytes-done", "t", &done));
  g_assert_true (g_variant_lookup (f->last_progress, "bytes-total", "t", &total));
  g_assert_true (g_variant_lookup (f->last_progress, "files-done", "u", &files));
  g_assert_cmpuint (done, ==, total);
  g_assert_cmpuint (files, ==, 3);
}

static void
test_keep_on_camera (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;

  if (f->dir == NULL)
    return;
  job = new_job (f, f->camera);
  docket_offload_job_set_delete_after_offload (job, FALSE);
  docket_offload_job_set_keep_reason (job, "device policy says so");
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_cmpuint (camera_count (f->camera), ==, 3);
  g_assert_cmpuint (count_audit (f, "recording-kept-on-camera"), ==, 3);
  g_assert_cmpuint (count_audit (f, "recording-erase-requested"), ==, 0);
  /* docked again: nothing copied twice, nothing new in the audit log */
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (f, "verified"), ==, 3);
  g_assert_cmpuint (camera_count (f->camera), ==, 3);
  g_assert_cmpuint (count_audit (f, "recording-committed"), ==, 3);
  g_assert_cmpuint (count_audit (f, "recording-kept-on-camera"), ==, 3);
  /* policy flips: the committed ones are erased without another copy */
  docket_offload_job_set_delete_after_offload (job, TRUE);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_cmpuint (count_rows (f, "verified"), ==, 3);
  g_assert_cmpuint (camera_count (f->camera), ==, 0);
}

/* Each lie quarantines that recording and leaves it on the camera. */
static void
run_expect_quarantine (Fixture *f, guint expected_left)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = new_job (f, f->camera);
  gboolean flagged = FALSE;

  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (docket_offload_job_get_quarantined (job), ==, 1);
  g_assert_cmpuint (f->n_quarantined, ==, 1);
  g_assert_cmpuint (camera_count (f->camera), ==, expected_left);
  g_assert_cmpuint (count_rows (f, "quarantined"), ==, 1);
  g_assert_cmpuint (count_audit (f, "recording-quarantined"), ==, 1);
  g_assert_true (docket_evidence_store_get_camera_flag (f->store, "CAM-A", &flagged, NULL, NULL));
  g_assert_true (flagged);
  assert_store_whole (f);
}

static void
test_hash_mismatch (Fixture *f, gconstpointer data)
{
  if (f->dir == NULL)
    return;
  set_manifest (f, 2, "sha256", "00000000000000000000000000000000000000000000000000000000000000ff");
  run_expect_quarantine (f, 1);
}

/* A recording that keeps failing is not copied again and again. */
static void
test_quarantine_limit (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;

  if (f->dir == NULL)
    return;
  set_manifest (f, 2, "sha256", "00000000000000000000000000000000000000000000000000000000000000ff");
  job = new_job (f, f->camera);
  for (guint dock = 0; dock < 4; dock++)
    {
      g_assert_true (docket_offload_job_run (job, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (docket_offload_job_get_quarantined (job), ==, 1);
    }
  g_assert_cmpuint (count_rows (f, "quarantined"), ==, 2);
  g_assert_cmpuint (camera_count (f->camera), ==, 1);
}

static void
test_bad_signature (Fixture *f, gconstpointer data)
{
  g_autofree gchar *group = g_strdup ("recording 1");
  g_autofree gchar *sig = NULL;

  if (f->dir == NULL)
    return;
  sig = g_key_file_get_string (docket_file_camera_get_manifest (f->camera), group, "signature",
                               NULL);
  sig[10] = sig[10] == '0' ? '1' : '0';
  set_manifest (f, 1, "signature", sig);
  run_expect_quarantine (f, 1);
}

/* Committed as received, with the condition and reason, audited; the
 * camera is not flagged. */
static DocketStoredRecording *
run_expect_condition (Fixture *f,
                      DocketFileCamera *camera,
                      const gchar *serial,
                      const gchar *condition)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = new_job (f, camera);
  g_autoptr (GPtrArray) rows = NULL;
  gboolean flagged = TRUE;

  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (docket_offload_job_get_quarantined (job), ==, 0);
  g_assert_cmpuint (docket_offload_job_get_damaged (job), ==, 1);
  g_assert_cmpuint (count_rows (f, "quarantined"), ==, 0);
  g_assert_true (docket_evidence_store_get_camera_flag (f->store, serial, &flagged, NULL, NULL));
  g_assert_false (flagged);
  rows = docket_evidence_store_list_conditions (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((DocketStoredRecording *)rows->pdata[0])->condition, ==, condition);
  g_assert_cmpstr (((DocketStoredRecording *)rows->pdata[0])->state, ==, "verified");
  assert_store_whole (f);
  return g_ptr_array_steal_index (rows, 0);
}

static void
test_duration_lie (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketStoredRecording) rec = NULL;

  if (f->dir == NULL)
    return;
  /* The duration is not signed, but the file is exactly what the camera
   * signed: it is stored, with what the camera got wrong. */
  set_manifest (f, 3, "duration-ms", "600000");
  rec = run_expect_condition (f, f->camera, "CAM-A", "incomplete-on-camera");
  g_assert_nonnull (strstr (rec->condition_reason, "600.0 s"));
  g_assert_cmpuint (camera_count (f->camera), ==, 0);
}

static void
test_size_lie (Fixture *f, gconstpointer data)
{
  if (f->dir == NULL)
    return;
  set_manifest (f, 1, "size", "1000");
  run_expect_quarantine (f, 1);
}

static void
test_cut_on_camera (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *cut = NULL;

  if (f->dir == NULL)
    return;
  g_clear_object (&f->camera);
  f->camera = make_camera (f, "CAM-B", 0, 0);
  /* signed as it is: hash and signature pass, only the media checks see it */
  cut = test_media_get ("cut-index-intact-patched", 0, &error);
  g_assert_no_error (error);
  g_assert_true (docket_file_camera_add_recording (f->camera, cut, 0, TEST_MEDIA_DURATION_MS, FALSE,
                                                   NULL, &error));
  {
    g_autoptr (DocketStoredRecording) rec
        = run_expect_condition (f, f->camera, "CAM-B", "incomplete-on-camera");
    g_test_message ("%s", rec->condition_reason);
    g_assert_nonnull (strstr (rec->condition_reason, "cut short at 60 %"));
  }
  /* stored as evidence: erased from the camera by policy like any other */
  g_assert_cmpuint (camera_count (f->camera), ==, 0);
}

static void
test_name_lie (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  g_autofree gchar *outside = g_build_filename (f->dir, "evil", NULL);

  if (f->dir == NULL)
    return;
  set_manifest (f, 1, "name", "../../../evil");
  set_manifest (f, 2, "name", "/tmp/../evil\x01\xff");
  job = new_job (f, f->camera);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (docket_offload_job_get_verified (job), ==, 3);
  g_assert_false (g_file_test (outside, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test ("/tmp/evil", G_FILE_TEST_EXISTS));
  assert_store_whole (f);
}

static void
test_undock_resume (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  g_autofree gchar *path = docket_file_camera_get_recording_path (f->camera, 1);
  g_autofree gchar *staging = NULL;
  GStatBuf st;

  if (f->dir == NULL)
    return;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  docket_file_camera_set_read_limits (f->camera, 16384, 0);
  docket_file_camera_set_fail_after (f->camera, (guint64)st.st_size / 2);
  job = new_job (f, f->camera);
  g_assert_false (docket_offload_job_run (job, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED);
  g_clear_error (&error);
  staging = docket_evidence_store_get_staging_path (f->store, "CAM-A", 1);
  g_assert_cmpint (g_stat (staging, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);
  g_assert_cmpuint (count_rows (f, "verified"), ==, 0);

  docket_file_camera_reconnect (f->camera);
  g_assert_cmpuint (camera_count (f->camera), ==, 3);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (f, "verified"), ==, 3);
  g_assert_cmpuint (camera_count (f->camera), ==, 0);
  g_assert_false (g_file_test (staging, G_FILE_TEST_EXISTS));
  assert_store_whole (f);
}

/* Stale bytes in a staging file (power loss, id reused) are not trusted. */
static void
test_stale_staging (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  g_autofree gchar *staging = docket_evidence_store_get_staging_path (f->store, "CAM-A", 2);

  if (f->dir == NULL)
    return;
  g_assert_true (g_file_set_contents (staging, "not the camera's bytes", -1, NULL));
  job = new_job (f, f->camera);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_cmpuint (docket_offload_job_get_verified (job), ==, 3);
  g_assert_cmpuint (docket_offload_job_get_quarantined (job), ==, 0);
}

static void
test_disk_full (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;

  if (f->dir == NULL)
    return;
  docket_evidence_store_set_reserve_bytes (f->store, G_MAXUINT64 / 4);
  job = new_job (f, f->camera);
  g_assert_false (docket_offload_job_run (job, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NO_SPACE);
  g_assert_cmpuint (camera_count (f->camera), ==, 3);
  g_assert_cmpuint (count_rows (f, "verified"), ==, 0);
  g_clear_error (&error);
  docket_evidence_store_set_reserve_bytes (f->store, 0);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_cmpuint (camera_count (f->camera), ==, 0);
}

static void
test_key_changed (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  GKeyFile *manifest = docket_file_camera_get_manifest (f->camera);
  g_autofree gchar *pk = NULL;

  if (f->dir == NULL)
    return;
  job = new_job (f, f->camera);
  docket_offload_job_set_delete_after_offload (job, FALSE);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  pk = g_key_file_get_string (manifest, "camera", "public-key", NULL);
  pk[0] = pk[0] == 'a' ? 'b' : 'a';
  g_key_file_set_string (manifest, "camera", "public-key", pk);
  g_assert_true (docket_file_camera_save_manifest (f->camera, NULL));
  docket_offload_job_set_delete_after_offload (job, TRUE);
  g_assert_false (docket_offload_job_run (job, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_assert_cmpuint (camera_count (f->camera), ==, 3);
  g_assert_cmpuint (count_audit (f, "camera-key-changed"), ==, 1);
}

static void
test_still_recording (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;

  if (f->dir == NULL)
    return;
  set_manifest (f, 3, "flags", "2");
  job = new_job (f, f->camera);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_cmpuint (docket_offload_job_get_verified (job), ==, 2);
  g_assert_cmpuint (camera_count (f->camera), ==, 1);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();

  if (f->dir == NULL)
    return;
  g_cancellable_cancel (cancellable);
  job = new_job (f, f->camera);
  g_assert_false (docket_offload_job_run (job, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (camera_count (f->camera), ==, 3);
}

/* Progress comes at most every 250 ms, plus the first and the last. */
static void
test_progress_throttled (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  gint64 t0;
  gdouble elapsed;

  if (f->dir == NULL)
    return;
  docket_file_camera_set_read_limits (f->camera, 8192, 3000);
  job = new_job (f, f->camera);
  t0 = g_get_monotonic_time ();
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  elapsed = (g_get_monotonic_time () - t0) / 1e6;
  g_test_message ("%u progress signals in %.2f s", f->n_progress, elapsed);
  g_assert_cmpuint (f->n_progress, >=, 3);
  g_assert_cmpuint (f->n_progress, <=, (guint)(elapsed / 0.25) + 3);
}

/* ---- manager ----------------------------------------------------------- */

typedef struct
{
  guint finished;
  guint max_running;
  GError *last_error;
  DocketOffloadManager *manager;
} ManagerState;

static void
on_job_started (DocketOffloadManager *m, DocketCamera *camera, ManagerState *s)
{
  s->max_running = MAX (s->max_running, docket_offload_manager_get_n_running (m));
}

static void
on_job_finished (DocketOffloadManager *m,
                 DocketCamera *camera,
                 const GError *error,
                 ManagerState *s)
{
  s->finished++;
  g_clear_error (&s->last_error);
  if (error != NULL)
    s->last_error = g_error_copy (error);
}

/* The manager makes thumbnails after job-finished: wait for them before
 * the fixture removes the store. */
static void
wait_idle (DocketOffloadManager *manager)
{
  while (!docket_offload_manager_is_idle (manager))
    g_main_context_iteration (NULL, TRUE);
}

static void
test_manager (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketOffloadManager) manager = NULL;
  g_autoptr (DocketFileCamera) cam_b = NULL;
  g_autoptr (DocketCamera) a = NULL;
  g_autoptr (DocketCamera) b = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  ManagerState s = { 0 };
  guint files = 0;

  if (f->dir == NULL)
    return;
  cam_b = make_camera (f, "CAM-B", 2, 5);
  a = docket_camera_new (DOCKET_CAMERA_DRIVER (f->camera), "1-1");
  b = docket_camera_new (DOCKET_CAMERA_DRIVER (cam_b), "1-2");
  manager = docket_offload_manager_new (f->store);
  docket_offload_manager_set_max_concurrent (manager, 1);
  docket_offload_manager_set_deep_check (manager, TRUE);
  g_signal_connect (manager, "job-started", G_CALLBACK (on_job_started), &s);
  g_signal_connect (manager, "job-finished", G_CALLBACK (on_job_finished), &s);
  docket_offload_manager_add_camera (manager, a);
  docket_offload_manager_add_camera (manager, b);
  docket_offload_manager_add_camera (manager, b); /* no-op */
  while (!docket_offload_manager_is_idle (manager))
    g_main_context_iteration (NULL, TRUE);
  /* deep-checked signals may still be queued */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpuint (s.finished, ==, 2);
  g_assert_null (s.last_error);
  g_assert_cmpuint (s.max_running, ==, 1);
  g_assert_cmpint (docket_camera_get_state (a), ==, DOCKET_CAMERA_STATE_DONE);
  g_assert_cmpint (docket_camera_get_state (b), ==, DOCKET_CAMERA_STATE_DONE);
  g_assert_true (g_variant_lookup (docket_camera_get_offload (b), "files-done", "u", &files));
  g_assert_cmpuint (files, ==, 2);
  rows = docket_evidence_store_list_recordings (f->store, NULL);
  g_assert_cmpuint (rows->len, ==, 5);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (((DocketStoredRecording *)rows->pdata[i])->deep_check, ==, "ok");
  g_clear_error (&s.last_error);
}

static void
test_manager_concurrent (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketOffloadManager) manager = NULL;
  g_autoptr (DocketFileCamera) cam_b = NULL;
  g_autoptr (DocketCamera) a = NULL;
  g_autoptr (DocketCamera) b = NULL;
  ManagerState s = { 0 };

  if (f->dir == NULL)
    return;
  cam_b = make_camera (f, "CAM-B", 1, 7);
  a = docket_camera_new (DOCKET_CAMERA_DRIVER (f->camera), "1-1");
  b = docket_camera_new (DOCKET_CAMERA_DRIVER (cam_b), "1-2");
  manager = docket_offload_manager_new (f->store); /* default: all docked at once */
  g_signal_connect (manager, "job-started", G_CALLBACK (on_job_started), &s);
  g_signal_connect (manager, "job-finished", G_CALLBACK (on_job_finished), &s);
  docket_offload_manager_add_camera (manager, a);
  docket_offload_manager_add_camera (manager, b);
  while (!docket_offload_manager_is_idle (manager))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (s.max_running, ==, 2);
  g_assert_cmpuint (s.finished, ==, 2);
  g_clear_error (&s.last_error);
}

/* Undock mid-offload: the job stops, nothing is erased, the slot frees. */
static void
test_manager_undock (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketOffloadManager) manager = NULL;
  g_autoptr (DocketCamera) a = NULL;
  ManagerState s = { 0 };

  if (f->dir == NULL)
    return;
  docket_file_camera_set_read_limits (f->camera, 4096, 20000);
  a = docket_camera_new (DOCKET_CAMERA_DRIVER (f->camera), "1-1");
  manager = docket_offload_manager_new (f->store);
  g_signal_connect (manager, "job-started", G_CALLBACK (on_job_started), &s);
  docket_offload_manager_add_camera (manager, a);
  g_assert_cmpuint (docket_offload_manager_get_n_running (manager), ==, 1);
  docket_offload_manager_remove_camera (manager, a);
  g_assert_false (docket_offload_manager_has_camera (manager, a));
  while (!docket_offload_manager_is_idle (manager))
    g_main_context_iteration (NULL, TRUE);
  docket_file_camera_set_read_limits (f->camera, 0, 0);
  g_assert_cmpuint (camera_count (f->camera), ==, 3);
  g_assert_cmpuint (count_rows (f, "verified"), ==, 0);
}

static void
test_manager_disk_full (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketOffloadManager) manager = NULL;
  g_autoptr (DocketCamera) a = NULL;
  ManagerState s = { 0 };

  if (f->dir == NULL)
    return;
  docket_evidence_store_set_reserve_bytes (f->store, G_MAXUINT64 / 4);
  a = docket_camera_new (DOCKET_CAMERA_DRIVER (f->camera), "1-1");
  manager = docket_offload_manager_new (f->store);
  docket_offload_manager_set_retry_interval (manager, 1);
  g_signal_connect (manager, "job-finished", G_CALLBACK (on_job_finished), &s);
  docket_offload_manager_add_camera (manager, a);
  while (s.finished == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (s.last_error, DOCKET_ERROR, DOCKET_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (docket_camera_get_problem (a), "full"));
  g_assert_cmpint (docket_camera_get_state (a), ==, DOCKET_CAMERA_STATE_IDLE);
  g_assert_cmpuint (camera_count (f->camera), ==, 3);

  docket_evidence_store_set_reserve_bytes (f->store, 0);
  while (s.finished < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (s.last_error);
  g_assert_cmpint (docket_camera_get_state (a), ==, DOCKET_CAMERA_STATE_DONE);
  g_assert_cmpuint (camera_count (f->camera), ==, 0);
  wait_idle (manager); /* thumbnails are made after the job */
}

static void
test_manager_quarantine (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketOffloadManager) manager = NULL;
  g_autoptr (DocketCamera) a = NULL;
  ManagerState s = { 0 };

  if (f->dir == NULL)
    return;
  set_manifest (f, 2, "sha256", "00000000000000000000000000000000000000000000000000000000000000ff");
  a = docket_camera_new (DOCKET_CAMERA_DRIVER (f->camera), "1-1");
  manager = docket_offload_manager_new (f->store);
  g_signal_connect (manager, "job-finished", G_CALLBACK (on_job_finished), &s);
  docket_offload_manager_add_camera (manager, a);
  while (s.finished == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (docket_camera_get_state (a), ==, DOCKET_CAMERA_STATE_FAULTY);
  g_assert_nonnull (strstr (docket_camera_get_problem (a), "kept on the camera"));
  /* The same problem as a message with its plural forms, for a kiosk in
   * another language. */
  {
    g_autoptr (GVariant) message
        = g_variant_lookup_value (docket_camera_get_messages (a), "problem", DOCKET_MESSAGE_TYPE);
    const gchar *msgid_plural = NULL;
    guint64 n = 0;

    g_assert_nonnull (message);
    g_variant_get (message, "(&s&st@as)", NULL, &msgid_plural, &n, NULL);
    g_assert_cmpstr (msgid_plural, ==,
                     "%u recordings failed verification and were kept on the camera; IT has "
                     "been alerted");
    g_assert_cmpuint (n, ==, 1);
  }
  wait_idle (manager); /* thumbnails are made after the job */
}

/* Committed without a thumbnail (here: the helper refuses them), the
 * recordings get theirs after the next offload. */
static void
test_thumbnail_later (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  g_autoptr (DocketOffloadManager) manager = NULL;
  g_autoptr (DocketCamera) b = NULL;
  g_autoptr (DocketFileCamera) cam_b = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree gchar *script = NULL;
  g_autofree gchar *text = NULL;
  const gchar *helper = g_getenv ("DOCKET_MEDIA_HELPER");
  GLogLevelFlags fatal;
  ManagerState s = { 0 };

  if (f->dir == NULL)
    return;
  if (helper == NULL)
    {
      g_test_skip ("DOCKET_MEDIA_HELPER not set");
      return;
    }
  script = g_build_filename (f->dir, "no-thumbnails", NULL);
  text
      = g_strdup_printf ("#!/bin/sh\n[ \"$1\" = thumbnail ] && exit 1\nexec '%s' \"$@\"\n", helper);
  g_assert_true (g_file_set_contents (script, text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  /* The missing thumbnails are warned about, on purpose here. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  docket_media_set_helper (script);
  job = new_job (f, f->camera);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_no_error (error);
  rows = docket_evidence_store_list_recordings (f->store, NULL);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < rows->len; i++)
    g_assert_null (((DocketStoredRecording *)rows->pdata[i])->thumbnail);
  g_clear_pointer (&rows, g_ptr_array_unref);

  docket_media_set_helper (helper);
  cam_b = make_camera (f, "CAM-B", 1, 5);
  b = docket_camera_new (DOCKET_CAMERA_DRIVER (cam_b), "1-2");
  manager = docket_offload_manager_new (f->store);
  g_signal_connect (manager, "job-finished", G_CALLBACK (on_job_finished), &s);
  docket_offload_manager_add_camera (manager, b);
  while (!docket_offload_manager_is_idle (manager))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  rows = docket_evidence_store_list_recordings (f->store, NULL);
  g_assert_cmpuint (rows->len, ==, 4);
  for (guint i = 0; i < rows->len; i++)
    g_assert_nonnull (((DocketStoredRecording *)rows->pdata[i])->thumbnail);
  docket_media_set_helper (NULL);
  g_log_set_always_fatal (fatal);
  g_clear_error (&s.last_error);
}

/* A helper whose thumbnails wait for @go (bounded), the real one otherwise. */
static gchar *
make_slow_thumbnail_helper (Fixture *f, const gchar *go)
{
  g_autofree gchar *script = g_build_filename (f->dir, "slow-thumbnails", NULL);
  g_autofree gchar *text = g_strdup_printf (
      "#!/bin/sh\n"
      "if [ \"$1\" = thumbnail ]; then\n"
      "  i=0; while [ ! -e '%s' ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\n"
      "fi\n"
      "exec '%s' \"$@\"\n",
      go, g_getenv ("DOCKET_MEDIA_HELPER"));

  g_assert_true (g_file_set_contents (script, text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  return g_steal_pointer (&script);
}

static guint
count_thumbnails (Fixture *f)
{
  g_autoptr (GPtrArray) rows = docket_evidence_store_list_recordings (f->store, NULL);
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    n += ((DocketStoredRecording *)rows->pdata[i])->thumbnail != NULL;
  return n;
}

typedef struct
{
  Fixture *f;
  const gchar *go;
  guint verified;
  gint thumbnails_at_last; /* -1: not seen */
} OffPathState;

/* In the check thread: the last commit, while the first thumbnail waits. */
static void
on_verified_off_path (
    DocketOffloadJob *job, gint64 id, const gchar *name, const gchar *sha256, OffPathState *s)
{
  if (++s->verified < 3)
    return;
  s->thumbnails_at_last = (gint)count_thumbnails (s->f);
  g_assert_true (g_file_set_contents (s->go, "", 0, NULL));
}

/* Thumbnails are made after the commit, off the offload's path: every
 * recording is committed (and erased) while the first picture is still
 * being made, and the run still returns with all of them. */
static void
test_thumbnail_off_path (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  g_autofree gchar *go = NULL;
  g_autofree gchar *script = NULL;
  OffPathState s = { f, NULL, 0, -1 };

  if (f->dir == NULL)
    return;
  if (g_getenv ("DOCKET_MEDIA_HELPER") == NULL)
    {
      g_test_skip ("DOCKET_MEDIA_HELPER not set");
      return;
    }
  go = g_build_filename (f->dir, "go", NULL);
  s.go = go;
  script = make_slow_thumbnail_helper (f, go);
  docket_media_set_helper (script);
  job = new_job (f, f->camera);
  g_signal_connect (job, "recording-verified", G_CALLBACK (on_verified_off_path), &s);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_no_error (error);
  docket_media_set_helper (NULL);
  g_assert_cmpuint (s.verified, ==, 3);
  g_assert_cmpint (s.thumbnails_at_last, ==, 0);
  g_assert_cmpuint (camera_count (f->camera), ==, 0);
  g_assert_cmpuint (count_thumbnails (f), ==, 3);
}

/* A helper whose parse checks wait for @go (bounded), the real one otherwise. */
static gchar *
make_slow_parse_helper (Fixture *f, const gchar *go)
{
  g_autofree gchar *script = g_build_filename (f->dir, "slow-parse", NULL);
  g_autofree gchar *text = g_strdup_printf (
      "#!/bin/sh\n"
      "if [ \"$1\" = parse ]; then\n"
      "  i=0; while [ ! -e '%s' ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\n"
      "fi\n"
      "exec '%s' \"$@\"\n",
      go, g_getenv ("DOCKET_MEDIA_HELPER"));

  g_assert_true (g_file_set_contents (script, text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  return g_steal_pointer (&script);
}

typedef struct
{
  gchar *first_staging;
  gchar *second_staging;
  guint64 second_size;
  gchar *go;
  gboolean overlapped;
} OverlapWatch;

/* Waits (bounded) until the second recording is wholly staged while the
 * first, whose parse check is held, is still waiting for its commit; then
 * lets the checks go. */
static gpointer
watch_overlap (gpointer data)
{
  OverlapWatch *w = data;

  for (guint i = 0; i < 1000 && !w->overlapped; i++)
    {
      GStatBuf st;

      if (g_stat (w->second_staging, &st) == 0 && (guint64)st.st_size == w->second_size
          && g_file_test (w->first_staging, G_FILE_TEST_EXISTS))
        w->overlapped = TRUE;
      else
        g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
  g_assert_true (g_file_set_contents (w->go, "", 0, NULL));
  return NULL;
}

/* While one recording is being checked, the next one is transferred: the
 * camera does not wait for the media helper. Each recording still gets
 * its own check and commit, and is erased only after it. */
static void
test_check_overlaps_copy (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree gchar *script = NULL;
  OverlapWatch w = { 0 };
  GThread *watcher;

  if (f->dir == NULL)
    return;
  if (g_getenv ("DOCKET_MEDIA_HELPER") == NULL)
    {
      g_test_skip ("DOCKET_MEDIA_HELPER not set");
      return;
    }
  list = docket_camera_driver_list_recordings (DOCKET_CAMERA_DRIVER (f->camera), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  w.first_staging = docket_evidence_store_get_staging_path (
      f->store, "CAM-A", ((DocketRecordingInfo *)list->pdata[0])->id);
  w.second_staging = docket_evidence_store_get_staging_path (
      f->store, "CAM-A", ((DocketRecordingInfo *)list->pdata[1])->id);
  w.second_size = ((DocketRecordingInfo *)list->pdata[1])->size;
  w.go = g_build_filename (f->dir, "go", NULL);
  script = make_slow_parse_helper (f, w.go);
  docket_media_set_helper (script);
  job = new_job (f, f->camera);
  docket_offload_job_set_thumbnails_later (job, TRUE);
  watcher = g_thread_new ("overlap-watch", watch_overlap, &w);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_no_error (error);
  g_thread_join (watcher);
  docket_media_set_helper (NULL);
  g_assert_true (w.overlapped);
  g_assert_cmpuint (f->n_verified, ==, 3);
  g_assert_cmpuint (docket_offload_job_get_damaged (job), ==, 0);
  g_assert_cmpuint (camera_count (f->camera), ==, 0);
  g_free (w.first_staging);
  g_free (w.second_staging);
  g_free (w.go);
}

/* Ten times the duration in the movie header of the file at @path, in
 * place: what the index check says "incomplete" to. */
static void
stretch_movie_header (const gchar *path)
{
  g_autofree gchar *data = NULL;
  gsize len = 0;
  const gchar *mvhd;
  guint32 duration;
  guint8 be[4];
  FILE *file;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  mvhd = memmem (data, len, "mvhd", 4);
  g_assert_nonnull (mvhd);
  g_assert_cmpint (mvhd[4], ==, 0); /* version 0: 32-bit duration at 16 */
  memcpy (be, mvhd + 4 + 16, 4);
  duration = ((guint32)be[0] << 24 | (guint32)be[1] << 16 | (guint32)be[2] << 8 | be[3]) * 10;
  be[0] = (guint8)(duration >> 24);
  be[1] = (guint8)(duration >> 16);
  be[2] = (guint8)(duration >> 8);
  be[3] = (guint8)duration;
  file = fopen (path, "r+");
  g_assert_nonnull (file);
  g_assert_cmpint (fseek (file, (long)(mvhd + 4 + 16 - data), SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (be, 1, 4, file), ==, 4);
  g_assert_cmpint (fclose (file), ==, 0);
}

/* The index check judges the bytes as they were written, walked on the
 * way to the disk: a staged copy changed behind the copy's back after it
 * was whole (its header now claims ten times the duration, which the
 * index check reading the file calls "incomplete") changes nothing. */
static gpointer
watch_and_stretch (gpointer data)
{
  OverlapWatch *w = data;

  for (guint i = 0; i < 1000 && !w->overlapped; i++)
    {
      GStatBuf st;

      if (g_stat (w->second_staging, &st) == 0 && (guint64)st.st_size == w->second_size
          && g_file_test (w->first_staging, G_FILE_TEST_EXISTS))
        w->overlapped = TRUE;
      else
        g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
  if (w->overlapped)
    stretch_movie_header (w->second_staging);
  g_assert_true (g_file_set_contents (w->go, "", 0, NULL));
  return NULL;
}

static void
test_index_on_stream (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree gchar *script = NULL;
  OverlapWatch w = { 0 };
  GThread *watcher;

  if (f->dir == NULL)
    return;
  if (g_getenv ("DOCKET_MEDIA_HELPER") == NULL)
    {
      g_test_skip ("DOCKET_MEDIA_HELPER not set");
      return;
    }
  list = docket_camera_driver_list_recordings (DOCKET_CAMERA_DRIVER (f->camera), NULL, &error);
  g_assert_no_error (error);
  w.first_staging = docket_evidence_store_get_staging_path (
      f->store, "CAM-A", ((DocketRecordingInfo *)list->pdata[0])->id);
  w.second_staging = docket_evidence_store_get_staging_path (
      f->store, "CAM-A", ((DocketRecordingInfo *)list->pdata[1])->id);
  w.second_size = ((DocketRecordingInfo *)list->pdata[1])->size;
  w.go = g_build_filename (f->dir, "go", NULL);
  /* Held, then passing every file: the parse check (qtdemux refuses the
   * stretched header too) is not what this test is about. */
  script = g_build_filename (f->dir, "held-parse", NULL);
  {
    g_autofree gchar *text = g_strdup_printf (
        "#!/bin/sh\n"
        "i=0; while [ ! -e '%s' ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\n"
        "exit 0\n",
        w.go);

    g_assert_true (g_file_set_contents (script, text, -1, NULL));
    g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  }
  docket_media_set_helper (script);
  job = new_job (f, f->camera);
  docket_offload_job_set_thumbnails_later (job, TRUE);
  watcher = g_thread_new ("stretch-watch", watch_and_stretch, &w);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_no_error (error);
  g_thread_join (watcher);
  docket_media_set_helper (NULL);
  g_assert_true (w.overlapped);
  g_assert_cmpuint (f->n_verified, ==, 3);
  g_assert_cmpuint (docket_offload_job_get_damaged (job), ==, 0);
  g_free (w.first_staging);
  g_free (w.second_staging);
  g_free (w.go);
}

typedef struct
{
  gchar *first_path; /* the first recording on the camera */
  gchar *second_name;
  gchar *second_staging;
  guint64 second_size;
  guint mid_transfer;        /* progress reports inside the second transfer */
  guint erased_mid_transfer; /* of them, with the first already erased */
} EraseWatch;

/* In the copy thread, while it waits for the camera. */
static void
on_progress_erase (DocketOffloadJob *job, GVariant *progress, EraseWatch *w)
{
  const gchar *current = NULL;
  GStatBuf st;

  g_variant_lookup (progress, "current", "&s", &current);
  if (g_strcmp0 (current, w->second_name) != 0
      || (g_stat (w->second_staging, &st) == 0 && (guint64)st.st_size == w->second_size))
    return;
  w->mid_transfer++;
  if (!g_file_test (w->first_path, G_FILE_TEST_EXISTS))
    w->erased_mid_transfer++;
}

/* A camera answers one command at a time: an erase in the middle of a
 * transfer ends its stream (the DCP driver then throws its read-ahead away
 * and asks again). Committed recordings are erased between transfers. */
static void
test_erase_between_transfers (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  g_autoptr (GPtrArray) list = NULL;
  EraseWatch w = { 0 };

  if (f->dir == NULL)
    return;
  list = docket_camera_driver_list_recordings (DOCKET_CAMERA_DRIVER (f->camera), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  w.first_path = docket_file_camera_get_recording_path (
      f->camera, ((DocketRecordingInfo *)list->pdata[0])->id);
  w.second_name = g_strdup (((DocketRecordingInfo *)list->pdata[1])->name);
  w.second_staging = docket_evidence_store_get_staging_path (
      f->store, "CAM-A", ((DocketRecordingInfo *)list->pdata[1])->id);
  w.second_size = ((DocketRecordingInfo *)list->pdata[1])->size;
  /* the second transfer lasts well past the first one's checks */
  docket_file_camera_set_read_limits (f->camera, 16384, 40000);
  job = new_job (f, f->camera);
  docket_offload_job_set_thumbnails_later (job, TRUE);
  g_signal_connect (job, "progress", G_CALLBACK (on_progress_erase), &w);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (w.mid_transfer, >, 2);
  g_assert_cmpuint (w.erased_mid_transfer, ==, 0);
  g_assert_cmpuint (f->n_verified, ==, 3);
  g_assert_cmpuint (camera_count (f->camera), ==, 0);
  g_free (w.first_path);
  g_free (w.second_name);
  g_free (w.second_staging);
}

/* Under the manager a camera is done at its last commit; the manager's
 * low-priority thread makes the pictures afterwards. */
static void
test_manager_thumbnail_later (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketOffloadManager) manager = NULL;
  g_autoptr (DocketCamera) a = NULL;
  g_autofree gchar *go = NULL;
  g_autofree gchar *script = NULL;
  ManagerState s = { 0 };

  if (f->dir == NULL)
    return;
  if (g_getenv ("DOCKET_MEDIA_HELPER") == NULL)
    {
      g_test_skip ("DOCKET_MEDIA_HELPER not set");
      return;
    }
  go = g_build_filename (f->dir, "go", NULL);
  script = make_slow_thumbnail_helper (f, go);
  docket_media_set_helper (script);
  a = docket_camera_new (DOCKET_CAMERA_DRIVER (f->camera), "1-1");
  manager = docket_offload_manager_new (f->store);
  g_signal_connect (manager, "job-finished", G_CALLBACK (on_job_finished), &s);
  docket_offload_manager_add_camera (manager, a);
  while (s.finished == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (s.last_error);
  g_assert_cmpint (docket_camera_get_state (a), ==, DOCKET_CAMERA_STATE_DONE);
  g_assert_cmpuint (count_rows (f, "verified"), ==, 3);
  g_assert_cmpuint (count_thumbnails (f), ==, 0);
  g_assert_true (g_file_set_contents (go, "", 0, NULL));
  wait_idle (manager);
  docket_media_set_helper (NULL);
  g_assert_cmpuint (count_thumbnails (f), ==, 3);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  docket_gst_register ();
#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/offload/basic", test_basic);
  ADD ("/offload/keep-on-camera", test_keep_on_camera);
  ADD ("/offload/hash-mismatch", test_hash_mismatch);
  ADD ("/offload/quarantine-limit", test_quarantine_limit);
  ADD ("/offload/bad-signature", test_bad_signature);
  ADD ("/offload/duration-lie", test_duration_lie);
  ADD ("/offload/size-lie", test_size_lie);
  ADD ("/offload/cut-on-camera", test_cut_on_camera);
  ADD ("/offload/name-lie", test_name_lie);
  ADD ("/offload/undock-resume", test_undock_resume);
  ADD ("/offload/stale-staging", test_stale_staging);
  ADD ("/offload/disk-full", test_disk_full);
  ADD ("/offload/key-changed", test_key_changed);
  ADD ("/offload/still-recording", test_still_recording);
  ADD ("/offload/cancel", test_cancel);
  ADD ("/offload/progress-throttled", test_progress_throttled);
  ADD ("/offload/manager", test_manager);
  ADD ("/offload/manager-concurrent", test_manager_concurrent);
  ADD ("/offload/manager-undock", test_manager_undock);
  ADD ("/offload/manager-disk-full", test_manager_disk_full);
  ADD ("/offload/manager-quarantine", test_manager_quarantine);
  ADD ("/offload/thumbnail-later", test_thumbnail_later);
  ADD ("/offload/thumbnail-off-path", test_thumbnail_off_path);
  ADD ("/offload/manager-thumbnail-later", test_manager_thumbnail_later);
  ADD ("/offload/check-overlaps-copy", test_check_overlaps_copy);
  ADD ("/offload/index-on-stream", test_index_on_stream);
  ADD ("/offload/erase-between-transfers", test_erase_between_transfers);
  return g_test_run ();
}
