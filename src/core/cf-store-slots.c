/* cf-store-slots.c: the request budget every process shares: slots, and a pause VirusTotal asked for
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-store"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-store-private.h"

/* The minute window is a second longer than a minute: a slot is taken
 * before the request travels, and the server starts its own window when
 * the request arrives, so a window of exactly 60 s could let the fifth
 * request land inside the server's first minute. */
#define CF_SLOT_MINUTE           (61 * G_USEC_PER_SEC)
#define CF_SLOT_DAY              ((gint64) 86400 * G_USEC_PER_SEC)
/* Longer than any month, so the monthly sum never loses a day. */
#define CF_SLOT_KEEP_DAYS        40

/* What is counted, and why it costs the same for the millionth request as
 * for the first: each request is a row in `slots` only for as long as the
 * sliding minute may still see it, and a count in `slot_days`, one row per
 * UTC day.  A day is one row to read, a month at most 31 to add up, and the
 * minute is read no further back than its limit. */

/* Calendar windows, from the given time, never the real clock. */
static GDateTime *
cf_utc_month_start (gint64 now)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);

  if (t == NULL)
    return NULL;

  return g_date_time_new_utc (g_date_time_get_year (t), g_date_time_get_month (t),
                              1, 0, 0, 0);
}

static gint64
cf_date_time_to_us (GDateTime *t,
                    gint64     fallback)
{
  if (t == NULL)
    return fallback;

  return g_date_time_to_unix (t) * G_USEC_PER_SEC;
}

/* Days since the epoch: Unix time has no leap seconds, so every UTC day
 * is exactly 86 400 s long and starts at a multiple of it. */
static gint64
cf_slot_day (gint64 time_us)
{
  return time_us / CF_SLOT_DAY;
}

typedef struct
{
  gint64 minute_after;   /* exclusive */
  gint64 day;            /* cf_slot_day() of now */
  gint64 day_end;
  gint64 month_first_day;
  gint64 month_end;
} CfSlotWindows;

static void
cf_slot_windows_init (CfSlotWindows *windows,
                      gint64         now)
{
  g_autoptr(GDateTime) month = cf_utc_month_start (now);
  g_autoptr(GDateTime) next_month = month != NULL ? g_date_time_add_months (month, 1) : NULL;

  windows->minute_after = now - CF_SLOT_MINUTE;
  windows->day = cf_slot_day (now);
  windows->day_end = (windows->day + 1) * CF_SLOT_DAY;
  windows->month_first_day = cf_slot_day (cf_date_time_to_us (month, now));
  windows->month_end = cf_date_time_to_us (next_month, now);
}

/* Request slots */

static gboolean
cf_store_read_paused_until (CfStore  *self,
                            gint64   *until,
                            GError  **error)
{
  g_autoptr(CfStoreStatement) stmt = NULL;
  int rc;

  *until = 0;

  stmt = cf_store_prepare (self, "SELECT value FROM state WHERE key = 'paused_until'", error);
  if (stmt == NULL)
    return FALSE;

  rc = cf_store_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    *until = sqlite3_column_int64 (stmt, 0);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* Today's and this month's requests.  Days after today count too, as they
 * always did: a clock set back must not hand out the same budget twice. */
static gboolean
cf_store_query_day_counts (CfStore              *self,
                           const CfSlotWindows  *windows,
                           guint                *day,
                           guint                *month,
                           GError              **error)
{
  g_autoptr(CfStoreStatement) stmt = NULL;

  stmt = cf_store_prepare (self,
                           "SELECT sum (used) FILTER (WHERE day >= ?1), sum (used)"
                           " FROM slot_days WHERE day >= min(?1, ?2)",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, windows->day);
  sqlite3_bind_int64 (stmt, 2, windows->month_first_day);

  if (cf_store_step (self, stmt, error) != SQLITE_ROW)
    return FALSE;

  *day = (guint) sqlite3_column_int64 (stmt, 0);
  *month = (guint) sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

/* Every slot of the minute window: for --quota and the like, never on
 * the way to a request. */
static gboolean
cf_store_query_minute_count (CfStore              *self,
                             const CfSlotWindows  *windows,
                             guint                *minute,
                             GError              **error)
{
  g_autoptr(CfStoreStatement) stmt = NULL;

  stmt = cf_store_prepare (self, "SELECT count(*) FROM slots WHERE time_us > ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, windows->minute_after);

  if (cf_store_step (self, stmt, error) != SQLITE_ROW)
    return FALSE;

  *minute = (guint) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The time of the slot in the minute window with @nth newer ones, or 0 if
 * there are not that many: with a limit of N, the window is full while
 * the slot with N - 1 newer ones is in it, and has room again once it
 * leaves.  Only N rows are read, however many the window holds. */
static gboolean
cf_store_query_minute_slot (CfStore              *self,
                            const CfSlotWindows  *windows,
                            guint                 nth,
                            gint64               *time_us,
                            GError              **error)
{
  g_autoptr(CfStoreStatement) stmt = NULL;
  int rc;

  *time_us = 0;

  stmt = cf_store_prepare (self,
                           "SELECT time_us FROM slots WHERE time_us > ?1"
                           " ORDER BY time_us DESC LIMIT 1 OFFSET ?2",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, windows->minute_after);
  sqlite3_bind_int64 (stmt, 2, nth);

  rc = cf_store_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    *time_us = sqlite3_column_int64 (stmt, 0);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static gboolean
cf_store_run (CfStore     *self,
              const char  *sql,
              gint64       value,
              GError     **error)
{
  g_autoptr(CfStoreStatement) stmt = cf_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, value);
  return cf_store_step (self, stmt, error) == SQLITE_DONE;
}

/* The slot, and what no window can see any more goes: one row of each
 * table at a time, so the tables stay the size of their windows. */
static gboolean
cf_store_insert_slot (CfStore              *self,
                      gint64                now,
                      const CfSlotWindows  *windows,
                      GError              **error)
{
  return cf_store_run (self, "INSERT INTO slots (time_us) VALUES (?1)", now, error) &&
         cf_store_run (self,
                       "INSERT INTO slot_days (day, used) VALUES (?1, 1)"
                       " ON CONFLICT (day) DO UPDATE SET used = used + 1",
                       windows->day, error) &&
         cf_store_run (self, "DELETE FROM slots WHERE time_us <= ?1", windows->minute_after, error) &&
         cf_store_run (self, "DELETE FROM slot_days WHERE day < ?1",
                       windows->day - CF_SLOT_KEEP_DAYS, error);
}

gboolean
cf_store_try_reserve_slot (CfStore  *self,
                           gint64    now,
                           guint     per_minute,
                           guint     per_day,
                           guint     per_month,
                           gint64   *retry_at,
                           GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  CfSlotWindows windows;
  gint64 paused_until = 0;
  gint64 free_at = 0;
  guint day = 0;
  guint month = 0;

  g_return_val_if_fail (CF_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (retry_at != NULL)
    *retry_at = 0;

  cf_slot_windows_init (&windows, now);
  locker = g_mutex_locker_new (STORE_LOCK (self));

  /* The write lock is taken before counting, so two processes can never
   * both count the last free slot as theirs.  The main thread of a
   * write-behind store does not wait for it: busy is said, and tried again. */
  if (!cf_store_begin (self, error))
    return FALSE;

  if (!cf_store_read_paused_until (self, &paused_until, error) ||
      ((per_day > 0 || per_month > 0) &&
       !cf_store_query_day_counts (self, &windows, &day, &month, error)))
    goto failed;

  if (now < paused_until)
    free_at = paused_until;
  if (per_month > 0 && month >= per_month)
    free_at = MAX (free_at, windows.month_end);
  if (per_day > 0 && day >= per_day)
    free_at = MAX (free_at, windows.day_end);
  if (per_minute > 0)
    {
      gint64 slot = 0;

      if (!cf_store_query_minute_slot (self, &windows, per_minute - 1, &slot, error))
        goto failed;
      if (slot != 0)
        free_at = MAX (free_at, slot + CF_SLOT_MINUTE);
    }

  if (free_at == 0 && !cf_store_insert_slot (self, now, &windows, error))
    goto failed;

  if (!cf_store_commit (self, error))
    goto failed;

  if (free_at == 0)
    return TRUE;

  if (retry_at != NULL)
    *retry_at = free_at;
  return FALSE;

failed:
  cf_store_rollback (self);
  return FALSE;
}

void
cf_store_count_slots (CfStore *self,
                      gint64   now,
                      guint   *minute,
                      guint   *day,
                      guint   *month)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;
  CfSlotWindows windows;
  guint counts[3] = { 0, 0, 0 };

  g_return_if_fail (CF_IS_STORE (self));

  cf_slot_windows_init (&windows, now);
  locker = g_mutex_locker_new (STORE_LOCK (self));

  if ((minute != NULL && !cf_store_query_minute_count (self, &windows, &counts[0], &error)) ||
      ((day != NULL || month != NULL) &&
       !cf_store_query_day_counts (self, &windows, &counts[1], &counts[2], &error)))
    cf_store_warn (self, "Could not count the requests made", error);

  if (minute != NULL)
    *minute = counts[0];
  if (day != NULL)
    *day = counts[1];
  if (month != NULL)
    *month = counts[2];
}

void
cf_store_get_slot_resets (CfStore *self,
                          gint64   now,
                          gint64  *minute_reset,
                          gint64  *day_reset,
                          gint64  *month_reset)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  CfSlotWindows windows;
  gint64 oldest = 0;

  g_return_if_fail (CF_IS_STORE (self));

  cf_slot_windows_init (&windows, now);

  if (minute_reset != NULL)
    {
      locker = g_mutex_locker_new (STORE_LOCK (self));
      stmt = cf_store_prepare (self, "SELECT min(time_us) FROM slots WHERE time_us > ?1", &error);
      if (stmt != NULL)
        {
          sqlite3_bind_int64 (stmt, 1, windows.minute_after);
          if (cf_store_step (self, stmt, &error) == SQLITE_ROW)
            oldest = sqlite3_column_int64 (stmt, 0);
        }
      if (error != NULL)
        cf_store_warn (self, "Could not read the requests made", error);
      *minute_reset = oldest != 0 ? oldest + CF_SLOT_MINUTE : now;
    }
  if (day_reset != NULL)
    *day_reset = windows.day_end;
  if (month_reset != NULL)
    *month_reset = windows.month_end;
}

void
cf_store_set_paused_until (CfStore *self,
                           gint64   until)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CfStoreStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CF_IS_STORE (self));

  if (cf_store_defer (self, &(Job) { .kind = JOB_SET_PAUSED_UNTIL, .number = until }))
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));
  cf_store_join_turn (self);

  /* Another process may have been told to wait longer: keep the later. */
  stmt = cf_store_prepare (self,
                           "INSERT INTO state (key, value) VALUES ('paused_until', ?1)"
                           " ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)",
                           &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, until);

  if (cf_store_step (self, stmt, &error) == SQLITE_DONE)
    return;

failed:
  cf_store_warn (self, "Could not record the pause VirusTotal asked for", error);
}

gint64
cf_store_get_paused_until (CfStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;
  gint64 until = 0;

  g_return_val_if_fail (CF_IS_STORE (self), 0);

  locker = g_mutex_locker_new (STORE_LOCK (self));

  if (!cf_store_read_paused_until (self, &until, &error))
    cf_store_warn (self, "Could not read the pause VirusTotal asked for", error);

  return until;
}
