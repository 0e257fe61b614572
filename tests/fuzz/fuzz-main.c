/* fuzz-main.c — runs a fuzz harness over corpus folders (builds without
 * libFuzzer)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   fuzz-NAME DIR...   every regular file in each DIR, once
 * Exits non-zero if a folder is empty or unreadable, so a lost corpus is
 * noticed; a crash in a parser fails the test as it would under libFuzzer.
 */
#include "config.h"

#include <glib.h>

#include "fuzz.h"

int
main (int argc, char **argv)
{
  guint n = 0;

  if (argc < 2)
    {
      g_printerr ("usage: %s CORPUS-DIR...\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GDir) dir = g_dir_open (argv[i], 0, &error);
      const gchar *name;

      if (dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree gchar *path = g_build_filename (argv[i], name, NULL);
          g_autofree gchar *contents = NULL;
          gsize len = 0;

          if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
            continue;
          if (!g_file_get_contents (path, &contents, &len, &error))
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          LLVMFuzzerTestOneInput ((const uint8_t *)contents, len);
          n++;
        }
    }
  if (n == 0)
    {
      g_printerr ("no corpus files in the folders given\n");
      return 1;
    }
  g_print ("%u inputs ran without a crash\n", n);
  return 0;
}
