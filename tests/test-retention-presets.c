/* test-retention-presets.c — the files in data/retention: schema, a figure for every
 * category, a statute and the date it was checked, and the same figures as
 * the station config builds in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "docket-station-config.h"

static const gchar *const presets[] = { "minnesota", "new-jersey", "illinois", "default", NULL };
static const gchar *const top_keys[]
    = { "format",  "preset",       "jurisdiction", "statute", "summary",
        "checked", "checked-note", "categories",   NULL };

static void
test_preset (gconstpointer data)
{
  const gchar *name = data;
  g_autofree gchar *file = g_strconcat (name, ".json", NULL);
  g_autofree gchar *path = g_build_filename (g_getenv ("DOCKET_RETENTION_DIR"), file, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) builtin = docket_station_config_dup_builtin_category_ids ();
  g_autoptr (GRegex) date = g_regex_new ("^20[0-9]{2}-[01][0-9]-[0-3][0-9]$", 0, 0, NULL);
  g_autoptr (GList) members = NULL;
  JsonObject *root, *categories;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  root = json_node_get_object (json_parser_get_root (parser));

  /* Exactly the known keys: a typo must not pass for a figure. */
  members = json_object_get_members (root);
  for (GList *l = members; l != NULL; l = l->next)
    g_assert_true (g_strv_contains (top_keys, l->data));
  for (gsize i = 0; top_keys[i] != NULL; i++)
    g_assert_true (json_object_has_member (root, top_keys[i]));
  g_assert_cmpint (json_object_get_int_member (root, "format"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (root, "preset"), ==, name);
  /* The statute is cited, with when it was checked and who must confirm. */
  g_assert_cmpuint (strlen (json_object_get_string_member (root, "statute")), >, 10);
  g_assert_true (g_regex_match (date, json_object_get_string_member (root, "checked"), 0, NULL));
  g_assert_nonnull (strstr (json_object_get_string_member (root, "checked-note"), "counsel"));

  categories = json_object_get_object_member (root, "categories");
  g_assert_nonnull (categories);
  g_assert_cmpuint (json_object_get_size (categories), ==, g_strv_length (builtin));
  for (gsize i = 0; builtin[i] != NULL; i++)
    {
      JsonObject *category = json_object_get_object_member (categories, builtin[i]);
      guint days = 0;
      gint64 figure;

      if (category == NULL)
        g_error ("%s: no figure for category %s", file, builtin[i]);
      g_assert_true (json_object_has_member (category, "retention-days"));
      figure = json_object_get_int_member (category, "retention-days");
      g_assert_cmpint (figure, >=, 1);
      g_assert_cmpint (figure, <=, 36500);
      g_assert_cmpuint (strlen (json_object_get_string_member (category, "basis")), >, 5);
      /* What docketd enforces is what the file says. */
      g_assert_true (docket_station_config_get_preset_days (name, builtin[i], &days));
      g_assert_cmpint (figure, ==, days);
    }
}

/* Every preset a station.conf may name has its file. */
static void
test_station_conf_names (void)
{
  for (gsize i = 0; presets[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree gchar *conf = g_strdup_printf ("[station]\npreset=%s\n", presets[i]);
      g_autoptr (DocketStationConfig) config = docket_station_config_load_from_data (conf, &error);

      g_assert_no_error (error);
      g_assert_nonnull (config);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DOCKET_RETENTION_DIR") == NULL)
    {
      g_print ("1..0 # SKIP DOCKET_RETENTION_DIR is not set\n");
      return 77;
    }
  for (gsize i = 0; presets[i] != NULL; i++)
    {
      g_autofree gchar *path = g_strdup_printf ("/retention-presets/%s", presets[i]);

      g_test_add_data_func (path, presets[i], test_preset);
    }
  g_test_add_func ("/retention-presets/station-conf-names", test_station_conf_names);
  return g_test_run ();
}
