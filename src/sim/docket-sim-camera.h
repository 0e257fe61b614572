/* docket-sim-camera.h — one simulated DCP camera
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The camera's behaviour (identify, status, config, recordings, faults) in a
 * thread-safe object: the USB glue (docket-sim-usb.c) calls it from
 * umockdev's ioctl thread while tests and the docket-sim program change it
 * from the main thread.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOCKET_SIM_USB_VENDOR 0x1209
#define DOCKET_SIM_USB_PRODUCT 0xDC01

typedef struct
{
  const gchar *serial;           /* required, 1–64 bytes */
  const gchar *vendor;           /* default "Docket Project" */
  const gchar *model;            /* default "DCP Reference Camera" */
  const gchar *firmware_version; /* default "1.0.0" */
  guint16 usb_vendor;            /* default DOCKET_SIM_USB_VENDOR */
  guint16 usb_product;           /* default DOCKET_SIM_USB_PRODUCT */
  gint battery_percent;          /* initial charge; default 40 (0 means default) */
  gdouble accelerate;            /* battery/clock time factor; default 1 */
  gint64 clock_offset_usec;      /* initial clock error */
  gdouble clock_drift_ppm;       /* how fast the clock drifts */
  gboolean no_dcp_interface;     /* a USB device with a known id but no DCP */
  gboolean dcp_1_0;              /* a DCP 1.0 camera: no charge control */
  gboolean dcp_1_1;              /* a DCP 1.1 camera: no firmware update */
} DocketSimCameraOptions;

typedef enum
{
  DOCKET_SIM_FAULT_UNPLUG_AT_BYTE,    /* arg: bulk bytes sent before the cable "comes out" */
  DOCKET_SIM_FAULT_STALL,             /* bulk IN endpoint halts */
  DOCKET_SIM_FAULT_SLOW_LINK,         /* arg: bytes per second on bulk IN (the link's rate) */
  DOCKET_SIM_FAULT_CORRUPT_BYTE,      /* arg: offset in a recording flipped in transit */
  DOCKET_SIM_FAULT_WRONG_HASH,        /* listing reports a wrong SHA-256 */
  DOCKET_SIM_FAULT_WRONG_SIGNATURE,   /* listing carries a bad signature */
  DOCKET_SIM_FAULT_OVERSIZE_LENGTH,   /* a length field runs past the end of its message */
  DOCKET_SIM_FAULT_TRUNCATED,         /* replies cut short */
  DOCKET_SIM_FAULT_WRONG_VERSION,     /* messages claim protocol version 2 */
  DOCKET_SIM_FAULT_NON_UTF8_NAME,     /* recording names are not UTF-8 */
  DOCKET_SIM_FAULT_PATH_NAME,         /* recording names like ../../etc/passwd */
  DOCKET_SIM_FAULT_NO_REPLY,          /* control requests are never answered */
  DOCKET_SIM_FAULT_FW_UNPLUG_AT_BYTE, /* arg: firmware image bytes received before the unplug */
  DOCKET_SIM_FAULT_FW_CORRUPT_CHUNK,  /* arg: image offset flipped on receipt (commit then fails) */
  DOCKET_SIM_FAULT_FW_MALFORMED,      /* firmware results and status come back truncated */
  DOCKET_SIM_FAULT_LINK_LATENCY, /* arg: microseconds from a bulk IN submit to its first byte */
  DOCKET_SIM_N_FAULTS
} DocketSimFault;

const gchar *docket_sim_fault_to_string (DocketSimFault fault);
gboolean docket_sim_fault_from_string (const gchar *name, DocketSimFault *out_fault);

#define DOCKET_TYPE_SIM_CAMERA (docket_sim_camera_get_type ())
G_DECLARE_FINAL_TYPE (DocketSimCamera, docket_sim_camera, DOCKET, SIM_CAMERA, GObject)

DocketSimCamera *docket_sim_camera_new (const DocketSimCameraOptions *options, GError **error);

const gchar *docket_sim_camera_get_serial (DocketSimCamera *self);
guint16 docket_sim_camera_get_usb_vendor (DocketSimCamera *self);
guint16 docket_sim_camera_get_usb_product (DocketSimCamera *self);
gboolean docket_sim_camera_get_has_dcp_interface (DocketSimCamera *self);
void docket_sim_camera_get_public_key (DocketSimCamera *self, guint8 out_key[32]);
gboolean docket_sim_camera_get_docked (DocketSimCamera *self);

/* Adds a recording backed by @path (read at offload time, not copied). The
 * camera hashes and signs it. Returns the new id, or 0 with @error set. */
guint32 docket_sim_camera_add_recording (DocketSimCamera *self, const gchar *path, GError **error);
guint32 docket_sim_camera_add_recording_full (DocketSimCamera *self,
                                              const gchar *path,
                                              const gchar *name,
                                              gint64 start_usec,
                                              guint64 duration_ms,
                                              guint32 flags,
                                              GError **error);
/* As docket_sim_camera_add_recording_full(), with a 16-byte MP4 `free` box
 * appended that names this camera and recording: cameras given the same
 * clip then hold different bytes, as real cameras' footage does (a store
 * keeps one copy of identical content, which would flatter a benchmark). */
guint32 docket_sim_camera_add_recording_distinct (DocketSimCamera *self,
                                                  const gchar *path,
                                                  guint64 duration_ms,
                                                  GError **error);
/* @count recordings that all share the content of @path (10,000-entry tests). */
gboolean docket_sim_camera_add_many_recordings (DocketSimCamera *self,
                                                const gchar *path,
                                                guint count,
                                                GError **error);
guint docket_sim_camera_get_n_recordings (DocketSimCamera *self);
gboolean docket_sim_camera_has_recording (DocketSimCamera *self, guint32 id);

void docket_sim_camera_set_fault (DocketSimCamera *self, DocketSimFault fault, guint64 arg);
void docket_sim_camera_clear_fault (DocketSimCamera *self, DocketSimFault fault);
void docket_sim_camera_clear_faults (DocketSimCamera *self);

/* What the host last did, for tests */
gint docket_sim_camera_get_indicator (DocketSimCamera *self); /* DcpIndicator */
gint64 docket_sim_camera_get_clock (DocketSimCamera *self);
gdouble docket_sim_camera_get_battery (DocketSimCamera *self);
GVariant *docket_sim_camera_dup_config (DocketSimCamera *self); /* a{sv} */

/* Battery. While docked the camera charges (full in three hours at
 * accelerate = 1) unless the host stopped it or holds it at a level; the
 * battery warms by 6 °C an hour while charging, up to 45 °C, and cools by
 * 12 °C an hour towards 25 °C when not. Health defaults: 137 cycles, 2900 of
 * 3200 mAh. */
void docket_sim_camera_set_battery (DocketSimCamera *self, gdouble percent);
void docket_sim_camera_set_battery_temperature (DocketSimCamera *self, gdouble celsius);
gdouble docket_sim_camera_get_battery_temperature (DocketSimCamera *self);
void docket_sim_camera_set_battery_health (DocketSimCamera *self,
                                           guint32 cycle_count,
                                           guint32 full_mah,
                                           guint32 design_mah);
/* DcpChargeMode the host last set; @out_level the HOLD level (may be NULL). */
gint docket_sim_camera_get_charge_mode (DocketSimCamera *self, gint *out_level);

/* Firmware (DCP 1.2): two slots, A (0) and B (1). An image is written to
 * the inactive slot; only a committed, verified image becomes active, at the
 * restart that follows the commit (the testbed re-plugs the camera). */
gchar *docket_sim_camera_dup_firmware_version (DocketSimCamera *self);
guint docket_sim_camera_get_active_slot (DocketSimCamera *self);
gboolean docket_sim_camera_get_slot_bootable (DocketSimCamera *self, guint slot);
/* FW_BEGIN requests seen, and image bytes the camera holds from the
 * update in progress (or the last one), for "never sent" assertions. */
guint docket_sim_camera_get_firmware_begins (DocketSimCamera *self);
guint64 docket_sim_camera_get_firmware_received (DocketSimCamera *self);

G_END_DECLS
