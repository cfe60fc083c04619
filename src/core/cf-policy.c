/* cf-policy.c: from a report to a decision: allow or block, and why
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-policy"

#include "config.h"

#include "cf-policy.h"

/* How many engines count against the threshold. */
gint64
cf_policy_detections (const CfPolicy *policy,
                      const CfReport *report)
{
  g_return_val_if_fail (policy != NULL, 0);

  if (report == NULL)
    return 0;

  return report->stats.malicious + (policy->count_suspicious ? report->stats.suspicious : 0);
}

/* @report is NULL when VirusTotal has never seen the file.  The policy is
 * applied when an answer is used, never when it is stored, so a changed
 * threshold applies to cached answers too. */
CfDecision
cf_policy_decide (const CfPolicy *policy,
                  const CfReport *report,
                  CfReason       *reason)
{
  CfReason why;
  gboolean strict;

  g_return_val_if_fail (policy != NULL, CF_DECISION_BLOCK);

  strict = policy->mode == CF_MODE_STOP_UNKNOWNS;

  /* A report with no engine answers yet tells as little as no report. */
  if (report == NULL)
    why = strict ? CF_REASON_UNKNOWN_BLOCKED : CF_REASON_UNKNOWN_ALLOWED;
  else if (!cf_report_has_results (report))
    why = strict ? CF_REASON_NO_RESULTS_BLOCKED : CF_REASON_NO_RESULTS_ALLOWED;
  else if (cf_policy_detections (policy, report) >= MAX (policy->threshold, 1))
    why = CF_REASON_DETECTED;
  else if (report->stats.malicious > 0 || report->stats.suspicious > 0)
    why = CF_REASON_BELOW_THRESHOLD;
  else
    why = CF_REASON_CLEAN;

  if (reason != NULL)
    *reason = why;

  return (why == CF_REASON_DETECTED || why == CF_REASON_UNKNOWN_BLOCKED ||
          why == CF_REASON_NO_RESULTS_BLOCKED) ? CF_DECISION_BLOCK : CF_DECISION_ALLOW;
}

/* VirusTotal could not say anything about the file: never seen it, or no
 * engine has answered yet. */
gboolean
cf_reason_is_unknown (CfReason reason)
{
  return reason == CF_REASON_UNKNOWN_ALLOWED || reason == CF_REASON_UNKNOWN_BLOCKED ||
         reason == CF_REASON_NO_RESULTS_ALLOWED || reason == CF_REASON_NO_RESULTS_BLOCKED;
}

gboolean
cf_mode_from_string (const char *text,
                     CfMode     *mode)
{
  if (g_strcmp0 (text, "normal") == 0)
    *mode = CF_MODE_NORMAL;
  else if (g_strcmp0 (text, "stop-unknowns") == 0)
    *mode = CF_MODE_STOP_UNKNOWNS;
  else
    return FALSE;
  return TRUE;
}

const char *
cf_mode_to_string (CfMode mode)
{
  return mode == CF_MODE_STOP_UNKNOWNS ? "stop-unknowns" : "normal";
}

const char *
cf_decision_to_string (CfDecision decision)
{
  return decision == CF_DECISION_BLOCK ? "block" : "allow";
}

const char *
cf_reason_to_string (CfReason reason)
{
  switch (reason)
    {
    case CF_REASON_CLEAN:
      return "clean";
    case CF_REASON_DETECTED:
      return "detected";
    case CF_REASON_UNKNOWN_ALLOWED:
      return "unknown-allowed";
    case CF_REASON_UNKNOWN_BLOCKED:
      return "unknown-blocked";
    case CF_REASON_TRUSTED:
      return "allowed-by-you";
    case CF_REASON_BLOCKED_BY_USER:
      return "blocked-by-you";
    case CF_REASON_BELOW_THRESHOLD:
      return "below-threshold";
    case CF_REASON_NO_RESULTS_ALLOWED:
      return "no-results-allowed";
    case CF_REASON_NO_RESULTS_BLOCKED:
      return "no-results-blocked";
    case CF_REASON_PACKAGED:
      return "packaged";
    default:
      g_assert_not_reached ();
    }
}

gboolean
cf_reason_from_string (const char *text,
                       CfReason   *reason)
{
  for (CfReason r = CF_REASON_CLEAN; r <= CF_REASON_PACKAGED; r++)
    if (g_strcmp0 (text, cf_reason_to_string (r)) == 0)
      {
        *reason = r;
        return TRUE;
      }

  /* History written by 0.1 spelled the two overrides with spaces. */
  if (g_strcmp0 (text, "allowed by you") == 0)
    *reason = CF_REASON_TRUSTED;
  else if (g_strcmp0 (text, "blocked by you") == 0)
    *reason = CF_REASON_BLOCKED_BY_USER;
  else
    return FALSE;
  return TRUE;
}

/* The JSON "status" of an item with this reason. */
const char *
cf_reason_to_status (CfReason reason)
{
  switch (reason)
    {
    case CF_REASON_CLEAN:
      return "clean";
    case CF_REASON_DETECTED:
    case CF_REASON_BLOCKED_BY_USER:
      return "detected";
    case CF_REASON_UNKNOWN_ALLOWED:
    case CF_REASON_UNKNOWN_BLOCKED:
      return "unknown";
    case CF_REASON_TRUSTED:
      return "trusted";
    case CF_REASON_BELOW_THRESHOLD:
      return "flagged";
    case CF_REASON_NO_RESULTS_ALLOWED:
    case CF_REASON_NO_RESULTS_BLOCKED:
      return "no-results";
    case CF_REASON_PACKAGED:
      return "packaged";
    default:
      g_assert_not_reached ();
    }
}
