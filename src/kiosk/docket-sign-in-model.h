/* docket-sign-in-model.h — badge number + PIN entry, without any widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keypad widget is a view of this. Two steps: badge number, then PIN.
 * "submit" hands both to whoever signs in (the daemon's SignIn method, once
 * it exists); it answers with docket_sign_in_model_fail () or _reset ().
 * The PIN never leaves this object except through "submit", and its memory
 * is wiped whenever it is cleared.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  DOCKET_SIGN_IN_STEP_BADGE,
  DOCKET_SIGN_IN_STEP_PIN,
} DocketSignInStep;

#define DOCKET_SIGN_IN_BADGE_MAX_DIGITS 10
#define DOCKET_SIGN_IN_PIN_MIN_DIGITS 4
#define DOCKET_SIGN_IN_PIN_MAX_DIGITS 12

#define DOCKET_TYPE_SIGN_IN_MODEL (docket_sign_in_model_get_type ())
G_DECLARE_FINAL_TYPE (DocketSignInModel, docket_sign_in_model, DOCKET, SIGN_IN_MODEL, GObject)

DocketSignInModel *docket_sign_in_model_new (void);

/* Input, as from the keypad or a keyboard. Ignored while busy. */
void docket_sign_in_model_press_digit (DocketSignInModel *self, guint digit);
void docket_sign_in_model_backspace (DocketSignInModel *self);
/* Badge step: go on to the PIN. PIN step: emit "submit". */
void docket_sign_in_model_confirm (DocketSignInModel *self);
/* PIN step: back to the badge (PIN wiped). Badge step: clear it. */
void docket_sign_in_model_back (DocketSignInModel *self);

/* Answers from whoever handled "submit". */
void docket_sign_in_model_fail (DocketSignInModel *self, const gchar *message);
void docket_sign_in_model_reset (DocketSignInModel *self);

DocketSignInStep docket_sign_in_model_get_step (DocketSignInModel *self);
const gchar *docket_sign_in_model_get_badge (DocketSignInModel *self);
guint docket_sign_in_model_get_pin_length (DocketSignInModel *self);
/* What the display shows: the badge digits, or one dot per PIN digit. */
const gchar *docket_sign_in_model_get_display (DocketSignInModel *self);
const gchar *docket_sign_in_model_get_prompt (DocketSignInModel *self);
const gchar *docket_sign_in_model_get_confirm_label (DocketSignInModel *self);
const gchar *docket_sign_in_model_get_back_label (DocketSignInModel *self);
gboolean docket_sign_in_model_get_can_confirm (DocketSignInModel *self);
const gchar *docket_sign_in_model_get_error (DocketSignInModel *self);
gboolean docket_sign_in_model_get_busy (DocketSignInModel *self);

G_END_DECLS
