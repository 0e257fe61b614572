/* test-upstream-config.c — [upstream] settings, credentials file, status line, purge rule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No servers needed: what a kiosk decides before it talks to anyone.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "docket-error.h"
#include "docket-evidence-store.h"
#include "docket-upstream.h"

typedef struct
{
  gchar *dir;
  gchar *creds;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("docket-upstream-config-XXXXXX", &error);
  g_assert_no_error (error);
  f->creds = g_build_filename (f->dir, "creds", NULL);
  g_file_set_contents (f->creds, "[credentials]\naccess-key=AK\nsecret-key=SK\n", -1, &error);
  g_assert_no_error (error);
  g_chmod (f->creds, 0600);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree gchar *cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", f->dir, f->dir);

  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->creds);
}

static DocketUpstreamConfig *
load (Fixture *f, const gchar *extra, GError **error)
{
  g_autofree gchar *data = g_strdup_printf ("[upstream]\nendpoint=http://127.0.0.1:1\nbucket=b\n"
                                            "station-id=s\nkiosk-id=k\ncredentials=%s\n%s",
                                            f->creds, extra);

  return docket_upstream_config_load_from_data (data, error);
}

static void
test_not_configured (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *missing = g_build_filename (f->dir, "station.conf", NULL);

  g_assert_null (docket_upstream_config_load (missing, &error));
  g_assert_no_error (error);
  g_assert_null (docket_upstream_config_load_from_data ("[station]\npreset=minnesota\n", &error));
  g_assert_no_error (error);
  g_assert_null (docket_upstream_config_load_from_data ("[upstream]\nendpoint=x\n", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
}

static void
test_credentials (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketUpstreamConfig) config = load (f, "", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (config->access_key, ==, "AK");
  g_assert_cmpstr (config->secret_key, ==, "SK");
  g_assert_cmpuint (config->part_size, ==, 64 * 1024 * 1024);

  /* Readable by others: refused, whatever is in it. */
  g_chmod (f->creds, 0644);
  g_assert_null (load (f, "", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_clear_error (&error);
  g_chmod (f->creds, 0600);

  /* The catalogue's password never sits in station.conf. */
  g_assert_null (load (f, "catalogue=host=h password=p\n", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (load (f, "part-size-mb=4\n", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
}

static void
test_throttle_hours (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketUpstreamConfig) config = load (
      f, "bandwidth-kbps=80000\nthrottle-kbps=8000\nthrottle-hours=06:30-07:30;23:00-01:00\n",
      &error);
  g_autoptr (GDateTime) shift = g_date_time_new_local (2026, 1, 5, 7, 0, 0);
  g_autoptr (GDateTime) noon = g_date_time_new_local (2026, 1, 5, 12, 0, 0);
  g_autoptr (GDateTime) night = g_date_time_new_local (2026, 1, 5, 0, 30, 0);

  g_assert_no_error (error);
  g_assert_cmpint (docket_upstream_config_get_limit (config, shift), ==, 1000000);
  g_assert_cmpint (docket_upstream_config_get_limit (config, noon), ==, 10000000);
  g_assert_cmpint (docket_upstream_config_get_limit (config, night), ==, 1000000);
  g_assert_null (load (f, "throttle-hours=7-8\n", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
}

static void
test_status_line (Fixture *f, gconstpointer data)
{
  gint64 now = G_GINT64_CONSTANT (1000000000000000);
  g_autoptr (GVariant) none
      = g_variant_ref_sink (g_variant_new_parsed ("@a{sv} {'configured': <false>}"));
  g_autoptr (GVariant) busy = g_variant_ref_sink (g_variant_new_parsed (
      "@a{sv} {'configured': <true>, 'waiting': <@u 142>, 'waiting-bytes': <@t 38000000000>,"
      " 'last-success-usec': <@x 999999820000000>, 'last-error': <''>}"));
  g_autoptr (GVariant) failing = g_variant_ref_sink (g_variant_new_parsed (
      "@a{sv} {'configured': <true>, 'waiting': <@u 1>, 'waiting-bytes': <@t 1000>,"
      " 'last-success-usec': <@x 0>, 'last-error': <'refused'>, 'last-error-usec': <@x 5>}"));
  g_autofree gchar *l1 = docket_upstream_format_status (none, now);
  g_autofree gchar *l2 = docket_upstream_format_status (busy, now);
  g_autofree gchar *l3 = docket_upstream_format_status (failing, now);

  g_assert_nonnull (strstr (l1, "not configured"));
  g_assert_true (g_str_has_prefix (l2, "142 recordings waiting, 38.0"));
  g_assert_true (g_str_has_suffix (l2, "GB, last success 3 min ago"));
  g_assert_true (g_str_has_prefix (l3, "1 recording waiting, 1.0"));
  g_assert_true (g_str_has_suffix (l3, "kB, nothing uploaded yet — failing: refused"));
}

/* Retention's rule: anything without upstream; only confirmed ones with it. */
static void
test_purgeable_rule (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *root = g_build_filename (f->dir, "store", NULL);
  g_autoptr (DocketEvidenceStore) store = docket_evidence_store_open (root, &error);
  DocketDatabase *db = docket_evidence_store_get_database (store);
  g_autoptr (DocketUpstreamConfig) config = load (f, "", &error);
  const gchar *sql = "SELECT count(*) FROM (SELECT 1 AS id) r WHERE " DOCKET_UPSTREAM_PURGEABLE_SQL;

  for (guint configured = 0; configured < 2; configured++)
    {
      g_autoptr (DocketUpstream) up
          = docket_upstream_new (store, configured ? config : NULL, &error);
      g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (db);
      g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (db, sql, &error);

      g_assert_no_error (error);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, configured ? 0 : 1);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/upstream-config/not-configured", Fixture, NULL, fixture_setup, test_not_configured,
              fixture_teardown);
  g_test_add ("/upstream-config/credentials", Fixture, NULL, fixture_setup, test_credentials,
              fixture_teardown);
  g_test_add ("/upstream-config/throttle-hours", Fixture, NULL, fixture_setup, test_throttle_hours,
              fixture_teardown);
  g_test_add ("/upstream-config/status-line", Fixture, NULL, fixture_setup, test_status_line,
              fixture_teardown);
  g_test_add ("/upstream-config/purgeable-rule", Fixture, NULL, fixture_setup, test_purgeable_rule,
              fixture_teardown);
  return g_test_run ();
}
