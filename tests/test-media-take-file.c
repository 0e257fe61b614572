/* test-media-take-file.c — gives a media helper test script the file it was started ahead of
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: test-media-take-file PROGRAM ARGS...
 * A helper started ahead (during the copy) has no fd 3: its file comes
 * later over stdin, a socket, which a shell script cannot read an fd from.
 * A test script that looks at its file runs itself again through this:
 * it waits for the request and the file, puts the file on fd 3 and
 * /dev/null on stdin, and runs PROGRAM ARGS... as docketd would have
 * started it with the file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib.h>

#include "docket-media-socket.h"

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *line = NULL;
  int fd = -1;
  int null_fd;

  if (argc < 2)
    {
      g_printerr ("usage: %s PROGRAM ARGS...\n", argv[0]);
      return 2;
    }
  line = docket_media_socket_receive_request (0, &fd, &error);
  if (line == NULL)
    {
      g_printerr ("test-media-take-file: %s\n", error->message);
      return 2;
    }
  null_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  /* It came close-on-exec, maybe as fd 3 already, where dup2() would keep
   * that flag. */
  if (null_fd < 0 || (fd == 3 ? fcntl (3, F_SETFD, 0) : dup2 (fd, 3)) < 0 || dup2 (null_fd, 0) < 0)
    {
      g_printerr ("test-media-take-file: %s\n", g_strerror (errno));
      return 2;
    }
  execv (argv[1], argv + 1);
  g_printerr ("test-media-take-file: %s: %s\n", argv[1], g_strerror (errno));
  return 2;
}
