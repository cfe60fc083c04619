/* cf-fake-vt-endpoints.c
 *
 * The fake VirusTotal server's API endpoints: files, uploads, analyses, users.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cf-fake-vt-private.h"
#include "cf-fake-vt-multipart.h"
#include "cf-fake-vt-server.h"

#include <string.h>

/* Replies */

void
cf_fake_vt_reply_json (SoupServerMessage *msg,
                       guint              status,
                       JsonNode          *root)
{
  gsize length;
  char *data = cf_fake_vt_report_to_data (root, &length);

  soup_server_message_set_status (msg, status,
                                  status == CF_FAKE_VT_STATUS_TOO_MANY_REQUESTS ?
                                  "Too Many Requests" : NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, data, length);
}

void
cf_fake_vt_reply_data (SoupServerMessage *msg,
                       JsonNode          *data,
                       JsonNode          *meta)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_add_value (builder, data);
  if (meta != NULL)
    {
      json_builder_set_member_name (builder, "meta");
      json_builder_add_value (builder, meta);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  cf_fake_vt_reply_json (msg, SOUP_STATUS_OK, root);
}

void
cf_fake_vt_reply_error (CfFakeVt          *self,
                        SoupServerMessage *msg,
                        guint              status,
                        const char        *code,
                        const char        *message)
{
  g_autoptr(JsonNode) root = cf_fake_vt_report_error (code, message);

  if (status == 401 || status == 429)
    {
      g_mutex_lock (&self->mutex);
      self->counts[status == 401 ? CF_FAKE_VT_COUNT_401 : CF_FAKE_VT_COUNT_429]++;
      g_mutex_unlock (&self->mutex);
    }

  cf_fake_vt_reply_json (msg, status, root);
}

void
cf_fake_vt_reply_text (SoupServerMessage *msg,
                       guint              status,
                       const char        *content_type,
                       const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, text, strlen (text));
}

void
cf_fake_vt_reply_too_large (SoupServerMessage *msg)
{
  /* What a front end in front of the API answers: HTML, not the API's JSON. */
  cf_fake_vt_reply_text (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "text/html; charset=UTF-8",
                         "<!DOCTYPE html>\n"
                         "<html><head><title>413 Request Entity Too Large</title></head>\n"
                         "<body><h1>Request Entity Too Large</h1>\n"
                         "<p>Your client issued a request that was too large.</p></body></html>\n");
}

void
cf_fake_vt_reply_not_found (CfFakeVt          *self,
                            SoupServerMessage *msg,
                            const char        *what)
{
  g_autofree char *message = g_strdup_printf ("%s not found", what);

  cf_fake_vt_reply_error (self, msg, SOUP_STATUS_NOT_FOUND, "NotFoundError", message);
}

/* Must be called with the mutex held. */
static JsonNode *
analysis_descriptor_locked (CfFakeVt               *self,
                            const CfFakeVtAnalysis *analysis)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *link = g_strdup_printf ("%s/analyses/%s", self->base_url, analysis->id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "analysis");
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, analysis->id);
  json_builder_set_member_name (builder, "links");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "self");
  json_builder_add_string_value (builder, link);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Must be called with the mutex held. */
static CfFakeVtAnalysis *
analysis_new_locked (CfFakeVt               *self,
                     const CfFakeVtFile     *file,
                     const char             *filename,
                     const CfFakeVtVerdict  *verdict)
{
  CfFakeVtAnalysis *analysis = g_new0 (CfFakeVtAnalysis, 1);
  g_autofree char *raw = NULL;

  /* Opaque to clients; base64 like the real ones, made URL-safe. */
  /* 70 bytes, so the id ends in "==" padding as real ids do: a client
   * must send it as it is, not percent-encoded. */
  raw = g_strdup_printf ("%s:%05u", file->sha256, ++self->analysis_serial % 100000);
  analysis->id = g_base64_encode ((const guchar *) raw, strlen (raw));
  g_strdelimit (analysis->id, "+", '-');
  g_strdelimit (analysis->id, "/", '_');

  analysis->sha256 = g_strdup (file->sha256);
  analysis->sha1 = g_strdup (file->sha1);
  analysis->md5 = g_strdup (file->md5);
  analysis->size = file->size;
  analysis->filename = g_strdup (filename);
  analysis->type_description = g_strdup (file->type_description);
  analysis->verdict = *verdict;
  analysis->not_found_polls = self->not_found_polls;
  analysis->queued_polls = self->queued_polls;
  analysis->in_progress_polls = self->in_progress_polls;
  analysis->date = g_get_real_time () / G_USEC_PER_SEC;

  g_hash_table_insert (self->analyses, analysis->id, analysis);

  return analysis;
}

/* Must be called with the mutex held. Once analysed, a file is known. */
static void
analysis_complete_locked (CfFakeVt         *self,
                          CfFakeVtAnalysis *analysis)
{
  CfFakeVtFile *file;

  if (analysis->completed)
    return;

  analysis->completed = TRUE;
  file = g_hash_table_lookup (self->files, analysis->sha256);
  if (file == NULL)
    {
      file = cf_fake_vt_file_new (analysis->sha256, analysis->sha1, analysis->md5,
                                  analysis->size, analysis->type_description,
                                  &analysis->verdict);
      file->first_submission_date = analysis->date;
      cf_fake_vt_add_file_locked (self, file);
    }

  file->last_analysis_date = g_get_real_time () / G_USEC_PER_SEC;
  file->last_submission_date = analysis->date;
  cf_fake_vt_file_add_name (file, analysis->filename);
}

/* Endpoints */

void
cf_fake_vt_handle_lookup (CfFakeVt          *self,
                          SoupServerMessage *msg,
                          Request           *request)
{
  JsonNode *data = NULL;
  CfFakeVtFile *file;

  g_mutex_lock (&self->mutex);
  file = cf_fake_vt_find_file_locked (self, request->argument);
  if (file != NULL)
    {
      file->lookups++;
      data = cf_fake_vt_report_file_object (file, self->base_url);
    }
  g_mutex_unlock (&self->mutex);

  if (data == NULL)
    {
      g_autofree char *what = g_strdup_printf ("File \"%s\"", request->argument);

      cf_fake_vt_reply_not_found (self, msg, what);
      return;
    }

  cf_fake_vt_reply_data (msg, data, NULL);
}

void
cf_fake_vt_handle_upload (CfFakeVt          *self,
                          SoupServerMessage *msg,
                          Request           *request)
{
  UploadBody *body = g_object_get_data (G_OBJECT (msg), CF_FAKE_VT_UPLOAD_BODY_KEY);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GBytes) flat = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CfFakeVtFilePart) part = { 0, };
  g_autoptr(CfFakeVtFile) content = NULL;
  g_autofree char *md5 = NULL;
  g_autofree char *sha1 = NULL;
  g_autofree char *sha256 = NULL;
  const CfFakeVtFile *known;
  CfFakeVtAnalysis *analysis;
  JsonNode *data;
  const char *mime;
  const guint8 *bytes;
  gsize length;
  goffset limit;

  if (request->route == ROUTE_UPLOAD_TOKEN)
    {
      gboolean known_token;

      g_mutex_lock (&self->mutex);
      known_token = g_hash_table_remove (self->upload_tokens, request->argument);
      g_mutex_unlock (&self->mutex);

      if (!known_token)
        {
          cf_fake_vt_reply_not_found (self, msg, "Upload URL");
          return;
        }
    }

  if (body != NULL && body->too_large)
    {
      cf_fake_vt_reply_too_large (msg);
      return;
    }

  if (body != NULL)
    {
      bytes = body->data->data;
      length = body->data->len;
    }
  else
    {
      flat = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      bytes = g_bytes_get_data (flat, &length);
    }

  mime = soup_message_headers_get_content_type (headers, &params);
  if (mime == NULL || g_ascii_strcasecmp (mime, "multipart/form-data") != 0)
    {
      cf_fake_vt_reply_error (self, msg, SOUP_STATUS_BAD_REQUEST, "BadRequestError",
                              "Expected a multipart/form-data body");
      return;
    }

  if (!cf_fake_vt_multipart_find_file (bytes, length,
                                       params ? g_hash_table_lookup (params, "boundary") : NULL,
                                       &part, &error))
    {
      cf_fake_vt_reply_error (self, msg, SOUP_STATUS_BAD_REQUEST, "BadRequestError",
                              error->message);
      return;
    }

  if (!part.found)
    {
      cf_fake_vt_reply_error (self, msg, SOUP_STATUS_BAD_REQUEST, "BadRequestError",
                              "The form has no part named \"file\"");
      return;
    }

  g_mutex_lock (&self->mutex);
  g_free (self->last_upload_filename);
  self->last_upload_filename = g_strdup (part.filename);
  self->last_upload_size = part.length;
  limit = request->route == ROUTE_UPLOAD ? self->max_direct_upload : CF_FAKE_VT_MAX_URL_UPLOAD;
  g_mutex_unlock (&self->mutex);

  /* The real upload front end turns these away. */
  if (part.extended_filename)
    {
      cf_fake_vt_reply_error (self, msg, SOUP_STATUS_BAD_REQUEST, "BadRequestError",
                              "The filename* parameter is not supported");
      return;
    }

  if ((goffset) part.length > limit)
    {
      cf_fake_vt_reply_too_large (msg);
      return;
    }

  cf_fake_vt_hash_data (bytes + part.offset, part.length, &md5, &sha1, &sha256);

  g_mutex_lock (&self->mutex);
  known = g_hash_table_lookup (self->files, sha256);
  content = cf_fake_vt_file_new (sha256, sha1, md5, part.length,
                                 cf_fake_vt_guess_type (bytes + part.offset, part.length),
                                 known ? &known->verdict : &self->upload_verdict);
  analysis = analysis_new_locked (self, content, part.filename, &content->verdict);
  data = analysis_descriptor_locked (self, analysis);
  g_mutex_unlock (&self->mutex);

  cf_fake_vt_reply_data (msg, data, NULL);
}

void
cf_fake_vt_handle_upload_url (CfFakeVt          *self,
                              SoupServerMessage *msg)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(GString) token = g_string_new (NULL);
  g_autofree char *url = NULL;

  for (const char *p = uuid; *p != '\0'; p++)
    {
      if (*p != '-')
        g_string_append_c (token, *p);
    }

  g_mutex_lock (&self->mutex);
  g_hash_table_add (self->upload_tokens, g_strdup (token->str));
  url = g_strdup_printf ("%s/_upload/%s",
                         self->upload_url_base ? self->upload_url_base : self->origin,
                         token->str);
  g_mutex_unlock (&self->mutex);

  cf_fake_vt_reply_data (msg, json_node_init_string (json_node_alloc (), url), NULL);
}

void
cf_fake_vt_handle_rescan (CfFakeVt          *self,
                          SoupServerMessage *msg,
                          Request           *request)
{
  JsonNode *data = NULL;
  CfFakeVtFile *file;

  g_mutex_lock (&self->mutex);
  file = cf_fake_vt_find_file_locked (self, request->argument);
  if (file != NULL)
    {
      const char *name = file->names->len > 0 ? g_ptr_array_index (file->names, 0) : NULL;
      CfFakeVtAnalysis *analysis = analysis_new_locked (self, file, name, &file->verdict);

      data = analysis_descriptor_locked (self, analysis);
    }
  g_mutex_unlock (&self->mutex);

  if (data == NULL)
    {
      g_autofree char *what = g_strdup_printf ("File \"%s\"", request->argument);

      cf_fake_vt_reply_not_found (self, msg, what);
      return;
    }

  cf_fake_vt_reply_data (msg, data, NULL);
}

static void
add_file_info (JsonBuilder            *builder,
               const CfFakeVtAnalysis *analysis)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file_info");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, analysis->sha256);
  json_builder_set_member_name (builder, "sha1");
  json_builder_add_string_value (builder, analysis->sha1);
  json_builder_set_member_name (builder, "md5");
  json_builder_add_string_value (builder, analysis->md5);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, analysis->size);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

void
cf_fake_vt_handle_analysis (CfFakeVt          *self,
                            SoupServerMessage *msg,
                            Request           *request)
{
  g_autoptr(JsonBuilder) data = json_builder_new ();
  g_autoptr(JsonBuilder) meta = json_builder_new ();
  g_autofree char *link = NULL;
  CfFakeVtAnalysis *analysis;
  const char *status;
  guint n_engines;
  guint poll;

  g_mutex_lock (&self->mutex);
  analysis = g_hash_table_lookup (self->analyses, request->argument);
  if (analysis == NULL || ++analysis->polls <= analysis->not_found_polls)
    {
      g_mutex_unlock (&self->mutex);
      cf_fake_vt_reply_not_found (self, msg, "Analysis");
      return;
    }

  poll = analysis->polls - analysis->not_found_polls;
  if (poll <= analysis->queued_polls)
    {
      status = "queued";
      n_engines = 0;
    }
  else if (poll <= analysis->queued_polls + analysis->in_progress_polls)
    {
      status = "in-progress";
      n_engines = CF_FAKE_VT_N_ENGINES / 2;
    }
  else
    {
      status = "completed";
      n_engines = CF_FAKE_VT_N_ENGINES;
      analysis_complete_locked (self, analysis);
    }

  link = g_strdup_printf ("%s/analyses/%s", self->base_url, analysis->id);

  json_builder_begin_object (data);
  json_builder_set_member_name (data, "type");
  json_builder_add_string_value (data, "analysis");
  json_builder_set_member_name (data, "id");
  json_builder_add_string_value (data, analysis->id);
  json_builder_set_member_name (data, "links");
  json_builder_begin_object (data);
  json_builder_set_member_name (data, "self");
  json_builder_add_string_value (data, link);
  json_builder_end_object (data);
  json_builder_set_member_name (data, "attributes");
  json_builder_begin_object (data);
  json_builder_set_member_name (data, "status");
  json_builder_add_string_value (data, status);
  json_builder_set_member_name (data, "date");
  json_builder_add_int_value (data, analysis->date);
  json_builder_set_member_name (data, "stats");
  cf_fake_vt_report_add_stats (data, &analysis->verdict, n_engines);
  json_builder_set_member_name (data, "results");
  cf_fake_vt_report_add_results (data, &analysis->verdict, n_engines);
  json_builder_end_object (data);
  json_builder_end_object (data);

  add_file_info (meta, analysis);
  g_mutex_unlock (&self->mutex);

  cf_fake_vt_reply_data (msg, json_builder_get_root (data), json_builder_get_root (meta));
}

void
cf_fake_vt_handle_item (CfFakeVt          *self,
                        SoupServerMessage *msg,
                        Request           *request)
{
  JsonNode *data = NULL;
  CfFakeVtAnalysis *analysis;

  g_mutex_lock (&self->mutex);
  analysis = g_hash_table_lookup (self->analyses, request->argument);
  if (analysis != NULL)
    {
      CfFakeVtFile *file = g_hash_table_lookup (self->files, analysis->sha256);

      if (file != NULL)
        data = cf_fake_vt_report_file_object (file, self->base_url);
    }
  g_mutex_unlock (&self->mutex);

  if (data == NULL)
    {
      cf_fake_vt_reply_not_found (self, msg, "Item");
      return;
    }

  cf_fake_vt_reply_data (msg, data, NULL);
}

/* One period: {"allowed", "used"}, or in overall_quotas {"user": {...}}
 * and, for a key in a group, {"group": {..., "inherited_from"}}. */
static void
add_quota (JsonBuilder *builder,
           const char  *name,
           guint64      allowed,
           guint64      group_allowed,
           guint64      used,
           gboolean     nested)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  if (nested)
    {
      if (group_allowed > 0)
        {
          json_builder_set_member_name (builder, "group");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "allowed");
          json_builder_add_int_value (builder, group_allowed);
          json_builder_set_member_name (builder, "inherited_from");
          json_builder_add_string_value (builder, "check-first-testers");
          json_builder_set_member_name (builder, "used");
          json_builder_add_int_value (builder, used);
          json_builder_end_object (builder);
        }
      json_builder_set_member_name (builder, "user");
      json_builder_begin_object (builder);
    }
  json_builder_set_member_name (builder, "allowed");
  json_builder_add_int_value (builder, allowed);
  json_builder_set_member_name (builder, "used");
  json_builder_add_int_value (builder, used);
  if (nested)
    json_builder_end_object (builder);
  json_builder_end_object (builder);
}

void
cf_fake_vt_handle_user (CfFakeVt          *self,
                        SoupServerMessage *msg,
                        Request           *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *link = NULL;
  gboolean quotas_only = request->route == ROUTE_USER_QUOTAS;
  /* hourly, daily, monthly; and what a group allows, where one does */
  guint64 allowed[3];
  guint64 group[3] = { 0, 0, 0 };
  const char * const names[3] = { "api_requests_hourly", "api_requests_daily", "api_requests_monthly" };
  CfFakeVtAccount account;
  guint64 used;
  gboolean known;

  g_mutex_lock (&self->mutex);
  known = g_str_equal (request->argument, self->api_key) ||
          g_str_equal (request->argument, CF_FAKE_VT_USER_ID);
  used = self->quota_used;
  account = self->account;
  allowed[0] = self->quota_per_minute > 0 ? (guint64) self->quota_per_minute * 60 : 3600000;
  allowed[1] = 10000000;
  allowed[2] = 300000000;
  link = g_strdup_printf ("%s/users/%s", self->base_url, CF_FAKE_VT_USER_ID);
  g_mutex_unlock (&self->mutex);

  if (!known)
    {
      cf_fake_vt_reply_error (self, msg, SOUP_STATUS_UNAUTHORIZED, "WrongCredentialsError",
                              "Wrong API key or user");
      return;
    }

  switch (account)
    {
    case CF_FAKE_VT_ACCOUNT_FAILING:
      cf_fake_vt_reply_error (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "TransientError",
                              "Please retry later");
      return;
    case CF_FAKE_VT_ACCOUNT_USERS_ONLY:
      if (quotas_only)
        {
          cf_fake_vt_reply_not_found (self, msg, "Resource");
          return;
        }
      allowed[0] = 120;
      allowed[1] = 300;
      allowed[2] = 9000;
      break;
    case CF_FAKE_VT_ACCOUNT_PUBLIC:
      allowed[0] = 240;
      allowed[1] = 500;
      allowed[2] = 15500;
      break;
    case CF_FAKE_VT_ACCOUNT_PREMIUM:
      allowed[0] = 30000;
      allowed[1] = 1000000;
      allowed[2] = 30000000;
      group[1] = 200000;
      break;
    case CF_FAKE_VT_ACCOUNT_TINY:
      allowed[0] = 60;
      allowed[1] = 20;
      allowed[2] = 100;
      break;
    case CF_FAKE_VT_ACCOUNT_AS_SERVED:
    default:
      break;
    }

  json_builder_begin_object (builder);
  if (!quotas_only)
    {
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "user");
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, CF_FAKE_VT_USER_ID);
      json_builder_set_member_name (builder, "links");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "self");
      json_builder_add_string_value (builder, link);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "attributes");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, "active");
      json_builder_set_member_name (builder, "reputation");
      json_builder_add_int_value (builder, 1);
      json_builder_set_member_name (builder, "quotas");
      json_builder_begin_object (builder);
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    add_quota (builder, names[i], allowed[i], group[i], used, quotas_only);

  if (!quotas_only)
    {
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  cf_fake_vt_reply_data (msg, json_builder_get_root (builder), NULL);
}
