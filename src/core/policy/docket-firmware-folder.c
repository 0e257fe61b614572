/* docket-firmware-folder.c — the folder IT drops camera firmware images into
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/evp.h>

#include "docket-camera-driver.h"
#include "docket-error.h"
#include "docket-firmware-folder.h"
#include "docket-sha256.h"

void
docket_firmware_image_free (DocketFirmwareImage *image)
{
  if (image == NULL)
    return;
  g_free (image->file_name);
  g_free (image->version);
  g_free (image->sha256);
  g_free (image);
}

gchar *
docket_firmware_default_dir (const gchar *state_dir)
{
  const gchar *env = g_getenv ("DOCKET_FIRMWARE_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (state_dir != NULL ? state_dir : DOCKET_STATEDIR, "firmware", NULL);
}

gchar *
docket_firmware_version_from_file_name (const gchar *file_name)
{
  const gchar *dash;
  gsize len;
  g_autofree gchar *version = NULL;

  if (file_name == NULL || !g_str_has_suffix (file_name, ".bin"))
    return NULL;
  dash = strrchr (file_name, '-');
  if (dash == NULL)
    return NULL;
  len = strlen (dash + 1) - strlen (".bin");
  if (len == 0 || len > DOCKET_FIRMWARE_VERSION_MAX)
    return NULL;
  version = g_strndup (dash + 1, len);
  /* Digits and dots, starting and ending with a digit. */
  if (!g_ascii_isdigit (version[0]) || !g_ascii_isdigit (version[len - 1]))
    return NULL;
  for (const gchar *p = version; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p == '.' && p[1] != '.'))
      return NULL;
  return g_steal_pointer (&version);
}

static gint
compare_images (gconstpointer a, gconstpointer b)
{
  const DocketFirmwareImage *ia = *(DocketFirmwareImage *const *)a;
  const DocketFirmwareImage *ib = *(DocketFirmwareImage *const *)b;

  return g_strcmp0 (ia->file_name, ib->file_name);
}

GPtrArray *
docket_firmware_folder_list (const gchar *dir, GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) images
      = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_firmware_image_free);
  g_autoptr (GDir) d = NULL;
  g_autoptr (GError) local_error = NULL;
  const gchar *name;

  d = g_dir_open (dir, 0, &local_error);
  if (d == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&images);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                   _ ("Cannot read the firmware folder %s: %s"), dir, local_error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      g_autoptr (DocketFirmwareImage) image = NULL;
      guint8 digest[DOCKET_SHA256_LEN];
      GStatBuf st;

      if (!g_str_has_suffix (name, ".bin") || g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      if (!docket_sha256_file (path, G_MAXUINT64, digest, cancellable, error))
        {
          g_prefix_error (error, _ ("Cannot read the firmware image %s: "), name);
          return NULL;
        }
      image = g_new0 (DocketFirmwareImage, 1);
      image->file_name = g_strdup (name);
      image->version = docket_firmware_version_from_file_name (name);
      image->size = (guint64)st.st_size;
      image->sha256 = docket_sha256_to_hex (digest);
      g_ptr_array_add (images, g_steal_pointer (&image));
    }
  g_ptr_array_sort (images, compare_images);
  return g_steal_pointer (&images);
}

GBytes *
docket_firmware_folder_load (const gchar *dir,
                             const DocketModelPolicy *model,
                             gchar **out_version,
                             GError **error)
{
  g_autofree gchar *path = NULL;
  g_autofree gchar *contents = NULL;
  g_autofree gchar *version = NULL;
  g_autofree gchar *hex = NULL;
  g_autoptr (GError) local_error = NULL;
  guint8 digest[DOCKET_SHA256_LEN];
  gsize len = 0;
  GStatBuf st;

  g_return_val_if_fail (model != NULL, NULL);

  if (model->firmware_image == NULL || model->firmware_sha256 == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                   _ ("The device policy names no firmware image for %s"), model->model);
      return NULL;
    }
  /* The policy already refuses names with '/'; never leave the folder. */
  if (strchr (model->firmware_image, '/') != NULL || model->firmware_image[0] == '.')
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("The firmware image name “%s” is not a plain file name"),
                   model->firmware_image);
      return NULL;
    }
  version = docket_firmware_version_from_file_name (model->firmware_image);
  if (version == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("The firmware image name “%s” does not end in -VERSION.bin (e.g. "
                      "camera-2.1.0.bin)"),
                   model->firmware_image);
      return NULL;
    }
  path = g_build_filename (dir, model->firmware_image, NULL);
  /* Never read a file far larger than any image into memory. */
  if (g_stat (path, &st) == 0 && (guint64)st.st_size > DOCKET_FIRMWARE_MAX_IMAGE)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("The firmware image %s is larger than the %u MiB a camera takes"),
                   model->firmware_image, DOCKET_FIRMWARE_MAX_IMAGE / (1024 * 1024));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND,
                   _ ("The firmware image %s is not in the firmware folder %s: %s"),
                   model->firmware_image, dir, local_error->message);
      return NULL;
    }
  if (len == 0 || len > DOCKET_FIRMWARE_MAX_IMAGE)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("The firmware image %s is %zu bytes; a camera takes 1 byte to %u MiB"),
                   model->firmware_image, len, DOCKET_FIRMWARE_MAX_IMAGE / (1024 * 1024));
      return NULL;
    }
  /* Hash the very bytes that will be sent, not the file again later. */
  EVP_Digest (contents, len, digest, NULL, EVP_sha256 (), NULL);
  hex = docket_sha256_to_hex (digest);
  if (g_ascii_strcasecmp (hex, model->firmware_sha256) != 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("The firmware image %s does not match the SHA-256 in the device policy (it "
                      "is %s, the policy says %s): it may have been altered or copied "
                      "incompletely, so it was not sent to any camera"),
                   model->firmware_image, hex, model->firmware_sha256);
      return NULL;
    }
  if (out_version != NULL)
    *out_version = g_steal_pointer (&version);
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}
