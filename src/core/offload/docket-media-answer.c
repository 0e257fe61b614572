/* docket-media-answer.c — reading the media helper's answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-media-answer-private.h"

#define POLL_MS 100

void
_docket_media_answer_init (DocketMediaAnswer *answer,
                           gint64 deadline,
                           guint timeout_ms,
                           gsize max_output)
{
  *answer = (DocketMediaAnswer){ .deadline = deadline,
                                 .timeout_ms = timeout_ms,
                                 .max_output = max_output,
                                 .output = g_byte_array_new (),
                                 .message = g_byte_array_new () };
}

void
_docket_media_answer_clear (DocketMediaAnswer *answer)
{
  g_clear_pointer (&answer->output, g_byte_array_unref);
  g_clear_pointer (&answer->message, g_byte_array_unref);
}

gboolean
_docket_media_answer_wait (DocketMediaAnswer *answer,
                           struct pollfd *fds,
                           nfds_t n,
                           GCancellable *cancellable,
                           int *out_ready)
{
  gint64 now = g_get_monotonic_time ();

  *out_ready = 0;
  if (g_cancellable_is_cancelled (cancellable))
    {
      answer->why = "cancelled";
      return FALSE;
    }
  if (now >= answer->deadline)
    {
      answer->why = "timeout";
      return FALSE;
    }
  if (n > 0)
    *out_ready = poll (fds, n, (int)MIN (POLL_MS, (answer->deadline - now) / 1000 + 1));
  return TRUE;
}

static void
add (GByteArray *buf, const guint8 *data, gsize len, gsize limit)
{
  if (len > 0 && buf->len < limit)
    g_byte_array_append (buf, data, (guint)MIN (len, limit - buf->len));
}

void
_docket_media_answer_add_output (DocketMediaAnswer *answer, const guint8 *data, gsize len)
{
  add (answer->output, data, len, answer->max_output);
}

void
_docket_media_answer_add_message (DocketMediaAnswer *answer, const guint8 *data, gsize len)
{
  add (answer->message, data, len, DOCKET_MEDIA_MAX_MESSAGE);
}

gboolean
_docket_media_answer_stopped (const DocketMediaAnswer *answer,
                              const gchar *who,
                              const gchar *mode,
                              const gchar *how,
                              GError **error)
{
  if (g_strcmp0 (answer->why, "cancelled") == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _ ("The media check was cancelled"));
      return FALSE;
    }
  g_warning ("Media helper %s (%s) overran its %u s limit and was %s", who, mode,
             answer->timeout_ms / 1000, how);
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT,
               _ ("The media helper stopped answering and was stopped after %u seconds"),
               MAX (1u, answer->timeout_ms / 1000));
  return FALSE;
}

void
_docket_media_answer_take (DocketMediaAnswer *answer, GBytes **out_output, gchar **out_message)
{
  *out_output = g_byte_array_free_to_bytes (g_steal_pointer (&answer->output));
  g_byte_array_append (answer->message, (const guint8 *)"", 1);
  *out_message = g_strstrip (g_utf8_make_valid ((const gchar *)answer->message->data, -1));
}
