/* docket-deletion-dialog.h — an officer asks a sergeant to delete a recording
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_DELETION_DIALOG (docket_deletion_dialog_get_type ())
G_DECLARE_FINAL_TYPE (
    DocketDeletionDialog, docket_deletion_dialog, DOCKET, DELETION_DIALOG, AdwMessageDialog)

/* Responses: "cancel" and "request" (enabled once there is a reason).
 * @recording: how the recording is named to the officer (its start time). */
DocketDeletionDialog *docket_deletion_dialog_new (GtkWindow *parent, const gchar *recording);

/* The reason to send with Session.RequestDeletion; NULL when none yet. */
gchar *docket_deletion_dialog_dup_reason (DocketDeletionDialog *self);

G_END_DECLS
