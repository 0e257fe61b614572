/* docket-usb-context.c — the process's libusb context and its event thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-usb-context.h"

struct _DocketUsbContext
{
  GObject parent_instance;

  libusb_context *ctx; /* owned */
  GThread *thread;     /* owned, runs event_thread_func() */
  gint stop;           /* (atomic) */
};

G_DEFINE_FINAL_TYPE (DocketUsbContext, docket_usb_context, G_TYPE_OBJECT)

/* The shared instance, kept weakly so the last user shuts libusb down. */
static GMutex default_lock;
static DocketUsbContext *default_context; /* (mutex default_lock) */

static gpointer
event_thread_func (gpointer data)
{
  DocketUsbContext *self = data;

  while (!g_atomic_int_get (&self->stop))
    {
      struct timeval tv = { 0, 200 * 1000 };

      libusb_handle_events_timeout_completed (self->ctx, &tv, NULL);
    }
  return NULL;
}

static void
docket_usb_context_finalize (GObject *object)
{
  DocketUsbContext *self = DOCKET_USB_CONTEXT (object);

  if (self->thread != NULL)
    {
      g_atomic_int_set (&self->stop, 1);
      libusb_interrupt_event_handler (self->ctx);
      g_thread_join (self->thread);
    }
  if (self->ctx != NULL)
    libusb_exit (self->ctx);
  G_OBJECT_CLASS (docket_usb_context_parent_class)->finalize (object);
}

static void
docket_usb_context_class_init (DocketUsbContextClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_usb_context_finalize;
}

static void
docket_usb_context_init (DocketUsbContext *self)
{
}

static void
default_context_gone (gpointer data, GObject *where_the_object_was)
{
  g_mutex_lock (&default_lock);
  if (default_context == (DocketUsbContext *)where_the_object_was)
    default_context = NULL;
  g_mutex_unlock (&default_lock);
}

DocketUsbContext *
docket_usb_context_dup_default (GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&default_lock);
  g_autoptr (DocketUsbContext) self = NULL;
  int rc;

  if (default_context != NULL)
    return g_object_ref (default_context);

  self = g_object_new (DOCKET_TYPE_USB_CONTEXT, NULL);
  rc = libusb_init (&self->ctx);
  if (rc < 0)
    {
      self->ctx = NULL;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, _ ("USB is not available: %s"),
                   libusb_strerror (rc));
      return NULL;
    }
  self->thread = g_thread_new ("docket-usb-events", event_thread_func, self);
  default_context = self;
  g_object_weak_ref (G_OBJECT (self), default_context_gone, NULL);
  return g_steal_pointer (&self);
}

libusb_context *
docket_usb_context_get_libusb (DocketUsbContext *self)
{
  g_return_val_if_fail (DOCKET_IS_USB_CONTEXT (self), NULL);
  return self->ctx;
}

static libusb_device *
lookup_device (DocketUsbContext *self, guint8 bus, guint8 address)
{
  libusb_device **list = NULL;
  libusb_device *found = NULL;
  ssize_t n = libusb_get_device_list (self->ctx, &list);

  for (ssize_t i = 0; i < n; i++)
    {
      if (libusb_get_bus_number (list[i]) == bus && libusb_get_device_address (list[i]) == address)
        {
          found = libusb_ref_device (list[i]);
          break;
        }
    }
  if (list != NULL)
    libusb_free_device_list (list, TRUE);
  return found;
}

libusb_device *
docket_usb_context_find_device (DocketUsbContext *self,
                                guint8 bus,
                                guint8 address,
                                guint wait_ms,
                                GCancellable *cancellable,
                                GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)wait_ms * 1000;

  g_return_val_if_fail (DOCKET_IS_USB_CONTEXT (self), NULL);

  /* udev may tell us about a device before libusb's own hotplug thread has
   * added it to its list: poll briefly rather than fail. */
  for (;;)
    {
      libusb_device *dev = lookup_device (self, bus, address);

      if (dev != NULL)
        return dev;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (g_get_monotonic_time () >= deadline)
        break;
      g_usleep (10 * 1000);
    }
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
               _ ("The USB device at bus %u address %u is not there"), bus, address);
  return NULL;
}
