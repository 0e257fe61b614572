/* docket-incident-list.c — the officer's untagged incidents, a page at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Session.ListIncidents is paged: the list asks for DOCKET_INCIDENT_LIST_PAGE
 * incidents, and the page asks for more when the officer scrolls to the end.
 * Session.ListUntagged with limit 1 gives the count and the deadline. Every
 * call is async; paging and dropping late answers is DocketPagedModel's.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-incident-list.h"

struct _DocketIncidentList
{
  DocketPagedModel parent_instance;

  DocketDBusSession *session;
  guint recordings_left;
  gint64 deadline_usec;
  gchar *summary;
};

G_DEFINE_FINAL_TYPE (DocketIncidentList, docket_incident_list, DOCKET_TYPE_PAGED_MODEL)

enum
{
  PROP_0,
  PROP_SUMMARY,
  PROP_RECORDINGS_LEFT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

static gboolean
incident_list_fetch_page (DocketPagedModel *model,
                          guint offset,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data)
{
  DocketIncidentList *self = DOCKET_INCIDENT_LIST (model);

  if (self->session == NULL)
    return FALSE;
  docket_dbus_session_call_list_incidents (self->session, offset, DOCKET_INCIDENT_LIST_PAGE,
                                           cancellable, callback, user_data);
  return TRUE;
}

static GVariant *
incident_list_fetch_page_finish (DocketPagedModel *model,
                                 GAsyncResult *result,
                                 guint *total,
                                 GError **error)
{
  g_autoptr (GObject) proxy = g_async_result_get_source_object (result);
  GVariant *incidents = NULL;

  if (!docket_dbus_session_call_list_incidents_finish (DOCKET_DBUS_SESSION (proxy), &incidents,
                                                       total, result, error))
    return NULL;
  return incidents;
}

static gpointer
incident_list_item_from_variant (DocketPagedModel *model, GVariant *dict)
{
  return docket_incident_new_from_variant (dict);
}

typedef struct
{
  DocketIncidentList *self;  /* owned */
  GCancellable *cancellable; /* owned: the load it goes with */
} CountsCall;

static void
counts_call_free (CountsCall *call)
{
  g_object_unref (call->self);
  g_object_unref (call->cancellable);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CountsCall, counts_call_free)

static void
list_untagged_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CountsCall) call = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) recordings = NULL;
  guint total = 0;
  gint64 deadline = 0;

  if (!docket_dbus_session_call_list_untagged_finish (DOCKET_DBUS_SESSION (source), &recordings,
                                                      &total, &deadline, result, &error))
    return; /* the incidents call reports the same trouble */
  /* A reload since cancelled the load this count went with. */
  if (!g_cancellable_is_cancelled (call->cancellable))
    docket_incident_list_set_counts (call->self, total, deadline);
}

static void
incident_list_reloading (DocketPagedModel *model, GCancellable *cancellable)
{
  DocketIncidentList *self = DOCKET_INCIDENT_LIST (model);
  CountsCall *call;

  if (self->session == NULL)
    return;
  call = g_new0 (CountsCall, 1);
  call->self = g_object_ref (self);
  call->cancellable = g_object_ref (cancellable);
  docket_dbus_session_call_list_untagged (self->session, 0, 1, cancellable, list_untagged_cb, call);
}

static void
docket_incident_list_dispose (GObject *object)
{
  DocketIncidentList *self = DOCKET_INCIDENT_LIST (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (docket_incident_list_parent_class)->dispose (object);
}

static void
docket_incident_list_finalize (GObject *object)
{
  DocketIncidentList *self = DOCKET_INCIDENT_LIST (object);

  g_free (self->summary);

  G_OBJECT_CLASS (docket_incident_list_parent_class)->finalize (object);
}

static void
docket_incident_list_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketIncidentList *self = DOCKET_INCIDENT_LIST (object);

  switch (prop_id)
    {
      case PROP_SUMMARY:
        g_value_set_string (value, self->summary);
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
  DocketPagedModelClass *paged_class = DOCKET_PAGED_MODEL_CLASS (klass);

  object_class->dispose = docket_incident_list_dispose;
  object_class->finalize = docket_incident_list_finalize;
  object_class->get_property = docket_incident_list_get_property;

  paged_class->fetch_page = incident_list_fetch_page;
  paged_class->fetch_page_finish = incident_list_fetch_page_finish;
  paged_class->item_from_variant = incident_list_item_from_variant;
  paged_class->reloading = incident_list_reloading;

  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORDINGS_LEFT] = g_param_spec_uint (
      "recordings-left", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_incident_list_init (DocketIncidentList *self)
{
  update_summary (self);
}

DocketIncidentList *
docket_incident_list_new (DocketDBusSession *session)
{
  DocketIncidentList *self
      = g_object_new (DOCKET_TYPE_INCIDENT_LIST, "item-type", DOCKET_TYPE_INCIDENT, NULL);

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
  g_return_if_fail (DOCKET_IS_INCIDENT_LIST (self));

  /* Offsets count the daemon's incidents; skip a page we already have. */
  if (offset != g_list_model_get_n_items (G_LIST_MODEL (self)))
    return;
  docket_paged_model_append_page (DOCKET_PAGED_MODEL (self), incidents, total);
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
