/* test-media-socket.c — the media helper behind a socket, as docket-media.socket runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * systemd-socket-activate --accept --inetd stands in for the socket unit:
 * each connection starts one docket-media-helper --socket with the
 * connection as its stdin, as Accept=yes with StandardInput=socket does.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "docket-error.h"
#include "docket-media-check.h"
#include "docket-media-socket.h"
#include "test-offload-media.h"

#define TIMEOUT 30000

typedef struct
{
  gchar *dir;
  gchar *socket_path;
  GSubprocess *activator;
} Fixture;

static void
die_with_parent (gpointer data)
{
  (void)prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Bound and listening: the socket file appears a moment before listen(). */
static gboolean
listening (const gchar *socket_path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int sock = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gboolean ok;

  g_strlcpy (addr.sun_path, socket_path, sizeof addr.sun_path);
  ok = connect (sock, (struct sockaddr *)&addr, sizeof addr) == 0;
  close (sock);
  return ok;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const gchar *helper = g_getenv ("DOCKET_MEDIA_HELPER");
  g_autofree gchar *activate = g_find_program_in_path ("systemd-socket-activate");
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;

  if (helper == NULL || activate == NULL)
    {
      g_test_skip ("needs DOCKET_MEDIA_HELPER and systemd-socket-activate");
      return;
    }
  f->dir = g_dir_make_tmp ("docket-media-socket-XXXXXX", NULL);
  f->socket_path = g_build_filename (f->dir, "media.sock", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* not left behind when a failed assertion ends the test */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  f->activator = g_subprocess_launcher_spawn (launcher, &error, activate, "-l", f->socket_path,
                                              "--accept", "--inetd", helper, "--socket", NULL);
  g_assert_no_error (error);
  for (guint i = 0; i < 500 && !listening (f->socket_path); i++)
    g_usleep (10 * 1000);
  g_assert_true (listening (f->socket_path));
  docket_media_set_helper_socket (f->socket_path);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  docket_media_set_helper_socket (NULL);
  if (f->activator != NULL)
    {
      g_subprocess_send_signal (f->activator, SIGTERM);
      g_subprocess_wait (f->activator, NULL, NULL);
      g_clear_object (&f->activator);
    }
  if (f->socket_path != NULL)
    g_unlink (f->socket_path);
  if (f->dir != NULL)
    g_rmdir (f->dir);
  g_free (f->socket_path);
  g_free (f->dir);
}

static gchar *
media_or_skip (const gchar *kind)
{
  g_autoptr (GError) error = NULL;
  gchar *path = test_media_get (kind, 0, &error);

  if (path == NULL)
    g_test_skip_printf ("cannot make test media: %s", error->message);
  return path;
}

/* Parse, deep check and thumbnail give the answers they give in-process. */
static void
test_checks (Fixture *f, gconstpointer data)
{
  g_autofree gchar *good = NULL;
  g_autofree gchar *damaged = NULL;
  g_autofree gchar *png = NULL;
  g_autofree gchar *junk = NULL;
  g_autofree gchar *bytes = NULL;
  g_autoptr (GError) error = NULL;
  gsize len = 0;

  if (f->activator == NULL || (good = media_or_skip ("good")) == NULL
      || (damaged = media_or_skip ("flip-byte")) == NULL)
    return;
  g_assert_true (docket_media_check_parse (good, TIMEOUT, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (docket_media_check_parse (damaged, TIMEOUT, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (docket_media_check_deep (damaged, TIMEOUT, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_assert_nonnull (strstr (error->message, "The picture is damaged"));
  g_clear_error (&error);

  png = g_build_filename (f->dir, "t.png", NULL);
  g_assert_true (docket_media_make_thumbnail (good, png, 160, TIMEOUT, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (png, &bytes, &len, NULL));
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (bytes, 4, "\x89PNG", 4);

  junk = g_build_filename (f->dir, "junk.mp4", NULL);
  g_assert_true (g_file_set_contents (junk, "not a video at all", -1, NULL));
  g_assert_false (docket_media_check_parse (junk, TIMEOUT, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_unlink (png);
  g_unlink (junk);
}

/* The helper behind the socket is sandboxed as the spawned one is. */
static void
test_sandbox (Fixture *f, gconstpointer data)
{
  const gchar *args[] = { "self-test", "5000", "0", NULL };
  g_auto (DocketMediaSpawnResult) result = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = NULL;

  if (f->activator == NULL)
    return;
  g_assert_true (docket_media_socket_ask (f->socket_path, args, "/dev/null", TIMEOUT, 4096, NULL,
                                          &result, &error));
  g_assert_no_error (error);
  g_assert_true (result.exited);
  g_assert_cmpint (result.status, ==, 0);
  out = g_strndup (g_bytes_get_data (result.output, NULL), g_bytes_get_size (result.output));
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "network refused"));
  g_assert_nonnull (strstr (out, "exec refused"));
  g_assert_nonnull (strstr (out, "setuid refused"));
  if (getuid () == 0)
    g_assert_null (strstr (out, "uid 0\n"));
}

/* Helpers running under @activator (not those exited, that it has yet to reap). */
static guint
count_helpers (GSubprocess *activator)
{
  g_autofree gchar *ppid_line
      = g_strdup_printf ("\nPPid:\t%s\n", g_subprocess_get_identifier (activator));
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  const gchar *name;
  guint n = 0;

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree gchar *status_path = g_build_filename ("/proc", name, "status", NULL);
      g_autofree gchar *status = NULL;

      if (g_ascii_isdigit (*name) && g_file_get_contents (status_path, &status, NULL, NULL)
          && strstr (status, ppid_line) != NULL && strstr (status, "\nState:\tZ") == NULL)
        n++;
    }
  return n;
}

/* A check that overruns: docketd closes the connection, and the helper,
 * stuck reading a file that never ends, goes at once. */
static void
test_overrun_stops_helper (Fixture *f, gconstpointer data)
{
  const gchar *args[] = { "parse", "600000", "0", NULL };
  g_auto (DocketMediaSpawnResult) result = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *fifo = NULL;
  GLogLevelFlags fatal;
  int writer;
  guint n = 0;

  if (f->activator == NULL)
    return;
  fifo = g_build_filename (f->dir, "endless", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  /* a writer that never writes: the helper's read blocks */
  writer = g_open (fifo, O_RDWR | O_CLOEXEC, 0);
  g_assert_cmpint (writer, >=, 0);
  /* The overrun is warned about, on purpose here. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_assert_false (
      docket_media_socket_ask (f->socket_path, args, fifo, 1500, 4096, NULL, &result, &error));
  g_log_set_always_fatal (fatal);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT);
  for (guint i = 0; i < 500 && (n = count_helpers (f->activator)) > 0; i++)
    g_usleep (10 * 1000);
  g_assert_cmpuint (n, ==, 0);
  close (writer);
  g_unlink (fifo);
}

/* None for half a second: the activator may accept a connection (the
 * fixture's probes) a while after it was made. */
static void
wait_no_helpers (Fixture *f)
{
  guint quiet = 0;

  for (guint i = 0; i < 1000 && quiet < 50; i++)
    {
      quiet = count_helpers (f->activator) == 0 ? quiet + 1 : 0;
      g_usleep (10 * 1000);
    }
  g_assert_cmpuint (quiet, ==, 50);
}

/* Started ahead (at the start of a copy), the connection starts the helper
 * at once, which loads its plugins meanwhile; the answers are the same. */
static void
test_started_ahead (Fixture *f, gconstpointer data)
{
  g_autofree gchar *good = NULL;
  g_autofree gchar *junk = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) expected = NULL;
  DocketMediaCheckStarted *started;
  guint n = 0;

  if (f->activator == NULL || (good = media_or_skip ("good")) == NULL)
    return;
  /* (the fixture's probes for the socket started helpers too) */
  wait_no_helpers (f);
  started = docket_media_check_parse_start (TIMEOUT);
  g_assert_nonnull (started);
  for (guint i = 0; i < 500 && (n = count_helpers (f->activator)) == 0; i++)
    g_usleep (10 * 1000);
  g_assert_cmpuint (n, ==, 1); /* before it has the file */
  g_assert_true (docket_media_check_parse_started (started, good, TIMEOUT, NULL, &error));
  g_assert_no_error (error);

  junk = g_build_filename (f->dir, "junk.mp4", NULL);
  g_assert_true (g_file_set_contents (junk, "not a video at all", -1, NULL));
  g_assert_false (docket_media_check_parse (junk, TIMEOUT, NULL, &expected));
  started = docket_media_check_parse_start (TIMEOUT);
  g_assert_false (docket_media_check_parse_started (started, junk, TIMEOUT, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_assert_cmpstr (error->message, ==, expected->message);

  /* Not needed after all (the copy failed): its helper goes. */
  wait_no_helpers (f);
  started = docket_media_check_parse_start (TIMEOUT);
  for (guint i = 0; i < 500 && (n = count_helpers (f->activator)) == 0; i++)
    g_usleep (10 * 1000);
  g_assert_cmpuint (n, ==, 1);
  docket_media_check_started_free (started);
  for (guint i = 0; i < 500 && (n = count_helpers (f->activator)) > 0; i++)
    g_usleep (10 * 1000);
  g_assert_cmpuint (n, ==, 0);
  g_unlink (junk);
}

/* Warnings and messages logged, to see what docketd says it does. */
static GMutex warnings_lock;
static GString *warnings;

static GLogWriterOutput
record_warnings (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  if (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE))
    for (gsize i = 0; i < n_fields; i++)
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        {
          g_mutex_lock (&warnings_lock);
          g_string_append_printf (warnings, "%s\n", (const gchar *)fields[i].value);
          g_mutex_unlock (&warnings_lock);
        }
  return g_log_writer_default (level, fields, n_fields, data);
}

/* Whether a warning logged since the last call matched @pattern. */
static gboolean
warned (const gchar *pattern)
{
  g_auto (GStrv) lines = NULL;
  gboolean found = FALSE;

  g_mutex_lock (&warnings_lock);
  lines = g_strsplit (warnings->str, "\n", -1);
  g_string_truncate (warnings, 0);
  g_mutex_unlock (&warnings_lock);
  for (guint i = 0; lines[i] != NULL; i++)
    found = found || g_pattern_match_simple (pattern, lines[i]);
  return found;
}

static guint
count_lines (const gchar *path, const gchar *line)
{
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_equal (lines[i], line);
  return n;
}

/* A socket that cannot be reached: docketd starts the sandboxed helper
 * itself rather than parse the camera's file inside docketd. Only with no
 * helper at all does it parse in-process, and it says so. */
static void
test_unreachable_starts_helper (void)
{
  const gchar *real = g_getenv ("DOCKET_MEDIA_HELPER");
  g_autofree gchar *good = NULL;
  g_autofree gchar *dir = NULL;
  g_autofree gchar *script = NULL;
  g_autofree gchar *log = NULL;
  g_autofree gchar *png = NULL;
  g_autofree gchar *text = NULL;
  g_autoptr (GError) error = NULL;
  DocketMediaCheckStarted *started;
  GLogLevelFlags fatal;

  if (real == NULL)
    {
      g_test_skip ("needs DOCKET_MEDIA_HELPER");
      return;
    }
  if ((good = media_or_skip ("good")) == NULL)
    return;
  dir = g_dir_make_tmp ("docket-media-socket-XXXXXX", NULL);
  script = g_build_filename (dir, "helper", NULL);
  log = g_build_filename (dir, "runs", NULL);
  png = g_build_filename (dir, "t.png", NULL);
  text = g_strdup_printf ("#!/bin/sh\necho \"$1\" >> '%s'\nexec '%s' \"$@\"\n", log, real);
  g_assert_true (g_file_set_contents (script, text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  docket_media_set_helper (script);
  docket_media_set_helper_socket ("/nonexistent/media.sock");

  /* The fallbacks are warned about, on purpose here. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  (void)warned ("");
  g_assert_true (docket_media_check_parse (good, TIMEOUT, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (warned ("*could not be reached*starting the media helper instead"));
  g_assert_cmpuint (count_lines (log, "parse"), ==, 1);
  g_assert_true (docket_media_make_thumbnail (good, png, 160, TIMEOUT, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (warned ("*could not be reached*starting the media helper instead"));
  g_assert_cmpuint (count_lines (log, "thumbnail"), ==, 1);
  /* started ahead: the same */
  started = docket_media_check_parse_start (TIMEOUT);
  g_assert_nonnull (started);
  g_assert_true (docket_media_check_parse_started (started, good, TIMEOUT, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_lines (log, "parse"), ==, 2);

  /* A helper that cannot run (its sandbox failed: exit 2) leaves the file
   * unchecked, never parsed inside docketd. */
  g_clear_pointer (&text, g_free);
  text = g_strdup_printf ("#!/bin/sh\necho \"$1\" >> '%s'\necho 'no sandbox' >&2\nexit 2\n", log);
  g_assert_true (g_file_set_contents (script, text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  g_assert_false (docket_media_check_parse (good, TIMEOUT, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "not checked"));
  g_clear_error (&error);
  g_assert_true (warned ("*parse check of*is not done*"));
  g_unlink (png);
  g_assert_false (docket_media_make_thumbnail (good, png, 160, TIMEOUT, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_lines (log, "thumbnail"), ==, 2);

  /* A socket that cannot be reached and no program: refused, not parsed here. */
  docket_media_set_helper (NULL);
  docket_media_set_helper_socket ("/nonexistent/media.sock");
  g_assert_false (docket_media_check_parse (good, TIMEOUT, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* no helper at all (a development build without it): parsed here, said */
  docket_media_set_helper_socket (NULL);
  g_assert_true (docket_media_check_parse (good, TIMEOUT, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (warned ("No media helper: checking*in-process, inside docketd*"));
  g_log_set_always_fatal (fatal);

  g_unlink (png);
  g_unlink (log);
  g_unlink (script);
  g_rmdir (dir);
}

/* No socket: the same answer as no helper program, so the caller starts
 * the helper itself (or, with none, checks in-process). */
static void
test_no_socket (void)
{
  const gchar *args[] = { "parse", "5000", "0", NULL };
  g_auto (DocketMediaSpawnResult) result = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_false (docket_media_socket_ask ("/nonexistent/media.sock", args, "/dev/null", 1000, 4096,
                                           NULL, &result, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  warnings = g_string_new (NULL);
  g_log_set_writer_func (record_warnings, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/media-socket/checks", Fixture, NULL, fixture_setup, test_checks, fixture_teardown);
  g_test_add ("/media-socket/sandbox", Fixture, NULL, fixture_setup, test_sandbox,
              fixture_teardown);
  g_test_add ("/media-socket/overrun-stops-helper", Fixture, NULL, fixture_setup,
              test_overrun_stops_helper, fixture_teardown);
  g_test_add ("/media-socket/started-ahead", Fixture, NULL, fixture_setup, test_started_ahead,
              fixture_teardown);
  g_test_add_func ("/media-socket/no-socket", test_no_socket);
  g_test_add_func ("/media-socket/unreachable-starts-helper", test_unreachable_starts_helper);
  return g_test_run ();
}
