/* cf-file-actions.c: what a notification's buttons do to a file: move it to the Trash and back, upload it
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A button carries the file's path and the SHA-256 it was checked as.  The
 * file may have changed since, or the notification may be older than this
 * process: the file is then checked again (the cache answers, no request)
 * and acted on only when it is still the same content.  An upload happens
 * only here, on the person's click, for the file the notification named.
 */

#define G_LOG_DOMAIN "check-first-service"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-file-actions.h"
#include "cf-service-private.h"
#include "cf-trash.h"

struct _CfFileActions
{
  GObject     parent_instance;

  CfService  *service;     /* weak: the service owns its file actions */
  CfSession  *session;
  GHashTable *trashed;     /* token → CfTrashed, for Undo */
  guint       next_token;
  GHashTable *uploading;   /* CfCheck uploaded on the person's word */
};

G_DEFINE_FINAL_TYPE (CfFileActions, cf_file_actions, G_TYPE_OBJECT)

typedef void (*FileActionFunc) (CfFileActions *self,
                                CfCheck       *check);

typedef struct
{
  CfFileActions  *actions;
  char           *sha256;
  FileActionFunc  func;
  gulong          handler;
} FileAction;

static CfCheck *
find_check (CfFileActions *self,
            const char    *path,
            const char    *sha256)
{
  GListModel *checks = cf_session_get_checks (self->session);

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CfCheck) check = g_list_model_get_item (checks, i);
      GFile *file = cf_check_get_file (check);

      if (cf_check_is_finished (check) && file != NULL && g_strcmp0 (g_file_peek_path (file), path) == 0 &&
          g_strcmp0 (cf_check_get_sha256 (check), sha256) == 0)
        return g_steal_pointer (&check);
    }
  return NULL;
}

static void
refused (CfFileActions *self,
         const char    *path,
         const char    *reason)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *name = g_filename_display_basename (path);
  /* Translators: the title of a notification; %s is a file name */
  g_autofree char *title = g_strdup_printf (_("Nothing done to “%s”"), name);

  notification = g_notification_new (title);
  g_notification_set_body (notification, reason);
  cf_service_send_notification (self->service, "file-action", notification);
}

static void
on_fresh_check_finished (CfSession  *session,
                         CfCheck    *check,
                         FileAction *action)
{
  if (g_object_get_data (G_OBJECT (check), "file-action") != action)
    return;

  g_signal_handler_disconnect (session, action->handler);
  if (cf_check_get_stage (check) == CF_CHECK_STAGE_DONE &&
      g_strcmp0 (cf_check_get_sha256 (check), action->sha256) == 0)
    action->func (action->actions, check);
  else
    refused (action->actions, g_file_peek_path (cf_check_get_file (check)),
             _("The file changed after it was checked."));
  g_object_set_data (G_OBJECT (check), "file-action", NULL);
  g_object_unref (action->actions);
  g_free (action->sha256);
  g_free (action);
}

static void
act_on_file (CfFileActions  *self,
             GVariant       *parameter,
             FileActionFunc  func)
{
  const char *path = NULL, *sha256 = NULL;
  g_autoptr(CfCheck) check = NULL;
  g_autoptr(GFile) file = NULL;
  FileAction *action;

  g_variant_get (parameter, "(&s&s)", &path, &sha256);
  if (!g_path_is_absolute (path) || !cf_is_sha256 (sha256))
    return;

  check = find_check (self, path, sha256);
  if (check != NULL)
    {
      func (self, check);
      return;
    }

  action = g_new0 (FileAction, 1);
  action->actions = g_object_ref (self);
  action->sha256 = g_ascii_strdown (sha256, -1);
  action->func = func;
  file = cf_service_local_file (path);
  check = cf_session_check_file (self->session, file, CF_SESSION_CHECK_NO_UPLOAD);
  g_object_set_data (G_OBJECT (check), "file-action", action);
  action->handler = g_signal_connect (self->session, "check-finished", G_CALLBACK (on_fresh_check_finished),
                                      action);
  if (cf_check_is_finished (check))
    on_fresh_check_finished (self->session, check, action);
}

static void
trashed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CfCheck) check = user_data;
  CfFileActions *self = g_object_get_data (G_OBJECT (check), "file-actions");
  g_autoptr(GError) error = NULL;
  CfTrashed *trashed = cf_session_trash_finish (CF_SESSION (object), result, &error);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *token = NULL;
  g_autofree char *blocked_id = cf_notification_id ("blocked", check);

  if (trashed == NULL)
    {
      refused (self, g_file_peek_path (cf_check_get_file (check)), error->message);
      return;
    }

  cf_service_withdraw_notification (self->service, blocked_id);
  token = g_strdup_printf ("%u", ++self->next_token);
  g_hash_table_insert (self->trashed, g_strdup (token), trashed);
  /* Translators: the title of a notification; %s is a file name */
  title = g_strdup_printf (_("“%s” was moved to the Trash"), cf_check_get_name (check));
  notification = g_notification_new (title);
  g_notification_add_button_with_target (notification, _("Undo"), "app.untrash-file", "s", token);
  cf_service_send_notification (self->service, "trashed", notification);
}

static void
trash_check (CfFileActions *self,
             CfCheck       *check)
{
  if (cf_check_get_decision (check) != CF_DECISION_BLOCK)
    {
      refused (self, g_file_peek_path (cf_check_get_file (check)),
               _("It is no longer blocked: you allowed it since."));
      return;
    }
  g_object_set_data_full (G_OBJECT (check), "file-actions", g_object_ref (self), g_object_unref);
  cf_session_trash_async (self->session, check, NULL, trashed_cb, g_object_ref (check));
}

static void
upload_check (CfFileActions *self,
              CfCheck       *check)
{
  if (!cf_service_may_offer_upload (self->service, check))
    return;
  g_hash_table_add (self->uploading, g_object_ref (check));
  cf_session_upload (self->session, check);
}

/* An upload the person asked for ended: say how. */
static void
on_session_check_finished (CfSession     *session,
                           CfCheck       *check,
                           CfFileActions *self)
{
  if (!g_hash_table_steal (self->uploading, check))
    return;
  cf_service_verdict_changed (self->service, cf_check_get_file (check), check,
                              cf_service_verdict_new (check, cf_check_get_file (check)));
  cf_service_announce (self->service, check, CF_NOTIFICATION_BACKGROUND);
  g_object_unref (check);
}

static void
trash_file_action (GSimpleAction *simple,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  act_on_file (CF_FILE_ACTIONS (user_data), parameter, trash_check);
}

static void
upload_file_action (GSimpleAction *simple,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  act_on_file (CF_FILE_ACTIONS (user_data), parameter, upload_check);
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CfFileActions) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    refused (self, g_task_get_task_data (G_TASK (result)), error->message);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CfTrashed *trashed = g_object_get_data (G_OBJECT (task), "trashed");
  GError *error = NULL;

  if (cf_trashed_restore (trashed, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
untrash_file_action (GSimpleAction *simple,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  CfFileActions *self = CF_FILE_ACTIONS (user_data);
  g_autoptr(GTask) task = NULL;
  CfTrashed *trashed = NULL;
  char *token = NULL;

  if (!g_hash_table_steal_extended (self->trashed, g_variant_get_string (parameter, NULL),
                                    (gpointer *) &token, (gpointer *) &trashed))
    return;
  g_free (token);

  /* Back where it was, and still blocked: it was never opened. */
  task = g_task_new (NULL, NULL, restored_cb, g_object_ref (self));
  g_task_set_task_data (task, g_strdup (cf_trashed_get_original (trashed)), g_free);
  g_object_set_data_full (G_OBJECT (task), "trashed", trashed, (GDestroyNotify) cf_trashed_free);
  g_task_run_in_thread (task, restore_thread);
}

static const GActionEntry file_actions[] = {
  { "trash-file", trash_file_action, "(ss)" },
  { "upload-file", upload_file_action, "(ss)" },
  { "untrash-file", untrash_file_action, "s" },
};

static void
cf_file_actions_dispose (GObject *object)
{
  CfFileActions *self = CF_FILE_ACTIONS (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);

  G_OBJECT_CLASS (cf_file_actions_parent_class)->dispose (object);
}

static void
cf_file_actions_finalize (GObject *object)
{
  CfFileActions *self = CF_FILE_ACTIONS (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->trashed, g_hash_table_unref);
  g_clear_pointer (&self->uploading, g_hash_table_unref);

  G_OBJECT_CLASS (cf_file_actions_parent_class)->finalize (object);
}

static void
cf_file_actions_class_init (CfFileActionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_file_actions_dispose;
  object_class->finalize = cf_file_actions_finalize;
}

static void
cf_file_actions_init (CfFileActions *self)
{
  self->trashed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cf_trashed_free);
  self->uploading = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}

/* Adds the buttons' actions ("app.trash-file", "app.upload-file",
 * "app.untrash-file") to @map, the application. */
CfFileActions *
cf_file_actions_new (CfService  *service,
                     GActionMap *map)
{
  CfFileActions *self = g_object_new (CF_TYPE_FILE_ACTIONS, NULL);

  self->service = service;
  g_action_map_add_action_entries (map, file_actions, G_N_ELEMENTS (file_actions), self);
  return self;
}

void
cf_file_actions_start (CfFileActions *self,
                       CfSession     *session)
{
  g_return_if_fail (CF_IS_FILE_ACTIONS (self));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  g_signal_connect_object (session, "check-finished", G_CALLBACK (on_session_check_finished), self, 0);
}
