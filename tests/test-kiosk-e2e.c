/* test-kiosk-e2e.c — one working day, end to end, through the kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A simulated camera (docket-sim on umockdev) docks into the real docketd,
 * which offloads and verifies it. An officer signs in on the keypad (a wrong
 * PIN, then the right one), previews and tags the incident; a sergeant signs
 * in, approves one tag and returns another. Each step leaves a screenshot in
 * DOCKET_ARTIFACTS_DIR, and `docketctl audit list --json` must show it.
 *
 * Everything the officer and the sergeant do goes through the kiosk, via
 * AT-SPI as a screen reader or switch user would.
 *
 * The Xvfb/AT-SPI helpers are the same as test-kiosk.c's.
 * Exits 77 (skip) without Xvfb, dbus-daemon, at-spi-bus-launcher or docket-sim.
 */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include <gio/gunixfdlist.h>

#include "docket-dbus-generated.h"
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
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiEditableText, g_object_unref)

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
  g_spawn_async (NULL, (gchar **)argv, envp, flags, NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  return pid;
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

      gsize len = strlen (name);

      /* "Prefix*" matches names that carry a time or a count. */
      if (g_strcmp0 (button_name, name) == 0
          || (len > 1 && name[len - 1] == '*' && button_name != NULL
              && strncmp (button_name, name, len - 1) == 0))
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
            {
              g_autoptr (AtspiAccessible) again = find_app (kiosk);
              g_autoptr (GString) dump = g_string_new (NULL);

              if (again != NULL)
                tree_has_text (again, "", 0, dump);
              g_test_message ("Accessibility tree:\n%s", dump->str);
              g_error ("No button “%s” to press", names[i]);
            }
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

/* Finds a visible entry by its accessible name. */
static AtspiAccessible *
find_entry (AtspiAccessible *node, const gchar *name, guint depth)
{
  AtspiRole role = atspi_accessible_get_role (node, NULL);
  gint n;

  if (depth > 60 || (role != ATSPI_ROLE_APPLICATION && !is_visible (node)))
    return NULL;
  if (role == ATSPI_ROLE_ENTRY || role == ATSPI_ROLE_TEXT)
    {
      g_autofree gchar *entry_name = atspi_accessible_get_name (node, NULL);

      if (g_strcmp0 (entry_name, name) == 0)
        return g_object_ref (node);
    }
  n = atspi_accessible_get_child_count (node, NULL);
  for (gint i = 0; i < n; i++)
    {
      g_autoptr (AtspiAccessible) child = atspi_accessible_get_child_at_index (node, i, NULL);
      AtspiAccessible *found = child != NULL ? find_entry (child, name, depth + 1) : NULL;

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Types into an entry of the kiosk or one of its dialogs. */
static void
fill_entry (GPid kiosk, const gchar *name, const gchar *text)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  g_autoptr (AtspiAccessible) entry = NULL;
  g_autoptr (AtspiEditableText) editable = NULL;
  g_autoptr (GError) error = NULL;

  while (entry == NULL)
    {
      g_autoptr (AtspiAccessible) app = find_app (kiosk);

      if (app != NULL)
        {
          atspi_accessible_set_cache_mask (app, ATSPI_CACHE_NONE);
          atspi_accessible_clear_cache (app);
          entry = find_entry (app, name, 0);
        }
      if (entry == NULL && g_get_monotonic_time () > deadline)
        {
          g_autoptr (GString) dump = g_string_new (NULL);

          if (app != NULL)
            tree_has_text (app, "", 0, dump);
          g_test_message ("Accessibility tree:\n%s", dump->str);
          g_error ("No entry “%s” to type in", name);
        }
      if (entry == NULL)
        g_usleep (100 * 1000);
    }
  editable = atspi_accessible_get_editable_text_iface (entry);
  g_assert_nonnull (editable);
  atspi_editable_text_set_text_contents (editable, text, &error);
  g_assert_no_error (error);
}

static void
wait_for_no_toast (GPid kiosk)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr (AtspiAccessible) app = find_app (kiosk);
      g_autoptr (AtspiAccessible) close_button = NULL;

      g_assert_nonnull (app);
      atspi_accessible_set_cache_mask (app, ATSPI_CACHE_NONE);
      atspi_accessible_clear_cache (app);
      close_button = find_button (app, "GtkImage", 0);
      if (close_button == NULL)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (200 * 1000);
    }
}

static void
sign_in_on_keypad (GPid kiosk, const gchar *badge, const gchar *pin)
{
  press_buttons (kiosk, (const gchar *[]){ "Sign In", NULL });
  wait_for_text (kiosk, "Enter your badge number");
  type_on_keypad (kiosk, badge, FALSE);
  press_buttons (kiosk, (const gchar *[]){ "Next", NULL });
  wait_for_text (kiosk, "Enter the PIN for badge");
  type_on_keypad (kiosk, pin, TRUE);
  press_buttons (kiosk, (const gchar *[]){ "Sign In", NULL });
}

/* ---- the daemon side ---- */

static gchar *
docketctl (const gchar *input, GError **error, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocessLauncher) launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GSubprocess) process = NULL;
  g_autofree gchar *out = NULL;
  const gchar *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer)g_getenv ("DOCKETCTL"));
  va_start (args, error);
  while ((arg = va_arg (args, const gchar *)) != NULL)
    g_ptr_array_add (argv, (gpointer)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_setenv (launcher, "DOCKET_STATE_DIR", env.state_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const gchar *const *)argv->pdata, error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, input, NULL, &out, NULL, error))
    return NULL;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "docketctl %s failed",
                   (const gchar *)argv->pdata[1]);
      return NULL;
    }
  return g_steal_pointer (&out);
}

static void
wait_for_daemon (void)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autofree gchar *out = docketctl (NULL, &error, "--session", "status", NULL);

      if (out != NULL)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("docketd never answered: %s", error->message);
      g_usleep (200 * 1000);
    }
}

static void
enrol (const gchar *badge, const gchar *name, const gchar *role, const gchar *pin)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *input = g_strdup_printf ("%s\n", pin);
  g_autofree gchar *out = docketctl (input, &error, "--session", "officer", "add", badge, "--name",
                                     name, "--role", role, NULL);

  g_assert_no_error (error);
}

static gchar *
audit_list (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *store = g_build_filename (env.state_dir, "store", NULL);
  gchar *out = docketctl (NULL, &error, "--json", "audit", "list", "--store", store, NULL);

  g_assert_no_error (error);
  return out;
}

static void
test_kiosk_e2e (void)
{
  const gchar *sim = g_getenv ("DOCKET_SIM");
  g_autofree gchar *media = g_build_filename (env.tmpdir, "media", NULL);
  g_auto (GStrv) envp = g_get_environ ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *assign = NULL;
  g_autofree gchar *audit = NULL;
  const gchar *argv[] = { sim,           "--cameras", "0",  "--recordings",       "3",
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
  envp = g_environ_setenv (envp, "DOCKET_STATE_DIR", env.state_dir, TRUE);
  if (g_getenv ("DOCKET_KNOWN_CAMERAS_FILE") != NULL)
    envp = g_environ_setenv (envp, "DOCKET_KNOWN_CAMERAS", g_getenv ("DOCKET_KNOWN_CAMERAS_FILE"),
                             TRUE);
  /* docket-sim takes commands (add, dock, quit) on its stdin. */
  g_spawn_async_with_pipes (NULL, (gchar **)argv, envp,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                            &daemon, &in, NULL, NULL, &error);
  g_assert_no_error (error);
  wait_for_daemon ();

  /* IT enrols the people and assigns the camera before it is docked, so
   * its recordings belong to the officer. */
  enrol ("4711", "Dana Scully", "officer", "1234");
  enrol ("2001", "Walter Skinner", "sergeant", "5678");
  enrol ("9001", "Frohike", "it", "2468");
  g_assert_cmpint (write (in, "add SIM-0001\n", 13), ==, 13);
  /* `add` is asynchronous: retry the assignment until the camera is known. */
  {
    gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

    while (
        (assign = docketctl (NULL, NULL, "--session", "camera", "assign", "SIM-0001", "4711", NULL))
        == NULL)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (200 * 1000);
      }
  }

  kiosk = start_kiosk (FALSE);
  wait_for_text (kiosk, "No Cameras Docked");
  g_assert_cmpint (write (in, "dock SIM-0001\n", 14), ==, 14);
  wait_for_text (kiosk, "Done: all recordings safe");
  screenshot ("e2e-1-offloaded", "1280x800+0+0");

  /* The officer: a wrong PIN, then the right one. */
  sign_in_on_keypad (kiosk, "4711", "9999");
  wait_for_text (kiosk, "The badge number or the PIN is wrong");
  screenshot ("e2e-2-wrong-pin", "1280x800+0+0");
  type_on_keypad (kiosk, "1234", TRUE);
  press_buttons (kiosk, (const gchar *[]){ "Sign In", NULL });
  wait_for_text (kiosk, "Dana Scully (badge 4711)");
  screenshot ("e2e-3-officer-signed-in", "1280x800+0+0");

  /* The officer previews (the view is audit-logged) and tags the whole
   * incident on the kiosk's tagging page. */
  wait_for_text (kiosk, "Incidents to tag");
  press_buttons (kiosk, (const gchar *[]){ "Preview the recording from*", NULL });
  wait_for_text (kiosk, "Close the preview");
  screenshot ("e2e-3b-preview", "1280x800+0+0");
  press_buttons (kiosk, (const gchar *[]){ "Close the preview", NULL });
  press_buttons (kiosk, (const gchar *[]){ "Use of force", NULL });
  fill_entry (kiosk, "Note (optional)", "Traffic stop, end to end test");
  screenshot ("e2e-3c-tag-form", "1280x800+0+0");
  press_buttons (kiosk, (const gchar *[]){ "Tag All*", NULL });
  wait_for_text (kiosk, "All Recordings Tagged");
  screenshot ("e2e-3d-tagged", "1280x800+0+0");
  press_buttons (kiosk, (const gchar *[]){ "Sign Out", NULL });
  wait_for_text (kiosk, "Done: all recordings safe");

  /* The sergeant: use of force needs a supervisor's review. */
  sign_in_on_keypad (kiosk, "2001", "5678");
  wait_for_text (kiosk, "Walter Skinner (badge 2001)");
  wait_for_text (kiosk, "Review queue");
  press_buttons (kiosk, (const gchar *[]){ "Needs Review", NULL });
  wait_for_text (kiosk, "recordings in this queue");
  wait_for_text (kiosk, "Use of force");
  screenshot ("e2e-4-review-queue", "1280x800+0+0");
  /* Names, keyboard focus and 48 px touch targets on the review page, once
   * the sign-in toast is gone: libadwaita 1.2's toast close button has no
   * name and is 34 px (the window's, not the page's). */
  wait_for_no_toast (kiosk);
  assert_controls_accessible (kiosk);

  press_buttons (kiosk, (const gchar *[]){ "Approve…", NULL });
  wait_for_text (kiosk, "Approve This Recording?");
  fill_entry (kiosk, "Reason (required, goes into the audit log)", "Force was justified");
  screenshot ("e2e-5-approve-dialog", "1280x800+0+0");
  /* libadwaita 1.2 names a message dialog's response buttons twice. */
  press_buttons (kiosk, (const gchar *[]){ "Approve Approve", NULL });
  wait_for_text (kiosk, "Approved");

  press_buttons (kiosk, (const gchar *[]){ "Return…", NULL });
  wait_for_text (kiosk, "Return to the Officer?");
  fill_entry (kiosk, "Reason (required, goes into the audit log)", "Add the case number");
  press_buttons (kiosk, (const gchar *[]){ "Return Return", NULL });
  wait_for_text (kiosk, "Returned to the officer");
  screenshot ("e2e-6-reviewed", "1280x800+0+0");
  press_buttons (kiosk, (const gchar *[]){ "Sign Out", NULL });

  /* IT: the station's state, read-only, no footage. */
  wait_for_text (kiosk, "Done: all recordings safe");
  sign_in_on_keypad (kiosk, "9001", "2468");
  wait_for_text (kiosk, "Frohike (badge 9001)");
  wait_for_text (kiosk, "Cameras known");
  wait_for_text (kiosk, "used of");
  wait_for_text (kiosk, "No recent errors");
  screenshot ("e2e-7-it-status", "1280x800+0+0");
  press_buttons (kiosk, (const gchar *[]){ "Sign Out", NULL });
  stop_kiosk (&kiosk);

  /* Every step is in the hash-chained audit log. */
  audit = audit_list ();
  g_test_message ("Audit log:\n%s", audit);
  for (const gchar *const *event
       = (const gchar *const[]){ "sign-in-failed", "signed-in", "recording-viewed",
                                 "recording-tagged", "review-approved", "review-returned", NULL };
       *event != NULL; event++)
    if (strstr (audit, *event) == NULL)
      g_error ("The audit log has no “%s”", *event);
  g_assert_nonnull (strstr (audit, "Force was justified"));
  g_assert_nonnull (strstr (audit, "Add the case number"));

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
  const gchar *needed[] = { "DOCKETD", "DOCKETCTL", "DOCKET_KIOSK", "DOCKET_SCHEMA", "DOCKET_SIM" };
  int ret;

  g_test_init (&argc, &argv, NULL);
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

  env.tmpdir = g_dir_make_tmp ("docket-test-kiosk-e2e-XXXXXX", &error);
  g_assert_no_error (error);
  env.schema_dir = g_build_filename (env.tmpdir, "schemas", NULL);
  env.state_dir = g_build_filename (env.tmpdir, "state", NULL);
  services = g_build_filename (env.tmpdir, "services", NULL);
  env.artifacts = g_strdup (g_getenv ("DOCKET_ARTIFACTS_DIR"));
  if (env.artifacts == NULL)
    env.artifacts = g_build_filename (env.tmpdir, "artifacts", NULL);
  g_mkdir_with_parents (env.artifacts, 0755);

  if (!compile_schema () || !kiosk_xvfb_start ("1280x800x24", &env.xvfb, &env.display))
    {
      rm_rf (env.tmpdir);
      return 77;
    }
  g_unsetenv ("DISPLAY");
  g_setenv ("XDG_RUNTIME_DIR", env.tmpdir, TRUE);

  write_a11y_service (services);
  env.bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_add_service_dir (env.bus, services);
  g_test_dbus_up (env.bus);
  g_unsetenv ("AT_SPI_BUS_ADDRESS");

  if (atspi_init () > 1)
    g_error ("Cannot reach the accessibility bus");

  g_test_add_func ("/kiosk/e2e", test_kiosk_e2e);
  ret = g_test_run ();

  atspi_exit ();
  g_test_dbus_down (env.bus);
  g_clear_object (&env.bus);
  kiosk_xvfb_stop (&env.xvfb);
  rm_rf (env.tmpdir);
  return ret;
}
