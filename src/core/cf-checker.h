/* cf-checker.h: one file's whole check, from hashing to a decision
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-config.h"
#include "cf-hasher.h"
#include "cf-policy.h"
#include "cf-report.h"
#include "cf-scheduler.h"
#include "cf-store.h"
#include "cf-vt-client.h"

G_BEGIN_DECLS

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
} CfSource;

#define CF_TYPE_CHECK (cf_check_get_type ())
G_DECLARE_FINAL_TYPE (CfCheck, cf_check, CF, CHECK, GObject)

/* Every property below emits notify when it changes; "stage" last. */
GFile                *cf_check_get_file          (CfCheck *self);
CfCheckStage          cf_check_get_stage         (CfCheck *self);
gboolean              cf_check_is_finished       (CfCheck *self);
double                cf_check_get_fraction      (CfCheck *self);
guint64               cf_check_get_bytes_done    (CfCheck *self);
guint64               cf_check_get_bytes_total   (CfCheck *self);
gint64                cf_check_get_wait_until    (CfCheck *self);
gint64                cf_check_get_stage_started (CfCheck *self);
const char           *cf_check_get_wait_reason   (CfCheck *self);
const char           *cf_check_get_sha256        (CfCheck *self);
const CfFileIdentity *cf_check_get_identity      (CfCheck *self);
gint64                cf_check_get_size          (CfCheck *self);
CfReport             *cf_check_get_report        (CfCheck *self);
CfDecision            cf_check_get_decision      (CfCheck *self);
CfReason              cf_check_get_reason        (CfCheck *self);
guint                 cf_check_get_threshold     (CfCheck *self);
CfSource              cf_check_get_source        (CfCheck *self);
const GError         *cf_check_get_error         (CfCheck *self);
gint64                cf_check_get_history_id    (CfCheck *self);
void                  cf_check_cancel            (CfCheck *self);
void                  cf_check_set_keep_hold     (CfCheck *self,
                                                  gboolean keep);
void                  cf_check_release_hold      (CfCheck *self);
gboolean              cf_check_verify_unchanged  (CfCheck *self,
                                                  GError **error);
/* Answers the "upload-consent" signal, emitted in CF_CHECK_STAGE_ASKING. */
void                  cf_check_answer_upload     (CfCheck *self,
                                                  gboolean upload);

const char           *cf_check_stage_to_string   (CfCheckStage stage);
const char           *cf_source_to_string        (CfSource     source);

#define CF_TYPE_CHECKER (cf_checker_get_type ())
G_DECLARE_FINAL_TYPE (CfChecker, cf_checker, CF, CHECKER, GObject)

CfChecker   *cf_checker_new                (CfStore         *store,
                                            CfScheduler     *scheduler);
CfStore     *cf_checker_get_store          (CfChecker       *self);
CfScheduler *cf_checker_get_scheduler      (CfChecker       *self);
/* NULL until there is an API key; checks wait in CF_CHECK_STAGE_PENDING. */
void         cf_checker_set_client         (CfChecker       *self,
                                            CfVtClient      *client);
CfVtClient  *cf_checker_get_client         (CfChecker       *self);
void         cf_checker_set_config         (CfChecker       *self,
                                            const CfConfig  *config);
const CfConfig *cf_checker_get_config      (CfChecker       *self);
void         cf_checker_set_use_cache      (CfChecker       *self,
                                            gboolean         use_cache);

/* Starts at once; "finished" is emitted on the checker when done. */
CfCheck     *cf_checker_check_file         (CfChecker       *self,
                                            GFile           *file,
                                            CfPriority       priority);
/* The same, and the file stays held past the verdict, for a launch. */
CfCheck     *cf_checker_check_file_to_launch (CfChecker     *self,
                                              GFile         *file,
                                              CfPriority     priority);
/* For a finished, unknown check: upload it now (the person asked). */
void         cf_checker_upload             (CfChecker       *self,
                                            CfCheck         *check);
/* Applies the current policy to a finished check again. */
void         cf_checker_redecide           (CfChecker       *self,
                                            CfCheck         *check);

/* A hash alone (batch lookups, the process audit): trust, cache, then API. */
typedef struct
{
  char       *sha256;     /* NULL when looked up by MD5/SHA-1 and unknown */
  CfReport   *report;     /* NULL when VirusTotal does not know it */
  CfSource    source;
  CfDecision  decision;
  CfReason    reason;
  guint       threshold;  /* the policy's, when the decision was made */
} CfLookup;

void         cf_checker_lookup_async       (CfChecker       *self,
                                            const char      *hash,
                                            CfPriority       priority,
                                            GCancellable    *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer         user_data);
CfLookup    *cf_checker_lookup_finish      (CfChecker       *self,
                                            GAsyncResult    *result,
                                            GError         **error);
void         cf_lookup_free                (CfLookup        *lookup);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfLookup, cf_lookup_free)

G_END_DECLS
