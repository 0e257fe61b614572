/* docket-my-tags.c — an officer's tags a sergeant has not approved yet, to correct
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-case-pad.h"
#include "docket-text-pad.h"
#include "docket-incident.h"
#include "docket-my-tags.h"

typedef struct
{
  GtkWindow *window; /* not owned: its "my-tags" data is this */
  GtkListBox *list;
  GtkLabel *status;
  DocketDBusSession *session;
  DocketTagForm *form;
  GCancellable *cancellable;
} MyTags;

static void
my_tags_free (MyTags *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->form);
  g_free (self);
}

static void reload (MyTags *self);

/* "Use of force" for "use-of-force": the station's label. */
static const gchar *
category_label (MyTags *self, const gchar *id)
{
  for (guint i = 0; i < docket_tag_form_get_n_categories (self->form); i++)
    if (g_strcmp0 (docket_tag_form_get_category_id (self->form, i), id) == 0)
      return docket_tag_form_get_category_label (self->form, i);
  return id;
}

typedef struct
{
  MyTags *self; /* borrowed: the window outlives its dialogs */
  gint64 id;
  GtkDropDown *category;
  GtkEditable *case_number;
  GtkEditable *note;
} Correction;

static void
tag_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtkWindow) window = user_data;
  MyTags *self = g_object_get_data (G_OBJECT (window), "my-tags");
  g_autoptr (GError) error = NULL;

  if (!docket_dbus_session_call_tag_finish (DOCKET_DBUS_SESSION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self == NULL)
        return;
      g_dbus_error_strip_remote_error (error);
      {
        /* TRANSLATORS: %s is the service's reason */
        g_autofree gchar *text = g_strdup_printf (_ ("Not corrected: %s"), error->message);

        gtk_label_set_label (self->status, text);
      }
      return;
    }
  if (self == NULL)
    return;
  gtk_label_set_label (self->status, _ ("Tag corrected"));
  reload (self);
}

static void
correction_response_cb (AdwMessageDialog *dialog, const gchar *response, Correction *c)
{
  if (g_str_equal (response, "save"))
    {
      guint selected = gtk_drop_down_get_selected (c->category);
      const gchar *category = docket_tag_form_get_category_id (c->self->form, selected);

      docket_dbus_session_call_tag (
          c->self->session,
          g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, &c->id, 1, sizeof (gint64)), category,
          gtk_editable_get_text (c->case_number), gtk_editable_get_text (c->note),
          c->self->cancellable, tag_done_cb, g_object_ref (c->self->window));
    }
  g_free (c);
}

static GtkEditable *
add_field (GtkBox *box, const gchar *caption_text, const gchar *text)
{
  GtkWidget *caption = gtk_label_new (caption_text);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "heading");
  gtk_label_set_mnemonic_widget (GTK_LABEL (caption), entry);
  gtk_box_append (box, caption);
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), text);
  gtk_box_append (box, entry);
  return GTK_EDITABLE (entry);
}

static void
correct_clicked_cb (GtkButton *button, MyTags *self)
{
  GVariant *recording = g_object_get_data (G_OBJECT (button), "recording");
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  const gchar *category = NULL, *case_number = NULL, *note = NULL;
  const gchar *title = g_object_get_data (G_OBJECT (button), "title");
  GtkWidget *dialog, *box, *caption;
  Correction *c = g_new0 (Correction, 1);
  guint selected = 0;

  c->self = self;
  g_variant_lookup (recording, "id", "x", &c->id);
  g_variant_lookup (recording, "category", "&s", &category);
  g_variant_lookup (recording, "case-number", "&s", &case_number);
  g_variant_lookup (recording, "note", "&s", &note);
  for (guint i = 0; i < docket_tag_form_get_n_categories (self->form); i++)
    {
      gtk_string_list_append (labels, docket_tag_form_get_category_label (self->form, i));
      if (g_strcmp0 (category, docket_tag_form_get_category_id (self->form, i)) == 0)
        selected = i;
    }

  dialog = adw_message_dialog_new (self->window, _ ("Correct Your Tag"), title);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("Cancel"), "save",
                                    _ ("Save Correction"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (box, "docket-action-fields");
  caption = gtk_label_new (_ ("Category"));
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "heading");
  gtk_box_append (GTK_BOX (box), caption);
  c->category = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (labels)), NULL));
  gtk_drop_down_set_selected (c->category, selected);
  gtk_accessible_update_property (GTK_ACCESSIBLE (c->category), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Category"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (c->category));
  c->case_number = add_field (GTK_BOX (box), _ ("Case or incident number (optional)"), case_number);
  gtk_box_append (GTK_BOX (box), docket_case_pad_new (c->case_number));
  c->note = add_field (GTK_BOX (box), _ ("Note (optional)"), note);
  docket_text_pad_attach (c->note);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_signal_connect (dialog, "response", G_CALLBACK (correction_response_cb), c);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
row_new (MyTags *self, GVariant *recording)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_label (_ ("Correct…"));
  gint64 start = 0;
  guint64 duration = 0;
  const gchar *camera = NULL, *category = NULL, *case_number = NULL, *state = NULL;
  g_autofree gchar *when = NULL;
  g_autofree gchar *length = NULL;
  g_autofree gchar *title = NULL;
  g_autofree gchar *name = NULL;
  g_autoptr (GString) subtitle = g_string_new (NULL);

  /* Names and notes are the camera's and the officer's: plain text. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  g_variant_lookup (recording, "start-usec", "x", &start);
  g_variant_lookup (recording, "duration-ms", "t", &duration);
  g_variant_lookup (recording, "camera", "&s", &camera);
  g_variant_lookup (recording, "category", "&s", &category);
  g_variant_lookup (recording, "case-number", "&s", &case_number);
  g_variant_lookup (recording, "review-state", "&s", &state);
  when = docket_format_time (start);
  length = docket_format_duration (duration);
  title = camera != NULL ? g_strdup_printf ("%s · %s · %s", when, length, camera)
                         : g_strdup_printf ("%s · %s", when, length);
  g_string_append (subtitle, category_label (self, category));
  if (case_number != NULL && *case_number != '\0')
    /* TRANSLATORS: %s is a case or incident number */
    g_string_append_printf (subtitle, " · %s", case_number);
  if (g_strcmp0 (state, "pending") == 0)
    g_string_append_printf (subtitle, " · %s", _ ("waiting for a sergeant’s review"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  /* TRANSLATORS: accessible name of a button; %s is the recording's time, length and camera */
  name = g_strdup_printf (_ ("Correct the tag of the recording from %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (button), "recording", g_variant_ref (recording),
                          (GDestroyNotify)g_variant_unref);
  g_object_set_data_full (G_OBJECT (button), "title", g_steal_pointer (&title), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (correct_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtkWindow) window = user_data;
  MyTags *self = g_object_get_data (G_OBJECT (window), "my-tags");
  g_autoptr (GVariant) recordings = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *child;
  GVariantIter iter;
  GVariant *recording;
  guint total = 0;

  if (!docket_dbus_session_call_list_correctable_finish (DOCKET_DBUS_SESSION (source), &recordings,
                                                         &total, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self == NULL)
        return;
      g_dbus_error_strip_remote_error (error);
      gtk_label_set_label (self->status, error->message);
      return;
    }
  if (self == NULL)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_variant_iter_init (&iter, recordings);
  while ((recording = g_variant_iter_next_value (&iter)) != NULL)
    {
      gtk_list_box_append (self->list, row_new (self, recording));
      g_variant_unref (recording);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->list), total > 0);
  if (total == 0)
    gtk_label_set_label (self->status, _ ("Nothing to correct: no tag of yours waits for a "
                                          "sergeant."));
}

static void
reload (MyTags *self)
{
  docket_dbus_session_call_list_correctable (self->session, 0, 100, self->cancellable, list_done_cb,
                                             g_object_ref (self->window));
}

void
docket_my_tags_show (GtkWindow *parent, DocketDBusSession *session, DocketTagForm *form)
{
  MyTags *self = g_new0 (MyTags, 1);
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *close = gtk_button_new_with_label (_ ("Close"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  g_return_if_fail (DOCKET_DBUS_IS_SESSION (session));

  self->window = GTK_WINDOW (window);
  self->session = g_object_ref (session);
  self->form = g_object_ref (form);
  self->cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (window), "my-tags", self, (GDestroyNotify)my_tags_free);
  /* Closed: late answers find their call cancelled and touch nothing. */
  g_signal_connect_swapped (window, "destroy", G_CALLBACK (g_cancellable_cancel),
                            self->cancellable);

  gtk_window_set_title (GTK_WINDOW (window), _ ("My Tags"));
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 640);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_title_widget (
      ADW_HEADER_BAR (header),
      adw_window_title_new (_ ("My Tags"), _ ("Correct them until a sergeant "
                                              "approves")));
  gtk_widget_add_css_class (close, "pill");
  gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Close my tags"), -1);
  g_signal_connect_swapped (close, "clicked", G_CALLBACK (gtk_window_close), window);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), close);
  gtk_box_append (GTK_BOX (box), header);

  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "title-4");
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("My tagged recordings"), -1);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->status));
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->list));
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 860);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (window), box);

  reload (self);
  gtk_window_present (GTK_WINDOW (window));
}
