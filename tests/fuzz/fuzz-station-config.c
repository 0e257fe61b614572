/* fuzz-station-config.c — the station config parser on any station.conf
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-station-config.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = g_strndup ((const gchar *)data, size);
  g_autoptr (DocketStationConfig) config = docket_station_config_load_from_data (text, &error);

  return 0;
}
