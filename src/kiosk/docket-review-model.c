/* docket-review-model.c — a sergeant's review queue as a paged GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-review-model.h"

struct _DocketReviewModel
{
  GObject parent_instance;

  DocketDBusSession *session;
  gchar *queue;
  GVariant *filters; /* a{sv}, floating refs sunk */
  GPtrArray *items;  /* DocketReviewItem */
  GCancellable *cancellable;
  guint total;
  gchar *error;
  gboolean loading;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DocketReviewModel,
                               docket_review_model,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum
{
  PROP_0,
  PROP_LOADING,
  PROP_TOTAL,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

static GType
get_item_type (GListModel *model)
{
  return DOCKET_TYPE_REVIEW_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return DOCKET_REVIEW_MODEL (model)->items->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  DocketReviewModel *self = DOCKET_REVIEW_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
set_loading (DocketReviewModel *self, gboolean loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_error (DocketReviewModel *self, const gchar *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_total (DocketReviewModel *self, guint total)
{
  if (self->total == total)
    return;
  self->total = total;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

static void
clear_items (DocketReviewModel *self)
{
  guint removed = self->items->len;

  g_ptr_array_set_size (self->items, 0);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
}

void
docket_review_model_append_page (DocketReviewModel *self, GVariant *recordings, guint total)
{
  guint position;
  GVariantIter iter;
  GVariant *child;

  g_return_if_fail (DOCKET_IS_REVIEW_MODEL (self));
  g_return_if_fail (g_variant_is_of_type (recordings, G_VARIANT_TYPE ("aa{sv}")));

  position = self->items->len;
  g_variant_iter_init (&iter, recordings);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_ptr_array_add (self->items, docket_review_item_new (child));
      g_variant_unref (child);
    }
  /* The queue may have shrunk under us; never claim fewer than we hold. */
  set_total (self, MAX (total, self->items->len));
  set_error (self, NULL);
  if (self->items->len > position)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, self->items->len - position);
}

static void
queue_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DocketReviewModel) self = user_data;
  g_autoptr (GVariant) recordings = NULL;
  g_autoptr (GError) error = NULL;
  guint total = 0;

  if (!docket_dbus_session_call_review_queue_finish (DOCKET_DBUS_SESSION (source), &recordings,
                                                     &total, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_dbus_error_strip_remote_error (error);
      set_error (self, error->message);
      set_loading (self, FALSE);
      return;
    }
  docket_review_model_append_page (self, recordings, total);
  set_loading (self, FALSE);
}

static void
fetch (DocketReviewModel *self)
{
  if (self->session == NULL || self->queue == NULL)
    return;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  docket_dbus_session_call_review_queue (
      self->session, self->queue,
      self->filters != NULL ? self->filters : docket_review_filters_to_variant (NULL, NULL, 0, 0),
      self->items->len, DOCKET_REVIEW_PAGE_SIZE, self->cancellable, queue_done_cb,
      g_object_ref (self));
}

void
docket_review_model_reload (DocketReviewModel *self)
{
  g_return_if_fail (DOCKET_IS_REVIEW_MODEL (self));

  g_cancellable_cancel (self->cancellable);
  set_loading (self, FALSE);
  clear_items (self);
  set_total (self, 0);
  set_error (self, NULL);
  fetch (self);
}

void
docket_review_model_load_more (DocketReviewModel *self)
{
  g_return_if_fail (DOCKET_IS_REVIEW_MODEL (self));

  if (self->loading || !docket_review_model_get_has_more (self))
    return;
  fetch (self);
}

void
docket_review_model_remove_id (DocketReviewModel *self, gint64 id)
{
  g_return_if_fail (DOCKET_IS_REVIEW_MODEL (self));

  for (guint i = 0; i < self->items->len; i++)
    if (docket_review_item_get_id (g_ptr_array_index (self->items, i)) == id)
      {
        g_ptr_array_remove_index (self->items, i);
        set_total (self, self->total > 0 ? self->total - 1 : 0);
        g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
        return;
      }
}

void
docket_review_model_set_session (DocketReviewModel *self, DocketDBusSession *session)
{
  g_return_if_fail (DOCKET_IS_REVIEW_MODEL (self));

  g_cancellable_cancel (self->cancellable);
  set_loading (self, FALSE);
  g_set_object (&self->session, session);
  if (session == NULL)
    {
      clear_items (self);
      set_total (self, 0);
    }
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

gboolean
docket_review_model_get_loading (DocketReviewModel *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_MODEL (self), FALSE);
  return self->loading;
}

guint
docket_review_model_get_total (DocketReviewModel *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_MODEL (self), 0);
  return self->total;
}

gboolean
docket_review_model_get_has_more (DocketReviewModel *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_MODEL (self), FALSE);
  return self->items->len < self->total;
}

const gchar *
docket_review_model_get_error (DocketReviewModel *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_MODEL (self), NULL);
  return self->error;
}

static void
docket_review_model_dispose (GObject *object)
{
  DocketReviewModel *self = DOCKET_REVIEW_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (docket_review_model_parent_class)->dispose (object);
}

static void
docket_review_model_finalize (GObject *object)
{
  DocketReviewModel *self = DOCKET_REVIEW_MODEL (object);

  g_ptr_array_unref (self->items);
  g_clear_pointer (&self->filters, g_variant_unref);
  g_free (self->queue);
  g_free (self->error);

  G_OBJECT_CLASS (docket_review_model_parent_class)->finalize (object);
}

static void
docket_review_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketReviewModel *self = DOCKET_REVIEW_MODEL (object);

  switch (prop_id)
    {
      case PROP_LOADING:
        g_value_set_boolean (value, self->loading);
        break;
      case PROP_TOTAL:
        g_value_set_uint (value, self->total);
        break;
      case PROP_ERROR:
        g_value_set_string (value, self->error);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_review_model_class_init (DocketReviewModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_review_model_dispose;
  object_class->finalize = docket_review_model_finalize;
  object_class->get_property = docket_review_model_get_property;

  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] = g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR]
      = g_param_spec_string ("error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_review_model_init (DocketReviewModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

DocketReviewModel *
docket_review_model_new (void)
{
  return g_object_new (DOCKET_TYPE_REVIEW_MODEL, NULL);
}
