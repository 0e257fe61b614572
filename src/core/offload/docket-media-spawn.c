/* docket-media-spawn.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* posix_spawn_file_actions_addclosefrom_np */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "docket-error.h"
#include "docket-media-spawn.h"

#define POLL_MS 100
#define MAX_MESSAGE 4096

extern char **environ;

static GMutex running_lock;
static GArray *running; /* (mutex running_lock) pid_t of live helpers */
static gboolean closed; /* (mutex running_lock) after kill_all: no new helper */

void
docket_media_spawn_result_clear (DocketMediaSpawnResult *result)
{
  g_clear_pointer (&result->output, g_bytes_unref);
  g_clear_pointer (&result->message, g_free);
}

/* FALSE when adding after kill_all(): the caller kills @pid at once. */
static gboolean
track (pid_t pid, gboolean add)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&running_lock);

  if (running == NULL)
    running = g_array_new (FALSE, FALSE, sizeof (pid_t));
  if (add && closed)
    return FALSE;
  if (add)
    g_array_append_val (running, pid);
  else
    for (guint i = 0; i < running->len; i++)
      if (g_array_index (running, pid_t, i) == pid)
        {
          g_array_remove_index_fast (running, i);
          break;
        }
  return TRUE;
}

guint
docket_media_spawn_get_n_running (void)
{
  guint n;

  g_mutex_lock (&running_lock);
  n = running != NULL ? running->len : 0;
  g_mutex_unlock (&running_lock);
  return n;
}

void
docket_media_spawn_kill_all (void)
{
  g_mutex_lock (&running_lock);
  /* A thread still working through its queue (thumbnails, then deep checks)
   * would otherwise start the next helper after this, and it would outlive
   * docketd. */
  closed = TRUE;
  for (guint i = 0; running != NULL && i < running->len; i++)
    {
      pid_t pid = g_array_index (running, pid_t, i);

      g_warning ("Media helper %d still running at exit: killed", (int)pid);
      (void)kill (pid, SIGKILL);
    }
  g_mutex_unlock (&running_lock);
  /* The threads waiting on them reap them; give them a moment. */
  for (guint i = 0; i < 50 && docket_media_spawn_get_n_running () > 0; i++)
    g_usleep (20 * 1000);
}

gboolean
docket_media_spawn_is_closed (void)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&running_lock);

  return closed;
}

/* Drains what is ready on @fd into @buf (at most @limit kept). FALSE at EOF. */
static gboolean
drain (int fd, GByteArray *buf, gsize limit)
{
  guint8 chunk[16384];
  gssize n = read (fd, chunk, sizeof chunk);

  if (n < 0)
    return errno == EINTR || errno == EAGAIN;
  if (n == 0)
    return FALSE;
  if (buf->len < limit)
    g_byte_array_append (buf, chunk, (guint)MIN ((gsize)n, limit - buf->len));
  return TRUE;
}

static void
kill_and_reap (pid_t pid)
{
  (void)kill (pid, SIGKILL);
  while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
  track (pid, FALSE);
}

gboolean
docket_media_spawn (const gchar *helper,
                    const gchar *const *args,
                    const gchar *path,
                    guint timeout_ms,
                    gsize max_output,
                    GCancellable *cancellable,
                    DocketMediaSpawnResult *out_result,
                    GError **error)
{
  /* The deadline starts before anything can block. */
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GByteArray) err = g_byte_array_new ();
  posix_spawn_file_actions_t actions;
  int out_pipe[2] = { -1, -1 };
  int err_pipe[2] = { -1, -1 };
  int fd, input;
  pid_t pid = 0;
  int rc, wstatus = 0;
  gboolean out_open = TRUE, err_open = TRUE;
  gboolean reaped = FALSE;
  const gchar *why = NULL;

  memset (out_result, 0, sizeof *out_result);
  if (docket_media_spawn_is_closed ())
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _ ("The media check was cancelled: Docket is stopping"));
      return FALSE;
    }
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Could not open “%s”: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  /* Above the three the child's dup2()s target, so none is clobbered. */
  input = fcntl (fd, F_DUPFD_CLOEXEC, 10);
  close (fd);
  if (input < 0 || !g_unix_open_pipe (out_pipe, FD_CLOEXEC, NULL)
      || !g_unix_open_pipe (err_pipe, FD_CLOEXEC, NULL))
    {
      int saved = errno;
      if (input >= 0)
        close (input);
      if (out_pipe[0] >= 0)
        {
          close (out_pipe[0]);
          close (out_pipe[1]);
        }
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "pipe: %s", g_strerror (saved));
      return FALSE;
    }

  g_ptr_array_add (argv, (gpointer)helper);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_adddup2 (&actions, input, 3);
  posix_spawn_file_actions_adddup2 (&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2 (&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addclosefrom_np (&actions, 4);
  /* posix_spawn() is clone(CLONE_VFORK) + exec in glibc: no atfork handlers run. */
  rc = posix_spawn (&pid, helper, &actions, NULL, (char *const *)argv->pdata, environ);
  posix_spawn_file_actions_destroy (&actions);
  close (input);
  close (out_pipe[1]);
  close (err_pipe[1]);
  if (rc != 0)
    {
      close (out_pipe[0]);
      close (err_pipe[0]);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   _ ("The media helper “%s” could not start: %s"), helper, g_strerror (rc));
      return FALSE;
    }
  if (!track (pid, TRUE))
    {
      /* kill_all() ran between the check above and the spawn. */
      close (out_pipe[0]);
      close (err_pipe[0]);
      (void)kill (pid, SIGKILL);
      while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
        ;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _ ("The media check was cancelled: Docket is stopping"));
      return FALSE;
    }
  (void)fcntl (out_pipe[0], F_SETFL, O_NONBLOCK);
  (void)fcntl (err_pipe[0], F_SETFL, O_NONBLOCK);

  while (!reaped)
    {
      struct pollfd fds[2];
      nfds_t n = 0;
      gint64 now = g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (cancellable))
        {
          why = "cancelled";
          break;
        }
      if (now >= deadline)
        {
          why = "timeout";
          break;
        }
      if (out_open)
        fds[n++] = (struct pollfd){ .fd = out_pipe[0], .events = POLLIN };
      if (err_open)
        fds[n++] = (struct pollfd){ .fd = err_pipe[0], .events = POLLIN };
      if (n > 0)
        {
          if (poll (fds, n, (int)MIN (POLL_MS, (deadline - now) / 1000 + 1)) > 0)
            for (nfds_t i = 0; i < n; i++)
              if (fds[i].revents != 0)
                {
                  if (fds[i].fd == out_pipe[0])
                    out_open = drain (out_pipe[0], out, max_output);
                  else
                    err_open = drain (err_pipe[0], err, MAX_MESSAGE);
                }
          continue;
        }
      /* Both pipes closed: the helper is exiting (or closed them and hangs). */
      rc = waitpid (pid, &wstatus, WNOHANG);
      if (rc == pid)
        reaped = TRUE;
      else if (rc < 0 && errno != EINTR)
        {
          why = "lost";
          break;
        }
      else
        g_usleep (10 * 1000);
    }
  close (out_pipe[0]);
  close (err_pipe[0]);

  if (!reaped)
    {
      kill_and_reap (pid);
      if (g_strcmp0 (why, "cancelled") == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _ ("The media check was cancelled"));
          return FALSE;
        }
      g_warning ("Media helper %s (%s) overran its %u s limit and was killed", helper,
                 args != NULL && args[0] != NULL ? args[0] : "", timeout_ms / 1000);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT,
                   _ ("The media helper stopped answering and was stopped after %u seconds"),
                   MAX (1u, timeout_ms / 1000));
      return FALSE;
    }
  track (pid, FALSE);
  if (WIFSIGNALED (wstatus) && WTERMSIG (wstatus) == SIGKILL && docket_media_spawn_is_closed ())
    {
      /* Killed by kill_all(), not by the file: not a crash to record. */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _ ("The media check was cancelled: Docket is stopping"));
      return FALSE;
    }

  out_result->exited = WIFEXITED (wstatus);
  out_result->status = WIFEXITED (wstatus) ? WEXITSTATUS (wstatus) : WTERMSIG (wstatus);
  out_result->output = g_byte_array_free_to_bytes (g_steal_pointer (&out));
  g_byte_array_append (err, (const guint8 *)"", 1);
  out_result->message = g_strstrip (g_utf8_make_valid ((const gchar *)err->data, -1));
  return TRUE;
}
