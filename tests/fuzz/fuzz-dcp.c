/* fuzz-dcp.c — every DCP reply parser on hostile bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built once per parser with -DDOCKET_FUZZ_DCP_<NAME> (tests/fuzz/meson.build):
 * a libFuzzer target under clang, a corpus runner under gcc.
 */
#include "config.h"

#include "docket-dcp-messages.h"
#include "fuzz-target.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
#if defined(DOCKET_FUZZ_DCP_IDENTIFY)
  DocketCameraIdentity identity = { 0 };

  if (docket_dcp_parse_identify (data, size, &identity, NULL))
    {
      /* What leaves the parser is safe to show and to store. */
      g_assert_true (g_utf8_validate (identity.vendor, -1, NULL));
      g_assert_true (g_utf8_validate (identity.model, -1, NULL));
      g_assert_true (g_utf8_validate (identity.firmware_version, -1, NULL));
      g_assert_null (strpbrk (identity.serial, "/\\"));
      docket_camera_identity_clear (&identity);
    }
#elif defined(DOCKET_FUZZ_DCP_STATUS)
  DocketCameraStatus status;

  (void)docket_dcp_parse_status (data, size, &status, NULL);
#elif defined(DOCKET_FUZZ_DCP_RESULT)
  DcpResult result;

  (void)docket_dcp_parse_result (data, size, &result, NULL);
#elif defined(DOCKET_FUZZ_DCP_CONFIG)
  g_autoptr (GVariant) config = docket_dcp_parse_config (data, size, NULL);

  if (config != NULL)
    {
      /* A parsed config builds again (the host writes back what it read). */
      g_autoptr (GBytes) rebuilt = docket_dcp_build_config (config, NULL);
    }
#elif defined(DOCKET_FUZZ_DCP_LIST)
  g_autoptr (GPtrArray) list = docket_dcp_parse_list (data, size, NULL);

  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      DocketRecordingInfo *info = g_ptr_array_index (list, i);

      /* Names become file names: never a path. */
      g_assert_true (g_utf8_validate (info->name, -1, NULL));
      g_assert_null (strpbrk (info->name, "/\\"));
      g_assert_cmpstr (info->name, !=, "..");
    }
#elif defined(DOCKET_FUZZ_DCP_FIRMWARE_STATUS)
  g_auto (DocketDcpFirmwareStatus) status = { 0 };

  if (docket_dcp_parse_firmware_status (data, size, &status, NULL))
    g_assert_true (g_utf8_validate (status.active_version, -1, NULL));
#else
#error "define DOCKET_FUZZ_DCP_<PARSER>"
#endif
  return 0;
}
