/* cf-store-history.c: every check, newest first, with what the person did
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-store"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-store-private.h"

/* History */

void
cf_history_entry_free (CfHistoryEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->path);
  g_free (entry->sha256);
  g_free (entry->status);
  g_free (entry->decision);
  g_free (entry->reason);
  g_free (entry->source);
  g_free (entry->kind);
  g_free (entry->error);
  g_free (entry->origin);
  g_free (entry->referrer);
  g_free (entry->override);
  g_free (entry->package);
  g_free (entry->package_version);
  g_free (entry->packaged);
  g_free (entry);
}

/* @id 0 lets SQLite number the entry. */
gint64
cf_store_add_history_with_id (CfStore              *self,
                              const CfHistoryEntry *entry,
                              gint64                id)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  char hash[65];
  const char *sha256 = NULL;

  /* A file that could not be read has no hash; anything else is lowered. */
  if (cf_store_normalize_sha256 (entry->sha256, hash))
    sha256 = hash;
  else
    sha256 = entry->sha256;

  locker = g_mutex_locker_new (STORE_LOCK (self));
  cf_store_join_turn (self);

  stmt = cf_store_prepare (self,
                           "INSERT INTO history"
                           " (id, path, sha256, time, status, decision, reason, malicious, engines,"
                           "  override, suspicious, threshold, source, kind, size, error, origin,"
                           "  package, package_version, packaged, referrer)"
                           " VALUES (?17, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                           "  ?14, ?15, ?16, ?18, ?19, ?20, ?21)",
                           &error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_text (stmt, 1, entry->path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, entry->time);
  sqlite3_bind_text (stmt, 4, entry->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, entry->decision, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, entry->reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, entry->malicious);
  sqlite3_bind_int64 (stmt, 8, entry->engines);
  sqlite3_bind_text (stmt, 9, entry->override, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 10, entry->suspicious);
  sqlite3_bind_int64 (stmt, 11, entry->threshold);
  sqlite3_bind_text (stmt, 12, entry->source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 13, entry->kind, -1, SQLITE_TRANSIENT);
  if (entry->size >= 0)
    sqlite3_bind_int64 (stmt, 14, entry->size);
  else
    sqlite3_bind_null (stmt, 14);
  sqlite3_bind_text (stmt, 15, entry->error, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 16, entry->origin, -1, SQLITE_TRANSIENT);
  if (id > 0)
    sqlite3_bind_int64 (stmt, 17, id);
  else
    sqlite3_bind_null (stmt, 17);
  sqlite3_bind_text (stmt, 18, entry->package, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 19, entry->package_version, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 20, entry->packaged, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 21, entry->referrer, -1, SQLITE_TRANSIENT);

  if (cf_store_step (self, stmt, &error) == SQLITE_DONE)
    return sqlite3_last_insert_rowid (STORE_DB (self));

failed:
  cf_store_warn (self, "Could not add to the history", error);
  return -1;
}

/* Returns the entry's id, or -1.  On the main thread of a write-behind
 * store the entry is queued and its id chosen here: the time in
 * microseconds and ten random bits, far above what SQLite hands out and
 * unlikely ever to meet another process's. */
gint64
cf_store_add_history (CfStore              *self,
                      const CfHistoryEntry *entry)
{
  gint64 id;

  g_return_val_if_fail (CF_IS_STORE (self), -1);
  g_return_val_if_fail (entry != NULL, -1);

  id = g_get_real_time () * 1024 + g_random_int_range (0, 1024);
  if (cf_store_defer (self, &(Job) { .kind = JOB_ADD_HISTORY, .entry = (CfHistoryEntry *) entry,
                                  .number = id }))
    return id;

  return cf_store_add_history_with_id (self, entry, 0);
}

void
cf_store_set_history_override (CfStore    *self,
                               gint64      id,
                               const char *override)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CF_IS_STORE (self));

  if (cf_store_defer (self, &(Job) { .kind = JOB_SET_HISTORY_OVERRIDE, .a = (char *) override,
                                  .number = id }))
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));
  cf_store_join_turn (self);

  stmt = cf_store_prepare (self, "UPDATE history SET override = ?1 WHERE id = ?2", &error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_text (stmt, 1, override, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, id);

  if (cf_store_step (self, stmt, &error) == SQLITE_DONE)
    return;

failed:
  cf_store_warn (self, "Could not record what was done with a file", error);
}

GPtrArray *
cf_store_list_history (CfStore *self,
                       guint    limit)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *entries;
  int rc;

  g_return_val_if_fail (CF_IS_STORE (self), NULL);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_history_entry_free);

  locker = g_mutex_locker_new (STORE_LOCK (self));

  stmt = cf_store_prepare (self,
                           "SELECT id, path, sha256, time, status, decision, reason, malicious,"
                           " engines, override, suspicious, threshold, source, kind, size, error,"
                           " origin, package, package_version, packaged, referrer FROM history"
                           " ORDER BY time DESC, id DESC LIMIT ?1",
                           &error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);

  while ((rc = cf_store_step (self, stmt, &error)) == SQLITE_ROW)
    {
      CfHistoryEntry *entry = g_new0 (CfHistoryEntry, 1);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->path = cf_store_column_dup (stmt, 1);
      entry->sha256 = cf_store_column_dup (stmt, 2);
      entry->time = sqlite3_column_int64 (stmt, 3);
      entry->status = cf_store_column_dup (stmt, 4);
      entry->decision = cf_store_column_dup (stmt, 5);
      entry->reason = cf_store_column_dup (stmt, 6);
      entry->malicious = sqlite3_column_int64 (stmt, 7);
      entry->engines = sqlite3_column_int64 (stmt, 8);
      entry->override = cf_store_column_dup (stmt, 9);
      entry->suspicious = sqlite3_column_int64 (stmt, 10);
      entry->threshold = sqlite3_column_int64 (stmt, 11);
      entry->source = cf_store_column_dup (stmt, 12);
      entry->kind = cf_store_column_dup (stmt, 13);
      entry->size = sqlite3_column_type (stmt, 14) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 14);
      entry->error = cf_store_column_dup (stmt, 15);
      entry->origin = cf_store_column_dup (stmt, 16);
      entry->package = cf_store_column_dup (stmt, 17);
      entry->package_version = cf_store_column_dup (stmt, 18);
      entry->packaged = cf_store_column_dup (stmt, 19);
      entry->referrer = cf_store_column_dup (stmt, 20);
      g_ptr_array_add (entries, entry);
    }

  if (rc == SQLITE_DONE)
    return entries;

failed:
  cf_store_warn (self, "Could not read the history", error);
  return entries;
}

void
cf_store_clear_history (CfStore *self)
{
  cf_store_clear_history_before (self, G_MAXINT64);
}

/* Removes the entries of @time (seconds since the epoch) and before: a
 * clear that waited for its Undo leaves the checks made meanwhile. */
void
cf_store_clear_history_before (CfStore *self,
                               gint64   time)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CF_IS_STORE (self));

  if (cf_store_defer (self, &(Job) { .kind = JOB_CLEAR_HISTORY, .number = time }))
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));
  cf_store_join_turn (self);

  stmt = cf_store_prepare (self, "DELETE FROM history WHERE time <= ?1", &error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, time);
      if (cf_store_step (self, stmt, &error) == SQLITE_DONE)
        return;
    }
  cf_store_warn (self, "Could not clear the history", error);
}
