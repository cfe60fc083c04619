/* cf-check.h: one verdict, from the first step to the answer, for every kind of thing checked
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-dpkg.h"
#include "cf-file-hold.h"
#include "cf-hasher.h"
#include "cf-policy.h"
#include "cf-processes.h"
#include "cf-report.h"
#include "cf-scheduler.h"
#include "cf-store.h"

G_BEGIN_DECLS

/* What is checked.  A history entry is a file check of earlier. */
typedef enum
{
  CF_CHECK_KIND_FILE,
  CF_CHECK_KIND_HASH,
  CF_CHECK_KIND_PROCESS,
  CF_CHECK_KIND_HISTORY,
} CfCheckKind;

typedef enum
{
  CF_CHECK_STAGE_PENDING,          /* waiting for an API key */
  CF_CHECK_STAGE_HASHING,
  CF_CHECK_STAGE_LOOKING_UP,
  CF_CHECK_STAGE_WAITING_QUOTA,
  CF_CHECK_STAGE_ASKING,           /* waiting for consent to upload */
  CF_CHECK_STAGE_UPLOADING,
  CF_CHECK_STAGE_ANALYSIS_QUEUED,
  CF_CHECK_STAGE_ANALYSIS_RUNNING,
  CF_CHECK_STAGE_DONE,
  CF_CHECK_STAGE_FAILED,
  CF_CHECK_STAGE_CANCELLED,
} CfCheckStage;

typedef enum
{
  CF_SOURCE_NONE,
  CF_SOURCE_API,
  CF_SOURCE_CACHE,
  CF_SOURCE_UPLOAD,
  CF_SOURCE_TRUST,
  CF_SOURCE_PACKAGE,     /* a Debian package installed it, unmodified: no request */
  CF_SOURCE_RESCAN,      /* VirusTotal analysed it again, when asked to */
} CfSource;

#define CF_TYPE_CHECK (cf_check_get_type ())
G_DECLARE_FINAL_TYPE (CfCheck, cf_check, CF, CHECK, GObject)

/* Every getter below is a property of the same name (with dashes), and
 * each emits notify when it changes; "stage" and "finished" come last, so
 * that a front-end reading on "stage" sees the rest already set. */
CfCheckKind           cf_check_get_kind            (CfCheck *self);
GFile                *cf_check_get_file            (CfCheck *self);
const char           *cf_check_get_hash            (CfCheck *self);
const char           *cf_check_get_name            (CfCheck *self);
const CfProcessExe   *cf_check_get_process         (CfCheck *self);
CfCheckStage          cf_check_get_stage           (CfCheck *self);
gboolean              cf_check_get_finished        (CfCheck *self);
gint64                cf_check_get_stage_started   (CfCheck *self);
double                cf_check_get_fraction        (CfCheck *self);
guint64               cf_check_get_bytes_done      (CfCheck *self);
guint64               cf_check_get_bytes_total     (CfCheck *self);
gint64                cf_check_get_wait_until      (CfCheck *self);
const char           *cf_check_get_wait_reason     (CfCheck *self);
CfWaitKind            cf_check_get_wait_kind       (CfCheck *self);
const char           *cf_check_get_wait_limit      (CfCheck *self);
int                   cf_check_get_queue_ahead     (CfCheck *self);
guint                 cf_check_get_times_checked   (CfCheck *self);
gint64                cf_check_get_deadline        (CfCheck *self);
gint64                cf_check_get_analysis_started (CfCheck *self);
const char           *cf_check_get_sha256          (CfCheck *self);
gint64                cf_check_get_size            (CfCheck *self);
CfReport             *cf_check_get_report          (CfCheck *self);
CfDecision            cf_check_get_decision        (CfCheck *self);
CfReason              cf_check_get_reason          (CfCheck *self);
guint                 cf_check_get_threshold       (CfCheck *self);
CfSource              cf_check_get_source          (CfCheck *self);
const GError         *cf_check_get_error           (CfCheck *self);
gint64                cf_check_get_history_id      (CfCheck *self);
gint64                cf_check_get_time            (CfCheck *self);
const char           *cf_check_get_override        (CfCheck *self);
const char           *cf_check_get_origin          (CfCheck *self);
/* What the Debian package database says of the file (files and programs
 * at system paths only). */
CfPackaged            cf_check_get_packaged        (CfCheck *self);
const char           *cf_check_get_package         (CfCheck *self);
const char           *cf_check_get_package_version (CfCheck *self);
const char           *cf_check_get_referrer        (CfCheck *self);

/* Not properties. */
guint64               cf_check_get_serial          (CfCheck *self);
CfFileHold           *cf_check_get_hold            (CfCheck *self);
/* When VirusTotal last analysed the file (seconds since the epoch), 0
 * when not known; old is older than the verdict's policy allowed when it
 * was decided (see CfConfig.stale_after_days). */
gint64                cf_check_get_last_analysis   (CfCheck *self);
gboolean              cf_check_is_stale            (CfCheck *self,
                                                    gint64   now);
/* Asked to be analysed again, and waiting for that analysis. */
gboolean              cf_check_is_rescanning       (CfCheck *self);
gboolean              cf_check_is_finished         (CfCheck *self);
const CfFileIdentity *cf_check_get_identity        (CfCheck *self);

void                  cf_check_cancel              (CfCheck *self);
/* Answers the "upload-consent" signal, emitted in CF_CHECK_STAGE_ASKING. */
void                  cf_check_answer_upload       (CfCheck *self,
                                                    gboolean upload);
void                  cf_check_set_override        (CfCheck    *self,
                                                    const char *override);
void                  cf_check_set_keep_hold       (CfCheck *self,
                                                    gboolean keep);
void                  cf_check_release_hold        (CfCheck *self);
gboolean              cf_check_verify_unchanged    (CfCheck *self,
                                                    GError **error);

/* A check that could not even start (a line of a list that is not a
 * hash): failed with @error, which it takes. */
CfCheck              *cf_check_new_failed          (CfCheckKind  kind,
                                                    const char  *name,
                                                    GError      *error);

/* A past check, as history keeps it: finished, with @report when the
 * cache still has it. */
CfCheck              *cf_check_new_from_history    (const CfHistoryEntry *entry,
                                                    CfReport             *report);
CfCheck              *cf_check_new_from_history_times (const CfHistoryEntry *entry,
                                                       CfReport             *report,
                                                       guint                 times);

const char           *cf_check_kind_to_string      (CfCheckKind  kind);
gboolean              cf_check_kind_from_string    (const char  *text,
                                                    CfCheckKind *kind);
const char           *cf_check_stage_to_string     (CfCheckStage stage);
const char           *cf_source_to_string          (CfSource     source);
gboolean              cf_source_from_string        (const char  *text,
                                                    CfSource    *source);
const char           *cf_check_status             (CfCheck     *self);

G_END_DECLS
