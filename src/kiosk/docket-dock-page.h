/* docket-dock-page.h — which page the kiosk shows for a daemon state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "docket-client.h"

G_BEGIN_DECLS

/**
 * DocketDockPage:
 * @DOCKET_DOCK_PAGE_STARTING: loading the daemon's objects
 * @DOCKET_DOCK_PAGE_UNAVAILABLE: the daemon is gone; the client is waiting for it
 * @DOCKET_DOCK_PAGE_EMPTY: connected, no camera in the dock
 * @DOCKET_DOCK_PAGE_CAMERAS: connected, one card per docked camera
 * @DOCKET_DOCK_PAGE_SIGN_IN: connected, someone is typing badge and PIN
 */
typedef enum
{
  DOCKET_DOCK_PAGE_STARTING,
  DOCKET_DOCK_PAGE_UNAVAILABLE,
  DOCKET_DOCK_PAGE_EMPTY,
  DOCKET_DOCK_PAGE_CAMERAS,
  DOCKET_DOCK_PAGE_SIGN_IN,
} DocketDockPage;

DocketDockPage docket_dock_page_for (DocketClientState state, guint n_cameras, gboolean signing_in);
/* The GtkStack child name of the page. */
const gchar *docket_dock_page_to_string (DocketDockPage page);

G_END_DECLS
