/* docket-review-page.c — a sergeant's review queues
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Queue selector and filters over a paged DocketReviewModel; each row's
 * buttons go to docket-review-actions.c, which also shows the outcomes (and
 * calls nothing back here). All D-Bus calls are asynchronous.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-preview-dialog.h"
#include "docket-plain-text.h"
#include "docket-review-page-private.h"
#include "docket-review-row.h"
#include "docket-tag-form.h"

G_DEFINE_FINAL_TYPE (DocketReviewPage, docket_review_page, GTK_TYPE_WIDGET)

/* Rows from the end of the list at which the next page is fetched. */
#define LOAD_MORE_MARGIN_PX 400
/* Session.Touch at most this often while someone is using the page. */
#define TOUCH_INTERVAL_USEC (15 * G_USEC_PER_SEC)

/* The daemon's names, in the selector's order. */
static const gchar *const queue_ids[DOCKET_REVIEW_N_QUEUES]
    = { "unowned", "overdue", "review", "deletion", "sample" };

static GtkToggleButton *
queue_button (DocketReviewPage *self, guint i)
{
  GtkToggleButton *buttons[DOCKET_REVIEW_N_QUEUES]
      = { self->unowned_button, self->overdue_button, self->review_button, self->deletion_button,
          self->sample_button };

  return buttons[i];
}

static void reload (DocketReviewPage *self);

typedef struct
{
  DocketReviewPage *self; /* owned */
  guint queue;
} CountCall;

static void
count_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CountCall *call = user_data;
  g_autoptr (DocketReviewPage) self = call->self;
  g_autoptr (GVariant) recordings = NULL;
  g_autoptr (GError) error = NULL;
  guint total = 0;
  guint queue = call->queue;

  g_free (call);
  if (!docket_dbus_session_call_review_queue_finish (DOCKET_DBUS_SESSION (source), &recordings,
                                                     &total, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The list itself says what went wrong; the count just stays blank. */
      gtk_label_set_label (self->count_labels[queue], "");
    }
  else
    {
      g_autofree gchar *text = g_strdup_printf ("%u", total);
      /* TRANSLATORS: how many recordings a review queue holds, for screen readers */
      g_autofree gchar *words = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%u recording", "%u recordings", total), total);

      self->counts[queue] = total;
      gtk_label_set_label (self->count_labels[queue], text);
      gtk_widget_set_visible (GTK_WIDGET (self->count_labels[queue]), TRUE);
      if (total > 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->count_labels[queue]), "docket-queue-busy");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->count_labels[queue]), "docket-queue-busy");
      gtk_accessible_update_property (GTK_ACCESSIBLE (queue_button (self, queue)),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, words, -1);
    }
  if (self->counts_pending > 0)
    self->counts_pending--;
  /* Just signed in: open the first queue that has work in it. */
  if (self->counts_pending == 0 && self->landing)
    {
      self->landing = FALSE;
      for (guint i = 0; i < DOCKET_REVIEW_N_QUEUES; i++)
        if (self->counts[i] > 0)
          {
            gtk_toggle_button_set_active (queue_button (self, i), TRUE);
            break;
          }
    }
}

static void
refresh_counts (DocketReviewPage *self)
{
  if (self->session == NULL)
    return;
  for (guint i = 0; i < DOCKET_REVIEW_N_QUEUES; i++)
    {
      CountCall *call = g_new0 (CountCall, 1);

      call->self = g_object_ref (self);
      call->queue = i;
      self->counts_pending++;
      docket_dbus_session_call_review_queue (self->session, queue_ids[i],
                                             g_variant_new ("a{sv}", NULL), 0, 1, self->cancellable,
                                             count_done_cb, call);
    }
}

static const gchar *
current_queue (DocketReviewPage *self)
{
  if (gtk_toggle_button_get_active (self->unowned_button))
    return "unowned";
  if (gtk_toggle_button_get_active (self->review_button))
    return "review";
  if (gtk_toggle_button_get_active (self->deletion_button))
    return "deletion";
  if (gtk_toggle_button_get_active (self->sample_button))
    return "sample";
  if (gtk_toggle_button_get_active (self->damaged_button))
    return "damaged";
  return "overdue";
}

static void
update_view (DocketReviewPage *self)
{
  DocketPagedModel *model = DOCKET_PAGED_MODEL (self->model);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
  guint total = docket_paged_model_get_total (model);
  const gchar *error = docket_paged_model_get_error (model);
  g_autofree gchar *count = NULL;
  const gchar *page;

  if (error != NULL && n == 0)
    {
      docket_status_page_set_plain_description (self->error_status, error);
      page = "error";
    }
  else if (n > 0)
    page = "list";
  else if (docket_paged_model_get_loading (model))
    page = "loading";
  else
    page = "empty";
  gtk_stack_set_visible_child_name (self->list_stack, page);

  /* TRANSLATORS: how many recordings the chosen review queue holds */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u recording in this queue",
                                        "%u recordings in this queue", total),
                           total);
  gtk_label_set_label (self->count_label, count);
}

static void
model_notify_cb (DocketReviewModel *model, GParamSpec *pspec, DocketReviewPage *self)
{
  update_view (self);
}

static void
model_items_changed_cb (
    GListModel *model, guint position, guint removed, guint added, DocketReviewPage *self)
{
  update_view (self);
  /* One row gone: a decision was made, and its queue's count changed. */
  if (removed == 1 && added == 0)
    refresh_counts (self);
}

static GVariant *
build_filters (DocketReviewPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->category_dropdown);
  const gchar *category = NULL;
  gint64 from = 0, to = 0;

  if (self->category_ids != NULL && selected < self->category_ids->len)
    category = g_ptr_array_index (self->category_ids, selected);
  docket_review_period_range (
      (DocketReviewPeriod)gtk_drop_down_get_selected (self->period_dropdown), g_get_real_time (),
      &from, &to);
  return docket_review_filters_to_variant (
      gtk_editable_get_text (GTK_EDITABLE (self->officer_entry)), category, from, to);
}

static void
reload (DocketReviewPage *self)
{
  if (self->session == NULL)
    return;
  docket_review_model_set_queue (self->model, current_queue (self));
  docket_review_model_set_filters (self->model, build_filters (self));
  docket_paged_model_reload (DOCKET_PAGED_MODEL (self->model));
  if (!self->landing)
    refresh_counts (self);
}

static void
queue_toggled_cb (DocketReviewPage *self, GtkToggleButton *button)
{
  /* Each switch toggles two buttons; act once, on the one turned on. */
  if (!gtk_toggle_button_get_active (button))
    return;
  /* The sergeant chose: do not move them when the counts come in. */
  if (!self->updating_categories)
    self->landing = FALSE;
  reload (self);
}

static void
filters_changed_cb (DocketReviewPage *self)
{
  if (!self->updating_categories)
    reload (self);
}

static void
refresh_clicked_cb (DocketReviewPage *self)
{
  reload (self);
}

static void
scrolled_cb (GtkAdjustment *adjustment, DocketReviewPage *self)
{
  gdouble end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  if (gtk_adjustment_get_value (adjustment) >= end - LOAD_MORE_MARGIN_PX)
    docket_paged_model_load_more (DOCKET_PAGED_MODEL (self->model));
}

/* Written to the audit log with each view: the sergeant is reviewing the
 * queue's recording (the queue says why). */
static const gchar *
view_reason (DocketReviewPage *self)
{
  const gchar *queue = current_queue (self);

  if (g_str_equal (queue, "unowned"))
    return "Sergeant review: finding the owner of an unassigned recording";
  if (g_str_equal (queue, "overdue"))
    return "Sergeant review: overdue, untagged recording";
  if (g_str_equal (queue, "deletion"))
    return "Sergeant review: deciding a deletion request";
  if (g_str_equal (queue, "sample"))
    return "Sergeant review: random audit sample";
  return "Sergeant review: category needs supervisor review";
}

static void
play (DocketReviewPage *self, DocketReviewItem *item)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree gchar *title = docket_review_item_dup_title (item);
  DocketPreviewDialog *dialog;

  if (self->session == NULL)
    return;
  dialog
      = docket_preview_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->session,
                                   docket_review_item_get_id (item), title, view_reason (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
row_action_cb (DocketReviewRow *row, const gchar *what, DocketReviewPage *self)
{
  if (g_str_equal (what, "play"))
    play (self, docket_review_row_get_item (row));
  else
    _docket_review_page_run_action (self, docket_review_row_get_item (row), what);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, DocketReviewPage *self)
{
  GtkWidget *row = docket_review_row_new ();

  g_signal_connect_object (row, "action", G_CALLBACK (row_action_cb), self, 0);
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_selectable (list_item, FALSE);
  gtk_list_item_set_child (list_item, row);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, DocketReviewPage *self)
{
  DocketReviewItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *row = gtk_list_item_get_child (list_item);
  g_autofree gchar *title = NULL;

  docket_review_row_set_item (DOCKET_REVIEW_ROW (row), item);
  if (self->thumbnails != NULL && docket_review_item_has_thumbnail (item))
    docket_thumbnail_cache_show (self->thumbnails, docket_review_item_get_id (item),
                                 docket_review_row_get_picture (DOCKET_REVIEW_ROW (row)));
  /* GTK 4.8 has no accessible label for list items: name the row's parent
   * (the list item) so a screen reader says which recording it is on. */
  title = docket_review_item_dup_title (item);
  if (gtk_widget_get_parent (row) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (row)),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  /* Short lists never scroll: fetch more when the last row shows. */
  if (gtk_list_item_get_position (list_item) + 1
      >= g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    docket_paged_model_load_more (DOCKET_PAGED_MODEL (self->model));
}

static void
categories_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DocketReviewPage) self = user_data;
  g_autoptr (GVariant) categories = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) labels = NULL;
  GVariantIter iter;
  GVariant *category;
  guint n_labels;

  if (!docket_dbus_session_call_get_categories_finish (DOCKET_DBUS_SESSION (source), &categories,
                                                       result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_dbus_error_strip_remote_error (error);
          _docket_review_page_toast (self, error->message);
        }
      return;
    }
  labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->updating_categories = TRUE;
  n_labels = g_list_model_get_n_items (G_LIST_MODEL (self->category_labels));
  g_ptr_array_set_size (self->category_ids, 1);
  gtk_string_list_splice (self->category_labels, 1, n_labels - 1, NULL);
  g_variant_iter_init (&iter, categories);
  while ((category = g_variant_iter_next_value (&iter)) != NULL)
    {
      const gchar *id = NULL;
      const gchar *label = NULL;

      if (g_variant_lookup (category, "id", "&s", &id))
        {
          label = docket_category_label (category, (const gchar *const *)g_get_language_names ());
          g_ptr_array_add (self->category_ids, g_strdup (id));
          gtk_string_list_append (self->category_labels, label);
          g_hash_table_replace (labels, g_strdup (id), g_strdup (label));
        }
      g_variant_unref (category);
    }
  self->updating_categories = FALSE;
  /* Rows already drawn with the bare id update themselves. */
  docket_review_model_set_category_labels (self->model, labels);
}

static void
touch (DocketReviewPage *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->session == NULL || now - self->last_touch_usec < TOUCH_INTERVAL_USEC)
    return;
  self->last_touch_usec = now;
  docket_dbus_session_call_touch (self->session, NULL, NULL, NULL);
}

static void
pressed_cb (GtkGestureClick *gesture, gint n_press, gdouble x, gdouble y, DocketReviewPage *self)
{
  touch (self);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint keyval,
                guint keycode,
                GdkModifierType state,
                DocketReviewPage *self)
{
  touch (self);
  return FALSE;
}

void
docket_review_page_set_session (DocketReviewPage *self, DocketDBusSession *session)
{
  g_return_if_fail (DOCKET_IS_REVIEW_PAGE (self));
  g_return_if_fail (session == NULL || DOCKET_DBUS_IS_SESSION (session));

  if (self->session == session)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The next sergeant does not get the last one's outcome or Undo. */
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  g_set_object (&self->session, session);
  docket_review_model_set_session (self->model, session);
  g_clear_object (&self->thumbnails);
  if (session != NULL)
    self->thumbnails = docket_thumbnail_cache_new (session);
  self->last_touch_usec = 0;
  /* Before the selector is reset below, which reloads. */
  self->landing = session != NULL;
  self->counts_pending = 0;
  for (guint i = 0; i < DOCKET_REVIEW_N_QUEUES; i++)
    {
      self->counts[i] = 0;
      gtk_widget_set_visible (GTK_WIDGET (self->count_labels[i]), FALSE);
    }

  /* A new person starts from a clean page. */
  self->updating_categories = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->officer_entry), "");
  gtk_drop_down_set_selected (self->category_dropdown, 0);
  gtk_drop_down_set_selected (self->period_dropdown, 0);
  gtk_toggle_button_set_active (self->overdue_button, TRUE);
  self->updating_categories = FALSE;
  update_view (self);
  if (session == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  docket_dbus_session_call_get_categories (session, self->cancellable, categories_done_cb,
                                           g_object_ref (self));
  reload (self);
  refresh_counts (self);
}

/* GTK 4.8's GtkDropDown is a combo box that never takes focus itself (its
 * inner button does) and leaves that button unnamed: fix both for keyboard
 * and screen-reader users. */
static void
name_dropdown (GtkDropDown *dropdown, const gchar *name)
{
  GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (dropdown));

  gtk_widget_set_focusable (GTK_WIDGET (dropdown), TRUE);
  if (button != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
}

/* The queue's name with its count beside it; the button keeps its name for
 * screen readers (and its description says the count). */
static void
add_count (DocketReviewPage *self, guint i)
{
  GtkToggleButton *button = queue_button (self, i);
  g_autofree gchar *name = g_strdup (gtk_button_get_label (GTK_BUTTON (button)));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *count = gtk_label_new (NULL);

  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  /* Six queues side by side fit 1280 px only on two lines each. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 12);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (count, "docket-queue-count");
  gtk_widget_set_valign (count, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (count, FALSE);
  gtk_box_append (GTK_BOX (box), count);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  self->count_labels[i] = GTK_LABEL (count);
}

static void
docket_review_page_dispose (GObject *object)
{
  DocketReviewPage *self = DOCKET_REVIEW_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_weak_pointer (&self->undo_toast);
  g_clear_weak_pointer (&self->toast);
  g_clear_object (&self->session);
  g_clear_object (&self->thumbnails);
  if (self->model != NULL)
    docket_review_model_set_session (self->model, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), DOCKET_TYPE_REVIEW_PAGE);
  g_clear_object (&self->model);
  g_clear_pointer (&self->category_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (docket_review_page_parent_class)->dispose (object);
}

static void
docket_review_page_class_init (DocketReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_review_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/docket-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, unowned_button);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, overdue_button);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, review_button);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, deletion_button);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, sample_button);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, damaged_button);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, officer_entry);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, category_labels);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, selection);
  gtk_widget_class_bind_template_child (widget_class, DocketReviewPage, error_status);
  gtk_widget_class_bind_template_callback (widget_class, queue_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "docket-review");
}

static void
docket_review_page_init (DocketReviewPage *self)
{
  GtkListItemFactory *factory;
  GtkGesture *click;
  GtkEventController *keys;

  self->model = docket_review_model_new ();
  self->category_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->category_ids, g_strdup (""));

  gtk_widget_init_template (GTK_WIDGET (self));
  self->updating_categories = TRUE;
  gtk_string_list_append (self->category_labels, _ ("All categories"));
  self->updating_categories = FALSE;
  for (guint i = 0; i < DOCKET_REVIEW_N_QUEUES; i++)
    add_count (self, i);
  name_dropdown (self->category_dropdown, _ ("Filter by category"));
  name_dropdown (self->period_dropdown, _ ("Filter by date"));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (self->model));

  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (model_notify_cb), self, 0);
  g_signal_connect_object (self->model, "notify::error", G_CALLBACK (model_notify_cb), self, 0);
  g_signal_connect_object (self->model, "notify::total", G_CALLBACK (model_notify_cb), self, 0);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (model_items_changed_cb), self,
                           0);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (scrolled_cb), self, 0);

  /* Any touch or key on the page keeps the session alive. */
  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  update_view (self);
}
