/* dpkg-index.c: what reading the Debian package database into Check First's index costs
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/bench/run-bench runs this program to time and weigh the index the
 * packaged pre-filter reads once per run (src/core/cf-dpkg.c), against dpkg
 * reading the same database:
 *
 *   dpkg-index [ADMINDIR]            load the index once; print what it holds,
 *                                    its own size and the seconds loading took
 *   dpkg-index --no-load             start and stop: the base for peak memory
 *   dpkg-index --evict [ADMINDIR]    drop the database's files from the page
 *                                    cache (posix_fadvise), so that the next
 *                                    reader reads them from the disk; print
 *                                    how many files and bytes that is
 *
 * ADMINDIR defaults to CHECK_FIRST_DPKG_ADMINDIR, else /var/lib/dpkg.
 */

#define G_LOG_DOMAIN "dpkg-index"

#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cf-dpkg.h"

/* Asks the kernel to forget the cached pages of @path; adds its size to @bytes. */
static void
evict_file (const char *path,
            guint      *n_files,
            guint64    *bytes)
{
  struct stat st;
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
    {
      posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
      *n_files += 1;
      *bytes += st.st_size;
    }
  close (fd);
}

/* The files cf_dpkg_index_load () reads: status, diversions, and *.list and *.md5sums in info. */
static int
evict (const char *admindir)
{
  g_autofree char *info_path = g_build_filename (admindir, "info", NULL);
  g_autoptr(GDir) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_files = 0;
  guint64 bytes = 0;

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_build_filename (admindir, i == 0 ? "status" : "diversions", NULL);
      evict_file (path, &n_files, &bytes);
    }

  info = g_dir_open (info_path, 0, &error);
  if (info == NULL)
    {
      g_printerr ("dpkg-index: %s\n", error->message);
      return 1;
    }
  while ((name = g_dir_read_name (info)) != NULL)
    {
      if (g_str_has_suffix (name, ".list") || g_str_has_suffix (name, ".md5sums"))
        {
          g_autofree char *path = g_build_filename (info_path, name, NULL);
          evict_file (path, &n_files, &bytes);
        }
    }

  g_print ("database_files %u database_bytes %" G_GUINT64_FORMAT "\n", n_files, bytes);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CfDpkgIndex) index = NULL;
  g_autoptr(GError) error = NULL;
  const char *admindir;
  gint64 started;
  gint64 took;

  setlocale (LC_ALL, "");

  if (argc > 1 && g_str_equal (argv[1], "--no-load"))
    return 0;
  if (argc > 1 && g_str_equal (argv[1], "--evict"))
    return evict (argc > 2 ? argv[2] : cf_dpkg_admindir ());

  admindir = argc > 1 ? argv[1] : cf_dpkg_admindir ();
  started = g_get_monotonic_time ();
  index = cf_dpkg_index_load (admindir, &error);
  took = g_get_monotonic_time () - started;
  if (index == NULL)
    {
      g_printerr ("dpkg-index: %s\n", error->message);
      return 1;
    }

  g_print ("files %u packages %u index_bytes %" G_GSIZE_FORMAT " load_seconds %.6f\n",
           cf_dpkg_index_get_n_files (index), cf_dpkg_index_get_n_packages (index),
           cf_dpkg_index_get_memory (index), took / (double) G_USEC_PER_SEC);
  return 0;
}
