/* docket-name-book.h — the names behind badge numbers, as the kiosk learns them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The daemon's Camera.Holder is a badge number; nobody at the dock can read
 * names without signing in. The kiosk remembers the name of each person who
 * signs in here (Session.Name), in memory only, so a card can say "Checked
 * out to Officer Ana Díaz (1234)" instead of a bare number.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_NAME_BOOK (docket_name_book_get_type ())
G_DECLARE_FINAL_TYPE (DocketNameBook, docket_name_book, DOCKET, NAME_BOOK, GObject)

DocketNameBook *docket_name_book_new (void);
/* The kiosk's one book (never freed). */
DocketNameBook *docket_name_book_get_default (void);

/* Emits "changed" when @badge's name is new or different. Empty names are
 * ignored. */
void docket_name_book_remember (DocketNameBook *self, const gchar *badge, const gchar *name);
/* NULL if not known. */
const gchar *docket_name_book_lookup (DocketNameBook *self, const gchar *badge);

G_END_DECLS
