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
 * The Xvfb/AT-SPI helpers are kiosk-atspi.c's, shared with test-kiosk.c.
 * Exits 77 (skip) without Xvfb, dbus-daemon, at-spi-bus-launcher or docket-sim.
 */
#include "config.h"

#include "kiosk-atspi.h"
#include "kiosk-station.h"

static void
test_kiosk_e2e (void)
{
  g_autofree gchar *audit = NULL;
  KioskStation station;
  GPid kiosk;

  /* IT enrols the people and assigns the camera before it is docked. */
  if (!kiosk_station_start_docked (&station, 3, &kiosk))
    return;
  kiosk_screenshot ("e2e-1-offloaded", "1280x800+0+0");

  /* The officer: a wrong PIN, then the right one. */
  kiosk_sign_in_on_keypad (kiosk, "4711", "9999");
  kiosk_wait_for_text (kiosk, "The badge number or the PIN is wrong");
  kiosk_screenshot ("e2e-2-wrong-pin", "1280x800+0+0");
  kiosk_type_on_keypad (kiosk, "1234", TRUE);
  kiosk_press (kiosk, "Sign In");
  kiosk_wait_for_text (kiosk, "Dana Scully (badge 4711)");
  kiosk_screenshot ("e2e-3-officer-signed-in", "1280x800+0+0");

  /* The officer previews (the view is audit-logged) and tags the whole
   * incident on the kiosk's tagging page. */
  kiosk_wait_for_text (kiosk, "Incidents to tag");
  kiosk_press (kiosk, "Preview the recording from*");
  kiosk_wait_for_text (kiosk, "Close the preview");
  kiosk_screenshot ("e2e-3b-preview", "1280x800+0+0");
  kiosk_press (kiosk, "Close the preview");
  kiosk_press (kiosk, "Use of force");
  kiosk_fill_entry (kiosk, "Note (optional)", "Traffic stop, end to end test");
  kiosk_screenshot ("e2e-3c-tag-form", "1280x800+0+0");
  kiosk_press (kiosk, "Tag All*");
  kiosk_wait_for_text (kiosk, "All Recordings Tagged");
  kiosk_screenshot ("e2e-3d-tagged", "1280x800+0+0");
  kiosk_press (kiosk, "Sign Out");
  kiosk_wait_for_text (kiosk, "Done: all recordings safe");

  /* The sergeant: use of force needs a supervisor's review. */
  kiosk_sign_in_on_keypad (kiosk, "2001", "5678");
  kiosk_wait_for_text (kiosk, "Walter Skinner (badge 2001)");
  kiosk_wait_for_text (kiosk, "Review queue");
  kiosk_press (kiosk, "Needs Review");
  kiosk_wait_for_text (kiosk, "recordings in this queue");
  kiosk_wait_for_text (kiosk, "Use of force");
  kiosk_screenshot ("e2e-4-review-queue", "1280x800+0+0");
  /* Names, keyboard focus and 48 px touch targets on the review page, once
   * the sign-in toast is gone: libadwaita 1.2's toast close button has no
   * name and is 34 px (the window's, not the page's). */
  kiosk_wait_for_no_toast (kiosk);
  kiosk_assert_controls_accessible (kiosk);

  kiosk_press (kiosk, "Approve…");
  kiosk_wait_for_text (kiosk, "Approve This Recording?");
  kiosk_fill_entry (kiosk, "Reason (required, goes into the audit log)", "Force was justified");
  kiosk_screenshot ("e2e-5-approve-dialog", "1280x800+0+0");
  /* libadwaita 1.2 names a message dialog's response buttons twice. */
  kiosk_press (kiosk, "Approve Approve");
  kiosk_wait_for_text (kiosk, "Approved");

  kiosk_press (kiosk, "Return…");
  kiosk_wait_for_text (kiosk, "Return to the Officer?");
  kiosk_fill_entry (kiosk, "Reason (required, goes into the audit log)", "Add the case number");
  kiosk_press (kiosk, "Return Return");
  kiosk_wait_for_text (kiosk, "Returned to the officer");
  kiosk_screenshot ("e2e-6-reviewed", "1280x800+0+0");
  kiosk_press (kiosk, "Sign Out");

  /* IT: the station's state, read-only, no footage. */
  kiosk_wait_for_text (kiosk, "Done: all recordings safe");
  kiosk_sign_in_on_keypad (kiosk, "9001", "2468");
  kiosk_wait_for_text (kiosk, "Frohike (badge 9001)");
  kiosk_wait_for_text (kiosk, "Cameras known");
  kiosk_wait_for_text (kiosk, "used of");
  kiosk_wait_for_text (kiosk, "No recent errors");
  kiosk_screenshot ("e2e-7-it-status", "1280x800+0+0");
  kiosk_press (kiosk, "Sign Out");
  kiosk_stop (&kiosk);

  /* Every step is in the hash-chained audit log. */
  audit = kiosk_station_audit_list (&station);
  g_test_message ("Audit log:\n%s", audit);
  for (const gchar *const *event
       = (const gchar *const[]){ "sign-in-failed", "signed-in", "recording-viewed",
                                 "recording-tagged", "review-approved", "review-returned", NULL };
       *event != NULL; event++)
    if (strstr (audit, *event) == NULL)
      g_error ("The audit log has no “%s”", *event);
  g_assert_nonnull (strstr (audit, "Force was justified"));
  g_assert_nonnull (strstr (audit, "Add the case number"));

  kiosk_station_stop (&station);
}

int
main (int argc, char **argv)
{
  return kiosk_station_test_main (argc, argv, "test-kiosk-e2e", "1280x800x24", "/kiosk/e2e",
                                  test_kiosk_e2e);
}
