/* test-kiosk-keypad.c — the sign-in keypad widget, in-process under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the keypad through its actions (what its buttons activate), checks
 * that the view follows the model and that every key is a big touch target,
 * and saves GTK's own rendering as PNG artifacts (DOCKET_ARTIFACTS_DIR).
 * Exits 77 (skip) without Xvfb.
 */
#include "config.h"

#include <adwaita.h>

#include "docket-camera-card.h"
#include "docket-case-pad.h"
#include "docket-export-dialog.h"
#include "docket-keypad.h"
#include "docket-review-row.h"
#include "docket-text-pad.h"
#include "kiosk-xvfb.h"

static GtkWidget *window;
static DocketKeypad *keypad;

static void
after_paint_cb (GdkFrameClock *clock, gboolean *painted)
{
  *painted = TRUE;
}

/* Process pending work, then wait for one real frame to be painted: the
 * frame clock paints on its own schedule, not on idle. */
static void
settle (void)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong id;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (window == NULL || !gtk_widget_get_mapped (window))
    return;
  clock = gtk_widget_get_frame_clock (window);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (window);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
}

static void
wait_mapped (GtkWidget *widget)
{
  while (!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) == 0)
    g_main_context_iteration (NULL, TRUE);
  settle ();
}

static void
save_png_of (GtkWidget *window, const gchar *name)
{
  const gchar *dir = g_getenv ("DOCKET_ARTIFACTS_DIR");
  g_autofree gchar *path = NULL;
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  if (dir == NULL)
    return;
  g_mkdir_with_parents (dir, 0755);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  settle ();
  /* A window cannot paint itself into a paintable; its content can, over
   * the libadwaita window background. */
  paintable = gtk_widget_paintable_new (gtk_window_get_child (GTK_WINDOW (window)));
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &(GdkRGBA){ 0.98, 0.98, 0.98, 1.0 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

static void
save_png (const gchar *name)
{
  save_png_of (window, name);
}

static void
press (const gchar *digits)
{
  for (const gchar *p = digits; *p != '\0'; p++)
    g_assert_true (
        gtk_widget_activate_action (GTK_WIDGET (keypad), "keypad.digit", "i", (gint32)(*p - '0')));
  settle ();
}

static GtkLabel *
find_label (GtkWidget *root, const gchar *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child)
          && g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), text) == 0)
        return GTK_LABEL (child);
      found = find_label (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_buttons (GtkWidget *root, GPtrArray *buttons)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child))
        g_ptr_array_add (buttons, child);
      collect_buttons (child, buttons);
    }
}

typedef struct
{
  gchar *badge;
  gchar *pin;
} Submitted;

static void
submit_cb (DocketSignInModel *model, const gchar *badge, const gchar *pin, Submitted *s)
{
  s->badge = g_strdup (badge);
  s->pin = g_strdup (pin);
}

static void
test_keypad_sign_in_flow (void)
{
  DocketSignInModel *model = docket_keypad_get_model (keypad);
  Submitted s = { 0 };

  g_signal_connect (model, "submit", G_CALLBACK (submit_cb), &s);
  g_assert_nonnull (find_label (GTK_WIDGET (keypad), "Enter your badge number"));
  /* Nothing typed: the Next key does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (keypad), "keypad.confirm", NULL);
  g_assert_cmpint (docket_sign_in_model_get_step (model), ==, DOCKET_SIGN_IN_STEP_BADGE);

  press ("4711");
  g_assert_nonnull (find_label (GTK_WIDGET (keypad), "4711"));
  save_png ("kiosk-keypad-badge");

  gtk_widget_activate_action (GTK_WIDGET (keypad), "keypad.confirm", NULL);
  settle ();
  g_assert_nonnull (find_label (GTK_WIDGET (keypad), "Enter the PIN for badge 4711"));
  g_assert_nonnull (find_label (GTK_WIDGET (keypad), "Sign In"));

  press ("13579");
  gtk_widget_activate_action (GTK_WIDGET (keypad), "keypad.backspace", NULL);
  gtk_widget_activate_action (GTK_WIDGET (keypad), "keypad.confirm", NULL);
  settle ();
  g_assert_cmpstr (s.badge, ==, "4711");
  g_assert_cmpstr (s.pin, ==, "1357");

  docket_sign_in_model_fail (model, "Wrong badge number or PIN");
  settle ();
  g_assert_nonnull (find_label (GTK_WIDGET (keypad), "Wrong badge number or PIN"));
  save_png ("kiosk-keypad-pin-error");
  /* Typing again clears the message. */
  press ("12");
  g_assert_null (find_label (GTK_WIDGET (keypad), "Wrong badge number or PIN"));
  save_png ("kiosk-keypad-pin");

  gtk_widget_activate_action (GTK_WIDGET (keypad), "keypad.back", NULL);
  settle ();
  g_assert_nonnull (find_label (GTK_WIDGET (keypad), "Enter your badge number"));

  g_signal_handlers_disconnect_by_data (model, &s);
  docket_sign_in_model_reset (model);
  g_free (s.badge);
  g_free (s.pin);
}

static GtkWidget *
key_one (void)
{
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();

  collect_buttons (GTK_WIDGET (keypad), buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "1") == 0)
      return buttons->pdata[i];
  g_assert_not_reached ();
}

/* The keys never move under a finger: no message, a short one, a long one
 * with the attempts left, a lockout: the "1" key stays where it was. */
static void
test_keypad_fixed_geometry (void)
{
  DocketSignInModel *model = docket_keypad_get_model (keypad);
  const gchar *const messages[]
      = { "Wrong badge number or PIN",
          "Wrong badge number or PIN. 2 attempts left before this badge is locked for 5 minutes.",
          "Too many wrong PINs: badge 4711 is locked. Try again in 5 minutes, or ask IT to unlock "
          "it now. This text is longer than two lines on purpose.",
          NULL };
  graphene_rect_t before, after;

  docket_sign_in_model_reset (model);
  press ("4711");
  gtk_widget_activate_action (GTK_WIDGET (keypad), "keypad.confirm", NULL);
  settle ();
  g_assert_true (gtk_widget_compute_bounds (key_one (), window, &before));
  for (guint i = 0; messages[i] != NULL; i++)
    {
      g_autofree gchar *name = g_strdup_printf ("kiosk-keypad-message-%u", i);

      docket_sign_in_model_fail (model, messages[i]);
      settle ();
      g_assert_true (gtk_widget_compute_bounds (key_one (), window, &after));
      g_assert_cmpfloat (after.origin.y, ==, before.origin.y);
      g_assert_cmpfloat (after.origin.x, ==, before.origin.x);
      save_png (name);
    }
  press ("1");
  settle ();
  g_assert_true (gtk_widget_compute_bounds (key_one (), window, &after));
  g_assert_cmpfloat (after.origin.y, ==, before.origin.y);
  docket_sign_in_model_reset (model);
}

/* The case-number keys: digits and separators append, ⌫ deletes one
 * character (not one byte). */
static void
test_case_pad (void)
{
  g_autofree gchar *a = docket_case_pad_apply ("24", "-");
  g_autofree gchar *b = docket_case_pad_apply ("24-0", "⌫");
  g_autofree gchar *c = docket_case_pad_apply ("", "⌫");
  g_autofree gchar *d = docket_case_pad_apply ("Nº", "⌫");

  g_assert_cmpstr (a, ==, "24-");
  g_assert_cmpstr (b, ==, "24-");
  g_assert_cmpstr (c, ==, "");
  g_assert_cmpstr (d, ==, "N");
}

/* Free text: letters append, a sentence starts with a capital by itself. */
static void
test_text_pad_apply (void)
{
  const struct
  {
    const gchar *text, *key, *result;
  } cases[] = {
    { "", "h", "H" },         { "H", "i", "Hi" },       { "Hi", "␣", "Hi " },
    { "Hi. ", "t", "Hi. T" }, { "Ok? ", "y", "Ok? Y" }, { "", "ñ", "Ñ" },
    { "año", "⌫", "añ" },     { "", "⌫", "" },          { "a-b", "'", "a-b'" },
    { "Wait", "!", "Wait!" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *result = docket_text_pad_apply (cases[i].text, cases[i].key);

      g_assert_cmpstr (result, ==, cases[i].result);
    }
}

static GtkWidget *
find_key (GtkWidget *widget, const gchar *key)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "key"), key) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_key (child, key);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The keyboard opens under its entry when the entry takes the focus, types
 * into it without taking the focus away, and closes for another field. */
static void
test_text_pad_widget (void)
{
  GtkWidget *form = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *reason = gtk_entry_new ();
  GtkWidget *other = gtk_entry_new ();
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();
  GtkRevealer *revealer;

  gtk_box_append (GTK_BOX (box), reason);
  gtk_box_append (GTK_BOX (box), other);
  gtk_window_set_child (GTK_WINDOW (form), box);
  gtk_window_set_default_size (GTK_WINDOW (form), 1280, 800);
  docket_text_pad_attach (GTK_EDITABLE (reason));
  revealer = GTK_REVEALER (gtk_widget_get_next_sibling (reason));
  g_assert_true (GTK_IS_REVEALER (revealer));
  gtk_window_present (GTK_WINDOW (form));
  wait_mapped (box);

  gtk_widget_grab_focus (reason);
  settle ();
  g_assert_true (gtk_revealer_get_reveal_child (revealer));
  for (const gchar *const *key = (const gchar *const[]){ "w", "h", "y", "␣", "n", "o", NULL };
       *key != NULL; key++)
    {
      GtkWidget *button = find_key (GTK_WIDGET (revealer), *key);

      g_assert_nonnull (button);
      g_assert_false (gtk_widget_get_focus_on_click (button));
      g_signal_emit_by_name (button, "clicked");
    }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (reason)), ==, "Why no");
  g_assert_true (gtk_revealer_get_reveal_child (revealer));

  /* Gloved fingers: every key at least 48×48 px. */
  while (gtk_revealer_get_child_revealed (revealer) == FALSE)
    g_main_context_iteration (NULL, TRUE);
  settle ();
  collect_buttons (GTK_WIDGET (revealer), buttons);
  /* Digits and ⌫, three rows of letters, punctuation and space. */
  g_assert_cmpuint (buttons->len, ==, 11 + 26 + 6);
  for (guint i = 0; i < buttons->len; i++)
    {
      g_assert_cmpint (gtk_widget_get_width (buttons->pdata[i]), >=, 48);
      g_assert_cmpint (gtk_widget_get_height (buttons->pdata[i]), >=, 48);
    }
  save_png_of (form, "kiosk-text-pad");

  gtk_widget_grab_focus (other);
  settle ();
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  gtk_window_destroy (GTK_WINDOW (form));
}

static GtkWidget *
find_entry (GtkWidget *widget)
{
  if (GTK_IS_ENTRY (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The export dialog's reason in the sergeant's own words gets the keyboard
 * too: a kiosk has no other. */
static void
test_export_reason_pad (void)
{
  GtkWidget *dialog = g_object_new (DOCKET_TYPE_EXPORT_DIALOG, NULL);
  GtkWidget *entry = find_entry (dialog);
  GtkWidget *revealer;
  GtkWidget *key;

  g_assert_nonnull (entry);
  revealer = gtk_widget_get_next_sibling (entry);
  g_assert_true (GTK_IS_REVEALER (revealer));
  g_assert_true (DOCKET_IS_TEXT_PAD (gtk_revealer_get_child (GTK_REVEALER (revealer))));
  gtk_window_present (GTK_WINDOW (dialog));
  wait_mapped (entry);
  gtk_widget_grab_focus (entry);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  key = find_key (revealer, "p");
  g_assert_nonnull (key);
  g_signal_emit_by_name (key, "clicked");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "P");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The review list is at most 1100 px wide (its clamp), less 12 px margins
 * each side: at 1280 px a row, its buttons included, fits in that. */
#define REVIEW_LIST_WIDTH (1100 - 2 * 12)

static void
test_review_row_fits (void)
{
  const gchar *const recordings[] = {
    /* Needs Review: Return, Correct, Approve and Export. */
    "{'id': <int64 7>, 'start-usec': <int64 1765065600000000>, 'duration-ms': <uint64 2000>, "
    "'camera': <'SIM-0001'>, 'officer': <'4711'>, 'officer-name': <'Dana Scully'>, "
    "'category': <'use-of-force'>, 'case-number': <'24-000777'>}",
    /* A deletion request: Refuse, Delete and Export. */
    "{'id': <int64 8>, 'request-id': <int64 3>, 'camera': <'SIM-0001'>, 'officer': <'4711'>, "
    "'category': <'test'>, 'requested-by': <'4711'>, 'request-reason': <'Recorded by mistake'>}",
    /* Needs an owner: Assign and Export. */
    "{'id': <int64 9>, 'camera': <'SIM-0001'>}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (recordings); i++)
    {
      g_autoptr (GVariant) recording = g_variant_ref_sink (g_variant_new_parsed (recordings[i]));
      g_autoptr (DocketReviewItem) item = docket_review_item_new (recording);
      GtkWidget *row = g_object_ref_sink (docket_review_row_new ());
      gint minimum = 0;

      docket_review_row_set_item (DOCKET_REVIEW_ROW (row), item);
      gtk_widget_measure (row, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      g_test_message ("row %u: at least %d px", i, minimum);
      g_assert_cmpint (minimum, <=, REVIEW_LIST_WIDTH);
      g_object_unref (row);
    }
}

/* A narrow card wraps its lines between words, never inside one
 * ("Unassigne-d"): the card grows to its longest word instead. */
static void
test_card_wraps_words (void)
{
  GtkWidget *narrow = gtk_window_new ();
  GtkWidget *card = docket_camera_card_new ();
  g_autoptr (DocketDBusCamera) camera = docket_dbus_camera_skeleton_new ();
  const gchar *problem = "Unverifiable recordings quarantined immediately";
  const gchar *const texts[] = { "Unassigned camera", problem };

  docket_dbus_camera_set_slot (camera, "1-2");
  docket_dbus_camera_set_state (camera, "faulty");
  docket_dbus_camera_set_problem (camera, problem);
  docket_camera_card_set_camera (DOCKET_CAMERA_CARD (card), camera);
  gtk_window_set_child (GTK_WINDOW (narrow), card);
  gtk_window_set_default_size (GTK_WINDOW (narrow), 120, 600);
  gtk_window_present (GTK_WINDOW (narrow));
  wait_mapped (card);
  settle ();

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      GtkLabel *label = find_label (card, texts[i]);
      PangoLayout *layout;
      GSList *lines;

      g_assert_nonnull (label);
      layout = gtk_label_get_layout (label);
      lines = pango_layout_get_lines_readonly (layout);
      g_assert_cmpuint (g_slist_length (lines), >, 1);
      for (GSList *l = lines->next; l != NULL; l = l->next)
        {
          PangoLayoutLine *line = l->data;

          /* Each wrapped line starts after a space. */
          g_assert_cmpint (line->start_index, >, 0);
          g_assert_cmpint (texts[i][line->start_index - 1], ==, ' ');
        }
    }
  save_png_of (narrow, "kiosk-card-narrow");
  gtk_window_destroy (GTK_WINDOW (narrow));
}

/* Gloved fingers: every key is well over 48×48 px at 1280×800. */
static void
test_keypad_touch_targets (void)
{
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();

  collect_buttons (GTK_WIDGET (keypad), buttons);
  /* 10 digits, delete, confirm, back */
  g_assert_cmpuint (buttons->len, ==, 13);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = buttons->pdata[i];

      g_assert_cmpint (gtk_widget_get_width (button), >=, 48);
      g_assert_cmpint (gtk_widget_get_height (button), >=, 48);
    }
}

int
main (int argc, char **argv)
{
  g_autofree gchar *display = NULL;
  g_autoptr (GtkCssProvider) css = NULL;
  GPid xvfb = 0;
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (!kiosk_xvfb_start ("1280x800x24", &xvfb, &display))
    return 77;
  g_setenv ("DISPLAY", display, TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  adw_init ();
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/docket/Docket/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  keypad = DOCKET_KEYPAD (docket_keypad_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (keypad));
  gtk_window_present (GTK_WINDOW (window));
  wait_mapped (GTK_WIDGET (keypad));

  g_test_add_func ("/kiosk-keypad/sign-in-flow", test_keypad_sign_in_flow);
  g_test_add_func ("/kiosk-keypad/touch-targets", test_keypad_touch_targets);
  g_test_add_func ("/kiosk-keypad/fixed-geometry", test_keypad_fixed_geometry);
  g_test_add_func ("/kiosk-keypad/case-pad", test_case_pad);
  g_test_add_func ("/kiosk-keypad/text-pad-apply", test_text_pad_apply);
  g_test_add_func ("/kiosk-keypad/text-pad", test_text_pad_widget);
  g_test_add_func ("/kiosk-keypad/export-reason-pad", test_export_reason_pad);
  g_test_add_func ("/kiosk-keypad/review-row-fits", test_review_row_fits);
  g_test_add_func ("/kiosk-keypad/card-wraps-words", test_card_wraps_words);
  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  window = NULL;
  settle ();
  kiosk_xvfb_stop (&xvfb);
  return ret;
}
