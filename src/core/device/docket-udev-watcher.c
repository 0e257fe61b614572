/* docket-udev-watcher.c — USB devices coming and going, from libudev
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libudev.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-udev-watcher.h"

typedef struct udev_device UdevDevice;
typedef struct udev_enumerate UdevEnumerate;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UdevDevice, udev_device_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UdevEnumerate, udev_enumerate_unref)

struct _DocketUdevWatcher
{
  GObject parent_instance;

  struct udev *udev;
  struct udev_monitor *monitor;
  GSource *source;
  GHashTable *devices; /* syspath → DocketUsbDeviceInfo */
};

G_DEFINE_FINAL_TYPE (DocketUdevWatcher, docket_udev_watcher, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (DocketUsbDeviceInfo,
                     docket_usb_device_info,
                     docket_usb_device_info_copy,
                     docket_usb_device_info_free)

enum
{
  SIGNAL_DEVICE_ADDED,
  SIGNAL_DEVICE_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

DocketUsbDeviceInfo *
docket_usb_device_info_copy (const DocketUsbDeviceInfo *info)
{
  DocketUsbDeviceInfo *copy = g_new0 (DocketUsbDeviceInfo, 1);

  *copy = *info;
  copy->syspath = g_strdup (info->syspath);
  copy->sysname = g_strdup (info->sysname);
  copy->serial = g_strdup (info->serial);
  return copy;
}

void
docket_usb_device_info_free (DocketUsbDeviceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->syspath);
  g_free (info->sysname);
  g_free (info->serial);
  g_free (info);
}

static gboolean
parse_uint_attr (struct udev_device *dev, const gchar *name, guint base, guint64 max, guint64 *out)
{
  const gchar *value = udev_device_get_sysattr_value (dev, name);
  g_autofree gchar *copy = NULL;

  if (value == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (value));
  return g_ascii_string_to_unsigned (copy, base, 0, max, out, NULL);
}

/* NULL for anything that is not a complete USB device node. */
static DocketUsbDeviceInfo *
info_from_udev (struct udev_device *dev)
{
  g_autoptr (DocketUsbDeviceInfo) info = g_new0 (DocketUsbDeviceInfo, 1);
  guint64 bus, address, vid, pid;
  const gchar *serial;

  if (g_strcmp0 (udev_device_get_devtype (dev), "usb_device") != 0)
    return NULL;
  if (!parse_uint_attr (dev, "busnum", 10, 255, &bus)
      || !parse_uint_attr (dev, "devnum", 10, 255, &address)
      || !parse_uint_attr (dev, "idVendor", 16, 0xffff, &vid)
      || !parse_uint_attr (dev, "idProduct", 16, 0xffff, &pid))
    return NULL;
  info->syspath = g_strdup (udev_device_get_syspath (dev));
  info->sysname = g_strdup (udev_device_get_sysname (dev));
  info->bus = (guint8)bus;
  info->address = (guint8)address;
  info->vendor_id = (guint16)vid;
  info->product_id = (guint16)pid;
  serial = udev_device_get_sysattr_value (dev, "serial");
  if (serial != NULL && g_utf8_validate (serial, -1, NULL))
    info->serial = g_strstrip (g_strdup (serial));
  return g_steal_pointer (&info);
}

static void
device_added (DocketUdevWatcher *self, struct udev_device *dev)
{
  DocketUsbDeviceInfo *info;

  if (g_hash_table_contains (self->devices, udev_device_get_syspath (dev)))
    return;
  info = info_from_udev (dev);
  if (info == NULL)
    return;
  g_hash_table_insert (self->devices, info->syspath, info);
  g_signal_emit (self, signals[SIGNAL_DEVICE_ADDED], 0, info);
}

static void
device_removed (DocketUdevWatcher *self, const gchar *syspath)
{
  DocketUsbDeviceInfo *info;

  if (!g_hash_table_steal_extended (self->devices, syspath, NULL, (gpointer *)&info))
    return;
  g_signal_emit (self, signals[SIGNAL_DEVICE_REMOVED], 0, info);
  docket_usb_device_info_free (info);
}

static gboolean
monitor_ready_cb (gint fd, GIOCondition condition, gpointer user_data)
{
  DocketUdevWatcher *self = user_data;

  /* Drain everything queued: one wake-up may carry several events. */
  for (;;)
    {
      g_autoptr (UdevDevice) dev = udev_monitor_receive_device (self->monitor);
      const gchar *action;

      if (dev == NULL)
        break;
      action = udev_device_get_action (dev);
      if (g_strcmp0 (action, "add") == 0)
        device_added (self, dev);
      else if (g_strcmp0 (action, "remove") == 0)
        device_removed (self, udev_device_get_syspath (dev));
    }
  return G_SOURCE_CONTINUE;
}

static void
docket_udev_watcher_dispose (GObject *object)
{
  DocketUdevWatcher *self = DOCKET_UDEV_WATCHER (object);

  docket_udev_watcher_stop (self);
  G_OBJECT_CLASS (docket_udev_watcher_parent_class)->dispose (object);
}

static void
docket_udev_watcher_finalize (GObject *object)
{
  DocketUdevWatcher *self = DOCKET_UDEV_WATCHER (object);

  g_hash_table_unref (self->devices);
  G_OBJECT_CLASS (docket_udev_watcher_parent_class)->finalize (object);
}

static void
docket_udev_watcher_class_init (DocketUdevWatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_udev_watcher_dispose;
  object_class->finalize = docket_udev_watcher_finalize;

  signals[SIGNAL_DEVICE_ADDED] = g_signal_new (
      "device-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, DOCKET_TYPE_USB_DEVICE_INFO | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_DEVICE_REMOVED] = g_signal_new (
      "device-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, DOCKET_TYPE_USB_DEVICE_INFO | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
docket_udev_watcher_init (DocketUdevWatcher *self)
{
  self->devices = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify)docket_usb_device_info_free);
}

DocketUdevWatcher *
docket_udev_watcher_new (void)
{
  return g_object_new (DOCKET_TYPE_UDEV_WATCHER, NULL);
}

gboolean
docket_udev_watcher_start (DocketUdevWatcher *self, GError **error)
{
  g_autoptr (UdevEnumerate) enumerate = NULL;
  struct udev_list_entry *entry;

  g_return_val_if_fail (DOCKET_IS_UDEV_WATCHER (self), FALSE);

  if (self->udev != NULL)
    return TRUE;
  self->udev = udev_new ();
  if (self->udev == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, _ ("Cannot talk to udev"));
      return FALSE;
    }
  /* Listen first, enumerate second: a device plugged in between is then
   * seen twice rather than never (device_added ignores repeats). */
  self->monitor = udev_monitor_new_from_netlink (self->udev, "udev");
  if (self->monitor == NULL
      || udev_monitor_filter_add_match_subsystem_devtype (self->monitor, "usb", "usb_device") < 0
      || udev_monitor_enable_receiving (self->monitor) < 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                   _ ("Cannot listen for USB devices being plugged in"));
      docket_udev_watcher_stop (self);
      return FALSE;
    }
  self->source = g_unix_fd_source_new (udev_monitor_get_fd (self->monitor), G_IO_IN);
  g_source_set_callback (self->source, (GSourceFunc)(void (*) (void))monitor_ready_cb, self, NULL);
  g_source_set_name (self->source, "[docket] udev monitor");
  g_source_attach (self->source, g_main_context_get_thread_default ());

  enumerate = udev_enumerate_new (self->udev);
  udev_enumerate_add_match_subsystem (enumerate, "usb");
  udev_enumerate_add_match_property (enumerate, "DEVTYPE", "usb_device");
  udev_enumerate_scan_devices (enumerate);
  udev_list_entry_foreach (entry, udev_enumerate_get_list_entry (enumerate))
  {
    g_autoptr (UdevDevice) dev
        = udev_device_new_from_syspath (self->udev, udev_list_entry_get_name (entry));

    if (dev != NULL)
      device_added (self, dev);
  }
  return TRUE;
}

void
docket_udev_watcher_stop (DocketUdevWatcher *self)
{
  g_return_if_fail (DOCKET_IS_UDEV_WATCHER (self));

  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  g_clear_pointer (&self->monitor, udev_monitor_unref);
  g_clear_pointer (&self->udev, udev_unref);
  g_hash_table_remove_all (self->devices);
}

GPtrArray *
docket_udev_watcher_get_devices (DocketUdevWatcher *self)
{
  GPtrArray *out = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->devices);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (out, value);
  return out;
}
