/* test-kiosk.c — the real kiosk under Xvfb, read through the accessibility tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A private X server (Xvfb) and a private session bus (GTestDBus, which also
 * activates at-spi-bus-launcher for the accessibility bus) host the real
 * `docket` kiosk and the real `docketd --session`, which the test starts,
 * kills and restarts. What the kiosk shows is checked through AT-SPI, exactly
 * what a screen reader would get, and screenshots are saved as artifacts
 * (DOCKET_ARTIFACTS_DIR) for people to look at.
 *
 * Exits 77 (skip) when Xvfb, dbus-daemon or the AT-SPI bus launcher is missing.
 */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "kiosk-xvfb.h"

/* at-spi2-core 2.46 headers declare `f ()` prototypes. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <atspi/atspi.h>
#pragma GCC diagnostic pop

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiAccessible, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiStateSet, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiComponent, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiAction, g_object_unref)

/* Generous: only hit when something is broken, never a speed check. */
#define WAIT_SECONDS 60

static struct
{
  gchar *tmpdir;
  gchar *schema_dir;
  gchar *state_dir;
  gchar *artifacts;
  gchar *display;
  gchar *launcher;
  GPid xvfb;
  GTestDBus *bus;
} env;

static GPid
spawn (const gchar *const *argv, gchar **envp, gboolean quiet)
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

static void
stop (GPid *pid, int signum)
{
  int status = 0;

  if (*pid <= 0)
    return;
  kill (*pid, signum);
  waitpid (*pid, &status, 0);
  g_spawn_close_pid (*pid);
  *pid = 0;
}

/* The kiosk quits cleanly on SIGTERM; anything else (a crash, a sanitizer
 * report) fails the test. */
static void
stop_kiosk (GPid *pid)
{
  int status = 0;

  kill (*pid, SIGTERM);
  waitpid (*pid, &status, 0);
  g_spawn_close_pid (*pid);
  *pid = 0;
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

static GPid
start_docketd (void)
{
  g_auto (GStrv) envp = g_get_environ ();
  const gchar *argv[] = { g_getenv ("DOCKETD"), "--session", NULL };

  envp = g_environ_setenv (envp, "DOCKET_STATE_DIR", env.state_dir, TRUE);
  return spawn (argv, envp, TRUE);
}

static GPid
start_fake_daemon (void)
{
  g_auto (GStrv) envp = g_get_environ ();
  const gchar *argv[] = { g_getenv ("DOCKET_FAKE_DAEMON"), "--tick-ms", "400", NULL };

  return spawn (argv, envp, TRUE);
}

static GPid
start_kiosk (gboolean kiosk_mode)
{
  g_auto (GStrv) envp = g_get_environ ();
  const gchar *argv[]
      = { g_getenv ("DOCKET_KIOSK"), "--session", kiosk_mode ? "--kiosk" : NULL, NULL };

  envp = g_environ_setenv (envp, "DISPLAY", env.display, TRUE);
  envp = g_environ_setenv (envp, "GDK_BACKEND", "x11", TRUE);
  /* Xvfb has no GL worth the name; cairo renders the same pixels everywhere. */
  envp = g_environ_setenv (envp, "GSK_RENDERER", "cairo", TRUE);
  envp = g_environ_setenv (envp, "GSETTINGS_SCHEMA_DIR", env.schema_dir, TRUE);
  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "memory", TRUE);
  envp = g_environ_setenv (envp, "XDG_RUNTIME_DIR", env.tmpdir, TRUE);
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
  /* A critical in the kiosk is a bug: crash, so stop_kiosk () fails. */
  envp = g_environ_setenv (envp, "G_DEBUG", "fatal-criticals", TRUE);
  return spawn (argv, envp, FALSE);
}

static void
screenshot (const gchar *name, const gchar *crop)
{
  g_autofree gchar *path = g_strdup_printf ("%s/%s.png", env.artifacts, name);
  g_autofree gchar *import = g_find_program_in_path ("import");
  g_autoptr (GError) error = NULL;
  gint status = 0;
  const gchar *argv[]
      = { import, "-display", env.display, "-window", "root", crop != NULL ? "-crop" : path,
          crop,   path,       NULL };

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

static AtspiAccessible *
find_app (GPid pid)
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
        return g_steal_pointer (&app);
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

/* Depth-first; names are what a screen reader reads out. */
static gboolean
tree_has_text_full (
    AtspiAccessible *node, const gchar *text, gboolean exact, guint depth, GString *dump)
{
  g_autofree gchar *name = atspi_accessible_get_name (node, NULL);
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
      g_autoptr (AtspiAccessible) child = atspi_accessible_get_child_at_index (node, i, NULL);

      if (child != NULL && tree_has_text_full (child, text, exact, depth + 1, dump))
        return TRUE;
    }
  return FALSE;
}

static gboolean
tree_has_text (AtspiAccessible *node, const gchar *text, guint depth, GString *dump)
{
  return tree_has_text_full (node, text, FALSE, depth, dump);
}

static gboolean
kiosk_shows_exactly (GPid kiosk, const gchar *text)
{
  g_autoptr (AtspiAccessible) app = find_app (kiosk);

  if (app == NULL)
    return FALSE;
  atspi_accessible_set_cache_mask (app, ATSPI_CACHE_NONE);
  atspi_accessible_clear_cache (app);
  return tree_has_text_full (app, text, TRUE, 0, NULL);
}

static gboolean
kiosk_shows (GPid kiosk, const gchar *text)
{
  g_autoptr (AtspiAccessible) app = find_app (kiosk);

  if (app == NULL)
    return FALSE;
  /* The tree changes under us: never answer from a cache. */
  atspi_accessible_set_cache_mask (app, ATSPI_CACHE_NONE);
  atspi_accessible_clear_cache (app);
  return tree_has_text (app, text, 0, NULL);
}

static void
wait_for_text (GPid kiosk, const gchar *text)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!kiosk_shows (kiosk, text))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_autoptr (AtspiAccessible) app = find_app (kiosk);
          g_autoptr (GString) dump = g_string_new (NULL);

          if (app != NULL)
            tree_has_text (app, text, 0, dump);
          g_test_message ("Accessibility tree:\n%s", app != NULL ? dump->str : "(no app)");
          screenshot ("failure", NULL);
          g_error ("The kiosk never showed “%s”", text);
        }
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (100 * 1000);
    }
  g_test_message ("Kiosk shows “%s”", text);
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

static void
assert_controls_accessible (GPid kiosk)
{
  g_autoptr (AtspiAccessible) app = find_app (kiosk);
  g_autoptr (GString) problems = g_string_new (NULL);
  guint n_controls = 0;

  g_assert_nonnull (app);
  atspi_accessible_set_cache_mask (app, ATSPI_CACHE_NONE);
  atspi_accessible_clear_cache (app);
  audit_controls (app, problems, &n_controls, 0);
  g_test_message ("Audited %u controls", n_controls);
  g_assert_cmpuint (n_controls, >, 0);
  if (problems->len > 0)
    g_error ("Accessibility problems:\n%s", problems->str);
}

/* Finds a visible push button by its accessible name. */
static AtspiAccessible *
find_button (AtspiAccessible *node, const gchar *name, guint depth)
{
  AtspiRole role = atspi_accessible_get_role (node, NULL);
  gint n;

  if (depth > 60 || (role != ATSPI_ROLE_APPLICATION && !is_visible (node)))
    return NULL;
  if (role == ATSPI_ROLE_PUSH_BUTTON)
    {
      g_autofree gchar *button_name = atspi_accessible_get_name (node, NULL);

      if (g_strcmp0 (button_name, name) == 0)
        return g_object_ref (node);
    }
  n = atspi_accessible_get_child_count (node, NULL);
  for (gint i = 0; i < n; i++)
    {
      g_autoptr (AtspiAccessible) child = atspi_accessible_get_child_at_index (node, i, NULL);
      AtspiAccessible *found = child != NULL ? find_button (child, name, depth + 1) : NULL;

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Presses buttons the way a screen reader or switch user would: through
 * their AT-SPI action, waiting until each one is there. */
static void
press_buttons (GPid kiosk, const gchar *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
      g_autoptr (AtspiAccessible) button = NULL;
      g_autoptr (AtspiAction) action = NULL;
      g_autoptr (GError) error = NULL;

      while (button == NULL)
        {
          g_autoptr (AtspiAccessible) app = find_app (kiosk);

          if (app != NULL)
            {
              atspi_accessible_set_cache_mask (app, ATSPI_CACHE_NONE);
              atspi_accessible_clear_cache (app);
              button = find_button (app, names[i], 0);
            }
          if (button == NULL && g_get_monotonic_time () > deadline)
            g_error ("No button “%s” to press", names[i]);
          if (button == NULL)
            g_usleep (100 * 1000);
        }
      action = atspi_accessible_get_action_iface (button);
      g_assert_nonnull (action);
      atspi_action_do_action (action, 0, &error);
      g_assert_no_error (error);
    }
}

/* Types on the on-screen keypad, waiting for the display after each key:
 * GTK merges two activations of one button within its press animation. */
static void
type_on_keypad (GPid kiosk, const gchar *digits, gboolean secret)
{
  g_autoptr (GString) shown = g_string_new (NULL);

  for (const gchar *p = digits; *p != '\0'; p++)
    {
      gchar key[2] = { *p, '\0' };
      gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

      press_buttons (kiosk, (const gchar *[]){ key, NULL });
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

/* ---- tests ---- */

static void
test_kiosk_daemon_lifecycle (void)
{
  GPid daemon = 0;
  GPid kiosk;

  /* Started before the daemon: the kiosk must say it is waiting. */
  kiosk = start_kiosk (FALSE);
  wait_for_text (kiosk, "Docket Service Unavailable");

  daemon = start_docketd ();
  wait_for_text (kiosk, "No Cameras Docked");
  wait_for_text (kiosk, "Service running");
  screenshot ("kiosk-no-cameras", "1280x800+0+0");

  /* A crash, not a clean exit. */
  stop (&daemon, SIGKILL);
  wait_for_text (kiosk, "Docket Service Unavailable");
  wait_for_text (kiosk, "Service unavailable");
  screenshot ("kiosk-daemon-unavailable", "1280x800+0+0");

  daemon = start_docketd ();
  wait_for_text (kiosk, "No Cameras Docked");
  screenshot ("kiosk-daemon-recovered", "1280x800+0+0");

  stop_kiosk (&kiosk);
  stop (&daemon, SIGTERM);
}

static void
test_kiosk_overview (void)
{
  GPid daemon = start_fake_daemon ();
  GPid kiosk;

  /* Kiosk mode covers the whole 1920×1080 screen. */
  kiosk = start_kiosk (TRUE);
  wait_for_text (kiosk, "Slot 1-1");
  wait_for_text (kiosk, "Officer 4711");
  wait_for_text (kiosk, "Recording 7 failed its check");
  wait_for_text (kiosk, "Needs attention");
  wait_for_text (kiosk, "Settings corrected to match the policy");
  screenshot ("kiosk-overview-1920x1080", NULL);
  if (g_getenv ("DOCKET_TEST_DUMP_TREE") != NULL)
    {
      g_autoptr (AtspiAccessible) app = find_app (kiosk);
      g_autoptr (GString) dump = g_string_new (NULL);

      tree_has_text (app, "", 0, dump);
      g_test_message ("Accessibility tree:\n%s", dump->str);
    }

  /* Live updates: the offloading camera finishes while we watch. */
  wait_for_text (kiosk, "12 of 12 recordings copied");
  /* The card's accessible name tells the whole story in one sentence. */
  wait_for_text (kiosk, "Slot 1-1. Officer 4711. Done: all recordings safe");
  stop_kiosk (&kiosk);

  /* The smaller touchscreen, as a window. */
  kiosk = start_kiosk (FALSE);
  wait_for_text (kiosk, "Slot 1-2");
  screenshot ("kiosk-overview-1280x800", "1280x800+0+0");
  /* With window buttons and cards on screen: names and touch sizes. */
  assert_controls_accessible (kiosk);

  /* Sign in on the keypad: a wrong PIN first, then the right one. */
  press_buttons (kiosk, (const gchar *[]){ "Sign In", NULL });
  wait_for_text (kiosk, "Enter your badge number");
  type_on_keypad (kiosk, "4711", FALSE);
  press_buttons (kiosk, (const gchar *[]){ "Next", NULL });
  wait_for_text (kiosk, "Enter the PIN for badge 4711");
  type_on_keypad (kiosk, "9999", TRUE);
  press_buttons (kiosk, (const gchar *[]){ "Sign In", NULL });
  wait_for_text (kiosk, "Wrong badge number or PIN");
  screenshot ("kiosk-sign-in-refused", "1280x800+0+0");
  assert_controls_accessible (kiosk);
  type_on_keypad (kiosk, "1234", TRUE);
  press_buttons (kiosk, (const gchar *[]){ "Sign In", NULL });
  wait_for_text (kiosk, "Dana Scully (badge 4711)");
  /* An officer lands on the tagging page; the fake has nothing to tag. */
  wait_for_text (kiosk, "All Recordings Tagged");
  wait_for_text (
      kiosk,
      "Nothing is waiting for you. Dock your camera to copy new recordings, then tag them here.");
  screenshot ("kiosk-signed-in", "1280x800+0+0");
  press_buttons (kiosk, (const gchar *[]){ "Sign Out", NULL });
  press_buttons (kiosk, (const gchar *[]){ "Sign In", NULL });
  wait_for_text (kiosk, "Enter your badge number");
  press_buttons (kiosk, (const gchar *[]){ "Cancel", NULL });
  wait_for_text (kiosk, "Slot 1-2");

  /* Undocked by a dead daemon: the cards go, the state says why. */
  stop (&daemon, SIGKILL);
  wait_for_text (kiosk, "Docket Service Unavailable");
  g_assert_false (kiosk_shows (kiosk, "Slot 1-2"));
  stop_kiosk (&kiosk);
}

/* The real thing end to end: docketd docks simulated USB cameras (docket-sim
 * on umockdev), offloads and verifies them, and the kiosk shows it. */
static void
test_kiosk_real_cameras (void)
{
  const gchar *sim = g_getenv ("DOCKET_SIM");
  g_autofree gchar *media = g_build_filename (env.tmpdir, "media", NULL);
  g_autofree gchar *state = g_build_filename (env.tmpdir, "state-sim", NULL);
  g_auto (GStrv) envp = g_get_environ ();
  g_autoptr (GError) error = NULL;
  const gchar *argv[] = { sim,           "--cameras", "2",  "--recordings",       "2",
                          "--media-dir", media,       "--", g_getenv ("DOCKETD"), "--session",
                          NULL };
  GPid daemon = 0;
  GPid kiosk;
  gint in = -1;
  int status = 0;

  if (sim == NULL || !g_file_test (sim, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("docket-sim is not built");
      return;
    }
  envp = g_environ_setenv (envp, "DOCKET_STATE_DIR", state, TRUE);
  if (g_getenv ("DOCKET_KNOWN_CAMERAS_FILE") != NULL)
    envp = g_environ_setenv (envp, "DOCKET_KNOWN_CAMERAS", g_getenv ("DOCKET_KNOWN_CAMERAS_FILE"),
                             TRUE);
  /* docket-sim stops its daemon on "quit", so keep its stdin to say so. */
  g_spawn_async_with_pipes (NULL, (gchar **)argv, envp,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                            kiosk_test_child_setup, NULL, &daemon, &in, NULL, NULL, &error);
  g_assert_no_error (error);

  kiosk = start_kiosk (FALSE);
  wait_for_text (kiosk, "Serial SIM-0001");
  wait_for_text (kiosk, "Serial SIM-0002");
  wait_for_text (kiosk, "Slot 1-1. Unassigned camera. Done: all recordings safe. 2 of 2");
  wait_for_text (kiosk, "Slot 1-2. Unassigned camera. Done: all recordings safe. 2 of 2");
  screenshot ("kiosk-real-cameras", "1280x800+0+0");
  stop_kiosk (&kiosk);

  g_assert_cmpint (write (in, "quit\n", 5), ==, 5);
  close (in);
  waitpid (daemon, &status, 0);
  g_spawn_close_pid (daemon);
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
  const gchar *argv[] = { "glib-compile-schemas", "--strict", env.schema_dir, NULL };

  g_mkdir_with_parents (env.schema_dir, 0700);
  copy = g_build_filename (env.schema_dir, DOCKET_APP_ID ".gschema.xml", NULL);
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
      = g_strdup_printf ("[D-BUS Service]\nName=org.a11y.Bus\nExec=%s\n", env.launcher);
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
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *services = NULL;
  g_autofree gchar *xvfb = g_find_program_in_path ("Xvfb");
  g_autofree gchar *dbus_daemon = g_find_program_in_path ("dbus-daemon");
  const gchar *needed[] = { "DOCKETD", "DOCKET_KIOSK", "DOCKET_FAKE_DAEMON", "DOCKET_SCHEMA" };
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* libatspi warns when it races a starting app's cache: noise for us, not a
   * failure. Criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_FATAL_MASK);

  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
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
  env.launcher = g_strdup (find_launcher ());

  env.tmpdir = g_dir_make_tmp ("docket-test-kiosk-XXXXXX", &error);
  g_assert_no_error (error);
  env.schema_dir = g_build_filename (env.tmpdir, "schemas", NULL);
  env.state_dir = g_build_filename (env.tmpdir, "state", NULL);
  services = g_build_filename (env.tmpdir, "services", NULL);
  env.artifacts = g_strdup (g_getenv ("DOCKET_ARTIFACTS_DIR"));
  if (env.artifacts == NULL)
    env.artifacts = g_build_filename (env.tmpdir, "artifacts", NULL);
  g_mkdir_with_parents (env.artifacts, 0755);

  if (!compile_schema () || !kiosk_xvfb_start ("1920x1080x24", &env.xvfb, &env.display))
    {
      rm_rf (env.tmpdir);
      return 77;
    }
  /* Nothing but the kiosk talks to the X server: the bus launcher then
   * publishes the accessibility bus on the session bus only. */
  g_unsetenv ("DISPLAY");

  /* at-spi-bus-launcher puts its socket in $XDG_RUNTIME_DIR (else ~/.cache):
   * parallel runs must not share, or one's exit breaks the other's bus. */
  g_setenv ("XDG_RUNTIME_DIR", env.tmpdir, TRUE);

  write_a11y_service (services);
  env.bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_add_service_dir (env.bus, services);
  g_test_dbus_up (env.bus);
  g_unsetenv ("AT_SPI_BUS_ADDRESS");

  if (atspi_init () > 1)
    g_error ("Cannot reach the accessibility bus");

  g_test_add_func ("/kiosk/daemon-lifecycle", test_kiosk_daemon_lifecycle);
  g_test_add_func ("/kiosk/overview", test_kiosk_overview);
  g_test_add_func ("/kiosk/real-cameras", test_kiosk_real_cameras);
  ret = g_test_run ();

  atspi_exit ();
  g_test_dbus_down (env.bus);
  g_clear_object (&env.bus);
  kiosk_xvfb_stop (&env.xvfb);
  rm_rf (env.tmpdir);
  return ret;
}
