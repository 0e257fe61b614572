/* gstdocketstagingsink.h — writes (or appends to) a staging file, fdatasync at EOS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/base/gstbasesink.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_DOCKET_STAGING_SINK (gst_docket_staging_sink_get_type ())
G_DECLARE_FINAL_TYPE (
    GstDocketStagingSink, gst_docket_staging_sink, GST, DOCKET_STAGING_SINK, GstBaseSink)

GST_ELEMENT_REGISTER_DECLARE (docketstagingsink);

G_END_DECLS
