/* docket-audit-anchors.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "docket-audit-anchors.h"
#include "docket-error.h"
#include "docket-sha256.h"

void
docket_audit_anchor_free (DocketAuditAnchor *anchor)
{
  if (anchor == NULL)
    return;
  g_free (anchor->hash);
  g_free (anchor);
}

gchar *
docket_audit_anchor_message (gint64 seq, const gchar *hash, gint64 time_usec)
{
  return g_strdup_printf (DOCKET_AUDIT_ANCHOR_MAGIC " %" G_GINT64_FORMAT " %s %" G_GINT64_FORMAT,
                          seq, hash, time_usec);
}

DocketAuditAnchor *
docket_audit_anchors_append (
    const gchar *path, DocketStationKey *key, gint64 seq, const gchar *hash, GError **error)
{
  g_autoptr (DocketAuditAnchor) anchor = g_new0 (DocketAuditAnchor, 1);
  g_autofree gchar *message = NULL;
  g_autofree gchar *pub_hex = NULL;
  g_autofree gchar *sig_hex = NULL;
  g_autofree gchar *line = NULL;
  gsize len;
  int fd;

  g_return_val_if_fail (DOCKET_IS_STATION_KEY (key), NULL);

  anchor->seq = seq;
  anchor->hash = g_strdup (hash);
  anchor->time_usec = g_get_real_time ();
  memcpy (anchor->public_key, docket_station_key_get_public_key (key), DOCKET_ED25519_PUBLIC_LEN);
  message = docket_audit_anchor_message (seq, hash, anchor->time_usec);
  docket_station_key_sign (key, message, strlen (message), anchor->signature);
  anchor->signature_ok = TRUE;
  pub_hex = docket_hex_encode (anchor->public_key, DOCKET_ED25519_PUBLIC_LEN);
  sig_hex = docket_hex_encode (anchor->signature, DOCKET_ED25519_SIG_LEN);
  line = g_strdup_printf ("%s %s %s\n", message, pub_hex, sig_hex);
  len = strlen (line);

  /* O_APPEND: a line is never written over another, even by two writers. */
  fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 || write (fd, line, len) != (gssize)len || fsync (fd) < 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE,
                   _ ("Could not write the audit anchor to “%s”: %s"), path, g_strerror (saved));
      return NULL;
    }
  close (fd);
  return g_steal_pointer (&anchor);
}

static DocketAuditAnchor *
parse_line (const gchar *text, guint line_no)
{
  g_auto (GStrv) fields = g_strsplit (text, " ", -1);
  g_autoptr (DocketAuditAnchor) anchor = g_new0 (DocketAuditAnchor, 1);
  g_autofree gchar *message = NULL;
  gchar *end = NULL;

  if (g_strv_length (fields) != 6 || !g_str_equal (fields[0], DOCKET_AUDIT_ANCHOR_MAGIC))
    return NULL;
  anchor->line = line_no;
  anchor->seq = g_ascii_strtoll (fields[1], &end, 10);
  if (end == fields[1] || *end != '\0' || anchor->seq < 0)
    return NULL;
  if (!docket_sha256_hex_is_valid (fields[2]))
    return NULL;
  anchor->hash = g_strdup (fields[2]);
  anchor->time_usec = g_ascii_strtoll (fields[3], &end, 10);
  if (end == fields[3] || *end != '\0')
    return NULL;
  if (!docket_hex_decode (fields[4], anchor->public_key, DOCKET_ED25519_PUBLIC_LEN)
      || !docket_hex_decode (fields[5], anchor->signature, DOCKET_ED25519_SIG_LEN))
    return NULL;
  message = docket_audit_anchor_message (anchor->seq, anchor->hash, anchor->time_usec);
  anchor->signature_ok
      = docket_ed25519_verify (anchor->public_key, message, strlen (message), anchor->signature);
  return g_steal_pointer (&anchor);
}

GPtrArray *
docket_audit_anchors_read (const gchar *path, GPtrArray *problems, GError **error)
{
  g_autoptr (GPtrArray) anchors
      = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_audit_anchor_free);
  g_autoptr (GError) local_error = NULL;
  g_autofree gchar *contents = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&anchors);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      DocketAuditAnchor *anchor;

      /* The last split is the empty text after the final newline. */
      if (lines[i][0] == '\0' && lines[i + 1] == NULL)
        break;
      anchor = parse_line (lines[i], i + 1);
      if (anchor == NULL)
        g_ptr_array_add (problems,
                         g_strdup_printf (_ ("Line %u of the anchors file is not a signed audit "
                                             "anchor: the file was edited"),
                                          i + 1));
      else
        g_ptr_array_add (anchors, anchor);
    }
  return g_steal_pointer (&anchors);
}

DocketAuditAnchor *
docket_audit_anchors_read_last (const gchar *path, GError **error)
{
  /* An anchor line is about 300 bytes; two of them always hold the last. */
  gchar tail[1024];
  gchar *end;
  gchar *start;
  gssize got;
  off_t size;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      if (saved == ENOENT)
        return NULL;
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Could not read “%s”: %s"), path,
                   g_strerror (saved));
      return NULL;
    }
  size = lseek (fd, 0, SEEK_END);
  if (size > (off_t)(sizeof tail - 1))
    (void)lseek (fd, size - (off_t)(sizeof tail - 1), SEEK_SET);
  else
    (void)lseek (fd, 0, SEEK_SET);
  got = read (fd, tail, sizeof tail - 1);
  close (fd);
  if (got <= 0)
    return NULL;
  tail[got] = '\0';
  end = tail + got;
  while (end > tail && end[-1] == '\n')
    *--end = '\0';
  start = strrchr (tail, '\n');
  start = start != NULL ? start + 1 : tail;
  return parse_line (start, 0);
}

static gchar *
format_time (gint64 usec)
{
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M:%S UTC") : g_strdup ("?");
}

gboolean
docket_audit_anchors_check (GPtrArray *anchors,
                            const guint8 *station_key,
                            DocketAuditLog *log,
                            GPtrArray *problems,
                            gint64 *out_newest_seq,
                            GError **error)
{
  g_autofree gchar *head_hash = NULL;
  gint64 head = 0;
  gint64 newest = 0;
  gint64 previous_seq = 0;

  if (!docket_audit_log_get_head (log, &head, &head_hash, error))
    return FALSE;

  for (guint i = 0; i < anchors->len; i++)
    {
      DocketAuditAnchor *anchor = g_ptr_array_index (anchors, i);
      g_autofree gchar *when = format_time (anchor->time_usec);
      g_autoptr (DocketAuditEntry) row = NULL;

      if (!anchor->signature_ok
          || (station_key != NULL
              && memcmp (station_key, anchor->public_key, DOCKET_ED25519_PUBLIC_LEN) != 0))
        {
          g_ptr_array_add (problems,
                           g_strdup_printf (_ ("The audit anchor on line %u (row %" PRId64
                                               ", %s) is not signed by this station's key: "
                                               "the anchors file was forged or edited"),
                                            anchor->line, anchor->seq, when));
          continue;
        }
      if (anchor->seq < previous_seq)
        g_ptr_array_add (problems,
                         g_strdup_printf (_ ("The audit anchor on line %u goes back from row "
                                             "%" PRId64 " to row %" PRId64 ""),
                                          anchor->line, previous_seq, anchor->seq));
      previous_seq = MAX (previous_seq, anchor->seq);
      newest = MAX (newest, anchor->seq);
      if (anchor->seq == 0)
        continue;
      row = docket_audit_log_get (log, anchor->seq, error);
      if (row == NULL && error != NULL && *error != NULL)
        return FALSE;
      if (row == NULL)
        {
          if (anchor->seq > head)
            g_ptr_array_add (
                problems,
                g_strdup_printf (_ ("The audit log was shortened: it ends at row %" PRId64
                                    " but the station signed row %" PRId64 " at %s, so rows were "
                                    "deleted from its end (at least %" PRId64 ")"),
                                 head, anchor->seq, when, anchor->seq - head));
          else
            g_ptr_array_add (problems,
                             g_strdup_printf (_ ("Audit row %" PRId64 ", signed by the station at "
                                                 "%s, was deleted"),
                                              anchor->seq, when));
        }
      else if (g_strcmp0 (row->hash, anchor->hash) != 0)
        g_ptr_array_add (problems,
                         g_strdup_printf (_ ("Audit row %" PRId64 " no longer has the hash the "
                                             "station signed at %s: the chain was rewritten and "
                                             "its hashes recomputed"),
                                          anchor->seq, when));
    }
  if (out_newest_seq != NULL)
    *out_newest_seq = newest;
  return TRUE;
}
