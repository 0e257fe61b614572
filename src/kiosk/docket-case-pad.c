/* docket-case-pad.c — an on-screen keypad for case numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-case-pad.h"

#define BACKSPACE "⌫"

struct _DocketCasePad
{
  GtkWidget parent_instance;

  GtkWidget *grid;
  GtkEditable *target; /* not owned */
};

G_DEFINE_FINAL_TYPE (DocketCasePad, docket_case_pad, GTK_TYPE_WIDGET)

gchar *
docket_case_pad_apply (const gchar *text, const gchar *key)
{
  if (text == NULL)
    text = "";
  if (g_str_equal (key, BACKSPACE))
    {
      const gchar *end = text + strlen (text);

      if (end == text)
        return g_strdup ("");
      return g_strndup (text, g_utf8_find_prev_char (text, end) - text);
    }
  return g_strconcat (text, key, NULL);
}

static void
key_clicked_cb (GtkButton *button, DocketCasePad *self)
{
  g_autofree gchar *text = NULL;

  if (self->target == NULL)
    return;
  text = docket_case_pad_apply (gtk_editable_get_text (self->target),
                                g_object_get_data (G_OBJECT (button), "key"));
  gtk_editable_set_text (self->target, text);
  gtk_editable_set_position (self->target, -1);
}

static void
docket_case_pad_dispose (GObject *object)
{
  DocketCasePad *self = DOCKET_CASE_PAD (object);

  g_clear_pointer (&self->grid, gtk_widget_unparent);
  G_OBJECT_CLASS (docket_case_pad_parent_class)->dispose (object);
}

static void
docket_case_pad_class_init (DocketCasePadClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = docket_case_pad_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "docket-case-pad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
docket_case_pad_init (DocketCasePad *self)
{
  /* Laid out like the sign-in keypad, plus the separators case numbers use. */
  static const gchar *const keys[] = { "1", "2", "3", "-", "4", "5", "6", "/", "7", "8", "9", "0" };

  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 8);
  gtk_grid_set_column_homogeneous (GTK_GRID (self->grid), TRUE);
  gtk_widget_set_halign (self->grid, GTK_ALIGN_CENTER);
  for (guint i = 0; i <= G_N_ELEMENTS (keys); i++)
    {
      const gchar *key = i < G_N_ELEMENTS (keys) ? keys[i] : BACKSPACE;
      GtkWidget *button = gtk_button_new_with_label (key);
      /* TRANSLATORS: accessible name of a key that types into the case number */
      g_autofree gchar *name = g_strdup_printf (_ ("Type %s"), key);

      if (g_str_equal (key, BACKSPACE))
        gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _ ("Delete the last character"), -1);
      else
        gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        name, -1);
      gtk_widget_add_css_class (button, "docket-case-key");
      g_object_set_data (G_OBJECT (button), "key", (gpointer)key);
      g_signal_connect (button, "clicked", G_CALLBACK (key_clicked_cb), self);
      gtk_grid_attach (GTK_GRID (self->grid), button, (int)(i % 4), (int)(i / 4), 1, 1);
    }
  gtk_widget_set_parent (self->grid, GTK_WIDGET (self));
}

GtkWidget *
docket_case_pad_new (GtkEditable *target)
{
  DocketCasePad *self = g_object_new (DOCKET_TYPE_CASE_PAD, NULL);

  g_return_val_if_fail (GTK_IS_EDITABLE (target), NULL);
  self->target = target;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Keys for the case number"), -1);
  return GTK_WIDGET (self);
}
