/* docket-policy-json.c — strict readers for the policy document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-policy-private.h"

gboolean
_docket_policy_json_invalid (GError **error,
                             const gchar *where,
                             const gchar *key,
                             const gchar *what)
{
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("Policy key “%s%s%s”: %s"), where,
               *where != '\0' ? "." : "", key, what);
  return FALSE;
}

/* Refuses members not in @allowed. */
gboolean
_docket_policy_json_check_members (JsonObject *object,
                                   const gchar *where,
                                   const gchar *const *allowed,
                                   GError **error)
{
  g_autoptr (GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return _docket_policy_json_invalid (
          error, where, l->data, _ ("unknown setting (misspelt, or meant for a newer Docket?)"));
  return TRUE;
}

gboolean
_docket_policy_json_read_int (JsonObject *object,
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
    return _docket_policy_json_invalid (error, where, key, range);
  value = json_node_get_int (node);
  if (value < min || value > max)
    return _docket_policy_json_invalid (error, where, key, range);
  *inout = value;
  return TRUE;
}

gboolean
_docket_policy_json_read_managed_int (JsonObject *object,
                                      const gchar *where,
                                      const gchar *key,
                                      gint min,
                                      gint max,
                                      gint *inout,
                                      GError **error)
{
  gint64 v = *inout;

  if (!_docket_policy_json_read_int (object, where, key, min, max, &v, error))
    return FALSE;
  *inout = (gint)v;
  return TRUE;
}

/* Every unsigned policy setting fits a gint; guint and gint may alias. */
gboolean
_docket_policy_json_read_uint (JsonObject *object,
                               const gchar *where,
                               const gchar *key,
                               guint min,
                               guint max,
                               guint *inout,
                               GError **error)
{
  g_return_val_if_fail (max <= G_MAXINT, FALSE);
  return _docket_policy_json_read_managed_int (object, where, key, (gint)min, (gint)max,
                                               (gint *)inout, error);
}

gboolean
_docket_policy_json_read_bool (
    JsonObject *object, const gchar *where, const gchar *key, gint *inout, GError **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return _docket_policy_json_invalid (error, where, key, _ ("must be true or false"));
  *inout = json_node_get_boolean (node) ? 1 : 0;
  return TRUE;
}

/* @max_len 0: any length. Returns TRUE with *out untouched when absent. */
gboolean
_docket_policy_json_read_string (JsonObject *object,
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
    return _docket_policy_json_invalid (error, where, key, _ ("must be a text in quotes"));
  value = json_node_get_string (node);
  if (*value == '\0' || (max_len > 0 && strlen (value) > max_len))
    return _docket_policy_json_invalid (error, where, key, _ ("must not be empty or too long"));
  g_free (*inout);
  *inout = g_strdup (value);
  return TRUE;
}
