/* cf-store-downloads.c: the execute bits the downloads watcher cleared, and their old modes
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-store"

#include "config.h"

#include "cf-store-private.h"

void
cf_disarmed_free (CfDisarmed *disarmed)
{
  if (disarmed == NULL)
    return;

  g_free (disarmed->path);
  g_free (disarmed->sha256);
  g_free (disarmed);
}

/* Replaces whatever was kept for the same path: one file a path. */
void
cf_store_save_disarmed (CfStore          *self,
                        const CfDisarmed *disarmed)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  char hash[65];

  g_return_if_fail (CF_IS_STORE (self));
  g_return_if_fail (disarmed != NULL && disarmed->path != NULL);

  if (cf_store_defer (self, &(Job) { .kind = JOB_SAVE_DISARMED, .a = disarmed->path,
                                  .b = disarmed->sha256, .identity = disarmed->identity,
                                  .number = disarmed->mode, .time = disarmed->time }))
    return;

  if (!cf_store_check_sha256 (disarmed->sha256, hash, &error))
    goto failed;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  stmt = cf_store_prepare (self,
                           "INSERT OR REPLACE INTO disarmed"
                           " (path, sha256, device, inode, size, mtime_ns, mode, time)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           &error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_text (stmt, 1, disarmed->path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) disarmed->identity.device);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) disarmed->identity.inode);
  sqlite3_bind_int64 (stmt, 5, disarmed->identity.size);
  sqlite3_bind_int64 (stmt, 6, disarmed->identity.mtime_ns);
  sqlite3_bind_int64 (stmt, 7, disarmed->mode);
  sqlite3_bind_int64 (stmt, 8, disarmed->time);

  if (cf_store_step (self, stmt, &error) == SQLITE_DONE)
    return;

failed:
  cf_store_warn (self, "Could not remember a file whose execute bits were cleared", error);
}

/* The files kept with this content (@sha256), or at this @path, or all
 * of them when both are NULL. */
GPtrArray *
cf_store_list_disarmed (CfStore    *self,
                        const char *sha256,
                        const char *path)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;
  char hash[65];
  int rc;

  g_return_val_if_fail (CF_IS_STORE (self), NULL);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_disarmed_free);
  if (sha256 != NULL && !cf_store_normalize_sha256 (sha256, hash))
    return list;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  stmt = cf_store_prepare (self,
                           "SELECT path, sha256, device, inode, size, mtime_ns, mode, time"
                           " FROM disarmed"
                           " WHERE (?1 IS NULL OR sha256 = ?1) AND (?2 IS NULL OR path = ?2)"
                           " ORDER BY time",
                           &error);
  if (stmt == NULL)
    goto failed;
  if (sha256 != NULL)
    sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_TRANSIENT);

  while ((rc = cf_store_step (self, stmt, &error)) == SQLITE_ROW)
    {
      CfDisarmed *disarmed = g_new0 (CfDisarmed, 1);

      disarmed->path = cf_store_column_dup (stmt, 0);
      disarmed->sha256 = cf_store_column_dup (stmt, 1);
      disarmed->identity.device = sqlite3_column_int64 (stmt, 2);
      disarmed->identity.inode = sqlite3_column_int64 (stmt, 3);
      disarmed->identity.size = sqlite3_column_int64 (stmt, 4);
      disarmed->identity.mtime_ns = sqlite3_column_int64 (stmt, 5);
      disarmed->identity.valid = TRUE;
      disarmed->mode = sqlite3_column_int64 (stmt, 6);
      disarmed->time = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (list, disarmed);
    }
  if (rc == SQLITE_DONE)
    return list;

failed:
  cf_store_warn (self, "Could not read the files whose execute bits were cleared", error);
  return list;
}

void
cf_store_forget_disarmed (CfStore    *self,
                          const char *path)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CF_IS_STORE (self));
  g_return_if_fail (path != NULL);

  if (cf_store_defer (self, &(Job) { .kind = JOB_FORGET_DISARMED, .a = (char *) path }))
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  stmt = cf_store_prepare (self, "DELETE FROM disarmed WHERE path = ?1", &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, path, -1, SQLITE_TRANSIENT);

  if (cf_store_step (self, stmt, &error) == SQLITE_DONE)
    return;

failed:
  cf_store_warn (self, "Could not forget a file whose execute bits were restored", error);
}
