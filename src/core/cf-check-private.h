/* cf-check-private.h: what the checker may touch inside a CfCheck
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-checker.h"
#include "cf-file-hold.h"

G_BEGIN_DECLS

struct _CfCheck
{
  GObject         parent_instance;

  CfChecker      *checker;       /* weak: the checker outlives its checks' work */
  CfCheckKind     kind;
  guint64         serial;        /* unique in the process, for actions to name it */
  GFile          *file;
  char           *hash;          /* what was asked for: an MD5, SHA-1 or SHA-256 */
  char           *name;
  CfProcessExe   *process;
  CfPriority      priority;
  CfCheckStage    stage;
  gint64          stage_started;
  double          fraction;
  guint64         bytes_done;
  guint64         bytes_total;
  gint64          wait_until;
  char           *wait_reason;
  CfWaitKind      wait_kind;
  char           *wait_limit;    /* "free plan: 4 a minute", for a wait on the minute's budget */
  int             queue_ahead;   /* requests ahead of its own, -1 when it is not queued */
  guint           times_checked; /* history: the checks of the file, with this verdict, it stands for */
  char           *sha256;
  CfFileIdentity  identity;
  gint64          size;
  CfFileHold     *hold;          /* a local file, held from hashing to launch */
  gboolean        keep_hold;     /* past the verdict, for a launch */
  gboolean        no_upload;     /* another program asked: never uploaded, nor asked about */
  CfReport       *report;
  gboolean        known;
  CfDecision      decision;
  CfReason        reason;
  guint           threshold;     /* the policy's, when the decision was made */
  CfSource        source;
  GError         *error;
  gint64          history_id;
  gint64          time;          /* when it was decided, seconds since the epoch */
  char           *override;      /* what the person did about it: "run-anyway", ... */
  char           *origin;        /* where a download came from, when known */
  CfPackageInfo   package;
  gboolean        skip_packaged; /* an unmodified packaged file needs no request */
  char           *referrer;      /* the page that led to it, when known */
  gint64          stale_after;   /* seconds; 0: never old */
  gboolean        rescanning;
  GCancellable   *cancellable;
  char           *analysis_id;
  gint64          analysis_started;
  guint           polls;
  guint           analysis_not_found;
  guint           poll_source;
  gboolean        following;     /* known, no results yet: polling the file's report */
  /* The bound on a wait (the config's wait_max): the lookup's, then the
   * analysis's; when it passes, the check ends with deadline_error. */
  gint64          deadline;      /* µs since the epoch, 0 when unbounded */
  guint           deadline_source;
  GError         *deadline_error;
};

typedef enum {
  CHECK_PROP_0,
  CHECK_PROP_KIND,
  CHECK_PROP_FILE,
  CHECK_PROP_HASH,
  CHECK_PROP_NAME,
  CHECK_PROP_FRACTION,
  CHECK_PROP_BYTES_DONE,
  CHECK_PROP_BYTES_TOTAL,
  CHECK_PROP_WAIT_UNTIL,
  CHECK_PROP_WAIT_REASON,
  CHECK_PROP_WAIT_KIND,
  CHECK_PROP_WAIT_LIMIT,
  CHECK_PROP_QUEUE_AHEAD,
  CHECK_PROP_TIMES_CHECKED,
  CHECK_PROP_DEADLINE,
  CHECK_PROP_ANALYSIS_STARTED,
  CHECK_PROP_SHA256,
  CHECK_PROP_SIZE,
  CHECK_PROP_REPORT,
  CHECK_PROP_DECISION,
  CHECK_PROP_REASON,
  CHECK_PROP_THRESHOLD,
  CHECK_PROP_SOURCE,
  CHECK_PROP_ERROR,
  CHECK_PROP_HISTORY_ID,
  CHECK_PROP_TIME,
  CHECK_PROP_OVERRIDE,
  CHECK_PROP_ORIGIN,
  CHECK_PROP_PACKAGED,
  CHECK_PROP_PACKAGE,
  CHECK_PROP_PACKAGE_VERSION,
  CHECK_PROP_REFERRER,
  CHECK_PROP_STAGE_STARTED,
  CHECK_PROP_STAGE,
  CHECK_PROP_FINISHED,
  N_CHECK_PROPS
} CfCheckProp;

CfCheck *cf_check_new                (CfChecker    *checker,
                                      CfCheckKind   kind,
                                      CfPriority    priority);
void     cf_check_set_stage          (CfCheck      *self,
                                      CfCheckStage  stage);
void     cf_check_notify             (CfCheck      *self,
                                      CfCheckProp   prop);
void     cf_check_set_sha256         (CfCheck      *self,
                                      const char   *sha256);
void     cf_check_set_report         (CfCheck      *self,
                                      CfReport     *report);
void     cf_check_set_wait           (CfCheck      *self,
                                      gint64        until,
                                      const char   *reason);
void     cf_check_set_queue          (CfCheck      *self,
                                      CfWaitKind    kind,
                                      const char   *limit,
                                      int           ahead);
void     cf_check_set_package        (CfCheck             *self,
                                      const CfPackageInfo *package);
gboolean cf_check_ask_upload_consent (CfCheck      *self);

G_END_DECLS
