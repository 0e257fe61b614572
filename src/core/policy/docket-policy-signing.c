/* docket-policy-signing.c — Ed25519 keys and signatures for the policy, and
 * the last good policy kept in the state dir
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "docket-error.h"
#include "docket-policy-private.h"

#define LAST_GOOD_NAME "last-good.policy"
/* The highest version ever accepted and its text's SHA-256, kept apart from
 * the last good policy and only ever raised: deleting that copy must not
 * let an older signed policy back in. */
#define FLOOR_NAME "version-floor"

/* Whoever may write the trusted keys may sign policies: the folder and each
 * key must belong to root (or to the user docketd runs as, for tests) and
 * be writable by no one else. */
static gboolean
owned_safely (const struct stat *st)
{
  return (st->st_uid == 0 || st->st_uid == geteuid ()) && (st->st_mode & 022) == 0;
}

/* Reads a file holding one base64 line of exactly @len bytes. */
static gboolean
read_base64_file (const gchar *path, const gchar *what, guint8 *out, gsize len, GError **error)
{
  g_autofree gchar *text = NULL;
  g_autofree guint8 *raw = NULL;
  gsize raw_len = 0;

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  g_strstrip (text);
  raw = g_base64_decode (text, &raw_len);
  if (raw_len != len)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("%s is not a %s (expected one line of base64)"), path, what);
      if (raw != NULL)
        sodium_memzero (raw, raw_len);
      return FALSE;
    }
  memcpy (out, raw, len);
  sodium_memzero (raw, raw_len);
  return TRUE;
}

static gboolean
write_base64_file (const gchar *path, const guint8 *data, gsize len, gint mode, GError **error)
{
  g_autofree gchar *b64 = g_base64_encode (data, len);
  g_autofree gchar *line = g_strconcat (b64, "\n", NULL);

  return g_file_set_contents_full (
      path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, mode, error);
}

static gboolean
ensure_sodium (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                           _ ("The cryptography library could not start"));
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_policy_keygen (const gchar *secret_key_path, const gchar *public_key_path, GError **error)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  gboolean ok;

  g_return_val_if_fail (secret_key_path != NULL && public_key_path != NULL, FALSE);

  if (!ensure_sodium (error))
    return FALSE;
  if (g_file_test (secret_key_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("%s already exists; not overwriting a key"), secret_key_path);
      return FALSE;
    }
  crypto_sign_keypair (pk, sk);
  ok = write_base64_file (secret_key_path, sk, sizeof sk, 0600, error)
       && write_base64_file (public_key_path, pk, sizeof pk, 0644, error);
  sodium_memzero (sk, sizeof sk);
  return ok;
}

gboolean
docket_policy_sign_file (const gchar *policy_path,
                         const gchar *secret_key_path,
                         gchar **out_signature_path,
                         GError **error)
{
  g_autofree gchar *data = NULL;
  g_autofree gchar *sig_path = NULL;
  g_autoptr (DocketPolicy) policy = NULL;
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  guint8 sig[crypto_sign_BYTES];
  gsize len = 0;

  if (!ensure_sodium (error))
    return FALSE;
  if (!g_file_get_contents (policy_path, &data, &len, error))
    return FALSE;
  policy = docket_policy_new_from_data (data, len, error);
  if (policy == NULL)
    {
      g_prefix_error (error, _ ("Not signing %s: "), policy_path);
      return FALSE;
    }
  if (!read_base64_file (secret_key_path, _ ("secret key"), sk, sizeof sk, error))
    return FALSE;
  crypto_sign_detached (sig, NULL, (const guint8 *)data, len, sk);
  sodium_memzero (sk, sizeof sk);
  sig_path = g_strconcat (policy_path, DOCKET_POLICY_SIGNATURE_SUFFIX, NULL);
  if (!write_base64_file (sig_path, sig, sizeof sig, 0644, error))
    return FALSE;
  if (out_signature_path != NULL)
    *out_signature_path = g_steal_pointer (&sig_path);
  return TRUE;
}

/* Tries every trusted key; a folder with a bad key file still lets the
 * good ones work, but the problem is logged. */
static gboolean
verify_with_keys (const gchar *data,
                  gsize len,
                  const guint8 sig[crypto_sign_BYTES],
                  const gchar *keys_dir,
                  gchar **out_key_name,
                  GError **error)
{
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GError) local_error = NULL;
  const gchar *name;
  guint n_keys = 0;
  struct stat st;

  if (!ensure_sodium (error))
    return FALSE;
  if (keys_dir == NULL || (dir = g_dir_open (keys_dir, 0, &local_error)) == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("No trusted policy keys: cannot read the folder %s"),
                   keys_dir != NULL ? keys_dir : "(none)");
      return FALSE;
    }
  if (g_stat (keys_dir, &st) != 0 || !S_ISDIR (st.st_mode) || !owned_safely (&st))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("The trusted policy keys in %s are refused: the folder must belong to root "
                      "and be writable by no one else"),
                   keys_dir);
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *path = NULL;
      g_autoptr (GError) key_error = NULL;
      guint8 pk[crypto_sign_PUBLICKEYBYTES];

      if (!g_str_has_suffix (name, ".pub"))
        continue;
      path = g_build_filename (keys_dir, name, NULL);
      if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode) || !owned_safely (&st))
        {
          g_message ("Ignoring trusted key %s: not a file of root's that only root may write",
                     path);
          continue;
        }
      if (!read_base64_file (path, _ ("public key"), pk, sizeof pk, &key_error))
        {
          g_message ("Ignoring trusted key: %s", key_error->message);
          continue;
        }
      n_keys++;
      if (crypto_sign_verify_detached (sig, (const guint8 *)data, len, pk) == 0)
        {
          if (out_key_name != NULL)
            *out_key_name = g_strdup (name);
          return TRUE;
        }
    }
  if (n_keys == 0)
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                 _ ("No trusted policy keys (*.pub) in %s"), keys_dir);
  else
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                 _ ("The signature does not match the policy with any of the %u trusted keys "
                    "(changed after signing, or signed with an untrusted key)"),
                 n_keys);
  return FALSE;
}

gboolean
docket_policy_verify_data (const gchar *data,
                           gsize len,
                           const gchar *signature_path,
                           const gchar *keys_dir,
                           gchar **out_key_name,
                           GError **error)
{
  guint8 sig[crypto_sign_BYTES];

  if (!g_file_test (signature_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("The policy is not signed: %s is missing"), signature_path);
      return FALSE;
    }
  if (!read_base64_file (signature_path, _ ("signature"), sig, sizeof sig, error))
    return FALSE;
  return verify_with_keys (data, len, sig, keys_dir, out_key_name, error);
}

DocketPolicy *
docket_policy_load_signed (const gchar *path, const gchar *keys_dir, GError **error)
{
  g_autofree gchar *data = NULL;
  g_autofree gchar *sig_path = g_strconcat (path, DOCKET_POLICY_SIGNATURE_SUFFIX, NULL);
  g_autofree gchar *key_name = NULL;
  g_autoptr (DocketPolicy) policy = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  if (!docket_policy_verify_data (data, len, sig_path, keys_dir, &key_name, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  policy = docket_policy_new_from_data (data, len, error);
  if (policy == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  _docket_policy_set_signed_by (policy, key_name);
  return g_steal_pointer (&policy);
}

/* The last good policy is one file, "base64 signature\nJSON", so that the
 * text and its signature are replaced together atomically. */
static DocketPolicy *
load_last_good (const gchar *path, const gchar *keys_dir, GError **error)
{
  g_autofree gchar *contents = NULL;
  g_autofree guint8 *sig = NULL;
  g_autofree gchar *key_name = NULL;
  g_autoptr (DocketPolicy) policy = NULL;
  gsize len = 0;
  gsize sig_len = 0;
  gchar *newline;
  gsize text_len;

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  newline = memchr (contents, '\n', len);
  if (newline == NULL)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("%s is damaged"), path);
      return NULL;
    }
  *newline = '\0';
  sig = g_base64_decode (contents, &sig_len);
  text_len = len - (gsize)(newline + 1 - contents);
  if (sig_len != crypto_sign_BYTES)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("%s is damaged"), path);
      return NULL;
    }
  if (!verify_with_keys (newline + 1, text_len, sig, keys_dir, &key_name, error))
    return NULL;
  policy = docket_policy_new_from_data (newline + 1, text_len, error);
  if (policy == NULL)
    return NULL;
  _docket_policy_set_signed_by (policy, key_name);
  return g_steal_pointer (&policy);
}

static gboolean
save_last_good (DocketPolicy *policy, const gchar *sig_path, const gchar *path, GError **error)
{
  g_autofree gchar *sig = NULL;
  g_autofree gchar *dir = g_path_get_dirname (path);
  g_autofree gchar *contents = NULL;

  if (!g_file_get_contents (sig_path, &sig, NULL, error))
    return FALSE;
  g_strstrip (sig);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Cannot create %s: %s"), dir,
                   g_strerror (errno));
      return FALSE;
    }
  contents = g_strconcat (sig, "\n", docket_policy_get_text (policy), NULL);
  return g_file_set_contents_full (path, contents, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

static gchar *
text_sha256 (DocketPolicy *policy)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, docket_policy_get_text (policy), -1);
}

/* Reads the floor: FALSE if there is none (a station that never had a
 * policy), or if it is damaged (then @error says so). */
static gboolean
read_floor (const gchar *path, gint64 *out_version, gchar **out_sha256, GError **error)
{
  g_autofree gchar *text = NULL;
  g_auto (GStrv) fields = NULL;
  gchar *end = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;
  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  fields = g_strsplit (g_strstrip (text), " ", 2);
  if (g_strv_length (fields) != 2 || strlen (fields[1]) != 64)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY, _ ("%s is damaged"), path);
      return FALSE;
    }
  *out_version = g_ascii_strtoll (fields[0], &end, 10);
  if (end == fields[0] || *end != '\0')
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY, _ ("%s is damaged"), path);
      return FALSE;
    }
  *out_sha256 = g_strdup (fields[1]);
  return TRUE;
}

static gboolean
write_floor (const gchar *path, DocketPolicy *policy, GError **error)
{
  g_autofree gchar *dir = g_path_get_dirname (path);
  g_autofree gchar *sha = text_sha256 (policy);
  g_autofree gchar *line
      = g_strdup_printf ("%" G_GINT64_FORMAT " %s\n", docket_policy_get_version (policy), sha);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Cannot create %s: %s"), dir,
                   g_strerror (errno));
      return FALSE;
    }
  return g_file_set_contents_full (
      path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, error);
}

/* Refuses @policy (from @where) if it is below the floor, or has the
 * floor's version with other content. */
static gboolean
check_floor (DocketPolicy *policy,
             const gchar *where,
             gint64 floor_version,
             const gchar *floor_sha256,
             GError **error)
{
  gint64 version = docket_policy_get_version (policy);
  g_autofree gchar *sha = NULL;

  if (floor_sha256 == NULL)
    return TRUE;
  if (version < floor_version)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("%s: version %lld is older than the policy in force "
                      "(version %lld)"),
                   where, (long long)version, (long long)floor_version);
      return FALSE;
    }
  sha = text_sha256 (policy);
  if (version == floor_version && g_strcmp0 (sha, floor_sha256) != 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("%s: version %lld differs from the policy in force with "
                      "the same version; raise “version” when changing the policy"),
                   where, (long long)version);
      return FALSE;
    }
  return TRUE;
}

DocketPolicy *
docket_policy_load_in_force (const gchar *incoming,
                             const gchar *keys_dir,
                             const gchar *state_dir,
                             GError **out_refusal)
{
  g_autofree gchar *last_path = g_build_filename (state_dir, "policy", LAST_GOOD_NAME, NULL);
  g_autofree gchar *floor_path = g_build_filename (state_dir, "policy", FLOOR_NAME, NULL);
  g_autofree gchar *floor_sha256 = NULL;
  g_autoptr (GError) floor_error = NULL;
  gint64 floor_version = G_MININT64;
  g_autofree gchar *sig_path = NULL;
  g_autoptr (DocketPolicy) last = NULL;
  g_autoptr (DocketPolicy) fresh = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) last_error = NULL;

  g_return_val_if_fail (state_dir != NULL, NULL);
  g_return_val_if_fail (out_refusal == NULL || *out_refusal == NULL, NULL);

  if (!read_floor (floor_path, &floor_version, &floor_sha256, &floor_error) && floor_error != NULL)
    {
      /* A damaged floor is no floor at all: nothing new is let in. */
      g_propagate_error (out_refusal, g_steal_pointer (&floor_error));
      return NULL;
    }
  if (g_file_test (last_path, G_FILE_TEST_EXISTS))
    last = load_last_good (last_path, keys_dir, &last_error);
  if (last != NULL && floor_sha256 == NULL)
    {
      /* Kept before the floor existed: it is the floor. */
      floor_version = docket_policy_get_version (last);
      floor_sha256 = text_sha256 (last);
      if (!write_floor (floor_path, last, &last_error))
        g_clear_object (&last);
    }
  /* An older copy put in place of the last good one is refused like any. */
  if (last != NULL && !check_floor (last, last_path, floor_version, floor_sha256, &last_error))
    g_clear_object (&last);
  if (last_error != NULL)
    g_prefix_error (&last_error, _ ("The last good policy kept in %s no longer loads: "),
                    last_path);
  if (incoming == NULL || !g_file_test (incoming, G_FILE_TEST_EXISTS))
    {
      if (last_error != NULL)
        g_propagate_error (out_refusal, g_steal_pointer (&last_error));
      return g_steal_pointer (&last);
    }
  if (last_error != NULL)
    g_message ("%s", last_error->message);

  fresh = docket_policy_load_signed (incoming, keys_dir, &error);
  if (fresh != NULL && !check_floor (fresh, incoming, floor_version, floor_sha256, &error))
    g_clear_object (&fresh);
  if (fresh != NULL && last != NULL
      && docket_policy_get_version (fresh) == docket_policy_get_version (last))
    return g_steal_pointer (&last);
  /* The floor rises first: a policy is in force only once it is recorded. */
  if (fresh != NULL && !write_floor (floor_path, fresh, &error))
    g_clear_object (&fresh);
  if (fresh == NULL)
    {
      g_propagate_error (out_refusal, g_steal_pointer (&error));
      return g_steal_pointer (&last);
    }
  sig_path = g_strconcat (incoming, DOCKET_POLICY_SIGNATURE_SUFFIX, NULL);
  if (!save_last_good (fresh, sig_path, last_path, &error))
    g_warning ("Cannot keep a copy of the policy in force: %s", error->message);
  return g_steal_pointer (&fresh);
}
