/* docket-policy-private.h — shared by docket-policy*.c only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "docket-policy.h"

G_BEGIN_DECLS

void _docket_policy_set_signed_by (DocketPolicy *self, const gchar *key_name);

G_END_DECLS
