/* docket-session-guard.h — keeps each session object to the connection that opened it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GDBus asks g-authorize-method for method calls only: Properties.Get and
 * GetAll on a session (badge, name, role) would answer any caller, and a
 * skeleton broadcasts its signals (PropertiesChanged, Ended) to every
 * listener on the bus. The guard is a filter on docketd's connection that
 * refuses Properties calls on a session path from anyone but its owner and
 * turns every signal from a session path into a unicast to the owner (a
 * signal from a session no longer known is dropped).
 *
 * Threads: new/register/unregister from the main thread; the filter runs in
 * GDBus's worker thread, so the owner table is behind a mutex.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _DocketSessionGuard DocketSessionGuard;

/* Installs the filter on @connection for object paths under @prefix (which
 * ends in '/'). */
DocketSessionGuard *docket_session_guard_new (GDBusConnection *connection, const gchar *prefix);
void docket_session_guard_free (DocketSessionGuard *guard);
void docket_session_guard_register (DocketSessionGuard *guard,
                                    const gchar *object_path,
                                    const gchar *owner);
void docket_session_guard_unregister (DocketSessionGuard *guard, const gchar *object_path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketSessionGuard, docket_session_guard_free)

G_END_DECLS
