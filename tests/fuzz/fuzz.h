/* fuzz.h — what every fuzz harness in tests/fuzz defines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each harness feeds untrusted bytes to one parser. Built with clang and
 * -Dfuzzing=true it links libFuzzer; otherwise fuzz-main.c runs every file
 * of its seed corpus (and any crash reproducers kept there) through it as
 * an ordinary regression test.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
