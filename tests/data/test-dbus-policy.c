/* test-dbus-policy.c — the system-bus policy really lets only root own the
 * name, only root and the docket group call the daemon (the group not its
 * Admin interface), and only they receive its signals.
 *
 * A private dbus-daemon runs with the system bus's default policy plus our
 * data/dbus/io.github.docket.Docket1.conf; other users are played by
 * `gdbus call` run under another uid/gid. Needs root (to switch users);
 * skips otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#define NAME "io.github.docket.Docket1"

static gchar *policy_path;

/* The system bus's own default policy (dbus 1.14 system.conf, trimmed to
 * the parts that decide who may own and call). */
static const gchar bus_config[]
    = "<busconfig>\n"
      "  <type>system</type>\n"
      "  <listen>unix:path=%s/bus</listen>\n"
      "  <auth>EXTERNAL</auth>\n"
      "  <policy context=\"default\">\n"
      "    <allow user=\"*\"/>\n"
      "    <deny own=\"*\"/>\n"
      "    <deny send_type=\"method_call\"/>\n"
      "    <allow send_type=\"signal\"/>\n"
      "    <allow send_requested_reply=\"true\" send_type=\"method_return\"/>\n"
      "    <allow send_requested_reply=\"true\" send_type=\"error\"/>\n"
      "    <allow receive_type=\"method_call\"/>\n"
      "    <allow receive_type=\"method_return\"/>\n"
      "    <allow receive_type=\"error\"/>\n"
      "    <allow receive_type=\"signal\"/>\n"
      "    <allow send_destination=\"org.freedesktop.DBus\"\n"
      "           send_interface=\"org.freedesktop.DBus\"/>\n"
      "    <allow send_destination=\"org.freedesktop.DBus\"\n"
      "           send_interface=\"org.freedesktop.DBus.Introspectable\"/>\n"
      "  </policy>\n"
      "  <include>%s</include>\n"
      "</busconfig>\n";

typedef struct
{
  gchar *tmpdir;
  GSubprocess *bus;
  gchar *address;
} Fixture;

typedef struct
{
  uid_t uid;
  gid_t gid;
  gid_t supplementary; /* (gid_t) -1 for none */
} Identity;

/* A failed assertion aborts the test; the bus must not outlive it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *conf_path = NULL;
  g_autofree gchar *conf = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree gchar *line = NULL;

  fx->tmpdir = g_dir_make_tmp ("docket-dbus-policy-XXXXXX", &error);
  g_assert_no_error (error);
  /* Other users must reach the socket inside. */
  g_assert_cmpint (g_chmod (fx->tmpdir, 0755), ==, 0);

  conf_path = g_build_filename (fx->tmpdir, "bus.conf", NULL);
  conf = g_strdup_printf (bus_config, fx->tmpdir, policy_path);
  g_file_set_contents (conf_path, conf, -1, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  fx->bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", "--nofork", "--nosyslog",
                                         "--print-address=1", "--config-file", conf_path, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fx->bus));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  fx->address = g_strstrip (g_steal_pointer (&line));
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  g_autofree gchar *conf_path = g_build_filename (fx->tmpdir, "bus.conf", NULL);
  g_autofree gchar *sock_path = g_build_filename (fx->tmpdir, "bus", NULL);

  g_subprocess_force_exit (fx->bus);
  g_subprocess_wait (fx->bus, NULL, NULL);
  g_clear_object (&fx->bus);
  g_unlink (conf_path);
  g_unlink (sock_path);
  g_rmdir (fx->tmpdir);
  g_clear_pointer (&fx->tmpdir, g_free);
  g_clear_pointer (&fx->address, g_free);
}

static GDBusConnection *
connect_as_root (Fixture *fx)
{
  g_autoptr (GError) error = NULL;
  GDBusConnection *conn;

  conn = g_dbus_connection_new_for_address_sync (
      fx->address,
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
          | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, &error);
  g_assert_no_error (error);
  return conn;
}

static void
own_name_as_root (GDBusConnection *conn)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  guint32 result = 0;

  reply = g_dbus_connection_call_sync (
      conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "RequestName",
      g_variant_new ("(su)", NAME, 4 /* DO_NOT_QUEUE */), G_VARIANT_TYPE ("(u)"),
      G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1 /* PRIMARY_OWNER */);
}

/* Runs between fork and exec: only async-signal-safe calls. */
static void
become (gpointer user_data)
{
  const Identity *id = user_data;
  gid_t groups[1];

  if (id->supplementary != (gid_t)-1)
    {
      groups[0] = id->supplementary;
      if (setgroups (1, groups) != 0)
        _exit (120);
    }
  else if (setgroups (0, NULL) != 0)
    _exit (120);
  if (setgid (id->gid) != 0 || setuid (id->uid) != 0)
    _exit (121);
}

static void
on_communicated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

/* Runs `gdbus call` as @id, iterating the main context meanwhile so our own
 * root connection can answer. Returns TRUE if the call succeeded; *stderr_out
 * has gdbus's error otherwise. */
static gboolean
gdbus_call_as (Fixture *fx,
               const Identity *id,
               gchar **stderr_out,
               const gchar *dest,
               const gchar *path,
               const gchar *method,
               ...)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree gchar *out = NULL;
  va_list ap;
  const gchar *arg;

  g_ptr_array_add (argv, (gpointer) "gdbus");
  g_ptr_array_add (argv, (gpointer) "call");
  g_ptr_array_add (argv, (gpointer) "--address");
  g_ptr_array_add (argv, fx->address);
  g_ptr_array_add (argv, (gpointer) "--dest");
  g_ptr_array_add (argv, (gpointer)dest);
  g_ptr_array_add (argv, (gpointer) "--object-path");
  g_ptr_array_add (argv, (gpointer)path);
  g_ptr_array_add (argv, (gpointer) "--method");
  g_ptr_array_add (argv, (gpointer)method);
  va_start (ap, method);
  while ((arg = va_arg (ap, const gchar *)) != NULL)
    g_ptr_array_add (argv, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, become, (gpointer)id, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const gchar *const *)argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_communicated, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_communicate_utf8_finish (proc, result, &out, stderr_out, &error);
  g_assert_no_error (error);
  g_test_message ("gdbus %s as uid %u: %s%s", method, (guint)id->uid, out ? out : "",
                  *stderr_out ? *stderr_out : "");
  g_assert_cmpint (g_subprocess_get_exit_status (proc), <, 120);
  return g_subprocess_get_successful (proc);
}

static Identity
nobody (void)
{
  struct passwd *pw = getpwnam ("nobody");
  Identity id = { 65534, 65534, (gid_t)-1 };

  if (pw != NULL)
    {
      id.uid = pw->pw_uid;
      id.gid = pw->pw_gid;
    }
  return id;
}

static void
test_others_cannot_own (Fixture *fx, gconstpointer data)
{
  Identity id = nobody ();
  g_autofree gchar *err = NULL;

  g_assert_false (gdbus_call_as (fx, &id, &err, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                 "org.freedesktop.DBus.RequestName", NAME, "uint32 4", NULL));
  g_assert_nonnull (strstr (err, "AccessDenied"));
}

static void
test_root_owns_and_calls (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDBusConnection) owner = connect_as_root (fx);
  g_autoptr (GDBusConnection) caller = connect_as_root (fx);
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;

  own_name_as_root (owner);
  reply = g_dbus_connection_call_sync (caller, NAME, "/", "org.freedesktop.DBus.Peer", "Ping", NULL,
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

static void
test_others_cannot_call (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDBusConnection) owner = connect_as_root (fx);
  Identity id = nobody ();
  g_autofree gchar *err = NULL;

  own_name_as_root (owner);
  g_assert_false (gdbus_call_as (fx, &id, &err, NAME, "/", "org.freedesktop.DBus.Peer.Ping", NULL));
  g_assert_nonnull (strstr (err, "AccessDenied"));
}

static gboolean
docket_group (Identity *id)
{
  struct group *gr = getgrnam ("docket");

  if (gr == NULL)
    {
      g_test_skip ("no \"docket\" group on this machine (tools/deps.sh creates it)");
      return FALSE;
    }
  *id = nobody ();
  id->supplementary = gr->gr_gid;
  return TRUE;
}

static void
test_docket_group_may_call (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDBusConnection) owner = NULL;
  g_autofree gchar *err = NULL;
  Identity id;

  if (!docket_group (&id))
    return;
  owner = connect_as_root (fx);
  own_name_as_root (owner);
  g_assert_true (gdbus_call_as (fx, &id, &err, NAME, "/", "org.freedesktop.DBus.Peer.Ping", NULL));
}

static void
test_docket_group_cannot_own (Fixture *fx, gconstpointer data)
{
  g_autofree gchar *err = NULL;
  Identity id;

  if (!docket_group (&id))
    return;
  g_assert_false (gdbus_call_as (fx, &id, &err, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                 "org.freedesktop.DBus.RequestName", NAME, "uint32 4", NULL));
  g_assert_nonnull (strstr (err, "AccessDenied"));
}

static void
test_docket_group_cannot_admin (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDBusConnection) owner = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *kiosk_err = NULL;
  Identity id;

  if (!docket_group (&id))
    return;
  owner = connect_as_root (fx);
  own_name_as_root (owner);
  g_assert_false (gdbus_call_as (fx, &id, &err, NAME, "/io/github/docket/Docket1",
                                 "io.github.docket.Docket1.Admin.ListOfficers", NULL));
  g_assert_nonnull (strstr (err, "AccessDenied"));
  /* The kiosk's own interfaces pass the bus (the owner here answers
   * nothing, so the call fails in the daemon, not in the bus). */
  g_assert_false (gdbus_call_as (fx, &id, &kiosk_err, NAME, "/io/github/docket/Docket1",
                                 "io.github.docket.Docket1.People.SignIn", "1", "1", NULL));
  g_assert_null (strstr (kiosk_err, "AccessDenied"));
}

/* Runs `gdbus monitor` on NAME as @id while the owner broadcasts a signal;
 * returns what the monitor printed. */
static gchar *
monitor_as (Fixture *fx, const Identity *id, GDBusConnection *owner)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  gchar *out = NULL;
  gint64 until;

  g_subprocess_launcher_set_child_setup (launcher, become, (gpointer)id, NULL);
  proc = g_subprocess_launcher_spawn (launcher, &error, "gdbus", "monitor", "--address",
                                      fx->address, "--dest", NAME, NULL);
  g_assert_no_error (error);
  /* Give the monitor time to subscribe, then broadcast a few times. */
  until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    {
      g_dbus_connection_emit_signal (owner, NULL, "/io/github/docket/Docket1",
                                     "io.github.docket.Docket1.Manager", "Event",
                                     g_variant_new ("(s)", "secret-badge"), NULL);
      g_dbus_connection_flush_sync (owner, NULL, NULL);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (200 * 1000);
    }
  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_communicated, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_communicate_utf8_finish (proc, result, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("gdbus monitor as uid %u: %s", (guint)id->uid, out);
  return out;
}

static void
test_others_cannot_receive (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDBusConnection) owner = connect_as_root (fx);
  Identity others = nobody ();
  Identity kiosk;
  g_autofree gchar *seen_by_others = NULL;
  g_autofree gchar *seen_by_kiosk = NULL;

  own_name_as_root (owner);
  seen_by_others = monitor_as (fx, &others, owner);
  g_assert_null (strstr (seen_by_others, "secret-badge"));
  if (!docket_group (&kiosk))
    return;
  seen_by_kiosk = monitor_as (fx, &kiosk, owner);
  g_assert_nonnull (strstr (seen_by_kiosk, "secret-badge"));
}

int
main (int argc, char **argv)
{
  g_autofree gchar *dbus_daemon = NULL;
  g_autofree gchar *gdbus = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (argc < 2)
    {
      g_printerr ("usage: %s POLICY-FILE\n", argv[0]);
      return 1;
    }

  if (geteuid () != 0)
    {
      g_printerr ("skip: switching users needs root\n");
      return 77;
    }
  dbus_daemon = g_find_program_in_path ("dbus-daemon");
  gdbus = g_find_program_in_path ("gdbus");
  if (dbus_daemon == NULL || gdbus == NULL)
    {
      g_printerr ("skip: dbus-daemon or gdbus missing\n");
      return 77;
    }

  /* dbus-daemon resolves <include> relative to the including file. */
  policy_path = g_canonicalize_filename (argv[1], NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/dbus-policy/others-cannot-own", test_others_cannot_own);
  ADD ("/dbus-policy/root-owns-and-calls", test_root_owns_and_calls);
  ADD ("/dbus-policy/others-cannot-call", test_others_cannot_call);
  ADD ("/dbus-policy/docket-group-may-call", test_docket_group_may_call);
  ADD ("/dbus-policy/docket-group-cannot-own", test_docket_group_cannot_own);
  ADD ("/dbus-policy/docket-group-cannot-admin", test_docket_group_cannot_admin);
  ADD ("/dbus-policy/others-cannot-receive", test_others_cannot_receive);
#undef ADD

  ret = g_test_run ();
  g_free (policy_path);
  return ret;
}
