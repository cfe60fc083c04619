/* cf-policy.h: from a report to a decision: allow or block, and why
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-report.h"

G_BEGIN_DECLS

typedef enum
{
  CF_MODE_NORMAL,
  CF_MODE_STOP_UNKNOWNS,
} CfMode;

typedef enum
{
  CF_DECISION_ALLOW,
  CF_DECISION_BLOCK,
} CfDecision;

typedef enum
{
  CF_REASON_CLEAN,                 /* engines answered, none flagged it */
  CF_REASON_DETECTED,              /* flagged by at least the threshold */
  CF_REASON_UNKNOWN_ALLOWED,
  CF_REASON_UNKNOWN_BLOCKED,
  CF_REASON_TRUSTED,
  CF_REASON_BLOCKED_BY_USER,
  CF_REASON_BELOW_THRESHOLD,       /* flagged, by fewer than the threshold: allowed */
  CF_REASON_NO_RESULTS_ALLOWED,    /* known, but no engine has answered yet */
  CF_REASON_NO_RESULTS_BLOCKED,
  CF_REASON_PACKAGED,              /* the file a Debian package installed, unmodified: not asked */
} CfReason;

typedef struct
{
  CfMode   mode;
  guint    threshold;          /* block at this many malicious engines; at least 1 */
  gboolean count_suspicious;   /* suspicious engines count towards the threshold */
} CfPolicy;

#define CF_POLICY_INIT { CF_MODE_NORMAL, 1, FALSE }

CfDecision   cf_policy_decide          (const CfPolicy *policy,
                                        const CfReport *report,
                                        CfReason       *reason);
gint64       cf_policy_detections      (const CfPolicy *policy,
                                        const CfReport *report);
gboolean     cf_reason_is_unknown      (CfReason        reason);

gboolean     cf_mode_from_string       (const char     *text,
                                        CfMode         *mode);
const char  *cf_mode_to_string         (CfMode          mode);
const char  *cf_decision_to_string     (CfDecision      decision);
const char  *cf_reason_to_string       (CfReason        reason);
gboolean     cf_reason_from_string     (const char     *text,
                                        CfReason       *reason);
const char  *cf_reason_to_status       (CfReason        reason);

G_END_DECLS
