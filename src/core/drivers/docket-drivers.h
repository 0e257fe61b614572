/* docket-drivers.h — the camera families this Docket ships
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threads: any; registering twice is harmless.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers every built-in family in the camera driver registry. The dock
 * calls it; programs and tests that use the device monitor alone call it
 * themselves. */
void docket_drivers_register_builtin (void);

G_END_DECLS
