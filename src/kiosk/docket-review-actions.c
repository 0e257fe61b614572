/* docket-review-actions.c — approve, correct, return, decide deletions, assign owners, export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every action asks for a reason first (the daemon requires one and writes
 * it to the audit log), then calls the daemon; the row leaves the list only
 * when the daemon has said yes. The outcome of each, and any other trouble
 * the page has to tell, is a toast shown from here.
 *
 * Uses the page only through docket-review-page-private.h: the page calls
 * in here, never the other way round.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-export-dialog.h"
#include "docket-plain-text.h"
#include "docket-review-page-private.h"
#include "docket-text-pad.h"

void
_docket_review_page_toast (DocketReviewPage *self, const gchar *text)
{
  AdwToast *toast = docket_toast_new_plain (text);

  /* The outcome stays until the next one or sign-out: a sergeant who looked
   * away for five seconds must still be able to read what happened. */
  adw_toast_set_timeout (toast, 0);
  _docket_review_page_show_toast (self, toast);
}

/* A sergeant working down a queue wants the latest outcome now, not after
 * the earlier ones have each had their seconds. */
void
_docket_review_page_show_toast (DocketReviewPage *self, AdwToast *toast)
{
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  g_set_weak_pointer (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

typedef struct
{
  DocketReviewPage *page; /* owned */
  DocketReviewItem *item; /* owned */
  gchar *what;
  GtkEditable *reason;
  GtkEditable *badge;    /* assign only */
  GtkDropDown *category; /* correct only */
  GtkEditable *case_number;
  GtkLabel *case_error;
  GtkEditable *note;
  GRegex *case_format;
} ActionData;

static void
action_data_free (ActionData *data)
{
  g_clear_object (&data->page);
  g_clear_object (&data->item);
  g_clear_pointer (&data->case_format, g_regex_unref);
  g_free (data->what);
  g_free (data);
}

static void
undo_clicked_cb (AdwToast *toast, DocketReviewItem *item)
{
  DocketReviewPage *page = g_object_get_data (G_OBJECT (toast), "page");

  _docket_review_page_run_action (page, item, "revert-deletion");
}

static void
action_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ActionData *data = user_data;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  const gchar *done;
  g_autofree gchar *assigned = NULL;

  reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  if (reply == NULL)
    {
      g_dbus_error_strip_remote_error (error);
      _docket_review_page_toast (data->page, error->message);
      action_data_free (data);
      return;
    }
  if (g_str_equal (data->what, "assign"))
    {
      const gchar *name = NULL;

      g_variant_get (reply, "(&s)", &name);
      /* TRANSLATORS: %s is the officer's name */
      assigned = g_strdup_printf (_ ("Assigned to %s, who can tag it now"), name);
      done = assigned;
    }
  else if (g_str_equal (data->what, "approve"))
    done = _ ("Approved");
  else if (g_str_equal (data->what, "return"))
    done = _ ("Returned to the officer");
  else if (g_str_equal (data->what, "correct"))
    done = _ ("Tag corrected");
  else if (g_str_equal (data->what, "approve-deletion"))
    done = _ ("Deletion approved");
  else if (g_str_equal (data->what, "revert-deletion"))
    done = _ ("Deletion undone: the recording is back with its officer");
  else
    done = _ ("Deletion refused");
  if (g_str_equal (data->what, "approve-deletion"))
    {
      /* The daemon keeps the file through a grace period, and lists approved
       * requests nowhere: undoing is offered here, right after approving. */
      AdwToast *toast = docket_toast_new_plain (done);

      adw_toast_set_button_label (toast, _ ("Undo Deletion…"));
      /* Offered until the sergeant does something else (run_action). */
      adw_toast_set_timeout (toast, 0);
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_clicked_cb),
                             g_object_ref (data->item),
                             (GClosureNotify)(void (*) (void))g_object_unref, 0);
      g_object_set_data_full (G_OBJECT (toast), "page", g_object_ref (data->page), g_object_unref);
      if (data->page->undo_toast != NULL)
        adw_toast_dismiss (data->page->undo_toast);
      g_set_weak_pointer (&data->page->undo_toast, toast);
      _docket_review_page_show_toast (data->page, toast);
    }
  else
    _docket_review_page_toast (data->page, done);
  docket_review_model_remove_id (data->page->model, docket_review_item_get_id (data->item));
  action_data_free (data);
}

static const gchar *
selected_category (ActionData *data)
{
  guint selected = gtk_drop_down_get_selected (data->category);

  /* The dialog's list is the page's without "All categories" in front. */
  if (selected + 1 >= data->page->category_ids->len)
    return "";
  return g_ptr_array_index (data->page->category_ids, selected + 1);
}

static void
call_daemon (ActionData *data)
{
  GDBusProxy *proxy = G_DBUS_PROXY (data->page->session);
  const gchar *reason = gtk_editable_get_text (data->reason);
  gint64 id = docket_review_item_get_id (data->item);
  gint64 request = docket_review_item_get_request_id (data->item);
  const gchar *method;
  GVariant *params;

  if (g_str_equal (data->what, "assign"))
    method = "AssignOwner",
    params = g_variant_new ("(xss)", id, gtk_editable_get_text (data->badge), reason);
  else if (g_str_equal (data->what, "approve"))
    method = "Approve", params = g_variant_new ("(xs)", id, reason);
  else if (g_str_equal (data->what, "return"))
    method = "Return", params = g_variant_new ("(xs)", id, reason);
  else if (g_str_equal (data->what, "correct"))
    method = "Correct", params = g_variant_new ("(xssss)", id, selected_category (data),
                                                gtk_editable_get_text (data->case_number),
                                                gtk_editable_get_text (data->note), reason);
  else if (g_str_equal (data->what, "revert-deletion"))
    method = "RevertDeletion", params = g_variant_new ("(xs)", request, reason);
  else
    method = "DecideDeletion",
    params = g_variant_new ("(xbs)", request, g_str_equal (data->what, "approve-deletion"), reason);
  g_dbus_proxy_call (proxy, method, params, G_DBUS_CALL_FLAGS_NONE, -1, NULL, action_done_cb, data);
}

static void
response_cb (AdwMessageDialog *dialog, const gchar *response, ActionData *data)
{
  if (g_str_equal (response, "confirm") && data->page->session != NULL)
    call_daemon (data);
  else
    action_data_free (data);
}

static gboolean
case_number_ok (ActionData *data)
{
  const gchar *text;

  if (data->case_number == NULL || data->case_format == NULL)
    return TRUE;
  text = gtk_editable_get_text (data->case_number);
  return *text == '\0' || g_regex_match (data->case_format, text, 0, NULL);
}

static void
validate_cb (GtkEditable *editable, AdwMessageDialog *dialog)
{
  ActionData *data = g_object_get_data (G_OBJECT (dialog), "action-data");
  g_autofree gchar *reason = g_strstrip (g_strdup (gtk_editable_get_text (data->reason)));
  gboolean case_ok = case_number_ok (data);
  gboolean badge_ok = data->badge == NULL || *gtk_editable_get_text (data->badge) != '\0';

  if (data->case_error != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (data->case_error), !case_ok);
      if (case_ok)
        gtk_widget_remove_css_class (GTK_WIDGET (data->case_number), "error");
      else
        gtk_widget_add_css_class (GTK_WIDGET (data->case_number), "error");
    }
  adw_message_dialog_set_response_enabled (dialog, "confirm",
                                           *reason != '\0' && case_ok && badge_ok);
}

static GtkEditable *
add_entry (GtkBox *box, const gchar *label, const gchar *text, AdwMessageDialog *dialog)
{
  GtkWidget *caption = gtk_label_new (label);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "heading");
  gtk_label_set_mnemonic_widget (GTK_LABEL (caption), entry);
  gtk_box_append (box, caption);
  /* Named by its caption (labelled-by): a second label would double the name. */
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_connect_object (entry, "changed", G_CALLBACK (validate_cb), dialog, 0);
  gtk_box_append (box, entry);
  return GTK_EDITABLE (entry);
}

static void
add_correction_fields (ActionData *data, GtkBox *box, AdwMessageDialog *dialog)
{
  DocketReviewPage *page = data->page;
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  GListModel *page_labels = G_LIST_MODEL (page->category_labels);
  const gchar *current = docket_review_item_get_category (data->item);
  const gchar *format = docket_dbus_session_get_case_number_format (page->session);
  GtkWidget *caption = gtk_label_new (_ ("Category"));
  guint selected = 0;

  for (guint i = 1; i < g_list_model_get_n_items (page_labels); i++)
    {
      gtk_string_list_append (labels, gtk_string_list_get_string (page->category_labels, i));
      if (g_strcmp0 (current, g_ptr_array_index (page->category_ids, i)) == 0)
        selected = i - 1;
    }
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "heading");
  gtk_box_append (box, caption);
  data->category = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (labels)), NULL));
  gtk_drop_down_set_selected (data->category, selected);
  gtk_accessible_update_property (GTK_ACCESSIBLE (data->category), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Category"), -1);
  gtk_box_append (box, GTK_WIDGET (data->category));

  data->case_number = add_entry (box, _ ("Case or incident number"),
                                 docket_review_item_get_case_number (data->item), dialog);
  if (format != NULL && *format != '\0')
    {
      g_autofree gchar *anchored = g_strdup_printf ("^(?:%s)$", format);

      data->case_format = g_regex_new (anchored, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, NULL);
    }
  data->case_error
      = GTK_LABEL (gtk_label_new (_ ("This is not a case number in the station’s format.")));
  gtk_label_set_xalign (data->case_error, 0);
  gtk_label_set_wrap (data->case_error, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (data->case_error), "error");
  gtk_widget_set_visible (GTK_WIDGET (data->case_error), FALSE);
  gtk_box_append (box, GTK_WIDGET (data->case_error));
  data->note
      = add_entry (box, _ ("Note (optional)"), docket_review_item_get_note (data->item), dialog);
  docket_text_pad_attach (data->note);
}

/* The usual reasons for each decision: a touch instead of typing (the
 * reason entry stays, for anything else). */
static const gchar *const *
preset_reasons (const gchar *what)
{
  static const gchar *const approve[]
      = { N_ ("Watched: the tag is right"), N_ ("Force was justified"), NULL };
  static const gchar *const give_back[]
      = { N_ ("Add the case number"), N_ ("Wrong category"), N_ ("Say more in the note"), NULL };
  static const gchar *const correct[]
      = { N_ ("The officer’s tag was wrong"), N_ ("Tagged for an officer on leave"), NULL };
  static const gchar *const delete_it[]
      = { N_ ("Accidental, nothing of value"), N_ ("Test recording"), NULL };
  static const gchar *const refuse[] = { N_ ("Has evidential value: keep it"), NULL };
  static const gchar *const revert[] = { N_ ("Approved by mistake"), NULL };
  static const gchar *const assign[]
      = { N_ ("Wore this camera on shift"), N_ ("Pool camera checked out to them"), NULL };

  if (g_str_equal (what, "approve"))
    return approve;
  if (g_str_equal (what, "return"))
    return give_back;
  if (g_str_equal (what, "correct"))
    return correct;
  if (g_str_equal (what, "approve-deletion"))
    return delete_it;
  if (g_str_equal (what, "refuse-deletion"))
    return refuse;
  if (g_str_equal (what, "revert-deletion"))
    return revert;
  return assign;
}

static void
preset_clicked_cb (GtkButton *button, GtkEditable *reason)
{
  gtk_editable_set_text (reason, gtk_button_get_label (button));
}

static void
add_presets (GtkBox *box, const gchar *what, GtkEditable *reason)
{
  const gchar *const *presets = preset_reasons (what);
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 2);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 8);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 8);
  gtk_widget_add_css_class (flow, "docket-reason-presets");
  for (guint i = 0; presets[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (_ (presets[i]));

      gtk_widget_add_css_class (button, "pill");
      g_signal_connect_object (button, "clicked", G_CALLBACK (preset_clicked_cb), reason, 0);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
    }
  gtk_box_append (box, flow);
}

void
_docket_review_page_run_action (DocketReviewPage *self, DocketReviewItem *item, const gchar *what)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree gchar *title = NULL;
  const gchar *heading;
  const gchar *confirm;
  AdwResponseAppearance appearance = ADW_RESPONSE_SUGGESTED;
  GtkWidget *dialog;
  GtkWidget *box;
  ActionData *data;

  g_return_if_fail (DOCKET_IS_REVIEW_PAGE (self));
  g_return_if_fail (DOCKET_IS_REVIEW_ITEM (item));

  if (self->session == NULL)
    return;
  if (g_str_equal (what, "export"))
    {
      g_autofree gchar *recording = docket_review_item_dup_title (item);
      DocketExportDialog *export = docket_export_dialog_new (
          GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->session,
          docket_review_item_get_id (item), recording, docket_review_item_get_case_number (item));

      gtk_window_present (GTK_WINDOW (export));
      return;
    }
  /* Its toast would otherwise hold back every later one. */
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  if (g_str_equal (what, "approve"))
    heading = _ ("Approve This Recording?"), confirm = _ ("Approve");
  else if (g_str_equal (what, "return"))
    heading = _ ("Return to the Officer?"), confirm = _ ("Return");
  else if (g_str_equal (what, "correct"))
    heading = _ ("Correct the Tag"), confirm = _ ("Save Correction");
  else if (g_str_equal (what, "approve-deletion"))
    heading = _ ("Delete This Recording?"), confirm = _ ("Delete"),
    appearance = ADW_RESPONSE_DESTRUCTIVE;
  else if (g_str_equal (what, "refuse-deletion"))
    heading = _ ("Refuse the Deletion?"), confirm = _ ("Refuse");
  else if (g_str_equal (what, "revert-deletion"))
    heading = _ ("Undo the Deletion?"), confirm = _ ("Undo Deletion");
  else if (g_str_equal (what, "assign"))
    heading = _ ("Whose Recording Is This?"), confirm = _ ("Assign");
  else
    g_return_if_reached ();

  title = docket_review_item_dup_title (item);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, title);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("Cancel"), "confirm",
                                    confirm, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm", appearance);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "confirm", FALSE);

  data = g_new0 (ActionData, 1);
  data->page = g_object_ref (self);
  data->item = g_object_ref (item);
  data->what = g_strdup (what);
  g_object_set_data (G_OBJECT (dialog), "action-data", data);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (box, "docket-action-fields");
  if (g_str_equal (what, "correct"))
    add_correction_fields (data, GTK_BOX (box), ADW_MESSAGE_DIALOG (dialog));
  if (g_str_equal (what, "assign"))
    {
      data->badge = add_entry (GTK_BOX (box), _ ("The officer’s badge number"), NULL,
                               ADW_MESSAGE_DIALOG (dialog));
      gtk_entry_set_input_purpose (GTK_ENTRY (data->badge), GTK_INPUT_PURPOSE_DIGITS);
    }
  data->reason = add_entry (GTK_BOX (box), _ ("Reason (required, goes into the audit log)"), NULL,
                            ADW_MESSAGE_DIALOG (dialog));
  docket_text_pad_attach (data->reason);
  add_presets (GTK_BOX (box), what, data->reason);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), data);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (data->badge != NULL ? data->badge : data->reason));
}
