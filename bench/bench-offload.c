/* bench-offload.c — Docket's offload-and-verify against what people do by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Same files, same run, page cache dropped before each file (when root):
 *   A. cp F D && sync && sha256sum D; ffmpeg -v error -xerror -i D -c copy -f null -
 *   B. a plain C loop: read, SHA-256 (OpenSSL), write, fdatasync
 *   C. Docket: DocketOffloadJob from a file-backed camera into a fresh store
 *      (copy + hash + fdatasync + signature + index check + parse check +
 *      commit + audit), with the thumbnails left for later as docketd
 *      does; their time after the last commit is printed apart (T).
 *      With DOCKET_MEDIA_HELPER (as meson runs it) the parse checks and
 *      thumbnails run in docket-media-helper, as docketd runs them;
 *      without it, in this process.
 * Prints C/A (goal <= 0.6) and C/B (goal <= 1.3). Not a pass/fail test.
 *
 * Footage: 1080p30 H.264 made with GStreamer at DOCKET_BENCH_BITRATE kbit/s
 * (default 8000), DOCKET_BENCH_MB in total (default 1024) over
 * DOCKET_BENCH_FILES files (default 6), cached in DOCKET_BENCH_MEDIA_DIR.
 * The files share one encode and differ by a trailing 'free' box, so each
 * hashes differently; encoding 1 GB would take most of an hour here.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <openssl/evp.h>

#include "docket-evidence-store.h"
#include "docket-file-camera.h"
#include "docket-gst.h"
#include "docket-media-check.h"
#include "docket-offload-job.h"

static gboolean can_drop = TRUE;

static guint
env_uint (const gchar *name, guint fallback)
{
  const gchar *v = g_getenv (name);
  guint64 n;

  if (v != NULL && g_ascii_string_to_unsigned (v, 10, 1, G_MAXUINT, &n, NULL))
    return (guint)n;
  return fallback;
}

static void
drop_caches (void)
{
  int fd;

  sync ();
  if (!can_drop)
    return;
  fd = open ("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write (fd, "3", 1) != 1)
    {
      g_printerr ("note: cannot drop the page cache (%s); figures are hot-cache\n",
                  g_strerror (errno));
      can_drop = FALSE;
    }
  if (fd >= 0)
    close (fd);
}

static gboolean
encode_base (const gchar *path, guint seconds, guint bitrate, GError **error)
{
  g_autofree gchar *tmp = g_strconcat (path, ".tmp", NULL);
  g_autofree gchar *desc
      = g_strdup_printf ("videotestsrc num-buffers=%u pattern=snow ! "
                         "video/x-raw,width=1920,height=1080,framerate=30/1 ! timeoverlay ! "
                         "x264enc speed-preset=ultrafast bitrate=%u key-int-max=60 ! h264parse ! "
                         "mp4mux name=mux ! filesink name=sink "
                         "audiotestsrc num-buffers=%u samplesperbuffer=1470 ! "
                         "audio/x-raw,rate=44100 ! voaacenc ! mux.",
                         seconds * 30, bitrate, seconds * 30);
  g_autoptr (GstElement) pipeline = gst_parse_launch (desc, error);
  GstElement *sink;

  if (pipeline == NULL)
    return FALSE;
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (sink, "location", tmp, NULL);
  gst_object_unref (sink);
  g_print ("encoding %u s of 1080p30 at %u kbit/s (once; cached)…\n", seconds, bitrate);
  if (!docket_media_run_pipeline (pipeline, 6 * 3600 * 1000, NULL, error))
    return FALSE;
  return g_rename (tmp, path) == 0;
}

static GPtrArray *
prepare_media (GError **error)
{
  g_autofree gchar *dir = g_strdup (g_getenv ("DOCKET_BENCH_MEDIA_DIR"));
  guint files = env_uint ("DOCKET_BENCH_FILES", 6);
  guint total_mb = env_uint ("DOCKET_BENCH_MB", 1024);
  guint bitrate = env_uint ("DOCKET_BENCH_BITRATE", 8000);
  guint seconds = (guint)((guint64)total_mb * 8 * 1024 / files / bitrate);
  g_autofree gchar *base_name = g_strdup_printf ("base-%us-%ukbps.mp4", seconds, bitrate);
  g_autofree gchar *base = NULL;
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (dir == NULL)
    dir = g_build_filename (g_get_tmp_dir (), "docket-bench-media", NULL);
  g_mkdir_with_parents (dir, 0755);
  base = g_build_filename (dir, base_name, NULL);
  if (!g_file_test (base, G_FILE_TEST_EXISTS) && !encode_base (base, seconds, bitrate, error))
    return NULL;

  for (guint i = 0; i < files; i++)
    {
      g_autofree gchar *name = g_strdup_printf ("footage-%us-%ukbps-%u.mp4", seconds, bitrate, i);
      gchar *path = g_build_filename (dir, name, NULL);

      g_ptr_array_add (paths, path);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_autoptr (GFile) from = g_file_new_for_path (base);
          g_autoptr (GFile) to = g_file_new_for_path (path);
          guint8 box[16] = { 0, 0, 0, 16, 'f', 'r', 'e', 'e' };
          int fd;

          if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
            return NULL;
          memcpy (box + 8, &i, sizeof i);
          fd = open (path, O_WRONLY | O_APPEND | O_CLOEXEC);
          if (fd < 0 || write (fd, box, sizeof box) != sizeof box)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "could not write %s", path);
              return NULL;
            }
          close (fd);
        }
    }
  return g_steal_pointer (&paths);
}

static guint64
total_size (GPtrArray *paths)
{
  guint64 total = 0;

  for (guint i = 0; i < paths->len; i++)
    {
      GStatBuf st;
      if (g_stat (paths->pdata[i], &st) == 0)
        total += (guint64)st.st_size;
    }
  return total;
}

static gdouble
run_shell_baseline (GPtrArray *paths, const gchar *work)
{
  g_autofree gchar *dst = g_build_filename (work, "copy.mp4", NULL);
  gdouble seconds = 0;

  for (guint i = 0; i < paths->len; i++)
    {
      g_autofree gchar *cmd
          = g_strdup_printf ("cp '%s' '%s' && sync && sha256sum '%s' >/dev/null && "
                             "ffmpeg -nostdin -v error -xerror -i '%s' -c copy -f null -",
                             (const gchar *)paths->pdata[i], dst, dst, dst);
      gint64 t0;

      drop_caches ();
      t0 = g_get_monotonic_time ();
      if (system (cmd) != 0)
        g_printerr ("baseline command failed: %s\n", cmd);
      seconds += (g_get_monotonic_time () - t0) / 1e6;
      g_unlink (dst);
    }
  return seconds;
}

static gdouble
run_c_baseline (GPtrArray *paths, const gchar *work)
{
  g_autofree gchar *dst = g_build_filename (work, "copy.bin", NULL);
  g_autofree guint8 *buf = g_malloc (1024 * 1024);
  gdouble seconds = 0;

  for (guint i = 0; i < paths->len; i++)
    {
      EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
      guint8 md[EVP_MAX_MD_SIZE];
      unsigned int md_len;
      gint64 t0;
      gssize n;
      int in, out;

      drop_caches ();
      t0 = g_get_monotonic_time ();
      in = open (paths->pdata[i], O_RDONLY | O_CLOEXEC);
      out = open (dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      EVP_DigestInit_ex (ctx, EVP_sha256 (), NULL);
      while ((n = read (in, buf, 1024 * 1024)) > 0)
        {
          EVP_DigestUpdate (ctx, buf, (gsize)n);
          if (write (out, buf, (gsize)n) != n)
            g_error ("write failed");
        }
      fdatasync (out);
      EVP_DigestFinal_ex (ctx, md, &md_len);
      close (in);
      close (out);
      seconds += (g_get_monotonic_time () - t0) / 1e6;
      EVP_MD_CTX_free (ctx);
      g_unlink (dst);
    }
  return seconds;
}

static gdouble drop_seconds; /* spent dropping caches inside the timed offload */

static void
on_verified (DocketOffloadJob *job, gint64 id, const gchar *name, const gchar *sha, gpointer data)
{
  gint64 t0 = g_get_monotonic_time ();

  drop_caches (); /* before the next file, as for the baselines; not timed */
  drop_seconds += (g_get_monotonic_time () - t0) / 1e6;
}

static gdouble
run_docket (GPtrArray *paths, const gchar *work, guint *out_verified, gdouble *out_thumbnails)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *root = g_build_filename (work, "store", NULL);
  g_autofree gchar *camdir = g_build_filename (work, "camera", NULL);
  g_autoptr (DocketEvidenceStore) store = docket_evidence_store_open (root, &error);
  g_autoptr (DocketFileCamera) camera = NULL;
  g_autoptr (DocketOffloadJob) job = NULL;
  gint64 t0;
  gdouble seconds;

  g_assert_no_error (error);
  docket_evidence_store_set_reserve_bytes (store, 0);
  camera = docket_file_camera_create (camdir, "BENCH-CAM", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < paths->len; i++)
    {
      g_auto (DocketMediaInfo) info = { 0 };
      g_assert_true (docket_media_check_index (paths->pdata[i], 0, &info, &error));
      g_assert_true (docket_file_camera_add_recording (camera, paths->pdata[i], g_get_real_time (),
                                                       info.duration_ms, TRUE, NULL, &error));
      g_assert_no_error (error);
    }
  job = docket_offload_job_new (store, DOCKET_CAMERA_DRIVER (camera));
  docket_offload_job_set_delete_after_offload (job, FALSE);
  docket_offload_job_set_thumbnails_later (job, TRUE);
  g_signal_connect (job, "recording-verified", G_CALLBACK (on_verified), NULL);

  drop_caches ();
  t0 = g_get_monotonic_time ();
  if (!docket_offload_job_run (job, NULL, &error))
    g_printerr ("offload failed: %s\n", error->message);
  seconds = (g_get_monotonic_time () - t0) / 1e6 - drop_seconds;
  *out_verified = docket_offload_job_get_verified (job);

  /* As docketd's offload manager does once a camera is done. */
  {
    g_autoptr (GArray) ids = docket_offload_job_get_committed (job);

    t0 = g_get_monotonic_time ();
    for (guint i = 0; i < ids->len; i++)
      if (!docket_offload_make_thumbnail_after_commit (store, g_array_index (ids, gint64, i), 60000,
                                                       NULL, &error))
        {
          g_printerr ("thumbnail failed: %s\n", error->message);
          g_clear_error (&error);
        }
    *out_thumbnails = (g_get_monotonic_time () - t0) / 1e6;
  }
  return seconds;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) paths = NULL;
  g_autofree gchar *work = NULL;
  g_autofree gchar *cmd = NULL;
  gdouble shell_s, c_s, docket_s, thumbnails_s = 0, mb;
  guint verified = 0;

  gst_init (&argc, &argv);
  docket_gst_register ();
  if (g_getenv ("DOCKET_MEDIA_HELPER") != NULL && *g_getenv ("DOCKET_MEDIA_HELPER") != '\0')
    docket_media_set_helper (g_getenv ("DOCKET_MEDIA_HELPER"));
  paths = prepare_media (&error);
  if (paths == NULL)
    {
      g_printerr ("cannot make footage: %s\n", error->message);
      return 77;
    }
  mb = total_size (paths) / 1e6;
  work = g_build_filename (g_getenv ("DOCKET_BENCH_WORK_DIR") != NULL
                               ? g_getenv ("DOCKET_BENCH_WORK_DIR")
                               : g_get_tmp_dir (),
                           "docket-bench-offload-XXXXXX", NULL);
  if (g_mkdtemp (work) == NULL)
    return 1;

  g_print ("footage: %u files, %.0f MB; media checks %s\n", paths->len, mb,
           g_getenv ("DOCKET_MEDIA_HELPER") != NULL ? "in the media helper" : "in-process");
  shell_s = run_shell_baseline (paths, work);
  g_print ("A  cp && sync && sha256sum; ffmpeg -xerror -c copy:  %7.2f s  %7.1f MB/s\n", shell_s,
           mb / shell_s);
  c_s = run_c_baseline (paths, work);
  g_print ("B  C loop copy + SHA-256 + fdatasync:             %7.2f s  %7.1f MB/s\n", c_s,
           mb / c_s);
  docket_s = run_docket (paths, work, &verified, &thumbnails_s);
  g_print ("C  Docket offload + verify (%u/%u verified):        %7.2f s  %7.1f MB/s\n", verified,
           paths->len, docket_s, mb / docket_s);
  g_print ("T  then the thumbnails (after the commits):        %7.2f s\n", thumbnails_s);
  g_print ("ratio C/A = %.2f (goal <= 0.6)\n", docket_s / shell_s);
  g_print ("ratio C/B = %.2f (goal <= 1.3)\n", docket_s / c_s);
  if (!can_drop)
    g_print ("(page cache was NOT dropped: run as root for cold-cache figures)\n");

  cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", work, work);
  return system (cmd) == 0 && verified == paths->len ? 0 : 1;
}
