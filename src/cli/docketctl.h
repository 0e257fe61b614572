/* docketctl.h — shared bits of the docketctl command-line tool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "docket-dbus-generated.h"
#include "docket-evidence-store.h"

G_BEGIN_DECLS

/* Exit codes: scripts rely on these. */
enum
{
  DOCKETCTL_EXIT_OK = 0,
  DOCKETCTL_EXIT_FAILED = 1,
  DOCKETCTL_EXIT_USAGE = 2,
  DOCKETCTL_EXIT_UNAVAILABLE = 3,
};

typedef struct
{
  GBusType bus_type;
  gboolean json;
} DocketctlOptions;

/* Connects to the daemon; on failure prints a plain-words error and returns NULL. */
DocketDBusManager *docketctl_connect_manager (const DocketctlOptions *options);
/* IT's Admin interface; NULL (said on stderr) when docketd is not there. */
DocketDBusAdmin *docketctl_connect_admin (const DocketctlOptions *options);
/* Says "could not WHAT: why" on stderr; returns DOCKETCTL_EXIT_FAILED. */
int docketctl_report_failure (const gchar *what, GError *error);
GDBusObjectManager *docketctl_connect_cameras (const DocketctlOptions *options);

gboolean docketctl_no_more_args (const gchar *command, int argc, char **argv);
void docketctl_print_json (JsonNode *node, gboolean pretty);
JsonNode *docketctl_variant_to_json (GVariant *value);

int docketctl_status (const DocketctlOptions *options, int argc, char **argv);
int docketctl_cameras (const DocketctlOptions *options, int argc, char **argv);
int docketctl_watch (const DocketctlOptions *options, int argc, char **argv);
int docketctl_officer (const DocketctlOptions *options, int argc, char **argv);
int docketctl_camera (const DocketctlOptions *options, int argc, char **argv);
/* Opens the evidence store at @root (default: the daemon's) directly,
 * never creating one; @check_only: repair nothing (verify). Prints why and
 * returns NULL on failure. */
DocketEvidenceStore *
docketctl_open_store (const DocketctlOptions *options, const gchar *root, gboolean check_only);

int docketctl_audit (const DocketctlOptions *options, int argc, char **argv);
int docketctl_recordings (const DocketctlOptions *options, int argc, char **argv);
int docketctl_policy (const DocketctlOptions *options, int argc, char **argv);
int docketctl_firmware (const DocketctlOptions *options, int argc, char **argv);
int docketctl_export (const DocketctlOptions *options, int argc, char **argv);
int docketctl_verify_export (const DocketctlOptions *options, int argc, char **argv);
int docketctl_retention (const DocketctlOptions *options, int argc, char **argv);
int docketctl_upstream (const DocketctlOptions *options, int argc, char **argv);

G_END_DECLS
