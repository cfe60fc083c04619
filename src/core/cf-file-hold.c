/* cf-file-hold.c: a file held open under a read lease, from its first byte hashed to its launch
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What is launched must be what was checked.  Comparing inode, size and
 * times is not enough: a program with the file mapped for writing changes
 * its bytes and none of them.  The kernel can tell instead.  A read lease
 * (fcntl F_SETLEASE F_RDLCK) is granted only while nobody has the file open
 * for writing, and anyone who opens it for writing afterwards is held back
 * until the lease holder lets go, which the holder learns of by a signal.
 * So: take the lease before the first byte is hashed, and while it stands
 * the bytes are the ones hashed.  When it breaks, let go at once (the
 * writer waits for us) and treat the file as changed.
 *
 * A file that someone else owns, or one on a file system without leases,
 * can still be held open: it is then hashed again, from the same open
 * descriptor, just before it is launched.
 */

#define _GNU_SOURCE
#define G_LOG_DOMAIN "check-first-file-hold"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cf-file-hold.h"

/* The signal a lease break arrives by: GLib can watch it in the main loop. */
#define CF_LEASE_SIGNAL SIGUSR2

struct _CfFileHold
{
  GObject         parent_instance;

  char           *path;
  char           *display_name;
  int             fd;
  CfFileHoldKind  kind;
  CfFileIdentity  identity;     /* at the moment the lease was taken */
  gboolean        leased;       /* a lease is in place right now */
  gboolean        broken;
};

enum {
  SIGNAL_BROKEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CfFileHold, cf_file_hold, G_TYPE_OBJECT)

/* Holds with a lease in place; touched from the main context only. */
static GPtrArray *leased_holds;
static guint lease_signal_source;

static void
cf_file_hold_let_go (CfFileHold *self)
{
  if (!self->leased)
    return;
  fcntl (self->fd, F_SETLEASE, F_UNLCK);
  self->leased = FALSE;
  if (leased_holds != NULL)
    g_ptr_array_remove_fast (leased_holds, self);
}

/* The kernel changes a lease it is breaking to the type it will become:
 * for a read lease, none.  A lease we hold that is no longer F_RDLCK is
 * being broken, whether or not its signal has been seen yet. */
static gboolean
cf_file_hold_check_lease (CfFileHold *self)
{
  if (!self->leased)
    return !self->broken;
  if (fcntl (self->fd, F_GETLEASE) == F_RDLCK)
    return TRUE;

  self->broken = TRUE;
  cf_file_hold_let_go (self);
  g_signal_emit (self, signals[SIGNAL_BROKEN], 0);
  return FALSE;
}

static gboolean
on_lease_signal (gpointer user_data)
{
  g_autoptr(GPtrArray) holds = g_ptr_array_new_with_free_func (g_object_unref);

  /* The signal does not say which lease: look at each (a copy, as each
   * one that broke leaves the list). */
  for (guint i = 0; leased_holds != NULL && i < leased_holds->len; i++)
    g_ptr_array_add (holds, g_object_ref (g_ptr_array_index (leased_holds, i)));
  for (guint i = 0; i < holds->len; i++)
    cf_file_hold_check_lease (g_ptr_array_index (holds, i));

  return G_SOURCE_CONTINUE;
}

static void
cf_file_hold_dispose (GObject *object)
{
  cf_file_hold_release (CF_FILE_HOLD (object));

  G_OBJECT_CLASS (cf_file_hold_parent_class)->dispose (object);
}

static void
cf_file_hold_finalize (GObject *object)
{
  CfFileHold *self = CF_FILE_HOLD (object);

  g_free (self->path);
  g_free (self->display_name);

  G_OBJECT_CLASS (cf_file_hold_parent_class)->finalize (object);
}

static void
cf_file_hold_class_init (CfFileHoldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_file_hold_dispose;
  object_class->finalize = cf_file_hold_finalize;

  /**
   * CfFileHold::broken:
   *
   * Someone opened the file for writing: its bytes may no longer be the
   * ones hashed.  The lease is already given up.
   */
  signals[SIGNAL_BROKEN] =
    g_signal_new ("broken", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cf_file_hold_init (CfFileHold *self)
{
  self->fd = -1;
}

static void
identity_of (const struct stat *st,
             CfFileIdentity    *identity)
{
  identity->device = st->st_dev;
  identity->inode = st->st_ino;
  identity->size = st->st_size;
  identity->mtime_ns = (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
  identity->ctime_ns = (gint64) st->st_ctim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_ctim.tv_nsec;
  identity->valid = TRUE;
}

/* Opens @path and takes a read lease on it.  Fails when the file cannot
 * be read, is not a regular file, or is open for writing somewhere
 * (CF_HASHER_ERROR_BUSY: it is still being written). */
CfFileHold *
cf_file_hold_open (const char  *path,
                   GError     **error)
{
  g_autoptr(CfFileHold) self = NULL;
  struct stat st;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CF_TYPE_FILE_HOLD, NULL);
  self->path = g_strdup (path);
  self->display_name = g_filename_display_name (path);

  /* Non-blocking, so that a named pipe cannot hang the open. */
  self->fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (self->fd < 0)
    {
      cf_file_error_from_errno (error, errno, self->display_name);
      return NULL;
    }
  if (fstat (self->fd, &st) != 0)
    {
      cf_file_error_from_errno (error, errno, self->display_name);
      return NULL;
    }
  if (!cf_file_check_regular (&st, self->display_name, error))
    return NULL;
  fcntl (self->fd, F_SETFL, fcntl (self->fd, F_GETFL) & ~O_NONBLOCK);

  if (lease_signal_source == 0)
    lease_signal_source = g_unix_signal_add (CF_LEASE_SIGNAL, on_lease_signal, NULL);

  if (fcntl (self->fd, F_SETSIG, CF_LEASE_SIGNAL) == 0 &&
      fcntl (self->fd, F_SETLEASE, F_RDLCK) == 0)
    {
      self->kind = CF_FILE_HOLD_LEASED;
      self->leased = TRUE;
      if (leased_holds == NULL)
        leased_holds = g_ptr_array_new ();
      g_ptr_array_add (leased_holds, self);
    }
  else if (errno == EAGAIN)
    {
      g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_BUSY,
                   _("“%s” is still being written by another program. Check it again once it "
                     "is complete."), self->display_name);
      return NULL;
    }
  else if (errno == EACCES || errno == EPERM)
    self->kind = CF_FILE_HOLD_NOT_OWNER;
  else
    self->kind = CF_FILE_HOLD_NO_LEASES;

  /* The times as they are under the lease: nothing changes them now. */
  if (fstat (self->fd, &st) != 0)
    {
      cf_file_error_from_errno (error, errno, self->display_name);
      return NULL;
    }
  identity_of (&st, &self->identity);

  return g_steal_pointer (&self);
}

int
cf_file_hold_get_fd (CfFileHold *self)
{
  g_return_val_if_fail (CF_IS_FILE_HOLD (self), -1);
  return self->fd;
}

const char *
cf_file_hold_get_path (CfFileHold *self)
{
  g_return_val_if_fail (CF_IS_FILE_HOLD (self), NULL);
  return self->path;
}

CfFileHoldKind
cf_file_hold_get_kind (CfFileHold *self)
{
  g_return_val_if_fail (CF_IS_FILE_HOLD (self), CF_FILE_HOLD_NO_LEASES);
  return self->kind;
}

const CfFileIdentity *
cf_file_hold_get_identity (CfFileHold *self)
{
  g_return_val_if_fail (CF_IS_FILE_HOLD (self), NULL);
  return &self->identity;
}

/* Whether the lease broke (or the hold was released) since it was taken.
 * Asks the kernel, so it is right even before the signal is seen. */
gboolean
cf_file_hold_is_broken (CfFileHold *self)
{
  g_return_val_if_fail (CF_IS_FILE_HOLD (self), TRUE);

  if (self->fd < 0)
    return TRUE;
  return !cf_file_hold_check_lease (self);
}

/* Just before a launch: are the bytes at the path the ones that hashed to
 * @sha256?  Under an unbroken lease they are, if the path still names the
 * held file; without a lease the held file is hashed again. */
gboolean
cf_file_hold_verify (CfFileHold  *self,
                     const char  *sha256,
                     GError     **error)
{
  CfFileIdentity now, at_path;
  struct stat st;

  g_return_val_if_fail (CF_IS_FILE_HOLD (self), FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  if (cf_file_hold_is_broken (self))
    {
      g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED,
                   _("“%s” was opened for writing after it was checked."), self->display_name);
      return FALSE;
    }

  if (fstat (self->fd, &st) != 0)
    {
      cf_file_error_from_errno (error, errno, self->display_name);
      return FALSE;
    }
  identity_of (&st, &now);
  if (!cf_file_identity_query (self->path, &at_path, error))
    return FALSE;

  /* Another file moved into its place is not the file checked. */
  if (at_path.device != now.device || at_path.inode != now.inode ||
      !cf_file_identity_equal (&now, &self->identity))
    {
      g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED,
                   _("“%s” was changed or replaced after it was checked."), self->display_name);
      return FALSE;
    }

  if (self->kind != CF_FILE_HOLD_LEASED)
    {
      g_autofree char *again = cf_hasher_hash_fd (self->fd, self->display_name, NULL, NULL, NULL,
                                                  NULL, error);

      if (again == NULL)
        return FALSE;
      if (g_ascii_strcasecmp (again, sha256) != 0)
        {
          g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED,
                       _("“%s” was changed after it was checked."), self->display_name);
          return FALSE;
        }
    }

  return TRUE;
}

/* Changes the held file's permissions: a change of our own, made while
 * the lease stands, so the file is still the one checked (its change time
 * moves, and the hold's identity with it). */
gboolean
cf_file_hold_set_mode (CfFileHold  *self,
                       guint        mode,
                       GError     **error)
{
  struct stat st;

  g_return_val_if_fail (CF_IS_FILE_HOLD (self), FALSE);

  if (self->fd < 0 || !cf_file_hold_check_lease (self))
    {
      g_set_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED,
                   _("“%s” was opened for writing after it was checked."), self->display_name);
      return FALSE;
    }
  if (fchmod (self->fd, mode & 07777) != 0 || fstat (self->fd, &st) != 0)
    {
      cf_file_error_from_errno (error, errno, self->display_name);
      return FALSE;
    }
  identity_of (&st, &self->identity);
  return TRUE;
}

/* Gives up the lease and closes the file; the hold is broken from then on. */
void
cf_file_hold_release (CfFileHold *self)
{
  g_return_if_fail (CF_IS_FILE_HOLD (self));

  if (self->fd < 0)
    return;
  cf_file_hold_let_go (self);
  close (self->fd);
  self->fd = -1;
}
