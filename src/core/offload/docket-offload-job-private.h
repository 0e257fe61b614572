/* docket-offload-job-private.h — shared by the offload job's source files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "docket-media-check.h"
#include "docket-offload-job.h"

G_BEGIN_DECLS

/* How a recording's stages (docket-offload-recording.c) report back to the
 * job. docket-offload-job.c fills them in, so the recording file needs
 * nothing from the job file and the two depend one way. */
typedef struct
{
  void (*progress) (DocketOffloadJob *job, guint64 bytes_done, gboolean force);
  void (*verified) (DocketOffloadJob *job, gint64 id, const gchar *name, const gchar *sha256);
  void (*quarantined) (DocketOffloadJob *job, const gchar *name, const gchar *reason);
  void (*wedged) (DocketOffloadJob *job, const gchar *name, const gchar *reason);
} DocketOffloadJobReports;

struct _DocketOffloadJob
{
  GObject parent_instance;
  DocketOffloadJobReports reports; /* immutable */

  /* immutable while running */
  DocketEvidenceStore *store;
  DocketCameraDriver *driver;
  gchar *officer;
  gint64 drift_ms;
  gboolean delete_after;
  gchar *keep_reason; /* why recordings stay on the camera, or NULL */
  guint check_timeout_ms;
  guint stall_timeout_ms;
  gchar *actor;
  gboolean thumbnails_later; /* the caller makes them (see set_thumbnails_later) */
  gboolean deep_check_owed;  /* rows are committed owing a deep check */
  GMainContext *context;     /* where signals go; NULL: the running thread */

  GMutex lock;
  /* (mutex lock) */
  guint files_done;
  guint files_total;
  guint verified;
  guint quarantined;
  guint damaged; /* committed with a condition: damaged on the camera */
  guint wedged;  /* media helpers that overran their time and were killed */
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

/* A recording copied and hashed, waiting for its checks. */
typedef struct
{
  DocketRecordingInfo *info;
  gchar *name; /* display name */
  gchar *staging;
  gchar *digest;
  DocketMp4Stream *index;         /* walked while copied; NULL: read the file */
  DocketMediaCheckStarted *parse; /* its parse check's helper, started with the copy */
} DocketOffloadStaged;

void docket_offload_staged_free (DocketOffloadStaged *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketOffloadStaged, docket_offload_staged_free)

/* Stage 1, copy thread: copies into staging (resuming) and hashes. Sets
 * @out_staged, or NULL when nothing is left to check (already committed,
 * or given up on). FALSE (with @error) only for what stops the whole job:
 * undock, full disk, cancellation, a failing store. */
gboolean _docket_offload_recording_copy (DocketOffloadJob *self,
                                         const DocketRecordingInfo *info,
                                         DocketOffloadStaged **out_staged,
                                         GCancellable *cancellable,
                                         GError **error);
/* Stage 2, check thread: verify, then commit or quarantine. A failed
 * check is not an error: a copy that differs from the camera's is
 * quarantined; a bit-exact copy of a damaged recording is committed with a
 * condition. @out_thumbnail: the committed row that wants a thumbnail, or 0.
 * @out_erase: the committed row to erase from the camera, or NULL. */
gboolean _docket_offload_recording_finish (DocketOffloadJob *self,
                                           DocketOffloadStaged *st,
                                           gint64 *out_thumbnail,
                                           DocketStoredRecording **out_erase,
                                           GCancellable *cancellable,
                                           GError **error);
/* Copy thread, between transfers: erase a committed recording from the
 * camera (a command in the middle of a transfer would end its stream and
 * throw away the read-ahead). */
gboolean _docket_offload_recording_erase (DocketOffloadJob *self,
                                          const DocketStoredRecording *rec,
                                          GCancellable *cancellable,
                                          GError **error);
/* Stage 3, thumbnail thread (low priority): the picture of a committed
 * recording. Failing only warns; a timeout counts as a wedged helper. */
void _docket_offload_recording_thumbnail (DocketOffloadJob *self,
                                          gint64 recording_id,
                                          GCancellable *cancellable);

G_END_DECLS
