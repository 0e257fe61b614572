/* docket-dbus-error.h — the one table from core errors onto D-Bus errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Clients (DocketClient, the kiosk, docketctl) see one error domain:
 * DOCKET_SESSION_ERROR, registered in the core library as
 * io.github.docket.Docket1.Error.*, so a proxy gets the same domain and
 * code back. The core's DOCKET_ERROR codes are folded onto it here, by one
 * table that lists every code; any other domain becomes Failed. The message
 * is kept: it is written for people.
 *
 * Threads: any.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Rewrites *@error into DOCKET_SESSION_ERROR. Returns FALSE when its code
 * had no entry (a foreign domain, or a DocketError missing from the table)
 * and became DOCKET_SESSION_ERROR_FAILED. */
gboolean docket_dbus_error_convert (GError **error);
/* Returns @error, converted, as the reply to @invocation. */
void docket_dbus_error_return (GDBusMethodInvocation *invocation, const GError *error);

G_END_DECLS
