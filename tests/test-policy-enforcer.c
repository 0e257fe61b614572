/* test-policy-enforcer.c — device policy on every dock, against simulated
 * USB cameras and a fake systemd-timedated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole dock runs (device monitor, offload, policy check side by side):
 * compliance converges after one dock, the clock drift is measured, stored
 * with the recordings offloaded in that dock and then corrected, and a kiosk
 * whose own clock is not synchronised pushes no time and says so.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gst/gst.h>

#include "docket-dock.h"
#include "docket-gst.h"
#include "docket-message.h"
#include "docket-policy-enforcer.h"
#include "docket-test-dock.h"
#include "test-dcp-common.h"

/* Clock readings cross USB and two busy cores (ASan, CI): a reading or a
 * set may land seconds late. Drifts are set well beyond this, and the
 * policy's limit equals it, so "measured" and "corrected" stay distinct. */
#define CLOCK_SLACK_MS 4000

static const gchar timedate_xml[] = "<node><interface name='org.freedesktop.timedate1'>"
                                    "<property name='NTPSynchronized' type='b' access='read'/>"
                                    "</interface></node>";

static struct
{
  DocketSimTestbed *testbed;
  GTestDBus *bus;
  GDBusConnection *connection;
  gboolean ntp_synchronised;
  gchar *dir;
} env;

static GVariant *
timedate_get_property (GDBusConnection *connection,
                       const gchar *sender,
                       const gchar *path,
                       const gchar *interface,
                       const gchar *property,
                       GError **error,
                       gpointer user_data)
{
  return g_variant_new_boolean (env.ntp_synchronised);
}

static const GDBusInterfaceVTable timedate_vtable = { NULL, timedate_get_property, NULL, { 0 } };

/* A fake timedated on the test bus; returns the registration id. */
static guint
fake_timedate_start (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (timedate_xml, &error);
  g_autoptr (GVariant) reply = NULL;
  guint id;

  g_assert_no_error (error);
  id = g_dbus_connection_register_object (env.connection, "/org/freedesktop/timedate1",
                                          info->interfaces[0], &timedate_vtable, NULL, NULL,
                                          &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (
      env.connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
      "RequestName", g_variant_new ("(su)", "org.freedesktop.timedate1", 0x4),
      G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  return id;
}

static void
fake_timedate_stop (guint id)
{
  g_autoptr (GVariant) reply = NULL;

  g_dbus_connection_unregister_object (env.connection, id);
  reply = g_dbus_connection_call_sync (
      env.connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
      "ReleaseName", g_variant_new ("(s)", "org.freedesktop.timedate1"), G_VARIANT_TYPE ("(u)"),
      G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
}

/* ---- timedate ------------------------------------------------------------ */

typedef struct
{
  gboolean done;
  DocketClockSync sync;
  gchar *message;
} QueryWait;

static void
query_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  QueryWait *w = user_data;

  w->sync = docket_timedate_query_finish (DOCKET_TIMEDATE (source), res, &w->message);
  w->done = TRUE;
}

static gboolean
query_finished (gpointer data)
{
  return ((QueryWait *)data)->done;
}

static DocketClockSync
query (DocketTimedate *timedate, gchar **message)
{
  QueryWait w = { 0 };

  docket_timedate_query_async (timedate, NULL, query_done_cb, &w);
  dcp_test_wait_for (query_finished, &w);
  *message = w.message;
  return w.sync;
}

static void
test_timedate (void)
{
  g_autoptr (DocketTimedate) timedate = docket_timedate_new (env.connection);
  g_autofree gchar *m1 = NULL;
  g_autofree gchar *m2 = NULL;
  g_autofree gchar *m3 = NULL;
  guint id;

  /* No timedated at all: unknown, and said so. */
  g_assert_cmpint (query (timedate, &m1), ==, DOCKET_CLOCK_SYNC_UNKNOWN);
  g_assert_nonnull (strstr (m1, "timedated"));

  id = fake_timedate_start ();
  env.ntp_synchronised = TRUE;
  g_assert_cmpint (query (timedate, &m2), ==, DOCKET_CLOCK_SYNC_SYNCHRONISED);
  env.ntp_synchronised = FALSE;
  g_assert_cmpint (query (timedate, &m3), ==, DOCKET_CLOCK_SYNC_NOT_SYNCHRONISED);
  g_assert_nonnull (strstr (m3, "is not synchronised"));
  fake_timedate_stop (id);
}

/* ---- the dock ------------------------------------------------------------ */

typedef struct
{
  DocketDock *dock;
  DocketEvidenceStore *store;
  GPtrArray *events; /* "kind serial" strings */
  guint timedate_id;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *root = g_build_filename (env.dir, "store", NULL);

  f->dock = docket_dock_new (root, g_getenv ("DOCKET_KNOWN_CAMERAS"), &error);
  g_assert_no_error (error);
  f->store = docket_dock_get_store (f->dock);
  docket_evidence_store_set_reserve_bytes (f->store, 0);
  docket_device_monitor_set_status_interval (docket_dock_get_device_monitor (f->dock), 0);
  f->events = docket_test_dock_record_events (f->dock);
  f->timedate_id = fake_timedate_start ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  docket_dock_stop (f->dock);
  /* The next test opens the same store: wait until background work (a
   * thumbnail after the commit) lets go of this one and its offload lock. */
  g_object_add_weak_pointer (G_OBJECT (f->store), (gpointer *)&f->store);
  g_clear_object (&f->dock);
  g_ptr_array_unref (f->events);
  fake_timedate_stop (f->timedate_id);
  for (guint i = 0; i < 50 || (f->store != NULL && i < 15000); i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  if (f->store != NULL)
    g_error ("The evidence store outlived its dock by 30 s");
}

static DocketPolicy *
make_policy (void)
{
  static const gchar json[]
      = "{\"format\": 1, \"version\": 7, \"cameras\": {\"*\": {"
        "\"resolution\": \"1280x720\", \"frame-rate\": 30, \"bitrate-kbps\": 6000, "
        "\"pre-event-seconds\": 45, \"audio\": false, \"allow-mute\": false}}, "
        "\"station\": {\"max-clock-drift-ms\": 4000}}";
  g_autoptr (GError) error = NULL;
  DocketPolicy *policy = docket_policy_new_from_data (json, strlen (json), &error);

  g_assert_no_error (error);
  return policy;
}

/* ---- a scripted camera, for what the simulator will not do --------------- */

#define FAKE_TYPE_CAMERA (fake_camera_get_type ())
G_DECLARE_FINAL_TYPE (FakeCamera, fake_camera, FAKE, CAMERA, GObject)

struct _FakeCamera
{
  GObject parent_instance;

  GVariantDict config;
  gint64 clock_offset_usec;
  const gchar *ignore_key; /* "applied" but not really */
  gboolean refuse_writes;
  gboolean status_fails;
  guint n_set_config;
  guint n_set_clock;
};

static void fake_camera_driver_init (DocketCameraDriverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeCamera,
                               fake_camera,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DOCKET_TYPE_CAMERA_DRIVER,
                                                      fake_camera_driver_init))

static void
fake_camera_finalize (GObject *object)
{
  g_variant_dict_clear (&FAKE_CAMERA (object)->config);
  G_OBJECT_CLASS (fake_camera_parent_class)->finalize (object);
}

static void
fake_camera_class_init (FakeCameraClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fake_camera_finalize;
}

static void
fake_camera_init (FakeCamera *self)
{
  g_variant_dict_init (&self->config, NULL);
  g_variant_dict_insert (&self->config, "resolution", "s", "1920x1080");
  g_variant_dict_insert (&self->config, "frame-rate", "u", 30);
  g_variant_dict_insert (&self->config, "bitrate-kbps", "u", 8000);
  g_variant_dict_insert (&self->config, "pre-event-seconds", "u", 30);
  g_variant_dict_insert (&self->config, "audio", "b", TRUE);
}

static gboolean
fake_get_status (DocketCameraDriver *driver,
                 DocketCameraStatus *out,
                 GCancellable *cancellable,
                 GError **error)
{
  FakeCamera *self = FAKE_CAMERA (driver);

  if (self->status_fails)
    {
      g_set_error_literal (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT,
                           "the camera stopped answering");
      return FALSE;
    }
  memset (out, 0, sizeof *out);
  out->camera_clock_usec = g_get_real_time () + self->clock_offset_usec;
  return TRUE;
}

static gboolean
fake_set_clock (DocketCameraDriver *driver,
                gint64 utc_usec,
                GCancellable *cancellable,
                GError **error)
{
  FakeCamera *self = FAKE_CAMERA (driver);

  self->n_set_clock++;
  self->clock_offset_usec = utc_usec - g_get_real_time ();
  return TRUE;
}

static GVariant *
fake_get_config (DocketCameraDriver *driver, GCancellable *cancellable, GError **error)
{
  FakeCamera *self = FAKE_CAMERA (driver);
  GVariantDict copy;
  g_autoptr (GVariant) current = g_variant_dict_end (&self->config);

  g_variant_dict_init (&self->config, current);
  g_variant_dict_init (&copy, current);
  return g_variant_ref_sink (g_variant_dict_end (&copy));
}

static gboolean
fake_set_config (DocketCameraDriver *driver,
                 GVariant *config,
                 GCancellable *cancellable,
                 GError **error)
{
  FakeCamera *self = FAKE_CAMERA (driver);
  GVariantIter iter;
  const gchar *key;
  GVariant *value;

  self->n_set_config++;
  if (self->refuse_writes)
    {
      g_set_error_literal (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, "bad config value");
      return FALSE;
    }
  g_variant_iter_init (&iter, config);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      if (g_strcmp0 (key, self->ignore_key) != 0)
        g_variant_dict_insert_value (&self->config, key, value);
      g_variant_unref (value);
    }
  return TRUE;
}

static void
fake_camera_driver_init (DocketCameraDriverInterface *iface)
{
  iface->get_status = fake_get_status;
  iface->set_clock = fake_set_clock;
  iface->get_config = fake_get_config;
  iface->set_config = fake_set_config;
}

static DocketPolicyResult *
check_fake (FakeCamera *fake, const gchar *firmware, DocketTimedate *timedate)
{
  g_autoptr (DocketPolicy) policy = NULL;
  g_autoptr (DocketPolicyEnforcer) enforcer = NULL;
  const gchar *json = "{\"format\": 1, \"version\": 1, \"cameras\": {\"*\": {\"minimum-firmware\": "
                      "\"1.2.0\", \"bitrate-kbps\": 6000, \"audio\": false}}}";
  g_autoptr (GError) error = NULL;

  policy = docket_policy_new_from_data (json, strlen (json), &error);
  g_assert_no_error (error);
  enforcer = docket_policy_enforcer_new (policy, timedate, NULL);
  return docket_policy_enforcer_check_sync (enforcer, DOCKET_CAMERA_DRIVER (fake), "FAKE-1", "Fake",
                                            firmware, NULL);
}

static gboolean
fixed_in (DocketPolicyResult *r, const gchar *key)
{
  g_autoptr (GVariant) differences
      = g_variant_lookup_value (r->details, "differences", G_VARIANT_TYPE_VARDICT);
  g_autoptr (GVariant) entry = g_variant_lookup_value (differences, key, G_VARIANT_TYPE_VARDICT);
  gboolean fixed = FALSE;

  g_assert_nonnull (entry);
  g_assert_true (g_variant_lookup (entry, "fixed", "b", &fixed));
  return fixed;
}

/* Read back: a camera that says yes but keeps its old value is caught. */
static void
test_read_back (void)
{
  g_autoptr (FakeCamera) fake = g_object_new (FAKE_TYPE_CAMERA, NULL);
  g_autoptr (DocketPolicyResult) r = NULL;

  fake->ignore_key = "audio";
  r = check_fake (fake, "1.2.0", NULL);
  g_assert_cmpint (r->state, ==, DOCKET_POLICY_STATE_NON_COMPLIANT);
  g_assert_true (fixed_in (r, "bitrate-kbps"));
  g_assert_false (fixed_in (r, "audio"));
  g_assert_nonnull (strstr (r->problem, "audio is true, the policy wants false"));
  g_assert_cmpuint (r->n_changes, ==, 1);
}

static void
test_refused_and_failures (void)
{
  g_autoptr (FakeCamera) fake = g_object_new (FAKE_TYPE_CAMERA, NULL);
  g_autoptr (DocketPolicyResult) r1 = NULL;
  g_autoptr (DocketPolicyResult) r2 = NULL;
  g_autoptr (DocketPolicyResult) r3 = NULL;
  g_autoptr (DocketPolicyResult) r4 = NULL;

  /* The camera refuses the write: nothing changed, said so. */
  fake->refuse_writes = TRUE;
  r1 = check_fake (fake, "1.2.0", NULL);
  g_assert_cmpint (r1->state, ==, DOCKET_POLICY_STATE_NON_COMPLIANT);
  g_assert_nonnull (strstr (r1->problem, "refused"));
  g_assert_false (fixed_in (r1, "bitrate-kbps"));

  /* Old firmware: non-compliant even when every setting matches. */
  fake->refuse_writes = FALSE;
  r2 = check_fake (fake, "1.1.9", NULL);
  g_assert_cmpint (r2->state, ==, DOCKET_POLICY_STATE_NON_COMPLIANT);
  g_assert_nonnull (
      strstr (r2->problem, "firmware 1.1.9 is older than the policy's minimum 1.2.0"));

  /* Kiosk clock unknown (no timedate): a drifting camera is not set. */
  fake->clock_offset_usec = -5 * G_USEC_PER_SEC;
  r3 = check_fake (fake, "1.10.0", NULL);
  g_assert_cmpint (r3->state, ==, DOCKET_POLICY_STATE_NON_COMPLIANT);
  g_assert_cmpint (r3->clock_sync, ==, DOCKET_CLOCK_SYNC_UNKNOWN);
  g_assert_cmpint (ABS (r3->drift_ms + 5000), <, 1000);
  g_assert_cmpuint (fake->n_set_clock, ==, 0);
  g_assert_nonnull (strstr (r3->problem, "was not set"));

  /* A camera that stops answering could not be checked. */
  fake->status_fails = TRUE;
  r4 = check_fake (fake, "1.2.0", NULL);
  g_assert_cmpint (r4->state, ==, DOCKET_POLICY_STATE_FAILED);
  g_assert_nonnull (strstr (r4->problem, "stopped answering"));
}

static void
use_policy (Fixture *f)
{
  g_autoptr (DocketPolicy) policy = make_policy ();
  g_autoptr (DocketTimedate) timedate = docket_timedate_new (env.connection);

  docket_dock_set_policy (f->dock, policy, timedate);
}

typedef struct
{
  Fixture *f;
  const gchar *serial;
  guint n;
} DockWait;

static gboolean
dock_settled (gpointer data)
{
  DockWait *w = data;

  return docket_test_count_events (w->f->events, "policy-checked", w->serial) >= w->n
         && docket_test_count_events (w->f->events, "offload-finished", w->serial) >= w->n;
}

static DocketCamera *
find_camera (Fixture *f, const gchar *serial)
{
  g_autoptr (GPtrArray) cameras = docket_dock_get_cameras (f->dock);

  for (guint i = 0; i < cameras->len; i++)
    if (g_strcmp0 (docket_camera_get_serial (cameras->pdata[i]), serial) == 0)
      return cameras->pdata[i];
  return NULL;
}

static gboolean
no_cameras (gpointer data)
{
  Fixture *f = data;
  g_autoptr (GPtrArray) cameras = docket_dock_get_cameras (f->dock);

  return cameras->len == 0;
}

/* Docks @serial, waits for both its offload and its policy check (the
 * @n-th of each), returns the camera's policy details. */
static GVariant *
dock_and_settle (Fixture *f, const gchar *serial, guint n, gchar **out_state)
{
  g_autoptr (GError) error = NULL;
  DockWait w = { f, serial, n };
  DocketCamera *camera;

  docket_sim_testbed_dock (env.testbed, serial, &error);
  g_assert_no_error (error);
  dcp_test_wait_for (dock_settled, &w);
  camera = find_camera (f, serial);
  g_assert_nonnull (camera);
  *out_state = g_strdup (docket_camera_get_policy_state (camera));
  return g_variant_ref (docket_camera_get_policy_details (camera));
}

static void
undock (Fixture *f, const gchar *serial)
{
  g_autoptr (GError) error = NULL;

  docket_sim_testbed_undock (env.testbed, serial, &error);
  g_assert_no_error (error);
  dcp_test_wait_for (no_cameras, f);
}

/* The drift stored with recording @id of @serial. */
static gint64
stored_drift (Fixture *f, const gchar *serial, guint32 id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) recs = docket_evidence_store_list_recordings (f->store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < recs->len; i++)
    {
      DocketStoredRecording *rec = g_ptr_array_index (recs, i);

      if (g_strcmp0 (rec->camera_serial, serial) == 0 && rec->camera_recording_id == id)
        return rec->clock_drift_ms;
    }
  g_assert_not_reached ();
  return 0;
}

static gint64
sim_clock_error_ms (DocketSimCamera *cam)
{
  return (docket_sim_camera_get_clock (cam) - g_get_real_time ()) / 1000;
}

static DocketSimCamera *
add_camera (const gchar *serial, gint64 offset_s)
{
  g_autoptr (GError) error = NULL;
  DocketSimCameraOptions options
      = { .serial = serial, .clock_offset_usec = offset_s * G_USEC_PER_SEC };
  DocketSimCamera *cam = docket_sim_testbed_add_camera (env.testbed, &options, &error);

  g_assert_no_error (error);
  docket_sim_camera_add_generated (cam, dcp_test_media_dir (), DOCKET_SIM_MEDIA_SMALL, 2, 0,
                                   &error);
  g_assert_no_error (error);
  return cam;
}

static void
test_converges (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) details = NULL;
  g_autoptr (GVariant) differences = NULL;
  g_autoptr (GVariant) config = NULL;
  g_autofree gchar *state = NULL;
  g_autofree const gchar **unsupported = NULL;
  DocketSimCamera *cam = add_camera ("POL-0001", 20);
  gint64 drift = 0;

  env.ntp_synchronised = TRUE;
  use_policy (f);
  docket_dock_start (f->dock, &error);
  g_assert_no_error (error);

  /* First dock: four settings differ (frame rate already matches). */
  details = dock_and_settle (f, "POL-0001", 1, &state);
  g_assert_cmpstr (state, ==, "changed");
  differences = g_variant_lookup_value (details, "differences", G_VARIANT_TYPE_VARDICT);
  g_assert_cmpuint (g_variant_n_children (differences), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr (GVariant) entry = g_variant_get_child_value (differences, i);
      g_autoptr (GVariant) value = g_variant_get_child_value (entry, 1);
      g_autoptr (GVariant) inner = g_variant_get_variant (value);
      gboolean fixed = FALSE;

      g_assert_true (g_variant_lookup (inner, "fixed", "b", &fixed));
      g_assert_true (fixed);
    }
  g_assert_true (g_variant_lookup (details, "unsupported", "^a&s", &unsupported));
  g_assert_cmpstr (unsupported[0], ==, "mute-allowed");
  g_assert_true (g_variant_lookup (details, "clock-drift-ms", "x", &drift));
  g_assert_cmpint (ABS (drift - 20000), <=, CLOCK_SLACK_MS);

  config = docket_sim_camera_dup_config (cam);
  {
    const gchar *resolution = NULL;
    guint32 bitrate = 0, pre = 0;
    gboolean audio = TRUE;

    g_assert_true (g_variant_lookup (config, "resolution", "&s", &resolution));
    g_assert_cmpstr (resolution, ==, "1280x720");
    g_assert_true (g_variant_lookup (config, "bitrate-kbps", "u", &bitrate));
    g_assert_cmpuint (bitrate, ==, 6000);
    g_assert_true (g_variant_lookup (config, "pre-event-seconds", "u", &pre));
    g_assert_cmpuint (pre, ==, 45);
    g_assert_true (g_variant_lookup (config, "audio", "b", &audio));
    g_assert_false (audio);
  }
  /* Drift measured, recorded with this dock's recordings, then corrected. */
  g_assert_cmpint (ABS (sim_clock_error_ms (cam)), <, CLOCK_SLACK_MS);
  g_assert_cmpint (ABS (stored_drift (f, "POL-0001", 1) - 20000), <=, CLOCK_SLACK_MS);
  g_assert_cmpuint (docket_test_count_audit (f->store, "camera-setting-changed", "POL-0001"), ==,
                    4);
  g_assert_cmpuint (docket_test_count_audit (f->store, "camera-clock-set", "POL-0001"), ==, 1);
  g_assert_cmpuint (docket_test_count_audit (f->store, "camera-policy-checked", "POL-0001"), ==, 1);
  g_assert_false (docket_test_count_events (f->events, "kiosk-clock-unsynchronised", "POL-0001")
                  > 0);
  undock (f, "POL-0001");

  /* Second dock: compliant, nothing written; the new recording carries the
   * corrected (near zero) drift. */
  docket_sim_camera_add_generated (cam, dcp_test_media_dir (), DOCKET_SIM_MEDIA_SMALL, 2, 1,
                                   &error);
  g_assert_no_error (error);
  g_clear_pointer (&details, g_variant_unref);
  g_clear_pointer (&state, g_free);
  details = dock_and_settle (f, "POL-0001", 2, &state);
  g_assert_cmpstr (state, ==, "compliant");
  g_clear_pointer (&differences, g_variant_unref);
  differences = g_variant_lookup_value (details, "differences", G_VARIANT_TYPE_VARDICT);
  g_assert_cmpuint (g_variant_n_children (differences), ==, 0);
  g_assert_cmpuint (docket_test_count_audit (f->store, "camera-setting-changed", "POL-0001"), ==,
                    4);
  g_assert_cmpuint (docket_test_count_audit (f->store, "camera-clock-set", "POL-0001"), ==, 1);
  g_assert_cmpuint (docket_test_count_audit (f->store, "camera-policy-checked", "POL-0001"), ==, 2);
  g_assert_cmpint (ABS (stored_drift (f, "POL-0001", 1) - 20000), <=, CLOCK_SLACK_MS);
  g_assert_cmpint (ABS (stored_drift (f, "POL-0001", 2)), <, CLOCK_SLACK_MS);
  undock (f, "POL-0001");
}

static void
test_unsynchronised (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) details = NULL;
  g_autofree gchar *state = NULL;
  const gchar *problem = NULL;
  DocketSimCamera *cam = add_camera ("POL-0002", 30);

  env.ntp_synchronised = FALSE;
  use_policy (f);
  docket_dock_start (f->dock, &error);
  g_assert_no_error (error);

  details = dock_and_settle (f, "POL-0002", 1, &state);
  g_assert_cmpstr (state, ==, "non-compliant");
  g_assert_true (g_variant_lookup (details, "problem", "&s", &problem));
  /* The camera's own words; the kiosk's clock is told once, by the event. */
  g_assert_nonnull (strstr (problem, "was not set"));
  g_assert_null (strstr (problem, "kiosk"));
  /* The same words as a message, for a kiosk in another language. */
  {
    g_autoptr (GVariant) messages
        = g_variant_lookup_value (details, "problem-messages", DOCKET_MESSAGE_LIST_TYPE);
    g_autoptr (GVariant) first = NULL;
    g_autofree gchar *text = NULL;
    const gchar *msgid = NULL;

    g_assert_nonnull (messages);
    g_assert_cmpuint (g_variant_n_children (messages), ==, 1);
    first = g_variant_get_child_value (messages, 0);
    g_variant_get_child (first, 0, "&s", &msgid);
    g_assert_cmpstr (msgid, ==, "its clock is %.1f s off and was not set");
    text = docket_message_format (first, TRUE);
    g_assert_cmpstr (text, ==, problem);
  }
  g_assert_true (docket_test_count_events (f->events, "kiosk-clock-unsynchronised", "POL-0002")
                 > 0);
  /* No time pushed: the camera keeps its own (wrong) clock. */
  g_assert_cmpint (ABS (sim_clock_error_ms (cam) - 30000), <, CLOCK_SLACK_MS);
  g_assert_cmpuint (docket_test_count_audit (f->store, "camera-clock-set", "POL-0002"), ==, 0);
  g_assert_cmpint (ABS (stored_drift (f, "POL-0002", 1) - 30000), <=, CLOCK_SLACK_MS);
  undock (f, "POL-0002");

  /* Within the drift allowed: nothing to set, so no warning either. */
  add_camera ("POL-0012", 1);
  g_clear_pointer (&details, g_variant_unref);
  g_clear_pointer (&state, g_free);
  details = dock_and_settle (f, "POL-0012", 1, &state);
  g_assert_cmpstr (state, ==, "changed");
  g_assert_cmpuint (docket_test_count_events (f->events, "kiosk-clock-unsynchronised", "POL-0012"),
                    ==, 0);
  undock (f, "POL-0012");
}

static gboolean
offload_finished_3 (gpointer data)
{
  Fixture *f = data;

  return docket_test_count_events (f->events, "offload-finished", "POL-0003") >= 1;
}

static void
test_no_policy (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) config = NULL;
  DocketSimCamera *cam = add_camera ("POL-0003", 15);
  guint32 bitrate = 0;

  docket_dock_start (f->dock, &error);
  g_assert_no_error (error);
  docket_sim_testbed_dock (env.testbed, "POL-0003", &error);
  g_assert_no_error (error);
  dcp_test_wait_for (offload_finished_3, f);
  g_assert_cmpstr (docket_camera_get_policy_state (find_camera (f, "POL-0003")), ==, "no-policy");
  config = docket_sim_camera_dup_config (cam);
  g_assert_true (g_variant_lookup (config, "bitrate-kbps", "u", &bitrate));
  g_assert_cmpuint (bitrate, ==, 8000);
  g_assert_cmpint (ABS (sim_clock_error_ms (cam) - 15000), <, CLOCK_SLACK_MS);
  undock (f, "POL-0003");
}

static guint
count_audit_action (Fixture *f, const gchar *action)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows
      = docket_audit_log_list (docket_evidence_store_get_audit_log (f->store), 0, 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    n += g_strcmp0 (((DocketAuditEntry *)rows->pdata[i])->action, action) == 0;
  return n;
}

static guint
count_stored (Fixture *f, const gchar *serial)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) recs = docket_evidence_store_list_recordings (f->store, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < recs->len; i++)
    n += g_strcmp0 (((DocketStoredRecording *)recs->pdata[i])->camera_serial, serial) == 0;
  return n;
}

static void
use_erase_policy (Fixture *f, gint64 version, const gchar *model_erase)
{
  g_autofree gchar *json = g_strdup_printf (
      "{\"format\": 1, \"version\": %lld, \"cameras\": {\"*\": {\"erase-after-offload\": true}, "
      "\"DCP Reference Camera\": {\"erase-after-offload\": %s}}}",
      (long long)version, model_erase);
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketPolicy) policy = docket_policy_new_from_data (json, strlen (json), &error);
  g_autoptr (DocketTimedate) timedate = docket_timedate_new (env.connection);

  g_assert_no_error (error);
  docket_dock_set_policy (f->dock, policy, timedate);
}

/* The model's erase-after-offload reaches the offload: false keeps the
 * recordings on the camera (audited once, with why), a re-dock stores
 * nothing twice, and true erases what is already stored. */
static void
test_erase_after_offload (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) details = NULL;
  g_autofree gchar *state = NULL;
  DocketSimCamera *cam = add_camera ("POL-0004", 0);
  /* The store is shared with the tests before: count what this one adds. */
  guint committed = count_audit_action (f, "recording-committed");
  guint kept = count_audit_action (f, "recording-kept-on-camera");
  guint requested = count_audit_action (f, "recording-erase-requested");
  guint erased = count_audit_action (f, "recording-erased-from-camera");

  docket_sim_camera_add_generated (cam, dcp_test_media_dir (), DOCKET_SIM_MEDIA_SMALL, 2, 1,
                                   &error);
  g_assert_no_error (error);
  env.ntp_synchronised = TRUE;
  use_erase_policy (f, 8, "false");
  docket_dock_start (f->dock, &error);
  g_assert_no_error (error);

  details = dock_and_settle (f, "POL-0004", 1, &state);
  g_assert_cmpuint (count_stored (f, "POL-0004"), ==, 2);
  g_assert_cmpuint (docket_sim_camera_get_n_recordings (cam), ==, 2);
  g_assert_cmpuint (count_audit_action (f, "recording-committed"), ==, committed + 2);
  g_assert_cmpuint (count_audit_action (f, "recording-kept-on-camera"), ==, kept + 2);
  g_assert_cmpuint (count_audit_action (f, "recording-erase-requested"), ==, requested);
  undock (f, "POL-0004");

  /* Docked again under the same policy: nothing stored or audited twice. */
  g_clear_pointer (&details, g_variant_unref);
  g_clear_pointer (&state, g_free);
  details = dock_and_settle (f, "POL-0004", 2, &state);
  g_assert_cmpuint (count_stored (f, "POL-0004"), ==, 2);
  g_assert_cmpuint (docket_sim_camera_get_n_recordings (cam), ==, 2);
  g_assert_cmpuint (count_audit_action (f, "recording-committed"), ==, committed + 2);
  g_assert_cmpuint (count_audit_action (f, "recording-kept-on-camera"), ==, kept + 2);
  undock (f, "POL-0004");

  /* IT turns erasing on: the stored recordings are erased, not copied again. */
  use_erase_policy (f, 9, "true");
  g_clear_pointer (&details, g_variant_unref);
  g_clear_pointer (&state, g_free);
  details = dock_and_settle (f, "POL-0004", 3, &state);
  g_assert_cmpuint (count_stored (f, "POL-0004"), ==, 2);
  g_assert_cmpuint (docket_sim_camera_get_n_recordings (cam), ==, 0);
  g_assert_cmpuint (count_audit_action (f, "recording-committed"), ==, committed + 2);
  g_assert_cmpuint (count_audit_action (f, "recording-erased-from-camera"), ==, erased + 2);
  undock (f, "POL-0004");
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *cmd = NULL;
  int rc;

  dcp_test_ensure_preload (argv);
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  docket_gst_register ();

  env.bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (env.bus);
  env.connection = g_dbus_connection_new_for_address_sync (
      g_test_dbus_get_bus_address (env.bus),
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
          | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, &error);
  g_assert_no_error (error);
  env.testbed = docket_sim_testbed_new (&error);
  g_assert_no_error (error);
  env.dir = g_dir_make_tmp ("docket-policy-enforcer-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/policy-enforcer/timedate", test_timedate);
  g_test_add_func ("/policy-enforcer/read-back", test_read_back);
  g_test_add_func ("/policy-enforcer/refused-and-failures", test_refused_and_failures);
  g_test_add ("/policy-enforcer/converges", Fixture, NULL, fixture_setup, test_converges,
              fixture_teardown);
  g_test_add ("/policy-enforcer/unsynchronised", Fixture, NULL, fixture_setup, test_unsynchronised,
              fixture_teardown);
  g_test_add ("/policy-enforcer/erase-after-offload", Fixture, NULL, fixture_setup,
              test_erase_after_offload, fixture_teardown);
  g_test_add ("/policy-enforcer/no-policy", Fixture, NULL, fixture_setup, test_no_policy,
              fixture_teardown);
  rc = g_test_run ();

  g_clear_object (&env.testbed);
  g_dbus_connection_close_sync (env.connection, NULL, NULL);
  g_clear_object (&env.connection);
  g_test_dbus_down (env.bus);
  g_clear_object (&env.bus);
  cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", env.dir, env.dir);
  if (system (cmd) != 0)
    rc = 1;
  g_free (env.dir);
  return rc;
}
