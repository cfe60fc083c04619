/* cf-verdict.c: a verdict in words, the same in the window, the notification and the CLI
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One place for the words, so that a file some engines flagged is never
 * "clean" in one front-end and "flagged" in another.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cf-verdict.h"

/* A headline for @reason; @report may be NULL (unknown files, the trust
 * list), and @threshold is the policy's, for "below your threshold of N"
 * (0 when it is not known, as for history). */
char *
cf_verdict_describe (CfReason        reason,
                     const CfReport *report,
                     guint           threshold)
{
  gint64 engines = report != NULL ? cf_stats_engines (&report->stats) : 0;
  gint64 malicious = report != NULL ? report->stats.malicious : 0;
  gint64 suspicious = report != NULL ? report->stats.suspicious : 0;

  switch (reason)
    {
    case CF_REASON_CLEAN:
      /* Translators: the number of engines that looked at the file, e.g. "0/67" */
      return g_strdup_printf (_("No engine flagged it · 0/%d"), (int) engines);
    case CF_REASON_DETECTED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Flagged by %d of %d engine",
                                           "Flagged by %d of %d engines",
                                           engines),
                              (int) (malicious > 0 ? malicious : suspicious), (int) engines);
    case CF_REASON_BELOW_THRESHOLD:
      if (malicious > 0 && threshold == 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Flagged by %d of %d engine, below your threshold",
                                             "Flagged by %d of %d engines, below your threshold",
                                             engines),
                                (int) malicious, (int) engines);
      if (malicious > 0)
        /* Translators: "Flagged by 5 of 64 engines, below your threshold of 10" */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Flagged by %d of %d engine, below your threshold of %u",
                                             "Flagged by %d of %d engines, below your threshold of %u",
                                             engines),
                                (int) malicious, (int) engines, threshold);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%d engine calls it suspicious (below your threshold)",
                                           "%d engines call it suspicious (below your threshold)",
                                           suspicious),
                              (int) suspicious);
    case CF_REASON_UNKNOWN_ALLOWED:
    case CF_REASON_UNKNOWN_BLOCKED:
      return g_strdup (_("Unknown to VirusTotal"));
    case CF_REASON_NO_RESULTS_ALLOWED:
    case CF_REASON_NO_RESULTS_BLOCKED:
      return g_strdup (_("Known to VirusTotal, but no results yet"));
    case CF_REASON_TRUSTED:
      return g_strdup (_("Allowed by you"));
    case CF_REASON_BLOCKED_BY_USER:
      return g_strdup (_("Blocked by you"));
    default:
      g_assert_not_reached ();
    }
}

/* What else a person must know about @report, or NULL. */
char *
cf_verdict_note (const CfReport *report)
{
  if (report == NULL || !report->inconsistent)
    return NULL;

  /* Translators: VirusTotal's summary and its list of engines disagreed */
  return g_strdup_printf (_("VirusTotal’s reply disagreed with itself (its summary counts %d "
                            "malicious, its engine list %d); the worse was used"),
                          (int) report->reported_stats.malicious, (int) report->listed_stats.malicious);
}

const char *
cf_verdict_icon_name (CfReason reason)
{
  switch (reason)
    {
    case CF_REASON_CLEAN:
    case CF_REASON_TRUSTED:
      return "security-high-symbolic";
    case CF_REASON_UNKNOWN_ALLOWED:
    case CF_REASON_UNKNOWN_BLOCKED:
    case CF_REASON_NO_RESULTS_ALLOWED:
    case CF_REASON_NO_RESULTS_BLOCKED:
    case CF_REASON_BELOW_THRESHOLD:
      return "security-medium-symbolic";
    case CF_REASON_DETECTED:
    case CF_REASON_BLOCKED_BY_USER:
    default:
      return "security-low-symbolic";
    }
}

const char *
cf_verdict_style_class (CfReason reason)
{
  switch (reason)
    {
    case CF_REASON_CLEAN:
    case CF_REASON_TRUSTED:
      return "success";
    case CF_REASON_UNKNOWN_ALLOWED:
    case CF_REASON_UNKNOWN_BLOCKED:
    case CF_REASON_NO_RESULTS_ALLOWED:
    case CF_REASON_NO_RESULTS_BLOCKED:
    case CF_REASON_BELOW_THRESHOLD:
      return "warning";
    case CF_REASON_DETECTED:
    case CF_REASON_BLOCKED_BY_USER:
    default:
      return "error";
    }
}
