/* docket-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "docket-error.h"

G_DEFINE_QUARK (docket - error - quark, docket_error)
