/* docket-audit-anchorer.h — signs the audit chain's head every minute and at shutdown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loads (or makes, at first start) the station key, publishes its public
 * half beside the store, then appends a signed anchor to anchors.log when
 * the audit log has grown: at start, every interval (default 60 s,
 * $DOCKET_ANCHOR_SECONDS for tests) and once more at shutdown. Each anchor
 * also goes to the journal, so a copy lives outside the machine's disk
 * when the journal is forwarded.
 *
 * Threads: main thread only. The signing and the fsync run in a worker
 * thread; docket_audit_anchorer_anchor_now () blocks and is for shutdown.
 */
#pragma once

#include <gio/gio.h>

#include "docket-evidence-store.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_AUDIT_ANCHORER (docket_audit_anchorer_get_type ())
G_DECLARE_FINAL_TYPE (DocketAuditAnchorer, docket_audit_anchorer, DOCKET, AUDIT_ANCHORER, GObject)

/* @key_path: the station key file (created 0600 if missing). */
DocketAuditAnchorer *
docket_audit_anchorer_new (DocketEvidenceStore *store, const gchar *key_path, GError **error);
/* Anchors now, blocking (shutdown, after the last writer has finished). */
gboolean docket_audit_anchorer_anchor_now (DocketAuditAnchorer *self, GError **error);
void docket_audit_anchorer_stop (DocketAuditAnchorer *self);

G_END_DECLS
