/* test-policy.c — the policy document: parse, validate, sign, refuse, keep
 * the last good one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "docket-error.h"
#include "docket-policy.h"
#include "docket-station-config.h"

static gchar *
example_text (void)
{
  g_autoptr (GError) error = NULL;
  gchar *text = NULL;

  g_file_get_contents (g_getenv ("DOCKET_EXAMPLE_POLICY"), &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_example (void)
{
  g_autofree gchar *text = example_text ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketPolicy) policy = docket_policy_new_from_data (text, strlen (text), &error);
  const DocketModelPolicy *ref;
  const DocketModelPolicy *other;

  g_assert_no_error (error);
  g_assert_cmpint (docket_policy_get_version (policy), ==, 3);
  g_assert_null (docket_policy_get_signed_by (policy));

  /* A listed model overlays the defaults; others get the defaults. */
  ref = docket_policy_get_model (policy, "DCP Reference Camera");
  g_assert_cmpstr (ref->resolution, ==, "1920x1080");
  g_assert_cmpint (ref->bitrate_kbps, ==, 6000);
  g_assert_cmpint (ref->pre_event_seconds, ==, 30);
  g_assert_cmpint (ref->charge_limit_percent, ==, 90);
  other = docket_policy_get_model (policy, "Some Other Camera");
  g_assert_cmpint (other->bitrate_kbps, ==, 8000);
  g_assert_cmpint (other->audio, ==, 1);
  g_assert_cmpint (other->allow_mute, ==, 0);
  g_assert_true (other->erase_after_offload);
  g_assert_cmpint (other->charge_limit_percent, ==, -1);

  g_assert_cmpuint (docket_policy_get_ready_charge_percent (policy), ==, 80);
  g_assert_cmpuint (docket_policy_get_pin_min_length (policy), ==, 6);
  g_assert_cmpuint (docket_policy_get_max_clock_drift_ms (policy), ==, 1000);
  g_assert_cmpstr (docket_policy_get_default_category (policy), ==, "uncategorized");
  g_assert_cmpuint (docket_policy_get_categories (policy)->len, ==, 9);
  {
    const DocketPolicyCategory *c = g_ptr_array_index (docket_policy_get_categories (policy), 4);

    g_assert_cmpstr (c->id, ==, "use-of-force");
    g_assert_cmpuint (c->retention_days, ==, 3 * 365);
  }
}

/* The station part feeds the station config's own loader unchanged. */
static void
test_station_adapter (void)
{
  g_autofree gchar *text = example_text ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketPolicy) policy = docket_policy_new_from_data (text, strlen (text), &error);
  g_autofree gchar *conf = NULL;
  g_autoptr (DocketStationConfig) config = NULL;
  const DocketCategory *c;

  g_assert_no_error (error);
  conf = docket_policy_dup_station_config_data (policy);
  config = docket_station_config_load_from_data (conf, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (docket_station_config_get_tag_deadline_hours (config), ==, 72);
  g_assert_cmpuint (docket_station_config_get_lockout_failures (config), ==, 5);
  c = docket_station_config_find_category (config, "confidential-informant");
  g_assert_nonnull (c);
  g_assert_true (c->restricted);
  g_assert_false (c->sergeant_access);
  g_assert_cmpuint (c->retention_days, ==, 2555);

  /* Labels per language reach the station as label[es]=, and the kiosk
   * through the category's "labels". */
  g_assert_nonnull (strstr (conf, "label[es]=Control de tráfico\n"));
  c = docket_station_config_find_category (config, "traffic-stop");
  g_assert_cmpstr (c->label, ==, "Traffic stop");
  g_assert_nonnull (c->labels);
  g_assert_cmpstr (g_hash_table_lookup (c->labels, "es"), ==, "Control de tráfico");
  {
    g_autoptr (GVariant) variant = g_variant_ref_sink (docket_category_to_variant (c));
    g_autoptr (GVariant) labels
        = g_variant_lookup_value (variant, "labels", G_VARIANT_TYPE ("a{ss}"));
    const gchar *es = NULL;

    g_assert_nonnull (labels);
    g_assert_true (g_variant_lookup (labels, "es", "&s", &es));
    g_assert_cmpstr (es, ==, "Control de tráfico");
  }
}

typedef struct
{
  const gchar *json;
  const gchar *message_part;
} BadCase;

static void
test_refusals (void)
{
  static const BadCase cases[] = {
    { "not json", "not valid JSON" },
    { "[1,2]", "must be a JSON object" },
    { "{\"version\": 1}", "format" },
    { "{\"format\": 2, \"version\": 1}", "format 1 only" },
    { "{\"format\": 1, \"version\": 0}", "“version”" },
    { "{\"format\": 1, \"version\": 1, \"colour\": 1}", "“colour”: unknown setting" },
    { "{\"format\": 1, \"version\": 1, \"cameras\": {\"*\": {\"bitrate-kpbs\": 1}}}",
      "“cameras.*.bitrate-kpbs”: unknown setting" },
    { "{\"format\": 1, \"version\": 1, \"cameras\": {\"X\": {\"frame-rate\": 500}}}",
      "“cameras.X.frame-rate”: must be a whole number from 1 to 120" },
    { "{\"format\": 1, \"version\": 1, \"cameras\": {\"X\": {\"frame-rate\": \"30\"}}}",
      "frame-rate" },
    { "{\"format\": 1, \"version\": 1, \"cameras\": {\"X\": {\"frame-rate\": 29.97}}}",
      "frame-rate" },
    { "{\"format\": 1, \"version\": 1, \"cameras\": {\"X\": {\"audio\": 1}}}",
      "must be true or false" },
    { "{\"format\": 1, \"version\": 1, \"cameras\": {\"X\": {\"resolution\": \"big\"}}}",
      "1920x1080" },
    { "{\"format\": 1, \"version\": 1, \"cameras\": {\"X\": {\"minimum-firmware\": \"v2\"}}}",
      "numbers and dots" },
    { "{\"format\": 1, \"version\": 1, \"cameras\": {\"X\": {\"firmware\": {\"image\": "
      "\"../x\", \"sha256\": \"00\"}}}}",
      "not a path" },
    { "{\"format\": 1, \"version\": 1, \"station\": {\"ready-charge-percent\": 101}}",
      "ready-charge-percent" },
    { "{\"format\": 1, \"version\": 1, \"station\": {\"categories\": [{\"id\": \"a\", "
      "\"label\": \"A\", \"labels\": \"es\", \"retention-days\": 9}]}}",
      "must map language codes to labels" },
    { "{\"format\": 1, \"version\": 1, \"station\": {\"categories\": [{\"id\": \"a\", "
      "\"label\": \"A\", \"labels\": {\"../x]\": \"B\"}, \"retention-days\": 9}]}}",
      "a language is a code" },
    { "{\"format\": 1, \"version\": 1, \"station\": {\"categories\": [{\"id\": \"a\", "
      "\"label\": \"A\", \"labels\": {\"es\": \"\"}, \"retention-days\": 9}]}}",
      "“station.categories[0].labels.es”: must not be empty" },
    { "{\"format\": 1, \"version\": 1, \"station\": {\"pin\": {\"min-length\": 2}}}",
      "station.pin.min-length" },
    { "{\"format\": 1, \"version\": 1, \"station\": {\"default-category\": \"non-evidence\"}}",
      "non-evidence" },
    { "{\"format\": 1, \"version\": 1, \"station\": {\"default-category\": \"x\", "
      "\"categories\": [{\"id\": \"x\", \"label\": \"Non-evidence\", \"retention-days\": 30}]}}",
      "non-evidence" },
    { "{\"format\": 1, \"version\": 1, \"station\": {\"categories\": [{\"id\": "
      "\"uncategorized\", \"label\": \"U\"}]}}",
      "retention" },
    { "{\"format\": 1, \"version\": 1, \"station\": {\"categories\": [{\"id\": "
      "\"uncategorized\", \"label\": \"U\", \"retention\": \"forever\"}]}}",
      "90-days" },
    { "{\"format\": 1, \"version\": 1, \"station\": {\"categories\": [{\"id\": \"a\", "
      "\"label\": \"A\", \"retention-days\": 90}, {\"id\": \"a\", \"label\": \"B\", "
      "\"retention-days\": 90}]}}",
      "two categories" },
    { "{\"format\": 1, \"version\": 1, \"station\": {\"checkout\": {\"min-battery-percent\": "
      "5}}}",
      "station.checkout.min-battery-percent" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (DocketPolicy) policy
          = docket_policy_new_from_data (cases[i].json, strlen (cases[i].json), &error);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].json);
      g_assert_null (policy);
      g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
      if (strstr (error->message, cases[i].message_part) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].message_part);
    }
}

static void
test_versions (void)
{
  g_assert_cmpint (docket_policy_compare_versions ("1.10.0", "1.9.3"), >, 0);
  g_assert_cmpint (docket_policy_compare_versions ("1.0", "1.0.0"), ==, 0);
  g_assert_cmpint (docket_policy_compare_versions ("0.9", "1.0.0"), <, 0);
  g_assert_cmpint (docket_policy_compare_versions ("", "1"), <, 0);
}

typedef struct
{
  gchar *dir;
  gchar *keys;
  gchar *state;
  gchar *secret;
  gchar *incoming;
} Env;

static void
env_setup (Env *env, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *pub = NULL;

  env->dir = g_dir_make_tmp ("docket-policy-XXXXXX", &error);
  g_assert_no_error (error);
  env->keys = g_build_filename (env->dir, "trusted-keys", NULL);
  env->state = g_build_filename (env->dir, "state", NULL);
  env->secret = g_build_filename (env->dir, "it.key", NULL);
  env->incoming = g_build_filename (env->dir, "policy.json", NULL);
  g_assert_cmpint (g_mkdir (env->keys, 0700), ==, 0);
  pub = g_build_filename (env->keys, "it.pub", NULL);
  g_assert_true (docket_policy_keygen (env->secret, pub, &error));
  g_assert_no_error (error);
}

static void
remove_tree (const gchar *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
env_teardown (Env *env, gconstpointer data)
{
  remove_tree (env->dir);
  g_free (env->dir);
  g_free (env->keys);
  g_free (env->state);
  g_free (env->secret);
  g_free (env->incoming);
}

static gchar *
policy_json (gint64 version, guint bitrate)
{
  return g_strdup_printf ("{\"format\": 1, \"version\": %" G_GINT64_FORMAT ", \"cameras\": "
                          "{\"*\": {\"bitrate-kbps\": %u}}}\n",
                          version, bitrate);
}

static void
write_signed (Env *env, const gchar *text)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sig = NULL;

  g_assert_true (g_file_set_contents (env->incoming, text, -1, &error));
  g_assert_true (docket_policy_sign_file (env->incoming, env->secret, &sig, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (sig, "policy.json.sig"));
}

/* Signs without validating, as a careless tool would: kiosks must still
 * refuse what does not validate. */
static void
write_signed_raw (Env *env, const gchar *text)
{
  g_autofree gchar *b64 = NULL;
  g_autofree guint8 *sk = NULL;
  g_autofree gchar *sig_b64 = NULL;
  g_autofree gchar *sig_path = g_strconcat (env->incoming, ".sig", NULL);
  guint8 sig[crypto_sign_BYTES];
  gsize sk_len = 0;

  g_assert_true (g_file_get_contents (env->secret, &b64, NULL, NULL));
  sk = g_base64_decode (g_strstrip (b64), &sk_len);
  g_assert_cmpuint (sk_len, ==, crypto_sign_SECRETKEYBYTES);
  crypto_sign_detached (sig, NULL, (const guint8 *)text, strlen (text), sk);
  sig_b64 = g_base64_encode (sig, sizeof sig);
  g_assert_true (g_file_set_contents (env->incoming, text, -1, NULL));
  g_assert_true (g_file_set_contents (sig_path, sig_b64, -1, NULL));
}

static void
test_signature (Env *env, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = policy_json (1, 4000);
  g_autofree gchar *other_secret = g_build_filename (env->dir, "other.key", NULL);
  g_autofree gchar *other_pub = g_build_filename (env->dir, "other.pub", NULL);
  g_autofree gchar *sig_path = g_strconcat (env->incoming, ".sig", NULL);
  g_autoptr (DocketPolicy) policy = NULL;
  g_autofree gchar *tampered = NULL;

  write_signed (env, text);
  policy = docket_policy_load_signed (env->incoming, env->keys, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (docket_policy_get_signed_by (policy), ==, "it.pub");
  g_clear_object (&policy);

  /* One byte changed after signing. */
  tampered = g_strdup (text);
  *strstr (tampered, "4000") = '9';
  g_assert_true (g_file_set_contents (env->incoming, tampered, -1, NULL));
  policy = docket_policy_load_signed (env->incoming, env->keys, &error);
  g_assert_null (policy);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_assert_nonnull (strstr (error->message, "does not match"));
  g_clear_error (&error);

  /* Signed by a key the kiosk does not trust. */
  g_assert_true (docket_policy_keygen (other_secret, other_pub, &error));
  g_assert_true (g_file_set_contents (env->incoming, text, -1, NULL));
  g_assert_true (docket_policy_sign_file (env->incoming, other_secret, NULL, &error));
  g_assert_no_error (error);
  policy = docket_policy_load_signed (env->incoming, env->keys, &error);
  g_assert_null (policy);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_clear_error (&error);

  /* Unsigned. */
  g_assert_cmpint (g_unlink (sig_path), ==, 0);
  policy = docket_policy_load_signed (env->incoming, env->keys, &error);
  g_assert_null (policy);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_assert_nonnull (strstr (error->message, "not signed"));
  g_clear_error (&error);

  /* IT cannot sign a policy kiosks would refuse. */
  g_assert_true (g_file_set_contents (env->incoming, "{\"format\": 1}", -1, NULL));
  g_assert_false (docket_policy_sign_file (env->incoming, env->secret, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_assert_false (g_file_test (sig_path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* A key is never overwritten. */
  g_assert_false (docket_policy_keygen (env->secret, other_pub, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
}

static DocketPolicy *
load_in_force (Env *env, GError **refusal)
{
  return docket_policy_load_in_force (env->incoming, env->keys, env->state, refusal);
}

static void
test_in_force (Env *env, gconstpointer data)
{
  g_autoptr (GError) refusal = NULL;
  g_autoptr (DocketPolicy) policy = NULL;
  g_autofree gchar *v1 = policy_json (1, 4000);
  g_autofree gchar *v2 = policy_json (2, 5000);
  g_autofree gchar *v2b = policy_json (2, 5500);
  g_autofree gchar *last = g_build_filename (env->state, "policy", "last-good.policy", NULL);
  g_autofree gchar *contents = NULL;

  /* Nothing anywhere: no policy, no complaint. */
  policy = load_in_force (env, &refusal);
  g_assert_null (policy);
  g_assert_no_error (refusal);

  write_signed (env, v1);
  policy = load_in_force (env, &refusal);
  g_assert_no_error (refusal);
  g_assert_cmpint (docket_policy_get_version (policy), ==, 1);
  g_assert_true (g_file_test (last, G_FILE_TEST_EXISTS));
  g_clear_object (&policy);

  /* Malformed but signed: refused, v1 stays. */
  write_signed_raw (env, "{\"format\": 1, \"version\": 2, \"cameras\": {\"*\": {\"audio\": 2}}}");
  policy = load_in_force (env, &refusal);
  g_assert_error (refusal, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_assert_cmpint (docket_policy_get_version (policy), ==, 1);
  g_clear_error (&refusal);
  g_clear_object (&policy);

  /* Badly signed: refused, v1 stays. */
  write_signed (env, v2);
  g_assert_true (g_file_set_contents (env->incoming, v2b, -1, NULL));
  policy = load_in_force (env, &refusal);
  g_assert_error (refusal, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_assert_cmpint (docket_policy_get_version (policy), ==, 1);
  g_assert_cmpint (docket_policy_get_model (policy, "x")->bitrate_kbps, ==, 4000);
  g_clear_error (&refusal);
  g_clear_object (&policy);

  /* Good v2 replaces v1. */
  write_signed (env, v2);
  policy = load_in_force (env, &refusal);
  g_assert_no_error (refusal);
  g_assert_cmpint (docket_policy_get_version (policy), ==, 2);
  g_clear_object (&policy);

  /* A replayed older policy, or the same version with other content. */
  write_signed (env, v1);
  policy = load_in_force (env, &refusal);
  g_assert_error (refusal, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_assert_nonnull (strstr (refusal->message, "older"));
  g_assert_cmpint (docket_policy_get_version (policy), ==, 2);
  g_clear_error (&refusal);
  g_clear_object (&policy);
  write_signed (env, v2b);
  policy = load_in_force (env, &refusal);
  g_assert_error (refusal, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_assert_cmpint (docket_policy_get_model (policy, "x")->bitrate_kbps, ==, 5000);
  g_clear_error (&refusal);
  g_clear_object (&policy);

  /* The kept copy edited on disk is refused too, and said so. */
  g_assert_cmpint (g_unlink (env->incoming), ==, 0);
  g_assert_true (g_file_get_contents (last, &contents, NULL, NULL));
  *strstr (contents, "5000") = '6';
  g_assert_true (g_file_set_contents (last, contents, -1, NULL));
  policy = load_in_force (env, &refusal);
  g_assert_null (policy);
  g_assert_error (refusal, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
}

/* The floor is kept apart from the last good copy: deleting that copy does
 * not let an older signed policy back in, nor does swapping in an older
 * copy. */
static void
test_rollback_floor (Env *env, gconstpointer data)
{
  g_autoptr (GError) refusal = NULL;
  g_autoptr (DocketPolicy) policy = NULL;
  g_autofree gchar *v1 = policy_json (1, 4000);
  g_autofree gchar *v2 = policy_json (2, 5000);
  g_autofree gchar *v3 = policy_json (3, 6000);
  g_autofree gchar *last = g_build_filename (env->state, "policy", "last-good.policy", NULL);
  g_autofree gchar *old_copy = NULL;

  write_signed (env, v1);
  policy = load_in_force (env, &refusal);
  g_assert_no_error (refusal);
  g_clear_object (&policy);
  g_assert_true (g_file_get_contents (last, &old_copy, NULL, NULL));
  write_signed (env, v2);
  policy = load_in_force (env, &refusal);
  g_assert_no_error (refusal);
  g_assert_cmpint (docket_policy_get_version (policy), ==, 2);
  g_clear_object (&policy);

  g_assert_cmpint (g_unlink (last), ==, 0);
  write_signed (env, v1);
  policy = load_in_force (env, &refusal);
  g_assert_null (policy);
  g_assert_error (refusal, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_assert_nonnull (strstr (refusal->message, "older"));
  g_clear_error (&refusal);

  /* v1's own kept copy, put back by hand: still below the floor. */
  g_assert_cmpint (g_unlink (env->incoming), ==, 0);
  g_assert_true (g_file_set_contents (last, old_copy, -1, NULL));
  policy = load_in_force (env, &refusal);
  g_assert_null (policy);
  g_assert_error (refusal, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&refusal);

  write_signed (env, v3);
  policy = load_in_force (env, &refusal);
  g_assert_no_error (refusal);
  g_assert_cmpint (docket_policy_get_version (policy), ==, 3);
}

/* Whoever can write the trusted keys can sign policies: a folder or key
 * others may write is refused. */
static void
test_keys_folder_safety (Env *env, gconstpointer data)
{
  g_autoptr (GError) refusal = NULL;
  g_autoptr (DocketPolicy) policy = NULL;
  g_autofree gchar *v1 = policy_json (1, 4000);
  g_autofree gchar *pub = g_build_filename (env->keys, "it.pub", NULL);

  write_signed (env, v1);
  g_assert_cmpint (g_chmod (env->keys, 0777), ==, 0);
  policy = load_in_force (env, &refusal);
  g_assert_null (policy);
  g_assert_error (refusal, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_clear_error (&refusal);

  g_assert_cmpint (g_chmod (env->keys, 0755), ==, 0);
  g_assert_cmpint (g_chmod (pub, 0666), ==, 0);
  policy = load_in_force (env, &refusal);
  g_assert_null (policy);
  g_assert_error (refusal, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_clear_error (&refusal);

  g_assert_cmpint (g_chmod (pub, 0644), ==, 0);
  policy = load_in_force (env, &refusal);
  g_assert_no_error (refusal);
  g_assert_cmpint (docket_policy_get_version (policy), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/policy/example", test_example);
  g_test_add_func ("/policy/station-adapter", test_station_adapter);
  g_test_add_func ("/policy/refusals", test_refusals);
  g_test_add_func ("/policy/versions", test_versions);
  g_test_add ("/policy/signature", Env, NULL, env_setup, test_signature, env_teardown);
  g_test_add ("/policy/in-force", Env, NULL, env_setup, test_in_force, env_teardown);
  g_test_add ("/policy/rollback-floor", Env, NULL, env_setup, test_rollback_floor, env_teardown);
  g_test_add ("/policy/keys-folder-safety", Env, NULL, env_setup, test_keys_folder_safety,
              env_teardown);
  return g_test_run ();
}
