/* docket-dcp-driver-private.h — between the DCP driver and its transfer layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "docket-dcp-driver.h"

G_BEGIN_DECLS

#define FIND_DEVICE_WAIT_MS 3000
#define DOCKET_DCP_STREAM_SLOTS 8
#define DOCKET_DCP_READ_AHEAD_START 2

typedef struct _DcpStreamSlot DcpStreamSlot;

struct _DocketDcpDriver
{
  GObject parent_instance;

  DocketUsbContext *context; /* owned */
  guint8 bus;
  guint8 address;
  guint timeout_ms;

  GMutex io_lock;
  libusb_device_handle *handle;          /* (mutex io_lock) */
  guint8 interface;                      /* (mutex io_lock) */
  gchar *label;                          /* (mutex io_lock) */
  DocketCameraCapabilities capabilities; /* (mutex io_lock) from the last identify */
  guint16 next_tag;                      /* (mutex io_lock) */
  /* A READ window the camera is still sending (mutex io_lock) */
  gboolean window_valid;
  guint32 window_id;
  guint64 window_offset;
  guint64 window_remaining;
  /* Read-ahead: bulk transfers of the window kept in flight between calls,
   * a ring of slots from stream_head (mutex io_lock) */
  DcpStreamSlot *stream_slots[DOCKET_DCP_STREAM_SLOTS];
  guint read_ahead;   /* the setting: 0 adaptive, else transfers in flight */
  guint stream_depth; /* transfers kept in flight now, 1..DOCKET_DCP_STREAM_SLOTS */
  guint stream_head;
  guint stream_pending;
  guint64 stream_requested;
  guint64 stream_length;
  gboolean stream_counted; /* in the process-wide count of streams */
  /* Adaptive read-ahead (mutex io_lock): the depth that paid off last, and
   * the measurement of this window's epochs */
  guint auto_depth;
  guint probe_phase; /* 0 measuring the base, 1 probing deeper, 2 settled */
  gdouble base_rate; /* bytes/s at auto_depth */
  gint64 epoch_start_us;
  guint64 epoch_bytes;

  GMutex xfer_lock;
  GCond xfer_cond;
  GPtrArray *inflight; /* (mutex xfer_lock) struct libusb_transfer*, unowned */
  gboolean closed;     /* (mutex xfer_lock) */
  gboolean gone;       /* (mutex xfer_lock) the device was unplugged */
};

/* docket-dcp-driver-transfer.c: asynchronous transfers, waited for on the
 * calling thread. Callers hold io_lock. */
void _docket_dcp_driver_cancel_inflight_locked (DocketDcpDriver *self);
gboolean _docket_dcp_driver_is_closed (DocketDcpDriver *self);
gboolean _docket_dcp_driver_check_usable (DocketDcpDriver *self,
                                          const gchar *what,
                                          GCancellable *cancellable,
                                          GError **error);
gboolean _docket_dcp_driver_control (DocketDcpDriver *self,
                                     gboolean in,
                                     guint8 request,
                                     guint16 value,
                                     guint8 *data,
                                     gsize len,
                                     gsize *out_actual,
                                     const gchar *what,
                                     GCancellable *cancellable,
                                     GError **error);
gboolean _docket_dcp_driver_bulk_read (DocketDcpDriver *self,
                                       guint8 *buffer,
                                       gsize len,
                                       const gchar *what,
                                       GCancellable *cancellable,
                                       GError **error);

/* docket-dcp-driver-exchange.c: an OUT command and its GET_RESULT (caller holds
 * io_lock); a parse error prefixed with the camera and @what. */
gboolean _docket_dcp_driver_command (DocketDcpDriver *self,
                                     guint8 request,
                                     const void *data,
                                     gsize len,
                                     const gchar *what,
                                     guint64 *out_length,
                                     GCancellable *cancellable,
                                     GError **error);
gboolean _docket_dcp_driver_malformed (DocketDcpDriver *self, const gchar *what, GError **error);

/* The READ window's bulk stream, read ahead. begin() starts @length bytes
 * coming; read() hands over exactly @len of them (at most what is left);
 * abort() cancels and waits for whatever is in flight. */
void _docket_dcp_driver_stream_begin (DocketDcpDriver *self, guint64 length);
gboolean _docket_dcp_driver_stream_read (DocketDcpDriver *self,
                                         guint8 *buffer,
                                         gsize len,
                                         const gchar *what,
                                         GCancellable *cancellable,
                                         GError **error);
void _docket_dcp_driver_stream_abort (DocketDcpDriver *self);

G_END_DECLS
