/* docket-offload-manager-private.h — the manager's state, shared with its checks after an offload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "docket-offload-job.h"
#include "docket-offload-manager.h"

G_BEGIN_DECLS

struct _DocketOffloadManager
{
  GObject parent_instance;

  DocketEvidenceStore *store;
  guint max_concurrent;
  gboolean delete_after;
  gboolean deep_check;
  guint retry_interval;

  GHashTable *entries; /* DocketCamera* → Entry* (owned) */
  GQueue queue;        /* Entry*, unowned, waiting for a slot */
  guint n_running;

  GThreadPool *deep_pool;
  GCancellable *deep_cancellable;
  gint deep_pending;       /* (atomic) */
  GHashTable *deep_queued; /* main thread: ids whose deep check is queued or running */
};

/* docket-offload-checks-after.c: the thumbnails and deep checks of what
 * @job committed, then what is still owed from earlier. Main thread. */
void _docket_offload_manager_queue_checks (DocketOffloadManager *self, DocketOffloadJob *job);
/* Deep checks still owed (at start, or when they are turned on). */
void _docket_offload_manager_queue_owed (DocketOffloadManager *self);

G_END_DECLS
