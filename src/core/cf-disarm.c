/* cf-disarm.c: take a blocked download's permission to run away, and give it back
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A flagged download that is executable can be started by a double-click
 * in the file manager or the browser's download bar before the person has
 * read the warning.  Clearing its execute bits stops that and loses
 * nothing: the old mode is kept in the store, and given back when the
 * person allows the file or runs it anyway.  Both act only on the very file
 * that was checked: the bits are cleared through the check's own hold,
 * while its lease stands, and given back only where the path still names
 * the same device, inode, size and modification time, with the mode left
 * as it was.
 */

#define G_LOG_DOMAIN "check-first-disarm"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cf-disarm.h"

#define EXECUTE_BITS (S_IXUSR | S_IXGRP | S_IXOTH)

/* Clears the execute bits of the file @hold holds, checked as @sha256, and
 * keeps its old mode in @store.  TRUE when it was executable and no longer
 * is; FALSE without an error when it was not executable. */
gboolean
cf_disarm_held (CfStore     *store,
                CfFileHold  *hold,
                const char  *sha256,
                GError     **error)
{
  CfDisarmed disarmed = { NULL };
  struct stat st;

  g_return_val_if_fail (CF_IS_STORE (store), FALSE);
  g_return_val_if_fail (CF_IS_FILE_HOLD (hold), FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  if (fstat (cf_file_hold_get_fd (hold), &st) != 0)
    {
      g_autofree char *shown = g_filename_display_name (cf_file_hold_get_path (hold));

      cf_file_error_from_errno (error, errno, shown);
      return FALSE;
    }
  if ((st.st_mode & EXECUTE_BITS) == 0)
    return FALSE;

  if (!cf_file_hold_set_mode (hold, st.st_mode & ~EXECUTE_BITS, error))
    return FALSE;

  disarmed.path = (char *) cf_file_hold_get_path (hold);
  disarmed.sha256 = (char *) sha256;
  disarmed.identity = *cf_file_hold_get_identity (hold);
  disarmed.mode = st.st_mode & 07777;
  disarmed.time = g_get_real_time () / G_USEC_PER_SEC;
  cf_store_save_disarmed (store, &disarmed);

  /* Under a lease the new identity still names these bytes: the file is
   * known as it is now, without hashing it again. */
  if (cf_file_hold_get_kind (hold) == CF_FILE_HOLD_LEASED)
    cf_store_remember_identity (store, &disarmed.identity, sha256);
  return TRUE;
}

static gboolean
same_file (const struct stat    *st,
           const CfFileIdentity *identity)
{
  return S_ISREG (st->st_mode) &&
         (guint64) st->st_dev == identity->device && (guint64) st->st_ino == identity->inode &&
         (gint64) st->st_size == identity->size &&
         (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec == identity->mtime_ns;
}

/* Gives @disarmed its mode back, through @hold when the caller holds the
 * file, if it is still the file that was disarmed and nobody set a mode
 * since.  Either way, nothing is left to undo for its path. */
static gboolean
rearm (CfStore          *store,
       const CfDisarmed *disarmed,
       CfFileHold       *hold)
{
  struct stat st;
  gboolean restored = FALSE;
  int fd;

  fd = hold != NULL ? dup (cf_file_hold_get_fd (hold))
                    : open (disarmed->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd >= 0 && fstat (fd, &st) == 0 && same_file (&st, &disarmed->identity) &&
      (st.st_mode & 07777) == (disarmed->mode & ~EXECUTE_BITS))
    {
      g_autoptr(GError) error = NULL;

      if (hold != NULL)
        restored = cf_file_hold_set_mode (hold, disarmed->mode, &error);
      else if (fchmod (fd, disarmed->mode) == 0)
        restored = TRUE;
      else
        error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (errno), g_strerror (errno));
      if (!restored)
        g_warning ("Could not give a file its execute bits back: %s", error->message);
    }
  if (fd >= 0)
    close (fd);

  cf_store_forget_disarmed (store, disarmed->path);
  return restored;
}

/* Restores the file at @path (the person runs it anyway), through @hold
 * when the caller holds it (or NULL).  Returns how many files got their
 * mode back. */
guint
cf_rearm_path (CfStore    *store,
               const char *path,
               CfFileHold *hold)
{
  g_autoptr(GPtrArray) list = NULL;
  guint restored = 0;

  g_return_val_if_fail (CF_IS_STORE (store), 0);
  g_return_val_if_fail (path != NULL, 0);

  list = cf_store_list_disarmed (store, NULL, path);
  for (guint i = 0; i < list->len; i++)
    restored += rearm (store, g_ptr_array_index (list, i), hold);
  return restored;
}

/* Restores every file of this content: the person allowed it. */
guint
cf_rearm_content (CfStore    *store,
                  const char *sha256)
{
  g_autoptr(GPtrArray) list = NULL;
  guint restored = 0;

  g_return_val_if_fail (CF_IS_STORE (store), 0);
  g_return_val_if_fail (sha256 != NULL, 0);

  list = cf_store_list_disarmed (store, sha256, NULL);
  for (guint i = 0; i < list->len; i++)
    restored += rearm (store, g_ptr_array_index (list, i), NULL);
  return restored;
}
