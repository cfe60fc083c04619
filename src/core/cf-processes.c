/* cf-processes.c: the executables behind the running processes, from /proc
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-processes"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "cf-processes.h"

/* In the flags of /proc/PID/stat; see include/linux/sched.h. */
#define PF_KTHREAD 0x00200000

#define DELETED_SUFFIX " (deleted)"

/* Places where any user may put a program: a program started from one is
 * worth a look before the ones the package manager installed. */
static const char * const user_folders[] = {
  "/tmp",
  "/var/tmp",
  "/dev/shm",
  "/run/user",
};

/* One executable while the scan collects its processes. */
typedef struct
{
  CfProcessExe *exe;
  GHashTable   *names;   /* set of the names in exe->names */
} Group;

static void
group_free (Group *group)
{
  g_hash_table_unref (group->names);
  g_free (group);
}

/* Processes share an executable when they share its inode, whatever the
 * path: hard links, a bind mount and a replaced file all look different. */
static guint
identity_hash (gconstpointer key)
{
  const CfFileIdentity *identity = key;

  return (guint) (identity->inode ^ (identity->inode >> 32) ^ (identity->device * 31));
}

static gboolean
identity_equal (gconstpointer a,
                gconstpointer b)
{
  const CfFileIdentity *x = a;
  const CfFileIdentity *y = b;

  return x->device == y->device && x->inode == y->inode;
}

static void
identity_from_stat (CfFileIdentity    *identity,
                    const struct stat *st)
{
  identity->device = st->st_dev;
  identity->inode = st->st_ino;
  identity->size = st->st_size;
  identity->mtime_ns = (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) +
                       st->st_mtim.tv_nsec;
  identity->ctime_ns = (gint64) st->st_ctim.tv_sec * G_GINT64_CONSTANT (1000000000) +
                       st->st_ctim.tv_nsec;
  identity->valid = TRUE;
}

static char *
read_link (const char *path,
           int        *saved_errno)
{
  gsize size = 256;

  for (;;)
    {
      g_autofree char *target = g_malloc (size);
      ssize_t length = readlink (path, target, size);

      if (length < 0)
        {
          *saved_errno = errno;
          return NULL;
        }
      if ((gsize) length < size)
        {
          target[length] = '\0';
          return g_steal_pointer (&target);
        }
      if (size >= 64 * 1024)
        {
          *saved_errno = ENAMETOOLONG;
          return NULL;
        }
      size *= 2;
    }
}

/* Kernel threads have no executable; an unprivileged reader is refused
 * their exe link (EACCES) rather than told so (ENOENT). */
static gboolean
is_kernel_thread (const char *pid_folder)
{
  g_autofree char *path = g_build_filename (pid_folder, "stat", NULL);
  g_autofree char *contents = NULL;
  const char *p;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;

  /* "PID (COMM) STATE PPID PGRP SESSION TTY_NR TPGID FLAGS …", where COMM
   * may hold spaces and parentheses of its own. */
  p = strrchr (contents, ')');
  if (p == NULL)
    return FALSE;
  p++;

  for (int field = 3; field < 9; field++)
    {
      while (*p == ' ')
        p++;
      while (*p != ' ' && *p != '\0')
        p++;
    }

  return (g_ascii_strtoull (p, NULL, 10) & PF_KTHREAD) != 0;
}

static char *
read_name (const char *pid_folder)
{
  g_autofree char *path = g_build_filename (pid_folder, "comm", NULL);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;

  g_strchomp (contents);
  if (*contents == '\0')
    return NULL;

  return g_utf8_make_valid (contents, -1);
}

static gboolean
is_under (const char *path,
          const char *folder)
{
  gsize length = strlen (folder);

  while (length > 0 && folder[length - 1] == '/')
    length--;

  /* Under "/" is everything, which says nothing. */
  if (length == 0 || folder[0] != '/')
    return FALSE;

  return strncmp (path, folder, length) == 0 && (path[length] == '/' || path[length] == '\0');
}

/* Root may write anywhere, so for a scan run as root the question is
 * whether some other account could have changed the file. */
static gboolean
writable_by_a_user (const char *path)
{
  struct stat st;

  if (geteuid () != 0 && access (path, W_OK) == 0)
    return TRUE;

  if (stat (path, &st) != 0)
    return FALSE;

  return st.st_uid != 0 ||
         (st.st_mode & S_IWOTH) != 0 ||
         ((st.st_mode & S_IWGRP) != 0 && st.st_gid != 0);
}

static gboolean
is_user_writable (const char *path)
{
  const char *home = g_get_home_dir ();
  g_autofree char *folder = NULL;

  if (home != NULL && is_under (path, home))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (user_folders); i++)
    if (is_under (path, user_folders[i]))
      return TRUE;

  if (path[0] != '/')
    return FALSE;

  folder = g_path_get_dirname (path);
  return writable_by_a_user (folder) || writable_by_a_user (path);
}

/* Lower is looked at sooner: a system program that is no longer what its
 * package installed first (a classic sign of tampering), then a program
 * deleted or replaced since it started, then one a user could have put
 * there; the unmodified packaged ones cost no request and come last. */
int
cf_process_exe_risk (const CfProcessExe *exe)
{
  g_return_val_if_fail (exe != NULL, G_MAXINT);

  if (exe->package.state == CF_PACKAGED_MODIFIED)
    return 0;
  if (exe->deleted)
    return 1;
  if (exe->user_writable)
    return 2;
  if (exe->package.state == CF_PACKAGED_UNMODIFIED)
    return 4;
  return 3;
}

static int
compare_by_risk (gconstpointer a,
                 gconstpointer b)
{
  const CfProcessExe *x = *(CfProcessExe * const *) a;
  const CfProcessExe *y = *(CfProcessExe * const *) b;
  int diff;

  diff = cf_process_exe_risk (x) - cf_process_exe_risk (y);
  if (diff != 0)
    return diff;

  diff = strcmp (x->path, y->path);
  if (diff != 0)
    return diff;

  return g_array_index (x->pids, int, 0) - g_array_index (y->pids, int, 0);
}

static int
compare_ints (gconstpointer a,
              gconstpointer b)
{
  int x = *(const int *) a;
  int y = *(const int *) b;

  return (x > y) - (x < y);
}

static GArray *
list_pids (const char  *proc_root,
           GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GArray) pids = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  dir = g_dir_open (proc_root, 0, &local_error);
  if (dir == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not list the running processes: "));
      return NULL;
    }

  pids = g_array_new (FALSE, FALSE, sizeof (int));
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      guint64 number;
      int pid;

      if (!g_ascii_isdigit (name[0]) ||
          !g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &number, NULL))
        continue;

      pid = (int) number;
      g_array_append_val (pids, pid);
    }

  g_array_sort (pids, compare_ints);
  return g_steal_pointer (&pids);
}

/* Adds one process; FALSE if it turned out not to run a program of its
 * own (kernel threads, zombies, processes that have just exited). */
static gboolean
scan_process (CfProcessScan *scan,
              GHashTable    *groups,
              const char    *proc_root,
              int            pid)
{
  g_autofree char *pid_folder = g_strdup_printf ("%s/%d", proc_root, pid);
  g_autofree char *exe_link = g_build_filename (pid_folder, "exe", NULL);
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  CfFileIdentity identity = { 0 };
  gboolean deleted = FALSE;
  struct stat st;
  Group *group;
  int saved_errno = 0;

  path = read_link (exe_link, &saved_errno);
  if (path != NULL && stat (exe_link, &st) != 0)
    {
      saved_errno = errno;
      g_clear_pointer (&path, g_free);
    }

  if (path == NULL)
    {
      if ((saved_errno == EACCES || saved_errno == EPERM) && !is_kernel_thread (pid_folder))
        {
          scan->n_processes++;
          scan->n_denied++;
        }
      return FALSE;
    }

  identity_from_stat (&identity, &st);

  /* The kernel marks a program whose file was deleted or replaced since it
   * started.  A file may also be called "x (deleted)"; then that name
   * still leads to the running program. */
  if (g_str_has_suffix (path, DELETED_SUFFIX))
    {
      struct stat named;

      if (path[0] != '/' || stat (path, &named) != 0 ||
          named.st_dev != st.st_dev || named.st_ino != st.st_ino)
        {
          path[strlen (path) - strlen (DELETED_SUFFIX)] = '\0';
          deleted = TRUE;
        }
    }

  group = g_hash_table_lookup (groups, &identity);
  if (group == NULL)
    {
      CfProcessExe *exe = g_new0 (CfProcessExe, 1);

      exe->path = g_steal_pointer (&path);
      exe->deleted = deleted;
      exe->user_writable = is_user_writable (exe->path);
      exe->identity = identity;
      exe->pids = g_array_new (FALSE, FALSE, sizeof (int));
      exe->names = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (scan->executables, exe);

      group = g_new0 (Group, 1);
      group->exe = exe;
      group->names = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (groups, &exe->identity, group);
    }

  /* Deleted while the scan went through its processes. */
  group->exe->deleted |= deleted;

  g_array_append_val (group->exe->pids, pid);
  scan->n_processes++;

  name = read_name (pid_folder);
  if (name != NULL && !g_hash_table_contains (group->names, name))
    {
      g_hash_table_add (group->names, name);
      g_ptr_array_add (group->exe->names, g_steal_pointer (&name));
    }

  return TRUE;
}

/* @proc_root: NULL or "/proc"; tests pass a tree of their own. */
CfProcessScan *
cf_processes_scan (const char  *proc_root,
                   GError     **error)
{
  g_autoptr(CfProcessScan) scan = NULL;
  g_autoptr(GHashTable) groups = NULL;
  g_autoptr(GArray) pids = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (proc_root == NULL)
    proc_root = "/proc";

  pids = list_pids (proc_root, error);
  if (pids == NULL)
    return NULL;

  scan = g_new0 (CfProcessScan, 1);
  scan->executables = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_process_exe_free);
  groups = g_hash_table_new_full (identity_hash, identity_equal, NULL, (GDestroyNotify) group_free);

  /* In ascending order, so each executable's pids are too. */
  for (guint i = 0; i < pids->len; i++)
    scan_process (scan, groups, proc_root, g_array_index (pids, int, i));

  cf_processes_sort_by_risk (scan);

  return g_steal_pointer (&scan);
}

void
cf_processes_sort_by_risk (CfProcessScan *scan)
{
  g_return_if_fail (scan != NULL);
  g_ptr_array_sort (scan->executables, compare_by_risk);
}

/* What dpkg says of the running program, read through /proc/PID/exe like
 * its hash.  A program deleted or replaced since it started is never
 * "packaged": after an upgrade its old file is no longer what dpkg
 * recorded, and that is no tampering; neither is anything in a place a
 * user may write to.  FALSE only when the file could not be read. */
gboolean
cf_processes_verify_package (CfProcessExe *exe,
                             CfDpkgIndex  *index,
                             const char   *proc_root,
                             GCancellable *cancellable)
{
  g_return_val_if_fail (exe != NULL, FALSE);
  g_return_val_if_fail (index != NULL, FALSE);

  cf_package_info_clear (&exe->package);
  if (exe->deleted || exe->user_writable || exe->sha256 == NULL ||
      !cf_dpkg_path_may_qualify (exe->path) || !cf_dpkg_index_contains (index, exe->path))
    return TRUE;

  if (proc_root == NULL)
    proc_root = "/proc";

  for (guint i = 0; i < exe->pids->len; i++)
    {
      g_autofree char *exe_link = g_strdup_printf ("%s/%d/exe", proc_root, g_array_index (exe->pids, int, i));
      g_autoptr(GError) error = NULL;
      struct stat st;
      gboolean ok;
      int fd;

      fd = open (exe_link, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
      if (fd < 0)
        continue;
      /* Still the program that was hashed. */
      if (fstat (fd, &st) != 0 || st.st_dev != exe->identity.device ||
          st.st_ino != exe->identity.inode || st.st_size != exe->identity.size ||
          (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec != exe->identity.mtime_ns)
        {
          close (fd);
          continue;
        }
      ok = cf_dpkg_verify_fd (index, fd, exe->path, &exe->package, cancellable, &error);
      close (fd);
      if (ok)
        return TRUE;
      g_debug ("Could not compare %s with its package: %s", exe->path, error->message);
    }
  return FALSE;
}

/* Hashes through /proc/PID/exe, which reaches the running program even
 * when its file has been deleted or replaced on disk. */
gboolean
cf_processes_hash (CfProcessExe  *exe,
                   const char    *proc_root,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display_name = NULL;
  int open_errno = ENOENT;

  g_return_val_if_fail (exe != NULL, FALSE);
  g_return_val_if_fail (exe->pids != NULL && exe->pids->len > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (proc_root == NULL)
    proc_root = "/proc";

  g_clear_pointer (&exe->sha256, g_free);
  g_clear_error (&exe->error);
  display_name = g_filename_display_name (exe->path);

  for (guint i = 0; i < exe->pids->len && local_error == NULL; i++)
    {
      int pid = g_array_index (exe->pids, int, i);
      g_autofree char *exe_link = g_strdup_printf ("%s/%d/exe", proc_root, pid);
      CfFileIdentity identity;
      struct stat st;
      char *sha256;
      int fd;

      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        break;

      fd = open (exe_link, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
      if (fd < 0)
        {
          /* This one has exited, or is not ours to read: try the others. */
          if (errno == EACCES || errno == EPERM)
            open_errno = errno;
          continue;
        }

      /* The process may have exited since the scan and its number gone to
       * another program. */
      if (fstat (fd, &st) != 0 ||
          st.st_dev != exe->identity.device || st.st_ino != exe->identity.inode)
        {
          close (fd);
          continue;
        }

      sha256 = cf_hasher_hash_fd (fd, display_name, cancellable, NULL, NULL,
                                  &identity, &local_error);
      close (fd);

      if (sha256 != NULL)
        {
          exe->sha256 = sha256;
          exe->identity = identity;
          return TRUE;
        }
    }

  if (local_error == NULL)
    {
      if (open_errno == EACCES || open_errno == EPERM)
        g_set_error (&local_error, CF_HASHER_ERROR, CF_HASHER_ERROR_PERMISSION,
                     _("You do not have permission to read “%s”, the program of process %d."),
                     display_name, g_array_index (exe->pids, int, 0));
      else
        g_set_error (&local_error, CF_HASHER_ERROR, CF_HASHER_ERROR_NOT_FOUND,
                     _("The processes running “%s” have exited."), display_name);
    }

  exe->error = g_error_copy (local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

void
cf_process_exe_free (CfProcessExe *exe)
{
  if (exe == NULL)
    return;

  g_free (exe->path);
  g_clear_pointer (&exe->pids, g_array_unref);
  g_clear_pointer (&exe->names, g_ptr_array_unref);
  g_free (exe->sha256);
  g_clear_error (&exe->error);
  cf_package_info_clear (&exe->package);
  g_free (exe);
}

CfProcessExe *
cf_process_exe_copy (const CfProcessExe *exe)
{
  CfProcessExe *copy;

  g_return_val_if_fail (exe != NULL, NULL);

  copy = g_new0 (CfProcessExe, 1);
  copy->path = g_strdup (exe->path);
  copy->deleted = exe->deleted;
  copy->user_writable = exe->user_writable;
  copy->identity = exe->identity;
  copy->pids = g_array_copy (exe->pids);
  copy->names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < exe->names->len; i++)
    g_ptr_array_add (copy->names, g_strdup (g_ptr_array_index (exe->names, i)));
  copy->sha256 = g_strdup (exe->sha256);
  copy->error = exe->error != NULL ? g_error_copy (exe->error) : NULL;
  cf_package_info_copy (&copy->package, &exe->package);
  return copy;
}

void
cf_process_scan_free (CfProcessScan *scan)
{
  if (scan == NULL)
    return;

  g_clear_pointer (&scan->executables, g_ptr_array_unref);
  g_free (scan);
}
