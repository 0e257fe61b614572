/* docket-review-row.h — one recording in the review list, with its actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-review-item.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_REVIEW_ROW (docket_review_row_get_type ())
G_DECLARE_FINAL_TYPE (DocketReviewRow, docket_review_row, DOCKET, REVIEW_ROW, GtkWidget)

/* ::action (const gchar *what): "play", "approve", "correct", "return",
 * "approve-deletion", "refuse-deletion" or "assign" (nobody owns it) on the
 * row's item. */
GtkWidget *docket_review_row_new (void);
void docket_review_row_set_item (DocketReviewRow *self, DocketReviewItem *item);
DocketReviewItem *docket_review_row_get_item (DocketReviewRow *self);
/* Where the thumbnail goes (DocketThumbnailCache fills it). */
GtkPicture *docket_review_row_get_picture (DocketReviewRow *self);

G_END_DECLS
