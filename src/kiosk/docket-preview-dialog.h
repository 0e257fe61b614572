/* docket-preview-dialog.h — plays one recording, handed over as an fd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "docket-dbus-generated.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_PREVIEW_DIALOG (docket_preview_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DocketPreviewDialog, docket_preview_dialog, DOCKET, PREVIEW_DIALOG, AdwWindow)

/* Asks docketd for recording @id (Session.OpenRecording, audit-logged with
 * @reason) and plays it; @title says which recording it is. */
DocketPreviewDialog *docket_preview_dialog_new (GtkWindow *parent,
                                                DocketDBusSession *session,
                                                gint64 id,
                                                const gchar *title,
                                                const gchar *reason);

/* "1:05", "1:02:03": a position in the recording. */
gchar *docket_preview_format_position (gint64 usec);

G_END_DECLS
