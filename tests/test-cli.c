/* test-cli.c: the headless commands as a person or a script runs them
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* posix_openpt () and its friends, for a terminal to show progress on. */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "cf-display.h"
#include "cf-test-util.h"

#define EICAR_SHA256 "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"
#define EICAR_MD5 "44d88612fea8a8f36de82e1278abb02f"

typedef struct
{
  CfFakeVt  *server;
  char      *tmpdir;
  char      *data_home;
  char     **env;
  char      *eicar;
  char      *clean;
  char      *unknown;
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
  f->unknown = cf_test_write_file (f->tmpdir, "new.bin", "never seen before", -1, 0644);
  g_assert_true (cf_fake_vt_register_file (f->server, f->eicar, "eicar", &error));
  g_assert_true (cf_fake_vt_register_file (f->server, f->clean, "clean", &error));
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
  g_free (f->unknown);
}

static JsonObject *
single_json (CfTestRun *run)
{
  g_autoptr(GPtrArray) objects = cf_test_parse_json_lines (run->out);

  g_assert_cmpuint (objects->len, ==, 1);
  return json_object_ref (g_ptr_array_index (objects, 0));
}

static void
test_eicar_blocked (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CfTestRun) run = cf_test_run_cli (f->env, NULL, "--check", "--json", f->eicar, NULL);
  g_autoptr(JsonObject) item = NULL;

  g_assert_cmpint (run->status, ==, 1);
  item = single_json (run);
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "detected");
  g_assert_cmpstr (json_object_get_string_member (item, "decision"), ==, "block");
  g_assert_cmpstr (json_object_get_string_member (item, "sha256"), ==, EICAR_SHA256);
  g_assert_cmpstr (json_object_get_string_member (item, "path"), ==, f->eicar);
  g_assert_cmpstr (json_object_get_string_member (item, "source"), ==, "api");
  g_assert_cmpstr (json_object_get_string_member (item, "threat_label"), ==, "virus.eicar/test");
  g_assert_cmpstr (json_object_get_string_member (item, "permalink"), ==,
                   "https://www.virustotal.com/gui/file/" EICAR_SHA256);
  g_assert_cmpint (json_object_get_int_member (item, "malicious"), ==, 62);
  g_assert_cmpint (json_object_get_int_member (item, "size"), ==, strlen (CF_EICAR));
  g_assert_cmpint (json_object_get_int_member (item, "engines"), ==,
                   json_object_get_int_member (item, "malicious") +
                   json_object_get_int_member (item, "suspicious") +
                   json_object_get_int_member (item, "undetected") +
                   json_object_get_int_member (item, "harmless"));
}

static void
test_human_output (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CfTestRun) run = cf_test_run_cli (f->env, NULL, "--check", f->clean, f->eicar, NULL);
  g_auto(GStrv) lines = g_strsplit (run->out, "\n", -1);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  /* In the order given, aligned, with the decision, the verdict in words
   * and both counts. */
  g_assert_true (g_str_has_prefix (lines[0], "allowed    "));
  g_assert_nonnull (strstr (lines[0], f->clean));
  g_assert_nonnull (strstr (lines[0], "No engine flagged it"));
  g_assert_true (g_str_has_prefix (lines[1], "blocked    "));
  g_assert_nonnull (strstr (lines[1], "Flagged by 62 of"));
  g_assert_nonnull (strstr (lines[1], " · Malicious 62 · Suspicious 0"));
  /* More than one file: the tally, on stderr, where it stays out of a pipe. */
  g_assert_cmpstr (run->err, ==,
                   "1 blocked, 0 flagged below your threshold, 0 unknown, 1 clean, 0 errors; "
                   "2 requests spent\n");
}

static void
test_clean_allowed (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CfTestRun) run = cf_test_run_cli (f->env, NULL, "--check", "--json", f->clean, NULL);
  g_autoptr(JsonObject) item = NULL;

  g_assert_cmpint (run->status, ==, 0);
  item = single_json (run);
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "clean");
  g_assert_cmpstr (json_object_get_string_member (item, "decision"), ==, "allow");
  g_assert_cmpint (json_object_get_int_member (item, "malicious"), ==, 0);
}

static void
test_unknown_modes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CfTestRun) normal = cf_test_run_cli (f->env, NULL, "--check", "--json", f->unknown, NULL);
  g_autoptr(CfTestRun) strict = NULL;
  g_autoptr(JsonObject) item = NULL;

  g_assert_cmpint (normal->status, ==, 0);
  item = single_json (normal);
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "unknown");
  g_assert_cmpstr (json_object_get_string_member (item, "decision"), ==, "allow");
  g_clear_pointer (&item, json_object_unref);

  strict = cf_test_run_cli (f->env, NULL, "--check", "--json", "--mode=stop-unknowns", f->unknown, NULL);
  g_assert_cmpint (strict->status, ==, 1);
  item = single_json (strict);
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "unknown");
  g_assert_cmpstr (json_object_get_string_member (item, "decision"), ==, "block");
  /* The second answer came from the cache: the policy applies at use. */
  g_assert_cmpstr (json_object_get_string_member (item, "source"), ==, "cache");
}

static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  g_auto(GStrv) env = cf_test_cli_env (f->server, f->data_home, "wrong-secret-marker");
  g_autoptr(CfTestRun) run = cf_test_run_cli (env, NULL, "--check", "--json", f->eicar, NULL);
  g_autoptr(JsonObject) item = NULL;
  g_autofree char *db = NULL;
  g_autofree char *db_path = g_build_filename (f->data_home, "check-first", "check-first.db", NULL);

  g_assert_cmpint (run->status, ==, 2);
  item = single_json (run);
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "error");
  g_assert_nonnull (strstr (json_object_get_string_member (item, "error"), "API key"));
  /* The key is a secret: not in the output, not in the database. */
  g_assert_null (strstr (run->out, "wrong-secret-marker"));
  g_assert_null (strstr (run->err, "wrong-secret-marker"));
  g_assert_true (g_file_get_contents (db_path, &db, NULL, NULL));
  g_assert_null (g_strstr_len (db, -1, "wrong-secret-marker"));
}

static void
test_no_key (Fixture       *f,
             gconstpointer  data)
{
  g_auto(GStrv) env = cf_test_cli_env (f->server, f->data_home, NULL);
  g_autoptr(CfTestRun) run = cf_test_run_cli (env, NULL, "--check", f->eicar, NULL);

  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->out, "VT_API_KEY"));
  g_assert_nonnull (strstr (run->out, "https://www.virustotal.com/gui/join-us"));
}

static void
test_bad_files (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (f->tmpdir, "pipe", NULL);
  g_autofree char *missing = g_build_filename (f->tmpdir, "missing", NULL);
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(GPtrArray) items = NULL;

  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  run = cf_test_run_cli (f->env, NULL, "--check", "--json", missing, fifo, f->tmpdir, "/dev/zero", NULL);
  g_assert_cmpint (run->status, ==, 2);
  items = cf_test_parse_json_lines (run->out);
  g_assert_cmpuint (items->len, ==, 4);
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "error");
    }
  g_assert_nonnull (strstr (json_object_get_string_member (g_ptr_array_index (items, 0), "error"), "does not exist"));
  g_assert_nonnull (strstr (json_object_get_string_member (g_ptr_array_index (items, 1), "error"), "named pipe"));
  g_assert_nonnull (strstr (json_object_get_string_member (g_ptr_array_index (items, 2), "error"), "folder"));
  g_assert_nonnull (strstr (json_object_get_string_member (g_ptr_array_index (items, 3), "error"), "device"));
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "requests"), ==, 0);
}

/* A blocked item wins over an error in the exit status. */
static void
test_exit_status_mix (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->tmpdir, "missing", NULL);
  g_autoptr(CfTestRun) run = cf_test_run_cli (f->env, NULL, "--check", missing, f->eicar, NULL);

  g_assert_cmpint (run->status, ==, 1);
}

static void
test_lookup_md5 (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CfTestRun) run = cf_test_run_cli (f->env, NULL, "--lookup", "--json", EICAR_MD5, NULL);
  g_autoptr(JsonObject) item = NULL;

  g_assert_cmpint (run->status, ==, 1);
  item = single_json (run);
  g_assert_cmpstr (json_object_get_string_member (item, "hash"), ==, EICAR_MD5);
  g_assert_cmpstr (json_object_get_string_member (item, "sha256"), ==, EICAR_SHA256);

  /* Text output names the SHA-256 too. */
  {
    g_autoptr(CfTestRun) text = cf_test_run_cli (f->env, NULL, "--lookup", EICAR_MD5, NULL);
    g_assert_nonnull (strstr (text->out, EICAR_SHA256));
  }
}

static void
test_hash_like_sha256sum (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *odd = cf_test_write_file (f->tmpdir, "-dash back\\slash\nnewline", "odd", -1, 0644);
  g_autofree char *empty = cf_test_write_file (f->tmpdir, "empty", "", 0, 0644);
  g_autofree char *expected = NULL;
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "sha256sum", "--", f->eicar, odd, empty, NULL };
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &expected, NULL, &status, &error));
  g_assert_no_error (error);
  run = cf_test_run_cli (f->env, NULL, "--hash", "--", f->eicar, odd, empty, NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==, expected);
  g_assert_nonnull (strstr (run->out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

static void
add_files_under (GPtrArray  *paths,
                 const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      char *path = g_build_filename (folder, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        g_free (path);
      else if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          add_files_under (paths, path);
          g_free (path);
        }
      else
        g_ptr_array_add (paths, path);
    }
}

/* Sizes where the hasher changes how it reads, one byte either side: a
 * SHA-256 block and its padding, the smallest buffer of a file read in
 * turn, the bench set's largest file, one chunk, the size from which a file
 * is read ahead, and the whole ring of chunks. */
static const gsize hash_edges[] = {
  55, 56, 63, 64, 65,
  64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1,
  128 * 1024 - 1, 128 * 1024, 128 * 1024 + 1,
  1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1,
  2 * 1024 * 1024 - 1, 2 * 1024 * 1024, 2 * 1024 * 1024 + 1,
  4 * 1024 * 1024 - 1, 4 * 1024 * 1024, 4 * 1024 * 1024 + 1,
  5 * 1024 * 1024 + 17,
};

/* The same fingerprints as sha256sum, line for line, for every file of the
 * tests' own sources and fixtures, and for a set shaped like the
 * benchmark's: 600 small files of up to 128 KiB, an empty one, a one-byte
 * one, the sizes above, and one larger than everything the hasher reads
 * ahead.  All in one run, hashed on every core at once and printed in the
 * order given.  The contents come from the test's seed (--seed to rerun). */
static void
test_hash_matches_sha256sum (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sums_argv = g_ptr_array_new ();
  g_autoptr(GPtrArray) cli_argv = g_ptr_array_new ();
  g_autofree char *generated = g_build_filename (f->tmpdir, "generated", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  add_files_under (paths, g_getenv ("G_TEST_SRCDIR"));
  g_assert_cmpuint (paths->len, >, 100);

  g_assert_cmpint (g_mkdir (generated, 0700), ==, 0);
  for (guint i = 0; i < 603 + G_N_ELEMENTS (hash_edges); i++)
    {
      gsize size;
      g_autofree guchar *contents = NULL;
      g_autofree char *name = g_strdup_printf ("file-%03u", i);

      if (i == 0 || i == 1)
        size = i;
      else if (i == 2)
        size = 9 * 1024 * 1024 + 17;
      else if (i < 3 + G_N_ELEMENTS (hash_edges))
        size = hash_edges[i - 3];
      else
        size = g_test_rand_int_range (0, 128 * 1024 + 1);
      contents = g_malloc (size + 4);
      for (gsize j = 0; j < size; j += 4)
        {
          guint32 word = g_test_rand_int ();

          memcpy (contents + j, &word, 4);
        }
      g_ptr_array_add (paths, cf_test_write_file (generated, name, (char *) contents, size, 0644));
    }

  g_ptr_array_add (sums_argv, "sha256sum");
  g_ptr_array_add (sums_argv, "--");
  g_ptr_array_add (cli_argv, "--hash");
  g_ptr_array_add (cli_argv, "--");
  for (guint i = 0; i < paths->len; i++)
    {
      g_ptr_array_add (sums_argv, g_ptr_array_index (paths, i));
      g_ptr_array_add (cli_argv, g_ptr_array_index (paths, i));
    }
  g_ptr_array_add (sums_argv, NULL);
  g_ptr_array_add (cli_argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) sums_argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL,
                               NULL, &expected, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  run = cf_test_run_cliv (f->env, NULL, (const char **) cli_argv->pdata);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpstr (run->out, ==, expected);
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  const char *cases[][4] = {
    { "--check", "--mode=paranoid", "x", NULL },
    { "--check", "--threshold=0", "x", NULL },
    { "--check", NULL },
    { "--check", "--json", "--csv", NULL },
    { "--check", "--lookup", NULL },
    { "--lookup", "not-a-hash", NULL },
    { "--check", "--upload=sometimes", "x", NULL },
    { "--no-such-option", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CfTestRun) run = cf_test_run_cliv (f->env, NULL, cases[i]);

      g_assert_cmpint (run->status, ==, 64);
      g_assert_cmpstr (run->out, ==, "");
      g_assert_cmpstr (run->err, !=, "");
    }
}

/* The second check of an unchanged file spends no request and does not
 * read the file: its identity names its hash, under a lease. */
static void
test_second_check_is_free (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(CfTestRun) first = cf_test_run_cli (f->env, NULL, "--check", f->eicar, NULL);
  g_autoptr(CfTestRun) second = NULL;
  g_autoptr(JsonObject) item = NULL;
  g_autofree char *trace_path = g_build_filename (f->tmpdir, "trace", NULL);
  g_autofree char *trace = NULL;
  g_autofree char *strace = g_find_program_in_path ("strace");
  guint lookups = cf_fake_vt_get_count (f->server, "lookups");

  g_assert_cmpint (first->status, ==, 1);
  g_assert_cmpuint (lookups, ==, 1);
  g_assert_nonnull (strace);

  {
    /* -y names each descriptor's file, so reads of eicar.com show as such. */
    const char *wrapper[] = { strace, "-f", "-y", "-e", "trace=openat,read,pread64,readv,preadv,mmap",
                              "-o", trace_path, NULL };
    const char *args[] = { "--check", "--json", f->eicar, NULL };

    second = cf_test_run_cli_wrapped (f->env, NULL, wrapper, args);
    g_assert_cmpint (second->status, ==, 1);
  }

  item = single_json (second);
  g_assert_cmpstr (json_object_get_string_member (item, "source"), ==, "cache");
  g_assert_cmpint (json_object_get_int_member (item, "malicious"), ==, 62);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, lookups);
  g_assert_true (g_file_get_contents (trace_path, &trace, NULL, NULL));
  g_assert_nonnull (strstr (trace, "check-first.db"));
  /* Opened, read-only, to take a lease that proves nobody writes it; never read. */
  {
    g_auto(GStrv) lines = g_strsplit (trace, "\n", -1);
    guint opens = 0;

    for (guint i = 0; lines[i] != NULL; i++)
      {
        if (strstr (lines[i], "eicar.com") == NULL)
          continue;
        if (strstr (lines[i], "openat(") != NULL)
          {
            opens++;
            g_assert_nonnull (strstr (lines[i], "O_RDONLY"));
          }
        else
          g_assert_null (strstr (lines[i], "eicar.com>"));
      }
    g_assert_cmpuint (opens, ==, 1);
  }
}

static void
test_no_cache (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CfTestRun) first = cf_test_run_cli (f->env, NULL, "--check", f->clean, NULL);
  g_autofree char *strace = g_find_program_in_path ("strace");
  g_autofree char *trace_path = g_build_filename (f->tmpdir, "trace", NULL);
  g_autofree char *trace = NULL;
  const char *wrapper[] = { strace, "-f", "-y", "-e", "trace=pread64", "-o", trace_path, NULL };
  const char *args[] = { "--check", "--no-cache", "--json", f->clean, NULL };
  g_autoptr(CfTestRun) second = NULL;
  g_autoptr(JsonObject) item = NULL;
  g_autofree char *read_mark = g_strdup_printf ("%s>", f->clean);

  g_assert_nonnull (strace);
  second = cf_test_run_cli_wrapped (f->env, NULL, wrapper, args);
  item = single_json (second);
  g_assert_cmpstr (json_object_get_string_member (item, "source"), ==, "api");
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 2);
  /* No identity cache either: the file is read again. */
  g_assert_true (g_file_get_contents (trace_path, &trace, NULL, NULL));
  g_assert_nonnull (strstr (trace, read_mark));
}

/* The threshold applies to cached answers too. */
static void
test_threshold_on_cache (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CfTestRun) first = cf_test_run_cli (f->env, NULL, "--check", f->eicar, NULL);
  g_autoptr(CfTestRun) second = cf_test_run_cli (f->env, NULL, "--check", "--json", "--threshold=63", f->eicar, NULL);
  g_autoptr(JsonObject) item = single_json (second);

  g_assert_cmpint (first->status, ==, 1);
  g_assert_cmpint (second->status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "decision"), ==, "allow");
  g_assert_cmpstr (json_object_get_string_member (item, "source"), ==, "cache");
}

static void
test_trust_list (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *clean_sha = NULL;
  g_autoptr(CfTestRun) hash = cf_test_run_cli (f->env, NULL, "--hash", f->clean, NULL);
  g_autoptr(CfTestRun) allow = cf_test_run_cli (f->env, NULL, "--allow-hash=" EICAR_SHA256, "--note=lab sample", NULL);
  g_autoptr(CfTestRun) allowed = NULL;
  g_autoptr(CfTestRun) block = NULL;
  g_autoptr(CfTestRun) blocked = NULL;
  g_autoptr(CfTestRun) list = NULL;
  g_autoptr(CfTestRun) bad = NULL;
  g_autoptr(JsonObject) item = NULL;

  g_assert_cmpint (allow->status, ==, 0);
  allowed = cf_test_run_cli (f->env, NULL, "--check", "--json", f->eicar, NULL);
  g_assert_cmpint (allowed->status, ==, 0);
  item = single_json (allowed);
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "trusted");
  g_assert_cmpstr (json_object_get_string_member (item, "source"), ==, "trust");
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "requests"), ==, 0);
  g_clear_pointer (&item, json_object_unref);

  clean_sha = g_strndup (hash->out, 64);
  {
    g_autofree char *arg = g_strconcat ("--block-hash=", clean_sha, NULL);
    block = cf_test_run_cli (f->env, NULL, arg, NULL);
  }
  g_assert_cmpint (block->status, ==, 0);
  blocked = cf_test_run_cli (f->env, NULL, "--check", "--json", f->clean, NULL);
  g_assert_cmpint (blocked->status, ==, 1);
  item = single_json (blocked);
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "detected");
  g_assert_cmpstr (json_object_get_string_member (item, "reason"), ==, "blocked-by-you");

  list = cf_test_run_cli (f->env, NULL, "--list-trust", NULL);
  g_assert_nonnull (strstr (list->out, EICAR_SHA256));
  g_assert_nonnull (strstr (list->out, "lab sample"));
  g_assert_nonnull (strstr (list->out, clean_sha));

  bad = cf_test_run_cli (f->env, NULL, "--allow-hash=1234", NULL);
  g_assert_cmpint (bad->status, ==, 64);
}

static void
test_lookup_list (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *input = NULL;
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const char *unknown = "1111111111111111111111111111111111111111111111111111111111111111";
  const char *clean = "2222222222222222222222222222222222222222222222222222222222222222";
  guint seen = 0;

  g_assert_true (cf_fake_vt_register_hash (f->server, clean, "clean", &error));
  input = g_strdup_printf ("# collected on host a\n%s  /usr/bin/a\n\n%s\n%s  /tmp/evil\nnot-a-hash\n%s  /tmp/evil-copy\n",
                           clean, unknown, EICAR_SHA256, EICAR_SHA256);
  run = cf_test_run_cli (f->env, input, "--lookup", "--json", NULL);
  g_assert_cmpint (run->status, ==, 1);
  items = cf_test_parse_json_lines (run->out);
  /* Every row gets its answer, as it comes: the order is the answers'. */
  g_assert_cmpuint (items->len, ==, 5);
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      const char *path = json_object_get_string_member_with_default (item, "path", NULL);
      const char *status = json_object_get_string_member (item, "status");

      if (g_strcmp0 (path, "/tmp/evil") == 0 || g_strcmp0 (path, "/tmp/evil-copy") == 0)
        {
          g_assert_cmpstr (status, ==, "detected");
          g_assert_cmpstr (json_object_get_string_member (item, "sha256"), ==, EICAR_SHA256);
          seen |= g_str_equal (path, "/tmp/evil") ? 1 : 2;
        }
      else if (g_strcmp0 (path, "/usr/bin/a") == 0)
        {
          g_assert_cmpstr (status, ==, "clean");
          seen |= 4;
        }
      else if (g_strcmp0 (status, "unknown") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (item, "sha256"), ==, unknown);
          seen |= 8;
        }
      else
        {
          g_assert_cmpstr (status, ==, "error");
          seen |= 16;
        }
    }
  g_assert_cmpuint (seen, ==, 31);
  /* Duplicates are looked up once. */
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 3);
  g_assert_nonnull (strstr (run->err, "2 blocked, 0 flagged below your threshold, 1 unknown, 1 clean, 1 errors; 3 requests spent"));
}

static void
test_quota_command (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CfTestRun) check = NULL;
  g_autoptr(CfTestRun) quota = NULL;
  g_autoptr(CfTestRun) json = NULL;
  g_autoptr(JsonObject) object = NULL;

  /* A public key: the first --quota of the day reads what it may spend,
   * which is one more request. */
  g_assert_true (cf_fake_vt_set_account (f->server, "public", NULL));
  check = cf_test_run_cli (f->env, NULL, "--check", f->clean, NULL);
  quota = cf_test_run_cli (f->env, NULL, "--quota", NULL);
  json = cf_test_run_cli (f->env, NULL, "--quota", "--json", NULL);
  object = single_json (json);

  g_assert_cmpint (quota->status, ==, 0);
  g_assert_nonnull (strstr (quota->out, "This minute: 2 of 4"));
  g_assert_nonnull (strstr (quota->out, "Today:       2 of 500"));
  g_assert_nonnull (strstr (quota->out, "This month:  2 of 15500"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "day"), "used"), ==, 2);
}

static void
test_private_database (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CfTestRun) run = cf_test_run_cli (f->env, NULL, "--check", f->clean, NULL);
  g_autofree char *dir = g_build_filename (f->data_home, "check-first", NULL);
  g_autofree char *db = g_build_filename (dir, "check-first.db", NULL);
  struct stat st;

  g_assert_cmpint (stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (stat (db, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* Copies /bin/sleep with a few bytes appended, so its hash is its own,
 * and starts it. */
static GSubprocess *
start_sleeper (const char  *path,
               char       **sha256)
{
  g_autofree char *contents = NULL;
  g_autofree char *stamp = g_strdup_printf ("check-first test %" G_GINT64_FORMAT, g_get_real_time ());
  g_autoptr(GError) error = NULL;
  GString *data;
  gsize length;
  GSubprocess *process;

  g_assert_true (g_file_get_contents ("/bin/sleep", &contents, &length, &error));
  data = g_string_new_len (contents, length);
  g_string_append (data, stamp);
  g_assert_true (g_file_set_contents (path, data->str, data->len, &error));
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) data->str, data->len);
  g_string_free (data, TRUE);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, path, "60", NULL);
  g_assert_no_error (error);
  return process;
}

static JsonObject *
find_by_sha256 (GPtrArray  *items,
                const char *sha256,
                guint      *index)
{
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);

      if (json_object_has_member (item, "sha256") &&
          g_strcmp0 (json_object_get_string_member (item, "sha256"), sha256) == 0)
        {
          *index = i;
          return item;
        }
    }
  return NULL;
}

static gboolean
array_has_int (JsonArray *array,
               gint64     value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (json_array_get_int_element (array, i) == value)
      return TRUE;
  return FALSE;
}

/* A flagged copy of a small program shows up first, with its PID; a copy
 * deleted after it started is still hashed and says so. */
static void
test_processes (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *evil_path = g_build_filename (f->tmpdir, "evil-sleep", NULL);
  g_autofree char *gone_path = g_build_filename (f->tmpdir, "gone-sleep", NULL);
  g_autofree char *evil_sha = NULL;
  g_autofree char *gone_sha = NULL;
  g_autoptr(GSubprocess) evil = start_sleeper (evil_path, &evil_sha);
  g_autoptr(GSubprocess) gone = start_sleeper (gone_path, &gone_sha);
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *item;
  guint index = G_MAXUINT;

  int evil_pid = atoi (g_subprocess_get_identifier (evil));
  int gone_pid = atoi (g_subprocess_get_identifier (gone));

  g_assert_true (cf_fake_vt_register_hash (f->server, evil_sha, "malicious:5", &error));
  g_assert_cmpint (g_unlink (gone_path), ==, 0);

  run = cf_test_run_cli (f->env, NULL, "--processes", "--json", "--rate=0", NULL);
  g_subprocess_force_exit (evil);
  g_subprocess_force_exit (gone);

  g_assert_cmpint (run->status, ==, 1);
  items = cf_test_parse_json_lines (run->out);
  g_assert_cmpuint (items->len, >=, 3);

  item = find_by_sha256 (items, evil_sha, &index);
  g_assert_nonnull (item);
  g_assert_cmpuint (index, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "detected");
  g_assert_cmpint (json_object_get_int_member (item, "malicious"), ==, 5);
  g_assert_true (array_has_int (json_object_get_array_member (item, "pids"), evil_pid));
  g_assert_true (json_object_get_boolean_member (item, "user_writable"));
  g_assert_false (json_object_get_boolean_member (item, "deleted"));

  item = find_by_sha256 (items, gone_sha, &index);
  g_assert_nonnull (item);
  g_assert_true (json_object_get_boolean_member (item, "deleted"));
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "unknown");
  g_assert_true (array_has_int (json_object_get_array_member (item, "pids"), gone_pid));

  /* Many processes, one request: every executable was asked once. */
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), <=, items->len);
}

static void
test_lookup_csv_and_osquery (Fixture       *f,
                             gconstpointer  data)
{
  const char *osquery =
    "[{\"hostIdentifier\": \"web1\", \"pid\": \"42\", \"name\": \"=evil()\", \"path\": \"/tmp/evil\","
    "  \"sha256\": \"275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f\"},"
    " {\"hostIdentifier\": \"db1\", \"pid\": \"7\", \"name\": \"evil\", \"path\": \"/opt/evil\","
    "  \"sha256\": \"275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f\"}]";
  g_autoptr(CfTestRun) run = cf_test_run_cli (f->env, osquery, "--lookup", "--csv", "-", NULL);
  g_auto(GStrv) lines = g_strsplit (run->out, "\n", -1);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_true (g_str_has_prefix (lines[0], "path,hash,host,name,pid,sha256,"));
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  /* A name that looks like a formula is quoted so a spreadsheet won't run it. */
  g_assert_nonnull (strstr (run->out, ",web1,\"'=evil()\",42,"));
  g_assert_nonnull (strstr (run->out, ",db1,evil,7,"));
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 1);
}

/* A long list repeats itself: every duplicate gets its row, and none costs
 * a request, whether its answer is still kept in memory (the first hash,
 * asked last) or has been dropped from it and comes from the cache. */
static void
test_lookup_duplicates (Fixture       *f,
                        gconstpointer  data)
{
  const guint unique = 1100;
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GHashTable) rows = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(CfTestRun) run = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < unique; i++)
    g_ptr_array_add (hashes, g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) &i, sizeof i));
  g_assert_true (cf_fake_vt_register_hash (f->server, hashes->pdata[0], "malicious:3", NULL));
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < unique; i++)
      g_string_append_printf (list, "%s\n", (char *) hashes->pdata[i]);
  g_string_append_printf (list, "%s\n", (char *) hashes->pdata[0]);

  run = cf_test_run_cli (f->env, list->str, "--lookup", "--json", "--rate=0", "-", NULL);
  g_assert_cmpint (run->status, ==, 1);
  items = cf_test_parse_json_lines (run->out);
  g_assert_cmpuint (items->len, ==, 2 * unique + 1);
  for (guint i = 0; i < items->len; i++)
    {
      const char *sha256 = json_object_get_string_member (items->pdata[i], "sha256");
      guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (rows, sha256));

      g_hash_table_insert (rows, (gpointer) sha256, GUINT_TO_POINTER (seen + 1));
      g_assert_cmpstr (json_object_get_string_member (items->pdata[i], "status"), ==,
                       g_str_equal (sha256, hashes->pdata[0]) ? "detected" : "unknown");
    }
  g_assert_cmpuint (g_hash_table_size (rows), ==, unique);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (rows, hashes->pdata[0])), ==, 3);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (rows, hashes->pdata[unique - 1])), ==, 2);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, unique);
}

static void
test_version (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CfTestRun) run = cf_test_run_cli (f->env, NULL, "--version", NULL);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->out, ==, "check-first " PACKAGE_VERSION "\n");
}

/* Reads lines from a running command's output as they come. */
typedef struct
{
  GDataInputStream *stream;
  GPtrArray        *lines;
  gboolean          ended;
} LineReader;

static void
on_line (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  LineReader *reader = user_data;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                          NULL, NULL);

  if (line == NULL)
    {
      reader->ended = TRUE;
      return;
    }
  g_ptr_array_add (reader->lines, line);
  g_data_input_stream_read_line_async (reader->stream, G_PRIORITY_DEFAULT, NULL, on_line, reader);
}

/* At the budget of a free key, 4 lookups a minute, a list of 6 new hashes:
 * the first 4 rows are printed while the 5th waits for the next minute,
 * long before the batch could end.  Ctrl+C then stops it at once with the
 * summary of what was done, and says a rerun costs nothing for those. */
static void
test_lookup_streams_and_stops (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GString) list = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *input = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) err_stream = NULL;
  g_autoptr(GError) error = NULL;
  LineReader out = { NULL, g_ptr_array_new_with_free_func (g_free), FALSE };
  gint64 deadline;

  for (guint i = 0; i < 6; i++)
    g_string_append_printf (list, "%064x\n", 0x5000 + i);
  path = cf_test_write_file (f->tmpdir, "six.txt", list->str, -1, 0644);
  input = g_strconcat ("--input=", path, NULL);

  g_subprocess_launcher_set_environ (launcher, f->env);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CHECK_FIRST_BIN"),
                                         "--lookup", "--json", "--rate=4", input, NULL);
  g_assert_no_error (error);
  out.stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (out.stream, G_PRIORITY_DEFAULT, NULL, on_line, &out);

  /* A bound for a hung program, not a measure of speed. */
  deadline = g_get_monotonic_time () + CF_TEST_RUN_BOUND * G_USEC_PER_SEC;
  while (out.lines->len < 4 && !out.ended && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (out.lines->len, ==, 4);
  g_assert_false (out.ended);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 4);
  for (guint i = 0; i < out.lines->len; i++)
    g_assert_nonnull (strstr (g_ptr_array_index (out.lines, i), "\"status\":\"unknown\""));

  g_subprocess_send_signal (process, SIGINT);
  while (!out.ended && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
  g_assert_cmpuint (out.lines->len, ==, 4);
  err_stream = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  err = g_data_input_stream_read_upto (err_stream, "", 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (err, "4 unknown"));
  g_assert_nonnull (strstr (err, "4 requests spent"));
  g_assert_nonnull (strstr (err, "asks VirusTotal nothing for them"));
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 4);

  g_object_unref (out.stream);
  g_ptr_array_unref (out.lines);
}

/* Runs check-first with @args and its standard error on a terminal
 * @columns wide (a pseudo-terminal: progress shows only on one), and
 * returns what that terminal was sent. */
static char *
run_on_terminal (char               **env,
                 guint                columns,
                 const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GString *shown = g_string_new (NULL);
  struct winsize size = { .ws_row = 24, .ws_col = columns };
  int master, terminal;
  gint64 deadline;

  master = posix_openpt (O_RDWR | O_NOCTTY);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  g_assert_cmpint (ioctl (master, TIOCSWINSZ, &size), ==, 0);
  terminal = open (ptsname (master), O_RDWR | O_NOCTTY);
  g_assert_cmpint (terminal, >=, 0);
  g_unix_set_fd_nonblocking (master, TRUE, NULL);

  g_ptr_array_add (argv, (gpointer) g_getenv ("CHECK_FIRST_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_take_stderr_fd (launcher, terminal);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* Read as it comes (a terminal's buffer is small), until it ends. */
  deadline = g_get_monotonic_time () + CF_TEST_RUN_BOUND * G_USEC_PER_SEC;
  for (;;)
    {
      char buffer[4096];
      gssize n = read (master, buffer, sizeof buffer);

      if (n > 0)
        {
          g_string_append_len (shown, buffer, n);
          continue;
        }
      if (n < 0 && errno != EAGAIN && errno != EINTR)
        break;   /* EIO: nobody holds the terminal any more */
      if (g_subprocess_get_identifier (process) == NULL)
        break;
      /* A run that hangs is stopped; what it showed is checked as usual. */
      if (g_get_monotonic_time () >= deadline)
        {
          g_subprocess_force_exit (process);
          break;
        }
      g_usleep (10000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_subprocess_wait (process, NULL, NULL);
  close (master);

  return g_string_free (shown, FALSE);
}

/* The progress line fits the terminal: a line that wrapped could not be
 * taken back with "\r", and its start ("…request bu") stayed on screen. */
static void
test_progress_fits (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *name = g_strnfill (90, 'n');
  g_autofree char *wide = g_strdup_printf ("%s-%s.txt", name, "\xe6\x96\x87\xe6\x9b\xb8");   /* wide characters too */
  g_autofree char *path = cf_test_write_file (f->tmpdir, wide, "A file with a long name.\n", -1, 0644);
  const char *args[] = { "--check", path, f->eicar, NULL };
  g_autofree char *shown = NULL;
  guint progress = 0;

  shown = run_on_terminal (f->env, 40, args);

  /* Each progress line is drawn after "\r\033[K" and taken back by the
   * next "\r"; a line that ends in "\n" (a result, the summary) stays, and
   * may wrap as any line does. */
  for (const char *p = strstr (shown, "\r\033[K"); p != NULL; p = strstr (p, "\r\033[K"))
    {
      const char *start = p + strlen ("\r\033[K");
      gsize length = strcspn (start, "\r\n");
      g_autofree char *text = g_strndup (start, length);

      p = start;
      /* The terminal turns each "\n" into "\r\n". */
      if (start[length] == '\n' || g_str_has_prefix (start + length, "\r\n") ||
          *text == '\0' || !g_utf8_validate (text, -1, NULL))
        continue;
      if (strstr (text, "nnnn") != NULL)
        progress++;
      g_assert_cmpuint (cf_display_width (text), <, 40);
    }
  /* The long name's progress was shown, cut to fit. */
  g_assert_cmpuint (progress, >, 0);
  g_assert_nonnull (strstr (shown, "\xe2\x80\xa6"));
}

/* The long names of "  --name…" lines of @text between @from and @to. */
static GHashTable *
listed_options (const char *text,
                const char *from,
                const char *to)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *start = strstr (text, from);
  const char *end;
  g_autofree char *part = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("^  --([a-z-]+)", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_assert_nonnull (start);
  start += strlen (from);
  end = to != NULL ? strstr (start, to) : NULL;
  part = end != NULL ? g_strndup (start, end - start) : g_strdup (start);
  for (g_regex_match (regex, part, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    g_hash_table_add (names, g_match_info_fetch (match, 1));
  return names;
}

/* The options a manual page's section names in its .TP paragraphs. */
static GHashTable *
manual_options (const char *page,
                const char *section,
                const char *next)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *start = strstr (page, section);
  const char *end;
  g_autofree char *part = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("\\\\-\\\\-([a-z\\\\-]+)", 0, 0, NULL);

  g_assert_nonnull (start);
  end = strstr (start + 1, next);
  g_assert_nonnull (end);
  part = g_strndup (start, end - start);
  lines = g_strsplit (part, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;

      if (!g_str_equal (lines[i], ".TP"))
        continue;
      if (g_regex_match (regex, lines[i + 1], 0, &match))
        {
          g_autofree char *name = g_match_info_fetch (match, 1);
          char **parts = g_strsplit (name, "\\-", -1);

          g_hash_table_add (names, g_strjoinv ("-", parts));
          g_strfreev (parts);
        }
    }
  return names;
}

static void
assert_same_names (GHashTable *a,
                   GHashTable *b,
                   const char *what)
{
  GHashTableIter iter;
  gpointer name;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    if (!g_hash_table_contains (b, name))
      g_error ("%s: --%s is in one list and not the other", what, (char *) name);
  g_assert_cmpuint (g_hash_table_size (a), ==, g_hash_table_size (b));
}

/* --help: the commands apart from the options that change them, with
 * examples; the manual page and the README say the same. */
static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(CfTestRun) run = cf_test_run_cli (f->env, NULL, "--help", NULL);
  g_autofree char *page_path = g_test_build_filename (G_TEST_DIST, "..", "data", "check-first.1", NULL);
  g_autofree char *readme_path = g_test_build_filename (G_TEST_DIST, "..", "README.md", NULL);
  g_autofree char *page = NULL;
  g_autofree char *readme = NULL;
  g_autoptr(GHashTable) commands = NULL;
  g_autoptr(GHashTable) options = NULL;
  g_autoptr(GHashTable) page_commands = NULL;
  g_autoptr(GHashTable) page_options = NULL;
  g_autoptr(GHashTable) readme_options = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTableIter iter;
  gpointer name;
  guint examples = 0;

  g_assert_cmpint (run->status, ==, 0);
  commands = listed_options (run->out, "\nCommands:\n", "\n\n");
  options = listed_options (run->out, "\nApplication Options:\n", "\n\n");
  g_assert_true (g_hash_table_contains (commands, "check"));
  g_assert_true (g_hash_table_contains (commands, "lookup"));
  g_assert_true (g_hash_table_contains (options, "json"));
  /* Apart: a command is not among the options, nor the other way round. */
  g_hash_table_iter_init (&iter, commands);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_assert_false (g_hash_table_contains (options, name));
  g_assert_nonnull (strstr (run->out, "--check FILE…"));

  g_assert_true (g_file_get_contents (page_path, &page, NULL, NULL));
  g_assert_true (g_file_get_contents (readme_path, &readme, NULL, NULL));
  page_commands = manual_options (page, "\n.SH COMMANDS\n", "\n.SH ");
  page_options = manual_options (page, "\n.SH OPTIONS\n", "\n.SH ");
  assert_same_names (commands, page_commands, "--help and the manual page's commands");
  assert_same_names (options, page_options, "--help and the manual page's options");
  readme_options = listed_options (readme, "\nOptions:\n", "```");
  assert_same_names (options, readme_options, "--help and the README's options");
  g_hash_table_iter_init (&iter, commands);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    {
      g_autofree char *in_readme = g_strdup_printf ("--%s", (char *) name);

      g_assert_nonnull (strstr (readme, in_readme));
    }

  /* Each example is in the manual page and the README too. */
  lines = g_strsplit (strstr (run->out, "\nExamples:\n"), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *escaped = NULL;
      char **parts;

      if (!g_str_has_prefix (lines[i], "    "))
        continue;
      examples++;
      g_assert_nonnull (strstr (readme, lines[i] + 4));
      parts = g_strsplit (lines[i] + 4, "-", -1);
      escaped = g_strjoinv ("\\-", parts);
      g_strfreev (parts);
      parts = g_strsplit (escaped, "~", -1);
      g_free (escaped);
      escaped = g_strjoinv ("\\(ti", parts);
      g_strfreev (parts);
      g_assert_nonnull (strstr (page, escaped));
    }
  g_assert_cmpuint (examples, >=, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cf/cli/eicar-blocked", test_eicar_blocked);
  ADD ("/cf/cli/progress-fits", test_progress_fits);
  ADD ("/cf/cli/help", test_help);
  ADD ("/cf/cli/human-output", test_human_output);
  ADD ("/cf/cli/clean-allowed", test_clean_allowed);
  ADD ("/cf/cli/unknown-modes", test_unknown_modes);
  ADD ("/cf/cli/wrong-key", test_wrong_key);
  ADD ("/cf/cli/no-key", test_no_key);
  ADD ("/cf/cli/bad-files", test_bad_files);
  ADD ("/cf/cli/exit-status-mix", test_exit_status_mix);
  ADD ("/cf/cli/lookup-md5", test_lookup_md5);
  ADD ("/cf/cli/hash-like-sha256sum", test_hash_like_sha256sum);
  ADD ("/cf/cli/hash-matches-sha256sum", test_hash_matches_sha256sum);
  ADD ("/cf/cli/usage-errors", test_usage_errors);
  ADD ("/cf/cli/second-check-is-free", test_second_check_is_free);
  ADD ("/cf/cli/no-cache", test_no_cache);
  ADD ("/cf/cli/threshold-on-cache", test_threshold_on_cache);
  ADD ("/cf/cli/trust-list", test_trust_list);
  ADD ("/cf/cli/lookup-list", test_lookup_list);
  ADD ("/cf/cli/quota-command", test_quota_command);
  ADD ("/cf/cli/private-database", test_private_database);
  ADD ("/cf/cli/version", test_version);
  ADD ("/cf/cli/processes", test_processes);
  ADD ("/cf/cli/lookup-csv-and-osquery", test_lookup_csv_and_osquery);
  ADD ("/cf/cli/lookup-duplicates", test_lookup_duplicates);
  ADD ("/cf/cli/lookup-streams-and-stops", test_lookup_streams_and_stops);
#undef ADD

  return g_test_run ();
}
