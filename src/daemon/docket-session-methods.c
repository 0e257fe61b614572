/* docket-session-methods.c — the Session interface's methods, adapted onto the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each method's database work runs in a worker thread (the daemon drains
 * them before exiting); its reply, or its error through the one D-Bus error
 * table, is sent from the main context.
 */
#include "config.h"

#include <unistd.h>

#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>

#include "docket-daemon-workers.h"
#include "docket-dbus-error.h"
#include "docket-error.h"
#include "docket-session-error.h"
#include "docket-session-methods.h"
#include "docket-session-private.h"
#include "docket-station-status.h"

/* The most rows one call returns: a page, not the store (limit 0 included). */
#define PAGE_MAX 500
/* The longest text a method takes (reason, note, case number, ...): a
 * reason is a sentence, and each is copied into the audit log for good. */
#define TEXT_MAX_BYTES 2000

static guint
page_limit (guint32 limit)
{
  return limit == 0 || limit > PAGE_MAX ? PAGE_MAX : limit;
}

typedef GVariant *(*SessionWork) (DocketSession *self,
                                  GVariant *params,
                                  GUnixFDList **out_fds,
                                  GError **error);

typedef struct
{
  SessionWork work;
  GDBusMethodInvocation *invocation;
  GUnixFDList *fds;
} Call;

static void
call_free (Call *call)
{
  g_clear_object (&call->invocation);
  g_clear_object (&call->fds);
  g_free (call);
}

static void
call_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  GVariant *reply = call->work (source, g_dbus_method_invocation_get_parameters (call->invocation),
                                &call->fds, &error);

  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_variant_ref_sink (reply), (GDestroyNotify)g_variant_unref);
}

static void
call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Call *call = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = g_task_propagate_pointer (G_TASK (result), &error);

  if (reply == NULL)
    docket_dbus_error_return (call->invocation, error);
  else
    g_dbus_method_invocation_return_value_with_unix_fd_list (call->invocation, reply, call->fds);
}

static void
run_in_thread (DocketSession *self, GDBusMethodInvocation *invocation, SessionWork work)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, call_done, NULL);
  Call *call = g_new0 (Call, 1);

  call->work = work;
  call->invocation = g_object_ref (invocation);
  g_task_set_task_data (task, call, (GDestroyNotify)call_free);
  docket_daemon_workers_run (task, call_thread);
}

static GVariant *
items_to_variant (GPtrArray *items)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));

  for (guint i = 0; i < items->len; i++)
    g_variant_builder_add_value (&builder,
                                 docket_recording_item_to_variant (g_ptr_array_index (items, i)));
  return g_variant_builder_end (&builder);
}

static GVariant *
work_get_categories (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  GPtrArray *categories = docket_station_config_get_categories (self->config);
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));

  for (guint i = 0; i < categories->len; i++)
    g_variant_builder_add_value (&builder,
                                 docket_category_to_variant (g_ptr_array_index (categories, i)));
  return g_variant_new ("(@aa{sv})", g_variant_builder_end (&builder));
}

static GVariant *
work_list_untagged (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  guint32 offset, limit;
  guint total = 0;
  gint64 deadline = 0;
  g_autoptr (GPtrArray) items = NULL;

  g_variant_get (params, "(uu)", &offset, &limit);
  items = docket_tags_list_untagged (self->tags, self->person, offset, page_limit (limit), &total,
                                     &deadline, error);
  if (items == NULL)
    return NULL;
  return g_variant_new ("(@aa{sv}ux)", items_to_variant (items), total, deadline);
}

static GVariant *
work_list_incidents (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  guint32 offset, limit;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GPtrArray) incidents = NULL;
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));

  g_variant_get (params, "(uu)", &offset, &limit);
  /* Grouping needs the whole list; an officer's untagged backlog is small. */
  items = docket_tags_list_untagged (self->tags, self->person, 0, 2000, NULL, NULL, error);
  if (items == NULL)
    return NULL;
  incidents = docket_tags_group_incidents (items, DOCKET_INCIDENT_GAP_USEC);
  limit = page_limit (limit);
  for (guint i = offset; i < incidents->len && i < (guint64)offset + limit; i++)
    {
      DocketIncident *incident = g_ptr_array_index (incidents, i);
      g_auto (GVariantBuilder) ids = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("ax"));
      g_auto (GVariantBuilder) dict = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

      for (guint j = 0; j < incident->items->len; j++)
        g_variant_builder_add (&ids, "x", ((DocketRecordingItem *)incident->items->pdata[j])->id);
      g_variant_builder_add (&dict, "{sv}", "start-usec",
                             g_variant_new_int64 (incident->start_usec));
      g_variant_builder_add (&dict, "{sv}", "end-usec", g_variant_new_int64 (incident->end_usec));
      g_variant_builder_add (&dict, "{sv}", "ids", g_variant_builder_end (&ids));
      g_variant_builder_add (&dict, "{sv}", "recordings", items_to_variant (incident->items));
      g_variant_builder_add_value (&builder, g_variant_builder_end (&dict));
    }
  return g_variant_new ("(@aa{sv}u)", g_variant_builder_end (&builder), incidents->len);
}

static GVariant *
work_tag (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  g_autoptr (GVariant) ids = NULL;
  const gchar *category, *case_number, *note;
  gsize n_ids = 0;
  const gint64 *id_array;

  g_variant_get (params, "(@ax&s&s&s)", &ids, &category, &case_number, &note);
  id_array = g_variant_get_fixed_array (ids, &n_ids, sizeof (gint64));
  if (n_ids > 1000)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("Too many recordings at once"));
      return NULL;
    }
  if (!docket_tags_tag (self->tags, self->person, id_array, (guint)n_ids, category, case_number,
                        note, error))
    return NULL;
  return g_variant_new ("()");
}

/* The core's descriptor as the reply's only handle; closes @fd (the list holds a dup). */
static GVariant *
fd_reply (gint fd, GUnixFDList **fds, GError **error)
{
  gint index;

  if (fd < 0)
    return NULL;
  *fds = g_unix_fd_list_new ();
  index = g_unix_fd_list_append (*fds, fd, error);
  close (fd);
  if (index < 0)
    return NULL;
  return g_variant_new ("(h)", index);
}

static GVariant *
work_open_recording (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  gint64 id;
  const gchar *reason;

  g_variant_get (params, "(x&s)", &id, &reason);
  return fd_reply (docket_tags_open_recording (self->tags, self->person, id, reason, error), fds,
                   error);
}

static GVariant *
work_open_thumbnail (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  gint64 id;

  g_variant_get (params, "(x)", &id);
  return fd_reply (docket_tags_open_thumbnail (self->tags, self->person, id, error), fds, error);
}

static GVariant *
work_request_deletion (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  gint64 id, request;
  const gchar *reason;

  g_variant_get (params, "(x&s)", &id, &reason);
  request = docket_review_request_deletion (self->review, self->person, id, reason, error);
  return request > 0 ? g_variant_new ("(x)", request) : NULL;
}

static GVariant *
work_review_queue (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  const gchar *queue;
  g_autoptr (GVariant) filters = NULL;
  guint32 offset, limit;
  DocketReviewFilter filter;
  g_autoptr (GPtrArray) items = NULL;
  guint total = 0;

  g_variant_get (params, "(&s@a{sv}uu)", &queue, &filters, &offset, &limit);
  if (!docket_review_filter_parse (filters, &filter, error))
    return NULL;
  items = docket_review_queue (self->review, self->person, queue, &filter, offset,
                               page_limit (limit), g_get_real_time (), &total, error);
  if (items == NULL)
    return NULL;
  return g_variant_new ("(@aa{sv}u)", items_to_variant (items), total);
}

/* Approve, Return and RevertDeletion: one id, one reason, no answer. */
typedef gboolean (*ReviewStep) (DocketReview *review,
                                const DocketPerson *person,
                                gint64 id,
                                const gchar *reason,
                                GError **error);

static GVariant *
review_step (DocketSession *self, GVariant *params, ReviewStep step, GError **error)
{
  gint64 id;
  const gchar *reason;

  g_variant_get (params, "(x&s)", &id, &reason);
  return step (self->review, self->person, id, reason, error) ? g_variant_new ("()") : NULL;
}

static GVariant *
work_approve (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  return review_step (self, params, docket_review_approve, error);
}

static GVariant *
work_return (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  return review_step (self, params, docket_review_return, error);
}

static GVariant *
work_correct (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  gint64 id;
  const gchar *category, *case_number, *note, *reason;

  g_variant_get (params, "(x&s&s&s&s)", &id, &category, &case_number, &note, &reason);
  return docket_review_correct (self->review, self->person, id, category, case_number, note, reason,
                                error)
             ? g_variant_new ("()")
             : NULL;
}

static GVariant *
work_decide_deletion (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  gint64 request;
  gboolean approve;
  const gchar *reason;

  g_variant_get (params, "(xb&s)", &request, &approve, &reason);
  return docket_review_decide_deletion (self->review, self->person, request, approve, reason,
                                        g_get_real_time (), error)
             ? g_variant_new ("()")
             : NULL;
}

static GVariant *
work_revert_deletion (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  return review_step (self, params, docket_review_revert_deletion, error);
}

static GVariant *
work_assign_owner (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  gint64 id;
  const gchar *badge, *reason;
  g_autofree gchar *name = NULL;

  g_variant_get (params, "(x&s&s)", &id, &badge, &reason);
  if (!docket_review_assign_owner (self->review, self->person, id, badge, reason, &name, error))
    return NULL;
  return g_variant_new ("(s)", name);
}

static GVariant *
work_list_correctable (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  guint32 offset, limit;
  guint total = 0;
  g_autoptr (GPtrArray) items = NULL;

  g_variant_get (params, "(uu)", &offset, &limit);
  items = docket_tags_list_correctable (self->tags, self->person, offset, MIN (limit, 500), &total,
                                        error);
  if (items == NULL)
    return NULL;
  return g_variant_new ("(@aa{sv}u)", items_to_variant (items), total);
}

static GVariant *
work_station_status (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  g_autoptr (GVariant) status = docket_station_status_get (self->store, self->person, error);

  return status != NULL ? g_variant_new ("(@a{sv})", status) : NULL;
}

static GVariant *
work_list_access (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  gint64 recording;
  guint32 limit;
  g_autoptr (GPtrArray) entries = NULL;
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));

  g_variant_get (params, "(xu)", &recording, &limit);
  entries = docket_tags_list_access (self->tags, self->person, recording, MIN (limit, 500), error);
  if (entries == NULL)
    return NULL;
  for (guint i = 0; i < entries->len; i++)
    g_variant_builder_add_value (&builder,
                                 docket_access_entry_to_variant (g_ptr_array_index (entries, i)));
  return g_variant_new ("(@aa{sv})", g_variant_builder_end (&builder));
}

/* Holds and the forecast: sergeants and IT, on a station that has them. */
static gboolean
require_custodian (DocketSession *self, GError **error)
{
  if (self->person->role != DOCKET_ROLE_SERGEANT && self->person->role != DOCKET_ROLE_IT)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION,
                   _ ("Only sergeants and IT manage legal holds and retention"));
      return FALSE;
    }
  if (self->retention == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   _ ("Retention is not available here."));
      return FALSE;
    }
  return TRUE;
}

static GVariant *
work_place_hold (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  const gchar *kind, *target, *reason;
  g_autofree gchar *actor = docket_person_dup_actor (self->person);
  gint64 hold;

  g_variant_get (params, "(&s&s&s)", &kind, &target, &reason);
  if (!require_custodian (self, error))
    return NULL;
  hold = docket_retention_place_hold (self->retention, actor, kind, target, reason,
                                      g_get_real_time (), error);
  return hold > 0 ? g_variant_new ("(x)", hold) : NULL;
}

static GVariant *
work_release_hold (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  gint64 hold;
  const gchar *reason;
  g_autofree gchar *actor = docket_person_dup_actor (self->person);

  g_variant_get (params, "(x&s)", &hold, &reason);
  if (!require_custodian (self, error))
    return NULL;
  return docket_retention_release_hold (self->retention, actor, hold, reason, g_get_real_time (),
                                        error)
             ? g_variant_new ("()")
             : NULL;
}

static GVariant *
work_list_holds (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  gboolean released;
  g_autoptr (GPtrArray) holds = NULL;
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));

  g_variant_get (params, "(b)", &released);
  if (!require_custodian (self, error))
    return NULL;
  holds = docket_retention_list_holds (self->retention, released, error);
  if (holds == NULL)
    return NULL;
  for (guint i = 0; i < holds->len; i++)
    g_variant_builder_add_value (&builder, docket_hold_to_variant (g_ptr_array_index (holds, i)));
  return g_variant_new ("(@aa{sv})", g_variant_builder_end (&builder));
}

static GVariant *
work_get_retention (DocketSession *self, GVariant *params, GUnixFDList **fds, GError **error)
{
  g_autoptr (DocketRetentionPlan) plan = NULL;

  if (!require_custodian (self, error))
    return NULL;
  plan = docket_retention_plan (self->retention, g_get_real_time (), error);
  if (plan == NULL)
    return NULL;
  /* IT sees no footage: the forecast, not the list of what goes. */
  return g_variant_new ("(@a{sv})", docket_retention_plan_to_variant (
                                        plan, self->person->role == DOCKET_ROLE_IT ? 0 : 100));
}

static const struct
{
  const gchar *method;
  SessionWork work;
} methods[] = {
  { "GetCategories", work_get_categories },
  { "ListUntagged", work_list_untagged },
  { "ListIncidents", work_list_incidents },
  { "Tag", work_tag },
  { "OpenRecording", work_open_recording },
  { "OpenThumbnail", work_open_thumbnail },
  { "RequestDeletion", work_request_deletion },
  { "ReviewQueue", work_review_queue },
  { "Approve", work_approve },
  { "Return", work_return },
  { "Correct", work_correct },
  { "DecideDeletion", work_decide_deletion },
  { "RevertDeletion", work_revert_deletion },
  { "GetStationStatus", work_station_status },
  { "Export", _docket_session_work_export },
  { "ListAccess", work_list_access },
  { "PlaceHold", work_place_hold },
  { "ReleaseHold", work_release_hold },
  { "ListHolds", work_list_holds },
  { "GetRetention", work_get_retention },
  { "AssignOwner", work_assign_owner },
  { "ListCorrectable", work_list_correctable },
};

/* Refuses a call on an ended session; otherwise counts it as activity. */
static gboolean
check_signed_in (DocketSession *self, GDBusMethodInvocation *invocation)
{
  if (self->ended)
    {
      g_dbus_method_invocation_return_error_literal (invocation, DOCKET_SESSION_ERROR,
                                                     DOCKET_SESSION_ERROR_ACCESS_DENIED,
                                                     _ ("You are signed out."));
      return FALSE;
    }
  _docket_session_touch (self);
  return TRUE;
}

/* TRUE if every string in @value fits TEXT_MAX_BYTES. */
static gboolean
texts_fit (GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_variant_get_size (value) <= TEXT_MAX_BYTES + 1;
  if (g_variant_is_container (value))
    {
      GVariantIter iter;
      GVariant *child;

      g_variant_iter_init (&iter, value);
      while ((child = g_variant_iter_next_value (&iter)) != NULL)
        {
          gboolean fits = texts_fit (child);

          g_variant_unref (child);
          if (!fits)
            return FALSE;
        }
    }
  return TRUE;
}

/* Connected swapped to every handle-* signal: only the invocation is used,
 * the method's own arguments are read from it. */
static gboolean
on_method (DocketSession *self, GDBusMethodInvocation *invocation)
{
  const gchar *method = g_dbus_method_invocation_get_method_name (invocation);

  if (!check_signed_in (self, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  if (g_strcmp0 (method, "Touch") == 0)
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (g_strcmp0 (method, "SignOut") == 0)
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
      docket_session_end (self, "signed-out");
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!texts_fit (g_dbus_method_invocation_get_parameters (invocation)))
    {
      g_dbus_method_invocation_return_error (
          invocation, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_INVALID,
          _ ("That text is too long (at most %u characters)"), (guint)TEXT_MAX_BYTES);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (methods); i++)
    if (g_strcmp0 (method, methods[i].method) == 0)
      {
        run_in_thread (self, invocation, methods[i].work);
        return G_DBUS_METHOD_INVOCATION_HANDLED;
      }
  return FALSE;
}

static gboolean
on_authorize (GDBusInterfaceSkeleton *skeleton,
              GDBusMethodInvocation *invocation,
              DocketSession *self)
{
  if (g_strcmp0 (g_dbus_method_invocation_get_sender (invocation), self->owner) == 0)
    return TRUE;
  g_dbus_method_invocation_return_error_literal (invocation, DOCKET_SESSION_ERROR,
                                                 DOCKET_SESSION_ERROR_ACCESS_DENIED,
                                                 _ ("This session belongs to someone else."));
  return FALSE;
}

/* --- check-out: async on the charge service, not a SessionWork --- */

static void
check_out_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *serial = NULL;
  g_autofree gchar *slot = NULL;

  if (!docket_charge_service_check_out_finish (DOCKET_CHARGE_SERVICE (source), res, &serial, &slot,
                                               &error))
    docket_dbus_error_return (g_steal_pointer (&invocation), error);
  else
    g_dbus_method_invocation_return_value (g_steal_pointer (&invocation),
                                           g_variant_new ("(ss)", slot, serial));
}

static gboolean
on_check_out_camera (DocketDBusSession *skeleton,
                     GDBusMethodInvocation *invocation,
                     DocketSession *self)
{
  if (!check_signed_in (self, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  if (self->charge == NULL)
    {
      g_dbus_method_invocation_return_error_literal (invocation, DOCKET_SESSION_ERROR,
                                                     DOCKET_SESSION_ERROR_FAILED,
                                                     _ ("Camera check-out is not available here."));
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  docket_charge_service_check_out_async (self->charge, self->person->badge, NULL, check_out_done_cb,
                                         g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
docket_session_methods_connect (DocketSession *self)
{
  static const gchar *const handlers[] = { "handle-touch",
                                           "handle-sign-out",
                                           "handle-get-categories",
                                           "handle-list-untagged",
                                           "handle-list-incidents",
                                           "handle-tag",
                                           "handle-open-recording",
                                           "handle-open-thumbnail",
                                           "handle-request-deletion",
                                           "handle-review-queue",
                                           "handle-approve",
                                           "handle-return",
                                           "handle-correct",
                                           "handle-decide-deletion",
                                           "handle-revert-deletion",
                                           "handle-get-station-status",
                                           "handle-export",
                                           "handle-list-access",
                                           "handle-place-hold",
                                           "handle-release-hold",
                                           "handle-list-holds",
                                           "handle-get-retention",
                                           "handle-assign-owner",
                                           "handle-list-correctable" };

  g_signal_connect_object (self->skeleton, "g-authorize-method", G_CALLBACK (on_authorize), self,
                           0);
  for (gsize i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_connect_object (self->skeleton, handlers[i], G_CALLBACK (on_method), self,
                             G_CONNECT_SWAPPED);
  g_signal_connect_object (self->skeleton, "handle-check-out-camera",
                           G_CALLBACK (on_check_out_camera), self, 0);
}
