/* make-seeds.c — writes the fuzzers' seed corpora from real sources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   make-seeds OUTDIR
 * DCP replies come from the camera simulator itself (clean, and under each
 * of its malformed-reply faults); MP4 files from GStreamer (index at the
 * end, fast start, cut short). The corpora in tests/fuzz/corpus were made
 * with it; run it again after a protocol change (meson compile fuzz-seeds).
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "docket-dcp-protocol.h"
#include "docket-sim-camera.h"
#include "docket-sim-private.h"

static void
save (const gchar *dir, const gchar *name, guint8 selector, const guint8 *data, gsize len)
{
  g_autofree gchar *path = g_build_filename (dir, name, NULL);
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  g_autoptr (GError) error = NULL;

  g_byte_array_append (bytes, &selector, 1);
  g_byte_array_append (bytes, data, len);
  if (!g_file_set_contents (path, (const gchar *)bytes->data, bytes->len, &error))
    g_error ("%s", error->message);
}

static gint
control (DocketSimCamera *camera, guint8 type, guint8 request, guint8 *data, guint16 len)
{
  guint8 setup[8] = { type, request, 0, 0, 0, 0, len & 0xff, len >> 8 };
  DocketSimEvent event;

  return docket_sim_camera_handle_control (camera, setup, data, &event);
}

static void
dcp_seeds (const gchar *dir, DocketSimCamera *camera, const gchar *suffix)
{
  static const struct
  {
    guint8 request;
    guint8 selector;
    const gchar *name;
  } in[] = {
    { DCP_REQ_IDENTIFY, DCP_MSG_IDENTIFY, "identify" },
    { DCP_REQ_GET_STATUS, DCP_MSG_STATUS, "status" },
    { DCP_REQ_GET_CONFIG, DCP_MSG_CONFIG, "config" },
    { DCP_REQ_FW_STATUS, DCP_MSG_FIRMWARE_STATUS, "firmware-status" },
  };
  guint8 buf[DCP_MAX_CONTROL_MESSAGE];
  guint8 bulk[64 * 1024];
  gboolean unplug = FALSE;
  gssize n;
  gint len;

  for (gsize i = 0; i < G_N_ELEMENTS (in); i++)
    {
      g_autofree gchar *name = g_strdup_printf ("%s%s", in[i].name, suffix);

      len = control (camera, DCP_REQTYPE_IN, in[i].request, buf, sizeof buf);
      if (len > 0)
        save (dir, name, in[i].selector, buf, len);
      if (i == 1) /* a status reply is also the header check's input */
        {
          g_autofree gchar *hname = g_strdup_printf ("header%s", suffix);
          if (len > 0)
            save (dir, hname, 0, buf, len);
        }
    }
  /* LIST: an OUT command, its result, then the listing on bulk IN. */
  control (camera, DCP_REQTYPE_OUT, DCP_REQ_LIST_RECORDINGS, buf, 0);
  len = control (camera, DCP_REQTYPE_IN, DCP_REQ_GET_RESULT, buf, sizeof buf);
  if (len > 0)
    {
      g_autofree gchar *name = g_strdup_printf ("result%s", suffix);
      save (dir, name, DCP_MSG_RESULT, buf, len);
    }
  n = docket_sim_camera_handle_bulk_in (camera, bulk, sizeof bulk, g_get_monotonic_time (),
                                        &unplug);
  if (n > 0)
    {
      g_autofree gchar *name = g_strdup_printf ("list%s", suffix);
      save (dir, name, DCP_MSG_LIST, bulk, n);
    }
}

static void
mp4_seed (const gchar *dir, const gchar *name, gboolean faststart, gdouble keep)
{
  g_autofree gchar *path = g_build_filename (dir, name, NULL);
  g_autofree gchar *desc = g_strdup_printf (
      "videotestsrc num-buffers=4 ! video/x-raw,width=64,height=48,framerate=4/1 ! x264enc ! "
      "mp4mux faststart=%s ! filesink location=\"%s\"",
      faststart ? "true" : "false", path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (desc, &error);
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) msg = NULL;
  g_autofree gchar *contents = NULL;
  gsize len = 0;

  if (pipeline == NULL)
    g_error ("%s", error->message);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (msg == NULL || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_EOS)
    g_error ("could not make %s", path);
  if (keep < 1.0 && g_file_get_contents (path, &contents, &len, NULL))
    g_file_set_contents (path, contents, (gssize)(len * keep), NULL);
}

int
main (int argc, char **argv)
{
  DocketSimCameraOptions options = { .serial = "FUZZ-0001" };
  g_autoptr (DocketSimCamera) camera = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dcp = NULL;
  g_autofree gchar *mp4 = NULL;
  g_autofree gchar *clip = NULL;
  static const struct
  {
    DocketSimFault fault;
    const gchar *suffix;
  } faults[] = {
    { DOCKET_SIM_FAULT_TRUNCATED, "-truncated" },
    { DOCKET_SIM_FAULT_OVERSIZE_LENGTH, "-oversize" },
    { DOCKET_SIM_FAULT_WRONG_VERSION, "-version" },
    { DOCKET_SIM_FAULT_NON_UTF8_NAME, "-non-utf8" },
    { DOCKET_SIM_FAULT_PATH_NAME, "-path-name" },
    { DOCKET_SIM_FAULT_FW_MALFORMED, "-fw-malformed" },
  };

  gst_init (&argc, &argv);
  if (argc != 2)
    {
      g_printerr ("usage: %s OUTDIR\n", argv[0]);
      return 2;
    }
  dcp = g_build_filename (argv[1], "dcp", NULL);
  mp4 = g_build_filename (argv[1], "mp4", NULL);
  g_mkdir_with_parents (dcp, 0755);
  g_mkdir_with_parents (mp4, 0755);

  mp4_seed (mp4, "index-at-end.mp4", FALSE, 1.0);
  mp4_seed (mp4, "faststart.mp4", TRUE, 1.0);
  mp4_seed (mp4, "cut-60.mp4", FALSE, 0.6);
  mp4_seed (mp4, "faststart-cut-60.mp4", TRUE, 0.6);

  camera = docket_sim_camera_new (&options, &error);
  if (camera == NULL)
    g_error ("%s", error->message);
  docket_sim_camera_set_docked (camera, TRUE);
  clip = g_build_filename (mp4, "index-at-end.mp4", NULL);
  if (docket_sim_camera_add_recording (camera, clip, &error) == 0)
    g_error ("%s", error->message);
  dcp_seeds (dcp, camera, "");
  for (gsize i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      docket_sim_camera_set_fault (camera, faults[i].fault, 0);
      dcp_seeds (dcp, camera, faults[i].suffix);
      docket_sim_camera_clear_faults (camera);
    }
  g_print ("seeds written to %s\n", argv[1]);
  return 0;
}
