/* docket-review-item.h — one recording in a sergeant's review queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK-free: wraps the a{sv} the daemon's ReviewQueue returns and words it
 * for the review list.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_REVIEW_ITEM (docket_review_item_get_type ())
G_DECLARE_FINAL_TYPE (DocketReviewItem, docket_review_item, DOCKET, REVIEW_ITEM, GObject)

/* @recording: a{sv} as documented on Session.ReviewQueue. */
DocketReviewItem *docket_review_item_new (GVariant *recording);

gint64 docket_review_item_get_id (DocketReviewItem *self);
/* The deletion request's id; 0 outside the deletion queue. */
gint64 docket_review_item_get_request_id (DocketReviewItem *self);
const gchar *docket_review_item_get_officer (DocketReviewItem *self);
/* "Dana Scully (4711)", "Badge 4711" when the name is unknown, or that
 * nobody owns it. */
gchar *docket_review_item_dup_officer (DocketReviewItem *self);
/* The camera's serial; NULL if the daemon did not say. */
const gchar *docket_review_item_get_camera (DocketReviewItem *self);
gboolean docket_review_item_has_thumbnail (DocketReviewItem *self);
/* NULL while untagged. */
const gchar *docket_review_item_get_category (DocketReviewItem *self);
const gchar *docket_review_item_get_case_number (DocketReviewItem *self);
const gchar *docket_review_item_get_note (DocketReviewItem *self);
gboolean docket_review_item_get_restricted (DocketReviewItem *self);
gint64 docket_review_item_get_start_usec (DocketReviewItem *self);

/* The category's name for people ("Use of force"); the id otherwise.
 * Notifies "category-label" when it changes. */
void docket_review_item_set_category_label (DocketReviewItem *self, const gchar *label);

/* "Fri 27 Nov, 14:03 · 2 min 05 s · SIM-0001" */
gchar *docket_review_item_dup_title (DocketReviewItem *self);
/* Who, what tag, and why it is in the queue, in plain words. */
gchar *docket_review_item_dup_subtitle (DocketReviewItem *self);

/* "45 s", "2 min 05 s", "1 h 03 min" */
gchar *docket_review_format_duration (guint64 duration_ms);
/* Local time, "Fri 27 Nov, 14:03". */
gchar *docket_review_format_time (gint64 usec);

G_END_DECLS
