/* docket-application.h — the kiosk application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "docket-client.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_APPLICATION (docket_application_get_type ())
G_DECLARE_FINAL_TYPE (DocketApplication, docket_application, DOCKET, APPLICATION, AdwApplication)

DocketApplication *docket_application_new (void);

/* NULL until the application has started. */
DocketClient *docket_application_get_client (DocketApplication *self);
/* NULL when the schema is not installed (then built-in defaults apply). */
GSettings *docket_application_get_settings (DocketApplication *self);
gboolean docket_application_get_kiosk_mode (DocketApplication *self);

/* Every dialog (a window with a parent) opened from now on is undecorated:
 * GTK draws a decorated window's shadow and resize border inside its
 * surface, and cage centres the window but places the surface there, so
 * decorations push a dialog off the middle of the screen. */
void docket_application_undecorate_dialogs (void);

G_END_DECLS
