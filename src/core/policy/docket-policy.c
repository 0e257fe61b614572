/* docket-policy.c — parse and validate the policy document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Strict on purpose: an unknown key is refused rather than ignored, so a
 * typo in IT's document ("bitrate-kpbs") cannot silently leave cameras
 * unmanaged. Signing and the last good policy live in
 * docket-policy-signing.c, the sections in docket-policy-cameras.c and
 * docket-policy-station.c, the strict readers in docket-policy-json.c.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "docket-error.h"
#include "docket-policy-private.h"

G_DEFINE_FINAL_TYPE (DocketPolicy, docket_policy, G_TYPE_OBJECT)

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
  g_clear_pointer (&c->labels, g_hash_table_unref);
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
  g_hash_table_unref (self->station_set);
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
  self->station_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
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
  if (!_docket_policy_json_read_int (object, "", "format", 1, G_MAXINT32, &format, error))
    return FALSE;
  if (format != DOCKET_POLICY_FORMAT)
    return _docket_policy_json_invalid (
        error, "", "format", _ ("this Docket reads policy format 1 only; update Docket first"));
  if (!_docket_policy_json_check_members (object, "", allowed, error)
      || !_docket_policy_json_read_int (object, "", "version", 1, G_MAXINT64, &self->version, error)
      || !_docket_policy_json_read_string (object, "", "description", 1024, &self->description,
                                           error)
      || !_docket_policy_json_read_string (object, "", "issued", 64, &issued, error))
    return FALSE;

  self->defaults = model_policy_new ("*");
  member = json_object_get_member (object, "cameras");
  if (member != NULL && !_docket_policy_read_cameras (self, member, error))
    return FALSE;
  member = json_object_get_member (object, "station");
  if (member != NULL && !_docket_policy_read_station (self, member, error))
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

guint
docket_policy_get_max_clock_drift_ms (DocketPolicy *self)
{
  g_return_val_if_fail (DOCKET_IS_POLICY (self), DOCKET_POLICY_DEFAULT_MAX_DRIFT_MS);
  return self->max_drift_ms;
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
