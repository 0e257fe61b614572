/* docket-charge-service.h — batteries and check-out for every docked camera
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Main-thread glue between the dock and DocketChargeManager /
 * DocketCheckout. For each docked camera it:
 *  - on its first evaluation after docking, ends its check-out (return by
 *    docking) and publishes Holder / Pooled;
 *  - after every status change (battery, temperature, charging, state)
 *    re-evaluates the battery off the main thread, publishes ReadyForShift,
 *    ReadyInSeconds, BatteryHealthPercent, ChargeNote and Alerts, and sends
 *    the charge mode to DCP 1.1 cameras — never while the camera offloads
 *    (a command would cut the offload's stream);
 *  - on undock, records the charge session (history for IT).
 * A camera neither assigned nor pooled is a spare: held at the policy's
 * storage level. Pooled cameras are charged fully for check-out.
 */
#pragma once

#include <gio/gio.h>

#include "docket-charge-manager.h"
#include "docket-checkout.h"
#include "docket-dock.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_CHARGE_SERVICE (docket_charge_service_get_type ())
G_DECLARE_FINAL_TYPE (DocketChargeService, docket_charge_service, DOCKET, CHARGE_SERVICE, GObject)

/* Starts watching @dock's cameras (those already docked too). */
DocketChargeService *docket_charge_service_new (DocketDock *dock);

DocketChargeManager *docket_charge_service_get_manager (DocketChargeService *self);
DocketCheckout *docket_charge_service_get_checkout (DocketChargeService *self);
/* Re-evaluates every docked camera (after IT changed the pool). */
void docket_charge_service_refresh (DocketChargeService *self);

/* Checks out the readiest docked pooled camera to @badge (see
 * docket_checkout_check_out()) and publishes its Holder. */
void docket_charge_service_check_out_async (DocketChargeService *self,
                                            const gchar *badge,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);
gboolean docket_charge_service_check_out_finish (DocketChargeService *self,
                                                 GAsyncResult *result,
                                                 gchar **out_serial,
                                                 gchar **out_slot,
                                                 GError **error);

G_END_DECLS
