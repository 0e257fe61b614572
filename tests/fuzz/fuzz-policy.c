/* fuzz-policy.c — the device policy parser on hostile JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-policy.h"
#include "fuzz-target.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (DocketPolicy) policy = docket_policy_new_from_data ((const gchar *)data, size, NULL);

  /* A policy that parses says what it carries for the station. */
  if (policy != NULL)
    g_free (docket_policy_dup_station_config_data (policy));
  return 0;
}
