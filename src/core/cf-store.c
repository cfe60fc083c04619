/* cf-store.c: the user's database: caches, history, trust list, quota slots
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cf-store.h"

#define CF_STORE_BUSY_TIMEOUT_MS 5000
/* Off the main thread a write may wait longer: a queued write is what the
 * person did, and is not given up lightly. */
#define CF_STORE_WORKER_BUSY_TIMEOUT_MS 60000
/* The minute window is a second longer than a minute: a slot is taken
 * before the request travels, and the server starts its own window when
 * the request arrives, so a window of exactly 60 s could let the fifth
 * request land inside the server's first minute. */
#define CF_SLOT_MINUTE           (61 * G_USEC_PER_SEC)
/* Longer than any month, so the monthly window never loses a slot. */
#define CF_SLOT_KEEP             ((gint64) 40 * 86400 * G_USEC_PER_SEC)
#define CF_SLOT_PRUNE_EVERY      64

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

struct _CfStore
{
  GObject      parent_instance;

  char        *path;
  sqlite3     *db;
  /* One connection, several statements per operation: a transaction must
   * not interleave with another thread's. */
  GMutex       lock;
  guint        reservations;

  /* Write-behind (the window): the thread that enabled it, the main
   * thread, keeps @db to itself and never waits on a lock another program
   * holds; its writes are queued for @writer, and every other thread works
   * on @worker_db, which may wait. */
  GThread     *main_thread;
  sqlite3     *worker_db;
  GMutex       worker_lock;
  GThreadPool *writer;
  GMutex       queue_lock;
  GCond        queue_cond;
  guint        queued;
};

/* The connection and lock of the calling thread. */
#define STORE_ON_WORKER(self) ((self)->worker_db != NULL && g_thread_self () != (self)->main_thread)
#define STORE_DB(self)        (STORE_ON_WORKER (self) ? (self)->worker_db : (self)->db)
#define STORE_LOCK(self)      (STORE_ON_WORKER (self) ? &(self)->worker_lock : &(self)->lock)
/* Writes from the main thread go to the writer instead. */
#define STORE_DEFERS(self)    ((self)->writer != NULL && g_thread_self () == (self)->main_thread)

G_DEFINE_FINAL_TYPE (CfStore, cf_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (cf-store-error-quark, cf_store_error)

/* Each entry moves the schema one version forward.  Never edit one that has
 * shipped: add another. */
static const char * const cf_store_migrations[] = {
  /* 1 */
  "CREATE TABLE identities ("
  "  device   INTEGER NOT NULL,"
  "  inode    INTEGER NOT NULL,"
  "  size     INTEGER NOT NULL,"
  "  mtime_ns INTEGER NOT NULL,"
  "  ctime_ns INTEGER NOT NULL,"
  "  sha256   TEXT NOT NULL,"
  "  seen     INTEGER NOT NULL,"
  "  UNIQUE (device, inode, size, mtime_ns, ctime_ns)"
  ");"
  "CREATE TABLE verdicts ("
  "  sha256      TEXT PRIMARY KEY NOT NULL,"
  "  known       INTEGER NOT NULL,"
  "  report_json TEXT,"
  "  fetched     INTEGER NOT NULL,"
  "  malicious   INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE history ("
  "  id        INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  path      TEXT,"
  "  sha256    TEXT,"
  "  time      INTEGER NOT NULL,"
  "  status    TEXT,"
  "  decision  TEXT,"
  "  reason    TEXT,"
  "  malicious INTEGER NOT NULL DEFAULT 0,"
  "  engines   INTEGER NOT NULL DEFAULT 0,"
  "  override  TEXT"
  ");"
  "CREATE INDEX history_time ON history (time);"
  "CREATE TABLE trust ("
  "  sha256 TEXT PRIMARY KEY NOT NULL,"
  "  trust  INTEGER NOT NULL,"
  "  time   INTEGER NOT NULL,"
  "  note   TEXT"
  ");"
  "CREATE TABLE slots ("
  "  time_us INTEGER NOT NULL"
  ");"
  "CREATE INDEX slots_time ON slots (time_us);"
  "CREATE TABLE state ("
  "  key   TEXT PRIMARY KEY NOT NULL,"
  "  value"
  ");"
  "CREATE TABLE pending ("
  "  sha256      TEXT PRIMARY KEY NOT NULL,"
  "  analysis_id TEXT NOT NULL,"
  "  started     INTEGER NOT NULL"
  ");",
  /* 2 */
  "CREATE TABLE aliases ("
  "  hash    TEXT PRIMARY KEY NOT NULL,"
  "  sha256  TEXT,"
  "  fetched INTEGER NOT NULL"
  ");",
  /* 3: all a history entry needs to show its verdict again, whole */
  "ALTER TABLE history ADD COLUMN suspicious INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE history ADD COLUMN threshold INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE history ADD COLUMN source TEXT;"
  "ALTER TABLE history ADD COLUMN kind TEXT;"
  "ALTER TABLE history ADD COLUMN size INTEGER;"
  "ALTER TABLE history ADD COLUMN error TEXT;"
  "ALTER TABLE history ADD COLUMN origin TEXT;",
};

static void
cf_store_finalize (GObject *object)
{
  CfStore *self = CF_STORE (object);

  /* Whatever was queued is written before the store goes. */
  if (self->writer != NULL)
    g_thread_pool_free (self->writer, FALSE, TRUE);
  if (self->worker_db != NULL)
    sqlite3_close_v2 (self->worker_db);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->worker_lock);
  g_mutex_clear (&self->queue_lock);
  g_cond_clear (&self->queue_cond);

  G_OBJECT_CLASS (cf_store_parent_class)->finalize (object);
}

static void
cf_store_class_init (CfStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cf_store_finalize;
}

static void
cf_store_init (CfStore *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->worker_lock);
  g_mutex_init (&self->queue_lock);
  g_cond_init (&self->queue_cond);
}

static gboolean
cf_sqlite_is_corrupt (int rc)
{
  rc &= 0xff;
  return rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT;
}

static void
cf_store_set_error (sqlite3     *db,
                    GError     **error,
                    int          code,
                    const char  *what)
{
  g_set_error (error, CF_STORE_ERROR, code, "%s: %s", what,
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (SQLITE_NOMEM));
}

static void
cf_store_set_open_error (CfStore     *self,
                         GError     **error,
                         const char  *what)
{
  g_set_error (error, CF_STORE_ERROR, CF_STORE_ERROR_OPEN, "%s (%s): %s", what, self->path,
               STORE_DB (self) != NULL ? sqlite3_errmsg (STORE_DB (self)) : sqlite3_errstr (SQLITE_NOMEM));
}

static gboolean
cf_store_exec (CfStore     *self,
               const char  *sql,
               GError     **error)
{
  int rc = sqlite3_exec (STORE_DB (self), sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      cf_store_set_error (STORE_DB (self), error, CF_STORE_ERROR_QUERY,
                          _("Could not update the database"));
      return FALSE;
    }

  return TRUE;
}

static sqlite3_stmt *
cf_store_prepare (CfStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (STORE_DB (self), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cf_store_set_error (STORE_DB (self), error, CF_STORE_ERROR_QUERY,
                          _("Could not prepare a database query"));
      return NULL;
    }

  return stmt;
}

/* Returns SQLITE_ROW or SQLITE_DONE, or sets @error. */
static int
cf_store_step (CfStore       *self,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    cf_store_set_error (STORE_DB (self), error, CF_STORE_ERROR_QUERY,
                        _("Could not read or write the database"));

  return rc;
}

static void
cf_store_rollback (CfStore *self)
{
  if (!sqlite3_get_autocommit (STORE_DB (self)))
    sqlite3_exec (STORE_DB (self), "ROLLBACK", NULL, NULL, NULL);
}

/* Functions without a GError report here: a broken cache must never stop
 * anyone from checking a file. */
static void
cf_store_warn (CfStore    *self,
               const char *what,
               GError     *error)
{
  g_warning ("%s (%s): %s", what, self->path, error != NULL ? error->message : "?");
}

/* Lowers @text into @out; FALSE unless it is 64 hexadecimal digits. */
static gboolean
cf_store_normalize_sha256 (const char *text,
                           char        out[65])
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < 64; i++)
    {
      if (!g_ascii_isxdigit (text[i]))
        return FALSE;
      out[i] = g_ascii_tolower (text[i]);
    }
  out[64] = '\0';

  return text[64] == '\0';
}

static gboolean
cf_store_check_sha256 (const char  *text,
                       char         out[65],
                       GError     **error)
{
  if (!cf_store_normalize_sha256 (text, out))
    {
      g_set_error (error, CF_STORE_ERROR, CF_STORE_ERROR_INVALID,
                   _("“%s” is not a SHA-256 hash: expected 64 hexadecimal characters"),
                   text != NULL ? text : "");
      return FALSE;
    }

  return TRUE;
}

/* Calendar windows, from the given time, never the real clock. */
static GDateTime *
cf_utc_day_start (gint64 now)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);

  if (t == NULL)
    return NULL;

  return g_date_time_new_utc (g_date_time_get_year (t), g_date_time_get_month (t),
                              g_date_time_get_day_of_month (t), 0, 0, 0);
}

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

typedef struct
{
  gint64 minute_after;   /* exclusive */
  gint64 day_start;
  gint64 day_end;
  gint64 month_start;
  gint64 month_end;
} CfSlotWindows;

static void
cf_slot_windows_init (CfSlotWindows *windows,
                      gint64         now)
{
  g_autoptr(GDateTime) day = cf_utc_day_start (now);
  g_autoptr(GDateTime) month = cf_utc_month_start (now);
  g_autoptr(GDateTime) next_day = day != NULL ? g_date_time_add_days (day, 1) : NULL;
  g_autoptr(GDateTime) next_month = month != NULL ? g_date_time_add_months (month, 1) : NULL;

  windows->minute_after = now - CF_SLOT_MINUTE;
  windows->day_start = cf_date_time_to_us (day, now);
  windows->day_end = cf_date_time_to_us (next_day, now);
  windows->month_start = cf_date_time_to_us (month, now);
  windows->month_end = cf_date_time_to_us (next_month, now);
}

/* Opening */

char *
cf_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "check-first", "check-first.db", NULL);
}

static gboolean
cf_tighten_mode (const char *path,
                 mode_t      mode,
                 GError    **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return TRUE;

      g_set_error (error, CF_STORE_ERROR, CF_STORE_ERROR_OPEN,
                   _("Could not check the permissions of “%s”: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  if ((st.st_mode & 0777 & ~mode) != 0 && g_chmod (path, mode) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CF_STORE_ERROR, CF_STORE_ERROR_OPEN,
                   _("Could not make “%s” private: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* The folder and the file hold what the person checked and when: nobody
 * else gets to read them.  Only our own folder is tightened if it exists; a
 * path chosen by the caller may sit in a shared one such as /tmp. */
static gboolean
cf_store_prepare_file (const char  *path,
                       GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *default_path = cf_store_default_path ();
  g_autofree char *default_dir = g_path_get_dirname (default_path);
  gboolean existed = g_file_test (dir, G_FILE_TEST_IS_DIR);
  struct stat st;
  int fd;

  if (!existed && g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CF_STORE_ERROR, CF_STORE_ERROR_OPEN,
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  if ((!existed || g_strcmp0 (dir, default_dir) == 0) && !cf_tighten_mode (dir, 0700, error))
    return FALSE;

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, CF_STORE_ERROR, CF_STORE_ERROR_OPEN,
                   _("Could not open the database “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  if (fstat (fd, &st) == 0 && (st.st_mode & 077) != 0 && fchmod (fd, 0600) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CF_STORE_ERROR, CF_STORE_ERROR_OPEN,
                   _("Could not make “%s” private: %s"), path, g_strerror (saved_errno));
      close (fd);
      return FALSE;
    }

  close (fd);
  return TRUE;
}

/* SQLite gives the -wal and -shm files the database's own mode; files left
 * by an older, careless version are fixed here. */
static void
cf_store_tighten_companions (const char *path)
{
  static const char * const suffixes[] = { "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *companion = g_strconcat (path, suffixes[i], NULL);
      g_autoptr(GError) error = NULL;

      if (!cf_tighten_mode (companion, 0600, &error))
        g_warning ("%s", error->message);
    }
}

static gboolean
cf_store_read_user_version (CfStore  *self,
                            gint64   *version,
                            int      *rc_out,
                            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (STORE_DB (self), "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);

  *rc_out = rc;
  if (rc != SQLITE_ROW)
    {
      cf_store_set_open_error (self, error, _("Could not read the database version"));
      return FALSE;
    }

  *version = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
cf_store_quick_check (CfStore  *self,
                      int      *rc_out,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (STORE_DB (self), "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);

  *rc_out = rc;
  if (rc != SQLITE_ROW)
    {
      cf_store_set_open_error (self, error, _("Could not check the database"));
      return FALSE;
    }

  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      *rc_out = SQLITE_CORRUPT;
      g_set_error (error, CF_STORE_ERROR, CF_STORE_ERROR_OPEN,
                   _("The database “%s” is damaged: %s"), self->path,
                   sqlite3_column_text (stmt, 0));
      return FALSE;
    }

  return TRUE;
}

static gboolean
cf_store_migrate (CfStore  *self,
                  int      *rc_out,
                  GError  **error)
{
  const gint64 latest = G_N_ELEMENTS (cf_store_migrations);
  g_autofree char *set_version = NULL;
  gint64 version = 0;

  if (!cf_store_read_user_version (self, &version, rc_out, error))
    return FALSE;

  if (version == latest)
    return TRUE;

  if (version > latest)
    {
      g_set_error (error, CF_STORE_ERROR, CF_STORE_ERROR_OPEN,
                   _("The database “%s” was written by a newer version of Check First "
                     "(schema %d, this version knows up to %d). Update Check First, or move "
                     "the file away to start afresh."),
                   self->path, (int) version, (int) latest);
      return FALSE;
    }

  *rc_out = sqlite3_exec (STORE_DB (self), "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (*rc_out != SQLITE_OK)
    {
      cf_store_set_open_error (self, error, _("Could not update the database"));
      return FALSE;
    }

  /* Another process may have migrated while we waited for the lock. */
  if (!cf_store_read_user_version (self, &version, rc_out, error))
    goto failed;

  for (gint64 v = version; v < latest; v++)
    {
      *rc_out = sqlite3_exec (STORE_DB (self), cf_store_migrations[v], NULL, NULL, NULL);
      if (*rc_out != SQLITE_OK)
        {
          cf_store_set_open_error (self, error, _("Could not update the database"));
          goto failed;
        }
    }

  /* PRAGMA takes no parameters; the number is ours, not data. */
  set_version = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, latest);
  *rc_out = sqlite3_exec (STORE_DB (self), set_version, NULL, NULL, NULL);
  if (*rc_out == SQLITE_OK)
    *rc_out = sqlite3_exec (STORE_DB (self), "COMMIT", NULL, NULL, NULL);
  if (*rc_out != SQLITE_OK)
    {
      cf_store_set_open_error (self, error, _("Could not update the database"));
      goto failed;
    }

  return TRUE;

failed:
  cf_store_rollback (self);
  return FALSE;
}

/* Sets *corrupt when the file is damaged rather than merely unusable. */
static gboolean
cf_store_connect (CfStore   *self,
                  gboolean  *corrupt,
                  GError   **error)
{
  static const char * const pragmas[] = {
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
  };
  gboolean in_memory = g_strcmp0 (self->path, ":memory:") == 0;
  int rc;

  *corrupt = FALSE;

  if (!in_memory && !cf_store_prepare_file (self->path, error))
    return FALSE;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      *corrupt = cf_sqlite_is_corrupt (rc);
      cf_store_set_open_error (self, error, _("Could not open the database"));
      return FALSE;
    }

  sqlite3_extended_result_codes (STORE_DB (self), TRUE);
  sqlite3_busy_timeout (STORE_DB (self), CF_STORE_BUSY_TIMEOUT_MS);

  for (guint i = 0; i < G_N_ELEMENTS (pragmas); i++)
    {
      rc = sqlite3_exec (STORE_DB (self), pragmas[i], NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          *corrupt = cf_sqlite_is_corrupt (rc);
          cf_store_set_open_error (self, error, _("Could not set up the database"));
          return FALSE;
        }
    }

  if (!cf_store_quick_check (self, &rc, error) ||
      !cf_store_migrate (self, &rc, error))
    {
      *corrupt = cf_sqlite_is_corrupt (rc);
      return FALSE;
    }

  if (!in_memory)
    cf_store_tighten_companions (self->path);

  return TRUE;
}

static void
cf_store_disconnect (CfStore *self)
{
  g_clear_pointer (&self->db, sqlite3_close_v2);
}

/* Keeps the damaged file for whoever wants to look at it, and gets out of
 * the way so a fresh database can be made. */
static gboolean
cf_store_move_aside (const char  *path,
                     GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.corrupt-%s", path, stamp);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *wal_aside = NULL;

  for (guint n = 1; g_file_test (aside, G_FILE_TEST_EXISTS); n++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, n);
    }

  if (g_rename (path, aside) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, CF_STORE_ERROR, CF_STORE_ERROR_OPEN,
                   _("The database “%s” is damaged and could not be moved aside: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  /* A log left by the damaged file must not be replayed into the new one. */
  wal_aside = g_strconcat (aside, "-wal", NULL);
  if (g_rename (wal, wal_aside) != 0 && errno != ENOENT)
    g_unlink (wal);
  g_unlink (shm);

  g_warning ("The database %s was damaged; it was moved to %s and a new one was created",
             path, aside);
  return TRUE;
}

CfStore *
cf_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(CfStore) self = g_object_new (CF_TYPE_STORE, NULL);
  g_autoptr(GError) local_error = NULL;
  gboolean corrupt = FALSE;

  self->path = path != NULL ? g_strdup (path) : cf_store_default_path ();

  if (cf_store_connect (self, &corrupt, &local_error))
    return g_steal_pointer (&self);

  cf_store_disconnect (self);
  if (!corrupt)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_debug ("Database %s is damaged: %s", self->path, local_error->message);
  g_clear_error (&local_error);

  if (!cf_store_move_aside (self->path, error))
    return NULL;

  if (!cf_store_connect (self, &corrupt, &local_error))
    {
      cf_store_disconnect (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
cf_store_get_path (CfStore *self)
{
  g_return_val_if_fail (CF_IS_STORE (self), NULL);

  return self->path;
}

/* Identity cache */

/* Write-behind */

typedef enum
{
  JOB_REMEMBER_IDENTITY,
  JOB_SAVE_VERDICT,
  JOB_CLEAR_CACHE,
  JOB_ADD_HISTORY,
  JOB_SET_HISTORY_OVERRIDE,
  JOB_CLEAR_HISTORY,
  JOB_SET_PAUSED_UNTIL,
  JOB_SAVE_PENDING,
  JOB_FORGET_PENDING,
  JOB_REMEMBER_ALIAS,
} JobKind;

/* One queued write: its arguments, copied. */
typedef struct
{
  JobKind         kind;
  char           *a;
  char           *b;
  gint64          number;
  CfReport       *report;
  CfFileIdentity  identity;
  CfHistoryEntry *entry;
} Job;

static void
job_free (Job *job)
{
  g_free (job->a);
  g_free (job->b);
  g_clear_pointer (&job->report, cf_report_unref);
  g_clear_pointer (&job->entry, cf_history_entry_free);
  g_free (job);
}

static CfHistoryEntry *
history_entry_copy (const CfHistoryEntry *entry)
{
  CfHistoryEntry *copy = g_memdup2 (entry, sizeof *entry);

  copy->path = g_strdup (entry->path);
  copy->sha256 = g_strdup (entry->sha256);
  copy->status = g_strdup (entry->status);
  copy->decision = g_strdup (entry->decision);
  copy->reason = g_strdup (entry->reason);
  copy->source = g_strdup (entry->source);
  copy->kind = g_strdup (entry->kind);
  copy->error = g_strdup (entry->error);
  copy->origin = g_strdup (entry->origin);
  copy->override = g_strdup (entry->override);
  return copy;
}

static gint64 add_history_with_id (CfStore *self, const CfHistoryEntry *entry, gint64 id);

/* On the writer thread: the same functions, which now write at once. */
static void
job_run (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  CfStore *self = user_data;

  switch (job->kind)
    {
    case JOB_REMEMBER_IDENTITY:
      cf_store_remember_identity (self, &job->identity, job->a);
      break;
    case JOB_SAVE_VERDICT:
      cf_store_save_verdict (self, job->a, job->report, job->number);
      break;
    case JOB_CLEAR_CACHE:
      cf_store_clear_cache (self);
      break;
    case JOB_ADD_HISTORY:
      add_history_with_id (self, job->entry, job->number);
      break;
    case JOB_SET_HISTORY_OVERRIDE:
      cf_store_set_history_override (self, job->number, job->a);
      break;
    case JOB_CLEAR_HISTORY:
      cf_store_clear_history (self);
      break;
    case JOB_SET_PAUSED_UNTIL:
      cf_store_set_paused_until (self, job->number);
      break;
    case JOB_SAVE_PENDING:
      cf_store_save_pending (self, job->a, job->b, job->number);
      break;
    case JOB_FORGET_PENDING:
      cf_store_forget_pending (self, job->a);
      break;
    case JOB_REMEMBER_ALIAS:
      cf_store_remember_alias (self, job->a, job->b, job->number);
      break;
    default:
      g_assert_not_reached ();
    }
  job_free (job);

  g_mutex_lock (&self->queue_lock);
  if (--self->queued == 0)
    g_cond_broadcast (&self->queue_cond);
  g_mutex_unlock (&self->queue_lock);
}

/* Queues @job when the caller is the main thread of a write-behind store;
 * returns FALSE (and frees nothing) when the caller should write itself. */
static gboolean
store_defer (CfStore   *self,
             const Job *job)
{
  Job *copy;

  if (!STORE_DEFERS (self))
    return FALSE;

  copy = g_memdup2 (job, sizeof *job);
  copy->a = g_strdup (job->a);
  copy->b = g_strdup (job->b);
  copy->report = job->report != NULL ? cf_report_ref (job->report) : NULL;
  copy->entry = job->entry != NULL ? history_entry_copy (job->entry) : NULL;

  g_mutex_lock (&self->queue_lock);
  self->queued++;
  g_mutex_unlock (&self->queue_lock);
  g_thread_pool_push (self->writer, copy, NULL);
  return TRUE;
}

/**
 * cf_store_set_write_behind:
 *
 * Called once, on the thread that runs the main loop: from then on that
 * thread never waits on the database.  Its reads go through a connection of
 * its own (the database is in WAL mode, so readers do not wait for a
 * writer), its writes are queued for a writer thread in the order they were
 * made, and a request slot it cannot reserve at once is "busy"
 * (%CF_STORE_ERROR_BUSY), to be tried again.  Other threads use a second
 * connection, which may wait.  A database in memory cannot be shared by two
 * connections and stays as it was.
 */
gboolean
cf_store_set_write_behind (CfStore  *self,
                           GError  **error)
{
  g_return_val_if_fail (CF_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->writer == NULL, FALSE);

  if (g_strcmp0 (self->path, ":memory:") == 0)
    return TRUE;

  if (sqlite3_open_v2 (self->path, &self->worker_db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK ||
      sqlite3_exec (self->worker_db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK)
    {
      cf_store_set_error (self->worker_db, error, CF_STORE_ERROR_OPEN,
                          _("Could not open the database"));
      g_clear_pointer (&self->worker_db, sqlite3_close_v2);
      return FALSE;
    }
  sqlite3_extended_result_codes (self->worker_db, TRUE);
  sqlite3_busy_timeout (self->worker_db, CF_STORE_WORKER_BUSY_TIMEOUT_MS);

  self->writer = g_thread_pool_new (job_run, self, 1, FALSE, NULL);
  g_mutex_lock (&self->lock);
  self->main_thread = g_thread_self ();
  sqlite3_busy_timeout (self->db, 0);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* Waits until every queued write is done. */
void
cf_store_flush (CfStore *self)
{
  g_return_if_fail (CF_IS_STORE (self));

  g_mutex_lock (&self->queue_lock);
  while (self->queued > 0)
    g_cond_wait (&self->queue_cond, &self->queue_lock);
  g_mutex_unlock (&self->queue_lock);
}

char *
cf_store_lookup_identity (CfStore              *self,
                          const CfFileIdentity *identity)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
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
  g_autoptr(sqlite3_stmt) forget = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(GError) error = NULL;
  gboolean valid;
  char hash[65];

  g_return_if_fail (CF_IS_STORE (self));
  g_return_if_fail (identity != NULL);

  if (store_defer (self, &(Job) { .kind = JOB_REMEMBER_IDENTITY, .a = (char *) sha256,
                                  .identity = *identity }))
    return;

  valid = cf_store_normalize_sha256 (sha256, hash);
  g_return_if_fail (valid);

  if (!identity->valid)
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  if (!cf_store_exec (self, "BEGIN IMMEDIATE", &error))
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

  if (cf_store_exec (self, "COMMIT", &error))
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  gboolean valid;
  char hash[65];

  g_return_if_fail (CF_IS_STORE (self));

  if (store_defer (self, &(Job) { .kind = JOB_SAVE_VERDICT, .a = (char *) sha256,
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

  if (store_defer (self, &(Job) { .kind = JOB_CLEAR_CACHE }))
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  if (!cf_store_exec (self,
                      "BEGIN IMMEDIATE;"
                      "DELETE FROM verdicts;"
                      "DELETE FROM identities;"
                      "DELETE FROM aliases;"
                      "COMMIT",
                      &error))
    {
      cf_store_rollback (self);
      cf_store_warn (self, "Could not clear the cache", error);
    }
}

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
  g_free (entry->override);
  g_free (entry);
}

/* @id 0 lets SQLite number the entry. */
static gint64
add_history_with_id (CfStore              *self,
                     const CfHistoryEntry *entry,
                     gint64                id)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  char hash[65];
  const char *sha256 = NULL;

  /* A file that could not be read has no hash; anything else is lowered. */
  if (cf_store_normalize_sha256 (entry->sha256, hash))
    sha256 = hash;
  else
    sha256 = entry->sha256;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  stmt = cf_store_prepare (self,
                           "INSERT INTO history"
                           " (id, path, sha256, time, status, decision, reason, malicious, engines,"
                           "  override, suspicious, threshold, source, kind, size, error, origin)"
                           " VALUES (?17, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                           "  ?14, ?15, ?16)",
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
  if (store_defer (self, &(Job) { .kind = JOB_ADD_HISTORY, .entry = (CfHistoryEntry *) entry,
                                  .number = id }))
    return id;

  return add_history_with_id (self, entry, 0);
}

void
cf_store_set_history_override (CfStore    *self,
                               gint64      id,
                               const char *override)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CF_IS_STORE (self));

  if (store_defer (self, &(Job) { .kind = JOB_SET_HISTORY_OVERRIDE, .a = (char *) override,
                                  .number = id }))
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));

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

static char *
cf_column_dup (sqlite3_stmt *stmt,
               int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

GPtrArray *
cf_store_list_history (CfStore *self,
                       guint    limit)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *entries;
  int rc;

  g_return_val_if_fail (CF_IS_STORE (self), NULL);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_history_entry_free);

  locker = g_mutex_locker_new (STORE_LOCK (self));

  stmt = cf_store_prepare (self,
                           "SELECT id, path, sha256, time, status, decision, reason, malicious,"
                           " engines, override, suspicious, threshold, source, kind, size, error,"
                           " origin FROM history"
                           " ORDER BY time DESC, id DESC LIMIT ?1",
                           &error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);

  while ((rc = cf_store_step (self, stmt, &error)) == SQLITE_ROW)
    {
      CfHistoryEntry *entry = g_new0 (CfHistoryEntry, 1);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->path = cf_column_dup (stmt, 1);
      entry->sha256 = cf_column_dup (stmt, 2);
      entry->time = sqlite3_column_int64 (stmt, 3);
      entry->status = cf_column_dup (stmt, 4);
      entry->decision = cf_column_dup (stmt, 5);
      entry->reason = cf_column_dup (stmt, 6);
      entry->malicious = sqlite3_column_int64 (stmt, 7);
      entry->engines = sqlite3_column_int64 (stmt, 8);
      entry->override = cf_column_dup (stmt, 9);
      entry->suspicious = sqlite3_column_int64 (stmt, 10);
      entry->threshold = sqlite3_column_int64 (stmt, 11);
      entry->source = cf_column_dup (stmt, 12);
      entry->kind = cf_column_dup (stmt, 13);
      entry->size = sqlite3_column_type (stmt, 14) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 14);
      entry->error = cf_column_dup (stmt, 15);
      entry->origin = cf_column_dup (stmt, 16);
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
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CF_IS_STORE (self));

  if (store_defer (self, &(Job) { .kind = JOB_CLEAR_HISTORY }))
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  if (!cf_store_exec (self, "DELETE FROM history", &error))
    cf_store_warn (self, "Could not clear the history", error);
}

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
  g_autoptr(sqlite3_stmt) stmt = NULL;
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
        *note = cf_column_dup (stmt, 1);
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
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

      entry->sha256 = cf_column_dup (stmt, 0);
      entry->trust = (CfTrust) sqlite3_column_int (stmt, 1);
      entry->time = sqlite3_column_int64 (stmt, 2);
      entry->note = cf_column_dup (stmt, 3);
      g_ptr_array_add (entries, entry);
    }

  if (rc == SQLITE_DONE)
    return entries;

failed:
  cf_store_warn (self, "Could not read the trust list", error);
  return entries;
}

/* Request slots */

static gboolean
cf_store_read_paused_until (CfStore  *self,
                            gint64   *until,
                            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
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

static gboolean
cf_store_query_counts (CfStore              *self,
                       const CfSlotWindows  *windows,
                       guint                *minute,
                       guint                *day,
                       guint                *month,
                       GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = cf_store_prepare (self,
                           "SELECT count(*) FILTER (WHERE time_us > ?1),"
                           "       count(*) FILTER (WHERE time_us >= ?2),"
                           "       count(*) FILTER (WHERE time_us >= ?3)"
                           " FROM slots WHERE time_us >= min(?1 + 1, ?2, ?3)",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, windows->minute_after);
  sqlite3_bind_int64 (stmt, 2, windows->day_start);
  sqlite3_bind_int64 (stmt, 3, windows->month_start);

  if (cf_store_step (self, stmt, error) != SQLITE_ROW)
    return FALSE;

  *minute = (guint) sqlite3_column_int64 (stmt, 0);
  *day = (guint) sqlite3_column_int64 (stmt, 1);
  *month = (guint) sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

/* The time of the @nth oldest slot in the minute window (0 = the oldest),
 * or 0 if there are not that many. */
static gboolean
cf_store_query_minute_slot (CfStore              *self,
                            const CfSlotWindows  *windows,
                            guint                 nth,
                            gint64               *time_us,
                            GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *time_us = 0;

  stmt = cf_store_prepare (self,
                           "SELECT time_us FROM slots WHERE time_us > ?1"
                           " ORDER BY time_us LIMIT 1 OFFSET ?2",
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
cf_store_insert_slot (CfStore  *self,
                      gint64    now,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;

  insert = cf_store_prepare (self, "INSERT INTO slots (time_us) VALUES (?1)", error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, now);
  if (cf_store_step (self, insert, error) != SQLITE_DONE)
    return FALSE;

  if (self->reservations++ % CF_SLOT_PRUNE_EVERY == 0)
    {
      g_autoptr(sqlite3_stmt) prune = NULL;

      prune = cf_store_prepare (self, "DELETE FROM slots WHERE time_us < ?1", error);
      if (prune == NULL)
        return FALSE;
      sqlite3_bind_int64 (prune, 1, now - CF_SLOT_KEEP);
      if (cf_store_step (self, prune, error) != SQLITE_DONE)
        return FALSE;
    }

  return TRUE;
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
  guint minute = 0;
  guint day = 0;
  guint month = 0;

  g_return_val_if_fail (CF_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (retry_at != NULL)
    *retry_at = 0;

  cf_slot_windows_init (&windows, now);
  locker = g_mutex_locker_new (STORE_LOCK (self));

  /* IMMEDIATE takes the write lock before counting, so two processes can
   * never both count the last free slot as theirs.  The main thread of a
   * write-behind store does not wait for it: busy is said, and tried again. */
  if (sqlite3_exec (STORE_DB (self), "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    {
      if ((sqlite3_errcode (STORE_DB (self)) & 0xff) == SQLITE_BUSY)
        g_set_error_literal (error, CF_STORE_ERROR, CF_STORE_ERROR_BUSY,
                             _("Another program is using the database"));
      else
        cf_store_set_error (STORE_DB (self), error, CF_STORE_ERROR_QUERY,
                            _("Could not update the database"));
      return FALSE;
    }

  if (!cf_store_read_paused_until (self, &paused_until, error) ||
      !cf_store_query_counts (self, &windows, &minute, &day, &month, error))
    goto failed;

  if (now < paused_until)
    free_at = paused_until;
  if (per_month > 0 && month >= per_month)
    free_at = MAX (free_at, windows.month_end);
  if (per_day > 0 && day >= per_day)
    free_at = MAX (free_at, windows.day_end);
  if (per_minute > 0 && minute >= per_minute)
    {
      gint64 slot = 0;

      /* Once this slot leaves the window, one fewer than the limit remain. */
      if (!cf_store_query_minute_slot (self, &windows, minute - per_minute, &slot, error))
        goto failed;
      free_at = MAX (free_at, slot + CF_SLOT_MINUTE);
    }

  if (free_at == 0 && !cf_store_insert_slot (self, now, error))
    goto failed;

  if (!cf_store_exec (self, "COMMIT", error))
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

  if (!cf_store_query_counts (self, &windows, &counts[0], &counts[1], &counts[2], &error))
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
  CfSlotWindows windows;
  gint64 oldest = 0;

  g_return_if_fail (CF_IS_STORE (self));

  cf_slot_windows_init (&windows, now);

  if (minute_reset != NULL)
    {
      locker = g_mutex_locker_new (STORE_LOCK (self));
      if (!cf_store_query_minute_slot (self, &windows, 0, &oldest, &error))
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CF_IS_STORE (self));

  if (store_defer (self, &(Job) { .kind = JOB_SET_PAUSED_UNTIL, .number = until }))
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));

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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  gboolean valid;
  char hash[65];

  g_return_if_fail (CF_IS_STORE (self));
  g_return_if_fail (analysis_id != NULL);

  if (store_defer (self, &(Job) { .kind = JOB_SAVE_PENDING, .a = (char *) sha256,
                                  .b = (char *) analysis_id, .number = started }))
    return;

  valid = cf_store_normalize_sha256 (sha256, hash);
  g_return_if_fail (valid);

  locker = g_mutex_locker_new (STORE_LOCK (self));

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
  g_autoptr(sqlite3_stmt) stmt = NULL;
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
      pending->analysis_id = cf_column_dup (stmt, 0);
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  char hash[65];

  g_return_if_fail (CF_IS_STORE (self));

  if (store_defer (self, &(Job) { .kind = JOB_FORGET_PENDING, .a = (char *) sha256 }))
    return;

  if (!cf_store_normalize_sha256 (sha256, hash))
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));

  stmt = cf_store_prepare (self, "DELETE FROM pending WHERE sha256 = ?1", &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);

  if (cf_store_step (self, stmt, &error) == SQLITE_DONE)
    return;

failed:
  cf_store_warn (self, "Could not forget an unfinished analysis", error);
}

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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  char alias[41];
  char target[65];

  g_return_if_fail (CF_IS_STORE (self));

  if (store_defer (self, &(Job) { .kind = JOB_REMEMBER_ALIAS, .a = (char *) hash,
                                  .b = (char *) sha256, .number = now }))
    return;

  if (!cf_store_normalize_alias (hash, alias))
    return;
  if (sha256 != NULL && !cf_store_normalize_sha256 (sha256, target))
    return;

  locker = g_mutex_locker_new (STORE_LOCK (self));

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
  g_autoptr(sqlite3_stmt) stmt = NULL;
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
