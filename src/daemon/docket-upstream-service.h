/* docket-upstream-service.h — the upstream worker in docketd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the [upstream] group of STATE_DIR/station.conf, runs the upstream
 * engine's worker thread on the dock's evidence store, publishes its
 * progress as Manager.Upstream and answers Manager.ControlUpstream (root or
 * docketd's own user only). A refused configuration is not fatal: docketd
 * keeps docking, and the IT page says what is wrong. Main-thread object.
 */
#pragma once

#include <gio/gio.h>

#include "docket-dbus-generated.h"
#include "docket-dock.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_UPSTREAM_SERVICE (docket_upstream_service_get_type ())
G_DECLARE_FINAL_TYPE (
    DocketUpstreamService, docket_upstream_service, DOCKET, UPSTREAM_SERVICE, GObject)

/* Creates the service and ties its life to @dock (the daemon's one call). */
void docket_upstream_service_attach (DocketDock *dock,
                                     GDBusConnection *connection,
                                     DocketDBusManager *manager,
                                     const gchar *state_dir);

G_END_DECLS
