/* docket-test-daemon.h — start and stop a real docketd for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Expects a private session bus (GTestDBus) to be up and $DOCKETD to name
 * the docketd binary.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _DocketTestDaemon DocketTestDaemon;

/* A private session bus and an empty state directory, for GTest fixtures. */
typedef struct
{
  GTestDBus *bus;
  gchar *state_dir;
} DocketTestBusFixture;

void docket_test_bus_fixture_setup (DocketTestBusFixture *f, gconstpointer data);
void docket_test_bus_fixture_teardown (DocketTestBusFixture *f, gconstpointer data);

/* Spawns `docketd --session --state-dir STATE_DIR` plus @extra_args and
 * waits until it owns its bus name. Aborts the test on failure. */
DocketTestDaemon *docket_test_daemon_start (const gchar *state_dir, const gchar *const *extra_args);
/* SIGTERM, wait, and return the wait status (as g_spawn_check_wait_status takes). */
gint docket_test_daemon_stop (DocketTestDaemon *daemon);
/* SIGKILL and reap, for crash tests. */
void docket_test_daemon_kill (DocketTestDaemon *daemon);
GPid docket_test_daemon_get_pid (DocketTestDaemon *daemon);

/* Runs a command line to completion; returns its exit code (or -1 if killed). */
gint docket_test_run (const gchar *const *argv, gchar **out_stdout, gchar **out_stderr);

G_END_DECLS
