/* test-policy-runtime.c — the device policy's station section at runtime
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The station config follows the policy in force: merged over station.conf
 * (the policy wins where it sets a key), updated in place so every holder
 * sees the new values, and, in a real docketd, a newly signed policy
 * changes the tag deadline and idle sign-out an open session sees over
 * D-Bus without a restart, while a refused one changes nothing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "docket-dbus-generated.h"
#include "docket-error.h"
#include "docket-policy.h"
#include "docket-session-error.h"
#include "docket-station-config.h"
#include "docket-test-daemon.h"
#include "test-people-fixture.h"

#define HOUR_USEC ((gint64)3600 * G_USEC_PER_SEC)

static const gchar local_conf[] = "[station]\n"
                                  "tag-deadline-hours=48\n"
                                  "idle-sign-out-seconds=300\n"
                                  "case-number-regex=^MN[0-9]+$\n"
                                  "audit-sample-percent=0\n"
                                  "[category:local-only]\n"
                                  "label=Local only\n"
                                  "retention-days=30\n";

static DocketPolicy *
policy_from (const gchar *json)
{
  g_autoptr (GError) error = NULL;
  DocketPolicy *policy = docket_policy_new_from_data (json, strlen (json), &error);

  g_assert_no_error (error);
  return policy;
}

/* ---- in process ---------------------------------------------------------- */

/* Policy keys win, keys it leaves out stay the station's, its category list
 * replaces the station's whole. */
static void
test_merge (void)
{
  g_autoptr (DocketPolicy) policy = policy_from (
      "{\"format\": 1, \"version\": 1, \"station\": {\"tag-deadline-hours\": 24, "
      "\"pin\": {\"min-length\": 6}, \"default-category\": \"pending\", \"categories\": ["
      "{\"id\": \"pending\", \"label\": \"Pending\", \"retention\": \"1-year\"}, "
      "{\"id\": \"dui\", \"label\": \"DUI\", \"retention-days\": 400}]}}");
  g_autoptr (DocketPolicy) empty = policy_from ("{\"format\": 1, \"version\": 2}");
  g_autofree gchar *overlay = docket_policy_dup_station_config_data (policy);
  g_autofree gchar *nothing = docket_policy_dup_station_config_data (empty);
  g_autoptr (DocketStationConfig) merged = NULL;
  g_autoptr (DocketStationConfig) local = NULL;
  g_autoptr (GError) error = NULL;

  merged = docket_station_config_load_merged (local_conf, overlay, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (docket_station_config_get_tag_deadline_hours (merged), ==, 24);
  g_assert_cmpuint (docket_station_config_get_idle_sign_out_seconds (merged), ==, 300);
  g_assert_cmpuint (docket_station_config_get_pin_min_length (merged), ==, 6);
  g_assert_cmpstr (docket_station_config_get_case_number_regex (merged), ==, "^MN[0-9]+$");
  g_assert_cmpstr (docket_station_config_get_default_category (merged), ==, "pending");
  g_assert_null (docket_station_config_find_category (merged, "local-only"));
  g_assert_cmpuint (docket_station_config_find_category (merged, "dui")->retention_days, ==, 400);
  g_assert_nonnull (docket_station_config_find_category (merged, DOCKET_CATEGORY_UNCATEGORIZED));

  /* A policy with no station section leaves station.conf as it is. */
  local = docket_station_config_load_merged (local_conf, nothing, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (docket_station_config_get_tag_deadline_hours (local), ==, 48);
  g_assert_cmpuint (docket_station_config_get_pin_min_length (local), ==, 4);
  g_assert_nonnull (docket_station_config_find_category (local, "local-only"));
  g_assert_cmpstr (docket_station_config_get_default_category (local), ==,
                   DOCKET_CATEGORY_UNCATEGORIZED);

  /* A default category that names nothing is refused. */
  g_clear_object (&local);
  local = docket_station_config_load_from_data ("[station]\ndefault-category=nope\n", &error);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_assert_null (local);
}

/* erase-after-offload left out is "not managed" (the station default,
 * erase), not false; a model's own entry overrides "*". */
static void
test_erase_unmanaged (void)
{
  g_autoptr (DocketPolicy) none
      = policy_from ("{\"format\": 1, \"version\": 1, \"cameras\": {\"*\": {\"audio\": true}}}");
  g_autoptr (DocketPolicy) some = policy_from (
      "{\"format\": 1, \"version\": 1, \"cameras\": {\"*\": {\"erase-after-offload\": true}, "
      "\"X1\": {\"erase-after-offload\": false}}}");

  g_assert_cmpint (docket_policy_get_model (none, "X1")->erase_after_offload, ==, -1);
  g_assert_cmpint (docket_policy_get_model (some, "X1")->erase_after_offload, ==, 0);
  g_assert_cmpint (docket_policy_get_model (some, "Y2")->erase_after_offload, ==, 1);
}

static void
count_changed (DocketStationConfig *config, guint *n)
{
  (*n)++;
}

/* Everyone holding the config sees the new values; what they read before
 * stays valid. */
static void
test_update_in_place (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStationConfig) config
      = docket_station_config_load_from_data (local_conf, &error);
  g_autoptr (DocketStationConfig) next = docket_station_config_load_from_data (
      "[station]\ntag-deadline-hours=12\nidle-sign-out-seconds=60\n"
      "case-number-regex=^[0-9]+$\n",
      &error);
  g_autoptr (DocketTags) tags = NULL;
  PeopleFixture store = { 0 };
  const DocketCategory *before;
  const gchar *regex_before;
  guint changed = 0;

  g_assert_no_error (error);
  people_fixture_setup_with (&store, NULL);
  tags = docket_tags_new (store.store, config);
  before = docket_station_config_find_category (config, "local-only");
  regex_before = docket_station_config_get_case_number_regex (config);
  g_assert_nonnull (before);
  g_assert_cmpint (docket_tags_get_deadline_span (tags), ==, 48 * HOUR_USEC);
  g_assert_true (docket_station_config_check_case_number (config, "MN12", NULL));

  g_signal_connect (config, "changed", G_CALLBACK (count_changed), &changed);
  docket_station_config_update (config, next);
  g_clear_object (&next);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (docket_tags_get_deadline_span (tags), ==, 12 * HOUR_USEC);
  g_assert_cmpuint (docket_station_config_get_idle_sign_out_seconds (config), ==, 60);
  g_assert_false (docket_station_config_check_case_number (config, "MN12", NULL));
  g_assert_true (docket_station_config_check_case_number (config, "12", NULL));
  g_assert_null (docket_station_config_find_category (config, "local-only"));
  /* Read before the update, still readable (ASan would say otherwise). */
  g_assert_cmpstr (before->label, ==, "Local only");
  g_assert_cmpstr (regex_before, ==, "^MN[0-9]+$");
  g_clear_object (&tags);
  people_fixture_teardown (&store, NULL);
}

/* ---- docketd --------------------------------------------------------------- */

typedef struct
{
  DocketTestBusFixture bus;
  gchar *policy_dir;
  gchar *policy;
  gchar *secret;
  DocketTestDaemon *daemon;
  GDBusConnection *connection;
  guint n_refused;
} Fixture;

static void
write_policy (Fixture *f, gint version, guint deadline_hours, guint idle_seconds, gboolean sign)
{
  g_autofree gchar *json = g_strdup_printf (
      "{\"format\": 1, \"version\": %d, \"station\": {\"tag-deadline-hours\": %u, "
      "\"idle-sign-out-seconds\": %u}}",
      version, deadline_hours, idle_seconds);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sig = NULL;

  /* Both files change within the daemon's one-second settling time. */
  g_assert_true (g_file_set_contents (f->policy, json, -1, &error));
  g_assert_no_error (error);
  if (sign)
    {
      g_assert_true (docket_policy_sign_file (f->policy, f->secret, &sig, &error));
      g_assert_no_error (error);
    }
}

static void
prepare_store (Fixture *f)
{
  PeopleFixture store = { 0 };
  g_autofree gchar *root = g_build_filename (f->bus.state_dir, "store", NULL);

  people_fixture_setup_with (&store, NULL);
  g_clear_object (&store.review);
  g_clear_object (&store.tags);
  g_clear_object (&store.people);
  (void)people_fixture_add_recording (&store, "1234", g_get_real_time (), 0);
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
  g_autofree gchar *keys = NULL;
  g_autofree gchar *pub = NULL;

  (void)docket_session_error_quark ();
  docket_test_bus_fixture_setup (&f->bus, data);
  conf = g_build_filename (f->bus.state_dir, "station.conf", NULL);
  g_assert_true (g_file_set_contents (conf, local_conf, -1, &error));
  f->policy_dir = g_build_filename (f->bus.state_dir, "policy", NULL);
  keys = g_build_filename (f->policy_dir, "trusted-keys", NULL);
  g_assert_cmpint (g_mkdir_with_parents (keys, 0700), ==, 0);
  f->policy = g_build_filename (f->policy_dir, "policy.json", NULL);
  f->secret = g_build_filename (f->bus.state_dir, "it.key", NULL);
  pub = g_build_filename (keys, "it.pub", NULL);
  g_assert_true (docket_policy_keygen (f->secret, pub, &error));
  g_assert_no_error (error);
  prepare_store (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->daemon != NULL)
    g_assert_cmpint (docket_test_daemon_stop (f->daemon), ==, 0);
  g_clear_object (&f->connection);
  g_free (f->policy_dir);
  g_free (f->policy);
  g_free (f->secret);
  {
    /* The store makes its files read-only. */
    g_autofree gchar *cmd = g_strdup_printf ("chmod -R u+w '%s'", f->bus.state_dir);

    g_assert_cmpint (system (cmd), ==, 0);
  }
  docket_test_bus_fixture_teardown (&f->bus, data);
}

static void
enrol (void)
{
  g_autofree gchar *script = g_strdup_printf (
      "echo 4321 | '%s' --session officer add 1234 --name 'Ann Ray' --role officer --pin-stdin",
      g_getenv ("DOCKETCTL"));
  const gchar *argv[] = { "/bin/sh", "-c", script, NULL };
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;

  g_assert_cmpint (docket_test_run (argv, &out, &err), ==, 0);
}

static DocketDBusSession *
sign_in (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketDBusPeople) people
      = docket_dbus_people_proxy_new_sync (f->connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                           DOCKET_DBUS_NAME, DOCKET_DBUS_PATH, NULL, &error);
  g_autofree gchar *path = NULL;
  DocketDBusSession *session;

  g_assert_no_error (error);
  g_assert_true (
      docket_dbus_people_call_sign_in_sync (people, "1234", "4321", &path, NULL, &error));
  g_assert_no_error (error);
  session = docket_dbus_session_proxy_new_sync (f->connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                                DOCKET_DBUS_NAME, path, NULL, &error);
  g_assert_no_error (error);
  return session;
}

static gint64
untagged_deadline (DocketDBusSession *session)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) items = NULL;
  guint total = 0;
  gint64 deadline = 0;

  g_assert_true (docket_dbus_session_call_list_untagged_sync (session, 0, 10, &items, &total,
                                                              &deadline, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 1);
  return deadline;
}

static void
on_event (DocketDBusManager *manager,
          const gchar *kind,
          const gchar *camera,
          const gchar *message,
          GVariant *details,
          Fixture *f)
{
  g_test_message ("event %s: %s", kind, message);
  if (g_str_equal (kind, "policy-refused"))
    f->n_refused++;
}

static void
test_reload (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *policy_arg = g_strconcat ("--policy-dir=", f->policy_dir, NULL);
  const gchar *extra[] = { policy_arg, NULL };
  g_autoptr (DocketDBusSession) session = NULL;
  g_autoptr (DocketDBusSession) later = NULL;
  g_autoptr (DocketDBusManager) manager = NULL;
  gint64 first, second;

  write_policy (f, 1, 24, 200, TRUE);
  f->daemon = docket_test_daemon_start (f->bus.state_dir, extra);
  f->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  manager = docket_dbus_manager_proxy_new_sync (f->connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                                DOCKET_DBUS_NAME, DOCKET_DBUS_PATH, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (manager, "event", G_CALLBACK (on_event), f);
  enrol ();

  /* At start: the policy's values over station.conf's (48 h, 300 s). */
  session = sign_in (f);
  g_assert_cmpuint (docket_dbus_session_get_idle_seconds (session), ==, 200);
  g_assert_cmpstr (docket_dbus_session_get_case_number_format (session), ==, "^MN[0-9]+$");
  first = untagged_deadline (session);

  /* IT pushes version 2: the open session follows, no restart. */
  write_policy (f, 2, 12, 60, TRUE);
  while (docket_dbus_session_get_idle_seconds (session) != 60)
    g_main_context_iteration (NULL, TRUE);
  second = untagged_deadline (session);
  g_assert_cmpint (first - second, ==, 12 * HOUR_USEC);

  /* A tampered version 3 is refused: nothing changes. */
  write_policy (f, 3, 1, 30, FALSE);
  while (f->n_refused == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (docket_dbus_session_get_idle_seconds (session), ==, 60);
  g_assert_cmpint (untagged_deadline (session), ==, second);
  later = sign_in (f);
  g_assert_cmpuint (docket_dbus_session_get_idle_seconds (later), ==, 60);
  g_assert_cmpint (untagged_deadline (later), ==, second);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/policy-runtime/erase-unmanaged", test_erase_unmanaged);
  g_test_add_func ("/policy-runtime/merge", test_merge);
  g_test_add_func ("/policy-runtime/update-in-place", test_update_in_place);
  g_test_add ("/policy-runtime/reload", Fixture, NULL, fixture_setup, test_reload,
              fixture_teardown);
  return g_test_run ();
}
