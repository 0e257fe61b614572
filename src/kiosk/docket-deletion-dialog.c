/* docket-deletion-dialog.c — an officer asks a sergeant to delete a recording
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A reason is required: one of a few big preset buttons ("Accidental
 * recording"…), the officer's own words, or both. The dialog only collects
 * it; the tagging page calls the daemon. Nothing is deleted here: a
 * sergeant approves or refuses, and both go into the audit log.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-deletion-dialog.h"
#include "docket-deletion-reason.h"
#include "docket-text-pad.h"

struct _DocketDeletionDialog
{
  AdwMessageDialog parent_instance;

  GPtrArray *preset_buttons; /* GtkToggleButton, parallel to the presets */
  GtkEditable *details;
};

G_DEFINE_FINAL_TYPE (DocketDeletionDialog, docket_deletion_dialog, ADW_TYPE_MESSAGE_DIALOG)

static const gchar *
chosen_preset (DocketDeletionDialog *self)
{
  const gchar *const *presets = docket_deletion_reason_presets ();

  for (guint i = 0; i < self->preset_buttons->len; i++)
    if (gtk_toggle_button_get_active (g_ptr_array_index (self->preset_buttons, i)))
      return _ (presets[i]);
  return NULL;
}

gchar *
docket_deletion_dialog_dup_reason (DocketDeletionDialog *self)
{
  g_return_val_if_fail (DOCKET_IS_DELETION_DIALOG (self), NULL);

  return docket_deletion_reason_compose (chosen_preset (self),
                                         gtk_editable_get_text (self->details));
}

static void
changed_cb (DocketDeletionDialog *self)
{
  g_autofree gchar *reason = docket_deletion_dialog_dup_reason (self);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "request", reason != NULL);
}

static GtkWidget *
caption_new (const gchar *text)
{
  GtkWidget *caption = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_widget_add_css_class (caption, "heading");
  return caption;
}

static void
docket_deletion_dialog_dispose (GObject *object)
{
  DocketDeletionDialog *self = DOCKET_DELETION_DIALOG (object);

  g_clear_pointer (&self->preset_buttons, g_ptr_array_unref);

  G_OBJECT_CLASS (docket_deletion_dialog_parent_class)->dispose (object);
}

static void
docket_deletion_dialog_class_init (DocketDeletionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_deletion_dialog_dispose;
}

static void
docket_deletion_dialog_init (DocketDeletionDialog *self)
{
  const gchar *const *presets = docket_deletion_reason_presets ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *caption;
  GtkWidget *entry;
  GtkWidget *note;
  GtkToggleButton *group = NULL;

  self->preset_buttons = g_ptr_array_new ();
  gtk_widget_add_css_class (box, "docket-action-fields");
  gtk_widget_add_css_class (box, "docket-deletion-presets");
  caption = caption_new (_ ("Why should it be deleted?"));
  gtk_box_append (GTK_BOX (box), caption);
  for (guint i = 0; presets[i] != NULL; i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (_ (presets[i]));

      /* Radio-like, but all may be off: the officer's own words can do. */
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      gtk_widget_add_css_class (button, "docket-category-button");
      g_signal_connect_swapped (button, "toggled", G_CALLBACK (changed_cb), self);
      gtk_box_append (GTK_BOX (box), button);
      g_ptr_array_add (self->preset_buttons, button);
    }

  caption = caption_new (_ ("In your own words (optional with a reason above)"));
  entry = gtk_entry_new ();
  gtk_entry_set_max_length (GTK_ENTRY (entry), DOCKET_DELETION_DETAILS_MAX_CHARS);
  /* Named by its caption (labelled-by), as the review dialogs' entries. */
  gtk_label_set_mnemonic_widget (GTK_LABEL (caption), entry);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (changed_cb), self);
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), entry);
  self->details = GTK_EDITABLE (entry);
  docket_text_pad_attach (self->details);

  note = gtk_label_new (_ ("Nothing is deleted until a sergeant approves. Your request and its "
                           "reason go into the audit log."));
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_box_append (GTK_BOX (box), note);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self), "cancel", _ ("Cancel"), "request",
                                    _ ("Request Deletion"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "request",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "request", FALSE);
}

DocketDeletionDialog *
docket_deletion_dialog_new (GtkWindow *parent, const gchar *recording)
{
  DocketDeletionDialog *self;
  g_autofree gchar *body = NULL;

  /* TRANSLATORS: %s names the recording by its start time */
  body = g_strdup_printf (_ ("The recording from %s. A sergeant will approve or refuse."),
                          recording);
  self = g_object_new (DOCKET_TYPE_DELETION_DIALOG, "transient-for", parent, "modal", TRUE,
                       "heading", _ ("Ask to Delete This Recording?"), "body", body, NULL);
  return self;
}
