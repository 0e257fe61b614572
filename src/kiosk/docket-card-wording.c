/* docket-card-wording.c — a card's words for the camera's state and its policy check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-card-wording.h"
#include "docket-message.h"

static gboolean
is_empty (const gchar *s)
{
  return s == NULL || *s == '\0';
}

const gchar *
docket_card_state_text (const gchar *state,
                        guint quarantined,
                        const gchar **out_icon,
                        DocketCardTone *out_tone)
{
  const gchar *text;
  const gchar *icon;
  DocketCardTone tone;

  if (g_strcmp0 (state, "identifying") == 0)
    {
      text = _ ("Identifying the camera…");
      icon = "content-loading-symbolic";
      tone = DOCKET_CARD_TONE_BUSY;
    }
  else if (g_strcmp0 (state, "idle") == 0)
    {
      text = _ ("Docked");
      icon = "camera-video-symbolic";
      tone = DOCKET_CARD_TONE_NEUTRAL;
    }
  else if (g_strcmp0 (state, "offloading") == 0)
    {
      text = _ ("Copying recordings");
      icon = "folder-download-symbolic";
      tone = DOCKET_CARD_TONE_BUSY;
    }
  else if (g_strcmp0 (state, "done") == 0 && quarantined > 0)
    {
      text = _ ("Copied, but some recordings need a check");
      icon = "dialog-warning-symbolic";
      tone = DOCKET_CARD_TONE_WARNING;
    }
  else if (g_strcmp0 (state, "done") == 0)
    {
      text = _ ("Done: all recordings safe");
      icon = "emblem-ok-symbolic";
      tone = DOCKET_CARD_TONE_GOOD;
    }
  else if (g_strcmp0 (state, "faulty") == 0)
    {
      text = _ ("Needs attention");
      icon = "dialog-error-symbolic";
      tone = DOCKET_CARD_TONE_ERROR;
    }
  else
    {
      text = _ ("State unknown");
      icon = "dialog-question-symbolic";
      tone = DOCKET_CARD_TONE_NEUTRAL;
    }

  *out_icon = icon;
  *out_tone = tone;
  return text;
}

/* PolicyState and PolicyDetails.problem: what the dock did to the camera's
 * settings, in words for the officer and for IT. */
const gchar *
docket_card_policy_text (const gchar *state, const gchar *problem, const gchar **out_icon)
{
  const gchar *text = NULL;
  const gchar *icon = "emblem-system-symbolic";

  if (g_strcmp0 (state, "checking") == 0)
    {
      text = _ ("Checking the camera’s settings…");
      icon = "content-loading-symbolic";
    }
  else if (g_strcmp0 (state, "compliant") == 0)
    {
      text = _ ("Settings match the policy");
      icon = "emblem-ok-symbolic";
    }
  else if (g_strcmp0 (state, "changed") == 0)
    {
      text = _ ("Settings corrected to match the policy");
      icon = "emblem-ok-symbolic";
    }
  else if (g_strcmp0 (state, "non-compliant") == 0)
    {
      text = !is_empty (problem) ? problem : _ ("Settings differ from the policy — IT must check");
      icon = "dialog-warning-symbolic";
    }
  else if (g_strcmp0 (state, "failed") == 0)
    {
      text = !is_empty (problem) ? problem : _ ("Could not check the camera’s settings");
      icon = "dialog-warning-symbolic";
    }
  else if (g_strcmp0 (state, "no-policy") == 0)
    {
      text = _ ("No device policy is set");
      icon = "dialog-information-symbolic";
    }
  /* "unknown", empty or newer states: nothing worth a line yet. */

  *out_icon = icon;
  return text;
}

gchar *
docket_card_sentence (const gchar *text)
{
  const gchar *rest;
  gchar first[8] = { 0 };

  if (text == NULL || *text == '\0' || !g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  rest = g_utf8_next_char (text);
  g_unichar_to_utf8 (g_unichar_totitle (g_utf8_get_char (text)), first);
  return g_strconcat (first, rest, NULL);
}

const gchar *
docket_station_clock_note (GListModel *cameras)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (cameras), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (cameras); i++)
    {
      g_autoptr (DocketDBusCamera) camera = g_list_model_get_item (cameras, i);
      GVariant *details
          = DOCKET_DBUS_IS_CAMERA (camera) ? docket_dbus_camera_get_policy_details (camera) : NULL;
      const gchar *sync = NULL;

      if (details != NULL && g_variant_is_of_type (details, G_VARIANT_TYPE_VARDICT)
          && g_variant_lookup (details, "clock-sync", "&s", &sync)
          && g_strcmp0 (sync, "synchronised") != 0)
        return _ ("This kiosk cannot confirm its own clock");
    }
  return NULL;
}

/* Units a number may stand before on a card, longest first where one
 * starts another. */
static const gchar *const units[]
    = { "%", "°C", "°F", "ms", "s", "min", "h", "kB", "MB", "GB", "TB", "MB/s", NULL };

/* TRUE when a whole unit starts at @p: it ends the text or a word there. */
static gboolean
unit_at (const gchar *p)
{
  for (guint i = 0; units[i] != NULL; i++)
    {
      gsize len = strlen (units[i]);

      if (strncmp (p, units[i], len) == 0 && !g_ascii_isalnum (p[len]))
        return TRUE;
    }
  return FALSE;
}

gchar *
docket_text_bind_units (gchar *text)
{
  g_autofree gchar *owned = text;
  GString *bound;

  if (owned == NULL)
    return NULL;
  bound = g_string_sized_new (strlen (owned) + 8);
  for (const gchar *p = owned; *p != '\0'; p++)
    {
      /* U+00A0: GTK never breaks a line there. */
      if (*p == ' ' && p > owned && g_ascii_isdigit (p[-1]) && unit_at (p + 1))
        g_string_append (bound, "\u00A0");
      else
        g_string_append_c (bound, *p);
    }
  return g_string_free (bound, FALSE);
}

/* An older or a non-English docketd sends no message: its text is then a
 * msgid only if it has no arguments, and only then does the catalogue know
 * it; anything else comes back unchanged. */
static gchar *
plain_text (const gchar *text)
{
  if (is_empty (text))
    return g_strdup ("");
  return g_strdup (g_dgettext (GETTEXT_PACKAGE, text));
}

gchar *
docket_card_daemon_text (DocketDBusCamera *camera, const gchar *key, const gchar *text)
{
  GVariant *messages = camera != NULL ? docket_dbus_camera_get_messages (camera) : NULL;
  g_autoptr (GVariant) message = NULL;
  gchar *translated = NULL;

  if (messages != NULL && g_variant_is_of_type (messages, G_VARIANT_TYPE_VARDICT))
    message = g_variant_lookup_value (messages, key, DOCKET_MESSAGE_TYPE);
  if (message != NULL)
    translated = docket_message_format (message, TRUE);
  return translated != NULL ? translated : plain_text (text);
}

GStrv
docket_card_daemon_texts (DocketDBusCamera *camera, const gchar *key, const gchar *const *texts)
{
  GVariant *messages = camera != NULL ? docket_dbus_camera_get_messages (camera) : NULL;
  g_autoptr (GVariant) list = NULL;
  guint n = texts != NULL ? g_strv_length ((gchar **)texts) : 0;
  GStrv out = g_new0 (gchar *, n + 1);

  if (messages != NULL && g_variant_is_of_type (messages, G_VARIANT_TYPE_VARDICT))
    list = g_variant_lookup_value (messages, key, DOCKET_MESSAGE_LIST_TYPE);
  /* Only a list that matches the texts line for line stands in for them. */
  if (list != NULL && g_variant_n_children (list) != n)
    g_clear_pointer (&list, g_variant_unref);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GVariant) message = list != NULL ? g_variant_get_child_value (list, i) : NULL;

      out[i] = message != NULL ? docket_message_format (message, TRUE) : NULL;
      if (out[i] == NULL)
        out[i] = plain_text (texts[i]);
    }
  return out;
}

gchar *
docket_card_policy_problem (GVariant *details)
{
  const gchar *problem = NULL;
  g_autoptr (GVariant) list = NULL;
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  gsize n;

  if (details == NULL || !g_variant_is_of_type (details, G_VARIANT_TYPE_VARDICT))
    return NULL;
  g_variant_lookup (details, "problem", "&s", &problem);
  list = g_variant_lookup_value (details, "problem-messages", DOCKET_MESSAGE_LIST_TYPE);
  n = list != NULL ? g_variant_n_children (list) : 0;
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) message = g_variant_get_child_value (list, i);
      gchar *part = docket_message_format (message, TRUE);

      if (part == NULL)
        return plain_text (problem);
      g_ptr_array_add (parts, part);
    }
  if (n == 0)
    return plain_text (problem);
  g_ptr_array_add (parts, NULL);
  /* The separator docketd joins them with. */
  return g_strjoinv ("; ", (gchar **)parts->pdata);
}
