/* test-upload.c: consent, both upload paths, refusals, progress, cancel and resume
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "cf-checker.h"
#include "cf-test-util.h"

typedef struct
{
  CfFakeVt    *server;
  char        *tmpdir;
  CfStore     *store;
  CfScheduler *scheduler;
  CfVtClient  *client;
  CfChecker   *checker;
  CfConfig     config;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;

  f->server = cf_test_fake_vt_new ();
  cf_fake_vt_set_analysis_polls (f->server, 1, 1);
  f->tmpdir = cf_test_make_tmpdir ();
  db = g_build_filename (f->tmpdir, "test.db", NULL);
  f->store = cf_store_open (db, &error);
  g_assert_no_error (error);
  f->scheduler = cf_scheduler_new (f->store);
  cf_scheduler_set_limits (f->scheduler, 0, 0, 0);
  url = cf_fake_vt_get_base_url (f->server);
  f->client = cf_vt_client_new (url, CF_TEST_KEY, f->scheduler, &error);
  g_assert_no_error (error);
  f->checker = cf_checker_new (f->store, f->scheduler);
  cf_checker_set_client (f->checker, f->client);
  cf_config_init (&f->config);
  f->config.upload = CF_UPLOAD_ALWAYS;
  f->config.wait_max = 120;
  cf_checker_set_config (f->checker, &f->config);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->checker);
  g_clear_object (&f->client);
  g_clear_object (&f->scheduler);
  g_clear_object (&f->store);
  g_clear_object (&f->server);
  cf_config_clear (&f->config);
  cf_test_rm_rf (f->tmpdir);
  g_free (f->tmpdir);
}

static char *
make_file (Fixture    *f,
           const char *name,
           goffset     size)
{
  g_autofree char *path = g_build_filename (f->tmpdir, name, NULL);
  g_autofree char *stamp = g_strdup_printf ("unique %s %" G_GINT64_FORMAT, name, g_get_real_time ());
  int fd = open (path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, stamp, strlen (stamp)), ==, (ssize_t) strlen (stamp));
  if (size > (goffset) strlen (stamp))
    g_assert_cmpint (ftruncate (fd, size), ==, 0);
  close (fd);
  return g_steal_pointer (&path);
}

typedef struct
{
  guint64  last;
  gboolean monotonic;
  guint    notifications;
  gboolean cancel_midway;
} Progress;

static void
on_bytes (CfCheck    *check,
          GParamSpec *pspec,
          Progress   *progress)
{
  guint64 done = cf_check_get_bytes_done (check);

  /* The bytes count the stage's work: hashing first, then the upload. */
  if (cf_check_get_stage (check) != CF_CHECK_STAGE_UPLOADING)
    return;
  progress->notifications++;
  if (done < progress->last || done > cf_check_get_bytes_total (check))
    progress->monotonic = FALSE;
  progress->last = done;
  if (progress->cancel_midway && done > 0 && done < cf_check_get_bytes_total (check) / 2)
    cf_check_cancel (check);
}

static void
run_until_finished (CfCheck *check)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!cf_check_is_finished (check) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cf_check_is_finished (check));
}

static void
check_upload_path (Fixture *f,
                   goffset  size,
                   guint    expected_upload_urls)
{
  g_autofree char *path = make_file (f, "résumé \"draft\".bin", size);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CfCheck) check = NULL;
  g_autofree char *filename = NULL;
  Progress progress = { 0, TRUE, 0, FALSE };

  cf_fake_vt_set_upload_verdict (f->server, "malicious:3");
  check = cf_checker_check_file (f->checker, file, CF_PRIORITY_INTERACTIVE);
  g_signal_connect (check, "notify::bytes-done", G_CALLBACK (on_bytes), &progress);
  run_until_finished (check);

  g_assert_no_error ((GError *) cf_check_get_error (check));
  g_assert_cmpint (cf_check_get_stage (check), ==, CF_CHECK_STAGE_DONE);
  g_assert_cmpint (cf_check_get_source (check), ==, CF_SOURCE_UPLOAD);
  g_assert_cmpint (cf_check_get_decision (check), ==, CF_DECISION_BLOCK);
  g_assert_cmpint (cf_check_get_report (check)->stats.malicious, ==, 3);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "uploads"), ==, 1);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "upload_urls"), ==, expected_upload_urls);
  g_assert_cmpint (cf_fake_vt_get_last_upload_size (f->server), ==, size);
  g_assert_true (progress.monotonic);
  g_assert_cmpuint (progress.last, ==, cf_check_get_bytes_total (check));
  g_assert_cmpuint (progress.notifications, >=, 1);

  /* Plain ASCII: the upload front end rejects filename*=UTF-8''. */
  filename = cf_fake_vt_get_last_upload_filename (f->server);
  g_assert_cmpstr (filename, ==, "resume _draft_.bin");

  /* The verdict is cached under the file's SHA-256: no second upload. */
  {
    g_autoptr(CfCheck) again = cf_checker_check_file (f->checker, file, CF_PRIORITY_INTERACTIVE);
    run_until_finished (again);
    g_assert_cmpint (cf_check_get_source (again), ==, CF_SOURCE_CACHE);
    g_assert_cmpuint (cf_fake_vt_get_count (f->server, "uploads"), ==, 1);
  }
}

static void
test_direct_upload (Fixture       *f,
                    gconstpointer  data)
{
  check_upload_path (f, 2 * 1024 * 1024, 0);
}

static void
test_upload_url (Fixture       *f,
                 gconstpointer  data)
{
  check_upload_path (f, 40 * 1024 * 1024, 1);
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = make_file (f, "huge.iso", (goffset) 651 * 1024 * 1024);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CfCheck) check = cf_checker_check_file (f->checker, file, CF_PRIORITY_INTERACTIVE);

  run_until_finished (check);
  g_assert_cmpint (cf_check_get_stage (check), ==, CF_CHECK_STAGE_FAILED);
  g_assert_error ((GError *) cf_check_get_error (check), CF_VT_ERROR, CF_VT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (cf_check_get_error (check)->message, "650 MB"));
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "uploads"), ==, 0);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "upload_urls"), ==, 0);
}

static void
test_foreign_origin (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CfFakeVt) elsewhere = cf_test_fake_vt_new ();
  g_autofree char *path = make_file (f, "big.bin", 40 * 1024 * 1024);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u", cf_fake_vt_get_port (elsewhere));
  g_autoptr(CfCheck) check = NULL;

  cf_fake_vt_set_upload_url_base (f->server, base);
  check = cf_checker_check_file (f->checker, file, CF_PRIORITY_INTERACTIVE);
  run_until_finished (check);

  g_assert_cmpint (cf_check_get_stage (check), ==, CF_CHECK_STAGE_FAILED);
  g_assert_error ((GError *) cf_check_get_error (check), CF_VT_ERROR, CF_VT_ERROR_FOREIGN_ORIGIN);
  /* Nothing, and above all not the key, went to the other server. */
  g_assert_cmpuint (cf_fake_vt_get_count (elsewhere, "requests"), ==, 0);
  g_assert_cmpuint (cf_fake_vt_get_count (elsewhere, "uploads"), ==, 0);
}

static void
test_cancel_midway (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = make_file (f, "cancel.bin", 30 * 1024 * 1024);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CfCheck) check = NULL;
  g_autoptr(CfPendingAnalysis) pending = NULL;
  Progress progress = { 0, TRUE, 0, TRUE };

  check = cf_checker_check_file (f->checker, file, CF_PRIORITY_INTERACTIVE);
  g_signal_connect (check, "notify::bytes-done", G_CALLBACK (on_bytes), &progress);
  run_until_finished (check);

  g_assert_cmpint (cf_check_get_stage (check), ==, CF_CHECK_STAGE_CANCELLED);
  /* No half state: no analysis recorded, nothing accepted by the server. */
  pending = cf_store_get_pending (f->store, cf_check_get_sha256 (check));
  g_assert_null (pending);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "uploads"), ==, 0);
}

static void
test_analysis_not_found_at_first (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *path = make_file (f, "fresh.bin", 1000);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CfCheck) check = NULL;

  cf_fake_vt_set_analysis_not_found_polls (f->server, 2);
  check = cf_checker_check_file (f->checker, file, CF_PRIORITY_INTERACTIVE);
  run_until_finished (check);
  g_assert_no_error ((GError *) cf_check_get_error (check));
  g_assert_cmpint (cf_check_get_source (check), ==, CF_SOURCE_UPLOAD);
  g_assert_cmpint (cf_check_get_decision (check), ==, CF_DECISION_ALLOW);
}

/* Policy "ask" without anyone to ask uploads nothing. */
static void
test_ask_needs_answer (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = make_file (f, "ask.bin", 1000);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CfCheck) check = NULL;

  f->config.upload = CF_UPLOAD_ASK;
  cf_checker_set_config (f->checker, &f->config);
  check = cf_checker_check_file (f->checker, file, CF_PRIORITY_INTERACTIVE);
  run_until_finished (check);
  g_assert_cmpint (cf_check_get_reason (check), ==, CF_REASON_UNKNOWN_ALLOWED);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "uploads"), ==, 0);
}

static void
on_consent (CfCheck  *check,
            gboolean *asked)
{
  *asked = TRUE;
  cf_check_answer_upload (check, FALSE);
}

static void
test_ask_declined (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = make_file (f, "declined.bin", 1000);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CfCheck *check;
  gboolean asked = FALSE;

  f->config.upload = CF_UPLOAD_ASK;
  f->config.policy.mode = CF_MODE_STOP_UNKNOWNS;
  cf_checker_set_config (f->checker, &f->config);

  /* Connect before the lookup answers: it is asynchronous. */
  check = cf_checker_check_file (f->checker, file, CF_PRIORITY_INTERACTIVE);
  g_signal_connect (check, "upload-consent", G_CALLBACK (on_consent), &asked);
  run_until_finished (check);
  g_assert_true (asked);
  g_assert_cmpint (cf_check_get_reason (check), ==, CF_REASON_UNKNOWN_BLOCKED);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "uploads"), ==, 0);
  g_object_unref (check);
}

/* The CLI uploads, is killed while the analysis runs, and a second run
 * resumes polling instead of uploading again. */
static void
test_resume_after_kill (void)
{
  g_autoptr(CfFakeVt) server = cf_test_fake_vt_new ();
  g_autofree char *tmpdir = cf_test_make_tmpdir ();
  g_auto(GStrv) env = cf_test_cli_env (server, tmpdir, CF_TEST_KEY);
  g_autofree char *path = cf_test_write_file (tmpdir, "new.bin", "fresh content for resume", -1, 0644);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(CfTestRun) second = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  /* Analyses are queued for three polls: the first run sees one of them. */
  cf_fake_vt_set_analysis_polls (server, 3, 0);
  g_subprocess_launcher_set_environ (launcher, env);
  first = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CHECK_FIRST_BIN"),
                                       "--check", "--upload=always", "--rate=0", path, NULL);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (cf_fake_vt_get_count (server, "analysis_polls") < 1 && g_get_monotonic_time () < deadline)
    g_usleep (20000);
  g_assert_cmpuint (cf_fake_vt_get_count (server, "uploads"), ==, 1);
  g_subprocess_send_signal (first, SIGKILL);
  g_subprocess_wait (first, NULL, NULL);

  second = cf_test_run_cli (env, NULL, "--check", "--json", "--upload=always", "--rate=0", path, NULL);
  g_assert_cmpint (second->status, ==, 0);
  items = cf_test_parse_json_lines (second->out);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (items, 0), "source"), ==, "upload");
  g_assert_cmpuint (cf_fake_vt_get_count (server, "uploads"), ==, 1);
  g_assert_cmpuint (cf_fake_vt_get_count (server, "analysis_polls"), >=, 4);

  cf_test_rm_rf (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cf/upload/direct", test_direct_upload);
  ADD ("/cf/upload/upload-url", test_upload_url);
  ADD ("/cf/upload/too-large", test_too_large);
  ADD ("/cf/upload/foreign-origin", test_foreign_origin);
  ADD ("/cf/upload/cancel-midway", test_cancel_midway);
  ADD ("/cf/upload/analysis-not-found-at-first", test_analysis_not_found_at_first);
  ADD ("/cf/upload/ask-needs-answer", test_ask_needs_answer);
  ADD ("/cf/upload/ask-declined", test_ask_declined);
#undef ADD
  g_test_add_func ("/cf/upload/resume-after-kill", test_resume_after_kill);

  return g_test_run ();
}
