/* docket-access-dialog.c — "Who viewed my recordings"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-access-dialog.h"
#include "docket-plain-text.h"

struct _DocketAccessDialog
{
  AdwWindow parent_instance;

  /* borrowed */
  AdwPreferencesGroup *group;
  AdwStatusPage *status;
  GtkStack *stack;

  /* owned */
  DocketDBusSession *session;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (DocketAccessDialog, docket_access_dialog, ADW_TYPE_WINDOW)

/* The audit log's action, in the words an officer uses. */
static const gchar *
action_words (const gchar *action)
{
  static const struct
  {
    const gchar *action;
    const gchar *words;
  } words[] = {
    { "recording-viewed", N_ ("Viewed") },
    { "recording-exported", N_ ("Exported") },
    { "recording-approved", N_ ("Approved the tag") },
    { "recording-returned", N_ ("Returned to you to tag again") },
    { "recording-corrected", N_ ("Corrected the tag") },
    { "deletion-approved", N_ ("Approved your deletion request") },
    { "deletion-refused", N_ ("Refused your deletion request") },
    { "deletion-reverted", N_ ("Undid a deletion") },
    { "hold-placed", N_ ("Placed a legal hold") },
    { "hold-released", N_ ("Released a legal hold") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_strcmp0 (words[i].action, action) == 0)
      return _ (words[i].words);
  return action;
}

static gchar *
format_time (gint64 usec)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

static GtkWidget *
entry_row (GVariant *entry)
{
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (entry);
  const gchar *name = "", *role = "", *badge = "", *actor = "", *action = "", *reason = "",
              *recording = "";
  gint64 time_usec = 0;
  g_autofree gchar *when = NULL;
  g_autofree gchar *who = NULL;
  g_autofree gchar *title = NULL;
  g_autofree gchar *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();

  (void)g_variant_dict_lookup (&dict, "name", "&s", &name);
  (void)g_variant_dict_lookup (&dict, "role", "&s", &role);
  (void)g_variant_dict_lookup (&dict, "badge", "&s", &badge);
  (void)g_variant_dict_lookup (&dict, "actor", "&s", &actor);
  (void)g_variant_dict_lookup (&dict, "action", "&s", &action);
  (void)g_variant_dict_lookup (&dict, "reason", "&s", &reason);
  (void)g_variant_dict_lookup (&dict, "recording-name", "&s", &recording);
  (void)g_variant_dict_lookup (&dict, "time-usec", "x", &time_usec);

  when = format_time (time_usec);
  if (*name != '\0')
    /* TRANSLATORS: who looked: name, role ("sergeant") and badge number */
    who = g_strdup_printf (_ ("%s (%s, badge %s)"), name, role, badge);
  else if (*badge != '\0')
    who = g_strdup_printf (_ ("Badge %s"), badge);
  else
    /* docketctl, run by IT on the kiosk's own machine */
    who = g_strdup_printf (_ ("IT (%s)"), actor);
  /* TRANSLATORS: "Walter Skinner (sergeant, badge 2001) — Viewed" */
  title = g_strdup_printf (_ ("%s — %s"), who, action_words (action));
  /* TRANSLATORS: date, recording, the reason they gave */
  subtitle = *reason != '\0' ? g_strdup_printf (_ ("%s · %s · Reason: %s"), when, recording, reason)
                             : g_strdup_printf (_ ("%s · %s · No reason given"), when, recording);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "avatar-default-symbolic");
  return row;
}

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DocketAccessDialog) self = user_data;
  g_autoptr (GVariant) entries = NULL;
  g_autoptr (GError) error = NULL;
  GVariantIter iter;
  GVariant *entry;

  if (!docket_dbus_session_call_list_access_finish (DOCKET_DBUS_SESSION (source), &entries, result,
                                                    &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_dbus_error_strip_remote_error (error);
      adw_status_page_set_title (self->status, _ ("Could Not Read the Log"));
      docket_status_page_set_plain_description (self->status, error->message);
      gtk_stack_set_visible_child_name (self->stack, "status");
      return;
    }
  if (g_variant_n_children (entries) == 0)
    {
      adw_status_page_set_title (self->status, _ ("No One Else Has Opened Them"));
      docket_status_page_set_plain_description (
          self->status, _ ("Every view, export and decision on your recordings will show here."));
      gtk_stack_set_visible_child_name (self->stack, "status");
      return;
    }
  g_variant_iter_init (&iter, entries);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      adw_preferences_group_add (self->group, entry_row (entry));
      g_variant_unref (entry);
    }
  gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
docket_access_dialog_dispose (GObject *object)
{
  DocketAccessDialog *self = DOCKET_ACCESS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (docket_access_dialog_parent_class)->dispose (object);
}

static void
docket_access_dialog_class_init (DocketAccessDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = docket_access_dialog_dispose;
}

static void
docket_access_dialog_init (DocketAccessDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page = adw_preferences_page_new ();

  self->cancellable = g_cancellable_new ();
  gtk_window_set_title (GTK_WINDOW (self), _ ("Who Viewed My Recordings"));
  gtk_window_set_default_size (GTK_WINDOW (self), 760, 560);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_ ("Who Viewed My Recordings"), NULL));
  gtk_box_append (GTK_BOX (box), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  self->status = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_title (self->status, _ ("Reading the Audit Log…"));
  adw_status_page_set_icon_name (self->status, "document-open-recent-symbolic");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->status), "status");
  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_description (
      self->group, _ ("From the station's audit log, newest first: who opened, exported or "
                      "decided on your recordings, and the reason they gave."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->group);
  gtk_stack_add_named (self->stack, page, "list");
  gtk_stack_set_visible_child_name (self->stack, "status");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  adw_window_set_content (ADW_WINDOW (self), box);
}

DocketAccessDialog *
docket_access_dialog_new (GtkWindow *parent, DocketDBusSession *session)
{
  DocketAccessDialog *self;

  g_return_val_if_fail (DOCKET_DBUS_IS_SESSION (session), NULL);

  self = g_object_new (DOCKET_TYPE_ACCESS_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->session = g_object_ref (session);
  docket_dbus_session_call_list_access (session, 0, 200, self->cancellable, list_done_cb,
                                        g_object_ref (self));
  /* Looking is activity: keep the session. */
  docket_dbus_session_call_touch (session, NULL, NULL, NULL);
  return self;
}
