/* docket-session-methods.h — a session's D-Bus methods, adapted onto core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session service builds a signed-in session from its lifecycle
 * (docket-session.c) and these adapters, so the two files depend one way:
 * the adapters use the lifecycle, never the other way round.
 *
 * Threads: main thread.
 */
#pragma once

#include "docket-session.h"

G_BEGIN_DECLS

/* Connects the skeleton's handle-* and g-authorize-method signals. Call
 * before docket_session_export(). */
void docket_session_methods_connect (DocketSession *self);

G_END_DECLS
