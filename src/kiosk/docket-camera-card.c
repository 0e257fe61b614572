/* docket-camera-card.c — one docked camera on the overview
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A thin view: every label, icon and visibility is bound to a
 * DocketCardModel property in the template. Code here only does what
 * bindings cannot: the tone's style class and the accessible label.
 */
#include "config.h"

#include "docket-camera-card.h"

struct _DocketCameraCard
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkWidget *state_row;
  GtkWidget *alerts_box;

  /* owned */
  DocketCardModel *model;
  gulong style_id;
  gulong summary_id;
  gulong alerts_id;
  gchar *style_class;
};

G_DEFINE_FINAL_TYPE (DocketCameraCard, docket_camera_card, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_CAMERA,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_style (DocketCameraCard *self)
{
  const gchar *style
      = docket_card_tone_to_style_class (docket_card_model_get_state_tone (self->model));

  if (g_strcmp0 (style, self->style_class) == 0)
    return;
  if (self->style_class != NULL)
    {
      g_autofree gchar *old_tone = g_strconcat ("tone-", self->style_class, NULL);

      gtk_widget_remove_css_class (self->state_row, self->style_class);
      gtk_widget_remove_css_class (GTK_WIDGET (self), old_tone);
    }
  g_free (self->style_class);
  self->style_class = g_strdup (style);
  gtk_widget_add_css_class (self->state_row, style);
  {
    g_autofree gchar *tone = g_strconcat ("tone-", style, NULL);

    gtk_widget_add_css_class (GTK_WIDGET (self), tone);
  }
}

static void
update_summary (DocketCameraCard *self)
{
  const gchar *summary = docket_card_model_get_accessible_summary (self->model);
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  /* Screen readers get the whole card in one sentence, in reading order. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                  -1);
  /* GTK 4.8 names the focusable grid cell after its class ("GtkListItemWidget");
   * keyboard focus lands there, so it must read the card too. */
  if (parent != NULL && g_strcmp0 (G_OBJECT_TYPE_NAME (parent), "GtkListItemWidget") == 0)
    gtk_accessible_update_property (GTK_ACCESSIBLE (parent), GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                    -1);
}

/* One row per alert: a warning icon beside the daemon's words, so the
 * warning never rests on colour. */
static void
update_alerts (DocketCameraCard *self)
{
  const gchar *const *alerts = docket_card_model_get_alerts (self->model);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->alerts_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->alerts_box), child);
  for (guint i = 0; alerts[i] != NULL; i++)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 14);
      /* The words say it all to a screen reader; the icon is decoration. */
      GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE, "icon-name", "dialog-warning-symbolic",
                                      "pixel-size", 28, "valign", GTK_ALIGN_START,
                                      "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
      GtkWidget *label = gtk_label_new (alerts[i]);

      gtk_widget_add_css_class (row, "battery-alert");
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (row), icon);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (self->alerts_box), row);
    }
  gtk_widget_set_visible (self->alerts_box, alerts[0] != NULL);
}

static void
model_alerts_cb (DocketCardModel *model, GParamSpec *pspec, DocketCameraCard *self)
{
  update_alerts (self);
}

static void
docket_camera_card_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (docket_camera_card_parent_class)->root (widget);
  update_summary (DOCKET_CAMERA_CARD (widget));
}

static void
model_style_cb (DocketCardModel *model, GParamSpec *pspec, DocketCameraCard *self)
{
  update_style (self);
}

static void
model_summary_cb (DocketCardModel *model, GParamSpec *pspec, DocketCameraCard *self)
{
  update_summary (self);
}

static void
docket_camera_card_dispose (GObject *object)
{
  DocketCameraCard *self = DOCKET_CAMERA_CARD (object);
  GtkWidget *child;

  if (self->model != NULL)
    {
      g_clear_signal_handler (&self->style_id, self->model);
      g_clear_signal_handler (&self->summary_id, self->model);
      g_clear_signal_handler (&self->alerts_id, self->model);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_CAMERA_CARD);
  /* dispose_template () only drops the children bound by name. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->model);
  g_clear_pointer (&self->style_class, g_free);

  G_OBJECT_CLASS (docket_camera_card_parent_class)->dispose (object);
}

static void
docket_camera_card_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketCameraCard *self = DOCKET_CAMERA_CARD (object);

  switch (prop_id)
    {
      case PROP_CAMERA:
        g_value_set_object (value, docket_camera_card_get_camera (self));
        break;
      case PROP_MODEL:
        g_value_set_object (value, self->model);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_camera_card_set_property (GObject *object,
                                 guint prop_id,
                                 const GValue *value,
                                 GParamSpec *pspec)
{
  DocketCameraCard *self = DOCKET_CAMERA_CARD (object);

  switch (prop_id)
    {
      case PROP_CAMERA:
        docket_camera_card_set_camera (self, g_value_get_object (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_camera_card_class_init (DocketCameraCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_camera_card_dispose;
  object_class->get_property = docket_camera_card_get_property;
  object_class->set_property = docket_camera_card_set_property;
  widget_class->root = docket_camera_card_root;

  properties[PROP_CAMERA]
      = g_param_spec_object ("camera", NULL, NULL, DOCKET_DBUS_TYPE_CAMERA,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL, DOCKET_TYPE_CARD_MODEL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/docket-camera-card.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketCameraCard, state_row);
  gtk_widget_class_bind_template_child (widget_class, DocketCameraCard, alerts_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "docket-camera-card");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
docket_camera_card_init (DocketCameraCard *self)
{
  /* Created before the template so its bindings find it. */
  self->model = docket_card_model_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->style_id
      = g_signal_connect (self->model, "notify::state-style", G_CALLBACK (model_style_cb), self);
  self->summary_id = g_signal_connect (self->model, "notify::accessible-summary",
                                       G_CALLBACK (model_summary_cb), self);
  self->alerts_id
      = g_signal_connect (self->model, "notify::alerts", G_CALLBACK (model_alerts_cb), self);
  update_style (self);
  update_summary (self);
  update_alerts (self);
}

GtkWidget *
docket_camera_card_new (void)
{
  return g_object_new (DOCKET_TYPE_CAMERA_CARD, NULL);
}

DocketDBusCamera *
docket_camera_card_get_camera (DocketCameraCard *self)
{
  g_return_val_if_fail (DOCKET_IS_CAMERA_CARD (self), NULL);
  return docket_card_model_get_camera (self->model);
}

void
docket_camera_card_set_camera (DocketCameraCard *self, DocketDBusCamera *camera)
{
  g_return_if_fail (DOCKET_IS_CAMERA_CARD (self));

  if (docket_card_model_get_camera (self->model) == camera)
    return;
  docket_card_model_set_camera (self->model, camera);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA]);
}

DocketCardModel *
docket_camera_card_get_model (DocketCameraCard *self)
{
  g_return_val_if_fail (DOCKET_IS_CAMERA_CARD (self), NULL);
  return self->model;
}
