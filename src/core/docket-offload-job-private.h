/* docket-offload-job-private.h — shared by the offload job's source files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "docket-media-check.h"
#include "docket-offload-job.h"

G_BEGIN_DECLS

struct _DocketOffloadJob
{
  GObject parent_instance;

  /* immutable while running */
  DocketEvidenceStore *store;
  DocketCameraDriver *driver;
  gchar *officer;
  gint64 drift_ms;
  gboolean delete_after;
  guint check_timeout_ms;
  guint stall_timeout_ms;
  gchar *actor;
  GMainContext *context; /* where signals go; NULL: the running thread */

  GMutex lock;
  /* (mutex lock) */
  guint files_done;
  guint files_total;
  guint verified;
  guint quarantined;
  guint64 bytes_done;
  guint64 bytes_total;
  guint64 copied; /* bytes actually read from the camera in this run */
  gdouble rate;
  gint eta;
  gchar *current;
  GArray *committed; /* gint64 row ids */

  /* worker thread only */
  gint64 started_usec;
  gint64 last_emit_usec;
  DocketCameraIdentity identity;
  gint64 run_id;
};

/* FALSE (with @error) only for what stops the whole job: undock, full disk,
 * cancellation, a failing store. A recording that fails verification is
 * quarantined and TRUE is returned. */
gboolean docket_offload_job_process_recording (DocketOffloadJob *self,
                                               const DocketRecordingInfo *info,
                                               GCancellable *cancellable,
                                               GError **error);

void
docket_offload_job_update_progress (DocketOffloadJob *self, guint64 bytes_done, gboolean force);
void docket_offload_job_emit_verified (DocketOffloadJob *self,
                                       gint64 id,
                                       const gchar *name,
                                       const gchar *sha256);
void docket_offload_job_emit_quarantined (DocketOffloadJob *self,
                                          const gchar *name,
                                          const gchar *reason);

G_END_DECLS
