/* docket-audit-anchors.h — signed heads of the audit chain, kept outside the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An anchor is one line of the append-only anchors file:
 *   docket-anchor-v1 <seq> <row hash> <time usec> <station public key hex> <signature hex>
 * The signature is Ed25519 over the first four fields exactly as written
 * ("docket-anchor-v1 <seq> <hash> <time>"), so any Ed25519 tool can check
 * it. Someone who can write the database but not the station key cannot
 * shorten the chain below an anchor, nor recompute it, without verify
 * noticing.
 *
 * Threads: plain functions; appends are serialised by the caller (the
 * daemon's main thread).
 */
#pragma once

#include <gio/gio.h>

#include "docket-audit-log.h"
#include "docket-station-key.h"

G_BEGIN_DECLS

#define DOCKET_AUDIT_ANCHOR_MAGIC "docket-anchor-v1"

typedef struct
{
  guint line; /* 1-based line in the file */
  gint64 seq;
  gchar *hash;
  gint64 time_usec;
  guint8 public_key[DOCKET_ED25519_PUBLIC_LEN];
  guint8 signature[DOCKET_ED25519_SIG_LEN];
  gboolean signature_ok; /* the signature verifies against public_key */
} DocketAuditAnchor;

void docket_audit_anchor_free (DocketAuditAnchor *anchor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketAuditAnchor, docket_audit_anchor_free)

/* The exact bytes an anchor signs. */
gchar *docket_audit_anchor_message (gint64 seq, const gchar *hash, gint64 time_usec);

/* Signs (seq, hash, now) and appends it with O_APPEND, then fsyncs. */
DocketAuditAnchor *docket_audit_anchors_append (
    const gchar *path, DocketStationKey *key, gint64 seq, const gchar *hash, GError **error);

/* All anchors in the file, oldest first (GPtrArray of DocketAuditAnchor);
 * an empty array when the file does not exist. Lines that do not parse are
 * added to @problems in words. */
GPtrArray *docket_audit_anchors_read (const gchar *path, GPtrArray *problems, GError **error);

/* The newest anchor (the file's last line, read from its end so that a
 * years-long file costs nothing), or NULL without @error when there is none
 * or the last line does not parse. */
DocketAuditAnchor *docket_audit_anchors_read_last (const gchar *path, GError **error);

/* Checks the audit log against @anchors: every anchor must be signed by
 * @station_key (NULL: accept the key written in the line), and the row it
 * names must exist with the hash it signed. Adds problems in plain words;
 * @out_newest_seq: the highest anchored seq (0: none). */
gboolean docket_audit_anchors_check (GPtrArray *anchors,
                                     const guint8 *station_key,
                                     DocketAuditLog *log,
                                     GPtrArray *problems,
                                     gint64 *out_newest_seq,
                                     GError **error);

G_END_DECLS
