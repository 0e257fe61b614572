/* docket-upstream-private.h — DocketUpstream's struct and cross-file functions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docket-upstream.c: the queue, one recording's upload and confirmation,
 * and the catalogue; docket-upstream-lock.c: S3 Object Lock, the objects'
 * legal holds and retention; docket-upstream-parts.c: a recording's body
 * (one PUT or its parts), hashed ahead and sent several requests at once,
 * and the whole file's evidence check; docket-upstream-worker.c: the worker
 * thread and what wakes it; docket-upstream-status.c: the status and the
 * IT page's line.
 */
#pragma once

#include "docket-catalogue.h"
#include "docket-s3-client.h"
#include "docket-upstream.h"

G_BEGIN_DECLS

#define MAX_BACKOFF_SECONDS 3600
/* Bodies (parts or one-PUT recordings, of up to two recordings) sent at
 * once, while the worker reads and hashes the next. */
#define PARTS_IN_FLIGHT 3

struct _DocketUpstream
{
  GObject parent_instance;

  DocketEvidenceStore *store;
  DocketDatabase *db;
  DocketUpstreamConfig *config;
  GMainContext *main_context;

  /* Worker thread only. */
  DocketS3Client *s3;
  DocketS3Client *part_s3[PARTS_IN_FLIGHT]; /* one per body in flight; see part_busy */
  DocketRateLimit *rate_limit;              /* the bandwidth limit, all connections' */
  DocketS3Client *finish_s3;                /* the finishing thread's */
  GThread *finisher; /* completes, confirms and commits the previous recording */
  DocketCatalogue *catalogue;
  gboolean bucket_ready;
  gint object_lock; /* -1: not asked yet, 0: not enabled, 1: enabled */

  DocketRetention *retention; /* set before start; may be NULL */
  gulong policy_changed_id;   /* on the retention's station config */

  GMutex lock; /* everything below */
  GCond wake;
  GCond slot_free;                     /* a body in flight ended, or a pause */
  gboolean part_busy[PARTS_IN_FLIGHT]; /* part_s3[i] is sending a body */
  GThread *thread;
  GCancellable *cancellable; /* stop */
  /* The S3 requests': cancelled by a pause as well as by stop, so that
   * both recordings in flight stop at once; reset by the worker when it
   * goes on. */
  GCancellable *transfer;
  gboolean stopping;
  gboolean paused;
  gboolean kicked;
  gboolean retention_recheck;  /* a policy change: every object's keep-until may have moved */
  guint timer_wakes;           /* waits ended by a back-off timer, not an event */
  gint64 catalogue_retry_usec; /* monotonic; 0: no failed sync to retry */
  guint catalogue_failures;
  gulong appended_id;
  gchar *current_key;
  gint64 finishing_id; /* the recording the finisher has; 0: none */
  gchar *finishing_key;
  guint64 current_size;
  guint64 current_sent;
  gint64 catalogue_usec;
  gint64 last_emit_usec;
};

typedef struct
{
  gint64 recording_id;
  gchar *sha256;
  gchar *key;
  guint64 size;
  gchar *upload_id;
  gchar *present_etag; /* the object storage held the footage already */
  guint64 part_size;
  gint attempts;
  gint64 committed_usec;
} Item;

void _docket_upstream_item_free (Item *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Item, _docket_upstream_item_free)

/* The queue's rows (docket-upstream-queue.c). The next recording due, not
 * the finisher's (nor its object), or NULL. */
Item *_docket_upstream_next_item (DocketUpstream *self, GError **error);
/* Runs @sql on @item's row: ?1 its recording id, ?2 @text (NULL: SQL
 * NULL), ?3 @number. */
gboolean _docket_upstream_exec_item (DocketUpstream *self,
                                     const gchar *sql,
                                     Item *item,
                                     const gchar *text,
                                     gint64 number,
                                     GError **error);
/* After a failure: a body changed on the way or a gone upload is started
 * over (its multipart upload aborted); a failure other than a pause or
 * stop is recorded, with its back-off. */
void _docket_upstream_settle_failure (DocketUpstream *self, Item *item, const GError *failure);

/* Worker thread: the S3 clients, the bucket, and whether it has Object
 * Lock (asked once). */
gboolean _docket_upstream_ensure_clients (DocketUpstream *self, GError **error);
/* Worker thread: the catalogue connection, where one is configured. */
gboolean _docket_upstream_ensure_catalogue (DocketUpstream *self, GError **error);
/* When @item's object may be deleted at the earliest: its keep-until, or
 * commit time + object-lock-days where that is unknown; 0: no retention. */
gint64 _docket_upstream_retain_until_usec (DocketUpstream *self, Item *item);
/* Monotonic time a failed retention lengthening may be tried again, or
 * G_MAXINT64. */
gint64 _docket_upstream_next_retention_usec (DocketUpstream *self);

/* Any thread; @force: a state change, not just progress. */
void _docket_upstream_emit_changed (DocketUpstream *self, gboolean force);
/* Waits for the previous recording's completion and confirmation, if
 * any; its error, which its queue row already holds, to @error. */
gboolean _docket_upstream_join_finisher (DocketUpstream *self, GError **error);
/* The real time the next waiting recording is due, or G_MAXINT64. */
gint64 _docket_upstream_next_due_usec (DocketUpstream *self);
typedef void (*DocketUpstreamChangedFunc) (DocketUpstream *self, gboolean force);
typedef struct _DocketUpstreamBody DocketUpstreamBody;
/* Starts sending @item's body: one PUT (@headers) when @single, else every
 * part of its multipart upload not confirmed yet. Reads and hashes one body
 * at a time, in order, on the calling thread, and hands each to a sending
 * thread once fewer than PARTS_IN_FLIGHT bodies (of any recording) are in
 * flight. Returns once the last one is handed out: the next recording's
 * first parts may then go while this one's last are in flight. A multipart
 * recording's whole SHA-256 is computed on the way and must be
 * @item->sha256 before its last part goes (else DOCKET_ERROR_INTEGRITY and
 * an audit row). @starting, if not NULL, is a thread that looks for the
 * footage on the server and starts the multipart upload while the first
 * body is hashed; it returns a GError, or NULL once @item->upload_id (or
 * @item->present_etag: then nothing is sent and NULL is returned without
 * an error) is set, and is joined before any body goes. Takes its own copy
 * of @fd. */
DocketUpstreamBody *_docket_upstream_send_body (DocketUpstream *self,
                                                Item *item,
                                                int fd,
                                                const gchar *path,
                                                guint64 part_size,
                                                gboolean single,
                                                GPtrArray *headers,
                                                GThread *starting,
                                                DocketUpstreamChangedFunc changed,
                                                GCancellable *cancellable,
                                                GError **error);
/* Waits for @body's requests in flight, frees it, and returns the bodies'
 * MD5s in part order (for CompleteMultipartUpload; a one-PUT recording's
 * single MD5 is its checked ETag). */
GPtrArray *_docket_upstream_body_finish (DocketUpstreamBody *body, GError **error);
G_END_DECLS
