/* docket-case-pad.h — an on-screen keypad for case numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A kiosk has no physical keyboard: the digits, the separators case numbers
 * use ("-", "/") and delete, as big keys typing into one editable.
 *
 * Threads: main thread only, like every widget.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_CASE_PAD (docket_case_pad_get_type ())
G_DECLARE_FINAL_TYPE (DocketCasePad, docket_case_pad, DOCKET, CASE_PAD, GtkWidget)

/* Types into @target (not owned; it must outlive the pad). */
GtkWidget *docket_case_pad_new (GtkEditable *target);

/* What a key does to @text: a digit or separator appended, "⌫" deletes the
 * last character. Returns a new string. */
gchar *docket_case_pad_apply (const gchar *text, const gchar *key);

G_END_DECLS
