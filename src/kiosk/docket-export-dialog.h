/* docket-export-dialog.h — a sergeant exports evidence for court or a prosecutor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threads: main thread only, like every widget.
 */
#pragma once

#include <adwaita.h>

#include "docket-dbus-generated.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_EXPORT_DIALOG (docket_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DocketExportDialog, docket_export_dialog, DOCKET, EXPORT_DIALOG, AdwWindow)

/* Offers recording @id, its incident or, with @case_number (may be NULL),
 * its case; asks why and where to; calls Session.Export and shows what was
 * written. @title names the recording for the sergeant. */
DocketExportDialog *docket_export_dialog_new (GtkWindow *parent,
                                              DocketDBusSession *session,
                                              gint64 id,
                                              const gchar *title,
                                              const gchar *case_number);

G_END_DECLS
