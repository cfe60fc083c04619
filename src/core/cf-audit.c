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

#define G_LOG_DOMAIN "check-first-audit"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-audit.h"
#include "cf-hash-service.h"

#define CF_AUDIT_IN_FLIGHT 4

struct _CfAudit
{
  GObject        parent_instance;

  CfChecker     *checker;
  char          *proc_root;
  GCancellable  *cancellable;
  CfProcessScan *scan;
  GError        *error;
  GListStore    *checks;        /* CfCheck, in risk order */
  guint          next;
  guint          in_flight;
  guint          n_done;
  guint          n_to_request;  /* not answered by the cache or trust list */
  guint          n_requested;   /* of those, answered so far */
  gboolean       running;
};

enum {
  SIGNAL_PROGRESS,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CfAudit, cf_audit, G_TYPE_OBJECT)

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
  g_clear_object (&self->checks);
  g_clear_error (&self->error);
  g_clear_pointer (&self->proc_root, g_free);
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
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cf_audit_init (CfAudit *self)
{
  self->checks = g_list_store_new (CF_TYPE_CHECK);
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

GListModel *
cf_audit_get_checks (CfAudit *self)
{
  g_return_val_if_fail (CF_IS_AUDIT (self), NULL);
  return G_LIST_MODEL (self->checks);
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

const GError *
cf_audit_get_error (CfAudit *self)
{
  g_return_val_if_fail (CF_IS_AUDIT (self), NULL);
  return self->error;
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
  guint n_checks;
  GString *text;

  g_return_val_if_fail (CF_IS_AUDIT (self), NULL);

  if (self->error != NULL)
    return g_strdup (self->error->message);
  if (self->scan == NULL)
    return g_strdup (_("Reading the running processes…"));

  cf_scheduler_get_usage (cf_checker_get_scheduler (self->checker), &usage);
  n_checks = g_list_model_get_n_items (G_LIST_MODEL (self->checks));

  text = g_string_new (NULL);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u unique executable", "%u unique executables",
                                             n_checks),
                          n_checks);
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

static void
on_check_finished (CfCheck    *check,
                   GParamSpec *pspec,
                   CfAudit    *self)
{
  if (!cf_check_is_finished (check))
    return;

  g_signal_handlers_disconnect_by_func (check, on_check_finished, self);
  self->in_flight--;
  if (cf_check_get_stage (check) != CF_CHECK_STAGE_CANCELLED)
    self->n_done++;
  if (cf_check_get_source (check) == CF_SOURCE_API)
    self->n_requested++;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
  audit_pump (self);
}

static void
audit_pump (CfAudit *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->checks));

  while (self->in_flight < CF_AUDIT_IN_FLIGHT && self->next < n &&
         !g_cancellable_is_cancelled (self->cancellable))
    {
      g_autoptr(CfCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), self->next++);

      self->in_flight++;
      g_signal_connect_object (check, "notify::finished", G_CALLBACK (on_check_finished), self, 0);
      cf_checker_start (self->checker, check);
    }

  if (self->in_flight == 0 && (self->next >= n || g_cancellable_is_cancelled (self->cancellable)))
    audit_finish (self);
}

/* What the scan's thread found: the programs, hashed and compared with
 * their packages, and how many of them will cost a request (neither
 * trusted nor cached nor packaged). */
typedef struct
{
  CfProcessScan *scan;
  guint          n_to_request;
} ScanResult;

static void
scan_result_free (ScanResult *result)
{
  g_clear_pointer (&result->scan, cf_process_scan_free);
  g_free (result);
}

/* What each program's check on a hashing thread shares with the others. */
typedef struct
{
  CfAudit      *audit;
  GCancellable *cancellable;
  gint64        now;
  gint          n_to_request;   /* atomic */
} ExeRound;

/* On a hashing thread, one program: its hash, whether its package still
 * has it as installed, and whether it will cost a request. */
static void
check_exe (gpointer item,
           gpointer user_data)
{
  CfProcessExe *exe = item;
  ExeRound *round = user_data;
  CfStore *store = cf_checker_get_store (round->audit->checker);
  const CfConfig *config = cf_checker_get_config (round->audit->checker);
  g_autoptr(CfReport) cached = NULL;

  if (g_cancellable_is_cancelled (round->cancellable) ||
      !cf_processes_hash (exe, round->audit->proc_root, round->cancellable, NULL))
    return;

  /* The package database is read once, the first time a program could be
   * a package's. */
  if (!exe->deleted && !exe->user_writable && cf_dpkg_path_may_qualify (exe->path))
    {
      g_autoptr(CfDpkgIndex) packages = cf_dpkg_index_get_default ();

      cf_processes_verify_package (exe, packages, round->audit->proc_root, round->cancellable);
    }

  /* The store is asked here, off the main thread, so that a database
   * another program holds never stalls the window. */
  if (cf_store_get_trust (store, exe->sha256, NULL) == CF_TRUST_NONE &&
      !(exe->package.state == CF_PACKAGED_UNMODIFIED && config->skip_packaged_processes) &&
      !cf_store_lookup_verdict (store, exe->sha256, round->now, &config->ttl, &cached, NULL))
    g_atomic_int_inc (&round->n_to_request);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ExeRound round = { source_object, cancellable, g_get_real_time () / G_USEC_PER_SEC, 0 };
  GError *error = NULL;
  ScanResult *result;
  CfProcessScan *scan;

  scan = cf_processes_scan (round.audit->proc_root, &error);
  if (scan == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Every core hashes programs, the riskiest first. */
  cf_hash_service_for_each (cf_hash_service_get_default (), scan->executables,
                            CF_PRIORITY_BACKGROUND, check_exe, &round);

  result = g_new0 (ScanResult, 1);
  result->scan = scan;
  result->n_to_request = g_atomic_int_get (&round.n_to_request);

  /* A program that is no longer what its package installed goes first. */
  cf_processes_sort_by_risk (scan);
  g_task_return_pointer (task, result, (GDestroyNotify) scan_result_free);
}

static void
scan_ready (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CfAudit *self = CF_AUDIT (object);
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func (g_object_unref);
  ScanResult *found;

  found = g_task_propagate_pointer (G_TASK (result), &self->error);
  if (found == NULL)
    {
      /* Cancelled is no failure to report. */
      if (g_error_matches (self->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_clear_error (&self->error);
      audit_finish (self);
      return;
    }
  self->scan = g_steal_pointer (&found->scan);
  self->n_to_request = found->n_to_request;
  scan_result_free (found);

  for (guint i = 0; i < self->scan->executables->len; i++)
    {
      CfProcessExe *exe = g_ptr_array_index (self->scan->executables, i);

      g_ptr_array_add (checks, cf_checker_prepare_process (self->checker, exe, CF_PRIORITY_BACKGROUND));
    }
  g_list_store_splice (self->checks, 0, 0, checks->pdata, checks->len);

  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
  audit_pump (self);
}

void
cf_audit_start (CfAudit *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CF_IS_AUDIT (self));
  g_return_if_fail (!self->running);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->checks)) > 0)
    g_list_store_remove_all (self->checks);
  g_clear_pointer (&self->scan, cf_process_scan_free);
  g_clear_error (&self->error);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->next = self->n_done = self->n_to_request = self->n_requested = self->in_flight = 0;
  self->running = TRUE;

  task = g_task_new (self, self->cancellable, scan_ready, NULL);
  g_task_set_source_tag (task, cf_audit_start);
  g_task_run_in_thread (task, scan_thread);
}

/* Stops at once: the checks under way and the ones not started yet end
 * as cancelled. */
void
cf_audit_cancel (CfAudit *self)
{
  guint n;

  g_return_if_fail (CF_IS_AUDIT (self));

  g_cancellable_cancel (self->cancellable);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->checks));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CfCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      cf_check_cancel (check);
    }
}
