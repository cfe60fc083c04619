/* cf-audit.c: check every running process's executable, within the budget
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Processes are grouped by executable, each executable is hashed once, and
 * each hash is looked up once, riskiest first (deleted binaries, then ones
 * in places a user can write).  Answers land in the cache as they arrive,
 * so an audit stopped half-way resumes where it was.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cf-audit.h"

#define CF_AUDIT_IN_FLIGHT 4

struct _CfAudit
{
  GObject        parent_instance;

  CfChecker     *checker;
  char          *proc_root;
  GCancellable  *cancellable;
  CfProcessScan *scan;
  GPtrArray     *entries;       /* CfAuditEntry, in risk order */
  guint          next;
  guint          in_flight;
  guint          n_done;
  guint          n_to_request;  /* not answered by the cache or trust list */
  guint          n_requested;   /* of those, answered so far */
  gboolean       running;
};

enum {
  SIGNAL_PROGRESS,
  SIGNAL_ENTRY_CHANGED,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CfAudit, cf_audit, G_TYPE_OBJECT)

static void
audit_entry_free (CfAuditEntry *entry)
{
  g_clear_pointer (&entry->lookup, cf_lookup_free);
  g_clear_error (&entry->error);
  g_free (entry);
}

static void
cf_audit_dispose (GObject *object)
{
  CfAudit *self = CF_AUDIT (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (cf_audit_parent_class)->dispose (object);
}

static void
cf_audit_finalize (GObject *object)
{
  CfAudit *self = CF_AUDIT (object);

  g_clear_object (&self->checker);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->proc_root, g_free);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->scan, cf_process_scan_free);

  G_OBJECT_CLASS (cf_audit_parent_class)->finalize (object);
}

static void
cf_audit_class_init (CfAuditClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_audit_dispose;
  object_class->finalize = cf_audit_finalize;

  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ENTRY_CHANGED] =
    g_signal_new ("entry-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cf_audit_init (CfAudit *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) audit_entry_free);
}

CfAudit *
cf_audit_new (CfChecker  *checker,
              const char *proc_root)
{
  CfAudit *self;

  g_return_val_if_fail (CF_IS_CHECKER (checker), NULL);

  self = g_object_new (CF_TYPE_AUDIT, NULL);
  self->checker = g_object_ref (checker);
  self->proc_root = g_strdup (proc_root != NULL ? proc_root : "/proc");
  return self;
}

GPtrArray *
cf_audit_get_entries (CfAudit *self)
{
  g_return_val_if_fail (CF_IS_AUDIT (self), NULL);
  return self->entries;
}

guint
cf_audit_get_n_processes (CfAudit *self)
{
  g_return_val_if_fail (CF_IS_AUDIT (self), 0);
  return self->scan != NULL ? self->scan->n_processes : 0;
}

guint
cf_audit_get_denied (CfAudit *self)
{
  g_return_val_if_fail (CF_IS_AUDIT (self), 0);
  return self->scan != NULL ? self->scan->n_denied : 0;
}

guint
cf_audit_get_n_done (CfAudit *self)
{
  g_return_val_if_fail (CF_IS_AUDIT (self), 0);
  return self->n_done;
}

gboolean
cf_audit_is_running (CfAudit *self)
{
  g_return_val_if_fail (CF_IS_AUDIT (self), FALSE);
  return self->running;
}

/* "31 unique executables, about 8 minutes at 4 requests a minute, 412 of
 * 500 requests left today" */
char *
cf_audit_describe_estimate (CfAudit *self)
{
  CfQuotaUsage usage;
  GString *text;

  g_return_val_if_fail (CF_IS_AUDIT (self), NULL);

  if (self->scan == NULL)
    return g_strdup (_("Reading the running processes…"));

  cf_scheduler_get_usage (cf_checker_get_scheduler (self->checker), &usage);

  text = g_string_new (NULL);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u unique executable", "%u unique executables",
                                             self->entries->len),
                          self->entries->len);
  g_string_append_printf (text, _(", %u checked"), self->n_done);

  if (self->running && self->n_to_request > self->n_requested && usage.per_minute > 0)
    {
      guint requests = self->n_to_request - self->n_requested;
      guint minutes = (requests + usage.per_minute - 1) / usage.per_minute;

      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           ", about %u minute at %u requests a minute",
                                           ", about %u minutes at %u requests a minute", minutes),
                              minutes, usage.per_minute);
    }
  if (usage.per_day > 0)
    g_string_append_printf (text, _(", %u of %u requests left today"),
                            usage.per_day > usage.day_used ? usage.per_day - usage.day_used : 0,
                            usage.per_day);

  return g_string_free (text, FALSE);
}

static void audit_pump (CfAudit *self);

static void
audit_finish (CfAudit *self)
{
  if (!self->running)
    return;
  self->running = FALSE;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

typedef struct
{
  CfAudit *audit;
  guint    index;
} Pending;

static void
lookup_ready (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(CfAudit) self = pending->audit;
  guint index = pending->index;
  CfAuditEntry *entry = g_ptr_array_index (self->entries, index);
  GError *error = NULL;

  g_free (pending);
  self->in_flight--;

  entry->lookup = cf_checker_lookup_finish (CF_CHECKER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      if (self->in_flight == 0)
        audit_finish (self);
      return;
    }

  entry->done = TRUE;
  entry->error = error;
  self->n_done++;
  if (entry->lookup != NULL && entry->lookup->source == CF_SOURCE_API)
    self->n_requested++;
  g_signal_emit (self, signals[SIGNAL_ENTRY_CHANGED], 0, index);
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
  audit_pump (self);
}

static void
audit_pump (CfAudit *self)
{
  while (self->in_flight < CF_AUDIT_IN_FLIGHT && self->next < self->entries->len &&
         !g_cancellable_is_cancelled (self->cancellable))
    {
      guint index = self->next++;
      CfAuditEntry *entry = g_ptr_array_index (self->entries, index);
      Pending *pending;

      if (entry->done)
        continue;

      pending = g_new0 (Pending, 1);
      pending->audit = g_object_ref (self);
      pending->index = index;
      self->in_flight++;
      cf_checker_lookup_async (self->checker, entry->exe->sha256, CF_PRIORITY_BACKGROUND,
                               self->cancellable, lookup_ready, pending);
    }

  if (self->in_flight == 0 &&
      (self->next >= self->entries->len || g_cancellable_is_cancelled (self->cancellable)))
    audit_finish (self);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CfAudit *self = source_object;
  GError *error = NULL;
  CfProcessScan *scan;

  scan = cf_processes_scan (self->proc_root, &error);
  if (scan == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < scan->executables->len; i++)
    {
      CfProcessExe *exe = g_ptr_array_index (scan->executables, i);

      if (g_cancellable_is_cancelled (cancellable))
        break;
      cf_processes_hash (exe, self->proc_root, cancellable, NULL);
    }

  g_task_return_pointer (task, scan, (GDestroyNotify) cf_process_scan_free);
}

static void
scan_ready (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CfAudit *self = CF_AUDIT (object);
  CfStore *store = cf_checker_get_store (self->checker);
  const CfConfig *config = cf_checker_get_config (self->checker);
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  self->scan = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->scan == NULL)
    {
      audit_finish (self);
      return;
    }

  for (guint i = 0; i < self->scan->executables->len; i++)
    {
      CfProcessExe *exe = g_ptr_array_index (self->scan->executables, i);
      CfAuditEntry *entry = g_new0 (CfAuditEntry, 1);
      g_autoptr(CfReport) cached = NULL;

      entry->exe = exe;
      if (exe->sha256 == NULL)
        {
          entry->done = TRUE;
          entry->error = exe->error != NULL ? g_error_copy (exe->error) :
                         g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                              _("The executable could not be read."));
          self->n_done++;
        }
      else if (cf_store_get_trust (store, exe->sha256, NULL) == CF_TRUST_NONE &&
               !cf_store_lookup_verdict (store, exe->sha256, now, &config->ttl, &cached, NULL))
        self->n_to_request++;
      g_ptr_array_add (self->entries, entry);
    }

  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
  audit_pump (self);
}

void
cf_audit_start (CfAudit *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CF_IS_AUDIT (self));
  g_return_if_fail (!self->running);

  g_ptr_array_set_size (self->entries, 0);
  g_clear_pointer (&self->scan, cf_process_scan_free);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->next = self->n_done = self->n_to_request = self->n_requested = self->in_flight = 0;
  self->running = TRUE;

  task = g_task_new (self, self->cancellable, scan_ready, NULL);
  g_task_set_source_tag (task, cf_audit_start);
  g_task_run_in_thread (task, scan_thread);
}

void
cf_audit_cancel (CfAudit *self)
{
  g_return_if_fail (CF_IS_AUDIT (self));
  g_cancellable_cancel (self->cancellable);
}
