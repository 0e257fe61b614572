/* docket-upstream-service.c — the upstream worker in docketd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "docket-session-error.h"
#include "docket-session-service.h"
#include "docket-upstream-service.h"
#include "docket-upstream.h"

struct _DocketUpstreamService
{
  GObject parent_instance;

  GDBusConnection *connection;
  DocketDBusManager *manager;
  DocketUpstream *upstream;
  gchar *config_error;
};

G_DEFINE_FINAL_TYPE (DocketUpstreamService, docket_upstream_service, G_TYPE_OBJECT)

static void
docket_upstream_service_finalize (GObject *object)
{
  DocketUpstreamService *self = DOCKET_UPSTREAM_SERVICE (object);

  if (self->upstream != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->upstream, self);
      docket_upstream_stop (self->upstream);
    }
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  g_clear_object (&self->upstream);
  g_clear_object (&self->manager);
  g_clear_object (&self->connection);
  g_free (self->config_error);
  G_OBJECT_CLASS (docket_upstream_service_parent_class)->finalize (object);
}

static void
docket_upstream_service_class_init (DocketUpstreamServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_upstream_service_finalize;
}

static void
docket_upstream_service_init (DocketUpstreamService *self)
{
}

static void
publish (DocketUpstreamService *self)
{
  g_autoptr (GVariant) status = NULL;
  g_auto (GVariantBuilder) b = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autofree gchar *line = NULL;
  GVariantIter iter;
  const gchar *key;
  GVariant *value;

  if (self->upstream != NULL)
    status = docket_upstream_dup_status (self->upstream);
  else
    status = g_variant_ref_sink (g_variant_new_parsed ("@a{sv} {'configured': <false>}"));
  g_variant_iter_init (&iter, status);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_variant_builder_add (&b, "{sv}", key, value);
      g_variant_unref (value);
    }
  if (self->config_error != NULL)
    g_variant_builder_add (&b, "{sv}", "config-error", g_variant_new_string (self->config_error));
  {
    g_autoptr (GVariant) partial = g_variant_ref_sink (g_variant_builder_end (&b));
    g_auto (GVariantBuilder) full = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

    line = docket_upstream_format_status (partial, g_get_real_time ());
    g_variant_iter_init (&iter, partial);
    while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
      {
        g_variant_builder_add (&full, "{sv}", key, value);
        g_variant_unref (value);
      }
    g_variant_builder_add (&full, "{sv}", "line", g_variant_new_string (line));
    docket_dbus_manager_set_upstream (self->manager, g_variant_builder_end (&full));
  }
}

typedef struct
{
  DocketUpstreamService *self;
  GDBusMethodInvocation *invocation;
  gchar *action;
} ControlCall;

static void
control_call_free (ControlCall *call)
{
  g_object_unref (call->self);
  g_object_unref (call->invocation);
  g_free (call->action);
  g_free (call);
}

static void
on_caller_uid (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ControlCall *call = user_data;
  DocketUpstreamService *self = call->self;
  g_autoptr (GVariant) reply
      = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  g_autoptr (GError) error = NULL;
  guint32 uid = G_MAXUINT32;
  guint affected = 0;

  if (reply != NULL)
    g_variant_get (reply, "(u)", &uid);
  if (uid != 0 && uid != getuid ())
    g_dbus_method_invocation_return_error_literal (
        call->invocation, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED,
        _ ("Only the system administrator may control uploads."));
  else if (self->upstream == NULL || !docket_upstream_is_configured (self->upstream))
    g_dbus_method_invocation_return_error_literal (call->invocation, G_DBUS_ERROR,
                                                   G_DBUS_ERROR_FAILED,
                                                   _ ("Upstream is not configured on this kiosk."));
  else if (g_str_equal (call->action, "pause"))
    {
      docket_upstream_pause (self->upstream);
      docket_dbus_manager_complete_control_upstream (self->manager, call->invocation, 0);
    }
  else if (g_str_equal (call->action, "resume"))
    {
      docket_upstream_resume (self->upstream);
      docket_dbus_manager_complete_control_upstream (self->manager, call->invocation, 0);
    }
  else if (g_str_equal (call->action, "retry"))
    {
      affected = docket_upstream_retry (self->upstream, &error);
      if (error != NULL)
        g_dbus_method_invocation_return_error_literal (call->invocation, G_DBUS_ERROR,
                                                       G_DBUS_ERROR_FAILED, error->message);
      else
        docket_dbus_manager_complete_control_upstream (self->manager, call->invocation, affected);
    }
  else
    g_dbus_method_invocation_return_error (
        call->invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
        _ ("Unknown upstream action “%s” (pause, resume or retry)"), call->action);
  publish (self);
  control_call_free (call);
}

static gboolean
handle_control_upstream (DocketDBusManager *manager,
                         GDBusMethodInvocation *invocation,
                         const gchar *action,
                         DocketUpstreamService *self)
{
  ControlCall *call = g_new0 (ControlCall, 1);

  call->self = g_object_ref (self);
  call->invocation = g_object_ref (invocation);
  call->action = g_strdup (action);
  g_dbus_connection_call (self->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "GetConnectionUnixUser",
                          g_variant_new ("(s)", g_dbus_method_invocation_get_sender (invocation)),
                          G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_caller_uid,
                          call);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
docket_upstream_service_attach (DocketDock *dock,
                                GDBusConnection *connection,
                                DocketDBusManager *manager,
                                const gchar *state_dir)
{
  DocketUpstreamService *self = g_object_new (DOCKET_TYPE_UPSTREAM_SERVICE, NULL);
  g_autofree gchar *conf_path = g_build_filename (state_dir, "station.conf", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketUpstreamConfig) config = NULL;

  self->connection = g_object_ref (connection);
  self->manager = g_object_ref (manager);
  g_object_set_data_full (G_OBJECT (dock), "docket-upstream-service", self, g_object_unref);
  g_signal_connect (manager, "handle-control-upstream", G_CALLBACK (handle_control_upstream), self);

  config = docket_upstream_config_load (conf_path, &error);
  if (error != NULL)
    {
      /* Never fatal: the kiosk keeps docking; the IT page says why. */
      g_warning ("Upstream is not started: %s", error->message);
      self->config_error = g_strdup (error->message);
      g_clear_error (&error);
    }
  self->upstream = docket_upstream_new (docket_dock_get_store (dock), config, &error);
  if (self->upstream == NULL)
    {
      g_warning ("Upstream is not started: %s", error->message);
      g_free (self->config_error);
      self->config_error = g_strdup (error->message);
    }
  else
    {
      DocketSessionService *session = g_object_get_data (G_OBJECT (dock), "docket-session-service");

      /* Object Lock retention ends at each recording's keep-until. */
      if (session != NULL)
        docket_upstream_set_retention (self->upstream,
                                       docket_session_service_get_retention (session));
      g_signal_connect_swapped (self->upstream, "changed", G_CALLBACK (publish), self);
      if (config != NULL)
        g_info ("Upstream: evidence to %s bucket %s as %s/%s", config->endpoint, config->bucket,
                config->station_id, config->kiosk_id);
      docket_upstream_start (self->upstream);
    }
  publish (self);
}
