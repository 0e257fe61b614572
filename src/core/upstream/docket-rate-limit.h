/* docket-rate-limit.h — one upload budget shared by all connections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A token bucket: the kiosk's bandwidth limit holds for all its connections
 * together, so that a body alone on the wire gets all of it and three at
 * once a third each. Thread-safe. */
typedef struct _DocketRateLimit DocketRateLimit;

DocketRateLimit *docket_rate_limit_new (void);
DocketRateLimit *docket_rate_limit_ref (DocketRateLimit *self);
void docket_rate_limit_unref (DocketRateLimit *self);

/* Bytes per second, 0 for none. A change holds from now on. */
void docket_rate_limit_set_rate (DocketRateLimit *self, gint64 bytes_per_second);
gint64 docket_rate_limit_get_rate (DocketRateLimit *self);

/* How many bytes to ask for at once: a tenth of a second's worth (at least
 * 1 KiB), so that a slow limit still sends steadily; @wanted without one. */
gsize docket_rate_limit_chunk (DocketRateLimit *self, gsize wanted);

/* Books @n bytes at monotonic time @now_usec and returns when they may go
 * (@now_usec or later). The clock is the caller's, for tests. */
gint64 docket_rate_limit_reserve (DocketRateLimit *self, gsize n, gint64 now_usec);

/* Books @n bytes and sleeps until they may go. FALSE if @cancellable was
 * cancelled meanwhile (it is looked at every 50 ms). */
gboolean docket_rate_limit_take (DocketRateLimit *self, gsize n, GCancellable *cancellable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketRateLimit, docket_rate_limit_unref)

G_END_DECLS
