/* docket-firmware-folder.h — the folder IT drops camera firmware images into
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Images are files named NAME-VERSION.bin (e.g. dcp-reference-2.1.0.bin):
 * the version is the dotted number after the last '-'. Which image a model
 * gets, and the SHA-256 it must have, come from IT's signed device policy
 * (`firmware.image`, `firmware.sha256`): the policy is the trust anchor, the
 * folder only holds bytes. docs/operations.md describes it for IT.
 */
#pragma once

#include <gio/gio.h>

#include "docket-policy.h"

G_BEGIN_DECLS

typedef struct
{
  gchar *file_name;
  gchar *version; /* from the file name; NULL if it has none */
  guint64 size;
  gchar *sha256; /* lower-case hex of the file as it is now */
} DocketFirmwareImage;

void docket_firmware_image_free (DocketFirmwareImage *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketFirmwareImage, docket_firmware_image_free)

/* $DOCKET_FIRMWARE_DIR, else @state_dir/firmware (DOCKET_STATEDIR when NULL). */
gchar *docket_firmware_default_dir (const gchar *state_dir);

/* "2.1.0" from "dcp-reference-2.1.0.bin"; NULL when the name does not
 * end in -VERSION.bin with VERSION digits and dots. */
gchar *docket_firmware_version_from_file_name (const gchar *file_name);

/* Every *.bin in @dir, hashed, sorted by name. A missing folder is an
 * empty list. GPtrArray of DocketFirmwareImage. */
GPtrArray *
docket_firmware_folder_list (const gchar *dir, GCancellable *cancellable, GError **error);

/* Reads @model's image from @dir and checks it against the policy before
 * anything may be sent: DOCKET_ERROR_INTEGRITY when its SHA-256 differs
 * (tampered or incomplete), DOCKET_ERROR_NOT_FOUND when it is missing,
 * DOCKET_ERROR_INVALID when its name carries no version or it is larger
 * than a camera accepts. @out_version: the image's version. */
GBytes *docket_firmware_folder_load (const gchar *dir,
                                     const DocketModelPolicy *model,
                                     gchar **out_version,
                                     GError **error);

G_END_DECLS
