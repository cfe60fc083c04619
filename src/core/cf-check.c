/* cf-check.c: one file's check as the window and the CLI see it: its stage and answer
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cf-check-private.h"

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
  g_clear_pointer (&self->wait_reason, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->report, cf_report_unref);
  g_clear_error (&self->error);
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

  switch (prop_id)
    {
    case CHECK_PROP_STAGE:
      g_value_set_int (value, self->stage);
      break;
    case CHECK_PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case CHECK_PROP_BYTES_DONE:
      g_value_set_uint64 (value, self->bytes_done);
      break;
    case CHECK_PROP_WAIT_UNTIL:
      g_value_set_int64 (value, self->wait_until);
      break;
    case CHECK_PROP_SHA256:
      g_value_set_string (value, self->sha256);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_check_class_init (CfCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cf_check_finalize;
  object_class->get_property = cf_check_get_property;

  check_props[CHECK_PROP_STAGE] =
    g_param_spec_int ("stage", NULL, NULL, 0, CF_CHECK_STAGE_CANCELLED, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  check_props[CHECK_PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  check_props[CHECK_PROP_BYTES_DONE] =
    g_param_spec_uint64 ("bytes-done", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  check_props[CHECK_PROP_WAIT_UNTIL] =
    g_param_spec_int64 ("wait-until", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  check_props[CHECK_PROP_SHA256] =
    g_param_spec_string ("sha256", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
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

static void
cf_check_init (CfCheck *self)
{
  self->cancellable = g_cancellable_new ();
  self->size = -1;
  self->history_id = -1;
  self->stage_started = g_get_real_time ();
}

GFile *
cf_check_get_file (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), NULL);
  return self->file;
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

gint64
cf_check_get_stage_started (CfCheck *self)
{
  g_return_val_if_fail (CF_IS_CHECK (self), 0);
  return self->stage_started;
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
    case CF_SOURCE_NONE:
    default:
      return NULL;
    }
}

void
cf_check_set_stage (CfCheck      *self,
                    CfCheckStage  stage)
{
  if (self->stage == stage)
    return;
  self->stage = stage;
  self->stage_started = g_get_real_time ();
  g_object_notify_by_pspec (G_OBJECT (self), check_props[CHECK_PROP_STAGE]);
}

void
cf_check_notify (CfCheck     *self,
                 CfCheckProp  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), check_props[prop]);
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
