/* docket-media-check-private.h — between docket-media-check.c and docket-media-ask.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Runs one check (@mode) in the media helper: over its socket, or, when
 * that cannot be reached, in the helper program started here. TRUE: it
 * answered (@error set if the file failed the check). FALSE: no helper is
 * set (@error unset), or it could not be asked (@error: why); the caller
 * then checks in-process. */
gboolean _docket_media_ask (const gchar *mode,
                            const gchar *path,
                            guint width,
                            guint timeout_ms,
                            gboolean *out_passed,
                            GBytes **out_png,
                            GCancellable *cancellable,
                            GError **error);

G_END_DECLS
