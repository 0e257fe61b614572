/* docket-policy-service.h — the device policy in docketd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loads IT's signed policy from the policy dir (POLICY_DIR/policy.json,
 * POLICY_DIR/policy.json.sig, trusted keys in POLICY_DIR/trusted-keys/),
 * falls back to the last good one kept in the state dir, hands it to the
 * dock, reloads when configuration management replaces the files, and
 * answers Manager.GetPolicy. Main-thread object. A refused document never
 * reaches the dock; a new good one does (#DocketDock:policy), and the
 * session service follows it with the station rules (docs/policy.md).
 */
#pragma once

#include <gio/gio.h>

#include "docket-dbus-generated.h"
#include "docket-dock.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_POLICY_SERVICE (docket_policy_service_get_type ())
G_DECLARE_FINAL_TYPE (DocketPolicyService, docket_policy_service, DOCKET, POLICY_SERVICE, GObject)

/* Creates the service and ties its life to @dock (the daemon's one call). */
void docket_policy_service_attach (DocketDock *dock,
                                   DocketDBusManager *manager,
                                   const gchar *policy_dir,
                                   const gchar *state_dir);

G_END_DECLS
