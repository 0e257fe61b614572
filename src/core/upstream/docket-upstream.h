/* docket-upstream.h — the upstream worker: evidence to S3, rows to PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Local-first: the kiosk docks, verifies and tags with no network at all;
 * this engine drains a queue in SQLite (upstream_uploads) towards the
 * department's object storage and catalogue when it can. Each verified
 * recording is uploaded under sha256/ab/abcdef… (multipart above the part
 * size, every part checked by MD5 and a signed SHA-256, resumable from the
 * last part the server confirmed), then a HEAD must match its size and
 * checksum before the row is marked upstream-confirmed
 * (upstream_uploads.confirmed_usec) and an audit row says so. Failures back
 * off exponentially (retry-seconds, doubled per attempt, at most an hour).
 *
 * Local retention uses the confirmation: while upstream_state 'configured'
 * is '1' only recordings with a confirmed_usec may be purged
 * (DOCKET_UPSTREAM_PURGEABLE_SQL, docket-upstream-confirmed.h in the store
 * layer).
 *
 * Threads: new/start/stop/dup_status/pause/resume/retry on the main thread;
 * the worker runs its own thread and emits ::changed on the main context
 * that created the engine. run_once() is for tests and the benchmark, on a
 * thread of their own while the worker is not started.
 */
#pragma once

#include <gio/gio.h>

#include "docket-evidence-store.h"
#include "docket-retention.h"
#include "docket-upstream-confirmed.h"
#include "docket-upstream-config.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_UPSTREAM (docket_upstream_get_type ())
G_DECLARE_FINAL_TYPE (DocketUpstream, docket_upstream, DOCKET, UPSTREAM, GObject)

/* Marks upstream as configured in @store's database (or not, when @config
 * is NULL: then the engine does nothing). */
DocketUpstream *
docket_upstream_new (DocketEvidenceStore *store, DocketUpstreamConfig *config, GError **error);

/* Where the bucket has S3 Object Lock, each object's compliance retention
 * ends at the recording's keep-until from @retention (else commit time +
 * object-lock-days). Call before start. */
void docket_upstream_set_retention (DocketUpstream *self, DocketRetention *retention);

gboolean docket_upstream_is_configured (DocketUpstream *self);

void docket_upstream_start (DocketUpstream *self);
/* Cancels the transfer in flight and joins the worker. */
void docket_upstream_stop (DocketUpstream *self);

void docket_upstream_pause (DocketUpstream *self);
void docket_upstream_resume (DocketUpstream *self);
/* Every waiting recording is due now, its back-off forgotten. Returns how many. */
guint docket_upstream_retry (DocketUpstream *self, GError **error);

/* Queues verified recordings not queued yet. */
gboolean docket_upstream_enqueue (DocketUpstream *self, guint *out_added, GError **error);
/* Sends the next due recording and hands its completion and confirmation
 * to a finishing thread, which the next call (or stop) waits for; returns
 * the previous recording's result. @out_done: FALSE when nothing was due
 * (then every recording handed over is finished). */
gboolean docket_upstream_upload_next (DocketUpstream *self,
                                      gboolean *out_done,
                                      GCancellable *cancellable,
                                      GError **error);
/* Where the bucket has Object Lock: sets or clears each confirmed object's
 * legal hold to follow the holds (audit row "recording-upstream-legal-hold"
 * for each change). Does nothing where it has not. */
gboolean
docket_upstream_sync_legal_holds (DocketUpstream *self, GCancellable *cancellable, GError **error);
/* Where the bucket has Object Lock: lengthens an uploaded object's
 * compliance retention when its recording's keep-until moved later (a
 * re-tag to a category kept longer, or a policy that keeps a category
 * longer: the station config's ::changed), with an audit row
 * "recording-upstream-retention"; never shortens it. Objects whose
 * lengthening failed wait retry-seconds, doubled per failure. Does nothing
 * where the bucket has no Object Lock. */
gboolean
docket_upstream_sync_retention (DocketUpstream *self, GCancellable *cancellable, GError **error);
gboolean docket_upstream_sync_catalogue (DocketUpstream *self,
                                         guint64 *out_rows,
                                         GCancellable *cancellable,
                                         GError **error);
/* enqueue + upload everything due + catalogue, in the calling thread;
 * stops at the first error. */
gboolean docket_upstream_run_once (DocketUpstream *self, GCancellable *cancellable, GError **error);

/* a{sv}: configured b, paused b, waiting u, waiting-bytes t, confirmed u,
 * current s (object key), current-sent t, current-size t,
 * last-success-usec x, last-error s, last-error-usec x, next-try-usec x,
 * catalogue-usec x, object-lock s ("enabled", else why not; "" before the
 * bucket was asked), timer-wakes u (waits a back-off timer ended). */
GVariant *docket_upstream_dup_status (DocketUpstream *self);
/* The IT page's line: "142 recordings waiting, 38 GB, last success 3 min
 * ago", or the error. */
gchar *docket_upstream_format_status (GVariant *status, gint64 now_usec);

G_END_DECLS
