/* gstdocketsha256.h — passthrough SHA-256 of the bytes flowing through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/base/gstbasetransform.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_DOCKET_SHA256 (gst_docket_sha256_get_type ())
G_DECLARE_FINAL_TYPE (GstDocketSha256, gst_docket_sha256, GST, DOCKET_SHA256, GstBaseTransform)

GST_ELEMENT_REGISTER_DECLARE (docketsha256);

G_END_DECLS
