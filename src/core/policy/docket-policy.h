/* docket-policy.h — IT's signed device policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One JSON document (docs/policy.md, data/policy/example-policy.json) that
 * IT signs with an Ed25519 key and pushes to every kiosk. It holds per
 * camera model the settings Docket enforces on each dock, and the station's
 * rules. A policy is accepted only whole: unsigned, badly signed, malformed,
 * unknown keys or out-of-range values are refused with an error that says
 * which key is wrong, and the last good policy (a verified copy kept in the
 * state dir) stays in force. Immutable once loaded: any thread may read it.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOCKET_POLICY_FORMAT 1
#define DOCKET_POLICY_SECRET_KEY_LEN 64
#define DOCKET_POLICY_PUBLIC_KEY_LEN 32
#define DOCKET_POLICY_SIGNATURE_SUFFIX ".sig"
#define DOCKET_POLICY_DEFAULT_MAX_DRIFT_MS 1000

/* One model's settings. Camera settings that the policy leaves out are
 * "not managed": Docket neither checks nor changes them. */
typedef struct
{
  gchar *model;            /* "*" for the defaults every model starts from */
  gchar *resolution;       /* "WIDTHxHEIGHT" or NULL */
  gint frame_rate;         /* -1 not managed */
  gint bitrate_kbps;       /* -1 not managed */
  gint pre_event_seconds;  /* -1 not managed */
  gint post_event_seconds; /* -1 not managed */
  gint audio;              /* -1 not managed, else 0/1 */
  gint allow_mute;         /* -1 not managed, else 0/1 */
  /* -1 not managed: the offload manager's own default (erase) applies */
  gint erase_after_offload;
  gchar *minimum_firmware; /* dotted version, or NULL */
  /* Part (b), read and range-checked now, applied later. */
  gchar *firmware_image;     /* file name under the policy dir, or NULL */
  gchar *firmware_sha256;    /* lower-case hex, or NULL */
  gint charge_limit_percent; /* -1 not managed */
} DocketModelPolicy;

typedef struct
{
  gchar *id;
  gchar *label;
  /* "labels": language code ("es", "pt_BR") → label in it; may be empty. */
  GHashTable *labels;
  guint retention_days;
  gboolean restricted;
  gboolean sergeant_access;
  gboolean needs_review;
} DocketPolicyCategory;

#define DOCKET_TYPE_POLICY (docket_policy_get_type ())
G_DECLARE_FINAL_TYPE (DocketPolicy, docket_policy, DOCKET, POLICY, GObject)

/* Parses and validates (no signature check). DOCKET_ERROR_INVALID with the
 * offending key on any problem. */
DocketPolicy *docket_policy_new_from_data (const gchar *data, gsize len, GError **error);
DocketPolicy *docket_policy_new_from_file (const gchar *path, GError **error);

/* The exact text that was signed. */
const gchar *docket_policy_get_text (DocketPolicy *self);
gint64 docket_policy_get_version (DocketPolicy *self);
const gchar *docket_policy_get_description (DocketPolicy *self);
/* File name of the trusted key that verified it, or NULL if unverified. */
const gchar *docket_policy_get_signed_by (DocketPolicy *self);

/* Settings for @model (the "*" defaults overlaid with the model's own
 * entry). Never NULL; owned by the policy. */
const DocketModelPolicy *docket_policy_get_model (DocketPolicy *self, const gchar *model);
guint docket_policy_get_max_clock_drift_ms (DocketPolicy *self);

/* Station settings */
guint docket_policy_get_ready_charge_percent (DocketPolicy *self);
guint docket_policy_get_tag_deadline_hours (DocketPolicy *self);
guint docket_policy_get_idle_sign_out_seconds (DocketPolicy *self);
guint docket_policy_get_pin_min_length (DocketPolicy *self);
guint docket_policy_get_lockout_failures (DocketPolicy *self);
guint docket_policy_get_lockout_minutes (DocketPolicy *self);
const gchar *docket_policy_get_retention_preset (DocketPolicy *self);
const gchar *docket_policy_get_default_category (DocketPolicy *self);
/* GPtrArray of DocketPolicyCategory (owned by the policy); may be empty,
 * then the retention preset's built-in categories apply. */
GPtrArray *docket_policy_get_categories (DocketPolicy *self);
/* Check-out and batteries (station.checkout, station.battery-alerts). */
guint docket_policy_get_checkout_min_battery_percent (DocketPolicy *self);
gboolean docket_policy_get_one_camera_per_officer (DocketPolicy *self);
/* Level spare cameras are held at; 0 when the policy does not manage it. */
guint docket_policy_get_spare_storage_percent (DocketPolicy *self);
guint docket_policy_get_battery_low_percent (DocketPolicy *self);
guint docket_policy_get_battery_max_temperature_c (DocketPolicy *self);
guint docket_policy_get_battery_min_health_percent (DocketPolicy *self);
/* The station section as station.conf text for
 * docket_station_config_load_from_data() (keys the policy leaves out keep
 * the station config's defaults). */
gchar *docket_policy_dup_station_config_data (DocketPolicy *self);

/* A summary for D-Bus / docketctl: version, description, signed-by. */
GVariant *docket_policy_to_summary (DocketPolicy *self);

/* ---- signatures ---------------------------------------------------------
 * Keys and signatures are files of one base64 line: the 64-byte libsodium
 * secret key (mode 0600), the 32-byte public key (NAME.pub in the trusted
 * keys folder), the 64-byte detached signature (POLICY.json.sig). */

gboolean
docket_policy_keygen (const gchar *secret_key_path, const gchar *public_key_path, GError **error);
/* Writes @policy_path + ".sig". The policy must parse and validate first:
 * IT should not be able to sign a policy every kiosk will refuse. */
gboolean docket_policy_sign_file (const gchar *policy_path,
                                  const gchar *secret_key_path,
                                  gchar **out_signature_path,
                                  GError **error);
/* Checks @data against @signature_path with every *.pub in @keys_dir.
 * DOCKET_ERROR_INTEGRITY if no trusted key verifies it; sets
 * @out_key_name to the key file's name on success. */
gboolean docket_policy_verify_data (const gchar *data,
                                    gsize len,
                                    const gchar *signature_path,
                                    const gchar *keys_dir,
                                    gchar **out_key_name,
                                    GError **error);
/* Reads @path and @path.sig, verifies, parses and validates. */
DocketPolicy *docket_policy_load_signed (const gchar *path, const gchar *keys_dir, GError **error);

/* ---- the policy in force ------------------------------------------------
 * @state_dir keeps "policy/last-good.policy" (signature line, then the
 * text, replaced atomically together): re-verified on every
 * load, so a file edited on disk is refused like any other. */

/* Loads @incoming (signed; may be NULL or missing) and, if good and not
 * older than the last good policy, saves it as the last good one. On
 * refusal returns the last good policy (or NULL if there is none) and sets
 * @out_refusal to why the new one was refused (or, with no new one, why the
 * kept copy no longer verifies). Returns NULL with @out_refusal unset when
 * there is simply no policy at all. */
DocketPolicy *docket_policy_load_in_force (const gchar *incoming,
                                           const gchar *keys_dir,
                                           const gchar *state_dir,
                                           GError **out_refusal);

/* Compares dotted versions numerically ("1.10.0" > "1.9.3"). */
gint docket_policy_compare_versions (const gchar *a, const gchar *b);

G_END_DECLS
