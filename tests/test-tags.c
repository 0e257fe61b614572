/* test-tags.c — view models: incidents, untagged lists and deadlines, tagging,
 * need-to-know, review queues, deletion requests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <unistd.h>

#include "docket-error.h"
#include "test-people-fixture.h"

#define T0 ((gint64)1700000000 * G_USEC_PER_SEC)
#define SEC G_USEC_PER_SEC
#define HOUR ((gint64)3600 * G_USEC_PER_SEC)

static DocketPerson *ann; /* officer 1234 */
static DocketPerson *bob; /* officer 5678 */
static DocketPerson *sam; /* sergeant S-9 */
static DocketPerson *ivy; /* IT 42 */

static void
setup (PeopleFixture *f, gconstpointer data)
{
  people_fixture_setup_with (f, data);
}

static DocketRecordingItem *
make_item (gint64 start_usec)
{
  DocketRecordingItem *item = g_new0 (DocketRecordingItem, 1);

  item->start_usec = start_usec;
  item->duration_ms = 10000;
  return item;
}

static void
test_group_incidents (void)
{
  g_autoptr (GPtrArray) items
      = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_recording_item_free);
  g_autoptr (GPtrArray) incidents = NULL;
  DocketIncident *incident;

  /* Newest first: 3 recordings chained within a minute, then a lone one. */
  g_ptr_array_add (items, make_item (T0 + 200 * SEC));
  g_ptr_array_add (items, make_item (T0 + 150 * SEC));
  g_ptr_array_add (items, make_item (T0 + 90 * SEC));
  g_ptr_array_add (items, make_item (T0 + 29 * SEC));
  g_ptr_array_add (items, make_item (T0 + 0 * SEC));
  incidents = docket_tags_group_incidents (items, DOCKET_INCIDENT_GAP_USEC);
  g_assert_cmpuint (incidents->len, ==, 2);
  incident = g_ptr_array_index (incidents, 0);
  g_assert_cmpuint (incident->items->len, ==, 3);
  g_assert_cmpint (incident->start_usec, ==, T0 + 90 * SEC);
  g_assert_cmpint (incident->end_usec, ==, T0 + 210 * SEC);
  incident = g_ptr_array_index (incidents, 1);
  g_assert_cmpuint (incident->items->len, ==, 2);
  g_assert_cmpint (incident->start_usec, ==, T0);
  g_clear_pointer (&incidents, g_ptr_array_unref);

  /* Exactly a minute apart still joins; a minute and a microsecond does not. */
  g_ptr_array_set_size (items, 0);
  g_ptr_array_add (items, make_item (T0 + 60 * SEC));
  g_ptr_array_add (items, make_item (T0));
  incidents = docket_tags_group_incidents (items, DOCKET_INCIDENT_GAP_USEC);
  g_assert_cmpuint (incidents->len, ==, 1);
  g_clear_pointer (&incidents, g_ptr_array_unref);
  ((DocketRecordingItem *)items->pdata[0])->start_usec += 1;
  incidents = docket_tags_group_incidents (items, DOCKET_INCIDENT_GAP_USEC);
  g_assert_cmpuint (incidents->len, ==, 2);
  g_clear_pointer (&incidents, g_ptr_array_unref);

  g_ptr_array_set_size (items, 0);
  incidents = docket_tags_group_incidents (items, DOCKET_INCIDENT_GAP_USEC);
  g_assert_cmpuint (incidents->len, ==, 0);
}

static void
test_untagged_and_deadline (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) page = NULL;
  guint total = 0;
  gint64 deadline = 0;
  gint64 a1 = people_fixture_add_recording (f, "1234", T0, T0 + 1 * HOUR);
  gint64 a2 = people_fixture_add_recording (f, "1234", T0 + 600 * SEC, T0 + 2 * HOUR);
  gint64 a3 = people_fixture_add_recording (f, "1234", T0 + 300 * SEC, T0 + 3 * HOUR);

  (void)people_fixture_add_recording (f, "5678", T0 + 900 * SEC, T0);
  page = docket_tags_list_untagged (f->tags, ann, 0, 2, &total, &deadline, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 3);
  g_assert_cmpuint (page->len, ==, 2);
  /* Newest first, only Ann's own. */
  g_assert_cmpint (((DocketRecordingItem *)page->pdata[0])->id, ==, a2);
  g_assert_cmpint (((DocketRecordingItem *)page->pdata[1])->id, ==, a3);
  /* Default deadline: 72 h after offload; the earliest is what is left. */
  g_assert_cmpint (deadline, ==, T0 + 1 * HOUR + 72 * HOUR);
  g_assert_cmpint (((DocketRecordingItem *)page->pdata[0])->deadline_usec, ==,
                   T0 + 2 * HOUR + 72 * HOUR);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = docket_tags_list_untagged (f->tags, ann, 2, 2, &total, NULL, &error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpint (((DocketRecordingItem *)page->pdata[0])->id, ==, a1);
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Tagging a whole incident at once leaves the count right. */
  g_assert_true (docket_tags_tag (f->tags, ann, (gint64[]){ a1, a3 }, 2, "traffic-stop",
                                  "24-001234", "stop on 5th", &error));
  g_assert_no_error (error);
  page = docket_tags_list_untagged (f->tags, ann, 0, 0, &total, &deadline, &error);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpint (deadline, ==, T0 + 2 * HOUR + 72 * HOUR);
  g_assert_cmpuint (people_fixture_count_audit (f, "recording-tagged"), ==, 2);

  /* IT never lists footage. */
  g_clear_pointer (&page, g_ptr_array_unref);
  page = docket_tags_list_untagged (f->tags, ivy, 0, 0, &total, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION);
}

static void
test_tag_checks (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 a1 = people_fixture_add_recording (f, "1234", T0, 0);
  gint64 b1 = people_fixture_add_recording (f, "5678", T0, 0);

  g_assert_false (docket_tags_tag (f->tags, ann, &a1, 1, "no-such", "", "", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (docket_tags_tag (f->tags, ann, &a1, 1, "arrest", "12345", "", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  /* All or none: one recording that is not hers spoils the batch. */
  g_assert_false (
      docket_tags_tag (f->tags, ann, (gint64[]){ a1, b1 }, 2, "arrest", "", "", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (people_fixture_count_audit (f, "recording-tagged"), ==, 0);
  g_assert_false (docket_tags_tag (f->tags, ann, (gint64[]){ 999 }, 1, "arrest", "", "", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (
      docket_tags_tag (f->tags, ann, &a1, 1, DOCKET_CATEGORY_UNCATEGORIZED, "", "", &error));
  /* Until a sergeant approves it, tagging again is the officer's correction
   * (refused once approved: /review/owners-and-returns). */
  g_assert_true (docket_tags_tag (f->tags, ann, &a1, 1, "arrest", "", "", &error));
  g_assert_no_error (error);
}

static void
test_need_to_know (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) queue = NULL;
  gint64 victim = people_fixture_add_recording (f, "1234", T0, 0);
  gint64 informant = people_fixture_add_recording (f, "1234", T0 + 100 * SEC, 0);
  gint64 plain = people_fixture_add_recording (f, "1234", T0 + 200 * SEC, 0);
  guint total = 0;
  int fd;

  /* Config: victim-interview closed to sergeants, informant open to them,
   * everything sampled so all three land in one queue. */
  g_assert_true (docket_tags_tag (f->tags, ann, &victim, 1, "victim-interview", "", "", &error));
  g_assert_true (docket_tags_tag (f->tags, ann, &informant, 1, "informant", "", "", &error));
  g_assert_true (
      docket_tags_tag (f->tags, ann, &plain, 1, DOCKET_CATEGORY_UNCATEGORIZED, "", "", &error));
  g_assert_no_error (error);

  queue = docket_review_queue (f->review, sam, DOCKET_QUEUE_SAMPLE, NULL, 0, 0, T0, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 2);
  g_assert_cmpuint (queue->len, ==, 2);
  g_assert_cmpint (((DocketRecordingItem *)queue->pdata[0])->id, ==, plain);
  g_assert_cmpint (((DocketRecordingItem *)queue->pdata[1])->id, ==, informant);

  /* Opening: the officer her own, the sergeant not the closed one, IT nothing,
   * another officer nothing. */
  fd = docket_tags_open_recording (f->tags, ann, victim, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_cmpint (docket_tags_open_recording (f->tags, sam, victim, "review", &error), ==, -1);
  /* Not one to see reads exactly like not there at all. */
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  {
    g_autofree gchar *expected
        = g_strdup_printf ("There is no recording %" G_GINT64_FORMAT " that you may see", victim);
    g_autoptr (GError) absent = NULL;
    g_autofree gchar *expected_absent = g_strdup_printf (
        "There is no recording %" G_GINT64_FORMAT " that you may see", victim + 1000);

    g_assert_cmpstr (error->message, ==, expected);
    g_assert_cmpint (docket_tags_open_recording (f->tags, sam, victim + 1000, "review", &absent),
                     ==, -1);
    g_assert_error (absent, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
    g_assert_cmpstr (absent->message, ==, expected_absent);
  }
  g_clear_error (&error);
  g_assert_cmpint (docket_tags_open_recording (f->tags, ivy, plain, "check", &error), ==, -1);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (docket_tags_open_recording (f->tags, bob, plain, "curious", &error), ==, -1);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* A sergeant viewing another officer's footage must say why. */
  g_assert_cmpint (docket_tags_open_recording (f->tags, sam, informant, "", &error), ==, -1);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  fd = docket_tags_open_recording (f->tags, sam, informant, "audit sample", &error);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_cmpuint (people_fixture_count_audit (f, "recording-viewed"), ==, 2);
}

static void
test_thumbnail (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DocketDatabase *db = docket_evidence_store_get_database (f->store);
  g_autofree gchar *png = g_build_filename (f->dir, "thumbnails", "t1.png", NULL);
  gint64 a1 = people_fixture_add_recording (f, "1234", T0, 0);
  gint64 a2 = people_fixture_add_recording (f, "1234", T0, 0);
  g_autofree gchar *sql = g_strdup_printf (
      "UPDATE recordings SET thumbnail = 'thumbnails/t1.png' WHERE id = %" G_GINT64_FORMAT ";"
      "UPDATE recordings SET thumbnail = 'thumbnails/../docket.db' WHERE id = %" G_GINT64_FORMAT,
      a1, a2);
  int fd;

  g_file_set_contents (png, "PNG", -1, &error);
  g_assert_no_error (error);
  g_assert_true (docket_database_exec (db, sql, &error));
  fd = docket_tags_open_thumbnail (f->tags, ann, a1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_cmpuint (people_fixture_count_audit (f, "thumbnail-viewed"), ==, 1);
  g_assert_cmpint (docket_tags_open_thumbnail (f->tags, bob, a1, &error), ==, -1);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_assert_cmpuint (people_fixture_count_audit (f, "thumbnail-viewed"), ==, 1);
  g_clear_error (&error);
  g_assert_cmpint (docket_tags_open_thumbnail (f->tags, ann, a2, &error), ==, -1);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
}

/* Damaged on the camera: the condition travels with the recording to the
 * officer's list and fills the sergeants' "damaged" queue. */
static void
test_review_damaged (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) queue = NULL;
  g_autoptr (GVariant) variant = NULL;
  const gchar *condition = NULL;
  const gchar *reason = NULL;
  guint total = 0;
  gint64 now = T0 + HOUR;
  gint64 sound = people_fixture_add_recording (f, "1234", T0, now);
  gint64 damaged = people_fixture_add_recording (f, "1234", T0 + SEC, now);

  g_assert_true (docket_evidence_store_set_deep_check (f->store, sound, "ok", NULL, &error));
  g_assert_true (docket_evidence_store_set_deep_check (
      f->store, damaged, "The picture is damaged: 3 errors", "damaged-picture", &error));
  g_assert_no_error (error);

  queue = docket_review_queue (f->review, sam, DOCKET_QUEUE_DAMAGED, NULL, 0, 10, now, &total,
                               &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpint (((DocketRecordingItem *)queue->pdata[0])->id, ==, damaged);
  variant = g_variant_ref_sink (docket_recording_item_to_variant (queue->pdata[0]));
  g_assert_true (g_variant_lookup (variant, "condition", "&s", &condition));
  g_assert_cmpstr (condition, ==, "damaged-picture");
  g_assert_true (g_variant_lookup (variant, "condition-reason", "&s", &reason));
  g_assert_cmpstr (reason, ==, "The picture is damaged: 3 errors");
  g_clear_pointer (&queue, g_ptr_array_unref);
  g_clear_pointer (&variant, g_variant_unref);

  /* The officer sees it too, in the list to tag; the sound one has no key. */
  queue = docket_tags_list_untagged (f->tags, ann, 0, 10, &total, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 2);
  for (guint i = 0; i < queue->len; i++)
    {
      DocketRecordingItem *item = queue->pdata[i];
      g_assert_cmpstr (item->condition, ==, item->id == damaged ? "damaged-picture" : NULL);
    }
}

static void
test_review_queues (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) queue = NULL;
  DocketReviewFilter filter = { 0 };
  guint total = 0;
  gint64 now = T0 + 100 * HOUR;
  gint64 old_a = people_fixture_add_recording (f, "1234", T0, T0);
  gint64 old_b = people_fixture_add_recording (f, "5678", T0 + SEC, T0);
  gint64 fresh = people_fixture_add_recording (f, "1234", T0 + 2 * SEC, now - HOUR);
  gint64 force = people_fixture_add_recording (f, "1234", T0 + 3 * SEC, T0);

  g_assert_true (docket_tags_tag (f->tags, ann, &force, 1, "use-of-force", "", "", &error));

  /* Past the 72 h deadline, untagged: old_a and old_b, not fresh. */
  queue = docket_review_queue (f->review, sam, DOCKET_QUEUE_OVERDUE, NULL, 0, 10, now, &total,
                               &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 2);
  g_assert_cmpint (((DocketRecordingItem *)queue->pdata[0])->id, ==, old_b);
  g_assert_cmpint (((DocketRecordingItem *)queue->pdata[1])->id, ==, old_a);
  g_clear_pointer (&queue, g_ptr_array_unref);
  filter.officer = "1234";
  queue = docket_review_queue (f->review, sam, DOCKET_QUEUE_OVERDUE, &filter, 0, 10, now, &total,
                               &error);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpint (((DocketRecordingItem *)queue->pdata[0])->id, ==, old_a);
  g_clear_pointer (&queue, g_ptr_array_unref);
  filter.officer = NULL;
  filter.from_usec = T0 + SEC;
  filter.to_usec = T0 + 2 * SEC;
  queue = docket_review_queue (f->review, sam, DOCKET_QUEUE_OVERDUE, &filter, 0, 10, now, &total,
                               &error);
  g_assert_cmpuint (total, ==, 1);
  g_clear_pointer (&queue, g_ptr_array_unref);
  g_assert_cmpint (fresh, >, 0);

  /* Use of force needs a supervisor. */
  queue
      = docket_review_queue (f->review, sam, DOCKET_QUEUE_REVIEW, NULL, 0, 10, now, &total, &error);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpint (((DocketRecordingItem *)queue->pdata[0])->id, ==, force);
  g_clear_pointer (&queue, g_ptr_array_unref);

  /* Officers and IT have no queues; unknown queues are refused. */
  g_assert_null (
      docket_review_queue (f->review, ann, DOCKET_QUEUE_REVIEW, NULL, 0, 10, now, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (
      docket_review_queue (f->review, sam, "everything", NULL, 0, 10, now, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);

  /* Return with a reason: back in the officer's list; approve empties the queue. */
  g_assert_false (docket_review_return (f->review, sam, force, "", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (docket_review_return (f->review, sam, force, "wrong case number", &error));
  queue = docket_tags_list_untagged (f->tags, ann, 0, 0, &total, NULL, &error);
  g_assert_cmpuint (total, ==, 3);
  g_clear_pointer (&queue, g_ptr_array_unref);
  g_assert_true (
      docket_tags_tag (f->tags, ann, &force, 1, "use-of-force", "24-000001", "", &error));
  g_assert_true (docket_review_approve (f->review, sam, force, NULL, &error));
  g_assert_no_error (error);
  queue
      = docket_review_queue (f->review, sam, DOCKET_QUEUE_REVIEW, NULL, 0, 10, now, &total, &error);
  g_assert_cmpuint (total, ==, 0);
  g_clear_pointer (&queue, g_ptr_array_unref);

  /* Correct an overdue one in place. */
  g_assert_true (docket_review_correct (f->review, sam, old_b, "arrest", "24-000002", "",
                                        "tagged"
                                        " for the officer, on leave",
                                        &error));
  g_assert_no_error (error);
  queue = docket_review_queue (f->review, sam, DOCKET_QUEUE_OVERDUE, NULL, 0, 10, now, &total,
                               &error);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpuint (people_fixture_count_audit (f, "review-returned"), ==, 1);
  g_assert_cmpuint (people_fixture_count_audit (f, "review-approved"), ==, 1);
  g_assert_cmpuint (people_fixture_count_audit (f, "recording-corrected"), ==, 1);
}

static void
test_deletion (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GPtrArray) queue = NULL;
  g_autoptr (DocketStoredRecording) rec = NULL;
  g_autofree gchar *path = NULL;
  g_autoptr (DocketRecordingItem) item = NULL;
  gint64 accident = people_fixture_add_recording (f, "1234", T0, 0);
  gint64 other = people_fixture_add_recording (f, "1234", T0 + SEC, 0);
  gint64 request;
  gint64 request2;
  guint total = 0;

  g_assert_cmpint (docket_review_request_deletion (f->review, bob, accident, "mine?", &error), ==,
                   0);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (docket_review_request_deletion (f->review, ann, accident, "", &error), ==, 0);
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  request = docket_review_request_deletion (f->review, ann, accident, "pocket recording", &error);
  g_assert_no_error (error);
  g_assert_cmpint (request, >, 0);
  g_assert_cmpint (docket_review_request_deletion (f->review, ann, accident, "again", &error), ==,
                   0);
  g_clear_error (&error);
  request2 = docket_review_request_deletion (f->review, ann, other, "bathroom", &error);

  queue = docket_review_queue (f->review, sam, DOCKET_QUEUE_DELETION, NULL, 0, 10, T0, &total,
                               &error);
  g_assert_cmpuint (total, ==, 2);
  g_assert_cmpint (((DocketRecordingItem *)queue->pdata[1])->request_id, ==, request);
  g_assert_cmpstr (((DocketRecordingItem *)queue->pdata[1])->request_reason, ==,
                   "pocket recording");
  g_clear_pointer (&queue, g_ptr_array_unref);

  /* Nothing is purged before a sergeant decides. */
  g_assert_cmpint (docket_review_purge_due (f->review, T0 + 1000 * HOUR, &error), ==, 0);
  g_assert_false (docket_review_decide_deletion (f->review, ann, request, TRUE, "ok", T0, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (
      docket_review_decide_deletion (f->review, sam, request, TRUE, "accidental", T0, &error));
  g_assert_true (
      docket_review_decide_deletion (f->review, sam, request2, TRUE, "accidental", T0, &error));
  g_assert_no_error (error);
  /* Deleted from view at once, but reversible within the 72 h grace. */
  g_assert_null (docket_tags_get_item (f->tags, ann, accident, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (
      docket_review_revert_deletion (f->review, sam, request2, "kept: shows the suspect", &error));
  g_assert_cmpint (docket_review_purge_due (f->review, T0 + 71 * HOUR, &error), ==, 0);
  rec = docket_evidence_store_get_recording (f->store, accident, &error);
  path = docket_evidence_store_get_object_path (f->store, rec->sha256);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (docket_review_purge_due (f->review, T0 + 73 * HOUR, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (docket_review_revert_deletion (f->review, sam, request, "too late", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);

  /* The reverted one is still there. */
  g_clear_pointer (&rec, docket_stored_recording_free);
  rec = docket_evidence_store_get_recording (f->store, other, &error);
  g_clear_pointer (&path, g_free);
  path = docket_evidence_store_get_object_path (f->store, rec->sha256);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  item = docket_tags_get_item (f->tags, ann, other, NULL);
  g_assert_nonnull (item);
  g_assert_cmpuint (people_fixture_count_audit (f, "deletion-requested"), ==, 2);
  g_assert_cmpuint (people_fixture_count_audit (f, "deletion-approved"), ==, 2);
  g_assert_cmpuint (people_fixture_count_audit (f, "deletion-reverted"), ==, 1);
  g_assert_cmpuint (people_fixture_count_audit (f, "recording-purged"), ==, 1);

  /* An approved, purged deletion is not a missing file to the auditor. */
  problems = docket_evidence_store_verify_files (f->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* What officers and sergeants see of each other's work: a returned tag keeps
 * its values and says who returned it; a recording waiting for a deletion
 * decision is not counted as left to tag; the audit sample is never empty
 * while tagged work waits; unowned footage goes to a sergeant's queue and
 * from there to an officer. */
static void
test_owners_and_returns (PeopleFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree gchar *name = NULL;
  DocketRecordingItem *item;
  guint total = 0;
  gint64 now = T0 + HOUR;
  gint64 force = people_fixture_add_recording (f, "1234", T0, T0);
  gint64 stop = people_fixture_add_recording (f, "1234", T0 + SEC, T0);
  gint64 pocket = people_fixture_add_recording (f, "1234", T0 + 2 * SEC, T0);
  gint64 orphan = people_fixture_add_recording (f, NULL, T0 + 3 * SEC, T0);

  g_assert_true (
      docket_people_add (f->people, "1234", "Ann Ray", DOCKET_ROLE_OFFICER, "1111", "it", &error));
  g_assert_true (
      docket_people_add (f->people, "S-9", "Sam Lee", DOCKET_ROLE_SERGEANT, "2222", "it", &error));
  g_assert_no_error (error);

  /* A traffic stop needs no review, but the first one is drawn for audit. */
  list
      = docket_review_queue (f->review, sam, DOCKET_QUEUE_SAMPLE, NULL, 0, 10, now, &total, &error);
  g_assert_cmpuint (total, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_true (docket_tags_tag (f->tags, ann, &stop, 1, "traffic-stop", "", "", &error));
  list
      = docket_review_queue (f->review, sam, DOCKET_QUEUE_SAMPLE, NULL, 0, 10, now, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 1);
  item = list->pdata[0];
  g_assert_cmpint (item->id, ==, stop);
  g_assert_cmpstr (item->officer_name, ==, "Ann Ray");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Returned: the values stay for the officer to correct, with who and why. */
  g_assert_true (
      docket_tags_tag (f->tags, ann, &force, 1, "use-of-force", "24-000123", "Bar fight", &error));
  g_assert_true (docket_review_return (f->review, sam, force, "Wrong case number", &error));
  list = docket_tags_list_untagged (f->tags, ann, 0, 0, &total, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 2);
  item = NULL;
  for (guint i = 0; i < list->len; i++)
    if (((DocketRecordingItem *)list->pdata[i])->id == force)
      item = list->pdata[i];
  g_assert_nonnull (item);
  g_assert_cmpstr (item->review_state, ==, DOCKET_REVIEW_RETURNED);
  g_assert_cmpstr (item->category, ==, "use-of-force");
  g_assert_cmpstr (item->case_number, ==, "24-000123");
  g_assert_cmpstr (item->note, ==, "Bar fight");
  g_assert_cmpstr (item->review_reason, ==, "Wrong case number");
  g_assert_cmpstr (item->reviewed_by, ==, "S-9");
  g_assert_cmpstr (item->reviewer_name, ==, "Sam Lee");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Waiting for a deletion decision: listed, not counted. */
  g_assert_cmpint (docket_review_request_deletion (f->review, ann, pocket, "Accidental", &error), >,
                   0);
  list = docket_tags_list_untagged (f->tags, ann, 0, 0, &total, NULL, &error);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Nobody's: in the sergeant's queue until assigned, then the officer's. */
  list = docket_review_queue (f->review, sam, DOCKET_QUEUE_UNOWNED, NULL, 0, 10, now, &total,
                              &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpint (((DocketRecordingItem *)list->pdata[0])->id, ==, orphan);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_false (
      docket_review_assign_owner (f->review, ann, orphan, "1234", "Mine", NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (docket_review_assign_owner (f->review, sam, orphan, "1234", "", NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (
      docket_review_assign_owner (f->review, sam, orphan, "999", "Pool camera", NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (docket_review_assign_owner (f->review, sam, orphan, "1234",
                                             "Pool camera, Ann's shift", &name, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "Ann Ray");
  g_assert_false (
      docket_review_assign_owner (f->review, sam, orphan, "1234", "Again", NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
  list = docket_review_queue (f->review, sam, DOCKET_QUEUE_UNOWNED, NULL, 0, 10, now, &total,
                              &error);
  g_assert_cmpuint (total, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = docket_tags_list_untagged (f->tags, ann, 0, 0, &total, NULL, &error);
  g_assert_cmpuint (total, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_cmpuint (people_fixture_count_audit (f, "recording-assigned"), ==, 1);

  /* The officer corrects her own tag until a sergeant approves it. */
  list = docket_tags_list_correctable (f->tags, ann, 0, 0, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpint (((DocketRecordingItem *)list->pdata[0])->id, ==, stop);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_true (docket_tags_tag (f->tags, ann, &stop, 1, "arrest", "24-000124", "", &error));
  g_assert_no_error (error);
  g_assert_true (docket_review_approve (f->review, sam, stop, "Watched", &error));
  list = docket_tags_list_correctable (f->tags, ann, 0, 0, &total, &error);
  g_assert_cmpuint (total, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_false (docket_tags_tag (f->tags, ann, &stop, 1, "traffic-stop", "", "", &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID);
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  ann = docket_person_new ("1234", "Ann Ray", DOCKET_ROLE_OFFICER);
  bob = docket_person_new ("5678", "Bob Diaz", DOCKET_ROLE_OFFICER);
  sam = docket_person_new ("S-9", "Sam Lee", DOCKET_ROLE_SERGEANT);
  ivy = docket_person_new ("42", "Ivy Chen", DOCKET_ROLE_IT);
  g_test_add_func ("/tags/group-incidents", test_group_incidents);
  g_test_add ("/tags/untagged-and-deadline", PeopleFixture, NULL, setup, test_untagged_and_deadline,
              people_fixture_teardown);
  g_test_add ("/tags/checks", PeopleFixture, NULL, setup, test_tag_checks, people_fixture_teardown);
  g_test_add ("/tags/need-to-know", PeopleFixture,
              "[station]\naudit-sample-percent=100\n"
              "[category:victim-interview]\nrestricted=true\nsergeant-access=false\n"
              "[category:informant]\nrestricted=true\nsergeant-access=true\n",
              setup, test_need_to_know, people_fixture_teardown);
  g_test_add ("/tags/thumbnail", PeopleFixture, NULL, setup, test_thumbnail,
              people_fixture_teardown);
  g_test_add ("/review/queues", PeopleFixture, "[station]\naudit-sample-percent=0\n", setup,
              test_review_queues, people_fixture_teardown);
  g_test_add ("/review/deletion", PeopleFixture, NULL, setup, test_deletion,
              people_fixture_teardown);
  g_test_add ("/review/owners-and-returns", PeopleFixture, NULL, setup, test_owners_and_returns,
              people_fixture_teardown);
  g_test_add ("/review/damaged", PeopleFixture, NULL, setup, test_review_damaged,
              people_fixture_teardown);
  rc = g_test_run ();
  docket_person_free (ann);
  docket_person_free (bob);
  docket_person_free (sam);
  docket_person_free (ivy);
  return rc;
}
