/* test-processes.c: finding, grouping, ordering and hashing running programs
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "cf-processes.h"

static char *
sha256_of_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static char *
sha256_of_text (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static CfProcessExe *
find_exe_with_pid (CfProcessScan *scan,
                   int            pid,
                   guint         *index)
{
  for (guint i = 0; i < scan->executables->len; i++)
    {
      CfProcessExe *exe = g_ptr_array_index (scan->executables, i);

      for (guint j = 0; j < exe->pids->len; j++)
        if (g_array_index (exe->pids, int, j) == pid)
          {
            if (index != NULL)
              *index = i;
            return exe;
          }
    }

  return NULL;
}

static gboolean
has_name (CfProcessExe *exe,
          const char   *name)
{
  for (guint i = 0; i < exe->names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (exe->names, i), name) == 0)
      return TRUE;

  return FALSE;
}

/* What every scan must be, whatever is running. */
static void
assert_scan_consistent (CfProcessScan *scan)
{
  g_autoptr(GHashTable) seen_pids = g_hash_table_new (NULL, NULL);
  guint n_pids = 0;

  g_assert_nonnull (scan->executables);
  g_assert_cmpuint (scan->n_denied, <=, scan->n_processes);

  for (guint i = 0; i < scan->executables->len; i++)
    {
      CfProcessExe *exe = g_ptr_array_index (scan->executables, i);

      g_assert_nonnull (exe->path);
      g_assert_false (g_str_has_suffix (exe->path, " (deleted)") && exe->deleted);
      g_assert_true (exe->identity.valid);
      g_assert_cmpuint (exe->pids->len, >, 0);
      g_assert_null (exe->sha256);
      g_assert_null (exe->error);

      for (guint j = 0; j < exe->pids->len; j++)
        {
          int pid = g_array_index (exe->pids, int, j);

          if (j > 0)
            g_assert_cmpint (g_array_index (exe->pids, int, j - 1), <, pid);
          g_assert_false (g_hash_table_contains (seen_pids, GINT_TO_POINTER (pid)));
          g_hash_table_add (seen_pids, GINT_TO_POINTER (pid));
          n_pids++;
        }

      for (guint j = 0; j < exe->names->len; j++)
        for (guint k = j + 1; k < exe->names->len; k++)
          g_assert_cmpstr (g_ptr_array_index (exe->names, j), !=,
                           g_ptr_array_index (exe->names, k));

      /* Grouped by inode: no two groups share one. */
      for (guint j = i + 1; j < scan->executables->len; j++)
        {
          CfProcessExe *other = g_ptr_array_index (scan->executables, j);

          g_assert_false (exe->identity.device == other->identity.device &&
                          exe->identity.inode == other->identity.inode);
        }

      if (i > 0)
        {
          CfProcessExe *previous = g_ptr_array_index (scan->executables, i - 1);
          int risk = cf_process_exe_risk (exe);
          int previous_risk = cf_process_exe_risk (previous);

          g_assert_cmpint (previous_risk, <=, risk);
          if (previous_risk == risk)
            g_assert_cmpint (strcmp (previous->path, exe->path), <=, 0);
        }
    }

  g_assert_cmpuint (n_pids + scan->n_denied, ==, scan->n_processes);
}

static void
test_scan_self (void)
{
  g_autoptr(CfProcessScan) scan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self_path = NULL;
  g_autofree char *self_name = NULL;
  g_autofree char *expected_sha256 = NULL;
  CfProcessExe *exe;
  struct stat st;

  self_path = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  g_file_get_contents ("/proc/self/comm", &self_name, NULL, &error);
  g_assert_no_error (error);
  g_strchomp (self_name);
  g_assert_cmpint (stat ("/proc/self/exe", &st), ==, 0);

  scan = cf_processes_scan ("/proc", &error);
  g_assert_no_error (error);
  g_assert_nonnull (scan);
  assert_scan_consistent (scan);

  exe = find_exe_with_pid (scan, getpid (), NULL);
  g_assert_nonnull (exe);
  g_assert_cmpstr (exe->path, ==, self_path);
  g_assert_false (exe->deleted);
  g_assert_cmpuint (exe->identity.device, ==, st.st_dev);
  g_assert_cmpuint (exe->identity.inode, ==, st.st_ino);
  g_assert_true (has_name (exe, self_name));

  /* Valgrind answers for its guest when a program looks at its own exe
   * link, but not in stat(): the two files then differ. */
  if (stat (self_path, &st) != 0 || st.st_ino != exe->identity.inode)
    {
      g_test_message ("/proc/self/exe is not what it seems (valgrind?): not hashed");
      return;
    }

  g_assert_true (cf_processes_hash (exe, NULL, NULL, &error));
  g_assert_no_error (error);
  expected_sha256 = sha256_of_file (self_path);
  g_assert_cmpstr (exe->sha256, ==, expected_sha256);
  g_assert_null (exe->error);
}

static void
test_scan_missing_root (void)
{
  g_autoptr(GError) error = NULL;
  CfProcessScan *scan;

  scan = cf_processes_scan ("/nonexistent/proc", &error);
  g_assert_null (scan);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

/* Children: copies of sleep(1), started from a folder under /tmp. */

typedef struct
{
  char  *folder;
  GPid   pids[4];
  guint  n_pids;
} Children;

static void
children_setup (Children      *children,
                gconstpointer  data)
{
  g_autofree char *template = g_build_filename ("/tmp", "cf-processes-XXXXXX", NULL);

  children->folder = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (children->folder);
}

/* Reaped at once, so that the number cannot go to another process before
 * the teardown signals it. */
static void
children_stop (Children *children,
               GPid      pid)
{
  for (guint i = 0; i < children->n_pids; i++)
    if (children->pids[i] == pid && pid > 0)
      {
        kill (pid, SIGKILL);
        waitpid (pid, NULL, 0);
        children->pids[i] = 0;
      }
}

static void
children_teardown (Children      *children,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  for (guint i = 0; i < children->n_pids; i++)
    children_stop (children, children->pids[i]);

  dir = g_dir_open (children->folder, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (children->folder, name, NULL);

      g_unlink (path);
    }
  g_rmdir (children->folder);
  g_free (children->folder);
}

/* Should the test abort, the children go with it rather than sleep on. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
wait_for_exec (GPid        pid,
               const char *path)
{
  g_autofree char *link = g_strdup_printf ("/proc/%d/exe", pid);

  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *target = g_file_read_link (link, NULL);

      if (g_strcmp0 (target, path) == 0)
        return;
      g_usleep (10 * 1000);
    }

  g_error ("process %d never ran %s", pid, path);
}

static GPid
children_start (Children   *children,
                const char *program)
{
  const char *argv[] = { program, "30", NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;

  g_assert_cmpuint (children->n_pids, <, G_N_ELEMENTS (children->pids));

  g_spawn_async (NULL, (char **) argv, NULL,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                 G_SPAWN_STDERR_TO_DEV_NULL,
                 die_with_parent, NULL, &pid, &error);
  g_assert_no_error (error);
  children->pids[children->n_pids++] = pid;

  wait_for_exec (pid, program);
  return pid;
}

/* A copy of sleep with a few random bytes at the end: a program whose hash
 * no other file on the machine has. */
static char *
copy_sleep (Children   *children,
            const char *name)
{
  g_autofree char *path = g_build_filename (children->folder, name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gsize length;

  g_file_get_contents ("/bin/sleep", &contents, &length, &error);
  g_assert_no_error (error);
  g_byte_array_append (bytes, (const guint8 *) contents, length);
  for (guint i = 0; i < 16; i++)
    {
      guint8 byte = g_test_rand_int_range (0, 256);

      g_byte_array_append (bytes, &byte, 1);
    }

  g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);

  return g_steal_pointer (&path);
}

static void
test_children (Children      *children,
               gconstpointer  data)
{
  g_autofree char *kept = copy_sleep (children, "kept-sleep");
  g_autofree char *deleted = copy_sleep (children, "deleted-sleep");
  g_autofree char *kept_sha256 = sha256_of_file (kept);
  g_autofree char *deleted_sha256 = sha256_of_file (deleted);
  g_autofree char *system_sleep = NULL;
  g_autoptr(CfProcessScan) scan = NULL;
  g_autoptr(GError) error = NULL;
  CfProcessExe *kept_exe, *deleted_exe, *system_exe;
  guint kept_index, deleted_index, system_index;
  GPid kept_pid, kept_pid2, deleted_pid, system_pid;

  system_sleep = realpath ("/bin/sleep", NULL);
  g_assert_nonnull (system_sleep);

  kept_pid = children_start (children, kept);
  kept_pid2 = children_start (children, kept);
  deleted_pid = children_start (children, deleted);
  system_pid = children_start (children, system_sleep);
  g_assert_cmpint (g_unlink (deleted), ==, 0);

  scan = cf_processes_scan (NULL, &error);
  g_assert_no_error (error);
  assert_scan_consistent (scan);

  /* Two processes, one program, one entry. */
  kept_exe = find_exe_with_pid (scan, kept_pid, &kept_index);
  g_assert_nonnull (kept_exe);
  g_assert_true (find_exe_with_pid (scan, kept_pid2, NULL) == kept_exe);
  g_assert_cmpuint (kept_exe->pids->len, ==, 2);
  g_assert_cmpint (g_array_index (kept_exe->pids, int, 0), ==, MIN (kept_pid, kept_pid2));
  g_assert_cmpint (g_array_index (kept_exe->pids, int, 1), ==, MAX (kept_pid, kept_pid2));
  g_assert_cmpstr (kept_exe->path, ==, kept);
  g_assert_false (kept_exe->deleted);
  g_assert_true (kept_exe->user_writable);
  g_assert_cmpint (cf_process_exe_risk (kept_exe), ==, 2);
  g_assert_cmpuint (kept_exe->names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (kept_exe->names, 0), ==, "kept-sleep");

  deleted_exe = find_exe_with_pid (scan, deleted_pid, &deleted_index);
  g_assert_nonnull (deleted_exe);
  g_assert_cmpstr (deleted_exe->path, ==, deleted);
  g_assert_true (deleted_exe->deleted);
  g_assert_true (deleted_exe->user_writable);
  g_assert_cmpint (cf_process_exe_risk (deleted_exe), ==, 1);

  system_exe = find_exe_with_pid (scan, system_pid, &system_index);
  g_assert_nonnull (system_exe);
  g_assert_cmpstr (system_exe->path, ==, system_sleep);
  g_assert_false (system_exe->deleted);
  if (g_str_has_prefix (system_sleep, "/usr/"))
    {
      g_assert_false (system_exe->user_writable);
      g_assert_cmpint (cf_process_exe_risk (system_exe), ==, 3);
    }

  g_assert_cmpuint (deleted_index, <, kept_index);
  g_assert_cmpuint (kept_index, <, system_index);

  g_assert_true (cf_processes_hash (kept_exe, "/proc", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kept_exe->sha256, ==, kept_sha256);

  /* Gone from the disk, still readable through /proc. */
  g_assert_true (cf_processes_hash (deleted_exe, "/proc", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (deleted_exe->sha256, ==, deleted_sha256);
  g_assert_null (deleted_exe->error);

  /* Both copies of the kept one exit: nothing left to read. */
  children_stop (children, kept_pid);
  children_stop (children, kept_pid2);
  g_assert_false (cf_processes_hash (kept_exe, "/proc", NULL, &error));
  g_assert_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_NOT_FOUND);
  g_assert_null (kept_exe->sha256);
  g_assert_error (kept_exe->error, CF_HASHER_ERROR, CF_HASHER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Cancelled before it starts. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_false (cf_processes_hash (deleted_exe, "/proc", cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (deleted_exe->sha256);
  }
}

/* A made-up /proc: the parsing, without depending on what runs here. */

typedef struct
{
  char *root;
} FakeProc;

static void
write_file (const char *root,
            const char *relative,
            const char *contents)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
make_link (const char *root,
           const char *relative,
           const char *target)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *folder = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_unlink (path);
  g_assert_cmpint (symlink (target, path), ==, 0);
}

static void
fake_process (const char *root,
              int         pid,
              const char *exe_target,
              const char *name,
              guint       flags)
{
  g_autofree char *exe = g_strdup_printf ("%d/exe", pid);
  g_autofree char *comm = g_strdup_printf ("%d/comm", pid);
  g_autofree char *comm_text = g_strdup_printf ("%s\n", name);
  g_autofree char *stat_name = g_strdup_printf ("%d/stat", pid);
  g_autofree char *stat_text = NULL;

  /* A name with spaces and parentheses, as the kernel allows. */
  stat_text = g_strdup_printf ("%d (%s) x) S 1 %d %d 0 -1 %u 120 0 0 0 0 0\n",
                               pid, name, pid, pid, flags);

  write_file (root, comm, comm_text);
  write_file (root, stat_name, stat_text);
  if (exe_target != NULL)
    make_link (root, exe, exe_target);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static void
fake_proc_setup (FakeProc      *fake,
                 gconstpointer  data)
{
  g_autofree char *template = g_build_filename ("/tmp", "cf-fake-proc-XXXXXX", NULL);
  g_autofree char *real = NULL;

  fake->root = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (fake->root);

  write_file (fake->root, "bin/prog (deleted)", "a program that was deleted");
  write_file (fake->root, "bin/other", "another program");
  write_file (fake->root, "bin/real (deleted)", "a program really called so");

  /* The kernel writes absolute paths; relative ones let the fake exe link
   * reach a file while its text names none. */
  fake_process (fake->root, 100, "../bin/prog (deleted)", "prog", 0x400100);
  fake_process (fake->root, 101, "../bin/prog (deleted)", "prog-worker", 0x400100);
  fake_process (fake->root, 102, "../bin/prog (deleted)", "prog", 0x400100);
  fake_process (fake->root, 2, NULL, "kthreadd", 0x208040);
  fake_process (fake->root, 300, "/nonexistent/gone", "gone", 0x400100);
  real = g_build_filename (fake->root, "bin", "real (deleted)", NULL);
  fake_process (fake->root, 400, real, "real", 0x400100);
  make_link (fake->root, "self", "100");
  write_file (fake->root, "sys/kernel/version", "6.1\n");
}

static void
fake_proc_teardown (FakeProc      *fake,
                    gconstpointer  data)
{
  remove_tree (fake->root);
  g_free (fake->root);
}

static void
test_fake_proc (FakeProc      *fake,
                gconstpointer  data)
{
  g_autoptr(CfProcessScan) scan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *real = g_build_filename (fake->root, "bin", "real (deleted)", NULL);
  g_autofree char *prog_sha256 = sha256_of_text ("a program that was deleted");
  g_autofree char *pid_100 = g_build_filename (fake->root, "100", NULL);
  g_autofree char *pid_102 = g_build_filename (fake->root, "102", NULL);
  CfProcessExe *prog, *named;

  scan = cf_processes_scan (fake->root, &error);
  g_assert_no_error (error);
  assert_scan_consistent (scan);

  /* 2 is a kernel thread, 300 exited, "self" and "sys" are no processes. */
  g_assert_cmpuint (scan->n_processes, ==, 4);
  g_assert_cmpuint (scan->n_denied, ==, 0);
  g_assert_cmpuint (scan->executables->len, ==, 2);

  prog = g_ptr_array_index (scan->executables, 0);
  g_assert_cmpstr (prog->path, ==, "../bin/prog");
  g_assert_true (prog->deleted);
  g_assert_cmpuint (prog->pids->len, ==, 3);
  g_assert_cmpint (g_array_index (prog->pids, int, 0), ==, 100);
  g_assert_cmpint (g_array_index (prog->pids, int, 2), ==, 102);
  g_assert_cmpuint (prog->names->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (prog->names, 0), ==, "prog");
  g_assert_cmpstr (g_ptr_array_index (prog->names, 1), ==, "prog-worker");
  g_assert_cmpint (prog->identity.size, ==, strlen ("a program that was deleted"));

  /* Called "… (deleted)" and still there: not deleted. */
  named = g_ptr_array_index (scan->executables, 1);
  g_assert_cmpstr (named->path, ==, real);
  g_assert_false (named->deleted);
  g_assert_true (named->user_writable);
  g_assert_cmpint (g_array_index (named->pids, int, 0), ==, 400);

  g_assert_true (cf_processes_hash (prog, fake->root, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (prog->sha256, ==, prog_sha256);

  /* 100 exits and 101 becomes another program: 102 is still the one. */
  remove_tree (pid_100);
  make_link (fake->root, "101/exe", "../bin/other");
  g_assert_true (cf_processes_hash (prog, fake->root, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (prog->sha256, ==, prog_sha256);

  remove_tree (pid_102);
  g_assert_false (cf_processes_hash (prog, fake->root, NULL, &error));
  g_assert_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_NOT_FOUND);
  g_assert_null (prog->sha256);
  g_assert_error (prog->error, CF_HASHER_ERROR, CF_HASHER_ERROR_NOT_FOUND);
}

typedef struct
{
  const char *name;
  gboolean    deleted;
  gboolean    user_writable;
  CfPackaged  packaged;
  int         risk;
} RiskCase;

/* Lower goes first: a changed packaged program is the first thing to see. */
static const RiskCase risk_cases[] = {
  { "modified-packaged", FALSE, FALSE, CF_PACKAGED_MODIFIED, 0 },
  { "deleted", TRUE, FALSE, CF_PACKAGED_NONE, 1 },
  { "deleted-and-writable", TRUE, TRUE, CF_PACKAGED_NONE, 1 },
  { "writable", FALSE, TRUE, CF_PACKAGED_NONE, 2 },
  { "installed", FALSE, FALSE, CF_PACKAGED_NONE, 3 },
  { "packaged", FALSE, FALSE, CF_PACKAGED_UNMODIFIED, 4 },
};

static void
test_risk (gconstpointer data)
{
  const RiskCase *test = data;
  CfProcessExe exe = { 0 };

  exe.path = (char *) "/usr/bin/true";
  exe.deleted = test->deleted;
  exe.user_writable = test->user_writable;
  exe.package.state = test->packaged;
  g_assert_cmpint (cf_process_exe_risk (&exe), ==, test->risk);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (risk_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cf/processes/risk/%s", risk_cases[i].name);

      g_test_add_data_func (path, &risk_cases[i], test_risk);
    }

  g_test_add_func ("/cf/processes/scan-self", test_scan_self);
  g_test_add_func ("/cf/processes/scan-missing-root", test_scan_missing_root);
  g_test_add ("/cf/processes/children", Children, NULL,
              children_setup, test_children, children_teardown);
  g_test_add ("/cf/processes/fake-proc", FakeProc, NULL,
              fake_proc_setup, test_fake_proc, fake_proc_teardown);

  return g_test_run ();
}
