/* cf-store-state.c: small named values the store keeps for other parts (what an account may spend)
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-store"

#include "config.h"

#include "cf-store-private.h"

/* The text stored under @name, or NULL. */
char *
cf_store_get_state_text (CfStore    *self,
                         const char *name)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  int rc;

  g_return_val_if_fail (CF_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  locker = g_mutex_locker_new (STORE_LOCK (self));

  stmt = cf_store_prepare (self, "SELECT value FROM state WHERE key = ?1", &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);

  rc = cf_store_step (self, stmt, &error);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
    return cf_store_column_dup (stmt, 0);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return NULL;

failed:
  cf_store_warn (self, "Could not read a stored value", error);
  return NULL;
}

/* Keeps @value (NULL forgets it) under @name. */
void
cf_store_set_state_text (CfStore    *self,
                         const char *name,
                         const char *value)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CF_IS_STORE (self));
  g_return_if_fail (name != NULL);

  if (cf_store_defer (self, &(Job) { .kind = JOB_SET_STATE_TEXT, .a = (char *) name, .b = (char *) value }))
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));
  cf_store_join_turn (self);

  stmt = cf_store_prepare (self,
                           value != NULL ?
                           "INSERT INTO state (key, value) VALUES (?1, ?2)"
                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value" :
                           "DELETE FROM state WHERE key = ?1",
                           &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);

  if (cf_store_step (self, stmt, &error) == SQLITE_DONE)
    return;

failed:
  cf_store_warn (self, "Could not keep a value", error);
}
