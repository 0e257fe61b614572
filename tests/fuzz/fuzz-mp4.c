/* fuzz-mp4.c — Docket's MP4 index reader on any file a camera could hand over
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader takes a path (it seeks), so the input goes into a memfd. The
 * same bytes fed as a stream, in chunks of varying size, must get the same
 * verdict.
 */
#define _GNU_SOURCE /* memfd_create */
#include "config.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "docket-mp4.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_auto (DocketMp4Info) info = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = NULL;
  gboolean ok;
  int fd = memfd_create ("fuzz-mp4", MFD_CLOEXEC);

  if (fd < 0)
    return 0;
  if (size > 0 && write (fd, data, size) != (ssize_t)size)
    {
      close (fd);
      return 0;
    }
  path = g_strdup_printf ("/proc/self/fd/%d", fd);
  ok = docket_mp4_read_index (path, &info, &error);
  close (fd);

  {
    g_autoptr (DocketMp4Stream) stream = docket_mp4_stream_new ();
    g_auto (DocketMp4Info) stream_info = { 0 };
    g_autoptr (GError) stream_error = NULL;
    guint32 chunk = (guint32)size * 2654435761u;
    gboolean stream_ok;

    for (size_t off = 0; off < size;)
      {
        size_t n = MIN (size - off, (size_t)(chunk % 4099) + 1);

        docket_mp4_stream_feed (stream, data + off, n);
        off += n;
        chunk = chunk * 1103515245u + 12345u;
      }
    stream_ok = docket_mp4_stream_finish (stream, &stream_info, &stream_error);
    if (stream_ok != ok || stream_info.problem != info.problem
        || g_strcmp0 (error != NULL ? error->message : NULL,
                      stream_error != NULL ? stream_error->message : NULL)
               != 0
        || stream_info.data_end != info.data_end || stream_info.duration_ms != info.duration_ms)
      abort ();
  }
  return 0;
}
