/* docket-checkout.h — pooled cameras, check-out at the kiosk, return by
 * docking, and who held which camera when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Personal cameras are assigned to an officer by IT (docket-people.h).
 * Pooled cameras (marked by IT) are checked out at the kiosk by a signed-in
 * officer and returned by docking them. Every holding is a row with a time
 * range (camera_holders), so a recording offloaded later is attributed to
 * whoever held the camera when it started (a database trigger; else the
 * camera's assignee). Every check-out, return and pool change is
 * audit-logged.
 *
 * Blocking and thread-safe (database): call from worker threads.
 */
#pragma once

#include <gio/gio.h>

#include "docket-evidence-store.h"
#include "docket-policy.h"

G_BEGIN_DECLS

/* A docked camera the kiosk could hand out, as the caller sees it now. */
typedef struct
{
  const gchar *serial;
  const gchar *slot;
  gint battery_percent; /* -1 unknown */
  gboolean ready_for_shift;
  gint ready_in_seconds; /* -1 unknown */
  gboolean has_alerts;   /* worn or hot battery: never handed out */
} DocketCheckoutCandidate;

typedef struct
{
  gchar *serial;
  gchar *badge;
  gchar *slot; /* where it was taken from; NULL for assignments */
  gint64 from_usec;
  gint64 until_usec; /* 0 while held */
} DocketHolding;

void docket_holding_free (DocketHolding *holding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketHolding, docket_holding_free)

#define DOCKET_TYPE_CHECKOUT (docket_checkout_get_type ())
G_DECLARE_FINAL_TYPE (DocketCheckout, docket_checkout, DOCKET, CHECKOUT, GObject)

DocketCheckout *docket_checkout_new (DocketEvidenceStore *store);

/* IT marks a camera pooled (or personal again). A camera assigned to an
 * officer cannot be pooled. */
gboolean docket_checkout_set_pooled (
    DocketCheckout *self, const gchar *serial, gboolean pooled, const gchar *actor, GError **error);
gboolean docket_checkout_is_pooled (DocketCheckout *self,
                                    const gchar *serial,
                                    gboolean *out_pooled,
                                    GError **error);

/* Hands @badge the readiest pooled camera among @candidates
 * (DocketCheckoutCandidate, borrowed): ready for shift, at least the
 * policy's check-out level, no battery alerts, not already held; the
 * highest charge wins. Refuses (DOCKET_SESSION_ERROR_INVALID, the reason in
 * plain words) when @badge already holds a camera and the policy allows one
 * per officer, or when no pooled camera is ready (saying how long the best
 * one needs). @policy may be NULL (defaults: 80 %, one per officer). */
gboolean docket_checkout_check_out (DocketCheckout *self,
                                    const gchar *badge,
                                    GPtrArray *candidates,
                                    DocketPolicy *policy,
                                    gint64 now_usec,
                                    gchar **out_serial,
                                    gchar **out_slot,
                                    GError **error);

/* The camera was docked: ends its holding (if any) at @now_usec. Sets
 * @out_badge (may be NULL) to whoever returned it, or NULL. */
gboolean docket_checkout_returned (
    DocketCheckout *self, const gchar *serial, gint64 now_usec, gchar **out_badge, GError **error);

/* Who holds @serial now: the open check-out, else the assignee, else NULL
 * (no error). */
gchar *docket_checkout_dup_holder (DocketCheckout *self, const gchar *serial, GError **error);
/* Who held @serial at @usec (check-outs only), or NULL (no error). */
gchar *docket_checkout_dup_holder_at (DocketCheckout *self,
                                      const gchar *serial,
                                      gint64 usec,
                                      GError **error);
/* GPtrArray of DocketHolding: open check-outs, newest first. */
GPtrArray *docket_checkout_list_held (DocketCheckout *self, GError **error);

G_END_DECLS
