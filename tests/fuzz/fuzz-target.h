/* fuzz-target.h — the libFuzzer entry point every harness defines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Under clang with -Dfuzzing=true each harness links with libFuzzer; under
 * gcc, fuzz-corpus-runner.c calls the same function on every file of the
 * seed corpus, so the corpora are regression tests in the normal suite.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
