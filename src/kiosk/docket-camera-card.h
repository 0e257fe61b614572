/* docket-camera-card.h — one docked camera on the overview
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-card-model.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_CAMERA_CARD (docket_camera_card_get_type ())
G_DECLARE_FINAL_TYPE (DocketCameraCard, docket_camera_card, DOCKET, CAMERA_CARD, GtkWidget)

GtkWidget *docket_camera_card_new (void);

DocketDBusCamera *docket_camera_card_get_camera (DocketCameraCard *self);
void docket_camera_card_set_camera (DocketCameraCard *self, DocketDBusCamera *camera);
DocketCardModel *docket_camera_card_get_model (DocketCameraCard *self);

G_END_DECLS
