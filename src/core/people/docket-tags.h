/* docket-tags.h — an officer's untagged recordings, incidents, tagging, viewing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Need-to-know lives here, in the query layer: an officer sees only their
 * own recordings; a sergeant sees unrestricted ones, and restricted ones only
 * when the category allows sergeants; IT never sees footage. Lists are paged
 * (offset/limit) over indexed columns.
 *
 * All methods block and are thread-safe: call them from worker threads.
 */
#pragma once

#include <gio/gio.h>

#include "docket-evidence-store.h"
#include "docket-people.h"
#include "docket-station-config.h"

G_BEGIN_DECLS

/* Recordings starting at most this far apart are one incident. */
#define DOCKET_INCIDENT_GAP_USEC (60 * G_USEC_PER_SEC)

#define DOCKET_REVIEW_NONE "none"
#define DOCKET_REVIEW_PENDING "pending" /* category needs supervisor review */
#define DOCKET_REVIEW_SAMPLE "sample"   /* drawn for the random audit */
#define DOCKET_REVIEW_APPROVED "approved"
#define DOCKET_REVIEW_RETURNED "returned" /* back to the officer to tag again */

typedef struct
{
  gint64 id;
  gint64 start_usec;
  guint64 duration_ms;
  gchar *name;
  gchar *camera_serial;
  gchar *officer;
  gchar *thumbnail; /* relative to the store root, may be NULL */
  gint64 committed_usec;
  gint64 deadline_usec; /* tag by then */
  gchar *category;      /* NULL: untagged */
  gchar *case_number;
  gchar *note;
  gboolean restricted;
  gchar *review_state;
  gchar *review_reason;
  gchar *officer_name; /* NULL when nobody enrolled has the badge */
  gchar *reviewed_by;  /* the sergeant who last decided, NULL if none */
  gchar *reviewer_name;
  gint64 request_id; /* deletion queue only */
  gchar *request_reason;
  gchar *requested_by;
  gboolean deletion_requested; /* to-tag lists only: a request is pending */
  gchar *condition;            /* damaged on the camera: DOCKET_CONDITION_*, else NULL */
  gchar *condition_reason;
} DocketRecordingItem;

void docket_recording_item_free (DocketRecordingItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketRecordingItem, docket_recording_item_free)
/* a{sv}: id, start-usec, duration-ms, name, camera, officer, thumbnail,
 * deadline-usec, and when set officer-name, category, case-number, note,
 * restricted, review-state, review-reason, reviewed-by, reviewer-name,
 * request-id, request-reason, requested-by, deletion-requested (only when
 * TRUE), condition and condition-reason (only for a recording the camera
 * recorded damaged). */
GVariant *docket_recording_item_to_variant (const DocketRecordingItem *item);

typedef struct
{
  gint64 start_usec; /* the earliest recording's start */
  gint64 end_usec;   /* the latest recording's end */
  GPtrArray *items;  /* DocketRecordingItem (borrowed from the grouped list), newest first */
} DocketIncident;

void docket_incident_free (DocketIncident *incident);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketIncident, docket_incident_free)

/* Groups @items (newest first) into incidents: a recording joins the next
 * newer one when their starts are at most @gap_usec apart. Newest first. */
GPtrArray *docket_tags_group_incidents (GPtrArray *items, gint64 gap_usec);

/* What a tag may say (tagging and a sergeant's correction alike): a
 * category of this station, a case number in its format, a note of at most
 * 500 characters. Returns the category, or NULL with @error. */
const DocketCategory *docket_tags_check_tag (DocketStationConfig *config,
                                             const gchar *category_id,
                                             const gchar *case_number,
                                             const gchar *note,
                                             GError **error);

/* Sets @item's restricted flag from its category as @config defines it
 * now (a category gone from the configuration keeps the tag's flag). */
void docket_tags_refresh_restricted (DocketStationConfig *config, DocketRecordingItem *item);

/* The need-to-know rule for one recording, with restricted decided by the
 * category as @config defines it now. */
gboolean docket_tags_can_view (DocketStationConfig *config,
                               const DocketPerson *person,
                               const DocketRecordingItem *item);

#define DOCKET_TYPE_TAGS (docket_tags_get_type ())
G_DECLARE_FINAL_TYPE (DocketTags, docket_tags, DOCKET, TAGS, GObject)

DocketTags *docket_tags_new (DocketEvidenceStore *store, DocketStationConfig *config);
DocketEvidenceStore *docket_tags_get_store (DocketTags *self);
DocketStationConfig *docket_tags_get_config (DocketTags *self);
/* The tag deadline as a span after commit, in µs (follows the station
 * config as it changes). */
gint64 docket_tags_get_deadline_span (DocketTags *self);

/* @person's recordings still to tag (untagged or returned), newest first.
 * @out_total: how many in all; @out_deadline_usec: the earliest deadline
 * (0 when none). Officers only. */
GPtrArray *docket_tags_list_untagged (DocketTags *self,
                                      const DocketPerson *person,
                                      guint offset,
                                      guint limit,
                                      guint *out_total,
                                      gint64 *out_deadline_usec,
                                      GError **error);

/* The caller's own tagged recordings a sergeant has not approved (nor
 * returned): still theirs to correct with docket_tags_tag. Newest first. */
GPtrArray *docket_tags_list_correctable (DocketTags *self,
                                         const DocketPerson *person,
                                         guint offset,
                                         guint limit,
                                         guint *out_total,
                                         GError **error);

/* Tags all of @ids (all or none) for their officer: untagged ones, returned
 * ones, and tagged ones until a sergeant approves them (a correction). */
gboolean docket_tags_tag (DocketTags *self,
                          const DocketPerson *person,
                          const gint64 *ids,
                          guint n_ids,
                          const gchar *category,
                          const gchar *case_number,
                          const gchar *note,
                          GError **error);

/* One recording, if @person may see it (DOCKET_ERROR_PERMISSION otherwise,
 * DOCKET_ERROR_NOT_FOUND if there is none). */
DocketRecordingItem *
docket_tags_get_item (DocketTags *self, const DocketPerson *person, gint64 id, GError **error);

/* Opens the committed file read-only for @person and audit-logs the view
 * with @reason. Returns the fd or -1. */
gint docket_tags_open_recording (
    DocketTags *self, const DocketPerson *person, gint64 id, const gchar *reason, GError **error);

/* The recording's thumbnail (PNG) opened read-only, if @person may see the
 * recording; DOCKET_ERROR_NOT_FOUND when it has none. Not audit-logged: it
 * is a still for choosing, the footage itself is OpenRecording. */
gint docket_tags_open_thumbnail (DocketTags *self,
                                 const DocketPerson *person,
                                 gint64 id,
                                 GError **error);

/* One row of "who looked at my recordings" (docket-access.c). */
typedef struct
{
  gint64 seq; /* the audit row */
  gint64 time_usec;
  gchar *actor;  /* as in the audit log: "officer:<badge>", "docketctl:<uid>" */
  gchar *badge;  /* NULL when the actor is not a person */
  gchar *name;   /* NULL when unknown (e.g. removed since) */
  gchar *role;   /* "officer", "sergeant", "it", or NULL */
  gchar *action; /* "recording-viewed", "recording-exported", "review-approved", ... */
  gchar *reason;
  gint64 recording_id;
  gchar *recording_name;
  gint64 recording_start_usec;
  gchar *officer; /* whose recording */
} DocketAccessEntry;

void docket_access_entry_free (DocketAccessEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketAccessEntry, docket_access_entry_free)
/* a{sv}: seq, time-usec, actor, badge, name, role, action, reason,
 * recording-id, recording-name, recording-start-usec, officer. */
GVariant *docket_access_entry_to_variant (const DocketAccessEntry *entry);

/* Who did what to recordings (views, exports, decisions: every audit row
 * by a person or docketctl other than @person), newest first, at most
 * @limit: for an officer, on their own recordings (legal holds left out:
 * one may concern an investigation of that officer); for a sergeant, on the
 * recordings they may see. @recording_id 0: all of those. IT: refused. */
GPtrArray *docket_tags_list_access (
    DocketTags *self, const DocketPerson *person, gint64 recording_id, guint limit, GError **error);

/* Shared with docket-review.c: SELECT list for DocketRecordingItem rows,
 * and the condition "still in the store, not deleted". */
#define DOCKET_ITEM_COLUMNS                                                                        \
  "r.id, r.start_usec, r.duration_ms, r.name, c.serial, r.officer, r.thumbnail,"                   \
  " r.committed_usec, t.category, t.case_number, t.note, t.restricted, t.review_state,"            \
  " t.review_reason, r.condition, r.condition_reason,"                                             \
  " (SELECT o.name FROM officers o WHERE o.badge = r.officer), t.reviewed_by,"                     \
  " (SELECT o.name FROM officers o WHERE o.badge = t.reviewed_by)"
/* The first column after DOCKET_ITEM_COLUMNS. */
#define DOCKET_ITEM_N_COLUMNS 19
#define DOCKET_ITEM_FROM                                                                           \
  " FROM recordings r JOIN cameras c ON c.id = r.camera_id"                                        \
  " LEFT JOIN tags t ON t.recording_id = r.id"
/* NOT IN runs its (small) subquery once, not once a row. */
#define DOCKET_ITEM_LIVE                                                                           \
  " r.state = 'verified' AND r.id NOT IN (SELECT recording_id FROM deletion_requests"              \
  " WHERE state IN ('approved', 'purged'))"
/* For counting: no camera join. */
#define DOCKET_ITEM_FROM_COUNT " FROM recordings r LEFT JOIN tags t ON t.recording_id = r.id"
DocketRecordingItem *docket_recording_item_from_row (sqlite3_stmt *stmt, gint64 deadline_span_usec);

G_END_DECLS
