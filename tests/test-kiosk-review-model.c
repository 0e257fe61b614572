/* test-kiosk-review-model.c — review and IT view-models, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "docket-export-choice.h"
#include "docket-review-model.h"
#include "docket-station-summary.h"

static GVariant *
make_recording (gint64 id, const gchar *category, gboolean restricted, gint64 request_id)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "id", g_variant_new_int64 (id));
  g_variant_builder_add (&b, "{sv}", "start-usec",
                         g_variant_new_int64 ((gint64)1700000000 * G_USEC_PER_SEC));
  g_variant_builder_add (&b, "{sv}", "duration-ms", g_variant_new_uint64 (125400));
  g_variant_builder_add (&b, "{sv}", "officer", g_variant_new_string ("4711"));
  g_variant_builder_add (&b, "{sv}", "some-future-key", g_variant_new_uint32 (7));
  if (category != NULL)
    {
      g_variant_builder_add (&b, "{sv}", "category", g_variant_new_string (category));
      g_variant_builder_add (&b, "{sv}", "restricted", g_variant_new_boolean (restricted));
      g_variant_builder_add (&b, "{sv}", "case-number", g_variant_new_string ("2026-0042"));
    }
  if (request_id != 0)
    {
      g_variant_builder_add (&b, "{sv}", "request-id", g_variant_new_int64 (request_id));
      g_variant_builder_add (&b, "{sv}", "request-reason", g_variant_new_string ("pocket"));
      g_variant_builder_add (&b, "{sv}", "requested-by", g_variant_new_string ("4711"));
    }
  return g_variant_builder_end (&b);
}

static GVariant *
make_page (gint64 first_id, guint n, const gchar *category)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < n; i++)
    g_variant_builder_add_value (&b, make_recording (first_id + i, category, FALSE, 0));
  return g_variant_builder_end (&b);
}

static void
test_duration (void)
{
  g_autofree gchar *s = docket_review_format_duration (45000);
  g_autofree gchar *m = docket_review_format_duration (125400);
  g_autofree gchar *h = docket_review_format_duration (3780000);

  g_assert_cmpstr (s, ==, "45 s");
  g_assert_cmpstr (m, ==, "2 min 05 s");
  g_assert_cmpstr (h, ==, "1 h 03 min");
}

static void
test_item_wording (void)
{
  g_autoptr (DocketReviewItem) untagged
      = docket_review_item_new (make_recording (1, NULL, FALSE, 0));
  g_autoptr (DocketReviewItem) restricted
      = docket_review_item_new (make_recording (2, "use-of-force", TRUE, 0));
  g_autoptr (DocketReviewItem) deletion
      = docket_review_item_new (make_recording (3, "uncategorized", FALSE, 9));
  g_autofree gchar *s1 = docket_review_item_dup_subtitle (untagged);
  g_autofree gchar *s2 = docket_review_item_dup_subtitle (restricted);
  g_autofree gchar *s3 = docket_review_item_dup_subtitle (deletion);
  g_autofree gchar *s2b = NULL;
  g_autofree gchar *title = docket_review_item_dup_title (untagged);

  g_assert_cmpint (docket_review_item_get_id (untagged), ==, 1);
  g_assert_null (docket_review_item_get_category (untagged));
  g_assert_cmpstr (s1, ==, "Badge 4711 · Not tagged");
  /* Restricted is said in words, not only by an icon. */
  g_assert_true (docket_review_item_get_restricted (restricted));
  g_assert_cmpstr (s2, ==, "Badge 4711 · use-of-force (restricted) · Case 2026-0042");
  /* People read the category's name, not its id. */
  docket_review_item_set_category_label (restricted, "Use of force");
  s2b = docket_review_item_dup_subtitle (restricted);
  g_assert_cmpstr (s2b, ==, "Badge 4711 · Use of force (restricted) · Case 2026-0042");
  g_assert_cmpint (docket_review_item_get_request_id (deletion), ==, 9);
  g_assert_cmpstr (
      s3, ==, "Badge 4711 · uncategorized · Case 2026-0042 · Deletion asked by 4711: “pocket”");
  g_assert_true (g_str_has_suffix (title, " · 2 min 05 s"));
}

/* Two rows of one incident differ by camera; the officer is named, and
 * footage nobody owns says so. */
static void
test_item_names (void)
{
  g_autoptr (DocketReviewItem) named = docket_review_item_new (g_variant_new_parsed (
      "{'id': <%x>, 'start-usec': <%x>, 'duration-ms': <%t>, 'officer': <'4711'>,"
      " 'officer-name': <'Dana Scully'>, 'camera': <'SIM-0002'>, 'thumbnail': "
      "<'thumbnails/a.png'>}",
      (gint64)5, (gint64)1700000000000000, (guint64)125400));
  g_autoptr (DocketReviewItem) nobody
      = docket_review_item_new (g_variant_new_parsed ("{'id': <%x>, 'officer': <''>}", (gint64)6));
  g_autofree gchar *title = docket_review_item_dup_title (named);
  g_autofree gchar *subtitle = docket_review_item_dup_subtitle (named);
  g_autofree gchar *orphan = docket_review_item_dup_subtitle (nobody);

  g_assert_cmpstr (title, ==, "Tue 14 Nov, 22:13 · 2 min 05 s · SIM-0002");
  g_assert_cmpstr (subtitle, ==, "Dana Scully (4711) · Not tagged");
  g_assert_true (docket_review_item_has_thumbnail (named));
  g_assert_false (docket_review_item_has_thumbnail (nobody));
  g_assert_cmpstr (orphan, ==, "Nobody (no camera assignment) · Not tagged");
}

/* A single-digit day is not padded: no double space in the middle. */
static void
test_time_no_double_space (void)
{
  g_autofree gchar *seventh = docket_review_format_time ((gint64)1699315200 * G_USEC_PER_SEC);

  g_assert_cmpstr (seventh, ==, "Tue 7 Nov, 00:00");
}

/* A recording the camera recorded damaged says so in the queue's row. */
static void
test_item_damaged (void)
{
  g_autoptr (GVariant) base = g_variant_ref_sink (make_recording (4, NULL, FALSE, 0));
  g_autoptr (GVariantDict) dict = g_variant_dict_new (base);
  g_autoptr (DocketReviewItem) item = NULL;
  g_autofree gchar *subtitle = NULL;

  g_variant_dict_insert (dict, "condition", "s", "incomplete-on-camera");
  g_variant_dict_insert (dict, "condition-reason", "s",
                         "The video was cut short at 60 %: the index is missing");
  item = docket_review_item_new (g_variant_dict_end (dict));
  subtitle = docket_review_item_dup_subtitle (item);
  g_assert_cmpstr (subtitle, ==,
                   "Badge 4711 · Not tagged · Damaged on the camera: The video was cut short at "
                   "60 %: the index is missing");
}

static void
test_model_paging (void)
{
  g_autoptr (DocketReviewModel) model = docket_review_model_new ();
  g_autoptr (GVariant) first = g_variant_ref_sink (make_page (100, 3, NULL));
  g_autoptr (GVariant) second = g_variant_ref_sink (make_page (200, 2, NULL));
  g_autoptr (DocketReviewItem) item = NULL;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == DOCKET_TYPE_REVIEW_ITEM);
  g_assert_false (docket_paged_model_get_has_more (DOCKET_PAGED_MODEL (model)));
  /* Without a session, nothing loads and nothing breaks. */
  docket_review_model_set_queue (model, "overdue");
  docket_paged_model_reload (DOCKET_PAGED_MODEL (model));
  g_assert_false (docket_paged_model_get_loading (DOCKET_PAGED_MODEL (model)));

  docket_paged_model_append_page (DOCKET_PAGED_MODEL (model), first, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  g_assert_cmpuint (docket_paged_model_get_total (DOCKET_PAGED_MODEL (model)), ==, 5);
  g_assert_true (docket_paged_model_get_has_more (DOCKET_PAGED_MODEL (model)));
  docket_paged_model_append_page (DOCKET_PAGED_MODEL (model), second, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
  g_assert_false (docket_paged_model_get_has_more (DOCKET_PAGED_MODEL (model)));
  item = g_list_model_get_item (G_LIST_MODEL (model), 3);
  g_assert_cmpint (docket_review_item_get_id (item), ==, 200);

  /* Acting on a row removes it and counts it off. */
  docket_review_model_remove_id (model, 101);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);
  g_assert_cmpuint (docket_paged_model_get_total (DOCKET_PAGED_MODEL (model)), ==, 4);
  docket_review_model_remove_id (model, 999);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);

  /* A reload starts from nothing. */
  docket_paged_model_reload (DOCKET_PAGED_MODEL (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_cmpuint (docket_paged_model_get_total (DOCKET_PAGED_MODEL (model)), ==, 0);
}

static void
count_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

/* Rows drawn before GetCategories answered show the bare id; the labels
 * then reach the items held, which notify, and those loaded later. */
static void
test_category_labels_late (void)
{
  g_autoptr (DocketReviewModel) model = docket_review_model_new ();
  g_autoptr (GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GVariant) first = g_variant_ref_sink (make_page (1, 1, "traffic-stop"));
  g_autoptr (GVariant) second = g_variant_ref_sink (make_page (2, 1, "traffic-stop"));
  g_autoptr (DocketReviewItem) item = NULL;
  g_autoptr (DocketReviewItem) later = NULL;
  g_autofree gchar *before = NULL;
  g_autofree gchar *after = NULL;
  g_autofree gchar *later_subtitle = NULL;
  guint notified = 0;

  docket_paged_model_append_page (DOCKET_PAGED_MODEL (model), first, 2);
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  before = docket_review_item_dup_subtitle (item);
  g_assert_nonnull (strstr (before, "traffic-stop"));
  g_signal_connect (item, "notify::category-label", G_CALLBACK (count_notify), &notified);

  g_hash_table_insert (labels, (gpointer) "traffic-stop", (gpointer) "Control de tráfico");
  docket_review_model_set_category_labels (model, labels);
  g_assert_cmpuint (notified, ==, 1);
  after = docket_review_item_dup_subtitle (item);
  g_assert_nonnull (strstr (after, "Control de tráfico"));
  g_assert_null (strstr (after, "traffic-stop"));
  /* The same labels again: nothing to redraw. */
  docket_review_model_set_category_labels (model, labels);
  g_assert_cmpuint (notified, ==, 1);

  docket_paged_model_append_page (DOCKET_PAGED_MODEL (model), second, 2);
  later = g_list_model_get_item (G_LIST_MODEL (model), 1);
  later_subtitle = docket_review_item_dup_subtitle (later);
  g_assert_nonnull (strstr (later_subtitle, "Control de tráfico"));
}

static void
test_filters (void)
{
  g_autoptr (GVariant) none
      = g_variant_ref_sink (docket_review_filters_to_variant ("", NULL, 0, 0));
  g_autoptr (GVariant) all
      = g_variant_ref_sink (docket_review_filters_to_variant ("4711", "use-of-force", 10, 20));
  gint64 from = -1, to = -1;
  gint64 now = g_get_real_time ();

  g_assert_cmpuint (g_variant_n_children (none), ==, 0);
  g_assert_cmpuint (g_variant_n_children (all), ==, 4);
  g_assert_true (g_variant_lookup (all, "officer", "&s", NULL));

  docket_review_period_range (DOCKET_REVIEW_PERIOD_ANY, now, &from, &to);
  g_assert_cmpint (from, ==, 0);
  g_assert_cmpint (to, ==, 0);
  docket_review_period_range (DOCKET_REVIEW_PERIOD_TODAY, now, &from, &to);
  g_assert_cmpint (from, <=, now);
  g_assert_cmpint (now - from, <, (gint64)25 * 3600 * G_USEC_PER_SEC);
  g_assert_cmpint (to, >, now);
  docket_review_period_range (DOCKET_REVIEW_PERIOD_WEEK, now, &from, &to);
  g_assert_cmpint (now - from, >=,
                   (gint64)6 * 24 * 3600 * G_USEC_PER_SEC - (gint64)3600 * G_USEC_PER_SEC);
  g_assert_cmpint (now - from, <, (gint64)8 * 24 * 3600 * G_USEC_PER_SEC);
}

static void
test_station_status (void)
{
  GVariantBuilder b, errors;
  g_autoptr (DocketStationSummary) status = NULL;
  g_autoptr (DocketStationSummary) empty = NULL;
  g_autofree gchar *storage = NULL;
  g_autofree gchar *free_text = NULL;
  g_autofree gchar *subtitle = NULL;

  g_variant_builder_init (&errors, G_VARIANT_TYPE ("a(xss)"));
  g_variant_builder_add (&errors, "(xss)", (gint64)1700000000 * G_USEC_PER_SEC, "X6001234",
                         "Hash mismatch");
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "version", g_variant_new_string ("1.2.3"));
  g_variant_builder_add (&b, "{sv}", "cameras-known", g_variant_new_uint32 (4));
  g_variant_builder_add (&b, "{sv}", "recordings", g_variant_new_uint32 (40));
  g_variant_builder_add (&b, "{sv}", "store-free-bytes", g_variant_new_uint64 (50000000000));
  g_variant_builder_add (&b, "{sv}", "store-total-bytes", g_variant_new_uint64 (1000000000000));
  g_variant_builder_add (&b, "{sv}", "recent-errors", g_variant_builder_end (&errors));
  status = docket_station_summary_new (g_variant_builder_end (&b));

  g_assert_cmpstr (status->version, ==, "1.2.3");
  g_assert_cmpuint (status->cameras_known, ==, 4);
  g_assert_cmpuint (status->recordings, ==, 40);
  storage = docket_station_summary_dup_storage (status);
  g_assert_cmpstr (storage, ==, "950.0\xc2\xa0GB used of 1.0\xc2\xa0TB");
  free_text = docket_station_summary_dup_free (status);
  g_assert_cmpstr (free_text, ==, "50.0\xc2\xa0GB free");
  g_assert_cmpfloat_with_epsilon (docket_station_summary_used_fraction (status), 0.95, 1e-9);
  g_assert_true (docket_station_summary_low_space (status));
  g_assert_cmpuint (status->errors->len, ==, 1);
  subtitle = docket_station_problem_dup_subtitle (g_ptr_array_index (status->errors, 0));
  g_assert_true (g_str_has_prefix (subtitle, "Camera X6001234 · "));

  /* A daemon that says nothing yields zeros, not a crash. */
  empty = docket_station_summary_new (g_variant_new ("a{sv}", NULL));
  g_assert_null (empty->version);
  g_assert_cmpfloat (docket_station_summary_used_fraction (empty), ==, 0.0);
  g_assert_false (docket_station_summary_low_space (empty));
  g_assert_cmpuint (empty->errors->len, ==, 0);
}

/* Only what docketd accepts as removable media is offered, each once. */
static void
test_export_destinations (void)
{
  const gchar *const mounts[] = { "/",
                                  "/media",
                                  "/media/",
                                  "/run/media",
                                  "/home",
                                  "/media/EVIDENCE",
                                  "/mnt/usb",
                                  "/run/media/kiosk/CASE 12",
                                  "/media/../etc",
                                  "/media/EVIDENCE/",
                                  "/run/mediafoo",
                                  NULL };
  const gchar *const expected[] = { "/media/EVIDENCE", "/run/media/kiosk/CASE 12", NULL };
  g_auto (GStrv) found = docket_export_removable_destinations (mounts);
  g_auto (GStrv) none = docket_export_removable_destinations (NULL);
  g_auto (GStrv) system = docket_export_list_mount_points ();

  g_assert_cmpstrv (found, expected);
  g_assert_cmpstrv (none, ((const gchar *const[]){ NULL }));
  g_assert_true (g_strv_contains ((const gchar *const *)system, "/"));
  g_assert_nonnull (docket_export_reason_presets ()[0]);
}

static void
test_export_summary (void)
{
  g_autofree gchar *one = docket_export_describe_package (1, 1, 5);
  g_autofree gchar *many = docket_export_describe_package (3, 42, 1234567890);

  g_assert_cmpstr (one, ==, "1 recording, 1 file, 5 bytes");
  g_assert_cmpstr (many, ==, "3 recordings, 42 files, 1.2\u00a0GB (1234567890 bytes)");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/review/duration", test_duration);
  g_test_add_func ("/kiosk/review/item-wording", test_item_wording);
  g_test_add_func ("/kiosk/review/item-names", test_item_names);
  g_test_add_func ("/kiosk/review/time-no-double-space", test_time_no_double_space);
  g_test_add_func ("/kiosk/review/item-damaged", test_item_damaged);
  g_test_add_func ("/kiosk/review/model-paging", test_model_paging);
  g_test_add_func ("/kiosk/review/category-labels-late", test_category_labels_late);
  g_test_add_func ("/kiosk/review/filters", test_filters);
  g_test_add_func ("/kiosk/it/station-status", test_station_status);
  g_test_add_func ("/kiosk/export/destinations", test_export_destinations);
  g_test_add_func ("/kiosk/export/summary", test_export_summary);
  return g_test_run ();
}
