/* docket-review-model.c — a sergeant's review queue as a paged GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-review-model.h"

struct _DocketReviewModel
{
  DocketPagedModel parent_instance;

  DocketDBusSession *session;
  gchar *queue;
  GVariant *filters;           /* a{sv}, floating refs sunk */
  GHashTable *category_labels; /* id → label, or NULL */
};

G_DEFINE_FINAL_TYPE (DocketReviewModel, docket_review_model, DOCKET_TYPE_PAGED_MODEL)

void
docket_review_period_range (DocketReviewPeriod period,
                            gint64 now_usec,
                            gint64 *from_usec,
                            gint64 *to_usec)
{
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_local (now_usec / G_USEC_PER_SEC);
  g_autoptr (GDateTime) midnight = NULL;
  g_autoptr (GDateTime) from = NULL;
  gint days_back = 0;

  *from_usec = 0;
  *to_usec = 0;
  switch (period)
    {
      case DOCKET_REVIEW_PERIOD_TODAY:
        days_back = 0;
        break;
      case DOCKET_REVIEW_PERIOD_WEEK:
        days_back = 6;
        break;
      case DOCKET_REVIEW_PERIOD_MONTH:
        days_back = 29;
        break;
      case DOCKET_REVIEW_PERIOD_ANY:
      default:
        return;
    }
  midnight = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                    g_date_time_get_day_of_month (now), 0, 0, 0);
  from = g_date_time_add_days (midnight, -days_back);
  *from_usec = g_date_time_to_unix (from) * G_USEC_PER_SEC;
  /* Up to now and a little beyond: a camera's clock may run ahead. */
  *to_usec = now_usec + (gint64)3600 * G_USEC_PER_SEC;
}

GVariant *
docket_review_filters_to_variant (const gchar *officer,
                                  const gchar *category,
                                  gint64 from_usec,
                                  gint64 to_usec)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  if (officer != NULL && *officer != '\0')
    g_variant_builder_add (&builder, "{sv}", "officer", g_variant_new_string (officer));
  if (category != NULL && *category != '\0')
    g_variant_builder_add (&builder, "{sv}", "category", g_variant_new_string (category));
  if (from_usec != 0)
    g_variant_builder_add (&builder, "{sv}", "from-usec", g_variant_new_int64 (from_usec));
  if (to_usec != 0)
    g_variant_builder_add (&builder, "{sv}", "to-usec", g_variant_new_int64 (to_usec));
  return g_variant_builder_end (&builder);
}

static gboolean
review_model_fetch_page (DocketPagedModel *model,
                         guint offset,
                         GCancellable *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer user_data)
{
  DocketReviewModel *self = DOCKET_REVIEW_MODEL (model);

  if (self->session == NULL || self->queue == NULL)
    return FALSE;
  docket_dbus_session_call_review_queue (
      self->session, self->queue,
      self->filters != NULL ? self->filters : docket_review_filters_to_variant (NULL, NULL, 0, 0),
      offset, DOCKET_REVIEW_PAGE_SIZE, cancellable, callback, user_data);
  return TRUE;
}

static GVariant *
review_model_fetch_page_finish (DocketPagedModel *model,
                                GAsyncResult *result,
                                guint *total,
                                GError **error)
{
  g_autoptr (GObject) proxy = g_async_result_get_source_object (result);
  GVariant *recordings = NULL;

  if (!docket_dbus_session_call_review_queue_finish (DOCKET_DBUS_SESSION (proxy), &recordings,
                                                     total, result, error))
    return NULL;
  return recordings;
}

static void
apply_label (DocketReviewModel *self, DocketReviewItem *item)
{
  const gchar *category = docket_review_item_get_category (item);
  const gchar *label;

  if (self->category_labels == NULL || category == NULL)
    return;
  label = g_hash_table_lookup (self->category_labels, category);
  if (label != NULL)
    docket_review_item_set_category_label (item, label);
}

static gpointer
review_model_item_from_variant (DocketPagedModel *model, GVariant *dict)
{
  DocketReviewItem *item = docket_review_item_new (dict);

  apply_label (DOCKET_REVIEW_MODEL (model), item);
  return item;
}

void
docket_review_model_set_category_labels (DocketReviewModel *self, GHashTable *labels)
{
  GListModel *list = G_LIST_MODEL (self);

  g_return_if_fail (DOCKET_IS_REVIEW_MODEL (self));

  g_clear_pointer (&self->category_labels, g_hash_table_unref);
  if (labels != NULL)
    self->category_labels = g_hash_table_ref (labels);
  /* Items already shown take their labels now; their rows listen. */
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (DocketReviewItem) item = g_list_model_get_item (list, i);

      apply_label (self, item);
    }
}

void
docket_review_model_remove_id (DocketReviewModel *self, gint64 id)
{
  GListModel *list = G_LIST_MODEL (self);

  g_return_if_fail (DOCKET_IS_REVIEW_MODEL (self));

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (DocketReviewItem) item = g_list_model_get_item (list, i);

      if (docket_review_item_get_id (item) == id)
        {
          docket_paged_model_remove (DOCKET_PAGED_MODEL (self), i);
          return;
        }
    }
}

void
docket_review_model_set_session (DocketReviewModel *self, DocketDBusSession *session)
{
  g_return_if_fail (DOCKET_IS_REVIEW_MODEL (self));

  docket_paged_model_cancel (DOCKET_PAGED_MODEL (self));
  g_set_object (&self->session, session);
  if (session == NULL)
    docket_paged_model_clear (DOCKET_PAGED_MODEL (self));
}

void
docket_review_model_set_queue (DocketReviewModel *self, const gchar *queue)
{
  g_return_if_fail (DOCKET_IS_REVIEW_MODEL (self));
  g_free (self->queue);
  self->queue = g_strdup (queue);
}

const gchar *
docket_review_model_get_queue (DocketReviewModel *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_MODEL (self), NULL);
  return self->queue;
}

void
docket_review_model_set_filters (DocketReviewModel *self, GVariant *filters)
{
  g_return_if_fail (DOCKET_IS_REVIEW_MODEL (self));
  g_return_if_fail (filters == NULL || g_variant_is_of_type (filters, G_VARIANT_TYPE_VARDICT));

  g_clear_pointer (&self->filters, g_variant_unref);
  if (filters != NULL)
    self->filters = g_variant_ref_sink (filters);
}

static void
docket_review_model_dispose (GObject *object)
{
  DocketReviewModel *self = DOCKET_REVIEW_MODEL (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (docket_review_model_parent_class)->dispose (object);
}

static void
docket_review_model_finalize (GObject *object)
{
  DocketReviewModel *self = DOCKET_REVIEW_MODEL (object);

  g_clear_pointer (&self->filters, g_variant_unref);
  g_clear_pointer (&self->category_labels, g_hash_table_unref);
  g_free (self->queue);

  G_OBJECT_CLASS (docket_review_model_parent_class)->finalize (object);
}

static void
docket_review_model_class_init (DocketReviewModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  DocketPagedModelClass *paged_class = DOCKET_PAGED_MODEL_CLASS (klass);

  object_class->dispose = docket_review_model_dispose;
  object_class->finalize = docket_review_model_finalize;

  paged_class->fetch_page = review_model_fetch_page;
  paged_class->fetch_page_finish = review_model_fetch_page_finish;
  paged_class->item_from_variant = review_model_item_from_variant;
}

static void
docket_review_model_init (DocketReviewModel *self)
{
}

DocketReviewModel *
docket_review_model_new (void)
{
  return g_object_new (DOCKET_TYPE_REVIEW_MODEL, "item-type", DOCKET_TYPE_REVIEW_ITEM, NULL);
}
