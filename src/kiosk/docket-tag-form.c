/* docket-tag-form.c — the tag form's state and checks, without GTK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kiosk checks the case number against the station's format as the
 * officer types, so the mistake shows next to the field; docketd checks
 * again on Tag and its word is final.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-tag-form.h"

typedef struct
{
  gchar *id;
  gchar *label;
  gboolean restricted;
} Category;

struct _DocketTagForm
{
  GObject parent_instance;

  GArray *categories; /* Category */
  gchar *format;
  gchar *category;
  gchar *case_number;
  gchar *note;
  const gchar *case_number_error;
  const gchar *note_error;
};

G_DEFINE_FINAL_TYPE (DocketTagForm, docket_tag_form, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CATEGORY,
  PROP_CASE_NUMBER_ERROR,
  PROP_NOTE_ERROR,
  PROP_CAN_SUBMIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
docket_case_number_is_valid (const gchar *format, const gchar *case_number)
{
  g_autofree gchar *anchored = NULL;
  g_autoptr (GRegex) regex = NULL;

  if (case_number == NULL || *case_number == '\0')
    return TRUE;
  if (format == NULL || *format == '\0')
    return TRUE;
  /* The whole number must match, not a part of it. */
  anchored = g_strdup_printf ("\\A(?:%s)\\z", format);
  regex = g_regex_new (anchored, G_REGEX_OPTIMIZE, 0, NULL);
  /* A broken format is the daemon's to refuse; do not block the officer here. */
  if (regex == NULL)
    return TRUE;
  return g_regex_match (regex, case_number, 0, NULL);
}

static void
category_clear (Category *category)
{
  g_free (category->id);
  g_free (category->label);
}

static void
revalidate (DocketTagForm *self)
{
  const gchar *case_error = "";
  const gchar *note_error = "";
  gboolean could = docket_tag_form_get_can_submit (self);

  if (!docket_case_number_is_valid (self->format, self->case_number))
    case_error
        = _ ("This is not a case number in the station's format. Check it or leave it empty.");
  if (g_utf8_strlen (self->note, -1) > DOCKET_TAG_NOTE_MAX_CHARS)
    note_error = _ ("The note is too long: at most 500 characters.");
  if (g_strcmp0 (case_error, self->case_number_error) != 0)
    {
      self->case_number_error = case_error;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_NUMBER_ERROR]);
    }
  if (g_strcmp0 (note_error, self->note_error) != 0)
    {
      self->note_error = note_error;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE_ERROR]);
    }
  if (could != docket_tag_form_get_can_submit (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SUBMIT]);
}

static void
docket_tag_form_finalize (GObject *object)
{
  DocketTagForm *self = DOCKET_TAG_FORM (object);

  g_array_unref (self->categories);
  g_free (self->format);
  g_free (self->category);
  g_free (self->case_number);
  g_free (self->note);

  G_OBJECT_CLASS (docket_tag_form_parent_class)->finalize (object);
}

static void
docket_tag_form_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DocketTagForm *self = DOCKET_TAG_FORM (object);

  switch (prop_id)
    {
      case PROP_CATEGORY:
        g_value_set_string (value, self->category);
        break;
      case PROP_CASE_NUMBER_ERROR:
        g_value_set_string (value, self->case_number_error);
        break;
      case PROP_NOTE_ERROR:
        g_value_set_string (value, self->note_error);
        break;
      case PROP_CAN_SUBMIT:
        g_value_set_boolean (value, docket_tag_form_get_can_submit (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_tag_form_class_init (DocketTagFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = docket_tag_form_finalize;
  object_class->get_property = docket_tag_form_get_property;

  properties[PROP_CATEGORY] = g_param_spec_string ("category", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CASE_NUMBER_ERROR] = g_param_spec_string (
      "case-number-error", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTE_ERROR] = g_param_spec_string ("note-error", NULL, NULL, "",
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_SUBMIT] = g_param_spec_boolean ("can-submit", NULL, NULL, FALSE,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_tag_form_init (DocketTagForm *self)
{
  self->categories = g_array_new (FALSE, TRUE, sizeof (Category));
  g_array_set_clear_func (self->categories, (GDestroyNotify)category_clear);
  self->case_number = g_strdup ("");
  self->note = g_strdup ("");
  self->case_number_error = "";
  self->note_error = "";
}

DocketTagForm *
docket_tag_form_new (void)
{
  return g_object_new (DOCKET_TYPE_TAG_FORM, NULL);
}

void
docket_tag_form_set_case_number_format (DocketTagForm *self, const gchar *format)
{
  g_return_if_fail (DOCKET_IS_TAG_FORM (self));

  g_free (self->format);
  self->format = g_strdup (format);
  revalidate (self);
}

const gchar *
docket_category_label (GVariant *category, const gchar *const *languages)
{
  g_autoptr (GVariant) labels = NULL;
  const gchar *label = NULL;
  const gchar *id = "";

  g_return_val_if_fail (g_variant_is_of_type (category, G_VARIANT_TYPE_VARDICT), "");

  labels = g_variant_lookup_value (category, "labels", G_VARIANT_TYPE ("a{ss}"));
  for (gsize i = 0; labels != NULL && languages != NULL && languages[i] != NULL; i++)
    if (g_variant_lookup (labels, languages[i], "&s", &label) && *label != '\0')
      return label;
  if (g_variant_lookup (category, "label", "&s", &label) && *label != '\0')
    /* The built-in categories' labels are in this kiosk's catalogue. */
    return g_dgettext (GETTEXT_PACKAGE, label);
  g_variant_lookup (category, "id", "&s", &id);
  return id;
}

void
docket_tag_form_set_categories (DocketTagForm *self, GVariant *categories)
{
  GVariantIter iter;
  GVariant *dict;

  g_return_if_fail (DOCKET_IS_TAG_FORM (self));
  g_return_if_fail (g_variant_is_of_type (categories, G_VARIANT_TYPE ("aa{sv}")));

  g_array_set_size (self->categories, 0);
  g_variant_iter_init (&iter, categories);
  while ((dict = g_variant_iter_next_value (&iter)) != NULL)
    {
      Category category = { 0 };
      const gchar *id = NULL;
      const gchar *label = NULL;

      if (g_variant_lookup (dict, "id", "&s", &id) && *id != '\0')
        {
          label = docket_category_label (dict, (const gchar *const *)g_get_language_names ());
          category.id = g_strdup (id);
          category.label = g_strdup (label);
          g_variant_lookup (dict, "restricted", "b", &category.restricted);
          g_array_append_val (self->categories, category);
        }
      g_variant_unref (dict);
    }
  docket_tag_form_reset (self);
}

guint
docket_tag_form_get_n_categories (DocketTagForm *self)
{
  g_return_val_if_fail (DOCKET_IS_TAG_FORM (self), 0);
  return self->categories->len;
}

const gchar *
docket_tag_form_get_category_id (DocketTagForm *self, guint index)
{
  g_return_val_if_fail (DOCKET_IS_TAG_FORM (self), NULL);
  g_return_val_if_fail (index < self->categories->len, NULL);
  return g_array_index (self->categories, Category, index).id;
}

const gchar *
docket_tag_form_get_category_label (DocketTagForm *self, guint index)
{
  g_return_val_if_fail (DOCKET_IS_TAG_FORM (self), NULL);
  g_return_val_if_fail (index < self->categories->len, NULL);
  return g_array_index (self->categories, Category, index).label;
}

gboolean
docket_tag_form_get_category_restricted (DocketTagForm *self, guint index)
{
  g_return_val_if_fail (DOCKET_IS_TAG_FORM (self), FALSE);
  g_return_val_if_fail (index < self->categories->len, FALSE);
  return g_array_index (self->categories, Category, index).restricted;
}

void
docket_tag_form_select_category (DocketTagForm *self, const gchar *id)
{
  gboolean could;

  g_return_if_fail (DOCKET_IS_TAG_FORM (self));

  if (g_strcmp0 (id, self->category) == 0)
    return;
  could = docket_tag_form_get_can_submit (self);
  g_free (self->category);
  self->category = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
  if (could != docket_tag_form_get_can_submit (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SUBMIT]);
}

const gchar *
docket_tag_form_get_category (DocketTagForm *self)
{
  g_return_val_if_fail (DOCKET_IS_TAG_FORM (self), NULL);
  return self->category;
}

void
docket_tag_form_set_case_number (DocketTagForm *self, const gchar *case_number)
{
  g_return_if_fail (DOCKET_IS_TAG_FORM (self));

  g_free (self->case_number);
  self->case_number = g_strstrip (g_strdup (case_number != NULL ? case_number : ""));
  revalidate (self);
}

const gchar *
docket_tag_form_get_case_number (DocketTagForm *self)
{
  g_return_val_if_fail (DOCKET_IS_TAG_FORM (self), NULL);
  return self->case_number;
}

void
docket_tag_form_set_note (DocketTagForm *self, const gchar *note)
{
  g_return_if_fail (DOCKET_IS_TAG_FORM (self));

  g_free (self->note);
  self->note = g_strdup (note != NULL ? note : "");
  revalidate (self);
}

const gchar *
docket_tag_form_get_note (DocketTagForm *self)
{
  g_return_val_if_fail (DOCKET_IS_TAG_FORM (self), NULL);
  return self->note;
}

const gchar *
docket_tag_form_get_case_number_error (DocketTagForm *self)
{
  g_return_val_if_fail (DOCKET_IS_TAG_FORM (self), NULL);
  return self->case_number_error;
}

const gchar *
docket_tag_form_get_note_error (DocketTagForm *self)
{
  g_return_val_if_fail (DOCKET_IS_TAG_FORM (self), NULL);
  return self->note_error;
}

gboolean
docket_tag_form_get_can_submit (DocketTagForm *self)
{
  g_return_val_if_fail (DOCKET_IS_TAG_FORM (self), FALSE);
  return self->category != NULL && *self->case_number_error == '\0' && *self->note_error == '\0';
}

void
docket_tag_form_reset (DocketTagForm *self)
{
  g_return_if_fail (DOCKET_IS_TAG_FORM (self));

  docket_tag_form_select_category (
      self, self->categories->len > 0 ? g_array_index (self->categories, Category, 0).id : NULL);
  docket_tag_form_set_case_number (self, "");
  docket_tag_form_set_note (self, "");
}
