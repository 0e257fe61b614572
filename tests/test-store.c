/* test-store.c — evidence store: commit, read-only files, quarantine, enrolment, verify, strays
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "docket-error.h"
#include "docket-evidence-store.h"
#include "docket-sha256.h"

typedef struct
{
  gchar *dir;
  DocketEvidenceStore *store;
  DocketCameraIdentity identity;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("docket-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = docket_evidence_store_open (f->dir, &error);
  g_assert_no_error (error);
  docket_evidence_store_set_reserve_bytes (f->store, 0);
  f->identity.serial = g_strdup ("CAM-0001");
  f->identity.vendor = g_strdup ("Test");
  f->identity.model = g_strdup ("T1");
  memset (f->identity.public_key, 7, sizeof f->identity.public_key);
  g_assert_true (docket_evidence_store_enrol_camera (f->store, &f->identity, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree gchar *cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", f->dir, f->dir);

  docket_camera_identity_clear (&f->identity);
  g_clear_object (&f->store);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

/* Writes @content to a staging file; returns a row ready to commit. */
static DocketStoredRecording *
stage (Fixture *f, guint32 id, const gchar *content, gchar **out_staging)
{
  g_autoptr (GError) error = NULL;
  DocketStoredRecording *rec = docket_stored_recording_new ();
  guint8 digest[DOCKET_SHA256_LEN];

  *out_staging = docket_evidence_store_get_staging_path (f->store, f->identity.serial, id);
  g_file_set_contents (*out_staging, content, -1, &error);
  g_assert_no_error (error);
  g_assert_true (docket_sha256_file (*out_staging, G_MAXUINT64, digest, NULL, &error));
  rec->camera_serial = g_strdup (f->identity.serial);
  rec->camera_recording_id = id;
  rec->name = g_strdup ("../../etc/passwd");
  rec->size = strlen (content);
  rec->sha256 = docket_sha256_to_hex (digest);
  rec->camera_sha256 = g_strdup (rec->sha256);
  rec->signature_status = g_strdup (DOCKET_SIGNATURE_STATUS_VALID);
  return rec;
}

static void
test_commit (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *staging = NULL;
  g_autoptr (DocketStoredRecording) rec = stage (f, 1, "footage one", &staging);
  g_autoptr (DocketStoredRecording) found = NULL;
  g_autofree gchar *object = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GPtrArray) audit = NULL;
  struct stat st;
  guint64 files = 0;

  g_assert_true (docket_evidence_store_commit (f->store, staging, NULL, rec, "test", &error));
  g_assert_no_error (error);
  g_assert_cmpint (rec->id, >, 0);
  g_assert_false (g_file_test (staging, G_FILE_TEST_EXISTS));

  object = docket_evidence_store_get_object_path (f->store, rec->sha256);
  g_assert_true (g_str_has_prefix (object, docket_evidence_store_get_root (f->store)));
  g_assert_cmpint (g_stat (object, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0222, ==, 0);

  found = docket_evidence_store_find_recording (f->store, "CAM-0001", 1, rec->sha256, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->state, ==, DOCKET_RECORDING_STATE_VERIFIED);
  g_assert_cmpstr (found->name, ==, "../../etc/passwd");

  problems = docket_evidence_store_verify_files (f->store, &files, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (files, ==, 1);

  audit = docket_audit_log_list (docket_evidence_store_get_audit_log (f->store), 0, 0, &error);
  g_assert_cmpuint (audit->len, ==, 2); /* enrolled, committed */
  g_assert_cmpstr (((DocketAuditEntry *)audit->pdata[1])->action, ==, "recording-committed");
}

static void
test_verify_detects_damage (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *staging = NULL;
  g_autoptr (DocketStoredRecording) rec = stage (f, 1, "footage one", &staging);
  g_autofree gchar *object = NULL;
  g_autoptr (GPtrArray) problems = NULL;

  g_assert_true (docket_evidence_store_commit (f->store, staging, NULL, rec, "test", &error));
  object = docket_evidence_store_get_object_path (f->store, rec->sha256);
  g_assert_cmpint (g_chmod (object, 0644), ==, 0);
  g_file_set_contents (object, "footage 0ne", -1, &error);
  g_assert_no_error (error);
  problems = docket_evidence_store_verify_files (f->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 1);

  g_assert_cmpint (g_unlink (object), ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = docket_evidence_store_verify_files (f->store, NULL, NULL, &error);
  /* The row's file is missing, and so is the file its audit row vouches for. */
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), "was deleted"));
}

static void
test_same_content_twice (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *s1 = NULL;
  g_autofree gchar *s2 = NULL;
  g_autoptr (DocketStoredRecording) r1 = stage (f, 1, "same", &s1);
  g_autoptr (DocketStoredRecording) r2 = NULL;

  g_assert_true (docket_evidence_store_commit (f->store, s1, NULL, r1, "test", &error));
  r2 = stage (f, 2, "same", &s2);
  g_assert_true (docket_evidence_store_commit (f->store, s2, NULL, r2, "test", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (s2, G_FILE_TEST_EXISTS));
  g_assert_cmpint (r2->id, !=, r1->id);
}

static void
test_quarantine (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *staging = NULL;
  g_autoptr (DocketStoredRecording) rec = stage (f, 3, "bad footage", &staging);
  g_autoptr (DocketStoredRecording) found = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autofree gchar *reason = NULL;
  g_autofree gchar *qpath = NULL;
  gboolean flagged = FALSE;

  rec->problem = g_strdup ("hash mismatch");
  g_assert_true (docket_evidence_store_quarantine (f->store, staging, rec, "test", &error));
  g_assert_no_error (error);
  qpath = g_build_filename (f->dir, rec->thumbnail, NULL);
  g_assert_true (g_str_has_prefix (rec->thumbnail, "quarantine/"));
  g_assert_true (g_file_test (qpath, G_FILE_TEST_IS_REGULAR));
  /* Not findable as verified evidence. */
  found = docket_evidence_store_find_recording (f->store, "CAM-0001", 3, rec->sha256, &error);
  g_assert_null (found);
  g_assert_true (
      docket_evidence_store_get_camera_flag (f->store, "CAM-0001", &flagged, &reason, &error));
  g_assert_true (flagged);
  g_assert_nonnull (strstr (reason, "hash mismatch"));
  problems = docket_evidence_store_verify_files (f->store, NULL, NULL, &error);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_key_change_alarm (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) audit = NULL;
  gboolean newly = TRUE;
  gboolean flagged = FALSE;

  g_assert_true (docket_evidence_store_enrol_camera (f->store, &f->identity, &newly, &error));
  g_assert_false (newly);
  f->identity.public_key[0] ^= 1;
  g_assert_false (docket_evidence_store_enrol_camera (f->store, &f->identity, &newly, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_assert_true (
      docket_evidence_store_get_camera_flag (f->store, "CAM-0001", &flagged, NULL, NULL));
  g_assert_true (flagged);
  audit = docket_audit_log_list (docket_evidence_store_get_audit_log (f->store), 0, 0, NULL);
  g_assert_cmpstr (((DocketAuditEntry *)audit->pdata[audit->len - 1])->action, ==,
                   "camera-key-changed");
}

static void
test_staging_path_safe (Fixture *f, gconstpointer data)
{
  g_autofree gchar *p = docket_evidence_store_get_staging_path (f->store, "../../x/..", 7);
  g_autofree gchar *dir = g_path_get_dirname (p);
  g_autofree gchar *expected = g_build_filename (f->dir, "staging", NULL);
  g_autofree gchar *canon = g_canonicalize_filename (expected, NULL);

  g_assert_cmpstr (dir, ==, canon);
  g_assert_cmpstr (strrchr (p, '/') + 1, ==, "2e2e2f2e2e2f782f2e2e-7.part");
}

static void
test_space (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (docket_evidence_store_check_space (f->store, 1, &error));
  docket_evidence_store_set_reserve_bytes (f->store, G_MAXUINT64 / 2);
  g_assert_false (docket_evidence_store_check_space (f->store, 1, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NO_SPACE);
}

static void
test_reopen (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *staging = NULL;
  g_autoptr (DocketStoredRecording) rec = stage (f, 1, "durable", &staging);
  g_autoptr (GPtrArray) rows = NULL;

  g_assert_true (docket_evidence_store_commit (f->store, staging, NULL, rec, "test", &error));
  g_clear_object (&f->store);
  f->store = docket_evidence_store_open (f->dir, &error);
  g_assert_no_error (error);
  rows = docket_evidence_store_list_recordings (f->store, &error);
  g_assert_cmpuint (rows->len, ==, 1);
}

/* A damaged copy in the store is replaced by a good one, and the new file
 * is read-only like every other; a thumbnail too. */
static void
test_replace_is_read_only (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *staging = NULL;
  g_autofree gchar *staging2 = NULL;
  g_autofree gchar *object = NULL;
  g_autofree gchar *thumb = NULL;
  g_autoptr (DocketStoredRecording) rec = stage (f, 1, "footage one", &staging);
  g_autoptr (DocketStoredRecording) again = NULL;
  struct stat st;

  g_assert_true (docket_evidence_store_commit (f->store, staging, NULL, rec, "test", &error));
  g_assert_no_error (error);
  object = docket_evidence_store_get_object_path (f->store, rec->sha256);
  g_assert_cmpint (g_chmod (object, 0644), ==, 0);
  g_file_set_contents (object, "damaged", -1, &error);
  g_assert_no_error (error);

  again = stage (f, 2, "footage one", &staging2);
  thumb = g_build_filename (f->dir, "thumb.png.part", NULL);
  g_file_set_contents (thumb, "png", -1, &error);
  g_assert_no_error (error);
  g_assert_true (docket_evidence_store_commit (f->store, staging2, thumb, again, "test", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (object, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0444);
  g_clear_pointer (&thumb, g_free);
  thumb = g_build_filename (f->dir, again->thumbnail, NULL);
  g_assert_cmpint (g_stat (thumb, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0444);
}

/* A kill between the rename into objects/ and the commit: @content's file
 * sits in objects/ with no row. Returns its hash. */
static gchar *
plant_uncommitted (Fixture *f, guint32 id, const gchar *content)
{
  g_autofree gchar *staging = NULL;
  g_autoptr (DocketStoredRecording) rec = stage (f, id, content, &staging);
  g_autofree gchar *object = docket_evidence_store_get_object_path (f->store, rec->sha256);
  g_autofree gchar *dir = g_path_get_dirname (object);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0750), ==, 0);
  g_assert_cmpint (g_rename (staging, object), ==, 0);
  g_assert_cmpint (g_chmod (object, 0444), ==, 0);
  return g_strdup (rec->sha256);
}

static void
test_strays_set_aside (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *staging = NULL;
  g_autoptr (DocketStoredRecording) rec = stage (f, 1, "committed footage", &staging);
  g_autofree gchar *stray = NULL;
  g_autofree gchar *stray_object = NULL;
  g_autofree gchar *kept = NULL;
  g_autofree gchar *kept_again = NULL;
  g_autofree gchar *committed = NULL;
  g_autofree gchar *content = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GPtrArray) audit = NULL;
  g_autoptr (GPtrArray) chain = NULL;
  g_autoptr (GVariant) details = NULL;
  const gchar *sha256 = NULL;
  guint64 size = 0;
  DocketAuditEntry *last;

  g_assert_true (docket_evidence_store_commit (f->store, staging, NULL, rec, "test", &error));
  g_assert_no_error (error);
  stray = plant_uncommitted (f, 2, "footage whose commit was cut off");
  stray_object = docket_evidence_store_get_object_path (f->store, stray);
  problems = docket_evidence_store_verify_files (f->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 1);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* docketd's start: open, then set aside. */
  g_clear_object (&f->store);
  f->store = docket_evidence_store_open (f->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (docket_evidence_store_set_aside_strays (f->store, &error), ==, 1);
  g_assert_no_error (error);

  /* Moved, never deleted; the committed file stays where it is. */
  kept = g_build_filename (f->dir, "strays", stray, NULL);
  g_assert_false (g_file_test (stray_object, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (kept, &content, NULL, &error));
  g_assert_cmpstr (content, ==, "footage whose commit was cut off");
  committed = docket_evidence_store_get_object_path (f->store, rec->sha256);
  g_assert_true (g_file_test (committed, G_FILE_TEST_IS_REGULAR));

  audit = docket_audit_log_list (docket_evidence_store_get_audit_log (f->store), 0, 0, &error);
  g_assert_no_error (error);
  last = g_ptr_array_index (audit, audit->len - 1);
  g_assert_cmpstr (last->action, ==, "stray-object-set-aside");
  g_assert_cmpstr (last->actor, ==, "docketd");
  details = g_variant_parse (G_VARIANT_TYPE_VARDICT, last->details, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (details, "sha256", "&s", &sha256));
  g_assert_cmpstr (sha256, ==, stray);
  g_assert_true (g_variant_lookup (details, "size", "t", &size));
  g_assert_cmpuint (size, ==, strlen ("footage whose commit was cut off"));

  problems = docket_evidence_store_verify_files (f->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  chain = docket_audit_log_verify (docket_evidence_store_get_audit_log (f->store), NULL, NULL,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chain->len, ==, 0);

  /* Another process's store (a second docketd) holds no lock: it moves nothing. */
  {
    g_autoptr (DocketEvidenceStore) other = docket_evidence_store_open (f->dir, &error);
    g_autoptr (GError) busy = NULL;
    g_autofree gchar *in_flight = NULL;
    g_autofree gchar *in_flight_object = NULL;

    g_assert_no_error (error);
    in_flight = plant_uncommitted (f, 4, "a commit in flight in the first process");
    in_flight_object = docket_evidence_store_get_object_path (f->store, in_flight);
    g_assert_cmpint (docket_evidence_store_set_aside_strays (other, &busy), ==, -1);
    g_assert_error (busy, DOCKET_ERROR, DOCKET_ERROR_STORE);
    g_assert_true (g_file_test (in_flight_object, G_FILE_TEST_IS_REGULAR));
    /* Its own process commits it, as the offload would. */
    g_assert_cmpint (g_unlink (in_flight_object), ==, 0);
  }

  /* Nothing left to move; the same file cut off again is kept beside the first. */
  g_assert_cmpint (docket_evidence_store_set_aside_strays (f->store, &error), ==, 0);
  g_free (plant_uncommitted (f, 3, "footage whose commit was cut off"));
  g_assert_cmpint (docket_evidence_store_set_aside_strays (f->store, &error), ==, 1);
  g_assert_no_error (error);
  kept_again = g_strdup_printf ("%s.1", kept);
  g_assert_true (g_file_test (kept, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (kept_again, G_FILE_TEST_IS_REGULAR));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store/commit", test_commit);
  ADD ("/store/verify-detects-damage", test_verify_detects_damage);
  ADD ("/store/same-content-twice", test_same_content_twice);
  ADD ("/store/quarantine", test_quarantine);
  ADD ("/store/key-change-alarm", test_key_change_alarm);
  ADD ("/store/staging-path-safe", test_staging_path_safe);
  ADD ("/store/space", test_space);
  ADD ("/store/reopen", test_reopen);
  ADD ("/store/replace-is-read-only", test_replace_is_read_only);
  ADD ("/store/strays-set-aside", test_strays_set_aside);
  return g_test_run ();
}
