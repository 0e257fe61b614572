/* docket-sim.h — the camera simulator's public API (see src/sim/README.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "docket-sim-camera.h"
#include "docket-sim-media.h"
#include "docket-sim-testbed.h"
