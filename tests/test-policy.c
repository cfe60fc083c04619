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
  { "below-threshold", CF_MODE_NORMAL, 3, FALSE, TRUE, 2, 0, CF_DECISION_ALLOW, CF_REASON_CLEAN },
  { "at-threshold", CF_MODE_NORMAL, 3, FALSE, TRUE, 3, 0, CF_DECISION_BLOCK, CF_REASON_DETECTED },
  { "suspicious-ignored", CF_MODE_NORMAL, 1, FALSE, TRUE, 0, 4, CF_DECISION_ALLOW, CF_REASON_CLEAN },
  { "suspicious-counted", CF_MODE_NORMAL, 1, TRUE, TRUE, 0, 1, CF_DECISION_BLOCK, CF_REASON_DETECTED },
  { "suspicious-adds-up", CF_MODE_NORMAL, 3, TRUE, TRUE, 2, 1, CF_DECISION_BLOCK, CF_REASON_DETECTED },
  { "suspicious-short", CF_MODE_NORMAL, 4, TRUE, TRUE, 2, 1, CF_DECISION_ALLOW, CF_REASON_CLEAN },
  { "unknown-normal", CF_MODE_NORMAL, 1, FALSE, FALSE, 0, 0, CF_DECISION_ALLOW, CF_REASON_UNKNOWN_ALLOWED },
  { "unknown-stop", CF_MODE_STOP_UNKNOWNS, 1, FALSE, FALSE, 0, 0, CF_DECISION_BLOCK, CF_REASON_UNKNOWN_BLOCKED },
  { "detected-stop", CF_MODE_STOP_UNKNOWNS, 1, FALSE, TRUE, 5, 0, CF_DECISION_BLOCK, CF_REASON_DETECTED },
  { "zero-threshold-is-one", CF_MODE_NORMAL, 0, FALSE, TRUE, 0, 0, CF_DECISION_ALLOW, CF_REASON_CLEAN },
};

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
  g_assert_cmpstr (cf_reason_to_string (CF_REASON_BLOCKED_BY_USER), ==, "blocked by you");
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
  g_test_add_func ("/cf/policy/strings", test_strings);

  return g_test_run ();
}
