/* docket-card-wording.h — a card's words for the camera's state and its policy check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK-free helpers of DocketCardModel, split out to keep each file to one
 * concern. Returned texts are static (translated) or borrowed from the
 * arguments.
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

G_END_DECLS
