/* docket-charge-manager.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-charge-manager.h"
#include "docket-error.h"
#include "docket-message.h"

/* What the manager remembers about one docked camera. */
typedef struct
{
  gint64 docked_usec;
  gint start_percent;
  gint last_percent;
  /* The charge rate is measured over the current stretch of charging, so
   * whole-percent steps give a usable rate after a few minutes. */
  gint64 stretch_usec;
  gint stretch_percent;
  gdouble rate; /* percent per second, 0 unknown */
  gboolean too_hot;
  gdouble max_temperature_c;
  guint cycle_count;
  guint full_mah;
  guint design_mah;
  gboolean mode_sent;
  DocketChargeMode sent_mode;
  guint sent_percent;
} CameraCharge;

struct _DocketChargeManager
{
  GObject parent_instance;

  DocketDatabase *db; /* nullable */
  GMutex lock;
  GHashTable *cameras; /* serial → CameraCharge (mutex lock) */
};

G_DEFINE_FINAL_TYPE (DocketChargeManager, docket_charge_manager, G_TYPE_OBJECT)

const gchar *
docket_charge_mode_to_string (DocketChargeMode mode)
{
  switch (mode)
    {
      case DOCKET_CHARGE_MODE_HOLD:
        return "hold";
      case DOCKET_CHARGE_MODE_STOP:
        return "stop";
      case DOCKET_CHARGE_MODE_NORMAL:
      default:
        return "normal";
    }
}

void
docket_charge_settings_init (DocketChargeSettings *settings,
                             DocketPolicy *policy,
                             const gchar *model)
{
  settings->ready_percent = 80;
  settings->max_temperature_c = 45;
  settings->min_health_percent = 70;
  settings->storage_percent = 0;
  settings->charge_limit_percent = -1;
  if (policy == NULL)
    return;
  settings->ready_percent = docket_policy_get_ready_charge_percent (policy);
  settings->max_temperature_c = docket_policy_get_battery_max_temperature_c (policy);
  settings->min_health_percent = docket_policy_get_battery_min_health_percent (policy);
  settings->storage_percent = docket_policy_get_spare_storage_percent (policy);
  settings->charge_limit_percent
      = docket_policy_get_model (policy, model != NULL ? model : "")->charge_limit_percent;
}

void
docket_charge_report_free (DocketChargeReport *report)
{
  if (report == NULL)
    return;
  g_free (report->note);
  g_strfreev (report->alerts);
  g_clear_pointer (&report->note_message, g_variant_unref);
  g_clear_pointer (&report->alert_messages, g_variant_unref);
  g_free (report);
}

void
docket_charge_session_free (DocketChargeSession *session)
{
  if (session == NULL)
    return;
  g_free (session->serial);
  g_free (session);
}

static void
docket_charge_manager_finalize (GObject *object)
{
  DocketChargeManager *self = DOCKET_CHARGE_MANAGER (object);

  g_clear_object (&self->db);
  g_hash_table_unref (self->cameras);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (docket_charge_manager_parent_class)->finalize (object);
}

static void
docket_charge_manager_class_init (DocketChargeManagerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_charge_manager_finalize;
}

static void
docket_charge_manager_init (DocketChargeManager *self)
{
  g_mutex_init (&self->lock);
  self->cameras = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

DocketChargeManager *
docket_charge_manager_new (DocketDatabase *db)
{
  DocketChargeManager *self = g_object_new (DOCKET_TYPE_CHARGE_MANAGER, NULL);

  self->db = db != NULL ? g_object_ref (db) : NULL;
  return self;
}

static CameraCharge *
lookup_camera_locked (DocketChargeManager *self,
                      const gchar *serial,
                      const DocketCameraStatus *status,
                      gint64 now_usec)
{
  CameraCharge *cam = g_hash_table_lookup (self->cameras, serial);

  if (cam == NULL)
    {
      cam = g_new0 (CameraCharge, 1);
      cam->docked_usec = now_usec;
      cam->start_percent = status->battery_percent;
      cam->last_percent = status->battery_percent;
      cam->stretch_usec = now_usec;
      cam->stretch_percent = status->battery_percent;
      cam->max_temperature_c = status->battery_temperature_c;
      g_hash_table_insert (self->cameras, g_strdup (serial), cam);
    }
  return cam;
}

static void
update_rate (CameraCharge *cam, const DocketCameraStatus *status, gint64 now_usec)
{
  gint percent = status->battery_percent;

  if (status->charging != DOCKET_CHARGING_CHARGING || percent < 0 || percent < cam->last_percent)
    {
      /* A new stretch starts at the next charging sample. */
      cam->stretch_usec = now_usec;
      cam->stretch_percent = percent;
      cam->rate = 0;
      return;
    }
  if (percent > cam->stretch_percent && now_usec > cam->stretch_usec)
    cam->rate = (gdouble)(percent - cam->stretch_percent) / ((now_usec - cam->stretch_usec) / 1e6);
}

/* The mode the dock should set, and the level it stops at (100: full). */
static DocketChargeMode
decide_mode (const DocketChargeSettings *settings,
             gboolean too_hot,
             gboolean spare,
             guint *out_percent)
{
  *out_percent = 100;
  if (too_hot)
    {
      *out_percent = 0;
      return DOCKET_CHARGE_MODE_STOP;
    }
  if (spare && settings->storage_percent > 0 && settings->storage_percent < 100)
    {
      *out_percent = settings->storage_percent;
      return DOCKET_CHARGE_MODE_HOLD;
    }
  if (settings->charge_limit_percent > 0 && settings->charge_limit_percent < 100)
    {
      *out_percent = (guint)settings->charge_limit_percent;
      return DOCKET_CHARGE_MODE_HOLD;
    }
  return DOCKET_CHARGE_MODE_NORMAL;
}

/* Why it is not charging, as a DocketMessage; NULL when it charges or is full. */
static GVariant *
make_note (const DocketChargeSettings *settings,
           const DocketCameraStatus *status,
           DocketChargeMode mode,
           guint hold_percent,
           gboolean spare,
           gboolean ready)
{
  if (mode == DOCKET_CHARGE_MODE_STOP)
    return docket_message_new (
        N_ ("Not charging: the battery is too hot (%.0f °C, limit %u °C). Charging resumes "
            "below %.0f °C."),
        status->battery_temperature_c, settings->max_temperature_c,
        settings->max_temperature_c - DOCKET_CHARGE_RESUME_MARGIN_C);
  if (status->charging == DOCKET_CHARGING_CHARGING || status->charging == DOCKET_CHARGING_FULL
      || status->charging == DOCKET_CHARGING_UNKNOWN)
    return NULL;
  if (mode == DOCKET_CHARGE_MODE_HOLD && status->battery_percent >= (gint)hold_percent - 1)
    {
      if (spare && hold_percent == settings->storage_percent)
        return docket_message_new (
            N_ ("Held at %u %% for storage: a spare camera, not assigned or checked out."),
            hold_percent);
      return ready
                 ? docket_message_new (N_ ("Charged to this model's limit of %u %%."), hold_percent)
                 : docket_message_new (N_ ("Held at this model's limit of %u %%."), hold_percent);
    }
  return docket_message_new (
      N_ ("Not charging although the dock asks it to: reseat the camera or check the dock "
          "contacts."));
}

/* Adds @message (floating) to @alerts (texts) and @builder (a(sstas)). */
static void
add_alert (GPtrArray *alerts, GVariantBuilder *builder, GVariant *message)
{
  g_variant_builder_add_value (builder, message);
  g_ptr_array_add (alerts, docket_message_format (message, TRUE));
}

DocketChargeReport *
docket_charge_manager_update (DocketChargeManager *self,
                              const gchar *serial,
                              const DocketChargeSettings *settings,
                              const DocketCameraStatus *status,
                              gboolean spare,
                              gint64 now_usec)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GPtrArray) alerts = g_ptr_array_new ();
  GVariantBuilder alert_messages = G_VARIANT_BUILDER_INIT (DOCKET_MESSAGE_LIST_TYPE);
  DocketChargeReport *report = g_new0 (DocketChargeReport, 1);
  gdouble limit = settings->max_temperature_c;
  gint percent = status->battery_percent;
  CameraCharge *cam;

  g_return_val_if_fail (DOCKET_IS_CHARGE_MANAGER (self), report);

  locker = g_mutex_locker_new (&self->lock);
  cam = lookup_camera_locked (self, serial, status, now_usec);
  update_rate (cam, status, now_usec);
  if (percent >= 0)
    cam->last_percent = percent;
  cam->max_temperature_c = MAX (cam->max_temperature_c, status->battery_temperature_c);
  cam->cycle_count = status->battery_cycle_count;
  cam->full_mah = status->battery_full_capacity_mah;
  cam->design_mah = status->battery_design_capacity_mah;

  /* Stop above the limit; resume only once clearly cooler, so a battery at
   * the limit does not switch charging on and off every poll. */
  if (status->battery_temperature_c > limit)
    cam->too_hot = TRUE;
  else if (cam->too_hot && status->battery_temperature_c <= limit - DOCKET_CHARGE_RESUME_MARGIN_C)
    cam->too_hot = FALSE;
  report->too_hot = cam->too_hot;

  report->health_percent = -1;
  if (status->battery_design_capacity_mah > 0 && status->battery_full_capacity_mah > 0)
    report->health_percent = (gint)MIN (100, (guint64)status->battery_full_capacity_mah * 100
                                                 / status->battery_design_capacity_mah);

  report->mode = decide_mode (settings, cam->too_hot, spare, &report->hold_percent);
  report->ready_for_shift
      = percent >= 0 && percent >= (gint)settings->ready_percent && !cam->too_hot;
  if (report->ready_for_shift)
    report->ready_in_seconds = 0;
  else if (percent < 0 || report->mode == DOCKET_CHARGE_MODE_STOP
           || report->hold_percent < settings->ready_percent || cam->rate <= 0)
    report->ready_in_seconds = -1;
  else
    report->ready_in_seconds
        = (gint)MIN ((gdouble)G_MAXINT, (settings->ready_percent - percent) / cam->rate + 0.999);
  report->note_message = make_note (settings, status, report->mode, report->hold_percent, spare,
                                    report->ready_for_shift);
  if (report->note_message != NULL)
    g_variant_ref_sink (report->note_message);
  report->note = docket_message_format (report->note_message, TRUE);
  if (report->note == NULL)
    report->note = g_strdup ("");

  if (report->health_percent >= 0 && report->health_percent < (gint)settings->min_health_percent)
    add_alert (alerts, &alert_messages,
               docket_message_new (N_ ("Worn battery: it holds %d %% of its design capacity "
                                       "after %u charge cycles (policy minimum %u %%). "
                                       "Replace the battery."),
                                   report->health_percent, status->battery_cycle_count,
                                   settings->min_health_percent));
  if (status->battery_temperature_c > limit)
    add_alert (alerts, &alert_messages,
               docket_message_new (N_ ("Battery too hot: %.0f °C (limit %u °C)."),
                                   status->battery_temperature_c, settings->max_temperature_c));
  g_ptr_array_add (alerts, NULL);
  report->alert_messages = g_variant_ref_sink (g_variant_builder_end (&alert_messages));
  report->alerts = (GStrv)g_ptr_array_steal (alerts, NULL);
  return report;
}

gboolean
docket_charge_manager_undocked (DocketChargeManager *self,
                                const gchar *serial,
                                gint64 now_usec,
                                GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree CameraCharge *cam = NULL;
  g_autofree gchar *key = NULL;
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_CHARGE_MANAGER (self), FALSE);

  g_mutex_lock (&self->lock);
  g_hash_table_steal_extended (self->cameras, serial, (gpointer *)&key, (gpointer *)&cam);
  g_mutex_unlock (&self->lock);
  if (cam == NULL || self->db == NULL)
    return TRUE;

  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (
      self->db,
      "INSERT INTO charge_sessions (serial, docked_usec, undocked_usec, start_percent,"
      " end_percent, cycle_count, full_mah, design_mah, max_temperature_c)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, cam->docked_usec);
      sqlite3_bind_int64 (stmt, 3, now_usec);
      sqlite3_bind_int (stmt, 4, cam->start_percent);
      sqlite3_bind_int (stmt, 5, cam->last_percent);
      sqlite3_bind_int64 (stmt, 6, cam->cycle_count);
      sqlite3_bind_int64 (stmt, 7, cam->full_mah);
      sqlite3_bind_int64 (stmt, 8, cam->design_mah);
      sqlite3_bind_double (stmt, 9, cam->max_temperature_c);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      if (!ok)
        docket_database_set_error (self->db, error, _ ("Could not record the charge history"));
    }
  return ok;
}

GPtrArray *
docket_charge_manager_list_history (DocketChargeManager *self,
                                    const gchar *serial,
                                    guint limit,
                                    GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  g_autoptr (GPtrArray) sessions = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (DOCKET_IS_CHARGE_MANAGER (self), NULL);

  sessions = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_charge_session_free);
  if (self->db == NULL)
    return g_steal_pointer (&sessions);
  locker = docket_database_locker_new (self->db);
  stmt = docket_database_prepare (
      self->db,
      "SELECT serial, docked_usec, undocked_usec, start_percent, end_percent, cycle_count,"
      " full_mah, design_mah, max_temperature_c FROM charge_sessions WHERE serial = ?"
      " ORDER BY docked_usec DESC, id DESC LIMIT ?",
      error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64)limit : -1);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          DocketChargeSession *s = g_new0 (DocketChargeSession, 1);

          s->serial = g_strdup ((const gchar *)sqlite3_column_text (stmt, 0));
          s->docked_usec = sqlite3_column_int64 (stmt, 1);
          s->undocked_usec = sqlite3_column_int64 (stmt, 2);
          s->start_percent = sqlite3_column_int (stmt, 3);
          s->end_percent = sqlite3_column_int (stmt, 4);
          s->cycle_count = (guint)sqlite3_column_int64 (stmt, 5);
          s->full_mah = (guint)sqlite3_column_int64 (stmt, 6);
          s->design_mah = (guint)sqlite3_column_int64 (stmt, 7);
          s->max_temperature_c = sqlite3_column_double (stmt, 8);
          g_ptr_array_add (sessions, s);
        }
      if (rc != SQLITE_DONE)
        docket_database_set_error (self->db, error, _ ("Could not read the charge history"));
    }
  g_clear_pointer (&locker, docket_database_locker_free);
  if (stmt == NULL || rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&sessions);
}

gboolean
docket_charge_manager_apply (DocketChargeManager *self,
                             const gchar *serial,
                             const DocketChargeReport *report,
                             DocketCameraDriver *driver,
                             DocketCameraCapabilities capabilities,
                             gboolean *out_supported,
                             GCancellable *cancellable,
                             GError **error)
{
  CameraCharge *cam;
  gboolean needed;

  g_return_val_if_fail (DOCKET_IS_CHARGE_MANAGER (self), FALSE);

  if (out_supported != NULL)
    *out_supported = FALSE;
  if (!(capabilities & DOCKET_CAMERA_CAP_CHARGE_CONTROL))
    return TRUE;
  if (out_supported != NULL)
    *out_supported = TRUE;

  g_mutex_lock (&self->lock);
  cam = g_hash_table_lookup (self->cameras, serial);
  needed
      = cam == NULL || !cam->mode_sent || cam->sent_mode != report->mode
        || (report->mode == DOCKET_CHARGE_MODE_HOLD && cam->sent_percent != report->hold_percent);
  g_mutex_unlock (&self->lock);
  if (!needed)
    return TRUE;

  if (!docket_camera_driver_set_charge (driver, report->mode, report->hold_percent, cancellable,
                                        error))
    return FALSE;

  g_mutex_lock (&self->lock);
  cam = g_hash_table_lookup (self->cameras, serial);
  if (cam != NULL)
    {
      cam->mode_sent = TRUE;
      cam->sent_mode = report->mode;
      cam->sent_percent = report->hold_percent;
    }
  g_mutex_unlock (&self->lock);
  return TRUE;
}
