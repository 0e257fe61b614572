/* test-docketctl.c — docketctl's output and exit codes, with and without docketd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "docket-test-daemon.h"

typedef DocketTestBusFixture Fixture;

#define fixture_setup docket_test_bus_fixture_setup
#define fixture_teardown docket_test_bus_fixture_teardown

static gint
run_ctl (const gchar *a1, const gchar *a2, const gchar *a3, gchar **out, gchar **err)
{
  const gchar *argv[] = { g_getenv ("DOCKETCTL"), "--session", a1, a2, a3, NULL };

  return docket_test_run (argv, out, err);
}

static JsonNode *
parse_json (const gchar *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_without_daemon (Fixture *f, gconstpointer data)
{
  const gchar *commands[] = { "status", "cameras", "watch" };

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree gchar *out = NULL;
      g_autofree gchar *err = NULL;

      g_test_message ("docketctl %s", commands[i]);
      g_assert_cmpint (run_ctl (commands[i], NULL, NULL, &out, &err), ==, 3);
      g_assert_nonnull (strstr (err, "not running"));
      g_assert_cmpstr (out, ==, "");
    }
}

static void
test_usage_errors (Fixture *f, gconstpointer data)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *out2 = NULL;
  g_autofree gchar *err2 = NULL;

  g_assert_cmpint (run_ctl ("frobnicate", NULL, NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "frobnicate"));
  g_assert_cmpint (run_ctl ("status", "extra", NULL, &out2, &err2), ==, 2);
  g_assert_nonnull (strstr (err2, "extra"));
}

static void
test_with_daemon (Fixture *f, gconstpointer data)
{
  DocketTestDaemon *daemon = docket_test_daemon_start (f->state_dir, NULL);
  g_autofree gchar *out = NULL;
  g_autofree gchar *json = NULL;
  g_autofree gchar *cams = NULL;
  g_autofree gchar *cams_json = NULL;
  g_autoptr (JsonNode) status = NULL;
  g_autoptr (JsonNode) cameras = NULL;
  JsonObject *object;

  g_assert_cmpint (run_ctl ("status", NULL, NULL, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, PACKAGE_VERSION));

  g_assert_cmpint (run_ctl ("status", "--json", NULL, &json, NULL), ==, 0);
  status = parse_json (json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (status));
  object = json_node_get_object (status);
  g_assert_cmpstr (json_object_get_string_member (object, "version"), ==, PACKAGE_VERSION);
  g_assert_cmpint (json_object_get_int_member (object, "cameras"), ==, 0);

  g_assert_cmpint (run_ctl ("cameras", NULL, NULL, &cams, NULL), ==, 0);
  g_assert_nonnull (strstr (cams, "No cameras docked"));
  g_assert_cmpint (run_ctl ("cameras", "--json", NULL, &cams_json, NULL), ==, 0);
  cameras = parse_json (cams_json);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (cameras));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (cameras)), ==, 0);

  g_assert_true (g_spawn_check_wait_status (docket_test_daemon_stop (daemon), NULL));
}

/* watch must report the daemon going away as an event, as JSON lines. */
static void
test_watch_sees_daemon_stop (Fixture *f, gconstpointer data)
{
  DocketTestDaemon *daemon = docket_test_daemon_start (f->state_dir, NULL);
  const gchar *argv[] = { g_getenv ("DOCKETCTL"), "--session", "watch", "--json", "-n", "1", NULL };
  g_autoptr (GSubprocess) watch = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = NULL;
  g_autoptr (JsonNode) event = NULL;
  g_autoptr (JsonNode) ready = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree gchar *first = NULL;

  watch = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  /* The first line says the subscription is live; only then stop the daemon. */
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (watch));
  first = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  ready = parse_json (first);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ready), "kind"), ==,
                   "watching");
  g_assert_true (g_spawn_check_wait_status (docket_test_daemon_stop (daemon), NULL));

  out = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  g_subprocess_wait (watch, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (watch));
  event = parse_json (out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (event), "kind"), ==,
                   "daemon-stopped");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/docketctl/without-daemon", Fixture, NULL, fixture_setup, test_without_daemon,
              fixture_teardown);
  g_test_add ("/docketctl/usage", Fixture, NULL, fixture_setup, test_usage_errors,
              fixture_teardown);
  g_test_add ("/docketctl/with-daemon", Fixture, NULL, fixture_setup, test_with_daemon,
              fixture_teardown);
  g_test_add ("/docketctl/watch-daemon-stop", Fixture, NULL, fixture_setup,
              test_watch_sees_daemon_stop, fixture_teardown);
  return g_test_run ();
}
