/* cf-checker.h: what moves a check forward, from hashing to a decision
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-check.h"
#include "cf-config.h"
#include "cf-scheduler.h"
#include "cf-store.h"
#include "cf-vt-client.h"

G_BEGIN_DECLS

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
void         cf_checker_set_no_client_error (CfChecker      *self,
                                             const GError   *error);
void         cf_checker_set_config         (CfChecker       *self,
                                            const CfConfig  *config);
const CfConfig *cf_checker_get_config      (CfChecker       *self);
void         cf_checker_set_use_cache      (CfChecker       *self,
                                            gboolean         use_cache);
void         cf_checker_keep_answers       (CfChecker       *self);

typedef enum
{
  CF_CHECKER_FILE_NONE      = 0,
  /* The file stays held past the verdict, for a launch. */
  CF_CHECKER_FILE_TO_LAUNCH = 1 << 0,
  /* Never uploaded, nor asked about: another program asked for the check,
   * and only the person may send a file away. */
  CF_CHECKER_FILE_NO_UPLOAD = 1 << 1,
} CfCheckerFileFlags;

/* Each starts at once; "finished" is emitted on the checker when done. */
CfCheck     *cf_checker_check_file         (CfChecker       *self,
                                            GFile           *file,
                                            CfPriority       priority);
CfCheck     *cf_checker_check_file_full    (CfChecker          *self,
                                            GFile              *file,
                                            CfPriority          priority,
                                            CfCheckerFileFlags  flags);
/* What the cache and the trust list know of @file as it is now, decided
 * with @policy, without reading the file or asking VirusTotal: a finished
 * check, or NULL when nothing is known.  Safe on any thread. */
CfCheck     *cf_checker_check_cached       (CfChecker       *self,
                                            GFile           *file,
                                            const CfPolicy  *policy,
                                            GError         **error);
/* An MD5, SHA-1 or SHA-256 alone: trust list, cache, then one request. */
CfCheck     *cf_checker_check_hash         (CfChecker       *self,
                                            const char      *hash,
                                            CfPriority       priority);
/* A running program's executable, already hashed through /proc. */
CfCheck     *cf_checker_check_process      (CfChecker       *self,
                                            const CfProcessExe *exe,
                                            CfPriority       priority);
CfCheck     *cf_checker_prepare_process    (CfChecker       *self,
                                            const CfProcessExe *exe,
                                            CfPriority       priority);
void         cf_checker_start              (CfChecker       *self,
                                            CfCheck         *check);

/* For a finished, unknown file check: upload it now (the person asked). */
void         cf_checker_upload             (CfChecker       *self,
                                            CfCheck         *check);
/* For a finished check of a file VirusTotal knows: has it analysed again
 * (POST /files/{id}/analyse), polls that analysis like an upload's, and
 * decides on the new verdict. */
void         cf_checker_rescan             (CfChecker       *self,
                                            CfCheck         *check);
gboolean     cf_checker_can_rescan         (CfChecker       *self,
                                            CfCheck         *check);
/* Applies the current policy and trust list to a finished check again. */
void         cf_checker_redecide           (CfChecker       *self,
                                            CfCheck         *check);

G_END_DECLS
