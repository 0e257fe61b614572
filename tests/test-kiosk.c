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

#include "kiosk-atspi.h"
#include "kiosk-station.h"

static GPid
start_docketd (void)
{
  g_auto (GStrv) envp = g_get_environ ();
  const gchar *argv[] = { g_getenv ("DOCKETD"), "--session", NULL };

  envp = g_environ_setenv (envp, "DOCKET_STATE_DIR", kiosk_env.state_dir, TRUE);
  return kiosk_spawn (argv, envp, TRUE);
}

static GPid
start_fake_daemon (void)
{
  g_auto (GStrv) envp = g_get_environ ();
  const gchar *argv[] = { g_getenv ("DOCKET_FAKE_DAEMON"), "--tick-ms", "400", NULL };

  return kiosk_spawn (argv, envp, TRUE);
}

/* ---- tests ---- */

static void
test_kiosk_daemon_lifecycle (void)
{
  GPid daemon = 0;
  GPid kiosk;

  /* Started before the daemon: the kiosk must say it is waiting. */
  kiosk = kiosk_start (FALSE, NULL);
  kiosk_wait_for_text (kiosk, "Docket Service Unavailable");

  daemon = start_docketd ();
  kiosk_wait_for_text (kiosk, "No Cameras Docked");
  kiosk_wait_for_text (kiosk, "Service running");
  kiosk_screenshot ("kiosk-no-cameras", "1280x800+0+0");

  /* A crash, not a clean exit. */
  kiosk_stop_process (&daemon, SIGKILL);
  kiosk_wait_for_text (kiosk, "Docket Service Unavailable");
  kiosk_wait_for_text (kiosk, "Service unavailable");
  kiosk_screenshot ("kiosk-daemon-unavailable", "1280x800+0+0");

  daemon = start_docketd ();
  kiosk_wait_for_text (kiosk, "No Cameras Docked");
  kiosk_screenshot ("kiosk-daemon-recovered", "1280x800+0+0");

  kiosk_stop (&kiosk);
  kiosk_stop_process (&daemon, SIGTERM);
}

static void
test_kiosk_overview (void)
{
  GPid daemon = start_fake_daemon ();
  GPid kiosk;

  /* Kiosk mode covers the whole 1920×1080 screen. */
  kiosk = kiosk_start (TRUE, NULL);
  kiosk_wait_for_text (kiosk, "Slot 1-1");
  kiosk_wait_for_text (kiosk, "Officer 4711");
  kiosk_wait_for_text (kiosk, "Recording 7 failed its check");
  kiosk_wait_for_text (kiosk, "Needs attention");
  kiosk_wait_for_text (kiosk, "Settings corrected to match the policy");
  /* Two cameras were checked while the kiosk's clock was unknown: the
   * header says so once, no card repeats it. */
  kiosk_wait_for_text (kiosk, "This kiosk cannot confirm its own clock");
  {
    g_autofree gchar *tree = kiosk_dump_tree (kiosk);
    g_auto (GStrv) parts = g_strsplit (tree, "cannot confirm its own clock", -1);

    g_assert_cmpuint (g_strv_length (parts), ==, 2);
  }
  kiosk_screenshot ("kiosk-overview-1920x1080", NULL);
  if (g_getenv ("DOCKET_TEST_DUMP_TREE") != NULL)
    {
      g_autofree gchar *dump = kiosk_dump_tree (kiosk);

      g_test_message ("Accessibility tree:\n%s", dump);
    }

  /* Live updates: the offloading camera finishes while we watch. */
  kiosk_wait_for_text (kiosk, "12 of 12 recordings copied");
  /* The card's accessible name tells the whole story in one sentence. */
  kiosk_wait_for_text (kiosk, "Slot 1-1. Officer 4711. Done: all recordings safe");
  kiosk_stop (&kiosk);

  /* The smaller touchscreen, as a window. */
  kiosk = kiosk_start (FALSE, NULL);
  kiosk_wait_for_text (kiosk, "Slot 1-2");
  kiosk_screenshot ("kiosk-overview-1280x800", "1280x800+0+0");
  /* With window buttons and cards on screen: names and touch sizes. */
  kiosk_assert_controls_accessible (kiosk);

  /* Sign in on the keypad: a wrong PIN first, then the right one. */
  kiosk_press (kiosk, "Sign In");
  kiosk_wait_for_text (kiosk, "Enter your badge number");
  kiosk_type_on_keypad (kiosk, "4711", FALSE);
  kiosk_press (kiosk, "Next");
  kiosk_wait_for_text (kiosk, "Enter the PIN for badge 4711");
  kiosk_type_on_keypad (kiosk, "9999", TRUE);
  kiosk_press (kiosk, "Sign In");
  kiosk_wait_for_text (kiosk, "Wrong badge number or PIN");
  kiosk_screenshot ("kiosk-sign-in-refused", "1280x800+0+0");
  kiosk_assert_controls_accessible (kiosk);
  kiosk_type_on_keypad (kiosk, "1234", TRUE);
  kiosk_press (kiosk, "Sign In");
  kiosk_wait_for_text (kiosk, "Dana Scully (badge 4711)");
  /* An officer lands on the tagging page; the fake has nothing to tag. */
  kiosk_wait_for_text (kiosk, "All Recordings Tagged");
  kiosk_wait_for_text (
      kiosk,
      "Nothing is waiting for you. Dock your camera to copy new recordings, then tag them here.");
  kiosk_screenshot ("kiosk-signed-in", "1280x800+0+0");
  kiosk_press (kiosk, "Sign Out");
  kiosk_press (kiosk, "Sign In");
  kiosk_wait_for_text (kiosk, "Enter your badge number");
  kiosk_press (kiosk, "Cancel");
  kiosk_wait_for_text (kiosk, "Slot 1-2");

  /* Undocked by a dead daemon: the cards go, the state says why. */
  kiosk_stop_process (&daemon, SIGKILL);
  kiosk_wait_for_text (kiosk, "Docket Service Unavailable");
  g_assert_false (kiosk_shows (kiosk, "Slot 1-2"));
  kiosk_stop (&kiosk);
}

/* The real thing end to end: docketd docks simulated USB cameras (docket-sim
 * on umockdev), offloads and verifies them, and the kiosk shows it. */
static void
test_kiosk_real_cameras (void)
{
  g_autofree gchar *state = g_build_filename (kiosk_env.tmpdir, "state-sim", NULL);
  KioskStation station;
  GPid kiosk;

  if (!kiosk_station_start (&station, state, 2, 2))
    {
      g_test_skip ("docket-sim is not built");
      return;
    }
  kiosk = kiosk_start (FALSE, NULL);
  kiosk_wait_for_text (kiosk, "Serial SIM-0001");
  kiosk_wait_for_text (kiosk, "Serial SIM-0002");
  kiosk_wait_for_text (kiosk, "Slot 1-1. Unassigned camera. Done: all recordings safe. 2 of 2");
  kiosk_wait_for_text (kiosk, "Slot 1-2. Unassigned camera. Done: all recordings safe. 2 of 2");
  kiosk_screenshot ("kiosk-real-cameras", "1280x800+0+0");
  kiosk_stop (&kiosk);
  kiosk_station_stop (&station);
}

/* ---- setup ---- */

int
main (int argc, char **argv)
{
  const gchar *needed[]
      = { "DOCKETD", "DOCKET_KIOSK", "DOCKET_FAKE_DAEMON", "DOCKET_SCHEMA", NULL };
  int ret;

  g_test_init (&argc, &argv, NULL);
  ret = kiosk_atspi_setup ("test-kiosk", "1920x1080x24", needed);
  if (ret != 0)
    return ret;

  g_test_add_func ("/kiosk/daemon-lifecycle", test_kiosk_daemon_lifecycle);
  g_test_add_func ("/kiosk/overview", test_kiosk_overview);
  g_test_add_func ("/kiosk/real-cameras", test_kiosk_real_cameras);
  ret = g_test_run ();

  kiosk_atspi_teardown ();
  return ret;
}
