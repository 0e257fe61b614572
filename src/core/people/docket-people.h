/* docket-people.h — officers, roles, PINs, sign-in lockout, camera assignment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PINs are stored only as libsodium crypto_pwhash_str (argon2id) strings.
 * Sign-in counts wrong PINs per badge — known or not, so the answer never
 * reveals whether a badge exists — and locks the badge for the configured
 * minutes after the configured number of failures. Every sign-in, failure,
 * enrolment and assignment is audit-logged.
 *
 * All methods block (argon2 takes ~0.1 s and 64 MiB on purpose) and are
 * thread-safe: call them from worker threads.
 */
#pragma once

#include <gio/gio.h>

#include "docket-evidence-store.h"
#include "docket-station-config.h"

G_BEGIN_DECLS

typedef enum
{
  DOCKET_ROLE_OFFICER,
  DOCKET_ROLE_SERGEANT,
  DOCKET_ROLE_IT,
} DocketRole;

const gchar *docket_role_to_string (DocketRole role);
gboolean docket_role_from_string (const gchar *text, DocketRole *out_role);

typedef struct
{
  gchar *badge;
  gchar *name;
  DocketRole role;
} DocketPerson;

DocketPerson *docket_person_new (const gchar *badge, const gchar *name, DocketRole role);
DocketPerson *docket_person_copy (const DocketPerson *person);
void docket_person_free (DocketPerson *person);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketPerson, docket_person_free)
/* "officer:<badge>", the audit log's actor for a person. */
gchar *docket_person_dup_actor (const DocketPerson *person);

#define DOCKET_TYPE_PEOPLE (docket_people_get_type ())
G_DECLARE_FINAL_TYPE (DocketPeople, docket_people, DOCKET, PEOPLE, GObject)

DocketPeople *docket_people_new (DocketEvidenceStore *store, DocketStationConfig *config);

/* Badge: 1–32 letters, digits or “-”. PIN: 4–12 digits. */
gboolean docket_people_check_badge (const gchar *badge, GError **error);
/* TRUE if @text (valid UTF-8) has no control or format characters. */
gboolean docket_people_check_text (const gchar *text);
gboolean docket_people_check_pin (const gchar *pin, GError **error);

/* Enrols (or re-enrols, replacing name, role and PIN) a person. */
gboolean docket_people_add (DocketPeople *self,
                            const gchar *badge,
                            const gchar *name,
                            DocketRole role,
                            const gchar *pin,
                            const gchar *actor,
                            GError **error);
gboolean
docket_people_remove (DocketPeople *self, const gchar *badge, const gchar *actor, GError **error);
/* GPtrArray of DocketPerson, by badge. */
GPtrArray *docket_people_list (DocketPeople *self, GError **error);
DocketPerson *docket_people_lookup (DocketPeople *self, const gchar *badge, GError **error);

/* Checks @pin at @now_usec. Fails with DOCKET_SESSION_ERROR_WRONG_PIN
 * (unknown badge or wrong PIN, the same words) or _LOCKED_OUT (saying for
 * how long). */
DocketPerson *docket_people_sign_in (
    DocketPeople *self, const gchar *badge, const gchar *pin, gint64 now_usec, GError **error);

/* Recordings offloaded from @serial from now on belong to @badge. */
gboolean docket_people_assign_camera (DocketPeople *self,
                                      const gchar *serial,
                                      const gchar *badge,
                                      const gchar *actor,
                                      GError **error);
/* The camera's assignee, or NULL (no error) when unassigned. */
gchar *docket_people_lookup_camera (DocketPeople *self, const gchar *serial, GError **error);

G_END_DECLS
