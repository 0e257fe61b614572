/* gstdocketcamerasrc.h — reads one recording from a camera through DocketCameraDriver
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/base/gstbasesrc.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_DOCKET_CAMERA_SRC (gst_docket_camera_src_get_type ())
G_DECLARE_FINAL_TYPE (GstDocketCameraSrc, gst_docket_camera_src, GST, DOCKET_CAMERA_SRC, GstBaseSrc)

GST_ELEMENT_REGISTER_DECLARE (docketcamerasrc);

G_END_DECLS
