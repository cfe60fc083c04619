/* cf-check-queue.c: files waiting for their check, a few checked at a time, in a chosen order
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ten thousand files handed over at once must not become ten thousand
 * open files and ten thousand requests in the budget's queue: they wait
 * here, each a GFile, and only a few at a time are checked (each check
 * holds its file open; hashing uses the cores, lookups wait for the
 * budget anyway).  The highest rank goes first: the watcher ranks a
 * download by its arrival (the newest first), a job by its order.
 *
 * The tag says on whose behalf a file is checked (a watched folder, a
 * job); it is handed back with the check and never touched here.
 */

#define G_LOG_DOMAIN "check-first-queue"

#include "config.h"

#include "cf-check-queue.h"

typedef struct
{
  GFile               *file;
  CfSessionCheckFlags  flags;
  gint64               rank;
  gpointer             tag;
} Item;

struct _CfCheckQueue
{
  GObject     parent_instance;

  CfSession  *session;
  guint       max_active;
  GSequence  *waiting;     /* Item, highest rank first */
  GHashTable *index;       /* Item → its GSequenceIter, by file and tag */
  GHashTable *active;      /* CfCheck → tag */
};

enum {
  SIGNAL_STARTED,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CfCheckQueue, cf_check_queue, G_TYPE_OBJECT)

static void
item_free (Item *item)
{
  g_object_unref (item->file);
  g_free (item);
}

static guint
item_hash (gconstpointer key)
{
  const Item *item = key;

  return g_file_hash (item->file) ^ g_direct_hash (item->tag);
}

static gboolean
item_equal (gconstpointer a,
            gconstpointer b)
{
  const Item *ia = a, *ib = b;

  return ia->tag == ib->tag && g_file_equal (ia->file, ib->file);
}

static void
remove_waiting (CfCheckQueue  *self,
                GSequenceIter *iter)
{
  g_hash_table_remove (self->index, g_sequence_get (iter));
  g_sequence_remove (iter);
}

static int
highest_first (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const Item *ia = a, *ib = b;

  return ia->rank < ib->rank ? 1 : ia->rank > ib->rank ? -1 : 0;
}

static void pump (CfCheckQueue *self);

static void
on_check_finished (CfSession    *session,
                   CfCheck      *check,
                   CfCheckQueue *self)
{
  gpointer tag;

  if (!g_hash_table_lookup_extended (self->active, check, NULL, &tag))
    return;

  g_object_ref (check);
  g_hash_table_remove (self->active, check);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, check, tag);
  g_object_unref (check);
  pump (self);
}

static void
pump (CfCheckQueue *self)
{
  while (g_hash_table_size (self->active) < self->max_active &&
         g_sequence_get_length (self->waiting) > 0)
    {
      GSequenceIter *first = g_sequence_get_begin_iter (self->waiting);
      Item *item = g_sequence_get (first);
      g_autoptr(CfCheck) check = cf_session_check_file (self->session, item->file, item->flags);
      gpointer tag = item->tag;

      remove_waiting (self, first);
      g_hash_table_insert (self->active, g_object_ref (check), tag);
      g_signal_emit (self, signals[SIGNAL_STARTED], 0, check, tag);

      /* The trust list or the cache can answer at once. */
      if (cf_check_is_finished (check))
        on_check_finished (self->session, check, self);
    }
}

static void
cf_check_queue_dispose (GObject *object)
{
  CfCheckQueue *self = CF_CHECK_QUEUE (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->waiting != NULL)
    {
      g_hash_table_remove_all (self->index);
      g_sequence_remove_range (g_sequence_get_begin_iter (self->waiting),
                               g_sequence_get_end_iter (self->waiting));
    }
  if (self->active != NULL)
    {
      GHashTableIter iter;
      CfCheck *check;

      g_hash_table_iter_init (&iter, self->active);
      while (g_hash_table_iter_next (&iter, (gpointer *) &check, NULL))
        cf_check_cancel (check);
      g_hash_table_remove_all (self->active);
    }

  G_OBJECT_CLASS (cf_check_queue_parent_class)->dispose (object);
}

static void
cf_check_queue_finalize (GObject *object)
{
  CfCheckQueue *self = CF_CHECK_QUEUE (object);

  g_clear_pointer (&self->index, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_sequence_free);
  g_clear_pointer (&self->active, g_hash_table_unref);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cf_check_queue_parent_class)->finalize (object);
}

static void
cf_check_queue_class_init (CfCheckQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_check_queue_dispose;
  object_class->finalize = cf_check_queue_finalize;

  /**
   * CfCheckQueue::started:
   * @check: the check of a file that waited its turn
   * @tag: the tag it was pushed with
   */
  signals[SIGNAL_STARTED] =
    g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, CF_TYPE_CHECK, G_TYPE_POINTER);
  /**
   * CfCheckQueue::finished:
   * @check: a check of this queue that ended (done, failed or cancelled)
   * @tag: the tag it was pushed with
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, CF_TYPE_CHECK, G_TYPE_POINTER);
}

static void
cf_check_queue_init (CfCheckQueue *self)
{
  self->waiting = g_sequence_new ((GDestroyNotify) item_free);
  self->index = g_hash_table_new (item_hash, item_equal);
  self->active = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}

CfCheckQueue *
cf_check_queue_new (CfSession *session,
                    guint      max_active)
{
  CfCheckQueue *self;

  g_return_val_if_fail (CF_IS_SESSION (session), NULL);
  g_return_val_if_fail (max_active > 0, NULL);

  self = g_object_new (CF_TYPE_CHECK_QUEUE, NULL);
  self->session = g_object_ref (session);
  self->max_active = max_active;
  g_signal_connect_object (session, "check-finished", G_CALLBACK (on_check_finished), self, 0);
  return self;
}

/* Checks @file (with the session's @flags) when its turn comes.  A file
 * already waiting is moved to its new rank rather than checked twice. */
void
cf_check_queue_push (CfCheckQueue        *self,
                     GFile               *file,
                     CfSessionCheckFlags  flags,
                     gint64               rank,
                     gpointer             tag)
{
  Item key = { file, flags, rank, tag };
  GSequenceIter *waiting;
  Item *item;

  g_return_if_fail (CF_IS_CHECK_QUEUE (self));
  g_return_if_fail (G_IS_FILE (file));

  waiting = g_hash_table_lookup (self->index, &key);
  if (waiting != NULL)
    remove_waiting (self, waiting);

  item = g_new0 (Item, 1);
  item->file = g_object_ref (file);
  item->flags = flags;
  item->rank = rank;
  item->tag = tag;
  g_hash_table_insert (self->index, item, g_sequence_insert_sorted (self->waiting, item, highest_first, NULL));
  pump (self);
}

guint
cf_check_queue_get_n_waiting (CfCheckQueue *self)
{
  g_return_val_if_fail (CF_IS_CHECK_QUEUE (self), 0);
  return g_sequence_get_length (self->waiting);
}

guint
cf_check_queue_get_n_active (CfCheckQueue *self)
{
  g_return_val_if_fail (CF_IS_CHECK_QUEUE (self), 0);
  return g_hash_table_size (self->active);
}

/* Forgets the files waiting for @tag; the checks under way for it finish
 * (their "finished" then carries a NULL tag), or are cancelled. */
void
cf_check_queue_drop_tag (CfCheckQueue *self,
                         gpointer      tag,
                         gboolean      cancel_active)
{
  GSequenceIter *iter;
  GHashTableIter active;
  CfCheck *check;
  gpointer value;
  g_autoptr(GPtrArray) to_cancel = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (CF_IS_CHECK_QUEUE (self));

  iter = g_sequence_get_begin_iter (self->waiting);
  while (!g_sequence_iter_is_end (iter))
    {
      GSequenceIter *next = g_sequence_iter_next (iter);

      if (((Item *) g_sequence_get (iter))->tag == tag)
        remove_waiting (self, iter);
      iter = next;
    }

  g_hash_table_iter_init (&active, self->active);
  while (g_hash_table_iter_next (&active, (gpointer *) &check, &value))
    if (value == tag)
      {
        if (cancel_active)
          g_ptr_array_add (to_cancel, g_object_ref (check));
        else
          g_hash_table_iter_replace (&active, NULL);
      }
  /* Cancelling ends a check, which leaves the table: not while iterating. */
  for (guint i = 0; i < to_cancel->len; i++)
    cf_check_cancel (g_ptr_array_index (to_cancel, i));
}
