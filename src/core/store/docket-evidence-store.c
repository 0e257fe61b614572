/* docket-evidence-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "docket-error.h"
#include "docket-evidence-store-private.h"
#include "docket-sha256.h"

#define DEFAULT_RESERVE_BYTES (G_GUINT64_CONSTANT (1) << 30)

G_DEFINE_FINAL_TYPE (DocketEvidenceStore, docket_evidence_store, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ROOT,
  PROP_RESERVE_BYTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

DocketStoredRecording *
docket_stored_recording_new (void)
{
  return g_new0 (DocketStoredRecording, 1);
}

void
docket_stored_recording_free (DocketStoredRecording *rec)
{
  if (rec == NULL)
    return;
  g_free (rec->camera_serial);
  g_free (rec->name);
  g_free (rec->officer);
  g_free (rec->sha256);
  g_free (rec->camera_sha256);
  g_free (rec->signature_status);
  g_free (rec->codec);
  g_free (rec->thumbnail);
  g_free (rec->state);
  g_free (rec->problem);
  g_free (rec->deep_check);
  g_free (rec->condition);
  g_free (rec->condition_reason);
  g_free (rec->camera_signature);
  g_free (rec);
}

static void
docket_evidence_store_get_property (GObject *object,
                                    guint prop_id,
                                    GValue *value,
                                    GParamSpec *pspec)
{
  DocketEvidenceStore *self = DOCKET_EVIDENCE_STORE (object);

  switch (prop_id)
    {
      case PROP_ROOT:
        g_value_set_string (value, self->root);
        break;
      case PROP_RESERVE_BYTES:
        g_value_set_uint64 (value, docket_evidence_store_get_reserve_bytes (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_evidence_store_set_property (GObject *object,
                                    guint prop_id,
                                    const GValue *value,
                                    GParamSpec *pspec)
{
  DocketEvidenceStore *self = DOCKET_EVIDENCE_STORE (object);

  switch (prop_id)
    {
      case PROP_RESERVE_BYTES:
        docket_evidence_store_set_reserve_bytes (self, g_value_get_uint64 (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_evidence_store_dispose (GObject *object)
{
  DocketEvidenceStore *self = DOCKET_EVIDENCE_STORE (object);

  g_clear_object (&self->audit);
  g_clear_object (&self->db);
  G_OBJECT_CLASS (docket_evidence_store_parent_class)->dispose (object);
}

static void
docket_evidence_store_finalize (GObject *object)
{
  DocketEvidenceStore *self = DOCKET_EVIDENCE_STORE (object);

  g_free (self->root);
  if (self->writer_lock_fd >= 0)
    close (self->writer_lock_fd);
  G_OBJECT_CLASS (docket_evidence_store_parent_class)->finalize (object);
}

static void
docket_evidence_store_class_init (DocketEvidenceStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = docket_evidence_store_get_property;
  object_class->set_property = docket_evidence_store_set_property;
  object_class->dispose = docket_evidence_store_dispose;
  object_class->finalize = docket_evidence_store_finalize;

  properties[PROP_ROOT]
      = g_param_spec_string ("root", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESERVE_BYTES]
      = g_param_spec_uint64 ("reserve-bytes", NULL, NULL, 0, G_MAXUINT64, DEFAULT_RESERVE_BYTES,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_evidence_store_init (DocketEvidenceStore *self)
{
  self->reserve_bytes = DEFAULT_RESERVE_BYTES;
  self->writer_lock_fd = -1;
}

static gboolean
make_dir (const gchar *path, GError **error)
{
  if (g_mkdir_with_parents (path, 0750) < 0)
    {
      int saved = errno;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                   _ ("Could not create the folder “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
_docket_evidence_store_fsync_path (const gchar *path, gboolean is_dir, GError **error)
{
  int fd = g_open (path, (is_dir ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) < 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      /* Delayed allocation: a full disk can show first here. */
      g_set_error (error, DOCKET_ERROR,
                   saved == ENOSPC || saved == EDQUOT ? DOCKET_ERROR_NO_SPACE : DOCKET_ERROR_STORE,
                   _ ("Could not sync “%s” to disk: %s"), path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gchar *
docket_evidence_store_default_root (void)
{
  const gchar *env = g_getenv ("DOCKET_STORE_ROOT");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (DOCKET_STATEDIR, "store", NULL);
}

static DocketEvidenceStore *
open_store (const gchar *root, gboolean repair, GError **error)
{
  g_autoptr (DocketEvidenceStore) self = NULL;
  g_autofree gchar *db_path = NULL;
  static const gchar *const subdirs[] = { "objects", "thumbnails", "staging", "quarantine" };

  g_return_val_if_fail (root != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_EVIDENCE_STORE, NULL);
  self->root = g_canonicalize_filename (root, NULL);
  if (!make_dir (self->root, error))
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree gchar *dir = g_build_filename (self->root, subdirs[i], NULL);
      if (!make_dir (dir, error))
        return NULL;
    }
  db_path = g_build_filename (self->root, "docket.db", NULL);
  self->db = docket_database_open (db_path, error);
  if (self->db == NULL)
    return NULL;
  self->audit = docket_audit_log_new (self->db);
  if (repair)
    {
      guint restored = 0;

      if (!docket_audit_log_restore_triggers (self->audit, &restored, error))
        return NULL;
      if (restored > 0)
        g_critical ("ALARM: the audit log's append-only triggers were missing from %s and were "
                    "put back; run “docketctl audit verify”",
                    db_path);
    }
  return g_steal_pointer (&self);
}

DocketEvidenceStore *
docket_evidence_store_open (const gchar *root, GError **error)
{
  return open_store (root, TRUE, error);
}

DocketEvidenceStore *
docket_evidence_store_open_to_check (const gchar *root, GError **error)
{
  return open_store (root, FALSE, error);
}

const gchar *
docket_evidence_store_get_root (DocketEvidenceStore *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (self), NULL);
  return self->root;
}

DocketDatabase *
docket_evidence_store_get_database (DocketEvidenceStore *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (self), NULL);
  return self->db;
}

DocketAuditLog *
docket_evidence_store_get_audit_log (DocketEvidenceStore *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (self), NULL);
  return self->audit;
}

guint64
docket_evidence_store_get_reserve_bytes (DocketEvidenceStore *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (self), 0);
  return __atomic_load_n (&self->reserve_bytes, __ATOMIC_RELAXED);
}

void
docket_evidence_store_set_reserve_bytes (DocketEvidenceStore *self, guint64 bytes)
{
  g_return_if_fail (DOCKET_IS_EVIDENCE_STORE (self));
  if (docket_evidence_store_get_reserve_bytes (self) == bytes)
    return;
  __atomic_store_n (&self->reserve_bytes, bytes, __ATOMIC_RELAXED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESERVE_BYTES]);
}

gboolean
docket_evidence_store_get_space (DocketEvidenceStore *self,
                                 guint64 *out_free,
                                 guint64 *out_total,
                                 GError **error)
{
  struct statvfs st;

  if (statvfs (self->root, &st) < 0)
    {
      int saved = errno;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                   _ ("Could not tell how much space the evidence store has: %s"),
                   g_strerror (saved));
      return FALSE;
    }
  if (out_free != NULL)
    *out_free = (guint64)st.f_bavail * st.f_frsize;
  if (out_total != NULL)
    *out_total = (guint64)st.f_blocks * st.f_frsize;
  return TRUE;
}

gboolean
docket_evidence_store_check_space (DocketEvidenceStore *self, guint64 needed, GError **error)
{
  guint64 free_bytes = 0;
  guint64 reserve = docket_evidence_store_get_reserve_bytes (self);

  if (!docket_evidence_store_get_space (self, &free_bytes, NULL, error))
    return FALSE;
  if (free_bytes < reserve || free_bytes - reserve < needed)
    {
      g_autofree gchar *need = g_format_size (needed + reserve);
      g_autofree gchar *have = g_format_size (free_bytes);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NO_SPACE,
                   _ ("The evidence store is full (%s free, %s needed). Offload is paused and "
                      "nothing was erased from the camera; it resumes when space is freed."),
                   have, need);
      return FALSE;
    }
  return TRUE;
}

gchar *
docket_evidence_store_get_staging_path (DocketEvidenceStore *self,
                                        const gchar *serial,
                                        guint32 recording_id)
{
  g_autoptr (GString) name = g_string_new (NULL);

  for (const guchar *p = (const guchar *)serial; p != NULL && *p != '\0'; p++)
    g_string_append_printf (name, "%02x", *p);
  g_string_append_printf (name, "-%u.part", recording_id);
  return g_build_filename (self->root, "staging", name->str, NULL);
}

gchar *
docket_evidence_store_get_object_path (DocketEvidenceStore *self, const gchar *sha256_hex)
{
  gchar prefix[3] = { 0 };

  g_return_val_if_fail (docket_sha256_hex_is_valid (sha256_hex), NULL);
  memcpy (prefix, sha256_hex, 2);
  return g_build_filename (self->root, "objects", prefix, sha256_hex, NULL);
}

/* ---- cameras ---------------------------------------------------------- */

gchar *
_docket_evidence_store_camera_subject (const gchar *serial)
{
  return g_strdup_printf ("camera:%s", serial);
}

gboolean
docket_evidence_store_enrol_camera (DocketEvidenceStore *self,
                                    const DocketCameraIdentity *identity,
                                    gboolean *out_newly_enrolled,
                                    GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree gchar *subject = _docket_evidence_store_camera_subject (identity->serial);
  int rc;

  if (out_newly_enrolled != NULL)
    *out_newly_enrolled = FALSE;
  if (!docket_database_begin (self->db, error))
    return FALSE;
  stmt = docket_database_prepare (self->db, "SELECT public_key FROM cameras WHERE serial = ?",
                                  error);
  if (stmt == NULL)
    {
      docket_database_rollback (self->db);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, identity->serial, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const void *key = sqlite3_column_blob (stmt, 0);
      int key_len = sqlite3_column_bytes (stmt, 0);
      g_autofree gchar *reason = NULL;

      if (key_len == DOCKET_ED25519_PUBLIC_KEY_LEN
          && memcmp (key, identity->public_key, DOCKET_ED25519_PUBLIC_KEY_LEN) == 0)
        {
          docket_database_rollback (self->db);
          return TRUE;
        }
      g_clear_pointer (&stmt, sqlite3_finalize);
      docket_database_rollback (self->db);

      reason = g_strdup (_ ("The camera's signing key is not the one it was enrolled with"));
      if (!docket_evidence_store_flag_camera (self, identity->serial, reason, error))
        return FALSE;
      if (docket_audit_log_append (self->audit, "docketd", "camera-key-changed", subject, reason,
                                   NULL, error)
          < 0)
        return FALSE;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("Camera %s presented a different signing key from the one it was enrolled "
                      "with. Nothing was copied or erased; ask IT to check this camera."),
                   identity->serial);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      docket_database_set_error (self->db, error, _ ("Could not look up the camera"));
      docket_database_rollback (self->db);
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = docket_database_prepare (self->db,
                                  "INSERT INTO cameras (serial, vendor, model, public_key,"
                                  " enrolled_usec) VALUES (?, ?, ?, ?, ?)",
                                  error);
  if (stmt == NULL)
    {
      docket_database_rollback (self->db);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, identity->serial, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, identity->vendor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, identity->model, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, identity->public_key, DOCKET_ED25519_PUBLIC_KEY_LEN, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      docket_database_set_error (self->db, error, _ ("Could not enrol the camera"));
      docket_database_rollback (self->db);
      return FALSE;
    }
  if (docket_audit_log_append (self->audit, "docketd", "camera-enrolled", subject,
                               _ ("First dock: signing key enrolled"), NULL, error)
      < 0)
    {
      docket_database_rollback (self->db);
      return FALSE;
    }
  if (!docket_database_commit (self->db, error))
    return FALSE;
  if (out_newly_enrolled != NULL)
    *out_newly_enrolled = TRUE;
  return TRUE;
}

gboolean
docket_evidence_store_flag_camera (DocketEvidenceStore *self,
                                   const gchar *serial,
                                   const gchar *reason,
                                   GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok;

  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (
      self->db, "UPDATE cameras SET flagged = 1, flag_reason = ? WHERE serial = ?", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, reason, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, serial, -1, SQLITE_STATIC);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      if (!ok)
        docket_database_set_error (self->db, error, _ ("Could not flag the camera"));
    }
  return ok;
}

gboolean
docket_evidence_store_get_camera_flag (DocketEvidenceStore *self,
                                       const gchar *serial,
                                       gboolean *out_flagged,
                                       gchar **out_reason,
                                       GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;

  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (
      self->db, "SELECT flagged, flag_reason FROM cameras WHERE serial = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          found = TRUE;
          if (out_flagged != NULL)
            *out_flagged = sqlite3_column_int (stmt, 0) != 0;
          if (out_reason != NULL)
            *out_reason = g_strdup ((const gchar *)sqlite3_column_text (stmt, 1));
        }
      else
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND, _ ("Camera %s is not enrolled"),
                     serial);
    }
  return found;
}

gboolean
docket_evidence_store_get_camera_key (DocketEvidenceStore *self,
                                      const gchar *serial,
                                      guint8 out_key[DOCKET_ED25519_PUBLIC_KEY_LEN],
                                      GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (self->db, "SELECT public_key FROM cameras WHERE serial = ?",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW
      && sqlite3_column_bytes (stmt, 0) == DOCKET_ED25519_PUBLIC_KEY_LEN)
    {
      memcpy (out_key, sqlite3_column_blob (stmt, 0), DOCKET_ED25519_PUBLIC_KEY_LEN);
      return TRUE;
    }
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
               _ ("Camera %s is not enrolled with a key"), serial);
  return FALSE;
}

gint64
docket_evidence_store_camera_row_id (DocketEvidenceStore *self, const gchar *serial, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  stmt = docket_database_prepare (self->db, "SELECT id FROM cameras WHERE serial = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND, _ ("Camera %s is not enrolled"),
               serial);
  return -1;
}

/* ---- offload runs ----------------------------------------------------- */

gint64
docket_evidence_store_begin_run (DocketEvidenceStore *self,
                                 const gchar *serial,
                                 guint files_total,
                                 GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 camera_id;
  gint64 run_id = -1;

  locker = docket_database_locker_new (self->db);
  camera_id = docket_evidence_store_camera_row_id (self, serial, error);
  if (camera_id > 0)
    stmt = docket_database_prepare (self->db,
                                    "INSERT INTO offload_runs (camera_id, started_usec,"
                                    " files_total) VALUES (?, ?, ?)",
                                    error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, camera_id);
      sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
      sqlite3_bind_int64 (stmt, 3, files_total);
      if (sqlite3_step (stmt) == SQLITE_DONE)
        run_id = sqlite3_last_insert_rowid (docket_database_get_handle (self->db));
      else
        docket_database_set_error (self->db, error, _ ("Could not record the offload"));
    }
  return run_id;
}

gboolean
docket_evidence_store_finish_run (DocketEvidenceStore *self,
                                  gint64 run_id,
                                  guint files_done,
                                  guint64 bytes_done,
                                  guint verified,
                                  guint quarantined,
                                  const gchar *result,
                                  GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok = FALSE;

  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (self->db,
                                  "UPDATE offload_runs SET finished_usec = ?, files_done = ?,"
                                  " bytes_done = ?, verified = ?, quarantined = ?, result = ?"
                                  " WHERE id = ?",
                                  error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
      sqlite3_bind_int64 (stmt, 2, files_done);
      sqlite3_bind_int64 (stmt, 3, (gint64)bytes_done);
      sqlite3_bind_int64 (stmt, 4, verified);
      sqlite3_bind_int64 (stmt, 5, quarantined);
      sqlite3_bind_text (stmt, 6, result, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, run_id);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      if (!ok)
        docket_database_set_error (self->db, error, _ ("Could not record the offload"));
    }
  return ok;
}
