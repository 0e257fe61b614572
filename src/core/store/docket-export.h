/* docket-export.h — a self-contained, checkable package of evidence for court or a prosecutor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docket_export_run () writes, under @to_dir, one new folder:
 *   recordings/<id>_<name>     the committed files, byte-exact, names sanitised
 *   signatures/<file>.sigmsg   the exact bytes the camera signed (docs/protocol.md)
 *   signatures/<file>.sig      the camera's raw 64-byte Ed25519 signature
 *   keys/camera-<serial>.pem   the enrolled camera keys (SubjectPublicKeyInfo)
 *   keys/station.pem           the station's anchor-signing key
 *   anchor/anchor.msg, .sig    the nearest signed chain head covering the rows
 *   metadata/recordings.json   every stored field, tags, conditions, clock drift
 *   metadata/audit.json        the recordings' audit rows, the chain between
 *                              them and the anchor, and the anchor itself
 *   metadata/export.json       who exported what, when and why
 *   VERIFY.txt                 how to check it all with common tools
 *   SHA256SUMS                 `sha256sum -c` format, every file above
 *   ascmhl/                    an ASC MHL v2.0 manifest of every file
 * and, with @zip, <folder>.zip beside it. The export is audited
 * ("evidence-exported": who, why, which recordings, the SHA256SUMS hash);
 * if that row cannot be written the package is removed.
 *
 * Threads: blocking; call from a worker thread.
 */
#pragma once

#include <gio/gio.h>

#include "docket-evidence-store.h"

G_BEGIN_DECLS

typedef enum
{
  DOCKET_EXPORT_RECORDING, /* what: a recording id */
  DOCKET_EXPORT_INCIDENT,  /* what: any recording id of the incident */
  DOCKET_EXPORT_CASE,      /* what: a case number */
} DocketExportScope;

/* Recordings starting at most this far apart (same officer) are one incident,
 * as on the kiosk's tagging list. */
#define DOCKET_EXPORT_INCIDENT_GAP_USEC (60 * G_USEC_PER_SEC)

/* The verified recordings @scope/@what names (GPtrArray of
 * DocketStoredRecording, by id), or NULL with DOCKET_ERROR_NOT_FOUND. */
GPtrArray *docket_export_select (DocketEvidenceStore *store,
                                 DocketExportScope scope,
                                 const gchar *what,
                                 GError **error);

/* Returns the package folder's path. @reason must not be empty. */
gchar *docket_export_run (DocketEvidenceStore *store,
                          DocketExportScope scope,
                          const gchar *what,
                          const gchar *to_dir,
                          const gchar *actor,
                          const gchar *reason,
                          gboolean zip,
                          GCancellable *cancellable,
                          GError **error);

/* Writes the ASC MHL folder (ascmhl/) for every file under @package except
 * ascmhl/ itself (docket-export-mhl.c). @files: relative paths, sorted. */
gboolean docket_export_write_mhl (const gchar *package,
                                  GPtrArray *files,
                                  const gchar *comment,
                                  GError **error);
/* The C4 ID (SMPTE ST 2114) of @path, as ASC MHL writes it. */
gchar *docket_export_c4_file (const gchar *path, GError **error);

G_END_DECLS
