/* test-cli-quota.c: one budget shared by every process, and nothing asked twice
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * These run real processes against the fake server's per-minute quota, so
 * they take about a minute each: the minute window is the thing tested.
 */

#include "config.h"

#include <signal.h>

#include "cf-test-util.h"

static char *
hash_list (guint first,
           guint count)
{
  GString *text = g_string_new (NULL);

  for (guint i = first; i < first + count; i++)
    g_string_append_printf (text, "%064x\n", i + 1);
  return g_string_free (text, FALSE);
}

static GSubprocess *
spawn_lookup (char       **env,
              const char  *list_path,
              const char  *rate,
              GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *input = g_strconcat ("--input=", list_path, NULL);

  g_subprocess_launcher_set_environ (launcher, env);
  return g_subprocess_launcher_spawn (launcher, error, g_getenv ("CHECK_FIRST_BIN"),
                                      "--lookup", "--json", rate, input, NULL);
}

/* Two scripts started together, with more lookups than one minute allows,
 * never make the server say 429: they share one budget. */
static void
test_two_processes_share_budget (void)
{
  g_autoptr(CfFakeVt) server = cf_test_fake_vt_new ();
  g_autofree char *tmpdir = cf_test_make_tmpdir ();
  g_auto(GStrv) env = cf_test_cli_env (server, tmpdir, CF_TEST_KEY);
  g_autofree char *list_a = hash_list (0, 8);
  g_autofree char *list_b = hash_list (100, 8);
  g_autofree char *path_a = cf_test_write_file (tmpdir, "a.txt", list_a, -1, 0644);
  g_autofree char *path_b = cf_test_write_file (tmpdir, "b.txt", list_b, -1, 0644);
  g_autoptr(GSubprocess) a = NULL;
  g_autoptr(GSubprocess) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out_a = NULL, *out_b = NULL;
  g_autoptr(GPtrArray) items_a = NULL;
  g_autoptr(GPtrArray) items_b = NULL;

  cf_fake_vt_set_quota_per_minute (server, 10);
  a = spawn_lookup (env, path_a, "--rate=10", &error);
  g_assert_no_error (error);
  b = spawn_lookup (env, path_b, "--rate=10", &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (a, NULL, NULL, &out_a, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (b, NULL, NULL, &out_b, NULL, &error);
  g_assert_no_error (error);

  /* Unknown hashes: every item answered, none an error. */
  g_assert_cmpint (g_subprocess_get_exit_status (a), ==, 0);
  g_assert_cmpint (g_subprocess_get_exit_status (b), ==, 0);
  items_a = cf_test_parse_json_lines (out_a);
  items_b = cf_test_parse_json_lines (out_b);
  g_assert_cmpuint (items_a->len, ==, 8);
  g_assert_cmpuint (items_b->len, ==, 8);
  g_assert_cmpuint (cf_fake_vt_get_count (server, "lookups"), ==, 16);
  g_assert_cmpuint (cf_fake_vt_get_count (server, "429"), ==, 0);

  cf_test_rm_rf (tmpdir);
}

/* A batch killed half-way and run again asks nothing it already asked. */
static void
test_killed_batch_resumes (void)
{
  g_autoptr(CfFakeVt) server = cf_test_fake_vt_new ();
  g_autofree char *tmpdir = cf_test_make_tmpdir ();
  g_auto(GStrv) env = cf_test_cli_env (server, tmpdir, CF_TEST_KEY);
  g_autofree char *list = hash_list (0, 12);
  g_autofree char *path = cf_test_write_file (tmpdir, "list.txt", list, -1, 0644);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(CfTestRun) second = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_strconcat ("--input=", path, NULL);
  gint64 deadline;
  guint answered;

  /* Five a minute: the first five are answered at once, then it waits. */
  first = spawn_lookup (env, path, "--rate=5", &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (cf_fake_vt_get_count (server, "lookups") < 5 && g_get_monotonic_time () < deadline)
    g_usleep (20000);
  answered = cf_fake_vt_get_count (server, "lookups");
  g_assert_cmpuint (answered, ==, 5);
  /* Let the answers reach the database, then kill it without warning. */
  g_usleep (500000);
  g_subprocess_send_signal (first, SIGKILL);
  g_subprocess_wait (first, NULL, NULL);
  g_assert_false (g_subprocess_get_if_exited (first));

  second = cf_test_run_cli (env, NULL, "--lookup", "--json", "--rate=0", input, NULL);
  g_assert_cmpint (second->status, ==, 0);
  items = cf_test_parse_json_lines (second->out);
  g_assert_cmpuint (items->len, ==, 12);
  /* Only the seven not yet answered were asked. */
  g_assert_cmpuint (cf_fake_vt_get_count (server, "lookups"), ==, 12);

  cf_test_rm_rf (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cf/cli-quota/two-processes-share-budget", test_two_processes_share_budget);
  g_test_add_func ("/cf/cli-quota/killed-batch-resumes", test_killed_batch_resumes);

  return g_test_run ();
}
