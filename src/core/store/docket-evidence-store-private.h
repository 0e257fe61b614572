/* docket-evidence-store-private.h — shared by the evidence store's source files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "docket-evidence-store.h"

G_BEGIN_DECLS

struct _DocketEvidenceStore
{
  GObject parent_instance;

  gchar *root;           /* owned, immutable after open */
  DocketDatabase *db;    /* owned */
  DocketAuditLog *audit; /* owned */
  guint64 reserve_bytes; /* (atomic) */
  int writer_lock_fd;    /* flock()ed offload.lock once set_aside_strays took it, else -1 */
};

gboolean _docket_evidence_store_fsync_path (const gchar *path, gboolean is_dir, GError **error);
gchar *_docket_evidence_store_camera_subject (const gchar *serial);
/* Lock held by the caller. -1 with error when unknown. */
gint64 docket_evidence_store_camera_row_id (DocketEvidenceStore *self,
                                            const gchar *serial,
                                            GError **error);

G_END_DECLS
