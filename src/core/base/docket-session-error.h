/* docket-session-error.h — errors people see at the kiosk, mapped onto D-Bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Registered as the D-Bus error domain io.github.docket.Docket1.Error, so a
 * kiosk proxy gets the same domain and code back, with the message in plain
 * words.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DOCKET_SESSION_ERROR (docket_session_error_quark ())

typedef enum
{
  DOCKET_SESSION_ERROR_FAILED,        /* io.github.docket.Docket1.Error.Failed */
  DOCKET_SESSION_ERROR_ACCESS_DENIED, /* ...AccessDenied */
  DOCKET_SESSION_ERROR_LOCKED_OUT,    /* ...LockedOut */
  DOCKET_SESSION_ERROR_WRONG_PIN,     /* ...WrongPin */
  DOCKET_SESSION_ERROR_INVALID,       /* ...Invalid */
  DOCKET_SESSION_ERROR_NOT_FOUND,     /* ...NotFound */
} DocketSessionError;

GQuark docket_session_error_quark (void);

G_END_DECLS
