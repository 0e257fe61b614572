/* docket-s3-client.h — a small S3 client on libcurl's own AWS SigV4 signing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Path-style requests (ENDPOINT/BUCKET/KEY) so one client speaks to AWS S3,
 * Ceph RGW, Swift's s3api and MinIO alike. Every body carries Content-MD5
 * and a signed x-amz-content-sha256, so the server refuses a body changed
 * on the way (BadDigest) and the returned ETag is compared with the local
 * MD5 as well. Errors are DOCKET_ERROR: PERMISSION for refused credentials,
 * INTEGRITY for a checksum mismatch, NOT_FOUND for a missing object or
 * upload, DISCONNECTED when the server cannot be reached.
 *
 * Threads: one client belongs to one thread at a time (it keeps one curl
 * handle so connections are reused).
 */
#pragma once

#include <gio/gio.h>

#include "docket-rate-limit.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_S3_CLIENT (docket_s3_client_get_type ())
G_DECLARE_FINAL_TYPE (DocketS3Client, docket_s3_client, DOCKET, S3_CLIENT, GObject)

DocketS3Client *docket_s3_client_new (const gchar *endpoint,
                                      const gchar *region,
                                      const gchar *bucket,
                                      const gchar *access_key,
                                      const gchar *secret_key);
/* Request bodies go within @rate_limit (NULL: none), which other clients
 * may share. */
void docket_s3_client_set_rate_limit (DocketS3Client *self, DocketRateLimit *rate_limit);

/* A bound on each whole request, for those without a body to send; 0 (the
 * default): none, a stalled transfer still ends (under 1 KiB/s for 60 s). */
void docket_s3_client_set_timeout (DocketS3Client *self, guint seconds);

/* Requests stop early (G_IO_ERROR_CANCELLED) once @cancellable fires. */
void docket_s3_client_set_cancellable (DocketS3Client *self, GCancellable *cancellable);
/* Called during a request body's send with the bytes sent so far. */
typedef void (*DocketS3ProgressFunc) (guint64 sent, gpointer user_data);
void
docket_s3_client_set_progress (DocketS3Client *self, DocketS3ProgressFunc func, gpointer user_data);

/* HEAD on the bucket; creates it only when missing. */
gboolean docket_s3_client_ensure_bucket (DocketS3Client *self, GError **error);

/* A request body: @len bytes of @fd from @offset, read while it is sent,
 * never held in memory as a whole. @sha256_hex: the payload hash signed,
 * where it is known already (a whole recording's SHA-256, or
 * "UNSIGNED-PAYLOAD" for a body the server checks by its MD5 only), else
 * NULL;
 * @md5: its 16-byte MD5 where computed ahead, else NULL. What is not known
 * is computed in one pass over the file before the request. @path: for
 * messages. */
typedef struct
{
  int fd;
  guint64 offset;
  guint64 len;
  const gchar *sha256_hex;
  const gchar *path;
  const guint8 *md5;
} DocketS3Body;

/* Single PUT. @extra_headers: "Name: value" lines or NULL. Returns the ETag
 * (quotes removed), checked against the body's MD5. */
gchar *docket_s3_client_put_object (DocketS3Client *self,
                                    const gchar *key,
                                    const DocketS3Body *body,
                                    const gchar *const *extra_headers,
                                    GError **error);

/* Multipart upload: returns the upload id. */
gchar *docket_s3_client_create_multipart (DocketS3Client *self,
                                          const gchar *key,
                                          const gchar *const *extra_headers,
                                          GError **error);
/* Returns the part's ETag, checked against the part's MD5 (so it is the
 * MD5's hex). */
gchar *docket_s3_client_upload_part (DocketS3Client *self,
                                     const gchar *key,
                                     const gchar *upload_id,
                                     guint part_number,
                                     const DocketS3Body *body,
                                     GError **error);
/* @etags: the parts' ETags in order, part 1 first. */
gboolean docket_s3_client_complete_multipart (DocketS3Client *self,
                                              const gchar *key,
                                              const gchar *upload_id,
                                              GPtrArray *etags,
                                              GError **error);
gboolean docket_s3_client_abort_multipart (DocketS3Client *self,
                                           const gchar *key,
                                           const gchar *upload_id,
                                           GError **error);

/* HEAD: size, ETag (quotes removed) and the x-amz-meta-sha256 we stored. */
gboolean docket_s3_client_head (DocketS3Client *self,
                                const gchar *key,
                                gint64 *out_size,
                                gchar **out_etag,
                                gchar **out_sha256,
                                GError **error);

/* Whether the bucket has S3 Object Lock enabled (GET ?object-lock).
 * FALSE without @error when it has not, or the server does not know the
 * request: @out_detail then says which, in plain words. Swift's s3api
 * ignores the query and lists the bucket instead; it also takes a PUT
 * ?legal-hold or ?retention for a plain PUT that replaces the object with
 * the request's XML. So the two calls below are only for a bucket this
 * answered TRUE for. */
gboolean docket_s3_client_get_object_lock (DocketS3Client *self,
                                           gboolean *out_enabled,
                                           gchar **out_detail,
                                           GError **error);

/* Object Lock: sets a legal hold ON or OFF (PUT ?legal-hold). */
gboolean docket_s3_client_set_legal_hold (DocketS3Client *self,
                                          const gchar *key,
                                          gboolean on,
                                          GError **error);
/* Object Lock: compliance-mode retention until @until_usec (PUT
 * ?retention); it can be extended later, never shortened. */
gboolean docket_s3_client_set_retention (DocketS3Client *self,
                                         const gchar *key,
                                         gint64 until_usec,
                                         GError **error);
/* Object Lock: the object's retention (GET ?retention). @out_mode NULL and
 * @out_until_usec 0 when it has none. */
gboolean docket_s3_client_get_retention (DocketS3Client *self,
                                         const gchar *key,
                                         gchar **out_mode,
                                         gint64 *out_until_usec,
                                         GError **error);
/* Object Lock: whether the object's legal hold is ON (GET ?legal-hold;
 * FALSE when none was ever set). */
gboolean docket_s3_client_get_legal_hold (DocketS3Client *self,
                                          const gchar *key,
                                          gboolean *out_on,
                                          GError **error);
/* Creates the bucket (PUT), with Object Lock enabled when @object_lock (it
 * can only be enabled at creation). For setting up a store and for tests:
 * docketd itself only uses ensure_bucket. */
gboolean
docket_s3_client_create_bucket (DocketS3Client *self, gboolean object_lock, GError **error);
/* "2030-01-31T12:00:00Z" for x-amz-object-lock-retain-until-date. */
gchar *docket_s3_retain_until (gint64 until_usec);

/* Builds with -Dtest_hooks=true only: the bytes of files every client in
 * the process has read for request bodies so far. */
guint64 docket_s3_client_test_sent_bytes (void);

/* "sha256/ab/abcdef…" for a hex SHA-256. */
gchar *docket_s3_object_key (const gchar *sha256_hex);
/* The ETag S3 gives a multipart object: MD5 of the parts' MD5s, "-N". */
gchar *docket_s3_multipart_etag (GPtrArray *part_md5_hex);

G_END_DECLS
