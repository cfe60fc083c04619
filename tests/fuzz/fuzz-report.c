/* fuzz-report.c: libFuzzer target for everything that reads VirusTotal's replies
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same bytes go to every parser of a reply body, since a hostile or
 * broken server (or a captive portal) can send any of them to any request.
 * Besides not crashing, each parser must keep its promises: an error when
 * it returns nothing, hashes in lowercase hex, text in UTF-8, and a report
 * that reads back from its own cache form.
 */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf-allowance.h"
#include "cf-report.h"
#include "cf-vt-error.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* abort () is what libFuzzer reports as a crash, with the input saved. */
#define FUZZ_CHECK(condition) \
  G_STMT_START { \
    if (G_UNLIKELY (!(condition))) \
      { \
        fprintf (stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #condition); \
        abort (); \
      } \
  } G_STMT_END

/* One of each kind of answer: each status parses the body again. */
static const guint statuses[] = { 200, 302, 401, 404, 429, 503 };

static gboolean
is_lower_hex (const char *text,
              gsize       length)
{
  if (text == NULL || strlen (text) != length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
is_utf8_or_null (const char *text)
{
  return text == NULL || g_utf8_validate (text, -1, NULL);
}

static void
check_error (const GError *error,
             GQuark        domain)
{
  FUZZ_CHECK (error != NULL);
  FUZZ_CHECK (error->domain == domain);
  FUZZ_CHECK (error->message != NULL && *error->message != '\0');
  FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
}

static void
check_stats (const CfStats *stats)
{
  /* The parser clamps counts so that sums cannot overflow. */
  FUZZ_CHECK (stats->malicious >= 0 && stats->suspicious >= 0);
  FUZZ_CHECK (stats->undetected >= 0 && stats->harmless >= 0);
  FUZZ_CHECK (stats->timeout >= 0 && stats->confirmed_timeout >= 0);
  FUZZ_CHECK (stats->type_unsupported >= 0 && stats->failure >= 0);
  FUZZ_CHECK (cf_stats_engines (stats) >= 0);
}

static int
category_rank (const char *category)
{
  if (g_strcmp0 (category, "malicious") == 0)
    return 0;
  if (g_strcmp0 (category, "suspicious") == 0)
    return 1;
  return 2;
}

static void
check_report_fields (const CfReport *report)
{
  FUZZ_CHECK (report->sha1 == NULL || is_lower_hex (report->sha1, 40));
  FUZZ_CHECK (report->md5 == NULL || is_lower_hex (report->md5, 32));
  FUZZ_CHECK (is_utf8_or_null (report->meaningful_name));
  FUZZ_CHECK (is_utf8_or_null (report->type_description));
  FUZZ_CHECK (is_utf8_or_null (report->threat_label));
  for (guint i = 0; report->names != NULL && report->names[i] != NULL; i++)
    FUZZ_CHECK (g_utf8_validate (report->names[i], -1, NULL));
  check_stats (&report->stats);

  FUZZ_CHECK (report->engines != NULL);
  for (guint i = 0; i < report->engines->len; i++)
    {
      const CfEngineResult *engine = g_ptr_array_index (report->engines, i);

      FUZZ_CHECK (engine->engine != NULL && g_utf8_validate (engine->engine, -1, NULL));
      FUZZ_CHECK (engine->category != NULL && g_utf8_validate (engine->category, -1, NULL));
      FUZZ_CHECK (is_utf8_or_null (engine->result));
      FUZZ_CHECK (is_utf8_or_null (engine->version));
      FUZZ_CHECK (is_utf8_or_null (engine->update));
      if (i > 0)
        {
          const CfEngineResult *previous = g_ptr_array_index (report->engines, i - 1);
          FUZZ_CHECK (category_rank (previous->category) <= category_rank (engine->category));
        }
    }
}

/* The cache stores cf_report_to_json () and reads it back with
 * cf_report_parse (): what was parsed once must parse again. */
static void
check_round_trip (const CfReport *report)
{
  g_autoptr(CfReport) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = cf_report_to_json (report);

  FUZZ_CHECK (json != NULL && g_utf8_validate (json, -1, NULL));
  again = cf_report_parse (json, strlen (json), &error);
  FUZZ_CHECK (again != NULL && error == NULL);
  FUZZ_CHECK (g_strcmp0 (again->sha256, report->sha256) == 0);
  FUZZ_CHECK (g_strcmp0 (again->sha1, report->sha1) == 0);
  FUZZ_CHECK (g_strcmp0 (again->md5, report->md5) == 0);
  FUZZ_CHECK (g_strcmp0 (again->threat_label, report->threat_label) == 0);
  FUZZ_CHECK (memcmp (&again->stats, &report->stats, sizeof report->stats) == 0);
  /* Two entries may share an engine name: each is kept. */
  FUZZ_CHECK (again->engines->len == report->engines->len);
}

static void
fuzz_report (const char *data,
             gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfReport) report = cf_report_parse (data, size, &error);

  if (report == NULL)
    {
      check_error (error, CF_VT_ERROR);
      return;
    }

  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (is_lower_hex (report->sha256, 64));
  check_report_fields (report);
  check_round_trip (report);
  g_free (cf_report_permalink (report->sha256));
}

static void
fuzz_analysis (const char *data,
               gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfAnalysis) analysis = cf_analysis_parse (data, size, &error);

  if (analysis == NULL)
    {
      check_error (error, CF_VT_ERROR);
      return;
    }

  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (analysis->status == CF_ANALYSIS_QUEUED ||
              analysis->status == CF_ANALYSIS_IN_PROGRESS ||
              analysis->status == CF_ANALYSIS_COMPLETED);
  FUZZ_CHECK (is_utf8_or_null (analysis->id));
  FUZZ_CHECK (analysis->report != NULL);
  FUZZ_CHECK (analysis->report->sha256 == NULL || is_lower_hex (analysis->report->sha256, 64));
  if (analysis->status == CF_ANALYSIS_COMPLETED)
    FUZZ_CHECK (analysis->report->sha256 != NULL);
  check_report_fields (analysis->report);
}

static void
fuzz_upload_reply (const char *data,
                   gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = cf_upload_reply_parse (data, size, &error);

  if (id == NULL)
    {
      check_error (error, CF_VT_ERROR);
      return;
    }

  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (*id != '\0' && strlen (id) <= 1024);
  FUZZ_CHECK (g_utf8_validate (id, -1, NULL));
}

static void
fuzz_upload_url (const char *data,
                 gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = cf_upload_url_parse (data, size, &error);

  if (url == NULL)
    {
      check_error (error, CF_VT_ERROR);
      return;
    }

  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL));
}

static void
fuzz_error_envelope (const char *data,
                     gsize       size)
{
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean failed = cf_vt_error_from_response (statuses[i], data, size, &error);

      if (statuses[i] >= 200 && statuses[i] < 300)
        {
          FUZZ_CHECK (!failed && error == NULL);
          continue;
        }

      FUZZ_CHECK (failed);
      check_error (error, CF_VT_ERROR);
      /* Whatever the body says, a reply never claims to be about the network. */
      FUZZ_CHECK (error->code != CF_VT_ERROR_NETWORK && error->code != CF_VT_ERROR_TLS);
      (void) cf_vt_error_is_transient (error);
    }

  /* A caller may not want the error at all. */
  FUZZ_CHECK (cf_vt_error_from_response (500, data, size, NULL));
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A g_return_if_fail () that fires is a bug in the caller: crash on it. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

/* The account's allowance: never negative, never "no limit" out of
 * nothing, and the same after its own stored form. */
static void
check_allowance (const CfAllowance *allowance)
{
  for (guint i = 0; i < CF_N_PERIODS; i++)
    {
      FUZZ_CHECK (allowance->allowed[i] >= 0);
      FUZZ_CHECK (allowance->used[i] >= -1);
    }
}

static void
fuzz_allowance (const char *data,
                size_t      size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key_id = NULL;
  CfAllowance allowance, back;

  cf_allowance_init (&allowance);
  if (!cf_allowance_parse_overall (&allowance, data, size, &error))
    check_error (error, CF_VT_ERROR);
  g_clear_error (&error);
  check_allowance (&allowance);
  if (!cf_allowance_parse_user (&allowance, data, size, "fuzz-key", &error))
    check_error (error, CF_VT_ERROR);
  check_allowance (&allowance);

  allowance.read = 1;
  text = cf_allowance_to_text (&allowance, "0123456789abcdef");
  FUZZ_CHECK (cf_allowance_from_text (&back, text, &key_id));
  FUZZ_CHECK (g_strcmp0 (key_id, "0123456789abcdef") == 0);
  for (guint i = 0; i < CF_N_PERIODS; i++)
    FUZZ_CHECK (back.allowed[i] == allowance.allowed[i]);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;

  fuzz_report (text, size);
  fuzz_analysis (text, size);
  fuzz_upload_reply (text, size);
  fuzz_upload_url (text, size);
  fuzz_error_envelope (text, size);
  fuzz_allowance (text, size);

  return 0;
}
