/* cf-session.c: what every front-end holds: the store, the budget, the checker, the key, the checks
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window, the CLI (and the service and the file manager's extension)
 * each make one session and ask it for everything: they never set up a
 * store, a scheduler or a client themselves.
 */

#define G_LOG_DOMAIN "check-first-session"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cf-checker.h"
#include "cf-disarm.h"
#include "cf-enums.h"
#include "cf-secret.h"
#include "cf-session.h"

struct _CfSession
{
  GObject         parent_instance;

  CfSessionFlags  flags;
  GSettings      *settings;
  CfConfig        config;
  CfStore        *store;
  CfScheduler    *scheduler;
  CfChecker      *checker;
  CfAccount      *account;
  guint           account_timer;
  char           *api_key;
  CfKeyState      key_state;
  GError         *key_error;
  GCancellable   *cancellable;
  GListStore     *checks;
  GListStore     *history;
  /* A clear of the history waiting for its Undo: the entries of this time
   * (seconds since the epoch) and before are hidden, not yet deleted. */
  gint64          history_hidden_until;
};

enum {
  PROP_0,
  PROP_KEY_STATE,
  PROP_WAIT_UNTIL,
  PROP_WAIT_REASON,
  N_PROPS
};

enum {
  SIGNAL_CHECK_FINISHED,
  SIGNAL_TRUST_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CfSession, cf_session, G_TYPE_OBJECT)

/* The first daily reading waits for the window to settle; one that
 * could not spare a request tries again now and then. */
#define CF_ACCOUNT_FIRST_READ_S 60
#define CF_ACCOUNT_RETRY_S      600

static void apply_limits (CfSession *self);

static void
set_key_state (CfSession  *self,
               CfKeyState  state)
{
  if (self->key_state == state)
    return;
  self->key_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_STATE]);
}

/* A client is tied to one base URL: made again when the key or the URL changes. */
static void
rebuild_client (CfSession *self)
{
  g_autoptr(CfVtClient) client = NULL;
  g_autoptr(GError) error = NULL;

  cf_account_set_key (self->account, self->api_key);
  apply_limits (self);

  if (self->api_key == NULL)
    {
      cf_checker_set_client (self->checker, NULL);
      set_key_state (self, CF_KEY_STATE_MISSING);
      return;
    }

  client = cf_vt_client_new (self->config.api_url, self->api_key, self->scheduler, &error);
  if (client == NULL)
    {
      g_clear_error (&self->key_error);
      self->key_error = g_steal_pointer (&error);
      cf_checker_set_client (self->checker, NULL);
      set_key_state (self, CF_KEY_STATE_MISSING);
      return;
    }

  g_clear_error (&self->key_error);
  cf_checker_set_client (self->checker, client);
  set_key_state (self, CF_KEY_STATE_PRESENT);
}

static void
apply_config (CfSession      *self,
              const CfConfig *config)
{
  g_autofree char *old_url = g_strdup (self->config.api_url);

  if (config != &self->config)
    {
      cf_config_clear (&self->config);
      cf_config_copy (&self->config, config);
    }

  apply_limits (self);
  cf_scheduler_set_max_wait (self->scheduler, self->config.wait_max);
  cf_checker_set_config (self->checker, &self->config);

  if (old_url != NULL && g_strcmp0 (old_url, self->config.api_url) != 0 && self->api_key != NULL)
    rebuild_client (self);
}

/* What VirusTotal reported for the key, within the plan's own caps; the
 * plan's limits until it has. */
static void
apply_limits (CfSession *self)
{
  guint per_minute, per_day, per_month;

  cf_account_limits (self->account, &self->config, &per_minute, &per_day, &per_month);
  cf_scheduler_set_limits (self->scheduler, per_minute, per_day, per_month);
}

static void
on_account_read (CfSession *self)
{
  apply_limits (self);
}

static void
account_read_in_background_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The account keeps the failure for whoever shows it. */
  if (!cf_session_read_account_finish (CF_SESSION (object), result, &error))
    g_debug ("The account's allowance was not read: %s", error->message);
}

static gboolean
on_account_timer (gpointer user_data)
{
  CfSession *self = user_data;

  self->account_timer = g_timeout_add_seconds (CF_ACCOUNT_RETRY_S, on_account_timer, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->account_timer),
                            "[check-first] account allowance");
  if (cf_account_is_due (self->account, g_get_real_time () / G_USEC_PER_SEC) &&
      !cf_account_is_reading (self->account) && cf_checker_get_client (self->checker) != NULL)
    cf_session_read_account_async (self, FALSE, self->cancellable, account_read_in_background_cb, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_settings_changed (GSettings  *settings,
                     const char *key,
                     CfSession  *self)
{
  CfConfig config;

  /* Window geometry is no concern of the checks. */
  if (g_str_has_prefix (key, "window-"))
    return;

  cf_config_init (&config);
  cf_config_load (&config, self->settings);
  apply_config (self, &config);
  cf_config_clear (&config);
}

static void
on_scheduler_wait (CfSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAIT_UNTIL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAIT_REASON]);
}

static void
on_check_finished (CfChecker *checker,
                   CfCheck   *check,
                   CfSession *self)
{
  g_signal_emit (self, signals[SIGNAL_CHECK_FINISHED], 0, check);
}

static void
cf_session_dispose (GObject *object)
{
  CfSession *self = CF_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->account_timer, g_source_remove);
  if (self->checks != NULL)
    g_list_store_remove_all (self->checks);

  G_OBJECT_CLASS (cf_session_parent_class)->dispose (object);
}

static void
cf_session_finalize (GObject *object)
{
  CfSession *self = CF_SESSION (object);

  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_clear_pointer (&self->api_key, g_free);
  g_clear_error (&self->key_error);
  g_clear_object (&self->checks);
  g_clear_object (&self->history);
  g_clear_object (&self->checker);
  g_clear_object (&self->account);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  cf_config_clear (&self->config);

  G_OBJECT_CLASS (cf_session_parent_class)->finalize (object);
}

static void
cf_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CfSession *self = CF_SESSION (object);

  switch (prop_id)
    {
    case PROP_KEY_STATE:
      g_value_set_enum (value, self->key_state);
      break;
    case PROP_WAIT_UNTIL:
      g_value_set_int64 (value, cf_scheduler_get_wait_until (self->scheduler));
      break;
    case PROP_WAIT_REASON:
      g_value_set_string (value, cf_scheduler_get_wait_reason (self->scheduler));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_session_class_init (CfSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_session_dispose;
  object_class->finalize = cf_session_finalize;
  object_class->get_property = cf_session_get_property;

  properties[PROP_KEY_STATE] =
    g_param_spec_enum ("key-state", NULL, NULL, CF_TYPE_KEY_STATE, CF_KEY_STATE_LOOKING_UP,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The budget's wait, for every front-end's countdown. */
  properties[PROP_WAIT_UNTIL] =
    g_param_spec_int64 ("wait-until", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WAIT_REASON] =
    g_param_spec_string ("wait-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CfSession::check-finished:
   * @check: a check that reached done, failed or cancelled
   */
  signals[SIGNAL_CHECK_FINISHED] =
    g_signal_new ("check-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CF_TYPE_CHECK);
  /**
   * CfSession::trust-changed:
   * @sha256: the file whose place on the trust list changed
   */
  signals[SIGNAL_TRUST_CHANGED] =
    g_signal_new ("trust-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cf_session_init (CfSession *self)
{
  self->key_state = CF_KEY_STATE_LOOKING_UP;
  self->cancellable = g_cancellable_new ();
  self->checks = g_list_store_new (CF_TYPE_CHECK);
  self->history = g_list_store_new (CF_TYPE_CHECK);
  cf_config_init (&self->config);
}

/* Opens @store_path (NULL: the user's database) and reads the settings. */
CfSession *
cf_session_new (const char      *store_path,
                CfSessionFlags   flags,
                GError         **error)
{
  g_autoptr(CfSession) self = g_object_new (CF_TYPE_SESSION, NULL);
  g_autoptr(GError) local_error = NULL;

  self->flags = flags;
  self->settings = cf_settings_new ();
  cf_config_load (&self->config, self->settings);

  self->store = cf_store_open (store_path, &local_error);
  if (self->store == NULL && (flags & CF_SESSION_MEMORY_FALLBACK))
    {
      /* Checks still work without history and cache; say why in the log. */
      g_warning ("Cannot open the database: %s", local_error->message);
      g_clear_error (&local_error);
      self->store = cf_store_open (":memory:", &local_error);
    }
  if (self->store == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if ((flags & CF_SESSION_WRITE_BEHIND) && !cf_store_set_write_behind (self->store, &local_error))
    {
      /* Still correct, only less smooth while another program holds it. */
      g_warning ("Writing to the database will wait on the main thread: %s", local_error->message);
      g_clear_error (&local_error);
    }

  self->scheduler = cf_scheduler_new (self->store);
  self->checker = cf_checker_new (self->store, self->scheduler);
  if (flags & CF_SESSION_ONE_RUN)
    cf_checker_keep_answers (self->checker);
  self->account = cf_account_new (self->store);
  g_signal_connect_object (self->account, "notify::read", G_CALLBACK (on_account_read), self,
                           G_CONNECT_SWAPPED);
  apply_config (self, &self->config);
  if (flags & CF_SESSION_READ_ACCOUNT)
    {
      self->account_timer = g_timeout_add_seconds (CF_ACCOUNT_FIRST_READ_S, on_account_timer, self);
      g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->account_timer),
                                "[check-first] account allowance");
    }

  g_signal_connect_object (self->scheduler, "notify::wait-until",
                           G_CALLBACK (on_scheduler_wait), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->checker, "finished", G_CALLBACK (on_check_finished), self, 0);
  if (self->settings != NULL && (flags & CF_SESSION_FOLLOW_SETTINGS))
    g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self, 0);

  return g_steal_pointer (&self);
}

GSettings *
cf_session_get_settings (CfSession *self)
{
  g_return_val_if_fail (CF_IS_SESSION (self), NULL);
  return self->settings;
}

const CfConfig *
cf_session_get_config (CfSession *self)
{
  g_return_val_if_fail (CF_IS_SESSION (self), NULL);
  return &self->config;
}

/* The settings with a run's own options on top (the command line). */
void
cf_session_set_config (CfSession      *self,
                       const CfConfig *config)
{
  g_return_if_fail (CF_IS_SESSION (self));
  g_return_if_fail (config != NULL);

  apply_config (self, config);
}

void
cf_session_set_use_cache (CfSession *self,
                          gboolean   use_cache)
{
  g_return_if_fail (CF_IS_SESSION (self));
  cf_checker_set_use_cache (self->checker, use_cache);
}

void
cf_session_get_quota (CfSession    *self,
                      CfQuotaUsage *usage)
{
  g_return_if_fail (CF_IS_SESSION (self));
  cf_scheduler_get_usage (self->scheduler, usage);
}

guint
cf_session_get_requests_spent (CfSession *self)
{
  g_return_val_if_fail (CF_IS_SESSION (self), 0);
  return cf_scheduler_get_spent (self->scheduler);
}

/* The account */

CfAccount *
cf_session_get_account (CfSession *self)
{
  g_return_val_if_fail (CF_IS_SESSION (self), NULL);
  return self->account;
}

static void
read_account_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (cf_account_read_finish (CF_ACCOUNT (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Reading the allowance is a request like any other: it takes a slot of
 * the budget.  Waited for (a key just saved, --quota), it queues ahead of
 * batches; otherwise it goes only when a slot is free at once, behind
 * nobody and ahead of nobody. */
void
cf_session_read_account_async (CfSession           *self,
                               gboolean             wait,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CfVtClient *client;

  g_return_if_fail (CF_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_session_read_account_async);
  client = cf_checker_get_client (self->checker);
  if (client == NULL)
    {
      g_task_return_new_error (task, CF_VT_ERROR, CF_VT_ERROR_NO_KEY,
                               _("There is no API key to read the allowance of."));
      return;
    }
  cf_account_read_async (self->account, client,
                         wait ? CF_PRIORITY_INTERACTIVE : CF_PRIORITY_BACKGROUND, wait,
                         cancellable, read_account_cb, g_steal_pointer (&task));
}

gboolean
cf_session_read_account_finish (CfSession     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The key */

CfKeyState
cf_session_get_key_state (CfSession *self)
{
  g_return_val_if_fail (CF_IS_SESSION (self), CF_KEY_STATE_MISSING);
  return self->key_state;
}

/* Why there is no key to use, when there is none. */
const GError *
cf_session_get_key_error (CfSession *self)
{
  g_return_val_if_fail (CF_IS_SESSION (self), NULL);
  return self->key_error;
}

static void
lookup_key_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  char *key = cf_api_key_get (cancellable, &error);

  if (key == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, g_free);
}

static void
lookup_key_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CfSession *self = CF_SESSION (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A key may have been saved while the keyring was slow. */
  if (self->key_state == CF_KEY_STATE_PRESENT)
    return;

  if (key == NULL)
    {
      g_debug ("No API key yet: %s", error->message);
      g_clear_error (&self->key_error);
      self->key_error = g_steal_pointer (&error);
      set_key_state (self, CF_KEY_STATE_MISSING);
      return;
    }

  cf_session_set_api_key (self, key);
  memset (key, 0, strlen (key));
}

/* Asks the keyring (or VT_API_KEY) on a worker thread: the keyring can be
 * slow to answer, and the window must not wait for it. */
void
cf_session_lookup_key (CfSession *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CF_IS_SESSION (self));

  task = g_task_new (self, self->cancellable, lookup_key_cb, NULL);
  g_task_set_source_tag (task, cf_session_lookup_key);
  g_task_run_in_thread (task, lookup_key_thread);
}

/* The same, at once, for a script.  Without a key the cache and the trust
 * list still answer; a check that needs a request waits in
 * CF_CHECK_STAGE_PENDING, and the caller reports the key error. */
gboolean
cf_session_lookup_key_sync (CfSession  *self,
                            GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (CF_IS_SESSION (self), FALSE);

  key = cf_api_key_get (NULL, &local_error);
  if (key == NULL)
    {
      g_clear_error (&self->key_error);
      self->key_error = g_steal_pointer (&local_error);
      set_key_state (self, CF_KEY_STATE_MISSING);
      /* No key will come while a script runs: say so for each request. */
      cf_checker_set_no_client_error (self->checker, self->key_error);
      return TRUE;
    }

  cf_session_set_api_key (self, key);
  memset (key, 0, strlen (key));
  if (self->key_state != CF_KEY_STATE_PRESENT && self->key_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->key_error));
      return FALSE;
    }
  return TRUE;
}

void
cf_session_set_api_key (CfSession  *self,
                        const char *key)
{
  g_return_if_fail (CF_IS_SESSION (self));

  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_clear_pointer (&self->api_key, g_free);
  if (key != NULL && *key != '\0')
    self->api_key = g_strdup (key);

  rebuild_client (self);
}

static void
verify_key_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CfSession *self = g_task_get_source_object (task);
  const char *key = g_task_get_task_data (task);
  gboolean verified = FALSE;
  GError *error = NULL;
  gboolean stored = cf_api_key_verify_and_store_finish (result, &verified, &error);

  /* A key VirusTotal accepted is used even when the keyring failed; a key
   * kept in the keyring waits while VT_API_KEY overrides it.  What it may
   * spend is read at once: a premium key need not wait a day to be one. */
  if (verified && !(stored && cf_api_key_from_environment ()))
    {
      cf_session_set_api_key (self, key);
      if (cf_checker_get_client (self->checker) != NULL)
        cf_session_read_account_async (self, TRUE, self->cancellable, account_read_in_background_cb, NULL);
    }
  g_object_set_data (G_OBJECT (task), "verified", GINT_TO_POINTER (verified));
  if (stored)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
free_secret (gpointer data)
{
  char *key = data;

  memset (key, 0, strlen (key));
  g_free (key);
}

/* Asks VirusTotal whether @key works and keeps it (keyring and session)
 * only when it does: a wrong key is never saved. */
void
cf_session_verify_and_store_key_async (CfSession           *self,
                                       const char          *key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CF_IS_SESSION (self));
  g_return_if_fail (key != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_session_verify_and_store_key_async);
  g_task_set_task_data (task, g_strdup (key), free_secret);
  cf_api_key_verify_and_store_async (key, self->checker, cancellable, verify_key_cb, task);
}

gboolean
cf_session_verify_and_store_key_finish (CfSession     *self,
                                        GAsyncResult  *result,
                                        gboolean      *verified,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (verified != NULL)
    *verified = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (result), "verified"));
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The end of the session's work: unfinished checks are cancelled and its
 * own background work (the keyring, the history) is abandoned. */
void
cf_session_shutdown (CfSession *self)
{
  g_return_if_fail (CF_IS_SESSION (self));

  g_cancellable_cancel (self->cancellable);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->checks)); i++)
    {
      g_autoptr(CfCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      if (!cf_check_is_finished (check))
        cf_check_cancel (check);
    }

  /* A clear of the history whose Undo was not taken is done now. */
  if (self->history_hidden_until > 0)
    cf_session_clear_history (self);

  /* What the person did is written before the program goes. */
  cf_store_flush (self->store);
}

/* Checks */

GListModel *
cf_session_get_checks (CfSession *self)
{
  g_return_val_if_fail (CF_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->checks);
}

CfCheck *
cf_session_check_file (CfSession           *self,
                       GFile               *file,
                       CfSessionCheckFlags  flags)
{
  CfCheckerFileFlags checker_flags = CF_CHECKER_FILE_NONE;
  CfCheck *check;

  g_return_val_if_fail (CF_IS_SESSION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (flags & (CF_SESSION_CHECK_TO_LAUNCH | CF_SESSION_CHECK_DOWNLOAD))
    checker_flags |= CF_CHECKER_FILE_TO_LAUNCH;
  if (flags & CF_SESSION_CHECK_NO_UPLOAD)
    checker_flags |= CF_CHECKER_FILE_NO_UPLOAD;
  check = cf_checker_check_file_full (self->checker, file,
                                      (flags & CF_SESSION_CHECK_DOWNLOAD) ? CF_PRIORITY_DOWNLOAD
                                                                          : CF_PRIORITY_INTERACTIVE,
                                      checker_flags);
  if (flags & CF_SESSION_CHECK_LISTED)
    g_list_store_insert (self->checks, 0, check);
  return check;
}

CfCheck *
cf_session_check_hash (CfSession  *self,
                       const char *hash,
                       CfPriority  priority)
{
  g_return_val_if_fail (CF_IS_SESSION (self), NULL);
  g_return_val_if_fail (hash != NULL, NULL);

  return cf_checker_check_hash (self->checker, hash, priority);
}

void
cf_session_remove_check (CfSession *self,
                         CfCheck   *check)
{
  guint position;

  g_return_if_fail (CF_IS_SESSION (self));
  g_return_if_fail (CF_IS_CHECK (check));

  if (g_list_store_find (self->checks, check, &position))
    g_list_store_remove (self->checks, position);
}

/* The check of the list or the history with this serial, or NULL. */
CfCheck *
cf_session_find_check (CfSession *self,
                       guint64    serial)
{
  GListModel *models[] = { G_LIST_MODEL (self->checks), G_LIST_MODEL (self->history) };

  g_return_val_if_fail (CF_IS_SESSION (self), NULL);

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    for (guint i = 0; i < g_list_model_get_n_items (models[m]); i++)
      {
        g_autoptr(CfCheck) check = g_list_model_get_item (models[m], i);

        if (cf_check_get_serial (check) == serial)
          return check;
      }
  return NULL;
}

/* The newest check of this file in the list, else in the history. */
CfCheck *
cf_session_find_sha256 (CfSession  *self,
                        const char *sha256)
{
  GListModel *models[] = { G_LIST_MODEL (self->checks), G_LIST_MODEL (self->history) };

  g_return_val_if_fail (CF_IS_SESSION (self), NULL);

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    for (guint i = 0; i < g_list_model_get_n_items (models[m]); i++)
      {
        g_autoptr(CfCheck) check = g_list_model_get_item (models[m], i);

        if (g_strcmp0 (cf_check_get_sha256 (check), sha256) == 0)
          return check;
      }
  return NULL;
}

void
cf_session_clear_finished (CfSession *self)
{
  g_return_if_fail (CF_IS_SESSION (self));

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->checks)); i > 0; i--)
    {
      g_autoptr(CfCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i - 1);

      if (cf_check_is_finished (check))
        g_list_store_remove (self->checks, i - 1);
    }
}

/* A list that runs for days (the service's) keeps its newest @keep
 * checks; the older finished ones are in the history. */
void
cf_session_trim_checks (CfSession *self,
                        guint      keep)
{
  g_return_if_fail (CF_IS_SESSION (self));

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->checks)); i > keep; i--)
    {
      g_autoptr(CfCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i - 1);

      if (cf_check_is_finished (check))
        g_list_store_remove (self->checks, i - 1);
    }
}

void
cf_session_upload (CfSession *self,
                   CfCheck   *check)
{
  g_return_if_fail (CF_IS_SESSION (self));
  cf_checker_upload (self->checker, check);
}

void
cf_session_redecide (CfSession *self,
                     CfCheck   *check)
{
  g_return_if_fail (CF_IS_SESSION (self));
  cf_checker_redecide (self->checker, check);
}

gboolean
cf_session_can_rescan (CfSession *self,
                       CfCheck   *check)
{
  g_return_val_if_fail (CF_IS_SESSION (self), FALSE);
  return cf_checker_can_rescan (self->checker, check);
}

void
cf_session_rescan (CfSession *self,
                   CfCheck   *check)
{
  g_return_if_fail (CF_IS_SESSION (self));
  cf_checker_rescan (self->checker, check);
}

CfAudit *
cf_session_new_audit (CfSession  *self,
                      const char *proc_root)
{
  g_return_val_if_fail (CF_IS_SESSION (self), NULL);
  return cf_audit_new (self->checker, proc_root);
}

gboolean
cf_session_verify_unchanged (CfSession  *self,
                             CfCheck    *check,
                             GError    **error)
{
  g_return_val_if_fail (CF_IS_SESSION (self), FALSE);
  return cf_check_verify_unchanged (check, error);
}

/* For a finished check made with CF_SESSION_CHECK_DOWNLOAD: a blocked file
 * that was executable is no longer (TRUE), through the hold its check kept,
 * so that it is still the file checked.  The file is let go of either way. */
gboolean
cf_session_disarm_download (CfSession  *self,
                            CfCheck    *check,
                            GError    **error)
{
  CfFileHold *hold;
  gboolean cleared = FALSE;

  g_return_val_if_fail (CF_IS_SESSION (self), FALSE);
  g_return_val_if_fail (CF_IS_CHECK (check), FALSE);

  hold = cf_check_get_hold (check);
  if (hold != NULL && cf_check_get_stage (check) == CF_CHECK_STAGE_DONE &&
      cf_check_get_decision (check) == CF_DECISION_BLOCK && cf_check_get_sha256 (check) != NULL)
    cleared = cf_disarm_held (self->store, hold, cf_check_get_sha256 (check), error);
  cf_check_release_hold (check);
  return cleared;
}

/* Before the person runs a blocked file anyway: its execute bits back, if
 * Check First cleared them.  Returns how many files got them back. */
guint
cf_session_rearm (CfSession *self,
                  CfCheck   *check)
{
  GFile *file;

  g_return_val_if_fail (CF_IS_SESSION (self), 0);
  g_return_val_if_fail (CF_IS_CHECK (check), 0);

  file = cf_check_get_file (check);
  if (file == NULL || g_file_peek_path (file) == NULL)
    return 0;
  return cf_rearm_path (self->store, g_file_peek_path (file), cf_check_get_hold (check));
}

/* What is known */

typedef struct
{
  GFile    *file;
  CfPolicy  policy;
} KnownQuery;

static void
known_query_free (KnownQuery *query)
{
  g_object_unref (query->file);
  g_free (query);
}

static void
get_known_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CfSession *self = source_object;
  KnownQuery *query = task_data;
  GError *error = NULL;
  CfCheck *check;

  /* What the main thread wrote just before it asked (a file's new
   * identity after its execute bits came back, a trust change) is seen. */
  cf_store_catch_up (self->store);
  check = cf_checker_check_cached (self->checker, query->file, &query->policy, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, check, g_object_unref);
}

void
cf_session_get_known_async (CfSession           *self,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KnownQuery *query;

  g_return_if_fail (CF_IS_SESSION (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_session_get_known_async);

  /* A check of it under way says more than the cache. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->checks)); i++)
    {
      g_autoptr(CfCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      if (!cf_check_is_finished (check) && cf_check_get_file (check) != NULL &&
          g_file_equal (cf_check_get_file (check), file))
        {
          g_task_return_pointer (task, g_steal_pointer (&check), g_object_unref);
          return;
        }
    }

  /* The policy as it is now, for the worker thread to decide with. */
  query = g_new0 (KnownQuery, 1);
  query->file = g_object_ref (file);
  query->policy = self->config.policy;
  g_task_set_task_data (task, query, (GDestroyNotify) known_query_free);
  g_task_run_in_thread (task, get_known_thread);
}

CfCheck *
cf_session_get_known_finish (CfSession     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Remembers what the person did about a check ("run-anyway", ...). */
void
cf_session_record_override (CfSession  *self,
                            CfCheck    *check,
                            const char *override)
{
  g_return_if_fail (CF_IS_SESSION (self));
  g_return_if_fail (CF_IS_CHECK (check));

  cf_check_set_override (check, override);
  if (cf_check_get_history_id (check) > 0)
    cf_store_set_history_override (self->store, cf_check_get_history_id (check), override);
}

/* The Trash */

static void
trash_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  CfTrashed *trashed = cf_trash_file (cf_check_get_file (task_data), cancellable, &error);

  if (trashed != NULL)
    g_task_return_pointer (task, trashed, (GDestroyNotify) cf_trashed_free);
  else
    g_task_return_error (task, error);
}

static void
trash_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  CfSession *self = CF_SESSION (object);
  CfCheck *check = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  CfTrashed *trashed = g_task_propagate_pointer (G_TASK (result), &error);

  if (trashed == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  cf_session_record_override (self, check, "moved-to-trash");
  g_task_return_pointer (outer, trashed, (GDestroyNotify) cf_trashed_free);
}

/* Moves the file of @check (a local one) to the Trash.  It is no longer
 * held: what is in the Trash is never launched from here. */
void
cf_session_trash_async (CfSession           *self,
                        CfCheck             *check,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) worker = NULL;
  GTask *outer;

  g_return_if_fail (CF_IS_SESSION (self));
  g_return_if_fail (CF_IS_CHECK (check));
  g_return_if_fail (cf_check_get_file (check) != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, cf_session_trash_async);

  cf_check_release_hold (check);
  worker = g_task_new (self, cancellable, trash_done, outer);
  g_task_set_task_data (worker, g_object_ref (check), g_object_unref);
  g_task_run_in_thread (worker, trash_thread);
}

CfTrashed *
cf_session_trash_finish (CfSession     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (cf_trashed_restore (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
restore_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  CfCheck *check = g_task_get_task_data (outer);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  /* Back where it was, and still not opened: the block stands. */
  cf_session_record_override (CF_SESSION (object), check, NULL);
  g_task_return_boolean (outer, TRUE);
}

/* Undoes cf_session_trash_async (); takes @trashed. */
void
cf_session_restore_async (CfSession           *self,
                          CfCheck             *check,
                          CfTrashed           *trashed,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) worker = NULL;
  GTask *outer;

  g_return_if_fail (CF_IS_SESSION (self));
  g_return_if_fail (CF_IS_CHECK (check));
  g_return_if_fail (trashed != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, cf_session_restore_async);
  g_task_set_task_data (outer, g_object_ref (check), g_object_unref);

  worker = g_task_new (self, cancellable, restore_done, outer);
  g_task_set_task_data (worker, trashed, (GDestroyNotify) cf_trashed_free);
  g_task_run_in_thread (worker, restore_thread);
}

gboolean
cf_session_restore_finish (CfSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* History */

GListModel *
cf_session_get_history (CfSession *self)
{
  g_return_val_if_fail (CF_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->history);
}

/* Entries read for each row shown: repeats of one file fold into one row. */
#define HISTORY_READ_PER_ROW 4

/* What a history read needs: how many entries (or rows, when grouped),
 * which to leave out (the checks the list shows already; those of a clear
 * waiting for its Undo), and whether repeats fold into one row. */
typedef struct
{
  guint       limit;
  GHashTable *listed;        /* history ids, or NULL */
  gint64      hidden_until;  /* seconds since the epoch, 0 for none */
  gboolean    grouped;
} HistoryQuery;

static void
history_query_free (HistoryQuery *query)
{
  g_clear_pointer (&query->listed, g_hash_table_unref);
  g_free (query);
}

/* One row for each file checked again and again with the same verdict:
 * the newest check, and how many it stands for. */
static char *
history_group_key (const CfHistoryEntry *entry)
{
  return g_strdup_printf ("%s\n%s\n%s\n%s", entry->path != NULL ? entry->path : "",
                          entry->sha256 != NULL ? entry->sha256 : "",
                          entry->reason != NULL ? entry->reason : "",
                          entry->status != NULL ? entry->status : "");
}

static void
list_history_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  CfSession *self = source_object;
  HistoryQuery *query = task_data;
  /* Whatever its age: a history entry shows what was known then. */
  const CfCacheTtl forever = { G_MAXINT32, G_MAXINT32, G_MAXINT32 };
  g_autoptr(GPtrArray) entries = cf_store_list_history (self->store,
                                                        query->grouped ? query->limit * HISTORY_READ_PER_ROW
                                                                       : query->limit);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) newest = g_ptr_array_new ();   /* CfHistoryEntry, borrowed */
  g_autoptr(GArray) times = g_array_new (FALSE, TRUE, sizeof (guint));
  GPtrArray *checks = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* Newest first: the first of a group is the one shown. */
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const CfHistoryEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *key = NULL;
      gpointer index;

      if (entry->time <= query->hidden_until)
        continue;
      if (query->grouped)
        {
          key = history_group_key (entry);
          if (g_hash_table_lookup_extended (groups, key, NULL, &index))
            {
              g_array_index (times, guint, GPOINTER_TO_UINT (index))++;
              continue;
            }
        }
      if (newest->len >= query->limit)
        continue;
      if (key != NULL)
        g_hash_table_insert (groups, g_steal_pointer (&key), GUINT_TO_POINTER (newest->len));
      g_ptr_array_add (newest, (gpointer) entry);
      g_array_set_size (times, newest->len);
      g_array_index (times, guint, newest->len - 1) = 1;
    }

  for (guint i = 0; i < newest->len; i++)
    {
      const CfHistoryEntry *entry = g_ptr_array_index (newest, i);
      g_autoptr(CfReport) report = NULL;

      if (query->listed != NULL && g_hash_table_contains (query->listed, &entry->id))
        continue;
      if (entry->sha256 != NULL)
        cf_store_lookup_verdict (self->store, entry->sha256, now, &forever, &report, NULL);
      g_ptr_array_add (checks, cf_check_new_from_history_times (entry, report, g_array_index (times, guint, i)));
    }

  g_task_return_pointer (task, checks, (GDestroyNotify) g_ptr_array_unref);
}

/* Reads @limit entries on a worker thread, without those of @listed
 * (NULL: all of them). */
static void
run_history_query (CfSession  *self,
                   GTask      *task,
                   guint       limit,
                   GListModel *listed,
                   gboolean    grouped)
{
  HistoryQuery *query = g_new0 (HistoryQuery, 1);

  query->limit = limit;
  query->hidden_until = self->history_hidden_until;
  query->grouped = grouped;
  /* A check made in this process before the history was read (by the
   * service, before the window opened) is in the list already. */
  if (listed != NULL)
    {
      query->listed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; i < g_list_model_get_n_items (listed); i++)
        {
          g_autoptr(CfCheck) check = g_list_model_get_item (listed, i);
          gint64 id = cf_check_get_history_id (check);

          if (id > 0)
            g_hash_table_add (query->listed, g_memdup2 (&id, sizeof id));
        }
    }
  g_task_set_task_data (task, query, (GDestroyNotify) history_query_free);
  g_task_run_in_thread (task, list_history_thread);
}

static void
load_history_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CfSession *self = CF_SESSION (object);
  g_autoptr(GPtrArray) checks = g_task_propagate_pointer (G_TASK (result), NULL);

  if (checks == NULL)
    return;
  g_list_store_splice (self->history, 0, g_list_model_get_n_items (G_LIST_MODEL (self->history)),
                       checks->pdata, checks->len);
}

/* Reads the newest entries on a worker thread into the history model, at
 * most @limit rows: a file checked again with the same verdict is one row
 * (see cf_check_get_times_checked()). */
void
cf_session_load_history (CfSession *self,
                         guint      limit)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CF_IS_SESSION (self));

  task = g_task_new (self, self->cancellable, load_history_cb, NULL);
  g_task_set_source_tag (task, cf_session_load_history);
  run_history_query (self, task, limit, G_LIST_MODEL (self->checks), TRUE);
}

void
cf_session_list_history_async (CfSession           *self,
                               guint                limit,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CF_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_session_list_history_async);
  run_history_query (self, task, limit, NULL, FALSE);
}

/* The checks of earlier, newest first (CfCheck). */
GPtrArray *
cf_session_list_history_finish (CfSession     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Clears the history: at once, or, after cf_session_hide_history(), what
 * was hidden then. */
void
cf_session_clear_history (CfSession *self)
{
  g_return_if_fail (CF_IS_SESSION (self));

  if (self->history_hidden_until > 0)
    {
      cf_store_clear_history_before (self->store, self->history_hidden_until);
      self->history_hidden_until = 0;
      return;
    }

  cf_store_clear_history (self->store);
  g_list_store_remove_all (self->history);
}

/* Clearing with Undo: the history goes from sight now, and from the store
 * at cf_session_clear_history() (or when the session shuts down), unless
 * cf_session_restore_history() brings it back first.  Checks made in
 * between stay. */
void
cf_session_hide_history (CfSession *self)
{
  g_return_if_fail (CF_IS_SESSION (self));

  self->history_hidden_until = g_get_real_time () / G_USEC_PER_SEC;
  g_list_store_remove_all (self->history);
}

void
cf_session_restore_history (CfSession *self,
                            guint      limit)
{
  g_return_if_fail (CF_IS_SESSION (self));

  self->history_hidden_until = 0;
  cf_session_load_history (self, limit);
}

void
cf_session_clear_cache (CfSession *self)
{
  g_return_if_fail (CF_IS_SESSION (self));
  cf_store_clear_cache (self->store);
}

/* Trust */

CfTrust
cf_session_get_trust (CfSession  *self,
                      const char *sha256)
{
  g_return_val_if_fail (CF_IS_SESSION (self), CF_TRUST_NONE);
  return sha256 != NULL ? cf_store_get_trust (self->store, sha256, NULL) : CF_TRUST_NONE;
}

GPtrArray *
cf_session_list_trust (CfSession *self)
{
  g_return_val_if_fail (CF_IS_SESSION (self), NULL);
  return cf_store_list_trust (self->store);
}

/* Every check of this file in the session follows the new trust. */
static void
redecide_sha256 (CfSession  *self,
                 const char *sha256)
{
  GListModel *models[] = { G_LIST_MODEL (self->checks), G_LIST_MODEL (self->history) };

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    for (guint i = 0; i < g_list_model_get_n_items (models[m]); i++)
      {
        g_autoptr(CfCheck) check = g_list_model_get_item (models[m], i);

        if (g_strcmp0 (cf_check_get_sha256 (check), sha256) == 0)
          cf_checker_redecide (self->checker, check);
      }
  g_signal_emit (self, signals[SIGNAL_TRUST_CHANGED], 0, sha256);
}

gboolean
cf_session_set_trust (CfSession   *self,
                      const char  *sha256,
                      CfTrust      trust,
                      const char  *note,
                      GError     **error)
{
  g_return_val_if_fail (CF_IS_SESSION (self), FALSE);

  if (!cf_store_set_trust (self->store, sha256, trust, note, g_get_real_time () / G_USEC_PER_SEC, error))
    return FALSE;
  if (trust == CF_TRUST_ALLOW)
    cf_rearm_content (self->store, sha256);
  redecide_sha256 (self, sha256);
  return TRUE;
}

typedef struct
{
  char    *sha256;
  CfTrust  trust;
  char    *note;
} TrustChange;

static void
trust_change_free (TrustChange *change)
{
  g_free (change->sha256);
  g_free (change->note);
  g_free (change);
}

static void
set_trust_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CfSession *self = source_object;
  TrustChange *change = task_data;
  GError *error = NULL;

  if (cf_store_set_trust (self->store, change->sha256, change->trust, change->note,
                          g_get_real_time () / G_USEC_PER_SEC, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
set_trust_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  CfSession *self = g_task_get_source_object (outer);
  TrustChange *change = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  /* Allowed: the files Check First took the execute bits of get them back
   * (files are held from the main thread). */
  if (change->trust == CF_TRUST_ALLOW)
    cf_rearm_content (self->store, change->sha256);
  redecide_sha256 (self, change->sha256);
  g_task_return_boolean (outer, TRUE);
}

/* Writes the change on a worker thread (the database may be busy with
 * another program), then decides this file's checks again. */
void
cf_session_set_trust_async (CfSession           *self,
                            const char          *sha256,
                            CfTrust              trust,
                            const char          *note,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) worker = NULL;
  GTask *outer;
  TrustChange *change;

  g_return_if_fail (CF_IS_SESSION (self));
  g_return_if_fail (sha256 != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, cf_session_set_trust_async);

  change = g_new0 (TrustChange, 1);
  change->sha256 = g_strdup (sha256);
  change->trust = trust;
  change->note = g_strdup (note);
  worker = g_task_new (self, cancellable, set_trust_cb, outer);
  g_task_set_task_data (worker, change, (GDestroyNotify) trust_change_free);
  g_task_run_in_thread (worker, set_trust_thread);
}

gboolean
cf_session_set_trust_finish (CfSession     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* For tests and the bench */

CfStore *
cf_session_get_store (CfSession *self)
{
  g_return_val_if_fail (CF_IS_SESSION (self), NULL);
  return self->store;
}

CfScheduler *
cf_session_get_scheduler (CfSession *self)
{
  g_return_val_if_fail (CF_IS_SESSION (self), NULL);
  return self->scheduler;
}
