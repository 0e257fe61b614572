/* docket-signature.h — what a camera signs about each recording
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The signed message (see docs/protocol.md, "Recording signatures") is:
 *   "DCP1-REC"            8 bytes, ASCII
 *   serial length         1 byte (1..64)
 *   serial                that many bytes, as reported by identify
 *   recording id          u32, little-endian
 *   start time            i64 microseconds since the epoch (UTC), little-endian
 *   size                  u64 bytes, little-endian
 *   SHA-256               32 bytes
 * signed with Ed25519 (libsodium crypto_sign_detached).
 */
#pragma once

#include <glib.h>

#include "docket-camera-driver.h"

G_BEGIN_DECLS

#define DOCKET_SIGNATURE_MAX_SERIAL 64

/* Returns NULL (and sets @error) if the serial is empty or too long. */
GBytes *docket_signature_build_message (const gchar *serial,
                                        const DocketRecordingInfo *info,
                                        GError **error);

/* Signs with a 64-byte libsodium Ed25519 secret key (simulator, tests). */
gboolean docket_signature_sign (const gchar *serial,
                                const DocketRecordingInfo *info,
                                const guint8 secret_key[64],
                                guint8 out_signature[DOCKET_ED25519_SIGNATURE_LEN],
                                GError **error);

/* FALSE with DOCKET_ERROR_INTEGRITY when the signature does not verify. */
gboolean docket_signature_verify (const gchar *serial,
                                  const DocketRecordingInfo *info,
                                  const guint8 public_key[DOCKET_ED25519_PUBLIC_KEY_LEN],
                                  GError **error);

G_END_DECLS
