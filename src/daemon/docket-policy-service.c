/* docket-policy-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-policy-service.h"
#include "docket-timedate.h"

#define RELOAD_DELAY_MS 1000

struct _DocketPolicyService
{
  GObject parent_instance;

  DocketDock *dock;           /* borrowed: the dock owns us */
  DocketDBusManager *manager; /* owned */
  DocketTimedate *timedate;   /* owned */
  GFileMonitor *monitor;      /* owned */
  gchar *policy_dir;
  gchar *keys_dir;
  gchar *incoming;
  gchar *state_dir;
  gchar *refusal; /* why the newest document was refused, or NULL */
  guint reload_source;
};

G_DEFINE_FINAL_TYPE (DocketPolicyService, docket_policy_service, G_TYPE_OBJECT)

static void
docket_policy_service_finalize (GObject *object)
{
  DocketPolicyService *self = DOCKET_POLICY_SERVICE (object);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  g_clear_object (&self->manager);
  g_clear_object (&self->timedate);
  g_free (self->policy_dir);
  g_free (self->keys_dir);
  g_free (self->incoming);
  g_free (self->state_dir);
  g_free (self->refusal);
  G_OBJECT_CLASS (docket_policy_service_parent_class)->finalize (object);
}

static void
docket_policy_service_class_init (DocketPolicyServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_policy_service_finalize;
}

static void
docket_policy_service_init (DocketPolicyService *self)
{
}

static void
emit (DocketPolicyService *self, const gchar *kind, const gchar *message)
{
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "DOCKET_EVENT", kind, "MESSAGE", "%s",
                    message);
  docket_dbus_manager_emit_event (self->manager, kind, "/", message,
                                  g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
}

static void
load (DocketPolicyService *self)
{
  g_autoptr (GError) refusal = NULL;
  g_autoptr (DocketPolicy) policy = NULL;
  DocketPolicy *before = docket_dock_get_policy (self->dock);
  gint64 before_version = before != NULL ? docket_policy_get_version (before) : 0;
  const gchar *before_text = before != NULL ? docket_policy_get_text (before) : NULL;
  g_autofree gchar *message = NULL;

  policy = docket_policy_load_in_force (self->incoming, self->keys_dir, self->state_dir, &refusal);
  g_clear_pointer (&self->refusal, g_free);
  if (refusal != NULL)
    {
      self->refusal = g_strdup (refusal->message);
      if (policy != NULL)
        message = g_strdup_printf (
            _ ("The new device policy was refused, version %lld stays in force: %s"),
            (long long)docket_policy_get_version (policy), refusal->message);
      else
        message = g_strdup_printf (_ ("The device policy was refused and none is in force: %s"),
                                   refusal->message);
      emit (self, "policy-refused", message);
    }
  else if (policy != NULL && docket_policy_get_version (policy) != before_version)
    {
      message = g_strdup_printf (_ ("Device policy version %lld is in force (signed with %s)"),
                                 (long long)docket_policy_get_version (policy),
                                 docket_policy_get_signed_by (policy));
      emit (self, "policy-loaded", message);
    }
  if (policy == NULL || g_strcmp0 (docket_policy_get_text (policy), before_text) != 0)
    docket_dock_set_policy (self->dock, policy, self->timedate);
}

static gboolean
reload_cb (gpointer user_data)
{
  DocketPolicyService *self = user_data;

  self->reload_source = 0;
  load (self);
  return G_SOURCE_REMOVE;
}

/* Configuration management writes the policy and its signature one after
 * the other: wait for the writes to settle before reading. */
static void
on_policy_dir_changed (GFileMonitor *monitor,
                       GFile *file,
                       GFile *other,
                       GFileMonitorEvent event,
                       DocketPolicyService *self)
{
  g_autofree gchar *name = g_file_get_basename (file);

  if (!g_str_has_prefix (name, "policy.json"))
    return;
  g_clear_handle_id (&self->reload_source, g_source_remove);
  self->reload_source = g_timeout_add (RELOAD_DELAY_MS, reload_cb, self);
}

typedef struct
{
  DocketPolicyService *self; /* owned */
  GDBusMethodInvocation *invocation;
} GetPolicy;

static void
get_policy_clock_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GetPolicy *call = user_data;
  DocketPolicyService *self = call->self;
  DocketPolicy *policy = docket_dock_get_policy (self->dock);
  g_autofree gchar *clock_message = NULL;
  DocketClockSync sync
      = docket_timedate_query_finish (DOCKET_TIMEDATE (source), res, &clock_message);
  GVariantDict status;

  g_variant_dict_init (&status, NULL);
  if (policy != NULL)
    {
      g_autoptr (GVariant) summary = g_variant_ref_sink (docket_policy_to_summary (policy));
      GVariantIter iter;
      const gchar *key;
      GVariant *value;

      g_variant_iter_init (&iter, summary);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          g_variant_dict_insert_value (&status, key, value);
          g_variant_unref (value);
        }
    }
  g_variant_dict_insert (&status, "state", "s", policy != NULL ? "in-force" : "none");
  if (self->refusal != NULL)
    g_variant_dict_insert (&status, "refused", "s", self->refusal);
  g_variant_dict_insert (&status, "policy-dir", "s", self->policy_dir);
  g_variant_dict_insert (&status, "clock-sync", "s", docket_clock_sync_to_string (sync));
  g_variant_dict_insert (&status, "clock-sync-message", "s", clock_message);
  docket_dbus_manager_complete_get_policy (self->manager, call->invocation,
                                           policy != NULL ? docket_policy_get_text (policy) : "",
                                           g_variant_dict_end (&status));
  g_object_unref (call->self);
  g_object_unref (call->invocation);
  g_free (call);
}

static gboolean
handle_get_policy (DocketDBusManager *manager,
                   GDBusMethodInvocation *invocation,
                   DocketPolicyService *self)
{
  GetPolicy *call = g_new0 (GetPolicy, 1);

  call->self = g_object_ref (self);
  call->invocation = g_object_ref (invocation);
  /* timedated can take a moment to start: off the main thread. */
  docket_timedate_query_async (self->timedate, NULL, get_policy_clock_cb, call);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
docket_policy_service_attach (DocketDock *dock,
                              DocketDBusManager *manager,
                              const gchar *policy_dir,
                              const gchar *state_dir)
{
  DocketPolicyService *self;
  g_autoptr (GFile) dir = NULL;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (DOCKET_IS_DOCK (dock));
  g_return_if_fail (policy_dir != NULL && state_dir != NULL);

  self = g_object_new (DOCKET_TYPE_POLICY_SERVICE, NULL);
  self->dock = dock;
  self->manager = g_object_ref (manager);
  /* The kiosk's clock is system-wide: ask the system bus even when serving
   * on the session bus. */
  self->timedate = docket_timedate_new (NULL);
  self->policy_dir = g_strdup (policy_dir);
  self->keys_dir = g_build_filename (policy_dir, "trusted-keys", NULL);
  self->incoming = g_build_filename (policy_dir, "policy.json", NULL);
  self->state_dir = g_strdup (state_dir);
  g_object_set_data_full (G_OBJECT (dock), "docket-policy-service", self, g_object_unref);

  g_signal_connect (manager, "handle-get-policy", G_CALLBACK (handle_get_policy), self);
  load (self);

  dir = g_file_new_for_path (policy_dir);
  self->monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->monitor == NULL)
    g_message ("Not watching %s for policy changes: %s", policy_dir, error->message);
  else
    g_signal_connect (self->monitor, "changed", G_CALLBACK (on_policy_dir_changed), self);
}
