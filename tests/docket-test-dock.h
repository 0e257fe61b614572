/* docket-test-dock.h — what a DocketDock announced and audited, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "docket-dock.h"

G_BEGIN_DECLS

/* Records each "event" of @dock into the returned array as "KIND SERIAL"
 * ("-" for no camera) until the dock is finalized or the handler is
 * disconnected by that array. */
GPtrArray *docket_test_dock_record_events (DocketDock *dock);
guint docket_test_count_events (GPtrArray *events, const gchar *kind, const gchar *serial);
/* Position of the first such event, or -1. */
gint docket_test_event_index (GPtrArray *events, const gchar *kind, const gchar *serial);
/* Audit rows with @action about camera:@serial. */
guint
docket_test_count_audit (DocketEvidenceStore *store, const gchar *action, const gchar *serial);

G_END_DECLS
