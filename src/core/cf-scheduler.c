/* cf-scheduler.c: one request budget for every Check First process
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-scheduler"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-scheduler.h"
#include "cf-time.h"

/* The public API's plan: 4 a minute, 500 a day, 15 500 a month. */
#define CF_DEFAULT_PER_MINUTE 4
#define CF_DEFAULT_PER_DAY    500
#define CF_DEFAULT_PER_MONTH  15500

/* Short waits are re-checked every second, so a slot freed by a raised limit
 * shows at once; long ones every minute, so a suspended laptop (whose
 * monotonic timers stand still) does not oversleep midnight by hours. */
#define CF_TIMER_MIN_MS        50
#define CF_TIMER_SHORT_MAX_MS  1000
#define CF_TIMER_LONG_MAX_MS   60000

#define CF_MAX_WAIT_LIMIT_S    ((gint64) 10 * 365 * 86400)

/* How soon a database another program holds is tried again. */
#define CF_DATABASE_RETRY_US   (500 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  GTask      *task;
  CfPriority  priority;
  guint64     sequence;
  gint64      enqueued;
  GSource    *cancel_source;
} CfRequest;

struct _CfScheduler
{
  GObject       parent_instance;

  CfStore      *store;
  GMainContext *context;

  guint         per_minute;
  guint         per_day;
  guint         per_month;
  gint64        max_wait;       /* microseconds, 0 = forever */
  CfClockFunc   clock;
  gpointer      clock_data;

  GQueue        queue;          /* CfRequest, by priority then arrival */
  guint64       next_sequence;
  GSource      *timer;

  gint64        wait_until;
  CfWaitKind  wait_reason;
  guint         spent;

  gboolean      processing;
  gboolean      process_again;
  gboolean      queue_changed;  /* since "queue-changed" was last emitted */
};

G_DEFINE_FINAL_TYPE (CfScheduler, cf_scheduler, G_TYPE_OBJECT)

G_DEFINE_QUARK (cf-scheduler-error-quark, cf_scheduler_error)

enum {
  PROP_0,
  PROP_STORE,
  PROP_WAIT_UNTIL,
  PROP_WAIT_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_QUEUE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void cf_scheduler_process (CfScheduler *self);

static void
cf_request_free (CfRequest *request)
{
  if (request->cancel_source != NULL)
    {
      g_source_destroy (request->cancel_source);
      g_source_unref (request->cancel_source);
    }
  g_clear_object (&request->task);
  g_free (request);
}

/* Takes @error; NULL means the slot is the caller's. */
static void
cf_request_finish (CfRequest *request,
                   GError    *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&request->task);

  cf_request_free (request);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static int
cf_request_compare (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const CfRequest *ra = a;
  const CfRequest *rb = b;

  if (ra->priority != rb->priority)
    return ra->priority < rb->priority ? -1 : 1;

  return ra->sequence < rb->sequence ? -1 : ra->sequence > rb->sequence;
}

static const char *
cf_wait_reason_to_string (CfWaitKind reason)
{
  switch (reason)
    {
    case CF_WAIT_MINUTE:
      return _("Waiting for the per-minute request budget");
    case CF_WAIT_DAY:
      return _("Daily quota reached, resumes at 00:00 UTC");
    case CF_WAIT_MONTH:
      return _("Monthly quota reached, resumes on the 1st");
    case CF_WAIT_PAUSED:
      return _("VirusTotal says the request quota is used up (HTTP 429)");
    case CF_WAIT_DATABASE:
      return _("Waiting for the database: another program is using it");
    case CF_WAIT_NONE:
    default:
      return NULL;
    }
}

static void
cf_scheduler_dispose (GObject *object)
{
  CfScheduler *self = CF_SCHEDULER (object);
  CfRequest *request;

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }

  /* Each request holds a reference, so this only happens through
   * g_object_run_dispose(). */
  while ((request = g_queue_pop_head (&self->queue)) != NULL)
    cf_request_finish (request, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     _("The request was dropped")));

  G_OBJECT_CLASS (cf_scheduler_parent_class)->dispose (object);
}

static void
cf_scheduler_finalize (GObject *object)
{
  CfScheduler *self = CF_SCHEDULER (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (cf_scheduler_parent_class)->finalize (object);
}

static void
cf_scheduler_constructed (GObject *object)
{
  CfScheduler *self = CF_SCHEDULER (object);

  G_OBJECT_CLASS (cf_scheduler_parent_class)->constructed (object);

  if (self->store == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->store = cf_store_open (":memory:", &error);
      if (self->store == NULL)
        g_warning ("Could not create a private request budget: %s", error->message);
    }
}

static void
cf_scheduler_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CfScheduler *self = CF_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_WAIT_UNTIL:
      g_value_set_int64 (value, self->wait_until);
      break;

    case PROP_WAIT_REASON:
      g_value_set_string (value, cf_wait_reason_to_string (self->wait_reason));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_scheduler_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CfScheduler *self = CF_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_scheduler_class_init (CfSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cf_scheduler_constructed;
  object_class->dispose = cf_scheduler_dispose;
  object_class->finalize = cf_scheduler_finalize;
  object_class->get_property = cf_scheduler_get_property;
  object_class->set_property = cf_scheduler_set_property;

  /**
   * CfScheduler:store:
   *
   * Where the slots are counted; shared by every process that opens the
   * same file.  NULL gives the scheduler a budget of its own, in memory.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CF_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * CfScheduler:wait-until:
   *
   * When the first request in the queue may go, in microseconds since the
   * epoch, UTC; 0 when nothing waits.  For a countdown.
   */
  properties[PROP_WAIT_UNTIL] =
    g_param_spec_int64 ("wait-until", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CfScheduler:wait-reason:
   *
   * Why the first request waits, in words for people; NULL when nothing
   * waits.
   */
  properties[PROP_WAIT_REASON] =
    g_param_spec_string ("wait-reason", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CfScheduler::queue-changed:
   *
   * A request joined the queue or left it: the positions in it moved.
   */
  signals[SIGNAL_QUEUE_CHANGED] =
    g_signal_new ("queue-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cf_scheduler_init (CfScheduler *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->per_minute = CF_DEFAULT_PER_MINUTE;
  self->per_day = CF_DEFAULT_PER_DAY;
  self->per_month = CF_DEFAULT_PER_MONTH;
  g_queue_init (&self->queue);
}

CfScheduler *
cf_scheduler_new (CfStore *store)
{
  g_return_val_if_fail (store == NULL || CF_IS_STORE (store), NULL);

  return g_object_new (CF_TYPE_SCHEDULER, "store", store, NULL);
}

void
cf_scheduler_set_limits (CfScheduler *self,
                         guint        per_minute,
                         guint        per_day,
                         guint        per_month)
{
  g_return_if_fail (CF_IS_SCHEDULER (self));

  self->per_minute = per_minute;
  self->per_day = per_day;
  self->per_month = per_month;

  cf_scheduler_process (self);
}

void
cf_scheduler_set_clock (CfScheduler *self,
                        CfClockFunc  clock,
                        gpointer     clock_data)
{
  g_return_if_fail (CF_IS_SCHEDULER (self));

  self->clock = clock;
  self->clock_data = clock != NULL ? clock_data : NULL;

  cf_scheduler_process (self);
}

void
cf_scheduler_set_max_wait (CfScheduler *self,
                           gint64       seconds)
{
  g_return_if_fail (CF_IS_SCHEDULER (self));

  /* Beyond a few years, "forever" is what anyone means; it also keeps the
   * deadline arithmetic far from overflowing. */
  if (seconds <= 0 || seconds > CF_MAX_WAIT_LIMIT_S)
    self->max_wait = 0;
  else
    self->max_wait = seconds * G_USEC_PER_SEC;

  cf_scheduler_process (self);
}

gint64
cf_scheduler_now (CfScheduler *self)
{
  g_return_val_if_fail (CF_IS_SCHEDULER (self), 0);

  if (self->clock != NULL)
    return self->clock (self->clock_data);

  return g_get_real_time ();
}

static void
cf_scheduler_set_waiting (CfScheduler  *self,
                          gint64        until,
                          CfWaitKind  reason)
{
  g_object_freeze_notify (G_OBJECT (self));

  if (self->wait_until != until)
    {
      self->wait_until = until;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAIT_UNTIL]);
    }

  if (self->wait_reason != reason)
    {
      self->wait_reason = reason;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAIT_REASON]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

/* The store only says when; this works out why, for the people waiting.  The
 * blocker that ends last is the reason; the minute window is what is left. */
static CfWaitKind
cf_scheduler_classify (CfScheduler *self,
                       gint64       now,
                       gint64       retry_at)
{
  CfWaitKind reason = CF_WAIT_MINUTE;
  gint64 latest = 0;
  gint64 paused_until;
  gint64 day_reset = 0;
  gint64 month_reset = 0;
  guint day = 0;
  guint month = 0;

  paused_until = cf_store_get_paused_until (self->store);
  cf_store_count_slots (self->store, now, NULL, &day, &month);
  cf_store_get_slot_resets (self->store, now, NULL, &day_reset, &month_reset);

  if (paused_until > now)
    {
      reason = CF_WAIT_PAUSED;
      latest = paused_until;
    }
  if (self->per_day > 0 && day >= self->per_day && day_reset > latest)
    {
      reason = CF_WAIT_DAY;
      latest = day_reset;
    }
  if (self->per_month > 0 && month >= self->per_month && month_reset >= latest)
    {
      reason = CF_WAIT_MONTH;
      latest = month_reset;
    }

  return latest >= retry_at ? reason : CF_WAIT_MINUTE;
}

static GError *
cf_scheduler_overdue_error (CfScheduler  *self,
                            CfRequest    *request,
                            gint64        now,
                            gint64        retry_at,
                            CfWaitKind  reason)
{
  g_autofree char *remaining = cf_format_duration (retry_at - now);
  g_autofree char *waited = NULL;
  g_autofree char *allowed = NULL;

  switch (reason)
    {
    case CF_WAIT_DAY:
      return g_error_new (CF_SCHEDULER_ERROR, CF_SCHEDULER_ERROR_WAIT_EXCEEDED,
                          _("Daily quota reached; requests resume at 00:00 UTC (in %s)"),
                          remaining);

    case CF_WAIT_MONTH:
      return g_error_new (CF_SCHEDULER_ERROR, CF_SCHEDULER_ERROR_WAIT_EXCEEDED,
                          _("Monthly quota reached; requests resume on the 1st at 00:00 UTC "
                            "(in %s)"),
                          remaining);

    case CF_WAIT_PAUSED:
      {
        g_autofree char *until = cf_format_moment (retry_at, now);

        allowed = cf_format_duration (self->max_wait);
        return g_error_new (CF_SCHEDULER_ERROR, CF_SCHEDULER_ERROR_WAIT_EXCEEDED,
                            _("VirusTotal says the request quota is used up (HTTP 429) and asks to "
                              "wait until %s (%s), longer than the wait you allow (%s)"),
                            until, remaining, allowed);
      }

    case CF_WAIT_DATABASE:
      waited = cf_format_duration (now - request->enqueued);
      return g_error_new (CF_SCHEDULER_ERROR, CF_SCHEDULER_ERROR_WAIT_EXCEEDED,
                          _("Gave up after waiting %s: another program kept the database busy"),
                          waited);

    case CF_WAIT_MINUTE:
    case CF_WAIT_NONE:
    default:
      break;
    }

  if (now - request->enqueued >= G_USEC_PER_SEC)
    {
      waited = cf_format_duration (now - request->enqueued);
      return g_error_new (CF_SCHEDULER_ERROR, CF_SCHEDULER_ERROR_WAIT_EXCEEDED,
                          _("Gave up after waiting %s for the request budget"), waited);
    }

  allowed = cf_format_duration (self->max_wait);
  return g_error_new (CF_SCHEDULER_ERROR, CF_SCHEDULER_ERROR_WAIT_EXCEEDED,
                      _("The request budget is spent; the next request could go in %s, "
                        "longer than the allowed wait of %s"),
                      remaining, allowed);
}

/* Every request queued behind the first waits at least until @retry_at, so
 * any whose deadline comes sooner can be told now instead of later. */
static void
cf_scheduler_drop_overdue (CfScheduler  *self,
                           gint64        now,
                           gint64        retry_at,
                           CfWaitKind  reason)
{
  g_autoptr(GPtrArray) overdue = g_ptr_array_new ();

  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      CfRequest *request = l->data;

      if (retry_at > request->enqueued + self->max_wait)
        g_ptr_array_add (overdue, request);
    }

  /* Out of the queue first: a callback may queue again. */
  for (guint i = 0; i < overdue->len; i++)
    g_queue_remove (&self->queue, g_ptr_array_index (overdue, i));
  if (overdue->len > 0)
    self->queue_changed = TRUE;

  for (guint i = 0; i < overdue->len; i++)
    {
      CfRequest *request = g_ptr_array_index (overdue, i);

      cf_request_finish (request,
                         cf_scheduler_overdue_error (self, request, now, retry_at, reason));
    }
}

static gboolean
cf_scheduler_timer_cb (gpointer user_data)
{
  CfScheduler *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  cf_scheduler_process (self);

  return G_SOURCE_REMOVE;
}

static void
cf_scheduler_arm_timer (CfScheduler  *self,
                        gint64        now,
                        gint64        retry_at,
                        CfWaitKind  reason)
{
  gint64 delay_ms = (retry_at - now + 999) / 1000;
  gint64 max_ms = reason == CF_WAIT_DAY || reason == CF_WAIT_MONTH ? CF_TIMER_LONG_MAX_MS
                                                                   : CF_TIMER_SHORT_MAX_MS;

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }

  /* The delay comes from our own clock, which tests may have faked. */
  self->timer = g_timeout_source_new ((guint) CLAMP (delay_ms, CF_TIMER_MIN_MS, max_ms));
  g_source_set_callback (self->timer, cf_scheduler_timer_cb, self, NULL);
  g_source_set_static_name (self->timer, "[check-first] request budget");
  g_source_attach (self->timer, self->context);
}

static void
cf_scheduler_process_once (CfScheduler *self)
{
  gint64 now = cf_scheduler_now (self);
  CfRequest *head;

  while ((head = g_queue_peek_head (&self->queue)) != NULL)
    {
      g_autoptr(GError) error = NULL;
      CfWaitKind reason;
      gint64 retry_at = 0;

      if (self->store == NULL)
        {
          g_queue_pop_head (&self->queue);
          self->queue_changed = TRUE;
          cf_request_finish (head, g_error_new_literal (CF_STORE_ERROR, CF_STORE_ERROR_OPEN,
                                                        _("The request budget is not available")));
          continue;
        }

      if (cf_store_try_reserve_slot (self->store, now,
                                     self->per_minute, self->per_day, self->per_month,
                                     &retry_at, &error))
        {
          g_queue_pop_head (&self->queue);
          self->queue_changed = TRUE;
          self->spent++;
          cf_request_finish (head, NULL);
          continue;
        }

      if (g_error_matches (error, CF_STORE_ERROR, CF_STORE_ERROR_BUSY))
        {
          /* Another program holds the database: the window does not wait
           * on it, it comes back. */
          retry_at = now + CF_DATABASE_RETRY_US;
          reason = CF_WAIT_DATABASE;
        }
      else if (error != NULL)
        {
          g_queue_pop_head (&self->queue);
          self->queue_changed = TRUE;
          cf_request_finish (head, g_steal_pointer (&error));
          continue;
        }
      else
        reason = cf_scheduler_classify (self, now, retry_at);

      if (self->max_wait > 0)
        {
          cf_scheduler_drop_overdue (self, now, retry_at, reason);
          if (g_queue_is_empty (&self->queue))
            break;
        }

      cf_scheduler_set_waiting (self, retry_at, reason);
      cf_scheduler_arm_timer (self, now, retry_at, reason);
      return;
    }

  cf_scheduler_set_waiting (self, 0, CF_WAIT_NONE);
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
}

/* Completing a request runs its callback, which may queue another or change
 * the limits: that only asks for one more round. */
static void
cf_scheduler_process (CfScheduler *self)
{
  g_autoptr(CfScheduler) hold = NULL;

  if (self->processing)
    {
      self->process_again = TRUE;
      return;
    }

  hold = g_object_ref (self);
  self->processing = TRUE;

  do
    {
      self->process_again = FALSE;
      cf_scheduler_process_once (self);
    }
  while (self->process_again);

  self->processing = FALSE;

  /* Once for all that moved in this round. */
  if (self->queue_changed)
    {
      self->queue_changed = FALSE;
      g_signal_emit (self, signals[SIGNAL_QUEUE_CHANGED], 0);
    }
}

void
cf_scheduler_poke (CfScheduler *self)
{
  g_return_if_fail (CF_IS_SCHEDULER (self));

  cf_scheduler_process (self);
}

static gboolean
cf_scheduler_cancelled_cb (GCancellable *cancellable,
                           gpointer      user_data)
{
  CfRequest *request = user_data;
  g_autoptr(CfScheduler) self = g_object_ref (g_task_get_source_object (request->task));
  g_autoptr(GTask) task = g_object_ref (request->task);

  g_queue_remove (&self->queue, request);
  self->queue_changed = TRUE;
  cf_request_free (request);

  g_task_return_error_if_cancelled (task);
  cf_scheduler_process (self);

  return G_SOURCE_REMOVE;
}

/* Runs in the scheduler's own context, whichever thread asked. */
static gboolean
cf_scheduler_enqueue_cb (gpointer user_data)
{
  CfRequest *request = user_data;
  CfScheduler *self = g_task_get_source_object (request->task);
  GCancellable *cancellable = g_task_get_cancellable (request->task);

  if (g_task_return_error_if_cancelled (request->task))
    {
      cf_request_free (request);
      return G_SOURCE_REMOVE;
    }

  request->sequence = self->next_sequence++;
  request->enqueued = cf_scheduler_now (self);

  if (cancellable != NULL)
    {
      request->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (request->cancel_source, G_SOURCE_FUNC (cf_scheduler_cancelled_cb),
                             request, NULL);
      g_source_set_static_name (request->cancel_source, "[check-first] request cancelled");
      g_source_attach (request->cancel_source, self->context);
    }

  g_queue_insert_sorted (&self->queue, request, cf_request_compare, NULL);
  self->queue_changed = TRUE;
  cf_scheduler_process (self);

  return G_SOURCE_REMOVE;
}

void
cf_scheduler_acquire_async (CfScheduler         *self,
                            CfPriority           priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CfRequest *request;

  g_return_if_fail (CF_IS_SCHEDULER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_scheduler_acquire_async);

  request = g_new0 (CfRequest, 1);
  request->task = g_steal_pointer (&task);
  request->priority = priority;

  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT,
                              cf_scheduler_enqueue_cb, request, NULL);
}

gboolean
cf_scheduler_acquire_finish (CfScheduler   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (CF_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cf_scheduler_acquire_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
cf_scheduler_try_acquire (CfScheduler *self)
{
  g_autoptr(GError) error = NULL;
  gint64 retry_at = 0;

  g_return_val_if_fail (CF_IS_SCHEDULER (self), FALSE);

  /* Never ahead of anyone already waiting. */
  if (self->store == NULL || !g_queue_is_empty (&self->queue))
    return FALSE;
  if (!cf_store_try_reserve_slot (self->store, cf_scheduler_now (self),
                                  self->per_minute, self->per_day, self->per_month,
                                  &retry_at, &error))
    return FALSE;
  self->spent++;
  return TRUE;
}

void
cf_scheduler_pause_until (CfScheduler *self,
                          gint64       until)
{
  g_return_if_fail (CF_IS_SCHEDULER (self));

  if (self->store != NULL)
    cf_store_set_paused_until (self->store, until);

  cf_scheduler_process (self);
}

gint64
cf_scheduler_get_wait_until (CfScheduler *self)
{
  g_return_val_if_fail (CF_IS_SCHEDULER (self), 0);

  return self->wait_until;
}

const char *
cf_scheduler_get_wait_reason (CfScheduler *self)
{
  g_return_val_if_fail (CF_IS_SCHEDULER (self), NULL);

  return cf_wait_reason_to_string (self->wait_reason);
}

CfWaitKind
cf_scheduler_get_wait_kind (CfScheduler *self)
{
  g_return_val_if_fail (CF_IS_SCHEDULER (self), CF_WAIT_NONE);

  return self->wait_reason;
}

void
cf_scheduler_get_limits (CfScheduler *self,
                         guint       *per_minute,
                         guint       *per_day,
                         guint       *per_month)
{
  g_return_if_fail (CF_IS_SCHEDULER (self));

  if (per_minute != NULL)
    *per_minute = self->per_minute;
  if (per_day != NULL)
    *per_day = self->per_day;
  if (per_month != NULL)
    *per_month = self->per_month;
}

guint
cf_scheduler_get_queue_length (CfScheduler *self)
{
  g_return_val_if_fail (CF_IS_SCHEDULER (self), 0);

  return self->queue.length;
}

/* Where each caller's request is: its cancellable (the one it asked
 * with) to GUINT_TO_POINTER (requests ahead of it + 1), for the first
 * request of each; requests without one are counted but not listed.  One
 * walk of the queue, however many ask. */
GHashTable *
cf_scheduler_get_positions (CfScheduler *self)
{
  GHashTable *positions;
  guint ahead = 0;

  g_return_val_if_fail (CF_IS_SCHEDULER (self), NULL);

  positions = g_hash_table_new (NULL, NULL);
  for (GList *l = self->queue.head; l != NULL; l = l->next, ahead++)
    {
      CfRequest *request = l->data;
      GCancellable *cancellable = g_task_get_cancellable (request->task);

      if (cancellable != NULL && !g_hash_table_contains (positions, cancellable))
        g_hash_table_insert (positions, cancellable, GUINT_TO_POINTER (ahead + 1));
    }

  return positions;
}

void
cf_scheduler_get_usage (CfScheduler  *self,
                        CfQuotaUsage *usage)
{
  gint64 now;
  gint64 paused_until;

  g_return_if_fail (CF_IS_SCHEDULER (self));
  g_return_if_fail (usage != NULL);

  now = cf_scheduler_now (self);

  *usage = (CfQuotaUsage) {
    .per_minute = self->per_minute,
    .per_day = self->per_day,
    .per_month = self->per_month,
    .minute_reset = now,
    .day_reset = now,
    .month_reset = now,
  };

  if (self->store == NULL)
    return;

  cf_store_count_slots (self->store, now,
                        &usage->minute_used, &usage->day_used, &usage->month_used);
  cf_store_get_slot_resets (self->store, now,
                            &usage->minute_reset, &usage->day_reset, &usage->month_reset);

  paused_until = cf_store_get_paused_until (self->store);
  usage->paused_until = paused_until > now ? paused_until : 0;
}

guint
cf_scheduler_get_spent (CfScheduler *self)
{
  g_return_val_if_fail (CF_IS_SCHEDULER (self), 0);

  return self->spent;
}

/* About how long @n more requests take within the budget from now, in
 * microseconds: today's allowance first, then a day's at a time, each at
 * the per-minute rate; a month's allowance used up waits for the 1st.
 * -1 when there is no limit, so no wait to foresee. */
gint64
cf_scheduler_estimate (CfScheduler *self,
                       guint        n)
{
  CfQuotaUsage usage;
  gint64 now;
  gint64 until;
  guint month_left;
  guint total = n;

  g_return_val_if_fail (CF_IS_SCHEDULER (self), -1);

  cf_scheduler_get_usage (self, &usage);
  if (usage.per_minute == 0 && usage.per_day == 0 && usage.per_month == 0)
    return -1;

  now = cf_scheduler_now (self);
  until = MAX (now, usage.paused_until);
  month_left = usage.per_month > usage.month_used ? usage.per_month - usage.month_used : 0;

  if (usage.per_day > 0)
    {
      guint today_left = usage.per_day > usage.day_used ? usage.per_day - usage.day_used : 0;

      if (n > today_left)
        {
          guint days = (n - today_left + usage.per_day - 1) / usage.per_day;

          until = usage.day_reset + (gint64) (days - 1) * 86400 * G_USEC_PER_SEC;
          n = n - today_left - (days - 1) * usage.per_day;
        }
    }
  if (usage.per_minute > 0)
    until += (gint64) n * 60 * G_USEC_PER_SEC / usage.per_minute;
  if (usage.per_month > 0 && total > month_left)
    until = MAX (until, usage.month_reset);

  return until - now;
}
