/* docket-tagging-page-form.c — the tagging page's form: categories, case, note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keeps the form widgets in step with DocketTagForm: one toggle button per
 * category from docketd, the case number checked as typed (with keys for it
 * on screen), the note, and whether the Tag button may be pressed.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-case-pad.h"
#include "docket-text-pad.h"
#include "docket-tagging-page-private.h"

static guint
n_to_tag (DocketTaggingPage *self)
{
  guint n = 0;

  if (self->incident != NULL)
    docket_incident_get_ids (self->incident, &n);
  return n;
}

void
_docket_tagging_page_update_form (DocketTaggingPage *self)
{
  const gchar *error = docket_tag_form_get_case_number_error (self->form);
  const gchar *category = docket_tag_form_get_category (self->form);
  gboolean restricted = FALSE;

  if (*error == '\0')
    error = docket_tag_form_get_note_error (self->form);
  if (*error == '\0' && self->tag_error != NULL)
    error = self->tag_error;
  gtk_label_set_label (self->form_error, error);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error), *error != '\0');
  if (*docket_tag_form_get_case_number_error (self->form) != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->case_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->case_row), "error");

  for (guint i = 0; i < self->category_buttons->len; i++)
    {
      GtkToggleButton *button = g_ptr_array_index (self->category_buttons, i);
      gboolean active = g_strcmp0 (category, docket_tag_form_get_category_id (self->form, i)) == 0;

      if (gtk_toggle_button_get_active (button) != active)
        gtk_toggle_button_set_active (button, active);
      if (active)
        restricted = docket_tag_form_get_category_restricted (self->form, i);
    }
  gtk_widget_set_visible (self->restricted_box, restricted);
  /* Nothing to tag while every recording waits for a deletion decision. */
  for (guint i = 0; i < self->category_buttons->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (self->category_buttons, i), n_to_tag (self) > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->case_row), n_to_tag (self) > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->note_row), n_to_tag (self) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tagging.tag",
                                 self->incident != NULL && !self->tagging && n_to_tag (self) > 0
                                     && docket_tag_form_get_can_submit (self->form));
}

static void
form_changed_cb (DocketTagForm *form, GParamSpec *pspec, DocketTaggingPage *self)
{
  _docket_tagging_page_update_form (self);
}

void
_docket_tagging_page_clear_tag_error (DocketTaggingPage *self)
{
  g_clear_pointer (&self->tag_error, g_free);
}

static void
case_changed_cb (GtkEditable *editable, DocketTaggingPage *self)
{
  _docket_tagging_page_clear_tag_error (self);
  docket_tag_form_set_case_number (self->form, gtk_editable_get_text (editable));
  _docket_tagging_page_update_form (self);
}

static void
note_changed_cb (GtkEditable *editable, DocketTaggingPage *self)
{
  _docket_tagging_page_clear_tag_error (self);
  docket_tag_form_set_note (self->form, gtk_editable_get_text (editable));
  _docket_tagging_page_update_form (self);
}

static void
category_toggled_cb (GtkToggleButton *button, DocketTaggingPage *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  _docket_tagging_page_clear_tag_error (self);
  docket_tag_form_select_category (self->form, g_object_get_data (G_OBJECT (button), "category"));
}

static GtkWidget *
category_button_new (const gchar *id, const gchar *label, gboolean restricted)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title = gtk_label_new (label);

  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_justify (GTK_LABEL (title), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), title);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  if (restricted)
    {
      GtkWidget *mark = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *icon = gtk_image_new_from_icon_name ("channel-secure-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
      gtk_box_append (GTK_BOX (mark), icon);
      gtk_box_append (GTK_BOX (mark), gtk_label_new (_ ("Restricted")));
      gtk_widget_set_halign (mark, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (mark, "docket-restricted-mark");
      gtk_box_append (GTK_BOX (box), mark);
    }
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "docket-category-button");
  g_object_set_data_full (G_OBJECT (button), "category", g_strdup (id), g_free);
  if (restricted)
    {
      /* TRANSLATORS: a category button's accessible name, e.g. "Sexual assault, restricted" */
      g_autofree gchar *name = g_strdup_printf (_ ("%s, restricted"), label);

      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
    }
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
  return button;
}

static void
rebuild_category_buttons (DocketTaggingPage *self)
{
  GtkToggleButton *group = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->category_box))) != NULL)
    gtk_flow_box_remove (self->category_box, child);
  g_ptr_array_set_size (self->category_buttons, 0);
  for (guint i = 0; i < docket_tag_form_get_n_categories (self->form); i++)
    {
      GtkWidget *button
          = category_button_new (docket_tag_form_get_category_id (self->form, i),
                                 docket_tag_form_get_category_label (self->form, i),
                                 docket_tag_form_get_category_restricted (self->form, i));
      GtkWidget *cell;

      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_signal_connect (button, "toggled", G_CALLBACK (category_toggled_cb), self);
      /* Only layout: the button is what takes focus and has the name, so
       * the flow box child is a plain group, not an unnamed table cell. */
      cell = g_object_new (GTK_TYPE_FLOW_BOX_CHILD, "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP,
                           "focusable", FALSE, "child", button, NULL);
      gtk_flow_box_append (self->category_box, cell);
      g_ptr_array_add (self->category_buttons, button);
    }
  _docket_tagging_page_update_form (self);
}

static void
get_categories_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DocketTaggingPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) categories = NULL;

  if (!docket_dbus_session_call_get_categories_finish (DOCKET_DBUS_SESSION (source), &categories,
                                                       result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_dbus_error_strip_remote_error (error);
      g_free (self->tag_error);
      self->tag_error = g_strdup (error->message);
      _docket_tagging_page_update_form (self);
      return;
    }
  docket_tag_form_set_categories (self->form, categories);
  /* Setting them chose the default: a returned tag's category again. */
  if (self->incident != NULL && docket_incident_get_returned (self->incident) != NULL)
    {
      const gchar *category = NULL;

      if (g_variant_lookup (docket_incident_get_returned (self->incident), "category", "&s",
                            &category))
        docket_tag_form_select_category (self->form, category);
    }
  rebuild_category_buttons (self);
}

/* A tag a sergeant returned comes back as it was, with who returned it and
 * why: the officer corrects it instead of starting again. */
void
_docket_tagging_page_prefill_returned (DocketTaggingPage *self)
{
  GVariant *returned
      = self->incident != NULL ? docket_incident_get_returned (self->incident) : NULL;
  g_autofree gchar *message = NULL;
  const gchar *value = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->returned_label), returned != NULL);
  if (returned == NULL)
    return;
  message = docket_returned_dup_message (returned);
  gtk_label_set_label (self->returned_label, message);
  if (g_variant_lookup (returned, "category", "&s", &value))
    docket_tag_form_select_category (self->form, value);
  if (g_variant_lookup (returned, "case-number", "&s", &value))
    gtk_editable_set_text (GTK_EDITABLE (self->case_row), value);
  if (g_variant_lookup (returned, "note", "&s", &value))
    gtk_editable_set_text (GTK_EDITABLE (self->note_row), value);
}

static void
case_focus_cb (GtkEventControllerFocus *focus, DocketTaggingPage *self)
{
  gtk_revealer_set_reveal_child (self->case_pad, TRUE);
}

static void
note_focus_cb (GtkEventControllerFocus *focus, DocketTaggingPage *self)
{
  gtk_revealer_set_reveal_child (self->case_pad, FALSE);
}

/* No physical keyboard at the dock: touching the case number opens keys
 * for it under the field; the note closes them. */
static void
add_case_pad (DocketTaggingPage *self)
{
  GtkWidget *list = gtk_widget_get_parent (GTK_WIDGET (self->case_row));
  GtkEventController *focus;

  self->case_pad = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_child (self->case_pad, docket_case_pad_new (GTK_EDITABLE (self->case_row)));
  while (list != NULL && gtk_widget_get_parent (list) != self->form_box)
    list = gtk_widget_get_parent (list);
  gtk_widget_insert_after (GTK_WIDGET (self->case_pad), self->form_box, list);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "enter", G_CALLBACK (case_focus_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->case_row), focus);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "enter", G_CALLBACK (note_focus_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->note_row), focus);
}

void
_docket_tagging_page_init_form (DocketTaggingPage *self)
{
  g_signal_connect_object (self->form, "notify", G_CALLBACK (form_changed_cb), self, 0);
  g_signal_connect (self->case_row, "changed", G_CALLBACK (case_changed_cb), self);
  add_case_pad (self);
  g_signal_connect (self->note_row, "changed", G_CALLBACK (note_changed_cb), self);
  docket_text_pad_attach (GTK_EDITABLE (self->note_row));
}

void
_docket_tagging_page_load_categories (DocketTaggingPage *self)
{
  docket_dbus_session_call_get_categories (self->session, self->cancellable, get_categories_cb,
                                           g_object_ref (self));
}
