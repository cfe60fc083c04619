/* cf-checker.c: one file's whole check, from hashing to a decision
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The order of the steps is the order of their cost: the identity cache
 * (no read at all), hashing, the trust list and the verdict cache (no
 * request), a lookup (one request), and only with consent an upload and
 * its polls.  Every answer is written to the store as soon as it arrives.
 */

#define G_LOG_DOMAIN "check-first-checker"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-check-private.h"
#include "cf-hash-service.h"
#include "cf-hash-set.h"
#include "cf-origin.h"
#include "cf-time.h"
#include "cf-verdict.h"

/* Polls start two seconds apart and slow down as the wait grows, so a long
 * analysis does not eat the budget. */
#define CF_POLL_FIRST_MS 2000
#define CF_POLL_MAX_MS 60000
#define CF_ANALYSIS_NOT_FOUND_TOLERANCE 5

/* A cached answer of any age. */
static const CfCacheTtl keep_forever = { G_MAXINT32, G_MAXINT32, G_MAXINT32 };

/* ------------------------------------------------------------------ */
/* CfChecker                                                            */
/* ------------------------------------------------------------------ */

struct _CfChecker
{
  GObject      parent_instance;

  CfStore     *store;
  CfScheduler *scheduler;
  CfVtClient  *client;
  GError      *no_client_error;   /* when set, a check that needs a request fails with it */
  CfConfig     config;
  gboolean     use_cache;
  /* A script's run: every hash answered in it, so that the cache answers
   * it again whatever its age and none is asked twice.  NULL otherwise. */
  CfHashSet   *answered;
  GPtrArray   *active;        /* CfCheck, running or pending */
};

enum {
  SIGNAL_FINISHED,
  N_CHECKER_SIGNALS
};

static guint checker_signals[N_CHECKER_SIGNALS];

G_DEFINE_FINAL_TYPE (CfChecker, cf_checker, G_TYPE_OBJECT)

static void check_start (CfCheck *check);
static void check_lookup (CfCheck *check);
static void check_rescan (CfCheck *check);
static gboolean should_rescan_first (CfCheck *check,
                                     gint64   now);
static void check_verify_package (CfCheck *check);

static void
package_info_free (CfPackageInfo *info)
{
  cf_package_info_clear (info);
  g_free (info);
}
static void check_poll_soon (CfCheck *check);

/* The checks waiting for the budget are told what they wait for, until
 * when, and where their request is in the queue ("3 ahead"): whenever the
 * wait or the queue changes, with one walk of the queue for all of them. */
static void
update_waits (CfChecker *self)
{
  CfScheduler *scheduler = self->scheduler;
  gint64 until = cf_scheduler_get_wait_until (scheduler);
  const char *reason = cf_scheduler_get_wait_reason (scheduler);
  CfWaitKind kind = cf_scheduler_get_wait_kind (scheduler);
  g_autoptr(GHashTable) positions = NULL;
  g_autofree char *limit = NULL;

  if (kind == CF_WAIT_MINUTE)
    {
      guint per_minute, per_day;

      cf_scheduler_get_limits (scheduler, &per_minute, &per_day, NULL);
      limit = cf_verdict_describe_rate (per_minute, per_day);
    }

  /* Only checks with a request in flight are waiting for the budget. */
  for (guint i = 0; i < self->active->len; i++)
    {
      CfCheck *check = g_ptr_array_index (self->active, i);
      int ahead;

      if (check->stage != CF_CHECK_STAGE_LOOKING_UP && check->stage != CF_CHECK_STAGE_WAITING_QUOTA)
        continue;

      if (positions == NULL)
        positions = cf_scheduler_get_positions (scheduler);
      ahead = (int) GPOINTER_TO_UINT (g_hash_table_lookup (positions, check->cancellable)) - 1;
      if (ahead < 0)
        {
          /* Its request has gone: it is being answered. */
          cf_check_set_wait (check, 0, NULL);
          cf_check_set_queue (check, CF_WAIT_NONE, NULL, -1);
          cf_check_set_stage (check, CF_CHECK_STAGE_LOOKING_UP);
          continue;
        }

      cf_check_set_wait (check, until, reason);
      cf_check_set_queue (check, until > 0 ? kind : CF_WAIT_NONE, until > 0 ? limit : NULL, ahead);
      cf_check_set_stage (check, until > 0 ? CF_CHECK_STAGE_WAITING_QUOTA : CF_CHECK_STAGE_LOOKING_UP);
    }
}

static void
on_scheduler_wait_changed (CfScheduler *scheduler,
                           GParamSpec  *pspec,
                           CfChecker   *self)
{
  update_waits (self);
}

static void
cf_checker_dispose (GObject *object)
{
  CfChecker *self = CF_CHECKER (object);

  if (self->active != NULL)
    {
      for (guint i = 0; i < self->active->len; i++)
        g_cancellable_cancel (CF_CHECK (g_ptr_array_index (self->active, i))->cancellable);
    }
  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);

  G_OBJECT_CLASS (cf_checker_parent_class)->dispose (object);
}

static void
cf_checker_finalize (GObject *object)
{
  CfChecker *self = CF_CHECKER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->client);
  g_clear_error (&self->no_client_error);
  g_clear_pointer (&self->active, g_ptr_array_unref);
  g_clear_pointer (&self->answered, cf_hash_set_free);
  cf_config_clear (&self->config);

  G_OBJECT_CLASS (cf_checker_parent_class)->finalize (object);
}

static void
cf_checker_class_init (CfCheckerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_checker_dispose;
  object_class->finalize = cf_checker_finalize;

  /**
   * CfChecker::finished:
   * @check: the CfCheck that reached done, failed or cancelled
   */
  checker_signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CF_TYPE_CHECK);
}

static void
cf_checker_init (CfChecker *self)
{
  cf_config_init (&self->config);
  self->use_cache = TRUE;
  self->active = g_ptr_array_new_with_free_func (g_object_unref);
}

CfChecker *
cf_checker_new (CfStore     *store,
                CfScheduler *scheduler)
{
  CfChecker *self;

  g_return_val_if_fail (CF_IS_STORE (store), NULL);
  g_return_val_if_fail (CF_IS_SCHEDULER (scheduler), NULL);

  self = g_object_new (CF_TYPE_CHECKER, NULL);
  self->store = g_object_ref (store);
  self->scheduler = g_object_ref (scheduler);
  g_signal_connect_object (scheduler, "notify::wait-until",
                           G_CALLBACK (on_scheduler_wait_changed), self, 0);
  g_signal_connect_object (scheduler, "queue-changed",
                           G_CALLBACK (update_waits), self, G_CONNECT_SWAPPED);

  return self;
}

CfStore *
cf_checker_get_store (CfChecker *self)
{
  g_return_val_if_fail (CF_IS_CHECKER (self), NULL);
  return self->store;
}

CfScheduler *
cf_checker_get_scheduler (CfChecker *self)
{
  g_return_val_if_fail (CF_IS_CHECKER (self), NULL);
  return self->scheduler;
}

CfVtClient *
cf_checker_get_client (CfChecker *self)
{
  g_return_val_if_fail (CF_IS_CHECKER (self), NULL);
  return self->client;
}

void
cf_checker_set_client (CfChecker  *self,
                       CfVtClient *client)
{
  g_autoptr(GPtrArray) waiting = NULL;

  g_return_if_fail (CF_IS_CHECKER (self));
  g_return_if_fail (!client || CF_IS_VT_CLIENT (client));

  if (!g_set_object (&self->client, client) || client == NULL)
    return;

  /* Files that arrived before there was a key start now. */
  waiting = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->active->len; i++)
    {
      CfCheck *check = g_ptr_array_index (self->active, i);
      if (check->stage == CF_CHECK_STAGE_PENDING)
        g_ptr_array_add (waiting, g_object_ref (check));
    }
  for (guint i = 0; i < waiting->len; i++)
    check_start (g_ptr_array_index (waiting, i));
}

/* A script will not get a key while it runs: with @error set, a check that
 * needs a request fails with it instead of waiting in "pending". */
void
cf_checker_set_no_client_error (CfChecker    *self,
                                const GError *error)
{
  g_return_if_fail (CF_IS_CHECKER (self));

  g_clear_error (&self->no_client_error);
  if (error != NULL)
    self->no_client_error = g_error_copy (error);
}

void
cf_checker_set_config (CfChecker      *self,
                       const CfConfig *config)
{
  g_return_if_fail (CF_IS_CHECKER (self));
  g_return_if_fail (config != NULL);

  cf_config_clear (&self->config);
  cf_config_copy (&self->config, config);
}

const CfConfig *
cf_checker_get_config (CfChecker *self)
{
  g_return_val_if_fail (CF_IS_CHECKER (self), NULL);
  return &self->config;
}

/* Without the cache, only the answers of this run are used again (with
 * cf_checker_keep_answers()). */
void
cf_checker_set_use_cache (CfChecker *self,
                          gboolean   use_cache)
{
  g_return_if_fail (CF_IS_CHECKER (self));
  self->use_cache = use_cache;
}

/* From now on this checker serves one run of a script: a hash it has
 * answered once, from VirusTotal or the cache, is answered again from the
 * cache however old the answer grows, so that no hash costs two requests
 * in one run, however long the run and however often the list repeats it. */
void
cf_checker_keep_answers (CfChecker *self)
{
  g_return_if_fail (CF_IS_CHECKER (self));

  if (self->answered == NULL)
    self->answered = cf_hash_set_new ();
}

static void
remember_answer (CfChecker  *self,
                 const char *hash)
{
  if (self->answered != NULL && hash != NULL)
    cf_hash_set_add (self->answered, hash);
}

/* How old a cached answer for @hash may be, or NULL when the cache may not
 * answer for it. */
static const CfCacheTtl *
cache_ttl (CfChecker  *self,
           const char *hash)
{

  if (self->answered != NULL && cf_hash_set_contains (self->answered, hash))
    return &keep_forever;
  return self->use_cache ? &self->config.ttl : NULL;
}

/* ------------------------------------------------------------------ */
/* Finishing                                                            */
/* ------------------------------------------------------------------ */

static void
check_record_history (CfCheck      *check,
                      CfCheckStage  stage)
{
  CfChecker *checker = check->checker;
  g_autofree char *path = NULL;
  CfHistoryEntry entry = { 0 };

  /* Files are what a person checks; batches of hashes and the process
   * audit would drown them. */
  if (checker == NULL || stage == CF_CHECK_STAGE_CANCELLED || check->kind != CF_CHECK_KIND_FILE)
    return;

  path = g_file_get_path (check->file);
  entry.path = path != NULL ? path : g_file_get_uri (check->file);
  entry.sha256 = check->sha256;
  entry.time = g_get_real_time () / G_USEC_PER_SEC;
  entry.kind = (char *) cf_check_kind_to_string (check->kind);
  entry.size = check->size;
  entry.origin = check->origin;
  entry.package = check->package.name;
  entry.package_version = check->package.version;
  entry.packaged = (char *) cf_packaged_to_string (check->package.state);
  entry.referrer = check->referrer;
  if (stage == CF_CHECK_STAGE_FAILED)
    {
      entry.status = (char *) "error";
      entry.decision = (char *) "block";
      entry.error = check->error != NULL ? check->error->message : NULL;
    }
  else
    {
      entry.status = (char *) cf_reason_to_status (check->reason);
      entry.decision = (char *) cf_decision_to_string (check->decision);
      entry.reason = (char *) cf_reason_to_string (check->reason);
      entry.threshold = check->threshold;
      entry.source = (char *) cf_source_to_string (check->source);
    }
  if (check->report != NULL)
    {
      entry.malicious = check->report->stats.malicious;
      entry.suspicious = check->report->stats.suspicious;
      entry.engines = cf_stats_engines (&check->report->stats);
    }

  check->history_id = cf_store_add_history (checker->store, &entry);
  cf_check_notify (check, CHECK_PROP_HISTORY_ID);
  if (path == NULL)
    g_free (entry.path);
}

static void
check_disarm_deadline (CfCheck *check)
{
  g_clear_handle_id (&check->deadline_source, g_source_remove);
  if (check->deadline == 0)
    return;
  check->deadline = 0;
  cf_check_notify (check, CHECK_PROP_DEADLINE);
}

static void
check_finish (CfCheck      *check,
              CfCheckStage  stage)
{
  CfChecker *checker = check->checker;

  g_assert (stage >= CF_CHECK_STAGE_DONE);

  check_disarm_deadline (check);
  g_clear_handle_id (&check->poll_source, g_source_remove);
  cf_check_set_wait (check, 0, NULL);
  cf_check_set_queue (check, CF_WAIT_NONE, NULL, -1);
  check->rescanning = FALSE;
  check->following = FALSE;
  if (!check->keep_hold || stage != CF_CHECK_STAGE_DONE)
    cf_check_release_hold (check);
  check_record_history (check, stage);
  cf_check_set_stage (check, stage);

  if (checker != NULL)
    {
      g_object_ref (check);
      g_ptr_array_remove (checker->active, check);
      g_signal_emit (checker, checker_signals[SIGNAL_FINISHED], 0, check);
      g_object_unref (check);
    }
}

static void
check_fail (CfCheck *check,
            GError  *error)
{
  /* Cancelled by its own deadline: the reason is the wait that ran out. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && check->deadline_error != NULL)
    {
      g_error_free (error);
      error = g_steal_pointer (&check->deadline_error);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      check_finish (check, CF_CHECK_STAGE_CANCELLED);
      return;
    }

  g_clear_error (&check->error);
  check->error = error;
  cf_check_notify (check, CHECK_PROP_ERROR);
  if (check->decision != CF_DECISION_BLOCK)
    {
      check->decision = CF_DECISION_BLOCK;
      cf_check_notify (check, CHECK_PROP_DECISION);
    }
  check_finish (check, CF_CHECK_STAGE_FAILED);
}

/* The trust list first, then @policy on the report (NULL: unknown). */
static CfDecision
decide (CfTrust         trust,
        const CfPolicy *policy,
        const CfReport *report,
        CfReason       *reason)
{
  if (trust == CF_TRUST_ALLOW)
    {
      *reason = CF_REASON_TRUSTED;
      return CF_DECISION_ALLOW;
    }
  if (trust == CF_TRUST_BLOCK)
    {
      *reason = CF_REASON_BLOCKED_BY_USER;
      return CF_DECISION_BLOCK;
    }
  return cf_policy_decide (policy, report, reason);
}

static CfDecision
checker_decide (CfChecker      *self,
                const char     *sha256,
                const CfReport *report,
                CfReason       *reason)
{
  CfTrust trust = sha256 != NULL ? cf_store_get_trust (self->store, sha256, NULL) : CF_TRUST_NONE;

  return decide (trust, &self->config.policy, report, reason);
}

static void
check_decide (CfCheck *check)
{
  CfReason reason;
  CfDecision decision = checker_decide (check->checker, check->sha256,
                                        check->known ? check->report : NULL, &reason);
  guint threshold = check->checker->config.policy.threshold;

  /* Old is as old as the policy of the day says. */
  check->stale_after = (gint64) check->checker->config.stale_after_days * 86400;

  /* Debian's word stands for VirusTotal's only where the person has
   * not spoken. */
  if (check->source == CF_SOURCE_PACKAGE && !check->known &&
      reason != CF_REASON_TRUSTED && reason != CF_REASON_BLOCKED_BY_USER)
    {
      reason = CF_REASON_PACKAGED;
      decision = CF_DECISION_ALLOW;
    }

  check->time = g_get_real_time () / G_USEC_PER_SEC;
  cf_check_notify (check, CHECK_PROP_TIME);
  if (threshold != check->threshold)
    {
      check->threshold = threshold;
      cf_check_notify (check, CHECK_PROP_THRESHOLD);
    }
  if (reason != check->reason)
    {
      check->reason = reason;
      cf_check_notify (check, CHECK_PROP_REASON);
    }
  if (decision != check->decision)
    {
      check->decision = decision;
      cf_check_notify (check, CHECK_PROP_DECISION);
    }
}

static void
check_conclude (CfCheck  *check,
                CfSource  source)
{
  if (source == CF_SOURCE_CACHE)
    {
      remember_answer (check->checker, check->sha256);
      remember_answer (check->checker, check->hash);
    }
  if (check->source != source)
    {
      check->source = source;
      cf_check_notify (check, CHECK_PROP_SOURCE);
    }
  check_decide (check);
  check_finish (check, CF_CHECK_STAGE_DONE);
}

void
cf_checker_redecide (CfChecker *self,
                     CfCheck   *check)
{
  g_return_if_fail (CF_IS_CHECKER (self));
  g_return_if_fail (CF_IS_CHECK (check));

  if (check->stage != CF_CHECK_STAGE_DONE || check->sha256 == NULL)
    return;

  /* A history entry belongs to no checker: decide it with this one. */
  if (check->checker == NULL)
    g_set_weak_pointer (&check->checker, self);
  check_decide (check);
}

void
cf_check_cancel (CfCheck *self)
{
  g_return_if_fail (CF_IS_CHECK (self));

  if (cf_check_is_finished (self))
    return;

  g_cancellable_cancel (self->cancellable);

  /* Stages that have no request in flight end at once. */
  if (self->stage == CF_CHECK_STAGE_PENDING || self->stage == CF_CHECK_STAGE_ASKING ||
      self->poll_source != 0)
    check_finish (self, CF_CHECK_STAGE_CANCELLED);
}

/* ------------------------------------------------------------------ */
/* Bounded waits                                                        */
/* ------------------------------------------------------------------ */

static GError *
still_analysing_error (CfChecker *checker)
{
  /* The analysis id stays in the store: a later check resumes it. */
  guint minutes = MAX (checker->config.wait_max / 60, 1);

  return g_error_new (CF_VT_ERROR, CF_VT_ERROR_STILL_ANALYSING,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "VirusTotal is still analysing this file after %u minute; "
                                   "try again later. It stays blocked until there is a verdict.",
                                   "VirusTotal is still analysing this file after %u minutes; "
                                   "try again later. It stays blocked until there is a verdict.",
                                   minutes),
                      minutes);
}

/* What the check was waiting for when its bound passed, in words. */
static GError *
deadline_error (CfCheck *check)
{
  CfChecker *checker = check->checker;
  g_autofree char *allowed = cf_format_duration ((gint64) checker->config.wait_max * G_USEC_PER_SEC);

  switch (check->stage)
    {
    case CF_CHECK_STAGE_ANALYSIS_QUEUED:
    case CF_CHECK_STAGE_ANALYSIS_RUNNING:
      return still_analysing_error (checker);

    case CF_CHECK_STAGE_WAITING_QUOTA:
      {
        g_autofree char *until = cf_format_moment (check->wait_until, g_get_real_time ());

        return g_error_new (CF_VT_ERROR, CF_VT_ERROR_TIMEOUT,
                            _("Gave up after %s, the longest wait you allow: %s, "
                              "and the next try would be at %s."),
                            allowed, check->wait_reason != NULL ? check->wait_reason :
                            _("the request budget is spent"), until);
      }

    case CF_CHECK_STAGE_LOOKING_UP:
    default:
      return g_error_new (CF_VT_ERROR, CF_VT_ERROR_STOPPED,
                          _("VirusTotal stopped answering: no whole reply within %s, the "
                            "longest wait you allow."), allowed);
    }
}

static gboolean
on_check_deadline (gpointer user_data)
{
  CfCheck *check = user_data;

  check->deadline_source = 0;
  if (cf_check_is_finished (check))
    return G_SOURCE_REMOVE;

  g_clear_error (&check->deadline_error);
  check->deadline_error = deadline_error (check);

  /* A request in flight ends through its callback; a timer or nothing at
   * all (between polls) ends here. */
  g_cancellable_cancel (check->cancellable);
  if (check->poll_source != 0)
    {
      g_clear_handle_id (&check->poll_source, g_source_remove);
      check_fail (check, g_steal_pointer (&check->deadline_error));
    }
  return G_SOURCE_REMOVE;
}

/* Bounds the wait that begins at @started (µs since the epoch). */
static void
check_arm_deadline (CfCheck *check,
                    gint64   started)
{
  guint wait_max = check->checker->config.wait_max;
  gint64 left;

  check_disarm_deadline (check);
  if (wait_max == 0)
    return;

  check->deadline = started + (gint64) wait_max * G_USEC_PER_SEC;
  left = MAX (check->deadline - g_get_real_time (), 0);
  check->deadline_source = g_timeout_add ((guint) MIN (left / 1000, G_MAXUINT), on_check_deadline,
                                          check);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, check->deadline_source),
                            "[check-first] wait bound");
  cf_check_notify (check, CHECK_PROP_DEADLINE);
}

/* ------------------------------------------------------------------ */
/* Upload and analysis                                                  */
/* ------------------------------------------------------------------ */

/* Copies into @fresh, an analysis, what it does not say of the file and
 * @known did: the file's description, and the threat's name where engines
 * still flag the file. */
static void
merge_description (CfReport       *fresh,
                   const CfReport *known)
{
  if (fresh->sha1 == NULL)
    fresh->sha1 = g_strdup (known->sha1);
  if (fresh->md5 == NULL)
    fresh->md5 = g_strdup (known->md5);
  if (fresh->size < 0)
    fresh->size = known->size;
  if (fresh->names == NULL)
    fresh->names = g_strdupv (known->names);
  if (fresh->meaningful_name == NULL)
    fresh->meaningful_name = g_strdup (known->meaningful_name);
  if (fresh->type_description == NULL)
    fresh->type_description = g_strdup (known->type_description);
  if (fresh->first_submission_date <= 0)
    fresh->first_submission_date = known->first_submission_date;
  if (fresh->last_submission_date <= 0)
    fresh->last_submission_date = known->last_submission_date;
  if (fresh->times_submitted < 0)
    fresh->times_submitted = known->times_submitted;
  if (fresh->reputation == 0)
    fresh->reputation = known->reputation;
  if (fresh->votes_harmless < 0)
    fresh->votes_harmless = known->votes_harmless;
  if (fresh->votes_malicious < 0)
    fresh->votes_malicious = known->votes_malicious;
  if (fresh->sandboxes->len == 0 && known->sandboxes->len > 0)
    {
      g_ptr_array_unref (fresh->sandboxes);
      fresh->sandboxes = g_ptr_array_ref (known->sandboxes);
    }
  /* What the threat is called, only while engines still flag it. */
  if (fresh->stats.malicious + fresh->stats.suspicious > 0)
    {
      if (fresh->threat_label == NULL)
        fresh->threat_label = g_strdup (known->threat_label);
      if (fresh->threat_category == NULL)
        fresh->threat_category = g_strdup (known->threat_category);
      if (fresh->threat_names == NULL)
        fresh->threat_names = g_strdupv (known->threat_names);
    }
}

static void
analysis_ready (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CfCheck) check = user_data;
  CfChecker *checker = check->checker;
  g_autoptr(CfAnalysis) analysis = NULL;
  GError *error = NULL;

  analysis = cf_vt_client_get_analysis_finish (CF_VT_CLIENT (object), result, &error);
  if (cf_check_is_finished (check) || checker == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (analysis == NULL)
    {
      /* Reported by users: an analysis may be unknown for a moment right
       * after the upload. */
      if (g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_NOT_FOUND) &&
          ++check->analysis_not_found <= CF_ANALYSIS_NOT_FOUND_TOLERANCE)
        {
          g_clear_error (&error);
          check_poll_soon (check);
          return;
        }
      if (g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_NOT_FOUND))
        {
          /* Not "never seen": it was just uploaded.  Say what happened. */
          cf_store_forget_pending (checker->store, check->sha256);
          g_clear_error (&error);
          error = g_error_new_literal (CF_VT_ERROR, CF_VT_ERROR_NOT_FOUND,
                                       _("The file was uploaded, but VirusTotal keeps answering "
                                         "that its analysis does not exist. Nothing is known about "
                                         "the file yet; check it again later to upload it anew."));
        }
      check_fail (check, error);
      return;
    }

  /* The analysis must be of the file that was uploaded. */
  if (analysis->report->sha256 != NULL && g_strcmp0 (analysis->report->sha256, check->sha256) != 0)
    {
      cf_store_forget_pending (checker->store, check->sha256);
      check_fail (check, g_error_new_literal (CF_VT_ERROR, CF_VT_ERROR_MISMATCH,
                                              _("VirusTotal answered with the analysis of another "
                                                "file than the one uploaded. The answer was not used.")));
      return;
    }

  if (analysis->status != CF_ANALYSIS_COMPLETED)
    {
      cf_check_set_stage (check, analysis->status == CF_ANALYSIS_QUEUED ?
                       CF_CHECK_STAGE_ANALYSIS_QUEUED : CF_CHECK_STAGE_ANALYSIS_RUNNING);
      check_poll_soon (check);
      return;
    }

  /* A completed analysis carries the stats and results: no extra lookup. */
  if (analysis->report->sha256 == NULL)
    analysis->report->sha256 = g_strdup (check->sha256);
  if (analysis->report->size < 0)
    analysis->report->size = check->size;
  /* Analysed again: what the file is (its names, type, first sighting)
   * has not changed with its verdict. */
  if (check->rescanning && check->report != NULL)
    merge_description (analysis->report, check->report);
  cf_check_set_report (check, cf_report_ref (analysis->report));
  check->known = TRUE;

  cf_store_save_verdict (checker->store, check->sha256, check->report,
                         g_get_real_time () / G_USEC_PER_SEC);
  remember_answer (checker, check->sha256);
  cf_store_forget_pending (checker->store, check->sha256);
  check_conclude (check, check->rescanning ? CF_SOURCE_RESCAN : CF_SOURCE_UPLOAD);
}

static void
follow_ready (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CfCheck) check = user_data;
  CfChecker *checker = check->checker;
  g_autoptr(CfReport) report = NULL;
  GError *error = NULL;

  report = cf_vt_client_get_file_finish (CF_VT_CLIENT (object), result, &error);
  if (cf_check_is_finished (check) || checker == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (report == NULL)
    {
      check_fail (check, error);
      return;
    }

  cf_store_save_verdict (checker->store, check->sha256, report, g_get_real_time () / G_USEC_PER_SEC);
  remember_answer (checker, check->sha256);
  cf_check_set_report (check, g_steal_pointer (&report));
  if (!cf_report_has_results (check->report))
    {
      check_poll_soon (check);
      return;
    }
  check_conclude (check, CF_SOURCE_API);
}

static gboolean
poll_now (gpointer user_data)
{
  CfCheck *check = user_data;
  CfChecker *checker = check->checker;

  check->poll_source = 0;
  if (checker == NULL || checker->client == NULL)
    return G_SOURCE_REMOVE;

  check->polls++;
  if (check->following)
    cf_vt_client_get_file_async (checker->client, check->sha256, check->priority,
                                 check->cancellable, follow_ready, g_object_ref (check));
  else
    cf_vt_client_get_analysis_async (checker->client, check->analysis_id, check->priority,
                                     check->cancellable, analysis_ready, g_object_ref (check));
  return G_SOURCE_REMOVE;
}

static void
check_poll_soon (CfCheck *check)
{
  CfChecker *checker = check->checker;
  gint64 waited = g_get_real_time () / G_USEC_PER_SEC - check->analysis_started;
  double delay = CF_POLL_FIRST_MS;

  if (checker->config.wait_max > 0 && waited >= (gint64) checker->config.wait_max)
    {
      check_fail (check, still_analysing_error (checker));
      return;
    }

  for (guint i = 0; i < check->polls; i++)
    delay *= 1.5;
  check->poll_source = g_timeout_add ((guint) MIN (delay, CF_POLL_MAX_MS), poll_now, check);
}

static void
check_start_polling (CfCheck    *check,
                     const char *analysis_id,
                     gint64      started)
{
  g_free (check->analysis_id);
  check->analysis_id = g_strdup (analysis_id);
  check->analysis_started = started;
  cf_check_notify (check, CHECK_PROP_ANALYSIS_STARTED);
  check->polls = 0;
  check->analysis_not_found = 0;
  check_arm_deadline (check, started * G_USEC_PER_SEC);
  cf_check_set_stage (check, CF_CHECK_STAGE_ANALYSIS_QUEUED);
  poll_now (check);
}

/* Rescans */

static void
rescan_ready (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CfCheck) check = user_data;
  g_autofree char *analysis_id = NULL;
  GError *error = NULL;

  analysis_id = cf_vt_client_rescan_finish (CF_VT_CLIENT (object), result, &error);
  if (cf_check_is_finished (check) || check->checker == NULL)
    {
      g_clear_error (&error);
      return;
    }
  cf_check_set_wait (check, 0, NULL);
  if (analysis_id == NULL)
    {
      check_fail (check, error);
      return;
    }
  check_start_polling (check, analysis_id, g_get_real_time () / G_USEC_PER_SEC);
}

/* Asks VirusTotal to analyse the file again, when the budget allows, and
 * then polls that analysis. */
static void
check_rescan (CfCheck *check)
{
  CfChecker *checker = check->checker;

  check->rescanning = TRUE;
  check_arm_deadline (check, g_get_real_time ());
  cf_check_set_stage (check, CF_CHECK_STAGE_LOOKING_UP);
  cf_vt_client_rescan_async (checker->client, check->sha256, check->priority, check->cancellable,
                             rescan_ready, g_object_ref (check));
}

/* A file about to be opened, whose clean verdict is old, is analysed
 * again first when the setting says so: "clean" years ago says little
 * about a file that engines have learned to see since. */
static gboolean
should_rescan_first (CfCheck *check,
                     gint64   now)
{
  CfChecker *checker = check->checker;
  CfReason reason;

  if (check->rescanning || !checker->config.rescan_stale || !check->keep_hold ||
      check->kind != CF_CHECK_KIND_FILE || checker->client == NULL || check->sha256 == NULL ||
      !cf_report_has_results (check->report) || checker->config.stale_after_days == 0 ||
      check->report->last_analysis_date <= 0 ||
      now - check->report->last_analysis_date <= (gint64) checker->config.stale_after_days * 86400)
    return FALSE;

  return checker_decide (checker, check->sha256, check->report, &reason) == CF_DECISION_ALLOW &&
         reason == CF_REASON_CLEAN;
}

gboolean
cf_checker_can_rescan (CfChecker *self,
                       CfCheck   *check)
{
  g_return_val_if_fail (CF_IS_CHECKER (self), FALSE);
  g_return_val_if_fail (CF_IS_CHECK (check), FALSE);

  return self->client != NULL && check->stage == CF_CHECK_STAGE_DONE && check->sha256 != NULL &&
         check->known && check->report != NULL;
}

void
cf_checker_rescan (CfChecker *self,
                   CfCheck   *check)
{
  g_return_if_fail (CF_IS_CHECKER (self));
  g_return_if_fail (CF_IS_CHECK (check));

  if (!cf_checker_can_rescan (self, check))
    return;

  /* A history entry belongs to no checker: it is this one's now. */
  if (check->checker == NULL)
    g_set_weak_pointer (&check->checker, self);
  g_clear_object (&check->cancellable);
  check->cancellable = g_cancellable_new ();
  g_clear_error (&check->error);
  g_ptr_array_add (self->active, g_object_ref (check));
  check_rescan (check);
}

/* VirusTotal knows the file and no engine has answered yet: its first
 * analysis is running.  Where the person would have uploaded an unknown
 * file, wait for that analysis instead (it costs lookups, never an upload);
 * otherwise decide now, as for an unknown file. */
static void
check_known (CfCheck  *check,
             CfSource  source)
{
  CfChecker *checker = check->checker;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  check->known = TRUE;
  if (should_rescan_first (check, now))
    {
      check_rescan (check);
      return;
    }
  if (cf_report_has_results (check->report) || checker->client == NULL ||
      checker->config.upload == CF_UPLOAD_NEVER)
    {
      check_conclude (check, source);
      return;
    }

  check->following = TRUE;
  check->analysis_started = now;
  cf_check_notify (check, CHECK_PROP_ANALYSIS_STARTED);
  check->polls = 0;
  check_arm_deadline (check, now * G_USEC_PER_SEC);
  cf_check_set_stage (check, CF_CHECK_STAGE_ANALYSIS_RUNNING);
  check_poll_soon (check);
}

static void
upload_progress (goffset  sent,
                 goffset  total,
                 gpointer user_data)
{
  CfCheck *check = user_data;

  if (check->bytes_total != (guint64) total)
    {
      check->bytes_total = total;
      cf_check_notify (check, CHECK_PROP_BYTES_TOTAL);
    }
  check->bytes_done = sent;
  cf_check_notify (check, CHECK_PROP_BYTES_DONE);
}

static void
upload_ready (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CfCheck) check = user_data;
  CfChecker *checker = check->checker;
  g_autofree char *analysis_id = NULL;
  GError *error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  analysis_id = cf_vt_client_upload_finish (CF_VT_CLIENT (object), result, &error);
  if (cf_check_is_finished (check) || checker == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (analysis_id == NULL)
    {
      check_fail (check, error);
      return;
    }

  cf_store_save_pending (checker->store, check->sha256, analysis_id, now);
  check_start_polling (check, analysis_id, now);
}

static void
check_upload (CfCheck *check)
{
  CfChecker *checker = check->checker;

  check->bytes_done = 0;
  check->bytes_total = MAX (check->size, 0);
  cf_check_notify (check, CHECK_PROP_BYTES_TOTAL);
  cf_check_notify (check, CHECK_PROP_BYTES_DONE);
  cf_check_set_stage (check, CF_CHECK_STAGE_UPLOADING);
  /* The progress callback outlives nothing: the upload holds a ref on the
   * check through its callback data. */
  cf_vt_client_upload_async (checker->client, check->file, check->priority,
                             upload_progress, check, check->cancellable,
                             upload_ready, g_object_ref (check));
}

void
cf_check_answer_upload (CfCheck  *self,
                        gboolean  upload)
{
  g_return_if_fail (CF_IS_CHECK (self));

  if (self->stage != CF_CHECK_STAGE_ASKING)
    return;

  if (upload)
    check_upload (self);
  else
    check_conclude (self, self->source);
}

void
cf_checker_upload (CfChecker *self,
                   CfCheck   *check)
{
  g_return_if_fail (CF_IS_CHECKER (self));
  g_return_if_fail (CF_IS_CHECK (check));

  if (check->stage != CF_CHECK_STAGE_DONE || check->known || self->client == NULL ||
      check->kind != CF_CHECK_KIND_FILE)
    return;

  g_clear_object (&check->cancellable);
  check->cancellable = g_cancellable_new ();
  g_ptr_array_add (self->active, g_object_ref (check));
  check_upload (check);
}

/* VirusTotal does not know the file: upload it, ask, or decide now. */
static void
check_unknown (CfCheck  *check,
               CfSource  source)
{
  CfChecker *checker = check->checker;
  g_autoptr(CfPendingAnalysis) pending = NULL;

  check->known = FALSE;
  if (check->source != source)
    {
      check->source = source;
      cf_check_notify (check, CHECK_PROP_SOURCE);
    }

  /* A hash alone (or a hash never seen, asked by MD5) has nothing to upload. */
  if (check->sha256 == NULL || check->kind != CF_CHECK_KIND_FILE)
    {
      check_conclude (check, source);
      return;
    }

  /* An upload from an earlier run is still being analysed: resume it
   * instead of uploading again. */
  pending = cf_store_get_pending (checker->store, check->sha256);
  if (pending != NULL && checker->client != NULL)
    {
      check_start_polling (check, pending->analysis_id, pending->started);
      return;
    }

  if (g_file_peek_path (check->file) == NULL || checker->client == NULL)
    {
      check_conclude (check, source);
      return;
    }

  /* Only the person sends a file away. */
  switch (check->no_upload ? CF_UPLOAD_NEVER : checker->config.upload)
    {
    case CF_UPLOAD_ALWAYS:
      check_upload (check);
      break;
    case CF_UPLOAD_ASK:
      if (cf_check_ask_upload_consent (check))
        break;
      G_GNUC_FALLTHROUGH;
    case CF_UPLOAD_NEVER:
    default:
      check_conclude (check, source);
      break;
    }
}

/* ------------------------------------------------------------------ */
/* Lookup                                                               */
/* ------------------------------------------------------------------ */

static void
lookup_ready (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CfCheck) check = user_data;
  CfChecker *checker = check->checker;
  g_autoptr(CfReport) report = NULL;
  GError *error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  report = cf_vt_client_get_file_finish (CF_VT_CLIENT (object), result, &error);
  if (cf_check_is_finished (check) || checker == NULL)
    {
      g_clear_error (&error);
      return;
    }

  cf_check_set_wait (check, 0, NULL);
  cf_check_set_queue (check, CF_WAIT_NONE, NULL, -1);
  if (report != NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    check_disarm_deadline (check);

  if (report != NULL)
    {
      /* Asked by MD5 or SHA-1, the reply names the SHA-256 (the client made
       * sure the reply is about what was asked). */
      if (check->sha256 == NULL)
        cf_check_set_sha256 (check, report->sha256);
      if (check->size < 0 && report->size >= 0)
        {
          check->size = report->size;
          cf_check_notify (check, CHECK_PROP_SIZE);
        }
      cf_store_save_verdict (checker->store, check->sha256, report, now);
      if (check->hash != NULL && strlen (check->hash) != 64)
        cf_store_remember_alias (checker->store, check->hash, check->sha256, now);
      remember_answer (checker, check->sha256);
      remember_answer (checker, check->hash);
      cf_check_set_report (check, g_steal_pointer (&report));
      check_known (check, CF_SOURCE_API);
    }
  else if (g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      if (check->sha256 != NULL)
        cf_store_save_verdict (checker->store, check->sha256, NULL, now);
      else
        cf_store_remember_alias (checker->store, check->hash, NULL, now);
      remember_answer (checker, check->sha256 != NULL ? check->sha256 : check->hash);
      check_unknown (check, CF_SOURCE_API);
    }
  else
    check_fail (check, error);
}

/* Asks VirusTotal, when the budget allows, by the SHA-256 if known. */
static void
check_request (CfCheck *check)
{
  CfChecker *checker = check->checker;

  if (checker->client == NULL && checker->no_client_error != NULL)
    {
      check_fail (check, g_error_copy (checker->no_client_error));
      return;
    }
  if (checker->client == NULL)
    {
      cf_check_set_stage (check, CF_CHECK_STAGE_PENDING);
      return;
    }

  check_arm_deadline (check, g_get_real_time ());
  cf_check_set_stage (check, CF_CHECK_STAGE_LOOKING_UP);
  cf_vt_client_get_file_async (checker->client, check->sha256 != NULL ? check->sha256 : check->hash,
                               check->priority, check->cancellable, lookup_ready,
                               g_object_ref (check));
}

/* The file a Debian package installed, unmodified, when a request for it
 * is not wanted: no request.  Never over an engine's detection the cache
 * already has, though: that is news about the package. */
static gboolean
check_answer_packaged (CfCheck *check,
                       gint64   now)
{
  CfChecker *checker = check->checker;
  g_autoptr(CfReport) cached = NULL;

  if (check->package.state != CF_PACKAGED_UNMODIFIED || !check->skip_packaged)
    return FALSE;
  if (cache_ttl (checker, check->sha256) != NULL &&
      cf_store_lookup_verdict (checker->store, check->sha256, now, &keep_forever, &cached, NULL) &&
      cached != NULL && cached->stats.malicious + cached->stats.suspicious > 0)
    return FALSE;

  check->known = FALSE;
  check_conclude (check, CF_SOURCE_PACKAGE);
  return TRUE;
}

static void
check_lookup (CfCheck *check)
{
  CfChecker *checker = check->checker;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(CfReport) cached = NULL;
  const CfCacheTtl *ttl;
  CfTrust trust;

  /* An MD5 or SHA-1 seen before names its SHA-256 without a request; one
   * seen never is answered as unknown, for as long as unknowns are kept. */
  if (check->sha256 == NULL)
    {
      g_autofree char *sha256 = NULL;

      ttl = cache_ttl (checker, check->hash);
      if (ttl != NULL &&
          cf_store_lookup_alias (checker->store, check->hash, now, ttl->unknown, &sha256))
        {
          if (sha256 == NULL)
            {
              check_unknown (check, CF_SOURCE_CACHE);
              return;
            }
          cf_check_set_sha256 (check, sha256);
        }
      else
        {
          check_request (check);
          return;
        }
    }

  /* A hash on the trust list needs no request at all. */
  trust = cf_store_get_trust (checker->store, check->sha256, NULL);
  if (trust == CF_TRUST_NONE && check_answer_packaged (check, now))
    return;
  if (trust != CF_TRUST_NONE)
    {
      /* Keep whatever report the cache has, for the details page. */
      if (cf_store_lookup_verdict (checker->store, check->sha256, now, &keep_forever, &cached, NULL) &&
          cached != NULL)
        {
          cf_check_set_report (check, g_steal_pointer (&cached));
          check->known = TRUE;
        }
      check_conclude (check, CF_SOURCE_TRUST);
      return;
    }

  ttl = cache_ttl (checker, check->sha256);
  if (ttl != NULL &&
      cf_store_lookup_verdict (checker->store, check->sha256, now, ttl, &cached, NULL))
    {
      if (cached != NULL)
        {
          cf_check_set_report (check, g_steal_pointer (&cached));
          check_known (check, CF_SOURCE_CACHE);
        }
      else
        check_unknown (check, CF_SOURCE_CACHE);
      return;
    }

  check_request (check);
}

/* ------------------------------------------------------------------ */
/* Hashing                                                              */
/* ------------------------------------------------------------------ */

static void
verify_package_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  CfCheck *check = task_data;
  CfPackageInfo *info = g_new0 (CfPackageInfo, 1);
  GError *error = NULL;

  if (cf_dpkg_verify_open_file (cf_file_hold_get_fd (check->hold), info, cancellable, &error))
    g_task_return_pointer (task, info, (GDestroyNotify) package_info_free);
  else
    {
      package_info_free (info);
      g_task_return_error (task, error);
    }
}

static void
verify_package_ready (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CfCheck) check = user_data;
  g_autoptr(GError) error = NULL;
  CfPackageInfo *info = g_task_propagate_pointer (G_TASK (result), &error);

  if (check->checker == NULL || cf_check_is_finished (check))
    {
      if (info != NULL)
        package_info_free (info);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      check_fail (check, g_steal_pointer (&error));
      return;
    }
  /* Not knowing is no verdict: the file is looked up like any other. */
  if (info == NULL)
    g_debug ("Could not compare the file with its package: %s", error->message);
  else
    {
      cf_check_set_package (check, info);
      package_info_free (info);
    }
  check_lookup (check);
}

/* What the package database says of a local file at a system path, on a
 * worker thread: it may read the database and the whole file. */
static void
check_verify_package (CfCheck *check)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *link = NULL;
  g_autofree char *real = NULL;

  if (check->hold == NULL)
    {
      check_lookup (check);
      return;
    }

  /* Most files are in the person's own folders: no thread, no database. */
  link = g_strdup_printf ("/proc/self/fd/%d", cf_file_hold_get_fd (check->hold));
  real = g_file_read_link (link, NULL);
  if (real == NULL || !cf_dpkg_path_may_qualify (real))
    {
      check_lookup (check);
      return;
    }

  task = g_task_new (NULL, check->cancellable, verify_package_ready, g_object_ref (check));
  g_task_set_source_tag (task, check_verify_package);
  g_task_set_task_data (task, g_object_ref (check), g_object_unref);
  g_task_run_in_thread (task, verify_package_thread);
}

static void
hash_progress (guint64  done,
               guint64  total,
               gpointer user_data)
{
  CfCheck *check = user_data;

  check->fraction = total > 0 ? (double) done / (double) total : 1.0;
  cf_check_notify (check, CHECK_PROP_FRACTION);
  if (check->bytes_total != total)
    {
      check->bytes_total = total;
      cf_check_notify (check, CHECK_PROP_BYTES_TOTAL);
    }
  check->bytes_done = done;
  cf_check_notify (check, CHECK_PROP_BYTES_DONE);
}

static void
hash_ready (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CfCheck) check = user_data;
  CfChecker *checker = check->checker;
  g_autofree char *sha256 = NULL;
  GError *error = NULL;

  sha256 = cf_hash_service_hash_finish (CF_HASH_SERVICE (object), result, &check->identity, &error);
  if (checker == NULL || cf_check_is_finished (check))
    {
      g_clear_error (&error);
      return;
    }
  if (sha256 == NULL)
    {
      check_fail (check, error);
      return;
    }

  /* Someone opened it for writing while it was read: these bytes may
   * be half old, half new. */
  if (check->hold != NULL && cf_file_hold_is_broken (check->hold))
    {
      g_autofree char *name = g_file_get_parse_name (check->file);

      check_fail (check, g_error_new (CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED,
                                      _("“%s” changed while it was being checked. Try again once "
                                        "it is complete."), name));
      return;
    }

  cf_check_set_sha256 (check, sha256);
  check->size = check->identity.size;
  cf_check_notify (check, CHECK_PROP_SIZE);
  check->fraction = 1.0;
  cf_check_notify (check, CHECK_PROP_FRACTION);
  /* Only a lease proves that the identity names these bytes: a file
   * mapped for writing changes without a new time. */
  if (check->identity.valid && check->hold != NULL &&
      cf_file_hold_get_kind (check->hold) == CF_FILE_HOLD_LEASED)
    cf_store_remember_identity (checker->store, &check->identity, check->sha256);

  check_verify_package (check);
}

/* What the file says about where it came from, read from the held file. */
static void
read_origin (CfCheck *check)
{
  CfOrigin origin = { NULL, NULL };

  cf_origin_read_fd (cf_file_hold_get_fd (check->hold), &origin);
  if (g_strcmp0 (origin.url, check->origin) != 0)
    {
      g_free (check->origin);
      check->origin = g_steal_pointer (&origin.url);
      cf_check_notify (check, CHECK_PROP_ORIGIN);
    }
  if (g_strcmp0 (origin.referrer, check->referrer) != 0)
    {
      g_free (check->referrer);
      check->referrer = g_steal_pointer (&origin.referrer);
      cf_check_notify (check, CHECK_PROP_REFERRER);
    }
  cf_origin_clear (&origin);
}

static void
check_start (CfCheck *check)
{
  CfChecker *checker = check->checker;
  g_autofree char *path = NULL;

  /* Without a key the file is still hashed: the cache or the trust list
   * may answer, and only a request has to wait for the key.  A hash, or a
   * program hashed through /proc, starts here. */
  if (check->sha256 != NULL || check->kind == CF_CHECK_KIND_HASH)
    {
      check_lookup (check);
      return;
    }

  path = g_file_get_path (check->file);
  if (path == NULL)
    {
      /* sftp://, smb://: read through GIO, with no lease and no identity. */
      cf_check_set_stage (check, CF_CHECK_STAGE_HASHING);
      cf_hash_service_hash_async (cf_hash_service_get_default (), check->file, -1, check->priority,
                                  check->cancellable, hash_progress, g_object_ref (check),
                                  g_object_unref, hash_ready, g_object_ref (check));
      return;
    }

  /* Held from here: under a lease its bytes cannot change unseen. */
  if (check->hold == NULL)
    {
      GError *error = NULL;

      check->hold = cf_file_hold_open (path, &error);
      if (check->hold == NULL)
        {
          check_fail (check, error);
          return;
        }
    }
  check->identity = *cf_file_hold_get_identity (check->hold);
  read_origin (check);

  /* An unchanged file is not read again: its identity names its hash,
   * when a lease proves that nobody is writing it. */
  if (checker->use_cache && cf_file_hold_get_kind (check->hold) == CF_FILE_HOLD_LEASED)
    {
      g_autofree char *known = cf_store_lookup_identity (checker->store, &check->identity);

      if (known != NULL)
        {
          cf_check_set_sha256 (check, known);
          check->size = check->identity.size;
          cf_check_notify (check, CHECK_PROP_SIZE);
          check->fraction = 1.0;
          cf_check_notify (check, CHECK_PROP_FRACTION);
          check_verify_package (check);
          return;
        }
    }

  cf_check_set_stage (check, CF_CHECK_STAGE_HASHING);
  cf_hash_service_hash_async (cf_hash_service_get_default (), check->file,
                              cf_file_hold_get_fd (check->hold), check->priority, check->cancellable,
                              hash_progress, g_object_ref (check), g_object_unref, hash_ready,
                              g_object_ref (check));
}

/* Takes the check into the active ones and starts it. */
static CfCheck *
checker_start (CfChecker *self,
               CfCheck   *check)
{
  g_ptr_array_add (self->active, g_object_ref (check));
  check_start (check);
  return check;
}

CfCheck *
cf_checker_check_file_full (CfChecker          *self,
                            GFile              *file,
                            CfPriority          priority,
                            CfCheckerFileFlags  flags)
{
  CfCheck *check;

  g_return_val_if_fail (CF_IS_CHECKER (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  check = cf_check_new (self, CF_CHECK_KIND_FILE, priority);
  check->file = g_object_ref (file);
  check->keep_hold = (flags & CF_CHECKER_FILE_TO_LAUNCH) != 0;
  check->no_upload = (flags & CF_CHECKER_FILE_NO_UPLOAD) != 0;
  check->skip_packaged = self->config.skip_packaged;
  return checker_start (self, check);
}

CfCheck *
cf_checker_check_file (CfChecker  *self,
                       GFile      *file,
                       CfPriority  priority)
{
  return cf_checker_check_file_full (self, file, priority, CF_CHECKER_FILE_NONE);
}

CfCheck *
cf_checker_check_cached (CfChecker       *self,
                         GFile           *file,
                         const CfPolicy  *policy,
                         GError         **error)
{
  g_autofree char *path = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(CfReport) report = NULL;
  CfFileIdentity identity;
  CfCheck *check;
  CfTrust trust;
  gint64 fetched = 0;
  gboolean cached;

  g_return_val_if_fail (CF_IS_CHECKER (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (policy != NULL, NULL);

  path = g_file_get_path (file);
  if (path == NULL || !cf_file_identity_query (path, &identity, error))
    return NULL;

  sha256 = cf_store_lookup_identity (self->store, &identity);
  if (sha256 == NULL)
    return NULL;
  trust = cf_store_get_trust (self->store, sha256, NULL);
  /* However old: the caller shows its age. */
  cached = cf_store_lookup_verdict (self->store, sha256, g_get_real_time () / G_USEC_PER_SEC,
                                    &keep_forever, &report, &fetched);
  if (!cached && trust == CF_TRUST_NONE)
    return NULL;

  check = cf_check_new (NULL, CF_CHECK_KIND_FILE, CF_PRIORITY_INTERACTIVE);
  check->file = g_object_ref (file);
  check->sha256 = g_steal_pointer (&sha256);
  check->identity = identity;
  check->size = identity.size;
  check->report = g_steal_pointer (&report);
  check->known = check->report != NULL;
  check->source = trust != CF_TRUST_NONE ? CF_SOURCE_TRUST : CF_SOURCE_CACHE;
  check->decision = decide (trust, policy, check->known ? check->report : NULL, &check->reason);
  check->threshold = policy->threshold;
  check->time = fetched;
  check->fraction = 1.0;
  check->stage = CF_CHECK_STAGE_DONE;
  return check;
}

CfCheck *
cf_checker_check_hash (CfChecker  *self,
                       const char *hash,
                       CfPriority  priority)
{
  CfCheck *check;

  g_return_val_if_fail (CF_IS_CHECKER (self), NULL);
  g_return_val_if_fail (hash != NULL, NULL);

  check = cf_check_new (self, CF_CHECK_KIND_HASH, priority);
  check->hash = g_ascii_strdown (hash, -1);
  if (strlen (check->hash) == 64)
    check->sha256 = g_strdup (check->hash);
  return checker_start (self, check);
}

/* A program's check, made but not started: an audit shows every program
 * at once and starts them a few at a time. */
CfCheck *
cf_checker_prepare_process (CfChecker          *self,
                            const CfProcessExe *exe,
                            CfPriority          priority)
{
  CfCheck *check;

  g_return_val_if_fail (CF_IS_CHECKER (self), NULL);
  g_return_val_if_fail (exe != NULL, NULL);

  check = cf_check_new (self, CF_CHECK_KIND_PROCESS, priority);
  check->process = cf_process_exe_copy (exe);
  check->sha256 = g_strdup (exe->sha256);
  check->identity = exe->identity;
  check->size = exe->identity.valid ? exe->identity.size : -1;
  cf_package_info_copy (&check->package, &exe->package);
  check->skip_packaged = self->config.skip_packaged_processes;
  return check;
}

/* Starts a check made by cf_checker_prepare_process(). */
void
cf_checker_start (CfChecker *self,
                  CfCheck   *check)
{
  g_return_if_fail (CF_IS_CHECKER (self));
  g_return_if_fail (CF_IS_CHECK (check));
  g_return_if_fail (check->stage == CF_CHECK_STAGE_PENDING && check->kind == CF_CHECK_KIND_PROCESS);

  g_ptr_array_add (self->active, g_object_ref (check));

  /* Hashed through /proc beforehand: one that could not be is failed. */
  if (check->sha256 == NULL)
    check_fail (check, check->process->error != NULL ? g_error_copy (check->process->error) :
                       g_error_new_literal (CF_HASHER_ERROR, CF_HASHER_ERROR_READ,
                                            _("The executable could not be read.")));
  else
    check_lookup (check);
}

CfCheck *
cf_checker_check_process (CfChecker          *self,
                          const CfProcessExe *exe,
                          CfPriority          priority)
{
  CfCheck *check = cf_checker_prepare_process (self, exe, priority);

  cf_checker_start (self, check);
  return check;
}
