/* docket-role-page.c — which page a signed-in person sees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-role-page.h"

const gchar *
docket_role_page_name (const gchar *role)
{
  if (g_strcmp0 (role, "officer") == 0)
    return "tagging";
  if (g_strcmp0 (role, "sergeant") == 0)
    return "review";
  if (g_strcmp0 (role, "it") == 0)
    return "it";
  return NULL;
}
