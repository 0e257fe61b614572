/* docket-thumbnailer.c — makes one thumbnail in its own process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: docket-thumbnailer VIDEO PNG WIDTH TIMEOUT_MS
 * Run by docket_media_make_thumbnail() when a helper is configured
 * (docket_media_set_thumbnail_helper): the decoder's memory leaves with the
 * process, and a hung decoder can be killed. Exit 0 on success; otherwise
 * the reason, in plain words, on stderr.
 */
#include "config.h"

#include <stdlib.h>

#include <glib/gi18n-lib.h>
#include <gst/gst.h>

#include "docket-media-check.h"

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  guint64 width = 0;
  guint64 timeout = 0;

  gst_init (&argc, &argv);
  if (argc != 5 || !g_ascii_string_to_unsigned (argv[3], 10, 16, 4096, &width, NULL)
      || !g_ascii_string_to_unsigned (argv[4], 10, 1, G_MAXUINT, &timeout, NULL))
    {
      g_printerr ("usage: %s VIDEO PNG WIDTH TIMEOUT_MS\n", argv[0]);
      return 2;
    }
  if (!docket_media_make_thumbnail (argv[1], argv[2], (guint)width, (guint)timeout, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}
