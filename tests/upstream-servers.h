/* upstream-servers.h — real PostgreSQL 15 and S3 (Swift s3api, Ceph RGW) for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs tests/upstream-servers.py ($UPSTREAM_SERVERS) under a temporary
 * folder: a PostgreSQL cluster and a single-replica Swift with s3api, both
 * on 127.0.0.1. Where a package is missing, or when a developer's quick run
 * asks to skip them ($DOCKET_SKIP_UPSTREAM_SERVERS; CI runs them in both
 * builds), the test process exits 77 saying why.
 *
 * upstream_servers_start_rgw() starts Ceph RGW (S3 with Object Lock) the
 * same way, for the tests Swift cannot serve.
 *
 * Threads: main thread of a test.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GPid pid;
  gint stdin_fd;
  gchar *dir;
  gchar *s3_endpoint;
  guint s3_port;
  gchar *access_key;
  gchar *secret_key;
  gchar *pg_conninfo;
  gchar *proxy_conf;
} UpstreamServers;

/* Starts both servers (or exits 77). */
UpstreamServers *upstream_servers_start (void);
/* Starts a throwaway Ceph cluster and its radosgw instead (one monitor, one
 * memstore OSD) and a PostgreSQL cluster for the catalogue, within about 90 s. NULL
 * with @out_skip set to why when it cannot (a package missing, a daemon
 * that failed, the time bound): the caller's cases skip with it. Stop it
 * with upstream_servers_stop(). */
UpstreamServers *upstream_servers_start_rgw (gchar **out_skip);
void upstream_servers_stop (UpstreamServers *servers);

/* Kills / restarts only the S3 proxy (for "server down, then up"). */
void upstream_servers_s3_down (UpstreamServers *servers);
void upstream_servers_s3_up (UpstreamServers *servers);

/* A loopback relay to the S3 server that flips one byte of the first
 * request body that reaches @flip_at bytes. Returns its port. */
guint
upstream_servers_start_tamper_relay (UpstreamServers *servers, guint64 flip_at, GPid *out_pid);

/* Writes a station.conf [upstream] group and a 0600 credentials file under
 * @dir for @servers; @secret NULL: the right one. Returns station.conf's path. */
gchar *upstream_servers_write_config (UpstreamServers *servers,
                                      const gchar *dir,
                                      const gchar *endpoint,
                                      const gchar *station,
                                      const gchar *kiosk,
                                      const gchar *secret,
                                      const gchar *extra);

G_END_DECLS
