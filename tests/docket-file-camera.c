/* docket-file-camera.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "docket-error.h"
#include "docket-file-camera.h"
#include "docket-sha256.h"
#include "docket-signature.h"

#define CAMERA_GROUP "camera"

struct _DocketFileCamera
{
  GObject parent_instance;

  gchar *dir;
  GMutex lock;
  /* (mutex lock) */
  GKeyFile *manifest;
  gboolean closed;
  guint64 fail_after; /* 0: never */
  gsize max_read;     /* 0: unlimited */
  gulong delay_us;
  GVariant *config;

  /* One open file for sequential reads: reopening per read would defeat
   * the kernel's readahead. */
  GMutex read_lock;
  /* (mutex read_lock) */
  int read_fd;
  guint32 read_id;
};

static void docket_file_camera_driver_init (DocketCameraDriverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DocketFileCamera,
                               docket_file_camera,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DOCKET_TYPE_CAMERA_DRIVER,
                                                      docket_file_camera_driver_init))

static void
docket_file_camera_finalize (GObject *object)
{
  DocketFileCamera *self = DOCKET_FILE_CAMERA (object);

  g_free (self->dir);
  g_clear_pointer (&self->manifest, g_key_file_unref);
  g_clear_pointer (&self->config, g_variant_unref);
  if (self->read_fd >= 0)
    close (self->read_fd);
  g_mutex_clear (&self->read_lock);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (docket_file_camera_parent_class)->finalize (object);
}

static void
docket_file_camera_class_init (DocketFileCameraClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_file_camera_finalize;
}

static void
docket_file_camera_init (DocketFileCamera *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->read_lock);
  self->read_fd = -1;
  self->manifest = g_key_file_new ();
}

static gchar *
manifest_path (DocketFileCamera *self)
{
  return g_build_filename (self->dir, "manifest.ini", NULL);
}

static gchar *
group_for (guint32 id)
{
  return g_strdup_printf ("recording %u", id);
}

static gchar *
bytes_to_hex (const guint8 *data, gsize len)
{
  GString *hex = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  return g_string_free (hex, FALSE);
}

static gboolean
hex_to_bytes (const gchar *hex, guint8 *out, gsize len)
{
  if (hex == NULL || strlen (hex) != len * 2)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      gint hi = g_ascii_xdigit_value (hex[2 * i]);
      gint lo = g_ascii_xdigit_value (hex[2 * i + 1]);
      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8)(hi << 4 | lo);
    }
  return TRUE;
}

static gboolean
check_open (DocketFileCamera *self, GError **error)
{
  if (self->closed)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED, _ ("The camera was undocked"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
save_locked (DocketFileCamera *self, GError **error)
{
  g_autofree gchar *path = manifest_path (self);

  /* g_key_file_save_to_file writes a temporary, fsyncs and renames. */
  return g_key_file_save_to_file (self->manifest, path, error);
}

DocketFileCamera *
docket_file_camera_new (const gchar *dir, GError **error)
{
  g_autoptr (DocketFileCamera) self = g_object_new (DOCKET_TYPE_FILE_CAMERA, NULL);
  g_autofree gchar *path = NULL;

  self->dir = g_strdup (dir);
  path = manifest_path (self);
  if (!g_key_file_load_from_file (self->manifest, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, _ ("Could not read the file camera in “%s”: "), dir);
      return NULL;
    }
  return g_steal_pointer (&self);
}

DocketFileCamera *
docket_file_camera_create (const gchar *dir, const gchar *serial, GError **error)
{
  g_autoptr (DocketFileCamera) self = g_object_new (DOCKET_TYPE_FILE_CAMERA, NULL);
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  g_autofree gchar *pk_hex = NULL;
  g_autofree gchar *sk_hex = NULL;

  if (sodium_init () < 0 || g_mkdir_with_parents (dir, 0755) < 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                   _ ("Could not create the file camera in “%s”"), dir);
      return NULL;
    }
  self->dir = g_strdup (dir);
  crypto_sign_keypair (pk, sk);
  pk_hex = bytes_to_hex (pk, sizeof pk);
  sk_hex = bytes_to_hex (sk, sizeof sk);
  sodium_memzero (sk, sizeof sk);
  g_key_file_set_string (self->manifest, CAMERA_GROUP, "serial", serial);
  g_key_file_set_string (self->manifest, CAMERA_GROUP, "vendor", "Docket");
  g_key_file_set_string (self->manifest, CAMERA_GROUP, "model", "File camera");
  g_key_file_set_string (self->manifest, CAMERA_GROUP, "firmware", "1.0");
  g_key_file_set_string (self->manifest, CAMERA_GROUP, "public-key", pk_hex);
  g_key_file_set_string (self->manifest, CAMERA_GROUP, "secret-key", sk_hex);
  g_key_file_set_uint64 (self->manifest, CAMERA_GROUP, "next-id", 1);
  if (!save_locked (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

static gboolean
copy_file (const gchar *from, const gchar *to, GError **error)
{
  g_autoptr (GFile) src = g_file_new_for_path (from);
  g_autoptr (GFile) dst = g_file_new_for_path (to);

  return g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error);
}

gboolean
docket_file_camera_add_recording (DocketFileCamera *self,
                                  const gchar *source,
                                  gint64 start_usec,
                                  guint64 duration_ms,
                                  gboolean hard_link,
                                  guint32 *out_id,
                                  GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  DocketRecordingInfo info = { 0 };
  g_autofree gchar *serial = NULL;
  g_autofree gchar *sk_hex = NULL;
  g_autofree gchar *file = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *group = NULL;
  g_autofree gchar *name = NULL;
  g_autofree gchar *sha_hex = NULL;
  g_autofree gchar *sig_hex = NULL;
  guint8 sk[64];
  GStatBuf st;
  guint32 id;

  serial = g_key_file_get_string (self->manifest, CAMERA_GROUP, "serial", error);
  if (serial == NULL)
    return FALSE;
  sk_hex = g_key_file_get_string (self->manifest, CAMERA_GROUP, "secret-key", NULL);
  if (!hex_to_bytes (sk_hex, sk, sizeof sk))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, "file camera has no secret key");
      return FALSE;
    }
  id = (guint32)g_key_file_get_uint64 (self->manifest, CAMERA_GROUP, "next-id", NULL);
  if (id == 0)
    id = 1;
  file = g_strdup_printf ("rec-%u.mp4", id);
  path = g_build_filename (self->dir, file, NULL);
  if (!hard_link || link (source, path) < 0)
    if (!copy_file (source, path, error))
      return FALSE;
  if (g_stat (path, &st) < 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "stat %s failed", path);
      return FALSE;
    }

  info.id = id;
  info.start_usec = start_usec;
  info.duration_ms = duration_ms;
  info.size = (guint64)st.st_size;
  if (!docket_sha256_file (path, G_MAXUINT64, info.sha256, NULL, error)
      || !docket_signature_sign (serial, &info, sk, info.signature, error))
    return FALSE;
  sodium_memzero (sk, sizeof sk);

  group = group_for (id);
  name = g_strdup_printf ("VID_%04u.MP4", id);
  sha_hex = bytes_to_hex (info.sha256, sizeof info.sha256);
  sig_hex = bytes_to_hex (info.signature, sizeof info.signature);
  g_key_file_set_string (self->manifest, group, "file", file);
  g_key_file_set_string (self->manifest, group, "name", name);
  g_key_file_set_int64 (self->manifest, group, "start-usec", start_usec);
  g_key_file_set_uint64 (self->manifest, group, "duration-ms", duration_ms);
  g_key_file_set_uint64 (self->manifest, group, "size", info.size);
  g_key_file_set_string (self->manifest, group, "sha256", sha_hex);
  g_key_file_set_string (self->manifest, group, "signature", sig_hex);
  g_key_file_set_uint64 (self->manifest, group, "flags", 0);
  g_key_file_set_uint64 (self->manifest, CAMERA_GROUP, "next-id", id + 1);
  if (!save_locked (self, error))
    return FALSE;
  if (out_id != NULL)
    *out_id = id;
  return TRUE;
}

GKeyFile *
docket_file_camera_get_manifest (DocketFileCamera *self)
{
  return self->manifest;
}

gboolean
docket_file_camera_save_manifest (DocketFileCamera *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return save_locked (self, error);
}

/* The file name comes from our own manifest, but refuse anything but a
 * plain name anyway. */
static gchar *
recording_path_locked (DocketFileCamera *self, guint32 id, GError **error)
{
  g_autofree gchar *group = group_for (id);
  g_autofree gchar *file = g_key_file_get_string (self->manifest, group, "file", NULL);

  if (file == NULL || *file == '\0' || strchr (file, '/') != NULL || g_str_equal (file, "..")
      || g_str_equal (file, "."))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                   _ ("The camera has no recording %u"), id);
      return NULL;
    }
  return g_build_filename (self->dir, file, NULL);
}

gchar *
docket_file_camera_get_recording_path (DocketFileCamera *self, guint32 id)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return recording_path_locked (self, id, NULL);
}

void
docket_file_camera_set_fail_after (DocketFileCamera *self, guint64 bytes)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  self->fail_after = bytes;
}

void
docket_file_camera_set_read_limits (DocketFileCamera *self, gsize max, gulong delay_us)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  self->max_read = max;
  self->delay_us = delay_us;
}

void
docket_file_camera_reconnect (DocketFileCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  self->closed = FALSE;
}

/* ---- DocketCameraDriver ------------------------------------------------ */

static const gchar *
file_camera_get_name (DocketCameraDriver *driver)
{
  return "file";
}

static gboolean
file_camera_identify (DocketCameraDriver *driver,
                      DocketCameraIdentity *out,
                      GCancellable *cancellable,
                      GError **error)
{
  DocketFileCamera *self = DOCKET_FILE_CAMERA (driver);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autofree gchar *pk = NULL;

  if (!check_open (self, error))
    return FALSE;
  memset (out, 0, sizeof *out);
  out->serial = g_key_file_get_string (self->manifest, CAMERA_GROUP, "serial", NULL);
  out->vendor = g_key_file_get_string (self->manifest, CAMERA_GROUP, "vendor", NULL);
  out->model = g_key_file_get_string (self->manifest, CAMERA_GROUP, "model", NULL);
  out->firmware_version = g_key_file_get_string (self->manifest, CAMERA_GROUP, "firmware", NULL);
  out->protocol_version = 1;
  pk = g_key_file_get_string (self->manifest, CAMERA_GROUP, "public-key", NULL);
  if (out->serial == NULL || !hex_to_bytes (pk, out->public_key, sizeof out->public_key))
    {
      docket_camera_identity_clear (out);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                   _ ("The camera's identity is malformed"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
file_camera_get_status (DocketCameraDriver *driver,
                        DocketCameraStatus *out,
                        GCancellable *cancellable,
                        GError **error)
{
  DocketFileCamera *self = DOCKET_FILE_CAMERA (driver);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!check_open (self, error))
    return FALSE;
  memset (out, 0, sizeof *out);
  out->battery_percent = 100;
  out->charging = DOCKET_CHARGING_FULL;
  out->storage_total = G_GUINT64_CONSTANT (64) << 30;
  out->camera_clock_usec = g_get_real_time ();
  return TRUE;
}

static gboolean
file_camera_set_clock (DocketCameraDriver *driver,
                       gint64 utc_usec,
                       GCancellable *cancellable,
                       GError **error)
{
  DocketFileCamera *self = DOCKET_FILE_CAMERA (driver);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return check_open (self, error);
}

static GVariant *
file_camera_get_config (DocketCameraDriver *driver, GCancellable *cancellable, GError **error)
{
  DocketFileCamera *self = DOCKET_FILE_CAMERA (driver);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!check_open (self, error))
    return NULL;
  if (self->config == NULL)
    self->config = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
  return g_variant_ref (self->config);
}

static gboolean
file_camera_set_config (DocketCameraDriver *driver,
                        GVariant *config,
                        GCancellable *cancellable,
                        GError **error)
{
  DocketFileCamera *self = DOCKET_FILE_CAMERA (driver);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!check_open (self, error))
    return FALSE;
  g_clear_pointer (&self->config, g_variant_unref);
  self->config = g_variant_ref_sink (config);
  return TRUE;
}

static GPtrArray *
file_camera_list_recordings (DocketCameraDriver *driver, GCancellable *cancellable, GError **error)
{
  DocketFileCamera *self = DOCKET_FILE_CAMERA (driver);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr (GPtrArray) list = NULL;
  g_auto (GStrv) groups = NULL;
  g_autofree gchar *path = NULL;

  if (!check_open (self, error))
    return NULL;
  /* Re-read: tests edit the manifest on disk to make the camera lie. */
  path = manifest_path (self);
  if (!g_key_file_load_from_file (self->manifest, path, G_KEY_FILE_NONE, error))
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_recording_info_free);
  groups = g_key_file_get_groups (self->manifest, NULL);
  for (gsize i = 0; groups[i] != NULL; i++)
    {
      DocketRecordingInfo *info;
      g_autofree gchar *sha = NULL;
      g_autofree gchar *sig = NULL;
      guint64 id;

      if (!g_str_has_prefix (groups[i], "recording ")
          || !g_ascii_string_to_unsigned (groups[i] + 10, 10, 1, G_MAXUINT32, &id, NULL))
        continue;
      info = g_new0 (DocketRecordingInfo, 1);
      info->id = (guint32)id;
      info->name = g_key_file_get_string (self->manifest, groups[i], "name", NULL);
      info->start_usec = g_key_file_get_int64 (self->manifest, groups[i], "start-usec", NULL);
      info->duration_ms = g_key_file_get_uint64 (self->manifest, groups[i], "duration-ms", NULL);
      info->size = g_key_file_get_uint64 (self->manifest, groups[i], "size", NULL);
      info->flags = (guint32)g_key_file_get_uint64 (self->manifest, groups[i], "flags", NULL);
      sha = g_key_file_get_string (self->manifest, groups[i], "sha256", NULL);
      sig = g_key_file_get_string (self->manifest, groups[i], "signature", NULL);
      (void)hex_to_bytes (sha, info->sha256, sizeof info->sha256);
      (void)hex_to_bytes (sig, info->signature, sizeof info->signature);
      g_ptr_array_add (list, info);
    }
  return g_steal_pointer (&list);
}

static gssize
file_camera_read_recording (DocketCameraDriver *driver,
                            guint32 id,
                            guint64 offset,
                            guint8 *buffer,
                            gsize len,
                            GCancellable *cancellable,
                            GError **error)
{
  DocketFileCamera *self = DOCKET_FILE_CAMERA (driver);
  g_autofree gchar *path = NULL;
  gulong delay;
  gssize n;
  int fd;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  g_mutex_lock (&self->lock);
  if (!check_open (self, error))
    {
      g_mutex_unlock (&self->lock);
      return -1;
    }
  if (self->max_read > 0)
    len = MIN (len, self->max_read);
  if (self->fail_after > 0)
    {
      if (self->fail_after <= 1)
        {
          self->closed = TRUE;
          self->fail_after = 0;
          g_mutex_unlock (&self->lock);
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED,
                       _ ("The camera was undocked"));
          return -1;
        }
      len = (gsize)MIN ((guint64)len, self->fail_after - 1);
    }
  delay = self->delay_us;
  path = recording_path_locked (self, id, error);
  g_mutex_unlock (&self->lock);
  if (path == NULL)
    return -1;
  if (delay > 0)
    g_usleep (delay);

  g_mutex_lock (&self->read_lock);
  if (self->read_fd < 0 || self->read_id != id)
    {
      if (self->read_fd >= 0)
        close (self->read_fd);
      self->read_fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
      self->read_id = id;
      if (self->read_fd >= 0)
        (void)posix_fadvise (self->read_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
  fd = self->read_fd;
  if (fd < 0)
    {
      g_mutex_unlock (&self->read_lock);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                   _ ("The camera has no recording %u"), id);
      return -1;
    }
  do
    n = pread (fd, buffer, len, (off_t)offset);
  while (n < 0 && errno == EINTR);
  g_mutex_unlock (&self->read_lock);
  if (n < 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL, _ ("The camera could not read: %s"),
                   g_strerror (errno));
      return -1;
    }
  g_mutex_lock (&self->lock);
  if (self->fail_after > 1)
    self->fail_after -= MIN ((guint64)n, self->fail_after - 1);
  g_mutex_unlock (&self->lock);
  return n;
}

static gboolean
file_camera_delete_recording (DocketCameraDriver *driver,
                              guint32 id,
                              GCancellable *cancellable,
                              GError **error)
{
  DocketFileCamera *self = DOCKET_FILE_CAMERA (driver);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autofree gchar *group = group_for (id);
  g_autofree gchar *path = NULL;

  if (!check_open (self, error))
    return FALSE;
  path = recording_path_locked (self, id, error);
  if (path == NULL)
    return FALSE;
  /* Manifest first: a crash in between leaves a stray file, never a
   * listed recording without its bytes. */
  g_key_file_remove_group (self->manifest, group, NULL);
  if (!save_locked (self, error))
    return FALSE;
  g_mutex_lock (&self->read_lock);
  if (self->read_fd >= 0 && self->read_id == id)
    {
      close (self->read_fd);
      self->read_fd = -1;
    }
  g_mutex_unlock (&self->read_lock);
  (void)g_unlink (path);
  return TRUE;
}

static gboolean
file_camera_set_indicator (DocketCameraDriver *driver,
                           DocketIndicator state,
                           GCancellable *cancellable,
                           GError **error)
{
  DocketFileCamera *self = DOCKET_FILE_CAMERA (driver);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return check_open (self, error);
}

static void
file_camera_close (DocketCameraDriver *driver)
{
  DocketFileCamera *self = DOCKET_FILE_CAMERA (driver);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  self->closed = TRUE;
  g_mutex_lock (&self->read_lock);
  if (self->read_fd >= 0)
    close (self->read_fd);
  self->read_fd = -1;
  g_mutex_unlock (&self->read_lock);
}

static void
docket_file_camera_driver_init (DocketCameraDriverInterface *iface)
{
  iface->get_name = file_camera_get_name;
  iface->identify = file_camera_identify;
  iface->get_status = file_camera_get_status;
  iface->set_clock = file_camera_set_clock;
  iface->get_config = file_camera_get_config;
  iface->set_config = file_camera_set_config;
  iface->list_recordings = file_camera_list_recordings;
  iface->read_recording = file_camera_read_recording;
  iface->delete_recording = file_camera_delete_recording;
  iface->set_indicator = file_camera_set_indicator;
  iface->close = file_camera_close;
}
