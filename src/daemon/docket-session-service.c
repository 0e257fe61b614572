/* docket-session-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "docket-daemon-workers.h"
#include "docket-dbus-error.h"
#include "docket-dbus-generated.h"
#include "docket-error.h"
#include "docket-people.h"
#include "docket-review.h"
#include "docket-session-error.h"
#include "docket-session-methods.h"
#include "docket-session-guard.h"
#include "docket-session-service.h"
#include "docket-session.h"
#include "docket-station-config.h"
#include "docket-tags.h"

/* Sign-ins checked at once (each is an argon2 verify, 64 MiB), and in one
 * minute across the station: a person types one PIN in a few seconds, a
 * script thousands. Beyond either the call is refused before any work. */
#define SIGN_IN_MAX_IN_FLIGHT 4
#define SIGN_IN_MAX_PER_MINUTE 30

/* Approved deletions past their grace period are purged this often. */
#define PURGE_INTERVAL_SECONDS (15 * 60)

struct _DocketSessionService
{
  GObject parent_instance;

  /* owned */
  GDBusConnection *connection;
  DocketEvidenceStore *store;
  DocketStationConfig *config; /* one for the station, updated in place */
  gchar *conf_data;            /* station.conf as read at start, or NULL */
  DocketPeople *people;
  DocketTags *tags;
  DocketReview *review;
  DocketRetention *retention;
  gint retention_armed; /* atomic: the device policy's categories are in force */
  DocketDBusPeople *people_skeleton;
  DocketDBusAdmin *admin_skeleton;
  GHashTable *sessions;        /* object path → DocketSession */
  DocketSessionGuard *guard;   /* session properties and signals: owner only */
  DocketChargeService *charge; /* batteries and check-out */
  guint64 next_session;
  guint purge_id;
  guint sign_ins_in_flight;
  gint64 sign_in_window_start; /* monotonic */
  guint sign_ins_in_window;
};

G_DEFINE_FINAL_TYPE (DocketSessionService, docket_session_service, G_TYPE_OBJECT)

static void
docket_session_service_dispose (GObject *object)
{
  DocketSessionService *self = DOCKET_SESSION_SERVICE (object);

  g_clear_handle_id (&self->purge_id, g_source_remove);
  if (self->sessions != NULL)
    {
      g_autoptr (GList) sessions = g_hash_table_get_values (self->sessions);

      for (GList *l = sessions; l != NULL; l = l->next)
        docket_session_end (l->data, "daemon-stopped");
      g_clear_pointer (&self->sessions, g_hash_table_unref);
    }
  if (self->people_skeleton != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->people_skeleton));
  if (self->admin_skeleton != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->admin_skeleton));
  g_clear_object (&self->people_skeleton);
  g_clear_object (&self->admin_skeleton);
  g_clear_object (&self->people);
  g_clear_object (&self->tags);
  g_clear_object (&self->review);
  g_clear_object (&self->retention);
  g_clear_object (&self->charge);
  g_clear_object (&self->config);
  g_clear_pointer (&self->conf_data, g_free);
  g_clear_pointer (&self->guard, docket_session_guard_free);
  g_clear_object (&self->store);
  g_clear_object (&self->connection);
  G_OBJECT_CLASS (docket_session_service_parent_class)->dispose (object);
}

static void
docket_session_service_class_init (DocketSessionServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = docket_session_service_dispose;
}

static void
docket_session_service_init (DocketSessionService *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/* --- sign-in --- */

typedef struct
{
  gchar *badge;
  gchar *pin;
} SignIn;

static void
sign_in_free (SignIn *data)
{
  g_free (data->badge);
  if (data->pin != NULL)
    memset (data->pin, 0, strlen (data->pin));
  g_free (data->pin);
  g_free (data);
}

static void
sign_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DocketSessionService *self = source;
  SignIn *data = task_data;
  GError *error = NULL;
  DocketPerson *person
      = docket_people_sign_in (self->people, data->badge, data->pin, g_get_real_time (), &error);

  if (person == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, person, (GDestroyNotify)docket_person_free);
}

static void
on_session_ended (DocketSession *session, const gchar *why, DocketSessionService *self)
{
  if (self->guard != NULL)
    docket_session_guard_unregister (self->guard, docket_session_get_object_path (session));
  if (self->sessions != NULL)
    g_hash_table_remove (self->sessions, docket_session_get_object_path (session));
}

static void
sign_in_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DocketSessionService *self = DOCKET_SESSION_SERVICE (source);
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketPerson) person = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr (DocketSession) session = NULL;
  g_autofree gchar *path = NULL;

  self->sign_ins_in_flight--;
  if (person == NULL || self->sessions == NULL)
    {
      if (error == NULL)
        g_set_error (&error, DOCKET_ERROR, DOCKET_ERROR_FAILED, _ ("Docket is stopping"));
      docket_dbus_error_return (invocation, error);
      return;
    }
  session = docket_session_new (person, g_dbus_method_invocation_get_sender (invocation),
                                self->store, self->config, self->tags, self->review);
  docket_session_set_charge_service (session, self->charge);
  docket_session_methods_connect (session);
  docket_session_set_retention (session, self->retention);
  path = g_strdup_printf (DOCKET_DBUS_PATH "/session/%" G_GUINT64_FORMAT, ++self->next_session);
  /* Guarded before it is exported, so no other client sees it even once. */
  docket_session_guard_register (self->guard, path,
                                 g_dbus_method_invocation_get_sender (invocation));
  if (!docket_session_export (session, self->connection, path, &error))
    {
      docket_session_guard_unregister (self->guard, path);
      docket_dbus_error_return (invocation, error);
      return;
    }
  g_hash_table_insert (self->sessions, g_strdup (path), g_object_ref (session));
  g_signal_connect_object (session, "ended", G_CALLBACK (on_session_ended), self, 0);
  docket_dbus_people_complete_sign_in (self->people_skeleton, g_steal_pointer (&invocation), path);
}

static gboolean
handle_sign_in (DocketDBusPeople *skeleton,
                GDBusMethodInvocation *invocation,
                const gchar *badge,
                const gchar *pin,
                DocketSessionService *self)
{
  g_autoptr (GTask) task = NULL;
  SignIn *data = NULL;
  gint64 now = g_get_monotonic_time ();

  if (now - self->sign_in_window_start >= 60 * G_USEC_PER_SEC)
    {
      self->sign_in_window_start = now;
      self->sign_ins_in_window = 0;
    }
  if (self->sign_ins_in_flight >= SIGN_IN_MAX_IN_FLIGHT
      || self->sign_ins_in_window >= SIGN_IN_MAX_PER_MINUTE)
    {
      g_dbus_method_invocation_return_error_literal (
          invocation, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_FAILED,
          _ ("Too many sign-ins at once. Wait a moment and try again."));
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  self->sign_ins_in_flight++;
  self->sign_ins_in_window++;
  task = g_task_new (self, NULL, sign_in_done, g_object_ref (invocation));
  data = g_new0 (SignIn, 1);
  data->badge = g_strdup (badge);
  data->pin = g_strdup (pin);
  g_task_set_task_data (task, data, (GDestroyNotify)sign_in_free);
  docket_daemon_workers_run (task, sign_in_thread);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- IT administration --- */

typedef struct
{
  GDBusMethodInvocation *invocation;
  gchar *actor;
} AdminCall;

static void
admin_call_free (AdminCall *call)
{
  g_clear_object (&call->invocation);
  g_free (call->actor);
  g_free (call);
}

static void
admin_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DocketSessionService *self = source;
  AdminCall *call = task_data;
  const gchar *method = g_dbus_method_invocation_get_method_name (call->invocation);
  GVariant *params = g_dbus_method_invocation_get_parameters (call->invocation);
  GError *error = NULL;
  GVariant *reply = NULL;

  if (g_str_equal (method, "AddOfficer"))
    {
      const gchar *badge, *name, *role_text, *pin;
      DocketRole role;

      g_variant_get (params, "(&s&s&s&s)", &badge, &name, &role_text, &pin);
      if (!docket_role_from_string (role_text, &role))
        g_set_error (&error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                     _ ("A role is officer, sergeant or it"));
      else if (docket_people_add (self->people, badge, name, role, pin, call->actor, &error))
        reply = g_variant_new ("()");
    }
  else if (g_str_equal (method, "RemoveOfficer"))
    {
      const gchar *badge;

      g_variant_get (params, "(&s)", &badge);
      if (docket_people_remove (self->people, badge, call->actor, &error))
        reply = g_variant_new ("()");
    }
  else if (g_str_equal (method, "ListOfficers"))
    {
      g_autoptr (GPtrArray) people = docket_people_list (self->people, &error);
      g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a(sss)"));

      for (guint i = 0; people != NULL && i < people->len; i++)
        {
          DocketPerson *person = g_ptr_array_index (people, i);

          g_variant_builder_add (&builder, "(sss)", person->badge, person->name,
                                 docket_role_to_string (person->role));
        }
      if (people != NULL)
        reply = g_variant_new ("(@a(sss))", g_variant_builder_end (&builder));
    }
  else if (g_str_equal (method, "AssignCamera"))
    {
      const gchar *serial, *badge;

      g_variant_get (params, "(&s&s)", &serial, &badge);
      if (docket_people_assign_camera (self->people, serial, badge, call->actor, &error))
        reply = g_variant_new ("()");
    }
  else if (self->charge == NULL
           && (g_str_equal (method, "SetCameraPooled") || g_str_equal (method, "ListHolders")
               || g_str_equal (method, "GetChargeHistory")))
    g_set_error (&error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                 _ ("Camera check-out is not available here."));
  else if (g_str_equal (method, "SetCameraPooled"))
    {
      const gchar *serial;
      gboolean pooled;

      g_variant_get (params, "(&sb)", &serial, &pooled);
      if (docket_checkout_set_pooled (docket_charge_service_get_checkout (self->charge), serial,
                                      pooled, call->actor, &error))
        reply = g_variant_new ("()");
    }
  else if (g_str_equal (method, "ListHolders"))
    {
      g_autoptr (GPtrArray) held
          = docket_checkout_list_held (docket_charge_service_get_checkout (self->charge), &error);
      g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a(sssx)"));

      for (guint i = 0; held != NULL && i < held->len; i++)
        {
          DocketHolding *h = g_ptr_array_index (held, i);

          g_variant_builder_add (&builder, "(sssx)", h->serial, h->badge,
                                 h->slot != NULL ? h->slot : "", h->from_usec);
        }
      if (held != NULL)
        reply = g_variant_new ("(@a(sssx))", g_variant_builder_end (&builder));
    }
  else if (g_str_equal (method, "GetChargeHistory"))
    {
      const gchar *serial;
      g_autoptr (GPtrArray) sessions = NULL;
      g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a(xxiiuuud)"));

      g_variant_get (params, "(&s)", &serial);
      sessions = docket_charge_manager_list_history (
          docket_charge_service_get_manager (self->charge), serial, 500, &error);
      for (guint i = 0; sessions != NULL && i < sessions->len; i++)
        {
          DocketChargeSession *s = g_ptr_array_index (sessions, i);

          g_variant_builder_add (&builder, "(xxiiuuud)", s->docked_usec, s->undocked_usec,
                                 s->start_percent, s->end_percent, s->cycle_count, s->full_mah,
                                 s->design_mah, s->max_temperature_c);
        }
      if (sessions != NULL)
        reply = g_variant_new ("(@a(xxiiuuud))", g_variant_builder_end (&builder));
    }
  else if (g_str_equal (method, "GetRetention") || g_str_equal (method, "RunRetention"))
    {
      gboolean run = g_str_equal (method, "RunRetention");
      gboolean dry_run = TRUE;
      guint32 max_due = 0;
      g_autoptr (DocketRetentionPlan) plan = NULL;

      if (run)
        g_variant_get (params, "(bu)", &dry_run, &max_due);
      else
        g_variant_get (params, "(u)", &max_due);
      plan = run ? docket_retention_run (self->retention, call->actor, g_get_real_time (), dry_run,
                                         &error)
                 : docket_retention_plan (self->retention, g_get_real_time (), &error);
      if (plan != NULL)
        reply = g_variant_new ("(@a{sv})",
                               docket_retention_plan_to_variant (plan, MIN (max_due, 100000)));
    }
  else if (g_str_equal (method, "PlaceHold"))
    {
      const gchar *kind, *target, *reason;
      gint64 hold;

      g_variant_get (params, "(&s&s&s)", &kind, &target, &reason);
      hold = docket_retention_place_hold (self->retention, call->actor, kind, target, reason,
                                          g_get_real_time (), &error);
      if (hold > 0)
        reply = g_variant_new ("(x)", hold);
    }
  else if (g_str_equal (method, "ReleaseHold"))
    {
      gint64 hold;
      const gchar *reason;

      g_variant_get (params, "(x&s)", &hold, &reason);
      if (docket_retention_release_hold (self->retention, call->actor, hold, reason,
                                         g_get_real_time (), &error))
        reply = g_variant_new ("()");
    }
  else if (g_str_equal (method, "ListHolds"))
    {
      gboolean released;
      g_autoptr (GPtrArray) holds = NULL;
      g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));

      g_variant_get (params, "(b)", &released);
      holds = docket_retention_list_holds (self->retention, released, &error);
      for (guint i = 0; holds != NULL && i < holds->len; i++)
        g_variant_builder_add_value (&builder,
                                     docket_hold_to_variant (g_ptr_array_index (holds, i)));
      if (holds != NULL)
        reply = g_variant_new ("(@aa{sv})", g_variant_builder_end (&builder));
    }
  else
    g_set_error (&error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED, "Unknown method %s", method);

  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_variant_ref_sink (reply), (GDestroyNotify)g_variant_unref);
}

/* A session carries the person as they were at sign-in (role, name): once
 * IT removes or re-enrols them, it ends, and they sign in again as they are
 * now (or not at all). */
static void
end_sessions_of (DocketSessionService *self, const gchar *badge, const gchar *why)
{
  g_autoptr (GList) sessions = NULL;

  if (self->sessions == NULL)
    return;
  sessions = g_hash_table_get_values (self->sessions);
  for (GList *l = sessions; l != NULL; l = l->next)
    if (g_strcmp0 (docket_session_get_badge (l->data), badge) == 0)
      docket_session_end (l->data, why);
}

static void
admin_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AdminCall *call = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = g_task_propagate_pointer (G_TASK (result), &error);

  if (reply == NULL)
    docket_dbus_error_return (call->invocation, error);
  else
    {
      DocketSessionService *self = DOCKET_SESSION_SERVICE (source);
      const gchar *method = g_dbus_method_invocation_get_method_name (call->invocation);
      GVariant *params = g_dbus_method_invocation_get_parameters (call->invocation);
      const gchar *badge = NULL;

      if (g_str_equal (method, "RemoveOfficer"))
        {
          g_variant_get (params, "(&s)", &badge);
          end_sessions_of (self, badge, "person-removed");
        }
      else if (g_str_equal (method, "AddOfficer"))
        {
          g_variant_get (params, "(&s&s&s&s)", &badge, NULL, NULL, NULL);
          end_sessions_of (self, badge, "person-changed");
        }

      /* The cards show Pooled at once. */
      if (self->charge != NULL
          && g_str_equal (g_dbus_method_invocation_get_method_name (call->invocation),
                          "SetCameraPooled"))
        docket_charge_service_refresh (self->charge);
      g_dbus_method_invocation_return_value (call->invocation, reply);
    }
}

static void
on_caller_uid (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  AdminCall *call = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply
      = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  guint32 uid = G_MAXUINT32;

  if (reply != NULL)
    g_variant_get (reply, "(u)", &uid);
  /* IT means root, or the user docketd runs as (the session bus in tests). */
  if (uid != 0 && uid != getuid ())
    {
      g_dbus_method_invocation_return_error_literal (
          call->invocation, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED,
          _ ("Only the system administrator may enrol people and assign cameras."));
      return;
    }
  call->actor = g_strdup_printf ("docketctl:%u", uid);
  docket_daemon_workers_run (task, admin_thread);
}

/* Connected swapped to every Admin handle-* signal. */
static gboolean
on_admin_method (DocketSessionService *self, GDBusMethodInvocation *invocation)
{
  GTask *task = g_task_new (self, NULL, admin_done, NULL);
  AdminCall *call = g_new0 (AdminCall, 1);

  call->invocation = g_object_ref (invocation);
  g_task_set_task_data (task, call, (GDestroyNotify)admin_call_free);
  g_dbus_connection_call (self->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "GetConnectionUnixUser",
                          g_variant_new ("(s)", g_dbus_method_invocation_get_sender (invocation)),
                          G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_caller_uid,
                          task);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- purge of approved deletions, and the retention pass --- */

static void
purge_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DocketSessionService *self = source;
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketRetentionPlan) plan = NULL;
  gint purged;

  /* Files whose rows a purge already marked deleted (and audited) when it
   * was interrupted: whichever path purged them, with or without scheduled
   * retention purges. */
  if (docket_evidence_store_finish_purges (self->store, &error) < 0)
    g_warning ("Could not finish interrupted purges: %s", error->message);
  g_clear_error (&error);
  purged = docket_review_purge_due (self->review, g_get_real_time (), &error);

  if (purged < 0)
    g_warning ("Could not purge approved deletions: %s", error->message);
  else if (purged > 0)
    g_info ("Removed %d recording(s) whose approved deletion's grace period ended", purged);
  g_clear_error (&error);

  /* Not before the device policy's categories are merged in: until then
   * the retention figures may be station.conf's alone. */
  if (!g_atomic_int_get (&self->retention_armed))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* Without scheduled purge, the pass only plans (a dry run) to warn. */
  plan = docket_retention_run (self->retention, "docketd", g_get_real_time (),
                               !docket_station_config_get_scheduled_purge (self->config), &error);
  if (plan == NULL)
    g_warning ("Could not run the retention pass: %s", error->message);
  else
    {
      if (plan->purged > 0)
        g_info ("Removed %u recording(s) whose retention period ended", plan->purged);
      if (plan->full_before_purge)
        g_warning ("The evidence store will be full before the oldest footage may be purged");
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
on_purge_timeout (gpointer user_data)
{
  DocketSessionService *self = user_data;
  g_autoptr (GTask) task = g_task_new (self, NULL, NULL, NULL);

  docket_daemon_workers_run (task, purge_thread);
  return G_SOURCE_CONTINUE;
}

DocketSessionService *
docket_session_service_new (GDBusConnection *connection,
                            DocketEvidenceStore *store,
                            const gchar *state_dir,
                            GError **error)
{
  g_autoptr (DocketSessionService) self = g_object_new (DOCKET_TYPE_SESSION_SERVICE, NULL);
  g_autofree gchar *conf_path = g_build_filename (state_dir, "station.conf", NULL);
  static const gchar *const admin_handlers[]
      = { "handle-add-officer",        "handle-remove-officer",    "handle-list-officers",
          "handle-assign-camera",      "handle-set-camera-pooled", "handle-list-holders",
          "handle-get-charge-history", "handle-get-retention",     "handle-run-retention",
          "handle-place-hold",         "handle-release-hold",      "handle-list-holds" };

  self->config = docket_station_config_load (conf_path, error);
  if (self->config == NULL)
    return NULL;
  /* Kept for merging under each new device policy (a missing file: none). */
  (void)g_file_get_contents (conf_path, &self->conf_data, NULL, NULL);
  self->connection = g_object_ref (connection);
  self->guard = docket_session_guard_new (connection, DOCKET_DBUS_PATH "/session/");
  self->store = g_object_ref (store);
  self->people = docket_people_new (store, self->config);
  self->tags = docket_tags_new (store, self->config);
  self->review = docket_review_new (store, self->config);
  self->retention = docket_retention_new (store, self->config);

  self->people_skeleton = docket_dbus_people_skeleton_new ();
  g_signal_connect_object (self->people_skeleton, "handle-sign-in", G_CALLBACK (handle_sign_in),
                           self, 0);
  self->admin_skeleton = docket_dbus_admin_skeleton_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (admin_handlers); i++)
    g_signal_connect_object (self->admin_skeleton, admin_handlers[i], G_CALLBACK (on_admin_method),
                             self, G_CONNECT_SWAPPED);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->people_skeleton),
                                         connection, DOCKET_DBUS_PATH, error)
      || !g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->admin_skeleton),
                                            connection, DOCKET_DBUS_PATH, error))
    {
      g_prefix_error (error, "Cannot export the sign-in service: ");
      return NULL;
    }
  self->purge_id = g_timeout_add_seconds (PURGE_INTERVAL_SECONDS, on_purge_timeout, self);
  on_purge_timeout (self);
  return g_steal_pointer (&self);
}

/* The device policy's station keys win over station.conf's (docs/policy.md).
 * Sessions, tags, review and people share self->config, so they all see the
 * new values at once. A merge that fails keeps the values in force. */
static void
apply_policy (DocketSessionService *self, DocketPolicy *policy)
{
  g_autofree gchar *overlay = NULL;
  g_autoptr (DocketStationConfig) merged = NULL;
  g_autoptr (GError) error = NULL;

  if (policy != NULL)
    overlay = docket_policy_dup_station_config_data (policy);
  merged = docket_station_config_load_merged (self->conf_data, overlay, &error);
  if (merged == NULL)
    {
      g_warning ("The device policy's station settings do not fit station.conf, the current ones "
                 "stay: %s",
                 error->message);
      return;
    }
  docket_station_config_update (self->config, merged);
}

static void
on_dock_policy (DocketDock *dock, GParamSpec *pspec, DocketSessionService *self)
{
  apply_policy (self, docket_dock_get_policy (dock));
}

gboolean
docket_session_service_attach (DocketDock *dock,
                               GDBusConnection *connection,
                               const gchar *state_dir,
                               GError **error)
{
  DocketSessionService *self
      = docket_session_service_new (connection, docket_dock_get_store (dock), state_dir, error);

  if (self == NULL)
    return FALSE;
  self->charge = docket_charge_service_new (dock);
  apply_policy (self, docket_dock_get_policy (dock));
  g_atomic_int_set (&self->retention_armed, TRUE);
  on_purge_timeout (self);
  g_signal_connect_object (dock, "notify::policy", G_CALLBACK (on_dock_policy), self, 0);
  g_object_set_data_full (G_OBJECT (dock), "docket-session-service", self, g_object_unref);
  return TRUE;
}

DocketRetention *
docket_session_service_get_retention (DocketSessionService *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION_SERVICE (self), NULL);
  return self->retention;
}
