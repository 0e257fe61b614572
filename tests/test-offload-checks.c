/* test-offload-checks.c — what the offload job's checks refuse or flag
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A camera that lies about a hash, a signature, a size, a duration or a
 * name, a cut recording, a changed key: quarantined or committed with its
 * condition, never trusted.
 */
#include "config.h"

#include <string.h>

#include "docket-error.h"
#include "docket-media-check.h"
#include "test-offload-fixture.h"
#include "test-offload-media.h"

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
  if (!fixture_ready (f))
    return;
  set_manifest (f, 2, "sha256", BAD_SHA256);
  run_expect_quarantine (f, 1);
}

/* A recording that keeps failing is not copied again and again. */
static void
test_quarantine_limit (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;

  if (!fixture_ready (f))
    return;
  set_manifest (f, 2, "sha256", BAD_SHA256);
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

  if (!fixture_ready (f))
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

  if (!fixture_ready (f))
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
  if (!fixture_ready (f))
    return;
  set_manifest (f, 1, "size", "1000");
  run_expect_quarantine (f, 1);
}

static void
test_cut_on_camera (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *cut = NULL;

  if (!fixture_ready (f))
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

  if (!fixture_ready (f))
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
test_key_changed (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  GKeyFile *manifest = docket_file_camera_get_manifest (f->camera);
  g_autofree gchar *pk = NULL;

  if (!fixture_ready (f))
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

static gint warned_not_done, warned_in_process;

static GLogWriterOutput
count_check_warnings (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      {
        const gchar *text = fields[i].value;

        if (strstr (text, "check of") != NULL && strstr (text, "is not done") != NULL)
          g_atomic_int_inc (&warned_not_done);
        if (strstr (text, "in-process") != NULL)
          g_atomic_int_inc (&warned_in_process);
      }
  return g_log_writer_default (level, fields, n_fields, data);
}

/* A media helper that cannot run (its sandbox failed: exit 2) is the
 * station's fault: the recordings are stored without a condition, and the
 * file is not parsed inside the offload's process instead. */
static void
test_helper_cannot_run (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketOffloadJob) job = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *script = NULL;
  g_autofree gchar *log = g_build_filename (f->dir, "helper-runs", NULL);
  g_autofree gchar *text = NULL;
  g_autofree gchar *runs = NULL;
  GLogLevelFlags fatal;

  if (!fixture_ready_with_helper (f))
    return;
  text = g_strdup_printf ("#!/bin/sh\necho \"$1\" >> '%s'\necho 'no sandbox' >&2\nexit 2\n", log);
  script = write_script (f, "no-sandbox", text);
  /* The checks not done are warned about, on purpose here. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_log_set_writer_func (count_check_warnings, NULL, NULL);
  docket_media_set_helper (script);
  job = new_job (f, f->camera);
  g_assert_true (docket_offload_job_run (job, NULL, &error));
  g_assert_no_error (error);
  docket_media_set_helper (NULL);
  g_log_set_always_fatal (fatal);

  g_assert_cmpuint (count_rows (f, "verified"), ==, 3);
  rows = docket_evidence_store_list_conditions (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
  /* every parse check went to the helper, none ran here */
  g_assert_true (g_file_get_contents (log, &runs, NULL, NULL));
  g_assert_nonnull (strstr (runs, "parse"));
  g_assert_cmpint (g_atomic_int_get (&warned_not_done), >=, 3);
  g_assert_cmpint (g_atomic_int_get (&warned_in_process), ==, 0);
}

int
main (int argc, char **argv)
{
  test_offload_init (&argc, &argv);
  TEST_OFFLOAD_ADD ("/offload/hash-mismatch", test_hash_mismatch);
  TEST_OFFLOAD_ADD ("/offload/quarantine-limit", test_quarantine_limit);
  TEST_OFFLOAD_ADD ("/offload/bad-signature", test_bad_signature);
  TEST_OFFLOAD_ADD ("/offload/duration-lie", test_duration_lie);
  TEST_OFFLOAD_ADD ("/offload/size-lie", test_size_lie);
  TEST_OFFLOAD_ADD ("/offload/cut-on-camera", test_cut_on_camera);
  TEST_OFFLOAD_ADD ("/offload/name-lie", test_name_lie);
  TEST_OFFLOAD_ADD ("/offload/key-changed", test_key_changed);
  TEST_OFFLOAD_ADD ("/offload/helper-cannot-run", test_helper_cannot_run);
  return g_test_run ();
}
