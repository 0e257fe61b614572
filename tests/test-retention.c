/* test-retention.c — keep-until, legal holds, the purge pass (clock injected),
 * restricted as defined now, and who viewed a recording
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "docket-error.h"
#include "docket-retention.h"
#include "test-people-fixture.h"

#define T0 ((gint64)1700000000 * G_USEC_PER_SEC)
#define DAY ((gint64)24 * 3600 * G_USEC_PER_SEC)

static DocketPerson *ann; /* officer 1234 */
static DocketPerson *sam; /* sergeant S-9 */

typedef struct
{
  PeopleFixture p;
  DocketRetention *retention;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  people_fixture_setup_with (&f->p, data != NULL ? data : "[station]\naudit-sample-percent=0\n");
  f->retention = docket_retention_new (f->p.store, f->p.config);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->retention);
  people_fixture_teardown (&f->p, data);
}

static gint64
keep_until (Fixture *f, gint64 id, gint64 now)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketRetentionItem) item = docket_retention_get_item (f->retention, id, now, &error);

  g_assert_no_error (error);
  return item->keep_until_usec;
}

static gchar *
recording_state (Fixture *f, gint64 id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStoredRecording) rec
      = docket_evidence_store_get_recording (f->p.store, id, &error);

  g_assert_no_error (error);
  return g_strdup (rec->state);
}

static gboolean
object_exists (Fixture *f, gint64 id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStoredRecording) rec
      = docket_evidence_store_get_recording (f->p.store, id, &error);
  g_autofree gchar *path = NULL;

  g_assert_no_error (error);
  path = docket_evidence_store_get_object_path (f->p.store, rec->sha256);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
change_config (Fixture *f, const gchar *conf)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStationConfig) next = docket_station_config_load_from_data (conf, &error);

  g_assert_no_error (error);
  docket_station_config_update (f->p.config, next);
}

/* Default preset: 180 days for a traffic stop, 365 for use of force and
 * for untagged footage (Uncategorized). */
static void
test_longest_wins (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 a = people_fixture_add_recording (&f->p, "1234", T0, 0);
  gint64 b = people_fixture_add_recording (&f->p, "1234", T0 + DAY, 0);
  gint64 untagged = people_fixture_add_recording (&f->p, "1234", T0 + 2 * DAY, 0);
  g_autoptr (DocketRetentionItem) item = NULL;

  g_assert_true (docket_tags_tag (f->p.tags, ann, &a, 1, "traffic-stop", "", "", &error));
  g_assert_no_error (error);
  g_assert_cmpint (keep_until (f, a, T0), ==, T0 + 180 * DAY);
  /* Re-tagged by a sergeant: the longer of both counts, whichever order. */
  g_assert_true (
      docket_review_correct (f->p.review, sam, a, "use-of-force", "", "", "wrong tag", &error));
  g_assert_no_error (error);
  g_assert_cmpint (keep_until (f, a, T0), ==, T0 + 365 * DAY);

  g_assert_true (docket_tags_tag (f->p.tags, ann, &b, 1, "use-of-force", "", "", &error));
  g_assert_true (
      docket_review_correct (f->p.review, sam, b, "traffic-stop", "", "", "was a stop", &error));
  g_assert_no_error (error);
  item = docket_retention_get_item (f->retention, b, T0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (item->keep_until_usec, ==, T0 + DAY + 365 * DAY);
  g_assert_cmpstr (item->category, ==, "use-of-force");
  g_assert_nonnull (strstr (item->rule, "2 categories"));
  g_clear_pointer (&item, docket_retention_item_free);

  /* Untagged: the default category's retention, from the start. */
  item = docket_retention_get_item (f->retention, untagged, T0, &error);
  g_assert_cmpint (item->keep_until_usec, ==, T0 + 2 * DAY + 365 * DAY);
  g_assert_cmpstr (item->category, ==, "uncategorized");
  g_assert_false (item->tagged);
  g_assert_cmpint (item->keep, ==, DOCKET_KEEP_RETENTION);

  /* A policy change recomputes keep-until: nothing was frozen. */
  change_config (f, "[station]\naudit-sample-percent=0\npreset=new-jersey\n");
  g_assert_cmpint (keep_until (f, a, T0), ==, T0 + 3 * 365 * DAY);
  change_config (f, "[station]\naudit-sample-percent=0\npreset=minnesota\n");
  g_assert_cmpint (keep_until (f, a, T0), ==, T0 + 365 * DAY);
  change_config (f, "[station]\naudit-sample-percent=0\n"
                    "[category:uncategorized]\nlabel=Uncategorized\nretention-days=60\n"
                    "[category:traffic-stop]\nlabel=Stop\nretention-days=30\n"
                    "[category:use-of-force]\nlabel=Force\nretention-days=400\n");
  g_assert_cmpint (keep_until (f, a, T0), ==, T0 + 400 * DAY);
  g_assert_cmpint (keep_until (f, untagged, T0), ==, T0 + 2 * DAY + 60 * DAY);
}

static guint
count_audit (Fixture *f, const gchar *action)
{
  return people_fixture_count_audit (&f->p, action);
}

static void
assert_chain_intact (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) chain = docket_audit_log_verify (
      docket_evidence_store_get_audit_log (f->p.store), NULL, NULL, &error);
  g_autoptr (GPtrArray) files = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (chain->len, ==, 0);
  files = docket_evidence_store_verify_files (f->p.store, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < files->len; i++)
    g_printerr ("%s\n", (const gchar *)files->pdata[i]);
  g_assert_cmpuint (files->len, ==, 0);
}

static void
test_purge (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 stop = people_fixture_add_recording (&f->p, "1234", T0, 0);
  gint64 force = people_fixture_add_recording (&f->p, "1234", T0, 0);
  gint64 untagged = people_fixture_add_recording (&f->p, "1234", T0, 0);
  gint64 now = T0 + 200 * DAY;
  g_autoptr (DocketRetentionPlan) plan = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  DocketRetentionItem *due;
  DocketAuditEntry *purged = NULL;
  g_autofree gchar *keep_text = NULL;
  g_autofree gchar *due_subject = NULL;

  g_assert_true (docket_tags_tag (f->p.tags, ann, &stop, 1, "traffic-stop", "", "", &error));
  g_assert_true (docket_tags_tag (f->p.tags, ann, &force, 1, "use-of-force", "", "", &error));
  g_assert_no_error (error);

  /* Before the day: nothing. */
  plan = docket_retention_run (f->retention, "docketd", T0 + 179 * DAY, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->due->len, ==, 0);
  g_assert_cmpuint (plan->purged, ==, 0);
  g_assert_cmpuint (plan->n_recordings, ==, 3);
  g_assert_cmpuint (plan->due_7_days, ==, 1);
  g_assert_cmpint (plan->next_purge_usec, ==, T0 + 180 * DAY);
  /* What goes when: the stop within 30 days, the others in 186 days. */
  g_assert_cmpuint (plan->schedule_recordings[0], ==, 1);
  g_assert_cmpuint (plan->schedule_recordings[6], ==, 2);
  g_assert_cmpuint (plan->schedule_bytes[6], >, 0);
  g_clear_pointer (&plan, docket_retention_plan_free);

  /* A dry run says what would go and removes nothing. */
  plan = docket_retention_run (f->retention, "docketd", now, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->due->len, ==, 1);
  due = g_ptr_array_index (plan->due, 0);
  g_assert_cmpint (due->id, ==, stop);
  due_subject = g_strdup_printf ("recording:%s", due->sha256);
  g_assert_cmpuint (plan->purged, ==, 0);
  g_assert_true (object_exists (f, stop));
  g_assert_cmpuint (count_audit (f, "recording-purged"), ==, 0);
  g_clear_pointer (&plan, docket_retention_plan_free);

  /* The real pass: the file goes, the audit row stays and says why. */
  plan = docket_retention_run (f->retention, "docketd", now, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->purged, ==, 1);
  g_assert_false (object_exists (f, stop));
  g_assert_true (object_exists (f, force));
  g_assert_true (object_exists (f, untagged));
  rows = docket_audit_log_list (docket_evidence_store_get_audit_log (f->p.store), 0, 0, &error);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (((DocketAuditEntry *)rows->pdata[i])->action, "recording-purged") == 0)
      purged = rows->pdata[i];
  g_assert_nonnull (purged);
  g_assert_cmpstr (purged->subject, ==, due_subject);
  g_assert_nonnull (strstr (purged->details, "'category': <'traffic-stop'>"));
  g_assert_nonnull (strstr (purged->details, "traffic-stop: 180 days"));
  keep_text = g_strdup_printf ("'keep-until-usec': <int64 %" G_GINT64_FORMAT ">", T0 + 180 * DAY);
  g_assert_nonnull (strstr (purged->details, keep_text));
  g_assert_nonnull (strstr (purged->details, "'sha256'"));
  g_assert_cmpuint (count_audit (f, "recording-purged"), ==, 1);
  /* Gone from every list; the chain and the remaining files verify. */
  g_assert_null (docket_tags_get_item (f->p.tags, ann, stop, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_chain_intact (f);

  /* A second pass finds nothing more to do. */
  g_clear_pointer (&plan, docket_retention_plan_free);
  plan = docket_retention_run (f->retention, "docketd", now, FALSE, &error);
  g_assert_cmpuint (plan->purged, ==, 0);
  g_assert_cmpuint (count_audit (f, "recording-purged"), ==, 1);
}

static void
test_holds (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *actor = docket_person_dup_actor (sam);
  gint64 a = people_fixture_add_recording (&f->p, "1234", T0, 0);
  gint64 b = people_fixture_add_recording (&f->p, "1234", T0 + 30 * G_USEC_PER_SEC, 0);
  gint64 c = people_fixture_add_recording (&f->p, "1234", T0 + (gint64)3600 * G_USEC_PER_SEC, 0);
  gint64 d
      = people_fixture_add_recording (&f->p, "1234", T0 + 10 * (gint64)3600 * G_USEC_PER_SEC, 0);
  gint64 now = T0 + 400 * DAY;
  gint64 case_hold, incident_hold, bad;
  g_autofree gchar *target = g_strdup_printf ("%" G_GINT64_FORMAT, a);
  g_autoptr (DocketRetentionPlan) plan = NULL;
  g_autoptr (GPtrArray) holds = NULL;

  g_assert_true (docket_tags_tag (f->p.tags, ann, &d, 1, "arrest", "24-001234", "", &error));
  g_assert_no_error (error);

  /* A reason, a known kind, a case number in the station's format. */
  bad = docket_retention_place_hold (f->retention, actor, DOCKET_HOLD_CASE, "24-001234", " ", T0,
                                     &error);
  g_assert_cmpint (bad, ==, 0);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (docket_retention_place_hold (f->retention, actor, DOCKET_HOLD_CASE, "nope",
                                                "court order", T0, &error),
                   ==, 0);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (docket_retention_place_hold (f->retention, actor, DOCKET_HOLD_RECORDING, "999",
                                                "court order", T0, &error),
                   ==, 0);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_clear_error (&error);

  case_hold = docket_retention_place_hold (f->retention, actor, DOCKET_HOLD_CASE, "24-001234",
                                           "open case, DA request", T0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (case_hold, >, 0);
  /* The incident: a and b start within a minute; c an hour later is not in it. */
  incident_hold = docket_retention_place_hold (f->retention, actor, DOCKET_HOLD_INCIDENT, target,
                                               "complaint expected", T0, &error);
  g_assert_no_error (error);
  holds = docket_retention_list_holds (f->retention, FALSE, &error);
  g_assert_cmpuint (holds->len, ==, 2);
  g_assert_cmpuint (((DocketHold *)holds->pdata[0])->n_recordings, ==, 2);
  g_assert_cmpuint (count_audit (f, "hold-placed"), ==, 2);

  /* Held footage stays however old; a policy change does not lift a hold. */
  change_config (f, "[station]\naudit-sample-percent=0\npreset=minnesota\n");
  plan = docket_retention_run (f->retention, "docketd", now, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->purged, ==, 1);
  g_assert_cmpint (((DocketRetentionItem *)plan->due->pdata[0])->id, ==, c);
  g_assert_cmpuint (plan->held, ==, 3);
  g_assert_cmpuint (plan->kept[DOCKET_KEEP_HELD], ==, 3);
  g_assert_true (object_exists (f, a));
  g_assert_true (object_exists (f, b));
  g_assert_true (object_exists (f, d));
  g_assert_false (object_exists (f, c));
  g_clear_pointer (&plan, docket_retention_plan_free);

  /* Released with a reason, the footage may go. */
  g_assert_false (docket_retention_release_hold (f->retention, actor, case_hold, "", now, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (
      docket_retention_release_hold (f->retention, actor, case_hold, "case closed", now, &error));
  g_assert_no_error (error);
  g_assert_false (
      docket_retention_release_hold (f->retention, actor, case_hold, "again", now, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  plan = docket_retention_run (f->retention, "docketd", now, FALSE, &error);
  g_assert_cmpuint (plan->purged, ==, 1);
  g_assert_false (object_exists (f, d));
  g_assert_true (object_exists (f, a));
  g_clear_pointer (&plan, docket_retention_plan_free);
  g_assert_true (docket_retention_release_hold (f->retention, actor, incident_hold,
                                                "complaint window over", now, &error));
  plan = docket_retention_run (f->retention, "docketd", now, FALSE, &error);
  g_assert_cmpuint (plan->purged, ==, 2);
  g_assert_cmpuint (count_audit (f, "hold-released"), ==, 2);
  g_clear_pointer (&holds, g_ptr_array_unref);
  holds = docket_retention_list_holds (f->retention, TRUE, &error);
  g_assert_cmpuint (holds->len, ==, 2);
  g_assert_cmpstr (((DocketHold *)holds->pdata[1])->release_reason, ==, "case closed");
  assert_chain_intact (f);
}

/* With department storage configured, only what it confirmed may go from
 * the kiosk; without it, retention alone decides. */
static void
test_upstream_confirmed_only (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DocketDatabase *db = docket_evidence_store_get_database (f->p.store);
  gint64 waiting = people_fixture_add_recording (&f->p, "1234", T0, 0);
  gint64 confirmed = people_fixture_add_recording (&f->p, "1234", T0, 0);
  g_autoptr (DocketRetentionPlan) plan = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *waiting_state = NULL;
  g_autofree gchar *confirmed_state = NULL;

  g_assert_true (docket_database_exec (
      db, "INSERT INTO upstream_state (key, value) VALUES ('configured', '1')", &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("INSERT INTO upstream_uploads (recording_id, sha256, object_key, size,"
                         " state, queued_usec, confirmed_usec)"
                         " SELECT id, sha256, 'sha256/' || sha256, size, 'confirmed', 1, 2"
                         " FROM recordings WHERE id = %" G_GINT64_FORMAT,
                         confirmed);
  g_assert_true (docket_database_exec (db, sql, &error));
  g_assert_no_error (error);

  plan = docket_retention_run (f->retention, "docketd", T0 + 5000 * DAY, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->purged, ==, 1);
  g_assert_cmpuint (plan->kept[DOCKET_KEEP_NOT_UPSTREAM], ==, 1);
  g_assert_cmpstr (waiting_state = recording_state (f, waiting), ==, "verified");
  g_assert_cmpstr (confirmed_state = recording_state (f, confirmed), ==, "deleted");
}

static void
test_kept_for_other_reasons (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 requested = people_fixture_add_recording (&f->p, "1234", T0, 0);
  gint64 restricted = people_fixture_add_recording (&f->p, "1234", T0, 0);
  gint64 gone = people_fixture_add_recording (&f->p, "1234", T0, 0);
  g_autoptr (DocketRetentionPlan) plan = NULL;

  /* A deletion request waits for its sergeant, not for retention. */
  g_assert_cmpint (
      docket_review_request_deletion (f->p.review, ann, requested, "pocket recording", &error), >,
      0);
  /* Restricted (as defined now) and its review still open. */
  g_assert_true (
      docket_tags_tag (f->p.tags, ann, &restricted, 1, "victim-interview", "", "", &error));
  g_assert_true (docket_tags_tag (f->p.tags, ann, &gone, 1, "traffic-stop", "", "", &error));
  g_assert_no_error (error);
  g_assert_true (docket_database_exec (
      docket_evidence_store_get_database (f->p.store),
      "UPDATE tags SET review_state = 'sample' WHERE category = 'victim-interview'", &error));
  /* A category the policy no longer defines keeps its footage. */
  change_config (f, "[station]\naudit-sample-percent=0\n"
                    "[category:uncategorized]\nlabel=Uncategorized\nretention-days=30\n"
                    "[category:victim-interview]\nlabel=Victim\nretention-days=30\n"
                    "restricted=true\nsergeant-access=false\n");
  plan = docket_retention_run (f->retention, "docketd", T0 + 5000 * DAY, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->purged, ==, 0);
  g_assert_cmpuint (plan->kept[DOCKET_KEEP_DELETION_PENDING], ==, 1);
  g_assert_cmpuint (plan->kept[DOCKET_KEEP_UNDER_REVIEW], ==, 1);
  g_assert_cmpuint (plan->kept[DOCKET_KEEP_UNKNOWN_CATEGORY], ==, 1);
  /* Damaged on camera: kept for the record. */
  {
    g_autofree gchar *sql = g_strdup_printf (
        "UPDATE recordings SET condition = 'damaged-on-camera' WHERE id = %" G_GINT64_FORMAT,
        restricted);

    g_assert_true (
        docket_database_exec (docket_evidence_store_get_database (f->p.store), sql, &error));
  }
  g_assert_true (docket_database_exec (docket_evidence_store_get_database (f->p.store),
                                       "UPDATE tags SET review_state = 'approved'", &error));
  g_clear_pointer (&plan, docket_retention_plan_free);
  plan = docket_retention_run (f->retention, "docketd", T0 + 5000 * DAY, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->purged, ==, 0);
  g_assert_cmpuint (plan->kept[DOCKET_KEEP_CONDITION], ==, 1);
  g_assert_true (docket_database_exec (docket_evidence_store_get_database (f->p.store),
                                       "UPDATE recordings SET condition = NULL", &error));

  /* Once reviewed (and without a condition), the restricted one may go. */
  g_assert_true (docket_database_exec (docket_evidence_store_get_database (f->p.store),
                                       "UPDATE tags SET review_state = 'approved'", &error));
  g_clear_pointer (&plan, docket_retention_plan_free);
  plan = docket_retention_run (f->retention, "docketd", T0 + 5000 * DAY, FALSE, &error);
  g_assert_cmpuint (plan->purged, ==, 1);
  g_assert_false (object_exists (f, restricted));
}

/* Restricted is decided by the category as configured now. */
static void
test_restricted_now (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 a = people_fixture_add_recording (&f->p, "1234", T0, 0);
  g_autoptr (DocketRecordingItem) item = NULL;
  g_autoptr (GPtrArray) queue = NULL;
  DocketReviewFilter filter = { 0 };
  guint total = 0;

  g_assert_true (docket_tags_tag (f->p.tags, ann, &a, 1, "arrest", "", "", &error));
  g_assert_true (docket_database_exec (docket_evidence_store_get_database (f->p.store),
                                       "UPDATE tags SET review_state = 'sample'", &error));
  item = docket_tags_get_item (f->p.tags, sam, a, &error);
  g_assert_no_error (error);
  g_assert_false (item->restricted);
  g_clear_pointer (&item, docket_recording_item_free);

  change_config (f, "[station]\naudit-sample-percent=0\n"
                    "[category:uncategorized]\nlabel=Uncategorized\nretention-days=365\n"
                    "[category:arrest]\nlabel=Arrest\nretention-days=365\n"
                    "restricted=true\nsergeant-access=false\n");
  g_assert_null (docket_tags_get_item (f->p.tags, sam, a, &error));
  /* Not one the sergeant may see now: answered as if it did not exist. */
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  queue = docket_review_queue (f->p.review, sam, "sample", &filter, 0, 0, T0, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 0);
  /* The officer still sees her own, marked restricted. */
  item = docket_tags_get_item (f->p.tags, ann, a, &error);
  g_assert_no_error (error);
  g_assert_true (item->restricted);
}

static void
test_access_log (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 a = people_fixture_add_recording (&f->p, "1234", T0, 0);
  gint64 other = people_fixture_add_recording (&f->p, "5678", T0, 0);
  g_autoptr (GPtrArray) rows = NULL;
  DocketAccessEntry *e;
  gint fd;

  g_assert_true (docket_people_add (f->p.people, "S-9", "Sam Lee", DOCKET_ROLE_SERGEANT, "2468",
                                    "test", &error));
  g_assert_no_error (error);
  fd = docket_tags_open_recording (f->p.tags, sam, a, "use-of-force review", &error);
  g_assert_no_error (error);
  close (fd);
  fd = docket_tags_open_recording (f->p.tags, sam, other, "complaint 7", &error);
  close (fd);
  fd = docket_tags_open_recording (f->p.tags, ann, a, NULL, &error);
  g_assert_no_error (error);
  close (fd);

  /* Ann sees who looked at hers, not her own views nor others' footage. */
  rows = docket_tags_list_access (f->p.tags, ann, 0, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  e = rows->pdata[0];
  g_assert_cmpstr (e->action, ==, "recording-viewed");
  g_assert_cmpstr (e->badge, ==, "S-9");
  g_assert_cmpstr (e->name, ==, "Sam Lee");
  g_assert_cmpstr (e->role, ==, "sergeant");
  g_assert_cmpstr (e->reason, ==, "use-of-force review");
  g_assert_cmpint (e->recording_id, ==, a);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A legal hold on her footage is not shown to her. */
  {
    g_autofree gchar *actor = docket_person_dup_actor (sam);
    g_autofree gchar *target = g_strdup_printf ("%" G_GINT64_FORMAT, a);

    g_assert_cmpint (docket_retention_place_hold (f->retention, actor, DOCKET_HOLD_RECORDING,
                                                  target, "internal affairs", T0, &error),
                     >, 0);
    g_assert_no_error (error);
    rows = docket_tags_list_access (f->p.tags, ann, 0, 50, &error);
    g_assert_cmpuint (rows->len, ==, 1);
    g_clear_pointer (&rows, g_ptr_array_unref);
  }

  /* A restricted recording's views stay hidden from a sergeant who may not see it. */
  g_assert_true (docket_tags_tag (f->p.tags, ann, &a, 1, "victim-interview", "", "", &error));
  g_assert_no_error (error);
  rows = docket_tags_list_access (f->p.tags, sam, 0, 50, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpint (((DocketAccessEntry *)rows->pdata[i])->recording_id, !=, a);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = docket_tags_list_access (f->p.tags, ann, a, 50, &error);
  g_assert_cmpuint (rows->len, ==, 1);
}

/* A petabyte a month fills any test disk long before the year is over. */
static void
test_full_before_purge (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 id = people_fixture_add_recording (&f->p, "1234", now, 0);
  g_autoptr (DocketRetentionPlan) plan = docket_retention_plan (f->retention, now, &error);
  g_autofree gchar *sql = NULL;

  g_assert_no_error (error);
  g_assert_false (plan->full_before_purge);
  g_clear_pointer (&plan, docket_retention_plan_free);
  sql = g_strdup_printf (
      "UPDATE recordings SET size = 1000000000000000 WHERE id = %" G_GINT64_FORMAT, id);
  g_assert_true (
      docket_database_exec (docket_evidence_store_get_database (f->p.store), sql, &error));
  plan = docket_retention_plan (f->retention, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->intake_bytes_per_day, ==, 1000000000000000 / 30);
  if (plan->total_bytes == 0)
    {
      g_test_skip ("the file system does not say how much space is free");
      return;
    }
  g_assert_cmpint (plan->full_usec, >, 0);
  g_assert_cmpint (plan->full_usec, <, now + 365 * DAY);
  g_assert_true (plan->full_before_purge);
}

/* Purging on a timer is the department's decision: off unless said. */
static void
test_scheduled_purge_setting (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStationConfig) fallback = docket_station_config_new_default ();
  g_autoptr (DocketStationConfig) on
      = docket_station_config_load_from_data ("[station]\nscheduled-purge=true\n", &error);
  g_autoptr (DocketStationConfig) bad = NULL;

  g_assert_no_error (error);
  g_assert_false (docket_station_config_get_scheduled_purge (fallback));
  g_assert_true (docket_station_config_get_scheduled_purge (on));
  docket_station_config_update (fallback, on);
  g_assert_true (docket_station_config_get_scheduled_purge (fallback));
  bad = docket_station_config_load_from_data ("[station]\nscheduled-purge=maybe\n", &error);
  g_assert_null (bad);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
}

static void
die (gpointer user_data, guint n)
{
  raise (SIGKILL);
}

/* SIGKILL between committing a batch of purged rows and removing their
 * files, then start again: no row without its file, no file without its
 * row, one audit row per purged file. */
static void
test_crash_mid_purge (void)
{
  g_autoptr (GError) error = NULL;
  PeopleFixture p = { 0 };
  g_autoptr (DocketRetention) retention = NULL;
  g_autoptr (DocketRetentionPlan) plan = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  guint n = 300, verified = 0, deleted = 0, files = 0;
  int status = 0;
  pid_t pid;

  people_fixture_setup_with (&p, NULL);
  for (guint i = 0; i < n; i++)
    (void)people_fixture_add_recording (&p, "1234", T0 + i * G_USEC_PER_SEC, 0);
  /* SQLite connections must not cross fork(). */
  g_clear_object (&p.review);
  g_clear_object (&p.tags);
  g_clear_object (&p.people);
  g_clear_object (&p.store);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      DocketEvidenceStore *store = docket_evidence_store_open (p.dir, NULL);
      DocketRetention *r = docket_retention_new (store, p.config);

      docket_retention_set_commit_hook (r, die, NULL);
      (void)docket_retention_run (r, "docketd", T0 + 1000 * DAY, FALSE, NULL);
      _exit (3);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  p.store = docket_evidence_store_open (p.dir, &error);
  g_assert_no_error (error);
  /* Starting again (every pass begins so) finishes the interrupted purge. */
  retention = docket_retention_new (p.store, p.config);
  plan = docket_retention_run (retention, "docketd", T0 + 10 * DAY, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->purged, ==, 0);

  rows = docket_evidence_store_list_recordings (p.store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      DocketStoredRecording *rec = rows->pdata[i];
      g_autofree gchar *path = docket_evidence_store_get_object_path (p.store, rec->sha256);
      gboolean exists = g_file_test (path, G_FILE_TEST_EXISTS);

      if (g_strcmp0 (rec->state, DOCKET_RECORDING_STATE_VERIFIED) == 0)
        {
          g_assert_true (exists);
          verified++;
        }
      else
        {
          g_assert_cmpstr (rec->state, ==, DOCKET_RECORDING_STATE_DELETED);
          g_assert_false (exists);
          deleted++;
        }
      files += exists;
    }
  g_assert_cmpuint (deleted, >, 0);
  g_assert_cmpuint (deleted, <, n);
  g_assert_cmpuint (verified + deleted, ==, n);
  g_assert_cmpuint (files, ==, verified);
  g_assert_cmpuint (people_fixture_count_audit (&p, "recording-purged"), ==, deleted);
  {
    g_autoptr (GPtrArray) chain = docket_audit_log_verify (
        docket_evidence_store_get_audit_log (p.store), NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (chain->len, ==, 0);
  }
  g_clear_object (&retention);
  people_fixture_teardown (&p, NULL);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  ann = docket_person_new ("1234", "Ann Ray", DOCKET_ROLE_OFFICER);
  sam = docket_person_new ("S-9", "Sam Lee", DOCKET_ROLE_SERGEANT);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, setup, fn, teardown)
  ADD ("/retention/longest-wins", test_longest_wins);
  ADD ("/retention/purge", test_purge);
  ADD ("/retention/holds", test_holds);
  ADD ("/retention/kept-for-other-reasons", test_kept_for_other_reasons);
  ADD ("/retention/restricted-now", test_restricted_now);
  ADD ("/retention/upstream-confirmed-only", test_upstream_confirmed_only);
  ADD ("/retention/access-log", test_access_log);
  ADD ("/retention/full-before-purge", test_full_before_purge);
#undef ADD
  g_test_add_func ("/retention/crash-mid-purge", test_crash_mid_purge);
  g_test_add_func ("/retention/scheduled-purge-setting", test_scheduled_purge_setting);
  rc = g_test_run ();
  docket_person_free (ann);
  docket_person_free (sam);
  return rc;
}
