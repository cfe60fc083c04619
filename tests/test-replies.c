/* test-replies.c: replies that must not be believed, and waits that must end, through the CLI
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case drives the real binary against the fake server in one of its
 * hostile modes: a reply about another file, a report with no results yet,
 * a summary that contradicts the engine list, a body that trickles, a 429
 * that never ends, and control characters in every string.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cf-test-util.h"

#define EICAR_SHA256 "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"

typedef struct
{
  CfFakeVt  *server;
  char      *tmpdir;
  char      *data_home;
  char     **env;
  char      *eicar;
  char      *clean;
  char      *other;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = cf_test_fake_vt_new ();
  f->tmpdir = cf_test_make_tmpdir ();
  f->data_home = g_build_filename (f->tmpdir, "home", NULL);
  g_mkdir (f->data_home, 0700);
  f->env = cf_test_cli_env (f->server, f->data_home, CF_TEST_KEY);
  f->eicar = cf_test_write_file (f->tmpdir, "eicar.com", CF_EICAR, -1, 0644);
  f->clean = cf_test_write_file (f->tmpdir, "clean.sh", "#!/bin/sh\necho hello\n", -1, 0755);
  f->other = cf_test_write_file (f->tmpdir, "other.txt", "another harmless file\n", -1, 0644);
  g_assert_true (cf_fake_vt_register_file (f->server, f->eicar, "eicar", &error));
  g_assert_true (cf_fake_vt_register_file (f->server, f->clean, "clean", &error));
  g_assert_true (cf_fake_vt_register_file (f->server, f->other, "clean", &error));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->server);
  cf_test_rm_rf (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->data_home);
  g_strfreev (f->env);
  g_free (f->eicar);
  g_free (f->clean);
  g_free (f->other);
}

static JsonObject *
single_json (CfTestRun *run)
{
  g_autoptr(GPtrArray) objects = cf_test_parse_json_lines (run->out);

  g_assert_cmpuint (objects->len, ==, 1);
  return json_object_ref (g_ptr_array_index (objects, 0));
}

static const char *
member (JsonObject *object,
        const char *name)
{
  return json_object_has_member (object, name) && !json_object_get_null_member (object, name) ?
         json_object_get_string_member (object, name) : NULL;
}

/* 1. A reply about another file is an error, and is stored under no key:
 * asked about the clean script, the server answers "clean" about EICAR. */
static void
test_wrong_id (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CfTestRun) asked = NULL;
  g_autoptr(CfTestRun) later = NULL;
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(JsonObject) eicar = NULL;

  cf_fake_vt_push_fault (f->server, "wrong-id:" EICAR_SHA256);
  asked = cf_test_run_cli (f->env, NULL, "--check", "--json", f->clean, NULL);
  g_assert_cmpint (asked->status, ==, 2);
  item = single_json (asked);
  g_assert_cmpstr (member (item, "status"), ==, "error");
  g_assert_cmpstr (member (item, "decision"), ==, "block");
  g_assert_nonnull (strstr (member (item, "error"), "another file"));
  g_assert_nonnull (strstr (asked->err, "another file"));

  /* EICAR was never answered about: it is looked up, and flagged. */
  later = cf_test_run_cli (f->env, NULL, "--check", "--json", f->eicar, NULL);
  g_assert_cmpint (later->status, ==, 1);
  eicar = single_json (later);
  g_assert_cmpstr (member (eicar, "source"), ==, "api");
  g_assert_cmpstr (member (eicar, "status"), ==, "detected");
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 2);
}

/* The same through --lookup by MD5: the reply must name that MD5. */
static void
test_wrong_id_lookup (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *contents = NULL;
  g_autofree char *md5 = NULL;
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(JsonObject) item = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (f->clean, &contents, &length, NULL));
  md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, (const guchar *) contents, length);
  cf_fake_vt_push_fault (f->server, "wrong-id:" EICAR_SHA256);
  run = cf_test_run_cli (f->env, NULL, "--lookup", "--json", md5, NULL);
  g_assert_cmpint (run->status, ==, 2);
  item = single_json (run);
  g_assert_cmpstr (member (item, "status"), ==, "error");
  g_assert_null (member (item, "sha256"));
}

/* 2. No engine has results yet: never "clean"; blocked when unknowns are. */
static void
test_no_results (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cf_test_write_file (f->tmpdir, "fresh.bin", "first seen a moment ago", -1, 0644);
  g_autoptr(CfTestRun) normal = NULL;
  g_autoptr(CfTestRun) strict = NULL;
  g_autoptr(CfTestRun) text = NULL;
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(JsonObject) blocked = NULL;

  g_assert_true (cf_fake_vt_register_file (f->server, path, "clean,no-results", &error));

  normal = cf_test_run_cli (f->env, NULL, "--check", "--json", "--no-cache", path, NULL);
  g_assert_cmpint (normal->status, ==, 0);
  item = single_json (normal);
  g_assert_cmpstr (member (item, "status"), ==, "no-results");
  g_assert_cmpstr (member (item, "decision"), ==, "allow");
  g_assert_cmpint (json_object_get_int_member (item, "engines"), ==, 0);

  strict = cf_test_run_cli (f->env, NULL, "--check", "--json", "--no-cache", "--mode=stop-unknowns",
                            path, NULL);
  g_assert_cmpint (strict->status, ==, 1);
  blocked = single_json (strict);
  g_assert_cmpstr (member (blocked, "status"), ==, "no-results");
  g_assert_cmpstr (member (blocked, "decision"), ==, "block");

  text = cf_test_run_cli (f->env, NULL, "--check", "--no-cache", path, NULL);
  g_assert_null (strstr (text->out, "clean"));
  g_assert_null (strstr (text->out, "No engine flagged it"));
  g_assert_nonnull (strstr (text->out, "no results yet"));
}

/* With consent to send it, a file whose analysis is still running is
 * followed until the engines answer, not uploaded again. */
static void
test_no_results_followed (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cf_test_write_file (f->tmpdir, "fresh.bin", "analysed right now", -1, 0644);
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(JsonObject) item = NULL;

  g_assert_true (cf_fake_vt_register_file (f->server, path, "malicious:4,no-results-for:2", &error));
  run = cf_test_run_cli (f->env, NULL, "--check", "--json", "--upload=always", "--rate=0", path, NULL);
  g_assert_cmpint (run->status, ==, 1);
  item = single_json (run);
  g_assert_cmpstr (member (item, "status"), ==, "detected");
  g_assert_cmpint (json_object_get_int_member (item, "malicious"), ==, 4);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 3);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "uploads"), ==, 0);
}

/* 3. The summary says 0 malicious, every engine's result says malicious:
 * the worse view decides, and the output says the reply disagreed. */
static void
test_disagree (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cf_test_write_file (f->tmpdir, "two-faced.sh", "#!/bin/sh\necho two\n", -1, 0755);
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(CfTestRun) text = NULL;
  g_autoptr(JsonObject) item = NULL;

  g_assert_true (cf_fake_vt_register_file (f->server, path, "clean,disagree", &error));
  run = cf_test_run_cli (f->env, NULL, "--check", "--json", path, NULL);
  g_assert_cmpint (run->status, ==, 1);
  item = single_json (run);
  g_assert_cmpstr (member (item, "status"), ==, "detected");
  g_assert_cmpstr (member (item, "decision"), ==, "block");
  g_assert_cmpint (json_object_get_int_member (item, "malicious"), ==, 64);
  g_assert_true (json_object_get_boolean_member (item, "inconsistent"));

  /* From the cache too: the disagreement is kept, not smoothed over. */
  text = cf_test_run_cli (f->env, NULL, "--check", path, NULL);
  g_assert_cmpint (text->status, ==, 1);
  g_assert_nonnull (strstr (text->out, "disagree"));
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 1);
}

/* 4. Flagged by some engines, fewer than the threshold: allowed, and said
 * so, never called clean. */
static void
test_below_threshold (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cf_test_write_file (f->tmpdir, "tool.sh", "#!/bin/sh\necho tool\n", -1, 0755);
  g_autofree char *suspicious = cf_test_write_file (f->tmpdir, "odd.sh", "#!/bin/sh\necho odd\n", -1, 0755);
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(CfTestRun) text = NULL;
  g_autoptr(CfTestRun) odd = NULL;
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(JsonObject) odd_item = NULL;

  g_assert_true (cf_fake_vt_register_file (f->server, path, "malicious:5", &error));
  g_assert_true (cf_fake_vt_register_file (f->server, suspicious, "suspicious:2", &error));

  run = cf_test_run_cli (f->env, NULL, "--check", "--json", "--threshold=10", path, NULL);
  g_assert_cmpint (run->status, ==, 0);
  item = single_json (run);
  g_assert_cmpstr (member (item, "status"), ==, "flagged");
  g_assert_cmpstr (member (item, "reason"), ==, "below-threshold");
  g_assert_cmpstr (member (item, "decision"), ==, "allow");
  g_assert_cmpint (json_object_get_int_member (item, "malicious"), ==, 5);

  text = cf_test_run_cli (f->env, NULL, "--check", "--threshold=10", path, NULL);
  g_assert_null (strstr (text->out, "clean"));
  g_assert_null (strstr (text->out, "No engine flagged it"));
  g_assert_nonnull (strstr (text->out, "below your threshold of 10"));

  /* Suspicious alone is not nobody. */
  odd = cf_test_run_cli (f->env, NULL, "--check", "--json", suspicious, NULL);
  g_assert_cmpint (odd->status, ==, 0);
  odd_item = single_json (odd);
  g_assert_cmpstr (member (odd_item, "status"), ==, "flagged");
  g_assert_cmpint (json_object_get_int_member (odd_item, "suspicious"), ==, 2);
}

/* 5. A body that stops coming: the request has a deadline, the file is
 * reported, and the next file is still checked. */
static void
test_trickle (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  guint stopped = 0, clean = 0;

  /* Whichever file's request comes first gets the trickle. */
  cf_fake_vt_push_fault (f->server, "trickle");
  run = cf_test_run_cli (f->env, NULL, "--check", "--json", "--wait-max=5", f->clean, f->other, NULL);
  g_assert_cmpint (run->status, !=, CF_TEST_RUN_HUNG);
  g_assert_cmpint (run->status, ==, 2);
  rows = cf_test_parse_json_lines (run->out);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (member (row, "status"), "clean") == 0)
        clean++;
      else if (g_strcmp0 (member (row, "status"), "error") == 0 &&
               strstr (member (row, "error"), "stopped answering") != NULL)
        stopped++;
    }
  g_assert_cmpuint (stopped, ==, 1);
  g_assert_cmpuint (clean, ==, 1);
  g_assert_nonnull (strstr (run->err, "stopped answering"));
}

/* 6. A 429 that never ends, with no Retry-After (what VirusTotal sends):
 * the minute it would wait is longer than --wait-max allows, so it says so
 * at once, with the moment it would have tried again. */
static void
test_lasting_429 (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(JsonObject) item = NULL;

  cf_fake_vt_push_fault (f->server, "always:429");
  run = cf_test_run_cli (f->env, NULL, "--check", "--json", "--wait-max=8", f->clean, NULL);
  g_assert_cmpint (run->status, !=, CF_TEST_RUN_HUNG);
  g_assert_cmpint (run->status, ==, 2);
  item = single_json (run);
  g_assert_cmpstr (member (item, "status"), ==, "error");
  g_assert_nonnull (strstr (member (item, "error"), "8 s"));
  g_assert_nonnull (strstr (run->err, "VirusTotal says the request quota is used up"));
  g_assert_nonnull (strstr (run->err, "until"));
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "429"), ==, 1);
}

/* The same with short Retry-After waits that add up: each wait is told on
 * stderr as it begins, and the bound ends them all. */
static void
test_lasting_429_retry_after (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(JsonObject) item = NULL;

  cf_fake_vt_push_fault (f->server, "always:429:2");
  run = cf_test_run_cli (f->env, NULL, "--check", "--json", "--wait-max=7", "--rate=0", f->clean, NULL);
  g_assert_cmpint (run->status, !=, CF_TEST_RUN_HUNG);
  g_assert_cmpint (run->status, ==, 2);
  item = single_json (run);
  g_assert_cmpstr (member (item, "status"), ==, "error");
  g_assert_nonnull (strstr (member (item, "error"), "Gave up after 7 s"));
  g_assert_nonnull (strstr (run->err, "VirusTotal says the request quota is used up (HTTP 429); "
                                      "waiting until"));
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "429"), >=, 2);
}

/* 10. Control characters from the server never reach a terminal raw. */
static gboolean
has_raw_control (const char *text)
{
  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20 && *p != '\n')
      return TRUE;
  return strstr (text, "\u202e") != NULL || strstr (text, "\xc2\x9b") != NULL;
}

static void
test_hostile_text (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cf_test_write_file (f->tmpdir, "loud.sh", "#!/bin/sh\necho loud\n", -1, 0755);
  const char *formats[] = { NULL, "--csv", "--json" };

  g_assert_true (cf_fake_vt_register_file (f->server, path, "malicious:3,hostile-text", &error));

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(CfTestRun) run = formats[i] != NULL ?
        cf_test_run_cli (f->env, NULL, "--check", formats[i], path, NULL) :
        cf_test_run_cli (f->env, NULL, "--check", path, NULL);
      g_auto(GStrv) lines = g_strsplit (run->out, "\n", -1);
      guint rows = 0;

      g_assert_cmpint (run->status, ==, 1);
      g_assert_false (has_raw_control (run->out));
      g_assert_false (has_raw_control (run->err));
      /* No forged line: one result row (and a header for CSV). */
      for (guint j = 0; lines[j] != NULL; j++)
        if (strstr (lines[j], "forged.sh") != NULL)
          rows++;
      g_assert_cmpuint (rows, <=, 1);
      if (formats[i] != NULL && g_str_equal (formats[i], "--json"))
        {
          g_autoptr(JsonObject) item = single_json (run);
          /* JSON stays JSON: the label is there, escaped by JSON's rules. */
          g_assert_nonnull (strstr (member (item, "threat_label"), "\033[2J"));
        }
    }
}

/* Analysis ids go on the wire as VirusTotal gave them, "=" and all. */
static void
test_analysis_id_as_given (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *strace = g_find_program_in_path ("strace");
  g_autofree char *trace = g_build_filename (f->tmpdir, "trace", NULL);
  g_autofree char *upload = cf_test_write_file (f->tmpdir, "never-seen.bin", "new to everyone", -1, 0644);
  g_autofree char *log = NULL;
  g_autoptr(CfTestRun) run = NULL;
  /* What the process writes to its sockets, as it writes it. */
  const char *wrapper[] = { strace, "-f", "-e", "trace=sendto,sendmsg,write,writev", "-s", "400",
                            "-o", trace, NULL };
  const char *args[] = { "--check", "--json", "--upload=always", "--rate=0", upload, NULL };

  g_assert_nonnull (strace);
  run = cf_test_run_cli_wrapped (f->env, NULL, wrapper, args);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (g_file_get_contents (trace, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "GET /api/v3/analyses/"));
  g_assert_nonnull (strstr (log, "== HTTP/1.1"));
  g_assert_null (strstr (log, "%3D"));
}

/* After an upload, an analysis VirusTotal keeps answering 404 for is not
 * "never seen": say what happened. */
static void
test_lost_analysis (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *upload = cf_test_write_file (f->tmpdir, "never-seen.bin", "new to everyone", -1, 0644);
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(JsonObject) item = NULL;

  cf_fake_vt_set_analysis_not_found_polls (f->server, 1000);
  run = cf_test_run_cli (f->env, NULL, "--check", "--json", "--upload=always", "--rate=0",
                         "--wait-max=60", upload, NULL);
  g_assert_cmpint (run->status, ==, 2);
  item = single_json (run);
  g_assert_cmpstr (member (item, "status"), ==, "error");
  g_assert_null (strstr (member (item, "error"), "never seen"));
  g_assert_nonnull (strstr (member (item, "error"), "uploaded"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cf/replies/wrong-id", test_wrong_id);
  ADD ("/cf/replies/wrong-id-lookup", test_wrong_id_lookup);
  ADD ("/cf/replies/no-results", test_no_results);
  ADD ("/cf/replies/no-results-followed", test_no_results_followed);
  ADD ("/cf/replies/disagree", test_disagree);
  ADD ("/cf/replies/below-threshold", test_below_threshold);
  ADD ("/cf/replies/trickle", test_trickle);
  ADD ("/cf/replies/lasting-429", test_lasting_429);
  ADD ("/cf/replies/lasting-429-retry-after", test_lasting_429_retry_after);
  ADD ("/cf/replies/hostile-text", test_hostile_text);
  ADD ("/cf/replies/analysis-id-as-given", test_analysis_id_as_given);
  ADD ("/cf/replies/lost-analysis", test_lost_analysis);
#undef ADD

  return g_test_run ();
}
