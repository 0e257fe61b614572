/* docket-it-page.h — IT's read-only view of the station
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-dbus-generated.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_IT_PAGE (docket_it_page_get_type ())
G_DECLARE_FINAL_TYPE (DocketItPage, docket_it_page, DOCKET, IT_PAGE, GtkWidget)

/* The signed-in person's session (IT or sergeant); NULL empties the page.
 * Setting one fetches GetStationStatus. */
void docket_it_page_set_session (DocketItPage *self, DocketDBusSession *session);

G_END_DECLS
