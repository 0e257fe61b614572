/* docket-audit-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n-lib.h>
#include <openssl/evp.h>

#include "docket-audit-log.h"
#include "docket-error.h"

struct _DocketAuditLog
{
  GObject parent_instance;

  DocketDatabase *db; /* owned */
};

G_DEFINE_FINAL_TYPE (DocketAuditLog, docket_audit_log, G_TYPE_OBJECT)

enum
{
  SIGNAL_APPENDED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

void
docket_audit_entry_free (DocketAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->actor);
  g_free (entry->action);
  g_free (entry->subject);
  g_free (entry->reason);
  g_free (entry->details);
  g_free (entry->prev_hash);
  g_free (entry->hash);
  g_free (entry);
}

static void
docket_audit_log_dispose (GObject *object)
{
  DocketAuditLog *self = DOCKET_AUDIT_LOG (object);

  g_clear_object (&self->db);
  G_OBJECT_CLASS (docket_audit_log_parent_class)->dispose (object);
}

static void
docket_audit_log_class_init (DocketAuditLogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = docket_audit_log_dispose;

  /* A row was appended (detail: its action), emitted in the appending
   * thread. Inside a caller's transaction the row is not committed yet, but
   * that caller holds the database until it is: another thread that reads
   * in answer sees the row only once committed. */
  signals[SIGNAL_APPENDED] = g_signal_new (
      "appended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL,
      NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
docket_audit_log_init (DocketAuditLog *self)
{
}

DocketAuditLog *
docket_audit_log_new (DocketDatabase *db)
{
  DocketAuditLog *self;

  g_return_val_if_fail (DOCKET_IS_DATABASE (db), NULL);
  self = g_object_new (DOCKET_TYPE_AUDIT_LOG, NULL);
  self->db = g_object_ref (db);
  return self;
}

/* Each field is length-prefixed so no two different rows hash the same text. */
static void
hash_field (EVP_MD_CTX *ctx, const gchar *text)
{
  guint64 len = text != NULL ? strlen (text) : 0;
  guint64 len_le = GUINT64_TO_LE (len);

  EVP_DigestUpdate (ctx, &len_le, sizeof len_le);
  if (len > 0)
    EVP_DigestUpdate (ctx, text, len);
}

gchar *
docket_audit_entry_compute_hash (const DocketAuditEntry *entry)
{
  g_autofree gchar *seq = g_strdup_printf ("%" G_GINT64_FORMAT, entry->seq);
  g_autofree gchar *when = g_strdup_printf ("%" G_GINT64_FORMAT, entry->time_usec);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  GString *hex;

  EVP_DigestInit_ex (ctx, EVP_sha256 (), NULL);
  hash_field (ctx, "docket-audit-v1");
  hash_field (ctx, entry->prev_hash);
  hash_field (ctx, seq);
  hash_field (ctx, when);
  hash_field (ctx, entry->actor);
  hash_field (ctx, entry->action);
  hash_field (ctx, entry->subject);
  hash_field (ctx, entry->reason);
  hash_field (ctx, entry->details);
  EVP_DigestFinal_ex (ctx, digest, &digest_len);
  EVP_MD_CTX_free (ctx);

  hex = g_string_sized_new (64);
  for (guint i = 0; i < digest_len; i++)
    g_string_append_printf (hex, "%02x", digest[i]);
  return g_string_free (hex, FALSE);
}

static const struct
{
  const gchar *name;
  const gchar *sql;
} audit_triggers[] = {
  { "audit_log_no_update",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;" },
  { "audit_log_no_delete",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;" },
};

static gboolean
last_row (DocketAuditLog *self, gint64 *out_seq, gchar **out_hash, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = docket_database_prepare (
      self->db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_seq = sqlite3_column_int64 (stmt, 0);
      *out_hash = g_strdup ((const gchar *)sqlite3_column_text (stmt, 1));
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      *out_seq = 0;
      *out_hash = g_strdup (DOCKET_AUDIT_GENESIS_HASH);
      return TRUE;
    }
  docket_database_set_error (self->db, error, _ ("Could not read the audit log"));
  return FALSE;
}

static gint64
append_locked (DocketAuditLog *self, DocketAuditEntry *entry, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 last_seq = 0;

  if (!last_row (self, &last_seq, &entry->prev_hash, error))
    return -1;
  entry->seq = last_seq + 1;
  entry->hash = docket_audit_entry_compute_hash (entry);

  stmt = docket_database_prepare (self->db,
                                  "INSERT INTO audit_log (seq, time_usec, actor, action, subject,"
                                  " reason, details, prev_hash, hash)"
                                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                  error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, entry->seq);
  sqlite3_bind_int64 (stmt, 2, entry->time_usec);
  sqlite3_bind_text (stmt, 3, entry->actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, entry->action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entry->subject, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, entry->reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, entry->details, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, entry->prev_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, entry->hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      docket_database_set_error (self->db, error, _ ("Could not write to the audit log"));
      return -1;
    }
  return entry->seq;
}

gint64
docket_audit_log_append (DocketAuditLog *self,
                         const gchar *actor,
                         const gchar *action,
                         const gchar *subject,
                         const gchar *reason,
                         GVariant *details,
                         GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (DocketAuditEntry) entry = g_new0 (DocketAuditEntry, 1);
  g_autoptr (GVariant) owned_details = NULL;
  gboolean own_transaction;
  gint64 seq;

  g_return_val_if_fail (DOCKET_IS_AUDIT_LOG (self), -1);
  g_return_val_if_fail (actor != NULL && action != NULL && subject != NULL, -1);

  if (details != NULL)
    {
      owned_details = g_variant_ref_sink (details);
      if (!g_variant_is_of_type (owned_details, G_VARIANT_TYPE_VARDICT))
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                       "audit details must be a{sv}, not %s",
                       g_variant_get_type_string (owned_details));
          return -1;
        }
    }
  entry->time_usec = g_get_real_time ();
  entry->actor = g_strdup (actor);
  entry->action = g_strdup (action);
  entry->subject = g_strdup (subject);
  entry->reason = g_strdup (reason != NULL ? reason : "");
  entry->details
      = owned_details != NULL ? g_variant_print (owned_details, TRUE) : g_strdup ("@a{sv} {}");

  locker = docket_database_locker_new (self->db);
  own_transaction = sqlite3_get_autocommit (docket_database_get_handle (self->db)) != 0;
  if (own_transaction && !docket_database_begin (self->db, error))
    {
      return -1;
    }
  seq = append_locked (self, entry, error);
  if (own_transaction)
    {
      if (seq < 0)
        docket_database_rollback (self->db);
      else if (!docket_database_commit (self->db, error))
        seq = -1;
    }
  if (seq > 0)
    g_signal_emit (self, signals[SIGNAL_APPENDED], g_quark_try_string (action), seq, action);
  return seq;
}

static DocketAuditEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  DocketAuditEntry *entry = g_new0 (DocketAuditEntry, 1);

  entry->seq = sqlite3_column_int64 (stmt, 0);
  entry->time_usec = sqlite3_column_int64 (stmt, 1);
  entry->actor = g_strdup ((const gchar *)sqlite3_column_text (stmt, 2));
  entry->action = g_strdup ((const gchar *)sqlite3_column_text (stmt, 3));
  entry->subject = g_strdup ((const gchar *)sqlite3_column_text (stmt, 4));
  entry->reason = g_strdup ((const gchar *)sqlite3_column_text (stmt, 5));
  entry->details = g_strdup ((const gchar *)sqlite3_column_text (stmt, 6));
  entry->prev_hash = g_strdup ((const gchar *)sqlite3_column_text (stmt, 7));
  entry->hash = g_strdup ((const gchar *)sqlite3_column_text (stmt, 8));
  return entry;
}

#define SELECT_ROWS                                                                                \
  "SELECT seq, time_usec, actor, action, subject, reason, details, prev_hash, hash"                \
  " FROM audit_log"

GPtrArray *
docket_audit_log_list (DocketAuditLog *self, gint64 after_seq, guint limit, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (GPtrArray) rows
      = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_audit_entry_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_AUDIT_LOG (self), NULL);

  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (self->db, SELECT_ROWS " WHERE seq > ? ORDER BY seq LIMIT ?",
                                  error);
  if (stmt == NULL)
    {
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, limit == 0 ? -1 : (gint64)limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    docket_database_set_error (self->db, error, _ ("Could not read the audit log"));
  return rc == SQLITE_DONE ? g_steal_pointer (&rows) : NULL;
}

GPtrArray *
docket_audit_log_list_filtered (DocketAuditLog *self,
                                gint64 after_seq,
                                guint limit,
                                const gchar *const *subjects,
                                const gchar *party,
                                GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (GPtrArray) rows
      = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_audit_entry_free);
  g_autoptr (GString) sql = g_string_new (SELECT_ROWS " WHERE seq > ?1");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  guint n_subjects = subjects != NULL ? g_strv_length ((gchar **)subjects) : 0;
  int rc;

  g_return_val_if_fail (DOCKET_IS_AUDIT_LOG (self), NULL);

  if (subjects != NULL)
    {
      /* Parameters ?4… ; an empty list matches nothing. */
      g_string_append (sql, " AND subject IN (NULL");
      for (guint i = 0; i < n_subjects; i++)
        g_string_append_printf (sql, ", ?%u", i + 4);
      g_string_append (sql, ")");
    }
  if (party != NULL)
    g_string_append (sql, " AND (actor = ?3 OR subject = ?3)");
  g_string_append (sql, " ORDER BY seq LIMIT ?2");

  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (self->db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, limit == 0 ? -1 : (gint64)limit);
  if (party != NULL)
    sqlite3_bind_text (stmt, 3, party, -1, SQLITE_STATIC);
  for (guint i = 0; i < n_subjects; i++)
    sqlite3_bind_text (stmt, (int)i + 4, subjects[i], -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    docket_database_set_error (self->db, error, _ ("Could not read the audit log"));
  return rc == SQLITE_DONE ? g_steal_pointer (&rows) : NULL;
}

GPtrArray *
docket_audit_log_verify (DocketAuditLog *self,
                         guint64 *out_rows,
                         GCancellable *cancellable,
                         GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree gchar *expected_prev = g_strdup (DOCKET_AUDIT_GENESIS_HASH);
  gint64 expected_seq = 1;
  guint64 rows = 0;
  int rc;

  g_return_val_if_fail (DOCKET_IS_AUDIT_LOG (self), NULL);

  /* A read transaction gives one consistent snapshot of the chain. */
  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (self->db, SELECT_ROWS " ORDER BY seq", error);
  if (stmt == NULL)
    {
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (DocketAuditEntry) entry = entry_from_row (stmt);
      g_autofree gchar *computed = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          return NULL;
        }
      rows++;
      if (entry->seq != expected_seq)
        g_ptr_array_add (problems, g_strdup_printf (_ ("Audit row %" PRId64 " follows row %" PRId64
                                                       ": rows are missing"),
                                                    entry->seq, expected_seq - 1));
      if (g_strcmp0 (entry->prev_hash, expected_prev) != 0)
        g_ptr_array_add (problems, g_strdup_printf (_ ("Audit row %" PRId64
                                                       " does not link to the row before it"),
                                                    entry->seq));
      computed = docket_audit_entry_compute_hash (entry);
      if (g_strcmp0 (computed, entry->hash) != 0)
        g_ptr_array_add (
            problems, g_strdup_printf (_ ("Audit row %" PRId64 " was changed after it was written"),
                                       entry->seq));
      g_free (expected_prev);
      expected_prev = g_strdup (entry->hash);
      expected_seq = entry->seq + 1;
    }
  if (rc != SQLITE_DONE)
    {
      docket_database_set_error (self->db, error, _ ("Could not read the audit log"));
      return NULL;
    }
  g_clear_pointer (&locker, docket_database_locker_free);

  if (out_rows != NULL)
    *out_rows = rows;
  return g_steal_pointer (&problems);
}

gboolean
docket_audit_log_get_head (DocketAuditLog *self, gint64 *out_seq, gchar **out_hash, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autofree gchar *hash = NULL;
  gint64 seq = 0;

  g_return_val_if_fail (DOCKET_IS_AUDIT_LOG (self), FALSE);
  locker = docket_database_locker_new (self->db);
  if (!last_row (self, &seq, &hash, error))
    return FALSE;
  if (out_seq != NULL)
    *out_seq = seq;
  if (out_hash != NULL)
    *out_hash = g_steal_pointer (&hash);
  return TRUE;
}

DocketAuditEntry *
docket_audit_log_get (DocketAuditLog *self, gint64 seq, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_AUDIT_LOG (self), NULL);
  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (self->db, SELECT_ROWS " WHERE seq = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, seq);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return entry_from_row (stmt);
  if (rc != SQLITE_DONE)
    docket_database_set_error (self->db, error, _ ("Could not read the audit log"));
  return NULL;
}

GPtrArray *
docket_audit_log_missing_triggers (DocketAuditLog *self, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (DOCKET_IS_AUDIT_LOG (self), NULL);
  locker = docket_database_locker_new (self->db);
  for (gsize i = 0; i < G_N_ELEMENTS (audit_triggers); i++)
    {
      g_autoptr (sqlite3_stmt) stmt = NULL;
      int rc;

      stmt = docket_database_prepare (
          self->db, "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, audit_triggers[i].name, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        g_ptr_array_add (missing, g_strdup (audit_triggers[i].name));
      else if (rc != SQLITE_ROW)
        {
          docket_database_set_error (self->db, error, _ ("Could not read the database schema"));
          return NULL;
        }
    }
  return g_steal_pointer (&missing);
}

gboolean
docket_audit_log_restore_triggers (DocketAuditLog *self, guint *out_restored, GError **error)
{
  g_autoptr (GPtrArray) missing = NULL;
  g_autofree gchar *names = NULL;
  g_auto (GVariantDict) details = G_VARIANT_DICT_INIT (NULL);

  g_return_val_if_fail (DOCKET_IS_AUDIT_LOG (self), FALSE);
  if (out_restored != NULL)
    *out_restored = 0;
  missing = docket_audit_log_missing_triggers (self, error);
  if (missing == NULL)
    return FALSE;
  if (missing->len == 0)
    return TRUE;
  g_ptr_array_add (missing, NULL);
  names = g_strjoinv (", ", (gchar **)missing->pdata);
  g_ptr_array_set_size (missing, missing->len - 1);
  g_variant_dict_insert (&details, "triggers", "s", names);
  g_variant_dict_insert (&details, "alarm", "b", TRUE);

  /* The triggers and the alarm row commit together. */
  if (!docket_database_begin (self->db, error))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (audit_triggers); i++)
    if (!docket_database_exec (self->db, audit_triggers[i].sql, error))
      {
        docket_database_rollback (self->db);
        return FALSE;
      }
  if (docket_audit_log_append (self, "docketd", "audit-triggers-restored", "store:audit-log",
                               _ ("ALARM: the audit log's append-only protection had been removed "
                                  "from the database; it was put back. Run “docketctl audit "
                                  "verify”."),
                               g_variant_dict_end (&details), error)
      < 0)
    {
      docket_database_rollback (self->db);
      return FALSE;
    }
  if (!docket_database_commit (self->db, error))
    return FALSE;
  if (out_restored != NULL)
    *out_restored = missing->len;
  return TRUE;
}
