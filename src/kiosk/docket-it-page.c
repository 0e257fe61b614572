/* docket-it-page.c — IT's read-only view of the station
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Session.GetStationStatus, worded by docket-station-summary.c,
 * Session.GetRetention's forecast and the department upload's one line
 * (Manager.Upstream, kept live). IT sees no footage, so nothing here opens
 * a recording.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "docket-it-page.h"
#include "docket-station-summary.h"

struct _DocketItPage
{
  GtkWidget parent_instance;

  /* template widgets */
  AdwActionRow *version_row;
  AdwActionRow *cameras_row;
  AdwActionRow *recordings_row;
  AdwActionRow *storage_row;
  GtkLevelBar *storage_bar;
  AdwActionRow *free_row;
  AdwActionRow *due_row;
  AdwActionRow *next_purge_row;
  AdwActionRow *held_row;
  AdwActionRow *lasts_row;
  AdwActionRow *upstream_row;
  AdwPreferencesGroup *errors_group;
  GtkWidget *no_errors_row;

  /* owned */
  DocketDBusSession *session;
  DocketDBusManager *manager;
  GCancellable *cancellable;
  GPtrArray *error_rows; /* borrowed from errors_group */
};

G_DEFINE_FINAL_TYPE (DocketItPage, docket_it_page, GTK_TYPE_WIDGET)

static void
set_subtitle_number (AdwActionRow *row, guint number)
{
  g_autofree gchar *text = g_strdup_printf ("%u", number);

  adw_action_row_set_subtitle (row, text);
}

static void
clear_error_rows (DocketItPage *self)
{
  for (guint i = 0; i < self->error_rows->len; i++)
    adw_preferences_group_remove (self->errors_group, g_ptr_array_index (self->error_rows, i));
  g_ptr_array_set_size (self->error_rows, 0);
}

static void
show_status (DocketItPage *self, const DocketStationSummary *status)
{
  g_autofree gchar *storage = docket_station_summary_dup_storage (status);
  g_autofree gchar *free_text = docket_station_summary_dup_free (status);

  adw_action_row_set_subtitle (self->version_row,
                               status->version != NULL ? status->version : _ ("Unknown"));
  set_subtitle_number (self->cameras_row, status->cameras_known);
  set_subtitle_number (self->recordings_row, status->recordings);
  adw_action_row_set_subtitle (self->storage_row, storage);
  gtk_level_bar_set_value (self->storage_bar, docket_station_summary_used_fraction (status));
  adw_action_row_set_subtitle (self->free_row, free_text);
  if (docket_station_summary_low_space (status))
    gtk_widget_add_css_class (GTK_WIDGET (self->free_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->free_row), "error");

  clear_error_rows (self);
  gtk_widget_set_visible (self->no_errors_row, status->errors->len == 0);
  for (guint i = 0; i < status->errors->len; i++)
    {
      const DocketStationProblem *error = g_ptr_array_index (status->errors, i);
      g_autofree gchar *subtitle = docket_station_problem_dup_subtitle (error);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), error->problem);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "dialog-warning-symbolic");
      adw_preferences_group_add (self->errors_group, row);
      g_ptr_array_add (self->error_rows, row);
    }
}

static void
status_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DocketItPage) self = user_data;
  g_autoptr (GVariant) status = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStationSummary) parsed = NULL;

  if (!docket_dbus_session_call_get_station_status_finish (DOCKET_DBUS_SESSION (source), &status,
                                                           result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_dbus_error_strip_remote_error (error);
      adw_action_row_set_subtitle (self->version_row, error->message);
      return;
    }
  parsed = docket_station_summary_new (status);
  show_status (self, parsed);
}

static gchar *
format_day (gint64 usec)
{
  g_autoptr (GDateTime) utc
      = usec > 0 ? g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC) : NULL;
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d") : g_strdup (_ ("None scheduled"));
}

/* Session.GetRetention: what may go, when, and whether the disk fills first. */
static void
retention_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DocketItPage) self = user_data;
  g_autoptr (GVariant) forecast = NULL;
  g_autoptr (GError) error = NULL;
  guint32 due = 0, held = 0;
  guint64 due_bytes = 0, intake = 0, free_bytes = 0;
  gint64 next = 0, full = 0;
  gboolean warn = FALSE;
  g_autofree gchar *due_size = NULL;
  g_autofree gchar *due_text = NULL;
  g_autofree gchar *next_text = NULL;
  g_autofree gchar *held_text = NULL;
  g_autofree gchar *lasts_text = NULL;

  if (!docket_dbus_session_call_get_retention_finish (DOCKET_DBUS_SESSION (source), &forecast,
                                                      result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_dbus_error_strip_remote_error (error);
      adw_action_row_set_subtitle (self->due_row, error->message);
      return;
    }
  (void)g_variant_lookup (forecast, "due-count", "u", &due);
  (void)g_variant_lookup (forecast, "due-bytes", "t", &due_bytes);
  (void)g_variant_lookup (forecast, "held", "u", &held);
  (void)g_variant_lookup (forecast, "next-purge-usec", "x", &next);
  (void)g_variant_lookup (forecast, "intake-bytes-per-day", "t", &intake);
  (void)g_variant_lookup (forecast, "free-bytes", "t", &free_bytes);
  (void)g_variant_lookup (forecast, "full-usec", "x", &full);
  (void)g_variant_lookup (forecast, "full-before-purge", "b", &warn);

  due_size = g_format_size (due_bytes);
  due_text = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u recording (%s)", "%u recordings (%s)", due), due, due_size);
  adw_action_row_set_subtitle (self->due_row, due_text);
  next_text = format_day (next);
  adw_action_row_set_subtitle (self->next_purge_row, next_text);
  held_text = g_strdup_printf ("%u", held);
  adw_action_row_set_subtitle (self->held_row, held_text);
  if (intake == 0)
    lasts_text = g_strdup (_ ("No footage came in over the last 30 days"));
  else if (full == 0)
    lasts_text = g_strdup (_ ("More than a century at the current intake"));
  else
    {
      g_autofree gchar *day = format_day (full);

      lasts_text = g_strdup_printf (_ ("%.0f days at the current intake, until %s"),
                                    (gdouble)free_bytes / (gdouble)intake, day);
    }
  if (warn)
    {
      g_autofree gchar *plain = g_steal_pointer (&lasts_text);

      lasts_text = g_strdup_printf (
          _ ("%s — the disk will be full before the oldest footage may be purged"), plain);
      gtk_widget_add_css_class (GTK_WIDGET (self->lasts_row), "error");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->lasts_row), "error");
  adw_action_row_set_subtitle (self->lasts_row, lasts_text);
}

static void
show_upstream (DocketItPage *self)
{
  GVariant *status
      = self->manager != NULL ? docket_dbus_manager_get_upstream (self->manager) : NULL;
  const gchar *line = NULL;
  const gchar *error = "";

  if (status == NULL || !g_variant_lookup (status, "line", "&s", &line))
    {
      adw_action_row_set_subtitle (self->upstream_row, _ ("Unknown"));
      return;
    }
  adw_action_row_set_subtitle (self->upstream_row, line);
  g_variant_lookup (status, "last-error", "&s", &error);
  if (strstr (line, error) != NULL && *error != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->upstream_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->upstream_row), "error");
}

static void
manager_ready_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DocketItPage) self = user_data;
  g_autoptr (GError) error = NULL;
  DocketDBusManager *manager = docket_dbus_manager_proxy_new_finish (result, &error);

  if (manager == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (self->upstream_row, error->message);
      return;
    }
  g_clear_object (&self->manager);
  self->manager = manager;
  g_signal_connect_object (manager, "notify::upstream", G_CALLBACK (show_upstream), self,
                           G_CONNECT_SWAPPED);
  show_upstream (self);
}

static void
refresh (DocketItPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  docket_dbus_session_call_get_station_status (self->session, self->cancellable, status_done_cb,
                                               g_object_ref (self));
  docket_dbus_session_call_get_retention (self->session, self->cancellable, retention_done_cb,
                                          g_object_ref (self));
  if (self->manager == NULL)
    docket_dbus_manager_proxy_new (
        g_dbus_proxy_get_connection (G_DBUS_PROXY (self->session)), G_DBUS_PROXY_FLAGS_NONE,
        g_dbus_proxy_get_name (G_DBUS_PROXY (self->session)), DOCKET_DBUS_PATH, self->cancellable,
        manager_ready_cb, g_object_ref (self));
  else
    show_upstream (self);
  /* Refreshing is activity: keep the session. */
  docket_dbus_session_call_touch (self->session, NULL, NULL, NULL);
}

static void
refresh_clicked_cb (DocketItPage *self)
{
  refresh (self);
}

void
docket_it_page_set_session (DocketItPage *self, DocketDBusSession *session)
{
  g_return_if_fail (DOCKET_IS_IT_PAGE (self));
  g_return_if_fail (session == NULL || DOCKET_DBUS_IS_SESSION (session));

  if (self->session == session)
    return;
  g_set_object (&self->session, session);
  refresh (self);
}

static void
docket_it_page_dispose (GObject *object)
{
  DocketItPage *self = DOCKET_IT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->manager);
  g_clear_pointer (&self->error_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), DOCKET_TYPE_IT_PAGE);

  G_OBJECT_CLASS (docket_it_page_parent_class)->dispose (object);
}

static void
docket_it_page_class_init (DocketItPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_it_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/docket-it-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketItPage, version_row);
  gtk_widget_class_bind_template_child (widget_class, DocketItPage, cameras_row);
  gtk_widget_class_bind_template_child (widget_class, DocketItPage, recordings_row);
  gtk_widget_class_bind_template_child (widget_class, DocketItPage, storage_row);
  gtk_widget_class_bind_template_child (widget_class, DocketItPage, storage_bar);
  gtk_widget_class_bind_template_child (widget_class, DocketItPage, free_row);
  gtk_widget_class_bind_template_child (widget_class, DocketItPage, due_row);
  gtk_widget_class_bind_template_child (widget_class, DocketItPage, next_purge_row);
  gtk_widget_class_bind_template_child (widget_class, DocketItPage, held_row);
  gtk_widget_class_bind_template_child (widget_class, DocketItPage, lasts_row);
  gtk_widget_class_bind_template_child (widget_class, DocketItPage, upstream_row);
  gtk_widget_class_bind_template_child (widget_class, DocketItPage, errors_group);
  gtk_widget_class_bind_template_child (widget_class, DocketItPage, no_errors_row);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "docket-it");
}

static void
docket_it_page_init (DocketItPage *self)
{
  self->error_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
