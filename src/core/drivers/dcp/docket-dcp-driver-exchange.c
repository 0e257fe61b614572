/* docket-dcp-driver-exchange.c — DCP commands and their results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An OUT command, then GET_RESULT until the camera is no longer busy, and
 * the wording of a malformed reply. Used by the driver's other files; uses
 * only the transfers (docket-dcp-driver-transfer.c), so the files depend
 * one way. Callers hold io_lock.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-dcp-driver-private.h"
#include "docket-dcp-messages.h"
#include "docket-dcp-protocol.h"
#include "docket-error.h"

gboolean
_docket_dcp_driver_malformed (DocketDcpDriver *self, const gchar *what, GError **error)
{
  if (error != NULL && g_error_matches (*error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED))
    g_prefix_error (error, _ ("The camera %s cannot be used (%s): "), self->label, what);
  else
    g_prefix_error (error, _ ("The camera %s sent a malformed reply during %s: "), self->label,
                    what);
  return FALSE;
}

/* An OUT command, then GET_RESULT until the camera is no longer busy. */
gboolean
_docket_dcp_driver_command (DocketDcpDriver *self,
                            guint8 request,
                            const void *data,
                            gsize len,
                            const gchar *what,
                            guint64 *out_length,
                            GCancellable *cancellable,
                            GError **error)
{
  guint16 tag = ++self->next_tag;
  gint64 deadline;

  /* The camera drops the rest of any stream: so does the read-ahead. */
  _docket_dcp_driver_stream_abort (self);
  self->window_valid = FALSE;
  if (!_docket_dcp_driver_control (self, FALSE, request, tag, (guint8 *)data, len, NULL, what,
                                   cancellable, error))
    return FALSE;

  deadline = g_get_monotonic_time () + (gint64)self->timeout_ms * 1000;
  for (;;)
    {
      guint8 buf[sizeof (DcpResult) + 64];
      g_autofree gchar *message = NULL;
      gsize actual = 0;
      DcpResult result;
      guint16 status;

      if (!_docket_dcp_driver_control (self, TRUE, DCP_REQ_GET_RESULT, 0, buf, sizeof buf, &actual,
                                       what, cancellable, error))
        return FALSE;
      if (!docket_dcp_parse_result (buf, actual, &result, error))
        return _docket_dcp_driver_malformed (self, what, error);
      if (GUINT16_FROM_LE (result.tag) != tag || result.request != request)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                       _ ("The camera %s answered a different request during %s"), self->label,
                       what);
          return FALSE;
        }
      status = GUINT16_FROM_LE (result.status);
      message = g_utf8_make_valid (result.message, -1);
      switch (status)
        {
          case DCP_STATUS_OK:
            if (out_length != NULL)
              *out_length = GUINT64_FROM_LE (result.length);
            return TRUE;
          case DCP_STATUS_BUSY:
            if (g_get_monotonic_time () > deadline)
              {
                g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_TIMEOUT,
                             _ ("The camera %s stayed busy during %s"), self->label, what);
                return FALSE;
              }
            if (g_cancellable_set_error_if_cancelled (cancellable, error))
              return FALSE;
            g_usleep (5000);
            continue;
          case DCP_STATUS_NOT_FOUND:
            g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                         _ ("The camera %s does not have it (%s): %s"), self->label, what, message);
            return FALSE;
          case DCP_STATUS_INVALID:
            g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                         _ ("The camera %s rejected %s: %s"), self->label, what, message);
            return FALSE;
          case DCP_STATUS_NOT_SUPPORTED:
            g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                         _ ("The camera %s cannot do %s"), self->label, what);
            return FALSE;
          case DCP_STATUS_STORAGE:
            g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                         _ ("The camera %s could not read its own storage during %s: %s"),
                         self->label, what, message);
            return FALSE;
          default:
            g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                         _ ("The camera %s failed %s: %s"), self->label, what, message);
            return FALSE;
        }
    }
}
