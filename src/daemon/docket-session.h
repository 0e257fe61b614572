/* docket-session.h — one signed-in person, served as a D-Bus Session object
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bound to the unique bus name that signed in: other connections get
 * AccessDenied. Ends on SignOut, when that name leaves the bus, or after the
 * idle timeout, emitting ::ended once. Every method's database work runs in
 * a GTask thread (docket-daemon-workers.h); replies are sent from the main
 * context.
 *
 * Threads: main thread only.
 */
#pragma once

#include <gio/gio.h>

#include "docket-charge-service.h"
#include "docket-people.h"
#include "docket-retention.h"
#include "docket-review.h"
#include "docket-station-config.h"
#include "docket-tags.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_SESSION (docket_session_get_type ())
G_DECLARE_FINAL_TYPE (DocketSession, docket_session, DOCKET, SESSION, GObject)

DocketSession *docket_session_new (const DocketPerson *person,
                                   const gchar *owner,
                                   DocketEvidenceStore *store,
                                   DocketStationConfig *config,
                                   DocketTags *tags,
                                   DocketReview *review);
gboolean docket_session_export (DocketSession *self,
                                GDBusConnection *connection,
                                const gchar *object_path,
                                GError **error);
const gchar *docket_session_get_object_path (DocketSession *self);
const gchar *docket_session_get_badge (DocketSession *self);
/* Emits Ended(@why) and ::ended, unexports. Idempotent. */
void docket_session_end (DocketSession *self, const gchar *why);
/* Enables CheckOutCamera. */
void docket_session_set_charge_service (DocketSession *self, DocketChargeService *charge);
/* Legal holds and the retention forecast; before the session is exported. */
void docket_session_set_retention (DocketSession *self, DocketRetention *retention);

G_END_DECLS
