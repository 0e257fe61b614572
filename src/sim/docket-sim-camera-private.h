/* docket-sim-camera-private.h — the simulated camera's state, shared by its
 * model (docket-sim-camera.c) and its protocol (docket-sim-camera-protocol.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sodium.h>

#include "docket-camera-driver.h"
#include "docket-dcp-protocol.h"
#include "docket-sim-private.h"
#include "docket-sim-camera.h"

G_BEGIN_DECLS

/* An MP4 `free` box the camera appends to a shared clip, so that cameras
 * sharing footage still hold different bytes (docket_sim_camera_add_recording_distinct). */
#define SIM_TAIL_LEN 16

typedef struct
{
  DocketRecordingInfo info;
  gchar *path;
  /* info.size is the file's size plus tail_len (0 or SIM_TAIL_LEN) */
  guint tail_len;
  guint8 tail[SIM_TAIL_LEN];
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
  guint16 usb_vendor;
  guint16 usb_product;
  gboolean has_dcp_interface;
  gdouble accelerate;
  gdouble drift_ppm;
  gboolean dcp_1_0; /* answers as a DCP 1.0 camera: no charge control */
  gboolean dcp_1_1; /* answers as a DCP 1.1 camera: no firmware update */
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];

  GMutex lock;
  gboolean docked;
  gdouble battery;           /* percent */
  gint64 battery_updated_us; /* monotonic */
  gdouble temperature_c;     /* battery temperature */
  guint8 charge_mode;        /* DcpChargeMode */
  guint8 charge_level;       /* HOLD level */
  gboolean charging;         /* charged during the last update */
  guint32 cycle_count;
  guint32 full_mah;
  guint32 design_mah;
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

  /* Firmware slots A/B: slot_version[active_slot] is what identify says. */
  gchar *slot_version[2];
  gboolean slot_bootable[2];
  guint active_slot;
  guint boot_slot;   /* where the next start boots from */
  guint8 fw_state;   /* DcpFirmwareState */
  guint64 fw_size;   /* announced by FW_BEGIN */
  guint8 fw_sha[32]; /* announced by FW_BEGIN */
  gchar *fw_version; /* announced by FW_BEGIN */
  GByteArray *fw_image;
  guint64 fw_received; /* of the current or last update */
  guint fw_begins;
  gboolean reboot_requested; /* restart once the host read the commit's result */

  StreamKind stream;
  GBytes *stream_bytes; /* LIST */
  guint64 stream_pos;
  guint64 stream_len;
  SimRecording *stream_rec; /* READ (borrowed while in recordings) */
  guint64 stream_offset;
  int stream_fd;
};

/* All take self->lock held. */
void docket_sim_camera_stream_reset (DocketSimCamera *self);
void docket_sim_camera_update_battery_locked (DocketSimCamera *self);
gint64 docket_sim_camera_clock_locked (DocketSimCamera *self);
SimRecording *
docket_sim_camera_find_recording_locked (DocketSimCamera *self, guint32 id, guint *out_index);
const gchar *docket_sim_config_key_name (guint key);
/* docket-sim-camera-firmware.c: FW_BEGIN/WRITE/COMMIT/ABORT. Returns 0
 * with *status and *message for the result, or -EPIPE / -ESHUTDOWN. */
gint docket_sim_camera_firmware_command_locked (DocketSimCamera *self,
                                                guint8 request,
                                                const guint8 *data,
                                                gsize len,
                                                DcpStatusCode *status,
                                                const gchar **message,
                                                DocketSimEvent *out_event);
gint docket_sim_camera_firmware_status_locked (DocketSimCamera *self, guint8 *data, gsize max);
/* Drops an update in progress: the inactive slot is no longer bootable. */
void docket_sim_camera_firmware_discard_locked (DocketSimCamera *self);

G_END_DECLS
