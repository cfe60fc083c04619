/* cf-verdict.h: a verdict in words, the same in the window, the notification and the CLI
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-check.h"
#include "cf-policy.h"

G_BEGIN_DECLS

char       *cf_verdict_describe     (CfReason        reason,
                                     const CfReport *report,
                                     guint           threshold);
char       *cf_verdict_counts       (const CfReport *report);
char       *cf_verdict_note         (const CfReport *report);
char       *cf_verdict_describe_progress (CfCheck    *check,
                                       gint64      now);
char       *cf_verdict_describe_check (CfCheck   *check);
char       *cf_verdict_describe_wait (CfWaitKind  kind,
                                      const char *reason,
                                      const char *limit,
                                      gint64      until,
                                      gint64      now);
char       *cf_verdict_describe_rate (guint      per_minute,
                                      guint      per_day);
char       *cf_verdict_describe_turn (guint      ahead,
                                      gint64     left);
char       *cf_verdict_describe_batch (GListModel *checks,
                                       guint       per_minute,
                                       gint64      now);
char       *cf_verdict_describe_blocked (CfCheck *check);
char       *cf_verdict_describe_package (CfCheck *check);
char       *cf_verdict_explain_package  (CfCheck *check);
char       *cf_verdict_format_count (guint           n);
char       *cf_verdict_describe_used (guint          used,
                                      guint          limit);
const char *cf_verdict_icon_name    (CfReason        reason);
const char *cf_verdict_style_class  (CfReason        reason);

G_END_DECLS
