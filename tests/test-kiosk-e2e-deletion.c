/* test-kiosk-e2e-deletion.c — deletion requests and corrections, end to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A simulated camera offloads four recordings of one incident into the real
 * docketd. Through the kiosk, via AT-SPI as a screen reader or switch user
 * would: the officer asks to delete three of them (a preset reason, their
 * own words, both) and tags the fourth. The sergeant refuses one request,
 * approves one and undoes it, approves the last, and corrects the tag. The
 * officer then sees what came back to tag and not the deleted recording;
 * `docketctl audit list --json` has every request and decision with who and
 * why. Each step leaves a screenshot in DOCKET_ARTIFACTS_DIR.
 *
 * Exits 77 (skip) without Xvfb, dbus-daemon, at-spi-bus-launcher or docket-sim.
 */
#include "config.h"

#include "kiosk-atspi.h"
#include "kiosk-station.h"

#define REASON_ENTRY "Reason (required, goes into the audit log)"
#define DETAILS_ENTRY "In your own words (optional with a reason above)"

/* The officer asks to delete the first recording that still offers it. */
static void
request_deletion (GPid kiosk, const gchar *preset, const gchar *details, const gchar *name)
{
  kiosk_press (kiosk, "Request deletion of the recording from*");
  kiosk_wait_for_text (kiosk, "Ask to Delete This Recording?");
  /* A reason is required: the dialog's button waits for one. */
  kiosk_wait_for_text (kiosk, "Nothing is deleted until a sergeant approves");
  if (preset != NULL)
    kiosk_press (kiosk, preset);
  if (details != NULL)
    kiosk_fill_entry (kiosk, DETAILS_ENTRY, details);
  if (name != NULL)
    {
      kiosk_wait_for_no_toast (kiosk);
      kiosk_assert_controls_accessible (kiosk);
      kiosk_station_shot (name);
    }
  /* libadwaita 1.2 names a message dialog's response buttons twice. */
  kiosk_press (kiosk, "Request Deletion Request Deletion");
  kiosk_wait_for_no_text (kiosk, "Ask to Delete This Recording?");
}

/* The sergeant decides the first request in the deletion queue. */
static void
decide (GPid kiosk, const gchar *button, const gchar *heading, const gchar *reason)
{
  g_autofree gchar *confirm = NULL;

  kiosk_press (kiosk, button);
  kiosk_wait_for_text (kiosk, heading);
  kiosk_fill_entry (kiosk, REASON_ENTRY, reason);
  confirm
      = g_str_equal (button, "Delete…") ? g_strdup ("Delete Delete") : g_strdup ("Refuse Refuse");
  kiosk_press (kiosk, confirm);
  kiosk_wait_for_no_text (kiosk, heading);
}

static void
test_kiosk_e2e_deletion (void)
{
  g_autofree gchar *audit = NULL;
  KioskStation station;
  GPid kiosk;

  if (!kiosk_station_start_docked (&station, 4, &kiosk))
    return;

  /* The officer: three requests, then the fourth recording is tagged. */
  kiosk_sign_in_on_keypad (kiosk, "4711", "1234");
  kiosk_wait_for_text (kiosk, "Dana Scully (badge 4711)");
  kiosk_wait_for_text (kiosk, "4 recordings left to tag");
  request_deletion (kiosk, "Accidental recording", "Pocket activation at lunch",
                    "e2e-del-1-request-dialog");
  kiosk_wait_for_text (kiosk, "Deletion requested — waiting for a sergeant");
  kiosk_wait_for_text (kiosk, "1 waiting for deletion");
  kiosk_station_shot ("e2e-del-2-requested");
  request_deletion (kiosk, "Test recording", NULL, NULL);
  kiosk_wait_for_text (kiosk, "2 waiting for deletion");
  request_deletion (kiosk, NULL, "Recorded the locker room by mistake", NULL);
  kiosk_wait_for_text (kiosk, "3 waiting for deletion");
  /* Waiting for a sergeant's decision: listed, but not left to tag. */
  kiosk_wait_for_text (kiosk, "1 recording left to tag");
  kiosk_press (kiosk, "Use of force");
  kiosk_press (kiosk, "Tag This Recording");
  kiosk_wait_for_text (kiosk, "Waiting for a Sergeant");
  kiosk_wait_for_text (kiosk, "Nothing left to tag");
  kiosk_station_shot ("e2e-del-3-officer-done");
  kiosk_press (kiosk, "Sign Out");
  kiosk_wait_for_text (kiosk, "Done: all recordings safe");

  /* The sergeant: refuse one, approve and undo one, approve one. */
  kiosk_station_sign_in_sergeant (kiosk);
  kiosk_station_open_queue (kiosk, "Deletion Requests", "Pocket activation at lunch");
  kiosk_wait_for_text (kiosk, "Recorded the locker room by mistake");
  kiosk_wait_for_no_toast (kiosk);
  kiosk_assert_controls_accessible (kiosk);
  kiosk_station_shot ("e2e-del-4-deletion-queue");
  decide (kiosk, "Refuse…", "Refuse the Deletion?", "Shows the suspect's car: keep it");
  kiosk_wait_for_text (kiosk, "Deletion refused");
  decide (kiosk, "Delete…", "Delete This Recording?", "Approved by mistake");
  kiosk_wait_for_text (kiosk, "Deletion approved");
  kiosk_station_shot ("e2e-del-5-approved-undo");
  kiosk_press (kiosk, "Undo Deletion…*");
  kiosk_wait_for_text (kiosk, "Undo the Deletion?");
  kiosk_fill_entry (kiosk, REASON_ENTRY, "Wrong request: it shows the arrest");
  kiosk_press (kiosk, "Undo Deletion Undo Deletion");
  kiosk_wait_for_text (kiosk, "Deletion undone");
  decide (kiosk, "Delete…", "Delete This Recording?", "Accidental, nothing of value");
  kiosk_wait_for_text (kiosk, "Nothing to Review");
  kiosk_station_shot ("e2e-del-6-queue-empty");

  /* Correct… the tag: a new note, with the reason for the audit log. */
  kiosk_station_open_queue (kiosk, "Needs Review", "Use of force");
  kiosk_press (kiosk, "Correct…");
  kiosk_wait_for_text (kiosk, "Correct the Tag");
  kiosk_fill_entry (kiosk, "Note (optional)", "Stop on Route 9, driver detained");
  kiosk_fill_entry (kiosk, REASON_ENTRY, "The officer's note was incomplete");
  kiosk_station_shot ("e2e-del-7-correct-dialog");
  kiosk_press (kiosk, "Save Correction Save Correction");
  kiosk_wait_for_text (kiosk, "Tag corrected");
  kiosk_station_shot ("e2e-del-8-corrected");
  kiosk_press (kiosk, "Sign Out");
  kiosk_wait_for_text (kiosk, "Done: all recordings safe");

  /* The officer again: the refused and the undone one are back to tag; the
   * deleted one is gone at once (its file goes after the grace period). */
  kiosk_sign_in_on_keypad (kiosk, "4711", "1234");
  kiosk_wait_for_text (kiosk, "2 recordings left to tag");
  g_assert_false (kiosk_shows (kiosk, "waiting for deletion"));
  kiosk_station_shot ("e2e-del-9-officer-after");
  kiosk_press (kiosk, "Sign Out");
  kiosk_stop (&kiosk);

  /* Each request and decision is in the audit log, with who and why. */
  audit = kiosk_station_audit_list (&station);
  g_test_message ("Audit log:\n%s", audit);
  for (const gchar *const *text
       = (const gchar *const[]){ "deletion-requested", "deletion-refused", "deletion-approved",
                                 "deletion-reverted", "recording-corrected",
                                 "Accidental recording: Pocket activation at lunch",
                                 "Test recording", "Recorded the locker room by mistake",
                                 "Shows the suspect's car: keep it",
                                 "Wrong request: it shows the arrest",
                                 "Accidental, nothing of value",
                                 "The officer's note was incomplete", "\"officer:2001\"",
                                 "\"officer:4711\"", NULL };
       *text != NULL; text++)
    if (strstr (audit, *text) == NULL)
      g_error ("The audit log has no “%s”", *text);
  kiosk_station_stop (&station);
}

int
main (int argc, char **argv)
{
  return kiosk_station_test_main_screen (argc, argv, "test-kiosk-e2e-deletion",
                                         "/kiosk/e2e-deletion", test_kiosk_e2e_deletion);
}
