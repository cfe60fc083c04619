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
#include <sys/stat.h>

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
same_file (const CfFileIdentity *now,
           const CfFileIdentity *then)
{
  return now->device == then->device && now->inode == then->inode && now->size == then->size &&
         now->mtime_ns == then->mtime_ns;
}

/* Gives @disarmed its mode back, through @hold when the caller holds the
 * file and knows it is the file checked.  Otherwise the file is held here
 * and must still be known as that content: its whole identity, change time
 * too, names it in the cache (nothing touched it since it was disarmed),
 * and nobody has it open for writing.  Either way nothing is left to undo
 * for its path afterwards. */
static gboolean
rearm (CfStore          *store,
       const CfDisarmed *disarmed,
       CfFileHold       *hold)
{
  g_autoptr(CfFileHold) own = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;
  gboolean restored = FALSE;

  if (hold == NULL)
    {
      own = cf_file_hold_open (disarmed->path, NULL);
      hold = own;
    }

  if (hold != NULL && same_file (cf_file_hold_get_identity (hold), &disarmed->identity) &&
      fstat (cf_file_hold_get_fd (hold), &st) == 0 && (st.st_mode & 07777) == (disarmed->mode & ~EXECUTE_BITS))
    {
      g_autofree char *known = own != NULL ? cf_store_lookup_identity (store, cf_file_hold_get_identity (hold))
                                           : NULL;

      if (own != NULL && g_strcmp0 (known, disarmed->sha256) != 0)
        g_message ("A file changed since it was blocked; its execute bits are left cleared");
      else if (!cf_file_hold_set_mode (hold, disarmed->mode, &error))
        g_warning ("Could not give a file its execute bits back: %s", error->message);
      else
        {
          restored = TRUE;
          if (cf_file_hold_get_kind (hold) == CF_FILE_HOLD_LEASED)
            cf_store_remember_identity (store, cf_file_hold_get_identity (hold), disarmed->sha256);
        }
    }
  if (own != NULL)
    cf_file_hold_release (own);

  cf_store_forget_disarmed (store, disarmed->path);
  return restored;
}

static guint
rearm_all (CfStore    *store,
           GPtrArray  *list,
           CfFileHold *hold)
{
  guint restored = 0;

  for (guint i = 0; i < list->len; i++)
    restored += rearm (store, g_ptr_array_index (list, i), hold);
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

  g_return_val_if_fail (CF_IS_STORE (store), 0);
  g_return_val_if_fail (path != NULL, 0);

  list = cf_store_list_disarmed (store, NULL, path);
  return rearm_all (store, list, hold);
}

/* Restores every file of this content: the person allowed it. */
guint
cf_rearm_content (CfStore    *store,
                  const char *sha256)
{
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (CF_IS_STORE (store), 0);
  g_return_val_if_fail (sha256 != NULL, 0);

  list = cf_store_list_disarmed (store, sha256, NULL);
  return rearm_all (store, list, NULL);
}
