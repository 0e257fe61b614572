/* docket-card-charge.c — a card's words for charging, readiness and holders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "docket-card-charge.h"

static gboolean
is_empty (const gchar *s)
{
  return s == NULL || *s == '\0';
}

gchar *
docket_card_format_battery (gint percent, const gchar *charging, gdouble celsius, gchar **out_icon)
{
  g_autofree gchar *temperature = docket_card_format_temperature (celsius);
  gchar *text;
  gint level;

  if (percent < 0 || percent > 100)
    {
      *out_icon = g_strdup ("battery-missing-symbolic");
      return g_strdup (_ ("Battery level unknown"));
    }

  level = MIN (100, ((percent + 5) / 10) * 10);
  if (g_strcmp0 (charging, "full") == 0)
    {
      /* TRANSLATORS: battery charge in percent and whether it charges */
      text = g_strdup_printf (_ ("%d %% · full"), percent);
      *out_icon = g_strdup ("battery-level-100-charged-symbolic");
    }
  else if (g_strcmp0 (charging, "charging") == 0)
    {
      text = g_strdup_printf (_ ("%d %% · charging"), percent);
      *out_icon = g_strdup_printf ("battery-level-%d-charging-symbolic", level);
    }
  else
    {
      if (g_strcmp0 (charging, "not-charging") == 0)
        text = g_strdup_printf (_ ("%d %% · not charging"), percent);
      else if (g_strcmp0 (charging, "discharging") == 0)
        text = g_strdup_printf (_ ("%d %% · on battery"), percent);
      else
        text = g_strdup_printf (_ ("%d %%"), percent);
      *out_icon = g_strdup_printf ("battery-level-%d-symbolic", level);
    }
  if (temperature != NULL)
    {
      gchar *with_temperature = g_strdup_printf ("%s · %s", text, temperature);

      g_free (text);
      text = with_temperature;
    }
  return text;
}

gchar *
docket_card_format_ready (gint battery_percent,
                          gboolean ready_for_shift,
                          gint ready_in_seconds,
                          const gchar **out_icon)
{
  gint minutes;

  *out_icon = "alarm-symbolic";
  if (battery_percent < 0 || battery_percent > 100)
    return NULL;
  if (ready_for_shift)
    {
      *out_icon = "emblem-ok-symbolic";
      return g_strdup (_ ("Ready for shift"));
    }
  /* 0 without ReadyForShift: the daemon has not judged yet (or predates
   * charging); better no line than a wrong one. */
  if (ready_in_seconds == 0)
    return NULL;
  /* -1: no estimate; days away is a trickle, not a promise. */
  if (ready_in_seconds < 0 || ready_in_seconds > 48 * 3600)
    return g_strdup (_ ("Not ready for shift yet"));
  if (ready_in_seconds < 60)
    return g_strdup (_ ("Ready in less than a minute"));
  minutes = (ready_in_seconds + 59) / 60;
  if (minutes < 60)
    /* TRANSLATORS: minutes until a charging camera reaches the shift's battery level */
    return g_strdup_printf (_ ("Ready in about %d min"), minutes);
  /* TRANSLATORS: hours and minutes until the camera is charged for a shift */
  return g_strdup_printf (_ ("Ready in about %d h %02d min"), minutes / 60, minutes % 60);
}

gchar *
docket_card_format_temperature (gdouble celsius)
{
  /* 0.0 is what a camera without a sensor reports. */
  if (!isfinite (celsius) || celsius == 0.0 || celsius < -60.0 || celsius > 200.0)
    return NULL;
  /* TRANSLATORS: a battery temperature in degrees Celsius */
  return g_strdup_printf (_ ("%.0f °C"), celsius);
}

gchar *
docket_card_format_health (gint health_percent, const gchar **out_icon)
{
  /* Only a hint: the daemon's alerts say when the policy's minimum is missed. */
  *out_icon = health_percent >= 80 ? "battery-good-symbolic" : "battery-caution-symbolic";
  /* 0 is what a daemon without battery reports leaves; no battery holds 0 %. */
  if (health_percent <= 0 || health_percent >= 100)
    return NULL;
  /* TRANSLATORS: how much of its design capacity the battery still holds */
  return g_strdup_printf (_ ("Battery health %d %%"), health_percent);
}

gchar *
docket_card_format_person (DocketNameBook *book, const gchar *badge)
{
  const gchar *name = book != NULL ? docket_name_book_lookup (book, badge) : NULL;

  if (!is_empty (name))
    /* TRANSLATORS: an officer's name and badge number, e.g. "Officer Ana Díaz (1234)" */
    return g_strdup_printf (_ ("Officer %s (%s)"), name, badge);
  /* TRANSLATORS: an officer's badge number */
  return g_strdup_printf (_ ("Officer %s"), badge);
}

gchar *
docket_card_format_holder (DocketNameBook *book,
                           gboolean pooled,
                           const gchar *holder,
                           const gchar *officer,
                           gboolean ready,
                           gint ready_in_seconds)
{
  g_autofree gchar *person = NULL;

  if (!is_empty (holder))
    {
      person = docket_card_format_person (book, holder);
      /* TRANSLATORS: %s is "Officer Ana Díaz (1234)" or "Officer 1234" */
      return g_strdup_printf (pooled ? _ ("Checked out to %s") : _ ("Assigned to %s"), person);
    }
  /* Available only when it could be checked out now; otherwise the same
   * estimate as the check-out's refusal (ReadyInSeconds, rounded up). */
  if (pooled && ready)
    return g_strdup (_ ("Pool camera — available"));
  if (pooled && ready_in_seconds > 0 && ready_in_seconds <= 48 * 3600)
    /* TRANSLATORS: a pool camera still charging; minutes until it can be checked out */
    return g_strdup_printf (_ ("Pool camera — charging: ready in about %d min"),
                            (ready_in_seconds + 59) / 60);
  if (pooled)
    return g_strdup (_ ("Pool camera — charging, not ready yet"));
  if (!is_empty (officer))
    return docket_card_format_person (book, officer);
  return g_strdup (_ ("Unassigned camera"));
}

gchar *
docket_card_format_check_out (const gchar *slot, const gchar *serial)
{
  /* TRANSLATORS: after a check-out: the dock slot, then the camera's serial number */
  return g_strdup_printf (_ ("Take the camera from slot %s (serial %s)."), slot, serial);
}
