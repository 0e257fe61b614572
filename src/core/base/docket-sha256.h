/* docket-sha256.h — SHA-256 helpers over OpenSSL EVP (GChecksum is too slow)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOCKET_SHA256_LEN 32

/* Hashes the first @limit bytes of @path (G_MAXUINT64: all of it). Fails with
 * DOCKET_ERROR_STORE if the file is shorter than a finite @limit. */
gboolean docket_sha256_file (const gchar *path,
                             guint64 limit,
                             guint8 out_digest[DOCKET_SHA256_LEN],
                             GCancellable *cancellable,
                             GError **error);

gchar *docket_sha256_to_hex (const guint8 digest[DOCKET_SHA256_LEN]);
/* FALSE unless @hex is exactly 64 hex digits. */
gboolean docket_sha256_from_hex (const gchar *hex, guint8 out_digest[DOCKET_SHA256_LEN]);
gboolean docket_sha256_hex_is_valid (const gchar *hex);

G_END_DECLS
