/* test-kiosk-e2e-review.c — sergeants see what they decide on, officers keep their work
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two simulated cameras dock into the real docketd: SIM-0001, assigned to
 * officer 4711, and SIM-0002, which nobody was assigned (IT had not enrolled
 * its wearer yet). Through the kiosk, via AT-SPI:
 *
 *  - the officer signs in with a USB badge reader (a keyboard wedge) and
 *    tags her recording; the touches from the sign-in screen are counted
 *    and printed (goal: at most 12 without a case number); then she
 *    corrects her tag's note under "My Tags" (no sergeant has approved it);
 *  - the sergeant lands on the first queue with work, "Needs an Owner",
 *    plays the unowned recording (seek bar, ±10 s) and assigns it to the
 *    officer; then plays and returns her tag from "Needs Review";
 *  - the officer sees "Returned by Sgt. Walter Skinner: …" with her tag's
 *    values kept, adds the case number and tags both recordings;
 *  - the audit log has the views (with the sergeant's reason), the
 *    assignment, the return and both tags with the kept category.
 *
 * Each step leaves a screenshot in DOCKET_ARTIFACTS_DIR. Exits 77 (skip)
 * without Xvfb, dbus-daemon, at-spi-bus-launcher or docket-sim.
 */
#include "config.h"

#include "kiosk-atspi.h"
#include "kiosk-station.h"

#define REASON_ENTRY "Reason (required, goes into the audit log)"

/* Badge reader, then the PIN on the keypad. */
static void
swipe_in (GPid kiosk, const gchar *badge, const gchar *pin, const gchar *shot_name)
{
  g_autofree gchar *prompt = g_strdup_printf ("Enter the PIN for badge %s", badge);

  kiosk_swipe_badge (kiosk, badge);
  kiosk_wait_for_text (kiosk, prompt);
  if (shot_name != NULL)
    kiosk_station_shot (shot_name);
  kiosk_type_on_keypad (kiosk, pin, TRUE);
  kiosk_press (kiosk, "Sign In");
}

/* Plays the first recording of the list and uses the player's controls. */
static void
play_first (GPid kiosk, const gchar *shot_name)
{
  kiosk_press (kiosk, "Play the recording from*");
  kiosk_wait_for_text (kiosk, "Forward 10 seconds");
  kiosk_wait_for_text (kiosk, "Position in the recording");
  g_usleep (G_USEC_PER_SEC);
  kiosk_press (kiosk, "Back 10 seconds", "Forward 10 seconds");
  kiosk_station_shot (shot_name);
  kiosk_press (kiosk, "Close the preview");
  kiosk_wait_for_no_text (kiosk, "Forward 10 seconds");
}

static void
test_kiosk_e2e_review (void)
{
  g_autofree gchar *audit = NULL;
  KioskStation station;
  guint touches;
  GPid kiosk;

  if (!kiosk_station_start_docked (&station, 1, &kiosk))
    return;
  /* A camera nobody was assigned to docks too. */
  kiosk_station_command (&station, "add SIM-0002");
  kiosk_station_command (&station, "dock SIM-0002");

  /* The officer: badge reader, PIN, a category, Tag. */
  kiosk_touches = 0;
  swipe_in (kiosk, "4711", "1234", "e2e-rev-1-badge-reader-pin");
  kiosk_wait_for_text (kiosk, "Dana Scully (badge 4711)");
  kiosk_wait_for_text (kiosk, "1 recording left to tag");
  kiosk_press (kiosk, "Use of force", "Tag This Recording");
  kiosk_wait_for_text (kiosk, "Tagged 1 recording");
  touches = kiosk_touches;
  g_test_message ("Touches from the sign-in screen to a tagged incident (badge reader, no case"
                  " number): %u",
                  touches);
  g_print ("# touches from sign-in to a tagged incident (badge reader, no case number): %u\n",
           touches);
  /* Kept with the screenshots, for whoever compares releases. */
  if (g_getenv ("DOCKET_ARTIFACTS_DIR") != NULL)
    {
      g_autofree gchar *path
          = g_build_filename (g_getenv ("DOCKET_ARTIFACTS_DIR"), "e2e-rev-touches.txt", NULL);
      g_autofree gchar *text = g_strdup_printf (
          "touches from the sign-in screen to a tagged incident (badge reader, no case number):"
          " %u\n",
          touches);

      g_file_set_contents (path, text, -1, NULL);
    }
  g_assert_cmpuint (touches, <=, 12);
  kiosk_station_shot ("e2e-rev-2-officer-tagged");
  /* The officer's buttons and the station's status all fit the screen. */
  kiosk_assert_fits_width (kiosk, kiosk_station_screen_width ());
  /* Until a sergeant approves it, the tag is still hers to correct. */
  kiosk_wait_for_no_toast (kiosk);
  kiosk_press (kiosk, "My Tags");
  kiosk_press (kiosk, "Correct the tag of the recording from*");
  kiosk_wait_for_text (kiosk, "Correct Your Tag");
  kiosk_fill_entry (kiosk, "Note (optional)", "Bar fight outside the station");
  kiosk_station_shot ("e2e-rev-2b-correct-own-tag");
  kiosk_press (kiosk, "Save Correction Save Correction");
  kiosk_wait_for_text (kiosk, "Tag corrected");
  kiosk_press (kiosk, "Close my tags");
  kiosk_press (kiosk, "Sign Out");

  /* The sergeant lands on the first queue with work: nobody owns SIM-0002's. */
  kiosk_station_sign_in_sergeant (kiosk);
  kiosk_wait_for_text (kiosk, "Nobody (no camera assignment)");
  kiosk_wait_for_text (kiosk, "SIM-0002");
  kiosk_wait_for_no_toast (kiosk);
  kiosk_station_shot ("e2e-rev-3-needs-owner");
  play_first (kiosk, "e2e-rev-4-player");
  kiosk_press (kiosk, "Assign to an Officer…");
  kiosk_wait_for_text (kiosk, "Whose Recording Is This?");
  kiosk_fill_entry (kiosk, "The officer’s badge number", "4711");
  kiosk_fill_entry (kiosk, REASON_ENTRY, "Scully wore SIM-0002 before it was assigned");
  kiosk_station_shot ("e2e-rev-5-assign-dialog");
  /* libadwaita 1.2 names a message dialog's response buttons twice. */
  kiosk_press (kiosk, "Assign Assign");
  kiosk_wait_for_text (kiosk, "Assigned to Dana Scully, who can tag it now");

  /* Her tag, from the review queue: seen, then returned. */
  kiosk_station_open_queue (kiosk, "Needs Review", "Dana Scully (4711)");
  kiosk_wait_for_text (kiosk, "SIM-0001");
  kiosk_station_shot ("e2e-rev-6-review-queue");
  /* Every queue's tab, whole. */
  kiosk_assert_fits_width (kiosk, kiosk_station_screen_width ());
  play_first (kiosk, "e2e-rev-7-review-player");
  kiosk_press (kiosk, "Return…");
  kiosk_wait_for_text (kiosk, "Return to the Officer?");
  kiosk_fill_entry (kiosk, REASON_ENTRY, "Add the case number");
  kiosk_press (kiosk, "Return Return");
  kiosk_wait_for_text (kiosk, "Returned to the officer");
  kiosk_press (kiosk, "Sign Out");

  /* The officer: her returned tag keeps its values, and SIM-0002's is hers.
   * (On the keypad: under Xvfb without a window manager, X keyboard focus
   * after the sergeant's dialogs is not the kiosk's to give back.) */
  kiosk_sign_in_on_keypad (kiosk, "4711", "1234");
  kiosk_wait_for_text (kiosk, "Returned by Sgt. Walter Skinner: Add the case number");
  kiosk_wait_for_text (kiosk, "2 recordings left to tag");
  kiosk_station_shot ("e2e-rev-8-returned");
  kiosk_fill_entry (kiosk, "Case or incident number (optional)", "24-000777");
  /* No category pressed: the returned one's is still chosen. */
  if (kiosk_has_button (kiosk, "Tag This Recording"))
    {
      /* The two recordings started more than a minute apart. */
      kiosk_press (kiosk, "Tag This Recording");
      kiosk_wait_for_text (kiosk, "Tagged 1 recording");
      kiosk_press (kiosk, "Use of force", "Tag This Recording");
    }
  else
    kiosk_press (kiosk, "Tag All 2 Recordings");
  kiosk_wait_for_text (kiosk, "All Recordings Tagged");
  kiosk_station_shot ("e2e-rev-9-retagged");
  kiosk_press (kiosk, "Sign Out");
  kiosk_stop (&kiosk);

  audit = kiosk_station_audit_list (&station);
  g_test_message ("Audit log:\n%s", audit);
  for (const gchar *const *text
       = (const gchar *const[]){ "recording-assigned",
                                 "Scully wore SIM-0002 before it was assigned",
                                 "Sergeant review: finding the owner of an unassigned recording",
                                 "Sergeant review: category needs supervisor review",
                                 "review-returned", "Add the case number", "24-000777",
                                 "Bar fight outside the station", NULL };
       *text != NULL; text++)
    if (strstr (audit, *text) == NULL)
      g_error ("The audit log has no “%s”", *text);
  /* Had the form been wiped, the retag would be the default category. */
  g_assert_null (strstr (audit, "uncategorized"));
  kiosk_station_stop (&station);
}

int
main (int argc, char **argv)
{
  return kiosk_station_test_main_screen (argc, argv, "test-kiosk-e2e-review", "/kiosk/e2e-review",
                                         test_kiosk_e2e_review);
}
