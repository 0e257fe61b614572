/* kiosk-xvfb.h — a private Xvfb for the kiosk's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Starts Xvfb on a free display with one screen of @geometry ("1920x1080x24").
 * FALSE (and a message on stderr) when Xvfb is missing or does not start. */
gboolean kiosk_xvfb_start (const gchar *geometry, GPid *pid, gchar **display);
void kiosk_xvfb_stop (GPid *pid);

/* GSpawnChildSetupFunc: the child gets SIGTERM when the test process dies. */
void kiosk_test_child_setup (gpointer user_data);

G_END_DECLS
