/* docket-media-ask.h — which media helper checks camera files, and one started ahead
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checks themselves are in docket-media-check.h, which includes this.
 * Thread-safe.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Parse, decode and thumbnail camera files in a helper process
 * (docket-media-helper, see docket-media-spawn.h) instead of in this one:
 * the file is untrusted, the decoder's memory leaves with the helper, and
 * a hung decoder can be killed. NULL: in-process (tests, tools). A helper
 * that cannot be used leaves the file unchecked (DOCKET_ERROR_NOT_SUPPORTED). Thread-safe.
 * Also forgets the socket. */
void docket_media_set_helper (const gchar *path);
/* The same helper, asked over its socket (docket-media.socket, see
 * docket-media-socket.h) instead of started here; the helper set with
 * docket_media_set_helper() (called first) is started when the socket
 * cannot be reached. NULL: no socket. */
void docket_media_set_helper_socket (const gchar *socket_path);
/* Caps the time any one helper run may take (0: no cap beyond each check's
 * own). Thread-safe. */
void docket_media_set_max_timeout (guint timeout_ms);
/* The former name of docket_media_set_helper(). */
void docket_media_set_thumbnail_helper (const gchar *path);

/* The parse check with its helper started ahead, when the copy starts, so
 * that the helper's start-up and plugin loading overlap the copy: start,
 * then hand over the finished file. NULL: no helper could be started
 * ahead (the check then starts one itself). Freeing an
 * unused one (cancel, undock) stops its helper; it is one of those
 * docket_media_spawn_kill_all() kills. */
typedef struct _DocketMediaCheckStarted DocketMediaCheckStarted;

DocketMediaCheckStarted *docket_media_check_parse_start (guint timeout_ms);
void docket_media_check_started_free (DocketMediaCheckStarted *started);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketMediaCheckStarted, docket_media_check_started_free)

G_END_DECLS
