/* test-docketctl-audit.c — `docketctl audit verify|list` find every break
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "docket-evidence-store.h"
#include "docket-sha256.h"
#include "docket-test-daemon.h"

typedef struct
{
  gchar *dir;
  gchar *object; /* path of the one committed file */
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketEvidenceStore) store = NULL;
  g_autoptr (DocketStoredRecording) rec = docket_stored_recording_new ();
  g_auto (DocketCameraIdentity) identity = { 0 };
  g_autofree gchar *staging = NULL;
  guint8 digest[DOCKET_SHA256_LEN];
  DocketAuditLog *audit;

  f->dir = g_dir_make_tmp ("docket-test-ctl-audit-XXXXXX", &error);
  g_assert_no_error (error);
  store = docket_evidence_store_open (f->dir, &error);
  g_assert_no_error (error);
  docket_evidence_store_set_reserve_bytes (store, 0);

  identity.serial = g_strdup ("CAM-0001");
  identity.vendor = g_strdup ("Test");
  identity.model = g_strdup ("T1");
  g_assert_true (docket_evidence_store_enrol_camera (store, &identity, NULL, &error));
  g_assert_no_error (error);

  staging = docket_evidence_store_get_staging_path (store, "CAM-0001", 1);
  g_file_set_contents (staging, "footage", -1, &error);
  g_assert_no_error (error);
  g_assert_true (docket_sha256_file (staging, G_MAXUINT64, digest, NULL, &error));
  rec->camera_serial = g_strdup ("CAM-0001");
  rec->camera_recording_id = 1;
  rec->name = g_strdup ("clip");
  rec->size = 7;
  rec->sha256 = docket_sha256_to_hex (digest);
  rec->camera_sha256 = g_strdup (rec->sha256);
  rec->signature_status = g_strdup (DOCKET_SIGNATURE_STATUS_VALID);
  g_assert_true (docket_evidence_store_commit (store, staging, NULL, rec, "test", &error));
  g_assert_no_error (error);
  f->object = docket_evidence_store_get_object_path (store, rec->sha256);

  audit = docket_evidence_store_get_audit_log (store);
  g_assert_cmpint (docket_audit_log_append (audit, "officer:1234", "recording-viewed",
                                            "recording:1", "Tagging", NULL, &error),
                   >, 0);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree gchar *cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", f->dir, f->dir);

  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->object);
}

static gint
run_audit (Fixture *f, const gchar *what, gboolean json, gchar **out)
{
  const gchar *argv[]
      = { g_getenv ("DOCKETCTL"), "audit", what, "--store", f->dir, json ? "--json" : NULL, NULL };

  return docket_test_run (argv, out, NULL);
}

static JsonObject *
parse_object (const gchar *text, JsonParser *parser)
{
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_intact (Fixture *f, gconstpointer data)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *json = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *report;

  g_assert_cmpint (run_audit (f, "verify", FALSE, &out), ==, 0);
  g_assert_nonnull (strstr (out, "Intact"));
  g_assert_cmpint (run_audit (f, "verify", TRUE, &json), ==, 0);
  report = parse_object (json, parser);
  g_assert_true (json_object_get_boolean_member (report, "intact"));
  g_assert_cmpint (json_object_get_int_member (report, "audit-rows"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (report, "files"), ==, 1);
}

static void
tamper_sql (Fixture *f, const gchar *sql)
{
  g_autofree gchar *db_path = g_build_filename (f->dir, "docket.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Someone with raw database access rewrites why a recording was viewed. */
static void
test_edited_row (Fixture *f, gconstpointer data)
{
  g_autofree gchar *out = NULL;

  tamper_sql (f,
              "DROP TRIGGER audit_log_no_update;"
              "UPDATE audit_log SET reason = 'Nothing to see' WHERE action = 'recording-viewed';");
  g_assert_cmpint (run_audit (f, "verify", FALSE, &out), ==, 1);
  g_assert_nonnull (strstr (out, "BROKEN"));
  g_assert_nonnull (strstr (out, "Audit log:"));
}

static void
test_deleted_row (Fixture *f, gconstpointer data)
{
  g_autofree gchar *json = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *report;

  tamper_sql (f, "DROP TRIGGER audit_log_no_delete;"
                 "DELETE FROM audit_log WHERE action = 'recording-committed';");
  g_assert_cmpint (run_audit (f, "verify", TRUE, &json), ==, 1);
  report = parse_object (json, parser);
  g_assert_false (json_object_get_boolean_member (report, "intact"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "audit-problems")),
                    >, 0);
}

static void
test_altered_file (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = NULL;

  g_assert_cmpint (g_chmod (f->object, 0644), ==, 0);
  g_file_set_contents (f->object, "f00tage", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_audit (f, "verify", FALSE, &out), ==, 1);
  g_assert_nonnull (strstr (out, "Stored file:"));
}

static void
test_list (Fixture *f, gconstpointer data)
{
  g_autofree gchar *json = NULL;
  g_autofree gchar *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *rows;
  JsonObject *last;

  g_assert_cmpint (run_audit (f, "list", TRUE, &json), ==, 0);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  rows = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  last = json_array_get_object_element (rows, 2);
  g_assert_cmpstr (json_object_get_string_member (last, "actor"), ==, "officer:1234");
  g_assert_cmpstr (json_object_get_string_member (last, "reason"), ==, "Tagging");

  g_assert_cmpint (run_audit (f, "list", FALSE, &text), ==, 0);
  g_assert_nonnull (strstr (text, "recording-viewed"));
}

static void
test_no_store (void)
{
  const gchar *argv[]
      = { g_getenv ("DOCKETCTL"), "audit", "verify", "--store", "/nonexistent/docket", NULL };
  g_autofree gchar *err = NULL;

  g_assert_cmpint (docket_test_run (argv, NULL, &err), ==, 3);
  g_assert_nonnull (strstr (err, "no evidence store"));
  g_assert_false (g_file_test ("/nonexistent/docket", G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/docketctl-audit/intact", Fixture, NULL, fixture_setup, test_intact,
              fixture_teardown);
  g_test_add ("/docketctl-audit/edited-row", Fixture, NULL, fixture_setup, test_edited_row,
              fixture_teardown);
  g_test_add ("/docketctl-audit/deleted-row", Fixture, NULL, fixture_setup, test_deleted_row,
              fixture_teardown);
  g_test_add ("/docketctl-audit/altered-file", Fixture, NULL, fixture_setup, test_altered_file,
              fixture_teardown);
  g_test_add ("/docketctl-audit/list", Fixture, NULL, fixture_setup, test_list, fixture_teardown);
  g_test_add_func ("/docketctl-audit/no-store", test_no_store);
  return g_test_run ();
}
