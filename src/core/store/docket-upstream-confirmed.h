/* docket-upstream-confirmed.h — the "upstream-confirmed" rule, for retention
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In the store layer so that anything above it (people's retention purge,
 * the upstream engine) shares one definition. Schema: migration 5 in
 * docket-database.c; written by src/core/upstream (docs/department.md).
 *
 * A recording is upstream-confirmed when its upstream_uploads row has a
 * confirmed_usec: set only after a HEAD on the object storage matched its
 * size and checksum. upstream_state 'configured' = '1' while docketd has an
 * upstream configured.
 */
#pragma once

/* A condition on `recordings r`: true when local retention may purge r.
 * No upstream configured: any; configured: only upstream-confirmed ones.
 *   SELECT ... FROM recordings r WHERE ... AND DOCKET_UPSTREAM_PURGEABLE_SQL */
#define DOCKET_UPSTREAM_PURGEABLE_SQL                                                              \
  "(NOT EXISTS (SELECT 1 FROM upstream_state WHERE key = 'configured' AND value = '1')"            \
  " OR EXISTS (SELECT 1 FROM upstream_uploads u WHERE u.recording_id = r.id"                       \
  " AND u.confirmed_usec IS NOT NULL))"
