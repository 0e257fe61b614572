/* bench-upstream.c — upload throughput and catalogue sync against real servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the same loopback Swift (s3api) and PostgreSQL 15 as the upstream
 * tests (tests/upstream-servers.py; DOCKET_BENCH_UPSTREAM_SWIFT_WORKERS=auto
 * runs Swift's proxy and object servers one process per core, as Swift's
 * sample configuration has them, instead of one each;
 * DOCKET_BENCH_UPSTREAM_SWIFT_CACHE=0 runs the proxy without its memcached,
 * which a deployed Swift has), then:
 *
 *  1. Uploads recordings through the engine (multipart above the part
 *     size, DOCKET_BENCH_UPSTREAM_PART_MB MiB, default 64 as the engine's;
 *     one PUT up to it, signed with the recording's SHA-256; Content-MD5
 *     on every request; HEAD confirmation, SQLite queue), and the same files with `curl -T` to the
 *     same proxy in the same run (`curl --aws-sigv4 -T`, one PUT per file,
 *     unsigned payload). Twice: DOCKET_BENCH_UPSTREAM_FILES recordings of
 *     DOCKET_BENCH_UPSTREAM_MB MiB (default 4 × 64: one PUT each), then
 *     DOCKET_BENCH_UPSTREAM_LARGE_FILES of DOCKET_BENCH_UPSTREAM_LARGE_MB
 *     (default 2 × 256: multipart). Each in DOCKET_BENCH_UPSTREAM_ROUNDS
 *     rounds (default 3) on fresh files; the median ratio is the figure.
 *     Goal: engine ≥ 0.8 × curl. Also prints the CPU time the Swift
 *     servers (and the proxy alone) and each client spent: the machine is
 *     shared, and those figures are far steadier than the times.
 *  2. Syncs DOCKET_BENCH_RECORDINGS (default 100,000) recordings, each with a
 *     tag and an audit row, into an empty catalogue; then again with nothing
 *     new (the empty sync, the baseline), then a full replay (cursors lost).
 *
 * Not a pass/fail test: prints the numbers.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "docket-catalogue.h"
#include "docket-evidence-store.h"
#include "docket-sha256.h"
#include "docket-upstream-private.h"
#include "docket-upstream-state.h"
#include "docket-upstream.h"
#include "upstream-servers.h"

static guint
env_uint (const gchar *name, guint fallback)
{
  const gchar *value = g_getenv (name);

  return value != NULL ? (guint)g_ascii_strtoull (value, NULL, 10) : fallback;
}

static DocketEvidenceStore *
open_store (const gchar *dir)
{
  g_autoptr (GError) error = NULL;
  DocketEvidenceStore *store = docket_evidence_store_open (dir, &error);
  DocketCameraIdentity identity = { 0 };

  g_assert_no_error (error);
  docket_evidence_store_set_reserve_bytes (store, 0);
  identity.serial = g_strdup ("CAM-1");
  g_assert_true (docket_evidence_store_enrol_camera (store, &identity, NULL, &error));
  docket_camera_identity_clear (&identity);
  return store;
}

static gchar *
add_file (DocketEvidenceStore *store, guint id, gsize size, gchar **out_copy, const gchar *work)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketStoredRecording) rec = docket_stored_recording_new ();
  g_autofree gchar *staging = docket_evidence_store_get_staging_path (store, "CAM-1", id);
  g_autofree guint32 *data = g_new (guint32, size / 4 + 1);
  guint8 digest[DOCKET_SHA256_LEN];

  for (gsize i = 0; i < size / 4 + 1; i++)
    data[i] = g_random_int ();
  g_file_set_contents (staging, (const gchar *)data, size, &error);
  g_assert_no_error (error);
  *out_copy = g_strdup_printf ("%s/curl-%u.bin", work, id);
  g_file_set_contents (*out_copy, (const gchar *)data, size, &error);
  g_assert_no_error (error);
  g_assert_true (docket_sha256_file (staging, G_MAXUINT64, digest, NULL, &error));
  rec->camera_serial = g_strdup ("CAM-1");
  rec->camera_recording_id = id;
  rec->size = size;
  rec->sha256 = docket_sha256_to_hex (digest);
  rec->camera_sha256 = g_strdup (rec->sha256);
  rec->signature_status = g_strdup (DOCKET_SIGNATURE_STATUS_VALID);
  g_assert_true (docket_evidence_store_commit (store, staging, NULL, rec, "bench", &error));
  return g_strdup (rec->sha256);
}

/* curl's command line splits --user at the first colon, and Swift's access
 * keys are "account:user": the key goes percent-encoded in the URL instead. */
static gchar *
curl_url (UpstreamServers *servers, const gchar *path)
{
  g_autofree gchar *user = g_uri_escape_string (servers->access_key, NULL, FALSE);
  const gchar *hostport = servers->s3_endpoint + strlen ("http://");

  return g_strdup_printf ("http://%s:%s@%s/%s", user, servers->secret_key, hostport, path);
}

static void
curl (const gchar *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  gint status = 0;

  for (const gchar *const *a
       = (const gchar *const[]){ "curl", "-sS", "-f", "-o", "/dev/null", "--aws-sigv4",
                                 "aws:amz:us-east-1:s3", "-H",
                                 "x-amz-content-sha256: UNSIGNED-PAYLOAD", NULL };
       *a != NULL; a++)
    g_ptr_array_add (argv, (gpointer)*a);
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (gpointer)*args);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (gchar **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* CPU seconds (user + system) of this process's threads, or of its
 * children that were waited for (curl). */
static gdouble
own_cpu_seconds (gint who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec
         + usage.ru_stime.tv_usec / 1e6;
}

/* CPU seconds (user + system) the Swift processes of @servers have used. */
static gdouble
swift_cpu_seconds (UpstreamServers *servers, gdouble *proxy)
{
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  const gchar *name;
  gdouble total = 0;

  *proxy = 0;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree gchar *cmdline_path = g_build_filename ("/proc", name, "cmdline", NULL);
      g_autofree gchar *stat_path = g_build_filename ("/proc", name, "stat", NULL);
      g_autofree gchar *cmdline = NULL;
      g_autofree gchar *stat = NULL;
      g_auto (GStrv) fields = NULL;
      gsize len = 0;
      gchar *end;

      if (!g_ascii_isdigit (*name) || !g_file_get_contents (cmdline_path, &cmdline, &len, NULL)
          || !g_file_get_contents (stat_path, &stat, NULL, NULL))
        continue;
      for (gsize i = 0; i + 1 < len; i++)
        if (cmdline[i] == '\0')
          cmdline[i] = ' ';
      /* Swift's servers run with their configuration under servers->dir. */
      if (strstr (cmdline, "swift") == NULL || strstr (cmdline, servers->dir) == NULL
          || (end = strrchr (stat, ')')) == NULL)
        continue;
      fields = g_strsplit (end + 2, " ", 14);
      if (g_strv_length (fields) >= 14)
        {
          gdouble cpu = (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
                        / sysconf (_SC_CLK_TCK);

          total += cpu;
          if (strstr (cmdline, "proxy.conf") != NULL)
            *proxy += cpu;
        }
    }
  return total;
}

static gdouble
bench_upload (
    UpstreamServers *servers, const gchar *work, const gchar *name, guint files, gsize mib)
{
  gsize size = mib * 1024 * 1024;
  guint part_mb = env_uint ("DOCKET_BENCH_UPSTREAM_PART_MB", 64);
  g_autofree gchar *part_line = g_strdup_printf ("part-size-mb=%u\n", part_mb);
  g_autofree gchar *dir = g_build_filename (work, name, NULL);
  g_autofree gchar *curl_bucket = g_strdup_printf ("bench-curl-%s", name);
  g_autoptr (DocketEvidenceStore) store = NULL;
  g_autoptr (GPtrArray) copies = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar *conf = NULL;
  g_autoptr (DocketUpstreamConfig) config = NULL;
  g_autoptr (DocketUpstream) up = NULL;
  g_autoptr (GError) error = NULL;
  gdouble engine_s, curl_s, engine_cpu, curl_cpu, mb = (gdouble)files * size / 1e6;
  gdouble proxy0 = 0, proxy1 = 0, engine_proxy, curl_proxy, engine_self, curl_self;
  gint64 t0;
  gboolean done = TRUE;

  g_mkdir_with_parents (dir, 0700);
  {
    g_autofree gchar *root = g_build_filename (dir, "store", NULL);

    store = open_store (root);
  }
  for (guint i = 1; i <= files; i++)
    {
      gchar *copy = NULL;

      g_free (add_file (store, i, size, &copy, dir));
      g_ptr_array_add (copies, copy);
    }
  conf = upstream_servers_write_config (servers, dir, NULL, "bench", "kiosk-1", NULL, part_line);
  config = docket_upstream_config_load (conf, &error);
  g_assert_no_error (error);
  up = docket_upstream_new (store, config, &error);
  g_assert_no_error (error);

  /* The bucket check and the Object Lock probe happen once per docketd,
   * not per upload: outside the timing, like curl's bucket creation. */
  g_assert_true (_docket_upstream_ensure_clients (up, &error));
  g_assert_no_error (error);
  engine_cpu = swift_cpu_seconds (servers, &proxy0);
  engine_self = own_cpu_seconds (RUSAGE_SELF);
  t0 = g_get_monotonic_time ();
  g_assert_true (docket_upstream_enqueue (up, NULL, &error));
  while (done)
    {
      g_assert_true (docket_upstream_upload_next (up, &done, NULL, &error));
      g_assert_no_error (error);
    }
  engine_s = (g_get_monotonic_time () - t0) / 1e6;
  engine_cpu = swift_cpu_seconds (servers, &proxy1) - engine_cpu;
  engine_self = own_cpu_seconds (RUSAGE_SELF) - engine_self;
  engine_proxy = proxy1 - proxy0;

  {
    g_autofree gchar *bucket = curl_url (servers, curl_bucket);
    const gchar *args[] = { "-X", "PUT", bucket, NULL };

    curl (args);
  }
  curl_cpu = swift_cpu_seconds (servers, &proxy0);
  curl_self = own_cpu_seconds (RUSAGE_CHILDREN);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < copies->len; i++)
    {
      g_autofree gchar *path = g_strdup_printf ("%s/f%u", curl_bucket, i);
      g_autofree gchar *url = curl_url (servers, path);
      const gchar *args[] = { "-T", g_ptr_array_index (copies, i), url, NULL };

      curl (args);
    }
  curl_s = (g_get_monotonic_time () - t0) / 1e6;
  curl_cpu = swift_cpu_seconds (servers, &proxy1) - curl_cpu;
  curl_self = own_cpu_seconds (RUSAGE_CHILDREN) - curl_self;
  curl_proxy = proxy1 - proxy0;

  g_print ("upload: %u × %zu MiB\n", files, mib);
  g_print ("  docket upstream  %7.2f s  %7.1f MB/s  Swift CPU %5.2f s (proxy %4.2f)  "
           "client CPU %4.2f s (%s, %u MiB parts, checksums, HEAD, queue)\n",
           engine_s, mb / engine_s, engine_cpu, engine_proxy, engine_self,
           size > (gsize)part_mb * 1024 * 1024 ? "multipart" : "one PUT each", part_mb);
  g_print ("  curl -T          %7.2f s  %7.1f MB/s  Swift CPU %5.2f s (proxy %4.2f)  "
           "client CPU %4.2f s (one SigV4 PUT per file, unsigned payload)\n",
           curl_s, mb / curl_s, curl_cpu, curl_proxy, curl_self);
  g_print ("  ratio            %7.2f ×\n", curl_s / engine_s);
  {
    g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    if (system (cmd) != 0)
      g_warning ("Could not remove %s", dir);
  }
  return curl_s / engine_s;
}

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;

  return (x > y) - (x < y);
}

/* Rounds of the engine then curl, each on fresh files: on a shared machine
 * one pair says little, the median of several says more. */
static void
bench_upload_rounds (
    UpstreamServers *servers, const gchar *work, const gchar *name, guint files, gsize mib)
{
  guint rounds = MAX (env_uint ("DOCKET_BENCH_UPSTREAM_ROUNDS", 3), 1);
  g_autoptr (GArray) ratios = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GString) line = g_string_new (NULL);

  for (guint r = 1; r <= rounds; r++)
    {
      g_autofree gchar *round_name = g_strdup_printf ("%s-%u", name, r);
      gdouble ratio = bench_upload (servers, work, round_name, files, mib);

      g_array_append_val (ratios, ratio);
      g_string_append_printf (line, "%s%.2f", r > 1 ? ", " : "", ratio);
    }
  g_array_sort (ratios, compare_doubles);
  g_print ("upload: %u × %zu MiB, %u rounds: ratios %s; median %.2f × (goal ≥ 0.8)\n", files, mib,
           rounds, line->str, g_array_index (ratios, gdouble, rounds / 2));
}

/* Rows straight into SQLite: 100,000 committed files would measure the
 * disk, not the catalogue. */
static void
fill (DocketEvidenceStore *store, guint n)
{
  DocketDatabase *db = docket_evidence_store_get_database (store);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = g_strdup_printf (
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u)"
      " INSERT INTO recordings (camera_id, camera_recording_id, name, officer, start_usec, "
      "duration_ms,"
      " size, sha256, camera_sha256, signature_status, state, committed_usec)"
      " SELECT 1, i, 'clip-' || i || '.mp4', 'b' || (i %% 40), 1700000000000000 + i * 1000000, "
      "600000,"
      " 1000000000, printf('%%064x', i), printf('%%064x', i), 'valid', 'verified',"
      " 1700000000000000 + i * 1000000 FROM n;"
      "INSERT INTO tags (recording_id, category, case_number, tagged_by, tagged_usec)"
      " SELECT id, 'traffic', '26-' || id, officer, committed_usec FROM recordings;"
      "INSERT INTO audit_log (time_usec, actor, action, subject, reason, details, prev_hash, hash)"
      " SELECT committed_usec, 'docketd', 'recording-committed', 'recording:' || sha256, '',"
      " '@a{sv} {}', sha256, sha256 FROM recordings;",
      n);

  g_assert_true (docket_database_begin (db, &error));
  g_assert_true (docket_database_exec (db, sql, &error));
  g_assert_no_error (error);
  g_assert_true (docket_database_commit (db, &error));
}

static gdouble
timed_sync (DocketCatalogue *cat, DocketDatabase *db, guint64 *rows)
{
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  g_assert_true (docket_catalogue_sync (cat, db, rows, NULL, &error));
  g_assert_no_error (error);
  return (g_get_monotonic_time () - t0) / 1e3;
}

static void
bench_catalogue (UpstreamServers *servers, const gchar *work)
{
  guint n = env_uint ("DOCKET_BENCH_RECORDINGS", 100000);
  g_autofree gchar *dir = g_build_filename (work, "catalogue-store", NULL);
  g_autoptr (DocketEvidenceStore) store = open_store (dir);
  DocketDatabase *db = docket_evidence_store_get_database (store);
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketCatalogue) cat
      = docket_catalogue_connect (servers->pg_conninfo, NULL, "bench", "kiosk-1", &error);
  guint64 rows_full = 0, rows_empty = 0, rows_replay = 0;
  gdouble empty0, full, empty, replay;

  g_assert_no_error (error);
  empty0 = timed_sync (cat, db, &rows_empty);
  fill (store, n);
  full = timed_sync (cat, db, &rows_full);
  empty = timed_sync (cat, db, &rows_empty);
  g_assert_true (docket_catalogue_reset_cursors (db, &error));
  replay = timed_sync (cat, db, &rows_replay);
  g_assert_cmpint (docket_catalogue_count (cat, "recordings", "bench", &error), ==, n);

  g_print ("catalogue: %u recordings (+ a tag and an audit row each)\n", n);
  g_print ("  empty store       %9.1f ms\n", empty0);
  g_print ("  first sync        %9.1f ms  %" G_GUINT64_FORMAT " rows, %.0f rows/s\n", full,
           rows_full, rows_full / (full / 1e3));
  g_print ("  nothing new       %9.1f ms  (the empty sync)\n", empty);
  g_print ("  replay (crash)    %9.1f ms  %" G_GUINT64_FORMAT " rows rewritten, no duplicates\n",
           replay, rows_replay);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const gchar *workers = g_getenv ("DOCKET_BENCH_UPSTREAM_SWIFT_WORKERS");
  const gchar *cache = g_getenv ("DOCKET_BENCH_UPSTREAM_SWIFT_CACHE");
  UpstreamServers *servers;
  g_autofree gchar *work = NULL;
  g_autofree gchar *cmd = NULL;

  /* Swift's proxy and object servers as the tests run them (one process
   * each) unless asked otherwise ("auto": one per core, as Swift's sample
   * configuration has them). */
  g_setenv ("UPSTREAM_SWIFT_WORKERS", workers != NULL ? workers : "0", TRUE);
  g_print ("Swift proxy and object server workers: %s\n", g_getenv ("UPSTREAM_SWIFT_WORKERS"));
  g_setenv ("UPSTREAM_SWIFT_CACHE", g_strcmp0 (cache, "0") == 0 ? "0" : "1", TRUE);
  g_print ("Swift proxy's account and container cache (memcached): %s\n",
           g_strcmp0 (cache, "0") == 0 ? "off" : "on, where memcached is installed");
  servers = upstream_servers_start ();
  work = g_dir_make_tmp ("docket-bench-upstream-XXXXXX", &error);

  g_assert_no_error (error);
  if (env_uint ("DOCKET_BENCH_UPSTREAM_FILES", 4) > 0)
    bench_upload_rounds (servers, work, "small", env_uint ("DOCKET_BENCH_UPSTREAM_FILES", 4),
                         env_uint ("DOCKET_BENCH_UPSTREAM_MB", 64));
  if (env_uint ("DOCKET_BENCH_UPSTREAM_LARGE_FILES", 2) > 0)
    bench_upload_rounds (servers, work, "large", env_uint ("DOCKET_BENCH_UPSTREAM_LARGE_FILES", 2),
                         env_uint ("DOCKET_BENCH_UPSTREAM_LARGE_MB", 256));
  bench_catalogue (servers, work);
  upstream_servers_stop (servers);
  cmd = g_strdup_printf ("chmod -R u+w '%s'; rm -rf '%s'", work, work);
  return system (cmd) == 0 ? 0 : 1;
}
