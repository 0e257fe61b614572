/* docket-tag-form.h — the tag form's state and checks, without GTK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DOCKET_TAG_NOTE_MAX_CHARS 500

#define DOCKET_TYPE_TAG_FORM (docket_tag_form_get_type ())
G_DECLARE_FINAL_TYPE (DocketTagForm, docket_tag_form, DOCKET, TAG_FORM, GObject)

DocketTagForm *docket_tag_form_new (void);

/* Session.CaseNumberFormat: a regular expression the whole number must match. */
void docket_tag_form_set_case_number_format (DocketTagForm *self, const gchar *format);
/* Session.GetCategories' aa{sv}; selects the first (the default). */
void docket_tag_form_set_categories (DocketTagForm *self, GVariant *categories);
/* A category's label (a{sv} from Session.GetCategories) in the first of
 * @languages (as g_get_language_names()) the policy gives one for ("labels"),
 * else its "label" as this kiosk translates it, else its id. */
const gchar *docket_category_label (GVariant *category, const gchar *const *languages);
guint docket_tag_form_get_n_categories (DocketTagForm *self);
const gchar *docket_tag_form_get_category_id (DocketTagForm *self, guint index);
const gchar *docket_tag_form_get_category_label (DocketTagForm *self, guint index);
gboolean docket_tag_form_get_category_restricted (DocketTagForm *self, guint index);

void docket_tag_form_select_category (DocketTagForm *self, const gchar *id);
const gchar *docket_tag_form_get_category (DocketTagForm *self);
void docket_tag_form_set_case_number (DocketTagForm *self, const gchar *case_number);
const gchar *docket_tag_form_get_case_number (DocketTagForm *self);
void docket_tag_form_set_note (DocketTagForm *self, const gchar *note);
const gchar *docket_tag_form_get_note (DocketTagForm *self);
/* What is wrong with the case number, "" when nothing. */
const gchar *docket_tag_form_get_case_number_error (DocketTagForm *self);
const gchar *docket_tag_form_get_note_error (DocketTagForm *self);
gboolean docket_tag_form_get_can_submit (DocketTagForm *self);
/* Back to the default category, no number, no note. */
void docket_tag_form_reset (DocketTagForm *self);

/* TRUE if @case_number is empty or matches @format in full. */
gboolean docket_case_number_is_valid (const gchar *format, const gchar *case_number);

G_END_DECLS
