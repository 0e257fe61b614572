/* docket-card-wording.h — a card's words for the camera's state and its policy check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK-free helpers of DocketCardModel, split out to keep each file to one
 * concern. Returned texts are static (translated) or borrowed from the
 * arguments, unless they are gchar * (then the caller's).
 */
#pragma once

#include "docket-card-model.h"

G_BEGIN_DECLS

/* Camera.State (and how many recordings were quarantined) in words. */
const gchar *docket_card_state_text (const gchar *state,
                                     guint quarantined,
                                     const gchar **out_icon,
                                     DocketCardTone *out_tone);

/* Camera.PolicyState in words; the daemon's @problem wins where it has one.
 * NULL (no line) for "unknown", empty or newer states. */
const gchar *
docket_card_policy_text (const gchar *state, const gchar *problem, const gchar **out_icon);

/* @text with its first letter a capital, as every line on a card starts:
 * the daemon's problem texts are clauses ("its clock is 12.0 s off ..."). */
gchar *docket_card_sentence (const gchar *text);

/* What the station header says about this kiosk's own clock, from the
 * PolicyDetails of the docked @cameras (DocketDBusCamera): once for the whole
 * station when the dock could not confirm the clock, NULL when it could or
 * no camera was checked. */
const gchar *docket_station_clock_note (GListModel *cameras);

/* Takes @text and returns it with the space between a number and its unit
 * ("90 %", "25 °C", "1.4 s", "211.3 kB") made a no-break space, so that the
 * two never wrap apart. */
gchar *docket_text_bind_units (gchar *text);

/* A text docketd wrote for @camera's property @key ("problem",
 * "charge-note", "firmware-update"), in the kiosk's language: from
 * Camera.Messages when docketd sent the message, else @text through the
 * catalogue (a text without arguments is its own msgid), else @text. */
gchar *docket_card_daemon_text (DocketDBusCamera *camera, const gchar *key, const gchar *text);

/* PolicyDetails' problem in the kiosk's language (from problem-messages
 * when docketd sent them); NULL without a problem. */
gchar *docket_card_policy_problem (GVariant *details);

/* The same for a list of texts (Alerts, key "alerts"); never NULL. */
GStrv
docket_card_daemon_texts (DocketDBusCamera *camera, const gchar *key, const gchar *const *texts);

G_END_DECLS
