/* test-audit.c — the audit log chains, verifies, and notices tampering
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "docket-audit-log.h"
#include "docket-error.h"

typedef struct
{
  gchar *dir;
  DocketDatabase *db;
  DocketAuditLog *log;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = NULL;

  f->dir = g_dir_make_tmp ("docket-audit-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "docket.db", NULL);
  f->db = docket_database_open (path, &error);
  g_assert_no_error (error);
  f->log = docket_audit_log_new (f->db);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_clear_object (&f->log);
  g_clear_object (&f->db);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

static void
append_some (Fixture *f, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree gchar *subject = g_strdup_printf ("recording:%u", i);
      GVariantDict dict;
      gint64 seq;

      g_variant_dict_init (&dict, NULL);
      g_variant_dict_insert (&dict, "index", "u", i);
      seq = docket_audit_log_append (f->log, "docketd", "recording-committed", subject, "test",
                                     g_variant_dict_end (&dict), &error);
      g_assert_no_error (error);
      g_assert_cmpint (seq, >, 0);
    }
}

static void
test_chain_whole (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  guint64 n = 0;

  append_some (f, 10);
  problems = docket_audit_log_verify (f->log, &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (n, ==, 10);

  rows = docket_audit_log_list (f->log, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 10);
  g_assert_cmpstr (((DocketAuditEntry *)rows->pdata[0])->prev_hash, ==, DOCKET_AUDIT_GENESIS_HASH);
  for (guint i = 1; i < rows->len; i++)
    g_assert_cmpstr (((DocketAuditEntry *)rows->pdata[i])->prev_hash, ==,
                     ((DocketAuditEntry *)rows->pdata[i - 1])->hash);
}

static void
test_append_only_triggers (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  append_some (f, 3);
  g_assert_false (docket_database_exec (f->db, "UPDATE audit_log SET actor = 'x'", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE);
  g_clear_error (&error);
  g_assert_false (docket_database_exec (f->db, "DELETE FROM audit_log WHERE seq = 2", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE);
}

/* Someone with raw access drops the triggers and edits: verify must see it. */
static void
test_tamper_detected (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = NULL;

  append_some (f, 5);
  g_assert_true (docket_database_exec (f->db,
                                       "DROP TRIGGER audit_log_no_update;"
                                       "UPDATE audit_log SET reason = 'edited' WHERE seq = 3",
                                       &error));
  g_assert_no_error (error);
  problems = docket_audit_log_verify (f->log, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_nonnull (strstr (problems->pdata[0], "3"));
}

static void
test_deletion_detected (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = NULL;

  append_some (f, 5);
  g_assert_true (docket_database_exec (f->db,
                                       "DROP TRIGGER audit_log_no_delete;"
                                       "DELETE FROM audit_log WHERE seq = 2",
                                       &error));
  problems = docket_audit_log_verify (f->log, NULL, NULL, &error);
  g_assert_no_error (error);
  /* a gap and a broken link */
  g_assert_cmpuint (problems->len, ==, 2);
}

static void
test_in_caller_transaction (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  /* A rolled-back transaction takes its audit row with it. */
  g_assert_true (docket_database_begin (f->db, &error));
  g_assert_cmpint (docket_audit_log_append (f->log, "a", "b", "c", NULL, NULL, &error), ==, 1);
  docket_database_rollback (f->db);
  rows = docket_audit_log_list (f->log, 0, 0, &error);
  g_assert_cmpuint (rows->len, ==, 0);
}

static void
test_bad_details (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (
      docket_audit_log_append (f->log, "a", "b", "c", NULL, g_variant_new_uint32 (1), &error), ==,
      -1);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
}

static void
test_migrations (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketDatabase) again = NULL;
  g_autofree gchar *path = g_build_filename (f->dir, "docket.db", NULL);

  g_assert_cmpint (docket_database_get_schema_version (f->db), ==,
                   docket_database_get_latest_version ());
  /* Reopening is a no-op; a newer schema is refused, not clobbered. */
  again = docket_database_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&again);
  g_assert_true (docket_database_exec (f->db, "PRAGMA user_version = 999", &error));
  again = docket_database_open (path, &error);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE);
  g_assert_null (again);
}

static void
appended_cb (DocketAuditLog *log, gint64 seq, const gchar *action, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%" G_GINT64_FORMAT " %s", seq, action));
}

/* ::appended names each row's seq and action, and its detail picks the
 * action; a refused row is not announced. */
static void
test_appended_signal (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) holds = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect (f->log, "appended", G_CALLBACK (appended_cb), all);
  g_signal_connect (f->log, "appended::hold-placed", G_CALLBACK (appended_cb), holds);
  g_assert_cmpint (
      docket_audit_log_append (f->log, "a", "recording-committed", "s", NULL, NULL, &error), ==, 1);
  g_assert_cmpint (docket_audit_log_append (f->log, "a", "hold-placed", "s", NULL, NULL, &error),
                   ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (docket_audit_log_append (f->log, "a", "hold-placed", "s", NULL,
                                            g_variant_new_uint32 (1), &error),
                   ==, -1);
  g_clear_error (&error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (all, 0), ==, "1 recording-committed");
  g_assert_cmpstr (g_ptr_array_index (all, 1), ==, "2 hold-placed");
  g_assert_cmpuint (holds->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (holds, 0), ==, "2 hold-placed");
  g_signal_handlers_disconnect_by_func (f->log, appended_cb, all);
  g_signal_handlers_disconnect_by_func (f->log, appended_cb, holds);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/audit/chain-whole", test_chain_whole);
  ADD ("/audit/append-only", test_append_only_triggers);
  ADD ("/audit/tamper-detected", test_tamper_detected);
  ADD ("/audit/deletion-detected", test_deletion_detected);
  ADD ("/audit/caller-transaction", test_in_caller_transaction);
  ADD ("/audit/bad-details", test_bad_details);
  ADD ("/audit/migrations", test_migrations);
  ADD ("/audit/appended-signal", test_appended_signal);
  return g_test_run ();
}
