/* docket-offload-job.h — offload one camera: copy, prove whole, commit, erase
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each recording the camera lists: copy it by byte range into a staging
 * file (resuming what an earlier, interrupted copy left), fdatasync, then
 * check in order: size, SHA-256 against the camera's, the camera's Ed25519
 * signature against its enrolled key, a parse-level GStreamer check, the
 * MP4 sample table against the file and the declared duration. Only then
 * commit into the store (rename, DB row, audit row) and, when
 * #DocketOffloadJob:delete-after-offload (default TRUE), erase it from the
 * camera (its own audit row). A failed check quarantines the copy and leaves
 * the recording on the camera.
 *
 * Needs docket_gst_register() to have been called (the elements live in
 * the docket-gst library).
 *
 * Three stages overlap: while one recording is checked and committed (check
 * thread) the next is copied (copy thread); thumbnails are made after the
 * commit in a third, low-priority thread (or by the caller, see
 * docket_offload_job_set_thumbnails_later()), so the offload never waits
 * for a picture.
 *
 * Signals are emitted in the thread-default main context of the caller of
 * docket_offload_job_run_async(); for the blocking docket_offload_job_run()
 * they come straight from the copy and check threads.
 */
#pragma once

#include <gio/gio.h>

#include "docket-camera.h"
#include "docket-evidence-store.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_OFFLOAD_JOB (docket_offload_job_get_type ())
G_DECLARE_FINAL_TYPE (DocketOffloadJob, docket_offload_job, DOCKET, OFFLOAD_JOB, GObject)

DocketOffloadJob *docket_offload_job_new (DocketEvidenceStore *store, DocketCameraDriver *driver);
/* Snapshots the driver, officer and clock drift of @camera (main thread). */
DocketOffloadJob *docket_offload_job_new_for_camera (DocketEvidenceStore *store,
                                                     DocketCamera *camera);

void docket_offload_job_set_officer (DocketOffloadJob *self, const gchar *badge);
void docket_offload_job_set_clock_drift_ms (DocketOffloadJob *self, gint64 drift_ms);
void docket_offload_job_set_delete_after_offload (DocketOffloadJob *self, gboolean delete_after);
/* Why recordings stay on the camera when delete-after-offload is off, for
 * the "recording-kept-on-camera" audit row of each newly stored one (e.g.
 * the device policy's rule for the model); NULL: the station's setting. */
void docket_offload_job_set_keep_reason (DocketOffloadJob *self, const gchar *reason);
/* Per pipeline run (parse check, thumbnail); default 60 s. */
void docket_offload_job_set_check_timeout (DocketOffloadJob *self, guint timeout_ms);
/* A copy that moves no byte for this long is abandoned; default 30 s. */
void docket_offload_job_set_stall_timeout (DocketOffloadJob *self, guint timeout_ms);
void docket_offload_job_set_actor (DocketOffloadJob *self, const gchar *actor);
/* TRUE: the job makes no thumbnails and returns as soon as its last commit
 * (and erase) is done; the caller makes them for the rows of
 * docket_offload_job_get_committed() with
 * docket_offload_make_thumbnail_after_commit(). Default FALSE: the run
 * returns once its thumbnails are made. */
void docket_offload_job_set_thumbnails_later (DocketOffloadJob *self, gboolean later);
/* TRUE: each recording is committed owing a deep check, which stays owed
 * (docket_evidence_store_list_owed_deep_checks()) until one concludes, so
 * a stop or a helper that cannot run does not skip it. Default FALSE. */
void docket_offload_job_set_deep_check_owed (DocketOffloadJob *self, gboolean owed);

DocketCameraDriver *docket_offload_job_get_driver (DocketOffloadJob *self);
/* Thread-safe snapshot of the progress, an a{sv} with the keys of the
 * D-Bus Camera.Offload property. */
GVariant *docket_offload_job_get_progress (DocketOffloadJob *self);
guint docket_offload_job_get_verified (DocketOffloadJob *self);
guint docket_offload_job_get_quarantined (DocketOffloadJob *self);
/* Recordings committed with a condition (damaged on the camera), and media
 * helpers that overran their time, in the last run. */
guint docket_offload_job_get_damaged (DocketOffloadJob *self);
guint docket_offload_job_get_wedged (DocketOffloadJob *self);
/* Row ids committed by the last run (for deep checks). */
GArray *docket_offload_job_get_committed (DocketOffloadJob *self);

/* Blocking. FALSE with DOCKET_ERROR_DISCONNECTED (undocked: partial copy
 * kept), DOCKET_ERROR_NO_SPACE (paused: nothing erased), DOCKET_ERROR_INTEGRITY
 * (the camera's key changed), G_IO_ERROR_CANCELLED... Quarantined recordings
 * do not fail the job: see docket_offload_job_get_quarantined(). */
gboolean docket_offload_job_run (DocketOffloadJob *self, GCancellable *cancellable, GError **error);
void docket_offload_job_run_async (DocketOffloadJob *self,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
gboolean
docket_offload_job_run_finish (DocketOffloadJob *self, GAsyncResult *result, GError **error);

/* Makes the thumbnail of committed recording @recording_id if it has none
 * and no condition (an undock or a helper timeout during the thumbnail
 * step). */
gboolean docket_offload_make_missing_thumbnail (DocketEvidenceStore *store,
                                                gint64 recording_id,
                                                guint timeout_ms,
                                                GCancellable *cancellable,
                                                GError **error);

/* The first try at the thumbnail of a recording just committed: as
 * docket_offload_make_missing_thumbnail(), but a recording damaged on the
 * camera that can still be played gets one too. */
gboolean docket_offload_make_thumbnail_after_commit (DocketEvidenceStore *store,
                                                     gint64 recording_id,
                                                     guint timeout_ms,
                                                     GCancellable *cancellable,
                                                     GError **error);

/* Full decode of a committed recording, result recorded in the store; a
 * failure makes its condition "damaged-picture". */
gboolean docket_offload_deep_check (DocketEvidenceStore *store,
                                    gint64 recording_id,
                                    guint timeout_ms,
                                    GCancellable *cancellable,
                                    GError **error);

/* Blocks until every job started with docket_offload_job_run_async () has
 * returned from its thread (cancel them first: a cancelled job still
 * finishes the commit it is in). Their callbacks need the main loop; this
 * does not. For a process about to exit. */
void docket_offload_job_wait_all (void);

G_END_DECLS
