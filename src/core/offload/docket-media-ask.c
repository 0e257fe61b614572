/* docket-media-ask.c — which media helper answers a check, and asking it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The helper's socket or program, the cap on its time, the slots that
 * bound how many run at once, and a parse check's helper started ahead.
 */
#include "config.h"

#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "docket-error.h"
#include "docket-media-ask-private.h"
#include "docket-media-socket.h"
#include "docket-media-spawn.h"

static GMutex helper_lock;

static gchar *media_helper;  /* (mutex helper_lock) the program */
static gchar *media_socket;  /* (mutex helper_lock) */
static guint max_timeout_ms; /* (atomic) 0: none */

void
docket_media_set_max_timeout (guint timeout_ms)
{
  g_atomic_int_set (&max_timeout_ms, timeout_ms);
}

void
docket_media_set_helper (const gchar *path)
{
  g_mutex_lock (&helper_lock);
  g_free (media_helper);
  media_helper = g_strdup (path);
  g_clear_pointer (&media_socket, g_free);
  g_mutex_unlock (&helper_lock);
}

void
docket_media_set_helper_socket (const gchar *socket_path)
{
  g_mutex_lock (&helper_lock);
  g_free (media_socket);
  media_socket = g_strdup (socket_path);
  g_mutex_unlock (&helper_lock);
}

void
docket_media_set_thumbnail_helper (const gchar *path)
{
  docket_media_set_helper (path);
}

typedef struct
{
  gchar *program;
  gchar *socket;
} Helper;

static void
helper_clear (Helper *h)
{
  g_clear_pointer (&h->program, g_free);
  g_clear_pointer (&h->socket, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Helper, helper_clear)

static void
get_helper (Helper *h)
{
  g_mutex_lock (&helper_lock);
  h->program = g_strdup (media_helper);
  h->socket = g_strdup (media_socket);
  g_mutex_unlock (&helper_lock);
}

/* At most one helper per CPU: each costs ~100 MB while it runs. Deep
 * checks and thumbnails come after the commit, at the lowest priority, one
 * at a time in docketd: they do not count here, or one starved by a busy
 * machine would hold up the parse checks of every offload. */
static GMutex slots_lock;
static GCond slots_cond;
static guint slots_used;

static gboolean
take_slot (gint64 deadline, GCancellable *cancellable)
{
  guint max = MAX (1, g_get_num_processors ());
  gboolean ok = TRUE;

  g_mutex_lock (&slots_lock);
  while (slots_used >= max && ok)
    ok = g_cond_wait_until (&slots_cond, &slots_lock,
                            MIN (deadline, g_get_monotonic_time () + 100000))
         || (g_get_monotonic_time () < deadline && !g_cancellable_is_cancelled (cancellable));
  if (ok && slots_used < max)
    slots_used++;
  else
    ok = FALSE;
  g_mutex_unlock (&slots_lock);
  return ok;
}

static void
give_slot (void)
{
  g_mutex_lock (&slots_lock);
  slots_used--;
  g_cond_signal (&slots_cond);
  g_mutex_unlock (&slots_lock);
}

static guint
capped (guint timeout_ms)
{
  guint cap = (guint)g_atomic_int_get (&max_timeout_ms);

  return cap > 0 && timeout_ms > cap ? cap : timeout_ms;
}

/* What the helper's run (@ok, @result) says. TRUE: it answered (@error
 * set if the file failed the check). FALSE: it could not be asked
 * (@error: why). */
static gboolean
judge_run (gboolean ok,
           DocketMediaSpawnResult *result,
           const gchar *mode,
           const gchar *path,
           gboolean *out_passed,
           GBytes **out_png,
           GError **error)
{
  *out_passed = FALSE;
  if (!ok)
    return !g_error_matches (*error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED)
           && !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  if (result->exited && result->status == 2)
    {
      /* its own failure (usage, sandbox), not the file's */
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                   _ ("The media helper could not run: %s"), result->message);
      return FALSE;
    }
  if (result->exited && result->status == 0)
    {
      *out_passed = TRUE;
      if (out_png != NULL)
        *out_png = g_bytes_ref (result->output);
      return TRUE;
    }
  if (result->exited && (result->status == 1 || result->status == 4))
    g_set_error (error, DOCKET_ERROR,
                 result->status == 4 ? DOCKET_ERROR_TIMEOUT : DOCKET_ERROR_INTEGRITY, "%s",
                 *result->message != '\0' ? result->message : _ ("the media helper said no more"));
  else if (result->exited)
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                 _ ("The media helper failed on this file (exit status %d): %s"), result->status,
                 result->message);
  else if (result->status == 0)
    {
      /* over the socket: the connection ended before the answer */
      g_warning ("Media helper %s crashed on %s", mode, path);
      g_set_error_literal (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                           _ ("Reading this file crashed the media helper"));
    }
  else
    {
      g_warning ("Media helper %s crashed (signal %d) on %s", mode, result->status, path);
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                   _ ("Reading this file crashed the media helper (signal %d)"), result->status);
    }
  return TRUE;
}

/* Runs one check in the helper, over its socket (@is_socket) or started
 * here. As judge_run(). */
static gboolean
ask_helper (const gchar *helper,
            gboolean is_socket,
            const gchar *mode,
            const gchar *path,
            guint width,
            guint timeout_ms,
            gboolean *out_passed,
            GBytes **out_png,
            GCancellable *cancellable,
            GError **error)
{
  g_autofree gchar *timeout_arg = NULL;
  g_autofree gchar *width_arg = g_strdup_printf ("%u", width);
  const gchar *args[] = { mode, NULL, width_arg, NULL };
  g_auto (DocketMediaSpawnResult) result = { 0 };
  gint64 deadline;
  gboolean slotless = g_str_equal (mode, "deep") || g_str_equal (mode, "thumbnail");
  gboolean ok;

  *out_passed = FALSE;
  timeout_ms = capped (timeout_ms);
  args[1] = timeout_arg = g_strdup_printf ("%u", timeout_ms);
  deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  if (!slotless && !take_slot (deadline, cancellable))
    {
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                     _ ("Every media helper was busy for %u seconds"), timeout_ms / 1000);
      return TRUE;
    }
  /* The helper's own watchdog fires first; ours is the backstop. */
  if (is_socket)
    ok = docket_media_socket_ask (helper, args, path, timeout_ms + 5000, 16 * 1024 * 1024,
                                  cancellable, &result, error);
  else
    ok = docket_media_spawn (helper, args, path, timeout_ms + 5000, 16 * 1024 * 1024, cancellable,
                             &result, error);
  if (!slotless)
    give_slot ();
  return judge_run (ok, &result, mode, path, out_passed, out_png, error);
}

/* Over the socket if there is one; when it cannot be reached, in a helper
 * started here: camera files are not parsed inside docketd while a helper
 * exists. As judge_run(). */
static gboolean
ask_any_helper (const Helper *h,
                const gchar *mode,
                const gchar *path,
                guint width,
                guint timeout_ms,
                gboolean *out_passed,
                GBytes **out_png,
                GCancellable *cancellable,
                GError **error)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (GError) local_error = NULL;

  if (h->socket != NULL)
    {
      if (ask_helper (h->socket, TRUE, mode, path, width, timeout_ms, out_passed, out_png,
                      cancellable, &local_error))
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          return TRUE;
        }
      if (h->program == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_warning ("%s; starting the media helper instead", local_error->message);
      g_clear_error (&local_error);
      /* One deadline for both tries. */
      timeout_ms -= (guint)MIN ((gint64)timeout_ms - 1, (g_get_monotonic_time () - t0) / 1000);
    }
  if (h->program == NULL)
    {
      g_set_error_literal (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
                           _ ("There is no media helper"));
      return FALSE;
    }
  return ask_helper (h->program, FALSE, mode, path, width, timeout_ms, out_passed, out_png,
                     cancellable, error);
}

struct _DocketMediaCheckStarted
{
  guint timeout_ms; /* as the helper was told */
  int sock;         /* connected to the helper socket, or -1 */
  DocketMediaSpawnStarted *spawned;
};

void
docket_media_check_started_free (DocketMediaCheckStarted *started)
{
  if (started == NULL)
    return;
  if (started->sock >= 0)
    close (started->sock); /* the helper watches it and exits */
  docket_media_spawn_started_free (started->spawned);
  g_free (started);
}

DocketMediaCheckStarted *
docket_media_check_parse_start (guint timeout_ms)
{
  g_auto (Helper) h = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *timeout_arg = NULL;
  const gchar *args[] = { "parse", NULL, "0", NULL };
  DocketMediaCheckStarted *started;

  get_helper (&h);
  if (h.program == NULL && h.socket == NULL)
    return NULL;
  started = g_new0 (DocketMediaCheckStarted, 1);
  started->timeout_ms = capped (timeout_ms);
  started->sock = -1;
  args[1] = timeout_arg = g_strdup_printf ("%u", started->timeout_ms);
  if (h.socket != NULL)
    started->sock = docket_media_socket_connect (h.socket, &error);
  if (started->sock < 0 && h.program != NULL)
    {
      g_clear_error (&error);
      started->spawned = docket_media_spawn_start (h.program, args, &error);
    }
  if (started->sock < 0 && started->spawned == NULL)
    {
      /* The check itself will say so, and what it does instead. */
      g_debug ("media helper not started ahead: %s", error->message);
      g_free (started);
      return NULL;
    }
  return started;
}

gboolean
_docket_media_ask_started (DocketMediaCheckStarted *started,
                           const gchar *path,
                           guint *inout_timeout_ms,
                           gboolean *out_passed,
                           GCancellable *cancellable,
                           GError **error)
{
  g_auto (DocketMediaSpawnResult) result = { 0 };
  g_autoptr (GError) local_error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  gint64 deadline;
  guint timeout_ms;
  gboolean ok;

  *out_passed = FALSE;
  /* Counts from the hand-over: the helper waited for the copy, idle. */
  timeout_ms = *inout_timeout_ms = started->timeout_ms;
  deadline = t0 + (gint64)timeout_ms * 1000;
  if (!take_slot (deadline, cancellable))
    {
      docket_media_check_started_free (started);
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                     _ ("Every media helper was busy for %u seconds"), timeout_ms / 1000);
      return TRUE;
    }
  /* The helper's own watchdog fires first; ours is the backstop. */
  if (started->sock >= 0)
    {
      const gchar *args[] = { "parse", NULL, "0", NULL };
      g_autofree gchar *timeout_arg = g_strdup_printf ("%u", timeout_ms);
      int sock = started->sock;

      args[1] = timeout_arg;
      started->sock = -1;
      docket_media_check_started_free (started);
      ok = docket_media_socket_ask_on (sock, args, path, timeout_ms + 5000, 16 * 1024 * 1024,
                                       cancellable, &result, &local_error);
    }
  else
    {
      DocketMediaSpawnStarted *spawned = g_steal_pointer (&started->spawned);

      docket_media_check_started_free (started);
      ok = docket_media_spawn_finish (spawned, path, timeout_ms + 5000, 16 * 1024 * 1024,
                                      cancellable, &result, &local_error);
    }
  give_slot ();
  if (judge_run (ok, &result, "parse", path, out_passed, NULL, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return TRUE;
    }
  /* Gone before it had the file, or it could not run: the caller asks a
   * fresh helper, in what is left of the time. */
  g_debug ("the media helper started ahead cannot check %s: %s", path, local_error->message);
  *inout_timeout_ms -= (guint)MIN ((gint64)timeout_ms - 1, (g_get_monotonic_time () - t0) / 1000);
  return FALSE;
}

void
_docket_media_set_unavailable (GError **error, const GError *why)
{
  g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_SUPPORTED,
               _ ("The media helper could not be used, so the file was not checked: %s"),
               why->message);
}

gboolean
_docket_media_ask (const gchar *mode,
                   const gchar *path,
                   guint width,
                   guint timeout_ms,
                   gboolean *out_passed,
                   GBytes **out_png,
                   GCancellable *cancellable,
                   GError **error)
{
  g_auto (Helper) h = { 0 };

  *out_passed = FALSE;
  get_helper (&h);
  if (h.program == NULL && h.socket == NULL)
    return FALSE;
  return ask_any_helper (&h, mode, path, width, timeout_ms, out_passed, out_png, cancellable,
                         error);
}
