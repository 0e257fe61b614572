/* bench-dcp-throughput.c — DCP driver reads versus a bare libusb loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both read the same recording from the same simulated camera in the same
 * run, so the ratio says what the driver's protocol and threading cost.
 * The absolute MB/s are the umockdev emulation's, not real USB's. Goal:
 * ratio >= 0.9 at the default read-ahead; 1, 2, 4 and 8 transfers in
 * flight are printed beside it.
 *
 *   bench-dcp-throughput [SIZE_MIB] [ROUNDS]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "bench-usb.h"
#include "docket-dcp-driver.h"
#include "docket-sim.h"

#define READ_SIZE (1024 * 1024)

/* Read-ahead settings measured: 0 is the driver's default (adaptive). */
static const guint depths[] = { 0, 1, 2, 4, 8 };
#define N_DEPTHS G_N_ELEMENTS (depths)

static const gchar *
depth_name (guint depth)
{
  static const gchar *names[] = { "default", "1", "2", "3", "4", "5", "6", "7", "8" };

  return depth < G_N_ELEMENTS (names) ? names[depth] : "?";
}

static gchar *
make_file (gsize size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  g_autofree guint32 *data = g_new (guint32, size / 4);
  gchar *path = NULL;
  int fd = g_file_open_tmp ("docket-bench-XXXXXX.bin", &path, &error);

  if (fd < 0)
    {
      g_printerr ("bench-dcp-throughput: %s\n", error->message);
      exit (1);
    }
  close (fd);
  for (gsize i = 0; i < size / 4; i++)
    data[i] = g_rand_int (rand);
  if (!g_file_set_contents (path, (const gchar *)data, size, &error))
    {
      g_printerr ("bench-dcp-throughput: %s\n", error->message);
      exit (1);
    }
  return path;
}

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;

  return x < y ? -1 : x > y;
}

/* CPU time of the whole process (driver, libusb's event thread and the
 * emulation's) in ms: unlike MB/s, it hardly moves when other programs
 * compete for the cores. */
static gdouble
cpu_ms (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3
         + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static gdouble
driver_read (DocketCameraDriver *driver, guint32 id, gsize size)
{
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *buf = g_malloc (READ_SIZE);
  guint64 offset = 0;
  gint64 start = g_get_monotonic_time ();
  gint64 end;

  for (;;)
    {
      gssize n
          = docket_camera_driver_read_recording (driver, id, offset, buf, READ_SIZE, NULL, &error);

      g_assert_no_error (error);
      if (n == 0)
        break;
      offset += n;
    }
  end = g_get_monotonic_time ();
  g_assert_cmpuint (offset, ==, size);
  return size / ((end - start) / 1e6) / 1e6;
}

/* The first @len bytes of recording @id, in MB/s. */
static gdouble
driver_read_range (DocketCameraDriver *driver, guint32 id, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *buf = g_malloc (READ_SIZE);
  guint64 offset = 0;
  gint64 start = g_get_monotonic_time ();

  while (offset < len)
    {
      gssize n = docket_camera_driver_read_recording (driver, id, offset, buf,
                                                      MIN (READ_SIZE, len - offset), NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      offset += n;
    }
  return len / ((g_get_monotonic_time () - start) / 1e6) / 1e6;
}

static const struct
{
  const gchar *name;
  guint64 rate;
} links[] = { { "USB 2.0", 35 * 1000 * 1000 }, { "USB 3", 350 * 1000 * 1000 } };

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketSimTestbed) testbed = NULL;
  g_autoptr (DocketUsbContext) usb = NULL;
  g_autoptr (DocketDcpDriver) driver = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *devnode = NULL;
  g_auto (GStrv) saved_argv = g_strdupv (argv);
  DocketSimCameraOptions options = { .serial = "BENCH-0001" };
  DocketSimCamera *camera;
  gsize size = (argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 64) * 1024 * 1024;
  guint rounds = argc > 2 ? MAX ((guint)g_ascii_strtoull (argv[2], NULL, 10), 1) : 5;
  GArray *bare_runs, *driver_runs[N_DEPTHS], *cpu_runs[N_DEPTHS];
  guint bus, address;
  guint32 id;

  if (!docket_sim_ensure_preload (saved_argv, &error))
    {
      g_printerr ("SKIP: %s\n", error->message);
      return 77;
    }
  testbed = docket_sim_testbed_new (&error);
  g_assert_no_error (error);
  camera = docket_sim_testbed_add_camera (testbed, &options, &error);
  g_assert_no_error (error);
  path = make_file (size);
  id = docket_sim_camera_add_recording (camera, path, &error);
  g_assert_no_error (error);
  docket_sim_testbed_dock (testbed, "BENCH-0001", &error);
  g_assert_no_error (error);
  devnode = docket_sim_testbed_get_devnode (testbed, "BENCH-0001");
  g_assert_cmpint (sscanf (devnode, "/dev/bus/usb/%u/%u", &bus, &address), ==, 2);

  usb = docket_usb_context_dup_default (&error);
  g_assert_no_error (error);
  driver = docket_dcp_driver_new (usb, bus, address, NULL);
  docket_dcp_driver_open (driver, NULL, &error);
  g_assert_no_error (error);

  /* Alternate after one warm-up round each; report the median of each: the
   * emulation is noisy (see usb-simulation.md), and the ratios against the
   * bare loop of the same round are what count. */
  for (guint d = 0; d < N_DEPTHS; d++)
    {
      driver_runs[d] = g_array_new (FALSE, FALSE, sizeof (gdouble));
      cpu_runs[d] = g_array_new (FALSE, FALSE, sizeof (gdouble));
    }
  bare_runs = g_array_new (FALSE, FALSE, sizeof (gdouble));
  for (guint r = 0; r <= rounds; r++)
    {
      gdouble bare, drv[N_DEPTHS], cpu0, bare_cpu, cpu_ratio;

      /* The driver releases the interface while the bare loop has it. */
      docket_camera_driver_close (DOCKET_CAMERA_DRIVER (driver));
      g_clear_object (&driver);
      cpu0 = cpu_ms ();
      bare = bench_usb_bare_read (bus, address, id, size);
      bare_cpu = (cpu_ms () - cpu0) / (size >> 20);
      driver = docket_dcp_driver_new (usb, bus, address, NULL);
      docket_dcp_driver_open (driver, NULL, &error);
      g_assert_no_error (error);
      for (guint d = 0; d < N_DEPTHS; d++)
        {
          docket_dcp_driver_set_read_ahead (driver, depths[d]);
          cpu0 = cpu_ms ();
          drv[d] = driver_read (DOCKET_CAMERA_DRIVER (driver), id, size);
          cpu_ratio = (cpu_ms () - cpu0) / (size >> 20) / MAX (bare_cpu, 0.001);
          g_array_append_val (cpu_runs[d], cpu_ratio);
        }
      if (r == 0)
        continue;
      g_print ("round %u: bare libusb %.0f MB/s, DCP driver", r, bare);
      for (guint d = 0; d < N_DEPTHS; d++)
        {
          gdouble ratio = drv[d] / bare;

          g_print (" %s %.0f", depth_name (depths[d]), drv[d]);
          g_array_append_val (driver_runs[d], ratio);
        }
      g_print (" MB/s\n");
      g_array_append_val (bare_runs, bare);
    }
  g_array_sort (bare_runs, compare_doubles);
  g_print ("recording %" G_GSIZE_FORMAT " MiB, %u KiB reads, %u rounds\n", size >> 20,
           READ_SIZE >> 10, rounds);
  g_print ("bare libusb loop: median %.0f MB/s\n", g_array_index (bare_runs, gdouble, rounds / 2));
  for (guint d = 0; d < N_DEPTHS; d++)
    {
      g_array_sort (driver_runs[d], compare_doubles);
      g_print ("DCP driver, read-ahead %-8s ratio to bare (same round): median %.2f, "
               "min %.2f, max %.2f%s\n",
               depth_name (depths[d]), g_array_index (driver_runs[d], gdouble, rounds / 2),
               g_array_index (driver_runs[d], gdouble, 0),
               g_array_index (driver_runs[d], gdouble, rounds - 1),
               depths[d] == 0 ? " (goal >= 0.90)" : "");
      g_array_unref (driver_runs[d]);
      /* The warm-up round is in cpu_runs too: one more than rounds. */
      g_array_sort (cpu_runs[d], compare_doubles);
      g_print ("  CPU per MiB against the bare loop's (same round): median %.2f\n",
               g_array_index (cpu_runs[d], gdouble, cpu_runs[d]->len / 2));
      g_array_unref (cpu_runs[d]);
    }
  g_array_unref (bare_runs);

  /* Behind the simulator's link model (rate plus 1 ms per transfer, see
   * src/sim/README.md): the driver against the link, which is the
   * baseline there. A fresh driver each time, so the adaptive depth starts
   * from scratch. */
  for (guint l = 0; l < G_N_ELEMENTS (links); l++)
    {
      GArray *fractions[2] = { g_array_new (FALSE, FALSE, sizeof (gdouble)),
                               g_array_new (FALSE, FALSE, sizeof (gdouble)) };
      gsize link_size = MIN (size, (gsize)links[l].rate / 2);

      docket_sim_camera_set_fault (camera, DOCKET_SIM_FAULT_SLOW_LINK, links[l].rate);
      docket_sim_camera_set_fault (camera, DOCKET_SIM_FAULT_LINK_LATENCY, 1000);
      for (guint r = 0; r < rounds; r++)
        for (guint k = 0; k < 2; k++)
          {
            gdouble f;

            docket_camera_driver_close (DOCKET_CAMERA_DRIVER (driver));
            g_clear_object (&driver);
            driver = docket_dcp_driver_new (usb, bus, address, NULL);
            docket_dcp_driver_open (driver, NULL, &error);
            g_assert_no_error (error);
            docket_dcp_driver_set_read_ahead (driver, k == 0 ? 0 : 1);
            f = driver_read_range (DOCKET_CAMERA_DRIVER (driver), id, link_size) * 1e6
                / (gdouble)links[l].rate;
            g_array_append_val (fractions[k], f);
          }
      g_array_sort (fractions[0], compare_doubles);
      g_array_sort (fractions[1], compare_doubles);
      g_print ("%s link (%.0f MB/s, 1 ms per transfer), %" G_GSIZE_FORMAT
               " MiB: DCP driver / link rate, median: default %.2f (goal >= 0.95), "
               "read-ahead 1 %.2f\n",
               links[l].name, links[l].rate / 1e6, link_size >> 20,
               g_array_index (fractions[0], gdouble, rounds / 2),
               g_array_index (fractions[1], gdouble, rounds / 2));
      g_array_unref (fractions[0]);
      g_array_unref (fractions[1]);
    }
  docket_sim_camera_clear_faults (camera);

  docket_camera_driver_close (DOCKET_CAMERA_DRIVER (driver));
  g_unlink (path);
  return 0;
}
