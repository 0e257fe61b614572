/* test-sim-shift.c — the simulator's recordings make the incidents asked for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The start times docket-sim gives its generated recordings, grouped by the
 * station's own incident rule (docket_tags_group_incidents), as the
 * officer's tagging page shows them.
 */
#include "config.h"

#include "docket-sim-media.h"
#include "docket-tags.h"

#define NOW_USEC ((gint64)1700000000 * G_USEC_PER_SEC)

/* The sizes of the incidents @count recordings of @seconds each make,
 * newest first, e.g. "1 2". */
static gchar *
incident_sizes (guint count, guint n_incidents, guint seconds)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) incidents = NULL;
  g_autoptr (GString) sizes = g_string_new (NULL);

  /* Newest first, as the store lists them. */
  for (guint i = count; i-- > 0;)
    {
      DocketRecordingItem *item = g_new0 (DocketRecordingItem, 1);

      item->start_usec = docket_sim_media_shift_start (NOW_USEC, i, count, n_incidents, seconds);
      item->duration_ms = (guint64)seconds * 1000;
      /* Finished before the camera docks. */
      g_assert_cmpint (item->start_usec + (gint64)item->duration_ms * 1000, <, NOW_USEC);
      g_ptr_array_add (items, item);
    }
  incidents = docket_tags_group_incidents (items, DOCKET_INCIDENT_GAP_USEC);
  for (guint i = 0; i < incidents->len; i++)
    {
      DocketIncident *incident = g_ptr_array_index (incidents, i);

      g_string_append_printf (sizes, "%s%u", i > 0 ? " " : "", incident->items->len);
    }
  return g_string_free (g_steal_pointer (&sizes), FALSE);
}

static void
test_two_incidents (void)
{
  g_autofree gchar *demo = incident_sizes (3, 2, 10);
  g_autofree gchar *four = incident_sizes (4, 2, 2);
  g_autofree gchar *long_clips = incident_sizes (6, 2, 50);

  /* The demo's three recordings: an older pair, then one twenty minutes on. */
  g_assert_cmpstr (demo, ==, "1 2");
  g_assert_cmpstr (four, ==, "2 2");
  g_assert_cmpstr (long_clips, ==, "3 3");
}

static void
test_one_incident (void)
{
  g_autofree gchar *three = incident_sizes (3, 1, 2);
  g_autofree gchar *single = incident_sizes (1, 2, 2);
  g_autofree gchar *more_than_recordings = incident_sizes (2, 5, 2);

  g_assert_cmpstr (three, ==, "3");
  g_assert_cmpstr (single, ==, "1");
  g_assert_cmpstr (more_than_recordings, ==, "1 1");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim-shift/two-incidents", test_two_incidents);
  g_test_add_func ("/sim-shift/one-incident", test_one_incident);
  return g_test_run ();
}
