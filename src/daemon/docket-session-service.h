/* docket-session-service.h — sign-in, sessions and IT enrolment on D-Bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Serves io.github.docket.Docket1.People (SignIn) and .Admin (enrolment,
 * camera assignment) at the root path and one .Session object per sign-in.
 * Reads STATE_DIR/station.conf. Main-thread object; argon2 and SQLite run
 * in GTask threads.
 */
#pragma once

#include <gio/gio.h>

#include "docket-dock.h"
#include "docket-retention.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_SESSION_SERVICE (docket_session_service_get_type ())
G_DECLARE_FINAL_TYPE (
    DocketSessionService, docket_session_service, DOCKET, SESSION_SERVICE, GObject)

DocketSessionService *docket_session_service_new (GDBusConnection *connection,
                                                  DocketEvidenceStore *store,
                                                  const gchar *state_dir,
                                                  GError **error);

/* Creates the service for @dock's store and ties its life to @dock (the
 * daemon's one call). */
gboolean docket_session_service_attach (DocketDock *dock,
                                        GDBusConnection *connection,
                                        const gchar *state_dir,
                                        GError **error);

/* Keep-until and holds with the device policy's categories in force
 * (thread-safe; the upstream worker asks it from its own thread). */
DocketRetention *docket_session_service_get_retention (DocketSessionService *self);

G_END_DECLS
