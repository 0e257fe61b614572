/* bench-review-queue.c — review queues and the tagging list with 100,000 recordings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opens every sergeant queue (first page of 50 and the total) and an
 * officer's untagged list, first on an empty store (the baseline, same
 * run), then on a store holding DOCKET_BENCH_RECORDINGS rows (default
 * 100,000: 20 officers, a year of footage, 80% tagged, some needing review,
 * sampled, restricted or asked to be deleted). Prints the median of 7 runs
 * in ms and the ratio to the empty store. Goal: every queue under 200 ms.
 * Not a pass/fail test.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-store.h"
#include "docket-review.h"
#include "docket-tags.h"

#define T0 ((gint64)1700000000 * G_USEC_PER_SEC)
#define RUNS 7

static const gchar *const queues[]
    = { DOCKET_QUEUE_OVERDUE, DOCKET_QUEUE_REVIEW, DOCKET_QUEUE_DELETION, DOCKET_QUEUE_SAMPLE };

typedef struct
{
  gchar *dir;
  DocketEvidenceStore *store;
  DocketStationConfig *config;
  DocketReview *review;
  DocketTags *tags;
} Store;

static void
store_open (Store *s)
{
  s->store = bench_store_open ("docket-bench-review", &s->dir);
  s->config = docket_station_config_new_default ();
  s->review = docket_review_new (s->store, s->config);
  s->tags = docket_tags_new (s->store, s->config);
}

static void
store_close (Store *s)
{
  g_clear_object (&s->review);
  g_clear_object (&s->tags);
  g_clear_object (&s->config);
  g_clear_object (&s->store);
  bench_store_remove (s->dir);
  g_free (s->dir);
}

static void
fill (Store *s, guint n)
{
  g_autofree gchar *sql = g_strdup_printf (
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u)"
      " INSERT INTO recordings (camera_id, camera_recording_id, name, officer, start_usec,"
      " duration_ms, size, sha256, camera_sha256, signature_status, state, committed_usec)"
      " SELECT 1, i, 'clip.mp4', 'B' || (i %% 20), %" G_GINT64_FORMAT " + i * 300000000, 60000,"
      " 1000000, printf('%%064x', i), printf('%%064x', i), 'valid', 'verified',"
      " %" G_GINT64_FORMAT " + i * 300000000 + 3600000000 FROM n;"
      "INSERT INTO tags (recording_id, category, restricted, tagged_by, tagged_usec, review_state)"
      " SELECT id,"
      "  CASE WHEN id %% 97 = 0 THEN 'victim-interview' WHEN id %% 50 = 1 THEN 'use-of-force'"
      "   ELSE 'traffic-stop' END,"
      "  id %% 97 = 0, officer, committed_usec,"
      "  CASE WHEN id %% 50 = 1 THEN 'pending' WHEN id %% 20 = 3 THEN 'sample'"
      "   ELSE 'approved' END"
      " FROM recordings WHERE id %% 5 != 0;"
      "INSERT INTO deletion_requests (recording_id, requested_by, reason, requested_usec)"
      " SELECT id, officer, 'accidental', committed_usec FROM recordings WHERE id %% 200 = 7;"
      "ANALYZE;",
      n, T0, T0);

  bench_store_fill (s->store, sql);
}

static gdouble
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gdouble)ts.tv_sec * 1000.0 + (gdouble)ts.tv_nsec / 1e6;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;

  return x < y ? -1 : x > y;
}

/* Median wall-clock ms of opening @queue (NULL: the officer's untagged
 * list); @out_cpu_ms: the median CPU time, steadier on a loaded machine. */
static gdouble
measure (Store *s, const gchar *queue, guint *out_total, gdouble *out_cpu_ms)
{
  g_autoptr (DocketPerson) sergeant = docket_person_new ("S-1", "Sergeant", DOCKET_ROLE_SERGEANT);
  g_autoptr (DocketPerson) officer = docket_person_new ("B0", "Officer", DOCKET_ROLE_OFFICER);
  gint64 now = T0 + (gint64)400 * 24 * 3600 * G_USEC_PER_SEC;
  gdouble ms[RUNS];
  gdouble cpu[RUNS];

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) page = NULL;
      gint64 start = g_get_monotonic_time ();
      gdouble cpu_start = cpu_ms ();

      if (queue != NULL)
        page
            = docket_review_queue (s->review, sergeant, queue, NULL, 0, 50, now, out_total, &error);
      else
        page = docket_tags_list_untagged (s->tags, officer, 0, 50, out_total, NULL, &error);
      ms[r] = (gdouble)(g_get_monotonic_time () - start) / 1000.0;
      cpu[r] = cpu_ms () - cpu_start;
      g_assert_no_error (error);
    }
  qsort (ms, RUNS, sizeof ms[0], compare_double);
  qsort (cpu, RUNS, sizeof cpu[0], compare_double);
  *out_cpu_ms = cpu[RUNS / 2];
  return ms[RUNS / 2];
}

int
main (int argc, char **argv)
{
  const gchar *env = g_getenv ("DOCKET_BENCH_RECORDINGS");
  guint n = env != NULL ? (guint)g_ascii_strtoull (env, NULL, 10) : 100000;
  Store empty = { 0 };
  Store full = { 0 };
  gdouble base[G_N_ELEMENTS (queues) + 1];
  gint64 start;

  store_open (&empty);
  store_open (&full);
  start = g_get_monotonic_time ();
  fill (&full, n);
  g_print ("filled %u recordings in %.1f s\n", n,
           (gdouble)(g_get_monotonic_time () - start) / G_USEC_PER_SEC);

  g_print ("%-10s %10s %10s %8s %12s %8s\n", "queue", "empty ms", "full ms", "ratio", "full cpu ms",
           "total");
  for (guint i = 0; i <= G_N_ELEMENTS (queues); i++)
    {
      const gchar *queue = i < G_N_ELEMENTS (queues) ? queues[i] : NULL;
      guint total = 0;
      gdouble ms, cpu;

      base[i] = measure (&empty, queue, &total, &cpu);
      ms = measure (&full, queue, &total, &cpu);
      g_print ("%-10s %10.2f %10.2f %8.1f %12.2f %8u%s\n", queue != NULL ? queue : "untagged",
               base[i], ms, ms / MAX (base[i], 0.001), cpu, total,
               ms > 200.0 ? "  OVER 200 ms" : "");
    }
  store_close (&empty);
  store_close (&full);
  return 0;
}
