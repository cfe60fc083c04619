/* cf-nautilus-files.c: which of the file manager's files Check First can read, and by which URI
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The service takes file:// URIs only: it reads the file itself, and a
 * file must have a path for that.  A file on another computer that GVfs
 * mounted (sftp://, smb://, …) has one when GVfs also shows its mounts
 * through FUSE (gvfsd-fuse, in $XDG_RUNTIME_DIR/gvfs): the service reads
 * it there, over the network, and says that it is remote.  Files in
 * Recent, Starred and search results stand for a local file, their
 * activation URI.  Anything else (the Trash, a mount without FUSE, an
 * archive being browsed, a "computer:" place) has no path and is not
 * offered.
 */

#define G_LOG_DOMAIN "check-first-nautilus"

#include "config.h"

#include "cf-nautilus-files.h"

static char *
path_of_uri (const char *uri)
{
  if (uri == NULL || !g_str_has_prefix (uri, "file:"))
    return NULL;
  return g_filename_from_uri (uri, NULL, NULL);
}

/**
 * cf_nautilus_file_get_local_uri:
 * @file: a file the file manager shows
 *
 * The file:// URI by which the service can read @file (through a FUSE
 * path for a GVfs mount), or %NULL when it cannot.  For a GVfs location,
 * GIO finds the path among the mounts it already knows.
 *
 * Returns: (nullable) (transfer full): the URI
 */
char *
cf_nautilus_file_get_local_uri (NautilusFileInfo *file)
{
  g_autoptr(GFile) location = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (NAUTILUS_IS_FILE_INFO (file), NULL);

  switch (nautilus_file_info_get_file_type (file))
    {
    case G_FILE_TYPE_SPECIAL:
    case G_FILE_TYPE_SHORTCUT:
    case G_FILE_TYPE_MOUNTABLE:
      return NULL;
    default:
      break;
    }

  location = nautilus_file_info_get_location (file);
  if (location != NULL)
    path = g_file_get_path (location);
  if (path == NULL)
    {
      g_autofree char *activation = nautilus_file_info_get_activation_uri (file);

      path = path_of_uri (activation);
    }
  if (path == NULL)
    return NULL;

  /* Not through a GFile: GVfs would make a FUSE path its network URI again. */
  return g_filename_to_uri (path, NULL, NULL);
}
