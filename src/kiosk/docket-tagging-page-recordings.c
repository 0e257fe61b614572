/* docket-tagging-page-recordings.c — the recordings of the incident being tagged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per recording: its thumbnail, time and length, what the camera got
 * wrong if anything, Preview (audited as the officer's own preview) and
 * Request Deletion (a reason, then a sergeant decides).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-deletion-dialog.h"
#include "docket-plain-text.h"
#include "docket-preview-dialog.h"
#include "docket-tagging-page-private.h"

/* Recorded in the audit log with every preview of one's own recording. */
#define PREVIEW_REASON "Officer preview before tagging"

static void
preview_clicked_cb (GtkButton *button, DocketTaggingPage *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (button), "recording-id");
  const gchar *title = g_object_get_data (G_OBJECT (button), "recording-title");
  DocketPreviewDialog *dialog;

  if (self->session == NULL || id == NULL)
    return;
  dialog = docket_preview_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                      self->session, *id, title, PREVIEW_REASON);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
request_deletion_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DocketTaggingPage) self = user_data;
  g_autoptr (GError) error = NULL;
  gint64 request = 0;

  if (!docket_dbus_session_call_request_deletion_finish (DOCKET_DBUS_SESSION (source), &request,
                                                         result, &error))
    {
      g_autofree gchar *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_dbus_error_strip_remote_error (error);
      /* TRANSLATORS: %s is the service's reason */
      text = g_strdup_printf (_ ("Deletion not requested: %s"), error->message);
      adw_toast_overlay_add_toast (self->toast_overlay, docket_toast_new_plain (text));
      return;
    }
  adw_toast_overlay_add_toast (
      self->toast_overlay,
      docket_toast_new_plain (_ ("Deletion requested — waiting for a sergeant")));
  /* The daemon's list says which recordings wait for a sergeant. */
  g_clear_object (&self->incident);
  if (self->list != NULL)
    docket_paged_model_reload (DOCKET_PAGED_MODEL (self->list));
  _docket_tagging_page_update_form (self);
}

static void
deletion_response_cb (DocketDeletionDialog *dialog, const gchar *response, DocketTaggingPage *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (dialog), "recording-id");
  g_autofree gchar *reason = docket_deletion_dialog_dup_reason (dialog);

  if (!g_str_equal (response, "request") || reason == NULL || id == NULL || self->session == NULL)
    return;
  docket_dbus_session_call_request_deletion (self->session, *id, reason, self->cancellable,
                                             request_deletion_done_cb, g_object_ref (self));
}

static void
request_deletion_clicked_cb (GtkButton *button, DocketTaggingPage *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (button), "recording-id");
  const gchar *title = g_object_get_data (G_OBJECT (button), "recording-title");
  DocketDeletionDialog *dialog;

  if (self->session == NULL || id == NULL)
    return;
  dialog = docket_deletion_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), title);
  g_object_set_data_full (G_OBJECT (dialog), "recording-id", g_memdup2 (id, sizeof *id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (deletion_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* "Request Deletion…", or the request's state once it is asked for. */
static GtkWidget *
deletion_widget_new (DocketTaggingPage *self, GVariant *recording, gint64 id, const gchar *time)
{
  GtkWidget *button;
  g_autofree gchar *name = NULL;

  if (docket_recording_is_deletion_requested (recording))
    {
      GtkWidget *label = gtk_label_new (_ ("Deletion requested — waiting for a sergeant"));

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 18);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "warning");
      gtk_widget_add_css_class (label, "docket-deletion-waiting");
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      return label;
    }
  button = gtk_button_new_with_label (_ ("Request Deletion…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  /* TRANSLATORS: accessible name of a button; %s is a recording's start time */
  name = g_strdup_printf (_ ("Request deletion of the recording from %s"), time);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (button), "recording-id", g_memdup2 (&id, sizeof id), g_free);
  g_object_set_data_full (G_OBJECT (button), "recording-title",
                          docket_recording_dup_title (recording), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (request_deletion_clicked_cb), self);
  return button;
}

GtkWidget *
_docket_tagging_page_recording_row_new (DocketTaggingPage *self, GVariant *recording)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *button;
  GtkWidget *content;
  gint64 id = 0, start = 0;
  guint64 duration_ms = 0;
  const gchar *name = "";
  const gchar *condition = NULL;
  g_autofree gchar *time = NULL;
  g_autofree gchar *duration = NULL;
  g_autofree gchar *subtitle = NULL;
  g_autofree gchar *button_name = NULL;

  g_variant_lookup (recording, "id", "x", &id);
  g_variant_lookup (recording, "start-usec", "x", &start);
  g_variant_lookup (recording, "duration-ms", "t", &duration_ms);
  g_variant_lookup (recording, "name", "&s", &name);
  time = docket_format_time (start);
  duration = docket_format_duration (duration_ms);
  subtitle = *name != '\0' ? g_strdup_printf ("%s · %s", duration, name) : g_strdup (duration);
  if (g_variant_lookup (recording, "condition", "&s", &condition) && condition != NULL)
    {
      /* Evidence all the same: say plainly what the camera got wrong. */
      g_autofree gchar *why = docket_condition_describe (recording);
      g_autofree gchar *plain = g_strdup_printf ("%s\n%s", subtitle, why);
      g_free (subtitle);
      subtitle = g_steal_pointer (&plain);
      gtk_widget_add_css_class (row, "docket-damaged-on-camera");
    }
  /* The name is the camera's: plain text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), time);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_widget_set_size_request (picture, 96, 54);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_add_css_class (picture, "docket-thumbnail");
  gtk_widget_set_valign (picture, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), picture);
  docket_thumbnail_cache_show (self->thumbnails, id, GTK_PICTURE (picture));

  content = adw_button_content_new ();
  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "media-playback-start-symbolic");
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _ ("Preview"));
  button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  /* TRANSLATORS: accessible name of a preview button; %s is a start time */
  button_name = g_strdup_printf (_ ("Preview the recording from %s"), time);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  button_name, -1);
  g_object_set_data_full (G_OBJECT (button), "recording-id", g_memdup2 (&id, sizeof id), g_free);
  /* The dialog names it in full: two recordings of one incident differ. */
  g_object_set_data_full (G_OBJECT (button), "recording-title",
                          docket_recording_dup_title (recording), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (preview_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), deletion_widget_new (self, recording, id, time));
  return row;
}
