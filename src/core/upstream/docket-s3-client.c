/* docket-s3-client.c — S3 requests signed by libcurl (CURLOPT_AWS_SIGV4): objects, uploads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <glib/gi18n-lib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "docket-error.h"
#include "docket-s3-client.h"

#include "docket-s3-client-private.h"

G_DEFINE_FINAL_TYPE (DocketS3Client, docket_s3_client, G_TYPE_OBJECT)

static void
docket_s3_client_finalize (GObject *object)
{
  DocketS3Client *self = DOCKET_S3_CLIENT (object);

  if (self->curl != NULL)
    curl_easy_cleanup (self->curl);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rate_limit, docket_rate_limit_unref);
  g_free (self->endpoint);
  g_free (self->region);
  g_free (self->bucket);
  g_free (self->access_key);
  if (self->secret_key != NULL)
    memset (self->secret_key, 0, strlen (self->secret_key));
  g_free (self->secret_key);
  G_OBJECT_CLASS (docket_s3_client_parent_class)->finalize (object);
}

static void
docket_s3_client_class_init (DocketS3ClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_s3_client_finalize;
  curl_global_init (CURL_GLOBAL_DEFAULT);
}

static void
docket_s3_client_init (DocketS3Client *self)
{
}

DocketS3Client *
docket_s3_client_new (const gchar *endpoint,
                      const gchar *region,
                      const gchar *bucket,
                      const gchar *access_key,
                      const gchar *secret_key)
{
  DocketS3Client *self = g_object_new (DOCKET_TYPE_S3_CLIENT, NULL);

  self->endpoint = g_strdup (endpoint);
  while (g_str_has_suffix (self->endpoint, "/"))
    self->endpoint[strlen (self->endpoint) - 1] = '\0';
  self->region = g_strdup (region != NULL && *region != '\0' ? region : "us-east-1");
  self->bucket = g_strdup (bucket);
  /* Separate, not USERPWD: Swift's keys are "account:user". */
  self->access_key = g_strdup (access_key);
  self->secret_key = g_strdup (secret_key);
  return self;
}

void
docket_s3_client_set_rate_limit (DocketS3Client *self, DocketRateLimit *rate_limit)
{
  g_return_if_fail (DOCKET_IS_S3_CLIENT (self));
  if (rate_limit != NULL)
    docket_rate_limit_ref (rate_limit);
  g_clear_pointer (&self->rate_limit, docket_rate_limit_unref);
  self->rate_limit = rate_limit;
}

void
docket_s3_client_set_timeout (DocketS3Client *self, guint seconds)
{
  g_return_if_fail (DOCKET_IS_S3_CLIENT (self));
  self->timeout_seconds = seconds;
}

void
docket_s3_client_set_cancellable (DocketS3Client *self, GCancellable *cancellable)
{
  g_return_if_fail (DOCKET_IS_S3_CLIENT (self));
  g_set_object (&self->cancellable, cancellable);
}

void
docket_s3_client_set_progress (DocketS3Client *self, DocketS3ProgressFunc func, gpointer user_data)
{
  g_return_if_fail (DOCKET_IS_S3_CLIENT (self));
  self->progress = func;
  self->progress_data = user_data;
}

static int
xferinfo_cb (
    void *user_data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
  DocketS3Client *self = user_data;

  /* curl calls this on every turn of its loop, sent bytes or not. */
  if (self->progress != NULL && ulnow != self->progress_sent)
    {
      self->progress_sent = ulnow;
      self->progress ((guint64)ulnow, self->progress_data);
    }
  /* Non-zero aborts the transfer: a stopping daemon does not wait for a part. */
  return g_cancellable_is_cancelled (self->cancellable) ? 1 : 0;
}

gchar *
docket_s3_object_key (const gchar *sha256_hex)
{
  return g_strdup_printf ("sha256/%.2s/%s", sha256_hex, sha256_hex);
}

gchar *
docket_s3_multipart_etag (GPtrArray *part_md5_hex)
{
  g_autoptr (GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);

  for (guint i = 0; i < part_md5_hex->len; i++)
    {
      const gchar *hex = g_ptr_array_index (part_md5_hex, i);
      guint8 raw[16];

      for (guint j = 0; j < 16 && hex[2 * j] != '\0'; j++)
        raw[j] = (g_ascii_xdigit_value (hex[2 * j]) << 4) | g_ascii_xdigit_value (hex[2 * j + 1]);
      g_checksum_update (md5, raw, sizeof raw);
    }
  return g_strdup_printf ("%s-%u", g_checksum_get_string (md5), part_md5_hex->len);
}

static size_t
read_cb (char *buffer, size_t size, size_t nitems, void *user_data)
{
  DocketS3Request *req = user_data;
  gsize n = MIN (size * nitems, req->len - req->pos);

  if (req->rate_limit != NULL && n > 0)
    {
      n = docket_rate_limit_chunk (req->rate_limit, n);
      /* Cancelled while it waited: perform() reports the cancellation. */
      if (!docket_rate_limit_take (req->rate_limit, n, req->cancellable))
        return CURL_READFUNC_ABORT;
    }
  if (req->file != NULL && n > 0)
    {
      gssize got;

      do
        got = pread (req->file->fd, buffer, n, req->file->offset + req->pos);
      while (got < 0 && errno == EINTR);
      if (got <= 0)
        {
          req->read_failed = TRUE;
          req->read_errno = got < 0 ? errno : 0;
          return CURL_READFUNC_ABORT;
        }
      n = got;
    }
  else
    memcpy (buffer, req->data + req->pos, n);
  req->pos += n;
  return n;
}

static size_t
write_cb (char *ptr, size_t size, size_t nmemb, void *user_data)
{
  DocketS3Request *req = user_data;

  /* Error documents are small; a runaway body is cut, not buffered. */
  if (req->body->len < 1024 * 1024)
    g_byte_array_append (req->body, (const guint8 *)ptr, size * nmemb);
  return size * nmemb;
}

static size_t
header_cb (char *buffer, size_t size, size_t nitems, void *user_data)
{
  DocketS3Request *req = user_data;
  gsize n = size * nitems;
  g_autofree gchar *line = g_strndup (buffer, n);
  gchar *colon = strchr (line, ':');

  if (colon != NULL)
    {
      *colon = '\0';
      g_hash_table_replace (req->headers, g_ascii_strdown (g_strstrip (line), -1),
                            g_strdup (g_strstrip (colon + 1)));
    }
  return n;
}

gchar *
_docket_s3_xml_tag (const gchar *xml, const gchar *tag)
{
  g_autofree gchar *open = g_strdup_printf ("<%s>", tag);
  g_autofree gchar *close = g_strdup_printf ("</%s>", tag);
  const gchar *start = xml != NULL ? strstr (xml, open) : NULL;
  const gchar *end;

  if (start == NULL)
    return NULL;
  start += strlen (open);
  end = strstr (start, close);
  return end != NULL ? g_strndup (start, end - start) : NULL;
}

/* OpenSSL's digests: several times faster than GChecksum's on 16 MiB parts. */
static void
digest (const EVP_MD *md, const guint8 *data, gsize len, guint8 *out, guint *out_len)
{
  EVP_Digest (data != NULL ? data : (const guint8 *)"", len, out, out_len, md, NULL);
}

/* The MD5 and, unless @sha256 is NULL, the SHA-256 of @body, in one pass
 * through a small buffer: the body is then in the page cache for curl to
 * send, and no part-sized buffer is allocated (and faulted in) per part. */
static gboolean
digest_file (const DocketS3Body *body, guint8 *md5, guint8 *sha256, GError **error)
{
  gsize chunk = 1024 * 1024;
  g_autofree guint8 *buf = g_malloc (chunk);
  EVP_MD_CTX *md5_ctx = EVP_MD_CTX_new ();
  EVP_MD_CTX *sha_ctx = sha256 != NULL ? EVP_MD_CTX_new () : NULL;
  guint64 done = 0;
  gboolean ok = TRUE;

  EVP_DigestInit_ex (md5_ctx, EVP_md5 (), NULL);
  if (sha_ctx != NULL)
    EVP_DigestInit_ex (sha_ctx, EVP_sha256 (), NULL);
  while (done < body->len)
    {
      gssize n = pread (body->fd, buf, MIN (chunk, body->len - done), body->offset + done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Reading %s: %s"), body->path,
                       n < 0 ? g_strerror (errno) : _ ("the file is shorter than recorded"));
          ok = FALSE;
          break;
        }
      EVP_DigestUpdate (md5_ctx, buf, n);
      if (sha_ctx != NULL)
        EVP_DigestUpdate (sha_ctx, buf, n);
      done += n;
    }
  if (ok)
    {
      EVP_DigestFinal_ex (md5_ctx, md5, NULL);
      if (sha_ctx != NULL)
        EVP_DigestFinal_ex (sha_ctx, sha256, NULL);
    }
  EVP_MD_CTX_free (md5_ctx);
  if (sha_ctx != NULL)
    EVP_MD_CTX_free (sha_ctx);
  return ok;
}

static void
to_hex (const guint8 *raw, guint len, gchar *out)
{
  static const gchar hex[] = "0123456789abcdef";

  for (guint i = 0; i < len; i++)
    {
      out[2 * i] = hex[raw[i] >> 4];
      out[2 * i + 1] = hex[raw[i] & 0xf];
    }
  out[2 * len] = '\0';
}

static gchar *
strip_quotes (const gchar *etag)
{
  gchar *s = g_strdup (etag != NULL ? etag : "");

  g_strdelimit (s, "\"", ' ');
  return g_strstrip (s);
}

#if DOCKET_TEST_HOOKS
/* Bytes of files read for request bodies, by every client: tests check
 * that an upload sent nothing. Only with -Dtest_hooks=true. */
static guint64 test_sent_bytes;
G_LOCK_DEFINE_STATIC (test_sent_bytes);

guint64
docket_s3_client_test_sent_bytes (void)
{
  guint64 sent;

  G_LOCK (test_sent_bytes);
  sent = test_sent_bytes;
  G_UNLOCK (test_sent_bytes);
  return sent;
}
#endif

static long
expect_100_ms (void)
{
#if DOCKET_TEST_HOOKS
  /* Benchmarks try other waits. Only in builds with -Dtest_hooks=true. */
  if (g_getenv ("DOCKET_TEST_S3_EXPECT_100_MS") != NULL)
    return g_ascii_strtoll (g_getenv ("DOCKET_TEST_S3_EXPECT_100_MS"), NULL, 10);
#endif
  return 200;
}

gboolean
_docket_s3_client_perform (DocketS3Client *self,
                           const gchar *method,
                           const gchar *path_query,
                           const guint8 *data,
                           gsize len,
                           gboolean send_md5,
                           const gchar *const *extra_headers,
                           DocketS3Request *req,
                           GError **error)
{
  g_autofree gchar *url = g_strdup_printf ("%s/%s%s", self->endpoint, self->bucket, path_query);
  g_autofree gchar *sigv4 = g_strdup_printf ("aws:amz:%s:s3", self->region);
  g_autofree gchar *sha_header = NULL;
  const DocketS3Body *file = req->file;
  struct curl_slist *headers = NULL;
  guint8 raw[EVP_MAX_MD_SIZE];
  gchar sha[2 * 32 + 1];
  guint raw_len = 0;
  CURLcode rc;

  if (file != NULL)
    {
      guint8 sha_raw[32];

      len = file->len;
      /* A known SHA-256 (the whole recording's) is signed as it is: the
       * server checks the body against it, and we need not hash it again.
       * Checksums computed ahead (while other bodies were sent) are used as
       * they are. */
      if (file->md5 != NULL && file->sha256_hex != NULL)
        memcpy (raw, file->md5, 16);
      else if (!digest_file (file, raw, file->sha256_hex != NULL ? NULL : sha_raw, error))
        return FALSE;
      raw_len = 16;
      if (file->sha256_hex != NULL)
        g_strlcpy (sha, file->sha256_hex, sizeof sha);
      else
        to_hex (sha_raw, sizeof sha_raw, sha);
    }
  else
    {
      digest (EVP_sha256 (), data, len, raw, &raw_len);
      to_hex (raw, raw_len, sha);
      if (send_md5)
        digest (EVP_md5 (), data, len, raw, &raw_len);
    }
  sha_header = g_strdup_printf ("x-amz-content-sha256: %s", sha);

  if (self->curl == NULL)
    self->curl = curl_easy_init ();
  else
    curl_easy_reset (self->curl);

  self->progress_sent = 0;
  req->data = data;
  req->rate_limit = self->rate_limit;
  req->cancellable = self->cancellable;
  req->md5_hex[0] = '\0';
  req->len = len;
  req->pos = 0;
  req->body = g_byte_array_new ();
  req->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  headers = curl_slist_append (headers, sha_header);
  if (send_md5)
    {
      g_autofree gchar *md5 = NULL;
      g_autofree gchar *md5_header = NULL;

      to_hex (raw, raw_len, req->md5_hex);
      md5 = g_base64_encode (raw, raw_len);
      md5_header = g_strdup_printf ("Content-MD5: %s", md5);

      headers = curl_slist_append (headers, md5_header);
    }
  for (guint i = 0; extra_headers != NULL && extra_headers[i] != NULL; i++)
    headers = curl_slist_append (headers, extra_headers[i]);

  curl_easy_setopt (self->curl, CURLOPT_URL, url);
  curl_easy_setopt (self->curl, CURLOPT_AWS_SIGV4, sigv4);
  curl_easy_setopt (self->curl, CURLOPT_USERNAME, self->access_key);
  curl_easy_setopt (self->curl, CURLOPT_PASSWORD, self->secret_key);
  curl_easy_setopt (self->curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (self->curl, CURLOPT_NOSIGNAL, 1L);
  /* curl 7.88 signs an empty "Expect:" it then drops (SignatureDoesNotMatch),
   * so the 100-continue handshake stays, only shorter. */
  curl_easy_setopt (self->curl, CURLOPT_EXPECT_100_TIMEOUT_MS, expect_100_ms ());
  curl_easy_setopt (self->curl, CURLOPT_CONNECTTIMEOUT, 10L);
  /* A stalled transfer (under 1 KiB/s for 60 s) is a network loss. */
  curl_easy_setopt (self->curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt (self->curl, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt (self->curl, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (self->curl, CURLOPT_WRITEDATA, req);
  curl_easy_setopt (self->curl, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (self->curl, CURLOPT_HEADERDATA, req);
  curl_easy_setopt (self->curl, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
  curl_easy_setopt (self->curl, CURLOPT_XFERINFODATA, self);
  curl_easy_setopt (self->curl, CURLOPT_NOPROGRESS, 0L);
  if (self->timeout_seconds > 0)
    curl_easy_setopt (self->curl, CURLOPT_TIMEOUT, self->timeout_seconds);

  if (g_str_equal (method, "PUT"))
    {
      curl_easy_setopt (self->curl, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt (self->curl, CURLOPT_READFUNCTION, read_cb);
      curl_easy_setopt (self->curl, CURLOPT_READDATA, req);
      curl_easy_setopt (self->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    }
  else if (g_str_equal (method, "POST"))
    {
      curl_easy_setopt (self->curl, CURLOPT_POST, 1L);
      curl_easy_setopt (self->curl, CURLOPT_POSTFIELDS, data != NULL ? (const char *)data : "");
      curl_easy_setopt (self->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
  else if (g_str_equal (method, "HEAD"))
    curl_easy_setopt (self->curl, CURLOPT_NOBODY, 1L);
  else if (!g_str_equal (method, "GET"))
    curl_easy_setopt (self->curl, CURLOPT_CUSTOMREQUEST, method);

  rc = curl_easy_perform (self->curl);
  curl_slist_free_all (headers);
#if DOCKET_TEST_HOOKS
  G_LOCK (test_sent_bytes);
  test_sent_bytes += file != NULL ? req->pos : 0;
  G_UNLOCK (test_sent_bytes);
#endif
  if (rc == CURLE_ABORTED_BY_CALLBACK && req->read_failed)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_STORE, _ ("Reading %s: %s"), file->path,
                   req->read_errno != 0 ? g_strerror (req->read_errno)
                                        : _ ("the file is shorter than recorded"));
      return FALSE;
    }
  if (rc == CURLE_ABORTED_BY_CALLBACK)
    return !g_cancellable_set_error_if_cancelled (self->cancellable, error);
  if (rc != CURLE_OK)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_DISCONNECTED,
                   _ ("Object storage at %s could not be reached: %s"), self->endpoint,
                   curl_easy_strerror (rc));
      return FALSE;
    }
  curl_easy_getinfo (self->curl, CURLINFO_RESPONSE_CODE, &req->status);
  if (req->status >= 300 && !req->any_status)
    {
      g_autofree gchar *xml = g_strndup ((const gchar *)req->body->data, req->body->len);
      g_autofree gchar *code = _docket_s3_xml_tag (xml, "Code");
      g_autofree gchar *message = _docket_s3_xml_tag (xml, "Message");
      gint err = DOCKET_ERROR_FAILED;

      if (req->status == 403 || req->status == 401)
        err = DOCKET_ERROR_PERMISSION;
      else if (req->status == 404)
        err = DOCKET_ERROR_NOT_FOUND;
      else if (code != NULL
               && (g_str_equal (code, "BadDigest") || g_str_equal (code, "InvalidDigest")
                   || g_str_equal (code, "XAmzContentSHA256Mismatch")))
        err = DOCKET_ERROR_INTEGRITY;
      if (err == DOCKET_ERROR_PERMISSION)
        g_set_error (error, DOCKET_ERROR, err,
                     _ ("Object storage refused the credentials (HTTP %ld %s): check the "
                        "access key and secret in the upstream credentials file"),
                     req->status, code != NULL ? code : "");
      else
        g_set_error (error, DOCKET_ERROR, err, _ ("Object storage answered HTTP %ld %s%s%s"),
                     req->status, code != NULL ? code : "", message != NULL ? ": " : "",
                     message != NULL ? message : "");
      return FALSE;
    }
  return TRUE;
}

void
_docket_s3_request_clear (DocketS3Request *req)
{
  g_clear_pointer (&req->body, g_byte_array_unref);
  g_clear_pointer (&req->headers, g_hash_table_unref);
}

gboolean
docket_s3_client_ensure_bucket (DocketS3Client *self, GError **error)
{
  DocketS3Request req = { 0 };
  g_autoptr (GError) local_error = NULL;
  gboolean ok;

  /* HEAD first: a department's IAM policy may allow uploads but not
   * CreateBucket, and an existing bucket is all we need. */
  ok = _docket_s3_client_perform (self, "HEAD", "", NULL, 0, FALSE, NULL, &req, &local_error);
  _docket_s3_request_clear (&req);
  if (ok)
    return TRUE;
  if (!g_error_matches (local_error, DOCKET_ERROR, DOCKET_ERROR_NOT_FOUND))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _ ("Bucket %s: "),
                                  self->bucket);
      return FALSE;
    }
  g_clear_error (&local_error);
  ok = _docket_s3_client_perform (self, "PUT", "", NULL, 0, FALSE, NULL, &req, &local_error);
  _docket_s3_request_clear (&req);
  if (!ok && local_error->code == DOCKET_ERROR_FAILED
      && strstr (local_error->message, "BucketAlreadyOwnedByYou") != NULL)
    return TRUE;
  if (!ok)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _ ("Creating bucket %s: "),
                                  self->bucket);
      return FALSE;
    }
  return TRUE;
}

static gchar *
checked_etag (DocketS3Request *req, GError **error)
{
  g_autofree gchar *etag = strip_quotes (g_hash_table_lookup (req->headers, "etag"));
  const gchar *md5 = req->md5_hex;

  if (g_ascii_strcasecmp (etag, md5) != 0)
    {
      g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_INTEGRITY,
                   _ ("Object storage stored a different body (ETag %s, sent MD5 %s)"), etag, md5);
      return NULL;
    }
  return g_steal_pointer (&etag);
}

gchar *
docket_s3_client_put_object (DocketS3Client *self,
                             const gchar *key,
                             const DocketS3Body *body,
                             const gchar *const *extra_headers,
                             GError **error)
{
  DocketS3Request req = { .file = body };
  g_autofree gchar *path = g_strdup_printf ("/%s", key);
  gchar *etag = NULL;

  if (_docket_s3_client_perform (self, "PUT", path, NULL, 0, TRUE, extra_headers, &req, error))
    etag = checked_etag (&req, error);
  _docket_s3_request_clear (&req);
  return etag;
}

gchar *
docket_s3_client_create_multipart (DocketS3Client *self,
                                   const gchar *key,
                                   const gchar *const *extra_headers,
                                   GError **error)
{
  DocketS3Request req = { 0 };
  g_autofree gchar *path = g_strdup_printf ("/%s?uploads=", key);
  gchar *upload_id = NULL;

  if (_docket_s3_client_perform (self, "POST", path, NULL, 0, FALSE, extra_headers, &req, error))
    {
      g_autofree gchar *xml = g_strndup ((const gchar *)req.body->data, req.body->len);

      upload_id = _docket_s3_xml_tag (xml, "UploadId");
      if (upload_id == NULL)
        g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_PROTOCOL,
                     _ ("Object storage started a multipart upload without an upload id"));
    }
  _docket_s3_request_clear (&req);
  return upload_id;
}

gchar *
docket_s3_client_upload_part (DocketS3Client *self,
                              const gchar *key,
                              const gchar *upload_id,
                              guint part_number,
                              const DocketS3Body *body,
                              GError **error)
{
  DocketS3Request req = { .file = body };
  g_autofree gchar *id = g_uri_escape_string (upload_id, NULL, FALSE);
  /* Query keys in byte order: SigV4 signs the sorted canonical query. */
  g_autofree gchar *path = g_strdup_printf ("/%s?partNumber=%u&uploadId=%s", key, part_number, id);
  gchar *etag = NULL;

  if (_docket_s3_client_perform (self, "PUT", path, NULL, 0, TRUE, NULL, &req, error))
    etag = checked_etag (&req, error);
  _docket_s3_request_clear (&req);
  if (etag == NULL)
    g_prefix_error (error, _ ("Part %u: "), part_number);
  return etag;
}

gboolean
docket_s3_client_complete_multipart (DocketS3Client *self,
                                     const gchar *key,
                                     const gchar *upload_id,
                                     GPtrArray *etags,
                                     GError **error)
{
  DocketS3Request req = { 0 };
  g_autofree gchar *id = g_uri_escape_string (upload_id, NULL, FALSE);
  g_autofree gchar *path = g_strdup_printf ("/%s?uploadId=%s", key, id);
  g_autoptr (GString) xml = g_string_new ("<CompleteMultipartUpload>");
  gboolean ok;

  for (guint i = 0; i < etags->len; i++)
    g_string_append_printf (xml, "<Part><PartNumber>%u</PartNumber><ETag>\"%s\"</ETag></Part>",
                            i + 1, (const gchar *)g_ptr_array_index (etags, i));
  g_string_append (xml, "</CompleteMultipartUpload>");
  ok = _docket_s3_client_perform (self, "POST", path, (const guint8 *)xml->str, xml->len, TRUE,
                                  NULL, &req, error);
  if (ok)
    {
      /* S3 may answer 200 with an <Error> body after a long assembly. */
      g_autofree gchar *body = g_strndup ((const gchar *)req.body->data, req.body->len);
      g_autofree gchar *code = _docket_s3_xml_tag (body, "Code");

      if (code != NULL && strstr (body, "<Error>") != NULL)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                       _ ("Object storage could not complete the upload: %s"), code);
          ok = FALSE;
        }
    }
  _docket_s3_request_clear (&req);
  return ok;
}

gboolean
docket_s3_client_abort_multipart (DocketS3Client *self,
                                  const gchar *key,
                                  const gchar *upload_id,
                                  GError **error)
{
  DocketS3Request req = { 0 };
  g_autofree gchar *id = g_uri_escape_string (upload_id, NULL, FALSE);
  g_autofree gchar *path = g_strdup_printf ("/%s?uploadId=%s", key, id);
  gboolean ok = _docket_s3_client_perform (self, "DELETE", path, NULL, 0, FALSE, NULL, &req, error);

  _docket_s3_request_clear (&req);
  return ok;
}

gboolean
docket_s3_client_head (DocketS3Client *self,
                       const gchar *key,
                       gint64 *out_size,
                       gchar **out_etag,
                       gchar **out_sha256,
                       GError **error)
{
  DocketS3Request req = { 0 };
  g_autofree gchar *path = g_strdup_printf ("/%s", key);
  gboolean ok = _docket_s3_client_perform (self, "HEAD", path, NULL, 0, FALSE, NULL, &req, error);

  if (ok)
    {
      const gchar *length = g_hash_table_lookup (req.headers, "content-length");

      if (out_size != NULL)
        *out_size = length != NULL ? g_ascii_strtoll (length, NULL, 10) : -1;
      if (out_etag != NULL)
        *out_etag = strip_quotes (g_hash_table_lookup (req.headers, "etag"));
      if (out_sha256 != NULL)
        *out_sha256 = g_strdup (g_hash_table_lookup (req.headers, "x-amz-meta-sha256"));
    }
  _docket_s3_request_clear (&req);
  return ok;
}
