/* docket-media-spawn.h — runs the media helper on one file, bounded in time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Camera files are untrusted: every parse and decode of one runs in
 * docket-media-helper, which gets the file only as a read-only fd 3 and
 * drops its privileges before touching it. The helper is started with
 * posix_spawn() (no fork(), so no atfork handlers and no lock held by
 * another thread can wedge the child before exec), its deadline starts
 * before the spawn, and a helper that overruns it is killed and reaped,
 * with a warning in the log.
 *
 * Threads: any thread; the calls block until the helper is gone.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean exited; /* FALSE: killed by a signal (crashed) */
  gint status;     /* exit status, or the signal */
  GBytes *output;  /* stdout, at most the limit asked for */
  gchar *message;  /* stderr, stripped, valid UTF-8, bounded */
} DocketMediaSpawnResult;

void docket_media_spawn_result_clear (DocketMediaSpawnResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketMediaSpawnResult, docket_media_spawn_result_clear)

/* Runs `@helper @args…` with @path open read-only as its fd 3. TRUE when
 * the helper ended on its own (see @out_result for how); FALSE with
 * DOCKET_ERROR_TIMEOUT when it overran @timeout_ms (it was killed), with
 * G_IO_ERROR_CANCELLED on cancellation (killed too), or when it could not
 * start. */
gboolean docket_media_spawn (const gchar *helper,
                             const gchar *const *args,
                             const gchar *path,
                             guint timeout_ms,
                             gsize max_output,
                             GCancellable *cancellable,
                             DocketMediaSpawnResult *out_result,
                             GError **error);

/* A helper started before its file is complete (during the copy), so that
 * its start-up and plugin loading overlap the copy. Its stdin is a socket
 * over which the file's read-only fd comes later (SCM_RIGHTS); it waits
 * for it before it reads anything. Freeing it kills and reaps the helper. */
typedef struct _DocketMediaSpawnStarted DocketMediaSpawnStarted;

DocketMediaSpawnStarted *
docket_media_spawn_start (const gchar *helper, const gchar *const *args, GError **error);
void docket_media_spawn_started_free (DocketMediaSpawnStarted *started);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketMediaSpawnStarted, docket_media_spawn_started_free)
/* Hands @path to @started (consumed) and waits as docket_media_spawn()
 * does, the deadline counting from now. FALSE with G_IO_ERROR_BROKEN_PIPE
 * when the helper ended before it had the file: that says nothing about
 * the file, the caller starts a fresh one. */
gboolean docket_media_spawn_finish (DocketMediaSpawnStarted *started,
                                    const gchar *path,
                                    guint timeout_ms,
                                    gsize max_output,
                                    GCancellable *cancellable,
                                    DocketMediaSpawnResult *out_result,
                                    GError **error);

/* Helpers running now (started ones waiting for their file too). */
guint docket_media_spawn_get_n_running (void);
/* SIGKILLs and reaps every helper still running (daemon exit); from then
 * on docket_media_spawn() starts none (G_IO_ERROR_CANCELLED), so no helper
 * outlives the process. */
void docket_media_spawn_kill_all (void);
gboolean docket_media_spawn_is_closed (void);

G_END_DECLS
