/* docket-client.h — a D-Bus client of docketd for the kiosk and docketctl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Watches the io.github.docket.Docket1 name, follows the daemon across
 * restarts and mirrors its docked cameras as a GListModel of
 * DocketDBusCamera proxies. Everything happens on the thread-default main
 * context of the thread that created the client; nothing here blocks.
 */
#pragma once

#include <gio/gio.h>

#include "docket-dbus-generated.h"

G_BEGIN_DECLS

/**
 * DocketClientState:
 * @DOCKET_CLIENT_STATE_CONNECTING: the daemon is there; its objects are being loaded
 * @DOCKET_CLIENT_STATE_CONNECTED: manager and cameras are loaded and kept in sync
 * @DOCKET_CLIENT_STATE_UNAVAILABLE: no daemon on the bus (or no bus); waiting for it
 */
typedef enum
{
  DOCKET_CLIENT_STATE_CONNECTING,
  DOCKET_CLIENT_STATE_CONNECTED,
  DOCKET_CLIENT_STATE_UNAVAILABLE,
} DocketClientState;

const gchar *docket_client_state_to_string (DocketClientState state);

#define DOCKET_TYPE_CLIENT (docket_client_get_type ())
G_DECLARE_FINAL_TYPE (DocketClient, docket_client, DOCKET, CLIENT, GObject)

DocketClient *docket_client_new (GBusType bus_type);

GBusType docket_client_get_bus_type (DocketClient *self);
DocketClientState docket_client_get_state (DocketClient *self);
/* NULL unless the state is CONNECTED. */
DocketDBusManager *docket_client_get_manager (DocketClient *self);
/* Always the same model; items are DocketDBusCamera, sorted by dock slot. */
GListModel *docket_client_get_cameras (DocketClient *self);

/* People.SignIn, then a proxy for the new Session. Errors carry the daemon's
 * plain-words message (wrong PIN, locked out), fit to show as they are. */
void docket_client_sign_in_async (DocketClient *self,
                                  const gchar *badge,
                                  const gchar *pin,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
DocketDBusSession *
docket_client_sign_in_finish (DocketClient *self, GAsyncResult *result, GError **error);

G_END_DECLS
