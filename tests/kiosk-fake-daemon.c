/* kiosk-fake-daemon.c — a stand-in docketd with a dock full of cameras
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the kiosk's screenshot tests and for looking at the overview by hand:
 * serves io.github.docket.Docket1 on the session bus with five cameras, one
 * in each interesting state, and advances the offloading one every
 * --tick-ms until it is done (0: never), so the cards visibly update live.
 * Badge 4711 with PIN 1234 signs in (People.SignIn); Session.SignOut ends it.
 * Not a model of the real daemon's behaviour.
 */
#include "config.h"

#include <glib-unix.h>

#include "docket-dbus-generated.h"

typedef struct
{
  GMainLoop *loop;
  GDBusConnection *connection;
  GDBusObjectManagerServer *objects;
  DocketDBusManager *manager;
  DocketDBusPeople *people;
  DocketDBusSession *session;
  DocketDBusCamera *offloading; /* borrowed from its exported object */
  guint files_done;
} Fake;

#define FILES_TOTAL 12
#define FILE_BYTES G_GUINT64_CONSTANT (250000000)

static GVariant *
offload (guint files_done,
         guint files_total,
         guint64 bytes_done,
         gdouble rate,
         gint eta,
         guint verified,
         guint quarantined)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "files-done", g_variant_new_uint32 (files_done));
  g_variant_builder_add (&b, "{sv}", "files-total", g_variant_new_uint32 (files_total));
  g_variant_builder_add (&b, "{sv}", "bytes-done", g_variant_new_uint64 (bytes_done));
  g_variant_builder_add (&b, "{sv}", "bytes-total",
                         g_variant_new_uint64 (files_total * FILE_BYTES));
  g_variant_builder_add (&b, "{sv}", "rate-bytes-per-second", g_variant_new_double (rate));
  g_variant_builder_add (&b, "{sv}", "eta-seconds", g_variant_new_int32 (eta));
  g_variant_builder_add (&b, "{sv}", "verified", g_variant_new_uint32 (verified));
  g_variant_builder_add (&b, "{sv}", "quarantined", g_variant_new_uint32 (quarantined));
  g_variant_builder_add (&b, "{sv}", "current", g_variant_new_string (""));
  return g_variant_builder_end (&b);
}

/* PolicyDetails of a camera within the drift allowed, checked while the
 * kiosk's own clock was unknown. */
static GVariant *
clock_unknown (void)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "clock-sync", "s", "unknown");
  g_variant_dict_insert (&dict, "clock-drift-ms", "x", (gint64)300);
  return g_variant_dict_end (&dict);
}

static DocketDBusCamera *
add_camera (Fake *fake,
            const gchar *serial,
            const gchar *slot,
            const gchar *state,
            const gchar *officer,
            gint battery,
            const gchar *charging,
            GVariant *offload_value,
            const gchar *problem,
            const gchar *policy_state)
{
  g_autofree gchar *path = g_strdup_printf ("%s/camera/%s", DOCKET_DBUS_PATH, serial);
  g_autoptr (DocketDBusObjectSkeleton) object = docket_dbus_object_skeleton_new (path);
  g_autoptr (DocketDBusCamera) camera = docket_dbus_camera_skeleton_new ();

  docket_dbus_camera_set_serial (camera, serial);
  docket_dbus_camera_set_vendor (camera, "Acme");
  docket_dbus_camera_set_model (camera, "BodyCam 3");
  docket_dbus_camera_set_firmware_version (camera, "3.1.4");
  docket_dbus_camera_set_driver (camera, "dcp");
  docket_dbus_camera_set_slot (camera, slot);
  docket_dbus_camera_set_state (camera, state);
  docket_dbus_camera_set_officer (camera, officer);
  docket_dbus_camera_set_battery_percent (camera, battery);
  docket_dbus_camera_set_charging_state (camera, charging);
  docket_dbus_camera_set_offload (camera, offload_value);
  docket_dbus_camera_set_problem (camera, problem);
  docket_dbus_camera_set_policy_state (camera, policy_state);
  docket_dbus_object_skeleton_set_camera (object, camera);
  g_dbus_object_manager_server_export (fake->objects, G_DBUS_OBJECT_SKELETON (object));
  return camera;
}

static gboolean
tick_cb (gpointer user_data)
{
  Fake *fake = user_data;
  guint done;

  done = ++fake->files_done;
  if (done >= FILES_TOTAL)
    {
      docket_dbus_camera_set_offload (
          fake->offloading,
          offload (FILES_TOTAL, FILES_TOTAL, FILES_TOTAL * FILE_BYTES, 0, -1, FILES_TOTAL, 0));
      docket_dbus_camera_set_state (fake->offloading, "done");
      return G_SOURCE_REMOVE;
    }
  docket_dbus_camera_set_offload (
      fake->offloading, offload (done, FILES_TOTAL, done * FILE_BYTES, 24.6e6,
                                 (gint)((FILES_TOTAL - done) * FILE_BYTES / 24.6e6), done, 0));
  return G_SOURCE_CONTINUE;
}

static gboolean
handle_sign_out_cb (DocketDBusSession *session, GDBusMethodInvocation *invocation, Fake *fake)
{
  docket_dbus_session_complete_sign_out (session, invocation);
  docket_dbus_session_emit_ended (session, "signed-out");
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (session));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Dana Scully has nothing left to tag: the officer page's empty state. */
static gboolean
handle_get_categories_cb (DocketDBusSession *session, GDBusMethodInvocation *invocation, Fake *fake)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "id", "s", "uncategorized");
  g_variant_dict_insert (&dict, "label", "s", "Uncategorized");
  docket_dbus_session_complete_get_categories (
      session, invocation,
      g_variant_new_array (NULL, (GVariant *[]){ g_variant_dict_end (&dict) }, 1));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_untagged_cb (DocketDBusSession *session,
                         GDBusMethodInvocation *invocation,
                         guint offset,
                         guint limit,
                         Fake *fake)
{
  docket_dbus_session_complete_list_untagged (
      session, invocation, g_variant_new_array (G_VARIANT_TYPE_VARDICT, NULL, 0), 0, 0);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_incidents_cb (DocketDBusSession *session,
                          GDBusMethodInvocation *invocation,
                          guint offset,
                          guint limit,
                          Fake *fake)
{
  docket_dbus_session_complete_list_incidents (
      session, invocation, g_variant_new_array (G_VARIANT_TYPE_VARDICT, NULL, 0), 0);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Badge 4711 with PIN 1234 is Dana Scully; anything else is refused. */
static gboolean
handle_sign_in_cb (DocketDBusPeople *people,
                   GDBusMethodInvocation *invocation,
                   const gchar *badge,
                   const gchar *pin,
                   Fake *fake)
{
  g_autoptr (GError) error = NULL;
  const gchar *path = DOCKET_DBUS_PATH "/session/1";

  if (g_strcmp0 (badge, "4711") != 0 || g_strcmp0 (pin, "1234") != 0)
    {
      g_dbus_method_invocation_return_dbus_error (
          invocation, "io.github.docket.Docket1.Error.WrongPin", "Wrong badge number or PIN");
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (fake->session != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (fake->session));
  g_clear_object (&fake->session);
  fake->session = docket_dbus_session_skeleton_new ();
  docket_dbus_session_set_badge (fake->session, badge);
  docket_dbus_session_set_name (fake->session, "Dana Scully");
  docket_dbus_session_set_role (fake->session, "officer");
  docket_dbus_session_set_idle_seconds (fake->session, 90);
  g_signal_connect (fake->session, "handle-sign-out", G_CALLBACK (handle_sign_out_cb), fake);
  g_signal_connect (fake->session, "handle-get-categories", G_CALLBACK (handle_get_categories_cb),
                    fake);
  g_signal_connect (fake->session, "handle-list-untagged", G_CALLBACK (handle_list_untagged_cb),
                    fake);
  g_signal_connect (fake->session, "handle-list-incidents", G_CALLBACK (handle_list_incidents_cb),
                    fake);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (fake->session),
                                         fake->connection, path, &error))
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  docket_dbus_people_complete_sign_in (people, invocation, path);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
bus_acquired_cb (GDBusConnection *connection, const gchar *name, gpointer user_data)
{
  Fake *fake = user_data;
  g_autoptr (GError) error = NULL;

  fake->connection = connection;
  g_dbus_object_manager_server_set_connection (fake->objects, connection);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (fake->manager), connection,
                                         DOCKET_DBUS_PATH, &error)
      || !g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (fake->people), connection,
                                            DOCKET_DBUS_PATH, &error))
    g_printerr ("kiosk-fake-daemon: %s\n", error->message);
}

static void
name_lost_cb (GDBusConnection *connection, const gchar *name, gpointer user_data)
{
  Fake *fake = user_data;

  g_printerr ("kiosk-fake-daemon: could not own %s\n", name);
  g_main_loop_quit (fake->loop);
}

static gboolean
quit_cb (gpointer user_data)
{
  Fake *fake = user_data;

  g_main_loop_quit (fake->loop);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  gint tick_ms = 0;
  const GOptionEntry entries[] = { { "tick-ms", 0, 0, G_OPTION_ARG_INT, &tick_ms,
                                     "Advance the offloading camera this often", "MS" },
                                   { NULL } };
  Fake fake = { 0 };
  guint owner_id;

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("kiosk-fake-daemon: %s\n", error->message);
      return 2;
    }

  fake.loop = g_main_loop_new (NULL, FALSE);
  fake.objects = g_dbus_object_manager_server_new (DOCKET_DBUS_PATH);
  fake.manager = docket_dbus_manager_skeleton_new ();
  docket_dbus_manager_set_version (fake.manager, PACKAGE_VERSION);
  docket_dbus_manager_set_docked_cameras (fake.manager, 5);
  fake.people = docket_dbus_people_skeleton_new ();
  g_signal_connect (fake.people, "handle-sign-in", G_CALLBACK (handle_sign_in_cb), &fake);

  fake.files_done = 4;
  fake.offloading = add_camera (
      &fake, "X6000001", "1-1", "offloading", "4711", 38, "charging",
      offload (4, FILES_TOTAL, 4 * FILE_BYTES + FILE_BYTES / 3, 24.6e6, 90, 4, 0), "", "compliant");
  /* Checked while this kiosk could not confirm its clock: said once, in
   * the header, however many cameras it concerns. */
  docket_dbus_camera_set_policy_details (fake.offloading, clock_unknown ());
  docket_dbus_camera_set_policy_details (
      add_camera (&fake, "X6000002", "1-2", "done", "2093", 100, "full",
                  offload (7, 7, 7 * FILE_BYTES, 0, -1, 7, 0), "", "changed"),
      clock_unknown ());
  add_camera (&fake, "X6000003", "1-3", "done", "5120", 81, "charging",
              offload (9, 9, 9 * FILE_BYTES, 0, -1, 8, 1),
              "Recording 7 failed its check — kept on the camera, IT notified", "compliant");
  add_camera (&fake, "X6000004", "1-4", "faulty", "", -1, "unknown", offload (0, 0, 0, 0, -1, 0, 0),
              "The camera stopped answering. Take it out and put it back in.", "failed");
  add_camera (&fake, "X6000005", "1-5", "identifying", "", 12, "charging",
              offload (0, 0, 0, 0, -1, 0, 0), "", "checking");

  owner_id = g_bus_own_name (G_BUS_TYPE_SESSION, DOCKET_DBUS_NAME, G_BUS_NAME_OWNER_FLAGS_NONE,
                             bus_acquired_cb, NULL, name_lost_cb, &fake, NULL);
  if (tick_ms > 0)
    g_timeout_add (tick_ms, tick_cb, &fake);
  g_unix_signal_add (SIGTERM, quit_cb, &fake);
  g_unix_signal_add (SIGINT, quit_cb, &fake);

  g_main_loop_run (fake.loop);

  g_bus_unown_name (owner_id);
  g_clear_object (&fake.session);
  g_clear_object (&fake.people);
  g_clear_object (&fake.manager);
  g_clear_object (&fake.objects);
  g_main_loop_unref (fake.loop);
  return 0;
}
