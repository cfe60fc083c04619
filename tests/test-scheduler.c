/* test-scheduler.c: tests for the shared request budget
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-scheduler.h"
#include "cf-time.h"

#define SEC    ((gint64) G_USEC_PER_SEC)
/* The store's minute window, a second longer than a minute (see cf-store.c). */
#define MINUTE (61 * SEC)

/* The scheduler's clock in these tests: it moves only when told. */
typedef struct
{
  gint64 now;
} FakeClock;

static gint64
fake_clock_now (gpointer user_data)
{
  FakeClock *clock = user_data;

  return clock->now;
}

static gint64
utc (int year,
     int month,
     int day,
     int hour,
     int minute,
     int second)
{
  g_autoptr(GDateTime) t = g_date_time_new_utc (year, month, day, hour, minute, second);

  return g_date_time_to_unix (t) * G_USEC_PER_SEC;
}

/* One acquire, and what became of it. */
typedef struct
{
  char      *label;
  GPtrArray *finished_order;   /* not owned */
  gboolean   finished;
  gboolean   ok;
  GError    *error;
} Ticket;

static void
ticket_free (Ticket *ticket)
{
  g_free (ticket->label);
  g_clear_error (&ticket->error);
  g_free (ticket);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ticket, ticket_free)

static void
ticket_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Ticket *ticket = user_data;

  g_assert_false (ticket->finished);
  ticket->ok = cf_scheduler_acquire_finish (CF_SCHEDULER (object), result, &ticket->error);
  ticket->finished = TRUE;
  g_assert_true (ticket->ok == (ticket->error == NULL));
  if (ticket->finished_order != NULL)
    g_ptr_array_add (ticket->finished_order, ticket->label);
}

static Ticket *
acquire (CfScheduler  *scheduler,
         CfPriority    priority,
         const char   *label,
         GPtrArray    *finished_order,
         GCancellable *cancellable)
{
  Ticket *ticket = g_new0 (Ticket, 1);

  ticket->label = g_strdup (label);
  ticket->finished_order = finished_order;
  cf_scheduler_acquire_async (scheduler, priority, cancellable, ticket_done_cb, ticket);
  return ticket;
}

/* Runs whatever is ready now, without waiting for any timer. */
static void
flush (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static CfScheduler *
make_scheduler (FakeClock *clock,
                guint      per_minute,
                guint      per_day,
                guint      per_month)
{
  CfScheduler *scheduler = cf_scheduler_new (NULL);

  cf_scheduler_set_clock (scheduler, fake_clock_now, clock);
  cf_scheduler_set_limits (scheduler, per_minute, per_day, per_month);
  return scheduler;
}

static void
advance (CfScheduler *scheduler,
         FakeClock   *clock,
         gint64       usec)
{
  clock->now += usec;
  cf_scheduler_poke (scheduler);
  flush ();
}

static void
test_defaults (void)
{
  g_autoptr(CfScheduler) scheduler = cf_scheduler_new (NULL);
  CfQuotaUsage usage;
  gint64 before = g_get_real_time ();
  gint64 now = cf_scheduler_now (scheduler);

  /* The public API's plan, and the real clock. */
  cf_scheduler_get_usage (scheduler, &usage);
  g_assert_cmpuint (usage.per_minute, ==, 4);
  g_assert_cmpuint (usage.per_day, ==, 500);
  g_assert_cmpuint (usage.per_month, ==, 15500);
  g_assert_cmpint (now, >=, before);
  g_assert_cmpint (now, <=, g_get_real_time ());
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), ==, 0);
  g_assert_null (cf_scheduler_get_wait_reason (scheduler));
  g_assert_cmpuint (cf_scheduler_get_spent (scheduler), ==, 0);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_unlimited (void)
{
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 0, 0, 0);
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) ticket_free);
  guint notifications = 0;

  g_signal_connect (scheduler, "notify::wait-until", G_CALLBACK (count_notify_cb),
                    &notifications);

  for (guint i = 0; i < 200; i++)
    g_ptr_array_add (tickets, acquire (scheduler, CF_PRIORITY_BATCH, "t", NULL, NULL));
  flush ();

  for (guint i = 0; i < tickets->len; i++)
    {
      Ticket *ticket = g_ptr_array_index (tickets, i);

      g_assert_true (ticket->finished);
      g_assert_no_error (ticket->error);
    }
  g_assert_cmpuint (cf_scheduler_get_spent (scheduler), ==, 200);
  g_assert_cmpuint (notifications, ==, 0);
}

typedef struct
{
  const char *name;
  const char *queued;     /* i = interactive, b = batch, g = background */
  const char *expected;   /* the order they get a slot in */
} PriorityCase;

static const PriorityCase priority_cases[] = {
  { "fifo", "bbbb", "b0 b1 b2 b3" },
  { "reverse", "gbi", "i2 b1 g0" },
  { "mixed", "bgibig", "i2 i4 b0 b3 g1 g5" },
  { "interactive-last", "gggbbi", "i5 b3 b4 g0 g1 g2" },
};

static CfPriority
priority_from_letter (char letter)
{
  switch (letter)
    {
    case 'i':
      return CF_PRIORITY_INTERACTIVE;
    case 'b':
      return CF_PRIORITY_BATCH;
    case 'g':
      return CF_PRIORITY_BACKGROUND;
    default:
      g_assert_not_reached ();
    }
}

static void
test_priority (gconstpointer data)
{
  const PriorityCase *test = data;
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 1, 0, 0);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) ticket_free);
  g_autoptr(Ticket) first = NULL;
  g_autofree char *joined = NULL;
  guint n = strlen (test->queued);

  /* Spend this minute's only slot, so everything after has to queue. */
  first = acquire (scheduler, CF_PRIORITY_BACKGROUND, "first", NULL, NULL);
  flush ();
  g_assert_true (first->finished);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = g_strdup_printf ("%c%u", test->queued[i], i);

      g_ptr_array_add (tickets, acquire (scheduler, priority_from_letter (test->queued[i]),
                                         label, order, NULL));
    }
  flush ();
  g_assert_cmpuint (order->len, ==, 0);

  /* One slot a minute: one request each time the clock moves on. */
  for (guint i = 0; i < n; i++)
    {
      advance (scheduler, &clock, MINUTE);
      g_assert_cmpuint (order->len, ==, i + 1);
    }

  g_ptr_array_add (order, NULL);
  joined = g_strjoinv (" ", (char **) order->pdata);
  g_assert_cmpstr (joined, ==, test->expected);
  g_assert_cmpuint (cf_scheduler_get_spent (scheduler), ==, n + 1);
}

static void
test_wait_then_proceed (void)
{
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  const gint64 start = clock.now;
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 2, 0, 0);
  g_autoptr(Ticket) a = acquire (scheduler, CF_PRIORITY_BATCH, "a", NULL, NULL);
  g_autoptr(Ticket) b = NULL;
  g_autoptr(Ticket) c = NULL;

  clock.now += 5 * SEC;
  b = acquire (scheduler, CF_PRIORITY_BATCH, "b", NULL, NULL);
  c = acquire (scheduler, CF_PRIORITY_BATCH, "c", NULL, NULL);
  flush ();

  g_assert_true (a->finished && a->ok);
  g_assert_true (b->finished && b->ok);
  g_assert_false (c->finished);
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), ==, start + MINUTE);
  g_assert_cmpstr (cf_scheduler_get_wait_reason (scheduler), ==,
                   "Waiting for the per-minute request budget");

  /* A microsecond early is still too early. */
  advance (scheduler, &clock, MINUTE - 5 * SEC - 1);
  g_assert_false (c->finished);

  advance (scheduler, &clock, 1);
  g_assert_true (c->finished);
  g_assert_true (c->ok);
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), ==, 0);
  g_assert_null (cf_scheduler_get_wait_reason (scheduler));
  g_assert_cmpuint (cf_scheduler_get_spent (scheduler), ==, 3);
}

static void
test_day_wait (void)
{
  FakeClock clock = { utc (2026, 3, 14, 23, 59, 58) };
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 0, 2, 0);
  g_autoptr(Ticket) a = acquire (scheduler, CF_PRIORITY_BATCH, "a", NULL, NULL);
  g_autoptr(Ticket) b = acquire (scheduler, CF_PRIORITY_BATCH, "b", NULL, NULL);
  g_autoptr(Ticket) c = acquire (scheduler, CF_PRIORITY_BATCH, "c", NULL, NULL);

  flush ();
  g_assert_true (a->ok && b->ok);
  g_assert_false (c->finished);
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), ==, utc (2026, 3, 15, 0, 0, 0));
  g_assert_cmpstr (cf_scheduler_get_wait_reason (scheduler), ==,
                   "Daily quota reached, resumes at 00:00 UTC");

  advance (scheduler, &clock, SEC);
  g_assert_false (c->finished);
  advance (scheduler, &clock, SEC);
  g_assert_true (c->finished && c->ok);
}

static void
test_month_wait (void)
{
  FakeClock clock = { utc (2026, 12, 31, 23, 0, 0) };
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 0, 0, 1);
  g_autoptr(Ticket) a = acquire (scheduler, CF_PRIORITY_BATCH, "a", NULL, NULL);
  g_autoptr(Ticket) b = acquire (scheduler, CF_PRIORITY_BATCH, "b", NULL, NULL);

  flush ();
  g_assert_true (a->ok);
  g_assert_false (b->finished);
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), ==, utc (2027, 1, 1, 0, 0, 0));
  g_assert_cmpstr (cf_scheduler_get_wait_reason (scheduler), ==,
                   "Monthly quota reached, resumes on the 1st");

  advance (scheduler, &clock, 3600 * SEC);
  g_assert_true (b->finished && b->ok);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Without a poke: the scheduler's own timer, armed from its own clock. */
static void
test_timer (void)
{
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  const gint64 start = clock.now;
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 1, 0, 0);
  g_autoptr(Ticket) a = acquire (scheduler, CF_PRIORITY_BATCH, "a", NULL, NULL);
  g_autoptr(Ticket) b = NULL;
  gboolean timed_out = FALSE;
  guint timeout_id;

  flush ();
  g_assert_true (a->ok);

  /* 100 ms before the slot frees, by the fake clock. */
  clock.now = start + MINUTE - 100 * 1000;
  b = acquire (scheduler, CF_PRIORITY_BATCH, "b", NULL, NULL);
  flush ();
  g_assert_false (b->finished);

  /* Nothing pokes the scheduler from here on: only its own timer can let b
   * go.  The timeout is a bound against a hang, not a measurement. */
  clock.now = start + MINUTE;
  timeout_id = g_timeout_add_seconds (30, timeout_cb, &timed_out);
  while (!b->finished && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (timeout_id);
  g_assert_true (b->ok);
}

static void
test_cancel (void)
{
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 1, 0, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(Ticket) first = acquire (scheduler, CF_PRIORITY_BATCH, "first", NULL, NULL);
  g_autoptr(Ticket) waiting = NULL;
  g_autoptr(Ticket) behind = NULL;
  g_autoptr(Ticket) early = NULL;

  flush ();
  g_assert_true (first->ok);

  waiting = acquire (scheduler, CF_PRIORITY_INTERACTIVE, "waiting", NULL, cancellable);
  behind = acquire (scheduler, CF_PRIORITY_BATCH, "behind", NULL, NULL);
  flush ();
  g_assert_false (waiting->finished);
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), !=, 0);

  g_cancellable_cancel (cancellable);
  flush ();
  g_assert_true (waiting->finished);
  g_assert_error (waiting->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (behind->finished);
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), !=, 0);

  /* Cancelled before it was even asked. */
  g_cancellable_cancel (cancelled);
  early = acquire (scheduler, CF_PRIORITY_INTERACTIVE, "early", NULL, cancelled);
  flush ();
  g_assert_true (early->finished);
  g_assert_error (early->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  advance (scheduler, &clock, MINUTE);
  g_assert_true (behind->finished && behind->ok);
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), ==, 0);

  /* Cancelled requests spent nothing. */
  g_assert_cmpuint (cf_scheduler_get_spent (scheduler), ==, 2);
}

static void
test_cancel_last (void)
{
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 1, 0, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(Ticket) first = acquire (scheduler, CF_PRIORITY_BATCH, "first", NULL, NULL);
  g_autoptr(Ticket) waiting = acquire (scheduler, CF_PRIORITY_BATCH, "waiting", NULL,
                                       cancellable);

  flush ();
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), !=, 0);

  /* Nothing left to wait for. */
  g_cancellable_cancel (cancellable);
  flush ();
  g_assert_error (waiting->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), ==, 0);
  g_assert_null (cf_scheduler_get_wait_reason (scheduler));
}

typedef struct
{
  const char *name;
  gint64      start;
  guint       per_minute;
  guint       per_day;
  guint       per_month;
  gint64      pause_for;     /* seconds, 0 = no pause */
  gint64      max_wait;      /* seconds */
  const char *message;
} MaxWaitCase;

static const MaxWaitCase max_wait_cases[] = {
  { "minute", 0, 1, 0, 0, 0, 30,
    "The request budget is spent; the next request could go in 1 min 1 s, "
    "longer than the allowed wait of 30 s" },
  { "day", 1, 0, 1, 0, 0, 60,
    "Daily quota reached; requests resume at 00:00 UTC (in 3 h 12 min)" },
  { "month", 2, 0, 0, 1, 0, 3600,
    "Monthly quota reached; requests resume on the 1st at 00:00 UTC (in 2 d 1 h)" },
  { "pause", 0, 0, 0, 0, 300, 60,
    "VirusTotal says the request quota is used up (HTTP 429) and asks to wait until TIME (5 min), "
    "longer than the wait you allow (1 min)" },
};

static gint64
max_wait_start (gint64 which)
{
  switch (which)
    {
    case 0:
      return utc (2026, 3, 14, 12, 0, 0);
    case 1:
      return utc (2026, 3, 14, 20, 48, 0);
    case 2:
      return utc (2026, 2, 26, 23, 0, 0);
    default:
      g_assert_not_reached ();
    }
}

static void
test_max_wait (gconstpointer data)
{
  const MaxWaitCase *test = data;
  FakeClock clock = { max_wait_start (test->start) };
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, test->per_minute, test->per_day,
                                                     test->per_month);
  g_autoptr(Ticket) first = NULL;
  g_autoptr(Ticket) second = NULL;

  cf_scheduler_set_max_wait (scheduler, test->max_wait);

  if (test->pause_for > 0)
    cf_scheduler_pause_until (scheduler, clock.now + test->pause_for * SEC);
  else
    {
      first = acquire (scheduler, CF_PRIORITY_BATCH, "first", NULL, NULL);
      flush ();
      g_assert_true (first->ok);
    }

  /* It would wait longer than allowed: it is told so at once. */
  second = acquire (scheduler, CF_PRIORITY_BATCH, "second", NULL, NULL);
  flush ();
  g_assert_true (second->finished);
  g_assert_error (second->error, CF_SCHEDULER_ERROR, CF_SCHEDULER_ERROR_WAIT_EXCEEDED);
  {
    /* The moment it would resume is told on the local clock. */
    g_autofree char *moment = cf_format_moment (clock.now + test->pause_for * SEC, clock.now);
    g_auto(GStrv) parts = g_strsplit (test->message, "TIME", -1);
    g_autofree char *expected = g_strjoinv (moment, parts);

    g_assert_cmpstr (second->error->message, ==, expected);
  }
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), ==, 0);
}

static void
test_max_wait_after_waiting (void)
{
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 1, 0, 0);
  g_autoptr(Ticket) first = acquire (scheduler, CF_PRIORITY_BATCH, "first", NULL, NULL);
  g_autoptr(Ticket) second = NULL;
  g_autoptr(Ticket) third = NULL;

  cf_scheduler_set_max_wait (scheduler, 90);
  flush ();
  g_assert_true (first->ok);

  /* Both could go within 90 s as far as anyone knows yet... */
  second = acquire (scheduler, CF_PRIORITY_BATCH, "second", NULL, NULL);
  third = acquire (scheduler, CF_PRIORITY_BATCH, "third", NULL, NULL);
  flush ();
  g_assert_false (second->finished);
  g_assert_false (third->finished);

  /* ...but once the second has the next slot, the third's is two minutes
   * after it asked. */
  advance (scheduler, &clock, MINUTE);
  g_assert_true (second->finished && second->ok);
  g_assert_true (third->finished);
  g_assert_error (third->error, CF_SCHEDULER_ERROR, CF_SCHEDULER_ERROR_WAIT_EXCEEDED);
  g_assert_cmpstr (third->error->message, ==,
                   "Gave up after waiting 1 min 1 s for the request budget");
}

static void
test_max_wait_within (void)
{
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 1, 0, 0);
  g_autoptr(Ticket) first = acquire (scheduler, CF_PRIORITY_BATCH, "first", NULL, NULL);
  g_autoptr(Ticket) second = NULL;

  cf_scheduler_set_max_wait (scheduler, MINUTE / SEC);
  flush ();

  second = acquire (scheduler, CF_PRIORITY_BATCH, "second", NULL, NULL);
  flush ();
  g_assert_false (second->finished);

  advance (scheduler, &clock, MINUTE);
  g_assert_true (second->finished && second->ok);
}

static void
test_pause_until (void)
{
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "pause.db", NULL);
  g_autoptr(CfStore) store = cf_store_open (path, NULL);
  g_autoptr(CfStore) other_store = cf_store_open (path, NULL);
  g_autoptr(CfScheduler) scheduler = cf_scheduler_new (store);
  g_autoptr(CfScheduler) other = cf_scheduler_new (other_store);
  g_autoptr(Ticket) mine = NULL;
  g_autoptr(Ticket) theirs = NULL;
  const gint64 until = clock.now + 120 * SEC;
  CfQuotaUsage usage;

  cf_scheduler_set_clock (scheduler, fake_clock_now, &clock);
  cf_scheduler_set_clock (other, fake_clock_now, &clock);
  cf_scheduler_set_limits (scheduler, 0, 0, 0);
  cf_scheduler_set_limits (other, 0, 0, 0);

  cf_scheduler_pause_until (scheduler, until);
  g_assert_cmpint (cf_store_get_paused_until (store), ==, until);

  /* Every process shares the pause. */
  mine = acquire (scheduler, CF_PRIORITY_INTERACTIVE, "mine", NULL, NULL);
  theirs = acquire (other, CF_PRIORITY_INTERACTIVE, "theirs", NULL, NULL);
  flush ();
  g_assert_false (mine->finished);
  g_assert_false (theirs->finished);
  g_assert_cmpint (cf_scheduler_get_wait_until (other), ==, until);
  g_assert_cmpstr (cf_scheduler_get_wait_reason (other), ==, "VirusTotal says the request quota is used up (HTTP 429)");

  cf_scheduler_get_usage (other, &usage);
  g_assert_cmpint (usage.paused_until, ==, until);

  clock.now = until;
  cf_scheduler_poke (scheduler);
  cf_scheduler_poke (other);
  flush ();
  g_assert_true (mine->finished && mine->ok);
  g_assert_true (theirs->finished && theirs->ok);

  cf_scheduler_get_usage (other, &usage);
  g_assert_cmpint (usage.paused_until, ==, 0);
}

static void
test_notify (void)
{
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  const gint64 start = clock.now;
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 1, 0, 0);
  g_autoptr(Ticket) first = NULL;
  g_autoptr(Ticket) a = NULL;
  g_autoptr(Ticket) b = NULL;
  guint until_changes = 0;
  guint reason_changes = 0;

  g_signal_connect (scheduler, "notify::wait-until", G_CALLBACK (count_notify_cb),
                    &until_changes);
  g_signal_connect (scheduler, "notify::wait-reason", G_CALLBACK (count_notify_cb),
                    &reason_changes);

  first = acquire (scheduler, CF_PRIORITY_BATCH, "first", NULL, NULL);
  flush ();
  g_assert_cmpuint (until_changes, ==, 0);

  a = acquire (scheduler, CF_PRIORITY_BATCH, "a", NULL, NULL);
  flush ();
  g_assert_cmpuint (until_changes, ==, 1);
  g_assert_cmpuint (reason_changes, ==, 1);

  /* Looking again changes nothing, so says nothing. */
  advance (scheduler, &clock, 0);
  advance (scheduler, &clock, 30 * SEC);
  g_assert_cmpuint (until_changes, ==, 1);
  g_assert_cmpuint (reason_changes, ==, 1);

  advance (scheduler, &clock, MINUTE - 30 * SEC);
  g_assert_true (a->ok);
  g_assert_cmpuint (until_changes, ==, 2);
  g_assert_cmpuint (reason_changes, ==, 2);
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), ==, 0);

  b = acquire (scheduler, CF_PRIORITY_BATCH, "b", NULL, NULL);
  flush ();
  g_assert_cmpuint (until_changes, ==, 3);
  g_assert_cmpuint (reason_changes, ==, 3);
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), ==, start + 2 * MINUTE);

  /* A 429 while waiting: a new time and a new reason. */
  cf_scheduler_pause_until (scheduler, start + 5 * MINUTE);
  g_assert_cmpuint (until_changes, ==, 4);
  g_assert_cmpuint (reason_changes, ==, 4);
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), ==, start + 5 * MINUTE);
  g_assert_cmpstr (cf_scheduler_get_wait_reason (scheduler), ==,
                   "VirusTotal says the request quota is used up (HTTP 429)");

  clock.now = start + 5 * MINUTE;
  advance (scheduler, &clock, 0);
  g_assert_true (b->ok);
  g_assert_cmpuint (until_changes, ==, 5);
  g_assert_cmpuint (reason_changes, ==, 5);
}

/* How long more requests take within the budget: the free plan's 4 a
 * minute, then whole days once today's 500 are spent, then the 1st of the
 * next month; no limit, nothing to foresee. */
static void
test_estimate (void)
{
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  g_autoptr(CfScheduler) scheduler = cf_scheduler_new (NULL);
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) ticket_free);

  cf_scheduler_set_clock (scheduler, fake_clock_now, &clock);

  g_assert_cmpint (cf_scheduler_estimate (scheduler, 0), ==, 0);
  g_assert_cmpint (cf_scheduler_estimate (scheduler, 8), ==, 2 * 60 * SEC);
  /* 500 today, then 100 from midnight, at 4 a minute: 25 minutes. */
  g_assert_cmpint (cf_scheduler_estimate (scheduler, 600), ==,
                   utc (2026, 3, 15, 0, 25, 0) - clock.now);
  /* 1 200: today's 500, all of tomorrow's, 200 the day after. */
  g_assert_cmpint (cf_scheduler_estimate (scheduler, 1200), ==,
                   utc (2026, 3, 16, 0, 50, 0) - clock.now);

  /* What was spent today is not there any more. */
  for (guint i = 0; i < 2; i++)
    g_ptr_array_add (tickets, acquire (scheduler, CF_PRIORITY_BATCH, "t", NULL, NULL));
  flush ();
  g_assert_cmpint (cf_scheduler_estimate (scheduler, 600), ==,
                   utc (2026, 3, 15, 0, 25, 30) - clock.now);

  /* More than the month allows waits for the next one at least. */
  cf_scheduler_set_limits (scheduler, 0, 0, 100);
  g_assert_cmpint (cf_scheduler_estimate (scheduler, 200), ==, utc (2026, 4, 1, 0, 0, 0) - clock.now);

  cf_scheduler_set_limits (scheduler, 0, 0, 0);
  g_assert_cmpint (cf_scheduler_estimate (scheduler, 10), ==, -1);
}

static void
test_usage (void)
{
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  const gint64 start = clock.now;
  g_autoptr(CfScheduler) scheduler = cf_scheduler_new (NULL);
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) ticket_free);
  CfQuotaUsage usage;

  cf_scheduler_set_clock (scheduler, fake_clock_now, &clock);

  cf_scheduler_get_usage (scheduler, &usage);
  g_assert_cmpuint (usage.minute_used, ==, 0);
  g_assert_cmpint (usage.minute_reset, ==, start);

  for (guint i = 0; i < 3; i++)
    {
      g_ptr_array_add (tickets, acquire (scheduler, CF_PRIORITY_BATCH, "t", NULL, NULL));
      flush ();
      clock.now += SEC;
    }

  clock.now = start + 10 * SEC;
  cf_scheduler_get_usage (scheduler, &usage);
  g_assert_cmpuint (usage.per_minute, ==, 4);
  g_assert_cmpuint (usage.per_day, ==, 500);
  g_assert_cmpuint (usage.per_month, ==, 15500);
  g_assert_cmpuint (usage.minute_used, ==, 3);
  g_assert_cmpuint (usage.day_used, ==, 3);
  g_assert_cmpuint (usage.month_used, ==, 3);
  g_assert_cmpint (usage.minute_reset, ==, start + MINUTE);
  g_assert_cmpint (usage.day_reset, ==, utc (2026, 3, 15, 0, 0, 0));
  g_assert_cmpint (usage.month_reset, ==, utc (2026, 4, 1, 0, 0, 0));
  g_assert_cmpint (usage.paused_until, ==, 0);
  g_assert_cmpuint (cf_scheduler_get_spent (scheduler), ==, 3);

  /* The window slides: the first request no longer counts a minute on. */
  clock.now = start + MINUTE;
  cf_scheduler_get_usage (scheduler, &usage);
  g_assert_cmpuint (usage.minute_used, ==, 2);
  g_assert_cmpint (usage.minute_reset, ==, start + SEC + MINUTE);
  g_assert_cmpuint (usage.day_used, ==, 3);
}

static void
test_limits_change (void)
{
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 1, 0, 0);
  g_autoptr(Ticket) first = acquire (scheduler, CF_PRIORITY_BATCH, "first", NULL, NULL);
  g_autoptr(Ticket) second = acquire (scheduler, CF_PRIORITY_BATCH, "second", NULL, NULL);

  flush ();
  g_assert_false (second->finished);

  /* A premium key was entered: no need to wait for the timer. */
  cf_scheduler_set_limits (scheduler, 0, 0, 0);
  flush ();
  g_assert_true (second->finished && second->ok);
}

typedef struct
{
  CfScheduler *scheduler;
  guint        remaining;
  guint        done;
} Chain;

static void
chain_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Chain *chain = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_scheduler_acquire_finish (CF_SCHEDULER (object), result, &error));
  g_assert_no_error (error);
  chain->done++;

  if (chain->remaining > 0)
    {
      chain->remaining--;
      cf_scheduler_acquire_async (chain->scheduler, CF_PRIORITY_BATCH, NULL, chain_cb, chain);
    }
}

/* A callback that asks again, from inside the scheduler's own round. */
static void
test_reentrant (void)
{
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 2, 0, 0);
  Chain chain = { scheduler, 4, 0 };

  cf_scheduler_acquire_async (scheduler, CF_PRIORITY_BATCH, NULL, chain_cb, &chain);
  flush ();
  g_assert_cmpuint (chain.done, ==, 2);

  advance (scheduler, &clock, MINUTE);
  g_assert_cmpuint (chain.done, ==, 4);
  advance (scheduler, &clock, MINUTE);
  g_assert_cmpuint (chain.done, ==, 5);
  g_assert_cmpint (cf_scheduler_get_wait_until (scheduler), ==, 0);
}

typedef struct
{
  CfScheduler *scheduler;
  gboolean     ok;
  gboolean     in_own_context;
  gint         finished;
} ThreadData;

static void
thread_acquire_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ThreadData *data = user_data;
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  data->ok = cf_scheduler_acquire_finish (CF_SCHEDULER (object), result, NULL);
  data->in_own_context = context != g_main_context_default ();
  g_atomic_int_set (&data->finished, TRUE);
  g_main_context_wakeup (NULL);
}

static gpointer
thread_func (gpointer user_data)
{
  ThreadData *data = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  cf_scheduler_acquire_async (data->scheduler, CF_PRIORITY_BATCH, NULL, thread_acquire_cb, data);
  while (!g_atomic_int_get (&data->finished))
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return NULL;
}

/* Asked from a worker thread: queued in the scheduler's context, answered
 * in the worker's. */
static void
test_other_thread (void)
{
  FakeClock clock = { utc (2026, 3, 14, 12, 0, 0) };
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 0, 0, 0);
  ThreadData data = { scheduler, FALSE, FALSE, FALSE };
  GThread *thread = g_thread_new ("acquire", thread_func, &data);

  while (!g_atomic_int_get (&data.finished))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);

  g_assert_true (data.ok);
  g_assert_true (data.in_own_context);
  g_assert_cmpuint (cf_scheduler_get_spent (scheduler), ==, 1);
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static guint
position_of (CfScheduler  *scheduler,
             GCancellable *cancellable)
{
  g_autoptr(GHashTable) positions = cf_scheduler_get_positions (scheduler);

  return GPOINTER_TO_UINT (g_hash_table_lookup (positions, cancellable));
}

/* "3 ahead": each waiting caller knows its place, and hears when it moves. */
static void
test_positions (void)
{
  FakeClock clock = { utc (2026, 11, 20, 12, 0, 0) };
  g_autoptr(CfScheduler) scheduler = make_scheduler (&clock, 1, 500, 15500);
  g_autoptr(GCancellable) first = g_cancellable_new ();
  g_autoptr(GCancellable) batch = g_cancellable_new ();
  g_autoptr(GCancellable) urgent = g_cancellable_new ();
  g_autoptr(GCancellable) later = g_cancellable_new ();
  g_autoptr(Ticket) a = NULL, b = NULL, c = NULL, d = NULL;
  guint changes = 0;

  g_signal_connect (scheduler, "queue-changed", G_CALLBACK (count_cb), &changes);
  g_assert_cmpuint (cf_scheduler_get_queue_length (scheduler), ==, 0);

  a = acquire (scheduler, CF_PRIORITY_INTERACTIVE, "a", NULL, first);
  flush ();
  g_assert_true (a->finished);
  g_assert_cmpuint (changes, >=, 1);
  g_assert_cmpuint (position_of (scheduler, first), ==, 0);

  /* The minute's one request is spent: the rest wait, in their order. */
  b = acquire (scheduler, CF_PRIORITY_BATCH, "b", NULL, batch);
  d = acquire (scheduler, CF_PRIORITY_BATCH, "d", NULL, later);
  flush ();
  g_assert_cmpuint (cf_scheduler_get_wait_kind (scheduler), ==, CF_WAIT_MINUTE);
  g_assert_cmpuint (cf_scheduler_get_queue_length (scheduler), ==, 2);
  g_assert_cmpuint (position_of (scheduler, batch), ==, 1);
  g_assert_cmpuint (position_of (scheduler, later), ==, 2);

  /* A file about to be opened goes ahead: the others move back, and hear of it. */
  changes = 0;
  c = acquire (scheduler, CF_PRIORITY_INTERACTIVE, "c", NULL, urgent);
  flush ();
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (position_of (scheduler, urgent), ==, 1);
  g_assert_cmpuint (position_of (scheduler, batch), ==, 2);
  g_assert_cmpuint (position_of (scheduler, later), ==, 3);

  /* One leaves (cancelled), one is served: the one behind moves up. */
  changes = 0;
  g_cancellable_cancel (batch);
  flush ();
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (position_of (scheduler, batch), ==, 0);
  g_assert_cmpuint (position_of (scheduler, later), ==, 2);
  advance (scheduler, &clock, MINUTE);
  g_assert_true (c->finished && c->ok);
  g_assert_cmpuint (position_of (scheduler, later), ==, 1);
  g_assert_cmpuint (cf_scheduler_get_queue_length (scheduler), ==, 1);
  advance (scheduler, &clock, MINUTE);
  g_assert_true (d->finished && d->ok);
  g_assert_cmpuint (cf_scheduler_get_queue_length (scheduler), ==, 0);
  g_assert_cmpuint (cf_scheduler_get_wait_kind (scheduler), ==, CF_WAIT_NONE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cf/scheduler/defaults", test_defaults);
  g_test_add_func ("/cf/scheduler/positions", test_positions);
  g_test_add_func ("/cf/scheduler/unlimited", test_unlimited);
  for (guint i = 0; i < G_N_ELEMENTS (priority_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cf/scheduler/priority/%s",
                                               priority_cases[i].name);
      g_test_add_data_func (name, &priority_cases[i], test_priority);
    }
  g_test_add_func ("/cf/scheduler/wait-then-proceed", test_wait_then_proceed);
  g_test_add_func ("/cf/scheduler/day-wait", test_day_wait);
  g_test_add_func ("/cf/scheduler/month-wait", test_month_wait);
  g_test_add_func ("/cf/scheduler/timer", test_timer);
  g_test_add_func ("/cf/scheduler/cancel", test_cancel);
  g_test_add_func ("/cf/scheduler/cancel-last", test_cancel_last);
  for (guint i = 0; i < G_N_ELEMENTS (max_wait_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cf/scheduler/max-wait/%s",
                                               max_wait_cases[i].name);
      g_test_add_data_func (name, &max_wait_cases[i], test_max_wait);
    }
  g_test_add_func ("/cf/scheduler/max-wait/after-waiting", test_max_wait_after_waiting);
  g_test_add_func ("/cf/scheduler/max-wait/within", test_max_wait_within);
  g_test_add_func ("/cf/scheduler/pause-until", test_pause_until);
  g_test_add_func ("/cf/scheduler/notify", test_notify);
  g_test_add_func ("/cf/scheduler/usage", test_usage);
  g_test_add_func ("/cf/scheduler/estimate", test_estimate);
  g_test_add_func ("/cf/scheduler/limits-change", test_limits_change);
  g_test_add_func ("/cf/scheduler/reentrant", test_reentrant);
  g_test_add_func ("/cf/scheduler/other-thread", test_other_thread);

  return g_test_run ();
}
