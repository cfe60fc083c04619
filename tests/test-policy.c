/* test-policy.c: the decision table for modes, thresholds and suspicious counts
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-policy.h"

typedef struct
{
  const char *name;
  CfMode      mode;
  guint       threshold;
  gboolean    count_suspicious;
  gboolean    known;
  gint64      malicious;
  gint64      suspicious;
  CfDecision  decision;
  CfReason    reason;
} Case;

static const Case cases[] = {
  { "clean-normal", CF_MODE_NORMAL, 1, FALSE, TRUE, 0, 0, CF_DECISION_ALLOW, CF_REASON_CLEAN },
  { "clean-stop", CF_MODE_STOP_UNKNOWNS, 1, FALSE, TRUE, 0, 0, CF_DECISION_ALLOW, CF_REASON_CLEAN },
  { "one-engine", CF_MODE_NORMAL, 1, FALSE, TRUE, 1, 0, CF_DECISION_BLOCK, CF_REASON_DETECTED },
  { "eicar", CF_MODE_NORMAL, 1, FALSE, TRUE, 62, 0, CF_DECISION_BLOCK, CF_REASON_DETECTED },
  /* Flagged, fewer than the threshold: allowed, and never called clean. */
  { "below-threshold", CF_MODE_NORMAL, 3, FALSE, TRUE, 2, 0, CF_DECISION_ALLOW, CF_REASON_BELOW_THRESHOLD },
  { "at-threshold", CF_MODE_NORMAL, 3, FALSE, TRUE, 3, 0, CF_DECISION_BLOCK, CF_REASON_DETECTED },
  { "suspicious-ignored", CF_MODE_NORMAL, 1, FALSE, TRUE, 0, 4, CF_DECISION_ALLOW, CF_REASON_BELOW_THRESHOLD },
  { "suspicious-counted", CF_MODE_NORMAL, 1, TRUE, TRUE, 0, 1, CF_DECISION_BLOCK, CF_REASON_DETECTED },
  { "suspicious-adds-up", CF_MODE_NORMAL, 3, TRUE, TRUE, 2, 1, CF_DECISION_BLOCK, CF_REASON_DETECTED },
  { "suspicious-short", CF_MODE_NORMAL, 4, TRUE, TRUE, 2, 1, CF_DECISION_ALLOW, CF_REASON_BELOW_THRESHOLD },
  { "unknown-normal", CF_MODE_NORMAL, 1, FALSE, FALSE, 0, 0, CF_DECISION_ALLOW, CF_REASON_UNKNOWN_ALLOWED },
  { "unknown-stop", CF_MODE_STOP_UNKNOWNS, 1, FALSE, FALSE, 0, 0, CF_DECISION_BLOCK, CF_REASON_UNKNOWN_BLOCKED },
  { "detected-stop", CF_MODE_STOP_UNKNOWNS, 1, FALSE, TRUE, 5, 0, CF_DECISION_BLOCK, CF_REASON_DETECTED },
  { "zero-threshold-is-one", CF_MODE_NORMAL, 0, FALSE, TRUE, 0, 0, CF_DECISION_ALLOW, CF_REASON_CLEAN },
  { "zero-threshold-blocks-one", CF_MODE_NORMAL, 0, FALSE, TRUE, 1, 0, CF_DECISION_BLOCK, CF_REASON_DETECTED },
};

/* Known, but no engine has answered yet: as little as unknown. */
static void
test_no_results (void)
{
  CfPolicy normal = { CF_MODE_NORMAL, 1, FALSE };
  CfPolicy strict = { CF_MODE_STOP_UNKNOWNS, 1, FALSE };
  g_autoptr(CfReport) report = cf_report_new ();
  CfReason reason;

  g_assert_cmpint (cf_policy_decide (&normal, report, &reason), ==, CF_DECISION_ALLOW);
  g_assert_cmpint (reason, ==, CF_REASON_NO_RESULTS_ALLOWED);
  g_assert_cmpint (cf_policy_decide (&strict, report, &reason), ==, CF_DECISION_BLOCK);
  g_assert_cmpint (reason, ==, CF_REASON_NO_RESULTS_BLOCKED);
  g_assert_cmpstr (cf_reason_to_status (reason), ==, "no-results");
  g_assert_true (cf_reason_is_unknown (reason));

  /* Engines that could not scan the type are not answers either. */
  report->stats.type_unsupported = 3;
  report->stats.timeout = 2;
  cf_policy_decide (&normal, report, &reason);
  g_assert_cmpint (reason, ==, CF_REASON_NO_RESULTS_ALLOWED);
}

/* Every reason reads back from its string, as history stores it. */
static void
test_reason_strings (void)
{
  for (CfReason r = CF_REASON_CLEAN; r <= CF_REASON_PACKAGED; r++)
    {
      CfReason back;

      g_assert_true (cf_reason_from_string (cf_reason_to_string (r), &back));
      g_assert_cmpint (back, ==, r);
    }
  g_assert_cmpstr (cf_reason_to_status (CF_REASON_BELOW_THRESHOLD), ==, "flagged");
  g_assert_cmpstr (cf_reason_to_status (CF_REASON_PACKAGED), ==, "packaged");
  /* Debian's word on a file is no VirusTotal verdict, but no "unknown" either. */
  g_assert_false (cf_reason_is_unknown (CF_REASON_PACKAGED));
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  CfPolicy policy = { c->mode, c->threshold, c->count_suspicious };
  g_autoptr(CfReport) report = NULL;
  CfReason reason;
  CfDecision decision;

  if (c->known)
    {
      report = cf_report_new ();
      report->stats.malicious = c->malicious;
      report->stats.suspicious = c->suspicious;
      report->stats.undetected = 60;
    }

  decision = cf_policy_decide (&policy, report, &reason);
  g_assert_cmpint (decision, ==, c->decision);
  g_assert_cmpint (reason, ==, c->reason);
}

static void
test_strings (void)
{
  CfMode mode;

  g_assert_true (cf_mode_from_string ("stop-unknowns", &mode));
  g_assert_cmpint (mode, ==, CF_MODE_STOP_UNKNOWNS);
  g_assert_true (cf_mode_from_string ("normal", &mode));
  g_assert_cmpint (mode, ==, CF_MODE_NORMAL);
  g_assert_false (cf_mode_from_string ("paranoid", &mode));
  g_assert_cmpstr (cf_reason_to_status (CF_REASON_BLOCKED_BY_USER), ==, "detected");
  g_assert_cmpstr (cf_reason_to_string (CF_REASON_BLOCKED_BY_USER), ==, "blocked-by-you");
  g_assert_cmpstr (cf_reason_to_status (CF_REASON_TRUSTED), ==, "trusted");
  g_assert_cmpstr (cf_reason_to_status (CF_REASON_UNKNOWN_BLOCKED), ==, "unknown");
  g_assert_cmpstr (cf_decision_to_string (CF_DECISION_BLOCK), ==, "block");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cf/policy/%s", cases[i].name);
      g_test_add_data_func (name, &cases[i], test_case);
    }
  g_test_add_func ("/cf/policy/no-results", test_no_results);
  g_test_add_func ("/cf/policy/reason-strings", test_reason_strings);
  g_test_add_func ("/cf/policy/strings", test_strings);

  return g_test_run ();
}
