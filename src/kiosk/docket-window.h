/* docket-window.h — the kiosk's one window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "docket-application.h"
#include "docket-dock-page.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_WINDOW (docket_window_get_type ())
G_DECLARE_FINAL_TYPE (DocketWindow, docket_window, DOCKET, WINDOW, AdwApplicationWindow)

DocketWindow *docket_window_new (DocketApplication *application, DocketClient *client);

void docket_window_set_kiosk_mode (DocketWindow *self, gboolean kiosk_mode);
DocketDockPage docket_window_get_page (DocketWindow *self);

G_END_DECLS
