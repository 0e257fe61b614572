/* bench-retention.c — a retention purge pass over 100,000 recordings, 10,000 due
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fills a store with DOCKET_BENCH_RECORDINGS rows (default 100,000) of which
 * a tenth are past their retention (each with a small object file, so the
 * pass really unlinks), then times: a pass over an empty store (the
 * baseline, same run), a dry run (the plan and forecast, what IT's page
 * asks for), and the real pass (one audit row and one unlink per purged
 * recording, committed in batches). Prints wall-clock ms and the ratio to
 * the empty pass. Not a pass/fail test, but it checks the count and that
 * the files are gone.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bench-store.h"
#include "docket-retention.h"

#define T0 ((gint64)1700000000 * G_USEC_PER_SEC)
#define DAY ((gint64)24 * 3600 * G_USEC_PER_SEC)

typedef struct
{
  gchar *dir;
  DocketEvidenceStore *store;
  DocketStationConfig *config;
  DocketRetention *retention;
} Store;

static void
store_open (Store *s)
{
  s->store = bench_store_open ("docket-bench-retention", &s->dir);
  s->config = docket_station_config_new_default ();
  s->retention = docket_retention_new (s->store, s->config);
}

static void
store_close (Store *s)
{
  g_clear_object (&s->retention);
  g_clear_object (&s->config);
  g_clear_object (&s->store);
  bench_store_remove (s->dir);
  g_free (s->dir);
}

/* @n recordings, the first @due of them a traffic stop (180 days) started
 * at T0, the rest use of force (365 days) started 100 days later: at
 * T0 + 200 days exactly @due are past their retention. */
static void
fill (Store *s, guint n, guint due)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = g_strdup_printf (
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u)"
      " INSERT INTO recordings (camera_id, camera_recording_id, name, officer, start_usec,"
      " duration_ms, size, sha256, camera_sha256, signature_status, state, committed_usec)"
      " SELECT 1, i, 'clip.mp4', 'B' || (i %% 20),"
      " CASE WHEN i <= %u THEN %" G_GINT64_FORMAT " ELSE %" G_GINT64_FORMAT " END, 60000,"
      " 1000000, printf('%%064x', i), printf('%%064x', i), 'valid', 'verified',"
      " %" G_GINT64_FORMAT " FROM n;"
      "INSERT INTO tags (recording_id, category, restricted, tagged_by, tagged_usec, review_state)"
      " SELECT id, CASE WHEN id <= %u THEN 'traffic-stop' ELSE 'use-of-force' END, 0, officer,"
      " committed_usec, 'approved' FROM recordings;"
      "ANALYZE;",
      n, due, T0, T0 + 100 * DAY, T0, due);

  bench_store_fill (s->store, sql);
  for (guint i = 1; i <= due; i++)
    {
      g_autofree gchar *hex = g_strdup_printf ("%064x", i);
      g_autofree gchar *path = docket_evidence_store_get_object_path (s->store, hex);
      g_autofree gchar *parent = g_path_get_dirname (path);

      g_mkdir_with_parents (parent, 0700);
      g_assert_true (g_file_set_contents (path, "x", 1, &error));
    }
}

static gdouble
pass_ms (Store *s, gboolean dry_run, guint *out_purged, guint *out_due)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (DocketRetentionPlan) plan
      = docket_retention_run (s->retention, "bench", T0 + 200 * DAY, dry_run, &error);
  gdouble ms = (gdouble)(g_get_monotonic_time () - start) / 1000.0;

  g_assert_no_error (error);
  *out_purged = plan->purged;
  *out_due = plan->due->len;
  return ms;
}

int
main (int argc, char **argv)
{
  const gchar *env = g_getenv ("DOCKET_BENCH_RECORDINGS");
  guint n = env != NULL ? (guint)g_ascii_strtoull (env, NULL, 10) : 100000;
  guint due = n / 10;
  Store empty = { 0 }, full = { 0 };
  guint purged = 0, planned = 0, files_left = 0;
  gdouble empty_ms, dry_ms, run_ms, again_ms;

  store_open (&empty);
  empty_ms = pass_ms (&empty, FALSE, &purged, &planned);
  store_close (&empty);

  store_open (&full);
  fill (&full, n, due);
  dry_ms = pass_ms (&full, TRUE, &purged, &planned);
  g_assert_cmpuint (planned, ==, due);
  g_assert_cmpuint (purged, ==, 0);
  run_ms = pass_ms (&full, FALSE, &purged, &planned);
  g_assert_cmpuint (purged, ==, due);
  again_ms = pass_ms (&full, FALSE, &purged, &planned);
  g_assert_cmpuint (purged, ==, 0);
  for (guint i = 1; i <= due; i++)
    {
      g_autofree gchar *hex = g_strdup_printf ("%064x", i);
      g_autofree gchar *path = docket_evidence_store_get_object_path (full.store, hex);

      files_left += g_file_test (path, G_FILE_TEST_EXISTS);
    }
  g_assert_cmpuint (files_left, ==, 0);
  store_close (&full);

  g_print ("retention pass, %u recordings, %u due\n", n, due);
  g_print ("  empty store:         %8.1f ms\n", empty_ms);
  g_print ("  dry run (plan):      %8.1f ms  (%.0fx empty)\n", dry_ms,
           dry_ms / MAX (empty_ms, 0.001));
  g_print ("  purge %u:          %8.1f ms  (%.0fx empty, %.2f ms a recording)\n", due, run_ms,
           run_ms / MAX (empty_ms, 0.001), run_ms / MAX (due, 1));
  g_print ("  next pass (nothing): %8.1f ms\n", again_ms);
  return 0;
}
