/* docket-preview-dialog.c — plays one recording, handed over as an fd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kiosk never opens the evidence store. docketd audit-logs the view and
 * returns a read-only fd (Session.OpenRecording). GTK 4.8's GStreamer media
 * backend cannot play a GInputStream (it asserts), so GtkMediaFile opens the
 * fd through /proc/self/fd: the same open file, read-only, and no store path.
 * The controls are the kiosk's own, always shown and finger-sized (GtkVideo's
 * hide until a pointer moves, and a touch screen has none).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <unistd.h>

#include <gio/gunixfdlist.h>

#include "docket-plain-text.h"
#include "docket-preview-dialog.h"

struct _DocketPreviewDialog
{
  AdwWindow parent_instance;

  GtkStack *stack;
  GtkPicture *picture;
  GtkButton *play_button;
  GtkScale *seek_scale;
  GtkAdjustment *seek_adjustment;
  GtkLabel *time_label;
  AdwStatusPage *error_page;
  AdwWindowTitle *window_title;

  DocketDBusSession *session;
  GCancellable *cancellable;
  GtkMediaStream *stream;
  gint fd; /* kept open while the player reads it */
};

G_DEFINE_FINAL_TYPE (DocketPreviewDialog, docket_preview_dialog, ADW_TYPE_WINDOW)

/* How far the back and forward buttons jump. */
#define JUMP_USEC (10 * G_USEC_PER_SEC)

/* "1:05", "1:02:03" */
gchar *
docket_preview_format_position (gint64 usec)
{
  gint64 seconds = MAX (usec, 0) / G_USEC_PER_SEC;

  if (seconds >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int)(seconds / 3600), (int)(seconds % 3600 / 60),
                            (int)(seconds % 60));
  return g_strdup_printf ("%d:%02d", (int)(seconds / 60), (int)(seconds % 60));
}

static void
update_position (DocketPreviewDialog *self)
{
  gint64 now = gtk_media_stream_get_timestamp (self->stream);
  gint64 total = gtk_media_stream_get_duration (self->stream);
  g_autofree gchar *elapsed = docket_preview_format_position (now);
  g_autofree gchar *length = docket_preview_format_position (total);
  /* TRANSLATORS: elapsed and total time of the recording, "0:12 / 1:30" */
  g_autofree gchar *text = g_strdup_printf (_ ("%s / %s"), elapsed, length);
  gboolean playing = gtk_media_stream_get_playing (self->stream);

  gtk_adjustment_configure (self->seek_adjustment, (gdouble)now / G_USEC_PER_SEC, 0,
                            MAX ((gdouble)total / G_USEC_PER_SEC, 1), 10, 10, 0);
  gtk_label_set_label (self->time_label, text);
  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  playing ? _ ("Pause") : _ ("Play"), -1);
}

static void
stream_notify_cb (GtkMediaStream *stream, GParamSpec *pspec, DocketPreviewDialog *self)
{
  update_position (self);
}

static void
seek_to (DocketPreviewDialog *self, gint64 usec)
{
  gint64 total;

  if (self->stream == NULL || !gtk_media_stream_is_seekable (self->stream))
    return;
  total = gtk_media_stream_get_duration (self->stream);
  usec = MAX (usec, 0);
  if (total > 0)
    usec = MIN (usec, total);
  gtk_media_stream_seek (self->stream, usec);
}

static void
back_clicked_cb (DocketPreviewDialog *self)
{
  if (self->stream != NULL)
    seek_to (self, gtk_media_stream_get_timestamp (self->stream) - JUMP_USEC);
}

static void
forward_clicked_cb (DocketPreviewDialog *self)
{
  if (self->stream != NULL)
    seek_to (self, gtk_media_stream_get_timestamp (self->stream) + JUMP_USEC);
}

static void
play_clicked_cb (DocketPreviewDialog *self)
{
  if (self->stream == NULL)
    return;
  /* At the end, Play starts again from the beginning. */
  if (gtk_media_stream_get_ended (self->stream))
    seek_to (self, 0);
  gtk_media_stream_set_playing (self->stream, !gtk_media_stream_get_playing (self->stream));
}

static gboolean
seek_cb (DocketPreviewDialog *self, GtkScrollType scroll, gdouble value)
{
  seek_to (self, (gint64)(value * G_USEC_PER_SEC));
  return FALSE;
}

static void
open_recording_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DocketPreviewDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) handle = NULL;
  g_autoptr (GUnixFDList) fds = NULL;
  g_autofree gchar *path = NULL;
  gint fd = -1;

  if (docket_dbus_session_call_open_recording_finish (DOCKET_DBUS_SESSION (source), &handle, &fds,
                                                      result, &error))
    {
      if (fds != NULL)
        fd = g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error);
      else
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _ ("The service sent no file."));
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (fd < 0)
    {
      g_dbus_error_strip_remote_error (error);
      docket_status_page_set_plain_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  self->fd = fd;
  path = g_strdup_printf ("/proc/self/fd/%d", fd);
  self->stream = gtk_media_file_new_for_filename (path);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->stream));
  g_signal_connect_object (self->stream, "notify", G_CALLBACK (stream_notify_cb), self, 0);
  gtk_stack_set_visible_child_name (self->stack, "video");
  gtk_media_stream_play (self->stream);
  update_position (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->play_button));
}

static void
docket_preview_dialog_dispose (GObject *object)
{
  DocketPreviewDialog *self = DOCKET_PREVIEW_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->stream != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->stream, self);
      gtk_media_stream_pause (self->stream);
    }
  if (self->picture != NULL)
    gtk_picture_set_paintable (self->picture, NULL);
  g_clear_object (&self->stream);
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_PREVIEW_DIALOG);

  G_OBJECT_CLASS (docket_preview_dialog_parent_class)->dispose (object);
}

static void
close_action (GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
docket_preview_dialog_class_init (DocketPreviewDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_preview_dialog_dispose;

  gtk_widget_class_install_action (widget_class, "preview.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "preview.close", NULL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/docket-preview-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketPreviewDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, DocketPreviewDialog, picture);
  gtk_widget_class_bind_template_child (widget_class, DocketPreviewDialog, play_button);
  gtk_widget_class_bind_template_child (widget_class, DocketPreviewDialog, seek_scale);
  gtk_widget_class_bind_template_child (widget_class, DocketPreviewDialog, seek_adjustment);
  gtk_widget_class_bind_template_child (widget_class, DocketPreviewDialog, time_label);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, forward_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, play_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, seek_cb);
  gtk_widget_class_bind_template_child (widget_class, DocketPreviewDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, DocketPreviewDialog, window_title);
}

static void
docket_preview_dialog_init (DocketPreviewDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->fd = -1;
}

DocketPreviewDialog *
docket_preview_dialog_new (GtkWindow *parent,
                           DocketDBusSession *session,
                           gint64 id,
                           const gchar *title,
                           const gchar *reason)
{
  DocketPreviewDialog *self;

  g_return_val_if_fail (DOCKET_DBUS_IS_SESSION (session), NULL);

  self = g_object_new (DOCKET_TYPE_PREVIEW_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->session = g_object_ref (session);
  adw_window_title_set_subtitle (self->window_title, title);
  docket_dbus_session_call_open_recording (session, id, reason, NULL, self->cancellable,
                                           open_recording_cb, g_object_ref (self));
  return self;
}
