/* docket-firmware-updater.h — bring a docked camera up to the policy's firmware
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Main-thread object; each update runs in a worker thread (GTask,
 * cancellable). An update happens only when the device policy sets both a
 * `minimum-firmware` the camera is below and a `firmware` image, the image
 * in the firmware folder matches the policy's SHA-256 (else it is refused
 * and never sent), and the camera holds no recording that is not safely in
 * the evidence store (else it is deferred). Each attempt and its result get
 * an audit row. An update cut short (undock, error) is retried the next
 * time the camera docks, up to #DocketFirmwareUpdater:max-attempts times;
 * then the updater gives up and says so in plain words, never looping.
 * A committed update finishes when the camera comes back: call
 * docket_firmware_updater_camera_identified() on every identify.
 */
#pragma once

#include <gio/gio.h>

#include "docket-audit-log.h"
#include "docket-camera.h"
#include "docket-evidence-store.h"
#include "docket-policy.h"

G_BEGIN_DECLS

#define DOCKET_FIRMWARE_DEFAULT_MAX_ATTEMPTS 3

typedef enum
{
  DOCKET_FIRMWARE_NOT_NEEDED,  /* no image for this model, or already new enough */
  DOCKET_FIRMWARE_COMMITTED,   /* sent and committed: the camera is restarting */
  DOCKET_FIRMWARE_DEFERRED,    /* recordings not yet offloaded: nothing sent */
  DOCKET_FIRMWARE_REFUSED,     /* the image is missing, tampered or unusable: nothing sent */
  DOCKET_FIRMWARE_UNSUPPORTED, /* the camera cannot update over the dock */
  DOCKET_FIRMWARE_FAILED,      /* this attempt failed; the next dock retries */
  DOCKET_FIRMWARE_GAVE_UP,     /* max-attempts failed: no more tries */
} DocketFirmwareOutcome;

const gchar *docket_firmware_outcome_to_string (DocketFirmwareOutcome outcome);

typedef struct
{
  DocketFirmwareOutcome outcome;
  gchar *message;        /* plain words, translated; NULL for NOT_NEEDED */
  GVariant *words;       /* the camera card's line as a DocketMessage, for a kiosk in
                          * any language; NULL for NOT_NEEDED */
  gchar *detail;         /* the error behind it, for IT; or NULL */
  gchar *target_version; /* the image's version, when known */
  guint attempt;         /* this attempt's number (1-based), 0 when none was made */
  guint max_attempts;
} DocketFirmwareResult;

void docket_firmware_result_free (DocketFirmwareResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketFirmwareResult, docket_firmware_result_free)

typedef enum
{
  DOCKET_FIRMWARE_RESTART_NONE,    /* no committed update was waiting for this camera */
  DOCKET_FIRMWARE_RESTART_UPDATED, /* it came back with the new version */
  DOCKET_FIRMWARE_RESTART_OLD,     /* it came back with another version: counts as failed */
} DocketFirmwareRestart;

#define DOCKET_TYPE_FIRMWARE_UPDATER (docket_firmware_updater_get_type ())
G_DECLARE_FINAL_TYPE (
    DocketFirmwareUpdater, docket_firmware_updater, DOCKET, FIRMWARE_UPDATER, GObject)

/* @store: recordings on the camera must be in it before anything is sent
 * (NULL: any recording on the camera defers the update). @audit: NULL
 * writes no audit rows. */
DocketFirmwareUpdater *docket_firmware_updater_new (const gchar *firmware_dir,
                                                    DocketEvidenceStore *store,
                                                    DocketAuditLog *audit);
const gchar *docket_firmware_updater_get_dir (DocketFirmwareUpdater *self);
guint docket_firmware_updater_get_max_attempts (DocketFirmwareUpdater *self);
void docket_firmware_updater_set_max_attempts (DocketFirmwareUpdater *self, guint max_attempts);
/* Failed attempts so far for @serial (reset by a successful update). */
guint docket_firmware_updater_get_attempts (DocketFirmwareUpdater *self, const gchar *serial);

/* Updates @camera (identified, docked) if @policy asks for it. Never fails
 * for a camera problem (that is in the result); only cancellation fails
 * the task. ::progress is emitted on the calling thread's main context. */
void docket_firmware_updater_update_async (DocketFirmwareUpdater *self,
                                           DocketCamera *camera,
                                           DocketPolicy *policy,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
DocketFirmwareResult *docket_firmware_updater_update_finish (DocketFirmwareUpdater *self,
                                                             GAsyncResult *result,
                                                             GError **error);

/* Main thread, no I/O: a camera was identified. If a committed update was
 * waiting for it, says whether it came back with the new firmware (audit
 * row "firmware-updated" or "firmware-update-failed"). @out_version: the
 * version that was expected (may be NULL). */
DocketFirmwareRestart docket_firmware_updater_camera_identified (DocketFirmwareUpdater *self,
                                                                 DocketCamera *camera,
                                                                 gchar **out_version);

G_END_DECLS
