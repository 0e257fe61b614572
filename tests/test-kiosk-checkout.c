/* test-kiosk-checkout.c — charging and check-out of pool cameras, through the kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two pooled simulated cameras dock into the real docketd: one charged, one
 * not (docket-sim charges quickly with --accelerate, so the daemon can
 * estimate when it will be ready). The cards say "Ready for shift" and
 * "Ready in about …". An officer signs in on the keypad, presses Check Out
 * a Camera and is told the slot and serial of the charged one; the dock
 * blinks that slot's light; a second press is refused with the daemon's
 * reason; after signing out, the card says who holds the camera. A battery
 * gone too hot stops charging, and the card says so. Each step
 * leaves a screenshot in DOCKET_ARTIFACTS_DIR, at 1280×800 and, in kiosk
 * mode, 1920×1080.
 *
 * Exits 77 (skip) without Xvfb, dbus-daemon, at-spi-bus-launcher or docket-sim.
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>

#include "kiosk-atspi.h"
#include "kiosk-station.h"

typedef struct
{
  KioskStation station;
  GDataInputStream *out; /* docket-sim's stdout */
} Sim;

/* Charging twenty times faster, and docket-sim's stdout kept to read the
 * dock lights from `list`. */
static gboolean
sim_start (Sim *sim)
{
  const gchar *const args[] = { "--accelerate", "20", NULL };
  g_autoptr (GInputStream) raw = NULL;
  gint out_fd = -1;

  memset (sim, 0, sizeof *sim);
  if (!kiosk_station_start_full (&sim->station, kiosk_env.state_dir, 0, 1, args, &out_fd))
    return FALSE;
  raw = g_unix_input_stream_new (out_fd, TRUE);
  sim->out = g_data_input_stream_new (raw);
  return TRUE;
}

static void
sim_stop (Sim *sim)
{
  kiosk_station_stop (&sim->station);
  g_clear_object (&sim->out);
}

/* The dock light of @serial as docket-sim last set it (DcpIndicator). */
static gint
sim_indicator (Sim *sim, const gchar *serial)
{
  g_autofree gchar *prefix = g_strdup_printf ("camera %s ", serial);
  gint indicator = -1;

  kiosk_station_command (&sim->station, "list");
  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autofree gchar *line = g_data_input_stream_read_line_utf8 (sim->out, NULL, NULL, &error);
      const gchar *field;

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_equal (line, "end"))
        return indicator;
      if (g_str_has_prefix (line, prefix) && (field = strstr (line, " indicator=")) != NULL)
        indicator = atoi (field + strlen (" indicator="));
    }
}

/* Waits for @text up to @seconds; for what the daemon learns slowly (a
 * charge rate needs two status polls, 30 s apart). */
static void
wait_long_for_text (GPid kiosk, const gchar *text, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!kiosk_shows (kiosk, text))
    {
      if (g_get_monotonic_time () > deadline)
        {
          /* The usual failure report: tree dump and screenshot. */
          kiosk_wait_for_text (kiosk, text);
          return;
        }
      g_usleep (250 * 1000);
    }
}

static void
pool (Sim *sim, const gchar *serial)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = kiosk_docketctl (&sim->station, NULL, &error, "--session", "camera",
                                           "pool", serial, "on", NULL);

  g_assert_no_error (error);
}

static void
test_kiosk_checkout (void)
{
  Sim sim;
  GPid kiosk;
  gint64 deadline;
  gboolean blinked = FALSE;

  if (!sim_start (&sim))
    {
      g_test_skip ("docket-sim is not built");
      return;
    }
  kiosk_station_wait_for_daemon (&sim.station);
  kiosk_station_enrol (&sim.station, "4711", "Ana Díaz", "officer", "1234");

  /* Two pool cameras: SIM-0001 charged, SIM-0002 far from it. */
  pool (&sim, "SIM-0001");
  pool (&sim, "SIM-0002");
  kiosk_station_command (&sim.station, "add SIM-0001");
  kiosk_station_command (&sim.station, "add SIM-0002");
  kiosk_station_command (&sim.station, "battery SIM-0001 96");
  kiosk_station_command (&sim.station, "battery SIM-0002 20");

  kiosk = kiosk_start (FALSE, NULL);
  kiosk_wait_for_text (kiosk, "No Cameras Docked");
  kiosk_station_command (&sim.station, "dock SIM-0001");
  kiosk_station_command (&sim.station, "dock SIM-0002");
  /* At 20 % it cannot be checked out: not "available". */
  kiosk_wait_for_text (kiosk, "Pool camera — charging");
  kiosk_wait_for_text (kiosk, "Ready for shift");
  wait_long_for_text (kiosk, "Ready in about", 150);
  kiosk_screenshot ("checkout-1-charging", "1280x800+0+0");
  /* Names, focus and touch size of every control, before any toast (whose
   * libadwaita 1.2 close button has no name) is on screen. */
  kiosk_assert_controls_accessible (kiosk);
  /* Before check-out the charged camera's light is not off. */
  g_assert_cmpint (sim_indicator (&sim, "SIM-0001"), >, 0);

  /* The officer checks out the charged camera and is told where it is. */
  kiosk_sign_in_on_keypad (kiosk, "4711", "1234");
  kiosk_wait_for_text (kiosk, "Ana Díaz (badge 4711)");
  kiosk_press (kiosk, "Check Out a Camera");
  kiosk_wait_for_text (kiosk, "Camera Checked Out");
  kiosk_wait_for_text (kiosk, "Take the camera from slot");
  kiosk_wait_for_text (kiosk, "(serial SIM-0001)");
  kiosk_screenshot ("checkout-2-checked-out", "1280x800+0+0");

  /* Its dock light blinks (off, then on again) so the officer finds it. */
  deadline = g_get_monotonic_time () + KIOSK_WAIT_SECONDS * G_USEC_PER_SEC;
  while (!blinked && g_get_monotonic_time () < deadline)
    {
      blinked = sim_indicator (&sim, "SIM-0001") == 0;
      g_usleep (50 * 1000);
    }
  g_assert_true (blinked);
  /* The other camera's light is left alone. */
  g_assert_cmpint (sim_indicator (&sim, "SIM-0002"), >, 0);

  kiosk_press (kiosk, "OK*");
  kiosk_wait_for_no_text (kiosk, "Camera Checked Out");

  /* One at a time: the daemon says why not. */
  kiosk_press (kiosk, "Check Out a Camera");
  kiosk_wait_for_text (kiosk, "No Camera Checked Out");
  kiosk_wait_for_text (kiosk, "You already have camera SIM-0001 checked out");
  kiosk_screenshot ("checkout-3-refused", "1280x800+0+0");
  kiosk_press (kiosk, "OK*");
  kiosk_wait_for_no_text (kiosk, "No Camera Checked Out");

  /* Back on the overview, the card says who holds the camera. */
  kiosk_press (kiosk, "Sign Out");
  kiosk_wait_for_text (kiosk, "Checked out to Officer Ana Díaz (4711)");
  kiosk_wait_for_text (kiosk, "Pool camera — charging");
  kiosk_screenshot ("checkout-4-holder", "1280x800+0+0");

  /* Too hot: the dock stops charging and the card says why, with an alert. */
  kiosk_station_command (&sim.station, "temperature SIM-0002 60");
  wait_long_for_text (kiosk, "Not charging: the battery is too hot", 90);
  kiosk_wait_for_text (kiosk, "Battery too hot: 60 °C");
  kiosk_wait_for_text (kiosk, "Not ready for shift yet");
  kiosk_screenshot ("checkout-5-too-hot", "1280x800+0+0");
  kiosk_stop (&kiosk);

  /* The same cards filling a 1920×1080 kiosk screen. */
  kiosk = kiosk_start (TRUE, NULL);
  kiosk_wait_for_text (kiosk, "Checked out to Officer 4711");
  kiosk_wait_for_text (kiosk, "Ready for shift");
  kiosk_screenshot ("checkout-6-1920x1080", NULL);
  kiosk_stop (&kiosk);

  sim_stop (&sim);
}

int
main (int argc, char **argv)
{
  return kiosk_station_test_main (argc, argv, "test-kiosk-checkout", "1920x1080x24",
                                  "/kiosk/checkout", test_kiosk_checkout);
}
