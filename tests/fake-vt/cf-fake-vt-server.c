/* cf-fake-vt-server.c
 *
 * The fake VirusTotal server's request handling: routes, faults, quota, uploads.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cf-fake-vt-private.h"
#include "cf-fake-vt-server.h"

#include <string.h>

/* Room for the multipart framing around a file at the size limit. */
#define MULTIPART_SLACK (1024 * 1024)
#define HUGE_BODY_SIZE (64 * 1024 * 1024)

typedef struct
{
  CfFakeVt          *self;
  SoupServerMessage *msg;
  Request           *request;
  gboolean           finished;
} DelayedReply;

static void handle_api_request (CfFakeVt          *self,
                                SoupServerMessage *msg,
                                Request           *request);

static void
request_free (Request *request)
{
  g_free (request->argument);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
upload_body_free (UploadBody *body)
{
  g_clear_pointer (&body->data, g_byte_array_unref);
  g_free (body);
}

gboolean
cf_fake_vt_fault_parse (const char     *spec,
                        CfFakeVtFault  *fault,
                        GError        **error)
{
  static const struct {
    const char        *name;
    CfFakeVtFaultKind  kind;
  } plain[] = {
    { "503", CF_FAKE_VT_FAULT_503 },
    { "504", CF_FAKE_VT_FAULT_504 },
    { "reset", CF_FAKE_VT_FAULT_RESET },
    { "truncated", CF_FAKE_VT_FAULT_TRUNCATED },
    { "html", CF_FAKE_VT_FAULT_HTML },
    { "429", CF_FAKE_VT_FAULT_429 },
    { "401", CF_FAKE_VT_FAULT_401 },
    { "huge", CF_FAKE_VT_FAULT_HUGE },
    { "500-nonjson", CF_FAKE_VT_FAULT_500_NONJSON },
    { "trickle", CF_FAKE_VT_FAULT_TRICKLE },
  };
  guint64 value;

  memset (fault, 0, sizeof *fault);

  if (spec == NULL)
    spec = "";

  if (g_str_has_prefix (spec, "always:"))
    {
      if (!cf_fake_vt_fault_parse (spec + strlen ("always:"), fault, error))
        return FALSE;
      fault->always = TRUE;
      return TRUE;
    }

  if (g_str_has_prefix (spec, "wrong-id:") && strlen (spec + 9) == 64 &&
      cf_fake_vt_is_hex_hash (spec + 9))
    {
      fault->kind = CF_FAKE_VT_FAULT_WRONG_ID;
      g_strlcpy (fault->hash, spec + 9, sizeof fault->hash);
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      if (g_str_equal (spec, plain[i].name))
        {
          fault->kind = plain[i].kind;
          return TRUE;
        }
    }

  if (g_str_has_prefix (spec, "slow:") &&
      g_ascii_string_to_unsigned (spec + 5, 10, 0, 10 * 60 * 1000, &value, NULL))
    {
      fault->kind = CF_FAKE_VT_FAULT_SLOW;
      fault->argument = (guint) value;
      fault->has_argument = TRUE;
      return TRUE;
    }

  if (g_str_has_prefix (spec, "429:") &&
      g_ascii_string_to_unsigned (spec + 4, 10, 0, 24 * 60 * 60, &value, NULL))
    {
      fault->kind = CF_FAKE_VT_FAULT_429;
      fault->argument = (guint) value;
      fault->has_argument = TRUE;
      return TRUE;
    }

  g_set_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_INVALID_FAULT,
               "Unknown fault “%s”: use 503, 504, reset, slow:MS, truncated, html, "
               "429, 429:SECONDS, 401, huge, 500-nonjson, trickle or wrong-id:SHA256, "
               "optionally after always:", spec);
  return FALSE;
}

static Route
classify (const char  *method,
          const char  *path,
          char       **argument)
{
  g_auto(GStrv) parts = NULL;
  gboolean get = g_strcmp0 (method, SOUP_METHOD_GET) == 0;
  gboolean post = g_strcmp0 (method, SOUP_METHOD_POST) == 0;
  guint n;

  if (g_str_has_prefix (path, "/_upload/"))
    {
      const char *token = path + strlen ("/_upload/");

      if (!post || *token == '\0' || strchr (token, '/') != NULL)
        return ROUTE_UNKNOWN;
      if (argument != NULL)
        *argument = g_strdup (token);
      return ROUTE_UPLOAD_TOKEN;
    }

  if (g_str_equal (path, "/api/v3"))
    return ROUTE_UNKNOWN;
  if (!g_str_has_prefix (path, "/api/v3/"))
    return ROUTE_OUTSIDE;

  /* Paths are exact: an empty segment (a trailing or doubled slash) names nothing. */
  parts = g_strsplit (path + strlen ("/api/v3/"), "/", -1);
  n = g_strv_length (parts);
  for (guint i = 0; i < n; i++)
    {
      if (*parts[i] == '\0')
        return ROUTE_UNKNOWN;
    }

#define IS(i, word) (n > (i) && g_str_equal (parts[i], word))
  if (n == 1 && IS (0, "files") && post)
    return ROUTE_UPLOAD;
  if (n == 2 && IS (0, "files") && IS (1, "upload_url") && get)
    return ROUTE_UPLOAD_URL;

  if (argument != NULL && n >= 2)
    *argument = g_strdup (parts[1]);

  if (n == 2 && IS (0, "files") && get)
    return ROUTE_LOOKUP;
  if (n == 3 && IS (0, "files") && IS (2, "analyse") && post)
    return ROUTE_RESCAN;
  if (n == 2 && IS (0, "analyses") && get)
    return ROUTE_ANALYSIS;
  if (n == 3 && IS (0, "analyses") && IS (2, "item") && get)
    return ROUTE_ITEM;
  if (n == 2 && IS (0, "users") && get)
    return ROUTE_USER;
  if (n == 3 && IS (0, "users") && IS (2, "overall_quotas") && get)
    return ROUTE_USER_QUOTAS;
#undef IS

  return ROUTE_UNKNOWN;
}

/* The checks every API request passes, in the real service's order. */

static gboolean
check_key (CfFakeVt          *self,
           SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (headers, "x-apikey");
  gboolean right;

  if (key == NULL || *key == '\0')
    {
      cf_fake_vt_reply_error (self, msg, SOUP_STATUS_UNAUTHORIZED, "AuthenticationRequiredError",
                              "X-Apikey header is missing");
      return FALSE;
    }

  g_mutex_lock (&self->mutex);
  right = g_str_equal (key, self->api_key);
  g_mutex_unlock (&self->mutex);

  if (!right)
    {
      cf_fake_vt_reply_error (self, msg, SOUP_STATUS_UNAUTHORIZED, "WrongCredentialsError",
                              "Wrong API key");
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_quota (CfFakeVt          *self,
             SoupServerMessage *msg,
             Request           *request)
{
  gboolean over = FALSE;

  /* Getting an upload URL costs nothing. */
  if (request->route == ROUTE_UPLOAD_URL)
    return TRUE;

  g_mutex_lock (&self->mutex);
  if (self->quota_per_minute > 0)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 window_start = now - (gint64) self->quota_window * G_USEC_PER_SEC;
      guint expired = 0;

      while (expired < self->quota_stamps->len &&
             g_array_index (self->quota_stamps, gint64, expired) <= window_start)
        expired++;
      g_array_remove_range (self->quota_stamps, 0, expired);

      if (self->quota_stamps->len >= self->quota_per_minute)
        over = TRUE;
      else
        g_array_append_val (self->quota_stamps, now);
    }
  if (!over)
    self->quota_used++;
  g_mutex_unlock (&self->mutex);

  if (over)
    {
      cf_fake_vt_reply_error (self, msg, CF_FAKE_VT_STATUS_TOO_MANY_REQUESTS, "QuotaExceededError",
                              "Quota exceeded");
      return FALSE;
    }

  return TRUE;
}

static void
handle_api_request (CfFakeVt          *self,
                    SoupServerMessage *msg,
                    Request           *request)
{
  if (!check_key (self, msg) || !check_quota (self, msg, request))
    return;

  switch (request->route)
    {
    case ROUTE_LOOKUP:
      cf_fake_vt_handle_lookup (self, msg, request);
      break;

    case ROUTE_UPLOAD:
    case ROUTE_UPLOAD_TOKEN:
      cf_fake_vt_handle_upload (self, msg, request);
      break;

    case ROUTE_UPLOAD_URL:
      cf_fake_vt_handle_upload_url (self, msg);
      break;

    case ROUTE_RESCAN:
      cf_fake_vt_handle_rescan (self, msg, request);
      break;

    case ROUTE_ANALYSIS:
      cf_fake_vt_handle_analysis (self, msg, request);
      break;

    case ROUTE_ITEM:
      cf_fake_vt_handle_item (self, msg, request);
      break;

    case ROUTE_USER:
    case ROUTE_USER_QUOTAS:
      cf_fake_vt_handle_user (self, msg, request);
      break;

    case ROUTE_OUTSIDE:
    case ROUTE_UNKNOWN:
    default:
      cf_fake_vt_reply_not_found (self, msg, "Resource");
      break;
    }
}

/* Faults */

static void
delayed_reply_free (DelayedReply *delayed)
{
  g_signal_handlers_disconnect_by_data (delayed->msg, delayed);
  g_object_unref (delayed->msg);
  request_free (delayed->request);
  g_free (delayed);
}

static void
on_delayed_finished (SoupServerMessage *msg,
                     DelayedReply      *delayed)
{
  delayed->finished = TRUE;
}

static gboolean
on_slow_timeout (gpointer user_data)
{
  DelayedReply *delayed = user_data;

  if (!delayed->finished)
    {
      handle_api_request (delayed->self, delayed->msg, delayed->request);
      soup_server_message_unpause (delayed->msg);
    }

  return G_SOURCE_REMOVE;
}

static gboolean
on_reset_idle (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);

  return G_SOURCE_REMOVE;
}

static void
truncate_response (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) whole = soup_message_body_flatten (body);
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) / 2);

  soup_message_body_truncate (body);
  soup_message_body_append_bytes (body, half);
  soup_message_headers_set_content_length (headers, g_bytes_get_size (half));
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static void
reply_huge (SoupServerMessage *msg)
{
  static const char head[] = "{\"data\": {\"type\": \"file\", \"id\": \"huge\", "
                             "\"attributes\": {\"padding\": \"";
  static const char tail[] = "\"}}}";
  char *data = g_malloc (HUGE_BODY_SIZE);

  memcpy (data, head, strlen (head));
  memset (data + strlen (head), 'A', HUGE_BODY_SIZE - strlen (head) - strlen (tail));
  memcpy (data + HUGE_BODY_SIZE - strlen (tail), tail, strlen (tail));

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    data, HUGE_BODY_SIZE);
}

/* A well-formed report, but about @sha256, whatever was asked: a clean file
 * of that name, as a confused or hostile server would answer. */
static void
reply_wrong_id (CfFakeVt          *self,
                SoupServerMessage *msg,
                const char        *sha256)
{
  g_autofree char *md5 = NULL;
  g_autofree char *sha1 = NULL;
  CfFakeVtVerdict clean = { 0 };
  CfFakeVtFile *file;
  JsonNode *data;

  cf_fake_vt_derive_fake_hashes (sha256, &md5, &sha1);
  file = cf_fake_vt_file_new (sha256, sha1, md5, 68, "Text", &clean);
  data = cf_fake_vt_report_file_object (file, self->base_url);
  cf_fake_vt_file_free (file);
  cf_fake_vt_reply_data (msg, data, NULL);
}

/* An analysis poll answered with a completed analysis, under the id
 * asked, of another file than the one the analysis is about. */
static void
reply_wrong_analysis (CfFakeVt          *self,
                      SoupServerMessage *msg,
                      const char        *analysis_id,
                      const char        *sha256)
{
  g_autoptr(JsonBuilder) data = json_builder_new ();
  g_autoptr(JsonBuilder) meta = json_builder_new ();
  CfFakeVtVerdict clean = { 0 };

  json_builder_begin_object (data);
  json_builder_set_member_name (data, "type");
  json_builder_add_string_value (data, "analysis");
  json_builder_set_member_name (data, "id");
  json_builder_add_string_value (data, analysis_id);
  json_builder_set_member_name (data, "attributes");
  json_builder_begin_object (data);
  json_builder_set_member_name (data, "status");
  json_builder_add_string_value (data, "completed");
  json_builder_set_member_name (data, "date");
  json_builder_add_int_value (data, g_get_real_time () / G_USEC_PER_SEC);
  json_builder_set_member_name (data, "stats");
  cf_fake_vt_report_add_stats (data, &clean, CF_FAKE_VT_N_ENGINES);
  json_builder_set_member_name (data, "results");
  cf_fake_vt_report_add_results (data, &clean, CF_FAKE_VT_N_ENGINES);
  json_builder_end_object (data);
  json_builder_end_object (data);

  json_builder_begin_object (meta);
  json_builder_set_member_name (meta, "file_info");
  json_builder_begin_object (meta);
  json_builder_set_member_name (meta, "sha256");
  json_builder_add_string_value (meta, sha256);
  json_builder_end_object (meta);
  json_builder_end_object (meta);

  cf_fake_vt_reply_data (msg, json_builder_get_root (data), json_builder_get_root (meta));
}

/* A reply that starts well and then comes one byte a second, never
 * reaching the length it announced within any test's lifetime. */
typedef struct
{
  SoupServerMessage *msg;
  GBytes            *rest;
  gsize              sent;
  gboolean           finished;
} Trickle;

static void
trickle_free (Trickle *trickle)
{
  g_signal_handlers_disconnect_by_data (trickle->msg, trickle);
  g_object_unref (trickle->msg);
  g_bytes_unref (trickle->rest);
  g_free (trickle);
}

static void
on_trickle_finished (SoupServerMessage *msg,
                     Trickle           *trickle)
{
  trickle->finished = TRUE;
}

static gboolean
on_trickle_tick (gpointer user_data)
{
  Trickle *trickle = user_data;
  SoupMessageBody *body;

  /* Keep the last byte back: the reply never completes. */
  if (trickle->finished || trickle->sent + 1 >= g_bytes_get_size (trickle->rest))
    return trickle->finished ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;

  body = soup_server_message_get_response_body (trickle->msg);
  soup_message_body_append (body, SOUP_MEMORY_COPY,
                            (const char *) g_bytes_get_data (trickle->rest, NULL) + trickle->sent, 1);
  trickle->sent++;
  soup_server_message_unpause (trickle->msg);
  return G_SOURCE_CONTINUE;
}

static void
on_trickle_wrote_chunk (SoupServerMessage *msg,
                        Trickle           *trickle)
{
  soup_server_message_pause (msg);
}

static void
start_trickle (CfFakeVt          *self,
               SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) whole = soup_message_body_flatten (body);
  gsize half = g_bytes_get_size (whole) / 2;
  g_autoptr(GSource) source = g_timeout_source_new_seconds (1);
  Trickle *trickle = g_new0 (Trickle, 1);

  trickle->msg = g_object_ref (msg);
  trickle->rest = g_bytes_new_from_bytes (whole, half, g_bytes_get_size (whole) - half);
  soup_message_body_truncate (body);
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CONTENT_LENGTH);
  soup_message_headers_set_content_length (headers, g_bytes_get_size (whole));
  soup_message_body_append (body, SOUP_MEMORY_COPY, g_bytes_get_data (whole, NULL), half);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_trickle_wrote_chunk), trickle);
  g_signal_connect (msg, "finished", G_CALLBACK (on_trickle_finished), trickle);

  g_source_set_callback (source, on_trickle_tick, trickle, (GDestroyNotify) trickle_free);
  g_source_attach (source, self->context);
}

/* Takes @request. */
static void
apply_fault (CfFakeVt            *self,
             SoupServerMessage   *msg,
             Request             *request,
             const CfFakeVtFault *fault)
{
  g_autoptr(Request) owned = request;

  switch (fault->kind)
    {
    case CF_FAKE_VT_FAULT_503:
      cf_fake_vt_reply_error (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "TransientError",
                              "Transient error, please try again later");
      break;

    case CF_FAKE_VT_FAULT_504:
      cf_fake_vt_reply_error (self, msg, SOUP_STATUS_GATEWAY_TIMEOUT, "DeadlineExceededError",
                              "Deadline exceeded");
      break;

    case CF_FAKE_VT_FAULT_429:
      cf_fake_vt_reply_error (self, msg, CF_FAKE_VT_STATUS_TOO_MANY_REQUESTS, "QuotaExceededError",
                              "Quota exceeded");
      if (fault->has_argument)
        {
          g_autofree char *seconds = g_strdup_printf ("%u", fault->argument);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Retry-After", seconds);
        }
      break;

    case CF_FAKE_VT_FAULT_401:
      cf_fake_vt_reply_error (self, msg, SOUP_STATUS_UNAUTHORIZED, "WrongCredentialsError",
                              "Wrong API key");
      break;

    case CF_FAKE_VT_FAULT_HTML:
      cf_fake_vt_reply_text (msg, SOUP_STATUS_OK, "text/html; charset=UTF-8",
                             "<!DOCTYPE html>\n"
                             "<html><head><title>Sign in to the network</title></head>\n"
                             "<body><h1>Welcome to the café Wi-Fi</h1>\n"
                             "<p>Accept the terms to get online.</p></body></html>\n");
      break;

    case CF_FAKE_VT_FAULT_500_NONJSON:
      cf_fake_vt_reply_text (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/html; charset=UTF-8",
                             "<html><head><title>500 Internal Server Error</title></head>\n"
                             "<body><h1>Internal Server Error</h1></body></html>\n");
      break;

    case CF_FAKE_VT_FAULT_HUGE:
      reply_huge (msg);
      break;

    case CF_FAKE_VT_FAULT_WRONG_ID:
      if (request->route == ROUTE_ANALYSIS)
        reply_wrong_analysis (self, msg, request->argument, fault->hash);
      else
        reply_wrong_id (self, msg, fault->hash);
      break;

    case CF_FAKE_VT_FAULT_TRICKLE:
      handle_api_request (self, msg, request);
      start_trickle (self, msg);
      break;

    case CF_FAKE_VT_FAULT_TRUNCATED:
      handle_api_request (self, msg, request);
      truncate_response (msg);
      break;

    case CF_FAKE_VT_FAULT_SLOW:
      {
        g_autoptr(GSource) source = g_timeout_source_new (fault->argument);
        DelayedReply *delayed = g_new0 (DelayedReply, 1);

        delayed->self = self;
        delayed->msg = g_object_ref (msg);
        delayed->request = g_steal_pointer (&owned);
        g_signal_connect (msg, "finished", G_CALLBACK (on_delayed_finished), delayed);

        /* Paused, the server goes on serving others while this one waits. */
        soup_server_message_pause (msg);
        g_source_set_callback (source, on_slow_timeout, delayed,
                               (GDestroyNotify) delayed_reply_free);
        g_source_attach (source, self->context);
      }
      break;

    case CF_FAKE_VT_FAULT_RESET:
      {
        g_autoptr(GSource) source = g_idle_source_new ();

        /* Stealing the connection inside the handler would pull it from
         * under libsoup's feet: pause, and do it from the main loop. */
        soup_server_message_pause (msg);
        g_source_set_callback (source, on_reset_idle, g_object_ref (msg), g_object_unref);
        g_source_attach (source, self->context);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Server callbacks */

static void
on_upload_chunk (SoupServerMessage *msg,
                 GBytes            *chunk,
                 gpointer           user_data)
{
  UploadBody *body = g_object_get_data (G_OBJECT (msg), CF_FAKE_VT_UPLOAD_BODY_KEY);
  gsize size = g_bytes_get_size (chunk);

  if (body == NULL || body->too_large)
    return;

  if (body->data->len + size > body->limit)
    {
      body->too_large = TRUE;
      g_clear_pointer (&body->data, g_byte_array_unref);
      return;
    }

  g_byte_array_append (body->data, g_bytes_get_data (chunk, NULL), size);
}

/* Runs once the headers are in: an upload body goes straight into one buffer
 * instead of libsoup's list of 8 KiB chunks, so it is held once, not twice. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  CfFakeVt *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Route route = classify (soup_server_message_get_method (msg), path, NULL);
  UploadBody *body;
  goffset max_direct;

  if (route != ROUTE_UPLOAD && route != ROUTE_UPLOAD_TOKEN)
    return;

  g_mutex_lock (&self->mutex);
  max_direct = self->max_direct_upload;
  g_mutex_unlock (&self->mutex);

  body = g_new0 (UploadBody, 1);
  body->limit = (route == ROUTE_UPLOAD ? MIN (max_direct, CF_FAKE_VT_MAX_URL_UPLOAD)
                                       : CF_FAKE_VT_MAX_URL_UPLOAD) + MULTIPART_SLACK;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      goffset length = soup_message_headers_get_content_length (headers);

      if (length < 0 || (gsize) length > body->limit)
        body->too_large = TRUE;
      else
        body->data = g_byte_array_sized_new ((guint) length);
    }
  else
    {
      body->data = g_byte_array_new ();
    }

  g_object_set_data_full (G_OBJECT (msg), CF_FAKE_VT_UPLOAD_BODY_KEY, body,
                          (GDestroyNotify) upload_body_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_upload_chunk), NULL);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  CfFakeVt *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (headers, "x-apikey");
  g_autoptr(Request) request = g_new0 (Request, 1);
  CfFakeVtFault *fault = NULL;
  CfFakeVtCount route_count = CF_FAKE_VT_N_COUNTS;

  if (g_str_has_prefix (path, "/_fake/"))
    {
      cf_fake_vt_handle_control (self, msg, path, query);
      return;
    }

  request->route = classify (soup_server_message_get_method (msg), path, &request->argument);
  if (request->route == ROUTE_OUTSIDE)
    {
      cf_fake_vt_reply_not_found (self, msg, "Resource");
      return;
    }

  switch (request->route)
    {
    case ROUTE_LOOKUP:
      route_count = CF_FAKE_VT_COUNT_LOOKUPS;
      break;
    case ROUTE_UPLOAD:
    case ROUTE_UPLOAD_TOKEN:
      route_count = CF_FAKE_VT_COUNT_UPLOADS;
      break;
    case ROUTE_UPLOAD_URL:
      route_count = CF_FAKE_VT_COUNT_UPLOAD_URLS;
      break;
    case ROUTE_ANALYSIS:
      route_count = CF_FAKE_VT_COUNT_ANALYSIS_POLLS;
      break;
    case ROUTE_USER:
    case ROUTE_USER_QUOTAS:
      route_count = CF_FAKE_VT_COUNT_USERS;
      break;
    case ROUTE_RESCAN:
      route_count = CF_FAKE_VT_COUNT_RESCANS;
      break;
    case ROUTE_OUTSIDE:
    case ROUTE_UNKNOWN:
    case ROUTE_ITEM:
    default:
      break;
    }

  g_mutex_lock (&self->mutex);
  self->counts[CF_FAKE_VT_COUNT_REQUESTS]++;
  if (route_count != CF_FAKE_VT_N_COUNTS)
    self->counts[route_count]++;
  if (key == NULL || !g_str_equal (key, self->api_key))
    self->counts[CF_FAKE_VT_COUNT_KEYLESS]++;
  fault = g_queue_peek_head (&self->faults);
  if (fault != NULL && fault->always)
    fault = g_memdup2 (fault, sizeof *fault);
  else
    fault = g_queue_pop_head (&self->faults);
  if (fault != NULL)
    self->counts[CF_FAKE_VT_COUNT_FAULTS]++;
  g_mutex_unlock (&self->mutex);

  if (fault != NULL)
    {
      apply_fault (self, msg, g_steal_pointer (&request), fault);
      g_free (fault);
      return;
    }

  handle_api_request (self, msg, request);
}

void
cf_fake_vt_server_setup (CfFakeVt   *self,
                         SoupServer *server)
{
  soup_server_add_early_handler (server, NULL, early_handler, self, NULL);
  soup_server_add_handler (server, NULL, handler, self, NULL);
}
