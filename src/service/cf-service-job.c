/* cf-service-job.c: the files one CheckFiles call asked about, on the bus until a while after the last verdict
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A job lists its files in the order asked (a folder's files where the
 * folder was), each with its verdict once there is one.  The files wait in
 * the service's queue, not in the caller: a folder of ten thousand files
 * costs the file manager one call.  Each verdict is a signal of the job
 * and of the service (VerdictChanged); GetVerdicts gives them all to a
 * caller that subscribed late.
 */

#define G_LOG_DOMAIN "check-first-service"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-dbus.h"
#include "cf-service-private.h"

typedef struct
{
  GFile    *file;
  char     *uri;
  GVariant *verdict;     /* NULL until decided */
} Entry;

struct _CfServiceJob
{
  GObject               parent_instance;

  CfService            *service;      /* weak: the service owns its jobs */
  CfDBusCheckFirst1Job *skeleton;
  char                 *path;
  GPtrArray            *entries;      /* Entry, in the order asked */
  GHashTable           *waiting;      /* GFile → GPtrArray of Entry (a file asked twice) */
  guint                 reading;      /* files and folders still being looked at */
  guint                 blocked;
  guint                 unknown;
  guint                 failed;
  guint                 said;         /* verdicts already announced one by one */
  CfCheck              *last;         /* the last check, for a one-file job's notification */
  GCancellable         *cancellable;
  gboolean              finished;
};

G_DEFINE_FINAL_TYPE (CfServiceJob, cf_service_job, G_TYPE_OBJECT)

/* Folders are read a page at a time. */
#define CF_JOB_PAGE 256

static void
entry_free (Entry *entry)
{
  g_object_unref (entry->file);
  g_free (entry->uri);
  g_clear_pointer (&entry->verdict, g_variant_unref);
  g_free (entry);
}

static void
update_progress (CfServiceJob *self)
{
  guint done = 0;

  for (guint i = 0; i < self->entries->len; i++)
    done += ((Entry *) g_ptr_array_index (self->entries, i))->verdict != NULL;

  cf_dbus_check_first1_job_set_total (self->skeleton, self->entries->len);
  cf_dbus_check_first1_job_set_done (self->skeleton, done);
  cf_dbus_check_first1_job_emit_progress (self->skeleton, done, self->entries->len);
}

/* Adds @part (taken) to a summary. */
static void
append_part (GString *body,
             char    *part)
{
  if (body->len > 0)
    g_string_append (body, " · ");
  g_string_append (body, part);
  g_free (part);
}

/* A summary once a job of many files ends; a one-file job's verdict was
 * said already when it was news, and is said now when it was not. */
static void
announce_end (CfServiceJob *self)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *id = NULL;
  guint total = self->entries->len;
  guint allowed = total - self->blocked - self->unknown - self->failed;

  if (total == 1 && self->last != NULL && self->said == 0)
    {
      cf_service_announce (self->service, self->last, CF_NOTIFICATION_BACKGROUND);
      return;
    }
  if (total <= 1)
    return;

  /* Translators: parts of a summary, as in "1 blocked · 3 allowed" */
  if (self->blocked > 0)
    append_part (body, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u blocked", "%u blocked",
                                                     self->blocked), self->blocked));
  if (self->unknown > 0)
    append_part (body, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u unknown to VirusTotal",
                                                     "%u unknown to VirusTotal", self->unknown),
                                        self->unknown));
  if (self->failed > 0)
    append_part (body, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u not checked", "%u not checked",
                                                     self->failed), self->failed));
  if (allowed > 0)
    append_part (body, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u allowed", "%u allowed",
                                                     allowed), allowed));

  /* Translators: the title of a notification when many files were checked */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Checked %u file", "Checked %u files", total),
                           total);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body->str);
  id = g_strdup_printf ("job-%s", self->path);
  cf_service_send_notification (self->service, id, notification);
}

static void
maybe_finish (CfServiceJob *self)
{
  if (self->finished || self->reading > 0 || g_hash_table_size (self->waiting) > 0)
    return;

  self->finished = TRUE;
  cf_dbus_check_first1_job_set_finished (self->skeleton, TRUE);
  cf_dbus_check_first1_job_emit_finished (self->skeleton);
  if (!g_cancellable_is_cancelled (self->cancellable))
    announce_end (self);
  cf_service_job_ended (self->service, self);
}

static void
set_verdict (CfServiceJob *self,
             Entry        *entry,
             GVariant     *verdict)
{
  entry->verdict = g_variant_ref_sink (verdict);
  cf_dbus_check_first1_job_emit_verdict (self->skeleton, entry->uri, entry->verdict);
}

/* A check of this job ended: its verdict for every entry of the file. */
void
cf_service_job_check_done (CfServiceJob *self,
                           CfCheck      *check)
{
  GFile *file = cf_check_get_file (check);
  GPtrArray *entries;
  g_autoptr(GVariant) verdict = NULL;

  g_return_if_fail (CF_IS_SERVICE_JOB (self));

  entries = g_hash_table_lookup (self->waiting, file);
  if (entries == NULL)
    return;

  verdict = g_variant_ref_sink (cf_service_verdict_new (check, file));
  for (guint i = 0; i < entries->len; i++)
    set_verdict (self, g_ptr_array_index (entries, i), verdict);
  g_hash_table_remove (self->waiting, file);
  g_set_object (&self->last, check);

  if (cf_check_get_stage (check) != CF_CHECK_STAGE_DONE)
    self->failed++;
  else if (cf_check_get_decision (check) == CF_DECISION_BLOCK)
    self->blocked++;
  else if (cf_check_get_reason (check) == CF_REASON_UNKNOWN_ALLOWED)
    self->unknown++;

  cf_service_verdict_changed (self->service, file, check, verdict);
  /* A block, a failure, an unknown file to offer: said at once; the rest
   * in the summary at the end. */
  self->said += cf_service_announce_background (self->service, check, CF_NOTIFICATION_BACKGROUND, TRUE);
  update_progress (self);
  maybe_finish (self);
}

/* Adds @file, a file (not a folder), to the job and to the queue. */
static void
add_file (CfServiceJob *self,
          GFile        *file)
{
  static gint64 order;
  Entry *entry = g_new0 (Entry, 1);
  GPtrArray *same;

  entry->file = g_object_ref (file);
  entry->uri = g_file_get_uri (file);
  g_ptr_array_add (self->entries, entry);

  same = g_hash_table_lookup (self->waiting, file);
  if (same != NULL)
    {
      g_ptr_array_add (same, entry);
      return;
    }

  same = g_ptr_array_new ();
  g_ptr_array_add (same, entry);
  g_hash_table_insert (self->waiting, g_object_ref (file), same);
  /* In the order asked, across jobs too; another program's request never
   * uploads.  The cache can answer before this returns. */
  cf_check_queue_push (cf_service_get_queue (self->service), file,
                       CF_SESSION_CHECK_LISTED | CF_SESSION_CHECK_NO_UPLOAD, -(++order), self);
}

/* An entry that ends before any check: not a file ("error"), or the job
 * was cancelled before it was looked at ("cancelled"). */
static void
add_ended (CfServiceJob *self,
           GFile        *file,
           const char   *status,
           const char   *message)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->file = g_object_ref (file);
  entry->uri = g_file_get_uri (file);
  g_ptr_array_add (self->entries, entry);
  set_verdict (self, entry, cf_service_verdict_unknown (file, status, message));
}

/* Every file or folder asked for gets an answer, also when the job was
 * cancelled before it was looked at. */
static void
add_cancelled (CfServiceJob *self,
               GFile        *file)
{
  add_ended (self, file, "cancelled", _("The check was cancelled."));
}

static void
done_reading (CfServiceJob *self)
{
  self->reading--;
  update_progress (self);
  maybe_finish (self);
}

static void
folder_next (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GFileEnumerator *enumerator = G_FILE_ENUMERATOR (object);
  g_autoptr(CfServiceJob) self = user_data;
  g_autoptr(GError) error = NULL;
  GList *infos = g_file_enumerator_next_files_finish (enumerator, result, &error);

  if (infos == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      g_list_free_full (infos, g_object_unref);
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read a folder to check: %s", error->message);
      g_object_unref (enumerator);
      done_reading (self);
      return;
    }

  for (GList *l = infos; l != NULL; l = l->next)
    if (g_file_info_get_file_type (l->data) == G_FILE_TYPE_REGULAR)
      {
        g_autoptr(GFile) child = g_file_enumerator_get_child (enumerator, l->data);

        add_file (self, child);
      }
  g_list_free_full (infos, g_object_unref);
  update_progress (self);

  g_file_enumerator_next_files_async (enumerator, CF_JOB_PAGE, G_PRIORITY_LOW, self->cancellable,
                                      folder_next, g_object_ref (self));
}

static void
folder_opened (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CfServiceJob) self = user_data;
  g_autoptr(GError) error = NULL;
  GFileEnumerator *enumerator = g_file_enumerate_children_finish (G_FILE (object), result, &error);

  if (enumerator == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        add_cancelled (self, G_FILE (object));
      else
        add_ended (self, G_FILE (object), "error", error->message);
      done_reading (self);
      return;
    }
  g_file_enumerator_next_files_async (enumerator, CF_JOB_PAGE, G_PRIORITY_LOW, self->cancellable,
                                      folder_next, g_object_ref (self));
}

static void
type_known (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CfServiceJob) self = user_data;
  GFile *file = G_FILE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (file, result, &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    add_cancelled (self, file);
  else if (info == NULL)
    /* The checker says it best (does not exist, not allowed, ...). */
    add_file (self, file);
  else if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      /* Its own files only, like a watched folder. */
      self->reading++;
      g_file_enumerate_children_async (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                       G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                       G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, G_PRIORITY_LOW,
                                       self->cancellable, folder_opened, g_object_ref (self));
    }
  else if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
    add_file (self, file);
  else
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *message = g_strdup_printf (_("“%s” is not a file and was not checked."), name);

      add_ended (self, file, "error", message);
    }
  done_reading (self);
}

/* D-Bus methods */

static gboolean
handle_get_verdicts (CfDBusCheckFirst1Job  *skeleton,
                     GDBusMethodInvocation *invocation,
                     CfServiceJob          *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->verdict != NULL)
        g_variant_builder_add_value (&builder, entry->verdict);
    }
  cf_dbus_check_first1_job_complete_get_verdicts (skeleton, invocation, g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_cancel (CfDBusCheckFirst1Job  *skeleton,
               GDBusMethodInvocation *invocation,
               CfServiceJob          *self)
{
  g_autoptr(CfServiceJob) hold = g_object_ref (self);

  if (!self->finished)
    {
      g_cancellable_cancel (self->cancellable);
      /* Those still waiting end now; those under way end as cancelled. */
      cf_check_queue_drop_tag (cf_service_get_queue (self->service), self, TRUE);
      for (guint i = 0; i < self->entries->len; i++)
        {
          Entry *entry = g_ptr_array_index (self->entries, i);

          if (entry->verdict == NULL && g_hash_table_contains (self->waiting, entry->file))
            set_verdict (self, entry, cf_service_verdict_unknown (entry->file, "cancelled",
                                                                  _("The check was cancelled.")));
        }
      g_hash_table_remove_all (self->waiting);
      update_progress (self);
      maybe_finish (self);
    }
  cf_dbus_check_first1_job_complete_cancel (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* GObject */

static void
cf_service_job_dispose (GObject *object)
{
  CfServiceJob *self = CF_SERVICE_JOB (object);

  g_cancellable_cancel (self->cancellable);
  if (self->skeleton != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->skeleton, self);
      g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
    }

  G_OBJECT_CLASS (cf_service_job_parent_class)->dispose (object);
}

static void
cf_service_job_finalize (GObject *object)
{
  CfServiceJob *self = CF_SERVICE_JOB (object);

  g_clear_object (&self->skeleton);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->last);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);
  g_free (self->path);

  G_OBJECT_CLASS (cf_service_job_parent_class)->finalize (object);
}

static void
cf_service_job_class_init (CfServiceJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_service_job_dispose;
  object_class->finalize = cf_service_job_finalize;
}

static void
cf_service_job_init (CfServiceJob *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->waiting = g_hash_table_new_full (g_file_hash, (GEqualFunc) g_file_equal, g_object_unref,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->cancellable = g_cancellable_new ();
}

/* Exports a job for @files (GFile, file:// only) at @object_path and starts
 * it: each file, or a folder's files, into the service's queue. */
CfServiceJob *
cf_service_job_new (CfService        *service,
                    GDBusConnection  *connection,
                    const char       *object_path,
                    GPtrArray        *files,
                    GError          **error)
{
  g_autoptr(CfServiceJob) self = g_object_new (CF_TYPE_SERVICE_JOB, NULL);

  self->service = service;
  self->path = g_strdup (object_path);
  self->skeleton = cf_dbus_check_first1_job_skeleton_new ();
  g_signal_connect (self->skeleton, "handle-get-verdicts", G_CALLBACK (handle_get_verdicts), self);
  g_signal_connect (self->skeleton, "handle-cancel", G_CALLBACK (handle_cancel), self);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton), connection,
                                         object_path, error))
    return NULL;

  /* Look at each first: a folder stands for its files.  Until the last
   * look, the job cannot end. */
  self->reading = files->len + 1;
  for (guint i = 0; i < files->len; i++)
    g_file_query_info_async (g_ptr_array_index (files, i), G_FILE_ATTRIBUTE_STANDARD_TYPE,
                             G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, self->cancellable,
                             type_known, g_object_ref (self));
  done_reading (self);

  return g_steal_pointer (&self);
}

const char *
cf_service_job_get_path (CfServiceJob *self)
{
  g_return_val_if_fail (CF_IS_SERVICE_JOB (self), NULL);
  return self->path;
}

gboolean
cf_service_job_is_finished (CfServiceJob *self)
{
  g_return_val_if_fail (CF_IS_SERVICE_JOB (self), FALSE);
  return self->finished;
}
