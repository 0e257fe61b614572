/* docket-policy-cameras.c — the policy's per model camera settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-policy-private.h"

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

static gboolean
read_model (JsonObject *object, const gchar *where, DocketModelPolicy *m, GError **error)
{
  static const gchar *const allowed[]
      = { "resolution",         "frame-rate", "bitrate-kbps",         "pre-event-seconds",
          "post-event-seconds", "audio",      "allow-mute",           "erase-after-offload",
          "minimum-firmware",   "firmware",   "charge-limit-percent", NULL };
  static const gchar *const firmware_allowed[] = { "image", "sha256", NULL };
  JsonNode *firmware;

  if (!_docket_policy_json_check_members (object, where, allowed, error)
      || !_docket_policy_json_read_string (object, where, "resolution", 16, &m->resolution, error)
      || !_docket_policy_json_read_managed_int (object, where, "frame-rate", 1, 120, &m->frame_rate,
                                                error)
      || !_docket_policy_json_read_managed_int (object, where, "bitrate-kbps", 250, 100000,
                                                &m->bitrate_kbps, error)
      || !_docket_policy_json_read_managed_int (object, where, "pre-event-seconds", 0, 120,
                                                &m->pre_event_seconds, error)
      || !_docket_policy_json_read_managed_int (object, where, "post-event-seconds", 0, 600,
                                                &m->post_event_seconds, error)
      || !_docket_policy_json_read_bool (object, where, "audio", &m->audio, error)
      || !_docket_policy_json_read_bool (object, where, "allow-mute", &m->allow_mute, error)
      || !_docket_policy_json_read_bool (object, where, "erase-after-offload",
                                         &m->erase_after_offload, error)
      || !_docket_policy_json_read_string (object, where, "minimum-firmware", 40,
                                           &m->minimum_firmware, error)
      || !_docket_policy_json_read_managed_int (object, where, "charge-limit-percent", 50, 100,
                                                &m->charge_limit_percent, error))
    return FALSE;
  if (m->resolution != NULL && !valid_resolution (m->resolution))
    return _docket_policy_json_invalid (error, where, "resolution",
                                        _ ("must look like 1920x1080 (320x240 up to 7680x4320)"));
  if (m->minimum_firmware != NULL && !valid_dotted_version (m->minimum_firmware))
    return _docket_policy_json_invalid (error, where, "minimum-firmware",
                                        _ ("must be numbers and dots, like 2.4.1"));

  firmware = json_object_get_member (object, "firmware");
  if (firmware != NULL)
    {
      g_autofree gchar *fw_where = g_strconcat (where, ".firmware", NULL);
      JsonObject *fw;

      if (!JSON_NODE_HOLDS_OBJECT (firmware))
        return _docket_policy_json_invalid (error, where, "firmware", _ ("must be an object"));
      fw = json_node_get_object (firmware);
      if (!_docket_policy_json_check_members (fw, fw_where, firmware_allowed, error)
          || !_docket_policy_json_read_string (fw, fw_where, "image", 255, &m->firmware_image,
                                               error)
          || !_docket_policy_json_read_string (fw, fw_where, "sha256", 64, &m->firmware_sha256,
                                               error))
        return FALSE;
      if (m->firmware_image == NULL || m->firmware_sha256 == NULL)
        return _docket_policy_json_invalid (error, where, "firmware",
                                            _ ("needs both “image” and “sha256”"));
      if (strchr (m->firmware_image, '/') != NULL || m->firmware_image[0] == '.')
        return _docket_policy_json_invalid (error, fw_where, "image",
                                            _ ("must be a file name, not a path"));
      if (!valid_sha256_hex (m->firmware_sha256))
        return _docket_policy_json_invalid (error, fw_where, "sha256",
                                            _ ("must be 64 hexadecimal digits"));
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

gboolean
_docket_policy_read_cameras (DocketPolicy *self, JsonNode *node, GError **error)
{
  JsonObject *object;
  JsonNode *defaults;
  g_autoptr (GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _docket_policy_json_invalid (error, "", "cameras",
                                        _ ("must be an object of camera models"));
  object = json_node_get_object (node);
  defaults = json_object_get_member (object, "*");
  if (defaults != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (defaults))
        return _docket_policy_json_invalid (error, "cameras", "*", _ ("must be an object"));
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
        return _docket_policy_json_invalid (error, "cameras", model,
                                            _ ("a model name is 1 to 64 characters"));
      if (!JSON_NODE_HOLDS_OBJECT (entry))
        return _docket_policy_json_invalid (error, "cameras", model, _ ("must be an object"));
      m = model_policy_copy (self->defaults, model);
      g_ptr_array_add (self->models, m);
      if (!read_model (json_node_get_object (entry), where, m, error))
        return FALSE;
    }
  return TRUE;
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
