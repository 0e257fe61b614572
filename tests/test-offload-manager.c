/* test-offload-manager.c — the offload manager: queue, retries, camera problems
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "docket-error.h"
#include "docket-media-check.h"
#include "docket-message.h"
#include "test-offload-fixture.h"

static void
test_manager (Fixture *f, gconstpointer data)
{
  g_auto (ManagerState) s = { 0 };
  g_autoptr (DocketFileCamera) cam_b = NULL;
  g_autoptr (DocketCamera) b = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  guint files = 0;

  if (!fixture_ready (f))
    return;
  cam_b = make_camera (f, "CAM-B", 2, 5);
  b = docket_camera_new (DOCKET_CAMERA_DRIVER (cam_b), "1-2");
  manager_state_init (f, &s);
  docket_offload_manager_set_max_concurrent (s.manager, 1);
  docket_offload_manager_set_deep_check (s.manager, TRUE);
  docket_offload_manager_add_camera (s.manager, s.a);
  docket_offload_manager_add_camera (s.manager, b);
  docket_offload_manager_add_camera (s.manager, b); /* no-op */
  wait_idle (s.manager);
  /* deep-checked signals may still be queued */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpuint (s.finished, ==, 2);
  g_assert_null (s.last_error);
  g_assert_cmpuint (s.max_running, ==, 1);
  g_assert_cmpint (docket_camera_get_state (s.a), ==, DOCKET_CAMERA_STATE_DONE);
  g_assert_cmpint (docket_camera_get_state (b), ==, DOCKET_CAMERA_STATE_DONE);
  g_assert_true (g_variant_lookup (docket_camera_get_offload (b), "files-done", "u", &files));
  g_assert_cmpuint (files, ==, 2);
  rows = docket_evidence_store_list_recordings (f->store, NULL);
  g_assert_cmpuint (rows->len, ==, 5);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (((DocketStoredRecording *)rows->pdata[i])->deep_check, ==, "ok");
}

static void
test_manager_concurrent (Fixture *f, gconstpointer data)
{
  g_auto (ManagerState) s = { 0 };
  g_autoptr (DocketFileCamera) cam_b = NULL;
  g_autoptr (DocketCamera) b = NULL;

  if (!fixture_ready (f))
    return;
  cam_b = make_camera (f, "CAM-B", 1, 7);
  b = docket_camera_new (DOCKET_CAMERA_DRIVER (cam_b), "1-2");
  manager_state_init (f, &s); /* default: all docked at once */
  docket_offload_manager_add_camera (s.manager, s.a);
  docket_offload_manager_add_camera (s.manager, b);
  wait_idle (s.manager);
  g_assert_cmpuint (s.max_running, ==, 2);
  g_assert_cmpuint (s.finished, ==, 2);
}

/* Undock mid-offload: the job stops, nothing is erased, the slot frees. */
static void
test_manager_undock (Fixture *f, gconstpointer data)
{
  g_auto (ManagerState) s = { 0 };

  if (!fixture_ready (f))
    return;
  docket_file_camera_set_read_limits (f->camera, 4096, 20000);
  manager_state_init (f, &s);
  docket_offload_manager_add_camera (s.manager, s.a);
  g_assert_cmpuint (docket_offload_manager_get_n_running (s.manager), ==, 1);
  docket_offload_manager_remove_camera (s.manager, s.a);
  g_assert_false (docket_offload_manager_has_camera (s.manager, s.a));
  wait_idle (s.manager);
  docket_file_camera_set_read_limits (f->camera, 0, 0);
  g_assert_cmpuint (camera_count (f->camera), ==, 3);
  g_assert_cmpuint (count_rows (f, "verified"), ==, 0);
}

static void
test_manager_disk_full (Fixture *f, gconstpointer data)
{
  g_auto (ManagerState) s = { 0 };

  if (!fixture_ready (f))
    return;
  docket_evidence_store_set_reserve_bytes (f->store, G_MAXUINT64 / 4);
  manager_state_init (f, &s);
  docket_offload_manager_set_retry_interval (s.manager, 1);
  docket_offload_manager_add_camera (s.manager, s.a);
  while (s.finished == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (s.last_error, DOCKET_ERROR, DOCKET_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (docket_camera_get_problem (s.a), "full"));
  /* A sentence each kiosk says in its own language. */
  {
    g_autoptr (GVariant) problem
        = g_variant_lookup_value (docket_camera_get_messages (s.a), "problem", DOCKET_MESSAGE_TYPE);

    g_assert_nonnull (problem);
  }
  g_assert_cmpint (docket_camera_get_state (s.a), ==, DOCKET_CAMERA_STATE_IDLE);
  g_assert_cmpuint (camera_count (f->camera), ==, 3);

  docket_evidence_store_set_reserve_bytes (f->store, 0);
  while (s.finished < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (s.last_error);
  g_assert_cmpint (docket_camera_get_state (s.a), ==, DOCKET_CAMERA_STATE_DONE);
  g_assert_cmpuint (camera_count (f->camera), ==, 0);
  wait_idle (s.manager); /* thumbnails are made after the job */
}

static void
test_manager_quarantine (Fixture *f, gconstpointer data)
{
  g_auto (ManagerState) s = { 0 };

  if (!fixture_ready (f))
    return;
  set_manifest (f, 2, "sha256", BAD_SHA256);
  manager_state_init (f, &s);
  docket_offload_manager_add_camera (s.manager, s.a);
  while (s.finished == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (docket_camera_get_state (s.a), ==, DOCKET_CAMERA_STATE_FAULTY);
  g_assert_nonnull (strstr (docket_camera_get_problem (s.a), "kept on the camera"));
  /* The same problem as a message with its plural forms, for a kiosk in
   * another language. */
  {
    g_autoptr (GVariant) message
        = g_variant_lookup_value (docket_camera_get_messages (s.a), "problem", DOCKET_MESSAGE_TYPE);
    const gchar *msgid_plural = NULL;
    guint64 n = 0;

    g_assert_nonnull (message);
    g_variant_get (message, "(&s&st@as)", NULL, &msgid_plural, &n, NULL);
    g_assert_cmpstr (msgid_plural, ==,
                     "%u recordings failed verification and were kept on the camera; IT has "
                     "been alerted");
    g_assert_cmpuint (n, ==, 1);
  }
  wait_idle (s.manager); /* thumbnails are made after the job */
}

/* Committed without a thumbnail (here: the helper refuses them), the
 * recordings get theirs after the next offload. */
/* An offload that stops on an error leaves the camera faulty with a
 * sentence the kiosk says in its own language, and the error's own words
 * for IT beside it in the Problem text. */
static void
test_manager_failed_words (Fixture *f, gconstpointer data)
{
  g_auto (ManagerState) s = { 0 };
  g_autofree gchar *serial = g_strnfill (65, 'X');
  g_autoptr (DocketFileCamera) odd = NULL;
  g_autoptr (DocketCamera) camera = NULL;
  g_autoptr (GVariant) message = NULL;
  const gchar *msgid = NULL;

  if (!fixture_ready (f))
    return;
  /* A serial no camera may report: the job stops before any copy. */
  odd = make_camera (f, serial, 0, 0);
  camera = docket_camera_new (DOCKET_CAMERA_DRIVER (odd), "1-2");
  manager_state_init (f, &s);
  docket_offload_manager_add_camera (s.manager, camera);
  while (s.finished == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (s.last_error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL);
  g_assert_cmpint (docket_camera_get_state (camera), ==, DOCKET_CAMERA_STATE_FAULTY);
  message = g_variant_lookup_value (docket_camera_get_messages (camera), "problem",
                                    DOCKET_MESSAGE_TYPE);
  g_assert_nonnull (message);
  g_variant_get (message, "(&s&st@as)", &msgid, NULL, NULL, NULL);
  g_assert_cmpstr (msgid, ==,
                   "Offload stopped with an error. What was not stored is still on the camera. "
                   "Take it out and dock it again; if this happens again, tell IT.");
  g_assert_true (g_str_has_prefix (docket_camera_get_problem (camera), msgid));
  g_assert_nonnull (strstr (docket_camera_get_problem (camera), "unusable serial number"));
}

/* Another thread holds the database (as a commit does while it syncs)
 * until the main loop has run once more, or 20 s have passed. */
typedef struct
{
  DocketDatabase *db;
  GMutex lock;
  GCond cond;
  gboolean locked;
  gboolean main_ran;
  gboolean gave_up;
} DbHolder;

static gpointer
hold_database (gpointer data)
{
  DbHolder *h = data;
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (h->db);
  gint64 until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_mutex_lock (&h->lock);
  h->locked = TRUE;
  g_cond_broadcast (&h->cond);
  while (!h->main_ran)
    if (!g_cond_wait_until (&h->cond, &h->lock, until))
      {
        h->gave_up = TRUE;
        break;
      }
  g_mutex_unlock (&h->lock);
  return NULL;
}

static gboolean
main_ran_cb (gpointer data)
{
  DbHolder *h = data;

  g_mutex_lock (&h->lock);
  h->main_ran = TRUE;
  g_cond_broadcast (&h->cond);
  g_mutex_unlock (&h->lock);
  return G_SOURCE_REMOVE;
}

/* Looking up the checks still owed waits on the database, which a commit
 * may hold while it syncs: that wait is not on the main loop, which serves
 * the kiosk. */
static void
test_owed_lookup_off_main_loop (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketOffloadManager) manager = NULL;
  DbHolder h = { .db = docket_evidence_store_get_database (f->store) };
  GThread *thread;

  if (!fixture_ready (f))
    return;
  g_mutex_init (&h.lock);
  g_cond_init (&h.cond);
  manager = docket_offload_manager_new (f->store);
  thread = g_thread_new ("hold-database", hold_database, &h);
  g_mutex_lock (&h.lock);
  while (!h.locked)
    g_cond_wait (&h.cond, &h.lock);
  g_mutex_unlock (&h.lock);

  /* As docketd's start does: this must return while the database is held. */
  docket_offload_manager_set_deep_check (manager, TRUE);
  g_idle_add (main_ran_cb, &h);
  wait_idle (manager);
  g_thread_join (thread);
  g_assert_false (h.gave_up);
  g_assert_true (h.main_ran);
  g_mutex_clear (&h.lock);
  g_cond_clear (&h.cond);
}

static void
test_thumbnail_later (Fixture *f, gconstpointer data)
{
  g_auto (ManagerState) s = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  g_autoptr (DocketCamera) b = NULL;
  g_autoptr (DocketFileCamera) cam_b = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree gchar *script = NULL;
  g_autofree gchar *text = NULL;
  const gchar *helper = g_getenv ("DOCKET_MEDIA_HELPER");
  GLogLevelFlags fatal;

  if (!fixture_ready_with_helper (f))
    return;
  text
      = g_strdup_printf ("#!/bin/sh\n[ \"$1\" = thumbnail ] && exit 1\nexec '%s' \"$@\"\n", helper);
  script = write_script (f, "no-thumbnails", text);
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
  manager_state_init (f, &s);
  docket_offload_manager_add_camera (s.manager, b);
  wait_idle (s.manager);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  rows = docket_evidence_store_list_recordings (f->store, NULL);
  g_assert_cmpuint (rows->len, ==, 4);
  for (guint i = 0; i < rows->len; i++)
    g_assert_nonnull (((DocketStoredRecording *)rows->pdata[i])->thumbnail);
  docket_media_set_helper (NULL);
  g_log_set_always_fatal (fatal);
}

/* Under the manager a camera is done at its last commit; the manager's
 * low-priority thread makes the pictures afterwards. */
static void
test_manager_thumbnail_later (Fixture *f, gconstpointer data)
{
  g_auto (ManagerState) s = { 0 };
  g_autofree gchar *go = NULL;
  g_autofree gchar *script = NULL;

  if (!fixture_ready_with_helper (f))
    return;
  go = g_build_filename (f->dir, "go", NULL);
  script = make_held_helper (f, "thumbnail", go);
  docket_media_set_helper (script);
  manager_state_init (f, &s);
  docket_offload_manager_add_camera (s.manager, s.a);
  while (s.finished == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (s.last_error);
  g_assert_cmpint (docket_camera_get_state (s.a), ==, DOCKET_CAMERA_STATE_DONE);
  g_assert_cmpuint (count_rows (f, "verified"), ==, 3);
  g_assert_cmpuint (count_thumbnails (f), ==, 0);
  g_assert_true (g_file_set_contents (go, "", 0, NULL));
  wait_idle (s.manager);
  docket_media_set_helper (NULL);
  g_assert_cmpuint (count_thumbnails (f), ==, 3);
}

static void
drain_main_context (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* A deep check that could not run (no usable helper) is the station's
 * fault: it stays owed, and docketd's next start runs it to a result. A
 * check that keeps failing is given up after its last try. */
static void
test_deep_check_owed (Fixture *f, gconstpointer data)
{
  g_auto (ManagerState) s = { 0 };
  g_autoptr (DocketOffloadManager) restarted = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = NULL;
  g_autofree gchar *script = NULL;
  GLogLevelFlags fatal;
  gint64 id;

  if (!fixture_ready_with_helper (f))
    return;
  text = g_strdup_printf ("#!/bin/sh\n"
                          "if [ \"$1\" = deep ]; then echo 'no sandbox' >&2; exit 2; fi\n"
                          "exec '%s' \"$@\"\n",
                          g_getenv ("DOCKET_MEDIA_HELPER"));
  script = write_script (f, "no-deep", text);
  /* The checks not done are warned about, on purpose here. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  docket_media_set_helper (script);
  manager_state_init (f, &s);
  docket_offload_manager_set_deep_check (s.manager, TRUE);
  docket_offload_manager_add_camera (s.manager, s.a);
  wait_idle (s.manager);
  drain_main_context ();
  g_assert_null (s.last_error);
  rows = docket_evidence_store_list_recordings (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < rows->len; i++)
    {
      DocketStoredRecording *rec = rows->pdata[i];

      g_assert_true (rec->deep_check_due);
      g_assert_nonnull (rec->deep_check);
      g_assert_cmpstr (rec->deep_check, !=, "ok");
      g_assert_null (rec->condition);
    }

  /* docketd stops; it starts again with a helper that works. */
  manager_state_clear (&s);
  docket_media_set_helper (NULL);
  g_log_set_always_fatal (fatal);
  restarted = docket_offload_manager_new (f->store);
  docket_offload_manager_set_deep_check (restarted, TRUE);
  wait_idle (restarted);
  drain_main_context ();
  after = docket_evidence_store_list_recordings (f->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < after->len; i++)
    {
      DocketStoredRecording *rec = after->pdata[i];

      g_assert_cmpstr (rec->deep_check, ==, "ok");
      g_assert_false (rec->deep_check_due);
    }

  /* Owed again, and failing each time: given up after the last try. */
  id = ((DocketStoredRecording *)after->pdata[0])->id;
  g_assert_true (docket_database_exec (
      docket_evidence_store_get_database (f->store),
      "UPDATE recordings SET deep_check_due = 1, deep_check_attempts = 0", &error));
  for (guint i = 1; i <= DOCKET_DEEP_CHECK_ATTEMPTS; i++)
    {
      g_autoptr (GArray) owed = NULL;

      g_assert_true (docket_evidence_store_defer_deep_check (f->store, id, "out of time", &error));
      g_assert_no_error (error);
      owed = docket_evidence_store_list_owed_deep_checks (f->store, 16, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (owed->len, ==, i < DOCKET_DEEP_CHECK_ATTEMPTS ? 3 : 2);
    }
}

int
main (int argc, char **argv)
{
  test_offload_init (&argc, &argv);
  TEST_OFFLOAD_ADD ("/offload/manager", test_manager);
  TEST_OFFLOAD_ADD ("/offload/manager-concurrent", test_manager_concurrent);
  TEST_OFFLOAD_ADD ("/offload/manager-undock", test_manager_undock);
  TEST_OFFLOAD_ADD ("/offload/manager-disk-full", test_manager_disk_full);
  TEST_OFFLOAD_ADD ("/offload/manager-quarantine", test_manager_quarantine);
  TEST_OFFLOAD_ADD ("/offload/manager-failed-words", test_manager_failed_words);
  TEST_OFFLOAD_ADD ("/offload/owed-lookup-off-main-loop", test_owed_lookup_off_main_loop);
  TEST_OFFLOAD_ADD ("/offload/thumbnail-later", test_thumbnail_later);
  TEST_OFFLOAD_ADD ("/offload/manager-thumbnail-later", test_manager_thumbnail_later);
  TEST_OFFLOAD_ADD ("/offload/deep-check-owed", test_deep_check_owed);
  return g_test_run ();
}
