/* test-kiosk-tagging.c — the tagging page's view-models, without GTK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "docket-deletion-reason.h"
#include "docket-incident-list.h"
#include "docket-role-page.h"
#include "docket-tag-form.h"

static GVariant *
recording (gint64 id, gint64 start_usec, guint64 duration_ms, const gchar *thumbnail)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "id", "x", id);
  g_variant_dict_insert (&dict, "start-usec", "x", start_usec);
  g_variant_dict_insert (&dict, "duration-ms", "t", duration_ms);
  g_variant_dict_insert (&dict, "name", "s", "VID_0001.mp4");
  if (thumbnail != NULL)
    g_variant_dict_insert (&dict, "thumbnail", "s", thumbnail);
  return g_variant_dict_end (&dict);
}

/* An incident of @n recordings, ids from @first_id, each 45 s long. */
static GVariant *
incident (gint64 first_id, guint n, gint64 start_usec)
{
  GVariantBuilder recordings;
  GVariantBuilder ids;
  GVariantDict dict;

  g_variant_builder_init (&recordings, G_VARIANT_TYPE ("aa{sv}"));
  g_variant_builder_init (&ids, G_VARIANT_TYPE ("ax"));
  for (guint i = 0; i < n; i++)
    {
      /* Only the second recording has a thumbnail. */
      g_variant_builder_add_value (
          &recordings, recording (first_id + i, start_usec, 45000, i == 1 ? "thumbs/1.png" : NULL));
      g_variant_builder_add (&ids, "x", first_id + i);
    }
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "start-usec", "x", start_usec);
  g_variant_dict_insert (&dict, "end-usec", "x", start_usec + 45 * G_USEC_PER_SEC);
  g_variant_dict_insert_value (&dict, "ids", g_variant_builder_end (&ids));
  g_variant_dict_insert_value (&dict, "recordings", g_variant_builder_end (&recordings));
  return g_variant_dict_end (&dict);
}

static GVariant *
page (gint64 first_id, guint n_incidents)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < n_incidents; i++)
    g_variant_builder_add_value (&builder, incident (first_id + 10 * i, 2, 1700000000000000));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static void
test_case_number (void)
{
  const gchar *format = "[0-9]{4}-[0-9]{5}";

  g_assert_true (docket_case_number_is_valid (format, "2026-00123"));
  g_assert_true (docket_case_number_is_valid (format, ""));
  g_assert_true (docket_case_number_is_valid (format, NULL));
  g_assert_false (docket_case_number_is_valid (format, "2026-123"));
  /* The whole number must match, not a part of it. */
  g_assert_false (docket_case_number_is_valid (format, "x2026-00123"));
  g_assert_false (docket_case_number_is_valid (format, "2026-001234"));
  g_assert_false (docket_case_number_is_valid ("a|b", "ab"));
  g_assert_true (docket_case_number_is_valid ("a|b", "b"));
  /* No format, or a broken one: the daemon decides. */
  g_assert_true (docket_case_number_is_valid ("", "anything"));
  g_assert_true (docket_case_number_is_valid ("(", "anything"));
}

static GVariant *
categories (void)
{
  GVariantBuilder builder;
  GVariantDict dict;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "id", "s", "uncategorized");
  g_variant_dict_insert (&dict, "label", "s", "Uncategorized");
  g_variant_dict_insert (&dict, "restricted", "b", FALSE);
  g_variant_builder_add_value (&builder, g_variant_dict_end (&dict));
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "id", "s", "sexual-assault");
  g_variant_dict_insert (&dict, "label", "s", "Sexual assault");
  g_variant_dict_insert (&dict, "restricted", "b", TRUE);
  g_variant_builder_add_value (&builder, g_variant_dict_end (&dict));
  /* No label: the id stands in. No id: skipped. */
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "id", "s", "traffic");
  g_variant_builder_add_value (&builder, g_variant_dict_end (&dict));
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "label", "s", "Broken");
  g_variant_builder_add_value (&builder, g_variant_dict_end (&dict));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static void
count_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
test_tag_form (void)
{
  g_autoptr (DocketTagForm) form = docket_tag_form_new ();
  g_autoptr (GVariant) list = categories ();
  g_autofree gchar *long_note = g_strnfill (DOCKET_TAG_NOTE_MAX_CHARS + 1, 'n');
  guint can_submit_changes = 0;

  /* Nothing to choose from yet: nothing to submit. */
  g_assert_false (docket_tag_form_get_can_submit (form));

  docket_tag_form_set_categories (form, list);
  g_assert_cmpuint (docket_tag_form_get_n_categories (form), ==, 3);
  g_assert_cmpstr (docket_tag_form_get_category (form), ==, "uncategorized");
  g_assert_cmpstr (docket_tag_form_get_category_label (form, 1), ==, "Sexual assault");
  g_assert_true (docket_tag_form_get_category_restricted (form, 1));
  g_assert_false (docket_tag_form_get_category_restricted (form, 0));
  g_assert_cmpstr (docket_tag_form_get_category_label (form, 2), ==, "traffic");
  g_assert_true (docket_tag_form_get_can_submit (form));

  g_signal_connect (form, "notify::can-submit", G_CALLBACK (count_notify), &can_submit_changes);
  docket_tag_form_set_case_number_format (form, "[0-9]{4}-[0-9]{5}");
  docket_tag_form_set_case_number (form, "2026-12");
  g_assert_false (docket_tag_form_get_can_submit (form));
  g_assert_cmpstr (docket_tag_form_get_case_number_error (form), !=, "");
  g_assert_cmpuint (can_submit_changes, ==, 1);

  /* Surrounding blanks are not the officer's mistake. */
  docket_tag_form_set_case_number (form, " 2026-12345 ");
  g_assert_cmpstr (docket_tag_form_get_case_number (form), ==, "2026-12345");
  g_assert_cmpstr (docket_tag_form_get_case_number_error (form), ==, "");
  g_assert_true (docket_tag_form_get_can_submit (form));
  g_assert_cmpuint (can_submit_changes, ==, 2);

  docket_tag_form_set_note (form, long_note);
  g_assert_cmpstr (docket_tag_form_get_note_error (form), !=, "");
  g_assert_false (docket_tag_form_get_can_submit (form));
  long_note[DOCKET_TAG_NOTE_MAX_CHARS] = '\0';
  docket_tag_form_set_note (form, long_note);
  g_assert_cmpstr (docket_tag_form_get_note_error (form), ==, "");
  g_assert_true (docket_tag_form_get_can_submit (form));

  docket_tag_form_select_category (form, "sexual-assault");
  g_assert_cmpstr (docket_tag_form_get_category (form), ==, "sexual-assault");

  docket_tag_form_reset (form);
  g_assert_cmpstr (docket_tag_form_get_category (form), ==, "uncategorized");
  g_assert_cmpstr (docket_tag_form_get_case_number (form), ==, "");
  g_assert_cmpstr (docket_tag_form_get_note (form), ==, "");
}

static void
test_incident (void)
{
  g_autoptr (GVariant) dict = g_variant_ref_sink (incident (100, 3, 1700000000000000));
  g_autoptr (DocketIncident) item = docket_incident_new_from_variant (dict);
  g_autoptr (GVariant) empty = NULL;
  g_autoptr (DocketIncident) none = NULL;
  GVariantDict builder;
  const gint64 *ids;
  guint n_ids = 0;

  g_assert_nonnull (item);
  g_assert_cmpuint (docket_incident_get_n_recordings (item), ==, 3);
  ids = docket_incident_get_ids (item, &n_ids);
  g_assert_cmpuint (n_ids, ==, 3);
  g_assert_cmpint (ids[0], ==, 100);
  g_assert_cmpint (ids[2], ==, 102);
  g_assert_cmpint (docket_incident_get_thumbnail_id (item), ==, 101);
  g_assert_cmpint (docket_incident_get_start_usec (item), ==, 1700000000000000);
  /* 3 × 45 s */
  g_assert_cmpstr (docket_incident_get_subtitle (item), ==, "3 recordings · 2 min 15 s");
  g_assert_nonnull (docket_incident_get_title (item));

  g_variant_dict_init (&builder, NULL);
  g_variant_dict_insert (&builder, "start-usec", "x", G_GINT64_CONSTANT (1));
  empty = g_variant_ref_sink (g_variant_dict_end (&builder));
  none = docket_incident_new_from_variant (empty);
  g_assert_null (none);
}

/* A recording whose deletion the officer asked for waits for a sergeant:
 * shown, but not tagged with the rest of its incident. */
static void
test_incident_waiting_for_deletion (void)
{
  GVariantBuilder recordings;
  GVariantDict dict;
  g_autoptr (GVariant) waiting = NULL;
  g_autoptr (GVariant) variant = NULL;
  g_autoptr (DocketIncident) item = NULL;
  g_autoptr (DocketIncident) all_waiting = NULL;
  const gint64 *ids;
  guint n_ids = 0;

  g_variant_dict_init (&dict, recording (201, 1700000000000000, 45000, NULL));
  g_variant_dict_insert (&dict, "deletion-requested", "b", TRUE);
  waiting = g_variant_ref_sink (g_variant_dict_end (&dict));
  g_assert_true (docket_recording_is_deletion_requested (waiting));

  g_variant_builder_init (&recordings, G_VARIANT_TYPE ("aa{sv}"));
  g_variant_builder_add_value (&recordings, recording (200, 1700000000000000, 45000, NULL));
  g_variant_builder_add_value (&recordings, waiting);
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "start-usec", "x", G_GINT64_CONSTANT (1700000000000000));
  g_variant_dict_insert_value (&dict, "recordings", g_variant_builder_end (&recordings));
  variant = g_variant_ref_sink (g_variant_dict_end (&dict));
  item = docket_incident_new_from_variant (variant);
  g_assert_false (docket_recording_is_deletion_requested (docket_incident_get_recording (item, 0)));
  g_assert_cmpuint (docket_incident_get_n_recordings (item), ==, 2);
  g_assert_cmpuint (docket_incident_get_n_waiting (item), ==, 1);
  ids = docket_incident_get_ids (item, &n_ids);
  g_assert_cmpuint (n_ids, ==, 1);
  g_assert_cmpint (ids[0], ==, 200);
  g_assert_cmpstr (docket_incident_get_subtitle (item), ==,
                   "2 recordings · 1 min 30 s · 1 waiting for deletion");

  /* Nothing left to tag: the incident still shows, with no ids. */
  g_variant_builder_init (&recordings, G_VARIANT_TYPE ("aa{sv}"));
  g_variant_builder_add_value (&recordings, waiting);
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert_value (&dict, "recordings", g_variant_builder_end (&recordings));
  g_clear_pointer (&variant, g_variant_unref);
  variant = g_variant_ref_sink (g_variant_dict_end (&dict));
  all_waiting = docket_incident_new_from_variant (variant);
  g_assert_nonnull (all_waiting);
  docket_incident_get_ids (all_waiting, &n_ids);
  g_assert_cmpuint (n_ids, ==, 0);
}

static void
test_deletion_reason (void)
{
  const gchar *const *presets = docket_deletion_reason_presets ();
  g_autofree gchar *both = docket_deletion_reason_compose (presets[0], "  pocket, at lunch ");
  g_autofree gchar *preset = docket_deletion_reason_compose (presets[0], "   ");
  g_autofree gchar *words = docket_deletion_reason_compose (NULL, " dropped it ");
  g_autofree gchar *blank = docket_deletion_reason_compose (" ", "\t");
  g_autofree gchar *none = docket_deletion_reason_compose (NULL, NULL);

  g_assert_cmpstr (presets[0], ==, "Accidental recording");
  g_assert_cmpuint (g_strv_length ((gchar **)presets), >=, 3);
  g_assert_cmpstr (both, ==, "Accidental recording: pocket, at lunch");
  g_assert_cmpstr (preset, ==, "Accidental recording");
  g_assert_cmpstr (words, ==, "dropped it");
  /* The daemon refuses a request without a reason: so does the dialog. */
  g_assert_null (blank);
  g_assert_null (none);
}

static void
test_durations (void)
{
  g_autofree gchar *seconds = docket_format_duration (9400);
  g_autofree gchar *minutes = docket_format_duration (61000);
  g_autofree gchar *hours = docket_format_duration (3725000);

  g_assert_cmpstr (seconds, ==, "9 s");
  g_assert_cmpstr (minutes, ==, "1 min 1 s");
  g_assert_cmpstr (hours, ==, "1 h 2 min");
}

/* Dialogs name one recording by time, length and camera. */
static void
test_recording_title (void)
{
  /* Tue 5 March 2024, 09:02:00 UTC: a single-digit day, no padding. */
  g_autoptr (GVariant) with_camera = g_variant_ref_sink (g_variant_new_parsed (
      "{'id': <int64 7>, 'start-usec': <int64 1709629320000000>, 'duration-ms': <uint64 65000>, "
      "'camera': <'SIM-0001'>}"));
  g_autoptr (GVariant) without = g_variant_ref_sink (g_variant_new_parsed (
      "{'id': <int64 8>, 'start-usec': <int64 1709629320000000>, 'duration-ms': <uint64 2000>}"));
  g_autofree gchar *title = docket_recording_dup_title (with_camera);
  g_autofree gchar *bare = docket_recording_dup_title (without);

  g_assert_cmpstr (title, ==, "Tue 5 Mar, 09:02 · 1 min 5 s · SIM-0001");
  g_assert_cmpstr (bare, ==, "Tue 5 Mar, 09:02 · 2 s");
  g_assert_null (strstr (title, "  "));
}

typedef struct
{
  guint position, removed, added, calls;
} Changed;

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, Changed *c)
{
  c->position = position;
  c->removed = removed;
  c->added = added;
  c->calls++;
}

static void
test_incident_list_pages (void)
{
  g_autoptr (DocketIncidentList) list = docket_incident_list_new (NULL);
  g_autoptr (GVariant) first = page (1, DOCKET_INCIDENT_LIST_PAGE);
  g_autoptr (GVariant) second = page (1000, 3);
  g_autoptr (DocketIncident) item = NULL;
  Changed changed = { 0 };

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == DOCKET_TYPE_INCIDENT);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &changed);
  docket_incident_list_add_page (list, 0, first, DOCKET_INCIDENT_LIST_PAGE + 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, DOCKET_INCIDENT_LIST_PAGE);
  g_assert_cmpuint (changed.added, ==, DOCKET_INCIDENT_LIST_PAGE);
  g_assert_true (docket_paged_model_get_has_more (DOCKET_PAGED_MODEL (list)));

  /* A page that answers an older request is dropped, not duplicated. */
  docket_incident_list_add_page (list, 0, first, DOCKET_INCIDENT_LIST_PAGE + 3);
  g_assert_cmpuint (changed.calls, ==, 1);

  docket_incident_list_add_page (list, DOCKET_INCIDENT_LIST_PAGE, second,
                                 DOCKET_INCIDENT_LIST_PAGE + 3);
  g_assert_cmpuint (changed.position, ==, DOCKET_INCIDENT_LIST_PAGE);
  g_assert_cmpuint (changed.added, ==, 3);
  g_assert_false (docket_paged_model_get_has_more (DOCKET_PAGED_MODEL (list)));
  item = g_list_model_get_item (G_LIST_MODEL (list), DOCKET_INCIDENT_LIST_PAGE);
  g_assert_cmpint (docket_incident_get_ids (item, NULL)[0], ==, 1000);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), DOCKET_INCIDENT_LIST_PAGE + 3));

  /* Without a session, reload just empties it. */
  docket_paged_model_reload (DOCKET_PAGED_MODEL (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_cmpuint (changed.removed, ==, DOCKET_INCIDENT_LIST_PAGE + 3);
  g_assert_false (docket_paged_model_get_loading (DOCKET_PAGED_MODEL (list)));
}

static void
test_incident_list_summary (void)
{
  g_autoptr (DocketIncidentList) list = docket_incident_list_new (NULL);
  gint64 soon = g_get_real_time () + 2 * G_TIME_SPAN_DAY;
  gint64 past = g_get_real_time () - G_TIME_SPAN_DAY;
  guint notified = 0;

  g_assert_cmpstr (docket_incident_list_get_summary (list), ==, "Nothing left to tag");
  g_signal_connect (list, "notify::summary", G_CALLBACK (count_notify), &notified);

  docket_incident_list_set_counts (list, 1, 0);
  g_assert_cmpstr (docket_incident_list_get_summary (list), ==, "1 recording left to tag");
  g_assert_cmpuint (notified, ==, 1);

  docket_incident_list_set_counts (list, 5, soon);
  g_assert_true (g_str_has_prefix (docket_incident_list_get_summary (list),
                                   "5 recordings left to tag · tag by "));
  g_assert_cmpint (docket_incident_list_get_deadline_usec (list), ==, soon);

  docket_incident_list_set_counts (list, 5, past);
  g_assert_true (g_str_has_prefix (docket_incident_list_get_summary (list),
                                   "5 recordings left to tag · overdue since "));
  g_assert_cmpuint (docket_incident_list_get_recordings_left (list), ==, 5);
}

static void
test_role_pages (void)
{
  g_assert_cmpstr (docket_role_page_name ("officer"), ==, "tagging");
  g_assert_cmpstr (docket_role_page_name ("sergeant"), ==, "review");
  g_assert_cmpstr (docket_role_page_name ("it"), ==, "it");
  g_assert_null (docket_role_page_name ("admin"));
  g_assert_null (docket_role_page_name (NULL));
}

/* A returned tag says who sent it back and why, and keeps its values. */
static void
test_incident_returned (void)
{
  g_autoptr (GVariant) plain = g_variant_ref_sink (incident (1, 2, 1700000000000000));
  g_autoptr (DocketIncident) untouched = docket_incident_new_from_variant (plain);
  g_autoptr (GVariant) returned = g_variant_ref_sink (g_variant_new_parsed (
      "{'start-usec': <%x>, 'end-usec': <%x>, 'ids': <[@x 7]>, 'recordings': <[{'id': <@x 7>,"
      " 'start-usec': <%x>, 'duration-ms': <@t 45000>, 'category': <'use-of-force'>,"
      " 'case-number': <'24-000123'>, 'review-state': <'returned'>,"
      " 'review-reason': <'Wrong case number'>, 'reviewed-by': <'2001'>,"
      " 'reviewer-name': <'Walter Skinner'>}]>}",
      (gint64)1700000000000000, (gint64)1700000045000000, (gint64)1700000000000000));
  g_autoptr (DocketIncident) back = docket_incident_new_from_variant (returned);
  GVariant *recording;
  g_autofree gchar *message = NULL;
  const gchar *case_number = NULL;

  g_assert_null (docket_incident_get_returned (untouched));
  recording = docket_incident_get_returned (back);
  g_assert_nonnull (recording);
  message = docket_returned_dup_message (recording);
  g_assert_cmpstr (message, ==, "Returned by Sgt. Walter Skinner: Wrong case number");
  g_assert_true (g_variant_lookup (recording, "case-number", "&s", &case_number));
  g_assert_cmpstr (case_number, ==, "24-000123");
}

/* The policy's label in the kiosk's language, else its default. */
static void
test_category_labels (void)
{
  const gchar *const spanish[] = { "es_ES.UTF-8", "es_ES", "es", "C", NULL };
  const gchar *const brazilian[] = { "pt_BR", "pt", "C", NULL };
  const gchar *const english[] = { "en_GB", "en", "C", NULL };
  g_autoptr (GVariant) traffic = g_variant_ref_sink (
      g_variant_new_parsed ("{'id': <'traffic-stop'>, 'label': <'Traffic stop'>, "
                            "'labels': <{'es': 'Control de tráfico', 'pt': 'Blitz'}>}"));
  g_autoptr (GVariant) plain
      = g_variant_ref_sink (g_variant_new_parsed ("{'id': <'arrest'>, 'label': <'Arrest'>}"));
  g_autoptr (GVariant) bare = g_variant_ref_sink (g_variant_new_parsed ("{'id': <'x-1'>}"));
  g_autoptr (GVariant) categories = g_variant_ref_sink (
      g_variant_new_parsed ("[{'id': <'traffic-stop'>, 'label': <'Traffic stop'>, "
                            "'labels': <{'es': 'Control de tráfico'}>}]"));
  g_autoptr (DocketTagForm) form = docket_tag_form_new ();

  g_assert_cmpstr (docket_category_label (traffic, spanish), ==, "Control de tráfico");
  g_assert_cmpstr (docket_category_label (traffic, brazilian), ==, "Blitz");
  g_assert_cmpstr (docket_category_label (traffic, english), ==, "Traffic stop");
  g_assert_cmpstr (docket_category_label (traffic, NULL), ==, "Traffic stop");
  g_assert_cmpstr (docket_category_label (plain, spanish), ==, "Arrest");
  g_assert_cmpstr (docket_category_label (bare, spanish), ==, "x-1");

  /* The form takes the process's languages. */
  g_setenv ("LANGUAGE", "es", TRUE);
  docket_tag_form_set_categories (form, categories);
  g_assert_cmpstr (docket_tag_form_get_category_label (form, 0), ==, "Control de tráfico");
  g_unsetenv ("LANGUAGE");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk-tagging/case-number", test_case_number);
  g_test_add_func ("/kiosk-tagging/tag-form", test_tag_form);
  g_test_add_func ("/kiosk-tagging/category-labels", test_category_labels);
  g_test_add_func ("/kiosk-tagging/incident", test_incident);
  g_test_add_func ("/kiosk-tagging/incident-returned", test_incident_returned);
  g_test_add_func ("/kiosk-tagging/incident-waiting-for-deletion",
                   test_incident_waiting_for_deletion);
  g_test_add_func ("/kiosk-tagging/deletion-reason", test_deletion_reason);
  g_test_add_func ("/kiosk-tagging/durations", test_durations);
  g_test_add_func ("/kiosk-tagging/recording-title", test_recording_title);
  g_test_add_func ("/kiosk-tagging/incident-list-pages", test_incident_list_pages);
  g_test_add_func ("/kiosk-tagging/incident-list-summary", test_incident_list_summary);
  g_test_add_func ("/kiosk-tagging/role-pages", test_role_pages);
  return g_test_run ();
}
