/* test-session-service.c — docketd's sign-in, sessions, tagging and enrolment over D-Bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real docketd on a private bus, a store prepared with recordings, people
 * enrolled with docketctl, and a kiosk-like client: wrong then right PIN,
 * lockout, untagged list and incidents, a read-only fd with its audit row,
 * tagging, another connection refused, sign-out and disconnect.
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>

#include "docket-dbus-generated.h"
#include "docket-session-error.h"
#include "docket-test-daemon.h"
#include "test-people-fixture.h"

#define T0 ((gint64)1700000000 * G_USEC_PER_SEC)

typedef struct
{
  GTestDBus *bus;
  gchar *state_dir;
  DocketTestDaemon *daemon;
  GDBusConnection *connection;
  gint64 ids[4]; /* Ann: 0, 1 (one incident), 2; Bob: 3 */
} Fixture;

/* Set by a case before fixture_setup: 600 more of Ann's recordings. */
static gboolean many_recordings;

static void
prepare_store (Fixture *f)
{
  PeopleFixture store = { 0 };
  g_autofree gchar *root = g_build_filename (f->state_dir, "store", NULL);
  g_autoptr (GError) error = NULL;

  /* Build the store where docketd will look, then hand it over. */
  people_fixture_setup_with (&store, NULL);
  g_clear_object (&store.review);
  g_clear_object (&store.tags);
  g_clear_object (&store.people);
  f->ids[0] = people_fixture_add_recording (&store, "1234", T0, 0);
  f->ids[1] = people_fixture_add_recording (&store, "1234", T0 + 30 * G_USEC_PER_SEC, 0);
  f->ids[2] = people_fixture_add_recording (&store, "1234", T0 + (gint64)3600 * G_USEC_PER_SEC, 0);
  f->ids[3] = people_fixture_add_recording (&store, "5678", T0, 0);
  if (many_recordings)
    {
      g_autofree gchar *sql = g_strdup_printf (
          "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 600)"
          " INSERT INTO recordings (camera_id, camera_recording_id, name, officer, start_usec,"
          " duration_ms, size, sha256, camera_sha256, signature_status, state, committed_usec)"
          " SELECT camera_id, camera_recording_id + 1000 + x, name, officer, start_usec + x,"
          " duration_ms, size, sha256, camera_sha256, signature_status, state, committed_usec"
          " FROM recordings, n WHERE id = %" G_GINT64_FORMAT,
          f->ids[0]);

      g_assert_true (
          docket_database_exec (docket_evidence_store_get_database (store.store), sql, &error));
    }
  g_clear_object (&store.store);
  g_clear_object (&store.config);
  g_assert_cmpint (g_rename (store.dir, root), ==, 0);
  g_free (store.dir);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *conf = NULL;

  (void)docket_session_error_quark ();
  f->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (f->bus);
  f->state_dir = g_dir_make_tmp ("docket-test-session-XXXXXX", &error);
  g_assert_no_error (error);
  conf = g_build_filename (f->state_dir, "station.conf", NULL);
  g_file_set_contents (conf,
                       data != NULL ? data
                                    : "[station]\nlockout-failures=3\nlockout-minutes=5\n"
                                      "audit-sample-percent=0\n",
                       -1, &error);
  g_assert_no_error (error);
  prepare_store (f);
  f->daemon = docket_test_daemon_start (f->state_dir, NULL);
  f->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
}

/* docketd starts every worker (method call, sign-out row) 300 ms late, so
 * stopping it right after a reply must wait for the write. */
static void
fixture_setup_slow_workers (Fixture *f, gconstpointer data)
{
  g_setenv ("DOCKET_TEST_WORKER_DELAY_MS", "300", TRUE);
  fixture_setup (f, data);
  g_unsetenv ("DOCKET_TEST_WORKER_DELAY_MS");
}

/* docketd signs the audit chain every second instead of every minute. */
static void
fixture_setup_fast_anchors (Fixture *f, gconstpointer data)
{
  g_setenv ("DOCKET_ANCHOR_SECONDS", "1", TRUE);
  fixture_setup (f, data);
  g_unsetenv ("DOCKET_ANCHOR_SECONDS");
}

static guint
count_lines (const gchar *path)
{
  g_autofree gchar *text = NULL;
  guint lines = 0;

  if (g_file_get_contents (path, &text, NULL, NULL))
    for (const gchar *p = text; *p != '\0'; p++)
      lines += *p == '\n';
  return lines;
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree gchar *cmd
      = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", f->state_dir, f->state_dir);

  if (f->daemon != NULL)
    g_assert_cmpint (docket_test_daemon_stop (f->daemon), ==, 0);
  g_clear_object (&f->connection);
  g_test_dbus_down (f->bus);
  g_clear_object (&f->bus);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->state_dir);
}

static gint
run_shell (const gchar *script, gchar **out, gchar **err)
{
  g_autofree gchar *full = g_strdup_printf ("CTL='%s'; %s", g_getenv ("DOCKETCTL"), script);
  const gchar *argv[] = { "/bin/sh", "-c", full, NULL };

  return docket_test_run (argv, out, err);
}

static guint
count_audit_rows (Fixture *f, const gchar *action)
{
  g_autofree gchar *script
      = g_strdup_printf ("$CTL audit list --json --store '%s/store'", f->state_dir);
  g_autofree gchar *needle = g_strdup_printf ("\"action\" : \"%s\"", action);
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  guint rows = 0;

  g_assert_cmpint (run_shell (script, &out, &err), ==, 0);
  for (const gchar *p = out; (p = strstr (p, needle)) != NULL; p++)
    rows++;
  return rows;
}

static void
enrol (Fixture *f)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;

  g_assert_cmpint (run_shell ("echo 4321 | $CTL --session officer add 1234 --name 'Ann Ray'"
                              " --role officer --pin-stdin",
                              &out, &err),
                   ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (
      run_shell ("echo 987654 | $CTL --session officer add S-9 --name 'Sam Lee' --role sergeant",
                 &out, &err),
      ==, 0);
}

static DocketDBusPeople *
people_proxy (GDBusConnection *connection)
{
  g_autoptr (GError) error = NULL;
  DocketDBusPeople *people
      = docket_dbus_people_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                           DOCKET_DBUS_NAME, DOCKET_DBUS_PATH, NULL, &error);

  g_assert_no_error (error);
  return people;
}

static DocketDBusSession *
sign_in (GDBusConnection *connection, const gchar *badge, const gchar *pin)
{
  g_autoptr (DocketDBusPeople) people = people_proxy (connection);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = NULL;
  DocketDBusSession *session;

  g_assert_true (docket_dbus_people_call_sign_in_sync (people, badge, pin, &path, NULL, &error));
  g_assert_no_error (error);
  session = docket_dbus_session_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                                DOCKET_DBUS_NAME, path, NULL, &error);
  g_assert_no_error (error);
  return session;
}

static void
test_enrolment (Fixture *f, gconstpointer data)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;

  enrol (f);
  g_assert_cmpint (run_shell ("$CTL --session officer list", &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Ann Ray"));
  g_assert_nonnull (strstr (out, "sergeant"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Plain-words failures, exit code 1; usage errors 2. */
  g_assert_cmpint (run_shell ("echo 12 | $CTL --session officer add 77 --name X", &out, &err), ==,
                   1);
  g_assert_nonnull (strstr (err, "4 to 12 digits"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (
      run_shell ("echo 1234 | $CTL --session officer add 77 --name X --role boss", &out, &err), ==,
      1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_shell ("$CTL --session officer add 77 < /dev/null", &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_shell ("$CTL --session camera assign CAM-1 1234", &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_shell ("$CTL --session camera assign CAM-1 nobody", &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "nobody"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_shell ("$CTL --session officer remove S-9", &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_shell ("$CTL --session officer list", &out, &err), ==, 0);
  g_assert_null (strstr (out, "Sam Lee"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Names with control or invisible formatting characters are refused. */
  g_assert_cmpint (run_shell ("echo 2468 | $CTL --session officer add 88 --name "
                              "\"$(printf 'Eve\\033[31mRed')\" --pin-stdin",
                              &out, &err),
                   ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* Whatever docketctl prints back is escaped: no terminal escape gets out. */
  g_assert_cmpint (run_shell ("$CTL --session officer remove "
                              "\"$(printf 'X\\033[31mY\\342\\200\\256')\"",
                              &out, &err),
                   ==, 1);
  g_assert_nonnull (strstr (err, "X\\x1b[31mY\\u202e"));
  g_assert_null (strchr (err, '\033'));
}

static void
on_ended (DocketDBusSession *session, const gchar *why, gchar **out_why)
{
  *out_why = g_strdup (why);
}

static void
test_session (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusPeople) people = people_proxy (f->connection);
  g_autoptr (DocketDBusSession) session = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) items = NULL;
  g_autoptr (GVariant) incidents = NULL;
  g_autoptr (GVariant) handle = NULL;
  g_autoptr (GUnixFDList) fds = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *why = NULL;
  g_autofree gchar *content = NULL;
  guint total = 0;
  gint64 deadline = 0;
  gchar buffer[64] = { 0 };
  int fd;

  enrol (f);

  /* Wrong PIN, then an unknown badge: the same error. */
  g_assert_false (
      docket_dbus_people_call_sign_in_sync (people, "1234", "0000", &path, NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_WRONG_PIN);
  g_clear_error (&error);
  g_assert_false (
      docket_dbus_people_call_sign_in_sync (people, "4444", "0000", &path, NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_WRONG_PIN);
  g_clear_error (&error);

  session = sign_in (f->connection, "1234", "4321");
  g_assert_cmpstr (docket_dbus_session_get_badge (session), ==, "1234");
  g_assert_cmpstr (docket_dbus_session_get_name (session), ==, "Ann Ray");
  g_assert_cmpstr (docket_dbus_session_get_role (session), ==, "officer");
  g_assert_cmpuint (docket_dbus_session_get_expires_in (session), >, 0);

  g_assert_true (docket_dbus_session_call_list_untagged_sync (session, 0, 10, &items, &total,
                                                              &deadline, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 3);
  g_assert_cmpuint (g_variant_n_children (items), ==, 3);
  g_assert_cmpint (deadline, >, 0);
  g_assert_true (docket_dbus_session_call_list_incidents_sync (session, 0, 0, &incidents, &total,
                                                               NULL, &error));
  g_assert_cmpuint (total, ==, 2);

  /* Preview: a read-only descriptor on the committed file. */
  g_assert_true (docket_dbus_session_call_open_recording_sync (session, f->ids[0], "", NULL,
                                                               &handle, &fds, NULL, &error));
  g_assert_no_error (error);
  fd = g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fcntl (fd, F_GETFL) & O_ACCMODE, ==, O_RDONLY);
  g_assert_cmpint (read (fd, buffer, sizeof buffer - 1), >, 0);
  g_assert_cmpstr (buffer, ==, "footage 1");
  g_assert_cmpint (write (fd, "x", 1), ==, -1);
  close (fd);

  /* Another officer's recording: refused. */
  g_clear_pointer (&handle, g_variant_unref);
  g_clear_object (&fds);
  g_assert_false (docket_dbus_session_call_open_recording_sync (session, f->ids[3], "why not", NULL,
                                                                &handle, &fds, NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Tag the incident at once; a case number in the wrong format is refused. */
  g_assert_false (docket_dbus_session_call_tag_sync (
      session, g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, f->ids, 2, sizeof (gint64)),
      "arrest", "not a case", "", NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (docket_dbus_session_call_tag_sync (
      session, g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, f->ids, 2, sizeof (gint64)),
      "arrest", "24-001234", "stop on 5th", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&items, g_variant_unref);
  g_assert_true (docket_dbus_session_call_list_untagged_sync (session, 0, 10, &items, &total,
                                                              &deadline, NULL, &error));
  g_assert_cmpuint (total, ==, 1);

  /* Officers have no review queues. */
  g_clear_pointer (&items, g_variant_unref);
  g_assert_false (docket_dbus_session_call_review_queue_sync (
      session, "overdue", g_variant_new ("a{sv}", NULL), 0, 10, &items, &total, NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED);
  g_clear_error (&error);

  /* Another connection may not use this session. */
  {
    g_autoptr (GDBusConnection) other = g_dbus_connection_new_for_address_sync (
        g_test_dbus_get_bus_address (f->bus),
        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
            | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
        NULL, NULL, &error);
    g_autoptr (DocketDBusSession) stolen = NULL;

    g_assert_no_error (error);
    stolen = docket_dbus_session_proxy_new_sync (
        other, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, DOCKET_DBUS_NAME,
        g_dbus_proxy_get_object_path (G_DBUS_PROXY (session)), NULL, &error);
    g_assert_no_error (error);
    g_assert_false (docket_dbus_session_call_touch_sync (stolen, NULL, &error));
    g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED);
    g_clear_error (&error);
  }

  /* Sign out: Ended, then the object is gone. */
  g_signal_connect (session, "ended", G_CALLBACK (on_ended), &why);
  g_assert_true (docket_dbus_session_call_sign_out_sync (session, NULL, &error));
  while (why == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (why, ==, "signed-out");
  g_assert_false (docket_dbus_session_call_touch_sync (session, NULL, &error));
  g_assert_true (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD)
                 || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT));
  g_clear_error (&error);

  /* Every step on evidence is in the audit log. */
  g_assert_cmpint (docket_test_daemon_stop (f->daemon), ==, 0);
  f->daemon = NULL;
  {
    PeopleFixture store = { 0 };
    g_autofree gchar *root = g_build_filename (f->state_dir, "store", NULL);

    store.store = docket_evidence_store_open (root, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (people_fixture_count_audit (&store, "sign-in-failed"), ==, 2);
    g_assert_cmpuint (people_fixture_count_audit (&store, "signed-in"), ==, 1);
    g_assert_cmpuint (people_fixture_count_audit (&store, "recording-viewed"), ==, 1);
    g_assert_cmpuint (people_fixture_count_audit (&store, "recording-tagged"), ==, 2);
    g_assert_cmpuint (people_fixture_count_audit (&store, "signed-out"), ==, 1);
    g_assert_cmpuint (people_fixture_count_audit (&store, "person-enrolled"), ==, 2);
    g_clear_object (&store.store);
  }
}

static void
test_lockout_and_disconnect (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusPeople) people = people_proxy (f->connection);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = NULL;
  g_autoptr (GDBusConnection) kiosk = NULL;
  g_autoptr (DocketDBusSession) session = NULL;
  g_autoptr (DocketDBusSession) probe = NULL;
  g_autoptr (GVariant) queue = NULL;
  guint total = 0;

  enrol (f);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_false (
          docket_dbus_people_call_sign_in_sync (people, "S-9", "111111", &path, NULL, &error));
      g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_WRONG_PIN);
      g_clear_error (&error);
    }
  g_assert_false (
      docket_dbus_people_call_sign_in_sync (people, "S-9", "111111", &path, NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_LOCKED_OUT);
  g_assert_nonnull (strstr (error->message, "5 minutes"));
  g_clear_error (&error);
  g_assert_false (
      docket_dbus_people_call_sign_in_sync (people, "S-9", "987654", &path, NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_LOCKED_OUT);
  g_clear_error (&error);

  /* A kiosk connection signs in, reads the review queue, then drops off
   * the bus: its session ends with it. */
  kiosk = g_dbus_connection_new_for_address_sync (
      g_test_dbus_get_bus_address (f->bus),
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
          | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (
      docket_dbus_people_call_sign_in_sync (people, "1234", "4321", &path, NULL, &error));
  session = sign_in (kiosk, "1234", "4321");
  g_assert_true (docket_dbus_session_call_touch_sync (session, NULL, &error));
  g_assert_no_error (error);
  probe = docket_dbus_session_proxy_new_sync (
      f->connection,
      G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START | G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
      DOCKET_DBUS_NAME, g_dbus_proxy_get_object_path (G_DBUS_PROXY (session)), NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&session);
  g_assert_true (g_dbus_connection_close_sync (kiosk, NULL, &error));
  /* Until docketd sees the name vanish the answer is AccessDenied; then the
   * object is gone. */
  for (;;)
    {
      g_assert_false (docket_dbus_session_call_touch_sync (probe, NULL, &error));
      if (!g_error_matches (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED))
        break;
      g_clear_error (&error);
      g_usleep (50000);
    }
  g_assert_true (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD)
                 || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT));
  g_clear_error (&error);

  /* The session this connection opened above still works: it was the
   * other one that ended. */
  session = docket_dbus_session_proxy_new_sync (f->connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                                DOCKET_DBUS_NAME, path, NULL, &error);
  g_assert_false (docket_dbus_session_call_review_queue_sync (
      session, "overdue", g_variant_new ("a{sv}", NULL), 0, 10, &queue, &total, NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED);
  g_clear_error (&error);
  g_assert_true (docket_dbus_session_call_sign_out_sync (session, NULL, &error));
}

static void
test_review_and_it (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusSession) ann = NULL;
  g_autoptr (DocketDBusSession) sam = NULL;
  g_autoptr (DocketDBusSession) ivy = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) queue = NULL;
  g_autoptr (GVariant) status = NULL;
  g_autoptr (GVariant) items = NULL;
  g_autoptr (GVariant) first = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  guint total = 0;
  gint64 deadline = 0;
  gint64 request = 0;
  gint64 request_id = 0;

  enrol (f);
  g_assert_cmpint (
      run_shell ("echo 2468 | $CTL --session officer add 42 --name 'Ivy Chen' --role it", &out,
                 &err),
      ==, 0);
  ann = sign_in (f->connection, "1234", "4321");
  sam = sign_in (f->connection, "S-9", "987654");
  ivy = sign_in (f->connection, "42", "2468");

  /* The officer asks; the sergeant sees it in the deletion queue and approves. */
  g_assert_true (docket_dbus_session_call_request_deletion_sync (ann, f->ids[2], "pocket recording",
                                                                 &request, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (docket_dbus_session_call_review_queue_sync (
      sam, "deletion", g_variant_new_parsed ("@a{sv} {'officer': <'1234'>}"), 0, 10, &queue, &total,
      NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 1);
  first = g_variant_get_child_value (queue, 0);
  g_assert_true (g_variant_lookup (first, "request-id", "x", &request_id));
  g_assert_cmpint (request_id, ==, request);
  g_assert_false (
      docket_dbus_session_call_decide_deletion_sync (sam, request, TRUE, "", NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (docket_dbus_session_call_decide_deletion_sync (
      sam, request, TRUE, "accidental, approved", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (docket_dbus_session_call_list_untagged_sync (ann, 0, 10, &items, &total, &deadline,
                                                              NULL, &error));
  g_assert_cmpuint (total, ==, 2);

  /* IT: the station's status, but no footage and no queues. */
  g_assert_true (docket_dbus_session_call_get_station_status_sync (ivy, &status, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (status, "cameras-known", "u", &total));
  g_assert_cmpuint (total, ==, 1);
  g_assert_true (g_variant_lookup (status, "recordings", "u", &total));
  g_assert_cmpuint (total, ==, 4);
  g_clear_pointer (&queue, g_variant_unref);
  g_assert_false (docket_dbus_session_call_review_queue_sync (
      ivy, "overdue", g_variant_new ("a{sv}", NULL), 0, 10, &queue, &total, NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED);
  g_clear_error (&error);
  g_clear_pointer (&status, g_variant_unref);
  g_assert_false (docket_dbus_session_call_get_station_status_sync (ann, &status, NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED);
  g_clear_error (&error);

  g_assert_true (docket_dbus_session_call_sign_out_sync (ann, NULL, &error));
  g_assert_true (docket_dbus_session_call_sign_out_sync (sam, NULL, &error));
  g_assert_true (docket_dbus_session_call_sign_out_sync (ivy, NULL, &error));

  /* Stopped right after the replies: each sign-out is still on record (and
   * the daemon exits cleanly rather than under its audit writers). */
  g_assert_cmpint (docket_test_daemon_stop (g_steal_pointer (&f->daemon)), ==, 0);
  g_assert_cmpuint (count_audit_rows (f, "signed-out"), ==, 3);
}

/* A sergeant exports through the daemon; an officer cannot; nothing is
 * written outside the exports folder or removable media. docketd signs the
 * audit chain at start and once more at exit, so every row is covered. */
static void
test_export_and_anchors (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusSession) ann = NULL;
  g_autoptr (DocketDBusSession) sam = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *package = NULL;
  g_autofree gchar *refused = NULL;
  g_autofree gchar *key = g_build_filename (f->state_dir, "keys", "station.key", NULL);
  g_autofree gchar *anchors = g_build_filename (f->state_dir, "store", "anchors.log", NULL);
  g_autofree gchar *exports = g_build_filename (f->state_dir, "exports", NULL);
  g_autofree gchar *script = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *recording = NULL;
  g_autofree gchar *what = g_strdup_printf ("%" G_GINT64_FORMAT, f->ids[0]);
  guint n_recordings = 0;
  guint n_files = 0;
  guint64 n_bytes = 0;
  GStatBuf st;

  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_test (anchors, G_FILE_TEST_IS_REGULAR));

  enrol (f);
  ann = sign_in (f->connection, "1234", "4321");
  sam = sign_in (f->connection, "S-9", "987654");
  g_assert_false (docket_dbus_session_call_export_sync (
      ann, "recording", what, "", "curious", FALSE, &refused, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED);
  g_clear_error (&error);
  g_assert_false (docket_dbus_session_call_export_sync (
      sam, "recording", what, "/etc", "court", FALSE, &refused, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED);
  g_clear_error (&error);
  g_assert_true (docket_dbus_session_call_export_sync (
      sam, "incident", what, "", "Court order 12/2026", FALSE, &package, &n_recordings, &n_files,
      &n_bytes, NULL, &error));
  g_assert_no_error (error);
  /* What the kiosk shows the sergeant: the package folder, added up. */
  g_assert_cmpuint (n_recordings, >=, 1);
  {
    g_autofree gchar *count_script
        = g_strdup_printf ("cd '%s' && find . -type f | wc -l && find . -type f -printf '%%s\\n'"
                           " | awk '{s+=$1} END {print s}'",
                           package);
    g_autofree gchar *expected = NULL;

    g_assert_cmpint (run_shell (count_script, &out, &err), ==, 0);
    expected = g_strdup_printf ("%u\n%" G_GUINT64_FORMAT "\n", n_files, n_bytes);
    g_assert_cmpstr (out, ==, expected);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  g_assert_true (g_str_has_prefix (package, exports));
  recording = g_strdup_printf ("%s/recordings/%" G_GINT64_FORMAT "_", package, f->ids[1]);
  script = g_strdup_printf ("ls %s* && cd '%s' && sha256sum -c --quiet SHA256SUMS", recording,
                            package);
  g_assert_cmpint (run_shell (script, &out, &err), ==, 0);
  g_assert_cmpuint (count_audit_rows (f, "evidence-exported"), ==, 1);

  /* Need to know: once ann files one as a victim interview (restricted, no
   * sergeant access), sam cannot export it, nor its incident. */
  g_assert_true (docket_dbus_session_call_tag_sync (
      ann, g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, f->ids, 1, sizeof (gint64)),
      "victim-interview", "", "", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (docket_dbus_session_call_export_sync (sam, "recording", what, "", "court", FALSE,
                                                        NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autofree gchar *other = g_strdup_printf ("%" G_GINT64_FORMAT, f->ids[1]);

    g_assert_false (docket_dbus_session_call_export_sync (
        sam, "incident", other, "", "court", FALSE, NULL, NULL, NULL, NULL, NULL, &error));
    g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED);
    g_clear_error (&error);
  }
  g_assert_cmpuint (count_audit_rows (f, "evidence-exported"), ==, 1);

  /* While rows are added, the timer signs the new head (the sign-out row). */
  {
    guint before = count_lines (anchors);
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    g_assert_true (docket_dbus_session_call_sign_out_sync (ann, NULL, &error));
    while (count_lines (anchors) == before && g_get_monotonic_time () < deadline)
      g_usleep (100000);
    g_assert_cmpuint (count_lines (anchors), >, before);
  }

  g_assert_true (docket_dbus_session_call_sign_out_sync (sam, NULL, &error));
  g_assert_cmpint (docket_test_daemon_stop (g_steal_pointer (&f->daemon)), ==, 0);
  g_clear_pointer (&script, g_free);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  script = g_strdup_printf ("$CTL audit verify --store '%s/store'", f->state_dir);
  g_assert_cmpint (run_shell (script, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Intact"));
  g_assert_null (strstr (out, "newer than the last signed anchor"));
}

/* A method's write still in its worker when docketd is told to stop: the
 * daemon waits for it rather than exiting under it. */
static void
test_stop_drains_workers (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusSession) session = NULL;
  g_autoptr (GError) error = NULL;

  if (!DOCKET_TEST_HOOKS)
    {
      g_test_skip ("needs docketd's worker delay: configure with -Dtest_hooks=true");
      return;
    }
  enrol (f);
  session = sign_in (f->connection, "1234", "4321");
  docket_dbus_session_call_tag (
      session, g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, f->ids, 1, sizeof (gint64)),
      "arrest", "24-001234", "", NULL, NULL, NULL);
  /* Calls are handled in order: once Touch is answered, Tag's worker runs. */
  g_assert_true (docket_dbus_session_call_touch_sync (session, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (docket_test_daemon_stop (g_steal_pointer (&f->daemon)), ==, 0);
  g_assert_cmpuint (count_audit_rows (f, "recording-tagged"), ==, 1);
  g_assert_cmpuint (count_audit_rows (f, "signed-out"), ==, 1);
}

/* SIGTERM while a sergeant's approval and an officer's tag are being
 * written: each is written whole (not half, not lost), the audit chain
 * verifies, and docketd is gone well inside the unit's TimeoutStopSec. */
static void
test_sigterm_during_approve_and_tag (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusSession) ann = NULL;
  g_autoptr (DocketDBusSession) sam = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *script = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  gint64 request = 0;
  gint64 started;

  if (!DOCKET_TEST_HOOKS)
    {
      g_test_skip ("needs docketd's worker delay: configure with -Dtest_hooks=true");
      return;
    }
  enrol (f);
  ann = sign_in (f->connection, "1234", "4321");
  sam = sign_in (f->connection, "S-9", "987654");
  g_assert_true (docket_dbus_session_call_request_deletion_sync (ann, f->ids[2], "pocket recording",
                                                                 &request, NULL, &error));
  g_assert_no_error (error);
  docket_dbus_session_call_decide_deletion (sam, request, TRUE, "accidental, approved", NULL, NULL,
                                            NULL);
  docket_dbus_session_call_tag (
      ann, g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, f->ids, 1, sizeof (gint64)), "arrest",
      "24-001234", "", NULL, NULL, NULL);
  /* Calls are handled in order: once these are answered, both workers are
   * in their 300 ms delay before the write. */
  g_assert_true (docket_dbus_session_call_touch_sync (sam, NULL, &error));
  g_assert_true (docket_dbus_session_call_touch_sync (ann, NULL, &error));
  g_assert_no_error (error);
  started = g_get_monotonic_time ();
  g_assert_cmpint (docket_test_daemon_stop (g_steal_pointer (&f->daemon)), ==, 0);
  /* data/systemd/docketd.service: TimeoutStopSec=60s */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (count_audit_rows (f, "deletion-approved"), ==, 1);
  g_assert_cmpuint (count_audit_rows (f, "recording-tagged"), ==, 1);
  script = g_strdup_printf ("$CTL audit verify --store '%s/store'", f->state_dir);
  g_assert_cmpint (run_shell (script, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Intact"));
}

static void
on_signal_counted (GDBusConnection *connection,
                   const gchar *sender,
                   const gchar *path,
                   const gchar *interface,
                   const gchar *signal,
                   GVariant *parameters,
                   gpointer user_data)
{
  guint *count = user_data;

  (*count)++;
}

static GDBusConnection *
private_connection (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  GDBusConnection *connection = g_dbus_connection_new_for_address_sync (
      g_test_dbus_get_bus_address (f->bus),
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
          | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, &error);

  g_assert_no_error (error);
  return connection;
}

/* Another connection can neither read a session's properties (badge, name,
 * role) nor hear its signals; the owner can do both. */
static void
test_privacy (Fixture *f, gconstpointer data)
{
  g_autoptr (GDBusConnection) kiosk = private_connection (f);
  g_autoptr (DocketDBusSession) session = NULL;
  g_autoptr (GVariant) all = NULL;
  g_autoptr (GError) error = NULL;
  const gchar *path;
  guint heard_by_owner = 0;
  guint heard_by_other = 0;
  guint owner_sub, other_sub;
  gint64 until;

  enrol (f);
  session = sign_in (kiosk, "1234", "4321");
  path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (session));
  g_assert_cmpstr (docket_dbus_session_get_badge (session), ==, "1234");

  for (guint i = 0; i < 2; i++)
    {
      all = g_dbus_connection_call_sync (
          f->connection, DOCKET_DBUS_NAME, path, "org.freedesktop.DBus.Properties",
          i == 0 ? "GetAll" : "Get",
          i == 0 ? g_variant_new ("(s)", "io.github.docket.Docket1.Session")
                 : g_variant_new ("(ss)", "io.github.docket.Docket1.Session", "Name"),
          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      g_assert_null (all);
      g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED);
      g_clear_error (&error);
    }

  owner_sub = g_dbus_connection_signal_subscribe (kiosk, NULL, NULL, NULL, path, NULL,
                                                  G_DBUS_SIGNAL_FLAGS_NONE, on_signal_counted,
                                                  &heard_by_owner, NULL);
  other_sub = g_dbus_connection_signal_subscribe (f->connection, NULL, NULL, NULL, path, NULL,
                                                  G_DBUS_SIGNAL_FLAGS_NONE, on_signal_counted,
                                                  &heard_by_other, NULL);
  g_assert_true (docket_dbus_session_call_sign_out_sync (session, NULL, &error));
  g_assert_no_error (error);
  until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (heard_by_owner, >=, 1);
  g_assert_cmpuint (heard_by_other, ==, 0);
  g_dbus_connection_signal_unsubscribe (kiosk, owner_sub);
  g_dbus_connection_signal_unsubscribe (f->connection, other_sub);
}

/* Waits until @session's Ended arrives; returns why. */
static gchar *
wait_ended (DocketDBusSession *session)
{
  g_autofree gchar *why = NULL;
  gulong id = g_signal_connect (session, "ended", G_CALLBACK (on_ended), &why);
  gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (why == NULL && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  g_signal_handler_disconnect (session, id);
  return g_steal_pointer (&why);
}

/* IT removes a person, or changes their role: their session ends at once
 * and its methods stop working; they sign in again as they are now. */
static void
test_people_changes_end_sessions (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusSession) ann = NULL;
  g_autoptr (DocketDBusSession) sam = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *why = NULL;

  enrol (f);
  ann = sign_in (f->connection, "1234", "4321");
  sam = sign_in (f->connection, "S-9", "987654");

  g_assert_cmpint (run_shell ("$CTL --session officer remove S-9", &out, &err), ==, 0);
  why = wait_ended (sam);
  g_assert_cmpstr (why, ==, "person-removed");
  g_clear_pointer (&why, g_free);
  g_assert_false (docket_dbus_session_call_touch_sync (sam, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* Ann's session was not touched by it. */
  g_assert_true (docket_dbus_session_call_touch_sync (ann, NULL, &error));
  g_assert_no_error (error);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_shell ("echo 4321 | $CTL --session officer add 1234 --name 'Ann Ray'"
                              " --role sergeant --pin-stdin",
                              &out, &err),
                   ==, 0);
  why = wait_ended (ann);
  g_assert_cmpstr (why, ==, "person-changed");
  g_assert_false (docket_dbus_session_call_touch_sync (ann, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_object (&ann);
  ann = sign_in (f->connection, "1234", "4321");
  g_assert_cmpstr (docket_dbus_session_get_role (ann), ==, "sergeant");
}

static void
fixture_setup_many (Fixture *f, gconstpointer data)
{
  many_recordings = TRUE;
  fixture_setup (f, data);
  many_recordings = FALSE;
}

static void
on_sign_in_flood_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint *counts = user_data; /* [0] answered, [1] refused as too many */
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = NULL;

  (void)docket_dbus_people_call_sign_in_finish (DOCKET_DBUS_PEOPLE (source), &path, result, &error);
  counts[0]++;
  if (error != NULL && strstr (error->message, "Too many sign-ins") != NULL)
    counts[1]++;
}

/* A page is at most 500 rows whatever the limit (0 too); texts have a
 * length limit before anything reaches the audit log; sign-ins are
 * limited in number. */
static void
test_limits (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusSession) session = NULL;
  g_autoptr (DocketDBusPeople) people = people_proxy (f->connection);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) items = NULL;
  g_autofree gchar *long_reason = g_strnfill (100 * 1024, 'x');
  guint total = 0;
  gint64 deadline = 0;
  gint64 request = 0;
  guint audit_rows;
  guint counts[2] = { 0, 0 };

  enrol (f);
  session = sign_in (f->connection, "1234", "4321");
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&items, g_variant_unref);
      g_assert_true (docket_dbus_session_call_list_untagged_sync (
          session, 0, i == 0 ? 0 : G_MAXUINT32, &items, &total, &deadline, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (total, >, 500);
      g_assert_cmpuint (g_variant_n_children (items), ==, 500);
    }

  audit_rows = count_audit_rows (f, "deletion-requested");
  g_assert_false (docket_dbus_session_call_request_deletion_sync (session, f->ids[0], long_reason,
                                                                  &request, NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (count_audit_rows (f, "deletion-requested"), ==, audit_rows);

  /* 40 sign-ins at once: a few are checked, the rest refused at once. */
  for (guint i = 0; i < 40; i++)
    {
      g_autofree gchar *badge = g_strdup_printf ("X%u", i);

      docket_dbus_people_call_sign_in (people, badge, "1111", NULL, on_sign_in_flood_done, counts);
    }
  while (counts[0] < 40)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (counts[1], >=, 40 - 30);
}

static void
test_idle (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusSession) session = NULL;
  g_autofree gchar *why = NULL;

  enrol (f);
  session = sign_in (f->connection, "1234", "4321");
  g_assert_cmpuint (docket_dbus_session_get_idle_seconds (session), ==, 10);
  g_signal_connect (session, "ended", G_CALLBACK (on_ended), &why);
  while (why == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (why, ==, "idle");
}

/* Who viewed my recordings, legal holds and the retention pass, over D-Bus
 * and docketctl. The store's footage is from 2023: past the default year. */
static void
test_retention (Fixture *f, gconstpointer data)
{
  g_autoptr (DocketDBusSession) ann = NULL;
  g_autoptr (DocketDBusSession) sam = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) handle = NULL;
  g_autoptr (GUnixFDList) fds = NULL;
  g_autoptr (GVariant) entries = NULL;
  g_autoptr (GVariant) forecast = NULL;
  g_autoptr (GVariant) first = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *script = NULL;
  g_autofree gchar *target = g_strdup_printf ("%" G_GINT64_FORMAT, f->ids[0]);
  const gchar *text = NULL;
  gint64 hold = 0;
  guint32 due = 0;

  enrol (f);
  ann = sign_in (f->connection, "1234", "4321");
  sam = sign_in (f->connection, "S-9", "987654");

  /* The sergeant views Ann's recording with a reason; Ann sees it. */
  g_assert_true (docket_dbus_session_call_open_recording_sync (
      sam, f->ids[0], "use-of-force review", NULL, &handle, &fds, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (docket_dbus_session_call_list_access_sync (ann, 0, 50, &entries, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (entries), ==, 1);
  first = g_variant_get_child_value (entries, 0);
  g_assert_true (g_variant_lookup (first, "name", "&s", &text));
  g_assert_cmpstr (text, ==, "Sam Lee");
  g_assert_true (g_variant_lookup (first, "role", "&s", &text));
  g_assert_cmpstr (text, ==, "sergeant");
  g_assert_true (g_variant_lookup (first, "reason", "&s", &text));
  g_assert_cmpstr (text, ==, "use-of-force review");

  /* Officers place no holds; a sergeant holds the incident (ids 0 and 1). */
  g_assert_false (docket_dbus_session_call_place_hold_sync (ann, "incident", target, "mine", &hold,
                                                            NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED);
  g_clear_error (&error);
  g_assert_true (docket_dbus_session_call_place_hold_sync (
      sam, "incident", target, "complaint expected", &hold, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (docket_dbus_session_call_get_retention_sync (sam, &forecast, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (forecast, "due-count", "u", &due));
  g_assert_cmpuint (due, ==, 2);

  /* docketctl: the forecast, a dry run, then the pass. */
  g_assert_cmpint (run_shell ("$CTL --session retention show", &out, &err), ==, 0);
  g_test_message ("docketctl retention show:\n%s", out);
  g_assert_nonnull (strstr (out, "Due now"));
  g_assert_nonnull (strstr (out, "Under legal hold: 2"));
  /* 36 bytes a month never fill a disk: no false alarm. */
  g_assert_null (strstr (out, "WARNING"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_shell ("$CTL --session retention run", &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_shell ("$CTL --session retention run --dry-run", &out, &err), ==, 0);
  g_assert_cmpuint (count_audit_rows (f, "recording-purged"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_shell ("$CTL --session retention run --now", &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Purged 2 recordings"));
  g_assert_cmpuint (count_audit_rows (f, "recording-purged"), ==, 2);
  g_assert_cmpuint (count_audit_rows (f, "hold-placed"), ==, 1);

  /* The audit log by recording and by person. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  script = g_strdup_printf ("$CTL audit list --store '%s/store' --recording %" G_GINT64_FORMAT,
                            f->state_dir, f->ids[0]);
  g_assert_cmpint (run_shell (script, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "recording-viewed"));
  g_assert_nonnull (strstr (out, "hold-placed"));
  g_assert_null (strstr (out, "recording-purged"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&script, g_free);
  script = g_strdup_printf ("$CTL audit list --store '%s/store' --person S-9", f->state_dir);
  g_assert_cmpint (run_shell (script, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "recording-viewed"));
  g_assert_null (strstr (out, "recording-committed"));

  /* Released (with a reason) through docketctl. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&script, g_free);
  script = g_strdup_printf (
      "$CTL --session retention release %" G_GINT64_FORMAT " --reason 'no complaint filed'", hold);
  g_assert_cmpint (run_shell (script, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_shell ("$CTL --session retention holds --all", &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "no complaint filed"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_shell ("$CTL --session retention run --now", &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Purged 2 recordings"));
  g_assert_true (docket_dbus_session_call_sign_out_sync (ann, NULL, &error));
  g_assert_true (docket_dbus_session_call_sign_out_sync (sam, NULL, &error));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/session-service/enrolment", Fixture, NULL, fixture_setup, test_enrolment,
              fixture_teardown);
  g_test_add ("/session-service/session", Fixture, NULL, fixture_setup, test_session,
              fixture_teardown);
  g_test_add ("/session-service/lockout-and-disconnect", Fixture, NULL, fixture_setup,
              test_lockout_and_disconnect, fixture_teardown);
  g_test_add ("/session-service/review-and-it", Fixture, NULL, fixture_setup_slow_workers,
              test_review_and_it, fixture_teardown);
  g_test_add ("/session-service/sigterm-during-approve-and-tag", Fixture, NULL,
              fixture_setup_slow_workers, test_sigterm_during_approve_and_tag, fixture_teardown);
  g_test_add ("/session-service/stop-drains-workers", Fixture, NULL, fixture_setup_slow_workers,
              test_stop_drains_workers, fixture_teardown);
  g_test_add ("/session-service/export-and-anchors", Fixture, NULL, fixture_setup_fast_anchors,
              test_export_and_anchors, fixture_teardown);
  g_test_add ("/session-service/retention", Fixture, NULL, fixture_setup, test_retention,
              fixture_teardown);
  g_test_add ("/session-service/privacy", Fixture, NULL, fixture_setup, test_privacy,
              fixture_teardown);
  g_test_add ("/session-service/people-changes-end-sessions", Fixture, NULL, fixture_setup,
              test_people_changes_end_sessions, fixture_teardown);
  g_test_add ("/session-service/limits", Fixture, NULL, fixture_setup_many, test_limits,
              fixture_teardown);
  g_test_add ("/session-service/idle", Fixture, "[station]\nidle-sign-out-seconds=10\n",
              fixture_setup, test_idle, fixture_teardown);
  return g_test_run ();
}
