/* docket-client.c — a D-Bus client of docketd for the kiosk and docketctl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The proxies are bound to the daemon's *unique* name: a restarted daemon is
 * a new peer, so on every (re)appearance we throw everything away and load
 * afresh. That keeps stale proxies from a dead daemon out of the model.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-client.h"
#include "docket-client-enums.h"

/* A daemon that is on the bus but whose objects fail to load is retried. */
#define RETRY_SECONDS 2

struct _DocketClient
{
  GObject parent_instance;

  GBusType bus_type;
  DocketClientState state;
  guint watch_id;

  /* Per daemon instance; all cleared by teardown (). */
  GDBusConnection *connection; /* owned */
  gchar *name_owner;           /* owned; the daemon's unique name */
  GCancellable *cancellable;   /* owned */
  DocketDBusManager *manager;  /* owned */
  GDBusObjectManager *objects; /* owned */
  guint retry_id;

  GListStore *cameras; /* owned, stable across reconnects */
};

G_DEFINE_FINAL_TYPE (DocketClient, docket_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BUS_TYPE,
  PROP_STATE,
  PROP_MANAGER,
  PROP_CAMERAS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_loading (DocketClient *self);

const gchar *
docket_client_state_to_string (DocketClientState state)
{
  switch (state)
    {
      case DOCKET_CLIENT_STATE_CONNECTING:
        return "connecting";
      case DOCKET_CLIENT_STATE_CONNECTED:
        return "connected";
      case DOCKET_CLIENT_STATE_UNAVAILABLE:
        return "unavailable";
      default:
        return "unknown";
    }
}

static void
set_state (DocketClient *self, DocketClientState state)
{
  if (self->state == state)
    return;
  g_debug ("Daemon connection: %s → %s", docket_client_state_to_string (self->state),
           docket_client_state_to_string (state));
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static gboolean
find_camera (DocketClient *self, const gchar *object_path, guint *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->cameras));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GDBusProxy) proxy = g_list_model_get_item (G_LIST_MODEL (self->cameras), i);

      if (g_strcmp0 (g_dbus_proxy_get_object_path (proxy), object_path) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Dock slots are USB port paths ("1-2", "1-10"): compare them the way a
 * person would, so the grid matches the physical dock. */
static gint
compare_cameras (gconstpointer a, gconstpointer b, gpointer user_data)
{
  DocketDBusCamera *ca = (DocketDBusCamera *)a;
  DocketDBusCamera *cb = (DocketDBusCamera *)b;
  g_autofree gchar *ka = g_utf8_collate_key_for_filename (
      docket_dbus_camera_get_slot (ca) != NULL ? docket_dbus_camera_get_slot (ca) : "", -1);
  g_autofree gchar *kb = g_utf8_collate_key_for_filename (
      docket_dbus_camera_get_slot (cb) != NULL ? docket_dbus_camera_get_slot (cb) : "", -1);
  gint cmp = strcmp (ka, kb);

  if (cmp != 0)
    return cmp;
  return g_strcmp0 (g_dbus_proxy_get_object_path (G_DBUS_PROXY (ca)),
                    g_dbus_proxy_get_object_path (G_DBUS_PROXY (cb)));
}

static void
add_object (DocketClient *self, GDBusObject *object)
{
  g_autoptr (DocketDBusCamera) camera = docket_dbus_object_get_camera (DOCKET_DBUS_OBJECT (object));
  guint position;

  if (camera == NULL)
    return;
  if (find_camera (self, g_dbus_object_get_object_path (object), &position))
    return;
  g_list_store_insert_sorted (self->cameras, camera, compare_cameras, NULL);
}

static void
remove_object (DocketClient *self, GDBusObject *object)
{
  guint position;

  if (find_camera (self, g_dbus_object_get_object_path (object), &position))
    g_list_store_remove (self->cameras, position);
}

static void
object_added_cb (GDBusObjectManager *objects, GDBusObject *object, DocketClient *self)
{
  add_object (self, object);
}

static void
object_removed_cb (GDBusObjectManager *objects, GDBusObject *object, DocketClient *self)
{
  remove_object (self, object);
}

static void
interface_added_cb (GDBusObjectManager *objects,
                    GDBusObject *object,
                    GDBusInterface *interface,
                    DocketClient *self)
{
  if (DOCKET_DBUS_IS_CAMERA (interface))
    add_object (self, object);
}

static void
interface_removed_cb (GDBusObjectManager *objects,
                      GDBusObject *object,
                      GDBusInterface *interface,
                      DocketClient *self)
{
  if (DOCKET_DBUS_IS_CAMERA (interface))
    remove_object (self, object);
}

static void
teardown (DocketClient *self)
{
  gboolean had_manager = self->manager != NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->objects != NULL)
    g_signal_handlers_disconnect_by_data (self->objects, self);
  g_clear_object (&self->objects);
  g_clear_object (&self->manager);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->name_owner, g_free);
  g_list_store_remove_all (self->cameras);
  if (had_manager)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANAGER]);
}

static gboolean
retry_cb (gpointer user_data)
{
  DocketClient *self = user_data;

  self->retry_id = 0;
  start_loading (self);
  return G_SOURCE_REMOVE;
}

static void
loading_failed (DocketClient *self, const GError *error)
{
  g_warning ("Could not load the Docket daemon's objects (retrying in %d s): %s", RETRY_SECONDS,
             error->message);
  if (self->objects != NULL)
    g_signal_handlers_disconnect_by_data (self->objects, self);
  g_clear_object (&self->objects);
  g_clear_object (&self->manager);
  g_list_store_remove_all (self->cameras);
  set_state (self, DOCKET_CLIENT_STATE_UNAVAILABLE);
  self->retry_id = g_timeout_add_seconds (RETRY_SECONDS, retry_cb, self);
}

static void
objects_ready_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DocketClient *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusObjectManager) objects = NULL;
  GList *list;

  objects = docket_dbus_object_manager_client_new_finish (result, &error);
  if (objects == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* self may be gone */
  if (objects == NULL)
    {
      loading_failed (self, error);
      return;
    }

  self->objects = g_steal_pointer (&objects);
  g_signal_connect (self->objects, "object-added", G_CALLBACK (object_added_cb), self);
  g_signal_connect (self->objects, "object-removed", G_CALLBACK (object_removed_cb), self);
  g_signal_connect (self->objects, "interface-added", G_CALLBACK (interface_added_cb), self);
  g_signal_connect (self->objects, "interface-removed", G_CALLBACK (interface_removed_cb), self);

  list = g_dbus_object_manager_get_objects (self->objects);
  for (GList *l = list; l != NULL; l = l->next)
    add_object (self, l->data);
  g_list_free_full (list, g_object_unref);

  set_state (self, DOCKET_CLIENT_STATE_CONNECTED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANAGER]);
}

static void
manager_ready_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DocketClient *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketDBusManager) manager = NULL;

  manager = docket_dbus_manager_proxy_new_finish (result, &error);
  if (manager == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (manager == NULL)
    {
      loading_failed (self, error);
      return;
    }
  /* Calls into a busy daemon (GetStatus with a big store) may be slow. */
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (manager), 60 * 1000);
  self->manager = g_steal_pointer (&manager);

  docket_dbus_object_manager_client_new (
      self->connection, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START, self->name_owner,
      DOCKET_DBUS_PATH, self->cancellable, objects_ready_cb, self);
}

static void
start_loading (DocketClient *self)
{
  set_state (self, DOCKET_CLIENT_STATE_CONNECTING);
  docket_dbus_manager_proxy_new (self->connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                 self->name_owner, DOCKET_DBUS_PATH, self->cancellable,
                                 manager_ready_cb, self);
}

static void
name_appeared_cb (GDBusConnection *connection,
                  const gchar *name,
                  const gchar *name_owner,
                  gpointer user_data)
{
  DocketClient *self = user_data;

  g_debug ("Docket daemon appeared as %s", name_owner);
  teardown (self);
  self->connection = g_object_ref (connection);
  self->name_owner = g_strdup (name_owner);
  self->cancellable = g_cancellable_new ();
  start_loading (self);
}

static void
name_vanished_cb (GDBusConnection *connection, const gchar *name, gpointer user_data)
{
  DocketClient *self = user_data;

  g_debug ("Docket daemon is not on the %s bus", connection != NULL ? "message" : "(absent)");
  teardown (self);
  set_state (self, DOCKET_CLIENT_STATE_UNAVAILABLE);
}

static void
docket_client_constructed (GObject *object)
{
  DocketClient *self = DOCKET_CLIENT (object);

  G_OBJECT_CLASS (docket_client_parent_class)->constructed (object);

  self->watch_id
      = g_bus_watch_name (self->bus_type, DOCKET_DBUS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                          name_appeared_cb, name_vanished_cb, self, NULL);
}

static void
docket_client_dispose (GObject *object)
{
  DocketClient *self = DOCKET_CLIENT (object);

  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  if (self->cameras != NULL)
    teardown (self);
  g_clear_object (&self->cameras);

  G_OBJECT_CLASS (docket_client_parent_class)->dispose (object);
}

static void
docket_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketClient *self = DOCKET_CLIENT (object);

  switch (prop_id)
    {
      case PROP_BUS_TYPE:
        g_value_set_enum (value, self->bus_type);
        break;
      case PROP_STATE:
        g_value_set_enum (value, self->state);
        break;
      case PROP_MANAGER:
        g_value_set_object (value, docket_client_get_manager (self));
        break;
      case PROP_CAMERAS:
        g_value_set_object (value, self->cameras);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_client_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DocketClient *self = DOCKET_CLIENT (object);

  switch (prop_id)
    {
      case PROP_BUS_TYPE:
        self->bus_type = g_value_get_enum (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_client_class_init (DocketClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = docket_client_constructed;
  object_class->dispose = docket_client_dispose;
  object_class->get_property = docket_client_get_property;
  object_class->set_property = docket_client_set_property;

  properties[PROP_BUS_TYPE]
      = g_param_spec_enum ("bus-type", NULL, NULL, G_TYPE_BUS_TYPE, G_BUS_TYPE_SYSTEM,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] = g_param_spec_enum (
      "state", NULL, NULL, DOCKET_TYPE_CLIENT_STATE, DOCKET_CLIENT_STATE_CONNECTING,
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MANAGER]
      = g_param_spec_object ("manager", NULL, NULL, DOCKET_DBUS_TYPE_MANAGER,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAMERAS] = g_param_spec_object ("cameras", NULL, NULL, G_TYPE_LIST_MODEL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_client_init (DocketClient *self)
{
  self->state = DOCKET_CLIENT_STATE_CONNECTING;
  self->cameras = g_list_store_new (DOCKET_DBUS_TYPE_CAMERA);
}

/**
 * docket_client_new:
 * @bus_type: %G_BUS_TYPE_SYSTEM in production, %G_BUS_TYPE_SESSION for
 *   development and tests
 *
 * Starts watching for the daemon at once, on the thread-default main context.
 */
DocketClient *
docket_client_new (GBusType bus_type)
{
  return g_object_new (DOCKET_TYPE_CLIENT, "bus-type", bus_type, NULL);
}

GBusType
docket_client_get_bus_type (DocketClient *self)
{
  g_return_val_if_fail (DOCKET_IS_CLIENT (self), G_BUS_TYPE_NONE);
  return self->bus_type;
}

DocketClientState
docket_client_get_state (DocketClient *self)
{
  g_return_val_if_fail (DOCKET_IS_CLIENT (self), DOCKET_CLIENT_STATE_UNAVAILABLE);
  return self->state;
}

DocketDBusManager *
docket_client_get_manager (DocketClient *self)
{
  g_return_val_if_fail (DOCKET_IS_CLIENT (self), NULL);
  return self->state == DOCKET_CLIENT_STATE_CONNECTED ? self->manager : NULL;
}

GListModel *
docket_client_get_cameras (DocketClient *self)
{
  g_return_val_if_fail (DOCKET_IS_CLIENT (self), NULL);
  return G_LIST_MODEL (self->cameras);
}

static void
session_ready_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  DocketDBusSession *session = docket_dbus_session_proxy_new_finish (result, &error);

  if (session == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, session, g_object_unref);
}

static void
sign_in_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  DocketClient *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr (GVariant) reply = NULL;
  const gchar *path;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      /* The daemon's messages are written for people; drop the D-Bus prefix. */
      g_dbus_error_strip_remote_error (error);
      g_task_return_error (task, error);
      return;
    }
  if (self->name_owner == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _ ("The Docket service stopped. Try again in a moment."));
      return;
    }
  g_variant_get (reply, "(&o)", &path);
  docket_dbus_session_proxy_new (G_DBUS_CONNECTION (source), G_DBUS_PROXY_FLAGS_NONE,
                                 self->name_owner, path, g_task_get_cancellable (task),
                                 session_ready_cb, g_object_ref (task));
}

void
docket_client_sign_in_async (DocketClient *self,
                             const gchar *badge,
                             const gchar *pin,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (DOCKET_IS_CLIENT (self));
  g_return_if_fail (badge != NULL && pin != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_client_sign_in_async);
  if (self->state != DOCKET_CLIENT_STATE_CONNECTED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _ ("The Docket service is not running. Try again in a moment."));
      return;
    }
  /* Checking the PIN (argon2id) takes the daemon a moment; be patient. */
  g_dbus_connection_call (
      self->connection, self->name_owner, DOCKET_DBUS_PATH, "io.github.docket.Docket1.People",
      "SignIn", g_variant_new ("(ss)", badge, pin), G_VARIANT_TYPE ("(o)"),
      G_DBUS_CALL_FLAGS_NO_AUTO_START, 60 * 1000, cancellable, sign_in_cb, g_steal_pointer (&task));
}

DocketDBusSession *
docket_client_sign_in_finish (DocketClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (DOCKET_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
