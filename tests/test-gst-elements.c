/* test-gst-elements.c — docketcamerasrc, docketsha256, docketstagingsink
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* sync_file_range */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/check/gstharness.h>
#include <gst/gst.h>
#include <openssl/evp.h>

#include "docket-error.h"
#include "docket-file-camera.h"
#include "docket-gst.h"
#include "docket-sha256.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstHarness, gst_harness_teardown)

typedef struct
{
  gchar *dir;
  gchar *payload_path;
  guint8 *payload;
  gsize payload_len;
  DocketFileCamera *camera;
  guint32 id;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *camdir = NULL;

  f->dir = g_dir_make_tmp ("docket-gst-XXXXXX", &error);
  g_assert_no_error (error);
  /* 3.5 MiB: several source blocks, not a multiple of the block size */
  f->payload_len = 3 * 1024 * 1024 + 512 * 1024 + 17;
  f->payload = g_malloc (f->payload_len);
  for (gsize i = 0; i < f->payload_len; i++)
    f->payload[i] = (guint8)(i * 131 + (i >> 13));
  f->payload_path = g_build_filename (f->dir, "payload.bin", NULL);
  g_assert_true (g_file_set_contents (f->payload_path, (const gchar *)f->payload,
                                      (gssize)f->payload_len, &error));
  camdir = g_build_filename (f->dir, "camera", NULL);
  f->camera = docket_file_camera_create (camdir, "GST-CAM", &error);
  g_assert_no_error (error);
  g_assert_true (
      docket_file_camera_add_recording (f->camera, f->payload_path, 0, 0, FALSE, &f->id, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_clear_object (&f->camera);
  g_free (f->payload);
  g_free (f->payload_path);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

static gchar *
sha256_hex (const guint8 *data, gsize len)
{
  guint8 md[32];
  unsigned int md_len = 0;

  EVP_Digest (data, len, md, &md_len, EVP_sha256 (), NULL);
  return docket_sha256_to_hex (md);
}

static void
test_sha256_harness (Fixture *f, gconstpointer data)
{
  g_autoptr (GstHarness) h = gst_harness_new ("docketsha256");
  g_autofree gchar *digest = NULL;
  g_autofree gchar *expected = sha256_hex (f->payload, f->payload_len);
  guint64 bytes = 0;
  gsize off = 0;

  gst_harness_set_src_caps_str (h, "application/octet-stream");
  while (off < f->payload_len)
    {
      gsize n = MIN ((gsize)100000, f->payload_len - off);
      GstBuffer *in = gst_buffer_new_memdup (f->payload + off, n);
      GstBuffer *out;

      g_assert_cmpint (gst_harness_push (h, in), ==, GST_FLOW_OK);
      out = gst_harness_pull (h);
      /* passthrough, in place: the very same buffer comes out */
      g_assert_true (out == in);
      gst_buffer_unref (out);
      off += n;
    }
  g_assert_true (gst_harness_push_event (h, gst_event_new_eos ()));
  g_object_get (h->element, "digest", &digest, "bytes", &bytes, NULL);
  g_assert_cmpstr (digest, ==, expected);
  g_assert_cmpuint (bytes, ==, f->payload_len);
}

static void
test_sha256_prefix (Fixture *f, gconstpointer data)
{
  g_autoptr (GstHarness) h = gst_harness_new ("docketsha256");
  g_autofree gchar *digest = NULL;
  g_autofree gchar *expected = sha256_hex (f->payload, f->payload_len);
  gsize split = 1000003;

  /* the harness starts the element at once: restart it with the prefix set */
  gst_element_set_state (h->element, GST_STATE_NULL);
  g_object_set (h->element, "prefix-location", f->payload_path, "prefix-size", (guint64)split,
                NULL);
  gst_element_set_state (h->element, GST_STATE_PLAYING);
  gst_harness_set_src_caps_str (h, "application/octet-stream");
  g_assert_cmpint (
      gst_harness_push (h, gst_buffer_new_memdup (f->payload + split, f->payload_len - split)), ==,
      GST_FLOW_OK);
  gst_buffer_unref (gst_harness_pull (h));
  g_assert_true (gst_harness_push_event (h, gst_event_new_eos ()));
  g_object_get (h->element, "digest", &digest, NULL);
  g_assert_cmpstr (digest, ==, expected);
}

/* Runs camera → sha256 → staging sink; returns the bus's last message.
 * @sync_every: the sink's, or G_MAXUINT64 to leave its default;
 * @out_flushed: the bytes the sink started writing back before EOS. */
static GstMessage *
run_copy_full (Fixture *f,
               guint32 id,
               guint64 offset,
               guint64 size,
               const gchar *staging,
               gboolean append,
               guint64 sync_every,
               gboolean sync_at_eos,
               gchar **out_digest,
               guint64 *out_flushed)
{
  g_autoptr (GstElement) pipeline = gst_pipeline_new (NULL);
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  GstElement *src = gst_element_factory_make ("docketcamerasrc", NULL);
  GstElement *sha = gst_element_factory_make ("docketsha256", NULL);
  GstElement *sink = gst_element_factory_make ("docketstagingsink", NULL);
  GstMessage *msg;

  g_assert_nonnull (src);
  g_object_set (src, "driver", f->camera, "recording-id", id, "offset", offset, "size", size, NULL);
  if (append && offset > 0)
    g_object_set (sha, "prefix-location", staging, "prefix-size", offset, NULL);
  g_object_set (sink, "location", staging, "append", append, "sync-at-eos", sync_at_eos, NULL);
  if (sync_every != G_MAXUINT64)
    g_object_set (sink, "sync-every", sync_every, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, sha, sink, NULL);
  g_assert_true (gst_element_link_many (src, sha, sink, NULL));
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  if (out_digest != NULL)
    g_object_get (sha, "digest", out_digest, NULL);
  if (out_flushed != NULL)
    g_object_get (sink, "bytes-flushed", out_flushed, NULL);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return msg;
}

static GstMessage *
run_copy (Fixture *f,
          guint32 id,
          guint64 offset,
          guint64 size,
          const gchar *staging,
          gboolean append,
          gchar **out_digest)
{
  return run_copy_full (f, id, offset, size, staging, append, G_MAXUINT64, TRUE, out_digest, NULL);
}

static void
assert_file_equals (const gchar *path, const guint8 *data, gsize len)
{
  g_autofree gchar *contents = NULL;
  gsize got = 0;

  g_assert_true (g_file_get_contents (path, &contents, &got, NULL));
  g_assert_cmpuint (got, ==, len);
  g_assert_true (memcmp (contents, data, len) == 0);
}

static void
test_copy (Fixture *f, gconstpointer data)
{
  g_autofree gchar *staging = g_build_filename (f->dir, "copy.part", NULL);
  g_autofree gchar *digest = NULL;
  g_autofree gchar *expected = sha256_hex (f->payload, f->payload_len);
  g_autoptr (GstMessage) msg = run_copy (f, f->id, 0, f->payload_len, staging, FALSE, &digest);

  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  g_assert_cmpstr (digest, ==, expected);
  assert_file_equals (staging, f->payload, f->payload_len);
}

/* A copy cut by an undock resumes from what is on disk; the digest covers
 * the whole file. */
static void
test_undock_and_resume (Fixture *f, gconstpointer data)
{
  g_autofree gchar *staging = g_build_filename (f->dir, "resume.part", NULL);
  g_autofree gchar *digest = NULL;
  g_autofree gchar *expected = sha256_hex (f->payload, f->payload_len);
  g_autoptr (GstMessage) msg = NULL;
  const GstStructure *details = NULL;
  g_autoptr (GError) error = NULL;
  GStatBuf st;
  gint code = -1;

  docket_file_camera_set_fail_after (f->camera, 1500000);
  msg = run_copy (f, f->id, 0, f->payload_len, staging, FALSE, NULL);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_ERROR);
  gst_message_parse_error_details (msg, &details);
  g_assert_nonnull (details);
  g_assert_true (gst_structure_get_int (details, "docket-error-code", &code));
  g_assert_cmpint (code, ==, DOCKET_ERROR_DISCONNECTED);
  gst_message_parse_error (msg, &error, NULL);
  g_assert_nonnull (strstr (error->message, "undocked"));

  g_assert_cmpint (g_stat (staging, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);
  g_assert_cmpint (st.st_size, <, (goffset)f->payload_len);

  docket_file_camera_reconnect (f->camera);
  g_clear_pointer (&msg, gst_message_unref);
  msg = run_copy (f, f->id, (guint64)st.st_size, f->payload_len, staging, TRUE, &digest);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  g_assert_cmpstr (digest, ==, expected);
  assert_file_equals (staging, f->payload, f->payload_len);
}

/* eos-on-error: an undock ends the stream, so what was read is written and
 * synced, and the failure arrives as an element message. */
static void
test_eos_on_error (Fixture *f, gconstpointer data)
{
  g_autofree gchar *staging = g_build_filename (f->dir, "eos.part", NULL);
  g_autoptr (GstElement) pipeline = gst_pipeline_new (NULL);
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  GstElement *src = gst_element_factory_make ("docketcamerasrc", NULL);
  GstElement *sink = gst_element_factory_make ("docketstagingsink", NULL);
  g_autofree gchar *contents = NULL;
  gboolean saw_camera_error = FALSE;
  gboolean saw_eos = FALSE;
  gsize len = 0;

  docket_file_camera_set_fail_after (f->camera, 1500000);
  g_object_set (src, "driver", f->camera, "recording-id", f->id, "size", (guint64)f->payload_len,
                "eos-on-error", TRUE, NULL);
  g_object_set (sink, "location", staging, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, sink, NULL);
  g_assert_true (gst_element_link (src, sink));
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (!saw_eos)
    {
      g_autoptr (GstMessage) msg = gst_bus_timed_pop_filtered (
          bus, 30 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);
      g_assert_nonnull (msg);
      g_assert_cmpint (GST_MESSAGE_TYPE (msg), !=, GST_MESSAGE_ERROR);
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT
          && gst_structure_has_name (gst_message_get_structure (msg), "docket-camera-error"))
        {
          gint code = -1;
          g_assert_false (saw_eos);
          g_assert_true (gst_structure_get_int (gst_message_get_structure (msg), "code", &code));
          g_assert_cmpint (code, ==, DOCKET_ERROR_DISCONNECTED);
          saw_camera_error = TRUE;
        }
      saw_eos = GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_assert_true (saw_camera_error);
  g_assert_true (g_file_get_contents (staging, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, 1500000 - 1);
  g_assert_true (memcmp (contents, f->payload, len) == 0);
}

/* The sink starts the disk writing while the stream runs (not all of it
 * at the fdatasync of EOS), only for what it wrote itself, and the copy is
 * the same; sync-every=0 leaves everything to EOS. */
static void
test_writeback_while_streaming (Fixture *f, gconstpointer data)
{
  g_autofree gchar *staging = g_build_filename (f->dir, "writeback.part", NULL);
  g_autofree gchar *expected = sha256_hex (f->payload, f->payload_len);
  guint64 every = 512 * 1024, flushed = 0, half = f->payload_len / 2;
  GstMessage *msg;
  gchar *digest = NULL;
  GStatBuf st;
  int fd = g_open (f->payload_path, O_RDONLY | O_CLOEXEC, 0);

  /* A file system without it leaves everything to the fdatasync at EOS. */
  g_assert_cmpint (fd, >=, 0);
  if (sync_file_range (fd, 0, 0, SYNC_FILE_RANGE_WRITE) < 0 && (errno == EINVAL || errno == ENOSYS))
    {
      close (fd);
      g_test_skip ("no sync_file_range() on this file system");
      return;
    }
  close (fd);

  msg = run_copy_full (f, f->id, 0, f->payload_len, staging, FALSE, every, TRUE, &digest, &flushed);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_message_unref (msg);
  g_assert_cmpstr (digest, ==, expected);
  g_clear_pointer (&digest, g_free);
  assert_file_equals (staging, f->payload, f->payload_len);
  g_assert_cmpuint (flushed, >, f->payload_len - every);
  g_assert_cmpuint (flushed, <=, f->payload_len);

  /* A resumed copy: only the bytes this run appends. */
  g_assert_cmpint (truncate (staging, (off_t)half), ==, 0);
  msg = run_copy_full (f, f->id, half, f->payload_len, staging, TRUE, every, TRUE, &digest,
                       &flushed);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_message_unref (msg);
  g_assert_cmpstr (digest, ==, expected);
  g_clear_pointer (&digest, g_free);
  assert_file_equals (staging, f->payload, f->payload_len);
  g_assert_cmpuint (flushed, >, f->payload_len - half - every);
  g_assert_cmpuint (flushed, <=, f->payload_len - half);

  g_assert_cmpint (g_unlink (staging), ==, 0);
  msg = run_copy_full (f, f->id, 0, f->payload_len, staging, FALSE, 0, TRUE, NULL, &flushed);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_message_unref (msg);
  g_assert_cmpuint (flushed, ==, 0);
  g_assert_cmpint (g_stat (staging, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, f->payload_len);

  /* sync-at-eos off: EOS starts the writing of all that is left and goes
   * on; the caller makes the file durable. */
  g_assert_cmpint (g_unlink (staging), ==, 0);
  msg = run_copy_full (f, f->id, 0, f->payload_len, staging, FALSE, 0, FALSE, &digest, &flushed);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_message_unref (msg);
  g_assert_cmpstr (digest, ==, expected);
  g_clear_pointer (&digest, g_free);
  assert_file_equals (staging, f->payload, f->payload_len);
  g_assert_cmpuint (flushed, ==, f->payload_len);
}

static void
test_bad_offset (Fixture *f, gconstpointer data)
{
  g_autofree gchar *staging = g_build_filename (f->dir, "bad.part", NULL);
  g_autoptr (GstMessage) msg = run_copy (f, f->id, 10, 5, staging, FALSE, NULL);

  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_ERROR);
}

static void
test_no_such_recording (Fixture *f, gconstpointer data)
{
  g_autofree gchar *staging = g_build_filename (f->dir, "none.part", NULL);
  g_autoptr (GstMessage) msg = run_copy (f, 999, 0, 100, staging, FALSE, NULL);
  const GstStructure *details = NULL;
  gint code = -1;

  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_ERROR);
  gst_message_parse_error_details (msg, &details);
  g_assert_true (gst_structure_get_int (details, "docket-error-code", &code));
  g_assert_cmpint (code, ==, DOCKET_ERROR_NOT_FOUND);
}

/* The camera delivers less than it claimed: EOS, and the short copy is left
 * for the size/hash checks to reject. */
static void
test_short_camera (Fixture *f, gconstpointer data)
{
  g_autofree gchar *staging = g_build_filename (f->dir, "short.part", NULL);
  g_autoptr (GstMessage) msg = run_copy (f, f->id, 0, f->payload_len + 4096, staging, FALSE, NULL);

  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  assert_file_equals (staging, f->payload, f->payload_len);
}

static void
test_sink_unwritable (Fixture *f, gconstpointer data)
{
  g_autofree gchar *staging = g_build_filename (f->dir, "no-such-dir", "x.part", NULL);
  g_autoptr (GstMessage) msg = run_copy (f, f->id, 0, f->payload_len, staging, FALSE, NULL);

  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_ERROR);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_assert_true (docket_gst_register ());
  g_assert_true (docket_gst_register ()); /* idempotent */
#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/gst/sha256/harness", test_sha256_harness);
  ADD ("/gst/sha256/prefix", test_sha256_prefix);
  ADD ("/gst/copy", test_copy);
  ADD ("/gst/undock-and-resume", test_undock_and_resume);
  ADD ("/gst/eos-on-error", test_eos_on_error);
  ADD ("/gst/writeback-while-streaming", test_writeback_while_streaming);
  ADD ("/gst/bad-offset", test_bad_offset);
  ADD ("/gst/no-such-recording", test_no_such_recording);
  ADD ("/gst/short-camera", test_short_camera);
  ADD ("/gst/sink-unwritable", test_sink_unwritable);
  return g_test_run ();
}
