/* cf-check.c: one verdict, from the first step to the answer, for every kind of thing checked
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one object every front-end shows: the window binds to its
 * properties, the CLI formats it, the service will send it over D-Bus.
 * Only the checker (cf-checker.c) moves it forward.
 */

#define G_LOG_DOMAIN "check-first-check"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-check-private.h"
#include "cf-enums.h"

static GParamSpec *check_props[N_CHECK_PROPS];

enum {
  SIGNAL_UPLOAD_CONSENT,
  N_CHECK_SIGNALS
};

static guint check_signals[N_CHECK_SIGNALS];

G_DEFINE_FINAL_TYPE (CfCheck, cf_check, G_TYPE_OBJECT)

static void
cf_check_finalize (GObject *object)
{
  CfCheck *self = CF_CHECK (object);

  g_clear_error (&self->deadline_error);
  g_clear_handle_id (&self->deadline_source, g_source_remove);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_weak_pointer (&self->checker);
  g_clear_object (&self->file);
  g_clear_object (&self->hold);
  g_clear_pointer (&self->hash, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->process, cf_process_exe_free);
  g_clear_pointer (&self->wait_reason, g_free);
  g_clear_pointer (&self->wait_limit, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->report, cf_report_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->override, g_free);
  g_clear_pointer (&self->origin, g_free);
  cf_package_info_clear (&self->package);
  g_clear_pointer (&self->referrer, g_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->analysis_id, g_free);

  G_OBJECT_CLASS (cf_check_parent_class)->finalize (object);
}

static void
cf_check_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CfCheck *self = CF_CHECK (object);

  switch ((CfCheckProp) prop_id)
    {
    case CHECK_PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case CHECK_PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case CHECK_PROP_HASH:
      g_value_set_string (value, self->hash);
      break;
    case CHECK_PROP_NAME:
      g_value_set_string (value, cf_check_get_name (self));
      break;
    case CHECK_PROP_STAGE:
      g_value_set_enum (value, self->stage);
      break;
    case CHECK_PROP_FINISHED:
      g_value_set_boolean (value, cf_check_is_finished (self));
      break;
    case CHECK_PROP_STAGE_STARTED:
      g_value_set_int64 (value, self->stage_started);
      break;
    case CHECK_PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case CHECK_PROP_BYTES_DONE:
      g_value_set_uint64 (value, self->bytes_done);
      break;
    case CHECK_PROP_BYTES_TOTAL:
      g_value_set_uint64 (value, self->bytes_total);
      break;
    case CHECK_PROP_WAIT_UNTIL:
      g_value_set_int64 (value, self->wait_until);
      break;
    case CHECK_PROP_WAIT_REASON:
      g_value_set_string (value, self->wait_reason);
      break;
    case CHECK_PROP_WAIT_KIND:
      g_value_set_enum (value, self->wait_kind);
      break;
    case CHECK_PROP_WAIT_LIMIT:
      g_value_set_string (value, self->wait_limit);
      break;
    case CHECK_PROP_QUEUE_AHEAD:
      g_value_set_int (value, self->queue_ahead);
      break;
    case CHECK_PROP_TIMES_CHECKED:
      g_value_set_uint (value, self->times_checked);
      break;
    case CHECK_PROP_DEADLINE:
      g_value_set_int64 (value, self->deadline);
      break;
    case CHECK_PROP_ANALYSIS_STARTED:
      g_value_set_int64 (value, self->analysis_started);
      break;
    case CHECK_PROP_SHA256:
      g_value_set_string (value, self->sha256);
      break;
    case CHECK_PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;
    case CHECK_PROP_REPORT:
      g_value_set_boxed (value, self->report);
      break;
    case CHECK_PROP_DECISION:
      g_value_set_enum (value, self->decision);
      break;
    case CHECK_PROP_REASON:
      g_value_set_enum (value, self->reason);
      break;
    case CHECK_PROP_THRESHOLD:
      g_value_set_uint (value, self->threshold);
      break;
    case CHECK_PROP_SOURCE:
      g_value_set_enum (value, self->source);
      break;
    case CHECK_PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case CHECK_PROP_HISTORY_ID:
      g_value_set_int64 (value, self->history_id);
      break;
    case CHECK_PROP_TIME:
      g_value_set_int64 (value, self->time);
      break;
    case CHECK_PROP_OVERRIDE:
      g_value_set_string (value, self->override);
      break;
    case CHECK_PROP_ORIGIN:
      g_value_set_string (value, self->origin);
      break;
    case CHECK_PROP_PACKAGED:
      g_value_set_enum (value, self->package.state);
      break;
    case CHECK_PROP_PACKAGE:
      g_value_set_string (value, self->package.name);
      break;
    case CHECK_PROP_PACKAGE_VERSION:
      g_value_set_string (value, self->package.version);
      break;
    case CHECK_PROP_REFERRER:
      g_value_set_string (value, self->referrer);
      break;
    case CHECK_PROP_0:
    case N_CHECK_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static void
cf_check_class_init (CfCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cf_check_finalize;
  object_class->get_property = cf_check_get_property;

  check_props[CHECK_PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, CF_TYPE_CHECK_KIND, CF_CHECK_KIND_FILE, RO);
  check_props[CHECK_PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, RO);
  check_props[CHECK_PROP_HASH] = g_param_spec_string ("hash", NULL, NULL, NULL, RO);
  check_props[CHECK_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, RO);
  check_props[CHECK_PROP_STAGE] =
    g_param_spec_enum ("stage", NULL, NULL, CF_TYPE_CHECK_STAGE, CF_CHECK_STAGE_PENDING, RO);
  check_props[CHECK_PROP_FINISHED] = g_param_spec_boolean ("finished", NULL, NULL, FALSE, RO);
  check_props[CHECK_PROP_STAGE_STARTED] =
    g_param_spec_int64 ("stage-started", NULL, NULL, 0, G_MAXINT64, 0, RO);
  check_props[CHECK_PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0, RO);
  /* The bytes of the stage's own work: hashed while hashing, then sent
   * while uploading; each stage counts from 0. */
  check_props[CHECK_PROP_BYTES_DONE] =
    g_param_spec_uint64 ("bytes-done", NULL, NULL, 0, G_MAXUINT64, 0, RO);
  check_props[CHECK_PROP_BYTES_TOTAL] =
    g_param_spec_uint64 ("bytes-total", NULL, NULL, 0, G_MAXUINT64, 0, RO);
  check_props[CHECK_PROP_WAIT_UNTIL] =
    g_param_spec_int64 ("wait-until", NULL, NULL, 0, G_MAXINT64, 0, RO);
  check_props[CHECK_PROP_WAIT_REASON] = g_param_spec_string ("wait-reason", NULL, NULL, NULL, RO);
  /* What the wait is for (the minute's budget, the day's, a 429, the
   * database); for the minute's, the budget in words; and how many
   * requests are ahead of the check's own in the queue. */
  check_props[CHECK_PROP_WAIT_KIND] =
    g_param_spec_enum ("wait-kind", NULL, NULL, CF_TYPE_WAIT_KIND, CF_WAIT_NONE, RO);
  check_props[CHECK_PROP_WAIT_LIMIT] = g_param_spec_string ("wait-limit", NULL, NULL, NULL, RO);
  check_props[CHECK_PROP_QUEUE_AHEAD] = g_param_spec_int ("queue-ahead", NULL, NULL, -1, G_MAXINT, -1, RO);
  /* A history entry standing for this many checks of the file, with one verdict. */
  check_props[CHECK_PROP_TIMES_CHECKED] =
    g_param_spec_uint ("times-checked", NULL, NULL, 1, G_MAXUINT, 1, RO);
  check_props[CHECK_PROP_DEADLINE] = g_param_spec_int64 ("deadline", NULL, NULL, 0, G_MAXINT64, 0, RO);
  check_props[CHECK_PROP_ANALYSIS_STARTED] =
    g_param_spec_int64 ("analysis-started", NULL, NULL, 0, G_MAXINT64, 0, RO);
  check_props[CHECK_PROP_SHA256] = g_param_spec_string ("sha256", NULL, NULL, NULL, RO);
  check_props[CHECK_PROP_SIZE] = g_param_spec_int64 ("size", NULL, NULL, -1, G_MAXINT64, -1, RO);
  check_props[CHECK_PROP_REPORT] = g_param_spec_boxed ("report", NULL, NULL, CF_TYPE_REPORT, RO);
  check_props[CHECK_PROP_DECISION] =
    g_param_spec_enum ("decision", NULL, NULL, CF_TYPE_DECISION, CF_DECISION_ALLOW, RO);
  check_props[CHECK_PROP_REASON] =
    g_param_spec_enum ("reason", NULL, NULL, CF_TYPE_REASON, CF_REASON_CLEAN, RO);
  check_props[CHECK_PROP_THRESHOLD] = g_param_spec_uint ("threshold", NULL, NULL, 0, G_MAXUINT, 0, RO);
  check_props[CHECK_PROP_SOURCE] =
    g_param_spec_enum ("source", NULL, NULL, CF_TYPE_SOURCE, CF_SOURCE_NONE, RO);
  check_props[CHECK_PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, RO);
  check_props[CHECK_PROP_HISTORY_ID] =
    g_param_spec_int64 ("history-id", NULL, NULL, -1, G_MAXINT64, -1, RO);
  check_props[CHECK_PROP_TIME] = g_param_spec_int64 ("time", NULL, NULL, 0, G_MAXINT64, 0, RO);
  check_props[CHECK_PROP_OVERRIDE] = g_param_spec_string ("override", NULL, NULL, NULL, RO);
  /* What a download says about where it came from: set with the file's
   * first hold, before hashing, and never sent anywhere. */
  check_props[CHECK_PROP_ORIGIN] = g_param_spec_string ("origin", NULL, NULL, NULL, RO);
  check_props[CHECK_PROP_PACKAGED] =
    g_param_spec_enum ("packaged", NULL, NULL, CF_TYPE_PACKAGED, CF_PACKAGED_NONE, RO);
  check_props[CHECK_PROP_PACKAGE] = g_param_spec_string ("package", NULL, NULL, NULL, RO);
  check_props[CHECK_PROP_PACKAGE_VERSION] =
    g_param_spec_string ("package-version", NULL, NULL, NULL, RO);
  check_props[CHECK_PROP_REFERRER] = g_param_spec_string ("referrer", NULL, NULL, NULL, RO);
  g_object_class_install_properties (object_class, N_CHECK_PROPS, check_props);

  /**
   * CfCheck::upload-consent:
   *
   * VirusTotal does not know the file and the upload policy is "ask".
   * The handler answers with cf_check_answer_upload(), now or later.
   */
  check_signals[SIGNAL_UPLOAD_CONSENT] =
    g_signal_new ("upload-consent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

#undef RO

static void
cf_check_init (CfCheck *self)
{
  static guint64 last_serial;

  self->serial = ++last_serial;
  self->cancellable = g_cancellable_new ();
  self->size = -1;
  self->history_id = -1;
  self->queue_ahead = -1;
  self->times_checked = 1;
  self->stage_started = g_get_real_time ();
  self->stale_after = (gint64) CF_STALE_AFTER_DAYS * 86400;
}

CfCheck *
cf_check_new (CfChecker   *checker,
              CfCheckKind  kind,
              CfPriority   priority)
{
  CfCheck *self = g_object_new (CF_TYPE_CHECK, NULL);

  if (checker != NULL)
    g_set_weak_pointer (&self->checker, checker);
  self->kind = kind;
  self->priority = priority;
  return self;
}

/* Getters */

/* A number no other check of this process has: what an action's target
 * names a check by. */
guint64
cf_check_get_serial (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), 0);
  return self->serial;
}

CfCheckKind
cf_check_get_kind (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), CF_CHECK_KIND_FILE);
  return self->kind;
}

GFile *
cf_check_get_file (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->file;
}

const char *
cf_check_get_hash (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->hash;
}

/* What a person calls it: the file's name, the hash, the program's path. */
const char *
cf_check_get_name (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);

  if (self->name == NULL)
    {
      if (self->file != NULL)
        self->name = g_file_get_basename (self->file);
      else if (self->process != NULL)
        self->name = g_path_get_basename (self->process->path);
      else if (self->hash != NULL)
        self->name = g_strdup (self->hash);
      else if (self->sha256 != NULL)
        self->name = g_strdup (self->sha256);
    }
  return self->name;
}

const CfProcessExe *
cf_check_get_process (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->process;
}

CfCheckStage
cf_check_get_stage (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), CF_CHECK_STAGE_FAILED);
  return self->stage;
}

gboolean
cf_check_is_finished (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), TRUE);
  return self->stage >= CF_CHECK_STAGE_DONE;
}

gboolean
cf_check_get_finished (CfCheck *self)
{
  return cf_check_is_finished (self);
}

gint64
cf_check_get_stage_started (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), 0);
  return self->stage_started;
}

double
cf_check_get_fraction (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), 0.0);
  return self->fraction;
}

guint64
cf_check_get_bytes_done (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), 0);
  return self->bytes_done;
}

guint64
cf_check_get_bytes_total (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), 0);
  return self->bytes_total;
}

gint64
cf_check_get_wait_until (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), 0);
  return self->wait_until;
}

const char *
cf_check_get_wait_reason (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->wait_reason;
}

CfWaitKind
cf_check_get_wait_kind (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), CF_WAIT_NONE);
  return self->wait_kind;
}

const char *
cf_check_get_wait_limit (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->wait_limit;
}

int
cf_check_get_queue_ahead (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), -1);
  return self->queue_ahead;
}

guint
cf_check_get_times_checked (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), 1);
  return self->times_checked;
}

gint64
cf_check_get_deadline (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), 0);
  return self->deadline;
}

gint64
cf_check_get_analysis_started (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), 0);
  return self->analysis_started;
}

const char *
cf_check_get_sha256 (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->sha256;
}

const CfFileIdentity *
cf_check_get_identity (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return &self->identity;
}

gint64
cf_check_get_size (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), -1);
  return self->size;
}

CfReport *
cf_check_get_report (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->report;
}

CfDecision
cf_check_get_decision (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), CF_DECISION_BLOCK);
  return self->decision;
}

CfReason
cf_check_get_reason (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), CF_REASON_UNKNOWN_BLOCKED);
  return self->reason;
}

guint
cf_check_get_threshold (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), 0);
  return self->threshold;
}

CfSource
cf_check_get_source (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), CF_SOURCE_NONE);
  return self->source;
}

const GError *
cf_check_get_error (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->error;
}

gint64
cf_check_get_history_id (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), -1);
  return self->history_id;
}

gint64
cf_check_get_time (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), 0);
  return self->time;
}

const char *
cf_check_get_override (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->override;
}

const char *
cf_check_get_origin (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->origin;
}

gint64
cf_check_get_last_analysis (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), 0);
  return self->report != NULL ? MAX (self->report->last_analysis_date, 0) : 0;
}

/* @now: seconds since the epoch. */
gboolean
cf_check_is_stale (CfCheck *self,
                   gint64   now)
{
  gint64 analysed;

  g_return_val_if_fail (CF_IS_CHECK (self), FALSE);

  analysed = cf_check_get_last_analysis (self);
  return self->stage == CF_CHECK_STAGE_DONE && analysed > 0 && self->stale_after > 0 &&
         now - analysed > self->stale_after;
}

gboolean
cf_check_is_rescanning (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), FALSE);
  return self->rescanning;
}

CfPackaged
cf_check_get_packaged (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), CF_PACKAGED_NONE);
  return self->package.state;
}

const char *
cf_check_get_package (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->package.name;
}

const char *
cf_check_get_package_version (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->package.version;
}

const char *
cf_check_get_referrer (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->referrer;
}

/* The one word a script matches on: "clean", "flagged", "detected",
 * "no-results", "unknown", "trusted", "packaged"; "cancelled" for one stopped on
 * purpose, or "error" for one that failed to reach a verdict. */
const char *
cf_check_status (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), "error");

  if (self->stage == CF_CHECK_STAGE_CANCELLED)
    return "cancelled";
  if (self->stage != CF_CHECK_STAGE_DONE)
    return "error";
  return cf_reason_to_status (self->reason);
}

/* What the person did about it, kept with its history entry. */
void
cf_check_set_override (CfCheck    *self,
                       const char *override)
{
  g_return_if_fail (CF_IS_CHECK (self));

  if (g_strcmp0 (self->override, override) == 0)
    return;
  g_free (self->override);
  self->override = g_strdup (override);
  cf_check_notify (self, CHECK_PROP_OVERRIDE);
}

/* The hold */

/* Keep the file held past the verdict, for a launch: see
 * cf_check_verify_unchanged() and cf_check_release_hold(). */
void
cf_check_set_keep_hold (CfCheck  *self,
                        gboolean  keep)
{
  g_return_if_fail (CF_IS_CHECK (self));
  self->keep_hold = !!keep;
  if (!keep && cf_check_is_finished (self))
    cf_check_release_hold (self);
}

/* The file as it is held from its hashing to its launch, or NULL. */
CfFileHold *
cf_check_get_hold (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->hold;
}

void
cf_check_release_hold (CfCheck *self)
{
  g_return_if_fail (CF_IS_CHECK (self));
  if (self->hold != NULL)
    cf_file_hold_release (self->hold);
  g_clear_object (&self->hold);
}

/* Just before a launch: the bytes at the file's path are the ones its
 * verdict is about.  FALSE with CF_HASHER_ERROR_CHANGED when they may not
 * be, and the file must be checked again. */
gboolean
cf_check_verify_unchanged (CfCheck  *self,
                           GError  **error)
{
  g_return_val_if_fail (CF_IS_CHECK (self), FALSE);

  if (self->sha256 == NULL || self->hold == NULL)
    {
      g_set_error_literal (error, CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED,
                           _("The file is no longer held as it was checked."));
      return FALSE;
    }
  return cf_file_hold_verify (self->hold, self->sha256, error);
}

CfCheck *
cf_check_new_failed (CfCheckKind  kind,
                     const char  *name,
                     GError      *error)
{
  CfCheck *self;

  g_return_val_if_fail (error != NULL, NULL);

  self = cf_check_new (NULL, kind, CF_PRIORITY_INTERACTIVE);
  self->name = g_strdup (name);
  self->error = error;
  self->decision = CF_DECISION_BLOCK;
  self->stage = CF_CHECK_STAGE_FAILED;
  return self;
}

/* History */

/* The newest of @times checks of one file with one verdict, shown once. */
CfCheck *
cf_check_new_from_history_times (const CfHistoryEntry *entry,
                                 CfReport             *report,
                                 guint                 times)
{
  CfCheck *self = cf_check_new_from_history (entry, report);

  self->times_checked = MAX (times, 1);
  return self;
}

CfCheck *
cf_check_new_from_history (const CfHistoryEntry *entry,
                           CfReport             *report)
{
  CfCheck *self;
  CfCheckKind kind = CF_CHECK_KIND_HISTORY;

  g_return_val_if_fail (entry != NULL, NULL);

  /* Hashes and programs stay what they were; files become history. */
  if (entry->kind != NULL && cf_check_kind_from_string (entry->kind, &kind) &&
      kind == CF_CHECK_KIND_FILE)
    kind = CF_CHECK_KIND_HISTORY;

  self = cf_check_new (NULL, kind, CF_PRIORITY_INTERACTIVE);
  if (entry->path != NULL)
    {
      if (kind == CF_CHECK_KIND_HASH)
        self->hash = g_strdup (entry->path);
      else
        self->file = g_file_new_for_commandline_arg (entry->path);
    }
  self->sha256 = g_strdup (entry->sha256);
  self->size = entry->size;
  self->history_id = entry->id;
  self->time = entry->time;
  self->override = g_strdup (entry->override);
  self->origin = g_strdup (entry->origin);
  self->referrer = g_strdup (entry->referrer);
  self->threshold = entry->threshold;
  if (cf_packaged_from_string (entry->packaged, &self->package.state))
    {
      self->package.name = g_strdup (entry->package);
      self->package.version = g_strdup (entry->package_version);
    }
  if (entry->source == NULL || !cf_source_from_string (entry->source, &self->source))
    self->source = CF_SOURCE_NONE;
  if (entry->decision != NULL)
    self->decision = g_str_equal (entry->decision, "block") ? CF_DECISION_BLOCK : CF_DECISION_ALLOW;

  if (g_strcmp0 (entry->status, "error") == 0 || !cf_reason_from_string (entry->reason, &self->reason))
    {
      self->stage = CF_CHECK_STAGE_FAILED;
      self->decision = CF_DECISION_BLOCK;
      self->error = g_error_new_literal (CF_STORE_ERROR, CF_STORE_ERROR_INVALID,
                                         entry->error != NULL ? entry->error : _("Not checked"));
    }
  else
    self->stage = CF_CHECK_STAGE_DONE;

  /* Without the cached report, the counts history keeps still tell the verdict. */
  if (report != NULL)
    self->report = cf_report_ref (report);
  else if (entry->engines > 0)
    {
      self->report = cf_report_new ();
      self->report->sha256 = g_strdup (entry->sha256);
      self->report->stats.malicious = entry->malicious;
      self->report->stats.suspicious = entry->suspicious;
      self->report->stats.undetected = MAX (entry->engines - entry->malicious - entry->suspicious, 0);
      self->report->reported_stats = self->report->stats;
    }
  self->known = self->report != NULL;
  self->stage_started = entry->time * G_USEC_PER_SEC;

  return self;
}

/* Strings */

const char *
cf_check_kind_to_string (CfCheckKind kind)
{
  switch (kind)
    {
    case CF_CHECK_KIND_HASH:
      return "hash";
    case CF_CHECK_KIND_PROCESS:
      return "process";
    case CF_CHECK_KIND_FILE:
    case CF_CHECK_KIND_HISTORY:
    default:
      return "file";
    }
}

gboolean
cf_check_kind_from_string (const char  *text,
                           CfCheckKind *kind)
{
  if (g_strcmp0 (text, "file") == 0)
    *kind = CF_CHECK_KIND_FILE;
  else if (g_strcmp0 (text, "hash") == 0)
    *kind = CF_CHECK_KIND_HASH;
  else if (g_strcmp0 (text, "process") == 0)
    *kind = CF_CHECK_KIND_PROCESS;
  else
    return FALSE;
  return TRUE;
}

const char *
cf_check_stage_to_string (CfCheckStage stage)
{
  static const char * const names[] = {
    "pending", "hashing", "looking-up", "waiting-quota", "asking", "uploading",
    "analysis-queued", "analysis-running", "done", "failed", "cancelled",
  };

  g_return_val_if_fail (stage <= CF_CHECK_STAGE_CANCELLED, "failed");
  return names[stage];
}

const char *
cf_source_to_string (CfSource source)
{
  switch (source)
    {
    case CF_SOURCE_API:
      return "api";
    case CF_SOURCE_CACHE:
      return "cache";
    case CF_SOURCE_UPLOAD:
      return "upload";
    case CF_SOURCE_TRUST:
      return "trust";
    case CF_SOURCE_PACKAGE:
      return "package";
    case CF_SOURCE_RESCAN:
      return "rescan";
    case CF_SOURCE_NONE:
    default:
      return NULL;
    }
}

gboolean
cf_source_from_string (const char *text,
                       CfSource   *source)
{
  for (CfSource s = CF_SOURCE_API; s <= CF_SOURCE_RESCAN; s++)
    if (g_strcmp0 (text, cf_source_to_string (s)) == 0)
      {
        *source = s;
        return TRUE;
      }
  return FALSE;
}

/* For the checker */

void
cf_check_set_stage (CfCheck      *self,
                    CfCheckStage  stage)
{
  gboolean was_finished = cf_check_is_finished (self);

  if (self->stage == stage)
    return;
  self->stage = stage;
  self->stage_started = g_get_real_time ();
  g_object_notify_by_pspec (G_OBJECT (self), check_props[CHECK_PROP_STAGE_STARTED]);
  g_object_notify_by_pspec (G_OBJECT (self), check_props[CHECK_PROP_STAGE]);
  if (was_finished != cf_check_is_finished (self))
    g_object_notify_by_pspec (G_OBJECT (self), check_props[CHECK_PROP_FINISHED]);
}

void
cf_check_notify (CfCheck     *self,
                 CfCheckProp  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), check_props[prop]);
}

void
cf_check_set_sha256 (CfCheck    *self,
                     const char *sha256)
{
  if (g_strcmp0 (self->sha256, sha256) == 0)
    return;
  g_free (self->sha256);
  self->sha256 = g_strdup (sha256);
  cf_check_notify (self, CHECK_PROP_SHA256);
}

/* Takes @report. */
void
cf_check_set_report (CfCheck  *self,
                     CfReport *report)
{
  if (self->report == report)
    {
      if (report != NULL)
        cf_report_unref (report);
      return;
    }
  g_clear_pointer (&self->report, cf_report_unref);
  self->report = report;
  cf_check_notify (self, CHECK_PROP_REPORT);
}

void
cf_check_set_package (CfCheck             *self,
                      const CfPackageInfo *package)
{
  gboolean name_changed = g_strcmp0 (self->package.name, package->name) != 0;
  gboolean version_changed = g_strcmp0 (self->package.version, package->version) != 0;
  gboolean state_changed = self->package.state != package->state;

  cf_package_info_clear (&self->package);
  cf_package_info_copy (&self->package, package);
  if (name_changed)
    cf_check_notify (self, CHECK_PROP_PACKAGE);
  if (version_changed)
    cf_check_notify (self, CHECK_PROP_PACKAGE_VERSION);
  if (state_changed)
    cf_check_notify (self, CHECK_PROP_PACKAGED);
}

void
cf_check_set_wait (CfCheck    *self,
                   gint64      until,
                   const char *reason)
{
  if (g_strcmp0 (self->wait_reason, reason) != 0)
    {
      g_free (self->wait_reason);
      self->wait_reason = g_strdup (reason);
      cf_check_notify (self, CHECK_PROP_WAIT_REASON);
    }
  if (self->wait_until != until)
    {
      self->wait_until = until;
      cf_check_notify (self, CHECK_PROP_WAIT_UNTIL);
    }
}

/* Its place in the request queue: @ahead requests before its own (-1:
 * not queued), and what the queue waits for. */
void
cf_check_set_queue (CfCheck    *self,
                    CfWaitKind  kind,
                    const char *limit,
                    int         ahead)
{
  if (self->wait_kind != kind)
    {
      self->wait_kind = kind;
      cf_check_notify (self, CHECK_PROP_WAIT_KIND);
    }
  if (g_strcmp0 (self->wait_limit, limit) != 0)
    {
      g_free (self->wait_limit);
      self->wait_limit = g_strdup (limit);
      cf_check_notify (self, CHECK_PROP_WAIT_LIMIT);
    }
  if (self->queue_ahead != ahead)
    {
      self->queue_ahead = ahead;
      cf_check_notify (self, CHECK_PROP_QUEUE_AHEAD);
    }
}

/* TRUE when someone listens and was asked; the answer comes through
 * cf_check_answer_upload(). */
gboolean
cf_check_ask_upload_consent (CfCheck *self)
{
  if (!g_signal_has_handler_pending (self, check_signals[SIGNAL_UPLOAD_CONSENT], 0, FALSE))
    return FALSE;

  cf_check_set_stage (self, CF_CHECK_STAGE_ASKING);
  g_signal_emit (self, check_signals[SIGNAL_UPLOAD_CONSENT], 0);
  return TRUE;
}
