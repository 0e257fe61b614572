/* docket-tagging-page.c — the officer's page: tag the untagged recordings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Left: the incidents still to tag (DocketIncidentList, paged as the officer
 * scrolls), each with its thumbnail. Right: the tag form for the selected
 * incident (DocketTagForm): category buttons, case number checked as typed,
 * note, and one button that tags the whole incident. Every call to docketd
 * is async (the window resets the idle timer on every input).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-case-pad.h"
#include "docket-plain-text.h"
#include "docket-deletion-dialog.h"
#include "docket-my-tags.h"
#include "docket-incident-list.h"
#include "docket-preview-dialog.h"
#include "docket-tag-form.h"
#include "docket-tagging-page.h"
#include "docket-thumbnail-cache.h"

/* Recorded in the audit log with every preview of one's own recording. */
#define PREVIEW_REASON "Officer preview before tagging"

struct _DocketTaggingPage
{
  GtkWidget parent_instance;

  /* template widgets */
  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  AdwStatusPage *error_page;
  GtkLabel *summary_label;
  GtkScrolledWindow *scroller;
  GtkListView *list_view;
  GtkSingleSelection *selection;
  GtkWidget *form_box;
  GtkLabel *incident_title;
  GtkLabel *returned_label;
  GtkListBox *recordings_box;
  GtkFlowBox *category_box;
  GtkWidget *restricted_box;
  AdwEntryRow *case_row;
  GtkRevealer *case_pad;
  AdwEntryRow *note_row;
  GtkLabel *form_error;
  GtkButton *tag_button;

  /* owned */
  DocketDBusSession *session;
  DocketIncidentList *list;
  DocketTagForm *form;
  DocketThumbnailCache *thumbnails;
  GCancellable *cancellable;
  DocketIncident *incident; /* the one the form is for */
  GPtrArray *category_buttons;
  gchar *tag_error;
  gboolean tagging;
};

G_DEFINE_FINAL_TYPE (DocketTaggingPage, docket_tagging_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_stack (DocketTaggingPage *self)
{
  const gchar *name = "loading";
  guint n = self->list != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->list)) : 0;

  if (n > 0)
    name = "list";
  else if (self->list == NULL || docket_paged_model_get_loading (DOCKET_PAGED_MODEL (self->list)))
    name = "loading";
  else if (docket_paged_model_get_error (DOCKET_PAGED_MODEL (self->list)) != NULL)
    {
      docket_status_page_set_plain_description (
          self->error_page, docket_paged_model_get_error (DOCKET_PAGED_MODEL (self->list)));
      name = "error";
    }
  else
    name = "empty";
  gtk_stack_set_visible_child_name (self->stack, name);
  /* GTK 4.8 presents every stack page to screen readers; hide the others. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN,
                                 child != gtk_stack_get_visible_child (self->stack), -1);
}

static guint
n_to_tag (DocketTaggingPage *self)
{
  guint n = 0;

  if (self->incident != NULL)
    docket_incident_get_ids (self->incident, &n);
  return n;
}

static void
update_form_state (DocketTaggingPage *self)
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
  update_form_state (self);
}

static void
clear_tag_error (DocketTaggingPage *self)
{
  g_clear_pointer (&self->tag_error, g_free);
}

static void
case_changed_cb (GtkEditable *editable, DocketTaggingPage *self)
{
  clear_tag_error (self);
  docket_tag_form_set_case_number (self->form, gtk_editable_get_text (editable));
  update_form_state (self);
}

static void
note_changed_cb (GtkEditable *editable, DocketTaggingPage *self)
{
  clear_tag_error (self);
  docket_tag_form_set_note (self->form, gtk_editable_get_text (editable));
  update_form_state (self);
}

static void
category_toggled_cb (GtkToggleButton *button, DocketTaggingPage *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  clear_tag_error (self);
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
  update_form_state (self);
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
      update_form_state (self);
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
  update_form_state (self);
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
  g_object_set_data_full (G_OBJECT (button), "recording-title", g_strdup (time), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (request_deletion_clicked_cb), self);
  return button;
}

static GtkWidget *
recording_row_new (DocketTaggingPage *self, GVariant *recording)
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
  g_object_set_data_full (G_OBJECT (button), "recording-title", g_strdup (time), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (preview_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), deletion_widget_new (self, recording, id, time));
  return row;
}

/* A tag a sergeant returned comes back as it was, with who returned it and
 * why: the officer corrects it instead of starting again. */
static void
prefill_returned (DocketTaggingPage *self)
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
show_incident (DocketTaggingPage *self, DocketIncident *incident)
{
  guint n;
  GtkWidget *row;
  g_autofree gchar *tag_label = NULL;

  if (incident == self->incident)
    return;
  g_set_object (&self->incident, incident);
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->recordings_box))) != NULL)
    gtk_list_box_remove (self->recordings_box, row);
  clear_tag_error (self);
  docket_tag_form_reset (self->form);
  gtk_editable_set_text (GTK_EDITABLE (self->case_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->returned_label), FALSE);
  gtk_revealer_set_reveal_child (self->case_pad, FALSE);
  if (incident == NULL)
    {
      update_form_state (self);
      return;
    }

  gtk_label_set_label (self->incident_title, docket_incident_get_title (incident));
  prefill_returned (self);
  for (guint i = 0; i < docket_incident_get_n_recordings (incident); i++)
    gtk_list_box_append (self->recordings_box,
                         recording_row_new (self, docket_incident_get_recording (incident, i)));
  /* Those waiting for a sergeant's deletion decision are not tagged. */
  docket_incident_get_ids (incident, &n);
  if (n == 0)
    tag_label = g_strdup (_ ("Waiting for a Sergeant"));
  else if (n == 1)
    tag_label = g_strdup (_ ("Tag This Recording"));
  else
    tag_label = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "Tag %u Recording", "Tag All %u Recordings", n), n);
  gtk_button_set_label (self->tag_button, tag_label);
  update_form_state (self);
}

static void
selected_cb (GtkSingleSelection *selection, GParamSpec *pspec, DocketTaggingPage *self)
{
  show_incident (self, gtk_single_selection_get_selected_item (selection));
}

static void
list_changed_cb (DocketIncidentList *list, GParamSpec *pspec, DocketTaggingPage *self)
{
  gtk_label_set_label (self->summary_label, docket_incident_list_get_summary (list));
  update_stack (self);
}

static void
items_changed_cb (
    GListModel *model, guint position, guint removed, guint added, DocketTaggingPage *self)
{
  update_stack (self);
}

static void
scrolled_cb (GtkAdjustment *adjustment, DocketTaggingPage *self)
{
  gdouble end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  /* Fetch the next page a little before the officer reaches the end. */
  if (self->list != NULL && gtk_adjustment_get_value (adjustment) >= end - 200)
    docket_paged_model_load_more (DOCKET_PAGED_MODEL (self->list));
}

static void
tag_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DocketTaggingPage) self = user_data;
  g_autoptr (GError) error = NULL;
  guint n = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "docket-tagging-n"));
  g_autofree gchar *text = NULL;

  if (!docket_dbus_session_call_tag_finish (DOCKET_DBUS_SESSION (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->tagging = FALSE;
  if (error != NULL)
    {
      g_dbus_error_strip_remote_error (error);
      g_free (self->tag_error);
      /* TRANSLATORS: %s is the service's reason */
      self->tag_error = g_strdup_printf (_ ("Not tagged: %s"), error->message);
      update_form_state (self);
      return;
    }
  text = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "Tagged %u recording", "Tagged %u recordings", n), n);
  adw_toast_overlay_add_toast (self->toast_overlay, docket_toast_new_plain (text));
  g_clear_object (&self->incident);
  docket_paged_model_reload (DOCKET_PAGED_MODEL (self->list));
  update_form_state (self);
}

static void
tag_action (GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
  DocketTaggingPage *self = DOCKET_TAGGING_PAGE (widget);
  const gint64 *ids;
  guint n_ids = 0;

  if (self->session == NULL || self->incident == NULL || self->tagging
      || !docket_tag_form_get_can_submit (self->form))
    return;
  ids = docket_incident_get_ids (self->incident, &n_ids);
  self->tagging = TRUE;
  clear_tag_error (self);
  g_object_set_data (G_OBJECT (self), "docket-tagging-n", GUINT_TO_POINTER (n_ids));
  docket_dbus_session_call_tag (
      self->session, g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids, n_ids, sizeof (gint64)),
      docket_tag_form_get_category (self->form), docket_tag_form_get_case_number (self->form),
      docket_tag_form_get_note (self->form), self->cancellable, tag_done_cb, g_object_ref (self));
  update_form_state (self);
}

static void
reload_action (GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
  DocketTaggingPage *self = DOCKET_TAGGING_PAGE (widget);

  if (self->list != NULL)
    docket_paged_model_reload (DOCKET_PAGED_MODEL (self->list));
  update_stack (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory, GtkListItem *item, DocketTaggingPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_set_size_request (picture, 144, 81);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_frame_set_child (GTK_FRAME (frame), picture);
  gtk_widget_add_css_class (frame, "docket-thumbnail");
  gtk_widget_set_valign (frame, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "title-3");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), subtitle);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), frame);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  g_object_set_data (G_OBJECT (box), "picture", picture);
  g_object_set_data (G_OBJECT (box), "title", title);
  g_object_set_data (G_OBJECT (box), "subtitle", subtitle);
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory, GtkListItem *item, DocketTaggingPage *self)
{
  DocketIncident *incident = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  g_autofree gchar *name = NULL;

  gtk_label_set_label (g_object_get_data (G_OBJECT (box), "title"),
                       docket_incident_get_title (incident));
  gtk_label_set_label (g_object_get_data (G_OBJECT (box), "subtitle"),
                       docket_incident_get_subtitle (incident));
  name = g_strdup_printf ("%s, %s", docket_incident_get_title (incident),
                          docket_incident_get_subtitle (incident));
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  /* GTK 4.8 has no accessible label for list items: name the item widget. */
  if (gtk_widget_get_parent (box) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (box)),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  if (self->thumbnails != NULL)
    docket_thumbnail_cache_show (self->thumbnails, docket_incident_get_thumbnail_id (incident),
                                 g_object_get_data (G_OBJECT (box), "picture"));
}

static void
drop_session (DocketTaggingPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->list != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->list, self);
      gtk_single_selection_set_model (self->selection, NULL);
      g_clear_object (&self->list);
    }
  g_clear_object (&self->thumbnails);
  g_clear_object (&self->incident);
  g_clear_object (&self->session);
  clear_tag_error (self);
  self->tagging = FALSE;
}

static void
docket_tagging_page_dispose (GObject *object)
{
  DocketTaggingPage *self = DOCKET_TAGGING_PAGE (object);

  drop_session (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_TAGGING_PAGE);

  G_OBJECT_CLASS (docket_tagging_page_parent_class)->dispose (object);
}

static void
docket_tagging_page_finalize (GObject *object)
{
  DocketTaggingPage *self = DOCKET_TAGGING_PAGE (object);

  g_object_unref (self->form);
  g_ptr_array_unref (self->category_buttons);

  G_OBJECT_CLASS (docket_tagging_page_parent_class)->finalize (object);
}

static void
docket_tagging_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketTaggingPage *self = DOCKET_TAGGING_PAGE (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        g_value_set_object (value, self->session);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_tagging_page_set_property (GObject *object,
                                  guint prop_id,
                                  const GValue *value,
                                  GParamSpec *pspec)
{
  DocketTaggingPage *self = DOCKET_TAGGING_PAGE (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        docket_tagging_page_set_session (self, g_value_get_object (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_tagging_page_class_init (DocketTaggingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_tagging_page_dispose;
  object_class->finalize = docket_tagging_page_finalize;
  object_class->get_property = docket_tagging_page_get_property;
  object_class->set_property = docket_tagging_page_set_property;

  properties[PROP_SESSION]
      = g_param_spec_object ("session", NULL, NULL, DOCKET_DBUS_TYPE_SESSION,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "tagging.tag", NULL, tag_action);
  gtk_widget_class_install_action (widget_class, "tagging.reload", NULL, reload_action);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/docket-tagging-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, selection);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, form_box);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, incident_title);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, returned_label);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, recordings_box);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, category_box);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, restricted_box);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, case_row);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, note_row);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, form_error);
  gtk_widget_class_bind_template_child (widget_class, DocketTaggingPage, tag_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "docket-tagging");
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

static void
docket_tagging_page_init (DocketTaggingPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->form = docket_tag_form_new ();
  self->category_buttons = g_ptr_array_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  g_signal_connect (self->selection, "notify::selected-item", G_CALLBACK (selected_cb), self);
  g_signal_connect (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                    G_CALLBACK (scrolled_cb), self);
  g_signal_connect_object (self->form, "notify", G_CALLBACK (form_changed_cb), self, 0);
  g_signal_connect (self->case_row, "changed", G_CALLBACK (case_changed_cb), self);
  add_case_pad (self);
  g_signal_connect (self->note_row, "changed", G_CALLBACK (note_changed_cb), self);

  update_form_state (self);
  update_stack (self);
}

void
docket_tagging_page_set_session (DocketTaggingPage *self, DocketDBusSession *session)
{
  g_return_if_fail (DOCKET_IS_TAGGING_PAGE (self));
  g_return_if_fail (session == NULL || DOCKET_DBUS_IS_SESSION (session));

  if (session == self->session)
    return;
  drop_session (self);
  show_incident (self, NULL);
  if (session != NULL)
    {
      self->session = g_object_ref (session);
      self->cancellable = g_cancellable_new ();
      self->thumbnails = docket_thumbnail_cache_new (session);
      self->list = docket_incident_list_new (session);
      g_signal_connect (self->list, "notify", G_CALLBACK (list_changed_cb), self);
      g_signal_connect (self->list, "items-changed", G_CALLBACK (items_changed_cb), self);
      gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->list));
      docket_tag_form_set_case_number_format (self->form,
                                              docket_dbus_session_get_case_number_format (session));
      docket_dbus_session_call_get_categories (session, self->cancellable, get_categories_cb,
                                               g_object_ref (self));
      docket_paged_model_reload (DOCKET_PAGED_MODEL (self->list));
      gtk_label_set_label (self->summary_label, docket_incident_list_get_summary (self->list));
    }
  update_stack (self);
  update_form_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

DocketDBusSession *
docket_tagging_page_get_session (DocketTaggingPage *self)
{
  g_return_val_if_fail (DOCKET_IS_TAGGING_PAGE (self), NULL);
  return self->session;
}

void
docket_tagging_page_show_my_tags (DocketTaggingPage *self)
{
  GtkRoot *root;

  g_return_if_fail (DOCKET_IS_TAGGING_PAGE (self));
  if (self->session == NULL)
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  docket_my_tags_show (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->session, self->form);
}
