/* test-dbus-error.c — every core error code reaches a D-Bus client and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Walks every DocketError and DocketSessionError code (from enum types
 * generated off the core's headers): each must have an entry in docketd's
 * table, a registered io.github.docket.Docket1.Error name, and come back to
 * a client on a private bus as DOCKET_SESSION_ERROR with the same code and
 * message that docket_dbus_error_convert () gave it.
 */
#include "config.h"

#include <gio/gio.h>

#include "docket-dbus-error.h"
#include "docket-error.h"
#include "docket-session-error.h"
#include "test-dbus-error-enums.h"

#define TEST_PATH "/io/github/docket/Test"
#define TEST_IFACE "io.github.docket.Test"

static const gchar introspection[] = "<node><interface name='" TEST_IFACE "'>"
                                     "<method name='Fail'>"
                                     "<arg type='s' name='domain' direction='in'/>"
                                     "<arg type='i' name='code' direction='in'/>"
                                     "</method></interface></node>";

static GQuark
domain_from_name (const gchar *name)
{
  if (g_str_equal (name, "docket"))
    return DOCKET_ERROR;
  if (g_str_equal (name, "session"))
    return DOCKET_SESSION_ERROR;
  return G_IO_ERROR;
}

/* The daemon's side: fails with the error it was asked for. */
static void
on_method_call (GDBusConnection *connection,
                const gchar *sender,
                const gchar *path,
                const gchar *iface,
                const gchar *method,
                GVariant *params,
                GDBusMethodInvocation *invocation,
                gpointer user_data)
{
  const gchar *domain;
  gint code;
  g_autoptr (GError) error = NULL;

  g_variant_get (params, "(&si)", &domain, &code);
  error = g_error_new (domain_from_name (domain), code, "Failed on purpose: %s %d", domain, code);
  docket_dbus_error_return (invocation, error);
}

static const GDBusInterfaceVTable vtable = { on_method_call, NULL, NULL, { 0 } };

typedef struct
{
  GTestDBus *bus;
  GDBusConnection *connection;
  guint registration;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection, &error);

  g_assert_no_error (error);
  f->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (f->bus);
  f->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  f->registration = g_dbus_connection_register_object (
      f->connection, TEST_PATH, info->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_dbus_connection_unregister_object (f->connection, f->registration);
  g_clear_object (&f->connection);
  g_test_dbus_down (f->bus);
  g_clear_object (&f->bus);
}

static void
on_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;
  g_autoptr (GVariant) reply
      = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, error);

  g_assert_null (reply);
  g_assert_nonnull (*error);
}

/* The client's side, as DocketClient and the kiosk read it. */
static GError *
call_fail (Fixture *f, const gchar *domain, gint code)
{
  GError *error = NULL;

  g_dbus_connection_call (f->connection, g_dbus_connection_get_unique_name (f->connection),
                          TEST_PATH, TEST_IFACE, "Fail", g_variant_new ("(si)", domain, code), NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_reply, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_dbus_error_is_remote_error (error));
  g_dbus_error_strip_remote_error (error);
  return error;
}

static void
check_code (Fixture *f, const gchar *domain, gint code, gboolean expect_known)
{
  g_autoptr (GError) local
      = g_error_new (domain_from_name (domain), code, "Failed on purpose: %s %d", domain, code);
  g_autoptr (GError) remote = NULL;
  g_autofree gchar *name = NULL;

  g_test_message ("%s %d", domain, code);
  /* Known to the table (or the domain is the D-Bus one already)... */
  g_assert_cmpint (docket_dbus_error_convert (&local), ==, expect_known);
  g_assert_true (local->domain == DOCKET_SESSION_ERROR);
  /* ...with a name of its own on the bus, not GDBus's unmapped fallback... */
  name = g_dbus_error_encode_gerror (local);
  g_assert_true (g_str_has_prefix (name, "io.github.docket.Docket1.Error."));
  /* ...and back to a client as the same domain, code and words. */
  remote = call_fail (f, domain, code);
  g_assert_error (remote, DOCKET_SESSION_ERROR, local->code);
  g_assert_cmpstr (remote->message, ==, local->message);
}

static void
test_every_code (Fixture *f, gconstpointer data)
{
  g_autoptr (GEnumClass) docket = g_type_class_ref (DOCKET_TYPE_ERROR);
  g_autoptr (GEnumClass) session = g_type_class_ref (DOCKET_TYPE_SESSION_ERROR);

  g_assert_cmpuint (docket->n_values, >, 0);
  for (guint i = 0; i < docket->n_values; i++)
    check_code (f, "docket", docket->values[i].value, TRUE);
  g_assert_cmpuint (session->n_values, >, 0);
  for (guint i = 0; i < session->n_values; i++)
    {
      g_autoptr (GError) local
          = g_error_new_literal (DOCKET_SESSION_ERROR, session->values[i].value, "Already D-Bus");

      check_code (f, "session", session->values[i].value, TRUE);
      /* D-Bus errors pass through untouched. */
      g_assert_true (docket_dbus_error_convert (&local));
      g_assert_error (local, DOCKET_SESSION_ERROR, session->values[i].value);
    }
}

/* What people act on keeps its meaning; the rest is Failed with the words. */
static void
test_meaning (Fixture *f, gconstpointer data)
{
  static const struct
  {
    DocketError code;
    gint dbus_code;
  } cases[] = {
    { DOCKET_ERROR_NOT_FOUND, DOCKET_SESSION_ERROR_NOT_FOUND },
    { DOCKET_ERROR_PERMISSION, DOCKET_SESSION_ERROR_ACCESS_DENIED },
    { DOCKET_ERROR_INVALID, DOCKET_SESSION_ERROR_INVALID },
    { DOCKET_ERROR_STORE, DOCKET_SESSION_ERROR_FAILED },
    { DOCKET_ERROR_NOT_SUPPORTED, DOCKET_SESSION_ERROR_FAILED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) remote = call_fail (f, "docket", cases[i].code);

      g_assert_error (remote, DOCKET_SESSION_ERROR, cases[i].dbus_code);
    }
}

static void
test_foreign (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) remote = NULL;

  check_code (f, "io", G_IO_ERROR_PERMISSION_DENIED, FALSE);
  remote = call_fail (f, "io", G_IO_ERROR_PERMISSION_DENIED);
  g_assert_error (remote, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_FAILED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* A client registers the domain by using it, as DocketClient does. */
  (void)docket_session_error_quark ();
  g_test_add ("/dbus-error/every-code", Fixture, NULL, fixture_setup, test_every_code,
              fixture_teardown);
  g_test_add ("/dbus-error/meaning", Fixture, NULL, fixture_setup, test_meaning, fixture_teardown);
  g_test_add ("/dbus-error/foreign", Fixture, NULL, fixture_setup, test_foreign, fixture_teardown);
  return g_test_run ();
}
