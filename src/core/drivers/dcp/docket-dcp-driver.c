/* docket-dcp-driver.c — the Docket Camera Protocol over libusb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threads: public methods run on the caller's (worker) thread and hold
 * io_lock for a whole protocol exchange. Transfers are asynchronous; their
 * callbacks run on the DocketUsbContext event thread and only flip a flag
 * under xfer_lock and signal xfer_cond. close() may come from any thread: it
 * cancels whatever is in flight, then waits for the current exchange.
 */
#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-dcp-driver-private.h"
#include "docket-dcp-messages.h"
#include "docket-dcp-protocol.h"
#include "docket-error.h"

static void docket_dcp_driver_iface_init (DocketCameraDriverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DocketDcpDriver,
                               docket_dcp_driver,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DOCKET_TYPE_CAMERA_DRIVER,
                                                      docket_dcp_driver_iface_init))

static gboolean
control_in_message (DocketDcpDriver *self,
                    guint8 request,
                    guint8 *buf,
                    gsize *out_len,
                    const gchar *what,
                    GCancellable *cancellable,
                    GError **error)
{
  return _docket_dcp_driver_control (self, TRUE, request, 0, buf, DCP_MAX_CONTROL_MESSAGE, out_len,
                                     what, cancellable, error);
}

static const gchar *
dcp_get_name (DocketCameraDriver *driver)
{
  return "dcp";
}

static gboolean
dcp_identify (DocketCameraDriver *driver,
              DocketCameraIdentity *out_identity,
              GCancellable *cancellable,
              GError **error)
{
  DocketDcpDriver *self = DOCKET_DCP_DRIVER (driver);
  guint8 buf[DCP_MAX_CONTROL_MESSAGE];
  gsize len = 0;
  const gchar *what = _ ("identify");

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->io_lock);

  if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
    return FALSE;
  if (!control_in_message (self, DCP_REQ_IDENTIFY, buf, &len, what, cancellable, error))
    return FALSE;
  if (!docket_dcp_parse_identify (buf, len, out_identity, error))
    return _docket_dcp_driver_malformed (self, what, error);
  g_free (self->label);
  self->label = g_strdup (out_identity->serial);
  self->capabilities = 0;
  if (out_identity->capabilities & DCP_CAP_CHARGE_CONTROL)
    self->capabilities |= DOCKET_CAMERA_CAP_CHARGE_CONTROL;
  if (out_identity->capabilities & DCP_CAP_FIRMWARE_UPDATE)
    self->capabilities |= DOCKET_CAMERA_CAP_FIRMWARE_UPDATE;
  return TRUE;
}

static gboolean
dcp_get_status (DocketCameraDriver *driver,
                DocketCameraStatus *out_status,
                GCancellable *cancellable,
                GError **error)
{
  DocketDcpDriver *self = DOCKET_DCP_DRIVER (driver);
  guint8 buf[DCP_MAX_CONTROL_MESSAGE];
  gsize len = 0;
  const gchar *what = _ ("status");

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->io_lock);

  if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
    return FALSE;
  if (!control_in_message (self, DCP_REQ_GET_STATUS, buf, &len, what, cancellable, error))
    return FALSE;
  if (!docket_dcp_parse_status (buf, len, out_status, error))
    return _docket_dcp_driver_malformed (self, what, error);
  return TRUE;
}

static gboolean
dcp_set_clock (DocketCameraDriver *driver,
               gint64 utc_usec,
               GCancellable *cancellable,
               GError **error)
{
  DocketDcpDriver *self = DOCKET_DCP_DRIVER (driver);
  DcpSetClock sc = { .utc_usec = GINT64_TO_LE (utc_usec) };
  const gchar *what = _ ("setting the clock");

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->io_lock);

  if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
    return FALSE;
  return _docket_dcp_driver_command (self, DCP_REQ_SET_CLOCK, &sc, sizeof sc, what, NULL,
                                     cancellable, error);
}

static GVariant *
dcp_get_config (DocketCameraDriver *driver, GCancellable *cancellable, GError **error)
{
  DocketDcpDriver *self = DOCKET_DCP_DRIVER (driver);
  guint8 buf[DCP_MAX_CONTROL_MESSAGE];
  gsize len = 0;
  GVariant *config;
  const gchar *what = _ ("reading settings");

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->io_lock);

  if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
    return NULL;
  if (!control_in_message (self, DCP_REQ_GET_CONFIG, buf, &len, what, cancellable, error))
    return NULL;
  config = docket_dcp_parse_config (buf, len, error);
  if (config == NULL)
    _docket_dcp_driver_malformed (self, what, error);
  return config;
}

static gboolean
dcp_set_config (DocketCameraDriver *driver,
                GVariant *config,
                GCancellable *cancellable,
                GError **error)
{
  DocketDcpDriver *self = DOCKET_DCP_DRIVER (driver);
  g_autoptr (GBytes) payload = NULL;
  const gchar *what = _ ("changing settings");

  payload = docket_dcp_build_config (config, error);
  if (payload == NULL)
    return FALSE;
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->io_lock);

    if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
      return FALSE;
    return _docket_dcp_driver_command (self, DCP_REQ_SET_CONFIG, g_bytes_get_data (payload, NULL),
                                       g_bytes_get_size (payload), what, NULL, cancellable, error);
  }
}

static GPtrArray *
dcp_list_recordings (DocketCameraDriver *driver, GCancellable *cancellable, GError **error)
{
  DocketDcpDriver *self = DOCKET_DCP_DRIVER (driver);
  g_autofree guint8 *buf = NULL;
  guint64 length = 0;
  GPtrArray *list;
  const gchar *what = _ ("listing recordings");

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->io_lock);

  if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
    return NULL;
  if (!_docket_dcp_driver_command (self, DCP_REQ_LIST_RECORDINGS, NULL, 0, what, &length,
                                   cancellable, error))
    return NULL;
  if (length < sizeof (DcpListHeader) || length > DCP_MAX_LIST_BYTES)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                   _ ("The camera %s announced a recording list of %" PRIu64
                      " bytes, outside the protocol's limits"),
                   self->label, length);
      return NULL;
    }
  buf = g_malloc (length);
  if (!_docket_dcp_driver_bulk_read (self, buf, length, what, cancellable, error))
    return NULL;
  list = docket_dcp_parse_list (buf, length, error);
  if (list == NULL)
    _docket_dcp_driver_malformed (self, what, error);
  return list;
}

static gssize
dcp_read_recording (DocketCameraDriver *driver,
                    guint32 id,
                    guint64 offset,
                    guint8 *buffer,
                    gsize len,
                    GCancellable *cancellable,
                    GError **error)
{
  DocketDcpDriver *self = DOCKET_DCP_DRIVER (driver);
  g_autofree gchar *what = g_strdup_printf (_ ("reading recording %u"), id);
  gsize want;

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->io_lock);

  if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
    return -1;
  if (len == 0)
    return 0;

  /* Sequential reads continue one READ window instead of asking again for
   * each buffer: one command per 64 MiB, not per read. Its bulk transfers
   * run ahead of the caller (adaptively, up to 8 MiB), so the USB link
   * keeps busy while the caller hashes and writes. */
  if (!self->window_valid || self->window_id != id || self->window_offset != offset)
    {
      DcpReadRequest rr = { .id = GUINT32_TO_LE (id),
                            .max_length = GUINT32_TO_LE (DCP_MAX_READ_LENGTH),
                            .offset = GUINT64_TO_LE (offset) };
      guint64 length = 0;

      if (!_docket_dcp_driver_command (self, DCP_REQ_READ_RECORDING, &rr, sizeof rr, what, &length,
                                       cancellable, error))
        return -1;
      if (length > DCP_MAX_READ_LENGTH)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                       _ ("The camera %s offered more data than asked for during %s"), self->label,
                       what);
          return -1;
        }
      self->window_valid = TRUE;
      self->window_id = id;
      self->window_offset = offset;
      self->window_remaining = length;
      _docket_dcp_driver_stream_begin (self, length);
    }
  if (self->window_remaining == 0)
    {
      self->window_valid = FALSE;
      return 0;
    }
  want = MIN (len, self->window_remaining);
  if (!_docket_dcp_driver_stream_read (self, buffer, want, what, cancellable, error))
    {
      self->window_valid = FALSE;
      return -1;
    }
  self->window_offset += want;
  self->window_remaining -= want;
  return (gssize)want;
}

static gboolean
dcp_delete_recording (DocketCameraDriver *driver,
                      guint32 id,
                      GCancellable *cancellable,
                      GError **error)
{
  DocketDcpDriver *self = DOCKET_DCP_DRIVER (driver);
  DcpRecordingRef ref = { .id = GUINT32_TO_LE (id) };
  g_autofree gchar *what = g_strdup_printf (_ ("deleting recording %u"), id);

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->io_lock);

  if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
    return FALSE;
  return _docket_dcp_driver_command (self, DCP_REQ_DELETE_RECORDING, &ref, sizeof ref, what, NULL,
                                     cancellable, error);
}

static gboolean
dcp_set_indicator (DocketCameraDriver *driver,
                   DocketIndicator state,
                   GCancellable *cancellable,
                   GError **error)
{
  DocketDcpDriver *self = DOCKET_DCP_DRIVER (driver);
  DcpSetIndicator si = { 0 };
  const gchar *what = _ ("setting the dock light");

  switch (state)
    {
      case DOCKET_INDICATOR_IDLE:
        si.state = DCP_INDICATOR_IDLE;
        break;
      case DOCKET_INDICATOR_OFFLOADING:
        si.state = DCP_INDICATOR_OFFLOADING;
        break;
      case DOCKET_INDICATOR_DONE:
        si.state = DCP_INDICATOR_DONE;
        break;
      case DOCKET_INDICATOR_ERROR:
        si.state = DCP_INDICATOR_ERROR;
        break;
      case DOCKET_INDICATOR_OFF:
      default:
        si.state = DCP_INDICATOR_OFF;
        break;
    }
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->io_lock);

    if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
      return FALSE;
    return _docket_dcp_driver_command (self, DCP_REQ_SET_INDICATOR, &si, sizeof si, what, NULL,
                                       cancellable, error);
  }
}

gboolean
docket_dcp_driver_set_charge (DocketDcpDriver *self,
                              DocketChargeMode mode,
                              guint level_percent,
                              GCancellable *cancellable,
                              GError **error)
{
  DcpSetCharge sc = { 0 };
  const gchar *what = _ ("setting how the camera charges");
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DOCKET_IS_DCP_DRIVER (self), FALSE);

  switch (mode)
    {
      case DOCKET_CHARGE_MODE_HOLD:
        sc.mode = DCP_CHARGE_HOLD;
        sc.level_percent = (guint8)CLAMP (level_percent, 1, 100);
        break;
      case DOCKET_CHARGE_MODE_STOP:
        sc.mode = DCP_CHARGE_STOP;
        break;
      case DOCKET_CHARGE_MODE_NORMAL:
      default:
        sc.mode = DCP_CHARGE_NORMAL;
        break;
    }
  locker = g_mutex_locker_new (&self->io_lock);
  if (!_docket_dcp_driver_check_usable (self, what, cancellable, error))
    return FALSE;
  return _docket_dcp_driver_command (self, DCP_REQ_SET_CHARGE, &sc, sizeof sc, what, NULL,
                                     cancellable, error);
}

static void
dcp_close (DocketCameraDriver *driver)
{
  DocketDcpDriver *self = DOCKET_DCP_DRIVER (driver);

  g_mutex_lock (&self->xfer_lock);
  self->closed = TRUE;
  _docket_dcp_driver_cancel_inflight_locked (self);
  g_mutex_unlock (&self->xfer_lock);

  /* Waits for the exchange in progress, which the cancel above cut short. */
  g_mutex_lock (&self->io_lock);
  _docket_dcp_driver_stream_abort (self);
  if (self->handle != NULL)
    {
      libusb_release_interface (self->handle, self->interface);
      libusb_close (self->handle);
      self->handle = NULL;
    }
  g_mutex_unlock (&self->io_lock);
}

/* Adapters from the interface to the DCP-typed public API. */

static gboolean
dcp_open (DocketCameraDriver *driver, GCancellable *cancellable, GError **error)
{
  return docket_dcp_driver_open (DOCKET_DCP_DRIVER (driver), cancellable, error);
}

static DocketCameraCapabilities
dcp_get_capabilities (DocketCameraDriver *driver)
{
  DocketDcpDriver *self = DOCKET_DCP_DRIVER (driver);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->io_lock);

  return self->capabilities;
}

static gboolean
dcp_set_charge (DocketCameraDriver *driver,
                DocketChargeMode mode,
                guint level_percent,
                GCancellable *cancellable,
                GError **error)
{
  return docket_dcp_driver_set_charge (DOCKET_DCP_DRIVER (driver), mode, level_percent, cancellable,
                                       error);
}

static gboolean
dcp_firmware_begin (DocketCameraDriver *driver,
                    guint64 image_size,
                    const guint8 sha256[DOCKET_SHA256_LEN],
                    const gchar *version,
                    GCancellable *cancellable,
                    GError **error)
{
  return docket_dcp_driver_firmware_begin (DOCKET_DCP_DRIVER (driver), image_size, sha256, version,
                                           cancellable, error);
}

/* The protocol carries at most DCP_FW_MAX_CHUNK bytes a request. */
static gboolean
dcp_firmware_write (DocketCameraDriver *driver,
                    guint64 offset,
                    const guint8 *data,
                    gsize len,
                    GCancellable *cancellable,
                    GError **error)
{
  for (gsize done = 0; done < len; done += DCP_FW_MAX_CHUNK)
    {
      if (!docket_dcp_driver_firmware_write (DOCKET_DCP_DRIVER (driver), offset + done, data + done,
                                             MIN (DCP_FW_MAX_CHUNK, len - done), cancellable,
                                             error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
dcp_firmware_commit (DocketCameraDriver *driver, GCancellable *cancellable, GError **error)
{
  return docket_dcp_driver_firmware_commit (DOCKET_DCP_DRIVER (driver), cancellable, error);
}

static gboolean
dcp_firmware_abort (DocketCameraDriver *driver, GCancellable *cancellable, GError **error)
{
  return docket_dcp_driver_firmware_abort (DOCKET_DCP_DRIVER (driver), cancellable, error);
}

static void
docket_dcp_driver_iface_init (DocketCameraDriverInterface *iface)
{
  iface->get_name = dcp_get_name;
  iface->identify = dcp_identify;
  iface->get_status = dcp_get_status;
  iface->set_clock = dcp_set_clock;
  iface->get_config = dcp_get_config;
  iface->set_config = dcp_set_config;
  iface->list_recordings = dcp_list_recordings;
  iface->read_recording = dcp_read_recording;
  iface->delete_recording = dcp_delete_recording;
  iface->set_indicator = dcp_set_indicator;
  iface->close = dcp_close;
  iface->open = dcp_open;
  iface->get_capabilities = dcp_get_capabilities;
  iface->set_charge = dcp_set_charge;
  iface->firmware_begin = dcp_firmware_begin;
  iface->firmware_write = dcp_firmware_write;
  iface->firmware_commit = dcp_firmware_commit;
  iface->firmware_abort = dcp_firmware_abort;
}

/* ---- object ------------------------------------------------------------ */

static void
docket_dcp_driver_dispose (GObject *object)
{
  DocketDcpDriver *self = DOCKET_DCP_DRIVER (object);

  if (self->context != NULL)
    dcp_close (DOCKET_CAMERA_DRIVER (self));
  g_clear_object (&self->context);
  G_OBJECT_CLASS (docket_dcp_driver_parent_class)->dispose (object);
}

static void
docket_dcp_driver_finalize (GObject *object)
{
  DocketDcpDriver *self = DOCKET_DCP_DRIVER (object);

  g_free (self->label);
  g_ptr_array_unref (self->inflight);
  g_mutex_clear (&self->io_lock);
  g_mutex_clear (&self->xfer_lock);
  g_cond_clear (&self->xfer_cond);
  G_OBJECT_CLASS (docket_dcp_driver_parent_class)->finalize (object);
}

static void
docket_dcp_driver_class_init (DocketDcpDriverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_dcp_driver_dispose;
  object_class->finalize = docket_dcp_driver_finalize;
}

static void
docket_dcp_driver_init (DocketDcpDriver *self)
{
  const gchar *env = g_getenv ("DOCKET_DCP_TIMEOUT_MS");

  g_mutex_init (&self->io_lock);
  g_mutex_init (&self->xfer_lock);
  g_cond_init (&self->xfer_cond);
  self->inflight = g_ptr_array_new ();
  self->timeout_ms = DOCKET_DCP_DRIVER_DEFAULT_TIMEOUT_MS;
  self->read_ahead = 0;
  self->auto_depth = DOCKET_DCP_READ_AHEAD_START;
  if (env != NULL && g_ascii_strtoull (env, NULL, 10) > 0)
    self->timeout_ms = (guint)g_ascii_strtoull (env, NULL, 10);
}

DocketDcpDriver *
docket_dcp_driver_new (DocketUsbContext *context, guint8 bus, guint8 address, const gchar *label)
{
  DocketDcpDriver *self;

  g_return_val_if_fail (DOCKET_IS_USB_CONTEXT (context), NULL);

  self = g_object_new (DOCKET_TYPE_DCP_DRIVER, NULL);
  self->context = g_object_ref (context);
  self->bus = bus;
  self->address = address;
  self->label = label != NULL ? g_strdup (label) : g_strdup_printf ("at USB %u-%u", bus, address);
  return self;
}

void
docket_dcp_driver_set_timeout (DocketDcpDriver *self, guint timeout_ms)
{
  g_return_if_fail (DOCKET_IS_DCP_DRIVER (self));
  g_mutex_lock (&self->io_lock);
  self->timeout_ms = MAX (timeout_ms, 1);
  g_mutex_unlock (&self->io_lock);
}

void
docket_dcp_driver_set_read_ahead (DocketDcpDriver *self, guint transfers)
{
  g_return_if_fail (DOCKET_IS_DCP_DRIVER (self));
  g_mutex_lock (&self->io_lock);
  /* Takes effect from the next READ window. */
  self->read_ahead = MIN (transfers, DOCKET_DCP_STREAM_SLOTS);
  g_mutex_unlock (&self->io_lock);
}

guint
docket_dcp_driver_get_read_ahead_depth (DocketDcpDriver *self)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DOCKET_IS_DCP_DRIVER (self), 0);
  locker = g_mutex_locker_new (&self->io_lock);
  return self->read_ahead > 0 ? self->read_ahead : self->auto_depth;
}

/* Finds the vendor interface that speaks DCP. */
static gboolean
find_dcp_interface (libusb_device *dev, guint8 *out_interface)
{
  struct libusb_config_descriptor *config = NULL;
  gboolean found = FALSE;

  if (libusb_get_active_config_descriptor (dev, &config) < 0
      && libusb_get_config_descriptor (dev, 0, &config) < 0)
    return FALSE;
  for (guint i = 0; i < config->bNumInterfaces && !found; i++)
    {
      for (int a = 0; a < config->interface[i].num_altsetting && !found; a++)
        {
          const struct libusb_interface_descriptor *alt = &config->interface[i].altsetting[a];

          if (alt->bInterfaceClass == DCP_INTERFACE_CLASS
              && alt->bInterfaceSubClass == DCP_INTERFACE_SUBCLASS
              && alt->bInterfaceProtocol == DCP_INTERFACE_PROTOCOL)
            {
              *out_interface = alt->bInterfaceNumber;
              found = TRUE;
            }
        }
    }
  libusb_free_config_descriptor (config);
  return found;
}

gboolean
docket_dcp_driver_open (DocketDcpDriver *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  libusb_device *dev;
  libusb_device_handle *handle = NULL;
  guint8 interface = 0;
  int rc;

  g_return_val_if_fail (DOCKET_IS_DCP_DRIVER (self), FALSE);

  locker = g_mutex_locker_new (&self->io_lock);
  if (self->handle != NULL)
    return TRUE;
  if (_docket_dcp_driver_is_closed (self))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED,
                   _ ("The camera %s was closed before it could be opened"), self->label);
      return FALSE;
    }
  dev = docket_usb_context_find_device (self->context, self->bus, self->address,
                                        FIND_DEVICE_WAIT_MS, cancellable, error);
  if (dev == NULL)
    {
      g_prefix_error (error, _ ("Cannot open the camera %s: "), self->label);
      return FALSE;
    }
  if (!find_dcp_interface (dev, &interface))
    {
      libusb_unref_device (dev);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   _ ("The camera %s has no Docket Camera Protocol interface"), self->label);
      return FALSE;
    }
  rc = libusb_open (dev, &handle);
  libusb_unref_device (dev);
  if (rc < 0)
    {
      g_set_error (error, DOCKET_ERROR,
                   rc == LIBUSB_ERROR_NO_DEVICE ? DOCKET_ERROR_DISCONNECTED : DOCKET_ERROR_FAILED,
                   _ ("Cannot open the camera %s: %s"), self->label, libusb_strerror (rc));
      return FALSE;
    }
  rc = libusb_claim_interface (handle, interface);
  if (rc < 0)
    {
      libusb_close (handle);
      g_set_error (error, DOCKET_ERROR,
                   rc == LIBUSB_ERROR_NO_DEVICE ? DOCKET_ERROR_DISCONNECTED : DOCKET_ERROR_FAILED,
                   _ ("Cannot claim the camera %s (is another program using it?): %s"), self->label,
                   libusb_strerror (rc));
      return FALSE;
    }
  self->handle = handle;
  self->interface = interface;
  return TRUE;
}
