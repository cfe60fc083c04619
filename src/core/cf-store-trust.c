/* cf-store-trust.c: the files the person always allows or always blocks
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-store"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-store-private.h"

/* Trust list */

void
cf_trust_entry_free (CfTrustEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->sha256);
  g_free (entry->note);
  g_free (entry);
}

CfTrust
cf_store_get_trust (CfStore     *self,
                    const char  *sha256,
                    char       **note)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  char hash[65];
  gint64 trust;

  if (note != NULL)
    *note = NULL;

  g_return_val_if_fail (CF_IS_STORE (self), CF_TRUST_NONE);

  if (!cf_store_normalize_sha256 (sha256, hash))
    return CF_TRUST_NONE;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  stmt = cf_store_prepare (self, "SELECT trust, note FROM trust WHERE sha256 = ?1", &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);

  switch (cf_store_step (self, stmt, &error))
    {
    case SQLITE_ROW:
      trust = sqlite3_column_int64 (stmt, 0);
      if (trust != CF_TRUST_ALLOW && trust != CF_TRUST_BLOCK)
        return CF_TRUST_NONE;
      if (note != NULL)
        *note = cf_store_column_dup (stmt, 1);
      return (CfTrust) trust;

    case SQLITE_DONE:
      return CF_TRUST_NONE;

    default:
      goto failed;
    }

failed:
  cf_store_warn (self, "Could not read the trust list", error);
  return CF_TRUST_NONE;
}

gboolean
cf_store_set_trust (CfStore     *self,
                    const char  *sha256,
                    CfTrust      trust,
                    const char  *note,
                    gint64       now,
                    GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  char hash[65];

  g_return_val_if_fail (CF_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cf_store_check_sha256 (sha256, hash, error))
    return FALSE;

  if (trust != CF_TRUST_NONE && trust != CF_TRUST_ALLOW && trust != CF_TRUST_BLOCK)
    {
      g_set_error (error, CF_STORE_ERROR, CF_STORE_ERROR_INVALID,
                   _("Unknown trust level %d"), (int) trust);
      return FALSE;
    }

  locker = g_mutex_locker_new (STORE_LOCK (self));

  if (trust == CF_TRUST_NONE)
    stmt = cf_store_prepare (self, "DELETE FROM trust WHERE sha256 = ?1", error);
  else
    stmt = cf_store_prepare (self,
                             "INSERT OR REPLACE INTO trust (sha256, trust, time, note)"
                             " VALUES (?1, ?2, ?3, ?4)",
                             error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  if (trust != CF_TRUST_NONE)
    {
      sqlite3_bind_int (stmt, 2, trust);
      sqlite3_bind_int64 (stmt, 3, now);
      sqlite3_bind_text (stmt, 4, note, -1, SQLITE_TRANSIENT);
    }

  return cf_store_step (self, stmt, error) == SQLITE_DONE;
}

GPtrArray *
cf_store_list_trust (CfStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *entries;
  int rc;

  g_return_val_if_fail (CF_IS_STORE (self), NULL);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_trust_entry_free);

  locker = g_mutex_locker_new (STORE_LOCK (self));

  stmt = cf_store_prepare (self,
                           "SELECT sha256, trust, time, note FROM trust"
                           " ORDER BY time DESC, sha256",
                           &error);
  if (stmt == NULL)
    goto failed;

  while ((rc = cf_store_step (self, stmt, &error)) == SQLITE_ROW)
    {
      CfTrustEntry *entry = g_new0 (CfTrustEntry, 1);

      entry->sha256 = cf_store_column_dup (stmt, 0);
      entry->trust = (CfTrust) sqlite3_column_int (stmt, 1);
      entry->time = sqlite3_column_int64 (stmt, 2);
      entry->note = cf_store_column_dup (stmt, 3);
      g_ptr_array_add (entries, entry);
    }

  if (rc == SQLITE_DONE)
    return entries;

failed:
  cf_store_warn (self, "Could not read the trust list", error);
  return entries;
}
