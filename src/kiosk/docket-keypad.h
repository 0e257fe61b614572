/* docket-keypad.h — the sign-in keypad: badge number, then PIN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-sign-in-model.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_KEYPAD (docket_keypad_get_type ())
G_DECLARE_FINAL_TYPE (DocketKeypad, docket_keypad, DOCKET, KEYPAD, GtkWidget)

GtkWidget *docket_keypad_new (void);

/* Connect to its "submit" signal to sign in; answer with _fail () or _reset (). */
DocketSignInModel *docket_keypad_get_model (DocketKeypad *self);
/* A digit typed on a keyboard (a badge reader): an Enter right after it
 * confirms, whatever key button has the focus. */
void docket_keypad_type_digit (DocketKeypad *self, guint digit);

G_END_DECLS
