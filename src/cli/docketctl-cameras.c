/* docketctl-cameras.c — status, cameras and watch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "docketctl.h"

int
docketctl_status (const DocketctlOptions *options, int argc, char **argv)
{
  g_autoptr (DocketDBusManager) manager = NULL;
  g_autoptr (GVariant) status = NULL;
  g_autoptr (GError) error = NULL;
  GVariantIter iter;
  const gchar *key;
  GVariant *value;

  if (!docketctl_no_more_args ("status", argc, argv))
    return DOCKETCTL_EXIT_USAGE;
  manager = docketctl_connect_manager (options);
  if (manager == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;
  if (!docket_dbus_manager_call_get_status_sync (manager, &status, NULL, &error))
    {
      g_dbus_error_strip_remote_error (error);
      g_printerr (_ ("docketctl: could not read the daemon's status: %s\n"), error->message);
      return DOCKETCTL_EXIT_FAILED;
    }

  if (options->json)
    {
      g_autoptr (JsonNode) node = docketctl_variant_to_json (status);
      docketctl_print_json (node, TRUE);
      return DOCKETCTL_EXIT_OK;
    }

  g_variant_iter_init (&iter, status);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autofree gchar *text = NULL;

      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        text = g_variant_dup_string (value, NULL);
      else
        text = g_variant_print (value, FALSE);
      g_print ("%-18s %s\n", key, text);
      g_variant_unref (value);
    }
  return DOCKETCTL_EXIT_OK;
}

static JsonNode *
camera_to_json (DocketDBusCamera *camera, const gchar *path)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_auto (GStrv) names = g_dbus_proxy_get_cached_property_names (G_DBUS_PROXY (camera));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ObjectPath");
  json_builder_add_string_value (builder, path);
  for (gsize i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autoptr (GVariant) value
          = g_dbus_proxy_get_cached_property (G_DBUS_PROXY (camera), names[i]);
      json_builder_set_member_name (builder, names[i]);
      json_builder_add_value (builder, docketctl_variant_to_json (value));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gchar *
format_battery (DocketDBusCamera *camera)
{
  gint percent = docket_dbus_camera_get_battery_percent (camera);

  if (percent < 0)
    return g_strdup ("?");
  return g_strdup_printf ("%d%% %s", percent, docket_dbus_camera_get_charging_state (camera));
}

/* Issue 6b: ready for shift, or when; battery health. */
static gchar *
format_ready (DocketDBusCamera *camera)
{
  gint seconds = docket_dbus_camera_get_ready_in_seconds (camera);
  gint health = docket_dbus_camera_get_battery_health_percent (camera);
  g_autofree gchar *ready = NULL;

  if (docket_dbus_camera_get_ready_for_shift (camera))
    ready = g_strdup (_ ("yes"));
  else if (seconds > 0)
    ready = g_strdup_printf (_ ("in %d min"), (seconds + 59) / 60);
  else
    ready = g_strdup (_ ("no"));
  if (health < 0)
    return g_steal_pointer (&ready);
  return g_strdup_printf (_ ("%s, health %d%%"), ready, health);
}

int
docketctl_cameras (const DocketctlOptions *options, int argc, char **argv)
{
  g_autoptr (GDBusObjectManager) manager = NULL;
  g_autolist (GDBusObject) objects = NULL;

  if (!docketctl_no_more_args ("cameras", argc, argv))
    return DOCKETCTL_EXIT_USAGE;
  manager = docketctl_connect_cameras (options);
  if (manager == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;
  objects = g_dbus_object_manager_get_objects (manager);

  if (options->json)
    {
      g_autoptr (JsonArray) array = json_array_new ();
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (GList *l = objects; l != NULL; l = l->next)
        {
          g_autoptr (DocketDBusCamera) camera = docket_dbus_object_get_camera (l->data);
          if (camera != NULL)
            json_array_add_element (
                array, camera_to_json (camera, g_dbus_object_get_object_path (l->data)));
        }
      json_node_set_array (node, array);
      docketctl_print_json (node, TRUE);
      return DOCKETCTL_EXIT_OK;
    }

  if (objects == NULL)
    {
      g_print ("%s\n", _ ("No cameras docked."));
      return DOCKETCTL_EXIT_OK;
    }
  g_print ("%-8s %-16s %-20s %-12s %-16s %-10s %-22s %s\n", _ ("SLOT"), _ ("SERIAL"), _ ("MODEL"),
           _ ("STATE"), _ ("BATTERY"), _ ("HOLDER"), _ ("READY"), _ ("PROBLEM"));
  for (GList *l = objects; l != NULL; l = l->next)
    {
      g_autoptr (DocketDBusCamera) camera = docket_dbus_object_get_camera (l->data);
      g_autofree gchar *battery = NULL;
      g_autofree gchar *ready = NULL;
      const gchar *holder;
      const gchar *const *alerts;

      if (camera == NULL)
        continue;
      battery = format_battery (camera);
      ready = format_ready (camera);
      holder = docket_dbus_camera_get_holder (camera);
      if (holder == NULL || *holder == '\0')
        holder = docket_dbus_camera_get_pooled (camera) ? _ ("(pool)") : "-";
      g_print ("%-8s %-16s %-20s %-12s %-16s %-10s %-22s %s\n",
               docket_dbus_camera_get_slot (camera), docket_dbus_camera_get_serial (camera),
               docket_dbus_camera_get_model (camera), docket_dbus_camera_get_state (camera),
               battery, holder, ready, docket_dbus_camera_get_problem (camera));
      alerts = docket_dbus_camera_get_alerts (camera);
      for (gsize i = 0; alerts != NULL && alerts[i] != NULL; i++)
        g_print ("         %s %s\n", _ ("ALERT:"), alerts[i]);
      if (docket_dbus_camera_get_charge_note (camera) != NULL
          && *docket_dbus_camera_get_charge_note (camera) != '\0')
        g_print ("         %s\n", docket_dbus_camera_get_charge_note (camera));
    }
  return DOCKETCTL_EXIT_OK;
}

/* watch ------------------------------------------------------------------ */

typedef struct
{
  const DocketctlOptions *options;
  GMainLoop *loop;
  gint remaining; /* events left before exiting; -1 = forever */
} WatchData;

static void
print_event (WatchData *data,
             const gchar *kind,
             const gchar *camera,
             const gchar *message,
             GVariant *details)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree gchar *stamp = g_date_time_format_iso8601 (now);

  if (data->options->json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "time");
      json_builder_add_string_value (builder, stamp);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kind);
      json_builder_set_member_name (builder, "camera");
      json_builder_add_string_value (builder, camera);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
      if (details != NULL)
        {
          json_builder_set_member_name (builder, "details");
          json_builder_add_value (builder, docketctl_variant_to_json (details));
        }
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      docketctl_print_json (node, FALSE);
    }
  else
    {
      g_print ("%s  %-20s %s  %s\n", stamp, kind, camera, message);
    }

  fflush (stdout);
  if (data->remaining > 0 && --data->remaining == 0)
    g_main_loop_quit (data->loop);
}

static void
on_event (DocketDBusManager *manager,
          const gchar *kind,
          const gchar *camera,
          const gchar *message,
          GVariant *details,
          WatchData *data)
{
  print_event (data, kind, camera, message, details);
}

static void
on_camera_properties_changed (GDBusObjectManagerClient *client,
                              GDBusObjectProxy *object,
                              GDBusProxy *proxy,
                              GVariant *changed,
                              const gchar *const *invalidated,
                              WatchData *data)
{
  g_autofree gchar *text = NULL;

  /* Offload progress has its own events; only surface state and problems here. */
  if (!g_variant_lookup (changed, "State", "s", NULL)
      && !g_variant_lookup (changed, "Problem", "s", NULL)
      && !g_variant_lookup (changed, "Serial", "s", NULL))
    return;
  text = g_variant_print (changed, FALSE);
  print_event (data, "camera-changed", g_dbus_object_get_object_path (G_DBUS_OBJECT (object)), text,
               changed);
}

static void
on_object_added (GDBusObjectManager *manager, GDBusObject *object, WatchData *data)
{
  print_event (data, "camera-added", g_dbus_object_get_object_path (object), _ ("Camera docked"),
               NULL);
}

static void
on_object_removed (GDBusObjectManager *manager, GDBusObject *object, WatchData *data)
{
  print_event (data, "camera-removed", g_dbus_object_get_object_path (object),
               _ ("Camera undocked"), NULL);
}

static void
on_owner_changed (GObject *object, GParamSpec *pspec, WatchData *data)
{
  g_autofree gchar *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (object));

  print_event (data, owner != NULL ? "daemon-started" : "daemon-stopped", "/",
               owner != NULL ? _ ("The Docket daemon is back") : _ ("The Docket daemon stopped"),
               NULL);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
docketctl_watch (const DocketctlOptions *options, int argc, char **argv)
{
  g_autoptr (DocketDBusManager) manager = NULL;
  g_autoptr (GDBusObjectManager) cameras = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  gint count = -1;
  WatchData data;
  const GOptionEntry entries[] = { { "count", 'n', 0, G_OPTION_ARG_INT, &count,
                                     N_ ("Exit after this many events"), N_ ("N") },
                                   { NULL } };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("docketctl watch: %s\n", error->message);
      return DOCKETCTL_EXIT_USAGE;
    }

  manager = docketctl_connect_manager (options);
  if (manager == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;
  cameras = docketctl_connect_cameras (options);
  if (cameras == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;

  loop = g_main_loop_new (NULL, FALSE);
  data = (WatchData){ options, loop, count > 0 ? count : -1 };

  g_signal_connect (manager, "event", G_CALLBACK (on_event), &data);
  g_signal_connect (manager, "notify::g-name-owner", G_CALLBACK (on_owner_changed), &data);
  g_signal_connect (cameras, "object-added", G_CALLBACK (on_object_added), &data);
  g_signal_connect (cameras, "object-removed", G_CALLBACK (on_object_removed), &data);
  g_signal_connect (cameras, "interface-proxy-properties-changed",
                    G_CALLBACK (on_camera_properties_changed), &data);
  g_unix_signal_add (SIGINT, on_quit_signal, loop);
  g_unix_signal_add (SIGTERM, on_quit_signal, loop);

  /* The first line tells scripts the subscription is live. It does not count
   * towards --count. */
  if (options->json)
    {
      data.remaining = data.remaining > 0 ? data.remaining + 1 : -1;
      print_event (&data, "watching", "/", _ ("Watching Docket events"), NULL);
    }
  else
    {
      g_print ("%s\n", _ ("Watching Docket events (Ctrl+C to stop)…"));
      fflush (stdout);
    }
  g_main_loop_run (loop);
  g_signal_handlers_disconnect_by_data (manager, &data);
  g_signal_handlers_disconnect_by_data (cameras, &data);
  return DOCKETCTL_EXIT_OK;
}
