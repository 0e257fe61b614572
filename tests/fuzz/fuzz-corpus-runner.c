/* fuzz-corpus-runner.c — runs a harness over its seed corpus (gcc builds)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: fuzz-NAME-regress DIR... — every regular file in each DIR goes
 * through LLVMFuzzerTestOneInput once; a crash or failed assertion fails
 * the test. Counts what ran, so an empty corpus is noticed.
 */
#include "config.h"

#include "fuzz-target.h"

int
main (int argc, char **argv)
{
  guint inputs = 0;

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
          g_print ("%s\n", path);
          LLVMFuzzerTestOneInput ((const uint8_t *)contents, len);
          inputs++;
        }
    }
  g_print ("%u inputs\n", inputs);
  return inputs > 0 ? 0 : 1;
}
