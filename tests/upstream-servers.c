/* upstream-servers.c — real PostgreSQL 15 and S3 (Swift s3api, Ceph RGW) for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "upstream-servers.h"

static GPid downed_proxy;
/* A proxy started by upstream_servers_s3_up(): ours to stop, not the script's. */
static GPid restarted_proxy;

static const gchar *
script (void)
{
  const gchar *path = g_getenv ("UPSTREAM_SERVERS");

  if (path == NULL)
    {
      g_printerr ("SKIP: $UPSTREAM_SERVERS does not name tests/upstream-servers.py\n");
      exit (77);
    }
  return path;
}

/* Reads "KEY=VALUE" lines until READY. */
static GHashTable *
read_until_ready (gint fd, const gchar *what)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  FILE *in = fdopen (fd, "r");
  gchar line[4096];

  while (fgets (line, sizeof line, in) != NULL)
    {
      gchar *eq;

      g_strchomp (line);
      if (g_str_equal (line, "READY"))
        {
          fclose (in);
          return values;
        }
      if (g_str_has_prefix (line, "SKIP: "))
        {
          g_printerr ("%s\n", line);
          exit (77);
        }
      eq = strchr (line, '=');
      if (eq != NULL)
        {
          *eq = '\0';
          g_hash_table_replace (values, g_strdup (line), g_strdup (eq + 1));
        }
      else
        g_printerr ("%s: %s\n", what, line);
    }
  fclose (in);
  g_error ("%s did not start (see the lines above)", what);
}

UpstreamServers *
upstream_servers_start (void)
{
  UpstreamServers *s = g_new0 (UpstreamServers, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) values = NULL;
  gint stdout_fd;
  const gchar *skip = g_getenv ("DOCKET_SKIP_UPSTREAM_SERVERS");

  if (skip != NULL && *skip != '\0')
    {
      g_printerr ("SKIP: %s\n", skip);
      exit (77);
    }
  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("SKIP: Debian's python3 is not installed (Swift needs it)\n");
      exit (77);
    }
  s->dir = g_dir_make_tmp ("docket-upstream-XXXXXX", &error);
  g_assert_no_error (error);
  /* The servers run as "nobody" when we are root: let them in. */
  g_chmod (s->dir, 0755);
  {
    const gchar *argv[] = { "/usr/bin/python3", script (), s->dir, NULL };

    g_spawn_async_with_pipes (NULL, (gchar **)argv, NULL,
                              G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &s->pid,
                              &s->stdin_fd, &stdout_fd, NULL, &error);
    g_assert_no_error (error);
  }
  /* Children that keep descriptors (GTestDBus's watcher) must not hold the
   * pipe whose end tells the script to stop. */
  fcntl (s->stdin_fd, F_SETFD, FD_CLOEXEC);
  values = read_until_ready (stdout_fd, "upstream-servers.py");
  s->s3_endpoint = g_strdup (g_hash_table_lookup (values, "UPSTREAM_S3_ENDPOINT"));
  s->s3_port = atoi (g_hash_table_lookup (values, "UPSTREAM_S3_PORT"));
  s->access_key = g_strdup (g_hash_table_lookup (values, "UPSTREAM_S3_ACCESS_KEY"));
  s->secret_key = g_strdup (g_hash_table_lookup (values, "UPSTREAM_S3_SECRET_KEY"));
  s->pg_conninfo = g_strdup (g_hash_table_lookup (values, "UPSTREAM_PG"));
  s->proxy_conf = g_strdup (g_hash_table_lookup (values, "UPSTREAM_SWIFT_PROXY_CONF"));
  g_test_message ("servers up in %s s",
                  (const gchar *)g_hash_table_lookup (values, "UPSTREAM_START_SECONDS"));
  return s;
}

/* Reads "KEY=VALUE" lines until READY, for at most @timeout_sec. NULL with
 * @out_skip set on "SKIP: …", end of file or time out. */
static GHashTable *
read_until_ready_bounded (gint fd, gint timeout_sec, gchar **out_skip)
{
  g_autoptr (GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GString) pending = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_sec * G_USEC_PER_SEC;

  for (;;)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      gchar buf[4096];
      gchar *nl;
      gssize n;

      if (left_ms <= 0 || poll (&pfd, 1, (gint)left_ms) == 0)
        {
          *out_skip = g_strdup_printf ("Ceph RGW did not start within %d s", timeout_sec);
          return NULL;
        }
      n = read (fd, buf, sizeof buf);
      if (n <= 0)
        {
          *out_skip = g_strdup ("Ceph RGW's starter ended without a word");
          return NULL;
        }
      g_string_append_len (pending, buf, n);
      while ((nl = strchr (pending->str, '\n')) != NULL)
        {
          g_autofree gchar *line = g_strndup (pending->str, nl - pending->str);
          gchar *eq;

          g_string_erase (pending, 0, nl - pending->str + 1);
          if (g_str_equal (line, "READY"))
            return g_steal_pointer (&values);
          if (g_str_has_prefix (line, "SKIP: "))
            {
              *out_skip = g_strdup (line + strlen ("SKIP: "));
              return NULL;
            }
          eq = strchr (line, '=');
          if (eq == NULL)
            continue;
          *eq = '\0';
          g_hash_table_replace (values, g_strdup (line), g_strdup (eq + 1));
        }
    }
}

UpstreamServers *
upstream_servers_start_rgw (gchar **out_skip)
{
  g_autofree UpstreamServers *s = g_new0 (UpstreamServers, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) values = NULL;
  const gchar *skip = g_getenv ("DOCKET_SKIP_UPSTREAM_SERVERS");
  const gchar *path = g_getenv ("UPSTREAM_SERVERS");
  gint stdout_fd;

  *out_skip = NULL;
  if (skip != NULL && *skip != '\0')
    {
      *out_skip = g_strdup (skip);
      return NULL;
    }
  if (path == NULL || !g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      *out_skip = g_strdup ("$UPSTREAM_SERVERS or python3 is missing");
      return NULL;
    }
  s->dir = g_dir_make_tmp ("docket-rgw-XXXXXX", &error);
  g_assert_no_error (error);
  {
    const gchar *argv[] = { "/usr/bin/python3", path, "rgw", s->dir, NULL };

    g_spawn_async_with_pipes (NULL, (gchar **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                              &s->pid, &s->stdin_fd, &stdout_fd, NULL, &error);
    g_assert_no_error (error);
  }
  fcntl (s->stdin_fd, F_SETFD, FD_CLOEXEC);
  /* The script bounds itself at 90 s; this bounds the script. */
  values = read_until_ready_bounded (stdout_fd, 120, out_skip);
  close (stdout_fd);
  if (values == NULL)
    {
      upstream_servers_stop (g_steal_pointer (&s));
      return NULL;
    }
  s->s3_endpoint = g_strdup (g_hash_table_lookup (values, "UPSTREAM_S3_ENDPOINT"));
  s->s3_port = atoi (g_hash_table_lookup (values, "UPSTREAM_S3_PORT"));
  s->access_key = g_strdup (g_hash_table_lookup (values, "UPSTREAM_S3_ACCESS_KEY"));
  s->secret_key = g_strdup (g_hash_table_lookup (values, "UPSTREAM_S3_SECRET_KEY"));
  s->pg_conninfo = g_strdup (g_hash_table_lookup (values, "UPSTREAM_PG"));
  g_test_message ("Ceph RGW up in %s s",
                  (const gchar *)g_hash_table_lookup (values, "UPSTREAM_START_SECONDS"));
  return g_steal_pointer (&s);
}

static void
rm_rf (const gchar *path)
{
  const gchar *argv[] = { "rm", "-rf", path, NULL };

  g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                NULL);
}

void
upstream_servers_stop (UpstreamServers *s)
{
  gint status;

  if (s == NULL)
    return;
  if (restarted_proxy != 0)
    {
      kill (restarted_proxy, SIGTERM);
      waitpid (restarted_proxy, &status, 0);
      restarted_proxy = 0;
    }
  close (s->stdin_fd);
  /* SIGTERM too: the script stops its servers on either. */
  kill (s->pid, SIGTERM);
  waitpid (s->pid, &status, 0);
  g_spawn_close_pid (s->pid);
  rm_rf (s->dir);
  g_free (s->dir);
  g_free (s->s3_endpoint);
  g_free (s->access_key);
  g_free (s->secret_key);
  g_free (s->pg_conninfo);
  g_free (s->proxy_conf);
  g_free (s);
}

void
upstream_servers_s3_down (UpstreamServers *s)
{
  /* The proxy is the python process listening on s3_port; the script
   * restarts nothing, so find it by its config file in /proc. */
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  const gchar *name;

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree gchar *cmdline_path = g_build_filename ("/proc", name, "cmdline", NULL);
      g_autofree gchar *cmdline = NULL;
      gsize len;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (cmdline_path, &cmdline, &len, NULL))
        continue;
      for (gsize i = 0; i + 1 < len; i++)
        if (cmdline[i] == '\0')
          cmdline[i] = ' ';
      if (strstr (cmdline, "swift-server") != NULL && strstr (cmdline, s->proxy_conf) != NULL)
        {
          kill (atoi (name), SIGKILL);
          downed_proxy = atoi (name);
        }
    }
  g_assert_cmpint (downed_proxy, >, 0);
  /* Until the port refuses connections. */
  for (gint i = 0; i < 200; i++)
    {
      g_autofree gchar *cmd = g_strdup_printf ("kill -0 %d", downed_proxy);
      if (system (cmd) != 0)
        break;
      g_usleep (20000);
    }
}

void
upstream_servers_s3_up (UpstreamServers *s)
{
  const gchar *argv[]
      = { "/usr/bin/python3", script (), "swift-server", s->proxy_conf, "proxy", NULL };
  g_autoptr (GError) error = NULL;
  GPid pid;

  if (downed_proxy == 0)
    return;
  downed_proxy = 0;
  if (restarted_proxy != 0)
    {
      kill (restarted_proxy, SIGKILL);
      waitpid (restarted_proxy, NULL, 0);
    }
  g_spawn_async (NULL, (gchar **)argv, NULL,
                 G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                     | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, &pid, &error);
  restarted_proxy = pid;
  g_assert_no_error (error);
  for (gint i = 0; i < 600; i++)
    {
      g_autoptr (GSocketClient) client = g_socket_client_new ();
      g_autoptr (GSocketConnection) conn
          = g_socket_client_connect_to_host (client, "127.0.0.1", s->s3_port, NULL, NULL);

      if (conn != NULL)
        return;
      g_usleep (50000);
    }
  g_error ("the S3 proxy did not come back");
}

guint
upstream_servers_start_tamper_relay (UpstreamServers *s, guint64 flip_at, GPid *out_pid)
{
  g_autoptr (GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *port_s = NULL;
  g_autofree gchar *target_s = g_strdup_printf ("%u", s->s3_port);
  g_autofree gchar *flip_s = g_strdup_printf ("%" G_GUINT64_FORMAT, flip_at);
  gint stdout_fd;
  guint port;

  g_socket_bind (probe, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (probe, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (probe, NULL);
  port_s = g_strdup_printf ("%u", port);
  {
    const gchar *argv[]
        = { "/usr/bin/python3", script (), "relay", port_s, target_s, flip_s, NULL };

    g_spawn_async_with_pipes (NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out_pid,
                              NULL, &stdout_fd, NULL, &error);
    g_assert_no_error (error);
  }
  g_hash_table_unref (read_until_ready (stdout_fd, "relay"));
  return port;
}

gchar *
upstream_servers_write_config (UpstreamServers *s,
                               const gchar *dir,
                               const gchar *endpoint,
                               const gchar *station,
                               const gchar *kiosk,
                               const gchar *secret,
                               const gchar *extra)
{
  g_autofree gchar *cred_path = g_build_filename (dir, "upstream.credentials", NULL);
  g_autofree gchar *creds
      = g_strdup_printf ("[credentials]\naccess-key=%s\nsecret-key=%s\n", s->access_key,
                         secret != NULL ? secret : s->secret_key);
  gchar *conf_path = g_build_filename (dir, "station.conf", NULL);
  /* @extra may name another bucket. */
  g_autofree gchar *catalogue
      = s->pg_conninfo != NULL ? g_strdup_printf ("catalogue=%s\n", s->pg_conninfo) : g_strdup ("");
  const gchar *bucket
      = extra != NULL && strstr (extra, "bucket=") != NULL ? "" : "bucket=evidence\n";
  g_autofree gchar *conf
      = g_strdup_printf ("[upstream]\nendpoint=%s\n%s%sstation-id=%s\nkiosk-id=%s\n"
                         "credentials=%s\npart-size-mb=5\nretry-seconds=1\n%s",
                         endpoint != NULL ? endpoint : s->s3_endpoint, bucket, catalogue, station,
                         kiosk, cred_path, extra != NULL ? extra : "");
  g_autoptr (GError) error = NULL;

  g_file_set_contents (cred_path, creds, -1, &error);
  g_assert_no_error (error);
  g_chmod (cred_path, 0600);
  g_file_set_contents (conf_path, conf, -1, &error);
  g_assert_no_error (error);
  return conf_path;
}
