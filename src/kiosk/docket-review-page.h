/* docket-review-page.h — a sergeant's review queues
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-dbus-generated.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_REVIEW_PAGE (docket_review_page_get_type ())
G_DECLARE_FINAL_TYPE (DocketReviewPage, docket_review_page, DOCKET, REVIEW_PAGE, GtkWidget)

/* The signed-in sergeant's session; NULL (signed out) empties the page.
 * Setting one loads the categories and the first queue. */
void docket_review_page_set_session (DocketReviewPage *self, DocketDBusSession *session);

G_END_DECLS
