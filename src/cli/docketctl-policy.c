/* docketctl-policy.c — IT's device policy: show, validate, sign, keygen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `sign` and `keygen` are for IT's workstation and never touch a daemon;
 * `validate` is offline too, so IT can check a document (and its signature
 * against a kiosk's trusted keys) before pushing it.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "docket-evidence-store.h"
#include "docket-policy.h"
#include "docketctl.h"

static void
print_usage (void)
{
  g_printerr ("%s\n", _ ("Usage:\n"
                         "  docketctl policy show [--file POLICY.json [--keys DIR]]\n"
                         "  docketctl policy validate POLICY.json [--keys DIR]\n"
                         "  docketctl policy sign --key SECRETKEYFILE POLICY.json\n"
                         "  docketctl policy keygen [--output PREFIX]\n"
                         "  docketctl policy compliance [--store DIR]"));
}

static gboolean
parse_options (const gchar *command, GOptionEntry *entries, int *argc, char ***argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("docketctl policy %s: %s\n", command, error->message);
      return FALSE;
    }
  return TRUE;
}

static void
print_model (const DocketModelPolicy *m)
{
  g_print (_ ("  Cameras “%s”:\n"), m->model);
  if (m->resolution != NULL)
    g_print ("    resolution            %s\n", m->resolution);
  if (m->frame_rate >= 0)
    g_print ("    frame-rate            %d\n", m->frame_rate);
  if (m->bitrate_kbps >= 0)
    g_print ("    bitrate-kbps          %d\n", m->bitrate_kbps);
  if (m->pre_event_seconds >= 0)
    g_print ("    pre-event-seconds     %d\n", m->pre_event_seconds);
  if (m->post_event_seconds >= 0)
    g_print ("    post-event-seconds    %d\n", m->post_event_seconds);
  if (m->audio >= 0)
    g_print ("    audio                 %s\n", m->audio ? "true" : "false");
  if (m->allow_mute >= 0)
    g_print ("    allow-mute            %s\n", m->allow_mute ? "true" : "false");
  g_print ("    erase-after-offload   %s\n", m->erase_after_offload ? "true" : "false");
  if (m->minimum_firmware != NULL)
    g_print ("    minimum-firmware      %s\n", m->minimum_firmware);
}

static void
print_policy (DocketPolicy *policy)
{
  GPtrArray *categories = docket_policy_get_categories (policy);

  g_print (_ ("Version:      %lld\n"), (long long)docket_policy_get_version (policy));
  if (docket_policy_get_description (policy) != NULL)
    g_print (_ ("Description:  %s\n"), docket_policy_get_description (policy));
  if (docket_policy_get_signed_by (policy) != NULL)
    g_print (_ ("Signed with:  %s\n"), docket_policy_get_signed_by (policy));
  print_model (docket_policy_get_model (policy, "*"));
  g_print (_ ("  Station:\n"));
  g_print ("    ready-charge-percent  %u\n", docket_policy_get_ready_charge_percent (policy));
  g_print ("    tag-deadline-hours    %u\n", docket_policy_get_tag_deadline_hours (policy));
  g_print ("    idle-sign-out-seconds %u\n", docket_policy_get_idle_sign_out_seconds (policy));
  g_print ("    max-clock-drift-ms    %u\n", docket_policy_get_max_clock_drift_ms (policy));
  g_print ("    pin min-length        %u\n", docket_policy_get_pin_min_length (policy));
  g_print ("    retention-preset      %s\n", docket_policy_get_retention_preset (policy));
  g_print ("    default-category      %s\n", docket_policy_get_default_category (policy));
  for (guint i = 0; i < categories->len; i++)
    {
      const DocketPolicyCategory *c = g_ptr_array_index (categories, i);

      g_print (_ ("    category %-22s %5u days%s\n"), c->id, c->retention_days,
               c->restricted ? _ (", restricted") : "");
    }
}

/* Parses (and with @keys_dir, verifies) a file, printing why not. */
static DocketPolicy *
load_file (const gchar *command, const gchar *path, const gchar *keys_dir)
{
  g_autoptr (GError) error = NULL;
  DocketPolicy *policy;

  if (keys_dir != NULL)
    policy = docket_policy_load_signed (path, keys_dir, &error);
  else
    policy = docket_policy_new_from_file (path, &error);
  if (policy == NULL)
    g_printerr (_ ("docketctl policy %s: REFUSED: %s\n"), command, error->message);
  return policy;
}

static int
policy_validate (const DocketctlOptions *options, int argc, char **argv)
{
  g_autofree gchar *keys_dir = NULL;
  g_autoptr (DocketPolicy) policy = NULL;
  GOptionEntry entries[]
      = { { "keys", 0, 0, G_OPTION_ARG_FILENAME, &keys_dir,
            N_ ("Also check the signature against the trusted keys in DIR"), N_ ("DIR") },
          { NULL } };

  if (!parse_options ("validate", entries, &argc, &argv))
    return DOCKETCTL_EXIT_USAGE;
  if (argc != 2)
    {
      print_usage ();
      return DOCKETCTL_EXIT_USAGE;
    }
  policy = load_file ("validate", argv[1], keys_dir);
  if (policy == NULL)
    return DOCKETCTL_EXIT_FAILED;
  if (keys_dir != NULL)
    g_print (_ ("%s: valid, version %lld, signed with trusted key %s\n"), argv[1],
             (long long)docket_policy_get_version (policy), docket_policy_get_signed_by (policy));
  else
    g_print (_ ("%s: valid, version %lld (signature not checked: give --keys)\n"), argv[1],
             (long long)docket_policy_get_version (policy));
  return DOCKETCTL_EXIT_OK;
}

static int
policy_sign (const DocketctlOptions *options, int argc, char **argv)
{
  g_autofree gchar *key = NULL;
  g_autofree gchar *sig_path = NULL;
  g_autoptr (GError) error = NULL;
  GOptionEntry entries[] = { { "key", 0, 0, G_OPTION_ARG_FILENAME, &key,
                               N_ ("The secret key (from docketctl policy keygen)"), N_ ("FILE") },
                             { NULL } };

  if (!parse_options ("sign", entries, &argc, &argv))
    return DOCKETCTL_EXIT_USAGE;
  if (argc != 2 || key == NULL)
    {
      print_usage ();
      return DOCKETCTL_EXIT_USAGE;
    }
  if (!docket_policy_sign_file (argv[1], key, &sig_path, &error))
    {
      g_printerr ("docketctl policy sign: %s\n", error->message);
      return DOCKETCTL_EXIT_FAILED;
    }
  g_print (_ ("Signed: %s\n"), sig_path);
  return DOCKETCTL_EXIT_OK;
}

static int
policy_keygen (const DocketctlOptions *options, int argc, char **argv)
{
  g_autofree gchar *prefix = NULL;
  g_autofree gchar *secret = NULL;
  g_autofree gchar *public = NULL;
  g_autoptr (GError) error = NULL;
  GOptionEntry entries[]
      = { { "output", 0, 0, G_OPTION_ARG_FILENAME, &prefix,
            N_ ("Write PREFIX.key (secret) and PREFIX.pub (default: docket-policy)"),
            N_ ("PREFIX") },
          { NULL } };

  if (!parse_options ("keygen", entries, &argc, &argv))
    return DOCKETCTL_EXIT_USAGE;
  if (!docketctl_no_more_args ("policy keygen", argc, argv))
    return DOCKETCTL_EXIT_USAGE;
  secret = g_strconcat (prefix != NULL ? prefix : "docket-policy", ".key", NULL);
  public = g_strconcat (prefix != NULL ? prefix : "docket-policy", ".pub", NULL);
  if (!docket_policy_keygen (secret, public, &error))
    {
      g_printerr ("docketctl policy keygen: %s\n", error->message);
      return DOCKETCTL_EXIT_FAILED;
    }
  g_print (_ ("Secret key: %s (keep it off the kiosks; only IT signs)\n"
              "Public key: %s (copy into each kiosk's trusted-keys folder)\n"),
           secret, public);
  return DOCKETCTL_EXIT_OK;
}

static void
add_cameras (const DocketctlOptions *options, GDBusObjectManager *cameras, JsonBuilder *builder)
{
  g_autolist (GDBusObject) objects = g_dbus_object_manager_get_objects (cameras);

  if (builder == NULL)
    g_print (_ ("Cameras docked now:%s\n"), objects == NULL ? _ (" none") : "");
  for (GList *l = objects; l != NULL; l = l->next)
    {
      g_autoptr (DocketDBusCamera) camera
          = docket_dbus_object_get_camera (DOCKET_DBUS_OBJECT (l->data));
      GVariant *details;
      const gchar *problem = "";

      if (camera == NULL)
        continue;
      details = docket_dbus_camera_get_policy_details (camera);
      if (details != NULL)
        g_variant_lookup (details, "problem", "&s", &problem);
      if (builder != NULL)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "serial");
          json_builder_add_string_value (builder, docket_dbus_camera_get_serial (camera));
          json_builder_set_member_name (builder, "model");
          json_builder_add_string_value (builder, docket_dbus_camera_get_model (camera));
          json_builder_set_member_name (builder, "policy-state");
          json_builder_add_string_value (builder, docket_dbus_camera_get_policy_state (camera));
          if (details != NULL)
            {
              json_builder_set_member_name (builder, "policy-details");
              json_builder_add_value (builder, docketctl_variant_to_json (details));
            }
          json_builder_end_object (builder);
        }
      else
        g_print ("  %-16s %-24s %-14s %s\n", docket_dbus_camera_get_serial (camera),
                 docket_dbus_camera_get_model (camera),
                 docket_dbus_camera_get_policy_state (camera), problem);
    }
}

static int
show_daemon (const DocketctlOptions *options)
{
  g_autoptr (DocketDBusManager) manager = docketctl_connect_manager (options);
  g_autoptr (GDBusObjectManager) cameras = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) status = NULL;
  g_autofree gchar *text = NULL;
  const gchar *s = NULL;

  if (manager == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;
  if (!docket_dbus_manager_call_get_policy_sync (manager, &text, &status, NULL, &error))
    {
      g_dbus_error_strip_remote_error (error);
      g_printerr (_ ("docketctl policy show: %s\n"), error->message);
      return DOCKETCTL_EXIT_FAILED;
    }
  cameras = docketctl_connect_cameras (options);
  if (cameras == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;

  if (options->json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;
      g_autoptr (JsonNode) document = NULL;

      if (*text != '\0')
        document = json_from_string (text, NULL);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "policy");
      json_builder_add_value (builder, document != NULL ? g_steal_pointer (&document)
                                                        : json_node_new (JSON_NODE_NULL));
      json_builder_set_member_name (builder, "status");
      json_builder_add_value (builder, docketctl_variant_to_json (status));
      json_builder_set_member_name (builder, "cameras");
      json_builder_begin_array (builder);
      add_cameras (options, cameras, builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      docketctl_print_json (root, TRUE);
      return DOCKETCTL_EXIT_OK;
    }

  if (*text != '\0')
    {
      g_autoptr (GError) parse_error = NULL;
      g_autoptr (DocketPolicy) policy
          = docket_policy_new_from_data (text, strlen (text), &parse_error);

      g_print (_ ("Device policy in force:\n"));
      if (policy != NULL)
        print_policy (policy);
      if (g_variant_lookup (status, "signed-by", "&s", &s))
        g_print (_ ("Signed with:  %s\n"), s);
    }
  else
    g_print (_ ("No device policy is in force: cameras are not checked.\n"));
  if (g_variant_lookup (status, "refused", "&s", &s))
    g_print (_ ("REFUSED:      %s\n"), s);
  if (g_variant_lookup (status, "clock-sync-message", "&s", &s))
    g_print (_ ("Kiosk clock:  %s\n"), s);
  add_cameras (options, cameras, NULL);
  return DOCKETCTL_EXIT_OK;
}

static int
policy_show (const DocketctlOptions *options, int argc, char **argv)
{
  g_autofree gchar *file = NULL;
  g_autofree gchar *keys_dir = NULL;
  g_autoptr (DocketPolicy) policy = NULL;
  GOptionEntry entries[]
      = { { "file", 0, 0, G_OPTION_ARG_FILENAME, &file,
            N_ ("Show this policy file instead of asking the daemon"), N_ ("FILE") },
          { "keys", 0, 0, G_OPTION_ARG_FILENAME, &keys_dir,
            N_ ("With --file: check its signature against the trusted keys in DIR"), N_ ("DIR") },
          { NULL } };

  if (!parse_options ("show", entries, &argc, &argv))
    return DOCKETCTL_EXIT_USAGE;
  if (!docketctl_no_more_args ("policy show", argc, argv))
    return DOCKETCTL_EXIT_USAGE;
  if (file == NULL)
    return show_daemon (options);
  policy = load_file ("show", file, keys_dir);
  if (policy == NULL)
    return DOCKETCTL_EXIT_FAILED;
  if (options->json)
    g_print ("%s\n", docket_policy_get_text (policy));
  else
    print_policy (policy);
  return DOCKETCTL_EXIT_OK;
}

/* ---- compliance: every camera ever checked, from the audit log ----------- */

static gchar *
default_store_root (const DocketctlOptions *options)
{
  const gchar *state_dir = g_getenv ("DOCKET_STATE_DIR");

  /* Mirrors docketd's own choice of state directory. */
  if (state_dir != NULL && *state_dir != '\0')
    return g_build_filename (state_dir, "store", NULL);
  if (options->bus_type == G_BUS_TYPE_SESSION)
    return g_build_filename (g_get_user_data_dir (), "docket", "store", NULL);
  return g_build_filename (DOCKET_STATEDIR, "store", NULL);
}

static int
policy_compliance (const DocketctlOptions *options, int argc, char **argv)
{
  g_autofree gchar *root = NULL;
  g_autofree gchar *db = NULL;
  g_autoptr (DocketEvidenceStore) store = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GHashTable) latest = NULL; /* subject → DocketAuditEntry (borrowed) */
  g_autoptr (GList) subjects = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  guint n_bad = 0;
  GOptionEntry entries_opt[] = { { "store", 0, 0, G_OPTION_ARG_FILENAME, &root,
                                   N_ ("The evidence store (default: docketd's)"), N_ ("DIR") },
                                 { NULL } };

  if (!parse_options ("compliance", entries_opt, &argc, &argv))
    return DOCKETCTL_EXIT_USAGE;
  if (!docketctl_no_more_args ("policy compliance", argc, argv))
    return DOCKETCTL_EXIT_USAGE;
  if (root == NULL)
    root = default_store_root (options);
  db = g_build_filename (root, "docket.db", NULL);
  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_printerr (_ ("docketctl: there is no evidence store at %s\n"), root);
      return DOCKETCTL_EXIT_UNAVAILABLE;
    }
  store = docket_evidence_store_open (root, &error);
  if (store != NULL)
    entries = docket_audit_log_list (docket_evidence_store_get_audit_log (store), 0, 0, &error);
  if (entries == NULL)
    {
      g_printerr (_ ("docketctl: cannot read the audit log at %s: %s\n"), root, error->message);
      return DOCKETCTL_EXIT_FAILED;
    }

  /* Rows come oldest first: the last one per camera wins. */
  latest = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < entries->len; i++)
    {
      DocketAuditEntry *e = g_ptr_array_index (entries, i);

      if (g_strcmp0 (e->action, "camera-policy-checked") == 0
          && g_str_has_prefix (e->subject, "camera:"))
        g_hash_table_insert (latest, e->subject, e);
    }
  subjects = g_list_sort (g_hash_table_get_keys (latest), (GCompareFunc)g_strcmp0);

  json_builder_begin_array (builder);
  if (!options->json)
    g_print ("%-16s %-14s %-19s %-7s %s\n", _ ("CAMERA"), _ ("STATE"), _ ("CHECKED"), _ ("POLICY"),
             _ ("PROBLEM"));
  for (GList *l = subjects; l != NULL; l = l->next)
    {
      DocketAuditEntry *e = g_hash_table_lookup (latest, l->data);
      g_autoptr (GVariant) details
          = g_variant_parse (G_VARIANT_TYPE_VARDICT, e->details, NULL, NULL, NULL);
      g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (e->time_usec / G_USEC_PER_SEC);
      g_autofree gchar *when_text = g_date_time_format (when, "%Y-%m-%d %H:%M:%S");
      const gchar *serial = e->subject + strlen ("camera:");
      const gchar *state = "?";
      const gchar *problem = "";
      gint64 version = 0;

      if (details != NULL)
        {
          g_variant_lookup (details, "state", "&s", &state);
          g_variant_lookup (details, "problem", "&s", &problem);
          g_variant_lookup (details, "policy-version", "x", &version);
        }
      n_bad += g_strcmp0 (state, "compliant") != 0 && g_strcmp0 (state, "changed") != 0;
      if (!options->json)
        {
          g_print ("%-16s %-14s %-19s %-7lld %s\n", serial, state, when_text, (long long)version,
                   problem);
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "serial");
      json_builder_add_string_value (builder, serial);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, state);
      json_builder_set_member_name (builder, "checked-usec");
      json_builder_add_int_value (builder, e->time_usec);
      if (details != NULL)
        {
          json_builder_set_member_name (builder, "details");
          json_builder_add_value (builder, docketctl_variant_to_json (details));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (options->json)
    {
      g_autoptr (JsonNode) node = json_builder_get_root (builder);

      docketctl_print_json (node, TRUE);
    }
  else if (subjects == NULL)
    g_print (_ ("No camera has been checked against a device policy yet.\n"));
  /* Scripts (and monitoring) can tell "someone is out of policy". */
  return n_bad == 0 ? DOCKETCTL_EXIT_OK : DOCKETCTL_EXIT_FAILED;
}

int
docketctl_policy (const DocketctlOptions *options, int argc, char **argv)
{
  static const struct
  {
    const gchar *name;
    int (*run) (const DocketctlOptions *options, int argc, char **argv);
  } subcommands[] = {
    { "show", policy_show },     { "validate", policy_validate },     { "sign", policy_sign },
    { "keygen", policy_keygen }, { "compliance", policy_compliance },
  };

  if (argc < 2)
    {
      print_usage ();
      return DOCKETCTL_EXIT_USAGE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (g_strcmp0 (argv[1], subcommands[i].name) == 0)
      return subcommands[i].run (options, argc - 1, argv + 1);
  g_printerr (_ ("docketctl policy: unknown command “%s”\n"), argv[1]);
  print_usage ();
  return DOCKETCTL_EXIT_USAGE;
}
