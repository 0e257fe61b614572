/* docket-sign-in-model.c — badge number + PIN entry, without any widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "docket-kiosk-enums.h"
#include "docket-sign-in-model.h"

/* One dot per PIN digit; U+25CF BLACK CIRCLE reads well at arm's length. */
#define PIN_DOT "\xe2\x97\x8f"

struct _DocketSignInModel
{
  GObject parent_instance;

  DocketSignInStep step;
  gchar badge[DOCKET_SIGN_IN_BADGE_MAX_DIGITS + 1];
  gchar pin[DOCKET_SIGN_IN_PIN_MAX_DIGITS + 1]; /* wiped with sodium_memzero () */
  guint pin_length;
  gboolean busy;
  gchar *error;
  gchar *display;
  gchar *prompt;
};

G_DEFINE_FINAL_TYPE (DocketSignInModel, docket_sign_in_model, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STEP,
  PROP_BADGE,
  PROP_PIN_LENGTH,
  PROP_DISPLAY,
  PROP_PROMPT,
  PROP_CONFIRM_LABEL,
  PROP_BACK_LABEL,
  PROP_CAN_CONFIRM,
  PROP_HAS_ERROR,
  PROP_ERROR,
  PROP_BUSY,
  N_PROPS
};

enum
{
  SIGNAL_SUBMIT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
wipe_pin (DocketSignInModel *self)
{
  sodium_memzero (self->pin, sizeof self->pin);
}

/* Everything derived is recomputed and notified at once: the model is tiny
 * and the keypad rebinds a handful of labels. */
static void
changed (DocketSignInModel *self)
{
  GObject *object = G_OBJECT (self);

  g_free (self->display);
  if (self->step == DOCKET_SIGN_IN_STEP_BADGE)
    self->display = g_strdup (self->badge);
  else
    {
      GString *dots = g_string_new (NULL);

      for (guint i = 0; i < self->pin_length; i++)
        g_string_append (dots, PIN_DOT);
      self->display = g_string_free (dots, FALSE);
    }

  g_free (self->prompt);
  if (self->step == DOCKET_SIGN_IN_STEP_BADGE)
    self->prompt = g_strdup (_ ("Enter your badge number"));
  else
    /* TRANSLATORS: %s is the badge number just entered */
    self->prompt = g_strdup_printf (_ ("Enter the PIN for badge %s"), self->badge);

  g_object_freeze_notify (object);
  for (guint i = PROP_0 + 1; i < N_PROPS; i++)
    g_object_notify_by_pspec (object, properties[i]);
  g_object_thaw_notify (object);
}

static void
set_error (DocketSignInModel *self, const gchar *error)
{
  g_free (self->error);
  self->error = g_strdup (error != NULL ? error : "");
}

void
docket_sign_in_model_press_digit (DocketSignInModel *self, guint digit)
{
  g_return_if_fail (DOCKET_IS_SIGN_IN_MODEL (self));
  g_return_if_fail (digit <= 9);

  if (self->busy)
    return;
  set_error (self, NULL);
  if (self->step == DOCKET_SIGN_IN_STEP_BADGE)
    {
      gsize len = strlen (self->badge);

      if (len < DOCKET_SIGN_IN_BADGE_MAX_DIGITS)
        self->badge[len] = '0' + digit;
    }
  else if (self->pin_length < DOCKET_SIGN_IN_PIN_MAX_DIGITS)
    {
      self->pin[self->pin_length++] = '0' + digit;
    }
  changed (self);
}

void
docket_sign_in_model_backspace (DocketSignInModel *self)
{
  g_return_if_fail (DOCKET_IS_SIGN_IN_MODEL (self));

  if (self->busy)
    return;
  set_error (self, NULL);
  if (self->step == DOCKET_SIGN_IN_STEP_BADGE)
    {
      gsize len = strlen (self->badge);

      if (len > 0)
        self->badge[len - 1] = '\0';
    }
  else if (self->pin_length > 0)
    {
      self->pin[--self->pin_length] = '\0';
    }
  changed (self);
}

void
docket_sign_in_model_confirm (DocketSignInModel *self)
{
  g_return_if_fail (DOCKET_IS_SIGN_IN_MODEL (self));

  if (!docket_sign_in_model_get_can_confirm (self))
    return;
  if (self->step == DOCKET_SIGN_IN_STEP_BADGE)
    {
      self->step = DOCKET_SIGN_IN_STEP_PIN;
      set_error (self, NULL);
      changed (self);
      return;
    }

  self->busy = TRUE;
  changed (self);
  g_object_ref (self);
  g_signal_emit (self, signals[SIGNAL_SUBMIT], 0, self->badge, self->pin);
  /* Handlers copy what they need; the PIN is not kept a moment longer. */
  wipe_pin (self);
  g_object_unref (self);
}

void
docket_sign_in_model_back (DocketSignInModel *self)
{
  g_return_if_fail (DOCKET_IS_SIGN_IN_MODEL (self));

  if (self->busy)
    return;
  set_error (self, NULL);
  wipe_pin (self);
  self->pin_length = 0;
  if (self->step == DOCKET_SIGN_IN_STEP_PIN)
    self->step = DOCKET_SIGN_IN_STEP_BADGE;
  else
    memset (self->badge, 0, sizeof self->badge);
  changed (self);
}

/**
 * docket_sign_in_model_fail:
 * @message: plain words for the person at the keypad, e.g. "Wrong badge number or PIN"
 *
 * Sign-in was refused: the PIN is cleared for another try, the badge kept.
 */
void
docket_sign_in_model_fail (DocketSignInModel *self, const gchar *message)
{
  g_return_if_fail (DOCKET_IS_SIGN_IN_MODEL (self));

  wipe_pin (self);
  self->pin_length = 0;
  self->busy = FALSE;
  self->step = DOCKET_SIGN_IN_STEP_PIN;
  set_error (self,
             message != NULL && *message != '\0' ? message : _ ("Sign-in failed. Try again."));
  changed (self);
}

/* Back to an empty badge step: after success, on cancel, or on idle timeout. */
void
docket_sign_in_model_reset (DocketSignInModel *self)
{
  g_return_if_fail (DOCKET_IS_SIGN_IN_MODEL (self));

  wipe_pin (self);
  self->pin_length = 0;
  memset (self->badge, 0, sizeof self->badge);
  self->busy = FALSE;
  self->step = DOCKET_SIGN_IN_STEP_BADGE;
  set_error (self, NULL);
  changed (self);
}

DocketSignInStep
docket_sign_in_model_get_step (DocketSignInModel *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGN_IN_MODEL (self), DOCKET_SIGN_IN_STEP_BADGE);
  return self->step;
}

const gchar *
docket_sign_in_model_get_badge (DocketSignInModel *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGN_IN_MODEL (self), NULL);
  return self->badge;
}

guint
docket_sign_in_model_get_pin_length (DocketSignInModel *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGN_IN_MODEL (self), 0);
  return self->pin_length;
}

const gchar *
docket_sign_in_model_get_display (DocketSignInModel *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGN_IN_MODEL (self), NULL);
  return self->display;
}

const gchar *
docket_sign_in_model_get_prompt (DocketSignInModel *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGN_IN_MODEL (self), NULL);
  return self->prompt;
}

const gchar *
docket_sign_in_model_get_confirm_label (DocketSignInModel *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGN_IN_MODEL (self), NULL);
  return self->step == DOCKET_SIGN_IN_STEP_BADGE ? _ ("Next") : _ ("Sign In");
}

const gchar *
docket_sign_in_model_get_back_label (DocketSignInModel *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGN_IN_MODEL (self), NULL);
  return self->step == DOCKET_SIGN_IN_STEP_BADGE ? _ ("Clear") : _ ("Back");
}

gboolean
docket_sign_in_model_get_can_confirm (DocketSignInModel *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGN_IN_MODEL (self), FALSE);
  if (self->busy)
    return FALSE;
  if (self->step == DOCKET_SIGN_IN_STEP_BADGE)
    return self->badge[0] != '\0';
  return self->pin_length >= DOCKET_SIGN_IN_PIN_MIN_DIGITS;
}

const gchar *
docket_sign_in_model_get_error (DocketSignInModel *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGN_IN_MODEL (self), NULL);
  return self->error;
}

gboolean
docket_sign_in_model_get_busy (DocketSignInModel *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGN_IN_MODEL (self), FALSE);
  return self->busy;
}

static void
docket_sign_in_model_finalize (GObject *object)
{
  DocketSignInModel *self = DOCKET_SIGN_IN_MODEL (object);

  wipe_pin (self);
  g_free (self->error);
  g_free (self->display);
  g_free (self->prompt);

  G_OBJECT_CLASS (docket_sign_in_model_parent_class)->finalize (object);
}

static void
docket_sign_in_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketSignInModel *self = DOCKET_SIGN_IN_MODEL (object);

  switch (prop_id)
    {
      case PROP_STEP:
        g_value_set_enum (value, self->step);
        break;
      case PROP_BADGE:
        g_value_set_string (value, self->badge);
        break;
      case PROP_PIN_LENGTH:
        g_value_set_uint (value, self->pin_length);
        break;
      case PROP_DISPLAY:
        g_value_set_string (value, self->display);
        break;
      case PROP_PROMPT:
        g_value_set_string (value, self->prompt);
        break;
      case PROP_CONFIRM_LABEL:
        g_value_set_string (value, docket_sign_in_model_get_confirm_label (self));
        break;
      case PROP_BACK_LABEL:
        g_value_set_string (value, docket_sign_in_model_get_back_label (self));
        break;
      case PROP_CAN_CONFIRM:
        g_value_set_boolean (value, docket_sign_in_model_get_can_confirm (self));
        break;
      case PROP_HAS_ERROR:
        g_value_set_boolean (value, self->error[0] != '\0');
        break;
      case PROP_ERROR:
        g_value_set_string (value, self->error);
        break;
      case PROP_BUSY:
        g_value_set_boolean (value, self->busy);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_sign_in_model_class_init (DocketSignInModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = docket_sign_in_model_finalize;
  object_class->get_property = docket_sign_in_model_get_property;

  properties[PROP_STEP] = g_param_spec_enum ("step", NULL, NULL, DOCKET_TYPE_SIGN_IN_STEP,
                                             DOCKET_SIGN_IN_STEP_BADGE, ro);
  properties[PROP_BADGE] = g_param_spec_string ("badge", NULL, NULL, "", ro);
  properties[PROP_PIN_LENGTH]
      = g_param_spec_uint ("pin-length", NULL, NULL, 0, DOCKET_SIGN_IN_PIN_MAX_DIGITS, 0, ro);
  properties[PROP_DISPLAY] = g_param_spec_string ("display", NULL, NULL, "", ro);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, "", ro);
  properties[PROP_CONFIRM_LABEL] = g_param_spec_string ("confirm-label", NULL, NULL, "", ro);
  properties[PROP_BACK_LABEL] = g_param_spec_string ("back-label", NULL, NULL, "", ro);
  properties[PROP_CAN_CONFIRM] = g_param_spec_boolean ("can-confirm", NULL, NULL, FALSE, ro);
  properties[PROP_HAS_ERROR] = g_param_spec_boolean ("has-error", NULL, NULL, FALSE, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, "", ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DocketSignInModel::submit:
   * @badge: the badge number
   * @pin: the PIN, valid only during the emission and wiped right after
   *
   * The model is busy until docket_sign_in_model_fail () or
   * docket_sign_in_model_reset () is called.
   */
  signals[SIGNAL_SUBMIT] = g_signal_new (
      "submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
      G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
docket_sign_in_model_init (DocketSignInModel *self)
{
  self->error = g_strdup ("");
  changed (self);
}

DocketSignInModel *
docket_sign_in_model_new (void)
{
  return g_object_new (DOCKET_TYPE_SIGN_IN_MODEL, NULL);
}
