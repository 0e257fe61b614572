/* main.c — docketd, the Docket daemon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "docket-daemon-workers.h"
#include "docket-daemon.h"
#include "docket-media-check.h"
#include "docket-media-spawn.h"
#include "docket-offload-job.h"
#include "docket-offload-manager.h"

static gboolean
on_signal_quit (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_info ("Signal received; shutting down");
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static void
on_daemon_stopped (DocketDaemon *daemon, GMainLoop *loop)
{
  g_main_loop_quit (loop);
}

/* Camera files are parsed and decoded in a sandboxed helper process: a
 * decoder that hangs, crashes or is exploited does so outside docketd. */
static const gchar *
find_media_helper (void)
{
  static const gchar *const candidates[] = {
    DOCKET_LIBEXECDIR "/docket-media-helper",
    DOCKET_BUILD_GST_DIR "/docket-media-helper",
  };
  const gchar *env = g_getenv ("DOCKET_MEDIA_HELPER");

  if (env != NULL && *env != '\0')
    return env;
  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (g_file_test (candidates[i], G_FILE_TEST_IS_EXECUTABLE))
      return candidates[i];
  g_warning ("docket-media-helper not found: camera files are checked inside docketd");
  return NULL;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (DocketDaemon) daemon = NULL;
  g_autoptr (DocketAuditAnchorer) anchorer = NULL;
  g_autofree gchar *state_dir = NULL;
  g_autofree gchar *known_cameras = NULL;
  g_autofree gchar *policy_dir = NULL;
  g_autofree gchar *firmware_dir = NULL;
  g_autofree gchar *media_socket = NULL;
  gboolean session = FALSE;
  gboolean version = FALSE;
  gint status;
  DocketDaemonOptions options = { 0 };
  const GOptionEntry entries[]
      = { { "session", 0, 0, G_OPTION_ARG_NONE, &session,
            N_ ("Serve on the session bus (development, demo, tests)"), NULL },
          { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
            N_ ("Where the evidence store and database live"), N_ ("DIR") },
          { "known-cameras", 0, 0, G_OPTION_ARG_FILENAME, &known_cameras,
            N_ ("Table of known camera USB ids"), N_ ("FILE") },
          { "policy-dir", 0, 0, G_OPTION_ARG_FILENAME, &policy_dir,
            N_ ("IT's signed device policy: policy.json, policy.json.sig, trusted-keys/"),
            N_ ("DIR") },
          { "firmware-dir", 0, 0, G_OPTION_ARG_FILENAME, &firmware_dir,
            N_ ("Camera firmware images named in the device policy (default: STATE-DIR/firmware)"),
            N_ ("DIR") },
          { "media-socket", 0, 0, G_OPTION_ARG_FILENAME, &media_socket,
            N_ ("Ask the media helper through this socket (docket-media.socket) instead of "
                "starting it"),
            N_ ("SOCKET") },
          { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_ ("Print the version and exit"), NULL },
          { NULL } };

  docket_offload_manager_tune_malloc (); /* before any thread */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _ ("Docket daemon: docks body-worn cameras, offloads "
                                            "and verifies their recordings."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("docketd: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("docketd %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (state_dir == NULL)
    state_dir = g_strdup (g_getenv ("DOCKET_STATE_DIR"));
  if (state_dir == NULL)
    state_dir = session ? g_build_filename (g_get_user_data_dir (), "docket", NULL)
                        : g_strdup (DOCKET_STATEDIR);
  if (known_cameras == NULL)
    known_cameras = g_strdup (g_getenv ("DOCKET_KNOWN_CAMERAS"));
  if (known_cameras == NULL)
    known_cameras = g_build_filename (DOCKET_PKGDATADIR, "known-cameras.ini", NULL);
  /* Run from the build tree (demo, development): use the source tree's table. */
  if (!g_file_test (known_cameras, G_FILE_TEST_EXISTS))
    {
      g_free (known_cameras);
      known_cameras = g_build_filename (DOCKET_SOURCE_DATADIR, "known-cameras.ini", NULL);
    }

  /* Under systemd the helper is its own unit, so docketd needs no
   * privilege to make it unprivileged; elsewhere docketd starts it, and
   * so it does when the socket cannot be reached, rather than parse
   * camera files itself. */
  docket_media_set_helper (find_media_helper ());
  if (media_socket != NULL)
    docket_media_set_helper_socket (media_socket);
  /* A station on slow storage may need more than the built-in limits,
   * a test rig far less. */
  if (g_getenv ("DOCKET_MEDIA_TIMEOUT_MS") != NULL)
    docket_media_set_max_timeout (
        (guint)g_ascii_strtoull (g_getenv ("DOCKET_MEDIA_TIMEOUT_MS"), NULL, 10));
  options.bus_type = session ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM;
  options.state_dir = state_dir;
  options.known_cameras = known_cameras;
  options.policy_dir = policy_dir != NULL ? policy_dir : g_getenv ("DOCKET_POLICY_DIR");
  options.firmware_dir = firmware_dir; /* NULL: $DOCKET_FIRMWARE_DIR or STATE-DIR/firmware */

  loop = g_main_loop_new (NULL, FALSE);
  daemon = docket_daemon_new (&options);
  g_signal_connect (daemon, "stopped", G_CALLBACK (on_daemon_stopped), loop);
  /* Before owning the name: a client may see the name and signal us at once. */
  g_unix_signal_add (SIGTERM, on_signal_quit, loop);
  g_unix_signal_add (SIGINT, on_signal_quit, loop);
  if (!docket_daemon_start (daemon, &error))
    {
      g_printerr ("docketd: %s\n", error->message);
      return 1;
    }
  g_main_loop_run (loop);

  /* No helper outlives docketd, and none holds up its exit. */
  docket_media_spawn_kill_all ();
  docket_daemon_stop (daemon);
  status = docket_daemon_lost_name (daemon) ? 1 : 0;
  if (docket_daemon_get_anchorer (daemon) != NULL)
    anchorer = g_object_ref (docket_daemon_get_anchorer (daemon));
  /* Ending the open sessions writes their sign-out rows in threads; method
   * calls may still be writing theirs. */
  g_clear_object (&daemon);
  docket_daemon_workers_drain ();
  /* Offloads were cancelled by the stop; one may still be committing. */
  docket_offload_job_wait_all ();
  /* Last: every row written, sign-outs included, is covered by an anchor. */
  if (anchorer != NULL)
    {
      g_autoptr (GError) anchor_error = NULL;

      if (!docket_audit_anchorer_anchor_now (anchorer, &anchor_error))
        g_critical ("Could not sign the audit log at shutdown: %s", anchor_error->message);
    }
  g_info ("Stopped");
  return status;
}
