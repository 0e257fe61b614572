/* test-kiosk-cage.c — a kiosk dialog opens centred under cage, as in production
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The station runs the kiosk in cage, which centres every window but the
 * first; Xvfb has no window manager to do that, so the other kiosk tests
 * cannot show it. This one starts cage on its headless wlroots backend (no
 * GPU, no seat) as an unprivileged user with its own runtime folder, runs
 * itself inside it (--inside): a plain magenta main window and the export
 * dialog over it, then grim takes the screen. The dialog is what is not
 * magenta, and its box must sit in the middle of the screen.
 *
 * Exits 77 (skip) without cage or grim, or as root without runuser.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "docket-application.h"
#include "docket-export-dialog.h"

/* cage and a GTK client start in well under a second here; this bounds a
 * compositor that never comes up. */
#define CAGE_SECONDS 30
/* Client-side shadows are drawn around a dialog, 1–2 px lower than above. */
#define CENTRE_TOLERANCE_PX 8
#define DIALOG_WIDTH 600
#define DIALOG_HEIGHT 400

/* ---- inside cage ---- */

static gboolean
shoot_cb (gpointer user_data)
{
  const gchar *path = user_data;
  g_autoptr (GError) error = NULL;
  const gchar *argv[] = { "grim", path, NULL };
  gint status = -1;

  if (!g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("grim: %s\n", error->message);
      exit (1);
    }
  exit (0);
  return G_SOURCE_REMOVE;
}

static void
dialog_mapped_cb (GtkWidget *dialog, gpointer path)
{
  /* A few frames for the first paint to reach the compositor. */
  g_timeout_add (1000, shoot_cb, path);
}

static void
main_mapped_cb (GtkWidget *window, gpointer path)
{
  GtkWidget *dialog
      = g_object_new (DOCKET_TYPE_EXPORT_DIALOG, "transient-for", window, "modal", TRUE, NULL);

  gtk_window_set_default_size (GTK_WINDOW (dialog), DIALOG_WIDTH, DIALOG_HEIGHT);
  g_signal_connect_after (dialog, "map", G_CALLBACK (dialog_mapped_cb), path);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
activate_cb (GtkApplication *app, gpointer path)
{
  g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();
  GtkWidget *window;

  gtk_css_provider_load_from_data (css, "window.backdrop-test { background: #ff00ff; }", -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_USER);
  window = gtk_application_window_new (app);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  /* As the kiosk does in kiosk mode. */
  gtk_window_fullscreen (GTK_WINDOW (window));
  gtk_widget_add_css_class (window, "backdrop-test");
  g_signal_connect_after (window, "map", G_CALLBACK (main_mapped_cb), path);
  gtk_window_present (GTK_WINDOW (window));
}

/* The kiosk's own application class would want docketd; a plain one with
 * the kiosk's dialog hook stands in for it. */
static int
run_inside (const gchar *path)
{
  g_autoptr (AdwApplication) app
      = adw_application_new ("io.github.docket.CageTest", G_APPLICATION_NON_UNIQUE);

  docket_application_undecorate_dialogs ();
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), (gpointer)path);
  return g_application_run (G_APPLICATION (app), 0, NULL);
}

/* ---- the test, outside ---- */

static gboolean
is_magenta_corner (const guchar *p)
{
  return p[0] == 0xff && p[1] == 0x00 && p[2] == 0xff;
}

static void
child_setup (gpointer user_data)
{
  /* Its own group, so that a hung compositor goes with all its clients. */
  setpgid (0, 0);
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* The dialog is grey and white; the magenta around it, shadowed or not,
 * has no green. */
static gboolean
is_dialog (const guchar *p)
{
  return p[1] >= 0x40;
}

/* The shot and what cage leaves in its runtime folder (socket, lock). */
static void
remove_folder (const gchar *dir)
{
  g_autoptr (GDir) entries = g_dir_open (dir, 0, NULL);
  const gchar *name;

  while (entries != NULL && (name = g_dir_read_name (entries)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_dialog_centred (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("docket-cage-XXXXXX", &error);
  g_autofree gchar *shot = NULL;
  g_autofree gchar *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree gchar *cage = g_find_program_in_path ("cage");
  g_autofree gchar *grim = g_find_program_in_path ("grim");
  g_autofree gchar *runuser = g_find_program_in_path ("runuser");
  g_autofree gchar *runtime = NULL;
  g_autofree gchar *home = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  gint64 deadline = g_get_monotonic_time () + CAGE_SECONDS * G_USEC_PER_SEC;
  gint left = G_MAXINT, right = -1, top = G_MAXINT, bottom = -1;
  gint width, height, stride, channels;
  const guchar *pixels;
  gint status = 0;
  GPid pid;

  if (cage == NULL || grim == NULL || (getuid () == 0 && runuser == NULL))
    {
      g_test_skip ("cage, grim or runuser is not installed");
      return;
    }
  g_assert_no_error (error);
  shot = g_build_filename (dir, "shot.png", NULL);
  runtime = g_strdup_printf ("XDG_RUNTIME_DIR=%s", dir);
  home = g_strdup_printf ("HOME=%s", dir);
  /* wlroots wants a runtime folder of the user it runs as, and root
   * should not run a compositor: as root, nobody runs it. */
  if (getuid () == 0)
    {
      struct passwd *nobody = getpwnam ("nobody");

      g_assert_nonnull (nobody);
      g_assert_cmpint (chown (dir, nobody->pw_uid, nobody->pw_gid), ==, 0);
      g_ptr_array_add (argv, runuser);
      g_ptr_array_add (argv, "-u");
      g_ptr_array_add (argv, "nobody");
      g_ptr_array_add (argv, "--");
    }
  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
  for (const gchar *const *arg
       = (const gchar *const[]){ "env", "-i", "PATH=/usr/bin:/bin", runtime, home,
                                 "WLR_BACKENDS=headless", "WLR_LIBINPUT_NO_DEVICES=1",
                                 "WLR_RENDERER=pixman", "GDK_BACKEND=wayland", "GTK_A11Y=none",
                                 "GSETTINGS_BACKEND=memory", "LC_ALL=C.UTF-8", NULL };
       *arg != NULL; arg++)
    g_ptr_array_add (argv, (gpointer)*arg);
  g_ptr_array_add (argv, cage);
  g_ptr_array_add (argv, "--");
  g_ptr_array_add (argv, self);
  g_ptr_array_add (argv, "--inside");
  g_ptr_array_add (argv, shot);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_async (NULL, (gchar **)argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                child_setup, NULL, &pid, &error));
  g_assert_no_error (error);
  while (waitpid (pid, &status, WNOHANG) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        {
          kill (-pid, SIGKILL);
          waitpid (pid, &status, 0);
          g_error ("cage did not finish in %d s", CAGE_SECONDS);
        }
      g_usleep (50 * 1000);
    }
  g_assert_true (g_file_test (shot, G_FILE_TEST_EXISTS));

  pixbuf = gdk_pixbuf_new_from_file (shot, &error);
  g_assert_no_error (error);
  if (g_getenv ("DOCKET_ARTIFACTS_DIR") != NULL)
    {
      g_autofree gchar *artifact
          = g_build_filename (g_getenv ("DOCKET_ARTIFACTS_DIR"), "kiosk-cage-dialog.png", NULL);

      g_mkdir_with_parents (g_getenv ("DOCKET_ARTIFACTS_DIR"), 0755);
      gdk_pixbuf_save (pixbuf, artifact, "png", NULL, NULL);
    }
  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  for (gint y = 0; y < height; y++)
    for (gint x = 0; x < width; x++)
      if (is_dialog (pixels + y * stride + x * channels))
        {
          left = MIN (left, x), right = MAX (right, x);
          top = MIN (top, y), bottom = MAX (bottom, y);
        }
  g_test_message ("screen %d×%d, dialog x %d…%d, y %d…%d", width, height, left, right, top, bottom);
  /* The main window covers the screen, the dialog does not. */
  g_assert_true (is_magenta_corner (pixels));
  g_assert_cmpint (right, >=, 0);
  g_assert_cmpint (right - left, >=, DIALOG_WIDTH);
  g_assert_cmpint (ABS ((left + right) - (width - 1)), <=, 2 * CENTRE_TOLERANCE_PX);
  g_assert_cmpint (ABS ((top + bottom) - (height - 1)), <=, 2 * CENTRE_TOLERANCE_PX);

  remove_folder (dir);
}

int
main (int argc, char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--inside"))
    {
      return run_inside (argv[2]);
    }
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk-cage/dialog-centred", test_dialog_centred);
  return g_test_run ();
}
