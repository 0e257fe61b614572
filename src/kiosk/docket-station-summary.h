/* docket-station-summary.h — IT's read-only station status, in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK-free wording of Session.GetStationStatus and Manager.GetStatus for the
 * IT page.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  gchar *version;
  guint cameras_known;
  guint recordings;
  guint64 free_bytes;
  guint64 total_bytes;
  GPtrArray *errors; /* DocketStationProblem, newest first */
} DocketStationSummary;

typedef struct
{
  gint64 time_usec;
  gchar *camera;
  gchar *problem;
} DocketStationProblem;

/* @status: a{sv} from GetStationStatus; unknown keys ignored, missing ones 0. */
DocketStationSummary *docket_station_summary_new (GVariant *status);
void docket_station_summary_free (DocketStationSummary *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketStationSummary, docket_station_summary_free)

/* "120 GB used of 500 GB" */
gchar *docket_station_summary_dup_storage (const DocketStationSummary *status);
/* "380 GB free" */
gchar *docket_station_summary_dup_free (const DocketStationSummary *status);
/* 0..1; 0 when the size is unknown. */
gdouble docket_station_summary_used_fraction (const DocketStationSummary *status);
/* TRUE when under 10 % is free: the page warns. */
gboolean docket_station_summary_low_space (const DocketStationSummary *status);
/* "Camera X6001234 · Fri 27 Nov, 14:03" */
gchar *docket_station_problem_dup_subtitle (const DocketStationProblem *error);

G_END_DECLS
