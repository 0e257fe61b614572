/* docket-card-model.h — what a camera card says, computed from a camera proxy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK-free on purpose: the card widget only binds these properties, and the
 * wording (plain, translated, never colour alone) is tested without a display.
 */
#pragma once

#include <gio/gio.h>

#include "docket-dbus-generated.h"
#include "docket-name-book.h"

G_BEGIN_DECLS

/**
 * DocketCardTone:
 * @DOCKET_CARD_TONE_NEUTRAL: nothing to say
 * @DOCKET_CARD_TONE_BUSY: work in progress
 * @DOCKET_CARD_TONE_GOOD: finished, all safe
 * @DOCKET_CARD_TONE_WARNING: needs a look but nothing is lost
 * @DOCKET_CARD_TONE_ERROR: needs someone now
 *
 * Mapped to a style class by the card; always shown beside an icon and text.
 */
typedef enum
{
  DOCKET_CARD_TONE_NEUTRAL,
  DOCKET_CARD_TONE_BUSY,
  DOCKET_CARD_TONE_GOOD,
  DOCKET_CARD_TONE_WARNING,
  DOCKET_CARD_TONE_ERROR,
} DocketCardTone;

const gchar *docket_card_tone_to_style_class (DocketCardTone tone);

#define DOCKET_TYPE_CARD_MODEL (docket_card_model_get_type ())
G_DECLARE_FINAL_TYPE (DocketCardModel, docket_card_model, DOCKET, CARD_MODEL, GObject)

DocketCardModel *docket_card_model_new (DocketDBusCamera *camera);

DocketDBusCamera *docket_card_model_get_camera (DocketCardModel *self);
void docket_card_model_set_camera (DocketCardModel *self, DocketDBusCamera *camera);

const gchar *docket_card_model_get_title (DocketCardModel *self);
const gchar *docket_card_model_get_device_text (DocketCardModel *self);
const gchar *docket_card_model_get_slot_text (DocketCardModel *self);
/* Who has the camera: "Checked out to …", "Pool camera — available",
 * "Assigned to …", "Officer …" or "Unassigned camera". */
const gchar *docket_card_model_get_officer_text (DocketCardModel *self);
const gchar *docket_card_model_get_state_text (DocketCardModel *self);
const gchar *docket_card_model_get_state_icon (DocketCardModel *self);
DocketCardTone docket_card_model_get_state_tone (DocketCardModel *self);
const gchar *docket_card_model_get_battery_text (DocketCardModel *self);
const gchar *docket_card_model_get_battery_icon (DocketCardModel *self);
gboolean docket_card_model_get_progress_visible (DocketCardModel *self);
gdouble docket_card_model_get_progress_fraction (DocketCardModel *self);
const gchar *docket_card_model_get_files_text (DocketCardModel *self);
const gchar *docket_card_model_get_transfer_text (DocketCardModel *self);
const gchar *docket_card_model_get_verification_text (DocketCardModel *self);
const gchar *docket_card_model_get_verification_icon (DocketCardModel *self);
const gchar *docket_card_model_get_policy_text (DocketCardModel *self);
const gchar *docket_card_model_get_policy_icon (DocketCardModel *self);
const gchar *docket_card_model_get_problem_text (DocketCardModel *self);
gboolean docket_card_model_get_problem_visible (DocketCardModel *self);
const gchar *docket_card_model_get_accessible_summary (DocketCardModel *self);

/* Charging: each empty when there is nothing to say. */
const gchar *docket_card_model_get_ready_text (DocketCardModel *self);
const gchar *docket_card_model_get_ready_icon (DocketCardModel *self);
const gchar *docket_card_model_get_charge_note (DocketCardModel *self);
const gchar *docket_card_model_get_firmware_text (DocketCardModel *self);
const gchar *docket_card_model_get_health_text (DocketCardModel *self);
const gchar *docket_card_model_get_health_icon (DocketCardModel *self);
/* The daemon's battery alerts, each a sentence; never NULL. */
const gchar *const *docket_card_model_get_alerts (DocketCardModel *self);

/* Names for holder badges; docket_name_book_get_default () unless set. */
void docket_card_model_set_name_book (DocketCardModel *self, DocketNameBook *names);

G_END_DECLS
