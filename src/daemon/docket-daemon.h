/* docket-daemon.h — docketd's service object
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "docket-audit-anchorer.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_DAEMON (docket_daemon_get_type ())
G_DECLARE_FINAL_TYPE (DocketDaemon, docket_daemon, DOCKET, DAEMON, GObject)

typedef struct
{
  GBusType bus_type;
  const gchar *state_dir;     /* evidence store and database live here */
  const gchar *known_cameras; /* table of known camera USB ids */
  const gchar *policy_dir;    /* IT's signed device policy; NULL: none */
  const gchar *firmware_dir;  /* camera firmware images; NULL: <state_dir>/firmware */
} DocketDaemonOptions;

DocketDaemon *docket_daemon_new (const DocketDaemonOptions *options);

/* Connects to the bus, exports the API, starts watching for cameras, and
 * owns the name. ::stopped is emitted when the daemon must exit (name lost). */
gboolean docket_daemon_start (DocketDaemon *self, GError **error);
void docket_daemon_stop (DocketDaemon *self);
/* TRUE if the daemon stopped because it could not keep its bus name. */
gboolean docket_daemon_lost_name (DocketDaemon *self);
/* Signs the audit chain (NULL before a successful start). It outlives
 * docket_daemon_stop () so that main () can sign the last rows at exit. */
DocketAuditAnchorer *docket_daemon_get_anchorer (DocketDaemon *self);

G_END_DECLS
