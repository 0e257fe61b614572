/* docket-card-charge.h — a card's words for charging, readiness and holders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK-free helpers of DocketCardModel, split out to keep each file to one
 * concern; exposed so every wording is unit-tested.
 */
#pragma once

#include <glib.h>

#include "docket-name-book.h"

G_BEGIN_DECLS

/* "64 % · charging · 31 °C": level, what the charger does, temperature;
 * "Battery level unknown" outside 0 … 100. @out_icon: a symbolic icon
 * name (the caller's). */
gchar *
docket_card_format_battery (gint percent, const gchar *charging, gdouble celsius, gchar **out_icon);

/* "Ready for shift", "Ready in about 25 min", "Not ready for shift yet";
 * NULL (no line) while the battery level is unknown or the daemon has not
 * judged (0 seconds without ready). @out_icon: a symbolic
 * icon name (static). */
gchar *docket_card_format_ready (gint battery_percent,
                                 gboolean ready_for_shift,
                                 gint ready_in_seconds,
                                 const gchar **out_icon);

/* "31 °C"; NULL when the camera did not report one (0.0 or nonsense). */
gchar *docket_card_format_temperature (gdouble celsius);

/* "Battery health 72 %" when known (1 to 99), else NULL. */
gchar *docket_card_format_health (gint health_percent, const gchar **out_icon);

/* "Officer Ana Díaz (1234)" when @book knows the name, else "Officer 1234". */
gchar *docket_card_format_person (DocketNameBook *book, const gchar *badge);

/* Who has the camera: "Checked out to …", "Pool camera — available" (only
 * when @ready: it could be checked out now), "Pool camera — charging: ready
 * in about N min", "Assigned to …", "Officer …" (an older daemon's Officer
 * only) or "Unassigned camera". @book may be NULL. */
gchar *docket_card_format_holder (DocketNameBook *book,
                                  gboolean pooled,
                                  const gchar *holder,
                                  const gchar *officer,
                                  gboolean ready,
                                  gint ready_in_seconds);

/* What a successful check-out tells the officer. */
gchar *docket_card_format_check_out (const gchar *slot, const gchar *serial);

G_END_DECLS
