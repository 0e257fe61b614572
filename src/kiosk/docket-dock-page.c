/* docket-dock-page.c — which page the kiosk shows for a daemon state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-dock-page.h"

DocketDockPage
docket_dock_page_for (DocketClientState state, guint n_cameras, gboolean signing_in)
{
  switch (state)
    {
      case DOCKET_CLIENT_STATE_CONNECTED:
        if (signing_in)
          return DOCKET_DOCK_PAGE_SIGN_IN;
        return n_cameras > 0 ? DOCKET_DOCK_PAGE_CAMERAS : DOCKET_DOCK_PAGE_EMPTY;
      case DOCKET_CLIENT_STATE_UNAVAILABLE:
        return DOCKET_DOCK_PAGE_UNAVAILABLE;
      case DOCKET_CLIENT_STATE_CONNECTING:
      default:
        return DOCKET_DOCK_PAGE_STARTING;
    }
}

const gchar *
docket_dock_page_to_string (DocketDockPage page)
{
  static const gchar *const names[] = { "starting", "unavailable", "empty", "cameras", "sign-in" };

  g_return_val_if_fail (page <= DOCKET_DOCK_PAGE_SIGN_IN, "starting");
  return names[page];
}
