/* docket-audit-log.h — append-only, hash-chained record of every action on evidence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row carries SHA-256(prev_hash ‖ its own fields), so changing, removing
 * or reordering any row breaks the chain from there on. Rows are written in
 * the caller's transaction when there is one (so an evidence commit and its
 * audit row are one atomic commit), otherwise in their own.
 *
 * ::appended (gint64 seq, const gchar *action), detailed by the action, is
 * emitted in the appending thread after each row, so that workers wake on
 * what happened instead of polling.
 */
#pragma once

#include <gio/gio.h>

#include "docket-database.h"

G_BEGIN_DECLS

#define DOCKET_AUDIT_GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct
{
  gint64 seq;
  gint64 time_usec;
  gchar *actor;   /* "docketd", "officer:<badge>", "docketctl:<user>" */
  gchar *action;  /* "recording-committed", "recording-deleted-from-camera", ... */
  gchar *subject; /* what it acted on: "recording:<sha256>", "camera:<serial>" */
  gchar *reason;  /* why, plain words; may be empty */
  gchar *details; /* GVariant text of an a{sv}; "@a{sv} {}" when none */
  gchar *prev_hash;
  gchar *hash;
} DocketAuditEntry;

void docket_audit_entry_free (DocketAuditEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketAuditEntry, docket_audit_entry_free)

#define DOCKET_TYPE_AUDIT_LOG (docket_audit_log_get_type ())
G_DECLARE_FINAL_TYPE (DocketAuditLog, docket_audit_log, DOCKET, AUDIT_LOG, GObject)

DocketAuditLog *docket_audit_log_new (DocketDatabase *db);

/* @details: a{sv} or NULL (floating refs are sunk). Returns the new seq, or
 * -1 with @error set. */
gint64 docket_audit_log_append (DocketAuditLog *self,
                                const gchar *actor,
                                const gchar *action,
                                const gchar *subject,
                                const gchar *reason,
                                GVariant *details,
                                GError **error);

/* Rows with seq > @after_seq, oldest first, at most @limit (0 = all).
 * GPtrArray of DocketAuditEntry. */
GPtrArray *
docket_audit_log_list (DocketAuditLog *self, gint64 after_seq, guint limit, GError **error);

/* As docket_audit_log_list(), only rows whose subject is one of @subjects
 * (NULL: any) and, when @party is set, whose actor or subject is @party
 * (e.g. "officer:1234": what that person did, and what was done to them). */
GPtrArray *docket_audit_log_list_filtered (DocketAuditLog *self,
                                           gint64 after_seq,
                                           guint limit,
                                           const gchar *const *subjects,
                                           const gchar *party,
                                           GError **error);

/* Re-walks the whole chain. Returns the problems found, in plain words
 * (empty array: the chain is whole), or NULL with @error when the log could
 * not be read at all. @out_rows: rows checked. */
GPtrArray *docket_audit_log_verify (DocketAuditLog *self,
                                    guint64 *out_rows,
                                    GCancellable *cancellable,
                                    GError **error);

/* The newest row's seq and hash (0 and the genesis hash when empty). */
gboolean
docket_audit_log_get_head (DocketAuditLog *self, gint64 *out_seq, gchar **out_hash, GError **error);
/* Row @seq, or NULL (without @error) when there is none. */
DocketAuditEntry *docket_audit_log_get (DocketAuditLog *self, gint64 seq, GError **error);

/* Names of the append-only triggers missing from the database (empty: all
 * there), or NULL with @error. */
GPtrArray *docket_audit_log_missing_triggers (DocketAuditLog *self, GError **error);
/* Recreates missing triggers and, if any was missing, writes an alarm row
 * ("audit-triggers-restored") naming them. @out_restored: how many. */
gboolean
docket_audit_log_restore_triggers (DocketAuditLog *self, guint *out_restored, GError **error);

/* The hash a row must carry (exposed for tests). */
gchar *docket_audit_entry_compute_hash (const DocketAuditEntry *entry);

G_END_DECLS
