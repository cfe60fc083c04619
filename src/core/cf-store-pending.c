/* cf-store-pending.c: uploads whose analysis has not finished
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-store"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-store-private.h"

/* Pending analyses */

void
cf_pending_analysis_free (CfPendingAnalysis *pending)
{
  if (pending == NULL)
    return;

  g_free (pending->sha256);
  g_free (pending->analysis_id);
  g_free (pending);
}

void
cf_store_save_pending (CfStore    *self,
                       const char *sha256,
                       const char *analysis_id,
                       gint64      started)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  gboolean valid;
  char hash[65];

  g_return_if_fail (CF_IS_STORE (self));
  g_return_if_fail (analysis_id != NULL);

  if (cf_store_defer (self, &(Job) { .kind = JOB_SAVE_PENDING, .a = (char *) sha256,
                                  .b = (char *) analysis_id, .number = started }))
    return;

  valid = cf_store_normalize_sha256 (sha256, hash);
  g_return_if_fail (valid);

  locker = g_mutex_locker_new (STORE_LOCK (self));
  cf_store_join_turn (self);

  stmt = cf_store_prepare (self,
                           "INSERT OR REPLACE INTO pending (sha256, analysis_id, started)"
                           " VALUES (?1, ?2, ?3)",
                           &error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, analysis_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, started);

  if (cf_store_step (self, stmt, &error) == SQLITE_DONE)
    return;

failed:
  cf_store_warn (self, "Could not remember an unfinished analysis", error);
}

CfPendingAnalysis *
cf_store_get_pending (CfStore    *self,
                      const char *sha256)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  CfPendingAnalysis *pending;
  char hash[65];

  g_return_val_if_fail (CF_IS_STORE (self), NULL);

  if (!cf_store_normalize_sha256 (sha256, hash))
    return NULL;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  stmt = cf_store_prepare (self,
                           "SELECT analysis_id, started FROM pending WHERE sha256 = ?1",
                           &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);

  switch (cf_store_step (self, stmt, &error))
    {
    case SQLITE_ROW:
      pending = g_new0 (CfPendingAnalysis, 1);
      pending->sha256 = g_strdup (hash);
      pending->analysis_id = cf_store_column_dup (stmt, 0);
      pending->started = sqlite3_column_int64 (stmt, 1);
      return pending;

    case SQLITE_DONE:
      return NULL;

    default:
      goto failed;
    }

failed:
  cf_store_warn (self, "Could not read an unfinished analysis", error);
  return NULL;
}

void
cf_store_forget_pending (CfStore    *self,
                         const char *sha256)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  char hash[65];

  g_return_if_fail (CF_IS_STORE (self));

  if (cf_store_defer (self, &(Job) { .kind = JOB_FORGET_PENDING, .a = (char *) sha256 }))
    return;

  if (!cf_store_normalize_sha256 (sha256, hash))
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));
  cf_store_join_turn (self);

  stmt = cf_store_prepare (self, "DELETE FROM pending WHERE sha256 = ?1", &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);

  if (cf_store_step (self, stmt, &error) == SQLITE_DONE)
    return;

failed:
  cf_store_warn (self, "Could not forget an unfinished analysis", error);
}
