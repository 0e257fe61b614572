/* docket-daemon.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns every piece of state (devices, offload, store) and serves it on
 * D-Bus. Runs entirely on the main context; blocking work lives in the
 * core library's worker threads.
 */
#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>

#include "docket-audit-anchorer.h"
#include "docket-camera-exporter.h"
#include "docket-daemon.h"
#include "docket-dbus-generated.h"
#include "docket-dock.h"
#include "docket-gst.h"
#include "docket-policy-service.h"
#include "docket-session-service.h"
#include "docket-upstream-service.h"

struct _DocketDaemon
{
  GObject parent_instance;

  /* owned */
  GBusType bus_type;
  gchar *state_dir;
  gchar *known_cameras;
  gchar *policy_dir;
  gchar *firmware_dir; /* NULL: the dock's default */
  GDBusConnection *connection;
  GDBusObjectManagerServer *object_manager;
  DocketDBusManager *manager;
  DocketCameraExporter *exporter;
  DocketDock *dock;
  DocketAuditAnchorer *anchorer;
  guint owner_id;
  gint64 started_usec;
  gboolean name_acquired;
  gboolean name_lost;
};

G_DEFINE_FINAL_TYPE (DocketDaemon, docket_daemon, G_TYPE_OBJECT)

enum
{
  SIGNAL_STOPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
docket_daemon_finalize (GObject *object)
{
  DocketDaemon *self = DOCKET_DAEMON (object);

  docket_daemon_stop (self);
  g_free (self->state_dir);
  g_free (self->known_cameras);
  g_free (self->policy_dir);
  g_free (self->firmware_dir);
  g_clear_object (&self->anchorer);
  G_OBJECT_CLASS (docket_daemon_parent_class)->finalize (object);
}

static void
docket_daemon_class_init (DocketDaemonClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_daemon_finalize;

  signals[SIGNAL_STOPPED] = g_signal_new ("stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
docket_daemon_init (DocketDaemon *self)
{
}

DocketDaemon *
docket_daemon_new (const DocketDaemonOptions *options)
{
  DocketDaemon *self;

  g_return_val_if_fail (options != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_DAEMON, NULL);
  self->bus_type = options->bus_type;
  self->state_dir = g_strdup (options->state_dir);
  self->known_cameras = g_strdup (options->known_cameras);
  self->firmware_dir = g_strdup (options->firmware_dir);
  /* Configuration management puts IT's policy here by default. */
  self->policy_dir
      = g_strdup (options->policy_dir != NULL ? options->policy_dir : "/etc/docket/policy");
  return self;
}

static void
emit_event (DocketDaemon *self,
            const gchar *kind,
            const gchar *camera_path,
            const gchar *message,
            GVariant *details)
{
  if (details == NULL)
    details = g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO, "DOCKET_EVENT", kind, "DOCKET_CAMERA",
                    camera_path != NULL ? camera_path : "/", "MESSAGE", "%s", message);
  docket_dbus_manager_emit_event (self->manager, kind, camera_path != NULL ? camera_path : "/",
                                  message, details);
}

static void
add_store_status (DocketDaemon *self, GVariantBuilder *builder)
{
  DocketEvidenceStore *store = docket_dock_get_store (self->dock);
  g_autoptr (GPtrArray) cameras = docket_dock_get_cameras (self->dock);
  guint64 free_bytes = 0;
  guint64 total_bytes = 0;
  guint32 offloading = 0;
  guint32 faulty = 0;

  for (guint i = 0; i < cameras->len; i++)
    {
      DocketCameraState state = docket_camera_get_state (g_ptr_array_index (cameras, i));

      offloading += state == DOCKET_CAMERA_STATE_OFFLOADING;
      faulty += state == DOCKET_CAMERA_STATE_FAULTY;
    }
  g_variant_builder_add (builder, "{sv}", "offloading", g_variant_new_uint32 (offloading));
  g_variant_builder_add (builder, "{sv}", "faulty", g_variant_new_uint32 (faulty));
  g_variant_builder_add (builder, "{sv}", "store-path",
                         g_variant_new_string (docket_evidence_store_get_root (store)));
  /* statvfs is cheap; no need to leave the main thread for it. */
  if (docket_evidence_store_get_space (store, &free_bytes, &total_bytes, NULL))
    {
      g_variant_builder_add (builder, "{sv}", "store-free-bytes",
                             g_variant_new_uint64 (free_bytes));
      g_variant_builder_add (builder, "{sv}", "store-total-bytes",
                             g_variant_new_uint64 (total_bytes));
    }
}

static gboolean
handle_get_status (DocketDBusManager *manager,
                   GDBusMethodInvocation *invocation,
                   gpointer user_data)
{
  DocketDaemon *self = user_data;
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  guint64 uptime = (guint64)((g_get_monotonic_time () - self->started_usec) / G_USEC_PER_SEC);

  g_variant_builder_add (&builder, "{sv}", "version", g_variant_new_string (PACKAGE_VERSION));
  g_variant_builder_add (&builder, "{sv}", "uptime-seconds", g_variant_new_uint64 (uptime));
  g_variant_builder_add (
      &builder, "{sv}", "cameras",
      g_variant_new_uint32 (docket_camera_exporter_get_n_cameras (self->exporter)));
  g_variant_builder_add (&builder, "{sv}", "state-dir", g_variant_new_string (self->state_dir));
  add_store_status (self, &builder);
  docket_dbus_manager_complete_get_status (manager, invocation, g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_dock_camera_added (DocketDock *dock, DocketCamera *camera, DocketDaemon *self)
{
  docket_camera_exporter_add (self->exporter, camera);
  docket_dbus_manager_set_docked_cameras (self->manager,
                                          docket_camera_exporter_get_n_cameras (self->exporter));
}

static void
on_dock_camera_removed (DocketDock *dock, DocketCamera *camera, DocketDaemon *self)
{
  docket_camera_exporter_remove (self->exporter, camera);
  docket_dbus_manager_set_docked_cameras (self->manager,
                                          docket_camera_exporter_get_n_cameras (self->exporter));
}

static void
on_dock_event (DocketDock *dock,
               const gchar *kind,
               DocketCamera *camera,
               const gchar *message,
               GVariant *details,
               DocketDaemon *self)
{
  const gchar *path = NULL;

  if (camera != NULL)
    path = docket_camera_exporter_lookup_path (self->exporter, camera);
  /* Progress is frequent; keep the journal for things people act on. */
  if (g_strcmp0 (kind, "offload-progress") == 0)
    docket_dbus_manager_emit_event (self->manager, kind, path != NULL ? path : "/", message,
                                    details);
  else
    emit_event (self, kind, path, message, details);
}

static void
on_name_acquired (GDBusConnection *connection, const gchar *name, gpointer user_data)
{
  DocketDaemon *self = user_data;

  self->name_acquired = TRUE;
  g_info ("Serving %s", name);
}

static void
on_name_lost (GDBusConnection *connection, const gchar *name, gpointer user_data)
{
  DocketDaemon *self = user_data;

  self->name_lost = TRUE;
  /* Either another docketd owns the name or the bus went away: in both
   * cases serving on would confuse clients, so stop. */
  if (self->name_acquired)
    g_warning ("Lost the bus name %s; stopping", name);
  else
    g_warning ("Could not own the bus name %s (is another docketd running?)", name);
  g_signal_emit (self, signals[SIGNAL_STOPPED], 0);
}

gboolean
docket_daemon_start (DocketDaemon *self, GError **error)
{
  g_autofree gchar *store_root = NULL;

  g_return_val_if_fail (DOCKET_IS_DAEMON (self), FALSE);
  g_return_val_if_fail (self->connection == NULL, FALSE);

  self->started_usec = g_get_monotonic_time ();

  /* GStreamer and our elements must be ready before any offload starts. */
  gst_init (NULL, NULL);
  if (!docket_gst_register ())
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Cannot register Docket's GStreamer elements");
      return FALSE;
    }

  if (g_mkdir_with_parents (self->state_dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create the state directory %s: %s", self->state_dir,
                   g_strerror (saved_errno));
      return FALSE;
    }

  self->connection = g_bus_get_sync (self->bus_type, NULL, error);
  if (self->connection == NULL)
    {
      g_prefix_error (error, "Cannot connect to the %s bus: ",
                      self->bus_type == G_BUS_TYPE_SYSTEM ? "system" : "session");
      return FALSE;
    }
  /* A vanished bus must not leave a zombie daemon behind. */
  g_dbus_connection_set_exit_on_close (self->connection, FALSE);
  g_signal_connect_object (self->connection, "closed", G_CALLBACK (on_name_lost), self,
                           G_CONNECT_SWAPPED);

  self->object_manager = g_dbus_object_manager_server_new (DOCKET_DBUS_PATH);
  self->manager = docket_dbus_manager_skeleton_new ();
  docket_dbus_manager_set_version (self->manager, PACKAGE_VERSION);
  g_signal_connect_object (self->manager, "handle-get-status", G_CALLBACK (handle_get_status), self,
                           0);
  /* The manager interface sits beside org.freedesktop.DBus.ObjectManager at
   * the root path; an ObjectManagerServer only exports children of its path. */
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->manager),
                                         self->connection, DOCKET_DBUS_PATH, error))
    {
      g_prefix_error (error, "Cannot export the manager: ");
      return FALSE;
    }
  self->exporter = docket_camera_exporter_new (self->object_manager);
  g_dbus_object_manager_server_set_connection (self->object_manager, self->connection);

  store_root = g_build_filename (self->state_dir, "store", NULL);
  self->dock = docket_dock_new (store_root, self->known_cameras, error);
  if (self->dock == NULL)
    return FALSE;
  /* The chain head is signed before anything else can write to it. */
  {
    g_autofree gchar *key_path = NULL;
    const gchar *env = g_getenv ("DOCKET_STATION_KEY");

    key_path = env != NULL && *env != '\0'
                   ? g_strdup (env)
                   : g_build_filename (self->state_dir, "keys", "station.key", NULL);
    self->anchorer
        = docket_audit_anchorer_new (docket_dock_get_store (self->dock), key_path, error);
    if (self->anchorer == NULL)
      return FALSE;
  }
  if (self->firmware_dir != NULL)
    docket_dock_set_firmware_dir (self->dock, self->firmware_dir);
  /* Damage in the picture data shows only in a full decode: run it after
   * every offload, at low priority ($DOCKET_DEEP_CHECK=0 turns it off). */
  docket_offload_manager_set_deep_check (docket_dock_get_offload_manager (self->dock),
                                         g_strcmp0 (g_getenv ("DOCKET_DEEP_CHECK"), "0") != 0);
  g_signal_connect_object (self->dock, "camera-added", G_CALLBACK (on_dock_camera_added), self, 0);
  g_signal_connect_object (self->dock, "camera-removed", G_CALLBACK (on_dock_camera_removed), self,
                           0);
  g_signal_connect_object (self->dock, "event", G_CALLBACK (on_dock_event), self, 0);
  /* Device policy: in force before the first camera is seen. */
  docket_policy_service_attach (self->dock, self->manager, self->policy_dir, self->state_dir);
  /* Cameras already docked are announced from here on, before the name is
   * owned, so the first client to look sees them all. */
  if (!docket_dock_start (self->dock, error))
    return FALSE;
  if (!docket_session_service_attach (self->dock, self->connection, self->state_dir, error))
    return FALSE;
  /* Evidence to the department's object storage and catalogue, when
   * station.conf has an [upstream] group (docs/department.md). */
  docket_upstream_service_attach (self->dock, self->connection, self->manager, self->state_dir);

  /* Own the name last, so clients that see it find everything exported. */
  self->owner_id = g_bus_own_name_on_connection (self->connection, DOCKET_DBUS_NAME,
                                                 G_BUS_NAME_OWNER_FLAGS_NONE, on_name_acquired,
                                                 on_name_lost, self, NULL);
  emit_event (self, "started", NULL, _ ("Docket daemon started"), NULL);
  return TRUE;
}

DocketAuditAnchorer *
docket_daemon_get_anchorer (DocketDaemon *self)
{
  g_return_val_if_fail (DOCKET_IS_DAEMON (self), NULL);
  return self->anchorer;
}

gboolean
docket_daemon_lost_name (DocketDaemon *self)
{
  g_return_val_if_fail (DOCKET_IS_DAEMON (self), FALSE);
  return self->name_lost;
}

void
docket_daemon_stop (DocketDaemon *self)
{
  g_return_if_fail (DOCKET_IS_DAEMON (self));

  if (self->owner_id != 0)
    {
      g_bus_unown_name (self->owner_id);
      self->owner_id = 0;
    }
  if (self->dock != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->dock, self);
      docket_dock_stop (self->dock);
    }
  g_clear_object (&self->dock);
  if (self->anchorer != NULL)
    docket_audit_anchorer_stop (self->anchorer);
  g_clear_object (&self->exporter);
  if (self->object_manager != NULL)
    g_dbus_object_manager_server_set_connection (self->object_manager, NULL);
  g_clear_object (&self->object_manager);
  if (self->manager != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->manager));
  g_clear_object (&self->manager);
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      g_dbus_connection_flush_sync (self->connection, NULL, NULL);
    }
  g_clear_object (&self->connection);
}
