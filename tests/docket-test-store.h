/* docket-test-store.h — an evidence store made the way docketd makes one, for custody tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Camera CAM-0001 (a real Ed25519 key) enrolled; recordings 1 and 2
 * committed with the camera's signature, 1 tagged under case 2026-0042;
 * recording 3 quarantined; one "recording-viewed" row; the station key
 * under <dir>/keys and a signed anchor of the head.
 *
 * Threads: test main thread.
 */
#pragma once

#include "docket-evidence-store.h"

G_BEGIN_DECLS

typedef struct
{
  gchar *sha256;     /* recording 1's hash */
  gchar *object;     /* recording 1's file */
  gchar *quarantine; /* recording 3's quarantined copy */
} DocketTestStore;

void docket_test_store_clear (DocketTestStore *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketTestStore, docket_test_store_clear)

/* Makes the store at @dir/@name; the station key goes to @dir/keys. */
void docket_test_store_make (const gchar *dir, const gchar *name, DocketTestStore *out);

G_END_DECLS
