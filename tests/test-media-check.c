/* test-media-check.c — parse check, index check on cut files, thumbnails, fuzzing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "docket-error.h"
#include "docket-media-check.h"
#include "docket-mp4.h"
#include "test-offload-media.h"

#define TIMEOUT 30000

static gchar *
media_or_skip (const gchar *kind)
{
  g_autoptr (GError) error = NULL;
  gchar *path = test_media_get (kind, 0, &error);

  if (path == NULL)
    g_test_skip_printf ("cannot make test media: %s", error->message);
  return path;
}

static void
test_good (void)
{
  const gchar *kinds[] = { "good", "faststart" };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree gchar *path = media_or_skip (kinds[i]);
      g_autoptr (GError) error = NULL;
      g_auto (DocketMediaInfo) info = { 0 };

      if (path == NULL)
        return;
      g_assert_true (docket_media_check_parse (path, TIMEOUT, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (docket_media_check_index (path, TEST_MEDIA_DURATION_MS, &info, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (info.codec, ==, "H.264");
      g_assert_cmpstr (info.audio_codec, ==, "AAC");
      g_assert_cmpuint (info.width, ==, 320);
      g_assert_cmpuint (info.height, ==, 240);
      g_assert_cmpuint (info.duration_ms, >=, TEST_MEDIA_DURATION_MS - 100);
      g_assert_cmpuint (info.duration_ms, <=, TEST_MEDIA_DURATION_MS + 100);
    }
}

static void
test_cut_index_lost (void)
{
  g_autofree gchar *path = media_or_skip ("cut-index-lost");
  g_autoptr (GError) error = NULL;

  if (path == NULL)
    return;
  g_assert_false (docket_media_check_parse (path, TIMEOUT, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_clear_error (&error);
  g_assert_false (docket_media_check_index (path, 0, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
}

static void
test_cut_index_intact (void)
{
  g_autofree gchar *path = media_or_skip ("cut-index-intact");
  g_autoptr (GError) error = NULL;

  if (path == NULL)
    return;
  /* parse-only may pass this silently; the index check must not */
  g_assert_false (docket_media_check_index (path, 0, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_assert_nonnull (strstr (error->message, "cut short"));
}

/* mdat resized to the end of the file: only the sample table shows the cut. */
static void
test_cut_sample_table (void)
{
  g_autofree gchar *path = media_or_skip ("cut-index-intact-patched");
  g_autoptr (GError) error = NULL;

  if (path == NULL)
    return;
  g_assert_false (docket_media_check_index (path, 0, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_assert_nonnull (strstr (error->message, "index points to byte"));
}

static void
test_duration_mismatch (void)
{
  g_autofree gchar *path = media_or_skip ("good");
  g_autoptr (GError) error = NULL;

  if (path == NULL)
    return;
  g_assert_false (docket_media_check_index (path, 60000, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
}

static void
test_not_video (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("docket-media-XXXXXX", NULL);
  g_autofree gchar *junk = g_build_filename (dir, "junk", NULL);
  g_autofree gchar *empty = g_build_filename (dir, "empty", NULL);
  g_autoptr (GError) error = NULL;
  guint8 bytes[4096];

  for (gsize i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8)g_test_rand_int ();
  g_assert_true (g_file_set_contents (junk, (const gchar *)bytes, sizeof bytes, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));

  g_assert_false (docket_media_check_index (junk, 0, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_clear_error (&error);
  g_assert_false (docket_media_check_index (empty, 0, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
  g_clear_error (&error);
  g_assert_false (docket_media_check_parse (junk, TIMEOUT, NULL, &error));
  g_assert_nonnull (error);
  g_unlink (junk);
  g_unlink (empty);
  g_rmdir (dir);
}

/* Random damage to the index must give an answer, never a crash or hang
 * (run under ASan in the sanitizer build). */
static void
test_fuzz_index (void)
{
  g_autofree gchar *path = media_or_skip ("faststart");
  g_autofree gchar *dir = NULL;
  g_autofree gchar *victim = NULL;
  g_autofree gchar *orig = NULL;
  gsize len = 0;
  guint rejected = 0;

  if (path == NULL)
    return;
  g_assert_true (g_file_get_contents (path, &orig, &len, NULL));
  dir = g_dir_make_tmp ("docket-fuzz-XXXXXX", NULL);
  victim = g_build_filename (dir, "f.mp4", NULL);
  for (guint round = 0; round < 400; round++)
    {
      g_autofree gchar *data = g_memdup2 (orig, len);
      g_autoptr (GError) error = NULL;
      g_auto (DocketMp4Info) info = { 0 };
      /* the index sits in the first few KB of a faststart file */
      gsize span = MIN (len, (gsize)8192);
      guint flips = (guint)g_test_rand_int_range (1, 8);

      for (guint i = 0; i < flips; i++)
        {
          gsize at = (gsize)g_test_rand_int_range (0, (gint32)span);
          data[at] = (gchar)(g_test_rand_int_range (0, 4) == 0 ? 0xff : g_test_rand_int ());
        }
      g_assert_true (g_file_set_contents (victim, data, (gssize)len, NULL));
      if (!docket_mp4_read_index (victim, &info, &error))
        {
          g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
          rejected++;
        }
    }
  g_test_message ("%u of 400 damaged indexes rejected", rejected);
  g_assert_cmpuint (rejected, >, 0);
  g_unlink (victim);
  g_rmdir (dir);
}

static void
test_thumbnail (void)
{
  g_autofree gchar *path = media_or_skip ("good");
  g_autofree gchar *dir = NULL;
  g_autofree gchar *png = NULL;
  g_autofree gchar *data = NULL;
  g_autoptr (GError) error = NULL;
  gsize len = 0;

  if (path == NULL)
    return;
  dir = g_dir_make_tmp ("docket-thumb-XXXXXX", NULL);
  png = g_build_filename (dir, "t.png", NULL);
  g_assert_true (docket_media_make_thumbnail (path, png, 160, TIMEOUT, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (png, &data, &len, NULL));
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (data, 4, "\x89PNG", 4);
  g_unlink (png);
  g_rmdir (dir);
}

/* The same through the helper process; damage reported, not crashed on. */
static void
test_thumbnail_helper (void)
{
  const gchar *helper = g_getenv ("DOCKET_THUMBNAILER");
  g_autofree gchar *path = media_or_skip ("good");
  g_autofree gchar *dir = NULL;
  g_autofree gchar *png = NULL;
  g_autofree gchar *junk = NULL;
  g_autofree gchar *data = NULL;
  g_autoptr (GError) error = NULL;
  gsize len = 0;

  if (path == NULL)
    return;
  if (helper == NULL)
    {
      g_test_skip ("DOCKET_THUMBNAILER not set");
      return;
    }
  docket_media_set_thumbnail_helper (helper);
  dir = g_dir_make_tmp ("docket-thumb-XXXXXX", NULL);
  png = g_build_filename (dir, "t.png", NULL);
  junk = g_build_filename (dir, "junk.mp4", NULL);
  g_assert_true (docket_media_make_thumbnail (path, png, 160, TIMEOUT, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (png, &data, &len, NULL));
  g_assert_cmpmem (data, 4, "\x89PNG", 4);
  g_assert_true (g_file_set_contents (junk, "not a video at all", -1, NULL));
  g_assert_false (docket_media_make_thumbnail (junk, png, 160, TIMEOUT, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("junk: %s", error->message);
  docket_media_set_thumbnail_helper (NULL);
  g_unlink (png);
  g_unlink (junk);
  g_rmdir (dir);
}

typedef struct
{
  const gchar *path;
  const gchar *png;
} ThumbnailRun;

static gpointer
thumbnail_thread (gpointer data)
{
  ThumbnailRun *run = data;

  (void)docket_media_make_thumbnail (run->path, run->png, 160, TIMEOUT, NULL, NULL);
  return NULL;
}

/* Thumbnails (low priority, after the commit) take no helper slot: with
 * one per CPU stuck, a parse check still runs at once instead of finding
 * every helper busy. */
static void
test_thumbnails_leave_parse_slots (void)
{
  const gchar *helper = g_getenv ("DOCKET_THUMBNAILER");
  g_autofree gchar *path = media_or_skip ("good");
  g_autofree gchar *dir = NULL;
  g_autofree gchar *script = NULL;
  g_autofree gchar *text = NULL;
  g_autofree gchar *go = NULL;
  g_autofree gchar *png = NULL;
  g_autoptr (GPtrArray) threads = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  ThumbnailRun run;

  if (path == NULL)
    return;
  if (helper == NULL)
    {
      g_test_skip ("DOCKET_THUMBNAILER not set");
      return;
    }
  dir = g_dir_make_tmp ("docket-slots-XXXXXX", NULL);
  go = g_build_filename (dir, "go", NULL);
  png = g_build_filename (dir, "t.png", NULL);
  script = g_build_filename (dir, "helper", NULL);
  text = g_strdup_printf ("#!/bin/sh\n"
                          "if [ \"$1\" = thumbnail ]; then\n"
                          "  i=0; while [ ! -e '%s' ] && [ $i -lt 300 ]; do sleep 0.1; "
                          "i=$((i+1)); done\n"
                          "fi\n"
                          "exec '%s' \"$@\"\n",
                          go, helper);
  g_assert_true (g_file_set_contents (script, text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  docket_media_set_helper (script);
  run = (ThumbnailRun){ path, png };
  for (guint i = 0; i < MAX (1, g_get_num_processors ()); i++)
    g_ptr_array_add (threads, g_thread_new ("thumbnail", thumbnail_thread, &run));
  g_usleep (G_USEC_PER_SEC / 2); /* the thumbnails are waiting for "go" */
  /* Shorter than the thumbnails wait: with no slot it would fail BUSY. */
  g_assert_true (docket_media_check_parse (path, 10000, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (go, "", 0, NULL));
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  docket_media_set_helper (NULL);
  g_unlink (png);
  g_unlink (go);
  g_unlink (script);
  g_rmdir (dir);
}

static void
test_deep (void)
{
  g_autofree gchar *path = media_or_skip ("good");
  g_autoptr (GError) error = NULL;

  if (path == NULL)
    return;
  g_assert_true (docket_media_check_deep (path, TIMEOUT, NULL, &error));
  g_assert_no_error (error);
}

/* libav conceals damaged picture data; the deep check must still see it,
 * in-process and in the helper. */
static void
test_deep_damage (void)
{
  const gchar *kinds[] = { "flip-byte", "zeros" };
  const gchar *helper = g_getenv ("DOCKET_THUMBNAILER");

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    for (guint in_helper = 0; in_helper < 2; in_helper++)
      {
        g_autofree gchar *path = media_or_skip (kinds[i]);
        g_autoptr (GError) error = NULL;

        if (path == NULL)
          return;
        if (in_helper && helper == NULL)
          continue;
        docket_media_set_helper (in_helper ? helper : NULL);
        /* a parse alone passes: the damage is inside the pictures */
        g_assert_true (docket_media_check_parse (path, TIMEOUT, NULL, &error));
        g_assert_no_error (error);
        g_assert_false (docket_media_check_deep (path, TIMEOUT, NULL, &error));
        g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY);
        g_assert_nonnull (strstr (error->message, "The picture is damaged"));
        docket_media_set_helper (NULL);
      }
}

/* The helper locks itself in before it reads a file. */
static void
test_helper_sandbox (void)
{
  const gchar *helper = g_getenv ("DOCKET_THUMBNAILER");
  const gchar *argv[] = { helper, "self-test", "5000", "0", NULL };
  g_autofree gchar *out = NULL;
  g_autoptr (GError) error = NULL;
  gint status = 0;

  if (helper == NULL)
    {
      g_test_skip ("DOCKET_THUMBNAILER not set");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "network refused"));
  g_assert_nonnull (strstr (out, "exec refused"));
  g_assert_nonnull (strstr (out, "setuid refused"));
  if (getuid () == 0)
    g_assert_null (strstr (out, "uid 0\n"));
}

static void
test_watchdog (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline
      = gst_parse_launch ("videotestsrc is-live=true ! fakesink", &error);

  g_assert_no_error (error);
  g_assert_false (docket_media_run_pipeline (pipeline, 300, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT);
}

static void
test_cancel (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GstElement) pipeline
      = gst_parse_launch ("videotestsrc is-live=true ! fakesink", &error);

  g_cancellable_cancel (cancellable);
  g_assert_false (docket_media_run_pipeline (pipeline, 60000, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/media-check/good", test_good);
  g_test_add_func ("/media-check/cut-index-lost", test_cut_index_lost);
  g_test_add_func ("/media-check/cut-index-intact", test_cut_index_intact);
  g_test_add_func ("/media-check/cut-sample-table", test_cut_sample_table);
  g_test_add_func ("/media-check/duration-mismatch", test_duration_mismatch);
  g_test_add_func ("/media-check/not-video", test_not_video);
  g_test_add_func ("/media-check/fuzz-index", test_fuzz_index);
  g_test_add_func ("/media-check/thumbnail", test_thumbnail);
  g_test_add_func ("/media-check/thumbnail-helper", test_thumbnail_helper);
  g_test_add_func ("/media-check/thumbnails-leave-parse-slots", test_thumbnails_leave_parse_slots);
  g_test_add_func ("/media-check/deep", test_deep);
  g_test_add_func ("/media-check/deep-damage", test_deep_damage);
  g_test_add_func ("/media-check/helper-sandbox", test_helper_sandbox);
  g_test_add_func ("/media-check/watchdog", test_watchdog);
  g_test_add_func ("/media-check/cancel", test_cancel);
  return g_test_run ();
}
