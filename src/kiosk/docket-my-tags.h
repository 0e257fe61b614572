/* docket-my-tags.h — an officer's tags a sergeant has not approved yet, to correct
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window over the tagging page listing Session.ListCorrectable; each
 * recording's "Correct…" asks for the category, case number and note again
 * and tags it anew (Session.Tag; audit-logged by docketd).
 *
 * Threads: main thread only, like every widget.
 */
#pragma once

#include <adwaita.h>

#include "docket-dbus-generated.h"
#include "docket-tag-form.h"

G_BEGIN_DECLS

/* Opens the window over @parent; @form gives the station's categories. */
void docket_my_tags_show (GtkWindow *parent, DocketDBusSession *session, DocketTagForm *form);

G_END_DECLS
