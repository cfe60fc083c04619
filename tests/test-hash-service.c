/* test-hash-service.c: tests for the one pool of hashing threads
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "cf-hash-service.h"
#include "cf-test-util.h"

static char *tmpdir;
static GThread *main_thread;

/* What came back for one file. */
typedef struct
{
  char           *expected;
  char           *sha256;
  GError         *error;
  CfFileIdentity  identity;
  gboolean        done;
  guint           order;
} Result;

typedef struct
{
  Result *results;
  guint   finished;
} Round;

typedef struct
{
  Round *round;
  guint  index;
} Ticket;

static void
on_hashed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree Ticket *ticket = user_data;
  Result *mine = &ticket->round->results[ticket->index];

  g_assert_true (g_thread_self () == main_thread);
  mine->sha256 = cf_hash_service_hash_finish (CF_HASH_SERVICE (object), result, &mine->identity,
                                              &mine->error);
  mine->done = TRUE;
  mine->order = ticket->round->finished++;
}

static void
queue (CfHashService *service,
       Round         *round,
       guint          index,
       const char    *path,
       int            fd,
       CfPriority     priority)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Ticket *ticket = g_new0 (Ticket, 1);

  ticket->round = round;
  ticket->index = index;
  cf_hash_service_hash_async (service, file, fd, priority, NULL, NULL, NULL, NULL, on_hashed, ticket);
}

static void
wait_for (Round *round,
          guint  n)
{
  /* A bound for a hang, not a measure of speed. */
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (round->finished < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (round->finished, ==, n);
}

/* Many files at once, of every size the hasher treats differently (empty,
 * one chunk, several, read ahead by a thread): each answer is its own
 * file's, with its identity, in the caller's thread. */
static void
test_many_files (void)
{
  const guint n = 120;
  g_autoptr(CfHashService) service = cf_hash_service_new (0);
  Round round = { g_new0 (Result, n), 0 };

  for (guint i = 0; i < n; i++)
    {
      gsize size = i == 0 ? 0 : i == 1 ? 5 * 1024 * 1024 : g_random_int_range (1, 300 * 1024);
      g_autofree guchar *contents = g_malloc (MAX (size, 1));
      g_autofree char *name = g_strdup_printf ("many-%u", i);
      g_autofree char *path = NULL;

      for (gsize j = 0; j < size; j++)
        contents[j] = g_random_int_range (0, 256);
      path = cf_test_write_file (tmpdir, name, (char *) contents, size, 0644);
      round.results[i].expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, contents, size);
      queue (service, &round, i, path, -1, CF_PRIORITY_BATCH);
    }

  wait_for (&round, n);
  for (guint i = 0; i < n; i++)
    {
      Result *result = &round.results[i];

      g_assert_no_error (result->error);
      g_assert_cmpstr (result->sha256, ==, result->expected);
      g_assert_true (result->identity.valid);
      g_free (result->sha256);
      g_free (result->expected);
    }
  g_free (round.results);
}

/* An open descriptor is hashed from its first byte, even when the caller
 * closes its own at once. */
static void
test_descriptor (void)
{
  g_autofree char *path = cf_test_write_file (tmpdir, "held", "abc", 3, 0644);
  g_autoptr(CfHashService) service = cf_hash_service_new (1);
  Round round = { g_new0 (Result, 1), 0 };
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (lseek (fd, 2, SEEK_SET), ==, 2);
  queue (service, &round, 0, path, fd, CF_PRIORITY_INTERACTIVE);
  close (fd);

  wait_for (&round, 1);
  g_assert_no_error (round.results[0].error);
  g_assert_cmpstr (round.results[0].sha256, ==,
                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_free (round.results[0].sha256);
  g_free (round.results);
}

/* Holds the service's one thread until the gate opens. */
typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean entered;
  gboolean open;
} Gate;

static void
wait_at_gate (gpointer item,
              gpointer user_data)
{
  Gate *gate = user_data;

  g_mutex_lock (&gate->lock);
  gate->entered = TRUE;
  g_cond_broadcast (&gate->cond);
  while (!gate->open)
    g_cond_wait (&gate->cond, &gate->lock);
  g_mutex_unlock (&gate->lock);
}

typedef struct
{
  CfHashService *service;
  Gate          *gate;
} Holder;

static gpointer
hold_thread (gpointer user_data)
{
  Holder *holder = user_data;
  g_autoptr(GPtrArray) one = g_ptr_array_new ();

  g_ptr_array_add (one, holder);
  cf_hash_service_for_each (holder->service, one, CF_PRIORITY_BACKGROUND, wait_at_gate, holder->gate);
  return NULL;
}

/* The file about to be opened goes ahead of what waits in the queue:
 * with the one thread busy, five batch files and then one interactive
 * are queued, and the interactive one is hashed first. */
static void
test_priority (void)
{
  g_autoptr(CfHashService) service = cf_hash_service_new (1);
  g_autofree char *path = cf_test_write_file (tmpdir, "queued", "queued", 6, 0644);
  Round round = { g_new0 (Result, 6), 0 };
  Gate gate = { 0 };
  Holder holder = { service, &gate };
  GThread *thread;

  g_mutex_init (&gate.lock);
  g_cond_init (&gate.cond);
  thread = g_thread_new ("holder", hold_thread, &holder);
  g_mutex_lock (&gate.lock);
  while (!gate.entered)
    g_cond_wait (&gate.cond, &gate.lock);
  g_mutex_unlock (&gate.lock);

  for (guint i = 0; i < 5; i++)
    queue (service, &round, i, path, -1, CF_PRIORITY_BATCH);
  queue (service, &round, 5, path, -1, CF_PRIORITY_INTERACTIVE);

  g_mutex_lock (&gate.lock);
  gate.open = TRUE;
  g_cond_broadcast (&gate.cond);
  g_mutex_unlock (&gate.lock);
  g_thread_join (thread);

  wait_for (&round, 6);
  g_assert_cmpuint (round.results[5].order, ==, 0);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpuint (round.results[i].order, ==, i + 1);
      g_free (round.results[i].sha256);
    }
  g_free (round.results[5].sha256);
  g_free (round.results);
  g_mutex_clear (&gate.lock);
  g_cond_clear (&gate.cond);
}

typedef struct
{
  gint running;      /* atomic */
  gint most;         /* atomic */
  gint calls;        /* atomic */
} Crowd;

static void
count_in (gpointer item,
          gpointer user_data)
{
  Crowd *crowd = user_data;
  gint now = g_atomic_int_add (&crowd->running, 1) + 1;
  gint most;

  while ((most = g_atomic_int_get (&crowd->most)) < now &&
         !g_atomic_int_compare_and_exchange (&crowd->most, most, now))
    ;
  g_usleep (2000);
  g_atomic_int_inc (&crowd->calls);
  g_atomic_int_add (&crowd->running, -1);
}

/* Every item once, never more at a time than the service has threads,
 * and all of them done when it returns. */
static void
test_for_each (void)
{
  g_autoptr(CfHashService) service = cf_hash_service_new (2);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  Crowd crowd = { 0 };

  for (guint i = 0; i < 50; i++)
    g_ptr_array_add (items, GUINT_TO_POINTER (i + 1));

  cf_hash_service_for_each (service, items, CF_PRIORITY_BATCH, count_in, &crowd);
  g_assert_cmpint (crowd.calls, ==, 50);
  g_assert_cmpint (crowd.running, ==, 0);
  g_assert_cmpint (crowd.most, >=, 1);
  g_assert_cmpint (crowd.most, <=, 2);
}

/* One per core, unless asked otherwise. */
static void
test_threads (void)
{
  g_autoptr(CfHashService) two = cf_hash_service_new (2);

  g_assert_cmpuint (cf_hash_service_get_threads (cf_hash_service_get_default ()), ==,
                    g_get_num_processors ());
  g_assert_cmpuint (cf_hash_service_get_threads (two), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = cf_test_make_tmpdir ();
  main_thread = g_thread_self ();

  g_test_add_func ("/cf/hash-service/many-files", test_many_files);
  g_test_add_func ("/cf/hash-service/descriptor", test_descriptor);
  g_test_add_func ("/cf/hash-service/priority", test_priority);
  g_test_add_func ("/cf/hash-service/for-each", test_for_each);
  g_test_add_func ("/cf/hash-service/threads", test_threads);

  status = g_test_run ();
  cf_test_rm_rf (tmpdir);
  g_free (tmpdir);
  return status;
}
