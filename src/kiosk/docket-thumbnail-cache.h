/* docket-thumbnail-cache.h — recording thumbnails fetched over D-Bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-dbus-generated.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_THUMBNAIL_CACHE (docket_thumbnail_cache_get_type ())
G_DECLARE_FINAL_TYPE (
    DocketThumbnailCache, docket_thumbnail_cache, DOCKET, THUMBNAIL_CACHE, GObject)

DocketThumbnailCache *docket_thumbnail_cache_new (DocketDBusSession *session);

/* Shows recording @id's thumbnail in @picture as soon as it is here (at once
 * if cached). A recycled @picture asked for another id meanwhile keeps that. */
void docket_thumbnail_cache_show (DocketThumbnailCache *self, gint64 id, GtkPicture *picture);

G_END_DECLS
