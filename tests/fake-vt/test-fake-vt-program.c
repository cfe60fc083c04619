/* test-fake-vt-program.c
 *
 * Tests of what other processes see: control endpoints, HTTPS, the fake-vt program.
 *
 * Copyright 2026 The Check First authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "test-fake-vt-client.h"

#define KNOWN_SHA256 "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

static TestReply *
control (Fixture    *f,
         const char *method,
         const char *path_and_query)
{
  g_autofree char *url = g_strconcat (f->origin, path_and_query, NULL);

  return test_send (f->session, method, url, NULL, NULL, NULL);
}

static void
test_control (Fixture       *f,
              gconstpointer  data)
{
  const char *counters[] = {
    "requests", "lookups", "uploads", "upload_urls", "analysis_polls",
    "users", "429", "401", "keyless",
  };
  g_autofree char *file = test_write_file (f, "sample.txt", "registered by path\n", -1);
  g_autofree char *register_path = g_strdup_printf ("/_fake/register?path=%s&verdict=eicar", file);
  g_autoptr(TestReply) stats = control (f, "GET", "/_fake/stats");
  g_autoptr(TestReply) fault = control (f, "POST", "/_fake/fault?spec=503");
  g_autoptr(TestReply) faulted = test_api (f, "GET", "/files/%s", KNOWN_SHA256);
  g_autoptr(TestReply) bad_fault = control (f, "POST", "/_fake/fault?spec=bogus");
  g_autoptr(TestReply) registered = control (f, "POST", "/_fake/register?sha256=" KNOWN_SHA256
                                                        "&verdict=malicious:3");
  g_autoptr(TestReply) lookup = test_api (f, "GET", "/files/%s", KNOWN_SHA256);
  g_autoptr(TestReply) bad_hash = control (f, "POST", "/_fake/register?sha256=abc&verdict=clean");
  g_autoptr(TestReply) by_path = control (f, "POST", register_path);
  g_autoptr(TestReply) config = control (f, "POST", "/_fake/config?quota_per_minute=1"
                                                    "&analysis_polls=0,0&upload_verdict=clean");
  g_autoptr(TestReply) allowed = test_api (f, "GET", "/files/%s", KNOWN_SHA256);
  g_autoptr(TestReply) limited = test_api (f, "GET", "/files/%s", KNOWN_SHA256);
  g_autoptr(TestReply) bad_config = control (f, "POST", "/_fake/config?nonsense=1");
  g_autoptr(TestReply) bad_number = control (f, "POST", "/_fake/config?quota_per_minute=x");
  g_autoptr(TestReply) unknown = control (f, "POST", "/_fake/nothing");
  g_autoptr(TestReply) wrong_method = control (f, "GET", "/_fake/reset");
  g_autoptr(TestReply) reset = control (f, "POST", "/_fake/reset");
  g_autoptr(TestReply) after_reset = control (f, "GET", "/_fake/stats");

  g_assert_cmpuint (stats->status, ==, 200);
  for (guint i = 0; i < G_N_ELEMENTS (counters); i++)
    g_assert_cmpint (test_int (stats, counters[i]), ==, 0);
  g_assert_cmpint (test_int (stats, "last_upload_size"), ==, -1);

  g_assert_cmpuint (fault->status, ==, 200);
  test_assert_error (faulted, 503, "TransientError");
  test_assert_error (bad_fault, 400, "BadRequestError");
  g_assert_cmpuint (registered->status, ==, 200);
  test_assert_stats (lookup, "data.attributes.last_analysis_stats", 3, 0, 61, 0, 3);
  test_assert_error (bad_hash, 400, "BadRequestError");
  g_assert_cmpuint (by_path->status, ==, 200);
  g_assert_cmpuint (config->status, ==, 200);
  g_assert_cmpuint (allowed->status, ==, 200);
  test_assert_error (limited, 429, "QuotaExceededError");
  test_assert_error (bad_config, 400, "BadRequestError");
  test_assert_error (bad_number, 400, "BadRequestError");
  test_assert_error (unknown, 400, "BadRequestError");
  test_assert_error (wrong_method, 404, "NotFoundError");
  g_assert_cmpuint (reset->status, ==, 200);
  g_assert_cmpint (test_int (after_reset, "requests"), ==, 0);
  g_assert_cmpint (test_int (after_reset, "429"), ==, 0);

  /* Control requests are not API requests. */
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "requests"), ==, 0);
}

static void
test_https (void)
{
  g_autoptr(CfFakeVt) fake = cf_fake_vt_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(SoupSession) strict = test_new_session (NULL);
  g_autoptr(SoupSession) trusting = NULL;
  g_autoptr(TestReply) refused = NULL;
  g_autoptr(TestReply) accepted = NULL;
  g_autoptr(TestReply) upload = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("over tls\n", 9);
  g_autofree char *base_url = NULL;
  g_autofree char *url = NULL;
  g_autofree char *upload_url = NULL;
  g_autofree char *ca_file = NULL;

  g_assert_true (cf_fake_vt_register_hash (fake, KNOWN_SHA256, "clean", &error));
  g_assert_true (cf_fake_vt_start (fake, TRUE, &error));
  g_assert_no_error (error);

  base_url = cf_fake_vt_get_base_url (fake);
  g_assert_true (g_str_has_prefix (base_url, "https://127.0.0.1:"));
  ca_file = g_strdup (cf_fake_vt_get_ca_file (fake));
  g_assert_nonnull (ca_file);
  g_assert_true (g_file_test (ca_file, G_FILE_TEST_IS_REGULAR));

  url = g_strdup_printf ("%s/files/%s", base_url, KNOWN_SHA256);
  refused = test_send (strict, "GET", url, TEST_KEY, NULL, NULL);
  g_assert_nonnull (refused->error);
  g_assert_true (refused->error->domain == G_TLS_ERROR);

  database = g_tls_file_database_new (ca_file, &error);
  g_assert_no_error (error);
  trusting = test_new_session (database);
  accepted = test_send (trusting, "GET", url, TEST_KEY, NULL, NULL);
  g_assert_no_error (accepted->error);
  g_assert_cmpstr (test_string (accepted, "data.id"), ==, KNOWN_SHA256);

  upload_url = g_strdup_printf ("%s/files", base_url);
  upload = test_upload (trusting, upload_url, TEST_KEY, "tls.txt", content);
  g_assert_cmpuint (upload->status, ==, 200);

  cf_fake_vt_stop (fake);
  g_assert_null (cf_fake_vt_get_ca_file (fake));
  g_assert_false (g_file_test (ca_file, G_FILE_TEST_EXISTS));
}

static const char *
program (void)
{
  const char *path = g_getenv ("FAKE_VT_PROGRAM");

  if (path == NULL)
    g_test_fail_printf ("FAKE_VT_PROGRAM is not set (tests/fake-vt/meson.build sets it)");

  return path;
}

/* Starts the program and returns its base URL, from the line it prints. */
static GSubprocess *
spawn_program (const char * const  *args,
               char               **base_url)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_ptr_array_add (argv, (gpointer) program ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  subprocess = g_subprocess_newv ((const char * const *) argv->pdata,
                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);

  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (subprocess));
  line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "fake-vt listening on "));

  *base_url = g_strdup (line + strlen ("fake-vt listening on "));
  return g_steal_pointer (&subprocess);
}

static void
stop_program (GSubprocess *subprocess,
              int          signal_number)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (subprocess, signal_number);
  g_subprocess_wait (subprocess, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (subprocess));
  g_assert_cmpint (g_subprocess_get_exit_status (subprocess), ==, 0);
}

static void
test_program_serves (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *port_file = g_build_filename (g_get_tmp_dir (), "test-fake-vt-port-XXXXXX",
                                                 NULL);
  const char *args[] = {
    "--port", "0", "--port-file", port_file, "--key", "k2",
    "--register-hash", KNOWN_SHA256 "=malicious:4", "--fault", "503",
    "--analysis-polls", "0,0", "--upload-verdict", "suspicious:2",
    "--quota-per-minute", "100", NULL
  };
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("from the program test\n", 22);
  g_autoptr(TestReply) faulted = NULL;
  g_autoptr(TestReply) lookup = NULL;
  g_autoptr(TestReply) upload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *url = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *analysis_url = NULL;
  int fd;

  if (program () == NULL)
    return;

  fd = g_mkstemp (port_file);
  g_assert_cmpint (fd, >=, 0);
  g_close (fd, NULL);

  subprocess = spawn_program (args, &base_url);
  g_file_get_contents (port_file, &port_text, NULL, &error);
  g_assert_no_error (error);
  g_unlink (port_file);
  expected = g_strdup_printf ("http://127.0.0.1:%s/api/v3", g_strstrip (port_text));
  g_assert_cmpstr (base_url, ==, expected);

  url = g_strdup_printf ("%s/files/%s", base_url, KNOWN_SHA256);
  faulted = test_send (f->session, "GET", url, "k2", NULL, NULL);
  test_assert_error (faulted, 503, "TransientError");
  lookup = test_send (f->session, "GET", url, "k2", NULL, NULL);
  test_assert_stats (lookup, "data.attributes.last_analysis_stats", 4, 0, 60, 0, 3);

  g_free (url);
  url = g_strdup_printf ("%s/files", base_url);
  upload = test_upload (f->session, url, "k2", "program.txt", content);
  analysis_url = g_strdup_printf ("%s/analyses/%s", base_url, test_string (upload, "data.id"));
  {
    g_autoptr(TestReply) analysis = test_send (f->session, "GET", analysis_url, "k2", NULL, NULL);

    g_assert_cmpstr (test_string (analysis, "data.attributes.status"), ==, "completed");
    test_assert_stats (analysis, "data.attributes.stats", 0, 2, 62, 0, 3);
  }

  stop_program (subprocess, SIGTERM);
}

static void
test_program_https (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *ca_file = g_build_filename (g_get_tmp_dir (), "test-fake-vt-ca-XXXXXX", NULL);
  const char *args[] = { "--https", "--ca-file", ca_file, NULL };
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(SoupSession) trusting = NULL;
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *url = NULL;
  int fd;

  if (program () == NULL)
    return;

  fd = g_mkstemp (ca_file);
  g_assert_cmpint (fd, >=, 0);
  g_close (fd, NULL);

  subprocess = spawn_program (args, &base_url);
  g_assert_true (g_str_has_prefix (base_url, "https://127.0.0.1:"));

  database = g_tls_file_database_new (ca_file, &error);
  g_assert_no_error (error);
  trusting = test_new_session (database);
  url = g_strdup_printf ("%s/users/%s", base_url, TEST_KEY);
  reply = test_send (trusting, "GET", url, TEST_KEY, NULL, NULL);
  g_assert_cmpuint (reply->status, ==, 200);

  stop_program (subprocess, SIGINT);
  g_unlink (ca_file);
}

static const char * const bad_arguments[][3] = {
  { "--port", "abc", NULL },
  { "--port", "70000", NULL },
  { "--register-hash", "nothex=clean", NULL },
  { "--register-hash", KNOWN_SHA256, NULL },
  { "--register-hash", KNOWN_SHA256 "=dirty", NULL },
  { "--register", "/nonexistent/file=clean", NULL },
  { "--upload-verdict", "dirty", NULL },
  { "--analysis-polls", "1", NULL },
  { "--analysis-polls", "1,x", NULL },
  { "--fault", "bogus", NULL },
  { "--quota-per-minute", "-1", NULL },
  { "--ca-file", "/tmp/unused.pem", NULL },
  { "--no-such-option", NULL, NULL },
  { "positional", NULL, NULL },
};

static void
test_program_bad_arguments (gconstpointer data)
{
  const char * const *args = data;
  const char *argv[5] = { program (), NULL, NULL, NULL, NULL };
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (argv[0] == NULL)
    return;

  for (guint i = 0; args[i] != NULL; i++)
    argv[i + 1] = args[i];

  subprocess = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (subprocess, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_exited (subprocess));
  g_assert_cmpint (g_subprocess_get_exit_status (subprocess), ==, 64);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "fake-vt: "));
}

static void
test_program_help (void)
{
  const char *argv[] = { program (), "--help", NULL };
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  if (argv[0] == NULL)
    return;

  subprocess = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (subprocess, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (g_subprocess_get_exit_status (subprocess), ==, 0);
  g_assert_nonnull (strstr (out, "--register=PATH=VERDICT"));
  g_assert_nonnull (strstr (out, "/_fake/stats"));
}

void
test_add_program_tests (void)
{
  g_test_add ("/fake-vt/control", Fixture, NULL, test_fixture_set_up, test_control,
              test_fixture_tear_down);
  g_test_add_func ("/fake-vt/https", test_https);
  g_test_add ("/fake-vt/program/serves", Fixture, NULL, test_fixture_set_up,
              test_program_serves, test_fixture_tear_down);
  g_test_add ("/fake-vt/program/https", Fixture, NULL, test_fixture_set_up,
              test_program_https, test_fixture_tear_down);
  g_test_add_func ("/fake-vt/program/help", test_program_help);
  for (guint i = 0; i < G_N_ELEMENTS (bad_arguments); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fake-vt/program/bad-arguments/%u", i);

      g_test_add_data_func (path, bad_arguments[i], test_program_bad_arguments);
    }
}
