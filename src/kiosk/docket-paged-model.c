/* docket-paged-model.c — base of the kiosk's lists that the daemon hands out a page at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One page is asked for at a time. A reload cancels the one on its way and
 * bumps a generation, so an answer that still arrives for the old list (a
 * reply already queued when the cancel came) is dropped, not appended.
 */
#include "config.h"

#include "docket-paged-model.h"

typedef struct
{
  GType item_type;
  GPtrArray *items;
  GCancellable *cancellable; /* of the current generation */
  guint generation;
  guint total;
  gchar *error;
  gboolean loading;
} DocketPagedModelPrivate;

static void docket_paged_model_list_init (GListModelInterface *iface);

G_DEFINE_TYPE_WITH_CODE (DocketPagedModel,
                         docket_paged_model,
                         G_TYPE_OBJECT,
                         G_ADD_PRIVATE (DocketPagedModel)
                             G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                    docket_paged_model_list_init))

enum
{
  PROP_0,
  PROP_ITEM_TYPE,
  PROP_LOADING,
  PROP_TOTAL,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  DocketPagedModel *self; /* owned */
  guint generation;
} Call;

static void
call_free (Call *call)
{
  g_object_unref (call->self);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static GType
list_get_item_type (GListModel *model)
{
  DocketPagedModelPrivate *priv
      = docket_paged_model_get_instance_private (DOCKET_PAGED_MODEL (model));

  return priv->item_type;
}

static guint
list_get_n_items (GListModel *model)
{
  DocketPagedModelPrivate *priv
      = docket_paged_model_get_instance_private (DOCKET_PAGED_MODEL (model));

  return priv->items->len;
}

static gpointer
list_get_item (GListModel *model, guint position)
{
  DocketPagedModelPrivate *priv
      = docket_paged_model_get_instance_private (DOCKET_PAGED_MODEL (model));

  if (position >= priv->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (priv->items, position));
}

static void
docket_paged_model_list_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

static void
set_loading (DocketPagedModel *self, gboolean loading)
{
  DocketPagedModelPrivate *priv = docket_paged_model_get_instance_private (self);

  if (priv->loading == loading)
    return;
  priv->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_error (DocketPagedModel *self, const gchar *error)
{
  DocketPagedModelPrivate *priv = docket_paged_model_get_instance_private (self);

  if (g_strcmp0 (priv->error, error) == 0)
    return;
  g_free (priv->error);
  priv->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_total (DocketPagedModel *self, guint total)
{
  DocketPagedModelPrivate *priv = docket_paged_model_get_instance_private (self);

  if (priv->total == total)
    return;
  priv->total = total;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

void
docket_paged_model_append_page (DocketPagedModel *self, GVariant *page, guint total)
{
  DocketPagedModelPrivate *priv;
  DocketPagedModelClass *klass;
  GVariantIter iter;
  GVariant *dict;
  guint position;

  g_return_if_fail (DOCKET_IS_PAGED_MODEL (self));
  g_return_if_fail (g_variant_is_of_type (page, G_VARIANT_TYPE ("aa{sv}")));

  priv = docket_paged_model_get_instance_private (self);
  klass = DOCKET_PAGED_MODEL_GET_CLASS (self);
  position = priv->items->len;
  g_variant_iter_init (&iter, page);
  while ((dict = g_variant_iter_next_value (&iter)) != NULL)
    {
      gpointer item = klass->item_from_variant (self, dict);

      if (item != NULL)
        g_ptr_array_add (priv->items, item);
      g_variant_unref (dict);
    }
  /* The list may have shrunk under us; never claim fewer than we hold. */
  set_total (self, MAX (total, priv->items->len));
  set_error (self, NULL);
  if (priv->items->len > position)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, priv->items->len - position);
}

static void
fetch_page_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Call) call = user_data;
  DocketPagedModel *self = call->self;
  DocketPagedModelPrivate *priv = docket_paged_model_get_instance_private (self);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) page = NULL;
  guint total = 0;

  page = DOCKET_PAGED_MODEL_GET_CLASS (self)->fetch_page_finish (self, result, &total, &error);
  if (call->generation != priv->generation)
    return;
  if (page == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_dbus_error_strip_remote_error (error);
      set_error (self, error->message);
      set_loading (self, FALSE);
      return;
    }
  docket_paged_model_append_page (self, page, total);
  set_loading (self, FALSE);
}

static void
fetch (DocketPagedModel *self)
{
  DocketPagedModelPrivate *priv = docket_paged_model_get_instance_private (self);
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  call->generation = priv->generation;
  if (!DOCKET_PAGED_MODEL_GET_CLASS (self)->fetch_page (self, priv->items->len, priv->cancellable,
                                                        fetch_page_cb, call))
    {
      call_free (call);
      return;
    }
  set_loading (self, TRUE);
}

/* Starts a new generation: what is on its way for the old one is dropped. */
static void
restart (DocketPagedModel *self)
{
  DocketPagedModelPrivate *priv = docket_paged_model_get_instance_private (self);

  priv->generation++;
  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();
}

void
docket_paged_model_cancel (DocketPagedModel *self)
{
  g_return_if_fail (DOCKET_IS_PAGED_MODEL (self));

  restart (self);
  set_loading (self, FALSE);
}

void
docket_paged_model_clear (DocketPagedModel *self)
{
  DocketPagedModelPrivate *priv;
  guint removed;

  g_return_if_fail (DOCKET_IS_PAGED_MODEL (self));

  priv = docket_paged_model_get_instance_private (self);
  removed = priv->items->len;
  g_ptr_array_set_size (priv->items, 0);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  set_total (self, 0);
}

void
docket_paged_model_reload (DocketPagedModel *self)
{
  DocketPagedModelPrivate *priv;
  DocketPagedModelClass *klass;

  g_return_if_fail (DOCKET_IS_PAGED_MODEL (self));

  priv = docket_paged_model_get_instance_private (self);
  klass = DOCKET_PAGED_MODEL_GET_CLASS (self);
  docket_paged_model_cancel (self);
  docket_paged_model_clear (self);
  set_error (self, NULL);
  if (klass->reloading != NULL)
    klass->reloading (self, priv->cancellable);
  fetch (self);
}

void
docket_paged_model_load_more (DocketPagedModel *self)
{
  DocketPagedModelPrivate *priv;

  g_return_if_fail (DOCKET_IS_PAGED_MODEL (self));

  priv = docket_paged_model_get_instance_private (self);
  if (priv->loading || !docket_paged_model_get_has_more (self))
    return;
  fetch (self);
}

void
docket_paged_model_remove (DocketPagedModel *self, guint position)
{
  DocketPagedModelPrivate *priv;

  g_return_if_fail (DOCKET_IS_PAGED_MODEL (self));

  priv = docket_paged_model_get_instance_private (self);
  g_return_if_fail (position < priv->items->len);

  g_ptr_array_remove_index (priv->items, position);
  set_total (self, priv->total > 0 ? priv->total - 1 : 0);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

gboolean
docket_paged_model_get_loading (DocketPagedModel *self)
{
  DocketPagedModelPrivate *priv;

  g_return_val_if_fail (DOCKET_IS_PAGED_MODEL (self), FALSE);

  priv = docket_paged_model_get_instance_private (self);
  return priv->loading;
}

guint
docket_paged_model_get_total (DocketPagedModel *self)
{
  DocketPagedModelPrivate *priv;

  g_return_val_if_fail (DOCKET_IS_PAGED_MODEL (self), 0);

  priv = docket_paged_model_get_instance_private (self);
  return priv->total;
}

gboolean
docket_paged_model_get_has_more (DocketPagedModel *self)
{
  DocketPagedModelPrivate *priv;

  g_return_val_if_fail (DOCKET_IS_PAGED_MODEL (self), FALSE);

  priv = docket_paged_model_get_instance_private (self);
  return priv->items->len < priv->total;
}

const gchar *
docket_paged_model_get_error (DocketPagedModel *self)
{
  DocketPagedModelPrivate *priv;

  g_return_val_if_fail (DOCKET_IS_PAGED_MODEL (self), NULL);

  priv = docket_paged_model_get_instance_private (self);
  return priv->error;
}

static void
docket_paged_model_dispose (GObject *object)
{
  DocketPagedModelPrivate *priv
      = docket_paged_model_get_instance_private (DOCKET_PAGED_MODEL (object));

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);

  G_OBJECT_CLASS (docket_paged_model_parent_class)->dispose (object);
}

static void
docket_paged_model_finalize (GObject *object)
{
  DocketPagedModelPrivate *priv
      = docket_paged_model_get_instance_private (DOCKET_PAGED_MODEL (object));

  g_ptr_array_unref (priv->items);
  g_free (priv->error);

  G_OBJECT_CLASS (docket_paged_model_parent_class)->finalize (object);
}

static void
docket_paged_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketPagedModelPrivate *priv
      = docket_paged_model_get_instance_private (DOCKET_PAGED_MODEL (object));

  switch (prop_id)
    {
      case PROP_ITEM_TYPE:
        g_value_set_gtype (value, priv->item_type);
        break;
      case PROP_LOADING:
        g_value_set_boolean (value, priv->loading);
        break;
      case PROP_TOTAL:
        g_value_set_uint (value, priv->total);
        break;
      case PROP_ERROR:
        g_value_set_string (value, priv->error);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_paged_model_set_property (GObject *object,
                                 guint prop_id,
                                 const GValue *value,
                                 GParamSpec *pspec)
{
  DocketPagedModelPrivate *priv
      = docket_paged_model_get_instance_private (DOCKET_PAGED_MODEL (object));

  switch (prop_id)
    {
      case PROP_ITEM_TYPE:
        priv->item_type = g_value_get_gtype (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_paged_model_class_init (DocketPagedModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_paged_model_dispose;
  object_class->finalize = docket_paged_model_finalize;
  object_class->get_property = docket_paged_model_get_property;
  object_class->set_property = docket_paged_model_set_property;

  properties[PROP_ITEM_TYPE]
      = g_param_spec_gtype ("item-type", NULL, NULL, G_TYPE_OBJECT,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] = g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR]
      = g_param_spec_string ("error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_paged_model_init (DocketPagedModel *self)
{
  DocketPagedModelPrivate *priv = docket_paged_model_get_instance_private (self);

  priv->item_type = G_TYPE_OBJECT;
  priv->items = g_ptr_array_new_with_free_func (g_object_unref);
  priv->cancellable = g_cancellable_new ();
}
