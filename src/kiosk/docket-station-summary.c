/* docket-station-summary.c — IT's read-only station status, in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-review-item.h"
#include "docket-station-summary.h"

static void
station_error_free (DocketStationProblem *error)
{
  g_free (error->camera);
  g_free (error->problem);
  g_free (error);
}

DocketStationSummary *
docket_station_summary_new (GVariant *status)
{
  g_autoptr (GVariantDict) dict = NULL;
  g_autoptr (GVariant) errors = NULL;
  DocketStationSummary *self;
  const gchar *version = NULL;

  g_return_val_if_fail (g_variant_is_of_type (status, G_VARIANT_TYPE_VARDICT), NULL);

  dict = g_variant_dict_new (status);
  self = g_new0 (DocketStationSummary, 1);
  self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify)station_error_free);
  if (g_variant_dict_lookup (dict, "version", "&s", &version))
    self->version = g_strdup (version);
  g_variant_dict_lookup (dict, "cameras-known", "u", &self->cameras_known);
  g_variant_dict_lookup (dict, "recordings", "u", &self->recordings);
  g_variant_dict_lookup (dict, "store-free-bytes", "t", &self->free_bytes);
  g_variant_dict_lookup (dict, "store-total-bytes", "t", &self->total_bytes);
  errors = g_variant_dict_lookup_value (dict, "recent-errors", G_VARIANT_TYPE ("a(xss)"));
  if (errors != NULL)
    {
      GVariantIter iter;
      gint64 time_usec;
      const gchar *camera, *problem;

      g_variant_iter_init (&iter, errors);
      while (g_variant_iter_next (&iter, "(x&s&s)", &time_usec, &camera, &problem))
        {
          DocketStationProblem *error = g_new0 (DocketStationProblem, 1);

          error->time_usec = time_usec;
          error->camera = g_strdup (camera);
          error->problem = g_strdup (problem);
          g_ptr_array_add (self->errors, error);
        }
    }
  return self;
}

void
docket_station_summary_free (DocketStationSummary *status)
{
  if (status == NULL)
    return;
  g_free (status->version);
  g_ptr_array_unref (status->errors);
  g_free (status);
}

gchar *
docket_station_summary_dup_storage (const DocketStationSummary *status)
{
  g_autofree gchar *used = NULL;
  g_autofree gchar *total = NULL;

  if (status->total_bytes == 0)
    return g_strdup (_ ("Size unknown"));
  used = g_format_size (status->total_bytes - MIN (status->free_bytes, status->total_bytes));
  total = g_format_size (status->total_bytes);
  /* TRANSLATORS: storage, e.g. "120 GB used of 500 GB" */
  return g_strdup_printf (_ ("%s used of %s"), used, total);
}

gchar *
docket_station_summary_dup_free (const DocketStationSummary *status)
{
  g_autofree gchar *free_text = g_format_size (status->free_bytes);

  /* TRANSLATORS: free storage, e.g. "380 GB free" */
  return g_strdup_printf (_ ("%s free"), free_text);
}

gdouble
docket_station_summary_used_fraction (const DocketStationSummary *status)
{
  if (status->total_bytes == 0)
    return 0.0;
  return (gdouble)(status->total_bytes - MIN (status->free_bytes, status->total_bytes))
         / (gdouble)status->total_bytes;
}

gboolean
docket_station_summary_low_space (const DocketStationSummary *status)
{
  return status->total_bytes > 0 && status->free_bytes < status->total_bytes / 10;
}

gchar *
docket_station_problem_dup_subtitle (const DocketStationProblem *error)
{
  g_autofree gchar *when = docket_review_format_time (error->time_usec);

  if (error->camera == NULL || *error->camera == '\0')
    return g_steal_pointer (&when);
  /* TRANSLATORS: a recent error's camera serial and time */
  return g_strdup_printf (_ ("Camera %s · %s"), error->camera, when);
}
