/* docket-deletion-reason.h — the reason an officer gives for deleting a recording
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK-free: the presets the deletion dialog offers and how a preset and the
 * officer's own words become the one reason docketd audit-logs.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest details the dialog takes, in characters. */
#define DOCKET_DELETION_DETAILS_MAX_CHARS 400

/* The presets, marked for translation but not translated, NULL-terminated;
 * the first is the usual one, "Accidental recording". Translate them when
 * shown. */
const gchar *const *docket_deletion_reason_presets (void);

/* The reason to send: "@preset: @details", or either alone; surrounding
 * blanks dropped. NULL when both are blank: the daemon wants a reason. */
gchar *docket_deletion_reason_compose (const gchar *preset, const gchar *details);

G_END_DECLS
