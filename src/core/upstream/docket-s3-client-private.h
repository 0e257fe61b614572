/* docket-s3-client-private.h — DocketS3Client's struct and its one request function
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docket-s3-client.c: the object, the request machinery, objects and
 * multipart uploads; docket-s3-object-lock.c: S3 Object Lock (the bucket's
 * configuration, an object's retention and legal hold).
 */
#pragma once

#include <curl/curl.h>

#include "docket-s3-client.h"

G_BEGIN_DECLS

struct _DocketS3Client
{
  GObject parent_instance;

  gchar *endpoint;
  gchar *region;
  gchar *bucket;
  gchar *access_key;
  gchar *secret_key;
  DocketRateLimit *rate_limit; /* shared with the kiosk's other connections */
  glong timeout_seconds;       /* a whole request's bound; 0: none (bodies take long) */
  GCancellable *cancellable;
  DocketS3ProgressFunc progress;
  gpointer progress_data;
  curl_off_t progress_sent; /* what progress was last told, this request */
  CURL *curl;
};

typedef struct
{
  const guint8 *data;
  const DocketS3Body *file; /* instead of @data: read as curl sends */
  gsize len;
  gsize pos;
  DocketRateLimit *rate_limit;
  GCancellable *cancellable;
  gint read_errno; /* the file could not be read (0: short) */
  gboolean read_failed;
  GByteArray *body;
  GHashTable *headers; /* lower-case name -> value */
  glong status;
  gboolean any_status; /* perform leaves an HTTP error to the caller */
  gchar md5_hex[33];   /* of the body sent, when Content-MD5 was */
} DocketS3Request;

/* Runs one request. @method: "GET", "PUT", "POST", "HEAD", "DELETE".
 * @path_query: "/KEY?query" after the bucket ("" for the bucket itself).
 * On HTTP >= 300 fails with the server's <Code>/<Message>, unless
 * @req->any_status. Free @req's answer with _docket_s3_request_clear(). */
gboolean _docket_s3_client_perform (DocketS3Client *self,
                                    const gchar *method,
                                    const gchar *path_query,
                                    const guint8 *data,
                                    gsize len,
                                    gboolean send_md5,
                                    const gchar *const *extra_headers,
                                    DocketS3Request *req,
                                    GError **error);
void _docket_s3_request_clear (DocketS3Request *req);
/* The text of the first <tag>…</tag> in @xml, or NULL. */
gchar *_docket_s3_xml_tag (const gchar *xml, const gchar *tag);

G_END_DECLS
