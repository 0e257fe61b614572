/* docket-role-page.h — which page a signed-in person sees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The window's GtkStack child for Session.Role: "officer" → "tagging",
 * "sergeant" → "review", "it" → "it"; NULL for anything else (stay on the
 * dock pages). */
const gchar *docket_role_page_name (const gchar *role);

G_END_DECLS
