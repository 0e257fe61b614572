/* kiosk-station.h — a real station for the kiosk's end-to-end tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docketd under docket-sim (simulated USB cameras on umockdev), and
 * docketctl for what IT does at the command line (enrolment, the audit log).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GPid pid;
  gint in; /* docket-sim's stdin: add, dock, undock, quit… */
  gchar *state_dir;
} KioskStation;

/* Starts docket-sim with @n_cameras docked cameras of @n_recordings each,
 * running `docketd --session` on DOCKET_STATE_DIR=@state_dir. FALSE when
 * docket-sim is not built. */
gboolean kiosk_station_start (KioskStation *station,
                              const gchar *state_dir,
                              guint n_cameras,
                              guint n_recordings);
/* The same, with more docket-sim options (@sim_args, may be NULL) and, with
 * @out_stdout, a pipe from docket-sim's stdout (its `list` answers). */
gboolean kiosk_station_start_full (KioskStation *station,
                                   const gchar *state_dir,
                                   guint n_cameras,
                                   guint n_recordings,
                                   const gchar *const *sim_args,
                                   gint *out_stdout);
/* A shift's start on kiosk_env.state_dir: the daemon answers, IT has
 * enrolled officer 4711 Dana Scully (PIN 1234), sergeant 2001 Walter
 * Skinner (PIN 5678) and IT 9001 Frohike (PIN 2468), and camera SIM-0001
 * with @n_recordings is assigned to 4711 but not docked yet. FALSE when
 * docket-sim is not built. */
gboolean kiosk_station_start_shift (KioskStation *station, guint n_recordings);
/* kiosk_station_start_shift (), then the kiosk (full screen on a large
 * screen), SIM-0001 docked and offloaded: *@out_kiosk is the kiosk's pid.
 * FALSE, with the test skipped, when docket-sim is not built. */
gboolean kiosk_station_start_docked (KioskStation *station, guint n_recordings, GPid *out_kiosk);
/* Sends one command line ("dock SIM-0001") to docket-sim. */
void kiosk_station_command (KioskStation *station, const gchar *command);
/* "quit", then waits for docket-sim and its daemon to end. */
void kiosk_station_stop (KioskStation *station);
/* Waits until `docketctl --session status` answers. */
void kiosk_station_wait_for_daemon (KioskStation *station);

/* Runs DOCKETCTL with the NULL-terminated arguments, @input on its stdin;
 * its stdout, or NULL with @error when it fails. */
gchar *kiosk_docketctl (KioskStation *station, const gchar *input, GError **error, ...)
    G_GNUC_NULL_TERMINATED;
/* `docketctl officer add` with a PIN. */
void kiosk_station_enrol (KioskStation *station,
                          const gchar *badge,
                          const gchar *name,
                          const gchar *role,
                          const gchar *pin);
/* Assigns a camera to a badge, retrying while docket-sim is still adding it. */
void kiosk_station_assign (KioskStation *station, const gchar *serial, const gchar *badge);
/* `docketctl --json audit list --store`: the whole hash-chained log. */
gchar *kiosk_station_audit_list (KioskStation *station);

/* Sergeant 2001 Walter Skinner signs in on the keypad; waits until the
 * review page greets him. */
void kiosk_station_sign_in_sergeant (GPid kiosk);
/* Presses the review queue's tab @queue ("Needs Review") and waits for
 * @row_text in one of its rows. */
void kiosk_station_open_queue (GPid kiosk, const gchar *queue, const gchar *row_text);

/* After kiosk_station_test_main_screen (): TRUE when DOCKET_TEST_SCREEN
 * asked for a larger display (the kiosk then runs full screen on it). */
gboolean kiosk_station_large_screen (void);
/* The width the kiosk must fit: its window's, or the whole large screen's. */
gint kiosk_station_screen_width (void);
/* A screenshot named @name of the kiosk's window (or "@name-large" of the
 * whole large screen) in DOCKET_ARTIFACTS_DIR. */
void kiosk_station_shot (const gchar *name);

/* main () of an end-to-end test with a real station: the accessibility bus
 * and Xvfb at @geometry, then the one test @func at @path. */
int kiosk_station_test_main (int argc,
                             char **argv,
                             const gchar *name,
                             const gchar *geometry,
                             const gchar *path,
                             GTestFunc func);
/* The same on a 1280x800 screen, or on DOCKET_TEST_SCREEN (e.g. 1920x1080)
 * when it is set. */
int kiosk_station_test_main_screen (
    int argc, char **argv, const gchar *name, const gchar *path, GTestFunc func);

G_END_DECLS
