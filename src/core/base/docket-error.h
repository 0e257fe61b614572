/* docket-error.h — error domain shared by the core library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DOCKET_ERROR (docket_error_quark ())

/**
 * DocketError:
 * @DOCKET_ERROR_FAILED: generic failure
 * @DOCKET_ERROR_DISCONNECTED: the device went away (undocked, cable pulled)
 * @DOCKET_ERROR_TIMEOUT: the device stopped answering
 * @DOCKET_ERROR_PROTOCOL: the device answered something malformed or unexpected
 * @DOCKET_ERROR_NOT_SUPPORTED: the device or driver cannot do this
 * @DOCKET_ERROR_NOT_FOUND: no such recording/camera/object
 * @DOCKET_ERROR_INTEGRITY: a hash, signature or media check failed
 * @DOCKET_ERROR_NO_SPACE: the evidence store is full
 * @DOCKET_ERROR_STORE: the evidence store or database failed
 * @DOCKET_ERROR_PERMISSION: the caller may not do this
 * @DOCKET_ERROR_INVALID: bad input from a person or a document
 */
typedef enum
{
  DOCKET_ERROR_FAILED,
  DOCKET_ERROR_DISCONNECTED,
  DOCKET_ERROR_TIMEOUT,
  DOCKET_ERROR_PROTOCOL,
  DOCKET_ERROR_NOT_SUPPORTED,
  DOCKET_ERROR_NOT_FOUND,
  DOCKET_ERROR_INTEGRITY,
  DOCKET_ERROR_NO_SPACE,
  DOCKET_ERROR_STORE,
  DOCKET_ERROR_PERMISSION,
  DOCKET_ERROR_INVALID,
} DocketError;

GQuark docket_error_quark (void);

G_END_DECLS
