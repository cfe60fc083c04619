/* cf-nautilus-client.c: the file manager's side of the D-Bus interface: calls that never block, and the verdicts it was told
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here runs in the file manager's main thread, so nothing here
 * waits: every call is asynchronous and has a timeout, and a service that
 * cannot be reached is left alone for a while instead of being asked about
 * each of the thousands of files a folder may hold.  Calling the service's
 * name starts it when it does not run (D-Bus activation): the first
 * question may take as long as the start.
 *
 * What the service said is kept per file, a bounded number of files, so
 * that a folder shown again costs no call.  The file manager asks again
 * for a file it already had an answer for when something changed it (the
 * file itself, say), so such a question gets a fresh answer; one we caused
 * (a verdict changed, the service came back) is answered from here.
 */

#define G_LOG_DOMAIN "check-first-nautilus"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-nautilus-client.h"

#define CF_BUS_NAME    APP_ID
#define CF_OBJECT_PATH "/io/github/checkfirst/CheckFirst"
#define CF_INTERFACE   "io.github.checkfirst.CheckFirst1"

/* Files whose verdict is kept (a few hundred bytes each). */
#define CACHE_MAX 4096
/* A verdict is given to a newly shown file without asking for this long. */
#define CACHE_FRESH_US (60 * G_USEC_PER_SEC)
/* GetVerdict reads the database only, but the first call may start the
 * service; CheckFiles only queues the files. */
#define GET_VERDICT_TIMEOUT_MS 10000
#define CHECK_FILES_TIMEOUT_MS 30000
/* After the service could not be reached, files are shown without asking
 * for this long, or until it answers or appears on the bus. */
#define UNREACHABLE_PAUSE_S 30

typedef struct
{
  GList              link;            /* in the LRU queue; data is the entry */
  char              *uri;
  CfNautilusVerdict *verdict;
  gint64             fetched;         /* monotonic µs */
  gconstpointer      asker;           /* the file it was last given to, compared only */
  gboolean           reask_expected;
} Entry;

struct _CfNautilusClient
{
  GObject           parent_instance;

  GDBusConnection  *connection;
  GCancellable     *cancellable;
  guint             verdict_changed_id;
  guint             name_watch;
  GHashTable       *cache;              /* URI → Entry */
  GQueue            lru;                /* Entry links, most recently used first */
  gint64            unreachable_until;  /* monotonic µs; 0 while reachable */
  guint             retry_id;           /* ends the pause */
};

enum {
  VERDICT_CHANGED,
  REACHABLE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static CfNautilusClient *default_client;

G_DEFINE_DYNAMIC_TYPE_EXTENDED (CfNautilusClient, cf_nautilus_client, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL, {})

/* The cache */

static void
entry_free (Entry *entry)
{
  g_free (entry->uri);
  cf_nautilus_verdict_free (entry->verdict);
  g_free (entry);
}

static void
remember (CfNautilusClient  *self,
          const char        *uri,
          CfNautilusVerdict *verdict,
          gconstpointer      asker,
          gboolean           reask_expected)
{
  Entry *entry = g_hash_table_lookup (self->cache, uri);

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->uri = g_strdup (uri);
      entry->link.data = entry;
      g_hash_table_insert (self->cache, entry->uri, entry);
    }
  else
    {
      g_queue_unlink (&self->lru, &entry->link);
      cf_nautilus_verdict_free (entry->verdict);
    }
  entry->verdict = verdict;
  entry->fetched = g_get_monotonic_time ();
  entry->asker = asker;
  entry->reask_expected = reask_expected;
  g_queue_push_head_link (&self->lru, &entry->link);

  while (self->lru.length > CACHE_MAX)
    {
      GList *oldest = g_queue_pop_tail_link (&self->lru);

      g_hash_table_remove (self->cache, ((Entry *) oldest->data)->uri);
    }
}

/**
 * cf_nautilus_client_lookup:
 * @uri: a file:// URI
 * @asker: the file manager's object for the file, only compared
 *
 * The verdict kept for @uri when it may be given without asking the
 * service: the file manager asks again because of something we did, or a
 * file it has not asked about before is shown soon after the answer.
 *
 * Returns: (nullable) (transfer none): the verdict, or %NULL to ask.
 */
const CfNautilusVerdict *
cf_nautilus_client_lookup (CfNautilusClient *self,
                           const char       *uri,
                           gconstpointer     asker)
{
  Entry *entry;

  g_return_val_if_fail (CF_IS_NAUTILUS_CLIENT (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  entry = g_hash_table_lookup (self->cache, uri);
  if (entry == NULL)
    return NULL;
  /* The same file asking again, unprompted: it changed. */
  if (!entry->reask_expected &&
      (entry->asker == asker || g_get_monotonic_time () - entry->fetched > CACHE_FRESH_US))
    return NULL;

  entry->reask_expected = FALSE;
  entry->asker = asker;
  g_queue_unlink (&self->lru, &entry->link);
  g_queue_push_head_link (&self->lru, &entry->link);
  return entry->verdict;
}

/* The file manager is about to ask about @uri because we told it to (the
 * emblems were turned on or off, say): the verdict kept is the answer. */
void
cf_nautilus_client_expect_reask (CfNautilusClient *self,
                                 const char       *uri)
{
  Entry *entry;

  g_return_if_fail (CF_IS_NAUTILUS_CLIENT (self));

  entry = g_hash_table_lookup (self->cache, uri);
  if (entry != NULL)
    entry->reask_expected = TRUE;
}

/* Reaching the service */

/* Whether the service may be asked now: not while it recently could not
 * be reached. */
gboolean
cf_nautilus_client_is_reachable (CfNautilusClient *self)
{
  g_return_val_if_fail (CF_IS_NAUTILUS_CLIENT (self), FALSE);

  return self->unreachable_until == 0 || g_get_monotonic_time () >= self->unreachable_until;
}

/* Errors that are about the question, not about reaching the service. */
static gboolean
is_answer (const GError *error)
{
  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_FILE_NOT_FOUND) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED);
}

/* The service answers again: whoever was shown files without a verdict
 * meanwhile may ask again. */
static void
set_reachable (CfNautilusClient *self)
{
  gboolean was_unreachable = self->unreachable_until != 0;

  self->unreachable_until = 0;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (was_unreachable)
    g_signal_emit (self, signals[REACHABLE], 0);
}

static gboolean
on_pause_over (gpointer user_data)
{
  CfNautilusClient *self = user_data;

  self->retry_id = 0;
  set_reachable (self);
  return G_SOURCE_REMOVE;
}

static void
note_outcome (CfNautilusClient *self,
              const GError     *error)
{
  if (error == NULL || is_answer (error))
    set_reachable (self);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (self->unreachable_until == 0)
        g_message ("Check First cannot be reached; asking again in %d s: %s",
                   UNREACHABLE_PAUSE_S, error->message);
      self->unreachable_until = g_get_monotonic_time () + UNREACHABLE_PAUSE_S * G_USEC_PER_SEC;
      /* A service that is slow, rather than missing, never appears anew. */
      g_clear_handle_id (&self->retry_id, g_source_remove);
      self->retry_id = g_timeout_add_seconds (UNREACHABLE_PAUSE_S, on_pause_over, self);
    }
}

static void
on_verdict_changed (GDBusConnection *connection,
                    const char      *sender,
                    const char      *object_path,
                    const char      *interface,
                    const char      *signal_name,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  CfNautilusClient *self = user_data;
  const char *uri = NULL;
  g_autoptr(GVariant) dict = NULL;
  CfNautilusVerdict *verdict;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(sa{sv})")))
    return;
  g_variant_get (parameters, "(&s@a{sv})", &uri, &dict);
  verdict = cf_nautilus_verdict_new_from_variant (dict);
  if (verdict == NULL)
    return;
  /* The file manager asks again when told, and gets this. */
  remember (self, uri, verdict, NULL, TRUE);
  g_signal_emit (self, signals[VERDICT_CHANGED], 0, uri);
}

static void
on_name_appeared (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  set_reachable (CF_NAUTILUS_CLIENT (user_data));
}

static void
take_connection (CfNautilusClient *self,
                 GDBusConnection  *connection)
{
  if (self->connection != NULL)
    return;
  self->connection = g_object_ref (connection);
  /* By its well-known name: the bus delivers whichever process owns it. */
  self->verdict_changed_id =
    g_dbus_connection_signal_subscribe (connection, CF_BUS_NAME, CF_INTERFACE, "VerdictChanged",
                                        CF_OBJECT_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_verdict_changed, self, NULL);
  self->name_watch = g_bus_watch_name_on_connection (connection, CF_BUS_NAME,
                                                     G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                     on_name_appeared, NULL, self, NULL);
}

static void
got_bus_at_start (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CfNautilusClient) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) connection = g_bus_get_finish (result, &error);

  if (connection != NULL)
    take_connection (self, connection);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("No session bus for Check First: %s", error->message);
}

/* GetVerdict */

typedef struct
{
  char          *uri;
  gconstpointer  asker;
} Question;

static void
question_free (Question *question)
{
  g_free (question->uri);
  g_free (question);
}

static void
got_verdict (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CfNautilusClient *self = g_task_get_source_object (task);
  Question *question = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  g_autoptr(GVariant) dict = NULL;
  CfNautilusVerdict *verdict;

  note_outcome (self, error);
  if (reply == NULL)
    {
      g_dbus_error_strip_remote_error (error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_variant_get (reply, "(@a{sv})", &dict);
  verdict = cf_nautilus_verdict_new_from_variant (dict);
  if (verdict == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "The service sent a verdict without a status");
      return;
    }
  remember (self, question->uri, verdict, question->asker, FALSE);
  g_task_return_pointer (task, cf_nautilus_verdict_copy (verdict),
                         (GDestroyNotify) cf_nautilus_verdict_free);
}

static void
got_bus_for_verdict (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CfNautilusClient *self = g_task_get_source_object (task);
  Question *question = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) connection = g_bus_get_finish (result, &error);

  if (connection == NULL)
    {
      note_outcome (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  take_connection (self, connection);
  g_dbus_connection_call (connection, CF_BUS_NAME, CF_OBJECT_PATH, CF_INTERFACE, "GetVerdict",
                          g_variant_new ("(s)", question->uri), G_VARIANT_TYPE ("(a{sv})"),
                          G_DBUS_CALL_FLAGS_NONE, GET_VERDICT_TIMEOUT_MS, cancellable,
                          got_verdict, g_steal_pointer (&task));
}

/**
 * cf_nautilus_client_get_verdict_async:
 * @uri: a file:// URI
 * @asker: the file manager's object for the file, only compared
 *
 * Asks the service what it knows of @uri (GetVerdict: from its cache and
 * trust list only, never a request to VirusTotal), and keeps the answer.
 */
void
cf_nautilus_client_get_verdict_async (CfNautilusClient    *self,
                                      const char          *uri,
                                      gconstpointer        asker,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Question *question;

  g_return_if_fail (CF_IS_NAUTILUS_CLIENT (self));
  g_return_if_fail (uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_nautilus_client_get_verdict_async);
  question = g_new0 (Question, 1);
  question->uri = g_strdup (uri);
  question->asker = asker;
  g_task_set_task_data (task, question, (GDestroyNotify) question_free);

  g_bus_get (G_BUS_TYPE_SESSION, cancellable, got_bus_for_verdict, g_steal_pointer (&task));
}

CfNautilusVerdict *
cf_nautilus_client_get_verdict_finish (CfNautilusClient  *self,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  g_return_val_if_fail (CF_IS_NAUTILUS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cf_nautilus_client_get_verdict_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* CheckFiles */

typedef struct
{
  CfNautilusClient *client;
  GStrv             uris;
} Request;

static void
request_free (Request *request)
{
  g_object_unref (request->client);
  g_strfreev (request->uris);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
notified (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);

  if (reply == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not show a notification: %s", error->message);
}

/* The person asked for a check and it could not even start: they are
 * told on the desktop, where they would have seen the verdict. */
static void
tell_not_checked (CfNautilusClient *self,
                  GDBusConnection  *connection,
                  const GError     *error)
{
  g_autofree char *body = NULL;
  GVariantBuilder hints;

  /* The service's own refusal says what was wrong; anything else is about
   * reaching it. */
  if (is_answer (error))
    body = g_strdup (error->message);
  else
    /* Translators: %s says why, e.g. "The name … was not provided by any .service files" */
    body = g_strdup_printf (_("Check First could not be reached: %s"), error->message);

  g_variant_builder_init (&hints, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&hints, "{sv}", "desktop-entry", g_variant_new_string (APP_ID));
  g_variant_builder_add (&hints, "{sv}", "urgency", g_variant_new_byte (1));
  g_dbus_connection_call (connection, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                          "org.freedesktop.Notifications", "Notify",
                          g_variant_new ("(susss@as@a{sv}i)", _("Check First"), 0, APP_ID,
                                         /* Translators: a notification's title, when the file
                                          * manager could not hand files to Check First */
                                         _("The files were not checked"), body,
                                         g_variant_new_strv (NULL, 0), g_variant_builder_end (&hints), -1),
                          G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, 10000, self->cancellable,
                          notified, NULL);
}

static void
checked_files (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);

  note_outcome (request->client, error);
  if (reply != NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_dbus_error_strip_remote_error (error);
  g_message ("Check First did not take %u files to check: %s",
             g_strv_length (request->uris), error->message);
  tell_not_checked (request->client, G_DBUS_CONNECTION (object), error);
}

static void
got_bus_for_check (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) connection = g_bus_get_finish (result, &error);
  GVariant *parameters;
  GCancellable *cancellable;

  if (connection == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("No session bus to reach Check First: %s", error->message);
      return;
    }
  take_connection (request->client, connection);
  parameters = g_variant_new ("(^as)", request->uris);
  cancellable = request->client->cancellable;
  g_dbus_connection_call (connection, CF_BUS_NAME, CF_OBJECT_PATH, CF_INTERFACE, "CheckFiles",
                          parameters, G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE,
                          CHECK_FILES_TIMEOUT_MS, cancellable, checked_files, g_steal_pointer (&request));
}

/**
 * cf_nautilus_client_check_files:
 * @uris: file:// URIs of files and folders
 *
 * Hands the files to the service in one call (CheckFiles), which checks
 * them in its own queue and tells the person; the file manager waits for
 * nothing.  When they cannot be handed over, a notification says why.
 */
void
cf_nautilus_client_check_files (CfNautilusClient   *self,
                                const char * const *uris)
{
  Request *request;

  g_return_if_fail (CF_IS_NAUTILUS_CLIENT (self));
  g_return_if_fail (uris != NULL && uris[0] != NULL);

  request = g_new0 (Request, 1);
  request->client = g_object_ref (self);
  request->uris = g_strdupv ((char **) uris);
  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, got_bus_for_check, request);
}

/* The client the file manager's providers share, made on first use. */
CfNautilusClient *
cf_nautilus_client_get_default (void)
{
  if (default_client == NULL)
    default_client = g_object_new (CF_TYPE_NAUTILUS_CLIENT, NULL);
  return default_client;
}

void
cf_nautilus_client_drop_default (void)
{
  g_clear_object (&default_client);
}

void
cf_nautilus_client_register (GTypeModule *module)
{
  cf_nautilus_client_register_type (module);
}

/* GObject */

static void
cf_nautilus_client_dispose (GObject *object)
{
  CfNautilusClient *self = CF_NAUTILUS_CLIENT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->connection != NULL && self->verdict_changed_id != 0)
    g_dbus_connection_signal_unsubscribe (self->connection, self->verdict_changed_id);
  self->verdict_changed_id = 0;
  if (self->name_watch != 0)
    g_bus_unwatch_name (self->name_watch);
  self->name_watch = 0;
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (cf_nautilus_client_parent_class)->dispose (object);
}

static void
cf_nautilus_client_finalize (GObject *object)
{
  CfNautilusClient *self = CF_NAUTILUS_CLIENT (object);

  /* The queue's links are inside the entries the table frees. */
  g_queue_init (&self->lru);
  g_hash_table_unref (self->cache);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cf_nautilus_client_parent_class)->finalize (object);
}

static void
cf_nautilus_client_class_init (CfNautilusClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_nautilus_client_dispose;
  object_class->finalize = cf_nautilus_client_finalize;

  /**
   * CfNautilusClient::verdict-changed:
   * @uri: the file
   *
   * The service told of a new verdict for @uri; it is kept, and the next
   * lookup gives it.
   */
  signals[VERDICT_CHANGED] = g_signal_new ("verdict-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * CfNautilusClient::reachable:
   *
   * The service could not be reached before, and now answers, appeared on
   * the bus, or may be asked again after a pause: files shown meanwhile
   * may be asked about again.
   */
  signals[REACHABLE] = g_signal_new ("reachable", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cf_nautilus_client_class_finalize (CfNautilusClientClass *klass)
{
}

static void
cf_nautilus_client_init (CfNautilusClient *self)
{
  self->cancellable = g_cancellable_new ();
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) entry_free);
  g_queue_init (&self->lru);
  /* Hear of verdicts and of the service from the start. */
  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, got_bus_at_start, g_object_ref (self));
}
