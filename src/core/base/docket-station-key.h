/* docket-station-key.h — the station's own Ed25519 key, for signing audit anchors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A DocketStationKey is made once, at the daemon's first start, and kept
 * outside the database (default: DOCKET_STATEDIR/keys/station.key, mode 0600,
 * owned by the daemon's user). Its public half is published beside the
 * evidence store so that anyone can check what it signed. The secret never
 * leaves this object.
 *
 * Threads: immutable after load; any thread may sign or read it.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOCKET_ED25519_PUBLIC_LEN 32
#define DOCKET_ED25519_SIG_LEN 64

#define DOCKET_TYPE_STATION_KEY (docket_station_key_get_type ())
G_DECLARE_FINAL_TYPE (DocketStationKey, docket_station_key, DOCKET, STATION_KEY, GObject)

/* Loads the 32-byte seed at @path, or makes a new key there (0600, synced)
 * when there is none. @out_created tells which. A key file readable by group
 * or others is refused: it could have been copied. */
DocketStationKey *
docket_station_key_load_or_create (const gchar *path, gboolean *out_created, GError **error);
/* DOCKET_STATEDIR/keys/station.key, or $DOCKET_STATION_KEY when set. */
gchar *docket_station_key_default_path (void);

const guint8 *docket_station_key_get_public_key (DocketStationKey *self);
/* Lower-case hex of the public key. */
gchar *docket_station_key_get_public_hex (DocketStationKey *self);
void docket_station_key_sign (DocketStationKey *self,
                              const void *data,
                              gsize len,
                              guint8 out_signature[DOCKET_ED25519_SIG_LEN]);

/* Plain Ed25519 helpers, for checking what any key signed. */
gboolean docket_ed25519_verify (const guint8 public_key[DOCKET_ED25519_PUBLIC_LEN],
                                const void *data,
                                gsize len,
                                const guint8 signature[DOCKET_ED25519_SIG_LEN]);
/* The key as a PEM "PUBLIC KEY" (SubjectPublicKeyInfo), as openssl reads it. */
gchar *docket_ed25519_public_key_to_pem (const guint8 public_key[DOCKET_ED25519_PUBLIC_LEN]);
/* Hex helpers: FALSE unless @hex is exactly 2 * @len hex digits. */
gchar *docket_hex_encode (const guint8 *data, gsize len);
gboolean docket_hex_decode (const gchar *hex, guint8 *out, gsize len);

G_END_DECLS
