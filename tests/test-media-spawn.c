/* test-media-spawn.c — helpers started by docket_media_spawn(), or ahead of their file, end with
 * docketd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "docket-error.h"
#include "docket-media-spawn.h"

/* A helper script in @dir: "touch STARTED", then @body. */
static gchar *
write_helper (const gchar *dir, const gchar *body)
{
  g_autofree gchar *started = g_build_filename (dir, "started", NULL);
  g_autofree gchar *text = g_strdup_printf ("#!/bin/sh\ntouch '%s'\n%s\n", started, body);
  gchar *script = g_build_filename (dir, "helper", NULL);

  g_assert_true (g_file_set_contents (script, text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  return script;
}

static void
wait_started (const gchar *dir)
{
  g_autofree gchar *started = g_build_filename (dir, "started", NULL);

  for (guint i = 0; i < 1000 && !g_file_test (started, G_FILE_TEST_EXISTS); i++)
    g_usleep (10 * 1000);
  g_assert_true (g_file_test (started, G_FILE_TEST_EXISTS));
}

static void
remove_dir (const gchar *dir)
{
  const gchar *names[] = { "started", "helper", "input" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree gchar *path = g_build_filename (dir, names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* A helper started ahead of its file: the script of the test's data, which
 * has said it started, and the file it is to get. */
typedef struct
{
  gchar *dir;
  gchar *input;
  DocketMediaSpawnStarted *started; /* until the test takes it */
} Started;

static void
started_set_up (Started *f, gconstpointer body)
{
  g_autofree gchar *script = NULL;
  const gchar *args[] = { "parse", "1000", "0", NULL };
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("docket-spawn-XXXXXX", NULL);
  f->input = g_build_filename (f->dir, "input", NULL);
  script = write_helper (f->dir, body);
  g_assert_true (g_file_set_contents (f->input, "x", 1, NULL));
  f->started = docket_media_spawn_start (script, args, &error);
  g_assert_no_error (error);
  wait_started (f->dir);
}

static void
started_tear_down (Started *f, gconstpointer body)
{
  docket_media_spawn_started_free (f->started);
  remove_dir (f->dir);
  g_free (f->input);
  g_free (f->dir);
}

/* Started ahead, the helper has the request on its stdin only once the
 * file is handed over; the deadline counts from then, not from the start
 * (the copy may take minutes). */
static void
test_started_gets_file (Started *f, gconstpointer body)
{
  g_auto (DocketMediaSpawnResult) result = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (docket_media_spawn_get_n_running (), ==, 1);
  /* longer than the time it is given after the hand-over */
  g_usleep (2500 * 1000);
  g_assert_true (docket_media_spawn_finish (g_steal_pointer (&f->started), f->input, 2000, 1024,
                                            NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_true (result.exited);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpmem (g_bytes_get_data (result.output, NULL), g_bytes_get_size (result.output),
                   "got parse\n", 10);
  g_assert_cmpuint (docket_media_spawn_get_n_running (), ==, 0);
}

/* One that never answers after the hand-over is killed at the deadline. */
static void
test_started_never_answers (Started *f, gconstpointer body)
{
  g_auto (DocketMediaSpawnResult) result = { 0 };
  g_autoptr (GError) error = NULL;
  GLogLevelFlags fatal;
  gint64 t0;

  t0 = g_get_monotonic_time ();
  /* The kill is warned about, on purpose here. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_assert_false (docket_media_spawn_finish (g_steal_pointer (&f->started), f->input, 300, 1024,
                                             NULL, &result, &error));
  g_log_set_always_fatal (fatal);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 300 * 1000);
  g_assert_cmpuint (docket_media_spawn_get_n_running (), ==, 0);
}

/* One that ended before it had the file said nothing about the file: the
 * caller is told so, to start a fresh one. */
static void
test_started_gone_before_file (Started *f, gconstpointer body)
{
  g_auto (DocketMediaSpawnResult) result = { 0 };
  g_autoptr (GError) error = NULL;

  g_usleep (500 * 1000); /* it exits right after */
  g_assert_false (docket_media_spawn_finish (g_steal_pointer (&f->started), f->input, 1000, 1024,
                                             NULL, &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_cmpuint (docket_media_spawn_get_n_running (), ==, 0);
}

/* One not needed after all (the copy failed, the job was cancelled) is
 * killed when it is freed. */
static void
test_started_freed_kills (Started *f, gconstpointer body)
{
  g_assert_cmpuint (docket_media_spawn_get_n_running (), ==, 1);
  docket_media_spawn_started_free (g_steal_pointer (&f->started));
  g_assert_cmpuint (docket_media_spawn_get_n_running (), ==, 0);
}

typedef struct
{
  const gchar *input;
  const gchar *marker;
  gboolean ok;
  GError *error;
} Run;

/* A helper that says it started, then waits far past the test. */
static gpointer
run_helper (gpointer data)
{
  Run *run = data;
  g_autofree gchar *script = g_strdup_printf ("touch '%s'; exec sleep 600", run->marker);
  const gchar *args[] = { "-c", script, NULL };
  DocketMediaSpawnResult result = { 0 };

  run->ok = docket_media_spawn ("/bin/sh", args, run->input, 600 * 1000, 1024, NULL, &result,
                                &run->error);
  docket_media_spawn_result_clear (&result);
  return NULL;
}

/* At docketd's exit every helper is killed, the one killed reads as
 * cancelled (not as a crash of the media helper on that file, which would
 * mark the recording), and none starts after. */
static void
test_kill_all_closes (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("docket-spawn-XXXXXX", NULL);
  g_autofree gchar *input = g_build_filename (dir, "input", NULL);
  g_autofree gchar *first = g_build_filename (dir, "first", NULL);
  g_autofree gchar *second = g_build_filename (dir, "second", NULL);
  Run a = { input, first, FALSE, NULL };
  Run b = { input, second, FALSE, NULL };
  GThread *thread;
  GLogLevelFlags fatal;
  const gchar *ahead_args[] = { "-c", "exec sleep 600", NULL };
  DocketMediaSpawnStarted *ahead;
  g_auto (DocketMediaSpawnResult) ahead_result = { 0 };
  g_autoptr (GError) ahead_error = NULL;

  g_assert_true (g_file_set_contents (input, "x", 1, NULL));
  g_assert_false (docket_media_spawn_is_closed ());
  thread = g_thread_new ("helper", run_helper, &a);
  while (!g_file_test (first, G_FILE_TEST_EXISTS))
    g_usleep (10 * 1000);
  /* and one started ahead, waiting for a copy to end */
  ahead = docket_media_spawn_start ("/bin/sh", ahead_args, &ahead_error);
  g_assert_no_error (ahead_error);
  g_assert_cmpuint (docket_media_spawn_get_n_running (), ==, 2);

  /* The kill is warned about, on purpose here. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  docket_media_spawn_kill_all ();
  g_log_set_always_fatal (fatal);
  g_thread_join (thread);
  g_assert_false (a.ok);
  g_assert_error (a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (docket_media_spawn_is_closed ());
  /* The one started ahead is gone too; handing it the file says so. */
  g_assert_false (
      docket_media_spawn_finish (ahead, input, 1000, 1024, NULL, &ahead_result, &ahead_error));
  g_assert_error (ahead_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (docket_media_spawn_get_n_running (), ==, 0);
  g_assert_null (docket_media_spawn_start ("/bin/sh", ahead_args, NULL));

  /* The next one in a thread's queue is refused, not started. */
  run_helper (&b);
  g_assert_false (b.ok);
  g_assert_error (b.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (second, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (docket_media_spawn_get_n_running (), ==, 0);

  g_clear_error (&a.error);
  g_clear_error (&b.error);
  g_unlink (first);
  g_unlink (input);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/media-spawn/started-gets-file", Started, "read -r line; echo \"got $line\"",
              started_set_up, test_started_gets_file, started_tear_down);
  g_test_add ("/media-spawn/started-never-answers", Started, "exec sleep 600", started_set_up,
              test_started_never_answers, started_tear_down);
  g_test_add ("/media-spawn/started-gone-before-file", Started, "exit 1", started_set_up,
              test_started_gone_before_file, started_tear_down);
  g_test_add ("/media-spawn/started-freed-kills", Started, "exec sleep 600", started_set_up,
              test_started_freed_kills, started_tear_down);
  /* last: no helper starts after it */
  g_test_add_func ("/media-spawn/kill-all-closes", test_kill_all_closes);
  return g_test_run ();
}
