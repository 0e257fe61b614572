/* bench-store.h — a throw-away evidence store for the store-level benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One enrolled camera (id 1, serial CAM-1) so that benchmarks can fill the
 * recordings table straight with SQL; rows are made in one transaction.
 */
#pragma once

#include "docket-evidence-store.h"

G_BEGIN_DECLS

/* A new store in a temporary folder named after @prefix; *@out_dir owns it. */
DocketEvidenceStore *bench_store_open (const gchar *prefix, gchar **out_dir);

/* Runs @sql (several statements) in one transaction, then aborts on error. */
void bench_store_fill (DocketEvidenceStore *store, const gchar *sql);

/* Removes @dir, or keeps it and says where when DOCKET_BENCH_KEEP is set. */
void bench_store_remove (const gchar *dir);

G_END_DECLS
