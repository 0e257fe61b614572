/* test-kiosk-paged-model.c — DocketPagedModel against a page source the test answers by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-paged-model.h"

#define PAGE_SIZE 3

/* A subclass whose fetches wait in a queue until the test answers them. */
#define TEST_TYPE_PAGED (test_paged_get_type ())
G_DECLARE_FINAL_TYPE (TestPaged, test_paged, TEST, PAGED, DocketPagedModel)

struct _TestPaged
{
  DocketPagedModel parent_instance;

  gboolean has_source;
  GQueue pending; /* GTask, owned; task data: the offset asked for */
  guint fetches;
  guint reloadings;
};

G_DEFINE_FINAL_TYPE (TestPaged, test_paged, DOCKET_TYPE_PAGED_MODEL)

static gboolean
test_paged_fetch_page (DocketPagedModel *model,
                       guint offset,
                       GCancellable *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer user_data)
{
  TestPaged *self = TEST_PAGED (model);
  GTask *task;

  if (!self->has_source)
    return FALSE;
  task = g_task_new (self, cancellable, callback, user_data);
  /* Like a D-Bus reply already on its way: it arrives even after a cancel,
   * so the model itself must drop it. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, GUINT_TO_POINTER (offset), NULL);
  g_queue_push_tail (&self->pending, task);
  self->fetches++;
  return TRUE;
}

static GVariant *
test_paged_fetch_page_finish (DocketPagedModel *model,
                              GAsyncResult *result,
                              guint *total,
                              GError **error)
{
  GVariant *page = g_task_propagate_pointer (G_TASK (result), error);

  if (page != NULL)
    *total = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "total"));
  return page;
}

/* Items are GSimpleActions named after their "id"; a dict without one is skipped. */
static gpointer
test_paged_item_from_variant (DocketPagedModel *model, GVariant *dict)
{
  const gchar *id = NULL;

  if (!g_variant_lookup (dict, "id", "&s", &id))
    return NULL;
  return g_simple_action_new (id, NULL);
}

static void
test_paged_reloading (DocketPagedModel *model, GCancellable *cancellable)
{
  g_assert_nonnull (cancellable);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  TEST_PAGED (model)->reloadings++;
}

static void
test_paged_finalize (GObject *object)
{
  TestPaged *self = TEST_PAGED (object);

  g_queue_clear_full (&self->pending, g_object_unref);
  G_OBJECT_CLASS (test_paged_parent_class)->finalize (object);
}

static void
test_paged_class_init (TestPagedClass *klass)
{
  DocketPagedModelClass *paged_class = DOCKET_PAGED_MODEL_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_paged_finalize;
  paged_class->fetch_page = test_paged_fetch_page;
  paged_class->fetch_page_finish = test_paged_fetch_page_finish;
  paged_class->item_from_variant = test_paged_item_from_variant;
  paged_class->reloading = test_paged_reloading;
}

static void
test_paged_init (TestPaged *self)
{
  g_queue_init (&self->pending);
}

static TestPaged *
test_paged_new (gboolean has_source)
{
  TestPaged *self = g_object_new (TEST_TYPE_PAGED, "item-type", G_TYPE_SIMPLE_ACTION, NULL);

  self->has_source = has_source;
  return self;
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GVariant *
make_page (const gchar *prefix, guint first, guint n)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < n; i++)
    {
      g_autofree gchar *id = g_strdup_printf ("%s%u", prefix, first + i);

      g_variant_builder_open (&b, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&b, "{sv}", "id", g_variant_new_string (id));
      g_variant_builder_close (&b);
    }
  return g_variant_ref_sink (g_variant_builder_end (&b));
}

/* Answers the oldest fetch with the page at its offset; returns that offset. */
static guint
answer (TestPaged *self, const gchar *prefix, guint n, guint total)
{
  g_autoptr (GTask) task = g_queue_pop_head (&self->pending);
  guint offset;

  g_assert_nonnull (task);
  offset = GPOINTER_TO_UINT (g_task_get_task_data (task));
  g_object_set_data (G_OBJECT (task), "total", GUINT_TO_POINTER (total));
  g_task_return_pointer (task, make_page (prefix, offset, n), (GDestroyNotify)g_variant_unref);
  spin ();
  return offset;
}

static void
fail (TestPaged *self, GError *error)
{
  g_autoptr (GTask) task = g_queue_pop_head (&self->pending);

  g_assert_nonnull (task);
  g_task_return_error (task, error);
  spin ();
}

typedef struct
{
  guint calls;
  guint position;
  guint removed;
  guint added;
  guint loading_notifies;
  guint error_notifies;
} Seen;

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, Seen *seen)
{
  seen->calls++;
  seen->position = position;
  seen->removed = removed;
  seen->added = added;
}

static void
notify_cb (GObject *object, GParamSpec *pspec, Seen *seen)
{
  if (g_str_equal (pspec->name, "loading"))
    seen->loading_notifies++;
  else if (g_str_equal (pspec->name, "error"))
    seen->error_notifies++;
}

static void
watch (TestPaged *self, Seen *seen)
{
  g_signal_connect (self, "items-changed", G_CALLBACK (items_changed_cb), seen);
  g_signal_connect (self, "notify", G_CALLBACK (notify_cb), seen);
}

static const gchar *
name_at (TestPaged *self, guint position)
{
  g_autoptr (GAction) action = g_list_model_get_item (G_LIST_MODEL (self), position);

  g_assert_nonnull (action);
  /* The model holds its own reference: the name outlives this one. */
  return g_action_get_name (action);
}

static void
test_paging (void)
{
  g_autoptr (TestPaged) self = test_paged_new (TRUE);
  DocketPagedModel *model = DOCKET_PAGED_MODEL (self);
  Seen seen = { 0 };

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (self)) == G_TYPE_SIMPLE_ACTION);
  watch (self, &seen);

  docket_paged_model_reload (model);
  g_assert_cmpuint (self->reloadings, ==, 1);
  g_assert_true (docket_paged_model_get_loading (model));
  g_assert_cmpuint (seen.loading_notifies, ==, 1);
  /* One page at a time. */
  docket_paged_model_load_more (model);
  g_assert_cmpuint (self->fetches, ==, 1);

  g_assert_cmpuint (answer (self, "a", PAGE_SIZE, PAGE_SIZE + 2), ==, 0);
  g_assert_false (docket_paged_model_get_loading (model));
  g_assert_cmpuint (seen.calls, ==, 1);
  g_assert_cmpuint (seen.position, ==, 0);
  g_assert_cmpuint (seen.added, ==, PAGE_SIZE);
  g_assert_cmpuint (docket_paged_model_get_total (model), ==, PAGE_SIZE + 2);
  g_assert_true (docket_paged_model_get_has_more (model));
  g_assert_cmpstr (name_at (self, 1), ==, "a1");

  docket_paged_model_load_more (model);
  g_assert_cmpuint (self->fetches, ==, 2);
  g_assert_cmpuint (answer (self, "a", 2, PAGE_SIZE + 2), ==, PAGE_SIZE);
  g_assert_cmpuint (seen.position, ==, PAGE_SIZE);
  g_assert_cmpuint (seen.added, ==, 2);
  g_assert_false (docket_paged_model_get_has_more (model));
  g_assert_cmpstr (name_at (self, PAGE_SIZE + 1), ==, "a4");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (self), PAGE_SIZE + 2));
  /* All are here: nothing more is asked for. */
  docket_paged_model_load_more (model);
  g_assert_cmpuint (self->fetches, ==, 2);

  /* Acting on one removes it and counts it off. */
  docket_paged_model_remove (model, 0);
  g_assert_cmpuint (seen.position, ==, 0);
  g_assert_cmpuint (seen.removed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (self)), ==, PAGE_SIZE + 1);
  g_assert_cmpuint (docket_paged_model_get_total (model), ==, PAGE_SIZE + 1);
  g_assert_cmpstr (name_at (self, 0), ==, "a1");

  /* A reload drops everything at once and starts from the first page. */
  docket_paged_model_reload (model);
  g_assert_cmpuint (seen.position, ==, 0);
  g_assert_cmpuint (seen.removed, ==, PAGE_SIZE + 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (self)), ==, 0);
  g_assert_cmpuint (docket_paged_model_get_total (model), ==, 0);
  g_assert_cmpuint (answer (self, "b", 1, 1), ==, 0);
  g_assert_cmpstr (name_at (self, 0), ==, "b0");
}

static void
test_error (void)
{
  g_autoptr (TestPaged) self = test_paged_new (TRUE);
  DocketPagedModel *model = DOCKET_PAGED_MODEL (self);
  Seen seen = { 0 };

  watch (self, &seen);
  g_assert_null (docket_paged_model_get_error (model));
  docket_paged_model_reload (model);
  answer (self, "a", PAGE_SIZE, PAGE_SIZE * 2);

  /* A failed page keeps what is there and says why, in the daemon's words. */
  docket_paged_model_load_more (model);
  fail (self, g_dbus_error_new_for_dbus_error ("io.github.docket.Error.Busy", "Database busy"));
  g_assert_cmpstr (docket_paged_model_get_error (model), ==, "Database busy");
  g_assert_cmpuint (seen.error_notifies, ==, 1);
  g_assert_false (docket_paged_model_get_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (self)), ==, PAGE_SIZE);
  g_assert_true (docket_paged_model_get_has_more (model));

  /* Trying again and succeeding clears it. */
  docket_paged_model_load_more (model);
  answer (self, "a", PAGE_SIZE, PAGE_SIZE * 2);
  g_assert_null (docket_paged_model_get_error (model));
  g_assert_cmpuint (seen.error_notifies, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (self)), ==, PAGE_SIZE * 2);

  /* A reload forgets an old failure at once... */
  docket_paged_model_reload (model);
  fail (self, g_dbus_error_new_for_dbus_error ("io.github.docket.Error.Busy", "Database busy"));
  g_assert_cmpstr (docket_paged_model_get_error (model), ==, "Database busy");
  docket_paged_model_reload (model);
  g_assert_null (docket_paged_model_get_error (model));
  /* ...and a failure that answers the list before it is dropped. */
  docket_paged_model_reload (model);
  g_assert_cmpuint (self->fetches, ==, 6);
  fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "late"));
  g_assert_null (docket_paged_model_get_error (model));
  g_assert_true (docket_paged_model_get_loading (model));
  answer (self, "b", 1, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (self)), ==, 1);
}

static void
test_late_answer (void)
{
  g_autoptr (TestPaged) self = test_paged_new (TRUE);
  DocketPagedModel *model = DOCKET_PAGED_MODEL (self);
  Seen seen = { 0 };

  watch (self, &seen);
  docket_paged_model_reload (model);
  docket_paged_model_reload (model);
  g_assert_cmpuint (self->fetches, ==, 2);

  /* The first reload's page answers a list that is gone: dropped. */
  answer (self, "old", PAGE_SIZE, PAGE_SIZE);
  g_assert_cmpuint (seen.calls, ==, 0);
  g_assert_true (docket_paged_model_get_loading (model));
  answer (self, "new", 2, 2);
  g_assert_cmpuint (seen.calls, ==, 1);
  g_assert_cmpstr (name_at (self, 0), ==, "new0");
  g_assert_false (docket_paged_model_get_loading (model));

  /* Cancelling stops loading, keeps the items and drops the answer. */
  docket_paged_model_reload (model);
  docket_paged_model_cancel (model);
  g_assert_false (docket_paged_model_get_loading (model));
  answer (self, "old", PAGE_SIZE, PAGE_SIZE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (self)), ==, 0);
  g_assert_null (docket_paged_model_get_error (model));
}

static void
test_no_source (void)
{
  g_autoptr (TestPaged) self = test_paged_new (FALSE);
  DocketPagedModel *model = DOCKET_PAGED_MODEL (self);
  g_autoptr (GVariant) page = make_page ("x", 0, 2);
  GVariantBuilder b;
  g_autoptr (GVariant) odd = NULL;
  Seen seen = { 0 };

  watch (self, &seen);
  /* Nowhere to ask: nothing loads and nothing breaks. */
  docket_paged_model_reload (model);
  g_assert_false (docket_paged_model_get_loading (model));
  g_assert_cmpuint (seen.loading_notifies, ==, 0);

  /* Pages fed by hand; the total is never less than what is held. */
  docket_paged_model_append_page (model, page, 0);
  g_assert_cmpuint (seen.added, ==, 2);
  g_assert_cmpuint (docket_paged_model_get_total (model), ==, 2);

  /* An item the subclass cannot make is skipped, not a hole. */
  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  g_variant_builder_open (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_close (&b);
  odd = g_variant_ref_sink (g_variant_builder_end (&b));
  docket_paged_model_append_page (model, odd, 5);
  g_assert_cmpuint (seen.calls, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (self)), ==, 2);
  g_assert_cmpuint (docket_paged_model_get_total (model), ==, 5);

  docket_paged_model_clear (model);
  g_assert_cmpuint (seen.removed, ==, 2);
  g_assert_cmpuint (docket_paged_model_get_total (model), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/paged-model/paging", test_paging);
  g_test_add_func ("/kiosk/paged-model/error", test_error);
  g_test_add_func ("/kiosk/paged-model/late-answer", test_late_answer);
  g_test_add_func ("/kiosk/paged-model/no-source", test_no_source);
  return g_test_run ();
}
