/* cf-store.c: the user's database: opening, migrating, the statement helpers, the write queue
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

#include "cf-store-private.h"

G_DEFINE_FINAL_TYPE (CfStore, cf_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (cf-store-error-quark, cf_store_error)

static void cf_store_end_turn (CfStore *self);

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
  /* 4: what the Debian package database said of the file */
  "ALTER TABLE history ADD COLUMN package TEXT;"
  "ALTER TABLE history ADD COLUMN package_version TEXT;"
  "ALTER TABLE history ADD COLUMN packaged TEXT;",
  /* 5: the requests of each day as one count, so that the budget costs the
   * same to read however many requests were made this month; `slots` keeps
   * only what the sliding minute can still see */
  "CREATE TABLE slot_days ("
  "  day  INTEGER PRIMARY KEY NOT NULL,"
  "  used INTEGER NOT NULL"
  ");"
  "INSERT INTO slot_days (day, used)"
  "  SELECT time_us / 86400000000, count(*) FROM slots GROUP BY 1;",
  /* 6: what the downloads watcher keeps */
  "ALTER TABLE history ADD COLUMN referrer TEXT;"
  "CREATE TABLE disarmed ("
  "  path     TEXT PRIMARY KEY NOT NULL,"
  "  sha256   TEXT NOT NULL,"
  "  device   INTEGER NOT NULL,"
  "  inode    INTEGER NOT NULL,"
  "  size     INTEGER NOT NULL,"
  "  mtime_ns INTEGER NOT NULL,"
  "  mode     INTEGER NOT NULL,"
  "  time     INTEGER NOT NULL"
  ");"
  "CREATE INDEX disarmed_sha256 ON disarmed (sha256);",
};

static void
statement_free (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static GHashTable *
cf_store_statements_new (void)
{
  /* Keyed by the statement's own copy of its SQL. */
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, statement_free);
}

static void
cf_store_finalize (GObject *object)
{
  CfStore *self = CF_STORE (object);

  /* Whatever was queued is written before the store goes. */
  if (self->writer != NULL)
    g_thread_pool_free (self->writer, FALSE, TRUE);
  cf_store_end_turn (self);
  /* Statements first: a connection with statements left only becomes a zombie. */
  g_clear_pointer (&self->worker_statements, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
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
  self->statements = cf_store_statements_new ();
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

void
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

gboolean
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

/* The statement for @sql on the calling thread's connection, prepared the
 * first time only.  Its user holds it in a g_autoptr(CfStoreStatement),
 * which resets it: one statement serves one caller at a time, and every
 * caller holds STORE_LOCK. */
CfStoreStatement *
cf_store_prepare (CfStore     *self,
                  const char  *sql,
                  GError     **error)
{
  GHashTable *statements = STORE_STATEMENTS (self);
  sqlite3_stmt *stmt = g_hash_table_lookup (statements, sql);

  if (stmt != NULL)
    {
      g_assert (!sqlite3_stmt_busy (stmt));
      return stmt;
    }

  if (sqlite3_prepare_v3 (STORE_DB (self), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      cf_store_set_error (STORE_DB (self), error, CF_STORE_ERROR_QUERY,
                          _("Could not prepare a database query"));
      return NULL;
    }

  g_hash_table_insert (statements, (gpointer) sqlite3_sql (stmt), stmt);
  return stmt;
}

/* Returns SQLITE_ROW or SQLITE_DONE, or sets @error. */
int
cf_store_step (CfStore       *self,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  int rc = sqlite3_step (stmt);

  /* Atomic: the two connections run under two locks. */
  g_atomic_pointer_add (&self->work, sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_VM_STEP, TRUE));
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    cf_store_set_error (STORE_DB (self), error, CF_STORE_ERROR_QUERY,
                        _("Could not read or write the database"));

  return rc;
}

/* Writes in a turn of the main loop
 *
 * The thread that runs the default main loop writes a great many small
 * things when it works through a list: an answer, then the request slot
 * of the next hash, and so on, each its own transaction.  Instead, its
 * writes share one transaction per turn of the loop, committed as soon as
 * the turn ends, before the loop waits for anything.  Reads on the same
 * connection see the writes at once; other processes see them a moment
 * later and wait for the write lock meanwhile, as they would for any
 * write.  A write-behind store does not take part: its main thread never
 * waits for the lock, and its writer thread has no main loop. */

static gboolean
cf_store_commit_turn (gpointer user_data)
{
  CfStore *self = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_clear_pointer (&self->turn_commit, g_source_unref);
  if (!sqlite3_get_autocommit (self->db) &&
      sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_autoptr(GError) error = NULL;

      cf_store_set_error (self->db, &error, CF_STORE_ERROR_QUERY, _("Could not update the database"));
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      cf_store_warn (self, "Could not write what this turn of the main loop found", error);
    }

  return G_SOURCE_REMOVE;
}

/* Commits now what this turn has written so far. */
static void
cf_store_end_turn (CfStore *self)
{
  if (self->turn_commit == NULL)
    return;
  g_source_destroy (self->turn_commit);
  cf_store_commit_turn (self);
}

static gboolean
cf_store_in_turn (CfStore *self)
{
  return self->turn_commit != NULL && !STORE_ON_WORKER (self);
}

/* Under STORE_LOCK, before a write: opens this turn's transaction when
 * the caller runs the main loop and none is open yet.  If the write lock
 * cannot be had, the write goes on by itself and waits for it there. */
void
cf_store_join_turn (CfStore *self)
{
  g_autoptr(GSource) source = NULL;

  if (cf_store_in_turn (self) || STORE_ON_WORKER (self) || self->writer != NULL ||
      g_main_context_get_thread_default () != NULL ||
      !g_main_context_is_owner (g_main_context_default ()) ||
      !sqlite3_get_autocommit (self->db) ||
      sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return;

  /* High priority: before anything else the next turn would do. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, cf_store_commit_turn, self, NULL);
  g_source_set_static_name (source, "[check-first] commit the turn's writes");
  g_source_attach (source, NULL);
  self->turn_commit = g_steal_pointer (&source);
}

/* Under STORE_LOCK: a transaction of its own for an operation of several
 * statements, or a savepoint in this turn's if one is open; ended by
 * cf_store_commit() or cf_store_rollback().  It does not open a turn: an
 * operation that may find it has nothing to write (a request slot, when
 * the budget is spent) keeps the write lock no longer than it needs.
 * Fails with CF_STORE_ERROR_BUSY when another program holds the database
 * longer than this connection waits. */
gboolean
cf_store_begin (CfStore  *self,
                GError  **error)
{
  const char *sql = cf_store_in_turn (self) ? "SAVEPOINT cf_operation" : "BEGIN IMMEDIATE";

  if (sqlite3_exec (STORE_DB (self), sql, NULL, NULL, NULL) == SQLITE_OK)
    return TRUE;

  if ((sqlite3_errcode (STORE_DB (self)) & 0xff) == SQLITE_BUSY)
    g_set_error_literal (error, CF_STORE_ERROR, CF_STORE_ERROR_BUSY,
                         _("Another program is using the database"));
  else
    cf_store_set_error (STORE_DB (self), error, CF_STORE_ERROR_QUERY,
                        _("Could not update the database"));
  return FALSE;
}

gboolean
cf_store_commit (CfStore  *self,
                 GError  **error)
{
  return cf_store_exec (self, cf_store_in_turn (self) ? "RELEASE cf_operation" : "COMMIT", error);
}

void
cf_store_rollback (CfStore *self)
{
  if (cf_store_in_turn (self))
    sqlite3_exec (STORE_DB (self), "ROLLBACK TO cf_operation; RELEASE cf_operation", NULL, NULL, NULL);
  else if (!sqlite3_get_autocommit (STORE_DB (self)))
    sqlite3_exec (STORE_DB (self), "ROLLBACK", NULL, NULL, NULL);
}

/* Functions without a GError report here: a broken cache must never stop
 * anyone from checking a file. */
void
cf_store_warn (CfStore    *self,
               const char *what,
               GError     *error)
{
  g_warning ("%s (%s): %s", what, self->path, error != NULL ? error->message : "?");
}

/* Lowers @text into @out; FALSE unless it is 64 hexadecimal digits. */
gboolean
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

gboolean
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

char *
cf_store_column_dup (sqlite3_stmt *stmt,
                     int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
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
  g_hash_table_remove_all (self->statements);
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

/* Write-behind */

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
  copy->referrer = g_strdup (entry->referrer);
  copy->override = g_strdup (entry->override);
  copy->package = g_strdup (entry->package);
  copy->package_version = g_strdup (entry->package_version);
  copy->packaged = g_strdup (entry->packaged);
  return copy;
}

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
      cf_store_add_history_with_id (self, job->entry, job->number);
      break;
    case JOB_SET_HISTORY_OVERRIDE:
      cf_store_set_history_override (self, job->number, job->a);
      break;
    case JOB_CLEAR_HISTORY:
      cf_store_clear_history_before (self, job->number);
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
    case JOB_SET_STATE_TEXT:
      cf_store_set_state_text (self, job->a, job->b);
      break;
    case JOB_SAVE_DISARMED:
      cf_store_save_disarmed (self, &(CfDisarmed) { .path = job->a, .sha256 = job->b,
                                                    .identity = job->identity,
                                                    .mode = job->number, .time = job->time });
      break;
    case JOB_FORGET_DISARMED:
      cf_store_forget_disarmed (self, job->a);
      break;
    default:
      g_assert_not_reached ();
    }
  job_free (job);

  g_mutex_lock (&self->queue_lock);
  self->queued--;
  self->written++;
  g_cond_broadcast (&self->queue_cond);
  g_mutex_unlock (&self->queue_lock);
}

/* Queues @job when the caller is the main thread of a write-behind store;
 * returns FALSE (and frees nothing) when the caller should write itself. */
gboolean
cf_store_defer (CfStore   *self,
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
  self->deferred++;
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
  self->worker_statements = cf_store_statements_new ();

  self->writer = g_thread_pool_new (job_run, self, 1, FALSE, NULL);
  g_mutex_lock (&self->lock);
  self->main_thread = g_thread_self ();
  sqlite3_busy_timeout (self->db, 0);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* The steps SQLite's virtual machine took for this store's statements so
 * far: a measure of cost that does not depend on the machine, for the tests
 * that prove a cost stays flat. */
gsize
cf_store_get_work (CfStore *self)
{
  g_return_val_if_fail (CF_IS_STORE (self), 0);

  return (gsize) g_atomic_pointer_get (&self->work);
}

/* Off the main thread, which must never wait: waits until every write
 * queued before this call is in the database, so that what is read next
 * is what the main thread already knows.  Later writes are not waited for. */
void
cf_store_catch_up (CfStore *self)
{
  guint64 target;

  g_return_if_fail (CF_IS_STORE (self));
  g_return_if_fail (self->writer == NULL || g_thread_self () != self->main_thread);

  g_mutex_lock (&self->queue_lock);
  target = self->deferred;
  while (self->written < target)
    g_cond_wait (&self->queue_cond, &self->queue_lock);
  g_mutex_unlock (&self->queue_lock);
}

/* Waits until every queued write is done, and commits this turn's. */
void
cf_store_flush (CfStore *self)
{
  g_return_if_fail (CF_IS_STORE (self));

  cf_store_end_turn (self);

  g_mutex_lock (&self->queue_lock);
  while (self->queued > 0)
    g_cond_wait (&self->queue_cond, &self->queue_lock);
  g_mutex_unlock (&self->queue_lock);
}

