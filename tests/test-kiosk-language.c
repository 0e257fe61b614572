/* test-kiosk-language.c — docketd's texts on a camera card, in the kiosk's language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under LANGUAGE=es with the catalogue meson built (DOCKET_LOCALEDIR),
 * as a Spanish kiosk does against an English docketd: the camera's
 * texts arrive in English, with Camera.Messages beside them.
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>

#include "docket-card-model.h"
#include "docket-message.h"

#define NBSP "\xc2\xa0"

static gchar *
plain (const gchar *text)
{
  GString *s = g_string_new (text);

  g_string_replace (s, NBSP, " ", 0);
  return g_string_free (s, FALSE);
}

static DocketDBusCamera *
make_camera (const gchar *state)
{
  DocketDBusCamera *camera = docket_dbus_camera_skeleton_new ();

  docket_dbus_camera_set_model (camera, "BodyCam 3");
  docket_dbus_camera_set_serial (camera, "X6001234");
  docket_dbus_camera_set_slot (camera, "1-2");
  docket_dbus_camera_set_state (camera, state);
  docket_dbus_camera_set_battery_percent (camera, 64);
  docket_dbus_camera_set_charging_state (camera, "not-charging");
  return camera;
}

static void
set_messages (DocketDBusCamera *camera, const gchar *key, GVariant *value)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, docket_dbus_camera_get_messages (camera));
  g_variant_dict_insert_value (&dict, key, value);
  docket_dbus_camera_set_messages (camera, g_variant_dict_end (&dict));
}

static void
test_message_render (void)
{
  g_autoptr (GVariant) m = g_variant_ref_sink (
      docket_message_new ("%s: %.0f °C, %lld, %u %%, %x", "Cam", 44.6, 12345678901LL, 7u, 255u));
  g_autoptr (GVariant) hostile
      = g_variant_ref_sink (g_variant_new_parsed ("('%s and %s and %n', '', uint64 0, ['one'])"));
  g_autoptr (GVariant) reordered = g_variant_ref_sink (
      g_variant_new_parsed ("('%2$s before %1$s', '', uint64 0, ['a', 'b'])"));
  g_autofree gchar *text = docket_message_format (m, FALSE);
  g_autofree gchar *reordered_text = docket_message_format (reordered, FALSE);

  g_assert_cmpstr (text, ==, "Cam: 45 °C, 12345678901, 7 %, ff");
  /* Input, never trusted: a conversion without its text is refused. */
  g_assert_null (docket_message_format (hostile, TRUE));
  g_assert_cmpstr (reordered_text, ==, "b before a");
  g_assert_null (docket_message_format (NULL, TRUE));
}

/* A problem without arguments: its English text is its msgid. */
static void
test_problem (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("offloading");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);

  docket_dbus_camera_set_problem (camera, "A media check stopped answering and was stopped; the "
                                          "offload goes on and IT has been told");
  g_assert_cmpstr (docket_card_model_get_problem_text (model), ==,
                   "Una comprobación multimedia dejó de responder y se detuvo; la descarga "
                   "continúa y se ha avisado a TI");
  /* Words the catalogue does not know stay as docketd wrote them. */
  docket_dbus_camera_set_problem (camera, "Recording 7 failed its check");
  g_assert_cmpstr (docket_card_model_get_problem_text (model), ==, "Recording 7 failed its check");
}

#define ONE "%u recording failed verification and was kept on the camera; IT has been alerted"
#define MANY "%u recordings failed verification and were kept on the camera; IT has been alerted"

/* An offload problem with plural forms picks the kiosk's own form for its
 * count, from Camera.Messages; Problem stays in docketd's English. */
static void
test_plural_problem (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("faulty");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);
  g_autoptr (GVariant) english = NULL;
  g_autofree gchar *english_text = NULL;
  static const struct
  {
    guint n;
    const gchar *english;
    const gchar *spanish;
  } cases[] = {
    { 1, "1 recording failed verification and was kept on the camera; IT has been alerted",
      "1 grabación no superó la verificación y se conservó en la cámara; se ha avisado a "
      "Informática" },
    { 3, "3 recordings failed verification and were kept on the camera; IT has been alerted",
      "3 grabaciones no superaron la verificación y se conservaron en la cámara; se ha avisado "
      "a Informática" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      docket_dbus_camera_set_problem (camera, cases[i].english);
      set_messages (camera, "problem",
                    docket_message_new_plural (ONE, MANY, cases[i].n, cases[i].n));
      g_assert_cmpstr (docket_card_model_get_problem_text (model), ==, cases[i].spanish);
    }

  /* Untranslated, the count picks the English form. */
  english = g_variant_ref_sink (docket_message_new_plural (ONE, MANY, 3, 3u));
  english_text = docket_message_format (english, FALSE);
  g_assert_cmpstr (english_text, ==,
                   "3 recordings failed verification and were kept on the camera; IT has been "
                   "alerted");
}

/* Texts with arguments come through Camera.Messages. */
static void
test_charge_and_firmware (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("done");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);
  g_autofree gchar *note = NULL;
  g_autofree gchar *firmware = NULL;
  g_autofree gchar *alert = NULL;
  g_autofree gchar *summary = NULL;
  GVariantBuilder alerts;

  docket_dbus_camera_set_charge_note (camera, "Held at this model's limit of 90 %.");
  set_messages (camera, "charge-note",
                docket_message_new (N_ ("Held at this model's limit of %u %%."), 90));
  note = plain (docket_card_model_get_charge_note (model));
  g_assert_cmpstr (note, ==, "Mantenida en el límite de este modelo, 90 %.");

  docket_dbus_camera_set_firmware_update (camera, "Updating firmware to 2.1.0: 42 %");
  set_messages (camera, "firmware-update",
                docket_message_new (N_ ("Updating firmware to %s: %u %%"), "2.1.0", 42));
  firmware = plain (docket_card_model_get_firmware_text (model));
  g_assert_cmpstr (firmware, ==, "Actualizando el firmware a 2.1.0: 42 %");

  {
    const gchar *const english[] = { "Battery too hot: 47 °C (limit 45 °C).", NULL };

    docket_dbus_camera_set_alerts (camera, english);
  }
  g_variant_builder_init (&alerts, DOCKET_MESSAGE_LIST_TYPE);
  g_variant_builder_add_value (&alerts, docket_message_new (N_ ("Battery too hot: %.0f °C (limit "
                                                                "%u °C)."),
                                                            47.2, 45u));
  set_messages (camera, "alerts", g_variant_builder_end (&alerts));
  alert = plain (docket_card_model_get_alerts (model)[0]);
  g_assert_cmpstr (alert, ==, "Batería demasiado caliente: 47 °C (límite 45 °C).");
  summary = plain (docket_card_model_get_accessible_summary (model));
  g_assert_nonnull (strstr (summary, "Batería demasiado caliente"));

  /* A list that does not match the lines is not trusted: the English stays. */
  {
    const gchar *const two[] = { "Battery too hot: 47 °C (limit 45 °C).", "Worn battery.", NULL };

    docket_dbus_camera_set_alerts (camera, two);
    g_clear_pointer (&alert, g_free);
    alert = plain (docket_card_model_get_alerts (model)[0]);
    g_assert_cmpstr (alert, ==, "Battery too hot: 47 °C (limit 45 °C).");
  }
}

/* The policy check's problems, from PolicyDetails.problem-messages. */
static void
test_policy_problem (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("done");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);
  GVariantBuilder messages = G_VARIANT_BUILDER_INIT (DOCKET_MESSAGE_LIST_TYPE);
  GVariantDict details;
  g_autofree gchar *text = NULL;

  g_variant_builder_add_value (
      &messages, docket_message_new (N_ ("its clock is %.1f s off and was not set"), 1.4));
  g_variant_dict_init (&details, NULL);
  g_variant_dict_insert (&details, "problem", "s", "its clock is 1.4 s off and was not set");
  g_variant_dict_insert_value (&details, "problem-messages", g_variant_builder_end (&messages));
  docket_dbus_camera_set_policy_details (camera, g_variant_dict_end (&details));
  docket_dbus_camera_set_policy_state (camera, "non-compliant");
  text = plain (docket_card_model_get_policy_text (model));
  g_assert_cmpstr (text, ==, "Su reloj tiene un desfase de 1.4 s y no se ajustó");
}

int
main (int argc, char **argv)
{
  const gchar *localedir = g_getenv ("DOCKET_LOCALEDIR");

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  if (localedir == NULL)
    {
      g_printerr ("DOCKET_LOCALEDIR is not set\n");
      return 1;
    }
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* The catalogue must really answer, or every test below proves nothing. */
  if (g_strcmp0 (_ ("Docked"), "Docked") == 0)
    {
      g_printerr ("the Spanish catalogue did not load (LANGUAGE=es, %s)\n", localedir);
      return 1;
    }

  g_test_add_func ("/kiosk-language/message-render", test_message_render);
  g_test_add_func ("/kiosk-language/problem", test_problem);
  g_test_add_func ("/kiosk-language/plural-problem", test_plural_problem);
  g_test_add_func ("/kiosk-language/charge-and-firmware", test_charge_and_firmware);
  g_test_add_func ("/kiosk-language/policy-problem", test_policy_problem);
  return g_test_run ();
}
