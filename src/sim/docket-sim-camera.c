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
#include "docket-sim-private.h"

typedef struct
{
  DocketRecordingInfo info;
  gchar *path;
} SimRecording;

typedef enum
{
  STREAM_NONE,
  STREAM_LIST,
  STREAM_READ,
} StreamKind;

struct _DocketSimCamera
{
  GObject parent_instance;

  /* immutable after construction */
  gchar *serial;
  gchar *vendor;
  gchar *model;
  gchar *firmware_version;
  guint16 usb_vendor;
  guint16 usb_product;
  gdouble accelerate;
  gdouble drift_ppm;
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];

  GMutex lock;
  gboolean docked;
  gdouble battery;           /* percent */
  gint64 battery_updated_us; /* monotonic */
  gint64 clock_base_real_us; /* real time at which clock_base_cam_us held */
  gint64 clock_base_cam_us;
  GHashTable *config;    /* DcpConfigKey → GVariant */
  GPtrArray *recordings; /* SimRecording */
  guint32 next_id;
  gint indicator;
  DcpResult result;
  gboolean halted;

  gboolean fault_on[DOCKET_SIM_N_FAULTS];
  guint64 fault_arg[DOCKET_SIM_N_FAULTS];
  guint64 unplug_sent; /* bulk bytes sent since the unplug fault was armed */
  gint64 link_free_at_us;

  StreamKind stream;
  GBytes *stream_bytes; /* LIST */
  guint64 stream_pos;
  guint64 stream_len;
  SimRecording *stream_rec; /* READ (borrowed while in recordings) */
  guint64 stream_offset;
  int stream_fd;
};

G_DEFINE_FINAL_TYPE (DocketSimCamera, docket_sim_camera, G_TYPE_OBJECT)

static const gchar *fault_names[DOCKET_SIM_N_FAULTS] = {
  "unplug-at-byte",  "stall",     "slow-link",     "corrupt-byte",  "wrong-hash", "wrong-signature",
  "oversize-length", "truncated", "wrong-version", "non-utf8-name", "path-name",  "no-reply",
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

static void
stream_reset (DocketSimCamera *self)
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

  stream_reset (self);
  g_free (self->serial);
  g_free (self->vendor);
  g_free (self->model);
  g_free (self->firmware_version);
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
  self->firmware_version
      = g_strdup (options->firmware_version != NULL ? options->firmware_version : "1.0.0");
  self->usb_vendor = options->usb_vendor != 0 ? options->usb_vendor : DOCKET_SIM_USB_VENDOR;
  self->usb_product = options->usb_product != 0 ? options->usb_product : DOCKET_SIM_USB_PRODUCT;
  self->battery = options->battery_percent > 0 ? MIN (options->battery_percent, 100) : 40;
  self->accelerate = options->accelerate > 0 ? options->accelerate : 1.0;
  self->drift_ppm = options->clock_drift_ppm;
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

/* Battery charges while docked: full in three hours at accelerate = 1. */
static void
update_battery_locked (DocketSimCamera *self)
{
  gint64 now = g_get_monotonic_time ();
  gdouble hours = (now - self->battery_updated_us) / 3.6e9 * self->accelerate;

  if (self->docked)
    self->battery = MIN (100.0, self->battery + hours * 100.0 / 3.0);
  self->battery_updated_us = now;
}

static gint64
camera_clock_locked (DocketSimCamera *self)
{
  gint64 real = g_get_real_time ();
  gdouble elapsed = (gdouble)(real - self->clock_base_real_us) * self->accelerate;

  return self->clock_base_cam_us + (gint64)(elapsed * (1.0 + self->drift_ppm / 1e6));
}

void
docket_sim_camera_set_docked (DocketSimCamera *self, gboolean docked)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  update_battery_locked (self);
  self->docked = docked;
  self->halted = FALSE;
  self->indicator = docked ? DCP_INDICATOR_IDLE : DCP_INDICATOR_OFF;
  memset (&self->result, 0, sizeof self->result);
  stream_reset (self);
}

static gboolean
hash_file (const gchar *path, guint8 out_sha[32], guint64 *out_size, GError **error)
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
                      GError **error)
{
  SimRecording *rec = g_new0 (SimRecording, 1);

  rec->path = g_strdup (path);
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

guint32
docket_sim_camera_add_recording_full (DocketSimCamera *self,
                                      const gchar *path,
                                      const gchar *name,
                                      gint64 start_usec,
                                      guint64 duration_ms,
                                      guint32 flags,
                                      GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  guint8 sha[32];
  guint64 size;

  g_return_val_if_fail (DOCKET_IS_SIM_CAMERA (self), 0);
  g_return_val_if_fail (path != NULL, 0);

  /* Hash outside the lock: files can be large. */
  if (!hash_file (path, sha, &size, error))
    return 0;
  locker = g_mutex_locker_new (&self->lock);
  if (start_usec == 0)
    start_usec = camera_clock_locked (self) - (gint64)duration_ms * 1000 - G_USEC_PER_SEC * 60;
  return add_recording_locked (self, path, name, start_usec, duration_ms, flags, sha, size, error);
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

  if (!hash_file (path, sha, &size, error))
    return FALSE;
  locker = g_mutex_locker_new (&self->lock);
  start = camera_clock_locked (self) - (gint64)count * 60 * G_USEC_PER_SEC;
  for (guint i = 0; i < count; i++)
    {
      g_autofree gchar *name = g_strdup_printf ("rec-%06u.mp4", self->next_id);

      if (add_recording_locked (self, path, name, start + (gint64)i * 60 * G_USEC_PER_SEC, 2000, 0,
                                sha, size, error)
          == 0)
        return FALSE;
    }
  return TRUE;
}

static SimRecording *
find_recording_locked (DocketSimCamera *self, guint32 id, guint *out_index)
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

  return find_recording_locked (self, id, NULL) != NULL;
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
  if (fault == DOCKET_SIM_FAULT_SLOW_LINK)
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

  return camera_clock_locked (self);
}

gdouble
docket_sim_camera_get_battery (DocketSimCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  update_battery_locked (self);
  return self->battery;
}

static const gchar *
config_key_name (guint key)
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
    g_variant_builder_add (&builder, "{sv}", config_key_name (GPOINTER_TO_UINT (key)), value);
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/* ---- protocol: replies ---------------------------------------------- */

static void
header_init_locked (DocketSimCamera *self, DcpHeader *hdr, DcpMessageType type, gsize length)
{
  dcp_header_init (hdr, type, length);
  if (self->fault_on[DOCKET_SIM_FAULT_WRONG_VERSION])
    hdr->version = DCP_PROTOCOL_VERSION + 1;
}

static void
append_string (GByteArray *out, const gchar *s, gboolean oversize)
{
  guint8 len = (guint8)MIN (strlen (s), 255);

  /* The fault claims far more bytes than the message holds. */
  if (oversize)
    len = 200;
  g_byte_array_append (out, &len, 1);
  g_byte_array_append (out, (const guint8 *)s, MIN (strlen (s), 255));
}

static gint
reply_identify_locked (DocketSimCamera *self, guint8 *data, gsize max)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  DcpIdentify id = { 0 };
  gsize len;

  id.protocol_minor = GUINT16_TO_LE (DCP_PROTOCOL_MINOR);
  id.capabilities = GUINT32_TO_LE (DCP_CAP_CONFIG | DCP_CAP_INDICATOR | DCP_CAP_DELETE
                                   | DCP_CAP_SIGNED_RECORDINGS);
  memcpy (id.public_key, self->public_key, 32);
  g_byte_array_append (out, (const guint8 *)&id, sizeof id);
  append_string (out, self->vendor, FALSE);
  append_string (out, self->model, FALSE);
  append_string (out, self->serial, self->fault_on[DOCKET_SIM_FAULT_OVERSIZE_LENGTH]);
  append_string (out, self->firmware_version, FALSE);
  header_init_locked (self, (DcpHeader *)out->data, DCP_MSG_IDENTIFY, out->len);
  len = out->len;
  if (self->fault_on[DOCKET_SIM_FAULT_TRUNCATED])
    len = 20;
  len = MIN (len, max);
  memcpy (data, out->data, len);
  return (gint)len;
}

static gint
reply_status_locked (DocketSimCamera *self, guint8 *data, gsize max)
{
  DcpStatus st = { 0 };
  guint64 used = 0;
  gsize len = sizeof st;

  update_battery_locked (self);
  for (guint i = 0; i < self->recordings->len; i++)
    used += ((SimRecording *)g_ptr_array_index (self->recordings, i))->info.size;
  header_init_locked (self, &st.hdr, DCP_MSG_STATUS, sizeof st);
  st.battery_percent = (guint8)CLAMP (self->battery, 0, 100);
  st.charging = self->battery >= 100.0 ? DCP_CHARGING_FULL : DCP_CHARGING_CHARGING;
  st.battery_temp_decic = GINT16_TO_LE ((gint16)(self->battery >= 100.0 ? 260 : 310));
  st.battery_cycle_count = GUINT32_TO_LE (137);
  st.battery_full_mah = GUINT32_TO_LE (2900);
  st.battery_design_mah = GUINT32_TO_LE (3200);
  st.storage_used = GUINT64_TO_LE (used);
  st.storage_total = GUINT64_TO_LE (G_GUINT64_CONSTANT (64) * 1000 * 1000 * 1000);
  st.clock_usec = GINT64_TO_LE (camera_clock_locked (self));
  if (self->fault_on[DOCKET_SIM_FAULT_TRUNCATED])
    len = 20;
  len = MIN (len, max);
  memcpy (data, &st, len);
  return (gint)len;
}

static gint
reply_config_locked (DocketSimCamera *self, guint8 *data, gsize max)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  DcpHeader hdr = { 0 };
  GHashTableIter iter;
  gpointer key, value;

  g_byte_array_append (out, (const guint8 *)&hdr, sizeof hdr);
  g_hash_table_iter_init (&iter, self->config);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      DcpConfigEntry e = { .key = GPOINTER_TO_UINT (key) };
      GVariant *v = value;

      if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT32))
        {
          guint32 u = GUINT32_TO_LE (g_variant_get_uint32 (v));

          e.type = DCP_CFG_TYPE_U32;
          e.length = GUINT16_TO_LE (4);
          g_byte_array_append (out, (const guint8 *)&e, sizeof e);
          g_byte_array_append (out, (const guint8 *)&u, 4);
        }
      else if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
        {
          guint8 b = g_variant_get_boolean (v) ? 1 : 0;

          e.type = DCP_CFG_TYPE_BOOL;
          e.length = GUINT16_TO_LE (1);
          g_byte_array_append (out, (const guint8 *)&e, sizeof e);
          g_byte_array_append (out, &b, 1);
        }
      else
        {
          const gchar *s = g_variant_get_string (v, NULL);

          e.type = DCP_CFG_TYPE_STRING;
          e.length = GUINT16_TO_LE (strlen (s));
          g_byte_array_append (out, (const guint8 *)&e, sizeof e);
          g_byte_array_append (out, (const guint8 *)s, strlen (s));
        }
    }
  header_init_locked (self, (DcpHeader *)out->data, DCP_MSG_CONFIG, out->len);
  memcpy (data, out->data, MIN (out->len, max));
  return (gint)MIN (out->len, max);
}

static void
set_result_locked (DocketSimCamera *self,
                   guint8 request,
                   guint16 tag,
                   DcpStatusCode status,
                   guint64 length,
                   const gchar *message)
{
  memset (&self->result, 0, sizeof self->result);
  header_init_locked (self, &self->result.hdr, DCP_MSG_RESULT, sizeof self->result);
  self->result.tag = GUINT16_TO_LE (tag);
  self->result.status = GUINT16_TO_LE (status);
  self->result.request = request;
  self->result.length = GUINT64_TO_LE (length);
  if (message != NULL)
    g_strlcpy (self->result.message, message, sizeof self->result.message);
}

static GBytes *
build_listing_locked (DocketSimCamera *self)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  DcpListHeader lh = { 0 };

  header_init_locked (self, &lh.hdr, DCP_MSG_LIST, sizeof lh);
  lh.count = GUINT32_TO_LE (self->recordings->len);
  g_byte_array_append (out, (const guint8 *)&lh, sizeof lh);
  for (guint i = 0; i < self->recordings->len; i++)
    {
      SimRecording *rec = g_ptr_array_index (self->recordings, i);
      DcpListEntry e = { 0 };
      const gchar *name = rec->info.name;
      gsize name_len;

      if (self->fault_on[DOCKET_SIM_FAULT_NON_UTF8_NAME])
        name = "clip-\xff\xfe-\xc3.mp4";
      else if (self->fault_on[DOCKET_SIM_FAULT_PATH_NAME])
        name = "../../etc/passwd";
      name_len = MIN (strlen (name), DCP_MAX_NAME);
      e.entry_length = GUINT16_TO_LE (sizeof e + name_len);
      e.name_length = (guint8)name_len;
      if (self->fault_on[DOCKET_SIM_FAULT_OVERSIZE_LENGTH])
        e.name_length = 250;
      e.id = GUINT32_TO_LE (rec->info.id);
      e.start_usec = GINT64_TO_LE (rec->info.start_usec);
      e.duration_ms = GUINT64_TO_LE (rec->info.duration_ms);
      e.size = GUINT64_TO_LE (rec->info.size);
      memcpy (e.sha256, rec->info.sha256, 32);
      memcpy (e.signature, rec->info.signature, 64);
      if (self->fault_on[DOCKET_SIM_FAULT_WRONG_HASH])
        e.sha256[0] ^= 0x01;
      if (self->fault_on[DOCKET_SIM_FAULT_WRONG_SIGNATURE])
        e.signature[5] ^= 0x40;
      e.flags = GUINT32_TO_LE (rec->info.flags);
      g_byte_array_append (out, (const guint8 *)&e, sizeof e);
      g_byte_array_append (out, (const guint8 *)name, name_len);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static DcpStatusCode
parse_config_locked (DocketSimCamera *self, const guint8 *data, gsize len, const gchar **message)
{
  gsize pos = sizeof (DcpHeader);

  if (len < sizeof (DcpHeader))
    {
      *message = "config message too short";
      return DCP_STATUS_INVALID;
    }
  while (pos < len)
    {
      DcpConfigEntry e;
      const guint8 *v;
      guint16 vlen;

      if (len - pos < sizeof e)
        {
          *message = "truncated config entry";
          return DCP_STATUS_INVALID;
        }
      memcpy (&e, data + pos, sizeof e);
      vlen = GUINT16_FROM_LE (e.length);
      pos += sizeof e;
      if (vlen > len - pos)
        {
          *message = "config value runs past the end";
          return DCP_STATUS_INVALID;
        }
      v = data + pos;
      pos += vlen;
      if (config_key_name (e.key) == NULL)
        continue; /* unknown keys are ignored, as the spec asks */
      if (e.type == DCP_CFG_TYPE_U32 && vlen == 4)
        {
          guint32 u;

          memcpy (&u, v, 4);
          g_hash_table_insert (self->config, GUINT_TO_POINTER (e.key),
                               g_variant_ref_sink (g_variant_new_uint32 (GUINT32_FROM_LE (u))));
        }
      else if (e.type == DCP_CFG_TYPE_BOOL && vlen == 1)
        g_hash_table_insert (self->config, GUINT_TO_POINTER (e.key),
                             g_variant_ref_sink (g_variant_new_boolean (v[0] != 0)));
      else if (e.type == DCP_CFG_TYPE_STRING && vlen <= DCP_MAX_CONFIG_STRING
               && g_utf8_validate ((const gchar *)v, vlen, NULL))
        {
          g_autofree gchar *s = g_strndup ((const gchar *)v, vlen);

          g_hash_table_insert (self->config, GUINT_TO_POINTER (e.key),
                               g_variant_ref_sink (g_variant_new_string (s)));
        }
      else
        {
          *message = "bad config value";
          return DCP_STATUS_INVALID;
        }
    }
  return DCP_STATUS_OK;
}

static gint
handle_out_locked (
    DocketSimCamera *self, guint8 request, guint16 tag, const guint8 *data, gsize len)
{
  DcpStatusCode status = DCP_STATUS_OK;
  const gchar *message = NULL;
  guint64 length = 0;

  /* Every command starts afresh on bulk IN: whatever was left is dropped. */
  stream_reset (self);
  switch (request)
    {
      case DCP_REQ_SET_CLOCK:
        {
          DcpSetClock sc;

          if (len < sizeof sc)
            return -EPIPE;
          memcpy (&sc, data, sizeof sc);
          self->clock_base_real_us = g_get_real_time ();
          self->clock_base_cam_us = GINT64_FROM_LE (sc.utc_usec);
          break;
        }
      case DCP_REQ_SET_CONFIG:
        status = parse_config_locked (self, data, len, &message);
        break;
      case DCP_REQ_LIST_RECORDINGS:
        self->stream = STREAM_LIST;
        self->stream_bytes = build_listing_locked (self);
        self->stream_len = length = g_bytes_get_size (self->stream_bytes);
        break;
      case DCP_REQ_READ_RECORDING:
        {
          DcpReadRequest rr;
          SimRecording *rec;
          guint64 offset;

          if (len < sizeof rr)
            return -EPIPE;
          memcpy (&rr, data, sizeof rr);
          rec = find_recording_locked (self, GUINT32_FROM_LE (rr.id), NULL);
          offset = GUINT64_FROM_LE (rr.offset);
          if (rec == NULL)
            {
              status = DCP_STATUS_NOT_FOUND;
              message = "no such recording";
              break;
            }
          if (offset > rec->info.size || GUINT32_FROM_LE (rr.max_length) > DCP_MAX_READ_LENGTH)
            {
              status = DCP_STATUS_INVALID;
              message = "offset or length out of range";
              break;
            }
          self->stream_fd = g_open (rec->path, O_RDONLY | O_CLOEXEC, 0);
          if (self->stream_fd < 0)
            {
              status = DCP_STATUS_STORAGE;
              message = "storage read error";
              break;
            }
          self->stream = STREAM_READ;
          self->stream_rec = rec;
          self->stream_offset = offset;
          self->stream_len = length
              = MIN (rec->info.size - offset, GUINT32_FROM_LE (rr.max_length));
          break;
        }
      case DCP_REQ_DELETE_RECORDING:
        {
          DcpRecordingRef ref;
          guint index;

          if (len < sizeof ref)
            return -EPIPE;
          memcpy (&ref, data, sizeof ref);
          if (find_recording_locked (self, GUINT32_FROM_LE (ref.id), &index) == NULL)
            {
              status = DCP_STATUS_NOT_FOUND;
              message = "no such recording";
            }
          else
            g_ptr_array_remove_index (self->recordings, index);
          break;
        }
      case DCP_REQ_SET_INDICATOR:
        {
          DcpSetIndicator si;

          if (len < sizeof si)
            return -EPIPE;
          memcpy (&si, data, sizeof si);
          if (si.state > DCP_INDICATOR_ERROR)
            {
              status = DCP_STATUS_INVALID;
              message = "unknown indicator state";
            }
          else
            self->indicator = si.state;
          break;
        }
      default:
        return -EPIPE;
    }
  set_result_locked (self, request, tag, status, length, message);
  return 0;
}

gint
docket_sim_camera_handle_control (DocketSimCamera *self, const guint8 setup[8], guint8 *data)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  guint8 type = setup[0];
  guint8 request = setup[1];
  guint16 value = setup[2] | (setup[3] << 8);
  guint16 wlength = setup[6] | (setup[7] << 8);

  if (self->fault_on[DOCKET_SIM_FAULT_NO_REPLY])
    return -EAGAIN;
  if (type == DCP_REQTYPE_IN)
    {
      switch (request)
        {
          case DCP_REQ_IDENTIFY:
            return reply_identify_locked (self, data, wlength);
          case DCP_REQ_GET_STATUS:
            return reply_status_locked (self, data, wlength);
          case DCP_REQ_GET_CONFIG:
            return reply_config_locked (self, data, wlength);
          case DCP_REQ_GET_RESULT:
            if (self->result.hdr.magic == 0)
              return -EPIPE;
            memcpy (data, &self->result, MIN (sizeof self->result, wlength));
            return MIN (sizeof self->result, wlength);
          default:
            return -EPIPE;
        }
    }
  if (type == DCP_REQTYPE_OUT)
    return handle_out_locked (self, request, value, data, wlength);
  return -EPIPE;
}

void
docket_sim_camera_clear_halt (DocketSimCamera *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  self->halted = FALSE;
}

gssize
docket_sim_camera_handle_bulk_in (DocketSimCamera *self,
                                  guint8 *buf,
                                  gsize len,
                                  gboolean *out_unplug)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  guint64 n;
  gint64 now;

  *out_unplug = FALSE;
  if (self->fault_on[DOCKET_SIM_FAULT_STALL])
    self->halted = TRUE;
  if (self->halted)
    return -EPIPE;
  if (self->stream == STREAM_NONE || self->stream_pos >= self->stream_len)
    return -EAGAIN;
  n = MIN (len, self->stream_len - self->stream_pos);

  now = g_get_monotonic_time ();
  if (self->fault_on[DOCKET_SIM_FAULT_SLOW_LINK] && self->fault_arg[DOCKET_SIM_FAULT_SLOW_LINK] > 0)
    {
      if (now < self->link_free_at_us)
        return -EAGAIN;
      self->link_free_at_us
          = now + (gint64)(n * G_USEC_PER_SEC / self->fault_arg[DOCKET_SIM_FAULT_SLOW_LINK]);
    }
  if (self->fault_on[DOCKET_SIM_FAULT_UNPLUG_AT_BYTE])
    {
      guint64 limit = self->fault_arg[DOCKET_SIM_FAULT_UNPLUG_AT_BYTE];

      if (self->unplug_sent + n >= limit)
        {
          n = limit > self->unplug_sent ? limit - self->unplug_sent : 0;
          self->fault_on[DOCKET_SIM_FAULT_UNPLUG_AT_BYTE] = FALSE;
          *out_unplug = TRUE;
        }
      self->unplug_sent += n;
    }

  if (self->stream == STREAM_LIST)
    {
      memcpy (buf, (const guint8 *)g_bytes_get_data (self->stream_bytes, NULL) + self->stream_pos,
              n);
    }
  else
    {
      guint64 file_off = self->stream_offset + self->stream_pos;
      gsize done = 0;

      while (done < n)
        {
          gssize r = pread (self->stream_fd, buf + done, n - done, file_off + done);

          if (r <= 0)
            {
              /* The backing file shrank: the camera halts rather than lie. */
              self->halted = TRUE;
              return -EPIPE;
            }
          done += r;
        }
      if (self->fault_on[DOCKET_SIM_FAULT_CORRUPT_BYTE])
        {
          guint64 at = self->fault_arg[DOCKET_SIM_FAULT_CORRUPT_BYTE];

          if (at >= file_off && at < file_off + n)
            buf[at - file_off] ^= 0x20;
        }
    }
  self->stream_pos += n;
  return (gssize)n;
}
