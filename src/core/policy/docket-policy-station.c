/* docket-policy-station.c — the policy's station section
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-policy-private.h"

/* Same ids as the station config's built-in presets. */
static const gchar *const retention_presets[]
    = { "minnesota", "new-jersey", "illinois", "default", NULL };

/* A language code as the kiosk's locale names it: "es", "pt_BR", "sr@latin". */
static gboolean
valid_language (const gchar *code)
{
  gsize len = strlen (code);

  if (len < 2 || len > 16 || !g_ascii_islower (code[0]) || !g_ascii_islower (code[1]))
    return FALSE;
  for (const gchar *p = code; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '@')
      return FALSE;
  return TRUE;
}

/* "labels": {"es": "Control de tráfico", ...}: the label in other languages. */
static gboolean
read_labels (JsonObject *object, const gchar *where, GHashTable *labels, GError **error)
{
  JsonNode *node = json_object_get_member (object, "labels");
  g_autofree gchar *inner = g_strconcat (where, ".labels", NULL);
  g_autoptr (GList) members = NULL;
  JsonObject *languages;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _docket_policy_json_invalid (error, where, "labels",
                                        _ ("must map language codes to labels"));
  languages = json_node_get_object (node);
  if (json_object_get_size (languages) > 32)
    return _docket_policy_json_invalid (error, where, "labels", _ ("at most 32 languages"));
  members = json_object_get_members (languages);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree gchar *label = NULL;

      if (!valid_language (l->data))
        return _docket_policy_json_invalid (error, where, "labels",
                                            _ ("a language is a code such as “es” or “pt_BR”"));
      if (!_docket_policy_json_read_string (languages, inner, l->data, 128, &label, error))
        return FALSE;
      g_hash_table_replace (labels, g_strdup (l->data), g_steal_pointer (&label));
    }
  return TRUE;
}

static gboolean
read_category (DocketPolicy *self, JsonNode *node, guint index, GError **error)
{
  static const gchar *const allowed[]
      = { "id",        "label",      "labels",          "retention-days",
          "retention", "restricted", "sergeant-access", "needs-review",
          NULL };
  static const struct
  {
    const gchar *name;
    guint days;
  } retention_names[] = { { "90-days", 90 },  { "180-days", 180 },    { "1-year", 365 },
                          { "2-years", 730 }, { "3-years", 3 * 365 }, { "7-years", 7 * 365 } };
  g_autofree gchar *where = g_strdup_printf ("station.categories[%u]", index);
  g_autofree gchar *retention = NULL;
  DocketPolicyCategory *c;
  JsonObject *object;
  gint restricted = 0, sergeant = 1, review = 0;
  guint days = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _docket_policy_json_invalid (error, "station", "categories",
                                        _ ("each category must be an object"));
  object = json_node_get_object (node);
  c = g_new0 (DocketPolicyCategory, 1);
  c->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_ptr_array_add (self->categories, c);
  if (!_docket_policy_json_check_members (object, where, allowed, error)
      || !_docket_policy_json_read_string (object, where, "id", 64, &c->id, error)
      || !_docket_policy_json_read_string (object, where, "label", 128, &c->label, error)
      || !read_labels (object, where, c->labels, error)
      || !_docket_policy_json_read_uint (object, where, "retention-days", 1, 100 * 365, &days,
                                         error)
      || !_docket_policy_json_read_string (object, where, "retention", 16, &retention, error)
      || !_docket_policy_json_read_bool (object, where, "restricted", &restricted, error)
      || !_docket_policy_json_read_bool (object, where, "sergeant-access", &sergeant, error)
      || !_docket_policy_json_read_bool (object, where, "needs-review", &review, error))
    return FALSE;
  if (c->id == NULL || c->label == NULL)
    return _docket_policy_json_invalid (error, where, "id",
                                        _ ("every category needs an “id” and a “label”"));
  for (const gchar *p = c->id; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return _docket_policy_json_invalid (error, where, "id",
                                          _ ("use lower-case letters, digits and dashes"));
  if (retention != NULL)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (retention_names); i++)
        if (g_strcmp0 (retention, retention_names[i].name) == 0)
          days = retention_names[i].days;
      if (days == 0 || json_object_has_member (object, "retention-days"))
        return _docket_policy_json_invalid (
            error, where, "retention",
            _ ("must be one of 90-days, 180-days, 1-year, 2-years, 3-years, "
               "7-years (or give retention-days instead)"));
    }
  if (days == 0)
    return _docket_policy_json_invalid (error, where, "retention-days",
                                        _ ("every category needs a retention period"));
  c->retention_days = days;
  c->restricted = restricted == 1;
  c->sergeant_access = sergeant == 1;
  c->needs_review = review == 1;
  for (guint i = 0; i + 1 < self->categories->len; i++)
    if (g_strcmp0 (((DocketPolicyCategory *)self->categories->pdata[i])->id, c->id) == 0)
      return _docket_policy_json_invalid (error, where, "id", _ ("two categories have this id"));
  return TRUE;
}

static void
remember_keys (DocketPolicy *self, JsonObject *object, const gchar *prefix)
{
  g_autoptr (GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    g_hash_table_add (self->station_set, g_strconcat (prefix, l->data, NULL));
}

/* "non-evidence" as the default once put footage at risk of early deletion. */
static gboolean
looks_like_non_evidence (const gchar *text)
{
  g_autofree gchar *lower = g_utf8_strdown (text, -1);

  return strstr (lower, "non-evidence") != NULL || strstr (lower, "non evidence") != NULL
         || strstr (lower, "nonevidence") != NULL;
}

gboolean
_docket_policy_read_station (DocketPolicy *self, JsonNode *node, GError **error)
{
  static const gchar *const allowed[] = { "ready-charge-percent",
                                          "tag-deadline-hours",
                                          "idle-sign-out-seconds",
                                          "pin",
                                          "retention-preset",
                                          "default-category",
                                          "categories",
                                          "max-clock-drift-ms",
                                          "checkout",
                                          "battery-alerts",
                                          NULL };
  static const gchar *const pin_allowed[]
      = { "min-length", "lockout-failures", "lockout-minutes", NULL };
  static const gchar *const checkout_allowed[]
      = { "min-battery-percent", "one-camera-per-officer", "spare-storage-percent", NULL };
  static const gchar *const alerts_allowed[]
      = { "low-percent", "max-temperature-c", "min-health-percent", NULL };
  JsonObject *object;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _docket_policy_json_invalid (error, "", "station", _ ("must be an object"));
  object = json_node_get_object (node);
  remember_keys (self, object, "");
  if (!_docket_policy_json_check_members (object, "station", allowed, error)
      || !_docket_policy_json_read_uint (object, "station", "ready-charge-percent", 10, 100,
                                         &self->ready_charge_percent, error)
      || !_docket_policy_json_read_uint (object, "station", "tag-deadline-hours", 1, 24 * 30,
                                         &self->tag_deadline_hours, error)
      || !_docket_policy_json_read_uint (object, "station", "idle-sign-out-seconds", 15, 3600,
                                         &self->idle_sign_out_seconds, error)
      || !_docket_policy_json_read_uint (object, "station", "max-clock-drift-ms", 50, 600000,
                                         &self->max_drift_ms, error)
      || !_docket_policy_json_read_string (object, "station", "retention-preset", 32,
                                           &self->retention_preset, error)
      || !_docket_policy_json_read_string (object, "station", "default-category", 64,
                                           &self->default_category, error))
    return FALSE;
  if (!g_strv_contains (retention_presets, self->retention_preset))
    return _docket_policy_json_invalid (error, "station", "retention-preset",
                                        _ ("must be minnesota, new-jersey, illinois or default"));

  member = json_object_get_member (object, "pin");
  if (member != NULL)
    {
      JsonObject *pin;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        return _docket_policy_json_invalid (error, "station", "pin", _ ("must be an object"));
      pin = json_node_get_object (member);
      remember_keys (self, pin, "pin.");
      if (!_docket_policy_json_check_members (pin, "station.pin", pin_allowed, error)
          || !_docket_policy_json_read_uint (pin, "station.pin", "min-length", 4, 12,
                                             &self->pin_min_length, error)
          || !_docket_policy_json_read_uint (pin, "station.pin", "lockout-failures", 3, 20,
                                             &self->lockout_failures, error)
          || !_docket_policy_json_read_uint (pin, "station.pin", "lockout-minutes", 1, 24 * 60,
                                             &self->lockout_minutes, error))
        return FALSE;
    }

  /* Part (b) sections: range-checked now so a policy written for it is not
   * refused later, applied by the check-out and battery code. */
  member = json_object_get_member (object, "checkout");
  if (member != NULL)
    {
      guint min_battery = 80, storage = 0;
      gint one = 1;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        return _docket_policy_json_invalid (error, "station", "checkout", _ ("must be an object"));
      if (!_docket_policy_json_check_members (json_node_get_object (member), "station.checkout",
                                              checkout_allowed, error)
          || !_docket_policy_json_read_uint (json_node_get_object (member), "station.checkout",
                                             "min-battery-percent", 10, 100, &min_battery, error)
          || !_docket_policy_json_read_bool (json_node_get_object (member), "station.checkout",
                                             "one-camera-per-officer", &one, error)
          || !_docket_policy_json_read_uint (json_node_get_object (member), "station.checkout",
                                             "spare-storage-percent", 20, 100, &storage, error))
        return FALSE;
      self->checkout_min_battery_percent = min_battery;
      self->one_camera_per_officer = one != 0;
      self->spare_storage_percent = storage;
    }
  member = json_object_get_member (object, "battery-alerts");
  if (member != NULL)
    {
      guint low = 20, temp = 45, health = 70;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        return _docket_policy_json_invalid (error, "station", "battery-alerts",
                                            _ ("must be an object"));
      if (!_docket_policy_json_check_members (json_node_get_object (member),
                                              "station.battery-alerts", alerts_allowed, error)
          || !_docket_policy_json_read_uint (json_node_get_object (member),
                                             "station.battery-alerts", "low-percent", 1, 90, &low,
                                             error)
          || !_docket_policy_json_read_uint (json_node_get_object (member),
                                             "station.battery-alerts", "max-temperature-c", 20, 80,
                                             &temp, error)
          || !_docket_policy_json_read_uint (json_node_get_object (member),
                                             "station.battery-alerts", "min-health-percent", 10,
                                             100, &health, error))
        return FALSE;
      self->battery_low_percent = low;
      self->battery_max_temperature_c = temp;
      self->battery_min_health_percent = health;
    }

  member = json_object_get_member (object, "categories");
  if (member != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        return _docket_policy_json_invalid (error, "station", "categories", _ ("must be a list"));
      array = json_node_get_array (member);
      if (json_array_get_length (array) > 64)
        return _docket_policy_json_invalid (error, "station", "categories",
                                            _ ("at most 64 categories"));
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!read_category (self, json_array_get_element (array, i), i, error))
          return FALSE;
    }

  if (looks_like_non_evidence (self->default_category))
    return _docket_policy_json_invalid (
        error, "station", "default-category",
        _ ("must not be “non-evidence”: untagged footage would be deleted early; use "
           "“uncategorized”"));
  if (self->categories->len > 0)
    {
      const DocketPolicyCategory *found = NULL;

      for (guint i = 0; i < self->categories->len; i++)
        if (g_strcmp0 (((DocketPolicyCategory *)self->categories->pdata[i])->id,
                       self->default_category)
            == 0)
          found = self->categories->pdata[i];
      if (found == NULL)
        return _docket_policy_json_invalid (error, "station", "default-category",
                                            _ ("names no category in station.categories"));
      if (looks_like_non_evidence (found->label))
        return _docket_policy_json_invalid (
            error, "station", "default-category",
            _ ("must not be “non-evidence”: untagged footage would be deleted early"));
    }
  else if (g_strcmp0 (self->default_category, "uncategorized") != 0)
    return _docket_policy_json_invalid (error, "station", "default-category",
                                        _ ("without a category list only “uncategorized” exists"));
  return TRUE;
}

#define DEFINE_GETTER(type, name)                                                                  \
  type docket_policy_get_##name (DocketPolicy *self)                                               \
  {                                                                                                \
    g_return_val_if_fail (DOCKET_IS_POLICY (self), (type)0);                                       \
    return self->name;                                                                             \
  }

DEFINE_GETTER (guint, ready_charge_percent)
DEFINE_GETTER (guint, tag_deadline_hours)
DEFINE_GETTER (guint, idle_sign_out_seconds)
DEFINE_GETTER (guint, pin_min_length)
DEFINE_GETTER (guint, lockout_failures)
DEFINE_GETTER (guint, lockout_minutes)
DEFINE_GETTER (const gchar *, retention_preset)
DEFINE_GETTER (const gchar *, default_category)
DEFINE_GETTER (GPtrArray *, categories)
DEFINE_GETTER (guint, checkout_min_battery_percent)
DEFINE_GETTER (gboolean, one_camera_per_officer)
DEFINE_GETTER (guint, spare_storage_percent)
DEFINE_GETTER (guint, battery_low_percent)
DEFINE_GETTER (guint, battery_max_temperature_c)
DEFINE_GETTER (guint, battery_min_health_percent)

static void
set_uint_if_set (
    DocketPolicy *self, GKeyFile *file, const gchar *policy_key, const gchar *conf_key, guint value)
{
  if (g_hash_table_contains (self->station_set, policy_key))
    g_key_file_set_uint64 (file, "station", conf_key, value);
}

gchar *
docket_policy_dup_station_config_data (DocketPolicy *self)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();

  g_return_val_if_fail (DOCKET_IS_POLICY (self), NULL);

  /* Only what the document says: the rest is the station's own. */
  if (g_hash_table_contains (self->station_set, "retention-preset"))
    g_key_file_set_string (file, "station", "preset", self->retention_preset);
  if (g_hash_table_contains (self->station_set, "default-category"))
    g_key_file_set_string (file, "station", "default-category", self->default_category);
  set_uint_if_set (self, file, "ready-charge-percent", "ready-charge-percent",
                   self->ready_charge_percent);
  set_uint_if_set (self, file, "tag-deadline-hours", "tag-deadline-hours",
                   self->tag_deadline_hours);
  set_uint_if_set (self, file, "idle-sign-out-seconds", "idle-sign-out-seconds",
                   self->idle_sign_out_seconds);
  set_uint_if_set (self, file, "pin.min-length", "pin-min-length", self->pin_min_length);
  set_uint_if_set (self, file, "pin.lockout-failures", "lockout-failures", self->lockout_failures);
  set_uint_if_set (self, file, "pin.lockout-minutes", "lockout-minutes", self->lockout_minutes);
  for (guint i = 0; i < self->categories->len; i++)
    {
      const DocketPolicyCategory *c = g_ptr_array_index (self->categories, i);
      g_autofree gchar *group = g_strconcat ("category:", c->id, NULL);

      g_autoptr (GList) languages
          = g_list_sort (g_hash_table_get_keys (c->labels), (GCompareFunc)g_strcmp0);

      g_key_file_set_string (file, group, "label", c->label);
      /* label[es]=…: the station config reads them back per language. */
      for (GList *l = languages; l != NULL; l = l->next)
        g_key_file_set_locale_string (file, group, "label", l->data,
                                      g_hash_table_lookup (c->labels, l->data));
      g_key_file_set_uint64 (file, group, "retention-days", c->retention_days);
      g_key_file_set_boolean (file, group, "restricted", c->restricted);
      g_key_file_set_boolean (file, group, "sergeant-access", c->sergeant_access);
      g_key_file_set_boolean (file, group, "needs-review", c->needs_review);
    }
  return g_key_file_to_data (file, NULL, NULL);
}
