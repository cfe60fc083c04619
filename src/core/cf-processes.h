/* cf-processes.h: the executables behind the running processes, from /proc
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-dpkg.h"
#include "cf-hasher.h"

G_BEGIN_DECLS

/* One executable file, shared by one or more processes. */
typedef struct
{
  char           *path;          /* what /proc/PID/exe points to, without " (deleted)" */
  gboolean        deleted;       /* the file on disk was deleted or replaced */
  gboolean        user_writable; /* in a place a user can write: home, /tmp, /var/tmp, /dev/shm, /run/user */
  CfFileIdentity  identity;
  GArray         *pids;          /* int, ascending */
  GPtrArray      *names;         /* char *, the processes' names, unique */
  char           *sha256;        /* NULL until hashed */
  GError         *error;         /* why it could not be hashed */
  CfPackageInfo   package;       /* what dpkg says of it: see cf_processes_verify_package() */
} CfProcessExe;

typedef struct
{
  GPtrArray *executables;        /* CfProcessExe, in risk order */
  guint      n_processes;        /* processes seen, kernel threads excluded */
  guint      n_denied;           /* processes whose executable we may not read */
} CfProcessScan;

CfProcessScan *cf_processes_scan         (const char     *proc_root,
                                          GError        **error);
gboolean       cf_processes_hash         (CfProcessExe   *exe,
                                          const char     *proc_root,
                                          GCancellable   *cancellable,
                                          GError        **error);
gboolean       cf_processes_verify_package (CfProcessExe *exe,
                                          CfDpkgIndex    *index,
                                          const char     *proc_root,
                                          GCancellable   *cancellable);
void           cf_processes_sort_by_risk (CfProcessScan  *scan);
int            cf_process_exe_risk       (const CfProcessExe *exe);
CfProcessExe  *cf_process_exe_copy       (const CfProcessExe *exe);
void           cf_process_exe_free       (CfProcessExe   *exe);
void           cf_process_scan_free      (CfProcessScan  *scan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfProcessScan, cf_process_scan_free)

G_END_DECLS
