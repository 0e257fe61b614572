/* docket-review-model.h — a sergeant's review queue as a paged GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK-free. A DocketPagedModel of DocketReviewItem: pages come from
 * Session.ReviewQueue, asynchronously; changing the queue or a filter and
 * reloading (docket_paged_model_reload) starts over.
 */
#pragma once

#include "docket-dbus-generated.h"
#include "docket-paged-model.h"
#include "docket-review-item.h"

G_BEGIN_DECLS

/* Rows asked for at a time. */
#define DOCKET_REVIEW_PAGE_SIZE 50

typedef enum
{
  DOCKET_REVIEW_PERIOD_ANY,
  DOCKET_REVIEW_PERIOD_TODAY,
  DOCKET_REVIEW_PERIOD_WEEK,
  DOCKET_REVIEW_PERIOD_MONTH,
} DocketReviewPeriod;

/* [from, to) in microseconds for @period as of @now_usec (local days);
 * both 0 for ANY. */
void docket_review_period_range (DocketReviewPeriod period,
                                 gint64 now_usec,
                                 gint64 *from_usec,
                                 gint64 *to_usec);

/* The a{sv} ReviewQueue takes; empty strings and zero times are left out. */
GVariant *docket_review_filters_to_variant (const gchar *officer,
                                            const gchar *category,
                                            gint64 from_usec,
                                            gint64 to_usec);

#define DOCKET_TYPE_REVIEW_MODEL (docket_review_model_get_type ())
G_DECLARE_FINAL_TYPE (
    DocketReviewModel, docket_review_model, DOCKET, REVIEW_MODEL, DocketPagedModel)

DocketReviewModel *docket_review_model_new (void);

/* NULL stops loading. Does not reload by itself. */
void docket_review_model_set_session (DocketReviewModel *self, DocketDBusSession *session);
/* "overdue", "review", "deletion" or "sample". */
void docket_review_model_set_queue (DocketReviewModel *self, const gchar *queue);
const gchar *docket_review_model_get_queue (DocketReviewModel *self);
void docket_review_model_set_filters (DocketReviewModel *self, GVariant *filters);

/* Category id → label in the kiosk's language (NULL: none). Applied to the
 * items held now (which notify "category-label") and to those loaded later. */
void docket_review_model_set_category_labels (DocketReviewModel *self, GHashTable *labels);

/* Removes the item with @id (acted upon) without a reload. */
void docket_review_model_remove_id (DocketReviewModel *self, gint64 id);

G_END_DECLS
