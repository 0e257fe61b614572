/* docket-dcp-driver-transfer.c — libusb transfers for the DCP driver
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Transfers are asynchronous; their callbacks run on the DocketUsbContext
 * event thread and only flip a flag under xfer_lock and signal xfer_cond,
 * while the calling thread waits. Cancelling (GCancellable, close()) cancels
 * whatever is in flight.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-dcp-driver-private.h"
#include "docket-dcp-protocol.h"
#include "docket-error.h"

/* Large bulk transfers, several in flight (usb-simulation.md): 1 MiB
 * transfers measured ~3x faster than 256 KiB ones through the emulation. */
#define BULK_CHUNK (1024 * 1024)
#define BULK_IN_FLIGHT 4

typedef struct
{
  DocketDcpDriver *self;
  struct libusb_transfer *transfer;
  gboolean done;           /* (mutex self->xfer_lock) */
  gboolean submitting;     /* (mutex self->xfer_lock) in libusb_submit_transfer() */
  gboolean cancel_pending; /* (mutex self->xfer_lock) cancelled while submitting */
} Xfer;

/* ---- transfers ------------------------------------------------------- */

/* libusb event thread */
static void LIBUSB_CALL
transfer_cb (struct libusb_transfer *transfer)
{
  Xfer *x = transfer->user_data;
  DocketDcpDriver *self = x->self;

  g_mutex_lock (&self->xfer_lock);
  x->done = TRUE;
  g_ptr_array_remove_fast (self->inflight, transfer);
  if (transfer->status == LIBUSB_TRANSFER_NO_DEVICE)
    self->gone = TRUE;
  g_cond_broadcast (&self->xfer_cond);
  g_mutex_unlock (&self->xfer_lock);
}

/* A transfer being submitted is in @inflight but not yet known to libusb:
 * cancelling it then would be lost, so it is cancelled once the submit
 * returns (xfer_submit()). */
static void
cancel_xfer_locked (struct libusb_transfer *transfer)
{
  Xfer *x = transfer->user_data;

  if (x->submitting)
    x->cancel_pending = TRUE;
  else
    libusb_cancel_transfer (transfer);
}

void
_docket_dcp_driver_cancel_inflight_locked (DocketDcpDriver *self)
{
  for (guint i = 0; i < self->inflight->len; i++)
    cancel_xfer_locked (g_ptr_array_index (self->inflight, i));
}

static Xfer *
xfer_new (DocketDcpDriver *self)
{
  Xfer *x = g_new0 (Xfer, 1);

  x->self = self;
  x->transfer = libusb_alloc_transfer (0);
  return x;
}

static void
xfer_free (Xfer *x)
{
  libusb_free_transfer (x->transfer);
  g_free (x);
}

/* The transfers one operation may cancel: a cancelled status poll must not
 * cancel the read-ahead of an offload running beside it. */
typedef struct
{
  DocketDcpDriver *self;
  Xfer **xfers;
  guint n;
} CancelScope;

static void
cancel_scope_locked (CancelScope *scope)
{
  for (guint i = 0; i < scope->n; i++)
    {
      Xfer *x = scope->xfers[i];

      /* Only what is really in flight: libusb_cancel_transfer() on a
       * transfer never submitted dereferences its empty device handle. */
      if (x != NULL && !x->done && g_ptr_array_find (scope->self->inflight, x->transfer, NULL))
        cancel_xfer_locked (x->transfer);
    }
}

static void
cancel_scope (CancelScope *scope)
{
  g_mutex_lock (&scope->self->xfer_lock);
  cancel_scope_locked (scope);
  g_mutex_unlock (&scope->self->xfer_lock);
}

static void
scope_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  cancel_scope (user_data);
}

/* Submits without holding xfer_lock across libusb_submit_transfer(): the
 * submit is an ioctl (through umockdev, a round trip that copies the whole
 * buffer), and the event thread's completion callbacks for the transfers
 * already queued must not wait behind it. Holding the lock there serialised
 * the event thread behind every submit and made deeper read-ahead slower
 * than one transfer at a time. */
static int
xfer_submit (DocketDcpDriver *self, Xfer *x)
{
  int rc = 0;

  g_mutex_lock (&self->xfer_lock);
  x->done = FALSE;
  x->cancel_pending = FALSE;
  x->transfer->user_data = x;
  x->transfer->callback = transfer_cb;
  if (self->closed)
    rc = LIBUSB_ERROR_INTERRUPTED;
  else if (self->gone)
    rc = LIBUSB_ERROR_NO_DEVICE;
  if (rc != 0)
    {
      x->done = TRUE;
      g_mutex_unlock (&self->xfer_lock);
      return rc;
    }
  x->submitting = TRUE;
  g_ptr_array_add (self->inflight, x->transfer);
  g_mutex_unlock (&self->xfer_lock);

  rc = libusb_submit_transfer (x->transfer);

  g_mutex_lock (&self->xfer_lock);
  x->submitting = FALSE;
  if (rc != 0)
    {
      g_ptr_array_remove_fast (self->inflight, x->transfer);
      x->done = TRUE;
    }
  else if (!x->done && (x->cancel_pending || self->closed))
    libusb_cancel_transfer (x->transfer);
  g_mutex_unlock (&self->xfer_lock);
  return rc;
}

static void
xfer_wait (DocketDcpDriver *self, Xfer *x)
{
  g_mutex_lock (&self->xfer_lock);
  while (!x->done)
    g_cond_wait (&self->xfer_cond, &self->xfer_lock);
  g_mutex_unlock (&self->xfer_lock);
}

static gboolean
is_gone (DocketDcpDriver *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->xfer_lock);

  return self->gone;
}

gboolean
_docket_dcp_driver_is_closed (DocketDcpDriver *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->xfer_lock);

  return self->closed;
}

static void
set_submit_error (DocketDcpDriver *self, int rc, const gchar *what, GError **error)
{
  if (rc == LIBUSB_ERROR_NO_DEVICE)
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED,
                 _ ("The camera %s was undocked during %s"), self->label, what);
  else if (rc == LIBUSB_ERROR_INTERRUPTED)
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED,
                 _ ("The camera %s was closed during %s"), self->label, what);
  else
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                 _ ("USB error talking to the camera %s during %s: %s"), self->label, what,
                 libusb_strerror (rc));
}

static void
set_status_error (DocketDcpDriver *self,
                  enum libusb_transfer_status status,
                  gboolean bulk,
                  const gchar *what,
                  GCancellable *cancellable,
                  GError **error)
{
  switch (status)
    {
      case LIBUSB_TRANSFER_NO_DEVICE:
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED,
                     _ ("The camera %s was undocked during %s"), self->label, what);
        break;
      case LIBUSB_TRANSFER_TIMED_OUT:
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT,
                     _ ("The camera %s stopped answering during %s"), self->label, what);
        break;
      case LIBUSB_TRANSFER_STALL:
        if (bulk)
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                       _ ("The camera %s stopped sending data (endpoint stalled) during %s"),
                       self->label, what);
        else
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                       _ ("The camera %s refused the request during %s"), self->label, what);
        break;
      case LIBUSB_TRANSFER_CANCELLED:
        if (g_cancellable_set_error_if_cancelled (cancellable, error))
          break;
        if (_docket_dcp_driver_is_closed (self))
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED,
                       _ ("The camera %s was closed during %s"), self->label, what);
        else
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT,
                       _ ("The camera %s stopped answering during %s"), self->label, what);
        break;
      case LIBUSB_TRANSFER_OVERFLOW:
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                     _ ("The camera %s sent more data than asked for during %s"), self->label,
                     what);
        break;
      case LIBUSB_TRANSFER_COMPLETED:
      case LIBUSB_TRANSFER_ERROR:
      default:
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                     _ ("USB error talking to the camera %s during %s"), self->label, what);
        break;
    }
}

gboolean
_docket_dcp_driver_check_usable (DocketDcpDriver *self,
                                 const gchar *what,
                                 GCancellable *cancellable,
                                 GError **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (_docket_dcp_driver_is_closed (self) || self->handle == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED,
                   _ ("The camera %s is not connected (%s)"), self->label, what);
      return FALSE;
    }
  if (is_gone (self))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED,
                   _ ("The camera %s is no longer docked (%s)"), self->label, what);
      return FALSE;
    }
  return TRUE;
}

/* One control transfer. IN: @data receives up to @len bytes, *out_actual
 * says how many came. OUT: @data holds @len bytes to send. */
gboolean
_docket_dcp_driver_control (DocketDcpDriver *self,
                            gboolean in,
                            guint8 request,
                            guint16 value,
                            guint8 *data,
                            gsize len,
                            gsize *out_actual,
                            const gchar *what,
                            GCancellable *cancellable,
                            GError **error)
{
  g_autofree guint8 *buf = g_malloc0 (LIBUSB_CONTROL_SETUP_SIZE + len);
  Xfer *x = xfer_new (self);
  CancelScope scope = { self, &x, 1 };
  gulong handler = 0;
  gboolean ok = TRUE;
  int rc;

  libusb_fill_control_setup (buf, in ? DCP_REQTYPE_IN : DCP_REQTYPE_OUT, request, value,
                             self->interface, (guint16)len);
  if (!in && len > 0)
    memcpy (buf + LIBUSB_CONTROL_SETUP_SIZE, data, len);
  libusb_fill_control_transfer (x->transfer, self->handle, buf, transfer_cb, x, self->timeout_ms);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (scope_cancelled_cb), &scope, NULL);
  rc = xfer_submit (self, x);
  if (rc != 0)
    {
      set_submit_error (self, rc, what, error);
      ok = FALSE;
    }
  else
    {
      xfer_wait (self, x);
      if (x->transfer->status != LIBUSB_TRANSFER_COMPLETED)
        {
          set_status_error (self, x->transfer->status, FALSE, what, cancellable, error);
          ok = FALSE;
        }
      else if (in)
        {
          *out_actual = x->transfer->actual_length;
          memcpy (data, buf + LIBUSB_CONTROL_SETUP_SIZE, *out_actual);
        }
    }
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);
  xfer_free (x);
  return ok;
}

/* Reads exactly @len bytes from bulk IN, in BULK_CHUNK transfers with up to
 * BULK_IN_FLIGHT queued. A short transfer means the camera sent less than it
 * promised: that is an error. */
gboolean
_docket_dcp_driver_bulk_read (DocketDcpDriver *self,
                              guint8 *buffer,
                              gsize len,
                              const gchar *what,
                              GCancellable *cancellable,
                              GError **error)
{
  Xfer *slots[BULK_IN_FLIGHT] = { NULL };
  CancelScope scope = { self, slots, BULK_IN_FLIGHT };
  gsize chunk = BULK_CHUNK;
  gsize n_chunks = (len + chunk - 1) / chunk;
  gsize submitted = 0, completed = 0, got = 0;
  enum libusb_transfer_status failure = LIBUSB_TRANSFER_COMPLETED;
  gboolean short_read = FALSE;
  int submit_rc = 0;
  gulong handler = 0;

  for (guint i = 0; i < BULK_IN_FLIGHT; i++)
    slots[i] = xfer_new (self);
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (scope_cancelled_cb), &scope, NULL);

  while (submitted < MIN (n_chunks, BULK_IN_FLIGHT) && submit_rc == 0)
    {
      Xfer *x = slots[submitted % BULK_IN_FLIGHT];
      gsize off = submitted * chunk;

      libusb_fill_bulk_transfer (x->transfer, self->handle, DCP_EP_BULK_IN, buffer + off,
                                 (int)MIN (chunk, len - off), transfer_cb, x, self->timeout_ms);
      submit_rc = xfer_submit (self, x);
      if (submit_rc == 0)
        submitted++;
    }

  while (completed < submitted)
    {
      Xfer *x = slots[completed % BULK_IN_FLIGHT];

      xfer_wait (self, x);
      completed++;
      if (failure != LIBUSB_TRANSFER_COMPLETED || short_read || submit_rc != 0)
        continue;
      if (x->transfer->status != LIBUSB_TRANSFER_COMPLETED)
        {
          failure = x->transfer->status;
          cancel_scope (&scope);
          continue;
        }
      got += x->transfer->actual_length;
      if (x->transfer->actual_length < x->transfer->length)
        {
          short_read = TRUE;
          cancel_scope (&scope);
          continue;
        }
      if (submitted < n_chunks)
        {
          gsize off = submitted * chunk;

          libusb_fill_bulk_transfer (x->transfer, self->handle, DCP_EP_BULK_IN, buffer + off,
                                     (int)MIN (chunk, len - off), transfer_cb, x, self->timeout_ms);
          submit_rc = xfer_submit (self, x);
          if (submit_rc == 0)
            submitted++;
        }
    }

  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);
  for (guint i = 0; i < BULK_IN_FLIGHT; i++)
    xfer_free (slots[i]);

  if (failure == LIBUSB_TRANSFER_STALL)
    {
      /* Leave the endpoint usable for the next command. */
      libusb_clear_halt (self->handle, DCP_EP_BULK_IN);
    }
  if (submit_rc != 0)
    {
      set_submit_error (self, submit_rc, what, error);
      return FALSE;
    }
  if (failure != LIBUSB_TRANSFER_COMPLETED)
    {
      set_status_error (self, failure, TRUE, what, cancellable, error);
      return FALSE;
    }
  if (short_read)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                   _ ("The camera %s sent %zu bytes instead of %zu during %s"), self->label, got,
                   len, what);
      return FALSE;
    }
  return TRUE;
}

/* ---- read-ahead of a READ window --------------------------------------- */

struct _DcpStreamSlot
{
  Xfer *xfer;
  guint8 *buf; /* BULK_CHUNK bytes */
  gsize len;   /* bytes asked for */
  gsize consumed;
  int submit_rc;
};

/* The read-ahead of every camera together is bounded: eight cameras
 * offloading at once share these 1 MiB buffers (two each at least) instead
 * of holding up to eight each. */
#define STREAM_BUDGET_SLOTS 16

static gint streams_active; /* (atomic) drivers with a READ window streaming */
static gint stream_budget;  /* (atomic) 0: STREAM_BUDGET_SLOTS */

void
docket_dcp_driver_set_read_ahead_budget (guint transfers)
{
  g_atomic_int_set (&stream_budget, (gint)MIN (transfers, (guint)G_MAXINT));
}

static guint
stream_depth_cap (void)
{
  guint n = (guint)MAX (1, g_atomic_int_get (&streams_active));
  guint budget = (guint)g_atomic_int_get (&stream_budget);

  if (budget == 0)
    budget = STREAM_BUDGET_SLOTS;
  return CLAMP (budget / n, DOCKET_DCP_READ_AHEAD_START, DOCKET_DCP_STREAM_SLOTS);
}

static void
stream_submit_next (DocketDcpDriver *self)
{
  guint index = (self->stream_head + self->stream_pending) % DOCKET_DCP_STREAM_SLOTS;
  DcpStreamSlot *slot = self->stream_slots[index];

  if (slot->buf == NULL)
    slot->buf = g_malloc (BULK_CHUNK);
  slot->len = MIN (BULK_CHUNK, self->stream_length - self->stream_requested);
  slot->consumed = 0;
  libusb_fill_bulk_transfer (slot->xfer->transfer, self->handle, DCP_EP_BULK_IN, slot->buf,
                             (int)slot->len, transfer_cb, slot->xfer, self->timeout_ms);
  /* A failed submit is reported when the caller reaches this slot. */
  slot->submit_rc = xfer_submit (self, slot->xfer);
  self->stream_requested += slot->len;
  self->stream_pending++;
}

static void
stream_fill (DocketDcpDriver *self)
{
  /* Cameras that started streaming since shrink this one's share. */
  if (self->read_ahead == 0)
    self->stream_depth = MIN (self->stream_depth, stream_depth_cap ());
  while (self->stream_pending < self->stream_depth && self->stream_requested < self->stream_length)
    stream_submit_next (self);
}

void
_docket_dcp_driver_stream_begin (DocketDcpDriver *self, guint64 length)
{
  _docket_dcp_driver_stream_abort (self);
  self->stream_length = length;
  /* Every slot's transfer exists from the start, so that a cancellable
   * connected in stream_read() reaches those the depth adds later; the
   * 1 MiB buffers come only when a slot is first used. */
  for (guint i = 0; i < DOCKET_DCP_STREAM_SLOTS; i++)
    {
      DcpStreamSlot *slot = self->stream_slots[i] = g_new0 (DcpStreamSlot, 1);

      slot->xfer = xfer_new (self);
      slot->xfer->done = TRUE;
    }
  self->stream_counted = TRUE;
  g_atomic_int_inc (&streams_active);
  self->stream_depth
      = self->read_ahead > 0 ? self->read_ahead : MIN (self->auto_depth, stream_depth_cap ());
  self->probe_phase = 0;
  self->epoch_start_us = 0;
  self->epoch_bytes = 0;
  stream_fill (self);
}

/* Adaptive read-ahead, after each transfer the caller used up: measure
 * EPOCH_BYTES at the depth that paid off last, then at twice that; keep
 * the deeper one while it is at least 5% faster. A link with latency
 * (a real dock) gains from depth, the emulation or a slow consumer does
 * not, and each extra transfer costs 1 MiB per camera. */
#define EPOCH_BYTES (8 * BULK_CHUNK)

static void
stream_adapt (DocketDcpDriver *self, gsize consumed)
{
  gint64 now = g_get_monotonic_time ();
  gdouble rate;

  if (self->read_ahead > 0 || self->probe_phase == 2)
    return;
  if (self->epoch_start_us == 0)
    {
      /* The first transfer carried the command's latency: start after it. */
      self->epoch_start_us = now;
      return;
    }
  self->epoch_bytes += consumed;
  if (self->epoch_bytes < EPOCH_BYTES || now <= self->epoch_start_us)
    return;
  rate = (gdouble)self->epoch_bytes * G_USEC_PER_SEC / (gdouble)(now - self->epoch_start_us);
  self->epoch_start_us = now;
  self->epoch_bytes = 0;
  if (self->probe_phase == 1 && rate >= self->base_rate * 1.05)
    self->auto_depth = self->stream_depth;
  else if (self->probe_phase == 1)
    {
      self->stream_depth = self->auto_depth;
      self->probe_phase = 2;
      return;
    }
  self->base_rate = rate;
  if (self->auto_depth >= stream_depth_cap ())
    {
      self->probe_phase = 2;
      return;
    }
  self->stream_depth = MIN (self->auto_depth * 2, stream_depth_cap ());
  self->probe_phase = 1;
}

static void
stream_scope (DocketDcpDriver *self, Xfer **xfers, CancelScope *scope)
{
  for (guint i = 0; i < DOCKET_DCP_STREAM_SLOTS; i++)
    xfers[i] = self->stream_slots[i] != NULL ? self->stream_slots[i]->xfer : NULL;
  *scope = (CancelScope){ self, xfers, DOCKET_DCP_STREAM_SLOTS };
}

void
_docket_dcp_driver_stream_abort (DocketDcpDriver *self)
{
  Xfer *xfers[DOCKET_DCP_STREAM_SLOTS];
  CancelScope scope;

  stream_scope (self, xfers, &scope);
  cancel_scope (&scope);
  for (guint i = 0; i < DOCKET_DCP_STREAM_SLOTS; i++)
    {
      DcpStreamSlot *slot = self->stream_slots[i];

      if (slot == NULL)
        continue;
      /* The callback must have run before the buffer goes. */
      xfer_wait (self, slot->xfer);
      xfer_free (slot->xfer);
      g_free (slot->buf);
      g_clear_pointer (&self->stream_slots[i], g_free);
    }
  self->stream_head = 0;
  self->stream_pending = 0;
  self->stream_requested = 0;
  self->stream_length = 0;
  if (self->stream_counted)
    g_atomic_int_dec_and_test (&streams_active);
  self->stream_counted = FALSE;
}

gboolean
_docket_dcp_driver_stream_read (DocketDcpDriver *self,
                                guint8 *buffer,
                                gsize len,
                                const gchar *what,
                                GCancellable *cancellable,
                                GError **error)
{
  Xfer *xfers[DOCKET_DCP_STREAM_SLOTS];
  CancelScope scope;
  gulong handler = 0;
  gsize got = 0;
  gboolean ok = TRUE;
  gboolean stalled = FALSE;

  stream_scope (self, xfers, &scope);
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (scope_cancelled_cb), &scope, NULL);

  while (got < len && ok)
    {
      DcpStreamSlot *slot = self->stream_pending > 0 ? self->stream_slots[self->stream_head] : NULL;
      struct libusb_transfer *t;
      gsize n;

      if (slot == NULL)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                       _ ("Internal error: read past the end of the camera's data during %s"),
                       what);
          ok = FALSE;
          break;
        }
      if (slot->submit_rc != 0)
        {
          set_submit_error (self, slot->submit_rc, what, error);
          ok = FALSE;
          break;
        }
      xfer_wait (self, slot->xfer);
      t = slot->xfer->transfer;
      if (t->status != LIBUSB_TRANSFER_COMPLETED)
        {
          stalled = t->status == LIBUSB_TRANSFER_STALL;
          set_status_error (self, t->status, TRUE, what, cancellable, error);
          ok = FALSE;
          break;
        }
      if ((gsize)t->actual_length < slot->len)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                       _ ("The camera %s sent %d bytes instead of %zu during %s"), self->label,
                       t->actual_length, slot->len, what);
          ok = FALSE;
          break;
        }
      n = MIN (len - got, slot->len - slot->consumed);
      memcpy (buffer + got, slot->buf + slot->consumed, n);
      slot->consumed += n;
      got += n;
      if (slot->consumed == slot->len)
        {
          self->stream_head = (self->stream_head + 1) % DOCKET_DCP_STREAM_SLOTS;
          self->stream_pending--;
          stream_adapt (self, slot->len);
          stream_fill (self);
        }
    }

  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);
  if (!ok)
    {
      _docket_dcp_driver_stream_abort (self);
      /* Leave the endpoint usable for the next command. */
      if (stalled)
        libusb_clear_halt (self->handle, DCP_EP_BULK_IN);
    }
  return ok;
}
