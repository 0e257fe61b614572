/* test-people.c — station configuration, enrolment, PINs, lockout, camera assignment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-error.h"
#include "docket-session-error.h"
#include "test-people-fixture.h"

#define T0 ((gint64)1700000000 * G_USEC_PER_SEC)
#define MINUTE (60 * G_USEC_PER_SEC)

static void
setup (PeopleFixture *f, gconstpointer data)
{
  people_fixture_setup_with (f, data);
}

static void
test_config_defaults (void)
{
  g_autoptr (DocketStationConfig) config = docket_station_config_new_default ();
  GPtrArray *categories = docket_station_config_get_categories (config);
  const DocketCategory *first = g_ptr_array_index (categories, 0);
  const DocketCategory *victim = docket_station_config_find_category (config, "victim-interview");
  g_autoptr (GError) error = NULL;

  /* The default is Uncategorized, never "non-evidence". */
  g_assert_cmpstr (first->id, ==, DOCKET_CATEGORY_UNCATEGORIZED);
  g_assert_null (docket_station_config_find_category (config, "non-evidence"));
  g_assert_nonnull (victim);
  g_assert_true (victim->restricted);
  g_assert_false (victim->sergeant_access);
  g_assert_true (docket_station_config_find_category (config, "use-of-force")->needs_review);
  g_assert_true (docket_station_config_check_case_number (config, "24-001234", &error));
  g_assert_true (docket_station_config_check_case_number (config, "", &error));
  g_assert_false (docket_station_config_check_case_number (config, "24-1; DROP", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_assert_cmpuint (docket_station_config_get_lockout_failures (config), ==, 5);
}

static void
test_config_load (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStationConfig) mn = docket_station_config_load_from_data (
      "[station]\npreset=minnesota\ncase-number-regex=^MN[0-9]+$\nlockout-failures=3\n", &error);
  g_autoptr (DocketStationConfig) custom = NULL;
  g_autoptr (DocketStationConfig) bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (docket_station_config_find_category (mn, "traffic-stop")->retention_days, ==,
                    90);
  g_assert_cmpuint (docket_station_config_find_category (mn, "firearm-discharge")->retention_days,
                    ==, 365);
  g_assert_true (docket_station_config_check_case_number (mn, "MN42", NULL));
  g_assert_false (docket_station_config_check_case_number (mn, "24-001234", NULL));
  g_assert_cmpuint (docket_station_config_get_lockout_failures (mn), ==, 3);

  /* Own categories replace the built-in list; Uncategorized is always there. */
  custom = docket_station_config_load_from_data ("[category:dui]\nlabel=DUI\nretention-days=400\n",
                                                 &error);
  g_assert_no_error (error);
  g_assert_cmpuint (docket_station_config_get_categories (custom)->len, ==, 2);
  g_assert_cmpuint (docket_station_config_find_category (custom, "dui")->retention_days, ==, 400);
  g_assert_nonnull (docket_station_config_find_category (custom, DOCKET_CATEGORY_UNCATEGORIZED));

  bad = docket_station_config_load_from_data ("[station]\nlockout-failures=lots\n", &error);
  g_assert_null (bad);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  bad = docket_station_config_load_from_data ("[station]\ncase-number-regex=([\n", &error);
  g_assert_null (bad);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  bad = docket_station_config_load_from_data ("[category:a b]\n", &error);
  g_assert_null (bad);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
}

static void
test_enrol (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) people = NULL;
  g_autoptr (DocketPerson) person = NULL;

  g_assert_true (
      docket_people_add (f->people, "1234", "Ann Ray", DOCKET_ROLE_OFFICER, "4321", "it", &error));
  g_assert_no_error (error);
  g_assert_true (docket_people_add (f->people, "S-9", "Sam Lee", DOCKET_ROLE_SERGEANT, "987654",
                                    "it", &error));
  g_assert_false (
      docket_people_add (f->people, "bad badge", "X", DOCKET_ROLE_OFFICER, "1234", "it", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (
      docket_people_add (f->people, "77", "X", DOCKET_ROLE_OFFICER, "12a4", "it", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);

  people = docket_people_list (f->people, &error);
  g_assert_cmpuint (people->len, ==, 2);
  person = docket_person_copy (g_ptr_array_index (people, 1));
  g_assert_cmpstr (person->badge, ==, "S-9");
  g_assert_cmpint (person->role, ==, DOCKET_ROLE_SERGEANT);
  g_assert_cmpuint (people_fixture_count_audit (f, "person-enrolled"), ==, 2);

  /* The PIN is never stored in clear. */
  {
    g_autoptr (sqlite3_stmt) stmt = NULL;
    DocketDatabase *db = docket_evidence_store_get_database (f->store);

    docket_database_lock (db);
    stmt = docket_database_prepare (db, "SELECT pin_hash FROM officers WHERE badge = '1234'",
                                    &error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_true (g_str_has_prefix ((const gchar *)sqlite3_column_text (stmt, 0), "$argon2id$"));
    docket_database_unlock (db);
  }

  g_assert_true (docket_people_remove (f->people, "1234", "it", &error));
  g_assert_false (docket_people_remove (f->people, "1234", "it", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
}

/* The station's (or the policy's) minimum PIN length applies at enrolment. */
static void
test_pin_min_length (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (
      docket_people_add (f->people, "1234", "Ann Ray", DOCKET_ROLE_OFFICER, "43210", "it", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "6"));
  g_clear_error (&error);
  g_assert_true (docket_people_add (f->people, "1234", "Ann Ray", DOCKET_ROLE_OFFICER, "432100",
                                    "it", &error));
  g_assert_no_error (error);
}

static void
test_sign_in (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) unknown_error = NULL;
  g_autoptr (DocketPerson) person = NULL;

  g_assert_true (
      docket_people_add (f->people, "1234", "Ann Ray", DOCKET_ROLE_OFFICER, "4321", "it", &error));
  person = docket_people_sign_in (f->people, "1234", "0000", T0, &error);
  g_assert_null (person);
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_WRONG_PIN);

  /* An unknown badge gets the very same answer. */
  person = docket_people_sign_in (f->people, "5555", "0000", T0, &unknown_error);
  g_assert_null (person);
  g_assert_error (unknown_error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_WRONG_PIN);
  g_assert_cmpstr (error->message, ==, unknown_error->message);

  person = docket_people_sign_in (f->people, "1234", "4321", T0, NULL);
  g_assert_nonnull (person);
  g_assert_cmpstr (person->name, ==, "Ann Ray");
  g_assert_cmpuint (people_fixture_count_audit (f, "signed-in"), ==, 1);
  g_assert_cmpuint (people_fixture_count_audit (f, "sign-in-failed"), ==, 2);
}

static void
test_lockout (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketPerson) person = NULL;

  /* Config: 3 failures lock for 10 minutes. */
  g_assert_true (
      docket_people_add (f->people, "1234", "Ann Ray", DOCKET_ROLE_OFFICER, "4321", "it", &error));
  for (guint i = 0; i < 2; i++)
    {
      g_assert_null (docket_people_sign_in (f->people, "1234", "1111", T0, &error));
      g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_WRONG_PIN);
      g_clear_error (&error);
    }
  /* A success in between resets the count. */
  person = docket_people_sign_in (f->people, "1234", "4321", T0, &error);
  g_assert_nonnull (person);
  g_clear_pointer (&person, docket_person_free);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_null (docket_people_sign_in (f->people, "1234", "1111", T0, &error));
      g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_WRONG_PIN);
      g_clear_error (&error);
    }
  g_assert_null (docket_people_sign_in (f->people, "1234", "1111", T0, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_LOCKED_OUT);
  g_assert_nonnull (strstr (error->message, "10 minutes"));
  g_clear_error (&error);

  /* Locked: even the right PIN is refused, and the message says how long. */
  g_assert_null (docket_people_sign_in (f->people, "1234", "4321", T0 + 4 * MINUTE, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_LOCKED_OUT);
  g_assert_nonnull (strstr (error->message, "6 minutes"));
  g_clear_error (&error);

  /* Unknown badges lock the same way. */
  for (guint i = 0; i < 3; i++)
    g_assert_null (docket_people_sign_in (f->people, "999", "1111", T0, NULL));
  g_assert_null (docket_people_sign_in (f->people, "999", "1111", T0, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_LOCKED_OUT);
  g_clear_error (&error);

  person = docket_people_sign_in (f->people, "1234", "4321", T0 + 11 * MINUTE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (person);
  g_assert_cmpuint (people_fixture_count_audit (f, "sign-in-locked-out"), ==, 2);
  g_assert_cmpuint (people_fixture_count_audit (f, "sign-in-refused"), ==, 2);
}

static void
test_assign_camera (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *badge = NULL;
  g_autoptr (DocketStoredRecording) rec = NULL;
  gint64 id;

  g_assert_false (docket_people_assign_camera (f->people, "CAM-1", "1234", "it", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (
      docket_people_add (f->people, "1234", "Ann Ray", DOCKET_ROLE_OFFICER, "4321", "it", &error));
  g_assert_true (docket_people_assign_camera (f->people, "CAM-1", "1234", "it", &error));
  g_assert_no_error (error);
  badge = docket_people_lookup_camera (f->people, "CAM-1", &error);
  g_assert_cmpstr (badge, ==, "1234");
  g_assert_null (docket_people_lookup_camera (f->people, "CAM-2", &error));
  g_assert_no_error (error);

  /* A recording offloaded without an officer takes the camera's assignee. */
  id = people_fixture_add_recording (f, NULL, T0, 0);
  rec = docket_evidence_store_get_recording (f->store, id, &error);
  g_assert_cmpstr (rec->officer, ==, "1234");
  g_clear_pointer (&rec, docket_stored_recording_free);
  id = people_fixture_add_recording (f, "77", T0, 0);
  rec = docket_evidence_store_get_recording (f->store, id, &error);
  g_assert_cmpstr (rec->officer, ==, "77");
  g_assert_cmpuint (people_fixture_count_audit (f, "camera-assigned"), ==, 1);
}

typedef struct
{
  PeopleFixture *f;
  const gchar *pin;
  GError *error;
  DocketPerson *person;
} SignInCall;

static gpointer
sign_in_thread (gpointer data)
{
  SignInCall *call = data;

  call->person = docket_people_sign_in (call->f->people, "1234", call->pin, T0, &call->error);
  return NULL;
}

static gint64
read_failure_count (PeopleFixture *f)
{
  DocketDatabase *db = docket_evidence_store_get_database (f->store);
  g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (db);
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      db, "SELECT failures FROM sign_in_failures WHERE badge = '1234'", NULL);

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* 50 wrong PINs at once, then the right one while they are still being
 * checked: the lock is taken with the attempt, so only the station's
 * number of PINs is ever verified and the right one arrives too late. */
static void
test_lockout_concurrent (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  SignInCall calls[51] = { 0 };
  GThread *threads[51];
  guint max = docket_station_config_get_lockout_failures (f->config);
  gint64 deadline;

  g_assert_true (
      docket_people_add (f->people, "1234", "Ann Ray", DOCKET_ROLE_OFFICER, "4321", "it", &error));
  for (guint i = 0; i < 50; i++)
    {
      calls[i] = (SignInCall){ .f = f, .pin = "1111" };
      threads[i] = g_thread_new ("sign-in", sign_in_thread, &calls[i]);
    }
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (read_failure_count (f) < max && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  calls[50] = (SignInCall){ .f = f, .pin = "4321" };
  threads[50] = g_thread_new ("sign-in", sign_in_thread, &calls[50]);
  for (guint i = 0; i < 51; i++)
    g_thread_join (threads[i]);

  g_assert_null (calls[50].person);
  g_assert_error (calls[50].error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_LOCKED_OUT);
  for (guint i = 0; i < 51; i++)
    {
      g_assert_null (calls[i].person);
      g_assert_nonnull (calls[i].error);
      g_clear_error (&calls[i].error);
    }
  g_assert_cmpuint (people_fixture_count_audit (f, "sign-in-failed")
                        + people_fixture_count_audit (f, "sign-in-locked-out"),
                    <=, max);
  g_assert_cmpuint (people_fixture_count_audit (f, "sign-in-locked-out"), ==, 1);
  g_assert_cmpuint (people_fixture_count_audit (f, "signed-in"), ==, 0);
}

/* Each wrong PIN says how many attempts are left, known badge or not. */
static void
test_attempts_left (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (
      docket_people_add (f->people, "1234", "Ann Ray", DOCKET_ROLE_OFFICER, "4321", "it", &error));
  g_assert_null (docket_people_sign_in (f->people, "1234", "1111", T0, &error));
  g_assert_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_WRONG_PIN);
  g_assert_cmpstr (error->message, ==, "The badge number or the PIN is wrong. 2 attempts left.");
  g_clear_error (&error);
  g_assert_null (docket_people_sign_in (f->people, "1234", "1111", T0, &error));
  g_assert_cmpstr (error->message, ==, "The badge number or the PIN is wrong. 1 attempt left.");
  g_clear_error (&error);
  g_assert_null (docket_people_sign_in (f->people, "777", "1111", T0, &error));
  g_assert_cmpstr (error->message, ==, "The badge number or the PIN is wrong. 2 attempts left.");
}

/* Guessing badge numbers cannot grow the failure table without bound. */
static void
test_unknown_badges_bounded (PeopleFixture *f, gconstpointer data)
{
  DocketDatabase *db = docket_evidence_store_get_database (f->store);
  g_autoptr (sqlite3_stmt) stmt = NULL;

  for (guint i = 0; i < 600; i++)
    {
      g_autofree gchar *badge = g_strdup_printf ("X%u", i);
      g_autoptr (GError) error = NULL;

      /* Straight to the reservation: an argon2 per badge would take minutes. */
      g_assert_null (docket_people_sign_in (f->people, badge, "1", T0, &error));
    }
  stmt = docket_database_prepare (db, "SELECT count(*) FROM sign_in_failures", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), <=, 256);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/people/config/defaults", test_config_defaults);
  g_test_add_func ("/people/config/load", test_config_load);
  g_test_add ("/people/enrol", PeopleFixture, NULL, setup, test_enrol, people_fixture_teardown);
  g_test_add ("/people/sign-in", PeopleFixture, NULL, setup, test_sign_in, people_fixture_teardown);
  g_test_add ("/people/pin-min-length", PeopleFixture, "[station]\npin-min-length=6\n", setup,
              test_pin_min_length, people_fixture_teardown);
  g_test_add ("/people/lockout", PeopleFixture,
              "[station]\nlockout-failures=3\nlockout-minutes=10\n", setup, test_lockout,
              people_fixture_teardown);
  g_test_add ("/people/lockout/concurrent", PeopleFixture, NULL, setup, test_lockout_concurrent,
              people_fixture_teardown);
  g_test_add ("/people/lockout/attempts-left", PeopleFixture, "[station]\nlockout-failures=3\n",
              setup, test_attempts_left, people_fixture_teardown);
  g_test_add ("/people/lockout/unknown-badges-bounded", PeopleFixture, NULL, setup,
              test_unknown_badges_bounded, people_fixture_teardown);
  g_test_add ("/people/assign-camera", PeopleFixture, NULL, setup, test_assign_camera,
              people_fixture_teardown);
  return g_test_run ();
}
