/* test-camera-driver.c — the driver interface's optional operations and the
 * family registry, with a driver that implements only what is required
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-camera-driver-registry.h"
#include "docket-drivers.h"
#include "docket-error.h"

#define TEST_TYPE_MINIMAL_DRIVER (test_minimal_driver_get_type ())
G_DECLARE_FINAL_TYPE (TestMinimalDriver, test_minimal_driver, TEST, MINIMAL_DRIVER, GObject)

struct _TestMinimalDriver
{
  GObject parent_instance;
  gchar *label;
};

static const gchar *
minimal_get_name (DocketCameraDriver *driver)
{
  return "minimal";
}

static gboolean
minimal_identify (DocketCameraDriver *driver,
                  DocketCameraIdentity *out_identity,
                  GCancellable *cancellable,
                  GError **error)
{
  out_identity->serial = g_strdup (TEST_MINIMAL_DRIVER (driver)->label);
  return TRUE;
}

static void
test_minimal_driver_iface_init (DocketCameraDriverInterface *iface)
{
  iface->get_name = minimal_get_name;
  iface->identify = minimal_identify;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMinimalDriver,
                               test_minimal_driver,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DOCKET_TYPE_CAMERA_DRIVER,
                                                      test_minimal_driver_iface_init))

static void
test_minimal_driver_finalize (GObject *object)
{
  g_free (TEST_MINIMAL_DRIVER (object)->label);
  G_OBJECT_CLASS (test_minimal_driver_parent_class)->finalize (object);
}

static void
test_minimal_driver_class_init (TestMinimalDriverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_minimal_driver_finalize;
}

static void
test_minimal_driver_init (TestMinimalDriver *self)
{
}

static DocketCameraDriver *
new_minimal (DocketUsbContext *usb, guint8 bus, guint8 address, const gchar *label)
{
  TestMinimalDriver *self = g_object_new (TEST_TYPE_MINIMAL_DRIVER, NULL);

  self->label = g_strdup_printf ("%s@%u.%u", label, bus, address);
  return DOCKET_CAMERA_DRIVER (self);
}

static void
test_registry (void)
{
  g_autoptr (DocketCameraDriver) driver = NULL;
  g_auto (DocketCameraIdentity) identity = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_false (docket_camera_driver_registry_contains ("minimal"));
  g_assert_null (docket_camera_driver_registry_create ("minimal", NULL, 1, 2, "slot"));

  docket_camera_driver_registry_add ("minimal", new_minimal);
  g_assert_true (docket_camera_driver_registry_contains ("minimal"));
  g_assert_false (docket_camera_driver_registry_contains ("dcp-2"));
  g_assert_false (docket_camera_driver_registry_contains (NULL));

  driver = docket_camera_driver_registry_create ("minimal", NULL, 1, 2, "slot");
  g_assert_nonnull (driver);
  g_assert_cmpstr (docket_camera_driver_get_name (driver), ==, "minimal");
  g_assert_true (docket_camera_driver_identify (driver, &identity, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (identity.serial, ==, "slot@1.2");
}

static void
test_builtin_families (void)
{
  docket_drivers_register_builtin ();
  docket_drivers_register_builtin (); /* twice is harmless */
  g_assert_true (docket_camera_driver_registry_contains ("dcp"));
}

/* What a family leaves out is either a harmless success or a clear
 * "not supported", never a crash. */
static void
test_optional_operations (void)
{
  g_autoptr (DocketCameraDriver) driver = new_minimal (NULL, 0, 0, "x");
  static const guint8 sha[DOCKET_SHA256_LEN] = { 0 };
  static const guint8 chunk[16] = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (docket_camera_driver_open (driver, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (docket_camera_driver_get_capabilities (driver), ==, DOCKET_CAMERA_CAP_NONE);
  g_assert_true (docket_camera_driver_set_indicator (driver, DOCKET_INDICATOR_DONE, NULL, &error));
  g_assert_true (docket_camera_driver_firmware_abort (driver, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (
      docket_camera_driver_set_charge (driver, DOCKET_CHARGE_MODE_STOP, 0, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (docket_camera_driver_firmware_begin (driver, 16, sha, "1.0", NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (
      docket_camera_driver_firmware_write (driver, 0, chunk, sizeof chunk, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (docket_camera_driver_firmware_commit (driver, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (docket_camera_driver_list_recordings (driver, NULL, &error));
  g_assert_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/camera-driver/registry", test_registry);
  g_test_add_func ("/camera-driver/builtin-families", test_builtin_families);
  g_test_add_func ("/camera-driver/optional-operations", test_optional_operations);
  return g_test_run ();
}
