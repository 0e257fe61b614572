/* docket-deletion-reason.c — the reason an officer gives for deleting a recording
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-deletion-reason.h"

static const gchar *const presets[] = {
  N_ ("Accidental recording"),
  N_ ("Camera started by mistake (pocket, holster)"),
  N_ ("Test recording"),
  N_ ("Off duty, private moment"),
  NULL,
};

const gchar *const *
docket_deletion_reason_presets (void)
{
  return presets;
}

gchar *
docket_deletion_reason_compose (const gchar *preset, const gchar *details)
{
  g_autofree gchar *first = g_strstrip (g_strdup (preset != NULL ? preset : ""));
  g_autofree gchar *second = g_strstrip (g_strdup (details != NULL ? details : ""));

  if (*first == '\0' && *second == '\0')
    return NULL;
  if (*second == '\0')
    return g_steal_pointer (&first);
  if (*first == '\0')
    return g_steal_pointer (&second);
  /* TRANSLATORS: a deletion request's reason: the preset, then the officer's words */
  return g_strdup_printf (_ ("%s: %s"), first, second);
}
