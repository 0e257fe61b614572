/* docket-text-pad.h — an on-screen keyboard for free text (reasons, notes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A kiosk has no physical keyboard: letters in the kiosk language's layout
 * (translators give the rows), digits, a little punctuation, space and
 * delete, as big keys typing into one editable. A sentence starts with a
 * capital by itself, so no Shift key is needed.
 *
 * Threads: main thread only, like every widget.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_TEXT_PAD (docket_text_pad_get_type ())
G_DECLARE_FINAL_TYPE (DocketTextPad, docket_text_pad, DOCKET, TEXT_PAD, GtkWidget)

/* Types into @target (not owned; it must outlive the pad). */
GtkWidget *docket_text_pad_new (GtkEditable *target);

/* What a key does to @text: "⌫" deletes the last character, "␣" adds a
 * space, anything else is appended, as a capital where a sentence starts
 * (empty text, or after ". ", "? ", "! "). Returns a new string. */
gchar *docket_text_pad_apply (const gchar *text, const gchar *key);

/* Puts a pad for @entry under the entry's row of the column it sits in,
 * open while @entry has the focus: touching another field closes it. */
void docket_text_pad_attach (GtkEditable *entry);

G_END_DECLS
