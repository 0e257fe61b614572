/* bench-usb.c — the bare libusb read loop the USB benchmarks compare against
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-usb.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libusb.h>

#include "docket-dcp-protocol.h"

#define READ_SIZE (1024 * 1024)

typedef struct
{
  guint bus;
  guint address;
  guint32 id;
  gsize size;
  gdouble rate;
  /* Non-NULL: every block is also written to this file, synced at the end. */
  const gchar *write_path;
  /* Shared by the cameras read at once: all start together. */
  GMutex *lock;
  GCond *cond;
  guint *ready;
  guint n;
} BareRead;

static gpointer
bare_read_thread (gpointer data)
{
  BareRead *r = data;
  libusb_context *ctx = NULL;
  libusb_device **list = NULL;
  libusb_device_handle *handle = NULL;
  g_autofree guint8 *buf = g_malloc (READ_SIZE);
  DcpReadRequest rr
      = { .id = GUINT32_TO_LE (r->id), .max_length = GUINT32_TO_LE ((guint32)r->size) };
  guint8 result[sizeof (DcpResult)];
  gsize got = 0;
  gint64 start, end;
  ssize_t n;
  int fd = -1;

  libusb_init (&ctx);
  n = libusb_get_device_list (ctx, &list);
  for (ssize_t i = 0; i < n; i++)
    if (libusb_get_bus_number (list[i]) == r->bus
        && libusb_get_device_address (list[i]) == r->address)
      libusb_open (list[i], &handle);
  libusb_free_device_list (list, TRUE);
  g_assert_nonnull (handle);
  g_assert_cmpint (libusb_claim_interface (handle, 0), ==, 0);

  if (r->write_path != NULL)
    {
      fd = g_open (r->write_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      g_assert_cmpint (fd, >=, 0);
    }

  g_mutex_lock (r->lock);
  if (++*r->ready == r->n)
    g_cond_broadcast (r->cond);
  while (*r->ready < r->n)
    g_cond_wait (r->cond, r->lock);
  g_mutex_unlock (r->lock);

  start = g_get_monotonic_time ();
  g_assert_cmpint (libusb_control_transfer (handle, DCP_REQTYPE_OUT, DCP_REQ_READ_RECORDING, 1, 0,
                                            (guint8 *)&rr, sizeof rr, 5000),
                   ==, sizeof rr);
  g_assert_cmpint (libusb_control_transfer (handle, DCP_REQTYPE_IN, DCP_REQ_GET_RESULT, 0, 0,
                                            result, sizeof result, 5000),
                   ==, sizeof result);
  while (got < r->size)
    {
      int actual = 0;
      int rc = libusb_bulk_transfer (handle, DCP_EP_BULK_IN, buf,
                                     (int)MIN (READ_SIZE, r->size - got), &actual, 5000);

      g_assert_cmpint (rc, ==, 0);
      /* write() each block, one fdatasync() at the end. */
      for (gsize done = 0; fd >= 0 && done < (gsize)actual;)
        {
          gssize w = write (fd, buf + done, (gsize)actual - done);

          g_assert_true (w > 0 || (w < 0 && errno == EINTR));
          done += w > 0 ? (gsize)w : 0;
        }
      got += actual;
    }
  if (fd >= 0)
    g_assert_cmpint (fdatasync (fd), ==, 0);
  end = g_get_monotonic_time ();
  if (fd >= 0)
    {
      close (fd);
      g_unlink (r->write_path);
    }

  libusb_release_interface (handle, 0);
  libusb_close (handle);
  libusb_exit (ctx);
  r->rate = r->size / ((end - start) / 1e6) / 1e6;
  return NULL;
}

void
bench_usb_bare_copy_many (guint n,
                          const guint *bus,
                          const guint *address,
                          const guint32 *id,
                          gsize size,
                          const gchar *write_dir,
                          gdouble *rates)
{
  g_autofree BareRead *reads = g_new0 (BareRead, n);
  g_autofree GThread **threads = g_new0 (GThread *, n);
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  GMutex lock;
  GCond cond;
  guint ready = 0;

  g_mutex_init (&lock);
  g_cond_init (&cond);
  for (guint i = 0; i < n; i++)
    {
      reads[i] = (BareRead){ .bus = bus[i],
                             .address = address[i],
                             .id = id[i],
                             .size = size,
                             .lock = &lock,
                             .cond = &cond,
                             .ready = &ready,
                             .n = n };
      if (write_dir != NULL)
        {
          g_autofree gchar *name = g_strdup_printf ("bare-copy-%u.part", i);

          reads[i].write_path = g_build_filename (write_dir, name, NULL);
          g_ptr_array_add (paths, (gpointer)reads[i].write_path);
        }
      threads[i] = g_thread_new ("bare-read", bare_read_thread, &reads[i]);
    }
  for (guint i = 0; i < n; i++)
    {
      g_thread_join (threads[i]);
      rates[i] = reads[i].rate;
    }
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
}

void
bench_usb_bare_read_many (
    guint n, const guint *bus, const guint *address, const guint32 *id, gsize size, gdouble *rates)
{
  bench_usb_bare_copy_many (n, bus, address, id, size, NULL, rates);
}

gdouble
bench_usb_bare_read (guint bus, guint address, guint32 id, gsize size)
{
  gdouble rate = 0;

  bench_usb_bare_read_many (1, &bus, &address, &id, size, &rate);
  return rate;
}
