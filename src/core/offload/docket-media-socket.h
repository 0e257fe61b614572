/* docket-media-socket.h — asks the media helper over docket-media.socket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On a systemd station the media helper is not docketd's child: each
 * connection to docket-media.socket starts one docket-media@.service as
 * its own unprivileged user in its own sandbox, so docketd needs no
 * privilege to leave root. The request is one line, "MODE TIMEOUT_MS
 * WIDTH\n", sent with the file's read-only fd (SCM_RIGHTS); the answer is
 * a header ("DMH1", exit status, output length, message length, native
 * 32-bit integers) and then the output and the message. A connection that
 * ends before the whole answer is a helper that crashed. Closing the
 * connection stops the helper: that is how a check that overran is ended.
 *
 * Threads: any thread; the calls block.
 */
#pragma once

#include <gio/gio.h>

#include "docket-media-spawn.h"

G_BEGIN_DECLS

/* The same as docket_media_spawn(), through the helper socket at
 * @socket_path: TRUE when the helper answered or crashed (@out_result),
 * FALSE with DOCKET_ERROR_TIMEOUT (the connection was closed, which ends
 * the helper), G_IO_ERROR_CANCELLED, or DOCKET_ERROR_NOT_SUPPORTED when
 * the socket could not be reached. A crash has exited FALSE, status 0. */
gboolean docket_media_socket_ask (const gchar *socket_path,
                                  const gchar *const *args,
                                  const gchar *path,
                                  guint timeout_ms,
                                  gsize max_output,
                                  GCancellable *cancellable,
                                  DocketMediaSpawnResult *out_result,
                                  GError **error);

/* Connects to @socket_path, which starts a helper (the request comes
 * later, with docket_media_socket_ask_on()). -1 with
 * DOCKET_ERROR_NOT_SUPPORTED when it cannot be reached. */
int docket_media_socket_connect (const gchar *socket_path, GError **error);
/* docket_media_socket_ask() on a connection made before (@sock, taken and
 * closed). FALSE with G_IO_ERROR_BROKEN_PIPE when the helper was gone
 * before it had the request: nothing about the file. */
gboolean docket_media_socket_ask_on (int sock,
                                     const gchar *const *args,
                                     const gchar *path,
                                     guint timeout_ms,
                                     gsize max_output,
                                     GCancellable *cancellable,
                                     DocketMediaSpawnResult *out_result,
                                     GError **error);
/* Sends @line ("\n" added) with @file_fd over @sock. */
gboolean docket_media_socket_send_file (int sock, const gchar *line, int file_fd, GError **error);

/* For docket-media-helper: the request line (without its newline) and the
 * fd that came with it, from the connection @sock. */
gchar *docket_media_socket_receive_request (int sock, int *out_fd, GError **error);

/* For docket-media-helper: the answer: @status, what was written to
 * @output_fd (a memory file) and @message. */
gboolean docket_media_socket_send_reply (
    int sock, int status, int output_fd, const gchar *message, GError **error);

G_END_DECLS
