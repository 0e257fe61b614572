/* docket-dcp-messages.h — checking and decoding DCP messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions over untrusted bytes from a camera: every length is checked
 * against the buffer before use. Errors are DOCKET_ERROR_PROTOCOL with a
 * plain description; the driver prefixes which camera and which request.
 */
#pragma once

#include "docket-camera-driver.h"
#include "docket-dcp-protocol.h"

G_BEGIN_DECLS

/* Checks magic, version, type and that the header's length is at least
 * @min_len and fits in @len. Returns the message length in *out_msg_len. */
gboolean docket_dcp_check_header (const guint8 *data,
                                  gsize len,
                                  DcpMessageType type,
                                  gsize min_len,
                                  gsize *out_msg_len,
                                  GError **error);

gboolean docket_dcp_parse_identify (const guint8 *data,
                                    gsize len,
                                    DocketCameraIdentity *out_identity,
                                    GError **error);
gboolean docket_dcp_parse_status (const guint8 *data,
                                  gsize len,
                                  DocketCameraStatus *out_status,
                                  GError **error);
gboolean docket_dcp_parse_result (const guint8 *data, gsize len, DcpResult *out, GError **error);
/* a{sv}; keys a host does not know are skipped, as the spec asks */
GVariant *docket_dcp_parse_config (const guint8 *data, gsize len, GError **error);
/* DOCKET_ERROR_INVALID for unknown keys or wrong types */
GBytes *docket_dcp_build_config (GVariant *config, GError **error);
/* GPtrArray of DocketRecordingInfo */
GPtrArray *docket_dcp_parse_list (const guint8 *data, gsize len, GError **error);

/* 1.2 firmware update */
typedef struct
{
  guint active_slot; /* 0 = A, 1 = B */
  DcpFirmwareState state;
  gboolean other_bootable;
  guint64 image_size;
  guint64 received;
  gchar *active_version; /* valid UTF-8, never NULL after a successful parse */
  gchar *other_version;
} DocketDcpFirmwareStatus;

void docket_dcp_firmware_status_clear (DocketDcpFirmwareStatus *status);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketDcpFirmwareStatus, docket_dcp_firmware_status_clear)

gboolean docket_dcp_parse_firmware_status (const guint8 *data,
                                           gsize len,
                                           DocketDcpFirmwareStatus *out_status,
                                           GError **error);
/* DOCKET_ERROR_INVALID for an empty or oversized image or a version that
 * does not fit the message. */
gboolean docket_dcp_build_firmware_begin (guint64 image_size,
                                          const guint8 sha256[32],
                                          const gchar *version,
                                          DcpFirmwareBegin *out,
                                          GError **error);

/* A display-safe name: valid UTF-8, no '/', '\\', control or format
 * characters (bidi overrides, zero-width). */
gchar *docket_dcp_sanitize_name (const guint8 *bytes, gsize len, guint32 id);
/* Valid UTF-8 without control or format characters ('?' instead): every
 * text field a camera sends (vendor, model, firmware version). */
gchar *docket_dcp_sanitize_version (const gchar *bytes, gsize len);

G_END_DECLS
