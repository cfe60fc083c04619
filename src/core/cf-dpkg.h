/* cf-dpkg.h: the files Debian packages installed, and whether each is still what its package shipped
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CF_DPKG_DEFAULT_ADMINDIR "/var/lib/dpkg"

/* What the package database says about one file. */
typedef enum
{
  CF_PACKAGED_NONE,          /* no installed package vouches for it */
  CF_PACKAGED_UNMODIFIED,    /* its MD5 is the one its package recorded */
  CF_PACKAGED_MODIFIED,      /* a package installed it, and it is no longer what was installed */
} CfPackaged;

typedef struct
{
  CfPackaged  state;
  char       *name;      /* "coreutils"; NULL for CF_PACKAGED_NONE */
  char       *version;   /* "9.1-1" */
} CfPackageInfo;

#define CF_PACKAGE_INFO_INIT { CF_PACKAGED_NONE, NULL, NULL }

void        cf_package_info_clear     (CfPackageInfo       *info);
void        cf_package_info_copy      (CfPackageInfo       *dest,
                                       const CfPackageInfo *src);
const char *cf_packaged_to_string     (CfPackaged           state);
gboolean    cf_packaged_from_string   (const char          *text,
                                       CfPackaged          *state);

typedef struct _CfDpkgIndex CfDpkgIndex;

/* CHECK_FIRST_DPKG_ADMINDIR, else /var/lib/dpkg. */
const char  *cf_dpkg_admindir               (void);

/* Reads @admindir's status, diversions, *.list and *.md5sums once into
 * an index of every file an installed package recorded a checksum for.
 * A folder without a status file gives an empty index: not Debian. */
CfDpkgIndex *cf_dpkg_index_load             (const char    *admindir,
                                             GError       **error);
CfDpkgIndex *cf_dpkg_index_ref              (CfDpkgIndex   *index);
void         cf_dpkg_index_unref            (CfDpkgIndex   *index);
guint        cf_dpkg_index_get_n_files      (CfDpkgIndex   *index);
guint        cf_dpkg_index_get_n_packages   (CfDpkgIndex   *index);
gsize        cf_dpkg_index_get_memory       (CfDpkgIndex   *index);
/* Whether @path (canonical: no symbolic link in it) is a file an
 * installed package recorded a checksum for. */
gboolean     cf_dpkg_index_contains         (CfDpkgIndex   *index,
                                             const char    *path);

/* The index of this machine's database (cf_dpkg_admindir ()), read at the
 * first call and again only when dpkg has changed its status since; never
 * NULL.  Safe from any thread; may take a while: not on the main thread. */
CfDpkgIndex *cf_dpkg_index_get_default      (void);

/* Cheap, on any thread: FALSE when a file at @path could never be
 * vouched for (a relative path, a place any user may write to). */
gboolean     cf_dpkg_path_may_qualify       (const char    *path);

/* Blocking.  What the database says about @fd, open for reading, which
 * @path names (canonical, as the kernel reports it).  Reads the file for
 * its MD5 only when an installed package recorded one for @path. */
gboolean     cf_dpkg_verify_fd              (CfDpkgIndex   *index,
                                             int            fd,
                                             const char    *path,
                                             CfPackageInfo *info,
                                             GCancellable  *cancellable,
                                             GError       **error);
/* The same for the file @fd is open on, wherever its path leads: a file
 * reached through a symbolic link is judged where it really is. */
gboolean     cf_dpkg_verify_open_file       (int            fd,
                                             CfPackageInfo *info,
                                             GCancellable  *cancellable,
                                             GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfDpkgIndex, cf_dpkg_index_unref)

G_END_DECLS
