/* docket-export.c — select recordings and write an evidence export package
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <openssl/evp.h>

#include "docket-error.h"
#include "docket-evidence-store-private.h"
#include "docket-export-private.h"
#include "docket-sha256.h"
#include "docket-signature.h"

/* ---- writing ------------------------------------------------------------ */

static gboolean
make_dir (const gchar *path, GError **error)
{
  if (g_mkdir (path, 0750) < 0)
    {
      int saved = errno;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                   _ ("Could not create the folder “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

void
_docket_export_package_clear (DocketExportPackage *pkg)
{
  g_clear_pointer (&pkg->package, g_free);
  g_clear_pointer (&pkg->files, g_ptr_array_unref);
}

static const gchar verify_text[]
    = "HOW TO CHECK THIS EVIDENCE EXPORT\n"
      "=================================\n"
      "\n"
      "This folder was written by Docket, a body-worn-camera dock, from its\n"
      "evidence store. Everything below can be checked with common tools; no\n"
      "Docket software is needed. Work inside this folder.\n"
      "\n"
      "1. Every file is whole\n"
      "   sha256sum -c SHA256SUMS\n"
      "   Each line must say OK. SHA256SUMS lists every file except itself and\n"
      "   the ascmhl/ folder. The same hashes, with sizes, are in the ASC MHL\n"
      "   manifest ascmhl/*.mhl (the media industry's hash list; its C4 IDs can\n"
      "   be checked with the ASC MHL tool: ascmhl verify .).\n"
      "\n"
      "2. The camera signed each recording\n"
      "   For recordings/<file>, the camera's Ed25519 signature is\n"
      "   signatures/<file>.sig (64 bytes) over the exact bytes in\n"
      "   signatures/<file>.sigmsg; the camera's key, enrolled when it first\n"
      "   docked, is keys/camera-<serial>.pem (see metadata/recordings.json).\n"
      "   openssl pkeyutl -verify -pubin -inkey keys/camera-<serial>.pem \\\n"
      "       -rawin -in signatures/<file>.sigmsg -sigfile signatures/<file>.sig\n"
      "   must print \"Signature Verified Successfully\". The signed message is:\n"
      "   \"DCP1-REC\", 1 byte serial length, the serial, the camera's recording\n"
      "   id (4 bytes little-endian), start time (8 bytes, microseconds since\n"
      "   1970 UTC, little-endian), size (8 bytes little-endian), and the\n"
      "   recording's SHA-256 (32 bytes). The last 32 bytes must equal the\n"
      "   file's SHA-256:\n"
      "   tail -c 32 signatures/<file>.sigmsg | od -An -tx1 | tr -d ' \\n'\n"
      "   sha256sum recordings/<file>\n"
      "\n"
      "3. The custody record\n"
      "   metadata/audit.json holds the audit rows about these recordings:\n"
      "   who did what and why, each with its place (seq) in the station's\n"
      "   hash chain. \"chain\" lists seq, previous hash and hash for every row\n"
      "   from the first exported row to the signed anchor: each previous hash\n"
      "   must equal the hash one line above. The station signed the chain's\n"
      "   head (the anchor):\n"
      "   openssl pkeyutl -verify -pubin -inkey keys/station.pem \\\n"
      "       -rawin -in anchor/anchor.msg -sigfile anchor/anchor.sig\n"
      "   anchor/anchor.msg reads \"docket-anchor-v1 <seq> <hash> <time>\"; its\n"
      "   hash must be the hash of row <seq> in \"chain\". Rows of other\n"
      "   recordings are shown by hash only. How a row's hash is computed is\n"
      "   written in metadata/audit.json (\"hash-algorithm\").\n"
      "\n"
      "4. What else is here\n"
      "   metadata/recordings.json: every stored field of each recording (camera,\n"
      "   officer, times, the camera clock's drift at dock in ms, media checks,\n"
      "   conditions) and its tags. metadata/export.json: who exported this,\n"
      "   when, and why; the export itself is a row in the station's audit log.\n"
      "\n"
      "On a computer with Docket installed, `docketctl verify-export <folder>`\n"
      "runs all of the checks above.\n";

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *)a, *(const gchar *const *)b);
}

static gboolean
write_sums (DocketExportPackage *pkg, gchar **out_sums_hash, GError **error)
{
  g_autoptr (GString) sums = g_string_new (NULL);
  g_autofree gchar *path = NULL;
  guint8 digest[DOCKET_SHA256_LEN];

  g_ptr_array_sort (pkg->files, compare_paths);
  for (guint i = 0; i < pkg->files->len; i++)
    {
      const gchar *rel = g_ptr_array_index (pkg->files, i);
      g_autofree gchar *file = g_build_filename (pkg->package, rel, NULL);
      g_autofree gchar *hex = NULL;

      if (!docket_sha256_file (file, G_MAXUINT64, digest, NULL, error))
        return FALSE;
      hex = docket_sha256_to_hex (digest);
      g_string_append_printf (sums, "%s  %s\n", hex, rel);
    }
  path = _docket_export_package_path (pkg, "SHA256SUMS");
  if (!_docket_export_write_file (path, sums->str, sums->len, error)
      || !docket_sha256_file (path, G_MAXUINT64, digest, NULL, error))
    return FALSE;
  *out_sums_hash = docket_sha256_to_hex (digest);
  g_ptr_array_sort (pkg->files, compare_paths);
  return TRUE;
}

static gboolean
write_export_info (DocketExportPackage *pkg,
                   DocketEvidenceStore *store,
                   DocketExportScope scope,
                   const gchar *what,
                   const gchar *actor,
                   const gchar *reason,
                   GPtrArray *recs,
                   GError **error)
{
  static const gchar *const scopes[] = { "recording", "incident", "case" };
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree gchar *stamp = g_date_time_format_iso8601 (now);
  g_autofree gchar *pub_path = docket_evidence_store_get_station_pub_path (store);
  g_autofree gchar *pub = NULL;
  g_autofree gchar *path = NULL;

  if (g_file_get_contents (pub_path, &pub, NULL, NULL))
    g_strstrip (pub);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "exported-by");
  json_builder_add_string_value (builder, actor);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, stamp);
  json_builder_set_member_name (builder, "scope");
  json_builder_add_string_value (builder, scopes[scope]);
  json_builder_set_member_name (builder, "selection");
  json_builder_add_string_value (builder, what);
  json_builder_set_member_name (builder, "station");
  json_builder_add_string_value (builder, g_get_host_name ());
  json_builder_set_member_name (builder, "station-public-key");
  json_builder_add_string_value (builder, pub != NULL ? pub : "");
  json_builder_set_member_name (builder, "docket-version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "recordings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < recs->len; i++)
    json_builder_add_int_value (builder,
                                ((DocketStoredRecording *)g_ptr_array_index (recs, i))->id);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  path = _docket_export_package_path (pkg, "metadata/export.json");
  return _docket_export_write_json (path, builder, error);
}

static gboolean
sync_tree (const gchar *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const gchar *name;
  int fd;

  if (handle != NULL)
    while ((name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree gchar *child = g_build_filename (dir, name, NULL);
        if (g_file_test (child, G_FILE_TEST_IS_DIR))
          sync_tree (child);
      }
  fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  (void)fsync (fd);
  close (fd);
  return TRUE;
}

static void
remove_tree (const gchar *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree gchar *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        (void)g_unlink (child);
      g_object_unref (info);
    }
  (void)g_rmdir (path);
}

static gboolean
make_zip (const gchar *to_dir, const gchar *name, gchar **out_zip, GError **error)
{
  g_autofree gchar *zip_name = g_strconcat (name, ".zip", NULL);
  /* -X: no extra file attributes, -0: stored (footage does not compress). */
  const gchar *argv[] = { "zip", "-X", "-0", "-r", "-q", zip_name, name, NULL };
  gint status = 0;

  if (!g_spawn_sync (to_dir, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, error)
      || !g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, _ ("Could not write the .zip: "));
      return FALSE;
    }
  *out_zip = g_build_filename (to_dir, zip_name, NULL);
  return TRUE;
}

gchar *
docket_export_run (DocketEvidenceStore *store,
                   DocketExportScope scope,
                   const gchar *what,
                   const gchar *to_dir,
                   const gchar *actor,
                   const gchar *reason,
                   gboolean zip,
                   GCancellable *cancellable,
                   GError **error)
{
  static const gchar *const scopes[] = { "recording", "incident", "case" };
  g_autoptr (GPtrArray) recs = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree gchar *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree gchar *safe_what = _docket_export_sanitise (what, "x");
  g_autofree gchar *name = NULL;
  g_autofree gchar *sums_hash = NULL;
  g_autofree gchar *zip_path = NULL;
  g_autofree gchar *subject = NULL;
  g_autofree gchar *verify_path = NULL;
  g_autofree gchar *trimmed = NULL;
  g_auto (DocketExportPackage) pkg = { 0 };
  g_auto (GVariantBuilder) ids = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("ax"));
  g_auto (GVariantBuilder) hashes = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("as"));
  g_auto (GVariantDict) details = G_VARIANT_DICT_INIT (NULL);
  static const gchar *const subdirs[]
      = { "recordings", "signatures", "keys", "anchor", "metadata" };

  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (store), NULL);
  g_return_val_if_fail (actor != NULL && to_dir != NULL, NULL);

  trimmed = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  if (*trimmed == '\0')
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("An export needs a reason (a request, a case, a court order)"));
      return NULL;
    }
  recs = docket_export_select (store, scope, what, error);
  if (recs == NULL)
    return NULL;

  name = g_strdup_printf ("docket-export-%s-%s-%s", scopes[scope], safe_what, stamp);
  pkg.package = g_build_filename (to_dir, name, NULL);
  pkg.files = g_ptr_array_new_with_free_func (g_free);
  if (g_mkdir_with_parents (to_dir, 0750) < 0 || !make_dir (pkg.package, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                     _ ("Could not create the folder “%s”: %s"), to_dir, g_strerror (errno));
      return NULL;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree gchar *dir = g_build_filename (pkg.package, subdirs[i], NULL);
      if (!make_dir (dir, error))
        goto fail;
    }
  verify_path = _docket_export_package_path (&pkg, "VERIFY.txt");
  if (!_docket_export_write_recordings (store, &pkg, recs, cancellable, error)
      || !_docket_export_write_audit (store, &pkg, recs, error)
      || !write_export_info (&pkg, store, scope, what, actor, reason, recs, error)
      || !_docket_export_write_file (verify_path, verify_text, strlen (verify_text), error))
    goto fail;
  {
    g_autofree gchar *anchor_dir = g_build_filename (pkg.package, "anchor", NULL);
    (void)g_rmdir (anchor_dir); /* empty when no anchor covers the rows yet */
  }
  if (!write_sums (&pkg, &sums_hash, error)
      || !docket_export_write_mhl (pkg.package, pkg.files, reason, error))
    goto fail;
  sync_tree (pkg.package);
  if (zip && !make_zip (to_dir, name, &zip_path, error))
    goto fail;

  for (guint i = 0; i < recs->len; i++)
    {
      DocketStoredRecording *rec = g_ptr_array_index (recs, i);
      g_variant_builder_add (&ids, "x", rec->id);
      g_variant_builder_add (&hashes, "s", rec->sha256);
    }
  g_variant_dict_insert (&details, "scope", "s", scopes[scope]);
  g_variant_dict_insert (&details, "selection", "s", what);
  g_variant_dict_insert_value (&details, "recordings", g_variant_builder_end (&ids));
  g_variant_dict_insert_value (&details, "sha256", g_variant_builder_end (&hashes));
  g_variant_dict_insert (&details, "destination", "s", pkg.package);
  g_variant_dict_insert (&details, "sha256sums", "s", sums_hash);
  if (zip_path != NULL)
    g_variant_dict_insert (&details, "zip", "s", zip_path);
  subject = g_strdup_printf ("export:%s", name);
  if (docket_audit_log_append (store->audit, actor, "evidence-exported", subject, reason,
                               g_variant_dict_end (&details), error)
      < 0)
    {
      /* An export nobody can account for must not exist. */
      if (zip_path != NULL)
        (void)g_unlink (zip_path);
      goto fail;
    }
  return g_steal_pointer (&pkg.package);

fail:
  remove_tree (pkg.package);
  return NULL;
}
