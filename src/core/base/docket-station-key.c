/* docket-station-key.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "docket-error.h"
#include "docket-station-key.h"

struct _DocketStationKey
{
  GObject parent_instance;

  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];
};

G_DEFINE_FINAL_TYPE (DocketStationKey, docket_station_key, G_TYPE_OBJECT)

static void
docket_station_key_finalize (GObject *object)
{
  DocketStationKey *self = DOCKET_STATION_KEY (object);

  sodium_memzero (self->secret_key, sizeof self->secret_key);
  G_OBJECT_CLASS (docket_station_key_parent_class)->finalize (object);
}

static void
docket_station_key_class_init (DocketStationKeyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_station_key_finalize;
}

static void
docket_station_key_init (DocketStationKey *self)
{
}

gchar *
docket_station_key_default_path (void)
{
  const gchar *env = g_getenv ("DOCKET_STATION_KEY");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (DOCKET_STATEDIR, "keys", "station.key", NULL);
}

static gboolean
set_io_error (GError **error, const gchar *what, const gchar *path, int saved)
{
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, "%s “%s”: %s", what, path,
               g_strerror (saved));
  return FALSE;
}

static gboolean
write_new_key (const gchar *path, const guint8 seed[crypto_sign_SEEDBYTES], GError **error)
{
  g_autofree gchar *dir = g_path_get_dirname (path);
  int fd;
  int dir_fd;

  if (g_mkdir_with_parents (dir, 0700) < 0)
    return set_io_error (error, _ ("Could not create the folder"), dir, errno);
  /* O_EXCL: two daemons starting at once must not each make a key. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_io_error (error, _ ("Could not create the station key"), path, errno);
  if (write (fd, seed, crypto_sign_SEEDBYTES) != crypto_sign_SEEDBYTES || fsync (fd) < 0)
    {
      int saved = errno;
      close (fd);
      (void)g_unlink (path);
      return set_io_error (error, _ ("Could not write the station key"), path, saved);
    }
  close (fd);
  dir_fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (dir_fd >= 0)
    {
      (void)fsync (dir_fd);
      close (dir_fd);
    }
  return TRUE;
}

DocketStationKey *
docket_station_key_load_or_create (const gchar *path, gboolean *out_created, GError **error)
{
  g_autoptr (DocketStationKey) self = NULL;
  guint8 seed[crypto_sign_SEEDBYTES];
  gboolean created = FALSE;
  struct stat st;

  g_return_val_if_fail (path != NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                   _ ("The cryptography library could not start"));
      return NULL;
    }
  if (g_stat (path, &st) == 0)
    {
      g_autofree gchar *contents = NULL;
      gsize len = 0;

      if ((st.st_mode & 077) != 0)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                       _ ("The station key “%s” is readable by others (mode %04o); it must be "
                          "0600"),
                       path, (unsigned)(st.st_mode & 07777));
          return NULL;
        }
      if (!g_file_get_contents (path, &contents, &len, error))
        return NULL;
      if (len != crypto_sign_SEEDBYTES)
        {
          sodium_memzero (contents, len);
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                       _ ("The station key “%s” is damaged (%zu bytes, not %d)"), path, len,
                       crypto_sign_SEEDBYTES);
          return NULL;
        }
      memcpy (seed, contents, sizeof seed);
      sodium_memzero (contents, len);
    }
  else if (errno == ENOENT)
    {
      randombytes_buf (seed, sizeof seed);
      if (!write_new_key (path, seed, error))
        {
          sodium_memzero (seed, sizeof seed);
          return NULL;
        }
      created = TRUE;
    }
  else
    {
      set_io_error (error, _ ("Could not read the station key"), path, errno);
      return NULL;
    }

  self = g_object_new (DOCKET_TYPE_STATION_KEY, NULL);
  crypto_sign_seed_keypair (self->public_key, self->secret_key, seed);
  sodium_memzero (seed, sizeof seed);
  if (out_created != NULL)
    *out_created = created;
  return g_steal_pointer (&self);
}

const guint8 *
docket_station_key_get_public_key (DocketStationKey *self)
{
  g_return_val_if_fail (DOCKET_IS_STATION_KEY (self), NULL);
  return self->public_key;
}

gchar *
docket_station_key_get_public_hex (DocketStationKey *self)
{
  g_return_val_if_fail (DOCKET_IS_STATION_KEY (self), NULL);
  return docket_hex_encode (self->public_key, sizeof self->public_key);
}

void
docket_station_key_sign (DocketStationKey *self,
                         const void *data,
                         gsize len,
                         guint8 out_signature[DOCKET_ED25519_SIG_LEN])
{
  g_return_if_fail (DOCKET_IS_STATION_KEY (self));
  crypto_sign_detached (out_signature, NULL, data, len, self->secret_key);
}

gboolean
docket_ed25519_verify (const guint8 public_key[DOCKET_ED25519_PUBLIC_LEN],
                       const void *data,
                       gsize len,
                       const guint8 signature[DOCKET_ED25519_SIG_LEN])
{
  if (sodium_init () < 0)
    return FALSE;
  return crypto_sign_verify_detached (signature, data, len, public_key) == 0;
}

gchar *
docket_ed25519_public_key_to_pem (const guint8 public_key[DOCKET_ED25519_PUBLIC_LEN])
{
  /* SubjectPublicKeyInfo { AlgorithmIdentifier { id-Ed25519 }, BIT STRING key }
   * (RFC 8410): a fixed 12-byte prefix, then the raw key. */
  static const guint8 prefix[]
      = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 };
  guint8 der[sizeof prefix + DOCKET_ED25519_PUBLIC_LEN];
  g_autofree gchar *b64 = NULL;

  memcpy (der, prefix, sizeof prefix);
  memcpy (der + sizeof prefix, public_key, DOCKET_ED25519_PUBLIC_LEN);
  b64 = g_base64_encode (der, sizeof der);
  return g_strdup_printf ("-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n", b64);
}

gchar *
docket_hex_encode (const guint8 *data, gsize len)
{
  GString *hex = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  return g_string_free (hex, FALSE);
}

gboolean
docket_hex_decode (const gchar *hex, guint8 *out, gsize len)
{
  if (hex == NULL || strlen (hex) != len * 2)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8)(hi << 4 | lo);
    }
  return TRUE;
}
