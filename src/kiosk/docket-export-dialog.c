/* docket-export-dialog.c — a sergeant exports evidence for court or a prosecutor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kiosk never touches the store: docketd writes the package
 * (Session.Export), checks that the destination is a removable drive or the
 * station's exports folder, and audit-logs who, why and what. This dialog
 * only collects the choice and shows what was written, with how anyone can
 * check it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-deletion-reason.h"
#include "docket-export-choice.h"
#include "docket-export-dialog.h"
#include "docket-text-pad.h"

/* Copying and hashing hours of footage to a slow USB stick takes a while,
 * but not for ever: past this the sergeant is told, the daemon finishes. */
#define EXPORT_TIMEOUT_MSEC (60 * 60 * 1000)

struct _DocketExportDialog
{
  AdwWindow parent_instance;

  /* template widgets */
  AdwWindowTitle *window_title;
  GtkStack *stack;
  GtkToggleButton *recording_button;
  GtkToggleButton *incident_button;
  GtkToggleButton *case_button;
  GtkLabel *scope_note;
  GtkGrid *presets_grid;
  GtkEditable *details_entry;
  GtkBox *destinations_box;
  GtkToggleButton *zip_button;
  GtkLabel *error_label;
  GtkButton *cancel_button;
  GtkButton *export_button;
  GtkLabel *summary_label;
  GtkLabel *folder_label;
  GtkLabel *zip_label;

  /* owned */
  DocketDBusSession *session;
  GCancellable *cancellable;
  gint64 id;
  gchar *case_number;
  GPtrArray *preset_buttons;      /* GtkToggleButton, parallel to the presets */
  GPtrArray *destination_buttons; /* GtkToggleButton, "destination" data: path or "" */
  gboolean zip;
};

G_DEFINE_FINAL_TYPE (DocketExportDialog, docket_export_dialog, ADW_TYPE_WINDOW)

static const gchar *
chosen_preset (DocketExportDialog *self)
{
  const gchar *const *presets = docket_export_reason_presets ();

  for (guint i = 0; i < self->preset_buttons->len; i++)
    if (gtk_toggle_button_get_active (g_ptr_array_index (self->preset_buttons, i)))
      return _ (presets[i]);
  return NULL;
}

static gchar *
dup_reason (DocketExportDialog *self)
{
  return docket_deletion_reason_compose (chosen_preset (self),
                                         gtk_editable_get_text (self->details_entry));
}

/* NULL while none is chosen; "" is the station's exports folder. */
static const gchar *
chosen_destination (DocketExportDialog *self)
{
  for (guint i = 0; i < self->destination_buttons->len; i++)
    {
      GtkToggleButton *button = g_ptr_array_index (self->destination_buttons, i);

      if (gtk_toggle_button_get_active (button))
        return g_object_get_data (G_OBJECT (button), "destination");
    }
  return NULL;
}

static void
changed_cb (DocketExportDialog *self)
{
  g_autofree gchar *reason = NULL;
  const gchar *note;

  /* Template signals fire while the template is still being built. */
  if (self->preset_buttons == NULL || self->destination_buttons == NULL)
    return;
  if (gtk_toggle_button_get_active (self->recording_button))
    note = _ ("Only this recording.");
  else if (gtk_toggle_button_get_active (self->case_button))
    note = _ ("Every recording tagged with this case number.");
  else
    note = _ ("This recording and the officer’s others that started less than a minute apart.");
  gtk_label_set_label (self->scope_note, note);
  reason = dup_reason (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button),
                            reason != NULL && chosen_destination (self) != NULL);
}

/* Always one destination: a lone button (no drive plugged in) must not
 * switch off under a second touch. */
static void
destination_toggled_cb (GtkToggleButton *button, DocketExportDialog *self)
{
  if (!gtk_toggle_button_get_active (button) && chosen_destination (self) == NULL
      && self->destination_buttons->len == 1)
    gtk_toggle_button_set_active (button, TRUE);
  changed_cb (self);
}

static GtkToggleButton *
add_destination (DocketExportDialog *self,
                 const gchar *destination,
                 const gchar *label,
                 const gchar *accessible,
                 GtkToggleButton *group)
{
  GtkWidget *button = gtk_toggle_button_new_with_label (label);

  g_object_set_data_full (G_OBJECT (button), "destination", g_strdup (destination), g_free);
  if (group != NULL)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  gtk_widget_set_tooltip_text (button, *destination != '\0' ? destination : NULL);
  g_signal_connect (button, "toggled", G_CALLBACK (destination_toggled_cb), self);
  gtk_box_append (self->destinations_box, button);
  g_ptr_array_add (self->destination_buttons, button);
  return GTK_TOGGLE_BUTTON (button);
}

/* Removable drives first: what a custodian hands over is a drive. The
 * station's folder is for IT to copy out, or for when no drive is in. */
static void
fill_destinations (DocketExportDialog *self)
{
  g_auto (GStrv) mounts = docket_export_list_mount_points ();
  g_auto (GStrv) drives = docket_export_removable_destinations ((const gchar *const *)mounts);
  GtkWidget *child;
  GtkToggleButton *first = NULL;
  GtkToggleButton *station;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->destinations_box))) != NULL)
    gtk_box_remove (self->destinations_box, child);
  g_ptr_array_set_size (self->destination_buttons, 0);
  for (guint i = 0; drives[i] != NULL; i++)
    {
      g_autofree gchar *name = g_path_get_basename (drives[i]);
      /* TRANSLATORS: a destination of an export; %s is the drive's name */
      g_autofree gchar *label = g_strdup_printf (_ ("Removable drive “%s”"), name);
      /* TRANSLATORS: accessible name of a destination; %s is where it is mounted */
      g_autofree gchar *accessible
          = g_strdup_printf (_ ("Export to the removable drive at %s"), drives[i]);
      GtkToggleButton *button = add_destination (self, drives[i], label, accessible, first);

      if (first == NULL)
        first = button;
    }
  station = add_destination (self, "", _ ("The station’s exports folder (IT copies it out)"),
                             _ ("Export to the station’s exports folder"), first);
  gtk_toggle_button_set_active (first != NULL ? first : station, TRUE);
  changed_cb (self);
}

static void
rescan_clicked_cb (DocketExportDialog *self)
{
  fill_destinations (self);
}

/* The header's Cancel and Export belong to the form: while docketd writes
 * there is nothing to cancel (it finishes and audits the package anyway). */
static void
show_page (DocketExportDialog *self, const gchar *page)
{
  gboolean form = g_str_equal (page, "form");

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), form);
  gtk_widget_set_visible (GTK_WIDGET (self->export_button), form);
  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
show_error (DocketExportDialog *self, const gchar *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  show_page (self, "form");
  changed_cb (self);
}

static void
export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DocketExportDialog *self = user_data;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *summary = NULL;
  g_autofree gchar *folder = NULL;
  const gchar *package = NULL;
  guint32 recordings = 0, files = 0;
  guint64 bytes = 0;

  reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  /* Cancelled: the dialog is gone (docketd finishes and audits anyway). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL)
    {
      g_dbus_error_strip_remote_error (error);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        show_error (self, _ ("The export is taking longer than an hour. Docket goes on writing "
                             "it; the audit log will show when it is done."));
      else
        show_error (self, error->message);
      return;
    }
  g_variant_get (reply, "(&suut)", &package, &recordings, &files, &bytes);
  summary = docket_export_describe_package (recordings, files, bytes);
  /* TRANSLATORS: %s is the package's folder */
  folder = g_strdup_printf (_ ("Folder: %s"), package);
  gtk_label_set_label (self->summary_label, summary);
  gtk_label_set_label (self->folder_label, folder);
  if (self->zip)
    {
      /* TRANSLATORS: %s is the package's folder; the .zip is beside it */
      g_autofree gchar *zip = g_strdup_printf (_ ("And one file: %s.zip"), package);

      gtk_label_set_label (self->zip_label, zip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->zip_label), self->zip);
  show_page (self, "done");
}

static void
export_clicked_cb (DocketExportDialog *self)
{
  g_autofree gchar *reason = dup_reason (self);
  g_autofree gchar *what = NULL;
  const gchar *destination = chosen_destination (self);
  const gchar *scope;

  if (reason == NULL || destination == NULL)
    return;
  if (gtk_toggle_button_get_active (self->case_button) && self->case_number != NULL)
    scope = "case", what = g_strdup (self->case_number);
  else
    scope = gtk_toggle_button_get_active (self->recording_button) ? "recording" : "incident",
    what = g_strdup_printf ("%" G_GINT64_FORMAT, self->id);
  self->zip = gtk_toggle_button_get_active (self->zip_button);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  show_page (self, "working");
  g_dbus_proxy_call (G_DBUS_PROXY (self->session), "Export",
                     g_variant_new ("(ssssb)", scope, what, destination, reason, self->zip),
                     G_DBUS_CALL_FLAGS_NONE, EXPORT_TIMEOUT_MSEC, self->cancellable, export_done_cb,
                     self);
}

static void
fill_presets (DocketExportDialog *self)
{
  const gchar *const *presets = docket_export_reason_presets ();
  GtkToggleButton *group = NULL;

  for (guint i = 0; presets[i] != NULL; i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (_ (presets[i]));

      /* Radio-like, but all may be off: the sergeant's own words can do. */
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_signal_connect_swapped (button, "toggled", G_CALLBACK (changed_cb), self);
      gtk_grid_attach (self->presets_grid, button, i % 2, i / 2, 1, 1);
      g_ptr_array_add (self->preset_buttons, button);
    }
}

static void
close_action (GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
docket_export_dialog_dispose (GObject *object)
{
  DocketExportDialog *self = DOCKET_EXPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->preset_buttons, g_ptr_array_unref);
  g_clear_pointer (&self->destination_buttons, g_ptr_array_unref);
  g_clear_pointer (&self->case_number, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (docket_export_dialog_parent_class)->dispose (object);
}

static void
docket_export_dialog_class_init (DocketExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_export_dialog_dispose;

  gtk_widget_class_install_action (widget_class, "export.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "export.close", NULL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/docket-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, recording_button);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, incident_button);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, case_button);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, scope_note);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, presets_grid);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, details_entry);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, destinations_box);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, zip_button);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, folder_label);
  gtk_widget_class_bind_template_child (widget_class, DocketExportDialog, zip_label);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, rescan_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
}

static void
docket_export_dialog_init (DocketExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->preset_buttons = g_ptr_array_new ();
  self->destination_buttons = g_ptr_array_new ();
  fill_presets (self);
  fill_destinations (self);
  docket_text_pad_attach (self->details_entry);
}

DocketExportDialog *
docket_export_dialog_new (GtkWindow *parent,
                          DocketDBusSession *session,
                          gint64 id,
                          const gchar *title,
                          const gchar *case_number)
{
  DocketExportDialog *self;

  g_return_val_if_fail (DOCKET_DBUS_IS_SESSION (session), NULL);

  self = g_object_new (DOCKET_TYPE_EXPORT_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->session = g_object_ref (session);
  self->id = id;
  adw_window_title_set_subtitle (self->window_title, title);
  if (case_number != NULL && *case_number != '\0')
    {
      /* TRANSLATORS: the case scope's button; %s is the case number */
      g_autofree gchar *label = g_strdup_printf (_ ("Case %s"), case_number);

      self->case_number = g_strdup (case_number);
      gtk_button_set_label (GTK_BUTTON (self->case_button), label);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->case_button), FALSE);
  return self;
}
