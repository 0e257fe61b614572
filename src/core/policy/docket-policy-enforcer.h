/* docket-policy-enforcer.h — apply IT's policy to one docked camera
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Off the main thread (GTask): read the camera's clock and settings, compare
 * with the policy for its model, write only what differs, read back and
 * confirm. The clock: measure the drift against the kiosk's clock, then set
 * it — but only when the kiosk's own clock is synchronised (timedated says
 * so); otherwise say so loudly and leave the camera's clock alone. Every
 * change gets an audit row, and so does every check.
 */
#pragma once

#include <gio/gio.h>

#include "docket-audit-log.h"
#include "docket-camera.h"
#include "docket-policy.h"
#include "docket-timedate.h"

G_BEGIN_DECLS

typedef enum
{
  DOCKET_POLICY_STATE_UNKNOWN,       /* not checked (yet) */
  DOCKET_POLICY_STATE_CHECKING,      /* check running */
  DOCKET_POLICY_STATE_COMPLIANT,     /* matched the policy, nothing written */
  DOCKET_POLICY_STATE_CHANGED,       /* differed; Docket fixed it and read it back */
  DOCKET_POLICY_STATE_NON_COMPLIANT, /* differs and could not be fixed */
  DOCKET_POLICY_STATE_FAILED,        /* the camera could not be checked */
  DOCKET_POLICY_STATE_NO_POLICY,     /* no policy in force on this kiosk */
} DocketPolicyState;

const gchar *docket_policy_state_to_string (DocketPolicyState state);

typedef struct
{
  DocketPolicyState state;
  gchar *problem;    /* plain words; NULL when compliant or changed */
  GVariant *details; /* a{sv}: see docs/policy.md "Compliance details" */
  gint64 drift_ms;   /* camera clock minus kiosk clock, before correction */
  gboolean drift_measured;
  gboolean clock_set;
  DocketClockSync clock_sync;
  guint n_changes; /* settings written (and confirmed) */
} DocketPolicyResult;

void docket_policy_result_free (DocketPolicyResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketPolicyResult, docket_policy_result_free)

#define DOCKET_TYPE_POLICY_ENFORCER (docket_policy_enforcer_get_type ())
G_DECLARE_FINAL_TYPE (
    DocketPolicyEnforcer, docket_policy_enforcer, DOCKET, POLICY_ENFORCER, GObject)

/* @timedate: NULL means the kiosk's clock state is unknown (no time push).
 * @audit: NULL writes no audit rows (tests, docketctl). */
DocketPolicyEnforcer *
docket_policy_enforcer_new (DocketPolicy *policy, DocketTimedate *timedate, DocketAuditLog *audit);
DocketPolicy *docket_policy_enforcer_get_policy (DocketPolicyEnforcer *self);

/* Checks (and fixes) @camera, which must be identified. Call from the main
 * thread; the work runs in a worker thread. The result never reports a
 * camera problem as a GError: only cancellation fails the task. */
void docket_policy_enforcer_check_async (DocketPolicyEnforcer *self,
                                         DocketCamera *camera,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
DocketPolicyResult *docket_policy_enforcer_check_finish (DocketPolicyEnforcer *self,
                                                         GAsyncResult *result,
                                                         GError **error);

/* Blocking version, for worker threads. */
DocketPolicyResult *docket_policy_enforcer_check_sync (DocketPolicyEnforcer *self,
                                                       DocketCameraDriver *driver,
                                                       const gchar *serial,
                                                       const gchar *model,
                                                       const gchar *firmware_version,
                                                       GCancellable *cancellable);

/* Puts @result on @camera (policy-state, policy-problem, policy-details). */
void docket_policy_result_apply (const DocketPolicyResult *result, DocketCamera *camera);

G_END_DECLS
