/* test-kiosk-sign-in.c — the sign-in keypad's view-model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-sign-in-model.h"

#define DOT "\xe2\x97\x8f"

typedef struct
{
  guint calls;
  gchar *badge;
  gchar *pin;
  gboolean busy_during;
} Submitted;

static void
submit_cb (DocketSignInModel *model, const gchar *badge, const gchar *pin, Submitted *s)
{
  s->calls++;
  g_free (s->badge);
  g_free (s->pin);
  s->badge = g_strdup (badge);
  s->pin = g_strdup (pin);
  s->busy_during = docket_sign_in_model_get_busy (model);
}

static void
type (DocketSignInModel *model, const gchar *digits)
{
  for (const gchar *p = digits; *p != '\0'; p++)
    docket_sign_in_model_press_digit (model, *p - '0');
}

static void
test_badge_step (void)
{
  g_autoptr (DocketSignInModel) model = docket_sign_in_model_new ();

  g_assert_cmpint (docket_sign_in_model_get_step (model), ==, DOCKET_SIGN_IN_STEP_BADGE);
  g_assert_cmpstr (docket_sign_in_model_get_prompt (model), ==, "Enter your badge number");
  g_assert_cmpstr (docket_sign_in_model_get_display (model), ==, "");
  g_assert_cmpstr (docket_sign_in_model_get_confirm_label (model), ==, "Next");
  g_assert_cmpstr (docket_sign_in_model_get_back_label (model), ==, "Clear");
  g_assert_false (docket_sign_in_model_get_can_confirm (model));

  /* Nothing to confirm yet: stays on the badge step. */
  docket_sign_in_model_confirm (model);
  g_assert_cmpint (docket_sign_in_model_get_step (model), ==, DOCKET_SIGN_IN_STEP_BADGE);

  type (model, "4711");
  g_assert_cmpstr (docket_sign_in_model_get_badge (model), ==, "4711");
  g_assert_cmpstr (docket_sign_in_model_get_display (model), ==, "4711");
  g_assert_true (docket_sign_in_model_get_can_confirm (model));

  docket_sign_in_model_backspace (model);
  g_assert_cmpstr (docket_sign_in_model_get_badge (model), ==, "471");

  /* Badge numbers are bounded; extra presses are ignored. */
  type (model, "123456789");
  g_assert_cmpstr (docket_sign_in_model_get_badge (model), ==, "4711234567");

  docket_sign_in_model_back (model);
  g_assert_cmpstr (docket_sign_in_model_get_badge (model), ==, "");
  docket_sign_in_model_backspace (model);
  g_assert_cmpstr (docket_sign_in_model_get_badge (model), ==, "");
}

static void
test_pin_step (void)
{
  g_autoptr (DocketSignInModel) model = docket_sign_in_model_new ();

  type (model, "4711");
  docket_sign_in_model_confirm (model);
  g_assert_cmpint (docket_sign_in_model_get_step (model), ==, DOCKET_SIGN_IN_STEP_PIN);
  g_assert_cmpstr (docket_sign_in_model_get_prompt (model), ==, "Enter the PIN for badge 4711");
  g_assert_cmpstr (docket_sign_in_model_get_confirm_label (model), ==, "Sign In");
  g_assert_cmpstr (docket_sign_in_model_get_back_label (model), ==, "Back");
  g_assert_cmpstr (docket_sign_in_model_get_display (model), ==, "");

  /* The PIN is never shown, only counted. */
  type (model, "123");
  g_assert_cmpstr (docket_sign_in_model_get_display (model), ==, DOT DOT DOT);
  g_assert_cmpuint (docket_sign_in_model_get_pin_length (model), ==, 3);
  g_assert_false (docket_sign_in_model_get_can_confirm (model));
  type (model, "4");
  g_assert_true (docket_sign_in_model_get_can_confirm (model));
  type (model, "5678901234567");
  g_assert_cmpuint (docket_sign_in_model_get_pin_length (model), ==, DOCKET_SIGN_IN_PIN_MAX_DIGITS);

  g_assert_cmpuint (DOCKET_SIGN_IN_PIN_MAX_DIGITS, ==, 12); /* as docketd enrols them */

  /* Back to the badge wipes the PIN but keeps the badge. */
  docket_sign_in_model_back (model);
  g_assert_cmpint (docket_sign_in_model_get_step (model), ==, DOCKET_SIGN_IN_STEP_BADGE);
  g_assert_cmpstr (docket_sign_in_model_get_badge (model), ==, "4711");
  g_assert_cmpuint (docket_sign_in_model_get_pin_length (model), ==, 0);
}

static void
test_submit_and_fail (void)
{
  g_autoptr (DocketSignInModel) model = docket_sign_in_model_new ();
  Submitted s = { 0 };

  g_signal_connect (model, "submit", G_CALLBACK (submit_cb), &s);
  type (model, "4711");
  docket_sign_in_model_confirm (model);
  type (model, "2468");
  docket_sign_in_model_confirm (model);

  g_assert_cmpuint (s.calls, ==, 1);
  g_assert_cmpstr (s.badge, ==, "4711");
  g_assert_cmpstr (s.pin, ==, "2468");
  g_assert_true (s.busy_during);

  /* Busy: input is ignored and nothing is submitted twice. */
  g_assert_true (docket_sign_in_model_get_busy (model));
  g_assert_false (docket_sign_in_model_get_can_confirm (model));
  type (model, "9");
  docket_sign_in_model_backspace (model);
  docket_sign_in_model_back (model);
  docket_sign_in_model_confirm (model);
  g_assert_cmpuint (s.calls, ==, 1);
  g_assert_cmpint (docket_sign_in_model_get_step (model), ==, DOCKET_SIGN_IN_STEP_PIN);

  /* Refused: a clear message, the PIN cleared for another try. */
  docket_sign_in_model_fail (model, "Wrong badge number or PIN");
  g_assert_false (docket_sign_in_model_get_busy (model));
  g_assert_cmpstr (docket_sign_in_model_get_error (model), ==, "Wrong badge number or PIN");
  g_assert_cmpuint (docket_sign_in_model_get_pin_length (model), ==, 0);
  g_assert_cmpstr (docket_sign_in_model_get_badge (model), ==, "4711");
  g_assert_cmpint (docket_sign_in_model_get_step (model), ==, DOCKET_SIGN_IN_STEP_PIN);

  /* Typing again clears the message. */
  type (model, "1");
  g_assert_cmpstr (docket_sign_in_model_get_error (model), ==, "");

  /* An empty message still says something. */
  type (model, "357");
  docket_sign_in_model_confirm (model);
  g_assert_cmpuint (s.calls, ==, 2);
  g_assert_cmpstr (s.pin, ==, "1357");
  docket_sign_in_model_fail (model, NULL);
  g_assert_cmpstr (docket_sign_in_model_get_error (model), ==, "Sign-in failed. Try again.");

  /* Success or idle timeout: everything forgotten. */
  docket_sign_in_model_reset (model);
  g_assert_cmpint (docket_sign_in_model_get_step (model), ==, DOCKET_SIGN_IN_STEP_BADGE);
  g_assert_cmpstr (docket_sign_in_model_get_badge (model), ==, "");
  g_assert_cmpstr (docket_sign_in_model_get_error (model), ==, "");
  g_assert_false (docket_sign_in_model_get_busy (model));

  g_free (s.badge);
  g_free (s.pin);
}

static void
count_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
test_notifies (void)
{
  g_autoptr (DocketSignInModel) model = docket_sign_in_model_new ();
  guint display = 0;
  guint can_confirm = 0;

  g_signal_connect (model, "notify::display", G_CALLBACK (count_notify), &display);
  g_signal_connect (model, "notify::can-confirm", G_CALLBACK (count_notify), &can_confirm);
  type (model, "12");
  g_assert_cmpuint (display, >=, 2);
  g_assert_cmpuint (can_confirm, >=, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk-sign-in/badge-step", test_badge_step);
  g_test_add_func ("/kiosk-sign-in/pin-step", test_pin_step);
  g_test_add_func ("/kiosk-sign-in/submit-and-fail", test_submit_and_fail);
  g_test_add_func ("/kiosk-sign-in/notifies", test_notifies);
  return g_test_run ();
}
