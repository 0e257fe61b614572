/* fuzz-dcp.c — every DCP reply parser on bytes a camera could send
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte picks the parser (DcpMessageType, modulo the number of
 * parsers), the rest is the reply, so one corpus covers them all and the
 * fuzzer can move an input from one parser to another.
 */
#include "config.h"

#include <string.h>

#include "docket-dcp-messages.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;

  if (size < 1)
    return 0;
  switch (data[0] % 7)
    {
      case 0:
        {
          gsize msg_len = 0;
          docket_dcp_check_header (data + 1, size - 1, DCP_MSG_STATUS, 8, &msg_len, &error);
          break;
        }
      case DCP_MSG_IDENTIFY:
        {
          g_auto (DocketCameraIdentity) identity = { 0 };
          if (docket_dcp_parse_identify (data + 1, size - 1, &identity, &error))
            {
              /* What leaves the parser is safe to show and to store. */
              g_assert_true (g_utf8_validate (identity.vendor, -1, NULL));
              g_assert_true (g_utf8_validate (identity.model, -1, NULL));
              g_assert_true (g_utf8_validate (identity.firmware_version, -1, NULL));
              g_assert_null (strpbrk (identity.serial, "/\\"));
            }
          break;
        }
      case DCP_MSG_STATUS:
        {
          DocketCameraStatus status = { 0 };
          docket_dcp_parse_status (data + 1, size - 1, &status, &error);
          break;
        }
      case DCP_MSG_CONFIG:
        {
          g_autoptr (GVariant) config = docket_dcp_parse_config (data + 1, size - 1, &error);
          /* What the host would send back must build from what it parsed. */
          if (config != NULL)
            {
              g_autoptr (GBytes) rebuilt = docket_dcp_build_config (config, NULL);
            }
          break;
        }
      case DCP_MSG_RESULT:
        {
          DcpResult result = { 0 };
          docket_dcp_parse_result (data + 1, size - 1, &result, &error);
          break;
        }
      case DCP_MSG_LIST:
        {
          g_autoptr (GPtrArray) list = docket_dcp_parse_list (data + 1, size - 1, &error);
          for (guint i = 0; list != NULL && i < list->len; i++)
            {
              DocketRecordingInfo *info = g_ptr_array_index (list, i);
              /* Names become file names: never a path. */
              g_assert_true (g_utf8_validate (info->name, -1, NULL));
              g_assert_null (strpbrk (info->name, "/\\"));
              g_assert_cmpstr (info->name, !=, "..");
            }
          break;
        }
      case DCP_MSG_FIRMWARE_STATUS:
        {
          g_auto (DocketDcpFirmwareStatus) status = { 0 };
          if (docket_dcp_parse_firmware_status (data + 1, size - 1, &status, &error))
            g_assert_true (g_utf8_validate (status.active_version, -1, NULL));
          break;
        }
      default:
        break;
    }
  return 0;
}
