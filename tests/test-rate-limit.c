/* test-rate-limit.c — the kiosk's bandwidth limit, shared by its connections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-rate-limit.h"

#define SEC G_USEC_PER_SEC

static void
test_none (void)
{
  g_autoptr (DocketRateLimit) limit = docket_rate_limit_new ();

  g_assert_cmpint (docket_rate_limit_reserve (limit, 1 << 30, 5 * SEC), ==, 5 * SEC);
  g_assert_cmpuint (docket_rate_limit_chunk (limit, 1 << 20), ==, 1 << 20);
}

/* Three connections booking in turn get the limit between them, not each:
 * a body alone on the wire would get all of it. */
static void
test_shared (void)
{
  g_autoptr (DocketRateLimit) limit = docket_rate_limit_new ();
  gint64 now = 10 * SEC, start = 0;

  docket_rate_limit_set_rate (limit, 1000000);
  /* A quarter of a second's worth goes at once. */
  g_assert_cmpint (docket_rate_limit_reserve (limit, 250000, now), ==, now);
  /* Then 3 MB from three connections take 3 s in all, one at a time. */
  for (guint i = 0; i < 300; i++)
    start = docket_rate_limit_reserve (limit, 10000, now);
  g_assert_cmpint (start, ==, now + 3 * SEC);
  /* One connection alone later gets the whole rate again. */
  now = start + 10 * SEC;
  g_assert_cmpint (docket_rate_limit_reserve (limit, 250000, now), ==, now);
  g_assert_cmpint (docket_rate_limit_reserve (limit, 500000, now), ==, now + SEC / 2);
}

/* Throttle hours: a lower rate holds from when it is set; what was earned
 * before is kept, up to the new quarter second. */
static void
test_rate_change (void)
{
  g_autoptr (DocketRateLimit) limit = docket_rate_limit_new ();
  gint64 now = g_get_monotonic_time ();

  docket_rate_limit_set_rate (limit, 4000000);
  g_assert_cmpint (docket_rate_limit_reserve (limit, 1000000, now), ==, now);
  docket_rate_limit_set_rate (limit, 100000);
  g_assert_cmpint (docket_rate_limit_get_rate (limit), ==, 100000);
  /* A tenth of a second's worth per read, at least 1 KiB. */
  g_assert_cmpuint (docket_rate_limit_chunk (limit, 1 << 20), ==, 10000);
  docket_rate_limit_set_rate (limit, 1000);
  g_assert_cmpuint (docket_rate_limit_chunk (limit, 1 << 20), ==, 1024);
  g_assert_cmpuint (docket_rate_limit_chunk (limit, 100), ==, 100);
  /* Off again: nothing waits. */
  docket_rate_limit_set_rate (limit, 0);
  g_assert_cmpint (docket_rate_limit_reserve (limit, 1 << 30, now), ==, now);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static gpointer
take_thread (gpointer user_data)
{
  GCancellable *cancellable = user_data;
  g_autoptr (DocketRateLimit) limit = docket_rate_limit_new ();

  docket_rate_limit_set_rate (limit, 1000);
  g_assert_true (docket_rate_limit_take (limit, 250, cancellable));
  /* An hour's worth: only a pause or stop ends the wait. */
  return GINT_TO_POINTER (docket_rate_limit_take (limit, 3600 * 1000, cancellable));
}

/* A pause does not wait for the budget. */
static void
test_take_cancelled (void)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  GThread *thread = g_thread_new ("take", take_thread, cancellable);

  g_timeout_add (100, cancel_cb, cancellable);
  while (!g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (GPOINTER_TO_INT (g_thread_join (thread)));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rate-limit/none", test_none);
  g_test_add_func ("/rate-limit/shared", test_shared);
  g_test_add_func ("/rate-limit/rate-change", test_rate_change);
  g_test_add_func ("/rate-limit/take-cancelled", test_take_cancelled);
  return g_test_run ();
}
