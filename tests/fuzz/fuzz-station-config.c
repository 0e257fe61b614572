/* fuzz-station-config.c — station.conf (and a policy's station section) on hostile text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-station-config.h"
#include "fuzz-target.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* The loader takes a NUL-terminated text. */
  g_autofree gchar *text = g_strndup ((const gchar *)data, size);
  g_autoptr (DocketStationConfig) config = docket_station_config_load_from_data (text, NULL);
  g_autoptr (DocketStationConfig) merged = docket_station_config_load_merged (text, text, NULL);

  return 0;
}
