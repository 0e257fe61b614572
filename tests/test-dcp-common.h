/* test-dcp-common.h — helpers shared by the DCP, simulator and hot-plug tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <gio/gio.h>
#include <openssl/evp.h>

#include "docket-dcp-driver.h"
#include "docket-error.h"
#include "docket-sim.h"

/* Re-executes under the umockdev preload or exits 77 (skip). Call first. */
static inline void
dcp_test_ensure_preload (char **argv)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) copy = g_strdupv (argv);

  if (!docket_sim_ensure_preload (copy, &error))
    {
      g_printerr ("SKIP: %s\n", error->message);
      exit (77);
    }
}

static inline const gchar *
dcp_test_media_dir (void)
{
  return g_getenv ("DOCKET_SIM_MEDIA_DIR");
}

/* A small real MP4 (2 s, 320x240), cached. */
static inline gchar *
dcp_test_small_clip (guint variant)
{
  g_autoptr (GError) error = NULL;
  gchar *path
      = docket_sim_media_ensure (dcp_test_media_dir (), DOCKET_SIM_MEDIA_SMALL, 2, variant, &error);

  g_assert_no_error (error);
  return path;
}

static inline DocketSimCamera *
dcp_test_add_camera (DocketSimTestbed *testbed, const gchar *serial, guint n_clips)
{
  g_autoptr (GError) error = NULL;
  DocketSimCameraOptions options = { .serial = serial };
  DocketSimCamera *camera = docket_sim_testbed_add_camera (testbed, &options, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n_clips; i++)
    {
      docket_sim_camera_add_generated (camera, dcp_test_media_dir (), DOCKET_SIM_MEDIA_SMALL, 2, i,
                                       &error);
      g_assert_no_error (error);
    }
  return camera;
}

/* A driver for a docked simulated camera, opened. */
static inline DocketDcpDriver *
dcp_test_open_driver (DocketSimTestbed *testbed, const gchar *serial)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketUsbContext) usb = docket_usb_context_dup_default (&error);
  g_autofree gchar *devnode = docket_sim_testbed_get_devnode (testbed, serial);
  guint bus = 0, address = 0;
  DocketDcpDriver *driver;

  g_assert_no_error (error);
  g_assert_cmpint (sscanf (devnode, "/dev/bus/usb/%u/%u", &bus, &address), ==, 2);
  driver = docket_dcp_driver_new (usb, bus, address, NULL);
  docket_dcp_driver_open (driver, NULL, &error);
  g_assert_no_error (error);
  return driver;
}

static inline void
dcp_test_sha256 (const guint8 *data, gsize len, guint8 out[32])
{
  EVP_Digest (data, len, out, NULL, EVP_sha256 (), NULL);
}

/* Reads a whole recording through the driver in @chunk-byte reads. */
static inline GBytes *
dcp_test_read_all (DocketCameraDriver *driver, guint32 id, gsize chunk, GError **error)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *buf = g_malloc (chunk);

  for (;;)
    {
      gssize n
          = docket_camera_driver_read_recording (driver, id, out->len, buf, chunk, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_byte_array_append (out, buf, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* A file of @size pseudo-random bytes in the temporary directory. */
static inline gchar *
dcp_test_random_file (gsize size, guint32 seed)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint32 *data = g_new (guint32, size / 4 + 1);
  g_autofree gchar *name
      = g_strdup_printf ("docket-dcp-test-%u-%" G_GSIZE_FORMAT "-XXXXXX.bin", seed, size);
  gchar *path = NULL;
  int fd = g_file_open_tmp (name, &path, &error);

  g_assert_no_error (error);
  close (fd);
  for (gsize i = 0; i < size / 4 + 1; i++)
    data[i] = g_rand_int (rand);
  g_file_set_contents (path, (const gchar *)data, size, &error);
  g_assert_no_error (error);
  return path;
}

typedef gboolean (*DcpTestCondition) (gpointer data);

/* Iterates the default main context until @cond holds. The 60 s watchdog
 * only turns a hang into a failure; it is not a speed assertion. */
static inline void
dcp_test_wait_for (DcpTestCondition cond, gpointer data)
{
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
      if (g_get_monotonic_time () > give_up)
        g_assert_cmpint (g_get_monotonic_time (), <=, give_up);
    }
}
