/* docket-upstream-status.c — the upstream status and the IT page's line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-upstream-private.h"
#include "docket-upstream-state.h"

GVariant *
docket_upstream_dup_status (DocketUpstream *self)
{
  g_auto (GVariantBuilder) b = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autofree gchar *last_error = NULL;
  g_autofree gchar *object_lock = NULL;
  guint32 waiting = 0, confirmed = 0;
  guint64 waiting_bytes = 0;

  {
    g_autoptr (DocketDatabaseLocker) locker = docket_database_locker_new (self->db);
    g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
        self->db,
        "SELECT (SELECT count(*) FROM recordings r WHERE r.state = 'verified' AND NOT EXISTS"
        "   (SELECT 1 FROM upstream_uploads u WHERE u.recording_id = r.id AND u.state = "
        "'confirmed')),"
        " (SELECT IFNULL(SUM(r.size), 0) FROM recordings r WHERE r.state = 'verified' AND NOT "
        "EXISTS"
        "   (SELECT 1 FROM upstream_uploads u WHERE u.recording_id = r.id AND u.state = "
        "'confirmed')),"
        " (SELECT count(*) FROM upstream_uploads WHERE state = 'confirmed')",
        NULL);

    if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
      {
        waiting = sqlite3_column_int (stmt, 0);
        waiting_bytes = sqlite3_column_int64 (stmt, 1);
        confirmed = sqlite3_column_int (stmt, 2);
      }
  }
  g_variant_builder_add (&b, "{sv}", "configured", g_variant_new_boolean (self->config != NULL));
  g_variant_builder_add (&b, "{sv}", "waiting", g_variant_new_uint32 (waiting));
  g_variant_builder_add (&b, "{sv}", "waiting-bytes", g_variant_new_uint64 (waiting_bytes));
  g_variant_builder_add (&b, "{sv}", "confirmed", g_variant_new_uint32 (confirmed));
  g_variant_builder_add (
      &b, "{sv}", "last-success-usec",
      g_variant_new_int64 (docket_upstream_state_get_int (self->db, "last-success-usec")));
  last_error = docket_upstream_state_get (self->db, "last-error");
  object_lock = docket_upstream_state_get (self->db, "object-lock");
  g_variant_builder_add (&b, "{sv}", "object-lock",
                         g_variant_new_string (object_lock != NULL ? object_lock : ""));
  g_variant_builder_add (&b, "{sv}", "last-error",
                         g_variant_new_string (last_error ? last_error : ""));
  g_variant_builder_add (
      &b, "{sv}", "last-error-usec",
      g_variant_new_int64 (docket_upstream_state_get_int (self->db, "last-error-usec")));
  g_variant_builder_add (
      &b, "{sv}", "next-try-usec",
      g_variant_new_int64 (waiting > 0 ? _docket_upstream_next_due_usec (self) : 0));
  if (self->config != NULL)
    {
      g_variant_builder_add (&b, "{sv}", "endpoint", g_variant_new_string (self->config->endpoint));
      g_variant_builder_add (&b, "{sv}", "bucket", g_variant_new_string (self->config->bucket));
    }
  g_mutex_lock (&self->lock);
  g_variant_builder_add (&b, "{sv}", "paused", g_variant_new_boolean (self->paused));
  g_variant_builder_add (&b, "{sv}", "current",
                         g_variant_new_string (self->current_key ? self->current_key : ""));
  g_variant_builder_add (&b, "{sv}", "current-sent",
                         g_variant_new_uint64 (self->current_key ? self->current_sent : 0));
  g_variant_builder_add (&b, "{sv}", "current-size",
                         g_variant_new_uint64 (self->current_key ? self->current_size : 0));
  /* Being completed and confirmed while "current" is sent. */
  g_variant_builder_add (&b, "{sv}", "finishing",
                         g_variant_new_string (self->finishing_key ? self->finishing_key : ""));
  g_variant_builder_add (&b, "{sv}", "catalogue-usec", g_variant_new_int64 (self->catalogue_usec));
  g_variant_builder_add (&b, "{sv}", "timer-wakes", g_variant_new_uint32 (self->timer_wakes));
  g_mutex_unlock (&self->lock);
  return g_variant_ref_sink (g_variant_builder_end (&b));
}

static gchar *
format_ago (gint64 then_usec, gint64 now_usec)
{
  gint64 minutes = MAX (now_usec - then_usec, 0) / (60 * G_USEC_PER_SEC);

  if (minutes < 1)
    return g_strdup (_ ("just now"));
  if (minutes < 120)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u min ago", "%u min ago", minutes),
                            (guint)minutes);
  if (minutes < 48 * 60)
    return g_strdup_printf (_ ("%u h ago"), (guint)(minutes / 60));
  return g_strdup_printf (_ ("%u days ago"), (guint)(minutes / (24 * 60)));
}

gchar *
docket_upstream_format_status (GVariant *status, gint64 now_usec)
{
  g_autoptr (GString) line = g_string_new (NULL);
  g_autofree gchar *size = NULL;
  guint32 waiting = 0;
  guint64 bytes = 0;
  gint64 success = 0, error_usec = 0;
  gboolean configured = FALSE, paused = FALSE;
  const gchar *error = "";
  const gchar *lock = "";

  g_variant_lookup (status, "configured", "b", &configured);
  if (g_variant_lookup (status, "config-error", "&s", &error) && *error != '\0')
    return g_strdup_printf (_ ("Upstream: not working, its configuration is refused: %s"), error);
  if (!configured)
    return g_strdup (_ ("Upstream: not configured (evidence stays on this kiosk)"));
  g_variant_lookup (status, "waiting", "u", &waiting);
  g_variant_lookup (status, "waiting-bytes", "t", &bytes);
  g_variant_lookup (status, "last-success-usec", "x", &success);
  g_variant_lookup (status, "last-error-usec", "x", &error_usec);
  g_variant_lookup (status, "last-error", "&s", &error);
  g_variant_lookup (status, "paused", "b", &paused);

  size = g_format_size (bytes);
  g_string_printf (line,
                   g_dngettext (GETTEXT_PACKAGE, "%u recording waiting, %s",
                                "%u recordings waiting, %s", waiting),
                   waiting, size);
  if (success > 0)
    {
      g_autofree gchar *ago = format_ago (success, now_usec);

      g_string_append_printf (line, _ (", last success %s"), ago);
    }
  else
    g_string_append (line, _ (", nothing uploaded yet"));
  if (paused)
    g_string_append (line, _ (" (paused)"));
  if (g_variant_lookup (status, "object-lock", "&s", &lock) && *lock != '\0'
      && !g_str_equal (lock, "enabled"))
    g_string_append_printf (line, _ ("; no Object Lock: %s"), lock);
  if (*error != '\0' && error_usec >= success)
    g_string_append_printf (line, _ (" — failing: %s"), error);
  return g_string_free (g_steal_pointer (&line), FALSE);
}
