/* test-format.c: golden rows of the one formatter the CLI and the window's exports share
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case is a finished check built the way history builds one, and the
 * exact line each format makes of it.  JSON and CSV are for scripts: their
 * fields, order and spelling are a promise (README, "Output").  The text
 * form is for people; its golden lines catch a change made by accident.
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "cf-display.h"
#include "cf-format.h"
#include "cf-time.h"
#include "cf-test-util.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define MD5_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define LINK_A "https://www.virustotal.com/gui/file/" SHA_A
#define LINK_B "https://www.virustotal.com/gui/file/" SHA_B

static CfReport *
make_report (const char *sha256,
             gint64      malicious,
             gint64      suspicious,
             gint64      undetected,
             gint64      harmless,
             const char *threat_label)
{
  CfReport *report = cf_report_new ();

  report->sha256 = g_strdup (sha256);
  report->stats.malicious = malicious;
  report->stats.suspicious = suspicious;
  report->stats.undetected = undetected;
  report->stats.harmless = harmless;
  report->reported_stats = report->stats;
  report->threat_label = g_strdup (threat_label);
  return report;
}

typedef struct
{
  const char *name;
  CfHistoryEntry entry;
  /* the report the cache would give, or none */
  gboolean    has_report;
  gint64      stats[4];
  const char *threat_label;
  gboolean    inconsistent;
  CfFormatRow row;
  const char *text;
  const char *json;
  const char *csv;
} Golden;

static const Golden goldens[] = {
  {
    "detected file",
    { .path = (char *) "/home/ada/Downloads/setup.exe", .sha256 = (char *) SHA_A, .time = 1000,
      .status = (char *) "detected", .decision = (char *) "block", .reason = (char *) "detected",
      .size = 4096, .source = (char *) "api", .kind = (char *) "file" },
    TRUE, { 12, 1, 50, 7 }, "trojan.generic/agent", FALSE, CF_FORMAT_ROW_INIT,
    "blocked    /home/ada/Downloads/setup.exe  Flagged by 12 of 70 engines · Malicious 12 · Suspicious 1"
    " · trojan.generic/agent",
    "{\"path\":\"/home/ada/Downloads/setup.exe\",\"hash\":null,\"host\":null,\"name\":null,"
    "\"pid\":null,\"sha256\":\"" SHA_A "\",\"size\":4096,\"kind\":\"file\","
    "\"status\":\"detected\",\"decision\":\"block\",\"reason\":\"detected\",\"malicious\":12,"
    "\"suspicious\":1,\"undetected\":50,\"harmless\":7,\"engines\":70,"
    "\"threat_label\":\"trojan.generic/agent\",\"inconsistent\":false,"
    "\"permalink\":\"" LINK_A "\",\"source\":\"api\",\"origin\":null,\"pids\":null,"
    "\"names\":null,\"deleted\":null,\"user_writable\":null,\"error\":null,"
    "\"package\":null,\"package_version\":null,\"packaged\":null,\"referrer\":null,\"last_analysis\":null,\"stale\":false}",
    "/home/ada/Downloads/setup.exe,," ",,," SHA_A ",4096,file,detected,block,detected,12,1,50,7,70,"
    "trojan.generic/agent,false," LINK_A ",api,,,,,,,,,,,,false",
  },
  {
    "clean file with a comma and a quote in its name",
    { .path = (char *) "/tmp/a, \"b\".pdf", .sha256 = (char *) SHA_A, .time = 1000,
      .status = (char *) "clean", .decision = (char *) "allow", .reason = (char *) "clean",
      .size = 10, .source = (char *) "cache", .kind = (char *) "file" },
    TRUE, { 0, 0, 60, 6 }, NULL, FALSE, CF_FORMAT_ROW_INIT,
    "allowed    /tmp/a, \"b\".pdf  No engine flagged it · 0/66 · Malicious 0 · Suspicious 0",
    "{\"path\":\"/tmp/a, \\\"b\\\".pdf\",\"hash\":null,\"host\":null,\"name\":null,"
    "\"pid\":null,\"sha256\":\"" SHA_A "\",\"size\":10,\"kind\":\"file\","
    "\"status\":\"clean\",\"decision\":\"allow\",\"reason\":\"clean\",\"malicious\":0,"
    "\"suspicious\":0,\"undetected\":60,\"harmless\":6,\"engines\":66,"
    "\"threat_label\":null,\"inconsistent\":false,"
    "\"permalink\":\"" LINK_A "\",\"source\":\"cache\",\"origin\":null,\"pids\":null,"
    "\"names\":null,\"deleted\":null,\"user_writable\":null,\"error\":null,"
    "\"package\":null,\"package_version\":null,\"packaged\":null,\"referrer\":null,\"last_analysis\":null,\"stale\":false}",
    "\"/tmp/a, \"\"b\"\".pdf\",,,,," SHA_A ",10,file,clean,allow,clean,0,0,60,6,66,,false,"
    LINK_A ",cache,,,,,,,,,,,,false",
  },
  {
    "hash from a list, by MD5, with its host and process",
    { .path = (char *) MD5_B, .sha256 = (char *) SHA_B, .time = 1000,
      .status = (char *) "flagged", .decision = (char *) "allow", .reason = (char *) "below-threshold",
      .size = -1, .threshold = 3, .source = (char *) "api", .kind = (char *) "hash" },
    TRUE, { 2, 0, 60, 0 }, NULL, FALSE,
    { "C:\\Tools\\x.exe", "ws-17", "x.exe", 4711 },
    "allowed    C:\\Tools\\x.exe  Flagged by 2 of 62 engines, below your threshold of 3"
    " · Malicious 2 · Suspicious 0 · SHA-256 " SHA_B,
    "{\"path\":\"C:\\\\Tools\\\\x.exe\",\"hash\":\"" MD5_B "\",\"host\":\"ws-17\","
    "\"name\":\"x.exe\",\"pid\":4711,\"sha256\":\"" SHA_B "\",\"size\":null,\"kind\":\"hash\","
    "\"status\":\"flagged\",\"decision\":\"allow\",\"reason\":\"below-threshold\",\"malicious\":2,"
    "\"suspicious\":0,\"undetected\":60,\"harmless\":0,\"engines\":62,"
    "\"threat_label\":null,\"inconsistent\":false,"
    "\"permalink\":\"" LINK_B "\",\"source\":\"api\",\"origin\":null,\"pids\":null,"
    "\"names\":null,\"deleted\":null,\"user_writable\":null,\"error\":null,"
    "\"package\":null,\"package_version\":null,\"packaged\":null,\"referrer\":null,\"last_analysis\":null,\"stale\":false}",
    "C:\\Tools\\x.exe," MD5_B ",ws-17,x.exe,4711," SHA_B ",,hash,flagged,allow,below-threshold,"
    "2,0,60,0,62,,false," LINK_B ",api,,,,,,,,,,,,false",
  },
  {
    "unknown, blocked in stop-unknowns mode, from a download",
    { .path = (char *) "/home/ada/Downloads/new.sh", .sha256 = (char *) SHA_A, .time = 1000,
      .status = (char *) "unknown", .decision = (char *) "block", .reason = (char *) "unknown-blocked",
      .size = 33, .source = (char *) "api", .kind = (char *) "file",
      .origin = (char *) "https://example.org/new.sh", .referrer = (char *) "https://example.org/" },
    FALSE, { 0 }, NULL, FALSE, CF_FORMAT_ROW_INIT,
    "blocked    /home/ada/Downloads/new.sh  Unknown to VirusTotal",
    "{\"path\":\"/home/ada/Downloads/new.sh\",\"hash\":null,\"host\":null,\"name\":null,"
    "\"pid\":null,\"sha256\":\"" SHA_A "\",\"size\":33,\"kind\":\"file\","
    "\"status\":\"unknown\",\"decision\":\"block\",\"reason\":\"unknown-blocked\",\"malicious\":0,"
    "\"suspicious\":0,\"undetected\":0,\"harmless\":0,\"engines\":0,"
    "\"threat_label\":null,\"inconsistent\":false,"
    "\"permalink\":\"" LINK_A "\",\"source\":\"api\",\"origin\":\"https://example.org/new.sh\","
    "\"pids\":null,\"names\":null,\"deleted\":null,\"user_writable\":null,\"error\":null,"
    "\"package\":null,\"package_version\":null,\"packaged\":null,\"referrer\":\"https://example.org/\",\"last_analysis\":null,\"stale\":false}",
    "/home/ada/Downloads/new.sh,,,,," SHA_A ",33,file,unknown,block,unknown-blocked,0,0,0,0,0,,false,"
    LINK_A ",api,https://example.org/new.sh,,,,,,,,,https://example.org/,,false",
  },
  {
    "a summary that disagrees with the engines, and a hostile threat label",
    { .path = (char *) "/srv/tool", .sha256 = (char *) SHA_A, .time = 1000,
      .status = (char *) "detected", .decision = (char *) "block", .reason = (char *) "detected",
      .size = 1, .source = (char *) "api", .kind = (char *) "file" },
    TRUE, { 3, 0, 1, 0 }, "evil\033]0;owned\007\nBLOCK", TRUE, CF_FORMAT_ROW_INIT,
    "blocked    /srv/tool  Flagged by 3 of 4 engines · Malicious 3 · Suspicious 0"
    " · evil\\x1b]0;owned\\x07\\x0aBLOCK  "
    "[VirusTotal’s reply disagreed with itself (its summary counts 1 malicious, its engine "
    "list 3); the worse was used]",
    NULL,
    "/srv/tool,,,,," SHA_A ",1,file,detected,block,detected,3,0,1,0,4,"
    "evil\\x1b]0;owned\\x07\\x0aBLOCK,true," LINK_A ",api,,,,,,,,,,,,false",
  },
  {
    "failed",
    { .path = (char *) "/home/ada/locked", .time = 1000, .status = (char *) "error",
      .decision = (char *) "block", .reason = (char *) "error", .size = -1,
      .kind = (char *) "file", .error = (char *) "Permission denied" },
    FALSE, { 0 }, NULL, FALSE, CF_FORMAT_ROW_INIT,
    "error      /home/ada/locked  Permission denied",
    "{\"path\":\"/home/ada/locked\",\"hash\":null,\"host\":null,\"name\":null,"
    "\"pid\":null,\"sha256\":null,\"size\":null,\"kind\":\"file\","
    "\"status\":\"error\",\"decision\":\"block\",\"reason\":\"error\",\"malicious\":0,"
    "\"suspicious\":0,\"undetected\":0,\"harmless\":0,\"engines\":0,"
    "\"threat_label\":null,\"inconsistent\":false,"
    "\"permalink\":null,\"source\":null,\"origin\":null,\"pids\":null,"
    "\"names\":null,\"deleted\":null,\"user_writable\":null,\"error\":\"Permission denied\","
    "\"package\":null,\"package_version\":null,\"packaged\":null,\"referrer\":null,\"last_analysis\":null,\"stale\":false}",
    "/home/ada/locked,,,,,,,file,error,block,error,0,0,0,0,0,,false,,,,,,,,Permission denied,,,,,,false",
  },
  {
    "a program as its Debian package installed it: not looked up",
    { .path = (char *) "/usr/bin/true", .sha256 = (char *) SHA_A, .time = 1000,
      .status = (char *) "packaged", .decision = (char *) "allow", .reason = (char *) "packaged",
      .size = 39224, .source = (char *) "package", .kind = (char *) "file",
      .package = (char *) "coreutils", .package_version = (char *) "9.1-1",
      .packaged = (char *) "unmodified" },
    FALSE, { 0 }, NULL, FALSE, CF_FORMAT_ROW_INIT,
    "allowed    /usr/bin/true  From Debian package coreutils 9.1-1, unmodified",
    "{\"path\":\"/usr/bin/true\",\"hash\":null,\"host\":null,\"name\":null,"
    "\"pid\":null,\"sha256\":\"" SHA_A "\",\"size\":39224,\"kind\":\"file\","
    "\"status\":\"packaged\",\"decision\":\"allow\",\"reason\":\"packaged\",\"malicious\":0,"
    "\"suspicious\":0,\"undetected\":0,\"harmless\":0,\"engines\":0,"
    "\"threat_label\":null,\"inconsistent\":false,"
    "\"permalink\":\"" LINK_A "\",\"source\":\"package\",\"origin\":null,\"pids\":null,"
    "\"names\":null,\"deleted\":null,\"user_writable\":null,\"error\":null,"
    "\"package\":\"coreutils\",\"package_version\":\"9.1-1\",\"packaged\":\"unmodified\","
    "\"referrer\":null,\"last_analysis\":null,\"stale\":false}",
    "/usr/bin/true,,,,," SHA_A ",39224,file,packaged,allow,packaged,0,0,0,0,0,,false,"
    LINK_A ",package,,,,,,,coreutils,9.1-1,unmodified,,,false",
  },
  {
    "a packaged program changed since it was installed",
    { .path = (char *) "/usr/bin/sudo", .sha256 = (char *) SHA_A, .time = 1000,
      .status = (char *) "clean", .decision = (char *) "allow", .reason = (char *) "clean",
      .size = 10, .source = (char *) "api", .kind = (char *) "file",
      .package = (char *) "sudo", .package_version = (char *) "1.9.13p3-1+deb12u1",
      .packaged = (char *) "modified" },
    TRUE, { 0, 0, 60, 6 }, NULL, FALSE, CF_FORMAT_ROW_INIT,
    "allowed    /usr/bin/sudo  Modified packaged file: not what Debian package sudo "
    "1.9.13p3-1+deb12u1 installed · No engine flagged it · 0/66 · Malicious 0 · Suspicious 0",
    NULL,
    "/usr/bin/sudo,,,,," SHA_A ",10,file,clean,allow,clean,0,0,60,6,66,,false,"
    LINK_A ",api,,,,,,,sudo,1.9.13p3-1+deb12u1,modified,,,false",
  },
  {
    "no engine says malicious, two say suspicious: never shown as clean",
    { .path = (char *) "/home/ada/quarterly.txt", .sha256 = (char *) SHA_A, .time = 1000,
      .status = (char *) "flagged", .decision = (char *) "allow", .reason = (char *) "below-threshold",
      .size = 25, .threshold = 1, .source = (char *) "api", .kind = (char *) "file" },
    TRUE, { 0, 2, 58, 4 }, NULL, FALSE, CF_FORMAT_ROW_INIT,
    "allowed    /home/ada/quarterly.txt  2 engines call it suspicious (below your threshold)"
    " · Malicious 0 · Suspicious 2",
    "{\"path\":\"/home/ada/quarterly.txt\",\"hash\":null,\"host\":null,\"name\":null,"
    "\"pid\":null,\"sha256\":\"" SHA_A "\",\"size\":25,\"kind\":\"file\","
    "\"status\":\"flagged\",\"decision\":\"allow\",\"reason\":\"below-threshold\",\"malicious\":0,"
    "\"suspicious\":2,\"undetected\":58,\"harmless\":4,\"engines\":64,"
    "\"threat_label\":null,\"inconsistent\":false,"
    "\"permalink\":\"" LINK_A "\",\"source\":\"api\",\"origin\":null,\"pids\":null,"
    "\"names\":null,\"deleted\":null,\"user_writable\":null,\"error\":null,"
    "\"package\":null,\"package_version\":null,\"packaged\":null,\"referrer\":null,\"last_analysis\":null,\"stale\":false}",
    "/home/ada/quarterly.txt,,,,," SHA_A ",25,file,flagged,allow,below-threshold,0,2,58,4,64,,false,"
    LINK_A ",api,,,,,,,,,,,,false",
  },
};

static void
test_golden (gconstpointer data)
{
  const Golden *golden = data;
  g_autoptr(CfReport) report = NULL;
  g_autoptr(CfCheck) check = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_autofree char *csv = NULL;
  const CfFormatRow *row = golden->row.path != NULL || golden->row.host != NULL ? &golden->row : NULL;

  if (golden->has_report)
    {
      report = make_report (golden->entry.sha256, golden->stats[0], golden->stats[1],
                            golden->stats[2], golden->stats[3], golden->threat_label);
      report->inconsistent = golden->inconsistent;
      if (golden->inconsistent)
        {
          /* The summary said one; the engine list, the worse, says them all. */
          report->reported_stats.malicious = 1;
          report->listed_stats.malicious = golden->stats[0];
        }
    }
  check = cf_check_new_from_history (&golden->entry, report);

  text = cf_format_check (CF_FORMAT_TEXT, check, row);
  json = cf_format_check (CF_FORMAT_JSON, check, row);
  csv = cf_format_check (CF_FORMAT_CSV, check, row);

  g_assert_cmpstr (text, ==, golden->text);
  if (golden->json != NULL)
    g_assert_cmpstr (json, ==, golden->json);
  g_assert_cmpstr (csv, ==, golden->csv);

  /* Whatever the strings held, one line each. */
  g_assert_null (strchr (text, '\n'));
  g_assert_null (strchr (json, '\n'));
  g_assert_null (strchr (csv, '\n'));
  g_assert_null (strchr (text, '\033'));
  g_assert_null (strchr (csv, '\033'));
}

/* The JSON members are the CSV columns, in the same order: one schema. */
static void
test_one_schema (void)
{
  const Golden *golden = &goldens[0];
  g_autoptr(CfReport) report = make_report (SHA_A, 1, 0, 0, 0, NULL);
  g_autoptr(CfCheck) check = cf_check_new_from_history (&golden->entry, report);
  g_autofree char *json = cf_format_check (CF_FORMAT_JSON, check, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) columns = g_strsplit (cf_format_csv_header (), ",", -1);
  g_autoptr(GList) members = NULL;
  guint i = 0;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  members = json_object_get_members (json_node_get_object (json_parser_get_root (parser)));
  for (GList *l = members; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, columns[i]);
  g_assert_cmpuint (i, ==, g_strv_length (columns));
  g_assert_cmpstr (columns[0], ==, "path");
  g_assert_cmpstr (columns[i - 1], ==, "stale");
}

/* An old verdict is said with its age, and marked old, in every form;
 * a young one is not. */
static void
test_stale_row (void)
{
  const CfHistoryEntry entry = {
    .path = (char *) "/home/ada/bin/tool", .sha256 = (char *) SHA_A, .time = 1000,
    .status = (char *) "clean", .decision = (char *) "allow", .reason = (char *) "clean",
    .size = 10, .source = (char *) "cache", .kind = (char *) "file",
  };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 analysed = now - 100 * 86400;
  g_autoptr(CfReport) report = make_report (SHA_A, 0, 0, 60, 6, NULL);
  g_autoptr(CfReport) young_report = make_report (SHA_A, 0, 0, 60, 6, NULL);
  g_autoptr(CfCheck) old = NULL;
  g_autoptr(CfCheck) young = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *young_text = NULL;
  g_autofree char *expected_json = NULL;
  g_autofree char *expected_csv = NULL;

  report->last_analysis_date = analysed;
  young_report->last_analysis_date = now - 3 * 86400;
  old = cf_check_new_from_history (&entry, report);
  young = cf_check_new_from_history (&entry, young_report);

  text = cf_format_check (CF_FORMAT_TEXT, old, NULL);
  json = cf_format_check (CF_FORMAT_JSON, old, NULL);
  csv = cf_format_check (CF_FORMAT_CSV, old, NULL);
  young_text = cf_format_check (CF_FORMAT_TEXT, young, NULL);

  g_assert_cmpstr (text, ==, "allowed    /home/ada/bin/tool  No engine flagged it · 0/66 · last analysed "
                             "3 months ago · Malicious 0 · Suspicious 0");
  expected_json = g_strdup_printf ("\"packaged\":null,\"referrer\":null,\"last_analysis\":%" G_GINT64_FORMAT ",\"stale\":true}",
                                   analysed);
  g_assert_true (g_str_has_suffix (json, expected_json));
  expected_csv = g_strdup_printf (",,,,%" G_GINT64_FORMAT ",true", analysed);
  g_assert_true (g_str_has_suffix (csv, expected_csv));
  g_assert_cmpstr (young_text, ==, "allowed    /home/ada/bin/tool  No engine flagged it · 0/66 · Malicious 0 · "
                                   "Suspicious 0");
}

/* A line of a list that is no hash: an error row naming the problem. */
static void
test_failed_row (void)
{
  g_autoptr(CfCheck) check = cf_check_new_failed (CF_CHECK_KIND_HASH, NULL,
                                                  g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                                                       "line 3: not a hash"));
  CfFormatRow row = CF_FORMAT_ROW_INIT;
  g_autofree char *text = cf_format_check (CF_FORMAT_TEXT, check, &row);
  g_autofree char *csv = cf_format_check (CF_FORMAT_CSV, check, &row);

  g_assert_cmpstr (text, ==, "error      input  line 3: not a hash");
  g_assert_cmpstr (csv, ==, ",,,,,,,hash,error,block,error,0,0,0,0,0,,false,,,,,,,,line 3: not a hash,,,,,,false");
}

/* Export Report: the row and the whole report, one indented document. */
static void
test_report_document (void)
{
  const Golden *golden = &goldens[0];
  g_autoptr(CfReport) report = make_report (SHA_A, 12, 1, 50, 7, "trojan.generic/agent");
  g_autoptr(CfCheck) check = NULL;
  g_autoptr(CfCheck) bare = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *document = NULL;
  g_autofree char *bare_document = NULL;
  JsonObject *root, *row, *attributes;

  report->times_submitted = 12;
  report->votes_malicious = 4;
  report->votes_harmless = 0;
  report->threat_category = g_strdup ("trojan");
  /* Server text is escaped as in every row: no terminal control, no direction override. */
  report->type_description = g_strdup ("ELF\033[2J\xe2\x80\xaegpj.exe");
  check = cf_check_new_from_history (&golden->entry, report);
  document = cf_format_report_document (check);
  g_assert_nonnull (strchr (document, '\n'));
  g_assert_null (strchr (document, '\033'));
  g_assert_null (strstr (document, "\xe2\x80\xae"));
  g_assert_nonnull (strstr (document, "\\u202e"));

  g_assert_true (json_parser_load_from_data (parser, document, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  row = json_object_get_object_member (root, "check");
  g_assert_cmpstr (json_object_get_string_member (row, "path"), ==, "/home/ada/Downloads/setup.exe");
  g_assert_cmpstr (json_object_get_string_member (row, "status"), ==, "detected");
  g_assert_cmpint (json_object_get_int_member (row, "malicious"), ==, 12);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "report"), "id"),
                   ==, SHA_A);
  attributes = json_object_get_object_member (json_object_get_object_member (root, "report"), "attributes");
  g_assert_cmpstr (json_object_get_string_member (attributes, "type_description"), ==,
                   "ELF\033[2J\xe2\x80\xaegpj.exe");
  g_assert_cmpint (json_object_get_int_member (attributes, "times_submitted"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (attributes, "total_votes"),
                                               "malicious"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (attributes, "last_analysis_stats"),
                                               "malicious"), ==, 12);

  /* No report (an unknown file): the row, and a null. */
  bare = cf_check_new_from_history (&goldens[3].entry, NULL);
  bare_document = cf_format_report_document (bare);
  g_assert_true (json_parser_load_from_data (parser, bare_document, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_null_member (root, "report"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "check"), "status"),
                   ==, "unknown");
}

/* How old a verdict is, in the unit a person uses for it. */
static void
test_age (void)
{
  static const struct { gint64 seconds; const char *words; } cases[] = {
    { -30, "just now" },
    { 0, "just now" },
    { 59, "just now" },
    { 60, "1 minute ago" },
    { 3599, "59 minutes ago" },
    { 3600, "1 hour ago" },
    { 86399, "23 hours ago" },
    { 86400, "1 day ago" },
    { 59 * 86400, "59 days ago" },
    { 60 * 86400, "2 months ago" },
    { 729 * 86400, "24 months ago" },
    { 730 * 86400, "2 years ago" },
  };
  gint64 now = 1800000000;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *words = cf_format_age (now - cases[i].seconds, now);

      g_assert_cmpstr (words, ==, cases[i].words);
    }
}

/* A progress line cut to a terminal's width: by cells, wide characters
 * taking two, ending in an ellipsis when cut. */
static void
test_fit (void)
{
  static const struct { const char *text; guint columns; const char *fitted; } cases[] = {
    { "short", 10, "short" },
    { "exactly10!", 10, "exactly10!" },
    { "eleven cells", 10, "eleven ce\xe2\x80\xa6" },
    { "\xe6\x96\x87\xe6\x9b\xb8\xe6\x96\x87\xe6\x9b\xb8", 5, "\xe6\x96\x87\xe6\x9b\xb8\xe2\x80\xa6" },
    { "e\xcc\x81t\xc3\xa9 long", 4, "e\xcc\x81t\xc3\xa9\xe2\x80\xa6" },
    { "anything", 0, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *fitted = cf_display_fit (cases[i].text, cases[i].columns);

      g_assert_cmpstr (fitted, ==, cases[i].fitted);
      g_assert_cmpuint (cf_display_width (fitted), <=, cases[i].columns);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (goldens); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cf/format/golden/%u", i);

      g_test_add_data_func (path, &goldens[i], test_golden);
    }
  g_test_add_func ("/cf/format/one-schema", test_one_schema);
  g_test_add_func ("/cf/format/stale-row", test_stale_row);
  g_test_add_func ("/cf/format/failed-row", test_failed_row);
  g_test_add_func ("/cf/format/report-document", test_report_document);
  g_test_add_func ("/cf/format/age", test_age);
  g_test_add_func ("/cf/format/fit", test_fit);

  return g_test_run ();
}
