/* cf-hash-service.c: the one pool of hashing threads every part of Check First shares
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hashing is the one thing Check First does that uses a whole core, and
 * there are seldom many: a list of files to --hash or --check, the
 * programs of a process audit, the downloads a watcher sees land.  They
 * all queue here, on one thread per core, the file a person is about to
 * open ahead of batches and batches ahead of background work.  A large
 * file also gets a reading thread of its own (cf_hasher_hash_fd()), so a
 * core never waits for the disk or the page cache.
 */

#define G_LOG_DOMAIN "check-first-hash-service"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "cf-hash-service.h"

struct _CfHashService
{
  GObject      parent_instance;

  GThreadPool *pool;
  guint        n_threads;
  GMutex       sequence_lock;     /* jobs are pushed from any thread */
  guint64      next_sequence;
};

G_DEFINE_FINAL_TYPE (CfHashService, cf_hash_service, G_TYPE_OBJECT)

/* Set on the service's threads: waiting there for the service would wait forever. */
static GPrivate on_service_thread;

/* Waits for the items of one cf_hash_service_for_each(). */
typedef struct
{
  GMutex lock;
  GCond  cond;
  guint  pending;
} WaitGroup;

/* One queued piece of work: a file to hash for a GTask, or an item. */
typedef struct
{
  CfPriority      priority;
  guint64         sequence;
  GTask          *task;
  CfHashItemFunc  func;
  gpointer        item;
  gpointer        user_data;
  WaitGroup      *group;
} Job;

/* What hashing a file for cf_hash_service_hash_async() needs. */
typedef struct
{
  GFile              *file;
  int                 fd;         /* -1: open the file; else a copy of the caller's */
  CfHashProgressFunc  progress;
  gpointer            progress_data;
  GDestroyNotify      progress_data_destroy;
  GMainContext       *context;
  CfFileIdentity      identity;
} HashData;

static void
hash_data_free (HashData *data)
{
  g_clear_object (&data->file);
  if (data->fd >= 0)
    close (data->fd);
  if (data->progress_data_destroy != NULL)
    data->progress_data_destroy (data->progress_data);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_free (data);
}

typedef struct
{
  GTask   *task;
  guint64  done;
  guint64  total;
} ProgressEvent;

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressEvent *event = user_data;
  HashData *data = g_task_get_task_data (event->task);

  if (!g_task_get_completed (event->task) && data->progress != NULL)
    data->progress (event->done, event->total, data->progress_data);

  return G_SOURCE_REMOVE;
}

static void
progress_event_free (gpointer user_data)
{
  ProgressEvent *event = user_data;

  g_object_unref (event->task);
  g_free (event);
}

/* On the hashing thread, already paced by the hasher: to the caller's
 * main context. */
static void
worker_progress (guint64  done,
                 guint64  total,
                 gpointer user_data)
{
  GTask *task = user_data;
  HashData *data = g_task_get_task_data (task);
  ProgressEvent *event = g_new0 (ProgressEvent, 1);

  event->task = g_object_ref (task);
  event->done = done;
  event->total = total;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, deliver_progress,
                              event, progress_event_free);
}

static void
hash_file (GTask *task)
{
  HashData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  char *sha256;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (data->fd >= 0)
    {
      g_autofree char *path = g_file_get_path (data->file);
      g_autofree char *display_name = path != NULL ? g_filename_display_name (path)
                                                   : g_file_get_parse_name (data->file);

      sha256 = cf_hasher_hash_fd (data->fd, display_name, cancellable,
                                  data->progress != NULL ? worker_progress : NULL, task,
                                  &data->identity, &error);
    }
  else
    sha256 = cf_hasher_hash_file (data->file, cancellable,
                                  data->progress != NULL ? worker_progress : NULL, task,
                                  &data->identity, &error);

  if (sha256 == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, sha256, g_free);
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;

  g_private_set (&on_service_thread, GINT_TO_POINTER (TRUE));

  if (job->task != NULL)
    {
      hash_file (job->task);
      g_object_unref (job->task);
    }
  else
    {
      job->func (job->item, job->user_data);

      g_mutex_lock (&job->group->lock);
      if (--job->group->pending == 0)
        g_cond_signal (&job->group->cond);
      g_mutex_unlock (&job->group->lock);
    }

  g_free (job);
  /* The thread may go on to serve another pool. */
  g_private_set (&on_service_thread, NULL);
}

static int
compare_jobs (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const Job *ja = a;
  const Job *jb = b;

  if (ja->priority != jb->priority)
    return ja->priority < jb->priority ? -1 : 1;
  return ja->sequence < jb->sequence ? -1 : ja->sequence > jb->sequence;
}

static void
cf_hash_service_push (CfHashService *self,
                      Job           *job)
{
  g_mutex_lock (&self->sequence_lock);
  job->sequence = self->next_sequence++;
  g_mutex_unlock (&self->sequence_lock);
  g_thread_pool_push (self->pool, job, NULL);
}

static void
cf_hash_service_finalize (GObject *object)
{
  CfHashService *self = CF_HASH_SERVICE (object);

  /* What was queued still runs: a GTask waits for its answer. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_mutex_clear (&self->sequence_lock);

  G_OBJECT_CLASS (cf_hash_service_parent_class)->finalize (object);
}

static void
cf_hash_service_class_init (CfHashServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cf_hash_service_finalize;
}

static void
cf_hash_service_init (CfHashService *self)
{
  g_mutex_init (&self->sequence_lock);
}

/* A pool of @n_threads threads, 0 for one per core. */
CfHashService *
cf_hash_service_new (guint n_threads)
{
  CfHashService *self = g_object_new (CF_TYPE_HASH_SERVICE, NULL);

  self->n_threads = n_threads > 0 ? n_threads : g_get_num_processors ();
  self->pool = g_thread_pool_new (run_job, self, self->n_threads, FALSE, NULL);
  g_thread_pool_set_sort_function (self->pool, compare_jobs, NULL);
  return self;
}

/* The program's own: every part of it hashes here, so that together they
 * use each core once. */
CfHashService *
cf_hash_service_get_default (void)
{
  static CfHashService *service;

  if (g_once_init_enter (&service))
    g_once_init_leave (&service, cf_hash_service_new (0));
  return service;
}

guint
cf_hash_service_get_threads (CfHashService *self)
{
  g_return_val_if_fail (CF_IS_HASH_SERVICE (self), 0);
  return self->n_threads;
}

/**
 * cf_hash_service_hash_async:
 * @file: the file, for its name (and to open it when @fd is -1)
 * @fd: an open descriptor of @file to hash from its first byte, or -1;
 *   it stays the caller's
 * @progress: (nullable): called about ten times a second in the caller's
 *   thread-default main context, as are @callback and the destroy notify
 *
 * Hashes @file on one of the service's threads, after every job queued
 * before it with the same or a higher @priority.  Finish with
 * cf_hash_service_hash_finish().
 */
void
cf_hash_service_hash_async (CfHashService       *self,
                            GFile               *file,
                            int                  fd,
                            CfPriority           priority,
                            GCancellable        *cancellable,
                            CfHashProgressFunc   progress,
                            gpointer             progress_data,
                            GDestroyNotify       progress_data_destroy,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  HashData *data;
  Job *job;

  g_return_if_fail (CF_IS_HASH_SERVICE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (HashData, 1);
  data->file = g_object_ref (file);
  data->fd = -1;
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_data_destroy = progress_data_destroy;
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_hash_service_hash_async);
  g_task_set_task_data (task, data, (GDestroyNotify) hash_data_free);
  g_task_set_return_on_cancel (task, FALSE);

  /* A copy: the caller may close its own while this waits its turn. */
  if (fd >= 0)
    {
      data->fd = fcntl (fd, F_DUPFD_CLOEXEC, 3);
      if (data->fd < 0)
        {
          int saved_errno = errno;

          g_task_return_new_error (task, CF_HASHER_ERROR, CF_HASHER_ERROR_READ,
                                   _("Could not read the file: %s"), g_strerror (saved_errno));
          return;
        }
    }

  job = g_new0 (Job, 1);
  job->priority = priority;
  job->task = g_steal_pointer (&task);
  cf_hash_service_push (self, job);
}

char *
cf_hash_service_hash_finish (CfHashService   *self,
                             GAsyncResult    *result,
                             CfFileIdentity  *identity,
                             GError         **error)
{
  GTask *task = G_TASK (result);
  char *sha256;

  g_return_val_if_fail (CF_IS_HASH_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == cf_hash_service_hash_async, NULL);

  sha256 = g_task_propagate_pointer (task, error);
  if (sha256 != NULL && identity != NULL)
    {
      HashData *data = g_task_get_task_data (task);

      *identity = data->identity;
    }

  return sha256;
}

/**
 * cf_hash_service_for_each:
 * @items: what @func hashes, one call each
 *
 * Runs @func for every item on the service's threads, in parallel, and
 * returns once all are done: for a worker thread with many files to hash
 * (the process audit).  Never from one of the service's own threads, whose
 * turn would never come.
 */
void
cf_hash_service_for_each (CfHashService  *self,
                          GPtrArray      *items,
                          CfPriority      priority,
                          CfHashItemFunc  func,
                          gpointer        user_data)
{
  WaitGroup group;

  g_return_if_fail (CF_IS_HASH_SERVICE (self));
  g_return_if_fail (items != NULL);
  g_return_if_fail (func != NULL);
  g_return_if_fail (g_private_get (&on_service_thread) == NULL);

  g_mutex_init (&group.lock);
  g_cond_init (&group.cond);
  group.pending = items->len;

  for (guint i = 0; i < items->len; i++)
    {
      Job *job = g_new0 (Job, 1);

      job->priority = priority;
      job->func = func;
      job->item = g_ptr_array_index (items, i);
      job->user_data = user_data;
      job->group = &group;
      cf_hash_service_push (self, job);
    }

  g_mutex_lock (&group.lock);
  while (group.pending > 0)
    g_cond_wait (&group.cond, &group.lock);
  g_mutex_unlock (&group.lock);

  g_mutex_clear (&group.lock);
  g_cond_clear (&group.cond);
}
