/* test-offload.c — the offload job's copy and commit path against file-backed cameras
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the checks refuse or flag: test-offload-checks.c; the manager:
 * test-offload-manager.c. The fixture: test-offload-fixture.h.
 */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "docket-error.h"
#include "docket-media-check.h"
#include "test-offload-fixture.h"

static void
test_basic (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  guint64 done = 0, total = 0;
  guint files = 0;

  if (!fixture_ready (f))
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

  if (!fixture_ready (f))
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

static void
test_undock_resume (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  g_autofree gchar *path = docket_file_camera_get_recording_path (f->camera, 1);
  g_autofree gchar *staging = NULL;
  GStatBuf st;

  if (!fixture_ready (f))
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

  if (!fixture_ready (f))
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

  if (!fixture_ready (f))
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
test_still_recording (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;

  if (!fixture_ready (f))
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

  if (!fixture_ready (f))
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

  if (!fixture_ready (f))
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

  if (!fixture_ready_with_helper (f))
    return;
  go = g_build_filename (f->dir, "go", NULL);
  s.go = go;
  script = make_held_helper (f, "thumbnail", go);
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

/* Lets the held checks go once the copy overlapped one (or gave up). */
static gpointer
watch_overlap (gpointer data)
{
  OverlapWatch *w = data;

  overlap_watch_wait (w);
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
  g_autofree gchar *script = NULL;
  OverlapWatch w = { 0 };
  GThread *watcher;

  if (!fixture_ready_with_helper (f))
    return;
  overlap_watch_init (f, &w);
  script = make_held_helper (f, "parse", w.go);
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
  overlap_watch_clear (&w);
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

  overlap_watch_wait (w);
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
  g_autofree gchar *script = NULL;
  OverlapWatch w = { 0 };
  GThread *watcher;

  if (!fixture_ready_with_helper (f))
    return;
  overlap_watch_init (f, &w);
  /* Held, then passing every file: the parse check (qtdemux refuses the
   * stretched header too) is not what this test is about. */
  {
    g_autofree gchar *text = g_strdup_printf (
        "#!/bin/sh\n"
        "i=0; while [ ! -e '%s' ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\n"
        "exit 0\n",
        w.go);

    script = write_script (f, "held-parse", text);
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
  overlap_watch_clear (&w);
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

  if (!fixture_ready (f))
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

int
main (int argc, char **argv)
{
  test_offload_init (&argc, &argv);
  TEST_OFFLOAD_ADD ("/offload/basic", test_basic);
  TEST_OFFLOAD_ADD ("/offload/keep-on-camera", test_keep_on_camera);
  TEST_OFFLOAD_ADD ("/offload/undock-resume", test_undock_resume);
  TEST_OFFLOAD_ADD ("/offload/stale-staging", test_stale_staging);
  TEST_OFFLOAD_ADD ("/offload/disk-full", test_disk_full);
  TEST_OFFLOAD_ADD ("/offload/still-recording", test_still_recording);
  TEST_OFFLOAD_ADD ("/offload/cancel", test_cancel);
  TEST_OFFLOAD_ADD ("/offload/progress-throttled", test_progress_throttled);
  TEST_OFFLOAD_ADD ("/offload/thumbnail-off-path", test_thumbnail_off_path);
  TEST_OFFLOAD_ADD ("/offload/check-overlaps-copy", test_check_overlaps_copy);
  TEST_OFFLOAD_ADD ("/offload/index-on-stream", test_index_on_stream);
  TEST_OFFLOAD_ADD ("/offload/erase-between-transfers", test_erase_between_transfers);
  return g_test_run ();
}
