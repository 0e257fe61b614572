/* bench-usb.h — the bare libusb read loop the USB benchmarks compare against
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a program with no driver at all would get from a simulated camera:
 * the umockdev emulation's own ceiling on this machine.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reads @size bytes of recording @id from the camera at @bus/@address with
 * one READ command and synchronous 1 MiB bulk reads; returns MB/s. The
 * caller must not hold the camera's interface. */
gdouble bench_usb_bare_read (guint bus, guint address, guint32 id, gsize size);
/* The same for @n cameras read at once, one thread each, all starting
 * together once every camera is open: @rates[i] is camera i's MB/s. */
void bench_usb_bare_read_many (
    guint n, const guint *bus, const guint *address, const guint32 *id, gsize size, gdouble *rates);

/* The same, each camera's bytes also written (write() per 1 MiB block) to
 * a file of its own in @write_dir and fdatasync'd before the clock stops
 * (no writeback started earlier, unlike the staging sink, so a little
 * below what the disk allows): the disk's ceiling on top of the
 * emulation's. The files are removed. */
void bench_usb_bare_copy_many (guint n,
                               const guint *bus,
                               const guint *address,
                               const guint32 *id,
                               gsize size,
                               const gchar *write_dir,
                               gdouble *rates);

G_END_DECLS
