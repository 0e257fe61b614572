/* docket-station-status.h — the read-only IT view of the station
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "docket-evidence-store.h"
#include "docket-people.h"

G_BEGIN_DECLS

/* a{sv}: version (s), cameras-known (u), recordings (u), store-free-bytes
 * (t), store-total-bytes (t), recent-errors (a(xss): time, camera,
 * problem; the 20 newest quarantined copies). IT and sergeants only; no
 * footage. Blocking. */
GVariant *
docket_station_status_get (DocketEvidenceStore *store, const DocketPerson *person, GError **error);

G_END_DECLS
