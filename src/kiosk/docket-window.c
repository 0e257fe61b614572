/* docket-window.c — the kiosk's one window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A stack of four pages (starting, unavailable, empty, cameras) chosen from
 * the client's state and camera count; the cameras page is the dock overview.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-plain-text.h"
#include "docket-card-charge.h"
#include "docket-card-wording.h"
#include "docket-keypad.h"
#include "docket-access-dialog.h"
#include "docket-it-page.h"
#include "docket-name-book.h"
#include "docket-overview-page.h"
#include "docket-review-page.h"
#include "docket-role-page.h"
#include "docket-tagging-page.h"
#include "docket-window.h"

struct _DocketWindow
{
  AdwApplicationWindow parent_instance;

  /* template widgets */
  AdwHeaderBar *header_bar;
  AdwWindowTitle *window_title;
  GtkStack *stack;
  GtkImage *connection_icon;
  GtkLabel *connection_label;
  DocketOverviewPage *overview_page;
  DocketTaggingPage *tagging_page;
  DocketReviewPage *review_page;
  DocketItPage *it_page;
  DocketKeypad *keypad;
  AdwToastOverlay *toast_overlay;
  GtkWidget *sign_in_button;
  GtkWidget *check_out_button;
  GtkWidget *access_button;
  GtkWindow *access_dialog; /* weak: closed with the session */
  GtkWidget *my_tags_button;
  GtkWidget *cancel_button;
  GtkWidget *session_box;
  GtkLabel *session_label;

  /* owned */
  DocketClient *client;
  gulong state_id;
  gulong items_id;
  DocketDBusSession *session; /* the signed-in person, NULL if none */
  gulong ended_id;
  GCancellable *sign_in_cancellable;
  GCancellable *check_out_cancellable; /* while Session.CheckOutCamera runs */
  gint64 last_touch_usec;

  DocketDockPage page;
  gboolean signing_in;
};

G_DEFINE_FINAL_TYPE (DocketWindow, docket_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_connection_indicator (DocketWindow *self, DocketClientState state)
{
  const gchar *icon;
  const gchar *text;

  switch (state)
    {
      case DOCKET_CLIENT_STATE_CONNECTED:
        icon = "emblem-ok-symbolic";
        text = _ ("Service running");
        break;
      case DOCKET_CLIENT_STATE_UNAVAILABLE:
        icon = "network-offline-symbolic";
        text = _ ("Service unavailable");
        break;
      case DOCKET_CLIENT_STATE_CONNECTING:
      default:
        icon = "content-loading-symbolic";
        text = _ ("Connecting…");
        break;
    }
  gtk_image_set_from_icon_name (self->connection_icon, icon);
  gtk_label_set_label (self->connection_label, text);
}

static void
update_session_header (DocketWindow *self)
{
  gboolean connected = docket_client_get_state (self->client) == DOCKET_CLIENT_STATE_CONNECTED;

  gtk_widget_set_visible (self->sign_in_button,
                          connected && self->session == NULL && !self->signing_in);
  gtk_widget_set_visible (self->cancel_button, connected && self->signing_in);
  gtk_widget_set_visible (self->session_box, self->session != NULL);
  gtk_widget_set_visible (
      self->access_button,
      self->session != NULL
          && (g_strcmp0 (docket_dbus_session_get_role (self->session), "officer") == 0
              || g_strcmp0 (docket_dbus_session_get_role (self->session), "sergeant") == 0));
  gtk_widget_set_visible (self->check_out_button,
                          self->session != NULL
                              && g_strcmp0 (docket_dbus_session_get_role (self->session), "officer")
                                     == 0);
  gtk_widget_set_visible (self->my_tags_button,
                          self->session != NULL
                              && g_strcmp0 (docket_dbus_session_get_role (self->session), "officer")
                                     == 0);
  if (self->session != NULL)
    {
      const gchar *name = docket_dbus_session_get_name (self->session);
      const gchar *badge = docket_dbus_session_get_badge (self->session);
      g_autofree gchar *text = NULL;

      if (name != NULL && *name != '\0')
        /* TRANSLATORS: the signed-in person's name and badge number */
        text = g_strdup_printf (_ ("%s (badge %s)"), name, badge);
      else
        text = g_strdup_printf (_ ("Badge %s"), badge);
      gtk_label_set_label (self->session_label, text);
    }
}

static void
toast (DocketWindow *self, const gchar *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, docket_toast_new_plain (text));
}

/* The dialog may outlive its window a moment (its list call holds it). */
static void
close_access_dialog (DocketWindow *self)
{
  GtkWindow *dialog = self->access_dialog;

  if (dialog == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *)&self->access_dialog);
  self->access_dialog = NULL;
  gtk_window_destroy (dialog);
}

static void
drop_session (DocketWindow *self)
{
  if (self->session != NULL)
    g_clear_signal_handler (&self->ended_id, self->session);
  g_clear_object (&self->session);
  /* An answer for someone who has left is shown to nobody. */
  g_cancellable_cancel (self->check_out_cancellable);
  g_clear_object (&self->check_out_cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.check-out", TRUE);
  /* Who looked at whose footage is for the person signed in only. */
  close_access_dialog (self);
}

/* A dialog, not a toast: the officer must read the slot before walking to it. */
static void
show_message (DocketWindow *self, const gchar *heading, const gchar *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  /* No mnemonic: libadwaita 1.2 would read the underscore out. */
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("OK"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_widget_add_css_class (dialog, "docket-check-out-dialog");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
check_out_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DocketWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *slot = NULL;
  g_autofree gchar *serial = NULL;
  g_autofree gchar *text = NULL;

  if (!docket_dbus_session_call_check_out_camera_finish (DOCKET_DBUS_SESSION (source), &slot,
                                                         &serial, result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->check_out_cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.check-out", TRUE);
  if (error != NULL)
    {
      /* The daemon's refusals are plain words already (none ready and when
       * the next one is, already holding one). */
      g_dbus_error_strip_remote_error (error);
      show_message (self, _ ("No Camera Checked Out"), error->message);
      return;
    }
  text = docket_card_format_check_out (slot, serial);
  show_message (self, _ ("Camera Checked Out"), text);
}

static void
my_tags_action (GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
  docket_tagging_page_show_my_tags (DOCKET_WINDOW (widget)->tagging_page);
}

static void
check_out_action (GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);

  if (self->session == NULL || self->check_out_cancellable != NULL)
    return;
  /* One request at a time: a second tap would only be refused. */
  gtk_widget_action_set_enabled (widget, "win.check-out", FALSE);
  self->check_out_cancellable = g_cancellable_new ();
  docket_dbus_session_call_check_out_camera (self->session, self->check_out_cancellable,
                                             check_out_done_cb, g_object_ref (self));
}

static void update_page (DocketWindow *self);

static void
session_ended_cb (DocketDBusSession *session, const gchar *why, DocketWindow *self)
{
  drop_session (self);
  if (g_strcmp0 (why, "idle") == 0)
    toast (self, _ ("Signed out: nobody touched the screen for a while"));
  else
    toast (self, _ ("Signed out"));
  update_page (self);
}

static void
stop_signing_in (DocketWindow *self)
{
  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  docket_sign_in_model_reset (docket_keypad_get_model (self->keypad));
  self->signing_in = FALSE;
}

static void
sign_in_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DocketWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketDBusSession) session = NULL;
  g_autofree gchar *text = NULL;

  session = docket_client_sign_in_finish (DOCKET_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (session == NULL)
    {
      docket_sign_in_model_fail (docket_keypad_get_model (self->keypad), error->message);
      return;
    }

  drop_session (self);
  self->session = g_steal_pointer (&session);
  /* Cards name the holders of pool cameras by what people told us here. */
  docket_name_book_remember (docket_name_book_get_default (),
                             docket_dbus_session_get_badge (self->session),
                             docket_dbus_session_get_name (self->session));
  self->ended_id = g_signal_connect (self->session, "ended", G_CALLBACK (session_ended_cb), self);
  stop_signing_in (self);
  /* TRANSLATORS: %s is a badge number */
  text = g_strdup_printf (_ ("Signed in with badge %s"),
                          docket_dbus_session_get_badge (self->session));
  toast (self, text);
  update_page (self);
}

static void
keypad_submit_cb (DocketSignInModel *model,
                  const gchar *badge,
                  const gchar *pin,
                  DocketWindow *self)
{
  g_clear_object (&self->sign_in_cancellable);
  self->sign_in_cancellable = g_cancellable_new ();
  docket_client_sign_in_async (self->client, badge, pin, self->sign_in_cancellable, sign_in_done_cb,
                               g_object_ref (self));
}

/* The daemon signs a session out after IdleSeconds without a call; a person
 * tapping or typing at the kiosk is not idle. At most one Touch per 10 s. */
static gboolean
input_event_cb (GtkEventControllerLegacy *controller, GdkEvent *event, DocketWindow *self)
{
  GdkEventType type = gdk_event_get_event_type (event);
  gint64 now;

  /* A badge reader (a keyboard to the kiosk: the badge number, then Enter)
   * swiped at the station screen starts signing in with what it types; the
   * keypad takes the rest and its Enter, and asks for the PIN. */
  if (type == GDK_KEY_PRESS && self->session == NULL && !self->signing_in
      && docket_client_get_state (self->client) == DOCKET_CLIENT_STATE_CONNECTED)
    {
      gunichar c = gdk_keyval_to_unicode (gdk_key_event_get_keyval (event));

      if (c >= '0' && c <= '9')
        {
          gtk_widget_activate_action (GTK_WIDGET (self), "win.sign-in", NULL);
          docket_keypad_type_digit (self->keypad, c - '0');
          return GDK_EVENT_STOP;
        }
    }
  if (self->session == NULL
      || (type != GDK_BUTTON_PRESS && type != GDK_TOUCH_BEGIN && type != GDK_KEY_PRESS
          && type != GDK_SCROLL))
    return GDK_EVENT_PROPAGATE;
  now = g_get_monotonic_time ();
  if (now - self->last_touch_usec >= 10 * G_USEC_PER_SEC)
    {
      self->last_touch_usec = now;
      docket_dbus_session_call_touch (self->session, NULL, NULL, NULL);
    }
  return GDK_EVENT_PROPAGATE;
}

static void
sign_in_action (GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);

  docket_sign_in_model_reset (docket_keypad_get_model (self->keypad));
  self->signing_in = TRUE;
  update_page (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->keypad));
}

static void
cancel_sign_in_action (GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);

  stop_signing_in (self);
  update_page (self);
}

static void
show_access_action (GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);

  if (self->session == NULL)
    return;
  close_access_dialog (self);
  self->access_dialog = GTK_WINDOW (docket_access_dialog_new (GTK_WINDOW (self), self->session));
  g_object_add_weak_pointer (G_OBJECT (self->access_dialog), (gpointer *)&self->access_dialog);
  gtk_window_present (self->access_dialog);
}

static void
sign_out_action (GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);

  if (self->session == NULL)
    return;
  /* Fire and forget: the person walks away now, whatever the daemon says. */
  docket_dbus_session_call_sign_out (self->session, NULL, NULL, NULL);
  drop_session (self);
  toast (self, _ ("Signed out"));
  update_page (self);
}

static void
update_page (DocketWindow *self)
{
  DocketClientState state = docket_client_get_state (self->client);
  guint n = g_list_model_get_n_items (docket_client_get_cameras (self->client));

  const gchar *role = self->session != NULL ? docket_dbus_session_get_role (self->session) : NULL;
  const gchar *role_page = docket_role_page_name (role);
  GtkWidget *visible;

  self->page = docket_dock_page_for (state, n, self->signing_in);
  /* Each role page follows the session: set for its role, NULL otherwise. */
  docket_tagging_page_set_session (self->tagging_page,
                                   g_strcmp0 (role, "officer") == 0 ? self->session : NULL);
  docket_review_page_set_session (self->review_page,
                                  g_strcmp0 (role, "sergeant") == 0 ? self->session : NULL);
  docket_it_page_set_session (self->it_page, g_strcmp0 (role, "it") == 0 ? self->session : NULL);
  /* Signed in: the page for the person's role, when the window has one. */
  if (state == DOCKET_CLIENT_STATE_CONNECTED && !self->signing_in && role_page != NULL
      && gtk_stack_get_child_by_name (self->stack, role_page) != NULL)
    gtk_stack_set_visible_child_name (self->stack, role_page);
  else
    gtk_stack_set_visible_child_name (self->stack, docket_dock_page_to_string (self->page));
  /* GTK 4.8 presents every stack page to screen readers; hide all but the
   * current one so a screen reader reads what is on screen. */
  visible = gtk_stack_get_visible_child (self->stack);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN,
                                 child != visible, -1);
  update_connection_indicator (self, state);
  update_session_header (self);
}

static void
client_state_cb (DocketClient *client, GParamSpec *pspec, DocketWindow *self)
{
  /* A restarted daemon knows no session of ours; start over. */
  if (docket_client_get_state (client) != DOCKET_CLIENT_STATE_CONNECTED)
    {
      drop_session (self);
      stop_signing_in (self);
    }
  update_page (self);
}

/* Said once for the station, not on every card: this kiosk's own clock. */
static void
update_station_note (DocketWindow *self)
{
  const gchar *note = docket_station_clock_note (docket_client_get_cameras (self->client));

  adw_window_title_set_subtitle (self->window_title, note != NULL ? note : "");
}

static void
cameras_changed_cb (
    GListModel *model, guint position, guint removed, guint added, DocketWindow *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr (GObject) camera = g_list_model_get_item (model, i);

      g_signal_connect_object (camera, "notify::policy-details", G_CALLBACK (update_station_note),
                               self, G_CONNECT_SWAPPED);
    }
  update_station_note (self);
  update_page (self);
}

static void
docket_window_constructed (GObject *object)
{
  DocketWindow *self = DOCKET_WINDOW (object);

  G_OBJECT_CLASS (docket_window_parent_class)->constructed (object);

  self->state_id
      = g_signal_connect (self->client, "notify::state", G_CALLBACK (client_state_cb), self);
  self->items_id = g_signal_connect (docket_client_get_cameras (self->client), "items-changed",
                                     G_CALLBACK (cameras_changed_cb), self);
  docket_overview_page_set_model (self->overview_page, docket_client_get_cameras (self->client));
  cameras_changed_cb (docket_client_get_cameras (self->client), 0, 0,
                      g_list_model_get_n_items (docket_client_get_cameras (self->client)), self);
  g_signal_connect_object (docket_keypad_get_model (self->keypad), "submit",
                           G_CALLBACK (keypad_submit_cb), self, 0);
  update_page (self);
}

static void
docket_window_dispose (GObject *object)
{
  DocketWindow *self = DOCKET_WINDOW (object);

  if (self->client != NULL)
    {
      g_clear_signal_handler (&self->state_id, self->client);
      g_clear_signal_handler (&self->items_id, docket_client_get_cameras (self->client));
    }
  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  drop_session (self);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_WINDOW);

  G_OBJECT_CLASS (docket_window_parent_class)->dispose (object);
}

static void
docket_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketWindow *self = DOCKET_WINDOW (object);

  switch (prop_id)
    {
      case PROP_CLIENT:
        g_value_set_object (value, self->client);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DocketWindow *self = DOCKET_WINDOW (object);

  switch (prop_id)
    {
      case PROP_CLIENT:
        self->client = g_value_dup_object (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_window_class_init (DocketWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = docket_window_constructed;
  object_class->dispose = docket_window_dispose;
  object_class->get_property = docket_window_get_property;
  object_class->set_property = docket_window_set_property;

  properties[PROP_CLIENT]
      = g_param_spec_object ("client", NULL, NULL, DOCKET_TYPE_CLIENT,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DOCKET_TYPE_OVERVIEW_PAGE);
  g_type_ensure (DOCKET_TYPE_KEYPAD);
  g_type_ensure (DOCKET_TYPE_TAGGING_PAGE);
  g_type_ensure (DOCKET_TYPE_REVIEW_PAGE);
  g_type_ensure (DOCKET_TYPE_IT_PAGE);
  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-sign-in", NULL, cancel_sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.show-access", NULL, show_access_action);
  gtk_widget_class_install_action (widget_class, "win.check-out", NULL, check_out_action);
  gtk_widget_class_install_action (widget_class, "win.my-tags", NULL, my_tags_action);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/docket-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, connection_icon);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, overview_page);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, tagging_page);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, review_page);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, it_page);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, keypad);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, check_out_button);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, access_button);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, my_tags_button);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, session_box);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, session_label);
}

static void
docket_window_init (DocketWindow *self)
{
  GtkEventController *input = gtk_event_controller_legacy_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_event_controller_set_propagation_phase (input, GTK_PHASE_CAPTURE);
  g_signal_connect (input, "event", G_CALLBACK (input_event_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), input);
}

DocketWindow *
docket_window_new (DocketApplication *application, DocketClient *client)
{
  return g_object_new (DOCKET_TYPE_WINDOW, "application", application, "client", client, NULL);
}

/* Nobody should close or shrink the dock's only screen by touch. */
void
docket_window_set_kiosk_mode (DocketWindow *self, gboolean kiosk_mode)
{
  g_return_if_fail (DOCKET_IS_WINDOW (self));

  adw_header_bar_set_show_end_title_buttons (self->header_bar, !kiosk_mode);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, !kiosk_mode);
  gtk_window_set_deletable (GTK_WINDOW (self), !kiosk_mode);
  if (kiosk_mode)
    {
      GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
      g_autoptr (GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
      GdkRectangle geometry;

      /* Kiosk sessions often run without a window manager to honour
       * fullscreen; then at least cover the screen. */
      if (monitor != NULL)
        {
          gdk_monitor_get_geometry (monitor, &geometry);
          gtk_window_set_default_size (GTK_WINDOW (self), geometry.width, geometry.height);
        }
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
}

DocketDockPage
docket_window_get_page (DocketWindow *self)
{
  g_return_val_if_fail (DOCKET_IS_WINDOW (self), DOCKET_DOCK_PAGE_STARTING);
  return self->page;
}
