/* docket-daemon-workers.c — worker threads docketd waits for before exiting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-daemon-workers.h"

static GMutex lock;
static GCond drained;
static guint pending;

typedef struct
{
  GTaskThreadFunc func;
} Worker;

static GQuark
worker_quark (void)
{
  return g_quark_from_static_string ("docket-daemon-worker");
}

static void
worker_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Worker *worker = g_object_get_qdata (G_OBJECT (task), worker_quark ());
#if DOCKET_TEST_HOOKS
  /* Tests widen the window between a method's reply (or SIGTERM) and its
   * write, to prove the drain. Only in builds with -Dtest_hooks=true. */
  const gchar *delay_ms = g_getenv ("DOCKET_TEST_WORKER_DELAY_MS");

  if (delay_ms != NULL)
    g_usleep (g_ascii_strtoull (delay_ms, NULL, 10) * 1000);
#endif
  worker->func (task, source, task_data, cancellable);
  g_mutex_lock (&lock);
  pending--;
  g_cond_broadcast (&drained);
  g_mutex_unlock (&lock);
}

void
docket_daemon_workers_run (GTask *task, GTaskThreadFunc func)
{
  Worker *worker;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  worker = g_new0 (Worker, 1);
  worker->func = func;
  g_object_set_qdata_full (G_OBJECT (task), worker_quark (), worker, g_free);
  g_mutex_lock (&lock);
  pending++;
  g_mutex_unlock (&lock);
  g_task_run_in_thread (task, worker_thread);
}

void
docket_daemon_workers_drain (void)
{
  g_mutex_lock (&lock);
  while (pending > 0)
    g_cond_wait (&drained, &lock);
  g_mutex_unlock (&lock);
}
