/* docket-dock-events.c — the dock's "event" signal and how it names cameras
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the dock's files; depends on none of them, so the dock's files
 * form no circle.
 */
#include "config.h"

#include "docket-dock-private.h"

void
_docket_dock_emit_event (DocketDock *self,
                         const gchar *kind,
                         DocketCamera *camera,
                         GVariant *details,
                         const gchar *format,
                         ...)
{
  g_autofree gchar *message = NULL;
  g_autoptr (GVariant) sunk = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (details == NULL)
    details = g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0);
  sunk = g_variant_ref_sink (details);
  g_signal_emit_by_name (self, "event", kind, camera, message, sunk);
}

/* A short, human label for a camera in messages: serial once known, else slot. */
const gchar *
_docket_dock_camera_label (DocketCamera *camera)
{
  const gchar *serial = docket_camera_get_serial (camera);

  return (serial != NULL && *serial != '\0') ? serial : docket_camera_get_slot (camera);
}
