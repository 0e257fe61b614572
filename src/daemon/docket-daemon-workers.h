/* docket-daemon-workers.h — worker threads docketd waits for before exiting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every GTask thread that docketd starts for a method call (Tag, Approve,
 * SignIn, the Admin methods, ...), for a sign-out row or for the purge of
 * approved deletions writes to the evidence store. A reply, or SIGTERM, can
 * come before that write is on disk; main () drains the workers so the
 * process never exits under a writer (libcrypto torn down, the row lost).
 *
 * Threads: docket_daemon_workers_run () from any thread;
 * docket_daemon_workers_drain () from the main thread once the main loop
 * has stopped (the workers' callbacks then never run, their writes do).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* g_task_run_in_thread (), counted until @func returns. */
void docket_daemon_workers_run (GTask *task, GTaskThreadFunc func);
/* Blocks until every worker started by docket_daemon_workers_run () has
 * returned. */
void docket_daemon_workers_drain (void);

G_END_DECLS
