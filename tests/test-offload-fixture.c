/* test-offload-fixture.c — a store and a file-backed camera for the offload tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "docket-gst.h"
#include "test-offload-fixture.h"
#include "test-offload-media.h"

void
test_offload_init (int *argc, char ***argv)
{
  gst_init (argc, argv);
  g_test_init (argc, argv, NULL);
  docket_gst_register ();
}

DocketFileCamera *
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

void
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

void
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

gboolean
fixture_ready (Fixture *f)
{
  return f->dir != NULL;
}

gboolean
fixture_ready_with_helper (Fixture *f)
{
  if (f->dir == NULL)
    return FALSE;
  if (g_getenv ("DOCKET_MEDIA_HELPER") == NULL)
    {
      g_test_skip ("DOCKET_MEDIA_HELPER not set");
      return FALSE;
    }
  return TRUE;
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

DocketOffloadJob *
new_job (Fixture *f, DocketFileCamera *camera)
{
  DocketOffloadJob *job = docket_offload_job_new (f->store, DOCKET_CAMERA_DRIVER (camera));

  g_signal_connect (job, "progress", G_CALLBACK (on_progress), f);
  g_signal_connect (job, "recording-verified", G_CALLBACK (on_verified), f);
  g_signal_connect (job, "recording-quarantined", G_CALLBACK (on_quarantined), f);
  return job;
}

guint
camera_count (DocketFileCamera *camera)
{
  g_autoptr (GPtrArray) list
      = docket_camera_driver_list_recordings (DOCKET_CAMERA_DRIVER (camera), NULL, NULL);

  g_assert_nonnull (list);
  return list->len;
}

guint
count_rows (Fixture *f, const gchar *state)
{
  g_autoptr (GPtrArray) rows = docket_evidence_store_list_recordings (f->store, NULL);
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (((DocketStoredRecording *)rows->pdata[i])->state, state))
      n++;
  return n;
}

void
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

guint
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

void
set_manifest (Fixture *f, guint32 id, const gchar *key, const gchar *value)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *group = g_strdup_printf ("recording %u", id);

  g_key_file_set_string (docket_file_camera_get_manifest (f->camera), group, key, value);
  g_assert_true (docket_file_camera_save_manifest (f->camera, &error));
  g_assert_no_error (error);
}

guint
count_thumbnails (Fixture *f)
{
  g_autoptr (GPtrArray) rows = docket_evidence_store_list_recordings (f->store, NULL);
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    n += ((DocketStoredRecording *)rows->pdata[i])->thumbnail != NULL;
  return n;
}

gchar *
write_script (Fixture *f, const gchar *name, const gchar *text)
{
  g_autofree gchar *script = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (script, text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  return g_steal_pointer (&script);
}

gchar *
make_held_helper (Fixture *f, const gchar *step, const gchar *go)
{
  g_autofree gchar *name = g_strdup_printf ("held-%s", step);
  g_autofree gchar *text = g_strdup_printf (
      "#!/bin/sh\n"
      "if [ \"$1\" = %s ]; then\n"
      "  i=0; while [ ! -e '%s' ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\n"
      "fi\n"
      "exec '%s' \"$@\"\n",
      step, go, g_getenv ("DOCKET_MEDIA_HELPER"));

  return write_script (f, name, text);
}

void
overlap_watch_init (Fixture *f, OverlapWatch *w)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list
      = docket_camera_driver_list_recordings (DOCKET_CAMERA_DRIVER (f->camera), NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  memset (w, 0, sizeof *w);
  w->first_staging = docket_evidence_store_get_staging_path (
      f->store, "CAM-A", ((DocketRecordingInfo *)list->pdata[0])->id);
  w->second_staging = docket_evidence_store_get_staging_path (
      f->store, "CAM-A", ((DocketRecordingInfo *)list->pdata[1])->id);
  w->second_size = ((DocketRecordingInfo *)list->pdata[1])->size;
  w->go = g_build_filename (f->dir, "go", NULL);
}

void
overlap_watch_clear (OverlapWatch *w)
{
  g_clear_pointer (&w->first_staging, g_free);
  g_clear_pointer (&w->second_staging, g_free);
  g_clear_pointer (&w->go, g_free);
}

void
overlap_watch_wait (OverlapWatch *w)
{
  for (guint i = 0; i < 1000 && !w->overlapped; i++)
    {
      GStatBuf st;

      if (g_stat (w->second_staging, &st) == 0 && (guint64)st.st_size == w->second_size
          && g_file_test (w->first_staging, G_FILE_TEST_EXISTS))
        w->overlapped = TRUE;
      else
        g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
}

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
void
manager_state_init (Fixture *f, ManagerState *s)
{
  s->a = docket_camera_new (DOCKET_CAMERA_DRIVER (f->camera), "1-1");
  s->manager = docket_offload_manager_new (f->store);
  g_signal_connect (s->manager, "job-started", G_CALLBACK (on_job_started), s);
  g_signal_connect (s->manager, "job-finished", G_CALLBACK (on_job_finished), s);
}

void
manager_state_clear (ManagerState *s)
{
  g_clear_object (&s->manager);
  g_clear_object (&s->a);
  g_clear_error (&s->last_error);
}

void
wait_idle (DocketOffloadManager *manager)
{
  while (!docket_offload_manager_is_idle (manager))
    g_main_context_iteration (NULL, TRUE);
}
