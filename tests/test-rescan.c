/* test-rescan.c: old verdicts said with their age, and analysed again when asked
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fake server keeps a file whose last analysis is 100 days old.  A
 * check says so; --rescan and the session's rescan ask for a new analysis
 * (POST /files/{id}/analyse), poll it to its end through the request
 * budget, believe it only when it is about the file, and decide on it.
 * With the setting on, a file about to be opened is analysed again first
 * when its clean verdict is old.
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "cf-session.h"
#include "cf-test-util.h"

#define OLD "clean,analysed-days-ago:100"

/* ------------------------------------------------------------------ */
/* The command line                                                     */
/* ------------------------------------------------------------------ */

typedef struct
{
  CfFakeVt  *server;
  char      *tmpdir;
  char      *data_home;
  char     **env;
  char      *file;
  char      *sha256;
} Cli;

static void
cli_set_up (Cli           *c,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  c->server = cf_test_fake_vt_new ();
  c->tmpdir = cf_test_make_tmpdir ();
  c->data_home = g_build_filename (c->tmpdir, "home", NULL);
  c->env = cf_test_cli_env (c->server, c->data_home, CF_TEST_KEY);
  /* Three analyses in a minute, the public plan's four a minute: never a
   * wait, never more. */
  contents = g_strdup_printf ("#!/bin/sh\n# %" G_GINT64_FORMAT "\n", g_get_real_time ());
  c->file = cf_test_write_file (c->tmpdir, "tool.sh", contents, -1, 0755);
  c->sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, contents, -1);
  g_assert_true (cf_fake_vt_register_file (c->server, c->file, OLD, &error));
  cf_fake_vt_set_analysis_polls (c->server, 1, 0);
  /* What the fake allows is what the client keeps to: any request more in
   * the minute would be a 429. */
  cf_fake_vt_set_quota_per_minute (c->server, 4);
}

static void
cli_tear_down (Cli           *c,
               gconstpointer  data)
{
  g_clear_object (&c->server);
  cf_test_rm_rf (c->tmpdir);
  g_free (c->tmpdir);
  g_free (c->data_home);
  g_strfreev (c->env);
  g_free (c->file);
  g_free (c->sha256);
}

static JsonObject *
only_item (CfTestRun *run)
{
  g_autoptr(GPtrArray) items = cf_test_parse_json_lines (run->out);

  g_assert_cmpuint (items->len, ==, 1);
  return json_object_ref (items->pdata[0]);
}

/* An old verdict says how old; --rescan has it analysed again, polls the
 * analysis to its end, and the new verdict is the one that counts. */
static void
test_cli_rescan (Cli           *c,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfTestRun) check = cf_test_run_cli (c->env, NULL, "--check", "--json", c->file, NULL);
  g_autoptr(CfTestRun) text = NULL;
  g_autoptr(CfTestRun) rescan = NULL;
  g_autoptr(JsonObject) old = only_item (check);
  g_autoptr(JsonObject) fresh = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_cmpint (check->status, ==, 0);
  g_assert_true (json_object_get_boolean_member (old, "stale"));
  g_assert_cmpint (json_object_get_int_member (old, "last_analysis"), <=, now - 99 * 86400);
  g_assert_cmpint (json_object_get_int_member (old, "last_analysis"), >=, now - 101 * 86400);
  g_assert_cmpstr (json_object_get_string_member (old, "status"), ==, "clean");

  /* In words, with its age, from the cache. */
  text = cf_test_run_cli (c->env, NULL, "--check", c->file, NULL);
  g_assert_nonnull (strstr (text->out, "No engine flagged it · 0/64 · last analysed 3 months ago"));
  g_assert_cmpuint (cf_fake_vt_get_count (c->server, "lookups"), ==, 1);

  /* Engines have learned something since. */
  g_assert_true (cf_fake_vt_register_hash (c->server, c->sha256, "malicious:3", &error));
  rescan = cf_test_run_cli (c->env, NULL, "--rescan", "--json", c->file, NULL);
  g_assert_cmpint (rescan->status, ==, 1);
  fresh = only_item (rescan);
  g_assert_cmpstr (json_object_get_string_member (fresh, "status"), ==, "detected");
  g_assert_cmpstr (json_object_get_string_member (fresh, "source"), ==, "rescan");
  g_assert_cmpint (json_object_get_int_member (fresh, "malicious"), ==, 3);
  g_assert_false (json_object_get_boolean_member (fresh, "stale"));
  g_assert_cmpint (json_object_get_int_member (fresh, "last_analysis"), >=, now - 60);
  g_assert_cmpstr (json_object_get_string_member (fresh, "sha256"), ==, c->sha256);

  /* One request to ask, polls to its end, nothing looked up again, and
   * never more than the budget. */
  g_assert_cmpuint (cf_fake_vt_get_count (c->server, "rescans"), ==, 1);
  g_assert_cmpuint (cf_fake_vt_get_count (c->server, "analysis_polls"), ==, 2);
  g_assert_cmpuint (cf_fake_vt_get_count (c->server, "lookups"), ==, 1);
  g_assert_cmpuint (cf_fake_vt_get_count (c->server, "429"), ==, 0);

  /* The new verdict is the cache's now. */
  {
    g_autoptr(CfTestRun) again = cf_test_run_cli (c->env, NULL, "--check", "--json", c->file, NULL);
    g_autoptr(JsonObject) cached = only_item (again);

    g_assert_cmpstr (json_object_get_string_member (cached, "status"), ==, "detected");
    g_assert_cmpstr (json_object_get_string_member (cached, "source"), ==, "cache");
    g_assert_false (json_object_get_boolean_member (cached, "stale"));
  }
}

/* By hash, for a file elsewhere; one VirusTotal does not know cannot be
 * analysed again, and an unknown file stays what it was. */
static void
test_cli_rescan_hash (Cli           *c,
                      gconstpointer  data)
{
  g_autofree char *unknown = NULL;
  g_autoptr(CfTestRun) by_hash = NULL;
  g_autoptr(CfTestRun) never = NULL;
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(JsonObject) unknown_item = NULL;

  /* More than four requests, and no budget to keep: not what is tested here. */
  cf_fake_vt_set_quota_per_minute (c->server, 0);
  unknown = cf_test_write_file (c->tmpdir, "new.bin", "never seen", -1, 0644);
  by_hash = cf_test_run_cli (c->env, NULL, "--rescan", "--json", "--rate=0", c->sha256, NULL);
  never = cf_test_run_cli (c->env, NULL, "--rescan", "--json", "--rate=0", unknown, NULL);
  item = only_item (by_hash);
  unknown_item = only_item (never);

  g_assert_cmpstr (json_object_get_string_member (item, "kind"), ==, "hash");
  g_assert_cmpstr (json_object_get_string_member (item, "source"), ==, "rescan");
  g_assert_false (json_object_get_boolean_member (item, "stale"));
  g_assert_cmpstr (json_object_get_string_member (unknown_item, "status"), ==, "unknown");
  g_assert_cmpuint (cf_fake_vt_get_count (c->server, "rescans"), ==, 1);
}

/* Known to the cache, but no longer to VirusTotal: said plainly. */
static void
test_cli_rescan_forgotten (Cli           *c,
                           gconstpointer  data)
{
  g_autoptr(CfFakeVt) other = cf_test_fake_vt_new ();
  g_autoptr(CfTestRun) check = cf_test_run_cli (c->env, NULL, "--check", c->file, NULL);
  g_auto(GStrv) env = NULL;
  g_autofree char *url = cf_fake_vt_get_base_url (other);
  g_autoptr(CfTestRun) rescan = NULL;

  env = g_environ_setenv (g_strdupv (c->env), "CHECK_FIRST_API_URL", url, TRUE);
  rescan = cf_test_run_cli (env, NULL, "--rescan", c->file, NULL);
  g_assert_cmpint (rescan->status, ==, 2);
  g_assert_nonnull (strstr (rescan->out, "VirusTotal does not know this file, so it cannot analyse it again."));
  g_assert_nonnull (strstr (rescan->err, "cannot analyse it again"));
  g_assert_cmpuint (cf_fake_vt_get_count (other, "rescans"), ==, 1);
  cf_fake_vt_stop (other);
}

/* ------------------------------------------------------------------ */
/* In the session                                                       */
/* ------------------------------------------------------------------ */

typedef struct
{
  CfFakeVt  *server;
  char      *tmpdir;
  CfSession *session;
  char      *file;
  char      *sha256;
} Fixture;

static void
set_config (Fixture  *f,
            guint     per_minute,
            gboolean  rescan_stale,
            guint     stale_after_days)
{
  CfConfig config;

  cf_config_copy (&config, cf_session_get_config (f->session));
  g_free (config.api_url);
  config.api_url = cf_fake_vt_get_base_url (f->server);
  config.per_minute = per_minute;
  config.per_day = config.per_month = 0;
  config.premium_plan = TRUE;
  config.rescan_stale = rescan_stale;
  config.stale_after_days = stale_after_days;
  config.upload = CF_UPLOAD_NEVER;
  cf_session_set_config (f->session, &config);
  cf_config_clear (&config);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *contents = g_strdup_printf ("data %" G_GINT64_FORMAT "\n", g_get_real_time ());

  f->server = cf_test_fake_vt_new ();
  f->tmpdir = cf_test_make_tmpdir ();
  f->file = cf_test_write_file (f->tmpdir, "report.txt", contents, -1, 0644);
  f->sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, contents, -1);
  g_assert_true (cf_fake_vt_register_file (f->server, f->file, OLD, &error));
  cf_fake_vt_set_analysis_polls (f->server, 1, 1);

  db = g_build_filename (f->tmpdir, "check-first.db", NULL);
  f->session = cf_session_new (db, CF_SESSION_NONE, &error);
  g_assert_no_error (error);
  set_config (f, 0, FALSE, 30);
  cf_session_set_api_key (f->session, CF_TEST_KEY);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->server);
  cf_test_rm_rf (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->file);
  g_free (f->sha256);
}

static void
run_until_finished (CfCheck *check)
{
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;

  while (!cf_check_is_finished (check) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cf_check_is_finished (check));
}

static CfCheck *
check_to_open (Fixture *f)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->file);
  CfCheck *check = cf_session_check_file (f->session, file, CF_SESSION_CHECK_TO_LAUNCH);

  run_until_finished (check);
  return check;
}

/* The setting on: an old clean verdict of a file about to be opened is
 * analysed again first. */
static void
test_before_opening (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CfCheck) check = NULL;

  set_config (f, 0, TRUE, 30);
  check = check_to_open (f);
  g_assert_cmpint (cf_check_get_stage (check), ==, CF_CHECK_STAGE_DONE);
  g_assert_cmpint (cf_check_get_source (check), ==, CF_SOURCE_RESCAN);
  g_assert_cmpint (cf_check_get_reason (check), ==, CF_REASON_CLEAN);
  g_assert_false (cf_check_is_stale (check, g_get_real_time () / G_USEC_PER_SEC));
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "rescans"), ==, 1);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "analysis_polls"), ==, 3);
  /* Still the file it held from the start, ready to open. */
  g_assert_true (cf_session_verify_unchanged (f->session, check, NULL));
  cf_check_release_hold (check);
}

/* The setting off, or a verdict young enough, or not clean: decided at
 * once, an old one said to be old. */
static void
test_not_before_opening (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CfCheck) off = NULL;
  g_autoptr(CfCheck) young = NULL;
  g_autoptr(CfCheck) flagged = NULL;
  g_autoptr(CfCheck) never_old = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  off = check_to_open (f);
  g_assert_cmpint (cf_check_get_source (off), ==, CF_SOURCE_API);
  g_assert_true (cf_check_is_stale (off, now));
  cf_check_release_hold (off);

  set_config (f, 0, TRUE, 120);
  young = check_to_open (f);
  g_assert_cmpint (cf_check_get_source (young), ==, CF_SOURCE_CACHE);
  g_assert_false (cf_check_is_stale (young, now));
  cf_check_release_hold (young);

  set_config (f, 0, TRUE, 0);
  never_old = check_to_open (f);
  g_assert_false (cf_check_is_stale (never_old, now));
  cf_check_release_hold (never_old);

  /* An old detection stays a detection: blocked, not asked again. */
  cf_session_clear_cache (f->session);
  g_assert_true (cf_fake_vt_register_file (f->server, f->file, "malicious:4,analysed-days-ago:100", &error));
  set_config (f, 0, TRUE, 30);
  flagged = check_to_open (f);
  g_assert_cmpint (cf_check_get_decision (flagged), ==, CF_DECISION_BLOCK);
  g_assert_cmpint (cf_check_get_source (flagged), ==, CF_SOURCE_API);

  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "rescans"), ==, 0);
}

static void
on_wait (CfSession  *session,
         GParamSpec *pspec,
         gint64     *waited)
{
  gint64 until = 0;

  g_object_get (session, "wait-until", &until, NULL);
  if (until > 0)
    *waited = until;
}

/* A rescan is paced like any request: with two a minute, the poll after
 * the request and the first poll waits for the next minute. */
static void
test_paced (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->file);
  g_autoptr(CfCheck) check = NULL;
  gint64 waited = 0;
  gint64 deadline;

  check = cf_session_check_file (f->session, file, CF_SESSION_CHECK_NONE);
  run_until_finished (check);
  g_assert_true (cf_session_can_rescan (f->session, check));

  set_config (f, 2, FALSE, 30);
  g_signal_connect (f->session, "notify::wait-until", G_CALLBACK (on_wait), &waited);
  cf_session_rescan (f->session, check);
  g_assert_false (cf_check_is_finished (check));
  g_assert_true (cf_check_is_rescanning (check));

  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (waited == 0 && !cf_check_is_finished (check) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handlers_disconnect_by_data (f->session, &waited);

  /* The lookup, then the request to analyse: the minute's two; the poll
   * waits for the minute to move on. */
  g_assert_cmpint (waited, >, g_get_real_time ());
  g_assert_false (cf_check_is_finished (check));
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "requests"), ==, 2);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "rescans"), ==, 1);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "analysis_polls"), ==, 0);

  cf_check_cancel (check);
  run_until_finished (check);
  g_assert_cmpint (cf_check_get_stage (check), ==, CF_CHECK_STAGE_CANCELLED);
}

static void
on_stage_queued (CfCheck    *check,
                 GParamSpec *pspec,
                 Fixture    *f)
{
  if (cf_check_get_stage (check) == CF_CHECK_STAGE_ANALYSIS_QUEUED)
    {
      g_autofree char *other = g_strnfill (64, 'e');
      g_autofree char *fault = g_strconcat ("wrong-id:", other, NULL);

      /* The first poll's answer is about another file. */
      cf_fake_vt_push_fault (f->server, fault);
      g_signal_handlers_disconnect_by_func (check, on_stage_queued, f);
    }
}

/* The analysis must be about the file asked: another's is not believed. */
static void
test_about_the_file (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->file);
  g_autoptr(CfCheck) check = NULL;
  const GError *error;

  check = cf_session_check_file (f->session, file, CF_SESSION_CHECK_NONE);
  run_until_finished (check);
  g_signal_connect (check, "notify::stage", G_CALLBACK (on_stage_queued), f);
  cf_session_rescan (f->session, check);
  run_until_finished (check);

  g_assert_cmpint (cf_check_get_stage (check), ==, CF_CHECK_STAGE_FAILED);
  error = cf_check_get_error (check);
  g_assert_error ((GError *) error, CF_VT_ERROR, CF_VT_ERROR_MISMATCH);
  /* Nothing of it reached the cache: the old verdict is still there. */
  {
    g_autoptr(CfCheck) again = cf_session_check_file (f->session, file, CF_SESSION_CHECK_NONE);

    run_until_finished (again);
    g_assert_cmpint (cf_check_get_source (again), ==, CF_SOURCE_CACHE);
    g_assert_true (cf_check_is_stale (again, g_get_real_time () / G_USEC_PER_SEC));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cf/rescan/cli", Cli, NULL, cli_set_up, test_cli_rescan, cli_tear_down);
  g_test_add ("/cf/rescan/cli/hash", Cli, NULL, cli_set_up, test_cli_rescan_hash, cli_tear_down);
  g_test_add ("/cf/rescan/cli/forgotten", Cli, NULL, cli_set_up, test_cli_rescan_forgotten, cli_tear_down);
  g_test_add ("/cf/rescan/before-opening", Fixture, NULL, fixture_set_up, test_before_opening,
              fixture_tear_down);
  g_test_add ("/cf/rescan/not-before-opening", Fixture, NULL, fixture_set_up, test_not_before_opening,
              fixture_tear_down);
  g_test_add ("/cf/rescan/paced", Fixture, NULL, fixture_set_up, test_paced, fixture_tear_down);
  g_test_add ("/cf/rescan/about-the-file", Fixture, NULL, fixture_set_up, test_about_the_file,
              fixture_tear_down);

  return g_test_run ();
}
