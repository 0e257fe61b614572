/* docket-evidence-store.h — content-addressed, read-only store of verified footage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout under the root:
 *   docket.db                 SQLite (WAL): cameras, recordings, offload runs, audit log
 *   objects/ab/abcdef…        committed files, named by SHA-256, mode 0444
 *   thumbnails/abcdef….png    one per committed file
 *   staging/                  partial copies (kept across undock and crash, for resume)
 *   quarantine/               copies that failed verification, never deleted by Docket
 *   station.pub               the station's public key (hex), published at first start
 *   anchors.log               signed heads of the audit chain, append-only
 *
 * A commit renames the fdatasync'd staging file into objects/, fsyncs the
 * directory, and only then inserts the row and its audit row in one durable
 * transaction: a row never exists without its file. All methods are blocking
 * and thread-safe; call them from worker threads.
 */
#pragma once

#include <gio/gio.h>

#include "docket-audit-anchors.h"
#include "docket-audit-log.h"
#include "docket-camera-driver.h"
#include "docket-database.h"

G_BEGIN_DECLS

#define DOCKET_RECORDING_STATE_VERIFIED "verified"
#define DOCKET_RECORDING_STATE_QUARANTINED "quarantined"
/* Erased after a sergeant-approved deletion and its grace period. */
#define DOCKET_RECORDING_STATE_DELETED "deleted"

/* Conditions of a committed recording: the copy is exactly what the camera
 * holds, but the camera recorded it damaged (evidence all the same). */
#define DOCKET_CONDITION_INCOMPLETE "incomplete-on-camera"
#define DOCKET_CONDITION_DAMAGED_PICTURE "damaged-picture"
#define DOCKET_CONDITION_NOT_PLAYABLE "not-playable"

#define DOCKET_SIGNATURE_STATUS_VALID "valid"
#define DOCKET_SIGNATURE_STATUS_INVALID "invalid"

typedef struct
{
  gint64 id; /* row id, 0 before commit */
  gchar *camera_serial;
  guint32 camera_recording_id;
  gchar *name; /* as the camera named it: display only, never a path */
  gchar *officer;
  gint64 start_usec;
  guint64 duration_ms;
  guint64 size;
  gchar *sha256;        /* hex of what Docket copied */
  gchar *camera_sha256; /* hex of what the camera claimed */
  gchar *signature_status;
  gchar *codec;
  guint width;
  guint height;
  gchar *thumbnail; /* relative to the root, may be NULL; for a quarantined row: the copy */
  gint64 clock_drift_ms;
  gchar *state;
  gchar *problem;
  gchar *deep_check; /* NULL: not run; "ok" or plain-words failure */
  gint64 offload_run_id;
  gint64 committed_usec;
  gchar *condition;        /* NULL: sound; else a DOCKET_CONDITION_* */
  gchar *condition_reason; /* plain words, with the condition */
  gchar *camera_signature; /* hex of the camera's Ed25519 signature, NULL if not kept */
  gboolean deep_check_due; /* a deep check is owed (set at commit by an offload) */
} DocketStoredRecording;

DocketStoredRecording *docket_stored_recording_new (void);
void docket_stored_recording_free (DocketStoredRecording *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketStoredRecording, docket_stored_recording_free)

#define DOCKET_TYPE_EVIDENCE_STORE (docket_evidence_store_get_type ())
G_DECLARE_FINAL_TYPE (DocketEvidenceStore, docket_evidence_store, DOCKET, EVIDENCE_STORE, GObject)

/* Creates the layout if needed, opens/migrates the database, and puts back
 * the audit log's append-only triggers if someone removed them (with an
 * alarm audit row). */
DocketEvidenceStore *docket_evidence_store_open (const gchar *root, GError **error);
/* Opens an existing store to check it: nothing is repaired or written, so
 * that a verify changes no byte of what it checks. */
DocketEvidenceStore *docket_evidence_store_open_to_check (const gchar *root, GError **error);
/* DOCKET_STATEDIR/store, or $DOCKET_STORE_ROOT when set. */
gchar *docket_evidence_store_default_root (void);

const gchar *docket_evidence_store_get_root (DocketEvidenceStore *self);
DocketDatabase *docket_evidence_store_get_database (DocketEvidenceStore *self);
DocketAuditLog *docket_evidence_store_get_audit_log (DocketEvidenceStore *self);

/* Bytes that must stay free beyond a recording's size (property
 * "reserve-bytes", default 1 GiB). */
guint64 docket_evidence_store_get_reserve_bytes (DocketEvidenceStore *self);
void docket_evidence_store_set_reserve_bytes (DocketEvidenceStore *self, guint64 bytes);
gboolean docket_evidence_store_get_space (DocketEvidenceStore *self,
                                          guint64 *out_free,
                                          guint64 *out_total,
                                          GError **error);
/* FALSE with DOCKET_ERROR_NO_SPACE unless @needed + reserve bytes are free. */
gboolean
docket_evidence_store_check_space (DocketEvidenceStore *self, guint64 needed, GError **error);

/* Paths built only from the serial's hex and the numeric id: a camera's
 * names never reach the file system. */
gchar *docket_evidence_store_get_staging_path (DocketEvidenceStore *self,
                                               const gchar *serial,
                                               guint32 recording_id);
gchar *docket_evidence_store_get_object_path (DocketEvidenceStore *self, const gchar *sha256_hex);

/* Purging a recording, in the one crash-safe order: the caller first marks
 * its row "deleted" and writes the audit row in one committed transaction,
 * then calls this to remove the file (and @thumbnail, relative to the root,
 * may be NULL) unless another verified recording has the same content. A
 * crash in between leaves a file whose row says deleted, never a row that
 * points at nothing; docket_evidence_store_finish_purges() removes such
 * files. Returns TRUE when the file is gone (or was never there). */
gboolean docket_evidence_store_discard_object (DocketEvidenceStore *self,
                                               const gchar *sha256_hex,
                                               const gchar *thumbnail);
/* Removes the files of recordings whose rows say deleted (a purge that
 * stopped between commit and unlink). Returns how many, or -1. */
gint docket_evidence_store_finish_purges (DocketEvidenceStore *self, GError **error);

/* Cameras. First sight enrols @public_key (audit row). A different key from
 * the enrolled one flags the camera, writes an alarm audit row and fails with
 * DOCKET_ERROR_INTEGRITY. */
gboolean docket_evidence_store_enrol_camera (DocketEvidenceStore *self,
                                             const DocketCameraIdentity *identity,
                                             gboolean *out_newly_enrolled,
                                             GError **error);
gboolean docket_evidence_store_flag_camera (DocketEvidenceStore *self,
                                            const gchar *serial,
                                            const gchar *reason,
                                            GError **error);
/* Returns TRUE and sets @out_flagged/@out_reason (nullable) if the camera is known. */
gboolean docket_evidence_store_get_camera_flag (DocketEvidenceStore *self,
                                                const gchar *serial,
                                                gboolean *out_flagged,
                                                gchar **out_reason,
                                                GError **error);

/* Offload runs (one per dock). */
gint64 docket_evidence_store_begin_run (DocketEvidenceStore *self,
                                        const gchar *serial,
                                        guint files_total,
                                        GError **error);
gboolean docket_evidence_store_finish_run (DocketEvidenceStore *self,
                                           gint64 run_id,
                                           guint files_done,
                                           guint64 bytes_done,
                                           guint verified,
                                           guint quarantined,
                                           const gchar *result,
                                           GError **error);

/* A verified row for this camera recording with this hash, or NULL. */
DocketStoredRecording *docket_evidence_store_find_recording (DocketEvidenceStore *self,
                                                             const gchar *serial,
                                                             guint32 camera_recording_id,
                                                             const gchar *sha256_hex,
                                                             GError **error);
/* How many times this camera recording (as the camera describes it) was
 * quarantined already. -1 on error. */
gint docket_evidence_store_count_quarantined (DocketEvidenceStore *self,
                                              const gchar *serial,
                                              guint32 camera_recording_id,
                                              const gchar *camera_sha256_hex,
                                              GError **error);
DocketStoredRecording *
docket_evidence_store_get_recording (DocketEvidenceStore *self, gint64 id, GError **error);
/* All rows, newest first. GPtrArray of DocketStoredRecording. */
GPtrArray *docket_evidence_store_list_recordings (DocketEvidenceStore *self, GError **error);

/* Moves @staging_path (already fdatasync'd, hash = @rec->sha256) and the
 * optional @thumbnail_path into the store, then commits @rec (state
 * verified) with an audit row by @actor. Sets @rec->id. With
 * @rec->condition set, the audit row says the camera recorded it damaged. */
gboolean docket_evidence_store_commit (DocketEvidenceStore *self,
                                       const gchar *staging_path,
                                       const gchar *thumbnail_path,
                                       DocketStoredRecording *rec,
                                       const gchar *actor,
                                       GError **error);
/* Moves @staging_path to quarantine/, records @rec (state quarantined,
 * @rec->problem says why), flags the camera, audit row. Sets @rec->id. */
gboolean docket_evidence_store_quarantine (DocketEvidenceStore *self,
                                           const gchar *staging_path,
                                           DocketStoredRecording *rec,
                                           const gchar *actor,
                                           GError **error);
/* Audit row: the camera's copy of a committed recording was erased. */
/* Audit row written *before* a recording is erased from its camera, so that
 * a crash between the erase and its confirmation still leaves the erase
 * accounted for. */
gboolean docket_evidence_store_record_camera_erase_intent (DocketEvidenceStore *self,
                                                           const DocketStoredRecording *rec,
                                                           const gchar *actor,
                                                           GError **error);
gboolean docket_evidence_store_record_camera_deletion (DocketEvidenceStore *self,
                                                       const DocketStoredRecording *rec,
                                                       const gchar *actor,
                                                       GError **error);
/* Records the deep check's @result ("ok" or plain words) with an audit
 * row; a non-NULL @condition also becomes the recording's condition (with
 * @result as its reason) unless it has one already. */
gboolean docket_evidence_store_set_deep_check (DocketEvidenceStore *self,
                                               gint64 id,
                                               const gchar *result,
                                               const gchar *condition,
                                               GError **error);
/* A deep check of @id could not run (@reason: no usable helper, out of
 * time): recorded and audited like a result, and the check stays owed
 * until DOCKET_DEEP_CHECK_ATTEMPTS tries have failed. */
#define DOCKET_DEEP_CHECK_ATTEMPTS 3
gboolean docket_evidence_store_defer_deep_check (DocketEvidenceStore *self,
                                                 gint64 id,
                                                 const gchar *reason,
                                                 GError **error);
/* Up to @limit recordings that still owe a deep check, oldest first (GArray
 * of gint64 ids). */
GArray *docket_evidence_store_list_owed_deep_checks (DocketEvidenceStore *self,
                                                     guint limit,
                                                     GError **error);
/* Committed recordings with a condition, newest first (the IT/sergeant
 * queue). GPtrArray of DocketStoredRecording. */
GPtrArray *docket_evidence_store_list_conditions (DocketEvidenceStore *self, GError **error);
/* Sets the thumbnail of a committed recording that has none yet (made
 * later, e.g. after an undock during the thumbnail step). */
gboolean docket_evidence_store_set_thumbnail (DocketEvidenceStore *self,
                                              gint64 id,
                                              const gchar *thumbnail_path,
                                              GError **error);
/* Committed recordings without a thumbnail (not deleted, without a
 * condition), oldest first, at most @limit. GArray of gint64 ids. */
GArray *docket_evidence_store_list_missing_thumbnails (DocketEvidenceStore *self,
                                                       guint limit,
                                                       GError **error);

/* The enrolled public key of camera @serial. */
gboolean docket_evidence_store_get_camera_key (DocketEvidenceStore *self,
                                               const gchar *serial,
                                               guint8 out_key[DOCKET_ED25519_PUBLIC_KEY_LEN],
                                               GError **error);

/* ---- chain of custody (docket-evidence-store-custody.c) ----------------- */

/* root/anchors.log and root/station.pub. */
gchar *docket_evidence_store_get_anchors_path (DocketEvidenceStore *self);
gchar *docket_evidence_store_get_station_pub_path (DocketEvidenceStore *self);
/* Publishes @key's public half as station.pub; a first key is audited
 * ("station-key-created"), a different key from the published one is an
 * alarm ("station-key-changed") and replaces it. */
gboolean docket_evidence_store_set_station_key (DocketEvidenceStore *self,
                                                DocketStationKey *key,
                                                GError **error);
/* Signs the chain head into anchors.log unless it is already anchored.
 * Returns TRUE with *@out_anchor NULL when there was nothing new. */
gboolean docket_evidence_store_anchor (DocketEvidenceStore *self,
                                       DocketStationKey *key,
                                       DocketAuditAnchor **out_anchor,
                                       GError **error);
/* The whole audit check: the chain, its triggers, the station key and the
 * anchors. Problems in plain words; @out_rows rows checked; @out_anchored:
 * seq of the newest valid anchor. NULL on error. */
GPtrArray *docket_evidence_store_verify_audit (DocketEvidenceStore *self,
                                               guint64 *out_rows,
                                               gint64 *out_anchored,
                                               GCancellable *cancellable,
                                               GError **error);

/* Moves each file in objects/ that no recording row names (a kill between
 * the rename into objects/ and the commit leaves one) into strays/, never
 * deleting it, with a "stray-object-set-aside" audit row (hash, size, new
 * path) for each. Only for docketd at start, before any offload: a commit
 * in flight has its file in objects/ before its row. Takes store/offload.lock
 * (flock) for the store's lifetime; fails, moving nothing, while another
 * process holds it. Returns how many were set aside, or -1 with @error. */
gint docket_evidence_store_set_aside_strays (DocketEvidenceStore *self, GError **error);

/* Re-hashes every committed file, re-checks each camera signature against
 * the enrolled key, checks that every committed audit row's file exists,
 * that no stray file sits in objects/ and that quarantined copies are
 * unchanged. Returns problems in plain words (empty: all whole), NULL on
 * error. */
GPtrArray *docket_evidence_store_verify_files (DocketEvidenceStore *self,
                                               guint64 *out_files,
                                               GCancellable *cancellable,
                                               GError **error);

G_END_DECLS
