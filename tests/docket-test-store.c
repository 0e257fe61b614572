/* docket-test-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "docket-sha256.h"
#include "docket-signature.h"
#include "docket-test-store.h"

void
docket_test_store_clear (DocketTestStore *info)
{
  g_clear_pointer (&info->sha256, g_free);
  g_clear_pointer (&info->object, g_free);
  g_clear_pointer (&info->quarantine, g_free);
}

static void
commit_signed (const guint8 *camera_secret,
               DocketEvidenceStore *store,
               guint32 id,
               const gchar *contents,
               gchar **out_sha)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStoredRecording) rec = docket_stored_recording_new ();
  g_autofree gchar *staging = docket_evidence_store_get_staging_path (store, "CAM-0001", id);
  DocketRecordingInfo info = { 0 };

  g_file_set_contents (staging, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_true (docket_sha256_file (staging, G_MAXUINT64, info.sha256, NULL, &error));
  info.id = id;
  info.start_usec = 1700000000000000 + id;
  info.size = strlen (contents);
  g_assert_true (docket_signature_sign ("CAM-0001", &info, camera_secret, info.signature, &error));
  rec->camera_serial = g_strdup ("CAM-0001");
  rec->camera_recording_id = id;
  rec->name = g_strdup_printf ("clip-%u", id);
  rec->start_usec = info.start_usec;
  rec->size = info.size;
  rec->sha256 = docket_sha256_to_hex (info.sha256);
  rec->camera_sha256 = g_strdup (rec->sha256);
  rec->camera_signature = docket_hex_encode (info.signature, sizeof info.signature);
  rec->signature_status = g_strdup (DOCKET_SIGNATURE_STATUS_VALID);
  docket_evidence_store_commit (store, staging, NULL, rec, "test", &error);
  g_assert_no_error (error);
  if (out_sha != NULL)
    *out_sha = g_strdup (rec->sha256);
}

void
docket_test_store_make (const gchar *dir, const gchar *name, DocketTestStore *out)
{
  guint8 camera_secret[crypto_sign_SECRETKEYBYTES];
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketEvidenceStore) store = NULL;
  g_autoptr (DocketStoredRecording) bad = docket_stored_recording_new ();
  g_autoptr (DocketStationKey) key = NULL;
  g_autoptr (DocketAuditAnchor) anchor = NULL;
  g_auto (DocketCameraIdentity) identity = { 0 };
  g_autofree gchar *root = g_build_filename (dir, name, NULL);
  g_autofree gchar *staging = NULL;
  g_autofree gchar *key_path = NULL;
  guint8 digest[DOCKET_SHA256_LEN];
  DocketAuditLog *audit;

  g_assert_cmpint (sodium_init (), >=, 0);
  store = docket_evidence_store_open (root, &error);
  g_assert_no_error (error);
  docket_evidence_store_set_reserve_bytes (store, 0);

  identity.serial = g_strdup ("CAM-0001");
  identity.vendor = g_strdup ("Test");
  identity.model = g_strdup ("T1");
  crypto_sign_keypair (identity.public_key, camera_secret);
  g_assert_true (docket_evidence_store_enrol_camera (store, &identity, NULL, &error));
  g_assert_no_error (error);

  commit_signed (camera_secret, store, 1, "footage", &out->sha256);
  commit_signed (camera_secret, store, 2, "more footage", NULL);
  g_assert_true (docket_database_exec (
      docket_evidence_store_get_database (store),
      "INSERT INTO tags (recording_id, category, case_number, tagged_by, tagged_usec)"
      " VALUES (1, 'evidence', '2026-0042', 'officer:1234', 1),"
      " (2, 'evidence', '2026-0042', 'officer:1234', 1)",
      &error));
  g_assert_no_error (error);

  /* A copy that failed verification. */
  staging = docket_evidence_store_get_staging_path (store, "CAM-0001", 3);
  g_file_set_contents (staging, "damaged", -1, &error);
  g_assert_no_error (error);
  g_assert_true (docket_sha256_file (staging, G_MAXUINT64, digest, NULL, &error));
  bad->camera_serial = g_strdup ("CAM-0001");
  bad->camera_recording_id = 3;
  bad->name = g_strdup ("clip-3");
  bad->size = 7;
  bad->sha256 = docket_sha256_to_hex (digest);
  bad->camera_sha256 = g_strdup ("00");
  bad->problem = g_strdup ("The copy's SHA-256 does not match the camera's");
  g_assert_true (docket_evidence_store_quarantine (store, staging, bad, "test", &error));
  g_assert_no_error (error);

  audit = docket_evidence_store_get_audit_log (store);
  g_assert_cmpint (docket_audit_log_append (audit, "officer:1234", "recording-viewed",
                                            "recording:1", "Tagging", NULL, &error),
                   >, 0);
  g_assert_no_error (error);

  /* What docketd does at start and every minute. */
  key_path = g_build_filename (dir, "keys", "station.key", NULL);
  key = docket_station_key_load_or_create (key_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (docket_evidence_store_set_station_key (store, key, &error));
  g_assert_true (docket_evidence_store_anchor (store, key, &anchor, &error));
  g_assert_no_error (error);
  g_assert_nonnull (anchor);

  out->object = docket_evidence_store_get_object_path (store, out->sha256);
  out->quarantine = g_build_filename (root, bad->thumbnail, NULL);
}
