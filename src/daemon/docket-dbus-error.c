/* docket-dbus-error.c — the one table from core errors onto D-Bus errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-dbus-error.h"
#include "docket-error.h"
#include "docket-session-error.h"

/* People act on not-found, not-allowed and bad-input; the rest (a device
 * or the store failing) reads the same to them: Failed, with the message. */
static const struct
{
  DocketError code;
  DocketSessionError dbus_code;
} docket_error_map[] = {
  { DOCKET_ERROR_FAILED, DOCKET_SESSION_ERROR_FAILED },
  { DOCKET_ERROR_DISCONNECTED, DOCKET_SESSION_ERROR_FAILED },
  { DOCKET_ERROR_TIMEOUT, DOCKET_SESSION_ERROR_FAILED },
  { DOCKET_ERROR_PROTOCOL, DOCKET_SESSION_ERROR_FAILED },
  { DOCKET_ERROR_NOT_SUPPORTED, DOCKET_SESSION_ERROR_FAILED },
  { DOCKET_ERROR_NOT_FOUND, DOCKET_SESSION_ERROR_NOT_FOUND },
  { DOCKET_ERROR_INTEGRITY, DOCKET_SESSION_ERROR_FAILED },
  { DOCKET_ERROR_NO_SPACE, DOCKET_SESSION_ERROR_FAILED },
  { DOCKET_ERROR_STORE, DOCKET_SESSION_ERROR_FAILED },
  { DOCKET_ERROR_PERMISSION, DOCKET_SESSION_ERROR_ACCESS_DENIED },
  { DOCKET_ERROR_INVALID, DOCKET_SESSION_ERROR_INVALID },
};

gboolean
docket_dbus_error_convert (GError **error)
{
  gboolean known = FALSE;
  gint code = DOCKET_SESSION_ERROR_FAILED;

  g_return_val_if_fail (error != NULL && *error != NULL, FALSE);

  if ((*error)->domain == DOCKET_SESSION_ERROR)
    return TRUE;
  if ((*error)->domain == DOCKET_ERROR)
    for (gsize i = 0; i < G_N_ELEMENTS (docket_error_map); i++)
      if ((gint)docket_error_map[i].code == (*error)->code)
        {
          code = docket_error_map[i].dbus_code;
          known = TRUE;
          break;
        }
  (*error)->domain = DOCKET_SESSION_ERROR;
  (*error)->code = code;
  return known;
}

void
docket_dbus_error_return (GDBusMethodInvocation *invocation, const GError *error)
{
  g_autoptr (GError) converted = NULL;

  g_return_if_fail (G_IS_DBUS_METHOD_INVOCATION (invocation));
  g_return_if_fail (error != NULL);

  converted = g_error_copy (error);
  (void)docket_dbus_error_convert (&converted);
  g_dbus_method_invocation_return_gerror (invocation, converted);
}
