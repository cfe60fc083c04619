/* cf-store-cache.c: the caches: file identities, verdicts, and other hashes' SHA-256
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cf-store-private.h"

/* Identity cache */

char *
cf_store_lookup_identity (CfStore              *self,
                          const CfFileIdentity *identity)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  char sha256[65];

  g_return_val_if_fail (CF_IS_STORE (self), NULL);
  g_return_val_if_fail (identity != NULL, NULL);

  if (!identity->valid)
    return NULL;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  stmt = cf_store_prepare (self,
                           "SELECT sha256 FROM identities"
                           " WHERE device = ?1 AND inode = ?2 AND size = ?3"
                           " AND mtime_ns = ?4 AND ctime_ns = ?5",
                           &error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_int64 (stmt, 1, (gint64) identity->device);
  sqlite3_bind_int64 (stmt, 2, (gint64) identity->inode);
  sqlite3_bind_int64 (stmt, 3, identity->size);
  sqlite3_bind_int64 (stmt, 4, identity->mtime_ns);
  sqlite3_bind_int64 (stmt, 5, identity->ctime_ns);

  switch (cf_store_step (self, stmt, &error))
    {
    case SQLITE_ROW:
      if (cf_store_normalize_sha256 ((const char *) sqlite3_column_text (stmt, 0), sha256))
        return g_strdup (sha256);
      return NULL;

    case SQLITE_DONE:
      return NULL;

    default:
      goto failed;
    }

failed:
  cf_store_warn (self, "Could not look up a file in the identity cache", error);
  return NULL;
}

void
cf_store_remember_identity (CfStore              *self,
                            const CfFileIdentity *identity,
                            const char           *sha256)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) forget = NULL;
  g_autoptr(CfStoreStatement) insert = NULL;
  g_autoptr(GError) error = NULL;
  gboolean valid;
  char hash[65];

  g_return_if_fail (CF_IS_STORE (self));
  g_return_if_fail (identity != NULL);

  if (cf_store_defer (self, &(Job) { .kind = JOB_REMEMBER_IDENTITY, .a = (char *) sha256,
                                  .identity = *identity }))
    return;

  valid = cf_store_normalize_sha256 (sha256, hash);
  g_return_if_fail (valid);

  if (!identity->valid)
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  if (!cf_store_begin (self, &error))
    goto failed;

  /* Whatever this inode held before is gone for good (its ctime only ever
   * grows), so older rows would only take space. */
  forget = cf_store_prepare (self,
                             "DELETE FROM identities WHERE device = ?1 AND inode = ?2",
                             &error);
  if (forget == NULL)
    goto failed;
  sqlite3_bind_int64 (forget, 1, (gint64) identity->device);
  sqlite3_bind_int64 (forget, 2, (gint64) identity->inode);
  if (cf_store_step (self, forget, &error) != SQLITE_DONE)
    goto failed;

  insert = cf_store_prepare (self,
                             "INSERT INTO identities"
                             " (device, inode, size, mtime_ns, ctime_ns, sha256, seen)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                             " ON CONFLICT (device, inode, size, mtime_ns, ctime_ns)"
                             " DO UPDATE SET sha256 = excluded.sha256, seen = excluded.seen",
                             &error);
  if (insert == NULL)
    goto failed;
  sqlite3_bind_int64 (insert, 1, (gint64) identity->device);
  sqlite3_bind_int64 (insert, 2, (gint64) identity->inode);
  sqlite3_bind_int64 (insert, 3, identity->size);
  sqlite3_bind_int64 (insert, 4, identity->mtime_ns);
  sqlite3_bind_int64 (insert, 5, identity->ctime_ns);
  sqlite3_bind_text (insert, 6, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 7, g_get_real_time () / G_USEC_PER_SEC);
  if (cf_store_step (self, insert, &error) != SQLITE_DONE)
    goto failed;

  if (cf_store_commit (self, &error))
    return;

failed:
  cf_store_rollback (self);
  cf_store_warn (self, "Could not remember a file in the identity cache", error);
}

/* Verdict cache */

gboolean
cf_store_lookup_verdict (CfStore           *self,
                         const char        *sha256,
                         gint64             now,
                         const CfCacheTtl  *ttl,
                         CfReport         **report,
                         gint64            *fetched)
{
  static const CfCacheTtl default_ttl = CF_CACHE_TTL_INIT;
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CfReport) parsed = NULL;
  const char *json;
  gboolean known;
  gint64 when;
  gint64 lifetime;
  char hash[65];
  int rc;

  g_return_val_if_fail (CF_IS_STORE (self), FALSE);

  if (report != NULL)
    *report = NULL;
  if (fetched != NULL)
    *fetched = 0;

  if (!cf_store_normalize_sha256 (sha256, hash))
    return FALSE;

  if (ttl == NULL)
    ttl = &default_ttl;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  stmt = cf_store_prepare (self,
                           "SELECT known, report_json, fetched, malicious"
                           " FROM verdicts WHERE sha256 = ?1",
                           &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);

  rc = cf_store_step (self, stmt, &error);
  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    goto failed;

  known = sqlite3_column_int64 (stmt, 0) != 0;
  json = (const char *) sqlite3_column_text (stmt, 1);
  when = sqlite3_column_int64 (stmt, 2);

  if (known)
    {
      g_autoptr(GError) parse_error = NULL;

      if (json == NULL)
        return FALSE;

      parsed = cf_report_parse (json, strlen (json), &parse_error);
      if (parsed == NULL)
        {
          g_debug ("Cached report for %s does not parse: %s", hash, parse_error->message);
          return FALSE;
        }
    }

  /* A report with no engine answers yet is kept no longer than "unknown":
   * the results are on their way. */
  if (!known || !cf_report_has_results (parsed))
    lifetime = ttl->unknown;
  else if (sqlite3_column_int64 (stmt, 3) > 0)
    lifetime = ttl->detected;
  else
    lifetime = ttl->clean;

  /* An answer from the future means the clock moved back: don't trust it. */
  if (now < when || now - when >= lifetime)
    return FALSE;

  if (report != NULL)
    *report = g_steal_pointer (&parsed);
  if (fetched != NULL)
    *fetched = when;

  return TRUE;

failed:
  cf_store_warn (self, "Could not look up a cached verdict", error);
  return FALSE;
}

void
cf_store_save_verdict (CfStore        *self,
                       const char     *sha256,
                       const CfReport *report,
                       gint64          now)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  gboolean valid;
  char hash[65];

  g_return_if_fail (CF_IS_STORE (self));

  if (cf_store_defer (self, &(Job) { .kind = JOB_SAVE_VERDICT, .a = (char *) sha256,
                                  .report = (CfReport *) report, .number = now }))
    return;

  valid = cf_store_normalize_sha256 (sha256, hash);
  g_return_if_fail (valid);

  if (report != NULL)
    {
      json = cf_report_to_json (report);
      if (json == NULL)
        {
          g_warning ("Could not serialize the report for %s; not caching it", hash);
          return;
        }
    }

  locker = g_mutex_locker_new (STORE_LOCK (self));
  cf_store_join_turn (self);

  stmt = cf_store_prepare (self,
                           "INSERT OR REPLACE INTO verdicts"
                           " (sha256, known, report_json, fetched, malicious)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)",
                           &error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, report != NULL);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  /* The column picks the cache lifetime: anything an engine flagged
   * (suspicious too) is kept as briefly as a detection. */
  sqlite3_bind_int64 (stmt, 5, report != NULL ? report->stats.malicious + report->stats.suspicious : 0);

  if (cf_store_step (self, stmt, &error) == SQLITE_DONE)
    return;

failed:
  cf_store_warn (self, "Could not cache a verdict", error);
}

void
cf_store_clear_cache (CfStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CF_IS_STORE (self));

  if (cf_store_defer (self, &(Job) { .kind = JOB_CLEAR_CACHE }))
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  if (!cf_store_begin (self, &error) ||
      !cf_store_exec (self,
                      "DELETE FROM verdicts;"
                      "DELETE FROM identities;"
                      "DELETE FROM aliases;",
                      &error) ||
      !cf_store_commit (self, &error))
    {
      cf_store_rollback (self);
      cf_store_warn (self, "Could not clear the cache", error);
    }
}

/* Aliases: what an MD5 or SHA-1 was found to be */

static gboolean
cf_store_normalize_alias (const char *text,
                          char        out[41])
{
  gsize length = text != NULL ? strlen (text) : 0;

  if (length != 32 && length != 40)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isxdigit (text[i]))
        return FALSE;
      out[i] = g_ascii_tolower (text[i]);
    }
  out[length] = '\0';
  return TRUE;
}

void
cf_store_remember_alias (CfStore    *self,
                         const char *hash,
                         const char *sha256,
                         gint64      now)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  char alias[41];
  char target[65];

  g_return_if_fail (CF_IS_STORE (self));

  if (cf_store_defer (self, &(Job) { .kind = JOB_REMEMBER_ALIAS, .a = (char *) hash,
                                  .b = (char *) sha256, .number = now }))
    return;

  if (!cf_store_normalize_alias (hash, alias))
    return;
  if (sha256 != NULL && !cf_store_normalize_sha256 (sha256, target))
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));
  cf_store_join_turn (self);

  stmt = cf_store_prepare (self,
                           "INSERT OR REPLACE INTO aliases (hash, sha256, fetched)"
                           " VALUES (?1, ?2, ?3)",
                           &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, alias, -1, SQLITE_TRANSIENT);
  if (sha256 != NULL)
    sqlite3_bind_text (stmt, 2, target, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int64 (stmt, 3, now);

  if (cf_store_step (self, stmt, &error) == SQLITE_DONE)
    return;

failed:
  cf_store_warn (self, "Could not remember a hash alias", error);
}

gboolean
cf_store_lookup_alias (CfStore     *self,
                       const char  *hash,
                       gint64       now,
                       gint64       unknown_ttl,
                       char       **sha256)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  char alias[41];
  int rc;

  g_return_val_if_fail (CF_IS_STORE (self), FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  *sha256 = NULL;
  if (!cf_store_normalize_alias (hash, alias))
    return FALSE;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  stmt = cf_store_prepare (self, "SELECT sha256, fetched FROM aliases WHERE hash = ?1", &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, alias, -1, SQLITE_TRANSIENT);

  rc = cf_store_step (self, stmt, &error);
  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    goto failed;

  if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      *sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      return TRUE;
    }

  /* Unknown to VirusTotal when we asked; good for the unknown lifetime. */
  return sqlite3_column_int64 (stmt, 1) + unknown_ttl > now;

failed:
  cf_store_warn (self, "Could not look up a hash alias", error);
  return FALSE;
}
