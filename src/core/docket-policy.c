/* docket-policy.c — parse and validate the policy document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Strict on purpose: an unknown key is refused rather than ignored, so a
 * typo in IT's document ("bitrate-kpbs") cannot silently leave cameras
 * unmanaged. Signing and the last good policy live in
 * docket-policy-signing.c.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "docket-error.h"
#include "docket-policy-private.h"

struct _DocketPolicy
{
  GObject parent_instance;

  gchar *text;
  gint64 version;
  gchar *description;
  gchar *signed_by;
  guint max_drift_ms;
  GPtrArray *models; /* DocketModelPolicy, resolved: defaults overlaid */
  DocketModelPolicy *defaults;

  guint ready_charge_percent;
  guint tag_deadline_hours;
  guint idle_sign_out_seconds;
  guint pin_min_length;
  guint lockout_failures;
  guint lockout_minutes;
  gchar *retention_preset;
  gchar *default_category;
  GPtrArray *categories; /* DocketPolicyCategory */

  /* Part (b): check-out and batteries */
  guint checkout_min_battery_percent;
  gboolean one_camera_per_officer;
  guint spare_storage_percent; /* 0: not managed */
  guint battery_low_percent;
  guint battery_max_temperature_c;
  guint battery_min_health_percent;
};

G_DEFINE_FINAL_TYPE (DocketPolicy, docket_policy, G_TYPE_OBJECT)

/* Same ids as the station config's built-in presets. */
static const gchar *const retention_presets[] = { "minnesota", "new-jersey", "default", NULL };

static void
model_policy_free (DocketModelPolicy *m)
{
  g_free (m->model);
  g_free (m->resolution);
  g_free (m->minimum_firmware);
  g_free (m->firmware_image);
  g_free (m->firmware_sha256);
  g_free (m);
}

static DocketModelPolicy *
model_policy_new (const gchar *model)
{
  DocketModelPolicy *m = g_new0 (DocketModelPolicy, 1);

  m->model = g_strdup (model);
  m->frame_rate = m->bitrate_kbps = m->pre_event_seconds = m->post_event_seconds = -1;
  m->audio = m->allow_mute = m->charge_limit_percent = m->erase_after_offload = -1;
  return m;
}

static void
category_free (DocketPolicyCategory *c)
{
  g_free (c->id);
  g_free (c->label);
  g_free (c);
}

static void
docket_policy_finalize (GObject *object)
{
  DocketPolicy *self = DOCKET_POLICY (object);

  g_free (self->text);
  g_free (self->description);
  g_free (self->signed_by);
  g_ptr_array_unref (self->models);
  g_clear_pointer (&self->defaults, model_policy_free);
  g_free (self->retention_preset);
  g_free (self->default_category);
  g_ptr_array_unref (self->categories);
  G_OBJECT_CLASS (docket_policy_parent_class)->finalize (object);
}

static void
docket_policy_class_init (DocketPolicyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_policy_finalize;
}

static void
docket_policy_init (DocketPolicy *self)
{
  self->models = g_ptr_array_new_with_free_func ((GDestroyNotify)model_policy_free);
  self->categories = g_ptr_array_new_with_free_func ((GDestroyNotify)category_free);
  self->max_drift_ms = DOCKET_POLICY_DEFAULT_MAX_DRIFT_MS;
  self->ready_charge_percent = 80;
  self->tag_deadline_hours = 72;
  self->idle_sign_out_seconds = 120;
  self->pin_min_length = 4;
  self->lockout_failures = 5;
  self->lockout_minutes = 15;
  self->retention_preset = g_strdup ("default");
  self->default_category = g_strdup ("uncategorized");
  self->checkout_min_battery_percent = 80;
  self->one_camera_per_officer = TRUE;
  self->battery_low_percent = 20;
  self->battery_max_temperature_c = 45;
  self->battery_min_health_percent = 70;
}

/* ---- strict readers ------------------------------------------------------ */

static gboolean
invalid (GError **error, const gchar *where, const gchar *key, const gchar *what)
{
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("Policy key “%s%s%s”: %s"), where,
               *where != '\0' ? "." : "", key, what);
  return FALSE;
}

/* Refuses members not in @allowed. */
static gboolean
check_members (JsonObject *object, const gchar *where, const gchar *const *allowed, GError **error)
{
  g_autoptr (GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return invalid (error, where, l->data,
                      _ ("unknown setting (misspelt, or meant for a newer Docket?)"));
  return TRUE;
}

static gboolean
read_int (JsonObject *object,
          const gchar *where,
          const gchar *key,
          gint64 min,
          gint64 max,
          gint64 *inout,
          GError **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree gchar *range = NULL;
  gint64 value;

  if (node == NULL)
    return TRUE;
  range = g_strdup_printf (_ ("must be a whole number from %lld to %lld"), (long long)min,
                           (long long)max);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return invalid (error, where, key, range);
  value = json_node_get_int (node);
  if (value < min || value > max)
    return invalid (error, where, key, range);
  *inout = value;
  return TRUE;
}

static gboolean
read_uint_field (JsonObject *object,
                 const gchar *where,
                 const gchar *key,
                 guint min,
                 guint max,
                 guint *inout,
                 GError **error)
{
  gint64 v = *inout;

  if (!read_int (object, where, key, min, max, &v, error))
    return FALSE;
  *inout = (guint)v;
  return TRUE;
}

static gboolean
read_managed_int (JsonObject *object,
                  const gchar *where,
                  const gchar *key,
                  gint min,
                  gint max,
                  gint *inout,
                  GError **error)
{
  gint64 v = *inout;

  if (!read_int (object, where, key, min, max, &v, error))
    return FALSE;
  *inout = (gint)v;
  return TRUE;
}

static gboolean
read_bool (JsonObject *object, const gchar *where, const gchar *key, gint *inout, GError **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (error, where, key, _ ("must be true or false"));
  *inout = json_node_get_boolean (node) ? 1 : 0;
  return TRUE;
}

/* @max_len 0: any length. Returns TRUE with *out untouched when absent. */
static gboolean
read_string (JsonObject *object,
             const gchar *where,
             const gchar *key,
             gsize max_len,
             gchar **inout,
             GError **error)
{
  JsonNode *node = json_object_get_member (object, key);
  const gchar *value;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, where, key, _ ("must be a text in quotes"));
  value = json_node_get_string (node);
  if (*value == '\0' || (max_len > 0 && strlen (value) > max_len))
    return invalid (error, where, key, _ ("must not be empty or too long"));
  g_free (*inout);
  *inout = g_strdup (value);
  return TRUE;
}

static gboolean
valid_dotted_version (const gchar *v)
{
  g_auto (GStrv) parts = g_strsplit (v, ".", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0' || strlen (parts[i]) > 9)
        return FALSE;
      for (const gchar *p = parts[i]; *p != '\0'; p++)
        if (!g_ascii_isdigit (*p))
          return FALSE;
    }
  return parts[0] != NULL;
}

gint
docket_policy_compare_versions (const gchar *a, const gchar *b)
{
  g_auto (GStrv) pa = g_strsplit (a != NULL ? a : "", ".", -1);
  g_auto (GStrv) pb = g_strsplit (b != NULL ? b : "", ".", -1);
  guint na = g_strv_length (pa);
  guint nb = g_strv_length (pb);

  for (guint i = 0; i < MAX (na, nb); i++)
    {
      guint64 va = i < na ? g_ascii_strtoull (pa[i], NULL, 10) : 0;
      guint64 vb = i < nb ? g_ascii_strtoull (pb[i], NULL, 10) : 0;

      if (va != vb)
        return va < vb ? -1 : 1;
    }
  return 0;
}

static gboolean
valid_resolution (const gchar *v)
{
  guint w = 0, h = 0;
  gchar tail = 0;

  if (sscanf (v, "%ux%u%c", &w, &h, &tail) != 2)
    return FALSE;
  return w >= 320 && w <= 7680 && h >= 240 && h <= 4320;
}

static gboolean
valid_sha256_hex (const gchar *v)
{
  if (strlen (v) != 64)
    return FALSE;
  for (const gchar *p = v; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

/* ---- sections ------------------------------------------------------------ */

static gboolean
read_model (JsonObject *object, const gchar *where, DocketModelPolicy *m, GError **error)
{
  static const gchar *const allowed[]
      = { "resolution",         "frame-rate", "bitrate-kbps",         "pre-event-seconds",
          "post-event-seconds", "audio",      "allow-mute",           "erase-after-offload",
          "minimum-firmware",   "firmware",   "charge-limit-percent", NULL };
  static const gchar *const firmware_allowed[] = { "image", "sha256", NULL };
  JsonNode *firmware;

  if (!check_members (object, where, allowed, error)
      || !read_string (object, where, "resolution", 16, &m->resolution, error)
      || !read_managed_int (object, where, "frame-rate", 1, 120, &m->frame_rate, error)
      || !read_managed_int (object, where, "bitrate-kbps", 250, 100000, &m->bitrate_kbps, error)
      || !read_managed_int (object, where, "pre-event-seconds", 0, 120, &m->pre_event_seconds,
                            error)
      || !read_managed_int (object, where, "post-event-seconds", 0, 600, &m->post_event_seconds,
                            error)
      || !read_bool (object, where, "audio", &m->audio, error)
      || !read_bool (object, where, "allow-mute", &m->allow_mute, error)
      || !read_bool (object, where, "erase-after-offload", &m->erase_after_offload, error)
      || !read_string (object, where, "minimum-firmware", 40, &m->minimum_firmware, error)
      || !read_managed_int (object, where, "charge-limit-percent", 50, 100,
                            &m->charge_limit_percent, error))
    return FALSE;
  if (m->resolution != NULL && !valid_resolution (m->resolution))
    return invalid (error, where, "resolution",
                    _ ("must look like 1920x1080 (320x240 up to 7680x4320)"));
  if (m->minimum_firmware != NULL && !valid_dotted_version (m->minimum_firmware))
    return invalid (error, where, "minimum-firmware", _ ("must be numbers and dots, like 2.4.1"));

  firmware = json_object_get_member (object, "firmware");
  if (firmware != NULL)
    {
      g_autofree gchar *fw_where = g_strconcat (where, ".firmware", NULL);
      JsonObject *fw;

      if (!JSON_NODE_HOLDS_OBJECT (firmware))
        return invalid (error, where, "firmware", _ ("must be an object"));
      fw = json_node_get_object (firmware);
      if (!check_members (fw, fw_where, firmware_allowed, error)
          || !read_string (fw, fw_where, "image", 255, &m->firmware_image, error)
          || !read_string (fw, fw_where, "sha256", 64, &m->firmware_sha256, error))
        return FALSE;
      if (m->firmware_image == NULL || m->firmware_sha256 == NULL)
        return invalid (error, where, "firmware", _ ("needs both “image” and “sha256”"));
      if (strchr (m->firmware_image, '/') != NULL || m->firmware_image[0] == '.')
        return invalid (error, fw_where, "image", _ ("must be a file name, not a path"));
      if (!valid_sha256_hex (m->firmware_sha256))
        return invalid (error, fw_where, "sha256", _ ("must be 64 hexadecimal digits"));
      {
        gchar *lower = g_ascii_strdown (m->firmware_sha256, -1);

        g_free (m->firmware_sha256);
        m->firmware_sha256 = lower;
      }
    }
  return TRUE;
}

static DocketModelPolicy *
model_policy_copy (const DocketModelPolicy *src, const gchar *model)
{
  DocketModelPolicy *m = g_memdup2 (src, sizeof *src);

  m->model = g_strdup (model);
  m->resolution = g_strdup (src->resolution);
  m->minimum_firmware = g_strdup (src->minimum_firmware);
  m->firmware_image = g_strdup (src->firmware_image);
  m->firmware_sha256 = g_strdup (src->firmware_sha256);
  return m;
}

static gboolean
read_cameras (DocketPolicy *self, JsonNode *node, GError **error)
{
  JsonObject *object;
  JsonNode *defaults;
  g_autoptr (GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "", "cameras", _ ("must be an object of camera models"));
  object = json_node_get_object (node);
  defaults = json_object_get_member (object, "*");
  if (defaults != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (defaults))
        return invalid (error, "cameras", "*", _ ("must be an object"));
      if (!read_model (json_node_get_object (defaults), "cameras.*", self->defaults, error))
        return FALSE;
    }
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const gchar *model = l->data;
      JsonNode *entry = json_object_get_member (object, model);
      g_autofree gchar *where = g_strconcat ("cameras.", model, NULL);
      DocketModelPolicy *m;

      if (g_strcmp0 (model, "*") == 0)
        continue;
      if (*model == '\0' || strlen (model) > 64)
        return invalid (error, "cameras", model, _ ("a model name is 1 to 64 characters"));
      if (!JSON_NODE_HOLDS_OBJECT (entry))
        return invalid (error, "cameras", model, _ ("must be an object"));
      m = model_policy_copy (self->defaults, model);
      g_ptr_array_add (self->models, m);
      if (!read_model (json_node_get_object (entry), where, m, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_category (DocketPolicy *self, JsonNode *node, guint index, GError **error)
{
  static const gchar *const allowed[]
      = { "id",         "label",           "retention-days", "retention",
          "restricted", "sergeant-access", "needs-review",   NULL };
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
    return invalid (error, "station", "categories", _ ("each category must be an object"));
  object = json_node_get_object (node);
  c = g_new0 (DocketPolicyCategory, 1);
  g_ptr_array_add (self->categories, c);
  if (!check_members (object, where, allowed, error)
      || !read_string (object, where, "id", 64, &c->id, error)
      || !read_string (object, where, "label", 128, &c->label, error)
      || !read_uint_field (object, where, "retention-days", 1, 100 * 365, &days, error)
      || !read_string (object, where, "retention", 16, &retention, error)
      || !read_bool (object, where, "restricted", &restricted, error)
      || !read_bool (object, where, "sergeant-access", &sergeant, error)
      || !read_bool (object, where, "needs-review", &review, error))
    return FALSE;
  if (c->id == NULL || c->label == NULL)
    return invalid (error, where, "id", _ ("every category needs an “id” and a “label”"));
  for (const gchar *p = c->id; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return invalid (error, where, "id", _ ("use lower-case letters, digits and dashes"));
  if (retention != NULL)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (retention_names); i++)
        if (g_strcmp0 (retention, retention_names[i].name) == 0)
          days = retention_names[i].days;
      if (days == 0 || json_object_has_member (object, "retention-days"))
        return invalid (error, where, "retention",
                        _ ("must be one of 90-days, 180-days, 1-year, 2-years, 3-years, "
                           "7-years (or give retention-days instead)"));
    }
  if (days == 0)
    return invalid (error, where, "retention-days", _ ("every category needs a retention period"));
  c->retention_days = days;
  c->restricted = restricted == 1;
  c->sergeant_access = sergeant == 1;
  c->needs_review = review == 1;
  for (guint i = 0; i + 1 < self->categories->len; i++)
    if (g_strcmp0 (((DocketPolicyCategory *)self->categories->pdata[i])->id, c->id) == 0)
      return invalid (error, where, "id", _ ("two categories have this id"));
  return TRUE;
}

/* "non-evidence" as the default once put footage at risk of early deletion. */
static gboolean
looks_like_non_evidence (const gchar *text)
{
  g_autofree gchar *lower = g_utf8_strdown (text, -1);

  return strstr (lower, "non-evidence") != NULL || strstr (lower, "non evidence") != NULL
         || strstr (lower, "nonevidence") != NULL;
}

static gboolean
read_station (DocketPolicy *self, JsonNode *node, GError **error)
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
    return invalid (error, "", "station", _ ("must be an object"));
  object = json_node_get_object (node);
  if (!check_members (object, "station", allowed, error)
      || !read_uint_field (object, "station", "ready-charge-percent", 10, 100,
                           &self->ready_charge_percent, error)
      || !read_uint_field (object, "station", "tag-deadline-hours", 1, 24 * 30,
                           &self->tag_deadline_hours, error)
      || !read_uint_field (object, "station", "idle-sign-out-seconds", 15, 3600,
                           &self->idle_sign_out_seconds, error)
      || !read_uint_field (object, "station", "max-clock-drift-ms", 50, 600000, &self->max_drift_ms,
                           error)
      || !read_string (object, "station", "retention-preset", 32, &self->retention_preset, error)
      || !read_string (object, "station", "default-category", 64, &self->default_category, error))
    return FALSE;
  if (!g_strv_contains (retention_presets, self->retention_preset))
    return invalid (error, "station", "retention-preset",
                    _ ("must be minnesota, new-jersey or default"));

  member = json_object_get_member (object, "pin");
  if (member != NULL)
    {
      JsonObject *pin;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        return invalid (error, "station", "pin", _ ("must be an object"));
      pin = json_node_get_object (member);
      if (!check_members (pin, "station.pin", pin_allowed, error)
          || !read_uint_field (pin, "station.pin", "min-length", 4, 12, &self->pin_min_length,
                               error)
          || !read_uint_field (pin, "station.pin", "lockout-failures", 3, 20,
                               &self->lockout_failures, error)
          || !read_uint_field (pin, "station.pin", "lockout-minutes", 1, 24 * 60,
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
        return invalid (error, "station", "checkout", _ ("must be an object"));
      if (!check_members (json_node_get_object (member), "station.checkout", checkout_allowed,
                          error)
          || !read_uint_field (json_node_get_object (member), "station.checkout",
                               "min-battery-percent", 10, 100, &min_battery, error)
          || !read_bool (json_node_get_object (member), "station.checkout",
                         "one-camera-per-officer", &one, error)
          || !read_uint_field (json_node_get_object (member), "station.checkout",
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
        return invalid (error, "station", "battery-alerts", _ ("must be an object"));
      if (!check_members (json_node_get_object (member), "station.battery-alerts", alerts_allowed,
                          error)
          || !read_uint_field (json_node_get_object (member), "station.battery-alerts",
                               "low-percent", 1, 90, &low, error)
          || !read_uint_field (json_node_get_object (member), "station.battery-alerts",
                               "max-temperature-c", 20, 80, &temp, error)
          || !read_uint_field (json_node_get_object (member), "station.battery-alerts",
                               "min-health-percent", 10, 100, &health, error))
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
        return invalid (error, "station", "categories", _ ("must be a list"));
      array = json_node_get_array (member);
      if (json_array_get_length (array) > 64)
        return invalid (error, "station", "categories", _ ("at most 64 categories"));
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!read_category (self, json_array_get_element (array, i), i, error))
          return FALSE;
    }

  if (looks_like_non_evidence (self->default_category))
    return invalid (error, "station", "default-category",
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
        return invalid (error, "station", "default-category",
                        _ ("names no category in station.categories"));
      if (looks_like_non_evidence (found->label))
        return invalid (error, "station", "default-category",
                        _ ("must not be “non-evidence”: untagged footage would be deleted early"));
    }
  else if (g_strcmp0 (self->default_category, "uncategorized") != 0)
    return invalid (error, "station", "default-category",
                    _ ("without a category list only “uncategorized” exists"));
  return TRUE;
}

static gboolean
parse_document (DocketPolicy *self, JsonNode *root, GError **error)
{
  static const gchar *const allowed[]
      = { "format", "version", "description", "issued", "cameras", "station", NULL };
  JsonObject *object;
  gint64 format = 0;
  g_autofree gchar *issued = NULL;
  JsonNode *member;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                           _ ("The policy must be a JSON object"));
      return FALSE;
    }
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "format") || !json_object_has_member (object, "version"))
    {
      g_set_error_literal (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                           _ ("The policy needs “format” and “version” at the top"));
      return FALSE;
    }
  if (!read_int (object, "", "format", 1, G_MAXINT32, &format, error))
    return FALSE;
  if (format != DOCKET_POLICY_FORMAT)
    return invalid (error, "", "format",
                    _ ("this Docket reads policy format 1 only; update Docket first"));
  if (!check_members (object, "", allowed, error)
      || !read_int (object, "", "version", 1, G_MAXINT64, &self->version, error)
      || !read_string (object, "", "description", 1024, &self->description, error)
      || !read_string (object, "", "issued", 64, &issued, error))
    return FALSE;

  self->defaults = model_policy_new ("*");
  member = json_object_get_member (object, "cameras");
  if (member != NULL && !read_cameras (self, member, error))
    return FALSE;
  member = json_object_get_member (object, "station");
  if (member != NULL && !read_station (self, member, error))
    return FALSE;
  return TRUE;
}

DocketPolicy *
docket_policy_new_from_data (const gchar *data, gsize len, GError **error)
{
  g_autoptr (DocketPolicy) self = g_object_new (DOCKET_TYPE_POLICY, NULL);
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  if (len > 1024 * 1024)
    {
      g_set_error_literal (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                           _ ("The policy is larger than 1 MiB"));
      return NULL;
    }
  if (!g_utf8_validate (data, len, NULL) || memchr (data, '\0', len) != NULL)
    {
      g_set_error_literal (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                           _ ("The policy is not UTF-8 text"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("The policy is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  if (!parse_document (self, json_parser_get_root (parser), error))
    return NULL;
  self->text = g_strndup (data, len);
  return g_steal_pointer (&self);
}

DocketPolicy *
docket_policy_new_from_file (const gchar *path, GError **error)
{
  g_autofree gchar *data = NULL;
  gsize len = 0;
  DocketPolicy *policy;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  policy = docket_policy_new_from_data (data, len, error);
  if (policy == NULL)
    g_prefix_error (error, "%s: ", path);
  return policy;
}

void
_docket_policy_set_signed_by (DocketPolicy *self, const gchar *key_name)
{
  g_free (self->signed_by);
  self->signed_by = g_strdup (key_name);
}

const gchar *
docket_policy_get_text (DocketPolicy *self)
{
  g_return_val_if_fail (DOCKET_IS_POLICY (self), NULL);
  return self->text;
}

gint64
docket_policy_get_version (DocketPolicy *self)
{
  g_return_val_if_fail (DOCKET_IS_POLICY (self), 0);
  return self->version;
}

const gchar *
docket_policy_get_description (DocketPolicy *self)
{
  g_return_val_if_fail (DOCKET_IS_POLICY (self), NULL);
  return self->description;
}

const gchar *
docket_policy_get_signed_by (DocketPolicy *self)
{
  g_return_val_if_fail (DOCKET_IS_POLICY (self), NULL);
  return self->signed_by;
}

const DocketModelPolicy *
docket_policy_get_model (DocketPolicy *self, const gchar *model)
{
  g_return_val_if_fail (DOCKET_IS_POLICY (self), NULL);

  for (guint i = 0; i < self->models->len; i++)
    {
      const DocketModelPolicy *m = g_ptr_array_index (self->models, i);

      if (g_strcmp0 (m->model, model) == 0)
        return m;
    }
  return self->defaults;
}

#define DEFINE_GETTER(type, name)                                                                  \
  type docket_policy_get_##name (DocketPolicy *self)                                               \
  {                                                                                                \
    g_return_val_if_fail (DOCKET_IS_POLICY (self), (type)0);                                       \
    return self->name;                                                                             \
  }

guint
docket_policy_get_max_clock_drift_ms (DocketPolicy *self)
{
  g_return_val_if_fail (DOCKET_IS_POLICY (self), DOCKET_POLICY_DEFAULT_MAX_DRIFT_MS);
  return self->max_drift_ms;
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

gchar *
docket_policy_dup_station_config_data (DocketPolicy *self)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();

  g_return_val_if_fail (DOCKET_IS_POLICY (self), NULL);

  g_key_file_set_string (file, "station", "preset", self->retention_preset);
  g_key_file_set_uint64 (file, "station", "tag-deadline-hours", self->tag_deadline_hours);
  g_key_file_set_uint64 (file, "station", "idle-sign-out-seconds", self->idle_sign_out_seconds);
  g_key_file_set_uint64 (file, "station", "lockout-failures", self->lockout_failures);
  g_key_file_set_uint64 (file, "station", "lockout-minutes", self->lockout_minutes);
  for (guint i = 0; i < self->categories->len; i++)
    {
      const DocketPolicyCategory *c = g_ptr_array_index (self->categories, i);
      g_autofree gchar *group = g_strconcat ("category:", c->id, NULL);

      g_key_file_set_string (file, group, "label", c->label);
      g_key_file_set_uint64 (file, group, "retention-days", c->retention_days);
      g_key_file_set_boolean (file, group, "restricted", c->restricted);
      g_key_file_set_boolean (file, group, "sergeant-access", c->sergeant_access);
      g_key_file_set_boolean (file, group, "needs-review", c->needs_review);
    }
  return g_key_file_to_data (file, NULL, NULL);
}

GVariant *
docket_policy_to_summary (DocketPolicy *self)
{
  GVariantDict dict;

  g_return_val_if_fail (DOCKET_IS_POLICY (self), NULL);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "version", "x", self->version);
  if (self->description != NULL)
    g_variant_dict_insert (&dict, "description", "s", self->description);
  if (self->signed_by != NULL)
    g_variant_dict_insert (&dict, "signed-by", "s", self->signed_by);
  return g_variant_dict_end (&dict);
}
