/* cf-verdict.c: a verdict in words, the same in the window, the notification and the CLI
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One place for the words, so that a file some engines flagged is never
 * "clean" in one front-end and "flagged" in another.
 */

#define G_LOG_DOMAIN "check-first-verdict"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-time.h"
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
    case CF_REASON_PACKAGED:
      /* Translators: when the package's name is not known; see "From Debian package %s %s, unmodified" */
      return g_strdup (_("From a Debian package, unmodified"));
    default:
      g_assert_not_reached ();
    }
}

/* The counts, the same wherever a count is shown: "Malicious 5 ·
 * Suspicious 2 · of 64 engines".  Suspicious is always said, so that a
 * file below the threshold never reads as one nobody flagged. */
char *
cf_verdict_counts (const CfReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  /* Translators: the engines' counts; the last number counts every engine
   * that gave a verdict (malicious, suspicious, undetected or harmless) */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Malicious %d · Suspicious %d · of %d engine",
                                       "Malicious %d · Suspicious %d · of %d engines",
                                       cf_stats_engines (&report->stats)),
                          (int) report->stats.malicious, (int) report->stats.suspicious,
                          (int) cf_stats_engines (&report->stats));
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

/* ", gives up in 8:48": the bound on a wait, always said with it. */
static void
append_bound (GString *text,
              CfCheck *check,
              gint64   now)
{
  gint64 deadline = cf_check_get_deadline (check);
  g_autofree char *left = NULL;

  if (deadline <= 0)
    return;
  left = cf_format_countdown (deadline - now);
  /* Translators: the time after which the check stops waiting, e.g. "8:48" */
  g_string_append_printf (text, _(" · gives up in %s"), left);
}

/* What a check is doing right now, with the time it waits counting down
 * (@now: µs since the epoch).  NULL once it is finished. */
char *
cf_verdict_describe_progress (CfCheck *check,
                              gint64   now)
{
  GString *text = g_string_new (NULL);

  switch (cf_check_get_stage (check))
    {
    case CF_CHECK_STAGE_PENDING:
      g_string_append (text, _("Waiting for an API key"));
      break;

    case CF_CHECK_STAGE_HASHING:
      /* Translators: the fingerprint is the file's SHA-256 hash; "42 %" */
      g_string_append_printf (text, _("Computing fingerprint… %d %%"),
                              (int) (cf_check_get_fraction (check) * 100));
      break;

    case CF_CHECK_STAGE_LOOKING_UP:
      g_string_append (text, cf_check_is_rescanning (check) ? _("Asking VirusTotal to analyse it again…")
                                                            : _("Looking up on VirusTotal…"));
      append_bound (text, check, now);
      break;

    case CF_CHECK_STAGE_WAITING_QUOTA:
      {
        const char *reason = cf_check_get_wait_reason (check);
        gint64 until = cf_check_get_wait_until (check);

        g_string_append (text, reason != NULL ? reason : _("Waiting for the request budget"));
        if (until > now)
          {
            g_autofree char *left = cf_format_countdown (until - now);
            /* Translators: the time until the next request may go, e.g. "0:42" */
            g_string_append_printf (text, _(" · next try in %s"), left);
          }
        append_bound (text, check, now);
      }
      break;

    case CF_CHECK_STAGE_ASKING:
      g_string_append (text, _("Waiting for your answer"));
      break;

    case CF_CHECK_STAGE_UPLOADING:
      {
        guint64 done = cf_check_get_bytes_done (check);
        guint64 total = cf_check_get_bytes_total (check);
        g_autofree char *done_text = g_format_size (done);
        g_autofree char *total_text = g_format_size (total);

        if (total > 0 && done >= total)
          g_string_append (text, _("Uploaded · waiting for VirusTotal to take it"));
        else
          /* Translators: "Uploading · 12.3 MB of 40.0 MB (31 %)" */
          g_string_append_printf (text, _("Uploading · %s of %s (%d %%)"), done_text, total_text,
                                  total > 0 ? (int) (done * 100 / total) : 0);
      }
      break;

    case CF_CHECK_STAGE_ANALYSIS_QUEUED:
    case CF_CHECK_STAGE_ANALYSIS_RUNNING:
      {
        /* One timer from the upload to the verdict, whatever the stage. */
        gint64 started = cf_check_get_analysis_started (check) * G_USEC_PER_SEC;
        g_autofree char *elapsed = cf_format_countdown (started > 0 ? now - started : 0);

        if (cf_check_get_stage (check) == CF_CHECK_STAGE_ANALYSIS_QUEUED)
          /* Translators: "0:12" is the time since the upload finished */
          g_string_append_printf (text, _("Analysis queued · %s"), elapsed);
        else
          g_string_append_printf (text, _("Being analysed · %s"), elapsed);
        append_bound (text, check, now);
      }
      break;

    case CF_CHECK_STAGE_DONE:
    case CF_CHECK_STAGE_FAILED:
    case CF_CHECK_STAGE_CANCELLED:
    default:
      g_string_free (text, TRUE);
      return NULL;
    }

  return g_string_free (text, FALSE);
}

/* What the Debian package database says of the file, or NULL: where it
 * came from, or that it is no longer what its package installed. */
char *
cf_verdict_describe_package (CfCheck *check)
{
  const char *name = cf_check_get_package (check);
  const char *version = cf_check_get_package_version (check);

  switch (cf_check_get_packaged (check))
    {
    case CF_PACKAGED_UNMODIFIED:
      /* Translators: "From Debian package coreutils 9.1-1, unmodified" */
      return g_strdup_printf (_("From Debian package %s %s, unmodified"), name, version);
    case CF_PACKAGED_MODIFIED:
      /* Translators: a file a package installed whose content has changed since:
       * "Modified packaged file: not what Debian package coreutils 9.1-1 installed" */
      return g_strdup_printf (_("Modified packaged file: not what Debian package %s %s installed"),
                              name, version);
    case CF_PACKAGED_NONE:
    default:
      return NULL;
    }
}

/* What a person should make of the package database's word, in a
 * sentence or two, or NULL when there is nothing to add. */
char *
cf_verdict_explain_package (CfCheck *check)
{
  switch (cf_check_get_packaged (check))
    {
    case CF_PACKAGED_MODIFIED:
      /* Translators: %s is a package name, twice */
      return g_strdup_printf (_("This system file was changed after the package %s installed it, "
                                "which is how a tampered program looks. If you did not change it "
                                "yourself, reinstall the package (apt reinstall %s) and find out "
                                "who could have."),
                              cf_check_get_package (check), cf_check_get_package (check));
    case CF_PACKAGED_UNMODIFIED:
      if (cf_check_get_reason (check) == CF_REASON_PACKAGED)
        return g_strdup (_("Its content is exactly what the package installed, so VirusTotal "
                           "was not asked."));
      return cf_verdict_describe_package (check);
    case CF_PACKAGED_NONE:
    default:
      return NULL;
    }
}

/* A finished check in words: its verdict, or why there is none.  A file
 * that is no longer what its package installed says so first, whatever
 * else is said. */
char *
cf_verdict_describe_check (CfCheck *check)
{
  const GError *error = cf_check_get_error (check);
  g_autofree char *words = NULL;
  g_autofree char *package = cf_verdict_describe_package (check);

  switch (cf_check_get_stage (check))
    {
    case CF_CHECK_STAGE_DONE:
      if (cf_check_get_reason (check) == CF_REASON_PACKAGED && package != NULL)
        return g_steal_pointer (&package);
      words = cf_verdict_describe (cf_check_get_reason (check), cf_check_get_report (check),
                                   cf_check_get_threshold (check));
      break;
    case CF_CHECK_STAGE_FAILED:
      words = g_strdup (error != NULL ? error->message : _("The check failed"));
      break;
    case CF_CHECK_STAGE_CANCELLED:
      words = g_strdup (_("Cancelled"));
      break;
    default:
      words = cf_verdict_describe_progress (check, g_get_real_time ());
      break;
    }

  /* An old verdict says how old: it may not be one today. */
  if (cf_check_is_stale (check, g_get_real_time () / G_USEC_PER_SEC))
    {
      g_autofree char *age = cf_format_age (cf_check_get_last_analysis (check),
                                            g_get_real_time () / G_USEC_PER_SEC);
      char *aged;

      /* Translators: after a verdict; %s is "3 months ago" */
      aged = g_strdup_printf (_("%s · last analysed %s"), words, age);
      g_free (words);
      words = aged;
    }

  if (cf_check_get_packaged (check) == CF_PACKAGED_MODIFIED && words != NULL)
    return g_strdup_printf ("%s · %s", package, words);
  return g_steal_pointer (&words);
}

const char *
cf_verdict_icon_name (CfReason reason)
{
  switch (reason)
    {
    case CF_REASON_CLEAN:
    case CF_REASON_TRUSTED:
    case CF_REASON_PACKAGED:
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
    case CF_REASON_PACKAGED:
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

/* Why @check's file was not opened, in a line: a notification's body. */
char *
cf_verdict_describe_blocked (CfCheck *check)
{
  g_autofree char *package = NULL;
  const char *words;

  switch (cf_check_get_reason (check))
    {
    case CF_REASON_UNKNOWN_BLOCKED:
      words = _("Unknown to VirusTotal (stop unknowns mode)");
      break;
    case CF_REASON_NO_RESULTS_BLOCKED:
      words = _("No results from VirusTotal yet (stop unknowns mode)");
      break;
    default:
      return cf_verdict_describe_check (check);
    }

  package = cf_check_get_packaged (check) == CF_PACKAGED_MODIFIED ? cf_verdict_describe_package (check)
                                                                  : NULL;
  return package != NULL ? g_strdup_printf ("%s · %s", package, words) : g_strdup (words);
}
