/* cf-store-private.h: what the store's files share: the connection, the statement helpers, the queue
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store is one object over one database, written in one file per
 * table (cf-store-cache.c, -history.c, -trust.c, -slots.c, -pending.c,
 * -state.c, -downloads.c).
 * Each operation takes STORE_LOCK, works on STORE_DB through the helpers
 * below, and, when it only writes, first offers itself to cf_store_defer().
 */

#pragma once

#include <sqlite3.h>

#include "cf-store.h"

G_BEGIN_DECLS

#define CF_STORE_BUSY_TIMEOUT_MS 5000
/* Off the main thread a write may wait longer: a queued write is what the
 * person did, and is not given up lightly. */
#define CF_STORE_WORKER_BUSY_TIMEOUT_MS 60000

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* A statement from cf_store_prepare(): the connection keeps it, prepared,
 * and going out of scope only makes it ready for the next caller. */
typedef sqlite3_stmt CfStoreStatement;

static inline void
cf_store_statement_release (CfStoreStatement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfStoreStatement, cf_store_statement_release)

struct _CfStore
{
  GObject      parent_instance;

  char        *path;
  sqlite3     *db;
  /* SQL text → its prepared statement, one table per connection: parsing
   * the SQL again cost more than running it. */
  GHashTable  *statements;
  /* One connection, several statements per operation: a transaction must
   * not interleave with another thread's. */
  GMutex       lock;
  gsize        work;        /* atomic */
  /* The commit of this turn of the main loop's writes, while one is open
   * on @db (see cf_store_join_turn()). */
  GSource     *turn_commit;

  /* Write-behind (the window): the thread that enabled it, the main
   * thread, keeps @db to itself and never waits on a lock another program
   * holds; its writes are queued for @writer, and every other thread works
   * on @worker_db, which may wait. */
  GThread     *main_thread;
  sqlite3     *worker_db;
  GHashTable  *worker_statements;
  GMutex       worker_lock;
  GThreadPool *writer;
  GMutex       queue_lock;
  GCond        queue_cond;
  guint        queued;
  guint64      deferred;    /* writes queued so far, and written so far */
  guint64      written;
};

/* The connection and lock of the calling thread. */
#define STORE_ON_WORKER(self) ((self)->worker_db != NULL && g_thread_self () != (self)->main_thread)
#define STORE_DB(self)        (STORE_ON_WORKER (self) ? (self)->worker_db : (self)->db)
#define STORE_LOCK(self)      (STORE_ON_WORKER (self) ? &(self)->worker_lock : &(self)->lock)
#define STORE_STATEMENTS(self) (STORE_ON_WORKER (self) ? (self)->worker_statements : (self)->statements)
/* Writes from the main thread go to the writer instead. */
#define STORE_DEFERS(self)    ((self)->writer != NULL && g_thread_self () == (self)->main_thread)

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
  JOB_SET_STATE_TEXT,
  JOB_SAVE_DISARMED,
  JOB_FORGET_DISARMED,
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
  gint64          time;
  CfHistoryEntry *entry;
} Job;

void              cf_store_set_error          (sqlite3               *db,
                                               GError               **error,
                                               int                    code,
                                               const char            *what);
gboolean          cf_store_exec               (CfStore               *self,
                                               const char            *sql,
                                               GError               **error);
CfStoreStatement *cf_store_prepare            (CfStore               *self,
                                               const char            *sql,
                                               GError               **error);
int               cf_store_step               (CfStore               *self,
                                               sqlite3_stmt          *stmt,
                                               GError               **error);
void              cf_store_join_turn          (CfStore               *self);
gboolean          cf_store_begin              (CfStore               *self,
                                               GError               **error);
gboolean          cf_store_commit             (CfStore               *self,
                                               GError               **error);
void              cf_store_rollback           (CfStore               *self);
void              cf_store_warn               (CfStore               *self,
                                               const char            *what,
                                               GError                *error);
gboolean          cf_store_normalize_sha256   (const char            *text,
                                               char                   out[65]);
gboolean          cf_store_check_sha256       (const char            *text,
                                               char                   out[65],
                                               GError               **error);
char             *cf_store_column_dup         (sqlite3_stmt          *stmt,
                                               int                    column);

gboolean          cf_store_defer              (CfStore               *self,
                                               const Job             *job);
gint64            cf_store_add_history_with_id (CfStore              *self,
                                               const CfHistoryEntry  *entry,
                                               gint64                 id);

G_END_DECLS
