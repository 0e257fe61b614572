/* docket-camera.h — one docked camera, as Docket knows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain model object: properties only, updated on the main thread by
 * whoever talks to the device (device monitor, offload engine, policy).
 * The daemon mirrors it onto D-Bus by binding properties.
 */
#pragma once

#include <gio/gio.h>

#include "docket-camera-driver.h"

G_BEGIN_DECLS

typedef enum
{
  DOCKET_CAMERA_STATE_IDENTIFYING,
  DOCKET_CAMERA_STATE_IDLE,
  DOCKET_CAMERA_STATE_OFFLOADING,
  DOCKET_CAMERA_STATE_DONE,
  DOCKET_CAMERA_STATE_FAULTY,
} DocketCameraState;

const gchar *docket_camera_state_to_string (DocketCameraState state);

#define DOCKET_TYPE_CAMERA (docket_camera_get_type ())
G_DECLARE_FINAL_TYPE (DocketCamera, docket_camera, DOCKET, CAMERA, GObject)

DocketCamera *docket_camera_new (DocketCameraDriver *driver, const gchar *slot);

DocketCameraDriver *docket_camera_get_driver (DocketCamera *self);
const gchar *docket_camera_get_slot (DocketCamera *self);
const gchar *docket_camera_get_serial (DocketCamera *self);
const gchar *docket_camera_get_vendor (DocketCamera *self);
const gchar *docket_camera_get_model (DocketCamera *self);
const gchar *docket_camera_get_firmware_version (DocketCamera *self);
guint docket_camera_get_protocol_version (DocketCamera *self);
const guint8 *docket_camera_get_public_key (DocketCamera *self);
DocketCameraState docket_camera_get_state (DocketCamera *self);
const gchar *docket_camera_get_problem (DocketCamera *self);
gint docket_camera_get_battery_percent (DocketCamera *self);
DocketChargingState docket_camera_get_charging_state (DocketCamera *self);
gdouble docket_camera_get_battery_temperature (DocketCamera *self);
guint64 docket_camera_get_storage_used (DocketCamera *self);
guint64 docket_camera_get_storage_total (DocketCamera *self);
gint64 docket_camera_get_clock_drift_ms (DocketCamera *self);
GVariant *docket_camera_get_offload (DocketCamera *self);
const gchar *docket_camera_get_officer (DocketCamera *self);
/* Device policy (docket-policy-enforcer.h): "unknown", "checking",
 * "compliant", "changed", "non-compliant", "failed", "no-policy". */
const gchar *docket_camera_get_policy_state (DocketCamera *self);
const gchar *docket_camera_get_policy_problem (DocketCamera *self);
GVariant *docket_camera_get_policy_details (DocketCamera *self);
/* Clock drift as first measured in this dock, before Docket set the clock:
 * what recordings offloaded in this dock carry (clock-drift-ms follows the
 * live clock and is ~0 once the clock was set). */
gint64 docket_camera_get_dock_clock_drift_ms (DocketCamera *self);

void docket_camera_apply_identity (DocketCamera *self, const DocketCameraIdentity *identity);
void docket_camera_apply_status (DocketCamera *self,
                                 const DocketCameraStatus *status,
                                 gint64 kiosk_clock_usec);
void docket_camera_set_state (DocketCamera *self, DocketCameraState state);
void docket_camera_set_problem (DocketCamera *self, const gchar *problem);
/* The problem as a DocketMessage (floating refs sunk; NULL: none): the
 * Problem text in this process's language, and Messages["problem"]. */
void docket_camera_set_problem_message (DocketCamera *self, GVariant *message);
/* Convenience: state FAULTY plus a plain-words problem. */
void docket_camera_set_faulty (DocketCamera *self, const gchar *problem);
/* The same with the problem as a DocketMessage. */
void docket_camera_set_faulty_message (DocketCamera *self, GVariant *message);
/* The same, with @detail (an error's own text, in English) after the
 * message in the Problem text for IT; the officer's card says only the
 * message, in the kiosk's language. */
void docket_camera_set_faulty_detail (DocketCamera *self, GVariant *message, const gchar *detail);
void docket_camera_set_offload (DocketCamera *self, GVariant *offload);
void docket_camera_set_officer (DocketCamera *self, const gchar *officer);
/* @details: a{sv} or NULL (floating refs are sunk). */
void docket_camera_set_policy (DocketCamera *self,
                               const gchar *state,
                               const gchar *problem,
                               GVariant *details);

/* Battery and check-out (set by DocketChargeService). */
gboolean docket_camera_get_ready_for_shift (DocketCamera *self);
gint docket_camera_get_ready_in_seconds (DocketCamera *self);       /* -1 unknown */
gint docket_camera_get_battery_health_percent (DocketCamera *self); /* -1 unknown */
const gchar *docket_camera_get_charge_note (DocketCamera *self);
const gchar *const *docket_camera_get_alerts (DocketCamera *self);
/* Badge of whoever has it checked out, else its assignee, else "". */
const gchar *docket_camera_get_holder (DocketCamera *self);
gboolean docket_camera_get_pooled (DocketCamera *self);
/* @note_message, @alert_messages: the same texts as a DocketMessage (sstas)
 * and a list of them (a(sstas)), or NULL; floating refs are sunk. */
void docket_camera_set_charge (DocketCamera *self,
                               gboolean ready_for_shift,
                               gint ready_in_seconds,
                               gint battery_health_percent,
                               const gchar *charge_note,
                               const gchar *const *alerts,
                               GVariant *note_message,
                               GVariant *alert_messages);
void docket_camera_set_holder (DocketCamera *self, const gchar *holder, gboolean pooled);

/* Firmware update (set by DocketDock): plain words while an update
 * runs, waits or gave up, e.g. "Updating firmware to 2.1.0: 42 %"; "" when
 * there is none. */
const gchar *docket_camera_get_firmware_update (DocketCamera *self);
void docket_camera_set_firmware_update (DocketCamera *self, const gchar *firmware_update);
void docket_camera_set_firmware_update_message (DocketCamera *self, GVariant *message);
/* The same, with @detail after the message in the text, as for a fault. */
void docket_camera_set_firmware_update_detail (DocketCamera *self,
                                               GVariant *message,
                                               const gchar *detail);

/* a{sv}, never NULL: the texts above that were set as DocketMessages, so a
 * client can word them in its own language: "problem", "charge-note",
 * "firmware-update" (sstas) and "alerts" (a(sstas), one per alert). A text set
 * as plain words has no entry. */
GVariant *docket_camera_get_messages (DocketCamera *self);

G_END_DECLS
