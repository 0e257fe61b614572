/* test-kiosk-model.c — the kiosk's GTK-free view-models: pages and card wording
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cameras are local D-Bus skeletons: they implement DocketDBusCamera and emit
 * the same notify signals a proxy does on PropertiesChanged.
 */
#include "config.h"

#include "docket-card-charge.h"
#include "docket-card-model.h"
#include "docket-card-transfer.h"
#include "docket-card-wording.h"
#include "docket-dock-page.h"

/* g_format_size () keeps number and unit together. */
#define NBSP "\xc2\xa0"

/* @text with no-break spaces as plain ones, for tests about the words
 * (test_wording_helpers checks where the no-break spaces go). */
static gchar *
plain (const gchar *text)
{
  GString *s;

  if (text == NULL)
    return NULL;
  s = g_string_new (text);
  g_string_replace (s, NBSP, " ", 0);
  return g_string_free (s, FALSE);
}

static GVariant *
make_offload (guint files_done,
              guint files_total,
              guint64 bytes_done,
              guint64 bytes_total,
              gdouble rate,
              gint eta,
              guint verified,
              guint quarantined)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "files-done", g_variant_new_uint32 (files_done));
  g_variant_builder_add (&b, "{sv}", "files-total", g_variant_new_uint32 (files_total));
  g_variant_builder_add (&b, "{sv}", "bytes-done", g_variant_new_uint64 (bytes_done));
  g_variant_builder_add (&b, "{sv}", "bytes-total", g_variant_new_uint64 (bytes_total));
  g_variant_builder_add (&b, "{sv}", "rate-bytes-per-second", g_variant_new_double (rate));
  g_variant_builder_add (&b, "{sv}", "eta-seconds", g_variant_new_int32 (eta));
  g_variant_builder_add (&b, "{sv}", "verified", g_variant_new_uint32 (verified));
  g_variant_builder_add (&b, "{sv}", "quarantined", g_variant_new_uint32 (quarantined));
  g_variant_builder_add (&b, "{sv}", "current", g_variant_new_string ("REC0007.MP4"));
  return g_variant_builder_end (&b);
}

static DocketDBusCamera *
make_camera (const gchar *state)
{
  DocketDBusCamera *camera = docket_dbus_camera_skeleton_new ();

  docket_dbus_camera_set_vendor (camera, "Acme");
  docket_dbus_camera_set_model (camera, "BodyCam 3");
  docket_dbus_camera_set_serial (camera, "X6001234");
  docket_dbus_camera_set_slot (camera, "1-2");
  docket_dbus_camera_set_state (camera, state);
  docket_dbus_camera_set_battery_percent (camera, 64);
  docket_dbus_camera_set_charging_state (camera, "charging");
  docket_dbus_camera_set_officer (camera, "4711");
  return camera;
}

static void
test_page_for_state (void)
{
  g_assert_cmpint (docket_dock_page_for (DOCKET_CLIENT_STATE_CONNECTING, 0, FALSE), ==,
                   DOCKET_DOCK_PAGE_STARTING);
  g_assert_cmpint (docket_dock_page_for (DOCKET_CLIENT_STATE_CONNECTING, 3, FALSE), ==,
                   DOCKET_DOCK_PAGE_STARTING);
  g_assert_cmpint (docket_dock_page_for (DOCKET_CLIENT_STATE_UNAVAILABLE, 0, FALSE), ==,
                   DOCKET_DOCK_PAGE_UNAVAILABLE);
  /* Stale cameras never show while the daemon is gone. */
  g_assert_cmpint (docket_dock_page_for (DOCKET_CLIENT_STATE_UNAVAILABLE, 2, FALSE), ==,
                   DOCKET_DOCK_PAGE_UNAVAILABLE);
  g_assert_cmpint (docket_dock_page_for (DOCKET_CLIENT_STATE_CONNECTED, 0, FALSE), ==,
                   DOCKET_DOCK_PAGE_EMPTY);
  g_assert_cmpint (docket_dock_page_for (DOCKET_CLIENT_STATE_CONNECTED, 1, FALSE), ==,
                   DOCKET_DOCK_PAGE_CAMERAS);

  /* The keypad only while the daemon is there to check the PIN. */
  g_assert_cmpint (docket_dock_page_for (DOCKET_CLIENT_STATE_CONNECTED, 2, TRUE), ==,
                   DOCKET_DOCK_PAGE_SIGN_IN);
  g_assert_cmpint (docket_dock_page_for (DOCKET_CLIENT_STATE_UNAVAILABLE, 0, TRUE), ==,
                   DOCKET_DOCK_PAGE_UNAVAILABLE);
  g_assert_cmpint (docket_dock_page_for (DOCKET_CLIENT_STATE_CONNECTING, 0, TRUE), ==,
                   DOCKET_DOCK_PAGE_STARTING);

  g_assert_cmpstr (docket_dock_page_to_string (DOCKET_DOCK_PAGE_SIGN_IN), ==, "sign-in");
  g_assert_cmpstr (docket_dock_page_to_string (DOCKET_DOCK_PAGE_STARTING), ==, "starting");
  g_assert_cmpstr (docket_dock_page_to_string (DOCKET_DOCK_PAGE_UNAVAILABLE), ==, "unavailable");
  g_assert_cmpstr (docket_dock_page_to_string (DOCKET_DOCK_PAGE_EMPTY), ==, "empty");
  g_assert_cmpstr (docket_dock_page_to_string (DOCKET_DOCK_PAGE_CAMERAS), ==, "cameras");
}

static void
test_card_without_camera (void)
{
  g_autoptr (DocketCardModel) model = docket_card_model_new (NULL);

  g_assert_cmpstr (docket_card_model_get_title (model), ==, "Body camera");
  g_assert_cmpstr (docket_card_model_get_slot_text (model), ==, "Slot unknown");
  g_assert_cmpstr (docket_card_model_get_officer_text (model), ==, "Unassigned camera");
  g_assert_cmpstr (docket_card_model_get_battery_text (model), ==, "Battery level unknown");
  g_assert_cmpstr (docket_card_model_get_battery_icon (model), ==, "battery-missing-symbolic");
  g_assert_false (docket_card_model_get_progress_visible (model));
  g_assert_false (docket_card_model_get_problem_visible (model));
}

static void
test_card_identity (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("idle");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);

  g_assert_cmpstr (docket_card_model_get_title (model), ==, "Acme BodyCam 3");
  g_assert_cmpstr (docket_card_model_get_slot_text (model), ==, "Slot 1-2");
  g_assert_cmpstr (docket_card_model_get_officer_text (model), ==, "Officer 4711");
  g_assert_cmpstr (docket_card_model_get_state_text (model), ==, "Docked");
  g_assert_true (docket_card_model_get_camera (model) == camera);
  g_assert_cmpstr (docket_card_model_get_device_text (model), ==,
                   "Acme BodyCam 3 · Serial X6001234");
  /* Screen readers hear the card in its visual order. */
  g_assert_true (g_str_has_prefix (docket_card_model_get_accessible_summary (model),
                                   "Slot 1-2. Officer 4711. Docked. 64" NBSP "% · charging."));

  docket_dbus_camera_set_officer (camera, "");
  g_assert_cmpstr (docket_card_model_get_officer_text (model), ==, "Unassigned camera");
}

/* Colour is never the only signal: every state has words and an icon. */
static void
test_card_states_have_icon_and_text (void)
{
  const struct
  {
    const gchar *state;
    guint quarantined;
    DocketCardTone tone;
  } cases[] = {
    { "identifying", 0, DOCKET_CARD_TONE_BUSY },
    { "idle", 0, DOCKET_CARD_TONE_NEUTRAL },
    { "offloading", 0, DOCKET_CARD_TONE_BUSY },
    { "done", 0, DOCKET_CARD_TONE_GOOD },
    { "done", 2, DOCKET_CARD_TONE_WARNING },
    { "faulty", 0, DOCKET_CARD_TONE_ERROR },
    { "from-a-newer-daemon", 0, DOCKET_CARD_TONE_NEUTRAL },
  };
  g_autoptr (GHashTable) texts = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (DocketDBusCamera) camera = make_camera (cases[i].state);
      g_autoptr (DocketCardModel) model = NULL;

      docket_dbus_camera_set_offload (
          camera,
          make_offload (5, 5, 500, 500, 0, -1, 5 - cases[i].quarantined, cases[i].quarantined));
      model = docket_card_model_new (camera);
      g_assert_cmpint (docket_card_model_get_state_tone (model), ==, cases[i].tone);
      g_assert_cmpstr (docket_card_model_get_state_text (model), !=, "");
      g_assert_true (g_str_has_suffix (docket_card_model_get_state_icon (model), "-symbolic"));
      g_assert_cmpstr (docket_card_tone_to_style_class (cases[i].tone), !=, "");
      /* No two states read the same. */
      g_assert_false (g_hash_table_contains (texts, docket_card_model_get_state_text (model)));
      g_hash_table_add (texts,
                        (gpointer)g_intern_string (docket_card_model_get_state_text (model)));
    }
}

static void
test_card_offloading (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("offloading");
  g_autoptr (DocketCardModel) model = NULL;
  const gchar *transfer;

  docket_dbus_camera_set_offload (
      camera, make_offload (3, 12, 1000000000, 4000000000, 25000000.0, 125, 3, 0));
  model = docket_card_model_new (camera);

  g_assert_true (docket_card_model_get_progress_visible (model));
  g_assert_cmpfloat_with_epsilon (docket_card_model_get_progress_fraction (model), 0.25, 1e-9);
  g_assert_cmpstr (docket_card_model_get_files_text (model), ==, "3 of 12 recordings copied");
  transfer = docket_card_model_get_transfer_text (model);
  g_assert_cmpstr (transfer, ==,
                   "1.0" NBSP "GB of 4.0" NBSP "GB · 25.0" NBSP "MB/s · about 3 minutes left");
  g_assert_cmpstr (docket_card_model_get_verification_text (model), ==, "3 recordings verified");
  g_assert_cmpstr (docket_card_model_get_verification_icon (model), ==, "emblem-ok-symbolic");
  g_assert_cmpstr (docket_card_model_get_state_icon (model), ==, "folder-download-symbolic");

  /* Singular, and the first recording not verified yet. */
  docket_dbus_camera_set_offload (camera, make_offload (0, 1, 0, 0, 0.0, -1, 0, 0));
  g_assert_cmpstr (docket_card_model_get_files_text (model), ==, "0 of 1 recording copied");
  g_assert_cmpstr (docket_card_model_get_transfer_text (model), ==, "");
  g_assert_cmpstr (docket_card_model_get_verification_text (model), ==,
                   "Each recording is checked as it arrives");
}

static void
test_card_done (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("done");
  g_autoptr (DocketCardModel) model = NULL;

  docket_dbus_camera_set_offload (camera, make_offload (12, 12, 4000, 4000, 9.0, 0, 12, 0));
  model = docket_card_model_new (camera);
  g_assert_cmpstr (docket_card_model_get_state_text (model), ==, "Done: all recordings safe");
  /* No rate or time left once finished. */
  g_assert_cmpstr (docket_card_model_get_transfer_text (model), ==,
                   "4.0" NBSP "kB of 4.0" NBSP "kB");
  g_assert_cmpfloat_with_epsilon (docket_card_model_get_progress_fraction (model), 1.0, 1e-9);

  docket_dbus_camera_set_offload (camera, make_offload (0, 0, 0, 0, 0.0, -1, 0, 0));
  g_assert_cmpstr (docket_card_model_get_files_text (model), ==,
                   "No new recordings on this camera");
  g_assert_false (docket_card_model_get_progress_visible (model));
}

static void
test_card_quarantined (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("done");
  g_autoptr (DocketCardModel) model = NULL;

  docket_dbus_camera_set_offload (camera, make_offload (12, 12, 4000, 4000, 0, -1, 11, 1));
  model = docket_card_model_new (camera);
  g_assert_cmpint (docket_card_model_get_state_tone (model), ==, DOCKET_CARD_TONE_WARNING);
  g_assert_cmpstr (docket_card_model_get_verification_text (model), ==,
                   "1 recording failed its check — kept on the camera for IT");
  g_assert_cmpstr (docket_card_model_get_verification_icon (model), ==, "dialog-warning-symbolic");

  docket_dbus_camera_set_offload (camera, make_offload (12, 12, 4000, 4000, 0, -1, 9, 3));
  g_assert_cmpstr (docket_card_model_get_verification_text (model), ==,
                   "3 recordings failed their check — kept on the camera for IT");

  /* The daemon says what failed: said once, the line counts the good ones. */
  docket_dbus_camera_set_problem (camera,
                                  "Recording 7 failed its check — kept on the camera, IT notified");
  g_assert_cmpstr (docket_card_model_get_verification_text (model), ==, "9 recordings verified");
  g_assert_cmpstr (docket_card_model_get_verification_icon (model), ==, "emblem-ok-symbolic");
  g_assert_null (strstr (docket_card_model_get_accessible_summary (model), "failed their check"));
  docket_dbus_camera_set_offload (camera, make_offload (3, 3, 4000, 4000, 0, -1, 0, 3));
  g_assert_cmpstr (docket_card_model_get_verification_text (model), ==, "");
}

static void
test_card_problem (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("faulty");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);

  /* Faulty without words from the daemon still tells people what to do. */
  g_assert_true (docket_card_model_get_problem_visible (model));
  g_assert_cmpstr (docket_card_model_get_problem_text (model), ==,
                   "The camera reported a fault. Leave it in the dock and tell IT.");

  docket_dbus_camera_set_problem (camera, "Recording 7 failed its check — kept on the camera");
  g_assert_cmpstr (docket_card_model_get_problem_text (model), ==,
                   "Recording 7 failed its check — kept on the camera");
  g_assert_nonnull (
      strstr (docket_card_model_get_accessible_summary (model), "Recording 7 failed its check"));
  docket_dbus_camera_set_problem (camera, "take it out and put it back in.");
  /* A line on the card starts with a capital, whoever wrote it. */
  g_assert_cmpstr (docket_card_model_get_problem_text (model), ==,
                   "Take it out and put it back in.");
  g_assert_nonnull (strstr (docket_card_model_get_accessible_summary (model),
                            "Take it out and put it back in. Acme BodyCam 3"));

  docket_dbus_camera_set_state (camera, "idle");
  docket_dbus_camera_set_problem (camera, "");
  g_assert_false (docket_card_model_get_problem_visible (model));
  g_assert_cmpstr (docket_card_model_get_problem_text (model), ==, "");
}

static void
test_card_battery (void)
{
  const struct
  {
    gint percent;
    const gchar *charging;
    const gchar *text;
    const gchar *icon;
  } cases[] = {
    { 64, "charging", "64" NBSP "% · charging", "battery-level-60-charging-symbolic" },
    { 100, "full", "100" NBSP "% · full", "battery-level-100-charged-symbolic" },
    { 7, "discharging", "7" NBSP "% · on battery", "battery-level-10-symbolic" },
    { 3, "not-charging", "3" NBSP "% · not charging", "battery-level-0-symbolic" },
    { 96, "unknown", "96" NBSP "%", "battery-level-100-symbolic" },
    { -1, "charging", "Battery level unknown", "battery-missing-symbolic" },
    { 250, "charging", "Battery level unknown", "battery-missing-symbolic" },
  };
  g_autoptr (DocketDBusCamera) camera = make_camera ("idle");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      docket_dbus_camera_set_battery_percent (camera, cases[i].percent);
      docket_dbus_camera_set_charging_state (camera, cases[i].charging);
      g_assert_cmpstr (docket_card_model_get_battery_text (model), ==, cases[i].text);
      g_assert_cmpstr (docket_card_model_get_battery_icon (model), ==, cases[i].icon);
    }
}

static void
test_card_policy (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("idle");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);
  GVariantBuilder b;

  /* Not checked yet: no line at all. */
  g_assert_cmpstr (docket_card_model_get_policy_text (model), ==, "");

  docket_dbus_camera_set_policy_state (camera, "compliant");
  g_assert_cmpstr (docket_card_model_get_policy_text (model), ==, "Settings match the policy");
  g_assert_cmpstr (docket_card_model_get_policy_icon (model), ==, "emblem-ok-symbolic");

  docket_dbus_camera_set_policy_state (camera, "changed");
  g_assert_cmpstr (docket_card_model_get_policy_text (model), ==,
                   "Settings corrected to match the policy");

  docket_dbus_camera_set_policy_state (camera, "non-compliant");
  g_assert_cmpstr (docket_card_model_get_policy_text (model), ==,
                   "Settings differ from the policy — IT must check");
  g_assert_cmpstr (docket_card_model_get_policy_icon (model), ==, "dialog-warning-symbolic");

  /* The daemon's own words win. */
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "problem",
                         g_variant_new_string ("Firmware 2.0 is older than the required 3.1"));
  docket_dbus_camera_set_policy_details (camera, g_variant_builder_end (&b));
  g_assert_cmpstr (docket_card_model_get_policy_text (model), ==,
                   "Firmware 2.0 is older than the required 3.1");
  g_assert_nonnull (strstr (docket_card_model_get_accessible_summary (model),
                            "Firmware 2.0 is older than the required 3.1"));

  /* The daemon's clauses start a line with a capital on the card. */
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "problem",
                         g_variant_new_string ("its clock is 12.0 s off and was not set"));
  docket_dbus_camera_set_policy_details (camera, g_variant_builder_end (&b));
  g_assert_cmpstr (docket_card_model_get_policy_text (model), ==,
                   "Its clock is 12.0" NBSP "s off and was not set");

  docket_dbus_camera_set_policy_state (camera, "a-state-from-the-future");
  g_assert_cmpstr (docket_card_model_get_policy_text (model), ==, "");
}

static DocketDBusCamera *
make_checked_camera (const gchar *serial, const gchar *clock_sync)
{
  DocketDBusCamera *camera = make_camera ("done");
  GVariantBuilder b;

  docket_dbus_camera_set_serial (camera, serial);
  docket_dbus_camera_set_policy_state (camera, "compliant");
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  if (clock_sync != NULL)
    g_variant_builder_add (&b, "{sv}", "clock-sync", g_variant_new_string (clock_sync));
  docket_dbus_camera_set_policy_details (camera, g_variant_builder_end (&b));
  return camera;
}

/* The kiosk's own clock is the station's news: one note, whichever cameras
 * the dock checked with it. */
static void
test_station_clock_note (void)
{
  g_autoptr (GListStore) cameras = g_list_store_new (DOCKET_DBUS_TYPE_CAMERA);
  g_autoptr (DocketDBusCamera) unchecked = make_checked_camera ("X1", NULL);
  g_autoptr (DocketDBusCamera) synced = make_checked_camera ("X2", "synchronised");
  g_autoptr (DocketDBusCamera) unknown = make_checked_camera ("X3", "unknown");
  g_autoptr (DocketDBusCamera) unsynced = make_checked_camera ("X4", "not-synchronised");
  g_autoptr (DocketCardModel) model = docket_card_model_new (unknown);

  g_assert_null (docket_station_clock_note (G_LIST_MODEL (cameras)));
  g_list_store_append (cameras, unchecked);
  g_list_store_append (cameras, synced);
  g_assert_null (docket_station_clock_note (G_LIST_MODEL (cameras)));
  g_list_store_append (cameras, unknown);
  g_list_store_append (cameras, unsynced);
  g_assert_cmpstr (docket_station_clock_note (G_LIST_MODEL (cameras)), ==,
                   "This kiosk cannot confirm its own clock");
  /* Not on the card: a camera within the drift allowed is simply fine. */
  g_assert_cmpstr (docket_card_model_get_policy_text (model), ==, "Settings match the policy");
  g_assert_null (strstr (docket_card_model_get_accessible_summary (model), "clock"));
}

/* Wording helpers: a capital to start, a number kept with its unit. */
static void
test_wording_helpers (void)
{
  g_autofree gchar *capital = docket_card_sentence ("its clock is 3.0 s off");
  g_autofree gchar *accented = docket_card_sentence ("ésta");
  g_autofree gchar *empty = docket_card_sentence ("");
  g_autofree gchar *bound = docket_text_bind_units (g_strdup ("90 % · 12 % less, 100 %"));
  g_autofree gchar *plain = docket_text_bind_units (g_strdup ("no units here"));
  g_autofree gchar *others = docket_text_bind_units (
      g_strdup ("96 % · not charging · 25 °C; 1.4 s off; 211.3 kB of 3 MB; 2 sergeants; 5 smiles"));

  g_assert_cmpstr (capital, ==, "Its clock is 3.0 s off");
  g_assert_cmpstr (accented, ==, "Ésta");
  g_assert_cmpstr (empty, ==, "");
  g_assert_null (docket_card_sentence (NULL));
  g_assert_cmpstr (bound, ==, "90" NBSP "% · 12" NBSP "% less, 100" NBSP "%");
  g_assert_cmpstr (plain, ==, "no units here");
  g_assert_cmpstr (others, ==,
                   "96" NBSP "% · not charging · 25" NBSP "°C; 1.4" NBSP "s off; 211.3" NBSP
                   "kB of 3" NBSP "MB; 2 sergeants; 5 smiles");
  g_assert_null (docket_text_bind_units (NULL));
}

static void
count_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

/* Live updates: a proxy change re-words the card and notifies only what changed. */
static void
test_card_live_update (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("idle");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);
  guint battery_notifies = 0;
  guint state_notifies = 0;

  g_signal_connect (model, "notify::battery-text", G_CALLBACK (count_notify), &battery_notifies);
  g_signal_connect (model, "notify::state-text", G_CALLBACK (count_notify), &state_notifies);

  docket_dbus_camera_set_battery_percent (camera, 65);
  g_assert_cmpuint (battery_notifies, ==, 1);
  g_assert_cmpuint (state_notifies, ==, 0);
  g_assert_cmpstr (docket_card_model_get_battery_text (model), ==, "65" NBSP "% · charging");

  docket_dbus_camera_set_state (camera, "offloading");
  g_assert_cmpuint (state_notifies, ==, 1);
  g_assert_cmpuint (battery_notifies, ==, 1);

  /* Detached: no more updates from the old camera. */
  docket_card_model_set_camera (model, NULL);
  state_notifies = 0;
  docket_dbus_camera_set_state (camera, "done");
  g_assert_cmpuint (state_notifies, ==, 0);
}

/* A daemon is input too: wrong types in Offload are ignored, never trusted. */
static void
test_card_bad_offload (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("offloading");
  g_autoptr (DocketCardModel) model = NULL;
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "files-total", g_variant_new_string ("twelve"));
  g_variant_builder_add (&b, "{sv}", "files-done", g_variant_new_uint32 (99));
  g_variant_builder_add (&b, "{sv}", "bytes-total", g_variant_new_uint64 (10));
  g_variant_builder_add (&b, "{sv}", "bytes-done", g_variant_new_uint64 (20));
  docket_dbus_camera_set_offload (camera, g_variant_builder_end (&b));
  model = docket_card_model_new (camera);

  /* done > total is clamped: never more than 100 %. */
  g_assert_cmpfloat_with_epsilon (docket_card_model_get_progress_fraction (model), 1.0, 1e-9);
  g_assert_cmpstr (docket_card_model_get_files_text (model), ==, "");
}

/* Issue 6: readiness for a shift, in words, with an icon. */
static void
test_card_ready (void)
{
  const struct
  {
    gint percent;
    gboolean ready;
    gint seconds;
    const gchar *text;
    const gchar *icon;
  } cases[] = {
    { 95, TRUE, 0, "Ready for shift", "emblem-ok-symbolic" },
    { 60, FALSE, 25 * 60, "Ready in about 25 min", "alarm-symbolic" },
    { 60, FALSE, 25 * 60 - 30, "Ready in about 25 min", "alarm-symbolic" },
    { 10, FALSE, 65 * 60, "Ready in about 1 h 05 min", "alarm-symbolic" },
    { 79, FALSE, 30, "Ready in less than a minute", "alarm-symbolic" },
    /* No estimate (too hot, held below the level, no charge rate yet). */
    { 40, FALSE, -1, "Not ready for shift yet", "alarm-symbolic" },

    { 50, FALSE, 48 * 3600, "Ready in about 48 h 00 min", "alarm-symbolic" },
    { 50, FALSE, G_MAXINT, "Not ready for shift yet", "alarm-symbolic" },
  };
  g_autoptr (DocketDBusCamera) camera = make_camera ("idle");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);
  gboolean visible = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *text = NULL;

      docket_dbus_camera_set_battery_percent (camera, cases[i].percent);
      docket_dbus_camera_set_ready_for_shift (camera, cases[i].ready);
      docket_dbus_camera_set_ready_in_seconds (camera, cases[i].seconds);
      text = plain (docket_card_model_get_ready_text (model));
      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpstr (docket_card_model_get_ready_icon (model), ==, cases[i].icon);
      g_object_get (model, "ready-visible", &visible, NULL);
      g_assert_true (visible);
    }
  g_assert_nonnull (
      strstr (docket_card_model_get_accessible_summary (model), "Not ready for shift yet"));

  /* Not judged yet (an older daemon, or before the first status poll): no line. */
  docket_dbus_camera_set_ready_in_seconds (camera, 0);
  g_assert_cmpstr (docket_card_model_get_ready_text (model), ==, "");
  g_object_get (model, "ready-visible", &visible, NULL);
  g_assert_false (visible);
  docket_dbus_camera_set_ready_in_seconds (camera, -1);
  g_assert_cmpstr (docket_card_model_get_ready_text (model), ==, "Not ready for shift yet");

  /* Nothing to say about readiness while the battery is unknown. */
  docket_dbus_camera_set_battery_percent (camera, -1);
  g_assert_cmpstr (docket_card_model_get_ready_text (model), ==, "");
  g_object_get (model, "ready-visible", &visible, NULL);
  g_assert_false (visible);
}

static void
test_card_temperature (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("idle");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);

  /* 0.0: no sensor, no temperature. */
  g_assert_cmpstr (docket_card_model_get_battery_text (model), ==, "64" NBSP "% · charging");
  docket_dbus_camera_set_battery_temperature (camera, 31.4);
  g_assert_cmpstr (docket_card_model_get_battery_text (model), ==,
                   "64" NBSP "% · charging · 31" NBSP "°C");
  docket_dbus_camera_set_charging_state (camera, "not-charging");
  docket_dbus_camera_set_battery_temperature (camera, 47.2);
  g_assert_cmpstr (docket_card_model_get_battery_text (model), ==,
                   "64" NBSP "% · not charging · 47" NBSP "°C");
  docket_dbus_camera_set_battery_percent (camera, -1);
  g_assert_cmpstr (docket_card_model_get_battery_text (model), ==, "Battery level unknown");
}

/* Why a camera is not charging: the daemon's own plain words. */
static void
test_card_charge_note (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("idle");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);
  const gchar *note = "Not charging: the battery is too hot (47 °C, limit 45 °C). Charging resumes "
                      "below 42 °C.";
  g_autofree gchar *shown = NULL;
  g_autofree gchar *summary = NULL;
  gboolean visible = TRUE;

  g_object_get (model, "charge-note-visible", &visible, NULL);
  g_assert_false (visible);
  docket_dbus_camera_set_charge_note (camera, note);
  shown = plain (docket_card_model_get_charge_note (model));
  g_assert_cmpstr (shown, ==, note);
  g_object_get (model, "charge-note-visible", &visible, NULL);
  g_assert_true (visible);
  summary = plain (docket_card_model_get_accessible_summary (model));
  g_assert_nonnull (strstr (summary, note));
  docket_dbus_camera_set_charge_note (camera, "");
  g_object_get (model, "charge-note-visible", &visible, NULL);
  g_assert_false (visible);
}

/* A firmware update in the dock, in the daemon's words, while it concerns
 * the camera. */
static void
test_card_firmware (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("done");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);
  const gchar *text = "Updating firmware to 1.1.0: 42 %";
  /* The daemon's words, with the number and its unit kept together. */
  const gchar *shown = "Updating firmware to 1.1.0: 42" NBSP "%";
  gboolean visible = TRUE;

  g_object_get (model, "firmware-visible", &visible, NULL);
  g_assert_false (visible);
  docket_dbus_camera_set_firmware_update (camera, text);
  g_assert_cmpstr (docket_card_model_get_firmware_text (model), ==, shown);
  g_object_get (model, "firmware-visible", &visible, NULL);
  g_assert_true (visible);
  g_assert_nonnull (strstr (docket_card_model_get_accessible_summary (model), shown));
  docket_dbus_camera_set_firmware_update (camera, "");
  g_object_get (model, "firmware-visible", &visible, NULL);
  g_assert_false (visible);
}

static void
test_card_health (void)
{
  const struct
  {
    gint health;
    const gchar *text;
    const gchar *icon;
  } cases[] = {
    { 72, "Battery health 72" NBSP "%", "battery-caution-symbolic" },
    { 93, "Battery health 93" NBSP "%", "battery-good-symbolic" },
    { 100, "", NULL },
    { 0, "", NULL },
    { -1, "", NULL },
  };
  g_autoptr (DocketDBusCamera) camera = make_camera ("idle");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean visible;

      docket_dbus_camera_set_battery_health_percent (camera, cases[i].health);
      g_assert_cmpstr (docket_card_model_get_health_text (model), ==, cases[i].text);
      if (cases[i].icon != NULL)
        g_assert_cmpstr (docket_card_model_get_health_icon (model), ==, cases[i].icon);
      g_object_get (model, "health-visible", &visible, NULL);
      g_assert_cmpint (visible, ==, *cases[i].text != '\0');
    }
}

static void
test_card_alerts (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("idle");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);
  const gchar *const alerts[] = {
    "Worn battery: it holds 61 % of its design capacity after 812 charge cycles (policy minimum "
    "70 %). Replace the battery.",
    "Battery too hot: 47 °C (limit 45 °C).",
    NULL,
  };
  /* As shown: each number kept with its unit. */
  const gchar *const shown[] = {
    "Worn battery: it holds 61" NBSP "% of its design capacity after 812 charge cycles (policy "
    "minimum 70" NBSP "%). Replace the battery.",
    "Battery too hot: 47" NBSP "°C (limit 45" NBSP "°C).",
    NULL,
  };
  guint notifies = 0;

  g_assert_cmpuint (g_strv_length ((gchar **)docket_card_model_get_alerts (model)), ==, 0);
  g_signal_connect (model, "notify::alerts", G_CALLBACK (count_notify), &notifies);
  docket_dbus_camera_set_alerts (camera, alerts);
  g_assert_true (g_strv_equal (docket_card_model_get_alerts (model), shown));
  g_assert_cmpuint (notifies, ==, 1);
  /* Screen readers hear every alert. */
  g_assert_nonnull (strstr (docket_card_model_get_accessible_summary (model), shown[0]));
  g_assert_nonnull (strstr (docket_card_model_get_accessible_summary (model), shown[1]));
  /* Unrelated changes do not re-announce them. */
  docket_dbus_camera_set_battery_percent (camera, 70);
  g_assert_cmpuint (notifies, ==, 1);
  docket_dbus_camera_set_alerts (camera, NULL);
  g_assert_cmpuint (g_strv_length ((gchar **)docket_card_model_get_alerts (model)), ==, 0);
  g_assert_cmpuint (notifies, ==, 2);
}

/* Who holds the camera, with the name when the kiosk knows it. */
static void
test_card_holder (void)
{
  g_autoptr (DocketDBusCamera) camera = make_camera ("idle");
  g_autoptr (DocketCardModel) model = docket_card_model_new (camera);
  g_autoptr (DocketNameBook) names = docket_name_book_new ();
  guint notifies = 0;

  docket_card_model_set_name_book (model, names);
  docket_dbus_camera_set_officer (camera, "");
  docket_dbus_camera_set_pooled (camera, TRUE);
  /* Available only when it could be checked out now. */
  g_assert_cmpstr (docket_card_model_get_officer_text (model), ==,
                   "Pool camera — charging, not ready yet");
  docket_dbus_camera_set_ready_in_seconds (camera, 541);
  g_assert_cmpstr (docket_card_model_get_officer_text (model), ==,
                   "Pool camera — charging: ready in about 10" NBSP "min");
  docket_dbus_camera_set_ready_for_shift (camera, TRUE);
  docket_dbus_camera_set_ready_in_seconds (camera, 0);
  g_assert_cmpstr (docket_card_model_get_officer_text (model), ==, "Pool camera — available");

  docket_dbus_camera_set_holder (camera, "1234");
  g_assert_cmpstr (docket_card_model_get_officer_text (model), ==, "Checked out to Officer 1234");
  /* An officer signs in here: the name appears on the card at once. */
  g_signal_connect (model, "notify::officer-text", G_CALLBACK (count_notify), &notifies);
  docket_name_book_remember (names, "1234", "Ana Díaz");
  g_assert_cmpuint (notifies, ==, 1);
  g_assert_cmpstr (docket_card_model_get_officer_text (model), ==,
                   "Checked out to Officer Ana Díaz (1234)");
  g_assert_true (g_str_has_prefix (docket_card_model_get_accessible_summary (model),
                                   "Slot 1-2. Checked out to Officer Ana Díaz (1234). Docked."));
  /* Same name again: nothing to redo. */
  docket_name_book_remember (names, "1234", "Ana Díaz");
  g_assert_cmpuint (notifies, ==, 1);

  docket_dbus_camera_set_pooled (camera, FALSE);
  g_assert_cmpstr (docket_card_model_get_officer_text (model), ==,
                   "Assigned to Officer Ana Díaz (1234)");
  docket_dbus_camera_set_holder (camera, "5678");
  g_assert_cmpstr (docket_card_model_get_officer_text (model), ==, "Assigned to Officer 5678");

  /* An older daemon: Officer only. */
  docket_dbus_camera_set_holder (camera, "");
  docket_dbus_camera_set_officer (camera, "4711");
  g_assert_cmpstr (docket_card_model_get_officer_text (model), ==, "Officer 4711");
  docket_dbus_camera_set_officer (camera, "");
  g_assert_cmpstr (docket_card_model_get_officer_text (model), ==, "Unassigned camera");
  g_assert_cmpstr (docket_name_book_lookup (names, "1234"), ==, "Ana Díaz");
  g_assert_null (docket_name_book_lookup (names, "5678"));
}

static void
test_check_out_text (void)
{
  g_autofree gchar *text = docket_card_format_check_out ("3", "BWC-0042");

  g_assert_cmpstr (text, ==, "Take the camera from slot 3 (serial BWC-0042).");
}

static void
test_time_left (void)
{
  struct
  {
    gint seconds;
    const gchar *text;
  } cases[] = {
    { 0, "less than a minute left" },  { 59, "less than a minute left" },
    { 60, "about 1 minute left" },     { 61, "about 2 minutes left" },
    { 3540, "about 59 minutes left" }, { 3599, "about 1 h 00 min left" },
    { 3600, "about 1 h 00 min left" }, { 3 * 3600 + 125, "about 3 h 03 min left" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *text = docket_card_format_time_left (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  g_assert_null (docket_card_format_time_left (-1));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk-model/page-for-state", test_page_for_state);
  g_test_add_func ("/kiosk-model/card/without-camera", test_card_without_camera);
  g_test_add_func ("/kiosk-model/card/identity", test_card_identity);
  g_test_add_func ("/kiosk-model/card/states-have-icon-and-text",
                   test_card_states_have_icon_and_text);
  g_test_add_func ("/kiosk-model/card/offloading", test_card_offloading);
  g_test_add_func ("/kiosk-model/card/done", test_card_done);
  g_test_add_func ("/kiosk-model/card/quarantined", test_card_quarantined);
  g_test_add_func ("/kiosk-model/card/problem", test_card_problem);
  g_test_add_func ("/kiosk-model/card/battery", test_card_battery);
  g_test_add_func ("/kiosk-model/card/policy", test_card_policy);
  g_test_add_func ("/kiosk-model/station-clock-note", test_station_clock_note);
  g_test_add_func ("/kiosk-model/wording-helpers", test_wording_helpers);
  g_test_add_func ("/kiosk-model/card/live-update", test_card_live_update);
  g_test_add_func ("/kiosk-model/card/bad-offload", test_card_bad_offload);
  g_test_add_func ("/kiosk-model/time-left", test_time_left);
  g_test_add_func ("/kiosk-model/card/ready", test_card_ready);
  g_test_add_func ("/kiosk-model/card/temperature", test_card_temperature);
  g_test_add_func ("/kiosk-model/card/charge-note", test_card_charge_note);
  g_test_add_func ("/kiosk-model/card/firmware", test_card_firmware);
  g_test_add_func ("/kiosk-model/card/health", test_card_health);
  g_test_add_func ("/kiosk-model/card/alerts", test_card_alerts);
  g_test_add_func ("/kiosk-model/card/holder", test_card_holder);
  g_test_add_func ("/kiosk-model/check-out-text", test_check_out_text);
  return g_test_run ();
}
