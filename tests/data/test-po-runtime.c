/* test-po-runtime.c — the gettext chain works end to end
 *
 * For each language in po/LINGUAS, the catalogue meson built from
 * po/LANG.po must load at run time, under that language's locale, and
 * gettext must return the translation of every message in it. The locale
 * is compiled with localedef into a scratch LOCPATH, so the machine needs no
 * installed Spanish locale; skips (77) without localedef or locale sources.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

static const gchar *linguas_path;
static const gchar *mo_dir;

/* GNU .mo: magic, revision, N, offset of original table, offset of
 * translation table; each table holds N (length, offset) pairs. */
static gboolean
mo_string (GBytes *mo, gboolean swap, guint32 table, guint32 i, const gchar **out, gsize *len)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (mo, &size);
  guint32 entry[2];
  guint64 end;

  if ((guint64)table + 8 * ((guint64)i + 1) > size)
    return FALSE;
  memcpy (entry, data + table + 8 * i, sizeof entry);
  if (swap)
    {
      entry[0] = GUINT32_SWAP_LE_BE (entry[0]);
      entry[1] = GUINT32_SWAP_LE_BE (entry[1]);
    }
  end = (guint64)entry[1] + entry[0];
  if (end >= size || data[end] != '\0')
    return FALSE;
  *out = (const gchar *)data + entry[1];
  *len = entry[0];
  return TRUE;
}

static void
remove_tree (const gchar *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static gchar *
locale_for (const gchar *lang)
{
  g_autoptr (GDir) dir = NULL;
  const gchar *name;
  g_autofree gchar *prefix = g_strconcat (lang, "_", NULL);
  g_autofree gchar *preferred = g_strdup_printf ("%s_%c%c", lang, g_ascii_toupper (lang[0]),
                                                 lang[0] ? g_ascii_toupper (lang[1]) : 0);
  gchar *found = NULL;

  if (strchr (lang, '_') != NULL)
    return g_strdup (lang);
  dir = g_dir_open ("/usr/share/i18n/locales", 0, NULL);
  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_equal (name, preferred))
        {
          g_free (found);
          return g_strdup (name);
        }
      if (found == NULL && g_str_has_prefix (name, prefix) && strlen (name) == strlen (prefix) + 2)
        found = g_strdup (name);
    }
  return found;
}

static void
test_language (gconstpointer data)
{
  const gchar *lang = data;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *locale = locale_for (lang);
  g_autofree gchar *locpath = NULL;
  g_autofree gchar *locale_out = NULL;
  g_autofree gchar *locale_name = NULL;
  g_autofree gchar *mo_path = NULL;
  g_autoptr (GBytes) mo = NULL;
  const guint32 *header;
  gsize size;
  gboolean swap;
  guint32 n, originals, translations, checked = 0;
  gint status = 0;

  if (locale == NULL)
    {
      g_test_skip ("no locale source for this language (Debian package locales)");
      return;
    }
  locpath = g_dir_make_tmp ("docket-locale-XXXXXX", &error);
  g_assert_no_error (error);
  locale_name = g_strconcat (locale, ".UTF-8", NULL);
  locale_out = g_build_filename (locpath, locale_name, NULL);
  {
    const gchar *argv[] = { "localedef", "-i", locale, "-f", "UTF-8", locale_out, NULL };

    if (!g_spawn_sync (NULL, (gchar **)argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                           | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, &error)
        || !g_spawn_check_wait_status (status, NULL))
      {
        g_test_skip ("localedef could not compile the locale");
        return;
      }
  }
  g_setenv ("LOCPATH", locpath, TRUE);
  g_unsetenv ("LANGUAGE");
  g_assert_nonnull (setlocale (LC_ALL, locale_name));
  g_assert_nonnull (bindtextdomain (GETTEXT_PACKAGE, mo_dir));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  mo_path = g_build_filename (mo_dir, lang, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  {
    g_autoptr (GMappedFile) file = g_mapped_file_new (mo_path, FALSE, &error);

    g_assert_no_error (error);
    mo = g_mapped_file_get_bytes (file);
  }
  header = g_bytes_get_data (mo, &size);
  g_assert_cmpuint (size, >=, 20);
  g_assert_true (header[0] == 0x950412de || header[0] == 0xde120495);
  swap = header[0] == 0xde120495;
  n = swap ? GUINT32_SWAP_LE_BE (header[2]) : header[2];
  originals = swap ? GUINT32_SWAP_LE_BE (header[3]) : header[3];
  translations = swap ? GUINT32_SWAP_LE_BE (header[4]) : header[4];

  for (guint32 i = 0; i < n; i++)
    {
      const gchar *msgid, *msgstr, *got;
      gsize msgid_len, msgstr_len;

      g_assert_true (mo_string (mo, swap, originals, i, &msgid, &msgid_len));
      g_assert_true (mo_string (mo, swap, translations, i, &msgstr, &msgstr_len));
      /* Skip the header and messages with a context (\004). For plurals
       * the singular comes back as the first form (up to its NUL). */
      if (msgid_len == 0 || memchr (msgid, '\004', msgid_len) != NULL)
        continue;
      got = dgettext (GETTEXT_PACKAGE, msgid);
      if (g_strcmp0 (got, msgstr) != 0)
        g_error ("%s: “%s” came back as “%s”, not “%s”", lang, msgid, got, msgstr);
      checked++;
    }
  g_test_message ("%s: %u messages translated at run time", lang, checked);
  g_assert_cmpuint (checked, >, 0);

  setlocale (LC_ALL, "C");
  remove_tree (locpath);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *linguas = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree gchar *localedef = NULL;

  g_test_init (&argc, &argv, NULL);
  if (argc < 3)
    {
      g_printerr ("usage: %s po/LINGUAS BUILDDIR/po\n", argv[0]);
      return 1;
    }
  linguas_path = argv[1];
  mo_dir = argv[2];

  localedef = g_find_program_in_path ("localedef");
  if (localedef == NULL)
    {
      g_printerr ("skip: localedef missing\n");
      return 77;
    }

  if (!g_file_get_contents (linguas_path, &linguas, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  lines = g_strsplit_set (linguas, " \t\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree gchar *path = NULL;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      path = g_strdup_printf ("/po-runtime/%s", lines[i]);
      g_test_add_data_func (path, lines[i], test_language);
    }
  return g_test_run ();
}
