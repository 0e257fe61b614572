/* docket-gst.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-gst.h"
#include "gstdocketcamerasrc.h"
#include "gstdocketsha256.h"
#include "gstdocketstagingsink.h"

gboolean
docket_gst_register (void)
{
  static gsize once = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&once))
    {
      ok = GST_ELEMENT_REGISTER (docketcamerasrc, NULL) && GST_ELEMENT_REGISTER (docketsha256, NULL)
           && GST_ELEMENT_REGISTER (docketstagingsink, NULL);
      g_once_init_leave (&once, 1);
    }
  return ok;
}
