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
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "docket-error.h"
#include "docket-media-answer-private.h"
#include "docket-media-socket.h"
#include "docket-media-spawn.h"

extern char **environ;

static GMutex running_lock;
static GArray *running; /* (mutex running_lock) pid_t of live helpers */
static GArray *idle;    /* (mutex running_lock) those of them started ahead, still without
                         * their file: nobody waits on them until it comes */
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
    for (GArray *a = running; a != NULL; a = a == running ? idle : NULL)
      for (guint i = 0; i < a->len; i++)
        if (g_array_index (a, pid_t, i) == pid)
          {
            g_array_remove_index_fast (a, i);
            break;
          }
  return TRUE;
}

/* @pid (tracked) waits for its file, or no longer does. */
static void
set_idle (pid_t pid, gboolean is_idle)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&running_lock);

  if (idle == NULL)
    idle = g_array_new (FALSE, FALSE, sizeof (pid_t));
  if (is_idle)
    g_array_append_val (idle, pid);
  else
    for (guint i = 0; i < idle->len; i++)
      if (g_array_index (idle, pid_t, i) == pid)
        {
          g_array_remove_index_fast (idle, i);
          break;
        }
}

/* Helpers a thread is waiting on. */
static guint
get_n_waited (void)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&running_lock);

  return (running != NULL ? running->len : 0) - (idle != NULL ? idle->len : 0);
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
  /* The threads waiting on them reap them; give them a moment. Those
   * started ahead are reaped when their job hands them the file or drops
   * them: they are dead already. */
  for (guint i = 0; i < 50 && get_n_waited () > 0; i++)
    g_usleep (20 * 1000);
}

gboolean
docket_media_spawn_is_closed (void)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&running_lock);

  return closed;
}

/* Drains what is ready on @fd into @answer, as its output or its message.
 * FALSE at EOF. */
static gboolean
drain (int fd, DocketMediaAnswer *answer, gboolean is_output)
{
  guint8 chunk[16384];
  gssize n = read (fd, chunk, sizeof chunk);

  if (n < 0)
    return errno == EINTR || errno == EAGAIN;
  if (n == 0)
    return FALSE;
  if (is_output)
    _docket_media_answer_add_output (answer, chunk, (gsize)n);
  else
    _docket_media_answer_add_message (answer, chunk, (gsize)n);
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

struct _DocketMediaSpawnStarted
{
  gchar *helper;
  gchar *mode;
  pid_t pid;
  int channel; /* the file goes here (socketpair), -1 once sent or when given at start */
  int out_fd;
  int err_fd;
};

void
docket_media_spawn_started_free (DocketMediaSpawnStarted *started)
{
  if (started == NULL)
    return;
  if (started->pid > 0)
    kill_and_reap (started->pid);
  if (started->channel >= 0)
    close (started->channel);
  if (started->out_fd >= 0)
    close (started->out_fd);
  if (started->err_fd >= 0)
    close (started->err_fd);
  g_free (started->helper);
  g_free (started->mode);
  g_free (started);
}

static gboolean
closed_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _ ("The media check was cancelled: Docket is stopping"));
  return FALSE;
}

/* Starts `@helper @args…` with @input as its fd 3, or (@input < 0) with a
 * socket as its stdin over which the file comes later. */
static DocketMediaSpawnStarted *
start (const gchar *helper, const gchar *const *args, int input, GError **error)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  posix_spawn_file_actions_t actions;
  int out_pipe[2] = { -1, -1 };
  int err_pipe[2] = { -1, -1 };
  int pair[2] = { -1, -1 };
  pid_t pid = 0;
  int rc;
  DocketMediaSpawnStarted *started;

  if (!g_unix_open_pipe (out_pipe, FD_CLOEXEC, NULL)
      || !g_unix_open_pipe (err_pipe, FD_CLOEXEC, NULL)
      || (input < 0 && socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0))
    {
      int saved = errno;
      for (guint i = 0; i < 2; i++)
        {
          if (out_pipe[i] >= 0)
            close (out_pipe[i]);
          if (err_pipe[i] >= 0)
            close (err_pipe[i]);
        }
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "pipe: %s", g_strerror (saved));
      return NULL;
    }
  /* Above the fds the child's dup2()s target, so none is clobbered. */
  if (pair[1] >= 0 && pair[1] < 10)
    {
      int high = fcntl (pair[1], F_DUPFD_CLOEXEC, 10);
      close (pair[1]);
      pair[1] = high;
    }

  g_ptr_array_add (argv, (gpointer)helper);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  posix_spawn_file_actions_init (&actions);
  if (input >= 0)
    posix_spawn_file_actions_adddup2 (&actions, input, 3);
  else
    posix_spawn_file_actions_adddup2 (&actions, pair[1], 0);
  posix_spawn_file_actions_adddup2 (&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2 (&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addclosefrom_np (&actions, input >= 0 ? 4 : 3);
  /* posix_spawn() is clone(CLONE_VFORK) + exec in glibc: no atfork handlers run. */
  rc = pair[1] < 0 && input < 0
           ? EMFILE
           : posix_spawn (&pid, helper, &actions, NULL, (char *const *)argv->pdata, environ);
  posix_spawn_file_actions_destroy (&actions);
  close (out_pipe[1]);
  close (err_pipe[1]);
  if (pair[1] >= 0)
    close (pair[1]);
  if (rc != 0)
    {
      close (out_pipe[0]);
      close (err_pipe[0]);
      if (pair[0] >= 0)
        close (pair[0]);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   _ ("The media helper “%s” could not start: %s"), helper, g_strerror (rc));
      return NULL;
    }
  started = g_new0 (DocketMediaSpawnStarted, 1);
  started->helper = g_strdup (helper);
  started->mode = g_strdup (args != NULL && args[0] != NULL ? args[0] : "");
  started->channel = pair[0];
  started->out_fd = out_pipe[0];
  started->err_fd = err_pipe[0];
  if (!track (pid, TRUE))
    {
      /* kill_all() ran between the caller's check and the spawn. */
      (void)kill (pid, SIGKILL);
      while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
        ;
      docket_media_spawn_started_free (started);
      closed_error (error);
      return NULL;
    }
  started->pid = pid;
  if (input < 0)
    set_idle (pid, TRUE);
  (void)fcntl (started->out_fd, F_SETFL, O_NONBLOCK);
  (void)fcntl (started->err_fd, F_SETFL, O_NONBLOCK);
  return started;
}

/* Opens @path read-only, above fd 10. */
static int
open_input (const gchar *path, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  int input;

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Could not open “%s”: %s"), path,
                   g_strerror (saved));
      return -1;
    }
  input = fcntl (fd, F_DUPFD_CLOEXEC, 10);
  close (fd);
  if (input < 0)
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "fcntl: %s", g_strerror (errno));
  return input;
}

/* Reads the helper's output until it exits or @deadline passes; kills it
 * then. Frees @started. */
static gboolean
wait_for (DocketMediaSpawnStarted *started,
          gint64 deadline,
          guint timeout_ms,
          gsize max_output,
          GCancellable *cancellable,
          DocketMediaSpawnResult *out_result,
          GError **error)
{
  g_auto (DocketMediaAnswer) answer = { 0 };
  pid_t pid = started->pid;
  int rc, wstatus = 0;
  gboolean out_open = TRUE, err_open = TRUE;
  gboolean reaped = FALSE;

  _docket_media_answer_init (&answer, deadline, timeout_ms, max_output);
  while (!reaped)
    {
      struct pollfd fds[2];
      nfds_t n = 0;
      int ready;

      if (out_open)
        fds[n++] = (struct pollfd){ .fd = started->out_fd, .events = POLLIN };
      if (err_open)
        fds[n++] = (struct pollfd){ .fd = started->err_fd, .events = POLLIN };
      if (!_docket_media_answer_wait (&answer, fds, n, cancellable, &ready))
        break;
      if (n > 0)
        {
          if (ready > 0)
            for (nfds_t i = 0; i < n; i++)
              if (fds[i].revents != 0)
                {
                  if (fds[i].fd == started->out_fd)
                    out_open = drain (started->out_fd, &answer, TRUE);
                  else
                    err_open = drain (started->err_fd, &answer, FALSE);
                }
          continue;
        }
      /* Both pipes closed: the helper is exiting (or closed them and hangs). */
      rc = waitpid (pid, &wstatus, WNOHANG);
      if (rc == pid)
        reaped = TRUE;
      else if (rc < 0 && errno != EINTR)
        {
          answer.why = "lost";
          break;
        }
      else
        g_usleep (10 * 1000);
    }

  if (!reaped)
    {
      g_autofree gchar *helper = g_strdup (started->helper);
      g_autofree gchar *mode = g_strdup (started->mode);

      docket_media_spawn_started_free (started); /* kills and reaps it */
      return _docket_media_answer_stopped (&answer, helper, mode, "killed", error);
    }
  track (pid, FALSE);
  started->pid = 0;
  docket_media_spawn_started_free (started);
  if (WIFSIGNALED (wstatus) && WTERMSIG (wstatus) == SIGKILL && docket_media_spawn_is_closed ())
    /* Killed by kill_all(), not by the file: not a crash to record. */
    return closed_error (error);

  out_result->exited = WIFEXITED (wstatus);
  out_result->status = WIFEXITED (wstatus) ? WEXITSTATUS (wstatus) : WTERMSIG (wstatus);
  _docket_media_answer_take (&answer, &out_result->output, &out_result->message);
  return TRUE;
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
  DocketMediaSpawnStarted *started;
  int input;

  memset (out_result, 0, sizeof *out_result);
  if (docket_media_spawn_is_closed ())
    return closed_error (error);
  input = open_input (path, error);
  if (input < 0)
    return FALSE;
  started = start (helper, args, input, error);
  close (input);
  if (started == NULL)
    return FALSE;
  return wait_for (started, deadline, timeout_ms, max_output, cancellable, out_result, error);
}

DocketMediaSpawnStarted *
docket_media_spawn_start (const gchar *helper, const gchar *const *args, GError **error)
{
  if (docket_media_spawn_is_closed ())
    {
      closed_error (error);
      return NULL;
    }
  return start (helper, args, -1, error);
}

gboolean
docket_media_spawn_finish (DocketMediaSpawnStarted *started,
                           const gchar *path,
                           guint timeout_ms,
                           gsize max_output,
                           GCancellable *cancellable,
                           DocketMediaSpawnResult *out_result,
                           GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  g_autoptr (GError) send_error = NULL;
  int input;
  int rc;

  memset (out_result, 0, sizeof *out_result);
  /* Ended before it had the file (killed at exit, or it failed to start
   * up): that says nothing about the file. */
  rc = waitpid (started->pid, NULL, WNOHANG);
  if (rc == started->pid)
    {
      track (started->pid, FALSE);
      started->pid = 0;
      docket_media_spawn_started_free (started);
      if (docket_media_spawn_is_closed ())
        return closed_error (error);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE,
                           "the media helper ended before it had the file");
      return FALSE;
    }
  input = open_input (path, error);
  if (input < 0)
    {
      docket_media_spawn_started_free (started);
      return FALSE;
    }
  set_idle (started->pid, FALSE);
  if (!docket_media_socket_send_file (started->channel, started->mode, input, &send_error))
    {
      close (input);
      docket_media_spawn_started_free (started);
      if (docket_media_spawn_is_closed ())
        return closed_error (error);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE,
                   "the media helper ended before it had the file: %s", send_error->message);
      return FALSE;
    }
  close (input);
  /* Our end stays open until it is reaped: closing it could read as "no
   * file" to a helper that has not read the request yet. */
  return wait_for (started, deadline, timeout_ms, max_output, cancellable, out_result, error);
}
