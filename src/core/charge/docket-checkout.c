/* docket-checkout.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "docket-audit-log.h"
#include "docket-checkout.h"
#include "docket-database.h"
#include "docket-error.h"
#include "docket-session-error.h"

struct _DocketCheckout
{
  GObject parent_instance;

  DocketEvidenceStore *store;
};

G_DEFINE_FINAL_TYPE (DocketCheckout, docket_checkout, G_TYPE_OBJECT)

void
docket_holding_free (DocketHolding *holding)
{
  if (holding == NULL)
    return;
  g_free (holding->serial);
  g_free (holding->badge);
  g_free (holding->slot);
  g_free (holding);
}

static void
docket_checkout_finalize (GObject *object)
{
  DocketCheckout *self = DOCKET_CHECKOUT (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (docket_checkout_parent_class)->finalize (object);
}

static void
docket_checkout_class_init (DocketCheckoutClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_checkout_finalize;
}

static void
docket_checkout_init (DocketCheckout *self)
{
}

DocketCheckout *
docket_checkout_new (DocketEvidenceStore *store)
{
  DocketCheckout *self = g_object_new (DOCKET_TYPE_CHECKOUT, NULL);

  self->store = g_object_ref (store);
  return self;
}

static DocketDatabase *
get_db (DocketCheckout *self)
{
  return docket_evidence_store_get_database (self->store);
}

static gboolean
audit (DocketCheckout *self,
       const gchar *actor,
       const gchar *action,
       const gchar *serial,
       GVariant *details,
       GError **error)
{
  g_autofree gchar *subject = g_strdup_printf ("camera:%s", serial);

  return docket_audit_log_append (docket_evidence_store_get_audit_log (self->store), actor, action,
                                  subject, "", details, error)
         >= 0;
}

/* One text column of the first row of @sql bound to @args (lock held);
 * *out NULL when there is no row. */
static gboolean
query_text (DocketDatabase *db,
            const gchar *sql,
            const gchar *const *args,
            gint64 n,
            gchar **out,
            GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (db, sql, error);
  int i, rc;

  *out = NULL;
  if (stmt == NULL)
    return FALSE;
  for (i = 0; args[i] != NULL; i++)
    sqlite3_bind_text (stmt, i + 1, args[i], -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_count (stmt) > i)
    sqlite3_bind_int64 (stmt, i + 1, n);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out = g_strdup ((const gchar *)sqlite3_column_text (stmt, 0));
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    return TRUE;
  docket_database_set_error (db, error, _ ("Could not read who holds which camera"));
  return FALSE;
}

static gboolean
exec_bound (
    DocketDatabase *db, const gchar *sql, const gchar *const *args, gint64 n, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (db, sql, error);
  int i;

  if (stmt == NULL)
    return FALSE;
  for (i = 0; args[i] != NULL; i++)
    sqlite3_bind_text (stmt, i + 1, args[i], -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_count (stmt) > i)
    sqlite3_bind_int64 (stmt, i + 1, n);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not record who holds which camera"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_serial (const gchar *serial, GError **error)
{
  if (serial == NULL || *serial == '\0' || strlen (serial) > 64
      || !g_utf8_validate (serial, -1, NULL))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("That is not a camera serial"));
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_checkout_set_pooled (
    DocketCheckout *self, const gchar *serial, gboolean pooled, const gchar *actor, GError **error)
{
  DocketDatabase *db;
  g_autofree gchar *assignee = NULL;

  g_return_val_if_fail (DOCKET_IS_CHECKOUT (self), FALSE);

  if (!check_serial (serial, error))
    return FALSE;
  db = get_db (self);
  if (!docket_database_begin (db, error))
    return FALSE;
  if (!query_text (db, "SELECT badge FROM camera_assignments WHERE serial = ?",
                   (const gchar *const[]){ serial, NULL }, 0, &assignee, error))
    {
      docket_database_rollback (db);
      return FALSE;
    }
  if (pooled && assignee != NULL)
    {
      docket_database_rollback (db);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("Camera %s is assigned to %s: a personal camera cannot be pooled"), serial,
                   assignee);
      return FALSE;
    }
  if (!exec_bound (db,
                   pooled
                       ? "INSERT OR IGNORE INTO pooled_cameras (serial, added_usec) VALUES (?, ?)"
                       : "DELETE FROM pooled_cameras WHERE serial = ?",
                   (const gchar *const[]){ serial, NULL }, g_get_real_time (), error)
      || !audit (self, actor, pooled ? "camera-pooled" : "camera-unpooled", serial, NULL, error))
    {
      docket_database_rollback (db);
      return FALSE;
    }
  return docket_database_commit (db, error);
}

gboolean
docket_checkout_is_pooled (DocketCheckout *self,
                           const gchar *serial,
                           gboolean *out_pooled,
                           GError **error)
{
  DocketDatabase *db = get_db (self);
  g_autofree gchar *found = NULL;
  gboolean ok;

  docket_database_lock (db);
  ok = query_text (db, "SELECT serial FROM pooled_cameras WHERE serial = ?",
                   (const gchar *const[]){ serial, NULL }, 0, &found, error);
  docket_database_unlock (db);
  *out_pooled = ok && found != NULL;
  return ok;
}

static gchar *
describe_wait (const DocketCheckoutCandidate *best, guint min_percent)
{
  if (best->ready_in_seconds > 0)
    return g_strdup_printf (
        _ ("No pooled camera is charged enough yet. The best, in slot %s, is at %d %% (%u %% "
           "needed) and should be ready in about %d minutes."),
        best->slot, best->battery_percent, min_percent, (best->ready_in_seconds + 59) / 60);
  return g_strdup_printf (
      _ ("No pooled camera is charged enough yet. The best, in slot %s, is at %d %% (%u %% "
         "needed)."),
      best->slot, best->battery_percent, min_percent);
}

/* Picks among free pooled candidates (lock held). */
static gboolean
pick (DocketCheckout *self,
      GPtrArray *candidates,
      guint min_percent,
      const DocketCheckoutCandidate **out_ready,
      const DocketCheckoutCandidate **out_best_waiting,
      GError **error)
{
  DocketDatabase *db = get_db (self);

  *out_ready = *out_best_waiting = NULL;
  for (guint i = 0; i < candidates->len; i++)
    {
      const DocketCheckoutCandidate *c = g_ptr_array_index (candidates, i);
      g_autofree gchar *pooled = NULL;
      g_autofree gchar *holder = NULL;
      gboolean ready;

      if (c->serial == NULL)
        continue;
      if (!query_text (db, "SELECT serial FROM pooled_cameras WHERE serial = ?",
                       (const gchar *const[]){ c->serial, NULL }, 0, &pooled, error)
          || !query_text (db,
                          "SELECT badge FROM camera_holders WHERE serial = ?"
                          " AND until_usec IS NULL",
                          (const gchar *const[]){ c->serial, NULL }, 0, &holder, error))
        return FALSE;
      if (pooled == NULL || holder != NULL)
        continue;
      ready = c->ready_for_shift && !c->has_alerts && c->battery_percent >= (gint)min_percent;
      if (ready && (*out_ready == NULL || c->battery_percent > (*out_ready)->battery_percent))
        *out_ready = c;
      else if (!ready && !c->has_alerts
               && (*out_best_waiting == NULL
                   || c->battery_percent > (*out_best_waiting)->battery_percent))
        *out_best_waiting = c;
    }
  return TRUE;
}

gboolean
docket_checkout_check_out (DocketCheckout *self,
                           const gchar *badge,
                           GPtrArray *candidates,
                           DocketPolicy *policy,
                           gint64 now_usec,
                           gchar **out_serial,
                           gchar **out_slot,
                           GError **error)
{
  guint min_percent = policy != NULL ? docket_policy_get_checkout_min_battery_percent (policy) : 80;
  gboolean one_each = policy != NULL ? docket_policy_get_one_camera_per_officer (policy) : TRUE;
  const DocketCheckoutCandidate *chosen = NULL, *waiting = NULL;
  g_autofree gchar *actor = NULL;
  g_autofree gchar *held = NULL;
  DocketDatabase *db;

  g_return_val_if_fail (DOCKET_IS_CHECKOUT (self), FALSE);

  if (badge == NULL || *badge == '\0')
    {
      g_set_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_ACCESS_DENIED,
                   _ ("Sign in to check out a camera"));
      return FALSE;
    }
  db = get_db (self);
  if (!docket_database_begin (db, error))
    return FALSE;
  if (one_each
      && !query_text (db,
                      "SELECT serial FROM camera_holders WHERE badge = ? AND until_usec IS NULL",
                      (const gchar *const[]){ badge, NULL }, 0, &held, error))
    {
      docket_database_rollback (db);
      return FALSE;
    }
  if (held != NULL)
    {
      docket_database_rollback (db);
      g_set_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_INVALID,
                   _ ("You already have camera %s checked out. Dock it to return it before "
                      "taking another."),
                   held);
      return FALSE;
    }
  if (!pick (self, candidates, min_percent, &chosen, &waiting, error))
    {
      docket_database_rollback (db);
      return FALSE;
    }
  if (chosen == NULL)
    {
      docket_database_rollback (db);
      if (waiting != NULL)
        {
          g_autofree gchar *message = describe_wait (waiting, min_percent);

          g_set_error_literal (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_INVALID, message);
        }
      else
        g_set_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_INVALID,
                     _ ("No pooled camera is docked and free to check out."));
      return FALSE;
    }
  actor = g_strdup_printf ("officer:%s", badge);
  if (!exec_bound (
          db, "INSERT INTO camera_holders (serial, badge, slot, from_usec) VALUES (?, ?, ?, ?)",
          (const gchar *const[]){ chosen->serial, badge, chosen->slot, NULL }, now_usec, error)
      || !audit (self, actor, "camera-checked-out", chosen->serial,
                 g_variant_new_parsed ("{'badge': <%s>, 'slot': <%s>, 'battery-percent': <%i>}",
                                       badge, chosen->slot != NULL ? chosen->slot : "",
                                       chosen->battery_percent),
                 error))
    {
      docket_database_rollback (db);
      return FALSE;
    }
  if (!docket_database_commit (db, error))
    return FALSE;
  if (out_serial != NULL)
    *out_serial = g_strdup (chosen->serial);
  if (out_slot != NULL)
    *out_slot = g_strdup (chosen->slot);
  return TRUE;
}

gboolean
docket_checkout_returned (
    DocketCheckout *self, const gchar *serial, gint64 now_usec, gchar **out_badge, GError **error)
{
  DocketDatabase *db;
  g_autofree gchar *badge = NULL;

  g_return_val_if_fail (DOCKET_IS_CHECKOUT (self), FALSE);

  if (out_badge != NULL)
    *out_badge = NULL;
  db = get_db (self);
  if (!docket_database_begin (db, error))
    return FALSE;
  if (!query_text (db, "SELECT badge FROM camera_holders WHERE serial = ? AND until_usec IS NULL",
                   (const gchar *const[]){ serial, NULL }, 0, &badge, error))
    {
      docket_database_rollback (db);
      return FALSE;
    }
  if (badge == NULL)
    {
      docket_database_rollback (db);
      return TRUE;
    }
  /* A dock time before the check-out (a wrong clock) still closes it. */
  if (!exec_bound (db,
                   "UPDATE camera_holders SET until_usec = MAX(from_usec, ?2)"
                   " WHERE serial = ?1 AND until_usec IS NULL",
                   (const gchar *const[]){ serial, NULL }, now_usec, error)
      || !audit (self, "docket", "camera-returned", serial,
                 g_variant_new_parsed ("{'badge': <%s>}", badge), error))
    {
      docket_database_rollback (db);
      return FALSE;
    }
  if (!docket_database_commit (db, error))
    return FALSE;
  if (out_badge != NULL)
    *out_badge = g_steal_pointer (&badge);
  return TRUE;
}

gchar *
docket_checkout_dup_holder (DocketCheckout *self, const gchar *serial, GError **error)
{
  DocketDatabase *db = get_db (self);
  gchar *badge = NULL;

  docket_database_lock (db);
  if (query_text (db, "SELECT badge FROM camera_holders WHERE serial = ? AND until_usec IS NULL",
                  (const gchar *const[]){ serial, NULL }, 0, &badge, error)
      && badge == NULL)
    query_text (db, "SELECT badge FROM camera_assignments WHERE serial = ?",
                (const gchar *const[]){ serial, NULL }, 0, &badge, error);
  docket_database_unlock (db);
  return badge;
}

gchar *
docket_checkout_dup_holder_at (DocketCheckout *self,
                               const gchar *serial,
                               gint64 usec,
                               GError **error)
{
  DocketDatabase *db = get_db (self);
  gchar *badge = NULL;

  docket_database_lock (db);
  query_text (db,
              "SELECT badge FROM camera_holders WHERE serial = ?1 AND from_usec <= ?2"
              " AND (until_usec IS NULL OR ?2 < until_usec) ORDER BY from_usec DESC LIMIT 1",
              (const gchar *const[]){ serial, NULL }, usec, &badge, error);
  docket_database_unlock (db);
  return badge;
}

GPtrArray *
docket_checkout_list_held (DocketCheckout *self, GError **error)
{
  DocketDatabase *db = get_db (self);
  g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_holding_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc = SQLITE_DONE;

  docket_database_lock (db);
  stmt = docket_database_prepare (db,
                                  "SELECT serial, badge, slot, from_usec FROM camera_holders"
                                  " WHERE until_usec IS NULL ORDER BY from_usec DESC, id DESC",
                                  error);
  if (stmt != NULL)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          DocketHolding *h = g_new0 (DocketHolding, 1);

          h->serial = g_strdup ((const gchar *)sqlite3_column_text (stmt, 0));
          h->badge = g_strdup ((const gchar *)sqlite3_column_text (stmt, 1));
          h->slot = g_strdup ((const gchar *)sqlite3_column_text (stmt, 2));
          h->from_usec = sqlite3_column_int64 (stmt, 3);
          g_ptr_array_add (held, h);
        }
      if (rc != SQLITE_DONE)
        docket_database_set_error (db, error, _ ("Could not read who holds which camera"));
    }
  docket_database_unlock (db);
  if (stmt == NULL || rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&held);
}
