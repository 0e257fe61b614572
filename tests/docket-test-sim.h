/* docket-test-sim.h — docketd behind docket-sim on a private bus, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `docket-sim -- docketd --session` is what the demo runs: real udev and
 * libusb code in docketd, cameras played by umockdev. Tests embed a
 * DocketTestSim in their fixture and talk to the daemon only over D-Bus.
 * Needs $DOCKET_SIM, $DOCKET_SIM_MEDIA_DIR and $DOCKETD.
 */
#pragma once

#include <gio/gio.h>

#include "docket-dbus-generated.h"

G_BEGIN_DECLS

typedef struct
{
  GTestDBus *bus;
  gchar *state_dir;
  GSubprocess *sim;
  GOutputStream *sim_stdin;
  GDBusObjectManager *objects;
} DocketTestSim;

/* Brings up a private bus and runs docket-sim with @cameras cameras of
 * @recordings recordings each, around docketd (plus @daemon_args, may be
 * NULL); returns once docketd owns its name. */
void docket_test_sim_start (DocketTestSim *self,
                            guint cameras,
                            guint recordings,
                            const gchar *const *daemon_args);
/* "quit" (the simulator SIGTERMs docketd and exits with its status), then
 * asserts a clean exit and removes the state directory. */
void docket_test_sim_stop (DocketTestSim *self);
/* The same, but keeps the state directory (the caller removes it). */
void docket_test_sim_quit (DocketTestSim *self);
/* One line of the simulator's stdin language ("dock SIM-0001", …). */
void docket_test_sim_command (DocketTestSim *self, const gchar *command);
DocketDBusCamera *docket_test_sim_find_camera (DocketTestSim *self, const gchar *serial);

typedef gboolean (*DocketTestCondition) (gpointer fixture, gconstpointer data);
/* Iterates the main context until @cond holds; fails after a generous limit
 * (ASan on 2 busy cores is slow), never a timing assertion. */
void docket_test_wait_until (DocketTestCondition cond,
                             gpointer fixture,
                             gconstpointer data,
                             const gchar *what);

G_END_DECLS
