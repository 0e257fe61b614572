/* fuzz-mp4.c — the MP4 index reader on hostile files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader takes a path (it seeks through large files), so each input is
 * handed over as an in-memory file.
 */
#define _GNU_SOURCE /* memfd_create */
#include "config.h"

#include <sys/mman.h>
#include <unistd.h>

#include "docket-mp4.h"
#include "fuzz-target.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_auto (DocketMp4Info) info = { 0 };
  g_autofree gchar *path = NULL;
  int fd = memfd_create ("docket-fuzz-mp4", MFD_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, data, size), ==, (ssize_t)size);
  path = g_strdup_printf ("/proc/self/fd/%d", fd);
  (void)docket_mp4_read_index (path, &info, NULL);
  close (fd);
  return 0;
}
