/* docket-sim-private.h — between the camera model, its USB glue and the testbed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <umockdev.h>

#include "docket-sim-camera.h"

G_BEGIN_DECLS

typedef enum
{
  DOCKET_SIM_EVENT_NONE,
  DOCKET_SIM_EVENT_UNPLUG, /* the cable came out (a fault) */
  DOCKET_SIM_EVENT_REBOOT, /* the camera restarts: gone, then back with its new firmware */
} DocketSimEvent;

/* Runs on umockdev's ioctl thread. @data holds wLength bytes (OUT data, or
 * room for the IN reply). Returns the reply length, -EPIPE to stall,
 * -ESHUTDOWN when the camera goes away during it, or -EAGAIN while the
 * camera does not answer. *out_event: what happens to the device after
 * this transfer. */
gint docket_sim_camera_handle_control (DocketSimCamera *self,
                                       const guint8 setup[8],
                                       guint8 *data,
                                       DocketSimEvent *out_event);

/* Bulk IN: bytes written, -EAGAIN when nothing is ready (or the link
 * model says the transfer, submitted at @submitted_us on the monotonic
 * clock, is not through yet), -EPIPE when halted. Sets *out_unplug when an
 * unplug fault fires during this transfer. */
gssize docket_sim_camera_handle_bulk_in (
    DocketSimCamera *self, guint8 *buf, gsize len, gint64 submitted_us, gboolean *out_unplug);
void docket_sim_camera_clear_halt (DocketSimCamera *self);

void docket_sim_camera_set_docked (DocketSimCamera *self, gboolean docked);

/* docket-sim-usb.c: the usbfs ioctl handler playing one camera */
typedef struct _DocketSimUsb DocketSimUsb;
typedef void (*DocketSimUnplugFunc) (DocketSimEvent event, gpointer user_data);

DocketSimUsb *
docket_sim_usb_new (DocketSimCamera *camera, DocketSimUnplugFunc unplug_func, gpointer user_data);
void docket_sim_usb_free (DocketSimUsb *usb);
UMockdevIoctlBase *docket_sim_usb_get_handler (DocketSimUsb *usb);
void docket_sim_usb_set_connected (DocketSimUsb *usb, gboolean connected);

G_END_DECLS
