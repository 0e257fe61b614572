/* docket-text-pad.c — an on-screen keyboard for free text (reasons, notes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-text-pad.h"

#define BACKSPACE "⌫"
#define SPACE "␣"

struct _DocketTextPad
{
  GtkWidget parent_instance;

  GtkWidget *rows;
  GtkEditable *target; /* not owned */
};

G_DEFINE_FINAL_TYPE (DocketTextPad, docket_text_pad, GTK_TYPE_WIDGET)

static gboolean
starts_sentence (const gchar *text)
{
  gsize len = strlen (text);

  return len == 0
         || (len >= 2 && text[len - 1] == ' '
             && (text[len - 2] == '.' || text[len - 2] == '?' || text[len - 2] == '!'));
}

gchar *
docket_text_pad_apply (const gchar *text, const gchar *key)
{
  if (text == NULL)
    text = "";
  g_return_val_if_fail (key != NULL && g_utf8_validate (key, -1, NULL), g_strdup (text));

  if (g_str_equal (key, BACKSPACE))
    {
      const gchar *end = text + strlen (text);

      if (end == text)
        return g_strdup ("");
      return g_strndup (text, g_utf8_find_prev_char (text, end) - text);
    }
  if (g_str_equal (key, SPACE))
    return g_strconcat (text, " ", NULL);
  if (starts_sentence (text))
    {
      g_autofree gchar *upper = g_utf8_strup (key, -1);

      return g_strconcat (text, upper, NULL);
    }
  return g_strconcat (text, key, NULL);
}

static void
key_clicked_cb (GtkButton *button, DocketTextPad *self)
{
  g_autofree gchar *text = NULL;

  if (self->target == NULL)
    return;
  text = docket_text_pad_apply (gtk_editable_get_text (self->target),
                                g_object_get_data (G_OBJECT (button), "key"));
  gtk_editable_set_text (self->target, text);
  gtk_editable_set_position (self->target, -1);
}

static GtkWidget *
key_new (DocketTextPad *self, const gchar *key)
{
  GtkWidget *button = gtk_button_new_with_label (key);
  g_autofree gchar *name = NULL;

  if (g_str_equal (key, BACKSPACE))
    name = g_strdup (_ ("Delete the last character"));
  else if (g_str_equal (key, SPACE))
    {
      name = g_strdup (_ ("Space"));
      gtk_button_set_label (GTK_BUTTON (button), _ ("Space"));
      gtk_widget_add_css_class (button, "docket-space-key");
    }
  else
    /* TRANSLATORS: accessible name of an on-screen key; %s is what it types */
    name = g_strdup_printf (_ ("Type %s"), key);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_widget_add_css_class (button, "docket-text-key");
  /* The entry keeps the focus, and with it the pad. */
  gtk_widget_set_focus_on_click (button, FALSE);
  g_object_set_data_full (G_OBJECT (button), "key", g_strdup (key), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (key_clicked_cb), self);
  return button;
}

static void
add_row (DocketTextPad *self, const gchar *keys, const gchar *last)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_set_halign (row, GTK_ALIGN_CENTER);
  for (const gchar *p = keys; *p != '\0'; p = g_utf8_next_char (p))
    {
      gchar key[8] = { 0 };

      g_unichar_to_utf8 (g_utf8_get_char (p), key);
      gtk_box_append (GTK_BOX (row), key_new (self, key));
    }
  if (last != NULL)
    gtk_box_append (GTK_BOX (row), key_new (self, last));
  gtk_box_append (GTK_BOX (self->rows), row);
}

static void
docket_text_pad_dispose (GObject *object)
{
  DocketTextPad *self = DOCKET_TEXT_PAD (object);

  g_clear_pointer (&self->rows, gtk_widget_unparent);
  G_OBJECT_CLASS (docket_text_pad_parent_class)->dispose (object);
}

static void
docket_text_pad_class_init (DocketTextPadClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = docket_text_pad_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "docket-text-pad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
docket_text_pad_init (DocketTextPad *self)
{
  /* TRANSLATORS: the on-screen keyboard's three rows of letters, separated
   * by "|", in the order of your language's usual keyboard (Spanish adds ñ) */
  g_auto (GStrv) letters = g_strsplit (_ ("qwertyuiop|asdfghjkl|zxcvbnm"), "|", 3);
  guint n = g_strv_length (letters);

  self->rows = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->rows, GTK_WIDGET (self));
  add_row (self, "1234567890", BACKSPACE);
  for (guint i = 0; i < n; i++)
    if (g_utf8_validate (letters[i], -1, NULL))
      add_row (self, letters[i], NULL);
  add_row (self, ",.-'?", SPACE);
}

GtkWidget *
docket_text_pad_new (GtkEditable *target)
{
  DocketTextPad *self;

  g_return_val_if_fail (GTK_IS_EDITABLE (target), NULL);
  self = g_object_new (DOCKET_TYPE_TEXT_PAD, NULL);
  self->target = target;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Keyboard"), -1);
  return GTK_WIDGET (self);
}

static void
entry_focus_enter_cb (GtkEventControllerFocus *focus, GtkRevealer *revealer)
{
  gtk_revealer_set_reveal_child (revealer, TRUE);
}

static void
entry_focus_leave_cb (GtkEventControllerFocus *focus, GtkRevealer *revealer)
{
  gtk_revealer_set_reveal_child (revealer, FALSE);
}

void
docket_text_pad_attach (GtkEditable *entry)
{
  GtkWidget *row = GTK_WIDGET (entry);
  GtkWidget *parent;
  GtkWidget *revealer;
  GtkEventController *focus;

  g_return_if_fail (GTK_IS_EDITABLE (entry));

  /* Under the entry's row of the column it sits in (a dialog's box, a form). */
  while (
      (parent = gtk_widget_get_parent (row)) != NULL
      && !(GTK_IS_BOX (parent)
           && gtk_orientable_get_orientation (GTK_ORIENTABLE (parent)) == GTK_ORIENTATION_VERTICAL))
    row = parent;
  g_return_if_fail (parent != NULL);
  revealer = gtk_revealer_new ();
  gtk_revealer_set_child (GTK_REVEALER (revealer), docket_text_pad_new (entry));
  gtk_box_insert_child_after (GTK_BOX (parent), revealer, row);
  /* The keys never take the focus (see key_new), so typing keeps it open;
   * another field taking the focus closes it. */
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "enter", G_CALLBACK (entry_focus_enter_cb), revealer, 0);
  g_signal_connect_object (focus, "leave", G_CALLBACK (entry_focus_leave_cb), revealer, 0);
  gtk_widget_add_controller (GTK_WIDGET (entry), focus);
}
