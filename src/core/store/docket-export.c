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
#include "docket-export.h"
#include "docket-sha256.h"
#include "docket-signature.h"

/* ---- selection ---------------------------------------------------------- */

static gint
by_id (gconstpointer a, gconstpointer b)
{
  const DocketStoredRecording *ra = *(DocketStoredRecording *const *)a;
  const DocketStoredRecording *rb = *(DocketStoredRecording *const *)b;

  return ra->id < rb->id ? -1 : ra->id > rb->id;
}

static gboolean
parse_id (const gchar *what, gint64 *out_id, GError **error)
{
  gchar *end = NULL;
  gint64 id = g_ascii_strtoll (what, &end, 10);

  if (what == NULL || *what == '\0' || end == NULL || *end != '\0' || id <= 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("“%s” is not a recording number"),
                   what != NULL ? what : "");
      return FALSE;
    }
  *out_id = id;
  return TRUE;
}

static gboolean
is_verified (const DocketStoredRecording *rec)
{
  return g_strcmp0 (rec->state, DOCKET_RECORDING_STATE_VERIFIED) == 0;
}

GPtrArray *
docket_export_select (DocketEvidenceStore *store,
                      DocketExportScope scope,
                      const gchar *what,
                      GError **error)
{
  g_autoptr (GPtrArray) chosen
      = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_stored_recording_free);
  gint64 id = 0;

  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (store), NULL);

  if (scope == DOCKET_EXPORT_CASE)
    {
      g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (store->db);
      g_autoptr (sqlite3_stmt) stmt = NULL;

      stmt = docket_database_prepare (
          store->db, "SELECT recording_id FROM tags WHERE case_number = ? ORDER BY recording_id",
          error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, what, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 rid = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (ids, rid);
        }
      g_clear_pointer (&stmt, sqlite3_finalize);
      g_clear_pointer (&locker, docket_database_locker_free);
      for (guint i = 0; i < ids->len; i++)
        {
          DocketStoredRecording *rec
              = docket_evidence_store_get_recording (store, g_array_index (ids, gint64, i), NULL);
          if (rec != NULL && is_verified (rec))
            g_ptr_array_add (chosen, rec);
          else
            docket_stored_recording_free (rec);
        }
    }
  else
    {
      DocketStoredRecording *seed;

      if (!parse_id (what, &id, error))
        return NULL;
      seed = docket_evidence_store_get_recording (store, id, error);
      if (seed == NULL)
        return NULL;
      if (!is_verified (seed))
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                       _ ("Recording %" PRId64 " is %s, not committed evidence: it cannot be "
                          "exported"),
                       id, seed->state);
          docket_stored_recording_free (seed);
          return NULL;
        }
      g_ptr_array_add (chosen, seed);
      if (scope == DOCKET_EXPORT_INCIDENT)
        {
          g_autoptr (GPtrArray) all = docket_evidence_store_list_recordings (store, error);
          gboolean grew = TRUE;

          if (all == NULL)
            return NULL;
          /* Grow the set until no other recording of the officer starts
           * within the gap of one already in it. */
          while (grew)
            {
              grew = FALSE;
              for (guint i = 0; i < all->len; i++)
                {
                  DocketStoredRecording *rec = g_ptr_array_index (all, i);

                  if (rec == NULL || !is_verified (rec) || g_strcmp0 (rec->officer, seed->officer))
                    continue;
                  for (guint j = 0; j < chosen->len; j++)
                    {
                      DocketStoredRecording *in = g_ptr_array_index (chosen, j);

                      if (in->id == rec->id)
                        {
                          docket_stored_recording_free (g_ptr_array_steal_index (all, i));
                          g_ptr_array_insert (all, (gint)i, NULL);
                          break;
                        }
                      if (ABS (in->start_usec - rec->start_usec) <= DOCKET_EXPORT_INCIDENT_GAP_USEC)
                        {
                          g_ptr_array_add (chosen, g_ptr_array_steal_index (all, i));
                          g_ptr_array_insert (all, (gint)i, NULL);
                          grew = TRUE;
                          break;
                        }
                    }
                }
            }
        }
    }
  if (chosen->len == 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                   _ ("No committed recording is filed under case “%s”"), what);
      return NULL;
    }
  g_ptr_array_sort (chosen, by_id);
  return g_steal_pointer (&chosen);
}

/* ---- writing ------------------------------------------------------------ */

/* Only what is safe in a file name on every system a court may use. */
static gchar *
sanitise (const gchar *text, const gchar *fallback)
{
  GString *out = g_string_new (NULL);

  for (const gchar *p = text != NULL ? text : ""; *p != '\0' && out->len < 80; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || (*p == '.' && out->len > 0))
        g_string_append_c (out, *p);
      else
        g_string_append_c (out, '_');
    }
  if (out->len == 0)
    g_string_append (out, fallback);
  return g_string_free (out, FALSE);
}

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

static gboolean
write_file (const gchar *path, const void *data, gsize len, GError **error)
{
  return g_file_set_contents_full (path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0444,
                                   error);
}

/* Copies and hashes in one pass; the copy must hash to what was committed. */
static gboolean
copy_recording (const gchar *from,
                const gchar *to,
                const gchar *sha256,
                GCancellable *cancellable,
                GError **error)
{
  g_autoptr (GFile) src = g_file_new_for_path (from);
  g_autoptr (GFileInputStream) in = NULL;
  g_autofree guint8 *buffer = g_malloc (1 << 20);
  g_autofree gchar *hex = NULL;
  EVP_MD_CTX *ctx;
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  gssize n;
  int fd;

  in = g_file_read (src, cancellable, error);
  if (in == NULL)
    return FALSE;
  fd = g_open (to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Could not create “%s”: %s"), to,
                   g_strerror (saved));
      return FALSE;
    }
  ctx = EVP_MD_CTX_new ();
  EVP_DigestInit_ex (ctx, EVP_sha256 (), NULL);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, 1 << 20, cancellable, error)) > 0)
    {
      gssize done = 0;

      EVP_DigestUpdate (ctx, buffer, (gsize)n);
      while (done < n)
        {
          gssize w = write (fd, buffer + done, (gsize)(n - done));
          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            {
              int saved = errno;
              g_set_error (error, DOCKET_ERROR,
                           saved == ENOSPC ? DOCKET_ERROR_NO_SPACE : DOCKET_ERROR_STORE,
                           _ ("Could not write “%s”: %s"), to, g_strerror (saved));
              n = -1;
              break;
            }
          done += w;
        }
      if (n < 0)
        break;
    }
  EVP_DigestFinal_ex (ctx, digest, &digest_len);
  EVP_MD_CTX_free (ctx);
  if (n == 0 && fsync (fd) < 0)
    {
      int saved = errno;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Could not write “%s”: %s"), to,
                   g_strerror (saved));
      n = -1;
    }
  close (fd);
  if (n < 0)
    return FALSE;
  hex = docket_sha256_to_hex (digest);
  if (g_strcmp0 (hex, sha256) != 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("The stored file %s no longer matches its hash; nothing was exported. Run "
                      "“docketctl audit verify”."),
                   from);
      return FALSE;
    }
  return TRUE;
}

/* Every column of one row, by its SQL name: new columns (conditions, holds)
 * reach the export without this code knowing them. */
static void
add_row_members (JsonBuilder *builder, sqlite3_stmt *stmt)
{
  for (int c = 0; c < sqlite3_column_count (stmt); c++)
    {
      json_builder_set_member_name (builder, sqlite3_column_name (stmt, c));
      switch (sqlite3_column_type (stmt, c))
        {
          case SQLITE_INTEGER:
            json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, c));
            break;
          case SQLITE_FLOAT:
            json_builder_add_double_value (builder, sqlite3_column_double (stmt, c));
            break;
          case SQLITE_NULL:
            json_builder_add_null_value (builder);
            break;
          case SQLITE_BLOB:
            {
              g_autofree gchar *hex = docket_hex_encode (sqlite3_column_blob (stmt, c),
                                                         sqlite3_column_bytes (stmt, c));
              json_builder_add_string_value (builder, hex);
              break;
            }
          default:
            json_builder_add_string_value (builder, (const gchar *)sqlite3_column_text (stmt, c));
        }
    }
}

static gboolean
add_table_row (DocketEvidenceStore *store,
               JsonBuilder *builder,
               const gchar *member,
               const gchar *sql,
               gint64 id,
               GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (store->db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (store->db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  json_builder_set_member_name (builder, member);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      add_row_members (builder, stmt);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  return TRUE;
}

static gboolean
write_json (const gchar *path, JsonBuilder *builder, GError **error)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree gchar *text = NULL;
  gsize len = 0;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  return write_file (path, text, len, error);
}

typedef struct
{
  gchar *package;
  GPtrArray *files; /* relative paths written, for SHA256SUMS and the MHL */
} Package;

static void
package_clear (Package *pkg)
{
  g_clear_pointer (&pkg->package, g_free);
  g_clear_pointer (&pkg->files, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Package, package_clear)

static gchar *
package_path (Package *pkg, const gchar *rel)
{
  g_ptr_array_add (pkg->files, g_strdup (rel));
  return g_build_filename (pkg->package, rel, NULL);
}

static gboolean
write_recordings (DocketEvidenceStore *store,
                  Package *pkg,
                  GPtrArray *recs,
                  GCancellable *cancellable,
                  GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GHashTable) keys_done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree gchar *json_path = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < recs->len; i++)
    {
      DocketStoredRecording *rec = g_ptr_array_index (recs, i);
      g_autofree gchar *safe = sanitise (rec->name, "recording");
      g_autofree gchar *file = g_strdup_printf ("%" PRId64 "_%s", rec->id, safe);
      g_autofree gchar *rel = g_build_filename ("recordings", file, NULL);
      g_autofree gchar *object = docket_evidence_store_get_object_path (store, rec->sha256);
      g_autofree gchar *target = package_path (pkg, rel);
      g_autofree gchar *safe_serial = sanitise (rec->camera_serial, "camera");
      g_autofree gchar *key_rel = g_strdup_printf ("keys/camera-%s.pem", safe_serial);
      g_autofree gchar *msg_rel = NULL;
      g_autofree gchar *sig_rel = NULL;
      guint8 key[DOCKET_ED25519_PUBLIC_KEY_LEN];

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!copy_recording (object, target, rec->sha256, cancellable, error))
        return FALSE;

      if (!g_hash_table_contains (keys_done, key_rel))
        {
          g_autofree gchar *key_path = NULL;
          g_autofree gchar *pem = NULL;

          if (!docket_evidence_store_get_camera_key (store, rec->camera_serial, key, error))
            return FALSE;
          key_path = package_path (pkg, key_rel);
          pem = docket_ed25519_public_key_to_pem (key);
          if (!write_file (key_path, pem, strlen (pem), error))
            return FALSE;
          g_hash_table_add (keys_done, g_strdup (key_rel));
        }

      if (rec->camera_signature != NULL)
        {
          DocketRecordingInfo info = { 0 };
          g_autoptr (GBytes) message = NULL;
          g_autofree gchar *msg_path = NULL;
          g_autofree gchar *sig_path = NULL;

          info.id = rec->camera_recording_id;
          info.start_usec = rec->start_usec;
          info.size = rec->size;
          if (!docket_sha256_from_hex (rec->sha256, info.sha256)
              || !docket_hex_decode (rec->camera_signature, info.signature, sizeof info.signature))
            {
              g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                           _ ("Recording %" PRId64 " has a malformed signature in the database"),
                           rec->id);
              return FALSE;
            }
          message = docket_signature_build_message (rec->camera_serial, &info, error);
          if (message == NULL)
            return FALSE;
          msg_rel = g_strdup_printf ("signatures/%s.sigmsg", file);
          sig_rel = g_strdup_printf ("signatures/%s.sig", file);
          msg_path = package_path (pkg, msg_rel);
          sig_path = package_path (pkg, sig_rel);
          if (!write_file (msg_path, g_bytes_get_data (message, NULL), g_bytes_get_size (message),
                           error)
              || !write_file (sig_path, info.signature, sizeof info.signature, error))
            return FALSE;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, rel);
      json_builder_set_member_name (builder, "camera-serial");
      json_builder_add_string_value (builder, rec->camera_serial);
      json_builder_set_member_name (builder, "camera-key");
      json_builder_add_string_value (builder, key_rel);
      json_builder_set_member_name (builder, "signature-message");
      if (msg_rel != NULL)
        json_builder_add_string_value (builder, msg_rel);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "signature");
      if (sig_rel != NULL)
        json_builder_add_string_value (builder, sig_rel);
      else
        json_builder_add_null_value (builder);
      if (!add_table_row (store, builder, "recording", "SELECT * FROM recordings WHERE id = ?",
                          rec->id, error)
          || !add_table_row (store, builder, "tags", "SELECT * FROM tags WHERE recording_id = ?",
                             rec->id, error))
        return FALSE;
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_path = package_path (pkg, "metadata/recordings.json");
  return write_json (json_path, builder, error);
}

static void
add_entry (JsonBuilder *builder, const DocketAuditEntry *entry)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, entry->seq);
  json_builder_set_member_name (builder, "time_usec");
  json_builder_add_int_value (builder, entry->time_usec);
  json_builder_set_member_name (builder, "actor");
  json_builder_add_string_value (builder, entry->actor);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, entry->action);
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, entry->subject);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, entry->reason);
  json_builder_set_member_name (builder, "details");
  json_builder_add_string_value (builder, entry->details);
  json_builder_set_member_name (builder, "prev_hash");
  json_builder_add_string_value (builder, entry->prev_hash);
  json_builder_set_member_name (builder, "hash");
  json_builder_add_string_value (builder, entry->hash);
  json_builder_end_object (builder);
}

static gboolean
write_audit (DocketEvidenceStore *store, Package *pkg, GPtrArray *recs, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GPtrArray) rows = docket_audit_log_list (store->audit, 0, 0, error);
  g_autoptr (GHashTable) subjects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) anchors = NULL;
  g_autofree gchar *anchors_path = docket_evidence_store_get_anchors_path (store);
  g_autofree gchar *json_path = NULL;
  DocketAuditAnchor *anchor = NULL;
  gint64 first = 0;
  gint64 last = 0;

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < recs->len; i++)
    {
      DocketStoredRecording *rec = g_ptr_array_index (recs, i);

      g_hash_table_add (subjects, g_strdup_printf ("recording:%s", rec->sha256));
      g_hash_table_add (subjects, g_strdup_printf ("recording:%" PRId64, rec->id));
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "hash-algorithm");
  json_builder_add_string_value (
      builder, "SHA-256 over: for each of \"docket-audit-v1\", prev_hash, seq, time_usec, actor, "
               "action, subject, reason, details (decimal text for numbers): its UTF-8 length as "
               "a 64-bit little-endian integer, then its bytes");
  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      DocketAuditEntry *entry = g_ptr_array_index (rows, i);

      if (!g_hash_table_contains (subjects, entry->subject))
        continue;
      add_entry (builder, entry);
      if (first == 0)
        first = entry->seq;
      last = entry->seq;
    }
  json_builder_end_array (builder);

  /* The nearest anchor at or after the newest exported row. */
  anchors = docket_audit_anchors_read (anchors_path, problems, error);
  if (anchors == NULL)
    return FALSE;
  for (guint i = 0; i < anchors->len && anchor == NULL; i++)
    {
      DocketAuditAnchor *a = g_ptr_array_index (anchors, i);
      if (a->signature_ok && a->seq >= last)
        anchor = a;
    }

  /* Positions only: the other rows' contents are other people's business,
   * but their hashes show the exported rows sit in one unbroken chain. */
  json_builder_set_member_name (builder, "chain");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len && first > 0; i++)
    {
      DocketAuditEntry *entry = g_ptr_array_index (rows, i);
      gint64 end = anchor != NULL ? anchor->seq : last;

      if (entry->seq < first || entry->seq > end)
        continue;
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, entry->seq);
      json_builder_add_string_value (builder, entry->prev_hash);
      json_builder_add_string_value (builder, entry->hash);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "anchor");
  if (anchor != NULL)
    {
      g_autofree gchar *message
          = docket_audit_anchor_message (anchor->seq, anchor->hash, anchor->time_usec);
      g_autofree gchar *pem = docket_ed25519_public_key_to_pem (anchor->public_key);
      g_autofree gchar *msg_path = package_path (pkg, "anchor/anchor.msg");
      g_autofree gchar *sig_path = package_path (pkg, "anchor/anchor.sig");
      g_autofree gchar *key_path = package_path (pkg, "keys/station.pem");

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, anchor->seq);
      json_builder_set_member_name (builder, "hash");
      json_builder_add_string_value (builder, anchor->hash);
      json_builder_set_member_name (builder, "time_usec");
      json_builder_add_int_value (builder, anchor->time_usec);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, "anchor/anchor.msg");
      json_builder_set_member_name (builder, "signature");
      json_builder_add_string_value (builder, "anchor/anchor.sig");
      json_builder_set_member_name (builder, "station-key");
      json_builder_add_string_value (builder, "keys/station.pem");
      json_builder_end_object (builder);
      if (!write_file (msg_path, message, strlen (message), error)
          || !write_file (sig_path, anchor->signature, DOCKET_ED25519_SIG_LEN, error)
          || !write_file (key_path, pem, strlen (pem), error))
        return FALSE;
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_path = package_path (pkg, "metadata/audit.json");
  return write_json (json_path, builder, error);
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
write_sums (Package *pkg, gchar **out_sums_hash, GError **error)
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
  path = package_path (pkg, "SHA256SUMS");
  if (!write_file (path, sums->str, sums->len, error)
      || !docket_sha256_file (path, G_MAXUINT64, digest, NULL, error))
    return FALSE;
  *out_sums_hash = docket_sha256_to_hex (digest);
  g_ptr_array_sort (pkg->files, compare_paths);
  return TRUE;
}

static gboolean
write_export_info (Package *pkg,
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
  path = package_path (pkg, "metadata/export.json");
  return write_json (path, builder, error);
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
  g_autofree gchar *safe_what = sanitise (what, "x");
  g_autofree gchar *name = NULL;
  g_autofree gchar *sums_hash = NULL;
  g_autofree gchar *zip_path = NULL;
  g_autofree gchar *subject = NULL;
  g_autofree gchar *verify_path = NULL;
  g_autofree gchar *trimmed = NULL;
  g_auto (Package) pkg = { 0 };
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
  verify_path = package_path (&pkg, "VERIFY.txt");
  if (!write_recordings (store, &pkg, recs, cancellable, error)
      || !write_audit (store, &pkg, recs, error)
      || !write_export_info (&pkg, store, scope, what, actor, reason, recs, error)
      || !write_file (verify_path, verify_text, strlen (verify_text), error))
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
