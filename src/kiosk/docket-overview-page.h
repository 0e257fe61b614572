/* docket-overview-page.h — the dock overview: one card per docked camera
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_OVERVIEW_PAGE (docket_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (DocketOverviewPage, docket_overview_page, DOCKET, OVERVIEW_PAGE, GtkWidget)

/* @model: items are DocketDBusCamera. */
void docket_overview_page_set_model (DocketOverviewPage *self, GListModel *model);
GListModel *docket_overview_page_get_model (DocketOverviewPage *self);

G_END_DECLS
