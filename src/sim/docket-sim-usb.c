/* docket-sim-usb.c — usbfs, as the kernel would speak it, for one simulated camera
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * umockdev forwards the ioctls libusb issues on /dev/bus/usb/BBB/DDD to
 * handle_ioctl_cb(), on umockdev's own thread. URBs queue on submit and are
 * answered at reap time, so IN data is produced when the host collects it
 * (see ../shared/notes/usb-simulation.md).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>

#include "docket-sim-private.h"

#ifndef USBDEVFS_CAP_REAP_AFTER_DISCONNECT
#define USBDEVFS_CAP_REAP_AFTER_DISCONNECT 0x10
#endif

typedef struct
{
  UMockdevIoctlData *urb_data; /* owned */
  UMockdevIoctlClient *client; /* owned */
  gint64 submitted_us;         /* monotonic, for the link model */
} PendingUrb;

struct _DocketSimUsb
{
  DocketSimCamera *camera;    /* owned */
  UMockdevIoctlBase *handler; /* owned */
  DocketSimUnplugFunc unplug_func;
  gpointer unplug_data;

  GMutex lock;
  gboolean connected;       /* (mutex lock) */
  GQueue pending;           /* (mutex lock) PendingUrb */
  GQueue discarded;         /* (mutex lock) PendingUrb */
  GHashTable *live_clients; /* (mutex lock) clients opened while docked */
  GHashTable *dead_clients; /* (mutex lock) clients from before an unplug */
};

static void
pending_urb_free (PendingUrb *p)
{
  g_object_unref (p->urb_data);
  g_object_unref (p->client);
  g_free (p);
}

static void
reap_into (UMockdevIoctlClient *client, UMockdevIoctlData *urb_data)
{
  g_autoptr (UMockdevIoctlData) ptr = NULL;
  UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg (client);

  ptr = umockdev_ioctl_data_resolve (arg, 0, sizeof (gpointer), NULL);
  umockdev_ioctl_data_set_ptr (ptr, 0, urb_data);
  umockdev_ioctl_client_complete (client, 0, 0);
}

/* Takes the first queued URB of @client out of @queue. */
static PendingUrb *
take_for_client (GQueue *queue, UMockdevIoctlClient *client)
{
  for (GList *l = queue->head; l != NULL; l = l->next)
    {
      PendingUrb *p = l->data;

      if (p->client == client)
        {
          g_queue_delete_link (queue, l);
          return p;
        }
    }
  return NULL;
}

/* Called with the lock held. Returns TRUE if @p completed. */
static gboolean
try_complete (DocketSimUsb *self, PendingUrb *p, DocketSimEvent *out_event)
{
  struct usbdevfs_urb *urb = (struct usbdevfs_urb *)p->urb_data->data;
  guint8 *buf = urb->buffer;

  if (urb->type == USBDEVFS_URB_TYPE_CONTROL)
    {
      gint rc;

      if (urb->buffer_length < 8)
        {
          urb->status = -EPIPE;
          urb->actual_length = 0;
          return TRUE;
        }
      rc = docket_sim_camera_handle_control (self->camera, buf, buf + 8, out_event);
      if (rc == -EAGAIN)
        return FALSE;
      urb->status = rc < 0 ? rc : 0;
      if (rc < 0)
        urb->actual_length = 0;
      else if (buf[0] & 0x80)
        urb->actual_length = rc;
      else
        urb->actual_length = urb->buffer_length - 8;
      return TRUE;
    }
  if (urb->type == USBDEVFS_URB_TYPE_BULK && (urb->endpoint & 0x80))
    {
      gboolean unplug = FALSE;
      gssize n = docket_sim_camera_handle_bulk_in (self->camera, buf, urb->buffer_length,
                                                   p->submitted_us, &unplug);

      if (n == -EAGAIN)
        return FALSE;
      if (unplug)
        *out_event = DOCKET_SIM_EVENT_UNPLUG;
      urb->status = n < 0 ? (gint)n : (unplug ? -ESHUTDOWN : 0);
      urb->actual_length = n < 0 ? 0 : (gint)n;
      return TRUE;
    }
  /* Bulk OUT stays reserved: DCP 1.2 sends firmware in control requests. */
  urb->status = -EPIPE;
  urb->actual_length = 0;
  return TRUE;
}

static void
unplug_locked (DocketSimUsb *self)
{
  GHashTableIter iter;
  gpointer client;

  self->connected = FALSE;
  g_hash_table_iter_init (&iter, self->live_clients);
  while (g_hash_table_iter_next (&iter, &client, NULL))
    g_hash_table_add (self->dead_clients, g_object_ref (client));
  g_hash_table_remove_all (self->live_clients);
}

static gboolean
handle_reap (DocketSimUsb *self, UMockdevIoctlClient *client)
{
  PendingUrb *p;
  DocketSimEvent event = DOCKET_SIM_EVENT_NONE;
  gboolean gone;

  g_mutex_lock (&self->lock);
  gone = !self->connected || g_hash_table_contains (self->dead_clients, client);

  p = take_for_client (&self->discarded, client);
  if (p != NULL)
    {
      ((struct usbdevfs_urb *)p->urb_data->data)->status = -ENOENT;
    }
  else if (gone)
    {
      /* After an unplug, in-flight URBs come back as shut down. */
      p = take_for_client (&self->pending, client);
      if (p != NULL)
        ((struct usbdevfs_urb *)p->urb_data->data)->status = -ESHUTDOWN;
    }
  else
    {
      gboolean bulk_waits = FALSE;

      for (GList *l = self->pending.head; l != NULL; l = l->next)
        {
          PendingUrb *candidate = l->data;
          struct usbdevfs_urb *urb = (struct usbdevfs_urb *)candidate->urb_data->data;
          gboolean bulk_in = urb->type == USBDEVFS_URB_TYPE_BULK && (urb->endpoint & 0x80) != 0;

          if (candidate->client != client)
            continue;
          /* Bulk IN data is produced at reap time: a later URB must not
           * overtake one still waiting, or the stream would be reordered. */
          if (bulk_in && bulk_waits)
            continue;
          if (try_complete (self, candidate, &event))
            {
              p = candidate;
              g_queue_delete_link (&self->pending, l);
              break;
            }
          bulk_waits = bulk_waits || bulk_in;
        }
      /* Unplug or restart: electrically gone before anything else is asked. */
      if (event != DOCKET_SIM_EVENT_NONE)
        unplug_locked (self);
    }
  g_mutex_unlock (&self->lock);

  if (p == NULL)
    {
      umockdev_ioctl_client_complete (client, -1, gone ? ENODEV : EAGAIN);
      return TRUE;
    }
  reap_into (client, p->urb_data);
  pending_urb_free (p);
  if (event != DOCKET_SIM_EVENT_NONE && self->unplug_func != NULL)
    self->unplug_func (event, self->unplug_data);
  return TRUE;
}

static gboolean
handle_submit (DocketSimUsb *self, UMockdevIoctlClient *client)
{
  UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg (client);
  g_autoptr (UMockdevIoctlData) urb_data = NULL;
  g_autoptr (UMockdevIoctlData) buffer = NULL;
  struct usbdevfs_urb *urb;
  PendingUrb *p;

  urb_data = umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_urb), NULL);
  if (urb_data == NULL)
    {
      umockdev_ioctl_client_complete (client, -1, EFAULT);
      return TRUE;
    }
  urb = (struct usbdevfs_urb *)urb_data->data;
  if (urb->buffer_length > 0)
    {
      buffer = umockdev_ioctl_data_resolve (urb_data, G_STRUCT_OFFSET (struct usbdevfs_urb, buffer),
                                            urb->buffer_length, NULL);
      if (buffer == NULL)
        {
          umockdev_ioctl_client_complete (client, -1, EFAULT);
          return TRUE;
        }
    }

  g_mutex_lock (&self->lock);
  if (!self->connected || g_hash_table_contains (self->dead_clients, client))
    {
      g_mutex_unlock (&self->lock);
      umockdev_ioctl_client_complete (client, -1, ENODEV);
      return TRUE;
    }
  if (!g_hash_table_contains (self->live_clients, client))
    g_hash_table_add (self->live_clients, g_object_ref (client));
  p = g_new0 (PendingUrb, 1);
  p->urb_data = g_steal_pointer (&urb_data);
  p->client = g_object_ref (client);
  p->submitted_us = g_get_monotonic_time ();
  g_queue_push_tail (&self->pending, p);
  g_mutex_unlock (&self->lock);
  umockdev_ioctl_client_complete (client, 0, 0);
  return TRUE;
}

static gboolean
handle_discard (DocketSimUsb *self, UMockdevIoctlClient *client)
{
  UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg (client);
  gulong addr = (gulong) * (gpointer *)arg->data;
  gboolean found = FALSE;

  g_mutex_lock (&self->lock);
  for (GList *l = self->pending.head; l != NULL; l = l->next)
    {
      PendingUrb *p = l->data;

      if (p->client == client && p->urb_data->client_addr == addr)
        {
          g_queue_delete_link (&self->pending, l);
          g_queue_push_tail (&self->discarded, p);
          found = TRUE;
          break;
        }
    }
  g_mutex_unlock (&self->lock);
  umockdev_ioctl_client_complete (client, found ? 0 : -1, found ? 0 : EINVAL);
  return TRUE;
}

static gboolean
client_gone (DocketSimUsb *self, UMockdevIoctlClient *client)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return !self->connected || g_hash_table_contains (self->dead_clients, client);
}

static gboolean
handle_ioctl_cb (UMockdevIoctlBase *handler, UMockdevIoctlClient *client, DocketSimUsb *self)
{
  gulong request = umockdev_ioctl_client_get_request (client);
  UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg (client);

  switch (request)
    {
      case USBDEVFS_SUBMITURB:
        return handle_submit (self, client);
      case USBDEVFS_REAPURB:
      case USBDEVFS_REAPURBNDELAY:
        return handle_reap (self, client);
      case USBDEVFS_DISCARDURB:
        return handle_discard (self, client);
      case USBDEVFS_GET_CAPABILITIES:
        {
          g_autoptr (UMockdevIoctlData) d
              = umockdev_ioctl_data_resolve (arg, 0, sizeof (guint32), NULL);
          guint32 caps = USBDEVFS_CAP_BULK_SCATTER_GATHER | USBDEVFS_CAP_BULK_CONTINUATION
                         | USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_REAP_AFTER_DISCONNECT
                         | USBDEVFS_CAP_ZERO_PACKET;

          memcpy (d->data, &caps, sizeof caps);
          umockdev_ioctl_client_complete (client, 0, 0);
          return TRUE;
        }
      case USBDEVFS_CLEAR_HALT:
        docket_sim_camera_clear_halt (self->camera);
        umockdev_ioctl_client_complete (client, 0, 0);
        return TRUE;
      case USBDEVFS_RELEASEINTERFACE:
        umockdev_ioctl_client_complete (client, 0, 0);
        return TRUE;
      case USBDEVFS_CLAIMINTERFACE:
      case USBDEVFS_SETINTERFACE:
      case USBDEVFS_SETCONFIGURATION:
      case USBDEVFS_RESET:
      case USBDEVFS_RESETEP:
      case USBDEVFS_DISCONNECT_CLAIM:
        if (client_gone (self, client))
          umockdev_ioctl_client_complete (client, -1, ENODEV);
        else
          umockdev_ioctl_client_complete (client, 0, 0);
        return TRUE;
      case USBDEVFS_GETDRIVER:
        /* No kernel driver is bound to the camera's interface. */
        umockdev_ioctl_client_complete (client, -1, ENODATA);
        return TRUE;
#ifdef USBDEVFS_GET_SPEED
      case USBDEVFS_GET_SPEED:
        umockdev_ioctl_client_complete (client, 3 /* USB_SPEED_HIGH */, 0);
        return TRUE;
#endif
      default:
        return FALSE;
    }
}

DocketSimUsb *
docket_sim_usb_new (DocketSimCamera *camera, DocketSimUnplugFunc unplug_func, gpointer user_data)
{
  DocketSimUsb *self = g_new0 (DocketSimUsb, 1);

  self->camera = g_object_ref (camera);
  self->unplug_func = unplug_func;
  self->unplug_data = user_data;
  g_mutex_init (&self->lock);
  g_queue_init (&self->pending);
  g_queue_init (&self->discarded);
  self->live_clients = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->dead_clients = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->handler = umockdev_ioctl_base_new ();
  g_signal_connect (self->handler, "handle-ioctl", G_CALLBACK (handle_ioctl_cb), self);
  return self;
}

void
docket_sim_usb_free (DocketSimUsb *self)
{
  if (self == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->handler, self);
  g_clear_object (&self->handler);
  g_queue_clear_full (&self->pending, (GDestroyNotify)pending_urb_free);
  g_queue_clear_full (&self->discarded, (GDestroyNotify)pending_urb_free);
  g_hash_table_unref (self->live_clients);
  g_hash_table_unref (self->dead_clients);
  g_mutex_clear (&self->lock);
  g_clear_object (&self->camera);
  g_free (self);
}

UMockdevIoctlBase *
docket_sim_usb_get_handler (DocketSimUsb *self)
{
  return self->handler;
}

void
docket_sim_usb_set_connected (DocketSimUsb *self, gboolean connected)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (connected)
    self->connected = TRUE;
  else
    unplug_locked (self);
}
