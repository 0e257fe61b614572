/* docket-incident.c — one incident to tag: recordings that started together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An immutable item of the tagging list, built from what Session.ListIncidents
 * returns. The daemon does the grouping; the kiosk only words it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-incident.h"

struct _DocketIncident
{
  GObject parent_instance;

  gint64 start_usec;
  gint64 end_usec;
  GArray *ids;           /* to tag: without those waiting for a deletion decision */
  GPtrArray *recordings; /* GVariant a{sv}, all of them */
  guint n_waiting;
  gint64 thumbnail_id;
  guint64 duration_ms;
  gchar *title;
  gchar *subtitle;
};

G_DEFINE_FINAL_TYPE (DocketIncident, docket_incident, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_N_RECORDINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gchar *
docket_format_time (gint64 usec)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  if (time == NULL)
    return g_strdup ("—");
  if (g_date_time_get_year (time) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    /* TRANSLATORS: a time today, see g_date_time_format() */
    return g_date_time_format (time, _ ("Today, %H:%M"));
  /* TRANSLATORS: a date and time, see g_date_time_format() */
  return g_date_time_format (time, _ ("%a %-d %b, %H:%M"));
}

gchar *
docket_format_duration (guint64 duration_ms)
{
  guint64 seconds = (duration_ms + 500) / 1000;

  if (seconds < 60)
    /* TRANSLATORS: a recording's length in seconds */
    return g_strdup_printf (_ ("%u s"), (guint)seconds);
  if (seconds < 3600)
    /* TRANSLATORS: a recording's length, minutes and seconds */
    return g_strdup_printf (_ ("%u min %u s"), (guint)(seconds / 60), (guint)(seconds % 60));
  /* TRANSLATORS: a recording's length, hours and minutes */
  return g_strdup_printf (_ ("%u h %u min"), (guint)(seconds / 3600), (guint)(seconds / 60 % 60));
}

static void
docket_incident_finalize (GObject *object)
{
  DocketIncident *self = DOCKET_INCIDENT (object);

  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->recordings, g_ptr_array_unref);
  g_free (self->title);
  g_free (self->subtitle);

  G_OBJECT_CLASS (docket_incident_parent_class)->finalize (object);
}

static void
docket_incident_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketIncident *self = DOCKET_INCIDENT (object);

  switch (prop_id)
    {
      case PROP_TITLE:
        g_value_set_string (value, self->title);
        break;
      case PROP_SUBTITLE:
        g_value_set_string (value, self->subtitle);
        break;
      case PROP_N_RECORDINGS:
        g_value_set_uint (value, self->recordings->len);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_incident_class_init (DocketIncidentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = docket_incident_finalize;
  object_class->get_property = docket_incident_get_property;

  properties[PROP_TITLE]
      = g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBTITLE] = g_param_spec_string ("subtitle", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_RECORDINGS] = g_param_spec_uint ("n-recordings", NULL, NULL, 0, G_MAXUINT, 0,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_incident_init (DocketIncident *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->recordings = g_ptr_array_new_with_free_func ((GDestroyNotify)g_variant_unref);
}

DocketIncident *
docket_incident_new_from_variant (GVariant *dict)
{
  g_autoptr (DocketIncident) self = NULL;
  g_autoptr (GVariant) recordings = NULL;
  g_autofree gchar *start = NULL;
  g_autofree gchar *duration = NULL;
  GVariantIter iter;
  GVariant *recording;

  g_return_val_if_fail (g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT), NULL);

  self = g_object_new (DOCKET_TYPE_INCIDENT, NULL);
  g_variant_lookup (dict, "start-usec", "x", &self->start_usec);
  g_variant_lookup (dict, "end-usec", "x", &self->end_usec);
  recordings = g_variant_lookup_value (dict, "recordings", G_VARIANT_TYPE ("aa{sv}"));
  if (recordings == NULL)
    return NULL;
  g_variant_iter_init (&iter, recordings);
  while ((recording = g_variant_iter_next_value (&iter)) != NULL)
    {
      gint64 id = 0;
      guint64 duration_ms = 0;
      const gchar *thumbnail = NULL;

      if (!g_variant_lookup (recording, "id", "x", &id) || id <= 0)
        {
          g_variant_unref (recording);
          continue;
        }
      g_variant_lookup (recording, "duration-ms", "t", &duration_ms);
      if (self->thumbnail_id == 0 && g_variant_lookup (recording, "thumbnail", "&s", &thumbnail)
          && *thumbnail != '\0')
        self->thumbnail_id = id;
      self->duration_ms += duration_ms;
      /* The daemon still lists it as to tag until a sergeant approves; the
       * officer has nothing to do with it while they wait. */
      if (docket_recording_is_deletion_requested (recording))
        self->n_waiting++;
      else
        g_array_append_val (self->ids, id);
      g_ptr_array_add (self->recordings, recording);
    }
  if (self->recordings->len == 0)
    return NULL;

  start = docket_format_time (self->start_usec);
  duration = docket_format_duration (self->duration_ms);
  self->title = g_steal_pointer (&start);
  self->subtitle = g_strdup_printf (
      /* TRANSLATORS: "3 recordings · 4 min 12 s" */
      g_dngettext (GETTEXT_PACKAGE, "%u recording · %s", "%u recordings · %s",
                   self->recordings->len),
      self->recordings->len, duration);
  if (self->n_waiting > 0)
    {
      g_autofree gchar *subtitle = g_steal_pointer (&self->subtitle);

      self->subtitle = g_strdup_printf (
          /* TRANSLATORS: "3 recordings · 4 min 12 s · 1 waiting for deletion" */
          g_dngettext (GETTEXT_PACKAGE, "%s · %u waiting for deletion",
                       "%s · %u waiting for deletion", self->n_waiting),
          subtitle, self->n_waiting);
    }
  return g_steal_pointer (&self);
}

gint64
docket_incident_get_start_usec (DocketIncident *self)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT (self), 0);
  return self->start_usec;
}

gint64
docket_incident_get_end_usec (DocketIncident *self)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT (self), 0);
  return self->end_usec;
}

guint
docket_incident_get_n_recordings (DocketIncident *self)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT (self), 0);
  return self->recordings->len;
}

const gint64 *
docket_incident_get_ids (DocketIncident *self, guint *n_ids)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT (self), NULL);
  if (n_ids != NULL)
    *n_ids = self->ids->len;
  return (const gint64 *)(gpointer)self->ids->data;
}

guint
docket_incident_get_n_waiting (DocketIncident *self)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT (self), 0);
  return self->n_waiting;
}

gboolean
docket_recording_is_deletion_requested (GVariant *recording)
{
  gboolean requested = FALSE;

  g_return_val_if_fail (recording != NULL, FALSE);
  return g_variant_lookup (recording, "deletion-requested", "b", &requested) && requested;
}

gchar *
docket_condition_describe (GVariant *recording)
{
  const gchar *condition = NULL;
  const gchar *reason = "";
  const gchar *what;

  g_return_val_if_fail (recording != NULL, NULL);
  if (!g_variant_lookup (recording, "condition", "&s", &condition))
    return NULL;
  g_variant_lookup (recording, "condition-reason", "&s", &reason);
  if (g_str_equal (condition, "incomplete-on-camera"))
    what = _ ("Stored, but the camera recorded it incomplete");
  else if (g_str_equal (condition, "damaged-picture"))
    what = _ ("Stored, but the camera recorded a damaged picture");
  else
    what = _ ("Stored, but the camera saved it unplayable");
  return *reason != '\0' ? g_strdup_printf ("%s: %s", what, reason) : g_strdup (what);
}

GVariant *
docket_incident_get_recording (DocketIncident *self, guint index)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT (self), NULL);
  g_return_val_if_fail (index < self->recordings->len, NULL);
  return g_ptr_array_index (self->recordings, index);
}

gint64
docket_incident_get_thumbnail_id (DocketIncident *self)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT (self), 0);
  return self->thumbnail_id;
}

const gchar *
docket_incident_get_title (DocketIncident *self)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT (self), NULL);
  return self->title;
}

const gchar *
docket_incident_get_subtitle (DocketIncident *self)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT (self), NULL);
  return self->subtitle;
}

GVariant *
docket_incident_get_returned (DocketIncident *self)
{
  g_return_val_if_fail (DOCKET_IS_INCIDENT (self), NULL);
  for (guint i = 0; i < self->recordings->len; i++)
    {
      GVariant *recording = g_ptr_array_index (self->recordings, i);
      const gchar *state = NULL;

      if (g_variant_lookup (recording, "review-state", "&s", &state)
          && g_str_equal (state, "returned") && !docket_recording_is_deletion_requested (recording))
        return recording;
    }
  return NULL;
}

gchar *
docket_returned_dup_message (GVariant *recording)
{
  const gchar *who = NULL;
  const gchar *reason = NULL;

  g_return_val_if_fail (recording != NULL, NULL);
  if (!g_variant_lookup (recording, "reviewer-name", "&s", &who)
      && !g_variant_lookup (recording, "reviewed-by", "&s", &who))
    who = NULL;
  g_variant_lookup (recording, "review-reason", "&s", &reason);
  if (who == NULL)
    /* TRANSLATORS: a sergeant sent the officer's tag back; %s is their reason */
    return g_strdup_printf (_ ("Returned by a sergeant: %s"), reason != NULL ? reason : "");
  /* TRANSLATORS: a sergeant sent the officer's tag back: "Returned by Sgt. Walter
   * Skinner: wrong case number" */
  return g_strdup_printf (_ ("Returned by Sgt. %s: %s"), who, reason != NULL ? reason : "");
}

gchar *
docket_recording_dup_title (GVariant *recording)
{
  gint64 start = 0;
  guint64 duration_ms = 0;
  const gchar *camera = "";
  g_autofree gchar *when = NULL;
  g_autofree gchar *length = NULL;

  g_return_val_if_fail (g_variant_is_of_type (recording, G_VARIANT_TYPE_VARDICT), NULL);

  g_variant_lookup (recording, "start-usec", "x", &start);
  g_variant_lookup (recording, "duration-ms", "t", &duration_ms);
  g_variant_lookup (recording, "camera", "&s", &camera);
  when = docket_format_time (start);
  length = docket_format_duration (duration_ms);
  if (*camera != '\0')
    return g_strdup_printf ("%s · %s · %s", when, length, camera);
  return g_strdup_printf ("%s · %s", when, length);
}
