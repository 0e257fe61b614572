/* docket-media-answer-private.h — reading the media helper's answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What docket-media-spawn.c (the helper's pipes) and docket-media-socket.c
 * (its connection) share when they read an answer: the wait within the
 * deadline, the output and the message kept within bounds, and the words
 * for a wait that was cancelled or overran. Below both: it includes
 * neither.
 */
#pragma once

#include <poll.h>

#include <gio/gio.h>

G_BEGIN_DECLS

/* The most of the helper's message (its stderr) that is kept or sent. */
#define DOCKET_MEDIA_MAX_MESSAGE 4096

typedef struct
{
  gint64 deadline;     /* monotonic */
  guint timeout_ms;    /* what the deadline was, for the words */
  gsize max_output;    /* the most of the output that is kept */
  GByteArray *output;  /* (owned) */
  GByteArray *message; /* (owned) */
  const gchar *why;    /* why the wait stopped: "cancelled", "timeout" (or the
                        * caller's own word); NULL while it goes on */
} DocketMediaAnswer;

void _docket_media_answer_init (DocketMediaAnswer *answer,
                                gint64 deadline,
                                guint timeout_ms,
                                gsize max_output);
void _docket_media_answer_clear (DocketMediaAnswer *answer);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketMediaAnswer, _docket_media_answer_clear)

/* FALSE, without waiting, once @cancellable is cancelled or the deadline
 * has passed (@answer->why says which). Else waits up to a poll interval
 * for @fds (none when @n is 0) and sets @out_ready to what poll() said. */
gboolean _docket_media_answer_wait (DocketMediaAnswer *answer,
                                    struct pollfd *fds,
                                    nfds_t n,
                                    GCancellable *cancellable,
                                    int *out_ready);

/* Keeps @data as output or as message, as much as its bound leaves room for. */
void _docket_media_answer_add_output (DocketMediaAnswer *answer, const guint8 *data, gsize len);
void _docket_media_answer_add_message (DocketMediaAnswer *answer, const guint8 *data, gsize len);

/* FALSE with the error for a wait that stopped (@answer->why): cancelled,
 * or anything else as an overrun, with a warning that media helper @who
 * (@mode) overran its limit and was @how (killed, stopped). */
gboolean _docket_media_answer_stopped (const DocketMediaAnswer *answer,
                                       const gchar *who,
                                       const gchar *mode,
                                       const gchar *how,
                                       GError **error);

/* Hands over the output and the message (stripped, valid UTF-8). */
void
_docket_media_answer_take (DocketMediaAnswer *answer, GBytes **out_output, gchar **out_message);

G_END_DECLS
