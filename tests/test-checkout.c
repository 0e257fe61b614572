/* test-checkout.c — pooled cameras: check-out refusals, return by docking,
 * attribution of recordings to whoever held the camera
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-checkout.h"
#include "docket-error.h"
#include "docket-session-error.h"
#include "test-people-fixture.h"

#define HOUR_USEC (G_USEC_PER_SEC * G_GINT64_CONSTANT (3600))
#define T0 (G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC)

typedef struct
{
  PeopleFixture people;
  DocketCheckout *checkout;
  GPtrArray *candidates; /* DocketCheckoutCandidate, owned */
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  people_fixture_setup_with (&f->people, NULL);
  f->checkout = docket_checkout_new (f->people.store);
  f->candidates = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree gchar *serial = g_strdup_printf ("POOL-%u", i + 1);

      g_assert_true (docket_checkout_set_pooled (f->checkout, serial, TRUE, "it:test", &error));
      g_assert_no_error (error);
    }
  g_assert_true (docket_people_add (f->people.people, "B100", "Officer A", DOCKET_ROLE_OFFICER,
                                    "123456", "it:test", &error));
  g_assert_no_error (error);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_ptr_array_unref (f->candidates);
  g_clear_object (&f->checkout);
  people_fixture_teardown (&f->people, data);
}

static void
add_candidate (Fixture *f,
               const gchar *serial,
               const gchar *slot,
               gint percent,
               gint ready_in,
               gboolean alerts)
{
  DocketCheckoutCandidate *c = g_new0 (DocketCheckoutCandidate, 1);

  c->serial = serial;
  c->slot = slot;
  c->battery_percent = percent;
  c->ready_for_shift = percent >= 80 && !alerts;
  c->ready_in_seconds = c->ready_for_shift ? 0 : ready_in;
  c->has_alerts = alerts;
  g_ptr_array_add (f->candidates, c);
}

static void
test_refuses_uncharged (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *serial = NULL;
  g_autofree gchar *slot = NULL;

  add_candidate (f, "POOL-1", "1-1", 35, 1800, FALSE);
  add_candidate (f, "POOL-2", "1-2", 60, 900, FALSE);
  /* Charged, but worn out: never handed out. */
  add_candidate (f, "POOL-3", "1-3", 100, 0, TRUE);
  g_assert_false (docket_checkout_check_out (f->checkout, "B100", f->candidates, NULL, T0, &serial,
                                             &slot, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_INVALID);
  /* The kiosk says which camera is closest and how long it needs. */
  g_assert_nonnull (strstr (error->message, "slot 1-2"));
  g_assert_nonnull (strstr (error->message, "60 %"));
  g_assert_nonnull (strstr (error->message, "15 minutes"));
  g_assert_null (serial);
  g_assert_cmpuint (people_fixture_count_audit (&f->people, "camera-checked-out"), ==, 0);

  /* Nothing pooled is docked at all. */
  g_clear_error (&error);
  g_ptr_array_set_size (f->candidates, 0);
  add_candidate (f, "PERSONAL-1", "1-4", 100, 0, FALSE);
  g_assert_false (docket_checkout_check_out (f->checkout, "B100", f->candidates, NULL, T0, &serial,
                                             &slot, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "No pooled camera is docked"));
}

static void
test_readiest_and_one_per_officer (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *serial = NULL;
  g_autofree gchar *slot = NULL;
  g_autofree gchar *holder = NULL;
  g_autoptr (GPtrArray) held = NULL;

  add_candidate (f, "POOL-1", "1-1", 85, 0, FALSE);
  add_candidate (f, "POOL-2", "1-2", 97, 0, FALSE);
  add_candidate (f, "PERSONAL-1", "1-3", 100, 0, FALSE); /* not pooled */
  g_assert_true (docket_checkout_check_out (f->checkout, "B100", f->candidates, NULL, T0, &serial,
                                            &slot, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (serial, ==, "POOL-2");
  g_assert_cmpstr (slot, ==, "1-2");
  g_assert_cmpuint (people_fixture_count_audit (&f->people, "camera-checked-out"), ==, 1);
  holder = docket_checkout_dup_holder (f->checkout, "POOL-2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (holder, ==, "B100");
  held = docket_checkout_list_held (f->checkout, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (held->len, ==, 1);

  /* A second camera for the same officer is refused, naming the first. */
  g_clear_pointer (&serial, g_free);
  g_assert_false (docket_checkout_check_out (f->checkout, "B100", f->candidates, NULL, T0 + 1,
                                             &serial, NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "POOL-2"));
  g_assert_null (serial);
  g_clear_error (&error);

  /* Another officer gets the next readiest; the held one is skipped. */
  g_assert_true (docket_checkout_check_out (f->checkout, "B200", f->candidates, NULL, T0 + 2,
                                            &serial, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (serial, ==, "POOL-1");

  /* Not signed in */
  g_clear_pointer (&serial, g_free);
  g_assert_false (docket_checkout_check_out (f->checkout, "", f->candidates, NULL, T0 + 3, &serial,
                                             NULL, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED);
}

static void
test_attribution_and_return (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *serial = NULL;
  g_autofree gchar *returned_by = NULL;
  g_autofree gchar *holder = NULL;
  g_autoptr (DocketStoredRecording) before = NULL;
  g_autoptr (DocketStoredRecording) during = NULL;
  g_autoptr (DocketStoredRecording) after = NULL;
  g_autoptr (DocketStoredRecording) second = NULL;
  gint64 id_before, id_during, id_after, id_second;

  /* The fixture's enrolled camera CAM-1 is pooled here. */
  g_assert_true (docket_checkout_set_pooled (f->checkout, "CAM-1", TRUE, "it:test", &error));
  g_assert_no_error (error);
  add_candidate (f, "CAM-1", "2-1", 100, 0, FALSE);
  g_assert_true (docket_checkout_check_out (f->checkout, "B100", f->candidates, NULL, T0, &serial,
                                            NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (serial, ==, "CAM-1");

  /* Docked again 8 hours later: returned. Recordings offloaded then are
   * attributed by their start time. */
  g_assert_true (
      docket_checkout_returned (f->checkout, "CAM-1", T0 + 8 * HOUR_USEC, &returned_by, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (returned_by, ==, "B100");
  g_assert_cmpuint (people_fixture_count_audit (&f->people, "camera-returned"), ==, 1);
  holder = docket_checkout_dup_holder (f->checkout, "CAM-1", &error);
  g_assert_no_error (error);
  g_assert_null (holder);

  /* Checked out the next day by someone else */
  g_clear_pointer (&serial, g_free);
  g_assert_true (docket_checkout_check_out (f->checkout, "B200", f->candidates, NULL,
                                            T0 + 24 * HOUR_USEC, &serial, NULL, &error));
  g_assert_no_error (error);

  id_before = people_fixture_add_recording (&f->people, NULL, T0 - HOUR_USEC, 0);
  id_during = people_fixture_add_recording (&f->people, NULL, T0 + 2 * HOUR_USEC, 0);
  id_after = people_fixture_add_recording (&f->people, NULL, T0 + 10 * HOUR_USEC, 0);
  id_second = people_fixture_add_recording (&f->people, NULL, T0 + 25 * HOUR_USEC, 0);
  before = docket_evidence_store_get_recording (f->people.store, id_before, &error);
  during = docket_evidence_store_get_recording (f->people.store, id_during, &error);
  after = docket_evidence_store_get_recording (f->people.store, id_after, &error);
  second = docket_evidence_store_get_recording (f->people.store, id_second, &error);
  g_assert_no_error (error);
  g_assert_null (before->officer);
  g_assert_cmpstr (during->officer, ==, "B100");
  g_assert_null (after->officer);
  g_assert_cmpstr (second->officer, ==, "B200");

  /* A returned camera is free again: once B200 docks it, B100 may take it. */
  g_assert_true (
      docket_checkout_returned (f->checkout, "CAM-1", T0 + 30 * HOUR_USEC, NULL, &error));
  g_clear_pointer (&serial, g_free);
  g_assert_true (docket_checkout_check_out (f->checkout, "B100", f->candidates, NULL,
                                            T0 + 31 * HOUR_USEC, &serial, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (serial, ==, "CAM-1");
}

/* A pool camera whose clock is 10 minutes off: its recordings are
 * attributed by the kiosk's time, the drift measured at docking taken off. */
static void
test_attribution_with_drift (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *serial = NULL;
  g_autoptr (DocketStoredRecording) ahead = NULL;
  g_autoptr (DocketStoredRecording) behind = NULL;
  const gint64 ten_min_ms = 10 * 60 * 1000;
  const gint64 five_min_usec = 5 * 60 * G_USEC_PER_SEC;
  gint64 id_ahead, id_behind;

  g_assert_true (docket_checkout_set_pooled (f->checkout, "CAM-1", TRUE, "it:test", &error));
  add_candidate (f, "CAM-1", "2-1", 100, 0, FALSE);
  g_assert_true (docket_checkout_check_out (f->checkout, "B100", f->candidates, NULL, T0, &serial,
                                            NULL, &error));
  g_assert_no_error (error);
  g_assert_true (docket_checkout_returned (f->checkout, "CAM-1", T0 + 8 * HOUR_USEC, NULL, &error));
  g_clear_pointer (&serial, g_free);
  g_assert_true (docket_checkout_check_out (f->checkout, "B200", f->candidates, NULL,
                                            T0 + 24 * HOUR_USEC, &serial, NULL, &error));
  g_assert_no_error (error);

  /* Started 5 min before B100 returned it, on a clock 10 min ahead: the
   * camera says 5 min after. */
  id_ahead = people_fixture_add_recording_drifted (
      &f->people, NULL, T0 + 8 * HOUR_USEC - five_min_usec + ten_min_ms * 1000, 0, ten_min_ms);
  /* Started 5 min after B200 took it, on a clock 10 min behind. */
  id_behind = people_fixture_add_recording_drifted (
      &f->people, NULL, T0 + 24 * HOUR_USEC + five_min_usec - ten_min_ms * 1000, 0, -ten_min_ms);
  ahead = docket_evidence_store_get_recording (f->people.store, id_ahead, &error);
  behind = docket_evidence_store_get_recording (f->people.store, id_behind, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ahead->officer, ==, "B100");
  g_assert_cmpstr (behind->officer, ==, "B200");
}

static void
test_assignee_fallback_and_pool_rules (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStoredRecording) rec = NULL;
  g_autofree gchar *holder = NULL;
  gboolean pooled = TRUE;
  gint64 id;

  /* A personal camera: recordings go to the assignee, as before. */
  g_assert_true (
      docket_people_assign_camera (f->people.people, "CAM-1", "B100", "it:test", &error));
  g_assert_no_error (error);
  id = people_fixture_add_recording (&f->people, NULL, T0, 0);
  rec = docket_evidence_store_get_recording (f->people.store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rec->officer, ==, "B100");
  holder = docket_checkout_dup_holder (f->checkout, "CAM-1", &error);
  g_assert_cmpstr (holder, ==, "B100");

  /* ...and cannot be pooled. */
  g_assert_false (docket_checkout_set_pooled (f->checkout, "CAM-1", TRUE, "it:test", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (docket_checkout_is_pooled (f->checkout, "CAM-1", &pooled, &error));
  g_assert_false (pooled);
  g_assert_true (docket_checkout_is_pooled (f->checkout, "POOL-1", &pooled, &error));
  g_assert_true (pooled);
  g_assert_true (docket_checkout_set_pooled (f->checkout, "POOL-1", FALSE, "it:test", &error));
  g_assert_true (docket_checkout_is_pooled (f->checkout, "POOL-1", &pooled, &error));
  g_assert_false (pooled);
  g_assert_no_error (error);
  g_assert_cmpuint (people_fixture_count_audit (&f->people, "camera-unpooled"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/checkout/refuses-uncharged", Fixture, NULL, setup, test_refuses_uncharged,
              teardown);
  g_test_add ("/checkout/readiest-one-per-officer", Fixture, NULL, setup,
              test_readiest_and_one_per_officer, teardown);
  g_test_add ("/checkout/attribution-and-return", Fixture, NULL, setup, test_attribution_and_return,
              teardown);
  g_test_add ("/checkout/attribution-with-drift", Fixture, NULL, setup, test_attribution_with_drift,
              teardown);
  g_test_add ("/checkout/assignee-and-pool", Fixture, NULL, setup,
              test_assignee_fallback_and_pool_rules, teardown);
  return g_test_run ();
}
