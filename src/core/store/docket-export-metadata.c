/* docket-export-metadata.c — an export's recordings, signatures, keys and custody record
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
#include "docket-export-private.h"
#include "docket-sha256.h"
#include "docket-signature.h"

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

/* One member of a JSON object the export writes: a number, or a string
 * (NULL writes null). begin_object_with() leaves the object open, for
 * members that need more than a value. */
typedef struct
{
  const gchar *key;
  const gchar *string;
  gint64 number;
  gboolean is_number;
} Member;

static void
begin_object_with (JsonBuilder *builder, const Member *members, gsize n_members)
{
  json_builder_begin_object (builder);
  for (gsize i = 0; i < n_members; i++)
    {
      json_builder_set_member_name (builder, members[i].key);
      if (members[i].is_number)
        json_builder_add_int_value (builder, members[i].number);
      else if (members[i].string != NULL)
        json_builder_add_string_value (builder, members[i].string);
      else
        json_builder_add_null_value (builder);
    }
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

gboolean
_docket_export_write_recordings (DocketEvidenceStore *store,
                                 DocketExportPackage *pkg,
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
      g_autofree gchar *safe = _docket_export_sanitise (rec->name, "recording");
      g_autofree gchar *file = g_strdup_printf ("%" PRId64 "_%s", rec->id, safe);
      g_autofree gchar *rel = g_build_filename ("recordings", file, NULL);
      g_autofree gchar *object = docket_evidence_store_get_object_path (store, rec->sha256);
      g_autofree gchar *target = _docket_export_package_path (pkg, rel);
      g_autofree gchar *safe_serial = _docket_export_sanitise (rec->camera_serial, "camera");
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
          key_path = _docket_export_package_path (pkg, key_rel);
          pem = docket_ed25519_public_key_to_pem (key);
          if (!_docket_export_write_file (key_path, pem, strlen (pem), error))
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
          msg_path = _docket_export_package_path (pkg, msg_rel);
          sig_path = _docket_export_package_path (pkg, sig_rel);
          if (!_docket_export_write_file (msg_path, g_bytes_get_data (message, NULL),
                                          g_bytes_get_size (message), error)
              || !_docket_export_write_file (sig_path, info.signature, sizeof info.signature,
                                             error))
            return FALSE;
        }

      {
        const Member members[] = {
          { .key = "file", .string = rel },
          { .key = "camera-serial", .string = rec->camera_serial },
          { .key = "camera-key", .string = key_rel },
          { .key = "signature-message", .string = msg_rel },
          { .key = "signature", .string = sig_rel },
        };

        begin_object_with (builder, members, G_N_ELEMENTS (members));
      }
      if (!add_table_row (store, builder, "recording", "SELECT * FROM recordings WHERE id = ?",
                          rec->id, error)
          || !add_table_row (store, builder, "tags", "SELECT * FROM tags WHERE recording_id = ?",
                             rec->id, error))
        return FALSE;
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_path = _docket_export_package_path (pkg, "metadata/recordings.json");
  return _docket_export_write_json (json_path, builder, error);
}

/* An audit row under its column names. */
static void
add_entry (JsonBuilder *builder, const DocketAuditEntry *entry)
{
  const Member members[] = {
    { .key = "seq", .number = entry->seq, .is_number = TRUE },
    { .key = "time_usec", .number = entry->time_usec, .is_number = TRUE },
    { .key = "actor", .string = entry->actor },
    { .key = "action", .string = entry->action },
    { .key = "subject", .string = entry->subject },
    { .key = "reason", .string = entry->reason },
    { .key = "details", .string = entry->details },
    { .key = "prev_hash", .string = entry->prev_hash },
    { .key = "hash", .string = entry->hash },
  };

  begin_object_with (builder, members, G_N_ELEMENTS (members));
  json_builder_end_object (builder);
}

gboolean
_docket_export_write_audit (DocketEvidenceStore *store,
                            DocketExportPackage *pkg,
                            GPtrArray *recs,
                            GError **error)
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
      g_autofree gchar *msg_path = _docket_export_package_path (pkg, "anchor/anchor.msg");
      g_autofree gchar *sig_path = _docket_export_package_path (pkg, "anchor/anchor.sig");
      g_autofree gchar *key_path = _docket_export_package_path (pkg, "keys/station.pem");

      const Member members[] = {
        { .key = "seq", .number = anchor->seq, .is_number = TRUE },
        { .key = "hash", .string = anchor->hash },
        { .key = "time_usec", .number = anchor->time_usec, .is_number = TRUE },
        { .key = "message", .string = "anchor/anchor.msg" },
        { .key = "signature", .string = "anchor/anchor.sig" },
        { .key = "station-key", .string = "keys/station.pem" },
      };

      begin_object_with (builder, members, G_N_ELEMENTS (members));
      json_builder_end_object (builder);
      if (!_docket_export_write_file (msg_path, message, strlen (message), error)
          || !_docket_export_write_file (sig_path, anchor->signature, DOCKET_ED25519_SIG_LEN, error)
          || !_docket_export_write_file (key_path, pem, strlen (pem), error))
        return FALSE;
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_path = _docket_export_package_path (pkg, "metadata/audit.json");
  return _docket_export_write_json (json_path, builder, error);
}
