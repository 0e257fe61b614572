/* docket-session-guard.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-session-guard.h"

/* Shared with the filter, which may still run once after it is removed. */
typedef struct
{
  GMutex lock;
  GHashTable *owners; /* object path → unique bus name */
  gchar *prefix;
} GuardState;

struct _DocketSessionGuard
{
  GDBusConnection *connection;
  guint filter_id;
  GuardState *state;
};

static void
guard_state_clear (GuardState *state)
{
  g_mutex_clear (&state->lock);
  g_hash_table_unref (state->owners);
  g_free (state->prefix);
}

static void
guard_state_unref (gpointer state)
{
  g_atomic_rc_box_release_full (state, (GDestroyNotify)guard_state_clear);
}

/* The owner of @path (a copy), or NULL if it is not a known session. */
static gchar *
dup_owner (GuardState *state, const gchar *path)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&state->lock);

  return g_strdup (g_hash_table_lookup (state->owners, path));
}

static GDBusMessage *
filter (GDBusConnection *connection, GDBusMessage *message, gboolean incoming, gpointer user_data)
{
  GuardState *state = user_data;
  const gchar *path = g_dbus_message_get_path (message);
  GDBusMessageType type = g_dbus_message_get_message_type (message);
  g_autofree gchar *owner = NULL;

  if (path == NULL || !g_str_has_prefix (path, state->prefix))
    return message;
  owner = dup_owner (state, path);

  if (incoming && type == G_DBUS_MESSAGE_TYPE_METHOD_CALL
      && g_strcmp0 (g_dbus_message_get_interface (message), "org.freedesktop.DBus.Properties") == 0
      && owner != NULL && g_strcmp0 (g_dbus_message_get_sender (message), owner) != 0)
    {
      g_autoptr (GDBusMessage) reply = NULL;

      if (!(g_dbus_message_get_flags (message) & G_DBUS_MESSAGE_FLAGS_NO_REPLY_EXPECTED))
        {
          reply = g_dbus_message_new_method_error_literal (
              message, "io.github.docket.Docket1.Error.AccessDenied",
              _ ("This session belongs to another client"));
          (void)g_dbus_connection_send_message (connection, reply, G_DBUS_SEND_MESSAGE_FLAGS_NONE,
                                                NULL, NULL);
        }
      g_object_unref (message);
      return NULL;
    }

  if (!incoming && type == G_DBUS_MESSAGE_TYPE_SIGNAL
      && g_dbus_message_get_destination (message) == NULL)
    {
      GDBusMessage *unicast = NULL;

      /* A sent message is locked; its copy is not. */
      if (owner != NULL)
        unicast = g_dbus_message_copy (message, NULL);
      g_object_unref (message);
      if (unicast != NULL)
        g_dbus_message_set_destination (unicast, owner);
      return unicast;
    }
  return message;
}

DocketSessionGuard *
docket_session_guard_new (GDBusConnection *connection, const gchar *prefix)
{
  DocketSessionGuard *guard = g_new0 (DocketSessionGuard, 1);

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);

  guard->connection = g_object_ref (connection);
  guard->state = g_atomic_rc_box_new0 (GuardState);
  g_mutex_init (&guard->state->lock);
  guard->state->owners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guard->state->prefix = g_strdup (prefix);
  guard->filter_id = g_dbus_connection_add_filter (
      connection, filter, g_atomic_rc_box_acquire (guard->state), guard_state_unref);
  return guard;
}

void
docket_session_guard_free (DocketSessionGuard *guard)
{
  if (guard == NULL)
    return;
  g_dbus_connection_remove_filter (guard->connection, guard->filter_id);
  guard_state_unref (guard->state);
  g_object_unref (guard->connection);
  g_free (guard);
}

void
docket_session_guard_register (DocketSessionGuard *guard,
                               const gchar *object_path,
                               const gchar *owner)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&guard->state->lock);

  g_hash_table_insert (guard->state->owners, g_strdup (object_path), g_strdup (owner));
}

void
docket_session_guard_unregister (DocketSessionGuard *guard, const gchar *object_path)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&guard->state->lock);

  g_hash_table_remove (guard->state->owners, object_path);
}
