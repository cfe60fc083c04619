/* cf-vt-client.c: the VirusTotal API v3, over libsoup, through the scheduler
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every request takes a slot from the scheduler first, so no Check First
 * process ever spends more than the budget.  A 429 pauses the scheduler
 * and the request waits its turn again; it is never the item's failure.
 * The API key travels in the x-apikey header to the configured origin and
 * nowhere else: redirects are not followed, upload URLs on another origin
 * are refused, and no message or log line ever contains the key.  Only the
 * account's allowance is read at an address with the key in it: the
 * request's address is never put in a message or a log line, by this file
 * or by anything it hands it to.
 */

#define G_LOG_DOMAIN "check-first-vt-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "cf-multipart.h"
#include "cf-vt-client.h"

#define CF_MAX_REPLY_SIZE (16 * 1024 * 1024)
#define CF_READ_CHUNK (64 * 1024)
#define CF_MAX_TRANSIENT_ATTEMPTS 4
#define CF_DEFAULT_TIMEOUT 60
#define CF_UPLOAD_PROGRESS_INTERVAL_US (100 * 1000)
#define CF_UPLOAD_BUFFER_SIZE (1024 * 1024)
/* The one hash whose lookup proves a key works without putting the key in
 * a URL: the empty file. */
#define CF_EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct _CfVtClient
{
  GObject      parent_instance;

  char        *base_url;
  GUri        *base_uri;
  char        *api_key;
  SoupSession *session;
  CfScheduler *scheduler;
  guint        requests_sent;
};

G_DEFINE_FINAL_TYPE (CfVtClient, cf_vt_client, G_TYPE_OBJECT)

static void
cf_vt_client_finalize (GObject *object)
{
  CfVtClient *self = CF_VT_CLIENT (object);

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  if (self->api_key != NULL)
    {
      memset (self->api_key, 0, strlen (self->api_key));
      g_clear_pointer (&self->api_key, g_free);
    }
  g_clear_object (&self->session);
  g_clear_object (&self->scheduler);

  G_OBJECT_CLASS (cf_vt_client_parent_class)->finalize (object);
}

static void
cf_vt_client_class_init (CfVtClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cf_vt_client_finalize;
}

static void
cf_vt_client_init (CfVtClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("check-first/%s; gzip", PACKAGE_VERSION);

  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", CF_DEFAULT_TIMEOUT,
                                                 "idle-timeout", 60,
                                                 "max-conns-per-host", 8,
                                                 NULL);
  if (!soup_session_has_feature (self->session, SOUP_TYPE_CONTENT_DECODER))
    soup_session_add_feature_by_type (self->session, SOUP_TYPE_CONTENT_DECODER);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
cf_vt_check_base_url (const char  *url,
                      GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_INSECURE_URL,
                           _("The VirusTotal API address is not a valid URL."));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (g_uri_get_host (uri)))
    return TRUE;

  g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_INSECURE_URL,
                       _("The VirusTotal API address must use https://. Plain http:// is allowed only "
                         "for this computer (a loopback address), because the API key would travel "
                         "unencrypted."));
  return FALSE;
}

/* CHECK_FIRST_CA_FILE names the certificate authorities to trust instead of
 * the system's: a proxy that inspects TLS, or the test server.  A file that
 * cannot be read is an error, never a silent fall-back to the system's. */
static gboolean
cf_vt_client_load_ca_file (CfVtClient  *self,
                           GError     **error)
{
  const char *ca_file = g_getenv ("CHECK_FIRST_CA_FILE");
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) local_error = NULL;

  if (ca_file == NULL || *ca_file == '\0')
    return TRUE;

  database = g_tls_file_database_new (ca_file, &local_error);
  if (database == NULL)
    {
      g_set_error (error, CF_VT_ERROR, CF_VT_ERROR_TLS,
                   _("The certificate authorities in CHECK_FIRST_CA_FILE could not be read: %s"),
                   local_error->message);
      return FALSE;
    }
  soup_session_set_tls_database (self->session, database);
  return TRUE;
}

CfVtClient *
cf_vt_client_new (const char   *base_url,
                  const char   *api_key,
                  CfScheduler  *scheduler,
                  GError      **error)
{
  g_autoptr(CfVtClient) self = NULL;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (CF_IS_SCHEDULER (scheduler), NULL);

  if (base_url == NULL || *base_url == '\0')
    base_url = CF_VT_DEFAULT_API_URL;
  if (!cf_vt_check_base_url (base_url, error))
    return NULL;

  if (api_key == NULL || *api_key == '\0')
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_NO_KEY,
                           _("No VirusTotal API key is set. Get a free key at "
                             "https://www.virustotal.com/gui/join-us, then save it in Preferences "
                             "or set VT_API_KEY."));
      return NULL;
    }
  for (const char *p = api_key; *p; p++)
    if (!g_ascii_isgraph (*p))
      {
        g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_WRONG_KEY,
                             _("The VirusTotal API key contains spaces or invisible characters. "
                               "Copy it again from your VirusTotal profile."));
        return NULL;
      }

  self = g_object_new (CF_TYPE_VT_CLIENT, NULL);
  trimmed = g_strdup (base_url);
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  self->base_url = g_steal_pointer (&trimmed);
  self->base_uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  self->api_key = g_strdup (api_key);
  self->scheduler = g_object_ref (scheduler);

  if (!cf_vt_client_load_ca_file (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
cf_vt_client_get_base_url (CfVtClient *self)
{
  g_return_val_if_fail (CF_IS_VT_CLIENT (self), NULL);
  return self->base_url;
}

CfScheduler *
cf_vt_client_get_scheduler (CfVtClient *self)
{
  g_return_val_if_fail (CF_IS_VT_CLIENT (self), NULL);
  return self->scheduler;
}

void
cf_vt_client_set_tls_database (CfVtClient   *self,
                               GTlsDatabase *database)
{
  g_return_if_fail (CF_IS_VT_CLIENT (self));
  soup_session_set_tls_database (self->session, database);
}

void
cf_vt_client_set_timeout (CfVtClient *self,
                          guint       seconds)
{
  g_return_if_fail (CF_IS_VT_CLIENT (self));
  soup_session_set_timeout (self->session, seconds);
}

guint
cf_vt_client_get_requests_sent (CfVtClient *self)
{
  g_return_val_if_fail (CF_IS_VT_CLIENT (self), 0);
  return self->requests_sent;
}

/* ------------------------------------------------------------------ */
/* One logical request: slot, send, read, retry                         */
/* ------------------------------------------------------------------ */

typedef GInputStream *(*BodyFunc) (gpointer   user_data,
                                   goffset   *length,
                                   char     **content_type,
                                   GError   **error);

typedef struct
{
  CfVtClient           *client;
  char                 *method;
  char                 *url;
  char                 *asked;         /* the hash or analysis id the reply must be about */
  CfPriority            priority;
  gboolean              uses_budget;
  gboolean              no_wait;       /* a slot now or never: see cf_scheduler_try_acquire() */
  guint                 transient_attempts;
  GByteArray           *reply;
  guint                 status;
  SoupMessage          *message;

  /* One attempt's whole exchange, from sending to the last byte, has a
   * deadline: libsoup's timeout is per read, and a server that sends a byte
   * now and then would hold a request for ever. */
  GCancellable         *attempt;
  GCancellable         *linked;        /* the caller's, while attempt follows it */
  gulong                attempt_link;
  GSource              *deadline;
  gboolean              deadline_hit;

  /* uploads only */
  BodyFunc              body_func;
  gpointer              body_data;
  CfUploadProgressFunc  progress;
  gpointer              progress_data;
  goffset               total;
} Request;

static void
request_end_attempt (Request *request)
{
  if (request->deadline != NULL)
    {
      g_source_destroy (request->deadline);
      g_clear_pointer (&request->deadline, g_source_unref);
    }
  if (request->linked != NULL)
    g_cancellable_disconnect (request->linked, request->attempt_link);
  request->attempt_link = 0;
  g_clear_object (&request->linked);
  g_clear_object (&request->attempt);
}

static void
request_free (Request *request)
{
  request_end_attempt (request);
  g_clear_object (&request->client);
  g_free (request->method);
  /* The allowance's address names the key. */
  if (request->url != NULL)
    memset (request->url, 0, strlen (request->url));
  g_free (request->url);
  g_free (request->asked);
  g_clear_pointer (&request->reply, g_byte_array_unref);
  if (request->message != NULL)
    g_signal_handlers_disconnect_by_data (request->message, request);
  g_clear_object (&request->message);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void request_start (GTask *task);

static gboolean
on_attempt_deadline (gpointer user_data)
{
  Request *request = user_data;

  request->deadline_hit = TRUE;
  g_cancellable_cancel (request->attempt);
  return G_SOURCE_REMOVE;
}

static void
cancel_attempt (GCancellable *task_cancellable,
                GCancellable *attempt)
{
  g_cancellable_cancel (attempt);
}

/* A cancellable for one attempt: cancelled by the caller's, or by the
 * deadline, which the error then tells apart. */
static GCancellable *
request_begin_attempt (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  /* Twice the per-read timeout: room for a slow but moving reply. */
  guint seconds = 2 * soup_session_get_timeout (request->client->session);

  request_end_attempt (request);
  request->deadline_hit = FALSE;
  request->attempt = g_cancellable_new ();
  if (cancellable != NULL)
    {
      request->linked = g_object_ref (cancellable);
      request->attempt_link = g_cancellable_connect (cancellable, G_CALLBACK (cancel_attempt),
                                                     g_object_ref (request->attempt), g_object_unref);
    }
  if (seconds > 0)
    {
      request->deadline = g_timeout_source_new_seconds (seconds);
      g_source_set_callback (request->deadline, on_attempt_deadline, request, NULL);
      g_source_set_static_name (request->deadline, "[check-first] request deadline");
      g_source_attach (request->deadline, g_task_get_context (task));
    }
  return request->attempt;
}

static void
map_transport_error (Request *request,
                     GError  *error,
                     GError **out)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && request->deadline_hit)
    g_set_error (out, CF_VT_ERROR, CF_VT_ERROR_STOPPED,
                 _("VirusTotal stopped answering: no complete reply within %u s. "
                   "Try again later."), 2 * soup_session_get_timeout (request->client->session));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (out, g_error_copy (error));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error_literal (out, CF_VT_ERROR, CF_VT_ERROR_TIMEOUT,
                         _("VirusTotal did not answer in time. Check your connection and try again."));
  else if (error->domain == G_TLS_ERROR)
    g_set_error (out, CF_VT_ERROR, CF_VT_ERROR_TLS,
                 _("The secure connection to VirusTotal could not be trusted (%s). Nothing was sent. "
                   "A proxy or the network may be intercepting the connection."), error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    g_set_error_literal (out, CF_VT_ERROR, CF_VT_ERROR_TLS,
                         _("Secure connections are not available: install glib-networking."));
  else
    g_set_error (out, CF_VT_ERROR, CF_VT_ERROR_NETWORK,
                 _("Could not reach VirusTotal: %s. Check your network connection."), error->message);
}

static gboolean
retry_after_backoff (gpointer user_data)
{
  GTask *task = user_data;

  request_start (task);
  return G_SOURCE_REMOVE;
}

/* Decides what a failed attempt means; returns TRUE when it was retried. */
static gboolean
maybe_retry (GTask  *task,
             GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_QUOTA))
    {
      CfScheduler *scheduler = request->client->scheduler;
      const char *retry_after = NULL;
      gint64 seconds = 60;

      if (request->message != NULL)
        retry_after = soup_message_headers_get_one (soup_message_get_response_headers (request->message),
                                                    "Retry-After");
      if (retry_after != NULL)
        {
          gint64 value = g_ascii_strtoll (retry_after, NULL, 10);
          if (value > 0)
            seconds = MIN (value, 24 * 3600);
        }

      cf_scheduler_pause_until (scheduler, cf_scheduler_now (scheduler) + seconds * G_USEC_PER_SEC);
      /* A request that can as well go later does not try again now. */
      if (request->no_wait)
        return FALSE;
      request_start (task);
      return TRUE;
    }

  if ((g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_TRANSIENT) ||
       g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_NETWORK)) &&
      !request->no_wait && ++request->transient_attempts < CF_MAX_TRANSIENT_ATTEMPTS)
    {
      guint delay_ms = 500u << MIN (request->transient_attempts, 5);
      GSource *source = g_timeout_source_new (delay_ms);

      g_source_set_callback (source, retry_after_backoff, g_object_ref (task), g_object_unref);
      g_source_attach (source, g_task_get_context (task));
      g_source_unref (source);
      return TRUE;
    }

  return FALSE;
}

static void
request_fail (GTask  *task,
              GError *error)
{
  if (!maybe_retry (task, error))
    g_task_return_error (task, error);
  else
    g_error_free (error);
}

/* The whole reply is in request->reply: an answer, an error, or a retry. */
static void
finish_reply (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  GError *vt_error = NULL;

  if (cf_vt_error_from_response (request->status, (const char *) request->reply->data,
                                 request->reply->len, &vt_error))
    {
      request_fail (task, vt_error);
      return;
    }

  if (request->status < 200 || request->status >= 300)
    {
      g_task_return_new_error (task, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                               _("VirusTotal answered with an unexpected status (HTTP %u). Try again later."),
                               request->status);
      return;
    }

  g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&request->reply)),
                         (GDestroyNotify) g_bytes_unref);
}

static void
read_ready (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  GInputStream *stream = G_INPUT_STREAM (object);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;
  GError *vt_error = NULL;

  chunk = g_input_stream_read_bytes_finish (stream, result, &error);
  if (chunk == NULL)
    {
      map_transport_error (request, error, &vt_error);
      request_fail (task, vt_error);
      return;
    }

  if (g_bytes_get_size (chunk) > 0)
    {
      if (request->reply->len + g_bytes_get_size (chunk) > CF_MAX_REPLY_SIZE)
        {
          g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
          g_task_return_new_error (task, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                                   _("VirusTotal sent a reply far larger than any report. "
                                     "It was not read. Try again later."));
          return;
        }

      g_byte_array_append (request->reply, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      g_input_stream_read_bytes_async (stream, CF_READ_CHUNK, G_PRIORITY_DEFAULT,
                                       request->attempt, read_ready, g_steal_pointer (&task));
      return;
    }

  request_end_attempt (request);
  finish_reply (task);
}

static void
send_ready (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  GError *vt_error = NULL;
  goffset length;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      map_transport_error (request, error, &vt_error);
      request_fail (task, vt_error);
      return;
    }

  request->status = soup_message_get_status (request->message);
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (request->message));
  if (length > CF_MAX_REPLY_SIZE)
    {
      g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_task_return_new_error (task, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                               _("VirusTotal sent a reply far larger than any report. "
                                 "It was not read. Try again later."));
      return;
    }

  g_clear_pointer (&request->reply, g_byte_array_unref);
  request->reply = g_byte_array_new ();
  g_input_stream_read_bytes_async (stream, CF_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   request->attempt, read_ready, g_steal_pointer (&task));
}

/* Uploads are sent from a worker thread with a session of their own and
 * blocking I/O: libsoup writes a streamed body 8 KiB at a time, and through
 * the main loop each block was a round trip, which held a 300 MB upload to
 * about half the speed of curl.  Progress comes back to the caller's main
 * context at a human rate. */
typedef struct
{
  GTask        *task;          /* the request's task, for its Request */
  GTlsDatabase *tls_database;
  guint         timeout;
  char         *user_agent;
  goffset       sent;
  gint64        last_progress;
} UploadSend;

static void
upload_send_free (UploadSend *send)
{
  g_clear_object (&send->task);
  g_clear_object (&send->tls_database);
  g_free (send->user_agent);
  g_free (send);
}

typedef struct
{
  GTask   *task;
  goffset  sent;
} ProgressUpdate;

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressUpdate *update = user_data;
  Request *request = g_task_get_task_data (update->task);

  if (!g_task_get_completed (update->task) && request->progress != NULL)
    request->progress (update->sent, request->total, request->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_update_free (gpointer user_data)
{
  ProgressUpdate *update = user_data;

  g_object_unref (update->task);
  g_free (update);
}

static void
wrote_body_data_in_thread (SoupMessage *message,
                           guint        chunk_size,
                           gpointer     user_data)
{
  UploadSend *send = user_data;
  Request *request = g_task_get_task_data (send->task);
  gint64 now = g_get_monotonic_time ();
  ProgressUpdate *update;

  send->sent = MIN (send->sent + chunk_size, request->total);
  if (send->sent != request->total && now - send->last_progress < CF_UPLOAD_PROGRESS_INTERVAL_US)
    return;

  send->last_progress = now;
  update = g_new0 (ProgressUpdate, 1);
  update->task = g_object_ref (send->task);
  update->sent = send->sent;
  g_main_context_invoke_full (g_task_get_context (send->task), G_PRIORITY_DEFAULT,
                              deliver_progress, update, progress_update_free);
}

static void
upload_thread (GTask        *thread_task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  UploadSend *send = task_data;
  Request *request = g_task_get_task_data (send->task);
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  GError *error = NULL;
  gulong handler;

  session = soup_session_new_with_options ("user-agent", send->user_agent,
                                           "timeout", send->timeout,
                                           "tls-database", send->tls_database,
                                           NULL);
  handler = g_signal_connect (request->message, "wrote-body-data",
                              G_CALLBACK (wrote_body_data_in_thread), send);
  stream = soup_session_send (session, request->message, cancellable, &error);
  g_signal_handler_disconnect (request->message, handler);
  if (stream == NULL)
    {
      g_task_return_error (thread_task, error);
      return;
    }

  for (;;)
    {
      guint8 buffer[CF_READ_CHUNK];
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, cancellable, &error);

      if (n < 0)
        {
          g_task_return_error (thread_task, error);
          return;
        }
      if (n == 0)
        break;
      if (reply->len + (gsize) n > CF_MAX_REPLY_SIZE)
        {
          g_task_return_new_error (thread_task, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                                   _("VirusTotal sent a reply far larger than any report. "
                                     "It was not read. Try again later."));
          return;
        }
      g_byte_array_append (reply, buffer, n);
    }

  g_task_return_pointer (thread_task, g_steal_pointer (&reply), (GDestroyNotify) g_byte_array_unref);
}

static void
upload_sent (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GByteArray *reply;

  reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (reply == NULL)
    {
      GError *vt_error = NULL;

      if (error->domain == CF_VT_ERROR)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        {
          map_transport_error (request, error, &vt_error);
          request_fail (task, vt_error);
        }
      return;
    }

  g_clear_pointer (&request->reply, g_byte_array_unref);
  request->reply = reply;
  request->status = soup_message_get_status (request->message);
  finish_reply (task);
}

static void
send_upload_in_thread (CfVtClient *self,
                       GTask      *task)
{
  g_autoptr(GTask) thread_task = NULL;
  UploadSend *send = g_new0 (UploadSend, 1);

  send->task = g_object_ref (task);
  send->tls_database = soup_session_get_tls_database (self->session);
  if (send->tls_database != NULL)
    g_object_ref (send->tls_database);
  send->timeout = soup_session_get_timeout (self->session);
  send->user_agent = g_strdup (soup_session_get_user_agent (self->session));

  thread_task = g_task_new (NULL, g_task_get_cancellable (task), upload_sent, g_object_ref (task));
  g_task_set_source_tag (thread_task, send_upload_in_thread);
  g_task_set_task_data (thread_task, send, (GDestroyNotify) upload_send_free);
  g_task_run_in_thread (thread_task, upload_thread);
}

static void
slot_ready (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  CfVtClient *self = request->client;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  GCancellable *cancellable;

  if (object != NULL && !cf_scheduler_acquire_finish (CF_SCHEDULER (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (request->message != NULL)
    g_signal_handlers_disconnect_by_data (request->message, request);
  g_clear_object (&request->message);
  request->message = soup_message_new (request->method, request->url);
  if (request->message == NULL)
    {
      g_task_return_new_error (task, CF_VT_ERROR, CF_VT_ERROR_BAD_REQUEST,
                               _("Could not build a request for VirusTotal."));
      return;
    }

  /* Never follow a redirect: it could carry the key to another origin. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "x-apikey", self->api_key);
  soup_message_headers_replace (headers, "Accept", "application/json");

  if (request->body_func != NULL)
    {
      g_autoptr(GInputStream) body = NULL;
      g_autofree char *content_type = NULL;
      goffset length = 0;

      body = request->body_func (request->body_data, &length, &content_type, &error);
      if (body == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      soup_message_set_request_body (request->message, content_type, body, length);
      request->total = length;
      self->requests_sent++;
      send_upload_in_thread (self, task);
      return;
    }

  self->requests_sent++;
  cancellable = request_begin_attempt (task);
  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           cancellable, send_ready, g_steal_pointer (&task));
}

static void
request_start (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (request->uses_budget && request->no_wait)
    {
      if (!cf_scheduler_try_acquire (request->client->scheduler))
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                                   _("No request could be spared just now."));
          return;
        }
      slot_ready (NULL, NULL, g_object_ref (task));
    }
  else if (request->uses_budget)
    cf_scheduler_acquire_async (request->client->scheduler, request->priority,
                                g_task_get_cancellable (task), slot_ready, g_object_ref (task));
  else
    slot_ready (NULL, NULL, g_object_ref (task));
}

static GTask *
request_new (CfVtClient          *self,
             const char          *method,
             const char          *url,
             CfPriority           priority,
             gboolean             uses_budget,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  request->client = g_object_ref (self);
  request->method = g_strdup (method);
  request->url = g_strdup (url);
  request->priority = priority;
  request->uses_budget = uses_budget;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  return task;
}

static char *
api_url (CfVtClient *self,
         const char *path,
         const char *segment)
{
  g_autofree char *escaped = segment != NULL ? g_uri_escape_string (segment, NULL, FALSE) : NULL;

  return g_strconcat (self->base_url, path, escaped, NULL);
}

/* ------------------------------------------------------------------ */
/* GET /files/{hash}                                                    */
/* ------------------------------------------------------------------ */

static gboolean
is_hex_of_length (const char *text,
                  gsize       length)
{
  gsize i;

  for (i = 0; text[i] != '\0'; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  return i == length;
}

void
cf_vt_client_get_file_async (CfVtClient          *self,
                             const char          *hash,
                             CfPriority           priority,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (CF_IS_VT_CLIENT (self));
  g_return_if_fail (hash != NULL);

  if (!is_hex_of_length (hash, 32) && !is_hex_of_length (hash, 40) && !is_hex_of_length (hash, 64))
    {
      g_task_report_new_error (self, callback, user_data, cf_vt_client_get_file_async,
                               CF_VT_ERROR, CF_VT_ERROR_BAD_REQUEST,
                               _("“%s” is not an MD5, SHA-1 or SHA-256 hash."), hash);
      return;
    }

  url = api_url (self, "/files/", hash);
  task = request_new (self, "GET", url, priority, TRUE, cf_vt_client_get_file_async,
                      cancellable, callback, user_data);
  ((Request *) g_task_get_task_data (task))->asked = g_ascii_strdown (hash, -1);
  request_start (task);
}

CfReport *
cf_vt_client_get_file_finish (CfVtClient    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CfReport) report = NULL;
  const char *asked;
  gsize length;
  const char *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, cf_vt_client_get_file_async), NULL);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &length);
  report = cf_report_parse (data, length, error);
  if (report == NULL)
    return NULL;

  /* A reply is about the hash asked for, or it is not an answer at all. */
  asked = ((Request *) g_task_get_task_data (G_TASK (result)))->asked;
  if (!cf_report_is_about (report, asked))
    {
      g_set_error (error, CF_VT_ERROR, CF_VT_ERROR_MISMATCH,
                   _("VirusTotal answered about another file (%s) than the one asked for (%s). "
                     "The answer was not used."), report->sha256, asked);
      return NULL;
    }

  return g_steal_pointer (&report);
}

/* ------------------------------------------------------------------ */
/* Key check                                                            */
/* ------------------------------------------------------------------ */

static void
check_key_ready (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CfReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = cf_vt_client_get_file_finish (CF_VT_CLIENT (object), result, &error);
  if (report != NULL || g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_NOT_FOUND))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* A lookup of the empty file's hash: it costs one request like GET
 * /users/{key} would, without the key ever appearing in a URL. */
void
cf_vt_client_check_key_async (CfVtClient          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CF_IS_VT_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_vt_client_check_key_async);
  cf_vt_client_get_file_async (self, CF_EMPTY_SHA256, CF_PRIORITY_INTERACTIVE, cancellable,
                               check_key_ready, task);
}

gboolean
cf_vt_client_check_key_finish (CfVtClient    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* The account's allowance                                              */
/* ------------------------------------------------------------------ */

typedef struct
{
  CfAllowance allowance;
  CfPriority  priority;
  gboolean    wait;
} AllowanceRead;

/* The address names the key: built here, handed only to libsoup, never
 * said anywhere. */
static GTask *
allowance_request (CfVtClient          *self,
                   const char          *what,
                   AllowanceRead       *read,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autofree char *escaped = g_uri_escape_string (self->api_key, NULL, FALSE);
  g_autofree char *url = g_strconcat (self->base_url, "/users/", escaped, what, NULL);
  GTask *task = request_new (self, "GET", url, read->priority, TRUE, cf_vt_client_get_allowance_async,
                             cancellable, callback, user_data);

  ((Request *) g_task_get_task_data (task))->no_wait = !read->wait;
  memset (url, 0, strlen (url));
  memset (escaped, 0, strlen (escaped));
  return task;
}

static void
user_ready (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CfVtClient *self = CF_VT_CLIENT (object);
  AllowanceRead *read = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  const char *data;
  gsize length;

  bytes = g_task_propagate_pointer (G_TASK (result), &error);
  if (bytes == NULL)
    {
      /* What the first reply said still counts. */
      if (cf_allowance_is_known (&read->allowance))
        {
          g_clear_error (&error);
          g_task_return_boolean (task, TRUE);
        }
      else
        g_task_return_error (task, error);
      return;
    }

  data = g_bytes_get_data (bytes, &length);
  if (!cf_allowance_parse_user (&read->allowance, data, length, self->api_key, &error) &&
      !cf_allowance_is_known (&read->allowance))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);
  if (!cf_allowance_is_known (&read->allowance))
    {
      g_task_return_new_error (task, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                               _("VirusTotal did not say what your account may spend."));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
overall_ready (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CfVtClient *self = CF_VT_CLIENT (object);
  AllowanceRead *read = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) user = NULL;

  bytes = g_task_propagate_pointer (G_TASK (result), &error);
  if (bytes != NULL)
    {
      const char *data;
      gsize length;

      data = g_bytes_get_data (bytes, &length);
      cf_allowance_parse_overall (&read->allowance, data, length, &error);
      if (cf_allowance_is_complete (&read->allowance))
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
    }
  /* Waiting out a failure or the budget is not for a reading that can
   * come later; a reply without all three periods (or none, or an
   * account without this endpoint) is completed from the account. */
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) ||
           g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_WRONG_KEY) ||
           g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_NO_KEY) ||
           cf_vt_error_is_transient (error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  user = allowance_request (self, "", read, g_task_get_cancellable (task), user_ready,
                            g_object_ref (task));
  request_start (user);
}

void
cf_vt_client_get_allowance_async (CfVtClient          *self,
                                  CfPriority           priority,
                                  gboolean             wait,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) overall = NULL;
  AllowanceRead *read;

  g_return_if_fail (CF_IS_VT_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_vt_client_get_allowance_async);
  read = g_new0 (AllowanceRead, 1);
  cf_allowance_init (&read->allowance);
  read->priority = priority;
  read->wait = wait;
  g_task_set_task_data (task, read, g_free);

  overall = allowance_request (self, "/overall_quotas", read, cancellable, overall_ready,
                               g_object_ref (task));
  request_start (overall);
}

gboolean
cf_vt_client_get_allowance_finish (CfVtClient    *self,
                                   GAsyncResult  *result,
                                   CfAllowance   *allowance,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, cf_vt_client_get_allowance_async), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (allowance != NULL)
    *allowance = ((AllowanceRead *) g_task_get_task_data (G_TASK (result)))->allowance;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Uploads                                                              */
/* ------------------------------------------------------------------ */

typedef struct
{
  GFile                *file;
  char                 *filename;
  goffset               size;
  CfPriority            priority;
  CfUploadProgressFunc  progress;
  gpointer              progress_data;
} Upload;

static void
upload_free (Upload *upload)
{
  g_clear_object (&upload->file);
  g_free (upload->filename);
  g_free (upload);
}

static GInputStream *
upload_body (gpointer   user_data,
             goffset   *length,
             char     **content_type,
             GError   **error)
{
  Upload *upload = user_data;
  g_autoptr(GFileInputStream) content = NULL;
  g_autoptr(GInputStream) buffered = NULL;
  GInputStream *body;

  content = g_file_read (upload->file, NULL, error);
  if (content == NULL)
    return NULL;

  /* libsoup reads the body 8 KiB at a time, and a local file has no
   * asynchronous read of its own: every chunk would be a trip to a worker
   * thread and back.  A large buffer makes that one trip a megabyte. */
  buffered = g_buffered_input_stream_new_sized (G_INPUT_STREAM (content), CF_UPLOAD_BUFFER_SIZE);
  body = cf_multipart_stream_new (buffered, upload->size, "file", upload->filename);
  *length = cf_multipart_stream_get_length (CF_MULTIPART_STREAM (body));
  *content_type = g_strdup (cf_multipart_stream_get_content_type (CF_MULTIPART_STREAM (body)));
  return body;
}

/* Returns to @task the id of the analysis an upload or a rescan started,
 * from the reply in @result; a failure with @code is said as @message. */
static void
return_analysis_id (GTask        *task,
                    GAsyncResult *result,
                    CfVtError     code,
                    const char   *message)
{
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  const char *data;
  gsize length;
  char *id;

  bytes = g_task_propagate_pointer (G_TASK (result), &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, CF_VT_ERROR, code))
        {
          g_clear_error (&error);
          g_set_error_literal (&error, CF_VT_ERROR, code, message);
        }
      g_task_return_error (task, error);
      return;
    }

  data = g_bytes_get_data (bytes, &length);
  id = cf_upload_reply_parse (data, length, &error);
  if (id == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, id, g_free);
}

static void
upload_post_ready (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  return_analysis_id (task, result, CF_VT_ERROR_TOO_LARGE,
                      _("VirusTotal refused the upload as too large (HTTP 413)."));
}

static void
upload_post (GTask      *task,
             const char *url)
{
  CfVtClient *self = g_task_get_source_object (task);
  Upload *upload = g_task_get_task_data (task);
  GTask *post;
  Request *request;

  post = request_new (self, "POST", url, upload->priority, TRUE, upload_post,
                      g_task_get_cancellable (task), upload_post_ready, g_object_ref (task));
  request = g_task_get_task_data (post);
  request->body_func = upload_body;
  request->body_data = upload;
  request->progress = upload->progress;
  request->progress_data = upload->progress_data;
  request_start (post);
  g_object_unref (post);
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

static void
upload_url_ready (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CfVtClient *self = g_task_get_source_object (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;
  const char *data;
  gsize length;

  bytes = g_task_propagate_pointer (G_TASK (result), &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_bytes_get_data (bytes, &length);
  url = cf_upload_url_parse (data, length, &error);
  if (url == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The key goes with the upload, so the upload goes only where the key
   * is meant to go. */
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || !same_origin (uri, self->base_uri))
    {
      g_task_return_new_error (task, CF_VT_ERROR, CF_VT_ERROR_FOREIGN_ORIGIN,
                               _("VirusTotal gave an upload address on another server. Check First sends "
                                 "your API key only to the configured VirusTotal address, so nothing "
                                 "was uploaded."));
      return;
    }

  upload_post (task, url);
  g_steal_pointer (&task);
}

void
cf_vt_client_upload_async (CfVtClient           *self,
                           GFile                *file,
                           CfPriority            priority,
                           CfUploadProgressFunc  progress,
                           gpointer              progress_data,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  Upload *upload;

  g_return_if_fail (CF_IS_VT_CLIENT (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_vt_client_upload_async);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, CF_VT_ERROR, CF_VT_ERROR_BAD_REQUEST,
                               _("Only regular files can be uploaded."));
      return;
    }

  /* Refused before any request is spent. */
  if (g_file_info_get_size (info) > CF_VT_MAX_UPLOAD_SIZE)
    {
      g_autofree char *size = g_format_size (g_file_info_get_size (info));

      g_task_return_new_error (task, CF_VT_ERROR, CF_VT_ERROR_TOO_LARGE,
                               _("The file is %s; VirusTotal accepts uploads of up to 650 MB. "
                                 "Nothing was uploaded."), size);
      return;
    }

  basename = g_file_get_basename (file);
  upload = g_new0 (Upload, 1);
  upload->file = g_object_ref (file);
  upload->filename = cf_multipart_ascii_filename (basename);
  upload->size = g_file_info_get_size (info);
  upload->priority = priority;
  upload->progress = progress;
  upload->progress_data = progress_data;
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  if (upload->size <= CF_VT_MAX_DIRECT_UPLOAD)
    {
      g_autofree char *url = api_url (self, "/files", NULL);
      upload_post (task, url);
    }
  else
    {
      g_autofree char *url = api_url (self, "/files/upload_url", NULL);
      /* Getting an upload URL is not charged against the quota. */
      GTask *get = request_new (self, "GET", url, priority, FALSE, cf_vt_client_upload_async,
                                cancellable, upload_url_ready, g_object_ref (task));
      request_start (get);
      g_object_unref (get);
    }
}

char *
cf_vt_client_upload_finish (CfVtClient    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, cf_vt_client_upload_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* POST /files/{sha256}/analyse                                         */
/* ------------------------------------------------------------------ */

static void
rescan_ready (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  /* Only a file VirusTotal knows can be analysed again. */
  return_analysis_id (task, result, CF_VT_ERROR_NOT_FOUND,
                      _("VirusTotal does not know this file, so it cannot analyse it again."));
}

void
cf_vt_client_rescan_async (CfVtClient          *self,
                           const char          *sha256,
                           CfPriority           priority,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) post = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (CF_IS_VT_CLIENT (self));
  g_return_if_fail (sha256 != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_vt_client_rescan_async);
  if (!is_hex_of_length (sha256, 64))
    {
      g_task_return_new_error (task, CF_VT_ERROR, CF_VT_ERROR_BAD_REQUEST,
                               _("“%s” is not a SHA-256 hash."), sha256);
      return;
    }

  url = g_strconcat (self->base_url, "/files/", sha256, "/analyse", NULL);
  post = request_new (self, "POST", url, priority, TRUE, cf_vt_client_rescan_async,
                      cancellable, rescan_ready, g_object_ref (task));
  ((Request *) g_task_get_task_data (post))->asked = g_ascii_strdown (sha256, -1);
  request_start (post);
}

char *
cf_vt_client_rescan_finish (CfVtClient    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, cf_vt_client_rescan_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* GET /analyses/{id}                                                   */
/* ------------------------------------------------------------------ */

static gboolean
is_analysis_id (const char *id)
{
  if (*id == '\0' || strlen (id) > 1024)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("=-_:.", *p) == NULL)
      return FALSE;
  return TRUE;
}

void
cf_vt_client_get_analysis_async (CfVtClient          *self,
                                 const char          *analysis_id,
                                 CfPriority           priority,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (CF_IS_VT_CLIENT (self));
  g_return_if_fail (analysis_id != NULL);

  /* Opaque, and sent as VirusTotal gave it ("=" padding and all), as the
   * official clients do; an id that would need escaping is not one of its. */
  if (!is_analysis_id (analysis_id))
    {
      g_task_report_new_error (self, callback, user_data, cf_vt_client_get_analysis_async,
                               CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE,
                               _("VirusTotal gave an analysis id that cannot be used in an "
                                 "address. Try again later."));
      return;
    }
  url = g_strconcat (self->base_url, "/analyses/", analysis_id, NULL);
  task = request_new (self, "GET", url, priority, TRUE, cf_vt_client_get_analysis_async,
                      cancellable, callback, user_data);
  ((Request *) g_task_get_task_data (task))->asked = g_strdup (analysis_id);
  request_start (task);
}

CfAnalysis *
cf_vt_client_get_analysis_finish (CfVtClient    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CfAnalysis) analysis = NULL;
  const char *asked;
  const char *data;
  gsize length;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, cf_vt_client_get_analysis_async), NULL);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &length);
  analysis = cf_analysis_parse (data, length, error);
  if (analysis == NULL)
    return NULL;

  asked = ((Request *) g_task_get_task_data (G_TASK (result)))->asked;
  if (analysis->id != NULL && g_strcmp0 (analysis->id, asked) != 0)
    {
      g_set_error_literal (error, CF_VT_ERROR, CF_VT_ERROR_MISMATCH,
                           _("VirusTotal answered about another analysis than the one asked for. "
                             "The answer was not used."));
      return NULL;
    }
  return g_steal_pointer (&analysis);
}
