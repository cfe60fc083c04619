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
#include <string.h>

#include "cf-config.h"
#include "cf-display.h"
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

/* A wait for the request budget in words, counting down to @until (µs
 * since the epoch, like @now): "Next lookup in 0:42 (free plan: 4 a
 * minute)" for the minute's budget (@limit, in words), the scheduler's
 * @reason with the countdown for the others, and for the database only
 * the reason: it is tried again every half second, a countdown would be
 * noise. */
char *
cf_verdict_describe_wait (CfWaitKind  kind,
                          const char *reason,
                          const char *limit,
                          gint64      until,
                          gint64      now)
{
  g_autofree char *left = cf_format_countdown (MAX (until - now, 0));

  if (kind == CF_WAIT_DATABASE && reason != NULL)
    return g_strdup (reason);
  if (kind == CF_WAIT_MINUTE && limit != NULL)
    /* Translators: "Next lookup in 0:42 (free plan: 4 a minute)" */
    return g_strdup_printf (_("Next lookup in %s (%s)"), left, limit);
  if (until > now)
    /* Translators: why a request waits, then the time until it may go: "… · next lookup in 0:42" */
    return g_strdup_printf (_("%s · next lookup in %s"),
                            reason != NULL ? reason : _("Waiting for the request budget"), left);
  return g_strdup (reason != NULL ? reason : _("Waiting for the request budget"));
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
        const char *limit = cf_check_get_wait_limit (check);
        gint64 until = cf_check_get_wait_until (check);
        int ahead = cf_check_get_queue_ahead (check);

        /* What the wait is for, and when it ends: counting down. */
        g_autofree char *wait = cf_verdict_describe_wait (cf_check_get_wait_kind (check), reason, limit,
                                                          until, now);

        g_string_append (text, wait);
        if (ahead > 0)
          /* Translators: how many requests go before this one, "· 3 ahead" */
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " · %d ahead", " · %d ahead", ahead),
                                  ahead);
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
        g_autofree char *done_text = cf_display_size (done, FALSE);
        g_autofree char *total_text = cf_display_size (total, FALSE);

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

/* The budget a wait on the minute is for: "free plan: 4 a minute" for the
 * public API's plan, "20 a minute" for any other; NULL without a limit. */
char *
cf_verdict_describe_rate (guint per_minute,
                          guint per_day)
{
  if (per_minute == 0)
    return NULL;
  if (per_minute == CF_PUBLIC_PER_MINUTE && per_day == CF_PUBLIC_PER_DAY)
    /* Translators: the public API's budget, in a wait: "(free plan: 4 a minute)" */
    return g_strdup_printf (_("free plan: %u a minute"), per_minute);
  /* Translators: the request budget, in a wait: "(20 a minute)" */
  return g_strdup_printf (_("%u a minute"), per_minute);
}

/* A place in line, short, for a row beside others: "Waiting its turn · 12
 * ahead", or for the first in line the time until it goes (@left, µs;
 * 0 when not known): "Next in line · 0:42". */
char *
cf_verdict_describe_turn (guint  ahead,
                          gint64 left)
{
  if (ahead == 0 && left > 0)
    {
      g_autofree char *clock = cf_format_countdown (left);

      /* Translators: the first waiting for the request budget, and when it goes */
      return g_strdup_printf (_("Next in line · %s"), clock);
    }
  if (ahead == 0)
    return g_strdup (_("Waiting its turn"));
  /* Translators: something waiting to be checked, and how many go first */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Waiting its turn · %u ahead",
                                       "Waiting its turn · %u ahead", ahead), ahead);
}

/* A batch of @checks (CfCheck) as a whole: "2 of 6 checked · about 1:30
 * left".  The time is said only while the minute's budget paces the
 * lookups (@per_minute, 0 for none): the last one waiting goes when the
 * queue ahead of it has had its minutes.  NULL when every check is done. */
char *
cf_verdict_describe_batch (GListModel *checks,
                           guint       per_minute,
                           gint64      now)
{
  guint n = g_list_model_get_n_items (checks);
  guint done = 0, to_ask = 0;
  gint64 until = 0;
  GString *text;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CfCheck) check = g_list_model_get_item (checks, i);
      CfCheckStage stage = cf_check_get_stage (check);

      if (cf_check_is_finished (check))
        done++;
      else if (stage == CF_CHECK_STAGE_HASHING || stage == CF_CHECK_STAGE_LOOKING_UP ||
               stage == CF_CHECK_STAGE_WAITING_QUOTA)
        to_ask++;
      if (stage == CF_CHECK_STAGE_WAITING_QUOTA && cf_check_get_wait_kind (check) == CF_WAIT_MINUTE)
        until = MAX (until, cf_check_get_wait_until (check));
    }

  if (done == n)
    return NULL;

  text = g_string_new (NULL);
  /* Translators: how far a batch of files has come, "2 of 6 checked" */
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u of %u checked", "%u of %u checked", n),
                          done, n);
  if (per_minute > 0 && until > now && to_ask > 0)
    {
      /* After the wait, one minute for every full minute's worth behind the first. */
      gint64 left = until - now + (gint64) ((to_ask - 1) / per_minute) * 60 * G_USEC_PER_SEC;
      g_autofree char *clock = cf_format_countdown (left);

      /* Translators: the time until a batch is done, "about 1:30 left" */
      g_string_append_printf (text, _(" · about %s left"), clock);
    }

  return g_string_free (text, FALSE);
}

/* Groups of three digits, joined by a no-break space: 15 500. */
char *
cf_verdict_format_count (guint n)
{
  g_autofree char *digits = g_strdup_printf ("%u", n);
  GString *out = g_string_new (NULL);
  gsize length = strlen (digits);

  for (gsize i = 0; i < length; i++)
    {
      if (i > 0 && (length - i) % 3 == 0)
        g_string_append (out, "\u00a0");
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (out, FALSE);
}

/* Requests used of a budget: "37 of 500", "7 (no limit)" (@limit 0). */
char *
cf_verdict_describe_used (guint used,
                          guint limit)
{
  g_autofree char *used_text = cf_verdict_format_count (used);
  g_autofree char *limit_text = NULL;

  if (limit == 0)
    /* Translators: requests used where the plan sets no limit */
    return g_strdup_printf (_("%s (no limit)"), used_text);

  limit_text = cf_verdict_format_count (limit);
  /* Translators: requests used of the plan's limit, e.g. "37 of 500" */
  return g_strdup_printf (_("%s of %s"), used_text, limit_text);
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
