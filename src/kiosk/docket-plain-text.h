/* docket-plain-text.h — text from the daemon or a camera into widgets that parse markup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AdwToast titles and AdwStatusPage descriptions are Pango markup in
 * libadwaita 1.2. Error messages and recording names can carry what a
 * camera sent, so they go in escaped: shown as written, never as markup.
 * (Rows built in code set use-markup to FALSE instead.)
 *
 * Threads: main thread only, like the widgets.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

static inline AdwToast *
docket_toast_new_plain (const gchar *text)
{
  g_autofree gchar *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  return adw_toast_new (escaped);
}

static inline void
docket_status_page_set_plain_description (AdwStatusPage *page, const gchar *text)
{
  g_autofree gchar *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  adw_status_page_set_description (page, escaped);
}

G_END_DECLS
