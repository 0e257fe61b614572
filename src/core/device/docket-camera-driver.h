/* docket-camera-driver.h — what Docket needs from any camera protocol
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A driver speaks one camera protocol (DCP over libusb today; mass storage or
 * vendor protocols later). It is the only way the engine talks to a camera:
 * nothing outside src/core/drivers/<family>/ knows which family a camera is.
 * A family registers a factory in the driver registry
 * (docket-camera-driver-registry.h) under the name known-cameras.ini gives.
 *
 * Required: get_name, identify, get_status, list_recordings, read_recording.
 * Optional (NULL = not supported; the wrappers then fail with
 * DOCKET_ERROR_NOT_SUPPORTED, or succeed where noted): open, set_clock,
 * get_config, set_config, delete_recording, set_indicator (succeeds), close,
 * get_capabilities (none), set_charge and the firmware_* group. Callers check
 * get_capabilities() after identify before the charge and firmware calls.
 *
 * Threads: every method is *blocking*, thread-safe and cancellable: callers
 * run them from worker threads (GTask, a GStreamer streaming thread), never
 * from the main loop. A cancelled call returns promptly with
 * G_IO_ERROR_CANCELLED and leaves the camera usable. Errors use DOCKET_ERROR
 * with messages a person can act on.
 */
#pragma once

#include <gio/gio.h>

#include "docket-sha256.h"

G_BEGIN_DECLS

#define DOCKET_ED25519_PUBLIC_KEY_LEN 32
#define DOCKET_ED25519_SIGNATURE_LEN 64

/* What a camera can do beyond offload, known after identify. */
typedef enum /*< flags >*/
{
  DOCKET_CAMERA_CAP_NONE = 0,
  DOCKET_CAMERA_CAP_CHARGE_CONTROL = 1 << 0,  /* set_charge */
  DOCKET_CAMERA_CAP_FIRMWARE_UPDATE = 1 << 1, /* firmware_begin/write/commit/abort */
} DocketCameraCapabilities;

typedef enum
{
  DOCKET_CHARGE_MODE_NORMAL, /* charge to full */
  DOCKET_CHARGE_MODE_HOLD,   /* charge to a level, no further */
  DOCKET_CHARGE_MODE_STOP,   /* do not charge */
} DocketChargeMode;

/* The largest firmware image Docket reads or sends to any camera, and the
 * longest version string (bytes, without NUL) a camera family may carry. */
#define DOCKET_FIRMWARE_MAX_IMAGE (64u * 1024 * 1024)
#define DOCKET_FIRMWARE_VERSION_MAX 31

typedef enum
{
  DOCKET_INDICATOR_OFF,
  DOCKET_INDICATOR_IDLE,
  DOCKET_INDICATOR_OFFLOADING,
  DOCKET_INDICATOR_DONE,
  DOCKET_INDICATOR_ERROR,
} DocketIndicator;

typedef enum
{
  DOCKET_CHARGING_UNKNOWN,
  DOCKET_CHARGING_CHARGING,
  DOCKET_CHARGING_FULL,
  DOCKET_CHARGING_DISCHARGING,
  DOCKET_CHARGING_NOT_CHARGING,
} DocketChargingState;

typedef enum
{
  DOCKET_RECORDING_FLAG_NONE = 0,
  DOCKET_RECORDING_FLAG_EVENT_MARKED = 1 << 0,
  DOCKET_RECORDING_FLAG_RECORDING = 1 << 1, /* still being written */
} DocketRecordingFlags;

typedef struct
{
  gchar *vendor;
  gchar *model;
  gchar *serial;
  gchar *firmware_version;
  guint32 protocol_version;
  guint32 capabilities; /* the protocol's own bits, for diagnostics; see get_capabilities() */
  guint8 public_key[DOCKET_ED25519_PUBLIC_KEY_LEN];
} DocketCameraIdentity;

typedef struct
{
  gint battery_percent; /* -1 unknown */
  DocketChargingState charging;
  gdouble battery_temperature_c;
  guint32 battery_cycle_count;
  guint32 battery_full_capacity_mah;
  guint32 battery_design_capacity_mah;
  guint64 storage_used;
  guint64 storage_total;
  gint64 camera_clock_usec; /* camera's UTC clock, microseconds since the epoch */
} DocketCameraStatus;

/* One recording as the camera describes it. The name is untrusted text from
 * the device: never use it as a path. */
typedef struct
{
  guint32 id;
  gchar *name;
  gint64 start_usec; /* UTC, camera clock */
  guint64 duration_ms;
  guint64 size;
  guint8 sha256[DOCKET_SHA256_LEN];
  guint8 signature[DOCKET_ED25519_SIGNATURE_LEN];
  guint32 flags; /* DocketRecordingFlags */
} DocketRecordingInfo;

#define DOCKET_TYPE_RECORDING_INFO (docket_recording_info_get_type ())
GType docket_recording_info_get_type (void) G_GNUC_CONST;
DocketRecordingInfo *docket_recording_info_copy (const DocketRecordingInfo *info);
void docket_recording_info_free (DocketRecordingInfo *info);
gchar *docket_recording_info_sha256_hex (const DocketRecordingInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketRecordingInfo, docket_recording_info_free)

void docket_camera_identity_clear (DocketCameraIdentity *identity);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketCameraIdentity, docket_camera_identity_clear)

const gchar *docket_charging_state_to_string (DocketChargingState state);

#define DOCKET_TYPE_CAMERA_DRIVER (docket_camera_driver_get_type ())
G_DECLARE_INTERFACE (DocketCameraDriver, docket_camera_driver, DOCKET, CAMERA_DRIVER, GObject)

struct _DocketCameraDriverInterface
{
  GTypeInterface parent_iface;

  const gchar *(*get_name) (DocketCameraDriver *self);
  gboolean (*identify) (DocketCameraDriver *self,
                        DocketCameraIdentity *out_identity,
                        GCancellable *cancellable,
                        GError **error);
  gboolean (*get_status) (DocketCameraDriver *self,
                          DocketCameraStatus *out_status,
                          GCancellable *cancellable,
                          GError **error);
  gboolean (*set_clock) (DocketCameraDriver *self,
                         gint64 utc_usec,
                         GCancellable *cancellable,
                         GError **error);
  /* Configuration as a{sv} with typed keys (see docs/protocol.md). */
  GVariant *(*get_config) (DocketCameraDriver *self, GCancellable *cancellable, GError **error);
  gboolean (*set_config) (DocketCameraDriver *self,
                          GVariant *config,
                          GCancellable *cancellable,
                          GError **error);
  /* Returns a GPtrArray of DocketRecordingInfo (owned, with free func). */
  GPtrArray *(*list_recordings) (DocketCameraDriver *self,
                                 GCancellable *cancellable,
                                 GError **error);
  /* Reads up to @len bytes at @offset. Returns bytes read, 0 at end, -1 on error. */
  gssize (*read_recording) (DocketCameraDriver *self,
                            guint32 id,
                            guint64 offset,
                            guint8 *buffer,
                            gsize len,
                            GCancellable *cancellable,
                            GError **error);
  gboolean (*delete_recording) (DocketCameraDriver *self,
                                guint32 id,
                                GCancellable *cancellable,
                                GError **error);
  gboolean (*set_indicator) (DocketCameraDriver *self,
                             DocketIndicator state,
                             GCancellable *cancellable,
                             GError **error);
  /* Stop all I/O; later calls fail with DOCKET_ERROR_DISCONNECTED. */
  void (*close) (DocketCameraDriver *self);

  /* Optional: find and claim the device before identify. */
  gboolean (*open) (DocketCameraDriver *self, GCancellable *cancellable, GError **error);
  /* Optional: DocketCameraCapabilities, valid after a successful identify. */
  DocketCameraCapabilities (*get_capabilities) (DocketCameraDriver *self);
  /* Optional (DOCKET_CAMERA_CAP_CHARGE_CONTROL). @level_percent is used by
   * DOCKET_CHARGE_MODE_HOLD only. */
  gboolean (*set_charge) (DocketCameraDriver *self,
                          DocketChargeMode mode,
                          guint level_percent,
                          GCancellable *cancellable,
                          GError **error);
  /* Optional (DOCKET_CAMERA_CAP_FIRMWARE_UPDATE): begin, write the image in
   * order (any chunk size: the driver splits as its protocol needs),
   * commit. After a successful commit the camera restarts and comes back
   * with the new firmware. Abort drops a partial image; the running
   * firmware is never touched before commit. */
  gboolean (*firmware_begin) (DocketCameraDriver *self,
                              guint64 image_size,
                              const guint8 sha256[DOCKET_SHA256_LEN],
                              const gchar *version,
                              GCancellable *cancellable,
                              GError **error);
  gboolean (*firmware_write) (DocketCameraDriver *self,
                              guint64 offset,
                              const guint8 *data,
                              gsize len,
                              GCancellable *cancellable,
                              GError **error);
  gboolean (*firmware_commit) (DocketCameraDriver *self, GCancellable *cancellable, GError **error);
  gboolean (*firmware_abort) (DocketCameraDriver *self, GCancellable *cancellable, GError **error);
};

const gchar *docket_camera_driver_get_name (DocketCameraDriver *self);
gboolean docket_camera_driver_identify (DocketCameraDriver *self,
                                        DocketCameraIdentity *out_identity,
                                        GCancellable *cancellable,
                                        GError **error);
gboolean docket_camera_driver_get_status (DocketCameraDriver *self,
                                          DocketCameraStatus *out_status,
                                          GCancellable *cancellable,
                                          GError **error);
gboolean docket_camera_driver_set_clock (DocketCameraDriver *self,
                                         gint64 utc_usec,
                                         GCancellable *cancellable,
                                         GError **error);
GVariant *docket_camera_driver_get_config (DocketCameraDriver *self,
                                           GCancellable *cancellable,
                                           GError **error);
gboolean docket_camera_driver_set_config (DocketCameraDriver *self,
                                          GVariant *config,
                                          GCancellable *cancellable,
                                          GError **error);
GPtrArray *docket_camera_driver_list_recordings (DocketCameraDriver *self,
                                                 GCancellable *cancellable,
                                                 GError **error);
gssize docket_camera_driver_read_recording (DocketCameraDriver *self,
                                            guint32 id,
                                            guint64 offset,
                                            guint8 *buffer,
                                            gsize len,
                                            GCancellable *cancellable,
                                            GError **error);
gboolean docket_camera_driver_delete_recording (DocketCameraDriver *self,
                                                guint32 id,
                                                GCancellable *cancellable,
                                                GError **error);
gboolean docket_camera_driver_set_indicator (DocketCameraDriver *self,
                                             DocketIndicator state,
                                             GCancellable *cancellable,
                                             GError **error);
void docket_camera_driver_close (DocketCameraDriver *self);
gboolean
docket_camera_driver_open (DocketCameraDriver *self, GCancellable *cancellable, GError **error);
DocketCameraCapabilities docket_camera_driver_get_capabilities (DocketCameraDriver *self);
gboolean docket_camera_driver_set_charge (DocketCameraDriver *self,
                                          DocketChargeMode mode,
                                          guint level_percent,
                                          GCancellable *cancellable,
                                          GError **error);
gboolean docket_camera_driver_firmware_begin (DocketCameraDriver *self,
                                              guint64 image_size,
                                              const guint8 sha256[DOCKET_SHA256_LEN],
                                              const gchar *version,
                                              GCancellable *cancellable,
                                              GError **error);
gboolean docket_camera_driver_firmware_write (DocketCameraDriver *self,
                                              guint64 offset,
                                              const guint8 *data,
                                              gsize len,
                                              GCancellable *cancellable,
                                              GError **error);
gboolean docket_camera_driver_firmware_commit (DocketCameraDriver *self,
                                               GCancellable *cancellable,
                                               GError **error);
gboolean docket_camera_driver_firmware_abort (DocketCameraDriver *self,
                                              GCancellable *cancellable,
                                              GError **error);

G_END_DECLS
