/* docket-review-item.c — one recording in a sergeant's review queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-review-item.h"

struct _DocketReviewItem
{
  GObject parent_instance;

  gint64 id;
  gint64 request_id;
  gint64 start_usec;
  guint64 duration_ms;
  gboolean restricted;
  gchar *officer;
  gchar *officer_name;
  gchar *camera;
  gboolean has_thumbnail;
  gchar *category;
  gchar *category_label;
  gchar *case_number;
  gchar *note;
  gchar *review_state;
  gchar *review_reason;
  gchar *request_reason;
  gchar *requested_by;
  gchar *condition_reason; /* damaged on the camera: how, else NULL */
};

G_DEFINE_FINAL_TYPE (DocketReviewItem, docket_review_item, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CATEGORY_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
docket_review_item_finalize (GObject *object)
{
  DocketReviewItem *self = DOCKET_REVIEW_ITEM (object);

  g_free (self->officer);
  g_free (self->officer_name);
  g_free (self->camera);
  g_free (self->category);
  g_free (self->category_label);
  g_free (self->case_number);
  g_free (self->note);
  g_free (self->review_state);
  g_free (self->review_reason);
  g_free (self->request_reason);
  g_free (self->requested_by);
  g_free (self->condition_reason);

  G_OBJECT_CLASS (docket_review_item_parent_class)->finalize (object);
}

static void
docket_review_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketReviewItem *self = DOCKET_REVIEW_ITEM (object);

  switch (prop_id)
    {
      case PROP_CATEGORY_LABEL:
        g_value_set_string (value, self->category_label);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_review_item_class_init (DocketReviewItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = docket_review_item_finalize;
  object_class->get_property = docket_review_item_get_property;
  /* Set when the policy's categories arrive, which may be after the row
   * showed the bare id: rows listen to it. */
  properties[PROP_CATEGORY_LABEL]
      = g_param_spec_string ("category-label", NULL, NULL, NULL,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_review_item_init (DocketReviewItem *self)
{
}

static gchar *
dup_string (GVariantDict *dict, const gchar *key)
{
  const gchar *value = NULL;

  if (!g_variant_dict_lookup (dict, key, "&s", &value) || *value == '\0')
    return NULL;
  return g_strdup (value);
}

DocketReviewItem *
docket_review_item_new (GVariant *recording)
{
  g_autoptr (GVariantDict) dict = NULL;
  DocketReviewItem *self;

  g_return_val_if_fail (g_variant_is_of_type (recording, G_VARIANT_TYPE_VARDICT), NULL);

  dict = g_variant_dict_new (recording);
  self = g_object_new (DOCKET_TYPE_REVIEW_ITEM, NULL);
  /* Unknown or missing keys are tolerated: the daemon may grow new ones. */
  g_variant_dict_lookup (dict, "id", "x", &self->id);
  g_variant_dict_lookup (dict, "request-id", "x", &self->request_id);
  g_variant_dict_lookup (dict, "start-usec", "x", &self->start_usec);
  g_variant_dict_lookup (dict, "duration-ms", "t", &self->duration_ms);
  g_variant_dict_lookup (dict, "restricted", "b", &self->restricted);
  self->officer = dup_string (dict, "officer");
  self->officer_name = dup_string (dict, "officer-name");
  self->camera = dup_string (dict, "camera");
  self->has_thumbnail = g_variant_dict_contains (dict, "thumbnail");
  self->category = dup_string (dict, "category");
  self->case_number = dup_string (dict, "case-number");
  self->note = dup_string (dict, "note");
  self->review_state = dup_string (dict, "review-state");
  self->review_reason = dup_string (dict, "review-reason");
  self->request_reason = dup_string (dict, "request-reason");
  self->requested_by = dup_string (dict, "requested-by");
  self->condition_reason = dup_string (dict, "condition-reason");
  if (self->condition_reason == NULL && g_variant_dict_contains (dict, "condition"))
    self->condition_reason = dup_string (dict, "condition");
  return self;
}

gint64
docket_review_item_get_id (DocketReviewItem *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_ITEM (self), 0);
  return self->id;
}

gint64
docket_review_item_get_request_id (DocketReviewItem *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_ITEM (self), 0);
  return self->request_id;
}

const gchar *
docket_review_item_get_officer (DocketReviewItem *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_ITEM (self), NULL);
  return self->officer;
}

const gchar *
docket_review_item_get_camera (DocketReviewItem *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_ITEM (self), NULL);
  return self->camera;
}

gboolean
docket_review_item_has_thumbnail (DocketReviewItem *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_ITEM (self), FALSE);
  return self->has_thumbnail;
}

gchar *
docket_review_item_dup_officer (DocketReviewItem *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_ITEM (self), NULL);
  if (self->officer == NULL)
    return g_strdup (_ ("Nobody (no camera assignment)"));
  if (self->officer_name == NULL)
    /* TRANSLATORS: %s is the officer's badge number */
    return g_strdup_printf (_ ("Badge %s"), self->officer);
  /* TRANSLATORS: an officer's name and badge number, "Dana Scully (4711)" */
  return g_strdup_printf (_ ("%s (%s)"), self->officer_name, self->officer);
}

const gchar *
docket_review_item_get_category (DocketReviewItem *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_ITEM (self), NULL);
  return self->category;
}

const gchar *
docket_review_item_get_case_number (DocketReviewItem *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_ITEM (self), NULL);
  return self->case_number;
}

const gchar *
docket_review_item_get_note (DocketReviewItem *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_ITEM (self), NULL);
  return self->note;
}

gboolean
docket_review_item_get_restricted (DocketReviewItem *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_ITEM (self), FALSE);
  return self->restricted;
}

gint64
docket_review_item_get_start_usec (DocketReviewItem *self)
{
  g_return_val_if_fail (DOCKET_IS_REVIEW_ITEM (self), 0);
  return self->start_usec;
}

void
docket_review_item_set_category_label (DocketReviewItem *self, const gchar *label)
{
  g_return_if_fail (DOCKET_IS_REVIEW_ITEM (self));
  if (g_strcmp0 (self->category_label, label) == 0)
    return;
  g_free (self->category_label);
  self->category_label = g_strdup (label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY_LABEL]);
}

gchar *
docket_review_format_duration (guint64 duration_ms)
{
  guint64 seconds = (duration_ms + 500) / 1000;

  if (seconds < 60)
    /* TRANSLATORS: a recording's length in seconds */
    return g_strdup_printf (_ ("%u s"), (guint)seconds);
  if (seconds < 3600)
    /* TRANSLATORS: a recording's length in minutes and seconds */
    return g_strdup_printf (_ ("%u min %02u s"), (guint)(seconds / 60), (guint)(seconds % 60));
  /* TRANSLATORS: a recording's length in hours and minutes */
  return g_strdup_printf (_ ("%u h %02u min"), (guint)(seconds / 3600),
                          (guint)(seconds % 3600 / 60));
}

gchar *
docket_review_format_time (gint64 usec)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (utc);
  /* TRANSLATORS: strftime format of a recording's start, e.g. "Fri 27 Nov, 14:03" */
  return g_date_time_format (local, _ ("%a %-d %b, %H:%M"));
}

gchar *
docket_review_item_dup_title (DocketReviewItem *self)
{
  g_autofree gchar *when = NULL;
  g_autofree gchar *length = NULL;

  g_return_val_if_fail (DOCKET_IS_REVIEW_ITEM (self), NULL);

  when = docket_review_format_time (self->start_usec);
  length = docket_review_format_duration (self->duration_ms);
  /* Time, length and camera: two recordings of one incident differ here. */
  if (self->camera != NULL)
    return g_strdup_printf ("%s · %s · %s", when, length, self->camera);
  return g_strdup_printf ("%s · %s", when, length);
}

gchar *
docket_review_item_dup_subtitle (DocketReviewItem *self)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const gchar *category;

  g_return_val_if_fail (DOCKET_IS_REVIEW_ITEM (self), NULL);

  category = self->category_label != NULL ? self->category_label : self->category;

  g_ptr_array_add (parts, docket_review_item_dup_officer (self));
  if (self->category == NULL)
    g_ptr_array_add (parts, g_strdup (_ ("Not tagged")));
  else if (self->restricted)
    /* TRANSLATORS: a restricted category's name */
    g_ptr_array_add (parts, g_strdup_printf (_ ("%s (restricted)"), category));
  else
    g_ptr_array_add (parts, g_strdup (category));
  if (self->case_number != NULL)
    /* TRANSLATORS: %s is a case or incident number */
    g_ptr_array_add (parts, g_strdup_printf (_ ("Case %s"), self->case_number));
  if (self->request_id != 0)
    /* TRANSLATORS: deletion request: who asked, and their reason */
    g_ptr_array_add (parts,
                     g_strdup_printf (_ ("Deletion asked by %s: “%s”"),
                                      self->requested_by != NULL ? self->requested_by : "?",
                                      self->request_reason != NULL ? self->request_reason : ""));
  else if (self->note != NULL)
    /* TRANSLATORS: the officer's note on a recording */
    g_ptr_array_add (parts, g_strdup_printf (_ ("Note: %s"), self->note));
  if (self->condition_reason != NULL)
    /* TRANSLATORS: stored as evidence, but the camera recorded it damaged; %s says how */
    g_ptr_array_add (parts,
                     g_strdup_printf (_ ("Damaged on the camera: %s"), self->condition_reason));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (gchar **)parts->pdata);
}
