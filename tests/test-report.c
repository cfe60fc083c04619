/* test-report.c: the report parser on realistic, partial and broken replies
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-report.h"
#include "cf-vt-error.h"

#define EICAR_SHA256 "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"

static const char eicar_report[] =
  "{\"data\": {\"id\": \"" EICAR_SHA256 "\", \"type\": \"file\", \"links\": {\"self\": \"x\"},"
  " \"attributes\": {\"md5\": \"44D88612FEA8A8F36DE82E1278ABB02F\","
  " \"sha1\": \"3395856ce81f2b7382dee72602f798b642f14140\", \"sha256\": \"" EICAR_SHA256 "\","
  " \"size\": 68, \"type_description\": \"Text\", \"meaningful_name\": \"eicar.com\","
  " \"names\": [\"eicar.com\", \"eicar.txt\", 7], \"first_submission_date\": 1148301722,"
  " \"last_analysis_date\": 1795000000, \"reputation\": -1200,"
  " \"total_votes\": {\"harmless\": 1, \"malicious\": 9},"
  " \"exiftool\": {\"whatever\": [1, 2, {\"deep\": null}]},"
  " \"last_analysis_stats\": {\"malicious\": 62, \"suspicious\": 1, \"undetected\": 3, \"harmless\": 1,"
  "   \"timeout\": 0, \"confirmed-timeout\": 2, \"type-unsupported\": 4, \"failure\": 1},"
  " \"last_analysis_results\": {"
  "   \"Zeta\": {\"category\": \"undetected\", \"engine_name\": \"Zeta\", \"engine_version\": \"1\","
  "              \"engine_update\": \"20261120\", \"method\": \"blacklist\", \"result\": null},"
  "   \"Alpha\": {\"category\": \"malicious\", \"engine_name\": \"Alpha\", \"engine_version\": \"2.0\","
  "              \"engine_update\": \"20261119\", \"method\": \"blacklist\", \"result\": \"EICAR-Test-File\"},"
  "   \"Beta\": {\"category\": \"suspicious\", \"result\": \"Heur.Test\"},"
  "   \"Broken\": 17"
  " },"
  " \"popular_threat_classification\": {\"suggested_threat_label\": \"virus.eicar/test\","
  "   \"popular_threat_category\": [{\"count\": 9, \"value\": \"virus\"}, {\"count\": 2, \"value\": \"trojan\"}],"
  "   \"popular_threat_name\": [{\"count\": 7, \"value\": \"eicar\"}, {\"count\": 3, \"value\": \"test\"}, 5]},"
  " \"last_submission_date\": 1794990000, \"times_submitted\": 41237,"
  " \"sandbox_verdicts\": {"
  "   \"Zenbox\": {\"category\": \"malicious\", \"sandbox_name\": \"Zenbox\", \"confidence\": 90,"
  "                \"malware_classification\": [\"MALWARE\", \"TROJAN\"], \"malware_names\": [\"EICAR\"]},"
  "   \"C2AE\": {\"category\": \"harmless\", \"malware_classification\": [\"CLEAN\"], \"confidence\": 400},"
  "   \"Junk\": [1]"
  " }"
  "}}}";

static void
test_realistic (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfReport) report = cf_report_parse (eicar_report, strlen (eicar_report), &error);
  const CfEngineResult *engine;

  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpstr (report->sha256, ==, EICAR_SHA256);
  g_assert_cmpstr (report->md5, ==, "44d88612fea8a8f36de82e1278abb02f");
  g_assert_cmpstr (report->sha1, ==, "3395856ce81f2b7382dee72602f798b642f14140");
  g_assert_cmpint (report->size, ==, 68);
  g_assert_cmpstr (report->type_description, ==, "Text");
  g_assert_cmpstr (report->meaningful_name, ==, "eicar.com");
  g_assert_cmpuint (g_strv_length (report->names), ==, 2);
  g_assert_cmpint (report->first_submission_date, ==, 1148301722);
  g_assert_cmpint (report->last_analysis_date, ==, 1795000000);
  g_assert_cmpint (report->reputation, ==, -1200);
  g_assert_cmpstr (report->threat_label, ==, "virus.eicar/test");
  g_assert_cmpint (report->stats.malicious, ==, 62);
  g_assert_cmpint (report->stats.suspicious, ==, 1);
  g_assert_cmpint (report->stats.undetected, ==, 3);
  g_assert_cmpint (report->stats.harmless, ==, 1);
  g_assert_cmpint (report->stats.confirmed_timeout, ==, 2);
  g_assert_cmpint (report->stats.type_unsupported, ==, 4);
  g_assert_cmpint (report->stats.failure, ==, 1);
  g_assert_cmpint (cf_stats_engines (&report->stats), ==, 67);

  /* Malicious first, then suspicious, then the rest by name; junk skipped. */
  g_assert_cmpuint (report->engines->len, ==, 3);
  engine = g_ptr_array_index (report->engines, 0);
  g_assert_cmpstr (engine->engine, ==, "Alpha");
  g_assert_cmpstr (engine->category, ==, "malicious");
  g_assert_cmpstr (engine->result, ==, "EICAR-Test-File");
  g_assert_cmpstr (engine->version, ==, "2.0");
  g_assert_cmpstr (engine->update, ==, "20261119");
  engine = g_ptr_array_index (report->engines, 1);
  g_assert_cmpstr (engine->engine, ==, "Beta");
  engine = g_ptr_array_index (report->engines, 2);
  g_assert_cmpstr (engine->engine, ==, "Zeta");
  g_assert_null (engine->result);
}

/* What a person reads about a file beyond the engines: the threat's names,
 * how often it was submitted, what the community and the sandboxes say. */
static void
check_report_details (const CfReport *report)
{
  const CfSandboxVerdict *sandbox;

  g_assert_cmpint (report->last_submission_date, ==, 1794990000);
  g_assert_cmpint (report->times_submitted, ==, 41237);
  g_assert_cmpint (report->votes_harmless, ==, 1);
  g_assert_cmpint (report->votes_malicious, ==, 9);
  g_assert_cmpstr (report->threat_category, ==, "virus");
  g_assert_nonnull (report->threat_names);
  g_assert_cmpuint (g_strv_length (report->threat_names), ==, 2);
  g_assert_cmpstr (report->threat_names[0], ==, "eicar");
  g_assert_cmpstr (report->threat_names[1], ==, "test");

  /* By name; what is not a verdict is left out; a confidence above 100 is none. */
  g_assert_cmpuint (report->sandboxes->len, ==, 2);
  sandbox = g_ptr_array_index (report->sandboxes, 0);
  g_assert_cmpstr (sandbox->sandbox, ==, "C2AE");
  g_assert_cmpstr (sandbox->category, ==, "harmless");
  g_assert_cmpint (sandbox->confidence, ==, -1);
  g_assert_cmpuint (g_strv_length (sandbox->classification), ==, 1);
  g_assert_cmpuint (g_strv_length (sandbox->malware_names), ==, 0);
  sandbox = g_ptr_array_index (report->sandboxes, 1);
  g_assert_cmpstr (sandbox->sandbox, ==, "Zenbox");
  g_assert_cmpstr (sandbox->category, ==, "malicious");
  g_assert_cmpint (sandbox->confidence, ==, 90);
  g_assert_cmpstr (sandbox->classification[0], ==, "MALWARE");
  g_assert_cmpstr (sandbox->classification[1], ==, "TROJAN");
  g_assert_null (sandbox->classification[2]);
  g_assert_cmpstr (sandbox->malware_names[0], ==, "EICAR");
}

static void
test_details (void)
{
  g_autoptr(CfReport) report = cf_report_parse (eicar_report, strlen (eicar_report), NULL);

  g_assert_nonnull (report);
  check_report_details (report);
}

/* A report that says none of it: nothing is made up. */
static void
test_details_absent (void)
{
  const char *json = "{\"data\": {\"id\": \"" EICAR_SHA256 "\", \"attributes\": {}}}";
  g_autoptr(CfReport) report = cf_report_parse (json, strlen (json), NULL);
  g_autoptr(CfReport) again = NULL;
  g_autofree char *saved = NULL;

  g_assert_nonnull (report);
  g_assert_cmpint (report->times_submitted, ==, -1);
  g_assert_cmpint (report->votes_harmless, ==, -1);
  g_assert_cmpint (report->votes_malicious, ==, -1);
  g_assert_null (report->threat_category);
  g_assert_cmpuint (g_strv_length (report->threat_names), ==, 0);
  g_assert_cmpuint (report->sandboxes->len, ==, 0);

  saved = cf_report_to_json (report);
  again = cf_report_parse (saved, strlen (saved), NULL);
  g_assert_nonnull (again);
  g_assert_cmpint (again->times_submitted, ==, -1);
  g_assert_cmpint (again->votes_malicious, ==, -1);
  g_assert_cmpuint (again->sandboxes->len, ==, 0);
}

static void
test_round_trip (void)
{
  g_autoptr(CfReport) report = cf_report_parse (eicar_report, strlen (eicar_report), NULL);
  g_autoptr(CfReport) again = NULL;
  g_autofree char *json = NULL;

  json = cf_report_to_json (report);
  again = cf_report_parse (json, strlen (json), NULL);
  g_assert_nonnull (again);
  g_assert_cmpstr (again->sha256, ==, report->sha256);
  g_assert_cmpstr (again->md5, ==, report->md5);
  g_assert_cmpstr (again->threat_label, ==, report->threat_label);
  g_assert_cmpint (memcmp (&again->stats, &report->stats, sizeof report->stats), ==, 0);
  g_assert_cmpuint (again->engines->len, ==, report->engines->len);
  g_assert_cmpuint (g_strv_length (again->names), ==, g_strv_length (report->names));
  /* The cache keeps what the details page shows. */
  check_report_details (again);
}

/* Two entries naming one engine: the cache must count both, as the reply
 * did, or a reply it called inconsistent would read back as consistent. */
static void
test_round_trip_shared_name (void)
{
  const char *json =
    "{\"data\": {\"id\": \"" EICAR_SHA256 "\", \"attributes\": {"
    "\"last_analysis_stats\": {\"malicious\": 0, \"undetected\": 2},"
    "\"last_analysis_results\": {"
    "  \"x\": {\"engine_name\": \"Same\", \"category\": \"malicious\", \"result\": \"Bad\"},"
    "  \"y\": {\"engine_name\": \"Same\", \"category\": \"undetected\", \"result\": null}"
    "}}}}";
  g_autoptr(CfReport) report = cf_report_parse (json, strlen (json), NULL);
  g_autoptr(CfReport) again = NULL;
  g_autofree char *saved = NULL;

  g_assert_nonnull (report);
  g_assert_true (report->inconsistent);
  g_assert_cmpint (report->stats.malicious, ==, 1);

  saved = cf_report_to_json (report);
  again = cf_report_parse (saved, strlen (saved), NULL);
  g_assert_nonnull (again);
  g_assert_cmpuint (again->engines->len, ==, 2);
  g_assert_true (again->inconsistent);
  g_assert_cmpint (memcmp (&again->stats, &report->stats, sizeof report->stats), ==, 0);
}

static void
test_minimal (void)
{
  const char *json = "{\"data\": {\"id\": \"" EICAR_SHA256 "\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(CfReport) report = cf_report_parse (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (report->sha256, ==, EICAR_SHA256);
  g_assert_cmpint (report->size, ==, -1);
  g_assert_null (report->threat_label);
  g_assert_cmpint (cf_stats_engines (&report->stats), ==, 0);
  g_assert_cmpuint (report->engines->len, ==, 0);
}

static const char *broken[] = {
  "",
  "{",
  "{\"data\": {\"id\": \"" EICAR_SHA256 "\", \"attributes\": {",
  "<html><body>Service Unavailable</body></html>",
  "[]",
  "null",
  "{\"data\": []}",
  "{\"data\": {\"id\": 42}}",
  "{\"data\": {\"id\": \"not-a-hash\"}}",
  "{\"error\": {\"code\": \"NotFoundError\"}}",
};

static void
test_broken (gconstpointer data)
{
  const char *json = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CfReport) report = cf_report_parse (json, strlen (json), &error);

  g_assert_null (report);
  g_assert_error (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE);
}

static void
test_wrong_types (void)
{
  const char *json =
    "{\"data\": {\"id\": \"" EICAR_SHA256 "\", \"attributes\": {\"size\": \"big\", \"names\": 3,"
    " \"last_analysis_stats\": {\"malicious\": -5, \"suspicious\": 1e300, \"undetected\": \"7\","
    " \"harmless\": 99999999999999}, \"last_analysis_results\": [],"
    " \"popular_threat_classification\": \"x\", \"md5\": \"zz\"}}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(CfReport) report = cf_report_parse (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_cmpint (report->size, ==, -1);
  g_assert_cmpint (report->stats.malicious, ==, 0);
  g_assert_cmpint (report->stats.suspicious, ==, 0);
  g_assert_cmpint (report->stats.undetected, ==, 0);
  g_assert_cmpint (report->stats.harmless, <=, 100000);
  g_assert_null (report->md5);
}

static void
test_analysis (void)
{
  const char *queued =
    "{\"data\": {\"type\": \"analysis\", \"id\": \"abc==\", \"attributes\": {\"status\": \"queued\","
    " \"stats\": {}, \"results\": {}}}, \"meta\": {\"file_info\": {\"sha256\": \"" EICAR_SHA256 "\"}}}";
  const char *completed =
    "{\"data\": {\"type\": \"analysis\", \"id\": \"abc==\", \"attributes\": {\"status\": \"completed\","
    " \"date\": 1795000000, \"stats\": {\"malicious\": 2, \"undetected\": 60},"
    " \"results\": {\"A\": {\"category\": \"malicious\", \"result\": \"Bad\"}}}},"
    " \"meta\": {\"file_info\": {\"sha256\": \"" EICAR_SHA256 "\", \"size\": 68}}}";
  const char *odd = "{\"data\": {\"id\": \"x\", \"attributes\": {\"status\": \"exploded\"}}}";
  g_autoptr(CfAnalysis) analysis = NULL;
  g_autoptr(GError) error = NULL;

  analysis = cf_analysis_parse (queued, strlen (queued), &error);
  g_assert_no_error (error);
  g_assert_cmpint (analysis->status, ==, CF_ANALYSIS_QUEUED);
  g_assert_cmpstr (analysis->id, ==, "abc==");
  g_clear_pointer (&analysis, cf_analysis_free);

  analysis = cf_analysis_parse (completed, strlen (completed), &error);
  g_assert_no_error (error);
  g_assert_cmpint (analysis->status, ==, CF_ANALYSIS_COMPLETED);
  g_assert_cmpstr (analysis->report->sha256, ==, EICAR_SHA256);
  g_assert_cmpint (analysis->report->stats.malicious, ==, 2);
  g_assert_cmpint (analysis->report->size, ==, 68);
  g_assert_cmpuint (analysis->report->engines->len, ==, 1);
  g_clear_pointer (&analysis, cf_analysis_free);

  analysis = cf_analysis_parse (odd, strlen (odd), &error);
  g_assert_null (analysis);
  g_assert_error (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE);
}

static void
test_upload_replies (void)
{
  const char *reply = "{\"data\": {\"type\": \"analysis\", \"id\": \"NjY0MjRlOTFjMDIyYTkyNWM0NjU2NWQzYWNlMzFmZmI6MTQ3NTA0ODI3Nw==\"}}";
  const char *url = "{\"data\": \"https://www.virustotal.com/_ah/upload/AMmfu6b/\"}";
  const char *bad_url = "{\"data\": 12}";
  g_autoptr(GError) error = NULL;
  g_autofree char *id = cf_upload_reply_parse (reply, strlen (reply), &error);
  g_autofree char *parsed_url = NULL;
  g_autofree char *none = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "NjY0MjRlOTFjMDIyYTkyNWM0NjU2NWQzYWNlMzFmZmI6MTQ3NTA0ODI3Nw==");
  parsed_url = cf_upload_url_parse (url, strlen (url), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed_url, ==, "https://www.virustotal.com/_ah/upload/AMmfu6b/");
  none = cf_upload_url_parse (bad_url, strlen (bad_url), &error);
  g_assert_null (none);
  g_assert_error (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE);
}

typedef struct
{
  guint       status;
  const char *body;
  int         expected;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { 404, "{\"error\": {\"code\": \"NotFoundError\", \"message\": \"x\"}}", CF_VT_ERROR_NOT_FOUND },
  { 401, "{\"error\": {\"code\": \"WrongCredentialsError\"}}", CF_VT_ERROR_WRONG_KEY },
  { 401, "{\"error\": {\"code\": \"AuthenticationRequiredError\"}}", CF_VT_ERROR_NO_KEY },
  { 403, "{\"error\": {\"code\": \"ForbiddenError\"}}", CF_VT_ERROR_FORBIDDEN },
  { 429, "{\"error\": {\"code\": \"QuotaExceededError\"}}", CF_VT_ERROR_QUOTA },
  { 429, "{\"error\": {\"code\": \"TooManyRequestsError\"}}", CF_VT_ERROR_QUOTA },
  { 503, "{\"error\": {\"code\": \"TransientError\"}}", CF_VT_ERROR_TRANSIENT },
  { 504, "{\"error\": {\"code\": \"DeadlineExceededError\"}}", CF_VT_ERROR_TRANSIENT },
  { 400, "{\"error\": {\"code\": \"InvalidArgumentError\"}}", CF_VT_ERROR_BAD_REQUEST },
  { 413, "<html>Request Entity Too Large</html>", CF_VT_ERROR_TOO_LARGE },
  { 502, "<html>Bad Gateway</html>", CF_VT_ERROR_TRANSIENT },
  { 418, "teapot", CF_VT_ERROR_BAD_RESPONSE },
  { 429, "", CF_VT_ERROR_QUOTA },
  /* The code decides, not the message or the status. */
  { 400, "{\"error\": {\"code\": \"NotFoundError\", \"message\": \"QuotaExceededError\"}}", CF_VT_ERROR_NOT_FOUND },
};

static void
test_error_envelope (gconstpointer data)
{
  const ErrorCase *c = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_vt_error_from_response (c->status, c->body, strlen (c->body), &error));
  g_assert_error (error, CF_VT_ERROR, c->expected);
  g_assert_cmpstr (error->message, !=, "");
}

/* A reply nested deeper than any real one is refused, not recursed into. */
static void
test_deep_nesting (void)
{
  gsize depth = 200000;
  g_autofree char *json = g_malloc (depth * 2 + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(CfReport) report = NULL;
  const char *fine = "{\"data\": {\"id\": \"" EICAR_SHA256 "\", \"attributes\": {\"x\": [[[[\"]]]]\"]]]]}}}";

  memset (json, '[', depth);
  memset (json + depth, ']', depth);
  json[depth * 2] = '\0';

  report = cf_report_parse (json, depth * 2, &error);
  g_assert_null (report);
  g_assert_error (error, CF_VT_ERROR, CF_VT_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  g_assert_true (cf_vt_error_from_response (500, json, 60000, &error));
  g_clear_error (&error);

  /* One document only, and no broken surrogate pairs: json-glib leaks on
   * both. */
  g_assert_false (cf_json_shape_ok ("{}{}", strlen ("{}{}")));
  g_assert_false (cf_json_shape_ok ("{} x", strlen ("{} x")));
  g_assert_true (cf_json_shape_ok ("{} \n", strlen ("{} \n")));
  g_assert_false (cf_json_shape_ok ("{\"a\": \"\\ud800\\ud800\"}", strlen ("{\"a\": \"\\ud800\\ud800\"}")));
  g_assert_false (cf_json_shape_ok ("{\"a\": \"\\udc00\"}", strlen ("{\"a\": \"\\udc00\"}")));
  g_assert_true (cf_json_shape_ok ("{\"a\": \"\\ud83d\\ude00\"}", strlen ("{\"a\": \"\\ud83d\\ude00\"}")));
  g_assert_false (cf_json_shape_ok ("\"text\"", strlen ("\"text\"")));

  /* Brackets inside strings do not count. */
  g_assert_true (cf_json_shape_ok (fine, strlen (fine)));
  report = cf_report_parse (fine, strlen (fine), &error);
  g_assert_no_error (error);
}

static void
test_success_is_not_error (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cf_vt_error_from_response (200, "{}", 2, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cf/report/realistic", test_realistic);
  g_test_add_func ("/cf/report/details", test_details);
  g_test_add_func ("/cf/report/details/absent", test_details_absent);
  g_test_add_func ("/cf/report/round-trip", test_round_trip);
  g_test_add_func ("/cf/report/round-trip/shared-name", test_round_trip_shared_name);
  g_test_add_func ("/cf/report/minimal", test_minimal);
  g_test_add_func ("/cf/report/wrong-types", test_wrong_types);
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cf/report/broken/%u", i);
      g_test_add_data_func (name, broken[i], test_broken);
    }
  g_test_add_func ("/cf/report/analysis", test_analysis);
  g_test_add_func ("/cf/report/upload-replies", test_upload_replies);
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cf/report/error-envelope/%u", i);
      g_test_add_data_func (name, &error_cases[i], test_error_envelope);
    }
  g_test_add_func ("/cf/report/success-is-not-error", test_success_is_not_error);
  g_test_add_func ("/cf/report/deep-nesting", test_deep_nesting);

  return g_test_run ();
}
