/* cf-cli-lookup.c: --lookup, a hash list read, looked up and printed as it streams
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>

#include "cf-cli.h"
#include "cf-cli-private.h"
#include "cf-display.h"
#include "cf-hashlist.h"
#include "cf-time.h"

/* Rows read and not printed yet, at most: the reader waits beyond, until
 * half of them are printed (so that it is woken once for many rows, not
 * for each).  The rows waiting for an answer on its way count too: a list
 * that repeats a hash the budget holds back cannot pile up in memory. */
#define CF_READ_AHEAD 256

/* How often the progress line changes, at most. */
#define CF_PROGRESS_INTERVAL_US (250 * 1000)

/* Answers kept for the duplicates that follow, at most, the most recently
 * used first: a fleet's list repeats the same few hashes a great many
 * times, and a kept answer is printed again without reading the cache.
 * A duplicate of an answer no longer kept is asked of the cache, at no
 * cost to the budget. */
#define CF_ANSWERS_KEPT 1024

/* A hash as a key in 33 bytes: its kind and its digest. */
typedef struct
{
  guint8 kind;
  guint8 digest[32];
} HashKey;

static guint
hash_key_hash (gconstpointer key)
{
  const HashKey *k = key;
  guint value;

  /* The digest is as good as random already. */
  memcpy (&value, k->digest, sizeof value);
  return value ^ k->kind;
}

static gboolean
hash_key_equal (gconstpointer a,
                gconstpointer b)
{
  return memcmp (a, b, sizeof (HashKey)) == 0;
}

static HashKey *
hash_key_new (const char *hex)
{
  HashKey *key = g_new0 (HashKey, 1);
  gsize length = strlen (hex);

  key->kind = (guint8) length;
  for (gsize i = 0; i + 1 < length && i / 2 < sizeof key->digest; i += 2)
    key->digest[i / 2] = (guint8) ((g_ascii_xdigit_value (hex[i]) << 4) | g_ascii_xdigit_value (hex[i + 1]));
  return key;
}

/* One unique hash, in flight with the rows waiting for its answer, or
 * answered and kept for its duplicates. */
typedef struct
{
  CfCheck *check;
  GQueue   rows;      /* CfHashItem */
  gint64   said_until;
  HashKey *key;       /* owned by Batch.seen */
  GList    link;      /* in Batch.answered, once answered */
} Group;

typedef struct _Batch Batch;

/* The reader, on a thread of its own: a slow pipe never holds up the
 * answers, and it never reads further ahead than CF_READ_AHEAD rows. */
typedef struct
{
  Batch            *batch;
  CfHashlistReader *reader;
  GCancellable     *cancellable;
  GThread          *thread;
} Feeder;

struct _Batch
{
  Cli        *cli;
  GHashTable *seen;       /* HashKey → Group, in flight or kept */
  GQueue      answered;   /* Group, the least recently used first */
  GQueue      waiting;    /* CfHashItem read, not yet started */
  GQueue      feeders;    /* Feeder, in the order they are read; the head reads */
  GPtrArray  *done;       /* Feeder, read to the end */
  /* Shared with the reading thread, under the lock. */
  GMutex      lock;
  GCond       room;
  GQueue      incoming;   /* Delivery, read and not yet taken */
  gboolean    delivering; /* deliver() is on its way to take them */
  guint       ahead;      /* rows read and not yet printed */
  gboolean    reader_waits;
  gboolean    stop;
  guint       in_flight;
  guint       skipped;
  guint       unsupported;
  gboolean    reading;    /* a feeder has more to give */
  GError     *read_error;
  /* Progress, on a terminal */
  guint       rows_read;
  guint       rows_done;
  int         sized_fd;   /* the one input, when it is a file of known size; else -1 */
  gint64      size;
  gint64      progress_at;
  guint       progress_source;
};

typedef struct
{
  Feeder            *feeder;
  CfHashItem        *item;       /* or */
  CfHashlistProblem *problem;    /* or, at the end, neither */
  GError            *error;
} Delivery;

static void batch_pump (Batch *batch);
static void batch_progress (Batch *batch);
static gpointer feeder_thread (gpointer user_data);

/* @n rows are printed: room for the reader, woken once half is free. */
static void
batch_release (Batch *batch,
               guint  n)
{
  g_mutex_lock (&batch->lock);
  batch->ahead -= n;
  if (batch->reader_waits && batch->ahead <= CF_READ_AHEAD / 2)
    g_cond_signal (&batch->room);
  g_mutex_unlock (&batch->lock);
}

/* Takes @item. */
static void
print_row (Batch      *batch,
           CfCheck    *check,
           CfHashItem *item)
{
  CfFormatRow row = { item->path, item->host, item->name, item->pid };

  cf_cli_print_check (batch->cli, check, &row);
  cf_hash_item_free (item);
  batch->rows_done++;
  batch_release (batch, 1);
}

static void
group_free (Group *group)
{
  if (group == NULL)
    return;
  g_clear_object (&group->check);
  g_queue_clear_full (&group->rows, (GDestroyNotify) cf_hash_item_free);
  g_free (group);
}

static void
on_lookup_changed (CfCheck    *check,
                   GParamSpec *pspec,
                   Batch      *batch)
{
  Group *group = g_object_get_data (G_OBJECT (check), "cf-group");
  CfHashItem *item;

  /* A terminal sees the wait on the progress line. */
  if (!batch->cli->progress)
    cf_cli_say_wait (batch->cli, check, &group->said_until);
  if (!cf_check_is_finished (check))
    {
      batch_progress (batch);
      return;
    }

  g_signal_handlers_disconnect_by_data (check, batch);
  while ((item = g_queue_pop_head (&group->rows)) != NULL)
    print_row (batch, check, item);

  batch->in_flight--;
  if (cf_check_get_stage (check) == CF_CHECK_STAGE_DONE)
    {
      /* Kept for the duplicates to come; the oldest kept answer goes. */
      g_queue_push_tail_link (&batch->answered, &group->link);
      if (batch->answered.length > CF_ANSWERS_KEPT)
        {
          Group *oldest = g_queue_pop_head_link (&batch->answered)->data;
          g_hash_table_remove (batch->seen, oldest->key);
        }
    }
  else
    {
      /* A failure is not kept: a later duplicate asks again. */
      g_hash_table_remove (batch->seen, group->key);
    }
  batch_pump (batch);
}

/* Takes @item. */
static void
batch_start (Batch      *batch,
             CfHashItem *item)
{
  Cli *cli = batch->cli;
  g_autofree HashKey *key = hash_key_new (item->hash);
  Group *group;

  group = g_hash_table_lookup (batch->seen, key);
  if (group != NULL && cf_check_is_finished (group->check))
    {
      /* Answered already: printed again, and now the most recently used. */
      g_queue_unlink (&batch->answered, &group->link);
      g_queue_push_tail_link (&batch->answered, &group->link);
      print_row (batch, group->check, item);
      return;
    }
  if (group != NULL)
    {
      /* Asked already, its answer on the way: this row waits for it. */
      g_queue_push_tail (&group->rows, item);
      return;
    }

  group = g_new0 (Group, 1);
  group->link.data = group;
  group->key = key;
  g_queue_push_tail (&group->rows, item);
  g_hash_table_replace (batch->seen, g_steal_pointer (&key), group);
  batch->in_flight++;
  group->check = cf_session_check_hash (cli->session, item->hash, CF_PRIORITY_BATCH);
  g_object_set_data (G_OBJECT (group->check), "cf-group", group);
  g_signal_connect (group->check, "notify::stage", G_CALLBACK (on_lookup_changed), batch);
  g_signal_connect (group->check, "notify::wait-until", G_CALLBACK (on_lookup_changed), batch);
  on_lookup_changed (group->check, NULL, batch);
}

/* About how long the rest of the list takes, or -1 when that cannot be
 * foreseen: the rows still to come are guessed from how far into the file
 * the reader is, their requests from how many the rows so far needed, and
 * the time from the request budget. */
static gint64
batch_time_left (Batch *batch,
                 guint *rows_expected)
{
  CfSession *session = batch->cli->session;
  guint spent = cf_session_get_requests_spent (session);
  gint64 position;
  double done;

  *rows_expected = 0;
  if (batch->sized_fd < 0 || batch->rows_done == 0 || spent == 0)
    return -1;
  position = lseek (batch->sized_fd, 0, SEEK_CUR);
  if (position <= 0)
    return -1;

  *rows_expected = (guint) MAX ((double) batch->rows_read * batch->size / position,
                                (double) batch->rows_read);
  done = (double) batch->rows_done / *rows_expected;
  return cf_scheduler_estimate (cf_session_get_scheduler (session),
                                (guint) (spent * (1 - done) / done + 0.5));
}

static gboolean
progress_due (gpointer user_data)
{
  Batch *batch = user_data;

  batch->progress_source = 0;
  batch_progress (batch);
  return G_SOURCE_REMOVE;
}

/* "Looking up: 120 of about 2 000 rows · 30 requests spent · next request
 * at 14:05:03 · about 7 h 30 min left", a few times a second at most. */
static void
batch_progress (Batch *batch)
{
  Cli *cli = batch->cli;
  g_autoptr(GString) text = NULL;
  g_autofree char *left = NULL;
  gint64 now = g_get_monotonic_time ();
  gint64 wait_until;
  gint64 time_left;
  guint rows_expected;
  guint spent;

  if (!cli->progress || batch->progress_source != 0)
    return;
  if (now - batch->progress_at < CF_PROGRESS_INTERVAL_US)
    {
      /* Said a moment ago: said again once the moment is over. */
      batch->progress_source = g_timeout_add ((batch->progress_at + CF_PROGRESS_INTERVAL_US - now) / 1000 + 1,
                                              progress_due, batch);
      return;
    }
  batch->progress_at = now;

  time_left = batch_time_left (batch, &rows_expected);
  spent = cf_session_get_requests_spent (cli->session);
  text = g_string_new (_("Looking up: "));
  if (rows_expected > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u of about %u row", "%u of about %u rows",
                                               rows_expected),
                            batch->rows_done, rows_expected);
  else
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u row", "%u rows", batch->rows_done),
                            batch->rows_done);
  g_string_append (text, " · ");
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u request spent", "%u requests spent", spent),
                          spent);

  wait_until = cf_scheduler_get_wait_until (cf_session_get_scheduler (cli->session));
  if (wait_until > 0)
    {
      g_autofree char *moment = cf_format_moment (wait_until, g_get_real_time ());

      g_string_append (text, " · ");
      g_string_append_printf (text, _("next request at %s"), moment);
    }
  if (time_left > 0)
    {
      left = cf_format_duration (time_left);
      g_string_append (text, " · ");
      g_string_append_printf (text, _("about %s left"), left);
    }

  cf_cli_show_progress (cli, text->str);
}

static void
batch_pump (Batch *batch)
{
  Cli *cli = batch->cli;

  while (batch->in_flight < cf_cli_in_flight_limit (cli) && !g_queue_is_empty (&batch->waiting) &&
         !cli->interrupted)
    {
      batch_start (batch, g_queue_pop_head (&batch->waiting));
    }

  batch_progress (batch);
  if (batch->in_flight == 0 && (!batch->reading || cli->interrupted) &&
      g_queue_is_empty (&batch->waiting))
    g_main_loop_quit (cli->loop);
}

static void
delivery_free (Delivery *delivery)
{
  g_clear_pointer (&delivery->item, cf_hash_item_free);
  g_clear_pointer (&delivery->problem, cf_hashlist_problem_free);
  g_clear_error (&delivery->error);
  g_free (delivery);
}

static void
batch_take (Batch    *batch,
            Delivery *delivery)
{
  Feeder *feeder = delivery->feeder;

  if (delivery->item != NULL)
    {
      batch->rows_read++;
      g_queue_push_tail (&batch->waiting, g_steal_pointer (&delivery->item));
    }
  else if (delivery->problem != NULL)
    {
      CfHashlistProblem *problem = delivery->problem;

      if (problem->kind == CF_HASHLIST_PROBLEM_UNSUPPORTED)
        {
          /* A real hash VirusTotal cannot look up: said, not an error. */
          cf_cli_clear_progress (batch->cli);
          cf_cli_print_error (problem->message);
          batch->unsupported++;
        }
      else
        {
          g_autoptr(CfCheck) failed = cf_check_new_failed (CF_CHECK_KIND_HASH, NULL,
                                                           g_error_new_literal (CF_HASHLIST_ERROR,
                                                                                CF_HASHLIST_ERROR_INVALID,
                                                                                problem->message));
          CfFormatRow row = CF_FORMAT_ROW_INIT;

          cf_cli_print_check (batch->cli, failed, &row);
        }
      batch->rows_read++;
      batch->rows_done++;
      batch_release (batch, 1);
    }
  else
    {
      /* This feeder is done: the next one's turn. */
      batch->skipped += cf_hashlist_reader_get_skipped (feeder->reader);
      if (delivery->error != NULL && batch->read_error == NULL &&
          !g_error_matches (delivery->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        batch->read_error = g_steal_pointer (&delivery->error);
      g_ptr_array_add (batch->done, g_queue_pop_head (&batch->feeders));
      batch->reading = !g_queue_is_empty (&batch->feeders);
      if (batch->reading)
        {
          Feeder *next = g_queue_peek_head (&batch->feeders);
          next->thread = g_thread_new ("check-first-read", feeder_thread, next);
        }
    }
}

/* In the main loop: everything the reader has sent since the last time. */
static gboolean
deliver (gpointer user_data)
{
  Batch *batch = user_data;
  GQueue taken = G_QUEUE_INIT;
  Delivery *delivery;
  gboolean stopped;

  g_mutex_lock (&batch->lock);
  batch->delivering = FALSE;
  stopped = batch->stop;
  if (!stopped)
    {
      taken = batch->incoming;
      g_queue_init (&batch->incoming);
    }
  g_mutex_unlock (&batch->lock);

  /* Stopped: what was still on its way is dropped with the batch. */
  if (stopped)
    return G_SOURCE_REMOVE;

  while ((delivery = g_queue_pop_head (&taken)) != NULL)
    {
      batch_take (batch, delivery);
      delivery_free (delivery);
    }

  batch_pump (batch);
  return G_SOURCE_REMOVE;
}

static gpointer
feeder_thread (gpointer user_data)
{
  Feeder *feeder = user_data;
  Batch *batch = feeder->batch;

  for (;;)
    {
      Delivery *delivery = g_new0 (Delivery, 1);
      gboolean more;
      gboolean wake = FALSE;

      delivery->feeder = feeder;
      more = cf_hashlist_reader_next (feeder->reader, &delivery->item, &delivery->problem,
                                      feeder->cancellable, &delivery->error);

      g_mutex_lock (&batch->lock);
      while (more && batch->ahead >= CF_READ_AHEAD && !batch->stop)
        {
          batch->reader_waits = TRUE;
          g_cond_wait (&batch->room, &batch->lock);
        }
      batch->reader_waits = FALSE;
      if (batch->stop)
        {
          /* Stopped: nothing more is read, and nobody takes what was. */
          g_mutex_unlock (&batch->lock);
          delivery_free (delivery);
          return NULL;
        }
      if (more)
        batch->ahead++;
      g_queue_push_tail (&batch->incoming, delivery);
      /* The main loop is woken once for everything sent until it takes it. */
      if (!batch->delivering)
        batch->delivering = wake = TRUE;
      g_mutex_unlock (&batch->lock);

      if (wake)
        g_main_context_invoke (NULL, deliver, batch);
      if (!more)
        return NULL;
    }
}

static Feeder *
feeder_new (Batch        *batch,
            GInputStream *stream)
{
  Feeder *feeder = g_new0 (Feeder, 1);

  feeder->batch = batch;
  feeder->reader = cf_hashlist_reader_new (stream);
  feeder->cancellable = g_cancellable_new ();
  return feeder;
}

static void
feeder_free (Feeder *feeder)
{
  if (feeder->thread != NULL)
    g_thread_join (feeder->thread);
  g_clear_object (&feeder->reader);
  g_clear_object (&feeder->cancellable);
  g_free (feeder);
}

/* The list in @path: a regular file, or a pipe (a named one, or
 * "<(command)"), read like standard input.  A device, a folder or a socket
 * is refused at once, and a named pipe that nobody writes to yet is waited
 * on only after saying so. */
static GInputStream *
open_list (const char  *path,
           GError     **error)
{
  g_autofree char *shown = cf_display_path (path);
  struct stat st;
  int fd;

  fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      cf_file_error_from_errno (error, errno, shown);
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      cf_file_error_from_errno (error, errno, shown);
      close (fd);
      return NULL;
    }

  if (S_ISFIFO (st.st_mode))
    {
      struct pollfd ready = { fd, POLLIN, 0 };

      if (poll (&ready, 1, 0) == 0)
        {
          g_printerr (_("check-first: “%s” is a pipe; waiting for a program to write the list "
                        "to it (Ctrl+C to stop)\n"), shown);
          while (poll (&ready, 1, -1) < 0 && errno == EINTR)
            ;
        }
    }
  else if (!S_ISREG (st.st_mode))
    {
      const char *what = S_ISDIR (st.st_mode) ? _("a folder") :
                         S_ISSOCK (st.st_mode) ? _("a socket") : _("a device");

      /* Translators: the second %s is "a folder", "a device" or "a socket" */
      g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_NOT_REGULAR,
                   _("“%s” is %s, not a list: give a file or a pipe to --input."), shown, what);
      close (fd);
      return NULL;
    }

  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  return g_unix_input_stream_new (fd, TRUE);
}

static CfHashItem *
item_for_argument (const char *hash)
{
  CfHashItem *item = g_new0 (CfHashItem, 1);

  item->hash = g_ascii_strdown (hash, -1);
  cf_hash_kind_detect (item->hash, &item->kind);
  item->pid = -1;
  return item;
}

static void
batch_stop (Batch *batch)
{
  GHashTableIter iter;
  Group *group;

  /* What is under way is not done: it is neither printed nor counted. */
  g_hash_table_iter_init (&iter, batch->seen);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &group))
    if (!cf_check_is_finished (group->check))
      {
        g_signal_handlers_disconnect_by_data (group->check, batch);
        cf_check_cancel (group->check);
      }
}

int
cf_cli_run_lookup (Cli           *cli,
                   GVariantDict  *options,
                   char         **args)
{
  Batch batch = { cli, NULL };
  const char *input = NULL;
  int list_fd = -1;
  guint n_lists = 0;
  struct stat st;
  gboolean read_stdin;
  int status;

  if (!cf_cli_setup (cli, options, TRUE))
    return CF_EXIT_USAGE;

  batch.sized_fd = -1;
  g_variant_dict_lookup (options, "input", "^&ay", &input);
  read_stdin = (args == NULL || args[0] == NULL) && input == NULL;

  batch.seen = g_hash_table_new_full (hash_key_hash, hash_key_equal, g_free, (GDestroyNotify) group_free);
  batch.done = g_ptr_array_new_with_free_func ((GDestroyNotify) feeder_free);
  g_mutex_init (&batch.lock);
  g_cond_init (&batch.room);

  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    {
      CfHashKind kind;

      if (g_str_equal (args[i], "-"))
        read_stdin = TRUE;
      else if (cf_hash_kind_detect (args[i], &kind))
        {
          g_queue_push_tail (&batch.waiting, item_for_argument (args[i]));
          batch.ahead++;
          batch.rows_read++;
        }
      else
        {
          g_autofree char *shown = cf_display_path (args[i]);
          cf_cli_usage_error (_("“%s” is not an MD5, SHA-1 or SHA-256 hash. To read a list from a file, "
                                "use --input=FILE."), shown);
          status = CF_EXIT_USAGE;
          goto out;
        }
    }

  if (input != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GInputStream) stream = open_list (input, &error);

      if (stream == NULL)
        {
          cf_cli_print_error (error->message);
          status = CF_EXIT_UNCHECKED;
          goto out;
        }
      list_fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (stream));
      n_lists++;
      g_queue_push_tail (&batch.feeders, feeder_new (&batch, stream));
    }
  if (read_stdin)
    {
      g_autoptr(GInputStream) stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);

      list_fd = STDIN_FILENO;
      n_lists++;
      g_queue_push_tail (&batch.feeders, feeder_new (&batch, stream));
    }

  /* One file of known size, and nothing else: how far the reader is in it
   * tells how much is left. */
  if (n_lists == 1 && batch.rows_read == 0 && fstat (list_fd, &st) == 0 && S_ISREG (st.st_mode) &&
      st.st_size > 0)
    {
      batch.sized_fd = list_fd;
      batch.size = st.st_size;
    }

  cli->loop = g_main_loop_new (NULL, FALSE);
  cf_cli_catch_sigint (cli);
  batch.reading = !g_queue_is_empty (&batch.feeders);
  if (batch.reading)
    {
      Feeder *first = g_queue_peek_head (&batch.feeders);
      first->thread = g_thread_new ("check-first-read", feeder_thread, first);
    }

  batch_pump (&batch);
  if (batch.reading || batch.in_flight > 0 || !g_queue_is_empty (&batch.waiting))
    g_main_loop_run (cli->loop);

  if (cli->interrupted)
    {
      batch_stop (&batch);
      cf_cli_print_summary (cli, batch.skipped);
      g_printerr (_("Stopped. The hashes already answered are in the cache: running the same "
                    "command again asks VirusTotal nothing for them.\n"));
      status = 130;
      goto out;
    }

  if (batch.read_error != NULL)
    {
      cf_cli_print_error (batch.read_error->message);
      cli->counts.errors++;
    }
  if (batch.unsupported > 0 || cli->counts.blocked + cli->counts.below + cli->counts.unknown +
                               cli->counts.clean + cli->counts.errors > 1 || batch.skipped > 0)
    cf_cli_print_summary (cli, batch.skipped);
  status = cf_cli_exit_status (cli);

out:
  g_clear_handle_id (&batch.progress_source, g_source_remove);
  /* The reading threads end first; what they had sent is then dropped. */
  g_mutex_lock (&batch.lock);
  batch.stop = TRUE;
  g_cond_broadcast (&batch.room);
  g_mutex_unlock (&batch.lock);
  for (GList *l = batch.feeders.head; l != NULL; l = l->next)
    g_cancellable_cancel (((Feeder *) l->data)->cancellable);
  g_queue_clear_full (&batch.feeders, (GDestroyNotify) feeder_free);
  g_clear_pointer (&batch.done, g_ptr_array_unref);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_queue_clear_full (&batch.incoming, (GDestroyNotify) delivery_free);
  g_queue_clear_full (&batch.waiting, (GDestroyNotify) cf_hash_item_free);
  g_clear_pointer (&batch.seen, g_hash_table_unref);
  g_clear_error (&batch.read_error);
  g_mutex_clear (&batch.lock);
  g_cond_clear (&batch.room);
  return status;
}
