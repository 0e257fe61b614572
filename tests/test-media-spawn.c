/* test-media-spawn.c — helpers started by docket_media_spawn() end with docketd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "docket-media-spawn.h"

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

  g_assert_true (g_file_set_contents (input, "x", 1, NULL));
  g_assert_false (docket_media_spawn_is_closed ());
  thread = g_thread_new ("helper", run_helper, &a);
  while (!g_file_test (first, G_FILE_TEST_EXISTS))
    g_usleep (10 * 1000);
  g_assert_cmpuint (docket_media_spawn_get_n_running (), ==, 1);

  /* The kill is warned about, on purpose here. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  docket_media_spawn_kill_all ();
  g_log_set_always_fatal (fatal);
  g_thread_join (thread);
  g_assert_false (a.ok);
  g_assert_error (a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (docket_media_spawn_is_closed ());

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
  g_test_add_func ("/media-spawn/kill-all-closes", test_kill_all_closes);
  return g_test_run ();
}
