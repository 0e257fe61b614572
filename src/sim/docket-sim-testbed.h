/* docket-sim-testbed.h — simulated cameras on a umockdev testbed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The process must run under LD_PRELOAD=libumockdev-preload.so.0: call
 * docket_sim_ensure_preload() first thing in main(). Docking and undocking
 * run on the thread-default main context the testbed was created on; an
 * unplug fault finishes its undock there, so keep that context iterating.
 */
#pragma once

#include <gio/gio.h>

#include "docket-sim-camera.h"

G_BEGIN_DECLS

/* Re-executes the program under the umockdev preload library if it is not
 * already loaded. Returns FALSE (with @error) if that is impossible; the
 * caller should then skip (exit 77). Never returns on a successful re-exec. */
gboolean docket_sim_ensure_preload (gchar **argv, GError **error);
gboolean docket_sim_preload_active (void);

#define DOCKET_TYPE_SIM_TESTBED (docket_sim_testbed_get_type ())
G_DECLARE_FINAL_TYPE (DocketSimTestbed, docket_sim_testbed, DOCKET, SIM_TESTBED, GObject)

DocketSimTestbed *docket_sim_testbed_new (GError **error);

/* Creates a camera (not yet docked). Returns it (transfer none). */
DocketSimCamera *docket_sim_testbed_add_camera (DocketSimTestbed *self,
                                                const DocketSimCameraOptions *options,
                                                GError **error);
DocketSimCamera *docket_sim_testbed_get_camera (DocketSimTestbed *self, const gchar *serial);
/* (transfer container) DocketSimCamera */
GPtrArray *docket_sim_testbed_get_cameras (DocketSimTestbed *self);

gboolean docket_sim_testbed_dock (DocketSimTestbed *self, const gchar *serial, GError **error);
gboolean docket_sim_testbed_undock (DocketSimTestbed *self, const gchar *serial, GError **error);
gboolean docket_sim_testbed_is_docked (DocketSimTestbed *self, const gchar *serial);
/* "/sys/devices/…" of a docked camera, or NULL */
const gchar *docket_sim_testbed_get_syspath (DocketSimTestbed *self, const gchar *serial);
/* "/dev/bus/usb/001/NNN" */
gchar *docket_sim_testbed_get_devnode (DocketSimTestbed *self, const gchar *serial);
/* The umockdev root directory (UMOCKDEV_DIR for child processes). */
const gchar *docket_sim_testbed_get_root_dir (DocketSimTestbed *self);

G_END_DECLS
