/* test-kiosk-access.c — "Who viewed my recordings", end to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A simulated camera offloads one recording of officer 4711 into the real
 * docketd. Sergeant 2001 opens it (over D-Bus, as the review page would)
 * giving a reason. The officer signs in at the kiosk, opens "Who Viewed My
 * Recordings" through AT-SPI and finds the sergeant's view: who, role and
 * the reason. Leaves a screenshot in DOCKET_ARTIFACTS_DIR.
 *
 * Exits 77 (skip) without Xvfb, dbus-daemon, at-spi-bus-launcher or docket-sim.
 */
#include "config.h"

#include <unistd.h>

#include <gio/gunixfdlist.h>

#include "kiosk-atspi.h"
#include "kiosk-station.h"

#define BUS_NAME "io.github.docket.Docket1"
#define BUS_PATH "/io/github/docket/Docket1"

/* The sergeant signs in, views recording 1 with @reason, signs out. */
static void
sergeant_views (const gchar *reason)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GUnixFDList) fds = NULL;
  const gchar *path = NULL;

  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (
      bus, BUS_NAME, BUS_PATH, BUS_NAME ".People", "SignIn", g_variant_new ("(ss)", "2001", "5678"),
      G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(&o)", &path);
  {
    g_autoptr (GVariant) fd_reply = g_dbus_connection_call_with_unix_fd_list_sync (
        bus, BUS_NAME, path, BUS_NAME ".Session", "OpenRecording",
        g_variant_new ("(xs)", (gint64)1, reason), G_VARIANT_TYPE ("(h)"), G_DBUS_CALL_FLAGS_NONE,
        -1, NULL, &fds, NULL, &error);
    g_autoptr (GVariant) out = NULL;

    g_assert_no_error (error);
    out = g_dbus_connection_call_sync (bus, BUS_NAME, path, BUS_NAME ".Session", "SignOut", NULL,
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
    g_assert_no_error (error);
  }
}

static void
test_kiosk_access (void)
{
  KioskStation station;
  GPid kiosk;

  if (!kiosk_station_start_shift (&station, 1))
    {
      g_test_skip ("docket-sim is not built");
      return;
    }
  kiosk = kiosk_start (FALSE, NULL);
  kiosk_wait_for_text (kiosk, "No Cameras Docked");
  kiosk_station_command (&station, "dock SIM-0001");
  kiosk_wait_for_text (kiosk, "Done: all recordings safe");

  sergeant_views ("Use-of-force review, complaint 26-0042");

  kiosk_sign_in_on_keypad (kiosk, "4711", "1234");
  kiosk_wait_for_text (kiosk, "Dana Scully (badge 4711)");
  kiosk_press (kiosk, "Who Viewed My Recordings");
  kiosk_wait_for_text (kiosk, "Walter Skinner (sergeant, badge 2001) — Viewed");
  kiosk_wait_for_text (kiosk, "Reason: Use-of-force review, complaint 26-0042");
  kiosk_screenshot ("access-1-who-viewed", "1280x800+0+0");
  kiosk_stop (&kiosk);
  kiosk_station_stop (&station);
}

int
main (int argc, char **argv)
{
  return kiosk_station_test_main (argc, argv, "test-kiosk-access", "1280x800x24", "/kiosk/access",
                                  test_kiosk_access);
}
