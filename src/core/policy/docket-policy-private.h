/* docket-policy-private.h — shared by docket-policy*.c only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "docket-policy.h"

G_BEGIN_DECLS

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
  GPtrArray *categories;   /* DocketPolicyCategory */
  GHashTable *station_set; /* keys the station section sets ("pin.min-length") */

  /* Part (b): check-out and batteries */
  guint checkout_min_battery_percent;
  gboolean one_camera_per_officer;
  guint spare_storage_percent; /* 0: not managed */
  guint battery_low_percent;
  guint battery_max_temperature_c;
  guint battery_min_health_percent;
};

void _docket_policy_set_signed_by (DocketPolicy *self, const gchar *key_name);

/* Strict readers (docket-policy-json.c): an absent key leaves *inout as it
 * is; a wrong type or range is DOCKET_ERROR_INVALID naming @where.@key. */
gboolean _docket_policy_json_invalid (GError **error,
                                      const gchar *where,
                                      const gchar *key,
                                      const gchar *what);
gboolean _docket_policy_json_check_members (JsonObject *object,
                                            const gchar *where,
                                            const gchar *const *allowed,
                                            GError **error);
gboolean _docket_policy_json_read_int (JsonObject *object,
                                       const gchar *where,
                                       const gchar *key,
                                       gint64 min,
                                       gint64 max,
                                       gint64 *inout,
                                       GError **error);
gboolean _docket_policy_json_read_uint (JsonObject *object,
                                        const gchar *where,
                                        const gchar *key,
                                        guint min,
                                        guint max,
                                        guint *inout,
                                        GError **error);
gboolean _docket_policy_json_read_managed_int (JsonObject *object,
                                               const gchar *where,
                                               const gchar *key,
                                               gint min,
                                               gint max,
                                               gint *inout,
                                               GError **error);
gboolean _docket_policy_json_read_bool (
    JsonObject *object, const gchar *where, const gchar *key, gint *inout, GError **error);
gboolean _docket_policy_json_read_string (JsonObject *object,
                                          const gchar *where,
                                          const gchar *key,
                                          gsize max_len,
                                          gchar **inout,
                                          GError **error);

/* Sections (docket-policy-cameras.c, docket-policy-station.c). */
gboolean _docket_policy_read_cameras (DocketPolicy *self, JsonNode *node, GError **error);
gboolean _docket_policy_read_station (DocketPolicy *self, JsonNode *node, GError **error);

G_END_DECLS
