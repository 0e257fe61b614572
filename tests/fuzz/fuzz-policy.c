/* fuzz-policy.c — the device policy parser on any document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The signature is checked before parsing in docketd, but IT's own
 * `docketctl policy validate` parses unsigned drafts, and a key can leak.
 */
#include "config.h"

#include "docket-policy.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketPolicy) policy = docket_policy_new_from_data ((const gchar *)data, size, &error);

  return 0;
}
