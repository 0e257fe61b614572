/* bench-store.c — a throw-away evidence store for the store-level benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bench-store.h"

DocketEvidenceStore *
bench_store_open (const gchar *prefix, gchar **out_dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *template = g_strdup_printf ("%s-XXXXXX", prefix);
  DocketCameraIdentity identity = { 0 };
  DocketEvidenceStore *store;

  *out_dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  store = docket_evidence_store_open (*out_dir, &error);
  g_assert_no_error (error);
  identity.serial = g_strdup ("CAM-1");
  memset (identity.public_key, 7, sizeof identity.public_key);
  g_assert_true (docket_evidence_store_enrol_camera (store, &identity, NULL, &error));
  docket_camera_identity_clear (&identity);
  return store;
}

void
bench_store_fill (DocketEvidenceStore *store, const gchar *sql)
{
  DocketDatabase *db = docket_evidence_store_get_database (store);
  g_autoptr (GError) error = NULL;

  g_assert_true (docket_database_begin (db, &error));
  g_assert_true (docket_database_exec (db, sql, &error));
  g_assert_true (docket_database_commit (db, &error));
  g_assert_no_error (error);
}

void
bench_store_remove (const gchar *dir)
{
  g_autofree gchar *quoted = g_shell_quote (dir);
  g_autofree gchar *cmd = g_strdup_printf ("rm -rf %s", quoted);

  if (g_getenv ("DOCKET_BENCH_KEEP") != NULL)
    g_print ("kept %s\n", dir);
  else if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", dir);
}
