/* docket-session.c — a signed-in person's session: its lifecycle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * From sign-in to its end (SignOut, idle, the owner leaving the bus, the
 * daemon stopping). The methods are in docket-session-methods.c.
 */
#include "config.h"

#include "docket-daemon-workers.h"
#include "docket-session-private.h"

G_DEFINE_FINAL_TYPE (DocketSession, docket_session, G_TYPE_OBJECT)

enum
{
  SIGNAL_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
docket_session_dispose (GObject *object)
{
  DocketSession *self = DOCKET_SESSION (object);

  docket_session_end (self, "daemon-stopped");
  G_OBJECT_CLASS (docket_session_parent_class)->dispose (object);
}

static void
docket_session_finalize (GObject *object)
{
  DocketSession *self = DOCKET_SESSION (object);

  docket_person_free (self->person);
  g_free (self->owner);
  g_free (self->object_path);
  g_clear_object (&self->store);
  g_clear_object (&self->config);
  g_clear_object (&self->tags);
  g_clear_object (&self->review);
  g_clear_object (&self->skeleton);
  g_clear_object (&self->charge);
  g_clear_object (&self->retention);
  G_OBJECT_CLASS (docket_session_parent_class)->finalize (object);
}

static void
docket_session_class_init (DocketSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_session_dispose;
  object_class->finalize = docket_session_finalize;

  signals[SIGNAL_ENDED] = g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
docket_session_init (DocketSession *self)
{
}

/* --- idle timer and ending --- */

static gboolean
on_idle_timeout (gpointer user_data)
{
  DocketSession *self = user_data;

  self->idle_id = 0;
  docket_session_end (self, "idle");
  return G_SOURCE_REMOVE;
}

void
_docket_session_touch (DocketSession *self)
{
  guint idle = docket_station_config_get_idle_sign_out_seconds (self->config);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->ended)
    return;
  self->idle_id = g_timeout_add_seconds (idle, on_idle_timeout, self);
  docket_dbus_session_set_expires_in (self->skeleton, idle);
}

static void
audit_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DocketSession *self = source;
  g_autofree gchar *actor = docket_person_dup_actor (self->person);
  g_autoptr (GError) error = NULL;

  if (docket_audit_log_append (docket_evidence_store_get_audit_log (self->store), actor,
                               "signed-out", actor, task_data, NULL, &error)
      < 0)
    g_warning ("Could not audit a sign-out: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

void
docket_session_end (DocketSession *self, const gchar *why)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (DOCKET_IS_SESSION (self));

  if (self->ended)
    return;
  self->ended = TRUE;
  g_object_ref (self);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  if (self->skeleton != NULL && self->object_path != NULL)
    {
      GDBusConnection *connection
          = g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->skeleton));

      /* To the owner alone: other clients must not learn who signs out. */
      if (connection != NULL)
        (void)g_dbus_connection_emit_signal (connection, self->owner, self->object_path,
                                             "io.github.docket.Docket1.Session", "Ended",
                                             g_variant_new ("(s)", why), NULL);
      g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
    }
  /* Off the main thread like every database write; the reply to SignOut
   * (or SIGTERM) comes before the row is on disk, so a stopping daemon
   * drains it with the other workers. */
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, g_strdup (why), g_free);
  docket_daemon_workers_run (task, audit_thread);
  g_signal_emit (self, signals[SIGNAL_ENDED], 0, why);
  g_object_unref (self);
}

static void
on_owner_vanished (GDBusConnection *connection, const gchar *name, gpointer user_data)
{
  docket_session_end (DOCKET_SESSION (user_data), "disconnected");
}

void
docket_session_set_charge_service (DocketSession *self, DocketChargeService *charge)
{
  g_return_if_fail (DOCKET_IS_SESSION (self));
  g_set_object (&self->charge, charge);
}

void
docket_session_set_retention (DocketSession *self, DocketRetention *retention)
{
  g_return_if_fail (DOCKET_IS_SESSION (self));
  g_set_object (&self->retention, retention);
}

/* A new device policy: show its values, and count idle time under the new
 * limit from now. */
static void
on_config_changed (DocketStationConfig *config, DocketSession *self)
{
  docket_dbus_session_set_idle_seconds (self->skeleton,
                                        docket_station_config_get_idle_sign_out_seconds (config));
  docket_dbus_session_set_case_number_format (self->skeleton,
                                              docket_station_config_get_case_number_regex (config));
  if (self->object_path != NULL)
    _docket_session_touch (self);
}

DocketSession *
docket_session_new (const DocketPerson *person,
                    const gchar *owner,
                    DocketEvidenceStore *store,
                    DocketStationConfig *config,
                    DocketTags *tags,
                    DocketReview *review)
{
  DocketSession *self = g_object_new (DOCKET_TYPE_SESSION, NULL);

  self->person = docket_person_copy (person);
  self->owner = g_strdup (owner);
  self->store = g_object_ref (store);
  self->config = g_object_ref (config);
  self->tags = g_object_ref (tags);
  self->review = g_object_ref (review);
  self->skeleton = docket_dbus_session_skeleton_new ();
  docket_dbus_session_set_badge (self->skeleton, person->badge);
  docket_dbus_session_set_name (self->skeleton, person->name);
  docket_dbus_session_set_role (self->skeleton, docket_role_to_string (person->role));
  docket_dbus_session_set_idle_seconds (self->skeleton,
                                        docket_station_config_get_idle_sign_out_seconds (config));
  docket_dbus_session_set_case_number_format (self->skeleton,
                                              docket_station_config_get_case_number_regex (config));
  g_signal_connect_object (config, "changed", G_CALLBACK (on_config_changed), self, 0);
  return self;
}

gboolean
docket_session_export (DocketSession *self,
                       GDBusConnection *connection,
                       const gchar *object_path,
                       GError **error)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), FALSE);

  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton), connection,
                                         object_path, error))
    return FALSE;
  self->object_path = g_strdup (object_path);
  _docket_session_touch (self);
  /* Fires at once if the caller already left. */
  self->watch_id = g_bus_watch_name_on_connection (
      connection, self->owner, G_BUS_NAME_WATCHER_FLAGS_NONE, NULL, on_owner_vanished, self, NULL);
  return TRUE;
}

const gchar *
docket_session_get_object_path (DocketSession *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), NULL);
  return self->object_path;
}

const gchar *
docket_session_get_badge (DocketSession *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), NULL);
  return self->person->badge;
}
