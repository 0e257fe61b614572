/* docket-rate-limit.c — one upload budget shared by all connections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "docket-rate-limit.h"

/* A quarter of a second's worth may go at once after a pause. */
#define BURST_USEC (G_USEC_PER_SEC / 4)

struct _DocketRateLimit
{
  gatomicrefcount ref;
  GMutex lock;
  gint64 rate;      /* bytes per second; 0: none */
  gdouble tokens;   /* bytes that may go now; below 0: booked ahead */
  gint64 last_usec; /* when @tokens was last brought up to date; 0: never */
};

DocketRateLimit *
docket_rate_limit_new (void)
{
  DocketRateLimit *self = g_new0 (DocketRateLimit, 1);

  g_atomic_ref_count_init (&self->ref);
  g_mutex_init (&self->lock);
  return self;
}

DocketRateLimit *
docket_rate_limit_ref (DocketRateLimit *self)
{
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
docket_rate_limit_unref (DocketRateLimit *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref))
    return;
  g_mutex_clear (&self->lock);
  g_free (self);
}

static gdouble
capacity (DocketRateLimit *self)
{
  return (gdouble)self->rate * BURST_USEC / G_USEC_PER_SEC;
}

/* Called with the lock held. */
static void
refill (DocketRateLimit *self, gint64 now_usec)
{
  if (self->last_usec == 0)
    self->tokens = capacity (self);
  else if (now_usec > self->last_usec)
    self->tokens
        = MIN (self->tokens + (gdouble)self->rate * (now_usec - self->last_usec) / G_USEC_PER_SEC,
               capacity (self));
  self->last_usec = MAX (now_usec, self->last_usec);
}

void
docket_rate_limit_set_rate (DocketRateLimit *self, gint64 bytes_per_second)
{
  bytes_per_second = MAX (bytes_per_second, 0);
  g_mutex_lock (&self->lock);
  if (bytes_per_second != self->rate)
    {
      /* What was earned so far at the old rate stays earned. */
      if (self->rate > 0)
        refill (self, g_get_monotonic_time ());
      else
        self->last_usec = 0;
      self->rate = bytes_per_second;
      self->tokens = MIN (self->tokens, capacity (self));
    }
  g_mutex_unlock (&self->lock);
}

gint64
docket_rate_limit_get_rate (DocketRateLimit *self)
{
  gint64 rate;

  g_mutex_lock (&self->lock);
  rate = self->rate;
  g_mutex_unlock (&self->lock);
  return rate;
}

gsize
docket_rate_limit_chunk (DocketRateLimit *self, gsize wanted)
{
  gint64 rate = docket_rate_limit_get_rate (self);

  if (rate <= 0)
    return wanted;
  return MIN (wanted, MAX ((gsize)(rate / 10), 1024));
}

gint64
docket_rate_limit_reserve (DocketRateLimit *self, gsize n, gint64 now_usec)
{
  gint64 start = now_usec;

  g_mutex_lock (&self->lock);
  if (self->rate > 0)
    {
      refill (self, now_usec);
      self->tokens -= n;
      /* In debt: these bytes wait until the debt is earned back. */
      if (self->tokens < 0)
        start = now_usec + (gint64)(-self->tokens * G_USEC_PER_SEC / self->rate);
    }
  g_mutex_unlock (&self->lock);
  return start;
}

gboolean
docket_rate_limit_take (DocketRateLimit *self, gsize n, GCancellable *cancellable)
{
  gint64 start = docket_rate_limit_reserve (self, n, g_get_monotonic_time ());
  gint64 now;

  while ((now = g_get_monotonic_time ()) < start)
    {
      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      g_usleep (MIN (start - now, 50 * 1000));
    }
  return !g_cancellable_is_cancelled (cancellable);
}
