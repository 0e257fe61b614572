/* test-people-fixture.h — an evidence store with recordings for the people,
 * tags and review tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdlib.h>
#include <string.h>

#include "docket-evidence-store.h"
#include "docket-people.h"
#include "docket-review.h"
#include "docket-sha256.h"
#include "docket-station-config.h"
#include "docket-tags.h"

typedef struct
{
  gchar *dir;
  DocketEvidenceStore *store;
  DocketStationConfig *config;
  DocketPeople *people;
  DocketTags *tags;
  DocketReview *review;
  guint32 next_id;
} PeopleFixture;

static inline void
people_fixture_setup_with (PeopleFixture *f, const gchar *conf)
{
  g_autoptr (GError) error = NULL;
  DocketCameraIdentity identity = { 0 };

  f->dir = g_dir_make_tmp ("docket-people-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = docket_evidence_store_open (f->dir, &error);
  g_assert_no_error (error);
  docket_evidence_store_set_reserve_bytes (f->store, 0);
  f->config = conf != NULL ? docket_station_config_load_from_data (conf, &error)
                           : docket_station_config_new_default ();
  g_assert_no_error (error);
  f->people = docket_people_new (f->store, f->config);
  f->tags = docket_tags_new (f->store, f->config);
  f->review = docket_review_new (f->store, f->config);
  identity.serial = g_strdup ("CAM-1");
  identity.vendor = g_strdup ("Test");
  identity.model = g_strdup ("T1");
  memset (identity.public_key, 7, sizeof identity.public_key);
  g_assert_true (docket_evidence_store_enrol_camera (f->store, &identity, NULL, &error));
  g_assert_no_error (error);
  docket_camera_identity_clear (&identity);
}

static inline void
people_fixture_teardown (PeopleFixture *f, gconstpointer data)
{
  g_autofree gchar *cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", f->dir, f->dir);

  g_clear_object (&f->review);
  g_clear_object (&f->tags);
  g_clear_object (&f->people);
  g_clear_object (&f->config);
  g_clear_object (&f->store);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

/* Commits a recording by @officer (NULL: the camera's assignee) starting
 * at @start_usec, committed at @committed_usec; returns its id. */
static inline gint64 people_fixture_add_recording_drifted (PeopleFixture *f,
                                                           const gchar *officer,
                                                           gint64 start_usec,
                                                           gint64 committed_usec,
                                                           gint64 clock_drift_ms);

static inline gint64
people_fixture_add_recording (PeopleFixture *f,
                              const gchar *officer,
                              gint64 start_usec,
                              gint64 committed_usec)
{
  return people_fixture_add_recording_drifted (f, officer, start_usec, committed_usec, 0);
}

/* The same, from a camera whose clock was @clock_drift_ms ahead of the
 * kiosk's when it docked (@start_usec is on the camera's clock). */
static inline gint64
people_fixture_add_recording_drifted (PeopleFixture *f,
                                      const gchar *officer,
                                      gint64 start_usec,
                                      gint64 committed_usec,
                                      gint64 clock_drift_ms)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStoredRecording) rec = docket_stored_recording_new ();
  g_autofree gchar *content = NULL;
  g_autofree gchar *staging = NULL;
  guint8 digest[DOCKET_SHA256_LEN];
  guint32 id = ++f->next_id;

  content = g_strdup_printf ("footage %u", id);
  staging = docket_evidence_store_get_staging_path (f->store, "CAM-1", id);
  g_file_set_contents (staging, content, -1, &error);
  g_assert_no_error (error);
  g_assert_true (docket_sha256_file (staging, G_MAXUINT64, digest, NULL, &error));
  rec->camera_serial = g_strdup ("CAM-1");
  rec->camera_recording_id = id;
  rec->name = g_strdup_printf ("clip%u.mp4", id);
  rec->officer = g_strdup (officer);
  rec->start_usec = start_usec;
  rec->duration_ms = 30000;
  rec->clock_drift_ms = clock_drift_ms;
  rec->size = strlen (content);
  rec->sha256 = docket_sha256_to_hex (digest);
  rec->camera_sha256 = g_strdup (rec->sha256);
  rec->signature_status = g_strdup (DOCKET_SIGNATURE_STATUS_VALID);
  g_assert_true (docket_evidence_store_commit (f->store, staging, NULL, rec, "test", &error));
  g_assert_no_error (error);
  if (committed_usec != 0)
    {
      g_autofree gchar *sql
          = g_strdup_printf ("UPDATE recordings SET committed_usec = %" G_GINT64_FORMAT
                             " WHERE id = %" G_GINT64_FORMAT,
                             committed_usec, rec->id);
      g_assert_true (
          docket_database_exec (docket_evidence_store_get_database (f->store), sql, &error));
    }
  return rec->id;
}

/* Audit rows with @action. */
static inline guint
people_fixture_count_audit (PeopleFixture *f, const gchar *action)
{
  g_autoptr (GPtrArray) rows
      = docket_audit_log_list (docket_evidence_store_get_audit_log (f->store), 0, 0, NULL);
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    n += g_strcmp0 (((DocketAuditEntry *)rows->pdata[i])->action, action) == 0;
  return n;
}
