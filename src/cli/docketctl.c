/* docketctl.c — the Docket command line for IT and scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "docketctl.h"

static void
print_unavailable (const DocketctlOptions *options, const GError *error)
{
  g_printerr (_ ("docketctl: the Docket daemon is not running on the %s bus"),
              options->bus_type == G_BUS_TYPE_SYSTEM ? _ ("system") : _ ("session"));
  if (error != NULL)
    g_printerr (" (%s)", error->message);
  g_printerr ("\n");
}

DocketDBusManager *
docketctl_connect_manager (const DocketctlOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DocketDBusManager) manager = NULL;
  g_autofree gchar *owner = NULL;

  manager = docket_dbus_manager_proxy_new_for_bus_sync (
      options->bus_type, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, DOCKET_DBUS_NAME, DOCKET_DBUS_PATH,
      NULL, &error);
  if (manager == NULL)
    {
      print_unavailable (options, error);
      return NULL;
    }
  owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (manager));
  if (owner == NULL)
    {
      print_unavailable (options, NULL);
      return NULL;
    }
  return g_steal_pointer (&manager);
}

DocketDBusAdmin *
docketctl_connect_admin (const DocketctlOptions *options)
{
  g_autoptr (DocketDBusManager) manager = docketctl_connect_manager (options);
  g_autoptr (GError) error = NULL;
  DocketDBusAdmin *admin;

  if (manager == NULL)
    return NULL;
  admin = docket_dbus_admin_proxy_new_for_bus_sync (
      options->bus_type,
      G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START | G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
      DOCKET_DBUS_NAME, DOCKET_DBUS_PATH, NULL, &error);
  if (admin == NULL)
    g_printerr (_ ("docketctl: %s\n"), error->message);
  return admin;
}

int
docketctl_report_failure (const gchar *what, GError *error)
{
  g_dbus_error_strip_remote_error (error);
  g_printerr (_ ("docketctl: could not %s: %s\n"), what, error->message);
  return DOCKETCTL_EXIT_FAILED;
}

GDBusObjectManager *
docketctl_connect_cameras (const DocketctlOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusObjectManager) cameras = NULL;
  g_autofree gchar *owner = NULL;

  cameras = docket_dbus_object_manager_client_new_for_bus_sync (
      options->bus_type, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START, DOCKET_DBUS_NAME,
      DOCKET_DBUS_PATH, NULL, &error);
  if (cameras == NULL)
    {
      print_unavailable (options, error);
      return NULL;
    }
  owner = g_dbus_object_manager_client_get_name_owner (G_DBUS_OBJECT_MANAGER_CLIENT (cameras));
  if (owner == NULL)
    {
      print_unavailable (options, NULL);
      return NULL;
    }
  return g_steal_pointer (&cameras);
}

gboolean
docketctl_no_more_args (const gchar *command, int argc, char **argv)
{
  if (argc <= 1)
    return TRUE;
  g_printerr (_ ("docketctl %s: unexpected argument “%s”\n"), command, argv[1]);
  return FALSE;
}

JsonNode *
docketctl_variant_to_json (GVariant *value)
{
  return json_gvariant_serialize (value);
}

void
docketctl_print_json (JsonNode *node, gboolean pretty)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree gchar *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static const struct
{
  const gchar *name;
  int (*run) (const DocketctlOptions *options, int argc, char **argv);
  const gchar *summary;
} commands[] = {
  { "status", docketctl_status, N_ ("Show the daemon's status") },
  { "cameras", docketctl_cameras, N_ ("List docked cameras") },
  { "watch", docketctl_watch, N_ ("Follow docking, identification and offload as they happen") },
  { "officer", docketctl_officer, N_ ("Enrol, list or remove people (IT)") },
  { "camera", docketctl_camera, N_ ("Assign a camera to an officer (IT)") },
  { "audit", docketctl_audit,
    N_ ("Check the chain of custody (verify) or read the audit log (list)") },
  { "recordings", docketctl_recordings,
    N_ ("List stored recordings; --damaged: those the camera recorded damaged") },
  { "policy", docketctl_policy,
    N_ ("Device policy: show, validate, sign (IT's workstation), keygen") },
  { "firmware", docketctl_firmware,
    N_ ("Camera firmware: images in the firmware folder (list), cameras (status)") },
  { "export", docketctl_export,
    N_ ("Write an evidence package for a recording, incident or case") },
  { "verify-export", docketctl_verify_export,
    N_ ("Check an evidence package: hashes, manifest, signatures, custody") },
  { "retention", docketctl_retention,
    N_ ("Retention: forecast (show), purge pass (run), legal holds (hold, release, holds)") },
  { "upstream", docketctl_upstream,
    N_ ("Uploads to the department's object storage: status, pause, resume, retry") },
};

static gchar *
describe_commands (void)
{
  GString *text = g_string_new (_ ("Commands:"));

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "\n  %-10s %s", commands[i].name, _ (commands[i].summary));
  return g_string_free (text, FALSE);
}

/* Everything docketctl prints can hold what a camera or a kiosk user
 * typed (names, vendors, reasons): control characters would drive the
 * terminal, and bidi overrides disguise text, so they are shown escaped. */
static void
print_escaped (FILE *stream, const gchar *text)
{
  g_autofree gchar *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_sized_new (strlen (valid));

  for (const gchar *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\t')
        g_string_append_c (out, (gchar)c);
      else if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        g_string_append_printf (out, c < 0x100 ? "\\x%02x" : "\\u%04x", c);
      else
        g_string_append_unichar (out, c);
    }
  fputs (out->str, stream);
  fflush (stream);
  g_string_free (out, TRUE);
}

static void
print_stdout (const gchar *text)
{
  print_escaped (stdout, text);
}

static void
print_stderr (const gchar *text)
{
  print_escaped (stderr, text);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *description = NULL;
  gboolean session = FALSE;
  gboolean system = FALSE;
  gboolean json = FALSE;
  DocketctlOptions options = { 0 };
  const gchar *env_bus;
  const GOptionEntry entries[]
      = { { "session", 0, 0, G_OPTION_ARG_NONE, &session,
            N_ ("Talk to a docketd on the session bus"), NULL },
          { "system", 0, 0, G_OPTION_ARG_NONE, &system, N_ ("Talk to docketd on the system bus"),
            NULL },
          { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON for scripts"), NULL },
          { NULL } };

  g_set_print_handler (print_stdout);
  g_set_printerr_handler (print_stderr);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_ ("COMMAND [ARGS…]"));
  description = describe_commands ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Options may come after the command too (docketctl cameras --json). */
  g_option_context_set_strict_posix (context, FALSE);
  /* Subcommands parse their own options. */
  g_option_context_set_ignore_unknown_options (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("docketctl: %s\n", error->message);
      return DOCKETCTL_EXIT_USAGE;
    }

  env_bus = g_getenv ("DOCKET_BUS");
  if (session || (!system && g_strcmp0 (env_bus, "session") == 0))
    options.bus_type = G_BUS_TYPE_SESSION;
  else
    options.bus_type = G_BUS_TYPE_SYSTEM;
  options.json = json;

  if (argc < 2)
    {
      g_autofree gchar *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("%s", help);
      return DOCKETCTL_EXIT_USAGE;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (&options, argc - 1, argv + 1);

  g_printerr (_ ("docketctl: unknown command “%s”\n"), argv[1]);
  g_printerr ("%s\n", description);
  return DOCKETCTL_EXIT_USAGE;
}
