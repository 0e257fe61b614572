/* docket-media-ask-private.h — what docket-media-check.c asks of docket-media-ask.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "docket-media-ask.h"

G_BEGIN_DECLS

/* Runs one check (@mode) in the media helper: over its socket, or, when
 * that cannot be reached, in the helper program started here. TRUE: it
 * answered (@error set if the file failed the check). FALSE: no helper is
 * set (@error unset: the caller may check in-process), or it could not be
 * asked (@error: why). */
gboolean _docket_media_ask (const gchar *mode,
                            const gchar *path,
                            guint width,
                            guint timeout_ms,
                            gboolean *out_passed,
                            GBytes **out_png,
                            GCancellable *cancellable,
                            GError **error);

/* The parse check in @started (consumed), its deadline counting from now.
 * TRUE: a final answer (@out_passed; @error if the file failed, every
 * helper was busy, or cancelled). FALSE: the helper started ahead cannot
 * check; ask a fresh one within @inout_timeout_ms, set to what is left. */
gboolean _docket_media_ask_started (DocketMediaCheckStarted *started,
                                    const gchar *path,
                                    guint *inout_timeout_ms,
                                    gboolean *out_passed,
                                    GCancellable *cancellable,
                                    GError **error);

/* @error: DOCKET_ERROR_NOT_SUPPORTED, the file not checked because a
 * helper exists but could not be used (@why); the station's fault. */
void _docket_media_set_unavailable (GError **error, const GError *why);

G_END_DECLS
