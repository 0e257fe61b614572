/* docket-media-socket.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "docket-error.h"
#include "docket-media-answer-private.h"
#include "docket-media-socket.h"

#define MAX_REQUEST 256
#define MAGIC "DMH1"

typedef struct
{
  char magic[4];
  gint32 status;
  guint32 output_len;
  guint32 message_len;
} ReplyHeader;

G_STATIC_ASSERT (sizeof (ReplyHeader) == 16);

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

static gboolean
set_errno_error (GError **error, gint code, const gchar *what)
{
  int saved = errno;

  g_set_error (error, DOCKET_ERROR, code, "%s: %s", what, g_strerror (saved));
  return FALSE;
}

int
docket_media_socket_connect (const gchar *socket_path, GError **error)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int sock;

  if (strlen (socket_path) >= sizeof addr.sun_path)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   _ ("The media helper socket “%s” has too long a name"), socket_path);
      return -1;
    }
  strcpy (addr.sun_path, socket_path);
  sock = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0)
    {
      set_errno_error (error, DOCKET_ERROR_NOT_SUPPORTED, "socket");
      return -1;
    }
  if (connect (sock, (struct sockaddr *)&addr, sizeof addr) < 0)
    {
      int saved = errno;
      close (sock);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   _ ("The media helper socket “%s” could not be reached: %s"), socket_path,
                   g_strerror (saved));
      return -1;
    }
  return sock;
}

gboolean
docket_media_socket_send_file (int sock, const gchar *line, int file_fd, GError **error)
{
  g_autofree gchar *text = g_strconcat (line, "\n", NULL);
  union
  {
    struct cmsghdr align;
    char buf[CMSG_SPACE (sizeof (int))];
  } control = { 0 };
  struct iovec iov = { .iov_base = text, .iov_len = strlen (text) };
  struct msghdr msg = { .msg_iov = &iov,
                        .msg_iovlen = 1,
                        .msg_control = control.buf,
                        .msg_controllen = sizeof control.buf };
  struct cmsghdr *cmsg = CMSG_FIRSTHDR (&msg);
  gssize n;

  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cmsg), &file_fd, sizeof (int));
  /* A few bytes into an empty socket buffer: sent whole. */
  do
    n = sendmsg (sock, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n != (gssize)iov.iov_len)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   _ ("The media helper took no request: %s"),
                   n < 0 ? g_strerror (errno) : "short write");
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_media_socket_ask (const gchar *socket_path,
                         const gchar *const *args,
                         const gchar *path,
                         guint timeout_ms,
                         gsize max_output,
                         GCancellable *cancellable,
                         DocketMediaSpawnResult *out_result,
                         GError **error)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (GError) local_error = NULL;
  int sock;

  memset (out_result, 0, sizeof *out_result);
  sock = docket_media_socket_connect (socket_path, error);
  if (sock < 0)
    return FALSE;
  /* The deadline counts from before the connection. */
  timeout_ms -= (guint)MIN ((gint64)timeout_ms, (g_get_monotonic_time () - t0) / 1000);
  if (!docket_media_socket_ask_on (sock, args, path, timeout_ms, max_output, cancellable,
                                   out_result, &local_error))
    {
      /* A fresh helper that took no request could not be asked at all. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                       _ ("The media helper socket “%s” took no request: %s"), socket_path,
                       local_error->message);
          return FALSE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_media_socket_ask_on (int sock,
                            const gchar *const *args,
                            const gchar *path,
                            guint timeout_ms,
                            gsize max_output,
                            GCancellable *cancellable,
                            DocketMediaSpawnResult *out_result,
                            GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  g_autofree gchar *line = NULL;
  g_auto (DocketMediaAnswer) answer = { 0 };
  g_autoptr (GError) send_error = NULL;
  ReplyHeader header;
  gsize header_got = 0;
  guint64 body_left = 0;
  guint64 output_left = 0;
  gboolean complete = FALSE;
  int fd;

  memset (out_result, 0, sizeof *out_result);
  line = g_strjoinv (" ", (gchar **)args);
  if (strlen (line) + 1 >= MAX_REQUEST || strchr (line, '\n') != NULL)
    {
      close_fd (&sock);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "bad media helper request");
      return FALSE;
    }
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved = errno;
      close_fd (&sock);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Could not open “%s”: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  if (!docket_media_socket_send_file (sock, line, fd, &send_error))
    {
      close_fd (&fd);
      close_fd (&sock);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "%s", send_error->message);
      return FALSE;
    }
  close_fd (&fd);
  (void)fcntl (sock, F_SETFL, O_NONBLOCK);

  _docket_media_answer_init (&answer, deadline, timeout_ms, max_output);
  while (!complete)
    {
      struct pollfd pfd = { .fd = sock, .events = POLLIN };
      guint8 chunk[16384];
      gssize n;
      int ready;

      if (!_docket_media_answer_wait (&answer, &pfd, 1, cancellable, &ready))
        break;
      if (ready <= 0)
        continue;
      if (header_got < sizeof header)
        n = read (sock, (guint8 *)&header + header_got, sizeof header - header_got);
      else
        n = read (sock, chunk, (gsize)MIN (body_left, sizeof chunk));
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n <= 0)
        break; /* gone before the whole answer: it crashed */
      if (header_got < sizeof header)
        {
          header_got += (gsize)n;
          if (header_got < sizeof header)
            continue;
          if (memcmp (header.magic, MAGIC, 4) != 0)
            break;
          output_left = header.output_len;
          body_left = (guint64)header.output_len + header.message_len;
        }
      else
        {
          gsize used = (gsize)n;
          gsize to_output = (gsize)MIN ((guint64)used, output_left);

          _docket_media_answer_add_output (&answer, chunk, to_output);
          _docket_media_answer_add_message (&answer, chunk + to_output, used - to_output);
          output_left -= to_output;
          body_left -= used;
        }
      complete = header_got == sizeof header && body_left == 0;
    }
  /* Closing the connection is what stops the helper. */
  close_fd (&sock);
  if (answer.why != NULL)
    return _docket_media_answer_stopped (&answer, "over its socket", args[0] != NULL ? args[0] : "",
                                         "stopped", error);
  out_result->exited = complete;
  out_result->status = complete ? header.status : 0;
  _docket_media_answer_take (&answer, &out_result->output, &out_result->message);
  return TRUE;
}

gchar *
docket_media_socket_receive_request (int sock, int *out_fd, GError **error)
{
  gchar line[MAX_REQUEST];
  gsize len = 0;

  *out_fd = -1;
  while (len == 0 || line[len - 1] != '\n')
    {
      union
      {
        struct cmsghdr align;
        char buf[CMSG_SPACE (sizeof (int))];
      } control = { 0 };
      struct iovec iov = { .iov_base = line + len, .iov_len = sizeof line - 1 - len };
      struct msghdr msg = { .msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = control.buf,
                            .msg_controllen = sizeof control.buf };
      gssize n;

      if (iov.iov_len == 0)
        {
          close_fd (out_fd);
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "request too long");
          return NULL;
        }
      n = recvmsg (sock, &msg, MSG_CMSG_CLOEXEC);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          close_fd (out_fd);
          if (n == 0)
            g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "connection closed");
          else
            set_errno_error (error, DOCKET_ERROR_FAILED, "recvmsg");
          return NULL;
        }
      for (struct cmsghdr *c = CMSG_FIRSTHDR (&msg); c != NULL; c = CMSG_NXTHDR (&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS
            && c->cmsg_len == CMSG_LEN (sizeof (int)))
          {
            int fd;

            memcpy (&fd, CMSG_DATA (c), sizeof fd);
            if (*out_fd >= 0)
              close (fd); /* only the first counts */
            else
              *out_fd = fd;
          }
      len += (gsize)n;
    }
  line[len - 1] = '\0';
  if (*out_fd < 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "no file came with the request");
      return NULL;
    }
  /* The helper reads the file; it may not write it. */
  if ((fcntl (*out_fd, F_GETFL) & O_ACCMODE) != O_RDONLY)
    {
      close_fd (out_fd);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED, "the file is not read-only");
      return NULL;
    }
  return g_strdup (line);
}

static gboolean
write_all (int sock, const void *data, gsize len, GError **error)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gssize n = send (sock, p, len, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, DOCKET_ERROR_FAILED, "send");
      p += n;
      len -= (gsize)n;
    }
  return TRUE;
}

gboolean
docket_media_socket_send_reply (
    int sock, int status, int output_fd, const gchar *message, GError **error)
{
  ReplyHeader header = { .status = status };
  off_t size = output_fd >= 0 ? lseek (output_fd, 0, SEEK_END) : 0;
  gsize message_len = MIN (strlen (message), DOCKET_MEDIA_MAX_MESSAGE);
  guint8 chunk[16384];
  off_t offset = 0;

  if (size < 0 || size > G_MAXUINT32)
    return set_errno_error (error, DOCKET_ERROR_FAILED, "output");
  memcpy (header.magic, MAGIC, 4);
  header.output_len = (guint32)size;
  header.message_len = (guint32)message_len;
  if (!write_all (sock, &header, sizeof header, error))
    return FALSE;
  while (offset < size)
    {
      gssize n = pread (output_fd, chunk, sizeof chunk, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return set_errno_error (error, DOCKET_ERROR_FAILED, "output");
      if (!write_all (sock, chunk, (gsize)n, error))
        return FALSE;
      offset += n;
    }
  return write_all (sock, message, message_len, error);
}
