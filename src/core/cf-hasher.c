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

/* Files are hashed in chunks of CF_HASH_CHUNK.  One of at least
 * CF_OVERLAP_MIN is read by a thread of its own into a ring of
 * CF_HASH_RING chunks, so that copying the bytes out of the page cache
 * (a fifth of the time of a page-cached file) happens on another core
 * while this one hashes; smaller files are read and hashed in turn, and
 * many files at once are spread over the cores by the hashing service
 * instead (cf-hash-service.c).  The chunk size and the ring were measured
 * on a page-cached 1 GiB file (tests/bench/README.md).  mmap would save the
 * copy altogether, but a file truncated while mapped kills the process
 * with SIGBUS. */
#define CF_HASH_CHUNK           (1024 * 1024)
#define CF_HASH_RING            4
#define CF_OVERLAP_MIN          (2 * CF_HASH_CHUNK)
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

/* Fetched once: OpenSSL 3 looks the implementation up again for every
 * EVP_sha256() it is handed, and a list of small files starts thousands. */
static const EVP_MD *
sha256_md (void)
{
  static gsize md;

  if (g_once_init_enter (&md))
    {
      EVP_MD *fetched = EVP_MD_fetch (NULL, "SHA256", NULL);

      g_once_init_leave (&md, fetched != NULL ? (gsize) fetched : (gsize) EVP_sha256 ());
    }
  return (const EVP_MD *) md;
}

static gboolean
digest_init (Digest  *digest,
             GError **error)
{
  digest->ctx = EVP_MD_CTX_new ();
  if (digest->ctx == NULL || EVP_DigestInit_ex (digest->ctx, sha256_md (), NULL) != 1)
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

/* Where the bytes come from: next() gives a chunk (length 0 at the end)
 * or fails; the chunk stays valid until the following next(). */
typedef struct _Source Source;

struct _Source
{
  gboolean (*next)  (Source        *source,
                     const guchar **data,
                     gsize         *length,
                     GCancellable  *cancellable,
                     GError       **error);
  const char  *display_name;
};

/* The one loop every file is hashed in, whatever it is read from. */
static char *
hash_source (Source              *source,
             guint64              total,
             guint64             *hashed,
             GCancellable        *cancellable,
             CfHashProgressFunc   progress,
             gpointer             progress_data,
             GError             **error)
{
  Digest digest = { NULL };
  gint64 last_progress = g_get_monotonic_time ();
  guint64 done = 0;
  char *result = NULL;

  if (!digest_init (&digest, error))
    return NULL;

  for (;;)
    {
      const guchar *data;
      gsize length;

      if (!source->next (source, &data, &length, cancellable, error))
        goto out;
      if (length == 0)
        break;

      EVP_DigestUpdate (digest.ctx, data, length);
      done += length;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (progress != NULL && report_progress_due (&last_progress))
        progress (done, MAX (total, done), progress_data);
    }

  *hashed = done;
  result = digest_finish (&digest);

out:
  digest_clear (&digest);
  return result;
}

/* A descriptor read in turn with hashing, by offset from the start, so
 * that a descriptor held open can be hashed again just as well. */
typedef struct
{
  Source  source;
  int     fd;
  guint64 offset;
  guchar *buffer;
  gsize   buffer_size;
} FdSource;

static gboolean
fd_source_next (Source        *source,
                const guchar **data,
                gsize         *length,
                GCancellable  *cancellable,
                GError       **error)
{
  FdSource *self = (FdSource *) source;
  ssize_t n;

  do
    n = pread (self->fd, self->buffer, self->buffer_size, (off_t) self->offset);
  while (n < 0 && errno == EINTR);

  if (n < 0)
    {
      cf_file_error_from_errno (error, errno, source->display_name);
      return FALSE;
    }

  self->offset += n;
  *data = self->buffer;
  *length = n;
  return TRUE;
}

/* A descriptor read ahead by a thread of its own into a ring of chunks.
 * Each side waits only when the ring is full or empty, and wakes the
 * other only if it waits: the reader once half the ring is free again,
 * so that it is woken once for several chunks. */
typedef struct
{
  guchar *data;
  gssize  length;         /* 0 at the end; -1 when the read failed */
  int     read_errno;
} Chunk;

typedef struct
{
  Source    source;
  int       fd;
  Chunk     chunks[CF_HASH_RING];
  GThread  *reader;
  GMutex    lock;
  GCond     cond;
  guint     filled;       /* chunks read, since the start */
  guint     taken;        /* chunks handed to the hasher */
  guint     released;     /* chunks hashed, their room free again */
  gboolean  reader_waits;
  gboolean  hasher_waits;
  gboolean  stop;
} RingSource;

static gpointer
ring_reader (gpointer user_data)
{
  RingSource *self = user_data;
  guint64 offset = 0;

  for (;;)
    {
      Chunk *chunk;
      ssize_t n;

      g_mutex_lock (&self->lock);
      while (self->filled - self->released == CF_HASH_RING && !self->stop)
        {
          self->reader_waits = TRUE;
          g_cond_wait (&self->cond, &self->lock);
        }
      self->reader_waits = FALSE;
      chunk = self->stop ? NULL : &self->chunks[self->filled % CF_HASH_RING];
      g_mutex_unlock (&self->lock);
      if (chunk == NULL)
        return NULL;

      do
        n = pread (self->fd, chunk->data, CF_HASH_CHUNK, (off_t) offset);
      while (n < 0 && errno == EINTR);
      chunk->length = n;
      chunk->read_errno = n < 0 ? errno : 0;

      g_mutex_lock (&self->lock);
      self->filled++;
      if (self->hasher_waits)
        g_cond_signal (&self->cond);
      g_mutex_unlock (&self->lock);

      if (n <= 0)
        return NULL;
      offset += n;
    }
}

static gboolean
ring_source_next (Source        *source,
                  const guchar **data,
                  gsize         *length,
                  GCancellable  *cancellable,
                  GError       **error)
{
  RingSource *self = (RingSource *) source;
  Chunk *chunk;

  g_mutex_lock (&self->lock);
  /* The chunk handed out last is hashed: its room is the reader's again. */
  self->released = self->taken;
  if (self->reader_waits && self->filled - self->released <= CF_HASH_RING / 2)
    g_cond_signal (&self->cond);
  while (self->filled == self->taken)
    {
      self->hasher_waits = TRUE;
      g_cond_wait (&self->cond, &self->lock);
    }
  self->hasher_waits = FALSE;
  chunk = &self->chunks[self->taken++ % CF_HASH_RING];
  g_mutex_unlock (&self->lock);

  if (chunk->length < 0)
    {
      cf_file_error_from_errno (error, chunk->read_errno, source->display_name);
      return FALSE;
    }

  *data = chunk->data;
  *length = chunk->length;
  return TRUE;
}

static void
ring_source_clear (RingSource *self)
{
  for (guint i = 0; i < CF_HASH_RING; i++)
    g_free (self->chunks[i].data);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
}

/* FALSE when no thread could be started: the caller reads in turn. */
static gboolean
ring_source_start (RingSource *self,
                   int         fd,
                   const char *display_name)
{
  self->source.next = ring_source_next;
  self->source.display_name = display_name;
  self->fd = fd;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  for (guint i = 0; i < CF_HASH_RING; i++)
    self->chunks[i].data = g_malloc (CF_HASH_CHUNK);

  self->reader = g_thread_try_new ("check-first-read", ring_reader, self, NULL);
  if (self->reader == NULL)
    ring_source_clear (self);
  return self->reader != NULL;
}

static void
ring_source_stop (RingSource *self)
{
  g_mutex_lock (&self->lock);
  self->stop = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  g_thread_join (self->reader);
  ring_source_clear (self);
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
  g_autofree guchar *buffer = NULL;
  FdSource in_turn = { { fd_source_next, display_name }, fd, 0, NULL, 0 };
  RingSource ahead = { { NULL } };
  gboolean read_ahead;
  struct stat before, after;
  CfFileIdentity id_before, id_after;
  guint64 done = 0;
  char *result;

  g_return_val_if_fail (fd >= 0, NULL);

  if (display_name == NULL)
    display_name = in_turn.source.display_name = _("the file");

  if (fstat (fd, &before) != 0)
    {
      cf_file_error_from_errno (error, errno, display_name);
      return NULL;
    }
  if (!cf_file_check_regular (&before, display_name, error))
    return NULL;

  /* A descriptor opened non-blocking (so that a FIFO could not hang the
   * open) reads a regular file all the same.  The kernel's read-ahead is
   * asked to look further only where a file is long enough to gain. */
  read_ahead = before.st_size >= CF_OVERLAP_MIN;
  if (read_ahead)
    {
      posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
      read_ahead = ring_source_start (&ahead, fd, display_name);
    }
  if (!read_ahead)
    {
      /* A small file in one read, and the end of it in the next; one that
       * grows meanwhile still in reads of some size. */
      in_turn.buffer_size = CLAMP ((gsize) before.st_size + 1, 64 * 1024, CF_HASH_CHUNK);
      in_turn.buffer = buffer = g_malloc (in_turn.buffer_size);
    }

  result = hash_source (read_ahead ? &ahead.source : &in_turn.source, before.st_size, &done,
                        cancellable, progress, progress_data, error);
  if (read_ahead)
    ring_source_stop (&ahead);
  if (result == NULL)
    return NULL;

  if (fstat (fd, &after) != 0)
    {
      cf_file_error_from_errno (error, errno, display_name);
      g_free (result);
      return NULL;
    }

  identity_from_stat (&id_before, &before);
  identity_from_stat (&id_after, &after);
  if (!cf_file_identity_equal (&id_before, &id_after) || done != (guint64) after.st_size)
    {
      g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED,
                   _("“%s” changed while it was being checked. Try again once it is complete."),
                   display_name);
      g_free (result);
      return NULL;
    }

  if (progress != NULL)
    progress (done, done, progress_data);

  if (identity != NULL)
    *identity = id_after;

  return result;
}

/* A location GIO reads for us (sftp://, smb://). */
typedef struct
{
  Source        source;
  GInputStream *stream;
  guchar       *buffer;
} StreamSource;

static gboolean
stream_source_next (Source        *source,
                    const guchar **data,
                    gsize         *length,
                    GCancellable  *cancellable,
                    GError       **error)
{
  StreamSource *self = (StreamSource *) source;
  g_autoptr(GError) local_error = NULL;
  gssize n = g_input_stream_read (self->stream, self->buffer, CF_HASH_CHUNK, cancellable, &local_error);

  if (n < 0)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_READ,
                     _("Could not read “%s”: %s"), source->display_name, local_error->message);
      return FALSE;
    }

  *data = self->buffer;
  *length = n;
  return TRUE;
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
  g_autofree guchar *buffer = g_malloc (CF_HASH_CHUNK);
  StreamSource source = { { stream_source_next, display_name }, stream, buffer };
  guint64 done = 0;
  char *result;

  result = hash_source (&source.source, total, &done, cancellable, progress, progress_data, error);
  if (result != NULL && progress != NULL)
    progress (done, done, progress_data);

  return result;
}

/* A local file by its path, without GIO, whose first GFile loads every
 * GIO module: a list of files to hash starts faster without. */
char *
cf_hasher_hash_path (const char          *path,
                     GCancellable        *cancellable,
                     CfHashProgressFunc   progress,
                     gpointer             progress_data,
                     CfFileIdentity      *identity,
                     GError             **error)
{
  g_autofree char *display_name = NULL;
  char *result;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  if (identity != NULL)
    memset (identity, 0, sizeof *identity);

  display_name = g_filename_display_name (path);
  fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      cf_file_error_from_errno (error, errno, display_name);
      return NULL;
    }

  result = cf_hasher_hash_fd (fd, display_name, cancellable, progress, progress_data, identity, error);
  close (fd);
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
    return cf_hasher_hash_path (path, cancellable, progress, progress_data, identity, error);
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
