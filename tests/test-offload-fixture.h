/* test-offload-fixture.h — a store and a file-backed camera for the offload tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by test-offload.c (the copy and commit path), test-offload-checks.c
 * (what the checks refuse or flag) and test-offload-manager.c. Each test
 * starts with a fresh store and CAM-A holding three good recordings; when
 * the test media cannot be made, the fixture skips and f->dir is NULL.
 */
#pragma once

#include "docket-evidence-store.h"
#include "docket-file-camera.h"
#include "docket-offload-job.h"
#include "docket-offload-manager.h"

G_BEGIN_DECLS

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

/* gst_init, g_test_init and Docket's elements. */
void test_offload_init (int *argc, char ***argv);

#define TEST_OFFLOAD_ADD(name, fn)                                                                 \
  g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)

void fixture_setup (Fixture *f, gconstpointer data);
void fixture_teardown (Fixture *f, gconstpointer data);

/* FALSE when the test cannot run here (no media, or no DOCKET_MEDIA_HELPER
 * for a test that replaces it): the test is then skipped. */
gboolean fixture_ready (Fixture *f);
gboolean fixture_ready_with_helper (Fixture *f);

/* A camera @serial in f->dir with @n good recordings, variants from
 * @first_variant on. */
DocketFileCamera *make_camera (Fixture *f, const gchar *serial, guint n, guint first_variant);

/* A job on @camera whose signals count into @f. */
DocketOffloadJob *new_job (Fixture *f, DocketFileCamera *camera);

guint camera_count (DocketFileCamera *camera);
guint count_rows (Fixture *f, const gchar *state);
guint count_audit (Fixture *f, const gchar *action);
guint count_thumbnails (Fixture *f);
/* Every stored file and the audit log verify. */
void assert_store_whole (Fixture *f);
/* A sha256 no recording has: the camera lies about one. */
#define BAD_SHA256 "00000000000000000000000000000000000000000000000000000000000000ff"

/* Changes @key of CAM-A's recording @id in its manifest. */
void set_manifest (Fixture *f, guint32 id, const gchar *key, const gchar *value);

/* An executable shell script @name in f->dir with @text; its path. */
gchar *write_script (Fixture *f, const gchar *name, const gchar *text);

/* A media helper whose @step ("parse", "thumbnail") waits for the file @go
 * (bounded), the real one otherwise; the path of the script. */
gchar *make_held_helper (Fixture *f, const gchar *step, const gchar *go);

/* Staging paths of CAM-A's first two recordings, and what the second one
 * must grow to, for a thread that watches a copy overlap a check. */
typedef struct
{
  gchar *first_staging;
  gchar *second_staging;
  guint64 second_size;
  gchar *go;
  gboolean overlapped;
} OverlapWatch;

void overlap_watch_init (Fixture *f, OverlapWatch *w);
void overlap_watch_clear (OverlapWatch *w);
/* Waits (bounded) until the second recording is wholly staged while the
 * first is still waiting for its commit; sets w->overlapped. */
void overlap_watch_wait (OverlapWatch *w);

/* ---- manager ---- */

typedef struct
{
  guint finished;
  guint max_running;
  GError *last_error;
  DocketOffloadManager *manager;
  DocketCamera *a; /* CAM-A in slot 1-1, not yet added */
} ManagerState;

/* A manager on f->store whose job-started and job-finished count into @s,
 * and CAM-A as a docked camera. */
void manager_state_init (Fixture *f, ManagerState *s);
void manager_state_clear (ManagerState *s);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ManagerState, manager_state_clear)

/* Runs the main loop until @manager has nothing left to do (the manager
 * makes thumbnails after job-finished: the fixture removes the store). */
void wait_idle (DocketOffloadManager *manager);

G_END_DECLS
