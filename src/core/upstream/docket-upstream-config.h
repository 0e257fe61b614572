/* docket-upstream-config.h — where a kiosk sends its evidence and catalogue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The [upstream] group of station.conf (docs/department.md):
 *
 *   [upstream]
 *   endpoint=https://s3.us-east-1.amazonaws.com   # any S3-compatible store
 *   region=us-east-1
 *   bucket=docket-evidence
 *   catalogue=host=records.example port=5432 dbname=docket user=kiosk
 *   station-id=precinct-7
 *   kiosk-id=kiosk-2
 *   credentials=/etc/docket/upstream.credentials   # root-only, see below
 *   part-size-mb=16              # multipart part size (5..512)
 *   bandwidth-kbps=0             # 0: unlimited
 *   throttle-hours=06:30-07:30;18:30-19:30   # shift change, local time
 *   throttle-kbps=2000           # the limit inside those hours
 *   retry-seconds=30             # first back-off, doubled per failure (max 1 h)
 *   object-lock-days=0           # >0: compliance-mode retention on each object
 *
 * The credentials file (mode 0600 or stricter, owned by root — or by the
 * user docketd runs as) is a GKeyFile:
 *
 *   [credentials]
 *   access-key=...
 *   secret-key=...
 *   catalogue-password=...       # optional
 *
 * Secrets are never taken from the command line, and never logged.
 *
 * Threads: a loaded config is immutable; any thread may read it.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  gint ref_count;
  gchar *endpoint;
  gchar *region;
  gchar *bucket;
  gchar *catalogue; /* libpq connection string, or NULL: no catalogue */
  gchar *station_id;
  gchar *kiosk_id;
  gchar *credentials_path;
  gchar *access_key;
  gchar *secret_key;
  gchar *catalogue_password;
  guint64 part_size;
  gint64 bandwidth_bps;
  gint64 throttle_bps;
  GArray *throttle_windows; /* pairs of minutes since midnight: start, end */
  guint retry_seconds;
  guint object_lock_days;
} DocketUpstreamConfig;

/* NULL without @error when @path has no [upstream] group (or no file):
 * upstream is not configured. */
DocketUpstreamConfig *docket_upstream_config_load (const gchar *path, GError **error);
DocketUpstreamConfig *docket_upstream_config_load_from_data (const gchar *data, GError **error);
DocketUpstreamConfig *docket_upstream_config_ref (DocketUpstreamConfig *config);
void docket_upstream_config_unref (DocketUpstreamConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketUpstreamConfig, docket_upstream_config_unref)

/* The send limit in force at @local (bytes/s, 0 = none). */
gint64 docket_upstream_config_get_limit (DocketUpstreamConfig *config, GDateTime *local);

G_END_DECLS
