/* docket-policy-enforcer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * All camera I/O runs in docket_policy_enforcer_check_sync(), on a worker
 * thread; the driver serialises it with the offload running alongside.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-message.h"
#include "docket-policy-enforcer.h"

struct _DocketPolicyEnforcer
{
  GObject parent_instance;

  /* owned, immutable after construction */
  DocketPolicy *policy;
  DocketTimedate *timedate;
  DocketAuditLog *audit;
};

G_DEFINE_FINAL_TYPE (DocketPolicyEnforcer, docket_policy_enforcer, G_TYPE_OBJECT)

const gchar *
docket_policy_state_to_string (DocketPolicyState state)
{
  switch (state)
    {
      case DOCKET_POLICY_STATE_CHECKING:
        return "checking";
      case DOCKET_POLICY_STATE_COMPLIANT:
        return "compliant";
      case DOCKET_POLICY_STATE_CHANGED:
        return "changed";
      case DOCKET_POLICY_STATE_NON_COMPLIANT:
        return "non-compliant";
      case DOCKET_POLICY_STATE_FAILED:
        return "failed";
      case DOCKET_POLICY_STATE_NO_POLICY:
        return "no-policy";
      case DOCKET_POLICY_STATE_UNKNOWN:
      default:
        return "unknown";
    }
}

void
docket_policy_result_free (DocketPolicyResult *result)
{
  if (result == NULL)
    return;
  g_free (result->problem);
  g_clear_pointer (&result->details, g_variant_unref);
  g_free (result);
}

static void
docket_policy_enforcer_finalize (GObject *object)
{
  DocketPolicyEnforcer *self = DOCKET_POLICY_ENFORCER (object);

  g_clear_object (&self->policy);
  g_clear_object (&self->timedate);
  g_clear_object (&self->audit);
  G_OBJECT_CLASS (docket_policy_enforcer_parent_class)->finalize (object);
}

static void
docket_policy_enforcer_class_init (DocketPolicyEnforcerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_policy_enforcer_finalize;
}

static void
docket_policy_enforcer_init (DocketPolicyEnforcer *self)
{
}

DocketPolicyEnforcer *
docket_policy_enforcer_new (DocketPolicy *policy, DocketTimedate *timedate, DocketAuditLog *audit)
{
  DocketPolicyEnforcer *self;

  g_return_val_if_fail (DOCKET_IS_POLICY (policy), NULL);
  g_return_val_if_fail (timedate == NULL || DOCKET_IS_TIMEDATE (timedate), NULL);
  g_return_val_if_fail (audit == NULL || DOCKET_IS_AUDIT_LOG (audit), NULL);

  self = g_object_new (DOCKET_TYPE_POLICY_ENFORCER, NULL);
  self->policy = g_object_ref (policy);
  self->timedate = timedate != NULL ? g_object_ref (timedate) : NULL;
  self->audit = audit != NULL ? g_object_ref (audit) : NULL;
  return self;
}

DocketPolicy *
docket_policy_enforcer_get_policy (DocketPolicyEnforcer *self)
{
  g_return_val_if_fail (DOCKET_IS_POLICY_ENFORCER (self), NULL);
  return self->policy;
}

/* ---- worker thread ------------------------------------------------------- */

/* @format is an untranslated msgid (N_): the words go into this process's
 * language, the message to clients, who word it in theirs. */
typedef struct
{
  DocketPolicyEnforcer *self;
  const gchar *serial;
  GPtrArray *problems;       /* gchar*, plain words */
  GVariantBuilder *messages; /* a(sstas): the same as DocketMessages, for clients */
  gboolean failed;           /* could not check at all */
  gboolean unfixed;          /* something differs and stays so */
} Check;

static void check_problem (Check *check, const gchar *format, ...) G_GNUC_PRINTF (2, 3);

static void
check_problem (Check *check, const gchar *format, ...)
{
  va_list args;

  GVariant *message;

  va_start (args, format);
  message = docket_message_new_valist (format, args);
  va_end (args);
  g_ptr_array_add (check->problems, docket_message_format (message, TRUE));
  g_variant_builder_add_value (check->messages, message);
}

static void
audit (Check *check, const gchar *action, const gchar *reason, GVariant *details)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *subject = NULL;
  g_autoptr (GVariant) sunk = details != NULL ? g_variant_ref_sink (details) : NULL;

  if (check->self->audit == NULL)
    return;
  subject = g_strconcat ("camera:", check->serial, NULL);
  if (docket_audit_log_append (check->self->audit, "docketd", action, subject, reason, sunk, &error)
      < 0)
    g_warning ("Audit row “%s” for camera %s not written: %s", action, check->serial,
               error->message);
}

/* Camera key → wanted value, for the settings this policy manages. */
static GVariant *
build_wanted (const DocketModelPolicy *m)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  if (m->resolution != NULL)
    g_variant_dict_insert (&dict, "resolution", "s", m->resolution);
  if (m->frame_rate >= 0)
    g_variant_dict_insert (&dict, "frame-rate", "u", (guint32)m->frame_rate);
  if (m->bitrate_kbps >= 0)
    g_variant_dict_insert (&dict, "bitrate-kbps", "u", (guint32)m->bitrate_kbps);
  if (m->pre_event_seconds >= 0)
    g_variant_dict_insert (&dict, "pre-event-seconds", "u", (guint32)m->pre_event_seconds);
  if (m->post_event_seconds >= 0)
    g_variant_dict_insert (&dict, "post-event-seconds", "u", (guint32)m->post_event_seconds);
  if (m->audio >= 0)
    g_variant_dict_insert (&dict, "audio", "b", (gboolean)m->audio);
  /* No DCP 1.0 camera has this key yet; listed as unsupported until one does. */
  if (m->allow_mute >= 0)
    g_variant_dict_insert (&dict, "mute-allowed", "b", (gboolean)m->allow_mute);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

static gchar *
variant_text (GVariant *v)
{
  return v != NULL ? g_variant_print (v, FALSE) : g_strdup ("-");
}

/* Compares, writes what differs, reads back. Fills @differences
 * (key → {camera, policy, fixed}) and @unsupported. */
static guint
enforce_settings (Check *check,
                  DocketCameraDriver *driver,
                  const DocketModelPolicy *m,
                  GVariantBuilder *differences,
                  GPtrArray *unsupported,
                  GCancellable *cancellable)
{
  g_autoptr (GVariant) wanted = build_wanted (m);
  g_autoptr (GVariant) before = NULL;
  g_autoptr (GVariant) after = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) write_error = NULL;
  GVariantDict changes;
  GVariantIter iter;
  const gchar *key;
  GVariant *value;
  guint n_diff = 0;
  guint n_fixed = 0;

  if (g_variant_n_children (wanted) == 0)
    return 0;
  before = docket_camera_driver_get_config (driver, cancellable, &error);
  if (before == NULL)
    {
      if (g_error_matches (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED))
        {
          check->unfixed = TRUE;
          check_problem (check, N_ ("the camera cannot report its settings"));
        }
      else
        {
          check->failed = TRUE;
          check_problem (check, N_ ("reading its settings failed: %s"), error->message);
        }
      return 0;
    }

  g_variant_dict_init (&changes, NULL);
  g_variant_iter_init (&iter, wanted);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr (GVariant) want = value;
      g_autoptr (GVariant) have = g_variant_lookup_value (before, key, NULL);

      if (have == NULL)
        g_ptr_array_add (unsupported, g_strdup (key));
      else if (!g_variant_equal (have, want))
        {
          g_variant_dict_insert_value (&changes, key, want);
          n_diff++;
        }
    }
  if (n_diff == 0)
    {
      g_variant_dict_clear (&changes);
      return 0;
    }

  {
    g_autoptr (GVariant) to_write = g_variant_ref_sink (g_variant_dict_end (&changes));

    if (!docket_camera_driver_set_config (driver, to_write, cancellable, &write_error))
      check_problem (check, N_ ("the camera refused the policy's settings: %s"),
                     write_error->message);
    /* Read back even after a refusal: the camera applies all or none, and
     * what it holds now is what we report. */
    after = docket_camera_driver_get_config (driver, cancellable, &error);
    if (after == NULL)
      {
        check->failed = TRUE;
        check_problem (check, N_ ("reading its settings back failed: %s"), error->message);
      }

    g_variant_iter_init (&iter, to_write);
    while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
      {
        g_autoptr (GVariant) want = value;
        g_autoptr (GVariant) old = g_variant_lookup_value (before, key, NULL);
        g_autoptr (GVariant) now = after != NULL ? g_variant_lookup_value (after, key, NULL) : NULL;
        gboolean fixed = now != NULL && g_variant_equal (now, want);
        GVariantDict entry;

        g_variant_dict_init (&entry, NULL);
        g_variant_dict_insert_value (&entry, "camera", old);
        g_variant_dict_insert_value (&entry, "policy", want);
        g_variant_dict_insert (&entry, "fixed", "b", fixed);
        g_variant_builder_add (differences, "{sv}", key, g_variant_dict_end (&entry));
        if (fixed)
          {
            g_autofree gchar *old_text = variant_text (old);
            g_autofree gchar *new_text = variant_text (want);
            g_autofree gchar *reason
                = g_strdup_printf (_ ("device policy version %lld: %s %s → %s"),
                                   (long long)docket_policy_get_version (check->self->policy), key,
                                   old_text, new_text);
            GVariantDict d;

            g_variant_dict_init (&d, NULL);
            g_variant_dict_insert (&d, "setting", "s", key);
            g_variant_dict_insert_value (&d, "old", old);
            g_variant_dict_insert_value (&d, "new", want);
            g_variant_dict_insert (&d, "policy-version", "x",
                                   docket_policy_get_version (check->self->policy));
            audit (check, "camera-setting-changed", reason, g_variant_dict_end (&d));
            n_fixed++;
          }
        else if (after != NULL)
          {
            g_autofree gchar *want_text = variant_text (want);
            g_autofree gchar *now_text = variant_text (now);

            check->unfixed = TRUE;
            check_problem (check, N_ ("%s is %s, the policy wants %s"), key, now_text, want_text);
          }
      }
  }
  return n_fixed;
}

/* Drift = camera clock minus the kiosk clock at the middle of the request. */
static gboolean
measure_drift (DocketCameraDriver *driver,
               gint64 *out_drift_ms,
               GCancellable *cancellable,
               GError **error)
{
  DocketCameraStatus status = { 0 };
  gint64 t0 = g_get_real_time ();
  gint64 t1;

  if (!docket_camera_driver_get_status (driver, &status, cancellable, error))
    return FALSE;
  t1 = g_get_real_time ();
  *out_drift_ms = (status.camera_clock_usec - (t0 + (t1 - t0) / 2)) / 1000;
  return TRUE;
}

static void
enforce_clock (Check *check,
               DocketCameraDriver *driver,
               DocketPolicyResult *result,
               GCancellable *cancellable)
{
  DocketPolicy *policy = check->self->policy;
  gint64 max_ms = docket_policy_get_max_clock_drift_ms (policy);
  g_autoptr (GError) error = NULL;
  gint64 after_ms = 0;
  GVariantDict d;

  if (ABS (result->drift_ms) <= max_ms)
    return;
  if (result->clock_sync != DOCKET_CLOCK_SYNC_SYNCHRONISED)
    {
      check->unfixed = TRUE;
      /* Short, for the camera's card. Why it was not set is the kiosk's own
       * story, told once for the station: the details ("clock-sync",
       * "kiosk-clock") and the kiosk-clock-unsynchronised event. */
      check_problem (check, N_ ("its clock is %.1f s off and was not set"),
                     result->drift_ms / 1000.0);
      return;
    }
  if (!docket_camera_driver_set_clock (driver, g_get_real_time (), cancellable, &error)
      || !measure_drift (driver, &after_ms, cancellable, &error))
    {
      check->unfixed = TRUE;
      check_problem (check, N_ ("setting its clock failed: %s"), error->message);
      return;
    }
  if (ABS (after_ms) > max_ms)
    {
      check->unfixed = TRUE;
      check_problem (check, N_ ("its clock is still %lld ms off after being set"),
                     (long long)after_ms);
      return;
    }
  result->clock_set = TRUE;
  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "drift-ms", "x", result->drift_ms);
  g_variant_dict_insert (&d, "drift-after-ms", "x", after_ms);
  audit (check, "camera-clock-set",
         _ ("The camera's clock was off; set from this kiosk's synchronised clock"),
         g_variant_dict_end (&d));
}

static GVariant *
strv_variant (GPtrArray *array)
{
  return g_variant_new_strv ((const gchar *const *)array->pdata, array->len);
}

DocketPolicyResult *
docket_policy_enforcer_check_sync (DocketPolicyEnforcer *self,
                                   DocketCameraDriver *driver,
                                   const gchar *serial,
                                   const gchar *model,
                                   const gchar *firmware_version,
                                   GCancellable *cancellable)
{
  DocketPolicyResult *result = g_new0 (DocketPolicyResult, 1);
  const DocketModelPolicy *m = docket_policy_get_model (self->policy, model);
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) unsupported = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar *sync_message = NULL;
  g_autoptr (GError) error = NULL;
  GVariantBuilder messages = G_VARIANT_BUILDER_INIT (DOCKET_MESSAGE_LIST_TYPE);
  Check check = { self, serial, problems, &messages, FALSE, FALSE };
  GVariantBuilder differences;
  GVariantDict details;

  g_return_val_if_fail (DOCKET_IS_POLICY_ENFORCER (self), NULL);
  g_return_val_if_fail (DOCKET_IS_CAMERA_DRIVER (driver), NULL);

  g_variant_builder_init (&differences, G_VARIANT_TYPE_VARDICT);
  if (self->timedate != NULL)
    result->clock_sync = docket_timedate_query_sync (self->timedate, cancellable, &sync_message);
  else
    sync_message = g_strdup (_ ("this kiosk cannot tell whether its own clock is synchronised"));

  /* The clock first: the drift as docked is what evidence timelines need. */
  if (measure_drift (driver, &result->drift_ms, cancellable, &error))
    result->drift_measured = TRUE;
  else
    {
      check.failed = TRUE;
      check_problem (&check, N_ ("reading its clock failed: %s"), error->message);
      g_clear_error (&error);
    }

  result->n_changes = enforce_settings (&check, driver, m, &differences, unsupported, cancellable);

  if (m->minimum_firmware != NULL
      && docket_policy_compare_versions (firmware_version, m->minimum_firmware) < 0)
    {
      check.unfixed = TRUE;
      check_problem (&check, N_ ("firmware %s is older than the policy's minimum %s"),
                     firmware_version != NULL ? firmware_version : "?", m->minimum_firmware);
    }

  if (result->drift_measured)
    enforce_clock (&check, driver, result, cancellable);

  if (check.failed)
    result->state = DOCKET_POLICY_STATE_FAILED;
  else if (check.unfixed)
    result->state = DOCKET_POLICY_STATE_NON_COMPLIANT;
  else if (result->n_changes > 0 || result->clock_set)
    result->state = DOCKET_POLICY_STATE_CHANGED;
  else
    result->state = DOCKET_POLICY_STATE_COMPLIANT;
  if (problems->len > 0)
    {
      g_ptr_array_add (problems, NULL);
      result->problem = g_strjoinv ("; ", (gchar **)problems->pdata);
      g_ptr_array_remove_index (problems, problems->len - 1);
    }

  g_variant_dict_init (&details, NULL);
  g_variant_dict_insert (&details, "state", "s", docket_policy_state_to_string (result->state));
  g_variant_dict_insert (&details, "policy-version", "x", docket_policy_get_version (self->policy));
  g_variant_dict_insert_value (&details, "differences", g_variant_builder_end (&differences));
  g_variant_dict_insert_value (&details, "unsupported", strv_variant (unsupported));
  g_variant_dict_insert (&details, "problem", "s", result->problem != NULL ? result->problem : "");
  g_variant_dict_insert_value (&details, "problem-messages", g_variant_builder_end (&messages));
  if (result->drift_measured)
    g_variant_dict_insert (&details, "clock-drift-ms", "x", result->drift_ms);
  g_variant_dict_insert (&details, "clock-set", "b", result->clock_set);
  g_variant_dict_insert (&details, "clock-sync", "s",
                         docket_clock_sync_to_string (result->clock_sync));
  g_variant_dict_insert (&details, "kiosk-clock", "s", sync_message);
  g_variant_dict_insert (&details, "firmware", "s",
                         firmware_version != NULL ? firmware_version : "");
  if (m->minimum_firmware != NULL)
    g_variant_dict_insert (&details, "minimum-firmware", "s", m->minimum_firmware);
  g_variant_dict_insert (&details, "checked-usec", "x", g_get_real_time ());
  result->details = g_variant_ref_sink (g_variant_dict_end (&details));

  audit (&check, "camera-policy-checked",
         result->problem != NULL ? result->problem : docket_policy_state_to_string (result->state),
         result->details);
  return result;
}

typedef struct
{
  DocketCameraDriver *driver;
  gchar *serial;
  gchar *model;
  gchar *firmware;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->driver);
  g_free (data->serial);
  g_free (data->model);
  g_free (data->firmware);
  g_free (data);
}

static void
check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CheckData *data = task_data;
  DocketPolicyResult *result = docket_policy_enforcer_check_sync (
      source, data->driver, data->serial, data->model, data->firmware, cancellable);

  if (g_cancellable_is_cancelled (cancellable))
    {
      docket_policy_result_free (result);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _ ("The policy check was cancelled"));
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify)docket_policy_result_free);
}

void
docket_policy_enforcer_check_async (DocketPolicyEnforcer *self,
                                    DocketCamera *camera,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  CheckData *data;

  g_return_if_fail (DOCKET_IS_POLICY_ENFORCER (self));
  g_return_if_fail (DOCKET_IS_CAMERA (camera));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_policy_enforcer_check_async);
  data = g_new0 (CheckData, 1);
  data->driver = g_object_ref (docket_camera_get_driver (camera));
  data->serial = g_strdup (docket_camera_get_serial (camera));
  data->model = g_strdup (docket_camera_get_model (camera));
  data->firmware = g_strdup (docket_camera_get_firmware_version (camera));
  g_task_set_task_data (task, data, (GDestroyNotify)check_data_free);
  g_task_run_in_thread (task, check_thread);
}

DocketPolicyResult *
docket_policy_enforcer_check_finish (DocketPolicyEnforcer *self,
                                     GAsyncResult *result,
                                     GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
docket_policy_result_apply (const DocketPolicyResult *result, DocketCamera *camera)
{
  g_return_if_fail (result != NULL);
  g_return_if_fail (DOCKET_IS_CAMERA (camera));

  docket_camera_set_policy (camera, docket_policy_state_to_string (result->state), result->problem,
                            result->details);
}
