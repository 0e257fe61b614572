/* test-export.c — `docketctl export` packages check out with common tools and catch a flipped byte
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The package is checked the way a court's expert would: sha256sum -c,
 * xmllint against the published ASC MHL schema, openssl pkeyutl for the
 * camera's and the station's Ed25519 signatures; then by docketctl
 * verify-export. The real tools are used; a test skips when one is missing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "docket-evidence-store.h"
#include "docket-test-daemon.h"
#include "docket-test-store.h"

typedef struct
{
  gchar *dir;
  gchar *store;
  gchar *out;     /* where packages go */
  gchar *package; /* the package under test */
} Fixture;

static gint
run_in (const gchar *cwd, const gchar *const *argv, gchar **out)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *err = NULL;
  gint status = 0;

  g_assert_true (g_spawn_sync (cwd, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s: %s%s", argv[0], out != NULL && *out != NULL ? *out : "", err);
  if (out != NULL)
    {
      g_autofree gchar *both = g_strconcat (*out, err, NULL);
      g_free (*out);
      *out = g_steal_pointer (&both);
    }
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static gint export(Fixture *f, const gchar *flag, const gchar *what, gchar **out_package)
{
  const gchar *argv[]
      = { g_getenv ("DOCKETCTL"),      "export",  flag,     what,     "--to", f->out, "--reason",
          "Prosecutor's request PR-7", "--store", f->store, "--json", NULL };
  g_autofree gchar *out = NULL;
  gint status = docket_test_run (argv, &out, NULL);

  if (status == 0 && out_package != NULL)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
      *out_package = g_strdup (json_object_get_string_member (
          json_node_get_object (json_parser_get_root (parser)), "package"));
    }
  return status;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (DocketTestStore) made = { 0 };

  f->dir = g_dir_make_tmp ("docket-test-export-XXXXXX", &error);
  g_assert_no_error (error);
  docket_test_store_make (f->dir, "store", &made);
  f->store = g_build_filename (f->dir, "store", NULL);
  f->out = g_build_filename (f->dir, "exports", NULL);
  g_assert_cmpint (export(f, "--recording", "1", &f->package), ==, 0);
  g_assert_true (g_file_test (f->package, G_FILE_TEST_IS_DIR));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree gchar *cmd = g_strdup_printf ("chmod -R u+w '%s' && rm -rf '%s'", f->dir, f->dir);

  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->store);
  g_free (f->out);
  g_free (f->package);
}

static gboolean
have (const gchar *tool)
{
  g_autofree gchar *path = g_find_program_in_path (tool);

  if (path == NULL)
    g_test_skip_printf ("%s is not installed", tool);
  return path != NULL;
}

static gchar *
find_one (const gchar *dir, const gchar *suffix)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const gchar *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, suffix))
      return g_build_filename (dir, name, NULL);
  g_assert_not_reached ();
}

static void
test_sha256sum (Fixture *f, gconstpointer data)
{
  const gchar *argv[] = { "sha256sum", "-c", "SHA256SUMS", NULL };
  g_autofree gchar *out = NULL;
  g_autofree gchar *file = g_build_filename (f->package, "recordings", "1_clip-1", NULL);
  g_autofree gchar *contents = NULL;

  if (!have ("sha256sum"))
    return;
  g_assert_cmpint (run_in (f->package, argv, &out), ==, 0);
  g_assert_nonnull (strstr (out, "recordings/1_clip-1: OK"));
  g_assert_nonnull (strstr (out, "VERIFY.txt: OK"));
  /* byte-exact */
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "footage");
}

static void
test_mhl_schema (Fixture *f, gconstpointer data)
{
  g_autofree gchar *ascmhl = g_build_filename (f->package, "ascmhl", NULL);
  g_autofree gchar *mhl = NULL;
  g_autofree gchar *chain = g_build_filename (ascmhl, "ascmhl_chain.xml", NULL);
  g_autofree gchar *xsd = g_build_filename (g_getenv ("DOCKET_ASCMHL_XSD"), "ASCMHL.xsd", NULL);
  g_autofree gchar *dir_xsd
      = g_build_filename (g_getenv ("DOCKET_ASCMHL_XSD"), "ASCMHLDirectory.xsd", NULL);
  g_autofree gchar *out = NULL;
  g_autofree gchar *out2 = NULL;
  g_autofree gchar *text = NULL;

  if (!have ("xmllint"))
    return;
  mhl = find_one (ascmhl, ".mhl");
  {
    const gchar *argv[] = { "xmllint", "--noout", "--nonet", "--schema", xsd, mhl, NULL };
    g_assert_cmpint (run_in (f->package, argv, &out), ==, 0);
    g_assert_nonnull (strstr (out, "validates"));
  }
  {
    const gchar *argv[] = { "xmllint", "--noout", "--nonet", "--schema", dir_xsd, chain, NULL };
    g_assert_cmpint (run_in (f->package, argv, &out2), ==, 0);
  }
  /* Every file, with its size and SHA-256. */
  g_assert_true (g_file_get_contents (mhl, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<path size=\"7\""));
  g_assert_nonnull (strstr (text, ">recordings/1_clip-1</path>"));
  g_assert_nonnull (strstr (text, ">SHA256SUMS</path>"));
  g_assert_nonnull (strstr (text, "<sha256 xmlns=\"urn:docket:export:1\">"));
}

static void
test_openssl_signatures (Fixture *f, gconstpointer data)
{
  const gchar *camera[] = { "openssl",
                            "pkeyutl",
                            "-verify",
                            "-pubin",
                            "-inkey",
                            "keys/camera-CAM-0001.pem",
                            "-rawin",
                            "-in",
                            "signatures/1_clip-1.sigmsg",
                            "-sigfile",
                            "signatures/1_clip-1.sig",
                            NULL };
  const gchar *station[] = { "openssl",
                             "pkeyutl",
                             "-verify",
                             "-pubin",
                             "-inkey",
                             "keys/station.pem",
                             "-rawin",
                             "-in",
                             "anchor/anchor.msg",
                             "-sigfile",
                             "anchor/anchor.sig",
                             NULL };
  const gchar *forged[] = { "openssl",
                            "pkeyutl",
                            "-verify",
                            "-pubin",
                            "-inkey",
                            "keys/camera-CAM-0001.pem",
                            "-rawin",
                            "-in",
                            "anchor/anchor.msg",
                            "-sigfile",
                            "signatures/1_clip-1.sig",
                            NULL };
  g_autofree gchar *out = NULL;
  g_autofree gchar *out2 = NULL;
  g_autofree gchar *out3 = NULL;

  if (!have ("openssl"))
    return;
  g_assert_cmpint (run_in (f->package, camera, &out), ==, 0);
  g_assert_nonnull (strstr (out, "Signature Verified Successfully"));
  g_assert_cmpint (run_in (f->package, station, &out2), ==, 0);
  g_assert_nonnull (strstr (out2, "Signature Verified Successfully"));
  g_assert_cmpint (run_in (f->package, forged, &out3), !=, 0);
}

static void
test_verify_export (Fixture *f, gconstpointer data)
{
  const gchar *argv[] = { g_getenv ("DOCKETCTL"), "verify-export", f->package, NULL };
  g_autofree gchar *out = NULL;

  g_assert_cmpint (docket_test_run (argv, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Intact"));
}

static void
test_flipped_byte (Fixture *f, gconstpointer data)
{
  const gchar *sums[] = { "sha256sum", "-c", "--quiet", "SHA256SUMS", NULL };
  const gchar *verify[] = { g_getenv ("DOCKETCTL"), "verify-export", f->package, NULL };
  g_autofree gchar *file = g_build_filename (f->package, "recordings", "1_clip-1", NULL);
  g_autofree gchar *out = NULL;
  g_autofree gchar *out2 = NULL;
  g_autoptr (GError) error = NULL;
  gchar flipped[] = "footage";

  flipped[3] ^= 0x01;
  g_assert_cmpint (g_chmod (file, 0644), ==, 0);
  g_file_set_contents (file, flipped, -1, &error);
  g_assert_no_error (error);

  if (have ("sha256sum"))
    {
      g_assert_cmpint (run_in (f->package, sums, &out), !=, 0);
      g_assert_nonnull (strstr (out, "recordings/1_clip-1: FAILED"));
    }
  g_assert_cmpint (docket_test_run (verify, &out2, NULL), ==, 1);
  g_test_message ("%s", out2);
  g_assert_nonnull (strstr (out2, "recordings/1_clip-1: does not match SHA256SUMS"));
  g_assert_nonnull (strstr (out2, "recordings/1_clip-1: does not match the ASC MHL manifest"));
  g_assert_nonnull (strstr (out2, "recordings/1_clip-1: is not the recording the camera signed"));
}

static void
test_added_file (Fixture *f, gconstpointer data)
{
  const gchar *verify[] = { g_getenv ("DOCKETCTL"), "verify-export", f->package, NULL };
  g_autofree gchar *file = g_build_filename (f->package, "recordings", "planted.mp4", NULL);
  g_autofree gchar *out = NULL;

  g_assert_true (g_file_set_contents (file, "x", -1, NULL));
  g_assert_cmpint (docket_test_run (verify, &out, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "recordings/planted.mp4: not listed in SHA256SUMS"));
}

/* Who, why and what, in the chain; and the store still verifies. */
static void
test_audited (Fixture *f, gconstpointer data)
{
  const gchar *list[]
      = { g_getenv ("DOCKETCTL"), "audit", "list", "--store", f->store, "--json", NULL };
  const gchar *verify[] = { g_getenv ("DOCKETCTL"), "audit", "verify", "--store", f->store, NULL };
  g_autofree gchar *out = NULL;
  g_autofree gchar *out2 = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *rows;
  JsonObject *last;

  g_assert_cmpint (docket_test_run (list, &out, NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  rows = json_node_get_array (json_parser_get_root (parser));
  last = json_array_get_object_element (rows, json_array_get_length (rows) - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "action"), ==, "evidence-exported");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (last, "actor"), "docketctl:"));
  g_assert_cmpstr (json_object_get_string_member (last, "reason"), ==, "Prosecutor's request PR-7");
  g_assert_nonnull (strstr (json_object_get_string_member (last, "details"), "[int64 1]"));
  g_assert_cmpint (docket_test_run (verify, &out2, NULL), ==, 0);
}

static void
test_case_and_incident (Fixture *f, gconstpointer data)
{
  g_autofree gchar *by_case = NULL;
  g_autofree gchar *by_incident = NULL;
  g_autofree gchar *a = NULL;
  g_autofree gchar *b = NULL;

  g_assert_cmpint (export(f, "--case", "2026-0042", &by_case), ==, 0);
  a = g_build_filename (by_case, "recordings", "2_clip-2", NULL);
  g_assert_true (g_file_test (a, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (export(f, "--incident", "2", &by_incident), ==, 0);
  b = g_build_filename (by_incident, "recordings", "1_clip-1", NULL);
  g_assert_true (g_file_test (b, G_FILE_TEST_IS_REGULAR));
  /* Quarantined copies are not evidence; unknown cases are refused. */
  g_assert_cmpint (export(f, "--recording", "3", NULL), ==, 1);
  g_assert_cmpint (export(f, "--case", "1999-0001", NULL), ==, 1);
}

static gboolean
contains_bytes (const gchar *data, gsize len, const gchar *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
test_zip (Fixture *f, gconstpointer data)
{
  const gchar *argv[]
      = { g_getenv ("DOCKETCTL"), "export", "--recording", "2",      "--to",   f->out, "--reason",
          "Defence disclosure",   "--zip",  "--store",     f->store, "--json", NULL };
  g_autofree gchar *out = NULL;
  g_autofree gchar *zip_path = NULL;
  g_autofree gchar *contents = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize len = 0;

  if (!have ("zip"))
    return;
  g_assert_cmpint (docket_test_run (argv, &out, NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  zip_path = g_strconcat (json_object_get_string_member (
                              json_node_get_object (json_parser_get_root (parser)), "package"),
                          ".zip", NULL);
  g_assert_true (g_file_get_contents (zip_path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 4);
  g_assert_cmpmem (contents, 4, "PK\x03\x04", 4);
  /* stored, not compressed: the footage's bytes are in the archive as they are */
  g_assert_true (contains_bytes (contents, len, "more footage"));
}

static void
test_needs_reason (Fixture *f, gconstpointer data)
{
  const gchar *argv[] = { g_getenv ("DOCKETCTL"),
                          "export",
                          "--recording",
                          "1",
                          "--to",
                          f->out,
                          "--reason",
                          "  ",
                          "--store",
                          f->store,
                          NULL };
  g_autofree gchar *err = NULL;

  g_assert_cmpint (docket_test_run (argv, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "needs a reason"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/export/sha256sum", test_sha256sum);
  ADD ("/export/mhl-schema", test_mhl_schema);
  ADD ("/export/openssl-signatures", test_openssl_signatures);
  ADD ("/export/verify-export", test_verify_export);
  ADD ("/export/flipped-byte", test_flipped_byte);
  ADD ("/export/added-file", test_added_file);
  ADD ("/export/audited", test_audited);
  ADD ("/export/case-and-incident", test_case_and_incident);
  ADD ("/export/needs-reason", test_needs_reason);
  ADD ("/export/zip", test_zip);
#undef ADD
  return g_test_run ();
}
