/* test-kiosk-e2e-export.c — a sergeant exports an incident from the kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A simulated camera docks into the real docketd. Through the kiosk, via
 * AT-SPI:
 *
 *  - the officer tags her recording with a case number; neither her
 *    tagging page nor "My Tags" offers an export (need to know);
 *  - the sergeant, from the review queue, exports the recording's incident
 *    with a preset reason and his own words, to the station's exports
 *    folder, with a .zip, and reads what was written;
 *  - the package passes `sha256sum -c SHA256SUMS` and
 *    `docketctl verify-export`, and the audit log has the export with the
 *    sergeant and his reason.
 *
 * Each step leaves a screenshot in DOCKET_ARTIFACTS_DIR (at 1280x800, or
 * full screen on DOCKET_TEST_SCREEN when it is set). Exits 77 (skip)
 * without Xvfb, dbus-daemon, at-spi-bus-launcher or docket-sim.
 */
#include "config.h"

#include <string.h>

#include "kiosk-atspi.h"
#include "kiosk-station.h"

#define REASON_WORDS "PR-7 for the Scully hearing"

/* The one package folder docketd wrote under STATE-DIR/exports, and its .zip. */
static gchar *
find_package (KioskStation *station, gchar **out_zip)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *exports = g_build_filename (station->state_dir, "exports", NULL);
  g_autoptr (GDir) dir = g_dir_open (exports, 0, &error);
  gchar *package = NULL;
  const gchar *name;

  g_assert_no_error (error);
  *out_zip = NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      gchar *path = g_build_filename (exports, name, NULL);

      g_assert_true (g_str_has_prefix (name, "docket-export-incident-"));
      if (g_str_has_suffix (name, ".zip"))
        {
          g_assert_null (*out_zip);
          *out_zip = path;
        }
      else
        {
          g_assert_null (package);
          package = path;
        }
    }
  g_assert_nonnull (package);
  return package;
}

static void
test_kiosk_e2e_export (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *audit = NULL;
  g_autofree gchar *package = NULL;
  g_autofree gchar *zip = NULL;
  g_autofree gchar *sums_out = NULL;
  g_autofree gchar *verified = NULL;
  const gchar *sha256sum[] = { "sha256sum", "-c", "SHA256SUMS", NULL };
  KioskStation station;
  gint status = -1;
  GPid kiosk;

  if (!kiosk_station_start_docked (&station, 1, &kiosk))
    return;

  /* The officer tags; she is offered no export anywhere. */
  kiosk_sign_in_on_keypad (kiosk, "4711", "1234");
  kiosk_wait_for_text (kiosk, "Dana Scully (badge 4711)");
  kiosk_wait_for_text (kiosk, "1 recording left to tag");
  g_assert_false (kiosk_has_button (kiosk, "Export*"));
  kiosk_fill_entry (kiosk, "Case or incident number (optional)", "24-000777");
  kiosk_press (kiosk, "Use of force", "Tag This Recording");
  kiosk_wait_for_text (kiosk, "All Recordings Tagged");
  kiosk_wait_for_no_toast (kiosk);
  kiosk_press (kiosk, "My Tags");
  kiosk_wait_for_text (kiosk, "Correct the tag of the recording from");
  g_assert_false (kiosk_has_button (kiosk, "Export*"));
  kiosk_press (kiosk, "Close my tags");
  kiosk_press (kiosk, "Sign Out");

  /* The sergeant, from the queue he lands on. */
  kiosk_station_sign_in_sergeant (kiosk);
  kiosk_wait_for_text (kiosk, "SIM-0001");
  kiosk_wait_for_no_toast (kiosk);
  kiosk_station_shot ("e2e-export-0-review-row");
  kiosk_assert_fits_width (kiosk, kiosk_station_screen_width ());
  kiosk_press (kiosk, "Export the recording from*");
  kiosk_wait_for_text (kiosk, "What to export");
  kiosk_wait_for_text (kiosk, "Case 24-000777");
  kiosk_press (kiosk, "Its incident", "Prosecutor’s request");
  kiosk_fill_entry (kiosk, "In your own words (optional with a reason above)", REASON_WORDS);
  kiosk_press (kiosk, "Export to the station’s exports folder",
               "Also write the package as one .zip file");
  kiosk_assert_controls_accessible (kiosk);
  kiosk_station_shot ("e2e-export-1-dialog");
  kiosk_assert_fits_width (kiosk, kiosk_station_screen_width ());
  kiosk_press (kiosk, "Write the package");
  kiosk_wait_for_text (kiosk, "Package Written");
  kiosk_wait_for_text (kiosk, "1 recording, ");
  kiosk_wait_for_text (kiosk, "sha256sum -c SHA256SUMS");
  kiosk_wait_for_text (kiosk, ".zip");
  kiosk_station_shot ("e2e-export-2-written");
  kiosk_press (kiosk, "Close the export");
  kiosk_wait_for_no_text (kiosk, "Package Written");
  kiosk_press (kiosk, "Sign Out");
  kiosk_stop (&kiosk);

  /* Checkable with common tools, and with Docket's own checker. */
  package = find_package (&station, &zip);
  g_assert_nonnull (zip);
  g_assert_true (g_spawn_sync (package, (gchar **)sha256sum, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &sums_out, NULL, &status, &error));
  g_assert_no_error (error);
  g_test_message ("sha256sum -c SHA256SUMS:\n%s", sums_out);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (sums_out, "recordings/"));
  verified = kiosk_docketctl (&station, NULL, &error, "verify-export", package, NULL);
  g_assert_no_error (error);
  g_test_message ("docketctl verify-export:\n%s", verified);

  audit = kiosk_station_audit_list (&station);
  g_test_message ("Audit log:\n%s", audit);
  for (const gchar *const *text
       = (const gchar *const[]){ "evidence-exported", "officer:2001",
                                 "Prosecutor’s request: " REASON_WORDS, NULL };
       *text != NULL; text++)
    if (strstr (audit, *text) == NULL)
      g_error ("The audit log has no “%s”", *text);
  kiosk_station_stop (&station);
}

int
main (int argc, char **argv)
{
  return kiosk_station_test_main_screen (argc, argv, "test-kiosk-e2e-export", "/kiosk/e2e-export",
                                         test_kiosk_e2e_export);
}
