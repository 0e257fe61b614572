/* test-hotplug.c — the device monitor as cameras come and go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real libudev and libusb code against simulated cameras: the monitor's view
 * must match the testbed after every dock and undock, faulty cameras must be
 * reported without disturbing the others, and nothing may leak (run this
 * under ASan too).
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "docket-device-monitor.h"
#include "docket-drivers.h"
#include "docket-message.h"
#include "test-dcp-common.h"

static DocketSimTestbed *testbed;

typedef struct
{
  DocketDeviceMonitor *monitor;
  GPtrArray *added;   /* DocketCamera, owned */
  GPtrArray *removed; /* DocketCamera, owned */
} Fixture;

static void
camera_added_cb (DocketDeviceMonitor *monitor, DocketCamera *camera, Fixture *f)
{
  g_assert_cmpint (docket_camera_get_state (camera), ==, DOCKET_CAMERA_STATE_IDENTIFYING);
  g_ptr_array_add (f->added, g_object_ref (camera));
}

static void
camera_removed_cb (DocketDeviceMonitor *monitor, DocketCamera *camera, Fixture *f)
{
  g_ptr_array_add (f->removed, g_object_ref (camera));
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->added = g_ptr_array_new_with_free_func (g_object_unref);
  f->removed = g_ptr_array_new_with_free_func (g_object_unref);
  docket_drivers_register_builtin ();
  f->monitor = docket_device_monitor_new (g_getenv ("DOCKET_KNOWN_CAMERAS"), &error);
  g_assert_no_error (error);
  g_signal_connect (f->monitor, "camera-added", G_CALLBACK (camera_added_cb), f);
  g_signal_connect (f->monitor, "camera-removed", G_CALLBACK (camera_removed_cb), f);
}

static gboolean
no_cameras (gpointer data)
{
  Fixture *f = data;
  g_autoptr (GPtrArray) cameras = docket_device_monitor_get_cameras (f->monitor);

  return cameras->len == 0;
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  docket_device_monitor_stop (f->monitor);
  g_clear_object (&f->monitor);
  g_ptr_array_unref (f->added);
  g_ptr_array_unref (f->removed);
  /* Let drivers closing on worker threads finish. */
  for (guint i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

typedef struct
{
  Fixture *f;
  guint n;
} CountWait;

static gboolean
n_settled (gpointer data)
{
  CountWait *w = data;
  g_autoptr (GPtrArray) cameras = docket_device_monitor_get_cameras (w->f->monitor);
  guint settled = 0;

  for (guint i = 0; i < cameras->len; i++)
    {
      DocketCameraState state = docket_camera_get_state (g_ptr_array_index (cameras, i));

      if (state != DOCKET_CAMERA_STATE_IDENTIFYING)
        settled++;
    }
  return cameras->len == w->n && settled == w->n;
}

static void
wait_settled (Fixture *f, guint n)
{
  CountWait w = { f, n };

  dcp_test_wait_for (n_settled, &w);
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *)a, *(const gchar *const *)b);
}

/* The monitor's cameras, as a sorted list of serials. */
static gchar *
monitor_view (Fixture *f)
{
  g_autoptr (GPtrArray) cameras = docket_device_monitor_get_cameras (f->monitor);
  g_autoptr (GPtrArray) serials = g_ptr_array_new ();

  for (guint i = 0; i < cameras->len; i++)
    {
      DocketCamera *camera = g_ptr_array_index (cameras, i);

      g_assert_cmpint (docket_camera_get_state (camera), ==, DOCKET_CAMERA_STATE_IDLE);
      g_ptr_array_add (serials, (gpointer)docket_camera_get_serial (camera));
    }
  g_ptr_array_sort (serials, compare_strings);
  g_ptr_array_add (serials, NULL);
  return g_strjoinv (",", (gchar **)serials->pdata);
}

/* The testbed's docked cameras among @serials, sorted and joined. */
static gchar *
testbed_view (const gchar *const *serials)
{
  g_autoptr (GPtrArray) docked = g_ptr_array_new ();

  for (guint i = 0; serials[i] != NULL; i++)
    if (docket_sim_testbed_is_docked (testbed, serials[i]))
      g_ptr_array_add (docked, (gpointer)serials[i]);
  g_ptr_array_sort (docked, compare_strings);
  g_ptr_array_add (docked, NULL);
  return g_strjoinv (",", (gchar **)docked->pdata);
}

static guint
count_fds (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static gboolean
fds_back_to (gpointer data)
{
  return count_fds () <= GPOINTER_TO_UINT (data);
}

static void
test_redock (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const gchar *serials[] = { "HOT-0001", NULL };
  guint fds_before;

  dcp_test_add_camera (testbed, "HOT-0001", 1);
  docket_device_monitor_start (f->monitor, &error);
  g_assert_no_error (error);
  wait_settled (f, 0);
  /* Warm up once so libusb's own lazily-opened descriptors are counted. */
  docket_sim_testbed_dock (testbed, "HOT-0001", &error);
  g_assert_no_error (error);
  wait_settled (f, 1);
  docket_sim_testbed_undock (testbed, "HOT-0001", &error);
  dcp_test_wait_for (no_cameras, f);
  fds_before = count_fds ();

  for (guint round = 0; round < 20; round++)
    {
      g_autofree gchar *mine = NULL;
      g_autofree gchar *theirs = NULL;

      docket_sim_testbed_dock (testbed, "HOT-0001", &error);
      g_assert_no_error (error);
      wait_settled (f, 1);
      mine = monitor_view (f);
      theirs = testbed_view (serials);
      g_assert_cmpstr (mine, ==, theirs);

      docket_sim_testbed_undock (testbed, "HOT-0001", &error);
      g_assert_no_error (error);
      dcp_test_wait_for (no_cameras, f);
    }
  g_assert_cmpuint (f->added->len, ==, 21);
  g_assert_cmpuint (f->removed->len, ==, 21);
  /* Every driver closed its device node (closing runs on worker threads). */
  dcp_test_wait_for (fds_back_to, GUINT_TO_POINTER (fds_before));
}

static void
test_eight_at_once (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const gchar *serials[] = { "OCT-0001", "OCT-0002", "OCT-0003", "OCT-0004", "OCT-0005",
                             "OCT-0006", "OCT-0007", "OCT-0008", NULL };
  g_autofree gchar *mine = NULL;
  g_autofree gchar *theirs = NULL;

  for (guint i = 0; serials[i] != NULL; i++)
    dcp_test_add_camera (testbed, serials[i], 1);
  /* Four docked before the monitor starts (enumeration), four after. */
  for (guint i = 0; i < 4; i++)
    docket_sim_testbed_dock (testbed, serials[i], &error);
  docket_device_monitor_start (f->monitor, &error);
  g_assert_no_error (error);
  for (guint i = 4; i < 8; i++)
    docket_sim_testbed_dock (testbed, serials[i], &error);
  wait_settled (f, 8);
  mine = monitor_view (f);
  theirs = testbed_view (serials);
  g_assert_cmpstr (mine, ==, theirs);

  for (guint i = 0; i < 8; i += 2)
    docket_sim_testbed_undock (testbed, serials[i], &error);
  wait_settled (f, 4);
  g_free (mine);
  g_free (theirs);
  mine = monitor_view (f);
  theirs = testbed_view (serials);
  g_assert_cmpstr (mine, ==, theirs);

  for (guint i = 1; i < 8; i += 2)
    docket_sim_testbed_undock (testbed, serials[i], &error);
  dcp_test_wait_for (no_cameras, f);
}

/* Something that is not in the known-cameras table never shows up. */
static void
test_unknown_ignored (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DocketSimCameraOptions options
      = { .serial = "ALIEN-0001", .usb_vendor = 0x1234, .usb_product = 0x5678 };
  g_autoptr (GPtrArray) cameras = NULL;

  docket_sim_testbed_add_camera (testbed, &options, &error);
  g_assert_no_error (error);
  dcp_test_add_camera (testbed, "KNOWN-0001", 0);
  docket_device_monitor_start (f->monitor, &error);
  g_assert_no_error (error);
  docket_sim_testbed_dock (testbed, "ALIEN-0001", &error);
  docket_sim_testbed_dock (testbed, "KNOWN-0001", &error);
  g_assert_no_error (error);
  /* udev delivers in order: once KNOWN is in, ALIEN has been seen too. */
  wait_settled (f, 1);
  cameras = docket_device_monitor_get_cameras (f->monitor);
  g_assert_cmpstr (docket_camera_get_serial (g_ptr_array_index (cameras, 0)), ==, "KNOWN-0001");
  docket_sim_testbed_undock (testbed, "ALIEN-0001", &error);
  docket_sim_testbed_undock (testbed, "KNOWN-0001", &error);
  dcp_test_wait_for (no_cameras, f);
}

static DocketCamera *
camera_in_slot_of (Fixture *f, const gchar *serial)
{
  g_autoptr (GPtrArray) cameras = docket_device_monitor_get_cameras (f->monitor);
  const gchar *syspath = docket_sim_testbed_get_syspath (testbed, serial);
  g_autofree gchar *slot = g_path_get_basename (syspath);

  for (guint i = 0; i < cameras->len; i++)
    {
      DocketCamera *camera = g_ptr_array_index (cameras, i);

      if (g_strcmp0 (docket_camera_get_slot (camera), slot) == 0)
        return camera;
    }
  return NULL;
}

/* A camera that misbehaves while being identified is FAULTY with a reason a
 * person can read; the healthy camera beside it works normally. */
static void
test_faulty_isolated (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  struct
  {
    const gchar *serial;
    DocketSimFault fault;
    const gchar *expect; /* in the Problem text, for IT */
    const gchar *words;  /* the officer's sentence, in any language */
  } cases[] = {
    { "BAD-NOREPLY", DOCKET_SIM_FAULT_NO_REPLY, "stopped answering during identify",
      "The camera stopped answering." },
    { "BAD-VERSION", DOCKET_SIM_FAULT_WRONG_VERSION, "protocol version 2",
      "The kiosk could not identify" },
    { "BAD-LENGTH", DOCKET_SIM_FAULT_OVERSIZE_LENGTH, "only", "The kiosk could not identify" },
    { "BAD-TRUNC", DOCKET_SIM_FAULT_TRUNCATED, "truncated", "The kiosk could not identify" },
    /* Not a fault: a known USB id whose interface is not DCP at all. */
    { "BAD-NODCP", DOCKET_SIM_N_FAULTS, "no Docket Camera Protocol interface",
      "The kiosk could not identify" },
  };
  DocketCamera *good;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DocketSimCamera *camera;

      if (cases[i].fault == DOCKET_SIM_N_FAULTS)
        continue;
      camera = dcp_test_add_camera (testbed, cases[i].serial, 0);
      docket_sim_camera_set_fault (camera, cases[i].fault, 0);
    }
  {
    DocketSimCameraOptions options = { .serial = "BAD-NODCP", .no_dcp_interface = TRUE };

    docket_sim_testbed_add_camera (testbed, &options, &error);
    g_assert_no_error (error);
  }
  dcp_test_add_camera (testbed, "GOOD-0001", 1);
  docket_device_monitor_start (f->monitor, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    docket_sim_testbed_dock (testbed, cases[i].serial, &error);
  docket_sim_testbed_dock (testbed, "GOOD-0001", &error);
  g_assert_no_error (error);
  wait_settled (f, G_N_ELEMENTS (cases) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DocketCamera *camera = camera_in_slot_of (f, cases[i].serial);

      g_assert_nonnull (camera);
      g_assert_cmpint (docket_camera_get_state (camera), ==, DOCKET_CAMERA_STATE_FAULTY);
      g_test_message ("%s: %s", cases[i].serial, docket_camera_get_problem (camera));
      g_assert_nonnull (strstr (docket_camera_get_problem (camera), cases[i].expect));
      {
        g_autoptr (GVariant) message = g_variant_lookup_value (docket_camera_get_messages (camera),
                                                               "problem", DOCKET_MESSAGE_TYPE);
        const gchar *msgid = NULL;

        g_assert_nonnull (message);
        g_variant_get (message, "(&s&st@as)", &msgid, NULL, NULL, NULL);
        g_assert_true (g_str_has_prefix (msgid, cases[i].words));
      }
    }
  good = camera_in_slot_of (f, "GOOD-0001");
  g_assert_cmpint (docket_camera_get_state (good), ==, DOCKET_CAMERA_STATE_IDLE);
  g_assert_cmpstr (docket_camera_get_serial (good), ==, "GOOD-0001");
  g_assert_cmpint (docket_camera_get_battery_percent (good), >=, 40);

  /* The faulty camera, fixed and re-docked, is welcomed normally. */
  docket_sim_testbed_undock (testbed, "BAD-VERSION", &error);
  docket_sim_camera_clear_faults (docket_sim_testbed_get_camera (testbed, "BAD-VERSION"));
  wait_settled (f, G_N_ELEMENTS (cases));
  docket_sim_testbed_dock (testbed, "BAD-VERSION", &error);
  wait_settled (f, G_N_ELEMENTS (cases) + 1);
  g_assert_cmpint (docket_camera_get_state (camera_in_slot_of (f, "BAD-VERSION")), ==,
                   DOCKET_CAMERA_STATE_IDLE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    docket_sim_testbed_undock (testbed, cases[i].serial, &error);
  docket_sim_testbed_undock (testbed, "GOOD-0001", &error);
  dcp_test_wait_for (no_cameras, f);
}

/* Undocked in the middle of identify: removed cleanly, no late update. */
static void
test_undock_while_identifying (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *camera = dcp_test_add_camera (testbed, "QUICK-0001", 0);

  docket_sim_camera_set_fault (camera, DOCKET_SIM_FAULT_NO_REPLY, 0);
  docket_device_monitor_start (f->monitor, &error);
  docket_sim_testbed_dock (testbed, "QUICK-0001", &error);
  g_assert_no_error (error);
  while (f->added->len == 0)
    g_main_context_iteration (NULL, TRUE);
  docket_sim_testbed_undock (testbed, "QUICK-0001", &error);
  dcp_test_wait_for (no_cameras, f);
  g_assert_cmpuint (f->removed->len, ==, 1);
  docket_sim_camera_clear_faults (camera);
}

static void
slow_driver_cb (DocketDeviceMonitor *monitor, DocketCamera *camera, gpointer data)
{
  /* Runs before the probe starts: its exchanges now wait 4 s each. */
  docket_dcp_driver_set_timeout (DOCKET_DCP_DRIVER (docket_camera_get_driver (camera)), 4000);
}

static gboolean
has_problem (gpointer data)
{
  const gchar *problem = docket_camera_get_problem (data);

  return problem != NULL && *problem != '\0';
}

/* An identify that outlasts the monitor's deadline is reported while it still
 * runs, and the camera's own answer (here: none, so faulty) replaces it. */
static void
test_identify_overdue (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DocketSimCamera *sim = dcp_test_add_camera (testbed, "LATE-0001", 0);
  DocketCamera *camera;

  docket_sim_camera_set_fault (sim, DOCKET_SIM_FAULT_NO_REPLY, 0);
  docket_device_monitor_set_identify_deadline (f->monitor, 1);
  g_signal_connect (f->monitor, "camera-added", G_CALLBACK (slow_driver_cb), NULL);
  docket_device_monitor_start (f->monitor, &error);
  g_assert_no_error (error);
  docket_sim_testbed_dock (testbed, "LATE-0001", &error);
  g_assert_no_error (error);
  while (f->added->len == 0)
    g_main_context_iteration (NULL, TRUE);
  camera = g_ptr_array_index (f->added, 0);
  dcp_test_wait_for (has_problem, camera);
  g_assert_cmpint (docket_camera_get_state (camera), ==, DOCKET_CAMERA_STATE_IDENTIFYING);
  g_assert_nonnull (strstr (docket_camera_get_problem (camera), "has not answered for 1 seconds"));

  wait_settled (f, 1);
  g_assert_cmpint (docket_camera_get_state (camera), ==, DOCKET_CAMERA_STATE_FAULTY);
  g_assert_nonnull (strstr (docket_camera_get_problem (camera), "stopped answering"));

  docket_sim_testbed_undock (testbed, "LATE-0001", &error);
  dcp_test_wait_for (no_cameras, f);
  docket_sim_camera_clear_faults (sim);
}

static void
test_status_refresh (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DocketSimCameraOptions options
      = { .serial = "CHARGE-0001", .battery_percent = 10, .accelerate = 2000.0 };
  DocketCamera *camera;
  gint before;

  docket_sim_testbed_add_camera (testbed, &options, &error);
  g_assert_no_error (error);
  docket_device_monitor_start (f->monitor, &error);
  docket_sim_testbed_dock (testbed, "CHARGE-0001", &error);
  wait_settled (f, 1);
  camera = camera_in_slot_of (f, "CHARGE-0001");
  before = docket_camera_get_battery_percent (camera);
  /* Charging 2000x faster: a 3-hour charge in ~5 s of wall time. */
  while (docket_camera_get_battery_percent (camera) <= before)
    {
      docket_device_monitor_refresh_status (f->monitor);
      for (guint i = 0; i < 100; i++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }
    }
  docket_sim_testbed_undock (testbed, "CHARGE-0001", &error);
  dcp_test_wait_for (no_cameras, f);
}

typedef struct
{
  DocketCameraDriver *driver;
  GError *error;
  gint done; /* atomic */
} FaultyJob;

static gpointer
faulty_job_thread (gpointer data)
{
  FaultyJob *job = data;
  g_autoptr (GPtrArray) list = NULL;

  list = docket_camera_driver_list_recordings (job->driver, NULL, &job->error);
  if (list != NULL && list->len > 0)
    {
      DocketRecordingInfo *info = g_ptr_array_index (list, 0);
      g_autoptr (GBytes) data_read
          = dcp_test_read_all (job->driver, info->id, 1024 * 1024, &job->error);
    }
  g_atomic_int_set (&job->done, 1);
  return NULL;
}

static gboolean
faulty_job_done (gpointer data)
{
  return g_atomic_int_get (&((FaultyJob *)data)->done);
}

/* Every fault (but the unplug, tested above) on one camera while the
 * camera beside it offloads: the faulty camera's operations end, with a
 * message if they fail, and the other camera's offload is untouched. */
static void
test_every_fault_isolated (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  docket_device_monitor_start (f->monitor, &error);
  g_assert_no_error (error);
  for (guint k = 0; k < DOCKET_SIM_N_FAULTS; k++)
    {
      g_autofree gchar *bad_serial = g_strdup_printf ("EVERY-BAD-%02u", k);
      g_autofree gchar *good_serial = g_strdup_printf ("EVERY-OK-%02u", k);
      DocketSimCamera *bad = dcp_test_add_camera (testbed, bad_serial, 1);
      FaultyJob job = { 0 };
      g_autoptr (GPtrArray) list = NULL;
      g_autoptr (GBytes) whole = NULL;
      DocketCamera *good;
      GThread *thread;
      guint8 sha[32];

      if (k == DOCKET_SIM_FAULT_UNPLUG_AT_BYTE)
        continue;
      dcp_test_add_camera (testbed, good_serial, 1);
      docket_sim_testbed_dock (testbed, bad_serial, &error);
      docket_sim_testbed_dock (testbed, good_serial, &error);
      g_assert_no_error (error);
      wait_settled (f, 2);

      docket_sim_camera_set_fault (bad, k, k == DOCKET_SIM_FAULT_SLOW_LINK ? 100000 : 5000);
      job.driver = g_object_ref (docket_camera_get_driver (camera_in_slot_of (f, bad_serial)));
      thread = g_thread_new ("faulty", faulty_job_thread, &job);

      good = camera_in_slot_of (f, good_serial);
      list = docket_camera_driver_list_recordings (docket_camera_get_driver (good), NULL, &error);
      g_assert_no_error (error);
      whole = dcp_test_read_all (docket_camera_get_driver (good),
                                 ((DocketRecordingInfo *)g_ptr_array_index (list, 0))->id,
                                 1024 * 1024, &error);
      g_assert_no_error (error);
      dcp_test_sha256 (g_bytes_get_data (whole, NULL), g_bytes_get_size (whole), sha);
      g_assert_cmpmem (sha, 32, ((DocketRecordingInfo *)g_ptr_array_index (list, 0))->sha256, 32);

      dcp_test_wait_for (faulty_job_done, &job);
      g_thread_join (thread);
      g_test_message ("%s: %s", docket_sim_fault_to_string (k),
                      job.error != NULL ? job.error->message : "no error from list and read");
      if (job.error != NULL)
        g_assert_cmpuint (strlen (job.error->message), >, 20);
      g_clear_error (&job.error);
      g_object_unref (job.driver);

      g_assert_cmpint (docket_camera_get_state (good), ==, DOCKET_CAMERA_STATE_IDLE);
      docket_sim_testbed_undock (testbed, bad_serial, &error);
      docket_sim_testbed_undock (testbed, good_serial, &error);
      dcp_test_wait_for (no_cameras, f);
    }
}

/* start() twice announces nothing twice; stop() then start() enumerates again. */
static void
test_stop_start (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  dcp_test_add_camera (testbed, "AGAIN-0001", 0);
  dcp_test_add_camera (testbed, "AGAIN-0002", 0);
  docket_sim_testbed_dock (testbed, "AGAIN-0001", &error);
  docket_sim_testbed_dock (testbed, "AGAIN-0002", &error);
  g_assert_no_error (error);
  docket_device_monitor_start (f->monitor, &error);
  g_assert_no_error (error);
  docket_device_monitor_start (f->monitor, &error);
  g_assert_no_error (error);
  wait_settled (f, 2);
  g_assert_cmpuint (f->added->len, ==, 2);

  docket_device_monitor_stop (f->monitor);
  g_assert_true (no_cameras (f));
  docket_device_monitor_start (f->monitor, &error);
  g_assert_no_error (error);
  wait_settled (f, 2);
  g_assert_cmpuint (f->added->len, ==, 4);

  docket_sim_testbed_undock (testbed, "AGAIN-0001", &error);
  docket_sim_testbed_undock (testbed, "AGAIN-0002", &error);
  dcp_test_wait_for (no_cameras, f);
}

typedef struct
{
  DocketCameraDriver *driver;
  guint32 id;
  gsize size;
  GError *error;
  gsize got;
  gint done; /* atomic */
} ReadJob;

static gpointer
read_job_thread (gpointer data)
{
  ReadJob *job = data;
  g_autofree guint8 *buf = g_malloc (1024 * 1024);

  for (;;)
    {
      gssize n = docket_camera_driver_read_recording (job->driver, job->id, job->got, buf,
                                                      1024 * 1024, NULL, &job->error);

      if (n <= 0)
        break;
      job->got += n;
    }
  g_atomic_int_set (&job->done, 1);
  return NULL;
}

static gboolean
jobs_done (gpointer data)
{
  ReadJob *jobs = data;

  return g_atomic_int_get (&jobs[0].done) && g_atomic_int_get (&jobs[1].done);
}

static gboolean
one_camera_left (gpointer data)
{
  Fixture *f = data;
  g_autoptr (GPtrArray) cameras = docket_device_monitor_get_cameras (f->monitor);

  return cameras->len == 1;
}

/* One camera's cable comes out during an offload while another camera is
 * offloading too: the first read fails DISCONNECTED and the camera leaves
 * the monitor; the second read completes and its camera stays IDLE. */
static void
test_unplug_mid_read_isolated (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = dcp_test_random_file (3 * 1024 * 1024, 11);
  DocketSimCamera *sim_a = dcp_test_add_camera (testbed, "PULL-0001", 0);
  DocketSimCamera *sim_b = dcp_test_add_camera (testbed, "STAY-0001", 0);
  ReadJob jobs[2] = { { 0 } };
  GThread *threads[2];
  DocketCameraStatus status;
  DocketCamera *stay;

  jobs[0].id = docket_sim_camera_add_recording (sim_a, path, &error);
  jobs[1].id = docket_sim_camera_add_recording (sim_b, path, &error);
  g_assert_no_error (error);
  docket_device_monitor_start (f->monitor, &error);
  docket_sim_testbed_dock (testbed, "PULL-0001", &error);
  docket_sim_testbed_dock (testbed, "STAY-0001", &error);
  g_assert_no_error (error);
  wait_settled (f, 2);

  jobs[0].driver = docket_camera_get_driver (camera_in_slot_of (f, "PULL-0001"));
  jobs[1].driver = docket_camera_get_driver (camera_in_slot_of (f, "STAY-0001"));
  stay = g_object_ref (camera_in_slot_of (f, "STAY-0001"));
  docket_sim_camera_set_fault (sim_a, DOCKET_SIM_FAULT_UNPLUG_AT_BYTE, 1500000);
  for (guint i = 0; i < 2; i++)
    {
      g_object_ref (jobs[i].driver);
      threads[i] = g_thread_new ("offload", read_job_thread, &jobs[i]);
    }
  dcp_test_wait_for (jobs_done, jobs);
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  g_assert_error (jobs[0].error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED);
  g_test_message ("%s", jobs[0].error->message);
  g_assert_cmpuint (jobs[0].got, <, 1500000);
  g_assert_no_error (jobs[1].error);
  g_assert_cmpuint (jobs[1].got, ==, 3 * 1024 * 1024);

  dcp_test_wait_for (one_camera_left, f);
  g_assert_true (camera_in_slot_of (f, "STAY-0001") == stay);
  g_assert_cmpint (docket_camera_get_state (stay), ==, DOCKET_CAMERA_STATE_IDLE);
  g_assert_true (docket_camera_driver_get_status (jobs[1].driver, &status, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++)
    {
      g_clear_error (&jobs[i].error);
      g_object_unref (jobs[i].driver);
    }
  g_object_unref (stay);
  docket_sim_testbed_undock (testbed, "STAY-0001", &error);
  dcp_test_wait_for (no_cameras, f);
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int rc;

  dcp_test_ensure_preload (argv);
  /* Keep "stopped answering" cases quick. */
  g_setenv ("DOCKET_DCP_TIMEOUT_MS", "1000", TRUE);
  g_test_init (&argc, &argv, NULL);

  testbed = docket_sim_testbed_new (&error);
  g_assert_no_error (error);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/hotplug/redock-20", test_redock);
  ADD ("/hotplug/eight-at-once", test_eight_at_once);
  ADD ("/hotplug/unknown-ignored", test_unknown_ignored);
  ADD ("/hotplug/faulty-isolated", test_faulty_isolated);
  ADD ("/hotplug/undock-while-identifying", test_undock_while_identifying);
  ADD ("/hotplug/identify-overdue", test_identify_overdue);
  ADD ("/hotplug/status-refresh", test_status_refresh);
  ADD ("/hotplug/unplug-mid-read-isolated", test_unplug_mid_read_isolated);
  ADD ("/hotplug/stop-start", test_stop_start);
  ADD ("/hotplug/every-fault-isolated", test_every_fault_isolated);
#undef ADD
  rc = g_test_run ();
  g_clear_object (&testbed);
  return rc;
}
