/* docket-access-dialog.h — "Who viewed my recordings": the audit log, for its officer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Session.ListAccess shown as a list: when, who (name, role, badge), what
 * (viewed, exported, a review decision…), which recording, and the reason
 * they gave. Officers see it for their own recordings, sergeants for the
 * recordings they may see. Main thread only.
 */
#pragma once

#include <adwaita.h>

#include "docket-dbus-generated.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_ACCESS_DIALOG (docket_access_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DocketAccessDialog, docket_access_dialog, DOCKET, ACCESS_DIALOG, AdwWindow)

/* A modal dialog over @parent that fetches the list at once. */
DocketAccessDialog *docket_access_dialog_new (GtkWindow *parent, DocketDBusSession *session);

G_END_DECLS
