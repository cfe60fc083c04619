/* cf-session.h: what every front-end holds: the store, the budget, the checker, the key, the checks
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-account.h"
#include "cf-audit.h"
#include "cf-check.h"
#include "cf-config.h"
#include "cf-scheduler.h"
#include "cf-trash.h"

G_BEGIN_DECLS

typedef enum
{
  CF_KEY_STATE_LOOKING_UP,   /* the keyring has not answered yet */
  CF_KEY_STATE_MISSING,
  CF_KEY_STATE_PRESENT,
} CfKeyState;

typedef enum
{
  CF_SESSION_NONE            = 0,
  /* Follow the settings as they change (the window); a script's run works
   * with the settings it started with and its own options. */
  CF_SESSION_FOLLOW_SETTINGS = 1 << 0,
  /* A database that cannot be opened gives a session without history or
   * cache, instead of none. */
  CF_SESSION_MEMORY_FALLBACK = 1 << 1,
  /* The calling thread runs a main loop that must never wait on the
   * database (a window): its writes are queued, see
   * cf_store_set_write_behind(). */
  CF_SESSION_WRITE_BEHIND    = 1 << 2,
  /* One run of a script: a hash answered once in it is not asked again,
   * however old its answer grows (see cf_checker_keep_answers()). */
  CF_SESSION_ONE_RUN         = 1 << 3,
  /* Read the account's allowance from VirusTotal once a day while the
   * session lives (the window), when a request can be spared. */
  CF_SESSION_READ_ACCOUNT    = 1 << 4,
} CfSessionFlags;

typedef enum
{
  CF_SESSION_CHECK_NONE      = 0,
  CF_SESSION_CHECK_LISTED    = 1 << 0,   /* in the session's list of checks */
  CF_SESSION_CHECK_TO_LAUNCH = 1 << 1,   /* held past the verdict, for a launch */
  /* A new file in a watched folder: behind a file being opened, ahead of
   * batches, and held past its verdict for cf_session_disarm_download(). */
  CF_SESSION_CHECK_DOWNLOAD  = 1 << 2,
  /* Another program asked: never uploaded, nor asked about. */
  CF_SESSION_CHECK_NO_UPLOAD = 1 << 3,
} CfSessionCheckFlags;

#define CF_TYPE_SESSION (cf_session_get_type ())
G_DECLARE_FINAL_TYPE (CfSession, cf_session, CF, SESSION, GObject)

CfSession      *cf_session_new               (const char          *store_path,
                                              CfSessionFlags       flags,
                                              GError             **error);

void            cf_session_shutdown          (CfSession           *self);

GSettings      *cf_session_get_settings      (CfSession           *self);
const CfConfig *cf_session_get_config        (CfSession           *self);
void            cf_session_set_config        (CfSession           *self,
                                              const CfConfig      *config);
void            cf_session_set_use_cache     (CfSession           *self,
                                              gboolean             use_cache);
void            cf_session_get_quota         (CfSession           *self,
                                              CfQuotaUsage        *usage);
guint           cf_session_get_requests_spent (CfSession          *self);

/* What VirusTotal says the key may spend: read when a key is saved, once
 * a day with CF_SESSION_READ_ACCOUNT, or when asked here (@wait: in the
 * budget's queue like any request; otherwise only if a request can be
 * spared at once).  The scheduler follows each reading. */
CfAccount      *cf_session_get_account       (CfSession           *self);
void            cf_session_read_account_async (CfSession          *self,
                                               gboolean            wait,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
gboolean        cf_session_read_account_finish (CfSession         *self,
                                                GAsyncResult      *result,
                                                GError           **error);

/* The API key: "key-state" says where it stands. */
CfKeyState      cf_session_get_key_state     (CfSession           *self);
const GError   *cf_session_get_key_error     (CfSession           *self);
void            cf_session_lookup_key        (CfSession           *self);
gboolean        cf_session_lookup_key_sync   (CfSession           *self,
                                              GError             **error);
void            cf_session_set_api_key       (CfSession           *self,
                                              const char          *key);
void            cf_session_verify_and_store_key_async  (CfSession           *self,
                                                        const char          *key,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean        cf_session_verify_and_store_key_finish (CfSession           *self,
                                                        GAsyncResult        *result,
                                                        gboolean            *verified,
                                                        GError             **error);

/* Checks.  The list holds the checks started with CF_SESSION_CHECK_LISTED,
 * newest first; "check-finished" is emitted for every check. */
GListModel     *cf_session_get_checks        (CfSession           *self);
CfCheck        *cf_session_check_file        (CfSession           *self,
                                              GFile               *file,
                                              CfSessionCheckFlags  flags);
CfCheck        *cf_session_check_hash        (CfSession           *self,
                                              const char          *hash,
                                              CfPriority           priority);
void            cf_session_remove_check      (CfSession           *self,
                                              CfCheck             *check);
CfCheck        *cf_session_find_check        (CfSession           *self,
                                              guint64              serial);
CfCheck        *cf_session_find_sha256       (CfSession           *self,
                                              const char          *sha256);
void            cf_session_clear_finished    (CfSession           *self);
void            cf_session_trim_checks       (CfSession           *self,
                                              guint                keep);
void            cf_session_upload            (CfSession           *self,
                                              CfCheck             *check);
void            cf_session_redecide          (CfSession           *self,
                                              CfCheck             *check);
/* Has VirusTotal analyse a finished check's file again (see
 * cf_checker_rescan()): the check moves on to the new verdict. */
gboolean        cf_session_can_rescan        (CfSession           *self,
                                              CfCheck             *check);
void            cf_session_rescan            (CfSession           *self,
                                              CfCheck             *check);
CfAudit        *cf_session_new_audit         (CfSession           *self,
                                              const char          *proc_root);

/* A download's verdict: a blocked file loses its execute bits, and the
 * person's "allow" or "run anyway" gives them back. */
gboolean        cf_session_disarm_download   (CfSession           *self,
                                              CfCheck             *check,
                                              GError             **error);
guint           cf_session_rearm             (CfSession           *self,
                                              CfCheck             *check);

/* What the cache and the trust list know of a file as it is now; never a
 * read of its contents, never a request.  The check of it under way, if
 * there is one; NULL without an error when nothing is known. */
void            cf_session_get_known_async   (CfSession           *self,
                                              GFile               *file,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
CfCheck        *cf_session_get_known_finish  (CfSession           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* The newest @limit entries of the history, read off the main thread. */
void            cf_session_list_history_async  (CfSession           *self,
                                                guint                limit,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray      *cf_session_list_history_finish (CfSession           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Just before a launch: is it still the file that was checked? */
gboolean        cf_session_verify_unchanged  (CfSession           *self,
                                              CfCheck             *check,
                                              GError             **error);
void            cf_session_record_override   (CfSession           *self,
                                              CfCheck             *check,
                                              const char          *override);

/* After a block: the file into the Trash, and back on Undo. */
void            cf_session_trash_async       (CfSession           *self,
                                              CfCheck             *check,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
CfTrashed      *cf_session_trash_finish      (CfSession           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void            cf_session_restore_async     (CfSession           *self,
                                              CfCheck             *check,
                                              CfTrashed           *trashed,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean        cf_session_restore_finish    (CfSession           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* History: finished checks of earlier, newest first, loaded off the main
 * thread. */
GListModel     *cf_session_get_history       (CfSession           *self);
void            cf_session_load_history      (CfSession           *self,
                                              guint                limit);
void            cf_session_clear_history     (CfSession           *self);
void            cf_session_hide_history      (CfSession           *self);
void            cf_session_restore_history   (CfSession           *self,
                                              guint                limit);
void            cf_session_clear_cache       (CfSession           *self);

/* The trust list.  A change is written off the main thread, then every
 * check of that file in the session is decided again. */
CfTrust         cf_session_get_trust         (CfSession           *self,
                                              const char          *sha256);
GPtrArray      *cf_session_list_trust        (CfSession           *self);
gboolean        cf_session_set_trust         (CfSession           *self,
                                              const char          *sha256,
                                              CfTrust              trust,
                                              const char          *note,
                                              GError             **error);
void            cf_session_set_trust_async   (CfSession           *self,
                                              const char          *sha256,
                                              CfTrust              trust,
                                              const char          *note,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean        cf_session_set_trust_finish  (CfSession           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* For tests and the bench: what the session is made of. */
CfStore        *cf_session_get_store         (CfSession           *self);
CfScheduler    *cf_session_get_scheduler     (CfSession           *self);

G_END_DECLS
