/* docket-offload-recording.c — one recording: copy, verify, commit or quarantine, erase
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs in the job's worker thread.
 */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "docket-error.h"
#include "docket-offload-job-private.h"
#include "docket-sha256.h"
#include "docket-signature.h"

#define POLL_USEC (100 * G_TIME_SPAN_MILLISECOND)
#define THUMBNAIL_WIDTH 320
#define MAX_QUARANTINES 2

/* The camera's name is untrusted: valid UTF-8, printable, bounded. */
static gchar *
display_name (const DocketRecordingInfo *info)
{
  g_autofree gchar *valid = g_utf8_make_valid (info->name != NULL ? info->name : "", -1);
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const gchar *p = valid; *p != '\0' && n < 128; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);
      g_string_append_unichar (out, g_unichar_isprint (c) ? c : 0xfffd);
    }
  if (out->len == 0)
    g_string_printf (out, _ ("Recording %u"), info->id);
  return g_string_free (out, FALSE);
}

static guint64
file_size (const gchar *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (guint64)st.st_size : 0;
}

static GstElement *
make (const gchar *factory, GError **error)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  if (e == NULL)
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                 _ ("The GStreamer element “%s” is missing (was docket_gst_register() called?)"),
                 factory);
  return e;
}

static void
error_from_message (GstMessage *msg, GError **error)
{
  g_autoptr (GError) gst_error = NULL;
  g_autofree gchar *debug = NULL;
  const GstStructure *details = NULL;
  gint code = -1;

  gst_message_parse_error (msg, &gst_error, &debug);
  gst_message_parse_error_details (msg, &details);
  g_debug ("copy failed: %s (%s)", gst_error->message, debug);
  if (g_error_matches (gst_error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NO_SPACE_LEFT))
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NO_SPACE,
                 _ ("The evidence store's disk is full. Offload is paused and nothing was erased "
                    "from the camera; it resumes when space is freed."));
  else if (details != NULL && gst_structure_get_int (details, "docket-error-code", &code))
    g_set_error_literal (error, DOCKET_ERROR, code, gst_error->message);
  else
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, _ ("Copying failed: %s"),
                 gst_error->message);
}

/* The staging sink's input, exactly what it writes: the index check walks
 * it as it passes (in the sink's streaming thread). */
static GstPadProbeReturn
feed_index (GstPad *pad, GstPadProbeInfo *probe, gpointer user_data)
{
  DocketMp4Stream *index = user_data;
  GstBufferList *list = NULL;
  GstBuffer *buffer = NULL;
  guint n = 1;

  if (probe->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    {
      list = GST_PAD_PROBE_INFO_BUFFER_LIST (probe);
      n = gst_buffer_list_length (list);
    }
  else
    buffer = GST_PAD_PROBE_INFO_BUFFER (probe);
  for (guint i = 0; i < n; i++)
    {
      GstBuffer *b = list != NULL ? gst_buffer_list_get (list, i) : buffer;
      GstMapInfo map;

      if (b != NULL && gst_buffer_map (b, &map, GST_MAP_READ))
        {
          docket_mp4_stream_feed (index, map.data, map.size);
          gst_buffer_unmap (b, &map);
        }
    }
  return GST_PAD_PROBE_OK;
}

/* camera → sha256 → queue → staging sink, from @offset. The queue lets the
 * disk write overlap the camera read and the hash; @index walks the boxes
 * of what is written. */
static gchar *
copy_range (DocketOffloadJob *self,
            const DocketRecordingInfo *info,
            const gchar *staging,
            guint64 offset,
            guint64 done_before,
            DocketMp4Stream *index,
            GCancellable *cancellable,
            GError **error)
{
  g_autoptr (GstElement) pipeline = gst_pipeline_new (NULL);
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  g_autofree gchar *digest = NULL;
  GstElement *src, *sha, *queue, *sink;
  guint64 last_written = 0;
  gint64 last_move = g_get_monotonic_time ();
  gboolean done = FALSE;
  g_autoptr (GError) camera_error = NULL;

  if ((src = make ("docketcamerasrc", error)) == NULL)
    return NULL;
  sha = gst_element_factory_make ("docketsha256", NULL);
  queue = gst_element_factory_make ("queue", NULL);
  sink = gst_element_factory_make ("docketstagingsink", NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, sha, queue, sink, NULL);
  if (sha == NULL || queue == NULL || sink == NULL
      || !gst_element_link_many (src, sha, queue, sink, NULL))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   _ ("The copy pipeline could not be built (was docket_gst_register() called?)"));
      return NULL;
    }
  g_object_set (src, "driver", self->driver, "recording-id", info->id, "offset", offset, "size",
                info->size, "eos-on-error", TRUE, NULL);
  if (offset > 0)
    g_object_set (sha, "prefix-location", staging, "prefix-size", offset, NULL);
  g_object_set (queue, "max-size-buffers", 0, "max-size-time", (guint64)0, "max-size-bytes",
                2 * 1024 * 1024, NULL);
  /* No fdatasync at EOS: the commit syncs the file before it enters the
   * store (the check stage, while the camera already sends the next one);
   * nothing is erased before that commit. */
  g_object_set (sink, "location", staging, "append", offset > 0, "sync-at-eos", FALSE, NULL);
  if (index != NULL)
    {
      g_autoptr (GstPad) pad = gst_element_get_static_pad (sink, "sink");

      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                         feed_index, index, NULL);
    }

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr (GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      if (msg != NULL)
        error_from_message (msg, error);
      else
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, _ ("The copy could not start"));
      gst_element_set_state (pipeline, GST_STATE_NULL);
      return NULL;
    }

  while (!done)
    {
      g_autoptr (GstMessage) msg = NULL;
      guint64 written = 0;
      gint64 now;

      msg = gst_bus_timed_pop_filtered (bus, POLL_USEC * GST_USECOND,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);
      if (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT)
        {
          const GstStructure *s = gst_message_get_structure (msg);
          gint code = DOCKET_ERROR_FAILED;

          /* The camera failed; EOS follows once what was read is synced. */
          if (gst_structure_has_name (s, "docket-camera-error") && camera_error == NULL)
            {
              gst_structure_get_int (s, "code", &code);
              camera_error = g_error_new_literal (DOCKET_ERROR, code,
                                                  gst_structure_get_string (s, "message"));
            }
        }
      else if (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS)
        {
          if (camera_error != NULL)
            g_propagate_error (error, g_steal_pointer (&camera_error));
          else
            g_object_get (sha, "digest", &digest, NULL);
          done = TRUE;
        }
      else if (msg != NULL)
        {
          error_from_message (msg, error);
          done = TRUE;
        }
      else if (g_cancellable_set_error_if_cancelled (cancellable, error))
        done = TRUE;

      g_object_get (sink, "bytes-written", &written, NULL);
      now = g_get_monotonic_time ();
      if (written != last_written)
        {
          last_written = written;
          last_move = now;
        }
      else if (!done && now - last_move > (gint64)self->stall_timeout_ms * 1000)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT,
                       _ ("The camera stopped sending data; the partial copy is kept and the "
                          "offload resumes on the next dock"));
          done = TRUE;
        }
      self->reports.progress (self, done_before + offset + written, FALSE);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return g_steal_pointer (&digest);
}

/* Erase a committed recording from the camera when policy says so. Failing
 * to erase loses nothing: the next dock finds it committed and retries. */
static gboolean
erase_from_camera (DocketOffloadJob *self,
                   const DocketStoredRecording *rec,
                   GCancellable *cancellable,
                   GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (!self->delete_after)
    return TRUE;
  /* Intent first: the erase itself cannot be in the same transaction. */
  if (!docket_evidence_store_record_camera_erase_intent (self->store, rec, self->actor, error))
    return FALSE;
  if (!docket_camera_driver_delete_recording (self->driver, rec->camera_recording_id, cancellable,
                                              &local_error))
    {
      if (g_error_matches (local_error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED)
          || g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_warning ("Could not erase recording %u from camera %s: %s", rec->camera_recording_id,
                 rec->camera_serial, local_error->message);
      return TRUE;
    }
  return docket_evidence_store_record_camera_deletion (self->store, rec, self->actor, error);
}

/* Erase is off: say once, when the recording is first stored, why it stays
 * on the camera. A later dock finds it stored and adds nothing. */
static gboolean
record_kept_on_camera (DocketOffloadJob *self, const DocketStoredRecording *rec, GError **error)
{
  g_autofree gchar *subject = g_strdup_printf ("recording:%s", rec->sha256);
  g_autofree gchar *reason = g_strdup_printf (
      _ ("Kept on the camera after a verified copy: %s"),
      self->keep_reason != NULL ? self->keep_reason
                                : _ ("erasing after offload is switched off for this station"));
  GVariantDict details;

  g_variant_dict_init (&details, NULL);
  g_variant_dict_insert (&details, "camera-serial", "s", rec->camera_serial);
  g_variant_dict_insert (&details, "camera-recording-id", "u", rec->camera_recording_id);
  g_variant_dict_insert (&details, "id", "x", rec->id);
  return docket_audit_log_append (docket_evidence_store_get_audit_log (self->store), self->actor,
                                  "recording-kept-on-camera", subject, reason,
                                  g_variant_dict_end (&details), error)
         > 0;
}

static DocketStoredRecording *
new_row (DocketOffloadJob *self, const DocketRecordingInfo *info, const gchar *name)
{
  DocketStoredRecording *rec = docket_stored_recording_new ();

  rec->camera_serial = g_strdup (self->identity.serial);
  rec->camera_recording_id = info->id;
  rec->name = g_strdup (name);
  rec->officer = g_strdup (self->officer);
  rec->start_usec = info->start_usec;
  rec->duration_ms = info->duration_ms;
  rec->size = info->size;
  rec->camera_sha256 = docket_sha256_to_hex (info->sha256);
  rec->clock_drift_ms = self->drift_ms;
  rec->offload_run_id = self->run_id;
  rec->camera_signature = docket_hex_encode (info->signature, sizeof info->signature);
  rec->deep_check_due = self->deep_check_owed;
  return rec;
}

/* A media helper overran its time on @name and was stopped: counted for
 * the job's end, and reported now so the camera shows it at once. */
static void
note_wedged (DocketOffloadJob *self, const gchar *name, const GError *check_error)
{
  g_mutex_lock (&self->lock);
  self->wedged++;
  g_mutex_unlock (&self->lock);
  self->reports.wedged (self, name, check_error->message);
}

/* Sets what the camera recorded wrong, for a bit-exact copy. */
static void
set_condition (DocketStoredRecording *rec, const gchar *condition, const gchar *reason)
{
  g_free (rec->condition);
  g_free (rec->condition_reason);
  rec->condition = g_strdup (condition);
  rec->condition_reason = g_strdup (reason);
}

/* The checks, in order. Returns a transfer problem in plain words (the copy
 * is not what the camera holds: quarantine), or NULL when the copy is
 * bit-exact; media damage that was already on the camera then goes into
 * @rec->condition, and the copy is evidence all the same. @error only for
 * cancellation. */
/* generous for big files: parse runs at ~1 GB/s cold */
static guint
parse_timeout (DocketOffloadJob *self, const DocketRecordingInfo *info)
{
  return self->check_timeout_ms + (guint)MIN (info->size / 50000, (guint64)G_MAXUINT / 2);
}

static gchar *
verify_copy (DocketOffloadJob *self,
             const DocketRecordingInfo *info,
             const gchar *staging,
             const gchar *digest,
             DocketMp4Stream *index,
             DocketMediaCheckStarted **parse,
             DocketStoredRecording *rec,
             DocketMediaInfo *media,
             GCancellable *cancellable,
             GError **error)
{
  g_autoptr (GError) check_error = NULL;
  guint64 size = file_size (staging);
  const gchar *condition = NULL;
  gint64 t0, t1;
  gboolean ok;
  guint timeout;

  if (size != info->size)
    {
      g_autofree gchar *claimed = g_strdup_printf ("%" G_GUINT64_FORMAT, info->size);
      return g_strdup_printf (_ ("The camera said the recording has %s bytes but sent %" PRIu64),
                              claimed, size);
    }
  if (g_strcmp0 (digest, rec->camera_sha256) != 0)
    return g_strdup (_ ("The copy's SHA-256 does not match the camera's: the data changed on the "
                        "way or on the camera"));
  if (!docket_signature_verify (self->identity.serial, info, self->identity.public_key,
                                &check_error))
    {
      rec->signature_status = g_strdup (DOCKET_SIGNATURE_STATUS_INVALID);
      return g_strdup_printf (_ ("The camera's signature on this recording does not verify: %s"),
                              check_error->message);
    }
  rec->signature_status = g_strdup (DOCKET_SIGNATURE_STATUS_VALID);

  /* From here the copy is exactly what the camera signed. Docket's own
   * index reader first: it says best what is wrong with a broken file. */
  t0 = g_get_monotonic_time ();
  /* Walked while it was copied: only the verdict is left. A stream that
   * did not see every byte of the file (it should) gives way to the file. */
  if (index != NULL && docket_mp4_stream_get_position (index) == size)
    ok = docket_media_check_index_stream (index, info->duration_ms, media, &condition,
                                          &check_error);
  else
    ok = docket_media_check_index_full (staging, info->duration_ms, media, &condition,
                                        &check_error);
  t1 = g_get_monotonic_time ();
  g_debug ("%s: index check %.3f s%s", rec->name, (t1 - t0) / 1e6,
           index != NULL && docket_mp4_stream_get_position (index) == size ? " (on the stream)"
                                                                           : "");
  if (!ok)
    {
      set_condition (rec, condition, check_error->message);
      return NULL;
    }
  timeout = parse_timeout (self, info);
  ok = docket_media_check_parse_started (g_steal_pointer (parse), staging, timeout, cancellable,
                                         &check_error);
  g_debug ("%s: parse check %.3f s", rec->name, (g_get_monotonic_time () - t1) / 1e6);
  if (!ok)
    {
      if (g_error_matches (check_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&check_error));
          return NULL;
        }
      /* Other helpers hung, or none could be used: not this file's fault;
       * the deep check decodes it later. */
      if (g_error_matches (check_error, G_IO_ERROR, G_IO_ERROR_BUSY)
          || g_error_matches (check_error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED))
        g_warning ("%s: parse check skipped: %s", rec->name, check_error->message);
      else
        {
          if (g_error_matches (check_error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT))
            note_wedged (self, rec->name, check_error);
          set_condition (rec, DOCKET_CONDITION_NOT_PLAYABLE, check_error->message);
        }
    }
  return NULL;
}

static gboolean
quarantine (DocketOffloadJob *self,
            DocketStoredRecording *rec,
            const gchar *staging,
            const gchar *digest,
            gchar *problem,
            GError **error)
{
  rec->sha256 = g_strdup (digest != NULL ? digest : "");
  rec->problem = problem;
  if (rec->signature_status == NULL)
    rec->signature_status = g_strdup ("unchecked");
  if (!docket_evidence_store_quarantine (self->store, staging, rec, self->actor, error))
    return FALSE;
  g_mutex_lock (&self->lock);
  self->quarantined++;
  self->files_done++;
  g_mutex_unlock (&self->lock);
  self->reports.quarantined (self, rec->name, rec->problem);
  return TRUE;
}

void
docket_offload_staged_free (DocketOffloadStaged *st)
{
  if (st == NULL)
    return;
  docket_recording_info_free (st->info);
  g_free (st->name);
  g_free (st->staging);
  g_free (st->digest);
  docket_mp4_stream_free (st->index);
  docket_media_check_started_free (st->parse);
  g_free (st);
}

gboolean
_docket_offload_recording_copy (DocketOffloadJob *self,
                                const DocketRecordingInfo *info,
                                DocketOffloadStaged **out_staged,
                                GCancellable *cancellable,
                                GError **error)
{
  g_autofree gchar *name = display_name (info);
  g_autofree gchar *claimed = docket_sha256_to_hex (info->sha256);
  g_autofree gchar *staging = NULL;
  g_autofree gchar *digest = NULL;
  g_autoptr (DocketMp4Stream) index = NULL;
  g_autoptr (DocketMediaCheckStarted) parse = NULL;
  g_autoptr (DocketStoredRecording) existing = NULL;
  g_autoptr (GError) local_error = NULL;
  DocketOffloadStaged *st;
  guint64 done_before;
  guint64 staged;
  gint quarantines;

  *out_staged = NULL;
  g_mutex_lock (&self->lock);
  g_free (self->current);
  self->current = g_strdup (name);
  done_before = self->bytes_done;
  g_mutex_unlock (&self->lock);

  staging = docket_evidence_store_get_staging_path (self->store, self->identity.serial, info->id);

  /* Committed earlier (a crash or undock after the commit): only the
   * erase is left to do. */
  existing = docket_evidence_store_find_recording (self->store, self->identity.serial, info->id,
                                                   claimed, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing != NULL)
    {
      (void)g_unlink (staging);
      if (!erase_from_camera (self, existing, cancellable, error))
        return FALSE;
      g_mutex_lock (&self->lock);
      self->files_done++;
      self->verified++;
      g_mutex_unlock (&self->lock);
      self->reports.progress (self, done_before + info->size, FALSE);
      return TRUE;
    }

  /* A recording that failed twice is bad on the camera, not in transit:
   * copying it again each dock would only fill the quarantine. */
  quarantines = docket_evidence_store_count_quarantined (self->store, self->identity.serial,
                                                         info->id, claimed, error);
  if (quarantines < 0)
    return FALSE;
  if (quarantines >= MAX_QUARANTINES)
    {
      g_mutex_lock (&self->lock);
      self->quarantined++;
      self->files_done++;
      g_mutex_unlock (&self->lock);
      self->reports.quarantined (
          self, name,
          _ ("This recording failed verification twice before; it stays on the camera for IT"));
      self->reports.progress (self, done_before + info->size, FALSE);
      return TRUE;
    }

  staged = file_size (staging);
  if (staged > info->size)
    {
      (void)g_unlink (staging); /* not this recording's bytes */
      staged = 0;
    }
  if (!docket_evidence_store_check_space (self->store, info->size - staged, error))
    return FALSE;
  /* A crash between "make read-only" and the rename into the store leaves
   * a read-only partial; appending to it must still work. */
  if (staged > 0 && staged < info->size)
    (void)g_chmod (staging, 0600);

  /* The parse check's helper starts up (GStreamer, its plugins) while the
   * copy runs; it gets the file at the end. */
  if (staged < info->size)
    parse = docket_media_check_parse_start (parse_timeout (self, info));

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr (GError) walk_error = NULL;

      g_clear_pointer (&digest, g_free);
      /* The index check walks the bytes as they are written; what a resumed
       * copy staged before, it reads back (box headers and the index only). */
      g_clear_pointer (&index, docket_mp4_stream_free);
      index = docket_mp4_stream_new ();
      if (staged > 0 && !docket_mp4_stream_feed_file (index, staging, staged, &walk_error))
        {
          g_debug ("%s: index check from the file: %s", name, walk_error->message);
          g_clear_pointer (&index, docket_mp4_stream_free);
        }
      if (info->size == 0)
        {
          guint8 md[DOCKET_SHA256_LEN];
          if (!g_file_set_contents (staging, "", 0, error)
              || !docket_sha256_file (staging, G_MAXUINT64, md, NULL, error))
            return FALSE;
          digest = docket_sha256_to_hex (md);
        }
      else if (staged < info->size)
        {
          gint64 t0 = g_get_monotonic_time ();

          g_debug ("%s: copy starts", name);
          digest = copy_range (self, info, staging, staged, done_before, index, cancellable, error);
          if (digest == NULL)
            return FALSE; /* partial copy kept for the next dock */
          g_debug ("%s: copy %.2f s", name, (g_get_monotonic_time () - t0) / 1e6);
        }
      else
        {
          guint8 md[DOCKET_SHA256_LEN];
          if (!docket_sha256_file (staging, G_MAXUINT64, md, cancellable, error))
            return FALSE;
          digest = docket_sha256_to_hex (md);
        }
      /* A resumed copy that does not match may hold stale bytes (the camera
       * reused the id, or the disk lost unsynced data): start over once. */
      if (staged == 0 || g_strcmp0 (digest, claimed) == 0)
        break;
      (void)g_unlink (staging);
      staged = 0;
    }
  self->reports.progress (self, done_before + info->size, FALSE);

  st = g_new0 (DocketOffloadStaged, 1);
  st->info = docket_recording_info_copy (info);
  st->name = g_steal_pointer (&name);
  st->staging = g_steal_pointer (&staging);
  st->digest = g_steal_pointer (&digest);
  st->index = g_steal_pointer (&index);
  st->parse = g_steal_pointer (&parse);
  *out_staged = st;
  return TRUE;
}

gboolean
_docket_offload_recording_erase (DocketOffloadJob *self,
                                 const DocketStoredRecording *rec,
                                 GCancellable *cancellable,
                                 GError **error)
{
  return erase_from_camera (self, rec, cancellable, error);
}

gboolean
_docket_offload_recording_finish (DocketOffloadJob *self,
                                  DocketOffloadStaged *st,
                                  gint64 *out_thumbnail,
                                  DocketStoredRecording **out_erase,
                                  GCancellable *cancellable,
                                  GError **error)
{
  g_autofree gchar *problem = NULL;
  g_autoptr (DocketStoredRecording) rec = NULL;
  g_autoptr (GError) local_error = NULL;
  g_auto (DocketMediaInfo) media = { 0 };
  gint64 t_start = g_get_monotonic_time ();
  gint64 t_checked;

  *out_thumbnail = 0;
  *out_erase = NULL;
  rec = new_row (self, st->info, st->name);
  problem = verify_copy (self, st->info, st->staging, st->digest, st->index, &st->parse, rec,
                         &media, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (problem != NULL)
    return quarantine (self, rec, st->staging, st->digest, g_steal_pointer (&problem), error);

  if (rec->condition != NULL)
    g_message ("%s is stored as received, but the camera recorded it damaged (%s): %s", st->name,
               rec->condition, rec->condition_reason);
  rec->sha256 = g_strdup (st->digest);
  rec->codec = g_strdup (media.codec);
  rec->width = media.width;
  rec->height = media.height;
  if (media.duration_ms > 0)
    rec->duration_ms = media.duration_ms;
  if (rec->start_usec == 0)
    rec->start_usec = media.creation_usec;

  t_checked = g_get_monotonic_time ();
  if (!docket_evidence_store_commit (self->store, st->staging, NULL, rec, self->actor, error))
    return FALSE;
  g_debug ("%s: checks %.2f s, commit %.2f s", st->name, (t_checked - t_start) / 1e6,
           (g_get_monotonic_time () - t_checked) / 1e6);
  /* The thumbnail comes after the commit, off the offload's path. */
  if (g_strcmp0 (rec->condition, DOCKET_CONDITION_NOT_PLAYABLE) != 0)
    *out_thumbnail = rec->id;
  g_mutex_lock (&self->lock);
  self->files_done++;
  self->verified++;
  if (rec->condition != NULL)
    self->damaged++;
  g_array_append_val (self->committed, rec->id);
  g_mutex_unlock (&self->lock);
  self->reports.verified (self, rec->id, st->name, rec->sha256);

  if (!self->delete_after)
    return record_kept_on_camera (self, rec, error);
  *out_erase = g_steal_pointer (&rec);
  return TRUE;
}

guint
docket_offload_job_get_damaged (DocketOffloadJob *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->damaged;
}

guint
docket_offload_job_get_wedged (DocketOffloadJob *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->wedged;
}

/* @first_try: right after its commit, when a recording damaged on the
 * camera but still playable gets its one try too. */
static gboolean
make_thumbnail (DocketEvidenceStore *store,
                gint64 recording_id,
                gboolean first_try,
                guint timeout_ms,
                GCancellable *cancellable,
                GError **error)
{
  g_autoptr (DocketStoredRecording) rec = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *thumb = NULL;
  g_autofree gchar *name = NULL;

  rec = docket_evidence_store_get_recording (store, recording_id, error);
  if (rec == NULL)
    return FALSE;
  /* A recording damaged on the camera had its one try after its commit. */
  if (rec->thumbnail != NULL || g_strcmp0 (rec->state, DOCKET_RECORDING_STATE_VERIFIED) != 0
      || g_strcmp0 (rec->condition, DOCKET_CONDITION_NOT_PLAYABLE) == 0
      || (rec->condition != NULL && !first_try))
    return TRUE;
  path = docket_evidence_store_get_object_path (store, rec->sha256);
  if (path == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, "bad hash in the database");
      return FALSE;
    }
  name = g_strdup_printf ("thumbnail-%" G_GINT64_FORMAT ".png.part", recording_id);
  thumb = g_build_filename (docket_evidence_store_get_root (store), "staging", name, NULL);
  if (!docket_media_make_thumbnail (path, thumb, THUMBNAIL_WIDTH, timeout_ms, cancellable, error))
    {
      (void)g_unlink (thumb);
      return FALSE;
    }
  return docket_evidence_store_set_thumbnail (store, recording_id, thumb, error);
}

gboolean
docket_offload_make_missing_thumbnail (DocketEvidenceStore *store,
                                       gint64 recording_id,
                                       guint timeout_ms,
                                       GCancellable *cancellable,
                                       GError **error)
{
  return make_thumbnail (store, recording_id, FALSE, timeout_ms, cancellable, error);
}

gboolean
docket_offload_make_thumbnail_after_commit (DocketEvidenceStore *store,
                                            gint64 recording_id,
                                            guint timeout_ms,
                                            GCancellable *cancellable,
                                            GError **error)
{
  return make_thumbnail (store, recording_id, TRUE, timeout_ms, cancellable, error);
}

void
_docket_offload_recording_thumbnail (DocketOffloadJob *self,
                                     gint64 recording_id,
                                     GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;

  if (docket_offload_make_thumbnail_after_commit (self->store, recording_id, self->check_timeout_ms,
                                                  cancellable, &error))
    return;
  /* Tagging works without a picture; the evidence is what matters. A
   * recording left without one gets it after the next offload. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("No thumbnail for recording %" G_GINT64_FORMAT ": %s", recording_id, error->message);
  if (g_error_matches (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT))
    {
      g_mutex_lock (&self->lock);
      self->wedged++;
      g_mutex_unlock (&self->lock);
    }
}
