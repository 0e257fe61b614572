/* docket-station-config.h — the station's tagging and sign-in rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One small loader for `station.conf` (a GKeyFile in the state dir). Every
 * value has a safe default built in, so a station with no file works: the
 * default category is "Uncategorized" (never "non-evidence").
 *
 * docketd keeps one config for the whole station and updates it in place
 * when a new device policy comes into force (docket_station_config_update(),
 * main thread, then ::changed); the policy's station keys win over this
 * file's (docs/policy.md). Any thread may read it: getters see either the
 * old or the new values, and what they returned stays valid for the
 * object's life.
 *
 *   [station]
 *   preset=minnesota            # new-jersey, illinois, default: retention of the built-in
 * categories case-number-regex=^[0-9]{2}-[0-9]{4,8}$ tag-deadline-hours=72
 *   idle-sign-out-seconds=120
 *   lockout-failures=5
 *   lockout-minutes=15
 *   pin-min-length=4            # shortest PIN accepted at enrolment
 *   ready-charge-percent=80
 *   default-category=uncategorized
 *   audit-sample-percent=5
 *   deletion-grace-hours=72
 *   scheduled-purge=false       # true: docketd purges footage past retention on its own
 *
 *   [category:use-of-force]     # any [category:*] group replaces the built-in list
 *   label=Use of force
 *   retention-days=365
 *   restricted=false            # restricted: only the officer (and sergeants if
 *   sergeant-access=true        #   sergeant-access) may see it
 *   needs-review=true
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOCKET_CATEGORY_UNCATEGORIZED "uncategorized"

typedef struct
{
  gchar *id;
  gchar *label; /* translated for built-in categories */
  /* From label[es]=… keys: language code → label; NULL when there are none. */
  GHashTable *labels;
  guint retention_days;
  gboolean restricted;
  gboolean sergeant_access; /* for restricted categories */
  gboolean needs_review;
} DocketCategory;

#define DOCKET_TYPE_STATION_CONFIG (docket_station_config_get_type ())
G_DECLARE_FINAL_TYPE (DocketStationConfig, docket_station_config, DOCKET, STATION_CONFIG, GObject)

/* Built-in defaults only. */
DocketStationConfig *docket_station_config_new_default (void);
/* Reads @path; a missing file gives the defaults. A malformed one is an
 * error (DOCKET_ERROR_INVALID) saying what is wrong: a half-read policy
 * must not quietly weaken need-to-know. */
DocketStationConfig *docket_station_config_load (const gchar *path, GError **error);
DocketStationConfig *docket_station_config_load_from_data (const gchar *data, GError **error);
/* @base (station.conf text, or NULL) with every key of @overlay (the
 * device policy's station section, docket_policy_dup_station_config_data())
 * put over it; any [category:*] group in @overlay replaces all of @base's. */
DocketStationConfig *
docket_station_config_load_merged (const gchar *base, const gchar *overlay, GError **error);
/* Takes @from's values into @self and emits ::changed. */
void docket_station_config_update (DocketStationConfig *self, DocketStationConfig *from);

/* GPtrArray of DocketCategory (owned by the config), Uncategorized first. */
GPtrArray *docket_station_config_get_categories (DocketStationConfig *self);
const DocketCategory *docket_station_config_find_category (DocketStationConfig *self,
                                                           const gchar *id);
/* IDs of restricted categories sergeants may see / of those needing review. */
GStrv docket_station_config_dup_category_ids (DocketStationConfig *self,
                                              gboolean restricted_sergeant_ok,
                                              gboolean needs_review);

/* The built-in retention presets (data/retention/NAME.json says where the
 * figures come from): the days @preset gives built-in @category_id. FALSE
 * when either is unknown. */
gboolean docket_station_config_get_preset_days (const gchar *preset,
                                                const gchar *category_id,
                                                guint *out_days);
GStrv docket_station_config_dup_builtin_category_ids (void);

const gchar *docket_station_config_get_case_number_regex (DocketStationConfig *self);
/* TRUE if @case_number is empty or matches the configured format. */
gboolean docket_station_config_check_case_number (DocketStationConfig *self,
                                                  const gchar *case_number,
                                                  GError **error);
guint docket_station_config_get_tag_deadline_hours (DocketStationConfig *self);
guint docket_station_config_get_idle_sign_out_seconds (DocketStationConfig *self);
guint docket_station_config_get_lockout_failures (DocketStationConfig *self);
guint docket_station_config_get_lockout_minutes (DocketStationConfig *self);
guint docket_station_config_get_audit_sample_percent (DocketStationConfig *self);
guint docket_station_config_get_deletion_grace_hours (DocketStationConfig *self);
/* Whether docketd's own timer purges footage past retention (default: no,
 * only `docketctl retention run --now` does, so that an upgrade never starts
 * destroying footage before the department decided to). */
gboolean docket_station_config_get_scheduled_purge (DocketStationConfig *self);
guint docket_station_config_get_pin_min_length (DocketStationConfig *self);
guint docket_station_config_get_ready_charge_percent (DocketStationConfig *self);
/* Where untagged footage counts (its retention); always a listed category. */
const gchar *docket_station_config_get_default_category (DocketStationConfig *self);

GVariant *docket_category_to_variant (const DocketCategory *category);

G_END_DECLS
