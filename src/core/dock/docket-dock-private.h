/* docket-dock-private.h — shared by DocketDock's source files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docket-dock.c: the object, camera lifecycle and offload orchestration;
 * docket-dock-policy.c: the device policy check beside each offload;
 * docket-dock-firmware.c: firmware updates scheduled after an offload;
 * docket-dock-events.c: the event signal, used by all of them.
 * docket-dock.c calls the others; they call only docket-dock-events.c.
 * Threads: main thread only, like DocketDock itself.
 */
#pragma once

#include "docket-dock.h"
#include "docket-firmware-updater.h"
#include "docket-policy-enforcer.h"

G_BEGIN_DECLS

struct _DocketDock
{
  GObject parent_instance;

  /* owned */
  DocketEvidenceStore *store;
  DocketOffloadManager *offload;
  DocketDeviceMonitor *monitor;
  gboolean started;
  /* device policy: NULL when no policy is in force */
  DocketPolicyEnforcer *enforcer;
  /* firmware update: runs after an offload that left nothing behind */
  DocketFirmwareUpdater *firmware;
};

/* The policy in force, or NULL. */
static inline DocketPolicy *
_docket_dock_policy (DocketDock *self)
{
  return self->enforcer != NULL ? docket_policy_enforcer_get_policy (self->enforcer) : NULL;
}

void _docket_dock_emit_event (DocketDock *self,
                              const gchar *kind,
                              DocketCamera *camera,
                              GVariant *details,
                              const gchar *format,
                              ...) G_GNUC_PRINTF (5, 6);
void _docket_dock_start_policy_check (DocketDock *self, DocketCamera *camera);
void _docket_dock_cancel_policy_check (DocketCamera *camera);
void _docket_dock_offload_camera (DocketDock *self, DocketCamera *camera);
void _docket_dock_start_firmware_update (DocketDock *self, DocketCamera *camera);
void _docket_dock_cancel_firmware_update (DocketCamera *camera);
void _docket_dock_on_firmware_progress (DocketFirmwareUpdater *updater,
                                        DocketCamera *camera,
                                        guint percent,
                                        const gchar *version,
                                        DocketDock *self);
void _docket_dock_check_firmware_restart (DocketDock *self, DocketCamera *camera);
const gchar *_docket_dock_camera_label (DocketCamera *camera);

G_END_DECLS
