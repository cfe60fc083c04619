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
  GFile          *file;
  CfPriority      priority;
  CfCheckStage    stage;
  double          fraction;
  guint64         bytes_done;
  guint64         bytes_total;
  gint64          wait_until;
  char           *wait_reason;
  gint64          stage_started;
  char           *sha256;
  CfFileIdentity  identity;
  CfFileHold     *hold;          /* a local file, held from hashing to launch */
  gboolean        keep_hold;     /* past the verdict, for a launch */
  gint64          size;
  CfReport       *report;
  gboolean        known;
  CfDecision      decision;
  CfReason        reason;
  guint           threshold;     /* the policy's, when the decision was made */
  CfSource        source;
  GError         *error;
  gint64          history_id;
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
  CHECK_PROP_STAGE,
  CHECK_PROP_FRACTION,
  CHECK_PROP_BYTES_DONE,
  CHECK_PROP_WAIT_UNTIL,
  CHECK_PROP_SHA256,
  N_CHECK_PROPS
} CfCheckProp;

void     cf_check_set_stage          (CfCheck      *self,
                                      CfCheckStage  stage);
void     cf_check_notify             (CfCheck      *self,
                                      CfCheckProp   prop);
gboolean cf_check_ask_upload_consent (CfCheck      *self);

G_END_DECLS
