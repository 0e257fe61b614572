/* docket-retention.h — keep-until, legal holds and the retention purge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A committed recording is kept until its start plus the longest retention
 * of every category it ever carried (tag_history: a re-tag or a correction
 * never shortens it); untagged recordings use the default category's.
 * Retention figures come from the station config as it is now (the device
 * policy's preset and categories), so a policy change recomputes every
 * keep-until at the next pass: nothing is frozen in the database.
 *
 * A recording is purged only when its keep-until has passed and it is not
 * under an open legal hold (on the recording, its incident or its case
 * number), has no pending or approved deletion request (those follow the
 * review's own path), has no recorded condition (media damage), is not in a
 * category that is restricted now while its review is open, and its
 * category is still defined. Each purge writes an audit row
 * "recording-purged" (hash, category, rule, keep-until) in the same
 * transaction that marks the row deleted; the file goes after the commit
 * (docket_evidence_store_discard_object(), the one crash-safe order).
 *
 * All methods block and are thread-safe: call them from worker threads.
 */
#pragma once

#include <gio/gio.h>

#include "docket-evidence-store.h"
#include "docket-station-config.h"

G_BEGIN_DECLS

#define DOCKET_HOLD_RECORDING "recording"
#define DOCKET_HOLD_INCIDENT "incident" /* the recording and those within a minute of it */
#define DOCKET_HOLD_CASE "case" /* every recording tagged with the case number, now or later */

typedef struct
{
  gint64 id;
  gchar *kind;
  gchar *target; /* recording id, or the case number */
  gchar *reason;
  gchar *placed_by;
  gint64 placed_usec;
  gchar *released_by; /* NULL while in force */
  gchar *release_reason;
  gint64 released_usec;
  guint n_recordings; /* recording and incident holds: how many recordings */
} DocketHold;

void docket_hold_free (DocketHold *hold);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketHold, docket_hold_free)
GVariant *docket_hold_to_variant (const DocketHold *hold);

/* Why a recording is kept (or may go). */
typedef enum
{
  DOCKET_KEEP_DUE = 0,          /* keep-until passed: purgeable */
  DOCKET_KEEP_RETENTION,        /* keep-until not reached */
  DOCKET_KEEP_HELD,             /* legal hold */
  DOCKET_KEEP_DELETION_PENDING, /* a deletion request is pending or approved */
  DOCKET_KEEP_CONDITION,        /* damaged on camera: kept for the record */
  DOCKET_KEEP_UNDER_REVIEW,     /* restricted category, review open */
  DOCKET_KEEP_UNKNOWN_CATEGORY, /* tagged with a category no longer defined */
  DOCKET_KEEP_NOT_UPSTREAM,     /* upstream configured, not yet confirmed there */
} DocketKeepReason;

const gchar *docket_keep_reason_to_string (DocketKeepReason reason);

typedef struct
{
  gint64 id;
  gchar *sha256;
  gchar *thumbnail;
  gchar *officer;
  gint64 start_usec;
  guint64 size;
  gchar *category; /* the category whose retention wins (the default for untagged) */
  gboolean tagged;
  guint retention_days;
  gint64 keep_until_usec; /* G_MAXINT64: never (unknown category) */
  gchar *rule;            /* plain words, e.g. "use-of-force: 365 days (longest of 2 categories)" */
  DocketKeepReason keep;
} DocketRetentionItem;

void docket_retention_item_free (DocketRetentionItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketRetentionItem, docket_retention_item_free)

typedef struct
{
  gchar *category;
  guint retention_days;
  guint recordings;
  guint64 bytes;
} DocketRetentionCategory;

#define DOCKET_RETENTION_SCHEDULE_PERIODS 12
#define DOCKET_RETENTION_SCHEDULE_DAYS 30

typedef struct
{
  gint64 now_usec;
  GPtrArray *due; /* DocketRetentionItem, purgeable now, oldest keep-until first */
  guint64 due_bytes;
  guint n_recordings; /* verified recordings in the store */
  guint64 bytes;      /* their size */
  guint kept[DOCKET_KEEP_NOT_UPSTREAM
             + 1];               /* past keep-until but kept, by reason (DUE, RETENTION: 0) */
  guint held;                    /* recordings under a hold, whatever their keep-until */
  GPtrArray *categories;         /* DocketRetentionCategory, by the winning category */
  guint due_7_days, due_30_days; /* recordings whose keep-until falls within */
  /* What goes when: recordings (not held) whose keep-until falls in each of
   * the next 12 periods of 30 days. */
  guint schedule_recordings[DOCKET_RETENTION_SCHEDULE_PERIODS];
  guint64 schedule_bytes[DOCKET_RETENTION_SCHEDULE_PERIODS];
  guint64 due_7_days_bytes, due_30_days_bytes;
  gint64 next_purge_usec;       /* the earliest keep-until still to come (0: none) */
  guint64 intake_bytes_per_day; /* average over the last 30 days */
  guint64 free_bytes, total_bytes;
  gint64 full_usec;           /* when the disk fills at that intake (0: never) */
  gboolean full_before_purge; /* the disk fills before the next purge frees space */
  guint purged;               /* docket_retention_run(): removed this pass */
  guint64 purged_bytes;
  gint64 elapsed_usec; /* how long the pass took */
} DocketRetentionPlan;

void docket_retention_plan_free (DocketRetentionPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketRetentionPlan, docket_retention_plan_free)
/* a{sv}: now-usec, recordings, bytes, due (aa{sv}, at most @max_due), due-count,
 * due-bytes, held, kept (a{su}), categories (aa{sv}), due-7-days(-bytes),
 * due-30-days(-bytes), schedule (aa{sv}: from-usec, to-usec, recordings,
 * bytes; 12 periods of 30 days), next-purge-usec, intake-bytes-per-day, free-bytes,
 * total-bytes, full-usec, full-before-purge, purged, purged-bytes, elapsed-usec. */
GVariant *docket_retention_plan_to_variant (const DocketRetentionPlan *plan, guint max_due);

#define DOCKET_TYPE_RETENTION (docket_retention_get_type ())
G_DECLARE_FINAL_TYPE (DocketRetention, docket_retention, DOCKET, RETENTION, GObject)

DocketRetention *docket_retention_new (DocketEvidenceStore *store, DocketStationConfig *config);
/* The station config whose retention figures it follows (its ::changed
 * says they may have moved). */
DocketStationConfig *docket_retention_get_config (DocketRetention *self);

/* Places a hold (@kind one of DOCKET_HOLD_*; @target a recording id for
 * recording and incident holds, a case number for case holds) with a
 * reason; audit row "hold-placed". @actor: who, as in the audit log. The
 * caller checks the role (sergeants and IT). Returns the hold id or 0. */
gint64 docket_retention_place_hold (DocketRetention *self,
                                    const gchar *actor,
                                    const gchar *kind,
                                    const gchar *target,
                                    const gchar *reason,
                                    gint64 now_usec,
                                    GError **error);
/* Releases a hold in force, with a reason; audit row "hold-released". */
gboolean docket_retention_release_hold (DocketRetention *self,
                                        const gchar *actor,
                                        gint64 hold_id,
                                        const gchar *reason,
                                        gint64 now_usec,
                                        GError **error);
/* Holds, newest first; released ones too when @include_released. */
GPtrArray *
docket_retention_list_holds (DocketRetention *self, gboolean include_released, GError **error);

/* One recording's retention as of @now_usec (NOT_FOUND if none is stored). */
DocketRetentionItem *docket_retention_get_item (DocketRetention *self,
                                                gint64 recording_id,
                                                gint64 now_usec,
                                                GError **error);

/* What a pass at @now_usec would purge, and the storage forecast. */
DocketRetentionPlan *docket_retention_plan (DocketRetention *self, gint64 now_usec, GError **error);

/* A purge pass: finishes purges a crash interrupted, plans, and unless
 * @dry_run removes every due recording (audit row each, @actor as actor).
 * Returns the plan with purged/purged-bytes set, or NULL on error (rows
 * already purged stay purged). */
DocketRetentionPlan *docket_retention_run (
    DocketRetention *self, const gchar *actor, gint64 now_usec, gboolean dry_run, GError **error);

/* For tests: called after each committed batch of purged rows, before
 * their files are removed (@n: rows committed so far). */
typedef void (*DocketRetentionHook) (gpointer user_data, guint n);
void docket_retention_set_commit_hook (DocketRetention *self,
                                       DocketRetentionHook hook,
                                       gpointer user_data);

G_END_DECLS
