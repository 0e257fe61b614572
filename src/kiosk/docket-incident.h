/* docket-incident.h — one incident to tag: recordings that started together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_INCIDENT (docket_incident_get_type ())
G_DECLARE_FINAL_TYPE (DocketIncident, docket_incident, DOCKET, INCIDENT, GObject)

/* From one entry of Session.ListIncidents (a{sv}); NULL if it has no recordings. */
DocketIncident *docket_incident_new_from_variant (GVariant *dict);

gint64 docket_incident_get_start_usec (DocketIncident *self);
gint64 docket_incident_get_end_usec (DocketIncident *self);
guint docket_incident_get_n_recordings (DocketIncident *self);
/* The recording ids, in the daemon's order, for Session.Tag. */
/* The recordings to tag: all but those whose deletion the officer asked for
 * (a sergeant decides those; a refusal brings them back on reload). */
const gint64 *docket_incident_get_ids (DocketIncident *self, guint *n_ids);
/* How many wait for a sergeant's decision on their deletion. */
guint docket_incident_get_n_waiting (DocketIncident *self);
/* A recording a{sv} of ListIncidents with a pending deletion request. */
gboolean docket_recording_is_deletion_requested (GVariant *recording);
/* For a recording the camera recorded damaged: what, in plain words, with
 * the reason; NULL for a sound one. */
gchar *docket_condition_describe (GVariant *recording);
/* The first recording a sergeant returned (a{sv}, its tag's values kept),
 * NULL if none was. */
GVariant *docket_incident_get_returned (DocketIncident *self);
/* "Returned by Sgt. Walter Skinner: wrong case number", from such a recording. */
gchar *docket_returned_dup_message (GVariant *recording);
/* The @index-th recording as the daemon sent it (a{sv}). */
GVariant *docket_incident_get_recording (DocketIncident *self, guint index);
/* The id of the first recording that has a thumbnail, 0 if none has. */
gint64 docket_incident_get_thumbnail_id (DocketIncident *self);
/* "Fri 27 Nov, 14:05" style start, in local time. */
const gchar *docket_incident_get_title (DocketIncident *self);
/* "3 recordings · 4 min 12 s" */
const gchar *docket_incident_get_subtitle (DocketIncident *self);

/* Shared wording, also used for single recordings and the deadline. */
gchar *docket_format_time (gint64 usec);
gchar *docket_format_duration (guint64 duration_ms);
/* What a dialog about one recording calls it: start time, length and camera
 * ("Today, 14:02 · 1 min 5 s · SIM-0001"), so two recordings of one incident
 * are told apart. */
gchar *docket_recording_dup_title (GVariant *recording);

G_END_DECLS
