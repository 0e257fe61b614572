/* docket-camera-driver-registry.c — camera family name → driver factory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "docket-camera-driver-registry.h"

static GMutex registry_lock;
static GHashTable *registry; /* (owned) family → DocketCameraDriverFactory */

void
docket_camera_driver_registry_add (const gchar *family, DocketCameraDriverFactory factory)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&registry_lock);

  g_return_if_fail (family != NULL && *family != '\0');
  g_return_if_fail (factory != NULL);
  if (registry == NULL)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (registry, g_strdup (family), (gpointer)factory);
}

static DocketCameraDriverFactory
lookup (const gchar *family)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&registry_lock);

  if (registry == NULL || family == NULL)
    return NULL;
  return (DocketCameraDriverFactory)g_hash_table_lookup (registry, family);
}

gboolean
docket_camera_driver_registry_contains (const gchar *family)
{
  return lookup (family) != NULL;
}

DocketCameraDriver *
docket_camera_driver_registry_create (
    const gchar *family, DocketUsbContext *usb, guint8 bus, guint8 address, const gchar *label)
{
  DocketCameraDriverFactory factory = lookup (family);

  if (factory == NULL)
    return NULL;
  return factory (usb, bus, address, label);
}
