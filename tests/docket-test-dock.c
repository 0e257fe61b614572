/* docket-test-dock.c — what a DocketDock announced and audited, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-test-dock.h"

static void
event_cb (DocketDock *dock,
          const gchar *kind,
          DocketCamera *camera,
          const gchar *message,
          GVariant *details,
          GPtrArray *events)
{
  g_test_message ("event %s: %s", kind, message);
  g_ptr_array_add (
      events,
      g_strdup_printf ("%s %s", kind, camera != NULL ? docket_camera_get_serial (camera) : "-"));
}

GPtrArray *
docket_test_dock_record_events (DocketDock *dock)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect_data (dock, "event", G_CALLBACK (event_cb), g_ptr_array_ref (events),
                         (GClosureNotify)(void (*) (void))g_ptr_array_unref, 0);
  return events;
}

gint
docket_test_event_index (GPtrArray *events, const gchar *kind, const gchar *serial)
{
  g_autofree gchar *wanted = g_strdup_printf ("%s %s", kind, serial);

  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (g_ptr_array_index (events, i), wanted) == 0)
      return (gint)i;
  return -1;
}

guint
docket_test_count_events (GPtrArray *events, const gchar *kind, const gchar *serial)
{
  g_autofree gchar *wanted = g_strdup_printf ("%s %s", kind, serial);
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    n += g_strcmp0 (g_ptr_array_index (events, i), wanted) == 0;
  return n;
}

guint
docket_test_count_audit (DocketEvidenceStore *store, const gchar *action, const gchar *serial)
{
  g_autofree gchar *subject = g_strconcat ("camera:", serial, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows
      = docket_audit_log_list (docket_evidence_store_get_audit_log (store), 0, 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      DocketAuditEntry *row = g_ptr_array_index (rows, i);

      n += g_strcmp0 (row->action, action) == 0 && g_strcmp0 (row->subject, subject) == 0;
    }
  return n;
}
