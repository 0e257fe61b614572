/* test-offload-crash.c — SIGKILL the offload at random moments, at least 20
 * times: after each, every recording is still on the camera or committed and
 * verified in the store (never neither), no row lacks its file, and a file
 * whose commit was cut off is set aside into strays/ and audited.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "docket-evidence-store.h"
#include "docket-file-camera.h"
#include "docket-sha256.h"
#include "test-offload-media.h"

#define N_KILLS 24
#define PER_BATCH 4

typedef struct
{
  guint32 id;
  gchar *sha256;
} Expected;

static void
expected_free (gpointer data)
{
  Expected *e = data;

  g_free (e->sha256);
  g_free (e);
}

static void
add_batch (const gchar *camdir, GPtrArray *expected, guint *variant)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketFileCamera) camera = docket_file_camera_new (camdir, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < PER_BATCH; i++)
    {
      g_autofree gchar *media = test_media_get ("good", (*variant)++, &error);
      Expected *e = g_new0 (Expected, 1);
      g_autofree gchar *path = NULL;
      guint8 md[DOCKET_SHA256_LEN];

      g_assert_no_error (error);
      g_assert_true (docket_file_camera_add_recording (
          camera, media, g_get_real_time (), TEST_MEDIA_DURATION_MS, FALSE, &e->id, &error));
      g_assert_no_error (error);
      path = docket_file_camera_get_recording_path (camera, e->id);
      g_assert_true (docket_sha256_file (path, G_MAXUINT64, md, NULL, NULL));
      e->sha256 = docket_sha256_to_hex (md);
      g_ptr_array_add (expected, e);
    }
}

static guint
count_set_aside (DocketEvidenceStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows
      = docket_audit_log_list (docket_evidence_store_get_audit_log (store), 0, 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (((DocketAuditEntry *)rows->pdata[i])->action, "stray-object-set-aside"))
      n++;
  return n;
}

/* The invariant. Returns how many recordings are still only on the camera. */
static guint
check_recovery (const gchar *root, const gchar *camdir, GPtrArray *expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketEvidenceStore) store = docket_evidence_store_open (root, &error);
  g_autoptr (DocketFileCamera) camera = NULL;
  g_autoptr (GPtrArray) listed = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GPtrArray) audit = NULL;
  g_autoptr (GPtrArray) pending = g_ptr_array_new (); /* sha256s, of @expected */
  g_autoptr (GPtrArray) strays = g_ptr_array_new_with_free_func (g_free);
  /* Test clips repeat (their pattern is the variant modulo 20), so two
   * recordings may share one stored object: it is a stray only if no
   * committed recording names it. */
  g_autoptr (GHashTable) committed = g_hash_table_new (g_str_hash, g_str_equal);
  guint on_camera_only = 0;
  guint n_set_aside;

  g_assert_no_error (error);
  camera = docket_file_camera_new (camdir, &error);
  g_assert_no_error (error);
  listed = docket_camera_driver_list_recordings (DOCKET_CAMERA_DRIVER (camera), NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < expected->len; i++)
    {
      Expected *e = expected->pdata[i];
      g_autoptr (DocketStoredRecording) rec = NULL;
      gboolean on_camera = FALSE;

      for (guint j = 0; j < listed->len; j++)
        {
          DocketRecordingInfo *info = listed->pdata[j];
          g_autofree gchar *path = NULL;
          guint8 md[DOCKET_SHA256_LEN];
          g_autofree gchar *hex = NULL;

          if (info->id != e->id)
            continue;
          path = docket_file_camera_get_recording_path (camera, e->id);
          g_assert_true (docket_sha256_file (path, G_MAXUINT64, md, NULL, NULL));
          hex = docket_sha256_to_hex (md);
          g_assert_cmpstr (hex, ==, e->sha256);
          on_camera = TRUE;
        }
      rec = docket_evidence_store_find_recording (store, "CRASH-CAM", e->id, e->sha256, &error);
      g_assert_no_error (error);
      if (!on_camera && rec == NULL)
        g_error ("recording %u is neither on the camera nor in the store", e->id);
      if (rec != NULL)
        g_hash_table_add (committed, e->sha256);
      if (on_camera && rec == NULL)
        {
          on_camera_only++;
          g_ptr_array_add (pending, e->sha256);
        }
    }

  /* A kill between the rename into objects/ and the commit leaves the file
   * of a recording still on the camera (erase waits for the commit). docketd
   * sets such strays aside when it starts: moved to strays/, audited, kept. */
  n_set_aside = count_set_aside (store);
  for (guint i = 0; i < pending->len; i++)
    {
      const gchar *sha = pending->pdata[i];
      g_autofree gchar *name = g_strdup_printf ("%.2s/%s", sha, sha);
      g_autofree gchar *object = g_build_filename (root, "objects", name, NULL);

      if (!g_hash_table_contains (committed, sha) && g_file_test (object, G_FILE_TEST_EXISTS))
        g_ptr_array_add (strays, g_steal_pointer (&object));
    }
  g_assert_cmpint (docket_evidence_store_set_aside_strays (store, &error), ==, strays->len);
  g_assert_no_error (error);
  g_assert_cmpuint (count_set_aside (store), ==, n_set_aside + strays->len);
  for (guint i = 0; i < strays->len; i++)
    {
      g_autofree gchar *name = g_path_get_basename (strays->pdata[i]);
      g_autofree gchar *kept = g_build_filename (root, "strays", name, NULL);

      g_assert_false (g_file_test (strays->pdata[i], G_FILE_TEST_EXISTS));
      g_assert_true (g_file_test (kept, G_FILE_TEST_IS_REGULAR));
    }
  if (strays->len > 0)
    g_test_message ("%u stray file(s) set aside", strays->len);

  /* every committed row has its file, whole, and nothing else is in objects/ */
  problems = docket_evidence_store_verify_files (store, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("%s\n", (const gchar *)problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
  audit = docket_audit_log_verify (docket_evidence_store_get_audit_log (store), NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, 0);
  return on_camera_only;
}

static gint
run_helper (const gchar *helper, const gchar *root, const gchar *camdir, gint kill_after_ms)
{
  g_autoptr (GError) error = NULL;
  const gchar *argv[] = { helper, root, camdir, NULL };
  GPid pid;
  int status = 0;

  g_assert_true (g_spawn_async (NULL, (gchar **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &pid, &error));
  g_assert_no_error (error);
  if (kill_after_ms >= 0)
    {
      g_usleep ((gulong)kill_after_ms * 1000);
      kill (pid, SIGKILL);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  if (WIFSIGNALED (status))
    return -WTERMSIG (status);
  return WEXITSTATUS (status);
}

static void
test_crash_recovery (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) expected = g_ptr_array_new_with_free_func (expected_free);
  const gchar *helper = g_getenv ("DOCKET_CRASH_HELPER");
  g_autofree gchar *probe = test_media_get ("good", 0, &error);
  g_autofree gchar *dir = NULL;
  g_autofree gchar *root = NULL;
  g_autofree gchar *camdir = NULL;
  g_autofree gchar *cmd = NULL;
  guint variant = 0;
  guint kills = 0;
  gint rc;

  if (probe == NULL)
    {
      g_test_skip_printf ("cannot make test media: %s", error->message);
      return;
    }
  if (helper == NULL)
    {
      g_test_skip ("DOCKET_CRASH_HELPER not set");
      return;
    }
  dir = g_dir_make_tmp ("docket-crash-XXXXXX", &error);
  root = g_build_filename (dir, "store", NULL);
  camdir = g_build_filename (dir, "camera", NULL);
  g_clear_error (&error);
  {
    g_autoptr (DocketFileCamera) camera = docket_file_camera_create (camdir, "CRASH-CAM", &error);
    g_assert_no_error (error);
  }
  add_batch (camdir, expected, &variant);

  while (kills < N_KILLS)
    {
      gint after = g_test_rand_int_range (0, 900);

      rc = run_helper (helper, root, camdir, after);
      if (rc == -SIGKILL)
        kills++;
      else
        g_assert_cmpint (rc, ==, 0); /* finished before the kill */
      if (check_recovery (root, camdir, expected) == 0)
        add_batch (camdir, expected, &variant); /* keep it busy */
    }
  g_test_message ("%u kills, %u recordings", kills, expected->len);

  /* left alone, it finishes the job */
  g_assert_cmpint (run_helper (helper, root, camdir, -1), ==, 0);
  g_assert_cmpuint (check_recovery (root, camdir, expected), ==, 0);

  cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", dir, dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/offload/crash-recovery", test_crash_recovery);
  return g_test_run ();
}
