/* docket-media-helper.c — parses, decodes or thumbnails one untrusted camera file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: docket-media-helper parse|deep|thumbnail|self-test TIMEOUT_MS WIDTH
 * The file is fd 3 (read-only); a thumbnail's PNG goes to stdout. Run by
 * docketd through docket-media-spawn.c. Started ahead, while the file is
 * still being copied, it has no fd 3 and its stdin is a socket: it loads
 * its plugins, then waits there for the request line and the file's fd
 * (SCM_RIGHTS, as below). With --socket it is one connection
 * of docket-media.socket instead (stdin): the same request and the file's
 * fd arrive over it, the answer goes back over it (docket-media-socket.h
 * has the protocol), and it exits when docketd hangs up. Before it reads a
 * byte of the file it locks itself in: started as root it leaves the
 * network namespace and becomes the docket-media user (else nobody); then
 * no new privileges, memory and CPU limits, and a seccomp filter that
 * refuses network sockets, exec, ptrace, mounts and namespaces. Exit 0: the
 * file passed; 1: it did not (the reason, in plain words, on stderr); 4:
 * the check ran out of time; 2: usage or sandbox failure.
 */
#define _GNU_SOURCE /* setresuid, unshare */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef HAVE_SECCOMP
#include <seccomp.h>
#endif

#include <glib/gi18n-lib.h>
#include <gst/gst.h>

#include "docket-error.h"
#include "docket-media-check.h"
#include "docket-media-socket.h"

#define MEMORY_LIMIT (1536ull * 1024 * 1024)

static gboolean
drop_privileges (GError **error)
{
  struct passwd *pw;

  if (geteuid () != 0)
    return TRUE;
  /* No network: a fresh, empty namespace (root only). */
  if (unshare (CLONE_NEWNET) < 0)
    g_debug ("unshare(CLONE_NEWNET): %s", g_strerror (errno));
  pw = getpwnam ("docket-media");
  if (pw == NULL)
    pw = getpwnam ("nobody");
  if (pw == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "no unprivileged user to run as");
      return FALSE;
    }
  if (setgroups (0, NULL) < 0 || setresgid (pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0
      || setresuid (pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "dropping privileges: %s",
                   g_strerror (errno));
      return FALSE;
    }
  if (setuid (0) == 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "could regain root");
      return FALSE;
    }
  return TRUE;
}

static void
set_limits (guint timeout_ms)
{
  struct rlimit cpu = { timeout_ms / 1000 + 10, timeout_ms / 1000 + 15 };
  struct rlimit core = { 0, 0 };

  (void)setrlimit (RLIMIT_CPU, &cpu);
  (void)setrlimit (RLIMIT_CORE, &core);
#if !defined(__SANITIZE_ADDRESS__)
  {
    /* (AddressSanitizer reserves terabytes of address space.) */
    struct rlimit as = { MEMORY_LIMIT, MEMORY_LIMIT };
    (void)setrlimit (RLIMIT_AS, &as);
  }
#endif
}

static gboolean
lock_down (GError **error)
{
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "PR_SET_NO_NEW_PRIVS: %s",
                   g_strerror (errno));
      return FALSE;
    }
#ifdef HAVE_SECCOMP
  {
    /* Deny what a parser never needs; GStreamer's own needs (threads,
     * memory, futexes, reading fd 3) are too many to list one by one. */
    static const int denied[] = {
      SCMP_SYS (connect),
      SCMP_SYS (bind),
      SCMP_SYS (listen),
      SCMP_SYS (accept),
      SCMP_SYS (accept4),
      SCMP_SYS (execve),
      SCMP_SYS (execveat),
      SCMP_SYS (process_vm_readv),
      SCMP_SYS (process_vm_writev),
      SCMP_SYS (mount),
      SCMP_SYS (umount2),
      SCMP_SYS (pivot_root),
      SCMP_SYS (chroot),
      SCMP_SYS (unshare),
      SCMP_SYS (setns),
      SCMP_SYS (keyctl),
      SCMP_SYS (add_key),
      SCMP_SYS (request_key),
      SCMP_SYS (bpf),
      SCMP_SYS (perf_event_open),
      SCMP_SYS (init_module),
      SCMP_SYS (finit_module),
      SCMP_SYS (delete_module),
      SCMP_SYS (kexec_load),
      SCMP_SYS (open_by_handle_at),
      SCMP_SYS (setuid),
      SCMP_SYS (setgid),
      SCMP_SYS (setreuid),
      SCMP_SYS (setregid),
      SCMP_SYS (setresuid),
      SCMP_SYS (setresgid),
      SCMP_SYS (setgroups),
      SCMP_SYS (userfaultfd),
      SCMP_SYS (fork),
      SCMP_SYS (vfork),
    };
    static const guint64 namespaces[]
        = { CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET, CLONE_NEWPID, CLONE_NEWIPC, CLONE_NEWUTS };
    scmp_filter_ctx ctx = seccomp_init (SCMP_ACT_ALLOW);
    int rc = ctx != NULL ? 0 : -ENOMEM;

    for (gsize i = 0; rc == 0 && i < G_N_ELEMENTS (denied); i++)
      rc = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), denied[i], 0);
    /* clone() is how threads start; new namespaces are refused. clone3()'s
     * flags cannot be seen by a filter: "not implemented" makes glibc fall
     * back to clone(). */
    for (gsize i = 0; rc == 0 && i < G_N_ELEMENTS (namespaces); i++)
      rc = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (clone), 1,
                             SCMP_A0 (SCMP_CMP_MASKED_EQ, namespaces[i], namespaces[i]));
    if (rc == 0)
      rc = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (ENOSYS), SCMP_SYS (clone3), 0);
#if !defined(__SANITIZE_ADDRESS__)
    /* (LeakSanitizer stops the process's threads with ptrace at exit.) */
    if (rc == 0)
      rc = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (ptrace), 0);
#endif
    /* GstPoll wakes itself through a socketpair(); no other sockets, so no
     * network even where the namespace could not be left. */
    if (rc == 0)
      rc = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (socket), 1,
                             SCMP_A0 (SCMP_CMP_NE, AF_UNIX));
    if (rc == 0)
      rc = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (socketpair), 1,
                             SCMP_A0 (SCMP_CMP_NE, AF_UNIX));
    if (rc == 0)
      rc = seccomp_load (ctx);
    if (ctx != NULL)
      seccomp_release (ctx);
    if (rc != 0)
      {
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "seccomp: %s", g_strerror (-rc));
        return FALSE;
      }
  }
#endif
  return TRUE;
}

/* Socket mode: the request and the file's fd from docketd; the file becomes
 * fd 3, stdout a memory file whose bytes go back with the answer. */
static gboolean
receive_request (int sock, gchar ***out_args, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree gchar *line = NULL;
  int fd = -1;

  line = docket_media_socket_receive_request (sock, &fd, &local_error);
  if (line == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "request: ");
      return FALSE;
    }
  if (dup2 (fd, 3) < 0)
    {
      int saved = errno;
      close (fd);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "dup2: %s", g_strerror (saved));
      return FALSE;
    }
  if (fd != 3)
    close (fd);
  *out_args = g_strsplit (line, " ", 4);
  return TRUE;
}

/* Loads what a check needs (some elements open files on first use) before
 * the sandbox, and while docketd is still copying a helper started ahead. */
static void
warm_up (void)
{
  static const gchar *const names[] = { "qtdemux", "h264parse" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GstElement *e = gst_element_factory_make (names[i], NULL);
      if (e != NULL)
        gst_object_unref (gst_object_ref_sink (e));
    }
}

/* Started ahead: no fd 3 yet, and stdin a socket. */
static gboolean
started_ahead (void)
{
  struct stat st;

  return fcntl (3, F_GETFD) < 0 && fstat (0, &st) == 0 && S_ISSOCK (st.st_mode);
}

/* docketd gone (it gave up on this check, or stopped): so is the check. */
static gpointer
watch_peer (gpointer data)
{
  struct pollfd pfd = { .fd = GPOINTER_TO_INT (data), .events = POLLIN | POLLRDHUP };

  while (poll (&pfd, 1, -1) < 0 && errno == EINTR)
    ;
  _exit (3);
  return NULL;
}

static int
run (const gchar *mode, guint64 timeout, guint64 width, GError **error)
{
  if (g_str_equal (mode, "deep"))
    docket_media_count_decode_errors (TRUE);
  /* Decodes come after the commit: they wait for the offloads, not the
   * reverse. A thumbnail (one frame) less so than a full decode, so that a
   * busy station still makes it well inside its time limit. */
  if (g_str_equal (mode, "deep"))
    (void)setpriority (PRIO_PROCESS, 0, 19);
  else if (g_str_equal (mode, "thumbnail"))
    (void)setpriority (PRIO_PROCESS, 0, 10);
  warm_up ();
  if (!drop_privileges (error) || (set_limits ((guint)timeout), !lock_down (error)))
    {
      g_prefix_error (error, "docket-media-helper: ");
      return 2;
    }
  if (g_str_equal (mode, "self-test"))
    {
      /* What the sandbox refuses, for IT and the tests: run as root it
       * must show an unprivileged user and every line "refused". */
      int sock = socket (AF_INET, SOCK_STREAM, 0);
      pid_t child = fork ();

      if (child == 0)
        {
          execl ("/bin/true", "true", NULL);
          _exit (errno == EPERM ? 42 : 43);
        }
      g_print ("uid %u\n", (guint)getuid ());
      g_print ("network %s\n", sock < 0 ? "refused" : "allowed");
      if (child > 0)
        {
          int status = 0;
          (void)waitpid (child, &status, 0);
          g_print ("exec %s\n",
                   WIFEXITED (status) && WEXITSTATUS (status) == 42 ? "refused" : "allowed");
        }
      else
        g_print ("exec refused\n");
      g_print ("setuid %s\n", setuid (0) < 0 ? "refused" : "allowed");
      return 0;
    }
  if (!docket_media_helper_run (3, mode, (guint)width, (guint)timeout, error))
    return g_error_matches (*error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT) ? 4 : 1;
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) request = NULL;
  const gchar *const *args;
  guint n_args;
  guint64 timeout = 0;
  guint64 width = 0;
  int sock = -1;
  int out = -1;
  int status;
  gboolean ahead;
  gboolean have_file;

  /* Before GStreamer opens anything that could take fd 3. */
  ahead = started_ahead ();
  have_file = fcntl (3, F_GETFD) >= 0;

  /* Plugins load as the caller, before the file is touched. */
  gst_init (&argc, &argv);
  if (argc == 2 && g_str_equal (argv[1], "--socket"))
    {
      int null_fd;

      sock = fcntl (0, F_DUPFD_CLOEXEC, 10);
      null_fd = open ("/dev/null", O_RDWR | O_CLOEXEC);
      out = memfd_create ("docket-media-output", MFD_CLOEXEC);
      if (sock < 0 || null_fd < 0 || out < 0 || dup2 (null_fd, 0) < 0 || dup2 (out, 1) < 0)
        {
          g_printerr ("docket-media-helper: socket mode: %s\n", g_strerror (errno));
          return 2;
        }
      close (null_fd);
      warm_up ();
      if (!receive_request (sock, &request, &error))
        {
          g_printerr ("docket-media-helper: %s\n", error->message);
          return 2;
        }
      g_thread_unref (g_thread_new ("watch-peer", watch_peer, GINT_TO_POINTER (sock)));
      n_args = g_strv_length (request);
      args = (const gchar *const *)request;
    }
  else
    {
      n_args = (guint)argc - 1;
      args = (const gchar *const *)argv + 1;
      if (ahead)
        {
          g_auto (GStrv) ignored = NULL; /* the same as argv */
          int null_fd = -1;

          warm_up ();
          /* (fd 3 is free until the file is on it) */
          if (!receive_request (0, &ignored, &error)
              || (null_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC)) < 0 || dup2 (null_fd, 0) < 0)
            {
              g_printerr ("docket-media-helper: %s\n",
                          error != NULL ? error->message : g_strerror (errno));
              return 2;
            }
          close (null_fd);
        }
    }
  if (n_args != 3 || !g_ascii_string_to_unsigned (args[1], 10, 1, G_MAXUINT, &timeout, NULL)
      || !g_ascii_string_to_unsigned (args[2], 10, 0, 4096, &width, NULL))
    {
      g_set_error (&error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                   "usage: docket-media-helper parse|deep|thumbnail|self-test TIMEOUT_MS WIDTH "
                   " (the file on fd 3), or --socket");
      status = 2;
    }
  else if (sock < 0 && !ahead && !have_file && !g_str_equal (args[0], "self-test"))
    {
      /* or it would read whatever GStreamer opened there */
      g_set_error (&error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                   "docket-media-helper: no file on fd 3");
      status = 2;
    }
  else
    status = run (args[0], timeout, width, &error);
  if (error != NULL && (sock < 0 || status == 2))
    g_printerr ("%s\n", error->message);
  if (sock >= 0)
    {
      g_autoptr (GError) reply_error = NULL;

      fflush (stdout);
      if (!docket_media_socket_send_reply (sock, status, out, error != NULL ? error->message : "",
                                           &reply_error))
        {
          g_printerr ("docket-media-helper: reply: %s\n", reply_error->message);
          return 2;
        }
    }
  return status;
}
