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

#include "docket-my-tags.h"
#include "docket-plain-text.h"
#include "docket-tagging-page-private.h"

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
  _docket_tagging_page_clear_tag_error (self);
  docket_tag_form_reset (self->form);
  gtk_editable_set_text (GTK_EDITABLE (self->case_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->returned_label), FALSE);
  gtk_revealer_set_reveal_child (self->case_pad, FALSE);
  if (incident == NULL)
    {
      _docket_tagging_page_update_form (self);
      return;
    }

  gtk_label_set_label (self->incident_title, docket_incident_get_title (incident));
  _docket_tagging_page_prefill_returned (self);
  for (guint i = 0; i < docket_incident_get_n_recordings (incident); i++)
    gtk_list_box_append (
        self->recordings_box,
        _docket_tagging_page_recording_row_new (self, docket_incident_get_recording (incident, i)));
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
  _docket_tagging_page_update_form (self);
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
      _docket_tagging_page_update_form (self);
      return;
    }
  text = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "Tagged %u recording", "Tagged %u recordings", n), n);
  adw_toast_overlay_add_toast (self->toast_overlay, docket_toast_new_plain (text));
  g_clear_object (&self->incident);
  docket_paged_model_reload (DOCKET_PAGED_MODEL (self->list));
  _docket_tagging_page_update_form (self);
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
  _docket_tagging_page_clear_tag_error (self);
  g_object_set_data (G_OBJECT (self), "docket-tagging-n", GUINT_TO_POINTER (n_ids));
  docket_dbus_session_call_tag (
      self->session, g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids, n_ids, sizeof (gint64)),
      docket_tag_form_get_category (self->form), docket_tag_form_get_case_number (self->form),
      docket_tag_form_get_note (self->form), self->cancellable, tag_done_cb, g_object_ref (self));
  _docket_tagging_page_update_form (self);
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
  _docket_tagging_page_clear_tag_error (self);
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
  _docket_tagging_page_init_form (self);

  _docket_tagging_page_update_form (self);
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
      _docket_tagging_page_load_categories (self);
      docket_paged_model_reload (DOCKET_PAGED_MODEL (self->list));
      gtk_label_set_label (self->summary_label, docket_incident_list_get_summary (self->list));
    }
  update_stack (self);
  _docket_tagging_page_update_form (self);
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
