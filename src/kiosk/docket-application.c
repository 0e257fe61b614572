/* docket-application.c — the kiosk application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the settings and the one DocketClient every window shares. The
 * touchscreen runs a single window; a second launch just presents it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-application.h"
#include "docket-window.h"

struct _DocketApplication
{
  AdwApplication parent_instance;

  GSettings *settings;     /* owned, NULL without an installed schema */
  DocketClient *client;    /* owned */
  gboolean kiosk_option;   /* --kiosk */
  gboolean session_option; /* --session */
};

G_DEFINE_FINAL_TYPE (DocketApplication, docket_application, ADW_TYPE_APPLICATION)

static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  /* g_settings_new () aborts on a missing schema; a kiosk must not. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, DOCKET_APP_ID, TRUE);
  if (schema == NULL)
    {
      g_warning ("Settings schema %s is not installed; using defaults", DOCKET_APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static gint
docket_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  DocketApplication *self = DOCKET_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("docket %s\n", PACKAGE_VERSION);
      return 0;
    }
  self->kiosk_option = g_variant_dict_contains (options, "kiosk");
  self->session_option = g_variant_dict_contains (options, "session");
  return -1;
}

static void
transient_for_cb (GtkWindow *window)
{
  if (gtk_window_get_transient_for (window) != NULL)
    gtk_window_set_decorated (window, FALSE);
}

static void
toplevels_changed_cb (GListModel *toplevels, guint position, guint removed, guint added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      /* A new window has no parent yet: it gets one as a property. */
      g_signal_connect (window, "notify::transient-for", G_CALLBACK (transient_for_cb), NULL);
      transient_for_cb (window);
    }
}

void
docket_application_undecorate_dialogs (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      g_signal_connect (gtk_window_get_toplevels (), "items-changed",
                        G_CALLBACK (toplevels_changed_cb), NULL);
      g_once_init_leave (&once, 1);
    }
}

static void
docket_application_startup (GApplication *app)
{
  DocketApplication *self = DOCKET_APPLICATION (app);
  GBusType bus_type = G_BUS_TYPE_SYSTEM;

  G_APPLICATION_CLASS (docket_application_parent_class)->startup (app);
  docket_application_undecorate_dialogs ();

  self->settings = load_settings ();
  if (self->session_option
      || (self->settings != NULL && g_settings_get_enum (self->settings, "bus") == 1))
    bus_type = G_BUS_TYPE_SESSION;
  self->client = docket_client_new (bus_type);
}

static void
docket_application_activate (GApplication *app)
{
  DocketApplication *self = DOCKET_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (docket_window_new (self, self->client));
      docket_window_set_kiosk_mode (DOCKET_WINDOW (window),
                                    docket_application_get_kiosk_mode (self));
    }
  gtk_window_present (window);
}

static void
docket_application_shutdown (GApplication *app)
{
  DocketApplication *self = DOCKET_APPLICATION (app);

  g_clear_object (&self->client);
  g_clear_object (&self->settings);

  G_APPLICATION_CLASS (docket_application_parent_class)->shutdown (app);
}

static void
docket_application_class_init (DocketApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->handle_local_options = docket_application_handle_local_options;
  app_class->startup = docket_application_startup;
  app_class->activate = docket_application_activate;
  app_class->shutdown = docket_application_shutdown;
}

static void
docket_application_init (DocketApplication *self)
{
  const GOptionEntry entries[]
      = { { "kiosk", 'k', 0, G_OPTION_ARG_NONE, NULL,
            N_ ("Run fullscreen as the dock's touchscreen"), NULL },
          { "session", 0, 0, G_OPTION_ARG_NONE, NULL,
            N_ ("Talk to a docketd on the session bus (docketd --session)"), NULL },
          { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Print the version and exit"), NULL },
          { NULL } };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

DocketApplication *
docket_application_new (void)
{
  return g_object_new (DOCKET_TYPE_APPLICATION, "application-id", DOCKET_APP_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path",
                       "/io/github/docket/Docket", NULL);
}

DocketClient *
docket_application_get_client (DocketApplication *self)
{
  g_return_val_if_fail (DOCKET_IS_APPLICATION (self), NULL);
  return self->client;
}

GSettings *
docket_application_get_settings (DocketApplication *self)
{
  g_return_val_if_fail (DOCKET_IS_APPLICATION (self), NULL);
  return self->settings;
}

gboolean
docket_application_get_kiosk_mode (DocketApplication *self)
{
  g_return_val_if_fail (DOCKET_IS_APPLICATION (self), FALSE);
  if (self->kiosk_option)
    return TRUE;
  return self->settings != NULL && g_settings_get_boolean (self->settings, "kiosk-mode");
}
