/* docket-camera-exporter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each docked camera becomes /io/github/docket/Docket1/camera/<slot>. The
 * path is keyed by the dock slot, not the serial: the serial is only known
 * after identify, and a slot holds one camera at a time.
 */
#include "config.h"

#include "docket-camera-exporter.h"
#include "docket-dbus-generated.h"

struct _DocketCameraExporter
{
  GObject parent_instance;

  GDBusObjectManagerServer *server; /* owned */
  GHashTable *exported;             /* DocketCamera* (owned) → gchar *path */
  guint serial_counter;
};

G_DEFINE_FINAL_TYPE (DocketCameraExporter, docket_camera_exporter, G_TYPE_OBJECT)

/* DocketCamera property → D-Bus property. Types match one-to-one. */
static const struct
{
  const gchar *camera_prop;
  const gchar *dbus_prop;
} bindings[] = {
  { "serial", "serial" },
  { "vendor", "vendor" },
  { "model", "model" },
  { "firmware-version", "firmware-version" },
  { "protocol-version", "protocol-version" },
  { "slot", "slot" },
  { "state-name", "state" },
  { "problem", "problem" },
  { "battery-percent", "battery-percent" },
  { "charging-state-name", "charging-state" },
  { "battery-temperature", "battery-temperature" },
  { "storage-used", "storage-used" },
  { "storage-total", "storage-total" },
  { "clock-drift-ms", "clock-drift-ms" },
  { "offload", "offload" },
  { "officer", "officer" },
  { "policy-state", "policy-state" }, /* device policy */
  { "policy-details", "policy-details" },
  { "ready-for-shift", "ready-for-shift" }, /* battery and check-out */
  { "ready-in-seconds", "ready-in-seconds" },
  { "charge-note", "charge-note" },
  { "battery-health-percent", "battery-health-percent" },
  { "alerts", "alerts" },
  { "holder", "holder" },
  { "pooled", "pooled" },
  { "firmware-update", "firmware-update" }, /* firmware update */
  { "messages", "messages" },               /* the texts for clients in another language */
};

static void
docket_camera_exporter_dispose (GObject *object)
{
  DocketCameraExporter *self = DOCKET_CAMERA_EXPORTER (object);

  if (self->exported != NULL && self->server != NULL)
    {
      GHashTableIter iter;
      gpointer path;

      g_hash_table_iter_init (&iter, self->exported);
      while (g_hash_table_iter_next (&iter, NULL, &path))
        g_dbus_object_manager_server_unexport (self->server, path);
    }
  g_clear_pointer (&self->exported, g_hash_table_unref);
  g_clear_object (&self->server);
  G_OBJECT_CLASS (docket_camera_exporter_parent_class)->dispose (object);
}

static void
docket_camera_exporter_class_init (DocketCameraExporterClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = docket_camera_exporter_dispose;
}

static void
docket_camera_exporter_init (DocketCameraExporter *self)
{
  self->exported = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, g_free);
}

DocketCameraExporter *
docket_camera_exporter_new (GDBusObjectManagerServer *server)
{
  DocketCameraExporter *self;

  g_return_val_if_fail (G_IS_DBUS_OBJECT_MANAGER_SERVER (server), NULL);

  self = g_object_new (DOCKET_TYPE_CAMERA_EXPORTER, NULL);
  self->server = g_object_ref (server);
  return self;
}

static gchar *
build_path (DocketCameraExporter *self, DocketCamera *camera)
{
  const gchar *slot = docket_camera_get_slot (camera);
  g_autofree gchar *escaped = NULL;

  if (slot == NULL || *slot == '\0')
    return g_strdup_printf (DOCKET_DBUS_PATH "/camera/unslotted%u", ++self->serial_counter);
  escaped = g_dbus_escape_object_path (slot);
  return g_strdup_printf (DOCKET_DBUS_PATH "/camera/%s", escaped);
}

static gboolean
path_equal (gpointer key, gpointer value, gpointer user_data)
{
  return g_strcmp0 (value, user_data) == 0;
}

const gchar *
docket_camera_exporter_add (DocketCameraExporter *self, DocketCamera *camera)
{
  g_autoptr (DocketDBusObjectSkeleton) object = NULL;
  g_autoptr (DocketDBusCamera) iface = NULL;
  g_autofree gchar *path = NULL;
  const gchar *stored;

  g_return_val_if_fail (DOCKET_IS_CAMERA_EXPORTER (self), NULL);
  g_return_val_if_fail (DOCKET_IS_CAMERA (camera), NULL);

  stored = g_hash_table_lookup (self->exported, camera);
  if (stored != NULL)
    return stored;

  path = build_path (self, camera);
  /* A camera still exported at this slot is stale (its removal has not been
   * seen yet); forget it, or removing it later would unexport this one. */
  g_hash_table_foreach_remove (self->exported, path_equal, path);
  object = docket_dbus_object_skeleton_new (path);
  iface = docket_dbus_camera_skeleton_new ();
  docket_dbus_camera_set_driver (iface,
                                 docket_camera_driver_get_name (docket_camera_get_driver (camera)));
  for (gsize i = 0; i < G_N_ELEMENTS (bindings); i++)
    g_object_bind_property (camera, bindings[i].camera_prop, iface, bindings[i].dbus_prop,
                            G_BINDING_SYNC_CREATE);
  docket_dbus_object_skeleton_set_camera (object, iface);
  /* export_uniquely would rename on a clash; a clash means a stale object, so replace it. */
  g_dbus_object_manager_server_export (self->server, G_DBUS_OBJECT_SKELETON (object));

  g_hash_table_insert (self->exported, g_object_ref (camera), g_strdup (path));
  return g_hash_table_lookup (self->exported, camera);
}

void
docket_camera_exporter_remove (DocketCameraExporter *self, DocketCamera *camera)
{
  const gchar *path;

  g_return_if_fail (DOCKET_IS_CAMERA_EXPORTER (self));

  path = g_hash_table_lookup (self->exported, camera);
  if (path == NULL)
    return;
  g_dbus_object_manager_server_unexport (self->server, path);
  g_hash_table_remove (self->exported, camera);
}

const gchar *
docket_camera_exporter_lookup_path (DocketCameraExporter *self, DocketCamera *camera)
{
  g_return_val_if_fail (DOCKET_IS_CAMERA_EXPORTER (self), NULL);
  return g_hash_table_lookup (self->exported, camera);
}

guint
docket_camera_exporter_get_n_cameras (DocketCameraExporter *self)
{
  g_return_val_if_fail (DOCKET_IS_CAMERA_EXPORTER (self), 0);
  return g_hash_table_size (self->exported);
}
