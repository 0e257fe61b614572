/* docket-incident-list.h — the officer's untagged incidents, a page at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "docket-dbus-generated.h"
#include "docket-incident.h"
#include "docket-paged-model.h"

G_BEGIN_DECLS

#define DOCKET_INCIDENT_LIST_PAGE 20

#define DOCKET_TYPE_INCIDENT_LIST (docket_incident_list_get_type ())
G_DECLARE_FINAL_TYPE (
    DocketIncidentList, docket_incident_list, DOCKET, INCIDENT_LIST, DocketPagedModel)

/* A DocketPagedModel of DocketIncident from Session.ListIncidents; its reload
 * also fetches the counts. @session may be NULL (tests feed pages). */
DocketIncidentList *docket_incident_list_new (DocketDBusSession *session);

/* Appends one ListIncidents page (aa{sv}) at @offset; a stale page is ignored. */
void docket_incident_list_add_page (DocketIncidentList *self,
                                    guint offset,
                                    GVariant *incidents,
                                    guint total);
/* Takes ListUntagged's count of recordings left and the earliest deadline. */
void docket_incident_list_set_counts (DocketIncidentList *self,
                                      guint recordings_left,
                                      gint64 deadline_usec);

guint docket_incident_list_get_recordings_left (DocketIncidentList *self);
gint64 docket_incident_list_get_deadline_usec (DocketIncidentList *self);
/* "5 recordings left to tag · tag them by Mon 30 Nov, 14:05" */
const gchar *docket_incident_list_get_summary (DocketIncidentList *self);

G_END_DECLS
