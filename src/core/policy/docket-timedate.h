/* docket-timedate.h — is the kiosk's own clock trustworthy?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Asks systemd-timedated (org.freedesktop.timedate1, property
 * NTPSynchronized) on the system bus — or on any connection a test hands
 * in. Docket pushes time to cameras only when the answer is "synchronised":
 * a kiosk with a wrong clock would stamp evidence with wrong times. When
 * timedated is absent the answer is "unknown", never a guess.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  DOCKET_CLOCK_SYNC_UNKNOWN,
  DOCKET_CLOCK_SYNC_SYNCHRONISED,
  DOCKET_CLOCK_SYNC_NOT_SYNCHRONISED,
} DocketClockSync;

const gchar *docket_clock_sync_to_string (DocketClockSync sync);

#define DOCKET_TYPE_TIMEDATE (docket_timedate_get_type ())
G_DECLARE_FINAL_TYPE (DocketTimedate, docket_timedate, DOCKET, TIMEDATE, GObject)

/* @connection: NULL for the system bus (connected lazily, on first query). */
DocketTimedate *docket_timedate_new (GDBusConnection *connection);

/* Blocking; for worker threads. @out_message: plain words on why the
 * answer is what it is (always set). */
DocketClockSync
docket_timedate_query_sync (DocketTimedate *self, GCancellable *cancellable, gchar **out_message);

void docket_timedate_query_async (DocketTimedate *self,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
DocketClockSync
docket_timedate_query_finish (DocketTimedate *self, GAsyncResult *result, gchar **out_message);

G_END_DECLS
