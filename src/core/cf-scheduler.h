/* cf-scheduler.h: one request budget for every Check First process
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-store.h"

G_BEGIN_DECLS

#define CF_SCHEDULER_ERROR (cf_scheduler_error_quark ())

typedef enum
{
  CF_SCHEDULER_ERROR_WAIT_EXCEEDED,
} CfSchedulerError;

/* Lower runs first: a file about to be opened goes ahead of batches. */
typedef enum
{
  CF_PRIORITY_INTERACTIVE,
  CF_PRIORITY_DOWNLOAD,      /* a new file in a watched folder */
  CF_PRIORITY_BATCH,
  CF_PRIORITY_BACKGROUND,
} CfPriority;

/* What the first request in the queue waits for. */
typedef enum
{
  CF_WAIT_NONE,
  CF_WAIT_MINUTE,      /* the per-minute budget */
  CF_WAIT_DAY,
  CF_WAIT_MONTH,
  CF_WAIT_PAUSED,      /* VirusTotal answered 429 */
  CF_WAIT_DATABASE,    /* another program holds the database */
} CfWaitKind;

/* Wall-clock time in microseconds since the epoch, UTC. */
typedef gint64 (*CfClockFunc) (gpointer user_data);

typedef struct
{
  guint  per_minute;       /* 0 = no limit */
  guint  per_day;
  guint  per_month;
  guint  minute_used;
  guint  day_used;
  guint  month_used;
  gint64 minute_reset;     /* microseconds since the epoch, UTC */
  gint64 day_reset;
  gint64 month_reset;
  gint64 paused_until;     /* 0 when not paused */
} CfQuotaUsage;

#define CF_TYPE_SCHEDULER (cf_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (CfScheduler, cf_scheduler, CF, SCHEDULER, GObject)

GQuark        cf_scheduler_error_quark    (void);

CfScheduler  *cf_scheduler_new            (CfStore             *store);
void          cf_scheduler_set_limits     (CfScheduler         *self,
                                           guint                per_minute,
                                           guint                per_day,
                                           guint                per_month);
void          cf_scheduler_set_clock      (CfScheduler         *self,
                                           CfClockFunc          clock,
                                           gpointer             clock_data);
void          cf_scheduler_set_max_wait   (CfScheduler         *self,
                                           gint64               seconds);
gint64        cf_scheduler_now            (CfScheduler         *self);

void          cf_scheduler_acquire_async  (CfScheduler         *self,
                                           CfPriority           priority,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      cf_scheduler_acquire_finish (CfScheduler         *self,
                                           GAsyncResult        *result,
                                           GError             **error);
/* A slot now, or FALSE at once, never queued: for a request that can as
 * well go later (reading the account's allowance), so that it never
 * delays one that someone waits for. */
gboolean      cf_scheduler_try_acquire    (CfScheduler         *self);
/* Looks at the queue again now, rather than when the timer fires: for a
 * clock set with cf_scheduler_set_clock() that jumps. */
void          cf_scheduler_poke           (CfScheduler         *self);

void          cf_scheduler_pause_until    (CfScheduler         *self,
                                           gint64               until);
gint64        cf_scheduler_get_wait_until (CfScheduler         *self);
const char   *cf_scheduler_get_wait_reason (CfScheduler        *self);
CfWaitKind    cf_scheduler_get_wait_kind  (CfScheduler         *self);
void          cf_scheduler_get_limits     (CfScheduler         *self,
                                           guint               *per_minute,
                                           guint               *per_day,
                                           guint               *per_month);
/* The queue, for people waiting in it ("3 ahead"): how many requests wait,
 * and where each caller's is.  "queue-changed" is emitted when it moves. */
guint         cf_scheduler_get_queue_length (CfScheduler       *self);
GHashTable   *cf_scheduler_get_positions  (CfScheduler         *self);
void          cf_scheduler_get_usage      (CfScheduler         *self,
                                           CfQuotaUsage        *usage);
guint         cf_scheduler_get_spent      (CfScheduler         *self);
gint64        cf_scheduler_estimate       (CfScheduler         *self,
                                           guint                n);

G_END_DECLS
