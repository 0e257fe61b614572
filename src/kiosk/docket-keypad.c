/* docket-keypad.c — the sign-in keypad: badge number, then PIN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A view of DocketSignInModel. Every button is a widget action
 * (keypad.digit, keypad.backspace, keypad.confirm, keypad.back), so touch,
 * mouse, keyboard focus + Enter and a physical keyboard all take one path.
 */
#include "config.h"

#include "docket-keypad.h"

struct _DocketKeypad
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkWidget *content;

  /* owned */
  DocketSignInModel *model;
  gulong changed_id;
  gboolean typed; /* the last key was a digit typed, not a key button */
};

G_DEFINE_FINAL_TYPE (DocketKeypad, docket_keypad, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_actions (DocketKeypad *self)
{
  gboolean busy = docket_sign_in_model_get_busy (self->model);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keypad.confirm",
                                 docket_sign_in_model_get_can_confirm (self->model));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keypad.digit", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keypad.backspace", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keypad.back", !busy);
}

static void
model_notify_cb (DocketSignInModel *model, GParamSpec *pspec, DocketKeypad *self)
{
  update_actions (self);
}

static void
digit_action (GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
  gint32 digit = g_variant_get_int32 (parameter);

  if (digit >= 0 && digit <= 9)
    docket_sign_in_model_press_digit (DOCKET_KEYPAD (widget)->model, (guint)digit);
}

static void
backspace_action (GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
  docket_sign_in_model_backspace (DOCKET_KEYPAD (widget)->model);
}

static void
confirm_action (GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
  docket_sign_in_model_confirm (DOCKET_KEYPAD (widget)->model);
}

static void
back_action (GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
  docket_sign_in_model_back (DOCKET_KEYPAD (widget)->model);
}

/* A USB keyboard or badge reader in keyboard mode types digits too. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint keyval,
                guint keycode,
                GdkModifierType state,
                DocketKeypad *self)
{
  gunichar c = gdk_keyval_to_unicode (keyval);

  if (c >= '0' && c <= '9')
    {
      docket_sign_in_model_press_digit (self->model, c - '0');
      return GDK_EVENT_STOP;
    }
  switch (keyval)
    {
      case GDK_KEY_BackSpace:
        docket_sign_in_model_backspace (self->model);
        return GDK_EVENT_STOP;
      case GDK_KEY_Return:
      case GDK_KEY_KP_Enter:
        docket_sign_in_model_confirm (self->model);
        return GDK_EVENT_STOP;
      case GDK_KEY_Escape:
        docket_sign_in_model_back (self->model);
        return GDK_EVENT_STOP;
      default:
        return GDK_EVENT_PROPAGATE;
    }
}

static void
docket_keypad_dispose (GObject *object)
{
  DocketKeypad *self = DOCKET_KEYPAD (object);

  if (self->model != NULL)
    g_clear_signal_handler (&self->changed_id, self->model);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_KEYPAD);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (docket_keypad_parent_class)->dispose (object);
}

static void
docket_keypad_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketKeypad *self = DOCKET_KEYPAD (object);

  switch (prop_id)
    {
      case PROP_MODEL:
        g_value_set_object (value, self->model);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_keypad_class_init (DocketKeypadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_keypad_dispose;
  object_class->get_property = docket_keypad_get_property;

  properties[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL, DOCKET_TYPE_SIGN_IN_MODEL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "keypad.digit", "i", digit_action);
  gtk_widget_class_install_action (widget_class, "keypad.backspace", NULL, backspace_action);
  gtk_widget_class_install_action (widget_class, "keypad.confirm", NULL, confirm_action);
  gtk_widget_class_install_action (widget_class, "keypad.back", NULL, back_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/docket-keypad.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketKeypad, content);
  gtk_widget_class_bind_template_callback (widget_class, key_pressed_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "docket-keypad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

/* Ahead of the focused key button: typed digits always go to the display,
 * and Enter right after typed digits confirms. That is a USB badge reader
 * (a keyboard: the number, then Enter); without this, its Enter would
 * press whichever key button has the focus. Enter after moving the focus
 * (Tab) still presses that button. */
static gboolean
typed_key_cb (GtkEventControllerKey *controller,
              guint keyval,
              guint keycode,
              GdkModifierType state,
              DocketKeypad *self)
{
  gunichar c = gdk_keyval_to_unicode (keyval);

  if (c >= '0' && c <= '9')
    {
      docket_sign_in_model_press_digit (self->model, c - '0');
      self->typed = TRUE;
      return GDK_EVENT_STOP;
    }
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) && self->typed)
    {
      self->typed = FALSE;
      docket_sign_in_model_confirm (self->model);
      return GDK_EVENT_STOP;
    }
  self->typed = FALSE;
  return GDK_EVENT_PROPAGATE;
}

static void
docket_keypad_init (DocketKeypad *self)
{
  GtkEventController *typed = gtk_event_controller_key_new ();

  /* Before the template: its bindings look the model up. */
  self->model = docket_sign_in_model_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_event_controller_set_propagation_phase (typed, GTK_PHASE_CAPTURE);
  g_signal_connect (typed, "key-pressed", G_CALLBACK (typed_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), typed);
  self->changed_id = g_signal_connect (self->model, "notify", G_CALLBACK (model_notify_cb), self);
  update_actions (self);
}

GtkWidget *
docket_keypad_new (void)
{
  return g_object_new (DOCKET_TYPE_KEYPAD, NULL);
}

DocketSignInModel *
docket_keypad_get_model (DocketKeypad *self)
{
  g_return_val_if_fail (DOCKET_IS_KEYPAD (self), NULL);
  return self->model;
}

void
docket_keypad_type_digit (DocketKeypad *self, guint digit)
{
  g_return_if_fail (DOCKET_IS_KEYPAD (self));
  docket_sign_in_model_press_digit (self->model, digit);
  self->typed = TRUE;
}
