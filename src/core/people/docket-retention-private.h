/* docket-retention-private.h — DocketRetention's instance, shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docket-retention.c: keep-until, the purge pass, the forecast;
 * docket-retention-holds.c: legal holds.
 */
#pragma once

#include "docket-retention.h"

G_BEGIN_DECLS

struct _DocketRetention
{
  GObject parent_instance;

  DocketEvidenceStore *store;
  DocketStationConfig *config;
  DocketRetentionHook hook;
  gpointer hook_data;
};

G_END_DECLS
