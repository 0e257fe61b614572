/* docket-people.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "docket-error.h"
#include "docket-people.h"
#include "docket-session-error.h"

struct _DocketPeople
{
  GObject parent_instance;

  DocketEvidenceStore *store;
  DocketStationConfig *config;
};

G_DEFINE_FINAL_TYPE (DocketPeople, docket_people, G_TYPE_OBJECT)

static const gchar *const role_names[] = { "officer", "sergeant", "it" };

const gchar *
docket_role_to_string (DocketRole role)
{
  g_return_val_if_fail ((guint)role < G_N_ELEMENTS (role_names), NULL);
  return role_names[role];
}

gboolean
docket_role_from_string (const gchar *text, DocketRole *out_role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (g_strcmp0 (text, role_names[i]) == 0)
      {
        *out_role = (DocketRole)i;
        return TRUE;
      }
  return FALSE;
}

DocketPerson *
docket_person_new (const gchar *badge, const gchar *name, DocketRole role)
{
  DocketPerson *person = g_new0 (DocketPerson, 1);

  person->badge = g_strdup (badge);
  person->name = g_strdup (name);
  person->role = role;
  return person;
}

DocketPerson *
docket_person_copy (const DocketPerson *person)
{
  return docket_person_new (person->badge, person->name, person->role);
}

void
docket_person_free (DocketPerson *person)
{
  if (person == NULL)
    return;
  g_free (person->badge);
  g_free (person->name);
  g_free (person);
}

gchar *
docket_person_dup_actor (const DocketPerson *person)
{
  return g_strdup_printf ("officer:%s", person->badge);
}

static void
docket_people_finalize (GObject *object)
{
  DocketPeople *self = DOCKET_PEOPLE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->config);
  G_OBJECT_CLASS (docket_people_parent_class)->finalize (object);
}

static void
docket_people_class_init (DocketPeopleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_people_finalize;
}

static void
docket_people_init (DocketPeople *self)
{
}

DocketPeople *
docket_people_new (DocketEvidenceStore *store, DocketStationConfig *config)
{
  DocketPeople *self = g_object_new (DOCKET_TYPE_PEOPLE, NULL);

  self->store = g_object_ref (store);
  self->config = g_object_ref (config);
  return self;
}

static DocketDatabase *
get_db (DocketPeople *self)
{
  return docket_evidence_store_get_database (self->store);
}

gboolean
docket_people_check_badge (const gchar *badge, GError **error)
{
  gsize len = badge != NULL ? strlen (badge) : 0;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (badge[i]) && badge[i] != '-')
      len = 0;
  if (len == 0 || len > 32)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("A badge number is 1 to 32 letters, digits or dashes"));
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_people_check_text (const gchar *text)
{
  for (const gchar *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Control characters drive terminals; format characters (bidi
       * overrides, zero-width) make a name read as another. */
      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        return FALSE;
    }
  return TRUE;
}

gboolean
docket_people_check_pin (const gchar *pin, GError **error)
{
  gsize len = pin != NULL ? strlen (pin) : 0;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (pin[i]))
      len = 0;
  if (len < 4 || len > 12)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("A PIN is 4 to 12 digits"));
      return FALSE;
    }
  return TRUE;
}

/* One argon2 at a time: each takes 64 MiB on purpose, and a burst of
 * sign-ins must not take the daemon's memory with it. */
static GMutex argon2_lock;

static gboolean
hash_pin (const gchar *pin, gchar out[crypto_pwhash_STRBYTES], GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&argon2_lock);

  if (sodium_init () < 0
      || crypto_pwhash_str (out, pin, strlen (pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE)
             != 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                   _ ("Could not hash the PIN (out of memory?)"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
audit (DocketPeople *self,
       const gchar *actor,
       const gchar *action,
       const gchar *subject,
       const gchar *reason,
       GVariant *details,
       GError **error)
{
  return docket_audit_log_append (docket_evidence_store_get_audit_log (self->store), actor, action,
                                  subject, reason != NULL ? reason : "", details, error)
         >= 0;
}

/* Runs one statement with text bindings (NULL binds NULL) inside the
 * caller's transaction; returns sqlite3_changes or -1. */
static gint
exec_bound (
    DocketDatabase *db, const gchar *sql, const gchar *const *args, gint64 n, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (db, sql, error);
  int i;

  if (stmt == NULL)
    return -1;
  for (i = 0; args[i] != NULL; i++)
    sqlite3_bind_text (stmt, i + 1, args[i], -1, SQLITE_STATIC);
  /* The number, when the statement has a slot for it, binds last. */
  if (sqlite3_bind_parameter_count (stmt) > i)
    sqlite3_bind_int64 (stmt, i + 1, n);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not update the people table"));
      return -1;
    }
  return sqlite3_changes (docket_database_get_handle (db));
}

gboolean
docket_people_add (DocketPeople *self,
                   const gchar *badge,
                   const gchar *name,
                   DocketRole role,
                   const gchar *pin,
                   const gchar *actor,
                   GError **error)
{
  DocketDatabase *db = get_db (self);
  gchar hash[crypto_pwhash_STRBYTES];
  g_autofree gchar *subject = NULL;
  const gchar *args[5];

  g_return_val_if_fail (DOCKET_IS_PEOPLE (self), FALSE);

  if (!docket_people_check_badge (badge, error) || !docket_people_check_pin (pin, error))
    return FALSE;
  /* The station (or IT's policy, pin.min-length) may ask for longer PINs. */
  if (strlen (pin) < docket_station_config_get_pin_min_length (self->config))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID,
                   _ ("This station's PINs have at least %u digits"),
                   docket_station_config_get_pin_min_length (self->config));
      return FALSE;
    }
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL) || strlen (name) > 200
      || !docket_people_check_text (name))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("A person needs a name"));
      return FALSE;
    }
  if (!hash_pin (pin, hash, error))
    return FALSE;

  args[0] = badge;
  args[1] = name;
  args[2] = docket_role_to_string (role);
  args[3] = hash;
  args[4] = NULL;
  subject = g_strdup_printf ("badge:%s", badge);
  if (!docket_database_begin (db, error))
    return FALSE;
  if (exec_bound (db,
                  "INSERT INTO officers (badge, name, role, pin_hash, created_usec)"
                  " VALUES (?, ?, ?, ?, ?) ON CONFLICT (badge) DO UPDATE SET"
                  " name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash",
                  args, g_get_real_time (), error)
          < 0
      || exec_bound (db, "DELETE FROM sign_in_failures WHERE badge = ?",
                     (const gchar *const[]){ badge, NULL }, 0, error)
             < 0
      || !audit (
          self, actor, "person-enrolled", subject, NULL,
          g_variant_new_parsed ("{'name': <%s>, 'role': <%s>}", name, docket_role_to_string (role)),
          error))
    {
      docket_database_rollback (db);
      sodium_memzero (hash, sizeof hash);
      return FALSE;
    }
  sodium_memzero (hash, sizeof hash);
  return docket_database_commit (db, error);
}

gboolean
docket_people_remove (DocketPeople *self, const gchar *badge, const gchar *actor, GError **error)
{
  DocketDatabase *db = get_db (self);
  g_autofree gchar *subject = g_strdup_printf ("badge:%s", badge);
  gint changed;

  g_return_val_if_fail (DOCKET_IS_PEOPLE (self), FALSE);

  if (!docket_database_begin (db, error))
    return FALSE;
  changed = exec_bound (db, "DELETE FROM officers WHERE badge = ?",
                        (const gchar *const[]){ badge, NULL }, 0, error);
  if (changed == 0)
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND, _ ("No person has badge %s"), badge);
  if (changed <= 0 || !audit (self, actor, "person-removed", subject, NULL, NULL, error))
    {
      docket_database_rollback (db);
      return FALSE;
    }
  return docket_database_commit (db, error);
}

static DocketPerson *
person_from_row (sqlite3_stmt *stmt)
{
  DocketRole role = DOCKET_ROLE_OFFICER;

  (void)docket_role_from_string ((const gchar *)sqlite3_column_text (stmt, 2), &role);
  return docket_person_new ((const gchar *)sqlite3_column_text (stmt, 0),
                            (const gchar *)sqlite3_column_text (stmt, 1), role);
}

GPtrArray *
docket_people_list (DocketPeople *self, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  DocketDatabase *db = get_db (self);
  g_autoptr (GPtrArray) people
      = g_ptr_array_new_with_free_func ((GDestroyNotify)docket_person_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  locker = docket_database_locker_new (db);
  stmt = docket_database_prepare (db, "SELECT badge, name, role FROM officers ORDER BY badge",
                                  error);
  if (stmt == NULL)
    {
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (people, person_from_row (stmt));
  if (rc != SQLITE_DONE)
    docket_database_set_error (db, error, _ ("Could not list people"));
  return rc == SQLITE_DONE ? g_steal_pointer (&people) : NULL;
}

/* Reads the person and PIN hash for @badge; FALSE only on a database error. */
static gboolean
read_person (DocketPeople *self,
             const gchar *badge,
             DocketPerson **out_person,
             gchar **out_hash,
             GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  DocketDatabase *db = get_db (self);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  *out_person = NULL;
  locker = docket_database_locker_new (db);
  stmt = docket_database_prepare (
      db, "SELECT badge, name, role, pin_hash FROM officers WHERE badge = ?", error);
  if (stmt == NULL)
    {
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, badge, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_person = person_from_row (stmt);
      if (out_hash != NULL)
        *out_hash = g_strdup ((const gchar *)sqlite3_column_text (stmt, 3));
    }
  else if (rc != SQLITE_DONE)
    docket_database_set_error (db, error, _ ("Could not look up a badge"));
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

DocketPerson *
docket_people_lookup (DocketPeople *self, const gchar *badge, GError **error)
{
  DocketPerson *person = NULL;

  if (!read_person (self, badge, &person, NULL, error))
    return NULL;
  if (person == NULL)
    g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND, _ ("No person has badge %s"), badge);
  return person;
}

static void
set_locked_error (GError **error, gint64 locked_usec)
{
  guint minutes = (guint)((locked_usec + 60 * G_USEC_PER_SEC - 1) / (60 * G_USEC_PER_SEC));

  g_set_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_LOCKED_OUT,
               g_dngettext (GETTEXT_PACKAGE,
                            "Too many wrong PINs. This badge is locked; try again in %u minute.",
                            "Too many wrong PINs. This badge is locked; try again in %u minutes.",
                            minutes),
               minutes);
}

static void
set_wrong_pin_error (GError **error, guint left)
{
  /* Known and unknown badges count alike, so the number says nothing about
   * which badges exist; the kiosk shows the message as it is. */
  g_set_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_WRONG_PIN,
               g_dngettext (GETTEXT_PACKAGE,
                            "The badge number or the PIN is wrong. %u attempt left.",
                            "The badge number or the PIN is wrong. %u attempts left.", left),
               left);
}

/* Unknown badges get a failure row too (the answer must not tell them
 * apart); past this many such rows the unlocked ones are forgotten, so
 * guessing badge numbers cannot grow the table without bound. */
#define UNKNOWN_BADGE_ROWS_MAX 256

/* Reads @badge's failure row inside the caller's transaction. */
static gboolean
read_failures (DocketDatabase *db,
               const gchar *badge,
               gint64 *out_failures,
               gint64 *out_locked_until,
               GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      db, "SELECT failures, locked_until_usec FROM sign_in_failures WHERE badge = ?", error);
  int rc;

  *out_failures = 0;
  *out_locked_until = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, badge, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_failures = sqlite3_column_int64 (stmt, 0);
      *out_locked_until = sqlite3_column_int64 (stmt, 1);
    }
  else if (rc != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not read sign-in failures"));
      return FALSE;
    }
  return TRUE;
}

/* Writes @badge's failure row inside the caller's transaction. */
static gboolean
write_failures (
    DocketDatabase *db, const gchar *badge, gint64 failures, gint64 locked_until, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = docket_database_prepare (
      db,
      "INSERT INTO sign_in_failures (badge, failures, locked_until_usec) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (badge) DO UPDATE SET failures = excluded.failures,"
      " locked_until_usec = excluded.locked_until_usec",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, badge, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, failures);
  sqlite3_bind_int64 (stmt, 3, locked_until);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      docket_database_set_error (db, error, _ ("Could not record a sign-in failure"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
forget_unknown_badges (DocketDatabase *db, gint64 now_usec, GError **error)
{
  g_autoptr (sqlite3_stmt) count = docket_database_prepare (
      db, "SELECT count(*) FROM sign_in_failures WHERE badge NOT IN (SELECT badge FROM officers)",
      error);

  if (count == NULL)
    return FALSE;
  if (sqlite3_step (count) != SQLITE_ROW)
    {
      docket_database_set_error (db, error, _ ("Could not read sign-in failures"));
      return FALSE;
    }
  if (sqlite3_column_int64 (count, 0) < UNKNOWN_BADGE_ROWS_MAX)
    return TRUE;
  return exec_bound (db,
                     "DELETE FROM sign_in_failures WHERE locked_until_usec <= ?"
                     " AND badge NOT IN (SELECT badge FROM officers)",
                     (const gchar *const[]){ NULL }, now_usec, error)
         >= 0;
}

/* Reserves one attempt for @badge in the transaction that checks the lock.
 * The attempt counts as a failure until its PIN proves right, and the one
 * that uses up the last attempt locks the badge at once, so no number of
 * concurrent sign-ins verifies more PINs than the station allows. Returns
 * the attempt's number (1: the first since the last success or lock), or
 * 0 with @error set (locked, or a database error). */
static gint64
reserve_attempt (DocketPeople *self, const gchar *badge, gint64 now_usec, GError **error)
{
  DocketDatabase *db = get_db (self);
  guint max = MAX (docket_station_config_get_lockout_failures (self->config), 1);
  gint64 lock_usec
      = (gint64)docket_station_config_get_lockout_minutes (self->config) * 60 * G_USEC_PER_SEC;
  g_autofree gchar *subject = g_strdup_printf ("badge:%s", badge);
  gint64 failures = 0;
  gint64 locked_until = 0;

  if (!docket_database_begin (db, error))
    return 0;
  if (!read_failures (db, badge, &failures, &locked_until, error))
    {
      docket_database_rollback (db);
      return 0;
    }
  if (locked_until > now_usec)
    {
      if (!audit (self, subject, "sign-in-refused", subject, _ ("badge locked"), NULL, error))
        {
          docket_database_rollback (db);
          return 0;
        }
      if (docket_database_commit (db, error))
        set_locked_error (error, locked_until - now_usec);
      return 0;
    }
  /* A lock that has run out starts the count afresh. */
  if (locked_until != 0)
    failures = 0;
  failures++;
  locked_until = failures >= max ? now_usec + lock_usec : 0;
  if (!forget_unknown_badges (db, now_usec, error)
      || !write_failures (db, badge, failures, locked_until, error))
    {
      docket_database_rollback (db);
      return 0;
    }
  return docket_database_commit (db, error) ? failures : 0;
}

/* The PIN of reserved attempt @attempt was wrong: the reservation stays a
 * failure. Sets @error to what the person is told. */
static void
record_failure (
    DocketPeople *self, const gchar *badge, gint64 attempt, gint64 now_usec, GError **error)
{
  DocketDatabase *db = get_db (self);
  guint max = MAX (docket_station_config_get_lockout_failures (self->config), 1);
  g_autofree gchar *subject = g_strdup_printf ("badge:%s", badge);
  gboolean locked_here = attempt >= max;
  gint64 failures = 0;
  gint64 locked_until = 0;

  if (!docket_database_begin (db, error))
    return;
  if (!read_failures (db, badge, &failures, &locked_until, error)
      || !audit (self, subject, locked_here ? "sign-in-locked-out" : "sign-in-failed", subject,
                 _ ("wrong PIN"), g_variant_new_parsed ("{'failures': <%x>}", attempt), error))
    {
      docket_database_rollback (db);
      return;
    }
  if (!docket_database_commit (db, error))
    return;
  if (locked_until > now_usec)
    set_locked_error (error, locked_until - now_usec);
  else
    set_wrong_pin_error (error, (guint)CLAMP (max - failures, 0, max));
}

static const gchar *
dummy_hash (void)
{
  static gchar hash[crypto_pwhash_STRBYTES];
  static gsize done = 0;

  /* Unknown badges still pay for one argon2 verify, so timing says nothing. */
  if (g_once_init_enter (&done))
    {
      if (!hash_pin ("00000000", hash, NULL))
        hash[0] = '\0';
      g_once_init_leave (&done, 1);
    }
  return hash;
}

DocketPerson *
docket_people_sign_in (
    DocketPeople *self, const gchar *badge, const gchar *pin, gint64 now_usec, GError **error)
{
  DocketDatabase *db = get_db (self);
  guint max;
  g_autoptr (DocketPerson) person = NULL;
  g_autofree gchar *hash = NULL;
  g_autofree gchar *actor = NULL;
  gint64 attempt;
  gint64 failures = 0;
  gint64 locked_until = 0;
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_PEOPLE (self), NULL);

  max = MAX (docket_station_config_get_lockout_failures (self->config), 1);
  if (badge == NULL || pin == NULL || !docket_people_check_badge (badge, NULL))
    {
      g_set_error (error, DOCKET_SESSION_ERROR, DOCKET_SESSION_ERROR_WRONG_PIN,
                   _ ("The badge number or the PIN is wrong."));
      return NULL;
    }
  attempt = reserve_attempt (self, badge, now_usec, error);
  if (attempt == 0)
    return NULL;
  if (!read_person (self, badge, &person, &hash, error))
    return NULL;

  {
    const gchar *against = person != NULL ? hash : dummy_hash ();
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&argon2_lock);

    /* A PIN that cannot be one is wrong without an argon2; this tells
     * nothing about the badge. */
    ok = docket_people_check_pin (pin, NULL) && sodium_init () >= 0
         && crypto_pwhash_str_verify (against, pin, strlen (pin)) == 0 && person != NULL;
  }
  if (!ok)
    {
      record_failure (self, badge, attempt, now_usec, error);
      return NULL;
    }

  actor = docket_person_dup_actor (person);
  if (!docket_database_begin (db, error))
    return NULL;
  if (!read_failures (db, badge, &failures, &locked_until, error))
    {
      docket_database_rollback (db);
      return NULL;
    }
  /* Concurrent wrong PINs locked the badge while this one was checked: the
   * lock holds, or guessing alongside the officer would get round it. */
  if (locked_until > now_usec && attempt < max)
    {
      g_autofree gchar *subject = g_strdup_printf ("badge:%s", badge);

      if (!audit (self, subject, "sign-in-refused", subject, _ ("badge locked"), NULL, error))
        {
          docket_database_rollback (db);
          return NULL;
        }
      if (docket_database_commit (db, error))
        set_locked_error (error, locked_until - now_usec);
      return NULL;
    }
  if (exec_bound (db, "DELETE FROM sign_in_failures WHERE badge = ?",
                  (const gchar *const[]){ badge, NULL }, 0, error)
          < 0
      || !audit (self, actor, "signed-in", actor, NULL,
                 g_variant_new_parsed ("{'role': <%s>}", docket_role_to_string (person->role)),
                 error))
    {
      docket_database_rollback (db);
      return NULL;
    }
  if (!docket_database_commit (db, error))
    return NULL;
  return g_steal_pointer (&person);
}

gboolean
docket_people_assign_camera (
    DocketPeople *self, const gchar *serial, const gchar *badge, const gchar *actor, GError **error)
{
  DocketDatabase *db = get_db (self);
  g_autoptr (DocketPerson) person = NULL;
  g_autofree gchar *subject = NULL;

  if (serial == NULL || *serial == '\0' || strlen (serial) > 64
      || !g_utf8_validate (serial, -1, NULL))
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INVALID, _ ("That is not a camera serial"));
      return FALSE;
    }
  person = docket_people_lookup (self, badge, error);
  if (person == NULL)
    return FALSE;
  subject = g_strdup_printf ("camera:%s", serial);
  if (!docket_database_begin (db, error))
    return FALSE;
  if (exec_bound (db,
                  "INSERT INTO camera_assignments (serial, badge, assigned_usec) VALUES (?, ?, ?)"
                  " ON CONFLICT (serial) DO UPDATE SET badge = excluded.badge,"
                  " assigned_usec = excluded.assigned_usec",
                  (const gchar *const[]){ serial, badge, NULL }, g_get_real_time (), error)
          < 0
      || !audit (self, actor, "camera-assigned", subject, NULL,
                 g_variant_new_parsed ("{'badge': <%s>}", badge), error))
    {
      docket_database_rollback (db);
      return FALSE;
    }
  return docket_database_commit (db, error);
}

gchar *
docket_people_lookup_camera (DocketPeople *self, const gchar *serial, GError **error)
{
  g_autoptr (DocketDatabaseLocker) locker = NULL;
  DocketDatabase *db = get_db (self);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gchar *badge = NULL;
  int rc;

  locker = docket_database_locker_new (db);
  stmt = docket_database_prepare (db, "SELECT badge FROM camera_assignments WHERE serial = ?",
                                  error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        badge = g_strdup ((const gchar *)sqlite3_column_text (stmt, 0));
      else if (rc != SQLITE_DONE)
        docket_database_set_error (db, error, _ ("Could not look up a camera's officer"));
    }
  return badge;
}
