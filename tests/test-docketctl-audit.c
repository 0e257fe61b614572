/* test-docketctl-audit.c — `docketctl audit verify|list` find every break
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A store is made the way docketd makes one (enrolled camera key, signed
 * recordings, a quarantined copy, the station key and a signed anchor),
 * copied, and each copy is tampered with the way someone with write access
 * to the disk could: verify must fail and say what happened in words.
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
#include "docket-test-store.h"

typedef struct
{
  gchar *dir;
  gchar *store;      /* the copy under test */
  gchar *object;     /* path of the first committed file, in the copy */
  gchar *sha256;     /* its hash */
  gchar *quarantine; /* path of the quarantined copy, in the copy */
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (DocketTestStore) made = { 0 };
  g_autofree gchar *orig = NULL;
  g_autofree gchar *cmd = NULL;
  g_autofree gchar *rel = NULL;

  f->dir = g_dir_make_tmp ("docket-test-ctl-audit-XXXXXX", &error);
  g_assert_no_error (error);
  docket_test_store_make (f->dir, "orig", &made);
  orig = g_build_filename (f->dir, "orig", NULL);
  f->store = g_build_filename (f->dir, "store", NULL);
  cmd = g_strdup_printf ("cp -a '%s' '%s'", orig, f->store);
  g_assert_cmpint (system (cmd), ==, 0);
  f->sha256 = g_strdup (made.sha256);
  f->object = g_build_filename (f->store, made.object + strlen (orig), NULL);
  f->quarantine = g_build_filename (f->store, made.quarantine + strlen (orig), NULL);
  g_assert_true (g_file_test (f->object, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (f->quarantine, G_FILE_TEST_IS_REGULAR));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree gchar *cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", f->dir, f->dir);

  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->store);
  g_free (f->object);
  g_free (f->sha256);
  g_free (f->quarantine);
}

static gint
run_audit (Fixture *f, const gchar *what, gboolean json, gchar **out)
{
  const gchar *argv[] = { g_getenv ("DOCKETCTL"), "audit", what, "--store", f->store,
                          json ? "--json" : NULL, NULL };

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

/* Every file of the store and its hash, to prove a check wrote nothing. */
static gchar *
snapshot (Fixture *f)
{
  g_autofree gchar *cmd = g_strdup_printf (
      "cd '%s' && find . -type f ! -name '*-wal' ! -name '*-shm' | sort | xargs sha256sum",
      f->store);
  g_autofree gchar *out = NULL;
  gint status = 0;

  const gchar *argv[] = { "sh", "-c", cmd, NULL };

  g_assert_true (g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  return g_steal_pointer (&out);
}

static void
test_intact (Fixture *f, gconstpointer data)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *json = NULL;
  g_autofree gchar *before = snapshot (f);
  g_autofree gchar *after = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *report;

  g_assert_cmpint (run_audit (f, "verify", FALSE, &out), ==, 0);
  g_assert_nonnull (strstr (out, "Intact"));
  g_assert_cmpint (run_audit (f, "verify", TRUE, &json), ==, 0);
  report = parse_object (json, parser);
  g_assert_true (json_object_get_boolean_member (report, "intact"));
  /* enrolled, 2 committed, quarantined, viewed, station key */
  g_assert_cmpint (json_object_get_int_member (report, "audit-rows"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (report, "anchored-rows"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (report, "files"), ==, 2);

  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
}

static void
tamper_sql (Fixture *f, const gchar *sql)
{
  g_autofree gchar *db_path = g_build_filename (f->store, "docket.db", NULL);
  sqlite3 *db = NULL;
  char *msg = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
  sqlite3_close (db);
}

static void
assert_broken (Fixture *f, const gchar *words)
{
  g_autofree gchar *out = NULL;

  g_assert_cmpint (run_audit (f, "verify", FALSE, &out), ==, 1);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "BROKEN"));
  if (strstr (out, words) == NULL)
    g_error ("“%s” not in:\n%s", words, out);
}

/* Someone with raw database access rewrites why a recording was viewed. */
static void
test_edited_row (Fixture *f, gconstpointer data)
{
  tamper_sql (f,
              "DROP TRIGGER audit_log_no_update;"
              "UPDATE audit_log SET reason = 'Nothing to see' WHERE action = 'recording-viewed';");
  assert_broken (f, "append-only trigger “audit_log_no_update” was removed");
  assert_broken (f, "was changed after it was written");
}

static void
test_deleted_last_row (Fixture *f, gconstpointer data)
{
  tamper_sql (f, "DROP TRIGGER audit_log_no_delete;"
                 "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log);"
                 "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
                 "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;");
  assert_broken (f, "The audit log was shortened: it ends at row 5 but the station signed row 6");
}

static void
test_deleted_last_three (Fixture *f, gconstpointer data)
{
  tamper_sql (f, "DROP TRIGGER audit_log_no_delete;"
                 "DELETE FROM audit_log WHERE seq > (SELECT MAX(seq) - 3 FROM audit_log);"
                 "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
                 "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;");
  assert_broken (f, "rows were deleted from its end (at least 3)");
}

/* The careful forger: edits a row and recomputes every hash after it, so
 * the chain itself is whole again. Only the signed anchor can tell. */
static void
test_rechained (Fixture *f, gconstpointer data)
{
  g_autofree gchar *db_path = g_build_filename (f->store, "docket.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketDatabase) db = NULL;
  g_autoptr (DocketAuditLog) log = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GString) sql = g_string_new ("DROP TRIGGER audit_log_no_update;");
  g_autofree gchar *prev = NULL;

  db = docket_database_open (db_path, &error);
  g_assert_no_error (error);
  log = docket_audit_log_new (db);
  rows = docket_audit_log_list (log, 0, 0, &error);
  g_assert_no_error (error);
  g_clear_object (&log);
  g_clear_object (&db);
  for (guint i = 0; i < rows->len; i++)
    {
      DocketAuditEntry *entry = g_ptr_array_index (rows, i);
      g_autofree gchar *reason = NULL;

      if (prev != NULL)
        {
          g_free (entry->prev_hash);
          entry->prev_hash = g_strdup (prev);
        }
      if (g_str_equal (entry->action, "recording-viewed"))
        {
          g_free (entry->reason);
          entry->reason = g_strdup ("Nothing to see");
        }
      g_free (entry->hash);
      entry->hash = docket_audit_entry_compute_hash (entry);
      g_free (prev);
      prev = g_strdup (entry->hash);
      reason = sqlite3_mprintf ("%q", entry->reason);
      g_string_append_printf (sql,
                              "UPDATE audit_log SET reason = '%s', prev_hash = '%s', hash = '%s'"
                              " WHERE seq = %" G_GINT64_FORMAT ";",
                              reason, entry->prev_hash, entry->hash, entry->seq);
      sqlite3_free (g_steal_pointer (&reason));
    }
  g_string_append (sql, "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
                        "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;");
  tamper_sql (f, sql->str);
  assert_broken (f, "the chain was rewritten and its hashes recomputed");
}

static void
test_deleted_file_and_row (Fixture *f, gconstpointer data)
{
  g_autofree gchar *sql
      = g_strdup_printf ("DELETE FROM recordings WHERE sha256 = '%s';", f->sha256);

  g_assert_cmpint (g_chmod (f->object, 0644), ==, 0);
  g_assert_cmpint (g_unlink (f->object), ==, 0);
  tamper_sql (f, sql);
  assert_broken (f, "its file is gone and nothing records its deletion");
}

/* Different footage put in place of a recording, with the database's hash
 * edited to match it: the file hashes to its name, but the camera never
 * signed that hash. */
static void
test_swapped_footage (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *new_sha = NULL;
  g_autofree gchar *new_dir = NULL;
  g_autofree gchar *new_path = NULL;
  g_autofree gchar *sql = NULL;
  guint8 digest[DOCKET_SHA256_LEN];

  g_assert_cmpint (g_chmod (f->object, 0644), ==, 0);
  g_file_set_contents (f->object, "fo0tage", -1, &error);
  g_assert_no_error (error);
  g_assert_true (docket_sha256_file (f->object, G_MAXUINT64, digest, NULL, &error));
  new_sha = docket_sha256_to_hex (digest);
  new_dir = g_build_filename (f->store, "objects", (gchar[]){ new_sha[0], new_sha[1], 0 }, NULL);
  g_assert_cmpint (g_mkdir_with_parents (new_dir, 0750), ==, 0);
  new_path = g_build_filename (new_dir, new_sha, NULL);
  g_assert_cmpint (g_rename (f->object, new_path), ==, 0);
  sql = g_strdup_printf ("UPDATE recordings SET sha256 = '%s', camera_sha256 = '%s'"
                         " WHERE sha256 = '%s';",
                         new_sha, new_sha, f->sha256);
  tamper_sql (f, sql);
  assert_broken (f, "signature does not match the stored hash");
}

static void
test_extra_object (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_build_filename (f->store, "objects", "ab", NULL);
  g_autofree gchar *path = g_build_filename (dir, "abcdef", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0750), ==, 0);
  g_file_set_contents (path, "planted", -1, &error);
  g_assert_no_error (error);
  assert_broken (f, "Unexpected file in objects/: ab/abcdef");
}

static void
test_flipped_quarantine_byte (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (f->quarantine, &contents, &len, &error));
  contents[0] ^= 1;
  g_assert_cmpint (g_chmod (f->quarantine, 0644), ==, 0);
  g_file_set_contents (f->quarantine, contents, (gssize)len, &error);
  g_assert_no_error (error);
  assert_broken (f, "was changed since it was quarantined");
}

static void
test_altered_file (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_chmod (f->object, 0644), ==, 0);
  g_file_set_contents (f->object, "f00tage", -1, &error);
  g_assert_no_error (error);
  assert_broken (f, "no longer matches its hash");
}

static void
test_deleted_anchors (Fixture *f, gconstpointer data)
{
  g_autofree gchar *path = g_build_filename (f->store, "anchors.log", NULL);

  g_assert_cmpint (g_unlink (path), ==, 0);
  assert_broken (f, "The anchors file (anchors.log) is missing");
}

/* Opening the store (as docketd does) puts removed triggers back, loudly. */
static void
test_triggers_restored (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketEvidenceStore) store = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) missing = NULL;
  g_autofree gchar *out = NULL;
  DocketAuditEntry *last;

  tamper_sql (f, "DROP TRIGGER audit_log_no_delete;");
  /* The alarm is a critical: fatal in a test, so the open runs apart. */
  g_setenv ("TEST_STORE", f->store, TRUE);
  g_test_trap_subprocess ("/docketctl-audit/open-store-subprocess", 0,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_stderr ("*ALARM*triggers*");

  store = docket_evidence_store_open_to_check (f->store, &error);
  g_assert_no_error (error);
  missing = docket_audit_log_missing_triggers (docket_evidence_store_get_audit_log (store), &error);
  g_assert_cmpuint (missing->len, ==, 0);
  rows = docket_audit_log_list (docket_evidence_store_get_audit_log (store), 0, 0, &error);
  last = g_ptr_array_index (rows, rows->len - 1);
  g_assert_cmpstr (last->action, ==, "audit-triggers-restored");
  g_assert_nonnull (strstr (last->details, "audit_log_no_delete"));
  g_assert_nonnull (strstr (last->reason, "ALARM"));
  g_clear_object (&store);
  /* The alarm row itself is chained; only the anchor is behind it. */
  g_assert_cmpint (run_audit (f, "verify", FALSE, &out), ==, 0);
}

static void
open_store_subprocess (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketEvidenceStore) store = NULL;

  if (!g_test_subprocess ())
    return;
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR);
  store = docket_evidence_store_open (g_getenv ("TEST_STORE"), &error);
  g_assert_no_error (error);
}

/* An anchor is written only when the chain has grown, and the newest one is
 * found from the end of a long file. */
static void
test_anchor_only_when_grown (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketEvidenceStore) store = NULL;
  g_autoptr (DocketStationKey) key = NULL;
  g_autofree gchar *key_path = g_build_filename (f->dir, "keys", "station.key", NULL);
  g_autofree gchar *anchors = g_build_filename (f->store, "anchors.log", NULL);
  DocketAuditLog *audit;

  store = docket_evidence_store_open (f->store, &error);
  g_assert_no_error (error);
  key = docket_station_key_load_or_create (key_path, NULL, &error);
  g_assert_no_error (error);
  audit = docket_evidence_store_get_audit_log (store);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr (DocketAuditAnchor) anchor = NULL;
      g_autoptr (DocketAuditAnchor) again = NULL;
      g_autoptr (DocketAuditAnchor) last = NULL;

      g_assert_cmpint (docket_audit_log_append (audit, "officer:1234", "recording-viewed",
                                                "recording:2", "Review", NULL, &error),
                       >, 0);
      g_assert_true (docket_evidence_store_anchor (store, key, &anchor, &error));
      g_assert_nonnull (anchor);
      g_assert_true (docket_evidence_store_anchor (store, key, &again, &error));
      g_assert_null (again);
      last = docket_audit_anchors_read_last (anchors, &error);
      g_assert_no_error (error);
      g_assert_cmpint (last->seq, ==, anchor->seq);
      g_assert_true (last->signature_ok);
    }
  g_clear_object (&store);
  {
    g_autofree gchar *out = NULL;
    g_assert_cmpint (run_audit (f, "verify", FALSE, &out), ==, 0);
  }
}

static void
test_list (Fixture *f, gconstpointer data)
{
  g_autofree gchar *json = NULL;
  g_autofree gchar *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *rows;
  JsonObject *viewed;

  g_assert_cmpint (run_audit (f, "list", TRUE, &json), ==, 0);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  rows = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (rows), ==, 6);
  viewed = json_array_get_object_element (rows, 4);
  g_assert_cmpstr (json_object_get_string_member (viewed, "actor"), ==, "officer:1234");
  g_assert_cmpstr (json_object_get_string_member (viewed, "reason"), ==, "Tagging");

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

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/docketctl-audit/intact", test_intact);
  ADD ("/docketctl-audit/edited-row", test_edited_row);
  ADD ("/docketctl-audit/deleted-last-row", test_deleted_last_row);
  ADD ("/docketctl-audit/deleted-last-three", test_deleted_last_three);
  ADD ("/docketctl-audit/rechained", test_rechained);
  ADD ("/docketctl-audit/deleted-file-and-row", test_deleted_file_and_row);
  ADD ("/docketctl-audit/swapped-footage", test_swapped_footage);
  ADD ("/docketctl-audit/extra-object", test_extra_object);
  ADD ("/docketctl-audit/flipped-quarantine-byte", test_flipped_quarantine_byte);
  ADD ("/docketctl-audit/altered-file", test_altered_file);
  ADD ("/docketctl-audit/deleted-anchors", test_deleted_anchors);
  ADD ("/docketctl-audit/triggers-restored", test_triggers_restored);
  ADD ("/docketctl-audit/anchor-only-when-grown", test_anchor_only_when_grown);
  ADD ("/docketctl-audit/list", test_list);
#undef ADD
  g_test_add_func ("/docketctl-audit/no-store", test_no_store);
  g_test_add_func ("/docketctl-audit/open-store-subprocess", open_store_subprocess);
  return g_test_run ();
}
