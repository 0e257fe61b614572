/* fuzz-mp4.c — Docket's MP4 index reader on any file a camera could hand over
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader takes a path (it seeks), so the input goes into a memfd.
 */
#define _GNU_SOURCE /* memfd_create */
#include "config.h"

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
  int fd = memfd_create ("fuzz-mp4", MFD_CLOEXEC);

  if (fd < 0)
    return 0;
  if (size > 0 && write (fd, data, size) != (ssize_t)size)
    {
      close (fd);
      return 0;
    }
  path = g_strdup_printf ("/proc/self/fd/%d", fd);
  docket_mp4_read_index (path, &info, &error);
  close (fd);
  return 0;
}
