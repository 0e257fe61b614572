/* docket-upstream-config.c — the [upstream] group and its credentials file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "docket-error.h"
#include "docket-upstream-config.h"

static void
wipe (gchar *s)
{
  if (s != NULL)
    memset (s, 0, strlen (s));
  g_free (s);
}

DocketUpstreamConfig *
docket_upstream_config_ref (DocketUpstreamConfig *config)
{
  g_atomic_int_inc (&config->ref_count);
  return config;
}

void
docket_upstream_config_unref (DocketUpstreamConfig *config)
{
  if (config == NULL || !g_atomic_int_dec_and_test (&config->ref_count))
    return;
  g_free (config->endpoint);
  g_free (config->region);
  g_free (config->bucket);
  g_free (config->catalogue);
  g_free (config->station_id);
  g_free (config->kiosk_id);
  g_free (config->credentials_path);
  wipe (config->access_key);
  wipe (config->secret_key);
  wipe (config->catalogue_password);
  g_clear_pointer (&config->throttle_windows, g_array_unref);
  g_free (config);
}

static gboolean
parse_hhmm (const gchar *s, gint *minutes)
{
  guint h, m;
  gchar tail;

  if (sscanf (s, "%u:%u%c", &h, &m, &tail) != 2 || h > 24 || m > 59 || (h == 24 && m != 0))
    return FALSE;
  *minutes = h * 60 + m;
  return TRUE;
}

static gboolean
read_credentials (DocketUpstreamConfig *config, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  GStatBuf st;

  if (g_stat (config->credentials_path, &st) < 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("The upstream credentials file %s cannot be read: %s"),
                   config->credentials_path, g_strerror (errno));
      return FALSE;
    }
  /* Root-only: anyone else who can read it can impersonate the station. */
  if ((st.st_mode & 0077) != 0 || (st.st_uid != 0 && st.st_uid != geteuid ()))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PERMISSION,
                   _ ("The upstream credentials file %s must be owned by root and readable by "
                      "root only (chmod 600)"),
                   config->credentials_path);
      return FALSE;
    }
  if (!g_key_file_load_from_file (file, config->credentials_path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, _ ("The upstream credentials file %s: "), config->credentials_path);
      return FALSE;
    }
  config->access_key = g_key_file_get_string (file, "credentials", "access-key", NULL);
  config->secret_key = g_key_file_get_string (file, "credentials", "secret-key", NULL);
  config->catalogue_password
      = g_key_file_get_string (file, "credentials", "catalogue-password", NULL);
  if (config->access_key == NULL || config->secret_key == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("The upstream credentials file %s needs access-key and secret-key in "
                      "[credentials]"),
                   config->credentials_path);
      return FALSE;
    }
  return TRUE;
}

static guint64
get_uint (GKeyFile *file, const gchar *key, guint64 fallback)
{
  if (!g_key_file_has_key (file, "upstream", key, NULL))
    return fallback;
  return g_key_file_get_uint64 (file, "upstream", key, NULL);
}

static DocketUpstreamConfig *
load (GKeyFile *file, GError **error)
{
  g_autoptr (DocketUpstreamConfig) config = g_new0 (DocketUpstreamConfig, 1);
  g_autofree gchar *hours = NULL;
  const gchar *required[] = { "endpoint", "bucket", "station-id", "kiosk-id", "credentials" };

  config->ref_count = 1;
  if (!g_key_file_has_group (file, "upstream"))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (!g_key_file_has_key (file, "upstream", required[i], NULL))
      {
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("[upstream] needs %s"),
                     required[i]);
        return NULL;
      }
  config->endpoint = g_key_file_get_string (file, "upstream", "endpoint", NULL);
  config->region = g_key_file_get_string (file, "upstream", "region", NULL);
  if (config->region == NULL)
    config->region = g_strdup ("us-east-1");
  config->bucket = g_key_file_get_string (file, "upstream", "bucket", NULL);
  config->catalogue = g_key_file_get_string (file, "upstream", "catalogue", NULL);
  config->station_id = g_key_file_get_string (file, "upstream", "station-id", NULL);
  config->kiosk_id = g_key_file_get_string (file, "upstream", "kiosk-id", NULL);
  config->credentials_path = g_key_file_get_string (file, "upstream", "credentials", NULL);
  if (config->catalogue != NULL && strstr (config->catalogue, "password") != NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("[upstream] catalogue must not hold a password: put catalogue-password "
                      "in the credentials file"));
      return NULL;
    }
  config->part_size = get_uint (file, "part-size-mb", 64);
  if (config->part_size < 5 || config->part_size > 512)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("[upstream] part-size-mb must be from 5 to 512"));
      return NULL;
    }
  config->part_size *= 1024 * 1024;
  config->bandwidth_bps = get_uint (file, "bandwidth-kbps", 0) * 1000 / 8;
  config->throttle_bps = get_uint (file, "throttle-kbps", 0) * 1000 / 8;
  config->retry_seconds = MAX (get_uint (file, "retry-seconds", 30), 1);
  config->object_lock_days = get_uint (file, "object-lock-days", 0);
  config->throttle_windows = g_array_new (FALSE, FALSE, sizeof (gint));
  hours = g_key_file_get_string (file, "upstream", "throttle-hours", NULL);
  if (hours != NULL)
    {
      g_auto (GStrv) windows = g_strsplit (hours, ";", -1);

      for (guint i = 0; windows[i] != NULL; i++)
        {
          g_auto (GStrv) ends = g_strsplit (g_strstrip (windows[i]), "-", 2);
          gint start, end;

          if (*windows[i] == '\0')
            continue;
          if (g_strv_length (ends) != 2 || !parse_hhmm (ends[0], &start)
              || !parse_hhmm (ends[1], &end))
            {
              g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                           _ ("[upstream] throttle-hours: “%s” is not HH:MM-HH:MM"), windows[i]);
              return NULL;
            }
          g_array_append_val (config->throttle_windows, start);
          g_array_append_val (config->throttle_windows, end);
        }
    }
  if (!read_credentials (config, error))
    return NULL;
  return g_steal_pointer (&config);
}

DocketUpstreamConfig *
docket_upstream_config_load_from_data (const gchar *data, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();

  if (!g_key_file_load_from_data (file, data, -1, G_KEY_FILE_NONE, error))
    return NULL;
  return load (file, error);
}

DocketUpstreamConfig *
docket_upstream_config_load (const gchar *path, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return NULL;
    }
  return load (file, error);
}

gint64
docket_upstream_config_get_limit (DocketUpstreamConfig *config, GDateTime *local)
{
  gint now = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);

  for (guint i = 0; i + 1 < config->throttle_windows->len; i += 2)
    {
      gint start = g_array_index (config->throttle_windows, gint, i);
      gint end = g_array_index (config->throttle_windows, gint, i + 1);
      gboolean inside = start <= end ? (now >= start && now < end) : (now >= start || now < end);

      if (inside && config->throttle_bps > 0)
        return config->bandwidth_bps > 0 ? MIN (config->throttle_bps, config->bandwidth_bps)
                                         : config->throttle_bps;
    }
  return config->bandwidth_bps;
}
