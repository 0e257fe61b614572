/* docketctl-firmware.c — camera firmware: the images in the folder, the cameras
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `list` reads the firmware folder itself (so IT can check an image it just
 * dropped there) and compares each image with the device policy: the
 * daemon's policy in force, or a POLICY.json given with --policy. `status`
 * asks the daemon what each docked camera runs and any update in progress.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "docket-camera-driver.h"
#include "docket-firmware-folder.h"
#include "docketctl.h"

static void
print_usage (void)
{
  g_printerr ("%s\n", _ ("Usage:\n"
                         "  docketctl firmware list [--dir DIR] [--policy POLICY.json]\n"
                         "  docketctl firmware status"));
}

/* What the policy says about firmware, per model: model → (image, sha256). */
typedef struct
{
  gchar *model;
  gchar *minimum;
  gchar *image;
  gchar *sha256;
} PolicyFirmware;

static void
policy_firmware_free (PolicyFirmware *pf)
{
  g_free (pf->model);
  g_free (pf->minimum);
  g_free (pf->image);
  g_free (pf->sha256);
  g_free (pf);
}

/* The policy's text is already validated (by the daemon, or by
 * docket_policy_new_from_data below): read only what firmware needs. */
static GPtrArray *
policy_firmware_from_text (const gchar *text, GError **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)policy_firmware_free);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (DocketPolicy) policy = NULL;
  JsonObject *root, *cameras;
  g_autoptr (GList) models = NULL;

  policy = docket_policy_new_from_data (text, strlen (text), error);
  if (policy == NULL || !json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "cameras"))
    return g_steal_pointer (&out);
  cameras = json_object_get_object_member (root, "cameras");
  models = json_object_get_members (cameras);
  for (GList *l = models; l != NULL; l = l->next)
    {
      /* Through the policy: "*" defaults overlaid with the model's own. */
      const DocketModelPolicy *m = docket_policy_get_model (policy, l->data);
      PolicyFirmware *pf;

      if (m->firmware_image == NULL)
        continue;
      pf = g_new0 (PolicyFirmware, 1);
      pf->model = g_strdup (l->data);
      pf->minimum = g_strdup (m->minimum_firmware);
      pf->image = g_strdup (m->firmware_image);
      pf->sha256 = g_strdup (m->firmware_sha256);
      g_ptr_array_add (out, pf);
    }
  return g_steal_pointer (&out);
}

static gchar *
daemon_policy_text (const DocketctlOptions *options)
{
  g_autoptr (DocketDBusManager) manager = docketctl_connect_manager (options);
  g_autoptr (GVariant) status = NULL;
  g_autoptr (GError) error = NULL;
  gchar *text = NULL;

  if (manager == NULL)
    return NULL;
  if (!docket_dbus_manager_call_get_policy_sync (manager, &text, &status, NULL, &error))
    {
      g_dbus_error_strip_remote_error (error);
      g_printerr (_ ("docketctl firmware list: cannot read the policy in force: %s\n"),
                  error->message);
      return NULL;
    }
  return text;
}

/* One image's verdict, in plain words, and whether it can be used. */
static gboolean
judge (const DocketFirmwareImage *image, GPtrArray *policy, GString *verdict)
{
  gboolean named = FALSE, usable = TRUE;

  if (image->version == NULL)
    {
      g_string_append (verdict, _ ("invalid: the name must end in -VERSION.bin"));
      return FALSE;
    }
  if (image->size == 0 || image->size > DOCKET_FIRMWARE_MAX_IMAGE)
    {
      g_string_append_printf (verdict, _ ("invalid: a camera takes 1 byte to %u MiB"),
                              DOCKET_FIRMWARE_MAX_IMAGE / (1024 * 1024));
      return FALSE;
    }
  if (policy == NULL)
    {
      g_string_append (verdict, _ ("not checked against a policy"));
      return TRUE;
    }
  for (guint i = 0; i < policy->len; i++)
    {
      PolicyFirmware *pf = g_ptr_array_index (policy, i);

      if (g_strcmp0 (pf->image, image->file_name) != 0)
        continue;
      if (verdict->len > 0)
        g_string_append (verdict, "; ");
      named = TRUE;
      if (g_ascii_strcasecmp (pf->sha256, image->sha256) != 0)
        {
          usable = FALSE;
          g_string_append_printf (verdict,
                                  _ ("REFUSED for “%s”: its SHA-256 differs from the policy's "
                                     "(altered or incomplete copy)"),
                                  pf->model);
        }
      else
        g_string_append_printf (verdict, _ ("valid for “%s” (minimum %s)"), pf->model,
                                pf->minimum != NULL ? pf->minimum : _ ("none"));
    }
  if (!named)
    g_string_append (verdict, _ ("not named by the device policy (unused)"));
  return usable;
}

static int
firmware_list (const DocketctlOptions *options, int argc, char **argv)
{
  g_autofree gchar *dir = NULL;
  g_autofree gchar *policy_file = NULL;
  g_autofree gchar *text = NULL;
  g_autoptr (GPtrArray) images = NULL;
  g_autoptr (GPtrArray) policy = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (JsonBuilder) builder = NULL;
  gboolean all_usable = TRUE;
  GOptionEntry entries[]
      = { { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
            N_ ("The firmware folder (default: $DOCKET_FIRMWARE_DIR or STATE-DIR/firmware)"),
            N_ ("DIR") },
          { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_file,
            N_ ("Compare with this policy document instead of the daemon's"), N_ ("FILE") },
          { NULL } };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("docketctl firmware list: %s\n", error->message);
      return DOCKETCTL_EXIT_USAGE;
    }
  if (!docketctl_no_more_args ("firmware list", argc, argv))
    return DOCKETCTL_EXIT_USAGE;
  if (dir == NULL)
    dir = docket_firmware_default_dir (g_getenv ("DOCKET_STATE_DIR"));
  if (policy_file != NULL && !g_file_get_contents (policy_file, &text, NULL, &error))
    {
      g_printerr ("docketctl firmware list: %s\n", error->message);
      return DOCKETCTL_EXIT_FAILED;
    }
  if (policy_file == NULL)
    text = daemon_policy_text (options);
  if (text != NULL && *text != '\0')
    {
      policy = policy_firmware_from_text (text, &error);
      if (policy == NULL)
        {
          g_printerr (_ ("docketctl firmware list: the policy cannot be read: %s\n"),
                      error->message);
          return DOCKETCTL_EXIT_FAILED;
        }
    }
  images = docket_firmware_folder_list (dir, NULL, &error);
  if (images == NULL)
    {
      g_printerr ("docketctl firmware list: %s\n", error->message);
      return DOCKETCTL_EXIT_FAILED;
    }

  if (options->json)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dir");
      json_builder_add_string_value (builder, dir);
      json_builder_set_member_name (builder, "images");
      json_builder_begin_array (builder);
    }
  else
    g_print (_ ("Firmware folder %s:%s\n"), dir, images->len == 0 ? _ (" no images") : "");
  for (guint i = 0; i < images->len; i++)
    {
      DocketFirmwareImage *image = g_ptr_array_index (images, i);
      g_autoptr (GString) verdict = g_string_new (NULL);
      gboolean usable = judge (image, policy, verdict);

      all_usable = all_usable && usable;
      if (builder != NULL)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "file");
          json_builder_add_string_value (builder, image->file_name);
          json_builder_set_member_name (builder, "version");
          json_builder_add_string_value (builder, image->version != NULL ? image->version : "");
          json_builder_set_member_name (builder, "size");
          json_builder_add_int_value (builder, (gint64)image->size);
          json_builder_set_member_name (builder, "sha256");
          json_builder_add_string_value (builder, image->sha256);
          json_builder_set_member_name (builder, "valid");
          json_builder_add_boolean_value (builder, usable);
          json_builder_set_member_name (builder, "verdict");
          json_builder_add_string_value (builder, verdict->str);
          json_builder_end_object (builder);
        }
      else
        g_print (_ ("  %s\n    version %s, %" PRIu64 " bytes, SHA-256 %s\n    %s\n"),
                 image->file_name, image->version != NULL ? image->version : "?", image->size,
                 image->sha256, verdict->str);
    }
  /* Images the policy names that are not in the folder. */
  for (guint i = 0; policy != NULL && i < policy->len; i++)
    {
      PolicyFirmware *pf = g_ptr_array_index (policy, i);
      gboolean found = FALSE;

      for (guint j = 0; j < images->len && !found; j++)
        found = g_strcmp0 (((DocketFirmwareImage *)images->pdata[j])->file_name, pf->image) == 0;
      if (found)
        continue;
      all_usable = FALSE;
      if (builder == NULL)
        g_print (_ ("  MISSING: the policy names %s for “%s”, but it is not in the folder\n"),
                 pf->image, pf->model);
    }
  if (builder != NULL)
    {
      g_autoptr (JsonNode) root = NULL;

      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      docketctl_print_json (root, TRUE);
    }
  return all_usable ? DOCKETCTL_EXIT_OK : DOCKETCTL_EXIT_FAILED;
}

static int
firmware_status (const DocketctlOptions *options, int argc, char **argv)
{
  g_autoptr (GDBusObjectManager) manager = NULL;
  g_autolist (GDBusObject) objects = NULL;
  g_autoptr (JsonBuilder) builder = NULL;

  if (!docketctl_no_more_args ("firmware status", argc, argv))
    return DOCKETCTL_EXIT_USAGE;
  manager = docketctl_connect_cameras (options);
  if (manager == NULL)
    return DOCKETCTL_EXIT_UNAVAILABLE;
  objects = g_dbus_object_manager_get_objects (manager);
  if (options->json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  else if (objects == NULL)
    g_print (_ ("No cameras are docked.\n"));
  for (GList *l = objects; l != NULL; l = l->next)
    {
      g_autoptr (DocketDBusCamera) camera = docket_dbus_object_get_camera (l->data);
      const gchar *update;

      if (camera == NULL)
        continue;
      update = docket_dbus_camera_get_firmware_update (camera);
      if (update == NULL)
        update = "";
      if (builder != NULL)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "serial");
          json_builder_add_string_value (builder, docket_dbus_camera_get_serial (camera));
          json_builder_set_member_name (builder, "model");
          json_builder_add_string_value (builder, docket_dbus_camera_get_model (camera));
          json_builder_set_member_name (builder, "firmware");
          json_builder_add_string_value (builder, docket_dbus_camera_get_firmware_version (camera));
          json_builder_set_member_name (builder, "firmware-update");
          json_builder_add_string_value (builder, update);
          json_builder_end_object (builder);
        }
      else
        g_print ("%-16s %-24s %-10s %s\n", docket_dbus_camera_get_serial (camera),
                 docket_dbus_camera_get_model (camera),
                 docket_dbus_camera_get_firmware_version (camera), update);
    }
  if (builder != NULL)
    {
      g_autoptr (JsonNode) root = NULL;

      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      docketctl_print_json (root, TRUE);
    }
  return DOCKETCTL_EXIT_OK;
}

int
docketctl_firmware (const DocketctlOptions *options, int argc, char **argv)
{
  if (argc >= 2 && g_strcmp0 (argv[1], "list") == 0)
    return firmware_list (options, argc - 1, argv + 1);
  if (argc >= 2 && g_strcmp0 (argv[1], "status") == 0)
    return firmware_status (options, argc - 1, argv + 1);
  if (argc >= 2)
    g_printerr (_ ("docketctl firmware: unknown command “%s”\n"), argv[1]);
  print_usage ();
  return DOCKETCTL_EXIT_USAGE;
}
