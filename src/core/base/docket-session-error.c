/* docket-session-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "docket-session-error.h"

static const GDBusErrorEntry entries[] = {
  { DOCKET_SESSION_ERROR_FAILED, "io.github.docket.Docket1.Error.Failed" },
  { DOCKET_SESSION_ERROR_ACCESS_DENIED, "io.github.docket.Docket1.Error.AccessDenied" },
  { DOCKET_SESSION_ERROR_LOCKED_OUT, "io.github.docket.Docket1.Error.LockedOut" },
  { DOCKET_SESSION_ERROR_WRONG_PIN, "io.github.docket.Docket1.Error.WrongPin" },
  { DOCKET_SESSION_ERROR_INVALID, "io.github.docket.Docket1.Error.Invalid" },
  { DOCKET_SESSION_ERROR_NOT_FOUND, "io.github.docket.Docket1.Error.NotFound" },
};

GQuark
docket_session_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("docket-session-error-quark", &quark, entries,
                                      G_N_ELEMENTS (entries));
  return (GQuark)quark;
}
