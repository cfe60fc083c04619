/* cf-fake-vt.c
 *
 * A fake VirusTotal v3 server for tests, serving from a thread of its own.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cf-fake-vt-private.h"

#include <string.h>

G_DEFINE_QUARK (cf-fake-vt-error-quark, cf_fake_vt_error)

G_DEFINE_FINAL_TYPE (CfFakeVt, cf_fake_vt, G_TYPE_OBJECT)

const char * const cf_fake_vt_count_names[CF_FAKE_VT_N_COUNTS] = {
  [CF_FAKE_VT_COUNT_REQUESTS] = "requests",
  [CF_FAKE_VT_COUNT_LOOKUPS] = "lookups",
  [CF_FAKE_VT_COUNT_UPLOADS] = "uploads",
  [CF_FAKE_VT_COUNT_UPLOAD_URLS] = "upload_urls",
  [CF_FAKE_VT_COUNT_ANALYSIS_POLLS] = "analysis_polls",
  [CF_FAKE_VT_COUNT_USERS] = "users",
  [CF_FAKE_VT_COUNT_429] = "429",
  [CF_FAKE_VT_COUNT_401] = "401",
  [CF_FAKE_VT_COUNT_KEYLESS] = "keyless",
  [CF_FAKE_VT_COUNT_RESCANS] = "rescans",
  [CF_FAKE_VT_COUNT_FAULTS] = "faults",
};

void
cf_fake_vt_analysis_free (CfFakeVtAnalysis *analysis)
{
  if (analysis == NULL)
    return;

  g_free (analysis->id);
  g_free (analysis->sha256);
  g_free (analysis->sha1);
  g_free (analysis->md5);
  g_free (analysis->filename);
  g_free (analysis->type_description);
  g_free (analysis);
}

static void
cf_fake_vt_finalize (GObject *object)
{
  CfFakeVt *self = CF_FAKE_VT (object);

  cf_fake_vt_stop (self);

  g_clear_pointer (&self->api_key, g_free);
  g_clear_pointer (&self->upload_url_base, g_free);
  g_clear_pointer (&self->by_md5, g_hash_table_unref);
  g_clear_pointer (&self->by_sha1, g_hash_table_unref);
  g_clear_pointer (&self->files, g_hash_table_unref);
  g_clear_pointer (&self->analyses, g_hash_table_unref);
  g_clear_pointer (&self->upload_tokens, g_hash_table_unref);
  g_clear_pointer (&self->quota_stamps, g_array_unref);
  g_queue_clear_full (&self->faults, g_free);
  g_clear_pointer (&self->last_upload_filename, g_free);
  g_clear_error (&self->start_error);

  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (cf_fake_vt_parent_class)->finalize (object);
}

static void
cf_fake_vt_class_init (CfFakeVtClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cf_fake_vt_finalize;
}

static void
cf_fake_vt_init (CfFakeVt *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);

  self->api_key = g_strdup (CF_FAKE_VT_DEFAULT_KEY);
  self->quota_window = 60;
  self->queued_polls = 1;
  self->in_progress_polls = 1;
  self->max_direct_upload = CF_FAKE_VT_MAX_DIRECT_UPLOAD;
  self->last_upload_size = -1;

  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) cf_fake_vt_file_free);
  self->by_md5 = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_sha1 = g_hash_table_new (g_str_hash, g_str_equal);
  self->analyses = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) cf_fake_vt_analysis_free);
  self->upload_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->quota_stamps = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_queue_init (&self->faults);
}

/**
 * cf_fake_vt_new:
 *
 * Creates a fake VirusTotal server that knows no file yet and expects the
 * API key "test-key". Call cf_fake_vt_start() to serve.
 */
CfFakeVt *
cf_fake_vt_new (void)
{
  return g_object_new (CF_TYPE_FAKE_VT, NULL);
}

/**
 * cf_fake_vt_set_api_key:
 * @self: a #CfFakeVt
 * @key: the key API requests must carry in x-apikey
 */
void
cf_fake_vt_set_api_key (CfFakeVt   *self,
                        const char *key)
{
  g_return_if_fail (CF_IS_FAKE_VT (self));
  g_return_if_fail (key != NULL);

  g_mutex_lock (&self->mutex);
  g_free (self->api_key);
  self->api_key = g_strdup (key);
  g_mutex_unlock (&self->mutex);
}

static gboolean
cf_fake_vt_quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
cf_fake_vt_signal_started (CfFakeVt *self,
                           GError   *error)
{
  g_mutex_lock (&self->mutex);
  self->start_error = error;
  self->start_done = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static gpointer
cf_fake_vt_thread (gpointer user_data)
{
  CfFakeVt *self = user_data;
  GMainContext *context = self->context;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;
  SoupServerListenOptions options = SOUP_SERVER_LISTEN_IPV4_ONLY;
  guint port;

  g_main_context_push_thread_default (context);

  if (self->https)
    {
      server = soup_server_new ("server-header", "fake-vt ",
                                "tls-certificate", self->tls->certificate,
                                NULL);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  else
    {
      server = soup_server_new ("server-header", "fake-vt ", NULL);
    }

  cf_fake_vt_server_setup (self, server);

  if (!soup_server_listen_local (server, self->requested_port, options, &error))
    {
      g_clear_object (&server);
      g_main_context_pop_thread_default (context);
      cf_fake_vt_signal_started (self, g_steal_pointer (&error));
      return NULL;
    }

  uris = soup_server_get_uris (server);
  g_assert (uris != NULL);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&self->mutex);
  self->port = port;
  self->origin = g_strdup_printf ("%s://127.0.0.1:%u", self->https ? "https" : "http", port);
  self->base_url = g_strdup_printf ("%s/api/v3", self->origin);
  g_mutex_unlock (&self->mutex);

  cf_fake_vt_signal_started (self, NULL);

  g_main_loop_run (self->loop);

  soup_server_disconnect (server);
  g_clear_object (&server);
  while (g_main_context_iteration (context, FALSE))
    ;

  g_main_context_pop_thread_default (context);

  return NULL;
}

/**
 * cf_fake_vt_start_on_port:
 * @self: a #CfFakeVt
 * @port: a TCP port on 127.0.0.1, or 0 for any free one
 * @https: whether to serve HTTPS with a fresh self-signed certificate
 * @error: return location for a #GError
 *
 * Starts serving from a thread of its own, with a #GMainContext of its own,
 * and returns once the server listens.
 *
 * Returns: %TRUE if the server listens
 */
gboolean
cf_fake_vt_start_on_port (CfFakeVt  *self,
                          guint      port,
                          gboolean   https,
                          GError   **error)
{
  g_autoptr(GError) start_error = NULL;

  g_return_val_if_fail (CF_IS_FAKE_VT (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  if (https)
    {
      self->tls = cf_fake_vt_certificate_new (error);
      if (self->tls == NULL)
        return FALSE;
    }

  self->requested_port = port;
  self->https = https;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);

  g_mutex_lock (&self->mutex);
  self->start_done = FALSE;
  g_clear_error (&self->start_error);
  g_mutex_unlock (&self->mutex);

  self->thread = g_thread_new ("fake-vt", cf_fake_vt_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->start_done)
    g_cond_wait (&self->cond, &self->mutex);
  start_error = g_steal_pointer (&self->start_error);
  g_mutex_unlock (&self->mutex);

  if (start_error != NULL)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
      g_clear_pointer (&self->context, g_main_context_unref);
      g_clear_pointer (&self->tls, cf_fake_vt_certificate_free);
      g_propagate_error (error, g_steal_pointer (&start_error));
      return FALSE;
    }

  return TRUE;
}

gboolean
cf_fake_vt_start (CfFakeVt  *self,
                  gboolean   https,
                  GError   **error)
{
  return cf_fake_vt_start_on_port (self, 0, https, error);
}

/**
 * cf_fake_vt_stop:
 * @self: a #CfFakeVt
 *
 * Stops serving and waits for the server thread. Registered files, counts and
 * settings stay, so the server can be started again.
 */
void
cf_fake_vt_stop (CfFakeVt *self)
{
  g_autoptr(GSource) quit = NULL;

  g_return_if_fail (CF_IS_FAKE_VT (self));

  if (self->thread == NULL)
    return;

  /* An idle source rather than g_main_loop_quit () here: the loop may not be
   * running yet, and quitting it before it runs would be forgotten. */
  quit = g_idle_source_new ();
  g_source_set_callback (quit, cf_fake_vt_quit_loop,
                         g_main_loop_ref (self->loop), (GDestroyNotify) g_main_loop_unref);
  g_source_attach (quit, self->context);

  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  g_mutex_lock (&self->mutex);
  self->port = 0;
  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_mutex_unlock (&self->mutex);

  g_clear_pointer (&self->tls, cf_fake_vt_certificate_free);
}

/**
 * cf_fake_vt_get_base_url:
 * @self: a #CfFakeVt
 *
 * Returns: (transfer full) (nullable): the API's base URL, such as
 *   "http://127.0.0.1:PORT/api/v3", or %NULL when not serving
 */
char *
cf_fake_vt_get_base_url (CfFakeVt *self)
{
  char *url;

  g_return_val_if_fail (CF_IS_FAKE_VT (self), NULL);

  g_mutex_lock (&self->mutex);
  url = g_strdup (self->base_url);
  g_mutex_unlock (&self->mutex);

  return url;
}

guint
cf_fake_vt_get_port (CfFakeVt *self)
{
  guint port;

  g_return_val_if_fail (CF_IS_FAKE_VT (self), 0);

  g_mutex_lock (&self->mutex);
  port = self->port;
  g_mutex_unlock (&self->mutex);

  return port;
}

/**
 * cf_fake_vt_get_ca_file:
 * @self: a #CfFakeVt
 *
 * Returns: (nullable): the PEM file of the self-signed certificate served over
 *   HTTPS, for a client to trust; %NULL when not serving HTTPS
 */
const char *
cf_fake_vt_get_ca_file (CfFakeVt *self)
{
  g_return_val_if_fail (CF_IS_FAKE_VT (self), NULL);

  return self->thread != NULL && self->tls != NULL ? self->tls->cert_file : NULL;
}

CfFakeVtFile *
cf_fake_vt_find_file_locked (CfFakeVt   *self,
                             const char *hash)
{
  g_autofree char *lower = NULL;

  if (!cf_fake_vt_is_hex_hash (hash))
    return NULL;

  lower = g_ascii_strdown (hash, -1);
  switch (strlen (lower))
    {
    case 64:
      return g_hash_table_lookup (self->files, lower);
    case 40:
      return g_hash_table_lookup (self->by_sha1, lower);
    case 32:
      return g_hash_table_lookup (self->by_md5, lower);
    default:
      g_assert_not_reached ();
    }
}

void
cf_fake_vt_add_file_locked (CfFakeVt     *self,
                            CfFakeVtFile *file)
{
  g_assert (g_hash_table_lookup (self->files, file->sha256) == NULL);

  g_hash_table_insert (self->files, file->sha256, file);
  g_hash_table_insert (self->by_md5, file->md5, file);
  g_hash_table_insert (self->by_sha1, file->sha1, file);
}

/**
 * cf_fake_vt_register_file:
 * @self: a #CfFakeVt
 * @path: a local file
 * @verdict: "clean", "eicar", "malicious:N", "suspicious:N" or "malicious:N,suspicious:M"
 * @error: return location for a #GError
 *
 * Makes the server know the file, by its real MD5, SHA-1 and SHA-256, with the
 * file's basename as its name. Registering a known file again changes its verdict.
 */
gboolean
cf_fake_vt_register_file (CfFakeVt    *self,
                          const char  *path,
                          const char  *verdict,
                          GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autofree char *md5 = NULL;
  g_autofree char *sha1 = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *basename = NULL;
  CfFakeVtVerdict parsed;
  const guint8 *data;
  gsize length;
  CfFakeVtFile *file;

  g_return_val_if_fail (CF_IS_FAKE_VT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!cf_fake_vt_verdict_parse (verdict, &parsed, error))
    return FALSE;

  mapped = g_mapped_file_new (path, FALSE, error);
  if (mapped == NULL)
    return FALSE;

  data = (const guint8 *) g_mapped_file_get_contents (mapped);
  length = g_mapped_file_get_length (mapped);
  cf_fake_vt_hash_data (data, length, &md5, &sha1, &sha256);
  basename = g_path_get_basename (path);

  g_mutex_lock (&self->mutex);
  file = g_hash_table_lookup (self->files, sha256);
  if (file == NULL)
    {
      file = cf_fake_vt_file_new (sha256, sha1, md5, length,
                                  cf_fake_vt_guess_type (data, length), &parsed);
      cf_fake_vt_add_file_locked (self, file);
    }
  file->verdict = parsed;
  cf_fake_vt_file_add_name (file, basename);
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

/**
 * cf_fake_vt_register_hash:
 * @self: a #CfFakeVt
 * @sha256: a SHA-256 in hex
 * @verdict: as for cf_fake_vt_register_file()
 * @error: return location for a #GError
 *
 * Makes the server know a file by its SHA-256 only. Its MD5 is the first 32 and
 * its SHA-1 the first 40 hex digits of the SHA-256 of the lowercase @sha256
 * string; its size is 0 and it has no name.
 */
gboolean
cf_fake_vt_register_hash (CfFakeVt    *self,
                          const char  *sha256,
                          const char  *verdict,
                          GError     **error)
{
  g_autofree char *lower = NULL;
  g_autofree char *md5 = NULL;
  g_autofree char *sha1 = NULL;
  CfFakeVtVerdict parsed;
  CfFakeVtFile *file;

  g_return_val_if_fail (CF_IS_FAKE_VT (self), FALSE);

  if (sha256 == NULL || strlen (sha256) != 64 || !cf_fake_vt_is_hex_hash (sha256))
    {
      g_set_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_INVALID_HASH,
                   "“%s” is not a SHA-256 in hex", sha256 ? sha256 : "(null)");
      return FALSE;
    }

  if (!cf_fake_vt_verdict_parse (verdict, &parsed, error))
    return FALSE;

  lower = g_ascii_strdown (sha256, -1);
  cf_fake_vt_derive_fake_hashes (lower, &md5, &sha1);

  g_mutex_lock (&self->mutex);
  file = g_hash_table_lookup (self->files, lower);
  if (file == NULL)
    {
      file = cf_fake_vt_file_new (lower, sha1, md5, 0, "unknown", &parsed);
      cf_fake_vt_add_file_locked (self, file);
    }
  file->verdict = parsed;
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

/**
 * cf_fake_vt_set_upload_verdict:
 * @self: a #CfFakeVt
 * @verdict: the verdict of uploaded files the server has never seen
 *
 * Applies to uploads from now on. An upload of registered content keeps the
 * registration's verdict.
 */
void
cf_fake_vt_set_upload_verdict (CfFakeVt   *self,
                               const char *verdict)
{
  g_autoptr(GError) error = NULL;
  CfFakeVtVerdict parsed;

  g_return_if_fail (CF_IS_FAKE_VT (self));

  if (!cf_fake_vt_verdict_parse (verdict, &parsed, &error))
    {
      g_critical ("cf_fake_vt_set_upload_verdict: %s", error->message);
      return;
    }

  g_mutex_lock (&self->mutex);
  self->upload_verdict = parsed;
  g_mutex_unlock (&self->mutex);
}

/**
 * cf_fake_vt_set_quota_per_minute:
 * @self: a #CfFakeVt
 * @n: requests allowed in any window of the quota window's length, or 0 for no limit
 *
 * Past @n, API requests get 429 QuotaExceededError. Getting an upload URL
 * does not count. Setting the quota starts a fresh window.
 */
void
cf_fake_vt_set_quota_per_minute (CfFakeVt *self,
                                 guint     n)
{
  g_return_if_fail (CF_IS_FAKE_VT (self));

  g_mutex_lock (&self->mutex);
  self->quota_per_minute = n;
  g_array_set_size (self->quota_stamps, 0);
  g_mutex_unlock (&self->mutex);
}

/**
 * cf_fake_vt_set_account:
 * @self: a #CfFakeVt
 * @plan: "as-served" (the default: what the server's own quota allows),
 *   "public", "premium", "tiny", "users-only" or "failing"
 *
 * What GET /users/{key} and /users/{key}/overall_quotas say the key may
 * spend, or that they fail.
 */
gboolean
cf_fake_vt_set_account (CfFakeVt    *self,
                        const char  *plan,
                        GError     **error)
{
  static const char * const plans[] = {
    "as-served", "public", "premium", "tiny", "users-only", "failing",
  };

  g_return_val_if_fail (CF_IS_FAKE_VT (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    if (g_strcmp0 (plan, plans[i]) == 0)
      {
        g_mutex_lock (&self->mutex);
        self->account = (CfFakeVtAccount) i;
        g_mutex_unlock (&self->mutex);
        return TRUE;
      }

  g_set_error (error, CF_FAKE_VT_ERROR, CF_FAKE_VT_ERROR_FAILED,
               "Unknown account “%s”: as-served, public, premium, tiny, users-only or failing",
               plan != NULL ? plan : "");
  return FALSE;
}

/**
 * cf_fake_vt_set_quota_window:
 * @self: a #CfFakeVt
 * @seconds: the length of the sliding quota window; 60 unless set
 *
 * Lets a test see a quota window pass without waiting a minute.
 */
void
cf_fake_vt_set_quota_window (CfFakeVt *self,
                             guint     seconds)
{
  g_return_if_fail (CF_IS_FAKE_VT (self));
  g_return_if_fail (seconds > 0);

  g_mutex_lock (&self->mutex);
  self->quota_window = seconds;
  g_mutex_unlock (&self->mutex);
}

/**
 * cf_fake_vt_set_analysis_polls:
 * @self: a #CfFakeVt
 * @queued: how many polls of a new analysis answer "queued"
 * @in_progress: how many polls answer "in-progress" after those
 *
 * Later polls answer "completed". Applies to analyses created from now on.
 */
void
cf_fake_vt_set_analysis_polls (CfFakeVt *self,
                               guint     queued,
                               guint     in_progress)
{
  g_return_if_fail (CF_IS_FAKE_VT (self));

  g_mutex_lock (&self->mutex);
  self->queued_polls = queued;
  self->in_progress_polls = in_progress;
  g_mutex_unlock (&self->mutex);
}

/**
 * cf_fake_vt_set_analysis_not_found_polls:
 * @self: a #CfFakeVt
 * @n: how many first polls of each new analysis answer 404 NotFoundError
 */
void
cf_fake_vt_set_analysis_not_found_polls (CfFakeVt *self,
                                         guint     n)
{
  g_return_if_fail (CF_IS_FAKE_VT (self));

  g_mutex_lock (&self->mutex);
  self->not_found_polls = n;
  g_mutex_unlock (&self->mutex);
}

/**
 * cf_fake_vt_set_upload_url_base:
 * @self: a #CfFakeVt
 * @base: (nullable): an origin such as "https://elsewhere.example", or %NULL
 *   for the server's own
 *
 * Upload URLs are @base + "/_upload/<token>". The token also works on the
 * server's own origin.
 */
void
cf_fake_vt_set_upload_url_base (CfFakeVt   *self,
                                const char *base)
{
  g_return_if_fail (CF_IS_FAKE_VT (self));

  g_mutex_lock (&self->mutex);
  g_free (self->upload_url_base);
  self->upload_url_base = g_strdup (base);
  g_mutex_unlock (&self->mutex);
}

/**
 * cf_fake_vt_set_max_direct_upload:
 * @self: a #CfFakeVt
 * @bytes: the largest file POST /files takes; 32 MiB unless set
 *
 * A larger one gets 413 with an HTML body. Upload URLs take up to 650 MiB.
 */
void
cf_fake_vt_set_max_direct_upload (CfFakeVt *self,
                                  goffset   bytes)
{
  g_return_if_fail (CF_IS_FAKE_VT (self));
  g_return_if_fail (bytes >= 0);

  g_mutex_lock (&self->mutex);
  self->max_direct_upload = bytes;
  g_mutex_unlock (&self->mutex);
}

/**
 * cf_fake_vt_fault_is_valid:
 * @fault: a fault, as for cf_fake_vt_push_fault()
 * @error: return location for a #GError
 *
 * Returns: whether @fault names a fault the server knows
 */
gboolean
cf_fake_vt_fault_is_valid (const char  *fault,
                           GError     **error)
{
  CfFakeVtFault parsed;

  return cf_fake_vt_fault_parse (fault, &parsed, error);
}

/**
 * cf_fake_vt_push_fault:
 * @self: a #CfFakeVt
 * @fault: "503", "504", "reset", "slow:MS", "truncated", "html", "429",
 *   "429:SECONDS", "401", "huge", "500-nonjson", "trickle" (half the reply,
 *   then a byte a second, never all of it) or "wrong-id:SHA256" (a clean
 *   report about that file, whatever was asked); "always:FAULT" for every
 *   request from then on, until cf_fake_vt_clear_faults()
 *
 * Queues a fault for the next API request that has none yet: faults apply
 * one to a request, first in, first out.
 */
void
cf_fake_vt_push_fault (CfFakeVt   *self,
                       const char *fault)
{
  g_autoptr(GError) error = NULL;
  CfFakeVtFault parsed;

  g_return_if_fail (CF_IS_FAKE_VT (self));

  if (!cf_fake_vt_fault_parse (fault, &parsed, &error))
    {
      g_critical ("cf_fake_vt_push_fault: %s", error->message);
      return;
    }

  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->faults, g_memdup2 (&parsed, sizeof parsed));
  g_mutex_unlock (&self->mutex);
}

/**
 * cf_fake_vt_clear_faults:
 * @self: the fake server
 *
 * Forgets every queued fault, also those given with "always:".
 */
void
cf_fake_vt_clear_faults (CfFakeVt *self)
{
  g_return_if_fail (CF_IS_FAKE_VT (self));

  g_mutex_lock (&self->mutex);
  g_queue_clear_full (&self->faults, g_free);
  g_mutex_unlock (&self->mutex);
}

/**
 * cf_fake_vt_get_count:
 * @self: a #CfFakeVt
 * @what: "requests", "lookups", "uploads", "upload_urls", "analysis_polls",
 *   "users", "429", "401", "keyless", "rescans" or "faults"
 *
 * Requests are counted as they arrive, whatever the answer (a fault, a 401,
 * a 429); "429" and "401" count the answers of that status sent.
 *
 * Returns: the count since start or since cf_fake_vt_reset_counts()
 */
guint
cf_fake_vt_get_count (CfFakeVt   *self,
                      const char *what)
{
  guint count = 0;

  g_return_val_if_fail (CF_IS_FAKE_VT (self), 0);
  g_return_val_if_fail (what != NULL, 0);

  for (guint i = 0; i < CF_FAKE_VT_N_COUNTS; i++)
    {
      if (g_str_equal (what, cf_fake_vt_count_names[i]))
        {
          g_mutex_lock (&self->mutex);
          count = self->counts[i];
          g_mutex_unlock (&self->mutex);
          return count;
        }
    }

  g_critical ("cf_fake_vt_get_count: no counter is called “%s”", what);
  return 0;
}

/**
 * cf_fake_vt_reset_counts:
 * @self: a #CfFakeVt
 *
 * Zeroes the counters, forgets the last upload and starts a fresh quota window.
 */
void
cf_fake_vt_reset_counts (CfFakeVt *self)
{
  g_return_if_fail (CF_IS_FAKE_VT (self));

  g_mutex_lock (&self->mutex);
  memset (self->counts, 0, sizeof self->counts);
  g_array_set_size (self->quota_stamps, 0);
  self->quota_used = 0;
  g_clear_pointer (&self->last_upload_filename, g_free);
  self->last_upload_size = -1;
  g_mutex_unlock (&self->mutex);
}

/**
 * cf_fake_vt_get_last_upload_filename:
 * @self: a #CfFakeVt
 *
 * Returns: (transfer full) (nullable): the filename parameter of the last
 *   multipart upload's file part, as sent (without its quotes)
 */
char *
cf_fake_vt_get_last_upload_filename (CfFakeVt *self)
{
  char *filename;

  g_return_val_if_fail (CF_IS_FAKE_VT (self), NULL);

  g_mutex_lock (&self->mutex);
  filename = g_strdup (self->last_upload_filename);
  g_mutex_unlock (&self->mutex);

  return filename;
}

/**
 * cf_fake_vt_get_last_upload_size:
 * @self: a #CfFakeVt
 *
 * Returns: the size of the last multipart upload's file part, or -1 if none
 */
goffset
cf_fake_vt_get_last_upload_size (CfFakeVt *self)
{
  goffset size;

  g_return_val_if_fail (CF_IS_FAKE_VT (self), -1);

  g_mutex_lock (&self->mutex);
  size = self->last_upload_size;
  g_mutex_unlock (&self->mutex);

  return size;
}
