/* docket-offload-manager.h — runs offload jobs for docked cameras
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Main-thread object. The daemon adds a camera once it is identified and
 * IDLE; the manager runs at most #DocketOffloadManager:max-concurrent jobs at
 * once (0, the default: all docked cameras), keeps the camera's state,
 * problem and offload progress up to date, pauses on a full disk and retries
 * every #DocketOffloadManager:retry-interval seconds, and (optionally) runs
 * deep checks one at a time at low priority after offload.
 * Requires docket_gst_register().
 */
#pragma once

#include <gio/gio.h>

#include "docket-camera.h"
#include "docket-evidence-store.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_OFFLOAD_MANAGER (docket_offload_manager_get_type ())
G_DECLARE_FINAL_TYPE (
    DocketOffloadManager, docket_offload_manager, DOCKET, OFFLOAD_MANAGER, GObject)

DocketOffloadManager *docket_offload_manager_new (DocketEvidenceStore *store);

DocketEvidenceStore *docket_offload_manager_get_store (DocketOffloadManager *self);
guint docket_offload_manager_get_max_concurrent (DocketOffloadManager *self);
void docket_offload_manager_set_max_concurrent (DocketOffloadManager *self, guint max);
gboolean docket_offload_manager_get_delete_after_offload (DocketOffloadManager *self);
void docket_offload_manager_set_delete_after_offload (DocketOffloadManager *self, gboolean del);
gboolean docket_offload_manager_get_deep_check (DocketOffloadManager *self);
void docket_offload_manager_set_deep_check (DocketOffloadManager *self, gboolean deep);
guint docket_offload_manager_get_retry_interval (DocketOffloadManager *self);
void docket_offload_manager_set_retry_interval (DocketOffloadManager *self, guint seconds);

/* Queues an offload (no-op if the camera already has one). */
void docket_offload_manager_add_camera (DocketOffloadManager *self, DocketCamera *camera);
/* The same with this camera's own erase rule (the device policy's for its
 * model): @erase 1 erase after offload, 0 keep the recordings on the camera
 * (@keep_reason goes into each one's audit row), -1 the manager's
 * #DocketOffloadManager:delete-after-offload. */
void docket_offload_manager_add_camera_full (DocketOffloadManager *self,
                                             DocketCamera *camera,
                                             gint erase,
                                             const gchar *keep_reason);
/* Undock: cancels its job (the partial copy is kept) or its queue place. */
void docket_offload_manager_remove_camera (DocketOffloadManager *self, DocketCamera *camera);
gboolean docket_offload_manager_has_camera (DocketOffloadManager *self, DocketCamera *camera);
guint docket_offload_manager_get_n_running (DocketOffloadManager *self);
/* Jobs running or queued, plus deep checks pending. */
gboolean docket_offload_manager_is_idle (DocketOffloadManager *self);

/* Process-wide malloc settings for a process that offloads many cameras
 * at once (docketd, and the benchmarks that stand for it). Call once,
 * early, before threads start. */
void docket_offload_manager_tune_malloc (void);

G_END_DECLS
