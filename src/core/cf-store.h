/* cf-store.h: the user's database: caches, history, trust list, quota slots
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-hasher.h"
#include "cf-report.h"

G_BEGIN_DECLS

#define CF_STORE_ERROR (cf_store_error_quark ())

typedef enum
{
  CF_STORE_ERROR_OPEN,
  CF_STORE_ERROR_QUERY,
  CF_STORE_ERROR_INVALID,
  CF_STORE_ERROR_BUSY,       /* another program holds the database: try again */
} CfStoreError;

typedef enum
{
  CF_TRUST_NONE,
  CF_TRUST_ALLOW,
  CF_TRUST_BLOCK,
} CfTrust;

/* How long a cached answer stays good, in seconds. */
typedef struct
{
  gint64 detected;
  gint64 clean;
  gint64 unknown;
} CfCacheTtl;

#define CF_CACHE_TTL_INIT { 86400, 7 * 86400, 3600 }

typedef struct
{
  gint64  id;
  char   *path;
  char   *sha256;
  gint64  time;        /* seconds since the epoch, UTC */
  char   *status;      /* clean, detected, unknown, trusted, error */
  char   *decision;    /* allow, block */
  char   *reason;
  gint64  malicious;
  gint64  suspicious;
  gint64  engines;
  guint   threshold;   /* the policy's on that day; 0 when not known */
  char   *source;      /* api, cache, upload, trust */
  char   *kind;        /* file, hash, process */
  gint64  size;        /* -1 when not known */
  char   *error;       /* why a failed check failed */
  char   *origin;      /* where a download came from, when known */
  char   *referrer;    /* the page that led to it, when known */
  char   *override;    /* NULL, or what the person did: "run-anyway", "always-allow", ... */
  char   *package;     /* the Debian package that installed the file, when one did */
  char   *package_version;
  char   *packaged;    /* NULL, "unmodified" or "modified" */
} CfHistoryEntry;

typedef struct
{
  char    *sha256;
  CfTrust  trust;
  gint64   time;
  char    *note;
} CfTrustEntry;

typedef struct
{
  char   *sha256;
  char   *analysis_id;
  gint64  started;
} CfPendingAnalysis;

#define CF_TYPE_STORE (cf_store_get_type ())
G_DECLARE_FINAL_TYPE (CfStore, cf_store, CF, STORE, GObject)

GQuark        cf_store_error_quark         (void);

char         *cf_store_default_path        (void);
CfStore      *cf_store_open                (const char            *path,
                                            GError               **error);
const char   *cf_store_get_path            (CfStore               *self);
gboolean      cf_store_set_write_behind    (CfStore               *self,
                                            GError               **error);
void          cf_store_flush               (CfStore               *self);
void          cf_store_catch_up            (CfStore               *self);
gsize         cf_store_get_work            (CfStore               *self);

/* Identity cache */
char         *cf_store_lookup_identity     (CfStore               *self,
                                            const CfFileIdentity  *identity);
void          cf_store_remember_identity   (CfStore               *self,
                                            const CfFileIdentity  *identity,
                                            const char            *sha256);

/* Verdict cache.  @report is NULL for a hash VirusTotal does not know. */
gboolean      cf_store_lookup_verdict      (CfStore               *self,
                                            const char            *sha256,
                                            gint64                 now,
                                            const CfCacheTtl      *ttl,
                                            CfReport             **report,
                                            gint64                *fetched);
void          cf_store_save_verdict        (CfStore               *self,
                                            const char            *sha256,
                                            const CfReport        *report,
                                            gint64                 now);
void          cf_store_clear_cache         (CfStore               *self);

/* MD5 and SHA-1 seen in lookups, and the SHA-256 they name (NULL when
 * VirusTotal did not know them at @now). */
void          cf_store_remember_alias      (CfStore               *self,
                                            const char            *hash,
                                            const char            *sha256,
                                            gint64                 now);
gboolean      cf_store_lookup_alias        (CfStore               *self,
                                            const char            *hash,
                                            gint64                 now,
                                            gint64                 unknown_ttl,
                                            char                 **sha256);

/* History */
gint64        cf_store_add_history         (CfStore               *self,
                                            const CfHistoryEntry  *entry);
void          cf_store_set_history_override (CfStore              *self,
                                            gint64                 id,
                                            const char            *override);
GPtrArray    *cf_store_list_history        (CfStore               *self,
                                            guint                  limit);
void          cf_store_clear_history       (CfStore               *self);
void          cf_store_clear_history_before (CfStore              *self,
                                            gint64                 time);
void          cf_history_entry_free        (CfHistoryEntry        *entry);

/* Trust list */
CfTrust       cf_store_get_trust           (CfStore               *self,
                                            const char            *sha256,
                                            char                 **note);
gboolean      cf_store_set_trust           (CfStore               *self,
                                            const char            *sha256,
                                            CfTrust                trust,
                                            const char            *note,
                                            gint64                 now,
                                            GError               **error);
GPtrArray    *cf_store_list_trust          (CfStore               *self);
void          cf_trust_entry_free          (CfTrustEntry          *entry);

/* Request slots shared by every process of the user.  Times are
 * microseconds since the epoch, UTC.  A limit of 0 means no limit.
 * Returns TRUE and records a slot when one is free; otherwise FALSE and
 * sets @retry_at to the earliest time a slot may be free. */
gboolean      cf_store_try_reserve_slot    (CfStore               *self,
                                            gint64                 now,
                                            guint                  per_minute,
                                            guint                  per_day,
                                            guint                  per_month,
                                            gint64                *retry_at,
                                            GError               **error);
void          cf_store_count_slots         (CfStore               *self,
                                            gint64                 now,
                                            guint                 *minute,
                                            guint                 *day,
                                            guint                 *month);
/* When the windows around @now free up: the oldest slot of the last minute
 * plus 60 s (or @now if there is none), the next 00:00 UTC, and the 1st of
 * the next month at 00:00 UTC.  Any of the pointers may be NULL. */
void          cf_store_get_slot_resets     (CfStore               *self,
                                            gint64                 now,
                                            gint64                *minute_reset,
                                            gint64                *day_reset,
                                            gint64                *month_reset);
void          cf_store_set_paused_until    (CfStore               *self,
                                            gint64                 until);
gint64        cf_store_get_paused_until    (CfStore               *self);

/* Uploads whose analysis has not finished yet, so a restart resumes them. */
void          cf_store_save_pending        (CfStore               *self,
                                            const char            *sha256,
                                            const char            *analysis_id,
                                            gint64                 started);
CfPendingAnalysis *cf_store_get_pending    (CfStore               *self,
                                            const char            *sha256);
void          cf_store_forget_pending      (CfStore               *self,
                                            const char            *sha256);
void          cf_pending_analysis_free     (CfPendingAnalysis     *pending);

/* Small named values other parts keep here (the account's allowance). */
char         *cf_store_get_state_text      (CfStore               *self,
                                            const char            *name);
void          cf_store_set_state_text      (CfStore               *self,
                                            const char            *name,
                                            const char            *value);

/* A file whose execute bits the downloads watcher cleared: where, which
 * content, the file itself (its identity after the change, ctime aside)
 * and its mode before. */
typedef struct
{
  char           *path;
  char           *sha256;
  CfFileIdentity  identity;
  guint           mode;
  gint64          time;
} CfDisarmed;

void          cf_store_save_disarmed       (CfStore               *self,
                                            const CfDisarmed      *disarmed);
GPtrArray    *cf_store_list_disarmed       (CfStore               *self,
                                            const char            *sha256,
                                            const char            *path);
void          cf_store_forget_disarmed     (CfStore               *self,
                                            const char            *path);
void          cf_disarmed_free             (CfDisarmed            *disarmed);


G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfHistoryEntry, cf_history_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfDisarmed, cf_disarmed_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfTrustEntry, cf_trust_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfPendingAnalysis, cf_pending_analysis_free)

G_END_DECLS
