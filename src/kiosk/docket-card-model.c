/* docket-card-model.c — what a camera card says, computed from a camera proxy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every property change of the proxy recomputes the whole card (a dozen
 * short strings) and notifies only what actually changed, so labels do not
 * flicker or re-announce themselves to screen readers.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-card-charge.h"
#include "docket-card-model.h"
#include "docket-card-transfer.h"
#include "docket-card-wording.h"

struct _DocketCardModel
{
  GObject parent_instance;

  DocketDBusCamera *camera; /* owned */
  gulong notify_id;
  DocketNameBook *names; /* owned */
  gulong names_id;

  DocketCardTone tone;
  gboolean progress_visible;
  gdouble progress_fraction;
  gchar *strings[32]; /* indexed by PROP_* of the string properties */
  GStrv alerts;       /* never NULL */
};

G_DEFINE_FINAL_TYPE (DocketCardModel, docket_card_model, G_TYPE_OBJECT)

enum
{
  PROP_0,
  /* string properties first: they index self->strings */
  PROP_TITLE,
  PROP_SERIAL_TEXT,
  PROP_SLOT_TEXT,
  PROP_OFFICER_TEXT,
  PROP_STATE_TEXT,
  PROP_STATE_ICON,
  PROP_STATE_STYLE,
  PROP_BATTERY_TEXT,
  PROP_BATTERY_ICON,
  PROP_FILES_TEXT,
  PROP_TRANSFER_TEXT,
  PROP_VERIFICATION_TEXT,
  PROP_VERIFICATION_ICON,
  PROP_PROBLEM_TEXT,
  PROP_DEVICE_TEXT,
  PROP_POLICY_TEXT,
  PROP_POLICY_ICON,
  PROP_READY_TEXT,
  PROP_READY_ICON,
  PROP_CHARGE_NOTE,
  PROP_HEALTH_TEXT,
  PROP_HEALTH_ICON,
  PROP_FIRMWARE_TEXT,
  PROP_ACCESSIBLE_SUMMARY,
  LAST_STRING_PROP = PROP_ACCESSIBLE_SUMMARY,
  PROP_CAMERA,
  PROP_PROGRESS_VISIBLE,
  PROP_PROGRESS_FRACTION,
  PROP_VERIFICATION_VISIBLE,
  PROP_PROBLEM_VISIBLE,
  PROP_POLICY_VISIBLE,
  PROP_READY_VISIBLE,
  PROP_CHARGE_NOTE_VISIBLE,
  PROP_HEALTH_VISIBLE,
  PROP_FIRMWARE_VISIBLE,
  PROP_ALERTS,
  PROP_NAME_BOOK,
  N_PROPS
};

G_STATIC_ASSERT (LAST_STRING_PROP < 32);

static GParamSpec *properties[N_PROPS];

const gchar *
docket_card_tone_to_style_class (DocketCardTone tone)
{
  switch (tone)
    {
      case DOCKET_CARD_TONE_BUSY:
        return "accent";
      case DOCKET_CARD_TONE_GOOD:
        return "success";
      case DOCKET_CARD_TONE_WARNING:
        return "warning";
      case DOCKET_CARD_TONE_ERROR:
        return "error";
      case DOCKET_CARD_TONE_NEUTRAL:
      default:
        return "neutral";
    }
}

static void
take_string (DocketCardModel *self, guint prop_id, gchar *value)
{
  g_assert (prop_id > PROP_0 && prop_id <= LAST_STRING_PROP);

  if (value == NULL)
    value = g_strdup ("");
  /* Every line on a card, the daemon's too: "61 %" never wraps apart. */
  value = docket_text_bind_units (value);
  if (g_strcmp0 (self->strings[prop_id], value) == 0)
    {
      g_free (value);
      return;
    }
  g_free (self->strings[prop_id]);
  self->strings[prop_id] = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_string (DocketCardModel *self, guint prop_id, const gchar *value)
{
  take_string (self, prop_id, g_strdup (value));
}

static gboolean
is_empty (const gchar *s)
{
  return s == NULL || *s == '\0';
}

static void
update_state (DocketCardModel *self, const gchar *state, const DocketCardOffload *o)
{
  const gchar *text;
  const gchar *icon;
  DocketCardTone tone;

  text = docket_card_state_text (state, o->quarantined, &icon, &tone);
  set_string (self, PROP_STATE_TEXT, text);
  set_string (self, PROP_STATE_ICON, icon);
  self->tone = tone;
  set_string (self, PROP_STATE_STYLE, docket_card_tone_to_style_class (tone));
}

static void
update_battery (DocketCardModel *self, gint percent, const gchar *charging, gdouble celsius)
{
  gchar *icon = NULL;
  gchar *text = docket_card_format_battery (percent, charging, celsius, &icon);

  take_string (self, PROP_BATTERY_TEXT, text);
  take_string (self, PROP_BATTERY_ICON, icon);
}

static void
set_visible_string (DocketCardModel *self, guint prop_id, guint visible_prop_id, gchar *value)
{
  gboolean was_visible = !is_empty (self->strings[prop_id]);

  take_string (self, prop_id, value);
  if (was_visible != !is_empty (self->strings[prop_id]))
    g_object_notify_by_pspec (G_OBJECT (self), properties[visible_prop_id]);
}

/* ReadyForShift/ReadyInSeconds, ChargeNote, BatteryHealthPercent, Alerts. */
static void
update_charge (DocketCardModel *self, DocketDBusCamera *c)
{
  const gchar *icon = NULL;
  gint percent = c != NULL ? docket_dbus_camera_get_battery_percent (c) : -1;
  const gchar *const *alerts = c != NULL ? docket_dbus_camera_get_alerts (c) : NULL;
  static const gchar *const no_alerts[] = { NULL };
  g_auto (GStrv) bound = NULL;
  gchar *text;

  text = docket_card_format_ready (percent, c != NULL && docket_dbus_camera_get_ready_for_shift (c),
                                   c != NULL ? docket_dbus_camera_get_ready_in_seconds (c) : -1,
                                   &icon);
  set_visible_string (self, PROP_READY_TEXT, PROP_READY_VISIBLE, text);
  set_string (self, PROP_READY_ICON, icon);

  set_visible_string (
      self, PROP_CHARGE_NOTE, PROP_CHARGE_NOTE_VISIBLE,
      docket_card_daemon_text (c, "charge-note",
                               c != NULL ? docket_dbus_camera_get_charge_note (c) : NULL));

  text = docket_card_format_health (
      c != NULL ? docket_dbus_camera_get_battery_health_percent (c) : -1, &icon);
  set_visible_string (self, PROP_HEALTH_TEXT, PROP_HEALTH_VISIBLE, text);
  set_string (self, PROP_HEALTH_ICON, icon);

  /* The daemon words it ("Updating firmware to 2.1.0: 42 %", why it waits). */
  set_visible_string (
      self, PROP_FIRMWARE_TEXT, PROP_FIRMWARE_VISIBLE,
      docket_card_daemon_text (c, "firmware-update",
                               c != NULL ? docket_dbus_camera_get_firmware_update (c) : NULL));

  if (alerts == NULL)
    alerts = no_alerts;
  bound = docket_card_daemon_texts (c, "alerts", alerts);
  for (guint i = 0; bound[i] != NULL; i++)
    bound[i] = docket_text_bind_units (bound[i]);
  if (!g_strv_equal ((const gchar *const *)bound, (const gchar *const *)self->alerts))
    {
      g_strfreev (self->alerts);
      self->alerts = g_steal_pointer (&bound);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALERTS]);
    }
}

static void
update_progress (DocketCardModel *self, const gchar *state, const DocketCardOffload *o)
{
  gboolean visible = o->files_total > 0 || o->bytes_total > 0;
  gdouble fraction = docket_card_offload_fraction (o);

  if (visible != self->progress_visible)
    {
      self->progress_visible = visible;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_VISIBLE]);
    }
  if (fraction != self->progress_fraction)
    {
      self->progress_fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_FRACTION]);
    }
  take_string (self, PROP_FILES_TEXT, docket_card_format_files (state, o));
  take_string (self, PROP_TRANSFER_TEXT, docket_card_format_transfer (state, o));
}

static void
update_verification (DocketCardModel *self,
                     const gchar *state,
                     const DocketCardOffload *o,
                     gboolean failure_told)
{
  const gchar *icon = NULL;

  set_visible_string (self, PROP_VERIFICATION_TEXT, PROP_VERIFICATION_VISIBLE,
                      docket_card_format_verification (state, o, failure_told, &icon));
  if (icon != NULL)
    set_string (self, PROP_VERIFICATION_ICON, icon);
}

/* PolicyState and PolicyDetails.problem: what the dock did to the camera's
 * settings, in words for the officer and for IT. */
static void
update_policy (DocketCardModel *self, DocketDBusCamera *camera)
{
  const gchar *state = camera != NULL ? docket_dbus_camera_get_policy_state (camera) : NULL;
  g_autofree gchar *problem = docket_card_policy_problem (
      camera != NULL ? docket_dbus_camera_get_policy_details (camera) : NULL);
  const gchar *text;
  const gchar *icon;
  gboolean was_visible = !is_empty (self->strings[PROP_POLICY_TEXT]);

  text = docket_card_policy_text (state, problem, &icon);

  take_string (self, PROP_POLICY_TEXT, docket_card_sentence (text));
  set_string (self, PROP_POLICY_ICON, icon);
  if (was_visible != !is_empty (self->strings[PROP_POLICY_TEXT]))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY_VISIBLE]);
}

static void
update_summary (DocketCardModel *self)
{
  GString *s = g_string_new (NULL);
  g_autoptr (GPtrArray) parts = g_ptr_array_new ();
  /* Visual reading order of the card. */
  const guint order[] = {
    PROP_OFFICER_TEXT,  PROP_STATE_TEXT,        PROP_FILES_TEXT,  PROP_TRANSFER_TEXT,
    PROP_BATTERY_TEXT,  PROP_READY_TEXT,        PROP_CHARGE_NOTE, PROP_HEALTH_TEXT,
    0 /* the alerts */, PROP_VERIFICATION_TEXT, PROP_POLICY_TEXT, PROP_FIRMWARE_TEXT,
    PROP_PROBLEM_TEXT,  PROP_DEVICE_TEXT,
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      if (order[i] != 0)
        g_ptr_array_add (parts, self->strings[order[i]]);
      for (guint j = 0; order[i] == 0 && self->alerts[j] != NULL; j++)
        g_ptr_array_add (parts, self->alerts[j]);
    }

  g_string_append (s, self->strings[PROP_SLOT_TEXT]);
  for (guint i = 0; i < parts->len; i++)
    {
      const gchar *part = g_ptr_array_index (parts, i);

      if (is_empty (part))
        continue;
      /* The daemon's problem text is a sentence already: no "..". */
      if (s->len > 0 && strchr (".!?", s->str[s->len - 1]) != NULL)
        g_string_append_c (s, ' ');
      else
        g_string_append (s, ". ");
      g_string_append (s, part);
    }
  take_string (self, PROP_ACCESSIBLE_SUMMARY, g_string_free (s, FALSE));
}

static void
update (DocketCardModel *self)
{
  DocketDBusCamera *c = self->camera;
  const gchar *state = c != NULL ? docket_dbus_camera_get_state (c) : NULL;
  g_autofree gchar *problem = docket_card_daemon_text (
      c, "problem", c != NULL ? docket_dbus_camera_get_problem (c) : NULL);
  const gchar *vendor = c != NULL ? docket_dbus_camera_get_vendor (c) : NULL;
  const gchar *model = c != NULL ? docket_dbus_camera_get_model (c) : NULL;
  const gchar *serial = c != NULL ? docket_dbus_camera_get_serial (c) : NULL;
  const gchar *slot = c != NULL ? docket_dbus_camera_get_slot (c) : NULL;
  const gchar *officer = c != NULL ? docket_dbus_camera_get_officer (c) : NULL;
  const gchar *holder = c != NULL ? docket_dbus_camera_get_holder (c) : NULL;
  gboolean problem_visible;
  DocketCardOffload o;
  gboolean was_problem_visible = !is_empty (self->strings[PROP_PROBLEM_TEXT]);

  g_object_freeze_notify (G_OBJECT (self));

  docket_card_offload_read (c, &o);

  if (!is_empty (vendor) && !is_empty (model))
    take_string (self, PROP_TITLE, g_strdup_printf ("%s %s", vendor, model));
  else if (!is_empty (model))
    set_string (self, PROP_TITLE, model);
  else
    set_string (self, PROP_TITLE, _ ("Body camera"));

  if (!is_empty (serial))
    /* TRANSLATORS: the camera's serial number */
    take_string (self, PROP_SERIAL_TEXT, g_strdup_printf (_ ("Serial %s"), serial));
  else
    set_string (self, PROP_SERIAL_TEXT, _ ("Serial not read yet"));

  /* TRANSLATORS: camera make and model, then its serial number */
  take_string (
      self, PROP_DEVICE_TEXT,
      g_strdup_printf (_ ("%s · %s"), self->strings[PROP_TITLE], self->strings[PROP_SERIAL_TEXT]));

  if (!is_empty (slot))
    /* TRANSLATORS: the dock slot (USB port) the camera sits in */
    take_string (self, PROP_SLOT_TEXT, g_strdup_printf (_ ("Slot %s"), slot));
  else
    set_string (self, PROP_SLOT_TEXT, _ ("Slot unknown"));

  take_string (self, PROP_OFFICER_TEXT,
               docket_card_format_holder (
                   self->names, c != NULL && docket_dbus_camera_get_pooled (c), holder, officer,
                   c != NULL && docket_dbus_camera_get_ready_for_shift (c),
                   c != NULL ? docket_dbus_camera_get_ready_in_seconds (c) : -1));

  update_state (self, state, &o);
  update_battery (self, c != NULL ? docket_dbus_camera_get_battery_percent (c) : -1,
                  c != NULL ? docket_dbus_camera_get_charging_state (c) : NULL,
                  c != NULL ? docket_dbus_camera_get_battery_temperature (c) : 0.0);
  update_charge (self, c);
  update_progress (self, state, &o);
  update_verification (self, state, &o, !is_empty (problem));
  update_policy (self, c);

  if (!is_empty (problem))
    take_string (self, PROP_PROBLEM_TEXT, docket_card_sentence (problem));
  else if (g_strcmp0 (state, "faulty") == 0)
    set_string (self, PROP_PROBLEM_TEXT,
                _ ("The camera reported a fault. Leave it in the dock and tell IT."));
  else
    set_string (self, PROP_PROBLEM_TEXT, NULL);
  problem_visible = !is_empty (self->strings[PROP_PROBLEM_TEXT]);
  if (problem_visible != was_problem_visible)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM_VISIBLE]);

  update_summary (self);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
camera_notify_cb (GObject *camera, GParamSpec *pspec, DocketCardModel *self)
{
  update (self);
}

void
docket_card_model_set_camera (DocketCardModel *self, DocketDBusCamera *camera)
{
  g_return_if_fail (DOCKET_IS_CARD_MODEL (self));
  g_return_if_fail (camera == NULL || DOCKET_DBUS_IS_CAMERA (camera));

  if (self->camera == camera)
    return;
  if (self->camera != NULL)
    g_clear_signal_handler (&self->notify_id, self->camera);
  g_set_object (&self->camera, camera);
  if (camera != NULL)
    self->notify_id = g_signal_connect (camera, "notify", G_CALLBACK (camera_notify_cb), self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA]);
}

static void
names_changed_cb (DocketNameBook *names, const gchar *badge, DocketCardModel *self)
{
  update (self);
}

/* Where holder names come from; the default book unless a test sets its own. */
void
docket_card_model_set_name_book (DocketCardModel *self, DocketNameBook *names)
{
  g_return_if_fail (DOCKET_IS_CARD_MODEL (self));
  g_return_if_fail (names == NULL || DOCKET_IS_NAME_BOOK (names));

  if (self->names == names)
    return;
  if (self->names != NULL)
    g_clear_signal_handler (&self->names_id, self->names);
  g_set_object (&self->names, names);
  if (names != NULL)
    self->names_id = g_signal_connect (names, "changed", G_CALLBACK (names_changed_cb), self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME_BOOK]);
}

static void
docket_card_model_dispose (GObject *object)
{
  DocketCardModel *self = DOCKET_CARD_MODEL (object);

  if (self->camera != NULL)
    g_clear_signal_handler (&self->notify_id, self->camera);
  g_clear_object (&self->camera);
  if (self->names != NULL)
    g_clear_signal_handler (&self->names_id, self->names);
  g_clear_object (&self->names);

  G_OBJECT_CLASS (docket_card_model_parent_class)->dispose (object);
}

static void
docket_card_model_finalize (GObject *object)
{
  DocketCardModel *self = DOCKET_CARD_MODEL (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->strings); i++)
    g_free (self->strings[i]);
  g_strfreev (self->alerts);

  G_OBJECT_CLASS (docket_card_model_parent_class)->finalize (object);
}

static void
docket_card_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketCardModel *self = DOCKET_CARD_MODEL (object);

  if (prop_id > PROP_0 && prop_id <= LAST_STRING_PROP)
    {
      g_value_set_string (value, self->strings[prop_id]);
      return;
    }
  switch (prop_id)
    {
      case PROP_CAMERA:
        g_value_set_object (value, self->camera);
        break;
      case PROP_PROGRESS_VISIBLE:
        g_value_set_boolean (value, self->progress_visible);
        break;
      case PROP_PROGRESS_FRACTION:
        g_value_set_double (value, self->progress_fraction);
        break;
      case PROP_VERIFICATION_VISIBLE:
        g_value_set_boolean (value, !is_empty (self->strings[PROP_VERIFICATION_TEXT]));
        break;
      case PROP_PROBLEM_VISIBLE:
        g_value_set_boolean (value, docket_card_model_get_problem_visible (self));
        break;
      case PROP_POLICY_VISIBLE:
        g_value_set_boolean (value, !is_empty (self->strings[PROP_POLICY_TEXT]));
        break;
      case PROP_READY_VISIBLE:
        g_value_set_boolean (value, !is_empty (self->strings[PROP_READY_TEXT]));
        break;
      case PROP_CHARGE_NOTE_VISIBLE:
        g_value_set_boolean (value, !is_empty (self->strings[PROP_CHARGE_NOTE]));
        break;
      case PROP_HEALTH_VISIBLE:
        g_value_set_boolean (value, !is_empty (self->strings[PROP_HEALTH_TEXT]));
        break;
      case PROP_FIRMWARE_VISIBLE:
        g_value_set_boolean (value, !is_empty (self->strings[PROP_FIRMWARE_TEXT]));
        break;
      case PROP_ALERTS:
        g_value_set_boxed (value, self->alerts);
        break;
      case PROP_NAME_BOOK:
        g_value_set_object (value, self->names);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_card_model_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  DocketCardModel *self = DOCKET_CARD_MODEL (object);

  switch (prop_id)
    {
      case PROP_CAMERA:
        docket_card_model_set_camera (self, g_value_get_object (value));
        break;
      case PROP_NAME_BOOK:
        docket_card_model_set_name_book (self, g_value_get_object (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_card_model_class_init (DocketCardModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  static const gchar *const string_names[] = {
    NULL,          "title",         "serial-text",       "slot-text",         "officer-text",
    "state-text",  "state-icon",    "state-style",       "battery-text",      "battery-icon",
    "files-text",  "transfer-text", "verification-text", "verification-icon", "problem-text",
    "device-text", "policy-text",   "policy-icon",       "ready-text",        "ready-icon",
    "charge-note", "health-text",   "health-icon",       "firmware-text",     "accessible-summary",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (string_names) == LAST_STRING_PROP + 1);

  object_class->dispose = docket_card_model_dispose;
  object_class->finalize = docket_card_model_finalize;
  object_class->get_property = docket_card_model_get_property;
  object_class->set_property = docket_card_model_set_property;

  for (guint i = PROP_0 + 1; i <= LAST_STRING_PROP; i++)
    properties[i] = g_param_spec_string (string_names[i], NULL, NULL, "", ro);
  properties[PROP_CAMERA]
      = g_param_spec_object ("camera", NULL, NULL, DOCKET_DBUS_TYPE_CAMERA,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS_VISIBLE]
      = g_param_spec_boolean ("progress-visible", NULL, NULL, FALSE, ro);
  properties[PROP_PROGRESS_FRACTION]
      = g_param_spec_double ("progress-fraction", NULL, NULL, 0.0, 1.0, 0.0, ro);
  properties[PROP_VERIFICATION_VISIBLE]
      = g_param_spec_boolean ("verification-visible", NULL, NULL, FALSE, ro);
  properties[PROP_PROBLEM_VISIBLE]
      = g_param_spec_boolean ("problem-visible", NULL, NULL, FALSE, ro);
  properties[PROP_POLICY_VISIBLE] = g_param_spec_boolean ("policy-visible", NULL, NULL, FALSE, ro);
  properties[PROP_READY_VISIBLE] = g_param_spec_boolean ("ready-visible", NULL, NULL, FALSE, ro);
  properties[PROP_CHARGE_NOTE_VISIBLE]
      = g_param_spec_boolean ("charge-note-visible", NULL, NULL, FALSE, ro);
  properties[PROP_HEALTH_VISIBLE] = g_param_spec_boolean ("health-visible", NULL, NULL, FALSE, ro);
  properties[PROP_FIRMWARE_VISIBLE]
      = g_param_spec_boolean ("firmware-visible", NULL, NULL, FALSE, ro);
  properties[PROP_ALERTS] = g_param_spec_boxed ("alerts", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_NAME_BOOK]
      = g_param_spec_object ("name-book", NULL, NULL, DOCKET_TYPE_NAME_BOOK,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_card_model_init (DocketCardModel *self)
{
  for (guint i = PROP_0 + 1; i <= LAST_STRING_PROP; i++)
    self->strings[i] = g_strdup ("");
  self->alerts = g_new0 (gchar *, 1);
  docket_card_model_set_name_book (self, docket_name_book_get_default ());
  update (self);
}

DocketCardModel *
docket_card_model_new (DocketDBusCamera *camera)
{
  return g_object_new (DOCKET_TYPE_CARD_MODEL, "camera", camera, NULL);
}

DocketDBusCamera *
docket_card_model_get_camera (DocketCardModel *self)
{
  g_return_val_if_fail (DOCKET_IS_CARD_MODEL (self), NULL);
  return self->camera;
}

#define STRING_GETTER(name, PROP)                                                                  \
  const gchar *docket_card_model_get_##name (DocketCardModel *self)                                \
  {                                                                                                \
    g_return_val_if_fail (DOCKET_IS_CARD_MODEL (self), NULL);                                      \
    return self->strings[PROP];                                                                    \
  }

STRING_GETTER (title, PROP_TITLE)
STRING_GETTER (slot_text, PROP_SLOT_TEXT)
STRING_GETTER (officer_text, PROP_OFFICER_TEXT)
STRING_GETTER (state_text, PROP_STATE_TEXT)
STRING_GETTER (state_icon, PROP_STATE_ICON)
STRING_GETTER (battery_text, PROP_BATTERY_TEXT)
STRING_GETTER (battery_icon, PROP_BATTERY_ICON)
STRING_GETTER (files_text, PROP_FILES_TEXT)
STRING_GETTER (transfer_text, PROP_TRANSFER_TEXT)
STRING_GETTER (verification_text, PROP_VERIFICATION_TEXT)
STRING_GETTER (verification_icon, PROP_VERIFICATION_ICON)
STRING_GETTER (problem_text, PROP_PROBLEM_TEXT)
STRING_GETTER (device_text, PROP_DEVICE_TEXT)
STRING_GETTER (policy_text, PROP_POLICY_TEXT)
STRING_GETTER (policy_icon, PROP_POLICY_ICON)
STRING_GETTER (accessible_summary, PROP_ACCESSIBLE_SUMMARY)
STRING_GETTER (ready_text, PROP_READY_TEXT)
STRING_GETTER (ready_icon, PROP_READY_ICON)
STRING_GETTER (charge_note, PROP_CHARGE_NOTE)
STRING_GETTER (health_text, PROP_HEALTH_TEXT)
STRING_GETTER (health_icon, PROP_HEALTH_ICON)
STRING_GETTER (firmware_text, PROP_FIRMWARE_TEXT)

const gchar *const *
docket_card_model_get_alerts (DocketCardModel *self)
{
  g_return_val_if_fail (DOCKET_IS_CARD_MODEL (self), NULL);
  return (const gchar *const *)self->alerts;
}

DocketCardTone
docket_card_model_get_state_tone (DocketCardModel *self)
{
  g_return_val_if_fail (DOCKET_IS_CARD_MODEL (self), DOCKET_CARD_TONE_NEUTRAL);
  return self->tone;
}

gboolean
docket_card_model_get_progress_visible (DocketCardModel *self)
{
  g_return_val_if_fail (DOCKET_IS_CARD_MODEL (self), FALSE);
  return self->progress_visible;
}

gdouble
docket_card_model_get_progress_fraction (DocketCardModel *self)
{
  g_return_val_if_fail (DOCKET_IS_CARD_MODEL (self), 0.0);
  return self->progress_fraction;
}

gboolean
docket_card_model_get_problem_visible (DocketCardModel *self)
{
  g_return_val_if_fail (DOCKET_IS_CARD_MODEL (self), FALSE);
  return !is_empty (self->strings[PROP_PROBLEM_TEXT]);
}
