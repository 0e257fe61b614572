/* docket-review.h — sergeants' review queues, corrections and deletion requests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Queues (sergeants only, need-to-know applied in the query):
 *   "overdue"   untagged recordings past their tagging deadline
 *   "review"    tagged in a category that needs supervisor review
 *   "deletion"  officers' requests to delete an accidental recording
 *   "sample"    the random audit sample (percentage from the config; never
 *               empty while anything tagged is waiting to be drawn)
 *   "unowned"   recordings nobody owns (their camera was not assigned when it
 *               recorded or docked); a sergeant assigns each to an officer
 * Nothing is deleted without a sergeant's approval; an approved deletion can
 * be reverted until its grace period ends, and only then is the file removed
 * (docket_review_purge_due). Every decision is audit-logged with who and why.
 *
 * All methods block and are thread-safe: call them from worker threads.
 */
#pragma once

#include <gio/gio.h>

#include "docket-tags.h"

G_BEGIN_DECLS

#define DOCKET_QUEUE_OVERDUE "overdue"
#define DOCKET_QUEUE_REVIEW "review"
#define DOCKET_QUEUE_DELETION "deletion"
#define DOCKET_QUEUE_SAMPLE "sample"
/* Stored as received, but the camera recorded them damaged or incomplete. */
#define DOCKET_QUEUE_DAMAGED "damaged"
#define DOCKET_QUEUE_UNOWNED "unowned"

typedef struct
{
  const gchar *officer;  /* badge, or NULL */
  const gchar *category; /* or NULL */
  gint64 from_usec;      /* start time range; 0: open */
  gint64 to_usec;
} DocketReviewFilter;

/* Reads officer (s), category (s), from-usec (x), to-usec (x) from an a{sv};
 * the strings stay owned by @filters. */
gboolean
docket_review_filter_parse (GVariant *filters, DocketReviewFilter *out_filter, GError **error);

#define DOCKET_TYPE_REVIEW (docket_review_get_type ())
G_DECLARE_FINAL_TYPE (DocketReview, docket_review, DOCKET, REVIEW, GObject)

DocketReview *docket_review_new (DocketEvidenceStore *store, DocketStationConfig *config);

/* One page of @queue at @now_usec, newest first; @out_total counts them all. */
GPtrArray *docket_review_queue (DocketReview *self,
                                const DocketPerson *person,
                                const gchar *queue,
                                const DocketReviewFilter *filter,
                                guint offset,
                                guint limit,
                                gint64 now_usec,
                                guint *out_total,
                                GError **error);

gboolean docket_review_approve (
    DocketReview *self, const DocketPerson *person, gint64 id, const gchar *reason, GError **error);
/* Back to the officer to tag again; @reason is required. */
gboolean docket_review_return (
    DocketReview *self, const DocketPerson *person, gint64 id, const gchar *reason, GError **error);
/* Sets the tag (also on untagged recordings); @reason is required. */
gboolean docket_review_correct (DocketReview *self,
                                const DocketPerson *person,
                                gint64 id,
                                const gchar *category,
                                const gchar *case_number,
                                const gchar *note,
                                const gchar *reason,
                                GError **error);

/* Gives an unowned recording to @badge (an enrolled officer or sergeant),
 * who then tags it; @reason is required. Fails if someone owns it already.
 * @out_name: the new owner's name. */
gboolean docket_review_assign_owner (DocketReview *self,
                                     const DocketPerson *person,
                                     gint64 id,
                                     const gchar *badge,
                                     const gchar *reason,
                                     gchar **out_name,
                                     GError **error);

/* The recording's own officer asks; returns the request id or 0. */
gint64 docket_review_request_deletion (
    DocketReview *self, const DocketPerson *person, gint64 id, const gchar *reason, GError **error);
gboolean docket_review_decide_deletion (DocketReview *self,
                                        const DocketPerson *person,
                                        gint64 request_id,
                                        gboolean approve,
                                        const gchar *reason,
                                        gint64 now_usec,
                                        GError **error);
/* Undoes an approved deletion still in its grace period. */
gboolean docket_review_revert_deletion (DocketReview *self,
                                        const DocketPerson *person,
                                        gint64 request_id,
                                        const gchar *reason,
                                        GError **error);
/* Removes the files of approved deletions whose grace period ended before
 * @now_usec (a file still shared by another recording stays). Returns how
 * many, or -1. */
gint docket_review_purge_due (DocketReview *self, gint64 now_usec, GError **error);

G_END_DECLS
