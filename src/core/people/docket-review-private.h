/* docket-review-private.h — shared by DocketReview's source files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docket-review.c: the object and the queues (queries);
 * docket-review-decisions.c: approve, return, correct, and the helpers
 * below; docket-review-deletion.c: deletion requests from request to purge.
 */
#pragma once

#include "docket-review.h"

G_BEGIN_DECLS

struct _DocketReview
{
  GObject parent_instance;

  DocketEvidenceStore *store;
  DocketStationConfig *config;
  DocketTags *tags;
};

gboolean _docket_review_require_sergeant (const DocketPerson *person, GError **error);
gboolean _docket_review_require_reason (const gchar *reason, GError **error);
gboolean _docket_review_audit (DocketReview *self,
                               const DocketPerson *person,
                               const gchar *action,
                               gint64 id,
                               const gchar *reason,
                               GVariant *details,
                               GError **error);
DocketRecordingItem *_docket_review_get_reviewable (DocketReview *self,
                                                    const DocketPerson *person,
                                                    gint64 id,
                                                    GError **error);
gboolean _docket_review_update_one (DocketDatabase *db,
                                    const gchar *sql,
                                    gint64 id,
                                    const gchar *const *texts,
                                    gint64 number,
                                    GError **error);

G_END_DECLS
