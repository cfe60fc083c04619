/* cf-trash.c: a file into the Trash, and back again on Undo
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GIO puts a local file into the Trash as the freedesktop.org Trash
 * specification says (files/NAME and info/NAME.trashinfo under the home
 * trash, or under the trash at the top of the file's own mount), but it
 * has no way back without gvfs.  Restoring needs only the specification:
 * the info file that records this path and was not there before the move
 * names the entry; files/NAME goes back where it was (never over
 * something that has taken its place since), and the info file goes.
 */

#define G_LOG_DOMAIN "check-first-trash"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cf-display.h"
#include "cf-trash.h"

struct _CfTrashed
{
  char *original;   /* the absolute path the file had */
  char *location;   /* where it is now, in a trash's files/ */
  char *info;       /* its .trashinfo */
};

void
cf_trashed_free (CfTrashed *trashed)
{
  if (trashed == NULL)
    return;
  g_free (trashed->original);
  g_free (trashed->location);
  g_free (trashed->info);
  g_free (trashed);
}

const char *
cf_trashed_get_original (const CfTrashed *trashed)
{
  return trashed->original;
}

const char *
cf_trashed_get_location (const CfTrashed *trashed)
{
  return trashed->location;
}

/* The top of the mount @path is on: the last folder up with its device. */
static char *
mount_top (const char *path)
{
  g_autofree char *top = g_path_get_dirname (path);
  struct stat st;

  if (g_stat (top, &st) != 0)
    return NULL;
  for (;;)
    {
      g_autofree char *up = g_path_get_dirname (top);
      struct stat up_st;

      if (g_str_equal (up, top) || g_stat (up, &up_st) != 0 || up_st.st_dev != st.st_dev)
        return g_steal_pointer (&top);
      g_free (top);
      top = g_steal_pointer (&up);
    }
}

/* The trashes a file at @path can have gone to, each with the path its
 * info files record for it: the home trash keeps absolute paths, a trash
 * at the top of a mount keeps them relative to that top. */
static void
candidate_trashes (const char *path,
                   GPtrArray  *trashes,
                   GPtrArray  *recorded)
{
  g_autofree char *top = mount_top (path);
  g_autofree char *uid = g_strdup_printf ("%u", (guint) getuid ());

  g_ptr_array_add (trashes, g_build_filename (g_get_user_data_dir (), "Trash", NULL));
  g_ptr_array_add (recorded, g_strdup (path));

  if (top != NULL && g_str_has_prefix (path, top))
    {
      const char *relative = path + strlen (top);
      g_autofree char *per_user = g_strconcat (".Trash-", uid, NULL);

      while (*relative == '/')
        relative++;
      g_ptr_array_add (trashes, g_build_filename (top, ".Trash", uid, NULL));
      g_ptr_array_add (recorded, g_strdup (relative));
      g_ptr_array_add (trashes, g_build_filename (top, per_user, NULL));
      g_ptr_array_add (recorded, g_strdup (relative));
    }
}

/* The path an info file records, unescaped, or NULL. */
static char *
recorded_path (const char *info_path)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *escaped = NULL;

  if (!g_key_file_load_from_file (info, info_path, G_KEY_FILE_NONE, NULL))
    return NULL;
  escaped = g_key_file_get_string (info, "Trash Info", "Path", NULL);
  return escaped != NULL ? g_uri_unescape_string (escaped, NULL) : NULL;
}

/* The info files in any trash that record @path, as "TRASH\nNAME"
 * keys (the trash's folder, the info file's name). */
static GHashTable *
list_trashed (const char *path)
{
  g_autoptr(GPtrArray) trashes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) recorded = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *basename = g_path_get_basename (path);
  /* GIO names it NAME.trashinfo, or inserts ".N" before the first dot of
   * NAME (or at its end) beside another: the part before that dot stays. */
  g_autofree char *stem = g_strndup (basename, strcspn (basename, "."));
  GHashTable *found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  candidate_trashes (path, trashes, recorded);
  for (guint i = 0; i < trashes->len; i++)
    {
      g_autofree char *info_dir = g_build_filename (trashes->pdata[i], "info", NULL);
      g_autoptr(GDir) dir = g_dir_open (info_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *info_path = NULL;
          g_autofree char *was = NULL;

          if (!g_str_has_prefix (name, stem) || !g_str_has_suffix (name, ".trashinfo"))
            continue;
          info_path = g_build_filename (info_dir, name, NULL);
          was = recorded_path (info_path);
          if (g_strcmp0 (was, recorded->pdata[i]) == 0)
            g_hash_table_add (found, g_strconcat (trashes->pdata[i], "\n", name, NULL));
        }
    }
  return found;
}

/* The one info file for @path that is in @after and not in @before. */
static CfTrashed *
find_new_trashed (const char *path,
                  GHashTable *before,
                  GHashTable *after)
{
  GHashTableIter iter;
  const char *key;
  CfTrashed *trashed = NULL;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    {
      const char *newline = strchr (key, '\n');
      g_autofree char *trash = g_strndup (key, newline - key);
      g_autofree char *name = g_strndup (newline + 1, strlen (newline + 1) - strlen (".trashinfo"));

      if (g_hash_table_contains (before, key))
        continue;
      if (trashed != NULL)
        {
          /* Another program trashed a file of this path at the same moment. */
          cf_trashed_free (trashed);
          return NULL;
        }
      trashed = g_new0 (CfTrashed, 1);
      trashed->original = g_strdup (path);
      trashed->location = g_build_filename (trash, "files", name, NULL);
      trashed->info = g_strconcat (trash, "/info/", newline + 1, NULL);
    }
  return trashed;
}

/* Moves @file to the Trash; the result puts it back.  Blocking: call it
 * from a worker thread. */
CfTrashed *
cf_trash_file (GFile         *file,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *shown = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  CfTrashed *trashed;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only files on this computer can be moved to the Trash from here."));
      return NULL;
    }
  /* What the trashes held for this path before, to tell which entry is new. */
  before = list_trashed (path);
  if (!g_file_trash (file, cancellable, error))
    return NULL;
  after = list_trashed (path);

  trashed = find_new_trashed (path, before, after);
  if (trashed == NULL)
    {
      /* In the Trash, but not where the specification puts it. */
      shown = cf_display_path (path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” is in the Trash, but it cannot be put back from here: restore it "
                     "from the Trash in Files."), shown);
    }
  return trashed;
}

/* Puts the file back where it was.  Blocking. */
gboolean
cf_trashed_restore (CfTrashed     *trashed,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (trashed != NULL, FALSE);

  from = g_file_new_for_path (trashed->location);
  to = g_file_new_for_path (trashed->original);
  shown = cf_display_path (trashed->original);

  /* Never over what has taken its place. */
  if (!g_file_move (from, to, G_FILE_COPY_NOFOLLOW_SYMLINKS | G_FILE_COPY_ALL_METADATA,
                    cancellable, NULL, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                     _("“%s” was not put back: another file has that name now."), shown);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("“%s” was not put back: it is no longer in the Trash."), shown);
      else
        g_set_error (error, local_error->domain, local_error->code,
                     _("“%s” was not put back: %s"), shown, local_error->message);
      return FALSE;
    }

  if (g_unlink (trashed->info) != 0 && errno != ENOENT)
    g_warning ("Could not remove %s: %s", trashed->info, g_strerror (errno));
  return TRUE;
}
