/* docket-audit-anchorer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "docket-audit-anchorer.h"
#include "docket-daemon-workers.h"

struct _DocketAuditAnchorer
{
  GObject parent_instance;

  DocketEvidenceStore *store; /* owned */
  DocketStationKey *key;      /* owned */
  guint timer_id;
  gboolean busy; /* a worker is anchoring */
};

G_DEFINE_FINAL_TYPE (DocketAuditAnchorer, docket_audit_anchorer, G_TYPE_OBJECT)

static void
docket_audit_anchorer_dispose (GObject *object)
{
  DocketAuditAnchorer *self = DOCKET_AUDIT_ANCHORER (object);

  docket_audit_anchorer_stop (self);
  g_clear_object (&self->store);
  g_clear_object (&self->key);
  G_OBJECT_CLASS (docket_audit_anchorer_parent_class)->dispose (object);
}

static void
docket_audit_anchorer_class_init (DocketAuditAnchorerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = docket_audit_anchorer_dispose;
}

static void
docket_audit_anchorer_init (DocketAuditAnchorer *self)
{
}

static void
log_anchor (const DocketAuditAnchor *anchor)
{
  g_autofree gchar *seq = g_strdup_printf ("%" PRId64, anchor->seq);
  g_autofree gchar *when = g_strdup_printf ("%" PRId64, anchor->time_usec);
  g_autofree gchar *sig = docket_hex_encode (anchor->signature, DOCKET_ED25519_SIG_LEN);
  g_autofree gchar *pub = docket_hex_encode (anchor->public_key, DOCKET_ED25519_PUBLIC_LEN);

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO, "DOCKET_EVENT", "audit-anchor",
                    "DOCKET_ANCHOR_SEQ", seq, "DOCKET_ANCHOR_HASH", anchor->hash,
                    "DOCKET_ANCHOR_TIME_USEC", when, "DOCKET_ANCHOR_KEY", pub,
                    "DOCKET_ANCHOR_SIGNATURE", sig, "MESSAGE", "Audit log signed at row %s (%s)",
                    seq, anchor->hash);
}

gboolean
docket_audit_anchorer_anchor_now (DocketAuditAnchorer *self, GError **error)
{
  g_autoptr (DocketAuditAnchor) anchor = NULL;

  g_return_val_if_fail (DOCKET_IS_AUDIT_ANCHORER (self), FALSE);
  if (!docket_evidence_store_anchor (self->store, self->key, &anchor, error))
    return FALSE;
  if (anchor != NULL)
    log_anchor (anchor);
  return TRUE;
}

static void
anchor_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  DocketAuditAnchorer *self = source;
  GError *error = NULL;

  if (docket_audit_anchorer_anchor_now (self, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
anchor_done (GObject *source, GAsyncResult *result, gpointer data)
{
  DocketAuditAnchorer *self = DOCKET_AUDIT_ANCHORER (source);
  g_autoptr (GError) error = NULL;

  self->busy = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_critical ("Could not sign the audit log: %s", error->message);
}

static gboolean
on_timer (gpointer data)
{
  DocketAuditAnchorer *self = data;
  g_autoptr (GTask) task = NULL;

  if (self->busy)
    return G_SOURCE_CONTINUE;
  self->busy = TRUE;
  task = g_task_new (self, NULL, anchor_done, NULL);
  g_task_set_source_tag (task, on_timer);
  docket_daemon_workers_run (task, anchor_thread);
  return G_SOURCE_CONTINUE;
}

DocketAuditAnchorer *
docket_audit_anchorer_new (DocketEvidenceStore *store, const gchar *key_path, GError **error)
{
  g_autoptr (DocketAuditAnchorer) self = NULL;
  const gchar *env = g_getenv ("DOCKET_ANCHOR_SECONDS");
  guint interval = 60;
  gboolean created = FALSE;

  g_return_val_if_fail (DOCKET_IS_EVIDENCE_STORE (store), NULL);

  self = g_object_new (DOCKET_TYPE_AUDIT_ANCHORER, NULL);
  self->store = g_object_ref (store);
  self->key = docket_station_key_load_or_create (key_path, &created, error);
  if (self->key == NULL)
    {
      g_prefix_error (error, _ ("Cannot load the station key: "));
      return NULL;
    }
  if (created)
    g_message ("Made a new station key at %s", key_path);
  if (!docket_evidence_store_set_station_key (store, self->key, error)
      || !docket_audit_anchorer_anchor_now (self, error))
    return NULL;
  if (env != NULL && atoi (env) > 0)
    interval = (guint)atoi (env);
  self->timer_id = g_timeout_add_seconds (interval, on_timer, self);
  return g_steal_pointer (&self);
}

void
docket_audit_anchorer_stop (DocketAuditAnchorer *self)
{
  g_return_if_fail (DOCKET_IS_AUDIT_ANCHORER (self));
  g_clear_handle_id (&self->timer_id, g_source_remove);
}
