/* docket-card-transfer.c — a card's words for the offload: files, bytes, checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-card-transfer.h"

void
docket_card_offload_read (DocketDBusCamera *camera, DocketCardOffload *o)
{
  GVariant *dict = camera != NULL ? docket_dbus_camera_get_offload (camera) : NULL;

  memset (o, 0, sizeof *o);
  o->eta = -1;
  /* A daemon is input too: a wrong type is ignored, not trusted. */
  if (dict == NULL || !g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    return;
  g_variant_lookup (dict, "files-done", "u", &o->files_done);
  g_variant_lookup (dict, "files-total", "u", &o->files_total);
  g_variant_lookup (dict, "bytes-done", "t", &o->bytes_done);
  g_variant_lookup (dict, "bytes-total", "t", &o->bytes_total);
  g_variant_lookup (dict, "rate-bytes-per-second", "d", &o->rate);
  g_variant_lookup (dict, "eta-seconds", "i", &o->eta);
  g_variant_lookup (dict, "verified", "u", &o->verified);
  g_variant_lookup (dict, "quarantined", "u", &o->quarantined);
  o->files_done = MIN (o->files_done, o->files_total);
  o->bytes_done = MIN (o->bytes_done, o->bytes_total);
}

gdouble
docket_card_offload_fraction (const DocketCardOffload *o)
{
  if (o->bytes_total > 0)
    return (gdouble)o->bytes_done / (gdouble)o->bytes_total;
  if (o->files_total > 0)
    return (gdouble)o->files_done / (gdouble)o->files_total;
  return 0.0;
}

gchar *
docket_card_format_time_left (gint seconds)
{
  gint minutes;

  if (seconds < 0)
    return NULL;
  if (seconds < 60)
    return g_strdup (_ ("less than a minute left"));
  minutes = (seconds + 59) / 60;
  if (minutes < 60)
    return g_strdup_printf (ngettext ("about %d minute left", "about %d minutes left", minutes),
                            minutes);
  /* TRANSLATORS: hours and minutes, e.g. "about 1 h 05 min left" */
  return g_strdup_printf (_ ("about %d h %02d min left"), minutes / 60, minutes % 60);
}

gchar *
docket_card_format_files (const gchar *state, const DocketCardOffload *o)
{
  if (o->files_total > 0)
    return g_strdup_printf (
        ngettext ("%u of %u recording copied", "%u of %u recordings copied", o->files_total),
        o->files_done, o->files_total);
  if (g_strcmp0 (state, "done") == 0)
    return g_strdup (_ ("No new recordings on this camera"));
  return NULL;
}

gchar *
docket_card_format_transfer (const gchar *state, const DocketCardOffload *o)
{
  gboolean offloading = g_strcmp0 (state, "offloading") == 0;
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (o->bytes_total > 0)
    {
      g_autofree gchar *done = g_format_size (o->bytes_done);
      g_autofree gchar *total = g_format_size (o->bytes_total);

      /* TRANSLATORS: bytes copied so far, e.g. "1.2 GB of 3.4 GB" */
      g_ptr_array_add (parts, g_strdup_printf (_ ("%s of %s"), done, total));
    }
  if (offloading && o->rate > 0.0)
    {
      g_autofree gchar *rate = g_format_size ((guint64)o->rate);

      /* TRANSLATORS: transfer rate, e.g. "25.0 MB/s" */
      g_ptr_array_add (parts, g_strdup_printf (_ ("%s/s"), rate));
    }
  if (offloading && o->eta >= 0)
    g_ptr_array_add (parts, docket_card_format_time_left (o->eta));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (gchar **)parts->pdata);
}

gchar *
docket_card_format_verification (const gchar *state,
                                 const DocketCardOffload *o,
                                 gboolean failure_told,
                                 const gchar **out_icon)
{
  *out_icon = NULL;
  if (o->quarantined > 0 && failure_told && o->verified == 0)
    return NULL;
  if (o->quarantined > 0 && !failure_told)
    {
      *out_icon = "dialog-warning-symbolic";
      return g_strdup_printf (ngettext ("%u recording failed its check — kept on the "
                                        "camera for IT",
                                        "%u recordings failed their check — kept on the "
                                        "camera for IT",
                                        o->quarantined),
                              o->quarantined);
    }
  if (o->verified > 0)
    {
      *out_icon = "emblem-ok-symbolic";
      return g_strdup_printf (
          ngettext ("%u recording verified", "%u recordings verified", o->verified), o->verified);
    }
  *out_icon = "security-high-symbolic";
  if (g_strcmp0 (state, "offloading") == 0)
    return g_strdup (_ ("Each recording is checked as it arrives"));
  return NULL;
}
