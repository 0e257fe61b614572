/* docket-evidence-store-custody.c — station key, signed anchors, and the full store check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "docket-error.h"
#include "docket-evidence-store-private.h"
#include "docket-sha256.h"
#include "docket-signature.h"

gchar *
docket_evidence_store_get_anchors_path (DocketEvidenceStore *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (self), NULL);
  return g_build_filename (self->root, "anchors.log", NULL);
}

gchar *
docket_evidence_store_get_station_pub_path (DocketEvidenceStore *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (self), NULL);
  return g_build_filename (self->root, "station.pub", NULL);
}

/* The published station key, or FALSE when there is none (or it is not a key). */
static gboolean
read_station_pub (DocketEvidenceStore *self, guint8 out_key[DOCKET_ED25519_PUBLIC_LEN])
{
  g_autofree gchar *path = docket_evidence_store_get_station_pub_path (self);
  g_autofree gchar *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  g_strstrip (text);
  return docket_hex_decode (text, out_key, DOCKET_ED25519_PUBLIC_LEN);
}

gboolean
docket_evidence_store_set_station_key (DocketEvidenceStore *self,
                                       DocketStationKey *key,
                                       GError **error)
{
  g_autofree gchar *path = docket_evidence_store_get_station_pub_path (self);
  g_autofree gchar *hex = docket_station_key_get_public_hex (key);
  g_autofree gchar *contents = g_strconcat (hex, "\n", NULL);
  g_auto (GVariantDict) details = G_VARIANT_DICT_INIT (NULL);
  guint8 published[DOCKET_ED25519_PUBLIC_LEN];
  gboolean had_one;
  const gchar *action;
  const gchar *reason;

  had_one = read_station_pub (self, published);
  if (had_one
      && memcmp (published, docket_station_key_get_public_key (key), DOCKET_ED25519_PUBLIC_LEN)
             == 0)
    return TRUE;
  if (!g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return FALSE;
  g_variant_dict_insert (&details, "public-key", "s", hex);
  if (had_one)
    {
      g_autofree gchar *old = docket_hex_encode (published, DOCKET_ED25519_PUBLIC_LEN);

      g_variant_dict_insert (&details, "previous-public-key", "s", old);
      g_variant_dict_insert (&details, "alarm", "b", TRUE);
      action = "station-key-changed";
      reason = _ ("ALARM: the station's signing key is not the one published for this store; "
                  "anchors signed by the old key can no longer be trusted by this station");
    }
  else
    {
      action = "station-key-created";
      reason = _ ("The station's signing key for audit anchors was published");
    }
  return docket_audit_log_append (self->audit, "docketd", action, "station:key", reason,
                                  g_variant_dict_end (&details), error)
         > 0;
}

gboolean
docket_evidence_store_anchor (DocketEvidenceStore *self,
                              DocketStationKey *key,
                              DocketAuditAnchor **out_anchor,
                              GError **error)
{
  g_autofree gchar *path = docket_evidence_store_get_anchors_path (self);
  g_autoptr (DocketAuditAnchor) last = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree gchar *hash = NULL;
  gint64 seq = 0;

  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (self), FALSE);
  *out_anchor = NULL;
  if (!docket_audit_log_get_head (self->audit, &seq, &hash, error))
    return FALSE;
  last = docket_audit_anchors_read_last (path, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (last != NULL && last->seq == seq && g_strcmp0 (last->hash, hash) == 0)
    return TRUE;
  *out_anchor = docket_audit_anchors_append (path, key, seq, hash, error);
  return *out_anchor != NULL;
}

static gboolean
has_audit_action (GPtrArray *rows, const gchar *action, const gchar **out_key)
{
  for (guint i = 0; i < rows->len; i++)
    {
      DocketAuditEntry *entry = g_ptr_array_index (rows, i);

      if (g_str_equal (entry->action, action))
        {
          if (out_key != NULL)
            *out_key = entry->details;
          return TRUE;
        }
    }
  return FALSE;
}

/* The string @key in a row's details, or NULL. */
static gchar *
details_string (const gchar *details, const gchar *key)
{
  g_autoptr (GVariant) dict = g_variant_parse (G_VARIANT_TYPE_VARDICT, details, NULL, NULL, NULL);
  gchar *value = NULL;

  if (dict != NULL)
    (void)g_variant_lookup (dict, key, "s", &value);
  return value;
}

GPtrArray *
docket_evidence_store_verify_audit (DocketEvidenceStore *self,
                                    guint64 *out_rows,
                                    gint64 *out_anchored,
                                    GCancellable *cancellable,
                                    GError **error)
{
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GPtrArray) missing = NULL;
  g_autoptr (GPtrArray) anchors = NULL;
  g_autoptr (GPtrArray) key_rows = NULL;
  g_autofree gchar *anchors_path = docket_evidence_store_get_anchors_path (self);
  guint8 station[DOCKET_ED25519_PUBLIC_LEN];
  gboolean have_station;
  gint64 anchored = 0;

  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (self), NULL);

  problems = docket_audit_log_verify (self->audit, out_rows, cancellable, error);
  if (problems == NULL)
    return NULL;
  missing = docket_audit_log_missing_triggers (self->audit, error);
  if (missing == NULL)
    return NULL;
  for (guint i = 0; i < missing->len; i++)
    g_ptr_array_add (problems,
                     g_strdup_printf (_ ("The audit log's append-only trigger “%s” was removed "
                                         "from the database: rows could have been changed"),
                                      (const gchar *)g_ptr_array_index (missing, i)));

  /* Which key this store's anchors must carry: the published one, which the
   * chained "station-key-created" row also names. */
  have_station = read_station_pub (self, station);
  key_rows = docket_audit_log_list (self->audit, 0, 0, error);
  if (key_rows == NULL)
    return NULL;
  {
    const gchar *details = NULL;

    if (has_audit_action (key_rows, "station-key-created", &details))
      {
        g_autofree gchar *chained = details_string (details, "public-key");
        g_autofree gchar *published
            = have_station ? docket_hex_encode (station, DOCKET_ED25519_PUBLIC_LEN) : NULL;

        if (!have_station)
          g_ptr_array_add (problems, g_strdup (_ ("The station's public key (station.pub) is "
                                                  "missing: the signed anchors cannot be "
                                                  "checked")));
        else if (g_strcmp0 (chained, published) != 0
                 && !has_audit_action (key_rows, "station-key-changed", NULL))
          g_ptr_array_add (problems,
                           g_strdup (_ ("The station's public key (station.pub) is not the one "
                                        "the audit log recorded: it was replaced")));
        if (!g_file_test (anchors_path, G_FILE_TEST_EXISTS))
          g_ptr_array_add (problems, g_strdup (_ ("The anchors file (anchors.log) is missing: "
                                                  "the station has been signing the audit "
                                                  "log, so it was deleted")));
      }
  }

  anchors = docket_audit_anchors_read (anchors_path, problems, error);
  if (anchors == NULL)
    return NULL;
  if (!docket_audit_anchors_check (anchors, have_station ? station : NULL, self->audit, problems,
                                   &anchored, error))
    return NULL;
  if (out_anchored != NULL)
    *out_anchored = anchored;
  return g_steal_pointer (&problems);
}

static gboolean
check_signature (DocketEvidenceStore *self, DocketStoredRecording *rec, GPtrArray *problems)
{
  DocketRecordingInfo info = { 0 };
  guint8 key[DOCKET_ED25519_PUBLIC_KEY_LEN];
  g_autoptr (GError) local_error = NULL;

  if (!docket_evidence_store_get_camera_key (self, rec->camera_serial, key, &local_error))
    {
      g_ptr_array_add (problems,
                       g_strdup_printf (_ ("Recording %" PRId64 " (%s): %s"), rec->id,
                                        rec->name != NULL ? rec->name : "", local_error->message));
      return FALSE;
    }
  info.id = rec->camera_recording_id;
  info.start_usec = rec->start_usec;
  info.size = rec->size;
  if (!docket_sha256_from_hex (rec->sha256, info.sha256)
      || !docket_hex_decode (rec->camera_signature, info.signature, sizeof info.signature)
      || !docket_signature_verify (rec->camera_serial, &info, key, NULL))
    {
      g_ptr_array_add (problems,
                       g_strdup_printf (_ ("Recording %" PRId64 " (%s): camera %s's signature "
                                           "does not match the stored hash, size and time: the "
                                           "footage or its record was swapped or edited"),
                                        rec->id, rec->name != NULL ? rec->name : "",
                                        rec->camera_serial));
      return FALSE;
    }
  return TRUE;
}

static gboolean
hash_matches (const gchar *path, const gchar *sha256, GCancellable *cancellable, GError **error)
{
  guint8 digest[DOCKET_SHA256_LEN];
  g_autofree gchar *hex = NULL;

  if (!docket_sha256_file (path, G_MAXUINT64, digest, cancellable, error))
    return FALSE;
  hex = docket_sha256_to_hex (digest);
  if (g_strcmp0 (hex, sha256) != 0)
    {
      g_set_error_literal (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY, "mismatch");
      return FALSE;
    }
  return TRUE;
}

/* Files under objects/ that no committed row accounts for. */
static void
find_stray_objects (DocketEvidenceStore *self, GHashTable *committed, GPtrArray *problems)
{
  g_autofree gchar *objects = g_build_filename (self->root, "objects", NULL);
  g_autoptr (GDir) top = g_dir_open (objects, 0, NULL);
  const gchar *sub;

  if (top == NULL)
    return;
  while ((sub = g_dir_read_name (top)) != NULL)
    {
      g_autofree gchar *sub_path = g_build_filename (objects, sub, NULL);
      g_autoptr (GDir) dir = g_dir_open (sub_path, 0, NULL);
      const gchar *name;

      if (dir == NULL)
        {
          g_ptr_array_add (problems, g_strdup_printf (_ ("Unexpected file in objects/: %s is not a "
                                                         "committed recording"),
                                                      sub));
          continue;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        if (!g_hash_table_contains (committed, name) || strncmp (name, sub, 2) != 0)
          g_ptr_array_add (problems,
                           g_strdup_printf (_ ("Unexpected file in objects/: %s/%s is not a "
                                               "committed recording"),
                                            sub, name));
    }
}

/* Every hash a recording row names, whatever its state: a file one of them
 * names is never a stray. */
static GHashTable *
hashes_with_rows (DocketEvidenceStore *self, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
  g_autoptr (GHashTable) hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (sqlite3_stmt) stmt
      = docket_database_prepare (self->db, "SELECT DISTINCT sha256 FROM recordings", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (sqlite3_column_text (stmt, 0) != NULL)
      g_hash_table_add (hashes, g_strdup ((const gchar *)sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      docket_database_set_error (self->db, error, _ ("Could not list the stored recordings"));
      return NULL;
    }
  return g_steal_pointer (&hashes);
}

/* strays/NAME, or NAME.1, NAME.2… when an earlier crash left the same one. */
static gchar *
stray_target (const gchar *strays, const gchar *name)
{
  g_autofree gchar *target = g_build_filename (strays, name, NULL);

  for (guint n = 1; g_file_test (target, G_FILE_TEST_EXISTS); n++)
    {
      g_autofree gchar *numbered = g_strdup_printf ("%s.%u", name, n);

      g_free (target);
      target = g_build_filename (strays, numbered, NULL);
    }
  return g_steal_pointer (&target);
}

static gboolean
set_aside (DocketEvidenceStore *self,
           const gchar *sub_path,
           const gchar *name,
           const gchar *strays,
           GError **error)
{
  g_autofree gchar *path = g_build_filename (sub_path, name, NULL);
  g_autofree gchar *target = NULL;
  g_autofree gchar *relative = NULL;
  g_autofree gchar *subject = NULL;
  g_auto (GVariantDict) details = G_VARIANT_DICT_INIT (NULL);
  GStatBuf st;

  if (g_lstat (path, &st) < 0 || !S_ISREG (st.st_mode))
    return TRUE; /* not a file: verify names it */
  if (g_mkdir_with_parents (strays, 0750) < 0)
    {
      int saved = errno;

      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                   _ ("Could not create the folder “%s”: %s"), strays, g_strerror (saved));
      return FALSE;
    }
  target = stray_target (strays, name);
  if (g_rename (path, target) < 0)
    {
      int saved = errno;

      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                   _ ("Could not set aside the stray file “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (!_docket_evidence_store_fsync_path (strays, TRUE, error)
      || !_docket_evidence_store_fsync_path (sub_path, TRUE, error))
    return FALSE;
  relative = g_build_filename ("strays", strrchr (target, G_DIR_SEPARATOR) + 1, NULL);
  subject = g_strdup_printf ("object:%s", name);
  g_variant_dict_insert (&details, "sha256", "s", name);
  g_variant_dict_insert (&details, "size", "t", (guint64)st.st_size);
  g_variant_dict_insert (&details, "path", "s", relative);
  g_message ("Set aside %s (%" G_GUINT64_FORMAT " bytes): no recording in the database names it",
             relative, (guint64)st.st_size);
  return docket_audit_log_append (self->audit, "docketd", "stray-object-set-aside", subject,
                                  "No committed recording names this file: set aside, kept",
                                  g_variant_dict_end (&details), error)
         >= 0;
}

/* The one process that offloads into this store holds store/offload.lock
 * for as long as it runs. Another (a second docketd, started while the first
 * is between a rename and its commit) must not move that file. */
static gboolean
take_writer_lock (DocketEvidenceStore *self, GError **error)
{
  g_autofree gchar *path = NULL;
  int fd;

  if (self->writer_lock_fd >= 0)
    return TRUE;
  path = g_build_filename (self->root, "offload.lock", NULL);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || flock (fd, LOCK_EX | LOCK_NB) < 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      if (saved == EWOULDBLOCK)
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                     _ ("Another process offloads into the store at %s"), self->root);
      else
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                     _ ("Could not lock the store at %s: %s"), self->root, g_strerror (saved));
      return FALSE;
    }
  self->writer_lock_fd = fd;
  return TRUE;
}

gint
docket_evidence_store_set_aside_strays (DocketEvidenceStore *self, GError **error)
{
  g_autofree gchar *objects = NULL;
  g_autofree gchar *strays = NULL;
  g_autoptr (GHashTable) known = NULL;
  g_autoptr (GDir) top = NULL;
  const gchar *sub;
  gint moved = 0;

  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (self), -1);

  if (!take_writer_lock (self, error))
    return -1;
  known = hashes_with_rows (self, error);
  if (known == NULL)
    return -1;
  objects = g_build_filename (self->root, "objects", NULL);
  strays = g_build_filename (self->root, "strays", NULL);
  top = g_dir_open (objects, 0, NULL);
  if (top == NULL)
    return 0;
  while ((sub = g_dir_read_name (top)) != NULL)
    {
      g_autofree gchar *sub_path = g_build_filename (objects, sub, NULL);
      g_autoptr (GDir) dir = g_dir_open (sub_path, 0, NULL);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const gchar *name;

      /* Only objects/XX/NAME: anything else was not put there by a commit
       * and stays for verify to report. */
      if (dir == NULL)
        continue;
      while ((name = g_dir_read_name (dir)) != NULL)
        if (!g_hash_table_contains (known, name))
          g_ptr_array_add (names, g_strdup (name));
      for (guint i = 0; i < names->len; i++)
        {
          if (!set_aside (self, sub_path, g_ptr_array_index (names, i), strays, error))
            return -1;
          moved++;
        }
    }
  return moved;
}

GPtrArray *
docket_evidence_store_verify_files (DocketEvidenceStore *self,
                                    guint64 *out_files,
                                    GCancellable *cancellable,
                                    GError **error)
{
  g_autoptr (GPtrArray) rows = docket_evidence_store_list_recordings (self, error);
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) audit_rows = NULL;
  g_autoptr (GHashTable) committed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) deleted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) chained_sig
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint64 files = 0;

  if (rows == NULL)
    return NULL;
  audit_rows = docket_audit_log_list (self->audit, 0, 0, error);
  if (audit_rows == NULL)
    return NULL;
  for (guint i = 0; i < audit_rows->len; i++)
    {
      DocketAuditEntry *entry = g_ptr_array_index (audit_rows, i);
      gchar *sig;

      if (!g_str_equal (entry->action, "recording-committed"))
        continue;
      sig = details_string (entry->details, "camera-signature");
      if (sig != NULL)
        g_hash_table_replace (chained_sig, g_strdup (entry->subject), sig);
    }

  for (guint i = 0; i < rows->len; i++)
    {
      DocketStoredRecording *rec = g_ptr_array_index (rows, i);
      g_autoptr (GError) local_error = NULL;
      g_autofree gchar *path = NULL;
      g_autofree gchar *subject = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      /* Its file is gone on purpose; the audit log says who decided and why. */
      if (g_strcmp0 (rec->state, DOCKET_RECORDING_STATE_DELETED) == 0)
        {
          g_hash_table_add (deleted, rec->sha256);
          continue;
        }
      if (g_strcmp0 (rec->state, DOCKET_RECORDING_STATE_QUARANTINED) == 0)
        {
          path = g_build_filename (self->root, rec->thumbnail, NULL);
          if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
            g_ptr_array_add (problems, g_strdup_printf (_ ("Quarantined copy of recording %" PRId64
                                                           " is missing: %s"),
                                                        rec->id, path));
          else if (docket_sha256_hex_is_valid (rec->sha256)
                   && !hash_matches (path, rec->sha256, cancellable, &local_error))
            {
              if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return NULL;
                }
              g_ptr_array_add (problems,
                               g_strdup_printf (_ ("Quarantined copy of recording %" PRId64
                                                   " (%s) was changed since it was quarantined: "
                                                   "%s"),
                                                rec->id, rec->name != NULL ? rec->name : "",
                                                rec->thumbnail));
            }
          continue;
        }
      files++;
      path = docket_evidence_store_get_object_path (self, rec->sha256);
      if (path == NULL)
        {
          g_ptr_array_add (problems, g_strdup_printf (_ ("Recording %" PRId64
                                                         " has a malformed hash in the database"),
                                                      rec->id));
          continue;
        }
      g_hash_table_add (committed, rec->sha256);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        g_ptr_array_add (problems,
                         g_strdup_printf (_ ("Recording %" PRId64 " (%s) is missing: its file "
                                             "objects/%.2s/%s was deleted"),
                                          rec->id, rec->name != NULL ? rec->name : "", rec->sha256,
                                          rec->sha256));
      else if (!hash_matches (path, rec->sha256, cancellable, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_ptr_array_add (problems,
                           g_strdup_printf (_ ("Recording %" PRId64
                                               " (%s) no longer matches its hash: the stored file "
                                               "was changed or damaged"),
                                            rec->id, rec->name != NULL ? rec->name : ""));
        }
      subject = g_strdup_printf ("recording:%s", rec->sha256);
      if (rec->camera_signature != NULL)
        check_signature (self, rec, problems);
      else if (g_hash_table_contains (chained_sig, subject))
        g_ptr_array_add (problems,
                         g_strdup_printf (_ ("Recording %" PRId64 " (%s): its camera signature "
                                             "was removed from the database"),
                                          rec->id, rec->name != NULL ? rec->name : ""));
    }

  /* Every commit the audit log vouches for must still have its file. */
  for (guint i = 0; i < audit_rows->len; i++)
    {
      DocketAuditEntry *entry = g_ptr_array_index (audit_rows, i);
      const gchar *sha;
      g_autofree gchar *path = NULL;

      if (!g_str_equal (entry->action, "recording-committed")
          || !g_str_has_prefix (entry->subject, "recording:"))
        continue;
      sha = entry->subject + strlen ("recording:");
      if (!docket_sha256_hex_is_valid (sha) || g_hash_table_contains (deleted, sha))
        continue;
      path = docket_evidence_store_get_object_path (self, sha);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        g_ptr_array_add (problems,
                         g_strdup_printf (_ ("Audit row %" PRId64 " records the commit of "
                                             "recording %s, but its file is gone and nothing "
                                             "records its deletion"),
                                          entry->seq, sha));
      else if (!g_hash_table_contains (committed, sha))
        g_ptr_array_add (problems,
                         g_strdup_printf (_ ("Audit row %" PRId64 " records the commit of "
                                             "recording %s, but the database has no row for it"),
                                          entry->seq, sha));
    }

  find_stray_objects (self, committed, problems);
  if (out_files != NULL)
    *out_files = files;
  return g_steal_pointer (&problems);
}
