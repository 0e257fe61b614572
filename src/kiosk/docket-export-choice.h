/* docket-export-choice.h — what a sergeant picks when exporting evidence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK-free: the usual reasons the export dialog offers, where a package may
 * go (removable drives, and the station's exports folder), and how its
 * summary is worded.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The presets, marked for translation but not translated, NULL-terminated.
 * Translate them when shown. */
const gchar *const *docket_export_reason_presets (void);

/* Of @mount_points, the folders docketd accepts as removable media (under
 * /media/ or /run/media/, not those folders themselves), sorted, each once;
 * a NULL-terminated array. */
gchar **docket_export_removable_destinations (const gchar *const *mount_points);
/* Every mount point of the system now, for the above. */
gchar **docket_export_list_mount_points (void);

/* "3 recordings, 42 files, 1.2 GB (1234567890 bytes)" */
gchar *docket_export_describe_package (guint recordings, guint files, guint64 bytes);

G_END_DECLS
