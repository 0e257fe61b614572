/* docket-session-private.h — DocketSession's state, shared by its two files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docket-session.c keeps the lifecycle (sign-in to sign-out, the idle timer,
 * ownership by one bus name); docket-session-methods.c adapts the Session
 * interface's methods onto the core (tags, review, station status,
 * check-out); docket-session-export.c is Session.Export's.
 *
 * Threads: main thread only, except the fields a method's worker reads
 * (person, config, store, tags, review, retention): those pointers are set once in
 * docket_session_new () and never replaced.
 */
#pragma once

#include <gio/gunixfdlist.h>

#include "docket-dbus-generated.h"
#include "docket-session.h"

G_BEGIN_DECLS

struct _DocketSession
{
  GObject parent_instance;

  /* owned */
  DocketPerson *person;
  gchar *owner;
  gchar *object_path;
  DocketEvidenceStore *store;
  DocketStationConfig *config;
  DocketTags *tags;
  DocketReview *review;
  DocketDBusSession *skeleton;
  DocketChargeService *charge; /* nullable: no camera check-out here */
  DocketRetention *retention;  /* nullable: set once before export */
  guint watch_id;
  guint idle_id;
  gboolean ended;
};

/* Restarts the idle timer: every method call counts as activity. */
void _docket_session_touch (DocketSession *self);

/* Session.Export's worker (docket-session-export.c), for the method table. */
GVariant *_docket_session_work_export (DocketSession *self,
                                       GVariant *params,
                                       GUnixFDList **fds,
                                       GError **error);

G_END_DECLS
