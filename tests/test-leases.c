/* test-leases.c: what is launched is what was checked: files held under a read lease
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cf-file-hold.h"
#include "cf-test-util.h"

static char *tmpdir;

static char *
sha256_of (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  char *sha256 = cf_hasher_hash_file (file, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return sha256;
}

static char *
scratch_file (const char *name,
              const char *contents)
{
  return cf_test_write_file (tmpdir, name, contents, -1, 0644);
}

/* Our own file, nobody writing it: leased, and it verifies. */
static void
test_held (void)
{
  g_autofree char *path = scratch_file ("held.txt", "nothing to see\n");
  g_autofree char *sha256 = sha256_of (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CfFileHold) hold = cf_file_hold_open (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (cf_file_hold_get_kind (hold), ==, CF_FILE_HOLD_LEASED);
  g_assert_false (cf_file_hold_is_broken (hold));
  g_assert_true (cf_file_hold_verify (hold, sha256, &error));
  g_assert_no_error (error);

  /* Readers do not break a read lease: a launch only reads. */
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_false (cf_file_hold_is_broken (hold));
  }

  cf_file_hold_release (hold);
  g_assert_true (cf_file_hold_is_broken (hold));
}

/* Open for writing somewhere, or mapped for writing: still being written,
 * and not held at all. */
static void
test_busy (void)
{
  g_autofree char *path = scratch_file ("busy.txt", "being written\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(CfFileHold) hold = NULL;
  int fd = open (path, O_RDWR);
  void *map;

  g_assert_cmpint (fd, >=, 0);
  hold = cf_file_hold_open (path, &error);
  g_assert_null (hold);
  g_assert_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "still being written"));
  g_clear_error (&error);

  /* A shared writable mapping outlives its descriptor. */
  map = mmap (NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  g_assert_true (map != MAP_FAILED);
  close (fd);
  hold = cf_file_hold_open (path, &error);
  g_assert_null (hold);
  g_assert_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_BUSY);
  g_clear_error (&error);

  munmap (map, 4096);
  hold = cf_file_hold_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (hold);
}

typedef struct
{
  gboolean broken;
  gboolean writer_done_when_broken;
  gboolean writer_done;
} BreakState;

static void
on_broken (CfFileHold *hold,
           BreakState *state)
{
  state->broken = TRUE;
  state->writer_done_when_broken = state->writer_done;
}

static void
on_writer_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BreakState *state = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  state->writer_done = TRUE;
}

/* Someone opens the file for writing after the lease was taken: they wait
 * until the hold lets go, which it does at once, and it says it broke. */
static void
test_break (void)
{
  g_autofree char *path = scratch_file ("break.sh", "#!/bin/sh\necho first\n");
  g_autofree char *sha256 = sha256_of (path);
  g_autofree char *script = g_strdup_printf ("printf 'echo second\\n' >> '%s'", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CfFileHold) hold = cf_file_hold_open (path, &error);
  g_autoptr(GSubprocess) writer = NULL;
  BreakState state = { FALSE, FALSE, FALSE };

  g_assert_no_error (error);
  g_signal_connect (hold, "broken", G_CALLBACK (on_broken), &state);

  writer = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "/bin/sh", "-c", script, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (writer, NULL, on_writer_done, &state);
  while (!state.writer_done)
    g_main_context_iteration (NULL, TRUE);

  /* The writer could only finish once the hold let go of its lease. */
  g_assert_true (state.broken);
  g_assert_false (state.writer_done_when_broken);
  g_assert_true (cf_file_hold_is_broken (hold));
  g_assert_false (cf_file_hold_verify (hold, sha256, &error));
  g_assert_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED);
}

/* Another file moved into its place is not the file checked. */
static void
test_replaced (void)
{
  g_autofree char *path = scratch_file ("replaced.sh", "#!/bin/sh\necho checked\n");
  g_autofree char *other = scratch_file ("other.sh", "#!/bin/sh\necho other\n");
  g_autofree char *sha256 = sha256_of (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CfFileHold) hold = cf_file_hold_open (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (g_rename (other, path), ==, 0);
  g_assert_false (cf_file_hold_is_broken (hold));
  g_assert_false (cf_file_hold_verify (hold, sha256, &error));
  g_assert_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED);
}

/* Someone else's file cannot be leased: it is hashed again, from the same
 * descriptor, to verify.  Run as nobody on a file of root's, or, when the
 * tests do not run as root, on a file of the system's. */
static void
test_not_owner (void)
{
  if (g_test_subprocess ())
    {
      const char *path = g_getenv ("CF_TEST_NOT_OWNED");
      g_autofree char *sha256 = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CfFileHold) hold = NULL;

      if (getuid () == 0)
        {
          struct passwd *nobody = getpwnam ("nobody");

          g_assert_nonnull (nobody);
          g_assert_cmpint (setgid (nobody->pw_gid), ==, 0);
          g_assert_cmpint (setuid (nobody->pw_uid), ==, 0);
        }
      sha256 = sha256_of (path);
      hold = cf_file_hold_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (cf_file_hold_get_kind (hold), ==, CF_FILE_HOLD_NOT_OWNER);
      g_assert_true (cf_file_hold_verify (hold, sha256, &error));
      g_assert_no_error (error);
      /* A verdict for other bytes does not verify: it really hashes again. */
      g_assert_false (cf_file_hold_verify (hold, "0000000000000000000000000000000000000000000000000000000000000000",
                                           &error));
      g_assert_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED);
      return;
    }

  {
    g_autofree char *path = NULL;

    if (getuid () == 0)
      {
        /* Root's file, in a folder nobody may enter and read. */
        g_assert_cmpint (g_chmod (tmpdir, 0755), ==, 0);
        path = scratch_file ("roots.sh", "#!/bin/sh\necho root\n");
      }
    else
      path = g_strdup ("/bin/sh");
    g_setenv ("CF_TEST_NOT_OWNED", path, TRUE);
    g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();
  }
}

/* Through the CLI: a program keeps the file mapped for writing and
 * rewrites it without a new time.  While it is mapped the file is "still
 * being written", and its identity is not remembered; afterwards the new
 * bytes are hashed, not answered from a stale identity. */
static void
test_cli_mapped_writer (void)
{
  g_autoptr(CfFakeVt) server = cf_test_fake_vt_new ();
  g_autofree char *data_home = g_build_filename (tmpdir, "home", NULL);
  g_auto(GStrv) env = NULL;
  /* The same size as EICAR, so that the size does not tell either. */
  g_autofree char *harmless = g_strnfill (strlen (CF_EICAR), 'h');
  g_autofree char *path = scratch_file ("mapped.com", harmless);
  g_autoptr(GError) error = NULL;
  g_autoptr(CfTestRun) busy = NULL;
  g_autoptr(CfTestRun) after = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  char *map;
  int fd;

  g_mkdir (data_home, 0700);
  env = cf_test_cli_env (server, data_home, CF_TEST_KEY);
  g_assert_true (cf_fake_vt_register_file (server, path, "clean", &error));
  g_assert_true (cf_fake_vt_register_hash (server,
                                           "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
                                           "eicar", &error));

  fd = open (path, O_RDWR);
  g_assert_cmpint (fd, >=, 0);
  map = mmap (NULL, strlen (CF_EICAR), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  g_assert_true (map != MAP_FAILED);
  close (fd);
  /* Dirty the page now: later writes through it set no new time. */
  map[0] = 'h';

  busy = cf_test_run_cli (env, NULL, "--check", "--json", path, NULL);
  g_assert_cmpint (busy->status, ==, 2);
  g_assert_nonnull (strstr (busy->out, "still being written"));
  g_assert_nonnull (strstr (busy->err, "still being written"));

  memcpy (map, CF_EICAR, strlen (CF_EICAR));
  munmap (map, strlen (CF_EICAR));

  after = cf_test_run_cli (env, NULL, "--check", "--json", path, NULL);
  g_assert_cmpint (after->status, ==, 1);
  rows = cf_test_parse_json_lines (after->out);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (rows, 0), "status"), ==,
                   "detected");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = cf_test_make_tmpdir ();

  g_test_add_func ("/cf/lease/held", test_held);
  g_test_add_func ("/cf/lease/busy", test_busy);
  g_test_add_func ("/cf/lease/break", test_break);
  g_test_add_func ("/cf/lease/replaced", test_replaced);
  g_test_add_func ("/cf/lease/not-owner", test_not_owner);
  g_test_add_func ("/cf/lease/cli-mapped-writer", test_cli_mapped_writer);

  status = g_test_run ();
  if (!g_test_subprocess ())
    cf_test_rm_rf (tmpdir);
  g_free (tmpdir);
  return status;
}
