/* test-docketctl-policy.c — docketctl policy keygen|sign|validate|show and
 * docketd loading, refusing and reporting a policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "docket-evidence-store.h"
#include "docket-test-daemon.h"

typedef struct
{
  GTestDBus *bus;
  gchar *dir;
  gchar *policy_dir;
  gchar *keys_dir;
  gchar *state_dir;
  gchar *prefix;
  gchar *secret;
  gchar *policy;
} Fixture;

static gint
run_ctl (const gchar *const *args, gchar **out, gchar **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer)g_getenv ("DOCKETCTL"));
  g_ptr_array_add (argv, "--session");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  g_free (*out);
  g_free (*err);
  *out = *err = NULL;
  return docket_test_run ((const gchar *const *)argv->pdata, out, err);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (f->bus);
  f->dir = g_dir_make_tmp ("docket-test-ctl-policy-XXXXXX", &error);
  g_assert_no_error (error);
  f->policy_dir = g_build_filename (f->dir, "policy", NULL);
  f->keys_dir = g_build_filename (f->policy_dir, "trusted-keys", NULL);
  f->state_dir = g_build_filename (f->dir, "state", NULL);
  f->prefix = g_build_filename (f->dir, "it", NULL);
  f->secret = g_build_filename (f->dir, "it.key", NULL);
  f->policy = g_build_filename (f->policy_dir, "policy.json", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->keys_dir, 0700), ==, 0);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_test_dbus_down (f->bus);
  g_clear_object (&f->bus);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->policy_dir);
  g_free (f->keys_dir);
  g_free (f->state_dir);
  g_free (f->prefix);
  g_free (f->secret);
  g_free (f->policy);
}

/* keygen, then trust the public key the way IT would: copy it over. */
static void
keygen_and_trust (Fixture *f)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *pub = g_strconcat (f->prefix, ".pub", NULL);
  g_autofree gchar *trusted = g_build_filename (f->keys_dir, "it.pub", NULL);
  g_autofree gchar *contents = NULL;
  const gchar *keygen[] = { "policy", "keygen", "--output", f->prefix, NULL };

  g_assert_cmpint (run_ctl (keygen, &out, &err), ==, 0);
  g_assert_true (g_file_get_contents (pub, &contents, NULL, NULL));
  g_assert_true (g_file_set_contents (trusted, contents, -1, NULL));
  /* A second keygen never overwrites the secret key. */
  g_assert_cmpint (run_ctl (keygen, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "already exists"));
}

static void
write_policy (Fixture *f, gint version, guint bitrate)
{
  g_autofree gchar *text = g_strdup_printf (
      "{\"format\": 1, \"version\": %d, \"description\": \"test\", \"cameras\": {\"*\": "
      "{\"bitrate-kbps\": %u}}}\n",
      version, bitrate);

  g_assert_true (g_file_set_contents (f->policy, text, -1, NULL));
}

static void
test_sign_validate (Fixture *f, gconstpointer data)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *contents = NULL;
  const gchar *sign[] = { "policy", "sign", "--key", f->secret, f->policy, NULL };
  const gchar *validate[] = { "policy", "validate", f->policy, "--keys", f->keys_dir, NULL };
  const gchar *validate_offline[] = { "policy", "validate", f->policy, NULL };
  const gchar *show_file[] = { "policy", "show", "--file", f->policy, NULL };
  const gchar *bad_usage[] = { "policy", "frobnicate", NULL };

  keygen_and_trust (f);
  write_policy (f, 1, 4000);
  g_assert_cmpint (run_ctl (sign, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "policy.json.sig"));
  g_assert_cmpint (run_ctl (validate, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "signed with trusted key it.pub"));
  g_assert_cmpint (run_ctl (show_file, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "4000"));

  /* Tampered after signing: refused, exit 1, and it says why. */
  g_assert_true (g_file_get_contents (f->policy, &contents, NULL, NULL));
  *strstr (contents, "4000") = '8';
  g_assert_true (g_file_set_contents (f->policy, contents, -1, NULL));
  g_assert_cmpint (run_ctl (validate, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "REFUSED"));
  g_assert_nonnull (strstr (err, "signature does not match"));
  /* Offline, without keys, the document itself is still fine. */
  g_assert_cmpint (run_ctl (validate_offline, &out, &err), ==, 0);

  /* Out of range: refused before anything gets signed. */
  write_policy (f, 2, 10);
  g_assert_cmpint (run_ctl (validate_offline, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "cameras.*.bitrate-kbps"));
  g_assert_cmpint (run_ctl (sign, &out, &err), ==, 1);

  g_assert_cmpint (run_ctl (bad_usage, &out, &err), ==, 2);
}

static JsonObject *
show_json (const gchar *text, JsonParser **out_parser)
{
  g_autoptr (GError) error = NULL;
  JsonParser *parser = json_parser_new ();

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  *out_parser = parser;
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_daemon_show (Fixture *f, gconstpointer data)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *policy_arg = g_strconcat ("--policy-dir=", f->policy_dir, NULL);
  const gchar *extra[] = { policy_arg, NULL };
  const gchar *sign[] = { "policy", "sign", "--key", f->secret, f->policy, NULL };
  const gchar *show[] = { "policy", "show", NULL };
  const gchar *show_json_args[] = { "--json", "policy", "show", NULL };
  g_autoptr (JsonParser) parser = NULL;
  DocketTestDaemon *daemon;
  JsonObject *root;
  JsonObject *status;
  gint wait_status;

  keygen_and_trust (f);
  write_policy (f, 5, 4000);
  g_assert_cmpint (run_ctl (sign, &out, &err), ==, 0);
  daemon = docket_test_daemon_start (f->state_dir, extra);
  g_assert_cmpint (run_ctl (show, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Version:      5"));
  g_assert_nonnull (strstr (out, "it.pub"));
  g_assert_null (strstr (out, "REFUSED"));
  wait_status = docket_test_daemon_stop (daemon);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));

  /* A tampered policy: refused at start, version 5 (kept in the state dir)
   * stays in force, and `show` says both. */
  write_policy (f, 6, 4000);
  daemon = docket_test_daemon_start (f->state_dir, extra);
  g_assert_cmpint (run_ctl (show_json_args, &out, &err), ==, 0);
  root = show_json (out, &parser);
  status = json_object_get_object_member (root, "status");
  g_assert_cmpstr (json_object_get_string_member (status, "state"), ==, "in-force");
  g_assert_cmpint (json_object_get_int_member (status, "version"), ==, 5);
  g_assert_nonnull (strstr (json_object_get_string_member (status, "refused"), "signature"));
  g_assert_true (json_object_has_member (status, "clock-sync"));
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (root, "policy"), "version"), ==,
      5);

  /* IT pushes a properly signed version 6 while docketd runs: it notices. */
  g_assert_cmpint (run_ctl (sign, &out, &err), ==, 0);
  for (guint i = 0;; i++)
    {
      g_clear_object (&parser);
      g_assert_cmpint (run_ctl (show_json_args, &out, &err), ==, 0);
      root = show_json (out, &parser);
      status = json_object_get_object_member (root, "status");
      if (json_object_get_int_member (status, "version") == 6)
        break;
      g_assert_cmpuint (i, <, 600);
      g_usleep (100 * 1000);
    }
  g_assert_false (json_object_has_member (status, "refused"));
  wait_status = docket_test_daemon_stop (daemon);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
}

static void
append_check (DocketAuditLog *audit, const gchar *serial, const gchar *state, const gchar *problem)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *subject = g_strconcat ("camera:", serial, NULL);
  GVariantDict d;

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "state", "s", state);
  g_variant_dict_insert (&d, "problem", "s", problem);
  g_variant_dict_insert (&d, "policy-version", "x", (gint64)4);
  g_assert_cmpint (docket_audit_log_append (audit, "docketd", "camera-policy-checked", subject,
                                            state, g_variant_dict_end (&d), &error),
                   >, 0);
  g_assert_no_error (error);
}

/* Every camera ever checked, from the audit log: the latest check counts. */
static void
test_compliance (Fixture *f, gconstpointer data)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *root = g_build_filename (f->dir, "store", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  const gchar *text[] = { "policy", "compliance", "--store", root, NULL };
  const gchar *json[] = { "--json", "policy", "compliance", "--store", root, NULL };
  JsonArray *array;

  g_assert_cmpint (run_ctl (text, &out, &err), ==, 3); /* no store yet */
  {
    g_autoptr (DocketEvidenceStore) store = docket_evidence_store_open (root, &error);
    DocketAuditLog *audit;

    g_assert_no_error (error);
    audit = docket_evidence_store_get_audit_log (store);
    append_check (audit, "CAM-A", "compliant", "");
    append_check (audit, "CAM-B", "changed", "");
    g_assert_cmpint (run_ctl (text, &out, &err), ==, 0);
    append_check (audit, "CAM-A", "non-compliant", "firmware 1.0 is older than 2.0");
  }
  g_assert_cmpint (run_ctl (text, &out, &err), ==, 1);
  g_assert_nonnull (strstr (out, "CAM-A"));
  g_assert_nonnull (strstr (out, "non-compliant"));
  g_assert_nonnull (strstr (out, "firmware 1.0 is older than 2.0"));
  g_assert_nonnull (strstr (out, "CAM-B"));

  g_assert_cmpint (run_ctl (json, &out, &err), ==, 1);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (array, 0), "state"), ==,
      "non-compliant");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/docketctl-policy/sign-validate", Fixture, NULL, fixture_setup, test_sign_validate,
              fixture_teardown);
  g_test_add ("/docketctl-policy/daemon-show", Fixture, NULL, fixture_setup, test_daemon_show,
              fixture_teardown);
  g_test_add ("/docketctl-policy/compliance", Fixture, NULL, fixture_setup, test_compliance,
              fixture_teardown);
  return g_test_run ();
}
