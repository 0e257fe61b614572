/* kiosk-atspi.h — drive the real kiosk under Xvfb through AT-SPI, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One private Xvfb, one private session bus (GTestDBus, which activates
 * at-spi-bus-launcher for the accessibility bus) and a compiled settings
 * schema per test program. The kiosk is read and pressed through AT-SPI,
 * exactly as a screen reader or a switch user would.
 */
#pragma once

#include <gio/gio.h>

/* at-spi2-core 2.46 headers declare `f ()` prototypes. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <atspi/atspi.h>
#pragma GCC diagnostic pop

#include "kiosk-xvfb.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiAccessible, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiStateSet, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiComponent, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiAction, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiEditableText, g_object_unref)

/* Generous: only hit when something is broken, never a speed check. */
#define KIOSK_WAIT_SECONDS 60

typedef struct
{
  gchar *tmpdir; /* removed by kiosk_atspi_teardown () */
  gchar *schema_dir;
  gchar *state_dir; /* $tmpdir/state, for DOCKET_STATE_DIR */
  gchar *artifacts; /* DOCKET_ARTIFACTS_DIR, else $tmpdir/artifacts */
  gchar *display;
  gchar *launcher;
  GPid xvfb;
  GTestDBus *bus;
} KioskEnv;

extern KioskEnv kiosk_env;

/* After g_test_init (): checks that every variable in @needed is set and that
 * Xvfb, dbus-daemon and the AT-SPI bus launcher exist, then starts Xvfb with
 * @geometry ("1280x800x24"), the private bus and AT-SPI. Returns 0, or 77
 * (skip) with the reason on stderr. */
int kiosk_atspi_setup (const gchar *name, const gchar *geometry, const gchar *const *needed);
void kiosk_atspi_teardown (void);

/* Spawned children get SIGTERM when the test dies. */
GPid kiosk_spawn (const gchar *const *argv, gchar **envp, gboolean quiet);
void kiosk_stop_process (GPid *pid, int signum);

/* The kiosk on the test's display; @kiosk_mode covers the whole screen.
 * @extra_env: NULL or "NAME=value" pairs added to its environment. */
GPid kiosk_start (gboolean kiosk_mode, const gchar *const *extra_env);
/* SIGTERM; the kiosk must exit cleanly (no crash, no sanitizer report). */
void kiosk_stop (GPid *pid);

/* Saves DOCKET_ARTIFACTS_DIR/@name.png of the screen, or of @crop
 * ("1280x800+0+0") when not NULL. */
void kiosk_screenshot (const gchar *name, const gchar *crop);

/* The kiosk's application node, uncached; NULL while it has none. */
AtspiAccessible *kiosk_find_app (GPid pid);
/* The whole tree with roles and states, for failure messages. */
gchar *kiosk_dump_tree (GPid kiosk);

/* Called when a wait fails, its text added to the failure message (the
 * daemon's own view, say); NULL to stop. */
typedef gchar *(*KioskFailureReport) (gpointer user_data);
void kiosk_set_failure_report (KioskFailureReport report, gpointer user_data);

/* A visible node whose name contains @text (or is @text exactly). */
gboolean kiosk_shows (GPid kiosk, const gchar *text);
gboolean kiosk_shows_exactly (GPid kiosk, const gchar *text);
/* Fails the test (tree dump, failure screenshot) after KIOSK_WAIT_SECONDS. */
void kiosk_wait_for_text (GPid kiosk, const gchar *text);
void kiosk_wait_for_no_text (GPid kiosk, const gchar *text);

/* Every visible control has a real accessible name, takes keyboard focus and
 * is at least 48×48 px. */
void kiosk_assert_controls_accessible (GPid kiosk);
/* Every window of the kiosk, and every control laid out in it, lies within
 * @width px from the screen's left edge: nothing is cut off at the side. */
void kiosk_assert_fits_width (GPid kiosk, gint width);

/* Presses visible push buttons by accessible name, in order, waiting for
 * each; a name ending in '*' matches by prefix. */
void kiosk_press_buttons (GPid kiosk, const gchar *const *names);
#define kiosk_press(kiosk, ...)                                                                    \
  kiosk_press_buttons ((kiosk), (const gchar *[]){ __VA_ARGS__, NULL })
/* Presses and swipes so far (each key of the on-screen keypad is one): the
 * tests print how many a task takes. */
extern guint kiosk_touches;
/* A USB badge reader (keyboard wedge) types @badge and Enter: one swipe. */
void kiosk_swipe_badge (GPid kiosk, const gchar *badge);
/* TRUE when a visible push button named @name (prefix with '*') exists now. */
gboolean kiosk_has_button (GPid kiosk, const gchar *name);

/* Types on the on-screen keypad, waiting for the display after each key;
 * @secret: the display shows dots. */
void kiosk_type_on_keypad (GPid kiosk, const gchar *digits, gboolean secret);
/* Replaces the text of the visible entry named @name. */
void kiosk_fill_entry (GPid kiosk, const gchar *name, const gchar *text);
/* Waits until no unnamed toast close button is on screen. */
void kiosk_wait_for_no_toast (GPid kiosk);
/* Sign In, badge, Next, PIN, Sign In — without waiting for the outcome. */
void kiosk_sign_in_on_keypad (GPid kiosk, const gchar *badge, const gchar *pin);

G_END_DECLS
