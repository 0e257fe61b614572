/* docket-export-private.h — shared by the export's source files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threads: the export's worker thread only (docket_export_run ()).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "docket-evidence-store-private.h"
#include "docket-export.h"

G_BEGIN_DECLS

typedef struct
{
  gchar *package;   /* the package folder */
  GPtrArray *files; /* relative paths written, for SHA256SUMS and the MHL */
} DocketExportPackage;

void _docket_export_package_clear (DocketExportPackage *pkg);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketExportPackage, _docket_export_package_clear)

/* Records @rel as part of the package and returns its full path. */
gchar *_docket_export_package_path (DocketExportPackage *pkg, const gchar *rel);
/* Only what is safe in a file name on every system a court may use. */
gchar *_docket_export_sanitise (const gchar *text, const gchar *fallback);
/* Read-only (0444), durable. */
gboolean _docket_export_write_file (const gchar *path, const void *data, gsize len, GError **error);
gboolean _docket_export_write_json (const gchar *path, JsonBuilder *builder, GError **error);

gboolean _docket_export_write_recordings (DocketEvidenceStore *store,
                                          DocketExportPackage *pkg,
                                          GPtrArray *recs,
                                          GCancellable *cancellable,
                                          GError **error);
gboolean _docket_export_write_audit (DocketEvidenceStore *store,
                                     DocketExportPackage *pkg,
                                     GPtrArray *recs,
                                     GError **error);

G_END_DECLS
