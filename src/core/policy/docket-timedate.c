/* docket-timedate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-timedate.h"

#define TIMEDATE_NAME "org.freedesktop.timedate1"
#define TIMEDATE_PATH "/org/freedesktop/timedate1"
#define QUERY_TIMEOUT_MS 5000

struct _DocketTimedate
{
  GObject parent_instance;

  GMutex lock;
  GDBusConnection *connection; /* (mutex lock) */
};

G_DEFINE_FINAL_TYPE (DocketTimedate, docket_timedate, G_TYPE_OBJECT)

const gchar *
docket_clock_sync_to_string (DocketClockSync sync)
{
  switch (sync)
    {
      case DOCKET_CLOCK_SYNC_SYNCHRONISED:
        return "synchronised";
      case DOCKET_CLOCK_SYNC_NOT_SYNCHRONISED:
        return "not-synchronised";
      case DOCKET_CLOCK_SYNC_UNKNOWN:
      default:
        return "unknown";
    }
}

static void
docket_timedate_finalize (GObject *object)
{
  DocketTimedate *self = DOCKET_TIMEDATE (object);

  g_clear_object (&self->connection);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (docket_timedate_parent_class)->finalize (object);
}

static void
docket_timedate_class_init (DocketTimedateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_timedate_finalize;
}

static void
docket_timedate_init (DocketTimedate *self)
{
  g_mutex_init (&self->lock);
}

DocketTimedate *
docket_timedate_new (GDBusConnection *connection)
{
  DocketTimedate *self;

  g_return_val_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection), NULL);

  self = g_object_new (DOCKET_TYPE_TIMEDATE, NULL);
  if (connection != NULL)
    self->connection = g_object_ref (connection);
  return self;
}

static GDBusConnection *
dup_connection (DocketTimedate *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (self->connection == NULL)
    self->connection = g_bus_get_sync (G_BUS_TYPE_SYSTEM, cancellable, error);
  return self->connection != NULL ? g_object_ref (self->connection) : NULL;
}

DocketClockSync
docket_timedate_query_sync (DocketTimedate *self, GCancellable *cancellable, gchar **out_message)
{
  g_autoptr (GDBusConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) value = NULL;
  DocketClockSync sync;
  gchar *message;

  g_return_val_if_fail (DOCKET_IS_TIMEDATE (self), DOCKET_CLOCK_SYNC_UNKNOWN);

  connection = dup_connection (self, cancellable, &error);
  if (connection != NULL)
    reply = g_dbus_connection_call_sync (
        connection, TIMEDATE_NAME, TIMEDATE_PATH, "org.freedesktop.DBus.Properties", "Get",
        g_variant_new ("(ss)", TIMEDATE_NAME, "NTPSynchronized"), G_VARIANT_TYPE ("(v)"),
        G_DBUS_CALL_FLAGS_NONE, QUERY_TIMEOUT_MS, cancellable, &error);
  if (reply != NULL)
    {
      g_variant_get (reply, "(v)", &value);
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        {
          g_clear_pointer (&reply, g_variant_unref);
          g_set_error_literal (&error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_SIGNATURE,
                               "NTPSynchronized is not a boolean");
        }
    }
  if (reply == NULL)
    {
      sync = DOCKET_CLOCK_SYNC_UNKNOWN;
      message = g_strdup_printf (_ ("Unknown whether this kiosk's clock is synchronised: "
                                    "systemd-timedated did not answer (%s)"),
                                 error->message);
    }
  else if (g_variant_get_boolean (value))
    {
      sync = DOCKET_CLOCK_SYNC_SYNCHRONISED;
      message = g_strdup (_ ("This kiosk's clock is synchronised (NTP)"));
    }
  else
    {
      sync = DOCKET_CLOCK_SYNC_NOT_SYNCHRONISED;
      message = g_strdup (_ ("This kiosk's clock is not synchronised: check its network time "
                             "(NTP) settings"));
    }
  if (out_message != NULL)
    *out_message = message;
  else
    g_free (message);
  return sync;
}

typedef struct
{
  DocketClockSync sync;
  gchar *message;
} QueryResult;

static void
query_result_free (QueryResult *r)
{
  g_free (r->message);
  g_free (r);
}

static void
query_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  QueryResult *r = g_new0 (QueryResult, 1);

  r->sync = docket_timedate_query_sync (source, cancellable, &r->message);
  g_task_return_pointer (task, r, (GDestroyNotify)query_result_free);
}

void
docket_timedate_query_async (DocketTimedate *self,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (DOCKET_IS_TIMEDATE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_timedate_query_async);
  g_task_run_in_thread (task, query_thread);
}

DocketClockSync
docket_timedate_query_finish (DocketTimedate *self, GAsyncResult *result, gchar **out_message)
{
  QueryResult *r;
  DocketClockSync sync;

  g_return_val_if_fail (g_task_is_valid (result, self), DOCKET_CLOCK_SYNC_UNKNOWN);

  r = g_task_propagate_pointer (G_TASK (result), NULL);
  if (r == NULL)
    {
      if (out_message != NULL)
        *out_message = g_strdup (_ ("Unknown whether this kiosk's clock is synchronised"));
      return DOCKET_CLOCK_SYNC_UNKNOWN;
    }
  sync = r->sync;
  if (out_message != NULL)
    *out_message = g_steal_pointer (&r->message);
  query_result_free (r);
  return sync;
}
