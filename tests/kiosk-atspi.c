/* kiosk-atspi.c — drive the real kiosk under Xvfb through AT-SPI, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kiosk-atspi.h"

#ifdef KIOSK_HAVE_XTST
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>
#endif

KioskEnv kiosk_env;
/* For the log: when each step happened. */
static gint64 started_usec;

/* ---- processes ---- */

GPid
kiosk_spawn (const gchar *const *argv, gchar **envp, gboolean quiet)
{
  g_autoptr (GError) error = NULL;
  GPid pid = 0;
  GSpawnFlags flags = G_SPAWN_DO_NOT_REAP_CHILD;

  if (quiet)
    flags |= G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL;
  g_spawn_async (NULL, (gchar **)argv, envp, flags, kiosk_test_child_setup, NULL, &pid, &error);
  g_assert_no_error (error);
  return pid;
}

void
kiosk_stop_process (GPid *pid, int signum)
{
  int status = 0;

  if (*pid <= 0)
    return;
  kill (*pid, signum);
  waitpid (*pid, &status, 0);
  g_spawn_close_pid (*pid);
  *pid = 0;
}

void
kiosk_stop (GPid *pid)
{
  int status = 0;

  kill (*pid, SIGTERM);
  waitpid (*pid, &status, 0);
  g_spawn_close_pid (*pid);
  *pid = 0;
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

GPid
kiosk_start (gboolean kiosk_mode, const gchar *const *extra_env)
{
  g_auto (GStrv) envp = g_get_environ ();
  const gchar *argv[]
      = { g_getenv ("DOCKET_KIOSK"), "--session", kiosk_mode ? "--kiosk" : NULL, NULL };

  envp = g_environ_setenv (envp, "DISPLAY", kiosk_env.display, TRUE);
  envp = g_environ_setenv (envp, "GDK_BACKEND", "x11", TRUE);
  /* Xvfb has no GL worth the name; cairo renders the same pixels everywhere. */
  envp = g_environ_setenv (envp, "GSK_RENDERER", "cairo", TRUE);
  envp = g_environ_setenv (envp, "GSETTINGS_SCHEMA_DIR", kiosk_env.schema_dir, TRUE);
  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "memory", TRUE);
  envp = g_environ_setenv (envp, "XDG_RUNTIME_DIR", kiosk_env.tmpdir, TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "GTK_A11Y");
  /* Under -Db_sanitize: report real errors, not GTK's and fontconfig's
   * deliberate leaks at exit. */
  {
    const gchar *asan = g_environ_getenv (envp, "ASAN_OPTIONS");
    g_autofree gchar *options
        = g_strconcat (asan != NULL ? asan : "", asan != NULL ? ":" : "", "detect_leaks=0", NULL);

    envp = g_environ_setenv (envp, "ASAN_OPTIONS", options, TRUE);
  }
  envp = g_environ_setenv (envp, "UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1", FALSE);
  /* A critical in the kiosk is a bug: crash, so kiosk_stop () fails. */
  envp = g_environ_setenv (envp, "G_DEBUG", "fatal-criticals", TRUE);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (extra_env[i], "=", 2);

      g_assert_nonnull (pair[1]);
      envp = g_environ_setenv (envp, pair[0], pair[1], TRUE);
    }
  return kiosk_spawn (argv, envp, FALSE);
}

void
kiosk_screenshot (const gchar *name, const gchar *crop)
{
  g_autofree gchar *path = g_strdup_printf ("%s/%s.png", kiosk_env.artifacts, name);
  g_autofree gchar *import = g_find_program_in_path ("import");
  g_autoptr (GError) error = NULL;
  gint status = 0;
  const gchar *argv[] = { import,    "-display", kiosk_env.display,
                          "-window", "root",     crop != NULL ? "-crop" : path,
                          crop,      path,       NULL };

  if (import == NULL)
    {
      g_test_message ("No `import` (imagemagick): no screenshot %s", name);
      return;
    }
  if (!g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_test_message ("Screenshot %s failed: %s", name, error->message);
  else
    g_test_message ("Screenshot: %s", path);
}

/* ---- the accessibility tree ---- */

AtspiAccessible *
kiosk_find_app (GPid pid)
{
  g_autoptr (AtspiAccessible) desktop = atspi_get_desktop (0);
  gint n;

  /* Ask the registry afresh: an app whose announcement libatspi mishandled
   * (GTK 4.8 has no AT-SPI cache object) would otherwise never show up. */
  atspi_accessible_set_cache_mask (desktop, ATSPI_CACHE_NONE);
  atspi_accessible_clear_cache (desktop);
  n = atspi_accessible_get_child_count (desktop, NULL);

  for (gint i = 0; i < n; i++)
    {
      g_autoptr (AtspiAccessible) app = atspi_accessible_get_child_at_index (desktop, i, NULL);

      if (app != NULL && atspi_accessible_get_process_id (app, NULL) == (guint)pid)
        {
          /* The tree changes under us: never answer from a cache. */
          atspi_accessible_set_cache_mask (app, ATSPI_CACHE_NONE);
          atspi_accessible_clear_cache (app);
          return g_steal_pointer (&app);
        }
    }
  return NULL;
}

/* GTK 4.8 marks only windows SHOWING; VISIBLE is what it clears for hidden
 * widgets (the kiosk hides its inactive pages from screen readers). */
static gboolean
is_visible (AtspiAccessible *node)
{
  g_autoptr (AtspiStateSet) states = atspi_accessible_get_state_set (node);

  return states != NULL && atspi_state_set_contains (states, ATSPI_STATE_VISIBLE);
}

/* @name with its no-break spaces (a number kept with its unit) as plain
 * ones: a screen reader reads both the same, and tests write plain ones. */
static gchar *
plain_spaces (gchar *name)
{
  g_autofree gchar *owned = name;
  GString *plain;

  if (owned == NULL)
    return NULL;
  plain = g_string_new (owned);
  g_string_replace (plain, "\u00A0", " ", 0);
  return g_string_free (plain, FALSE);
}

/* Depth-first; names are what a screen reader reads out. */
static gboolean
tree_has_text (AtspiAccessible *node, const gchar *text, gboolean exact, guint depth, GString *dump)
{
  g_autofree gchar *name = plain_spaces (atspi_accessible_get_name (node, NULL));
  gint n;

  if (depth > 60)
    return FALSE;
  if (dump != NULL)
    {
      g_autofree gchar *role = atspi_accessible_get_role_name (node, NULL);

      g_autoptr (AtspiStateSet) states = atspi_accessible_get_state_set (node);
      g_autoptr (GArray) list = states != NULL ? atspi_state_set_get_states (states) : NULL;

      g_string_append_printf (dump, "%*s%s “%s” [", (int)depth * 2, "", role,
                              name != NULL ? name : "");
      for (guint i = 0; list != NULL && i < list->len; i++)
        g_string_append_printf (dump, " %d", g_array_index (list, AtspiStateType, i));
      g_string_append (dump, " ]\n");
    }
  else if (name != NULL && (exact ? strcmp (name, text) == 0 : strstr (name, text) != NULL)
           && is_visible (node))
    return TRUE;

  n = atspi_accessible_get_child_count (node, NULL);
  for (gint i = 0; i < n; i++)
    {
      /* Newest window (a dialog) first: what a test waits for is mostly there. */
      gint index = depth == 0 && dump == NULL ? n - 1 - i : i;
      g_autoptr (AtspiAccessible) child = atspi_accessible_get_child_at_index (node, index, NULL);

      if (child != NULL && tree_has_text (child, text, exact, depth + 1, dump))
        return TRUE;
    }
  return FALSE;
}

gchar *
kiosk_dump_tree (GPid kiosk)
{
  g_autoptr (AtspiAccessible) app = kiosk_find_app (kiosk);
  GString *dump = g_string_new (NULL);

  if (app == NULL)
    g_string_append (dump, "(no app)");
  else
    tree_has_text (app, "", FALSE, 0, dump);
  return g_string_free (dump, FALSE);
}

static KioskFailureReport failure_report;
static gpointer failure_report_data;

void
kiosk_set_failure_report (KioskFailureReport report, gpointer user_data)
{
  failure_report = report;
  failure_report_data = user_data;
}

static void
fail_with_tree (GPid kiosk, const gchar *message)
{
  g_autofree gchar *dump = kiosk_dump_tree (kiosk);

  g_test_message ("Accessibility tree:\n%s", dump);
  /* What the daemon says, for when the kiosk and the daemon disagree. */
  if (failure_report != NULL)
    {
      g_autofree gchar *report = failure_report (failure_report_data);

      g_test_message ("%s", report);
    }
  kiosk_screenshot ("failure", NULL);
  g_error ("%s", message);
}

gboolean
kiosk_shows_exactly (GPid kiosk, const gchar *text)
{
  g_autoptr (AtspiAccessible) app = kiosk_find_app (kiosk);

  return app != NULL && tree_has_text (app, text, TRUE, 0, NULL);
}

gboolean
kiosk_shows (GPid kiosk, const gchar *text)
{
  g_autoptr (AtspiAccessible) app = kiosk_find_app (kiosk);

  return app != NULL && tree_has_text (app, text, FALSE, 0, NULL);
}

static void
wait_for (GPid kiosk, const gchar *text, gboolean shown)
{
  gint64 deadline = g_get_monotonic_time () + KIOSK_WAIT_SECONDS * G_USEC_PER_SEC;

  while (kiosk_shows (kiosk, text) != shown)
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree gchar *message = g_strdup_printf (
              shown ? "The kiosk never showed “%s”" : "The kiosk kept showing “%s”", text);

          fail_with_tree (kiosk, message);
        }
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (100 * 1000);
    }
  g_test_message (shown ? "%.1f s: kiosk shows “%s”" : "%.1f s: kiosk no longer shows “%s”",
                  (g_get_monotonic_time () - started_usec) / (gdouble)G_USEC_PER_SEC, text);
}

void
kiosk_wait_for_text (GPid kiosk, const gchar *text)
{
  wait_for (kiosk, text, TRUE);
}

void
kiosk_wait_for_no_text (GPid kiosk, const gchar *text)
{
  wait_for (kiosk, text, FALSE);
}

/* Every control has a real accessible name (not GTK's class-name fallback)
 * and every touch control is at least 48×48 px. */
static void
audit_controls (AtspiAccessible *node, GString *problems, guint *n_controls, guint depth)
{
  AtspiRole role = atspi_accessible_get_role (node, NULL);
  gboolean touch = role == ATSPI_ROLE_PUSH_BUTTON || role == ATSPI_ROLE_TOGGLE_BUTTON
                   || role == ATSPI_ROLE_CHECK_BOX || role == ATSPI_ROLE_RADIO_BUTTON
                   || role == ATSPI_ROLE_COMBO_BOX || role == ATSPI_ROLE_SPIN_BUTTON
                   || role == ATSPI_ROLE_SLIDER || role == ATSPI_ROLE_ENTRY
                   || role == ATSPI_ROLE_PASSWORD_TEXT || role == ATSPI_ROLE_LINK;
  gboolean named = touch || role == ATSPI_ROLE_PROGRESS_BAR || role == ATSPI_ROLE_TABLE_CELL
                   || role == ATSPI_ROLE_TABLE || role == ATSPI_ROLE_LIST_ITEM;
  gint n;

  if (depth > 60 || (role != ATSPI_ROLE_APPLICATION && !is_visible (node)))
    return;
  if (named)
    {
      g_autofree gchar *name = atspi_accessible_get_name (node, NULL);
      g_autofree gchar *role_name = atspi_accessible_get_role_name (node, NULL);

      (*n_controls)++;
      if (name == NULL || *name == '\0' || g_str_has_prefix (name, "Gtk")
          || g_str_has_prefix (name, "Adw"))
        g_string_append_printf (problems, "%s has no accessible name (“%s”)\n", role_name,
                                name != NULL ? name : "");
      /* Keyboard users reach every card and control by Tab and arrows. */
      if (touch || role == ATSPI_ROLE_TABLE_CELL)
        {
          g_autoptr (AtspiStateSet) states = atspi_accessible_get_state_set (node);

          if (states == NULL || !atspi_state_set_contains (states, ATSPI_STATE_FOCUSABLE))
            g_string_append_printf (problems, "%s “%s” cannot take keyboard focus\n", role_name,
                                    name);
        }
      if (touch)
        {
          g_autoptr (AtspiComponent) component = atspi_accessible_get_component_iface (node);
          g_autoptr (GError) error = NULL;
          g_autofree AtspiRect *rect = NULL;

          if (component != NULL)
            rect = atspi_component_get_extents (component, ATSPI_COORD_TYPE_WINDOW, &error);
          if (rect == NULL)
            g_string_append_printf (problems, "%s “%s” has no extents\n", role_name, name);
          /* Not laid out, so not on screen: libadwaita's message dialogs keep
           * a second, unused row of response buttons. */
          else if (rect->width == 0 && rect->height == 0)
            ;
          else if (rect->width < 48 || rect->height < 48)
            g_string_append_printf (problems, "%s “%s” is %d×%d px, under 48×48\n", role_name, name,
                                    rect->width, rect->height);
        }
    }

  n = atspi_accessible_get_child_count (node, NULL);
  for (gint i = 0; i < n; i++)
    {
      g_autoptr (AtspiAccessible) child = atspi_accessible_get_child_at_index (node, i, NULL);

      if (child != NULL)
        audit_controls (child, problems, n_controls, depth + 1);
    }
}

void
kiosk_assert_controls_accessible (GPid kiosk)
{
  g_autoptr (AtspiAccessible) app = kiosk_find_app (kiosk);
  g_autoptr (GString) problems = g_string_new (NULL);
  guint n_controls = 0;

  g_assert_nonnull (app);
  audit_controls (app, problems, &n_controls, 0);
  g_test_message ("Audited %u controls", n_controls);
  g_assert_cmpuint (n_controls, >, 0);
  if (problems->len > 0)
    {
      g_autofree gchar *dump = kiosk_dump_tree (kiosk);

      g_test_message ("Accessibility tree:\n%s", dump);
      kiosk_screenshot ("failure", NULL);
      g_error ("Accessibility problems:\n%s", problems->str);
    }
}

static void
find_overflow (AtspiAccessible *node, gint width, GString *problems, guint depth)
{
  AtspiRole role = atspi_accessible_get_role (node, NULL);
  gint n;

  if (depth > 60 || (role != ATSPI_ROLE_APPLICATION && !is_visible (node)))
    return;
  if (role == ATSPI_ROLE_FRAME || role == ATSPI_ROLE_DIALOG || role == ATSPI_ROLE_PUSH_BUTTON
      || role == ATSPI_ROLE_TOGGLE_BUTTON || role == ATSPI_ROLE_LABEL)
    {
      g_autoptr (AtspiComponent) component = atspi_accessible_get_component_iface (node);
      g_autofree AtspiRect *rect = NULL;

      if (component != NULL)
        rect = atspi_component_get_extents (component, ATSPI_COORD_TYPE_SCREEN, NULL);
      if (rect != NULL && rect->width > 0 && (rect->x < 0 || rect->x + rect->width > width))
        {
          g_autofree gchar *name = atspi_accessible_get_name (node, NULL);
          g_autofree gchar *role_name = atspi_accessible_get_role_name (node, NULL);

          g_string_append_printf (problems, "%s “%s” spans x %d…%d, beyond %d px\n", role_name,
                                  name, rect->x, rect->x + rect->width, width);
        }
    }
  n = atspi_accessible_get_child_count (node, NULL);
  for (gint i = 0; i < n; i++)
    {
      g_autoptr (AtspiAccessible) child = atspi_accessible_get_child_at_index (node, i, NULL);

      if (child != NULL)
        find_overflow (child, width, problems, depth + 1);
    }
}

void
kiosk_assert_fits_width (GPid kiosk, gint width)
{
  g_autoptr (AtspiAccessible) app = kiosk_find_app (kiosk);
  g_autoptr (GString) problems = g_string_new (NULL);

  g_assert_nonnull (app);
  find_overflow (app, width, problems, 0);
  if (problems->len > 0)
    {
      kiosk_screenshot ("failure-width", NULL);
      g_error ("Cut off at %d px:\n%s", width, problems->str);
    }
}

/* libadwaita's message dialogs keep a second row of response buttons,
 * VISIBLE to AT-SPI but never laid out: pressing one does nothing. */
static gboolean
laid_out (AtspiAccessible *node)
{
  g_autoptr (AtspiComponent) component = atspi_accessible_get_component_iface (node);
  g_autofree AtspiRect *rect = NULL;

  if (component != NULL)
    rect = atspi_component_get_extents (component, ATSPI_COORD_TYPE_WINDOW, NULL);
  return rect == NULL || rect->width > 0 || rect->height > 0;
}

/* A visible node with one of @roles whose name is @name ("Prefix*" matches
 * names that carry a time or a count). */
static AtspiAccessible *
find_named (AtspiAccessible *node, const AtspiRole *roles, const gchar *name, guint depth)
{
  AtspiRole role = atspi_accessible_get_role (node, NULL);
  gsize len = strlen (name);
  gint n;

  if (depth > 60 || (role != ATSPI_ROLE_APPLICATION && !is_visible (node)))
    return NULL;
  for (const AtspiRole *r = roles; *r != ATSPI_ROLE_INVALID; r++)
    if (role == *r)
      {
        g_autofree gchar *node_name = plain_spaces (atspi_accessible_get_name (node, NULL));

        if ((g_strcmp0 (node_name, name) == 0
             || (len > 1 && name[len - 1] == '*' && node_name != NULL
                 && strncmp (node_name, name, len - 1) == 0))
            && laid_out (node))
          return g_object_ref (node);
      }
  n = atspi_accessible_get_child_count (node, NULL);
  for (gint i = 0; i < n; i++)
    {
      /* Newest window (a dialog) first: a modal dialog's buttons are the ones
       * a person can press. */
      gint index = depth == 0 ? n - 1 - i : i;
      g_autoptr (AtspiAccessible) child = atspi_accessible_get_child_at_index (node, index, NULL);
      AtspiAccessible *found = child != NULL ? find_named (child, roles, name, depth + 1) : NULL;

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const AtspiRole button_roles[] = { ATSPI_ROLE_PUSH_BUTTON, ATSPI_ROLE_INVALID };
static const AtspiRole entry_roles[] = { ATSPI_ROLE_ENTRY, ATSPI_ROLE_TEXT, ATSPI_ROLE_INVALID };

/* Waits for a visible node; fails the test with the tree after the wait. */
static AtspiAccessible *
wait_for_named (GPid kiosk, const AtspiRole *roles, const gchar *name, const gchar *what)
{
  gint64 deadline = g_get_monotonic_time () + KIOSK_WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr (AtspiAccessible) app = kiosk_find_app (kiosk);
      AtspiAccessible *found = app != NULL ? find_named (app, roles, name, 0) : NULL;
      g_autoptr (AtspiStateSet) states
          = found != NULL ? atspi_accessible_get_state_set (found) : NULL;

      /* An insensitive button ignores a press: wait until it takes one. */
      if (found != NULL && states != NULL
          && atspi_state_set_contains (states, ATSPI_STATE_SENSITIVE))
        return found;
      g_clear_object (&found);
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree gchar *message = g_strdup_printf ("No %s “%s”", what, name);

          fail_with_tree (kiosk, message);
        }
      g_usleep (100 * 1000);
    }
}

gboolean
kiosk_has_button (GPid kiosk, const gchar *name)
{
  g_autoptr (AtspiAccessible) app = kiosk_find_app (kiosk);
  g_autoptr (AtspiAccessible) button = app != NULL ? find_named (app, button_roles, name, 0) : NULL;

  return button != NULL;
}

guint kiosk_touches;

void
kiosk_press_buttons (GPid kiosk, const gchar *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr (AtspiAccessible) button
          = wait_for_named (kiosk, button_roles, names[i], "button to press");
      g_autoptr (AtspiAction) action = atspi_accessible_get_action_iface (button);
      g_autoptr (GError) error = NULL;

      kiosk_touches++;
      g_assert_nonnull (action);
      atspi_action_do_action (action, 0, &error);
      g_assert_no_error (error);
    }
}

/* GTK merges two activations of one button within its press animation:
 * wait for the display after each key. */
void
kiosk_type_on_keypad (GPid kiosk, const gchar *digits, gboolean secret)
{
  g_autoptr (GString) shown = g_string_new (NULL);

  for (const gchar *p = digits; *p != '\0'; p++)
    {
      gchar key[2] = { *p, '\0' };
      gint64 deadline = g_get_monotonic_time () + KIOSK_WAIT_SECONDS * G_USEC_PER_SEC;

      kiosk_press_buttons (kiosk, (const gchar *[]){ key, NULL });
      if (secret)
        g_string_append (shown, "\xe2\x97\x8f");
      else
        g_string_append_c (shown, *p);
      while (!kiosk_shows_exactly (kiosk, shown->str))
        {
          if (g_get_monotonic_time () > deadline)
            g_error ("The keypad never showed “%s”", shown->str);
          g_usleep (50 * 1000);
        }
    }
}

#ifdef KIOSK_HAVE_XTST
/* One key, pressed and released, on the test's display. */
static void
xtest_key (Display *display, KeySym keysym)
{
  KeyCode code = XKeysymToKeycode (display, keysym);

  g_assert_cmpint (code, !=, 0);
  XTestFakeKeyEvent (display, code, True, 0);
  XTestFakeKeyEvent (display, code, False, 0);
  XFlush (display);
  /* A reader types fast, but not faster than one key an X round trip. */
  g_usleep (20 * 1000);
}
#endif

void
kiosk_swipe_badge (GPid kiosk, const gchar *badge)
{
#ifdef KIOSK_HAVE_XTST
  Display *display = XOpenDisplay (kiosk_env.display);
  int screen;

  g_assert_nonnull (display);
  kiosk_touches++;
  /* No window manager gives the kiosk the keyboard: give it the topmost big
   * window (its main one; it fills the screen from the top left). */
  screen = DefaultScreen (display);
  XWarpPointer (display, None, RootWindow (display, screen), 0, 0, 0, 0, 200, 300);
  {
    Window root_return, parent_return, *children = NULL, target = None;
    unsigned int n = 0;

    if (XQueryTree (display, RootWindow (display, screen), &root_return, &parent_return, &children,
                    &n))
      for (unsigned int i = n; i > 0 && target == None; i--)
        {
          XWindowAttributes attributes;

          if (XGetWindowAttributes (display, children[i - 1], &attributes)
              && attributes.map_state == IsViewable && attributes.width >= 640)
            target = children[i - 1];
        }
    if (children != NULL)
      XFree (children);
    /* Away and back: GTK hears a fresh FocusIn even if X thinks the window
     * had the focus all along (a closed dialog can leave GTK unsure). */
    XSetInputFocus (display, None, RevertToPointerRoot, CurrentTime);
    XSync (display, False);
    g_usleep (100 * 1000);
    XSetInputFocus (display, target != None ? target : PointerRoot, RevertToPointerRoot,
                    CurrentTime);
  }
  XSync (display, False);
  g_usleep (200 * 1000);
  /* What a keyboard-wedge reader sends: the digits, then Enter. */
  for (const gchar *p = badge; *p != '\0'; p++)
    xtest_key (display, XK_0 + (*p - '0'));
  xtest_key (display, XK_Return);
  XCloseDisplay (display);
#else
  g_autoptr (GError) error = NULL;

  kiosk_touches++;
  for (const gchar *p = badge; *p != '\0'; p++)
    {
      atspi_generate_keyboard_event (*p, NULL, ATSPI_KEY_SYM, &error);
      g_assert_no_error (error);
    }
  atspi_generate_keyboard_event (0xff0d /* Return */, NULL, ATSPI_KEY_SYM, &error);
  g_assert_no_error (error);
#endif
}

void
kiosk_fill_entry (GPid kiosk, const gchar *name, const gchar *text)
{
  g_autoptr (AtspiAccessible) entry = wait_for_named (kiosk, entry_roles, name, "entry to type in");
  g_autoptr (AtspiEditableText) editable = atspi_accessible_get_editable_text_iface (entry);
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (editable);
  atspi_editable_text_set_text_contents (editable, text, &error);
  g_assert_no_error (error);
}

/* libadwaita 1.2's toast close button has no name (GTK falls back to its
 * image's class name) and is 34 px: the window's, not a page's. */
void
kiosk_wait_for_no_toast (GPid kiosk)
{
  gint64 deadline = g_get_monotonic_time () + KIOSK_WAIT_SECONDS * G_USEC_PER_SEC;

  while (kiosk_has_button (kiosk, "GtkImage"))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (200 * 1000);
    }
}

void
kiosk_sign_in_on_keypad (GPid kiosk, const gchar *badge, const gchar *pin)
{
  kiosk_press (kiosk, "Sign In");
  kiosk_wait_for_text (kiosk, "Enter your badge number");
  kiosk_type_on_keypad (kiosk, badge, FALSE);
  kiosk_press (kiosk, "Next");
  kiosk_wait_for_text (kiosk, "Enter the PIN for badge");
  kiosk_type_on_keypad (kiosk, pin, TRUE);
  kiosk_press (kiosk, "Sign In");
}

/* ---- setup ---- */

static gboolean
compile_schema (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *contents = NULL;
  g_autofree gchar *copy = NULL;
  gsize len;
  gint status = 0;
  const gchar *argv[] = { "glib-compile-schemas", "--strict", kiosk_env.schema_dir, NULL };

  g_mkdir_with_parents (kiosk_env.schema_dir, 0700);
  copy = g_build_filename (kiosk_env.schema_dir, DOCKET_APP_ID ".gschema.xml", NULL);
  if (!g_file_get_contents (g_getenv ("DOCKET_SCHEMA"), &contents, &len, &error)
      || !g_file_set_contents (copy, contents, len, &error)
      || !g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                        &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("Cannot compile the settings schema: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Only org.a11y.Bus, without the SystemdService= line of the installed file. */
static void
write_a11y_service (const gchar *dir)
{
  g_autofree gchar *path = g_build_filename (dir, "org.a11y.Bus.service", NULL);
  g_autofree gchar *text
      = g_strdup_printf ("[D-BUS Service]\nName=org.a11y.Bus\nExec=%s\n", kiosk_env.launcher);
  g_autoptr (GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
rm_rf (const gchar *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static const gchar *
find_launcher (void)
{
  const gchar *candidates[]
      = { "/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (g_file_test (candidates[i], G_FILE_TEST_IS_EXECUTABLE))
      return candidates[i];
  return NULL;
}

int
kiosk_atspi_setup (const gchar *name, const gchar *geometry, const gchar *const *needed)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *services = NULL;
  g_autofree gchar *template = g_strdup_printf ("docket-%s-XXXXXX", name);
  g_autofree gchar *xvfb = g_find_program_in_path ("Xvfb");
  g_autofree gchar *dbus_daemon = g_find_program_in_path ("dbus-daemon");

  /* libatspi warns when it races a starting app's cache: noise for us, not a
   * failure. Criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_FATAL_MASK);
  started_usec = g_get_monotonic_time ();

  for (guint i = 0; needed != NULL && needed[i] != NULL; i++)
    if (g_getenv (needed[i]) == NULL)
      {
        g_printerr ("SKIP: %s is not set (run through meson test)\n", needed[i]);
        return 77;
      }
  if (xvfb == NULL || dbus_daemon == NULL || find_launcher () == NULL)
    {
      g_printerr ("SKIP: needs Xvfb, dbus-daemon and at-spi-bus-launcher\n");
      return 77;
    }
  kiosk_env.launcher = g_strdup (find_launcher ());

  kiosk_env.tmpdir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  kiosk_env.schema_dir = g_build_filename (kiosk_env.tmpdir, "schemas", NULL);
  kiosk_env.state_dir = g_build_filename (kiosk_env.tmpdir, "state", NULL);
  services = g_build_filename (kiosk_env.tmpdir, "services", NULL);
  kiosk_env.artifacts = g_strdup (g_getenv ("DOCKET_ARTIFACTS_DIR"));
  if (kiosk_env.artifacts == NULL)
    kiosk_env.artifacts = g_build_filename (kiosk_env.tmpdir, "artifacts", NULL);
  g_mkdir_with_parents (kiosk_env.artifacts, 0755);

  if (!compile_schema () || !kiosk_xvfb_start (geometry, &kiosk_env.xvfb, &kiosk_env.display))
    {
      rm_rf (kiosk_env.tmpdir);
      return 77;
    }
  /* Nothing but the kiosk talks to the X server: the bus launcher then
   * publishes the accessibility bus on the session bus only. */
  g_unsetenv ("DISPLAY");
  /* at-spi-bus-launcher puts its socket in $XDG_RUNTIME_DIR (else ~/.cache):
   * parallel runs must not share, or one's exit breaks the other's bus. */
  g_setenv ("XDG_RUNTIME_DIR", kiosk_env.tmpdir, TRUE);

  write_a11y_service (services);
  kiosk_env.bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_add_service_dir (kiosk_env.bus, services);
  g_test_dbus_up (kiosk_env.bus);
  g_unsetenv ("AT_SPI_BUS_ADDRESS");

  if (atspi_init () > 1)
    g_error ("Cannot reach the accessibility bus");
  return 0;
}

void
kiosk_atspi_teardown (void)
{
  atspi_exit ();
  g_test_dbus_down (kiosk_env.bus);
  g_clear_object (&kiosk_env.bus);
  kiosk_xvfb_stop (&kiosk_env.xvfb);
  rm_rf (kiosk_env.tmpdir);
  g_clear_pointer (&kiosk_env.tmpdir, g_free);
  g_clear_pointer (&kiosk_env.schema_dir, g_free);
  g_clear_pointer (&kiosk_env.state_dir, g_free);
  g_clear_pointer (&kiosk_env.artifacts, g_free);
  g_clear_pointer (&kiosk_env.display, g_free);
  g_clear_pointer (&kiosk_env.launcher, g_free);
}
