/* docket-station-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-station-config.h"

struct _DocketStationConfig
{
  GObject parent_instance;

  /* Values change only in docket_station_config_update(), under @lock;
   * what a getter handed out before stays valid (see @retired). */
  GMutex lock;
  GPtrArray *retired_categories; /* superseded category lists */
  GPtrArray *retired_strings;

  GPtrArray *categories; /* DocketCategory */
  gchar *case_number_regex;
  GRegex *case_number;
  gchar *default_category;
  guint pin_min_length;
  guint ready_charge_percent;
  guint tag_deadline_hours;
  guint idle_sign_out_seconds;
  guint lockout_failures;
  guint lockout_minutes;
  guint audit_sample_percent;
  guint deletion_grace_hours;
  guint scheduled_purge; /* 0 or 1 */
};

G_DEFINE_FINAL_TYPE (DocketStationConfig, docket_station_config, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  const gchar *id;
  const gchar *label;
  gboolean serious; /* the longer retention of the preset */
  gboolean restricted;
  gboolean sergeant_access;
  gboolean needs_review;
} BuiltinCategory;

static const BuiltinCategory builtin[] = {
  { DOCKET_CATEGORY_UNCATEGORIZED, N_ ("Uncategorized"), TRUE, FALSE, TRUE, FALSE },
  { "traffic-stop", N_ ("Traffic stop"), FALSE, FALSE, TRUE, FALSE },
  { "call-for-service", N_ ("Call for service"), FALSE, FALSE, TRUE, FALSE },
  { "arrest", N_ ("Arrest"), TRUE, FALSE, TRUE, FALSE },
  { "use-of-force", N_ ("Use of force"), TRUE, FALSE, TRUE, TRUE },
  { "firearm-discharge", N_ ("Firearm discharge"), TRUE, FALSE, TRUE, TRUE },
  { "complaint", N_ ("Complaint"), TRUE, FALSE, TRUE, TRUE },
  { "victim-interview", N_ ("Victim interview"), TRUE, TRUE, FALSE, FALSE },
  { "confidential-informant", N_ ("Confidential informant"), TRUE, TRUE, FALSE, FALSE },
};

typedef struct
{
  const gchar *name;
  guint short_days;
  guint long_days;
} Preset;

/* The same figures, with their statutes, are data/retention/NAME.json
 * (test-retention-presets checks that they agree): Minnesota §13.825: 90
 * days, 1 year for serious events; New Jersey: 180 days, 3 years; Illinois
 * 50 ILCS 706/10-20: 90 days, 2 years when flagged. The default is the
 * stricter of the common minimums. */
static const Preset presets[] = {
  { "minnesota", 90, 365 },
  { "new-jersey", 180, 3 * 365 },
  { "illinois", 90, 2 * 365 },
  { "default", 180, 365 },
};

static void
category_free (DocketCategory *category)
{
  g_free (category->id);
  g_free (category->label);
  g_clear_pointer (&category->labels, g_hash_table_unref);
  g_free (category);
}

static void
docket_station_config_finalize (GObject *object)
{
  DocketStationConfig *self = DOCKET_STATION_CONFIG (object);

  g_ptr_array_unref (self->categories);
  g_ptr_array_unref (self->retired_categories);
  g_ptr_array_unref (self->retired_strings);
  g_free (self->case_number_regex);
  g_free (self->default_category);
  g_clear_pointer (&self->case_number, g_regex_unref);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (docket_station_config_parent_class)->finalize (object);
}

static void
docket_station_config_class_init (DocketStationConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_station_config_finalize;

  /**
   * DocketStationConfig::changed:
   *
   * New values are in force (docket_station_config_update()).
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
docket_station_config_init (DocketStationConfig *self)
{
  g_mutex_init (&self->lock);
  self->retired_categories = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  self->retired_strings = g_ptr_array_new_with_free_func (g_free);
  self->categories = g_ptr_array_new_with_free_func ((GDestroyNotify)category_free);
  self->case_number_regex = g_strdup ("^[0-9]{2}-[0-9]{4,8}$");
  self->default_category = g_strdup (DOCKET_CATEGORY_UNCATEGORIZED);
  self->pin_min_length = 4;
  self->ready_charge_percent = 80;
  self->tag_deadline_hours = 72;
  self->idle_sign_out_seconds = 120;
  self->lockout_failures = 5;
  self->lockout_minutes = 15;
  self->audit_sample_percent = 5;
  self->deletion_grace_hours = 72;
}

static void
add_builtin_categories (DocketStationConfig *self, const Preset *preset)
{
  for (gsize i = 0; i < G_N_ELEMENTS (builtin); i++)
    {
      DocketCategory *category = g_new0 (DocketCategory, 1);

      category->id = g_strdup (builtin[i].id);
      category->label = g_strdup (_ (builtin[i].label));
      category->retention_days = builtin[i].serious ? preset->long_days : preset->short_days;
      category->restricted = builtin[i].restricted;
      category->sergeant_access = builtin[i].sergeant_access;
      category->needs_review = builtin[i].needs_review;
      g_ptr_array_add (self->categories, category);
    }
}

static gboolean
compile_regex (DocketStationConfig *self, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  g_clear_pointer (&self->case_number, g_regex_unref);
  self->case_number = g_regex_new (self->case_number_regex, G_REGEX_OPTIMIZE, 0, &local_error);
  if (self->case_number == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("The case number format “%s” is not a valid pattern: %s"),
                   self->case_number_regex, local_error->message);
      return FALSE;
    }
  return TRUE;
}

DocketStationConfig *
docket_station_config_new_default (void)
{
  DocketStationConfig *self = g_object_new (DOCKET_TYPE_STATION_CONFIG, NULL);

  add_builtin_categories (self, &presets[G_N_ELEMENTS (presets) - 1]);
  (void)compile_regex (self, NULL);
  return self;
}

/* Reads an unsigned key within [min, max]; a missing key keeps *value. */
static gboolean
read_uint (GKeyFile *file,
           const gchar *group,
           const gchar *key,
           guint min,
           guint max,
           guint *value,
           GError **error)
{
  g_autoptr (GError) local_error = NULL;
  gint64 v;

  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;
  v = g_key_file_get_int64 (file, group, key, &local_error);
  if (local_error != NULL || v < min || v > max)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("[%s] %s must be a whole number from %u to %u"), group, key, min, max);
      return FALSE;
    }
  *value = (guint)v;
  return TRUE;
}

static gboolean
read_bool (GKeyFile *file, const gchar *group, const gchar *key, gboolean *value, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  gboolean v;

  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;
  v = g_key_file_get_boolean (file, group, key, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("[%s] %s must be true or false"),
                   group, key);
      return FALSE;
    }
  *value = v;
  return TRUE;
}

static gboolean
valid_id (const gchar *id)
{
  if (*id == '\0' || strlen (id) > 64)
    return FALSE;
  for (const gchar *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* Every label[LANGUAGE]= of @group; NULL when there is none. */
static GHashTable *
read_labels (GKeyFile *file, const gchar *group)
{
  g_auto (GStrv) keys = g_key_file_get_keys (file, group, NULL, NULL);
  GHashTable *labels = NULL;

  for (gsize i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      const gchar *key = keys[i];
      gsize len = strlen (key);
      g_autofree gchar *value = NULL;

      if (!g_str_has_prefix (key, "label[") || len < 8 || key[len - 1] != ']')
        continue;
      value = g_key_file_get_string (file, group, key, NULL);
      if (value == NULL || *value == '\0')
        continue;
      if (labels == NULL)
        labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_replace (labels, g_strndup (key + 6, len - 7), g_steal_pointer (&value));
    }
  return labels;
}

static gboolean
read_category (DocketStationConfig *self,
               GKeyFile *file,
               const gchar *group,
               const Preset *preset,
               GError **error)
{
  const gchar *id = group + strlen ("category:");
  g_autofree gchar *label = NULL;
  DocketCategory category = { 0 };

  if (!valid_id (id))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("[%s]: a category id is letters, digits, “-” and “_”"), group);
      return FALSE;
    }
  if (docket_station_config_find_category (self, id) != NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("[%s] appears twice"), group);
      return FALSE;
    }
  label = g_key_file_get_locale_string (file, group, "label", NULL, NULL);
  category.retention_days = preset->short_days;
  category.sergeant_access = TRUE;
  if (!read_uint (file, group, "retention-days", 1, 100 * 365, &category.retention_days, error)
      || !read_bool (file, group, "restricted", &category.restricted, error)
      || !read_bool (file, group, "sergeant-access", &category.sergeant_access, error)
      || !read_bool (file, group, "needs-review", &category.needs_review, error))
    return FALSE;
  category.id = g_strdup (id);
  category.label = label != NULL && *label != '\0' ? g_steal_pointer (&label) : g_strdup (id);
  category.labels = read_labels (file, group);
  g_ptr_array_add (self->categories, g_memdup2 (&category, sizeof category));
  return TRUE;
}

static const Preset *
find_preset (const gchar *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_strcmp0 (presets[i].name, name) == 0)
      return &presets[i];
  return NULL;
}

static gboolean
load_key_file (DocketStationConfig *self, GKeyFile *file, GError **error)
{
  g_auto (GStrv) groups = g_key_file_get_groups (file, NULL);
  g_autofree gchar *preset_name = g_key_file_get_string (file, "station", "preset", NULL);
  g_autofree gchar *regex = g_key_file_get_string (file, "station", "case-number-regex", NULL);
  g_autofree gchar *default_category
      = g_key_file_get_string (file, "station", "default-category", NULL);
  const Preset *preset = find_preset (preset_name != NULL ? preset_name : "default");
  gboolean any_category = FALSE;

  if (preset == NULL)
    {
      g_set_error (
          error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
          _ ("[station] preset “%s” is unknown (minnesota, new-jersey, illinois or default)"),
          preset_name);
      return FALSE;
    }
  if (regex != NULL)
    {
      g_free (self->case_number_regex);
      self->case_number_regex = g_steal_pointer (&regex);
    }
  if (!compile_regex (self, error)
      || !read_uint (file, "station", "tag-deadline-hours", 1, 24 * 365, &self->tag_deadline_hours,
                     error)
      || !read_uint (file, "station", "idle-sign-out-seconds", 10, 24 * 3600,
                     &self->idle_sign_out_seconds, error)
      || !read_uint (file, "station", "lockout-failures", 1, 100, &self->lockout_failures, error)
      || !read_uint (file, "station", "pin-min-length", 4, 12, &self->pin_min_length, error)
      || !read_uint (file, "station", "ready-charge-percent", 10, 100, &self->ready_charge_percent,
                     error)
      || !read_uint (file, "station", "lockout-minutes", 1, 24 * 60, &self->lockout_minutes, error)
      || !read_uint (file, "station", "audit-sample-percent", 0, 100, &self->audit_sample_percent,
                     error)
      || !read_uint (file, "station", "deletion-grace-hours", 1, 24 * 365,
                     &self->deletion_grace_hours, error))
    return FALSE;
  if (g_key_file_has_key (file, "station", "scheduled-purge", NULL))
    {
      g_autoptr (GError) local_error = NULL;
      gboolean on = g_key_file_get_boolean (file, "station", "scheduled-purge", &local_error);

      if (local_error != NULL)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                       _ ("[station] scheduled-purge must be true or false"));
          return FALSE;
        }
      self->scheduled_purge = on ? 1 : 0;
    }

  for (gsize i = 0; groups[i] != NULL; i++)
    {
      if (!g_str_has_prefix (groups[i], "category:"))
        continue;
      any_category = TRUE;
      if (!read_category (self, file, groups[i], preset, error))
        return FALSE;
    }
  if (!any_category)
    add_builtin_categories (self, preset);
  else if (docket_station_config_find_category (self, DOCKET_CATEGORY_UNCATEGORIZED) == NULL)
    {
      /* The default must always exist, kept as long as the longest rule. */
      DocketCategory *category = g_new0 (DocketCategory, 1);

      category->id = g_strdup (DOCKET_CATEGORY_UNCATEGORIZED);
      category->label = g_strdup (_ ("Uncategorized"));
      category->retention_days = preset->long_days;
      category->sergeant_access = TRUE;
      g_ptr_array_insert (self->categories, 0, category);
    }
  if (default_category != NULL)
    {
      g_free (self->default_category);
      self->default_category = g_steal_pointer (&default_category);
    }
  if (docket_station_config_find_category (self, self->default_category) == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("[station] default-category “%s” names no category"), self->default_category);
      return FALSE;
    }
  return TRUE;
}

DocketStationConfig *
docket_station_config_load_from_data (const gchar *data, GError **error)
{
  g_autoptr (DocketStationConfig) self = g_object_new (DOCKET_TYPE_STATION_CONFIG, NULL);
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;

  /* Every label[LANGUAGE]=: each kiosk shows its own language's. */
  if (!g_key_file_load_from_data (file, data, -1, G_KEY_FILE_KEEP_TRANSLATIONS, &local_error))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, "%s", local_error->message);
      return NULL;
    }
  if (!load_key_file (self, file, error))
    return NULL;
  return g_steal_pointer (&self);
}

DocketStationConfig *
docket_station_config_load (const gchar *path, GError **error)
{
  g_autofree gchar *data = NULL;
  g_autoptr (GError) local_error = NULL;
  DocketStationConfig *self;

  if (!g_file_get_contents (path, &data, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return docket_station_config_new_default ();
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("Could not read %s: %s"), path,
                   local_error->message);
      return NULL;
    }
  self = docket_station_config_load_from_data (data, error);
  if (self == NULL)
    g_prefix_error (error, _ ("Station configuration %s: "), path);
  return self;
}

GPtrArray *
docket_station_config_get_categories (DocketStationConfig *self)
{
  GPtrArray *categories;

  g_return_val_if_fail (DOCKET_IS_STATION_CONFIG (self), NULL);
  g_mutex_lock (&self->lock);
  categories = self->categories;
  g_mutex_unlock (&self->lock);
  return categories;
}

const DocketCategory *
docket_station_config_find_category (DocketStationConfig *self, const gchar *id)
{
  GPtrArray *categories = docket_station_config_get_categories (self);

  g_return_val_if_fail (categories != NULL, NULL);
  for (guint i = 0; i < categories->len; i++)
    {
      const DocketCategory *category = g_ptr_array_index (categories, i);

      if (g_strcmp0 (category->id, id) == 0)
        return category;
    }
  return NULL;
}

GStrv
docket_station_config_dup_category_ids (DocketStationConfig *self,
                                        gboolean restricted_sergeant_ok,
                                        gboolean needs_review)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  GPtrArray *categories = docket_station_config_get_categories (self);

  for (guint i = 0; i < categories->len; i++)
    {
      const DocketCategory *category = g_ptr_array_index (categories, i);

      if (restricted_sergeant_ok && !(category->restricted && category->sergeant_access))
        continue;
      if (needs_review && !category->needs_review)
        continue;
      g_strv_builder_add (builder, category->id);
    }
  return g_strv_builder_end (builder);
}

gboolean
docket_station_config_get_preset_days (const gchar *preset,
                                       const gchar *category_id,
                                       guint *out_days)
{
  const Preset *p = find_preset (preset);

  if (p == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (builtin); i++)
    if (g_strcmp0 (builtin[i].id, category_id) == 0)
      {
        *out_days = builtin[i].serious ? p->long_days : p->short_days;
        return TRUE;
      }
  return FALSE;
}

GStrv
docket_station_config_dup_builtin_category_ids (void)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (builtin); i++)
    g_strv_builder_add (builder, builtin[i].id);
  return g_strv_builder_end (builder);
}

const gchar *
docket_station_config_get_case_number_regex (DocketStationConfig *self)
{
  const gchar *regex;

  g_mutex_lock (&self->lock);
  regex = self->case_number_regex;
  g_mutex_unlock (&self->lock);
  return regex;
}

const gchar *
docket_station_config_get_default_category (DocketStationConfig *self)
{
  const gchar *id;

  g_return_val_if_fail (DOCKET_IS_STATION_CONFIG (self), NULL);
  g_mutex_lock (&self->lock);
  id = self->default_category;
  g_mutex_unlock (&self->lock);
  return id;
}

gboolean
docket_station_config_check_case_number (DocketStationConfig *self,
                                         const gchar *case_number,
                                         GError **error)
{
  g_autoptr (GRegex) regex = NULL;

  if (case_number == NULL || *case_number == '\0')
    return TRUE;
  g_mutex_lock (&self->lock);
  regex = g_regex_ref (self->case_number);
  g_mutex_unlock (&self->lock);
  if (!g_utf8_validate (case_number, -1, NULL) || strlen (case_number) > 64
      || !g_regex_match (regex, case_number, 0, NULL))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("“%s” is not a case number in this station's format"),
                   g_utf8_validate (case_number, -1, NULL) ? case_number : "?");
      return FALSE;
    }
  return TRUE;
}

#define GETTER(field)                                                                              \
  guint docket_station_config_get_##field (DocketStationConfig *self)                              \
  {                                                                                                \
    guint value;                                                                                   \
                                                                                                   \
    g_return_val_if_fail (DOCKET_IS_STATION_CONFIG (self), 0);                                     \
    g_mutex_lock (&self->lock);                                                                    \
    value = self->field;                                                                           \
    g_mutex_unlock (&self->lock);                                                                  \
    return value;                                                                                  \
  }

GETTER (tag_deadline_hours)
GETTER (idle_sign_out_seconds)
GETTER (lockout_failures)
GETTER (lockout_minutes)
GETTER (audit_sample_percent)
GETTER (deletion_grace_hours)
GETTER (pin_min_length)
GETTER (ready_charge_percent)

gboolean
docket_station_config_get_scheduled_purge (DocketStationConfig *self)
{
  gboolean value;

  g_return_val_if_fail (DOCKET_IS_STATION_CONFIG (self), FALSE);
  g_mutex_lock (&self->lock);
  value = self->scheduled_purge != 0;
  g_mutex_unlock (&self->lock);
  return value;
}

static void
retire_string (DocketStationConfig *self, gchar **field, const gchar *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_ptr_array_add (self->retired_strings, *field);
  *field = g_strdup (value);
}

void
docket_station_config_update (DocketStationConfig *self, DocketStationConfig *from)
{
  g_return_if_fail (DOCKET_IS_STATION_CONFIG (self));
  g_return_if_fail (DOCKET_IS_STATION_CONFIG (from));

  g_mutex_lock (&from->lock);
  g_mutex_lock (&self->lock);
  /* Readers may still hold the old list: keep it until we go. */
  g_ptr_array_add (self->retired_categories, self->categories);
  self->categories = g_ptr_array_ref (from->categories);
  retire_string (self, &self->case_number_regex, from->case_number_regex);
  retire_string (self, &self->default_category, from->default_category);
  g_clear_pointer (&self->case_number, g_regex_unref);
  self->case_number = g_regex_ref (from->case_number);
  self->pin_min_length = from->pin_min_length;
  self->ready_charge_percent = from->ready_charge_percent;
  self->tag_deadline_hours = from->tag_deadline_hours;
  self->idle_sign_out_seconds = from->idle_sign_out_seconds;
  self->lockout_failures = from->lockout_failures;
  self->lockout_minutes = from->lockout_minutes;
  self->audit_sample_percent = from->audit_sample_percent;
  self->deletion_grace_hours = from->deletion_grace_hours;
  self->scheduled_purge = from->scheduled_purge;
  g_mutex_unlock (&self->lock);
  g_mutex_unlock (&from->lock);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

DocketStationConfig *
docket_station_config_load_merged (const gchar *base, const gchar *overlay, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GKeyFile) over = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  g_auto (GStrv) groups = NULL;
  g_autofree gchar *merged = NULL;

  if ((base != NULL
       && !g_key_file_load_from_data (file, base, -1, G_KEY_FILE_KEEP_TRANSLATIONS, &local_error))
      || (overlay != NULL
          && !g_key_file_load_from_data (over, overlay, -1, G_KEY_FILE_KEEP_TRANSLATIONS,
                                         &local_error)))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, "%s", local_error->message);
      return NULL;
    }
  /* Categories are one list: an overlay that has any replaces them all. */
  groups = g_key_file_get_groups (over, NULL);
  for (gsize i = 0; groups[i] != NULL; i++)
    if (g_str_has_prefix (groups[i], "category:"))
      {
        g_auto (GStrv) mine = g_key_file_get_groups (file, NULL);

        for (gsize j = 0; mine[j] != NULL; j++)
          if (g_str_has_prefix (mine[j], "category:"))
            g_key_file_remove_group (file, mine[j], NULL);
        break;
      }
  for (gsize i = 0; groups[i] != NULL; i++)
    {
      g_auto (GStrv) keys = g_key_file_get_keys (over, groups[i], NULL, NULL);

      for (gsize k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          g_autofree gchar *value = g_key_file_get_value (over, groups[i], keys[k], NULL);

          g_key_file_set_value (file, groups[i], keys[k], value);
        }
    }
  merged = g_key_file_to_data (file, NULL, NULL);
  return docket_station_config_load_from_data (merged, error);
}

GVariant *
docket_category_to_variant (const DocketCategory *category)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_variant_builder_add (&builder, "{sv}", "id", g_variant_new_string (category->id));
  g_variant_builder_add (&builder, "{sv}", "label", g_variant_new_string (category->label));
  if (category->labels != NULL)
    {
      g_auto (GVariantBuilder) labels = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
      GHashTableIter iter;
      gpointer language, label;

      g_hash_table_iter_init (&iter, category->labels);
      while (g_hash_table_iter_next (&iter, &language, &label))
        g_variant_builder_add (&labels, "{ss}", language, label);
      g_variant_builder_add (&builder, "{sv}", "labels", g_variant_builder_end (&labels));
    }
  g_variant_builder_add (&builder, "{sv}", "retention-days",
                         g_variant_new_uint32 (category->retention_days));
  g_variant_builder_add (&builder, "{sv}", "restricted",
                         g_variant_new_boolean (category->restricted));
  g_variant_builder_add (&builder, "{sv}", "needs-review",
                         g_variant_new_boolean (category->needs_review));
  return g_variant_builder_end (&builder);
}
