/* docket-sim-testbed.c — simulated cameras on a umockdev testbed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <malloc.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <umockdev.h>

#include "docket-error.h"
#include "docket-sim-private.h"
#include "docket-sim-testbed.h"

#define PRELOAD_LIB "libumockdev-preload.so.0"
#define SIM_BUS 1

typedef struct
{
  DocketSimTestbed *testbed; /* unowned */
  DocketSimCamera *camera;   /* owned */
  DocketSimUsb *usb;         /* owned */
  guint port;                /* 1-based; devnum = port + 1 */
  gchar *syspath;            /* set while docked */
  GSource *reboot_source;    /* owned: the camera comes back after a restart */
} SimSlot;

struct _DocketSimTestbed
{
  GObject parent_instance;

  UMockdevTestbed *testbed;
  GMainContext *context;
  GPtrArray *slots; /* SimSlot */
  gchar *root_dir;
};

G_DEFINE_FINAL_TYPE (DocketSimTestbed, docket_sim_testbed, G_TYPE_OBJECT)

enum
{
  SIGNAL_UNPLUGGED,
  SIGNAL_REBOOTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

gboolean
docket_sim_preload_active (void)
{
  const gchar *preload = g_getenv ("LD_PRELOAD");

  /* umockdev_in_mock_environment() caches its first answer: ask directly. */
  return preload != NULL && strstr (preload, "libumockdev-preload") != NULL;
}

/* umockdev copies every URB's buffer twice (its view of the caller's memory
 * and a copy to compare against), 2 MiB per 1 MiB transfer, freed at reap.
 * glibc's adaptive thresholds then hand those pages back to the kernel and
 * fault them in again on the next URB: measured 700 page faults and 20 ms
 * of CPU per MiB, depending on how many URBs were in flight, which swamped
 * everything the read-ahead benchmarks try to compare. Keep the emulation's
 * buffers mapped instead. Only for processes hosting the simulator (tests,
 * benchmarks, docket-sim); the daemon never links it. */
static void
docket_sim_tune_malloc (void)
{
  if (g_getenv ("DOCKET_SIM_DEFAULT_MALLOC") != NULL)
    return;
  mallopt (M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 256 * 1024 * 1024);
}

gboolean
docket_sim_ensure_preload (gchar **argv, GError **error)
{
  const gchar *preload = g_getenv ("LD_PRELOAD");
  const gchar *asan = g_getenv ("ASAN_OPTIONS");
  g_autofree gchar *new_preload = NULL;
  g_autofree gchar *new_asan = NULL;

  if (docket_sim_preload_active ())
    return TRUE;
  if (g_getenv ("DOCKET_SIM_REEXECED") != NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   "The umockdev preload library did not load after re-exec");
      return FALSE;
    }
  new_preload = preload != NULL && *preload != '\0'
                    ? g_strdup_printf ("%s:%s", preload, PRELOAD_LIB)
                    : g_strdup (PRELOAD_LIB);
  g_setenv ("LD_PRELOAD", new_preload, TRUE);
  g_setenv ("DOCKET_SIM_REEXECED", "1", TRUE);
  /* An ASan build refuses to start when another library is preloaded first. */
  new_asan = asan != NULL && *asan != '\0' ? g_strdup_printf ("%s:verify_asan_link_order=0", asan)
                                           : g_strdup ("verify_asan_link_order=0");
  g_setenv ("ASAN_OPTIONS", new_asan, TRUE);
  execv ("/proc/self/exe", argv);
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED, "Could not re-execute under %s: %s",
               PRELOAD_LIB, g_strerror (errno));
  return FALSE;
}

/* How long a simulated camera takes to restart after a firmware commit. */
#define REBOOT_DELAY_MS 200

static void
cancel_reboot (SimSlot *slot)
{
  if (slot->reboot_source != NULL)
    {
      g_source_destroy (slot->reboot_source);
      g_clear_pointer (&slot->reboot_source, g_source_unref);
    }
}

static void
sim_slot_free (SimSlot *slot)
{
  cancel_reboot (slot);
  docket_sim_usb_free (slot->usb);
  g_clear_object (&slot->camera);
  g_free (slot->syspath);
  g_free (slot);
}

static void
docket_sim_testbed_dispose (GObject *object)
{
  DocketSimTestbed *self = DOCKET_SIM_TESTBED (object);

  if (self->slots != NULL)
    {
      for (guint i = 0; i < self->slots->len; i++)
        {
          SimSlot *slot = g_ptr_array_index (self->slots, i);

          if (slot->syspath != NULL)
            docket_sim_testbed_undock (self, docket_sim_camera_get_serial (slot->camera), NULL);
        }
    }
  /* The testbed first: it stops the ioctl thread that calls into the slots. */
  g_clear_object (&self->testbed);
  g_clear_pointer (&self->slots, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->root_dir, g_free);
  G_OBJECT_CLASS (docket_sim_testbed_parent_class)->dispose (object);
}

static void
docket_sim_testbed_class_init (DocketSimTestbedClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = docket_sim_testbed_dispose;

  /* A camera came out on its own (unplug fault); emitted on the testbed's context. */
  signals[SIGNAL_UNPLUGGED]
      = g_signal_new ("unplugged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* A camera restarted after a firmware commit and is docked again. */
  signals[SIGNAL_REBOOTED] = g_signal_new ("rebooted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
docket_sim_testbed_init (DocketSimTestbed *self)
{
  self->slots = g_ptr_array_new_with_free_func ((GDestroyNotify)sim_slot_free);
}

DocketSimTestbed *
docket_sim_testbed_new (GError **error)
{
  DocketSimTestbed *self;

  if (!docket_sim_preload_active ())
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   "The camera simulator needs LD_PRELOAD=%s", PRELOAD_LIB);
      return NULL;
    }
  docket_sim_tune_malloc ();
  self = g_object_new (DOCKET_TYPE_SIM_TESTBED, NULL);
  self->testbed = umockdev_testbed_new ();
  self->context = g_main_context_ref_thread_default ();
  self->root_dir = umockdev_testbed_get_root_dir (self->testbed);
  return self;
}

static SimSlot *
find_slot (DocketSimTestbed *self, const gchar *serial)
{
  for (guint i = 0; i < self->slots->len; i++)
    {
      SimSlot *slot = g_ptr_array_index (self->slots, i);

      if (g_strcmp0 (docket_sim_camera_get_serial (slot->camera), serial) == 0)
        return slot;
    }
  return NULL;
}

static gboolean
serial_is_safe (const gchar *serial)
{
  for (const gchar *p = serial; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("-_.", *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  DocketSimTestbed *testbed; /* owned */
  gchar *serial;
  DocketSimEvent event;
} UnplugData;

static void
unplug_data_free (UnplugData *data)
{
  g_object_unref (data->testbed);
  g_free (data->serial);
  g_free (data);
}

static gboolean
reboot_done_cb (gpointer user_data)
{
  SimSlot *slot = user_data;
  DocketSimTestbed *self = slot->testbed;
  g_autofree gchar *serial = g_strdup (docket_sim_camera_get_serial (slot->camera));

  g_clear_pointer (&slot->reboot_source, g_source_unref);
  /* Docking boots the committed slot (docket_sim_camera_set_docked). */
  if (docket_sim_testbed_dock (self, serial, NULL))
    g_signal_emit (self, signals[SIGNAL_REBOOTED], 0, serial);
  return G_SOURCE_REMOVE;
}

static gboolean
finish_unplug_cb (gpointer user_data)
{
  UnplugData *data = user_data;
  SimSlot *slot = find_slot (data->testbed, data->serial);

  if (!docket_sim_testbed_undock (data->testbed, data->serial, NULL))
    return G_SOURCE_REMOVE;
  if (data->event == DOCKET_SIM_EVENT_UNPLUG)
    g_signal_emit (data->testbed, signals[SIGNAL_UNPLUGGED], 0, data->serial);
  else if (slot != NULL)
    {
      /* A restart: udev remove now, add again once the camera is up. */
      slot->reboot_source = g_timeout_source_new (REBOOT_DELAY_MS);
      g_source_set_callback (slot->reboot_source, reboot_done_cb, slot, NULL);
      g_source_attach (slot->reboot_source, data->testbed->context);
    }
  return G_SOURCE_REMOVE;
}

/* umockdev's ioctl thread: the camera is already electrically gone; finish
 * the removal (uevent, sysfs) on the testbed's own context. */
static void
unplug_cb (DocketSimEvent event, gpointer user_data)
{
  SimSlot *slot = user_data;
  UnplugData *data = g_new0 (UnplugData, 1);

  data->event = event;
  data->testbed = g_object_ref (slot->testbed);
  data->serial = g_strdup (docket_sim_camera_get_serial (slot->camera));
  g_main_context_invoke_full (slot->testbed->context, G_PRIORITY_DEFAULT, finish_unplug_cb, data,
                              (GDestroyNotify)unplug_data_free);
}

DocketSimCamera *
docket_sim_testbed_add_camera (DocketSimTestbed *self,
                               const DocketSimCameraOptions *options,
                               GError **error)
{
  g_autoptr (DocketSimCamera) camera = NULL;
  g_autofree gchar *devnode = NULL;
  SimSlot *slot;

  g_return_val_if_fail (DOCKET_IS_SIM_TESTBED (self), NULL);

  if (options->serial != NULL && find_slot (self, options->serial) != NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   "A simulated camera with serial %s already exists", options->serial);
      return NULL;
    }
  if (options->serial != NULL && !serial_is_safe (options->serial))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   "Simulated camera serials may only use letters, digits, '-', '_' and '.'");
      return NULL;
    }
  if (self->slots->len >= 120)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, "Too many simulated cameras");
      return NULL;
    }
  camera = docket_sim_camera_new (options, error);
  if (camera == NULL)
    return NULL;

  slot = g_new0 (SimSlot, 1);
  slot->testbed = self;
  slot->camera = g_object_ref (camera);
  slot->port = self->slots->len + 1;
  slot->usb = docket_sim_usb_new (camera, unplug_cb, slot);
  g_ptr_array_add (self->slots, slot);

  /* Attach once, before the device ever appears, and keep it across
   * re-plugs (see the usb-simulation notes). */
  devnode = g_strdup_printf ("/dev/bus/usb/%03u/%03u", SIM_BUS, slot->port + 1);
  if (!umockdev_testbed_attach_ioctl (self->testbed, devnode,
                                      docket_sim_usb_get_handler (slot->usb), error))
    {
      g_ptr_array_remove (self->slots, slot);
      return NULL;
    }
  return camera;
}

DocketSimCamera *
docket_sim_testbed_get_camera (DocketSimTestbed *self, const gchar *serial)
{
  SimSlot *slot = find_slot (self, serial);

  return slot != NULL ? slot->camera : NULL;
}

GPtrArray *
docket_sim_testbed_get_cameras (DocketSimTestbed *self)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < self->slots->len; i++)
    g_ptr_array_add (out, ((SimSlot *)g_ptr_array_index (self->slots, i))->camera);
  return out;
}

static gchar *
descriptors_hex (DocketSimCamera *camera)
{
  guint16 vid = docket_sim_camera_get_usb_vendor (camera);
  guint16 pid = docket_sim_camera_get_usb_product (camera);
  /* A camera without DCP shows a mass-storage interface instead. */
  gboolean dcp = docket_sim_camera_get_has_dcp_interface (camera);
  /* clang-format off */
  guint8 desc[] = {
    /* device */
    18, 1, 0x00, 0x02, 0x00, 0x00, 0x00, 64, vid & 0xff, vid >> 8, pid & 0xff, pid >> 8,
    0x00, 0x01, 1, 2, 3, 1,
    /* configuration: one interface, bus powered, 500 mA */
    9, 2, 32, 0, 1, 1, 0, 0xC0, 250,
    /* the DCP interface */
    9, 4, 0, 0, 2, dcp ? 0xFF : 0x08, dcp ? 0xDC : 0x06, dcp ? 0x01 : 0x50, 0,
    /* bulk IN 0x81 and bulk OUT 0x02, 512-byte packets (high speed) */
    7, 5, 0x81, 2, 0x00, 0x02, 0,
    7, 5, 0x02, 2, 0x00, 0x02, 0,
  };
  /* clang-format on */
  GString *hex = g_string_new (NULL);

  for (gsize i = 0; i < sizeof desc; i++)
    g_string_append_printf (hex, "%02x", desc[i]);
  return g_string_free (hex, FALSE);
}

gboolean
docket_sim_testbed_dock (DocketSimTestbed *self, const gchar *serial, GError **error)
{
  SimSlot *slot = find_slot (self, serial);
  g_autofree gchar *desc = NULL;
  g_autofree gchar *record = NULL;
  guint devnum;
  guint16 vid, pid;

  if (slot == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND, "No simulated camera %s", serial);
      return FALSE;
    }
  if (slot->syspath != NULL)
    return TRUE;
  cancel_reboot (slot);

  devnum = slot->port + 1;
  vid = docket_sim_camera_get_usb_vendor (slot->camera);
  pid = docket_sim_camera_get_usb_product (slot->camera);
  desc = descriptors_hex (slot->camera);
  record = g_strdup_printf ("P: /devices/docket-dock/usb%u/%u-%u\n"
                            "N: bus/usb/%03u/%03u\n"
                            "E: SUBSYSTEM=usb\n"
                            "E: DEVTYPE=usb_device\n"
                            "E: DRIVER=usb\n"
                            "E: BUSNUM=%03u\n"
                            "E: DEVNUM=%03u\n"
                            "E: DEVNAME=/dev/bus/usb/%03u/%03u\n"
                            "E: PRODUCT=%x/%x/100\n"
                            "E: ID_VENDOR_ID=%04x\n"
                            "E: ID_MODEL_ID=%04x\n"
                            "E: ID_SERIAL_SHORT=%s\n"
                            "A: busnum=%u\\n\n"
                            "A: devnum=%u\\n\n"
                            "A: speed=480\\n\n"
                            "A: bConfigurationValue=1\\n\n"
                            "A: idVendor=%04x\\n\n"
                            "A: idProduct=%04x\\n\n"
                            "A: serial=%s\\n\n"
                            "A: manufacturer=Docket Project\\n\n"
                            "A: product=DCP Camera (simulated)\\n\n"
                            "H: descriptors=%s\n",
                            SIM_BUS, SIM_BUS, slot->port, SIM_BUS, devnum, SIM_BUS, devnum, SIM_BUS,
                            devnum, vid, pid, vid, pid, serial, SIM_BUS, devnum, vid, pid, serial,
                            desc);

  docket_sim_camera_set_docked (slot->camera, TRUE);
  docket_sim_usb_set_connected (slot->usb, TRUE);
  if (!umockdev_testbed_add_from_string (self->testbed, record, error))
    {
      docket_sim_usb_set_connected (slot->usb, FALSE);
      docket_sim_camera_set_docked (slot->camera, FALSE);
      return FALSE;
    }
  slot->syspath
      = g_strdup_printf ("/sys/devices/docket-dock/usb%u/%u-%u", SIM_BUS, SIM_BUS, slot->port);
  return TRUE;
}

gboolean
docket_sim_testbed_undock (DocketSimTestbed *self, const gchar *serial, GError **error)
{
  SimSlot *slot = find_slot (self, serial);

  if (slot == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND, "No simulated camera %s", serial);
      return FALSE;
    }
  /* Taken out while restarting: it stays out. */
  cancel_reboot (slot);
  if (slot->syspath == NULL)
    return FALSE;

  /* Electrically gone first, then the uevent (it reads sysfs), then sysfs. */
  docket_sim_usb_set_connected (slot->usb, FALSE);
  docket_sim_camera_set_docked (slot->camera, FALSE);
  umockdev_testbed_uevent (self->testbed, slot->syspath, "remove");
  umockdev_testbed_remove_device (self->testbed, slot->syspath);
  g_clear_pointer (&slot->syspath, g_free);
  return TRUE;
}

gboolean
docket_sim_testbed_is_docked (DocketSimTestbed *self, const gchar *serial)
{
  SimSlot *slot = find_slot (self, serial);

  return slot != NULL && slot->syspath != NULL;
}

const gchar *
docket_sim_testbed_get_syspath (DocketSimTestbed *self, const gchar *serial)
{
  SimSlot *slot = find_slot (self, serial);

  return slot != NULL ? slot->syspath : NULL;
}

gchar *
docket_sim_testbed_get_devnode (DocketSimTestbed *self, const gchar *serial)
{
  SimSlot *slot = find_slot (self, serial);

  if (slot == NULL)
    return NULL;
  return g_strdup_printf ("/dev/bus/usb/%03u/%03u", SIM_BUS, slot->port + 1);
}

const gchar *
docket_sim_testbed_get_root_dir (DocketSimTestbed *self)
{
  return self->root_dir;
}
