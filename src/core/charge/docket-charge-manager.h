/* docket-charge-manager.h — batteries of docked cameras: ready for shift,
 * time to ready, alerts, charge control and charge history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each status poll of a docked camera goes through
 * docket_charge_manager_update(), which returns what the kiosk shows (ready
 * for shift, seconds to ready from the charge rate observed in this dock,
 * battery health, alerts, why it is not charging) and the charge mode the
 * dock should set through the driver (stop above the policy's temperature
 * limit until 5 °C below it, hold spares at the storage level, hold at the
 * model's charge limit). Undocking closes the camera's charge session, which
 * is kept in the database for IT (docket_charge_manager_list_history()).
 *
 * Thread-safe; update() does no I/O, undocked() and list_history() write
 * and read the database (worker threads).
 */
#pragma once

#include <gio/gio.h>

#include "docket-camera-driver.h"
#include "docket-database.h"
#include "docket-policy.h"

G_BEGIN_DECLS

const gchar *docket_charge_mode_to_string (DocketChargeMode mode);

/* Hysteresis: charging resumes this far below the temperature limit. */
#define DOCKET_CHARGE_RESUME_MARGIN_C 5.0

typedef struct
{
  guint ready_percent;       /* station.ready-charge-percent */
  guint max_temperature_c;   /* station.battery-alerts.max-temperature-c */
  guint min_health_percent;  /* station.battery-alerts.min-health-percent */
  guint storage_percent;     /* station.checkout.spare-storage-percent, 0 = not managed */
  gint charge_limit_percent; /* the model's charge-limit-percent, -1 = none */
} DocketChargeSettings;

/* The policy's values for @model, or the built-in defaults when @policy is
 * NULL (80 % ready, 45 °C, 70 % health, no storage level, no limit). */
void docket_charge_settings_init (DocketChargeSettings *settings,
                                  DocketPolicy *policy,
                                  const gchar *model);

typedef struct
{
  gboolean ready_for_shift;
  gint ready_in_seconds; /* 0 when ready, -1 unknown (no charge rate yet, or not charging) */
  gint health_percent;   /* full / design capacity; -1 unknown */
  DocketChargeMode mode; /* what the dock should set */
  guint hold_percent;    /* for DOCKET_CHARGE_MODE_HOLD */
  gboolean too_hot;
  gchar *note;  /* why it is not charging, plain words; "" when it charges or is full */
  GStrv alerts; /* plain words, never NULL */
  /* The same as DocketMessages, for clients in another language: (sstas) or
   * NULL without a note, and a(sstas) (never NULL) */
  GVariant *note_message;
  GVariant *alert_messages;
} DocketChargeReport;

void docket_charge_report_free (DocketChargeReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketChargeReport, docket_charge_report_free)

/* One dock-to-undock stay of a camera, for IT. */
typedef struct
{
  gchar *serial;
  gint64 docked_usec;
  gint64 undocked_usec;
  gint start_percent;
  gint end_percent;
  guint cycle_count;
  guint full_mah;
  guint design_mah;
  gdouble max_temperature_c;
} DocketChargeSession;

void docket_charge_session_free (DocketChargeSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketChargeSession, docket_charge_session_free)

#define DOCKET_TYPE_CHARGE_MANAGER (docket_charge_manager_get_type ())
G_DECLARE_FINAL_TYPE (DocketChargeManager, docket_charge_manager, DOCKET, CHARGE_MANAGER, GObject)

/* @db: NULL keeps no history. */
DocketChargeManager *docket_charge_manager_new (DocketDatabase *db);

/* @spare: the camera is neither assigned to anyone nor checked out, so the
 * storage level applies. @now_usec: kiosk clock. */
DocketChargeReport *docket_charge_manager_update (DocketChargeManager *self,
                                                  const gchar *serial,
                                                  const DocketChargeSettings *settings,
                                                  const DocketCameraStatus *status,
                                                  gboolean spare,
                                                  gint64 now_usec);

/* Closes the camera's charge session (if it was seen) and records it. */
gboolean docket_charge_manager_undocked (DocketChargeManager *self,
                                         const gchar *serial,
                                         gint64 now_usec,
                                         GError **error);

/* GPtrArray of DocketChargeSession, newest first; at most @limit (0 = all). */
GPtrArray *docket_charge_manager_list_history (DocketChargeManager *self,
                                               const gchar *serial,
                                               guint limit,
                                               GError **error);

/* Sends @report's mode to a camera with DOCKET_CAMERA_CAP_CHARGE_CONTROL in
 * @capabilities (docket_camera_driver_get_capabilities()) when it differs
 * from the one last sent to it (so polling does not write to the camera
 * every time). Returns TRUE without I/O for cameras without charge control
 * (@out_supported FALSE). Blocking: worker threads. */
gboolean docket_charge_manager_apply (DocketChargeManager *self,
                                      const gchar *serial,
                                      const DocketChargeReport *report,
                                      DocketCameraDriver *driver,
                                      DocketCameraCapabilities capabilities,
                                      gboolean *out_supported,
                                      GCancellable *cancellable,
                                      GError **error);

G_END_DECLS
