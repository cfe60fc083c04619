/* cf-hasher.c: SHA-256 of a file on a worker thread, with the file's identity
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-hasher"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <openssl/evp.h>

#include "cf-hasher.h"

/* Measured on a page-cached 1 GiB file with SHA-NI (tests/bench/README.md):
 * read() into 64 KiB hashed fastest, 3-5% ahead of 128 KiB to 4 MiB (whose
 * copies out of the page cache cost more) and 1-5% ahead of 32 down to
 * 8 KiB (more system calls); it beats openssl dgst.  mmap used some 10% less
 * CPU still, but a file truncated while mapped would kill us with SIGBUS. */
#define CF_HASH_BUFFER_SIZE (64 * 1024)
#define CF_PROGRESS_INTERVAL_US (100 * 1000)

G_DEFINE_QUARK (cf-hasher-error-quark, cf_hasher_error)

gboolean
cf_file_identity_equal (const CfFileIdentity *a,
                        const CfFileIdentity *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return a->valid && b->valid &&
         a->device == b->device &&
         a->inode == b->inode &&
         a->size == b->size &&
         a->mtime_ns == b->mtime_ns &&
         a->ctime_ns == b->ctime_ns;
}

static void
identity_from_stat (CfFileIdentity    *identity,
                    const struct stat *st)
{
  identity->device = st->st_dev;
  identity->inode = st->st_ino;
  identity->size = st->st_size;
  identity->mtime_ns = (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
  identity->ctime_ns = (gint64) st->st_ctim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_ctim.tv_nsec;
  identity->valid = TRUE;
}

void
cf_file_error_from_errno (GError     **error,
                          int          saved_errno,
                          const char  *display_name)
{
  switch (saved_errno)
    {
    case ENOENT:
    case ENOTDIR:
      g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_NOT_FOUND,
                   _("“%s” does not exist. It may have been moved or deleted."), display_name);
      break;
    case EACCES:
    case EPERM:
      g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_PERMISSION,
                   _("You do not have permission to read “%s”."), display_name);
      break;
    case ELOOP:
      g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_SYMLINK_LOOP,
                   _("“%s” is a symbolic link that points back to itself."), display_name);
      break;
    default:
      g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_READ,
                   _("Could not read “%s”: %s"), display_name, g_strerror (saved_errno));
      break;
    }
}

gboolean
cf_file_check_regular (const struct stat  *st,
                       const char         *display_name,
                       GError            **error)
{
  const char *what;

  if (S_ISREG (st->st_mode))
    return TRUE;

  if (S_ISDIR (st->st_mode))
    what = _("a folder");
  else if (S_ISFIFO (st->st_mode))
    what = _("a named pipe");
  else if (S_ISCHR (st->st_mode) || S_ISBLK (st->st_mode))
    what = _("a device");
  else if (S_ISSOCK (st->st_mode))
    what = _("a socket");
  else
    what = _("not a regular file");

  /* Translators: the second %s is "a folder", "a named pipe", ... */
  g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_NOT_REGULAR,
               _("“%s” is %s. Only regular files can be checked."), display_name, what);
  return FALSE;
}

gboolean
cf_file_identity_query (const char      *path,
                        CfFileIdentity  *identity,
                        GError         **error)
{
  struct stat st;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (identity != NULL, FALSE);

  memset (identity, 0, sizeof *identity);

  if (stat (path, &st) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display_name = g_filename_display_name (path);

      cf_file_error_from_errno (error, saved_errno, display_name);
      return FALSE;
    }

  identity_from_stat (identity, &st);
  return TRUE;
}

static char *
digest_to_hex (const unsigned char *digest,
               unsigned int         length)
{
  static const char hex[] = "0123456789abcdef";
  char *out = g_malloc (length * 2 + 1);

  for (unsigned int i = 0; i < length; i++)
    {
      out[i * 2] = hex[digest[i] >> 4];
      out[i * 2 + 1] = hex[digest[i] & 0xf];
    }
  out[length * 2] = '\0';

  return out;
}

typedef struct
{
  EVP_MD_CTX *ctx;
} Digest;

static gboolean
digest_init (Digest  *digest,
             GError **error)
{
  digest->ctx = EVP_MD_CTX_new ();
  if (digest->ctx == NULL || EVP_DigestInit_ex (digest->ctx, EVP_sha256 (), NULL) != 1)
    {
      g_set_error_literal (error, CF_HASHER_ERROR, CF_HASHER_ERROR_READ,
                           _("The SHA-256 implementation could not be started."));
      return FALSE;
    }
  return TRUE;
}

static char *
digest_finish (Digest *digest)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;

  EVP_DigestFinal_ex (digest->ctx, md, &md_len);
  return digest_to_hex (md, md_len);
}

static void
digest_clear (Digest *digest)
{
  g_clear_pointer (&digest->ctx, EVP_MD_CTX_free);
}

static gboolean
report_progress_due (gint64 *last)
{
  gint64 now = g_get_monotonic_time ();

  if (now - *last < CF_PROGRESS_INTERVAL_US)
    return FALSE;
  *last = now;
  return TRUE;
}

char *
cf_hasher_hash_fd (int                  fd,
                   const char          *display_name,
                   GCancellable        *cancellable,
                   CfHashProgressFunc   progress,
                   gpointer             progress_data,
                   CfFileIdentity      *identity,
                   GError             **error)
{
  Digest digest = { NULL };
  g_autofree guchar *buffer = NULL;
  struct stat before, after;
  guint64 done = 0;
  gint64 last_progress = g_get_monotonic_time ();
  CfFileIdentity id_before, id_after;
  char *result = NULL;

  g_return_val_if_fail (fd >= 0, NULL);

  if (display_name == NULL)
    display_name = _("the file");

  if (fstat (fd, &before) != 0)
    {
      cf_file_error_from_errno (error, errno, display_name);
      return NULL;
    }
  if (!cf_file_check_regular (&before, display_name, error))
    return NULL;

  /* Opened non-blocking so that a FIFO could not hang us; a regular file
   * reads the same either way.  Read by offset from the start, so that a
   * descriptor that is held open can be hashed again just as well. */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);

  if (!digest_init (&digest, error))
    goto out;

  buffer = g_malloc (CF_HASH_BUFFER_SIZE);

  for (;;)
    {
      ssize_t n = pread (fd, buffer, CF_HASH_BUFFER_SIZE, (off_t) done);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          cf_file_error_from_errno (error, errno, display_name);
          goto out;
        }
      if (n == 0)
        break;

      EVP_DigestUpdate (digest.ctx, buffer, n);
      done += n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      if (progress != NULL && report_progress_due (&last_progress))
        progress (done, MAX ((guint64) before.st_size, done), progress_data);
    }

  if (fstat (fd, &after) != 0)
    {
      cf_file_error_from_errno (error, errno, display_name);
      goto out;
    }

  identity_from_stat (&id_before, &before);
  identity_from_stat (&id_after, &after);
  if (!cf_file_identity_equal (&id_before, &id_after) || done != (guint64) after.st_size)
    {
      g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED,
                   _("“%s” changed while it was being checked. Try again once it is complete."),
                   display_name);
      goto out;
    }

  if (progress != NULL)
    progress (done, done, progress_data);

  if (identity != NULL)
    *identity = id_after;

  result = digest_finish (&digest);

out:
  digest_clear (&digest);
  return result;
}

static char *
hash_stream (GInputStream        *stream,
             const char          *display_name,
             guint64              total,
             GCancellable        *cancellable,
             CfHashProgressFunc   progress,
             gpointer             progress_data,
             GError             **error)
{
  Digest digest = { NULL };
  g_autofree guchar *buffer = g_malloc (CF_HASH_BUFFER_SIZE);
  guint64 done = 0;
  gint64 last_progress = g_get_monotonic_time ();
  char *result = NULL;

  if (!digest_init (&digest, error))
    goto out;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n = g_input_stream_read (stream, buffer, CF_HASH_BUFFER_SIZE, cancellable, &local_error);

      if (n < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_READ,
                         _("Could not read “%s”: %s"), display_name, local_error->message);
          goto out;
        }
      if (n == 0)
        break;

      EVP_DigestUpdate (digest.ctx, buffer, n);
      done += n;

      if (progress != NULL && report_progress_due (&last_progress))
        progress (done, MAX (total, done), progress_data);
    }

  if (progress != NULL)
    progress (done, done, progress_data);

  result = digest_finish (&digest);

out:
  digest_clear (&digest);
  return result;
}

char *
cf_hasher_hash_file (GFile               *file,
                     GCancellable        *cancellable,
                     CfHashProgressFunc   progress,
                     gpointer             progress_data,
                     CfFileIdentity      *identity,
                     GError             **error)
{
  g_autofree char *path = NULL;
  g_autofree char *display_name = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (identity != NULL)
    memset (identity, 0, sizeof *identity);

  path = g_file_get_path (file);

  if (path != NULL)
    {
      char *result;
      int fd;

      display_name = g_filename_display_name (path);
      fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
      if (fd < 0)
        {
          cf_file_error_from_errno (error, errno, display_name);
          return NULL;
        }

      result = cf_hasher_hash_fd (fd, display_name, cancellable, progress, progress_data,
                                  identity, error);
      close (fd);
      return result;
    }
  else
    {
      /* A location GIO reaches for us (sftp://, smb://): hashed through a
       * stream; it has no identity, so it is never cached by identity. */
      g_autoptr(GFileInfo) info = NULL;
      g_autoptr(GFileInputStream) stream = NULL;
      g_autoptr(GError) local_error = NULL;

      display_name = g_file_get_parse_name (file);
      info = g_file_query_info (file,
                                G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
      if (info == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_NOT_FOUND,
                         _("“%s” does not exist. It may have been moved or deleted."), display_name);
          else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_READ,
                         _("Could not read “%s”: %s"), display_name, local_error->message);
          return NULL;
        }

      if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
        {
          g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_NOT_REGULAR,
                       _("“%s” is not a regular file. Only regular files can be checked."),
                       display_name);
          return NULL;
        }

      stream = g_file_read (file, cancellable, &local_error);
      if (stream == NULL)
        {
          g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_READ,
                       _("Could not read “%s”: %s"), display_name, local_error->message);
          return NULL;
        }

      if (identity != NULL)
        identity->size = g_file_info_get_size (info);

      return hash_stream (G_INPUT_STREAM (stream), display_name, g_file_info_get_size (info),
                          cancellable, progress, progress_data, error);
    }
}

typedef struct
{
  GFile              *file;
  int                 fd;         /* -1: open the file; else a dup of the caller's */
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HashData, hash_data_free)

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
hash_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  HashData *data = task_data;
  GError *error = NULL;
  char *sha256;

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
hash_async (int                  fd,
            GFile               *file,
            GCancellable        *cancellable,
            CfHashProgressFunc   progress,
            gpointer             progress_data,
            GDestroyNotify       progress_data_destroy,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  HashData *data;

  data = g_new0 (HashData, 1);
  data->file = g_object_ref (file);
  data->fd = fd;
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_data_destroy = progress_data_destroy;
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_hasher_hash_async);
  g_task_set_task_data (task, data, (GDestroyNotify) hash_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, hash_thread);
}

void
cf_hasher_hash_async (GFile               *file,
                      GCancellable        *cancellable,
                      CfHashProgressFunc   progress,
                      gpointer             progress_data,
                      GDestroyNotify       progress_data_destroy,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  hash_async (-1, file, cancellable, progress, progress_data, progress_data_destroy,
              callback, user_data);
}

/* Hashes what @fd (an open regular file, named @file) holds, from its
 * first byte; @fd stays the caller's.  Finish with cf_hasher_hash_finish(). */
void
cf_hasher_hash_fd_async (int                  fd,
                         GFile               *file,
                         GCancellable        *cancellable,
                         CfHashProgressFunc   progress,
                         gpointer             progress_data,
                         GDestroyNotify       progress_data_destroy,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  int copy;

  g_return_if_fail (fd >= 0);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  copy = fcntl (fd, F_DUPFD_CLOEXEC, 3);
  if (copy < 0)
    {
      int saved_errno = errno;
      g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

      g_task_set_source_tag (task, cf_hasher_hash_async);
      g_task_return_new_error (task, CF_HASHER_ERROR, CF_HASHER_ERROR_READ,
                               _("Could not read the file: %s"), g_strerror (saved_errno));
      if (progress_data_destroy != NULL)
        progress_data_destroy (progress_data);
      return;
    }

  hash_async (copy, file, cancellable, progress, progress_data, progress_data_destroy,
              callback, user_data);
}

char *
cf_hasher_hash_finish (GAsyncResult    *result,
                       CfFileIdentity  *identity,
                       GError         **error)
{
  GTask *task = G_TASK (result);
  char *sha256;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == cf_hasher_hash_async, NULL);

  sha256 = g_task_propagate_pointer (task, error);
  if (sha256 != NULL && identity != NULL)
    {
      HashData *data = g_task_get_task_data (task);
      *identity = data->identity;
    }

  return sha256;
}

gboolean
cf_is_sha256 (const char *text)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;

  return text[64] == '\0';
}
