/* docket-review-page-private.h — shared between the page and its dialogs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page's struct, for docket-review-actions.c, and what that file does
 * for docket-review-page.c. The dependency is one-way: page.c calls into
 * actions.c, actions.c calls nothing in page.c.
 *
 * Threads: main thread only, like every widget.
 */
#pragma once

#include <adwaita.h>

#include "docket-review-model.h"
#include "docket-review-page.h"
#include "docket-thumbnail-cache.h"

/* unowned, overdue, review, deletion, sample: the selector's order. */
#define DOCKET_REVIEW_N_QUEUES 5

G_BEGIN_DECLS

struct _DocketReviewPage
{
  GtkWidget parent_instance;

  /* template widgets */
  AdwToastOverlay *toast_overlay;
  GtkToggleButton *unowned_button;
  GtkToggleButton *overdue_button;
  GtkToggleButton *review_button;
  GtkToggleButton *deletion_button;
  GtkToggleButton *sample_button;
  GtkToggleButton *damaged_button;
  GtkEntry *officer_entry;
  GtkDropDown *category_dropdown;
  GtkStringList *category_labels;
  GtkDropDown *period_dropdown;
  GtkLabel *count_label;
  GtkStack *list_stack;
  GtkScrolledWindow *scroller;
  GtkListView *list_view;
  GtkNoSelection *selection;
  AdwStatusPage *error_status;

  /* owned */
  DocketDBusSession *session;
  DocketReviewModel *model;
  GPtrArray *category_ids; /* parallel to category_labels; "" first: any */
  GCancellable *cancellable;
  AdwToast *toast;      /* weak: the one on screen; a newer one replaces it */
  AdwToast *undo_toast; /* weak: the last approved deletion's Undo */
  gint64 last_touch_usec;
  gboolean updating_categories;
  DocketThumbnailCache *thumbnails;
  /* One per queue, in the selector's order: the count beside each name. */
  GtkLabel *count_labels[DOCKET_REVIEW_N_QUEUES];
  guint counts[DOCKET_REVIEW_N_QUEUES];
  guint counts_pending; /* answers still to come */
  gboolean landing;     /* just signed in: go to the first queue with work */
};

/* Implemented in docket-review-actions.c. */

/* Asks for the reason (and a new tag), then calls the daemon. @what as in
 * DocketReviewRow::action. */
void
_docket_review_page_run_action (DocketReviewPage *self, DocketReviewItem *item, const gchar *what);
/* Shows @text until the next toast or sign-out. */
void _docket_review_page_toast (DocketReviewPage *self, const gchar *text);
/* Shows @toast (taking it) at once, in place of the one on screen. */
void _docket_review_page_show_toast (DocketReviewPage *self, AdwToast *toast);

G_END_DECLS
