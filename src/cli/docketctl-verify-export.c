/* docketctl-verify-export.c — check an evidence package without trusting who made it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads only the package: every file against SHA256SUMS and the ASC MHL
 * manifest, each camera signature against the exported camera key, each
 * audit row against its hash, the chain between them and the station's
 * signed anchor. It does the checks VERIFY.txt explains by hand.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "docket-export.h"
#include "docket-sha256.h"
#include "docketctl.h"

typedef struct
{
  gchar *dir;
  GPtrArray *problems;
  GPtrArray *notes; /* weaker, not broken: said, but not a failure */
} Check;

static void problem (Check *check, const gchar *format, ...) G_GNUC_PRINTF (2, 3);

static void
problem (Check *check, const gchar *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (check->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Only plain relative paths inside the package. */
static gboolean
safe_relative (const gchar *rel)
{
  g_auto (GStrv) parts = NULL;

  if (rel == NULL || *rel == '\0' || g_path_is_absolute (rel))
    return FALSE;
  parts = g_strsplit (rel, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], "..") || g_str_equal (parts[i], ""))
      return FALSE;
  return TRUE;
}

static gchar *
file_sha256 (Check *check, const gchar *rel)
{
  g_autofree gchar *path = g_build_filename (check->dir, rel, NULL);
  guint8 digest[DOCKET_SHA256_LEN];

  if (!safe_relative (rel) || !docket_sha256_file (path, G_MAXUINT64, digest, NULL, NULL))
    return NULL;
  return docket_sha256_to_hex (digest);
}

static void
list_files (const gchar *dir, const gchar *prefix, GHashTable *out)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const gchar *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      g_autofree gchar *rel
          = prefix != NULL ? g_strconcat (prefix, "/", name, NULL) : g_strdup (name);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        list_files (path, rel, out);
      else
        g_hash_table_add (out, g_steal_pointer (&rel));
    }
}

static void
check_sums (Check *check)
{
  g_autofree gchar *path = g_build_filename (check->dir, "SHA256SUMS", NULL);
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      problem (check, _ ("SHA256SUMS is missing: the package cannot be checked"));
      return;
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const gchar *line = lines[i];
      g_autofree gchar *expected = NULL;
      g_autofree gchar *actual = NULL;
      const gchar *rel;

      if (*line == '\0')
        continue;
      if (strlen (line) < 67 || line[64] != ' ' || line[65] != ' ')
        {
          problem (check, _ ("SHA256SUMS line %u is malformed"), i + 1);
          continue;
        }
      expected = g_strndup (line, 64);
      rel = line + 66;
      g_hash_table_add (listed, g_strdup (rel));
      actual = file_sha256 (check, rel);
      if (actual == NULL)
        problem (check, _ ("%s: listed in SHA256SUMS but missing or unreadable"), rel);
      else if (g_ascii_strcasecmp (actual, expected) != 0)
        problem (check, _ ("%s: does not match SHA256SUMS — the file was changed"), rel);
    }
  list_files (check->dir, NULL, present);
  g_hash_table_iter_init (&iter, present);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const gchar *rel = key;

      if (!g_str_equal (rel, "SHA256SUMS") && !g_str_has_prefix (rel, "ascmhl/")
          && !g_hash_table_contains (listed, rel))
        problem (check, _ ("%s: not listed in SHA256SUMS — it was added"), rel);
    }
}

/* ---- ASC MHL ------------------------------------------------------------- */

typedef struct
{
  GString *text;
  gchar *path;
  gchar *size;
  gchar *c4;
  gchar *sha256;
  Check *check;
  guint entries;
} MhlParse;

static void
mhl_start (GMarkupParseContext *context,
           const gchar *element,
           const gchar **names,
           const gchar **values,
           gpointer data,
           GError **error)
{
  MhlParse *parse = data;

  g_string_truncate (parse->text, 0);
  if (g_str_equal (element, "path"))
    for (guint i = 0; names[i] != NULL; i++)
      if (g_str_equal (names[i], "size"))
        {
          g_free (parse->size);
          parse->size = g_strdup (values[i]);
        }
}

static void
mhl_text (GMarkupParseContext *context, const gchar *text, gsize len, gpointer data, GError **error)
{
  g_string_append_len (((MhlParse *)data)->text, text, (gssize)len);
}

static void
mhl_end (GMarkupParseContext *context, const gchar *element, gpointer data, GError **error)
{
  MhlParse *parse = data;
  gchar **slot = NULL;

  if (g_str_equal (element, "path"))
    slot = &parse->path;
  else if (g_str_equal (element, "c4"))
    slot = &parse->c4;
  else if (g_str_equal (element, "sha256"))
    slot = &parse->sha256;
  if (slot != NULL)
    {
      g_free (*slot);
      *slot = g_strstrip (g_strdup (parse->text->str));
      return;
    }
  if (g_str_equal (element, "hash") && parse->path != NULL)
    {
      Check *check = parse->check;
      g_autofree gchar *full = g_build_filename (check->dir, parse->path, NULL);
      g_autofree gchar *sha = file_sha256 (check, parse->path);
      g_autofree gchar *c4
          = safe_relative (parse->path) ? docket_export_c4_file (full, NULL) : NULL;
      GStatBuf st;

      parse->entries++;
      if (sha == NULL || c4 == NULL || g_stat (full, &st) < 0)
        problem (check, _ ("%s: listed in the ASC MHL manifest but missing"), parse->path);
      else if ((parse->sha256 != NULL && g_strcmp0 (sha, parse->sha256) != 0)
               || (parse->c4 != NULL && g_strcmp0 (c4, parse->c4) != 0)
               || (parse->size != NULL
                   && g_ascii_strtoull (parse->size, NULL, 10) != (guint64)st.st_size))
        problem (check, _ ("%s: does not match the ASC MHL manifest — the file was changed"),
                 parse->path);
      g_clear_pointer (&parse->path, g_free);
      g_clear_pointer (&parse->size, g_free);
      g_clear_pointer (&parse->c4, g_free);
      g_clear_pointer (&parse->sha256, g_free);
    }
}

static void
check_mhl (Check *check)
{
  g_autofree gchar *dir = g_build_filename (check->dir, "ascmhl", NULL);
  g_autofree gchar *chain_path = g_build_filename (dir, "ascmhl_chain.xml", NULL);
  g_autofree gchar *chain = NULL;
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const gchar *name;
  guint manifests = 0;
  const GMarkupParser parser = { mhl_start, mhl_end, mhl_text, NULL, NULL };

  (void)g_file_get_contents (chain_path, &chain, NULL, NULL);
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree gchar *path = NULL;
      g_autofree gchar *text = NULL;
      g_autofree gchar *c4 = NULL;
      g_autoptr (GMarkupParseContext) context = NULL;
      g_autoptr (GError) error = NULL;
      MhlParse parse = { 0 };
      gsize len = 0;

      if (!g_str_has_suffix (name, ".mhl"))
        continue;
      manifests++;
      path = g_build_filename (dir, name, NULL);
      c4 = docket_export_c4_file (path, NULL);
      if (chain == NULL || c4 == NULL || strstr (chain, c4) == NULL)
        problem (check,
                 _ ("ascmhl/%s: does not match ascmhl/ascmhl_chain.xml — the manifest was "
                    "changed"),
                 name);
      if (!g_file_get_contents (path, &text, &len, NULL))
        continue;
      parse.text = g_string_new (NULL);
      parse.check = check;
      context = g_markup_parse_context_new (&parser, 0, &parse, NULL);
      if (!g_markup_parse_context_parse (context, text, (gssize)len, &error)
          || !g_markup_parse_context_end_parse (context, &error))
        problem (check, _ ("ascmhl/%s: not a readable manifest: %s"), name, error->message);
      g_string_free (parse.text, TRUE);
      g_free (parse.path);
      g_free (parse.size);
      g_free (parse.c4);
      g_free (parse.sha256);
    }
  if (manifests == 0)
    problem (check, _ ("The ASC MHL manifest (ascmhl/*.mhl) is missing"));
}

/* ---- signatures and custody ---------------------------------------------- */

static gboolean
read_pem_key (Check *check, const gchar *rel, guint8 out[DOCKET_ED25519_PUBLIC_LEN])
{
  g_autofree gchar *path = NULL;
  g_autofree gchar *text = NULL;
  g_autoptr (GString) b64 = g_string_new (NULL);
  g_autofree guchar *der = NULL;
  g_auto (GStrv) lines = NULL;
  gsize len = 0;

  if (!safe_relative (rel))
    return FALSE;
  path = g_build_filename (check->dir, rel, NULL);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], "-----"))
      g_string_append (b64, g_strstrip (lines[i]));
  der = g_base64_decode (b64->str, &len);
  /* An Ed25519 SubjectPublicKeyInfo is 44 bytes, the key its last 32. */
  if (len != 44 || der[0] != 0x30 || der[9] != 0x03)
    return FALSE;
  memcpy (out, der + 12, DOCKET_ED25519_PUBLIC_LEN);
  return TRUE;
}

static GBytes *
read_rel (Check *check, const gchar *rel)
{
  g_autofree gchar *path = NULL;
  gchar *data = NULL;
  gsize len = 0;

  if (!safe_relative (rel))
    return NULL;
  path = g_build_filename (check->dir, rel, NULL);
  if (!g_file_get_contents (path, &data, &len, NULL))
    return NULL;
  return g_bytes_new_take (data, len);
}

static JsonNode *
read_json (Check *check, const gchar *rel)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree gchar *path = g_build_filename (check->dir, rel, NULL);

  if (!json_parser_load_from_file (parser, path, NULL))
    {
      problem (check, _ ("%s: missing or not readable"), rel);
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static const gchar *
member_string (JsonObject *object, const gchar *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
}

static void
check_signatures (Check *check)
{
  g_autoptr (JsonNode) root = read_json (check, "metadata/recordings.json");
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return;
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *rec = json_array_get_object_element (array, i);
      const gchar *file = member_string (rec, "file");
      const gchar *key_rel = member_string (rec, "camera-key");
      const gchar *msg_rel = member_string (rec, "signature-message");
      const gchar *sig_rel = member_string (rec, "signature");
      g_autoptr (GBytes) message = NULL;
      g_autoptr (GBytes) signature = NULL;
      g_autofree gchar *sha = NULL;
      g_autofree gchar *signed_sha = NULL;
      guint8 key[DOCKET_ED25519_PUBLIC_LEN];
      gsize msg_len = 0;
      const guint8 *msg;

      if (file == NULL)
        continue;
      if (msg_rel == NULL || sig_rel == NULL)
        {
          problem (check, _ ("%s: no camera signature was kept for this recording"), file);
          continue;
        }
      if (key_rel == NULL || !read_pem_key (check, key_rel, key))
        {
          problem (check, _ ("%s: the camera key %s is missing or not an Ed25519 key"), file,
                   key_rel != NULL ? key_rel : "");
          continue;
        }
      message = read_rel (check, msg_rel);
      signature = read_rel (check, sig_rel);
      if (message == NULL || signature == NULL
          || g_bytes_get_size (signature) != DOCKET_ED25519_SIG_LEN)
        {
          problem (check, _ ("%s: its signature files are missing"), file);
          continue;
        }
      msg = g_bytes_get_data (message, &msg_len);
      if (!docket_ed25519_verify (key, msg, msg_len, g_bytes_get_data (signature, NULL)))
        {
          problem (check, _ ("%s: the camera's signature does not verify (%s)"), file, sig_rel);
          continue;
        }
      sha = file_sha256 (check, file);
      if (msg_len >= DOCKET_SHA256_LEN)
        signed_sha = docket_sha256_to_hex (msg + msg_len - DOCKET_SHA256_LEN);
      if (sha == NULL || g_strcmp0 (sha, signed_sha) != 0)
        problem (check, _ ("%s: is not the recording the camera signed — the file was changed"),
                 file);
    }
}

static void
check_custody (Check *check)
{
  g_autoptr (JsonNode) root = read_json (check, "metadata/audit.json");
  g_autoptr (GHashTable) chain_hash
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  JsonObject *audit;
  JsonArray *rows;
  JsonArray *chain;
  JsonNode *anchor_node;
  const gchar *previous = NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  audit = json_node_get_object (root);
  rows = json_object_get_array_member (audit, "rows");
  chain = json_object_get_array_member (audit, "chain");
  for (guint i = 0; chain != NULL && i < json_array_get_length (chain); i++)
    {
      JsonArray *link = json_array_get_array_element (chain, i);
      gint64 *seq = g_new (gint64, 1);
      const gchar *prev = json_array_get_string_element (link, 1);
      const gchar *hash = json_array_get_string_element (link, 2);

      *seq = json_array_get_int_element (link, 0);
      if (previous != NULL && g_strcmp0 (prev, previous) != 0)
        problem (check, _ ("metadata/audit.json: the chain breaks at row %" PRId64), *seq);
      previous = hash;
      g_hash_table_replace (chain_hash, seq, g_strdup (hash));
    }
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      DocketAuditEntry entry = { 0 };
      g_autofree gchar *computed = NULL;

      entry.seq = json_object_get_int_member (row, "seq");
      entry.time_usec = json_object_get_int_member (row, "time_usec");
      entry.actor = (gchar *)member_string (row, "actor");
      entry.action = (gchar *)member_string (row, "action");
      entry.subject = (gchar *)member_string (row, "subject");
      entry.reason = (gchar *)member_string (row, "reason");
      entry.details = (gchar *)member_string (row, "details");
      entry.prev_hash = (gchar *)member_string (row, "prev_hash");
      entry.hash = (gchar *)member_string (row, "hash");
      computed = docket_audit_entry_compute_hash (&entry);
      if (g_strcmp0 (computed, entry.hash) != 0)
        problem (check,
                 _ ("metadata/audit.json: audit row %" PRId64 " was changed after it was "
                    "written"),
                 entry.seq);
      else if (g_strcmp0 (g_hash_table_lookup (chain_hash, &entry.seq), entry.hash) != 0)
        problem (check, _ ("metadata/audit.json: audit row %" PRId64 " is not in the chain"),
                 entry.seq);
    }

  anchor_node = json_object_get_member (audit, "anchor");
  if (anchor_node == NULL || JSON_NODE_HOLDS_NULL (anchor_node))
    {
      /* Exported before the station's next signature: the rows are
       * still hash-checked, only not signed. */
      g_ptr_array_add (check->notes,
                       g_strdup (_ ("Note: no signed anchor covered these audit rows when this "
                                    "package was written: their hashes are checked, but the "
                                    "station has not signed them.")));
      return;
    }
  {
    JsonObject *anchor = json_node_get_object (anchor_node);
    gint64 seq = json_object_get_int_member (anchor, "seq");
    const gchar *hash = member_string (anchor, "hash");
    g_autofree gchar *expected
        = docket_audit_anchor_message (seq, hash, json_object_get_int_member (anchor, "time_usec"));
    g_autoptr (GBytes) message = read_rel (check, "anchor/anchor.msg");
    g_autoptr (GBytes) signature = read_rel (check, "anchor/anchor.sig");
    guint8 key[DOCKET_ED25519_PUBLIC_LEN];
    gsize len = 0;
    const gchar *msg;

    if (message == NULL || signature == NULL || !read_pem_key (check, "keys/station.pem", key)
        || g_bytes_get_size (signature) != DOCKET_ED25519_SIG_LEN)
      {
        problem (check, _ ("anchor/: the signed anchor or the station key is missing"));
        return;
      }
    msg = g_bytes_get_data (message, &len);
    if (!docket_ed25519_verify (key, msg, len, g_bytes_get_data (signature, NULL)))
      problem (check, _ ("anchor/anchor.sig: the station's signature does not verify"));
    else if (len != strlen (expected) || memcmp (msg, expected, len) != 0)
      problem (check, _ ("anchor/anchor.msg: does not say what metadata/audit.json says"));
    else if (g_strcmp0 (g_hash_table_lookup (chain_hash, &seq), hash) != 0)
      problem (
          check,
          _ ("metadata/audit.json: the chain does not reach the signed anchor (row %" PRId64 ")"),
          seq);
  }
}

int
docketctl_verify_export (const DocketctlOptions *options, int argc, char **argv)
{
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  Check check = { 0 };

  if (argc != 2)
    {
      g_printerr (_ ("docketctl verify-export: say which package folder to check\n"));
      return DOCKETCTL_EXIT_USAGE;
    }
  if (!g_file_test (argv[1], G_FILE_TEST_IS_DIR))
    {
      g_printerr (_ ("docketctl verify-export: %s is not a folder\n"), argv[1]);
      return DOCKETCTL_EXIT_USAGE;
    }
  check.dir = argv[1];
  check.problems = problems;
  check.notes = notes;
  check_sums (&check);
  check_mhl (&check);
  check_signatures (&check);
  check_custody (&check);

  if (options->json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "intact");
      json_builder_add_boolean_value (builder, problems->len == 0);
      json_builder_set_member_name (builder, "problems");
      json_builder_begin_array (builder);
      for (guint i = 0; i < problems->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (problems, i));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "notes");
      json_builder_begin_array (builder);
      for (guint i = 0; i < notes->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (notes, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      docketctl_print_json (node, TRUE);
    }
  else
    {
      for (guint i = 0; i < notes->len; i++)
        g_print ("%s\n", (const gchar *)g_ptr_array_index (notes, i));
      for (guint i = 0; i < problems->len; i++)
        g_print ("%s\n", (const gchar *)g_ptr_array_index (problems, i));
      if (problems->len == 0 && notes->len == 0)
        g_print (_ ("Intact: every file matches SHA256SUMS and the ASC MHL manifest, every "
                    "camera signature verifies, and the audit rows chain to the station's signed "
                    "anchor.\n"));
      else if (problems->len == 0)
        g_print (_ ("Intact: every file matches SHA256SUMS and the ASC MHL manifest, every "
                    "camera signature verifies, and the audit rows are whole.\n"));
      else
        g_print (_ ("BROKEN: %u problems.\n"), problems->len);
    }
  return problems->len == 0 ? DOCKETCTL_EXIT_OK : DOCKETCTL_EXIT_FAILED;
}
