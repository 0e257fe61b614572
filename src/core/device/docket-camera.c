/* docket-camera.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "docket-camera.h"
#include "docket-device-enums.h"
#include "docket-message.h"

struct _DocketCamera
{
  GObject parent_instance;

  /* owned */
  DocketCameraDriver *driver;
  gchar *slot;
  gchar *serial;
  gchar *vendor;
  gchar *model;
  gchar *firmware_version;
  guint protocol_version;
  guint8 public_key[DOCKET_ED25519_PUBLIC_KEY_LEN];
  DocketCameraState state;
  gchar *problem;
  gint battery_percent;
  DocketChargingState charging_state;
  gdouble battery_temperature;
  guint64 storage_used;
  guint64 storage_total;
  gint64 clock_drift_ms;
  GVariant *offload;
  gchar *officer;
  /* device policy */
  gchar *policy_state;
  gchar *policy_problem;
  GVariant *policy_details;
  gint64 dock_clock_drift_ms;
  gboolean dock_drift_known;
  /* battery and check-out */
  gboolean ready_for_shift;
  gint ready_in_seconds;
  gint battery_health_percent;
  gchar *charge_note;
  GStrv alerts;
  gchar *holder;
  gboolean pooled;
  gchar *firmware_update; /* firmware update in plain words, "" when none */
  GVariant *messages;     /* a{sv}: the texts above as DocketMessages, for clients */
};

G_DEFINE_FINAL_TYPE (DocketCamera, docket_camera, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_DRIVER,
  PROP_SLOT,
  PROP_SERIAL,
  PROP_VENDOR,
  PROP_MODEL,
  PROP_FIRMWARE_VERSION,
  PROP_PROTOCOL_VERSION,
  PROP_STATE,
  PROP_STATE_NAME,
  PROP_PROBLEM,
  PROP_BATTERY_PERCENT,
  PROP_CHARGING_STATE,
  PROP_CHARGING_STATE_NAME,
  PROP_BATTERY_TEMPERATURE,
  PROP_STORAGE_USED,
  PROP_STORAGE_TOTAL,
  PROP_CLOCK_DRIFT_MS,
  PROP_OFFLOAD,
  PROP_OFFICER,
  PROP_POLICY_STATE,
  PROP_POLICY_PROBLEM,
  PROP_POLICY_DETAILS,
  PROP_DOCK_CLOCK_DRIFT_MS,
  PROP_READY_FOR_SHIFT,
  PROP_READY_IN_SECONDS,
  PROP_BATTERY_HEALTH_PERCENT,
  PROP_CHARGE_NOTE,
  PROP_ALERTS,
  PROP_HOLDER,
  PROP_POOLED,
  PROP_FIRMWARE_UPDATE,
  PROP_MESSAGES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const gchar *
docket_camera_state_to_string (DocketCameraState state)
{
  switch (state)
    {
      case DOCKET_CAMERA_STATE_IDENTIFYING:
        return "identifying";
      case DOCKET_CAMERA_STATE_IDLE:
        return "idle";
      case DOCKET_CAMERA_STATE_OFFLOADING:
        return "offloading";
      case DOCKET_CAMERA_STATE_DONE:
        return "done";
      case DOCKET_CAMERA_STATE_FAULTY:
        return "faulty";
      default:
        return "unknown";
    }
}

static void
docket_camera_dispose (GObject *object)
{
  DocketCamera *self = DOCKET_CAMERA (object);

  g_clear_object (&self->driver);
  G_OBJECT_CLASS (docket_camera_parent_class)->dispose (object);
}

static void
docket_camera_finalize (GObject *object)
{
  DocketCamera *self = DOCKET_CAMERA (object);

  g_free (self->slot);
  g_free (self->serial);
  g_free (self->vendor);
  g_free (self->model);
  g_free (self->firmware_version);
  g_free (self->problem);
  g_clear_pointer (&self->offload, g_variant_unref);
  g_free (self->officer);
  g_free (self->policy_state);
  g_free (self->policy_problem);
  g_clear_pointer (&self->policy_details, g_variant_unref);
  g_free (self->charge_note);
  g_strfreev (self->alerts);
  g_free (self->holder);
  g_free (self->firmware_update);
  g_clear_pointer (&self->messages, g_variant_unref);
  G_OBJECT_CLASS (docket_camera_parent_class)->finalize (object);
}

static void
docket_camera_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketCamera *self = DOCKET_CAMERA (object);

  switch (prop_id)
    {
      case PROP_DRIVER:
        g_value_set_object (value, self->driver);
        break;
      case PROP_SLOT:
        g_value_set_string (value, self->slot);
        break;
      case PROP_SERIAL:
        g_value_set_string (value, self->serial);
        break;
      case PROP_VENDOR:
        g_value_set_string (value, self->vendor);
        break;
      case PROP_MODEL:
        g_value_set_string (value, self->model);
        break;
      case PROP_FIRMWARE_VERSION:
        g_value_set_string (value, self->firmware_version);
        break;
      case PROP_PROTOCOL_VERSION:
        g_value_set_uint (value, self->protocol_version);
        break;
      case PROP_STATE:
        g_value_set_enum (value, self->state);
        break;
      case PROP_STATE_NAME:
        g_value_set_string (value, docket_camera_state_to_string (self->state));
        break;
      case PROP_PROBLEM:
        g_value_set_string (value, self->problem);
        break;
      case PROP_BATTERY_PERCENT:
        g_value_set_int (value, self->battery_percent);
        break;
      case PROP_CHARGING_STATE:
        g_value_set_enum (value, self->charging_state);
        break;
      case PROP_CHARGING_STATE_NAME:
        g_value_set_string (value, docket_charging_state_to_string (self->charging_state));
        break;
      case PROP_BATTERY_TEMPERATURE:
        g_value_set_double (value, self->battery_temperature);
        break;
      case PROP_STORAGE_USED:
        g_value_set_uint64 (value, self->storage_used);
        break;
      case PROP_STORAGE_TOTAL:
        g_value_set_uint64 (value, self->storage_total);
        break;
      case PROP_CLOCK_DRIFT_MS:
        g_value_set_int64 (value, self->clock_drift_ms);
        break;
      case PROP_OFFLOAD:
        g_value_set_variant (value, self->offload);
        break;
      case PROP_OFFICER:
        g_value_set_string (value, self->officer);
        break;
      case PROP_POLICY_STATE:
        g_value_set_string (value, self->policy_state);
        break;
      case PROP_POLICY_PROBLEM:
        g_value_set_string (value, self->policy_problem);
        break;
      case PROP_POLICY_DETAILS:
        g_value_set_variant (value, self->policy_details);
        break;
      case PROP_DOCK_CLOCK_DRIFT_MS:
        g_value_set_int64 (value, self->dock_clock_drift_ms);
        break;
      case PROP_READY_FOR_SHIFT:
        g_value_set_boolean (value, self->ready_for_shift);
        break;
      case PROP_READY_IN_SECONDS:
        g_value_set_int (value, self->ready_in_seconds);
        break;
      case PROP_BATTERY_HEALTH_PERCENT:
        g_value_set_int (value, self->battery_health_percent);
        break;
      case PROP_CHARGE_NOTE:
        g_value_set_string (value, self->charge_note);
        break;
      case PROP_ALERTS:
        g_value_set_boxed (value, self->alerts);
        break;
      case PROP_HOLDER:
        g_value_set_string (value, self->holder);
        break;
      case PROP_POOLED:
        g_value_set_boolean (value, self->pooled);
        break;
      case PROP_FIRMWARE_UPDATE:
        g_value_set_string (value, self->firmware_update);
        break;
      case PROP_MESSAGES:
        g_value_set_variant (value, self->messages);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_camera_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DocketCamera *self = DOCKET_CAMERA (object);

  switch (prop_id)
    {
      case PROP_DRIVER:
        self->driver = g_value_dup_object (value);
        break;
      case PROP_SLOT:
        self->slot = g_value_dup_string (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_camera_class_init (DocketCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = docket_camera_dispose;
  object_class->finalize = docket_camera_finalize;
  object_class->get_property = docket_camera_get_property;
  object_class->set_property = docket_camera_set_property;

  properties[PROP_DRIVER]
      = g_param_spec_object ("driver", NULL, NULL, DOCKET_TYPE_CAMERA_DRIVER,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SLOT] = g_param_spec_string (
      "slot", NULL, NULL, "", G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERIAL] = g_param_spec_string ("serial", NULL, NULL, "", ro);
  properties[PROP_VENDOR] = g_param_spec_string ("vendor", NULL, NULL, "", ro);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, "", ro);
  properties[PROP_FIRMWARE_VERSION] = g_param_spec_string ("firmware-version", NULL, NULL, "", ro);
  properties[PROP_PROTOCOL_VERSION]
      = g_param_spec_uint ("protocol-version", NULL, NULL, 0, G_MAXUINT32, 0, ro);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, DOCKET_TYPE_CAMERA_STATE,
                                              DOCKET_CAMERA_STATE_IDENTIFYING, ro);
  properties[PROP_STATE_NAME] = g_param_spec_string ("state-name", NULL, NULL, "identifying", ro);
  properties[PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, "", ro);
  properties[PROP_BATTERY_PERCENT]
      = g_param_spec_int ("battery-percent", NULL, NULL, -1, 100, -1, ro);
  properties[PROP_CHARGING_STATE] = g_param_spec_enum (
      "charging-state", NULL, NULL, DOCKET_TYPE_CHARGING_STATE, DOCKET_CHARGING_UNKNOWN, ro);
  properties[PROP_CHARGING_STATE_NAME]
      = g_param_spec_string ("charging-state-name", NULL, NULL, "unknown", ro);
  properties[PROP_BATTERY_TEMPERATURE]
      = g_param_spec_double ("battery-temperature", NULL, NULL, -273.15, 1000.0, 0.0, ro);
  properties[PROP_STORAGE_USED]
      = g_param_spec_uint64 ("storage-used", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_STORAGE_TOTAL]
      = g_param_spec_uint64 ("storage-total", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_CLOCK_DRIFT_MS]
      = g_param_spec_int64 ("clock-drift-ms", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_OFFLOAD]
      = g_param_spec_variant ("offload", NULL, NULL, G_VARIANT_TYPE_VARDICT, NULL, ro);
  properties[PROP_OFFICER] = g_param_spec_string ("officer", NULL, NULL, "", ro);
  properties[PROP_POLICY_STATE] = g_param_spec_string ("policy-state", NULL, NULL, "unknown", ro);
  properties[PROP_POLICY_PROBLEM] = g_param_spec_string ("policy-problem", NULL, NULL, "", ro);
  properties[PROP_POLICY_DETAILS]
      = g_param_spec_variant ("policy-details", NULL, NULL, G_VARIANT_TYPE_VARDICT, NULL, ro);
  properties[PROP_DOCK_CLOCK_DRIFT_MS]
      = g_param_spec_int64 ("dock-clock-drift-ms", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_READY_FOR_SHIFT]
      = g_param_spec_boolean ("ready-for-shift", NULL, NULL, FALSE, ro);
  properties[PROP_READY_IN_SECONDS]
      = g_param_spec_int ("ready-in-seconds", NULL, NULL, -1, G_MAXINT, -1, ro);
  properties[PROP_BATTERY_HEALTH_PERCENT]
      = g_param_spec_int ("battery-health-percent", NULL, NULL, -1, 100, -1, ro);
  properties[PROP_CHARGE_NOTE] = g_param_spec_string ("charge-note", NULL, NULL, "", ro);
  properties[PROP_ALERTS] = g_param_spec_boxed ("alerts", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_HOLDER] = g_param_spec_string ("holder", NULL, NULL, "", ro);
  properties[PROP_POOLED] = g_param_spec_boolean ("pooled", NULL, NULL, FALSE, ro);
  properties[PROP_FIRMWARE_UPDATE] = g_param_spec_string ("firmware-update", NULL, NULL, "", ro);
  properties[PROP_MESSAGES]
      = g_param_spec_variant ("messages", NULL, NULL, G_VARIANT_TYPE_VARDICT, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_camera_init (DocketCamera *self)
{
  self->serial = g_strdup ("");
  self->vendor = g_strdup ("");
  self->model = g_strdup ("");
  self->firmware_version = g_strdup ("");
  self->problem = g_strdup ("");
  self->officer = g_strdup ("");
  self->policy_state = g_strdup ("unknown");
  self->policy_problem = g_strdup ("");
  self->policy_details
      = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
  self->battery_percent = -1;
  self->ready_in_seconds = -1;
  self->battery_health_percent = -1;
  self->charge_note = g_strdup ("");
  self->alerts = g_new0 (gchar *, 1);
  self->holder = g_strdup ("");
  self->firmware_update = g_strdup ("");
  self->messages = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
  self->offload = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
}

DocketCamera *
docket_camera_new (DocketCameraDriver *driver, const gchar *slot)
{
  g_return_val_if_fail (driver == NULL || DOCKET_IS_CAMERA_DRIVER (driver), NULL);

  return g_object_new (DOCKET_TYPE_CAMERA, "driver", driver, "slot", slot ? slot : "", NULL);
}

/* Replace a string field and notify only when it really changed. */
static void
update_string (DocketCamera *self, gchar **field, const gchar *value, guint prop)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Replaces (or with a NULL @sunk removes) @key of Messages; notifies only
 * when the dictionary really changed. @sunk: not floating, borrowed. */
static void
update_message (DocketCamera *self, const gchar *key, GVariant *sunk)
{
  g_autoptr (GVariant) old = NULL;
  GVariantDict dict;

  old = g_variant_lookup_value (self->messages, key, NULL);
  if (old == NULL && sunk == NULL)
    return;
  if (old != NULL && sunk != NULL && g_variant_equal (old, sunk))
    return;
  g_variant_dict_init (&dict, self->messages);
  if (sunk != NULL)
    g_variant_dict_insert_value (&dict, key, sunk);
  else
    g_variant_dict_remove (&dict, key);
  g_clear_pointer (&self->messages, g_variant_unref);
  self->messages = g_variant_ref_sink (g_variant_dict_end (&dict));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGES]);
}

/* A text field set from @message (a DocketMessage or NULL, floating refs sunk): its
 * words in this process's language, and the message under @key. */
static void
update_text_message_detail (DocketCamera *self,
                            gchar **field,
                            guint prop,
                            const gchar *key,
                            GVariant *message,
                            const gchar *detail)
{
  g_autoptr (GVariant) sunk = message != NULL ? g_variant_ref_sink (message) : NULL;
  g_autofree gchar *text = docket_message_format (sunk, TRUE);

  /* IT reads the text (docketctl): the error behind the sentence goes
   * with it. The kiosk says the message alone. */
  if (text != NULL && detail != NULL && *detail != '\0')
    {
      gchar *with = g_strdup_printf ("%s (%s)", text, detail);

      g_free (text);
      text = with;
    }
  g_object_freeze_notify (G_OBJECT (self));
  update_string (self, field, text, prop);
  update_message (self, key, sunk);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
update_text_message (
    DocketCamera *self, gchar **field, guint prop, const gchar *key, GVariant *message)
{
  update_text_message_detail (self, field, prop, key, message, NULL);
}

GVariant *
docket_camera_get_messages (DocketCamera *self)
{
  g_return_val_if_fail (DOCKET_IS_CAMERA (self), NULL);
  return self->messages;
}

#define DEFINE_GETTER(type, name, field)                                                           \
  type docket_camera_get_##name (DocketCamera *self)                                               \
  {                                                                                                \
    g_return_val_if_fail (DOCKET_IS_CAMERA (self), (type)0);                                       \
    return self->field;                                                                            \
  }

DEFINE_GETTER (DocketCameraDriver *, driver, driver)
DEFINE_GETTER (const gchar *, slot, slot)
DEFINE_GETTER (const gchar *, serial, serial)
DEFINE_GETTER (const gchar *, vendor, vendor)
DEFINE_GETTER (const gchar *, model, model)
DEFINE_GETTER (const gchar *, firmware_version, firmware_version)
DEFINE_GETTER (guint, protocol_version, protocol_version)
DEFINE_GETTER (const guint8 *, public_key, public_key)
DEFINE_GETTER (DocketCameraState, state, state)
DEFINE_GETTER (const gchar *, problem, problem)
DEFINE_GETTER (gint, battery_percent, battery_percent)
DEFINE_GETTER (DocketChargingState, charging_state, charging_state)
DEFINE_GETTER (gdouble, battery_temperature, battery_temperature)
DEFINE_GETTER (guint64, storage_used, storage_used)
DEFINE_GETTER (guint64, storage_total, storage_total)
DEFINE_GETTER (gint64, clock_drift_ms, clock_drift_ms)
DEFINE_GETTER (GVariant *, offload, offload)
DEFINE_GETTER (const gchar *, officer, officer)
DEFINE_GETTER (const gchar *, policy_state, policy_state)
DEFINE_GETTER (const gchar *, policy_problem, policy_problem)
DEFINE_GETTER (GVariant *, policy_details, policy_details)
DEFINE_GETTER (gint64, dock_clock_drift_ms, dock_clock_drift_ms)

void
docket_camera_apply_identity (DocketCamera *self, const DocketCameraIdentity *identity)
{
  g_return_if_fail (DOCKET_IS_CAMERA (self));
  g_return_if_fail (identity != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  update_string (self, &self->serial, identity->serial, PROP_SERIAL);
  update_string (self, &self->vendor, identity->vendor, PROP_VENDOR);
  update_string (self, &self->model, identity->model, PROP_MODEL);
  update_string (self, &self->firmware_version, identity->firmware_version, PROP_FIRMWARE_VERSION);
  if (self->protocol_version != identity->protocol_version)
    {
      self->protocol_version = identity->protocol_version;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROTOCOL_VERSION]);
    }
  memcpy (self->public_key, identity->public_key, sizeof self->public_key);
  g_object_thaw_notify (G_OBJECT (self));
}

void
docket_camera_apply_status (DocketCamera *self,
                            const DocketCameraStatus *status,
                            gint64 kiosk_clock_usec)
{
  GObject *object = G_OBJECT (self);
  gint64 drift_ms;

  g_return_if_fail (DOCKET_IS_CAMERA (self));
  g_return_if_fail (status != NULL);

  g_object_freeze_notify (object);
  if (self->battery_percent != status->battery_percent)
    {
      self->battery_percent = CLAMP (status->battery_percent, -1, 100);
      g_object_notify_by_pspec (object, properties[PROP_BATTERY_PERCENT]);
    }
  if (self->charging_state != status->charging)
    {
      self->charging_state = status->charging;
      g_object_notify_by_pspec (object, properties[PROP_CHARGING_STATE]);
      g_object_notify_by_pspec (object, properties[PROP_CHARGING_STATE_NAME]);
    }
  if (self->battery_temperature != status->battery_temperature_c)
    {
      self->battery_temperature = status->battery_temperature_c;
      g_object_notify_by_pspec (object, properties[PROP_BATTERY_TEMPERATURE]);
    }
  if (self->storage_used != status->storage_used)
    {
      self->storage_used = status->storage_used;
      g_object_notify_by_pspec (object, properties[PROP_STORAGE_USED]);
    }
  if (self->storage_total != status->storage_total)
    {
      self->storage_total = status->storage_total;
      g_object_notify_by_pspec (object, properties[PROP_STORAGE_TOTAL]);
    }
  drift_ms = (status->camera_clock_usec - kiosk_clock_usec) / 1000;
  if (self->clock_drift_ms != drift_ms)
    {
      self->clock_drift_ms = drift_ms;
      g_object_notify_by_pspec (object, properties[PROP_CLOCK_DRIFT_MS]);
    }
  /* The first reading in this dock is the drift the camera came in with;
   * later polls see the clock after Docket set it. */
  if (!self->dock_drift_known)
    {
      self->dock_drift_known = TRUE;
      self->dock_clock_drift_ms = drift_ms;
      g_object_notify_by_pspec (object, properties[PROP_DOCK_CLOCK_DRIFT_MS]);
    }
  g_object_thaw_notify (object);
}

void
docket_camera_set_state (DocketCamera *self, DocketCameraState state)
{
  g_return_if_fail (DOCKET_IS_CAMERA (self));

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_NAME]);
}

void
docket_camera_set_problem (DocketCamera *self, const gchar *problem)
{
  g_return_if_fail (DOCKET_IS_CAMERA (self));
  g_object_freeze_notify (G_OBJECT (self));
  update_string (self, &self->problem, problem, PROP_PROBLEM);
  update_message (self, "problem", NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

void
docket_camera_set_problem_message (DocketCamera *self, GVariant *message)
{
  g_return_if_fail (DOCKET_IS_CAMERA (self));
  g_return_if_fail (message == NULL || g_variant_is_of_type (message, DOCKET_MESSAGE_TYPE));

  update_text_message (self, &self->problem, PROP_PROBLEM, "problem", message);
}

void
docket_camera_set_faulty (DocketCamera *self, const gchar *problem)
{
  g_return_if_fail (DOCKET_IS_CAMERA (self));

  g_object_freeze_notify (G_OBJECT (self));
  docket_camera_set_problem (self, problem);
  docket_camera_set_state (self, DOCKET_CAMERA_STATE_FAULTY);
  g_object_thaw_notify (G_OBJECT (self));
}

void
docket_camera_set_faulty_message (DocketCamera *self, GVariant *message)
{
  docket_camera_set_faulty_detail (self, message, NULL);
}

void
docket_camera_set_faulty_detail (DocketCamera *self, GVariant *message, const gchar *detail)
{
  g_return_if_fail (DOCKET_IS_CAMERA (self));
  g_return_if_fail (message == NULL || g_variant_is_of_type (message, DOCKET_MESSAGE_TYPE));

  g_object_freeze_notify (G_OBJECT (self));
  update_text_message_detail (self, &self->problem, PROP_PROBLEM, "problem", message, detail);
  docket_camera_set_state (self, DOCKET_CAMERA_STATE_FAULTY);
  g_object_thaw_notify (G_OBJECT (self));
}

void
docket_camera_set_offload (DocketCamera *self, GVariant *offload)
{
  g_autoptr (GVariant) sunk = NULL;

  g_return_if_fail (DOCKET_IS_CAMERA (self));
  g_return_if_fail (offload != NULL);
  g_return_if_fail (g_variant_is_of_type (offload, G_VARIANT_TYPE_VARDICT));

  sunk = g_variant_ref_sink (offload);
  if (self->offload != NULL && g_variant_equal (self->offload, sunk))
    return;
  g_clear_pointer (&self->offload, g_variant_unref);
  self->offload = g_steal_pointer (&sunk);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLOAD]);
}

void
docket_camera_set_officer (DocketCamera *self, const gchar *officer)
{
  g_return_if_fail (DOCKET_IS_CAMERA (self));
  update_string (self, &self->officer, officer, PROP_OFFICER);
}

void
docket_camera_set_policy (DocketCamera *self,
                          const gchar *state,
                          const gchar *problem,
                          GVariant *details)
{
  g_autoptr (GVariant) sunk = NULL;

  g_return_if_fail (DOCKET_IS_CAMERA (self));
  g_return_if_fail (state != NULL);
  g_return_if_fail (details == NULL || g_variant_is_of_type (details, G_VARIANT_TYPE_VARDICT));

  if (details == NULL)
    details = g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0);
  sunk = g_variant_ref_sink (details);
  g_object_freeze_notify (G_OBJECT (self));
  update_string (self, &self->policy_problem, problem, PROP_POLICY_PROBLEM);
  if (!g_variant_equal (self->policy_details, sunk))
    {
      g_clear_pointer (&self->policy_details, g_variant_unref);
      self->policy_details = g_steal_pointer (&sunk);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY_DETAILS]);
    }
  update_string (self, &self->policy_state, state, PROP_POLICY_STATE);
  g_object_thaw_notify (G_OBJECT (self));
}

/* ---- battery and check-out ---------------------------------- */

DEFINE_GETTER (gboolean, ready_for_shift, ready_for_shift)
DEFINE_GETTER (gint, ready_in_seconds, ready_in_seconds)
DEFINE_GETTER (gint, battery_health_percent, battery_health_percent)
DEFINE_GETTER (const gchar *, charge_note, charge_note)
const gchar *const *
docket_camera_get_alerts (DocketCamera *self)
{
  g_return_val_if_fail (DOCKET_IS_CAMERA (self), NULL);
  return (const gchar *const *)self->alerts;
}
DEFINE_GETTER (const gchar *, holder, holder)
DEFINE_GETTER (gboolean, pooled, pooled)

static void
update_int (DocketCamera *self, gint *field, gint value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
docket_camera_set_charge (DocketCamera *self,
                          gboolean ready_for_shift,
                          gint ready_in_seconds,
                          gint battery_health_percent,
                          const gchar *charge_note,
                          const gchar *const *alerts,
                          GVariant *note_message,
                          GVariant *alert_messages)
{
  static const gchar *const none[] = { NULL };
  g_autoptr (GVariant) note_sunk = NULL;
  g_autoptr (GVariant) alerts_sunk = NULL;

  g_return_if_fail (DOCKET_IS_CAMERA (self));
  g_return_if_fail (note_message == NULL
                    || g_variant_is_of_type (note_message, DOCKET_MESSAGE_TYPE));
  g_return_if_fail (alert_messages == NULL
                    || g_variant_is_of_type (alert_messages, DOCKET_MESSAGE_LIST_TYPE));

  g_object_freeze_notify (G_OBJECT (self));
  update_int (self, &self->ready_for_shift, ready_for_shift != FALSE, PROP_READY_FOR_SHIFT);
  update_int (self, &self->ready_in_seconds, ready_in_seconds, PROP_READY_IN_SECONDS);
  update_int (self, &self->battery_health_percent, battery_health_percent,
              PROP_BATTERY_HEALTH_PERCENT);
  update_string (self, &self->charge_note, charge_note, PROP_CHARGE_NOTE);
  if (alerts == NULL)
    alerts = (const gchar *const *)none;
  if (!g_strv_equal ((const gchar *const *)self->alerts, alerts))
    {
      g_strfreev (self->alerts);
      self->alerts = g_strdupv ((gchar **)alerts);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALERTS]);
    }
  if (note_message != NULL)
    note_sunk = g_variant_ref_sink (note_message);
  if (alert_messages != NULL)
    alerts_sunk = g_variant_ref_sink (alert_messages);
  update_message (self, "charge-note", note_sunk);
  update_message (self, "alerts", alerts_sunk);
  g_object_thaw_notify (G_OBJECT (self));
}

void
docket_camera_set_holder (DocketCamera *self, const gchar *holder, gboolean pooled)
{
  g_return_if_fail (DOCKET_IS_CAMERA (self));

  g_object_freeze_notify (G_OBJECT (self));
  update_string (self, &self->holder, holder, PROP_HOLDER);
  update_int (self, &self->pooled, pooled != FALSE, PROP_POOLED);
  g_object_thaw_notify (G_OBJECT (self));
}

const gchar *
docket_camera_get_firmware_update (DocketCamera *self)
{
  g_return_val_if_fail (DOCKET_IS_CAMERA (self), NULL);
  return self->firmware_update;
}

void
docket_camera_set_firmware_update (DocketCamera *self, const gchar *firmware_update)
{
  g_return_if_fail (DOCKET_IS_CAMERA (self));
  g_object_freeze_notify (G_OBJECT (self));
  update_string (self, &self->firmware_update, firmware_update, PROP_FIRMWARE_UPDATE);
  update_message (self, "firmware-update", NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

void
docket_camera_set_firmware_update_message (DocketCamera *self, GVariant *message)
{
  docket_camera_set_firmware_update_detail (self, message, NULL);
}

void
docket_camera_set_firmware_update_detail (DocketCamera *self,
                                          GVariant *message,
                                          const gchar *detail)
{
  g_return_if_fail (DOCKET_IS_CAMERA (self));
  g_return_if_fail (message == NULL || g_variant_is_of_type (message, DOCKET_MESSAGE_TYPE));

  update_text_message_detail (self, &self->firmware_update, PROP_FIRMWARE_UPDATE, "firmware-update",
                              message, detail);
}
