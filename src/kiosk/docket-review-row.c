/* docket-review-row.c — one recording in the review list, with its actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built in code rather than a template: a list row is small and the
 * deletion queue only swaps which buttons show.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-review-row.h"

struct _DocketReviewRow
{
  GtkWidget parent_instance;

  GtkWidget *thumbnail;
  GtkWidget *play;
  GtkWidget *title;
  GtkWidget *subtitle;
  GtkWidget *restricted;
  GtkWidget *review_buttons;
  GtkWidget *deletion_buttons;
  GtkWidget *owner_buttons;
  GtkWidget *export_button;

  DocketReviewItem *item;
  gulong label_id;
};

G_DEFINE_FINAL_TYPE (DocketReviewRow, docket_review_row, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_ACTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
button_clicked_cb (GtkButton *button, DocketReviewRow *self)
{
  if (self->item != NULL)
    g_signal_emit (self, signals[SIGNAL_ACTION], 0, g_object_get_data (G_OBJECT (button), "what"));
}

static GtkWidget *
add_button (DocketReviewRow *self,
            GtkWidget *box,
            const gchar *what,
            const gchar *label,
            const gchar *style)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  g_object_set_data (G_OBJECT (button), "what", (gpointer)what);
  gtk_widget_add_css_class (button, "pill");
  if (style != NULL)
    gtk_widget_add_css_class (button, style);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect (button, "clicked", G_CALLBACK (button_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), button);
  return button;
}

static void
docket_review_row_init (DocketReviewRow *self)
{
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *actions;
  GtkWidget *icon;
  GtkWidget *words;

  /* The sergeant sees what they decide on: a still, and Play right on it. */
  self->play = gtk_button_new ();
  gtk_widget_add_css_class (self->play, "docket-review-play");
  gtk_widget_add_css_class (self->play, "flat");
  gtk_widget_set_valign (self->play, GTK_ALIGN_CENTER);
  {
    GtkWidget *overlay = gtk_overlay_new ();
    GtkWidget *badge = gtk_image_new_from_icon_name ("media-playback-start-symbolic");

    self->thumbnail = gtk_picture_new ();
    gtk_picture_set_content_fit (GTK_PICTURE (self->thumbnail), GTK_CONTENT_FIT_COVER);
    gtk_widget_set_size_request (self->thumbnail, 160, 90);
    gtk_widget_add_css_class (self->thumbnail, "docket-thumbnail");
    gtk_overlay_set_child (GTK_OVERLAY (overlay), self->thumbnail);
    gtk_widget_set_halign (badge, GTK_ALIGN_CENTER);
    gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
    gtk_image_set_pixel_size (GTK_IMAGE (badge), 32);
    gtk_widget_add_css_class (badge, "docket-play-badge");
    gtk_overlay_add_overlay (GTK_OVERLAY (overlay), badge);
    gtk_button_set_child (GTK_BUTTON (self->play), overlay);
  }
  g_object_set_data (G_OBJECT (self->play), "what", (gpointer) "play");
  g_signal_connect (self->play, "clicked", G_CALLBACK (button_clicked_cb), self);
  gtk_widget_set_parent (self->play, GTK_WIDGET (self));

  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  self->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_widget_add_css_class (self->title, "heading");
  gtk_box_append (GTK_BOX (heading), self->title);

  /* Restricted is said in words as well as shown: colour alone is not enough. */
  self->restricted = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  icon = gtk_image_new_from_icon_name ("channel-secure-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Restricted"), -1);
  words = gtk_label_new (_ ("Restricted"));
  gtk_box_append (GTK_BOX (self->restricted), icon);
  gtk_box_append (GTK_BOX (self->restricted), words);
  gtk_widget_add_css_class (self->restricted, "docket-restricted");
  gtk_box_append (GTK_BOX (heading), self->restricted);
  gtk_box_append (GTK_BOX (text), heading);

  self->subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (self->subtitle), TRUE);
  gtk_widget_add_css_class (self->subtitle, "dim-label");
  gtk_box_append (GTK_BOX (text), self->subtitle);
  gtk_widget_set_parent (text, GTK_WIDGET (self));

  /* The queue's buttons, and Export on its own line under them: in one line
   * they push the row past a 1280 px screen. */
  actions = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_valign (actions, GTK_ALIGN_CENTER);

  self->review_buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  add_button (self, self->review_buttons, "return", _ ("Return…"), NULL);
  add_button (self, self->review_buttons, "correct", _ ("Correct…"), NULL);
  add_button (self, self->review_buttons, "approve", _ ("Approve…"), "suggested-action");
  gtk_box_append (GTK_BOX (actions), self->review_buttons);

  self->deletion_buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  add_button (self, self->deletion_buttons, "refuse-deletion", _ ("Refuse…"), NULL);
  add_button (self, self->deletion_buttons, "approve-deletion", _ ("Delete…"),
              "destructive-action");
  gtk_box_append (GTK_BOX (actions), self->deletion_buttons);

  self->owner_buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  add_button (self, self->owner_buttons, "assign", _ ("Assign to an Officer…"), "suggested-action");
  gtk_box_append (GTK_BOX (actions), self->owner_buttons);

  /* On every row: a sergeant exports from whichever queue the recording is in. */
  {
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

    gtk_widget_set_halign (box, GTK_ALIGN_END);
    self->export_button = add_button (self, box, "export", _ ("Export…"), NULL);
    gtk_box_append (GTK_BOX (actions), box);
  }
  gtk_widget_set_parent (actions, GTK_WIDGET (self));
}

static void
docket_review_row_dispose (GObject *object)
{
  DocketReviewRow *self = DOCKET_REVIEW_ROW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->item != NULL)
    g_clear_signal_handler (&self->label_id, self->item);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (docket_review_row_parent_class)->dispose (object);
}

static void
docket_review_row_class_init (DocketReviewRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_review_row_dispose;
  signals[SIGNAL_ACTION] = g_signal_new ("action", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "docket-review-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

GtkWidget *
docket_review_row_new (void)
{
  GtkWidget *self = g_object_new (DOCKET_TYPE_REVIEW_ROW, NULL);

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (self)), 12);
  return self;
}

static void
update_subtitle (DocketReviewRow *self)
{
  g_autofree gchar *title = docket_review_item_dup_title (self->item);
  g_autofree gchar *subtitle = docket_review_item_dup_subtitle (self->item);

  gtk_label_set_label (GTK_LABEL (self->subtitle), subtitle);
  /* A screen reader announces the row as what it is about. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
}

/* The categories came after the row was drawn with the bare id. */
static void
category_label_cb (DocketReviewItem *item, GParamSpec *pspec, DocketReviewRow *self)
{
  update_subtitle (self);
}

void
docket_review_row_set_item (DocketReviewRow *self, DocketReviewItem *item)
{
  g_autofree gchar *title = NULL;
  g_autofree gchar *play_name = NULL;
  g_autofree gchar *export_name = NULL;
  gboolean deletion;
  gboolean unowned;

  g_return_if_fail (DOCKET_IS_REVIEW_ROW (self));

  if (self->item == item)
    return;
  if (self->item != NULL)
    g_clear_signal_handler (&self->label_id, self->item);
  g_set_object (&self->item, item);
  if (item == NULL)
    return;
  self->label_id
      = g_signal_connect (item, "notify::category-label", G_CALLBACK (category_label_cb), self);
  title = docket_review_item_dup_title (item);
  gtk_label_set_label (GTK_LABEL (self->title), title);
  update_subtitle (self);
  gtk_widget_set_visible (self->restricted, docket_review_item_get_restricted (item));
  deletion = docket_review_item_get_request_id (item) != 0;
  unowned = docket_review_item_get_officer (item) == NULL;
  gtk_widget_set_visible (self->review_buttons, !deletion && !unowned);
  gtk_widget_set_visible (self->deletion_buttons, deletion);
  gtk_widget_set_visible (self->owner_buttons, unowned && !deletion);
  gtk_picture_set_paintable (GTK_PICTURE (self->thumbnail), NULL);
  /* TRANSLATORS: accessible name of the play button on a review row; %s is
   * the recording's time, length and camera */
  play_name = g_strdup_printf (_ ("Play the recording from %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  play_name, -1);
  /* TRANSLATORS: accessible name of the export button on a review row; %s
   * is the recording's time, length and camera */
  export_name = g_strdup_printf (_ ("Export the recording from %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->export_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, export_name, -1);
}

DocketReviewItem *
docket_review_row_get_item (DocketReviewRow *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_ROW (self), NULL);
  return self->item;
}

GtkPicture *
docket_review_row_get_picture (DocketReviewRow *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_ROW (self), NULL);
  return GTK_PICTURE (self->thumbnail);
}
