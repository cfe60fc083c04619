/* cf-service.c: Check First on the session bus: the D-Bus interface, and the downloads it watches
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whichever Check First owns the bus name (the background service, or a
 * window started first) serves io.github.checkfirst.CheckFirst1 from its
 * one session, so the window, the service and the file manager's extension
 * see the same checks and share one request budget.
 *
 * What another program may do here: ask for checks of local files
 * (CheckFiles), read what is known without costing a request (GetVerdict,
 * ListRecent), and listen.  It may never make a file leave the computer:
 * its checks never upload, and an unknown file's upload is offered to the
 * person in a notification for that file (cf-file-actions.c).  Every argument is checked
 * (file:// URIs of absolute paths only), and so is the caller: the session
 * bus lets only the same user in, and each caller's user is asked of the
 * bus once more.
 *
 * With "check-new-downloads" on and a key saved, the watched folders are
 * watched while the process runs, and the process stays (an XDG autostart
 * entry starts it at login).
 */

#define G_LOG_DOMAIN "check-first-service"

#include "config.h"

#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cf-dbus.h"
#include "cf-format.h"
#include "cf-service-private.h"
#include "cf-verdict.h"
#include "cf-watcher.h"

/* Files checked at once for callers: each holds its file open. */
#define CF_SERVICE_MAX_ACTIVE 4
/* A finished job stays on the bus this long for late readers. */
#define CF_SERVICE_JOB_LINGER_S 60
/* The window's list keeps the newest checks; the rest are in the history. */
#define CF_SERVICE_LIST_KEEP 200
/* Files a caller was told about, kept to tell it of later changes. */
#define CF_SERVICE_KNOWN_MAX 20000
#define CF_SERVICE_RECENT_MAX 1000
#define CF_SERVICE_URIS_MAX 100000

struct _CfService
{
  GObject             parent_instance;

  GApplication       *application;   /* weak: the application owns the service */
  GDBusConnection    *connection;
  CfDBusCheckFirst1  *skeleton;
  CfSession          *session;
  GSettings          *settings;
  CfWatcher          *watcher;
  CfCheckQueue       *queue;
  GHashTable         *jobs;          /* object path → CfServiceJob */
  guint               next_job;
  GHashTable         *callers;       /* unique name → uid + 1 */
  GHashTable         *known;         /* URI → SHA-256 */
  CfFileActions      *file_actions;  /* the notification buttons */
  gboolean            watching;
};

enum {
  PROP_0,
  PROP_WATCHING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CfService, cf_service, G_TYPE_OBJECT)

/* Verdicts */

/* A file on another computer reached through a mount (GVfs, NFS, SMB):
 * hashed through the network, and said to be remote. */
static gboolean
is_remote_path (const char *path)
{
  struct statfs fs;

  if (path == NULL || statfs (path, &fs) != 0)
    return FALSE;
  switch ((unsigned long) fs.f_type)
    {
    case 0x65735546UL:   /* FUSE, as GVfs mounts sftp:// and smb:// */
    case 0x6969UL:       /* NFS */
    case 0x517bUL:       /* SMB */
    case 0xff534d42UL:   /* CIFS */
    case 0xfe534d42UL:   /* SMB2 */
      return TRUE;
    default:
      return FALSE;
    }
}

static void
add_common (GVariantBuilder *builder,
            GFile           *file,
            const char      *summary)
{
  g_autofree char *uri = g_file_get_uri (file);

  g_variant_builder_add (builder, "{sv}", "uri", g_variant_new_string (uri));
  if (summary != NULL)
    g_variant_builder_add (builder, "{sv}", "summary", g_variant_new_string (summary));
  g_variant_builder_add (builder, "{sv}", "remote",
                         g_variant_new_boolean (is_remote_path (g_file_peek_path (file))));
}

/* What a caller is told about @file: the fields of the JSON output, and
 * the summary, the time and whether it is remote. */
GVariant *
cf_service_verdict_new (CfCheck *check,
                        GFile   *file)
{
  GVariantBuilder builder;
  g_autofree char *summary = cf_verdict_describe_check (check);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (cf_check_is_finished (check))
    {
      cf_format_add_to_variant (check, &builder);
      g_variant_builder_add (&builder, "{sv}", "time", g_variant_new_int64 (cf_check_get_time (check)));
    }
  else
    {
      g_variant_builder_add (&builder, "{sv}", "status", g_variant_new_string ("checking"));
      if (cf_check_get_sha256 (check) != NULL)
        g_variant_builder_add (&builder, "{sv}", "sha256", g_variant_new_string (cf_check_get_sha256 (check)));
    }
  add_common (&builder, file, summary);
  return g_variant_builder_end (&builder);
}

/* A verdict without a check: "not-checked", "cancelled", an "error". */
GVariant *
cf_service_verdict_unknown (GFile      *file,
                            const char *status,
                            const char *summary)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "status", g_variant_new_string (status));
  if (g_str_equal (status, "error"))
    g_variant_builder_add (&builder, "{sv}", "error", g_variant_new_string (summary));
  add_common (&builder, file, summary);
  return g_variant_builder_end (&builder);
}

static void
remember_known (CfService  *self,
                GFile      *file,
                const char *sha256)
{
  if (sha256 == NULL)
    return;
  /* A bound on what is kept: a caller asking anew is told anew. */
  if (g_hash_table_size (self->known) >= CF_SERVICE_KNOWN_MAX)
    g_hash_table_remove_all (self->known);
  g_hash_table_insert (self->known, g_file_get_uri (file), g_strdup (sha256));
}

void
cf_service_verdict_changed (CfService *self,
                            GFile     *file,
                            CfCheck   *check,
                            GVariant  *verdict)
{
  g_autofree char *uri = g_file_get_uri (file);

  remember_known (self, file, cf_check_get_sha256 (check));
  if (self->skeleton != NULL)
    cf_dbus_check_first1_emit_verdict_changed (self->skeleton, uri, verdict);
}

/* Notifications */

void
cf_service_send_notification (CfService     *self,
                              const char    *id,
                              GNotification *notification)
{
  if (self->application != NULL)
    g_application_send_notification (self->application, id, notification);
}

void
cf_service_withdraw_notification (CfService  *self,
                                  const char *id)
{
  if (self->application != NULL)
    g_application_withdraw_notification (self->application, id);
}

void
cf_service_announce (CfService           *self,
                     CfCheck             *check,
                     CfNotificationFlags  flags)
{
  g_autoptr(GNotification) notification = cf_notification_new (check, flags);
  g_autofree char *id = NULL;
  const char *kind;

  if (cf_check_get_stage (check) != CF_CHECK_STAGE_DONE)
    kind = "failed";
  else if (cf_check_get_decision (check) == CF_DECISION_BLOCK)
    kind = "blocked";
  else
    kind = "checked";
  id = cf_notification_id (kind, check);
  cf_service_send_notification (self, id, notification);
}

/* Whether the person may be offered to upload @check's file: unknown, and
 * an upload setting that is not "never". */
gboolean
cf_service_may_offer_upload (CfService *self,
                  CfCheck   *check)
{
  CfReason reason = cf_check_get_reason (check);

  return cf_check_get_stage (check) == CF_CHECK_STAGE_DONE &&
         (reason == CF_REASON_UNKNOWN_ALLOWED || reason == CF_REASON_UNKNOWN_BLOCKED) &&
         cf_check_get_file (check) != NULL && g_file_peek_path (cf_check_get_file (check)) != NULL &&
         cf_session_get_config (self->session)->upload != CF_UPLOAD_NEVER;
}

/* A check done on a caller's or a watched folder's behalf: said on the
 * desktop when it is news (a block, a failure, an unknown file to offer),
 * and otherwise only when not @quiet_when_clean.  TRUE when said. */
gboolean
cf_service_announce_background (CfService           *self,
                                CfCheck             *check,
                                CfNotificationFlags  flags,
                                gboolean             quiet_when_clean)
{
  gboolean offer = cf_service_may_offer_upload (self, check);
  gboolean news = cf_check_get_stage (check) != CF_CHECK_STAGE_DONE ||
                  cf_check_get_decision (check) == CF_DECISION_BLOCK || offer;

  if (cf_check_get_stage (check) == CF_CHECK_STAGE_CANCELLED || (!news && quiet_when_clean))
    return FALSE;
  if (offer)
    flags |= CF_NOTIFICATION_OFFER_UPLOAD;
  cf_service_announce (self, check, flags);
  return TRUE;
}

/* Caller checks */

typedef void (*CallerCheckedFunc) (CfService             *self,
                                   GDBusMethodInvocation *invocation);

typedef struct
{
  CfService             *service;
  GDBusMethodInvocation *invocation;
  CallerCheckedFunc      then;
} CallerCheck;

static void
caller_answer (CfService             *self,
               GDBusMethodInvocation *invocation,
               guint                  uid,
               CallerCheckedFunc      then)
{
  if (uid != getuid ())
    {
      g_dbus_method_invocation_return_error_literal (invocation, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
                                                     _("Only the user who runs Check First may ask it."));
      return;
    }
  then (self, invocation);
}

static void
got_caller_uid (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CallerCheck *check = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  guint uid = G_MAXUINT;

  if (reply != NULL)
    {
      g_variant_get (reply, "(u)", &uid);
      g_hash_table_insert (check->service->callers,
                           g_strdup (g_dbus_method_invocation_get_sender (check->invocation)),
                           GUINT_TO_POINTER (uid + 1));
    }
  caller_answer (check->service, check->invocation, uid, check->then);
  g_object_unref (check->service);
  g_free (check);
}

/* Runs @then once the bus has said that the caller is our own user. */
static void
with_caller_checked (CfService             *self,
                     GDBusMethodInvocation *invocation,
                     CallerCheckedFunc      then)
{
  const char *sender = g_dbus_method_invocation_get_sender (invocation);
  gpointer known;
  CallerCheck *check;

  /* A peer-to-peer connection has no bus to ask: its peer authenticated
   * as our user to connect at all. */
  if (sender == NULL || g_dbus_connection_get_unique_name (self->connection) == NULL)
    {
      then (self, invocation);
      return;
    }
  known = g_hash_table_lookup (self->callers, sender);
  if (known != NULL)
    {
      caller_answer (self, invocation, GPOINTER_TO_UINT (known) - 1, then);
      return;
    }

  check = g_new0 (CallerCheck, 1);
  check->service = g_object_ref (self);
  check->invocation = invocation;
  check->then = then;
  g_dbus_connection_call (self->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "GetConnectionUnixUser",
                          g_variant_new ("(s)", sender), G_VARIANT_TYPE ("(u)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, got_caller_uid, check);
}

/* The file at @path as the kernel shows it.  GIO's GVfs module would
 * turn a path under its FUSE mount back into the network location
 * (sftp://…), whose URI no caller may pass here and whose verdicts would
 * not name the file asked about: Check First reads such a file through
 * the FUSE path, and says it is remote. */
GFile *
cf_service_local_file (const char *path)
{
  return g_vfs_get_file_for_path (g_vfs_get_local (), path);
}

/* A file:// URI of an absolute path on this computer, or an error that
 * says what is wrong with it. */
static GFile *
file_for_uri (const char  *uri,
              GError     **error)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autofree char *shown = g_utf8_make_valid (uri, MIN (strlen (uri), 200));
  g_autofree char *path = NULL;
  const char *host;

  if (parsed == NULL)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS, _("“%s” is not a URI."), shown);
      return NULL;
    }
  if (g_strcmp0 (g_uri_get_scheme (parsed), "file") != 0)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                   _("Only file:// URIs are accepted, not “%s”."), shown);
      return NULL;
    }
  host = g_uri_get_host (parsed);
  if (host != NULL && *host != '\0' && g_ascii_strcasecmp (host, "localhost") != 0)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                   _("“%s” names a file on another computer."), shown);
      return NULL;
    }
  if (!g_path_is_absolute (g_uri_get_path (parsed)) || g_uri_get_query (parsed) != NULL ||
      g_uri_get_fragment (parsed) != NULL)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                   _("“%s” is not the URI of a file."), shown);
      return NULL;
    }
  path = g_filename_from_uri (uri, NULL, NULL);
  if (path == NULL)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                   _("“%s” is not the URI of a file."), shown);
      return NULL;
    }
  return cf_service_local_file (path);
}

/* CheckFiles */

static gboolean
on_job_linger_over (gpointer user_data)
{
  CfServiceJob *job = user_data;
  CfService *self = g_object_get_data (G_OBJECT (job), "service");

  g_hash_table_remove (self->jobs, cf_service_job_get_path (job));
  return G_SOURCE_REMOVE;
}

void
cf_service_job_ended (CfService    *self,
                      CfServiceJob *job)
{
  /* Whatever still runs for it (cancelled) is no longer its concern. */
  cf_check_queue_drop_tag (self->queue, job, FALSE);
  g_object_set_data (G_OBJECT (job), "service", self);
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, CF_SERVICE_JOB_LINGER_S, on_job_linger_over,
                              g_object_ref (job), g_object_unref);
  if (self->application != NULL)
    g_application_release (self->application);
}

static void
check_files_checked (CfService             *self,
                     GDBusMethodInvocation *invocation)
{
  g_autofree const char **uris = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(CfServiceJob) job = NULL;
  g_autofree char *path = NULL;
  gsize n_uris = 0;

  g_variant_get (g_dbus_method_invocation_get_parameters (invocation), "(^a&s)", &uris);
  n_uris = uris != NULL ? g_strv_length ((char **) uris) : 0;
  if (n_uris == 0 || n_uris > CF_SERVICE_URIS_MAX)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                             n_uris == 0 ? _("No files were given.")
                                                         : _("Too many files in one call (at most %d)."),
                                             CF_SERVICE_URIS_MAX);
      return;
    }
  for (gsize i = 0; i < n_uris; i++)
    {
      GFile *file = file_for_uri (uris[i], &error);

      if (file == NULL)
        {
          g_dbus_method_invocation_return_gerror (invocation, error);
          return;
        }
      g_ptr_array_add (files, file);
    }

  path = g_strdup_printf (CF_SERVICE_OBJECT_PATH "/jobs/%u", ++self->next_job);
  job = cf_service_job_new (self, self->connection, path, files, &error);
  if (job == NULL)
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return;
    }
  /* The process stays while a job runs, whatever else it does. */
  if (self->application != NULL)
    g_application_hold (self->application);
  g_hash_table_insert (self->jobs, g_strdup (path), g_object_ref (job));
  cf_dbus_check_first1_complete_check_files (self->skeleton, invocation, path);
}

static gboolean
handle_check_files (CfDBusCheckFirst1     *skeleton,
                    GDBusMethodInvocation *invocation,
                    const char * const    *uris,
                    CfService             *self)
{
  with_caller_checked (self, invocation, check_files_checked);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_queue_finished (CfCheckQueue *queue,
                   CfCheck      *check,
                   CfServiceJob *job,
                   CfService    *self)
{
  if (job != NULL)
    cf_service_job_check_done (job, check);
  cf_session_trim_checks (self->session, CF_SERVICE_LIST_KEEP);
}

/* GetVerdict */

static void
got_known (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GDBusMethodInvocation *invocation = user_data;
  CfService *self = g_object_get_data (G_OBJECT (invocation), "service");
  GFile *file = g_object_get_data (G_OBJECT (invocation), "file");
  g_autoptr(GError) error = NULL;
  g_autoptr(CfCheck) check = cf_session_get_known_finish (CF_SESSION (object), result, &error);
  GVariant *verdict;

  if (check != NULL)
    {
      verdict = cf_service_verdict_new (check, file);
      remember_known (self, file, cf_check_get_sha256 (check));
    }
  else if (error != NULL && !g_error_matches (error, CF_HASHER_ERROR, CF_HASHER_ERROR_NOT_FOUND))
    verdict = cf_service_verdict_unknown (file, "error", error->message);
  else if (error != NULL)
    {
      g_dbus_method_invocation_return_error_literal (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FILE_NOT_FOUND,
                                                     error->message);
      return;
    }
  else
    verdict = cf_service_verdict_unknown (file, "not-checked", _("Not checked yet"));

  cf_dbus_check_first1_complete_get_verdict (self->skeleton, invocation, verdict);
}

static void
get_verdict_checked (CfService             *self,
                     GDBusMethodInvocation *invocation)
{
  const char *uri = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_variant_get (g_dbus_method_invocation_get_parameters (invocation), "(&s)", &uri);
  file = file_for_uri (uri, &error);
  if (file == NULL)
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return;
    }

  g_object_set_data_full (G_OBJECT (invocation), "service", g_object_ref (self), g_object_unref);
  g_object_set_data_full (G_OBJECT (invocation), "file", g_object_ref (file), g_object_unref);
  cf_session_get_known_async (self->session, file, NULL, got_known, invocation);
}

static gboolean
handle_get_verdict (CfDBusCheckFirst1     *skeleton,
                    GDBusMethodInvocation *invocation,
                    const char            *uri,
                    CfService             *self)
{
  with_caller_checked (self, invocation, get_verdict_checked);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ListRecent */

static void
got_history (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GDBusMethodInvocation *invocation = user_data;
  CfService *self = g_object_get_data (G_OBJECT (invocation), "service");
  g_autoptr(GPtrArray) checks = cf_session_list_history_finish (CF_SESSION (object), result, NULL);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; checks != NULL && i < checks->len; i++)
    {
      CfCheck *check = g_ptr_array_index (checks, i);

      /* Files only; a history entry's file is a path as it was then. */
      if (cf_check_get_file (check) != NULL)
        g_variant_builder_add_value (&builder, cf_service_verdict_new (check, cf_check_get_file (check)));
    }
  cf_dbus_check_first1_complete_list_recent (self->skeleton, invocation, g_variant_builder_end (&builder));
}

static void
list_recent_checked (CfService             *self,
                     GDBusMethodInvocation *invocation)
{
  guint count = 0;

  g_variant_get (g_dbus_method_invocation_get_parameters (invocation), "(u)", &count);
  if (count == 0 || count > CF_SERVICE_RECENT_MAX)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                             _("Ask for 1 to %d entries."), CF_SERVICE_RECENT_MAX);
      return;
    }
  g_object_set_data_full (G_OBJECT (invocation), "service", g_object_ref (self), g_object_unref);
  cf_session_list_history_async (self->session, count, NULL, got_history, invocation);
}

static gboolean
handle_list_recent (CfDBusCheckFirst1     *skeleton,
                    GDBusMethodInvocation *invocation,
                    guint                  count,
                    CfService             *self)
{
  with_caller_checked (self, invocation, list_recent_checked);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Trust changes: every file a caller was told about is told again. */

static void
tell_again (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CfService) self = user_data;
  g_autoptr(CfCheck) check = cf_session_get_known_finish (CF_SESSION (object), result, NULL);

  if (check != NULL && cf_check_get_file (check) != NULL && self->skeleton != NULL)
    {
      g_autofree char *uri = g_file_get_uri (cf_check_get_file (check));

      cf_dbus_check_first1_emit_verdict_changed (self->skeleton, uri,
                                                 cf_service_verdict_new (check, cf_check_get_file (check)));
    }
}

static void
on_trust_changed (CfSession  *session,
                  const char *sha256,
                  CfService  *self)
{
  GHashTableIter iter;
  const char *uri, *known;

  g_hash_table_iter_init (&iter, self->known);
  while (g_hash_table_iter_next (&iter, (gpointer *) &uri, (gpointer *) &known))
    if (g_ascii_strcasecmp (known, sha256) == 0)
      {
        g_autofree char *path = g_filename_from_uri (uri, NULL, NULL);
        g_autoptr(GFile) file = NULL;

        if (path == NULL)
          continue;
        file = cf_service_local_file (path);
        cf_session_get_known_async (session, file, NULL, tell_again, g_object_ref (self));
      }
}

/* Downloads */

static void
on_download_finished (CfWatcher *watcher,
                      CfCheck   *check,
                      gboolean   disarmed,
                      CfService *self)
{
  g_autoptr(GVariant) verdict = g_variant_ref_sink (cf_service_verdict_new (check, cf_check_get_file (check)));
  CfNotificationFlags flags = CF_NOTIFICATION_DOWNLOAD;

  cf_service_verdict_changed (self, cf_check_get_file (check), check, verdict);
  if (disarmed)
    flags |= CF_NOTIFICATION_DISARMED;
  cf_service_announce_background (self, check, flags,
                                  !g_settings_get_boolean (self->settings, "notify-clean-downloads"));
  cf_session_trim_checks (self->session, CF_SERVICE_LIST_KEEP);
}

static void
set_watching (CfService *self,
              gboolean   watching)
{
  if (self->watching == watching)
    return;
  self->watching = watching;
  /* Protection that does not depend on a window being open. */
  if (self->application != NULL)
    {
      if (watching)
        g_application_hold (self->application);
      else
        g_application_release (self->application);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WATCHING]);
}

/* The folders the settings name, or the Downloads folder. */
static GPtrArray *
wanted_folders (CfService *self)
{
  g_auto(GStrv) paths = g_settings_get_strv (self->settings, "watched-folders");
  GPtrArray *folders = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; paths[i] != NULL; i++)
    if (g_path_is_absolute (paths[i]))
      g_ptr_array_add (folders, g_file_new_for_path (paths[i]));
  if (folders->len == 0)
    {
      GFile *downloads = cf_watcher_default_folder ();

      if (downloads != NULL)
        g_ptr_array_add (folders, downloads);
    }
  return folders;
}

static void
update_watching (CfService *self)
{
  gboolean wanted = g_settings_get_boolean (self->settings, "check-new-downloads") &&
                    cf_session_get_key_state (self->session) == CF_KEY_STATE_PRESENT;
  g_autoptr(GPtrArray) folders = NULL;
  guint watched = 0;

  if (!wanted)
    {
      if (self->watcher != NULL)
        g_debug ("No longer watching for new downloads");
      g_clear_object (&self->watcher);
      set_watching (self, FALSE);
      return;
    }

  if (self->watcher == NULL)
    {
      self->watcher = cf_watcher_new (self->session, CF_WATCHER_LIST_CHECKS | CF_WATCHER_CATCH_UP);
      g_signal_connect_object (self->watcher, "check-finished", G_CALLBACK (on_download_finished), self, 0);
    }
  cf_watcher_remove_all (self->watcher);
  folders = wanted_folders (self);
  for (guint i = 0; i < folders->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (cf_watcher_add_folder (self->watcher, g_ptr_array_index (folders, i), &error))
        watched++;
      else
        g_warning ("Cannot watch a folder for new downloads: %s", error->message);
    }
  set_watching (self, watched > 0);
}

/* Autostart: the service starts at login while downloads are checked. */

char *
cf_service_autostart_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

static void
sync_autostart (CfService *self)
{
  g_autofree char *path = cf_service_autostart_path ();
  g_autoptr(GKeyFile) entry = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *current = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GError) error = NULL;

  /* Without a key there is nothing the service could check: the entry
   * comes with the first key saved. */
  if (cf_session_get_key_state (self->session) == CF_KEY_STATE_LOOKING_UP)
    return;
  if (!g_settings_get_boolean (self->settings, "check-new-downloads") ||
      cf_session_get_key_state (self->session) != CF_KEY_STATE_PRESENT)
    {
      if (g_unlink (path) == 0)
        g_debug ("Removed the autostart entry");
      return;
    }

  entry = g_key_file_new ();
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TYPE, "Application");
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NAME, _("Check First"));
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         _("Check new downloads against VirusTotal"));
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC,
                         BINDIR "/check-first --service");
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_ICON, APP_ID);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, TRUE);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", TRUE);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-UsesNotifications", TRUE);
  contents = g_key_file_to_data (entry, NULL, NULL);

  if (g_file_get_contents (path, &current, NULL, NULL) && g_strcmp0 (current, contents) == 0)
    return;
  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0 ||
      !g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
    g_warning ("Could not write the autostart entry: %s",
               error != NULL ? error->message : g_strerror (errno));
}

static void
on_settings_changed (GSettings  *settings,
                     const char *key,
                     CfService  *self)
{
  if (g_str_equal (key, "check-new-downloads") || g_str_equal (key, "watched-folders"))
    update_watching (self);
  if (g_str_equal (key, "check-new-downloads"))
    sync_autostart (self);
}

static void
on_key_state (CfService *self)
{
  update_watching (self);
  sync_autostart (self);
}

/* GObject */

static void
cf_service_dispose (GObject *object)
{
  CfService *self = CF_SERVICE (object);

  cf_service_unexport (self);
  g_clear_object (&self->watcher);
  g_clear_object (&self->queue);
  if (self->jobs != NULL)
    g_hash_table_remove_all (self->jobs);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  G_OBJECT_CLASS (cf_service_parent_class)->dispose (object);
}

static void
cf_service_finalize (GObject *object)
{
  CfService *self = CF_SERVICE (object);

  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_clear_pointer (&self->callers, g_hash_table_unref);
  g_clear_pointer (&self->known, g_hash_table_unref);
  g_clear_object (&self->file_actions);

  G_OBJECT_CLASS (cf_service_parent_class)->finalize (object);
}

static void
cf_service_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CfService *self = CF_SERVICE (object);

  switch (prop_id)
    {
    case PROP_WATCHING:
      g_value_set_boolean (value, self->watching);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_service_class_init (CfServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_service_dispose;
  object_class->finalize = cf_service_finalize;
  object_class->get_property = cf_service_get_property;

  /* New files in the watched folders are being checked. */
  properties[PROP_WATCHING] =
    g_param_spec_boolean ("watching", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_service_init (CfService *self)
{
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->callers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* Public API */

CfService *
cf_service_new (GApplication *application)
{
  CfService *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);

  self = g_object_new (CF_TYPE_SERVICE, NULL);
  g_set_weak_pointer (&self->application, application);
  self->file_actions = cf_file_actions_new (self, G_ACTION_MAP (application));
  return self;
}

/* Serves the interface on @connection.  Done before the bus name is
 * taken, so that no call finds it missing; the calls wait in the main
 * context until cf_service_start(). */
gboolean
cf_service_export (CfService        *self,
                   GDBusConnection  *connection,
                   GError          **error)
{
  g_return_val_if_fail (CF_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (self->skeleton == NULL, FALSE);

  self->connection = g_object_ref (connection);
  self->skeleton = cf_dbus_check_first1_skeleton_new ();
  g_signal_connect (self->skeleton, "handle-check-files", G_CALLBACK (handle_check_files), self);
  g_signal_connect (self->skeleton, "handle-get-verdict", G_CALLBACK (handle_get_verdict), self);
  g_signal_connect (self->skeleton, "handle-list-recent", G_CALLBACK (handle_list_recent), self);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton), connection,
                                         CF_SERVICE_OBJECT_PATH, error))
    {
      g_clear_object (&self->skeleton);
      g_clear_object (&self->connection);
      return FALSE;
    }
  return TRUE;
}

void
cf_service_unexport (CfService *self)
{
  g_return_if_fail (CF_IS_SERVICE (self));

  if (self->jobs != NULL)
    g_hash_table_remove_all (self->jobs);
  if (self->skeleton != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->skeleton, self);
      g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
    }
  g_clear_object (&self->skeleton);
  g_clear_object (&self->connection);
}

/* Starts answering with @session, and watching when the settings say so. */
void
cf_service_start (CfService *self,
                  CfSession *session)
{
  g_return_if_fail (CF_IS_SERVICE (self));
  g_return_if_fail (CF_IS_SESSION (session));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  self->settings = g_object_ref (cf_session_get_settings (session));
  self->queue = cf_check_queue_new (session, CF_SERVICE_MAX_ACTIVE);
  g_signal_connect_object (self->queue, "finished", G_CALLBACK (on_queue_finished), self, 0);
  g_signal_connect_object (session, "trust-changed", G_CALLBACK (on_trust_changed), self, 0);
  g_signal_connect_object (session, "notify::key-state", G_CALLBACK (on_key_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self, 0);
  cf_file_actions_start (self->file_actions, session);
  update_watching (self);
  sync_autostart (self);
}

gboolean
cf_service_get_watching (CfService *self)
{
  g_return_val_if_fail (CF_IS_SERVICE (self), FALSE);
  return self->watching;
}

/* The folders being watched (GFile), for the window to show. */
GPtrArray *
cf_service_get_folders (CfService *self)
{
  g_return_val_if_fail (CF_IS_SERVICE (self), NULL);

  return self->watcher != NULL ? cf_watcher_get_folders (self->watcher)
                               : g_ptr_array_new_with_free_func (g_object_unref);
}

CfSession *
cf_service_get_session (CfService *self)
{
  return self->session;
}

CfCheckQueue *
cf_service_get_queue (CfService *self)
{
  return self->queue;
}
