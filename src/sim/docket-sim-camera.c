/* docket-sim-camera.c — the behaviour of one simulated DCP camera
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thread model: every field below `lock` is guarded by it. Protocol handlers
 * run on umockdev's ioctl thread; setters run on the caller's thread.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "docket-dcp-protocol.h"
#include "docket-error.h"
#include "docket-signature.h"
#include "docket-sim-camera-private.h"
#include "docket-sim-private.h"

G_DEFINE_FINAL_TYPE (DocketSimCamera, docket_sim_camera, G_TYPE_OBJECT)

static const gchar *fault_names[DOCKET_SIM_N_FAULTS] = {
  "unplug-at-byte",  "stall",           "slow-link",         "corrupt-byte",     "wrong-hash",
  "wrong-signature", "oversize-length", "truncated",         "wrong-version",    "non-utf8-name",
  "path-name",       "no-reply",        "fw-unplug-at-byte", "fw-corrupt-chunk", "fw-malformed",
  "link-latency",
};

const gchar *
docket_sim_fault_to_string (DocketSimFault fault)
{
  g_return_val_if_fail (fault < DOCKET_SIM_N_FAULTS, NULL);
  return fault_names[fault];
}

gboolean
docket_sim_fault_from_string (const gchar *name, DocketSimFault *out_fault)
{
  for (guint i = 0; i < DOCKET_SIM_N_FAULTS; i++)
    {
      if (g_strcmp0 (name, fault_names[i]) == 0)
        {
          *out_fault = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
sim_recording_free (SimRecording *rec)
{
  g_free (rec->info.name);
  g_free (rec->path);
  g_free (rec);
}

void
docket_sim_camera_stream_reset (DocketSimCamera *self)
{
  self->stream = STREAM_NONE;
  g_clear_pointer (&self->stream_bytes, g_bytes_unref);
  self->stream_rec = NULL;
  self->stream_pos = 0;
  self->stream_len = 0;
  if (self->stream_fd >= 0)
    close (self->stream_fd);
  self->stream_fd = -1;
}

static void
docket_sim_camera_finalize (GObject *object)
{
  DocketSimCamera *self = DOCKET_SIM_CAMERA (object);

  docket_sim_camera_stream_reset (self);
  g_free (self->serial);
  g_free (self->vendor);
  g_free (self->model);
  g_free (self->slot_version[0]);
  g_free (self->slot_version[1]);
  g_free (self->fw_version);
  g_clear_pointer (&self->fw_image, g_byte_array_unref);
  g_hash_table_unref (self->config);
  g_ptr_array_unref (self->recordings);
  sodium_memzero (self->secret_key, sizeof self->secret_key);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (docket_sim_camera_parent_class)->finalize (object);
}

static void
docket_sim_camera_class_init (DocketSimCameraClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_sim_camera_finalize;
}

static void
docket_sim_camera_init (DocketSimCamera *self)
{
  g_mutex_init (&self->lock);
  self->config = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)g_variant_unref);
  self->recordings = g_ptr_array_new_with_free_func ((GDestroyNotify)sim_recording_free);
  self->next_id = 1;
  self->stream_fd = -1;
  g_hash_table_insert (self->config, GUINT_TO_POINTER (DCP_CFG_RESOLUTION),
                       g_variant_ref_sink (g_variant_new_string ("1920x1080")));
  g_hash_table_insert (self->config, GUINT_TO_POINTER (DCP_CFG_FRAME_RATE),
                       g_variant_ref_sink (g_variant_new_uint32 (30)));
  g_hash_table_insert (self->config, GUINT_TO_POINTER (DCP_CFG_BITRATE_KBPS),
                       g_variant_ref_sink (g_variant_new_uint32 (8000)));
  g_hash_table_insert (self->config, GUINT_TO_POINTER (DCP_CFG_PRE_EVENT_SECONDS),
                       g_variant_ref_sink (g_variant_new_uint32 (30)));
  g_hash_table_insert (self->config, GUINT_TO_POINTER (DCP_CFG_POST_EVENT_SECONDS),
                       g_variant_ref_sink (g_variant_new_uint32 (0)));
  g_hash_table_insert (self->config, GUINT_TO_POINTER (DCP_CFG_AUDIO),
                       g_variant_ref_sink (g_variant_new_boolean (TRUE)));
  g_hash_table_insert (self->config, GUINT_TO_POINTER (DCP_CFG_DEVICE_NAME),
                       g_variant_ref_sink (g_variant_new_string ("")));
}

DocketSimCamera *
docket_sim_camera_new (const DocketSimCameraOptions *options, GError **error)
{
  g_autoptr (DocketSimCamera) self = NULL;
  g_autofree gchar *seed_text = NULL;
  guint8 seed[crypto_sign_SEEDBYTES];
  gsize serial_len;

  g_return_val_if_fail (options != NULL, NULL);

  serial_len = options->serial != NULL ? strlen (options->serial) : 0;
  if (serial_len == 0 || serial_len > DCP_MAX_STRING)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   "A simulated camera needs a serial of 1 to %d bytes", DCP_MAX_STRING);
      return NULL;
    }
  if (sodium_init () < 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "libsodium could not start");
      return NULL;
    }

  self = g_object_new (DOCKET_TYPE_SIM_CAMERA, NULL);
  self->serial = g_strdup (options->serial);
  self->vendor = g_strdup (options->vendor != NULL ? options->vendor : "Docket Project");
  self->model = g_strdup (options->model != NULL ? options->model : "DCP Reference Camera");
  /* Factory state: slot A holds the firmware and boots; B is empty. */
  self->slot_version[0]
      = g_strdup (options->firmware_version != NULL ? options->firmware_version : "1.0.0");
  self->slot_version[1] = g_strdup ("");
  self->slot_bootable[0] = TRUE;
  self->usb_vendor = options->usb_vendor != 0 ? options->usb_vendor : DOCKET_SIM_USB_VENDOR;
  self->usb_product = options->usb_product != 0 ? options->usb_product : DOCKET_SIM_USB_PRODUCT;
  self->has_dcp_interface = !options->no_dcp_interface;
  self->battery = options->battery_percent > 0 ? MIN (options->battery_percent, 100) : 40;
  self->accelerate = options->accelerate > 0 ? options->accelerate : 1.0;
  self->drift_ppm = options->clock_drift_ppm;
  self->dcp_1_0 = options->dcp_1_0;
  self->dcp_1_1 = options->dcp_1_1;
  self->temperature_c = 25.0;
  self->charge_mode = DCP_CHARGE_NORMAL;
  self->charge_level = 100;
  self->cycle_count = 137;
  self->full_mah = 2900;
  self->design_mah = 3200;
  self->battery_updated_us = g_get_monotonic_time ();
  self->clock_base_real_us = g_get_real_time ();
  self->clock_base_cam_us = self->clock_base_real_us + options->clock_offset_usec;

  /* A key derived from the serial: the same simulated camera always signs
   * with the same key, so tests and demos can pin it. */
  seed_text = g_strdup_printf ("docket-sim-key:%s", self->serial);
  crypto_hash_sha256 (seed, (const guint8 *)seed_text, strlen (seed_text));
  crypto_sign_seed_keypair (self->public_key, self->secret_key, seed);
  return g_steal_pointer (&self);
}

const gchar *
docket_sim_camera_get_serial (DocketSimCamera *self)
{
  return self->serial;
}

guint16
docket_sim_camera_get_usb_vendor (DocketSimCamera *self)
{
  return self->usb_vendor;
}

gboolean
docket_sim_camera_get_has_dcp_interface (DocketSimCamera *self)
{
  return self->has_dcp_interface;
}

guint16
docket_sim_camera_get_usb_product (DocketSimCamera *self)
{
  return self->usb_product;
}

void
docket_sim_camera_get_public_key (DocketSimCamera *self, guint8 out_key[32])
{
  memcpy (out_key, self->public_key, 32);
}

gboolean
docket_sim_camera_get_docked (DocketSimCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->docked;
}

/* Battery charges while docked (full in three hours at accelerate = 1)
 * unless the host said otherwise; it warms while charging and cools when
 * not, so a host's temperature limit has something to act on. */
void
docket_sim_camera_update_battery_locked (DocketSimCamera *self)
{
  gint64 now = g_get_monotonic_time ();
  gdouble hours = (now - self->battery_updated_us) / 3.6e9 * self->accelerate;
  gdouble target = 100.0;

  if (self->charge_mode == DCP_CHARGE_STOP)
    target = 0.0;
  else if (self->charge_mode == DCP_CHARGE_HOLD)
    target = self->charge_level;
  self->charging = self->docked && self->battery < target;
  if (self->charging)
    {
      self->battery = MIN (target, self->battery + hours * 100.0 / 3.0);
      if (self->temperature_c < 45.0)
        self->temperature_c = MIN (45.0, self->temperature_c + hours * 6.0);
    }
  else if (self->temperature_c > 25.0)
    self->temperature_c = MAX (25.0, self->temperature_c - hours * 12.0);
  self->battery_updated_us = now;
}

gint64
docket_sim_camera_clock_locked (DocketSimCamera *self)
{
  gint64 real = g_get_real_time ();
  gdouble elapsed = (gdouble)(real - self->clock_base_real_us) * self->accelerate;

  return self->clock_base_cam_us + (gint64)(elapsed * (1.0 + self->drift_ppm / 1e6));
}

void
docket_sim_camera_set_docked (DocketSimCamera *self, gboolean docked)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  docket_sim_camera_update_battery_locked (self);
  /* Power goes with the dock: an image half written is lost (the active
   * slot was never touched); a committed one boots on the next start. */
  if (self->fw_state == DCP_FW_STATE_RECEIVING)
    docket_sim_camera_firmware_discard_locked (self);
  if (docked && self->fw_state == DCP_FW_STATE_REBOOTING)
    {
      self->active_slot = self->boot_slot;
      self->fw_state = DCP_FW_STATE_IDLE;
    }
  self->reboot_requested = FALSE;
  self->docked = docked;
  self->charge_mode = DCP_CHARGE_NORMAL;
  self->halted = FALSE;
  self->indicator = docked ? DCP_INDICATOR_IDLE : DCP_INDICATOR_OFF;
  memset (&self->result, 0, sizeof self->result);
  docket_sim_camera_stream_reset (self);
}

/* SHA-256 and size of @path followed by @tail_len bytes of @tail. */
static gboolean
hash_file (const gchar *path,
           const guint8 *tail,
           guint tail_len,
           guint8 out_sha[32],
           guint64 *out_size,
           GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = NULL;
  g_autofree guint8 *buf = g_malloc (1 << 20);
  EVP_MD_CTX *ctx;
  guint64 size = 0;
  gboolean ok = TRUE;

  in = g_file_read (file, NULL, error);
  if (in == NULL)
    return FALSE;
  ctx = EVP_MD_CTX_new ();
  EVP_DigestInit_ex (ctx, EVP_sha256 (), NULL);
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buf, 1 << 20, NULL, error);

      if (n < 0)
        {
          ok = FALSE;
          break;
        }
      if (n == 0)
        break;
      EVP_DigestUpdate (ctx, buf, n);
      size += n;
    }
  if (ok && tail_len > 0)
    {
      EVP_DigestUpdate (ctx, tail, tail_len);
      size += tail_len;
    }
  if (ok)
    EVP_DigestFinal_ex (ctx, out_sha, NULL);
  EVP_MD_CTX_free (ctx);
  *out_size = size;
  return ok;
}

static guint32
add_recording_locked (DocketSimCamera *self,
                      const gchar *path,
                      const gchar *name,
                      gint64 start_usec,
                      guint64 duration_ms,
                      guint32 flags,
                      const guint8 sha[32],
                      guint64 size,
                      const guint8 *tail,
                      guint tail_len,
                      GError **error)
{
  SimRecording *rec = g_new0 (SimRecording, 1);

  rec->path = g_strdup (path);
  rec->tail_len = MIN (tail_len, SIM_TAIL_LEN);
  if (rec->tail_len > 0)
    memcpy (rec->tail, tail, rec->tail_len);
  rec->info.id = self->next_id++;
  rec->info.name = name != NULL ? g_strdup (name) : g_path_get_basename (path);
  rec->info.start_usec = start_usec;
  rec->info.duration_ms = duration_ms;
  rec->info.size = size;
  rec->info.flags = flags;
  memcpy (rec->info.sha256, sha, 32);
  if (!docket_signature_sign (self->serial, &rec->info, self->secret_key, rec->info.signature,
                              error))
    {
      sim_recording_free (rec);
      return 0;
    }
  g_ptr_array_add (self->recordings, rec);
  return rec->info.id;
}

static guint32
add_recording (DocketSimCamera *self,
               const gchar *path,
               const gchar *name,
               gint64 start_usec,
               guint64 duration_ms,
               guint32 flags,
               gboolean distinct,
               GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  guint8 tail[SIM_TAIL_LEN] = { 0, 0, 0, SIM_TAIL_LEN, 'f', 'r', 'e', 'e' };
  guint8 sha[32];
  guint64 size;
  guint32 id, serial_hash;

  g_return_val_if_fail (DOCKET_IS_SIM_CAMERA (self), 0);
  g_return_val_if_fail (path != NULL, 0);

  /* The next id is this recording's unless another is added meanwhile:
   * then the tail names an id the camera gives another, still distinct. */
  g_mutex_lock (&self->lock);
  id = GUINT32_TO_BE (self->next_id);
  g_mutex_unlock (&self->lock);
  serial_hash = GUINT32_TO_BE (g_str_hash (self->serial));
  memcpy (tail + 8, &serial_hash, 4);
  memcpy (tail + 12, &id, 4);
  /* Hash outside the lock: files can be large. */
  if (!hash_file (path, tail, distinct ? SIM_TAIL_LEN : 0, sha, &size, error))
    return 0;
  locker = g_mutex_locker_new (&self->lock);
  if (start_usec == 0)
    start_usec
        = docket_sim_camera_clock_locked (self) - (gint64)duration_ms * 1000 - G_USEC_PER_SEC * 60;
  return add_recording_locked (self, path, name, start_usec, duration_ms, flags, sha, size, tail,
                               distinct ? SIM_TAIL_LEN : 0, error);
}

guint32
docket_sim_camera_add_recording_full (DocketSimCamera *self,
                                      const gchar *path,
                                      const gchar *name,
                                      gint64 start_usec,
                                      guint64 duration_ms,
                                      guint32 flags,
                                      GError **error)
{
  return add_recording (self, path, name, start_usec, duration_ms, flags, FALSE, error);
}

guint32
docket_sim_camera_add_recording_distinct (DocketSimCamera *self,
                                          const gchar *path,
                                          guint64 duration_ms,
                                          GError **error)
{
  return add_recording (self, path, NULL, 0, duration_ms, 0, TRUE, error);
}

guint32
docket_sim_camera_add_recording (DocketSimCamera *self, const gchar *path, GError **error)
{
  return docket_sim_camera_add_recording_full (self, path, NULL, 0, 0, 0, error);
}

gboolean
docket_sim_camera_add_many_recordings (DocketSimCamera *self,
                                       const gchar *path,
                                       guint count,
                                       GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  guint8 sha[32];
  guint64 size;
  gint64 start;

  if (!hash_file (path, NULL, 0, sha, &size, error))
    return FALSE;
  locker = g_mutex_locker_new (&self->lock);
  start = docket_sim_camera_clock_locked (self) - (gint64)count * 60 * G_USEC_PER_SEC;
  for (guint i = 0; i < count; i++)
    {
      g_autofree gchar *name = g_strdup_printf ("rec-%06u.mp4", self->next_id);

      if (add_recording_locked (self, path, name, start + (gint64)i * 60 * G_USEC_PER_SEC, 2000, 0,
                                sha, size, NULL, 0, error)
          == 0)
        return FALSE;
    }
  return TRUE;
}

SimRecording *
docket_sim_camera_find_recording_locked (DocketSimCamera *self, guint32 id, guint *out_index)
{
  for (guint i = 0; i < self->recordings->len; i++)
    {
      SimRecording *rec = g_ptr_array_index (self->recordings, i);

      if (rec->info.id == id)
        {
          if (out_index != NULL)
            *out_index = i;
          return rec;
        }
    }
  return NULL;
}

guint
docket_sim_camera_get_n_recordings (DocketSimCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->recordings->len;
}

gboolean
docket_sim_camera_has_recording (DocketSimCamera *self, guint32 id)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return docket_sim_camera_find_recording_locked (self, id, NULL) != NULL;
}

void
docket_sim_camera_set_fault (DocketSimCamera *self, DocketSimFault fault, guint64 arg)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_if_fail (fault < DOCKET_SIM_N_FAULTS);
  locker = g_mutex_locker_new (&self->lock);
  self->fault_on[fault] = TRUE;
  self->fault_arg[fault] = arg;
  if (fault == DOCKET_SIM_FAULT_UNPLUG_AT_BYTE)
    self->unplug_sent = 0;
  if (fault == DOCKET_SIM_FAULT_SLOW_LINK || fault == DOCKET_SIM_FAULT_LINK_LATENCY)
    self->link_free_at_us = 0;
}

void
docket_sim_camera_clear_fault (DocketSimCamera *self, DocketSimFault fault)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_if_fail (fault < DOCKET_SIM_N_FAULTS);
  locker = g_mutex_locker_new (&self->lock);
  self->fault_on[fault] = FALSE;
  if (fault == DOCKET_SIM_FAULT_STALL)
    self->halted = FALSE;
}

void
docket_sim_camera_clear_faults (DocketSimCamera *self)
{
  for (guint i = 0; i < DOCKET_SIM_N_FAULTS; i++)
    docket_sim_camera_clear_fault (self, i);
}

gint
docket_sim_camera_get_indicator (DocketSimCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->indicator;
}

gint64
docket_sim_camera_get_clock (DocketSimCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return docket_sim_camera_clock_locked (self);
}

gdouble
docket_sim_camera_get_battery (DocketSimCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  docket_sim_camera_update_battery_locked (self);
  return self->battery;
}

void
docket_sim_camera_set_battery (DocketSimCamera *self, gdouble percent)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  docket_sim_camera_update_battery_locked (self);
  self->battery = CLAMP (percent, 0.0, 100.0);
}

void
docket_sim_camera_set_battery_temperature (DocketSimCamera *self, gdouble celsius)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  docket_sim_camera_update_battery_locked (self);
  self->temperature_c = celsius;
}

gdouble
docket_sim_camera_get_battery_temperature (DocketSimCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  docket_sim_camera_update_battery_locked (self);
  return self->temperature_c;
}

void
docket_sim_camera_set_battery_health (DocketSimCamera *self,
                                      guint32 cycle_count,
                                      guint32 full_mah,
                                      guint32 design_mah)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  self->cycle_count = cycle_count;
  self->full_mah = full_mah;
  self->design_mah = design_mah;
}

gint
docket_sim_camera_get_charge_mode (DocketSimCamera *self, gint *out_level)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (out_level != NULL)
    *out_level = self->charge_level;
  return self->charge_mode;
}

const gchar *
docket_sim_config_key_name (guint key)
{
  switch (key)
    {
      case DCP_CFG_RESOLUTION:
        return "resolution";
      case DCP_CFG_FRAME_RATE:
        return "frame-rate";
      case DCP_CFG_BITRATE_KBPS:
        return "bitrate-kbps";
      case DCP_CFG_PRE_EVENT_SECONDS:
        return "pre-event-seconds";
      case DCP_CFG_POST_EVENT_SECONDS:
        return "post-event-seconds";
      case DCP_CFG_AUDIO:
        return "audio";
      case DCP_CFG_DEVICE_NAME:
        return "device-name";
      default:
        return NULL;
    }
}

GVariant *
docket_sim_camera_dup_config (DocketSimCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer key, value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_hash_table_iter_init (&iter, self->config);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_variant_builder_add (&builder, "{sv}", docket_sim_config_key_name (GPOINTER_TO_UINT (key)),
                           value);
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

void
docket_sim_camera_firmware_discard_locked (DocketSimCamera *self)
{
  guint inactive = 1 - self->active_slot;

  if (self->fw_state != DCP_FW_STATE_RECEIVING)
    return;
  self->slot_bootable[inactive] = FALSE;
  g_free (self->slot_version[inactive]);
  self->slot_version[inactive] = g_strdup ("");
  g_clear_pointer (&self->fw_image, g_byte_array_unref);
  g_clear_pointer (&self->fw_version, g_free);
  self->fw_state = DCP_FW_STATE_IDLE;
}

gchar *
docket_sim_camera_dup_firmware_version (DocketSimCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return g_strdup (self->slot_version[self->active_slot]);
}

guint
docket_sim_camera_get_active_slot (DocketSimCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->active_slot;
}

gboolean
docket_sim_camera_get_slot_bootable (DocketSimCamera *self, guint slot)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_return_val_if_fail (slot < 2, FALSE);
  return self->slot_bootable[slot];
}

guint
docket_sim_camera_get_firmware_begins (DocketSimCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->fw_begins;
}

guint64
docket_sim_camera_get_firmware_received (DocketSimCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->fw_received;
}
