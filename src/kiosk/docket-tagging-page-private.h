/* docket-tagging-page-private.h — shared between the tagging page's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page's struct and the cross-file functions. The dependency is one-way:
 * docket-tagging-page.c calls the recordings and form files, the recordings
 * file calls the form file, and the form file calls neither.
 *
 * Threads: main thread only, like every widget.
 */
#pragma once

#include <adwaita.h>

#include "docket-incident-list.h"
#include "docket-incident.h"
#include "docket-tag-form.h"
#include "docket-tagging-page.h"
#include "docket-thumbnail-cache.h"

G_BEGIN_DECLS

struct _DocketTaggingPage
{
  GtkWidget parent_instance;

  /* template widgets */
  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  AdwStatusPage *error_page;
  GtkLabel *summary_label;
  GtkScrolledWindow *scroller;
  GtkListView *list_view;
  GtkSingleSelection *selection;
  GtkWidget *form_box;
  GtkLabel *incident_title;
  GtkLabel *returned_label;
  GtkListBox *recordings_box;
  GtkFlowBox *category_box;
  GtkWidget *restricted_box;
  AdwEntryRow *case_row;
  GtkRevealer *case_pad;
  AdwEntryRow *note_row;
  GtkLabel *form_error;
  GtkButton *tag_button;

  /* owned */
  DocketDBusSession *session;
  DocketIncidentList *list;
  DocketTagForm *form;
  DocketThumbnailCache *thumbnails;
  GCancellable *cancellable;
  DocketIncident *incident; /* the one the form is for */
  GPtrArray *category_buttons;
  gchar *tag_error;
  gboolean tagging;
};

/* Implemented in docket-tagging-page-form.c. */

/* Connects the form's fields and adds the case pad; once, from init. */
void _docket_tagging_page_init_form (DocketTaggingPage *self);
/* Asks docketd for the categories and rebuilds their buttons. */
void _docket_tagging_page_load_categories (DocketTaggingPage *self);
/* Shows the form's state: errors, the chosen category, what may be sent. */
void _docket_tagging_page_update_form (DocketTaggingPage *self);
void _docket_tagging_page_clear_tag_error (DocketTaggingPage *self);
/* Fills the form from a tag a sergeant returned, if the incident has one. */
void _docket_tagging_page_prefill_returned (DocketTaggingPage *self);

/* Implemented in docket-tagging-page-recordings.c. */

/* One row of the selected incident: thumbnail, time, length, Preview and
 * Request Deletion. */
GtkWidget *_docket_tagging_page_recording_row_new (DocketTaggingPage *self, GVariant *recording);

G_END_DECLS
