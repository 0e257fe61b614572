/* test-charge.c — battery reports, alerts and charge control, alone and
 * against the simulated camera over DCP 1.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "docket-camera.h"
#include "docket-charge-manager.h"
#include "docket-message.h"
#include "docket-dcp-protocol.h"
#include "test-dcp-common.h"

#define T0 (G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC)

static DocketSimTestbed *testbed;

static DocketCameraStatus
make_status (gint percent, DocketChargingState charging, gdouble temperature)
{
  DocketCameraStatus status = { 0 };

  status.battery_percent = percent;
  status.charging = charging;
  status.battery_temperature_c = temperature;
  status.battery_cycle_count = 100;
  status.battery_full_capacity_mah = 3000;
  status.battery_design_capacity_mah = 3200;
  return status;
}

static gboolean
has_alert (const DocketChargeReport *report, const gchar *words)
{
  for (guint i = 0; report->alerts[i] != NULL; i++)
    if (strstr (report->alerts[i], words) != NULL)
      return TRUE;
  return FALSE;
}

/* The texts travel as DocketMessages too (Camera.Messages), the same words. */
static void
assert_messages_match (const DocketChargeReport *report)
{
  g_autofree gchar *note = docket_message_format (report->note_message, TRUE);

  g_assert_cmpstr (note != NULL ? note : "", ==, report->note);
  g_assert_cmpuint (g_variant_n_children (report->alert_messages), ==,
                    g_strv_length (report->alerts));
  for (guint i = 0; report->alerts[i] != NULL; i++)
    {
      g_autoptr (GVariant) m = g_variant_get_child_value (report->alert_messages, i);
      g_autofree gchar *alert = docket_message_format (m, TRUE);

      g_assert_cmpstr (alert, ==, report->alerts[i]);
    }
}

/* DocketCamera keeps each text's message beside it, and drops it when the
 * text is set as plain words. */
static void
test_camera_messages (void)
{
  g_autoptr (DocketCamera) camera = docket_camera_new (NULL, "1-2");
  GVariantBuilder alerts = G_VARIANT_BUILDER_INIT (DOCKET_MESSAGE_LIST_TYPE);
  const gchar *const alert_texts[] = { "Battery too hot: 47 °C (limit 45 °C).", NULL };
  g_autoptr (GVariant) problem = NULL;
  g_autoptr (GVariant) list = NULL;
  guint notified = 0;

  g_assert_cmpuint (g_variant_n_children (docket_camera_get_messages (camera)), ==, 0);

  docket_camera_set_problem_message (
      camera, docket_message_new ("Camera %s has a problem: %s", "X1", "loose contact"));
  g_assert_cmpstr (docket_camera_get_problem (camera), ==,
                   "Camera X1 has a problem: loose contact");
  problem = g_variant_lookup_value (docket_camera_get_messages (camera), "problem",
                                    DOCKET_MESSAGE_TYPE);
  g_assert_nonnull (problem);

  g_variant_builder_add_value (&alerts, docket_message_new ("Battery too hot: %.0f °C (limit %u "
                                                            "°C).",
                                                            47.0, 45u));
  docket_camera_set_charge (camera, FALSE, -1, -1, "", alert_texts, NULL,
                            g_variant_builder_end (&alerts));
  list = g_variant_lookup_value (docket_camera_get_messages (camera), "alerts",
                                 DOCKET_MESSAGE_LIST_TYPE);
  g_assert_nonnull (list);
  g_assert_cmpuint (g_variant_n_children (list), ==, 1);

  /* The same again: no change, no notify (no PropertiesChanged each poll). */
  {
    GVariantBuilder again = G_VARIANT_BUILDER_INIT (DOCKET_MESSAGE_LIST_TYPE);
    gulong id;

    g_variant_builder_add_value (&again, docket_message_new ("Battery too hot: %.0f °C (limit "
                                                             "%u °C).",
                                                             47.0, 45u));
    id = g_signal_connect_swapped (camera, "notify::messages", G_CALLBACK (g_atomic_int_inc),
                                   &notified);
    docket_camera_set_charge (camera, FALSE, -1, -1, "", alert_texts, NULL,
                              g_variant_builder_end (&again));
    g_signal_handler_disconnect (camera, id);
    g_assert_cmpuint (notified, ==, 0);
  }

  docket_camera_set_problem (camera, "Plain words");
  g_assert_false (g_variant_lookup (docket_camera_get_messages (camera), "problem", "*", NULL));
  g_assert_true (g_variant_lookup (docket_camera_get_messages (camera), "alerts", "*", NULL));
}

static void
test_ready_estimate (void)
{
  g_autoptr (DocketChargeManager) manager = docket_charge_manager_new (NULL);
  DocketChargeSettings settings;
  DocketCameraStatus status;
  g_autoptr (DocketChargeReport) first = NULL;
  g_autoptr (DocketChargeReport) second = NULL;
  g_autoptr (DocketChargeReport) ready = NULL;

  docket_charge_settings_init (&settings, NULL, "T1");
  g_assert_cmpuint (settings.ready_percent, ==, 80);

  /* No rate yet on the first sample: unknown. */
  status = make_status (50, DOCKET_CHARGING_CHARGING, 30);
  first = docket_charge_manager_update (manager, "C1", &settings, &status, FALSE, T0);
  g_assert_false (first->ready_for_shift);
  g_assert_cmpint (first->ready_in_seconds, ==, -1);
  g_assert_cmpint (first->health_percent, ==, 93);
  g_assert_cmpstr (first->note, ==, "");
  g_assert_cmpuint (g_strv_length (first->alerts), ==, 0);
  g_assert_cmpint (first->mode, ==, DOCKET_CHARGE_MODE_NORMAL);

  /* 2 % a minute: 28 % more take 14 minutes. */
  status = make_status (52, DOCKET_CHARGING_CHARGING, 30);
  second = docket_charge_manager_update (manager, "C1", &settings, &status, FALSE,
                                         T0 + 60 * G_USEC_PER_SEC);
  g_assert_cmpint (second->ready_in_seconds, ==, 14 * 60);

  status = make_status (80, DOCKET_CHARGING_CHARGING, 30);
  ready = docket_charge_manager_update (manager, "C1", &settings, &status, FALSE,
                                        T0 + 15 * 60 * G_USEC_PER_SEC);
  g_assert_true (ready->ready_for_shift);
  g_assert_cmpint (ready->ready_in_seconds, ==, 0);
}

static void
test_logic_hot_and_storage (void)
{
  g_autoptr (DocketChargeManager) manager = docket_charge_manager_new (NULL);
  DocketChargeSettings settings;
  DocketCameraStatus status;
  DocketChargeReport *report;

  docket_charge_settings_init (&settings, NULL, NULL);
  settings.storage_percent = 50;

  /* A charged but hot battery is not ready for shift. */
  status = make_status (90, DOCKET_CHARGING_CHARGING, 46);
  report = docket_charge_manager_update (manager, "H1", &settings, &status, FALSE, T0);
  g_assert_cmpint (report->mode, ==, DOCKET_CHARGE_MODE_STOP);
  g_assert_true (report->too_hot);
  g_assert_false (report->ready_for_shift);
  g_assert_true (has_alert (report, "too hot"));
  g_assert_nonnull (strstr (report->note, "too hot"));
  docket_charge_report_free (report);

  /* Below the limit but not yet 5 °C below it: still stopped, no alert. */
  status = make_status (90, DOCKET_CHARGING_NOT_CHARGING, 43);
  report = docket_charge_manager_update (manager, "H1", &settings, &status, FALSE, T0 + 1);
  g_assert_cmpint (report->mode, ==, DOCKET_CHARGE_MODE_STOP);
  g_assert_false (has_alert (report, "too hot"));
  docket_charge_report_free (report);

  status = make_status (90, DOCKET_CHARGING_NOT_CHARGING, 40);
  report = docket_charge_manager_update (manager, "H1", &settings, &status, FALSE, T0 + 2);
  g_assert_cmpint (report->mode, ==, DOCKET_CHARGE_MODE_NORMAL);
  g_assert_true (report->ready_for_shift);
  docket_charge_report_free (report);

  /* A spare is held at the storage level and says so; it is not counted
   * as ever becoming ready. */
  status = make_status (50, DOCKET_CHARGING_NOT_CHARGING, 25);
  report = docket_charge_manager_update (manager, "S1", &settings, &status, TRUE, T0);
  g_assert_cmpint (report->mode, ==, DOCKET_CHARGE_MODE_HOLD);
  g_assert_cmpuint (report->hold_percent, ==, 50);
  g_assert_false (report->ready_for_shift);
  g_assert_cmpint (report->ready_in_seconds, ==, -1);
  g_assert_nonnull (strstr (report->note, "storage"));
  docket_charge_report_free (report);

  /* Not a spare (checked out / assigned): charges normally. */
  report = docket_charge_manager_update (manager, "S1", &settings, &status, FALSE, T0 + 1);
  g_assert_cmpint (report->mode, ==, DOCKET_CHARGE_MODE_NORMAL);
  /* ...so "not charging" now needs explaining. */
  g_assert_nonnull (strstr (report->note, "contacts"));
  docket_charge_report_free (report);

  /* The model's charge limit */
  settings.charge_limit_percent = 90;
  status = make_status (90, DOCKET_CHARGING_NOT_CHARGING, 25);
  report = docket_charge_manager_update (manager, "L1", &settings, &status, FALSE, T0);
  g_assert_cmpint (report->mode, ==, DOCKET_CHARGE_MODE_HOLD);
  g_assert_cmpuint (report->hold_percent, ==, 90);
  g_assert_true (report->ready_for_shift);
  g_assert_nonnull (strstr (report->note, "limit of 90"));
  assert_messages_match (report);
  docket_charge_report_free (report);
}

static void
test_history (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("docket-charge-XXXXXX", &error);
  g_autofree gchar *path = g_build_filename (dir, "docket.db", NULL);
  g_autoptr (DocketDatabase) db = NULL;
  g_autoptr (DocketChargeManager) manager = NULL;
  g_autoptr (GPtrArray) history = NULL;
  DocketChargeSettings settings;
  DocketCameraStatus status;
  DocketChargeSession *s;

  g_assert_no_error (error);
  db = docket_database_open (path, &error);
  g_assert_no_error (error);
  manager = docket_charge_manager_new (db);
  docket_charge_settings_init (&settings, NULL, NULL);
  for (guint stay = 0; stay < 2; stay++)
    {
      gint64 base = T0 + stay * G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC;
      DocketChargeReport *report;

      status = make_status (30 + stay, DOCKET_CHARGING_CHARGING, 30);
      status.battery_cycle_count = 200 + stay;
      report = docket_charge_manager_update (manager, "HIST-1", &settings, &status, FALSE, base);
      docket_charge_report_free (report);
      status = make_status (95, DOCKET_CHARGING_CHARGING, 38);
      status.battery_cycle_count = 201 + stay;
      report = docket_charge_manager_update (manager, "HIST-1", &settings, &status, FALSE,
                                             base + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
      docket_charge_report_free (report);
      g_assert_true (docket_charge_manager_undocked (
          manager, "HIST-1", base + G_GINT64_CONSTANT (7200) * G_USEC_PER_SEC, &error));
      g_assert_no_error (error);
    }
  /* Undocking a camera never seen records nothing. */
  g_assert_true (docket_charge_manager_undocked (manager, "OTHER", T0, &error));

  history = docket_charge_manager_list_history (manager, "HIST-1", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  s = g_ptr_array_index (history, 0); /* newest first */
  g_assert_cmpint (s->start_percent, ==, 31);
  g_assert_cmpint (s->end_percent, ==, 95);
  g_assert_cmpuint (s->cycle_count, ==, 202);
  g_assert_cmpfloat_with_epsilon (s->max_temperature_c, 38.0, 0.01);
  g_assert_cmpint (s->undocked_usec - s->docked_usec, ==,
                   G_GINT64_CONSTANT (7200) * G_USEC_PER_SEC);
  g_clear_pointer (&history, g_ptr_array_unref);
  history = docket_charge_manager_list_history (manager, "OTHER", 0, &error);
  g_assert_cmpuint (history->len, ==, 0);

  g_clear_object (&manager);
  g_clear_object (&db);
  {
    g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    g_assert_cmpint (system (cmd), ==, 0);
  }
}

/* ---- against the simulator --------------------------------------------- */

static DocketDcpDriver *
dock_camera (const gchar *serial, gboolean dcp_1_0, DocketSimCamera **out_camera)
{
  g_autoptr (GError) error = NULL;
  DocketSimCameraOptions options = { .serial = serial, .dcp_1_0 = dcp_1_0 };
  DocketSimCamera *camera = docket_sim_testbed_add_camera (testbed, &options, &error);

  g_assert_no_error (error);
  docket_sim_testbed_dock (testbed, serial, &error);
  g_assert_no_error (error);
  *out_camera = camera;
  return dcp_test_open_driver (testbed, serial);
}

/* One poll as the daemon does it: status, report, charge control. */
static DocketChargeReport *
poll (DocketChargeManager *manager,
      DocketDcpDriver *driver,
      const DocketChargeSettings *settings,
      gboolean spare,
      gboolean *out_supported)
{
  g_autoptr (GError) error = NULL;
  g_auto (DocketCameraIdentity) identity = { 0 };
  DocketCameraStatus status = { 0 };
  DocketChargeReport *report;

  docket_camera_driver_identify (DOCKET_CAMERA_DRIVER (driver), &identity, NULL, &error);
  g_assert_no_error (error);
  docket_camera_driver_get_status (DOCKET_CAMERA_DRIVER (driver), &status, NULL, &error);
  g_assert_no_error (error);
  report = docket_charge_manager_update (manager, identity.serial, settings, &status, spare,
                                         g_get_real_time ());
  docket_charge_manager_apply (
      manager, identity.serial, report, DOCKET_CAMERA_DRIVER (driver),
      docket_camera_driver_get_capabilities (DOCKET_CAMERA_DRIVER (driver)), out_supported, NULL,
      &error);
  g_assert_no_error (error);
  return report;
}

static void
test_sim_degraded_alert (void)
{
  g_autoptr (DocketChargeManager) manager = docket_charge_manager_new (NULL);
  DocketSimCamera *camera;
  g_autoptr (DocketDcpDriver) driver = dock_camera ("CHG-WORN", FALSE, &camera);
  g_autoptr (DocketChargeReport) healthy = NULL;
  g_autoptr (DocketChargeReport) worn = NULL;
  DocketChargeSettings settings;

  docket_charge_settings_init (&settings, NULL, NULL);
  healthy = poll (manager, driver, &settings, FALSE, NULL);
  g_assert_cmpint (healthy->health_percent, ==, 90); /* 2900 of 3200 mAh */
  g_assert_cmpuint (g_strv_length (healthy->alerts), ==, 0);

  docket_sim_camera_set_battery_health (camera, 812, 1900, 3200);
  worn = poll (manager, driver, &settings, FALSE, NULL);
  g_assert_cmpint (worn->health_percent, ==, 59);
  g_assert_true (has_alert (worn, "Worn battery"));
  g_assert_true (has_alert (worn, "812 charge cycles"));
}

static void
test_sim_too_hot (void)
{
  g_autoptr (DocketChargeManager) manager = docket_charge_manager_new (NULL);
  DocketSimCamera *camera;
  g_autoptr (DocketDcpDriver) driver = dock_camera ("CHG-HOT", FALSE, &camera);
  DocketChargeSettings settings;
  DocketChargeReport *report;
  gboolean supported = FALSE;
  DocketCameraStatus status = { 0 };
  g_autoptr (GError) error = NULL;

  docket_charge_settings_init (&settings, NULL, NULL);
  report = poll (manager, driver, &settings, FALSE, &supported);
  g_assert_true (supported);
  g_assert_cmpint (report->mode, ==, DOCKET_CHARGE_MODE_NORMAL);
  docket_charge_report_free (report);
  g_assert_cmpint (docket_sim_camera_get_charge_mode (camera, NULL), ==, DCP_CHARGE_NORMAL);

  docket_sim_camera_set_battery_temperature (camera, 48);
  report = poll (manager, driver, &settings, FALSE, NULL);
  g_assert_cmpint (report->mode, ==, DOCKET_CHARGE_MODE_STOP);
  g_assert_true (has_alert (report, "too hot"));
  assert_messages_match (report);
  docket_charge_report_free (report);
  /* The camera was told, and stops charging. */
  g_assert_cmpint (docket_sim_camera_get_charge_mode (camera, NULL), ==, DCP_CHARGE_STOP);
  docket_camera_driver_get_status (DOCKET_CAMERA_DRIVER (driver), &status, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status.charging, ==, DOCKET_CHARGING_NOT_CHARGING);
  report = poll (manager, driver, &settings, FALSE, NULL);
  g_assert_nonnull (strstr (report->note, "too hot"));
  docket_charge_report_free (report);

  /* Cooled down: charging resumes. */
  docket_sim_camera_set_battery_temperature (camera, 35);
  report = poll (manager, driver, &settings, FALSE, NULL);
  g_assert_cmpint (report->mode, ==, DOCKET_CHARGE_MODE_NORMAL);
  g_assert_cmpuint (g_strv_length (report->alerts), ==, 0);
  docket_charge_report_free (report);
  g_assert_cmpint (docket_sim_camera_get_charge_mode (camera, NULL), ==, DCP_CHARGE_NORMAL);
  docket_camera_driver_get_status (DOCKET_CAMERA_DRIVER (driver), &status, NULL, &error);
  g_assert_cmpint (status.charging, ==, DOCKET_CHARGING_CHARGING);
}

static void
test_sim_spare_storage (void)
{
  g_autoptr (DocketChargeManager) manager = docket_charge_manager_new (NULL);
  DocketSimCamera *camera;
  g_autoptr (DocketDcpDriver) driver = dock_camera ("CHG-SPARE", FALSE, &camera);
  DocketChargeSettings settings;
  DocketChargeReport *report;
  gint level = 0;

  docket_charge_settings_init (&settings, NULL, NULL);
  settings.storage_percent = 50;
  docket_sim_camera_set_battery (camera, 60);
  report = poll (manager, driver, &settings, TRUE, NULL);
  g_assert_cmpint (report->mode, ==, DOCKET_CHARGE_MODE_HOLD);
  docket_charge_report_free (report);
  g_assert_cmpint (docket_sim_camera_get_charge_mode (camera, &level), ==, DCP_CHARGE_HOLD);
  g_assert_cmpint (level, ==, 50);
  /* Above the level it no longer charges, and the kiosk says why. */
  report = poll (manager, driver, &settings, TRUE, NULL);
  g_assert_nonnull (strstr (report->note, "Held at 50 %"));
  docket_charge_report_free (report);
  g_assert_cmpfloat (docket_sim_camera_get_battery (camera), <, 60.5);

  /* Checked out / assigned: back to normal charging. */
  report = poll (manager, driver, &settings, FALSE, NULL);
  docket_charge_report_free (report);
  g_assert_cmpint (docket_sim_camera_get_charge_mode (camera, NULL), ==, DCP_CHARGE_NORMAL);
}

static void
test_sim_dcp_1_0 (void)
{
  g_autoptr (DocketChargeManager) manager = docket_charge_manager_new (NULL);
  DocketSimCamera *camera;
  g_autoptr (DocketDcpDriver) driver = dock_camera ("CHG-OLD", TRUE, &camera);
  DocketChargeSettings settings;
  DocketChargeReport *report;
  gboolean supported = TRUE;

  docket_charge_settings_init (&settings, NULL, NULL);
  docket_sim_camera_set_battery_temperature (camera, 50);
  /* A 1.0 camera still gets its report and alert, and no request it does
   * not know. */
  report = poll (manager, driver, &settings, FALSE, &supported);
  g_assert_false (supported);
  g_assert_true (has_alert (report, "too hot"));
  docket_charge_report_free (report);
  g_assert_cmpint (docket_sim_camera_get_charge_mode (camera, NULL), ==, DCP_CHARGE_NORMAL);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int rc;

  dcp_test_ensure_preload (argv);
  g_test_init (&argc, &argv, NULL);
  testbed = docket_sim_testbed_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/charge/ready-estimate", test_ready_estimate);
  g_test_add_func ("/charge/hot-and-storage", test_logic_hot_and_storage);
  g_test_add_func ("/charge/history", test_history);
  g_test_add_func ("/charge/sim/degraded-alert", test_sim_degraded_alert);
  g_test_add_func ("/charge/camera-messages", test_camera_messages);
  g_test_add_func ("/charge/sim/too-hot", test_sim_too_hot);
  g_test_add_func ("/charge/sim/spare-storage", test_sim_spare_storage);
  g_test_add_func ("/charge/sim/dcp-1-0", test_sim_dcp_1_0);
  rc = g_test_run ();
  g_clear_object (&testbed);
  return rc;
}
