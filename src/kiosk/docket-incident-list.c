/* docket-incident-list.c — the officer's untagged incidents, a page at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Session.ListIncidents is paged: the list asks for DOCKET_INCIDENT_LIST_PAGE
 * incidents, and the page asks for more when the officer scrolls to the end.
 * Session.ListUntagged with limit 1 gives the count and the deadline. Every
 * call is async; a reload bumps a generation so late answers are dropped.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-incident-list.h"

struct _DocketIncidentList
{
  GObject parent_instance;

  DocketDBusSession *session;
  GCancellable *cancellable;
  GPtrArray *items; /* DocketIncident */
  guint total;
  guint recordings_left;
  gint64 deadline_usec;
  gchar *summary;
  gchar *error;
  guint generation;
  gboolean loading;
};

static void docket_incident_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DocketIncidentList,
                               docket_incident_list,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      docket_incident_list_model_init))

enum
{
  PROP_0,
  PROP_LOADING,
  PROP_SUMMARY,
  PROP_ERROR,
  PROP_RECORDINGS_LEFT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  DocketIncidentList *self; /* owned */
  guint generation;
  guint offset;
} Call;

static void
call_free (Call *call)
{
  g_object_unref (call->self);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static Call *
call_new (DocketIncidentList *self, guint offset)
{
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  call->generation = self->generation;
  call->offset = offset;
  return call;
}

static GType
list_get_item_type (GListModel *model)
{
  return DOCKET_TYPE_INCIDENT;
}

static guint
list_get_n_items (GListModel *model)
{
  return DOCKET_INCIDENT_LIST (model)->items->len;
}

static gpointer
list_get_item (GListModel *model, guint position)
{
  DocketIncidentList *self = DOCKET_INCIDENT_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
docket_incident_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

static void
set_loading (DocketIncidentList *self, gboolean loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_error (DocketIncidentList *self, const gchar *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
update_summary (DocketIncidentList *self)
{
  g_autofree gchar *left = NULL;

  if (self->recordings_left == 0)
    left = g_strdup (_ ("Nothing left to tag"));
  else
    left = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u recording left to tag",
                                         "%u recordings left to tag", self->recordings_left),
                            self->recordings_left);
  g_free (self->summary);
  if (self->recordings_left > 0 && self->deadline_usec > 0)
    {
      g_autofree gchar *deadline = docket_format_time (self->deadline_usec);

      if (self->deadline_usec < g_get_real_time ())
        /* TRANSLATORS: "%s" are "3 recordings left to tag" and a date */
        self->summary = g_strdup_printf (_ ("%s · overdue since %s"), left, deadline);
      else
        /* TRANSLATORS: "%s" are "3 recordings left to tag" and a date */
        self->summary = g_strdup_printf (_ ("%s · tag by %s"), left, deadline);
    }
  else
    self->summary = g_steal_pointer (&left);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

static void
docket_incident_list_dispose (GObject *object)
{
  DocketIncidentList *self = DOCKET_INCIDENT_LIST (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (docket_incident_list_parent_class)->dispose (object);
}

static void
docket_incident_list_finalize (GObject *object)
{
  DocketIncidentList *self = DOCKET_INCIDENT_LIST (object);

  g_ptr_array_unref (self->items);
  g_free (self->summary);
  g_free (self->error);

  G_OBJECT_CLASS (docket_incident_list_parent_class)->finalize (object);
}

static void
docket_incident_list_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketIncidentList *self = DOCKET_INCIDENT_LIST (object);

  switch (prop_id)
    {
      case PROP_LOADING:
        g_value_set_boolean (value, self->loading);
        break;
      case PROP_SUMMARY:
        g_value_set_string (value, self->summary);
        break;
      case PROP_ERROR:
        g_value_set_string (value, self->error);
        break;
      case PROP_RECORDINGS_LEFT:
        g_value_set_uint (value, self->recordings_left);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_incident_list_class_init (DocketIncidentListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_incident_list_dispose;
  object_class->finalize = docket_incident_list_finalize;
  object_class->get_property = docket_incident_list_get_property;

  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR]
      = g_param_spec_string ("error", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORDINGS_LEFT] = g_param_spec_uint (
      "recordings-left", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_incident_list_init (DocketIncidentList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->error = g_strdup ("");
  self->cancellable = g_cancellable_new ();
  update_summary (self);
}

DocketIncidentList *
docket_incident_list_new (DocketDBusSession *session)
{
  DocketIncidentList *self = g_object_new (DOCKET_TYPE_INCIDENT_LIST, NULL);

  g_return_val_if_fail (session == NULL || DOCKET_DBUS_IS_SESSION (session), self);
  g_set_object (&self->session, session);
  return self;
}

void
docket_incident_list_add_page (DocketIncidentList *self,
                               guint offset,
                               GVariant *incidents,
                               guint total)
{
  GVariantIter iter;
  GVariant *dict;
  guint before;

  g_return_if_fail (DOCKET_IS_INCIDENT_LIST (self));
  g_return_if_fail (g_variant_is_of_type (incidents, G_VARIANT_TYPE ("aa{sv}")));

  /* Offsets count the daemon's incidents; skip a page we already have. */
  if (offset != self->items->len)
    return;
  before = self->items->len;
  g_variant_iter_init (&iter, incidents);
  while ((dict = g_variant_iter_next_value (&iter)) != NULL)
    {
      DocketIncident *incident = docket_incident_new_from_variant (dict);

      if (incident != NULL)
        g_ptr_array_add (self->items, incident);
      g_variant_unref (dict);
    }
  self->total = MAX (total, self->items->len);
  if (self->items->len > before)
    g_list_model_items_changed (G_LIST_MODEL (self), before, 0, self->items->len - before);
}

void
docket_incident_list_set_counts (DocketIncidentList *self,
                                 guint recordings_left,
                                 gint64 deadline_usec)
{
  g_return_if_fail (DOCKET_IS_INCIDENT_LIST (self));

  self->recordings_left = recordings_left;
  self->deadline_usec = deadline_usec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDINGS_LEFT]);
  update_summary (self);
}

static void
list_incidents_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Call) call = user_data;
  DocketIncidentList *self = call->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) incidents = NULL;
  guint total = 0;

  if (!docket_dbus_session_call_list_incidents_finish (DOCKET_DBUS_SESSION (source), &incidents,
                                                       &total, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || call->generation != self->generation)
        return;
      g_dbus_error_strip_remote_error (error);
      set_error (self, error->message);
      set_loading (self, FALSE);
      return;
    }
  if (call->generation != self->generation)
    return;
  set_error (self, "");
  docket_incident_list_add_page (self, call->offset, incidents, total);
  set_loading (self, FALSE);
}

static void
list_untagged_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Call) call = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) recordings = NULL;
  guint total = 0;
  gint64 deadline = 0;

  if (!docket_dbus_session_call_list_untagged_finish (DOCKET_DBUS_SESSION (source), &recordings,
                                                      &total, &deadline, result, &error))
    return; /* the incidents call reports the same trouble */
  if (call->generation == call->self->generation)
    docket_incident_list_set_counts (call->self, total, deadline);
}

static void
fetch (DocketIncidentList *self, guint offset)
{
  set_loading (self, TRUE);
  docket_dbus_session_call_list_incidents (self->session, offset, DOCKET_INCIDENT_LIST_PAGE,
                                           self->cancellable, list_incidents_cb,
                                           call_new (self, offset));
}

void
docket_incident_list_reload (DocketIncidentList *self)
{
  guint removed;

  g_return_if_fail (DOCKET_IS_INCIDENT_LIST (self));

  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  removed = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  self->total = 0;
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  set_loading (self, FALSE);
  if (self->session == NULL)
    return;
  docket_dbus_session_call_list_untagged (self->session, 0, 1, self->cancellable, list_untagged_cb,
                                          call_new (self, 0));
  fetch (self, 0);
}

void
docket_incident_list_load_more (DocketIncidentList *self)
{
  g_return_if_fail (DOCKET_IS_INCIDENT_LIST (self));

  if (self->session == NULL || self->loading || !docket_incident_list_get_has_more (self))
    return;
  fetch (self, self->items->len);
}

gboolean
docket_incident_list_get_loading (DocketIncidentList *self)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT_LIST (self), FALSE);
  return self->loading;
}

gboolean
docket_incident_list_get_has_more (DocketIncidentList *self)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT_LIST (self), FALSE);
  return self->items->len < self->total;
}

guint
docket_incident_list_get_recordings_left (DocketIncidentList *self)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT_LIST (self), 0);
  return self->recordings_left;
}

gint64
docket_incident_list_get_deadline_usec (DocketIncidentList *self)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT_LIST (self), 0);
  return self->deadline_usec;
}

const gchar *
docket_incident_list_get_summary (DocketIncidentList *self)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT_LIST (self), NULL);
  return self->summary;
}

const gchar *
docket_incident_list_get_error (DocketIncidentList *self)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT_LIST (self), NULL);
  return self->error;
}
