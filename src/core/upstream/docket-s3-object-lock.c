/* docket-s3-object-lock.c — DocketS3Client's S3 Object Lock requests: bucket, retention, holds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "docket-error.h"
#include "docket-s3-client.h"

#include "docket-s3-client-private.h"

gboolean
docket_s3_client_get_object_lock (DocketS3Client *self,
                                  gboolean *out_enabled,
                                  gchar **out_detail,
                                  GError **error)
{
  DocketS3Request req = { .any_status = TRUE };
  g_autofree gchar *xml = NULL;
  g_autofree gchar *code = NULL;
  g_autofree gchar *enabled = NULL;

  *out_enabled = FALSE;
  *out_detail = NULL;
  if (!_docket_s3_client_perform (self, "GET", "?object-lock=", NULL, 0, FALSE, NULL, &req, error))
    {
      _docket_s3_request_clear (&req);
      return FALSE;
    }
  xml = g_strndup ((const gchar *)req.body->data, req.body->len);
  code = _docket_s3_xml_tag (xml, "Code");
  enabled = _docket_s3_xml_tag (xml, "ObjectLockEnabled");
  if (req.status == 200 && strstr (xml, "<ObjectLockConfiguration") != NULL)
    {
      *out_enabled = g_strcmp0 (enabled, "Enabled") == 0;
      if (!*out_enabled)
        *out_detail = g_strdup (_ ("Object Lock is not enabled on the bucket"));
    }
  else if (req.status == 200)
    *out_detail = g_strdup (_ ("the object storage does not support S3 Object Lock (it ignored "
                               "the request)"));
  else if (req.status == 404 && g_strcmp0 (code, "ObjectLockConfigurationNotFoundError") == 0)
    *out_detail = g_strdup (_ ("Object Lock is not enabled on the bucket"));
  else if (req.status == 400 || req.status == 405 || req.status == 501)
    *out_detail = g_strdup_printf (_ ("the object storage does not support S3 Object Lock (HTTP "
                                      "%ld %s)"),
                                   req.status, code != NULL ? code : "");
  else if (req.status == 403)
    *out_detail = g_strdup_printf (_ ("the credentials may not read the bucket's Object Lock "
                                      "configuration (HTTP 403 %s)"),
                                   code != NULL ? code : "");
  else
    {
      g_set_error (error, DOCKET_ERROR,
                   req.status == 404 ? DOCKET_ERROR_NOT_FOUND : DOCKET_ERROR_FAILED,
                   _ ("Object storage answered HTTP %ld %s to the Object Lock query"), req.status,
                   code != NULL ? code : "");
      _docket_s3_request_clear (&req);
      return FALSE;
    }
  _docket_s3_request_clear (&req);
  return TRUE;
}

gboolean
docket_s3_client_create_bucket (DocketS3Client *self, gboolean object_lock, GError **error)
{
  DocketS3Request req = { 0 };
  const gchar *lock[] = { "x-amz-bucket-object-lock-enabled: true", NULL };
  gboolean ok = _docket_s3_client_perform (self, "PUT", "", NULL, 0, FALSE,
                                           object_lock ? lock : NULL, &req, error);

  _docket_s3_request_clear (&req);
  if (!ok)
    g_prefix_error (error, _ ("Creating bucket %s: "), self->bucket);
  return ok;
}

gchar *
docket_s3_retain_until (gint64 until_usec)
{
  g_autoptr (GDateTime) until = g_date_time_new_from_unix_utc (until_usec / G_USEC_PER_SEC);

  return g_date_time_format (until, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
docket_s3_client_set_retention (DocketS3Client *self,
                                const gchar *key,
                                gint64 until_usec,
                                GError **error)
{
  DocketS3Request req = { 0 };
  g_autofree gchar *path = g_strdup_printf ("/%s?retention=", key);
  g_autofree gchar *date = docket_s3_retain_until (until_usec);
  g_autofree gchar *xml = g_strdup_printf (
      "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>COMPLIANCE</Mode>"
      "<RetainUntilDate>%s</RetainUntilDate></Retention>",
      date);
  gboolean ok = _docket_s3_client_perform (self, "PUT", path, (const guint8 *)xml, strlen (xml),
                                           TRUE, NULL, &req, error);

  _docket_s3_request_clear (&req);
  return ok;
}

gboolean
docket_s3_client_set_legal_hold (DocketS3Client *self,
                                 const gchar *key,
                                 gboolean on,
                                 GError **error)
{
  DocketS3Request req = { 0 };
  g_autofree gchar *path = g_strdup_printf ("/%s?legal-hold=", key);
  g_autofree gchar *xml = g_strdup_printf (
      "<LegalHold "
      "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>%s</Status></LegalHold>",
      on ? "ON" : "OFF");
  gboolean ok = _docket_s3_client_perform (self, "PUT", path, (const guint8 *)xml, strlen (xml),
                                           TRUE, NULL, &req, error);

  _docket_s3_request_clear (&req);
  return ok;
}

/* "This object has none": AWS says NoSuchObjectLockConfiguration, Ceph RGW
 * ObjectLockConfigurationNotFoundError. */
static gboolean
no_lock_configuration (DocketS3Request *req, const gchar *code)
{
  return req->status == 404
         && (g_strcmp0 (code, "NoSuchObjectLockConfiguration") == 0
             || g_strcmp0 (code, "ObjectLockConfigurationNotFoundError") == 0);
}

/* GET ?@query of @key: the answer's XML in @out_xml, or NULL where the
 * object has no such setting. @what names the query in the error. */
static gboolean
get_lock_xml (DocketS3Client *self,
              const gchar *key,
              const gchar *query,
              const gchar *what,
              gchar **out_xml,
              GError **error)
{
  DocketS3Request req = { .any_status = TRUE };
  g_autofree gchar *path = g_strdup_printf ("/%s?%s=", key, query);
  g_autofree gchar *xml = NULL;
  g_autofree gchar *code = NULL;
  gboolean ok;

  *out_xml = NULL;
  ok = _docket_s3_client_perform (self, "GET", path, NULL, 0, FALSE, NULL, &req, error);
  if (ok)
    {
      xml = g_strndup ((const gchar *)req.body->data, req.body->len);
      code = _docket_s3_xml_tag (xml, "Code");
      if (req.status == 200)
        *out_xml = g_steal_pointer (&xml);
      else if (!no_lock_configuration (&req, code))
        {
          g_set_error (error, DOCKET_ERROR,
                       req.status == 404 ? DOCKET_ERROR_NOT_FOUND : DOCKET_ERROR_FAILED,
                       /* TRANSLATORS: the third %s is "retention" or "legal hold" */
                       _ ("Object storage answered HTTP %ld %s to the %s query of %s"), req.status,
                       code != NULL ? code : "", what, key);
          ok = FALSE;
        }
    }
  _docket_s3_request_clear (&req);
  return ok;
}

gboolean
docket_s3_client_get_retention (DocketS3Client *self,
                                const gchar *key,
                                gchar **out_mode,
                                gint64 *out_until_usec,
                                GError **error)
{
  g_autofree gchar *xml = NULL;
  g_autofree gchar *until = NULL;

  *out_mode = NULL;
  *out_until_usec = 0;
  if (!get_lock_xml (self, key, "retention", _ ("retention"), &xml, error))
    return FALSE;
  if (xml == NULL)
    return TRUE;
  until = _docket_s3_xml_tag (xml, "RetainUntilDate");
  if (until != NULL)
    {
      g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr (GDateTime) when = g_date_time_new_from_iso8601 (until, utc);

      if (when == NULL)
        {
          g_set_error (error, DOCKET_ERROR, DOCKET_ERROR_FAILED,
                       _ ("Object storage gave %s a retention date that is not a date: %s"), key,
                       until);
          return FALSE;
        }
      *out_until_usec = g_date_time_to_unix (when) * G_USEC_PER_SEC;
    }
  *out_mode = _docket_s3_xml_tag (xml, "Mode");
  return TRUE;
}

gboolean
docket_s3_client_get_legal_hold (DocketS3Client *self,
                                 const gchar *key,
                                 gboolean *out_on,
                                 GError **error)
{
  g_autofree gchar *xml = NULL;
  g_autofree gchar *status = NULL;

  *out_on = FALSE;
  if (!get_lock_xml (self, key, "legal-hold", _ ("legal hold"), &xml, error))
    return FALSE;
  status = _docket_s3_xml_tag (xml, "Status");
  *out_on = g_strcmp0 (status, "ON") == 0;
  return TRUE;
}
