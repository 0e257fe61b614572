/* docket-card-transfer.h — a card's words for the offload: files, bytes, checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK-free helpers of DocketCardModel, split out to keep each file to one
 * concern; exposed so every wording is unit-tested. Returned texts are the
 * caller's.
 */
#pragma once

#include "docket-dbus-generated.h"

G_BEGIN_DECLS

/* Camera.Offload, read defensively (counts clamped to their totals). */
typedef struct
{
  guint files_done;
  guint files_total;
  guint64 bytes_done;
  guint64 bytes_total;
  gdouble rate;
  gint eta; /* -1 unknown */
  guint verified;
  guint quarantined;
} DocketCardOffload;

/* @camera may be NULL (then all zero, eta -1). */
void docket_card_offload_read (DocketDBusCamera *camera, DocketCardOffload *o);

/* Done so far, 0.0 … 1.0: by bytes when known, else by files. */
gdouble docket_card_offload_fraction (const DocketCardOffload *o);

/* "3 of 12 recordings copied", "No new recordings on this camera"; NULL for none. */
gchar *docket_card_format_files (const gchar *state, const DocketCardOffload *o);

/* "1.2 GB of 3.4 GB · 25.0 MB/s · about 3 minutes left"; "" for none. */
gchar *docket_card_format_transfer (const gchar *state, const DocketCardOffload *o);

/* What the checks of the copied recordings found; NULL for no line.
 * @failure_told: the daemon's problem sentence already says what failed, so
 * a failure is said once and this line counts only the good ones.
 * @out_icon: a symbolic icon name (static), or NULL to keep the last one. */
gchar *docket_card_format_verification (const gchar *state,
                                        const DocketCardOffload *o,
                                        gboolean failure_told,
                                        const gchar **out_icon);

/* "about 3 minutes left" etc.; NULL for a negative @seconds (unknown). */
gchar *docket_card_format_time_left (gint seconds);

G_END_DECLS
