/* docket-gst.h — Docket's own GStreamer elements, registered statically
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docketcamerasrc, docketsha256, docketstagingsink. Call after gst_init();
 * safe to call more than once and from any thread.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

gboolean docket_gst_register (void);

G_END_DECLS
