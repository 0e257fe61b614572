/* docket-tagging-page.h — the officer's page: tag the untagged recordings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "docket-dbus-generated.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_TAGGING_PAGE (docket_tagging_page_get_type ())
G_DECLARE_FINAL_TYPE (DocketTaggingPage, docket_tagging_page, DOCKET, TAGGING_PAGE, GtkWidget)

/* The signed-in officer's session, or NULL after sign-out: the page then
 * forgets everything it showed. */
void docket_tagging_page_set_session (DocketTaggingPage *self, DocketDBusSession *session);
/* Opens the officer's tags a sergeant has not approved, to correct them. */
void docket_tagging_page_show_my_tags (DocketTaggingPage *self);
DocketDBusSession *docket_tagging_page_get_session (DocketTaggingPage *self);

G_END_DECLS
