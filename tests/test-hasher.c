/* test-hasher.c: known answers, identity, progress and every kind of bad input
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cf-hash-service.h"
#include "cf-hasher.h"
#include "cf-test-util.h"

static char *tmpdir;

typedef struct
{
  const char *contents;
  gssize      length;
  const char *sha256;
} Vector;

static const Vector vectors[] = {
  { "", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
  { "abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
  { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
};

static void
test_known_answer (gconstpointer data)
{
  const Vector *vector = data;
  g_autofree char *path = cf_test_write_file (tmpdir, "vector", vector->contents, vector->length, 0644);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  CfFileIdentity identity;
  struct stat st;

  sha256 = cf_hasher_hash_file (file, NULL, NULL, NULL, &identity, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha256, ==, vector->sha256);

  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_true (identity.valid);
  g_assert_cmpuint (identity.inode, ==, st.st_ino);
  g_assert_cmpuint (identity.device, ==, st.st_dev);
  g_assert_cmpint (identity.size, ==, vector->length);
}

/* One million 'a': the classic long vector, across many buffers. */
static void
test_million_a (void)
{
  g_autofree char *contents = g_malloc (1000000);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;

  memset (contents, 'a', 1000000);
  path = cf_test_write_file (tmpdir, "million", contents, 1000000, 0644);
  file = g_file_new_for_path (path);
  sha256 = cf_hasher_hash_file (file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha256, ==, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void
test_identity_changes (void)
{
  g_autofree char *path = cf_test_write_file (tmpdir, "changing", "one", 3, 0644);
  CfFileIdentity before, after;
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_file_identity_query (path, &before, &error));
  g_assert_no_error (error);
  g_assert_true (cf_file_identity_query (path, &after, &error));
  g_assert_true (cf_file_identity_equal (&before, &after));

  g_usleep (10000);
  g_assert_true (g_file_set_contents (path, "two", 3, NULL));
  g_assert_true (cf_file_identity_query (path, &after, &error));
  g_assert_false (cf_file_identity_equal (&before, &after));
}

typedef struct
{
  const char *name;
  int         expected;
} BadInput;

static char *
make_bad_input (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);

  if (g_str_equal (name, "missing"))
    return g_steal_pointer (&path);
  if (g_str_equal (name, "directory"))
    g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  else if (g_str_equal (name, "fifo"))
    g_assert_cmpint (mkfifo (path, 0644), ==, 0);
  else if (g_str_equal (name, "device"))
    return g_strdup ("/dev/zero");
  else if (g_str_equal (name, "loop"))
    {
      g_autofree char *other = g_build_filename (tmpdir, "loop-b", NULL);
      g_assert_cmpint (symlink (other, path), ==, 0);
      g_assert_cmpint (symlink (path, other), ==, 0);
    }
  return g_steal_pointer (&path);
}

static void
test_bad_input (gconstpointer data)
{
  const BadInput *bad = data;
  g_autofree char *path = make_bad_input (bad->name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;

  /* A FIFO without a writer would block a plain open() forever. */
  sha256 = cf_hasher_hash_file (file, NULL, NULL, NULL, NULL, &error);
  g_assert_null (sha256);
  g_assert_error (error, CF_HASHER_ERROR, bad->expected);
  g_assert_nonnull (strstr (error->message, "“"));
}

/* Root reads anything, so the permission case runs as "nobody" in a child. */
static void
test_permission_denied (void)
{
  g_autofree char *path = cf_test_write_file (tmpdir, "secret", "x", 1, 0600);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  pid_t pid;
  int status;

  g_assert_cmpint (g_chmod (tmpdir, 0755), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      GError *error = NULL;
      char *sha256;

      if (geteuid () == 0 && setuid (65534) != 0)
        _exit (3);
      sha256 = cf_hasher_hash_file (file, NULL, NULL, NULL, NULL, &error);
      _exit (sha256 == NULL && g_error_matches (error, CF_HASHER_ERROR, CF_HASHER_ERROR_PERMISSION) ? 0 : 1);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

typedef struct
{
  GMainLoop *loop;
  char      *sha256;
  GError    *error;
  guint      progress_calls;
  guint64    last_done;
  gboolean   monotonic;
  gboolean   in_main_thread;
  GThread   *main_thread;
} AsyncState;

static void
on_progress (guint64  done,
             guint64  total,
             gpointer user_data)
{
  AsyncState *state = user_data;

  state->progress_calls++;
  if (done < state->last_done || done > total)
    state->monotonic = FALSE;
  if (g_thread_self () != state->main_thread)
    state->in_main_thread = FALSE;
  state->last_done = done;
}

static void
on_hashed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncState *state = user_data;

  state->sha256 = cf_hash_service_hash_finish (CF_HASH_SERVICE (object), result, NULL, &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_async_progress (void)
{
  const gsize size = 256 * 1024 * 1024;
  g_autofree char *path = g_build_filename (tmpdir, "big", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AsyncState state = { 0 };
  g_autofree char *expected = NULL;
  int fd;

  /* A sparse file: large, quick to make, and its hash is known. */
  fd = open (path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, size), ==, 0);
  close (fd);
  expected = cf_hasher_hash_file (file, NULL, NULL, NULL, NULL, NULL);

  state.loop = g_main_loop_new (NULL, FALSE);
  state.monotonic = TRUE;
  state.in_main_thread = TRUE;
  state.main_thread = g_thread_self ();
  cf_hash_service_hash_async (cf_hash_service_get_default (), file, -1, CF_PRIORITY_INTERACTIVE, NULL,
                              on_progress, &state, NULL, on_hashed, &state);
  g_main_loop_run (state.loop);

  g_assert_no_error (state.error);
  g_assert_cmpstr (state.sha256, ==, expected);
  g_assert_true (state.monotonic);
  g_assert_true (state.in_main_thread);
  g_assert_cmpuint (state.last_done, ==, size);
  /* Progress is paced (about ten a second), not sent for every block read:
   * the hasher reads this file in 256 blocks. */
  g_assert_cmpuint (state.progress_calls, >=, 1);
  g_assert_cmpuint (state.progress_calls, <, size / (1024 * 1024) / 4);

  g_free (state.sha256);
  g_main_loop_unref (state.loop);
}

static void
test_async_cancel (void)
{
  g_autofree char *path = cf_test_write_file (tmpdir, "cancel-me", "data", 4, 0644);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncState state = { 0 };

  state.loop = g_main_loop_new (NULL, FALSE);
  g_cancellable_cancel (cancellable);
  cf_hash_service_hash_async (cf_hash_service_get_default (), file, -1, CF_PRIORITY_INTERACTIVE,
                              cancellable, NULL, NULL, NULL, on_hashed, &state);
  g_main_loop_run (state.loop);

  g_assert_null (state.sha256);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&state.error);
  g_main_loop_unref (state.loop);
}

static void
append_once (guint64  done,
             guint64  total,
             gpointer user_data)
{
  const char *path = user_data;
  static gboolean appended;
  int fd;

  if (appended || done == total)
    return;
  appended = TRUE;
  fd = open (path, O_WRONLY | O_APPEND);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "more", 4), ==, 4);
  close (fd);
}

/* A file written to while it is hashed has no single fingerprint. */
static void
test_changed_while_hashing (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "growing", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  int fd;

  fd = open (path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 1024 * 1024 * 1024), ==, 0);
  close (fd);

  sha256 = cf_hasher_hash_file (file, NULL, append_once, path, NULL, &error);
  g_assert_null (sha256);
  g_assert_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED);
  g_assert_nonnull (strstr (error->message, "changed while it was being checked"));
}

static void
test_is_sha256 (void)
{
  g_assert_true (cf_is_sha256 ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  g_assert_false (cf_is_sha256 ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85"));
  g_assert_false (cf_is_sha256 ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855a"));
  g_assert_false (cf_is_sha256 ("g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  g_assert_false (cf_is_sha256 (NULL));
}

int
main (int   argc,
      char *argv[])
{
  static const BadInput bad_inputs[] = {
    { "missing", CF_HASHER_ERROR_NOT_FOUND },
    { "directory", CF_HASHER_ERROR_NOT_REGULAR },
    { "fifo", CF_HASHER_ERROR_NOT_REGULAR },
    { "device", CF_HASHER_ERROR_NOT_REGULAR },
    { "loop", CF_HASHER_ERROR_SYMLINK_LOOP },
  };
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = cf_test_make_tmpdir ();

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cf/hasher/known-answer/%u", i);
      g_test_add_data_func (name, &vectors[i], test_known_answer);
    }
  g_test_add_func ("/cf/hasher/million-a", test_million_a);
  g_test_add_func ("/cf/hasher/identity-changes", test_identity_changes);
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cf/hasher/bad-input/%s", bad_inputs[i].name);
      g_test_add_data_func (name, &bad_inputs[i], test_bad_input);
    }
  g_test_add_func ("/cf/hasher/permission-denied", test_permission_denied);
  g_test_add_func ("/cf/hasher/async-progress", test_async_progress);
  g_test_add_func ("/cf/hasher/async-cancel", test_async_cancel);
  g_test_add_func ("/cf/hasher/is-sha256", test_is_sha256);
  g_test_add_func ("/cf/hasher/changed-while-hashing", test_changed_while_hashing);

  status = g_test_run ();
  cf_test_rm_rf (tmpdir);
  g_free (tmpdir);
  return status;
}
