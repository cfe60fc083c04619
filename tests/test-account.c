/* test-account.c: the allowance VirusTotal reports for a key, and the budget that follows it
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fake server plays a public key (240 an hour, 500 a day, 15 500 a
 * month), a premium one in a group, a tiny one, one whose overall_quotas
 * is missing, and an endpoint that fails; the scheduler must follow each,
 * keep the last answer when a reading fails, and never take a missing
 * answer for "no limit".
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "cf-allowance.h"
#include "cf-session.h"
#include "cf-test-util.h"

/* ------------------------------------------------------------------ */
/* Replies                                                              */
/* ------------------------------------------------------------------ */

static void
test_parse_overall (void)
{
  const char *reply =
    "{\"data\": {"
    "  \"api_requests_hourly\": {\"user\": {\"allowed\": 240, \"used\": 3}},"
    "  \"api_requests_daily\": {\"group\": {\"allowed\": 400, \"used\": 90, \"inherited_from\": \"acme\"},"
    "                           \"user\": {\"allowed\": 500, \"used\": 7}},"
    "  \"api_requests_monthly\": {\"user\": {\"allowed\": 0, \"used\": 0}},"
    "  \"intelligence_searches_monthly\": {\"user\": {\"allowed\": 9, \"used\": 0}}}}";
  g_autoptr(GError) error = NULL;
  CfAllowance allowance;

  cf_allowance_init (&allowance);
  g_assert_true (cf_allowance_parse_overall (&allowance, reply, strlen (reply), &error));
  g_assert_no_error (error);
  g_assert_cmpint (allowance.allowed[CF_PERIOD_HOUR], ==, 240);
  g_assert_cmpint (allowance.used[CF_PERIOD_HOUR], ==, 3);
  /* A key in a group spends what both allow. */
  g_assert_cmpint (allowance.allowed[CF_PERIOD_DAY], ==, 400);
  g_assert_cmpint (allowance.used[CF_PERIOD_DAY], ==, 7);
  /* An allowance of 0 says nothing: unknown, not "no limit". */
  g_assert_cmpint (allowance.allowed[CF_PERIOD_MONTH], ==, 0);
  g_assert_true (cf_allowance_is_known (&allowance));
  g_assert_false (cf_allowance_is_complete (&allowance));
}

static void
test_parse_user (void)
{
  const char *reply =
    "{\"data\": {\"type\": \"user\", \"id\": \"ada\", \"attributes\": {"
    "  \"apikey\": \"the-key\", \"quotas\": {"
    "    \"api_requests_hourly\": {\"allowed\": 120, \"used\": 1},"
    "    \"api_requests_daily\": {\"allowed\": 300, \"used\": 2},"
    "    \"api_requests_monthly\": {\"allowed\": 9000, \"used\": 3}}}}}";
  const char *hostile[] = {
    "", "[]", "{\"data\": []}", "{\"data\": {\"attributes\": {\"quotas\": 7}}}",
    "{\"data\": {\"attributes\": {\"quotas\": {\"api_requests_daily\": {\"allowed\": \"500\"}}}}}",
    "{\"data\": {\"attributes\": {\"quotas\": {\"api_requests_daily\": {\"allowed\": -5}}}}}",
  };
  g_autoptr(GError) error = NULL;
  CfAllowance allowance;

  cf_allowance_init (&allowance);
  g_assert_true (cf_allowance_parse_user (&allowance, reply, strlen (reply), "the-key", &error));
  g_assert_no_error (error);
  g_assert_true (cf_allowance_is_complete (&allowance));
  g_assert_cmpint (allowance.allowed[CF_PERIOD_MONTH], ==, 9000);

  /* About another account: not used, and the message names no key. */
  cf_allowance_init (&allowance);
  g_assert_false (cf_allowance_parse_user (&allowance, reply, strlen (reply), "my-key", &error));
  g_assert_error (error, CF_VT_ERROR, CF_VT_ERROR_MISMATCH);
  g_assert_null (strstr (error->message, "the-key"));
  g_assert_null (strstr (error->message, "my-key"));
  g_assert_false (cf_allowance_is_known (&allowance));
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      cf_allowance_init (&allowance);
      cf_allowance_parse_user (&allowance, hostile[i], strlen (hostile[i]), NULL, NULL);
      g_assert_false (cf_allowance_is_known (&allowance));
    }
}

/* The store keeps the allowance with a mark of its key, never the key. */
static void
test_stored_form (void)
{
  g_autofree char *id_a = cf_allowance_key_id ("key-a-0123456789");
  g_autofree char *id_b = cf_allowance_key_id ("key-b-0123456789");
  g_autofree char *text = NULL;
  g_autofree char *back_id = NULL;
  CfAllowance allowance, back;

  g_assert_cmpuint (strlen (id_a), ==, 16);
  g_assert_cmpstr (id_a, !=, id_b);
  g_assert_null (strstr (id_a, "key-a"));

  cf_allowance_init (&allowance);
  allowance.allowed[CF_PERIOD_HOUR] = 240;
  allowance.allowed[CF_PERIOD_DAY] = 500;
  allowance.used[CF_PERIOD_DAY] = 12;
  allowance.read = 1700000000;
  text = cf_allowance_to_text (&allowance, id_a);
  g_assert_null (strstr (text, "key-a"));
  g_assert_true (cf_allowance_from_text (&back, text, &back_id));
  g_assert_cmpstr (back_id, ==, id_a);
  g_assert_cmpint (back.read, ==, 1700000000);
  g_assert_cmpint (back.allowed[CF_PERIOD_DAY], ==, 500);
  g_assert_cmpint (back.used[CF_PERIOD_DAY], ==, 12);
  g_assert_cmpint (back.allowed[CF_PERIOD_MONTH], ==, 0);
  g_assert_false (cf_allowance_from_text (&back, "not json", NULL));
}

/* ------------------------------------------------------------------ */
/* The budget that follows                                              */
/* ------------------------------------------------------------------ */

typedef struct
{
  CfFakeVt  *server;
  char      *tmpdir;
  char      *db;
  CfSession *session;
} Fixture;

static CfSession *
session_new (Fixture    *f,
             const char *key)
{
  g_autoptr(GError) error = NULL;
  CfSession *session = cf_session_new (f->db, CF_SESSION_NONE, &error);
  CfConfig config;

  g_assert_no_error (error);
  cf_config_copy (&config, cf_session_get_config (session));
  g_free (config.api_url);
  config.api_url = cf_fake_vt_get_base_url (f->server);
  cf_session_set_config (session, &config);
  cf_config_clear (&config);
  cf_session_set_api_key (session, key);
  return session;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = cf_test_fake_vt_new ();
  f->tmpdir = cf_test_make_tmpdir ();
  f->db = g_build_filename (f->tmpdir, "check-first.db", NULL);
  f->session = session_new (f, CF_TEST_KEY);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->server);
  cf_test_rm_rf (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->db);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Reading;

static void
read_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Reading *reading = user_data;

  reading->ok = cf_session_read_account_finish (CF_SESSION (object), result, &reading->error);
  reading->done = TRUE;
}

static gboolean
read_account (CfSession  *session,
              gboolean    wait,
              GError    **error)
{
  Reading reading = { FALSE, FALSE, NULL };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  cf_session_read_account_async (session, wait, NULL, read_done, &reading);
  while (!reading.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (reading.done);
  if (reading.error != NULL)
    g_propagate_error (error, reading.error);
  return reading.ok;
}

static void
assert_limits (CfSession *session,
               guint      per_minute,
               guint      per_day,
               guint      per_month)
{
  CfQuotaUsage usage;

  cf_session_get_quota (session, &usage);
  g_assert_cmpuint (usage.per_minute, ==, per_minute);
  g_assert_cmpuint (usage.per_day, ==, per_day);
  g_assert_cmpuint (usage.per_month, ==, per_month);
}

typedef struct
{
  const char *plan;
  guint       per_minute;
  guint       per_day;
  guint       per_month;
  gint64      hourly;
} Plan;

static const Plan plans[] = {
  { "public", 4, 500, 15500, 240 },
  /* 30 000 an hour; the group allows 200 000 of the user's 1 000 000 a day */
  { "premium", 500, 200000, 30000000, 30000 },
  /* below the public plan: honoured */
  { "tiny", 1, 20, 100, 60 },
  /* no overall_quotas: the account object tells */
  { "users-only", 2, 300, 9000, 120 },
};

static void
test_follows (Fixture       *f,
              gconstpointer  data)
{
  const Plan *plan = data;
  g_autoptr(GError) error = NULL;
  CfAccount *account = cf_session_get_account (f->session);
  const CfAllowance *allowance;
  guint spent = cf_session_get_requests_spent (f->session);

  g_assert_true (cf_fake_vt_set_account (f->server, plan->plan, &error));
  /* Nothing read yet: the public plan's limits, whatever the key. */
  assert_limits (f->session, 4, 500, 15500);
  g_assert_null (cf_account_get_allowance (account));
  g_assert_true (cf_account_is_due (account, g_get_real_time () / G_USEC_PER_SEC));

  g_assert_true (read_account (f->session, TRUE, &error));
  g_assert_no_error (error);
  assert_limits (f->session, plan->per_minute, plan->per_day, plan->per_month);
  allowance = cf_account_get_allowance (account);
  g_assert_nonnull (allowance);
  g_assert_cmpint (allowance->allowed[CF_PERIOD_HOUR], ==, plan->hourly);
  g_assert_cmpint (allowance->read, >, 0);
  g_assert_false (cf_account_is_due (account, g_get_real_time () / G_USEC_PER_SEC));
  /* A request like any other, through the budget. */
  g_assert_cmpuint (cf_session_get_requests_spent (f->session), >, spent);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "users"), >=, 1);

  /* Another run, the same key: the answer is kept, nothing asked.  (This
   * turn's writes are committed when the main loop is next idle.) */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  {
    g_autoptr(CfSession) again = session_new (f, CF_TEST_KEY);

    assert_limits (again, plan->per_minute, plan->per_day, plan->per_month);
    g_assert_false (cf_account_is_due (cf_session_get_account (again), g_get_real_time () / G_USEC_PER_SEC));
  }
}

/* A failing endpoint changes nothing: the last answer stands, and without
 * one the plan's limits do, never "no limit". */
static void
test_failing_keeps (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfSession) other = NULL;
  CfAccount *account = cf_session_get_account (f->session);
  gint64 read;

  /* (Not waited for: a reading that waits tries a failing endpoint four
   * times, and would spend the public plan's whole minute.) */
  g_assert_true (cf_fake_vt_set_account (f->server, "failing", &error));
  g_assert_false (read_account (f->session, FALSE, &error));
  g_assert_error (error, CF_VT_ERROR, CF_VT_ERROR_TRANSIENT);
  g_assert_nonnull (cf_account_get_error (account));
  g_clear_error (&error);
  assert_limits (f->session, 4, 500, 15500);

  g_assert_true (cf_fake_vt_set_account (f->server, "premium", &error));
  g_assert_true (read_account (f->session, TRUE, &error));
  g_assert_null (cf_account_get_error (account));
  read = cf_account_get_read (account);
  assert_limits (f->session, 500, 200000, 30000000);

  g_assert_true (cf_fake_vt_set_account (f->server, "failing", &error));
  g_assert_false (read_account (f->session, FALSE, &error));
  g_clear_error (&error);
  g_assert_nonnull (cf_account_get_error (account));
  g_assert_cmpint (cf_account_get_read (account), ==, read);
  assert_limits (f->session, 500, 200000, 30000000);

  /* Another key is another account: none of this one's allowance. */
  other = session_new (f, "another-key");
  g_assert_null (cf_account_get_allowance (cf_session_get_account (other)));
  assert_limits (other, 4, 500, 15500);
}

/* A premium plan's own numbers cap what VirusTotal allows; --rate stands
 * for its run. */
static void
test_own_caps (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CfConfig config;

  g_assert_true (cf_fake_vt_set_account (f->server, "premium", &error));
  g_assert_true (read_account (f->session, TRUE, &error));

  cf_config_copy (&config, cf_session_get_config (f->session));
  config.premium_plan = TRUE;
  config.per_minute = 100;
  config.per_day = 0;
  config.per_month = 50000000;
  cf_session_set_config (f->session, &config);
  assert_limits (f->session, 100, 200000, 30000000);

  config.rate_given = TRUE;
  config.per_minute = 0;
  config.per_day = config.per_month = 0;
  cf_session_set_config (f->session, &config);
  assert_limits (f->session, 0, 0, 0);
  cf_config_clear (&config);
}

/* With no request to spare, a reading that need not wait does not. */
static void
test_no_slot_no_wait (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CfScheduler *scheduler = cf_session_get_scheduler (f->session);
  guint users;

  g_assert_true (cf_fake_vt_set_account (f->server, "premium", &error));
  /* The public plan's minute, spent. */
  for (guint i = 0; i < 4; i++)
    g_assert_true (cf_scheduler_try_acquire (scheduler));
  g_assert_false (cf_scheduler_try_acquire (scheduler));

  users = cf_fake_vt_get_count (f->server, "users");
  g_assert_false (read_account (f->session, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "users"), ==, users);
  /* Not a failure to show: nothing went wrong with the account. */
  g_assert_null (cf_account_get_error (cf_session_get_account (f->session)));
  assert_limits (f->session, 4, 500, 15500);
}

/* ------------------------------------------------------------------ */
/* The command line                                                     */
/* ------------------------------------------------------------------ */

typedef struct
{
  CfFakeVt  *server;
  char      *tmpdir;
  char     **env;
} Cli;

static void
cli_set_up (Cli           *c,
            gconstpointer  data)
{
  c->server = cf_test_fake_vt_new ();
  c->tmpdir = cf_test_make_tmpdir ();
  c->env = cf_test_cli_env (c->server, c->tmpdir, CF_TEST_KEY);
}

static void
cli_tear_down (Cli           *c,
               gconstpointer  data)
{
  g_clear_object (&c->server);
  cf_test_rm_rf (c->tmpdir);
  g_free (c->tmpdir);
  g_strfreev (c->env);
}

static JsonObject *
quota_json (Cli *c)
{
  g_autoptr(CfTestRun) run = cf_test_run_cli (c->env, NULL, "--quota", "--json", NULL);
  g_autoptr(GPtrArray) objects = cf_test_parse_json_lines (run->out);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpuint (objects->len, ==, 1);
  return json_object_ref (objects->pdata[0]);
}

/* --quota reads the allowance once a day, and says it with its date. */
static void
test_cli_quota (Cli           *c,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfTestRun) text = NULL;
  g_autoptr(JsonObject) json = NULL;
  JsonObject *allowance;

  g_assert_true (cf_fake_vt_set_account (c->server, "tiny", &error));
  text = cf_test_run_cli (c->env, NULL, "--quota", NULL);
  g_assert_cmpint (text->status, ==, 0);
  g_assert_nonnull (strstr (text->out, "This minute: 1 of 1 requests used"));
  g_assert_nonnull (strstr (text->out, "Today:       1 of 20 requests used"));
  g_assert_nonnull (strstr (text->out, "This month:  1 of 100 requests used"));
  g_assert_nonnull (strstr (text->out, "Allowance:   60 requests an hour, 20 a day, 100 a month, "
                                       "as VirusTotal reported on "));
  g_assert_cmpuint (cf_fake_vt_get_count (c->server, "users"), ==, 1);

  /* The next run knows it, without asking. */
  json = quota_json (c);
  g_assert_cmpuint (cf_fake_vt_get_count (c->server, "users"), ==, 1);
  allowance = json_object_get_object_member (json, "allowance");
  g_assert_cmpint (json_object_get_int_member (allowance, "hour"), ==, 60);
  g_assert_cmpint (json_object_get_int_member (allowance, "day"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (allowance, "read"), >, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json, "day"), "limit"), ==, 20);
}

/* The endpoint fails: said, and the plan's limits stay. */
static void
test_cli_quota_failing (Cli           *c,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfTestRun) run = NULL;

  g_assert_true (cf_fake_vt_set_account (c->server, "failing", &error));
  run = cf_test_run_cli (c->env, NULL, "--quota", NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->err, "Could not read what your VirusTotal account may spend: "));
  g_assert_nonnull (strstr (run->err, "Your plan’s limits stay."));
  g_assert_nonnull (strstr (run->out, "of 4 requests used"));
  g_assert_nonnull (strstr (run->out, "Allowance:   not reported by VirusTotal yet"));
}

static char *
hashes (guint n)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%064x\n", 0xacc0u + i);
  return g_string_free (text, FALSE);
}

/* The same batch, after reading the account: a premium key is not held to
 * 4 a minute, a public one is (waits longer than a second give up here,
 * so that the difference shows without anyone waiting). */
static void
test_cli_premium_not_throttled (Cli           *c,
                                gconstpointer  data)
{
  const char *plan = data;
  gboolean premium = g_str_equal (plan, "premium");
  g_autoptr(GError) error = NULL;
  g_autofree char *list = hashes (12);
  g_autoptr(CfTestRun) quota = NULL;
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint errors = 0;

  g_assert_true (cf_fake_vt_set_account (c->server, plan, &error));
  quota = cf_test_run_cli (c->env, NULL, "--quota", NULL);
  g_assert_cmpint (quota->status, ==, 0);

  run = cf_test_run_cli (c->env, list, "--lookup", "--json", "--wait-max=1", "-", NULL);
  items = cf_test_parse_json_lines (run->out);
  g_assert_cmpuint (items->len, ==, 12);
  for (guint i = 0; i < items->len; i++)
    if (g_str_equal (json_object_get_string_member (items->pdata[i], "status"), "error"))
      errors++;

  if (premium)
    {
      g_assert_cmpuint (errors, ==, 0);
      g_assert_null (strstr (run->err, "waiting until"));
      g_assert_cmpuint (cf_fake_vt_get_count (c->server, "lookups"), ==, 12);
    }
  else
    {
      /* The minute's four, less the one the reading took. */
      g_assert_cmpuint (errors, ==, 9);
      g_assert_cmpuint (cf_fake_vt_get_count (c->server, "lookups"), ==, 3);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cf/account/parse/overall", test_parse_overall);
  g_test_add_func ("/cf/account/parse/user", test_parse_user);
  g_test_add_func ("/cf/account/stored-form", test_stored_form);
  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cf/account/follows/%s", plans[i].plan);

      g_test_add (path, Fixture, &plans[i], fixture_set_up, test_follows, fixture_tear_down);
    }
  g_test_add ("/cf/account/failing-keeps", Fixture, NULL, fixture_set_up, test_failing_keeps,
              fixture_tear_down);
  g_test_add ("/cf/account/own-caps", Fixture, NULL, fixture_set_up, test_own_caps, fixture_tear_down);
  g_test_add ("/cf/account/no-slot-no-wait", Fixture, NULL, fixture_set_up, test_no_slot_no_wait,
              fixture_tear_down);

  g_test_add ("/cf/account/cli/quota", Cli, NULL, cli_set_up, test_cli_quota, cli_tear_down);
  g_test_add ("/cf/account/cli/quota-failing", Cli, NULL, cli_set_up, test_cli_quota_failing,
              cli_tear_down);
  g_test_add ("/cf/account/cli/premium-not-throttled", Cli, "premium", cli_set_up,
              test_cli_premium_not_throttled, cli_tear_down);
  g_test_add ("/cf/account/cli/public-throttled", Cli, "public", cli_set_up,
              test_cli_premium_not_throttled, cli_tear_down);

  return g_test_run ();
}
